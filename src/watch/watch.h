/* watch.h — the server's watch-and-warn threads.
 *
 * What it owns: the scheduler thread (every second, or at once when
 * hub_kick() wakes it: run the feeds that are due, then turn due notices
 * into deliveries) and the sender thread (sends
 * pending deliveries as soon as hub_kick() says there are new ones — an
 * early warning raised through the API — and at least once a second, so
 * retries and the scheduler's deliveries go out too).  Each thread borrows
 * its own store connection from the hub. */
#ifndef C5_WATCH_H
#define C5_WATCH_H

#include <pthread.h>
#include <stdatomic.h>

#include "hub/hub.h"
#include "notify/notify.h"
#include "sla/sla_case.h"

typedef struct watch {
	hub_t *hub;
	notify_conf_t nc;
	int feeds;                 /* run the feed scheduler */
	pthread_t sched, sender;
	int running;
	atomic_int stop;
	atomic_long feed_runs, sends, send_failures;
	/* deliveries this process made and holds (early warnings raised
	 * through the API): sent first, without a claim */
	pthread_mutex_t q_lock;
	int64_t *q;
	size_t nq, qcap;
	/* SLA timers (src/sla/): the settings and the last escalation pass */
	sla_conf_t sla;
	int64_t sla_last;
} watch_t;

/* The SLA settings file the next watch_start reads (NULL: the built-in
 * data/sla.conf); borrowed. */
void watch_sla_file(const char *file);

/* Start both threads (the scheduler only when feeds is set).  notify_file
 * (or NULL) overrides data/notify.conf; smtp (or NULL) is the mail server.
 * 0, or -1 with err. */
int watch_start(hub_t *h, const char *notify_file, const char *smtp, int feeds, watch_t **out,
		char *err, size_t errlen);
void watch_stop(watch_t *w);
/* Hand new deliveries to the sender (it takes ownership of nothing: the
 * ids are copied) and wake it.  0, or -1 (out of memory: they go out when
 * their lease ends). */
int watch_push(watch_t *w, const int64_t *ids, size_t n);

#endif
