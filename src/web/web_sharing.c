/* web_sharing.c — the console's sharing page: the STIX objects the person
 * may see (store_stix_list under auth_view, newest first, 50 a page; the
 * named recipients shown to the giver only), sharing one with another
 * organisation or letting it re-share (api_stix_share_to, the rule and code
 * of POST /api/v1/stix/{id}/share and /permit), the TAXII collections the
 * person's organisation may read or write (store_coll_list, as TAXII lists
 * them) and, for the hub's administrators, the TAXII peers and their last
 * sync (store_peer_list; never their tokens).  An object the person may not
 * see answers 404, like an unknown one. */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

#define PAGE 50

/* ---- the objects ---- */

typedef struct {
	http_req_t *r;
	store_t *st;
	json_t *rows;
	int n, analyst, fail;
	int64_t last;
} olist_t;

typedef struct {
	store_t *st;
	json_t *names;
} named_t;

static int recipient_cb(void *arg, int64_t rid, int64_t org_id)
{
	named_t *n = arg;
	org_t o;
	(void)rid;
	return json_array_append_new(n->names, json_string(store_org_get(n->st, org_id, &o) == STORE_OK ? o.name : "?"));
}

/* What a person calls an object: its name, else its value (cyber-
 * observables), else "". */
static json_t *name_of(const store_stix_t *o)
{
	json_error_t je;
	json_t *j = json_loadb(o->json, o->json_len, 0, &je), *name = NULL;
	const char *s = json_string_value(json_object_get(j, "name"));
	if (!s)
		s = json_string_value(json_object_get(j, "value"));
	name = web_str(s ? s : "");
	json_decref(j);
	return name;
}

static int object_cb(void *arg, const store_stix_t *o)
{
	olist_t *l = arg;
	org_t g;
	if (++l->n > PAGE)
		return 1; /* the one more: there is a next page */
	l->last = o->rid;
	int mine = o->org_id == l->r->who.org_id, may_share = 0, may_permit = 0;
	json_t *names = json_array();
	if (mine) { /* the giver knows whom it named */
		named_t a = {l->st, names};
		if (store_stix_recipients(l->st, o->rid, recipient_cb, &a))
			l->fail = 1;
	}
	if (l->analyst && o->tlp > TLP_GREEN) { /* offer what api_stix_share_to allows */
		may_permit = mine;
		may_share = mine || store_stix_permitted(l->st, o->id, l->r->who.org_id) == 1;
	}
	return json_array_append_new(l->rows, json_pack("{s:I, s:o, s:s, s:s, s:o, s:s, s:s, s:b, s:o, s:o, s:b, s:b}",
		"rid", (json_int_t)o->rid, "id", web_str(o->id), "type", o->type, "version", o->version, "name",
		name_of(o), "tlp", tlp_name(o->tlp), "giver", store_org_get(l->st, o->org_id, &g) == STORE_OK ? g.name : "?",
		"mine", mine, "recipients", names, "added", web_time(o->added / 1000000), "may_share", may_share,
		"may_permit", may_permit));
}

/* ---- collections and peers ---- */

static int coll_cb(void *arg, const store_coll_t *c)
{
	return json_array_append_new(arg, json_pack("{s:s, s:o, s:o, s:o, s:s, s:b, s:b}", "id", c->id, "alias",
		web_str(c->alias), "title", web_str(c->title), "description", web_str(c->description), "tlp", tlp_name(c->tlp), "read",
		c->can_read, "write", c->can_write));
}

static int peer_cb(void *arg, const store_peer_t *p)
{
	return json_array_append_new(arg, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "name", web_str(p->name), "url",
		web_str(p->url), "collection", web_str(p->collection), "last_run", web_time(p->last_run), "next_run",
		web_time(p->next_run), "last_error", web_str(p->last_error), "objects", (json_int_t)p->objects));
}

static int org_cb(void *arg, const org_t *o)
{
	return json_array_append_new(arg, json_pack("{s:s}", "name", o->name));
}

/* The page: objects (?id= one object's versions, ?before= the older ones),
 * collections, peers; error (translated) shown at the object of id. */
static int sharing_page(http_req_t *r, const people_user_t *me, int status, const char *error, const char *err_id)
{
	const char *id = http_query(r, "id"), *before = http_query(r, "before");
	char *end = NULL;
	if (err_id)
		id = err_id;
	long long from = before && *before ? strtoll(before, &end, 10) : 0;
	if ((end && *end) || from < 0)
		return web_error(r, 400, me, N_("Before: an object number."));
	if (id && (!*id || strlen(id) > STORE_STIX_ID_MAX))
		id = NULL;
	store_stix_filter_t f = {.view = auth_view(&r->who), .tlp_max = TLP_RED, .id = id, .limit = PAGE + 1,
				 .newest_first = !id, .before_rid = from};
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, me, N_("The store is not available."));
	olist_t l = {.r = r, .st = st, .rows = json_array(), .analyst = auth_role_at_least(&r->who, ROLE_ANALYST)};
	json_t *colls = json_array(), *peers = json_array(), *orgs = json_array();
	int admin = api_hub_admin(r);
	int rc = store_stix_list(st, &f, object_cb, &l) || l.fail || store_coll_list(st, r->who.org_id, coll_cb, colls) ||
		 (admin && store_peer_list(st, peer_cb, peers)) || (l.analyst && store_org_list(st, org_cb, orgs));
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(l.rows), json_decref(colls), json_decref(peers), json_decref(orgs);
		return web_error(r, 500, me, N_("The store is not available."));
	}
	if (id && !l.n) {
		json_decref(l.rows), json_decref(colls), json_decref(peers), json_decref(orgs);
		return web_error(r, 404, me, N_("No such object."));
	}
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:b, s:b, s:b}", "objects", l.rows, "collections", colls, "peers",
				peers, "orgs", orgs, "admin", admin, "analyst", l.analyst, "one", id != NULL);
	if (ctx && l.n > PAGE && !id)
		json_object_set_new(ctx, "next", json_integer(l.last));
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error));
	web_page_t p = {.tpl = "sharing", .title = N_("Sharing"), .nav = "sharing", .u = me, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_sharing(http_req_t *r)
{
	people_user_t me;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return sharing_page(r, &me, 200, NULL, NULL);
}

/* ---- share, permit ---- */

int web_share_post(http_req_t *r)
{
	people_user_t me;
	char action[16], org[MODEL_NAME_MAX + 2], err[512], back[STORE_STIX_ID_MAX * 3 + 40];
	const char *field;
	org_t to;
	int n;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!*r->arg || strlen(r->arg) > STORE_STIX_ID_MAX)
		return web_error(r, 404, &me, N_("No such object."));
	if (form_get(r->body, r->len, "action", action, sizeof action) != 1 ||
	    (strcmp(action, "share") && strcmp(action, "permit")))
		return sharing_page(r, &me, 400, web_t(r, N_("Unknown action.")), r->arg);
	if (form_get(r->body, r->len, "org", org, sizeof org) != 1 || !*org)
		return sharing_page(r, &me, 400, web_t(r, N_("Organisation: give the name of an organisation.")), r->arg);
	int rc = api_stix_share_to(r, r->arg, !strcmp(action, "permit"), org, &to, &n, &field, err, sizeof err);
	if (rc == 404)
		return web_error(r, 404, &me, N_("No such object."));
	if (rc == 500)
		return web_error(r, 500, &me, N_("The hub could not share it now: try again."));
	if (rc && field)
		return sharing_page(r, &me, rc, web_t(r, N_("Organisation: no such organisation.")), r->arg);
	if (rc) /* not CLEAR or GREEN, not the creator, no permission: the API's words */
		return sharing_page(r, &me, rc, web_t(r, err), r->arg);
	/* back to the object (an id is letters, digits, '-' and '_'; anything
	 * else it cannot be, since it was found) */
	snprintf(back, sizeof back, "/console/sharing?id=%s", r->arg);
	if (back[strspn(back, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./?=")])
		return web_redirect(r, "/console/sharing");
	return web_redirect(r, back);
}
