/* web_case.c — the incident case pages: the case list (filters, SLA timers,
 * keyset pages; a constituent's "my reports": its organisation's cases), a
 * case (timeline, timers, and the actions: status by the lifecycle, assign,
 * comment internal or to the reporter, task, link an observable, merge; the
 * reporter's reply), "report an incident", and the operational figures as
 * charts.  Every read and change goes through case.h — the functions the
 * API and the CLI call — with the person as the actor: who sees what and
 * who may do what is decided there, never here. */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/case_json.h"
#include "sla/sla_case.h"

#define CASES_PAGE 50

/* The person as the case core's actor: the API's (api_case_actor), with the
 * person's account. */
static case_actor_t actor(http_req_t *r, const people_user_t *u, char *buf, size_t n)
{
	case_actor_t a = api_case_actor(r, buf, n);
	a.user_id = u->id;
	return a;
}

/* Append key=value (percent-encoded) to a query string. */
static void q_add(char *q, size_t n, const char *key, const char *v)
{
	size_t at = strlen(q);
	if (!v || !*v || at >= n)
		return;
	at += (size_t)snprintf(q + at, n - at, "%s%s=", at ? "&" : "", key);
	for (const unsigned char *s = (const unsigned char *)v; *s && at + 4 < n; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("-_.~/", *s))
			q[at++] = (char)*s;
		else
			at += (size_t)snprintf(q + at, n - at, "%%%02X", *s);
	}
	q[at < n ? at : n - 1] = '\0';
}

/* The three timers of c as a list for the templates. */
static json_t *timers_json(http_req_t *r, store_t *st, const store_case_t *c, int *worst)
{
	sla_timer_t t[SLA_NTARGET];
	static const char *const names[] = {N_("Acknowledge"), N_("First response"), N_("Resolution")};
	json_t *list = json_array();
	const sla_conf_t *conf = sla_case_conf();
	*worst = SLA_NONE;
	if (!conf || sla_case_timers(conf, st, c, sla_now(), t))
		return list;
	for (int k = 0; k < SLA_NTARGET; k++) {
		if (t[k].state == SLA_NONE)
			continue;
		if (t[k].state == SLA_BREACHED || (t[k].state == SLA_WARNING && *worst != SLA_BREACHED))
			*worst = t[k].state;
		else if (*worst == SLA_NONE)
			*worst = t[k].state;
		json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:I, s:I, s:b}", "target", web_t(r, names[k]),
						      "state", sla_state_name(t[k].state), "due",
						      t[k].due == SLA_NEVER ? json_null() : web_time(t[k].due),
						      "used", (json_int_t)(t[k].used / 60), "target_min",
						      (json_int_t)(t[k].target / 60), "paused", t[k].paused));
	}
	return list;
}

/* ---- the list ---- */

typedef struct {
	http_req_t *r;
	store_t *st;
	json_t *rows;
	int64_t last;
	int breached_only, n, scanned;
} list_t;

static int list_row(void *arg, const store_case_t *c)
{
	list_t *l = arg;
	int worst;
	l->last = c->id;
	l->scanned++;
	if (l->n >= CASES_PAGE)
		return 1;
	json_t *timers = timers_json(l->r, l->st, c, &worst);
	if (l->breached_only && worst != SLA_BREACHED) {
		json_decref(timers);
		return 0;
	}
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b}", "ref", c->ref,
			      "title", c->title, "status", c->status, "severity", c->severity,
			      "classification", c->classification, "tlp", tlp_name(c->tlp), "reporter",
			      c->reporter_name, "assignee", c->assignee ? c->assignee_email : "", "timers",
			      timers, "sla", sla_state_name(worst), "breached", worst == SLA_BREACHED);
	if (j) {
		json_array_append_new(l->rows, j);
		l->n++;
	}
	return 0;
}

int web_cases(http_req_t *r)
{
	people_user_t u;
	char who[300], err[200] = "";
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	case_actor_t a = actor(r, &u, who, sizeof who);
	const char *status = http_query(r, "status"), *sev = http_query(r, "severity");
	const char *cls = http_query(r, "classification"), *asg = http_query(r, "assignee");
	const char *br = http_query(r, "breached"), *after = http_query(r, "after");
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, &u, N_("The store is not available."));
	store_case_filter_t f = {.status = status && *status ? status : NULL,
				 .severity = sev && *sev ? sev : NULL,
				 .classification = cls && *cls ? cls : NULL,
				 .after_id = after ? strtoll(after, NULL, 10) : 0, .limit = 200};
	list_t l = {.r = r, .st = st, .rows = json_array(), .breached_only = br && !strcmp(br, "1")};
	if (asg && *asg) {
		store_user_t p;
		if (store_user_get(st, asg, 0, &p))
			snprintf(err, sizeof err, "%s", web_t(r, N_("Assignee: no such person.")));
		else
			f.assignee = p.id;
	}
	int bad = 0, more = 0;
	/* pages of 200 until a page of the list is full (breached: filtered here) */
	for (int pass = 0; !err[0] && pass < 25 && l.n < CASES_PAGE; pass++) {
		l.scanned = 0;
		if ((bad = case_list(st, &a, &f, list_row, &l) != 0))
			break;
		if (l.scanned < 200 && l.n < CASES_PAGE)
			break; /* the end */
		more = 1;
		f.after_id = l.last;
		if (l.n >= CASES_PAGE)
			break;
	}
	hub_store_put(r->hub, st);
	if (bad) {
		json_decref(l.rows);
		return web_error(r, 500, &u, N_("The store is not available."));
	}
	char next[600] = "";
	if (more && l.last) {
		char id[24];
		q_add(next, sizeof next, "status", status);
		q_add(next, sizeof next, "severity", sev);
		q_add(next, sizeof next, "classification", cls);
		q_add(next, sizeof next, "assignee", asg);
		q_add(next, sizeof next, "breached", l.breached_only ? "1" : NULL);
		snprintf(id, sizeof id, "%lld", (long long)l.last);
		q_add(next, sizeof next, "after", id);
	}
	static const char *const sevs[] = {"low", "medium", "high", "critical"};
	json_t *ctx = json_pack("{s:o, s:s, s:o, s:{s:s, s:s, s:s, s:b}, s:b, s:s*, s:s*}", "items", l.rows,
				"next", next, "severities", web_choices(sevs, 4, sev ? sev : ""), "f",
				"status", status ? status : "", "classification", cls ? cls : "",
				"assignee", asg ? asg : "", "breached", l.breached_only, "hub", a.hub,
				"error", err[0] ? err : NULL, "done", NULL);
	web_page_t p = {.tpl = "case_list", .title = a.hub ? N_("Cases") : N_("My reports"), .nav = "cases",
			.u = &u, .sid = r->sid};
	return web_page(r, 200, &p, ctx);
}

/* ---- report an incident ---- */

static int new_page(http_req_t *r, const people_user_t *u, int status, json_t *form, const char *error)
{
	if (!form)
		form = json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", "", "body", "", "classification", "",
				 "severity", "medium", "observables", "");
	static const char *const sevs[] = {"low", "medium", "high", "critical"};
	const char *sev = json_string_value(json_object_get(form, "severity"));
	json_t *ctx = json_pack("{s:o, s:o, s:s*}", "form", form, "severities",
				web_choices(sevs, 4, sev ? sev : "medium"), "error", error);
	web_page_t p = {.tpl = "case_new", .title = N_("Report an incident"), .nav = "cases", .u = u,
			.sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_case_new(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return new_page(r, &u, 200, NULL, NULL);
}

int web_case_add(http_req_t *r)
{
	people_user_t u;
	char who[300], err[600] = "";
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	case_actor_t a = actor(r, &u, who, sizeof who);
	json_t *form = json_object();
	static const char *const fields[] = {"title", "body", "classification", "severity", "observables"};
	for (int k = 0; k < 5; k++)
		json_object_set_new(form, fields[k], web_field_json(r, fields[k], k == 1 || k == 4 ? 60000 : 300));
	const char *title = json_string_value(json_object_get(form, "title"));
	const char *body = json_string_value(json_object_get(form, "body"));
	const char *cls = json_string_value(json_object_get(form, "classification"));
	const char *sev = json_string_value(json_object_get(form, "severity"));
	char *obs = strdup(json_string_value(json_object_get(form, "observables")) ?: "");
	const char *vals[200];
	size_t nv = 0;
	for (char *s = obs, *save = NULL, *t; obs && (t = strtok_r(s, "\r\n", &save)) && nv < 200; s = NULL) {
		t += strspn(t, " \t");
		if (*t)
			vals[nv++] = t;
	}
	case_new_t n = {.reporter_org = u.org_id, .title = title, .body = body && *body ? body : NULL,
			.classification = cls && *cls ? cls : NULL, .severity = sev && *sev ? sev : NULL,
			.tlp = -1, .observables = vals, .nobservables = nv, .source = "console"};
	store_case_t c;
	store_t *st = hub_store_get(r->hub);
	int rc = CASE_ERR;
	if (st && !store_begin(st)) {
		rc = case_open(st, &a, &n, &c, err, sizeof err);
		if (rc || store_commit(st)) {
			store_rollback(st);
			if (!rc)
				rc = CASE_ERR;
		}
	}
	if (rc == CASE_ERR && !err[0])
		snprintf(err, sizeof err, "%s", web_t(r, N_("The store is not available.")));
	hub_store_put(r->hub, st);
	free(obs);
	if (rc)
		return new_page(r, &u, rc == CASE_EINVAL ? 400 : rc == CASE_EFORBIDDEN ? 403 : 500, form, err);
	json_decref(form);
	char to[120];
	snprintf(to, sizeof to, "/console/cases/%s?done=opened", c.ref);
	return web_redirect(r, to);
}

/* ---- a case ---- */

/* The case page for ref: 404 when a may not see it (as an unknown one). */
static int case_page(http_req_t *r, const people_user_t *u, const case_actor_t *a, const char *ref, int status,
		     const char *error, json_t *form)
{
	store_case_t c;
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(form);
		return web_error(r, 500, u, N_("The store is not available."));
	}
	if (case_get(st, a, ref, &c)) {
		hub_store_put(r->hub, st);
		json_decref(form);
		return web_error(r, 404, u, N_("No such case."));
	}
	int worst;
	/* the newest 100 timeline entries, or those below ?before= */
	const char *bs = http_query(r, "before");
	char *end = NULL;
	long long before = bs ? strtoll(bs, &end, 10) : 0;
	if (!bs || !*bs || *end || before < 0)
		before = 0;
	json_t *o = case_json_page(st, a, &c, NULL, NULL, before, 100);
	if (o && before)
		json_object_set_new(o, "timeline_paged", json_true());
	json_t *timers = timers_json(r, st, &c, &worst);
	hub_store_put(r->hub, st);
	if (!o) {
		json_decref(timers);
		json_decref(form);
		return web_error(r, 500, u, N_("The store is not available."));
	}
	/* the states it may move to, for the status form */
	json_t *next = json_array();
	const char *ns = json_string_value(json_object_get(o, "next_states"));
	char buf[512];
	snprintf(buf, sizeof buf, "%s", ns ? ns : "");
	for (char *s = buf, *save = NULL, *t; (t = strtok_r(s, ", ", &save)); s = NULL)
		json_array_append_new(next, json_string(t));
	const char *done = http_query(r, "done");
	json_object_set_new(o, "timers", timers);
	json_object_set_new(o, "next", next);
	json_object_set_new(o, "hub", json_boolean(a->hub));
	json_object_set_new(o, "sla", json_string(sla_state_name(worst)));
	json_t *ctx = json_pack("{s:o, s:s*, s:o, s:b}", "case", o, "error", error, "form",
				form ? form : json_object(), "done", done && status == 200);
	web_page_t p = {.tpl = "case_view", .title = N_("Case"), .nav = "cases", .u = u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_case(http_req_t *r)
{
	people_user_t u;
	char who[300];
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!strcmp(r->arg, "figures"))
		return web_case_figures(r);
	if (!strcmp(r->arg, "new"))
		return web_case_new(r);
	case_actor_t a = actor(r, &u, who, sizeof who);
	return case_page(r, &u, &a, r->arg, 200, NULL, NULL);
}

/* POST /console/cases/escalate: kind (event, notice, warning) and id into a
 * case with its observables, through the API's core (case_escalate: the
 * hub's analysts only); then the case's page. */
static int web_case_escalate(http_req_t *r, people_user_t *u)
{
	char who[300], err[600] = "", kind[16] = "", id[24] = "";
	case_actor_t a = actor(r, u, who, sizeof who);
	web_field(r, "kind", kind, sizeof kind);
	web_field(r, "id", id, sizeof id);
	char *end = NULL;
	long long n = strtoll(id, &end, 10);
	if (!id[0] || *end || n <= 0)
		return web_error(r, 400, u, N_("Open a case: which event, notice or warning?"));
	store_case_t c;
	store_t *st = hub_store_get(r->hub);
	int rc = CASE_ERR;
	if (st && !store_begin(st)) {
		rc = case_escalate(st, &a, kind, (int64_t)n, NULL, &c, err, sizeof err);
		if (rc || store_commit(st)) {
			store_rollback(st);
			if (!rc)
				rc = CASE_ERR;
		}
	}
	hub_store_put(r->hub, st);
	if (rc == CASE_EFORBIDDEN)
		return web_error(r, 403, u, N_("Only the hub's analysts open cases from events, notices and warnings."));
	if (rc == CASE_ENOTFOUND || rc == CASE_EINVAL)
		return web_error(r, 404, u, N_("No such event, notice or warning."));
	if (rc)
		return web_error(r, 500, u, N_("The store is not available."));
	char to[120];
	snprintf(to, sizeof to, "/console/cases/%s?done=opened", c.ref);
	return web_redirect(r, to);
}

int web_case_post(http_req_t *r)
{
	people_user_t u;
	char who[300], err[1200] = "", act[24] = "", ver[24] = "", f1[1024] = "", f2[300] = "";
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!strcmp(r->arg, "new"))
		return web_case_add(r);
	if (!strcmp(r->arg, "escalate"))
		return web_case_escalate(r, &u);
	case_actor_t a = actor(r, &u, who, sizeof who);
	web_field(r, "action", act, sizeof act);
	web_field(r, "version", ver, sizeof ver);
	int64_t version = strtoll(ver, NULL, 10);
	const char *ref = r->arg;
	json_t *form = json_object();
	char *text = NULL;
	int rc = CASE_EINVAL;
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(form);
		return web_error(r, 500, &u, N_("The store is not available."));
	}
	if (store_begin(st)) {
		hub_store_put(r->hub, st);
		json_decref(form);
		return web_error(r, 500, &u, N_("The store is not available."));
	}
	if (!strcmp(act, "status")) {
		web_field(r, "state", f2, sizeof f2);
		web_field(r, "resolution", f1, sizeof f1);
		json_object_set_new(form, "resolution", web_str(f1));
		rc = case_status(st, &a, ref, version, f2, f1[0] ? f1 : NULL, NULL, err, sizeof err);
	} else if (!strcmp(act, "assign")) {
		store_user_t p;
		web_field(r, "assignee", f2, sizeof f2);
		json_object_set_new(form, "assignee", web_str(f2));
		case_edit_t e = {.tlp = -1, .assignee = 0};
		if (f2[0] && store_user_get(st, f2, 0, &p))
			snprintf(err, sizeof err, "%s", web_t(r, N_("Assignee: no such person.")));
		else {
			e.assignee = f2[0] ? p.id : 0;
			rc = case_edit(st, &a, ref, version, &e, NULL, err, sizeof err);
		}
	} else if (!strcmp(act, "comment") || !strcmp(act, "reply")) {
		json_t *t = web_field_json(r, "text", CASE_TEXT_MAX);
		text = strdup(json_string_value(t) ?: "");
		json_object_set_new(form, "text", t);
		web_field(r, "to", f2, sizeof f2);
		if (!text || !text[strspn(text, " \t\r\n")])
			snprintf(err, sizeof err, "%s", web_t(r, N_("Comment: write something.")));
		else if (!strcmp(act, "reply"))
			rc = case_reply(st, &a, ref, u.org_id, text, NULL, 0, NULL, err, sizeof err);
		else
			rc = case_comment(st, &a, ref, version,
					  !strcmp(f2, "reporter") ? CASE_VIS_REPORTER : CASE_VIS_INTERNAL, text,
					  NULL, err, sizeof err);
	} else if (!strcmp(act, "task")) {
		web_field(r, "title", f2, sizeof f2);
		json_object_set_new(form, "task", web_str(f2));
		rc = case_task_add(st, &a, ref, f2, 0, 0, NULL, err, sizeof err);
	} else if (!strcmp(act, "link")) {
		web_field(r, "observable", f1, sizeof f1);
		json_object_set_new(form, "observable", web_str(f1));
		rc = case_link(st, &a, ref, "observable", f1, NULL, err, sizeof err);
	} else if (!strcmp(act, "merge")) {
		web_field(r, "into", f2, sizeof f2);
		json_object_set_new(form, "into", web_str(f2));
		rc = case_merge(st, &a, ref, f2, err, sizeof err);
	} else {
		snprintf(err, sizeof err, "%s", web_t(r, N_("Unknown action.")));
	}
	if (rc == CASE_OK && store_commit(st))
		rc = CASE_ERR;
	if (rc != CASE_OK)
		store_rollback(st);
	hub_store_put(r->hub, st);
	free(text);
	if (rc == CASE_OK) {
		json_decref(form);
		char to[120];
		snprintf(to, sizeof to, "/console/cases/%s?done=%s", ref, act);
		return web_redirect(r, to);
	}
	if (rc == CASE_ENOTFOUND && !err[0]) {
		json_decref(form);
		return web_error(r, 404, &u, N_("No such case."));
	}
	if (rc == CASE_ENOTFOUND) { /* the case itself, or the merge target: one page says which */
		store_case_t c;
		store_t *s2 = hub_store_get(r->hub);
		int seen = s2 && case_get(s2, &a, ref, &c) == CASE_OK;
		hub_store_put(r->hub, s2);
		if (!seen) {
			json_decref(form);
			return web_error(r, 404, &u, N_("No such case."));
		}
	}
	int status = rc == CASE_ESTALE ? 412 : rc == CASE_EFORBIDDEN ? 403 : rc == CASE_ERR ? 500 : 400;
	if (rc == CASE_ESTALE) {
		char msg[1400];
		snprintf(msg, sizeof msg, "%s %s", web_t(r, N_("The case changed since you read it; nothing was saved:")),
			 err);
		return case_page(r, &u, &a, ref, status, msg, form);
	}
	return case_page(r, &u, &a, ref, status, err[0] ? err : web_t(r, N_("The store is not available.")),
			 form);
}

/* ---- figures ---- */

static json_t *pairs(json_t *obj)
{
	json_t *list = json_array(), *v;
	const char *k;
	json_object_foreach(obj, k, v)
		json_array_append_new(list, json_pack("{s:s, s:I}", "key", k, "n", (json_int_t)json_integer_value(v)));
	return list;
}

int web_case_figures(http_req_t *r)
{
	people_user_t u;
	char who[300], err[300];
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	case_actor_t a = actor(r, &u, who, sizeof who);
	json_t *o = NULL;
	store_t *st = hub_store_get(r->hub);
	int rc = st ? case_stats(st, &a, 0, 0, (void **)&o, err, sizeof err) : -1;
	hub_store_put(r->hub, st);
	if (rc || !o)
		return web_error(r, 500, &u, N_("The store is not available."));
	static const char *const tn[] = {"acknowledge", "first_response", "resolution"};
	static const char *const tl[] = {N_("Acknowledge"), N_("First response"), N_("Resolution")};
	json_t *times = json_array();
	for (int k = 0; k < 3; k++) {
		json_t *t = json_object_get(json_object_get(o, "time_to"), tn[k]);
		json_t *m = json_object_get(json_object_get(o, "sla"), tn[k]);
		json_int_t med = json_integer_value(json_object_get(t, "median_s"));
		json_int_t p90 = json_integer_value(json_object_get(t, "p90_s"));
		json_array_append_new(times, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "name", web_t(r, tl[k]), "n",
						       json_integer_value(json_object_get(t, "n")), "median_min",
						       med / 60, "p90_min", p90 / 60, "met",
						       json_integer_value(json_object_get(m, "met")), "missed",
						       json_integer_value(json_object_get(m, "missed"))));
	}
	json_t *ctx = json_pack("{s:I, s:o, s:o, s:o, s:o}", "cases", json_integer_value(json_object_get(o, "cases")),
				"by_class", pairs(json_object_get(o, "by_class")), "by_sector",
				pairs(json_object_get(o, "by_sector")), "by_month",
				pairs(json_object_get(o, "by_month")), "times", times);
	json_decref(o);
	web_page_t p = {.tpl = "case_figures", .title = N_("Incident figures"), .nav = "cases", .chart = 1,
			.u = &u, .sid = r->sid};
	return web_page(r, 200, &p, ctx);
}
