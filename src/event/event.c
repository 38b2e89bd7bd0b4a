/* event.c — records to events, notices and indicators (see event.h).
 *
 * A run has two threads.  The reader parses the file, drops what the
 * warning lists name and what the de-duplication window has seen, finds
 * the owners of the rest and hands the records on in batches (queue_t).
 * It also gathers their indicators and, every PEND_MAX of them, hands
 * them over sorted in the order of the indicators' index.  The writer —
 * the caller's thread, which owns the store connection — writes the
 * events and notices of each batch in slices, then any indicators that
 * came with it (write_list): a sorted list touches each page of that
 * index once, where writing indicators as they come would rewrite nearly
 * every page of it in every slice. */
#include "event.h"

#include "core/util.h"

#include <errno.h>
#include <pthread.h>
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

/* ---- indicators waiting to be written ---- */

/* One indicator: its value and classification are "value\0class\0" at
 * off in the list's text. */
typedef struct {
	uint64_t vkey;        /* store_vkey(value): the order they are written in */
	uint32_t seq, off;    /* order of arrival (the later report wins) */
	int64_t first, last, valid;
	uint8_t type, tlp, conf;
} pend_t;

/* The reader fills one list while the writer writes the other; a list is
 * handed over, sorted, with a batch every PEND_MAX indicators or PEND_BYTES
 * of text, and at the end.  Two lists of at most 6 MiB of entries and
 * 16 MiB of text bound a run's memory, whatever the size of the feed. */
typedef struct {
	pend_t *p;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
	int busy;             /* with the writer */
} plist_t;

#define PEND_MAX (256 * 1024)
#define PEND_BYTES (16u << 20)

static int plist_full(const plist_t *l, size_t need)
{
	return l->n == PEND_MAX || l->tlen + need > PEND_BYTES;
}

/* Keep an event's indicator; 0, or -1 out of memory. */
static int plist_add(plist_t *l, const store_event_t *e, size_t vn)
{
	size_t cn = strlen(e->classification), need = vn + cn + 2;
	if (util_grow(&l->p, &l->cap, l->n + 1, sizeof *l->p, 4096) ||
	    util_grow(&l->text, &l->tcap, l->tlen + need, 1, 1u << 16))
		return -1;
	l->p[l->n] = (pend_t){.vkey = store_vkey(e->value), .seq = (uint32_t)l->n,
			      .off = (uint32_t)l->tlen, .type = (uint8_t)e->type,
			      .tlp = (uint8_t)e->tlp, .conf = (uint8_t)e->confidence,
			      .first = e->source_time,
			      .last = e->last_seen ? e->last_seen : e->source_time,
			      .valid = e->valid_until};
	memcpy(l->text + l->tlen, e->value, vn + 1);
	memcpy(l->text + l->tlen + vn + 1, e->classification, cn + 1);
	l->tlen += need;
	l->n++;
	return 0;
}

static int pend_cmp(const void *a, const void *b)
{
	const pend_t *x = a, *y = b;
	if (x->vkey != y->vkey)
		return x->vkey < y->vkey ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- batches, from the reader to the writer ---- */

/* One record ready to be written: its event, whose strings are at offsets
 * in the batch's text (the text may move while the batch fills), and the
 * organisations to notify at orgs[org0 ..]. */
typedef struct {
	store_event_t e;
	uint32_t value, cls, raw, org0, norgs;
} item_t;

/* Records, and (flush) maybe a list of indicators: those of every record
 * up to these, to be written from now on. */
typedef struct {
	item_t *it;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
	int64_t *orgs;
	size_t norgs, orgcap;
	plist_t *flush;
} batch_t;

#define BATCH_ITEMS 4096
#define BATCH_TEXT (1u << 20)
#define NBATCH 4

/* A ring of NBATCH batches: the reader fills b[head % NBATCH] while fewer
 * than NBATCH are waiting; the writer empties b[tail % NBATCH]. */
typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	batch_t b[NBATCH];
	plist_t pl[2];
	unsigned head, tail;
	int done, stop;       /* the reader has ended / the writer gave up */
} queue_t;

/* The reader's next batch to fill, or NULL when the writer gave up. */
static batch_t *q_slot(queue_t *q)
{
	batch_t *b = NULL;
	pthread_mutex_lock(&q->mu);
	while (!q->stop && q->head - q->tail == NBATCH)
		pthread_cond_wait(&q->emptied, &q->mu);
	if (!q->stop) {
		b = &q->b[q->head % NBATCH];
		b->n = b->tlen = b->norgs = 0;
		b->flush = NULL;
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void q_put(queue_t *q)
{
	pthread_mutex_lock(&q->mu);
	q->head++;
	pthread_cond_signal(&q->filled);
	pthread_mutex_unlock(&q->mu);
}

static void q_end(queue_t *q, int stop)
{
	pthread_mutex_lock(&q->mu);
	if (stop)
		q->stop = 1;
	else
		q->done = 1;
	pthread_cond_broadcast(&q->filled);
	pthread_cond_broadcast(&q->emptied);
	pthread_mutex_unlock(&q->mu);
}

/* The writer's next batch; NULL after wait_ms with nothing (*ended when
 * the reader has ended and everything was taken). */
static batch_t *q_take(queue_t *q, int wait_ms, int *ended)
{
	batch_t *b = NULL;
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_nsec += (long)wait_ms * 1000000;
	t.tv_sec += t.tv_nsec / 1000000000;
	t.tv_nsec %= 1000000000;
	pthread_mutex_lock(&q->mu);
	if (q->head == q->tail && !q->done)
		pthread_cond_timedwait(&q->filled, &q->mu, &t);
	if (q->head != q->tail)
		b = &q->b[q->tail % NBATCH];
	*ended = !b && q->done;
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void q_free(queue_t *q)
{
	pthread_mutex_lock(&q->mu);
	q->tail++;
	pthread_cond_signal(&q->emptied);
	pthread_mutex_unlock(&q->mu);
}

/* The writer is done with a list of indicators. */
static void q_written(queue_t *q, plist_t *l)
{
	pthread_mutex_lock(&q->mu);
	l->n = l->tlen = 0;
	l->busy = 0;
	pthread_cond_signal(&q->emptied);
	pthread_mutex_unlock(&q->mu);
}

/* Hand the reader's list over with batch b, and wait for the other one;
 * that one, or NULL when the writer gave up. */
static plist_t *q_hand_over(queue_t *q, batch_t *b, plist_t *l)
{
	qsort(l->p, l->n, sizeof *l->p, pend_cmp);
	plist_t *next = l == &q->pl[0] ? &q->pl[1] : &q->pl[0];
	b->flush = l;
	pthread_mutex_lock(&q->mu);
	l->busy = 1;
	q->head++;
	pthread_cond_signal(&q->filled);
	while (!q->stop && next->busy)
		pthread_cond_wait(&q->emptied, &q->mu);
	if (q->stop)
		next = NULL;
	pthread_mutex_unlock(&q->mu);
	return next;
}

/* ---- the reader ---- */

typedef struct {
	const event_opts_t *o;
	queue_t *q;
	batch_t *b;           /* being filled, or NULL */
	plist_t *pl;          /* indicators being gathered */
	kset_t seen;
	obs_t host;
	ingest_opts_t io;
	FILE *f;
	const char *path;
	long records, duplicates, listed, skipped;
	char first_bad[512];
	int rc;
	char err[512];
} reader_t;

static int remember(void *arg, const store_event_t *e)
{
	reader_t *rd = arg;
	return kset_add(&rd->seen, dedup_key(e->feed_id, e->type, e->value, e->classification)) < 0;
}

/* The host of a URL as an observable, for the constituency. */
static const obs_t *url_host(reader_t *rd, const obs_t *u)
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
		return obs_parse(p + 1, (size_t)(e - p - 1), OBS_NONE, &rd->host, NULL, 0) ? NULL : &rd->host;
	}
	const char *colon = memchr(p, ':', n);
	if (colon)
		n = (size_t)(colon - p);
	return obs_parse(p, n, OBS_NONE, &rd->host, NULL, 0) ? NULL : &rd->host;
}

#define OWNERS_MAX 32

/* Every organisation responsible for one of the record's values, into the
 * batch; how many, or -1 out of memory. */
static int owners(reader_t *rd, batch_t *b, const ingest_rec_t *rec)
{
	const obs_t *vals[5];
	int nv = 0;
	size_t norgs = 0;
	cons_owner_t own[OWNERS_MAX];

	vals[nv++] = rec->obs;
	for (int i = 0; i < rec->nalso && i < 3; i++)
		vals[nv++] = rec->also[i];
	if (rec->obs->type == OBS_URL && rec->nalso == 0 && url_host(rd, rec->obs))
		vals[nv++] = &rd->host;
	if (util_grow(&b->orgs, &b->orgcap, b->norgs + OWNERS_MAX, sizeof *b->orgs, 1024))
		return -1;
	int64_t *orgs = b->orgs + b->norgs;
	for (int i = 0; i < nv; i++) {
		size_t n = cons_who(rd->o->cons, vals[i], own, OWNERS_MAX);
		for (size_t k = 0; k < n; k++) {
			size_t j = 0;
			while (j < norgs && orgs[j] != own[k].org_id)
				j++;
			if (j == norgs && norgs < OWNERS_MAX)
				orgs[norgs++] = own[k].org_id;
		}
	}
	b->norgs += norgs;
	return (int)norgs;
}

/* Copy s (n bytes) into the batch's text; its offset. */
static uint32_t keep_text(batch_t *b, const char *s, size_t n)
{
	uint32_t off = (uint32_t)b->tlen;
	memcpy(b->text + b->tlen, s, n);
	b->text[b->tlen + n] = '\0';
	b->tlen += n + 1;
	return off;
}

static int batch_add(reader_t *rd, batch_t *b, const ingest_rec_t *rec)
{
	const char *cls = rec->classification ? rec->classification : "";
	const char *raw = rec->raw ? rec->raw : rec->obs->value;
	size_t cn = strlen(cls), rn = strlen(raw);
	store_event_t e = {.feed_id = rd->o->feed->id, .type = rec->obs->type,
			   .value = rec->obs->value, .classification = cls, .tlp = rec->tlp,
			   .confidence = rec->confidence,
			   .source_time = rec->first_seen ? rec->first_seen : rd->o->now,
			   .observed = rd->o->now, .line = rec->line, .last_seen = rec->last_seen,
			   .valid_until = rec->valid_until};
	if (util_grow(&b->it, &b->cap, b->n + 1, sizeof *b->it, BATCH_ITEMS) ||
	    util_grow(&b->text, &b->tcap, b->tlen + rec->obs->len + cn + rn + 3, 1, BATCH_TEXT + 65536) ||
	    plist_add(rd->pl, &e, rec->obs->len))
		return -1;
	item_t *it = &b->it[b->n];
	e.value = e.classification = NULL; /* in the batch's text */
	*it = (item_t){.e = e, .org0 = (uint32_t)b->norgs};
	/* the affected network's owner is told of AMBER and below; AMBER+STRICT
	 * and RED stay with the organisations they were given to */
	if (rd->o->cons && rec->tlp <= TLP_AMBER) {
		int n = owners(rd, b, rec);
		if (n < 0)
			return -1;
		it->norgs = (uint32_t)n;
	}
	it->value = keep_text(b, rec->obs->value, rec->obs->len);
	it->cls = keep_text(b, cls, cn);
	it->raw = keep_text(b, raw, rn);
	b->n++;
	return 0;
}

static int read_one(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	reader_t *rd = arg;
	rd->records++;
	if (rd->o->wl && wlist_match(rd->o->wl, rec->obs)) {
		rd->listed++;
		return 0;
	}
	int d = kset_add(&rd->seen, dedup_key(rd->o->feed->id, rec->obs->type, rec->obs->value,
					      rec->classification));
	if (d) {
		if (d < 0)
			return snprintf(err, errlen, "out of memory"), -1;
		rd->duplicates++;
		return 0;
	}
	if (!rd->b && !(rd->b = q_slot(rd->q)))
		return snprintf(err, errlen, "stopped"), -1;
	if (batch_add(rd, rd->b, rec))
		return snprintf(err, errlen, "out of memory"), -1;
	if (plist_full(rd->pl, OBS_VALUE_MAX + MODEL_CLASS_MAX + 2)) {
		if (!(rd->pl = q_hand_over(rd->q, rd->b, rd->pl)))
			return snprintf(err, errlen, "stopped"), -1;
		rd->b = NULL;
	} else if (rd->b->n >= BATCH_ITEMS || rd->b->tlen >= BATCH_TEXT) {
		q_put(rd->q);
		rd->b = NULL;
	}
	return 0;
}

static void on_bad(void *arg, const char *msg)
{
	reader_t *rd = arg;
	if (!rd->skipped++)
		snprintf(rd->first_bad, sizeof rd->first_bad, "%s", msg);
}

static void *reader_main(void *arg)
{
	reader_t *rd = arg;
	long n;
	rd->rc = ingest_read(rd->f, rd->path, &rd->io, read_one, rd, &n, rd->err, sizeof rd->err);
	/* the last records and indicators */
	if (!rd->rc && (rd->b || (rd->pl->n && (rd->b = q_slot(rd->q))))) {
		if (rd->pl->n)
			q_hand_over(rd->q, rd->b, rd->pl);
		else
			q_put(rd->q);
	}
	rd->b = NULL;
	q_end(rd->q, 0);
	return NULL;
}

/* ---- the writer ---- */

typedef struct {
	int64_t org;
	char freq[12];
} pref_t;

typedef struct {
	store_t *st;
	const event_opts_t *o;
	event_stats_t *s;
	pref_t *prefs;        /* recipients' frequencies, looked up once per run */
	size_t nprefs, prefcap;
	store_feed_run_t run; /* this run's events (id 0 until the first) */
	plist_t *cur;         /* the list of indicators being written, or NULL */
	size_t cur_i;         /* how many of it are written */
	int64_t after;        /* the first event written after it came, or 0 */
	long steps;           /* rows written: a slice may end every 256 */
	int64_t since;        /* when the current transaction began (ms) */
	indicator_t ind;
} run_t;

static const char *frequency(run_t *r, int64_t org)
{
	for (size_t i = 0; i < r->nprefs; i++)
		if (r->prefs[i].org == org)
			return r->prefs[i].freq;
	store_prefs_t p;
	if (store_prefs_get(r->st, org, &p))
		return "daily";
	if (util_grow(&r->prefs, &r->prefcap, r->nprefs + 1, sizeof *r->prefs, 64))
		return p.frequency[0] == 'i' ? "immediate" : "daily";
	pref_t *q = &r->prefs[r->nprefs++];
	q->org = org;
	snprintf(q->freq, sizeof q->freq, "%s", p.frequency);
	return q->freq;
}

static int fail(run_t *r, char *err, size_t errlen)
{
	snprintf(err, errlen, "store: %s", store_errmsg(r->st));
	return -1;
}

/* Record how far the run has got, in the transaction about to commit. */
static int run_save(run_t *r, char *err, size_t errlen)
{
	return r->run.id && store_feed_run_put(r->st, &r->run) ? fail(r, err, errlen) : 0;
}

/* End the current write slice if another writer waits or it has lasted
 * long enough; looked at every 256 rows, and while waiting for the reader. */
static int slice_turn(run_t *r, char *err, size_t errlen)
{
	if (!r->o->slice_ms || (r->steps++ & 255) != 0 ||
	    !(store_writers_waiting(r->st) || now_ms() - r->since >= r->o->slice_ms))
		return 0;
	if (run_save(r, err, errlen))
		return -1;
	if (store_commit(r->st))
		return fail(r, err, errlen);
	store_let_writers_in(r->st);
	if (store_begin(r->st))
		return fail(r, err, errlen);
	r->since = now_ms();
	return 0;
}

/* Write indicators from..to of a list (sorted in the index's order) of
 * source (a feed) and org. */
static int write_list(run_t *r, const plist_t *l, size_t from, size_t to, const char *source,
		      int64_t org, char *err, size_t errlen)
{
	indicator_t *ind = &r->ind;
	snprintf(ind->source, sizeof ind->source, "%s", source);
	ind->org_id = org;
	for (size_t i = from; i < to; i++) {
		const pend_t *p = &l->p[i];
		const char *v = l->text + p->off;
		size_t vn = strlen(v);
		if (i + 8 < to)
			__builtin_prefetch(l->text + l->p[i + 8].off);
		memcpy(ind->value, v, vn + 1);
		snprintf(ind->classification, sizeof ind->classification, "%s", v + vn + 1);
		ind->type = (obs_type_t)p->type;
		ind->tlp = (tlp_t)p->tlp;
		ind->confidence = p->conf;
		ind->first_seen = p->first;
		ind->last_seen = p->last;
		ind->valid_until = p->valid;
		if (store_put_indicator(r->st, ind))
			return fail(r, err, errlen);
		if (slice_turn(r, err, errlen))
			return -1;
	}
	return 0;
}

/* One batch: the events, their notices, their indicators kept. */
static int write_batch(run_t *r, const batch_t *b, char *err, size_t errlen)
{
	const event_opts_t *o = r->o;
	for (size_t i = 0; i < b->n; i++) {
		const item_t *it = &b->it[i];
		if (slice_turn(r, err, errlen))
			return -1;
		store_event_t e = it->e;
		e.value = b->text + it->value;
		e.classification = b->text + it->cls;
		e.raw = b->text + it->raw;
		if (store_event_add(r->st, &e))
			return fail(r, err, errlen);
		r->run.last_event = e.id;
		if (!r->run.pending)
			r->run.pending = e.id;
		if (!r->run.id) {
			r->run.feed_id = o->feed->id;
			r->run.org_id = o->org_id;
			r->run.observed = o->now;
			r->run.first_event = e.id;
			if (store_feed_run_put(r->st, &r->run))
				return fail(r, err, errlen);
		}
		if (r->cur && !r->after)
			r->after = e.id;
		r->s->events++;
		for (uint32_t k = 0; k < it->norgs; k++) {
			int64_t org = b->orgs[it->org0 + k];
			int64_t due = notify_due(o->nc, e.classification, frequency(r, org), o->now);
			if (store_notice_add(r->st, e.id, org, due))
				return fail(r, err, errlen);
			r->s->notices++;
		}
	}
	return 0;
}

/* Write up to max indicators of the list being written; at its end, hand
 * it back to the reader.  A list holds the indicators of every record up
 * to the batch it came with: what is still pending then starts at the
 * first event written after that batch. */
static int write_some(run_t *r, queue_t *q, size_t max, char *err, size_t errlen)
{
	plist_t *l = r->cur;
	size_t to = l->n - r->cur_i > max ? r->cur_i + max : l->n;
	if (write_list(r, l, r->cur_i, to, r->o->feed->name, r->o->org_id, err, errlen))
		return -1;
	r->cur_i = to;
	if (to == l->n) {
		q_written(q, l);
		r->cur = NULL;
		r->run.pending = r->after;
		r->after = 0;
	}
	return 0;
}

/* Write what the reader hands on until it ends.  A list of indicators is
 * written a batch's worth at a time between batches of events, and
 * whenever the reader has nothing ready, so that the reader never waits
 * for a whole list to be written; with nothing to do at all, a waiting
 * writer still gets its turn. */
static int write_all(run_t *r, queue_t *q, char *err, size_t errlen)
{
	for (;;) {
		int ended;
		batch_t *b = q_take(q, r->cur ? 0 : 10, &ended);
		if (b) {
			plist_t *l = b->flush;
			int rc = write_batch(r, b, err, errlen);
			q_free(q);
			if (rc || (l && r->cur && write_some(r, q, SIZE_MAX, err, errlen)))
				return -1;
			if (l) {
				r->cur = l;
				r->cur_i = 0;
				r->after = 0;
			}
		} else if (ended && !r->cur) {
			return 0;
		}
		if (r->cur) {
			if (write_some(r, q, BATCH_ITEMS, err, errlen))
				return -1;
		} else if (!b) {
			r->steps = 0;
			if (slice_turn(r, err, errlen))
				return -1;
		}
	}
}

/* ---- runs cut short ---- */

/* A run killed after writing events but before their indicators left its
 * pending mark: the next run makes those indicators from the events. */
typedef struct {
	plist_t l;
	int64_t last;         /* the id of the last event taken */
} redo_t;

static int redo_event(void *arg, const store_event_t *e)
{
	redo_t *d = arg;
	if (plist_add(&d->l, e, strlen(e->value)))
		return -1;
	d->last = e->id;
	return plist_full(&d->l, OBS_VALUE_MAX + MODEL_CLASS_MAX + 2);
}

typedef struct {
	store_feed_run_t *v;
	size_t n, cap;
} runs_t;

static int pending_run(void *arg, const store_feed_run_t *run)
{
	runs_t *rs = arg;
	if (util_grow(&rs->v, &rs->cap, rs->n + 1, sizeof *rs->v, 4))
		return -1;
	rs->v[rs->n++] = *run;
	return 0;
}

static int redo_one(run_t *r, store_feed_run_t *run, redo_t *d, char *err, size_t errlen)
{
	for (int64_t from = run->pending; run->feed[0] && from <= run->last_event;) {
		d->l.n = d->l.tlen = 0;
		d->last = 0;
		if (store_event_range(r->st, run->feed_id, from, run->last_event, redo_event, d))
			return fail(r, err, errlen);
		if (!d->last)
			break;
		qsort(d->l.p, d->l.n, sizeof *d->l.p, pend_cmp);
		if (write_list(r, &d->l, 0, d->l.n, run->feed, run->org_id, err, errlen))
			return -1;
		from = d->last + 1;
	}
	run->pending = 0;
	return store_feed_run_put(r->st, run) ? fail(r, err, errlen) : 0;
}

static int redo_runs(run_t *r, char *err, size_t errlen)
{
	runs_t runs = {0};
	redo_t d = {0};
	int rc = 0;
	if (store_feed_run_pending(r->st, pending_run, &runs))
		rc = fail(r, err, errlen);
	for (size_t i = 0; !rc && i < runs.n; i++)
		rc = redo_one(r, &runs.v[i], &d, err, errlen);
	free(runs.v);
	free(d.l.p);
	free(d.l.text);
	return rc;
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

/* The reader thread runs while the caller writes; 0 or -1 with err. */
static int read_and_write(run_t *r, reader_t *rd, char *err, size_t errlen)
{
	queue_t *q = rd->q;
	pthread_t t;
	if (pthread_create(&t, NULL, reader_main, rd)) {
		snprintf(err, errlen, "cannot start the reader thread");
		return -1;
	}
	int rc = write_all(r, q, err, errlen);
	if (rc)
		q_end(q, 1);
	pthread_join(t, NULL);
	if (!rc && rd->rc) {
		snprintf(err, errlen, "%s", rd->err);
		rc = -1;
	}
	return rc;
}

int event_ingest(store_t *st, const event_opts_t *o, const char *path, event_stats_t *out,
		 char *err, size_t errlen)
{
	run_t *r = calloc(1, sizeof *r);
	reader_t *rd = calloc(1, sizeof *rd);
	queue_t *q = calloc(1, sizeof *q);
	long n;
	int rc = -1, in_txn = 0;

	memset(out, 0, sizeof *out);
	if (!r || !rd || !q) {
		free(r), free(rd), free(q);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->filled, NULL);
	pthread_cond_init(&q->emptied, NULL);
	r->st = st;
	r->o = o;
	r->s = out;
	rd->o = o;
	rd->q = q;
	rd->pl = &q->pl[0];
	rd->path = path;
	if (opts_of(o, &rd->io, err, errlen))
		goto done;
	if (!(rd->f = fopen(path, "r"))) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (strcmp(o->feed->policy, "skip") != 0) {
		/* a first reading: a bad record refuses the file before any write */
		if (ingest_read(rd->f, path, &rd->io, count_only, NULL, &n, err, errlen))
			goto done;
		rewind(rd->f);
	} else {
		rd->io.on_bad = on_bad;
		rd->io.bad_arg = rd;
	}
	if (store_event_recent(st, o->feed->id, o->now - o->nc->dedup, remember, rd)) {
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
	if (redo_runs(r, err, errlen))
		goto done;
	rc = read_and_write(r, rd, err, errlen);
	out->records = rd->records;
	out->duplicates = rd->duplicates;
	out->listed = rd->listed;
	out->skipped = rd->skipped;
	memcpy(out->first_bad, rd->first_bad, sizeof out->first_bad);
	if (rc || (rc = run_save(r, err, errlen)))
		goto done;
	rc = -1;
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
	if (rd->f)
		fclose(rd->f);
	free(rd->seen.k);
	for (int i = 0; i < NBATCH; i++) {
		free(q->b[i].it);
		free(q->b[i].text);
		free(q->b[i].orgs);
	}
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->filled);
	pthread_cond_destroy(&q->emptied);
	for (int i = 0; i < 2; i++) {
		free(q->pl[i].p);
		free(q->pl[i].text);
	}
	free(r->prefs);
	free(r);
	free(rd);
	free(q);
	return rc;
}
