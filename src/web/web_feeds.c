/* web_feeds.c — the console's feeds page: every feed with its state (what
 * GET /api/v1/feeds shows, for analysts), "run now" and adding a URL feed
 * (the hub's administrators).  Through the API's own functions
 * (api_feed_json, api_feed_add, api_feed_run_now, api_hub_admin). */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/feed.h"
#include "web/form.h"

static const char *const formats[] = {"urlhaus",  "feodo",        "threatfox",     "sslbl",
				      "spamhaus-drop", "spamhaus-cert", "shadowserver", "openphish",
				      "misp-freetext", "misp-csv", "dshield", "dataplane",
				      "list", "csv"};
static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};
static const char *const policies[] = {"skip", "reject"};

/* A period as the CLI writes it: 15m, 1h, 2d (the largest exact unit). */
static void period(int64_t s, char *out, size_t n)
{
	if (s > 0 && s % 86400 == 0)
		snprintf(out, n, "%lldd", (long long)(s / 86400));
	else if (s > 0 && s % 3600 == 0)
		snprintf(out, n, "%lldh", (long long)(s / 3600));
	else if (s > 0 && s % 60 == 0)
		snprintf(out, n, "%lldm", (long long)(s / 60));
	else
		snprintf(out, n, "%llds", (long long)s);
}

static int feed_row(void *arg, const store_feed_t *f)
{
	json_t *j = api_feed_json(f);
	char every[24];
	period(f->every, every, sizeof every);
	if (!j)
		return -1;
	/* for the page: "" times as null, the period as written, where from */
	json_object_set_new(j, "every", json_string(every));
	json_object_set_new(j, "from", json_string(f->url[0] ? f->url : f->path));
	json_object_set_new(j, "ok", json_boolean(!strcmp(feed_state(f), "ok")));
	return json_array_append_new(arg, j);
}

static int feeds_page(http_req_t *r, const people_user_t *u, int status, json_t *form, const char *error,
		      const char *done)
{
	if (!auth_role_at_least(&r->who, ROLE_ANALYST)) {
		json_decref(form);
		return web_error(r, 403, u, N_("The feeds are shown to analysts."));
	}
	json_t *list = json_array();
	store_t *st = hub_store_get(r->hub);
	int rc = !st || store_feed_list(st, feed_row, list);
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(list);
		json_decref(form);
		return web_error(r, 500, u, N_("The store is not available."));
	}
	if (!form)
		form = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", "", "url", "", "format",
				 "list", "tlp", tlp_name(r->hub->default_tlp), "classification", "", "every", "1h",
				 "confidence", "50", "policy", "skip", "column", "");
#define SEL(k) json_string_value(json_object_get(form, k))
	json_t *ctx = json_pack("{s:o, s:b, s:o, s:o, s:o}", "feeds", list, "manager", api_hub_admin(r),
				"formats", web_choices(formats, sizeof formats / sizeof *formats, SEL("format")),
				"tlps", web_choices(tlps, 5, SEL("tlp")), "policies",
				web_choices(policies, 2, SEL("policy")));
#undef SEL
	if (ctx) {
		json_object_set_new(ctx, "form", form);
		if (error)
			json_object_set_new(ctx, "error", json_string(error));
		if (done)
			json_object_set_new(ctx, "done", json_string(done));
	} else {
		json_decref(form);
	}
	web_page_t p = {.tpl = "feeds", .title = N_("Feeds"), .nav = "feeds", .u = u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_feeds(http_req_t *r)
{
	people_user_t u;
	char b[300];
	const char *done = NULL, *ran = http_query(r, "ran"), *added = http_query(r, "added");
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (ran && model_name_ok(ran)) {
		snprintf(b, sizeof b, "%s %s", web_t(r, N_("It runs now:")), ran);
		done = b;
	} else if (added && model_name_ok(added)) {
		snprintf(b, sizeof b, "%s %s", web_t(r, N_("Feed added:")), added);
		done = b;
	}
	return feeds_page(r, &u, 200, NULL, NULL, done);
}

int web_feed_run(http_req_t *r)
{
	people_user_t u;
	char name[MODEL_NAME_MAX + 1], err[256], to[MODEL_NAME_MAX * 3 + 40], enc[MODEL_NAME_MAX * 3 + 1];
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_hub_admin(r))
		return web_error(r, 403, &u, N_("Only the hub's administrators run and add feeds."));
	if (web_field(r, "name", name, sizeof name) != 1)
		name[0] = '\0';
	int rc = api_feed_run_now(r, name, err, sizeof err);
	if (rc == 404)
		return web_error(r, 404, &u, N_("No such feed."));
	if (rc)
		return feeds_page(r, &u, rc, NULL, web_t(r, err), NULL);
	form_encode(name, enc, sizeof enc);
	snprintf(to, sizeof to, "/console/feeds?ran=%s", enc);
	return web_redirect(r, to);
}

int web_feed_add(http_req_t *r)
{
	people_user_t u;
	static const char *const names[] = {"name", "url", "format", "tlp", "classification", "every",
					    "confidence", "policy", "column"};
	static const size_t max[] = {MODEL_NAME_MAX + 8, 1100, 32, 16, MODEL_CLASS_MAX + 8, 16, 16, 16, 600};
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_hub_admin(r))
		return web_error(r, 403, &u, N_("Only the hub's administrators run and add feeds."));
	json_t *form = json_object(), *in = json_object();
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		json_t *v = web_field_json(r, names[k], max[k]);
		json_object_set(form, names[k], v);
		if (json_string_length(v)) /* empty fields take the API's defaults */
			json_object_set_new(in, names[k], !strcmp(names[k], "confidence") ? web_number_json(v)
											   : json_incref(v));
		json_decref(v);
	}
	store_feed_t *f = malloc(sizeof *f);
	const char *fld = NULL;
	char err[512] = "out of memory", msg[700];
	int rc = f ? api_feed_add(r, in, f, &fld, err, sizeof err) : 500;
	char to[MODEL_NAME_MAX * 3 + 40], enc[MODEL_NAME_MAX * 3 + 1];
	if (!rc) {
		form_encode(f->name, enc, sizeof enc);
		snprintf(to, sizeof to, "/console/feeds?added=%s", enc);
	}
	free(f);
	json_decref(in);
	if (rc) {
		/* the core names the field ("url: ..."), or we do */
		snprintf(msg, sizeof msg, "%s%s%s", fld && strncmp(err, fld, strlen(fld)) ? fld : "",
			 fld && strncmp(err, fld, strlen(fld)) ? ": " : "", web_t(r, err));
		return feeds_page(r, &u, rc, form, msg, NULL);
	}
	json_decref(form);
	return web_redirect(r, to);
}
