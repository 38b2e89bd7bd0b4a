/* assess_run.h — an assessment's life over the store, the one core the CLI,
 * the API and the console call: load a questionnaire version, start an
 * assessment, answer (checked against its question), review, submit and
 * validate (state rules here only), answer from the hub's own figures,
 * score, make and keep the roadmap, export (CSV, JSON, printable HTML).
 *
 * Writes happen inside the caller's transaction (and the caller writes
 * the audit entry).  Visibility: assess_ctx_open answers STORE_ENOTFOUND
 * for an assessment the view may not see (tlp_visible), as for an unknown
 * one. */
#ifndef C5_ASSESS_RUN_H
#define C5_ASSESS_RUN_H

#include <stdio.h>

#include "assess/assess.h"
#include "store/store_assess.h"

/* Validate text (file names it in errors) and store it as a new version.
 * 0 with *out (json NULL), STORE_EEXISTS when name and version are held, -1
 * with err (every error with its JSON path). */
int assess_qn_load(store_t *st, const char *text, size_t len, const char *file, store_qn_t *out,
		   char *err, size_t errlen);

/* The built-in questionnaire and roadmap rules (data/assess/). */
extern const char data_assess_default_json[], data_assess_roadmap_json[];

typedef struct {
	store_assess_t a;
	assess_qn_t *qn;
	char **vals;            /* nq: each answer (malloc'd) or NULL     */
	store_answer_t **ans;   /* nq: each stored answer or NULL          */
	tlp_view_t view;        /* who opened it: evidence named must be
				   visible to them too                    */
} assess_ctx_t;

int assess_ctx_open(store_t *st, int64_t id, const tlp_view_t *view, assess_ctx_t *c, char *err,
		    size_t errlen);
void assess_ctx_free(assess_ctx_t *c);

/* Start an assessment of entity for period with questionnaire name (version
 * 0: the latest), given by org at level tlp.  0 with *out, or -1 with err. */
int assess_new(store_t *st, const char *entity, int64_t org, const char *qn_name, int version,
	       const char *period, tlp_t tlp, const char *actor, store_assess_t *out, char *err,
	       size_t errlen);

/* Answer question qid (only in draft; value checked against the question;
 * evidence: ids of evidence files held, comma-separated, or NULL).  source
 * "" for a person.  0, or -1 with err naming the question. */
int assess_answer(store_t *st, assess_ctx_t *c, const char *qid, const char *value,
		  const char *evidence, const char *actor, const char *source, char *err,
		  size_t errlen);

/* Review an answer (submitted only): accept (1) or reject (0, a comment
 * required).  0, or -1 with err. */
int assess_review(store_t *st, assess_ctx_t *c, const char *qid, int accept, const char *reviewer,
		  const char *comment, char *err, size_t errlen);

/* draft -> submitted (every relevant question answered, evidence given
 * where required); submitted -> validated (every relevant answer
 * accepted); submitted -> draft (sent back).  0, or -1 with err saying
 * what is missing (the first few question ids). */
int assess_set_state(store_t *st, assess_ctx_t *c, const char *state, const char *actor, char *err,
		     size_t errlen);

/* Answer every question configured with "hub" from the hub's own figures
 * (team, feeds, abuse_contact_share, notices_delivered), each with the
 * figure it came from as its source.  *n answered.  0, or -1 with err. */
int assess_hub_answer(store_t *st, assess_ctx_t *c, const char *actor, int *n, char *err,
		      size_t errlen);

/* Score c (assess_score on its answers). */
int assess_ctx_score(const assess_ctx_t *c, assess_result_t *r);

/* Make the roadmap from the rules (NULL: the built-in ones) and keep it
 * (store_road_put: states and assignees kept).  0, or -1 with err. */
int assess_roadmap_make(store_t *st, assess_ctx_t *c, const assess_rules_t *rules, char *err,
			size_t errlen);

/* The assessment of the same entity before c's (by period) that view may
 * see: its id, or 0. */
int64_t assess_previous(store_t *st, const assess_ctx_t *c, const tlp_view_t *view);

/* Exports: every score at every level (CSV: level,id,title,score,max,stage),
 * JSON (scores, answers, roadmap, previous), a printable HTML report.  0, or
 * -1 (write or store error). */
int assess_export_csv(const assess_ctx_t *c, const assess_result_t *r, FILE *f);
int assess_export_json(store_t *st, const assess_ctx_t *c, const assess_result_t *r,
		       const tlp_view_t *view, FILE *f);
int assess_export_html(store_t *st, const assess_ctx_t *c, const assess_result_t *r,
		       const tlp_view_t *view, FILE *f);

/* ---- the ranking among entities (src/cindex/'s composite index) ----
 * The assessments view may see that answered the same questionnaire
 * version for the same period (the newest of each entity), their
 * indicator scores (0..1) as the matrix: goalposts 0..1 (the scores' own
 * scale), the questionnaire's weights (expert), arithmetic aggregation,
 * missing values excluded; a Monte Carlo of runs (seed 1, weights +-20 %)
 * when there are two entities or more.  *out ordered by rank (free), *n,
 * the method stated in method.  0, or -1 with err. */
typedef struct {
	int64_t id;
	char entity[129];
	char state[12];
	double score;              /* the composite, 0..1 */
	size_t rank, median, p05, p95; /* ranks (Monte Carlo: 0 when none) */
	char driver[65];           /* the pillar contributing most */
} assess_rank_t;
int assess_ranking(store_t *st, const assess_ctx_t *c, const tlp_view_t *view, size_t runs,
		   assess_rank_t **out, size_t *n, char *method, size_t mlen, char *err, size_t errlen);

#endif
