/* api_assess.c — /api/v1/assessments: list, start, read (JSON, CSV or the
 * printable HTML report), answer, review, change state, roadmap; and the
 * cores the console shares (api_assess.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api_assess.h"
#include "evidence/evidence.h"
#include "hub/hub.h"

#define FAILS(st_, ...) (snprintf(err, errlen, __VA_ARGS__), (st_))

static int may_review(const http_req_t *r)
{
	return auth_role_at_least(&r->who, ROLE_ANALYST);
}

int api_assess_open(http_req_t *r, store_t *st, const char *idtext, int write, assess_ctx_t *c,
		    char *err, size_t errlen)
{
	char *e;
	long long id = strtoll(idtext, &e, 10);
	tlp_view_t v = auth_view(&r->who);
	memset(c, 0, sizeof *c);
	if (e == idtext || *e || id <= 0)
		return FAILS(404, "no assessment '%.40s'", idtext);
	int rc = assess_ctx_open(st, id, &v, c, err, errlen);
	if (rc == STORE_ENOTFOUND)
		return 404;
	if (rc)
		return 500;
	if (write && c->a.org_id != r->who.org_id && !r->who.hub_member) {
		assess_ctx_free(c);
		return FAILS(403, "only its own organisation or the hub's team change assessment %lld", id);
	}
	return 0;
}

/* Run one change: open the store and a transaction, fn, audit, commit. */
typedef int (*change_fn)(http_req_t *r, store_t *st, assess_ctx_t *c, void *arg, char *err, size_t errlen);

static int change(http_req_t *r, int64_t id, const char *action, const char *detail, change_fn fn,
		  void *arg, char *err, size_t errlen)
{
	store_t *st = hub_store_get(r->hub);
	assess_ctx_t c;
	char ids[24];
	int rc;
	if (!st)
		return FAILS(500, "store unavailable");
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	if (store_begin(st)) {
		rc = FAILS(500, "%s", store_errmsg(st));
	} else if (!(rc = api_assess_open(r, st, ids, 1, &c, err, errlen))) {
		if (!(rc = fn(r, st, &c, arg, err, errlen))) {
			char obj[48];
			snprintf(obj, sizeof obj, "assessment %lld", (long long)id);
			if (http_audit(r, st, action, obj, detail) || store_commit(st))
				rc = FAILS(500, "%s", store_errmsg(st));
		}
		assess_ctx_free(&c);
	}
	hub_store_put(r->hub, st); /* rolls back what did not commit */
	return rc;
}

static const char *actor(const http_req_t *r)
{
	return r->who.cred;
}

int api_assess_new(http_req_t *r, const char *entity, const char *period, const char *tlp,
		   const char *questionnaire, store_assess_t *out, char *err, size_t errlen)
{
	tlp_t t = TLP_AMBER;
	int rc = 0;
	if (!auth_role_at_least(&r->who, ROLE_CONTRIBUTOR))
		return FAILS(403, "contributors and above start assessments");
	if (tlp && *tlp && tlp_parse(tlp, &t))
		return FAILS(400, "tlp: unknown TLP '%.20s'", tlp);
	store_t *st = hub_store_get(r->hub);
	store_qn_t q;
	if (!st)
		return FAILS(500, "store unavailable");
	if (store_begin(st)) {
		rc = FAILS(500, "%s", store_errmsg(st));
		goto out;
	}
	if (!questionnaire || !*questionnaire) {
		questionnaire = "national";
		int g = store_qn_get(st, 0, questionnaire, 0, &q);
		if (g == STORE_ENOTFOUND) {
			if (assess_qn_load(st, data_assess_default_json, strlen(data_assess_default_json),
					   "default.json", &q, err, errlen)) {
				rc = 500;
				goto out;
			}
		} else if (g) {
			rc = FAILS(500, "%s", store_errmsg(st));
			goto out;
		} else {
			free(q.json);
		}
	}
	if (assess_new(st, entity ? entity : "", r->who.org_id, questionnaire, 0, period ? period : "", t,
		       actor(r), out, err, errlen)) {
		rc = strncmp(err, "no questionnaire", 16) ? 400 : 404;
		goto out;
	}
	char obj[48];
	snprintf(obj, sizeof obj, "assessment %lld", (long long)out->id);
	if (http_audit(r, st, "assess.new", obj, out->entity) || store_commit(st))
		rc = FAILS(500, "%s", store_errmsg(st));
out:
	hub_store_put(r->hub, st);
	return rc;
}

typedef struct {
	json_t *answers;
	const char *evidence;
	const api_assess_file_t *files;
	size_t nfiles;
} answer_arg_t;

/* Store the files as evidence and name each in its question's answer
 * (answers, a copy, is changed: {"value": V, "evidence": "IDS,NEW"}). */
static int take_files(http_req_t *r, store_t *st, assess_ctx_t *c, answer_arg_t *a, char *err, size_t errlen)
{
	char holder[40];
	snprintf(holder, sizeof holder, "assessment:%lld", (long long)c->a.id);
	for (size_t k = 0; k < a->nfiles; k++) {
		const api_assess_file_t *f = &a->files[k];
		size_t i;
		for (i = 0; i < c->qn->nq && strcmp(c->qn->q[i].id, f->question); i++)
			;
		if (i == c->qn->nq)
			return FAILS(400, "%.64s: no such question", f->question);
		json_t *v = json_object_get(a->answers, f->question), *val = v, *ev = NULL;
		if (json_is_object(v))
			val = json_object_get(v, "value"), ev = json_object_get(v, "evidence");
		if (!val && c->vals[i])
			val = json_string(c->vals[i]);
		else
			json_incref(val);
		if (!val)
			return FAILS(400, "%.64s: answer the question to give a file with it", f->question);
		const char *had = json_is_string(ev) ? json_string_value(ev) : a->evidence ? a->evidence
				 : c->ans[i] ? c->ans[i]->evidence : "";
		char note[96], ids[300];
		store_evidence_t e;
		snprintf(note, sizeof note, "evidence for %s of assessment %lld", f->question, (long long)c->a.id);
		if (evidence_add_data(st, holder, f->name[0] ? f->name : "evidence", f->data, (int64_t)f->len,
				      c->a.org_id, c->a.tlp, actor(r), note, &e, err, errlen)) {
			json_decref(val);
			return f->len > EVIDENCE_FILE_MAX ? 400 : 500;
		}
		snprintf(ids, sizeof ids, "%s%s%lld", had, *had ? "," : "", (long long)e.id);
		json_object_set_new(a->answers, f->question, json_pack("{s:o, s:s}", "value", val, "evidence", ids));
	}
	return 0;
}

static int do_answer(http_req_t *r, store_t *st, assess_ctx_t *c, void *arg, char *err, size_t errlen)
{
	answer_arg_t *a = arg;
	const char *q;
	json_t *v;
	int rc = take_files(r, st, c, a, err, errlen);
	if (rc)
		return rc;
	json_object_foreach(a->answers, q, v) {
		char num[64];
		const char *ev = a->evidence;
		if (json_is_object(v)) { /* {"value": V, "evidence": "IDS"} */
			json_t *e = json_object_get(v, "evidence");
			if (e && !json_is_string(e))
				return FAILS(400, "%.64s: evidence: a string of evidence ids", q);
			if (e)
				ev = json_string_value(e);
			v = json_object_get(v, "value");
		}
		const char *val = json_string_value(v);
		if (json_is_integer(v))
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)), val = num;
		else if (json_is_real(v))
			snprintf(num, sizeof num, "%.17g", json_real_value(v)), val = num;
		if (!val)
			return FAILS(400, "%.64s: a string or a number", q);
		if (assess_answer(st, c, q, val, ev, actor(r), "", err, errlen))
			return 400;
	}
	return 0;
}

int api_assess_answer(http_req_t *r, int64_t id, json_t *answers, const char *evidence, char *err,
		      size_t errlen)
{
	return api_assess_answer_files(r, id, answers, evidence, NULL, 0, err, errlen);
}

int api_assess_answer_files(http_req_t *r, int64_t id, json_t *answers, const char *evidence,
			    const api_assess_file_t *files, size_t nfiles, char *err, size_t errlen)
{
	if (!auth_role_at_least(&r->who, ROLE_CONTRIBUTOR))
		return FAILS(403, "contributors and above answer");
	if (!json_is_object(answers) || (!json_object_size(answers) && !nfiles))
		return FAILS(400, "answers: an object of question: value");
	answer_arg_t a = {json_deep_copy(answers), evidence, files, nfiles};
	if (!a.answers)
		return FAILS(500, "out of memory");
	char det[48];
	snprintf(det, sizeof det, "%zu answers, %zu files", json_object_size(answers), nfiles);
	int rc = change(r, id, "assess.answer", det, do_answer, &a, err, errlen);
	json_decref(a.answers);
	return rc;
}

typedef struct {
	const char *q, *comment;
	int accept;
} review_arg_t;

static int do_review(http_req_t *r, store_t *st, assess_ctx_t *c, void *arg, char *err, size_t errlen)
{
	review_arg_t *a = arg;
	return assess_review(st, c, a->q, a->accept, actor(r), a->comment, err, errlen) ? 400 : 0;
}

int api_assess_review(http_req_t *r, int64_t id, const char *question, int accept,
		      const char *comment, char *err, size_t errlen)
{
	if (!may_review(r))
		return FAILS(403, "analysts and administrators review answers");
	if (!question)
		return FAILS(400, "question: missing");
	review_arg_t a = {question, comment, accept};
	return change(r, id, "assess.review", question, do_review, &a, err, errlen);
}

static int do_state(http_req_t *r, store_t *st, assess_ctx_t *c, void *arg, char *err, size_t errlen)
{
	return assess_set_state(st, c, arg, actor(r), err, errlen) ? 409 : 0;
}

int api_assess_state(http_req_t *r, int64_t id, const char *state, char *err, size_t errlen)
{
	if (!state || (strcmp(state, "submitted") && strcmp(state, "validated") && strcmp(state, "draft")))
		return FAILS(400, "state: submitted, validated or draft");
	if (!strcmp(state, "submitted") ? !auth_role_at_least(&r->who, ROLE_CONTRIBUTOR) : !may_review(r))
		return FAILS(403, "%s", !strcmp(state, "submitted") ? "contributors and above submit"
				   : "analysts and administrators validate or send back");
	return change(r, id, "assess.state", state, do_state, (void *)state, err, errlen);
}

typedef struct {
	const char *action, *state, *assignee;
} road_arg_t;

static int do_road(http_req_t *r, store_t *st, assess_ctx_t *c, void *arg, char *err, size_t errlen)
{
	road_arg_t *a = arg;
	if (!a->action)
		return assess_roadmap_make(st, c, NULL, err, errlen) ? 500 : 0;
	int rc = store_road_set(st, c->a.id, a->action, a->state, a->assignee);
	if (rc == STORE_ENOTFOUND)
		return FAILS(404, "action: no '%.64s' in this roadmap", a->action);
	store_ahist_t h = {.assessment = c->a.id};
	snprintf(h.actor, sizeof h.actor, "%s", actor(r));
	snprintf(h.what, sizeof h.what, "roadmap: %.64s %s%s%.120s", a->action, a->state,
		 a->assignee ? " -> " : "", a->assignee ? a->assignee : "");
	if (rc || store_ahist_add(st, &h))
		return FAILS(500, "%s", store_errmsg(st));
	return 0;
}

int api_assess_roadmap(http_req_t *r, int64_t id, const char *action, const char *state,
		       const char *assignee, char *err, size_t errlen)
{
	if (!may_review(r))
		return FAILS(403, "analysts and administrators keep the roadmap");
	if (action && (!state || (strcmp(state, "proposed") && strcmp(state, "accepted") &&
				  strcmp(state, "deferred") && strcmp(state, "done"))))
		return FAILS(400, "state: proposed, accepted, deferred or done");
	if (assignee && strlen(assignee) >= sizeof ((store_road_t *)0)->assignee)
		return FAILS(400, "assignee: at most 127 bytes");
	road_arg_t a = {action, state, assignee};
	return change(r, id, action ? "assess.roadmap.set" : "assess.roadmap", action ? action : "made",
		      do_road, &a, err, errlen);
}

/* ---- routes ---- */

static int fail(http_req_t *r, int status, const char *err)
{
	if (status == 400) {
		char field[72];
		snprintf(field, sizeof field, "%.*s", (int)strcspn(err, ":"), err);
		return http_error_at(r, -1, field, err);
	}
	return http_error(r, status, status == 404 ? "not_found" : status == 403 ? "forbidden"
				     : status == 409 ? "conflict" : "internal", "%s", err);
}

static int list_cb(void *arg, const store_assess_t *a)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "id",
		(json_int_t)a->id, "entity", a->entity, "period", a->period, "questionnaire", a->qn_name,
		"version", a->qn_version, "tlp", tlp_name(a->tlp), "state", a->state));
}

int api_assessments_list(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	tlp_view_t v = auth_view(&r->who);
	json_t *list = json_array();
	int rc;
	if (!st || store_assess_list(st, &v, http_query(r, "entity"), list_cb, list))
		rc = http_error(r, 500, "internal", "the store failed");
	else
		rc = http_json(r, 200, json_pack("{s:O}", "assessments", list));
	json_decref(list);
	hub_store_put(r->hub, st);
	return rc;
}

static json_t *body(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body ? r->body : "", r->len, 0, &je);
	if (!json_is_object(in)) {
		json_decref(in);
		return NULL;
	}
	return in;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

int api_assessments_post(http_req_t *r)
{
	json_t *in = body(r);
	char err[512];
	store_assess_t a;
	if (!in)
		return http_error(r, 400, "invalid", "body must be a JSON object");
	int st = api_assess_new(r, jstr(in, "entity"), jstr(in, "period"), jstr(in, "tlp"),
				jstr(in, "questionnaire"), &a, err, sizeof err);
	json_decref(in);
	if (st)
		return fail(r, st, err);
	return http_json(r, 201, json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "id", (json_int_t)a.id,
					   "entity", a.entity, "period", a.period, "questionnaire",
					   a.qn_name, "version", a.qn_version, "tlp", tlp_name(a.tlp),
					   "state", a.state));
}

/* GET /api/v1/assessments/{id}[?format=json|csv|html] */
int api_assessment_get(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	const char *format = http_query(r, "format");
	assess_ctx_t c;
	assess_result_t res;
	char err[512];
	int rc;
	if (!format)
		format = "json";
	if (strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html")) {
		hub_store_put(r->hub, st);
		return http_error_at(r, -1, "format", "json, csv or html");
	}
	if (!st) {
		return http_error(r, 500, "internal", "store unavailable");
	}
	if ((rc = api_assess_open(r, st, r->arg, 0, &c, err, sizeof err))) {
		hub_store_put(r->hub, st);
		return fail(r, rc, err);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tlp_view_t v = auth_view(&r->who);
	int bad = !f || assess_ctx_score(&c, &res);
	if (!bad) {
		bad = !strcmp(format, "csv") ? assess_export_csv(&c, &res, f)
		      : !strcmp(format, "html") ? assess_export_html(st, &c, &res, &v, f)
		      : assess_export_json(st, &c, &res, &v, f);
		assess_result_free(&res);
	}
	if (f)
		fclose(f);
	assess_ctx_free(&c);
	hub_store_put(r->hub, st);
	if (bad) {
		free(buf);
		return http_error(r, 500, "internal", "the export failed");
	}
	return http_text(r, 200, !strcmp(format, "csv") ? "text/csv; charset=utf-8"
				 : !strcmp(format, "html") ? "text/html; charset=utf-8" : "application/json",
			 buf, len);
}

/* POST /api/v1/assessments/{id}/answers|review|state|roadmap */
int api_assessment_post(http_req_t *r)
{
	char *e;
	long long id = strtoll(r->arg, &e, 10);
	const char *what = *e == '/' ? e + 1 : "";
	json_t *in = body(r);
	char err[1024];
	int st;
	if (e == r->arg || id <= 0 || !*what) {
		json_decref(in);
		return http_error(r, 404, "not_found", "no such resource");
	}
	if (!in)
		return http_error(r, 400, "invalid", "body must be a JSON object");
	if (!strcmp(what, "answers"))
		st = api_assess_answer(r, id, json_object_get(in, "answers"), jstr(in, "evidence"), err,
				       sizeof err);
	else if (!strcmp(what, "review"))
		st = api_assess_review(r, id, jstr(in, "question"), json_is_true(json_object_get(in, "accept")),
				       jstr(in, "comment"), err, sizeof err);
	else if (!strcmp(what, "state"))
		st = api_assess_state(r, id, jstr(in, "state"), err, sizeof err);
	else if (!strcmp(what, "roadmap"))
		st = api_assess_roadmap(r, id, jstr(in, "action"), jstr(in, "state"), jstr(in, "assignee"),
					err, sizeof err);
	else
		st = (snprintf(err, sizeof err, "no such resource"), 404);
	json_decref(in);
	if (st)
		return fail(r, st, err);
	return http_json(r, 200, json_pack("{s:b}", "ok", 1));
}

/* POST /api/v1/questionnaires[?file=NAME]: the body is a questionnaire file,
 * loaded as `c5hub assess questionnaire load` does (a new version); the
 * hub's team only (analysts and administrators of its organisation).  A
 * bad file: 400 with every error, each with the file and its JSON path, as
 * the CLI gives them; nothing stored. */
int api_questionnaires_post(http_req_t *r)
{
	char err[8192], file[65] = "questionnaire.json";
	const char *fq = http_query(r, "file");
	store_qn_t q;
	if (!r->who.hub_member)
		return http_error(r, 403, "forbidden", "only the hub's team (analysts and administrators) loads questionnaires");
	if (fq && *fq) {
		size_t k = 0;
		for (; fq[k] && k + 1 < sizeof file; k++)
			file[k] = (char)((unsigned char)fq[k] > 32 && (unsigned char)fq[k] < 127 ? fq[k] : '_');
		file[k] = '\0';
	}
	if (!r->len)
		return http_error_at(r, -1, "body", "body: a questionnaire (JSON)");
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return http_error(r, 500, "internal", "store unavailable");
	int rc = store_begin(st);
	if (!rc)
		rc = assess_qn_load(st, r->body, r->len, file, &q, err, sizeof err);
	else
		snprintf(err, sizeof err, "%s", store_errmsg(st));
	if (!rc) {
		char obj[96], det[32];
		snprintf(obj, sizeof obj, "questionnaire %s", q.name);
		snprintf(det, sizeof det, "version %d", q.version);
		if (http_audit(r, st, "assess.questionnaire", obj, det) || store_commit(st)) {
			snprintf(err, sizeof err, "%s", store_errmsg(st));
			rc = 500;
		}
	}
	hub_store_put(r->hub, st); /* rolls back what did not commit */
	if (rc == STORE_EEXISTS)
		return http_error(r, 409, "conflict", "%s", err);
	if (rc == -1 && !strncmp(err, file, strlen(file))) { /* every error, one a line: "FILE: $.PATH: reason" */
		json_t *all = json_array();
		for (char *line = err, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			const char *at = strncmp(line, file, strlen(file)) ? line : line + strlen(file);
			at += strspn(at, ": ");
			json_array_append_new(all, json_pack("{s:s%, s:s}", "field", at, strcspn(at, ":"), "message", line));
		}
		json_t *first = json_array_get(all, 0);
		json_t *e = json_pack("{s:s, s:O, s:O, s:o}", "code", "invalid", "message",
				      first ? json_object_get(first, "message") : json_string("invalid"),
				      "field", first ? json_object_get(first, "field") : json_string("body"), "errors", all);
		return http_json(r, 400, json_pack("{s:o}", "error", e));
	}
	if (rc)
		return http_error(r, 500, "internal", "%s", err);
	return http_json(r, 201, json_pack("{s:s, s:i}", "name", q.name, "version", q.version));
}
