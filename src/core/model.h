/* model.h — the data model shared by every module: indicators, organisations,
 * tokens, TLP levels, roles, and the Reference Security Incident Taxonomy. */
#ifndef C5_MODEL_H
#define C5_MODEL_H

#include <stdint.h>
#include <time.h>

#include "obs.h"

/* TLP 2.0, ordered from the widest audience to the narrowest. */
typedef enum {
	TLP_CLEAR = 0,
	TLP_GREEN,
	TLP_AMBER,
	TLP_AMBER_STRICT,
	TLP_RED,
	TLP_NLEVELS
} tlp_t;

const char *tlp_name(tlp_t t);           /* "clear", "amber+strict", ...  */
int tlp_parse(const char *s, tlp_t *out); /* 0, or -1 when unknown         */

/* Who is looking: the one input of the visibility rule below. */
typedef struct {
	tlp_t max_tlp; /* sees every object at or under this level, whoever gave it:
			  GREEN for a member (the community), CLEAR for the public,
			  the published level for the DNS blocklist and block lists */
	int64_t org;   /* the organisation looking; 0: nobody in particular */
	int all;       /* the hub's own team: sees everything */
	int peer;      /* a peer hub: never sees RED, whoever gave it or named it */
} tlp_view_t;

/* Everything (the operator's CLI, the hub's own checks). */
#define TLP_VIEW_ALL ((tlp_view_t){.max_tlp = TLP_RED, .all = 1})

/* THE visibility rule of TLP 2.0 in c5hub, for every object (indicator,
 * STIX object, warning, event): may v see an object at level tlp, given by
 * organisation giver, when v's organisation is (named = 1) or is not a named
 * recipient of it?  CLEAR and GREEN: the members; AMBER, AMBER+STRICT and
 * RED: the giver, the named recipients and the hub's own team; RED never to
 * a peer hub.  The store's SQL (SQ_VISIBLE in store_sqlite_int.h) is the
 * same rule; tests/unit/test_tlp.c checks both against TLP 2.0's table. */
static inline int tlp_visible(const tlp_view_t *v, tlp_t tlp, int64_t giver, int named)
{
	if (v->peer && tlp >= TLP_RED)
		return 0;
	return tlp <= v->max_tlp || v->all || (v->org != 0 && (giver == v->org || named));
}

/* ROLE_PEER: a peer hub (federation): reads and contributes like a
 * contributor, and is never given RED nor what came from it. */
typedef enum { ROLE_READER = 0, ROLE_CONTRIBUTOR, ROLE_ANALYST, ROLE_ADMIN, ROLE_PEER } role_t;
const char *role_name(role_t r);
int role_parse(const char *s, role_t *out);

/* Organisation types (stakeholder groups of the Global Cybersecurity Agenda). */
const char *org_type_check(const char *s); /* canonical name, or NULL */

/* Classification "class/type" per the Reference Security Incident Taxonomy,
 * or "false-positive": a report that the value is NOT bad (it lowers or ends
 * the value's reputation, see rep.h; MISP's false-positive sighting).
 * Returns 0 when s names a known class/type pair; -1 otherwise. */
int rsit_check(const char *s);
int rsit_class_check(const char *s); /* a class alone ("malicious-code") */
#define RSIT_DEFAULT "other/undetermined"
#define RSIT_FALSE_POSITIVE "false-positive"

#define MODEL_NAME_MAX 128   /* org names, source names */
#define MODEL_CLASS_MAX 64

/* One indicator: an observable with a meaning.  Times are Unix seconds,
 * 0 meaning "not set". */
typedef struct {
	int64_t id;
	obs_type_t type;
	char value[OBS_VALUE_MAX + 1];
	char source[MODEL_NAME_MAX + 1];
	tlp_t tlp;
	int confidence; /* 0..100 */
	char classification[MODEL_CLASS_MAX + 1];
	int64_t first_seen, last_seen, valid_until;
	int64_t org_id;
	char org_name[MODEL_NAME_MAX + 1]; /* filled on read */
	int64_t created, updated;
} indicator_t;

typedef struct {
	int64_t id;
	char name[MODEL_NAME_MAX + 1];
	char type[32];
	char country[3];
	int64_t created;
	char auth_policy[12]; /* any, token, certificate, both */
} org_t;

/* The times the model holds: Unix seconds 0 (1970-01-01T00:00:00Z) to
 * MODEL_TIME_MAX (9999-12-31T23:59:59Z), the range RFC 3339 can write. */
#define MODEL_TIME_MAX INT64_C(253402300799)
#define MODEL_TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/* Format t as RFC 3339 UTC ("2026-11-22T10:00:00Z") into buf (at least
 * MODEL_TIME_LEN bytes); returns buf.  Total: always 20 characters and a NUL,
 * a t outside 0..MODEL_TIME_MAX written as the nearest end of the range. */
char *model_time_fmt(int64_t t, char *buf);
/* Parse RFC 3339 / ISO 8601 ("2026-11-22", "2026-11-22T10:00:00Z", with an
 * optional fraction and +hh:mm offset, or a space for 'T') or Unix seconds.
 * Returns 0, or -1 for bad syntax or a time outside 0..MODEL_TIME_MAX (what
 * model_time_fmt cannot write back); callers name the field. */
int model_time_parse(const char *s, int64_t *out);
/* "90", "90s", "15m", "1h", "7d" -> seconds (up to a year); 0 or -1. */
int model_duration_parse(const char *s, int64_t *out);

/* An ISO 3166 alpha-2 shape: two letters, written upper-case into out[3]. */
int model_country_ok(const char *s, char out[3]);

/* A valid organisation or source name: 1..128 bytes, printable, no controls. */
int model_name_ok(const char *s);

#endif
