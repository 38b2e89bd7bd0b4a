/* web_pages.c — the console's pages over the hub's data: the dashboard,
 * look-up, indicators and early warnings.  Each reads through the API's own
 * functions (auth_view, hub_verdict, store_list_indicators,
 * notify_warning_visible) and renders one template (see web.h). */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify/notify.h"
#include "web/form.h"

#define WARN_FIELD_MAX 16384 /* one field of the warning form, at most */
#define WEB_LOOKUP_MAX 100   /* values of one look-up; the API's batch takes more */

/* ---- console pages ---- */

typedef struct {
	json_t *types;   /* [{type, counts[5], total}] */
} counts_t;

static int count_cb(void *arg, obs_type_t type, tlp_t tlp, int64_t n)
{
	counts_t *c = arg;
	const char *name = obs_type_name(type);
	json_t *row = NULL, *e;
	size_t i;
	json_array_foreach(c->types, i, e) if (!strcmp(json_string_value(json_object_get(e, "type")), name))
		row = e;
	if (!row) {
		row = json_pack("{s:s, s:[I,I,I,I,I], s:I}", "type", name, "counts", 0, 0, 0, 0, 0, "total", 0);
		json_array_append_new(c->types, row);
	}
	json_t *cs = json_object_get(row, "counts");
	json_array_set_new(cs, (size_t)tlp, json_integer(json_integer_value(json_array_get(cs, (size_t)tlp)) + n));
	json_object_set_new(row, "total", json_integer(json_integer_value(json_object_get(row, "total")) + n));
	return 0;
}

static int day_cb(void *arg, int64_t day, int64_t n)
{
	char b[24];
	model_time_fmt(day, b);
	b[10] = '\0';
	json_t *d = json_pack("{s:s, s:I}", "day", b, "n", (json_int_t)n);
	return json_array_append_new(arg, d);
}

static int feed_cb(void *arg, const store_feed_t *f)
{
	const char *state = !f->last_run ? "never run" : f->failures ? "failing" : "ok";
	return json_array_append_new(arg, json_pack("{s:s, s:o, s:I, s:I, s:s}", "name", f->name, "last_run",
						    web_time(f->last_run), "records", (json_int_t)f->records,
						    "failures", (json_int_t)f->failures, "state", state));
}

typedef struct {
	tlp_view_t v;
	org_t org;
	int have_org;
	json_t *list;
	int64_t last;
} warn_list_t;

static int warn_cb(void *arg, const store_warning_t *w)
{
	warn_list_t *l = arg;
	l->last = w->id;
	if (!notify_warning_visible(&l->v, l->have_org ? &l->org : NULL, w))
		return 0;
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)w->id, "title", w->title,
			      "classification", w->classification, "severity", w->severity, "tlp",
			      tlp_name(w->tlp), "created", web_time(w->created));
	return j ? json_array_insert_new(l->list, 0, j) : 0; /* newest first; a row not text: left out */
}

/* The warnings r's principal may see, newest first (at most max). */
static json_t *warnings_json(http_req_t *r, store_t *st, size_t max)
{
	warn_list_t l = {.v = auth_view(&r->who), .list = json_array()};
	l.have_org = store_org_get(st, r->who.org_id, &l.org) == 0;
	for (int64_t before = -1; before != l.last;) {
		before = l.last;
		if (store_warning_list(st, l.last, 1000, warn_cb, &l))
			break;
	}
	while (json_array_size(l.list) > max)
		json_array_remove(l.list, json_array_size(l.list) - 1);
	return l.list;
}

int web_dashboard(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, &u, N_("The store is not available."));
	tlp_view_t v = auth_view(&r->who);
	counts_t c = {.types = json_array()};
	json_t *days = json_array(), *feeds = json_array();
	hub_count_visible(r->hub, st, &v, count_cb, &c);
	int64_t since = (int64_t)time(NULL) / 86400 * 86400 - 29 * 86400;
	store_event_days(st, r->who.hub_member ? 0 : r->who.org_id, since, day_cb, days);
	if (auth_role_at_least(&r->who, ROLE_ANALYST))
		store_feed_list(st, feed_cb, feeds);
	json_t *ctx = json_pack("{s:o, s:[s,s,s,s,s], s:o, s:o, s:o}", "types", c.types, "tlps", "clear",
				"green", "amber", "amber+strict", "red", "days", days, "feeds", feeds,
				"warnings", warnings_json(r, st, 10));
	hub_store_put(r->hub, st);
	web_page_t p = {.tpl = "dashboard", .title = N_("Dashboard"), .nav = "dashboard", .chart = 1, .u = &u,
		    .sid = r->sid};
	return web_page(r, 200, &p, ctx);
}

typedef struct {
	json_t *list;
} own_t;

static void owner_cb(void *arg, int64_t org_id, const char *org_name, const char *resource,
		     const char *contact)
{
	(void)org_id;
	json_array_append_new(((own_t *)arg)->list, json_pack("{s:s, s:s, s:s}", "org", org_name, "resource",
							      resource, "contact", contact ? contact : ""));
}

/* One value of the look-up page: what GET /api/v1/reputation answers. */
static json_t *lookup_value(http_req_t *r, store_t *st, const idx_snap_t *snap, const char *value)
{
	obs_t q;
	char err[512], mv[OBS_VALUE_MAX + 1];
	hub_verdict_t vd;
	int refanged = 0;
	if (obs_parse_pasted(value, strlen(value), OBS_NONE, &q, &refanged, err, sizeof err))
		return json_pack("{s:o, s:o}", "value", web_str(value), "error", web_str(err));
	tlp_view_t v = auth_view(&r->who);
	if (hub_verdict(r->hub, snap, &q, &v, hub_now(), 1, 1, &vd))
		return json_pack("{s:o, s:s}", "value", web_str(value), "error", web_t(r, N_("out of memory")));
	json_t *o = json_pack("{s:o, s:s, s:s, s:i, s:b, s:b}", "value", web_str(value), "type",
			      obs_type_name(q.type), "canonical", q.value, "score", vd.res.score, "listed",
			      vd.listed, "refanged", refanged);
	if (vd.res.best >= 0)
		json_object_set_new(o, "classification", json_string(vd.reps[vd.res.best].cls));
	if (vd.wlist)
		json_object_set_new(o, "warning_list", json_string(vd.wlist));
	json_t *list = json_array();
	for (size_t i = 0; i < vd.n; i++) {
		const idx_ref_t *ref = vd.hits[i].ref;
		org_t og = {0};
		char dec[16] = "—", wt[16];
		store_org_get(st, ref->org, &og);
		api_hit_value(&q, &vd.hits[i], mv);
		if (vd.why[i].state != REP_FP && vd.why[i].state != REP_FP_EXPIRED)
			snprintf(dec, sizeof dec, "%.3f", vd.why[i].decay);
		snprintf(wt, sizeof wt, "%.1f", vd.why[i].weight);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}",
			"match", api_how_name(vd.hits[i].how), "matched", mv, "source",
			idx_str(r->hub->idx, (uint16_t)ref->source), "org", og.name, "tlp", tlp_name((tlp_t)ref->tlp),
			"classification", vd.reps[i].cls, "confidence", vd.reps[i].conf, "trust", vd.reps[i].trust,
			"decay", dec, "weight", wt, "state", rep_state_name(vd.why[i].state)));
	}
	hub_verdict_done(&vd);
	if (json_array_size(list))
		json_object_set_new(o, "reports", json_pack("{s:o}", "list", list));
	else
		json_decref(list);
	if (auth_role_at_least(&r->who, ROLE_ANALYST)) {
		own_t ow = {.list = json_array()};
		hub_who(r->hub, &q, owner_cb, &ow);
		if (json_array_size(ow.list))
			json_object_set_new(o, "owners", json_pack("{s:o}", "list", ow.list));
		else
			json_decref(ow.list);
	}
	return o;
}

int web_lookup(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	/* GET ?q= (a link), or the form's POST (a long pasted list) */
	char *posted = NULL;
	const char *q = http_query(r, "q");
	if (!strcmp(r->method, "POST") && (posted = malloc(r->len + 1)) &&
	    form_get(r->body, r->len, "q", posted, r->len + 1) == 1)
		q = posted;
	json_t *results = json_array();
	int more = 0;
	if (q && *q) {
		store_t *st = hub_store_get(r->hub);
		const idx_snap_t *snap = idx_enter(r->hub->idx);
		int n = 0;
		char *v = malloc(OBS_VALUE_MAX + 2);
		for (const char *p = q; v && *p;) {
			size_t l = strcspn(p, "\r\n");
			const char *s = p, *e = p + l;
			s += strspn(s, " \t");
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if (e > s && n == WEB_LOOKUP_MAX) {
				more = 1;
				break;
			}
			if ((size_t)(e - s) > OBS_VALUE_MAX) { /* never cut: a prefix is another value */
				snprintf(v, OBS_VALUE_MAX + 2, "%.*s…", 60, s);
				json_array_append_new(results, json_pack("{s:o, s:s}", "value", web_str(v), "error",
									 web_t(r, N_("longer than any value the hub holds"))));
				n++;
			} else if (e > s) {
				memcpy(v, s, (size_t)(e - s));
				v[e - s] = '\0';
				json_array_append_new(results, lookup_value(r, st, snap, v));
				n++;
			}
			p += l;
			p += strspn(p, "\r\n");
		}
		free(v);
		idx_leave(r->hub->idx);
		hub_store_put(r->hub, st);
	}
	web_page_t p = {.tpl = "lookup", .title = N_("Look-up"), .nav = "lookup", .u = &u, .sid = r->sid};
	json_t *ctx = json_pack("{s:o, s:o, s:b, s:i}", "q", web_str(q ? q : ""), "results", results, "more",
				more, "max", WEB_LOOKUP_MAX);
	free(posted);
	return web_page(r, 200, &p, ctx);
}

typedef struct {
	json_t *items;
	int64_t last;
	int n;
} ilist_t;

static int ind_cb(void *arg, const indicator_t *i)
{
	ilist_t *l = arg;
	l->last = i->id;
	l->n++;
	return json_array_append_new(l->items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "id",
		(json_int_t)i->id, "value", i->value, "type", obs_type_name(i->type), "tlp", tlp_name(i->tlp),
		"source", i->source, "classification", i->classification, "confidence", i->confidence,
		"last_seen", web_time(i->last_seen)));
}

int web_indicators(http_req_t *r)
{
	people_user_t u;
	static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};
	const char *tv[OBS_NTYPES];
	size_t nt = 0;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	for (int t = 1; t < OBS_NTYPES; t++)
		tv[nt++] = obs_type_name((obs_type_t)t);
	/* the API's filters, the API's query: the same rows */
	store_filter_t f = {.view = auth_view(&r->who), .tlp_max = -1, .limit = 50};
	const char *type = http_query(r, "type"), *value = http_query(r, "value"), *tlp = http_query(r, "tlp"),
		   *cursor = http_query(r, "cursor");
	const char *error = NULL;
	obs_t obs;
	char err[512];
	tlp_t t;
	if (type && *type && (f.type = obs_type_from_name(type)) == OBS_NONE)
		error = N_("Unknown type.");
	if (value && *value) {
		if (obs_parse(value, strlen(value), f.type, &obs, err, sizeof err))
			error = err;
		else {
			f.value = obs.value;
			f.type = obs.type;
		}
	}
	f.source = http_query(r, "source") && *http_query(r, "source") ? http_query(r, "source") : NULL;
	f.classification = http_query(r, "classification") && *http_query(r, "classification")
				   ? http_query(r, "classification") : NULL;
	if (tlp && *tlp) {
		if (tlp_parse(tlp, &t))
			error = N_("Unknown TLP.");
		else
			f.tlp_max = (int)t;
	}
	if (cursor)
		f.after_id = strtoll(cursor, NULL, 10);
	ilist_t l = {.items = json_array()};
	if (!error) {
		store_t *st = hub_store_get(r->hub);
		f.limit = 51; /* one more: is there a next page? */
		if (!st || store_list_indicators(st, &f, ind_cb, &l))
			error = N_("The store is not available.");
		hub_store_put(r->hub, st);
	}
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:{s:o, s:o, s:o}}", "items", l.items, "types",
				web_choices(tv, nt, type), "tlps", web_choices(tlps, 5, tlp), "f", "value",
				web_str(value ? value : ""), "source", web_str(f.source ? f.source : ""),
				"classification", web_str(f.classification ? f.classification : ""));
	if (ctx && l.n > 50) {
		json_array_remove(l.items, 50);
		char next[1200], enc[600];
		int64_t last = json_integer_value(json_object_get(json_array_get(l.items, 49), "id"));
		size_t o = (size_t)snprintf(next, sizeof next, "cursor=%lld", (long long)last);
		const char *keep[] = {"type", "value", "source", "classification", "tlp"};
		for (size_t k = 0; k < 5 && o < sizeof next; k++) {
			const char *kv = http_query(r, keep[k]);
			if (kv && *kv) {
				form_encode(kv, enc, sizeof enc);
				o += (size_t)snprintf(next + o, sizeof next - o, "&%s=%s", keep[k], enc);
			}
		}
		json_object_set_new(ctx, "next", json_string(next));
	}
	if (ctx && error)
		json_object_set_new(ctx, "error", web_str(error == err ? err : web_t(r, error)));
	if (ctx)
		json_object_set_new(ctx, "can_add", json_boolean(auth_role_at_least(&r->who, ROLE_CONTRIBUTOR)));
	web_page_t p = {.tpl = "indicators", .title = N_("Indicators"), .nav = "indicators", .u = &u, .sid = r->sid};
	return web_page(r, error ? 400 : 200, &p, ctx);
}

static int warnings_page(http_req_t *r, const people_user_t *u, int status, json_t *form, const char *error)
{
	static const char *const sev[] = {"low", "medium", "high", "critical"};
	static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(form);
		return web_error(r, 500, u, N_("The store is not available."));
	}
	json_t *list = warnings_json(r, st, 200);
	hub_store_put(r->hub, st);
	if (!form)
		form = json_pack("{s:s, s:s, s:s, s:s}", "severity", "high", "tlp", "amber", "audience", "all",
				 "classification", "");
	json_t *ctx = json_pack("{s:o, s:b, s:b, s:o, s:o}", "warnings", list, "can_raise",
				auth_role_at_least(&r->who, ROLE_ANALYST), "can_case",
				r->who.hub_member && auth_role_at_least(&r->who, ROLE_ANALYST), "severities",
				web_choices(sev, 4, json_string_value(json_object_get(form, "severity"))), "tlps",
				web_choices(tlps, 5, json_string_value(json_object_get(form, "tlp"))));
	if (ctx) {
		json_object_set_new(ctx, "form", form);
		if (error)
			json_object_set_new(ctx, "error", json_string(error));
	}
	web_page_t p = {.tpl = "warnings", .title = N_("Early warnings"), .nav = "warnings", .u = u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_warnings(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return warnings_page(r, &u, 200, NULL, NULL);
}

int web_warning_post(http_req_t *r)
{
	people_user_t u;
	store_warning_t *w = calloc(1, sizeof *w);
	char err[512];
	if (!w)
		return http_error(r, 500, "internal", "out of memory");
	if (web_me(r, &u)) {
		free(w);
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	}
	if (!auth_role_at_least(&r->who, ROLE_ANALYST)) {
		free(w);
		return web_error(r, 403, &u, N_("Raising an early warning needs the analyst role."));
	}
	/* each field read whole (never cut), kept to show the form again */
	json_t *form = json_object();
	static const char *const fields[] = {"title", "classification", "severity", "tlp", "audience", "observables"};
	const char *error = NULL;
	char *text = malloc(WARN_FIELD_MAX);
	if (!text) {
		free(w);
		json_decref(form);
		return http_error(r, 500, "internal", "out of memory");
	}
	for (size_t k = 0; k < 6; k++) {
		int got = form_get(r->body, r->len, fields[k], text, WARN_FIELD_MAX);
		if (got < 0 && !error) {
			snprintf(err, sizeof err, "%s: %s", fields[k], web_t(r, N_("too long, or not text")));
			error = err;
		}
		json_object_set_new(form, fields[k], web_str(got == 1 ? text : ""));
	}
	free(text);
#define F(k) json_string_value(json_object_get(form, k))
	if (!error && notify_warning_fill(w, F("title"), F("classification"), F("severity"), F("audience"), err,
					  sizeof err))
		error = err;
	if (!error && tlp_parse(F("tlp"), &w->tlp))
		error = web_t(r, N_("Unknown TLP."));
	/* observables: one per line, each checked (defanged ones read refanged) */
	json_t *norm = json_array();
	char *obs_text = strdup(F("observables"));
#undef F
	for (char *save = NULL, *line = obs_text ? strtok_r(obs_text, "\r\n", &save) : NULL; line && !error;
	     line = strtok_r(NULL, "\r\n", &save)) {
		obs_t ob;
		line += strspn(line, " \t");
		if (!*line)
			continue;
		if (obs_parse_pasted(line, strlen(line), OBS_NONE, &ob, NULL, err, sizeof err))
			error = err;
		else
			json_array_append_new(norm, json_pack("{s:s, s:s}", "type", obs_type_name(ob.type), "value",
							      ob.value));
	}
	free(obs_text);
	char *nj = json_dumps(norm, JSON_COMPACT);
	json_decref(norm);
	if (!error && (!nj || strlen(nj) >= sizeof w->observables))
		error = web_t(r, "Too many observables.");
	if (nj && strlen(nj) < sizeof w->observables)
		memcpy(w->observables, nj, strlen(nj) + 1);
	free(nj);
	size_t n;
	int st = error ? 400 : api_warning_raise(r, w, &n, err, sizeof err);
	free(w);
	if (st)
		return warnings_page(r, &u, st, form, error ? error : err);
	json_decref(form);
	return web_redirect(r, "/console/warnings");
}

