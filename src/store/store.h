/* store.h — the durable store: indicators, organisations, tokens, settings.
 *
 * Callers see only this interface; each back end (SQLite today, PostgreSQL
 * later) fills in a store_ops table.  A store_t is one connection: use it
 * from one thread at a time (the server keeps a pool, see hub.h).
 *
 * Errors: every function returns STORE_OK (0) or a negative STORE_E* code;
 * store_errmsg() tells what went wrong in words.
 *
 * Change tracking: every write transaction takes the next value of a
 * store-wide sequence; the store remembers which rows each one inserted,
 * updated or deleted.  store_changes() returns what changed after a given
 * sequence value, which is how the look-up index follows the store. */
#ifndef C5_STORE_H
#define C5_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

enum {
	STORE_OK = 0,
	STORE_ERR = -1,       /* I/O or database error          */
	STORE_ENOTFOUND = -2, /* no such object                 */
	STORE_EEXISTS = -3,   /* a unique name is already taken */
	STORE_ESCHEMA = -4,   /* database needs `c5hub init`    */
	STORE_EINVAL = -5,    /* bad argument                   */
};

#define STORE_SCHEMA_VERSION 24

typedef struct store store_t;

/* Flags for store_open(). */
#define STORE_CREATE 1       /* create when missing; apply pending migrations */
#define STORE_DEFER_CKPT 2   /* leave checkpoints to store_checkpoint(): for the
				server's connections and bulk loads */
#define STORE_BULK 4         /* bulk loads: a 32 MiB page cache (a larger one
				costs more in fresh memory than it saves) */
#define STORE_SHORT 8        /* a short-lived process touching few pages (c5hub
				intake): no page cache region — SQLite writes a
				free-list link into each of its 2,048 slots at set-up,
				33 MiB of pages zeroed, half of such a process's CPU
				(only the first open of a process decides) */
#define STORE_NOMAP 16       /* no memory-mapped reads: a full scan (the index
				build) leaves the file's pages in the OS's
				cache, not in the process's resident memory */

/* Open the store at path.  With STORE_CREATE, create the file when missing
 * and apply every pending migration; otherwise the file must exist and be at
 * the current schema version (STORE_ESCHEMA when it is not). */
int store_open(const char *path, int flags, store_t **out, char *err, size_t errlen);
void store_close(store_t *st);
const char *store_errmsg(store_t *st);
int store_schema_version(store_t *st);

/* ---- fault injection (tests) ----
 * Every write through this interface (store_begin, store_commit and each
 * call that changes rows) is a step.  With C5HUB_FAULT=N in the
 * environment, the Nth step of the process fails as a full disk would
 * (STORE_ERR, "injected fault (C5HUB_FAULT=N) at OP"; a failed commit has
 * rolled back); unset, it costs two loads a step.  A unit test may set
 * its own hook instead: fn is called before each step with the connection
 * and the step's name (and before store_changes, as "changes"), and a
 * non-zero return fails the step.  Not for
 * production use; fn NULL removes the hook. */
typedef int (*store_fault_fn)(store_t *st, const char *op, void *arg);
void store_fault_set(store_fault_fn fn, void *arg);

/* ---- transactions ---- */
/* A write transaction; it takes the next change sequence value.  Nested
 * calls are an error (STORE_EINVAL). */
int store_begin(store_t *st);
int store_commit(store_t *st);
void store_rollback(store_t *st);
/* Bulk loads (connections opened with STORE_BULK) write in slices and let
 * short writers through between them: inside a transaction,
 * store_writers_waiting() says whether another writer waits for it; after
 * committing, store_let_writers_in() returns once they have written.
 * Short writers queue ahead of the next slice, so an API write waits for at
 * most one slice's commit. */
int store_writers_waiting(store_t *st);
void store_let_writers_in(store_t *st);
/* Outside a transaction: whether commits wait for the disk (the default) or
 * only reach the operating system (they survive the process being killed,
 * not a power cut).  A bulk load writes its slices without waiting and its
 * last commit with: that one makes every earlier slice durable too. */
int store_set_durable(store_t *st, int durable);
/* A read-only snapshot across several queries (an export): everything read
 * until store_read_end() sees one state of the store. */
int store_read_begin(store_t *st);
void store_read_end(store_t *st);

/* ---- indicators ---- */
/* Insert, or update the one with the same (type, value, source, org):
 * first_seen becomes the earlier, last_seen the later, the rest the new.
 * Sets ind->id, ind->created and ind->updated.  Must be inside
 * store_begin()/store_commit().  (PostgreSQL, a STORE_BULK connection: the
 * row is written with its batch, so ind->id is 0 and an error of the row,
 * such as an unknown organisation, may come from a later call or the
 * commit.) */
int store_put_indicator(store_t *st, indicator_t *ind);
/* The key an indicator's value is found by (FNV-1a, 63 bits): writing many
 * indicators in this order touches the index's pages in order.  Not a
 * secret or a defence: a collision, made on purpose or not, only means one
 * more row to compare (every query on it also compares the value). */
uint64_t store_vkey(const char *v);
int store_get_indicator(store_t *st, int64_t id, indicator_t *out);
/* Delete one indicator (leaves a tombstone); inside a transaction. */
int store_delete_indicator(store_t *st, int64_t id);

typedef struct {
	obs_type_t type;        /* OBS_NONE: any                        */
	const char *value;      /* canonical value, or NULL             */
	const char *source;     /* or NULL                              */
	int64_t org_id;         /* 0: any                               */
	const char *classification; /* "class/type" or "class", or NULL */
	int64_t updated_since;  /* 0: any                               */
	int64_t after_id;       /* cursor: ids greater than this        */
	int limit;              /* 1..1000                              */
	tlp_view_t view;        /* who looks: only what tlp_visible lets it
				   see (named: the recipients of the STIX
				   object the indicator was made from)  */
	int tlp_max;            /* -1: any; else only tlp <= tlp_max    */
	int native;             /* only indicators not made from a STIX object */
} store_filter_t;

typedef int (*store_ind_cb)(void *arg, const indicator_t *ind);
/* Indicators matching f in id order; cb returning non-zero stops early. */
int store_list_indicators(store_t *st, const store_filter_t *f, store_ind_cb cb, void *arg);
/* Every indicator view v may see (tlp_visible; and of type, unless OBS_NONE),
 * ordered by value so that the reports of one value come together. */
int store_scan_values(store_t *st, const tlp_view_t *v, obs_type_t type, store_ind_cb cb, void *arg);
/* Every indicator whose (type, value) is one of the given pairs. */
int store_find_values(store_t *st, const obs_type_t *types, const char *const *values,
		      size_t n, store_ind_cb cb, void *arg);
int store_count_indicators(store_t *st, int64_t *out);
/* The indicators view v may see only because its organisation is a named
 * recipient (of the STIX object they were made from), counted by type and
 * TLP: cb(arg, type, tlp, n) once per pair that has any.  The rest of the
 * dashboard's counts come from the index (hub_count_visible). */
typedef int (*store_count_cb)(void *arg, obs_type_t type, tlp_t tlp, int64_t n);
int store_count_named(store_t *st, const tlp_view_t *v, store_count_cb cb, void *arg);
/* Events observed since (Unix seconds), per UTC day (cb's day: seconds at
 * midnight), of every feed (org_id 0) or only those noticed to org_id. */
typedef int (*store_day_cb)(void *arg, int64_t day, int64_t n);
int store_event_days(store_t *st, int64_t org_id, int64_t since, store_day_cb cb, void *arg);

/* ---- change feed ---- */
typedef struct {
	int64_t id, org_id, valid_until, last_seen;
	obs_type_t type;
	const char *value;          /* canonical; valid during the callback */
	const char *source, *classification;
	tlp_t tlp;
	int confidence;
} store_row_t;
typedef int (*store_row_cb)(void *arg, const store_row_t *row);
typedef int (*store_del_cb)(void *arg, int64_t id);
/* Rows written and ids deleted after sequence value since, all read in one
 * consistent snapshot; *upto receives the sequence value they reach. */
int store_changes(store_t *st, int64_t since, store_row_cb rows, store_del_cb dels,
		  void *arg, int64_t *upto);
/* Forget the updates logged up to sequence value upto: the one reader of
 * the change feed (the server) has applied them.  Inserted and deleted rows
 * need no log.  Afterwards store_changes() from before upto misses updates;
 * the setting index_log_from records upto (where the log now starts). */
int store_forget(store_t *st, int64_t upto);
/* Move committed data from the write-ahead log into the database file
 * without waiting for readers or writers (a passive checkpoint). */
int store_checkpoint(store_t *st);
/* The current sequence value (cheap; for polling). */
int store_seq(store_t *st, int64_t *out);

/* ---- organisations ---- */
int store_org_add(store_t *st, org_t *org); /* sets org->id; STORE_EEXISTS */
int store_org_get(store_t *st, int64_t id, org_t *out);
int store_org_find(store_t *st, const char *name, org_t *out);
typedef int (*store_org_cb)(void *arg, const org_t *org);
int store_org_list(store_t *st, store_org_cb cb, void *arg);
/* "any", "token", "certificate" or "both" (how its members must sign in). */
int store_org_set_policy(store_t *st, int64_t id, const char *policy);

/* ---- API tokens (only a hash of each token is ever stored) ---- */
typedef struct {
	int64_t id, org_id, created, revoked;
	role_t role;
	char prefix[16]; /* the first characters, to recognise a token by */
	char label[MODEL_NAME_MAX + 1];
	uint8_t hash[32];
} store_token_t;
int store_token_add(store_t *st, store_token_t *tok); /* sets tok->id */
/* Revoke by id or by prefix; STORE_ENOTFOUND when none matched. */
int store_token_revoke(store_t *st, int64_t id, const char *prefix);
typedef int (*store_token_cb)(void *arg, const store_token_t *tok);
int store_token_list(store_t *st, int include_revoked, store_token_cb cb, void *arg);
/* The id of the newest token made, revoked or not (0 when none). */
int store_token_last(store_t *st, int64_t *id);

/* ---- settings (key/value) ---- */
int store_setting_get(store_t *st, const char *key, char *out, size_t outlen);
int store_setting_set(store_t *st, const char *key, const char *value);

/* ---- trust in reporters (see rep.h) ---- */
typedef struct {
	char kind[8];                   /* "default", "source" or "org"      */
	char name[MODEL_NAME_MAX + 1];  /* source name, org id, "" (default) */
	int value;                      /* 0..100                            */
	int64_t updated;
} store_trust_t;
/* Set (value 0..100) or remove (value -1; STORE_ENOTFOUND when not set) a
 * trust; every change raises the trust version.  Inside a transaction. */
int store_trust_set(store_t *st, const char *kind, const char *name, int value);
typedef int (*store_trust_cb)(void *arg, const store_trust_t *t);
int store_trust_list(store_t *st, store_trust_cb cb, void *arg);
/* A number that changes whenever some trust does (cheap; for polling). */
int store_trust_version(store_t *st, int64_t *out);

/* ---- X.509 enrolment (see pki.h) ---- */
typedef struct {
	int64_t id, org_id, created, decided;
	char role[16];
	char status[12];   /* pending, approved, rejected */
	char dn[512];
	char csr[16384];   /* PEM */
} store_csr_t;
int store_csr_add(store_t *st, store_csr_t *r); /* sets id, created, status */
int store_csr_get(store_t *st, int64_t id, store_csr_t *out);
/* pending -> approved | rejected; STORE_ENOTFOUND when not pending. */
int store_csr_decide(store_t *st, int64_t id, const char *status);
/* Requests of org (0: every organisation) in status (NULL: any), oldest
 * first; cb returning non-zero stops. */
typedef int (*store_csr_cb)(void *arg, const store_csr_t *r);
int store_csr_list(store_t *st, int64_t org, const char *status, store_csr_cb cb, void *arg);

typedef struct {
	char serial[40], fingerprint[72];
	int64_t org_id, not_before, not_after, request_id, created, revoked; /* revoked 0: no */
	char role[16];
	char dn[512];
	char pem[4096]; /* the certificate itself (PEM) */
} store_cert_t;
int store_cert_add(store_t *st, const store_cert_t *c);
/* Revoke by serial or SHA-256 fingerprint (hex); STORE_ENOTFOUND when no
 * such unrevoked certificate. */
int store_cert_revoke(store_t *st, const char *serial_or_fpr, int64_t when);
typedef int (*store_cert_cb)(void *arg, const store_cert_t *c);
int store_cert_list(store_t *st, store_cert_cb cb, void *arg);

/* ---- audit log (see audit.h; hashes made there) ---- */
typedef struct {
	int64_t seq, ts, org_id;
	char actor[64], addr[64], action[48];
	char object[600], detail[600];
	uint8_t prev[32], hash[32];
} store_audit_t;
/* The newest entry's seq and hash (0 and zeros when the log is empty). */
int store_audit_last(store_t *st, int64_t *seq, uint8_t hash[32]);
/* Append (inside a transaction); also records it as the head. */
int store_audit_append(store_t *st, const store_audit_t *a);
typedef int (*store_audit_cb)(void *arg, const store_audit_t *a);
/* Entries after seq in order, and the recorded head ("seq:hash hex"). */
int store_audit_list(store_t *st, int64_t after, store_audit_cb cb, void *arg, char *head,
		     size_t headlen);

/* ---- constituency: what each organisation answers for ---- */
typedef struct {
	int64_t id, org_id;
	obs_type_t type;           /* ipv4-addr / ipv6-addr (prefix), autonomous-system, domain-name */
	char value[256];           /* canonical */
	char abuse_contact[256];   /* e-mail address */
	char org_name[MODEL_NAME_MAX + 1]; /* filled on read */
} store_res_t;
/* Add a resource (or update its contact); raises the constituency version.
 * Inside a transaction. */
int store_res_add(store_t *st, const store_res_t *r);
typedef int (*store_res_cb)(void *arg, const store_res_t *r);
int store_res_list(store_t *st, store_res_cb cb, void *arg);
int store_res_version(store_t *st, int64_t *out);
/* An organisation's abuse contact (its first resource's); "" when none. */
int store_res_contact(store_t *st, int64_t org_id, char *out, size_t outlen);


/* ---- STIX objects (schema 11): every object received, kept as it came ----
 * rid orders them as they were added; (id, version) is unique, version
 * being the object's "modified", else its "created", else "" (cyber-
 * observables and marking definitions have no versions), compared as
 * microseconds (vus).  Who may read one: TLP CLEAR and GREEN, any member;
 * above, the organisation that gave it and its named recipients (exports,
 * feeds and federation never carry RED). */
#define STORE_STIX_ID_MAX 300
typedef struct {
	int64_t rid;
	char id[STORE_STIX_ID_MAX + 1];
	char type[251];
	char version[40];
	char spec_version[8];
	tlp_t tlp;
	int64_t org_id;      /* the organisation that gave it to the hub */
	int64_t added;       /* microseconds since the epoch             */
	int64_t vus;         /* the version in microseconds (0: none)   */
	int64_t origin;      /* the peer hub's organisation it came
				through (federation); 0: given here      */
	int indexed;         /* indicators: values indexed; -1: none     */
	const char *json;    /* the object; valid during a callback      */
	size_t json_len;     /* its length (0 on put: NUL-terminated)    */
} store_stix_t;
/* Add one version (sets rid and added); STORE_EEXISTS when that version of
 * that id is already here.  Inside a transaction. */
int store_stix_put(store_t *st, store_stix_t *o);
/* Name an organisation as a recipient of an object; inside a transaction. */
int store_stix_share(store_t *st, int64_t rid, int64_t org_id);
/* The creator of object id (org by_org) lets org re-share it: recorded. */
int store_stix_permit(store_t *st, const char *id, int64_t org_id, int64_t by_org);
/* 1 when org may re-share object id, 0 when not, or < 0. */
int store_stix_permitted(store_t *st, const char *id, int64_t org_id);
/* Remember that indicator ind_id was made from object rid. */
int store_stix_link(store_t *st, int64_t ind_id, int64_t rid);
/* Every (indicator, named recipient) pair, by indicator; and a version that
 * changes whenever a pair is added (the hub reloads them then). */
typedef int (*store_share_cb)(void *arg, int64_t ind_id, int64_t org_id);
int store_stix_shares(store_t *st, store_share_cb cb, void *arg);
int store_share_version(store_t *st, int64_t *out);
typedef struct {
	tlp_view_t view;      /* who looks (tlp_visible)   */
	tlp_t tlp_max;        /* and only up to this level */
	int64_t after_rid;    /* cursor */
	const char *id;       /* or NULL */
	int limit;            /* 1..100000 */
	int newest_first;     /* without id: newest first, below before_rid */
	int64_t before_rid;   /* ... (0: from the newest); after_rid ignored */
} store_stix_filter_t;
typedef int (*store_stix_cb)(void *arg, const store_stix_t *o);
/* Objects visible under f, in rid order; cb returning non-zero stops. */
int store_stix_list(store_t *st, const store_stix_filter_t *f, store_stix_cb cb, void *arg);
/* The named recipients of version rid, cb(arg, rid, org_id) in org order
 * (the caller decides who may know them: the giver). */
int store_stix_recipients(store_t *st, int64_t rid, store_share_cb cb, void *arg);

/* ---- TAXII 2.1 collections (schema 11) ----
 * A collection holds objects (store_stix_t rows) in the order they were
 * added to it; its date added is strictly increasing, so a page is read
 * from the primary key and its cost does not grow with the collection.
 * Read and write rights are granted per organisation (STORE_COLL_ALL: every
 * member); TLP still decides which of its objects a reader sees. */
#define STORE_COLL_ALL 0
typedef struct {
	int64_t cid, created;
	char id[37];                       /* a UUID, the TAXII id      */
	char alias[MODEL_NAME_MAX + 1];    /* a short name for the CLI  */
	char title[256];
	char description[512];
	tlp_t tlp;             /* for objects posted without a TLP marking */
	int can_read, can_write; /* the viewer's rights (get and list)    */
} store_coll_t;
int store_coll_add(store_t *st, store_coll_t *c); /* sets cid; STORE_EEXISTS */
/* Add rights (never removes one). */
int store_coll_grant(store_t *st, int64_t cid, int64_t org_id, int can_read, int can_write);
/* By id or alias, with viewer_org's rights (-1: all rights).
 * STORE_ENOTFOUND when there is none. */
int store_coll_get(store_t *st, const char *key, int64_t viewer_org, store_coll_t *out);
typedef int (*store_coll_cb)(void *arg, const store_coll_t *c);
/* Every collection viewer_org may read or write (-1: every collection). */
int store_coll_list(store_t *st, int64_t viewer_org, store_coll_cb cb, void *arg);
/* Add object rid to collection cid (a repeat is ignored); inside a txn. */
int store_coll_put(store_t *st, int64_t cid, int64_t rid);

#define STORE_MATCH_MAX 32 /* values of one match[] filter */
enum { STORE_V_LAST = 1, STORE_V_FIRST = 2, STORE_V_ALL = 4 };
typedef struct {
	int64_t cid;
	tlp_view_t view;     /* who looks (tlp_visible)   */
	tlp_t tlp_max;       /* and only up to this level */
	int64_t not_origin;  /* leave out what came through this org (0: none) */
	int64_t owner;       /* only what this organisation gave (0: any)  */
	int64_t after;       /* added to the collection after (microseconds) */
	const char *ids[STORE_MATCH_MAX], *types[STORE_MATCH_MAX], *specs[STORE_MATCH_MAX];
	int nids, ntypes, nspecs;
	int versions;        /* STORE_V_* bits; with nvus, also those versions */
	int64_t vus[STORE_MATCH_MAX];
	int nvus;
	int limit;           /* 1..100000 */
} store_taxii_filter_t;
/* The collection's objects under f in the order added; o->added is the
 * date added to the collection. */
int store_taxii_objects(store_t *st, const store_taxii_filter_t *f, store_stix_cb cb, void *arg);
/* Take the versions of f->ids[0] matched by f (those the view sees; only
 * f->owner's when set) out of the collection; *n gets how many.  A version
 * left in no collection takes the indicators made from it out of the
 * look-ups (deleted, with tombstones).  Inside a transaction. */
int store_taxii_remove(store_t *st, const store_taxii_filter_t *f, int64_t *n);
/* Status resources of TAXII posts, readable by the posting organisation. */
int store_taxii_status_put(store_t *st, const char *id, int64_t org_id, const char *json);
/* *json is malloc'd (caller frees); STORE_ENOTFOUND. */
int store_taxii_status_get(store_t *st, const char *id, int64_t org_id, char **json);

/* A peer hub polled (and pushed to) on a schedule. */
typedef struct {
	char name[MODEL_NAME_MAX + 1];
	char url[1024];          /* its API root                          */
	char collection[256];    /* its collection's id                   */
	char token[128];         /* the bearer token it gave us           */
	int64_t org_id;          /* the organisation standing for it here */
	int64_t into_cid;        /* our collection polled objects go to (0) */
	int64_t push_cid;        /* our collection pushed to it (0: none) */
	int64_t every;           /* seconds between syncs                 */
	int64_t next_run, last_run, objects;
	char last_error[256];
	char cacert[1024], cert[1024], key[1024]; /* TLS files, or "" */
} store_peer_t;
int store_peer_add(store_t *st, const store_peer_t *p); /* STORE_EEXISTS */
/* Write back the run state (next_run, last_run, last_error, objects). */
int store_peer_update(store_t *st, const store_peer_t *p);
typedef int (*store_peer_cb)(void *arg, const store_peer_t *p);
int store_peer_list(store_t *st, store_peer_cb cb, void *arg);

/* ---- evidence (schema 12): files attached to incidents, kept whole with
 * their SHA-256, and each file's chain of custody (store_evidence.c) ---- */
typedef struct {
	int64_t id, org_id, size, added;
	tlp_t tlp;
	char incident[STORE_STIX_ID_MAX + 1]; /* a STIX incident object's id */
	char name[256];                       /* the file's name as given   */
	char sha256[65];
	const void *data;                     /* add: the bytes (size)      */
} store_evidence_t;
int store_evidence_add(store_t *st, store_evidence_t *e); /* sets id */
/* By id; *data (when data is not NULL) is malloc'd, the caller frees it.
 * STORE_ENOTFOUND. */
int store_evidence_get(store_t *st, int64_t id, store_evidence_t *out, void **data);
typedef int (*store_evidence_cb)(void *arg, const store_evidence_t *e);
/* The files of an incident (NULL: all), without their bytes. */
int store_evidence_list(store_t *st, const char *incident, store_evidence_cb cb, void *arg);
typedef struct {
	int64_t seq, evidence_id, at;
	char actor[64], action[32], detail[256];
	char prev[65], hash[65]; /* the chain: SHA-256 hex */
} store_custody_t;
int store_custody_add(store_t *st, store_custody_t *c); /* sets seq */
typedef int (*store_custody_cb)(void *arg, const store_custody_t *c);
int store_custody_list(store_t *st, int64_t evidence_id, store_custody_cb cb, void *arg);

/* ---- people (schema 15): accounts that sign in to the web console, their
 * enrolment links, sessions and sign-in failures (store_people.c; the rules
 * are in src/people/).  Secrets are stored only as SHA-256 (links,
 * sessions) or Argon2id (passwords); the TOTP secret is kept as given,
 * since checking a code needs it. ---- */
typedef struct {
	int64_t id, org_id, created, last_signin;
	int64_t totp_last;                 /* the last TOTP step used (no replay) */
	char email[255];                   /* lower-cased; unique */
	char name[MODEL_NAME_MAX + 1];
	role_t role;
	int disabled;
	char password[160];                /* Argon2id encoded, "" none yet */
	char totp_secret[64];              /* base32, "" none */
	int totp_confirmed;                /* the secret is in use */
	char org_name[MODEL_NAME_MAX + 1]; /* filled on read */
} store_user_t;
int store_user_add(store_t *st, store_user_t *u); /* sets id, created; STORE_EEXISTS */
/* By e-mail (when email is not NULL) or by id; STORE_ENOTFOUND. */
int store_user_get(store_t *st, const char *email, int64_t id, store_user_t *out);
/* Write back everything but id, email, org_id and created, by id. */
int store_user_update(store_t *st, const store_user_t *u);
typedef int (*store_user_cb)(void *arg, const store_user_t *u);
/* Every account, or org_id's only (0: all), by e-mail. */
int store_user_list(store_t *st, int64_t org_id, store_user_cb cb, void *arg);

typedef struct {
	int64_t user_id, created, expires, used; /* used: when (0: not yet) */
} store_enrol_t;
/* A new enrolment link (its SHA-256) for a user; the user's earlier unused
 * links are used up (one live link per account). */
int store_enrol_add(store_t *st, const uint8_t hash[32], const store_enrol_t *e);
int store_enrol_get(store_t *st, const uint8_t hash[32], store_enrol_t *out); /* STORE_ENOTFOUND */
/* Mark a link used at now; STORE_ENOTFOUND when it is not there or used. */
int store_enrol_use(store_t *st, const uint8_t hash[32], int64_t now);

typedef struct {
	int64_t user_id, created, last_seen;
	char addr[64];
} store_session_t;
int store_session_add(store_t *st, const uint8_t hash[32], const store_session_t *s);
int store_session_get(store_t *st, const uint8_t hash[32], store_session_t *out); /* ENOTFOUND */
int store_session_touch(store_t *st, const uint8_t hash[32], int64_t now);
int store_session_end(store_t *st, const uint8_t hash[32]); /* STORE_ENOTFOUND when none */
/* End every session of a user; *n (may be NULL) gets how many. */
int store_session_end_user(store_t *st, int64_t user_id, int64_t *n);
/* Drop sessions idle since before idle_before or made before made_before. */
int store_session_prune(store_t *st, int64_t idle_before, int64_t made_before);

/* Sign-in failures by key ("acct:EMAIL", "addr:ADDRESS"). */
int store_login_fail_add(store_t *st, const char *key, int64_t t);
/* How many failures key has at or after since. */
int store_login_fail_count(store_t *st, const char *key, int64_t since, int64_t *n);
int store_login_fail_clear(store_t *st, const char *key);
/* Take back one failure of key at time t (an attempt recorded before it was
 * checked, that turned out right). */
int store_login_fail_remove(store_t *st, const char *key, int64_t t);
int store_login_fail_prune(store_t *st, int64_t before);

/* An organisation's second-factor policy: 1 required, 0 optional. */
int store_org_set_totp(store_t *st, int64_t org_id, int required); /* STORE_ENOTFOUND */
int store_org_totp(store_t *st, int64_t org_id, int *required);    /* STORE_ENOTFOUND */

/* ---- watch and warn: feeds, events, notices, deliveries, warnings ---- */
typedef struct {
	int64_t id, created;
	char name[MODEL_NAME_MAX + 1];
	char url[1024], path[1024];        /* one of the two                    */
	char format[24];                   /* ingest_format_name()              */
	char classification[MODEL_CLASS_MAX + 1]; /* "" : the format's own     */
	char column[512];                  /* csv: value column or column map; misp-csv: N */
	char policy[8];                    /* bad records: "skip" or "reject"   */
	tlp_t tlp;
	int confidence, enabled;
	int64_t every;                     /* seconds between runs              */
	/* run state */
	char etag[256], last_modified[64], last_error[512];
	int64_t last_run, last_ok, next_run, failures, records, events, skipped;
} store_feed_t;
/* Add (STORE_EEXISTS when the name is taken) and set f->id. */
int store_feed_add(store_t *st, store_feed_t *f);
/* Write back everything but the name (config and run state) by id. */
int store_feed_update(store_t *st, const store_feed_t *f);
int store_feed_get(store_t *st, const char *name, store_feed_t *out);
int store_feed_delete(store_t *st, const char *name); /* STORE_ENOTFOUND */
typedef int (*store_feed_cb)(void *arg, const store_feed_t *f);
int store_feed_list(store_t *st, store_feed_cb cb, void *arg);
/* Every source name the hub knows: its feeds' names and the sources of its
 * indicators, in name order (each once, case folded together). */
typedef int (*store_name_cb)(void *arg, const char *name);
int store_source_list(store_t *st, store_name_cb cb, void *arg);

/* One record of a feed as seen, with its raw line kept as evidence. */
typedef struct {
	int64_t id, feed_id, source_time, observed;
	long line;
	obs_type_t type;
	tlp_t tlp;
	const char *value, *classification, *raw; /* borrowed */
	const char *feed;                          /* filled on read */
	/* the rest of the report, to make its indicator again */
	int confidence;
	int64_t last_seen, valid_until;            /* 0: not given */
} store_event_t;
int store_event_add(store_t *st, store_event_t *e); /* sets e->id */

/* A run of a feed: the events it wrote have ids first_event..last_event
 * (other feeds' events may lie between); pending, when not 0, is the first
 * of them whose indicator may not be written yet (the run was cut short;
 * the next run writes them).  Put inserts (id 0; sets id) or updates
 * last_event and pending. */
typedef struct {
	int64_t id, feed_id, org_id, observed, first_event, last_event, pending;
	char feed[MODEL_NAME_MAX + 1];             /* filled on read */
} store_feed_run_t;
int store_feed_run_put(store_t *st, store_feed_run_t *r);
typedef int (*store_feed_run_cb)(void *arg, const store_feed_run_t *r);
int store_feed_run_pending(store_t *st, store_feed_run_cb cb, void *arg);
/* One feed's events observed at or after since: what its de-duplication
 * remembers. */
typedef int (*store_event_cb)(void *arg, const store_event_t *e);
int store_event_recent(store_t *st, int64_t feed_id, int64_t since, store_event_cb cb, void *arg);
/* One feed's events with ids from..to, in order. */
int store_event_range(store_t *st, int64_t feed_id, int64_t from, int64_t to, store_event_cb cb,
		      void *arg);
typedef struct {
	int64_t org_id;       /* 0: any; else only events noticed to it  */
	int64_t delivery_id;  /* 0: any; else only events of a delivery  */
	int64_t after_id;
	int limit;
} store_event_filter_t;
int store_event_list(store_t *st, const store_event_filter_t *f, store_event_cb cb, void *arg);

/* A notice: event e concerns organisation org; to be sent at due. */
int store_notice_add(store_t *st, int64_t event_id, int64_t org_id, int64_t due);
/* The organisations with notices due at now not yet in a delivery. */
typedef int (*store_id_cb)(void *arg, int64_t id);
int store_notice_due(store_t *st, int64_t now, store_id_cb cb, void *arg);
/* Put org's notices due at now into delivery; *n and *max_tlp of them. */
int store_notice_assign(store_t *st, int64_t org_id, int64_t now, int64_t delivery_id,
			int64_t *n, tlp_t *max_tlp);

typedef struct {
	int64_t id, org_id, warning_id, created, next_try, sent_at, events;
	int attempts;
	tlp_t tlp;
	char kind[12];     /* report, warning                 */
	char channel[12];  /* email, webhook                  */
	char state[12];    /* pending, sent, failed           */
	char target[512];  /* address or URL                  */
	char last_error[256];
	char org_name[MODEL_NAME_MAX + 1]; /* filled on read  */
} store_delivery_t;
int store_delivery_add(store_t *st, store_delivery_t *d); /* sets id */
/* Claim pending delivery id for sending: its next try moves to now + lease
 * if it was due at now, so no other sender (the server, a `notify run`)
 * takes it meanwhile; after a crash it is due again when the lease ends.
 * Inside a transaction.  1 claimed, 0 not (taken or not due), or < 0. */
int store_delivery_claim(store_t *st, int64_t id, int64_t now, int64_t lease);
/* state, attempts, next_try, sent_at, last_error, events, tlp by id. */
int store_delivery_update(store_t *st, const store_delivery_t *d);
typedef struct {
	const char *state;    /* or NULL                            */
	int64_t org_id;       /* 0: any                             */
	int64_t due_by;       /* 0: any; else next_try <= due_by    */
	int64_t after_id;
	int limit;
} store_delivery_filter_t;
typedef int (*store_delivery_cb)(void *arg, const store_delivery_t *d);
int store_delivery_list(store_t *st, const store_delivery_filter_t *f, store_delivery_cb cb,
			void *arg);

/* How an organisation wants to hear from the hub. */
typedef struct {
	char channel[12];        /* email, webhook              */
	char frequency[12];      /* immediate, hourly, daily    */
	char webhook[512];
	char secret[128];        /* HMAC key of the webhook     */
	char contact_247[256];   /* 24/7 e-mail for warnings    */
	char webhook_247[512];   /* 24/7 webhook for warnings   */
} store_prefs_t;
int store_prefs_get(store_t *st, int64_t org_id, store_prefs_t *out);
int store_prefs_set(store_t *st, int64_t org_id, const store_prefs_t *p);

typedef struct {
	int64_t id, org_id, created;
	tlp_t tlp;
	char title[256], classification[MODEL_CLASS_MAX + 1], severity[12];
	char audience[512];      /* "all", or org names / type:TYPE, comma-separated */
	char observables[8192];  /* JSON array of {type, value} */
	char author[64];
} store_warning_t;
int store_warning_add(store_t *st, store_warning_t *w); /* sets id, created */
int store_warning_get(store_t *st, int64_t id, store_warning_t *out);
typedef int (*store_warning_cb)(void *arg, const store_warning_t *w);
int store_warning_list(store_t *st, int64_t after_id, int limit, store_warning_cb cb, void *arg);

/* ---- back ends ---- */
struct store_ops;
struct store_case; struct store_case_entry; struct store_case_task; struct store_case_link;
struct store_case_affected; struct store_case_wait; struct store_case_filter; /* store_case.h */
struct store_qn; struct store_assess; struct store_ahist; struct store_answer; struct store_road;
struct store_adv; /* store_csaf.h */
struct store_gw_entry;
struct store_gw_res;
struct store_gw_news;
struct store_gw_filter;
struct store_gw_doc;
struct store_gw_query;
struct store_sla_alert; /* store_sla.h */
struct store_mail_thread; /* store_mail.h */
struct store {
	const struct store_ops *ops;
	char err[256];
};
struct store_ops {
	void (*close)(store_t *);
	int (*schema_version)(store_t *);
	int (*begin)(store_t *);
	int (*commit)(store_t *);
	void (*rollback)(store_t *);
	int (*writers_waiting)(store_t *);
	void (*let_writers_in)(store_t *);
	int (*set_durable)(store_t *, int);
	int (*put_indicator)(store_t *, indicator_t *);
	int (*get_indicator)(store_t *, int64_t, indicator_t *);
	int (*delete_indicator)(store_t *, int64_t);
	int (*list_indicators)(store_t *, const store_filter_t *, store_ind_cb, void *);
	int (*find_values)(store_t *, const obs_type_t *, const char *const *, size_t,
			   store_ind_cb, void *);
	int (*count_indicators)(store_t *, int64_t *);
	int (*count_named)(store_t *, const tlp_view_t *, store_count_cb, void *);
	int (*event_days)(store_t *, int64_t, int64_t, store_day_cb, void *);
	int (*changes)(store_t *, int64_t, store_row_cb, store_del_cb, void *, int64_t *);
	int (*seq)(store_t *, int64_t *);
	int (*checkpoint)(store_t *);
	int (*forget)(store_t *, int64_t);
	int (*org_add)(store_t *, org_t *);
	int (*org_get)(store_t *, int64_t, org_t *);
	int (*org_find)(store_t *, const char *, org_t *);
	int (*org_list)(store_t *, store_org_cb, void *);
	int (*org_set_policy)(store_t *, int64_t, const char *);
	int (*token_add)(store_t *, store_token_t *);
	int (*token_revoke)(store_t *, int64_t, const char *);
	int (*token_list)(store_t *, int, store_token_cb, void *);
	int (*token_last)(store_t *, int64_t *);
	int (*setting_get)(store_t *, const char *, char *, size_t);
	int (*setting_set)(store_t *, const char *, const char *);
	int (*feed_add)(store_t *, store_feed_t *);
	int (*feed_update)(store_t *, const store_feed_t *);
	int (*feed_get)(store_t *, const char *, store_feed_t *);
	int (*feed_delete)(store_t *, const char *);
	int (*feed_list)(store_t *, store_feed_cb, void *);
	int (*source_list)(store_t *, store_name_cb, void *);
	int (*event_add)(store_t *, store_event_t *);
	int (*event_recent)(store_t *, int64_t, int64_t, store_event_cb, void *);
	int (*event_range)(store_t *, int64_t, int64_t, int64_t, store_event_cb, void *);
	int (*feed_run_put)(store_t *, store_feed_run_t *);
	int (*feed_run_pending)(store_t *, store_feed_run_cb, void *);
	int (*event_list)(store_t *, const store_event_filter_t *, store_event_cb, void *);
	int (*notice_add)(store_t *, int64_t, int64_t, int64_t);
	int (*notice_due)(store_t *, int64_t, store_id_cb, void *);
	int (*notice_assign)(store_t *, int64_t, int64_t, int64_t, int64_t *, tlp_t *);
	int (*delivery_add)(store_t *, store_delivery_t *);
	int (*delivery_update)(store_t *, const store_delivery_t *);
	int (*delivery_claim)(store_t *, int64_t, int64_t, int64_t);
	int (*delivery_list)(store_t *, const store_delivery_filter_t *, store_delivery_cb, void *);
	int (*prefs_get)(store_t *, int64_t, store_prefs_t *);
	int (*prefs_set)(store_t *, int64_t, const store_prefs_t *);
	int (*res_contact)(store_t *, int64_t, char *, size_t);
	int (*warning_add)(store_t *, store_warning_t *);
	int (*warning_get)(store_t *, int64_t, store_warning_t *);
	int (*warning_list)(store_t *, int64_t, int, store_warning_cb, void *);
	int (*trust_set)(store_t *, const char *, const char *, int);
	int (*trust_list)(store_t *, store_trust_cb, void *);
	int (*trust_version)(store_t *, int64_t *);
	int (*scan_values)(store_t *, const tlp_view_t *, obs_type_t, store_ind_cb, void *);
	int (*csr_add)(store_t *, store_csr_t *);
	int (*csr_get)(store_t *, int64_t, store_csr_t *);
	int (*csr_decide)(store_t *, int64_t, const char *);
	int (*csr_list)(store_t *, int64_t, const char *, store_csr_cb, void *);
	int (*cert_add)(store_t *, const store_cert_t *);
	int (*cert_revoke)(store_t *, const char *, int64_t);
	int (*cert_list)(store_t *, store_cert_cb, void *);
	int (*audit_last)(store_t *, int64_t *, uint8_t *);
	int (*audit_append)(store_t *, const store_audit_t *);
	int (*audit_list)(store_t *, int64_t, store_audit_cb, void *, char *, size_t);
	int (*res_add)(store_t *, const store_res_t *);
	int (*res_list)(store_t *, store_res_cb, void *);
	int (*res_version)(store_t *, int64_t *);
	int (*read_begin)(store_t *);
	void (*read_end)(store_t *);
	int (*stix_put)(store_t *, store_stix_t *);
	int (*stix_share)(store_t *, int64_t, int64_t);
	int (*stix_link)(store_t *, int64_t, int64_t);
	int (*stix_shares)(store_t *, store_share_cb, void *);
	int (*share_version)(store_t *, int64_t *);
	int (*stix_list)(store_t *, const store_stix_filter_t *, store_stix_cb, void *);
	int (*stix_permit)(store_t *, const char *, int64_t, int64_t);
	int (*stix_permitted)(store_t *, const char *, int64_t);
	int (*stix_recipients)(store_t *, int64_t, store_share_cb, void *);
	int (*coll_add)(store_t *, store_coll_t *);
	int (*coll_grant)(store_t *, int64_t, int64_t, int, int);
	int (*coll_get)(store_t *, const char *, int64_t, store_coll_t *);
	int (*coll_list)(store_t *, int64_t, store_coll_cb, void *);
	int (*coll_put)(store_t *, int64_t, int64_t);
	int (*taxii_objects)(store_t *, const store_taxii_filter_t *, store_stix_cb, void *);
	int (*taxii_remove)(store_t *, const store_taxii_filter_t *, int64_t *);
	int (*taxii_status_put)(store_t *, const char *, int64_t, const char *);
	int (*taxii_status_get)(store_t *, const char *, int64_t, char **);
	int (*peer_add)(store_t *, const store_peer_t *);
	int (*peer_update)(store_t *, const store_peer_t *);
	int (*peer_list)(store_t *, store_peer_cb, void *);
	int (*evidence_add)(store_t *, store_evidence_t *);
	int (*evidence_get)(store_t *, int64_t, store_evidence_t *, void **);
	int (*evidence_list)(store_t *, const char *, store_evidence_cb, void *);
	int (*custody_add)(store_t *, store_custody_t *);
	int (*custody_list)(store_t *, int64_t, store_custody_cb, void *);
	int (*user_add)(store_t *, store_user_t *);
	int (*user_get)(store_t *, const char *, int64_t, store_user_t *);
	int (*user_update)(store_t *, const store_user_t *);
	int (*user_list)(store_t *, int64_t, store_user_cb, void *);
	int (*enrol_add)(store_t *, const uint8_t *, const store_enrol_t *);
	int (*enrol_get)(store_t *, const uint8_t *, store_enrol_t *);
	int (*enrol_use)(store_t *, const uint8_t *, int64_t);
	int (*session_add)(store_t *, const uint8_t *, const store_session_t *);
	int (*session_get)(store_t *, const uint8_t *, store_session_t *);
	int (*session_touch)(store_t *, const uint8_t *, int64_t);
	int (*session_end)(store_t *, const uint8_t *);
	int (*session_end_user)(store_t *, int64_t, int64_t *);
	int (*session_prune)(store_t *, int64_t, int64_t);
	int (*login_fail_add)(store_t *, const char *, int64_t);
	int (*login_fail_count)(store_t *, const char *, int64_t, int64_t *);
	int (*login_fail_clear)(store_t *, const char *);
	int (*login_fail_remove)(store_t *, const char *, int64_t);
	int (*login_fail_prune)(store_t *, int64_t);
	int (*org_set_totp)(store_t *, int64_t, int);
	int (*org_totp)(store_t *, int64_t, int *);
	/* incident cases (store_case.h) */
	int (*case_next_number)(store_t *, int, int64_t *);
	int (*case_add)(store_t *, struct store_case *);
	int (*case_update)(store_t *, struct store_case *);
	int (*case_get)(store_t *, const char *, int64_t, struct store_case *);
	int (*case_list)(store_t *, const struct store_case_filter *,
			 int (*)(void *, const struct store_case *), void *);
	int (*case_entry_add)(store_t *, struct store_case_entry *);
	int (*case_entry_list)(store_t *, int64_t, int64_t, int,
			       int (*)(void *, const struct store_case_entry *), void *);
	int (*case_entry_sent)(store_t *, int64_t, int64_t);
	int (*case_outbox)(store_t *, int (*)(void *, const struct store_case_entry *), void *);
	int (*case_task_add)(store_t *, struct store_case_task *);
	int (*case_task_update)(store_t *, const struct store_case_task *);
	int (*case_task_list)(store_t *, int64_t, int (*)(void *, const struct store_case_task *),
			      void *);
	int (*case_link_add)(store_t *, struct store_case_link *);
	int (*case_link_list)(store_t *, int64_t, int (*)(void *, const struct store_case_link *),
			      void *);
	int (*case_related)(store_t *, int64_t, int (*)(void *, const struct store_case *), void *);
	int (*case_affected_add)(store_t *, int64_t, int64_t, int);
	int (*case_affected_del)(store_t *, int64_t, int64_t);
	int (*case_affected_list)(store_t *, int64_t,
				  int (*)(void *, const struct store_case_affected *), void *);
	int (*case_wait_begin)(store_t *, int64_t, int64_t);
	int (*case_wait_end)(store_t *, int64_t, int64_t);
	int (*case_wait_list)(store_t *, int64_t, int (*)(void *, const struct store_case_wait *),
			      void *);
	/* assessments (store_assess.h) */
	int (*qn_put)(store_t *, struct store_qn *);
	int (*qn_get)(store_t *, int64_t, const char *, int, struct store_qn *);
	int (*qn_list)(store_t *, int (*)(void *, const struct store_qn *), void *);
	int (*assess_add)(store_t *, struct store_assess *);
	int (*assess_get)(store_t *, int64_t, struct store_assess *);
	int (*assess_list)(store_t *, const tlp_view_t *, const char *,
			   int (*)(void *, const struct store_assess *), void *);
	int (*assess_set_state)(store_t *, int64_t, const char *);
	int (*ahist_add)(store_t *, struct store_ahist *);
	int (*ahist_list)(store_t *, int64_t, int (*)(void *, const struct store_ahist *), void *);
	int (*answer_put)(store_t *, struct store_answer *);
	int (*answer_list)(store_t *, int64_t, int (*)(void *, const struct store_answer *), void *);
	int (*answer_review)(store_t *, int64_t, const char *, const char *, const char *, const char *);
	int (*road_put)(store_t *, struct store_road *);
	int (*road_list)(store_t *, int64_t, int (*)(void *, const struct store_road *), void *);
	int (*road_set)(store_t *, int64_t, const char *, const char *, const char *);
	/* advisories (store_csaf.h) */
	int (*adv_put)(store_t *, struct store_adv *);
	int (*adv_get)(store_t *, const char *, struct store_adv *);
	int (*adv_list)(store_t *, const tlp_view_t *, int, int, int64_t,
			int (*)(void *, const struct store_adv *), void *);
	int (*adv_rev_add)(store_t *, int64_t, int, int64_t, const char *, const char *);
	int (*adv_revs)(store_t *, int64_t, int (*)(void *, int, int64_t, const char *), void *);
	int (*adv_get_id)(store_t *, int64_t, struct store_adv *);
	/* gateway (store_gw.h) */
	int (*gw_entry_put)(store_t *, struct store_gw_entry *);
	int (*gw_entry_get)(store_t *, int64_t, struct store_gw_entry *);
	int (*gw_entry_list)(store_t *, const struct store_gw_filter *,
			     int (*)(void *, const struct store_gw_entry *), void *);
	int (*gw_res_put)(store_t *, struct store_gw_res *);
	int (*gw_res_get)(store_t *, int64_t, struct store_gw_res *);
	int (*gw_res_list)(store_t *, const struct store_gw_filter *,
			   int (*)(void *, const struct store_gw_res *), void *);
	int (*gw_news_put)(store_t *, struct store_gw_news *);
	int (*gw_news_get)(store_t *, int64_t, struct store_gw_news *);
	int (*gw_news_list)(store_t *, const struct store_gw_filter *,
			    int (*)(void *, const struct store_gw_news *), void *);
	int (*gw_file_put)(store_t *, int64_t, const void *, size_t, const char *);
	int (*gw_file_get)(store_t *, int64_t, void **, size_t *, char *, size_t);
	int (*gw_doc_put)(store_t *, const struct store_gw_doc *);
	int (*gw_doc_del)(store_t *, const char *, const char *);
	int (*gw_search)(store_t *, const struct store_gw_query *,
			 int (*)(void *, const struct store_gw_doc *, double), void *);
	int (*gw_gen)(store_t *, int64_t *, int64_t *);
	/* SLA alerts (store_sla.h) */
	int (*sla_alert_add)(store_t *, struct store_sla_alert *);
	int (*sla_alert_get)(store_t *, int64_t, struct store_sla_alert *);
	int (*sla_alert_list)(store_t *, int64_t, int64_t, int,
			      int (*)(void *, const struct store_sla_alert *), void *);
	int (*sla_alert_count)(store_t *, const char *, int64_t *);
	/* the mail gateway (store_mail.h) */
	int (*mail_thread_put)(store_t *, const struct store_mail_thread *);
	int (*mail_thread_get)(store_t *, int64_t, struct store_mail_thread *);
	int (*mail_seen_add)(store_t *, const char *, int64_t, int64_t, int64_t *);
	int (*gw_doc_text)(store_t *, int64_t, char *, size_t);
	/* incident cases, continued (store_case.h): a page of the timeline */
	int (*case_entry_page)(store_t *, int64_t, int64_t, int, int, int64_t *,
			       int (*)(void *, const struct store_case_entry *), void *);
};

int store_sqlite_open(const char *path, int flags, store_t **out, char *err, size_t errlen);
/* conninfo: a postgresql:// or postgres:// URI (libpq's, multi-host too). */
/* db as it may be shown or logged: a URI's password (user:PASSWORD@ and
 * password=...) written as ***; out gets at most n bytes.  Returns out. */
const char *store_shown(const char *db, char *out, size_t n);
int store_pg_open(const char *conninfo, int flags, store_t **out, char *err, size_t errlen);

#endif
