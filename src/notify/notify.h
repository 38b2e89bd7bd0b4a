/* notify.h — telling each constituent about its own events, and pushing
 * early warnings to the 24/7 contacts of peer teams.
 *
 * What it owns: the notify settings (data/notify.conf, compiled in, and an
 * operator's file), when a notice is due (at once for urgent classes or an
 * `immediate` recipient, else at the next hour or day), grouping due
 * notices into one delivery per recipient, building the message (an e-mail
 * with a summary from data/templates and the events as a CSV attachment;
 * or a JSON webhook signed with HMAC-SHA256) and sending it with libcurl.
 *
 * Delivery state lives in the store: a delivery is recorded (its events
 * assigned to it) before it is sent and marked sent after the server
 * accepted it; a failure is retried with a doubling delay.  A crash between
 * the two leaves it pending and it is sent again with the same Message-ID /
 * X-C5hub-Delivery, so a receiver can tell the copy. */
#ifndef C5_NOTIFY_H
#define C5_NOTIFY_H

#include <stdint.h>

#include "store/store.h"

#define NOTIFY_URGENT_MAX 64

typedef struct {
	char urgent[NOTIFY_URGENT_MAX][MODEL_CLASS_MAX + 1];
	int nurgent;
	int64_t dedup;           /* seconds */
	int64_t retry;           /* seconds, first retry */
	int64_t lease;           /* seconds a sender holds a delivery it sends */
	int attempts;
	char from[256];          /* the sender address ("": notify_conf_sender) */
	char from_name[130];     /* its display name: the hub's name, or "" */
	char smtp[512];          /* smtp://host:port; "" : e-mail cannot be sent */
	const char *report_tpl, *warning_tpl; /* templates (owned by the conf) */
	char *owned[2];
} notify_conf_t;

/* The built-in settings, then file (or NULL) over them.  0, or -1 with
 * "file:line: reason". */
int notify_conf_load(notify_conf_t *c, const char *file, char *err, size_t errlen);
void notify_conf_free(notify_conf_t *c);
/* Who e-mail comes from, unless the file said (from): the hub's setting
 * notify_from (c5hub init --notify-from), else the hub's name made an
 * address at this host ("GH CIRT" -> gh-cirt@HOSTNAME); the display name
 * is the hub's name.  0, or -1 with err. */
int notify_conf_sender(notify_conf_t *c, store_t *st, char *err, size_t errlen);
/* Is addr acceptable as the sender?  NULL, or why not. */
const char *notify_from_check(const char *addr);

/* Parse settings text over c (all or nothing). */
int notify_conf_parse(notify_conf_t *c, const char *text, const char *name, char *err,
		      size_t errlen);

/* When a notice of classification for a recipient reporting at frequency
 * ("immediate", "hourly", "daily") is due, seen at now. */
int64_t notify_due(const notify_conf_t *c, const char *classification, const char *frequency,
		   int64_t now);

typedef struct {
	long planned;   /* deliveries made from due notices */
	long sent, failed, retried;
	long waiting;   /* e-mail with no SMTP server configured: not an attempt */
} notify_stats_t;

/* Group the notices due at now (all of them with flush) into deliveries,
 * then send every pending delivery whose time has come (all of them with
 * flush, also those waiting for their next try).  An e-mail delivery while
 * no SMTP server is configured waits (counted in waiting, its attempts
 * unchanged, tried again after c->retry) rather than failing.  0, or -1 with err
 * (a failed send is not an error: it is recorded and retried). */
int notify_run(store_t *st, const notify_conf_t *c, int64_t now, int flush, notify_stats_t *out,
	       char *err, size_t errlen);
/* The first half: one delivery per organisation with notices due at now
 * (all with flush), each in its own transaction. */
int notify_plan(store_t *st, int64_t now, int flush, notify_stats_t *out, char *err,
		size_t errlen);
/* Send the pending deliveries due at now (the second half of notify_run). */
int notify_send_due(store_t *st, const notify_conf_t *c, int64_t now, notify_stats_t *out,
		    char *err, size_t errlen);

/* Early warnings.  notify_warning_check() validates w's fields (title,
 * classification, severity low|medium|high|critical, audience "all", or
 * organisation names and type:TYPE, comma-separated); notify_warning()
 * refuses an audience naming an unknown organisation or type (err lists the
 * known names), then records it and one pending delivery per channel (24/7 webhook, 24/7
 * e-mail) of every organisation of its audience, inside the caller's
 * transaction.  The deliveries are born claimed (for c->lease): the caller
 * sends them at once with notify_send_ids() (*ids, *n of them; free *ids);
 * if it dies first, any sender takes them when the lease ends.  0, or -1
 * with err. */
int notify_warning_check(const store_warning_t *w, char *err, size_t errlen);
int notify_warning(store_t *st, const notify_conf_t *c, store_warning_t *w, int64_t **ids,
		   size_t *n, char *err, size_t errlen);
/* Send the given pending deliveries, which the caller holds (no claim). */
int notify_send_ids(store_t *st, const notify_conf_t *c, const int64_t *ids, size_t n,
		    notify_stats_t *out, char *err, size_t errlen);
/* 1 when organisation o is in an audience list. */
/* Fill w's text fields from what a person or a client sent: each must fit
 * whole and be UTF-8 (refused, never cut: a cut title once broke every
 * later listing).  0, or -1 with "field: reason" in err. */
int notify_warning_fill(store_warning_t *w, const char *title, const char *classification,
			const char *severity, const char *audience, char *err, size_t errlen);
int notify_in_audience(const char *aud, const org_t *o);
/* May view v (of organisation org, NULL when unknown) see warning w?  A
 * warning is for its audience — the hub's team, the author's organisation
 * and the organisations its audience names — and then under tlp_visible
 * with the audience as its named recipients: never RED to a peer hub.  The
 * API's list, the live stream and the console all ask this. */
int notify_warning_visible(const tlp_view_t *v, const org_t *org, const store_warning_t *w);

/* The HMAC-SHA256 of body under key, as "sha256=<hex>" (72 bytes + NUL). */
int notify_sign(const char *key, const char *body, size_t len, char out[80]);

#endif
