/* case.h — incident cases: what a CIRT handles from a report to its closure.
 *
 * What it owns: the case lifecycle as data (data/lifecycle.conf built in,
 * or the operator's file kept in the hub's settings; states, transitions,
 * which states end a case and need a resolution), case references
 * (PREFIX-YEAR-NNNNN, counted per year, the prefix the hub's setting
 * case_prefix, default CIRT), versions (a change naming a stale version is
 * refused with what changed since), who may see a case (the one TLP rule,
 * tlp_visible, with the reporter's organisation as the giver, and, for
 * anyone but the hub's team, only its own organisation's cases; of the
 * timeline a reporter sees only the entries addressed to it, never internal
 * notes), the timeline (every change and comment), tasks, links
 * (observables, events, notices, warnings, STIX objects, evidence),
 * affected constituents (from the observables by the constituency, cons.h,
 * editable), merging duplicates, escalating an event / notice / warning
 * into a case, the SLA instants (acknowledged, first response, resolved,
 * and the intervals spent waiting for the reporter), the figures (case_stats)
 * and the exports (IODEF 2, STIX 2.1).
 *
 * Not here: e-mail in and out (intake), SLA policies, timers and pages (sla),
 * HTTP (http/api_case.c), the command line (cli/cli_case.c).
 *
 * Transactions: every function that changes something works INSIDE the
 * caller's write transaction (store_begin ... store_commit; roll back on
 * any error): the change, its timeline entry and its audit record
 * (audit_record) commit together or not at all, and a caller may add
 * evidence (evidence_add) in the same transaction.  Reads need none.
 *
 * Errors: 0, or a negative CASE_E* code with a message naming the field
 * in err ("severity: 'urgent' is not low, medium, high or critical").
 * Nothing is changed by a call that fails (the caller rolls back). */
#ifndef C5_CASE_H
#define C5_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_case.h"

struct cons;

enum {
	CASE_OK = 0,
	CASE_ERR = -1,       /* store error                                      */
	CASE_ENOTFOUND = -2, /* no such case, or one the actor may not see       */
	CASE_EINVAL = -3,    /* bad input: err names the field                   */
	CASE_ESTALE = -4,    /* the version given is not the case's (HTTP 412)   */
	CASE_EFORBIDDEN = -5,/* the actor may see it but not do this             */
};

/* ---- who acts ---- */
typedef struct {
	int64_t org_id;      /* acting organisation (0: the local operator)      */
	int64_t user_id;     /* the person (users.id), 0: none (token, CLI, mail) */
	const char *actor;   /* audit and timeline author: "cli root", "token
				c5h_AbCd1234", "person ana@x", "intake"      */
	const char *addr;    /* client address, or "local"                      */
	int hub;             /* acts for the hub's team (analyst or admin of the
				hub's organisation, the CLI): may see and change
				every case; otherwise a constituent, which sees
				and comments on its own cases only            */
	tlp_view_t view;     /* what it may see (auth_view); TLP_VIEW_ALL for hub */
	int64_t now;         /* the time of the change (Unix s); 0: the clock.
				sla's tests run the clock forward with it    */
} case_actor_t;

/* An actor for the local operator (CLI): the hub's team, TLP_VIEW_ALL,
 * "cli USER", the clock. */
case_actor_t case_actor_cli(char *buf, size_t n);

/* ---- lifecycle (case_lifecycle.c) ---- */
typedef struct case_lifecycle case_lifecycle_t;
/* Parse lifecycle text (data/lifecycle.conf's syntax); NULL with
 * "name:line: reason" in err.  Checked: every state named once, transitions
 * only between declared states, an initial state, at least one final
 * state, every state reachable from the initial one. */
case_lifecycle_t *case_lifecycle_parse(const char *text, size_t len, const char *name, char *err,
				       size_t errlen);
void case_lifecycle_free(case_lifecycle_t *lc);
/* The built-in default (data/lifecycle.conf); never NULL, never freed. */
const case_lifecycle_t *case_lifecycle_default(void);
/* The hub's lifecycle: the setting case_lifecycle (a file's text, put by
 * `c5hub case lifecycle FILE`), else the default.  Caller frees with
 * case_lifecycle_free (the default is not freed by it).  NULL with err. */
case_lifecycle_t *case_lifecycle_load(store_t *st, char *err, size_t errlen);
/* Put lifecycle text (NULL: the built-in default) in use, named name in
 * errors, inside the caller's transaction: CASE_EINVAL, naming them, when
 * cases are in states it does not declare (they could never move again),
 * or when it does not parse. */
int case_lifecycle_use(store_t *st, const char *text, const char *name, char *err, size_t errlen);
const char *case_lifecycle_initial(const case_lifecycle_t *lc);
int case_lifecycle_has(const case_lifecycle_t *lc, const char *state);
int case_lifecycle_allowed(const case_lifecycle_t *lc, const char *from, const char *to);
int case_lifecycle_final(const case_lifecycle_t *lc, const char *state);       /* ends a case */
int case_lifecycle_resolution(const case_lifecycle_t *lc, const char *state);  /* needs one */
/* The states, in file order (n of them); the final ones as a NULL-ended
 * list (for store_case_filter_t.finals; owned by lc). */
size_t case_lifecycle_states(const case_lifecycle_t *lc, const char *const **names);
const char *const *case_lifecycle_finals(const case_lifecycle_t *lc);
/* "triage, rejected, duplicate" — the states reachable from from, into buf. */
const char *case_lifecycle_next(const case_lifecycle_t *lc, const char *from, char *buf, size_t n);

/* ---- references ---- */
/* The hub's prefix (setting case_prefix, default "CIRT") into buf. */
const char *case_prefix(store_t *st, char *buf, size_t n);
/* Is prefix acceptable (1..16 of A-Z, 0-9, '-', starting with a letter)? */
int case_prefix_ok(const char *prefix);
/* Format PREFIX-YEAR-NNNNN (at least five digits) into buf. */
const char *case_ref_format(const char *prefix, int year, int64_t number, char *buf, size_t n);
/* Find the first "PREFIX-YYYY-NNNNN" in text (a mail subject: "Re: [CIRT-
 * 2026-00042] ..."), the hub's prefix; 1 with the reference in ref, 0 when
 * there is none. */
int case_ref_scan(store_t *st, const char *text, char *ref, size_t n);

/* ---- opening a case ---- */
typedef struct {
	int64_t reporter_org;        /* required (the hub's own org for its own) */
	const char *title;           /* required, 1..200 bytes, no controls       */
	const char *body;            /* the report: the first timeline entry, a
					reporter-visible "report"; or NULL          */
	const char *classification;  /* RSIT class/type; NULL: other/undetermined */
	const char *severity;        /* low|medium|high|critical; NULL: medium   */
	int tlp;                     /* -1: amber */
	const char *team;            /* NULL: "" */
	int64_t assignee;            /* users.id of the hub's org, 0: nobody     */
	const char *const *observables; /* values as pasted (refanged); linked,
					   and their constituents affected     */
	size_t nobservables;
	int lenient;                 /* skip observables that do not parse
					instead of refusing (a mail body's)   */
	const int64_t *evidence;     /* evidence ids (already added) to link     */
	size_t nevidence;
	const char *source;          /* api, cli, email, escalation, iodef       */
	struct cons *cons;           /* the constituency to ask, or NULL: loaded
					from the store for this call             */
} case_new_t;

/* Open a case: its reference, state the lifecycle's initial one, version
 * 1, the "created" entry, the body as a "report" entry (reporter-visible),
 * the observables and evidence linked, the affected constituents found,
 * audited ("case.open").  out gets the row.  CASE_EINVAL naming the field. */
int case_open(store_t *st, const case_actor_t *a, const case_new_t *n, store_case_t *out,
	      char *err, size_t errlen);

/* A comment from the reporter's side (intake: a reply naming ref, or the
 * API/console of the reporter's organisation) — reporter-visible, and it
 * ends a wait for the reporter.  reporter_org must be the case's reporter
 * (else CASE_ENOTFOUND: the message opens a new case).  The evidence ids
 * are linked.  *entry_id (or NULL) gets the new entry's id. */
int case_reply(store_t *st, const case_actor_t *a, const char *ref, int64_t reporter_org,
	       const char *body, const int64_t *evidence, size_t nevidence, int64_t *entry_id,
	       char *err, size_t errlen);

/* ---- reading ---- */
/* The case ref as a may see it (CASE_ENOTFOUND when it may not). */
int case_get(store_t *st, const case_actor_t *a, const char *ref, store_case_t *out);
/* May a see c?  The one rule: tlp_visible(&a->view, c->tlp, c->reporter_org,
 * 0), and, unless a->hub, c->reporter_org == a->org_id. */
int case_visible(const case_actor_t *a, const store_case_t *c);
/* The links of c a may see: every one for the hub's team; for anyone else
 * only those of the case's own reporter (given by it or put by the hub on
 * its cases), never those a merge carried from another reporter's case.
 * case_link_visible is that rule for one link. */
int case_link_visible(const case_actor_t *a, const store_case_t *c, const store_case_link_t *l);
int case_links(store_t *st, const case_actor_t *a, const store_case_t *c, store_case_link_cb cb,
	       void *arg);
/* Cases a may see (f->view is set from a). */
int case_list(store_t *st, const case_actor_t *a, store_case_filter_t *f, store_case_cb cb,
	      void *arg);
/* The timeline a may see: everything for the hub's team, the reporter
 * entries only for the reporter. */
int case_timeline(store_t *st, const case_actor_t *a, const store_case_t *c,
		  store_case_entry_cb cb, void *arg);
/* A page of it: the newest limit entries (1..1000) below before_id (0: the
 * newest), in time order; *older: the before_id of the older page, 0: none. */
int case_timeline_page(store_t *st, const case_actor_t *a, const store_case_t *c, int64_t before_id,
		       int limit, int64_t *older, store_case_entry_cb cb, void *arg);

/* ---- changing (each: the version check, a timeline entry, an audit record) ----
 * version: the version the caller last read (API If-Match, CLI --version),
 * or 0: no check.  A stale one is CASE_ESTALE, with err naming the current
 * version and the entries since ("version 3 is now 5: status triage ->
 * containment by cli root at ...; comment by ..."). */
typedef struct {
	const char *title, *classification, *severity, *team; /* NULL: unchanged */
	int tlp;                                               /* -1: unchanged */
	int64_t assignee;                                      /* -1: unchanged, 0: nobody */
} case_edit_t;
int case_edit(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
	      const case_edit_t *e, store_case_t *out, char *err, size_t errlen);
/* Move to state (allowed by the lifecycle from the current one); a state
 * that needs a resolution refuses an empty one; entering a final state sets
 * resolved_at, leaving one (reopening, where allowed) clears it; leaving the
 * initial state sets acknowledged_at when unset. */
int case_status(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
		const char *state, const char *resolution, store_case_t *out, char *err,
		size_t errlen);
/* A comment: internal note, or to the reporter (visibility).  A first
 * to-reporter comment by the hub's team sets first_response_at.  Only the
 * hub's team writes internal notes; a reporter's comment is case_reply. */
int case_comment(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
		 int visibility, const char *text, int64_t *entry_id, char *err, size_t errlen);
/* Waiting for the reporter on (1) or off (0): opens / closes an interval. */
int case_wait(store_t *st, const case_actor_t *a, const char *ref, int on, char *err,
	      size_t errlen);
/* Tasks: add (due 0: none; assignee a users.id or 0), mark done / undone. */
int case_task_add(store_t *st, const case_actor_t *a, const char *ref, const char *title,
		  int64_t assignee, int64_t due, store_case_task_t *out, char *err, size_t errlen);
int case_task_done(store_t *st, const case_actor_t *a, const char *ref, int64_t task_id, int done,
		   char *err, size_t errlen);
/* Link kind ("observable", "event", "notice", "warning", "stix", "evidence")
 * target: the value as pasted for an observable (its constituents become
 * affected), else the id (checked to exist).  CASE_EINVAL naming it. */
int case_link(store_t *st, const case_actor_t *a, const char *ref, const char *kind,
	      const char *target, struct cons *cons, char *err, size_t errlen);
/* Affected constituents by hand: add or remove an organisation. */
int case_affected(store_t *st, const case_actor_t *a, const char *ref, int64_t org_id, int add,
		  char *err, size_t errlen);
/* Merge dup into into: dup's observables, evidence and affected carried
 * (each link keeps its origin: shown to into's reporter only when it gave
 * it, case_links), into's TLP raised to dup's when stricter, dup set to the
 * state "merged" (needs the lifecycle to allow it; the only way into it)
 * with merged_into, both timelines told. */
int case_merge(store_t *st, const case_actor_t *a, const char *dup, const char *into,
	       char *err, size_t errlen);
/* Escalate kind ("event", "notice", "warning") id into a new case carrying
 * its observables and classification; reporter: the hub, or the organisation
 * noticed.  out gets the case. */
int case_escalate(store_t *st, const case_actor_t *a, const char *kind, int64_t id,
		  const char *title, store_case_t *out, char *err, size_t errlen);
/* Other cases a may see sharing an observable with c (newest first). */
int case_related(store_t *st, const case_actor_t *a, const store_case_t *c, store_case_cb cb,
		 void *arg);

/* ---- for sla: instants, state, open cases ----
 * case_acknowledge / case_first_response set the instant to a->now (or the
 * clock) when unset (a second call changes nothing and returns 0), with a
 * timeline entry and an audit record. */
int case_acknowledge(store_t *st, const case_actor_t *a, const char *ref, char *err, size_t errlen);
int case_first_response(store_t *st, const case_actor_t *a, const char *ref, char *err,
			size_t errlen);
/* Every case whose state does not end it (under the hub's lifecycle),
 * oldest first, whoever reported it (the timers' view: no visibility). */
int case_list_open(store_t *st, store_case_cb cb, void *arg);
/* The intervals case_id waited for the reporter (the last open: to 0). */
int case_waits(store_t *st, int64_t case_id, store_case_wait_cb cb, void *arg);

/* SLA compliance in the figures: sla sets this; NULL (the default) leaves
 * the compliance columns empty.  fn says for case c, at now, whether each
 * target was met (1), missed (0) or is not decided (-1). */
typedef struct {
	int ack, response, resolution;
} case_sla_result_t;
typedef int (*case_sla_fn)(store_t *st, const store_case_t *c, int64_t now, case_sla_result_t *r);
void case_sla_set(case_sla_fn fn);
case_sla_fn case_sla_get(void);

/* ---- for intake: the reporter entries still to e-mail ---- */
/* Every reporter-visible entry written by the hub's team that was not yet
 * e-mailed, oldest first, with its case (cb gets both); mark one sent. */
typedef int (*case_outbox_cb)(void *arg, const store_case_t *c, const store_case_entry_t *e);
int case_outbox(store_t *st, case_outbox_cb cb, void *arg);
int case_entry_sent(store_t *st, int64_t entry_id, int64_t when);

/* ---- reports in IODEF (case_iodef.c) ---- */
/* An IODEF document (1 or 2) reported by reporter_org: read by the IODEF
 * import (its incidents kept as STIX objects, its systems as indicators of
 * the reporter, tlp when the document says none; all or nothing), then each
 * incident new to the hub opens a case (source "iodef": the description's
 * first line as title, the assessment's severity, the systems' addresses
 * and names as observables, linked to its STIX incident), handed to cb (or
 * NULL).  A document already taken opens nothing again.  Inside the
 * caller's transaction; CASE_EINVAL with "name:line: reason". */
int case_import_iodef(store_t *st, const case_actor_t *a, int64_t reporter_org, tlp_t tlp,
		      const char *buf, size_t len, const char *name, store_case_cb cb, void *arg,
		      char *err, size_t errlen);

/* ---- figures (case_stats.c) ---- */
/* Cases a may see, created in [from, to) (0: open ends): counts by
 * classification, by sector (the reporter's organisation type) and by month
 * (YYYY-MM), and the median and 90th percentile in seconds of time to
 * acknowledge, to first response and to resolution; SLA compliance when
 * case_sla_set was called.  *out: a jansson object (json_t *, caller
 * json_decref's) — see README "Incident response" for its members. */
int case_stats(store_t *st, const case_actor_t *a, int64_t from, int64_t to, void **out,
	       char *err, size_t errlen);
/* The same as CSV rows "figure,key,value" into f (FILE *). */
int case_stats_csv(store_t *st, const case_actor_t *a, int64_t from, int64_t to, void *f,
		   char *err, size_t errlen);

/* ---- exports (case_export.c) ---- */
/* The case as a may see it (only the reporter entries for a reporter), as
 * an IODEF 2 document (validated against RFC 7970's schema in the tests)
 * or a STIX 2.1 bundle (an incident, an indicator per observable with a
 * pattern, observed-data, relationships; TLP 2.0 marking).  *out malloc'd,
 * NUL-terminated. */
int case_export_iodef(store_t *st, const case_actor_t *a, const char *ref, char **out,
		      char *err, size_t errlen);
int case_export_stix(store_t *st, const case_actor_t *a, const char *ref, char **out, char *err,
		     size_t errlen);
/* Send the case to peer hubs: its STIX bundle (as case_export_stix) kept
 * as the hub's objects at the case's TLP in TAXII collection cid, named
 * for organisation to (0: nobody named), inside the caller's transaction.
 * The TAXII paths out (a peer's GET, `taxii push`, the scheduled sync)
 * then give it under the one TLP rule: CLEAR/GREEN to every reader,
 * AMBER only to the named, RED never to a peer.  *n: objects kept. */
int case_share(store_t *st, const case_actor_t *a, const char *ref, int64_t cid, int64_t to,
	       long *n, char *err, size_t errlen);

#endif
