/* hub.h — the one explicit server context: the store (a pool of
 * connections), the look-up index that follows it, the token table, and the
 * hub's settings.  Everything a request handler or the CLI needs hangs off a
 * hub_t; there is no other global state.
 *
 * The index follows the store through its change feed: hub_sync() applies
 * every change committed since the last call.  Writers through the API call
 * it right after committing (their writes are visible at once); a refresher
 * thread calls it twice a second for writes made by other processes (the CLI). */
#ifndef C5_HUB_H
#define C5_HUB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/model.h"
#include "index/idx.h"
#include "rep/rep.h"
#include "store/store.h"

#define HUB_POOL_MAX 16

typedef struct hub {
	char *db_path;
	idx_t *idx;
	auth_t *auth;
	int64_t hub_org;     /* the hub's own organisation */
	tlp_t default_tlp;   /* for ingest without --tlp    */
	/* warning lists: values never published (wlist.h); swapped whole by
	 * the refresher when the operator's lists change (readers just load
	 * the pointer); a replaced set is freed a while later */
	struct wlist *_Atomic wl;
	struct wlist *wl_retired[8];
	int64_t wl_retired_at[8];
	int nretired;
	int64_t wl_seen;     /* the store's warning-list version it reflects */
	rep_model_t *rep;    /* the reputation model; its trust follows the
				store (changed only under sync_lock)   */
	int64_t trust_seen;  /* the store's trust version the index has  */
	struct cons *cons;   /* the constituency (see cons.h), swapped under cons_lock */
	pthread_rwlock_t cons_lock;
	int64_t cons_seen;   /* the store's constituency version it reflects */
	/* indicators shared with named recipients (STIX objects' recipients),
	 * sorted (indicator, organisation) pairs, swapped under share_lock */
	uint64_t *shares;
	size_t nshares;
	pthread_rwlock_t share_lock;
	int64_t share_seen;  /* the store's share version they reflect */

	pthread_mutex_t pool_lock;
	store_t *pool[HUB_POOL_MAX];
	int npool;

	pthread_mutex_t sync_lock;
	int64_t seq_seen;    /* the index reflects the store up to here */
	int64_t rebuilds;    /* full index rebuilds so far              */
	double last_build_s; /* seconds the last full rebuild took      */
	size_t reserve;      /* expected size of a full rebuild          */
	int64_t forgotten;   /* change log pruned up to here (refresher) */
	/* the index image (idx.h): DB.idx beside the store, the base part at
	 * the sequence it reflects; written by the refresher after each full
	 * build, mapped by the next start.  The change log is kept from the
	 * image's sequence on, so that a start can catch up from it. */
	char *img_path;      /* NULL: no image (a store not in a file)    */
	char store_id[40];   /* the store's identity (setting store_id)   */
	int64_t base_seq;    /* the sequence the index's base reflects    */
	int img_want;        /* a new base to write (under sync_lock)      */
	int64_t img_seq;     /* the image on disk is at; -1 none           */

	/* a wake-up for whoever waits on news (the notifier, live streams):
	 * hub_kick() bumps the generation and wakes them */
	pthread_mutex_t kick_lock;
	pthread_cond_t kick_cond;
	uint64_t kick_gen;

	struct watch *watch; /* the watch-and-warn threads (watch.h), or NULL */

	pthread_t refresher;
	atomic_int stop;
	int refresher_running;
} hub_t;

/* Open the hub on an initialised database and build the index; rep_file
 * (or NULL) overrides the reputation defaults.  0, or -1 with the reason in
 * err. */
int hub_open(hub_t **out, const char *db_path, const char *rep_file, char *err, size_t errlen);
void hub_close(hub_t *h);

/* Borrow a store connection (never NULL unless the database can't be
 * opened) and give it back. */
store_t *hub_store_get(hub_t *h);
void hub_store_put(hub_t *h, store_t *st);

/* Bring the index (and the token table) up to date with the store. */
int hub_sync(hub_t *h);
/* An unknown token may be one made a moment ago (`c5hub token create`):
 * reload the credentials now if a token was made since the last reload, so
 * that it works at once rather than after the refresher's next turn.  The
 * caller checks the token again in any case: the refresher may have
 * reloaded them in between. */
void hub_auth_retry(hub_t *h);
/* Start / stop the refresher thread. */
int hub_start_refresher(hub_t *h);

/* May view v see indicator id (its TLP and giver)?  tlp_visible, with the
 * named recipients of the STIX object it was made from. */
int hub_visible(hub_t *h, const tlp_view_t *v, int64_t id, tlp_t tlp, int64_t giver);
/* Was indicator id shared with organisation org by name? */
int hub_shared_with(hub_t *h, int64_t id, int64_t org);
/* The indicators view v may see, counted by type and TLP (the console's
 * dashboard): the index's groups (idx_groups) through tlp_visible, and
 * those v's organisation sees only as a named recipient from the store st
 * (store_count_named).  cb(arg, type, tlp, n) once per pair that has any.
 * 0, or -1 (out of memory or a store error). */
int hub_count_visible(hub_t *h, store_t *st, const tlp_view_t *v, store_count_cb cb, void *arg);

/* ---- the verdict: the one answer to "is this value bad, and why?" ----
 * Every path that asks the index — the look-up and reputation API, one value
 * or a batch, and the DNS blocklist — calls hub_verdict, so they agree: the
 * reports are every index hit the view may see (all of them: none is cut
 * before or after the visibility check), scored by rep_score, and listed is
 * rep_listed (a value on a warning list never is).  The CLI and the block-list
 * exports read the same reports from the store and end in the same two
 * functions. */
#define HUB_VERDICT_INLINE 64 /* hits held without allocating */
typedef struct {
	const char *wlist;   /* the warning list holding the value, or NULL  */
	rep_result_t res;
	int listed;
	size_t n;            /* the reports the view may see                 */
	idx_hit_t *hits;     /* their n hits, in the index's order           */
	rep_report_t *reps;  /* their n reports                              */
	rep_why_t *why;      /* why each counts (NULL unless asked for)      */
	idx_hit_t hbuf[HUB_VERDICT_INLINE];
	rep_report_t rbuf[HUB_VERDICT_INLINE];
	void *heap;          /* internal: the storage of larger answers      */
} hub_verdict_t;
/* The verdict on o (canonical) for view v at now (minutes), read from snap;
 * with_why also explains every report.  0, or -1 when out of memory (out
 * then holds nothing to free).  Pair with hub_verdict_done. */
int hub_verdict(hub_t *h, const idx_snap_t *snap, const obs_t *o, const tlp_view_t *v, uint32_t now,
		int min_score, int with_why, hub_verdict_t *out);
void hub_verdict_done(hub_verdict_t *out);

/* The constituents responsible for o (see cons_who), each handed to cb
 * while the table is held (the strings are valid only during the call).
 * Returns how many. */
typedef void (*hub_owner_cb)(void *arg, int64_t org_id, const char *org_name, const char *resource,
			     const char *abuse_contact);
size_t hub_who(hub_t *h, const obs_t *o, hub_owner_cb cb, void *arg);

/* Wake everyone waiting in hub_wait() (a warning was raised). */
void hub_kick(hub_t *h);
/* Wait until a kick newer than *gen or ms milliseconds; *gen becomes the
 * current generation.  1 when kicked, 0 on time-out. */
int hub_wait(hub_t *h, uint64_t *gen, int ms);

/* Now in the index's minutes. */
uint32_t hub_now(void);

/* Replace m's trust settings with the store's.  0, or -1 with err. */
int hub_rep_trust(rep_model_t *m, store_t *st, char *err, size_t errlen);

/* The warning lists: built in, and the operator's kept in the store
 * (`c5hub warninglists load`).  NULL with err. */
#define HUB_WLIST_MAX (1 << 20)
struct wlist *hub_wlist_load(store_t *st, char *err, size_t errlen);
/* After changing the operator's lists: raise their version, so that a
 * running server loads them (within a second).  Inside a transaction. */
int hub_wlist_changed(store_t *st);

/* Settings read at open: the hub organisation and the default TLP. */
int hub_read_settings(store_t *st, int64_t *hub_org, tlp_t *default_tlp);

#endif
