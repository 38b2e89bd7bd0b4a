/* store_csaf.c — the SQLite back end's advisories (CSAF 2.0): the
 * advisories table (model, last published document and signature) and
 * each published revision (advisory_revisions).  See store_csaf.h.
 * Statements are prepared per call: advisories are written by people, not
 * feeds, so no cached slot is held for them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"
#include "store_csaf.h"

#define A_COLS "a.id, a.tracking_id, a.title, a.category, a.tlp, a.status, a.version, a.org_id, " \
	"a.mirror, a.source, a.initial_date, a.cur_date, a.created, a.updated"

void store_adv_clear(store_adv_t *a)
{
	free(a->data);
	free(a->doc);
	free(a->sig);
	a->data = a->doc = a->sig = NULL;
}

static int prep(store_t *st, const char *sql, sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(sq_db(st), sql, -1, q, NULL) != SQLITE_OK)
		return *q = NULL, sq_error(st, "advisories");
	return STORE_OK;
}

static int done(store_t *st, sqlite3_stmt *q, int rc)
{
	int r = rc == SQLITE_DONE || rc == SQLITE_ROW ? STORE_OK : sq_error(st, "advisories");
	sqlite3_finalize(q);
	return r;
}

static void row(sqlite3_stmt *q, store_adv_t *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(q, 0);
	sq_text_col(a->tracking_id, sizeof a->tracking_id, q, 1);
	sq_text_col(a->title, sizeof a->title, q, 2);
	sq_text_col(a->category, sizeof a->category, q, 3);
	a->tlp = (tlp_t)sqlite3_column_int(q, 4);
	sq_text_col(a->status, sizeof a->status, q, 5);
	a->version = sqlite3_column_int(q, 6);
	a->org_id = sqlite3_column_int64(q, 7);
	a->mirror = sqlite3_column_int(q, 8);
	sq_text_col(a->source, sizeof a->source, q, 9);
	a->initial_date = sqlite3_column_int64(q, 10);
	a->current_date = sqlite3_column_int64(q, 11);
	a->created = sqlite3_column_int64(q, 12);
	a->updated = sqlite3_column_int64(q, 13);
}

static char *dup_col(sqlite3_stmt *q, int c)
{
	const unsigned char *t = sqlite3_column_text(q, c);
	return t ? strdup((const char *)t) : NULL;
}

int sq_adv_put(store_t *st, store_adv_t *a)
{
	sqlite3_stmt *q;
	int rc;
	a->updated = sq_now_us() / 1000000;
	if (!a->id)
		a->created = a->updated;
	if (prep(st, a->id ? "UPDATE advisories SET tracking_id = ?2, title = ?3, category = ?4, tlp = ?5, "
			     "status = ?6, version = ?7, org_id = ?8, mirror = ?9, source = ?10, "
			     "initial_date = ?11, cur_date = ?12, created = ?13, updated = ?14, "
			     "data = ?15, doc = ?16, sig = ?17 WHERE id = ?1"
			   : "INSERT INTO advisories(tracking_id, title, category, tlp, status, version, "
			     "org_id, mirror, source, initial_date, cur_date, created, updated, data, "
			     "doc, sig) VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
			     "?16, ?17)", &q))
		return STORE_ERR;
	if (a->id)
		sqlite3_bind_int64(q, 1, a->id);
	sqlite3_bind_text(q, 2, a->tracking_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, a->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, a->category, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)a->tlp);
	sqlite3_bind_text(q, 6, a->status, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, a->version);
	sqlite3_bind_int64(q, 8, a->org_id);
	sqlite3_bind_int(q, 9, a->mirror);
	sqlite3_bind_text(q, 10, a->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 11, a->initial_date);
	sqlite3_bind_int64(q, 12, a->current_date);
	sqlite3_bind_int64(q, 13, a->created);
	sqlite3_bind_int64(q, 14, a->updated);
	sqlite3_bind_text(q, 15, a->data ? a->data : "{}", -1, SQLITE_STATIC);
	if (a->doc)
		sqlite3_bind_text(q, 16, a->doc, -1, SQLITE_STATIC);
	if (a->sig)
		sqlite3_bind_text(q, 17, a->sig, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		int r = sq_error(st, "advisories");
		sqlite3_finalize(q);
		return r;
	}
	if (!a->id)
		a->id = sqlite3_last_insert_rowid(sq_db(st));
	return done(st, q, rc);
}

static int get(store_t *st, const char *tracking_id, int64_t id, store_adv_t *out)
{
	sqlite3_stmt *q;
	int rc;
	memset(out, 0, sizeof *out);
	if (prep(st, tracking_id ? "SELECT " A_COLS ", a.data, a.doc, a.sig FROM advisories a WHERE a.tracking_id = ?1"
				 : "SELECT " A_COLS ", a.data, a.doc, a.sig FROM advisories a WHERE a.id = ?2", &q))
		return STORE_ERR;
	if (tracking_id)
		sqlite3_bind_text(q, 1, tracking_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, 2, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row(q, out);
		out->data = dup_col(q, 14);
		out->doc = dup_col(q, 15);
		out->sig = dup_col(q, 16);
		if (!out->data) {
			store_adv_clear(out);
			sqlite3_finalize(q);
			return STORE_ERR;
		}
	}
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(q);
		if (tracking_id)
			snprintf(st->err, sizeof st->err, "no advisory %s", tracking_id);
		else
			snprintf(st->err, sizeof st->err, "no advisory #%lld", (long long)id);
		return STORE_ENOTFOUND;
	}
	return done(st, q, rc);
}

int sq_adv_get(store_t *st, const char *tracking_id, store_adv_t *out)
{
	return get(st, tracking_id, 0, out);
}

int sq_adv_get_id(store_t *st, int64_t id, store_adv_t *out)
{
	return get(st, NULL, id, out);
}

int sq_adv_list(store_t *st, const tlp_view_t *v, int published, int mirrors, int64_t limit,
		   store_adv_cb cb, void *arg)
{
	sqlite3_stmt *q;
	store_adv_t a;
	int rc;
	if (prep(st, "SELECT " A_COLS " FROM advisories a WHERE " SQ_VISIBLE("a.tlp", "a.org_id", "0")
		     " AND (NOT :pub OR a.status = 'final') AND (:mir OR a.mirror = 0) "
		     "ORDER BY CASE WHEN a.status = 'final' THEN a.cur_date ELSE a.updated END DESC, "
		     "a.id DESC LIMIT :lim", &q))
		return STORE_ERR;
	sq_bind_view(q, v);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":pub"), published);
	sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":mir"), mirrors);
	sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, ":lim"), limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row(q, &a);
		if (cb(arg, &a)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return done(st, q, rc);
}

int sq_adv_rev_add(store_t *st, int64_t adv, int number, int64_t date, const char *summary,
		      const char *doc)
{
	sqlite3_stmt *q;
	if (prep(st, "INSERT INTO advisory_revisions(adv, number, date, summary, doc) "
		     "VALUES(?1, ?2, ?3, ?4, ?5)", &q))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, adv);
	sqlite3_bind_int(q, 2, number);
	sqlite3_bind_int64(q, 3, date);
	sqlite3_bind_text(q, 4, summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, doc, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_DONE) {
		int r = sq_error(st, "advisory revisions");
		sqlite3_finalize(q);
		return r;
	}
	return done(st, q, rc);
}

int sq_adv_revs(store_t *st, int64_t adv, store_adv_rev_cb cb, void *arg)
{
	sqlite3_stmt *q;
	int rc;
	if (prep(st, "SELECT number, date, summary FROM advisory_revisions WHERE adv = ?1 ORDER BY number", &q))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, adv);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW)
		if (cb(arg, sqlite3_column_int(q, 0), sqlite3_column_int64(q, 1),
		       (const char *)sqlite3_column_text(q, 2))) {
			rc = SQLITE_DONE;
			break;
		}
	return done(st, q, rc);
}
