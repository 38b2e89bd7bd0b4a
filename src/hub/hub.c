/* hub.c — the server context: store pool, index sync and the refresher thread
 * (see hub.h). */
#include "hub.h"
#include "core/util.h"
#include "cons/cons.h"
#include "wlist/wlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Rebuild the whole index when the delta grows past this share of it. */
#define DELTA_MIN 65536
#define DELTA_SHARE 8

int hub_read_settings(store_t *st, int64_t *hub_org, tlp_t *default_tlp)
{
	char v[64];
	if (store_setting_get(st, "hub_org", v, sizeof v))
		return -1;
	*hub_org = strtoll(v, NULL, 10);
	*default_tlp = TLP_AMBER;
	if (store_setting_get(st, "default_tlp", v, sizeof v) == STORE_OK && tlp_parse(v, default_tlp))
		return -1;
	return 0;
}

/* ---- store pool ---- */

store_t *hub_store_get(hub_t *h)
{
	store_t *st = NULL;
	char err[256];
	pthread_mutex_lock(&h->pool_lock);
	if (h->npool > 0)
		st = h->pool[--h->npool];
	pthread_mutex_unlock(&h->pool_lock);
	if (!st && store_open(h->db_path, STORE_DEFER_CKPT, &st, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "c5hub: %s\n", err);
		return NULL;
	}
	return st;
}

void hub_store_put(hub_t *h, store_t *st)
{
	if (!st)
		return;
	store_rollback(st); /* never hand on an open transaction, */
	store_read_end(st); /* nor an old read snapshot */
	pthread_mutex_lock(&h->pool_lock);
	if (h->npool < HUB_POOL_MAX) {
		h->pool[h->npool++] = st;
		st = NULL;
	}
	pthread_mutex_unlock(&h->pool_lock);
	store_close(st);
}

/* ---- index sync ---- */

typedef struct {
	idx_builder_t *b;
	uint32_t *dels;
	size_t ndels, cap;
	long bad;
	const rep_model_t *rep;
	char last_source[MODEL_NAME_MAX + 1]; /* rows mostly repeat their reporter */
	int64_t last_org;
	int last_trust;
} sync_t;

/* Trust in a row's reporter, remembering the last one asked for. */
static int row_trust(sync_t *s, const store_row_t *r)
{
	if (s->last_trust < 0 || s->last_org != r->org_id || strcmp(s->last_source, r->source)) {
		s->last_trust = rep_trust(s->rep, r->source, r->org_id);
		s->last_org = r->org_id;
		snprintf(s->last_source, sizeof s->last_source, "%s", r->source);
	}
	return s->last_trust;
}

static int on_row(void *arg, const store_row_t *r)
{
	sync_t *s = arg;
	obs_t o;
	if (r->id <= 0 || r->id > UINT32_MAX ||
	    obs_from_canonical(r->type, r->value, strlen(r->value), &o)) {
		s->bad++; /* not loadable: stays in the store, out of the index */
		return 0;
	}
	idx_meta_t m = {
		.id = (uint32_t)r->id,
		.org = (uint32_t)r->org_id,
		.seen = rep_minutes(r->last_seen),
		.until = rep_minutes_up(r->valid_until),
		.tlp = (uint8_t)r->tlp,
		.conf = (uint8_t)r->confidence,
		.trust = (uint8_t)row_trust(s, r),
		.source = r->source,
		.cls = r->classification,
	};
	return idx_builder_add(s->b, &o, &m);
}

static int on_del(void *arg, int64_t id)
{
	sync_t *s = arg;
	if (id <= 0 || id > UINT32_MAX)
		return 0;
	if (util_grow(&s->dels, &s->cap, s->ndels + 1, sizeof *s->dels, 256))
		return -1;
	s->dels[s->ndels++] = (uint32_t)id;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read the store's changes after since into a builder and deletion list. */
static int read_changes(hub_t *h, store_t *st, int64_t since, sync_t *s, int64_t *upto)
{
	memset(s, 0, sizeof *s);
	s->rep = h->rep;
	s->last_trust = -1;
	if (!(s->b = idx_builder_new(h->idx)))
		return -1;
	if (since == 0 && h->reserve)
		idx_builder_reserve(s->b, h->reserve);
	if (store_changes(st, since, on_row, since ? on_del : NULL, s, upto)) {
		fprintf(stderr, "c5hub: index sync: %s\n", store_errmsg(st));
		idx_builder_free(s->b);
		free(s->dels);
		return -1;
	}
	if (s->bad)
		fprintf(stderr, "c5hub: index sync: %ld stored values could not be indexed\n", s->bad);
	return 0;
}

static int rebuild(hub_t *h, store_t *st)
{
	sync_t s;
	int64_t upto;
	double t0 = now_s();
	int64_t n = 0;
	char err[256];
	store_t *scan = NULL;
	/* the count and the full scan on a connection of their own without a
	 * memory map: a mapped scan of a large store would stay in the
	 * server's resident memory (a gigabyte at ten million indicators) */
	if (store_open(h->db_path, STORE_DEFER_CKPT | STORE_NOMAP, &scan, err, sizeof err) != STORE_OK)
		scan = NULL;
	if (store_count_indicators(scan ? scan : st, &n) == STORE_OK && n > 0)
		h->reserve = (size_t)n + n / 16;
	int rc = read_changes(h, scan ? scan : st, 0, &s, &upto);
	store_close(scan);
	if (rc)
		return -1;
	free(s.dels);
	if (idx_reset(h->idx, s.b))
		return -1;
	h->seq_seen = upto;
	h->base_seq = upto;
	h->img_want = h->img_path != NULL && upto > 0;
	h->rebuilds++;
	h->last_build_s = now_s() - t0;
	return 0;
}

/* ---- the index image ---- */

/* The store's identity: a random id made on first use, kept in its
 * settings (an image names the store it was made from). */
static int store_identity(store_t *st, char *out, size_t outlen)
{
	uint8_t r[16];
	if (store_setting_get(st, "store_id", out, outlen) == STORE_OK && out[0])
		return 0;
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
		return -1;
	for (size_t i = 0; i < sizeof r && 2 * i + 2 < outlen; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
	return store_setting_set(st, "store_id", out) == STORE_OK ? 0 : -1;
}

/* Map the image as the index's base when it is this store's, at a sequence
 * the change log covers (cur: the store's now): 0 used (seq_seen set),
 * -1 not (said why in one line, unless there is none). */
static int image_load(hub_t *h, store_t *st, int64_t cur)
{
	char v[32], err[256];
	int64_t seq = 0;
	if (!h->img_path)
		return -1;
	idx_image_want_t want = {.store_id = h->store_id, .trust = rep_trust_fingerprint(h->rep),
				 .seq_max = cur};
	if (store_setting_get(st, "index_log_from", v, sizeof v) == STORE_OK)
		want.seq_min = strtoll(v, NULL, 10);
	double t0 = now_s();
	int rc = idx_image_load(h->idx, h->img_path, &want, &seq, err, sizeof err);
	if (rc == 1)
		return -1;
	if (rc) {
		fprintf(stderr, "c5hub: index image %s not used: %s; building the index from the store\n",
			h->img_path, err);
		return -1;
	}
	fprintf(stderr, "c5hub: index image %s used: store sequence %lld (now %lld), mapped and checked in %.2f s\n",
		h->img_path, (long long)seq, (long long)cur, now_s() - t0);
	h->seq_seen = h->base_seq = h->img_seq = seq;
	h->last_build_s = now_s() - t0;
	return 0;
}

/* Write the index's base as the image when a full build made a new one
 * (the refresher, outside the sync lock: a reader section keeps the base
 * alive while it is written). */
static void image_write(hub_t *h)
{
	char err[256];
	pthread_mutex_lock(&h->sync_lock);
	if (!h->img_want) {
		pthread_mutex_unlock(&h->sync_lock);
		return;
	}
	h->img_want = 0;
	int64_t seq = h->base_seq;
	uint64_t trust = rep_trust_fingerprint(h->rep);
	const idx_snap_t *snap = idx_enter(h->idx);
	pthread_mutex_unlock(&h->sync_lock);
	double t0 = now_s();
	int rc = idx_image_write(h->idx, snap, h->img_path, h->store_id, trust, seq, err, sizeof err);
	idx_leave(h->idx);
	pthread_mutex_lock(&h->sync_lock);
	if (rc) {
		fprintf(stderr, "c5hub: index image not written: %s\n", err);
		unlink(h->img_path); /* an older image would hold the change log back */
		h->img_seq = -1;
	} else {
		fprintf(stderr, "c5hub: index image %s written: store sequence %lld in %.2f s\n",
			h->img_path, (long long)seq, now_s() - t0);
		h->img_seq = seq;
	}
	pthread_mutex_unlock(&h->sync_lock);
}

void hub_auth_retry(hub_t *h)
{
	store_t *st = hub_store_get(h);
	if (!st)
		return;
	auth_reload_if_new(h->auth, st, h->hub_org);
	hub_store_put(h, st);
}

typedef struct {
	uint64_t *e;
	size_t n, cap;
} pairs_t;

static int add_pair(void *arg, int64_t id, int64_t org)
{
	pairs_t *p = arg;
	if (id <= 0 || id > UINT32_MAX || org <= 0 || org > UINT32_MAX)
		return 0;
	if (util_grow(&p->e, &p->cap, p->n + 1, sizeof *p->e, 64))
		return -1;
	p->e[p->n++] = (uint64_t)id << 32 | (uint32_t)org; /* in order: the store sorts */
	return 0;
}

/* Reload the named recipients' pairs when the store's share version moved. */
static void shares_sync(hub_t *h, store_t *st)
{
	int64_t v;
	pairs_t p = {0};
	if (store_share_version(st, &v) || v == h->share_seen)
		return;
	if (store_stix_shares(st, add_pair, &p)) {
		fprintf(stderr, "c5hub: shares: %s\n", store_errmsg(st));
		free(p.e);
		return;
	}
	pthread_rwlock_wrlock(&h->share_lock);
	uint64_t *old = h->shares;
	h->shares = p.e;
	h->nshares = p.n;
	pthread_rwlock_unlock(&h->share_lock);
	free(old);
	h->share_seen = v;
}

int hub_sync(hub_t *h)
{
	store_t *st = hub_store_get(h);
	int64_t cur, upto;
	int rc = -1;
	sync_t s;

	if (!st)
		return -1;
	pthread_mutex_lock(&h->sync_lock);
	if (store_seq(st, &cur))
		goto out;
	auth_reload(h->auth, st, h->hub_org);
	int64_t tv;
	if (store_trust_version(st, &tv) == STORE_OK && tv != h->trust_seen) {
		/* trust is baked into the index: reload it and rebuild everything */
		char err[256];
		if (hub_rep_trust(h->rep, st, err, sizeof err)) {
			fprintf(stderr, "c5hub: trust: %s\n", err);
			goto out;
		}
		if (h->seq_seen) {
			/* seen only once the index has it: a failed rebuild is retried */
			if ((rc = rebuild(h, st)) == 0)
				h->trust_seen = tv;
			goto out;
		}
		h->trust_seen = tv; /* the first build, below, has it */
	}
	shares_sync(h, st);
	int64_t cv;
	if (store_res_version(st, &cv) == STORE_OK && cv != h->cons_seen) {
		char err[256];
		cons_t *nc = cons_load(st, err, sizeof err);
		if (nc) {
			pthread_rwlock_wrlock(&h->cons_lock);
			cons_t *old = h->cons;
			h->cons = nc;
			pthread_rwlock_unlock(&h->cons_lock);
			cons_free(old);
			h->cons_seen = cv;
		} else {
			fprintf(stderr, "c5hub: %s\n", err);
		}
	}
	if (cur == h->seq_seen) {
		rc = 0;
		goto out;
	}
	if (h->seq_seen == 0 && image_load(h, st, cur) == 0 && cur == h->seq_seen) {
		rc = 0;
		goto out;
	}
	if (h->seq_seen == 0) {
		rc = rebuild(h, st);
		goto out;
	}
	if (read_changes(h, st, h->seq_seen, &s, &upto))
		goto out;
	size_t delta = idx_delta_size(h->idx) + idx_builder_count(s.b);
	const idx_snap_t *snap = idx_enter(h->idx);
	idx_stats_t stats;
	idx_stats(snap, &stats);
	idx_leave(h->idx);
	if (delta > DELTA_MIN && delta > stats.indicators / DELTA_SHARE) {
		idx_builder_free(s.b);
		free(s.dels);
		rc = rebuild(h, st);
		goto out;
	}
	rc = idx_apply(h->idx, s.b, s.dels, s.ndels);
	free(s.dels);
	if (rc == 0)
		h->seq_seen = upto;
out:
	pthread_mutex_unlock(&h->sync_lock);
	hub_store_put(h, st);
	return rc;
}

static void wlist_refresh(hub_t *h, store_t *st);

static void *refresher(void *arg)
{
	hub_t *h = arg;
	while (!atomic_load(&h->stop)) {
		usleep(500 * 1000);
		if (atomic_load(&h->stop))
			break;
		hub_sync(h);
		image_write(h);
		store_t *st = hub_store_get(h);
		pthread_mutex_lock(&h->sync_lock);
		int64_t seen = h->seq_seen;
		/* keep the log an image on disk needs to catch up from */
		if (h->img_path && h->img_seq >= 0 && h->img_seq < seen)
			seen = h->img_seq;
		pthread_mutex_unlock(&h->sync_lock);
		if (st && ((seen > h->forgotten && store_forget(st, seen)) || store_checkpoint(st)))
			fprintf(stderr, "c5hub: store upkeep: %s\n", store_errmsg(st));
		else
			h->forgotten = seen;
		if (st)
			wlist_refresh(h, st);
		hub_store_put(h, st);
	}
	return NULL;
}

static int64_t wlist_version(store_t *st)
{
	char v[32];
	return store_setting_get(st, "warninglists_version", v, sizeof v) == STORE_OK
		       ? strtoll(v, NULL, 10) : 0;
}

int hub_wlist_changed(store_t *st)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)wlist_version(st) + 1);
	return store_setting_set(st, "warninglists_version", v);
}

/* The refresher: the operator's lists changed?  Load them, swap the set,
 * and free sets replaced more than 10 s ago (a reader holds the pointer for
 * one look-up, microseconds). */
static void wlist_refresh(hub_t *h, store_t *st)
{
	int64_t v = wlist_version(st), now = (int64_t)time(NULL);
	char err[512];
	for (int i = 0; i < h->nretired;)
		if (now - h->wl_retired_at[i] > 10) {
			wlist_free(h->wl_retired[i]);
			h->wl_retired[i] = h->wl_retired[--h->nretired];
			h->wl_retired_at[i] = h->wl_retired_at[h->nretired];
		} else {
			i++;
		}
	if (v == h->wl_seen || h->nretired == 8)
		return;
	wlist_t *w = hub_wlist_load(st, err, sizeof err);
	if (!w) {
		fprintf(stderr, "c5hub: warning lists: %s\n", err);
		h->wl_seen = v; /* not again until they change */
		return;
	}
	h->wl_retired[h->nretired] = atomic_exchange(&h->wl, w);
	h->wl_retired_at[h->nretired++] = now;
	h->wl_seen = v;
}

struct wlist *hub_wlist_load(store_t *st, char *err, size_t errlen)
{
	char *text = malloc(HUB_WLIST_MAX + 1);
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int rc = store_setting_get(st, "warninglists", text, HUB_WLIST_MAX + 1);
	wlist_t *w = rc == STORE_OK	     ? wlist_with(text, err, errlen)
		     : rc == STORE_ENOTFOUND ? wlist_new(err, errlen)
					     : (snprintf(err, errlen, "store: %s", store_errmsg(st)), NULL);
	free(text);
	return w;
}

void hub_kick(hub_t *h)
{
	pthread_mutex_lock(&h->kick_lock);
	h->kick_gen++;
	pthread_cond_broadcast(&h->kick_cond);
	pthread_mutex_unlock(&h->kick_lock);
}

int hub_wait(hub_t *h, uint64_t *gen, int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->kick_lock);
	while (h->kick_gen == *gen && !atomic_load(&h->stop))
		if (pthread_cond_timedwait(&h->kick_cond, &h->kick_lock, &t))
			break;
	int kicked = h->kick_gen != *gen;
	*gen = h->kick_gen;
	pthread_mutex_unlock(&h->kick_lock);
	return kicked;
}

int hub_start_refresher(hub_t *h)
{
	if (pthread_create(&h->refresher, NULL, refresher, h))
		return -1;
	h->refresher_running = 1;
	return 0;
}

/* ---- reputation model ---- */

static int trust_row(void *arg, const store_trust_t *t)
{
	rep_model_t *m = arg;
	if (!strcmp(t->kind, "default"))
		return rep_trust_set_default(m, t->value);
	if (!strcmp(t->kind, "source"))
		return rep_trust_set_source(m, t->name, t->value);
	return rep_trust_set_org(m, strtoll(t->name, NULL, 10), t->value);
}

int hub_shared_with(hub_t *h, int64_t id, int64_t org)
{
	uint64_t key = (uint64_t)id << 32 | (uint32_t)org;
	int found = 0;
	if (id <= 0 || id > UINT32_MAX || org <= 0 || org > UINT32_MAX)
		return 0;
	pthread_rwlock_rdlock(&h->share_lock);
	size_t lo = 0, hi = h->nshares;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->shares[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	found = lo < h->nshares && h->shares[lo] == key;
	pthread_rwlock_unlock(&h->share_lock);
	return found;
}

int hub_visible(hub_t *h, const tlp_view_t *v, int64_t id, tlp_t tlp, int64_t giver)
{
	return tlp_visible(v, tlp, giver, 0) ||
	       (tlp_visible(v, tlp, giver, 1) && hub_shared_with(h, id, v->org));
}

typedef struct {
	const tlp_view_t *v;
	int64_t n[OBS_NTYPES][TLP_RED + 1];
} hub_counts_t;

static int count_group(void *arg, const idx_group_t *g)
{
	hub_counts_t *c = arg;
	if (g->type < OBS_NTYPES && g->tlp <= TLP_RED && tlp_visible(c->v, (tlp_t)g->tlp, g->org, 0))
		c->n[g->type][g->tlp] += (int64_t)g->n;
	return 0;
}

static int count_named(void *arg, obs_type_t type, tlp_t tlp, int64_t n)
{
	hub_counts_t *c = arg;
	if ((unsigned)type < OBS_NTYPES && tlp <= TLP_RED)
		c->n[type][tlp] += n;
	return 0;
}

int hub_count_visible(hub_t *h, store_t *st, const tlp_view_t *v, store_count_cb cb, void *arg)
{
	hub_counts_t *c = calloc(1, sizeof *c);
	int rc = -1;
	if (!c)
		return -1;
	c->v = v;
	rc = idx_groups(idx_enter(h->idx), count_group, c);
	idx_leave(h->idx);
	if (rc == 0 && store_count_named(st, v, count_named, c))
		rc = -1;
	for (int t = 0; rc == 0 && t < OBS_NTYPES; t++)
		for (int l = 0; l <= TLP_RED; l++)
			if (c->n[t][l] && cb(arg, (obs_type_t)t, (tlp_t)l, c->n[t][l]))
				goto out;
out:
	free(c);
	return rc;
}

int hub_verdict(hub_t *h, const idx_snap_t *snap, const obs_t *o, const tlp_view_t *v, uint32_t now,
		int min_score, int with_why, hub_verdict_t *out)
{
	size_t total, k = 0;
	out->heap = NULL;
	out->why = NULL;
	out->hits = out->hbuf;
	out->reps = out->rbuf;
	out->wlist = wlist_match(atomic_load(&h->wl), o);
	total = idx_lookup(snap, o, out->hbuf, HUB_VERDICT_INLINE);
	if (total > HUB_VERDICT_INLINE || with_why) {
		/* one block: hits, reports, reasons */
		size_t one = sizeof(idx_hit_t) + sizeof(rep_report_t) + sizeof(rep_why_t);
		if (!(out->heap = malloc(total ? total * one : one)))
			return -1;
		out->hits = out->heap;
		out->reps = (rep_report_t *)(out->hits + total);
		out->why = with_why ? (rep_why_t *)(out->reps + total) : NULL;
		if (total > HUB_VERDICT_INLINE)
			total = idx_lookup(snap, o, out->hits, total); /* the same snapshot: the same hits */
		else
			memcpy(out->hits, out->hbuf, total * sizeof *out->hits);
	}
	for (size_t i = 0; i < total; i++) {
		const idx_ref_t *r = out->hits[i].ref;
		if (!hub_visible(h, v, r->id, (tlp_t)r->tlp, r->org))
			continue;
		out->hits[k] = out->hits[i];
		out->reps[k++] = (rep_report_t){.conf = r->conf, .trust = r->trust, .seen = r->seen,
						.until = r->until, .cls = idx_cls(h->idx, (uint8_t)r->cls)};
	}
	out->n = k;
	rep_score(h->rep, out->reps, k, now, &out->res, out->why);
	out->listed = rep_listed(&out->res, min_score, out->wlist);
	return 0;
}

void hub_verdict_done(hub_verdict_t *out)
{
	free(out->heap);
	out->heap = NULL;
}

size_t hub_who(hub_t *h, const obs_t *o, hub_owner_cb cb, void *arg)
{
	cons_owner_t own[32];
	size_t n = 0;
	pthread_rwlock_rdlock(&h->cons_lock);
	if (h->cons) {
		n = cons_who(h->cons, o, own, 32);
		for (size_t i = 0; i < n; i++)
			cb(arg, own[i].org_id, own[i].org_name, own[i].resource, own[i].abuse_contact);
	}
	pthread_rwlock_unlock(&h->cons_lock);
	return n;
}

uint32_t hub_now(void)
{
	return rep_minutes((int64_t)time(NULL));
}

/* ---- life cycle ---- */

int hub_rep_trust(rep_model_t *m, store_t *st, char *err, size_t errlen)
{
	rep_trust_clear(m);
	if (store_trust_list(st, trust_row, m)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return -1;
	}
	return 0;
}

int hub_open(hub_t **out, const char *db_path, const char *rep_file, char *err, size_t errlen)
{
	hub_t *h = calloc(1, sizeof *h);
	store_t *st = NULL;

	*out = NULL;
	if (!h || !(h->db_path = strdup(db_path))) {
		free(h);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&h->pool_lock, NULL);
	pthread_mutex_init(&h->sync_lock, NULL);
	pthread_rwlock_init(&h->cons_lock, NULL);
	pthread_rwlock_init(&h->share_lock, NULL);
	h->share_seen = -1;
	pthread_mutex_init(&h->kick_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->kick_cond, &ca);
	pthread_condattr_destroy(&ca);
	h->cons_seen = -1;
	if (store_open(db_path, STORE_DEFER_CKPT, &st, err, errlen) != STORE_OK)
		goto fail;
	if (hub_read_settings(st, &h->hub_org, &h->default_tlp)) {
		char shown[1024];
		snprintf(err, errlen, "%s: hub settings missing; run `c5hub init`",
			 store_shown(db_path, shown, sizeof shown));
		goto fail;
	}
	h->wl_seen = wlist_version(st);
	struct wlist *wl = hub_wlist_load(st, err, errlen);
	atomic_store(&h->wl, wl);
	if (!wl || !(h->rep = rep_model_new(err, errlen)) ||
	    (rep_file && rep_model_load(h->rep, rep_file, err, errlen)))
		goto fail;
	h->trust_seen = -1;
	h->img_seq = -1;
	if (strncmp(db_path, "file:", 5) && strcmp(db_path, ":memory:")) {
		size_t n = strlen(db_path) + 5;
		if ((h->img_path = malloc(n)))
			snprintf(h->img_path, n, "%s.idx", db_path);
		if (h->img_path && store_identity(st, h->store_id, sizeof h->store_id)) {
			free(h->img_path); /* a store that cannot keep an identity: no image */
			h->img_path = NULL;
		}
	}
	hub_store_put(h, st);
	st = NULL;
	if (!(h->idx = idx_new()) || !(h->auth = auth_new())) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (hub_sync(h)) {
		char shown[1024];
		snprintf(err, errlen, "%s: could not build the index", store_shown(db_path, shown, sizeof shown));
		goto fail;
	}
	*out = h;
	return 0;
fail:
	store_close(st);
	hub_close(h);
	return -1;
}

void hub_close(hub_t *h)
{
	if (!h)
		return;
	if (h->refresher_running) {
		atomic_store(&h->stop, 1);
		pthread_join(h->refresher, NULL);
	}
	for (int i = 0; i < h->npool; i++)
		store_close(h->pool[i]);
	idx_free(h->idx);
	auth_free(h->auth);
	rep_model_free(h->rep);
	wlist_free(atomic_load(&h->wl));
	for (int i = 0; i < h->nretired; i++)
		wlist_free(h->wl_retired[i]);
	cons_free(h->cons);
	pthread_rwlock_destroy(&h->cons_lock);
	pthread_rwlock_destroy(&h->share_lock);
	free(h->shares);
	pthread_cond_destroy(&h->kick_cond);
	pthread_mutex_destroy(&h->kick_lock);
	pthread_mutex_destroy(&h->pool_lock);
	pthread_mutex_destroy(&h->sync_lock);
	free(h->img_path);
	free(h->db_path);
	free(h);
}
