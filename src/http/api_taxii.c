/* api_taxii.c — the TAXII 2.1 server: discovery (/taxii2/), one API root
 * (/taxii2/api1/), status, collections, collection, manifest, objects (GET
 * and POST), object (GET and DELETE) and versions.
 *
 * Every resource is application/taxii+json;version=2.1; a request that does
 * not accept it gets 406, a post of anything else 415, a body over the
 * limit 413, objects that are not valid STIX 2.1 422 (nothing is written:
 * a post is all or nothing), and every error is a TAXII error object.
 * Rights: the collection's grants to the reader's organisation; inside a
 * collection, TLP 2.0 (store_taxii_objects).  A peer hub is never given
 * RED nor the objects that came from it.  Pages are keyset pages on the
 * date added, so a page costs the same at any depth and stays correct while
 * objects are being added; "next" is the date added of the last object
 * served. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <microhttpd.h>

#include "core/util.h"
#include "http/http.h"
#include "stix/stix.h"

#define TAXII_TYPE "application/taxii+json;version=2.1"
#define STIX_TYPE "application/stix+json;version=2.1"
#define TAXII_ROOT "/taxii2/api1/"
#define PAGE_DEFAULT 1000
#define PAGE_MAX 10000

/* ---- responses ---- */

static int taxii_error(http_req_t *r, int status, const char *title, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int taxii_error(http_req_t *r, int status, const char *title, const char *fmt, ...)
{
	char desc[600], code[8];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof desc, fmt, ap);
	va_end(ap);
	snprintf(code, sizeof code, "%d", status);
	json_t *e = json_pack("{s:s, s:s, s:s}", "title", title, "description", desc, "http_status", code);
	char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
	json_decref(e);
	if (!text)
		return MHD_NO;
	return http_text(r, status, TAXII_TYPE, text, strlen(text));
}

static int taxii_json(http_req_t *r, int status, json_t *body)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!text)
		return taxii_error(r, 500, "internal error", "out of memory");
	return http_text(r, status, TAXII_TYPE, text, strlen(text));
}

static const char *header(http_req_t *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static const char *arg(http_req_t *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* A media range naming TAXII 2.1: "application/taxii+json" with no version
 * or version=2.1, in a list (q-values are ignored). */
static int media_ok(const char *v, int accept)
{
	if (!v)
		return accept; /* no Accept: anything; no Content-Type: refused */
	for (const char *p = v; (p = strcasestr(p, "application/taxii+json")); p += 22) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char one[128];
		snprintf(one, sizeof one, "%.*s", (int)(n < sizeof one ? n : sizeof one - 1), p);
		char *ver = strcasestr(one, "version=");
		if (!ver || !strncmp(ver + 8, "2.1", 3))
			return 1;
	}
	return 0;
}

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the reader ---- */

static void viewer(const http_req_t *r, store_taxii_filter_t *f)
{
	f->view = auth_view(&r->who); /* a peer hub never sees RED: the rule says so */
	f->tlp_max = TLP_RED;
	f->not_origin = r->who.role == ROLE_PEER ? r->who.org_id : 0;
}

/* ---- discovery, API root, collections ---- */

static int discovery(http_req_t *r)
{
	return taxii_json(r, 200, json_pack("{s:s, s:s, s:s, s:[s]}", "title", "c5hub TAXII 2.1",
					    "description", "the hub's intelligence, under TLP 2.0",
					    "default", TAXII_ROOT, "api_roots", TAXII_ROOT));
}

static int api_root(http_req_t *r)
{
	return taxii_json(r, 200, json_pack("{s:s, s:s, s:[s], s:I}", "title", "c5hub",
					    "description", "the hub's collections", "versions",
					    TAXII_TYPE, "max_content_length",
					    (json_int_t)HTTP_BODY_MAX));
}

static json_t *coll_json(const store_coll_t *c)
{
	return json_pack("{s:s, s:s, s:s, s:b, s:b, s:[s], s:s}", "id", c->id, "title", c->title,
			 "description", c->description, "can_read", c->can_read, "can_write",
			 c->can_write, "media_types", STIX_TYPE, "alias", c->alias);
}

static int coll_cb(void *arg, const store_coll_t *c)
{
	json_array_append_new(arg, coll_json(c));
	return 0;
}

static int collections(http_req_t *r, store_t *st)
{
	json_t *arr = json_array();
	if (store_coll_list(st, r->who.org_id, coll_cb, arr)) {
		json_decref(arr);
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	}
	if (!json_array_size(arr)) {
		json_decref(arr);
		return taxii_json(r, 200, json_object());
	}
	return taxii_json(r, 200, json_pack("{s:o}", "collections", arr));
}

enum { NEED_READ, NEED_WRITE, NEED_ANY };

/* The collection named by the path, with the right need of the reader;
 * 0, or a response queued (404 also when the reader has no right on it). */
static int collection(http_req_t *r, store_t *st, const char *id, int need, store_coll_t *c)
{
	int rc = store_coll_get(st, id, r->who.org_id, c);
	if (rc == STORE_ENOTFOUND || (rc == STORE_OK && !c->can_read && !c->can_write))
		return taxii_error(r, 404, "not found", "no collection '%s'", id), -1;
	if (rc)
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st)), -1;
	if ((need == NEED_WRITE && !c->can_write) || (need == NEED_READ && !c->can_read))
		return taxii_error(r, 403, "forbidden", "your organisation may not %s collection '%s'",
				   need == NEED_WRITE ? "write to" : "read", c->id), -1;
	return 0;
}

/* ---- filters from the query ---- */

/* A comma list of values into out (up to STORE_MATCH_MAX), in buf. */
static int split(char *buf, const char **out, int *n)
{
	*n = 0;
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (*n >= STORE_MATCH_MAX)
			return -1;
		out[(*n)++] = t;
	}
	return 0;
}

typedef struct {
	char ids[2048], types[1024], specs[128], vers[2048];
} qbuf_t;

/* added_after, next, limit and match[...] into f; 0, or a 400 queued. */
static int filters(http_req_t *r, store_taxii_filter_t *f, qbuf_t *b, int dflt_versions)
{
	const char *v;
	int64_t t;
	f->limit = PAGE_DEFAULT;
	if ((v = arg(r, "limit"))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end || n < 1)
			return taxii_error(r, 400, "bad request", "limit: a positive number, not '%s'", v), -1;
		f->limit = n > PAGE_MAX ? PAGE_MAX : (int)n;
	}
	if ((v = arg(r, "added_after"))) {
		if (stix_time_us(v, &t))
			return taxii_error(r, 400, "bad request", "added_after: not a timestamp: '%s'", v), -1;
		f->after = t;
	}
	if ((v = arg(r, "next"))) {
		char *end;
		long long n = strtoll(v, &end, 10);
		if (*end || n < 0)
			return taxii_error(r, 400, "bad request", "next: not a token this server gave"), -1;
		if (n > f->after)
			f->after = n;
	}
	static const struct {
		const char *name;
		size_t off;
	} lists[] = {{"match[id]", offsetof(qbuf_t, ids)},
		     {"match[type]", offsetof(qbuf_t, types)},
		     {"match[spec_version]", offsetof(qbuf_t, specs)}};
	for (int i = 0; i < 3; i++) {
		if (!(v = arg(r, lists[i].name)))
			continue;
		char *buf = (char *)b + lists[i].off;
		size_t size = i == 0 ? sizeof b->ids : i == 1 ? sizeof b->types : sizeof b->specs;
		const char **out = i == 0 ? f->ids : i == 1 ? f->types : f->specs;
		int *n = i == 0 ? &f->nids : i == 1 ? &f->ntypes : &f->nspecs;
		if (strlen(v) >= size || (snprintf(buf, size, "%s", v), split(buf, out, n)))
			return taxii_error(r, 400, "bad request", "%s: too many or too long values",
					   lists[i].name), -1;
	}
	f->versions = dflt_versions;
	if ((v = arg(r, "match[version]"))) {
		const char *vs[STORE_MATCH_MAX];
		int n;
		if (strlen(v) >= sizeof b->vers || (snprintf(b->vers, sizeof b->vers, "%s", v),
						    split(b->vers, vs, &n)))
			return taxii_error(r, 400, "bad request", "match[version]: too many values"), -1;
		f->versions = 0;
		for (int i = 0; i < n; i++) {
			if (!strcmp(vs[i], "last"))
				f->versions |= STORE_V_LAST;
			else if (!strcmp(vs[i], "first"))
				f->versions |= STORE_V_FIRST;
			else if (!strcmp(vs[i], "all"))
				f->versions |= STORE_V_ALL;
			else if (!stix_time_us(vs[i], &t))
				f->vus[f->nvus++] = t;
			else
				return taxii_error(r, 400, "bad request",
						   "match[version]: 'last', 'first', 'all' or a "
						   "timestamp, not '%s'", vs[i]), -1;
		}
	}
	return 0;
}

/* ---- pages ---- */

typedef struct {
	util_buf_t out;
	int what;            /* PAGE_OBJECTS, PAGE_MANIFEST, PAGE_VERSIONS */
	int limit, n;
	int more;
	int64_t first, last;
	int oom;
} page_t;

enum { PAGE_OBJECTS, PAGE_MANIFEST, PAGE_VERSIONS };

static void put_str(util_buf_t *b, const char *s)
{
	json_t *j = json_string(s);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	util_buf_add(b, t ? t : "\"\"", t ? strlen(t) : 2);
	free(t);
}

static int page_cb(void *arg, const store_stix_t *o)
{
	page_t *p = arg;
	char added[32];
	if (p->n == p->limit) {
		p->more = 1;
		return 1;
	}
	if (!p->n)
		p->first = o->added;
	p->last = o->added;
	if (p->n++)
		util_buf_add(&p->out, ",", 1);
	switch (p->what) {
	case PAGE_OBJECTS:
		util_buf_add(&p->out, o->json, o->json_len);
		break;
	case PAGE_MANIFEST:
		stix_time_fmt(o->added, added);
		util_buf_add(&p->out, "{\"id\":", 6);
		put_str(&p->out, o->id);
		util_buf_printf(&p->out, ",\"date_added\":\"%s\",\"version\":", added);
		put_str(&p->out, o->version[0] ? o->version : added);
		util_buf_printf(&p->out, ",\"media_type\":\"%s\"}", STIX_TYPE);
		break;
	default:
		put_str(&p->out, o->version[0] ? o->version : (stix_time_fmt(o->added, added), added));
	}
	return 0;
}

/* One page of the collection under f, as an envelope, a manifest or a
 * version list; 404 when none and not_found is set. */
static int page(http_req_t *r, store_t *st, store_taxii_filter_t *f, int what, int not_found)
{
	page_t p = {.what = what, .limit = f->limit};
	static const char *const member[] = {"objects", "objects", "versions"};
	f->limit++; /* one more tells whether there is more */
	util_buf_printf(&p.out, "{\"%s\":[", member[what]);
	int rc = store_taxii_objects(st, f, page_cb, &p);
	if (rc) {
		free(p.out.data);
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	}
	if (!p.n) {
		free(p.out.data);
		if (not_found)
			return taxii_error(r, 404, "not found", "no such object in this collection");
		return taxii_json(r, 200, json_pack("{s:b}", "more", 0));
	}
	char first[32], last[32];
	stix_time_fmt(p.first, first);
	stix_time_fmt(p.last, last);
	http_header(r, "X-TAXII-Date-Added-First", first);
	http_header(r, "X-TAXII-Date-Added-Last", last);
	util_buf_printf(&p.out, "],\"more\":%s", p.more ? "true" : "false");
	if (p.more)
		util_buf_printf(&p.out, ",\"next\":\"%lld\"", (long long)p.last);
	util_buf_add(&p.out, "}", 1);
	if (!p.out.data || p.out.oom) {
		free(p.out.data);
		return taxii_error(r, 500, "internal error", "out of memory");
	}
	return http_text(r, 200, TAXII_TYPE, p.out.data, p.out.len);
}

/* ---- post ---- */

typedef struct {
	json_t *ok;
	int64_t now;
} post_t;

static void posted(void *arg, const store_stix_t *row, int is_new)
{
	post_t *p = arg;
	json_array_append_new(p->ok, json_pack("{s:s, s:s, s:s}", "id", row->id, "version",
					       row->version[0] ? row->version : "",
					       "message", is_new ? "added" : "already here"));
}

static int post_objects(http_req_t *r, store_t *st, const store_coll_t *c)
{
	if (!media_ok(header(r, "Content-Type"), 0))
		return taxii_error(r, 415, "unsupported media type",
				   "post an envelope as %s", TAXII_TYPE);
	char source[80], sid[37], when[32], err[1024];
	post_t p = {.ok = json_array(), .now = now_us()};
	snprintf(source, sizeof source, "taxii:%s", c->alias);
	stix_import_opts_t o = {.org_id = r->who.org_id, .tlp = c->tlp, .source = source,
				.confidence = 50, .cid = c->cid, .envelope = 1, .on_object = posted,
				.arg = &p,
				.origin = r->who.role == ROLE_PEER ? r->who.org_id : 0};
	stix_result_t res;
	if (store_begin(st)) {
		json_decref(p.ok);
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	}
	if (stix_import_buf(st, r->body, r->len, "body", &o, &res, err, sizeof err)) {
		store_rollback(st);
		json_decref(p.ok);
		return taxii_error(r, 422, "unprocessable", "%s (nothing was added)", err);
	}
	stix_uuid4(sid);
	stix_time_fmt(p.now, when);
	size_t n = json_array_size(p.ok);
	json_t *status = json_pack("{s:s, s:s, s:s, s:I, s:I, s:i, s:i, s:o}", "id", sid, "status",
				   "complete", "request_timestamp", when, "total_count", (json_int_t)n,
				   "success_count", (json_int_t)n, "failure_count", 0, "pending_count",
				   0, "successes", p.ok);
	char *text = status ? json_dumps(status, JSON_COMPACT) : NULL;
	char what[200];
	snprintf(what, sizeof what, "%zu objects (%ld new) into collection %s", n, res.objects,
		 c->alias);
	if (!text || store_taxii_status_put(st, sid, r->who.org_id, text) ||
	    http_audit(r, st, "taxii.add", what, NULL) || store_commit(st)) {
		store_rollback(st);
		free(text);
		json_decref(status);
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	}
	free(text);
	if (res.values)
		hub_sync(r->hub);
	return taxii_json(r, 202, status);
}

static int one_seen(void *arg, const store_stix_t *o)
{
	(void)o;
	*(int *)arg = 1;
	return 1;
}

/* DELETE: an object belongs to the organisation that gave it; only it, and
 * the hub's own administrators, take it out.  An object the caller may not
 * see answers as an unknown one does (404: no existence oracle). */
static int delete_object(http_req_t *r, store_t *st, store_taxii_filter_t *f)
{
	int64_t n;
	int seen = 0;
	char what[400];
	f->owner = r->who.hub_member && r->who.role == ROLE_ADMIN ? 0 : r->who.org_id;
	if (store_begin(st))
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	if (store_taxii_remove(st, f, &n)) {
		store_rollback(st);
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	}
	if (!n) {
		store_rollback(st);
		f->owner = 0;
		f->limit = 1;
		if (store_taxii_objects(st, f, one_seen, &seen))
			return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
		if (seen)
			return taxii_error(r, 403, "forbidden",
					   "'%s' was given by another organisation: only it may delete it",
					   f->ids[0]);
		return taxii_error(r, 404, "not found", "no object '%s' in this collection", f->ids[0]);
	}
	snprintf(what, sizeof what, "%lld versions of %.300s", (long long)n, f->ids[0]);
	if (http_audit(r, st, "taxii.delete", what, NULL) || store_commit(st)) {
		store_rollback(st);
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	}
	hub_sync(r->hub); /* the indicators made from it leave the look-ups now */
	return http_text(r, 200, TAXII_TYPE, strdup("{}"), 2);
}

/* ---- routing inside /taxii2/ ---- */

static int status_get(http_req_t *r, store_t *st, const char *id)
{
	char *json;
	int rc = store_taxii_status_get(st, id, r->who.org_id, &json);
	if (rc == STORE_ENOTFOUND)
		return taxii_error(r, 404, "not found", "no status '%s' of your organisation", id);
	if (rc)
		return taxii_error(r, 500, "store error", "%s", store_errmsg(st));
	return http_text(r, 200, TAXII_TYPE, json, strlen(json));
}

static int not_allowed(http_req_t *r)
{
	return taxii_error(r, 405, "method not allowed", "%s is not allowed here", r->method);
}

/* seg[0..n): the path after the API root, split on '/'. */
static int in_root(http_req_t *r, store_t *st, char **seg, int n)
{
	int get = !strcmp(r->method, "GET"), post = !strcmp(r->method, "POST"),
	    del = !strcmp(r->method, "DELETE");
	if (n == 0)
		return get ? api_root(r) : not_allowed(r);
	if (!strcmp(seg[0], "status") && n == 2)
		return get ? status_get(r, st, seg[1]) : not_allowed(r);
	if (strcmp(seg[0], "collections"))
		return taxii_error(r, 404, "not found", "no such resource");
	if (n == 1)
		return get ? collections(r, st) : not_allowed(r);
	store_coll_t c;
	store_taxii_filter_t f = {0};
	qbuf_t *qb;
	int rc;
	if (n == 2) {
		if (!get)
			return not_allowed(r);
		if (collection(r, st, seg[1], NEED_ANY, &c))
			return HTTP_DONE;
		return taxii_json(r, 200, coll_json(&c));
	}
	const char *what = seg[2];
	int manifest = !strcmp(what, "manifest"), objects = !strcmp(what, "objects");
	if ((!manifest && !objects) || (manifest && n != 3) || n > 5 ||
	    (n == 5 && strcmp(seg[4], "versions")))
		return taxii_error(r, 404, "not found", "no such resource");
	int versions = n == 5;
	if (!(get || (post && objects && n == 3) || (del && objects && n == 4)))
		return not_allowed(r);
	if (collection(r, st, seg[1], post || del ? NEED_WRITE : NEED_READ, &c))
		return HTTP_DONE;
	if (post)
		return post_objects(r, st, &c);
	if (!(qb = calloc(1, sizeof *qb)))
		return taxii_error(r, 500, "internal error", "out of memory");
	viewer(r, &f);
	f.cid = c.cid;
	rc = filters(r, &f, qb, versions ? STORE_V_ALL : del ? STORE_V_ALL : STORE_V_LAST);
	if (!rc && n >= 4) {
		f.ids[0] = seg[3];
		f.nids = 1;
	}
	if (rc)
		rc = HTTP_DONE;
	else if (del)
		rc = delete_object(r, st, &f);
	else
		rc = page(r, st, &f, versions ? PAGE_VERSIONS : manifest ? PAGE_MANIFEST : PAGE_OBJECTS,
			  n >= 4);
	free(qb);
	return rc;
}

int api_taxii(http_req_t *r)
{
	char path[1024], *seg[8];
	int n = 0;
	if (!media_ok(header(r, "Accept"), 1))
		return taxii_error(r, 406, "not acceptable", "this server answers with %s", TAXII_TYPE);
	if (strlen(r->arg) >= sizeof path)
		return taxii_error(r, 404, "not found", "no such resource");
	snprintf(path, sizeof path, "%s", r->arg);
	for (char *save = NULL, *t = strtok_r(path, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (n == (int)(sizeof seg / sizeof seg[0]))
			return taxii_error(r, 404, "not found", "no such resource");
		seg[n++] = t;
	}
	if (n == 0)
		return strcmp(r->method, "GET") ? not_allowed(r) : discovery(r);
	if (strcmp(seg[0], "api1"))
		return taxii_error(r, 404, "not found", "no API root '%s'", seg[0]);
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return taxii_error(r, 500, "store error", "store unavailable");
	int rc = in_root(r, st, seg + 1, n - 1);
	hub_store_put(r->hub, st);
	return rc;
}
