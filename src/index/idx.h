/* idx.h — the in-memory look-up index.
 *
 * What it owns: every indicator's key and the few fields a look-up answers
 * with, in structures built for speed — an open-addressed hash for IPv4
 * addresses, hashed string tables for domain names (suffix match) and other
 * values, and multibit tries for IPv4 and IPv6 prefixes (all covering
 * prefixes of an address).  It knows nothing of the store or the server.
 *
 * Concurrency: one writer at a time (idx_apply / idx_reset serialise on an
 * internal mutex); any number of readers that never block.  Readers see an
 * immutable snapshot between idx_enter() and idx_leave(); writers publish a new
 * snapshot with one atomic pointer swap and free the old one once every reader
 * that could hold it has left (epoch-based reclamation).
 *
 * A snapshot is a large immutable base part plus a small delta part rebuilt on
 * each change; the owner calls idx_reset() with a fresh base when
 * idx_delta_size() grows (see hub.c). */
#ifndef C5_IDX_H
#define C5_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "core/obs.h"

typedef struct idx idx_t;
typedef struct idx_snap idx_snap_t;
typedef struct idx_builder idx_builder_t;

/* One indicator (one report of a value) as the index holds it: 24 bytes.
 * Times are whole minutes since 2020 (see rep.h), 0 = not set. */
typedef struct {
	uint32_t id;          /* store id (indicators are numbered from 1)   */
	uint32_t key;         /* internal: address, arena offset or prefix id */
	uint32_t org;         /* reporting organisation                      */
	uint32_t source : 16; /* interned source name, see idx_str()         */
	uint32_t cls : 8;     /* interned classification, see idx_cls()      */
	uint32_t type : 4;    /* obs_type_t                                  */
	uint32_t tlp : 3;     /* tlp_t                                       */
	uint32_t last : 1;    /* internal: last ref of its key               */
	uint32_t conf : 8;    /* confidence 0..100                           */
	uint32_t seen : 24;   /* last seen                                   */
	uint32_t trust : 8;   /* trust in the reporter 0..100, at indexing   */
	uint32_t until : 24;  /* valid until (rounded up), 0 = no end        */
} idx_ref_t;

typedef enum { IDX_EXACT = 0, IDX_PREFIX, IDX_PARENT } idx_how_t;

/* One match: the indicator, how it matched, and where: for IDX_PREFIX the
 * covering prefix length, for IDX_PARENT the offset in the queried name at
 * which the listed parent domain starts. */
typedef struct {
	const idx_ref_t *ref;
	uint8_t how;
	uint8_t plen;
	uint16_t off;
} idx_hit_t;

/* What a builder needs to know of one indicator. */
typedef struct {
	uint32_t id, org;
	uint32_t seen, until; /* minutes, as in idx_ref_t */
	uint8_t tlp, conf, trust;
	const char *source, *cls; /* borrowed; interned by idx_builder_add */
} idx_meta_t;

/* ---- life cycle ---- */
idx_t *idx_new(void);  /* NULL on out of memory */
void idx_free(idx_t *ix); /* no reader may be inside */

/* ---- building ---- */
idx_builder_t *idx_builder_new(idx_t *ix);
/* Add one indicator; o must be canonical (from obs_parse).  Returns 0 or -1
 * (out of memory, or an id of 0). */
int idx_builder_add(idx_builder_t *b, const obs_t *o, const idx_meta_t *m);
void idx_builder_free(idx_builder_t *b);
size_t idx_builder_count(const idx_builder_t *b);
/* Make room for n more indicators (a hint; 0 / -1). */
int idx_builder_reserve(idx_builder_t *b, size_t n);

/* Replace the whole index with what b holds (b is consumed).  Returns 0/-1. */
int idx_reset(idx_t *ix, idx_builder_t *b);
/* Add or replace the indicators in adds (consumed; may be NULL) and remove the
 * ids in dels.  Visible to readers entering after it returns.  0/-1. */
int idx_apply(idx_t *ix, idx_builder_t *adds, const uint32_t *dels, size_t ndels);
size_t idx_delta_size(idx_t *ix); /* indicators held in the delta part */

/* ---- reading ---- */
/* Enter a read-side section and get the current snapshot; cheap, never
 * blocks.  Pair with idx_leave() on the same thread; do not nest. */
const idx_snap_t *idx_enter(idx_t *ix);
void idx_leave(idx_t *ix);
/* The snapshot of an index that no writer changes any more (built once with
 * idx_reset, then only read until idx_free): no reader registration, so
 * short-lived indexes leave nothing behind in the reading threads. */
const idx_snap_t *idx_frozen(idx_t *ix);

/* All indicators matching o; fills up to max hits and returns how many
 * matched in all (which may exceed max). */
size_t idx_lookup(const idx_snap_t *s, const obs_t *o, idx_hit_t *hits, size_t max);
/* Is some listed domain name below name ("example" for "a.example")?  Names
 * deleted since the last full rebuild may still count. */
int idx_has_below(const idx_snap_t *s, const char *name, size_t len);

/* Hint that o will be looked up soon: a caller with a batch of queries
 * calls this a few queries ahead so that the memory accesses overlap. */
void idx_prefetch(const idx_snap_t *s, const obs_t *o);

/* Interned source name and classification ("" for 0 or unknown ids; at
 * most 65535 sources and 255 classifications, further ones read as ""). */
const char *idx_str(const idx_t *ix, uint16_t id);
const char *idx_cls(const idx_t *ix, uint8_t id);

/* ---- index images ----
 * The base part written to a file beside the store and mapped read-only at
 * the next start instead of built (idx_image.c).  An image is used only when
 * it was made from this store (its identity), with the same trust, at a
 * sequence the store can still catch up from (seq_min..seq_max), and passes
 * every size, checksum and consistency check: anything else is refused. */
typedef struct {
	const char *store_id; /* the store's identity                     */
	uint64_t trust;       /* rep_trust_fingerprint of the model used  */
	int64_t seq_min;      /* the oldest sequence the change log covers */
	int64_t seq_max;      /* the store's current sequence             */
} idx_image_want_t;
/* Write the base part of snapshot s (entered with idx_enter, or frozen),
 * which reflects the store at seq, to path: through path.tmp, fsync and
 * rename.  0, or -1 with the reason in err. */
int idx_image_write(idx_t *ix, const idx_snap_t *s, const char *path, const char *store_id,
		    uint64_t trust, int64_t seq, char *err, size_t errlen);
/* Map the image at path and make it the base of ix (a fresh index, nothing
 * added yet; the delta empty): 0 with *seq its store sequence; 1 when there
 * is no such file; -1 with the reason in err when it is refused. */
int idx_image_load(idx_t *ix, const char *path, const idx_image_want_t *want, int64_t *seq,
		   char *err, size_t errlen);
/* Every check of idx_image_load on an image in memory (tests, fuzzing):
 * 0 with *seq, or -1 with the reason in err. */
int idx_image_check(const void *buf, size_t len, const idx_image_want_t *want, int64_t *seq,
		    char *err, size_t errlen);
/* Recompute an image's checksums in place (fuzzing: so that mutated images
 * reach the structural checks).  Never for production use. */
void idx_image_reseal(void *buf, size_t len);

typedef struct {
	size_t indicators;      /* refs in base + delta, less suppressed */
	size_t ipv4, ipv6, prefixes, names, others;
	size_t bytes;           /* memory held by the current snapshot   */
} idx_stats_t;
void idx_stats(const idx_snap_t *s, idx_stats_t *st);

/* The snapshot's indicators grouped by reporting organisation, type and
 * TLP, with each group's count: what a dashboard's counts are made of
 * (the caller applies the visibility rule to each group).  Worked out on
 * the first call for a snapshot (one pass over it: a few milliseconds a
 * million indicators) and kept with it, so later calls only read; a base
 * part's groups are kept with the base, so a snapshot that replaced none of
 * its base's indicators costs a pass over its delta only.  cb returns
 * non-zero to stop.  0, or -1 when out of memory. */
typedef struct {
	uint32_t org;
	uint8_t type, tlp;
	uint64_t n;
} idx_group_t;
typedef int (*idx_group_cb)(void *arg, const idx_group_t *g);
int idx_groups(const idx_snap_t *s, idx_group_cb cb, void *arg);

#endif
