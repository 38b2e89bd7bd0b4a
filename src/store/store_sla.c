/* store_sla.c — the SQLite back end's SLA alerts table (see store_sla.h);
 * statements prepared per call (a few a minute). */
#include <stdio.h>
#include <string.h>

#include "store_sla.h"
#include "store_sqlite_int.h"

#define A_COLS "id, case_id, created, due, target, level, ref, subject, text"

static sqlite3_stmt *prep(store_t *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(sq_db(st), sql, -1, &q, NULL) != SQLITE_OK) {
		sq_error(st, "sla alerts");
		sqlite3_finalize(q);
		return NULL;
	}
	return q;
}

int sq_sla_alert_add(store_t *st, store_sla_alert_t *a)
{
	sqlite3_stmt *q = prep(st, "INSERT OR IGNORE INTO sla_alerts(case_id, created, due, target, "
				   "level, ref, subject, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, a->case_id);
	sqlite3_bind_int64(q, 2, a->created);
	sqlite3_bind_int64(q, 3, a->due);
	sqlite3_bind_text(q, 4, a->target, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, a->level, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, a->ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, a->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, a->text, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "sla alert");
	if (rc == STORE_OK && sqlite3_changes(sq_db(st)) == 0)
		rc = STORE_EEXISTS;
	else if (rc == STORE_OK)
		a->id = sqlite3_last_insert_rowid(sq_db(st));
	sqlite3_finalize(q);
	return rc;
}

static void row(sqlite3_stmt *q, store_sla_alert_t *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(q, 0);
	a->case_id = sqlite3_column_int64(q, 1);
	a->created = sqlite3_column_int64(q, 2);
	a->due = sqlite3_column_int64(q, 3);
	sq_text_col(a->target, sizeof a->target, q, 4);
	sq_text_col(a->level, sizeof a->level, q, 5);
	sq_text_col(a->ref, sizeof a->ref, q, 6);
	sq_text_col(a->subject, sizeof a->subject, q, 7);
	sq_text_col(a->text, sizeof a->text, q, 8);
}

int sq_sla_alert_get(store_t *st, int64_t id, store_sla_alert_t *out)
{
	sqlite3_stmt *q = prep(st, "SELECT " A_COLS " FROM sla_alerts WHERE id = ?1");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int s = sqlite3_step(q), rc = STORE_OK;
	if (s == SQLITE_ROW)
		row(q, out);
	else if (s == SQLITE_DONE) {
		snprintf(st->err, sizeof st->err, "sla alert %lld: not found", (long long)id);
		rc = STORE_ENOTFOUND;
	} else
		rc = sq_error(st, "sla alert");
	sqlite3_finalize(q);
	return rc;
}

int sq_sla_alert_list(store_t *st, int64_t case_id, int64_t after_id, int limit,
		      store_sla_alert_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT " A_COLS " FROM sla_alerts WHERE id > ?1 AND "
				   "(?2 = 0 OR case_id = ?2) ORDER BY id LIMIT ?3");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, after_id);
	sqlite3_bind_int64(q, 2, case_id);
	sqlite3_bind_int(q, 3, limit > 0 ? limit : 1000);
	int s, rc = STORE_OK;
	store_sla_alert_t a;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		row(q, &a);
		if (cb(arg, &a))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "sla alerts");
	sqlite3_finalize(q);
	return rc;
}

int sq_sla_alert_count(store_t *st, const char *level, int64_t *out)
{
	sqlite3_stmt *q = prep(st, "SELECT count(*) FROM sla_alerts WHERE level = ?1");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, level, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q) == SQLITE_ROW ? STORE_OK : sq_error(st, "sla alerts");
	*out = rc ? 0 : sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return rc;
}
