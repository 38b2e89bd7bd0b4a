/* event.h — the pipeline from a feed's records to events, notices and
 * indicators.
 *
 * What it owns: one event per record (observable, classification, feed,
 * the source's time and ours, TLP, the raw line kept as evidence),
 * de-duplication (the same observable, classification and feed within the
 * notify settings' window is one event), the warning lists (values never
 * acted on are dropped and counted), the constituency (every organisation
 * responsible for the observable or a related one — a URL's host and
 * address, a report's AS number — gets a notice, due when notify_due()
 * says; TLP:RED events are never notified) and the indicator each event
 * feeds into the reputation service.
 *
 * A reader thread parses, de-duplicates and finds the owners while the
 * caller's thread writes; indicators are written sorted by their index key,
 * 262,144 at a time (see event.c).  Writes go in slices: a transaction ends
 * when another writer waits for it (store_writers_waiting: an early warning
 * must get through at once) or after `slice_ms` milliseconds; on a
 * connection opened with STORE_BULK; with the reject policy the file is
 * first read through once, so a bad record refuses the whole file before
 * anything is written.  A run cut short (kill -9) is simply run again: its
 * feed_runs row says which of its events may lack their indicator, and the
 * next run (of any feed) makes those first; de-duplication then skips what
 * was already written. */
#ifndef C5_EVENT_H
#define C5_EVENT_H

#include "cons/cons.h"
#include "ingest/ingest.h"
#include "notify/notify.h"
#include "store/store.h"
#include "wlist/wlist.h"

typedef struct {
	const store_feed_t *feed;     /* name, id, format, tlp, classification, policy */
	int64_t org_id;               /* the hub's organisation (owner of indicators) */
	const wlist_t *wl;            /* or NULL */
	cons_t *cons;                 /* or NULL: no notices */
	const notify_conf_t *nc;
	int64_t now;
	int slice_ms;                 /* longest transaction; 0: one for all */
	/* called in the last transaction (audit log); non-zero rolls it back */
	int (*before_commit)(void *arg, store_t *st, const char *path, long events);
	void *arg;
} event_opts_t;

typedef struct {
	long records, events, duplicates, listed, notices, skipped;
	char first_bad[512];          /* the first skipped record's "file:line: why" */
} event_stats_t;

/* Read path as the feed's format and write what it holds.  0, or -1 with
 * err ("file:line: reason" for a bad record under the reject policy). */
int event_ingest(store_t *st, const event_opts_t *o, const char *path, event_stats_t *out,
		 char *err, size_t errlen);

#endif
