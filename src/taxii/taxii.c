/* taxii.c — the TAXII 2.1 client (see taxii.h). */
#include "core/libs_curl.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "taxii/taxii.h"

#define TAXII_TYPE "application/taxii+json;version=2.1"
#define PAGE_BYTES_MAX ((size_t)256 << 20)

typedef struct {
	util_buf_t body;
	char last[40]; /* X-TAXII-Date-Added-Last */
	int too_large;
} resp_t;

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	resp_t *r = arg;
	size_t len = size * n;
	if (r->body.len + len > PAGE_BYTES_MAX) {
		r->too_large = 1;
		return 0;
	}
	util_buf_add(&r->body, p, len);
	return r->body.oom ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	resp_t *r = arg;
	size_t len = size * n, skip = 24;
	if (len > skip && !strncasecmp(p, "X-TAXII-Date-Added-Last:", skip)) {
		while (skip < len && (p[skip] == ' ' || p[skip] == '\t'))
			skip++;
		size_t m = len - skip;
		while (m && (p[skip + m - 1] == '\r' || p[skip + m - 1] == '\n' || p[skip + m - 1] == ' '))
			m--;
		if (m < sizeof r->last) {
			memcpy(r->last, p + skip, m);
			r->last[m] = '\0';
		}
	}
	return len;
}

/* GET url (or POST body when not NULL) into r; 0 on 2xx, else -1 with err. */
static int request(const taxii_peer_t *p, const char *url, const util_buf_t *body, resp_t *r,
		   char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char auth[600];
	long code = 0;
	int rc = -1;
	if (!h)
		return snprintf(err, errlen, "curl: out of memory"), -1;
	hdr = curl_slist_append(hdr, "Accept: " TAXII_TYPE);
	if (body) {
		hdr = curl_slist_append(hdr, "Content-Type: " TAXII_TYPE);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
	}
	if (p->token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", p->token);
		hdr = curl_slist_append(hdr, auth);
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_TIMEOUT, p->timeout > 0 ? p->timeout : 60L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "c5hub-taxii/1");
	if (p->cacert)
		curl_easy_setopt(h, CURLOPT_CAINFO, p->cacert);
	if (p->cert)
		curl_easy_setopt(h, CURLOPT_SSLCERT, p->cert);
	if (p->key)
		curl_easy_setopt(h, CURLOPT_SSLKEY, p->key);
	CURLcode cr = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (r->too_large)
		snprintf(err, errlen, "%s: a page larger than %zu bytes", url, PAGE_BYTES_MAX);
	else if (cr != CURLE_OK)
		snprintf(err, errlen, "%s: %s", url, curl_easy_strerror(cr));
	else if (code < 200 || code > 299)
		snprintf(err, errlen, "%s: HTTP %ld: %.300s", url, code,
			 r->body.data ? r->body.data : "");
	else
		rc = 0;
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}

static void state_key(const taxii_peer_t *p, char *key, size_t n)
{
	snprintf(key, n, "taxii.poll %s %s", p->api_root, p->collection);
}

/* One page from after: imported and the state advanced in one transaction.
 * 1 a page was read, 0 nothing more, -1 error. */
static int one_page(store_t *st, const taxii_peer_t *p, const stix_import_opts_t *o,
		    const char *key, char *after, size_t aftersz, taxii_poll_result_t *res,
		    char *err, size_t errlen)
{
	resp_t r = {0};
	stix_result_t got;
	char url[2048], *esc = NULL;
	CURL *h = curl_easy_init();
	if (!h)
		return snprintf(err, errlen, "curl: out of memory"), -1;
	if (after[0])
		esc = curl_easy_escape(h, after, 0);
	curl_easy_cleanup(h);
	snprintf(url, sizeof url, "%s%scollections/%s/objects/?limit=%d%s%s", p->api_root,
		 p->api_root[0] && p->api_root[strlen(p->api_root) - 1] == '/' ? "" : "/",
		 p->collection, p->limit > 0 ? p->limit : 1000, esc ? "&added_after=" : "",
		 esc ? esc : "");
	curl_free(esc);
	int rc = request(p, url, NULL, &r, err, errlen);
	if (rc || !r.body.data || !r.last[0]) { /* no objects: no X-TAXII-Date-Added-Last */
		free(r.body.data);
		return rc;
	}
	stix_import_opts_t po = *o;
	po.envelope = 1;
	if (store_begin(st)) {
		free(r.body.data);
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	}
	if (stix_import_buf(st, r.body.data, r.body.len, url, &po, &got, err, errlen) ||
	    store_setting_set(st, key, r.last) || store_commit(st)) {
		if (!err[0])
			snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		free(r.body.data);
		return -1;
	}
	free(r.body.data);
	if (!strcmp(after, r.last))
		return 0; /* the server repeats itself: stop */
	snprintf(after, aftersz, "%s", r.last);
	res->pages++;
	res->total.objects += got.objects;
	res->total.known += got.known;
	res->total.indicators += got.indicators;
	res->total.indexed += got.indexed;
	res->total.values += got.values;
	return 1;
}

int taxii_poll(store_t *st, const taxii_peer_t *p, const stix_import_opts_t *o,
	       taxii_poll_result_t *res, char *err, size_t errlen)
{
	char key[2200], after[40] = "";
	int rc;
	memset(res, 0, sizeof *res);
	err[0] = '\0';
	state_key(p, key, sizeof key);
	if (store_setting_get(st, key, after, sizeof after) < 0)
		after[0] = '\0';
	while ((rc = one_page(st, p, o, key, after, sizeof after, res, err, errlen)) == 1)
		err[0] = '\0';
	snprintf(res->last, sizeof res->last, "%s", after);
	return rc;
}

/* ---- push ---- */

typedef struct {
	util_buf_t env;
	long n;
	int64_t last;
} env_t;

static int env_cb(void *arg, const store_stix_t *o)
{
	env_t *e = arg;
	if (e->n++)
		util_buf_add(&e->env, ",", 1);
	else
		util_buf_add(&e->env, "{\"objects\":[", 12);
	util_buf_add(&e->env, o->json, o->json_len);
	e->last = o->added;
	return 0;
}

int taxii_push(store_t *st, const taxii_peer_t *p, int64_t cid, int64_t peer_org,
	       taxii_push_result_t *res, char *err, size_t errlen)
{
	char key[2200], state[40] = "", url[2048];
	memset(res, 0, sizeof *res);
	snprintf(key, sizeof key, "taxii.push %s %s", p->api_root, p->collection);
	if (store_setting_get(st, key, state, sizeof state) < 0)
		state[0] = '\0';
	snprintf(url, sizeof url, "%s%scollections/%s/objects/", p->api_root,
		 p->api_root[0] && p->api_root[strlen(p->api_root) - 1] == '/' ? "" : "/",
		 p->collection);
	store_taxii_filter_t f = {.cid = cid, .view = {.max_tlp = TLP_GREEN, .org = peer_org, .peer = 1},
				  .tlp_max = TLP_AMBER_STRICT, .not_origin = peer_org, .after = atoll(state),
				  .versions = STORE_V_ALL, .limit = p->limit > 0 ? p->limit : 1000};
	for (;;) {
		env_t e = {0};
		resp_t r = {0};
		if (store_read_begin(st) || store_taxii_objects(st, &f, env_cb, &e)) {
			store_read_end(st);
			free(e.env.data);
			return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
		}
		store_read_end(st);
		if (!e.n)
			break;
		util_buf_add(&e.env, "]}", 2);
		int rc = e.env.oom ? (snprintf(err, errlen, "out of memory"), -1)
				   : request(p, url, &e.env, &r, err, errlen);
		free(e.env.data);
		if (!rc) {
			json_t *status = json_loadb(r.body.data ? r.body.data : "", r.body.len, 0, NULL);
			json_t *ok = json_object_get(status, "successes"), *v;
			size_t i;
			json_array_foreach(ok, i, v) {
				const char *msg = json_string_value(json_object_get(v, "message"));
				res->new_there += msg && !strcmp(msg, "added");
			}
			json_decref(status);
		}
		free(r.body.data);
		if (rc)
			return -1;
		/* the peer has it: move the state */
		snprintf(state, sizeof state, "%lld", (long long)e.last);
		if (store_begin(st) || store_setting_set(st, key, state) || store_commit(st)) {
			store_rollback(st);
			return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
		}
		res->pages++;
		res->objects += e.n;
		f.after = e.last;
	}
	snprintf(res->last, sizeof res->last, "%s", state);
	return 0;
}

/* ---- configured peers ---- */

int taxii_sync(store_t *st, store_peer_t *p, int64_t hub_org, tlp_t dflt, int64_t now,
	       char *err, size_t errlen)
{
	char source[MODEL_NAME_MAX + 8];
	taxii_peer_t tp = {.api_root = p->url, .collection = p->collection,
			   .token = p->token[0] ? p->token : NULL,
			   .cacert = p->cacert[0] ? p->cacert : NULL,
			   .cert = p->cert[0] ? p->cert : NULL, .key = p->key[0] ? p->key : NULL};
	snprintf(source, sizeof source, "taxii:%s", p->name);
	stix_import_opts_t o = {.org_id = p->org_id, .origin = p->org_id, .tlp = dflt,
				.source = source, .confidence = 50, .cid = p->into_cid,
				.share = {hub_org}, .nshare = 1};
	taxii_poll_result_t pr;
	taxii_push_result_t ps;
	int rc = taxii_poll(st, &tp, &o, &pr, err, errlen);
	if (!rc && p->push_cid)
		rc = taxii_push(st, &tp, p->push_cid, p->org_id, &ps, err, errlen);
	p->last_run = now;
	p->next_run = now + (p->every > 0 ? p->every : 900);
	p->objects += pr.total.objects;
	snprintf(p->last_error, sizeof p->last_error, "%s", rc ? err : "");
	if (store_begin(st) || store_peer_update(st, p) || store_commit(st)) {
		store_rollback(st);
		if (!rc)
			snprintf(err, errlen, "store: %s", store_errmsg(st));
		return -1;
	}
	return rc;
}

typedef struct {
	store_peer_t *p;
	size_t n, cap;
	int64_t now;
	int oom;
} due_t;

static int due_cb(void *arg, const store_peer_t *p)
{
	due_t *d = arg;
	if (p->next_run > d->now)
		return 0;
	if (util_grow(&d->p, &d->cap, d->n + 1, sizeof *d->p, 4))
		return d->oom = 1;
	d->p[d->n++] = *p;
	return 0;
}

int taxii_sync_due(store_t *st, int64_t hub_org, tlp_t dflt, int64_t now)
{
	due_t d = {.now = now};
	char err[1024];
	int ran = 0;
	if (store_peer_list(st, due_cb, &d)) {
		free(d.p);
		return 0;
	}
	for (size_t i = 0; i < d.n; i++) {
		if (taxii_sync(st, &d.p[i], hub_org, dflt, now, err, sizeof err))
			fprintf(stderr, "c5hub: taxii peer %s: %s\n", d.p[i].name, err);
		ran++;
	}
	free(d.p);
	return ran;
}
