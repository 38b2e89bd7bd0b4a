/* case_iodef.c — a constituent's IODEF report opens cases: the document is
 * read by the IODEF import (iodef.h: kept as STIX incident objects and
 * indicators, all or nothing), and each incident new to the hub becomes a
 * case of the reporting organisation carrying the addresses and names of
 * its systems, linked to its STIX incident.  See case.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "core/util.h"
#include "iodef/iodef.h"

typedef struct {
	char **json; /* the new incident objects' JSON, copied */
	size_t n, cap;
	int oom;
} got_t;

static void on_object(void *arg, const store_stix_t *row, int is_new)
{
	got_t *g = arg;
	if (!is_new || strcmp(row->type, "incident") || g->oom)
		return;
	char *j = strndup(row->json, row->json_len ? row->json_len : strlen(row->json));
	if (!j || util_grow(&g->json, &g->cap, g->n + 1, sizeof *g->json, 4)) {
		free(j);
		g->oom = 1;
		return;
	}
	g->json[g->n++] = j;
}

/* One incident object into a case. */
static int open_one(store_t *st, const case_actor_t *a, int64_t reporter, tlp_t tlp, json_t *obj,
		    store_case_t *out, char *err, size_t errlen)
{
	const char **obs = NULL;
	size_t nobs = 0, cap = 0, i, k;
	json_t *sys, *v;
	json_t *xi = json_object_get(obj, "x_iodef");
	json_array_foreach(json_object_get(xi, "systems"), i, sys) {
		json_array_foreach(json_object_get(sys, "addresses"), k, v) {
			const char *s = json_string_value(json_object_get(v, "value"));
			if (s && !util_grow(&obs, &cap, nobs + 1, sizeof *obs, 8))
				obs[nobs++] = s;
		}
		json_array_foreach(json_object_get(sys, "names"), k, v)
			if (json_is_string(v) && !util_grow(&obs, &cap, nobs + 1, sizeof *obs, 8))
				obs[nobs++] = json_string_value(v);
	}
	const char *desc = json_string_value(json_object_get(obj, "description"));
	const char *name = json_string_value(json_object_get(obj, "name"));
	const char *sev = json_string_value(json_object_get(json_object_get(xi, "assessment"), "severity"));
	char title[CASE_TITLE_MAX + 1], body[1100];
	/* the title: the first line of the description, else the IncidentID;
	 * both cut on a character, never inside one */
	const char *t = desc && *desc ? desc : name ? name : "IODEF report";
	int tl = (int)util_utf8_cut(t, strcspn(t, "\r\n\t"), CASE_TITLE_MAX);
	snprintf(title, sizeof title, "%.*s", tl, t);
	int nl = name ? (int)util_utf8_cut(name, strlen(name), 600) : 0;
	int dl = desc ? (int)util_utf8_cut(desc, strlen(desc), 400) : 0;
	snprintf(body, sizeof body, "IODEF report %.*s%s%.*s", nl, name ? name : "", desc ? ": " : "",
		 dl, desc ? desc : "");
	case_new_t n = {.reporter_org = reporter, .title = title, .body = body, .tlp = (int)tlp,
			.severity = sev && (!strcmp(sev, "low") || !strcmp(sev, "medium") ||
					    !strcmp(sev, "high")) ? sev : NULL,
			.observables = obs, .nobservables = nobs, .lenient = 1, .source = "iodef"};
	int rc = case_open(st, a, &n, out, err, errlen);
	free(obs);
	const char *sid = json_string_value(json_object_get(obj, "id"));
	if (!rc && sid) {
		/* part of the opening (its "open" entry says iodef), by whoever reports */
		store_case_link_t l = {.case_id = out->id, .created = out->created};
		snprintf(l.kind, sizeof l.kind, "stix");
		snprintf(l.target, sizeof l.target, "%s", sid);
		if (store_case_link_add(st, &l)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			rc = CASE_ERR;
		}
	}
	return rc;
}

int case_import_iodef(store_t *st, const case_actor_t *a, int64_t reporter_org, tlp_t tlp,
		      const char *buf, size_t len, const char *name, store_case_cb cb, void *arg,
		      char *err, size_t errlen)
{
	got_t g = {0};
	iodef_result_t res = {0};
	stix_import_opts_t o = {.org_id = reporter_org, .tlp = tlp, .source = "iodef", .confidence = 50,
				.on_object = on_object, .arg = &g};
	int rc = 0;
	if (!a->hub && reporter_org != a->org_id)
		return snprintf(err, errlen, "reporter: a constituent reports for itself"), CASE_EFORBIDDEN;
	if (iodef_import_buf(st, buf, len, name, &o, &res, err, errlen)) {
		rc = CASE_EINVAL;
		goto out;
	}
	if (g.oom) {
		snprintf(err, errlen, "out of memory");
		rc = CASE_ERR;
		goto out;
	}
	for (size_t i = 0; i < g.n && !rc; i++) {
		json_t *obj = json_loads(g.json[i], 0, NULL);
		store_case_t c;
		if (!obj)
			continue;
		tlp_t t = stix_object_tlp(obj, tlp);
		rc = open_one(st, a, reporter_org, t, obj, &c, err, errlen);
		json_decref(obj);
		if (!rc && cb)
			cb(arg, &c);
	}
out:
	for (size_t i = 0; i < g.n; i++)
		free(g.json[i]);
	free(g.json);
	return rc;
}
