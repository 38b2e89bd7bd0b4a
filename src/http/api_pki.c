/* api_pki.c — enrolment over the API: a member files a certificate signing
 * request for its own organisation and fetches the certificate once it is
 * approved; an administrator of the hub approves.  Public: /pki/ca.pem and
 * /pki/crl.pem (api.c).  Also who answers for a value (the constituency). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "hub/hub_pki.h"

static audit_entry_t who_of(http_req_t *r, char *addr, size_t n)
{
	http_client_addr(r, addr, n);
	return (audit_entry_t){.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr};
}

/* POST /api/v1/pki/requests {"csr": PEM, "role": ROLE} */
int api_pki_request(http_req_t *r)
{
	json_error_t je;
	json_t *in = json_loadb(r->body, r->len, 0, &je);
	char err[512], addr[64];
	if (!json_is_object(in)) {
		json_decref(in);
		return http_error(r, 400, "invalid", "body must be {\"csr\": PEM, \"role\": ROLE}");
	}
	const char *csr = json_string_value(json_object_get(in, "csr"));
	json_t *rv = json_object_get(in, "role");
	const char *role = rv ? json_string_value(rv) : "reader";
	int rc;
	if (!csr || !role) {
		rc = http_error_at(r, -1, csr ? "role" : "csr", csr ? "role must be a string"
								 : "csr must be the PEM text of the request");
		json_decref(in);
		return rc;
	}
	int64_t id;
	pki_info_t info;
	audit_entry_t who = who_of(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	if (!st)
		rc = http_error(r, 500, "internal", "store unavailable");
	else if (hub_pki_request(st, &who, r->who.org_id, role, csr, strlen(csr), &id, &info, err,
				 sizeof err))
		rc = strncmp(err, "store:", 6) ? http_error_at(r, -1, "csr", err)
					       : http_error(r, 500, "internal", "the store failed");
	else
		rc = http_json(r, 201, json_pack("{s:I, s:s, s:s, s:s, s:i}", "id", (json_int_t)id,
						 "status", "pending", "subject", info.dn, "key",
						 info.key_alg, "key_bits", info.key_bits));
	hub_store_put(r->hub, st);
	json_decref(in);
	return rc;
}

typedef struct {
	int64_t request_id;
	store_cert_t c;
	int found;
} newest_t;

static int newest_cb(void *arg, const store_cert_t *c)
{
	newest_t *n = arg;
	if (c->request_id == n->request_id && !c->revoked && (!n->found || c->created >= n->c.created)) {
		n->c = *c;
		n->found = 1;
	}
	return 0;
}

/* GET /api/v1/pki/requests/{id}: its state and, once approved, the newest
 * certificate issued for it (own organisation, or the hub). */
/* GET /api/v1/pki/requests[?status=pending|approved|rejected|all]: the
 * hub's administrators see every organisation's, others their own. */
static int request_json(void *arg, const store_csr_t *q)
{
	char made[32], decided[32] = "";
	if (q->decided)
		model_time_fmt(q->decided, decided);
	return json_array_append_new(arg, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
						    (json_int_t)q->id, "org_id", (json_int_t)q->org_id,
						    "status", q->status, "subject", q->dn, "role", q->role,
						    "created", model_time_fmt(q->created, made), "decided",
						    decided));
}

int api_pki_decides(const http_req_t *r)
{
	return r->who.hub_member && r->who.role == ROLE_ADMIN;
}

int api_pki_requests(http_req_t *r, store_t *st, const char *status, store_csr_cb cb, void *arg)
{
	return store_csr_list(st, api_pki_decides(r) ? 0 : r->who.org_id, status, cb, arg);
}

int api_pki_request_cert(http_req_t *r, store_t *st, int64_t id, store_csr_t *req, store_cert_t *cert,
			 int *has_cert)
{
	newest_t *n = calloc(1, sizeof *n);
	int rc = 0;
	*has_cert = 0;
	if (!n)
		return 500;
	if (id <= 0 || store_csr_get(st, id, req) || (req->org_id != r->who.org_id && !r->who.hub_member))
		rc = 404;
	else if ((n->request_id = id), store_cert_list(st, newest_cb, n))
		rc = 500;
	else if (n->found) {
		*cert = n->c;
		*has_cert = 1;
	}
	free(n);
	return rc;
}

int api_pki_requests_list(http_req_t *r)
{
	const char *status = http_query(r, "status");
	if (!status)
		status = "pending";
	if (strcmp(status, "pending") && strcmp(status, "approved") && strcmp(status, "rejected") &&
	    strcmp(status, "all"))
		return http_error(r, 400, "invalid", "status: pending, approved, rejected or all");
	json_t *list = json_array();
	store_t *st = hub_store_get(r->hub);
	int rc;
	if (!st || !list || api_pki_requests(r, st, strcmp(status, "all") ? status : NULL, request_json, list)) {
		json_decref(list);
		rc = http_error(r, 500, "internal", "the store failed");
	} else {
		rc = http_json(r, 200, json_pack("{s:o}", "requests", list));
	}
	hub_store_put(r->hub, st);
	return rc;
}

int api_pki_request_get(http_req_t *r)
{
	char *end;
	long long id = strtoll(r->arg, &end, 10);
	store_csr_t *req = calloc(1, sizeof *req);
	store_cert_t *c = calloc(1, sizeof *c);
	store_t *st = hub_store_get(r->hub);
	int rc, has;
	if (!req || !c || !st) {
		rc = http_error(r, 500, "internal", "out of memory");
		goto out;
	}
	switch (*end ? 404 : api_pki_request_cert(r, st, id, req, c, &has)) {
	case 0:
		rc = http_json(r, 200, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)id,
						 "status", req->status, "subject", req->dn, "role", req->role,
						 "serial", has ? json_string(c->serial) : json_null(),
						 "certificate", has ? json_string(c->pem) : json_null()));
		break;
	case 404:
		rc = http_error(r, 404, "not_found", "no such request");
		break;
	default:
		rc = http_error(r, 500, "internal", "the store failed");
	}
out:
	hub_store_put(r->hub, st);
	free(req);
	free(c);
	return rc;
}

/* POST /api/v1/pki/approve/{id} {"days": N}: administrators of the hub. */
int api_pki_approve(http_req_t *r)
{
	char *end, err[512], addr[64], *cert = NULL;
	long long id = strtoll(r->arg, &end, 10);
	int days = 365, rc;
	if (!api_pki_decides(r))
		return http_error(r, 403, "forbidden", "only the hub's administrators approve certificates");
	if (*end || id <= 0)
		return http_error(r, 404, "not_found", "no such request");
	if (r->len) {
		json_error_t je;
		json_t *in = json_loadb(r->body, r->len, 0, &je), *d = json_object_get(in, "days");
		if (!json_is_object(in) || (d && (!json_is_integer(d) || json_integer_value(d) < 1 ||
						  json_integer_value(d) > 825))) {
			json_decref(in);
			return http_error_at(r, -1, "days", "days must be a whole number from 1 to 825");
		}
		if (d)
			days = (int)json_integer_value(d);
		json_decref(in);
	}
	pki_info_t info;
	audit_entry_t who = who_of(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	if (!st)
		rc = http_error(r, 500, "internal", "store unavailable");
	else if (hub_pki_approve(st, &who, id, days, &cert, &info, err, sizeof err))
		rc = strstr(err, "no request") ? http_error(r, 404, "not_found", "no such request")
					       : http_error(r, 409, "conflict", "%s", err);
	else
		rc = http_json(r, 200, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id,
						 "serial", info.serial, "sha256", info.fpr, "subject",
						 info.dn, "certificate", cert));
	hub_store_put(r->hub, st);
	hub_sync(r->hub); /* the new certificate authenticates at once */
	free(cert);
	return rc;
}

/* ---- the constituency ---- */

static void owner_json(void *arg, int64_t org, const char *name, const char *res, const char *contact)
{
	json_array_append_new((json_t *)arg, json_pack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org,
						       "organisation", name, "resource", res,
						       "abuse_contact", contact));
}

/* GET /api/v1/constituency/who?value=V: who answers for it (analysts). */
int api_constituency_who(http_req_t *r)
{
	const char *v = http_query(r, "value");
	char err[512];
	obs_t *o;
	if (!v || !*v)
		return http_error_at(r, -1, "value", "give the value: ?value=V");
	if (!(o = malloc(sizeof *o)))
		return http_error(r, 500, "internal", "out of memory");
	if (obs_parse(v, strlen(v), OBS_NONE, o, err, sizeof err)) {
		free(o);
		return http_error_at(r, -1, "value", err);
	}
	json_t *list = json_array();
	hub_who(r->hub, o, owner_json, list);
	int rc = http_json(r, 200, json_pack("{s:s, s:s, s:s, s:o}", "value", v, "type",
					     obs_type_name(o->type), "canonical", o->value,
					     "constituents", list));
	free(o);
	return rc;
}
