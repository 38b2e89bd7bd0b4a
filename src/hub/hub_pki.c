/* hub_pki.c — filing and approving certificate requests (see hub_pki.h). */
#include "hub_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hub_pki_request(store_t *st, const audit_entry_t *who, int64_t org, const char *role,
		    const char *csr, size_t len, int64_t *id, pki_info_t *info, char *err,
		    size_t errlen)
{
	store_csr_t *req = calloc(1, sizeof *req);
	role_t rl;
	int rc = -1;
	if (!req) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (role_parse(role, &rl)) {
		snprintf(err, errlen, "unknown role '%.20s'", role);
		goto out;
	}
	if (len >= sizeof req->csr) {
		snprintf(err, errlen, "request larger than %zu bytes", sizeof req->csr - 1);
		goto out;
	}
	if (pki_csr_check(csr, len, info, err, errlen))
		goto out;
	req->org_id = org;
	snprintf(req->role, sizeof req->role, "%s", role_name(rl));
	snprintf(req->dn, sizeof req->dn, "%s", info->dn);
	memcpy(req->csr, csr, len);
	req->csr[len] = '\0';
	audit_entry_t e = *who;
	char what[600];
	snprintf(what, sizeof what, "%s, role %s", info->dn, req->role);
	e.action = "pki.request";
	e.object = what;
	if (store_begin(st) || store_csr_add(st, req) || audit_record(st, &e) || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	*id = req->id;
	rc = 0;
out:
	free(req);
	return rc;
}

int hub_pki_approve(store_t *st, const audit_entry_t *who, int64_t id, int days, char **cert_pem,
		    pki_info_t *info, char *err, size_t errlen)
{
	store_csr_t *req = calloc(1, sizeof *req);
	pki_ca_t *ca = NULL;
	char dir[4096];
	int rc = -1;
	*cert_pem = NULL;
	if (!req) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (store_setting_get(st, "pki_dir", dir, sizeof dir) != STORE_OK) {
		snprintf(err, errlen, "no certificate authority yet; run `c5hub pki init`");
		goto out;
	}
	if (store_csr_get(st, id, req)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	if (strcmp(req->status, "pending")) {
		snprintf(err, errlen, "request %lld is %s", (long long)id, req->status);
		goto out;
	}
	if (!(ca = pki_ca_load(dir, err, errlen)) ||
	    pki_issue(ca, req->csr, strlen(req->csr), days, cert_pem, info, err, errlen))
		goto out;
	store_cert_t sc = {.org_id = req->org_id, .not_before = info->not_before,
			   .not_after = info->not_after, .request_id = id};
	snprintf(sc.serial, sizeof sc.serial, "%s", info->serial);
	snprintf(sc.fingerprint, sizeof sc.fingerprint, "%s", info->fpr);
	snprintf(sc.role, sizeof sc.role, "%s", req->role);
	snprintf(sc.dn, sizeof sc.dn, "%s", info->dn);
	snprintf(sc.pem, sizeof sc.pem, "%s", *cert_pem);
	audit_entry_t e = *who;
	char what[160];
	snprintf(what, sizeof what, "request %lld -> serial %s", (long long)id, info->serial);
	e.action = "pki.approve";
	e.object = what;
	e.detail = info->dn;
	if (store_begin(st) || store_cert_add(st, &sc) || store_csr_decide(st, id, "approved") ||
	    audit_record(st, &e) || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	rc = 0;
out:
	if (rc) {
		free(*cert_pem);
		*cert_pem = NULL;
	}
	pki_ca_free(ca);
	free(req);
	return rc;
}
