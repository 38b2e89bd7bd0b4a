/* hub_pki.c — filing and approving certificate requests (see hub_pki.h). */
#include "hub_pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A request's subject may name its organisation (O=) only as the one it is
 * filed for: a certificate never carries a foreign organisation's name. */
static int subject_org_ok(store_t *st, int64_t org, const pki_info_t *info, char *err, size_t errlen)
{
	org_t o;
	if (!info->org[0])
		return 0;
	if (store_org_get(st, org, &o)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		return -1;
	}
	if (!strcasecmp(info->org, o.name))
		return 0;
	snprintf(err, errlen, "the request's subject names the organisation '%s', but it is filed for '%s': "
		 "O= must be '%s' or left out", info->org, o.name, o.name);
	return -1;
}

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
	if (pki_csr_check(csr, len, info, err, errlen) || subject_org_ok(st, org, info, err, errlen))
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

/* Issue a certificate for req (role as given) valid for days, and record it
 * with its audit entry in one transaction (marking the request approved when
 * approve).  The audit object reads "<from> -> serial <new>". */
static int issue_record(store_t *st, const char *dir, const audit_entry_t *who, const char *action,
			const char *from, const store_csr_t *req, const char *role, int days, int approve,
			char **cert_pem, pki_info_t *info, char *err, size_t errlen)
{
	char what[200];
	pki_ca_t *ca = NULL;
	int rc = -1;
	*cert_pem = NULL;
	if (!(ca = pki_ca_load(dir, err, errlen)) ||
	    pki_issue(ca, req->csr, strlen(req->csr), days, cert_pem, info, err, errlen))
		goto out;
	store_cert_t sc = {.org_id = req->org_id, .not_before = info->not_before,
			   .not_after = info->not_after, .request_id = req->id};
	snprintf(sc.serial, sizeof sc.serial, "%s", info->serial);
	snprintf(sc.fingerprint, sizeof sc.fingerprint, "%s", info->fpr);
	snprintf(sc.role, sizeof sc.role, "%s", role);
	snprintf(sc.dn, sizeof sc.dn, "%s", info->dn);
	snprintf(sc.pem, sizeof sc.pem, "%s", *cert_pem);
	audit_entry_t e = *who;
	snprintf(what, sizeof what, "%s -> serial %s", from, info->serial);
	e.action = action;
	e.object = what;
	e.detail = info->dn;
	if (store_begin(st) || store_cert_add(st, &sc) ||
	    (approve && store_csr_decide(st, req->id, "approved")) || audit_record(st, &e) ||
	    store_commit(st)) {
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
	return rc;
}

/* The PKI directory `pki init` recorded; -1 with err when there is none. */
static int ca_dir(store_t *st, char *dir, size_t n, char *err, size_t errlen)
{
	if (store_setting_get(st, "pki_dir", dir, n) == STORE_OK)
		return 0;
	snprintf(err, errlen, "no certificate authority yet; run `c5hub pki init`");
	return -1;
}

int hub_pki_approve(store_t *st, const audit_entry_t *who, int64_t id, int days, char **cert_pem,
		    pki_info_t *info, char *err, size_t errlen)
{
	store_csr_t *req = calloc(1, sizeof *req);
	char from[48], dir[4096];
	int rc = -1;
	*cert_pem = NULL;
	if (!req) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (ca_dir(st, dir, sizeof dir, err, errlen))
		goto out;
	if (store_csr_get(st, id, req))
		snprintf(err, errlen, "%s", store_errmsg(st));
	else if (strcmp(req->status, "pending"))
		snprintf(err, errlen, "request %lld is %s", (long long)id, req->status);
	else if (pki_csr_check(req->csr, strlen(req->csr), info, err, errlen) ||
		 subject_org_ok(st, req->org_id, info, err, errlen))
		; /* filed before the subject was checked: refused now */
	else {
		snprintf(from, sizeof from, "request %lld", (long long)id);
		rc = issue_record(st, dir, who, "pki.approve", from, req, req->role, days, 1, cert_pem,
				  info, err, errlen);
	}
out:
	free(req);
	return rc;
}

typedef struct {
	const char *key;
	store_cert_t found;
	int n;
} find_cert_t;

static int find_cert(void *arg, const store_cert_t *sc)
{
	find_cert_t *f = arg;
	if (strcasecmp(sc->serial, f->key) && strcasecmp(sc->fingerprint, f->key))
		return 0;
	f->found = *sc;
	f->n = 1;
	return 1;
}

int hub_pki_renew(store_t *st, const audit_entry_t *who, const char *key, int days, char **cert_pem,
		  pki_info_t *info, char *err, size_t errlen)
{
	find_cert_t *f = calloc(1, sizeof *f);
	store_csr_t *req = calloc(1, sizeof *req);
	char from[64], dir[4096];
	int rc = -1;
	*cert_pem = NULL;
	if (!f || !req) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	f->key = key;
	if (ca_dir(st, dir, sizeof dir, err, errlen))
		goto out;
	if (store_cert_list(st, find_cert, f) || !f->n)
		snprintf(err, errlen, "no certificate %.70s", key);
	else if (f->found.revoked)
		snprintf(err, errlen, "%.70s is revoked; enrol a new key instead", key);
	else if (!f->found.request_id || store_csr_get(st, f->found.request_id, req))
		snprintf(err, errlen, "the request behind %.70s is gone", key);
	else {
		snprintf(from, sizeof from, "serial %s", f->found.serial);
		rc = issue_record(st, dir, who, "pki.renew", from, req, f->found.role, days, 0, cert_pem,
				  info, err, errlen);
	}
out:
	free(f);
	free(req);
	return rc;
}

/* ---- rejecting, revoking and the CRL ---- */

int hub_pki_reject(store_t *st, const audit_entry_t *who, int64_t id, char *err, size_t errlen)
{
	char obj[32];
	store_csr_t *req = calloc(1, sizeof *req);
	int rc = -1, r;
	if (!req) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((r = store_csr_get(st, id, req)) == STORE_ENOTFOUND)
		snprintf(err, errlen, "no request %lld", (long long)id);
	else if (r)
		snprintf(err, errlen, "store: %s", store_errmsg(st));
	else if (strcmp(req->status, "pending"))
		snprintf(err, errlen, "request %lld is %s", (long long)id, req->status);
	else {
		audit_entry_t e = *who;
		snprintf(obj, sizeof obj, "%lld", (long long)id);
		e.action = "pki.reject";
		e.object = obj;
		e.detail = req->dn;
		if (store_begin(st) || store_csr_decide(st, id, "rejected") || audit_record(st, &e) ||
		    store_commit(st)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			store_rollback(st);
		} else {
			rc = 0;
		}
	}
	free(req);
	return rc;
}

typedef struct {
	const char **serials;
	int64_t *when;
	size_t n, cap;
} revoked_t;

static int revoked_cb(void *arg, const store_cert_t *sc)
{
	revoked_t *l = arg;
	if (!sc->revoked)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		const char **s = realloc(l->serials, cap * sizeof *s);
		int64_t *w = s ? realloc(l->when, cap * sizeof *w) : NULL;
		if (s)
			l->serials = s;
		if (!w)
			return -1;
		l->when = w;
		l->cap = cap;
	}
	char *copy = strdup(sc->serial);
	if (!copy)
		return -1;
	l->serials[l->n] = copy;
	l->when[l->n++] = sc->revoked;
	return 0;
}

int hub_pki_crl(store_t *st, const char *dir, char **pem, char *err, size_t errlen)
{
	revoked_t l = {0};
	pki_ca_t *ca = NULL;
	int rc = -1;
	*pem = NULL;
	if (store_cert_list(st, revoked_cb, &l))
		snprintf(err, errlen, "store: %s", store_errmsg(st));
	else if ((ca = pki_ca_load(dir, err, errlen)) &&
		 !pki_crl(ca, l.serials, l.when, l.n, 7, pem, err, errlen))
		rc = 0;
	for (size_t i = 0; i < l.n; i++)
		free((char *)l.serials[i]);
	free(l.serials);
	free(l.when);
	pki_ca_free(ca);
	return rc;
}

int hub_pki_crl_write(store_t *st, const char *dir, const char *path, char *err, size_t errlen)
{
	char *pem, tmp[4200];
	if (hub_pki_crl(st, dir, &pem, err, errlen))
		return -1;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int bad = !f || fputs(pem, f) == EOF;
	bad |= f && fclose(f);
	free(pem);
	if (bad || rename(tmp, path)) {
		remove(tmp);
		snprintf(err, errlen, "%s: cannot write", path);
		return -1;
	}
	return 0;
}

int hub_pki_revoke(store_t *st, const audit_entry_t *who, const char *key, char *crl_path, size_t crl_len,
		   char *err, size_t errlen)
{
	char dir[4096];
	int r = 0;
	if (ca_dir(st, dir, sizeof dir, err, errlen))
		return -1;
	audit_entry_t e = *who;
	e.action = "pki.revoke";
	e.object = key;
	e.detail = NULL;
	if (store_begin(st) || (r = store_cert_revoke(st, key, (int64_t)time(NULL))) || audit_record(st, &e) ||
	    store_commit(st)) {
		if (r == STORE_ENOTFOUND)
			snprintf(err, errlen, "no such unrevoked certificate: %s", key);
		else
			snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		return -1;
	}
	snprintf(crl_path, crl_len, "%s/crl.pem", dir);
	if (hub_pki_crl_write(st, dir, crl_path, err, errlen))
		return -2;
	return 0;
}
