/* case_json.c — a case as JSON, the one shape the API and `c5hub case show
 * --json` / `case list --json` give: the case, and for the full view its
 * timeline (as the viewer may see it), tasks, links, affected constituents,
 * waits and related cases. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "case_json.h"

static json_t *jtime(int64_t t)
{
	char b[MODEL_TIME_LEN];
	return t ? json_string(model_time_fmt(t, b)) : json_null();
}

json_t *case_json_row(const store_case_t *c, int hub)
{
	json_t *o = json_object();
	json_object_set_new(o, "ref", json_string(c->ref));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "classification", json_string(c->classification));
	json_object_set_new(o, "severity", json_string(c->severity));
	json_object_set_new(o, "tlp", json_string(tlp_name(c->tlp)));
	json_object_set_new(o, "reporter", json_string(c->reporter_name));
	json_object_set_new(o, "status", json_string(c->status));
	json_object_set_new(o, "resolution", json_string(c->resolution));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "created", jtime(c->created));
	json_object_set_new(o, "updated", jtime(c->updated));
	json_object_set_new(o, "resolved_at", jtime(c->resolved_at));
	json_object_set_new(o, "waiting_for_reporter", json_boolean(c->waiting_since != 0));
	if (hub) {
		json_object_set_new(o, "id", json_integer(c->id));
		json_object_set_new(o, "assignee", c->assignee ? json_string(c->assignee_email) : json_null());
		json_object_set_new(o, "team", json_string(c->team));
		json_object_set_new(o, "source", json_string(c->source));
		json_object_set_new(o, "acknowledged_at", jtime(c->acknowledged_at));
		json_object_set_new(o, "first_response_at", jtime(c->first_response_at));
		json_object_set_new(o, "waiting_since", jtime(c->waiting_since));
	}
	return o;
}

static int entry_cb(void *arg, const store_case_entry_t *e)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "time", jtime(e->created));
	json_object_set_new(o, "kind", json_string(e->kind));
	json_object_set_new(o, "to_reporter", json_boolean(e->visibility == CASE_VIS_REPORTER));
	json_object_set_new(o, "author", json_string(e->author));
	json_object_set_new(o, "version", json_integer(e->version));
	json_object_set_new(o, "text", json_string(e->text));
	json_array_append_new(arg, o);
	return 0;
}

static int task_cb(void *arg, const store_case_task_t *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(t->id));
	json_object_set_new(o, "title", json_string(t->title));
	json_object_set_new(o, "assignee", t->assignee ? json_string(t->assignee_email) : json_null());
	json_object_set_new(o, "due", jtime(t->due));
	json_object_set_new(o, "done", jtime(t->done_at));
	json_array_append_new(arg, o);
	return 0;
}

typedef struct {
	json_t *arr;
	case_rep_fn rep;
	void *rep_arg;
} links_t;

static int link_cb(void *arg, const store_case_link_t *l)
{
	links_t *k = arg;
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(l->kind));
	if (!strcmp(l->kind, "observable")) {
		json_object_set_new(o, "type", json_string(obs_type_name(l->obs_type)));
		json_object_set_new(o, "value", json_string(l->target));
		if (k->rep) {
			json_t *r = k->rep(k->rep_arg, l->obs_type, l->target);
			if (r)
				json_object_set_new(o, "reputation", r);
		}
	} else {
		json_object_set_new(o, "id", json_string(l->target));
	}
	json_array_append_new(k->arr, o);
	return 0;
}

static int aff_cb(void *arg, const store_case_affected_t *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "org", json_string(a->org_name));
	json_object_set_new(o, "by", json_string(a->manual ? "hand" : "constituency"));
	json_array_append_new(arg, o);
	return 0;
}

static int wait_cb(void *arg, const store_case_wait_t *w)
{
	json_t *o = json_object();
	json_object_set_new(o, "from", jtime(w->from));
	json_object_set_new(o, "to", jtime(w->to));
	json_array_append_new(arg, o);
	return 0;
}

static int rel_cb(void *arg, const store_case_t *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "ref", json_string(c->ref));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "status", json_string(c->status));
	json_array_append_new(arg, o);
	return 0;
}

json_t *case_json_full(store_t *st, const case_actor_t *a, const store_case_t *c, case_rep_fn rep,
		       void *rep_arg)
{
	return case_json_page(st, a, c, rep, rep_arg, 0, 0);
}

json_t *case_json_page(store_t *st, const case_actor_t *a, const store_case_t *c, case_rep_fn rep,
		       void *rep_arg, int64_t before_id, int limit)
{
	json_t *o = case_json_row(c, a->hub);
	json_t *tl = json_array(), *ln = json_array();
	if (limit > 0) {
		int64_t older = 0;
		case_timeline_page(st, a, c, before_id, limit, &older, entry_cb, tl);
		json_object_set_new(o, "timeline_older", older ? json_integer(older) : json_null());
	} else {
		case_timeline(st, a, c, entry_cb, tl);
	}
	json_object_set_new(o, "timeline", tl);
	links_t k = {ln, rep, rep_arg};
	case_links(st, a, c, link_cb, &k);
	if (!a->hub) {
		/* a reporter sees the observables it is concerned with, not the
		 * hub's working links */
		size_t i = 0;
		while (i < json_array_size(ln)) {
			const char *kind = json_string_value(json_object_get(json_array_get(ln, i), "kind"));
			if (kind && strcmp(kind, "observable"))
				json_array_remove(ln, i);
			else
				i++;
		}
	}
	json_object_set_new(o, "links", ln);
	if (a->hub) {
		json_t *tk = json_array(), *af = json_array(), *wt = json_array(), *rl = json_array();
		store_case_task_list(st, c->id, task_cb, tk);
		store_case_affected_list(st, c->id, aff_cb, af);
		store_case_wait_list(st, c->id, wait_cb, wt);
		case_related(st, a, c, rel_cb, rl);
		json_object_set_new(o, "tasks", tk);
		json_object_set_new(o, "affected", af);
		json_object_set_new(o, "waits", wt);
		json_object_set_new(o, "related", rl);
		char buf[512];
		char err[128];
		case_lifecycle_t *lc = case_lifecycle_load(st, err, sizeof err);
		if (lc) {
			json_object_set_new(o, "next_states",
					    json_string(case_lifecycle_next(lc, c->status, buf, sizeof buf)));
			case_lifecycle_free(lc);
		}
	}
	return o;
}
