/* web_assess.c — the console's self-assessment pages: the list (and a form
 * to start one), answer (one pillar at a time, progress shown; a small
 * script in c5.js saves as one goes, the Save button does without it),
 * review (reviewers accept or reject each answer, then validate or send
 * back), results (a radar chart of the pillars, bars per indicator, the
 * trend over periods; the tables are the charts' data) and the roadmap.
 * Every change goes through api_assess.h, the API's own cores; what the
 * person may not see answers 404, like an unknown one. */
#include "web/web_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/evidence.h"
#include "http/api_assess.h"
#include "web/form.h"

/* A score written with two decimals (the charts read the tables). */
static json_t *num2(double v)
{
	return json_sprintf("%.2f", v);
}

/* ---- the list ---- */

static int list_cb(void *arg, const store_assess_t *a)
{
	return json_array_append_new(arg, json_pack("{s:I, s:o, s:o, s:s, s:i, s:s, s:s}", "id", (json_int_t)a->id,
		"entity", web_str(a->entity), "period", web_str(a->period), "questionnaire", a->qn_name, "version",
		a->qn_version, "tlp", tlp_name(a->tlp), "state", a->state));
}

static int list_page(http_req_t *r, const people_user_t *me, int status, const char *error)
{
	store_t *st = hub_store_get(r->hub);
	tlp_view_t v = auth_view(&r->who);
	json_t *rows = json_array();
	if (!st || store_assess_list(st, &v, NULL, list_cb, rows)) {
		hub_store_put(r->hub, st);
		json_decref(rows);
		return web_error(r, 500, me, N_("The store is not available."));
	}
	hub_store_put(r->hub, st);
	json_t *ctx = json_pack("{s:o, s:b, s:o, s:o}", "assessments", rows, "contributor",
				auth_role_at_least(&r->who, ROLE_CONTRIBUTOR), "entity",
				web_field_json(r, "entity", 128), "period", web_field_json(r, "period", 32));
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page_t p = {.tpl = "assess_list", .title = N_("Self-assessment"), .nav = "assess", .u = me, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_assess_list(http_req_t *r)
{
	people_user_t me;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return list_page(r, &me, 200, NULL);
}

int web_assess_new(http_req_t *r)
{
	people_user_t me;
	char entity[130], period[34], tlp[16], err[512], to[64];
	store_assess_t a;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (web_field(r, "entity", entity, sizeof entity) != 1 || web_field(r, "period", period, sizeof period) != 1)
		return list_page(r, &me, 400, web_t(r, N_("Entity and period: both are needed.")));
	if (web_field(r, "tlp", tlp, sizeof tlp) != 1)
		snprintf(tlp, sizeof tlp, "amber");
	int rc = api_assess_new(r, entity, period, tlp, NULL, &a, err, sizeof err);
	if (rc == 403)
		return web_error(r, 403, &me, N_("Contributors and above start assessments."));
	if (rc) {
		char msg[700];
		snprintf(msg, sizeof msg, "%s %s", web_t(r, N_("Not started:")), err);
		return list_page(r, &me, rc, msg);
	}
	snprintf(to, sizeof to, "/console/assess/%lld", (long long)a.id);
	return web_redirect(r, to);
}

/* ---- one assessment ---- */

/* "12/review" -> 12 and "review"; "12" -> 12 and "". */
static long long split(const char *arg, const char **what)
{
	char *e;
	long long id = strtoll(arg, &e, 10);
	if (e == arg || id <= 0 || (*e && *e != '/'))
		return -1;
	*what = *e ? e + 1 : "";
	return id;
}

static json_t *opts_json(http_req_t *r, const assess_q_t *q, const char *val)
{
	json_t *a = json_array();
	if (q->type == AQ_YESNO || q->type == AQ_YPN) {
		static const char *const v[] = {"yes", "partial", "no"};
		static const char *const l[] = {N_("Yes"), N_("Partly"), N_("No")};
		for (int i = 0; i < 3; i++)
			if (i != 1 || q->type == AQ_YPN)
				json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", v[i], "label", web_t(r, l[i]),
								   "checked", val && !strcmp(val, v[i])));
		return a;
	}
	for (size_t k = 0; k < q->nopts; k++) {
		int on = 0;
		if (val) { /* one of a comma-separated list */
			size_t n = strlen(q->opts[k].value);
			for (const char *s = val; *s;) {
				const char *c = strchr(s, ',');
				size_t len = c ? (size_t)(c - s) : strlen(s);
				on |= len == n && !strncmp(s, q->opts[k].value, n);
				if (!c)
					break;
				s = c + 1;
			}
		}
		json_array_append_new(a, json_pack("{s:s, s:o, s:b}", "value", q->opts[k].value, "label",
						   web_str(q->opts[k].label ? q->opts[k].label : q->opts[k].value), "checked", on));
	}
	return a;
}

/* The context every assessment page shares, and the pillars as tabs. */
static json_t *base_ctx(http_req_t *r, const assess_ctx_t *c, const assess_result_t *res, const char *pillar)
{
	json_t *tabs = json_array();
	for (size_t p = 0; p < c->qn->np; p++) {
		int rel = 0, ans = 0;
		for (size_t k = c->qn->p[p].first_ind; k < c->qn->p[p].first_ind + c->qn->p[p].nind; k++)
			rel += res->ind[k].relevant, ans += res->ind[k].answered;
		json_array_append_new(tabs, json_pack("{s:s, s:o, s:i, s:i, s:b, s:o}", "pid", c->qn->p[p].id, "title",
			web_str(c->qn->p[p].title), "answered", ans, "relevant", rel, "current",
			pillar && !strcmp(pillar, c->qn->p[p].id), "score", num2(res->pillar[p])));
	}
	int mine = c->a.org_id == r->who.org_id || r->who.hub_member;
	return json_pack("{s:I, s:o, s:o, s:s, s:i, s:s, s:s, s:o, s:i, s:i, s:o, s:s, s:b, s:b, s:b}", "id",
		(json_int_t)c->a.id, "entity", web_str(c->a.entity), "period", web_str(c->a.period), "questionnaire",
		c->qn->name, "version", c->qn->version, "tlp", tlp_name(c->a.tlp), "state", c->a.state, "pillars", tabs,
		"answered", res->answered, "relevant", res->relevant, "total", num2(res->total), "tier",
		res->tier < c->qn->ntiers ? c->qn->tiers[res->tier].name : "",
		"may_answer", mine && auth_role_at_least(&r->who, ROLE_CONTRIBUTOR) && !strcmp(c->a.state, "draft"),
		"may_review", mine && auth_role_at_least(&r->who, ROLE_ANALYST) && !strcmp(c->a.state, "submitted"),
		"reviewer", mine && auth_role_at_least(&r->who, ROLE_ANALYST));
}

/* The evidence files of an answer that r may see: [{ev, name, sha256,
 * size}] (each a link to its download). */
static json_t *files_json(http_req_t *r, store_t *st, const char *list)
{
	json_t *a = json_array();
	tlp_view_t v = auth_view(&r->who);
	for (const char *p = list; st && p && *p;) {
		char *e;
		long long id = strtoll(p, &e, 10);
		store_evidence_t x;
		if (id > 0 && !store_evidence_get(st, id, &x, NULL) && tlp_visible(&v, x.tlp, x.org_id, 0))
			json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:I}", "ev", (json_int_t)id, "name",
							   web_str(x.name), "sha256", x.sha256, "size", (json_int_t)x.size));
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return a;
}

/* The questions of pillar p (relevant ones; with their answers). */
static json_t *questions(http_req_t *r, store_t *st, const assess_ctx_t *c, const assess_result_t *res, size_t p,
			 int all)
{
	json_t *inds = json_array();
	const assess_qn_t *qn = c->qn;
	for (size_t k = all ? 0 : qn->p[p].first_ind; k < (all ? qn->nind : qn->p[p].first_ind + qn->p[p].nind); k++) {
		json_t *qs = json_array();
		for (size_t i = qn->ind[k].first_q; i < qn->ind[k].first_q + qn->ind[k].nq; i++) {
			const assess_q_t *q = &qn->q[i];
			const store_answer_t *a = c->ans[i];
			if (!res->q[i].relevant || (all && !a))
				continue;
			const char *kind = q->type == AQ_MULTI ? "checkbox"
					   : q->type == AQ_NUMBER || q->type == AQ_PERCENT ? "number"
					   : q->type == AQ_DATE ? "date" : q->type == AQ_TEXT ? "text" : "radio";
			json_t *j = json_pack("{s:s, s:o, s:b, s:b, s:b, s:b, s:b, s:o, s:o, s:b, s:s, s:b}", "qid", q->id,
				"text", web_str(q->text), "radio", !strcmp(kind, "radio"), "checkbox", !strcmp(kind, "checkbox"),
				"number", !strcmp(kind, "number"), "date", !strcmp(kind, "date"), "textarea",
				!strcmp(kind, "text"), "options", opts_json(r, q, c->vals[i]), "value",
				web_str(c->vals[i] ? c->vals[i] : ""), "evidence_required", q->evidence, "max",
				q->type == AQ_PERCENT ? "100" : "", "answered", a != NULL);
			if (j && a)
				json_object_update_new(j, json_pack("{s:o, s:o, s:o, s:s, s:o, s:o, s:b, s:b}", "by",
					web_str(a->by), "evidence", web_str(a->evidence), "source", web_str(a->source),
					"review", a->review, "comment", web_str(a->comment), "reviewer_name",
					web_str(a->reviewer), "rejected", !strcmp(a->review, "rejected"), "pending",
					!strcmp(a->review, "pending")));
			if (j && a && a->evidence[0])
				json_object_set_new(j, "files", files_json(r, st, a->evidence));
			json_array_append_new(qs, j);
		}
		if (json_array_size(qs))
			json_array_append_new(inds, json_pack("{s:s, s:o, s:o}", "ind", qn->ind[k].id, "title",
							      web_str(qn->ind[k].title), "questions", qs));
		else
			json_decref(qs);
	}
	return inds;
}

static int road_cb(void *arg, const store_road_t *it)
{
	return json_array_append_new(arg, json_pack("{s:i, s:s, s:o, s:o, s:s, s:o, s:b, s:b, s:b, s:b}", "rank",
		it->rank, "action", it->action, "priority", num2(it->priority), "why", web_str(it->why), "state", it->state,
		"assignee", web_str(it->assignee), "proposed", !strcmp(it->state, "proposed"), "accepted",
		!strcmp(it->state, "accepted"), "deferred", !strcmp(it->state, "deferred"), "done",
		!strcmp(it->state, "done")));
}

typedef struct {
	store_t *st;
	json_t *rows;
} trend_t;

static int trend_cb(void *arg, const store_assess_t *a)
{
	trend_t *t = arg;
	assess_ctx_t c;
	assess_result_t res;
	char err[256];
	tlp_view_t all = TLP_VIEW_ALL; /* listed under the person's view already */
	if (assess_ctx_open(t->st, a->id, &all, &c, err, sizeof err))
		return 0;
	if (!assess_ctx_score(&c, &res)) {
		json_array_append_new(t->rows, json_pack("{s:o, s:o, s:s}", "period", web_str(a->period), "total",
							 num2(res.total), "state", a->state));
		assess_result_free(&res);
	}
	assess_ctx_free(&c);
	return 0;
}

/* The page `what` ("" answer, review, results, roadmap) of r->arg's
 * assessment; error (translated) shown at its top. */
static int one_page(http_req_t *r, const people_user_t *me, int status, const char *error, const char *pillar)
{
	const char *what = "";
	long long id = split(r->arg, &what);
	char ids[24], err[512];
	assess_ctx_t c;
	assess_result_t res;
	if (id < 0 || (strcmp(what, "") && strcmp(what, "review") && strcmp(what, "results") && strcmp(what, "roadmap")))
		return web_error(r, 404, me, N_("No such assessment."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, me, N_("The store is not available."));
	snprintf(ids, sizeof ids, "%lld", id);
	int rc = api_assess_open(r, st, ids, 0, &c, err, sizeof err);
	if (rc) {
		hub_store_put(r->hub, st);
		return web_error(r, rc == 404 ? 404 : 500, me, rc == 404 ? N_("No such assessment.")
							      : N_("The store is not available."));
	}
	if (assess_ctx_score(&c, &res)) {
		assess_ctx_free(&c);
		hub_store_put(r->hub, st);
		return web_error(r, 500, me, N_("The store is not available."));
	}
	if (!pillar)
		pillar = http_query(r, "pillar");
	size_t p = 0;
	for (size_t k = 0; pillar && k < c.qn->np; k++)
		if (!strcmp(c.qn->p[k].id, pillar))
			p = k;
	pillar = c.qn->p[p].id;
	json_t *ctx = base_ctx(r, &c, &res, pillar);
	const char *tpl = "assess_answer", *title = N_("Answer");
	int chart = 0;
	if (!*what) {
		json_object_set_new(ctx, "indicators", questions(r, st, &c, &res, p, 0));
		json_object_set_new(ctx, "pillar", json_string(pillar));
		json_object_set_new(ctx, "pillar_title", web_str(c.qn->p[p].title));
		if (p + 1 < c.qn->np)
			json_object_set_new(ctx, "next", json_string(c.qn->p[p + 1].id));
	} else if (!strcmp(what, "review")) {
		tpl = "assess_review", title = N_("Review");
		json_object_set_new(ctx, "indicators", questions(r, st, &c, &res, 0, 1));
	} else if (!strcmp(what, "results")) {
		tpl = "assess_results", title = N_("Results"), chart = 1;
		json_t *inds = json_array();
		for (size_t k = 0; k < c.qn->nind; k++)
			json_array_append_new(inds, json_pack("{s:s, s:o, s:o, s:s}", "id", c.qn->ind[k].id, "title",
				web_str(c.qn->ind[k].title), "score", res.ind[k].score >= 0 ? num2(res.ind[k].score)
				: json_null(), "stage", res.ind[k].stage >= 0 ? web_t(r, assess_stage_name(res.ind[k].stage)) : "-"));
		json_object_set_new(ctx, "indicators", inds);
		tlp_view_t v = auth_view(&r->who);
		/* what moved since the previous period (a pillar matched by id) */
		int64_t pid = assess_previous(st, &c, &v);
		assess_ctx_t pc;
		assess_result_t pr;
		if (pid && !assess_ctx_open(st, pid, &v, &pc, err, sizeof err)) {
			if (!assess_ctx_score(&pc, &pr)) {
				size_t i;
				json_t *pj;
				json_array_foreach(json_object_get(ctx, "pillars"), i, pj)
					for (size_t k = 0; k < pc.qn->np; k++)
						if (!strcmp(pc.qn->p[k].id, c.qn->p[i].id))
							json_object_set_new(pj, "moved", json_sprintf("%+.2f", res.pillar[i] - pr.pillar[k]));
				json_object_set_new(ctx, "previous_period", web_str(pc.a.period));
				json_object_set_new(ctx, "previous_total", num2(pr.total));
				assess_result_free(&pr);
			}
			assess_ctx_free(&pc);
		}
		trend_t t = {st, json_array()};
		store_assess_list(st, &v, c.a.entity, trend_cb, &t);
		json_object_set_new(ctx, "trend", t.rows);
		assess_rank_t *rk;
		size_t nr;
		char method[512] = "";
		json_t *ranks = json_array();
		if (!assess_ranking(st, &c, &v, 1000, &rk, &nr, method, sizeof method, err, sizeof err)) {
			for (size_t k = 0; k < nr; k++) {
				json_t *j = json_pack("{s:I, s:o, s:s, s:o, s:I, s:s, s:b}", "aid", (json_int_t)rk[k].id,
					"name", web_str(rk[k].entity), "astate", rk[k].state, "score", num2(100 * rk[k].score),
					"rank", (json_int_t)rk[k].rank, "driver", rk[k].driver, "me", rk[k].id == c.a.id);
				if (j && rk[k].median)
					json_object_update_new(j, json_pack("{s:I, s:I, s:I}", "median", (json_int_t)rk[k].median,
						"p05", (json_int_t)rk[k].p05, "p95", (json_int_t)rk[k].p95));
				json_array_append_new(ranks, j);
			}
			free(rk);
			json_object_set_new(ctx, "method", json_string(method));
		}
		json_object_set_new(ctx, "ranking", ranks);
	} else {
		tpl = "assess_roadmap", title = N_("Roadmap");
		json_t *items = json_array(), *prev = json_array();
		assess_rules_t *rs = NULL;
		store_road_list(st, c.a.id, road_cb, items);
		if (!assess_rules_parse(data_assess_roadmap_json, strlen(data_assess_roadmap_json), "roadmap.json", &rs,
					err, sizeof err)) {
			size_t i;
			json_t *it;
			json_array_foreach(items, i, it) {
				const char *aid = json_string_value(json_object_get(it, "action"));
				for (size_t k = 0; k < rs->na; k++)
					if (!strcmp(rs->a[k].id, aid))
						json_object_update_new(it, json_pack("{s:s, s:s, s:s, s:s}", "text",
							rs->a[k].action, "area", rs->a[k].area, "owner", rs->a[k].owner,
							"horizon", rs->a[k].horizon));
			}
			assess_rules_free(rs);
		}
		tlp_view_t v = auth_view(&r->who);
		int64_t pid = assess_previous(st, &c, &v);
		if (pid) {
			store_road_list(st, pid, road_cb, prev);
			json_object_set_new(ctx, "previous_id", json_integer(pid));
		}
		json_object_set_new(ctx, "items", items);
		json_object_set_new(ctx, "previous", prev);
	}
	hub_store_put(r->hub, st);
	assess_result_free(&res);
	assess_ctx_free(&c);
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page_t pg = {.tpl = tpl, .title = title, .nav = "assess", .u = me, .sid = r->sid, .chart = chart};
	return web_page(r, status, &pg, ctx);
}

/* Does the comma-separated list name id? */
static int lists(const char *list, long long id)
{
	for (const char *p = list; p && *p;) {
		char *e;
		if (strtoll(p, &e, 10) == id && (*e == ',' || !*e))
			return 1;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* An evidence file named by one of the assessment's answers, to whoever
 * may see the assessment and the file: always a download of a fixed type
 * (its bytes checked against their SHA-256, the step in its custody). */
static int evidence_file(http_req_t *r, const people_user_t *me, long long id, const char *evs)
{
	char ids[24], err[512], cd[320], name[256];
	char *e;
	long long ev = strtoll(evs, &e, 10);
	assess_ctx_t c;
	store_evidence_t x;
	void *data = NULL;
	int found = 0;
	if (e == evs || *e || ev <= 0)
		return web_error(r, 404, me, N_("No such file."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, me, N_("The store is not available."));
	snprintf(ids, sizeof ids, "%lld", id);
	if (api_assess_open(r, st, ids, 0, &c, err, sizeof err)) {
		hub_store_put(r->hub, st);
		return web_error(r, 404, me, N_("No such file."));
	}
	for (size_t i = 0; i < c.qn->nq && !found; i++)
		found = c.ans[i] && lists(c.ans[i]->evidence, ev);
	assess_ctx_free(&c);
	tlp_view_t v = auth_view(&r->who);
	char to[96];
	snprintf(to, sizeof to, "download by %.40s (assessment %lld)", r->who.cred, id);
	int rc = !found ? STORE_ENOTFOUND : store_begin(st) ? -1
		 : evidence_give(st, ev, r->who.cred, to, &x, &data, err, sizeof err);
	if (!rc && !tlp_visible(&v, x.tlp, x.org_id, 0))
		rc = STORE_ENOTFOUND;
	if (!rc && store_commit(st))
		rc = -1;
	hub_store_put(r->hub, st); /* rolls back what did not commit */
	if (rc) {
		free(data);
		return web_error(r, rc == STORE_ENOTFOUND ? 404 : 500, me,
				 rc == STORE_ENOTFOUND ? N_("No such file.") : N_("The file could not be read."));
	}
	/* the name as sent, reduced to [A-Za-z0-9._-] for the header */
	size_t k = 0;
	for (const char *p = x.name; *p && k + 1 < sizeof name; p++)
		name[k++] = (isalnum((unsigned char)*p) || *p == '.' || *p == '-') && (unsigned char)*p < 128 ? *p : '_';
	name[k] = '\0';
	snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", k && name[0] != '.' ? name : "evidence");
	http_header(r, "Content-Disposition", cd);
	http_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
	http_header(r, "Cache-Control", "private, no-store");
	http_header(r, "X-Evidence-SHA256", x.sha256);
	return http_text(r, 200, "application/octet-stream", data, (size_t)x.size);
}

int web_assess(http_req_t *r)
{
	people_user_t me;
	const char *what;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	long long id = split(r->arg, &what);
	if (id > 0 && !strncmp(what, "evidence/", 9))
		return evidence_file(r, &me, id, what + 9);
	if (id > 0 && !strcmp(what, "export")) { /* the API's export, under the person's view */
		char ids[24];
		const char *keep = r->arg;
		snprintf(ids, sizeof ids, "%lld", id);
		r->arg = ids;
		int rc = api_assessment_get(r);
		r->arg = keep;
		return rc;
	}
	return one_page(r, &me, 200, NULL, NULL);
}

/* The answers of pillar p sent by the form, as {question: value}. */
static json_t *form_answers(http_req_t *r, const assess_qn_t *qn, size_t p)
{
	json_t *o = json_object();
	char name[ASSESS_ID_MAX * 2 + 8], *val = malloc(ASSESS_VALUE_MAX + 1);
	if (!val)
		return o;
	for (size_t k = qn->p[p].first_ind; k < qn->p[p].first_ind + qn->p[p].nind; k++)
		for (size_t i = qn->ind[k].first_q; i < qn->ind[k].first_q + qn->ind[k].nq; i++) {
			const assess_q_t *q = &qn->q[i];
			if (q->type == AQ_MULTI) {
				char list[ASSESS_VALUE_MAX + 1] = "", on[4];
				int any = 0;
				for (size_t j = 0; j < q->nopts; j++) {
					snprintf(name, sizeof name, "q_%s__%s", q->id, q->opts[j].value);
					if (web_field(r, name, on, sizeof on) == 1 && strlen(list) + strlen(q->opts[j].value) + 2 < sizeof list) {
						if (list[0])
							strcat(list, ",");
						strcat(list, q->opts[j].value);
					}
				}
				snprintf(name, sizeof name, "seen_%s", q->id);
				any = web_field(r, name, on, sizeof on) == 1;
				char ev[256];
				snprintf(name, sizeof name, "ev_%s", q->id);
				if (any && list[0] && q->evidence && web_field(r, name, ev, sizeof ev) == 1 && ev[0])
					json_object_set_new(o, q->id, json_pack("{s:s, s:s}", "value", list, "evidence", ev));
				else if (any && list[0])
					json_object_set_new(o, q->id, json_string(list));
				continue;
			}
			snprintf(name, sizeof name, "q_%s", q->id);
			if (web_field(r, name, val, ASSESS_VALUE_MAX + 1) != 1 || !val[0])
				continue;
			char ev[256];
			snprintf(name, sizeof name, "ev_%s", q->id);
			if (q->evidence && web_field(r, name, ev, sizeof ev) == 1 && ev[0])
				json_object_set_new(o, q->id, json_pack("{s:s, s:s}", "value", val, "evidence", ev));
			else
				json_object_set_new(o, q->id, json_string(val));
		}
	free(val);
	return o;
}

/* The files sent with pillar p's answers (file_QID, for the questions
 * asking for evidence), borrowed from the request's body.  0, or 400 (a
 * malformed body). */
typedef struct {
	api_assess_file_t *f;
	struct {
		char name[256], qid[ASSESS_ID_MAX + 1]; /* outlive the questionnaire */
	} *names;
	size_t n;
} upload_t;

static int form_files(http_req_t *r, const assess_qn_t *qn, size_t p, upload_t *u)
{
	char name[ASSESS_ID_MAX + 8];
	memset(u, 0, sizeof *u);
	size_t max = 0;
	for (size_t k = qn->p[p].first_ind; k < qn->p[p].first_ind + qn->p[p].nind; k++)
		max += qn->ind[k].nq;
	if (!max || !(u->f = calloc(max, sizeof *u->f)) || !(u->names = calloc(max, sizeof *u->names)))
		return max ? 500 : 0;
	for (size_t k = qn->p[p].first_ind; k < qn->p[p].first_ind + qn->p[p].nind; k++)
		for (size_t i = qn->ind[k].first_q; i < qn->ind[k].first_q + qn->ind[k].nq; i++) {
			const char *d;
			size_t n;
			if (!qn->q[i].evidence)
				continue;
			snprintf(name, sizeof name, "file_%s", qn->q[i].id);
			int rc = web_part(r, name, &d, &n, u->names[u->n].name, sizeof u->names[u->n].name);
			if (rc < 0)
				return 400;
			if (rc == 1 && n > 0) {
				snprintf(u->names[u->n].qid, sizeof u->names[u->n].qid, "%s", qn->q[i].id);
				u->f[u->n] = (api_assess_file_t){u->names[u->n].qid, u->names[u->n].name, d, n};
				u->n++;
			}
		}
	return 0;
}

int web_assess_post(http_req_t *r)
{
	people_user_t me;
	const char *what;
	char action[16], err[1024], msg[1200], to[96], pillar[ASSESS_ID_MAX + 1] = "", q[ASSESS_ID_MAX + 1], comment[512], state[16], who[128];
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	long long id = split(r->arg, &what);
	if (id < 0 || *what)
		return web_error(r, 404, &me, N_("No such assessment."));
	if (web_field(r, "action", action, sizeof action) != 1)
		action[0] = '\0';
	int rc = 0;
	const char *page = "";
	if (!strcmp(action, "save") || !strcmp(action, "submit")) {
		web_field(r, "pillar", pillar, sizeof pillar);
		store_t *st = hub_store_get(r->hub);
		assess_ctx_t c;
		char ids[24];
		snprintf(ids, sizeof ids, "%lld", id);
		if (!st)
			return web_error(r, 500, &me, N_("The store is not available."));
		rc = api_assess_open(r, st, ids, 0, &c, err, sizeof err);
		hub_store_put(r->hub, st);
		if (rc == 404)
			return web_error(r, 404, &me, N_("No such assessment."));
		if (rc)
			return web_error(r, 500, &me, N_("The store is not available."));
		size_t p = 0;
		for (size_t k = 0; k < c.qn->np; k++)
			if (!strcmp(c.qn->p[k].id, pillar))
				p = k;
		json_t *ans = form_answers(r, c.qn, p);
		upload_t up;
		rc = form_files(r, c.qn, p, &up);
		assess_ctx_free(&c);
		if (rc)
			snprintf(err, sizeof err, "%s", web_t(r, N_("the form's files could not be read")));
		else if (json_object_size(ans) || up.n)
			rc = api_assess_answer_files(r, id, ans, NULL, up.f, up.n, err, sizeof err);
		free(up.f);
		free(up.names);
		json_decref(ans);
		if (!rc && !strcmp(action, "submit"))
			rc = api_assess_state(r, id, "submitted", err, sizeof err);
		snprintf(to, sizeof to, "/console/assess/%lld?pillar=%s", id, pillar);
		if (!rc && !strcmp(action, "submit"))
			snprintf(to, sizeof to, "/console/assess/%lld/review", id);
	} else if (!strcmp(action, "accept") || !strcmp(action, "reject")) {
		page = "review";
		if (web_field(r, "question", q, sizeof q) != 1)
			q[0] = '\0';
		if (web_field(r, "comment", comment, sizeof comment) != 1)
			comment[0] = '\0';
		rc = api_assess_review(r, id, q, !strcmp(action, "accept"), comment, err, sizeof err);
		snprintf(to, sizeof to, "/console/assess/%lld/review#%s", id, q);
	} else if (!strcmp(action, "validate") || !strcmp(action, "reopen")) {
		page = "review";
		rc = api_assess_state(r, id, !strcmp(action, "validate") ? "validated" : "draft", err, sizeof err);
		snprintf(to, sizeof to, "/console/assess/%lld%s", id, !strcmp(action, "validate") ? "/results" : "");
	} else if (!strcmp(action, "roadmap") || !strcmp(action, "item")) {
		page = "roadmap";
		int item = !strcmp(action, "item");
		if (item && (web_field(r, "item", q, sizeof q) != 1 || web_field(r, "state", state, sizeof state) != 1))
			q[0] = state[0] = '\0';
		int has_who = item && web_field(r, "assignee", who, sizeof who) == 1;
		rc = api_assess_roadmap(r, id, item ? q : NULL, item ? state : NULL, has_who ? who : NULL, err, sizeof err);
		snprintf(to, sizeof to, "/console/assess/%lld/roadmap", id);
	} else {
		return web_error(r, 400, &me, N_("Unknown action."));
	}
	if (rc == 404)
		return web_error(r, 404, &me, N_("No such assessment."));
	if (rc == 403)
		return web_error(r, 403, &me, N_("Your role or organisation may not do this here."));
	if (rc == 500)
		return web_error(r, 500, &me, N_("The store is not available."));
	if (rc) { /* the page again, with what was wrong; nothing changed */
		char arg[48];
		const char *keep = r->arg;
		snprintf(msg, sizeof msg, "%s %s", web_t(r, N_("Nothing was changed:")), err);
		snprintf(arg, sizeof arg, "%lld%s%s", id, *page ? "/" : "", page);
		r->arg = arg;
		int x = one_page(r, &me, rc == 409 ? 409 : 400, msg, pillar[0] ? pillar : NULL);
		r->arg = keep;
		return x;
	}
	return web_redirect(r, to);
}
