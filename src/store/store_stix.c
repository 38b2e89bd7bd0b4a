/* store_stix.c — the SQLite back end's STIX tables (schema 11): objects as
 * they were received, one row per version, in the order they were added;
 * their named recipients; and the link from an indicator to the object it
 * was made from.  See store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

enum { X_PUT, X_SHARE, X_LINK, X_LIST, X_LIST_ID, X_PERMIT, X_PERMITTED, X_SHARES, X_LIST_DESC, X_RECIPIENTS, X_N };

#define X_COLS SQ_STIX_COLS
/* who may read: the view (SQ_VISIBLE), up to :tlpmax */
#define X_SEES SQ_VISIBLE("o.tlp", "o.org_id", SQ_NAMED_OBJ) " AND o.tlp <= :tlpmax"

static const char *const xsql[X_N] = {
	[X_PUT] = "INSERT INTO stix_objects(id, version, type, spec_version, tlp, org_id, added, "
		  "indexed, json, vus, origin) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	[X_SHARE] = "INSERT OR IGNORE INTO stix_recipients(rid, org_id) VALUES(?1, ?2)",
	[X_LINK] = "INSERT OR REPLACE INTO stix_made(ind_id, rid) VALUES(?1, ?2)",
	[X_LIST] = "SELECT " X_COLS " FROM stix_objects o WHERE o.rid > :after AND " X_SEES
		   " ORDER BY o.rid LIMIT :limit",
	[X_PERMIT] = "INSERT OR REPLACE INTO stix_permits(id, org_id, by_org, at) VALUES(?1, ?2, ?3, ?4)",
	[X_PERMITTED] = "SELECT 1 FROM stix_permits WHERE id = ?1 AND org_id = ?2",
	[X_SHARES] = "SELECT m.ind_id, r.org_id FROM stix_recipients r JOIN stix_made m ON m.rid = r.rid "
		     "ORDER BY m.ind_id, r.org_id",
	[X_LIST_ID] = "SELECT " X_COLS " FROM stix_objects o WHERE o.id = :id AND o.rid > :after AND "
		      X_SEES " ORDER BY o.rid LIMIT :limit",
	[X_LIST_DESC] = "SELECT " X_COLS " FROM stix_objects o WHERE (:before = 0 OR o.rid < :before) AND "
			X_SEES " ORDER BY o.rid DESC LIMIT :limit",
	[X_RECIPIENTS] = "SELECT rid, org_id FROM stix_recipients WHERE rid = ?1 ORDER BY org_id",
};

static sqlite3_stmt *q_(store_t *st, int x)
{
	return sq_prepared(st, SQ_STIX_SLOT + x, xsql[x]);
}

int sq_stix_put(store_t *st, store_stix_t *o)
{
	sqlite3_stmt *q = q_(st, X_PUT);
	if (!q)
		return STORE_ERR;
	o->added = sq_now_us();
	sqlite3_bind_text(q, 1, o->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, o->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, o->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, o->spec_version, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)o->tlp);
	sqlite3_bind_int64(q, 6, o->org_id);
	sqlite3_bind_int64(q, 7, o->added);
	sqlite3_bind_int(q, 8, o->indexed);
	sqlite3_bind_text(q, 9, o->json, o->json_len ? (int)o->json_len : -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 10, o->vus);
	sqlite3_bind_int64(q, 11, o->origin);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_error(st, "stix object");
	o->rid = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return STORE_OK;
}

static int two_ints(store_t *st, int x, int64_t a, int64_t b, const char *what)
{
	sqlite3_stmt *q = q_(st, x);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, a);
	sqlite3_bind_int64(q, 2, b);
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, what);
}

int sq_stix_share(store_t *st, int64_t rid, int64_t org_id)
{
	return two_ints(st, X_SHARE, rid, org_id, "stix recipient");
}

int sq_stix_link(store_t *st, int64_t ind_id, int64_t rid)
{
	return two_ints(st, X_LINK, ind_id, rid, "stix link");
}

static int pairs(store_t *st, sqlite3_stmt *q, store_share_cb cb, void *arg)
{
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (cb(arg, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)))
			break;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_error(st, "stix shares");
}

int sq_stix_shares(store_t *st, store_share_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, X_SHARES);
	return q ? pairs(st, q, cb, arg) : STORE_ERR;
}

int sq_stix_recipients(store_t *st, int64_t rid, store_share_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, X_RECIPIENTS);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, rid);
	return pairs(st, q, cb, arg);
}

void sq_stix_row(sqlite3_stmt *q, store_stix_t *o)
{
	o->rid = sqlite3_column_int64(q, 0);
	sq_text_col(o->id, sizeof o->id, q, 1);
	sq_text_col(o->version, sizeof o->version, q, 2);
	sq_text_col(o->type, sizeof o->type, q, 3);
	sq_text_col(o->spec_version, sizeof o->spec_version, q, 4);
	o->tlp = (tlp_t)sqlite3_column_int(q, 5);
	o->org_id = sqlite3_column_int64(q, 6);
	o->added = sqlite3_column_int64(q, 7);
	o->indexed = sqlite3_column_int(q, 8);
	o->json = (const char *)sqlite3_column_text(q, 9);
	o->json_len = (size_t)sqlite3_column_bytes(q, 9);
	o->vus = sqlite3_column_int64(q, 10);
	o->origin = sqlite3_column_int64(q, 11);
}

int sq_stix_list(store_t *st, const store_stix_filter_t *f, store_stix_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, f->id ? X_LIST_ID : f->newest_first ? X_LIST_DESC : X_LIST);
	store_stix_t *o;
	int rc;
	if (!q)
		return STORE_ERR;
	if (!(o = malloc(sizeof *o))) {
		snprintf(st->err, sizeof st->err, "out of memory");
		return STORE_ERR;
	}
	sq_bind_view(q, &f->view);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":tlpmax"), (int)f->tlp_max);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":after"), f->after_rid);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":limit"),
			 f->limit > 0 && f->limit <= 100000 ? f->limit : 100);
	if (f->id)
		sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":id"), f->id, -1, SQLITE_STATIC);
	else if (f->newest_first)
		sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":before"), f->before_rid);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sq_stix_row(q, o);
		if (cb(arg, o)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	free(o);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "stix objects");
}

int sq_stix_permit(store_t *st, const char *id, int64_t org_id, int64_t by_org)
{
	sqlite3_stmt *q = q_(st, X_PERMIT);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, org_id);
	sqlite3_bind_int64(q, 3, by_org);
	sqlite3_bind_int64(q, 4, sq_now_us() / 1000000);
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "stix permit");
}

int sq_stix_permitted(store_t *st, const char *id, int64_t org_id)
{
	sqlite3_stmt *q = q_(st, X_PERMITTED);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, org_id);
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : sq_error(st, "stix permit");
}
