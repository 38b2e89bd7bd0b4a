/* rep.h — reputation: the score the hub gives a value, and why.
 *
 * What it owns: the scoring model — trust in each reporting source and
 * organisation, a decay model per classification, the DNS blocklist answer
 * code per classification — and the one function that turns a value's
 * reports into a score 0..100 with an explanation.  The defaults come from
 * data/reputation.conf (built into the binary); an operator's file given
 * with --reputation overrides them line by line; trust set with
 * `c5hub trust` lives in the store and is added by the caller.
 *
 * The model, per report i (one indicator row: one source of one org):
 *   age_i    = now - last_seen_i
 *   w_i      = confidence_i * trust_i / 100 * max(0, 1 - (age_i / lifetime)^(1 / speed))
 *              (lifetime, speed from the report's classification: MISP's
 *              polynomial decay), 0 once valid_until has passed
 *   listed   = 100 * (1 - prod_i (1 - w_i / 100))      (independent reporters:
 *              each further reporter raises the score, none can pass 100)
 * and each active false-positive report j (classification "false-positive")
 * multiplies the result by (1 - confidence_j * trust_j / 10000): one from a
 * fully trusted analyst ends the listing.  The score is listed, rounded.
 *
 * Times are whole minutes since REP_EPOCH (24 bits: to 2051), the unit the
 * look-up index keeps, so that every path computes the same score.
 * Nothing here is recomputed in bulk: a score is a few multiplications over a
 * value's reports at the moment it is asked for. */
#ifndef C5_REP_H
#define C5_REP_H

#include <stddef.h>
#include <stdint.h>

#define REP_EPOCH 1577836800 /* 2020-01-01T00:00:00Z */
#define REP_MINUTES_MAX 0xFFFFFF
#define REP_FALSE_POSITIVE "false-positive"

typedef struct rep_model rep_model_t;

typedef struct {
	uint32_t lifetime; /* minutes; 0 = never decays */
	double speed;      /* > 0 */
} rep_decay_t;

/* Unix seconds as index minutes: rep_minutes rounds down (last seen),
 * rep_minutes_up rounds up (valid until: never end early); 0 stays 0. */
uint32_t rep_minutes(int64_t t);
uint32_t rep_minutes_up(int64_t t);
int64_t rep_seconds(uint32_t minutes);

/* ---- the model ---- */
/* A model holding the built-in defaults (data/reputation.conf). */
rep_model_t *rep_model_new(char *err, size_t errlen);
void rep_model_free(rep_model_t *m);
/* Apply a reputation file on top (its lines replace what they name).  0, or
 * -1 with "file:line: reason" in err and the model unchanged. */
int rep_model_load(rep_model_t *m, const char *path, char *err, size_t errlen);
int rep_model_parse(rep_model_t *m, const char *text, const char *name, char *err, size_t errlen);

/* Trust 0..100.  A source's own trust wins over its organisation's, which
 * wins over the default.  value -1 removes a setting. */
int rep_trust_set_default(rep_model_t *m, int value);
int rep_trust_set_source(rep_model_t *m, const char *source, int value);
int rep_trust_set_org(rep_model_t *m, int64_t org, int value);
int rep_trust(const rep_model_t *m, const char *source, int64_t org);
/* Forget every trust setting but the file's. */
void rep_trust_clear(rep_model_t *m);
/* A number that changes when any trust rep_trust() answers may (the
 * defaults, every source's and organisation's): what an index that baked
 * trust in (an index image) checks before it is reused. */
uint64_t rep_trust_fingerprint(const rep_model_t *m);

/* Decay for "class/type": the pair's own, else its class's, else default. */
const rep_decay_t *rep_decay(const rep_model_t *m, const char *classification);
/* The last octet of the DNSBL answer 127.0.0.N, the same lookup order. */
int rep_code(const rep_model_t *m, const char *classification);

/* ---- scoring ---- */
typedef struct {
	int conf, trust;        /* 0..100 */
	uint32_t seen, until;   /* minutes; until 0 = no end */
	const char *cls;        /* classification */
} rep_report_t;

typedef enum { REP_ACTIVE = 0, REP_DECAYED, REP_EXPIRED, REP_FP, REP_FP_EXPIRED } rep_state_t;

typedef struct { /* why one report counts as it does */
	rep_state_t state;
	uint32_t age;        /* minutes */
	double decay;        /* factor applied, 0..1 (1 for false positives) */
	double weight;       /* its contribution (for REP_FP: its strength) */
	rep_decay_t d;
} rep_why_t;

typedef struct {
	int score;      /* 0..100 */
	int reporters;  /* reports that still count (w > 0) */
	int fps;        /* active false-positive reports */
	int best;       /* index of the strongest contributing report, -1 none */
} rep_result_t;

/* Score n reports at time now (minutes); why (n entries) may be NULL. */
void rep_score(const rep_model_t *m, const rep_report_t *r, size_t n, uint32_t now,
	       rep_result_t *res, rep_why_t *why);

/* Is a value with this result listed?  Never when it is on a warning list
 * (wlist: the list's name, or NULL); else when the score is above 0, at
 * least min_score, and some report contributes.  Every path that publishes
 * (DNS, the API, block lists, the CLI) decides with this. */
int rep_listed(const rep_result_t *res, int min_score, const char *wlist);

const char *rep_state_name(rep_state_t s);

#endif
