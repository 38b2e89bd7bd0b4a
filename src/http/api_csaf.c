/* api_csaf.c — the hub as a CSAF 2.0 provider and the advisories API.
 *
 * /.well-known/csaf/: provider-metadata.json, the ROLIE feeds
 * (feed-tlp-white.json public, feed-tlp-green.json to members), service
 * document and category documents, and per TLP directory (white/, green/)
 * index.txt, changes.csv and each published document YEAR/FILE.json with
 * .sha256, .sha512 and .p7s (the CMS detached signature made at
 * publication).  /.well-known/csaf-aggregator/: aggregator.json and, per
 * mirrored issuing party, a folder of the same files (csaf_dist.c).  What a reader may have is decided by the
 * one rule (tlp_visible over http_viewer's view); anything else is 404.
 * /api/v1/advisories: list, read, create, edit, publish, by the cores the
 * console shares (api_advisory_save, api_advisory_publish_as). */
#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csaf/csaf.h"
#include "http/http.h"

/* The site's base URL: the "public_url" setting, else this request's. */
static void base_url(http_req_t *r, store_t *st, char *out, size_t n)
{
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (store_setting_get(st, "public_url", out, n) == STORE_OK && out[0]) {
		size_t l = strlen(out);
		while (l > 0 && out[l - 1] == '/')
			out[--l] = '\0';
		return;
	}
	snprintf(out, n, "%s://%s", ci && ci->tls_session ? "https" : "http", host ? host : "localhost");
}

static int hex_hash(gnutls_digest_algorithm_t alg, const char *data, size_t len, char *out)
{
	unsigned char d[64];
	unsigned n = gnutls_hash_get_len(alg);
	if (gnutls_hash_fast(alg, data, len, d))
		return -1;
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
	return 0;
}

/* Queue body (stolen) with its ETag (the SHA-256 of the bytes) and, when
 * given, Last-Modified; a matching If-None-Match gets 304.  CLEAR files
 * may be cached by anyone, GREEN ones by the reader's own agent only. */
static int reply(http_req_t *r, const char *ctype, char *body, size_t len, int64_t modified, int public_)
{
	char hex[65], etag[80], lm[64];
	if (hex_hash(GNUTLS_DIG_SHA256, body, len, hex)) {
		free(body);
		return http_error(r, 500, "internal", "hash");
	}
	snprintf(etag, sizeof etag, "\"%.32s\"", hex);
	http_header(r, "ETag", etag);
	http_header(r, "Cache-Control", public_ ? "public, max-age=0, must-revalidate" : "private, no-cache");
	if (modified > 0) {
		time_t t = (time_t)modified;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		http_header(r, "Last-Modified", lm);
	}
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
		free(body);
		return http_text(r, 304, ctype, strdup(""), 0);
	}
	return http_text(r, 200, ctype, body, len);
}

static int json_file(http_req_t *r, json_t *j, int public_)
{
	char *t = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!t)
		return http_error(r, 500, "internal", "out of memory");
	return reply(r, "application/json", t, strlen(t), 0, public_);
}

static int not_found(http_req_t *r)
{
	return http_error(r, 404, "not_found", "no such file");
}

/* The file at path a of party's folder (NULL: the hub's own, under
 * /.well-known/csaf/; else a mirrored party's under
 * /.well-known/csaf-aggregator/), as r may see it: CLEAR to anyone, GREEN
 * to members, anything else 404. */
static int serve(http_req_t *r, store_t *st, const char *base, const char *party, const char *a)
{
	tlp_view_t v = http_viewer(r);
	int green = tlp_visible(&v, TLP_GREEN, 0, 0);
	const char *rest;
	tlp_t t;
	if (!strcmp(a, "provider-metadata.json")) {
		json_t *m = csaf_provider_metadata(st, base, party, &v);
		return m ? json_file(r, m, !party || !green) : not_found(r);
	}
	/* a party the hub mirrors, as r may see its mirrors (its documents
	 * are found by csaf_dist_find, which checks the party) */
	if (party && !strstr(a, ".json.") && (!strstr(a, ".json") || !strchr(a, '/'))) {
		json_t *m = csaf_provider_metadata(st, base, party, &v);
		json_decref(m);
		if (!m)
			return not_found(r);
	}
	if (!party && !strcmp(a, "service.json"))
		return json_file(r, csaf_rolie_service(base), 1);
	if (!strcmp(a, "feed-tlp-white.json") || (!strcmp(a, "feed-tlp-green.json") && green)) {
		json_t *f = csaf_rolie_feed(st, base, party, a[9] == 'w' ? TLP_CLEAR : TLP_GREEN);
		return f ? json_file(r, f, a[9] == 'w') : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	}
	if (!party && (!strcmp(a, "category-tlp-white.json") || (!strcmp(a, "category-tlp-green.json") && green))) {
		json_t *c = csaf_rolie_categories(st, a[13] == 'w' ? TLP_CLEAR : TLP_GREEN);
		return c ? json_file(r, c, a[13] == 'w') : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	}
	/* white/... or green/...: the directories of what r may see */
	if (!strncmp(a, "white/", 6))
		t = TLP_CLEAR, rest = a + 6;
	else if (!strncmp(a, "green/", 6))
		t = TLP_GREEN, rest = a + 6;
	else
		return not_found(r);
	if (!tlp_visible(&v, t, 0, 0))
		return not_found(r);
	if (!strcmp(rest, "index.txt") || !strcmp(rest, "changes.csv")) {
		char *txt = csaf_dir_file(st, party, t, rest[0] == 'c');
		return txt ? reply(r, rest[0] == 'c' ? "text/csv" : "text/plain; charset=utf-8", txt, strlen(txt), 0,
				   t == TLP_CLEAR)
			   : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	}
	/* the listings: the directory, a year ("2026/") */
	size_t rl = strlen(rest);
	if (!rl || (rl == 5 && rest[4] == '/' && strspn(rest, "0123456789") == 4)) {
		char year[5];
		snprintf(year, sizeof year, "%.4s", rest);
		char *html = csaf_dir_listing(st, party, t, rl ? year : NULL);
		return html ? reply(r, "text/html; charset=utf-8", html, strlen(html), 0, t == TLP_CLEAR)
			    : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	}
	/* YEAR/FILE.json and its .sha256, .sha512, .p7s */
	char rel[200];
	const char *ext;
	snprintf(rel, sizeof rel, "%s", rest);
	char *dot = strstr(rel, ".json");
	if (!dot || strlen(rest) >= sizeof rel)
		return not_found(r);
	ext = rest + (dot - rel) + 5;
	dot[5] = '\0';
	store_adv_t d;
	int g = csaf_dist_find(st, party, csaf_tlp_dir(t), rel, &d);
	if (g == STORE_ERR)
		return http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	if (g || !d.doc || !tlp_visible(&v, d.tlp, d.org_id, 0)) {
		store_adv_clear(&d);
		return not_found(r);
	}
	const char *fn = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	int rc;
	if (!*ext) {
		char *doc = d.doc;
		d.doc = NULL;
		rc = reply(r, "application/json", doc, strlen(doc), d.current_date, d.tlp == TLP_CLEAR);
	} else if (!strcmp(ext, ".sha256") || !strcmp(ext, ".sha512")) {
		char hex[129], *line = malloc(300);
		if (!line || hex_hash(ext[4] == '2' ? GNUTLS_DIG_SHA256 : GNUTLS_DIG_SHA512, d.doc, strlen(d.doc), hex)) {
			free(line);
			rc = http_error(r, 500, "internal", "hash");
		} else {
			snprintf(line, 300, "%s  %s\n", hex, fn);
			rc = reply(r, "text/plain; charset=utf-8", line, strlen(line), d.current_date, d.tlp == TLP_CLEAR);
		}
	} else if (!strcmp(ext, ".p7s") && d.sig) {
		char *sig = d.sig;
		d.sig = NULL;
		rc = reply(r, "application/pkcs7-signature", sig, strlen(sig), d.current_date, d.tlp == TLP_CLEAR);
	} else
		rc = not_found(r);
	store_adv_clear(&d);
	return rc;
}

int api_csaf_wellknown(http_req_t *r)
{
	char base[1024];
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return http_error(r, 503, "unavailable", "the store is busy");
	base_url(r, st, base, sizeof base);
	int rc = serve(r, st, base, NULL, r->arg);
	hub_store_put(r->hub, st);
	return rc;
}

/* /.well-known/csaf-aggregator/: aggregator.json (as r may see the
 * mirrors: public when r sees CLEAR only), and FOLDER/... a mirrored
 * party's files. */
int api_csaf_aggregator(http_req_t *r)
{
	char base[1024], party[80];
	const char *slash = strchr(r->arg, '/');
	tlp_view_t v = http_viewer(r);
	int rc;
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return http_error(r, 503, "unavailable", "the store is busy");
	base_url(r, st, base, sizeof base);
	if (!strcmp(r->arg, "aggregator.json")) {
		json_t *j = csaf_aggregator(st, base, &v);
		rc = j ? json_file(r, j, !tlp_visible(&v, TLP_GREEN, 0, 0))
		       : http_error(r, 500, "internal", "store: %s", store_errmsg(st));
	} else if (!slash || slash == r->arg || (size_t)(slash - r->arg) >= sizeof party)
		rc = not_found(r);
	else {
		snprintf(party, sizeof party, "%.*s", (int)(slash - r->arg), r->arg);
		rc = serve(r, st, base, party, slash + 1);
	}
	hub_store_put(r->hub, st);
	return rc;
}

/* ---- the API ---- */

int api_advisory_may_write(const http_req_t *r)
{
	return r->who.hub_member && auth_role_at_least(&r->who, ROLE_ANALYST);
}

static json_t *adv_json(const store_adv_t *a)
{
	char c[MODEL_TIME_LEN], u[MODEL_TIME_LEN];
	return json_pack("{ss,ss,ss,ss,ss,si,sb,ss,ss?,ss}", "id", a->tracking_id, "title", a->title, "category",
			 a->category, "tlp", tlp_name(a->tlp), "status", a->status, "version", a->version,
			 "mirror", a->mirror, "source", a->source,
			 "current_release_date", a->current_date ? model_time_fmt(a->current_date, c) : NULL,
			 "updated", model_time_fmt(a->updated, u));
}

typedef struct {
	json_t *list;
} list_t;

static int list_cb(void *arg, const store_adv_t *a)
{
	list_t *l = arg;
	return json_array_append_new(l->list, adv_json(a));
}

/* What r may see: published advisories by the rule; drafts only for the
 * analysts who write them. */
int api_advisories(http_req_t *r, store_t *st, int64_t limit, store_adv_cb cb, void *arg)
{
	tlp_view_t v = auth_view(&r->who);
	return store_adv_list(st, &v, !api_advisory_may_write(r), 1, limit, cb, arg);
}

int api_advisories_list(http_req_t *r)
{
	list_t l = {json_array()};
	store_t *st = hub_store_get(r->hub);
	int rc = st ? api_advisories(r, st, 0, list_cb, &l) : STORE_ERR;
	hub_store_put(r->hub, st);
	if (rc || !l.list) {
		json_decref(l.list);
		return http_error(r, 500, "internal", "the store failed");
	}
	return http_json(r, 200, json_pack("{so}", "advisories", l.list));
}

/* Advisory id if r may see it: 0 with *a (store_adv_clear), 404. */
int api_advisory_find(http_req_t *r, store_t *st, const char *id, store_adv_t *a)
{
	tlp_view_t v = auth_view(&r->who);
	if (store_adv_get(st, id, a))
		return 404;
	if (!tlp_visible(&v, a->tlp, a->org_id, 0) || (!a->version && !api_advisory_may_write(r))) {
		store_adv_clear(a);
		return 404;
	}
	return 0;
}

int api_advisory_get(http_req_t *r)
{
	store_adv_t a;
	store_t *st = hub_store_get(r->hub);
	int rc = st ? api_advisory_find(r, st, r->arg, &a) : 503;
	hub_store_put(r->hub, st);
	if (rc)
		return http_error(r, rc, rc == 404 ? "not_found" : "unavailable", "no advisory %s", r->arg);
	json_t *j = adv_json(&a), *e;
	json_error_t je;
	if ((e = json_loads(a.data, 0, &je)))
		json_object_set_new(j, "fields", e);
	if (a.doc && (e = json_loads(a.doc, 0, &je)))
		json_object_set_new(j, "document", e);
	store_adv_clear(&a);
	return http_json(r, 200, j);
}

int api_advisory_save(http_req_t *r, json_t *adv, int create, store_adv_t *out, char *path, size_t pathlen,
		      char *err, size_t errlen)
{
	char addr[64];
	path[0] = '\0';
	if (!api_advisory_may_write(r)) {
		snprintf(err, errlen, "advisories are written by the hub's analysts");
		return 403;
	}
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		snprintf(err, errlen, "the store is busy");
		return 503;
	}
	http_client_addr(r, addr, sizeof addr);
	audit_entry_t who = {.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr};
	int rc = csaf_save(st, &who, adv, create, out, path, pathlen, err, errlen);
	hub_store_put(r->hub, st);
	return rc == 0 ? 0 : rc == -1 ? 400 : rc == -2 ? (create ? 409 : 404) : 500;
}

static int save(http_req_t *r, int create)
{
	json_error_t je;
	char path[200], err[600];
	store_adv_t a;
	json_t *in = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &je);
	if (!in)
		return http_error(r, 400, "bad_request", "line %d: not JSON: %s", je.line, je.text);
	if (!create) {
		if (!json_is_object(in)) {
			json_decref(in);
			return http_error_at(r, -1, "/", "an advisory is a JSON object");
		}
		json_object_set_new(in, "id", json_string(r->arg));
	}
	int rc = api_advisory_save(r, in, create, &a, path, sizeof path, err, sizeof err);
	json_decref(in);
	if (rc == 400)
		return http_error_at(r, -1, path, err);
	if (rc)
		return http_error(r, rc, rc == 403 ? "forbidden" : rc == 404 ? "not_found" : rc == 409 ? "conflict"
					   : "internal", "%s", err);
	json_t *j = adv_json(&a);
	store_adv_clear(&a);
	return http_json(r, create ? 201 : 200, j);
}

int api_advisories_post(http_req_t *r)
{
	return save(r, 1);
}

int api_advisory_put(http_req_t *r)
{
	return save(r, 0);
}

int api_advisory_publish_as(http_req_t *r, const char *id, const char *summary, store_adv_t *out, char *err,
			    size_t errlen)
{
	char addr[64];
	if (!api_advisory_may_write(r)) {
		snprintf(err, errlen, "advisories are published by the hub's analysts");
		return 403;
	}
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		snprintf(err, errlen, "the store is busy");
		return 503;
	}
	http_client_addr(r, addr, sizeof addr);
	audit_entry_t who = {.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr};
	int rc = csaf_publish(st, &who, id, summary, out, err, errlen);
	hub_store_put(r->hub, st);
	if (rc == 0)
		hub_kick(r->hub); /* the subscribers' e-mail goes out now */
	return rc ? (strstr(err, "no advisory") ? 404 : 409) : 0;
}

/* POST /api/v1/advisories/{id}/publish {"summary": "..."} */
int api_advisory_publish(http_req_t *r)
{
	char id[STORE_ADV_ID_MAX + 1], err[700];
	const char *slash = strchr(r->arg, '/');
	if (!slash || strcmp(slash, "/publish") || (size_t)(slash - r->arg) >= sizeof id)
		return http_error(r, 404, "not_found", "POST /api/v1/advisories/{id}/publish");
	snprintf(id, sizeof id, "%.*s", (int)(slash - r->arg), r->arg);
	const char *summary = NULL;
	json_t *in = NULL;
	if (r->len) {
		json_error_t je;
		if (!(in = json_loadb(r->body, r->len, 0, &je)) || !json_is_object(in)) {
			json_decref(in);
			return http_error(r, 400, "bad_request", "the body is {\"summary\": \"...\"} or nothing");
		}
		summary = json_string_value(json_object_get(in, "summary"));
	}
	store_adv_t a;
	int rc = api_advisory_publish_as(r, id, summary, &a, err, sizeof err);
	json_decref(in);
	if (rc)
		return http_error(r, rc, rc == 403 ? "forbidden" : rc == 404 ? "not_found" : "conflict", "%s", err);
	json_t *j = adv_json(&a);
	store_adv_clear(&a);
	return http_json(r, 200, j);
}
