/* store_mail.c — the SQLite back end of store_mail.h: mail threads and the
 * Message-IDs taken in.  Statements are prepared per call (a few per
 * message). */
#include <stdio.h>
#include <string.h>

#include "store_mail.h"
#include "store_sqlite_int.h"

static sqlite3_stmt *prep(store_t *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(sq_db(st), sql, -1, &q, NULL) != SQLITE_OK) {
		sq_error(st, "prepare");
		sqlite3_finalize(q);
		return NULL;
	}
	return q;
}

int sq_mail_thread_put(store_t *st, const store_mail_thread_t *t)
{
	sqlite3_stmt *q = prep(st, "INSERT OR REPLACE INTO mail_threads(case_id, addr, lang, root_id,"
				   " last_id, sent) VALUES(?, ?, ?, ?, ?, ?)");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, t->case_id);
	sqlite3_bind_text(q, 2, t->addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, t->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, t->root_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, t->last_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, t->sent);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "mail thread");
	sqlite3_finalize(q);
	return rc;
}

int sq_mail_thread_get(store_t *st, int64_t case_id, store_mail_thread_t *out)
{
	sqlite3_stmt *q = prep(st, "SELECT addr, lang, root_id, last_id, sent FROM mail_threads"
				   " WHERE case_id = ?");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	int s = sqlite3_step(q), rc;
	if (s == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->case_id = case_id;
		sq_text_col(out->addr, sizeof out->addr, q, 0);
		sq_text_col(out->lang, sizeof out->lang, q, 1);
		sq_text_col(out->root_id, sizeof out->root_id, q, 2);
		sq_text_col(out->last_id, sizeof out->last_id, q, 3);
		out->sent = sqlite3_column_int64(q, 4);
		rc = STORE_OK;
	} else {
		rc = s == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "mail thread");
	}
	sqlite3_finalize(q);
	return rc;
}

int sq_mail_seen_add(store_t *st, const char *message_id, int64_t case_id, int64_t at,
		     int64_t *case_id_out)
{
	sqlite3_stmt *q = prep(st, "SELECT case_id FROM mail_seen WHERE message_id = ?");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, message_id, -1, SQLITE_STATIC);
	int s = sqlite3_step(q);
	if (s == SQLITE_ROW) {
		if (case_id_out)
			*case_id_out = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		return STORE_EEXISTS;
	}
	sqlite3_finalize(q);
	if (s != SQLITE_DONE)
		return sq_error(st, "mail seen");
	q = prep(st, "INSERT INTO mail_seen(message_id, case_id, at) VALUES(?, ?, ?)");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, case_id);
	sqlite3_bind_int64(q, 3, at);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "mail seen");
	sqlite3_finalize(q);
	return rc;
}
