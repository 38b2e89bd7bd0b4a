/* api.c — the /api/v1 handlers: look-ups from the in-memory index;
 * indicators, organisations and tokens from the store.  Every request is
 * validated completely before anything is written; every object read is
 * checked against the caller's TLP visibility and organisation. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "wlist/wlist.h"
#include "pki/pki.h"

#define BATCH_MAX 100000 /* values per batch look-up, items per POST */

/* ---- JSON of model objects ---- */

static json_t *time_json(int64_t t)
{
	char buf[32];
	return t ? json_string(model_time_fmt(t, buf)) : json_null();
}

static json_t *ind_json(const indicator_t *i)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:I, s:s, s:o, s:o}",
			 "id", (json_int_t)i->id, "type", obs_type_name(i->type), "value", i->value,
			 "source", i->source, "tlp", tlp_name(i->tlp), "confidence", i->confidence,
			 "classification", i->classification, "first_seen", time_json(i->first_seen),
			 "last_seen", time_json(i->last_seen), "valid_until", time_json(i->valid_until),
			 "org_id", (json_int_t)i->org_id, "org", i->org_name,
			 "created", time_json(i->created), "updated", time_json(i->updated));
}

static json_t *org_json(const org_t *o)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)o->id, "name", o->name,
			 "type", o->type, "country", o->country, "created", time_json(o->created));
}

static int store_fail(http_req_t *r, store_t *st)
{
	fprintf(stderr, "c5hub: %s %s: store: %s\n", r->method, r->url, store_errmsg(st));
	return http_error(r, 500, "internal", "the store failed; see the server log");
}

/* ---- look-ups ---- */

/* The indicator value a hit matched: the query itself, its covering
 * prefix, or its listed parent domain. */
void api_hit_value(const obs_t *q, const idx_hit_t *h, char *out)
{
	if (h->how == IDX_PREFIX) {
		uint8_t a[16];
		memcpy(a, q->addr, 16);
		obs_mask(q->type, a, h->plen);
		obs_format_ip(q->type, a, h->plen, out);
	} else if (h->how == IDX_PARENT) {
		snprintf(out, OBS_VALUE_MAX + 1, "%s", q->value + h->off);
	} else {
		snprintf(out, OBS_VALUE_MAX + 1, "%s", q->value);
	}
}

int api_sees(http_req_t *r, int64_t id, tlp_t tlp, int64_t giver)
{
	tlp_view_t v = auth_view(&r->who);
	return hub_visible(r->hub, &v, id, tlp, giver);
}

const char *api_how_name(int how)
{
	return how == IDX_EXACT ? "exact" : how == IDX_PREFIX ? "prefix" : "parent";
}

/* One value's answer: {value, type, canonical, listed, score, matches[]} or
 * {value, error}.  listed: some visible report still counts (score > 0). */
static json_t *lookup_one(http_req_t *r, const idx_snap_t *snap, const char *value, obs_type_t want)
{
	obs_t q;
	char err[512];
	hub_verdict_t vd;
	char *mv = NULL;
	int refanged;
	if (obs_parse_pasted(value, strlen(value), want, &q, &refanged, err, sizeof err))
		return json_pack("{s:s, s:s}", "value", value, "error", err);
	tlp_view_t v = auth_view(&r->who);
	uint32_t now = hub_now();
	if (hub_verdict(r->hub, snap, &q, &v, now, 1, 0, &vd))
		return NULL;
	json_t *matches = json_array();
	for (size_t i = 0; i < vd.n; i++) {
		const idx_hit_t *h = &vd.hits[i];
		const idx_ref_t *ref = h->ref;
		if (!mv && !(mv = malloc(OBS_VALUE_MAX + 1)))
			break;
		api_hit_value(&q, h, mv);
		json_array_append_new(matches, json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:b, s:I}",
			"id", (json_int_t)ref->id, "type", obs_type_name((obs_type_t)ref->type),
			"value", mv, "match", api_how_name(h->how),
			"source", idx_str(r->hub->idx, (uint16_t)ref->source), "tlp", tlp_name((tlp_t)ref->tlp),
			"confidence", (int)ref->conf, "classification", vd.reps[i].cls,
			"valid_until", time_json(rep_seconds(ref->until)),
			"active", !ref->until || ref->until > now,
			"org_id", (json_int_t)ref->org));
	}
	free(mv);
	json_t *res = json_pack("{s:s, s:s, s:s, s:b, s:i, s:o, s:o}", "value", value, "type",
				obs_type_name(q.type), "canonical", q.value, "listed", vd.listed,
				"score", vd.res.score, "warning_list",
				vd.wlist ? json_string(vd.wlist) : json_null(), "matches", matches);
	hub_verdict_done(&vd);
	if (refanged && res) /* a defanged value: canonical is what was looked up */
		json_object_set_new(res, "note", json_string("defanged value, looked up refanged"));
	return res;
}

static int type_arg(http_req_t *r, const char *t, obs_type_t *out)
{
	*out = OBS_NONE;
	if (t && (*out = obs_type_from_name(t)) == OBS_NONE)
		return http_error_at(r, -1, "type", "unknown observable type"), -1;
	return 0;
}

int api_lookup_get(http_req_t *r)
{
	const char *v = http_query(r, "value");
	obs_type_t want;
	if (!v || !*v)
		return http_error_at(r, -1, "value", "give the value to look up: ?value=V");
	if (type_arg(r, http_query(r, "type"), &want))
		return HTTP_DONE;
	obs_t q;
	char err[512];
	int refanged;
	if (obs_parse_pasted(v, strlen(v), want, &q, &refanged, err, sizeof err)) /* before any JSON holds v */
		return http_error_at(r, -1, "value", err);
	const idx_snap_t *snap = idx_enter(r->hub->idx);
	json_t *res = lookup_one(r, snap, v, want);
	idx_leave(r->hub->idx);
	if (!res)
		return http_error(r, 500, "internal", "out of memory");
	return http_json(r, 200, res);
}

int api_batch_values(http_req_t *r, json_t **in, json_t **vals, obs_type_t *want)
{
	json_error_t je;
	json_t *v;
	size_t i;
	*want = OBS_NONE;
	if (!(*in = json_loadb(r->body, r->len, 0, &je)))
		return http_error(r, 400, "invalid", "body is not JSON: %s (line %d)", je.text, je.line);
	*vals = json_is_array(*in) ? *in : json_object_get(*in, "values");
	if (!json_is_array(*vals))
		return json_decref(*in), http_error_at(r, -1, "values", "give {\"values\": [...]} or an array");
	if (json_array_size(*vals) > BATCH_MAX)
		return json_decref(*in),
		       http_error(r, 413, "too_large", "at most %d values per request", BATCH_MAX);
	json_t *t = json_is_object(*in) ? json_object_get(*in, "type") : NULL;
	if (t && (!json_is_string(t) || type_arg(r, json_string_value(t), want)))
		return json_decref(*in), r->responded ? HTTP_DONE
						     : http_error_at(r, -1, "type", "type must be a string");
	json_array_foreach(*vals, i, v) if (!json_is_string(v))
		return json_decref(*in), http_error_at(r, (long)i, "value", "each value must be a string");
	return 0;
}

int api_lookup_post(http_req_t *r)
{
	json_t *in, *vals, *v;
	size_t i;
	obs_type_t want;
	if (api_batch_values(r, &in, &vals, &want))
		return HTTP_DONE;
	json_t *out = json_array();
	const idx_snap_t *snap = idx_enter(r->hub->idx);
	json_array_foreach(vals, i, v) {
		json_t *one = lookup_one(r, snap, json_string_value(v), want);
		if (!one || json_array_append_new(out, one))
			break;
	}
	idx_leave(r->hub->idx);
	int short_of_memory = i < json_array_size(vals); /* vals lives in in */
	json_decref(in);
	if (short_of_memory) {
		json_decref(out);
		return http_error(r, 500, "internal", "out of memory");
	}
	return http_json(r, 200, json_pack("{s:o}", "results", out));
}

/* ---- indicators ---- */

static const char *const item_fields[] = {
	"value", "type", "source", "tlp", "confidence", "classification",
	"first_seen", "last_seen", "valid_until", NULL,
};

static int time_field(json_t *o, const char *k, int64_t *out, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, k);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || model_time_parse(json_string_value(v), out)) {
		snprintf(err, errlen, "%s must be an RFC 3339 time such as 2026-01-31T12:00:00Z", k);
		return -1;
	}
	return 0;
}

/* Validate one POSTed item into *ind; on error name the field. */
static int item_parse(http_req_t *r, json_t *o, indicator_t *ind, const char **field,
		      char *err, size_t errlen)
{
	const char *k;
	json_t *v;
	obs_t obs;
	memset(ind, 0, sizeof *ind);
	if (!json_is_object(o)) {
		*field = NULL;
		snprintf(err, errlen, "each item must be a JSON object");
		return -1;
	}
	json_object_foreach(o, k, v) {
		int known = 0;
		for (const char *const *f = item_fields; *f; f++)
			known |= strcmp(*f, k) == 0;
		if (!known) {
			*field = k;
			snprintf(err, errlen, "unknown field");
			return -1;
		}
	}
#define FIELD(name) (*field = name, json_object_get(o, name))
	obs_type_t want = OBS_NONE;
	if ((v = FIELD("type")) && (!json_is_string(v) ||
				    (want = obs_type_from_name(json_string_value(v))) == OBS_NONE))
		return snprintf(err, errlen, "unknown observable type"), -1;
	v = FIELD("value");
	if (!json_is_string(v))
		return snprintf(err, errlen, "value is required and must be a string"), -1;
	if (obs_parse(json_string_value(v), json_string_length(v), want, &obs, err, errlen))
		return -1;
	ind->type = obs.type;
	memcpy(ind->value, obs.value, obs.len + 1);
	v = FIELD("source");
	if (v && (!json_is_string(v) || !model_name_ok(json_string_value(v))))
		return snprintf(err, errlen, "source must be a name of 1 to %d printable bytes",
				MODEL_NAME_MAX), -1;
	snprintf(ind->source, sizeof ind->source, "%s", v ? json_string_value(v) : "api");
	ind->tlp = r->hub->default_tlp;
	if ((v = FIELD("tlp")) && (!json_is_string(v) || tlp_parse(json_string_value(v), &ind->tlp)))
		return snprintf(err, errlen, "tlp must be clear, green, amber, amber+strict or red"), -1;
	ind->confidence = 50;
	if ((v = FIELD("confidence"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
			return snprintf(err, errlen, "confidence must be an integer from 0 to 100"), -1;
		ind->confidence = (int)json_integer_value(v);
	}
	snprintf(ind->classification, sizeof ind->classification, "%s", RSIT_DEFAULT);
	if ((v = FIELD("classification"))) {
		if (!json_is_string(v) || rsit_check(json_string_value(v)))
			return snprintf(err, errlen, "classification must be a class/type of the "
						     "Reference Security Incident Taxonomy"), -1;
		snprintf(ind->classification, sizeof ind->classification, "%s", json_string_value(v));
	}
	*field = "first_seen";
	if (time_field(o, "first_seen", &ind->first_seen, err, errlen))
		return -1;
	*field = "last_seen";
	if (time_field(o, "last_seen", &ind->last_seen, err, errlen))
		return -1;
	*field = "valid_until";
	if (time_field(o, "valid_until", &ind->valid_until, err, errlen))
		return -1;
	if (ind->first_seen && ind->last_seen && ind->last_seen < ind->first_seen) {
		*field = "last_seen";
		return snprintf(err, errlen, "last_seen is before first_seen"), -1;
	}
#undef FIELD
	ind->org_id = r->who.org_id;
	return 0;
}

/* The one way indicators are added (POST here, the console's form): see
 * http.h. */
int api_indicators_add(http_req_t *r, json_t *in, int64_t **ids_out, long *item, const char **field,
		       char *err, size_t errlen)
{
	indicator_t *ind = NULL; /* one at a time: an indicator_t is ~2.4 KB */
	int64_t *ids = NULL;
	char first[OBS_VALUE_MAX + 1], msg[600];
	json_t *it;
	size_t i, n;
	*ids_out = NULL;
	*item = -1;
	*field = NULL;
	if (!auth_role_at_least(&r->who, ROLE_CONTRIBUTOR))
		return snprintf(err, errlen, "adding indicators needs the contributor role"), 403;
	if (!json_is_array(in))
		return snprintf(err, errlen, "body must be a JSON array of indicators"), 400;
	n = json_array_size(in);
	if (n == 0 || n > BATCH_MAX)
		return snprintf(err, errlen, "give between 1 and 100000 indicators"), 400;
	if (!(ind = malloc(sizeof *ind)) || !(ids = malloc(n * sizeof *ids))) {
		free(ind);
		return snprintf(err, errlen, "out of memory"), 500;
	}
	/* validate everything first (the memory a request takes does not grow
	 * with its items beyond the parsed body: each is parsed again below) */
	json_array_foreach(in, i, it) {
		if (item_parse(r, it, ind, field, msg, sizeof msg)) {
			snprintf(err, errlen, "item %zu%s%s: %s", i, *field ? ", field " : "",
				 *field ? *field : "", msg);
			*item = (long)i;
			free(ind);
			free(ids);
			return 400;
		}
		if (i == 0)
			memcpy(first, ind->value, sizeof first);
	}
	*field = NULL;
	/* then write all of it in one transaction */
	store_t *st = hub_store_get(r->hub);
	if (!st || store_begin(st)) {
		snprintf(err, errlen, "%s", st ? "the store failed; see the server log" : "store unavailable");
		if (st)
			fprintf(stderr, "c5hub: %s %s: store: %s\n", r->method, r->url, store_errmsg(st));
		free(ind);
		free(ids);
		hub_store_put(r->hub, st);
		return 500;
	}
	json_array_foreach(in, i, it) {
		const char *f;
		if (item_parse(r, it, ind, &f, msg, sizeof msg) || store_put_indicator(st, ind))
			break;
		ids[i] = ind->id;
	}
	free(ind);
	char what[160];
	snprintf(what, sizeof what, "%zu indicators, first %.100s", n, first);
	if (i < n || http_audit(r, st, "indicators.add", what, NULL) || store_commit(st)) {
		fprintf(stderr, "c5hub: %s %s: store: %s\n", r->method, r->url, store_errmsg(st));
		snprintf(err, errlen, "the store failed; see the server log");
		store_rollback(st);
		hub_store_put(r->hub, st);
		free(ids);
		return 500;
	}
	hub_store_put(r->hub, st);
	hub_sync(r->hub);
	*ids_out = ids;
	return 0;
}

int api_indicators_post(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	int64_t *ids;
	long item;
	const char *field;
	char err[700], fcopy[64] = "";
	if (!in)
		return http_error(r, 400, "invalid", "body is not JSON: %s (line %d, column %d)",
				  je.text, je.line, je.column);
	int rc = api_indicators_add(r, in, &ids, &item, &field, err, sizeof err);
	if (rc) {
		if (field)
			snprintf(fcopy, sizeof fcopy, "%s", field); /* field points into in */
		json_decref(in);
		return rc == 400 ? http_error_at(r, item, field ? fcopy : NULL, err)
		       : http_error(r, rc, rc == 403 ? "forbidden" : "internal", "%s", err);
	}
	size_t n = json_array_size(in);
	json_decref(in);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_integer(ids[i]));
	free(ids);
	return http_json(r, 201, json_pack("{s:I, s:o}", "count", (json_int_t)n, "ids", list));
}

typedef struct {
	json_t *arr;
	int64_t last;
} list_t;

static int list_cb(void *arg, const indicator_t *ind)
{
	list_t *l = arg;
	json_array_append_new(l->arr, ind_json(ind));
	l->last = ind->id;
	return 0;
}

static int int_arg(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	if (!s || !*s || !isdigit((unsigned char)*s))
		return -1;
	long long v = strtoll(s, &end, 10);
	if (*end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int api_indicators_list(http_req_t *r)
{
	store_filter_t f = {.view = auth_view(&r->who), .tlp_max = -1, .limit = 100};
	const char *v;
	int64_t n;
	obs_t obs;
	char err[512], org_name[MODEL_NAME_MAX + 1];
	tlp_t tlp;

	if (type_arg(r, http_query(r, "type"), &f.type))
		return HTTP_DONE;
	if ((v = http_query(r, "value"))) {
		if (obs_parse(v, strlen(v), f.type, &obs, err, sizeof err))
			return http_error_at(r, -1, "value", err);
		f.value = obs.value;
		f.type = obs.type;
	}
	f.source = http_query(r, "source");
	if ((v = http_query(r, "classification")))
		f.classification = v;
	if ((v = http_query(r, "tlp"))) {
		if (tlp_parse(v, &tlp))
			return http_error_at(r, -1, "tlp", "unknown TLP level");
		f.tlp_max = (int)tlp;
	}
	if ((v = http_query(r, "since")) && model_time_parse(v, &f.updated_since))
		return http_error_at(r, -1, "since", "since must be an RFC 3339 time");
	if ((v = http_query(r, "cursor")) && int_arg(v, 0, INT64_MAX, &f.after_id))
		return http_error_at(r, -1, "cursor", "bad cursor");
	if ((v = http_query(r, "limit"))) {
		if (int_arg(v, 1, 1000, &n))
			return http_error_at(r, -1, "limit", "limit must be 1 to 1000");
		f.limit = (int)n;
	}
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return http_error(r, 500, "internal", "store unavailable");
	if ((v = http_query(r, "org"))) {
		org_t o;
		snprintf(org_name, sizeof org_name, "%s", v);
		if (int_arg(v, 1, INT64_MAX, &f.org_id) &&
		    (store_org_find(st, org_name, &o) || !(f.org_id = o.id))) {
			hub_store_put(r->hub, st);
			return http_error_at(r, -1, "org", "no such organisation");
		}
	}
	int want = f.limit;
	f.limit = want + 1;
	list_t l = {.arr = json_array()};
	if (store_list_indicators(st, &f, list_cb, &l)) {
		json_decref(l.arr);
		int rc = store_fail(r, st);
		hub_store_put(r->hub, st);
		return rc;
	}
	hub_store_put(r->hub, st);
	json_t *next = json_null();
	if (json_array_size(l.arr) > (size_t)want) {
		json_array_remove(l.arr, (size_t)want);
		json_t *lastj = json_array_get(l.arr, (size_t)want - 1);
		char c[32];
		snprintf(c, sizeof c, "%lld", (long long)json_integer_value(json_object_get(lastj, "id")));
		next = json_string(c);
	}
	return http_json(r, 200, json_pack("{s:o, s:o}", "indicators", l.arr, "next_cursor", next));
}

/* Fetch the indicator named in the path, if the caller may see it. */
static int fetch_visible(http_req_t *r, store_t *st, indicator_t *ind)
{
	int64_t id;
	if (int_arg(r->arg, 1, INT64_MAX, &id))
		return http_error(r, 404, "not_found", "no such indicator"), -1;
	int rc = store_get_indicator(st, id, ind);
	if (rc == STORE_ENOTFOUND || (rc == STORE_OK && !api_sees(r, ind->id, ind->tlp, ind->org_id)))
		return http_error(r, 404, "not_found", "no such indicator"), -1;
	if (rc)
		return store_fail(r, st), -1;
	return 0;
}

static int owns(const http_req_t *r, int64_t org)
{
	return r->who.hub_member || r->who.org_id == org;
}

int api_may_edit_indicator(const http_req_t *r, int64_t org)
{
	return auth_role_at_least(&r->who, ROLE_ANALYST) && owns(r, org);
}

int api_indicator_get(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	indicator_t *ind = malloc(sizeof *ind);
	int rc;
	if (!st || !ind)
		rc = http_error(r, 500, "internal", "store unavailable");
	else if (fetch_visible(r, st, ind) == 0)
		rc = http_json(r, 200, ind_json(ind));
	else
		rc = HTTP_DONE;
	hub_store_put(r->hub, st);
	free(ind);
	return rc;
}

/* The one rule of editing an indicator (PATCH here, the console's form):
 * analysts and above; the creating organisation or the hub; only the
 * creating organisation lowers the TLP (sharing wider than the label is its
 * decision alone).  Everything is checked before anything is written. */
int api_indicator_edit(http_req_t *r, int64_t id, json_t *in, indicator_t *ind, const char **field,
		       char *err, size_t errlen)
{
	static const char *const editable[] = {"tlp", "confidence", "classification", "valid_until", NULL};
	const char *k;
	json_t *v;
	store_t *st = NULL;
	int rc = 500;
	*field = NULL;
	*err = '\0';
	if (!auth_role_at_least(&r->who, ROLE_ANALYST))
		return snprintf(err, errlen, "editing an indicator needs the analyst role"), 403;
	if (!json_is_object(in))
		return snprintf(err, errlen, "body must be a JSON object"), 400;
	json_object_foreach(in, k, v) {
		int ok = 0;
		for (const char *const *e = editable; *e; e++)
			ok |= strcmp(*e, k) == 0;
		if (!ok) {
			*field = k;
			return snprintf(err, errlen, "this field cannot be edited"), 400;
		}
	}
	if (!(st = hub_store_get(r->hub)))
		return snprintf(err, errlen, "store unavailable"), 500;
	int src = store_get_indicator(st, id, ind);
	if (src == STORE_ENOTFOUND || (src == STORE_OK && !api_sees(r, ind->id, ind->tlp, ind->org_id))) {
		snprintf(err, errlen, "no such indicator");
		rc = 404;
		goto out;
	}
	if (src)
		goto fail;
	if (!api_may_edit_indicator(r, ind->org_id)) {
		snprintf(err, errlen, "only the creating organisation or the hub may edit");
		rc = 403;
		goto out;
	}
	tlp_t was = ind->tlp;
	rc = 400;
	if ((v = json_object_get(in, "tlp")) &&
	    (!json_is_string(v) || tlp_parse(json_string_value(v), &ind->tlp))) {
		*field = "tlp";
		snprintf(err, errlen, "tlp must be clear, green, amber, amber+strict or red");
		goto out;
	}
	if (ind->tlp < was && r->who.org_id != ind->org_id) {
		snprintf(err, errlen, "only the creating organisation may lower the TLP "
			 "(sharing wider than the label is its decision)");
		rc = 403;
		goto out;
	}
	if ((v = json_object_get(in, "confidence"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100) {
			*field = "confidence";
			snprintf(err, errlen, "confidence must be 0 to 100");
			goto out;
		}
		ind->confidence = (int)json_integer_value(v);
	}
	if ((v = json_object_get(in, "classification"))) {
		if (!json_is_string(v) || rsit_check(json_string_value(v))) {
			*field = "classification";
			snprintf(err, errlen, "not a class/type of the taxonomy");
			goto out;
		}
		snprintf(ind->classification, sizeof ind->classification, "%s", json_string_value(v));
	}
	if ((v = json_object_get(in, "valid_until"))) {
		ind->valid_until = 0;
		if (time_field(in, "valid_until", &ind->valid_until, err, errlen)) {
			*field = "valid_until";
			goto out;
		}
	}
	char what[64], *detail = json_dumps(in, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(what, sizeof what, "indicator %lld", (long long)ind->id);
	if (!detail || store_begin(st)) {
		free(detail);
		goto fail;
	}
	if (store_put_indicator(st, ind) || http_audit(r, st, "indicators.edit", what, detail) ||
	    store_commit(st)) {
		free(detail);
		store_rollback(st);
		goto fail;
	}
	free(detail);
	hub_sync(r->hub);
	if (store_get_indicator(st, ind->id, ind))
		goto fail;
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "c5hub: %s %s: store: %s\n", r->method, r->url, store_errmsg(st));
	snprintf(err, errlen, "the store failed; see the server log");
	rc = 500;
out:
	hub_store_put(r->hub, st);
	return rc;
}

int api_indicator_patch(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	indicator_t *ind = malloc(sizeof *ind);
	const char *field;
	char err[512], fcopy[64] = "";
	int64_t id;
	int rc;
	if (!ind)
		rc = http_error(r, 500, "internal", "out of memory");
	else if (int_arg(r->arg, 1, INT64_MAX, &id))
		rc = http_error(r, 404, "not_found", "no such indicator");
	else if (!(rc = api_indicator_edit(r, id, in, ind, &field, err, sizeof err)))
		rc = http_json(r, 200, ind_json(ind));
	else {
		if (field)
			snprintf(fcopy, sizeof fcopy, "%s", field); /* field may point into in */
		rc = rc == 400 && field ? http_error_at(r, -1, fcopy, err)
		     : http_error(r, rc, rc == 400 ? "invalid" : rc == 403 ? "forbidden"
					 : rc == 404 ? "not_found" : "internal", "%s", err);
	}
	json_decref(in);
	free(ind);
	return rc;
}

int api_indicator_delete(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	indicator_t *ind = malloc(sizeof *ind);
	int rc = HTTP_DONE;
	if (!st || !ind) {
		rc = http_error(r, 500, "internal", "store unavailable");
		goto out;
	}
	if (fetch_visible(r, st, ind))
		goto out;
	if (!owns(r, ind->org_id)) {
		rc = http_error(r, 403, "forbidden", "only the creating organisation or the hub may delete");
		goto out;
	}
	char what[64];
	snprintf(what, sizeof what, "indicator %lld", (long long)ind->id);
	if (store_begin(st) || store_delete_indicator(st, ind->id) ||
	    http_audit(r, st, "indicators.delete", what, ind->value) || store_commit(st)) {
		rc = store_fail(r, st);
		goto out;
	}
	hub_sync(r->hub);
	rc = http_json(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)ind->id, "deleted", 1));
out:
	hub_store_put(r->hub, st);
	free(ind);
	return rc;
}

/* ---- organisations ---- */

static int org_cb(void *arg, const org_t *o)
{
	json_array_append_new(arg, org_json(o));
	return 0;
}

int api_orgs_list(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	json_t *arr = json_array();
	int rc;
	if (!st || store_org_list(st, org_cb, arr)) {
		json_decref(arr);
		rc = st ? store_fail(r, st) : http_error(r, 500, "internal", "store unavailable");
	} else {
		rc = http_json(r, 200, json_pack("{s:o}", "orgs", arr));
	}
	hub_store_put(r->hub, st);
	return rc;
}

int api_orgs_post(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	const char *name, *type, *cc;
	org_t o = {0};
	int rc;
	if (!r->who.hub_member) {
		json_decref(in);
		return http_error(r, 403, "forbidden", "only the hub's administrators add organisations");
	}
	if (!json_is_object(in)) {
		json_decref(in);
		return http_error(r, 400, "invalid", "body must be a JSON object");
	}
	name = json_string_value(json_object_get(in, "name"));
	type = json_string_value(json_object_get(in, "type"));
	cc = json_string_value(json_object_get(in, "country"));
	if (!model_name_ok(name))
		rc = http_error_at(r, -1, "name", "name must be 1 to 128 printable bytes");
	else if (!org_type_check(type))
		rc = http_error_at(r, -1, "type", "type must be government, private-sector, "
						  "civil-society, international or academia");
	else if (!model_country_ok(cc, o.country))
		rc = http_error_at(r, -1, "country", "country must be an ISO 3166 two-letter code");
	else {
		snprintf(o.name, sizeof o.name, "%s", name);
		snprintf(o.type, sizeof o.type, "%s", type);
		store_t *st = hub_store_get(r->hub);
		int src = !st || store_begin(st) ? STORE_ERR : store_org_add(st, &o);
		if (!src && (http_audit(r, st, "orgs.add", o.name, o.type) || store_commit(st)))
			src = STORE_ERR;
		if (src == STORE_EEXISTS)
			rc = http_error(r, 409, "exists", "organisation '%s' already exists", o.name);
		else if (src)
			rc = st ? store_fail(r, st) : http_error(r, 500, "internal", "store unavailable");
		else
			rc = http_json(r, 201, org_json(&o));
		hub_store_put(r->hub, st);
	}
	json_decref(in);
	return rc;
}

/* ---- tokens ---- */

typedef struct {
	http_req_t *r;
	store_token_cb cb;
	void *arg;
} tok_seen_t;

static int tok_seen(void *arg, const store_token_t *t)
{
	tok_seen_t *s = arg;
	return owns(s->r, t->org_id) ? s->cb(s->arg, t) : 0;
}

int api_token_list(http_req_t *r, store_t *st, int include_revoked, store_token_cb cb, void *arg)
{
	tok_seen_t s = {r, cb, arg};
	return store_token_list(st, include_revoked, tok_seen, &s);
}

int api_token_create(http_req_t *r, store_t *st, store_token_t *t, char *clear)
{
	char what[96];
	if (!owns(r, t->org_id))
		return 403;
	if (auth_token_make(clear, t))
		return 500;
	snprintf(what, sizeof what, "token %s for org %lld, role %s", t->prefix, (long long)t->org_id,
		 role_name(t->role));
	if (store_begin(st) || store_token_add(st, t) || http_audit(r, st, "tokens.create", what, t->label) ||
	    store_commit(st)) {
		store_rollback(st);
		explicit_bzero(clear, AUTH_TOKEN_LEN + 1);
		return 500;
	}
	hub_sync(r->hub);
	return 0;
}

typedef struct {
	int64_t id, org;
	int found;
} tok_find_t;

static int tok_find_cb(void *arg, const store_token_t *t)
{
	tok_find_t *f = arg;
	if (t->id != f->id)
		return 0;
	f->org = t->org_id;
	f->found = 1;
	return 1;
}

int api_token_revoke(http_req_t *r, store_t *st, int64_t id)
{
	tok_find_t f = {.id = id};
	char obj[24];
	if (store_token_list(st, 0, tok_find_cb, &f) || !f.found || !owns(r, f.org))
		return 404;
	snprintf(obj, sizeof obj, "%lld", (long long)id);
	if (store_begin(st) || store_token_revoke(st, id, NULL) || http_audit(r, st, "tokens.revoke", obj, NULL) ||
	    store_commit(st)) {
		store_rollback(st);
		return 500;
	}
	hub_sync(r->hub);
	return 0;
}

static int tok_cb(void *arg, const store_token_t *t)
{
	json_array_append_new(arg, json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o}",
		"id", (json_int_t)t->id, "org_id", (json_int_t)t->org_id, "role", role_name(t->role),
		"prefix", t->prefix, "label", t->label, "created", time_json(t->created),
		"revoked", time_json(t->revoked)));
	return 0;
}

int api_tokens_list(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	json_t *arr = json_array();
	int rc;
	if (!st || api_token_list(r, st, 1, tok_cb, arr)) {
		json_decref(arr);
		rc = st ? store_fail(r, st) : http_error(r, 500, "internal", "store unavailable");
	} else {
		rc = http_json(r, 200, json_pack("{s:o}", "tokens", arr));
	}
	hub_store_put(r->hub, st);
	return rc;
}

int api_tokens_post(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	store_token_t t = {0};
	org_t o;
	char clear[AUTH_TOKEN_LEN + 1];
	int rc;
	store_t *st = NULL;

	if (!json_is_object(in)) {
		rc = http_error(r, 400, "invalid", "body must be a JSON object");
		goto out;
	}
	const char *org = json_string_value(json_object_get(in, "org"));
	const char *role = json_string_value(json_object_get(in, "role"));
	const char *label = json_string_value(json_object_get(in, "label"));
	if (!role || role_parse(role, &t.role)) {
		rc = http_error_at(r, -1, "role", "role must be admin, analyst, contributor or reader");
		goto out;
	}
	if (label && strlen(label) > MODEL_NAME_MAX) {
		rc = http_error_at(r, -1, "label", "label too long");
		goto out;
	}
	if (!(st = hub_store_get(r->hub))) {
		rc = http_error(r, 500, "internal", "store unavailable");
		goto out;
	}
	if (org) {
		if (!model_name_ok(org) || store_org_find(st, org, &o)) {
			rc = http_error_at(r, -1, "org", "no such organisation");
			goto out;
		}
		t.org_id = o.id;
	} else {
		t.org_id = r->who.org_id;
	}
	snprintf(t.label, sizeof t.label, "%s", label ? label : "");
	switch (api_token_create(r, st, &t, clear)) {
	case 0:
		rc = http_json(r, 201, json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)t.id,
						 "token", clear, "prefix", t.prefix,
						 "org_id", (json_int_t)t.org_id, "role", role_name(t.role)));
		break;
	case 403:
		rc = http_error(r, 403, "forbidden", "administrators make tokens for their own organisation");
		break;
	default:
		rc = t.prefix[0] ? store_fail(r, st) : http_error(r, 500, "internal", "no randomness");
	}
out:
	explicit_bzero(clear, sizeof clear); /* every path; a memset may be dropped */
	hub_store_put(r->hub, st);
	json_decref(in);
	return rc;
}

int api_token_delete(http_req_t *r)
{
	store_t *st = hub_store_get(r->hub);
	int64_t id;
	int rc;
	if (!st)
		return http_error(r, 500, "internal", "store unavailable");
	if (int_arg(r->arg, 1, INT64_MAX, &id) || (rc = api_token_revoke(r, st, id)) == 404)
		rc = http_error(r, 404, "not_found", "no such active token");
	else if (rc)
		rc = store_fail(r, st);
	else
		rc = http_json(r, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "revoked", 1));
	hub_store_put(r->hub, st);
	return rc;
}

/* GET /pki/ca.pem and /pki/crl.pem: public, so that anyone can verify the
 * hub and check revocations (the CRL is rewritten by `c5hub pki revoke`). */
int api_pki_file(http_req_t *r)
{
	char dir[4096], path[4200], err[512];
	size_t len;
	if (strcmp(r->arg, "ca.pem") && strcmp(r->arg, "crl.pem"))
		return http_error(r, 404, "not_found", "only /pki/ca.pem and /pki/crl.pem are here");
	store_t *st = hub_store_get(r->hub);
	int rc = st ? store_setting_get(st, "pki_dir", dir, sizeof dir) : STORE_ERR;
	hub_store_put(r->hub, st);
	if (rc)
		return http_error(r, 404, "not_found", "this hub has no certificate authority");
	snprintf(path, sizeof path, "%s/%s", dir, r->arg);
	char *pem = pki_read_file(path, &len, err, sizeof err);
	if (!pem)
		return http_error(r, 404, "not_found", "%s is missing", r->arg);
	return http_text(r, 200, "application/x-pem-file", pem, len);
}

int api_whoami(http_req_t *r)
{
	org_t o;
	store_t *st = hub_store_get(r->hub);
	int found = st && store_org_get(st, r->who.org_id, &o) == STORE_OK;
	hub_store_put(r->hub, st);
	return http_json(r, 200, json_pack("{s:I, s:I, s:s, s:s, s:b, s:s}", "token_id",
					   (json_int_t)r->who.token_id, "org_id", (json_int_t)r->who.org_id,
					   "organisation", found ? o.name : "", "role",
					   role_name(r->who.role), "hub_member", r->who.hub_member,
					   "by", r->who.token_id ? "token" : "certificate"));
}
