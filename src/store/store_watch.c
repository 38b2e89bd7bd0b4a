/* store_watch.c — the SQLite back end's tables for watch and warn (schema
 * 8, 14): feeds and their run state, feed runs (the range of event ids each
 * wrote, and where its indicators still pending start), events (one per
 * record, with its raw line and the rest of its report), notices (which
 * organisation an event concerns and when it is due), deliveries (one
 * message to one recipient, with its state, so nothing is sent twice or
 * skipped across a restart), early warnings and each organisation's
 * preferences.  See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_sqlite_int.h"

enum {
	W_FEED_ADD, W_FEED_UPD, W_FEED_GET, W_FEED_DEL, W_FEED_LIST, W_EV_ADD, W_EV_RECENT,
	W_EV_LIST, W_NOT_ADD, W_NOT_DUE, W_NOT_ASSIGN, W_NOT_STAT, W_DEL_ADD, W_DEL_UPD, W_DEL_LIST,
	W_PREF_GET, W_PREF_SET, W_WARN_ADD, W_WARN_GET, W_WARN_LIST, W_CONTACT, W_DEL_CLAIM,
	W_RUN_ADD, W_RUN_UPD, W_RUN_PENDING, W_EV_RANGE, W_N
};

#define FEED_COLS "id, name, url, path, format, classification, col, policy, tlp, confidence, " \
		  "enabled, every, created, etag, last_modified, last_error, last_run, last_ok, " \
		  "next_run, failures, records, events, skipped"
#define EV_COLS "e.id, e.feed_id, e.type, e.value, e.classification, e.tlp, e.source_time, " \
		"e.observed, e.line, e.raw, coalesce(f.name, ''), e.confidence, e.last_seen, " \
		"e.valid_until"
#define DEL_COLS "d.id, d.org_id, d.kind, d.warning_id, d.channel, d.target, d.tlp, d.events, " \
		 "d.created, d.state, d.attempts, d.next_try, d.sent_at, d.last_error, " \
		 "coalesce(o.name, '')"
#define WARN_COLS "id, org_id, author, title, classification, severity, tlp, audience, " \
		  "observables, created"

_Static_assert(W_N <= SQ_STIX_SLOT, "store_watch.c has slots 0..SQ_STIX_SLOT - 1");

static const char *const wsql[W_N] = {
	[W_FEED_ADD] = "INSERT INTO feeds(name, url, path, format, classification, col, policy, tlp, "
		       "confidence, enabled, every, created) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
	[W_FEED_UPD] = "UPDATE feeds SET url=?2, path=?3, format=?4, classification=?5, col=?6, "
		       "policy=?7, tlp=?8, confidence=?9, enabled=?10, every=?11, etag=?12, "
		       "last_modified=?13, last_error=?14, last_run=?15, last_ok=?16, next_run=?17, "
		       "failures=?18, records=?19, events=?20, skipped=?21 WHERE id=?1",
	[W_FEED_GET] = "SELECT " FEED_COLS " FROM feeds WHERE name = ?1",
	[W_FEED_DEL] = "DELETE FROM feeds WHERE name = ?1",
	[W_FEED_LIST] = "SELECT " FEED_COLS " FROM feeds ORDER BY name",
	[W_EV_ADD] = "INSERT INTO events(feed_id, type, value, classification, tlp, source_time, "
		     "observed, line, raw, confidence, last_seen, valid_until) "
		     "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
	/* a feed's events lie in the id ranges of its runs */
	[W_EV_RECENT] = "SELECT " EV_COLS " FROM feed_runs r JOIN events e ON e.id BETWEEN "
			"r.first_event AND r.last_event LEFT JOIN feeds f ON f.id = e.feed_id "
			"WHERE r.feed_id = ?2 AND r.observed >= ?1 AND e.feed_id = ?2 AND e.observed >= ?1",
	[W_EV_RANGE] = "SELECT " EV_COLS " FROM events e LEFT JOIN feeds f ON f.id = e.feed_id "
		       "WHERE e.id BETWEEN ?2 AND ?3 AND e.feed_id = ?1 ORDER BY e.id",
	[W_RUN_ADD] = "INSERT INTO feed_runs(feed_id, org_id, observed, first_event, last_event, pending) "
		      "VALUES(?1,?2,?3,?4,?5,?6)",
	[W_RUN_UPD] = "UPDATE feed_runs SET last_event = ?2, pending = ?3 WHERE id = ?1",
	[W_RUN_PENDING] = "SELECT r.id, r.feed_id, r.org_id, r.observed, r.first_event, r.last_event, "
			  "r.pending, coalesce(f.name, '') FROM feed_runs r LEFT JOIN feeds f "
			  "ON f.id = r.feed_id WHERE r.pending <> 0 ORDER BY r.id",
	[W_EV_LIST] = "SELECT " EV_COLS " FROM events e LEFT JOIN feeds f ON f.id = e.feed_id "
		      "WHERE e.id > ?3 AND (?1 = 0 OR e.id IN (SELECT event_id FROM notices "
		      "WHERE org_id = ?1)) AND (?2 = 0 OR e.id IN (SELECT event_id FROM notices "
		      "WHERE delivery_id = ?2)) ORDER BY e.id LIMIT ?4",
	[W_NOT_ADD] = "INSERT OR IGNORE INTO notices(org_id, event_id, due) VALUES(?1, ?2, ?3)",
	[W_NOT_DUE] = "SELECT DISTINCT org_id FROM notices WHERE delivery_id = 0 AND due <= ?1",
	[W_NOT_ASSIGN] = "UPDATE notices SET delivery_id = ?3 WHERE org_id = ?1 AND delivery_id = 0 "
			 "AND due <= ?2",
	[W_NOT_STAT] = "SELECT count(*), coalesce(max(e.tlp), 0) FROM notices n JOIN events e "
		       "ON e.id = n.event_id WHERE n.delivery_id = ?1",
	[W_DEL_ADD] = "INSERT INTO deliveries(org_id, kind, warning_id, channel, target, tlp, events, "
		      "created, state, attempts, next_try, sent_at, last_error) "
		      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,'pending',0,?9,0,'')",
	[W_DEL_UPD] = "UPDATE deliveries SET state=?2, attempts=?3, next_try=?4, sent_at=?5, "
		      "last_error=?6, events=?7, tlp=?8 WHERE id=?1",
	[W_DEL_LIST] = "SELECT " DEL_COLS " FROM deliveries d LEFT JOIN orgs o ON o.id = d.org_id "
		       "WHERE (?1 IS NULL OR d.state = ?1) AND (?2 = 0 OR d.org_id = ?2) "
		       "AND (?3 = 0 OR d.next_try <= ?3) AND d.id > ?4 ORDER BY d.id LIMIT ?5",
	[W_PREF_GET] = "SELECT channel, frequency, webhook, secret, contact_247, webhook_247 "
		       "FROM prefs WHERE org_id = ?1",
	[W_PREF_SET] = "INSERT INTO prefs(org_id, channel, frequency, webhook, secret, contact_247, "
		       "webhook_247) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(org_id) DO UPDATE SET "
		       "channel=?2, frequency=?3, webhook=?4, secret=?5, contact_247=?6, webhook_247=?7",
	[W_WARN_ADD] = "INSERT INTO warnings(org_id, author, title, classification, severity, tlp, "
		       "audience, observables, created) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	[W_WARN_GET] = "SELECT " WARN_COLS " FROM warnings WHERE id = ?1",
	[W_DEL_CLAIM] = "UPDATE deliveries SET next_try = ?2 + ?3 WHERE id = ?1 AND state = 'pending' "
			"AND next_try <= ?2",
	[W_CONTACT] = "SELECT abuse_contact FROM constituency WHERE org_id = ?1 ORDER BY id LIMIT 1",
	[W_WARN_LIST] = "SELECT " WARN_COLS " FROM warnings WHERE id > ?1 ORDER BY id LIMIT ?2",
};

static sqlite3_stmt *q_(store_t *st, int w)
{
	return sq_prepared(st, w, wsql[w]);
}

static void txt(sqlite3_stmt *q, int i, const char *v)
{
	sqlite3_bind_text(q, i, v ? v : "", -1, SQLITE_STATIC);
}

static void col(sqlite3_stmt *q, int i, char *dst, size_t size)
{
	const unsigned char *v = sqlite3_column_text(q, i);
	snprintf(dst, size, "%s", v ? (const char *)v : "");
}

/* Step a statement that returns no rows. */
static int done(store_t *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, what);
}

static int end_rows(store_t *st, sqlite3_stmt *q, int rc, const char *what)
{
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_error(st, what);
}

/* ---- feeds ---- */

/* A feed's configuration as parameters 2 to 11 (url .. every), the same
 * order in the insert and the update. */
static void bind_feed_config(sqlite3_stmt *q, const store_feed_t *f)
{
	txt(q, 2, f->url);
	txt(q, 3, f->path);
	txt(q, 4, f->format);
	txt(q, 5, f->classification);
	txt(q, 6, f->column);
	txt(q, 7, f->policy);
	sqlite3_bind_int(q, 8, (int)f->tlp);
	sqlite3_bind_int(q, 9, f->confidence);
	sqlite3_bind_int(q, 10, f->enabled);
	sqlite3_bind_int64(q, 11, f->every);
}

int sq_feed_add(store_t *st, store_feed_t *f)
{
	sqlite3_stmt *q = q_(st, W_FEED_ADD);
	if (!q)
		return STORE_ERR;
	f->created = (int64_t)time(NULL);
	txt(q, 1, f->name);
	bind_feed_config(q, f);
	sqlite3_bind_int64(q, 12, f->created);
	int rc = done(st, q, "add feed");
	if (rc == STORE_OK)
		f->id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return rc;
}

int sq_feed_update(store_t *st, const store_feed_t *f)
{
	sqlite3_stmt *q = q_(st, W_FEED_UPD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, f->id);
	bind_feed_config(q, f);
	txt(q, 12, f->etag);
	txt(q, 13, f->last_modified);
	txt(q, 14, f->last_error);
	sqlite3_bind_int64(q, 15, f->last_run);
	sqlite3_bind_int64(q, 16, f->last_ok);
	sqlite3_bind_int64(q, 17, f->next_run);
	sqlite3_bind_int64(q, 18, f->failures);
	sqlite3_bind_int64(q, 19, f->records);
	sqlite3_bind_int64(q, 20, f->events);
	sqlite3_bind_int64(q, 21, f->skipped);
	int rc = done(st, q, "update feed");
	if (rc == STORE_OK && sqlite3_changes(sqlite3_db_handle(q)) == 0)
		return STORE_ENOTFOUND;
	return rc;
}

static void feed_row(sqlite3_stmt *q, store_feed_t *f)
{
	memset(f, 0, sizeof *f);
	f->id = sqlite3_column_int64(q, 0);
	col(q, 1, f->name, sizeof f->name);
	col(q, 2, f->url, sizeof f->url);
	col(q, 3, f->path, sizeof f->path);
	col(q, 4, f->format, sizeof f->format);
	col(q, 5, f->classification, sizeof f->classification);
	col(q, 6, f->column, sizeof f->column);
	col(q, 7, f->policy, sizeof f->policy);
	f->tlp = (tlp_t)sqlite3_column_int(q, 8);
	f->confidence = sqlite3_column_int(q, 9);
	f->enabled = sqlite3_column_int(q, 10);
	f->every = sqlite3_column_int64(q, 11);
	f->created = sqlite3_column_int64(q, 12);
	col(q, 13, f->etag, sizeof f->etag);
	col(q, 14, f->last_modified, sizeof f->last_modified);
	col(q, 15, f->last_error, sizeof f->last_error);
	f->last_run = sqlite3_column_int64(q, 16);
	f->last_ok = sqlite3_column_int64(q, 17);
	f->next_run = sqlite3_column_int64(q, 18);
	f->failures = sqlite3_column_int64(q, 19);
	f->records = sqlite3_column_int64(q, 20);
	f->events = sqlite3_column_int64(q, 21);
	f->skipped = sqlite3_column_int64(q, 22);
}

int sq_feed_get(store_t *st, const char *name, store_feed_t *out)
{
	sqlite3_stmt *q = q_(st, W_FEED_GET);
	if (!q)
		return STORE_ERR;
	txt(q, 1, name);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		feed_row(q, out);
		sqlite3_reset(q);
		return STORE_OK;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_error(st, "get feed");
	snprintf(st->err, sizeof st->err, "no feed '%s'", name);
	return STORE_ENOTFOUND;
}

int sq_feed_delete(store_t *st, const char *name)
{
	sqlite3_stmt *q = q_(st, W_FEED_DEL);
	if (!q)
		return STORE_ERR;
	txt(q, 1, name);
	int rc = done(st, q, "delete feed");
	if (rc == STORE_OK && sqlite3_changes(sqlite3_db_handle(q)) == 0) {
		snprintf(st->err, sizeof st->err, "no feed '%s'", name);
		return STORE_ENOTFOUND;
	}
	return rc;
}

int sq_feed_list(store_t *st, store_feed_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_FEED_LIST);
	store_feed_t f;
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		feed_row(q, &f);
		if (cb(arg, &f))
			break;
	}
	return end_rows(st, q, rc, "list feeds");
}

/* A statement made per call: the indicators' sources are read rarely
 * (a trust set naming a source) and in one scan. */
int sq_source_list(store_t *st, store_name_cb cb, void *arg)
{
	sqlite3_stmt *q;
	int rc;
	if (sqlite3_prepare_v2(sq_db(st),
			       "SELECT name FROM feeds UNION SELECT source FROM indicators "
			       "ORDER BY 1 COLLATE NOCASE", -1, &q, NULL) != SQLITE_OK)
		return sq_error(st, "list sources");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(q, 0);
		if (v && *v && cb(arg, (const char *)v))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_error(st, "list sources");
	sqlite3_finalize(q);
	return rc;
}

/* ---- events and notices ---- */

int sq_event_add(store_t *st, store_event_t *e)
{
	sqlite3_stmt *q = q_(st, W_EV_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, e->feed_id);
	sqlite3_bind_text(q, 2, obs_type_name(e->type), -1, SQLITE_STATIC);
	txt(q, 3, e->value);
	txt(q, 4, e->classification);
	sqlite3_bind_int(q, 5, (int)e->tlp);
	sqlite3_bind_int64(q, 6, e->source_time);
	sqlite3_bind_int64(q, 7, e->observed);
	sqlite3_bind_int64(q, 8, e->line);
	txt(q, 9, e->raw);
	sqlite3_bind_int(q, 10, e->confidence);
	sqlite3_bind_int64(q, 11, e->last_seen);
	sqlite3_bind_int64(q, 12, e->valid_until);
	int rc = done(st, q, "add event");
	if (rc == STORE_OK)
		e->id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return rc;
}

static int event_rows(store_t *st, sqlite3_stmt *q, store_event_cb cb, void *arg)
{
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_event_t e = {
			.id = sqlite3_column_int64(q, 0), .feed_id = sqlite3_column_int64(q, 1),
			.type = obs_type_from_name((const char *)sqlite3_column_text(q, 2)),
			.value = (const char *)sqlite3_column_text(q, 3),
			.classification = (const char *)sqlite3_column_text(q, 4),
			.tlp = (tlp_t)sqlite3_column_int(q, 5),
			.source_time = sqlite3_column_int64(q, 6),
			.observed = sqlite3_column_int64(q, 7), .line = (long)sqlite3_column_int64(q, 8),
			.raw = (const char *)sqlite3_column_text(q, 9),
			.feed = (const char *)sqlite3_column_text(q, 10),
			.confidence = sqlite3_column_int(q, 11),
			.last_seen = sqlite3_column_int64(q, 12),
			.valid_until = sqlite3_column_int64(q, 13),
		};
		if (cb(arg, &e))
			break;
	}
	return end_rows(st, q, rc, "list events");
}

int sq_event_recent(store_t *st, int64_t feed_id, int64_t since, store_event_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_EV_RECENT);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, feed_id);
	return event_rows(st, q, cb, arg);
}

int sq_event_range(store_t *st, int64_t feed_id, int64_t from, int64_t to, store_event_cb cb,
		   void *arg)
{
	sqlite3_stmt *q = q_(st, W_EV_RANGE);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, feed_id);
	sqlite3_bind_int64(q, 2, from);
	sqlite3_bind_int64(q, 3, to);
	return event_rows(st, q, cb, arg);
}

int sq_feed_run_put(store_t *st, store_feed_run_t *r)
{
	sqlite3_stmt *q = q_(st, r->id ? W_RUN_UPD : W_RUN_ADD);
	if (!q)
		return STORE_ERR;
	if (r->id) {
		sqlite3_bind_int64(q, 1, r->id);
		sqlite3_bind_int64(q, 2, r->last_event);
		sqlite3_bind_int64(q, 3, r->pending);
		return done(st, q, "feed run");
	}
	sqlite3_bind_int64(q, 1, r->feed_id);
	sqlite3_bind_int64(q, 2, r->org_id);
	sqlite3_bind_int64(q, 3, r->observed);
	sqlite3_bind_int64(q, 4, r->first_event);
	sqlite3_bind_int64(q, 5, r->last_event);
	sqlite3_bind_int64(q, 6, r->pending);
	int rc = done(st, q, "feed run");
	if (rc == STORE_OK)
		r->id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return rc;
}

int sq_feed_run_pending(store_t *st, store_feed_run_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_RUN_PENDING);
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_feed_run_t r = {
			.id = sqlite3_column_int64(q, 0), .feed_id = sqlite3_column_int64(q, 1),
			.org_id = sqlite3_column_int64(q, 2), .observed = sqlite3_column_int64(q, 3),
			.first_event = sqlite3_column_int64(q, 4),
			.last_event = sqlite3_column_int64(q, 5), .pending = sqlite3_column_int64(q, 6),
		};
		snprintf(r.feed, sizeof r.feed, "%s", (const char *)sqlite3_column_text(q, 7));
		if (cb(arg, &r))
			break;
	}
	return end_rows(st, q, rc, "pending feed runs");
}

int sq_event_list(store_t *st, const store_event_filter_t *f, store_event_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_EV_LIST);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, f->org_id);
	sqlite3_bind_int64(q, 2, f->delivery_id);
	sqlite3_bind_int64(q, 3, f->after_id);
	sqlite3_bind_int(q, 4, f->limit > 0 ? f->limit : -1);
	return event_rows(st, q, cb, arg);
}

int sq_notice_add(store_t *st, int64_t event_id, int64_t org_id, int64_t due)
{
	sqlite3_stmt *q = q_(st, W_NOT_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, org_id);
	sqlite3_bind_int64(q, 2, event_id);
	sqlite3_bind_int64(q, 3, due);
	return done(st, q, "add notice");
}

int sq_notice_due(store_t *st, int64_t now, store_id_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_NOT_DUE);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, now);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (cb(arg, sqlite3_column_int64(q, 0)))
			break;
	return end_rows(st, q, rc, "due notices");
}

int sq_notice_assign(store_t *st, int64_t org_id, int64_t now, int64_t delivery_id, int64_t *n,
		     tlp_t *max_tlp)
{
	sqlite3_stmt *q = q_(st, W_NOT_ASSIGN), *c;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, org_id);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, delivery_id);
	int rc = done(st, q, "assign notices");
	if (rc || !(c = q_(st, W_NOT_STAT)))
		return rc ? rc : STORE_ERR;
	sqlite3_bind_int64(c, 1, delivery_id);
	if ((rc = sqlite3_step(c)) != SQLITE_ROW)
		return end_rows(st, c, rc, "count notices"), STORE_ERR;
	*n = sqlite3_column_int64(c, 0);
	*max_tlp = (tlp_t)sqlite3_column_int(c, 1);
	sqlite3_reset(c);
	return STORE_OK;
}

/* ---- deliveries ---- */

int sq_delivery_add(store_t *st, store_delivery_t *d)
{
	sqlite3_stmt *q = q_(st, W_DEL_ADD);
	if (!q)
		return STORE_ERR;
	d->created = (int64_t)time(NULL);
	sqlite3_bind_int64(q, 1, d->org_id);
	txt(q, 2, d->kind);
	sqlite3_bind_int64(q, 3, d->warning_id);
	txt(q, 4, d->channel);
	txt(q, 5, d->target);
	sqlite3_bind_int(q, 6, (int)d->tlp);
	sqlite3_bind_int64(q, 7, d->events);
	sqlite3_bind_int64(q, 8, d->created);
	sqlite3_bind_int64(q, 9, d->next_try ? d->next_try : d->created);
	int rc = done(st, q, "add delivery");
	if (rc == STORE_OK) {
		d->id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
		snprintf(d->state, sizeof d->state, "pending");
	}
	return rc;
}

int sq_delivery_update(store_t *st, const store_delivery_t *d)
{
	sqlite3_stmt *q = q_(st, W_DEL_UPD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, d->id);
	txt(q, 2, d->state);
	sqlite3_bind_int(q, 3, d->attempts);
	sqlite3_bind_int64(q, 4, d->next_try);
	sqlite3_bind_int64(q, 5, d->sent_at);
	txt(q, 6, d->last_error);
	sqlite3_bind_int64(q, 7, d->events);
	sqlite3_bind_int(q, 8, (int)d->tlp);
	return done(st, q, "update delivery");
}

int sq_delivery_list(store_t *st, const store_delivery_filter_t *f, store_delivery_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_DEL_LIST);
	int rc;
	if (!q)
		return STORE_ERR;
	if (f->state)
		txt(q, 1, f->state);
	sqlite3_bind_int64(q, 2, f->org_id);
	sqlite3_bind_int64(q, 3, f->due_by);
	sqlite3_bind_int64(q, 4, f->after_id);
	sqlite3_bind_int(q, 5, f->limit > 0 ? f->limit : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_delivery_t d = {
			.id = sqlite3_column_int64(q, 0), .org_id = sqlite3_column_int64(q, 1),
			.warning_id = sqlite3_column_int64(q, 3), .tlp = (tlp_t)sqlite3_column_int(q, 6),
			.events = sqlite3_column_int64(q, 7), .created = sqlite3_column_int64(q, 8),
			.attempts = sqlite3_column_int(q, 10), .next_try = sqlite3_column_int64(q, 11),
			.sent_at = sqlite3_column_int64(q, 12),
		};
		col(q, 2, d.kind, sizeof d.kind);
		col(q, 4, d.channel, sizeof d.channel);
		col(q, 5, d.target, sizeof d.target);
		col(q, 9, d.state, sizeof d.state);
		col(q, 13, d.last_error, sizeof d.last_error);
		col(q, 14, d.org_name, sizeof d.org_name);
		if (cb(arg, &d))
			break;
	}
	return end_rows(st, q, rc, "list deliveries");
}

int sq_delivery_claim(store_t *st, int64_t id, int64_t now, int64_t lease)
{
	sqlite3_stmt *q = q_(st, W_DEL_CLAIM);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, lease);
	int rc = done(st, q, "claim delivery");
	return rc ? rc : sqlite3_changes(sqlite3_db_handle(q)) == 1;
}

/* ---- preferences ---- */

int sq_prefs_get(store_t *st, int64_t org_id, store_prefs_t *out)
{
	sqlite3_stmt *q = q_(st, W_PREF_GET);
	if (!q)
		return STORE_ERR;
	memset(out, 0, sizeof *out);
	snprintf(out->channel, sizeof out->channel, "email");
	snprintf(out->frequency, sizeof out->frequency, "daily");
	sqlite3_bind_int64(q, 1, org_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		col(q, 0, out->channel, sizeof out->channel);
		col(q, 1, out->frequency, sizeof out->frequency);
		col(q, 2, out->webhook, sizeof out->webhook);
		col(q, 3, out->secret, sizeof out->secret);
		col(q, 4, out->contact_247, sizeof out->contact_247);
		col(q, 5, out->webhook_247, sizeof out->webhook_247);
	}
	return end_rows(st, q, rc, "get preferences");
}

int sq_prefs_set(store_t *st, int64_t org_id, const store_prefs_t *p)
{
	sqlite3_stmt *q = q_(st, W_PREF_SET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, org_id);
	txt(q, 2, p->channel);
	txt(q, 3, p->frequency);
	txt(q, 4, p->webhook);
	txt(q, 5, p->secret);
	txt(q, 6, p->contact_247);
	txt(q, 7, p->webhook_247);
	return done(st, q, "set preferences");
}

int sq_res_contact(store_t *st, int64_t org_id, char *out, size_t outlen)
{
	sqlite3_stmt *q = q_(st, W_CONTACT);
	if (!q)
		return STORE_ERR;
	out[0] = '\0';
	sqlite3_bind_int64(q, 1, org_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		col(q, 0, out, outlen);
	return end_rows(st, q, rc, "abuse contact");
}

/* ---- warnings ---- */

int sq_warning_add(store_t *st, store_warning_t *w)
{
	sqlite3_stmt *q = q_(st, W_WARN_ADD);
	if (!q)
		return STORE_ERR;
	w->created = (int64_t)time(NULL);
	sqlite3_bind_int64(q, 1, w->org_id);
	txt(q, 2, w->author);
	txt(q, 3, w->title);
	txt(q, 4, w->classification);
	txt(q, 5, w->severity);
	sqlite3_bind_int(q, 6, (int)w->tlp);
	txt(q, 7, w->audience);
	txt(q, 8, w->observables);
	sqlite3_bind_int64(q, 9, w->created);
	int rc = done(st, q, "add warning");
	if (rc == STORE_OK)
		w->id = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return rc;
}

static void warn_row(sqlite3_stmt *q, store_warning_t *w)
{
	memset(w, 0, sizeof *w);
	w->id = sqlite3_column_int64(q, 0);
	w->org_id = sqlite3_column_int64(q, 1);
	col(q, 2, w->author, sizeof w->author);
	col(q, 3, w->title, sizeof w->title);
	col(q, 4, w->classification, sizeof w->classification);
	col(q, 5, w->severity, sizeof w->severity);
	w->tlp = (tlp_t)sqlite3_column_int(q, 6);
	col(q, 7, w->audience, sizeof w->audience);
	col(q, 8, w->observables, sizeof w->observables);
	w->created = sqlite3_column_int64(q, 9);
}

int sq_warning_get(store_t *st, int64_t id, store_warning_t *out)
{
	sqlite3_stmt *q = q_(st, W_WARN_GET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		warn_row(q, out);
		sqlite3_reset(q);
		return STORE_OK;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_error(st, "get warning");
	snprintf(st->err, sizeof st->err, "no warning %lld", (long long)id);
	return STORE_ENOTFOUND;
}

int sq_warning_list(store_t *st, int64_t after_id, int limit, store_warning_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, W_WARN_LIST);
	store_warning_t *w = malloc(sizeof *w);
	int rc = SQLITE_DONE;
	if (!q || !w) {
		free(w);
		return STORE_ERR;
	}
	sqlite3_bind_int64(q, 1, after_id);
	sqlite3_bind_int(q, 2, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		warn_row(q, w);
		if (cb(arg, w))
			break;
	}
	free(w);
	return end_rows(st, q, rc, "list warnings");
}
