/* api_stix.c — sharing a STIX object wider than its creator did:
 * POST /api/v1/stix/{id}/share and /permit (see http.h). */
#include <stdio.h>
#include <string.h>

#include "http/http.h"

/* {"org": "NAME"}.  share: name org a recipient of every version of the
 * object (AMBER, AMBER+STRICT, RED).  Its creator may; another organisation
 * that can see it may only with the creator's recorded permission.
 * permit: the creator lets org re-share it.  Both in the audit log. */

typedef struct {
	int64_t rids[64];
	int n;
	int64_t creator;
	tlp_t tlp;
} versions_t;

static int version_cb(void *arg, const store_stix_t *o)
{
	versions_t *v = arg;
	if (v->n < (int)(sizeof v->rids / sizeof v->rids[0]))
		v->rids[v->n++] = o->rid;
	v->creator = o->org_id;
	v->tlp = o->tlp;
	return 0;
}

int api_stix_share(http_req_t *r)
{
	char id[STORE_STIX_ID_MAX + 1], what[16], detail[300];
	const char *slash = strchr(r->arg, '/');
	json_error_t je;
	if (!slash || (size_t)(slash - r->arg) > STORE_STIX_ID_MAX ||
	    (strcmp(slash, "/share") && strcmp(slash, "/permit")))
		return http_error(r, 404, "not_found", "POST /api/v1/stix/{id}/share or /permit");
	snprintf(id, sizeof id, "%.*s", (int)(slash - r->arg), r->arg);
	snprintf(what, sizeof what, "%s", slash + 1);
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	const char *name = json_string_value(json_object_get(in, "org"));
	if (!name) {
		json_decref(in);
		return http_error_at(r, -1, "org", "give {\"org\": \"NAME\"}");
	}
	store_t *st = hub_store_get(r->hub);
	org_t to;
	versions_t v = {0};
	int rc;
	store_stix_filter_t f = {.view = auth_view(&r->who), .tlp_max = TLP_RED, .id = id,
				 .limit = 1000};
	if (!st) {
		json_decref(in);
		return http_error(r, 500, "internal", "store unavailable");
	}
	if (store_org_find(st, name, &to)) {
		rc = http_error_at(r, -1, "org", "no such organisation");
		goto out;
	}
	if (store_stix_list(st, &f, version_cb, &v)) {
		rc = http_error(r, 500, "internal", "%s", store_errmsg(st));
		goto out;
	}
	if (!v.n) {
		rc = http_error(r, 404, "not_found", "no object '%s' that you may see", id);
		goto out;
	}
	if (v.tlp <= TLP_GREEN) {
		rc = http_error(r, 400, "invalid", "a %s object is already for every member",
				tlp_name(v.tlp));
		goto out;
	}
	int creator = r->who.org_id == v.creator;
	if (!strcmp(what, "permit") && !creator) {
		rc = http_error(r, 403, "forbidden", "only the organisation that created it may permit "
				"re-sharing");
		goto out;
	}
	if (!strcmp(what, "share") && !creator) {
		int p = store_stix_permitted(st, id, r->who.org_id);
		if (p < 0) {
			rc = http_error(r, 500, "internal", "%s", store_errmsg(st));
			goto out;
		}
		if (!p) {
			rc = http_error(r, 403, "forbidden", "sharing it wider than its label needs the "
					"permission of the organisation that created it");
			goto out;
		}
	}
	if (store_begin(st)) {
		rc = http_error(r, 500, "internal", "%s", store_errmsg(st));
		goto out;
	}
	int bad = 0;
	if (!strcmp(what, "permit"))
		bad = store_stix_permit(st, id, to.id, r->who.org_id);
	else
		for (int i = 0; i < v.n && !bad; i++)
			bad = store_stix_share(st, v.rids[i], to.id);
	snprintf(detail, sizeof detail, "%s %s%s", what, to.name,
		 creator ? "" : " (re-shared with the creator's permission)");
	if (bad || http_audit(r, st, !strcmp(what, "permit") ? "stix.permit" : "stix.share", id, detail) ||
	    store_commit(st)) {
		store_rollback(st);
		rc = http_error(r, 500, "internal", "%s", store_errmsg(st));
		goto out;
	}
	hub_sync(r->hub); /* the recipient's look-ups find it at once */
	rc = http_json(r, 200, json_pack("{s:s, s:s, s:s, s:i}", "id", id, "action", what, "org",
					 to.name, "versions", v.n));
out:
	hub_store_put(r->hub, st);
	json_decref(in);
	return rc;
}
