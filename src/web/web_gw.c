/* web_gw.c — the Cybersecurity Gateway's pages: the public ones (home,
 * directory, entries, resources browsed by facet, news, search, feeds,
 * attachments), which anyone may read — TLP:CLEAR only, GREEN and above
 * for a member signed in, by the hub's one rule — and cacheable (ETag and
 * Last-Modified from the gateway's generation, 304); and the members'
 * console page (their own entries and resources, the analysts' approval
 * queue and news), which writes through the API's cores (api_gw_*). */
#include "web/web_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gw/gw.h"
#include "gw/gw_json.h"
#include "web/form.h"

/* ---- the vocabularies' words (msgids) ---- */

static const char *const area_titles[GW_AREAS] = {N_("Legal measures"), N_("Technical and procedural measures"),
						  N_("Organisational structures"), N_("Capacity building"),
						  N_("International cooperation")};
static const struct {
	const char *name, *label;
} labels[] = {
	{"government", N_("Government")},         {"private", N_("Private sector")},
	{"civil-society", N_("Civil society")},   {"international", N_("International organisation")},
	{"academia", N_("Academia")},             {"organisation", N_("Organisation")},
	{"initiative", N_("Initiative")},         {"team", N_("Incident response team")},
	{"document", N_("Document")},             {"law", N_("Law or regulation")},
	{"strategy", N_("Strategy")},             {"guide", N_("Guide")},
	{"training", N_("Training")},             {"event", N_("Event")},
	{"entry", N_("Directory")},               {"resource", N_("Resource")},
	{"news", N_("News")},                     {"advisory", N_("Advisory")},
	{"draft", N_("Draft")},                   {"pending", N_("Waiting for approval")},
	{"public", N_("Public")},
};

static const char *label(http_req_t *r, const char *name)
{
	for (size_t i = 0; i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i].name, name))
			return web_t(r, labels[i].label);
	return name;
}

static json_t *areas_text(http_req_t *r, unsigned areas)
{
	util_buf_t b = {0};
	for (int i = 0; i < GW_AREAS; i++)
		if (areas & (1u << i)) {
			const char *t = web_t(r, area_titles[i]);
			if (b.len)
				util_buf_add(&b, ", ", 2);
			util_buf_add(&b, t, strlen(t));
		}
	json_t *j = json_string(b.data ? b.data : "");
	free(b.data);
	return j;
}

/* [{name, label, sel}] for a <select> of names (with an empty choice first
 * when blank) */
static json_t *choices(http_req_t *r, const char *const *names, size_t n, const char *sel, int blank)
{
	json_t *a = json_array();
	if (blank)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "name", "", "label", "—", "sel", !sel || !*sel));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "name", names[i], "label", label(r, names[i]),
						   "sel", sel && !strcmp(sel, names[i])));
	return a;
}

/* [{name, title, on}] for the work areas' check boxes */
static json_t *area_boxes(http_req_t *r, unsigned areas)
{
	json_t *a = json_array();
	for (int i = 0; i < GW_AREAS; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "name", gw_area_names[i], "title",
						   web_t(r, area_titles[i]), "on", (areas >> i) & 1));
	return a;
}

static json_t *tlp_choices(tlp_t sel)
{
	static const char *const names[] = {"clear", "green", "amber", "amber+strict", "red"};
	return web_choices(names, 5, tlp_name(sel));
}

/* ---- who reads, and caching ---- */

typedef struct {
	people_user_t u;
	int in;            /* signed in */
	tlp_view_t view;   /* what they may see */
	const principal_t *p; /* NULL for nobody */
	int64_t gen;       /* nobody signed in: the generation and key of */
	char key[600];     /* the page kept (PC_KEY bytes; "" when not kept) */
} viewer_t;

static void viewer(http_req_t *r, viewer_t *v)
{
	v->in = web_viewer(r, &v->u);
	v->view = v->in ? auth_view(&r->who) : GW_VIEW_PUBLIC;
	v->p = v->in ? &r->who : NULL;
}

/* ---- the pages nobody signed in asked for, kept as sent ----
 * Keyed by the gateway's generation, the language and the URL with its
 * query: any change raises the generation, so a page kept is never stale.
 * Only pages rendered for nobody signed in go in or come out (a member's
 * view is never kept). */
#define PC_SLOTS 64
#define PC_KEY 600
static struct {
	int64_t gen;
	char key[PC_KEY];
	char *body;
	size_t len;
	unsigned long used;
} pc[PC_SLOTS];
static unsigned long pc_tick;
static pthread_mutex_t pc_lock = PTHREAD_MUTEX_INITIALIZER;

/* This request's key (0), or -1 when the URL is too long to keep: the
 * language, the path and the pages' query parameters, percent-encoded
 * (no two requests share a key). */
static int pc_key(http_req_t *r, char *key)
{
	static const char *const pc_params[] = {"q", "kind", "area", "stakeholder", "country", "lang", "type", "offset"};
	char enc[PC_KEY];
	size_t n = (size_t)snprintf(key, PC_KEY, "%s|%s|", web_lang_code(r), r->url);
	if (n >= PC_KEY)
		return -1;
	for (size_t i = 0; i < sizeof pc_params / sizeof *pc_params; i++) {
		const char *v = http_query(r, pc_params[i]);
		if (!v)
			continue;
		if (strlen(v) * 3 >= sizeof enc)
			return -1;
		form_encode(v, enc, sizeof enc);
		n += (size_t)snprintf(key + n, PC_KEY - n, "%s=%s&", pc_params[i], enc);
		if (n >= PC_KEY)
			return -1;
	}
	return 0;
}

/* Send the kept page of key at gen: 1 when sent. */
static int pc_get(http_req_t *r, int64_t gen, const char *key)
{
	char *copy = NULL;
	size_t len = 0;
	pthread_mutex_lock(&pc_lock);
	for (int i = 0; i < PC_SLOTS; i++)
		if (pc[i].body && pc[i].gen == gen && !strcmp(pc[i].key, key)) {
			if ((copy = malloc(pc[i].len + 1)))
				memcpy(copy, pc[i].body, pc[i].len + 1), len = pc[i].len;
			pc[i].used = ++pc_tick;
			break;
		}
	pthread_mutex_unlock(&pc_lock);
	if (!copy)
		return 0;
	web_security_headers(r);
	http_text(r, 200, "text/html; charset=utf-8", copy, len);
	return 1;
}

/* Keep body (stolen) as key's page at gen, in the least recently used slot. */
static void pc_put(int64_t gen, const char *key, char *body, size_t len)
{
	int v = 0;
	pthread_mutex_lock(&pc_lock);
	for (int i = 0; i < PC_SLOTS; i++) {
		if (pc[i].body && !strcmp(pc[i].key, key)) {
			v = i;
			break;
		}
		if (!pc[i].body || pc[i].used < pc[v].used || pc[i].gen != gen)
			v = i;
	}
	free(pc[v].body);
	pc[v].gen = gen;
	snprintf(pc[v].key, PC_KEY, "%s", key);
	pc[v].body = body;
	pc[v].len = len;
	pc[v].used = ++pc_tick;
	pthread_mutex_unlock(&pc_lock);
}

static time_t http_date(const char *s)
{
	struct tm tm = {0};
	const char *e = s ? strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm) : NULL;
	return e && !*e ? timegm(&tm) : (time_t)-1;
}

/* The caching headers of a public page for nobody signed in (a member's
 * pages are not stored: no-store); 1 when a response was queued: 304, or
 * the page as kept. */
static int cached(http_req_t *r, viewer_t *v, store_t *st, const char *salt)
{
	int64_t gen, changed;
	char etag[96], lm[64];
	if (v->in || store_gw_gen(st, &gen, &changed))
		return 0;
	snprintf(etag, sizeof etag, "\"gw%lld-%s%s\"", (long long)gen, web_lang_code(r), salt);
	time_t t = (time_t)changed;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	http_header(r, "Cache-Control", "public, max-age=0, must-revalidate");
	http_header(r, "ETag", etag);
	http_header(r, "Last-Modified", lm);
	http_header(r, "Vary", "Cookie, Accept-Language");
	const char *inm = web_header(r, "If-None-Match"), *ims = web_header(r, "If-Modified-Since");
	int fresh = inm ? (strstr(inm, etag) != NULL || !strcmp(inm, "*"))
			: ims && http_date(ims) != (time_t)-1 && http_date(ims) >= t;
	if (!fresh) {
		v->gen = gen;
		if (pc_key(r, v->key))
			v->key[0] = '\0';
		return v->key[0] && pc_get(r, gen, v->key);
	}
	http_text(r, 304, "text/html; charset=utf-8", strdup(""), 0);
	return 1;
}

static int page(http_req_t *r, const viewer_t *v, const char *tpl, const char *title, json_t *ctx)
{
	char *kept = NULL;
	size_t len = 0;
	web_page_t p = {.tpl = tpl, .title = title, .u = v->in ? &v->u : NULL, .sid = v->in ? r->sid : NULL, .gw = 1,
			.keep = v->in || !v->key[0] ? NULL : &kept, .keep_len = &len};
	int rc = web_page(r, 200, &p, ctx);
	if (kept)
		pc_put(v->gen, v->key, kept, len);
	return rc;
}

static int not_found(http_req_t *r, const viewer_t *v)
{
	web_page_t p = {.tpl = "error", .title = N_("Not found"), .u = v->in ? &v->u : NULL, .gw = 1};
	return web_page(r, 404, &p, json_pack("{s:s}", "message", web_t(r, N_("There is no such page here."))));
}

static int64_t id_arg(const char *s)
{
	char *end;
	long long id = strtoll(s, &end, 10);
	return *s && !*end && id > 0 ? id : 0;
}

/* ---- the home page ---- */

static int news_cb(void *arg, const store_gw_news_t *n)
{
	return json_array_append_new(arg, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)n->id, "title", n->title,
						    "date", web_time(n->updated))), 0;
}

/* The newest documents of kind (advisories: csaf puts them in the index
 * when it publishes) that v may see, at most n. */
static json_t *latest(store_t *st, const tlp_view_t *view, const char *kind, int n)
{
	json_t *a = json_array();
	gw_result_t *res = malloc(sizeof *res);
	char err[128];
	gw_search_t s = {.kind = kind, .first = n};
	if (res && !gw_search(st, view, &s, res, err, sizeof err))
		for (int i = 0; i < res->nhits; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:o, s:s}", "ref", res->hits[i].ref, "title",
							   res->hits[i].title, "url", res->hits[i].url, "date",
							   web_time(res->hits[i].updated), "tlp", tlp_name(res->hits[i].tlp)));
	free(res);
	return a;
}

int web_gw_home(http_req_t *r)
{
	viewer_t v;
	viewer(r, &v);
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, NULL, N_("The store is not available."));
	if (cached(r, &v, st, "")) {
		hub_store_put(r->hub, st);
		return HTTP_DONE;
	}
	json_t *news = json_array(), *areas = json_array();
	store_gw_filter_t f = {.status = "public", .view = v.view, .limit = 5};
	store_gw_news_list(st, &f, news_cb, news);
	json_t *adv = latest(st, &v.view, "advisory", 5);
	hub_store_put(r->hub, st);
	for (int i = 0; i < GW_AREAS; i++)
		json_array_append_new(areas, json_pack("{s:s, s:s}", "name", gw_area_names[i], "title",
						       web_t(r, area_titles[i])));
	json_t *ctx = json_pack("{s:o, s:o, s:o}", "news", news, "advisories", adv, "areas", areas);
	return page(r, &v, "gw_home", N_("Cybersecurity Gateway"), ctx);
}

/* ---- the directory ---- */

typedef struct {
	http_req_t *r;
	json_t *list;
	const principal_t *p;
} dir_t;

static int dir_cb(void *arg, const store_gw_entry_t *e)
{
	dir_t *d = arg;
	return json_array_append_new(d->list, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)e->id,
							"name", e->name, "kind", label(d->r, e->kind), "stakeholder",
							label(d->r, e->stakeholder), "country", e->country, "areas",
							areas_text(d->r, e->areas))), 0;
}

int web_gw_directory(http_req_t *r)
{
	viewer_t v;
	char aerr[128];
	unsigned areas = 0;
	viewer(r, &v);
	const char *stk = http_query(r, "stakeholder"), *cc = http_query(r, "country"), *kind = http_query(r, "kind"),
		   *area = http_query(r, "area");
	if (area && *area && gw_area_parse(area, &areas, aerr, sizeof aerr))
		areas = 0;
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, NULL, N_("The store is not available."));
	if (cached(r, &v, st, "")) {
		hub_store_put(r->hub, st);
		return HTTP_DONE;
	}
	dir_t d = {r, json_array(), v.p};
	store_gw_filter_t f = {.status = "public", .stakeholder = stk, .country = cc, .kind_or_type = kind,
			       .areas = areas, .limit = 1000};
	int bad = store_gw_entry_list(st, &f, dir_cb, &d);
	hub_store_put(r->hub, st);
	if (bad) {
		json_decref(d.list);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	json_t *alist = json_array();
	json_array_append_new(alist, json_pack("{s:s, s:s, s:b}", "name", "", "label", "—", "sel", !areas));
	for (int i = 0; i < GW_AREAS; i++)
		json_array_append_new(alist, json_pack("{s:s, s:s, s:b}", "name", gw_area_names[i], "label",
						       web_t(r, area_titles[i]), "sel", areas == (1u << i)));
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:o}", "entries", d.list, "stakeholders",
				choices(r, gw_stakeholders, 5, stk, 1), "kinds", choices(r, gw_entry_kinds, 3, kind, 1),
				"areas", alist, "country", web_str(cc ? cc : ""));
	return page(r, &v, "gw_directory", N_("Directory of actors"), ctx);
}

/* An item page's gate, after reading the item (got: it was read): an item v
 * may not see (gw_may_see, and the TLP rule unless tlp < 0: directory
 * entries have none) is a 404 like an unknown one; an unchanged one is
 * answered from the cache.  Puts st back.  -1 to go on and render. */
static int item_gate(http_req_t *r, viewer_t *v, store_t *st, int got, int64_t org, const char *status, int tlp)
{
	int visible = got && gw_may_see(v->p, org, status) &&
		      (tlp < 0 || tlp_visible(&v->view, (tlp_t)tlp, org, 0));
	int done = visible && cached(r, v, st, "");
	hub_store_put(r->hub, st);
	if (!visible)
		return not_found(r, v);
	return done ? HTTP_DONE : -1;
}

int web_gw_entry(http_req_t *r)
{
	viewer_t v;
	store_gw_entry_t *e = malloc(sizeof *e);
	viewer(r, &v);
	int64_t id = id_arg(r->arg);
	store_t *st = hub_store_get(r->hub);
	if (!st || !e) {
		hub_store_put(r->hub, st);
		free(e);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	int got = id && !store_gw_entry_get(st, id, e);
	int rc = item_gate(r, &v, st, got, got ? e->org_id : 0, got ? e->status : "", -1);
	if (rc != -1) {
		free(e);
		return rc;
	}
	json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", label(r, e->kind),
				"stakeholder", label(r, e->stakeholder), "country", e->country, "sector", e->sector,
				"areas", areas_text(r, e->areas), "description", e->description, "website",
				gw_url_ok(e->website) ? e->website : "", "email", e->email, "phone", e->phone, "pgp",
				e->pgp, "x509", e->x509);
	if (ctx && strcmp(e->status, "public"))
		json_object_set_new(ctx, "status", json_string(label(r, e->status)));
	char title[sizeof e->name];
	snprintf(title, sizeof title, "%s", e->name);
	free(e);
	return page(r, &v, "gw_entry", title, ctx);
}

/* ---- search, and resources browsed by facet ---- */

static const char *const params[] = {"q", "kind", "area", "stakeholder", "country", "lang", "type"};
#define NPARAMS (sizeof params / sizeof *params)

/* action?params with name set to value (NULL: removed) and no offset */
static json_t *url_with(http_req_t *r, const char *action, const char *name, const char *value, int offset)
{
	util_buf_t b = {0};
	char enc[600];
	int first = 1;
	util_buf_add(&b, action, strlen(action));
	for (size_t i = 0; i < NPARAMS; i++) {
		const char *val = !strcmp(params[i], name) ? value : http_query(r, params[i]);
		if (!val || !*val || (strcmp(action, "/search") && !strcmp(params[i], "kind")))
			continue;
		form_encode(val, enc, sizeof enc);
		util_buf_printf(&b, "%s%s=%s", first ? "?" : "&", params[i], enc);
		first = 0;
	}
	if (offset)
		util_buf_printf(&b, "%soffset=%d", first ? "?" : "&", offset);
	json_t *j = web_str(b.data ? b.data : action);
	free(b.data);
	return j;
}

/* One facet's values as links: {title, values: [{label, n, href, on, off}]} */
static json_t *facet(http_req_t *r, const char *action, const char *title, const char *param, const gw_count_t *c,
		     int n, int labelled)
{
	json_t *vals = json_array();
	const char *cur = http_query(r, param);
	for (int i = 0; i < n; i++) {
		int on = cur && !strcmp(cur, c[i].name);
		json_array_append_new(vals, json_pack("{s:s, s:I, s:o, s:b, s:o}", "label",
						      labelled ? label(r, c[i].name) : c[i].name, "n", (json_int_t)c[i].n,
						      "href", url_with(r, action, param, c[i].name, 0), "on", on, "off",
						      url_with(r, action, param, NULL, 0)));
	}
	return json_pack("{s:s, s:o}", "title", web_t(r, title), "values", vals);
}

static int search_page(http_req_t *r, const char *action, const char *kind, const char *title)
{
	viewer_t v;
	char err[256];
	unsigned areas = 0;
	viewer(r, &v);
	const char *area = http_query(r, "area"), *off = http_query(r, "offset");
	if (area && *area && gw_area_parse(area, &areas, err, sizeof err))
		areas = 0;
	gw_search_t s = {.q = http_query(r, "q"), .kind = kind ? kind : http_query(r, "kind"),
			 .stakeholder = http_query(r, "stakeholder"), .country = http_query(r, "country"),
			 .lang = http_query(r, "lang"), .type = http_query(r, "type"), .areas = areas,
			 .offset = off ? atoi(off) : 0};
	if (s.offset < 0 || s.offset > 100000)
		s.offset = 0;
	store_t *st = hub_store_get(r->hub);
	gw_result_t *res = malloc(sizeof *res);
	if (!st || !res) {
		hub_store_put(r->hub, st);
		free(res);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	if (cached(r, &v, st, "")) {
		hub_store_put(r->hub, st);
		free(res);
		return HTTP_DONE;
	}
	int rc = gw_search(st, &v.view, &s, res, err, sizeof err);
	hub_store_put(r->hub, st);
	if (rc) {
		free(res);
		web_page_t p = {.tpl = "error", .title = N_("Error"), .u = v.in ? &v.u : NULL, .gw = 1};
		return web_page(r, rc, &p, json_pack("{s:s}", "message", web_t(r, rc == 400 ? N_("The query is too long.")
											   : N_("The store is not available."))));
	}
	json_t *hits = json_array(), *facets = json_array(), *keep = json_array();
	for (int i = 0; i < res->nhits; i++) {
		gw_hit_t *h = &res->hits[i];
		json_array_append_new(hits, json_pack("{s:o, s:o, s:s, s:s, s:s, s:o}", "title", web_str(h->title), "url",
						      web_str(h->url[0] == '/' && h->url[1] != '/' ? h->url : "/"),
						      "kind_label", label(r, h->kind), "type_label", h->type[0] ? label(r, h->type) : "",
						      "tlp", tlp_name(h->tlp), "snippet", web_str(h->snippet)));
	}
	gw_count_t ac[GW_AREAS];
	for (int i = 0; i < GW_AREAS; i++) {
		snprintf(ac[i].name, sizeof ac[i].name, "%s", gw_area_names[i]);
		ac[i].n = res->areas[i];
	}
	/* work areas with their titles, not their names */
	json_t *af = facet(r, action, N_("Work area"), "area", ac, GW_AREAS, 0);
	size_t i;
	json_t *val;
	json_array_foreach(json_object_get(af, "values"), i, val)
		json_object_set_new(val, "label", json_string(web_t(r, area_titles[i])));
	if (!kind)
		json_array_append_new(facets, facet(r, action, N_("Kind"), "kind", res->kinds, res->nkinds, 1));
	json_array_append_new(facets, af);
	json_array_append_new(facets, facet(r, action, N_("Type"), "type", res->types, res->ntypes, 1));
	json_array_append_new(facets, facet(r, action, N_("Stakeholder"), "stakeholder", res->stakeholders,
					    res->nstakeholders, 1));
	json_array_append_new(facets, facet(r, action, N_("Country"), "country", res->countries, res->ncountries, 0));
	json_array_append_new(facets, facet(r, action, N_("Language"), "lang", res->langs, res->nlangs, 0));
	for (size_t k = 1; k < NPARAMS; k++) { /* the facets chosen, kept by the form */
		const char *val2 = http_query(r, params[k]);
		if (val2 && *val2 && (!kind || strcmp(params[k], "kind")))
			json_array_append_new(keep, json_pack("{s:s, s:o}", "name", params[k], "value", web_str(val2)));
	}
	json_t *ctx = json_pack("{s:s, s:o, s:I, s:b, s:o, s:o, s:o}", "action", action, "q", web_str(s.q ? s.q : ""),
				"total", (json_int_t)res->total, "more", res->more, "hits", hits, "facets", facets, "keep", keep);
	if (ctx && (s.offset + res->nhits < res->total || (res->more && res->nhits == GW_PAGE)))
		json_object_set_new(ctx, "next", url_with(r, action, "", NULL, s.offset + GW_PAGE));
	free(res);
	return page(r, &v, "gw_search", title, ctx);
}

int web_gw_search(http_req_t *r)
{
	return search_page(r, "/search", NULL, N_("Search the gateway"));
}

int web_gw_resources(http_req_t *r)
{
	return search_page(r, "/resources", "resource", N_("Resources"));
}

int web_gw_resource(http_req_t *r)
{
	viewer_t v;
	store_gw_res_t *x = malloc(sizeof *x);
	viewer(r, &v);
	int64_t id = id_arg(r->arg);
	store_t *st = hub_store_get(r->hub);
	if (!st || !x) {
		hub_store_put(r->hub, st);
		free(x);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	int got = id && !store_gw_res_get(st, id, x);
	int rc = item_gate(r, &v, st, got, got ? x->org_id : 0, got ? x->status : "", got ? (int)x->tlp : 0);
	if (rc != -1) {
		free(x);
		return rc;
	}
	json_t *ctx = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)x->id, "type",
				label(r, x->type), "areas", areas_text(r, x->areas), "stakeholder",
				x->stakeholder[0] ? label(r, x->stakeholder) : "", "country", x->country, "lang", x->lang,
				"summary", x->summary, "tlp", tlp_name(x->tlp), "link", gw_url_ok(x->link) ? x->link : "",
				"size", (json_int_t)x->file_size);
	if (ctx && x->file_name[0])
		json_object_set_new(ctx, "file", json_string(x->file_name));
	char title[sizeof x->title];
	snprintf(title, sizeof title, "%s", x->title);
	free(x);
	return page(r, &v, "gw_resource", title, ctx);
}

int web_gw_news(http_req_t *r)
{
	viewer_t v;
	store_gw_news_t *n = malloc(sizeof *n);
	viewer(r, &v);
	int64_t id = id_arg(r->arg);
	store_t *st = hub_store_get(r->hub);
	if (!st || !n) {
		hub_store_put(r->hub, st);
		free(n);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	int got = id && !store_gw_news_get(st, id, n);
	int rc = item_gate(r, &v, st, got, got ? n->org_id : 0, got ? n->status : "", got ? (int)n->tlp : 0);
	if (rc != -1) {
		free(n);
		return rc;
	}
	json_t *ctx = json_pack("{s:o, s:s, s:o, s:s}", "date", web_time(n->updated), "body", n->body, "areas",
				areas_text(r, n->areas), "tlp", tlp_name(n->tlp));
	char title[sizeof n->title];
	snprintf(title, sizeof title, "%s", n->title);
	free(n);
	return page(r, &v, "gw_news", title, ctx);
}

/* An attachment: only when its resource may be seen; always a download of
 * a fixed type, never shown by the browser. */
int web_gw_file(http_req_t *r)
{
	viewer_t v;
	store_gw_res_t x;
	void *data = NULL;
	size_t n = 0;
	char name[128], cd[200];
	viewer(r, &v);
	int64_t id = id_arg(r->arg);
	store_t *st = hub_store_get(r->hub);
	int ok = st && id && !store_gw_res_get(st, id, &x) && gw_may_see(v.p, x.org_id, x.status) &&
		 tlp_visible(&v.view, x.tlp, x.org_id, 0) &&
		 !store_gw_file_get(st, id, &data, &n, name, sizeof name);
	hub_store_put(r->hub, st);
	if (!ok) {
		free(data);
		return not_found(r, &v);
	}
	/* the name as gw_res_attach keeps it, [A-Za-z0-9._-]; anything else
	 * (a row written behind its back) is dropped here too */
	size_t k = 0;
	for (const char *c = name; *c && k < 100; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("._-", *c))
			name[k++] = *c;
	name[k] = '\0';
	snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", k ? name : "download.bin");
	http_header(r, "Content-Disposition", cd);
	http_header(r, "Content-Security-Policy", "default-src 'none'; sandbox");
	if (v.in)
		http_header(r, "Cache-Control", "private, no-store");
	return http_text(r, 200, "application/octet-stream", data, n);
}

/* ---- Atom feeds: /feeds/resources.atom, news.atom, advisories.atom
 * (?area=NAME): the public's view only ---- */

int web_gw_feed(http_req_t *r)
{
	viewer_t nobody = {.view = GW_VIEW_PUBLIC};
	const char *kind = !strcmp(r->arg, "resources.atom") ? "resource" : !strcmp(r->arg, "news.atom") ? "news"
			 : !strcmp(r->arg, "advisories.atom") ? "advisory" : NULL;
	char base[256] = "", err[128], self[600], alt[600], id[600], area_q[64] = "";
	unsigned areas = 0;
	const char *area = http_query(r, "area");
	if (!kind || (area && *area && (gw_area_parse(area, &areas, err, sizeof err) || strchr(area, ','))))
		return not_found(r, &nobody);
	if (areas)
		snprintf(area_q, sizeof area_q, "?area=%s", area);
	store_t *st = hub_store_get(r->hub);
	gw_result_t *res = malloc(sizeof *res);
	if (!st || !res) {
		hub_store_put(r->hub, st);
		free(res);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	if (store_setting_get(st, "public_url", base, sizeof base) || !gw_url_ok(base))
		snprintf(base, sizeof base, "http://localhost");
	size_t bl = strlen(base);
	if (bl && base[bl - 1] == '/')
		base[bl - 1] = '\0';
	if (cached(r, &nobody, st, kind)) {
		hub_store_put(r->hub, st);
		free(res);
		return HTTP_DONE;
	}
	gw_search_t s = {.kind = kind, .areas = areas, .first = GW_PAGE};
	int rc = gw_search(st, &nobody.view, &s, res, err, sizeof err);
	hub_store_put(r->hub, st);
	if (rc) {
		free(res);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	gw_atom_entry_t e[GW_PAGE];
	char links[GW_PAGE][600], ids[GW_PAGE][700];
	memset(e, 0, sizeof e);
	for (int i = 0; i < res->nhits; i++) {
		gw_hit_t *h = &res->hits[i];
		snprintf(links[i], sizeof links[i], "%s%s", base, h->url[0] == '/' ? h->url : "/");
		snprintf(ids[i], sizeof ids[i], "%s/%s/%s", base, h->kind, h->ref);
		e[i] = (gw_atom_entry_t){.id = ids[i], .title = h->title, .link = links[i], .summary = h->snippet,
					 .updated = h->updated};
		for (int a = 0, k = 0; a < GW_AREAS; a++) /* its work areas as categories */
			if (h->areas & (1u << a))
				e[i].categories[k++] = gw_area_names[a];
	}
	snprintf(self, sizeof self, "%s/feeds/%s%s", base, r->arg, area_q);
	snprintf(id, sizeof id, "%s/feeds/%s%s", base, r->arg, area_q);
	snprintf(alt, sizeof alt, "%s/%s", base, !strcmp(kind, "resource") ? "resources" : "");
	char title[200];
	snprintf(title, sizeof title, "c5hub: %s%s%s", web_t(r, !strcmp(kind, "resource") ? N_("Resources")
					       : !strcmp(kind, "news") ? N_("News") : N_("Advisories")),
		 areas ? " — " : "", areas ? web_t(r, area_titles[__builtin_ctz(areas)]) : "");
	util_buf_t b = {0};
	gw_atom(&b, id, title, self, alt, res->nhits ? res->hits[0].updated : 0, e, (size_t)res->nhits);
	free(res);
	if (b.oom || !b.data) {
		free(b.data);
		return web_error(r, 500, NULL, N_("The store is not available."));
	}
	return http_text(r, 200, "application/atom+xml; charset=utf-8", b.data, b.len);
}

/* ---- the members' console page ---- */

typedef struct {
	int64_t org;
	json_t *mine, *queue;
	http_req_t *r;
	const char *kind;
} con_t;

static int con_cb(void *arg, json_t *it)
{
	con_t *c = arg;
	int64_t id = json_integer_value(json_object_get(it, "id"));
	char href[48];
	snprintf(href, sizeof href, "/%s/%lld", !strcmp(c->kind, "entry") ? "directory" : "resources", (long long)id);
	json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "href", href,
				"kind_label", label(c->r, c->kind), "kind", c->kind, "title",
				json_string_value(json_object_get(it, json_object_get(it, "name") ? "name" : "title")),
				"status", label(c->r, json_string_value(json_object_get(it, "status"))), "tlp",
				json_object_get(it, "tlp") ? json_string_value(json_object_get(it, "tlp")) : "clear");
	if (!row)
		return 0;
	if (c->queue && !strcmp(json_string_value(json_object_get(it, "status")), "pending"))
		json_array_append(c->queue, row);
	if (json_integer_value(json_object_get(it, "org_id")) == c->org)
		json_array_append(c->mine, row);
	json_decref(row);
	return 0;
}

static int entry_find(void *arg, json_t *it)
{
	json_t **want = arg;
	if (json_integer_value(json_object_get(it, "id")) == json_integer_value(*want)) {
		json_decref(*want);
		*want = json_incref(it);
		return 1;
	}
	return 0;
}

/* The page, with a form's values and error when a save failed (which:
 * "entry", "resource" or "news"). */
static int console_page(http_req_t *r, int status, const char *which, const char *error, json_t *form)
{
	people_user_t u;
	if (web_me(r, &u)) {
		json_decref(form);
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	}
	int approver = gw_may_approve(&r->who), writer = gw_may_edit(&r->who, r->who.org_id);
	con_t c = {r->who.org_id, NULL, approver ? json_array() : NULL, r, "entry"};
	json_t *entries = json_array(), *resources = json_array();
	c.mine = entries;
	api_gw_list(r, "entry", NULL, 100000, con_cb, &c);
	c.mine = resources, c.kind = "resource";
	api_gw_list(r, "resource", NULL, 100000, con_cb, &c);
	/* the entry form: the one asked for (?entry=ID, one r may edit), or a new one */
	json_t *ef = which && !strcmp(which, "entry") ? json_incref(form) : NULL;
	const char *eid = http_query(r, "entry");
	if (!ef && eid && id_arg(eid)) {
		json_t *want = json_integer(id_arg(eid));
		api_gw_list(r, "entry", NULL, 100000, entry_find, &want);
		if (json_is_object(want) && gw_may_edit(&r->who, json_integer_value(json_object_get(want, "org_id"))))
			ef = json_incref(want);
		json_decref(want);
	}
	if (!ef)
		ef = json_object();
	json_t *rf = which && !strcmp(which, "resource") ? json_incref(form) : json_object();
	json_t *nf = which && !strcmp(which, "news") ? json_incref(form) : json_object();
	unsigned ea = 0, ra = 0, na = 0;
	char aerr[128];
	json_t *ja = json_object_get(ef, "areas");
	size_t i;
	json_t *x;
	if (json_is_array(ja))
		json_array_foreach(ja, i, x)
			for (int k = 0; k < GW_AREAS; k++)
				if (json_is_string(x) && !strcmp(json_string_value(x), gw_area_names[k]))
					ea |= 1u << k;
	if (json_is_string(json_object_get(rf, "areas")))
		gw_area_parse(json_string_value(json_object_get(rf, "areas")), &ra, aerr, sizeof aerr);
	if (json_is_string(json_object_get(nf, "areas")))
		gw_area_parse(json_string_value(json_object_get(nf, "areas")), &na, aerr, sizeof aerr);
	if (json_is_string(json_object_get(ef, "areas")))
		gw_area_parse(json_string_value(json_object_get(ef, "areas")), &ea, aerr, sizeof aerr);
	tlp_t rt = TLP_CLEAR, nt = TLP_CLEAR;
	if (json_is_string(json_object_get(rf, "tlp")))
		tlp_parse(json_string_value(json_object_get(rf, "tlp")), &rt);
	if (json_is_string(json_object_get(nf, "tlp")))
		tlp_parse(json_string_value(json_object_get(nf, "tlp")), &nt);
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:b}", "entries", entries, "resources", resources,
				"ef", ef, "rf", rf, "nf", nf, "approver", approver, "writer", writer);
	if (!ctx) {
		json_decref(c.queue);
		json_decref(form);
		return web_error(r, 500, &u, N_("The store is not available."));
	}
	json_object_set_new(ctx, "e_kinds", choices(r, gw_entry_kinds, 3, json_string_value(json_object_get(ef, "kind")), 0));
	json_object_set_new(ctx, "e_stk", choices(r, gw_stakeholders, 5, json_string_value(json_object_get(ef, "stakeholder")), 0));
	json_object_set_new(ctx, "e_areas", area_boxes(r, ea));
	json_object_set_new(ctx, "r_types", choices(r, gw_res_types, 6, json_string_value(json_object_get(rf, "type")), 0));
	json_object_set_new(ctx, "r_stk", choices(r, gw_stakeholders, 5, json_string_value(json_object_get(rf, "stakeholder")), 1));
	json_object_set_new(ctx, "r_areas", area_boxes(r, ra));
	json_object_set_new(ctx, "r_tlps", tlp_choices(rt));
	json_object_set_new(ctx, "n_areas", area_boxes(r, na));
	json_object_set_new(ctx, "n_tlps", tlp_choices(nt));
	if (c.queue)
		json_object_set_new(ctx, "queue", c.queue);
	if (error && which) {
		char key[16];
		snprintf(key, sizeof key, "error_%s", which);
		json_object_set_new(ctx, key, json_string(error));
	}
	const char *done = http_query(r, "done");
	if (done && !error)
		json_object_set_new(ctx, "done", json_string(web_t(r, !strcmp(done, "decided") ? N_("Decision recorded.")
								: N_("Saved: the hub's analysts approve what becomes public."))));
	json_decref(form);
	web_page_t p = {.tpl = "gw_console", .title = N_("Gateway"), .nav = "gw", .u = &u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_gw_console(http_req_t *r)
{
	return console_page(r, 200, NULL, NULL, NULL);
}

/* The form's fields as the API's JSON object (only those given); areas
 * from the check boxes area_NAME. */
static json_t *form_json(http_req_t *r, const char *const *names, size_t n, size_t max)
{
	json_t *o = json_object();
	char b[16];
	util_buf_t areas = {0};
	for (size_t i = 0; i < n; i++) {
		json_t *v = web_field_json(r, names[i], max);
		if (json_string_length(v) || (strcmp(names[i], "status") && strcmp(names[i], "tlp")))
			json_object_set_new(o, names[i], v);
		else
			json_decref(v);
	}
	for (int i = 0; i < GW_AREAS; i++) {
		char name[32];
		snprintf(name, sizeof name, "area_%s", gw_area_names[i]);
		if (web_field(r, name, b, sizeof b) == 1) {
			if (areas.len)
				util_buf_add(&areas, ",", 1);
			util_buf_add(&areas, gw_area_names[i], strlen(gw_area_names[i]));
		}
	}
	json_object_set_new(o, "areas", json_string(areas.data ? areas.data : ""));
	free(areas.data);
	return o;
}

/* The message of a refused save: the field named, in the reader's words. */
static const char *why(http_req_t *r, int rc, const char *field, const char *err, char *buf, size_t n)
{
	if (rc == 400 && field)
		snprintf(buf, n, "%s: %s", field, err);
	else
		snprintf(buf, n, "%s", rc == 403 ? web_t(r, N_("You may not do this.")) : err);
	return buf;
}

static int save_post(http_req_t *r, const char *kind, const char *const *names, size_t n)
{
	char err[512], msg[600], idb[24];
	const char *field = NULL;
	json_t *in = form_json(r, names, n, 8000), *out = NULL;
	int64_t id = web_field(r, "id", idb, sizeof idb) == 1 ? id_arg(idb) : 0;
	json_t *copy = json_deep_copy(in);
	int rc = api_gw_save(r, kind, id, in, &out, &field, err, sizeof err);
	if (rc) {
		why(r, rc, field, err, msg, sizeof msg);
		json_decref(in);
		if (id)
			json_object_set_new(copy, "id", json_integer(id));
		return console_page(r, rc == 500 ? 500 : rc == 404 ? 404 : rc == 403 ? 403 : 400, kind, msg, copy);
	}
	json_decref(in);
	json_decref(copy);
	if (!strcmp(kind, "resource")) { /* the file, when one was chosen */
		const char *p;
		size_t pn;
		char fname[256] = "";
		if (web_part(r, "file", &p, &pn, fname, sizeof fname) == 1 && pn > 0) {
			int arc = api_gw_attach(r, json_integer_value(json_object_get(out, "id")), p, pn, fname, err, sizeof err);
			if (arc) {
				json_decref(out);
				snprintf(msg, sizeof msg, "%s: %s", fname, err);
				return console_page(r, arc, kind, msg, json_object());
			}
		}
	}
	json_decref(out);
	return web_redirect(r, "/console/gw?done=saved");
}

int web_gw_entry_post(http_req_t *r)
{
	static const char *const names[] = {"kind", "name", "stakeholder", "country", "sector", "description",
					    "website", "email", "phone", "pgp", "x509", "status"};
	return save_post(r, "entry", names, sizeof names / sizeof *names);
}

int web_gw_res_post(http_req_t *r)
{
	static const char *const names[] = {"type", "title", "summary", "stakeholder", "country", "lang", "link",
					    "tlp", "status"};
	const char *p;
	size_t pn;
	char fname[256];
	if (web_part(r, "file", &p, &pn, fname, sizeof fname) == 1 && pn > GW_FILE_MAX) /* refused before anything is stored */
		return console_page(r, 400, "resource", web_t(r, N_("The file is larger than 8 MB.")), json_object());
	return save_post(r, "resource", names, sizeof names / sizeof *names);
}

int web_gw_news_post(http_req_t *r)
{
	static const char *const names[] = {"title", "body", "tlp"};
	return save_post(r, "news", names, sizeof names / sizeof *names);
}

/* POST /console/gw/decide/{kind}-{id} with action=approve|reject */
int web_gw_decide(http_req_t *r)
{
	char action[16], err[256];
	const char *dash = strchr(r->arg, '-');
	people_user_t u;
	if (!dash || web_field(r, "action", action, sizeof action) != 1 || (strcmp(action, "approve") && strcmp(action, "reject")))
		return web_error(r, 400, NULL, N_("Choose approve or reject."));
	char kind[16];
	snprintf(kind, sizeof kind, "%.*s", (int)(dash - r->arg), r->arg);
	int64_t id = id_arg(dash + 1);
	int rc = api_gw_approve(r, kind, id, !strcmp(action, "approve"), err, sizeof err);
	if (rc) {
		int me = web_me(r, &u);
		return web_error(r, rc, me ? NULL : &u, rc == 403 ? N_("You may not do this.")
					  : rc == 404 ? N_("There is no such page here.") : N_("The store is not available."));
	}
	return web_redirect(r, "/console/gw?done=decided");
}
