/* case_json.h — cases as JSON (jansson), the one shape of the API and the
 * CLI's --json.  Returned values are new references (json_decref). */
#ifndef C5_CASE_JSON_H
#define C5_CASE_JSON_H

#include <jansson.h>

#include "case.h"

/* A linked observable's reputation (the hub's verdict), or NULL; given by
 * the server (hub_verdict), NULL from the CLI. */
typedef json_t *(*case_rep_fn)(void *arg, obs_type_t type, const char *value);

/* The case's own members; hub: with the hub's working members (id,
 * assignee, team, SLA instants), else only what the reporter may read. */
json_t *case_json_row(const store_case_t *c, int hub);
/* The row and, as a may see them, the timeline, links (with rep's answer
 * for observables), and for the hub's team tasks, affected constituents,
 * waits, related cases and the states it may move to. */
json_t *case_json_full(store_t *st, const case_actor_t *a, const store_case_t *c, case_rep_fn rep,
		       void *rep_arg);
/* The same with a page of the timeline (case_timeline_page: limit entries
 * below before_id; limit 0: all of it) and "timeline_older", the before_id
 * of the older page (null: none). */
json_t *case_json_page(store_t *st, const case_actor_t *a, const store_case_t *c, case_rep_fn rep,
		       void *rep_arg, int64_t before_id, int limit);

#endif
