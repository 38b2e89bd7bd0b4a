/* idx.c — snapshots, the delta, readers and interned strings of the look-up
 * index (see idx.h for the concurrency contract). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "idx_int.h"

#define IDX_MAX_READERS 512
#define STR_CHUNK 256 /* interned strings per chunk; 256 chunks = 65536 ids */

typedef struct {
	_Alignas(64) _Atomic uint64_t epoch; /* 0: not reading */
	_Atomic int used;
} reader_t;

typedef struct { /* per-thread record of this thread's reader slot */
	idx_t *ix;
	int slot;
} reader_tls_t;

struct idx {
	_Atomic(idx_snap_t *) cur;
	_Atomic uint64_t epoch;
	reader_t readers[IDX_MAX_READERS];
	_Atomic int nslots; /* slots ever handed out (high-water mark) */
	pthread_key_t tls;

	pthread_mutex_t wlock;   /* one writer at a time */
	idx_builder_t *delta_src; /* the entries of the current delta part */

	pthread_mutex_t slock;   /* interning */
	char **str[256];         /* chunks; read without a lock by readers */
	uint32_t nstr;
	uint16_t *smap;          /* open-addressed: string id, 0 empty */
	uint32_t smask;
	char *cls[256];          /* classifications; id 0 is "" */
	uint32_t ncls;
};

/* ---- interned strings ---- */

static uint16_t intern(idx_t *ix, const char *s)
{
	uint16_t id = 0;
	if (!s || !*s)
		return 0;
	pthread_mutex_lock(&ix->slock);
	uint64_t h = idx_hash(s, strlen(s));
	uint32_t i = (uint32_t)h & ix->smask;
	for (; ix->smap[i]; i = (i + 1) & ix->smask) {
		uint16_t k = ix->smap[i];
		if (strcmp(ix->str[k / STR_CHUNK][k % STR_CHUNK], s) == 0) {
			id = k;
			goto out;
		}
	}
	if (ix->nstr >= 65535 || ix->nstr * 2 > ix->smask)
		goto out; /* full: the string reads as "" */
	uint32_t c = ix->nstr / STR_CHUNK;
	if (!ix->str[c] && !(ix->str[c] = calloc(STR_CHUNK, sizeof(char *))))
		goto out;
	char *copy = strdup(s);
	if (!copy)
		goto out;
	ix->str[c][ix->nstr % STR_CHUNK] = copy;
	id = (uint16_t)ix->nstr++;
	ix->smap[i] = id;
out:
	pthread_mutex_unlock(&ix->slock);
	return id;
}

/* Classifications are few: a linear search, 255 at most. */
static uint8_t intern_cls(idx_t *ix, const char *s)
{
	uint8_t id = 0;
	if (!s || !*s)
		return 0;
	pthread_mutex_lock(&ix->slock);
	for (uint32_t i = 1; i < ix->ncls; i++)
		if (strcmp(ix->cls[i], s) == 0) {
			id = (uint8_t)i;
			goto out;
		}
	if (ix->ncls < 256 && (ix->cls[ix->ncls] = strdup(s)))
		id = (uint8_t)ix->ncls++;
out:
	pthread_mutex_unlock(&ix->slock);
	return id;
}

const char *idx_cls(const idx_t *ix, uint8_t id)
{
	return id == 0 || id >= ix->ncls ? "" : ix->cls[id];
}

const char *idx_str(const idx_t *ix, uint16_t id)
{
	if (id == 0 || id >= ix->nstr)
		return "";
	return ix->str[id / STR_CHUNK][id % STR_CHUNK];
}

void idx_str_counts(idx_t *ix, uint32_t *nstr, uint32_t *ncls)
{
	pthread_mutex_lock(&ix->slock);
	*nstr = ix->nstr;
	*ncls = ix->ncls;
	pthread_mutex_unlock(&ix->slock);
}

uint16_t idx_intern_str(idx_t *ix, const char *s)
{
	return intern(ix, s);
}

uint8_t idx_intern_cls(idx_t *ix, const char *s)
{
	return intern_cls(ix, s);
}

/* ---- readers ---- */

static void reader_release(void *p)
{
	reader_tls_t *t = p;
	atomic_store(&t->ix->readers[t->slot].epoch, 0);
	atomic_store(&t->ix->readers[t->slot].used, 0);
	free(t);
}

static reader_t *reader_slot(idx_t *ix)
{
	reader_tls_t *t = pthread_getspecific(ix->tls);
	if (t)
		return &ix->readers[t->slot];
	for (int i = 0; i < IDX_MAX_READERS; i++) {
		int expect = 0;
		if (!atomic_compare_exchange_strong(&ix->readers[i].used, &expect, 1))
			continue;
		if (!(t = malloc(sizeof *t))) {
			atomic_store(&ix->readers[i].used, 0);
			break;
		}
		t->ix = ix;
		t->slot = i;
		pthread_setspecific(ix->tls, t);
		int n = atomic_load(&ix->nslots);
		while (n < i + 1 && !atomic_compare_exchange_weak(&ix->nslots, &n, i + 1))
			;
		return &ix->readers[i];
	}
	fprintf(stderr, "c5hub: index: more than %d reader threads\n", IDX_MAX_READERS);
	abort();
}

const idx_snap_t *idx_enter(idx_t *ix)
{
	reader_t *r = reader_slot(ix);
	atomic_store(&r->epoch, atomic_load(&ix->epoch));
	return atomic_load(&ix->cur);
}

const idx_snap_t *idx_frozen(idx_t *ix)
{
	return atomic_load(&ix->cur);
}

void idx_leave(idx_t *ix)
{
	reader_tls_t *t = pthread_getspecific(ix->tls);
	if (t)
		atomic_store_explicit(&ix->readers[t->slot].epoch, 0, memory_order_release);
}

/* Wait until no reader can still hold a snapshot published before now. */
static void synchronize(idx_t *ix)
{
	uint64_t e = atomic_fetch_add(&ix->epoch, 1) + 1;
	int n = atomic_load(&ix->nslots);
	for (int i = 0; i < n; i++)
		for (;;) {
			uint64_t r = atomic_load(&ix->readers[i].epoch);
			if (r == 0 || r >= e)
				break;
			sched_yield();
		}
}

/* ---- builders ---- */

idx_builder_t *idx_builder_new(idx_t *ix)
{
	idx_builder_t *b = calloc(1, sizeof *b);
	if (b)
		b->ix = ix;
	return b;
}

void idx_builder_free(idx_builder_t *b)
{
	if (!b)
		return;
	free(b->last_copy[0]);
	free(b->last_copy[1]);
	free(b->e);
	free(b->arena);
	free(b);
}

size_t idx_builder_count(const idx_builder_t *b)
{
	return b->n;
}

int idx_builder_reserve(idx_builder_t *b, size_t n)
{
	if (b->n + n <= b->cap)
		return 0;
	idx_bent_t *e = realloc(b->e, (b->n + n) * sizeof *e);
	if (!e)
		return -1;
	b->e = idx_huge(e, (b->n + n) * sizeof *e);
	b->cap = b->n + n;
	size_t want = b->alen + n * 24; /* typical key bytes per indicator */
	if (want > b->acap && want < UINT32_MAX) {
		uint8_t *a = idx_huge(realloc(b->arena, want), want);
		if (!a)
			return -1;
		b->arena = a;
		b->acap = want;
	}
	return 0;
}

static int put_key(idx_builder_t *b, const void *k1, size_t n1, const void *k2, size_t n2,
		   uint32_t *off)
{
	size_t need = 2 + n1 + n2;
	if (b->alen + need > b->acap) {
		size_t cap = b->acap ? b->acap * 2 : 4096;
		while (cap < b->alen + need)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -1;
		uint8_t *a = realloc(b->arena, cap);
		if (!a)
			return -1;
		b->arena = a;
		b->acap = cap;
	}
	uint8_t *p = b->arena + b->alen;
	p[0] = (uint8_t)((n1 + n2) & 0xff);
	p[1] = (uint8_t)((n1 + n2) >> 8);
	memcpy(p + 2, k1, n1);
	if (n2)
		memcpy(p + 2 + n1, k2, n2);
	*off = (uint32_t)b->alen;
	b->alen += need;
	return 0;
}

static int add_ent(idx_builder_t *b, const idx_bent_t *e)
{
	if (util_grow(&b->e, &b->cap, b->n + 1, sizeof *b->e, 1024))
		return -1;
	b->e[b->n++] = *e;
	return 0;
}

/* Intern s, remembering the last string of this kind (k): rows of one scan
 * mostly repeat their source and classification. */
static uint16_t intern_cached(idx_builder_t *b, int k, const char *s)
{
	if (!s)
		return 0;
	if (b->last_copy[k] && strcmp(b->last_copy[k], s) == 0)
		return b->last_id[k];
	char *c = strdup(s);
	if (!c)
		return k ? intern_cls(b->ix, s) : intern(b->ix, s);
	free(b->last_copy[k]);
	b->last_copy[k] = c;
	b->last_id[k] = k ? intern_cls(b->ix, s) : intern(b->ix, s);
	return b->last_id[k];
}

int idx_builder_add(idx_builder_t *b, const obs_t *o, const idx_meta_t *m)
{
	idx_bent_t e = {
		.id = m->id, .org = m->org, .seen = m->seen, .until = m->until,
		.source = intern_cached(b, 0, m->source), .cls = (uint8_t)intern_cached(b, 1, m->cls),
		.type = (uint8_t)o->type, .tlp = m->tlp, .conf = m->conf, .trust = m->trust,
	};
	uint8_t tag[2] = {(uint8_t)o->type, 0};
	int rc = 0;

	if (m->id == 0 || o->type == OBS_NONE)
		return -1;
	if (o->type == OBS_IPV4 && o->plen == 32) {
		e.kind = K_V4;
		e.key = (uint32_t)o->addr[0] << 24 | (uint32_t)o->addr[1] << 16 |
			(uint32_t)o->addr[2] << 8 | o->addr[3];
	} else if (o->type == OBS_IPV4 || (o->type == OBS_IPV6 && o->plen < 128)) {
		uint8_t k[18];
		size_t alen = o->type == OBS_IPV4 ? 4 : 16;
		k[0] = o->type == OBS_IPV4 ? 0xF4 : 0xF6;
		memcpy(k + 1, o->addr, alen);
		k[1 + alen] = o->plen;
		e.kind = o->type == OBS_IPV4 ? K_P4 : K_P6;
		rc = put_key(b, k, alen + 2, NULL, 0, &e.key);
	} else if (o->type == OBS_IPV6) {
		e.kind = K_BLOB;
		rc = put_key(b, tag, 1, o->addr, 16, &e.key);
	} else if (o->type == OBS_DOMAIN) {
		e.kind = K_NAME;
		rc = put_key(b, o->value, o->len, NULL, 0, &e.key);
	} else {
		e.kind = K_BLOB;
		rc = put_key(b, tag, 1, o->value, o->len, &e.key);
	}
	return rc ? -1 : add_ent(b, &e);
}

/* Copy entry i of src (with its key bytes) into dst. */
static int copy_ent(idx_builder_t *dst, const idx_builder_t *src, size_t i)
{
	idx_bent_t e = src->e[i];
	if (e.kind != K_V4) {
		const uint8_t *k = src->arena + e.key;
		size_t len = (size_t)k[0] | (size_t)k[1] << 8;
		if (put_key(dst, k + 2, len, NULL, 0, &e.key))
			return -1;
	}
	return add_ent(dst, &e);
}

/* ---- snapshots ---- */

static int sup_build(idx_sup_t *s, const idx_sup_t *old, const uint32_t *a, size_t na,
		     const idx_builder_t *b)
{
	size_t want = (old ? old->n : 0) + na + (b ? b->n : 0);
	uint32_t cap = 16;
	memset(s, 0, sizeof *s);
	if (want == 0)
		return 0;
	while (cap < want * 2)
		cap <<= 1;
	if (!(s->slots = calloc(cap, sizeof *s->slots)))
		return -1;
	s->mask = cap - 1;
	for (size_t k = 0, total = (old ? old->mask + 1 : 0) + na + (b ? b->n : 0); k < total; k++) {
		uint32_t id;
		size_t oldcap = old && old->n ? old->mask + 1 : 0;
		if (k < oldcap)
			id = old->slots[k];
		else if (k < oldcap + na)
			id = a[k - oldcap];
		else if (b && k - oldcap - na < b->n)
			id = b->e[k - oldcap - na].id;
		else
			break;
		if (!id || idx_sup_has(s, id))
			continue;
		uint32_t i = (id * 2654435761u) & s->mask;
		while (s->slots[i])
			i = (i + 1) & s->mask;
		s->slots[i] = id;
		s->n++;
	}
	return 0;
}

static void snap_free(idx_snap_t *s, int free_base)
{
	if (!s)
		return;
	if (free_base)
		idx_part_free(s->base);
	idx_part_free(s->delta);
	free(s->sup.slots);
	idx_tally_free(atomic_load(&s->tally));
	free(s);
}

/* Publish next, wait out the readers of the old snapshot, free it. */
static void publish(idx_t *ix, idx_snap_t *next)
{
	next->bytes = (next->base ? next->base->bytes : 0) +
		      (next->delta ? next->delta->bytes : 0) +
		      (next->sup.slots ? (next->sup.mask + 1) * sizeof(uint32_t) : 0);
	idx_snap_t *old = atomic_exchange(&ix->cur, next);
	synchronize(ix);
	snap_free(old, old && old->base != next->base);
}

idx_t *idx_new(void)
{
	idx_t *ix = calloc(1, sizeof *ix);
	idx_builder_t *empty = NULL;
	if (!ix)
		return NULL;
	atomic_store(&ix->epoch, 1);
	pthread_mutex_init(&ix->wlock, NULL);
	pthread_mutex_init(&ix->slock, NULL);
	ix->smask = 131071;
	ix->nstr = 1; /* id 0 is "" */
	ix->ncls = 1;
	if (pthread_key_create(&ix->tls, reader_release) ||
	    !(ix->smap = calloc(ix->smask + 1, sizeof *ix->smap)) ||
	    !(empty = idx_builder_new(ix)) || idx_reset(ix, empty)) {
		free(ix->smap);
		free(ix);
		return NULL;
	}
	return ix;
}

void idx_free(idx_t *ix)
{
	if (!ix)
		return;
	reader_tls_t *t = pthread_getspecific(ix->tls);
	if (t) {
		pthread_setspecific(ix->tls, NULL);
		free(t);
	}
	pthread_key_delete(ix->tls);
	snap_free(atomic_load(&ix->cur), 1);
	idx_builder_free(ix->delta_src);
	for (uint32_t i = 1; i < ix->nstr; i++)
		free(ix->str[i / STR_CHUNK][i % STR_CHUNK]);
	for (uint32_t i = 1; i < ix->ncls; i++)
		free(ix->cls[i]);
	for (int c = 0; c < 256; c++)
		free(ix->str[c]);
	free(ix->smap);
	pthread_mutex_destroy(&ix->wlock);
	pthread_mutex_destroy(&ix->slock);
	free(ix);
}

const idx_part_t *idx_snap_base(const idx_snap_t *s)
{
	return s->base;
}

int idx_reset(idx_t *ix, idx_builder_t *b)
{
	idx_part_t *base = idx_part_build_consume(b);
	idx_builder_free(b);
	return base ? idx_reset_part(ix, base) : -1;
}

int idx_reset_part(idx_t *ix, idx_part_t *base)
{
	idx_snap_t *s = calloc(1, sizeof *s);
	idx_builder_t *empty = idx_builder_new(ix);
	if (s)
		s->base = base;
	if (!s || !empty || !(s->delta = idx_part_build(empty))) {
		if (s)
			snap_free(s, 1);
		else
			idx_part_free(base);
		idx_builder_free(empty);
		return -1;
	}
	pthread_mutex_lock(&ix->wlock);
	idx_builder_free(ix->delta_src);
	ix->delta_src = empty;
	publish(ix, s);
	pthread_mutex_unlock(&ix->wlock);
	return 0;
}

int idx_apply(idx_t *ix, idx_builder_t *adds, const uint32_t *dels, size_t ndels)
{
	int rc = -1;
	idx_builder_t *src = idx_builder_new(ix);
	idx_snap_t *s = calloc(1, sizeof *s);
	idx_sup_t gone = {0}; /* ids leaving the delta: deleted or replaced */

	pthread_mutex_lock(&ix->wlock);
	idx_snap_t *cur = atomic_load(&ix->cur);
	if (!src || !s || sup_build(&gone, NULL, dels, ndels, adds))
		goto out;
	for (size_t i = 0; i < ix->delta_src->n; i++)
		if (!idx_sup_has(&gone, ix->delta_src->e[i].id) && copy_ent(src, ix->delta_src, i))
			goto out;
	for (size_t i = 0; adds && i < adds->n; i++)
		if (copy_ent(src, adds, i))
			goto out;
	if (!(s->delta = idx_part_build(src)) || sup_build(&s->sup, &cur->sup, dels, ndels, adds))
		goto out;
	s->base = cur->base;
	idx_builder_free(ix->delta_src);
	ix->delta_src = src;
	src = NULL;
	publish(ix, s);
	s = NULL;
	rc = 0;
out:
	pthread_mutex_unlock(&ix->wlock);
	free(gone.slots);
	if (s)
		snap_free(s, 0);
	idx_builder_free(src);
	idx_builder_free(adds);
	return rc;
}

size_t idx_delta_size(idx_t *ix)
{
	pthread_mutex_lock(&ix->wlock);
	size_t n = ix->delta_src->n;
	pthread_mutex_unlock(&ix->wlock);
	return n;
}

size_t idx_lookup(const idx_snap_t *s, const obs_t *o, idx_hit_t *hits, size_t max)
{
	size_t n = idx_part_lookup(s->base, &s->sup, o, hits, max, 0);
	static const idx_sup_t none = {0};
	return s->delta->nrefs ? idx_part_lookup(s->delta, &none, o, hits, max, n) : n;
}

int idx_has_below(const idx_snap_t *s, const char *name, size_t len)
{
	return idx_part_has_below(s->base, name, len) || idx_part_has_below(s->delta, name, len);
}

void idx_prefetch(const idx_snap_t *s, const obs_t *o)
{
	idx_part_prefetch(s->base, o);
}

void idx_stats(const idx_snap_t *s, idx_stats_t *st)
{
	const idx_part_t *p[2] = {s->base, s->delta};
	memset(st, 0, sizeof *st);
	for (int i = 0; i < 2; i++) {
		st->indicators += p[i]->nrefs;
		st->ipv4 += p[i]->nv4;
		st->ipv6 += p[i]->nv6;
		st->prefixes += p[i]->nprefix;
		st->names += p[i]->nnames;
		st->others += p[i]->nothers;
	}
	st->bytes = s->bytes;
}

/* ---- groups by organisation, type and TLP (idx_groups) ---- */

void idx_tally_free(idx_tally_t *t)
{
	if (!t)
		return;
	free(t->keys);
	free(t->n);
	free(t);
}

static int tally_grow(idx_tally_t *t)
{
	size_t cap = t->mask ? (t->mask + 1) * 2 : 64;
	uint64_t *keys = calloc(cap, sizeof *keys), *n = calloc(cap, sizeof *n);
	if (!keys || !n) {
		free(keys);
		free(n);
		return -1;
	}
	for (size_t i = 0; t->mask && i <= t->mask; i++) {
		if (!t->keys[i])
			continue;
		size_t j = (size_t)(t->keys[i] * 0x9E3779B97F4A7C15ull >> 40) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = t->keys[i];
		n[j] = t->n[i];
	}
	free(t->keys);
	free(t->n);
	t->keys = keys;
	t->n = n;
	t->mask = cap - 1;
	return 0;
}

/* Add count to the group of key (a group key + 1, never 0). */
static int tally_add(idx_tally_t *t, uint64_t key, uint64_t count)
{
	if ((t->used + 1) * 2 > t->mask + 1 && tally_grow(t))
		return -1;
	size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull >> 40) & t->mask;
	while (t->keys[j] && t->keys[j] != key)
		j = (j + 1) & t->mask;
	if (!t->keys[j]) {
		t->keys[j] = key;
		t->used++;
	}
	t->n[j] += count;
	return 0;
}

static uint64_t group_key(const idx_ref_t *r)
{
	return ((uint64_t)r->org << 8 | (uint64_t)r->type << 3 | r->tlp) + 1;
}

/* Count the refs of p not in sup (NULL: all) into t.  Consecutive refs
 * mostly share a group, so runs are added at once. */
static int tally_part(idx_tally_t *t, const idx_part_t *p, const idx_sup_t *sup)
{
	uint64_t run_key = 0, run = 0;
	for (uint32_t i = 0; i < p->nrefs; i++) {
		const idx_ref_t *r = &p->refs[i];
		if (sup && idx_sup_has(sup, r->id))
			continue;
		uint64_t k = group_key(r);
		if (k != run_key) {
			if (run && tally_add(t, run_key, run))
				return -1;
			run_key = k;
			run = 0;
		}
		run++;
	}
	return run ? tally_add(t, run_key, run) : 0;
}

static int tally_merge(idx_tally_t *t, const idx_tally_t *from)
{
	for (size_t i = 0; from->mask && i <= from->mask; i++)
		if (from->keys[i] && tally_add(t, from->keys[i], from->n[i]))
			return -1;
	return 0;
}

/* The kept tally of slot, or a new one made by make and kept there (two
 * threads may both make one: the first kept wins). */
static idx_tally_t *tally_keep(_Atomic(idx_tally_t *) *slot, idx_tally_t *made)
{
	idx_tally_t *expect = NULL;
	if (atomic_compare_exchange_strong(slot, &expect, made))
		return made;
	idx_tally_free(made);
	return expect;
}

static idx_tally_t *tally_of_base(idx_part_t *p)
{
	idx_tally_t *t = atomic_load(&p->tally);
	if (t)
		return t;
	if (!(t = calloc(1, sizeof *t)) || tally_part(t, p, NULL)) {
		idx_tally_free(t);
		return NULL;
	}
	return tally_keep(&p->tally, t);
}

static idx_tally_t *tally_of_snap(idx_snap_t *s)
{
	idx_tally_t *t = atomic_load(&s->tally), *base;
	if (t)
		return t;
	if (!(t = calloc(1, sizeof *t)))
		return NULL;
	/* the base's own groups serve while the delta replaced none of them */
	int rc = s->sup.n == 0 ? ((base = tally_of_base(s->base)) ? tally_merge(t, base) : -1)
			       : tally_part(t, s->base, &s->sup);
	if (rc || tally_part(t, s->delta, NULL)) {
		idx_tally_free(t);
		return NULL;
	}
	return tally_keep(&s->tally, t);
}

int idx_groups(const idx_snap_t *s, idx_group_cb cb, void *arg)
{
	idx_tally_t *t = tally_of_snap((idx_snap_t *)s); /* the cache is the only mutable part */
	if (!t)
		return -1;
	for (size_t i = 0; t->mask && i <= t->mask; i++) {
		if (!t->keys[i])
			continue;
		uint64_t k = t->keys[i] - 1;
		idx_group_t g = {.org = (uint32_t)(k >> 8), .type = (uint8_t)(k >> 3 & 31), .tlp = (uint8_t)(k & 7),
				 .n = t->n[i]};
		if (cb(arg, &g))
			break;
	}
	return 0;
}
