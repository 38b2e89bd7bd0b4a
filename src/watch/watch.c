/* watch.c — the scheduler and sender threads (see watch.h). */
#include "watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/feed.h"
#include "intake/intake.h"
#include "taxii/taxii.h"

static void run_feeds(watch_t *w, store_t *st, int64_t now)
{
	char err[512];
	feed_env_t env = {.org_id = w->hub->hub_org, .nc = &w->nc, .slice_ms = 250, .retries = 2};
	if (feed_count_due(st, now) == 0)
		return;
	/* the run's own warning lists and constituency: the hub's may be
	 * swapped while a long run still reads them */
	wlist_t *wl = hub_wlist_load(st, err, sizeof err);
	if (!wl || !(env.cons = cons_load(st, err, sizeof err))) {
		fprintf(stderr, "c5hub: feeds: %s\n", err);
		wlist_free(wl);
		return;
	}
	env.wl = wl;
	int n = feed_run_due(st, &env, now);
	cons_free(env.cons);
	wlist_free(wl);
	if (n > 0) {
		atomic_fetch_add(&w->feed_runs, n);
		hub_sync(w->hub); /* the new indicators answer look-ups at once */
	}
}

/* TAXII peers due now: polled (and pushed to) */
static void run_peers(watch_t *w, store_t *st, int64_t now)
{
	int64_t org;
	tlp_t dflt;
	if (hub_read_settings(st, &org, &dflt))
		return;
	if (taxii_sync_due(st, w->hub->hub_org, dflt, now) > 0)
		hub_sync(w->hub);
}

/* SLA warnings and breaches: a pass whenever the clock moved 15 s (or
 * back: a test's), each threshold raised once per hub. */
static void run_sla(watch_t *w, store_t *st)
{
	char err[512];
	int64_t now = sla_now();
	sla_pass_t p;
	if (w->sla_last && now - w->sla_last < 15 && now >= w->sla_last)
		return;
	w->sla_last = now;
	if (sla_escalate(st, &w->sla, w->hub->hub_org, now, &p, err, sizeof err))
		fprintf(stderr, "c5hub: %s\n", err);
	if (p.raised)
		hub_kick(w->hub); /* the sender: the new deliveries at once */
}

static void *scheduler(void *arg)
{
	watch_t *w = arg;
	char err[512];
	store_t *st = NULL;
	uint64_t gen = 0;
	/* its own connection, a bulk one: feed runs yield to short writers */
	if (store_open(w->hub->db_path, STORE_DEFER_CKPT | STORE_BULK, &st, err, sizeof err)) {
		fprintf(stderr, "c5hub: scheduler: %s\n", err);
		return NULL;
	}
	while (!atomic_load(&w->stop)) {
		{
			int64_t now = (int64_t)time(NULL);
			notify_stats_t s = {0};
			if (w->feeds) {
				run_feeds(w, st, now);
				run_peers(w, st, now);
			}
			if (notify_plan(st, now, 0, &s, err, sizeof err))
				fprintf(stderr, "c5hub: notify: %s\n", err);
			run_sla(w, st);
			if (s.planned)
				hub_kick(w->hub);
		}
		/* a second, or less when woken (a feed made due now: hub_kick) */
		hub_wait(w->hub, &gen, 1000);
	}
	store_close(st);
	return NULL;
}

int watch_push(watch_t *w, const int64_t *ids, size_t n)
{
	int rc = 0;
	pthread_mutex_lock(&w->q_lock);
	if (w->nq + n > w->qcap) {
		size_t cap = w->qcap ? w->qcap : 64;
		while (cap < w->nq + n)
			cap *= 2;
		int64_t *q = realloc(w->q, cap * sizeof *q);
		if (q) {
			w->q = q;
			w->qcap = cap;
		}
	}
	if (n == 0) {
		/* nothing to queue (a warning with no 24/7 contact): w->q may
		 * still be NULL, and memcpy must not see it */
	} else if (w->nq + n <= w->qcap) {
		memcpy(w->q + w->nq, ids, n * sizeof *ids);
		w->nq += n;
	} else {
		rc = -1;
	}
	pthread_mutex_unlock(&w->q_lock);
	hub_kick(w->hub);
	return rc;
}

static void *sender(void *arg)
{
	watch_t *w = arg;
	uint64_t gen = 0;
	char err[512];
	while (!atomic_load(&w->stop)) {
		store_t *st = hub_store_get(w->hub);
		if (st) {
			notify_stats_t s = {0};
			int64_t *mine;
			size_t n;
			pthread_mutex_lock(&w->q_lock);
			mine = w->q;
			n = w->nq;
			w->q = NULL;
			w->nq = w->qcap = 0;
			pthread_mutex_unlock(&w->q_lock);
			if (n && notify_send_ids(st, &w->nc, mine, n, &s, err, sizeof err))
				fprintf(stderr, "c5hub: notify: %s\n", err);
			free(mine);
			if (notify_send_due(st, &w->nc, (int64_t)time(NULL), &s, err, sizeof err))
				fprintf(stderr, "c5hub: notify: %s\n", err);
			/* the case entries written to reporters of e-mailed cases */
			long replies = 0;
			if (w->nc.smtp[0] &&
			    intake_send_replies(st, &w->nc, (int64_t)time(NULL), &replies, err, sizeof err))
				fprintf(stderr, "c5hub: intake: %s\n", err);
			hub_store_put(w->hub, st);
			atomic_fetch_add(&w->sends, s.sent);
			atomic_fetch_add(&w->send_failures, s.failed + s.retried);
		}
		hub_wait(w->hub, &gen, 1000);
	}
	return NULL;
}

static const char *sla_file;

void watch_sla_file(const char *file)
{
	sla_file = file;
}

int watch_start(hub_t *h, const char *notify_file, const char *smtp, int feeds, watch_t **out,
		char *err, size_t errlen)
{
	watch_t *w = calloc(1, sizeof *w);
	*out = NULL;
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->hub = h;
	w->feeds = feeds;
	pthread_mutex_init(&w->q_lock, NULL);
	if (notify_conf_load(&w->nc, notify_file, err, errlen)) {
		free(w);
		return -1;
	}
	if (sla_conf_load(&w->sla, sla_file, err, errlen)) {
		notify_conf_free(&w->nc);
		free(w);
		return -1;
	}
	if (sla_clock_forced())
		fprintf(stderr, "c5hub: the clock is set by C5HUB_NOW (tests only)\n");
	if (smtp)
		snprintf(w->nc.smtp, sizeof w->nc.smtp, "%s", smtp);
	store_t *st = hub_store_get(h);
	int bad = !st || notify_conf_sender(&w->nc, st, err, errlen);
	if (!st)
		snprintf(err, errlen, "store unavailable");
	hub_store_put(h, st);
	if (bad) {
		sla_conf_free(&w->sla);
		notify_conf_free(&w->nc);
		free(w);
		return -1;
	}
	if (pthread_create(&w->sched, NULL, scheduler, w)) {
		sla_conf_free(&w->sla);
		notify_conf_free(&w->nc);
		free(w);
		snprintf(err, errlen, "cannot start the scheduler thread");
		return -1;
	}
	if (pthread_create(&w->sender, NULL, sender, w)) {
		atomic_store(&w->stop, 1);
		pthread_join(w->sched, NULL);
		sla_conf_free(&w->sla);
		notify_conf_free(&w->nc);
		free(w);
		snprintf(err, errlen, "cannot start the sender thread");
		return -1;
	}
	sla_case_use(&w->sla);
	w->running = 1;
	h->watch = w;
	*out = w;
	return 0;
}

void watch_stop(watch_t *w)
{
	if (!w)
		return;
	atomic_store(&w->stop, 1);
	hub_kick(w->hub);
	pthread_join(w->sched, NULL);
	pthread_join(w->sender, NULL);
	w->hub->watch = NULL;
	sla_case_use(NULL);
	sla_conf_free(&w->sla);
	notify_conf_free(&w->nc);
	pthread_mutex_destroy(&w->q_lock);
	free(w->q);
	free(w);
}
