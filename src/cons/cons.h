/* cons.h — the constituency: which organisation answers for an address, a
 * network, an AS number or a domain, and where its abuse reports go.
 *
 * What it owns: importing the resource list (CSV `organisation,resource,
 * abuse_contact[,type,country,channel,frequency]`, one file one transaction) and answering
 * "who is responsible for this value?" from an in-memory index of the
 * resources (the look-up index of idx.h, built from the store): the most
 * specific resource wins — the longest covering prefix, the closest listed
 * parent domain, the AS number itself — and every organisation that holds
 * that resource is responsible. */
#ifndef C5_CONS_H
#define C5_CONS_H

#include <stdio.h>

#include "core/obs.h"
#include "store/store.h"

typedef struct cons cons_t;

typedef struct {
	int64_t org_id;
	const char *org_name, *resource, *abuse_contact; /* owned by the cons_t */
	obs_type_t type;
} cons_owner_t;

/* Build from the store.  NULL with err. */
cons_t *cons_load(store_t *st, char *err, size_t errlen);
void cons_free(cons_t *c);
size_t cons_size(const cons_t *c);

/* The responsible constituents of o (canonical); returns how many (<= max). */
size_t cons_who(cons_t *c, const obs_t *o, cons_owner_t *out, size_t max);

/* How an import treats an organisation the hub does not know. */
typedef struct {
	int create; /* 0: refuse the row, naming the known organisations */
	/* with create: called for each organisation made (type and country from
	 * the optional columns, else private-sector and the hub's country), in
	 * the transaction, so the caller can say so and audit it; non-zero
	 * fails the import.  Or NULL. */
	int (*created)(void *arg, const org_t *o, long line);
	void *arg;
} cons_import_opts_t;

/* Import a CSV stream into the store, inside the caller's transaction
 * (store_begin; the caller commits, or rolls back on error: all or
 * nothing).  A row naming an unknown organisation is refused unless
 * o->create (o may be NULL: refuse).  0 and *rows, or -1 with
 * "name:line: reason" in err. */
int cons_import(store_t *st, FILE *f, const char *name, const cons_import_opts_t *o, long *rows,
		char *err, size_t errlen);

#endif
