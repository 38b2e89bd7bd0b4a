/* taxii.h — the TAXII 2.1 client: polling a collection of another server
 * (a peer hub, or any TAXII 2.1 server) into this hub, incrementally.
 *
 * Pushing is the other way: our collection's objects posted to the peer's.
 *
 * What it owns: the HTTP exchange with libcurl (media types, bearer token,
 * TLS with the peer's CA and our client certificate), paging with
 * added_after from X-TAXII-Date-Added-Last, and the poll state: the last
 * date added seen per API root and collection, kept in the store and
 * advanced in the same transaction as the page it ends, so a poll that is
 * stopped at any point resumes without losing or repeating a page.  Each
 * page goes through the STIX import (stix.h): all or nothing. */
#ifndef C5_TAXII_H
#define C5_TAXII_H

#include "stix/stix.h"
#include "store/store.h"

typedef struct {
	const char *api_root;    /* "https://peer.example/taxii2/api1/" */
	const char *collection;  /* the remote collection's id          */
	const char *token;       /* bearer token, or NULL               */
	const char *cacert;      /* PEM file of the peer's CA, or NULL  */
	const char *cert, *key;  /* our client certificate (mutual TLS) */
	long timeout;            /* seconds per request; 0: 60          */
	int limit;               /* objects per page asked; 0: 1000     */
} taxii_peer_t;

typedef struct {
	long pages;
	stix_result_t total;     /* summed over the pages */
	char last[40];           /* the poll state after the poll */
} taxii_poll_result_t;

/* Poll p's collection from where the last poll stopped; every object goes
 * through the import with o (its origin, recipients, collection).  0, or -1
 * with the reason in err (pages before the failing one stay). */
int taxii_poll(store_t *st, const taxii_peer_t *p, const stix_import_opts_t *o,
	       taxii_poll_result_t *res, char *err, size_t errlen);

typedef struct {
	long pages, objects;     /* envelopes posted, objects in them */
	long new_there;          /* objects the peer did not have     */
	char last[40];           /* the push state after the push     */
} taxii_push_result_t;

/* Push to p's collection the objects of our collection cid that the peer
 * hub's organisation peer_org may see as a peer (TLP up to AMBER+STRICT
 * under the usual rules, never what came from it), added since the last
 * push, in envelopes of p->limit objects; the state moves after each
 * envelope the peer accepted (202).  0, or -1 with the reason in err. */
int taxii_push(store_t *st, const taxii_peer_t *p, int64_t cid, int64_t peer_org,
	       taxii_push_result_t *res, char *err, size_t errlen);

/* Sync one configured peer now: poll its collection into ours, then push
 * ours when configured; the run is recorded in the peer's state (next run,
 * last error, objects received).  hub_org becomes the named recipient of
 * what arrives; dflt is the TLP of objects without a marking.  0, or -1
 * with the reason in err. */
int taxii_sync(store_t *st, store_peer_t *p, int64_t hub_org, tlp_t dflt, int64_t now,
	       char *err, size_t errlen);
/* Sync every peer due at now (the server's scheduler); how many ran. */
int taxii_sync_due(store_t *st, int64_t hub_org, tlp_t dflt, int64_t now);

#endif
