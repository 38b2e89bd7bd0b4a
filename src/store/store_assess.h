/* store_assess.h — the store's assessment domain (store_assess.c):
 * questionnaires (name, version, the file's JSON), assessments (an entity
 * answering one questionnaire version for one period, at a TLP level, in a
 * state draft / submitted / validated, with its history), answers (value,
 * by whom, when, evidence ids, review state and comment) and roadmap items
 * (action, priority, state, assignee).  Errors as in store.h. */
#ifndef C5_STORE_ASSESS_H
#define C5_STORE_ASSESS_H

#include "store/store.h"

#define STORE_ANSWER_MAX 4096

typedef struct store_qn {
	int64_t id;
	char name[65];
	int version;
	int64_t loaded;
	char *json; /* get: malloc'd, the caller frees; put: borrowed */
} store_qn_t;
/* Add a questionnaire version (sets id, loaded); STORE_EEXISTS when that
 * name and version is held already. */
int store_qn_put(store_t *st, store_qn_t *q);
/* By id (> 0), else by name and version (0: the latest); STORE_ENOTFOUND. */
int store_qn_get(store_t *st, int64_t id, const char *name, int version, store_qn_t *out);
typedef int (*store_qn_cb)(void *arg, const store_qn_t *q); /* json NULL */
int store_qn_list(store_t *st, store_qn_cb cb, void *arg);

typedef struct store_assess {
	int64_t id;
	char entity[129];  /* a country, a sector, an organisation        */
	int64_t org_id;    /* the organisation it belongs to (the giver)   */
	int64_t qn_id;
	char qn_name[65];  /* filled on read                               */
	int qn_version;    /* filled on read                               */
	char period[33];   /* "2026", "2026-H1"                            */
	tlp_t tlp;
	char state[12];    /* draft, submitted, validated                  */
	int64_t created, updated;
} store_assess_t;
/* sets id, created, updated; state "draft" when empty */
int store_assess_add(store_t *st, store_assess_t *a);
int store_assess_get(store_t *st, int64_t id, store_assess_t *out); /* STORE_ENOTFOUND */
typedef int (*store_assess_cb)(void *arg, const store_assess_t *a);
/* Those view may see (the one visibility rule, SQ_VISIBLE; no named
 * recipients), of entity (NULL: all), oldest period first. */
int store_assess_list(store_t *st, const tlp_view_t *view, const char *entity, store_assess_cb cb,
		      void *arg);
int store_assess_set_state(store_t *st, int64_t id, const char *state); /* STORE_ENOTFOUND */

typedef struct store_ahist {
	int64_t assessment, at;
	char actor[64];
	char what[256];
} store_ahist_t;
int store_ahist_add(store_t *st, store_ahist_t *h); /* sets at */
typedef int (*store_ahist_cb)(void *arg, const store_ahist_t *h);
int store_ahist_list(store_t *st, int64_t assessment, store_ahist_cb cb, void *arg);

typedef struct store_answer {
	int64_t assessment;
	char question[65];
	char value[STORE_ANSWER_MAX + 1];
	char by[64];
	int64_t at;
	char evidence[256]; /* evidence ids, comma-separated                */
	char source[80];    /* "" (a person), or "hub: feeds = 7"           */
	char review[12];    /* pending, accepted, rejected                 */
	char reviewer[64];
	char comment[512];
} store_answer_t;
/* Answer (or answer again: the review starts over, pending); sets at. */
int store_answer_put(store_t *st, store_answer_t *a);
typedef int (*store_answer_cb)(void *arg, const store_answer_t *a);
int store_answer_list(store_t *st, int64_t assessment, store_answer_cb cb, void *arg);
/* Review one answer; STORE_ENOTFOUND when it was not answered. */
int store_answer_review(store_t *st, int64_t assessment, const char *question, const char *review,
			const char *reviewer, const char *comment);

typedef struct store_road {
	int64_t assessment;
	char action[65];
	double priority;
	int rank;           /* its place in the roadmap, 1 first           */
	char why[160];
	char state[12];     /* proposed, accepted, deferred, done          */
	char assignee[128];
	int64_t updated;
} store_road_t;
/* Add or refresh an item (priority, rank, why); its state and assignee
 * stay as the reviewer set them. */
int store_road_put(store_t *st, store_road_t *r);
typedef int (*store_road_cb)(void *arg, const store_road_t *r);
int store_road_list(store_t *st, int64_t assessment, store_road_cb cb, void *arg); /* by rank */
/* Set an item's state (and assignee unless NULL); STORE_ENOTFOUND. */
int store_road_set(store_t *st, int64_t assessment, const char *action, const char *state,
		   const char *assignee);

#endif
