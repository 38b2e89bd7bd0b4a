/* api_watch.c — watch and warn over HTTP: feeds (list, add), the
 * constituency (list, add), early warnings (raise, list), deliveries (what
 * went to whom) and the live stream of warnings (server-sent events). */
#include <jansson.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_sla.h"
#include "cons/cons.h"
#include "feed/feed.h"
#include "http.h"
#include "people/people.h"
#include "notify/notify.h"
#include "watch/watch.h"

static int store_error(http_req_t *r, store_t *st)
{
	return http_error(r, 500, "internal", "store: %s", st ? store_errmsg(st) : "unavailable");
}

static json_t *body_json(http_req_t *r)
{
	json_error_t je;
	return json_loadb(r->body, r->len, 0, &je);
}

/* ---- feeds ---- */

json_t *api_feed_json(const store_feed_t *f)
{
	char ok[24] = "", next[24] = "";
	if (f->last_ok)
		model_time_fmt(f->last_ok, ok);
	if (f->next_run)
		model_time_fmt(f->next_run, next);
	return json_pack(
		"{ss,ss,ss,ss,ss,ss,sI,si,sb,ss,sI,sI,sI,sI,ss,ss,ss}", "name", f->name, "url", f->url,
		"path", f->path, "format", f->format, "tlp", tlp_name(f->tlp), "policy", f->policy,
		"every", (json_int_t)f->every, "confidence", f->confidence, "enabled", f->enabled,
		"last_ok", ok, "failures", (json_int_t)f->failures, "records", (json_int_t)f->records,
		"events", (json_int_t)f->events, "skipped", (json_int_t)f->skipped, "last_error",
		f->last_error, "next_run", next, "state", feed_state(f));
}

static int feed_json(void *arg, const store_feed_t *f)
{
	return json_array_append_new(arg, api_feed_json(f));
}

/* {"key": [...]} with the items fill() appends from the store. */
static int list_reply(http_req_t *r, const char *key, int (*fill)(store_t *, json_t *))
{
	json_t *list = json_array();
	store_t *st = hub_store_get(r->hub);
	int rc = !st || !list || fill(st, list)
			 ? store_error(r, st)
			 : http_json(r, 200, json_pack("{s:O}", key, list));
	json_decref(list);
	hub_store_put(r->hub, st);
	return rc;
}

static int fill_feeds(store_t *st, json_t *list)
{
	return store_feed_list(st, feed_json, list);
}

int api_feeds_list(http_req_t *r)
{
	return list_reply(r, "feeds", fill_feeds);
}

static const char *str(json_t *in, const char *k, const char *dflt)
{
	json_t *v = json_object_get(in, k);
	return json_is_string(v) ? json_string_value(v) : dflt;
}

int api_hub_admin(const http_req_t *r)
{
	return r->who.hub_member && auth_role_at_least(&r->who, ROLE_ADMIN);
}

int api_feed_add(http_req_t *r, json_t *in, store_feed_t *f, const char **field, char *err, size_t errlen)
{
	*f = (store_feed_t){.confidence = 50, .enabled = 1, .every = 3600, .tlp = r->hub->default_tlp};
	*field = NULL;
	if (!api_hub_admin(r))
		return snprintf(err, errlen, "only the hub's administrators add feeds"), 403;
	if (!json_is_object(in))
		return snprintf(err, errlen, "body must be a JSON object"), 400;
	const char *tlp = str(in, "tlp", NULL), *every = str(in, "every", NULL);
	json_t *conf = json_object_get(in, "confidence");
	const char *longest = strlen(str(in, "url", "")) >= sizeof f->url ? "url"
			      : strlen(str(in, "path", "")) >= sizeof f->path ? "path"
			      : strlen(str(in, "column", "")) >= sizeof f->column ? "column"
			      : strlen(str(in, "name", "")) >= sizeof f->name ? "name" : NULL;
	snprintf(f->name, sizeof f->name, "%s", str(in, "name", ""));
	snprintf(f->url, sizeof f->url, "%s", str(in, "url", ""));
	snprintf(f->path, sizeof f->path, "%s", str(in, "path", ""));
	snprintf(f->format, sizeof f->format, "%s", str(in, "format", ""));
	snprintf(f->classification, sizeof f->classification, "%s", str(in, "classification", ""));
	snprintf(f->policy, sizeof f->policy, "%s", str(in, "policy", "skip"));
	snprintf(f->column, sizeof f->column, "%s", str(in, "column", ""));
	if (conf)
		f->confidence = json_is_integer(conf) ? (int)json_integer_value(conf) : -1;
	if (longest)
		return *field = longest, snprintf(err, errlen, "too long"), 400;
	if (f->path[0])
		/* the API must not be a way to read the server's files into events */
		return *field = "path", snprintf(err, errlen, "feeds from local files are added on the server "
							       "(c5hub feed add --path); the API takes url"), 400;
	if (tlp && tlp_parse(tlp, &f->tlp))
		return *field = "tlp", snprintf(err, errlen, "unknown TLP"), 400;
	if (every && model_duration_parse(every, &f->every))
		return *field = "every", snprintf(err, errlen, "a duration such as 15m, 1h, 1d"), 400;
	if (feed_check(f, err, errlen)) {
		static const char *const names[] = {"name", "url", "path", "format", "classification",
						    "column", "policy", "every", "confidence", "tlp"};
		*field = "feed";
		for (size_t i = 0; i < sizeof names / sizeof *names; i++)
			if (!strncmp(err, names[i], strlen(names[i])) && err[strlen(names[i])] == ':')
				*field = names[i];
		return 400;
	}
	store_t *st = hub_store_get(r->hub);
	int src = !st || store_begin(st) ? STORE_ERR : store_feed_add(st, f);
	if (!src && (http_audit(r, st, "feed.add", f->name, f->url[0] ? f->url : f->path) || store_commit(st)))
		src = STORE_ERR;
	if (src && st)
		store_rollback(st);
	int rc = 0;
	if (src == STORE_EEXISTS)
		rc = 409, snprintf(err, errlen, "feed '%s' already exists", f->name);
	else if (src)
		rc = 500, snprintf(err, errlen, "store: %s", st ? store_errmsg(st) : "unavailable");
	hub_store_put(r->hub, st);
	return rc;
}

int api_feeds_post(http_req_t *r)
{
	json_t *in = body_json(r);
	store_feed_t *f = malloc(sizeof *f);
	const char *field;
	char err[512];
	int rc = f ? api_feed_add(r, in, f, &field, err, sizeof err) : 500;
	if (!f)
		rc = http_error(r, 500, "internal", "out of memory");
	else if (rc == 0)
		rc = http_json(r, 201, api_feed_json(f));
	else if (rc == 400 && field)
		rc = http_error_at(r, -1, field, err);
	else
		rc = http_error(r, rc, rc == 403 ? "forbidden" : rc == 409 ? "exists" : rc == 400 ? "invalid"
								 : "internal", "%s", err);
	free(f);
	json_decref(in);
	return rc;
}

int api_feed_run_now(http_req_t *r, const char *name, char *err, size_t errlen)
{
	store_feed_t *f = malloc(sizeof *f);
	int rc = 0;
	if (!api_hub_admin(r))
		rc = 403, snprintf(err, errlen, "only the hub's administrators run feeds");
	else if (!f)
		rc = 500, snprintf(err, errlen, "out of memory");
	else if (!r->hub->watch || !r->hub->watch->feeds)
		rc = 409, snprintf(err, errlen, "this server does not run feeds (serve --no-feeds)");
	if (rc) {
		free(f);
		return rc;
	}
	store_t *st = hub_store_get(r->hub);
	int src = !st ? STORE_ERR : store_feed_get(st, name, f);
	if (src == STORE_ENOTFOUND)
		rc = 404, snprintf(err, errlen, "no such feed");
	else if (!src && !f->enabled)
		rc = 409, snprintf(err, errlen, "this feed is disabled");
	else if (src)
		rc = 500;
	else {
		/* due now, and the scheduler (watch.c) woken to run it */
		f->next_run = (int64_t)time(NULL);
		if (store_begin(st))
			rc = 500;
		else if (store_feed_update(st, f) || http_audit(r, st, "feed.run", f->name, "run now") ||
			 store_commit(st)) {
			store_rollback(st);
			rc = 500;
		}
	}
	if (rc == 500)
		snprintf(err, errlen, "store: %s", st ? store_errmsg(st) : "unavailable");
	hub_store_put(r->hub, st);
	free(f);
	if (!rc)
		hub_kick(r->hub);
	return rc;
}

/* ---- constituency ---- */

static int res_json(void *arg, const store_res_t *res)
{
	return json_array_append_new(arg, json_pack("{ss,ss,ss,ss}", "organisation", res->org_name,
						    "type", obs_type_name(res->type), "resource",
						    res->value, "abuse_contact", res->abuse_contact));
}

static int fill_constituency(store_t *st, json_t *list)
{
	return store_res_list(st, res_json, list);
}

int api_constituency_list(http_req_t *r)
{
	return list_reply(r, "constituency", fill_constituency);
}

/* A JSON array of {organisation, resource, abuse_contact[, type, country]}
 * goes through the same importer as the CSV file: all rows or none. */
/* ?create_orgs=true: each organisation a row makes is audited. */
typedef struct {
	http_req_t *r;
	store_t *st;
} api_made_t;

static int api_org_made(void *arg, const org_t *o, long line)
{
	api_made_t *m = arg;
	char detail[96];
	snprintf(detail, sizeof detail, "%s %s (constituency item %ld)", o->type, o->country, line - 2);
	return http_audit(m->r, m->st, "orgs.add", o->name, detail);
}

int api_constituency_import(http_req_t *r, FILE *csv, const char *name, int create, long *rows, char *err,
			    size_t errlen)
{
	*rows = 0;
	if (!api_hub_admin(r))
		return snprintf(err, errlen, "only the hub's administrators edit the constituency"), 403;
	store_t *st = hub_store_get(r->hub);
	int rc = 0;
	api_made_t made = {r, st};
	cons_import_opts_t opts = {.create = create, .created = api_org_made, .arg = &made};
	if (!st || store_begin(st)) {
		snprintf(err, errlen, "store: %s", st ? store_errmsg(st) : "unavailable");
		rc = 500;
	} else if (cons_import(st, csv, name, &opts, rows, err, errlen)) {
		store_rollback(st);
		rc = 400;
	} else if (http_audit(r, st, "constituency.import", name, "rows") || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		rc = 500;
	}
	hub_store_put(r->hub, st);
	if (!rc)
		hub_sync(r->hub); /* who answers for what: at once */
	return rc;
}

int api_constituency_post(http_req_t *r)
{
	json_t *in = body_json(r), *row;
	char *csv = NULL, err[512] = "";
	size_t csvlen = 0, i;
	long rows = 0;
	int rc;
	FILE *f = NULL;
	if (!api_hub_admin(r)) {
		json_decref(in);
		return http_error(r, 403, "forbidden", "only the hub's administrators edit the constituency");
	}
	if (!json_is_array(in) || json_array_size(in) == 0 || !(f = open_memstream(&csv, &csvlen))) {
		json_decref(in);
		return http_error(r, 400, "invalid", "body must be a non-empty JSON array of "
				  "{organisation, resource, abuse_contact[, type, country, channel, "
				  "frequency]}");
	}
	fputs("organisation,resource,abuse_contact,type,country,channel,frequency\n", f);
	json_array_foreach(in, i, row) {
		const char *v[7] = {str(row, "organisation", ""), str(row, "resource", ""),
				    str(row, "abuse_contact", ""), str(row, "type", ""),
				    str(row, "country", ""), str(row, "channel", ""),
				    str(row, "frequency", "")};
		for (int k = 0; k < 7; k++) {
			fputc('"', f);
			for (const char *p = v[k]; *p; p++)
				fputs(*p == '"' ? "\"\"" : (char[]){*p, 0}, f);
			fputs(k < 6 ? "\"," : "\"\n", f);
		}
	}
	fclose(f);
	FILE *mf = csv ? fmemopen(csv, csvlen, "r") : NULL;
	const char *create = http_query(r, "create_orgs");
	rc = mf ? api_constituency_import(r, mf, "body", create && (!strcmp(create, "1") || !strcmp(create, "true")),
					  &rows, err, sizeof err)
		: (snprintf(err, sizeof err, "out of memory"), 500);
	if (rc == 400) {
		/* "body:N:" — line N of the CSV is item N - 2 of the array */
		long line = strtol(err + 5, NULL, 10);
		const char *why = strchr(err + 5, ':');
		rc = http_error_at(r, line - 2, "resource", why ? why + 2 : err);
	} else if (rc) {
		rc = http_error(r, rc, rc == 403 ? "forbidden" : "internal", "%s", err);
	} else {
		rc = http_json(r, 201, json_pack("{sI}", "resources", (json_int_t)rows));
	}
	if (mf)
		fclose(mf);
	free(csv);
	json_decref(in);
	return rc;
}

/* ---- warnings ---- */

static json_t *warning_json(const store_warning_t *w)
{
	char ts[24];
	json_t *obs = json_loads(w->observables, 0, NULL);
	return json_pack("{sI,ss,ss,ss,ss,ss,ss,ss,so}", "id", (json_int_t)w->id, "title", w->title,
			 "classification", w->classification, "severity", w->severity, "tlp",
			 tlp_name(w->tlp), "audience", w->audience, "author", w->author, "created",
			 model_time_fmt(w->created, ts), "observables", obs ? obs : json_array());
}

int api_warning_raise(http_req_t *r, store_warning_t *w, size_t *ndeliveries, char *err, size_t errlen)
{
	watch_t *wt = r->hub->watch;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = 0;
	*ndeliveries = 0;
	*err = '\0';
	snprintf(w->author, sizeof w->author, "%s", r->who.cred);
	w->org_id = r->who.org_id;
	if (notify_warning_check(w, err, errlen))
		return 400;
	if (!wt)
		return snprintf(err, errlen, "the server's sender is not running"), 503;
	store_t *st = hub_store_get(r->hub);
	if (!st || store_begin(st)) {
		snprintf(err, errlen, "%s", st ? store_errmsg(st) : "store unavailable");
		rc = 500;
	} else if ((rc = notify_warning(st, &wt->nc, w, &ids, &n, err, errlen)) &&
		   !strncmp(err, "audience:", 9)) {
		store_rollback(st); /* an unknown organisation or type: the caller's mistake */
		rc = 400;
	} else if (rc || http_audit(r, st, "warning.raise", w->title, w->severity) || store_commit(st)) {
		if (!*err)
			snprintf(err, errlen, "%s", store_errmsg(st));
		store_rollback(st);
		rc = 500;
	} else {
		/* this process holds the new deliveries: straight to the sender,
		 * and the live streams woken */
		watch_push(wt, ids, n);
		*ndeliveries = n;
	}
	free(ids);
	hub_store_put(r->hub, st);
	return rc;
}

int api_warnings_post(http_req_t *r)
{
	json_t *in = body_json(r), *obs, *o;
	store_warning_t *w = calloc(1, sizeof *w);
	json_t *norm = json_array();
	char err[512];
	size_t i;
	int rc;
	if (!w || !norm) {
		rc = http_error(r, 500, "internal", "out of memory");
		goto out;
	}
	if (!json_is_object(in)) {
		rc = http_error(r, 400, "invalid", "body must be a JSON object");
		goto out;
	}
	obs = json_object_get(in, "observables");
	if (obs && !json_is_array(obs)) {
		rc = http_error_at(r, -1, "observables", "an array of values");
		goto out;
	}
	json_array_foreach(obs, i, o) {
		obs_t ob;
		const char *v = json_string_value(o);
		if (!v || obs_parse_pasted(v, strlen(v), OBS_NONE, &ob, NULL, err, sizeof err)) {
			rc = http_error_at(r, (long)i, "observables", v ? err : "a string");
			goto out;
		}
		json_array_append_new(norm, json_pack("{ss,ss}", "type", obs_type_name(ob.type), "value",
						      ob.value));
	}
	char *text = json_dumps(norm, JSON_COMPACT);
	if (!text || strlen(text) >= sizeof w->observables) {
		free(text);
		rc = http_error_at(r, -1, "observables", "too many");
		goto out;
	}
	memcpy(w->observables, text, strlen(text) + 1);
	free(text);
	if (notify_warning_fill(w, str(in, "title", ""), str(in, "classification", ""), str(in, "severity", "high"),
				str(in, "audience", "all"), err, sizeof err)) {
		char field[32];
		snprintf(field, sizeof field, "%.*s", (int)strcspn(err, ":"), err);
		rc = http_error_at(r, -1, field, err);
		goto out;
	}
	if (tlp_parse(str(in, "tlp", "amber"), &w->tlp)) {
		rc = http_error_at(r, -1, "tlp", "unknown TLP");
		goto out;
	}
	size_t n;
	int st = api_warning_raise(r, w, &n, err, sizeof err);
	if (st) {
		char field[32]; /* the check's errors start with the field */
		snprintf(field, sizeof field, "%.*s", (int)strcspn(err, ":"), err);
		rc = st == 400 ? http_error_at(r, -1, field, err)
			       : http_error(r, st, st == 503 ? "unavailable" : "store", "%s", err);
	} else {
		json_t *j = warning_json(w);
		json_object_set_new(j, "deliveries", json_integer((json_int_t)n));
		rc = http_json(r, 201, j);
	}
out:
	json_decref(norm);
	json_decref(in);
	free(w);
	return rc;
}

/* May this principal see warning w?  notify_warning_visible decides. */
static int may_see(const principal_t *p, const org_t *org, const store_warning_t *w)
{
	tlp_view_t v = auth_view(p);
	return notify_warning_visible(&v, org, w);
}

typedef struct {
	const principal_t *p;
	org_t org;
	int have_org;
	json_t *list;
	int64_t last;
	char *sse;        /* stream: events appended here */
	size_t ssen;
	FILE *out;
} wl_t;

static int warning_row(void *arg, const store_warning_t *w)
{
	wl_t *l = arg;
	l->last = w->id;
	if (!may_see(l->p, l->have_org ? &l->org : NULL, w))
		return 0;
	json_t *j = warning_json(w);
	if (!j) /* a row that is not text (written before notify_warning_fill): left out, the rest goes on */
		return 0;
	if (l->out) {
		char *s = json_dumps(j, JSON_COMPACT);
		fprintf(l->out, "id: %lld\nevent: warning\ndata: %s\n\n", (long long)w->id, s ? s : "{}");
		free(s);
		json_decref(j);
		return 0;
	}
	return json_array_append_new(l->list, j);
}

int api_warnings_list(http_req_t *r)
{
	const char *after = http_query(r, "after");
	wl_t l = {.p = &r->who, .list = json_array()};
	store_t *st = hub_store_get(r->hub);
	int rc;
	l.have_org = st && store_org_get(st, r->who.org_id, &l.org) == 0;
	if (!st || store_warning_list(st, after ? strtoll(after, NULL, 10) : 0, 1000, warning_row, &l))
		rc = store_error(r, st);
	else
		rc = http_json(r, 200, json_pack("{s:O}", "warnings", l.list));
	json_decref(l.list);
	hub_store_put(r->hub, st);
	return rc;
}

/* ---- deliveries ---- */

static int delivery_json(void *arg, const store_delivery_t *d)
{
	char made[24], sent[24] = "";
	model_time_fmt(d->created, made);
	if (d->sent_at)
		model_time_fmt(d->sent_at, sent);
	return json_array_append_new(arg, json_pack(
		"{sI,ss,ss,sI,ss,ss,ss,sI,ss,si,ss,ss,ss}", "id", (json_int_t)d->id, "organisation",
		d->org_name, "kind", d->kind, "warning", (json_int_t)d->warning_id, "channel", d->channel,
		"target", d->target, "tlp", tlp_name(d->tlp), "events", (json_int_t)d->events, "state",
		d->state, "attempts", d->attempts, "created", made, "sent", sent, "last_error",
		d->last_error));
}

int api_deliveries(http_req_t *r, store_t *st, const char *state, int64_t after_id, int limit,
		   store_delivery_cb cb, void *arg)
{
	/* one rule: a constituent sees its own, the hub's team all */
	store_delivery_filter_t f = {.org_id = r->who.hub_member ? 0 : r->who.org_id, .state = state,
				     .limit = limit, .after_id = after_id};
	return store_delivery_list(st, &f, cb, arg);
}

int api_deliveries_list(http_req_t *r)
{
	const char *after = http_query(r, "after");
	json_t *list = json_array();
	store_t *st = hub_store_get(r->hub);
	int rc = !st || api_deliveries(r, st, NULL, after ? strtoll(after, NULL, 10) : 0, 1000, delivery_json, list)
			 ? store_error(r, st)
			 : http_json(r, 200, json_pack("{s:O}", "deliveries", list));
	json_decref(list);
	hub_store_put(r->hub, st);
	return rc;
}

/* ---- the live stream (server-sent events) ---- */

typedef struct {
	hub_t *hub;
	http_server_t *srv;
	struct MHD_Connection *conn;
	principal_t who;
	char sid[48];        /* a console session's id ("" for a token or a certificate) */
	org_t org;
	int have_org;
	int64_t last;        /* the last warning id looked at */
	int64_t last_sla;    /* the last SLA alert id looked at (the hub's team only) */
	time_t last_sent;
	char *buf;
	size_t len, off;
	FILE *sla_out;       /* during stream_fill: where sla_row writes */
} stream_t;

static int sla_last(void *arg, const store_sla_alert_t *a)
{
	*(int64_t *)arg = a->id;
	return 0;
}

/* An SLA alert as an "sla" event (no id: Last-Event-ID counts warnings). */
static int sla_row(void *arg, const store_sla_alert_t *a)
{
	stream_t *s = arg;
	FILE *out = s->sla_out;
	char due[MODEL_TIME_LEN];
	s->last_sla = a->id;
	json_t *j = json_pack("{sI,ss,ss,ss,ss,ss}", "id", (json_int_t)a->id, "case", a->ref,
			      "target", a->target, "level", a->level, "due",
			      model_time_fmt(a->due, due), "subject", a->subject);
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	if (out && t)
		fprintf(out, "event: sla\ndata: %s\n\n", t);
	free(t);
	json_decref(j);
	return 0;
}

/* New warnings the reader may see, as events in s->buf. */
static void stream_fill(stream_t *s)
{
	wl_t l = {.p = &s->who, .org = s->org, .have_org = s->have_org, .last = s->last};
	free(s->buf);
	s->buf = NULL;
	s->len = s->off = 0;
	if (!(l.out = open_memstream(&l.sse, &l.ssen)))
		return;
	s->sla_out = l.out;
	store_t *st = hub_store_get(s->hub);
	if (st)
		store_warning_list(st, s->last, 100, warning_row, &l);
	hub_store_put(s->hub, st);
	if (st && s->who.hub_member) /* SLA warnings and breaches: the hub's team's */
		store_sla_alert_list(st, 0, s->last_sla, 100, sla_row, s);
	fclose(l.out);
	s->last = l.last;
	s->buf = l.sse;
	s->len = l.ssen;
}

/* Is the reader still who it was: its token or certificate not revoked, its
 * session not ended (sign-out, disable, reset, time-out)? */
static int stream_live(stream_t *s)
{
	if (!s->sid[0])
		return auth_live(s->hub->auth, &s->who);
	people_user_t u;
	store_t *st = hub_store_get(s->hub);
	int ok = st && people_session(st, s->sid, (int64_t)time(NULL), &u) == PEOPLE_OK &&
		 u.org_id == s->who.org_id && u.role == s->who.role;
	hub_store_put(s->hub, st);
	return ok;
}

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	stream_t *s = cls;
	(void)pos;
	if (http_stopping(s->srv))
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (s->off == s->len) {
		if (!stream_live(s)) /* revoked, disabled or signed out meanwhile */
			return MHD_CONTENT_READER_END_OF_STREAM;
		stream_fill(s);
	}
	if (s->off == s->len && time(NULL) - s->last_sent >= 15) {
		free(s->buf);
		s->buf = strdup(": keep-alive\n\n");
		s->len = s->buf ? strlen(s->buf) : 0;
		s->off = 0;
	}
	if (s->off < s->len) {
		size_t n = s->len - s->off < max ? s->len - s->off : max;
		memcpy(out, s->buf + s->off, n);
		s->off += n;
		s->last_sent = time(NULL);
		return (ssize_t)n;
	}
	http_park(s->srv, s->conn); /* until the next warning or a second passes */
	return 0;
}

static void stream_free(void *cls)
{
	stream_t *s = cls;
	http_unpark(s->srv, s->conn);
	free(s->buf);
	free(s);
}

int api_stream(http_req_t *r)
{
	stream_t *s = calloc(1, sizeof *s);
	const char *last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Last-Event-ID");
	if (!s)
		return http_error(r, 500, "internal", "out of memory");
	s->hub = r->hub;
	s->srv = r->srv;
	s->conn = r->conn;
	s->who = r->who;
	snprintf(s->sid, sizeof s->sid, "%s", r->sid);
	s->last_sent = time(NULL) - 15; /* a first comment at once: the stream is open */
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		free(s);
		return http_error(r, 500, "internal", "store unavailable");
	}
	s->have_org = store_org_get(st, r->who.org_id, &s->org) == 0;
	if (last && *last) {
		s->last = strtoll(last, NULL, 10);
	} else {
		/* from now on: skip to the newest warning */
		wl_t l = {.p = &s->who};
		l.list = json_array();
		while (store_warning_list(st, l.last, 1000, warning_row, &l) == 0 && l.last > s->last)
			s->last = l.last;
		json_decref(l.list);
	}
	for (int64_t prev = -1; prev != s->last_sla;) { /* SLA alerts: from now on */
		prev = s->last_sla;
		store_sla_alert_list(st, 0, s->last_sla, 1000, sla_last, &s->last_sla);
	}
	hub_store_put(r->hub, st);
	return http_stream(r, stream_read, s, stream_free);
}
