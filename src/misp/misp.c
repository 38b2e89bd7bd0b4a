/* misp.c — MISP feeds in and out (see misp.h). */
#include <ctype.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/obs.h"
#include "core/util.h"
#include "misp/misp.h"
#include "stix/stix_pattern.h"

/* ---- loose typing ---- */

/* A string member, or a number or boolean as text (in buf); NULL if absent. */
static const char *loose_str(json_t *o, const char *key, char *buf, size_t n)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return snprintf(buf, n, "%lld", (long long)json_integer_value(v)), buf;
	if (json_is_real(v))
		return snprintf(buf, n, "%.0f", json_real_value(v)), buf;
	if (json_is_boolean(v))
		return json_is_true(v) ? "1" : "0";
	return NULL;
}

static int loose_bool(json_t *o, const char *key)
{
	char b[32];
	const char *s = loose_str(o, key, b, sizeof b);
	return s && (!strcmp(s, "1") || !strcasecmp(s, "true"));
}

static int64_t loose_int(json_t *o, const char *key, int64_t dflt)
{
	char b[32], *end;
	const char *s = loose_str(o, key, b, sizeof b);
	if (!s || !*s)
		return dflt;
	long long v = strtoll(s, &end, 10);
	return *end ? dflt : (int64_t)v;
}

static int uuid_ok(const char *s)
{
	if (!s || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static void lower_uuid(const char *in, char out[37])
{
	for (int i = 0; i < 36; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[36] = '\0';
}

/* Unix seconds as a STIX timestamp (within years 1970 to 9999). */
static void stamp(int64_t t, char buf[32])
{
	if (t < 0)
		t = 0;
	if (t > 253402300799)
		t = 253402300799;
	stix_time_fmt(t * 1000000, buf);
}

/* The most restrictive tlp:* tag of a Tag array into *t; 0 found, -1 not. */
static int tags_tlp(json_t *tags, tlp_t *t)
{
	json_t *v;
	size_t i;
	int found = 0;
	json_array_foreach(tags, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		tlp_t one;
		if (!name || strncasecmp(name, "tlp:", 4) || tlp_parse(name + 4, &one))
			continue;
		if (!found || one > *t)
			*t = one;
		found = 1;
	}
	return found ? 0 : -1;
}

/* ---- attribute types ---- */

static const struct {
	const char *type;
	obs_type_t want;
	int part; /* of "a|b": 0 the first, 1 the second; -1 the whole value */
} types[] = {
	{"ip-src", OBS_NONE, -1}, {"ip-dst", OBS_NONE, -1},
	{"ip-src|port", OBS_NONE, 0}, {"ip-dst|port", OBS_NONE, 0},
	{"domain", OBS_DOMAIN, -1}, {"hostname", OBS_DOMAIN, -1},
	{"domain|ip", OBS_DOMAIN, 0}, {"hostname|port", OBS_DOMAIN, 0},
	{"url", OBS_URL, -1},
	{"email", OBS_EMAIL, -1}, {"email-src", OBS_EMAIL, -1}, {"email-dst", OBS_EMAIL, -1},
	{"md5", OBS_MD5, -1}, {"sha1", OBS_SHA1, -1}, {"sha256", OBS_SHA256, -1},
	{"filename|md5", OBS_MD5, 1}, {"filename|sha1", OBS_SHA1, 1},
	{"filename|sha256", OBS_SHA256, 1},
	{"AS", OBS_ASN, -1},
};

/* The observable of an attribute, when its type maps to one.  0 or -1. */
static int attr_obs(const char *type, const char *value, obs_t *o)
{
	char err[200];
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		if (strcmp(type, types[i].type))
			continue;
		const char *v = value, *bar = strchr(value, '|');
		size_t len = strlen(value);
		if (types[i].part >= 0) {
			if (!bar)
				return -1;
			if (types[i].part == 0)
				len = (size_t)(bar - value);
			else
				v = bar + 1, len = strlen(v);
		}
		if (obs_parse(v, len, types[i].want, o, err, sizeof err))
			return -1;
		return o->type == OBS_IPV4 || o->type == OBS_IPV6 || types[i].want != OBS_NONE ? 0 : -1;
	}
	return -1;
}

/* ---- import ---- */

typedef struct {
	store_t *st;
	const stix_import_opts_t *o;
	misp_result_t *res;
	const char *name;
	char *err;
	size_t errlen;
	char ev_uuid[37];
	char by[64];          /* identity id of the creator */
	tlp_t ev_tlp;
	int ev_tlp_given;
	json_t *refs;         /* the report's object_refs */
	json_t *kept;         /* attributes that are not indicators */
} ev_t;

static int put(ev_t *e, json_t *obj)
{
	char why[600];
	if (!obj)
		return snprintf(e->err, e->errlen, "%s: out of memory", e->name), -1;
	int rc = stix_import_json(e->st, obj, e->o, &e->res->stix, why, sizeof why);
	json_decref(obj);
	if (rc)
		snprintf(e->err, e->errlen, "%s: %s", e->name, why);
	return rc;
}

static int one_attribute(ev_t *e, json_t *a, long n)
{
	char b1[32], uuid[37], id[64], ts[32], pattern[OBS_VALUE_MAX * 2 + 64];
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *value = loose_str(a, "value", b1, sizeof b1);
	const char *cat = json_string_value(json_object_get(a, "category"));
	const char *comment = json_string_value(json_object_get(a, "comment"));
	const char *au = json_string_value(json_object_get(a, "uuid"));
	obs_t o;
	if (!json_is_object(a))
		return snprintf(e->err, e->errlen, "%s: attribute %ld: not an object", e->name, n), -1;
	if (loose_bool(a, "deleted"))
		return 0;
	if (!type || !value)
		return snprintf(e->err, e->errlen, "%s: attribute %ld: '%s' missing", e->name, n,
				type ? "value" : "type"), -1;
	e->res->attributes++;
	if (!loose_bool(a, "to_ids") || attr_obs(type, value, &o) || stix_pattern_of(&o, pattern, sizeof pattern)) {
		json_t *k = json_pack("{s:s, s:s}", "type", type, "value", value);
		if (cat)
			json_object_set_new(k, "category", json_string(cat));
		if (comment && *comment)
			json_object_set_new(k, "comment", json_string(comment));
		json_object_set_new(k, "to_ids", json_boolean(loose_bool(a, "to_ids")));
		json_array_append_new(e->kept, k);
		return 0;
	}
	if (uuid_ok(au)) {
		lower_uuid(au, uuid);
	} else {
		char name[OBS_VALUE_MAX + 200];
		snprintf(name, sizeof name, "misp|%s|%s|%s", e->ev_uuid, type, value);
		stix_uuid5(name, uuid);
	}
	/* the event's TLP, or the attribute's when more restrictive */
	tlp_t t = e->ev_tlp, at;
	int given = e->ev_tlp_given;
	if (!tags_tlp(json_object_get(a, "Tag"), &at)) {
		if (!given || at > t)
			t = at;
		given = 1;
	}
	stamp(loose_int(a, "timestamp", 0), ts);
	snprintf(id, sizeof id, "indicator--%s", uuid);
	json_t *ind = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s, s]}",
				"type", "indicator", "spec_version", "2.1", "id", id, "created_by_ref",
				e->by, "created", ts, "modified", ts, "name", o.value, "pattern",
				pattern, "pattern_type", "stix", "pattern_version", "2.1", "valid_from",
				ts, "indicator_types", "malicious-activity", "labels", type,
				cat ? cat : "uncategorised");
	if (ind && comment && *comment)
		json_object_set_new(ind, "description", json_string(comment));
	if (ind && given)
		json_object_set_new(ind, "object_marking_refs", json_pack("[s]", stix_tlp_marking(t)));
	json_array_append_new(e->refs, json_string(id));
	e->res->indicators++;
	return put(e, ind);
}

static int attributes(ev_t *e, json_t *list, long *n)
{
	json_t *a;
	size_t i;
	if (list && !json_is_array(list))
		return snprintf(e->err, e->errlen, "%s: 'Attribute' must be an array", e->name), -1;
	json_array_foreach(list, i, a) {
		if (one_attribute(e, a, (*n)++))
			return -1;
	}
	return 0;
}

int misp_import_event(store_t *st, const char *text, size_t len, const char *name,
		      const stix_import_opts_t *o, misp_result_t *res, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je), *obj;
	ev_t e = {.st = st, .o = o, .res = res, .name = name, .err = err, .errlen = errlen};
	char b[32], ts[32], created[32], iduuid[37], rid[64];
	size_t i;
	int rc = -1;
	if (!root)
		return snprintf(err, errlen, "%s:%d: %s", name, je.line, je.text), -1;
	json_t *ev = json_object_get(root, "Event");
	const char *uuid = json_string_value(json_object_get(ev, "uuid"));
	if (!json_is_object(ev)) {
		snprintf(err, errlen, "%s: no 'Event' object", name);
		goto out;
	}
	if (!uuid_ok(uuid)) {
		snprintf(err, errlen, "%s: Event.uuid: not a UUID", name);
		goto out;
	}
	lower_uuid(uuid, e.ev_uuid);
	e.ev_tlp = o->tlp;
	e.ev_tlp_given = !tags_tlp(json_object_get(ev, "Tag"), &e.ev_tlp);
	res->events++;
	/* the creator */
	json_t *orgc = json_object_get(ev, "Orgc");
	const char *oname = json_string_value(json_object_get(orgc, "name"));
	const char *ouuid = json_string_value(json_object_get(orgc, "uuid"));
	if (uuid_ok(ouuid)) {
		lower_uuid(ouuid, iduuid);
	} else {
		char nm[400];
		snprintf(nm, sizeof nm, "misp-org|%s", oname ? oname : "");
		stix_uuid5(nm, iduuid);
	}
	snprintf(e.by, sizeof e.by, "identity--%s", iduuid);
	if (put(&e, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s]}", "type", "identity",
			      "spec_version", "2.1", "id", e.by, "created", "2020-01-01T00:00:00.000Z",
			      "modified", "2020-01-01T00:00:00.000Z", "name", oname && *oname ? oname : "unknown",
			      "identity_class", "organization", "object_marking_refs",
			      stix_tlp_marking(TLP_CLEAR))))
		goto out;
	/* the attributes, also those of the event's MISP objects */
	e.refs = json_array();
	e.kept = json_array();
	long n = 0;
	if (attributes(&e, json_object_get(ev, "Attribute"), &n))
		goto out;
	json_array_foreach(json_object_get(ev, "Object"), i, obj) {
		if (attributes(&e, json_object_get(obj, "Attribute"), &n))
			goto out;
	}
	/* the event itself, as a report */
	int64_t t = loose_int(ev, "timestamp", 0);
	const char *date = json_string_value(json_object_get(ev, "date"));
	int64_t d;
	stamp(t, ts);
	stamp(date && !model_time_parse(date, &d) && d <= t ? d : t, created);
	if (!json_array_size(e.refs))
		json_array_append_new(e.refs, json_string(e.by));
	json_t *labels = json_array(), *tag;
	json_array_foreach(json_object_get(ev, "Tag"), i, tag) {
		const char *tn = json_string_value(json_object_get(tag, "name"));
		if (tn && strncasecmp(tn, "tlp:", 4))
			json_array_append_new(labels, json_string(tn));
	}
	const char *info = json_string_value(json_object_get(ev, "info"));
	const char *analysis = loose_str(ev, "analysis", b, sizeof b); /* b only for a number */
	snprintf(rid, sizeof rid, "report--%s", e.ev_uuid);
	json_t *rep = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:O, s:{s:s, s:s, s:s}, s:O}",
				"type", "report", "spec_version", "2.1", "id", rid, "created_by_ref", e.by,
				"created", created, "modified", ts, "name", info && *info ? info : "(no info)",
				"published", ts, "report_types", "threat-report", "object_refs", e.refs,
				"x_misp_event", "uuid", e.ev_uuid, "analysis",
				analysis ? analysis : "", "date", date ? date : "",
				"x_misp_attributes", e.kept);
	if (rep && json_array_size(labels))
		json_object_set(rep, "labels", labels);
	json_decref(labels);
	if (rep && e.ev_tlp_given)
		json_object_set_new(rep, "object_marking_refs", json_pack("[s]", stix_tlp_marking(e.ev_tlp)));
	rc = put(&e, rep);
out:
	json_decref(e.refs);
	json_decref(e.kept);
	json_decref(root);
	return rc;
}

static int import_file(store_t *st, const char *path, const stix_import_opts_t *o,
		       misp_result_t *res, char *err, size_t errlen)
{
	char *text = util_read_text(path, MISP_FILE_MAX, err, errlen);
	if (!text)
		return -1;
	int rc = misp_import_event(st, text, strlen(text), path, o, res, err, errlen);
	free(text);
	return rc;
}

int misp_import_path(store_t *st, const char *path, const stix_import_opts_t *o,
		     misp_result_t *res, char *err, size_t errlen)
{
	struct stat sb;
	char mpath[4096], epath[4200];
	json_error_t je;
	const char *key;
	json_t *v;
	memset(res, 0, sizeof *res);
	if (stat(path, &sb))
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1;
	if (!S_ISDIR(sb.st_mode))
		return import_file(st, path, o, res, err, errlen);
	snprintf(mpath, sizeof mpath, "%s/manifest.json", path);
	char *text = util_read_text(mpath, MISP_FILE_MAX, err, errlen);
	if (!text)
		return -1;
	json_t *man = json_loads(text, 0, &je);
	free(text);
	if (!json_is_object(man)) {
		json_decref(man);
		return snprintf(err, errlen, "%s:%d: %s", mpath, man ? 1 : je.line,
				man ? "not a JSON object of events" : je.text), -1;
	}
	int rc = 0;
	json_object_foreach(man, key, v) {
		if (!uuid_ok(key)) { /* also keeps the file name inside the directory */
			snprintf(err, errlen, "%s: '%.60s' is not an event UUID", mpath, key);
			rc = -1;
			break;
		}
		snprintf(epath, sizeof epath, "%s/%s.json", path, key);
		if ((rc = import_file(st, epath, o, res, err, errlen)))
			break;
	}
	json_decref(man);
	return rc;
}

/* ---- export ---- */

typedef struct {
	char source[MODEL_NAME_MAX + 1];
	tlp_t tlp;
	long count;
	int64_t last;    /* the newest update, Unix seconds */
	char uuid[37];
} group_t;

typedef struct {
	const misp_export_opts_t *o;
	group_t *g;
	size_t ng, cap;
	int64_t cursor;
	int oom;
	/* writing one group */
	const group_t *cur;
	FILE *ev, *hashes;
	long written;
	int fail;
} mx_t;

static int want(const indicator_t *i)
{
	return strcmp(i->classification, RSIT_FALSE_POSITIVE) != 0;
}

static int group_cb(void *arg, const indicator_t *i)
{
	mx_t *x = arg;
	size_t k;
	x->cursor = i->id;
	if (!want(i))
		return 0;
	for (k = 0; k < x->ng; k++)
		if (x->g[k].tlp == i->tlp && !strcmp(x->g[k].source, i->source))
			break;
	if (k == x->ng) {
		if (util_grow(&x->g, &x->cap, x->ng + 1, sizeof *x->g, 16))
			return x->oom = 1;
		memset(&x->g[k], 0, sizeof x->g[k]);
		snprintf(x->g[k].source, sizeof x->g[k].source, "%s", i->source);
		x->g[k].tlp = i->tlp;
		x->ng++;
	}
	x->g[k].count++;
	if (i->updated > x->g[k].last)
		x->g[k].last = i->updated;
	return 0;
}

static const char *misp_type(obs_type_t t, const char **category)
{
	*category = "Network activity";
	switch (t) {
	case OBS_IPV4:
	case OBS_IPV6: return "ip-dst";
	case OBS_DOMAIN: return "domain";
	case OBS_URL: return "url";
	case OBS_EMAIL: *category = "Payload delivery"; return "email-src";
	case OBS_MD5: *category = "Payload delivery"; return "md5";
	case OBS_SHA1: *category = "Payload delivery"; return "sha1";
	case OBS_SHA256: *category = "Payload delivery"; return "sha256";
	case OBS_ASN: return "AS";
	default: return NULL;
	}
}

static void tlp_tag(tlp_t t, char *buf, size_t n)
{
	snprintf(buf, n, "tlp:%s", tlp_name(t));
	for (char *p = buf; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

static int attr_cb(void *arg, const indicator_t *i)
{
	mx_t *x = arg;
	const char *cat, *type = misp_type(i->type, &cat);
	char name[OBS_VALUE_MAX + 200], uuid[37], md5hex[33];
	unsigned char md5[16];
	x->cursor = i->id;
	if (!want(i) || !type || i->tlp != x->cur->tlp || strcmp(i->source, x->cur->source))
		return 0;
	snprintf(name, sizeof name, "misp-attribute|%s|%s|%s|%lld", obs_type_name(i->type), i->value,
		 i->source, (long long)i->org_id);
	stix_uuid5(name, uuid);
	json_t *a = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "uuid", uuid, "type", type,
			      "category", cat, "value", i->value, "to_ids", 1, "timestamp", "",
			      "comment", i->classification, "distribution", "5");
	char ts[24];
	snprintf(ts, sizeof ts, "%lld", (long long)i->updated);
	json_object_set_new(a, "timestamp", json_string(ts));
	char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	if (!text)
		return x->fail = 1;
	fprintf(x->ev, "%s%s", x->written++ ? "," : "", text);
	free(text);
	if (gnutls_hash_fast(GNUTLS_DIG_MD5, i->value, strlen(i->value), md5))
		return x->fail = 1;
	for (int k = 0; k < 16; k++)
		snprintf(md5hex + 2 * k, 3, "%02x", md5[k]);
	fprintf(x->hashes, "%s,%s\n", md5hex, x->cur->uuid);
	return 0;
}

/* The event of one group: its head, then its attributes in one pass. */
static json_t *event_head(const mx_t *x, const group_t *g, json_t **tags)
{
	char info[MODEL_NAME_MAX + 80], date[32], ts[24], tag[32], ouuid[37], oname[300];
	tlp_tag(g->tlp, tag, sizeof tag);
	snprintf(info, sizeof info, "%s: %s (%s)", x->o->hub_name, g->source, tag);
	model_time_fmt(g->last, date);
	date[10] = '\0';
	snprintf(ts, sizeof ts, "%lld", (long long)g->last);
	snprintf(oname, sizeof oname, "misp-org|%s", x->o->hub_name);
	stix_uuid5(oname, ouuid);
	*tags = json_pack("[{s:s, s:s}]", "name", tag, "colour", "#ffffff");
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:{s:s, s:s}, s:O}", "uuid",
			 g->uuid, "info", info, "date", date, "timestamp", ts, "publish_timestamp",
			 ts, "analysis", "2", "threat_level_id", "3", "published", 1, "Orgc", "name",
			 x->o->hub_name, "uuid", ouuid, "Tag", *tags);
}

static int write_event(store_t *st, mx_t *x, const char *dir, const group_t *g, json_t *manifest,
		       char *err, size_t errlen)
{
	char path[4200], tmp[4300];
	json_t *tags;
	json_t *head = event_head(x, g, &tags);
	char *text = head ? json_dumps(head, JSON_COMPACT) : NULL;
	snprintf(path, sizeof path, "%s/%s.json", dir, g->uuid);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	x->ev = text ? fopen(tmp, "w") : NULL;
	if (!x->ev) {
		free(text);
		json_decref(head);
		json_decref(tags);
		return snprintf(err, errlen, "%s: cannot write", tmp), -1;
	}
	/* {"Event": {head..., "Attribute": [ ... ]}} */
	fprintf(x->ev, "{\"Event\":%.*s,\"Attribute\":[", (int)strlen(text) - 1, text);
	free(text);
	x->cur = g;
	x->written = 0;
	store_filter_t f = {.viewer_org = x->o->viewer_org, .tlp_max = TLP_AMBER_STRICT, .limit = 1000};
	int rc = 0;
	for (x->cursor = 0;;) {
		int64_t was = x->cursor;
		f.after_id = x->cursor;
		if ((rc = store_list_indicators(st, &f, attr_cb, x)) || x->cursor == was)
			break;
	}
	fputs("]}}\n", x->ev);
	if (fclose(x->ev) || rc || x->fail || rename(tmp, path)) {
		remove(tmp);
		json_decref(head);
		json_decref(tags);
		return snprintf(err, errlen, "%s: %s", path, rc ? store_errmsg(st) : "cannot write"), -1;
	}
	json_t *m = json_pack("{s:O, s:O, s:O, s:O, s:i, s:i, s:O}", "Orgc",
			      json_object_get(head, "Orgc"), "Tag", tags, "info",
			      json_object_get(head, "info"), "date", json_object_get(head, "date"),
			      "analysis", 2, "threat_level_id", 3, "timestamp",
			      json_object_get(head, "timestamp"));
	json_object_set_new(manifest, g->uuid, m);
	json_decref(head);
	json_decref(tags);
	return 0;
}

int misp_export_dir(store_t *st, const misp_export_opts_t *o, const char *dir, long *events,
		    long *attributes, char *err, size_t errlen)
{
	mx_t x = {.o = o};
	char path[4200], tmp[4300], name[MODEL_NAME_MAX + 100];
	int rc = -1;
	*events = *attributes = 0;
	if (mkdir(dir, 0755) && errno != EEXIST)
		return snprintf(err, errlen, "%s: %s", dir, strerror(errno)), -1;
	store_filter_t f = {.viewer_org = o->viewer_org, .tlp_max = TLP_AMBER_STRICT, .limit = 1000};
	for (;;) {
		int64_t was = x.cursor;
		f.after_id = x.cursor;
		if (store_list_indicators(st, &f, group_cb, &x))
			return snprintf(err, errlen, "store: %s", store_errmsg(st)), free(x.g), -1;
		if (x.oom)
			return snprintf(err, errlen, "out of memory"), free(x.g), -1;
		if (x.cursor == was)
			break;
	}
	snprintf(path, sizeof path, "%s/hashes.csv", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	json_t *manifest = json_object();
	if (!(x.hashes = fopen(tmp, "w"))) {
		json_decref(manifest);
		free(x.g);
		return snprintf(err, errlen, "%s: cannot write", tmp), -1;
	}
	for (size_t k = 0; k < x.ng; k++) {
		snprintf(name, sizeof name, "misp-event|%s|%s|%lld", x.g[k].source, tlp_name(x.g[k].tlp),
			 (long long)o->viewer_org);
		stix_uuid5(name, x.g[k].uuid);
		if (write_event(st, &x, dir, &x.g[k], manifest, err, errlen))
			goto out;
		*events += 1;
		*attributes += x.written;
	}
	if (fclose(x.hashes) || rename(tmp, path)) {
		x.hashes = NULL;
		snprintf(err, errlen, "%s: cannot write", path);
		goto out;
	}
	x.hashes = NULL;
	/* the manifest last: a subscriber reading it finds every event */
	snprintf(path, sizeof path, "%s/manifest.json", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (json_dump_file(manifest, tmp, JSON_INDENT(1)) || rename(tmp, path)) {
		snprintf(err, errlen, "%s: cannot write", path);
		goto out;
	}
	rc = 0;
out:
	if (x.hashes) {
		fclose(x.hashes);
		remove(tmp);
	}
	json_decref(manifest);
	free(x.g);
	return rc;
}
