/* web_people.c — the console's people page: administrators list the
 * accounts they manage, add one (its one-time enrolment link shown once),
 * disable, enable, reset (a new link) and change roles.  Who may act on
 * whom is people_may_manage, nothing else: an organisation's admins manage
 * their own people, the hub's admins everyone; an account they may not
 * manage answers 404 like an unknown one.  The changes are the people
 * module's, audited there. */
#include "web/web_int.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

static const char *const roles[] = {"reader", "contributor", "analyst", "admin"};

/* ---- helpers ---- */

/* The audit's "who": the signed-in person and the client's address. */
static people_by_t by_of(http_req_t *r, char *addr, size_t n)
{
	http_client_addr(r, addr, n);
	return (people_by_t){.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr};
}

/* The enrolment URL of secret: the "public_url" setting, else this site as
 * the browser reached it (a Host header of host characters only). */
static void link_url(http_req_t *r, store_t *st, const char *secret, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
	char base[300];
	if (!host || !*host || strlen(host) > 255 ||
	    host[strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")])
		host = "127.0.0.1:8080";
	snprintf(base, sizeof base, "%s://%s", ci && ci->tls_session ? "https" : "http", host);
	people_enrol_url(st, base, secret, out, n);
}

/* The account named by a console URL's {id}: its number, or its e-mail.
 * 0, or PEOPLE_NOTFOUND.  (libmicrohttpd gives the path decoded.) */
static int target_of(store_t *st, const char *arg, people_user_t *t)
{
	char *end;
	long long id = strtoll(arg, &end, 10);
	if (*arg && !*end && id > 0)
		return people_get_id(st, id, t);
	if (!*arg || strlen(arg) > PEOPLE_EMAIL_MAX)
		return PEOPLE_NOTFOUND;
	return people_get(st, arg, t);
}

/* ---- the list ---- */

typedef struct {
	const people_user_t *me;
	int64_t hub_org;
	json_t *rows;
} plist_t;

static int person_cb(void *arg, const people_user_t *u)
{
	plist_t *l = arg;
	int may = people_may_manage(l->me, u, l->hub_org);
	if (!may && u->id != l->me->id)
		return 0; /* never someone the reader may not manage */
	const char *state = u->disabled ? N_("disabled") : !u->has_password ? N_("invited") : N_("active");
	json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o}", "id", (json_int_t)u->id,
				"email", u->email, "name", u->name, "org", u->org_name, "role", role_name(u->role),
				"state", state, "disabled", u->disabled, "totp", u->totp, "may", may, "last_signin",
				web_time(u->last_signin), "roles", web_choices(roles, 4, role_name(u->role)));
	return json_array_append_new(l->rows, row);
}

static int org_cb(void *arg, const org_t *o)
{
	return json_array_append_new(arg, json_pack("{s:s}", "name", o->name));
}

/* The page: the accounts, the form to add one (form: what was typed, or
 * NULL), error (translated) above the form. */
static int people_page(http_req_t *r, const people_user_t *me, int status, json_t *form, const char *error)
{
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(form);
		return web_error(r, 500, me, N_("The store is not available."));
	}
	int hub_admin = r->hub->hub_org > 0 && me->org_id == r->hub->hub_org;
	plist_t l = {.me = me, .hub_org = r->hub->hub_org, .rows = json_array()};
	json_t *orgs = json_array();
	int rc = people_list(st, hub_admin ? 0 : me->org_id, person_cb, &l);
	if (!rc && hub_admin)
		rc = store_org_list(st, org_cb, orgs);
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(l.rows);
		json_decref(orgs);
		json_decref(form);
		return web_error(r, 500, me, N_("The store is not available."));
	}
	if (!form)
		form = json_pack("{s:s, s:s, s:s, s:s}", "email", "", "name", "", "role", "reader", "org", me->org_name);
	const char *forg = json_string_value(json_object_get(form, "org"));
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
		json_object_set_new(o, "sel", json_boolean(forg && !strcmp(forg, json_string_value(json_object_get(o, "name")))));
	json_t *ctx = json_pack("{s:o, s:b, s:o, s:s, s:o}", "people", l.rows, "hub_admin", hub_admin, "orgs", orgs,
				"my_org", me->org_name, "roles",
				web_choices(roles, 4, json_string_value(json_object_get(form, "role"))));
	if (ctx) {
		/* the states, in the reader's words */
		json_array_foreach(json_object_get(ctx, "people"), i, o)
			json_object_set_new(o, "state", json_string(web_t(r, json_string_value(json_object_get(o, "state")))));
		json_object_set_new(ctx, "form", form);
		if (error)
			json_object_set_new(ctx, "error", json_string(error));
	} else {
		json_decref(form);
	}
	web_page_t p = {.tpl = "people", .title = N_("People"), .nav = "people", .u = me, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

/* The page showing a new enrolment link, once (never stored, never in a
 * URL: it is the answer to the POST that made it, not cached). */
static int link_page(http_req_t *r, const people_user_t *me, const people_user_t *t, const char *url, int reset)
{
	web_page_t p = {.tpl = "people_link", .title = reset ? N_("New enrolment link") : N_("Account added"),
			.nav = "people", .u = me, .sid = r->sid};
	return web_page(r, reset ? 200 : 201, &p,
			json_pack("{s:s, s:s, s:s, s:s, s:i, s:b}", "email", t->email, "org", t->org_name, "role",
				  role_name(t->role), "url", url, "hours", PEOPLE_ENROL_TTL / 3600, "reset", reset));
}

/* ---- routes ---- */

int web_people(http_req_t *r)
{
	people_user_t me;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (me.role != ROLE_ADMIN)
		return web_error(r, 403, &me, N_("Managing people needs the admin role."));
	return people_page(r, &me, 200, NULL, NULL);
}

int web_people_add(http_req_t *r)
{
	people_user_t me, t = {0};
	char addr[64], err[256], secret[PEOPLE_SECRET_LEN + 1], url[1024], v[PEOPLE_EMAIL_MAX + 1];
	role_t role;
	org_t o;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (me.role != ROLE_ADMIN)
		return web_error(r, 403, &me, N_("Managing people needs the admin role."));
	json_t *form = json_object();
	static const char *const fields[] = {"email", "name", "role", "org"};
	for (size_t k = 0; k < 4; k++) {
		if (form_get(r->body, r->len, fields[k], v, sizeof v) != 1)
			v[0] = '\0';
		json_object_set_new(form, fields[k], json_string(v));
	}
	const char *email = json_string_value(json_object_get(form, "email")),
		   *name = json_string_value(json_object_get(form, "name")),
		   *org = json_string_value(json_object_get(form, "org"));
	if (!*email)
		return people_page(r, &me, 400, form, web_t(r, N_("E-mail address: give one.")));
	if (role_parse(json_string_value(json_object_get(form, "role")), &role) || role > ROLE_ADMIN)
		return people_page(r, &me, 400, form, web_t(r, N_("Role: reader, contributor, analyst or admin.")));
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(form);
		return web_error(r, 500, &me, N_("The store is not available."));
	}
	/* the organisation: the one named (the hub's admins), else one's own */
	t.org_id = me.org_id;
	if (*org && strcmp(org, me.org_name)) {
		if (store_org_find(st, org, &o)) {
			hub_store_put(r->hub, st);
			return people_page(r, &me, 400, form, web_t(r, N_("Organisation: no such organisation.")));
		}
		t.org_id = o.id;
	}
	if (!people_may_manage(&me, &t, r->hub->hub_org)) {
		hub_store_put(r->hub, st);
		return people_page(r, &me, 403, form, web_t(r, N_("Organisation: you add people to your own organisation only.")));
	}
	people_by_t by = by_of(r, addr, sizeof addr);
	int rc = people_add_named(st, &by, email, t.org_id, role, name, secret, err, sizeof err);
	if (rc == PEOPLE_OK && people_get(st, email, &t) == PEOPLE_OK)
		link_url(r, st, secret, url, sizeof url);
	else if (rc == PEOPLE_OK)
		rc = PEOPLE_ERR;
	hub_store_put(r->hub, st);
	explicit_bzero(secret, sizeof secret);
	if (rc != PEOPLE_OK) {
		const char *why = rc == PEOPLE_EXISTS ? N_("E-mail address: this address already has an account.")
				  : rc == PEOPLE_NOTFOUND && strstr(err, "e-mail") ? N_("E-mail address: not an e-mail address.")
				  : rc == PEOPLE_DENIED && strstr(err, "name") ? N_("Name: at most 128 printable characters.")
				  : N_("The hub could not add the account now: try again.");
		return people_page(r, &me, rc == PEOPLE_EXISTS ? 409 : rc == PEOPLE_ERR ? 500 : 400, form, web_t(r, why));
	}
	json_decref(form);
	rc = link_page(r, &me, &t, url, 0);
	explicit_bzero(url, sizeof url);
	return rc;
}

int web_person_post(http_req_t *r)
{
	people_user_t me, t;
	char addr[64], err[256], action[16], rs[16], secret[PEOPLE_SECRET_LEN + 1], url[1024];
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (me.role != ROLE_ADMIN)
		return web_error(r, 403, &me, N_("Managing people needs the admin role."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, &me, N_("The store is not available."));
	/* one answer for an unknown account and one not managed by me */
	if (target_of(st, r->arg, &t) || !people_may_manage(&me, &t, r->hub->hub_org)) {
		hub_store_put(r->hub, st);
		return web_error(r, 404, &me, N_("No such account."));
	}
	if (form_get(r->body, r->len, "action", action, sizeof action) != 1)
		action[0] = '\0';
	people_by_t by = by_of(r, addr, sizeof addr);
	int rc = PEOPLE_OK, reset = 0;
	role_t role;
	if (!strcmp(action, "disable") || !strcmp(action, "enable"))
		rc = people_disable(st, &by, t.email, !strcmp(action, "disable"), err, sizeof err);
	else if (!strcmp(action, "reset")) {
		rc = people_reset(st, &by, t.email, secret, err, sizeof err);
		if (rc == PEOPLE_OK)
			link_url(r, st, secret, url, sizeof url);
		explicit_bzero(secret, sizeof secret);
		reset = 1;
	} else if (!strcmp(action, "role")) {
		if (form_get(r->body, r->len, "role", rs, sizeof rs) != 1 || role_parse(rs, &role) || role > ROLE_ADMIN) {
			hub_store_put(r->hub, st);
			return people_page(r, &me, 400, NULL, web_t(r, N_("Role: reader, contributor, analyst or admin.")));
		}
		rc = people_set_role(st, &by, t.email, role, err, sizeof err);
	} else {
		hub_store_put(r->hub, st);
		return people_page(r, &me, 400, NULL, web_t(r, N_("Unknown action.")));
	}
	hub_store_put(r->hub, st);
	if (rc != PEOPLE_OK)
		return web_error(r, rc == PEOPLE_NOTFOUND ? 404 : 500, &me,
				 rc == PEOPLE_NOTFOUND ? N_("No such account.") : N_("The hub could not change the account now: try again."));
	if (!reset)
		return web_redirect(r, "/console/people");
	rc = link_page(r, &me, &t, url, 1);
	explicit_bzero(url, sizeof url);
	return rc;
}
