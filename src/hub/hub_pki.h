/* hub_pki.h — enrolment as the CLI and the API share it: filing a request
 * and approving it, each with its audit entry, in one transaction. */
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

#endif
