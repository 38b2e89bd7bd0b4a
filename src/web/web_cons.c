/* web_cons.c — the console's constituency page: who answers for a value
 * (hub_who, as GET /api/v1/constituency/who), every organisation with its
 * resources and abuse contacts (store_res_list, as GET
 * /api/v1/constituency), for analysts; importing a CSV file (the hub's
 * administrators, api_constituency_import as POST /api/v1/constituency:
 * all or nothing, the bad line named). */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

#define ORGS_PAGE 100 /* organisations a page */

typedef struct {
	json_t *by_name;    /* {name: {org, n, contact}} */
	const char *only;   /* the organisation whose resources are listed, or NULL */
	json_t *resources;  /* its resources */
	size_t n;
} cons_list_t;

static int res_row(void *arg, const store_res_t *res)
{
	cons_list_t *l = arg;
	json_t *o = json_object_get(l->by_name, res->org_name);
	if (!o) {
		o = json_pack("{s:s, s:I, s:s}", "org", res->org_name, "n", (json_int_t)0, "contact",
			      res->abuse_contact);
		if (!o || json_object_set_new(l->by_name, res->org_name, o))
			return -1;
	}
	json_object_set_new(o, "n", json_integer(json_integer_value(json_object_get(o, "n")) + 1));
	l->n++;
	if (l->only && !strcmp(l->only, res->org_name))
		return json_array_append_new(l->resources, json_pack("{s:s, s:s, s:s}", "type",
								      obs_type_name(res->type), "resource",
								      res->value, "contact", res->abuse_contact));
	return 0;
}

static int by_org(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "org")),
		      json_string_value(json_object_get(*(json_t *const *)b, "org")));
}

/* One page of the organisations, in name order, with the links to the
 * others; the context's "orgs", "pages", "paged". */
static void orgs_page(json_t *ctx, json_t *by_name, long page)
{
	size_t n = json_object_size(by_name), i = 0, k;
	json_t **v = malloc((n ? n : 1) * sizeof *v), *o, *list = json_array(), *pages = json_array();
	const char *key;
	if (!v) {
		json_decref(list);
		json_decref(pages);
		return;
	}
	json_object_foreach(by_name, key, o) v[i++] = o;
	qsort(v, n, sizeof *v, by_org);
	long npages = (long)((n + ORGS_PAGE - 1) / ORGS_PAGE);
	if (page < 1 || page > npages)
		page = 1;
	for (k = (size_t)(page - 1) * ORGS_PAGE; k < n && k < (size_t)page * ORGS_PAGE; k++) {
		char enc[MODEL_NAME_MAX * 3 + 1];
		form_encode(json_string_value(json_object_get(v[k], "org")), enc, sizeof enc);
		json_object_set_new(v[k], "enc", json_string(enc));
		json_array_append(list, v[k]);
	}
	for (long p = 1; npages > 1 && p <= npages; p++)
		json_array_append_new(pages, json_pack("{s:i, s:b}", "n", (int)p, "cur", p == page));
	free(v);
	json_object_set_new(ctx, "orgs", list);
	json_object_set_new(ctx, "paged", json_boolean(npages > 1));
	json_object_set_new(ctx, "pages", pages);
}

static void who_row(void *arg, int64_t org_id, const char *org, const char *resource, const char *contact)
{
	(void)org_id;
	json_array_append_new(arg, json_pack("{s:s, s:s, s:s}", "org", org, "resource", resource, "contact",
					     contact ? contact : ""));
}

static int cons_page(http_req_t *r, const people_user_t *u, int status, const char *text, int create,
		     const char *error, const char *done)
{
	if (!auth_role_at_least(&r->who, ROLE_ANALYST))
		return web_error(r, 403, u, N_("The constituency is shown to analysts."));
	const char *only = http_query(r, "org");
	cons_list_t l = {.by_name = json_object(), .only = only && *only ? only : NULL,
			 .resources = json_array()};
	store_t *st = hub_store_get(r->hub);
	int rc = !st || store_res_list(st, res_row, &l);
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(l.by_name);
		json_decref(l.resources);
		return web_error(r, 500, u, N_("The store is not available."));
	}
	json_t *ctx = json_pack("{s:I, s:I, s:b, s:s, s:b}", "count", (json_int_t)l.n, "norgs",
				(json_int_t)json_object_size(l.by_name), "admin", api_hub_admin(r), "text",
				text ? text : "", "create", create);
	if (ctx) {
		const char *pg = http_query(r, "page");
		orgs_page(ctx, l.by_name, pg ? strtol(pg, NULL, 10) : 1);
		if (l.only && json_object_get(l.by_name, l.only))
			json_object_set_new(ctx, "one", json_pack("{s:s, s:O}", "org", l.only, "resources",
								  l.resources));
	}
	json_decref(l.by_name);
	json_decref(l.resources);
	/* who answers for a value: the API's question, the API's answer */
	const char *q = http_query(r, "value");
	if (ctx && q && *q) {
		obs_t *o = malloc(sizeof *o);
		char err[512];
		json_object_set_new(ctx, "value", json_string(q));
		if (!o)
			json_object_set_new(ctx, "who_error", json_string("out of memory"));
		else if (obs_parse(q, strlen(q), OBS_NONE, o, err, sizeof err)) {
			json_object_set_new(ctx, "who_error", json_string(err));
			status = status == 200 ? 400 : status;
		}
		else {
			json_t *who = json_array();
			hub_who(r->hub, o, who_row, who);
			json_object_set_new(ctx, "who", json_pack("{s:s, s:s, s:o}", "canonical", o->value, "type",
								 obs_type_name(o->type), "list", who));
		}
		free(o);
	}
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error));
	if (ctx && done)
		json_object_set_new(ctx, "done", json_string(done));
	web_page_t p = {.tpl = "cons", .title = N_("Constituency"), .nav = "cons", .u = u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_cons(http_req_t *r)
{
	people_user_t u;
	char b[200];
	const char *n = http_query(r, "imported");
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (n)
		snprintf(b, sizeof b, "%s %ld", web_t(r, N_("Resources imported:")), strtol(n, NULL, 10));
	return cons_page(r, &u, 200, NULL, 0, NULL, n ? b : NULL);
}

int web_cons_import(http_req_t *r)
{
	people_user_t u;
	char err[1024], msg[1200], flag[8];
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_hub_admin(r))
		return web_error(r, 403, &u, N_("Only the hub's administrators import the constituency."));
	/* the file chosen, else the text box */
	char *text, name[80];
	size_t tl;
	int from_file, got = web_upload(r, &text, &tl, name, sizeof name, &from_file);
	int create = web_field(r, "create", flag, sizeof flag) == 1 && !strcmp(flag, "1");
	const char *keep = got == 1 && !from_file ? text : ""; /* the text box, to correct */
	if (got != 1 || (!from_file && !text[strspn(text, " \t\r\n")])) {
		int rc = cons_page(r, &u, 400, keep, create,
				   web_t(r, got < 0 ? N_("The form did not arrive whole: try again.")
						: N_("Choose a file, or paste a CSV file into the text box.")), NULL);
		free(text);
		return rc;
	}
	long rows = 0;
	FILE *f = fmemopen(text, tl, "r");
	int rc = f ? api_constituency_import(r, f, name, create, &rows, err, sizeof err) : 500;
	if (f)
		fclose(f);
	if (!f)
		snprintf(err, sizeof err, "out of memory");
	if (rc) {
		/* "NAME:LINE: reason"; nothing was imported */
		snprintf(msg, sizeof msg, "%s — %s", web_t(r, err), web_t(r, N_("Nothing was imported.")));
		int out = rc == 403 ? web_error(r, 403, &u, N_("Only the hub's administrators import the constituency."))
				    : cons_page(r, &u, rc, keep, create, msg, NULL);
		free(text);
		return out;
	}
	free(text);
	char to[64];
	snprintf(to, sizeof to, "/console/constituency?imported=%ld", rows);
	return web_redirect(r, to);
}
