/* web_notify.c — the console's page of notices and deliveries: what went
 * to whom, when, and its state.  The same rows as GET /api/v1/deliveries and
 * `c5hub notify log`, read through api_deliveries (a constituent sees its
 * own, the hub's team all), a page of 100 at a time, oldest first. */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 100

typedef struct {
	json_t *rows;
	int64_t last;
	int n;
} dlist_t;

static int delivery_cb(void *arg, const store_delivery_t *d)
{
	dlist_t *l = arg;
	l->last = d->id;
	if (++l->n > PAGE)
		return 0; /* the one more: there is a next page */
	return json_array_append_new(l->rows, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:s, s:i, s:o, s:o, s:s}",
		"id", (json_int_t)d->id, "org", d->org_name, "kind", d->kind, "warning", (json_int_t)d->warning_id,
		"channel", d->channel, "target", d->target, "tlp", tlp_name(d->tlp), "events", (json_int_t)d->events,
		"state", d->state, "attempts", d->attempts, "created", web_time(d->created), "sent",
		web_time(d->sent_at), "last_error", d->last_error));
}

int web_deliveries(http_req_t *r)
{
	static const char *const states[] = {"pending", "sent", "failed"};
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	const char *state = http_query(r, "state"), *after = http_query(r, "after");
	char *end = NULL;
	long long after_id = after && *after ? strtoll(after, &end, 10) : 0;
	int ok_state = !state || !*state;
	for (size_t i = 0; i < 3 && !ok_state; i++)
		ok_state = !strcmp(state, states[i]);
	if (!ok_state || (end && (*end || after_id < 0)))
		return web_error(r, 400, &u, !ok_state ? N_("State: pending, sent or failed.")
						       : N_("After: a delivery number."));
	dlist_t l = {.rows = json_array()};
	store_t *st = hub_store_get(r->hub);
	int rc = !st || api_deliveries(r, st, state && *state ? state : NULL, after_id, PAGE + 1, delivery_cb, &l);
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(l.rows);
		return web_error(r, 500, &u, N_("The store is not available."));
	}
	json_t *ctx = json_pack("{s:o, s:o, s:b, s:s}", "deliveries", l.rows, "states", web_choices(states, 3, state),
				"all", r->who.hub_member, "state", state ? state : "");
	if (ctx && l.n > PAGE)
		json_object_set_new(ctx, "next", json_integer(json_integer_value(
			json_object_get(json_array_get(l.rows, PAGE - 1), "id"))));
	web_page_t p = {.tpl = "deliveries", .title = N_("Notices and deliveries"), .nav = "deliveries", .u = &u,
			.sid = r->sid};
	return web_page(r, 200, &p, ctx);
}
