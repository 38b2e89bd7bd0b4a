/* web_mine.c — "My organisation": what a constituent's person sees of its own
 * organisation — the networks, AS numbers and domains it answers for (the
 * constituency) and the events the hub noticed about them (the events its
 * notices carry, as its deliveries do).  Through the store's own filters:
 * only the person's organisation, whoever asks. */
#include "web/web_int.h"

#include <stdlib.h>
#include <string.h>

#define MINE_EVENTS 100 /* the newest shown */

typedef struct {
	int64_t org;
	json_t *list;
} res_t;

static int res_cb(void *arg, const store_res_t *r)
{
	res_t *x = arg;
	if (r->org_id != x->org)
		return 0;
	return json_array_append_new(x->list, json_pack("{s:s, s:s, s:s}", "type", obs_type_name(r->type), "value",
							r->value, "contact", r->abuse_contact));
}

typedef struct {
	json_t *list; /* newest first, at most MINE_EVENTS */
	int64_t last;
	int more;
} ev_t;

static int ev_cb(void *arg, const store_event_t *e)
{
	ev_t *x = arg;
	x->last = e->id;
	json_t *j = json_pack("{s:o, s:s, s:s, s:s, s:s, s:s}", "observed", web_time(e->observed), "type",
			      obs_type_name(e->type), "value", e->value, "classification", e->classification,
			      "feed", e->feed ? e->feed : "", "tlp", tlp_name(e->tlp));
	if (!j)
		return 0; /* a row that is not text: left out */
	json_array_insert_new(x->list, 0, j);
	if (json_array_size(x->list) > MINE_EVENTS) {
		json_array_remove(x->list, MINE_EVENTS);
		x->more = 1;
	}
	return 0;
}

int web_mine(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, &u, N_("The store is not available."));
	res_t res = {.org = u.org_id, .list = json_array()};
	ev_t ev = {.list = json_array()};
	int bad = store_res_list(st, res_cb, &res);
	/* the events noticed to this organisation, read a page at a time */
	for (int64_t before = -1; !bad && before != ev.last;) {
		before = ev.last;
		store_event_filter_t f = {.org_id = u.org_id, .after_id = ev.last, .limit = 1000};
		bad = store_event_list(st, &f, ev_cb, &ev);
	}
	hub_store_put(r->hub, st);
	if (bad) {
		json_decref(res.list);
		json_decref(ev.list);
		return web_error(r, 500, &u, N_("The store is not available."));
	}
	json_t *ctx = json_pack("{s:s, s:o, s:o, s:b}", "org", u.org_name, "resources", res.list, "events", ev.list,
				"more", ev.more);
	web_page_t p = {.tpl = "mine", .title = N_("My organisation"), .nav = "mine", .u = &u, .sid = r->sid};
	return web_page(r, 200, &p, ctx);
}
