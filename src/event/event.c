/* event.c — records to events, notices and indicators (see event.h). */
#include "event.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- a set of 64-bit keys (open addressing; 0 is empty) ---- */

typedef struct {
	uint64_t *k;
	size_t cap, n; /* cap a power of two */
} kset_t;

static int kset_grow(kset_t *s)
{
	size_t cap = s->cap ? s->cap * 2 : 4096;
	uint64_t *k = calloc(cap, sizeof *k);
	if (!k)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->k[i])
			for (size_t j = s->k[i] & (cap - 1);; j = (j + 1) & (cap - 1))
				if (!k[j]) {
					k[j] = s->k[i];
					break;
				}
	free(s->k);
	s->k = k;
	s->cap = cap;
	return 0;
}

/* Add key; 1 when it was there already, 0 when added, -1 out of memory. */
static int kset_add(kset_t *s, uint64_t key)
{
	if ((s->n + 1) * 4 > s->cap * 3 && kset_grow(s))
		return -1;
	for (size_t j = key & (s->cap - 1);; j = (j + 1) & (s->cap - 1)) {
		if (s->k[j] == key)
			return 1;
		if (!s->k[j]) {
			s->k[j] = key;
			s->n++;
			return 0;
		}
	}
}

static uint64_t mix(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL;
}

/* The de-duplication key: feed, type, value, classification. */
static uint64_t dedup_key(int64_t feed, obs_type_t t, const char *value, const char *cls)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ ((uint64_t)feed << 8 | (uint64_t)t);
	h = mix(mix(h * 0x100000001b3ULL, value), cls);
	h ^= h >> 31;
	return h ? h : 1;
}

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- the run ---- */

typedef struct {
	int64_t org;
	char freq[12];
} pref_t;

typedef struct {
	store_t *st;
	const event_opts_t *o;
	event_stats_t *s;
	kset_t seen;
	pref_t *prefs;        /* recipients' frequencies, looked up once per run */
	size_t nprefs, prefcap;
	int64_t since;        /* when the current transaction began (ms) */
	indicator_t ind;
	obs_t host;
} run_t;

static int remember(void *arg, const store_event_t *e)
{
	run_t *r = arg;
	return kset_add(&r->seen, dedup_key(e->feed_id, e->type, e->value, e->classification)) < 0;
}

static const char *frequency(run_t *r, int64_t org)
{
	for (size_t i = 0; i < r->nprefs; i++)
		if (r->prefs[i].org == org)
			return r->prefs[i].freq;
	store_prefs_t p;
	if (store_prefs_get(r->st, org, &p))
		return "daily";
	if (r->nprefs == r->prefcap) {
		size_t cap = r->prefcap ? r->prefcap * 2 : 64;
		pref_t *n = realloc(r->prefs, cap * sizeof *n);
		if (!n)
			return p.frequency[0] == 'i' ? "immediate" : "daily";
		r->prefs = n;
		r->prefcap = cap;
	}
	pref_t *q = &r->prefs[r->nprefs++];
	q->org = org;
	snprintf(q->freq, sizeof q->freq, "%s", p.frequency);
	return q->freq;
}

/* The host of a URL as an observable, for the constituency. */
static const obs_t *url_host(run_t *r, const obs_t *u)
{
	const char *p = strstr(u->value, "://");
	if (!p)
		return NULL;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (*p == '[') {
		const char *e = memchr(p, ']', n);
		if (!e)
			return NULL;
		return obs_parse(p + 1, (size_t)(e - p - 1), OBS_NONE, &r->host, NULL, 0) ? NULL : &r->host;
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	return obs_parse(p, n, OBS_NONE, &r->host, NULL, 0) ? NULL : &r->host;
}

#define OWNERS_MAX 32

/* Notices for every organisation responsible for one of the record's values. */
static int notices(run_t *r, const ingest_rec_t *rec, int64_t event_id, char *err, size_t errlen)
{
	const obs_t *vals[5];
	int nv = 0;
	int64_t orgs[OWNERS_MAX];
	size_t norgs = 0;
	cons_owner_t own[OWNERS_MAX];

	vals[nv++] = rec->obs;
	for (int i = 0; i < rec->nalso && i < 3; i++)
		vals[nv++] = rec->also[i];
	if (rec->obs->type == OBS_URL && rec->nalso == 0 && url_host(r, rec->obs))
		vals[nv++] = &r->host;
	for (int i = 0; i < nv; i++) {
		size_t n = cons_who(r->o->cons, vals[i], own, OWNERS_MAX);
		for (size_t k = 0; k < n; k++) {
			size_t j = 0;
			while (j < norgs && orgs[j] != own[k].org_id)
				j++;
			if (j == norgs && norgs < OWNERS_MAX)
				orgs[norgs++] = own[k].org_id;
		}
	}
	for (size_t j = 0; j < norgs; j++) {
		int64_t due = notify_due(r->o->nc, rec->classification, frequency(r, orgs[j]), r->o->now);
		if (store_notice_add(r->st, event_id, orgs[j], due)) {
			snprintf(err, errlen, "store: %s", store_errmsg(r->st));
			return -1;
		}
		r->s->notices++;
	}
	return 0;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static int one(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	run_t *r = arg;
	const event_opts_t *o = r->o;
	const store_feed_t *f = o->feed;

	/* every 256 records, whether they were written or skipped (a run of
	 * duplicates holds the write lock too): end the slice if a writer
	 * waits or it has lasted long enough */
	r->s->records++;
	if (o->slice_ms && (r->s->records & 255) == 0 &&
	    (store_writers_waiting(r->st) || now_ms() - r->since >= o->slice_ms)) {
		if (store_commit(r->st)) {
			snprintf(err, errlen, "store: %s", store_errmsg(r->st));
			return -1;
		}
		store_let_writers_in(r->st);
		if (store_begin(r->st)) {
			snprintf(err, errlen, "store: %s", store_errmsg(r->st));
			return -1;
		}
		r->since = now_ms();
	}
	if (o->wl && wlist_match(o->wl, rec->obs)) {
		r->s->listed++;
		return 0;
	}
	int d = kset_add(&r->seen, dedup_key(f->id, rec->obs->type, rec->obs->value,
					     rec->classification));
	if (d) {
		if (d < 0)
			return snprintf(err, errlen, "out of memory"), -1;
		r->s->duplicates++;
		return 0;
	}
	indicator_t *ind = &r->ind;
	ind->type = rec->obs->type;
	memcpy(ind->value, rec->obs->value, rec->obs->len + 1);
	copy(ind->source, sizeof ind->source, f->name);
	copy(ind->classification, sizeof ind->classification, rec->classification);
	ind->org_id = o->org_id;
	ind->tlp = rec->tlp;
	ind->confidence = rec->confidence;
	ind->first_seen = rec->first_seen ? rec->first_seen : o->now;
	ind->last_seen = rec->last_seen ? rec->last_seen : ind->first_seen;
	ind->valid_until = rec->valid_until;
	store_event_t e = {
		.feed_id = f->id, .type = rec->obs->type, .value = rec->obs->value,
		.classification = rec->classification, .tlp = rec->tlp,
		.source_time = rec->first_seen ? rec->first_seen : o->now, .observed = o->now,
		.line = rec->line, .raw = rec->raw ? rec->raw : rec->obs->value,
	};
	if (store_put_indicator(r->st, ind) || store_event_add(r->st, &e)) {
		snprintf(err, errlen, "store: %s", store_errmsg(r->st));
		return -1;
	}
	r->s->events++;
	/* the affected network's owner is told of AMBER and below; AMBER+STRICT
	 * and RED stay with the organisations they were given to */
	if (o->cons && rec->tlp <= TLP_AMBER && notices(r, rec, e.id, err, errlen))
		return -1;
	return 0;
}

static void on_bad(void *arg, const char *msg)
{
	run_t *r = arg;
	if (!r->s->skipped++)
		copy(r->s->first_bad, sizeof r->s->first_bad, msg);
}

static int count_only(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	(void)arg, (void)rec, (void)err, (void)errlen;
	return 0;
}

static int opts_of(const event_opts_t *o, ingest_opts_t *io, char *err, size_t errlen)
{
	const store_feed_t *f = o->feed;
	*io = (ingest_opts_t){.source = f->name, .org_id = o->org_id, .tlp = f->tlp,
			      .confidence = f->confidence,
			      .classification = f->classification[0] ? f->classification : NULL,
			      .column = f->column[0] ? f->column : NULL};
	if (ingest_format_parse(f->format, &io->format)) {
		snprintf(err, errlen, "feed %s: unknown format '%s'", f->name, f->format);
		return -1;
	}
	return 0;
}

int event_ingest(store_t *st, const event_opts_t *o, const char *path, event_stats_t *out,
		 char *err, size_t errlen)
{
	run_t *r = calloc(1, sizeof *r);
	ingest_opts_t io;
	FILE *f = NULL;
	long n;
	int rc = -1, in_txn = 0;

	memset(out, 0, sizeof *out);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r->st = st;
	r->o = o;
	r->s = out;
	if (opts_of(o, &io, err, errlen))
		goto done;
	if (!(f = fopen(path, "r"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	int reject = strcmp(o->feed->policy, "skip") != 0;
	if (reject) {
		/* a first reading: a bad record refuses the file before any write */
		if (ingest_read(f, path, &io, count_only, NULL, &n, err, errlen))
			goto done;
		rewind(f);
	} else {
		io.on_bad = on_bad;
		io.bad_arg = r;
	}
	if (store_event_recent(st, o->feed->id, o->now - o->nc->dedup, remember, r)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto done;
	}
	/* slices reach the OS only; the last commit waits for the disk and so
	 * makes them all durable (a kill -9 loses none of them either way) */
	if ((o->slice_ms && store_set_durable(st, 0)) || store_begin(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto done;
	}
	in_txn = 1;
	r->since = now_ms();
	if (ingest_read(f, path, &io, one, r, &n, err, errlen))
		goto done;
	if (o->slice_ms) {
		in_txn = 0;
		if (store_commit(st) || store_set_durable(st, 1) || store_begin(st)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			goto done;
		}
		in_txn = 1;
	}
	if (o->before_commit && o->before_commit(o->arg, st, path, out->events)) {
		snprintf(err, errlen, "%s: %s", path, store_errmsg(st));
		goto done;
	}
	if (store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto done;
	}
	in_txn = 0;
	rc = 0;
done:
	if (in_txn)
		store_rollback(st);
	if (o->slice_ms)
		store_set_durable(st, 1);
	if (f)
		fclose(f);
	free(r->seen.k);
	free(r->prefs);
	free(r);
	return rc;
}
