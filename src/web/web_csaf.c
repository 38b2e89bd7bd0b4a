/* web_csaf.c — advisories in the console (the list, the editor of the
 * hub's analysts: a form that works without JavaScript, the CSAF preview,
 * publishing) and each published advisory's public page (/advisories/{id},
 * by the one rule: CLEAR for everyone, GREEN for members signed in).  Reads
 * and writes through the API's cores (api_advisories, api_advisory_find,
 * api_advisory_save, api_advisory_publish_as). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csaf/csaf.h"
#include "web/web_int.h"

#define ADV_FIELD_MAX 20000

/* ---- the public page ---- */

static json_t *adv_view(const json_t *adv)
{
	json_t *v = json_deep_copy(adv), *it;
	size_t i;
	/* each vulnerability's score, and the products by name */
	json_array_foreach(json_object_get(v, "vulnerabilities"), i, it) {
		const char *vec = json_string_value(json_object_get(it, "cvss_vector"));
		double s;
		const char *sev;
		char err[200], b[32];
		if (vec && *vec && csaf_cvss3(vec, &s, &sev, NULL, err, sizeof err) == 0) {
			snprintf(b, sizeof b, "%.1f %s", s, sev);
			json_object_set_new(it, "score", json_string(b));
		}
		json_t *names = json_array(), *p;
		size_t j, k;
		json_t *pid;
		json_array_foreach(json_object_get(it, "products"), j, pid)
			json_array_foreach(json_object_get(v, "products"), k, p)
				if (json_equal(json_object_get(p, "id"), pid))
					json_array_append_new(names, json_pack("{sO,sO,sO}", "vendor", json_object_get(p, "vendor"),
									       "name", json_object_get(p, "name"), "version",
									       json_object_get(p, "version")));
		json_object_set_new(it, "affected", names);
	}
	return v;
}

int web_advisory_page(http_req_t *r)
{
	tlp_view_t v = http_viewer(r);
	store_t *st = hub_store_get(r->hub);
	store_adv_t a;
	json_t *doc = NULL, *adv = NULL;
	char err[300];
	if (!st)
		return web_error(r, 503, NULL, N_("The hub is busy: try again."));
	int rc = store_adv_get(st, r->arg, &a);
	hub_store_put(r->hub, st);
	if (rc || !a.doc || !tlp_visible(&v, a.tlp, a.org_id, 0)) {
		if (!rc)
			store_adv_clear(&a);
		return web_error(r, 404, NULL, N_("No such advisory."));
	}
	json_error_t je;
	if ((doc = json_loads(a.doc, 0, &je)))
		adv = csaf_adv_from_doc(doc, err, sizeof err);
	json_decref(doc);
	if (!adv) {
		store_adv_clear(&a);
		return web_error(r, 500, NULL, N_("The advisory could not be read."));
	}
	char when[MODEL_TIME_LEN], dir_rel[220], rel[200];
	csaf_rel_path(&a, rel, sizeof rel);
	snprintf(dir_rel, sizeof dir_rel, "/.well-known/csaf/%s/%s", csaf_tlp_dir(a.tlp), rel);
	json_t *ctx = json_pack("{so,ss,si,ss,ss,sb,sb,sb}", "adv", adv_view(adv), "tlp", tlp_name(a.tlp), "version",
				a.version, "date", model_time_fmt(a.current_date, when), "csaf", dir_rel, "mirror", a.mirror,
				"has_products", json_array_size(json_object_get(adv, "products")) > 0,
				"has_refs", json_array_size(json_object_get(adv, "references")) > 0);
	json_decref(adv);
	web_page_t p = {.tpl = "advisory", .title = a.title};
	store_adv_clear(&a);
	return web_page(r, 200, &p, ctx);
}

/* ---- the console ---- */

typedef struct {
	json_t *list;
} rows_t;

static int row_cb(void *arg, const store_adv_t *a)
{
	rows_t *l = arg;
	char when[MODEL_TIME_LEN];
	return json_array_append_new(l->list, json_pack("{ss,ss,ss,ss,si,ss,sb,sb}", "id", a->tracking_id, "title",
						       a->title, "tlp", tlp_name(a->tlp), "status", a->status,
						       "version", a->version,
						       "date", a->current_date ? model_time_fmt(a->current_date, when) : "",
						       "mirror", a->mirror, "public", a->tlp == TLP_CLEAR && a->version));
}

int web_advisories(http_req_t *r)
{
	people_user_t u;
	rows_t l = {json_array()};
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	store_t *st = hub_store_get(r->hub);
	int rc = st ? api_advisories(r, st, 500, row_cb, &l) : -1;
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(l.list);
		return web_error(r, 500, &u, N_("The hub could not read the advisories."));
	}
	web_page_t p = {.tpl = "advisories", .title = N_("Advisories"), .nav = "advisories", .u = &u, .sid = r->sid};
	return web_page(r, 200, &p, json_pack("{so,sb}", "rows", l.list, "writer", api_advisory_may_write(r)));
}

/* The form of an advisory: its fields as the template shows them. */
static json_t *form_of(const json_t *adv)
{
	json_t *f = json_object(), *it;
	size_t i;
	const char *const keys[] = {"id", "title", "summary", "category", "tlp"};
	for (size_t k = 0; k < 5; k++) {
		json_t *s = json_object_get(adv, keys[k]);
		json_object_set_new(f, keys[k], json_string(json_is_string(s) ? json_string_value(s) : ""));
	}
	char *prods = NULL, *refs = NULL;
	size_t pl = 0, rl = 0;
	FILE *pf = open_memstream(&prods, &pl), *rf = open_memstream(&refs, &rl);
	json_array_foreach(json_object_get(adv, "products"), i, it)
		if (pf)
			fprintf(pf, "%s | %s | %s\n", json_string_value(json_object_get(it, "vendor")) ?: "",
				json_string_value(json_object_get(it, "name")) ?: "",
				json_string_value(json_object_get(it, "version")) ?: "");
	json_array_foreach(json_object_get(adv, "references"), i, it)
		if (rf)
			fprintf(rf, "%s %s\n", json_string_value(json_object_get(it, "url")) ?: "",
				json_string_value(json_object_get(it, "summary")) ?: "");
	if (pf)
		fclose(pf);
	if (rf)
		fclose(rf);
	json_object_set_new(f, "products", web_str(prods ? prods : ""));
	json_object_set_new(f, "references", web_str(refs ? refs : ""));
	free(prods);
	free(refs);
	json_t *vs = json_array();
	json_array_foreach(json_object_get(adv, "vulnerabilities"), i, it) {
		json_t *v = json_object(), *pid;
		const char *const vk[] = {"cve", "title", "description", "cvss_vector", "remediation"};
		for (size_t k = 0; k < 5; k++) {
			json_t *s = json_object_get(it, vk[k]);
			json_object_set_new(v, vk[k], json_string(json_is_string(s) ? json_string_value(s) : ""));
		}
		/* the products by their line number in the products box */
		char nums[600] = "";
		size_t j, k;
		json_t *p;
		json_array_foreach(json_object_get(it, "products"), j, pid)
			json_array_foreach(json_object_get(adv, "products"), k, p)
				if (json_equal(json_object_get(p, "id"), pid)) {
					size_t n = strlen(nums);
					snprintf(nums + n, sizeof nums - n, "%s%zu", n ? ", " : "", k + 1);
				}
		json_object_set_new(v, "products", json_string(nums));
		json_object_set_new(v, "n", json_integer((json_int_t)i));
		json_object_set_new(v, "label", json_integer((json_int_t)i + 1));
		json_array_append_new(vs, v);
	}
	/* and one empty block: a vulnerability more */
	size_t n = json_array_size(vs);
	json_array_append_new(vs, json_pack("{ss,ss,ss,ss,ss,ss,si,si}", "cve", "", "title", "", "description", "",
					    "cvss_vector", "", "remediation", "", "products", "", "n", (int)n, "label",
					    (int)n + 1));
	json_object_set_new(f, "vulns", vs);
	json_object_set_new(f, "nv", json_integer((json_int_t)json_array_size(vs)));
	return f;
}

static json_t *choices(const char *const *names, size_t n, const char *sel)
{
	return web_choices(names, n, sel);
}

static int edit_page(http_req_t *r, const people_user_t *u, int status, int create, const json_t *adv,
		     const store_adv_t *a, const char *error, const char *notice, const char *preview)
{
	static const char *const cats[] = {"csaf_security_advisory", "csaf_base"};
	static const char *const tlps[] = {"CLEAR", "GREEN", "AMBER", "RED"};
	json_t *f = form_of(adv);
	json_t *ctx = json_pack("{so,sb,so,so}", "f", f, "create", create,
				"cats", choices(cats, 2, json_string_value(json_object_get(f, "category"))),
				"tlps", choices(tlps, 4, json_string_value(json_object_get(f, "tlp"))));
	if (error)
		json_object_set_new(ctx, "error", web_str(error));
	if (notice)
		json_object_set_new(ctx, "notice", web_str(notice));
	if (preview)
		json_object_set_new(ctx, "preview", web_str(preview));
	if (a) {
		char when[MODEL_TIME_LEN];
		json_object_set_new(ctx, "a", json_pack("{ss,ss,si,ss,sb}", "id", a->tracking_id, "status", a->status,
							"version", a->version,
							"date", a->current_date ? model_time_fmt(a->current_date, when) : "",
							"public", a->version > 0));
	}
	web_page_t p = {.tpl = "advisory_edit", .title = create ? N_("New advisory") : N_("Advisory"),
			.nav = "advisories", .u = u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_advisory_new(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_advisory_may_write(r))
		return web_error(r, 403, &u, N_("Advisories are written by the hub's analysts."));
	json_t *adv = json_pack("{ss,ss}", "category", "csaf_security_advisory", "tlp", "CLEAR");
	int rc = edit_page(r, &u, 200, 1, adv, NULL, NULL, NULL, NULL);
	json_decref(adv);
	return rc;
}

/* A form field as a string (a new reference; "" when absent). */
static json_t *fld(http_req_t *r, const char *name)
{
	return web_field_json(r, name, ADV_FIELD_MAX);
}

/* The model from the form; the products box's lines "vendor | name |
 * version", a vulnerability's products by line number (1, 3) or id. */
static json_t *adv_of_form(http_req_t *r, const char *id)
{
	json_t *adv = json_object(), *prods = json_array(), *vulns = json_array(), *refs = json_array();
	const char *const keys[] = {"title", "summary", "category", "tlp"};
	json_object_set_new(adv, "id", id ? json_string(id) : fld(r, "id"));
	for (size_t k = 0; k < 4; k++)
		json_object_set_new(adv, keys[k], fld(r, keys[k]));
	json_t *pt = fld(r, "products");
	char *text = strdup(json_string_value(pt) ? json_string_value(pt) : ""), *save = NULL, *line;
	json_decref(pt);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		char *parts[3] = {"", "", ""}, *s2 = NULL, *tok;
		int n = 0;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (!strspn(line, " \t") && !*line)
			continue;
		if (strspn(line, " \t") == l)
			continue;
		for (tok = strtok_r(line, "|", &s2); tok && n < 3; tok = strtok_r(NULL, "|", &s2)) {
			while (*tok == ' ' || *tok == '\t')
				tok++;
			size_t e = strlen(tok);
			while (e && (tok[e - 1] == ' ' || tok[e - 1] == '\t'))
				tok[--e] = '\0';
			parts[n++] = tok;
		}
		json_array_append_new(prods, json_pack("{s:o,s:o,s:o}", "vendor", web_str(parts[0]), "name",
						       web_str(parts[1]), "version", web_str(parts[2])));
	}
	free(text);
	/* product ids as the check gives them (CSAFPID-nnnn by line) */
	for (size_t i = 0; i < json_array_size(prods); i++) {
		char pid[32];
		snprintf(pid, sizeof pid, "CSAFPID-%04zu", i + 1);
		json_object_set_new(json_array_get(prods, i), "id", json_string(pid));
	}
	char name[32], nvb[16];
	long nv = 0;
	if (web_field(r, "nv", nvb, sizeof nvb) == 1)
		nv = strtol(nvb, NULL, 10);
	if (nv < 0 || nv > 100)
		nv = 0;
	for (long i = 0; i < nv; i++) {
		const char *const vk[] = {"cve", "title", "description", "cvss_vector", "remediation"};
		json_t *v = json_object();
		int any = 0;
		for (size_t k = 0; k < 5; k++) {
			snprintf(name, sizeof name, "v%ld_%s", i, vk[k]);
			json_t *s = fld(r, name);
			any |= json_string_length(s) > 0;
			json_object_set_new(v, vk[k], s);
		}
		snprintf(name, sizeof name, "v%ld_products", i);
		json_t *ps = fld(r, name), *pl = json_array();
		any |= json_string_length(ps) > 0;
		char *t = strdup(json_string_value(ps) ?: ""), *s3 = NULL, *tok;
		json_decref(ps);
		for (tok = t ? strtok_r(t, ", ", &s3) : NULL; tok; tok = strtok_r(NULL, ", ", &s3)) {
			char *end;
			long k = strtol(tok, &end, 10);
			char pid[32];
			if (!*end && k >= 1 && k <= 9999) {
				snprintf(pid, sizeof pid, "CSAFPID-%04ld", k);
				json_array_append_new(pl, json_string(pid));
			} else
				json_array_append_new(pl, web_str(tok));
		}
		free(t);
		json_object_set_new(v, "products", pl);
		if (any)
			json_array_append_new(vulns, v);
		else
			json_decref(v);
	}
	json_t *rt = fld(r, "references");
	text = strdup(json_string_value(rt) ?: "");
	json_decref(rt);
	for (line = text ? strtok_r(text, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (strspn(line, " \t") == l)
			continue;
		char *sp = strchr(line, ' ');
		if (sp)
			*sp++ = '\0';
		json_array_append_new(refs, json_pack("{s:o,s:o}", "url", web_str(line), "summary", web_str(sp ? sp : "")));
	}
	free(text);
	json_object_set_new(adv, "products", prods);
	json_object_set_new(adv, "vulnerabilities", vulns);
	json_object_set_new(adv, "references", refs);
	return adv;
}

/* "path: reason" in a person's words: the form's field names. */
static void say_path(http_req_t *r, const char *path, const char *why, char *out, size_t n)
{
	long i;
	char rest[64];
	if (sscanf(path, "/vulnerabilities/%ld/%63s", &i, rest) == 2)
		snprintf(out, n, "%s %ld, %s: %s", web_t(r, N_("Vulnerability")), i + 1, rest, why);
	else if (sscanf(path, "/products/%ld", &i) == 1)
		snprintf(out, n, "%s %ld: %s", web_t(r, N_("Products, line")), i + 1, why);
	else if (sscanf(path, "/references/%ld", &i) == 1)
		snprintf(out, n, "%s %ld: %s", web_t(r, N_("References, line")), i + 1, why);
	else
		snprintf(out, n, "%s: %s", path[0] == '/' ? path + 1 : path, why);
}

static int save_post(http_req_t *r, int create)
{
	people_user_t u;
	char path[200], err[600], msg[900], loc[200];
	store_adv_t a;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_advisory_may_write(r))
		return web_error(r, 403, &u, N_("Advisories are written by the hub's analysts."));
	if (!create) {
		/* the advisory must be one r may see, like a GET */
		store_t *st = hub_store_get(r->hub);
		int found = st ? api_advisory_find(r, st, r->arg, &a) : 503;
		hub_store_put(r->hub, st);
		if (found)
			return web_error(r, 404, &u, N_("No such advisory."));
		store_adv_clear(&a);
	}
	char action[16] = "";
	web_field(r, "action", action, sizeof action);
	json_t *adv = adv_of_form(r, create ? NULL : r->arg);
	json_t *shown = json_deep_copy(adv);
	int rc = api_advisory_save(r, adv, create, &a, path, sizeof path, err, sizeof err);
	if (rc) {
		if (rc == 400)
			say_path(r, path, err, msg, sizeof msg);
		else
			snprintf(msg, sizeof msg, "%s", err);
		int out = edit_page(r, &u, rc == 409 ? 409 : 400, create, shown, NULL, msg, NULL, NULL);
		json_decref(adv);
		json_decref(shown);
		return out;
	}
	json_decref(adv);
	json_decref(shown);
	if (!strcmp(action, "publish")) {
		char summary[512] = "";
		store_adv_t p;
		web_field(r, "revision_summary", summary, sizeof summary);
		rc = api_advisory_publish_as(r, a.tracking_id, summary, &p, err, sizeof err);
		if (rc) {
			json_error_t je;
			json_t *saved = json_loads(a.data, 0, &je);
			snprintf(msg, sizeof msg, "%s: %s", web_t(r, N_("Saved, but not published")), err);
			int out = edit_page(r, &u, 409, 0, saved ? saved : json_null(), &a, msg, NULL, NULL);
			json_decref(saved);
			store_adv_clear(&a);
			return out;
		}
		store_adv_clear(&p);
		snprintf(loc, sizeof loc, "/console/advisories/%s?published=1", a.tracking_id);
	} else
		snprintf(loc, sizeof loc, "/console/advisories/%s?saved=1", a.tracking_id);
	store_adv_clear(&a);
	return web_redirect(r, loc);
}

int web_advisory_add(http_req_t *r)
{
	return save_post(r, 1);
}

int web_advisory_post(http_req_t *r)
{
	return save_post(r, 0);
}

int web_advisory(http_req_t *r)
{
	people_user_t u;
	store_adv_t a;
	char err[600];
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	store_t *st = hub_store_get(r->hub);
	int rc = st ? api_advisory_find(r, st, r->arg, &a) : 503;
	if (rc) {
		hub_store_put(r->hub, st);
		return web_error(r, 404, &u, N_("No such advisory."));
	}
	if (!api_advisory_may_write(r) || a.mirror) {
		hub_store_put(r->hub, st);
		char loc[200];
		snprintf(loc, sizeof loc, "/advisories/%s", a.tracking_id);
		store_adv_clear(&a);
		return web_redirect(r, loc);
	}
	char *preview = NULL;
	if (http_query(r, "preview")) {
		json_t *doc = csaf_preview(st, a.tracking_id, err, sizeof err);
		preview = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : strdup(err);
		json_decref(doc);
	}
	hub_store_put(r->hub, st);
	json_error_t je;
	json_t *adv = json_loads(a.data, 0, &je);
	const char *notice = http_query(r, "published") ? N_("Published: a new revision is served.")
			     : http_query(r, "saved") ? N_("Saved. Publish to send the changes.") : NULL;
	if (!adv)
		adv = json_object();
	rc = edit_page(r, &u, 200, 0, adv, &a, NULL, notice ? web_t(r, notice) : NULL, preview);
	free(preview);
	json_decref(adv);
	store_adv_clear(&a);
	return rc;
}
