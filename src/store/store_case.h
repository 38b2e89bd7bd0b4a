/* store_case.h — the store's incident cases: the rows of cases, their
 * timelines, tasks, links, affected constituents, waiting intervals and the
 * yearly reference counter (the SQLite side is store_case.c).
 *
 * Callers outside src/case/ read and change cases through case.h, which
 * keeps the rules (lifecycle, versions, visibility, audit); these are its
 * rows and its raw operations.  Errors are the store's (store.h). */
#ifndef C5_STORE_CASE_H
#define C5_STORE_CASE_H

#include "store/store.h"

#define CASE_REF_MAX 40        /* "CIRT-2026-00042" with a prefix up to 16 */
#define CASE_TITLE_MAX 200
#define CASE_STATE_MAX 31      /* a lifecycle state's name */
#define CASE_SEV_MAX 15        /* low, medium, high, critical */
#define CASE_TEAM_MAX 63
#define CASE_RESOLUTION_MAX 1000
#define CASE_TEXT_MAX 65536    /* a comment's or body's bytes */
#define CASE_CLASS_MAX 95      /* an RSIT class/type (the longest is 69 bytes) */

/* An interval the case waited for the reporter. */
typedef struct store_case_wait {
	int64_t from, to; /* to 0: still waiting */
} store_case_wait_t;
#define CASE_WAITS_INLINE 8    /* waits a case read carries with it */

/* One case.  Times are Unix seconds, 0: not (yet) set. */
typedef struct store_case {
	int64_t id;
	char ref[CASE_REF_MAX + 1];
	char title[CASE_TITLE_MAX + 1];
	char classification[CASE_CLASS_MAX + 1];  /* RSIT "class/type" */
	char severity[CASE_SEV_MAX + 1];
	tlp_t tlp;
	int64_t reporter_org;                     /* the "giver" of the TLP rule */
	char reporter_name[MODEL_NAME_MAX + 1];   /* filled on read */
	int64_t assignee;                         /* users.id, 0: nobody */
	char assignee_email[256];                 /* filled on read */
	char team[CASE_TEAM_MAX + 1];
	char status[CASE_STATE_MAX + 1];
	char resolution[CASE_RESOLUTION_MAX + 1];
	char source[16];                          /* api, cli, email, escalation, iodef */
	int64_t version;                          /* 1 at creation, +1 a change */
	int64_t created, updated;
	int64_t acknowledged_at, first_response_at, resolved_at;
	int64_t waiting_since;                    /* waiting for the reporter since; 0: not */
	int64_t merged_into;                      /* cases.id of the case it was merged into */
	/* filled on read (the same query, for the SLA timers of a list's
	 * rows): waits_read 1 when waits[0..nwaits) are all the case's waits
	 * in time order; 0: ask store_case_wait_list */
	int waits_read, nwaits;
	store_case_wait_t waits[CASE_WAITS_INLINE];
} store_case_t;

/* A timeline entry: every change and every comment. */
typedef struct store_case_entry {
	int64_t id, case_id, created;
	char kind[24];        /* created, status, assign, comment, reply, task, link, merge, ... */
	int visibility;       /* CASE_VIS_INTERNAL or CASE_VIS_REPORTER */
	char author[128];     /* "cli root", "token c5h_...", "person ana@bank.example", "intake" */
	int64_t author_org;
	char *text;           /* owned by the store's callback: valid during it */
	int64_t sent_at;      /* an entry to the reporter: when it was e-mailed (0: not yet) */
	int64_t version;      /* the case's version this change made */
} store_case_entry_t;
enum { CASE_VIS_INTERNAL = 0, CASE_VIS_REPORTER = 1 };

typedef struct store_case_task {
	int64_t id, case_id, assignee, due, done_at, created;
	char title[CASE_TITLE_MAX + 1];
	char assignee_email[256]; /* filled on read */
} store_case_task_t;

/* A link: kind is one of observable, event, notice, warning, stix, evidence,
 * case (a related case); target the observable's canonical value (with
 * obs_type), the STIX id, or the row id in decimal.  origin_org: the
 * reporter of the case it was first linked on (a merge carries a link with
 * its origin); store_case_link_add takes 0 as the case's own reporter —
 * and, for a link already there (STORE_EEXISTS), makes it the case's own. */
typedef struct store_case_link {
	int64_t id, case_id, created;
	char kind[16];
	obs_type_t obs_type;
	char target[OBS_VALUE_MAX + 1];
	int64_t origin_org;
} store_case_link_t;

typedef struct store_case_affected {
	int64_t case_id, org_id;
	char org_name[MODEL_NAME_MAX + 1]; /* filled on read */
	int manual;                        /* 1: set by a person, 0: from the constituency */
} store_case_affected_t;


/* What a case list asks for; every member 0 / NULL / "" means any. */
typedef struct store_case_filter {
	const char *status;          /* one state */
	int open;                    /* 1: only states that do not end a case (needs finals) */
	const char *const *finals;   /* the final states (NULL-terminated), with open */
	const char *classification;  /* "class/type" or "class" */
	const char *severity;
	int64_t reporter_org, assignee, affected_org;
	const char *team;
	int64_t created_from, created_to;
	const char *q;               /* words in the title */
	int64_t after_id;            /* keyset: ids below this one (newest first) when
					> 0; the first page when 0 */
	int limit;                   /* 1..1000 */
	tlp_view_t view;             /* who looks: SQ_VISIBLE with the reporter as
					giver, and, unless view.all, only its own */
} store_case_filter_t;

typedef int (*store_case_cb)(void *arg, const store_case_t *c);
typedef int (*store_case_entry_cb)(void *arg, const store_case_entry_t *e);
typedef int (*store_case_task_cb)(void *arg, const store_case_task_t *t);
typedef int (*store_case_link_cb)(void *arg, const store_case_link_t *l);
typedef int (*store_case_affected_cb)(void *arg, const store_case_affected_t *a);
typedef int (*store_case_wait_cb)(void *arg, const store_case_wait_t *w);

/* The next reference number of year (1, 2, ...), inside a transaction. */
int store_case_next_number(store_t *st, int year, int64_t *out);
/* Insert c (sets id; version 1); STORE_EEXISTS for a taken ref. */
int store_case_add(store_t *st, store_case_t *c);
/* Write back c (all but id, ref, created) with version c->version + 1 when
 * its version is still c->version (then c->version is incremented);
 * STORE_EEXISTS when it is not (a stale version), STORE_ENOTFOUND. */
int store_case_update(store_t *st, store_case_t *c);
/* By ref (when not NULL) or id; STORE_ENOTFOUND.  No visibility here. */
int store_case_get(store_t *st, const char *ref, int64_t id, store_case_t *out);
/* Cases matching f, newest (highest id) first. */
int store_case_list(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *arg);

/* Timeline: add (sets id; the text copied), list in time order (entries
 * after after_id; reporter_only: only CASE_VIS_REPORTER ones), mark one
 * e-mailed, list the reporter entries not yet e-mailed (every case). */
int store_case_entry_add(store_t *st, store_case_entry_t *e);
int store_case_entry_list(store_t *st, int64_t case_id, int64_t after_id, int reporter_only,
			  store_case_entry_cb cb, void *arg);
/* A page of the timeline: the newest limit entries (1..1000) below
 * before_id (0: the newest), to cb in time order; *older: the before_id
 * of the page before it, 0 when none is left. */
int store_case_entry_page(store_t *st, int64_t case_id, int64_t before_id, int limit,
			  int reporter_only, int64_t *older, store_case_entry_cb cb, void *arg);
int store_case_entry_sent(store_t *st, int64_t entry_id, int64_t when);
int store_case_outbox(store_t *st, store_case_entry_cb cb, void *arg);

int store_case_task_add(store_t *st, store_case_task_t *t);
int store_case_task_update(store_t *st, const store_case_task_t *t); /* by id and case_id */
int store_case_task_list(store_t *st, int64_t case_id, store_case_task_cb cb, void *arg);

/* Links: add (STORE_EEXISTS when already linked), list; related: the other
 * cases sharing an observable link with case_id (each once, newest first). */
int store_case_link_add(store_t *st, store_case_link_t *l);
int store_case_link_list(store_t *st, int64_t case_id, store_case_link_cb cb, void *arg);
int store_case_related(store_t *st, int64_t case_id, store_case_cb cb, void *arg);

/* Affected constituents: add (kept once), remove, list. */
int store_case_affected_add(store_t *st, int64_t case_id, int64_t org_id, int manual);
int store_case_affected_del(store_t *st, int64_t case_id, int64_t org_id);
int store_case_affected_list(store_t *st, int64_t case_id, store_case_affected_cb cb, void *arg);

/* Waiting for the reporter: open an interval at from, close the open one
 * at to, list them in order. */
int store_case_wait_begin(store_t *st, int64_t case_id, int64_t from);
int store_case_wait_end(store_t *st, int64_t case_id, int64_t to);
int store_case_wait_list(store_t *st, int64_t case_id, store_case_wait_cb cb, void *arg);

#endif
