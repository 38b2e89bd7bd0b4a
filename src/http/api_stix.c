/* api_stix.c — sharing a STIX object wider than its creator did:
 * POST /api/v1/stix/{id}/share and /permit (see http.h), and its core,
 * api_stix_share_to, which the console's sharing page calls too. */
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

int api_stix_share_to(http_req_t *r, const char *id, int permit, const char *org, org_t *to, int *versions,
		      const char **field, char *err, size_t errlen)
{
	const char *what = permit ? "permit" : "share";
	char detail[300];
	versions_t v = {0};
	int rc = 0;
	store_stix_filter_t f = {.view = auth_view(&r->who), .tlp_max = TLP_RED, .id = id,
				 .limit = 1000};
	*field = NULL;
	*versions = 0;
	if (!auth_role_at_least(&r->who, ROLE_ANALYST))
		return snprintf(err, errlen, "sharing needs the analyst role"), 403;
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return snprintf(err, errlen, "store unavailable"), 500;
	if (store_org_find(st, org, to)) {
		*field = "org";
		rc = 400, snprintf(err, errlen, "no such organisation");
		goto out;
	}
	if (store_stix_list(st, &f, version_cb, &v)) {
		rc = 500, snprintf(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	if (!v.n) {
		rc = 404, snprintf(err, errlen, "no object '%s' that you may see", id);
		goto out;
	}
	if (v.tlp <= TLP_GREEN) {
		rc = 400, snprintf(err, errlen, "a CLEAR or GREEN object is already for every member");
		goto out;
	}
	int creator = r->who.org_id == v.creator;
	if (permit && !creator) {
		rc = 403, snprintf(err, errlen, "only the organisation that created it may permit re-sharing");
		goto out;
	}
	if (!permit && !creator) {
		int p = store_stix_permitted(st, id, r->who.org_id);
		if (p < 0) {
			rc = 500, snprintf(err, errlen, "%s", store_errmsg(st));
			goto out;
		}
		if (!p) {
			rc = 403, snprintf(err, errlen, "sharing it wider than its label needs the permission of the "
				       "organisation that created it");
			goto out;
		}
	}
	if (store_begin(st)) {
		rc = 500, snprintf(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	int bad = 0;
	if (permit)
		bad = store_stix_permit(st, id, to->id, r->who.org_id);
	else
		for (int i = 0; i < v.n && !bad; i++)
			bad = store_stix_share(st, v.rids[i], to->id);
	snprintf(detail, sizeof detail, "%s %s%s", what, to->name,
		 creator ? "" : " (re-shared with the creator's permission)");
	if (bad || http_audit(r, st, permit ? "stix.permit" : "stix.share", id, detail) || store_commit(st)) {
		store_rollback(st);
		rc = 500, snprintf(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	*versions = v.n;
	hub_sync(r->hub); /* the recipient's look-ups find it at once */
out:
	hub_store_put(r->hub, st);
	return rc;
}

int api_stix_share(http_req_t *r)
{
	char id[STORE_STIX_ID_MAX + 1], err[512];
	const char *slash = strchr(r->arg, '/'), *field;
	json_error_t je;
	org_t to;
	int n;
	if (!slash || (size_t)(slash - r->arg) > STORE_STIX_ID_MAX ||
	    (strcmp(slash, "/share") && strcmp(slash, "/permit")))
		return http_error(r, 404, "not_found", "POST /api/v1/stix/{id}/share or /permit");
	snprintf(id, sizeof id, "%.*s", (int)(slash - r->arg), r->arg);
	int permit = !strcmp(slash, "/permit");
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	const char *name = json_string_value(json_object_get(in, "org"));
	if (!name) {
		json_decref(in);
		return http_error_at(r, -1, "org", "give {\"org\": \"NAME\"}");
	}
	int rc = api_stix_share_to(r, id, permit, name, &to, &n, &field, err, sizeof err);
	json_decref(in);
	if (rc == 400 && field)
		return http_error_at(r, -1, field, err);
	if (rc)
		return http_error(r, rc, rc == 400 ? "invalid" : rc == 403 ? "forbidden" : rc == 404 ? "not_found"
							  : "internal", "%s", err);
	return http_json(r, 200, json_pack("{s:s, s:s, s:s, s:i}", "id", id, "action", permit ? "permit" : "share",
					   "org", to.name, "versions", n));
}
