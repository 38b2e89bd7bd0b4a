/* feed.h — collecting: where a feed is, fetching it, running it.
 *
 * What it owns: checking a feed's configuration, fetching `http(s)://` URLs
 * with libcurl (conditional requests with ETag / If-Modified-Since, gzip,
 * timeouts, a size limit, retries with backoff), reading a file or every
 * new file of a directory, handing what was fetched to the event pipeline
 * (event.h), and the feed's run state in the store: a failing feed is
 * recorded (failures, last error, a later next run) and does not stop the
 * others. */
#ifndef C5_FEED_H
#define C5_FEED_H

#include "event/event.h"
#include "store/store.h"

typedef struct {
	int64_t org_id;          /* the hub's organisation */
	const wlist_t *wl;
	cons_t *cons;
	const notify_conf_t *nc;
	int slice_ms;            /* a write transaction's length (event.h) */
	long timeout;            /* seconds per HTTP attempt; 0: 60 */
	int64_t max_bytes;       /* largest download; 0: 256 MiB */
	int retries;             /* further attempts after a transient failure */
	int (*before_commit)(void *arg, store_t *st, const char *path, long events);
	void *arg;
} feed_env_t;

typedef struct {
	int not_modified;        /* 304: nothing new */
	int files;               /* files read */
	event_stats_t ev;        /* summed over the files */
} feed_result_t;

/* Check a configuration before it is stored: a name, exactly one of url
 * (http or https) and path, a known format, a policy, a period.  0, or -1
 * with the reason naming the field. */
int feed_check(const store_feed_t *f, char *err, size_t errlen);

/* A feed's state in one word, from its record: "never" (not run yet),
 * "FAILING" (its last run failed), "SKIPPED" (its last run read lines but
 * skipped every one: a wrong --format, most likely), "EMPTY" (its last run
 * read nothing), else "ok".  A static string. */
const char *feed_state(const store_feed_t *f);

/* Run one feed now and record its state.  0, or -1 with err (also kept as
 * the feed's last error). */
int feed_run(store_t *st, const feed_env_t *env, store_feed_t *f, feed_result_t *out, char *err,
	     size_t errlen);

/* Run every enabled feed whose next run is due at now; returns how many
 * ran (failures included; each is recorded on its feed). */
int feed_run_due(store_t *st, const feed_env_t *env, int64_t now);
/* How many enabled feeds are due at now (cheap: no run). */
int feed_count_due(store_t *st, int64_t now);

#endif
