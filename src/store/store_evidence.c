/* store_evidence.c — the SQLite back end's evidence tables (schema 12):
 * files attached to incidents, kept whole with their SHA-256, and the
 * custody records of each.  See store.h; the chain is made and checked by
 * src/evidence/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

enum { E_ADD, E_GET, E_LIST, E_LIST_ALL, C_ADD, C_LIST, E_N };
_Static_assert(SQ_EVID_SLOT + E_N <= SQ_WSTMT, "store_evidence.c's slots fit");

#define E_COLS "id, incident, name, size, sha256, org_id, tlp, added"

static const char *const esql[E_N] = {
	[E_ADD] = "INSERT INTO evidence(incident, name, size, sha256, org_id, tlp, added, data) "
		  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[E_GET] = "SELECT " E_COLS ", data FROM evidence WHERE id = ?1",
	[E_LIST] = "SELECT " E_COLS " FROM evidence WHERE incident = ?1 ORDER BY id",
	[E_LIST_ALL] = "SELECT " E_COLS " FROM evidence ORDER BY id",
	[C_ADD] = "INSERT INTO custody(evidence_id, at, actor, action, detail, prev, hash) "
		  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[C_LIST] = "SELECT seq, evidence_id, at, actor, action, detail, prev, hash FROM custody "
		   "WHERE evidence_id = ?1 ORDER BY seq",
};

static sqlite3_stmt *q_(store_t *st, int x)
{
	return sq_prepared(st, SQ_EVID_SLOT + x, esql[x]);
}

int sq_evidence_add(store_t *st, store_evidence_t *e)
{
	sqlite3_stmt *q = q_(st, E_ADD);
	if (!q)
		return STORE_ERR;
	e->added = sq_now_us() / 1000000;
	sqlite3_bind_text(q, 1, e->incident, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, e->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, e->size);
	sqlite3_bind_text(q, 4, e->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, e->org_id);
	sqlite3_bind_int(q, 6, (int)e->tlp);
	sqlite3_bind_int64(q, 7, e->added);
	sqlite3_bind_blob64(q, 8, e->data ? e->data : "", (sqlite3_uint64)e->size, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_error(st, "evidence");
	e->id = sqlite3_last_insert_rowid(sq_db(st));
	return STORE_OK;
}

static void row(sqlite3_stmt *q, store_evidence_t *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(q, 0);
	sq_text_col(e->incident, sizeof e->incident, q, 1);
	sq_text_col(e->name, sizeof e->name, q, 2);
	e->size = sqlite3_column_int64(q, 3);
	sq_text_col(e->sha256, sizeof e->sha256, q, 4);
	e->org_id = sqlite3_column_int64(q, 5);
	e->tlp = (tlp_t)sqlite3_column_int(q, 6);
	e->added = sqlite3_column_int64(q, 7);
}

int sq_evidence_get(store_t *st, int64_t id, store_evidence_t *out, void **data)
{
	sqlite3_stmt *q = q_(st, E_GET);
	int rc;
	if (data)
		*data = NULL;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row(q, out);
		if (data) {
			int n = sqlite3_column_bytes(q, 8);
			const void *b = sqlite3_column_blob(q, 8);
			if (!(*data = malloc(n > 0 ? (size_t)n : 1))) {
				sqlite3_reset(q);
				snprintf(st->err, sizeof st->err, "out of memory");
				return STORE_ERR;
			}
			if (n > 0)
				memcpy(*data, b, (size_t)n);
			out->size = n; /* what is there, whatever the row says */
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "evidence");
}

int sq_evidence_list(store_t *st, const char *incident, store_evidence_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, incident ? E_LIST : E_LIST_ALL);
	store_evidence_t e;
	int rc;
	if (!q)
		return STORE_ERR;
	if (incident)
		sqlite3_bind_text(q, 1, incident, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row(q, &e);
		if (cb(arg, &e)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "evidence");
}

int sq_custody_add(store_t *st, store_custody_t *c)
{
	sqlite3_stmt *q = q_(st, C_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, c->evidence_id);
	sqlite3_bind_int64(q, 2, c->at);
	sqlite3_bind_text(q, 3, c->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, c->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, c->prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, c->hash, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_error(st, "custody");
	c->seq = sqlite3_last_insert_rowid(sq_db(st));
	return STORE_OK;
}

int sq_custody_list(store_t *st, int64_t evidence_id, store_custody_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, C_LIST);
	store_custody_t c;
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, evidence_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		c.seq = sqlite3_column_int64(q, 0);
		c.evidence_id = sqlite3_column_int64(q, 1);
		c.at = sqlite3_column_int64(q, 2);
		sq_text_col(c.actor, sizeof c.actor, q, 3);
		sq_text_col(c.action, sizeof c.action, q, 4);
		sq_text_col(c.detail, sizeof c.detail, q, 5);
		sq_text_col(c.prev, sizeof c.prev, q, 6);
		sq_text_col(c.hash, sizeof c.hash, q, 7);
		if (cb(arg, &c)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "custody");
}
