/* audit.h — the tamper-evident audit log.
 *
 * What it owns: appending one entry per change (who, when, what, from which
 * address and with which credential) to a hash chain in the store, and
 * checking the chain.  Entry n's hash is SHA-256 over entry n-1's hash and
 * entry n's fields (each length-prefixed), so changing, removing or
 * reordering any entry breaks every hash from there on; `c5hub audit
 * verify` names the first entry that does not fit and how.
 *
 * An entry is written inside the caller's write transaction: the change and
 * its record commit together or not at all. */
#ifndef C5_AUDIT_H
#define C5_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct {
	int64_t org_id;       /* acting organisation (0: the local operator) */
	const char *actor;    /* "token c5h_AbCd1234", "cert 7390e669...", "cli root" */
	const char *addr;     /* client address, or "local" */
	const char *action;   /* "indicators.add", "trust.set", "pki.revoke", ... */
	const char *object;   /* what it was done to */
	const char *detail;   /* a short description, or "" */
} audit_entry_t;

/* Append e; inside a transaction (store_begin).  0, or -1 (store error). */
int audit_record(store_t *st, const audit_entry_t *e);

/* The local operator as an actor ("cli <user>") into buf. */
const char *audit_cli_actor(char *buf, size_t n);

typedef struct {
	int64_t checked;   /* entries that verified */
	int64_t bad_seq;   /* first entry that did not, 0 when all did */
	char why[160];     /* "altered", "removed before it", "out of order" ... */
} audit_report_t;

/* Walk the whole chain.  0 when it could be read (see r->bad_seq), -1 on a
 * store error. */
int audit_verify(store_t *st, audit_report_t *r);

#endif
