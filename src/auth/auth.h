/* auth.h — API tokens, principals, roles and TLP visibility.
 *
 * The only module that sees a token in clear: it makes them (random, shown
 * once), hashes them (SHA-256; only the hash is stored) and checks presented
 * ones against an in-memory table of active token hashes, which the owner
 * reloads from the store (auth_reload) so that a revocation takes effect
 * within one refresh. */
#ifndef C5_AUTH_H
#define C5_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "store/store.h"

#define AUTH_TOKEN_LEN 47 /* "c5h_" + 43 base64url characters */

typedef struct {
	int64_t token_id;   /* 0 when a client certificate authenticated */
	int64_t org_id;
	role_t role;
	int hub_member; /* the principal belongs to the hub's own organisation */
	uint8_t fpr[32];    /* the client certificate's SHA-256 (token_id 0) */
	char cred[40];  /* the credential, for the audit log: "token c5h_AbCdEfGh",
			   "cert <serial>" (never the secret itself) */
} principal_t;

typedef struct auth auth_t;

auth_t *auth_new(void);
void auth_free(auth_t *a);

/* Make a new token: the clear text (AUTH_TOKEN_LEN + 1 bytes) goes to the
 * caller once; tok->hash and tok->prefix are filled for storing.  0 / -1. */
int auth_token_make(char *clear, store_token_t *tok);

/* Reload the active tokens and the issued client certificates from st;
 * hub_org is the hub's own organisation.  On error the previous tables
 * stay.  0 / -1. */
int auth_reload(auth_t *a, store_t *st, int64_t hub_org);

/* Reload only if a token was made since the last reload (one look at the
 * store's newest token id): an unknown token may be one made a moment ago.
 * 1 when reloaded, 0 when already up to date (or the store failed). */
int auth_reload_if_new(auth_t *a, store_t *st, int64_t hub_org);

/* Check an "Authorization" header value ("Bearer TOKEN").  Returns 0 and
 * fills *p, or -1 when missing, malformed, unknown or revoked. */
int auth_check(auth_t *a, const char *header, principal_t *p);

/* The principal of an enrolled client certificate, by the SHA-256 of its DER
 * (its chain already verified, see pki_verify_client).  Returns 0 and fills
 * *p, or -1 with *why ("not enrolled", "revoked") otherwise. */
int auth_check_cert(auth_t *a, const unsigned char fpr[32], principal_t *p, const char **why);

/* Is the credential p was made from still good (its token not revoked, its
 * certificate not revoked)?  For what outlives one request: a live stream
 * asks it before each event.  1 or 0. */
int auth_live(auth_t *a, const principal_t *p);

/* Issued client certificates by state: valid beyond 30 days, expiring
 * within 30 days (renew them: `c5hub pki renew`), expired, revoked. */
typedef struct {
	long valid, expiring, expired, revoked;
} auth_cert_stats_t;
void auth_cert_stats(auth_t *a, int64_t now, auth_cert_stats_t *st);

/* How an organisation's members must authenticate ("any" by default). */
typedef enum { AUTH_ANY = 0, AUTH_TOKEN, AUTH_CERT, AUTH_BOTH } auth_policy_t;
auth_policy_t auth_org_policy(auth_t *a, int64_t org);
const char *auth_policy_name(auth_policy_t p);

/* What p may see: the member's view of the TLP rule (tlp_visible). */
static inline tlp_view_t auth_view(const principal_t *p)
{
	return (tlp_view_t){.max_tlp = TLP_GREEN, .org = p->org_id, .all = p->hub_member,
			    .peer = p->role == ROLE_PEER};
}

static inline int auth_role_at_least(const principal_t *p, role_t r)
{
	if (p->role == ROLE_PEER)
		return r <= ROLE_CONTRIBUTOR;
	return p->role >= r;
}

#endif
