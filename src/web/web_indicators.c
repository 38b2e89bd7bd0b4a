/* web_indicators.c — the console's indicator pages that change things: one
 * indicator's page with its edit form, adding one indicator, and loading a
 * pasted list or CSV file.  Each goes through the API's own functions
 * (api_indicator_edit, api_indicators_add) or the ingest module's reader
 * (ingest_stream, as `c5hub ingest`): the same rules, the same checks. */
#include "web/web_int.h"
#include "web/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"

static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};

/* The form's words for a field the core named. */
static const char *field_label(http_req_t *r, const char *field)
{
	static const struct {
		const char *field, *label;
	} labels[] = {
		{"value", N_("Value")},           {"type", N_("Type")},
		{"source", N_("Source")},         {"tlp", "TLP"},
		{"confidence", N_("Confidence")}, {"classification", N_("Classification")},
		{"valid_until", N_("Valid until")},
	};
	for (size_t i = 0; field && i < sizeof labels / sizeof *labels; i++)
		if (!strcmp(labels[i].field, field))
			return web_t(r, labels[i].label);
	return NULL;
}

/* "Label: reason" (the reason in the reader's words when the catalogue
 * has them). */
static json_t *field_error(http_req_t *r, const char *field, const char *err)
{
	const char *label = field_label(r, field);
	char b[800];
	snprintf(b, sizeof b, "%s%s%s", label ? label : "", label ? ": " : "", web_t(r, err));
	return json_string(b);
}

/* ---- one indicator: its page and its edit form ---- */

static int indicator_page(http_req_t *r, const people_user_t *u, int64_t id, int status, json_t *form,
			  json_t *error)
{
	indicator_t *i = malloc(sizeof *i);
	if (!i) {
		json_decref(form);
		json_decref(error);
		return http_error(r, 500, "internal", "out of memory");
	}
	store_t *st = hub_store_get(r->hub);
	int rc = !st || id <= 0 ? STORE_ENOTFOUND : store_get_indicator(st, id, i);
	hub_store_put(r->hub, st);
	/* one rule: what the API would not show, the page does not either */
	if (rc || !api_sees(r, i->id, i->tlp, i->org_id)) {
		free(i);
		json_decref(form);
		json_decref(error);
		return web_error(r, 404, u, N_("No such indicator."));
	}
	json_t *vu = web_time(i->valid_until);
	char *vq = malloc(3 * OBS_VALUE_MAX + 1); /* the value in a link's query */
	if (vq)
		form_encode(i->value, vq, 3 * OBS_VALUE_MAX + 1);
	json_t *ind = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:O}", "id",
				(json_int_t)i->id, "value", i->value, "type", obs_type_name(i->type), "tlp",
				tlp_name(i->tlp), "source", i->source, "org", i->org_name, "classification",
				i->classification, "confidence", i->confidence, "first_seen",
				web_time(i->first_seen), "last_seen", web_time(i->last_seen), "valid_until", vu);
	if (ind)
		json_object_set_new(ind, "value_q", json_string(vq ? vq : ""));
	free(vq);
	if (!form)
		form = json_pack("{s:s, s:i, s:s, s:s}", "tlp", tlp_name(i->tlp), "confidence", i->confidence,
				 "classification", i->classification, "valid_until",
				 json_is_string(vu) ? json_string_value(vu) : "");
	json_decref(vu);
	json_t *ctx = json_pack("{s:o, s:b, s:o, s:b, s:b}", "ind", ind, "can_edit",
				api_may_edit_indicator(r, i->org_id), "tlps",
				web_choices(tlps, 5, json_string_value(json_object_get(form, "tlp"))), "saved",
				http_query(r, "saved") != NULL, "added", http_query(r, "added") != NULL);
	free(i);
	if (ctx) {
		json_object_set_new(ctx, "form", form);
		if (error)
			json_object_set_new(ctx, "error", error);
	} else {
		json_decref(form);
		json_decref(error);
	}
	web_page_t p = {.tpl = "indicator", .title = N_("Indicator"), .nav = "indicators", .u = u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

static int64_t path_id(http_req_t *r)
{
	char *end;
	long long id = strtoll(r->arg, &end, 10);
	return *end || r->arg[0] < '1' || r->arg[0] > '9' ? -1 : id;
}

int web_indicator(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return indicator_page(r, &u, path_id(r), 200, NULL, NULL);
}

int web_indicator_post(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	int64_t id = path_id(r);
	json_t *form = json_object();
	json_object_set_new(form, "tlp", web_field_json(r, "tlp", 16));
	json_object_set_new(form, "confidence", web_field_json(r, "confidence", 16));
	json_object_set_new(form, "classification", web_field_json(r, "classification", MODEL_CLASS_MAX + 8));
	json_object_set_new(form, "valid_until", web_field_json(r, "valid_until", 64));
	/* the API's request: an empty valid-until is "no end" */
	json_t *vu = json_object_get(form, "valid_until");
	json_t *in = json_pack("{s:O, s:o, s:O, s:o}", "tlp", json_object_get(form, "tlp"), "confidence",
			       web_number_json(json_object_get(form, "confidence")), "classification",
			       json_object_get(form, "classification"), "valid_until",
			       json_string_length(vu) ? json_incref(vu) : json_null());
	indicator_t *ind = malloc(sizeof *ind);
	const char *field = NULL;
	char err[512] = "out of memory";
	int rc = !in || !ind || id <= 0 ? (id <= 0 ? 404 : 500)
					: api_indicator_edit(r, id, in, ind, &field, err, sizeof err);
	json_t *error = rc ? field_error(r, field, err) : NULL;
	json_decref(in);
	free(ind);
	if (rc == 404) {
		json_decref(form);
		json_decref(error);
		return web_error(r, 404, &u, N_("No such indicator."));
	}
	if (rc)
		return indicator_page(r, &u, id, rc, form, error);
	json_decref(form);
	char to[80];
	snprintf(to, sizeof to, "/console/indicators/%lld?saved=1", (long long)id);
	return web_redirect(r, to);
}

/* ---- adding: one indicator, or a pasted file ---- */

static int add_page(http_req_t *r, const people_user_t *u, int status, json_t *one, json_t *file,
		    json_t *error_one, json_t *error_file)
{
	static const char *const formats[] = {"auto", "list", "csv"};
	const char *tv[OBS_NTYPES];
	size_t nt = 0;
	for (int t = 1; t < OBS_NTYPES; t++)
		tv[nt++] = obs_type_name((obs_type_t)t);
	const char *dtlp = tlp_name(r->hub->default_tlp);
	if (!one)
		one = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "value", "", "type", "", "source",
				"console", "tlp", dtlp, "confidence", "50", "classification", "",
				"valid_until", "");
	if (!file)
		file = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "text", "", "format", "auto", "source",
				 "console-upload", "tlp", dtlp, "confidence", "50", "classification", "");
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "types",
				web_choices(tv, nt, json_string_value(json_object_get(one, "type"))), "tlps1",
				web_choices(tlps, 5, json_string_value(json_object_get(one, "tlp"))), "tlps2",
				web_choices(tlps, 5, json_string_value(json_object_get(file, "tlp"))), "formats",
				web_choices(formats, 3, json_string_value(json_object_get(file, "format"))), "one",
				one, "file", file, "can_add", auth_role_at_least(&r->who, ROLE_CONTRIBUTOR));
	if (ctx && error_one)
		json_object_set_new(ctx, "error_one", error_one);
	else
		json_decref(error_one);
	if (ctx && error_file)
		json_object_set_new(ctx, "error_file", error_file);
	else
		json_decref(error_file);
	web_page_t p = {.tpl = "indicator_new", .title = N_("Add indicators"), .nav = "indicators", .u = u,
			.sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_indicator_new(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	json_t *done = NULL;
	const char *n = http_query(r, "loaded");
	if (n) {
		char b[200];
		snprintf(b, sizeof b, "%s %ld", web_t(r, N_("Indicators loaded:")), strtol(n, NULL, 10));
		done = json_string(b);
	}
	json_t *file = NULL;
	if (done) {
		file = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "text", "", "format", "auto", "source",
				 "console-upload", "tlp", tlp_name(r->hub->default_tlp), "confidence", "50",
				 "classification", "", "done", done);
	}
	return add_page(r, &u, 200, NULL, file, NULL, NULL);
}

int web_indicator_add(http_req_t *r)
{
	people_user_t u;
	static const char *const fields[] = {"value", "type", "source", "tlp", "confidence", "classification",
					     "valid_until"};
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	json_t *one = json_object(), *item = json_object();
	for (size_t k = 0; k < 7; k++) {
		json_t *v = web_field_json(r, fields[k], k == 0 ? OBS_VALUE_MAX + 8 : 256);
		json_object_set(one, fields[k], v);
		/* the API's item: what was given (empty fields take the API's defaults) */
		if (json_string_length(v))
			json_object_set_new(item, fields[k], k == 4 ? web_number_json(v) : json_incref(v));
		json_decref(v);
	}
	json_t *items = json_pack("[o]", item);
	int64_t *ids = NULL;
	long at;
	const char *field = NULL;
	char err[700] = "out of memory";
	int rc = items ? api_indicators_add(r, items, &ids, &at, &field, err, sizeof err) : 500;
	if (rc == 403) {
		json_decref(items);
		json_decref(one);
		return web_error(r, 403, &u, N_("Adding indicators needs the contributor role."));
	}
	if (rc) {
		/* "item 0, field F: reason": the form names the field itself */
		const char *why = strstr(err, ": ");
		json_t *e = field_error(r, field, field && why ? why + 2 : err);
		json_decref(items);
		return add_page(r, &u, rc, one, NULL, e, NULL);
	}
	json_decref(items);
	json_decref(one);
	char to[80];
	snprintf(to, sizeof to, "/console/indicators/%lld?added=1", (long long)ids[0]);
	free(ids);
	return web_redirect(r, to);
}

/* ---- a pasted list or CSV file: as `c5hub ingest`, all or nothing ---- */

typedef struct {
	http_req_t *r;
	const ingest_opts_t *o;
} upload_t;

/* The upload's audit entry, in its transaction. */
static int upload_audit(void *arg, store_t *st, const char *name, long records)
{
	upload_t *up = arg;
	char detail[200];
	snprintf(detail, sizeof detail, "%ld records, source %s, org %lld (console)", records, up->o->source,
		 (long long)up->o->org_id);
	return http_audit(up->r, st, "indicators.ingest", name, detail);
}

int web_indicator_upload(http_req_t *r)
{
	people_user_t u;
	static const char *const fields[] = {"format", "source", "tlp", "confidence", "classification"};
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!auth_role_at_least(&r->who, ROLE_CONTRIBUTOR))
		return web_error(r, 403, &u, N_("Adding indicators needs the contributor role."));
	json_t *file = json_object();
	for (size_t k = 0; k < 5; k++)
		json_object_set_new(file, fields[k], web_field_json(r, fields[k], 256));
	/* the file chosen, else the text box: as long as the body */
	char *text, name[80];
	size_t tl;
	int from_file, got = web_upload(r, &text, &tl, name, sizeof name, &from_file);
	json_object_set_new(file, "text", json_string(got == 1 && !from_file ? text : ""));
	if (!json_object_get(file, "text")) /* not UTF-8: shown empty */
		json_object_set_new(file, "text", json_string(""));
	const char *error = NULL;
	char err[1024];
	ingest_opts_t o = {.org_id = r->who.org_id, .tlp = r->hub->default_tlp, .confidence = 50,
			   .before_commit = upload_audit};
	upload_t up = {r, &o};
	o.arg = &up;
	const char *fmt = json_string_value(json_object_get(file, "format"));
	const char *src = json_string_value(json_object_get(file, "source"));
	const char *tlp = json_string_value(json_object_get(file, "tlp"));
	const char *conf = json_string_value(json_object_get(file, "confidence"));
	const char *cls = json_string_value(json_object_get(file, "classification"));
	char *end;
	long cn = conf && *conf ? strtol(conf, &end, 10) : 50;
	if (got < 0)
		error = N_("The form did not arrive whole: try again.");
	else if (got == 0 || (!from_file && !text[strspn(text, " \t\r\n")]))
		error = N_("Choose a file, or paste a list or a CSV file into the text box.");
	else if (!fmt || (strcmp(fmt, "auto") && strcmp(fmt, "list") && strcmp(fmt, "csv")) ||
		 ingest_format_parse(fmt, &o.format))
		error = N_("Format: auto, list or csv.");
	else if (!src || !model_name_ok(src))
		error = N_("Source: a name of 1 to 128 printable characters.");
	else if (!tlp || tlp_parse(tlp, &o.tlp))
		error = N_("TLP: clear, green, amber, amber+strict or red.");
	else if ((conf && *conf && *end) || cn < 0 || cn > 100)
		error = N_("Confidence: a whole number from 0 to 100.");
	else if (cls && *cls && rsit_check(cls))
		error = N_("Classification: a class/type of the Reference Security Incident Taxonomy.");
	if (error) {
		free(text);
		return add_page(r, &u, 400, NULL, file, NULL, json_string(web_t(r, error)));
	}
	o.source = src;
	o.confidence = (int)cn;
	o.classification = cls && *cls ? cls : NULL;
	FILE *f = fmemopen(text, tl, "r");
	store_t *st = f ? hub_store_get(r->hub) : NULL;
	ingest_result_t res = {0};
	int rc = !st ? (snprintf(err, sizeof err, "%s", web_t(r, N_("The store is not available."))), -1)
		     : ingest_stream(st, f, name, &o, &res, err, sizeof err);
	hub_store_put(r->hub, st);
	if (f)
		fclose(f);
	free(text);
	if (rc) { /* "NAME:LINE: reason"; nothing was stored */
		char msg[1200];
		snprintf(msg, sizeof msg, "%s — %s", err, web_t(r, N_("Nothing was loaded.")));
		return add_page(r, &u, 400, NULL, file, NULL, json_string(msg));
	}
	hub_sync(r->hub);
	json_decref(file);
	char to[80];
	snprintf(to, sizeof to, "/console/indicators/new?loaded=%ld#file", res.records);
	return web_redirect(r, to);
}
