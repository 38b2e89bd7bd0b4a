/* assess.h — national self-assessment: questionnaires as data (pillars ->
 * indicators -> questions, validated on load with the file and the JSON
 * path of each error), conditions on earlier answers (a small expression
 * language, as XLSForm's `relevant`), the scores of one assessment
 * (question -> indicator -> pillar 0-20 -> total 0-100, tiers, the CMM
 * stage per indicator) and the roadmap (rules as data: gaps trigger
 * actions, priority = gap x weight, prerequisites first).
 *
 * Pure computation: nothing here reads the store (src/store/store_assess.h
 * keeps questionnaires, assessments, answers and roadmap items).  The
 * composite index across many entities is src/cindex/'s. */
#ifndef C5_ASSESS_H
#define C5_ASSESS_H

#include <stddef.h>

#define ASSESS_ID_MAX 64        /* question, indicator, pillar, action ids */
#define ASSESS_VALUE_MAX 4096   /* one answer's value                      */
#define ASSESS_COND_MAX 1024    /* one condition's text                    */
#define ASSESS_NSTAGES 5        /* CMM: start-up .. dynamic                */

typedef enum {
	AQ_YESNO,   /* "yes" / "no"                                  */
	AQ_YPN,     /* "yes" / "partial" / "no"                      */
	AQ_CHOICE,  /* one of the options                            */
	AQ_MULTI,   /* options, comma-separated                      */
	AQ_NUMBER,  /* a number; scored against "target" when given  */
	AQ_PERCENT, /* 0..100                                        */
	AQ_DATE,    /* YYYY-MM-DD (not scored)                       */
	AQ_TEXT,    /* free text (not scored)                        */
	AQ_NTYPES
} assess_qtype_t;
const char *assess_qtype_name(assess_qtype_t t); /* "yes-no", ... */

/* The hub's own figures a question may name with "hub" (assess_run.c's
 * assess_hub_answer reads them): 1 when name is one and can answer a
 * question of type t (team, contacts_247: yes-no, yes-partial-no; feeds
 * and the *_time medians in hours: number; the shares in %: percentage or
 * number), else 0. */
#define ASSESS_HUB_NAMES                                                                       \
	"team, contacts_247, feeds, abuse_contact_share, notices_delivered, ack_time, "         \
	"response_time, resolution_time, sla_ack, sla_response, sla_resolution"
int assess_hub_known(const char *name, assess_qtype_t t);
/* "start-up", "formative", "established", "strategic", "dynamic" for 1..5;
 * "none" for 0, "" for -1 (no staged question) */
const char *assess_stage_name(int stage);
int assess_stage_parse(const char *s); /* 1..5, or -1 */

typedef struct assess_cond assess_cond_t; /* a parsed condition (opaque) */

typedef struct {
	char *value, *label;
	double score; /* 0..1 */
} assess_opt_t;

typedef struct {
	char *id, *text;
	assess_qtype_t type;
	double weight;       /* >= 0; 0: informational                  */
	int stage;           /* 1..5, or 0: none                        */
	int evidence;        /* evidence required                       */
	assess_opt_t *opts;  /* choice, multi                           */
	size_t nopts;
	double target;       /* number: the value scoring 1 (0: none)   */
	char *hub;           /* operational figure answering it, or NULL */
	char *cond_text;     /* the condition as written, or NULL       */
	assess_cond_t *cond;
	size_t ind;          /* its indicator                           */
} assess_q_t;

typedef struct {
	char *id, *title;
	double weight;
	size_t first_q, nq; /* its questions: q[first_q .. first_q+nq)  */
	size_t pillar;
} assess_ind_t;

typedef struct {
	char *id, *title;
	double weight;
	size_t first_ind, nind;
} assess_pillar_t;

typedef struct {
	char *name;
	double min; /* total (0..100) from which this tier holds */
} assess_tier_t;

typedef struct {
	char *name, *title;
	int version;
	assess_pillar_t *p;
	size_t np;
	assess_ind_t *ind;
	size_t nind;
	assess_q_t *q;
	size_t nq;
	assess_tier_t *tiers; /* highest min first */
	size_t ntiers;
} assess_qn_t;

/* Parse and validate a questionnaire (JSON text of len bytes; file names it
 * in errors).  0 with *out (free with assess_qn_free), or -1 with err: one
 * line per error, "file: $.pillars[0].indicators[1].questions[2].type:
 * unknown type 'yesno'" (at most 20 errors), nothing allocated. */
int assess_qn_parse(const char *text, size_t len, const char *file, assess_qn_t **out, char *err,
		    size_t errlen);
void assess_qn_free(assess_qn_t *qn);
/* The index of question / indicator / pillar id, or -1. */
long assess_q_find(const assess_qn_t *qn, const char *id);
long assess_ind_find(const assess_qn_t *qn, const char *id);

/* Is value a valid answer to q?  0, or -1 with err naming the question. */
int assess_answer_check(const assess_q_t *q, const char *value, char *err, size_t errlen);

/* ---- conditions ----
 * expr := or; or := and {"or" and}; and := not {"and" not};
 * not := "not" not | cmp; cmp := term [("="|"!="|"<"|"<="|">"|">=") term];
 * term := "(" expr ")" | ${ID} | 'string' | "string" | number
 *       | selected(${ID}, 'value') | count-selected(${ID})
 * An unanswered (or not relevant) question reads as ''.  Numbers compare
 * as numbers when both sides read as numbers, else as strings.  find
 * resolves an id to a question index below limit (earlier questions only),
 * -1 otherwise.  Parse: 0 with *out, or -1 with err ("at 7: ..."). */
typedef long (*assess_find_fn)(void *arg, const char *id);
int assess_cond_parse(const char *text, assess_find_fn find, void *arg, assess_cond_t **out,
		      char *err, size_t errlen);
/* vals[i]: question i's answer, or NULL.  1 true, 0 false. */
int assess_cond_eval(const assess_cond_t *c, const char *const *vals);
void assess_cond_free(assess_cond_t *c);

/* ---- scores ---- */
typedef struct {
	int relevant;  /* its condition holds (or it has none)        */
	int answered;
	int scored;    /* takes part in its indicator's score          */
	double score;  /* 0..1                                         */
	int met;       /* score 1 (for stages)                         */
} assess_qscore_t;

typedef struct {
	double score;   /* 0..1 weighted mean of its scored questions, -1 none */
	int stage;      /* CMM stage reached 0..5, -1: no staged question */
	int relevant, answered;
} assess_iscore_t;

typedef struct {
	assess_qscore_t *q;     /* nq   */
	assess_iscore_t *ind;   /* nind */
	double *pillar;         /* np, 0..20 */
	double total;           /* 0..100 */
	size_t tier;            /* index in qn->tiers (ntiers: none) */
	int relevant, answered; /* questions: progress */
} assess_result_t;

/* Score answers vals (vals[i] for question i, NULL unanswered) against qn.
 * A question not relevant is left out and its indicator reweighted; a
 * relevant one unanswered scores 0.  Indicator: weighted mean of its scored
 * questions (no scored question: left out of its pillar); pillar: 20 x
 * weighted mean of its indicators; total: 100 x weighted mean of the
 * pillars / 20.  Stage: the highest stage s (with questions) such that
 * every relevant question of stage <= s is met.  0, or -1 (out of
 * memory). */
int assess_score(const assess_qn_t *qn, const char *const *vals, assess_result_t *r);
void assess_result_free(assess_result_t *r);

/* ---- roadmap ---- */
typedef struct {
	char *id, *action, *area, *owner, *horizon;
	char **pre; /* prerequisite action ids */
	size_t npre;
} assess_action_t;

typedef struct {
	char *indicator; /* an indicator id                           */
	double below;    /* gap when its score (0..1) is below this  */
	int stage;       /* or: gap when this stage is not reached   */
	char **acts;
	size_t nacts;
} assess_rule_t;

typedef struct {
	assess_action_t *a;
	size_t na;
	assess_rule_t *r;
	size_t nr;
} assess_rules_t;

/* Parse the roadmap rules (JSON: {"actions": [...], "rules": [...]}),
 * checking ids, references and that prerequisites have no cycle.  0 with
 * *out, or -1 with err ("file: $.rules[3].actions[0]: no action 'x'"). */
int assess_rules_parse(const char *text, size_t len, const char *file, assess_rules_t **out,
		       char *err, size_t errlen);
void assess_rules_free(assess_rules_t *rs);

typedef struct {
	size_t action;    /* index in rs->a                          */
	double priority;  /* points of the total (0..100) at stake     */
	char why[160];    /* "tech.cirt 0.40 < 0.80" / "stage ..."    */
} assess_step_t;

/* The roadmap for result r: every rule whose gap holds triggers its
 * actions with priority = gap x the indicator's weight in the total (x 100;
 * a stage gap is (target - reached) / 5); an action keeps its highest
 * priority; prerequisites are pulled in with the priority of what needs
 * them and always come before it; otherwise highest priority first (ties:
 * catalogue order).  Rules naming an indicator qn lacks are skipped.
 * 0 with *out (free) and *n, or -1 (out of memory). */
int assess_plan(const assess_qn_t *qn, const assess_result_t *r, const assess_rules_t *rs,
		assess_step_t **out, size_t *n);

#endif
