/* idx_part.c — one immutable index part: built once from a builder, then only
 * read.  This is the look-up hot path: IPv4 addresses in an open-addressed
 * table whose slots hold the address itself (a miss costs one cache line),
 * names and other values in hashed tables with 32-bit tags, prefixes in
 * multibit tries whose leaves chain to their covering prefixes.
 *
 * Refs of one key are stored contiguously; the last has its last bit set. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "idx_int.h"

void *idx_huge(void *p, size_t n)
{
	const uintptr_t huge = 2u << 20;
	if (p && n >= 2 * huge) {
		uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
		uintptr_t e = ((uintptr_t)p + n) & ~(huge - 1);
		if (e > a)
			madvise((void *)a, e - a, MADV_HUGEPAGE);
	}
	return p;
}

/* ---- hash tables ---- */

static int tab_init(idx_tab_t *t, size_t n)
{
	uint32_t cap = 16, bits = 4;
	memset(t, 0, sizeof *t);
	if (n == 0)
		return 0;
	while (cap < n + n / 2 + 1) {
		cap <<= 1;
		bits++;
	}
	t->slots = idx_huge(calloc(cap, sizeof *t->slots), cap * sizeof *t->slots);
	if (!t->slots)
		return -1;
	t->mask = cap - 1;
	t->shift = 64 - bits;
	return 0;
}

static inline uint32_t v4_pos(const idx_tab_t *t, uint32_t addr)
{
	return (uint32_t)(((uint64_t)addr * 0x9E3779B97F4A7C15ull) >> t->shift) & t->mask;
}

static inline uint32_t v4_addr(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static inline const uint8_t *key_at(const uint8_t *arena, uint32_t off, size_t *len)
{
	*len = (size_t)arena[off] | (size_t)arena[off + 1] << 8;
	return arena + off + 2;
}

/* ---- tries ---- */

static inline unsigned nib(const uint8_t *a, unsigned pos)
{
	return (pos & 4) ? a[pos >> 3] & 15u : a[pos >> 3] >> 4;
}

static int trie_node_new(idx_trie_t *t, uint32_t fill, uint32_t *out)
{
	if (t->nnodes == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 64;
		uint32_t *n = realloc(t->nodes, (size_t)cap * 16 * sizeof *n);
		if (!n || cap >= IDX_CHILD / 16)
			return -1;
		idx_huge(n, (size_t)cap * 16 * sizeof *n);
		t->nodes = n;
		t->cap = cap;
	}
	for (int i = 0; i < 16; i++)
		t->nodes[16 * t->nnodes + i] = fill;
	*out = t->nnodes++;
	return 0;
}

/* Insert prefix pid; prefixes must arrive in ascending length order, so the
 * entries it covers hold either nothing or one shorter prefix: its parent. */
static int trie_insert(idx_trie_t *t, const uint8_t *a, unsigned plen, uint32_t pid,
		       idx_pfx_t *pfx)
{
	uint32_t node = UINT32_MAX; /* UINT32_MAX: the root */
	unsigned idx = (unsigned)a[0] << 8 | a[1], start, count;

	if (!t->root && !(t->root = calloc(65536, sizeof *t->root)))
		return -1;
	if (plen <= 16) {
		count = 1u << (16 - plen);
		start = idx & ~(count - 1);
	} else {
		for (unsigned pos = 16;; pos += 4) {
			uint32_t *tab = node == UINT32_MAX ? t->root : t->nodes + 16 * node;
			uint32_t e = tab[idx], child;
			if (e & IDX_CHILD) {
				child = e & ~IDX_CHILD;
			} else {
				if (trie_node_new(t, e, &child))
					return -1;
				tab = node == UINT32_MAX ? t->root : t->nodes + 16 * node;
				tab[idx] = IDX_CHILD | child;
			}
			node = child;
			if (plen - pos <= 4) {
				count = 1u << (4 - (plen - pos));
				start = nib(a, pos) & ~(count - 1);
				break;
			}
			idx = nib(a, pos);
		}
	}
	uint32_t *tab = node == UINT32_MAX ? t->root : t->nodes + 16 * node;
	assert(!(tab[start] & IDX_CHILD));
	pfx[pid].parent = tab[start];
	for (unsigned i = 0; i < count; i++)
		tab[start + i] = pid + 1;
	return 0;
}

static inline uint32_t trie_lpm(const idx_trie_t *t, const uint8_t *a)
{
	if (!t->root)
		return 0;
	uint32_t e = t->root[(unsigned)a[0] << 8 | a[1]];
	for (unsigned pos = 16; e & IDX_CHILD; pos += 4)
		e = t->nodes[16 * (e & ~IDX_CHILD) + nib(a, pos)];
	return e;
}

/* ---- building ---- */

typedef struct {
	uint32_t *kid_of; /* entry -> key id */
	uint32_t *bkey;   /* key id -> builder key offset (or address) */
	uint32_t *start;  /* key id -> first ref; start[nkeys] = n */
	uint32_t *cnt;
	uint32_t *aux;    /* key id -> part arena offset, or prefix id */
	uint8_t *kind;
	uint32_t nkeys;
} build_tmp_t;

/* Find key bytes in a string table (comparing against builder keys through
 * bkey), inserting a new key id when absent.  Returns the key id. */
static uint32_t tab_intern(idx_tab_t *t, const uint8_t *barena, build_tmp_t *bt,
			   uint32_t boff)
{
	size_t len, klen;
	const uint8_t *k = key_at(barena, boff, &len);
	uint64_t h = idx_hash(k, len);
	uint32_t tag = (uint32_t)(h >> 32);
	for (uint32_t i = (uint32_t)h & t->mask;; i = (i + 1) & t->mask) {
		idx_slot_t *s = &t->slots[i];
		if (s->val == 0) {
			s->key = tag;
			s->val = bt->nkeys + 1;
			bt->bkey[bt->nkeys] = boff;
			t->n++;
			return bt->nkeys++;
		}
		if (s->key == tag) {
			const uint8_t *o = key_at(barena, bt->bkey[s->val - 1], &klen);
			if (klen == len && memcmp(o, k, len) == 0)
				return s->val - 1;
		}
	}
}

static uint32_t v4_intern(idx_tab_t *t, build_tmp_t *bt, uint32_t addr)
{
	for (uint32_t i = v4_pos(t, addr);; i = (i + 1) & t->mask) {
		idx_slot_t *s = &t->slots[i];
		if (s->val == 0) {
			s->key = addr;
			s->val = bt->nkeys + 1;
			bt->bkey[bt->nkeys] = addr;
			t->n++;
			return bt->nkeys++;
		}
		if (s->key == addr)
			return s->val - 1;
	}
}

static void tab_remap(idx_tab_t *t, const uint32_t *start)
{
	for (uint32_t i = 0; t->slots && i <= t->mask; i++)
		if (t->slots[i].val)
			t->slots[i].val = start[t->slots[i].val - 1] + 1;
}

static size_t tab_bytes(const idx_tab_t *t)
{
	return t->slots ? ((size_t)t->mask + 1) * sizeof(idx_slot_t) : 0;
}

static size_t trie_bytes(const idx_trie_t *t)
{
	return (t->root ? 65536 * 4 : 0) + (size_t)t->cap * 64;
}

/* Does the run of refs from first hold one shareable beyond its creator
 * (TLP CLEAR or GREEN)?  Only those may reveal that a name exists. */
static int run_shareable(const idx_part_t *p, uint32_t first)
{
	for (const idx_ref_t *r = &p->refs[first];; r++) {
		if (r->tlp <= 1)
			return 1;
		if (r->last)
			return 0;
	}
}

/* The ancestors of every listed name ("b.example" and "example" for
 * "a.b.example"), so that a DNS zone can tell a name that has listed names
 * below it (NOERROR, no data) from one that has none (NXDOMAIN).  Names
 * seen only under AMBER or RED are left out: their existence is not public. */
/* Double the ancestor table (its keys live in anc_arena). */
static int anc_grow(idx_part_t *p)
{
	idx_tab_t t;
	if (tab_init(&t, ((size_t)p->anc.mask + 1) * 2 / 3 + 1))
		return -1;
	for (uint32_t i = 0; i <= p->anc.mask; i++) {
		idx_slot_t s = p->anc.slots[i];
		if (!s.val)
			continue;
		size_t l;
		const uint8_t *k = key_at(p->anc_arena, s.val - 1, &l);
		uint32_t j = (uint32_t)idx_hash(k, l) & t.mask;
		while (t.slots[j].val)
			j = (j + 1) & t.mask;
		t.slots[j] = s;
	}
	t.n = p->anc.n;
	free(p->anc.slots);
	p->anc = t;
	return 0;
}

static int build_ancestors(idx_part_t *p)
{
	size_t cap = 0, used = 0;
	if (p->names.n == 0)
		return 0;
	if (tab_init(&p->anc, 64))
		return -1;
	/* walk the records in order (each key's run starts after a LAST flag):
	 * sequential reads of the records and of the key arena */
	for (uint32_t i = 0; i < p->nrefs; i++) {
		if (p->refs[i].type != OBS_DOMAIN || (i > 0 && !p->refs[i - 1].last) ||
		    !run_shareable(p, i))
			continue;
		size_t len;
		const uint8_t *k = key_at(p->arena, p->refs[i].key, &len);
		for (size_t j = 0; j < len; j++) {
			if (k[j] != '.')
				continue;
			const uint8_t *a = k + j + 1;
			size_t al = len - j - 1;
			uint64_t h = idx_hash(a, al);
			uint32_t tag = (uint32_t)(h >> 32), s = (uint32_t)h & p->anc.mask;
			int found = 0;
			for (; p->anc.slots[s].val; s = (s + 1) & p->anc.mask) {
				size_t ol;
				const uint8_t *o = key_at(p->anc_arena, p->anc.slots[s].val - 1, &ol);
				if (p->anc.slots[s].key == tag && ol == al && memcmp(o, a, al) == 0) {
					found = 1;
					break;
				}
			}
			if (found)
				break; /* its own ancestors are in already */
			if ((p->anc.n + 1) * 2 > p->anc.mask + 1) {
				if (anc_grow(p))
					return -1;
				s = (uint32_t)h & p->anc.mask;
				while (p->anc.slots[s].val)
					s = (s + 1) & p->anc.mask;
			}
			if (used + al + 2 > cap) {
				size_t nc = cap ? cap * 2 : 4096;
				while (nc < used + al + 2)
					nc *= 2;
				uint8_t *na = nc <= UINT32_MAX ? realloc(p->anc_arena, nc) : NULL;
				if (!na)
					return -1;
				p->anc_arena = na;
				cap = nc;
			}
			p->anc_arena[used] = (uint8_t)(al & 0xff);
			p->anc_arena[used + 1] = (uint8_t)(al >> 8);
			memcpy(p->anc_arena + used + 2, a, al);
			p->anc.slots[s].key = tag;
			p->anc.slots[s].val = (uint32_t)used + 1;
			p->anc.n++;
			used += al + 2;
		}
	}
	p->anc_arena_len = used;
	p->bytes += tab_bytes(&p->anc) + cap;
	return 0;
}

int idx_part_has_below(const idx_part_t *p, const char *name, size_t len)
{
	if (p->anc.n == 0)
		return 0;
	uint64_t h = idx_hash(name, len);
	uint32_t tag = (uint32_t)(h >> 32);
	for (uint32_t s = (uint32_t)h & p->anc.mask; p->anc.slots[s].val; s = (s + 1) & p->anc.mask) {
		size_t ol, off = p->anc.slots[s].val - 1;
		if (p->anc.slots[s].key != tag || off + 2 > p->anc_arena_len)
			continue; /* (a mapped image's offsets are checked here, not at load) */
		const uint8_t *o = key_at(p->anc_arena, (uint32_t)off, &ol);
		if (ol == len && off + 2 + ol <= p->anc_arena_len && memcmp(o, name, len) == 0)
			return 1;
	}
	return 0;
}

/* Insert every prefix into its trie, shortest first (counting sort). */
static int build_tries(idx_part_t *p, const idx_builder_t *b, build_tmp_t *bt)
{
	uint32_t bucket[130] = {0}, *order = NULL;
	int rc = -1;

	if (p->npfx == 0)
		return 0;
	order = malloc((size_t)p->npfx * 2 * sizeof *order);
	if (!order)
		return -1;
	uint32_t *kid_of_pid = order + p->npfx;
	for (uint32_t k = 0; k < bt->nkeys; k++)
		if (bt->kind[k] == K_P4 || bt->kind[k] == K_P6)
			kid_of_pid[bt->aux[k]] = k;
	for (uint32_t pid = 0; pid < p->npfx; pid++)
		bucket[p->pfx[pid].plen + 1]++;
	for (int i = 1; i < 130; i++)
		bucket[i] += bucket[i - 1];
	for (uint32_t pid = 0; pid < p->npfx; pid++)
		order[bucket[p->pfx[pid].plen]++] = pid;
	for (uint32_t i = 0; i < p->npfx; i++) {
		uint32_t pid = order[i], k = kid_of_pid[pid];
		size_t len;
		const uint8_t *key = key_at(b->arena, bt->bkey[k], &len);
		idx_trie_t *t = bt->kind[k] == K_P4 ? &p->t4 : &p->t6;
		if (trie_insert(t, key + 1, p->pfx[pid].plen, pid, p->pfx))
			goto out;
	}
	rc = 0;
out:
	free(order);
	return rc;
}

static void tmp_free(build_tmp_t *bt)
{
	free(bt->kid_of);
	free(bt->bkey);
	free(bt->start);
	free(bt->cnt);
	free(bt->aux);
	free(bt->kind);
}

static idx_part_t *part_build(idx_builder_t *b, int consume)
{
	size_t n = b->n, nk[5] = {0}, arena = 0;
	build_tmp_t bt = {0};
	idx_tab_t ptab;
	idx_part_t *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	for (size_t i = 0; i < n; i++)
		nk[b->e[i].kind]++;
	size_t w = (n + 1) * sizeof(uint32_t);
	bt.kid_of = idx_huge(malloc(w), w);
	bt.bkey = idx_huge(malloc(w), w);
	bt.start = idx_huge(malloc(w), w);
	bt.cnt = idx_huge(calloc(n + 1, sizeof *bt.cnt), w);
	bt.aux = idx_huge(malloc(w), w);
	bt.kind = malloc(n + 1);
	p->refs = idx_huge(malloc((n + 1) * sizeof *p->refs), (n + 1) * sizeof *p->refs);
	p->pfx = calloc(nk[K_P4] + nk[K_P6] + 1, sizeof *p->pfx); /* zeroed: its padding goes into the image */
	if (!bt.kid_of || !bt.bkey || !bt.start || !bt.cnt || !bt.aux || !bt.kind ||
	    !p->refs || !p->pfx || tab_init(&p->v4, nk[K_V4]) ||
	    tab_init(&p->names, nk[K_NAME]) || tab_init(&p->blobs, nk[K_BLOB]) ||
	    tab_init(&ptab, nk[K_P4] + nk[K_P6]))
		goto fail;

	/* pass 1: distinct keys */
	for (size_t i = 0; i < n; i++) {
		const idx_bent_t *e = &b->e[i];
		uint32_t before = bt.nkeys, k;
		switch (e->kind) {
		case K_V4: k = v4_intern(&p->v4, &bt, e->key); break;
		case K_NAME: k = tab_intern(&p->names, b->arena, &bt, e->key); break;
		case K_BLOB: k = tab_intern(&p->blobs, b->arena, &bt, e->key); break;
		default: k = tab_intern(&ptab, b->arena, &bt, e->key); break;
		}
		if (bt.nkeys != before) { /* a new key */
			size_t len;
			const uint8_t *key;
			bt.kind[k] = e->kind;
			if (e->kind == K_NAME || e->kind == K_BLOB) {
				key_at(b->arena, e->key, &len);
				bt.aux[k] = (uint32_t)arena;
				arena += 2 + len;
			} else if (e->kind == K_P4 || e->kind == K_P6) {
				key = key_at(b->arena, e->key, &len);
				bt.aux[k] = p->npfx;
				p->pfx[p->npfx].plen = key[len - 1];
				p->pfx[p->npfx++].parent = 0;
			}
		}
		bt.kid_of[i] = k;
		bt.cnt[k]++;
	}
	/* pass 2: each key's run of refs */
	uint32_t sum = 0;
	for (uint32_t k = 0; k < bt.nkeys; k++) {
		bt.start[k] = sum;
		sum += bt.cnt[k];
	}
	bt.start[bt.nkeys] = sum;
	if (arena > UINT32_MAX || !(p->arena = idx_huge(malloc(arena + 1), arena + 1)))
		goto fail;
	for (uint32_t k = 0; k < bt.nkeys; k++) {
		size_t len;
		if (bt.kind[k] == K_NAME || bt.kind[k] == K_BLOB) {
			key_at(b->arena, bt.bkey[k], &len);
			memcpy(p->arena + bt.aux[k], b->arena + bt.bkey[k], len + 2);
		} else if (bt.kind[k] == K_P4 || bt.kind[k] == K_P6) {
			p->pfx[bt.aux[k]].first = bt.start[k];
		}
	}
	p->arena_len = arena;
	if (build_tries(p, b, &bt))
		goto fail;
	if (consume) { /* the builder's keys are all copied: give them back */
		free(b->arena);
		b->arena = NULL;
		b->alen = b->acap = 0;
	}
	free(bt.bkey);
	bt.bkey = NULL;
	/* pass 3: place refs */
	for (size_t i = 0; i < n; i++) {
		const idx_bent_t *e = &b->e[i];
		uint32_t k = bt.kid_of[i];
		idx_ref_t *r = &p->refs[bt.start[k] + --bt.cnt[k]];
		r->id = e->id;
		r->org = e->org;
		r->source = e->source;
		r->cls = e->cls;
		r->type = e->type & 15;
		r->tlp = e->tlp & 7;
		r->last = 0;
		r->conf = e->conf;
		r->seen = e->seen & 0xFFFFFF;
		r->trust = e->trust;
		r->until = e->until & 0xFFFFFF;
		r->key = e->kind == K_V4 ? e->key : bt.aux[k];
		switch (e->kind) {
		case K_V4: p->nv4++; break;
		case K_NAME: p->nnames++; break;
		case K_BLOB: if (e->type == OBS_IPV6) p->nv6++; else p->nothers++; break;
		default: p->nprefix++; break;
		}
	}
	if (consume) {
		free(b->e);
		b->e = NULL;
		b->n = b->cap = 0;
	}
	free(bt.kid_of);
	free(bt.cnt);
	bt.kid_of = bt.cnt = NULL;
	for (uint32_t k = 0; k < bt.nkeys; k++)
		p->refs[bt.start[k + 1] - 1].last = 1;
	p->nrefs = (uint32_t)n;
	tab_remap(&p->v4, bt.start);
	tab_remap(&p->names, bt.start);
	tab_remap(&p->blobs, bt.start);
	free(ptab.slots);
	tmp_free(&bt);
	p->bytes = sizeof *p + (size_t)n * sizeof *p->refs + tab_bytes(&p->v4) +
		   tab_bytes(&p->names) + tab_bytes(&p->blobs) + trie_bytes(&p->t4) +
		   trie_bytes(&p->t6) + (size_t)p->npfx * sizeof *p->pfx + p->arena_len;
	if (build_ancestors(p)) {
		idx_part_free(p);
		return NULL;
	}
	return p;
fail:
	free(ptab.slots);
	tmp_free(&bt);
	idx_part_free(p);
	return NULL;
}

idx_part_t *idx_part_build(const idx_builder_t *b)
{
	return part_build((idx_builder_t *)b, 0); /* 0: b is only read */
}

idx_part_t *idx_part_build_consume(idx_builder_t *b)
{
	return part_build(b, 1);
}

void idx_part_free(idx_part_t *p)
{
	if (!p)
		return;
	if (p->map) { /* mapped from an image: only the tally is ours */
		munmap(p->map, p->map_len);
		idx_tally_free(atomic_load(&p->tally));
		free(p);
		return;
	}
	free(p->refs);
	free(p->v4.slots);
	free(p->names.slots);
	free(p->blobs.slots);
	free(p->anc.slots);
	free(p->anc_arena);
	free(p->t4.root);
	free(p->t4.nodes);
	free(p->t6.root);
	free(p->t6.nodes);
	free(p->pfx);
	free(p->arena);
	idx_tally_free(atomic_load(&p->tally));
	free(p);
}

/* ---- look-up ---- */

static inline size_t emit(const idx_part_t *p, const idx_sup_t *sup, uint32_t first,
			  uint8_t how, uint8_t plen, uint16_t off, idx_hit_t *hits,
			  size_t max, size_t n)
{
	const idx_ref_t *r = &p->refs[first];
	for (;; r++) {
		if (!idx_sup_has(sup, r->id)) {
			if (n < max)
				hits[n] = (idx_hit_t){r, how, plen, off};
			n++;
		}
		if (r->last)
			return n;
	}
}

static inline uint32_t v4_find(const idx_tab_t *t, uint32_t addr)
{
	if (t->n == 0)
		return 0;
	for (uint32_t i = v4_pos(t, addr);; i = (i + 1) & t->mask) {
		const idx_slot_t *s = &t->slots[i];
		if (s->val == 0 || s->key == addr)
			return s->val;
	}
}

static uint32_t str_find(const idx_part_t *p, const idx_tab_t *t, const void *k, size_t len)
{
	if (t->n == 0)
		return 0;
	uint64_t h = idx_hash(k, len);
	uint32_t tag = (uint32_t)(h >> 32);
	for (uint32_t i = (uint32_t)h & t->mask;; i = (i + 1) & t->mask) {
		const idx_slot_t *s = &t->slots[i];
		if (s->val == 0)
			return 0;
		if (s->key == tag) {
			size_t klen, off = p->refs[s->val - 1].key;
			if (off + 2 > p->arena_len)
				continue; /* (a mapped image's offsets are checked here, not at load) */
			const uint8_t *o = key_at(p->arena, (uint32_t)off, &klen);
			if (klen == len && off + 2 + klen <= p->arena_len && memcmp(o, k, len) == 0)
				return s->val;
		}
	}
}

/* Every prefix in trie t covering address a, no longer than maxlen. */
static size_t covering(const idx_part_t *p, const idx_trie_t *t, const idx_sup_t *sup,
		       const uint8_t *a, unsigned qlen, idx_hit_t *hits, size_t max, size_t n)
{
	for (uint32_t e = trie_lpm(t, a); e; e = p->pfx[e - 1].parent) {
		const idx_pfx_t *x = &p->pfx[e - 1];
		if (x->plen > qlen)
			continue;
		n = emit(p, sup, x->first, x->plen == qlen ? IDX_EXACT : IDX_PREFIX, x->plen, 0,
			 hits, max, n);
	}
	return n;
}

void idx_part_prefetch(const idx_part_t *p, const obs_t *o)
{
	if (o->type == OBS_IPV4 && o->plen == 32 && p->v4.n) {
		__builtin_prefetch(&p->v4.slots[v4_pos(&p->v4, v4_addr(o->addr))]);
		if (p->t4.root)
			__builtin_prefetch(&p->t4.root[(unsigned)o->addr[0] << 8 | o->addr[1]]);
	}
}

size_t idx_part_lookup(const idx_part_t *p, const idx_sup_t *sup, const obs_t *o,
		       idx_hit_t *hits, size_t max, size_t n)
{
	uint8_t key[OBS_VALUE_MAX + 2];
	uint32_t f;

	switch (o->type) {
	case OBS_IPV4:
		if (o->plen == 32 && (f = v4_find(&p->v4, v4_addr(o->addr))))
			n = emit(p, sup, f - 1, IDX_EXACT, 32, 0, hits, max, n);
		return p->t4.root ? covering(p, &p->t4, sup, o->addr, o->plen, hits, max, n) : n;
	case OBS_IPV6:
		if (o->plen == 128) {
			key[0] = OBS_IPV6;
			memcpy(key + 1, o->addr, 16);
			if ((f = str_find(p, &p->blobs, key, 17)))
				n = emit(p, sup, f - 1, IDX_EXACT, 128, 0, hits, max, n);
		}
		return p->t6.root ? covering(p, &p->t6, sup, o->addr, o->plen, hits, max, n) : n;
	case OBS_DOMAIN:
		if (p->names.n == 0)
			return n;
		for (size_t off = 0;;) {
			if ((f = str_find(p, &p->names, o->value + off, o->len - off)))
				n = emit(p, sup, f - 1, off ? IDX_PARENT : IDX_EXACT, 0,
					 (uint16_t)off, hits, max, n);
			const char *dot = memchr(o->value + off, '.', o->len - off);
			if (!dot)
				return n;
			off = (size_t)(dot - o->value) + 1;
		}
	default:
		if (p->blobs.n == 0)
			return n;
		key[0] = (uint8_t)o->type;
		memcpy(key + 1, o->value, o->len);
		if ((f = str_find(p, &p->blobs, key, o->len + 1)))
			n = emit(p, sup, f - 1, IDX_EXACT, 0, 0, hits, max, n);
		return n;
	}
}
