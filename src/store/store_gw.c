/* store_gw.c — the SQLite back end's gateway tables: directory entries,
 * resources and their attachments, news items, and the search index (an
 * FTS5 table, unicode61 with diacritics removed, beside gw_docs, which holds
 * each document's facets and visibility).  See store_gw.h; the rules are in
 * src/gw/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_gw.h"
#include "store_sqlite_int.h"

enum {
	E_ADD, E_SET, E_GET, E_LIST,
	R_ADD, R_SET, R_GET, R_LIST,
	N_ADD, N_SET, N_GET, N_LIST,
	F_PUT, F_DEL, F_GET, F_SIZE,
	D_FIND, D_ADD, D_SET, D_FTS_DEL, D_FTS_ADD, D_DEL, D_TEXT,
	M_GEN, G_N
};
_Static_assert(SQ_GW_SLOT + G_N <= SQ_WSTMT, "store_gw.c's slots fit");

#define E_COLS "id, org_id, kind, name, stakeholder, country, sector, areas, description, website, " \
	"email, phone, pgp, x509, status, created, updated"
#define R_COLS "r.id, r.org_id, r.type, r.title, r.summary, r.areas, r.stakeholder, r.country, " \
	"r.lang, r.link, coalesce(f.name, ''), coalesce(length(f.data), 0), r.tlp, r.status, "     \
	"r.created, r.updated"
#define R_FROM " FROM gw_resources r LEFT JOIN gw_files f ON f.res_id = r.id"
#define N_COLS "id, org_id, title, body, areas, tlp, status, created, updated"
/* the lists' common filters (named parameters, "" / 0 for any) */
#define L_FILTER(p) "(:status = '' OR " p "status = :status) AND (:org = 0 OR " p "org_id = :org) " \
	"AND (:areas = 0 OR (" p "areas & :areas) <> 0) AND (:after = 0 OR " p "id < :after) "
#define D_COLS "d.kind, d.ref, d.title, d.id, d.tlp, d.org_id, d.areas, d.stakeholder, d.country, " \
	"d.lang, d.type, d.url, d.updated"

static const char *const gsql[G_N] = {
	[E_ADD] = "INSERT INTO gw_entries(org_id, kind, name, stakeholder, country, sector, areas, "
		  "description, website, email, phone, pgp, x509, status, created, updated) "
		  "VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[E_SET] = "UPDATE gw_entries SET org_id = ?2, kind = ?3, name = ?4, stakeholder = ?5, "
		  "country = ?6, sector = ?7, areas = ?8, description = ?9, website = ?10, email = ?11, "
		  "phone = ?12, pgp = ?13, x509 = ?14, status = ?15, updated = ?17 WHERE id = ?1",
	[E_GET] = "SELECT " E_COLS " FROM gw_entries WHERE id = ?1",
	[E_LIST] = "SELECT " E_COLS " FROM gw_entries WHERE " L_FILTER("")
		   "AND (:kind = '' OR kind = :kind) AND (:stk = '' OR stakeholder = :stk) "
		   "AND (:country = '' OR country = :country) ORDER BY name COLLATE NOCASE, id LIMIT :limit",
	[R_ADD] = "INSERT INTO gw_resources(org_id, type, title, summary, areas, stakeholder, country, "
		  "lang, link, tlp, status, created, updated) "
		  "VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	[R_SET] = "UPDATE gw_resources SET org_id = ?2, type = ?3, title = ?4, summary = ?5, areas = ?6, "
		  "stakeholder = ?7, country = ?8, lang = ?9, link = ?10, tlp = ?11, status = ?12, "
		  "updated = ?14 WHERE id = ?1",
	[R_GET] = "SELECT " R_COLS R_FROM " WHERE r.id = ?1",
	[R_LIST] = "SELECT " R_COLS R_FROM " WHERE " L_FILTER("r.")
		   "AND (:kind = '' OR r.type = :kind) AND (:stk = '' OR r.stakeholder = :stk) "
		   "AND (:country = '' OR r.country = :country) AND (:lang = '' OR r.lang = :lang) AND "
		   SQ_VISIBLE("r.tlp", "r.org_id", "0") " ORDER BY r.id DESC LIMIT :limit",
	[N_ADD] = "INSERT INTO gw_news(org_id, title, body, areas, tlp, status, created, updated) "
		  "VALUES(?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[N_SET] = "UPDATE gw_news SET org_id = ?2, title = ?3, body = ?4, areas = ?5, tlp = ?6, "
		  "status = ?7, updated = ?9 WHERE id = ?1",
	[N_GET] = "SELECT " N_COLS " FROM gw_news WHERE id = ?1",
	[N_LIST] = "SELECT " N_COLS " FROM gw_news n WHERE " L_FILTER("n.") "AND "
		   SQ_VISIBLE("n.tlp", "n.org_id", "0") " ORDER BY id DESC LIMIT :limit",
	[F_PUT] = "INSERT OR REPLACE INTO gw_files(res_id, name, data) VALUES(?1, ?2, ?3)",
	[F_DEL] = "DELETE FROM gw_files WHERE res_id = ?1",
	[F_GET] = "SELECT name, data FROM gw_files WHERE res_id = ?1",
	[F_SIZE] = "UPDATE gw_resources SET updated = updated WHERE id = ?1",
	[D_FIND] = "SELECT id FROM gw_docs WHERE kind = ?1 AND ref = ?2",
	[D_ADD] = "INSERT INTO gw_docs(kind, ref, title, tlp, org_id, areas, stakeholder, country, lang, "
		  "type, url, updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[D_SET] = "UPDATE gw_docs SET title = ?3, tlp = ?4, org_id = ?5, areas = ?6, stakeholder = ?7, "
		  "country = ?8, lang = ?9, type = ?10, url = ?11, updated = ?12 WHERE kind = ?1 AND ref = ?2",
	[D_FTS_DEL] = "DELETE FROM gw_fts WHERE rowid = ?1",
	[D_FTS_ADD] = "INSERT INTO gw_fts(rowid, title, text) VALUES(?1, ?2, ?3)",
	[D_DEL] = "DELETE FROM gw_docs WHERE id = ?1",
	[D_TEXT] = "SELECT substr(text, 1, ?2) FROM gw_fts WHERE rowid = ?1",
	[M_GEN] = "SELECT gen, changed FROM gw_meta",
};

static sqlite3_stmt *q_(store_t *st, int x)
{
	return sq_prepared(st, SQ_GW_SLOT + x, gsql[x]);
}

static void bind_s(sqlite3_stmt *q, const char *name, const char *v)
{
	int k = sqlite3_bind_parameter_index(q, name);
	if (k)
		sqlite3_bind_text(q, k, v ? v : "", -1, SQLITE_STATIC);
}

static void bind_i(sqlite3_stmt *q, const char *name, int64_t v)
{
	int k = sqlite3_bind_parameter_index(q, name);
	if (k)
		sqlite3_bind_int64(q, k, v);
}

/* Run a write statement q to its end; STORE_OK or the error. */
static int done(store_t *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, what);
}

/* Bind a list filter's common parameters. */
static void bind_filter(sqlite3_stmt *q, const store_gw_filter_t *f)
{
	bind_s(q, ":status", f->status);
	bind_i(q, ":org", f->org_id);
	bind_i(q, ":areas", f->areas);
	bind_i(q, ":after", f->after_id);
	bind_s(q, ":kind", f->kind_or_type);
	bind_s(q, ":stk", f->stakeholder);
	bind_s(q, ":country", f->country);
	bind_s(q, ":lang", f->lang);
	bind_i(q, ":limit", f->limit > 0 && f->limit <= 100000 ? f->limit : 100);
	sq_bind_view(q, &f->view);
}

/* ---- directory entries ---- */

static void entry_row(sqlite3_stmt *q, store_gw_entry_t *e)
{
	e->id = sqlite3_column_int64(q, 0);
	e->org_id = sqlite3_column_int64(q, 1);
	sq_text_col(e->kind, sizeof e->kind, q, 2);
	sq_text_col(e->name, sizeof e->name, q, 3);
	sq_text_col(e->stakeholder, sizeof e->stakeholder, q, 4);
	sq_text_col(e->country, sizeof e->country, q, 5);
	sq_text_col(e->sector, sizeof e->sector, q, 6);
	e->areas = (unsigned)sqlite3_column_int(q, 7);
	sq_text_col(e->description, sizeof e->description, q, 8);
	sq_text_col(e->website, sizeof e->website, q, 9);
	sq_text_col(e->email, sizeof e->email, q, 10);
	sq_text_col(e->phone, sizeof e->phone, q, 11);
	sq_text_col(e->pgp, sizeof e->pgp, q, 12);
	sq_text_col(e->x509, sizeof e->x509, q, 13);
	sq_text_col(e->status, sizeof e->status, q, 14);
	e->created = sqlite3_column_int64(q, 15);
	e->updated = sqlite3_column_int64(q, 16);
}

int sq_gw_entry_put(store_t *st, store_gw_entry_t *e)
{
	int64_t now = sq_now_us() / 1000000;
	sqlite3_stmt *q = q_(st, e->id ? E_SET : E_ADD);
	if (!q)
		return STORE_ERR;
	if (!e->id)
		e->created = now;
	e->updated = now;
	sqlite3_bind_int64(q, 1, e->id);
	sqlite3_bind_int64(q, 2, e->org_id);
	sqlite3_bind_text(q, 3, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, e->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, e->stakeholder, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, e->country, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, e->sector, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, e->areas);
	sqlite3_bind_text(q, 9, e->description, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, e->website, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, e->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 12, e->phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 13, e->pgp, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 14, e->x509, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 15, e->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 16, e->created);
	sqlite3_bind_int64(q, 17, e->updated);
	int was = e->id != 0;
	int rc = done(st, q, "gateway entry");
	if (!rc && !was)
		e->id = sqlite3_last_insert_rowid(sq_db(st));
	else if (!rc && !sqlite3_changes(sq_db(st)))
		rc = STORE_ENOTFOUND;
	return rc;
}

int sq_gw_entry_get(store_t *st, int64_t id, store_gw_entry_t *out)
{
	sqlite3_stmt *q = q_(st, E_GET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		entry_row(q, out);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "gateway entry");
}

int sq_gw_entry_list(store_t *st, const store_gw_filter_t *f, store_gw_entry_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, E_LIST);
	store_gw_entry_t *e = malloc(sizeof *e);
	int rc;
	if (!q || !e) {
		free(e);
		return q ? (snprintf(st->err, sizeof st->err, "out of memory"), STORE_ERR) : STORE_ERR;
	}
	bind_filter(q, f);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		entry_row(q, e);
		if (cb(arg, e)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	free(e);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "gateway entries");
}

/* ---- resources ---- */

static void res_row(sqlite3_stmt *q, store_gw_res_t *r)
{
	r->id = sqlite3_column_int64(q, 0);
	r->org_id = sqlite3_column_int64(q, 1);
	sq_text_col(r->type, sizeof r->type, q, 2);
	sq_text_col(r->title, sizeof r->title, q, 3);
	sq_text_col(r->summary, sizeof r->summary, q, 4);
	r->areas = (unsigned)sqlite3_column_int(q, 5);
	sq_text_col(r->stakeholder, sizeof r->stakeholder, q, 6);
	sq_text_col(r->country, sizeof r->country, q, 7);
	sq_text_col(r->lang, sizeof r->lang, q, 8);
	sq_text_col(r->link, sizeof r->link, q, 9);
	sq_text_col(r->file_name, sizeof r->file_name, q, 10);
	r->file_size = sqlite3_column_int64(q, 11);
	r->tlp = (tlp_t)sqlite3_column_int(q, 12);
	sq_text_col(r->status, sizeof r->status, q, 13);
	r->created = sqlite3_column_int64(q, 14);
	r->updated = sqlite3_column_int64(q, 15);
}

int sq_gw_res_put(store_t *st, store_gw_res_t *r)
{
	int64_t now = sq_now_us() / 1000000;
	sqlite3_stmt *q = q_(st, r->id ? R_SET : R_ADD);
	if (!q)
		return STORE_ERR;
	if (!r->id)
		r->created = now;
	r->updated = now;
	sqlite3_bind_int64(q, 1, r->id);
	sqlite3_bind_int64(q, 2, r->org_id);
	sqlite3_bind_text(q, 3, r->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, r->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->summary, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, r->areas);
	sqlite3_bind_text(q, 7, r->stakeholder, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, r->country, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, r->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, r->link, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 11, (int)r->tlp);
	sqlite3_bind_text(q, 12, r->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 13, r->created);
	sqlite3_bind_int64(q, 14, r->updated);
	int was = r->id != 0;
	int rc = done(st, q, "gateway resource");
	if (!rc && !was)
		r->id = sqlite3_last_insert_rowid(sq_db(st));
	else if (!rc && !sqlite3_changes(sq_db(st)))
		rc = STORE_ENOTFOUND;
	return rc;
}

int sq_gw_res_get(store_t *st, int64_t id, store_gw_res_t *out)
{
	sqlite3_stmt *q = q_(st, R_GET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		res_row(q, out);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "gateway resource");
}

int sq_gw_res_list(store_t *st, const store_gw_filter_t *f, store_gw_res_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, R_LIST);
	store_gw_res_t *r = malloc(sizeof *r);
	int rc;
	if (!q || !r) {
		free(r);
		return q ? (snprintf(st->err, sizeof st->err, "out of memory"), STORE_ERR) : STORE_ERR;
	}
	bind_filter(q, f);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		res_row(q, r);
		if (cb(arg, r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	free(r);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "gateway resources");
}

int sq_gw_file_put(store_t *st, int64_t res_id, const void *data, size_t n, const char *name)
{
	sqlite3_stmt *q = q_(st, n ? F_PUT : F_DEL);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, res_id);
	if (n) {
		sqlite3_bind_text(q, 2, name ? name : "", -1, SQLITE_STATIC);
		sqlite3_bind_blob64(q, 3, data, n, SQLITE_STATIC);
	}
	int rc = done(st, q, "gateway file");
	if (rc)
		return rc;
	/* the resource changes with its file (the gateway's generation) */
	if (!(q = q_(st, F_SIZE)))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, res_id);
	return done(st, q, "gateway file");
}

int sq_gw_file_get(store_t *st, int64_t res_id, void **data, size_t *n, char *name, size_t namelen)
{
	sqlite3_stmt *q = q_(st, F_GET);
	*data = NULL;
	*n = 0;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, res_id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		sq_text_col(name, namelen, q, 0);
		*n = (size_t)sqlite3_column_bytes(q, 1);
		if ((*data = malloc(*n ? *n : 1)))
			memcpy(*data, sqlite3_column_blob(q, 1), *n);
	}
	sqlite3_reset(q);
	if (rc == SQLITE_ROW && !*data)
		return snprintf(st->err, sizeof st->err, "out of memory"), STORE_ERR;
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "gateway file");
}

/* ---- news ---- */

static void news_row(sqlite3_stmt *q, store_gw_news_t *n)
{
	n->id = sqlite3_column_int64(q, 0);
	n->org_id = sqlite3_column_int64(q, 1);
	sq_text_col(n->title, sizeof n->title, q, 2);
	sq_text_col(n->body, sizeof n->body, q, 3);
	n->areas = (unsigned)sqlite3_column_int(q, 4);
	n->tlp = (tlp_t)sqlite3_column_int(q, 5);
	sq_text_col(n->status, sizeof n->status, q, 6);
	n->created = sqlite3_column_int64(q, 7);
	n->updated = sqlite3_column_int64(q, 8);
}

int sq_gw_news_put(store_t *st, store_gw_news_t *n)
{
	int64_t now = sq_now_us() / 1000000;
	sqlite3_stmt *q = q_(st, n->id ? N_SET : N_ADD);
	if (!q)
		return STORE_ERR;
	if (!n->id)
		n->created = now;
	n->updated = now;
	sqlite3_bind_int64(q, 1, n->id);
	sqlite3_bind_int64(q, 2, n->org_id);
	sqlite3_bind_text(q, 3, n->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, n->body, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, n->areas);
	sqlite3_bind_int(q, 6, (int)n->tlp);
	sqlite3_bind_text(q, 7, n->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, n->created);
	sqlite3_bind_int64(q, 9, n->updated);
	int was = n->id != 0;
	int rc = done(st, q, "gateway news");
	if (!rc && !was)
		n->id = sqlite3_last_insert_rowid(sq_db(st));
	else if (!rc && !sqlite3_changes(sq_db(st)))
		rc = STORE_ENOTFOUND;
	return rc;
}

int sq_gw_news_get(store_t *st, int64_t id, store_gw_news_t *out)
{
	sqlite3_stmt *q = q_(st, N_GET);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		news_row(q, out);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "gateway news");
}

int sq_gw_news_list(store_t *st, const store_gw_filter_t *f, store_gw_news_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, N_LIST);
	store_gw_news_t *n = malloc(sizeof *n);
	int rc;
	if (!q || !n) {
		free(n);
		return q ? (snprintf(st->err, sizeof st->err, "out of memory"), STORE_ERR) : STORE_ERR;
	}
	bind_filter(q, f);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		news_row(q, n);
		if (cb(arg, n)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	free(n);
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "gateway news");
}

/* ---- the search index ---- */

/* The id of document (kind, ref): > 0, 0 when absent, or an error. */
static int64_t doc_id(store_t *st, const char *kind, const char *ref)
{
	sqlite3_stmt *q = q_(st, D_FIND);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, ref, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? id : sq_error(st, "gateway index");
}

int sq_gw_doc_put(store_t *st, const store_gw_doc_t *d)
{
	int64_t id = doc_id(st, d->kind, d->ref);
	if (id < 0)
		return (int)id;
	sqlite3_stmt *q = q_(st, id ? D_SET : D_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, d->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, d->ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, d->title ? d->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, (int)d->tlp);
	sqlite3_bind_int64(q, 5, d->org_id);
	sqlite3_bind_int64(q, 6, d->areas);
	sqlite3_bind_text(q, 7, d->stakeholder ? d->stakeholder : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, d->country ? d->country : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, d->lang ? d->lang : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, d->type ? d->type : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, d->url ? d->url : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 12, d->updated);
	int rc = done(st, q, "gateway index");
	if (rc)
		return rc;
	if (!id)
		id = sqlite3_last_insert_rowid(sq_db(st));
	if (!(q = q_(st, D_FTS_DEL)))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = done(st, q, "gateway index")))
		return rc;
	if (!(q = q_(st, D_FTS_ADD)))
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, d->title ? d->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, d->text ? d->text : "", -1, SQLITE_STATIC);
	return done(st, q, "gateway index");
}

int sq_gw_doc_del(store_t *st, const char *kind, const char *ref)
{
	int64_t id = doc_id(st, kind, ref);
	if (id <= 0)
		return (int)id;
	for (int x = D_FTS_DEL; x <= D_DEL; x += D_DEL - D_FTS_DEL) {
		sqlite3_stmt *q = q_(st, x);
		if (!q)
			return STORE_ERR;
		sqlite3_bind_int64(q, 1, id);
		int rc = done(st, q, "gateway index");
		if (rc)
			return rc;
	}
	return STORE_OK;
}

static const char *col(sqlite3_stmt *q, int c)
{
	const char *s = (const char *)sqlite3_column_text(q, c);
	return s ? s : "";
}

/* The text of search s's statement, with a condition only for the filters
 * that s has (so that SQLite can use the facet index gw_docs_facets for
 * them): a match ranked (bm25, the title ten times the text) or in no
 * order, or a browse newest first or in no order.  Unranked, only the facet
 * columns are read (the index holds them all: a count reads no document
 * row); a browse newest first sorts the index's entries and reads only the
 * rows of the page.  A match walks the full-text index's hits and looks
 * each document up (CROSS JOIN keeps that order: led by a facet index,
 * SQLite would run the full-text query once per document). */
static int search_sql(char *out, size_t n, const store_gw_query_t *s)
{
	static const char *const facets = "d.kind, '', '', 0, d.tlp, d.org_id, d.areas, d.stakeholder, "
					  "d.country, d.lang, d.type, '', 0";
	const struct { const char *v, *cond; } f[] = {
		{s->kind, " AND d.kind = :kind"}, {s->stakeholder, " AND d.stakeholder = :stk"},
		{s->country, " AND d.country = :country"}, {s->lang, " AND d.lang = :lang"},
		{s->type, " AND d.type = :type"}, {s->areas ? "1" : NULL, " AND (d.areas & :areas) = :areas"},
	};
	int browse = !s->match && s->ranked, k;
	if (s->match)
		k = snprintf(out, n, "SELECT %s, %s FROM gw_fts f CROSS JOIN gw_docs d ON d.id = f.rowid "
				     "WHERE gw_fts MATCH :match", s->ranked ? D_COLS : facets,
			     s->ranked ? "bm25(gw_fts, 10.0, 1.0) AS score" : "0");
	else if (browse)
		k = snprintf(out, n, "SELECT " D_COLS ", 0 FROM gw_docs d WHERE d.id IN "
				     "(SELECT d.id FROM gw_docs d WHERE 1");
	else
		k = snprintf(out, n, "SELECT %s, 0 FROM gw_docs d WHERE 1", facets);
	for (size_t i = 0; i < sizeof f / sizeof f[0] && k >= 0 && (size_t)k < n; i++)
		if (f[i].v && f[i].v[0])
			k += snprintf(out + k, n - (size_t)k, "%s", f[i].cond);
	if (k >= 0 && (size_t)k < n)
		k += snprintf(out + k, n - (size_t)k, " AND %s%s LIMIT :limit%s",
			      SQ_VISIBLE("d.tlp", "d.org_id", "0"),
			      !s->ranked ? "" : s->match ? " ORDER BY score, d.updated DESC"
							 : " ORDER BY d.updated DESC, d.id DESC",
			      browse ? ") ORDER BY d.updated DESC, d.id DESC" : "");
	return k >= 0 && (size_t)k < n ? 0 : -1;
}

int sq_gw_search(store_t *st, const store_gw_query_t *s, store_gw_doc_cb cb, void *arg)
{
	char sql[2048];
	sqlite3_stmt *q = NULL;
	int rc;
	if (search_sql(sql, sizeof sql, s))
		return snprintf(st->err, sizeof st->err, "gateway search: statement too long"), STORE_ERR;
	if (sqlite3_prepare_v2(sq_db(st), sql, -1, &q, NULL) != SQLITE_OK)
		return sq_error(st, "gateway search");
	bind_i(q, ":limit", s->limit > 0 ? s->limit : -1);
	bind_s(q, ":match", s->match);
	bind_s(q, ":kind", s->kind);
	bind_s(q, ":stk", s->stakeholder);
	bind_s(q, ":country", s->country);
	bind_s(q, ":lang", s->lang);
	bind_s(q, ":type", s->type);
	bind_i(q, ":areas", s->areas);
	sq_bind_view(q, &s->view);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_gw_doc_t d = {.kind = col(q, 0), .ref = col(q, 1), .title = col(q, 2), .text = NULL,
				    .id = sqlite3_column_int64(q, 3),
				    .tlp = (tlp_t)sqlite3_column_int(q, 4), .org_id = sqlite3_column_int64(q, 5),
				    .areas = (unsigned)sqlite3_column_int(q, 6), .stakeholder = col(q, 7),
				    .country = col(q, 8), .lang = col(q, 9), .type = col(q, 10), .url = col(q, 11),
				    .updated = sqlite3_column_int64(q, 12)};
		int stop = cb(arg, &d, sqlite3_column_double(q, 13));
		if (stop) {
			sqlite3_finalize(q);
			return stop;
		}
	}
	if (rc != SQLITE_DONE)
		rc = sq_error(st, "gateway search");
	else
		rc = STORE_OK;
	sqlite3_finalize(q);
	return rc;
}

int sq_gw_gen(store_t *st, int64_t *gen, int64_t *changed)
{
	sqlite3_stmt *q = q_(st, M_GEN);
	if (!q)
		return STORE_ERR;
	int rc = sqlite3_step(q);
	*gen = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	*changed = rc == SQLITE_ROW ? sqlite3_column_int64(q, 1) : 0;
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_error(st, "gateway generation");
}

int sq_gw_doc_text(store_t *st, int64_t id, char *out, size_t n)
{
	sqlite3_stmt *q = q_(st, D_TEXT);
	out[0] = '\0';
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)n - 1); /* characters: at most n - 1 of them, cut again by bytes */
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		sq_text_col(out, n, q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_error(st, "gateway text");
}
