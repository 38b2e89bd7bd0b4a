/* api_assess.h — the assessment changes of one request, shared by the API
 * (api_assess.c's routes) and the console (web_assess.c): who may do what,
 * and each change in one transaction with its audit entry.
 *
 * Who: an assessment is seen through the one visibility rule (tlp_visible
 * with auth_view; not seen = 404, as unknown); it is changed only by its
 * own organisation or the hub's team.  Contributors start, answer and
 * submit; analysts and administrators (reviewers) review answers, validate,
 * send back and keep the roadmap.
 *
 * Every function returns 0, or an HTTP status (400, 403, 404, 409, 500)
 * with the reason in err (a 400's reason starts with the field or question
 * at fault). */
#ifndef C5_API_ASSESS_H
#define C5_API_ASSESS_H

#include "assess/assess_run.h"
#include "http/http.h"

/* Open assessment idtext for r (write: for a change; role as above is the
 * caller's to check).  0 with *c (assess_ctx_free). */
int api_assess_open(http_req_t *r, store_t *st, const char *idtext, int write, assess_ctx_t *c,
		    char *err, size_t errlen);

/* Start one for r's organisation: questionnaire NULL = the built-in one
 * (loaded on first use).  0 with *out. */
int api_assess_new(http_req_t *r, const char *entity, const char *period, const char *tlp,
		   const char *questionnaire, store_assess_t *out, char *err, size_t errlen);

/* Answer: answers is a JSON object {question: value (string or number),
 * or {"value": V, "evidence": "IDS"}}; all or none.  evidence: the ids for
 * every answer without its own, or NULL. */
int api_assess_answer(http_req_t *r, int64_t id, json_t *answers, const char *evidence, char *err,
		      size_t errlen);

/* The same with files sent with the answers (the console's form): each
 * stored as evidence (holder "assessment:ID", with its SHA-256; the
 * assessment's organisation and TLP) and its id added to its question's
 * evidence — in the answers' transaction.  A file's question keeps its
 * stored value when the form gives none (none at all: 400). */
typedef struct {
	const char *question;
	const char *name;     /* as sent */
	const void *data;     /* borrowed */
	size_t len;
} api_assess_file_t;
int api_assess_answer_files(http_req_t *r, int64_t id, json_t *answers, const char *evidence,
			    const api_assess_file_t *files, size_t nfiles, char *err, size_t errlen);

int api_assess_review(http_req_t *r, int64_t id, const char *question, int accept,
		      const char *comment, char *err, size_t errlen);

/* state: submitted (contributors), validated or draft (reviewers). */
int api_assess_state(http_req_t *r, int64_t id, const char *state, char *err, size_t errlen);

/* action NULL: make (or refresh) the roadmap; else set action's state
 * (proposed, accepted, deferred, done) and assignee (NULL: kept). */
int api_assess_roadmap(http_req_t *r, int64_t id, const char *action, const char *state,
		       const char *assignee, char *err, size_t errlen);

/* ---- routes (http.c) ---- */
int api_assessments_list(http_req_t *r); /* GET  /api/v1/assessments[?entity=]        */
int api_assessments_post(http_req_t *r); /* POST /api/v1/assessments                  */
int api_assessment_get(http_req_t *r);   /* GET  /api/v1/assessments/{id}[?format=]   */
int api_assessment_post(http_req_t *r);  /* POST /api/v1/assessments/{id}/answers|review|state|roadmap */
int api_questionnaires_post(http_req_t *r); /* POST /api/v1/questionnaires[?file=NAME] (the hub's team) */

#endif
