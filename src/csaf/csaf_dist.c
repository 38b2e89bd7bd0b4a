/* csaf_dist.c — the files the hub serves as a CSAF 2.0 provider and as an
 * aggregator (CSAF 2.0 section 7): provider-metadata.json, the ROLIE feeds,
 * service document and category documents, index.txt and changes.csv of
 * the hub's own advisories (/.well-known/csaf/), and aggregator.json with,
 * per mirrored issuing party (imported advisories, grouped by their
 * publisher's name), a folder holding the same files
 * (/.well-known/csaf-aggregator/FOLDER/).  Every walk reads published
 * advisories newest change first; what a reader may have is decided by the
 * caller (api_csaf.c) with the one rule, and for a party's files by the
 * view given here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csaf/csaf.h"

#define WK "/.well-known/csaf"
#define AGG "/.well-known/csaf-aggregator"
#define CSAF_SCHEMA "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"

void csaf_party_folder(const char *name, char *out, size_t n)
{
	size_t i = 0;
	for (; name && name[i] && i < 64 && i + 1 < n; i++) {
		char c = name[i];
		out[i] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
				 c == '-' ? c : '_';
	}
	if (n)
		out[i] = '\0';
}

/* The URL of party's folder: base + /.well-known/csaf or
 * /.well-known/csaf-aggregator/FOLDER. */
static void folder_url(const char *base, const char *party, char *out, size_t n)
{
	if (party)
		snprintf(out, n, "%s" AGG "/%s", base, party);
	else
		snprintf(out, n, "%s" WK, base);
}

typedef struct walk walk_t;
/* Called with a published advisory (full: with its texts when the walk
 * asks for them) and, for a mirror, its document's publisher (borrowed). */
typedef int (*visit_fn)(walk_t *w, const store_adv_t *a, const json_t *pub);

struct walk {
	store_t *st;
	const char *party;      /* NULL: the hub's own */
	int any_party;          /* every mirror (party NULL) */
	const tlp_view_t *view; /* NULL: no filter (the caller checked) */
	int any_tlp;            /* else only tlp */
	tlp_t tlp;
	int full;               /* fetch the texts (a mirror: always) */
	const char *dir, *rel;  /* only this file (csaf_dist_find) */
	visit_fn fn;
	int failed;
	/* what the visits make */
	const char *url;        /* the folder's URL */
	json_t *entries, *terms, *parties, *pub;
	char *text;
	size_t len, cap;
	int changes, hit;
	int64_t newest;
	store_adv_t found;
};

/* The publisher of mirror a and the folder of its name: a new reference,
 * NULL when its document has none.  The model of a mirror keeps its
 * document's publisher (csaf_import); mirrors imported before that have
 * their document read (the slower way: a document is up to 16 MiB). */
static json_t *mirror_publisher(const store_adv_t *a, char *folder, size_t n)
{
	json_error_t je;
	json_t *d = a->data ? json_loads(a->data, 0, &je) : NULL;
	json_t *p = json_object_get(d, "publisher");
	if (!json_is_object(p)) {
		json_decref(d);
		d = a->doc ? json_loads(a->doc, 0, &je) : NULL;
		p = json_object_get(json_object_get(d, "document"), "publisher");
	}
	const char *name = json_string_value(json_object_get(p, "name"));
	if (!json_is_object(p) || !name || !*name) {
		json_decref(d);
		return NULL;
	}
	csaf_party_folder(name, folder, n);
	json_incref(p);
	json_decref(d);
	return p;
}

static int walk_cb(void *arg, const store_adv_t *row)
{
	walk_t *w = arg;
	char rel[200], folder[80];
	int mirrors = w->party || w->any_party;
	if (row->mirror != mirrors || (row->tlp != TLP_CLEAR && row->tlp != TLP_GREEN) ||
	    (!w->any_tlp && row->tlp != w->tlp) || (w->view && !tlp_visible(w->view, row->tlp, row->org_id, 0)))
		return 0;
	if (w->rel) {
		csaf_rel_path(row, rel, sizeof rel);
		if (strcmp(csaf_tlp_dir(row->tlp), w->dir) || strcmp(rel, w->rel))
			return 0;
	}
	if (!w->full && !mirrors)
		return w->fn(w, row, NULL);
	store_adv_t a;
	if (store_adv_get(w->st, row->tracking_id, &a)) {
		w->failed = 1;
		return 1;
	}
	json_t *pub = NULL;
	int rc = 0;
	if (mirrors && (!(pub = mirror_publisher(&a, folder, sizeof folder)) || (w->party && strcmp(folder, w->party)))) {
		json_decref(pub);
		store_adv_clear(&a);
		return 0;
	}
	rc = w->fn(w, &a, pub);
	json_decref(pub);
	if (w->found.id == a.id) /* kept by the visit */
		return rc;
	store_adv_clear(&a);
	return rc;
}

static int walk(walk_t *w)
{
	tlp_view_t all = TLP_VIEW_ALL;
	if (store_adv_list(w->st, &all, 1, w->party || w->any_party, 0, walk_cb, w) || w->failed)
		return -1;
	return 0;
}

/* ---- provider-metadata.json ---- */

/* The first visited is the newest (the walk reads newest change first). */
static int newest_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	w->pub = pub ? json_deep_copy(pub) : NULL;
	w->newest = a->current_date;
	w->hit = 1;
	return 1;
}

json_t *csaf_provider_metadata(store_t *st, const char *base, const char *party, const tlp_view_t *v)
{
	char name[256], ns[512], now[MODEL_TIME_LEN], dir[1100], u[1200], white[1200], green[1200], cw[1200],
		cg[1200], svc[1200];
	json_t *pub;
	folder_url(base, party, dir, sizeof dir);
	if (party) {
		walk_t w = {.st = st, .party = party, .view = v, .any_tlp = 1, .fn = newest_visit};
		if (walk(&w) || !w.hit || !w.pub) {
			json_decref(w.pub);
			return NULL;
		}
		pub = w.pub;
		model_time_fmt(w.newest, now);
	} else {
		csaf_publisher(st, name, sizeof name, ns, sizeof ns);
		pub = json_pack("{ss,ss,ss}", "category", "coordinator", "name", name, "namespace", ns);
		model_time_fmt((int64_t)time(NULL), now);
	}
	snprintf(u, sizeof u, "%s/provider-metadata.json", dir);
	snprintf(white, sizeof white, "%s/feed-tlp-white.json", dir);
	snprintf(green, sizeof green, "%s/feed-tlp-green.json", dir);
	snprintf(cw, sizeof cw, "%s/category-tlp-white.json", dir);
	snprintf(cg, sizeof cg, "%s/category-tlp-green.json", dir);
	snprintf(svc, sizeof svc, "%s/service.json", dir);
	char wdir[1200];
	snprintf(wdir, sizeof wdir, "%s/white/", dir);
	json_t *rolie = json_pack("{s[{ss,ss,ss},{ss,ss,ss}]}", "feeds",
				  "summary", "TLP:WHITE (CLEAR) advisories, public", "tlp_label", "WHITE", "url", white,
				  "summary", "TLP:GREEN advisories, for the hub's members", "tlp_label", "GREEN", "url",
				  green);
	if (rolie && !party) /* the service and category documents: the hub's own */
		json_object_set_new(rolie, "services", json_pack("[s]", svc)),
			json_object_set_new(rolie, "categories", json_pack("[s,s]", cw, cg));
	return json_pack("{ss,s[{ss,so}],ss,sb,ss,sb,so,ss}", "canonical_url", u, "distributions", "directory_url",
			 wdir, "rolie", rolie, "last_updated", now, "list_on_CSAF_aggregators", 1, "metadata_version",
			 "2.0", "mirror_on_CSAF_aggregators", 1, "publisher", pub, "role",
			 party ? "csaf_publisher" : "csaf_provider");
}

/* ---- ROLIE: feeds, service, categories ---- */

/* The categories of advisory a (its model's vendors and products) as
 * terms into set (an object used as a set). */
static void adv_terms(const store_adv_t *a, json_t *set)
{
	json_error_t je;
	json_t *m = a->data ? json_loads(a->data, 0, &je) : NULL, *p;
	size_t i;
	char t[600];
	json_array_foreach(json_object_get(m, "products"), i, p) {
		const char *vendor = json_string_value(json_object_get(p, "vendor"));
		const char *name = json_string_value(json_object_get(p, "name"));
		if (vendor && *vendor)
			json_object_set_new(set, vendor, json_true());
		if (name && *name) {
			snprintf(t, sizeof t, "%s%s%s", vendor && *vendor ? vendor : "", vendor && *vendor ? " " : "", name);
			json_object_set_new(set, t, json_true());
		}
	}
	json_decref(m);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* [{"term": ...}] of set's keys, sorted (a new reference). */
static json_t *terms_json(json_t *set)
{
	size_t n = json_object_size(set), i = 0;
	const char **k = calloc(n ? n : 1, sizeof *k), *key;
	json_t *v, *out = json_array();
	if (!k || !out) {
		free(k);
		json_decref(out);
		return NULL;
	}
	json_object_foreach(set, key, v)
		k[i++] = key;
	qsort(k, n, sizeof *k, cmp_str);
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{ss}", "term", k[i]));
	free(k);
	return out;
}

static int feed_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	char rel[200], u[1400], h[1500], s[1500], when[MODEL_TIME_LEN], first[MODEL_TIME_LEN];
	(void)pub;
	csaf_rel_path(a, rel, sizeof rel);
	snprintf(u, sizeof u, "%s/%s/%s", w->url, csaf_tlp_dir(a->tlp), rel);
	snprintf(h, sizeof h, "%s.sha512", u);
	snprintf(s, sizeof s, "%s.p7s", u);
	if (a->current_date > w->newest)
		w->newest = a->current_date;
	json_t *set = json_object(), *e;
	adv_terms(a, set);
	e = json_pack("{ss,ss,s[{ss,ss},{ss,ss}],ss,ss,s{ss},s{ss,ss},s{ss,ss}}", "id", a->tracking_id, "title",
		      a->title, "link", "rel", "self", "href", u, "rel", "hash", "href", h, "published",
		      model_time_fmt(a->initial_date ? a->initial_date : a->current_date, first), "updated",
		      model_time_fmt(a->current_date, when), "summary", "content", a->title, "content", "type",
		      "application/json", "src", u, "format", "schema", CSAF_SCHEMA, "version", "2.0");
	if (e && a->sig)
		json_array_append_new(json_object_get(e, "link"), json_pack("{ss,ss}", "rel", "signature", "href", s));
	json_t *cats = terms_json(set);
	json_decref(set);
	if (e && cats && json_array_size(cats))
		json_object_set_new(e, "category", cats);
	else
		json_decref(cats);
	if (!e || json_array_append_new(w->entries, e))
		w->failed = 1;
	return w->failed;
}

json_t *csaf_rolie_feed(store_t *st, const char *base, const char *party, tlp_t t)
{
	const char *dir = csaf_tlp_dir(t);
	char url[1100], self[1200], id[200], title[200], when[MODEL_TIME_LEN];
	folder_url(base, party, url, sizeof url);
	walk_t w = {.st = st, .party = party, .tlp = t, .full = 1, .fn = feed_visit, .url = url,
		    .entries = json_array()};
	if (!w.entries || walk(&w)) {
		json_decref(w.entries);
		return NULL;
	}
	snprintf(self, sizeof self, "%s/feed-tlp-%s.json", url, dir);
	snprintf(id, sizeof id, "c5hub-csaf-%s%sfeed-tlp-%s", party ? party : "", party ? "-" : "", dir);
	snprintf(title, sizeof title, "CSAF feed (TLP:%s)%s%s", t == TLP_CLEAR ? "WHITE" : "GREEN",
		 party ? ", mirror of " : "", party ? party : "");
	return json_pack("{s{ss,ss,s[{ss,ss}],s[{ss,ss}],ss,so}}", "feed", "id", id, "title", title, "link", "rel",
			 "self", "href", self, "category", "scheme", "urn:ietf:params:rolie:category:information-type",
			 "term", "csaf", "updated",
			 model_time_fmt(w.newest ? w.newest : (int64_t)time(NULL), when), "entry", w.entries);
}

json_t *csaf_rolie_service(const char *base)
{
	char white[1200], green[1200];
	snprintf(white, sizeof white, "%s" WK "/feed-tlp-white.json", base);
	snprintf(green, sizeof green, "%s" WK "/feed-tlp-green.json", base);
	return json_pack("{s{s[{ss,s[{ss,ss,s{s[{ss,ss}]}}]},{ss,s[{ss,ss,s{s[{ss,ss}]}}]}]}}", "service",
			 "workspace", "title", "Public CSAF feed", "collection", "title", "CSAF feed (TLP:WHITE)", "href",
			 white, "categories", "category", "scheme", "urn:ietf:params:rolie:category:information-type",
			 "term", "csaf", "title", "Members' CSAF feed", "collection", "title", "CSAF feed (TLP:GREEN)",
			 "href", green, "categories", "category", "scheme",
			 "urn:ietf:params:rolie:category:information-type", "term", "csaf");
}

static int terms_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	(void)pub;
	adv_terms(a, w->terms);
	return 0;
}

json_t *csaf_rolie_categories(store_t *st, tlp_t t)
{
	walk_t w = {.st = st, .tlp = t, .full = 1, .fn = terms_visit, .terms = json_object()};
	json_t *list = NULL;
	if (w.terms && !walk(&w))
		list = terms_json(w.terms);
	json_decref(w.terms);
	return list ? json_pack("{s{so}}", "categories", "category", list) : NULL;
}

/* ---- index.txt, changes.csv ---- */

static int dir_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	char line[300], rel[200], when[MODEL_TIME_LEN];
	(void)pub;
	csaf_rel_path(a, rel, sizeof rel);
	int n = w->changes ? snprintf(line, sizeof line, "\"%s\",\"%s\"\n", rel, model_time_fmt(a->current_date, when))
			   : snprintf(line, sizeof line, "%s\n", rel);
	if (n < 0 || (size_t)n >= sizeof line)
		return 0;
	if (w->len + (size_t)n + 1 > w->cap) {
		size_t cap = (w->cap + (size_t)n + 1) * 2;
		char *t = realloc(w->text, cap);
		if (!t) {
			w->failed = 1;
			return 1;
		}
		w->text = t;
		w->cap = cap;
	}
	memcpy(w->text + w->len, line, (size_t)n + 1);
	w->len += (size_t)n;
	return 0;
}

char *csaf_dir_file(store_t *st, const char *party, tlp_t t, int changes)
{
	/* newest change first: what changes.csv asks; index.txt takes any order */
	walk_t w = {.st = st, .party = party, .tlp = t, .changes = changes, .fn = dir_visit};
	if (walk(&w)) {
		free(w.text);
		return NULL;
	}
	if (!w.text)
		w.text = strdup("");
	return w.text;
}

/* ---- directory listings (requirement 14) ---- */

static int list_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	char rel[200], n[240];
	(void)pub;
	csaf_rel_path(a, rel, sizeof rel);
	char *slash = strchr(rel, '/');
	if (!slash)
		return 0;
	if (!w->dir) { /* the TLP directory: its years */
		slash[1] = '\0';
		json_object_set_new(w->terms, rel, json_true());
		return 0;
	}
	*slash = '\0';
	if (strcmp(rel, w->dir))
		return 0;
	/* names of csaf_filename's: [a-z0-9+_-] and ".json", nothing to escape */
	const char *exts[] = {"", ".sha256", ".sha512", ".p7s"};
	for (size_t i = 0; i < 4; i++) {
		if (i == 3 && !a->sig)
			break;
		snprintf(n, sizeof n, "%s%s", slash + 1, exts[i]);
		json_object_set_new(w->terms, n, json_true());
	}
	return 0;
}

char *csaf_dir_listing(store_t *st, const char *party, tlp_t t, const char *year)
{
	/* dir: the year listed (walk's file filter is off: rel is NULL) */
	walk_t w = {.st = st, .party = party, .tlp = t, .full = year != NULL, .dir = year, .fn = list_visit,
		    .terms = json_object()};
	json_t *names = NULL, *e;
	size_t i;
	char *html = NULL;
	if (!w.terms || walk(&w) || !(names = terms_json(w.terms)))
		goto out;
	if (!year) {
		json_array_insert_new(names, 0, json_pack("{ss}", "term", "changes.csv"));
		json_array_insert_new(names, 0, json_pack("{ss}", "term", "index.txt"));
	}
	size_t cap = 256 + json_array_size(names) * 220, len;
	if (!(html = malloc(cap)))
		goto out;
	len = (size_t)snprintf(html, cap, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s/%s%s</title></head>\n<body><ul>\n",
			       csaf_tlp_dir(t), year ? year : "", year ? "/" : "");
	json_array_foreach(names, i, e) {
		const char *n = json_string_value(json_object_get(e, "term"));
		if (len + 2 * strlen(n) + 40 >= cap)
			break; /* not reached: cap counts 220 a name */
		len += (size_t)snprintf(html + len, cap - len, "<li><a href=\"%s\">%s</a></li>\n", n, n);
	}
	snprintf(html + len, cap - len, "</ul></body></html>\n");
out:
	json_decref(names);
	json_decref(w.terms);
	return html;
}

/* ---- a document ---- */

static int find_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	(void)pub;
	w->found = *a; /* the texts are the caller's now */
	w->hit = 1;
	return 1;
}

int csaf_dist_find(store_t *st, const char *party, const char *dir, const char *rel, store_adv_t *out)
{
	walk_t w = {.st = st, .party = party, .any_tlp = 1, .full = 1, .dir = dir, .rel = rel, .fn = find_visit};
	memset(out, 0, sizeof *out);
	w.found.id = -1;
	if (walk(&w)) {
		if (w.hit)
			store_adv_clear(&w.found);
		return STORE_ERR;
	}
	if (!w.hit)
		return STORE_ENOTFOUND;
	*out = w.found;
	return STORE_OK;
}

/* ---- aggregator.json ---- */

static int party_visit(walk_t *w, const store_adv_t *a, const json_t *pub)
{
	char folder[80], when[MODEL_TIME_LEN];
	csaf_party_folder(json_string_value(json_object_get(pub, "name")), folder, sizeof folder);
	if (!folder[0] || json_object_get(w->parties, folder)) /* the newest names the party */
		return 0;
	json_object_set_new(w->parties, folder,
			    json_pack("{sO,ss}", "publisher", pub, "last_updated", model_time_fmt(a->current_date, when)));
	return 0;
}

json_t *csaf_aggregator(store_t *st, const char *base, const tlp_view_t *v)
{
	char name[256], ns[512], now[MODEL_TIME_LEN], self[1200], own[1200], u[1300];
	walk_t w = {.st = st, .view = v, .any_party = 1, .any_tlp = 1, .full = 1, .fn = party_visit,
		    .parties = json_object()};
	json_t *pubs = json_array(), *p;
	const char *folder;
	if (!w.parties || !pubs || walk(&w)) {
		json_decref(w.parties);
		json_decref(pubs);
		return NULL;
	}
	/* each mirrored party: a CSAF publisher (its documents were imported,
	 * not read from its provider-metadata.json) with the hub's mirror */
	json_object_foreach(w.parties, folder, p) {
		snprintf(u, sizeof u, "%s" AGG "/%s/provider-metadata.json", base, folder);
		json_array_append_new(pubs, json_pack("{s{sO,sO,ss,ss},s[s],ss}", "metadata", "last_updated",
						      json_object_get(p, "last_updated"), "publisher",
						      json_object_get(p, "publisher"), "role", "csaf_publisher",
						      "url", u, "mirrors", u, "update_interval", "on best effort"));
	}
	json_decref(w.parties);
	csaf_publisher(st, name, sizeof name, ns, sizeof ns);
	model_time_fmt((int64_t)time(NULL), now);
	snprintf(self, sizeof self, "%s" AGG "/aggregator.json", base);
	snprintf(own, sizeof own, "%s" WK "/provider-metadata.json", base);
	json_t *agg = json_pack("{s{ss,ss,ss},ss,ss,s[{s{ss,s{ss,ss,ss},ss,ss}}],ss}", "aggregator", "category",
				"aggregator", "name", name, "namespace", ns, "aggregator_version", "2.0", "canonical_url",
				self, "csaf_providers", "metadata", "last_updated", now, "publisher", "category",
				"coordinator", "name", name, "namespace", ns, "role", "csaf_provider", "url", own,
				"last_updated", now);
	if (agg && json_array_size(pubs))
		json_object_set(agg, "csaf_publishers", pubs);
	json_decref(pubs);
	return agg;
}
