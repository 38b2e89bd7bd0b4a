/* api_gw.c — the gateway's API under /api/v1/gw/ (search, entries,
 * resources, news, approval) and its cores, api_gw_save, api_gw_approve,
 * api_gw_attach and api_gw_list, which the console's pages call too.  The
 * rules are gw.h's; this file reads requests, audits and answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw/gw.h"
#include "gw/gw_json.h"
#include "http/http.h"

/* "entries" -> "entry", ...; NULL when unknown */
static const char *kind_of(const char *plural, size_t n)
{
	static const char *const map[][2] = {{"entries", "entry"}, {"resources", "resource"}, {"news", "news"}};
	for (size_t i = 0; i < 3; i++)
		if (strlen(map[i][0]) == n && !strncmp(plural, map[i][0], n))
			return map[i][1];
	return NULL;
}

int api_gw_save(http_req_t *r, const char *kind, int64_t id, json_t *in, json_t **out, const char **field, char *err,
		size_t errlen)
{
	store_t *st = NULL;
	int rc = 0;
	char obj[48];
	union {
		store_gw_entry_t e;
		store_gw_res_t res;
		store_gw_news_t n;
	} *u = calloc(1, sizeof *u);
	*out = NULL;
	*field = NULL;
	if (!u)
		return snprintf(err, errlen, "out of memory"), 500;
	/* refused before anything is read: who may not write at all */
	if (!strcmp(kind, "news") ? !gw_may_approve(&r->who) : !gw_may_edit(&r->who, r->who.org_id) && !gw_may_approve(&r->who)) {
		rc = 403, snprintf(err, errlen, "writing to the gateway needs the contributor role");
		goto out;
	}
	if (!(st = hub_store_get(r->hub))) {
		rc = 500, snprintf(err, errlen, "store unavailable");
		goto out;
	}
	/* an edit starts from what is stored: fields not given keep their value */
	int got = !strcmp(kind, "entry") ? (id ? store_gw_entry_get(st, id, &u->e) : 0)
		: !strcmp(kind, "resource") ? (id ? store_gw_res_get(st, id, &u->res) : 0)
		: (id ? store_gw_news_get(st, id, &u->n) : 0);
	if (got == STORE_ENOTFOUND) {
		rc = 404, snprintf(err, errlen, "no such %s", kind);
		goto out;
	} else if (got) {
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto out;
	}
	int64_t org = id ? 0 : r->who.org_id;
	const char *org_name = json_string_value(json_object_get(in, "org"));
	if (org_name) { /* an approver writes for another organisation */
		org_t o;
		if (store_org_find(st, org_name, &o)) {
			rc = 400, *field = "org", snprintf(err, errlen, "no organisation named '%.100s'", org_name);
			goto out;
		}
		org = o.id;
		json_object_del(in, "org");
	}
	if (!strcmp(kind, "entry")) {
		u->e.id = id;
		if (!id)
			u->e.org_id = org;
		else if (org)
			u->e.org_id = org;
		u->e.status[0] = '\0';
		rc = gw_entry_from_json(in, &u->e, field, err, errlen);
	} else if (!strcmp(kind, "resource")) {
		u->res.id = id;
		if (!id || org)
			u->res.org_id = org;
		u->res.status[0] = '\0';
		rc = gw_res_from_json(in, &u->res, field, err, errlen);
	} else {
		u->n.id = id;
		if (!id || org)
			u->n.org_id = org;
		u->n.status[0] = '\0';
		rc = gw_news_from_json(in, &u->n, field, err, errlen);
	}
	if (rc)
		goto out;
	if (store_begin(st)) {
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto out;
	}
	if (!strcmp(kind, "entry"))
		rc = gw_entry_save(st, &r->who, &u->e, field, err, errlen);
	else if (!strcmp(kind, "resource"))
		rc = gw_res_save(st, &r->who, &u->res, field, err, errlen);
	else
		rc = gw_news_save(st, &r->who, &u->n, field, err, errlen);
	int64_t nid = !strcmp(kind, "entry") ? u->e.id : !strcmp(kind, "resource") ? u->res.id : u->n.id;
	snprintf(obj, sizeof obj, "%s %lld", kind, (long long)nid);
	if (!rc && (http_audit(r, st, id ? "gw.edit" : "gw.add", obj, "") || store_commit(st)))
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
	if (rc) {
		store_rollback(st);
		goto out;
	}
	*out = !strcmp(kind, "entry") ? gw_entry_json(&u->e) : !strcmp(kind, "resource") ? gw_res_json(&u->res)
											  : gw_news_json(&u->n);
out:
	hub_store_put(r->hub, st);
	free(u);
	return rc;
}

int api_gw_approve(http_req_t *r, const char *kind, int64_t id, int approve, char *err, size_t errlen)
{
	char obj[48];
	store_t *st = hub_store_get(r->hub);
	int rc;
	if (!st)
		return snprintf(err, errlen, "store unavailable"), 500;
	snprintf(obj, sizeof obj, "%s %lld", kind, (long long)id);
	if (store_begin(st))
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
	else if ((rc = gw_approve(st, &r->who, kind, id, approve, err, errlen)))
		store_rollback(st);
	else if (http_audit(r, st, approve ? "gw.approve" : "gw.reject", obj, "") || store_commit(st)) {
		store_rollback(st);
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
	}
	hub_store_put(r->hub, st);
	return rc;
}

int api_gw_attach(http_req_t *r, int64_t id, const void *data, size_t n, const char *name, char *err,
		  size_t errlen)
{
	char obj[48];
	store_t *st = hub_store_get(r->hub);
	int rc;
	if (!st)
		return snprintf(err, errlen, "store unavailable"), 500;
	snprintf(obj, sizeof obj, "resource %lld", (long long)id);
	if (store_begin(st))
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
	else if ((rc = gw_res_attach(st, &r->who, id, data, n, name, err, errlen)))
		store_rollback(st);
	else if (http_audit(r, st, "gw.attach", obj, name) || store_commit(st)) {
		store_rollback(st);
		rc = 500, snprintf(err, errlen, "store: %s", store_errmsg(st));
	}
	hub_store_put(r->hub, st);
	return rc;
}

/* ---- lists ---- */

typedef struct {
	const principal_t *p;
	json_t *out;
	api_gw_cb cb;
	void *arg;
} list_t;

static int entry_one(void *arg, const store_gw_entry_t *e)
{
	list_t *l = arg;
	if (!gw_may_see(l->p, e->org_id, e->status))
		return 0;
	json_t *j = gw_entry_json(e);
	int rc = l->cb(l->arg, j);
	json_decref(j);
	return rc;
}

static int res_one(void *arg, const store_gw_res_t *x)
{
	list_t *l = arg;
	if (!gw_may_see(l->p, x->org_id, x->status))
		return 0;
	json_t *j = gw_res_json(x);
	int rc = l->cb(l->arg, j);
	json_decref(j);
	return rc;
}

static int news_one(void *arg, const store_gw_news_t *x)
{
	list_t *l = arg;
	if (!gw_may_see(l->p, x->org_id, x->status))
		return 0;
	json_t *j = gw_news_json(x);
	int rc = l->cb(l->arg, j);
	json_decref(j);
	return rc;
}

int api_gw_list(http_req_t *r, const char *kind, const char *status, int limit, api_gw_cb cb, void *arg)
{
	store_t *st = hub_store_get(r->hub);
	list_t l = {&r->who, NULL, cb, arg};
	store_gw_filter_t f = {.status = status, .view = auth_view(&r->who), .limit = limit};
	int rc;
	if (!st)
		return STORE_ERR;
	if (!strcmp(kind, "entry"))
		rc = store_gw_entry_list(st, &f, entry_one, &l);
	else if (!strcmp(kind, "resource"))
		rc = store_gw_res_list(st, &f, res_one, &l);
	else
		rc = store_gw_news_list(st, &f, news_one, &l);
	hub_store_put(r->hub, st);
	return rc;
}

static int append(void *arg, json_t *item)
{
	json_array_append(arg, item);
	return 0;
}

/* ---- the handler of everything under /api/v1/gw/ ---- */

static int answer(http_req_t *r, int rc, const char *field, const char *err)
{
	if (rc == 400 && field)
		return http_error_at(r, -1, field, err);
	return http_error(r, rc, rc == 400 ? "invalid" : rc == 403 ? "forbidden" : rc == 404 ? "not_found" : "internal",
			  "%s", err);
}

static int search(http_req_t *r)
{
	char err[256], aerr[160];
	unsigned areas = 0;
	const char *area = http_query(r, "area"), *off = http_query(r, "offset");
	if (area && gw_area_parse(area, &areas, aerr, sizeof aerr))
		return http_error_at(r, -1, "area", aerr);
	gw_search_t s = {.q = http_query(r, "q"), .kind = http_query(r, "kind"),
			 .stakeholder = http_query(r, "stakeholder"), .country = http_query(r, "country"),
			 .lang = http_query(r, "lang"), .type = http_query(r, "type"), .areas = areas,
			 .offset = off ? atoi(off) : 0};
	if (s.offset < 0 || s.offset > 100000)
		return http_error_at(r, -1, "offset", "offset is 0 to 100000");
	gw_result_t *res = malloc(sizeof *res);
	store_t *st = hub_store_get(r->hub);
	tlp_view_t v = auth_view(&r->who);
	int rc = !res || !st ? (snprintf(err, sizeof err, "unavailable"), 500)
			     : gw_search(st, &v, &s, res, err, sizeof err);
	hub_store_put(r->hub, st);
	if (rc) {
		free(res);
		return answer(r, rc, NULL, err);
	}
	json_t *j = gw_result_json(res);
	free(res);
	return http_json(r, 200, j);
}

int api_gw(http_req_t *r)
{
	char err[512];
	const char *field = NULL;
	const char *a = r->arg, *slash = strchr(a, '/');
	size_t n = slash ? (size_t)(slash - a) : strlen(a);
	if (!strcmp(r->method, "GET") && !strcmp(a, "search"))
		return search(r);
	const char *kind = kind_of(a, n);
	if (!kind)
		return http_error(r, 404, "not_found", "/api/v1/gw/search, entries, resources or news");
	const char *rest = slash ? slash + 1 : "";
	char *end;
	int64_t id = 0;
	if (*rest) {
		id = strtoll(rest, &end, 10);
		if (id <= 0 || (*end && *end != '/'))
			return http_error(r, 404, "not_found", "no such %s", kind);
		rest = *end ? end + 1 : "";
	}
	if (!strcmp(r->method, "GET") && !id) {
		const char *status = http_query(r, "status");
		json_t *items = json_array();
		if (api_gw_list(r, kind, status, 1000, append, items)) {
			json_decref(items);
			return http_error(r, 500, "internal", "store error");
		}
		return http_json(r, 200, json_pack("{s:o}", "items", items));
	}
	if (!strcmp(r->method, "GET") && !*rest) { /* one item, as the lists show it */
		json_t *items = json_array(), *one = NULL;
		if (api_gw_list(r, kind, NULL, 100000, append, items)) {
			json_decref(items);
			return http_error(r, 500, "internal", "store error");
		}
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
			if (json_integer_value(json_object_get(it, "id")) == id)
				one = json_incref(it);
		json_decref(items);
		return one ? http_json(r, 200, one) : http_error(r, 404, "not_found", "no such %s", kind);
	}
	if (strcmp(r->method, "POST"))
		return http_error(r, 405, "method_not_allowed", "%s is not allowed here", r->method);
	if (id && (!strcmp(rest, "approve") || !strcmp(rest, "reject"))) {
		int rc = api_gw_approve(r, kind, id, !strcmp(rest, "approve"), err, sizeof err);
		if (rc)
			return answer(r, rc, NULL, err);
		return http_json(r, 200, json_pack("{s:s, s:I, s:s}", "kind", kind, "id", (json_int_t)id, "status",
						   !strcmp(rest, "approve") ? "public" : "draft"));
	}
	if (*rest)
		return http_error(r, 404, "not_found", "POST .../{id}, .../{id}/approve or .../{id}/reject");
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je), *out;
	if (!json_is_object(in)) {
		json_decref(in);
		return http_error(r, 400, "invalid", "the body must be a JSON object");
	}
	int rc = api_gw_save(r, kind, id, in, &out, &field, err, sizeof err);
	if (rc == 400 && field) { /* field may point into in */
		int q = http_error_at(r, -1, field, err);
		json_decref(in);
		return q;
	}
	json_decref(in);
	if (rc)
		return answer(r, rc, NULL, err);
	return http_json(r, id ? 200 : 201, out);
}
