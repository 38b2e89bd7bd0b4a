/* hub_pki.h — enrolment as the CLI, the API and the console share it:
 * filing a request, approving or rejecting it, revoking a certificate (and
 * rewriting the CRL), each with its audit entry, in one transaction. */
#ifndef C5_HUB_PKI_H
#define C5_HUB_PKI_H

#include "audit/audit.h"
#include "pki/pki.h"
#include "store/store.h"

/* File a PEM CSR for org with the role asked for; *id on success.  0, or -1
 * with the reason (a bad request, or the store) in err. */
int hub_pki_request(store_t *st, const audit_entry_t *who, int64_t org, const char *role,
		    const char *csr, size_t len, int64_t *id, pki_info_t *info, char *err,
		    size_t errlen);

/* Approve pending request id: issue a certificate valid for days and record
 * it.  *cert_pem (malloc'd) and info on success; 0, or -1 with err.  The
 * PKI directory comes from the store ("pki_dir"). */
int hub_pki_approve(store_t *st, const audit_entry_t *who, int64_t id, int days, char **cert_pem,
		    pki_info_t *info, char *err, size_t errlen);

/* Renew the certificate with this serial or SHA-256 (hex): a new one for the
 * same request (same key, organisation and role), valid for days.  0, or -1
 * with err (unknown, revoked, request gone, store). */
int hub_pki_renew(store_t *st, const audit_entry_t *who, const char *key, int days, char **cert_pem,
		  pki_info_t *info, char *err, size_t errlen);

/* Reject pending request id, audited ("pki.reject"), in one transaction.
 * 0, or -1 with err ("no request N", "request N is approved", "store: ..."). */
int hub_pki_reject(store_t *st, const audit_entry_t *who, int64_t id, char *err, size_t errlen);

/* Revoke the unrevoked certificate with this serial or SHA-256 (hex, lower
 * case), audited ("pki.revoke"), then rewrite crl.pem in the PKI directory
 * (its path into crl_path).  0; -1 with err when nothing was revoked ("no
 * such unrevoked certificate: KEY", no CA, store); -2 when revoked but the
 * CRL could not be written (err says; `pki crl` writes it again). */
int hub_pki_revoke(store_t *st, const audit_entry_t *who, const char *key, char *crl_path, size_t crl_len,
		   char *err, size_t errlen);

/* The CRL of every revoked certificate, signed now by the CA in dir
 * (*pem malloc'd).  0, or -1 with err. */
int hub_pki_crl(store_t *st, const char *dir, char **pem, char *err, size_t errlen);
/* The same written to path through a temporary file (readers, as the
 * server at /pki/crl.pem, never see half of one).  0, or -1 with err. */
int hub_pki_crl_write(store_t *st, const char *dir, const char *path, char *err, size_t errlen);

#endif
