/* api_case.c — incident cases over HTTP: /api/v1/cases (list with filters
 * and keyset pages, open, get with its ETag, PATCH with If-Match, comments,
 * tasks, links, merge, escalation, exports, figures, sharing into a TAXII
 * collection) and POST /api/v1/incidents (a constituent reports).  The
 * rules are case.h's; this file turns a request into an actor and a call. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "case/case_json.h"
#include "http.h"

/* The actor of a request: the hub's team is an analyst or admin of the
 * hub's organisation; everyone else acts for its own organisation. */
case_actor_t api_case_actor(http_req_t *r, char *addr, size_t n)
{
	case_actor_t a = {0};
	http_client_addr(r, addr, n);
	a.org_id = r->who.org_id;
	a.actor = r->who.cred;
	a.addr = addr;
	a.hub = r->who.hub_member && (r->who.role == ROLE_ANALYST || r->who.role == ROLE_ADMIN);
	a.view = auth_view(&r->who);
	return a;
}

static json_t *body_obj(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	if (in && !json_is_object(in)) {
		json_decref(in);
		return NULL;
	}
	return in;
}

/* A string member (NULL when absent); *bad set when present and not a string. */
static const char *jstr(json_t *o, const char *k, int *bad)
{
	json_t *v = json_object_get(o, k);
	if (v && !json_is_string(v) && !json_is_null(v))
		*bad = 1;
	return json_string_value(v);
}

/* 400 naming the first member of in that is not in known (a typo is
 * refused, never dropped in silence); 0 when every member is known. */
static int unknown_member(http_req_t *r, json_t *in, const char *const *known, int *rc)
{
	const char *key;
	json_t *val;
	json_object_foreach(in, key, val) {
		int ok = 0;
		for (int i = 0; known[i]; i++)
			ok |= !strcmp(key, known[i]);
		if (!ok) {
			char m[96];
			snprintf(m, sizeof m, "%.40s: not a member this request takes", key);
			*rc = http_error_at(r, -1, key, m);
			return 1;
		}
	}
	return 0;
}

/* A case error as the answer: 404, 400 naming the field, 403, 412, 500. */
static int case_fail(http_req_t *r, int rc, const char *err)
{
	switch (rc) {
	case CASE_ENOTFOUND:
		return http_error(r, 404, "not_found", "no such case");
	case CASE_EINVAL: {
		char field[40];
		snprintf(field, sizeof field, "%.*s", (int)strcspn(err, ":"), err);
		return http_error_at(r, -1, field, err);
	}
	case CASE_EFORBIDDEN:
		return http_error(r, 403, "forbidden", "%s", err);
	case CASE_ESTALE:
		return http_error(r, 412, "stale_version", "%s", err);
	default:
		return http_error(r, 500, "internal", "%s", err);
	}
}

/* The version of If-Match ("3", "\"3\"", W/"3"); 0 when absent, -1 bad. */
static int64_t if_match(http_req_t *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
	if (!h)
		return 0;
	if (!strncmp(h, "W/", 2))
		h += 2;
	if (*h == '"')
		h++;
	char *end;
	long long v = strtoll(h, &end, 10);
	if (end == h || v < 1 || (*end && strcmp(end, "\"")))
		return -1;
	return v;
}

static void etag(http_req_t *r, int64_t version)
{
	char t[32];
	snprintf(t, sizeof t, "\"%lld\"", (long long)version);
	http_header(r, "ETag", t);
}

/* Does If-None-Match name the ETag of version (a list of tags, weak or
 * strong, or "*")? */
static int none_match(http_req_t *r, int64_t version)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	char want[32];
	snprintf(want, sizeof want, "\"%lld\"", (long long)version);
	size_t wn = strlen(want);
	while (h && *h) {
		while (*h == ' ' || *h == '\t' || *h == ',')
			h++;
		if (*h == '*')
			return 1;
		if (!strncmp(h, "W/", 2))
			h += 2;
		size_t n = strcspn(h, ",");
		while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
			n--;
		if (n == wn && !memcmp(h, want, n))
			return 1;
		h += strcspn(h, ",");
	}
	return 0;
}

/* ---- the reputation of linked observables: the one verdict ---- */

typedef struct {
	http_req_t *r;
	tlp_view_t view;
} rep_ctx_t;

static json_t *rep_of(void *arg, obs_type_t type, const char *value)
{
	rep_ctx_t *x = arg;
	obs_t o;
	if (obs_from_canonical(type, value, strlen(value), &o))
		return NULL;
	hub_verdict_t *vd = malloc(sizeof *vd);
	if (!vd)
		return NULL;
	const idx_snap_t *snap = idx_enter(x->r->hub->idx);
	json_t *j = NULL;
	if (!hub_verdict(x->r->hub, snap, &o, &x->view, hub_now(), 0, 0, vd)) {
		j = json_pack("{s:i, s:b, s:i}", "score", vd->res.score, "listed", vd->listed, "reports",
			      (int)vd->n);
		hub_verdict_done(vd);
	}
	idx_leave(x->r->hub->idx);
	free(vd);
	return j;
}

/* ---- list ---- */

static int row_cb(void *arg, const store_case_t *c)
{
	json_t **p = arg;
	json_array_append_new(p[0], case_json_row(c, json_is_true(p[1])));
	json_integer_set(p[2], c->id);
	return 0;
}

static int num_arg(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int api_cases_list(http_req_t *r)
{
	char addr[64], err[256];
	case_actor_t a = api_case_actor(r, addr, sizeof addr);
	store_case_filter_t f = {.limit = 100};
	const char *v;
	int64_t n;
	f.status = http_query(r, "status");
	f.classification = http_query(r, "classification");
	f.severity = http_query(r, "severity");
	f.team = http_query(r, "team");
	f.q = http_query(r, "q");
	if ((v = http_query(r, "cursor")) && num_arg(v, 1, INT64_MAX, &f.after_id))
		return http_error_at(r, -1, "cursor", "bad cursor");
	if ((v = http_query(r, "limit"))) {
		if (num_arg(v, 1, 1000, &n))
			return http_error_at(r, -1, "limit", "limit must be 1 to 1000");
		f.limit = (int)n;
	}
	if ((v = http_query(r, "from")) && model_time_parse(v, &f.created_from))
		return http_error_at(r, -1, "from", "a time (2026-01-01 or RFC 3339)");
	if ((v = http_query(r, "to")) && model_time_parse(v, &f.created_to))
		return http_error_at(r, -1, "to", "a time (2026-01-01 or RFC 3339)");
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return http_error(r, 503, "unavailable", "no store connection");
	int rc;
	case_lifecycle_t *lc = NULL;
	/* an unknown organisation or person: 400 for the hub's team; for
	 * anyone else the list is empty, as for one that exists but is in none
	 * of its cases (a constituent learns nothing of who exists) */
	const int64_t none = -1; /* no case has it */
	if ((v = http_query(r, "org"))) {
		org_t o;
		int miss = store_org_find(st, v, &o) != 0;
		if (miss && a.hub) {
			rc = http_error_at(r, -1, "org", "no such organisation");
			goto out;
		}
		f.reporter_org = miss ? none : o.id;
	}
	if ((v = http_query(r, "affected"))) {
		org_t o;
		int miss = store_org_find(st, v, &o) != 0;
		if (miss && a.hub) {
			rc = http_error_at(r, -1, "affected", "no such organisation");
			goto out;
		}
		f.affected_org = miss ? none : o.id;
	}
	if ((v = http_query(r, "assignee"))) {
		store_user_t u;
		int miss = store_user_get(st, v, 0, &u) != 0;
		if (miss && a.hub) {
			rc = http_error_at(r, -1, "assignee", "no such person");
			goto out;
		}
		f.assignee = miss ? none : u.id;
	}
	if ((v = http_query(r, "open")) && strcmp(v, "0") && strcmp(v, "false")) {
		if (!(lc = case_lifecycle_load(st, err, sizeof err))) {
			rc = http_error(r, 500, "internal", "%s", err);
			goto out;
		}
		f.open = 1;
		f.finals = case_lifecycle_finals(lc);
	}
	int want = f.limit;
	f.limit = want + 1;
	json_t *p[3] = {json_array(), a.hub ? json_true() : json_false(), json_integer(0)};
	if (case_list(st, &a, &f, row_cb, p)) {
		rc = http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		json_decref(p[0]);
	} else {
		json_t *next = json_null();
		if (json_array_size(p[0]) > (size_t)want) {
			json_array_remove(p[0], (size_t)want);
			/* the cursor: the last row's id (keyset, newest first) */
			store_case_t last;
			const char *ref = json_string_value(json_object_get(json_array_get(p[0], (size_t)want - 1), "ref"));
			if (ref && !store_case_get(st, ref, 0, &last)) {
				char cur[32];
				snprintf(cur, sizeof cur, "%lld", (long long)last.id);
				next = json_string(cur);
			}
		}
		rc = http_json(r, 200, json_pack("{s:o, s:o}", "cases", p[0], "next_cursor", next));
	}
	json_decref(p[1]);
	json_decref(p[2]);
out:
	case_lifecycle_free(lc);
	hub_store_put(r->hub, st);
	return rc;
}

/* ---- open: POST /api/v1/cases (the hub's team) and /api/v1/incidents ---- */

static int ref_cb(void *arg, const store_case_t *c)
{
	json_array_append_new(arg, json_string(c->ref));
	return 0;
}

/* POST /api/v1/incidents {"iodef": "<IODEF-Document ...>", "tlp": T}, or
 * the document itself (Content-Type: application/xml, ?tlp=T): the
 * document's new incidents, each a case of the caller's organisation.
 * field: the place errors about the document name. */
static int open_iodef_doc(http_req_t *r, const case_actor_t *a, const char *doc, size_t len,
			  const char *tlp_s, const char *field)
{
	char err[600];
	tlp_t t = TLP_AMBER;
	if (tlp_s && tlp_parse(tlp_s, &t))
		return http_error_at(r, -1, "tlp", "tlp: unknown TLP");
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return http_error(r, 503, "unavailable", "no store connection");
	json_t *refs = json_array();
	int rc, e;
	if (store_begin(st)) {
		rc = http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	} else if ((e = case_import_iodef(st, a, r->who.org_id, t, doc, len, field, ref_cb, refs,
					  err, sizeof err)) || store_commit(st)) {
		store_rollback(st);
		rc = e == CASE_EINVAL ? http_error_at(r, -1, field, err)
		     : e ? case_fail(r, e, err) : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	} else {
		hub_sync(r->hub);
		rc = http_json(r, json_array_size(refs) ? 201 : 200, json_pack("{s:O}", "cases", refs));
	}
	json_decref(refs);
	hub_store_put(r->hub, st);
	return rc;
}

static int open_iodef(http_req_t *r, const case_actor_t *a, json_t *in)
{
	const char *doc = json_string_value(json_object_get(in, "iodef"));
	if (!doc)
		return http_error_at(r, -1, "iodef", "iodef: the IODEF document, as a string");
	return open_iodef_doc(r, a, doc, strlen(doc), json_string_value(json_object_get(in, "tlp")),
			      "iodef");
}

int api_body_is_xml(http_req_t *r)
{
	const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	if (!t)
		return 0;
	size_t n = !strncasecmp(t, "application/xml", 15) ? 15 : !strncasecmp(t, "text/xml", 8) ? 8 : 0;
	return n && (!t[n] || t[n] == ';' || t[n] == ' ');
}

static int open_case(http_req_t *r, int incident)
{
	char addr[64], err[600];
	case_actor_t a = api_case_actor(r, addr, sizeof addr);
	if (incident && api_body_is_xml(r))
		return open_iodef_doc(r, &a, r->body ? r->body : "", r->len, http_query(r, "tlp"), "body");
	json_t *in = body_obj(r), *obs;
	const char **vals = NULL;
	int bad = 0, rc;
	if (!in)
		return http_error(r, 400, "invalid", "body must be a JSON object");
	if (!incident && !a.hub) {
		json_decref(in);
		return http_error(r, 403, "forbidden", "cases are opened by the hub's analysts; "
				  "constituents report with POST /api/v1/incidents");
	}
	static const char *const k_iodef[] = {"iodef", "tlp", NULL},
		*const k_incident[] = {"title", "description", "classification", "severity", "tlp",
				       "observables", NULL},
		*const k_case[] = {"title", "description", "classification", "severity", "tlp",
				   "observables", "team", "reporter", "assignee", NULL};
	int iodef = incident && json_object_get(in, "iodef");
	if (unknown_member(r, in, iodef ? k_iodef : incident ? k_incident : k_case, &rc)) {
		json_decref(in);
		return rc;
	}
	if (iodef) {
		rc = open_iodef(r, &a, in);
		json_decref(in);
		return rc;
	}
	case_new_t n = {.reporter_org = r->who.org_id, .tlp = -1, .source = "api"};
	n.title = jstr(in, "title", &bad);
	if (bad || !n.title) {
		json_decref(in);
		return http_error_at(r, -1, "title", "title: give 1 to 200 bytes of text on one line");
	}
	n.body = jstr(in, "description", &bad);
	n.classification = jstr(in, "classification", &bad);
	n.severity = jstr(in, "severity", &bad);
	n.team = incident ? NULL : jstr(in, "team", &bad);
	const char *tlp_s = jstr(in, "tlp", &bad), *reporter = incident ? NULL : jstr(in, "reporter", &bad);
	const char *assignee = incident ? NULL : jstr(in, "assignee", &bad);
	if (bad) {
		json_decref(in);
		return http_error(r, 400, "invalid", "title, description, classification, severity, tlp, "
				  "team, reporter and assignee are strings");
	}
	tlp_t t;
	if (tlp_s) {
		if (tlp_parse(tlp_s, &t)) {
			json_decref(in);
			return http_error_at(r, -1, "tlp", "tlp: unknown TLP");
		}
		n.tlp = (int)t;
	}
	obs = json_object_get(in, "observables");
	if (obs && !json_is_array(obs)) {
		json_decref(in);
		return http_error_at(r, -1, "observables", "observables: an array of values");
	}
	size_t k;
	json_t *v;
	if (json_array_size(obs)) {
		vals = calloc(json_array_size(obs), sizeof *vals);
		if (!vals) {
			json_decref(in);
			return http_error(r, 500, "internal", "out of memory");
		}
	}
	json_array_foreach(obs, k, v) {
		if (!json_is_string(v)) {
			free(vals);
			json_decref(in);
			return http_error_at(r, (long)k, "observables", "observables: each a string");
		}
		vals[k] = json_string_value(v);
	}
	n.observables = vals;
	n.nobservables = json_array_size(obs);
	store_t *st = hub_store_get(r->hub);
	store_case_t c;
	if (!st) {
		rc = http_error(r, 503, "unavailable", "no store connection");
		goto out;
	}
	if (reporter) {
		org_t o;
		if (store_org_find(st, reporter, &o)) {
			rc = http_error_at(r, -1, "reporter", "reporter: no such organisation");
			goto put;
		}
		n.reporter_org = o.id;
	}
	if (assignee) {
		store_user_t u;
		if (store_user_get(st, assignee, 0, &u)) {
			rc = http_error_at(r, -1, "assignee", "assignee: no such person");
			goto put;
		}
		n.assignee = u.id;
	}
	if (store_begin(st)) {
		rc = http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		goto put;
	}
	if ((rc = case_open(st, &a, &n, &c, err, sizeof err)) || store_commit(st)) {
		store_rollback(st);
		rc = rc ? case_fail(r, rc, err) : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		goto put;
	}
	etag(r, c.version);
	store_case_get(st, NULL, c.id, &c);
	rc = http_json(r, 201, case_json_row(&c, a.hub));
put:
	hub_store_put(r->hub, st);
out:
	free(vals);
	json_decref(in);
	return rc;
}

int api_cases_post(http_req_t *r)
{
	return open_case(r, 0);
}

int api_incidents_post(http_req_t *r)
{
	return open_case(r, 1);
}

/* ---- one case ---- */

/* "REF" or "REF/what" of the path into ref and *what. */
static int split_arg(http_req_t *r, char *ref, size_t n, const char **what)
{
	const char *s = strchr(r->arg, '/');
	size_t l = s ? (size_t)(s - r->arg) : strlen(r->arg);
	if (!l || l >= n)
		return -1;
	memcpy(ref, r->arg, l);
	ref[l] = '\0';
	*what = s ? s + 1 : "";
	return 0;
}

static int stats(http_req_t *r, store_t *st, const case_actor_t *a)
{
	int64_t from = 0, to = 0;
	const char *v, *fmt = http_query(r, "format");
	char err[256];
	if ((v = http_query(r, "from")) && model_time_parse(v, &from))
		return http_error_at(r, -1, "from", "a time (2026-01-01 or RFC 3339)");
	if ((v = http_query(r, "to")) && model_time_parse(v, &to))
		return http_error_at(r, -1, "to", "a time (2026-01-01 or RFC 3339)");
	if (fmt && !strcmp(fmt, "csv")) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f)
			return http_error(r, 500, "internal", "out of memory");
		int rc = case_stats_csv(st, a, from, to, f, err, sizeof err);
		fclose(f);
		if (rc) {
			free(buf);
			return http_error(r, 500, "internal", "%s", err);
		}
		return http_text(r, 200, "text/csv; charset=utf-8", buf, len);
	}
	json_t *o;
	if (case_stats(st, a, from, to, (void **)&o, err, sizeof err))
		return http_error(r, 500, "internal", "%s", err);
	return http_json(r, 200, o);
}

int api_case_get(http_req_t *r)
{
	char addr[64], ref[CASE_REF_MAX + 1], err[600];
	const char *what;
	case_actor_t a = api_case_actor(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	store_case_t c;
	int rc;
	if (!st)
		return http_error(r, 503, "unavailable", "no store connection");
	if (!strcmp(r->arg, "stats")) {
		rc = stats(r, st, &a);
		goto out;
	}
	if (split_arg(r, ref, sizeof ref, &what) || case_get(st, &a, ref, &c)) {
		rc = http_error(r, 404, "not_found", "no such case");
		goto out;
	}
	if (!*what) {
		/* the timeline's newest entries (entries=, 1..1000, 100 unless
		 * given) below before= (keyset: timeline_older of the page) */
		rep_ctx_t x = {r, a.view};
		const char *bs = http_query(r, "before"), *ns = http_query(r, "entries");
		int64_t before = 0, n = 100;
		if (bs && num_arg(bs, 1, INT64_MAX, &before)) {
			rc = http_error_at(r, -1, "before", "before: an entry id (timeline_older)");
			goto out;
		}
		if (ns && num_arg(ns, 1, 1000, &n)) {
			rc = http_error_at(r, -1, "entries", "entries: 1 to 1000");
			goto out;
		}
		etag(r, c.version);
		if (none_match(r, c.version)) {
			rc = http_text(r, 304, "application/json", strdup(""), 0);
			goto out;
		}
		json_t *o = case_json_page(st, &a, &c, rep_of, &x, before, (int)n);
		json_t *older = json_object_get(o, "timeline_older");
		if (json_is_integer(older)) {
			char link[CASE_REF_MAX + 96];
			snprintf(link, sizeof link, "/api/v1/cases/%s?before=%lld&entries=%lld", c.ref,
				 (long long)json_integer_value(older), (long long)n);
			json_object_set_new(o, "timeline_older_url", json_string(link));
		}
		rc = http_json(r, 200, o);
	} else if (!strcmp(what, "export")) {
		const char *fmt = http_query(r, "format");
		char *doc = NULL;
		if (!fmt || (strcmp(fmt, "iodef") && strcmp(fmt, "stix"))) {
			rc = http_error_at(r, -1, "format", "format: iodef or stix");
			goto out;
		}
		int e = !strcmp(fmt, "iodef") ? case_export_iodef(st, &a, ref, &doc, err, sizeof err)
					      : case_export_stix(st, &a, ref, &doc, err, sizeof err);
		rc = e ? case_fail(r, e, err)
		       : http_text(r, 200, fmt[0] == 'i' ? "application/xml" : "application/stix+json;version=2.1",
				   doc, strlen(doc));
	} else {
		rc = http_error(r, 404, "not_found", "no such resource");
	}
out:
	hub_store_put(r->hub, st);
	return rc;
}

/* What changed since version v: the entries the viewer may see. */
typedef struct {
	int64_t since;
	int reporter;
	json_t *arr;
} since_t;

static int since_cb(void *arg, const store_case_entry_t *e)
{
	since_t *s = arg;
	if (e->version <= s->since || (s->reporter && e->visibility != CASE_VIS_REPORTER))
		return 0;
	char t[MODEL_TIME_LEN];
	json_array_append_new(s->arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "version", (json_int_t)e->version,
						"kind", e->kind, "author", e->author, "time",
						model_time_fmt(e->created, t), "text",
						e->visibility == CASE_VIS_INTERNAL && !strcmp(e->kind, "comment")
							? "(internal note)" : e->text));
	return 0;
}

/* 412: the answer says the version now and what changed since. */
static int stale(http_req_t *r, store_t *st, const case_actor_t *a, const char *ref, int64_t given)
{
	store_case_t c;
	if (case_get(st, a, ref, &c))
		return http_error(r, 404, "not_found", "no such case");
	since_t s = {given, !a->hub, json_array()};
	store_case_entry_list(st, c.id, 0, !a->hub, since_cb, &s);
	etag(r, c.version);
	char msg[96];
	snprintf(msg, sizeof msg, "version %lld is now %lld", (long long)given, (long long)c.version);
	return http_json(r, 412, json_pack("{s:{s:s, s:s}, s:I, s:o}", "error", "code", "stale_version",
					   "message", msg, "version", (json_int_t)c.version, "changes", s.arr));
}

int api_case_patch(http_req_t *r)
{
	char addr[64], err[1200];
	case_actor_t a = api_case_actor(r, addr, sizeof addr);
	int64_t version = if_match(r);
	json_t *in = body_obj(r);
	int bad = 0, rc = 0;
	if (version < 0) {
		json_decref(in);
		return http_error_at(r, -1, "If-Match", "If-Match: the case's version, as its ETag gives it");
	}
	if (!in)
		return http_error(r, 400, "invalid", "body must be a JSON object");
	if (!a.hub) {
		json_decref(in);
		return http_error(r, 403, "forbidden", "cases are changed by the hub's analysts");
	}
	static const char *const known[] = {"title", "classification", "severity", "tlp", "team",
					    "assignee", "status", "resolution", "waiting", NULL};
	if (unknown_member(r, in, known, &rc)) {
		json_decref(in);
		return rc;
	}
	case_edit_t e = {.tlp = -1, .assignee = -1};
	e.title = jstr(in, "title", &bad);
	e.classification = jstr(in, "classification", &bad);
	e.severity = jstr(in, "severity", &bad);
	e.team = jstr(in, "team", &bad);
	const char *tlp_s = jstr(in, "tlp", &bad), *status = jstr(in, "status", &bad),
		   *resolution = jstr(in, "resolution", &bad);
	json_t *asg = json_object_get(in, "assignee"), *waiting = json_object_get(in, "waiting");
	if (bad || (asg && !json_is_string(asg) && !json_is_null(asg)) || (waiting && !json_is_boolean(waiting))) {
		json_decref(in);
		return http_error(r, 400, "invalid", "members are strings (assignee: an e-mail or null; "
				  "waiting: true or false)");
	}
	tlp_t t;
	if (tlp_s) {
		if (tlp_parse(tlp_s, &t)) {
			json_decref(in);
			return http_error_at(r, -1, "tlp", "tlp: unknown TLP");
		}
		e.tlp = (int)t;
	}
	store_t *st = hub_store_get(r->hub);
	store_case_t c;
	if (!st) {
		json_decref(in);
		return http_error(r, 503, "unavailable", "no store connection");
	}
	if (asg) {
		store_user_t u;
		if (json_is_null(asg))
			e.assignee = 0;
		else if (store_user_get(st, json_string_value(asg), 0, &u)) {
			rc = http_error_at(r, -1, "assignee", "assignee: no such person");
			goto out;
		} else
			e.assignee = u.id;
	}
	if (store_begin(st)) {
		rc = http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		goto out;
	}
	/* one version check for the whole change, then each part */
	int e1 = case_edit(st, &a, r->arg, version, &e, &c, err, sizeof err);
	if (!e1 && status)
		e1 = case_status(st, &a, r->arg, 0, status, resolution, &c, err, sizeof err);
	if (!e1 && waiting)
		e1 = case_wait(st, &a, r->arg, json_is_true(waiting), err, sizeof err);
	if (e1 || store_commit(st)) {
		store_rollback(st);
		if (e1 == CASE_ESTALE)
			rc = stale(r, st, &a, r->arg, version);
		else
			rc = e1 ? case_fail(r, e1, err) : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		goto out;
	}
	case_get(st, &a, r->arg, &c);
	etag(r, c.version);
	rc = http_json(r, 200, case_json_row(&c, 1));
out:
	json_decref(in);
	hub_store_put(r->hub, st);
	return rc;
}

/* POST /api/v1/cases/REF/comments|tasks|links|merge|share, /cases/escalate */
int api_case_post(http_req_t *r)
{
	char addr[64], ref[CASE_REF_MAX + 1], err[1200];
	const char *what;
	case_actor_t a = api_case_actor(r, addr, sizeof addr);
	json_t *in = body_obj(r);
	int bad = 0, rc = 0, e = 0;
	int64_t version = if_match(r);
	store_case_t c;
	if (!in)
		return http_error(r, 400, "invalid", "body must be a JSON object");
	if (version < 0) {
		json_decref(in);
		return http_error_at(r, -1, "If-Match", "If-Match: the case's version, as its ETag gives it");
	}
	int escalate = !strcmp(r->arg, "escalate");
	if (!escalate && split_arg(r, ref, sizeof ref, &what)) {
		json_decref(in);
		return http_error(r, 404, "not_found", "no such case");
	}
	if (!escalate && strcmp(what, "comments") && !a.hub) {
		json_decref(in);
		return http_error(r, 403, "forbidden", "only the hub's analysts do this");
	}
	if (!a.hub && r->who.role < ROLE_CONTRIBUTOR) {
		json_decref(in);
		return http_error(r, 403, "forbidden", "a reader does not comment");
	}
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(in);
		return http_error(r, 503, "unavailable", "no store connection");
	}
	if (store_begin(st)) {
		rc = http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		goto out;
	}
	json_t *res = NULL;
	if (!escalate && version) {
		/* If-Match: checked once, here, for every action on the case */
		store_case_t cur;
		if ((e = case_get(st, &a, ref, &cur)))
			snprintf(err, sizeof err, "case %s: not found", ref);
		else if (cur.version != version)
			e = CASE_ESTALE;
	}
	if (e) {
		/* refused above */
	} else if (escalate) {
		const char *kind = jstr(in, "kind", &bad), *title = jstr(in, "title", &bad);
		json_t *jid = json_object_get(in, "id");
		if (!a.hub) {
			e = CASE_EFORBIDDEN;
			snprintf(err, sizeof err, "escalate: only the hub's analysts escalate");
		} else if (bad || !json_is_integer(jid)) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "id: the id of the event, notice or warning (a number)");
		} else if (!(e = case_escalate(st, &a, kind, json_integer_value(jid), title, &c, err, sizeof err))) {
			res = case_json_row(&c, 1);
		}
	} else if (!strcmp(what, "comments")) {
		const char *text = jstr(in, "text", &bad);
		json_t *to = json_object_get(in, "to_reporter");
		int64_t eid = 0;
		if (bad || (to && !json_is_boolean(to))) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "text: a string; to_reporter: true or false");
		} else if (!(e = case_comment(st, &a, ref, 0 /* checked above */,
					      !a.hub || json_is_true(to) ? CASE_VIS_REPORTER : CASE_VIS_INTERNAL,
					      text, &eid, err, sizeof err)))
			res = json_pack("{s:I}", "id", (json_int_t)eid);
	} else if (!strcmp(what, "tasks")) {
		const char *title = jstr(in, "title", &bad), *asg = jstr(in, "assignee", &bad),
			   *due_s = jstr(in, "due", &bad);
		json_t *done = json_object_get(in, "done"), *tid = json_object_get(in, "id");
		int64_t due = 0, asg_id = 0;
		store_user_t u;
		store_case_task_t t;
		if (bad || (due_s && model_time_parse(due_s, &due))) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "due: a time (2026-12-31T17:00:00Z)");
		} else if (asg && store_user_get(st, asg, 0, &u)) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "assignee: no such person");
		} else if (tid) {
			if (!json_is_integer(tid) || !json_is_boolean(done)) {
				e = CASE_EINVAL;
				snprintf(err, sizeof err, "id: a task number, with done: true or false");
			} else if (!(e = case_task_done(st, &a, ref, json_integer_value(tid), json_is_true(done),
							err, sizeof err)))
				res = json_pack("{s:I}", "id", (json_int_t)json_integer_value(tid));
		} else {
			asg_id = asg ? u.id : 0;
			if (!(e = case_task_add(st, &a, ref, title, asg_id, due, &t, err, sizeof err)))
				res = json_pack("{s:I}", "id", (json_int_t)t.id);
		}
	} else if (!strcmp(what, "links")) {
		const char *kind = jstr(in, "kind", &bad), *target = jstr(in, "target", &bad);
		if (bad) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "kind, target: strings");
		} else if (!(e = case_link(st, &a, ref, kind, target, NULL, err, sizeof err)))
			res = json_pack("{s:s}", "linked", target);
	} else if (!strcmp(what, "merge")) {
		const char *into = jstr(in, "into", &bad);
		if (bad || !into) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "into: the reference of the case to merge into");
		} else if (!(e = case_merge(st, &a, ref, into, err, sizeof err)))
			res = json_pack("{s:s}", "merged_into", into);
	} else if (!strcmp(what, "share")) {
		const char *coll = jstr(in, "collection", &bad), *to = jstr(in, "to", &bad);
		store_coll_t co;
		org_t o = {0};
		long n = 0;
		if (bad || !coll || store_coll_get(st, coll, -1, &co)) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "collection: no such TAXII collection");
		} else if (to && store_org_find(st, to, &o)) {
			e = CASE_EINVAL;
			snprintf(err, sizeof err, "to: no such organisation");
		} else if (!(e = case_share(st, &a, ref, co.cid, o.id, &n, err, sizeof err)))
			res = json_pack("{s:I}", "objects", (json_int_t)n);
	} else {
		e = CASE_ENOTFOUND;
	}
	if (e || store_commit(st)) {
		store_rollback(st);
		json_decref(res);
		if (e == CASE_ESTALE)
			rc = stale(r, st, &a, ref, version);
		else
			rc = e ? case_fail(r, e, err) : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
		goto out;
	}
	if (!escalate && !case_get(st, &a, ref, &c))
		etag(r, c.version);
	if (!escalate && !strcmp(what, "share"))
		hub_sync(r->hub);
	rc = http_json(r, escalate ? 201 : 200, res);
out:
	json_decref(in);
	hub_store_put(r->hub, st);
	return rc;
}
