/* stix.c — STIX 2.1 import and export (see stix.h).
 *
 * A bundle file can hold millions of objects, so it is not parsed as one
 * JSON tree: a small scanner walks the top level and the "objects" array,
 * and each object alone goes through jansson and is freed before the next.
 * Memory stays at one object plus the mapped file. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "stix/stix.h"
#include "stix/stix_pattern.h"
#include "stix/stix_scan.h"

/* ---- TLP markings ---- */

static const struct {
	const char *id;
	tlp_t tlp;
} tlp_ids[] = {
	/* TLP 2.0 (the OASIS TLP 2.0 marking definitions) */
	{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", TLP_CLEAR},
	{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", TLP_GREEN},
	{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", TLP_AMBER},
	{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", TLP_AMBER_STRICT},
	{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", TLP_RED},
	/* TLP 1.0, built into STIX 2.1: WHITE, GREEN, AMBER, RED */
	{"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", TLP_CLEAR},
	{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", TLP_GREEN},
	{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", TLP_AMBER},
	{"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", TLP_RED},
};
#define TLP2_EXT "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

/* The fixed content of those definitions (same order): nobody may post one
 * of these ids with anything else (a forged TLP:AMBER read as TLP:CLEAR). */
static const struct {
	const char *name, *word, *created;
	int v2; /* TLP 2.0: the extension; else STIX's definition_type "tlp" */
} tlp_fixed[] = {
	{"TLP:CLEAR", "clear", "2022-10-01T00:00:00.000Z", 1},
	{"TLP:GREEN", "green", "2022-10-01T00:00:00.000Z", 1},
	{"TLP:AMBER", "amber", "2022-10-01T00:00:00.000Z", 1},
	{"TLP:AMBER+STRICT", "amber+strict", "2022-10-01T00:00:00.000Z", 1},
	{"TLP:RED", "red", "2022-10-01T00:00:00.000Z", 1},
	{"TLP:WHITE", "white", "2017-01-20T00:00:00.000Z", 0},
	{"TLP:GREEN", "green", "2017-01-20T00:00:00.000Z", 0},
	{"TLP:AMBER", "amber", "2017-01-20T00:00:00.000Z", 0},
	{"TLP:RED", "red", "2017-01-20T00:00:00.000Z", 0},
};

static int tlp_fixed_same(json_t *obj, size_t i)
{
	static const char *const members[] = {"type", "spec_version", "id", "created", "name",
					      "definition_type", "definition", "extensions"};
	const char *key;
	json_t *v, *want;
	int ok = 1;
	json_object_foreach(obj, key, v) {
		size_t k = 0;
		while (k < sizeof members / sizeof *members && strcmp(key, members[k]))
			k++;
		if (k == sizeof members / sizeof *members)
			return 0;
	}
	const char *name = json_string_value(json_object_get(obj, "name")),
		   *created = json_string_value(json_object_get(obj, "created"));
	if (!name || strcmp(name, tlp_fixed[i].name) || !created || strcmp(created, tlp_fixed[i].created))
		return 0;
	if (tlp_fixed[i].v2) {
		want = json_pack("{s:{s:s, s:s}}", TLP2_EXT, "extension_type", "property-extension",
				 "tlp_2_0", tlp_fixed[i].word);
		ok = json_equal(json_object_get(obj, "extensions"), want) &&
		     !json_object_get(obj, "definition") && !json_object_get(obj, "definition_type");
	} else {
		want = json_pack("{s:s}", "tlp", tlp_fixed[i].word);
		v = json_object_get(obj, "definition_type");
		ok = json_equal(json_object_get(obj, "definition"), want) &&
		     (!v || (json_is_string(v) && !strcmp(json_string_value(v), "tlp"))) &&
		     !json_object_get(obj, "extensions");
	}
	json_decref(want);
	return ok;
}

/* Is the object text[0..len), whose id is the fixed definition i, exactly
 * that definition?  (Read whole here: the import reads only some members.) */
static int tlp_fixed_ok(const char *text, size_t len, size_t i)
{
	json_t *obj = json_loadb(text, len, 0, NULL);
	int ok = obj && tlp_fixed_same(obj, i);
	json_decref(obj);
	return ok;
}

/* The index of a fixed TLP marking definition's id, or -1. */
static long tlp_index(const char *id)
{
	for (size_t i = 0; i < sizeof tlp_ids / sizeof *tlp_ids; i++)
		if (!strcasecmp(id, tlp_ids[i].id)) /* UUIDs are read without case */
			return (long)i;
	return -1;
}

static int tlp_of_id(const char *id, tlp_t *out)
{
	long i = tlp_index(id);
	if (i < 0)
		return -1;
	*out = tlp_ids[i].tlp;
	return 0;
}

const char *stix_tlp_marking(tlp_t t)
{
	return (unsigned)t <= TLP_RED ? tlp_ids[t].id : tlp_ids[TLP_RED].id;
}

/* The most restrictive TLP marking of obj into *out; 0, or -1 when none. */
static int tlp_marked(json_t *obj, tlp_t *out)
{
	json_t *refs = json_object_get(obj, "object_marking_refs"), *v;
	size_t i;
	int found = 0;
	tlp_t best = TLP_CLEAR, t;
	json_array_foreach(refs, i, v) {
		if (json_is_string(v) && !tlp_of_id(json_string_value(v), &t)) {
			if (t > best)
				best = t;
			found = 1;
		}
	}
	*out = best;
	return found ? 0 : -1;
}

tlp_t stix_object_tlp(json_t *obj, tlp_t dflt)
{
	tlp_t t;
	return tlp_marked(obj, &t) ? dflt : t;
}

/* ---- checks ---- */

static int uuid_ok(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'x' ? !isxdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	return s[sizeof shape - 1] == '\0';
}

static int type_ok(const char *t)
{
	size_t n = strlen(t);
	if (n < 3 || n > 250 || t[0] == '-' || t[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= '0' && t[i] <= '9') || t[i] == '-'))
			return 0;
	return 1;
}

/* STIX timestamps: RFC 3339, UTC ("Z"), optional fraction */
static int stamp_ok(json_t *v)
{
	const char *s = json_string_value(v);
	int64_t t;
	size_t n = s ? strlen(s) : 0;
	return s && n >= 20 && n <= 40 && s[10] == 'T' && s[n - 1] == 'Z' && !model_time_parse(s, &t);
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

int stix_time_us(const char *s, int64_t *us)
{
	int64_t t;
	size_t n = s ? strlen(s) : 0;
	if (n < 20 || n > 40 || s[10] != 'T' || s[n - 1] != 'Z' || model_time_parse(s, &t))
		return -1;
	int64_t frac = 0, scale = 1000000;
	if (s[19] == '.')
		for (const char *p = s + 20; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	*us = t * 1000000 + frac;
	return 0;
}

void stix_time_fmt(int64_t us, char buf[32])
{
	char b[32];
	int64_t sec = us >= 0 ? us / 1000000 : (us - 999999) / 1000000;
	model_time_fmt(sec, b);
	size_t n = strlen(b);
	snprintf(buf, 32, "%.*s.%06lldZ", (int)(n - 1), b, (long long)(us - sec * 1000000));
}

int stix_object_check(json_t *obj, char *err, size_t errlen)
{
	const char *type = str(obj, "type"), *id = str(obj, "id"), *sv;
	static const char *const stamps[] = {"created", "modified", "valid_from", "valid_until",
					     "first_seen", "last_seen", "published"};
	if (!json_is_object(obj))
		return snprintf(err, errlen, "an object must be a JSON object"), -1;
	if (!type || !type_ok(type))
		return snprintf(err, errlen, "'type' must be 3 to 250 of a-z, 0-9 and '-'"), -1;
	size_t tn = strlen(type);
	if (!id || strlen(id) > STORE_STIX_ID_MAX || strncmp(id, type, tn) || strncmp(id + tn, "--", 2) ||
	    !uuid_ok(id + tn + 2))
		return snprintf(err, errlen, "'id' must be '%s--' and a UUID", type), -1;
	if ((sv = str(obj, "spec_version")) ? strcmp(sv, "2.1") : json_object_get(obj, "spec_version") != NULL)
		return snprintf(err, errlen, "%s: 'spec_version' must be \"2.1\"", id), -1;
	for (size_t i = 0; i < sizeof stamps / sizeof *stamps; i++) {
		json_t *v = json_object_get(obj, stamps[i]);
		if (v && !stamp_ok(v))
			return snprintf(err, errlen, "%s: '%s' is not a timestamp", id, stamps[i]), -1;
	}
	if (strcmp(type, "indicator"))
		return 0;
	const char *pattern = str(obj, "pattern"), *ptype = str(obj, "pattern_type");
	if (!pattern || !ptype || !json_object_get(obj, "valid_from"))
		return snprintf(err, errlen, "%s: an indicator needs pattern, pattern_type and valid_from",
				id), -1;
	if (strcmp(ptype, "stix"))
		return 0;
	stix_pattern_t p;
	char perr[200];
	if (stix_pattern_parse(pattern, json_string_length(json_object_get(obj, "pattern")), &p, perr,
			       sizeof perr))
		return snprintf(err, errlen, "%s: pattern %s", id, perr), -1;
	stix_pattern_free(&p);
	return 0;
}

/* ---- import ---- */

/* The members the import reads; the others are only checked by the
 * scanner and kept in the text. */
static const char *const read_members[] = {
	"type", "id", "spec_version", "created", "modified", "object_marking_refs", "revoked",
	"pattern", "pattern_type", "valid_from", "valid_until", "first_seen", "last_seen",
	"published", "indicator_types", "labels", "confidence", NULL};

#define DIGEST_KEYS 256 /* more members than this: jansson reads the whole object */

/* An object's digest: its members the import reads, as a JSON object made
 * from the scanner's spans (a plain string directly, other values by
 * jansson alone). */
typedef struct {
	json_t *obj;
	json_error_t je; /* why a value was refused (bad: 1) */
	int bad;
	struct {
		const char *k;
		size_t n;
	} keys[DIGEST_KEYS];
	int nkeys;
	int whole;      /* read the whole object with jansson instead */
	const char *refs; /* where object_marking_refs' value starts in the
			     text as received, or NULL (see mark_tlp) */
	size_t refs_at;   /* and in the compact text (0: not known) */
	char dup[80];   /* a member given twice */
} digest_t;

typedef struct {
	store_t *st;
	const stix_import_opts_t *o;
	stix_result_t *res;
	const char *name;
	char *err;
	size_t errlen;
	digest_t digest; /* of the object being read */
	char *compact;   /* the object being kept, without white space */
	size_t compact_cap;
	size_t line_pos; /* objects come in order: lines are counted once */
	long line;       /* the line at line_pos */
} imp_t;

static const char *classification_of(const imp_t *m, json_t *obj)
{
	json_t *types = json_object_get(obj, "indicator_types"), *v;
	size_t i;
	if (m->o->classification)
		return m->o->classification;
	/* a label naming an RSIT class/type, as c5hub's export (and MISP's
	 * rsit tag through misp.c) writes it, says it exactly */
	json_array_foreach(json_object_get(obj, "labels"), i, v) {
		const char *l = json_string_value(v);
		if (l && strchr(l, '/') && !rsit_check(l))
			return l;
	}
	json_array_foreach(types, i, v) {
		const char *t = json_string_value(v);
		if (t && !strcmp(t, "benign"))
			return RSIT_FALSE_POSITIVE;
		if (t && !strcmp(t, "compromised"))
			return "intrusions/system-compromise";
	}
	return RSIT_DEFAULT;
}

static int64_t stamp(json_t *obj, const char *key)
{
	int64_t t = 0;
	const char *s = str(obj, key);
	return s && !model_time_parse(s, &t) ? t : 0;
}

/* The indicators an indexable pattern names, linked to their object. */
static int index_values(imp_t *m, json_t *obj, const store_stix_t *row, int *count)
{
	stix_pattern_t p;
	char perr[200];
	json_t *pat = json_object_get(obj, "pattern");
	*count = -1;
	if (stix_pattern_parse(json_string_value(pat), json_string_length(pat), &p, perr, sizeof perr))
		return snprintf(m->err, m->errlen, "%s: pattern %s", row->id, perr), -1;
	if (!p.indexable) {
		if (!m->res->not_indexed[0])
			snprintf(m->res->not_indexed, sizeof m->res->not_indexed, "%s: %s", row->id, p.why);
		stix_pattern_free(&p);
		return 0;
	}
	indicator_t *ind = calloc(1, sizeof *ind);
	json_t *conf = json_object_get(obj, "confidence");
	int rc = 0;
	if (!ind) {
		stix_pattern_free(&p);
		return snprintf(m->err, m->errlen, "out of memory"), -1;
	}
	for (size_t i = 0; i < p.nvalues && !rc; i++) {
		memset(ind, 0, sizeof *ind);
		ind->type = p.values[i].type;
		memcpy(ind->value, p.values[i].value, p.values[i].len + 1);
		snprintf(ind->source, sizeof ind->source, "%s", m->o->source);
		snprintf(ind->classification, sizeof ind->classification, "%s", classification_of(m, obj));
		ind->org_id = m->o->org_id;
		ind->tlp = row->tlp;
		ind->confidence = json_is_integer(conf) && json_integer_value(conf) >= 0 &&
						  json_integer_value(conf) <= 100
					  ? (int)json_integer_value(conf)
					  : m->o->confidence;
		ind->first_seen = stamp(obj, "valid_from");
		ind->last_seen = stamp(obj, "modified");
		ind->valid_until = stamp(obj, "valid_until");
		if (store_put_indicator(m->st, ind) || store_stix_link(m->st, ind->id, row->rid)) {
			snprintf(m->err, m->errlen, "store: %s", store_errmsg(m->st));
			rc = -1;
		}
	}
	*count = rc ? -1 : (int)p.nvalues;
	free(ind);
	stix_pattern_free(&p);
	return rc;
}

#define MARK_ROOM 128 /* room kept after a compact object for a TLP marking */

/* text without the white space outside strings, in m->compact; NULL when
 * out of memory.  The text is valid JSON (jansson read it). */
static const char *compact(imp_t *m, const char *text, size_t len, size_t *out_len)
{
	const char *refs = m->digest.refs;
	m->digest.refs_at = 0;
	if (len + MARK_ROOM > m->compact_cap) {
		char *c = realloc(m->compact, len + MARK_ROOM);
		if (!c)
			return NULL;
		m->compact = c;
		m->compact_cap = len + MARK_ROOM;
	}
	char *d = m->compact;
	int in_str = 0;
	for (size_t i = 0; i < len; i++) {
		if (in_str) {
			/* copy the run up to the next '"' or '\\' whole */
			size_t j = i;
			while (len - j >= 8 && !scan_has(scan_word(text + j), '"') &&
			       !scan_has(scan_word(text + j), '\\'))
				j += 8;
			while (j < len && text[j] != '"' && text[j] != '\\')
				j++;
			memcpy(d, text + i, j - i);
			d += j - i;
			if ((i = j) >= len)
				break;
			*d++ = text[i];
			if (text[i] == '\\' && i + 1 < len)
				*d++ = text[++i];
			else
				in_str = 0;
			continue;
		}
		char ch = text[i];
		if (ch == '"') {
			*d++ = ch;
			in_str = 1;
		} else if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
			if (text + i == refs)
				m->digest.refs_at = (size_t)(d - m->compact);
			*d++ = ch;
		}
	}
	*d = '\0';
	*out_len = (size_t)(d - m->compact);
	return m->compact;
}

typedef struct {
	store_stix_t *want;
	int same; /* the version here has the same content */
} found_t;

static int rid_cb(void *arg, const store_stix_t *o)
{
	found_t *f = arg;
	if (o->vus != f->want->vus)
		return 0;
	f->want->rid = o->rid;
	f->same = o->json_len == f->want->json_len && !memcmp(o->json, f->want->json, o->json_len);
	return 1;
}

/* The rid of the version of row->id already here; *same (may be NULL):
 * whether it holds the same content as row. */
static int find_rid(store_t *st, store_stix_t *row, int *same)
{
	store_stix_filter_t f = {.view = TLP_VIEW_ALL, .tlp_max = TLP_RED, .id = row->id, .limit = 100000};
	found_t x = {.want = row};
	row->rid = 0;
	if (store_stix_list(st, &f, rid_cb, &x))
		return -1;
	if (same)
		*same = x.same;
	return row->rid ? 0 : (snprintf(st->err, sizeof st->err, "%s: version not found", row->id), -1);
}

/* The object is here (is_new: just added): into the import's collection,
 * and to the caller. */
static int keep_in(imp_t *m, const store_stix_t *row, int is_new)
{
	if (m->o->cid && store_coll_put(m->st, m->o->cid, row->rid))
		return snprintf(m->err, m->errlen, "store: %s", store_errmsg(m->st)), -1;
	if (m->o->on_object)
		m->o->on_object(m->o->arg, row, is_new);
	return 0;
}

typedef struct {
	const char *refs; /* where the value of object_marking_refs starts */
} refs_t;

static int refs_cb(void *arg, const char *key, size_t klen, const char *val, size_t vlen)
{
	refs_t *r = arg;
	(void)vlen;
	if (klen == 19 && !memcmp(key, "object_marking_refs", 19)) {
		r->refs = val;
		return 1;
	}
	return 0;
}

/* An object without a TLP marking is kept with the TLP it was given (the
 * import's), so that its label travels with it wherever it is served: the
 * marking is written into the compact text (m->compact, which has
 * MARK_ROOM bytes to spare), at the front of object_marking_refs, or as
 * that member when the object has none. */
static int mark_tlp(imp_t *m, json_t *obj, store_stix_t *row)
{
	tlp_t t;
	char ins[MARK_ROOM];
	size_t at;
	int n;
	if (!strcmp(row->type, "marking-definition") || !tlp_marked(obj, &t))
		return 0;
	const char *id = tlp_ids[row->tlp].id;
	refs_t r = {m->digest.refs_at ? m->compact + m->digest.refs_at : NULL};
	scan_t c = {.s = m->compact, .n = row->json_len};
	if (json_is_array(json_object_get(obj, "object_marking_refs")) &&
	    (r.refs || scan_object(&c, refs_cb, &r) == 1) && r.refs && *r.refs == '[') {
		at = (size_t)(r.refs - m->compact) + 1;
		n = snprintf(ins, sizeof ins, r.refs[1] == ']' ? "\"%s\"" : "\"%s\",", id);
	} else if (!json_object_get(obj, "object_marking_refs")) {
		at = 1;
		n = snprintf(ins, sizeof ins, "\"object_marking_refs\":[\"%s\"],", id);
	} else {
		return -1; /* not an array: stix_object_check refuses it first */
	}
	memmove(m->compact + at + n, m->compact + at, row->json_len - at + 1); /* with the NUL */
	memcpy(m->compact + at, ins, (size_t)n);
	row->json_len += (size_t)n;
	return 0;
}

typedef struct {
	int64_t org, origin;
	int found;
} first_t;

static int first_cb(void *arg, const store_stix_t *o)
{
	first_t *f = arg;
	*f = (first_t){.org = o->org_id, .origin = o->origin, .found = 1};
	return 1;
}

/* A STIX id belongs to the organisation that first gave it: may this import
 * add versions of row->id?  Yes for that organisation, and through
 * federation from the peer it first came through.  0 with *mine, or -1. */
static int owns_id(imp_t *m, const store_stix_t *row, int *mine)
{
	first_t f = {0};
	store_stix_filter_t q = {.view = TLP_VIEW_ALL, .tlp_max = TLP_RED, .id = row->id, .limit = 1};
	if (store_stix_list(m->st, &q, first_cb, &f))
		return snprintf(m->err, m->errlen, "store: %s", store_errmsg(m->st)), -1;
	*mine = !f.found || f.org == m->o->org_id || (f.origin && f.origin == m->o->origin);
	return 0;
}

/* Check and keep one object; text/len is the object as received. */
static int import_object(imp_t *m, json_t *obj, const char *text, size_t len)
{
	store_stix_t row = {0};
	char why[300];
	if (stix_object_check(obj, why, sizeof why))
		return snprintf(m->err, m->errlen, "%s", why), -1;
	const char *type = str(obj, "type"), *version = str(obj, "modified");
	if (!version)
		version = str(obj, "created");
	snprintf(row.id, sizeof row.id, "%s", str(obj, "id"));
	snprintf(row.type, sizeof row.type, "%s", type);
	snprintf(row.version, sizeof row.version, "%s", version ? version : "");
	snprintf(row.spec_version, sizeof row.spec_version, "%s",
		 str(obj, "spec_version") ? str(obj, "spec_version") : "2.1");
	long fixed = !strcmp(type, "marking-definition") ? tlp_index(row.id) : -1;
	if (fixed >= 0 && !tlp_fixed_ok(text, len, (size_t)fixed))
		return snprintf(m->err, m->errlen, "%s is the fixed %s marking definition; "
				"it cannot be given other content", row.id, tlp_fixed[fixed].name), -1;
	/* marking definitions are read by everyone who reads what they mark */
	row.tlp = fixed >= 0 ? TLP_CLEAR : stix_object_tlp(obj, m->o->tlp);
	row.org_id = m->o->org_id;
	row.indexed = -1;
	if (version && stix_time_us(version, &row.vus))
		return snprintf(m->err, m->errlen, "%s: bad version time '%s'", row.id, version), -1;
	row.origin = m->o->origin;
	if (!(row.json = compact(m, text, len, &row.json_len)))
		return snprintf(m->err, m->errlen, "%s: out of memory", row.id), -1;
	if (mark_tlp(m, obj, &row))
		return snprintf(m->err, m->errlen, "%s: 'object_marking_refs' is not a list", row.id), -1;
	int mine = 1;
	if (fixed < 0 && owns_id(m, &row, &mine))
		return -1;
	int rc = store_stix_put(m->st, &row);
	if (rc == STORE_EEXISTS) {
		int same;
		m->res->known++;
		if (find_rid(m->st, &row, &same))
			return snprintf(m->err, m->errlen, "store: %s", store_errmsg(m->st)), -1;
		if (!mine && !same) /* another's version, other content: not "already here" */
			return snprintf(m->err, m->errlen, "%s: another organisation gave this object; only it "
					"may add versions of it", row.id), -1;
		return keep_in(m, &row, 0);
	}
	if (rc)
		return snprintf(m->err, m->errlen, "store: %s", store_errmsg(m->st)), -1;
	if (!mine) /* the caller's transaction takes the row back out */
		return snprintf(m->err, m->errlen, "%s: another organisation gave this object; only it "
				"may add versions of it", row.id), -1;
	m->res->objects++;
	if (keep_in(m, &row, 1))
		return -1;
	for (int i = 0; i < m->o->nshare; i++)
		if (store_stix_share(m->st, row.rid, m->o->share[i]))
			return snprintf(m->err, m->errlen, "store: %s", store_errmsg(m->st)), -1;
	if (strcmp(type, "indicator"))
		return 0;
	m->res->indicators++;
	const char *ptype = str(obj, "pattern_type");
	if (strcmp(ptype, "stix") || json_is_true(json_object_get(obj, "revoked")))
		return 0;
	int n;
	if (index_values(m, obj, &row, &n))
		return -1;
	if (n >= 0) {
		m->res->indexed++;
		m->res->values += n;
	}
	return 0;
}

static long line_at(const char *s, size_t pos)
{
	long line = 1;
	for (const char *p = s, *end = s + pos; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		line++;
	return line;
}

/* The line of position at, counting on from the previous object's. */
static long line_of(imp_t *m, const char *buf, size_t at)
{
	if (at < m->line_pos) {
		m->line_pos = 0;
		m->line = 1;
	}
	for (const char *p = buf + m->line_pos, *end = buf + at;
	     (p = memchr(p, '\n', (size_t)(end - p))); p++)
		m->line++;
	m->line_pos = at;
	return m->line;
}

static int digest_cb(void *arg, const char *key, size_t klen, const char *val, size_t vlen)
{
	digest_t *g = arg;
	if (memchr(key, '\\', klen) || g->nkeys == DIGEST_KEYS) {
		g->whole = 1; /* escaped names compare only once decoded */
		return 1;
	}
	for (int i = 0; i < g->nkeys; i++)
		if (g->keys[i].n == klen && !memcmp(g->keys[i].k, key, klen)) {
			snprintf(g->dup, sizeof g->dup, "%.*s", (int)(klen < 60 ? klen : 60), key);
			return 2;
		}
	g->keys[g->nkeys].k = key;
	g->keys[g->nkeys++].n = klen;
	if (klen == 19 && !memcmp(key, "object_marking_refs", 19))
		g->refs = val;
	for (int i = 0; read_members[i]; i++)
		if (strlen(read_members[i]) == klen && !memcmp(read_members[i], key, klen)) {
			/* the scanner has checked the value: a string without
			 * escapes is its bytes (valid UTF-8, no control characters) */
			json_t *v = vlen >= 2 && *val == '"' && !memchr(val, '\\', vlen)
					    ? json_stringn_nocheck(val + 1, vlen - 2)
					    : json_loadb(val, vlen, JSON_DECODE_ANY, &g->je);
			if (!v || json_object_setn_new_nocheck(g->obj, key, klen, v)) {
				if (v)
					snprintf(g->je.text, sizeof g->je.text, "out of memory");
				g->bad = 1;
				return 3;
			}
			break;
		}
	return 0;
}

/* The object at c->pos (its '{'): checked by the scanner, which hands its
 * members to the digest, then imported; c->pos moves past it. */
static int one_object(imp_t *m, scan_t *c)
{
	json_error_t je;
	size_t at = c->pos;
	long line = line_of(m, c->s, at);
	digest_t *g = &m->digest;
	g->nkeys = g->whole = g->bad = 0;
	g->refs = NULL;
	if (!(g->obj = json_object()))
		return snprintf(m->err, m->errlen, "%s:%ld: out of memory", m->name, line), -1;
	int rc = scan_object(c, digest_cb, g);
	json_t *obj = g->obj;
	if (rc == 2 || rc == 3) {
		json_decref(obj);
		if (rc == 3)
			return snprintf(m->err, m->errlen, "%s:%ld: %s", m->name, line, g->je.text), -1;
		return snprintf(m->err, m->errlen, "%s:%ld: member '%s' given twice", m->name, line,
				g->dup), -1;
	}
	if (rc == 1) { /* read it whole: find its end first */
		c->pos = at;
		rc = scan_object(c, NULL, NULL);
	}
	if (rc || g->whole) {
		json_decref(obj);
		obj = NULL;
		g->refs = NULL; /* mark_tlp finds it */
	}
	if (c->pos - at > STIX_OBJECT_MAX) {
		json_decref(obj);
		return snprintf(m->err, m->errlen, "%s:%ld: an object larger than %zu bytes", m->name,
				line, STIX_OBJECT_MAX), -1;
	}
	if (rc || g->whole) {
		/* jansson says why it is not valid, or reads it when the digest cannot */
		size_t end = rc ? c->n : c->pos;
		obj = json_loadb(c->s + at, end - at, JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &je);
		if (!obj || rc) {
			json_decref(obj);
			return snprintf(m->err, m->errlen, "%s:%ld: %s", m->name,
					obj ? line : line + je.line - 1, obj ? "not valid JSON" : je.text), -1;
		}
	}
	char why[400];
	m->err[0] = '\0';
	rc = import_object(m, obj, c->s + at, c->pos - at);
	json_decref(obj);
	if (rc) {
		snprintf(why, sizeof why, "%s", m->err);
		snprintf(m->err, m->errlen, "%s:%ld: %s", m->name, line, why);
	}
	return rc;
}

static int scan_fail(imp_t *m, const scan_t *c, const char *what)
{
	snprintf(m->err, m->errlen, "%s:%ld: %s", m->name, line_at(c->s, c->pos < c->n ? c->pos : c->n),
		 what);
	return -1;
}

/* The "objects" array at a->pos (its '['): each object imported in turn;
 * a->pos moves past the ']'. */
static int objects(imp_t *m, scan_t *a)
{
	if (a->pos >= a->n || a->s[a->pos] != '[')
		return scan_fail(m, a, "'objects' must be an array");
	a->pos++;
	scan_ws(a);
	if (a->pos < a->n && a->s[a->pos] == ']')
		return a->pos++, 0;
	for (;;) {
		scan_ws(a);
		if (a->pos >= a->n || a->s[a->pos] != '{')
			return scan_fail(m, a, "expected a STIX object in 'objects'");
		if (one_object(m, a))
			return -1;
		util_progress_add(1, (int64_t)a->pos);
		scan_ws(a);
		if (a->pos < a->n && a->s[a->pos] == ',') {
			a->pos++;
			continue;
		}
		if (a->pos < a->n && a->s[a->pos] == ']')
			return a->pos++, 0;
		return scan_fail(m, a, "expected ',' or ']' in 'objects'");
	}
}

/* The top level of buf: a bundle, an envelope (o->envelope) or one object.
 * A bundle's objects are read where they are when "type" came before them
 * (as bundles write it), else once the top level has been read. */
static int scan_top(imp_t *m, const char *buf, size_t len)
{
	scan_t c = {.s = buf, .n = len};
	size_t objects_at = 0;
	int is_bundle = 0, has_objects = 0; /* 1: to read; 2: read */
	scan_ws(&c);
	if (c.pos >= c.n || buf[c.pos] != '{')
		return scan_fail(m, &c, "expected a JSON object (a STIX bundle or one STIX object)");
	size_t top = c.pos;
	c.pos++;
	for (;;) {
		scan_ws(&c);
		if (c.pos < c.n && buf[c.pos] == '}') {
			c.pos++;
			break;
		}
		if (c.pos >= c.n || buf[c.pos] != '"')
			return scan_fail(m, &c, "expected a member name");
		size_t key = c.pos;
		if (scan_string(&c))
			return scan_fail(m, &c, "a member name is not valid");
		size_t klen = c.pos - key;
		scan_ws(&c);
		if (c.pos >= c.n || buf[c.pos] != ':')
			return scan_fail(m, &c, "expected ':'");
		c.pos++;
		scan_ws(&c);
		size_t vat = c.pos;
		int is_objects = klen == 9 && !memcmp(buf + key, "\"objects\"", 9);
		if (is_objects && (is_bundle || m->o->envelope)) {
			if (objects(m, &c))
				return -1;
			has_objects = 2;
		} else if (scan_value(&c)) {
			return scan_fail(m, &c, "malformed JSON value");
		} else if (is_objects) {
			has_objects = 1;
			objects_at = vat;
		} else if (klen == 6 && !memcmp(buf + key, "\"type\"", 6)) {
			is_bundle = c.pos - vat == 8 && !memcmp(buf + vat, "\"bundle\"", 8);
		}
		scan_ws(&c);
		if (c.pos < c.n && buf[c.pos] == ',') {
			c.pos++;
			continue;
		}
		if (c.pos < c.n && buf[c.pos] == '}') {
			c.pos++;
			break;
		}
		return scan_fail(m, &c, "expected ',' or '}'");
	}
	scan_ws(&c);
	if (c.pos != c.n)
		return scan_fail(m, &c, "text after the JSON object");
	if (!is_bundle && !m->o->envelope) {
		if (has_objects == 2) /* "objects" before "type": read as objects, wrongly */
			return scan_fail(m, &c, "an envelope's objects in something that is not a bundle");
		scan_t one = {.s = buf, .n = c.n, .pos = top};
		return one_object(m, &one);
	}
	if (has_objects != 1)
		return 0;
	scan_t a = {.s = buf, .n = c.n, .pos = objects_at};
	return objects(m, &a);
}

int stix_import_json(store_t *st, json_t *obj, const stix_import_opts_t *o, stix_result_t *res,
		     char *err, size_t errlen)
{
	imp_t m = {.st = st, .o = o, .res = res, .name = "", .err = err, .errlen = errlen,
		   .line = 1};
	char *text = json_dumps(obj, JSON_COMPACT);
	if (!text)
		return snprintf(err, errlen, "out of memory"), -1;
	err[0] = '\0';
	int rc = import_object(&m, obj, text, strlen(text));
	free(text);
	free(m.compact);
	return rc;
}

int stix_import_buf(store_t *st, const char *buf, size_t len, const char *name,
		    const stix_import_opts_t *o, stix_result_t *res, char *err, size_t errlen)
{
	imp_t m = {.st = st, .o = o, .res = res, .name = name, .err = err, .errlen = errlen,
		   .line = 1};
	memset(res, 0, sizeof *res);
	util_progress_begin(name, (int64_t)len, NULL);
	int rc = scan_top(&m, buf, len);
	util_progress_end();
	free(m.compact);
	return rc;
}

int stix_import_file(store_t *st, const char *path, const stix_import_opts_t *o,
		     stix_result_t *res, char *err, size_t errlen)
{
	if (!strcmp(path, "-")) {
		char *buf = util_read_text("/dev/stdin", STIX_FILE_MAX, err, errlen);
		if (!buf)
			return -1;
		int rc = stix_import_buf(st, buf, strlen(buf), "stdin", o, res, err, errlen);
		free(buf);
		return rc;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((size_t)sb.st_size > STIX_FILE_MAX || sb.st_size == 0) {
		snprintf(err, errlen, "%s: %s", path, sb.st_size ? "larger than 1 GiB" : "empty");
		close(fd);
		return -1;
	}
	void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	madvise(map, (size_t)sb.st_size, MADV_SEQUENTIAL);
	int rc = stix_import_buf(st, map, (size_t)sb.st_size, path, o, res, err, errlen);
	munmap(map, (size_t)sb.st_size);
	return rc;
}

/* ---- ids ---- */

void stix_uuid5(const char *name, char out[37])
{
	/* the hub's namespace (a fixed random UUID) */
	static const uint8_t ns[16] = {0x4f, 0x3c, 0x0a, 0x4e, 0x5d, 0x2b, 0x4b, 0x7e,
				       0x9a, 0x53, 0x2f, 0x1c, 0x8e, 0x6d, 0x7a, 0x10};
	uint8_t h[20];
	gnutls_hash_hd_t hd;
	if (gnutls_hash_init(&hd, GNUTLS_DIG_SHA1) == 0) {
		gnutls_hash(hd, ns, sizeof ns);
		gnutls_hash(hd, name, strlen(name));
		gnutls_hash_deinit(hd, h);
	} else {
		memset(h, 0, sizeof h);
	}
	h[6] = (uint8_t)((h[6] & 0x0f) | 0x50);
	h[8] = (uint8_t)((h[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13],
		 h[14], h[15]);
}

void stix_uuid4(char out[37])
{
	uint8_t r[16];
	if (gnutls_rnd(GNUTLS_RND_NONCE, r, sizeof r))
		memset(r, 0, sizeof r);
	r[6] = (uint8_t)((r[6] & 0x0f) | 0x40);
	r[8] = (uint8_t)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13],
		 r[14], r[15]);
}

/* ---- export ---- */

typedef struct {
	FILE *out;
	long count;
	int first;
	int fail;
	int64_t orgs[4096]; /* identities to write */
	size_t norgs;
	int64_t last;       /* cursor */
} exp_t;

static void emit(exp_t *x, json_t *obj)
{
	if (!obj) {
		x->fail = 1;
		return;
	}
	fputs(x->first ? "\n" : ",\n", x->out);
	x->first = 0;
	if (json_dumpf(obj, x->out, JSON_COMPACT))
		x->fail = 1;
	json_decref(obj);
	x->count++;
}

static void stamp_ms(int64_t t, char buf[32])
{
	char b[32];
	model_time_fmt(t, b);
	/* "...:SSZ" -> "...:SS.000Z": STIX asks for milliseconds on created/modified */
	size_t n = strlen(b);
	snprintf(buf, 32, "%.*s.000Z", (int)(n - 1), b);
}

static void tlp_markings(exp_t *x)
{
	static const char *const names[] = {"clear", "green", "amber", "amber+strict"};
	static const char *const titles[] = {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT"};
	for (int t = 0; t < 4; t++)
		emit(x, json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}", "type",
				  "marking-definition", "spec_version", "2.1", "id", tlp_ids[t].id,
				  "created", "2022-10-01T00:00:00.000Z", "name", titles[t], "extensions",
				  TLP2_EXT, "extension_type", "property-extension", "tlp_2_0", names[t]));
}

static int stored_cb(void *arg, const store_stix_t *o)
{
	exp_t *x = arg;
	tlp_t t;
	x->last = o->rid;
	if (!strcmp(o->type, "marking-definition") && !tlp_of_id(o->id, &t))
		return 0; /* written once, above */
	fputs(x->first ? "\n" : ",\n", x->out);
	x->first = 0;
	fputs(o->json, x->out);
	x->count++;
	return 0;
}

static const char *indicator_type(const char *classification)
{
	if (!strncmp(classification, "intrusions/", 11))
		return "compromised";
	if (!strncmp(classification, "other/", 6) || !strncmp(classification, "vulnerable/", 11))
		return "anomalous-activity";
	return "malicious-activity";
}

static void identity_name(int64_t org_id, char *buf, size_t size)
{
	snprintf(buf, size, "org:%lld", (long long)org_id);
}

static int native_cb(void *arg, const indicator_t *ind)
{
	exp_t *x = arg;
	obs_t o;
	char pattern[OBS_VALUE_MAX * 2 + 64], uuid[37], id[64], by[64], name[MODEL_NAME_MAX + 600];
	char created[32], modified[32], from[32], until[32];
	x->last = ind->id;
	if (!strcmp(ind->classification, RSIT_FALSE_POSITIVE) ||
	    obs_from_canonical(ind->type, ind->value, strlen(ind->value), &o) ||
	    stix_pattern_of(&o, pattern, sizeof pattern))
		return 0;
	snprintf(name, sizeof name, "indicator|%s|%s|%s|%lld", obs_type_name(ind->type), ind->value,
		 ind->source, (long long)ind->org_id);
	stix_uuid5(name, uuid);
	snprintf(id, sizeof id, "indicator--%s", uuid);
	identity_name(ind->org_id, name, sizeof name);
	stix_uuid5(name, uuid);
	snprintf(by, sizeof by, "identity--%s", uuid);
	size_t k = 0;
	while (k < x->norgs && x->orgs[k] != ind->org_id)
		k++;
	if (k == x->norgs && x->norgs < sizeof x->orgs / sizeof *x->orgs)
		x->orgs[x->norgs++] = ind->org_id;
	stamp_ms(ind->created, created);
	stamp_ms(ind->updated > ind->created ? ind->updated : ind->created, modified);
	stamp_ms(ind->first_seen ? ind->first_seen : ind->created, from);
	json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:s, s:s, s:s, s:s, s:i, "
				"s:[s], s:[s]}",
				"type", "indicator", "spec_version", "2.1", "id", id, "created_by_ref", by,
				"created", created, "modified", modified, "name", ind->value,
				"indicator_types", indicator_type(ind->classification), "pattern", pattern,
				"pattern_type", "stix", "pattern_version", "2.1", "valid_from", from,
				"confidence", ind->confidence, "labels", ind->classification,
				"object_marking_refs", tlp_ids[ind->tlp].id);
	if (obj && ind->valid_until > (ind->first_seen ? ind->first_seen : ind->created)) {
		stamp_ms(ind->valid_until, until);
		json_object_set_new(obj, "valid_until", json_string(until));
	}
	emit(x, obj);
	return 0;
}

static void identities(exp_t *x, store_t *st)
{
	for (size_t i = 0; i < x->norgs; i++) {
		org_t og;
		char name[64], uuid[37], id[64], created[32];
		if (store_org_get(st, x->orgs[i], &og))
			continue;
		identity_name(og.id, name, sizeof name);
		stix_uuid5(name, uuid);
		snprintf(id, sizeof id, "identity--%s", uuid);
		stamp_ms(og.created, created);
		emit(x, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", "identity",
				  "spec_version", "2.1", "id", id, "created", created, "modified", created,
				  "name", og.name, "identity_class", "organization"));
	}
}

int stix_export(store_t *st, const stix_export_opts_t *o, FILE *out, long *count, char *err,
		size_t errlen)
{
	exp_t *x = calloc(1, sizeof *x);
	char uuid[37];
	int rc = -1;
	if (!x)
		return snprintf(err, errlen, "out of memory"), -1;
	x->out = out;
	x->first = 1;
	stix_uuid4(uuid);
	fprintf(out, "{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":[", uuid);
	tlp_markings(x);
	/* the objects kept as they came, then the hub's own indicators */
	store_stix_filter_t sf = {.view = {.max_tlp = TLP_GREEN, .org = o->viewer_org}, .tlp_max = TLP_AMBER_STRICT,
				  .limit = 1000};
	for (;;) {
		int64_t was = x->last;
		sf.after_rid = x->last;
		if (store_stix_list(st, &sf, stored_cb, x))
			goto fail;
		if (x->last == was)
			break;
	}
	x->last = 0;
	store_filter_t f = {.view = {.max_tlp = TLP_GREEN, .org = o->viewer_org}, .tlp_max = TLP_AMBER_STRICT, .limit = 1000,
			    .native = 1};
	for (;;) {
		int64_t was = x->last;
		f.after_id = x->last;
		if (store_list_indicators(st, &f, native_cb, x))
			goto fail;
		if (x->last == was)
			break;
	}
	identities(x, st);
	fputs("\n]}\n", out);
	if (x->fail || ferror(out)) {
		snprintf(err, errlen, "writing the bundle failed");
		goto done;
	}
	*count = x->count;
	rc = 0;
	goto done;
fail:
	snprintf(err, errlen, "store: %s", store_errmsg(st));
done:
	free(x);
	return rc;
}
