/* api_rep.c — reputation: GET /api/v1/reputation/{value} (or ?value=V) with
 * the reasons for the score, and POST /api/v1/reputation for batches of up
 * to 100,000 values.  Both read the in-memory index only; a caller's score
 * counts the reports it may see (TLP CLEAR/GREEN, its own organisation's,
 * everything for the hub's own members).  A value on a warning list is
 * never "listed", whatever its score. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "http.h"
#include "rep/rep_json.h"
#include "wlist/wlist.h"

#define REP_BATCH_MAX 100000 /* as api_batch_values */

static int min_score_arg(http_req_t *r, const char *s, int *out)
{
	char *end;
	*out = 1;
	if (!s)
		return 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 100) {
		http_error_at(r, -1, "min_score", "min_score must be a whole number from 0 to 100");
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Organisation names for the reports (a few store reads per request). */
static json_t *org_name(store_t *st, int64_t id)
{
	org_t o;
	if (!st || store_org_get(st, id, &o) != STORE_OK)
		return json_null();
	return json_string(o.name);
}

int api_reputation_get(http_req_t *r)
{
	const char *v = *r->arg ? r->arg : http_query(r, "value");
	const char *t = http_query(r, "type");
	obs_type_t want = OBS_NONE;
	int min_score;
	char err[512];
	if (!v || !*v)
		return http_error_at(r, -1, "value", "give the value: /api/v1/reputation/V or ?value=V");
	if (t && (want = obs_type_from_name(t)) == OBS_NONE)
		return http_error_at(r, -1, "type", "unknown observable type");
	if (min_score_arg(r, http_query(r, "min_score"), &min_score))
		return HTTP_DONE;
	obs_t *q = malloc(sizeof *q);
	char *mv = malloc(OBS_VALUE_MAX + 1);
	hub_verdict_t *vd = malloc(sizeof *vd);
	int rc;
	if (!q || !mv || !vd) {
		rc = http_error(r, 500, "internal", "out of memory");
		goto out;
	}
	if (obs_parse_pasted(v, strlen(v), want, q, NULL, err, sizeof err)) {
		rc = http_error_at(r, -1, "value", err);
		goto out;
	}
	tlp_view_t view = auth_view(&r->who);
	const idx_snap_t *snap = idx_enter(r->hub->idx);
	if (hub_verdict(r->hub, snap, q, &view, hub_now(), min_score, 1, vd)) {
		idx_leave(r->hub->idx);
		rc = http_error(r, 500, "internal", "out of memory");
		goto out;
	}
	store_t *st = hub_store_get(r->hub);
	json_t *list = json_array();
	for (size_t i = 0; i < vd->n; i++) {
		const idx_hit_t *h = &vd->hits[i];
		const idx_ref_t *ref = h->ref;
		api_hit_value(q, h, mv);
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)ref->id,
				      "match", api_how_name(h->how),
				      "matched", mv, "source", idx_str(r->hub->idx, (uint16_t)ref->source),
				      "tlp", tlp_name((tlp_t)ref->tlp), "org_id", (json_int_t)ref->org,
				      "org", org_name(st, ref->org));
		rep_json_why(o, &vd->reps[i], &vd->why[i]);
		json_array_append_new(list, o);
	}
	idx_leave(r->hub->idx);
	hub_store_put(r->hub, st);
	json_t *body = json_pack("{s:s, s:s, s:s}", "value", v, "type", obs_type_name(q->type),
				 "canonical", q->value);
	rep_json_result(body, vd->reps, &vd->res, vd->listed, r->hub->rep);
	json_object_set_new(body, "warning_list", vd->wlist ? json_string(vd->wlist) : json_null());
	json_object_set_new(body, "reports", list);
	hub_verdict_done(vd);
	rc = http_json(r, 200, body);
out:
	free(q);
	free(vd);
	free(mv);
	return rc;
}

/* ---- the batch: JSON written by hand (10,000 values in a few ms) ---- */

typedef struct {
	char *p;
	size_t len, cap;
	int oom;
} buf_t;

static void put(buf_t *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

#define PUTS(b, lit) put(b, lit, sizeof lit - 1)

/* A JSON string (quotes included). */
static void put_str(buf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	PUTS(b, "\"");
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(b, s + run, i - run);
		run = i + 1;
		char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		if (c == '"' || c == '\\') {
			e[1] = (char)c;
			put(b, e, 2);
		} else {
			put(b, e, 6);
		}
	}
	put(b, s + run, n - run);
	PUTS(b, "\"");
}

static void put_int(buf_t *b, int v)
{
	char t[16];
	int n = snprintf(t, sizeof t, "%d", v);
	put(b, t, (size_t)n);
}

typedef struct { /* what every value of one batch shares */
	buf_t b;
	obs_t *q;
	hub_t *h;
	const idx_snap_t *snap;
	tlp_view_t view;
	uint32_t now;
	obs_type_t want;
	int min_score;
} batch_t;

/* One value's answer: {"value", "score", "warning_list"?, "listed",
 * "classification", "reporters"} or {"value", "error"}. */
static void batch_one(batch_t *x, const char *s, size_t sl, int first)
{
	hub_verdict_t vd;
	char err[256];
	buf_t *b = &x->b;
	if (!first)
		PUTS(b, ",");
	PUTS(b, "{\"value\":");
	put_str(b, s, sl);
	if (obs_parse_pasted(s, sl, x->want, x->q, NULL, err, sizeof err)) {
		PUTS(b, ",\"error\":");
		put_str(b, err, strlen(err));
		PUTS(b, "}");
		return;
	}
	if (hub_verdict(x->h, x->snap, x->q, &x->view, x->now, x->min_score, 0, &vd)) {
		b->oom = 1;
		return;
	}
	PUTS(b, ",\"score\":");
	put_int(b, vd.res.score);
	if (vd.wlist) {
		PUTS(b, ",\"warning_list\":");
		put_str(b, vd.wlist, strlen(vd.wlist));
	}
	if (vd.listed)
		PUTS(b, ",\"listed\":true,\"classification\":");
	else
		PUTS(b, ",\"listed\":false,\"classification\":");
	if (vd.res.best >= 0)
		put_str(b, vd.reps[vd.res.best].cls, strlen(vd.reps[vd.res.best].cls));
	else
		PUTS(b, "null");
	PUTS(b, ",\"reporters\":");
	put_int(b, vd.res.reporters);
	PUTS(b, "}");
	hub_verdict_done(&vd);
}

int api_reputation_post(http_req_t *r)
{
	json_t *in = NULL, *vals = NULL, *v;
	batch_str_t *fast = NULL;
	batch_t x = {.h = r->hub, .view = auth_view(&r->who), .now = hub_now(), .want = OBS_NONE, .min_score = 1};
	size_t i;
	/* the simple shape without a JSON tree; anything else through jansson */
	long nfast = batch_read(r->body, r->len, REP_BATCH_MAX, &fast);
	if (nfast < 0) {
		if (api_batch_values(r, &in, &vals, &x.want))
			return HTTP_DONE;
		json_t *ms = json_is_object(in) ? json_object_get(in, "min_score") : NULL;
		if (ms && (!json_is_integer(ms) || json_integer_value(ms) < 0 || json_integer_value(ms) > 100)) {
			json_decref(in);
			return http_error_at(r, -1, "min_score", "min_score must be a whole number from 0 to 100");
		}
		if (ms)
			x.min_score = (int)json_integer_value(ms);
	}
	if (!(x.q = malloc(sizeof *x.q))) {
		json_decref(in);
		free(fast);
		return http_error(r, 500, "internal", "out of memory");
	}
	PUTS(&x.b, "{\"results\":[");
	x.snap = idx_enter(x.h->idx);
	if (nfast >= 0)
		for (long k = 0; k < nfast; k++)
			batch_one(&x, fast[k].p, fast[k].len, k == 0);
	else
		json_array_foreach(vals, i, v)
			batch_one(&x, json_string_value(v), json_string_length(v), i == 0);
	idx_leave(x.h->idx);
	PUTS(&x.b, "]}\n");
	free(x.q);
	free(fast);
	json_decref(in);
	if (x.b.oom) {
		free(x.b.p);
		return http_error(r, 500, "internal", "out of memory");
	}
	return http_text(r, 200, "application/json", x.b.p, x.b.len);
}
