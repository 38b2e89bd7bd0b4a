/* idx_int.h — private structures of the look-up index, shared by idx.c (snapshots,
 * readers, interning) and idx_part.c (one immutable part: tables and tries). */
#ifndef C5_IDX_INT_H
#define C5_IDX_INT_H

#include <stdint.h>
#include <stdatomic.h>
#include <string.h>

#include "idx.h"

/* Key kinds inside a part. */
enum { K_V4 = 0, K_NAME, K_BLOB, K_P4, K_P6 };

/* Open-addressed hash slot: key is an IPv4 address (v4 table) or a 32-bit
 * hash tag (string tables); val is first ref + 1, 0 when empty. */
typedef struct {
	uint32_t key;
	uint32_t val;
} idx_slot_t;

typedef struct {
	idx_slot_t *slots;
	uint32_t mask;   /* capacity - 1, capacity a power of two */
	uint32_t shift;  /* 64 - log2(capacity), for the IPv4 multiplicative hash */
	uint32_t n;      /* keys held */
} idx_tab_t;

/* A distinct prefix: its refs and the longest prefix strictly covering it. */
typedef struct {
	uint32_t first;  /* first ref */
	uint32_t parent; /* parent pid + 1, 0 when none */
	uint8_t plen;
} idx_pfx_t;

/* Multibit trie: a 2^16-entry root, then 16-entry nodes (4 bits each).
 * Entry: 0 empty; IDX_CHILD|n child node n; otherwise pid + 1 (the longest
 * prefix covering every address below the entry). */
#define IDX_CHILD 0x80000000u
typedef struct {
	uint32_t *root;
	uint32_t *nodes;
	uint32_t nnodes, cap;
} idx_trie_t;

typedef struct idx_part {
	idx_ref_t *refs;
	uint32_t nrefs;
	idx_tab_t v4, names, blobs;
	idx_tab_t anc;  /* proper ancestors of listed names; val = arena offset + 1 */
	uint8_t *anc_arena;
	size_t anc_arena_len; /* bytes of anc_arena in use */
	idx_trie_t t4, t6;
	idx_pfx_t *pfx;
	uint32_t npfx;
	uint8_t *arena; /* keys of names and blobs: [u16 length][bytes] */
	size_t arena_len;
	size_t nv4, nv6, nprefix, nnames, nothers; /* refs by kind, for stats */
	size_t bytes;
	_Atomic(struct idx_tally *) tally; /* groups of all refs, made on demand */
	void *map;      /* a part mapped from an index image (idx_image.c): its
			   arrays point into this read-only mapping, never free()d */
	size_t map_len;
} idx_part_t;

/* Counts by (org, type, tlp): see idx_groups(). */
typedef struct idx_tally {
	uint64_t *keys;  /* group key + 1; 0 = empty slot */
	uint64_t *n;
	size_t mask, used;
} idx_tally_t;
void idx_tally_free(idx_tally_t *t);

/* Builder entry: one indicator before it is placed in a part. */
typedef struct {
	uint32_t id, org, seen, until;
	uint16_t source;
	uint8_t cls, type, tlp, conf, trust, kind;
	uint32_t key; /* K_V4: the address; otherwise offset of [u16 len][bytes] */
} idx_bent_t;

struct idx_builder {
	idx_t *ix;
	char *last_copy[2];      /* the last source and classification interned */
	uint16_t last_id[2];     /* [1] holds a class id */
	idx_bent_t *e;
	size_t n, cap;
	uint8_t *arena;
	size_t alen, acap;
};

/* Set of suppressed ids (base refs replaced or deleted by the delta). */
typedef struct {
	uint32_t *slots; /* 0 = empty */
	uint32_t mask;
	size_t n;
} idx_sup_t;

struct idx_snap {
	idx_part_t *base, *delta;
	idx_sup_t sup;
	size_t bytes;
	_Atomic(idx_tally_t *) tally; /* see idx_groups(); made on demand */
};

idx_part_t *idx_part_build(const idx_builder_t *b);
/* The same, giving b's memory back as the part takes it (b->e and b->arena
 * are freed and emptied: b is good only for idx_builder_free afterwards). */
idx_part_t *idx_part_build_consume(idx_builder_t *b);
void idx_part_free(idx_part_t *p);
void idx_part_prefetch(const idx_part_t *p, const obs_t *o);
int idx_part_has_below(const idx_part_t *p, const char *name, size_t len);
size_t idx_part_lookup(const idx_part_t *p, const idx_sup_t *sup, const obs_t *o,
		       idx_hit_t *hits, size_t max, size_t n);

static inline int idx_sup_has(const idx_sup_t *s, uint32_t id)
{
	if (s->n == 0)
		return 0;
	for (uint32_t i = (id * 2654435761u) & s->mask;; i = (i + 1) & s->mask) {
		if (s->slots[i] == id)
			return 1;
		if (s->slots[i] == 0)
			return 0;
	}
}

/* For index images (idx_image.c): the interned strings so far (ids 1..n-1
 * of each kind), interning one more (its id, 0 when full), and publishing
 * a whole base part (taken over; an empty delta) as idx_reset does. */
void idx_str_counts(idx_t *ix, uint32_t *nstr, uint32_t *ncls);
uint16_t idx_intern_str(idx_t *ix, const char *s);
uint8_t idx_intern_cls(idx_t *ix, const char *s);
int idx_reset_part(idx_t *ix, idx_part_t *base);
const idx_part_t *idx_snap_base(const idx_snap_t *s);

/* Ask for transparent huge pages on a large, not yet touched allocation:
 * one page fault per 2 MiB instead of per 4 KiB when the index is built.
 * Returns p. */
void *idx_huge(void *p, size_t n);

/* 64-bit hash of a byte string; the same at build and look-up time. */
static inline uint64_t idx_hash(const void *p, size_t n)
{
	const uint8_t *s = p;
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull), v;
	while (n >= 8) {
		memcpy(&v, s, 8);
		h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	v = 0;
	memcpy(&v, s, n);
	h = (h ^ v) * 0x94d049bb133111ebull;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return h;
}

#endif
