/* assess_run.c — an assessment's life over the store (see assess_run.h). */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess_run.h"
#include "case/case.h"
#include "cindex/cindex.h"
#include "evidence/evidence.h"

#define FAIL(...) (snprintf(err, errlen, __VA_ARGS__), -1)

int assess_qn_load(store_t *st, const char *text, size_t len, const char *file, store_qn_t *out,
		   char *err, size_t errlen)
{
	assess_qn_t *qn;
	memset(out, 0, sizeof *out);
	if (assess_qn_parse(text, len, file, &qn, err, errlen))
		return -1;
	snprintf(out->name, sizeof out->name, "%s", qn->name);
	out->version = qn->version;
	assess_qn_free(qn);
	char *copy = strndup(text, len);
	if (!copy)
		return FAIL("out of memory");
	out->json = copy;
	int rc = store_qn_put(st, out);
	free(copy);
	out->json = NULL;
	if (rc == STORE_EEXISTS)
		snprintf(err, errlen, "%s: questionnaire %s version %d is loaded already (give it a new "
			 "version)", file, out->name, out->version);
	else if (rc)
		snprintf(err, errlen, "%s", store_errmsg(st));
	return rc;
}

void assess_ctx_free(assess_ctx_t *c)
{
	if (c->qn) {
		for (size_t i = 0; i < c->qn->nq; i++) {
			free(c->vals ? c->vals[i] : NULL);
			free(c->ans ? c->ans[i] : NULL);
		}
	}
	free(c->vals);
	free(c->ans);
	assess_qn_free(c->qn);
	memset(c, 0, sizeof *c);
}

static int ans_cb(void *arg, const store_answer_t *a)
{
	assess_ctx_t *c = arg;
	long i = assess_q_find(c->qn, a->question);
	if (i < 0) /* an answer to no question of this version: ignored */
		return 0;
	free(c->vals[i]);
	free(c->ans[i]);
	c->vals[i] = strdup(a->value);
	c->ans[i] = malloc(sizeof *a);
	if (!c->vals[i] || !c->ans[i])
		return 1;
	memcpy(c->ans[i], a, sizeof *a);
	return 0;
}

int assess_ctx_open(store_t *st, int64_t id, const tlp_view_t *view, assess_ctx_t *c, char *err,
		    size_t errlen)
{
	store_qn_t q;
	int rc;
	memset(c, 0, sizeof *c);
	if ((rc = store_assess_get(st, id, &c->a)) || !tlp_visible(view, c->a.tlp, c->a.org_id, 0)) {
		snprintf(err, errlen, "no assessment %lld", (long long)id);
		return rc && rc != STORE_ENOTFOUND ? rc : STORE_ENOTFOUND;
	}
	if ((rc = store_qn_get(st, c->a.qn_id, NULL, 0, &q)))
		return FAIL("%s", store_errmsg(st));
	rc = assess_qn_parse(q.json, strlen(q.json), q.name, &c->qn, err, errlen);
	free(q.json);
	if (rc)
		return -1;
	c->view = *view;
	c->vals = calloc(c->qn->nq + 1, sizeof *c->vals);
	c->ans = calloc(c->qn->nq + 1, sizeof *c->ans);
	if (!c->vals || !c->ans || store_answer_list(st, id, ans_cb, c)) {
		snprintf(err, errlen, "answers: %s", c->vals && c->ans ? store_errmsg(st) : "out of memory");
		assess_ctx_free(c);
		return -1;
	}
	return 0;
}

static int history(store_t *st, int64_t id, const char *actor, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int history(store_t *st, int64_t id, const char *actor, const char *fmt, ...)
{
	store_ahist_t h = {.assessment = id};
	va_list ap;
	snprintf(h.actor, sizeof h.actor, "%s", actor);
	va_start(ap, fmt);
	vsnprintf(h.what, sizeof h.what, fmt, ap);
	va_end(ap);
	return store_ahist_add(st, &h);
}

int assess_new(store_t *st, const char *entity, int64_t org, const char *qn_name, int version,
	       const char *period, tlp_t tlp, const char *actor, store_assess_t *out, char *err,
	       size_t errlen)
{
	store_qn_t q;
	memset(out, 0, sizeof *out);
	if (!model_name_ok(entity))
		return FAIL("entity: 1..128 printable characters");
	if (!period[0] || strlen(period) >= sizeof out->period || !model_name_ok(period))
		return FAIL("period: 1..32 printable characters (\"2026\", \"2026-H1\")");
	if (store_qn_get(st, 0, qn_name, version, &q))
		return FAIL("no questionnaire '%s'%s (load one with assess questionnaire load)", qn_name,
			    version ? " of that version" : "");
	free(q.json);
	snprintf(out->entity, sizeof out->entity, "%s", entity);
	snprintf(out->period, sizeof out->period, "%s", period);
	out->org_id = org;
	out->qn_id = q.id;
	out->tlp = tlp;
	if (store_assess_add(st, out) ||
	    history(st, out->id, actor, "started (%s version %d, TLP:%s)", q.name, q.version, tlp_name(tlp)))
		return FAIL("%s", store_errmsg(st));
	snprintf(out->qn_name, sizeof out->qn_name, "%s", q.name);
	out->qn_version = q.version;
	return 0;
}

/* Every id of list (comma-separated) names evidence held. */
static int evidence_ok(store_t *st, const char *list, const tlp_view_t *view, char *err, size_t errlen)
{
	for (const char *s = list; *s;) {
		char *e;
		long long id = strtoll(s, &e, 10);
		store_evidence_t ev;
		if (e == s || id <= 0 || (*e && *e != ','))
			return FAIL("evidence: '%s' is not a list of evidence ids", list);
		if (store_evidence_get(st, id, &ev, NULL) || !tlp_visible(view, ev.tlp, ev.org_id, 0))
			return FAIL("evidence: no evidence %lld (add files with c5hub evidence add)", id);
		s = *e ? e + 1 : e;
	}
	return 0;
}

int assess_answer(store_t *st, assess_ctx_t *c, const char *qid, const char *value,
		  const char *evidence, const char *actor, const char *source, char *err,
		  size_t errlen)
{
	long i = assess_q_find(c->qn, qid);
	store_answer_t *a;
	if (i < 0)
		return FAIL("no question '%.64s' in %s version %d", qid, c->qn->name, c->qn->version);
	if (strcmp(c->a.state, "draft"))
		return FAIL("assessment %lld is %s: answers change only in a draft", (long long)c->a.id,
			    c->a.state);
	if (assess_answer_check(&c->qn->q[i], value, err, errlen))
		return -1;
	if (evidence && (strlen(evidence) >= sizeof a->evidence || evidence_ok(st, evidence, &c->view, err, errlen)))
		return err[0] ? -1 : FAIL("evidence: too many ids");
	if (!(a = calloc(1, sizeof *a)))
		return FAIL("out of memory");
	a->assessment = c->a.id;
	snprintf(a->question, sizeof a->question, "%s", qid);
	snprintf(a->value, sizeof a->value, "%s", value);
	snprintf(a->by, sizeof a->by, "%s", actor);
	snprintf(a->evidence, sizeof a->evidence, "%s", evidence ? evidence
			 : c->ans[i] ? c->ans[i]->evidence : "");
	snprintf(a->source, sizeof a->source, "%s", source ? source : "");
	if (store_answer_put(st, a) ||
	    history(st, c->a.id, actor, "answered %s: %.120s%s%s", qid, value, a->source[0] ? " from " : "",
		    a->source)) {
		free(a);
		return FAIL("%s", store_errmsg(st));
	}
	free(c->vals[i]);
	free(c->ans[i]);
	c->ans[i] = a;
	if (!(c->vals[i] = strdup(value)))
		return FAIL("out of memory");
	return 0;
}

int assess_review(store_t *st, assess_ctx_t *c, const char *qid, int accept, const char *reviewer,
		  const char *comment, char *err, size_t errlen)
{
	long i = assess_q_find(c->qn, qid);
	if (i < 0)
		return FAIL("no question '%.64s'", qid);
	if (strcmp(c->a.state, "submitted"))
		return FAIL("assessment %lld is %s: answers are reviewed once it is submitted",
			    (long long)c->a.id, c->a.state);
	if (!c->ans[i])
		return FAIL("%s: not answered", qid);
	if (!accept && (!comment || !comment[0]))
		return FAIL("%s: a rejected answer needs a comment saying why", qid);
	if (comment && strlen(comment) >= sizeof c->ans[i]->comment)
		return FAIL("comment: at most %zu bytes", sizeof c->ans[i]->comment - 1);
	const char *rv = accept ? "accepted" : "rejected";
	if (store_answer_review(st, c->a.id, qid, rv, reviewer, comment ? comment : "") ||
	    history(st, c->a.id, reviewer, "%s %s%s%.160s", rv, qid, comment && *comment ? ": " : "",
		    comment ? comment : ""))
		return FAIL("%s", store_errmsg(st));
	snprintf(c->ans[i]->review, sizeof c->ans[i]->review, "%s", rv);
	snprintf(c->ans[i]->reviewer, sizeof c->ans[i]->reviewer, "%s", reviewer);
	snprintf(c->ans[i]->comment, sizeof c->ans[i]->comment, "%s", comment ? comment : "");
	return 0;
}

/* The first few relevant questions failing want (0 answered + evidence,
 * 1 accepted) into list; how many fail. */
static int missing(const assess_ctx_t *c, int want, char *list, size_t size)
{
	assess_result_t r;
	int n = 0;
	list[0] = '\0';
	if (assess_ctx_score(c, &r))
		return -1;
	for (size_t i = 0; i < c->qn->nq; i++) {
		const store_answer_t *a = c->ans[i];
		if (!r.q[i].relevant)
			continue;
		int bad = want == 0 ? !a || (c->qn->q[i].evidence && !a->evidence[0])
				    : !a || strcmp(a->review, "accepted");
		if (bad && n++ < 8) {
			size_t k = strlen(list);
			snprintf(list + k, size - k, "%s%s%s", k ? ", " : "", c->qn->q[i].id,
				 want == 0 && a ? " (evidence)" : "");
		}
	}
	assess_result_free(&r);
	return n;
}

int assess_set_state(store_t *st, assess_ctx_t *c, const char *state, const char *actor, char *err,
		     size_t errlen)
{
	char list[600];
	const char *from = c->a.state;
	int n;
	if (!strcmp(state, "submitted")) {
		if (strcmp(from, "draft"))
			return FAIL("assessment %lld is %s, not a draft", (long long)c->a.id, from);
		if ((n = missing(c, 0, list, sizeof list)) != 0)
			return n < 0 ? FAIL("out of memory")
				     : FAIL("%d questions still need an answer or evidence: %s%s", n, list,
					    n > 8 ? ", ..." : "");
	} else if (!strcmp(state, "validated")) {
		if (strcmp(from, "submitted"))
			return FAIL("assessment %lld is %s, not submitted", (long long)c->a.id, from);
		if ((n = missing(c, 1, list, sizeof list)) != 0)
			return n < 0 ? FAIL("out of memory")
				     : FAIL("%d answers are not accepted yet: %s%s", n, list, n > 8 ? ", ..." : "");
	} else if (!strcmp(state, "draft")) {
		if (strcmp(from, "submitted"))
			return FAIL("only a submitted assessment goes back to draft");
	} else {
		return FAIL("unknown state '%.20s'", state);
	}
	if (store_assess_set_state(st, c->a.id, state) ||
	    history(st, c->a.id, actor, "%s -> %s", from, state))
		return FAIL("%s", store_errmsg(st));
	snprintf(c->a.state, sizeof c->a.state, "%s", state);
	return 0;
}

/* ---- the hub's own figures ---- */

typedef struct {
	long n, with;
} count_t;

static int feed_cb(void *arg, const store_feed_t *f)
{
	count_t *k = arg;
	k->n++;
	k->with += f->enabled && f->last_ok > 0;
	return 0;
}

static int res_cb(void *arg, const store_res_t *r)
{
	count_t *k = arg;
	k->n++;
	k->with += r->abuse_contact[0] != '\0';
	return 0;
}

static int deliv_cb(void *arg, const store_delivery_t *d)
{
	count_t *k = arg;
	if (strcmp(d->state, "pending")) {
		k->n++;
		k->with += !strcmp(d->state, "sent");
	}
	return 0;
}

/* The incident figures (case_stats over every case, as the hub's team
 * sees them), read once per assess_hub_answer. */
typedef struct {
	int done;
	json_t *o; /* case_stats' object, or NULL (no figures) */
} incidents_t;

static const char *const inc_names[3][3] = {
	{"ack_time", "sla_ack", "acknowledge"},
	{"response_time", "sla_response", "first_response"},
	{"resolution_time", "sla_resolution", "resolution"},
};
static const char *const inc_words[3] = {"acknowledgement", "first response", "resolution"};

static int incident_figure(store_t *st, incidents_t *inc, const char *hub, char *val, size_t vsize,
			   char *src, size_t ssize)
{
	int k, sla = 0;
	for (k = 0; k < 3; k++)
		if (!strcmp(hub, inc_names[k][0]) || (sla = !strcmp(hub, inc_names[k][1])))
			break;
	if (k == 3)
		return 0;
	if (!inc->done) {
		char buf[64], e[256];
		case_actor_t a = case_actor_cli(buf, sizeof buf);
		a.actor = "assess";
		inc->done = 1;
		if (case_stats(st, &a, 0, 0, (void **)&inc->o, e, sizeof e))
			return -1;
	}
	if (!inc->o)
		return 0;
	if (sla) {
		json_t *m = json_object_get(json_object_get(inc->o, "sla"), inc_names[k][2]);
		json_int_t met = json_integer_value(json_object_get(m, "met")),
			   missed = json_integer_value(json_object_get(m, "missed"));
		if (met + missed <= 0)
			return 0;
		snprintf(val, vsize, "%.1f", 100.0 * (double)met / (double)(met + missed));
		snprintf(src, ssize, "hub: %lld of %lld cases met the %s target (SLA)", (long long)met,
			 (long long)(met + missed), inc_words[k]);
		return 1;
	}
	json_t *t = json_object_get(json_object_get(inc->o, "time_to"), inc_names[k][2]);
	json_int_t n = json_integer_value(json_object_get(t, "n"));
	if (n <= 0 || !json_is_integer(json_object_get(t, "median_s")))
		return 0;
	double med = (double)json_integer_value(json_object_get(t, "median_s")) / 3600.0,
	       p90 = (double)json_integer_value(json_object_get(t, "p90_s")) / 3600.0;
	snprintf(val, vsize, "%.1f", med);
	snprintf(src, ssize, "hub: %s median %.1f h, 90th percentile %.1f h, %lld cases", inc_words[k], med,
		 p90, (long long)n);
	return 1;
}

/* The figure named by hub as an answer to q, and where it came from; 1
 * when there is one, 0 when the hub has no figure, -1 on error. */
static int figure(store_t *st, const assess_q_t *q, incidents_t *inc, char *val, size_t vsize, char *src,
		  size_t ssize)
{
	count_t k = {0};
	char v[32];
	if (!strcmp(q->hub, "team")) {
		if (store_setting_get(st, "hub_org", v, sizeof v))
			return 0;
		snprintf(val, vsize, "%s", q->type == AQ_YESNO || q->type == AQ_YPN ? "yes" : "1");
		snprintf(src, ssize, "hub: the hub's team (organisation %s)", v);
		return 1;
	}
	if (!strcmp(q->hub, "contacts_247")) {
		/* the hub's organisation's notification preferences: its 24/7
		 * contact (c5hub notify set ORG --contact-247 ADDRESS) */
		store_prefs_t p;
		char *end;
		if (store_setting_get(st, "hub_org", v, sizeof v))
			return 0;
		long long org = strtoll(v, &end, 10);
		if (*end || org <= 0 || store_prefs_get(st, org, &p))
			return 0;
		snprintf(val, vsize, "%s", p.contact_247[0] ? "yes" : "no");
		snprintf(src, ssize, "hub: %s 24/7 contact in the preferences of organisation %lld",
			 p.contact_247[0] ? "a" : "no", org);
		return 1;
	}
	if (!strcmp(q->hub, "feeds")) {
		if (store_feed_list(st, feed_cb, &k))
			return -1;
		snprintf(val, vsize, "%ld", k.with);
		snprintf(src, ssize, "hub: %ld of %ld feeds collected", k.with, k.n);
		return 1;
	}
	if (!strcmp(q->hub, "abuse_contact_share")) {
		if (store_res_list(st, res_cb, &k))
			return -1;
		if (!k.n)
			return 0;
		snprintf(val, vsize, "%.1f", 100.0 * (double)k.with / (double)k.n);
		snprintf(src, ssize, "hub: %ld of %ld networks with an abuse contact", k.with, k.n);
		return 1;
	}
	if (!strcmp(q->hub, "notices_delivered")) {
		store_delivery_filter_t f = {.limit = 1000000};
		if (store_delivery_list(st, &f, deliv_cb, &k))
			return -1;
		if (!k.n)
			return 0;
		snprintf(val, vsize, "%.1f", 100.0 * (double)k.with / (double)k.n);
		snprintf(src, ssize, "hub: %ld of %ld notices delivered", k.with, k.n);
		return 1;
	}
	return incident_figure(st, inc, q->hub, val, vsize, src, ssize);
}

int assess_hub_answer(store_t *st, assess_ctx_t *c, const char *actor, int *n, char *err,
		      size_t errlen)
{
	incidents_t inc = {0};
	int rc = -1;
	*n = 0;
	for (size_t i = 0; i < c->qn->nq; i++) {
		const assess_q_t *q = &c->qn->q[i];
		char val[64], src[128];
		if (!q->hub)
			continue;
		int got = figure(st, q, &inc, val, sizeof val, src, sizeof src);
		if (got < 0) {
			snprintf(err, errlen, "%s", store_errmsg(st));
			goto out;
		}
		if (got == 0)
			continue;
		if (q->type == AQ_PERCENT && strtod(val, NULL) > 100)
			continue;
		if (assess_answer(st, c, q->id, val, NULL, actor, src, err, errlen))
			goto out;
		(*n)++;
	}
	rc = 0;
out:
	json_decref(inc.o);
	return rc;
}

int assess_ctx_score(const assess_ctx_t *c, assess_result_t *r)
{
	return assess_score(c->qn, (const char *const *)c->vals, r);
}

int assess_roadmap_make(store_t *st, assess_ctx_t *c, const assess_rules_t *rules, char *err,
			size_t errlen)
{
	assess_rules_t *own = NULL;
	assess_result_t r;
	assess_step_t *steps = NULL;
	size_t n = 0;
	int rc = -1;
	if (!rules) {
		if (assess_rules_parse(data_assess_roadmap_json, strlen(data_assess_roadmap_json),
				       "roadmap.json", &own, err, errlen))
			return -1;
		rules = own;
	}
	if (assess_ctx_score(c, &r)) {
		assess_rules_free(own);
		return FAIL("out of memory");
	}
	if (assess_plan(c->qn, &r, rules, &steps, &n)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		store_road_t it = {.assessment = c->a.id, .priority = steps[i].priority, .rank = (int)i + 1};
		snprintf(it.action, sizeof it.action, "%s", rules->a[steps[i].action].id);
		snprintf(it.why, sizeof it.why, "%s", steps[i].why);
		if (store_road_put(st, &it)) {
			snprintf(err, errlen, "%s", store_errmsg(st));
			goto out;
		}
	}
	rc = 0;
out:
	free(steps);
	assess_result_free(&r);
	assess_rules_free(own);
	return rc;
}

typedef struct {
	int64_t before_id;
	const char *period;
	int64_t found;
} prev_t;

static int prev_cb(void *arg, const store_assess_t *a)
{
	prev_t *p = arg;
	if (a->id != p->before_id && strcmp(a->period, p->period) < 0)
		p->found = a->id; /* ordered by period: the last one before */
	return 0;
}

int64_t assess_previous(store_t *st, const assess_ctx_t *c, const tlp_view_t *view)
{
	prev_t p = {c->a.id, c->a.period, 0};
	if (store_assess_list(st, view, c->a.entity, prev_cb, &p))
		return 0;
	return p.found;
}

/* ---- exports ---- */

static void csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\n\r")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
}

int assess_export_csv(const assess_ctx_t *c, const assess_result_t *r, FILE *f)
{
	const assess_qn_t *qn = c->qn;
	fprintf(f, "level,id,title,score,max,stage\n");
	fprintf(f, "total,total,");
	csv_field(f, c->a.entity);
	fprintf(f, ",%.2f,100,%s\n", r->total, r->tier < qn->ntiers ? qn->tiers[r->tier].name : "");
	for (size_t p = 0; p < qn->np; p++) {
		fprintf(f, "pillar,%s,", qn->p[p].id);
		csv_field(f, qn->p[p].title);
		fprintf(f, ",%.2f,20,\n", r->pillar[p]);
		for (size_t k = qn->p[p].first_ind; k < qn->p[p].first_ind + qn->p[p].nind; k++) {
			fprintf(f, "indicator,%s,", qn->ind[k].id);
			csv_field(f, qn->ind[k].title);
			if (r->ind[k].score >= 0)
				fprintf(f, ",%.4f,1,%s\n", r->ind[k].score, assess_stage_name(r->ind[k].stage));
			else
				fprintf(f, ",,1,%s\n", assess_stage_name(r->ind[k].stage));
			for (size_t i = qn->ind[k].first_q; i < qn->ind[k].first_q + qn->ind[k].nq; i++) {
				fprintf(f, "question,%s,", qn->q[i].id);
				csv_field(f, qn->q[i].text);
				if (r->q[i].relevant && r->q[i].scored)
					fprintf(f, ",%.4f,1,%s\n", r->q[i].score,
						qn->q[i].stage ? assess_stage_name(qn->q[i].stage) : "");
				else
					fprintf(f, ",,1,%s\n", r->q[i].relevant ? "" : "not relevant");
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

static json_t *scores_json(const assess_ctx_t *c, const assess_result_t *r)
{
	const assess_qn_t *qn = c->qn;
	json_t *ps = json_array();
	for (size_t p = 0; p < qn->np; p++) {
		json_t *is = json_array();
		for (size_t k = qn->p[p].first_ind; k < qn->p[p].first_ind + qn->p[p].nind; k++)
			json_array_append_new(is, json_pack("{s:s, s:s, s:o, s:s, s:i, s:i}", "id",
				qn->ind[k].id, "title", qn->ind[k].title, "score",
				r->ind[k].score >= 0 ? json_real(r->ind[k].score) : json_null(), "stage",
				assess_stage_name(r->ind[k].stage), "answered", r->ind[k].answered,
				"relevant", r->ind[k].relevant));
		json_array_append_new(ps, json_pack("{s:s, s:s, s:f, s:o}", "id", qn->p[p].id, "title",
						    qn->p[p].title, "score", r->pillar[p], "indicators", is));
	}
	return ps;
}

static int road_json_cb(void *arg, const store_road_t *it)
{
	json_array_append_new(arg, json_pack("{s:i, s:s, s:f, s:s, s:s, s:s}", "rank", it->rank, "action",
					     it->action, "priority", it->priority, "why", it->why, "state",
					     it->state, "assignee", it->assignee));
	return 0;
}

static int answer_json_cb(void *arg, const store_answer_t *a)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "question",
					     a->question, "value", a->value, "by", a->by, "at",
					     (json_int_t)a->at, "evidence", a->evidence, "source", a->source,
					     "review", a->review, "reviewer", a->reviewer, "comment",
					     a->comment));
	return 0;
}

int assess_export_json(store_t *st, const assess_ctx_t *c, const assess_result_t *r,
		       const tlp_view_t *view, FILE *f)
{
	const assess_qn_t *qn = c->qn;
	json_t *answers = json_array(), *road = json_array(), *prev = json_null();
	if (store_answer_list(st, c->a.id, answer_json_cb, answers) ||
	    store_road_list(st, c->a.id, road_json_cb, road)) {
		json_decref(answers), json_decref(road);
		return -1;
	}
	int64_t pid = assess_previous(st, c, view);
	if (pid) {
		assess_ctx_t pc;
		assess_result_t pr;
		char err[256];
		if (!assess_ctx_open(st, pid, view, &pc, err, sizeof err)) {
			if (!assess_ctx_score(&pc, &pr)) {
				json_t *done = json_array();
				store_road_list(st, pid, road_json_cb, done);
				prev = json_pack("{s:I, s:s, s:f, s:o, s:o}", "id", (json_int_t)pid, "period",
						 pc.a.period, "total", pr.total, "pillars", scores_json(&pc, &pr),
						 "roadmap", done);
				assess_result_free(&pr);
			}
			assess_ctx_free(&pc);
		}
	}
	json_t *doc = json_pack("{s:{s:I, s:s, s:s, s:s, s:i, s:s, s:s}, s:f, s:s, s:i, s:i, s:o, s:o, s:o, s:o}",
		"assessment", "id", (json_int_t)c->a.id, "entity", c->a.entity, "period", c->a.period,
		"questionnaire", qn->name, "version", qn->version, "tlp", tlp_name(c->a.tlp), "state",
		c->a.state, "total", r->total, "tier", r->tier < qn->ntiers ? qn->tiers[r->tier].name : "",
		"answered", r->answered, "relevant", r->relevant, "pillars", scores_json(c, r), "answers",
		answers, "roadmap", road, "previous", prev);
	int rc = doc ? json_dumpf(doc, f, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) : -1;
	fputc('\n', f);
	json_decref(doc);
	return rc || ferror(f) ? -1 : 0;
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

typedef struct {
	FILE *f;
	const assess_rules_t *rs;
} road_html_t;

static int road_html_cb(void *arg, const store_road_t *it)
{
	road_html_t *h = arg;
	const assess_action_t *a = NULL;
	for (size_t i = 0; h->rs && i < h->rs->na; i++)
		if (!strcmp(h->rs->a[i].id, it->action))
			a = &h->rs->a[i];
	fprintf(h->f, "<tr><td>%d</td><td>", it->rank);
	esc(h->f, a ? a->action : it->action);
	fprintf(h->f, "</td><td>");
	esc(h->f, a ? a->area : "");
	fprintf(h->f, "</td><td>");
	esc(h->f, a ? a->owner : "");
	fprintf(h->f, "</td><td>");
	esc(h->f, a ? a->horizon : "");
	fprintf(h->f, "</td><td>%.2f</td><td>", it->priority);
	esc(h->f, it->why);
	fprintf(h->f, "</td><td>");
	esc(h->f, it->state);
	fprintf(h->f, "</td></tr>\n");
	return 0;
}

int assess_export_html(store_t *st, const assess_ctx_t *c, const assess_result_t *r,
		       const tlp_view_t *view, FILE *f)
{
	const assess_qn_t *qn = c->qn;
	char err[256];
	const char *tlp = tlp_name(c->a.tlp);
	(void)view;
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
	esc(f, c->a.entity);
	fprintf(f, " — self-assessment %s</title>\n<style>\n"
		"body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}\n"
		"table{border-collapse:collapse;width:100%%;margin:1em 0}\n"
		"th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}\n"
		"meter{width:12em}\n.tlp{font-weight:bold;border:2px solid #000;padding:.1em .4em}\n"
		"@media print{body{margin:0;max-width:none}h2{page-break-before:auto}"
		"tr{page-break-inside:avoid}.tlp{position:fixed;top:0;right:0}}\n"
		"</style></head><body>\n<p class=\"tlp\">TLP:", c->a.period);
	for (const char *s = tlp; *s; s++)
		fputc(*s >= 'a' && *s <= 'z' ? *s - 32 : *s, f);
	fprintf(f, "</p>\n<h1>");
	esc(f, c->a.entity);
	fprintf(f, ": national cybersecurity self-assessment, %s</h1>\n", c->a.period);
	fprintf(f, "<h2>Summary</h2>\n<p>Questionnaire ");
	esc(f, qn->name);
	fprintf(f, " version %d, state %s. Total <strong>%.1f</strong> of 100", qn->version, c->a.state,
		r->total);
	if (r->tier < qn->ntiers) {
		fprintf(f, ": ");
		esc(f, qn->tiers[r->tier].name);
	}
	fprintf(f, ". %d of %d relevant questions answered.</p>\n", r->answered, r->relevant);
	fprintf(f, "<h2>Pillars</h2>\n<table><thead><tr><th scope=\"col\">Pillar</th>"
		"<th scope=\"col\">Score (0-20)</th><th scope=\"col\">Chart</th></tr></thead><tbody>\n");
	for (size_t p = 0; p < qn->np; p++) {
		fprintf(f, "<tr><th scope=\"row\">");
		esc(f, qn->p[p].title);
		fprintf(f, "</th><td>%.2f</td><td><meter min=\"0\" max=\"20\" value=\"%.2f\">%.2f</meter>"
			"</td></tr>\n", r->pillar[p], r->pillar[p], r->pillar[p]);
	}
	fprintf(f, "</tbody></table>\n<h2>Indicators and gaps</h2>\n<table><thead><tr>"
		"<th scope=\"col\">Indicator</th><th scope=\"col\">Score (0-1)</th>"
		"<th scope=\"col\">Chart</th><th scope=\"col\">Stage (CMM)</th></tr></thead><tbody>\n");
	for (size_t k = 0; k < qn->nind; k++) {
		fprintf(f, "<tr><th scope=\"row\">");
		esc(f, qn->ind[k].title);
		if (r->ind[k].score >= 0)
			fprintf(f, "</th><td>%.2f</td><td><meter min=\"0\" max=\"1\" value=\"%.3f\">%.2f</meter>",
				r->ind[k].score, r->ind[k].score, r->ind[k].score);
		else
			fprintf(f, "</th><td>-</td><td>");
		fprintf(f, "</td><td>%s</td></tr>\n", r->ind[k].stage >= 0 ? assess_stage_name(r->ind[k].stage) : "-");
	}
	fprintf(f, "</tbody></table>\n<h2>Roadmap</h2>\n<table><thead><tr><th scope=\"col\">#</th>"
		"<th scope=\"col\">Action</th><th scope=\"col\">Area</th><th scope=\"col\">Owner</th>"
		"<th scope=\"col\">Horizon</th><th scope=\"col\">Priority</th><th scope=\"col\">Why</th>"
		"<th scope=\"col\">State</th></tr></thead><tbody>\n");
	assess_rules_t *rs = NULL;
	if (assess_rules_parse(data_assess_roadmap_json, strlen(data_assess_roadmap_json), "roadmap.json",
			       &rs, err, sizeof err))
		rs = NULL;
	road_html_t h = {f, rs};
	int rc = store_road_list(st, c->a.id, road_html_cb, &h);
	assess_rules_free(rs);
	fprintf(f, "</tbody></table>\n</body></html>\n");
	return rc || ferror(f) ? -1 : 0;
}

/* ---- the ranking ---- */

typedef struct {
	const assess_ctx_t *c;
	int64_t *ids;
	size_t n, cap;
} peers_t;

static int peer_cb(void *arg, const store_assess_t *a)
{
	peers_t *p = arg;
	if (a->qn_id != p->c->a.qn_id || strcmp(a->period, p->c->a.period))
		return 0;
	if (p->n == p->cap) {
		int64_t *g = realloc(p->ids, (p->cap = p->cap * 2 + 16) * sizeof *g);
		if (!g)
			return 1;
		p->ids = g;
	}
	p->ids[p->n++] = a->id;
	return 0;
}

int assess_ranking(store_t *st, const assess_ctx_t *c, const tlp_view_t *view, size_t runs,
		   assess_rank_t **out, size_t *n, char *method, size_t mlen, char *err, size_t errlen)
{
	const assess_qn_t *qn = c->qn;
	peers_t p = {.c = c};
	assess_rank_t *rows = NULL;
	double *x = NULL, *lo = NULL, *hi = NULL, *iw = NULL, *pw = NULL;
	size_t *ip = NULL, ne = 0;
	const char **names = NULL, **inames = NULL, **pnames = NULL;
	cindex_result_t *res = NULL;
	int rc = -1;
	*out = NULL;
	*n = 0;
	if (store_assess_list(st, view, NULL, peer_cb, &p)) {
		free(p.ids);
		return FAIL("%s", store_errmsg(st));
	}
	rows = calloc(p.n + 1, sizeof *rows);
	x = calloc((p.n + 1) * qn->nind, sizeof *x);
	lo = calloc(qn->nind + 1, sizeof *lo), hi = calloc(qn->nind + 1, sizeof *hi);
	iw = calloc(qn->nind + 1, sizeof *iw), ip = calloc(qn->nind + 1, sizeof *ip);
	pw = calloc(qn->np + 1, sizeof *pw);
	names = calloc(p.n + 1, sizeof *names), inames = calloc(qn->nind + 1, sizeof *inames);
	pnames = calloc(qn->np + 1, sizeof *pnames);
	if (!rows || !x || !lo || !hi || !iw || !ip || !pw || !names || !inames || !pnames) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* the newest assessment of each entity (listed by entity, period, id) */
	for (size_t k = 0; k < p.n; k++) {
		assess_ctx_t e;
		assess_result_t r;
		if (assess_ctx_open(st, p.ids[k], view, &e, err, errlen))
			continue;
		if (assess_ctx_score(&e, &r)) {
			assess_ctx_free(&e);
			continue;
		}
		size_t at = ne;
		for (size_t j = 0; j < ne; j++)
			if (!strcmp(rows[j].entity, e.a.entity))
				at = j;
		if (at == ne)
			ne++;
		rows[at].id = e.a.id;
		snprintf(rows[at].entity, sizeof rows[at].entity, "%s", e.a.entity);
		snprintf(rows[at].state, sizeof rows[at].state, "%s", e.a.state);
		for (size_t j = 0; j < qn->nind; j++)
			x[at * qn->nind + j] = r.ind[j].score >= 0 ? r.ind[j].score : NAN;
		assess_result_free(&r);
		assess_ctx_free(&e);
	}
	for (size_t j = 0; j < ne; j++)
		names[j] = rows[j].entity;
	for (size_t j = 0; j < qn->nind; j++) {
		inames[j] = qn->ind[j].id;
		ip[j] = qn->ind[j].pillar;
		hi[j] = 1;
		iw[j] = qn->ind[j].weight > 0 ? qn->ind[j].weight : 1e-9;
	}
	for (size_t j = 0; j < qn->np; j++) {
		pnames[j] = qn->p[j].id;
		pw[j] = qn->p[j].weight > 0 ? qn->p[j].weight : 1e-9;
	}
	if (!ne) {
		rc = 0;
		goto out;
	}
	cindex_input_t in = {.n_ent = ne, .n_ind = qn->nind, .n_pillar = qn->np, .x = x, .ent_names = names,
			     .ind_names = inames, .pillar_names = pnames, .ind_pillar = ip, .gp_lo = lo, .gp_hi = hi};
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_GOALPOSTS;
	o.wmethod = CINDEX_W_EXPERT;
	o.ind_w = iw;
	o.pil_w = pw;
	o.runs = ne >= 2 ? runs : 0;
	o.seed = 1;
	if (cindex_compute(&in, &o, &res, err, errlen))
		goto out;
	snprintf(method, mlen, "%s", res->method);
	for (size_t j = 0; j < ne; j++) {
		rows[j].score = res->score[j];
		rows[j].rank = res->rank[j];
		if (res->runs) {
			rows[j].median = res->mc_median[j];
			rows[j].p05 = res->mc_p05[j];
			rows[j].p95 = res->mc_p95[j];
		}
		if (res->driver_contrib[j] < qn->np)
			snprintf(rows[j].driver, sizeof rows[j].driver, "%s", qn->p[res->driver_contrib[j]].id);
	}
	/* by rank, the unranked (0) last */
	for (size_t a = 1; a < ne; a++)
		for (size_t b = a; b > 0; b--) {
			size_t r1 = rows[b - 1].rank ? rows[b - 1].rank : SIZE_MAX, r2 = rows[b].rank ? rows[b].rank : SIZE_MAX;
			if (r1 <= r2)
				break;
			assess_rank_t t = rows[b - 1];
			rows[b - 1] = rows[b];
			rows[b] = t;
		}
	*out = rows;
	*n = ne;
	rows = NULL;
	rc = 0;
out:
	cindex_result_free(res);
	free(rows), free(x), free(lo), free(hi), free(iw), free(ip), free(pw), free(names), free(inames);
	free(pnames), free(p.ids);
	return rc;
}
