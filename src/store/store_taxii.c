/* store_taxii.c — the SQLite back end's TAXII tables (schema 11):
 * collections, the rights of organisations on them, their members in the
 * order added, and the status resources of posts.  See store.h.
 *
 * A member's date added is max(now, the collection's last + 1) in
 * microseconds: strictly increasing inside a collection, and since writers
 * are serialised, a row never appears behind a page already read.  A page
 * is a range scan of the primary key (cid, added). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

enum {
	T_COLL_ADD, T_GRANT, T_COLL_GET, T_COLL_LIST, T_PUT, T_STATUS_PUT, T_STATUS_GET,
	T_PEER_ADD, T_PEER_UPD, T_PEER_LIST, T_N
};
_Static_assert(SQ_TAXII_SLOT + T_N <= SQ_EVID_SLOT, "store_taxii.c's slots fit");

#define T_RIGHTS                                                                        \
	"coalesce((SELECT max(a.can_read) FROM taxii_access a WHERE a.cid = c.cid AND "  \
	"a.org_id IN (?1, 0)), 0), coalesce((SELECT max(a.can_write) FROM taxii_access a " \
	"WHERE a.cid = c.cid AND a.org_id IN (?1, 0)), 0)"
#define T_COLL_COLS "c.cid, c.id, c.alias, c.title, c.description, c.tlp, c.created, "

static const char *const tsql[T_N] = {
	[T_COLL_ADD] = "INSERT INTO taxii_collections(id, alias, title, description, tlp, created) "
		       "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[T_GRANT] = "INSERT INTO taxii_access(cid, org_id, can_read, can_write) VALUES(?1, ?2, ?3, ?4) "
		    "ON CONFLICT(cid, org_id) DO UPDATE SET can_read = max(can_read, excluded.can_read), "
		    "can_write = max(can_write, excluded.can_write)",
	[T_COLL_GET] = "SELECT " T_COLL_COLS T_RIGHTS " FROM taxii_collections c "
		       "WHERE c.id = ?2 OR c.alias = ?2",
	[T_COLL_LIST] = "SELECT " T_COLL_COLS T_RIGHTS " FROM taxii_collections c ORDER BY c.cid",
	[T_PUT] = "INSERT OR IGNORE INTO taxii_members(cid, added, rid) VALUES(?1, max(?3, coalesce("
		  "(SELECT max(added) FROM taxii_members WHERE cid = ?1), 0) + 1), ?2)",
	[T_STATUS_PUT] = "INSERT INTO taxii_status(id, org_id, created, json) VALUES(?1, ?2, ?3, ?4)",
	[T_STATUS_GET] = "SELECT json FROM taxii_status WHERE id = ?1 AND org_id = ?2",
	[T_PEER_ADD] = "INSERT INTO taxii_peers(name, url, collection, token, org_id, into_cid, push_cid, "
		       "every, next_run, last_run, last_error, objects, cacert, cert, key) "
		       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, 0, '', 0, ?9, ?10, ?11)",
	[T_PEER_UPD] = "UPDATE taxii_peers SET next_run = ?2, last_run = ?3, last_error = ?4, "
		       "objects = ?5 WHERE name = ?1",
	[T_PEER_LIST] = "SELECT name, url, collection, token, org_id, into_cid, push_cid, every, "
			"next_run, last_run, last_error, objects, cacert, cert, key FROM taxii_peers "
			"ORDER BY name",
};

static sqlite3_stmt *q_(store_t *st, int x)
{
	return sq_prepared(st, SQ_TAXII_SLOT + x, tsql[x]);
}

/* ---- collections ---- */

int sq_coll_add(store_t *st, store_coll_t *c)
{
	sqlite3_stmt *q = q_(st, T_COLL_ADD);
	if (!q)
		return STORE_ERR;
	c->created = sq_now_us() / 1000000;
	sqlite3_bind_text(q, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, c->alias, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->description, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)c->tlp);
	sqlite3_bind_int64(q, 6, c->created);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_error(st, "collection");
	c->cid = sqlite3_last_insert_rowid(sq_db(st));
	return STORE_OK;
}

int sq_coll_grant(store_t *st, int64_t cid, int64_t org_id, int can_read, int can_write)
{
	sqlite3_stmt *q = q_(st, T_GRANT);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, cid);
	sqlite3_bind_int64(q, 2, org_id);
	sqlite3_bind_int(q, 3, !!can_read);
	sqlite3_bind_int(q, 4, !!can_write);
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "collection rights");
}

static void coll_row(sqlite3_stmt *q, int64_t viewer, store_coll_t *c)
{
	c->cid = sqlite3_column_int64(q, 0);
	sq_text_col(c->id, sizeof c->id, q, 1);
	sq_text_col(c->alias, sizeof c->alias, q, 2);
	sq_text_col(c->title, sizeof c->title, q, 3);
	sq_text_col(c->description, sizeof c->description, q, 4);
	c->tlp = (tlp_t)sqlite3_column_int(q, 5);
	c->created = sqlite3_column_int64(q, 6);
	c->can_read = viewer < 0 || sqlite3_column_int(q, 7);
	c->can_write = viewer < 0 || sqlite3_column_int(q, 8);
}

int sq_coll_get(store_t *st, const char *key, int64_t viewer_org, store_coll_t *out)
{
	sqlite3_stmt *q = q_(st, T_COLL_GET);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, viewer_org);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		coll_row(q, viewer_org, out);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "collection");
}

int sq_coll_list(store_t *st, int64_t viewer_org, store_coll_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, T_COLL_LIST);
	store_coll_t c;
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, viewer_org);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		coll_row(q, viewer_org, &c);
		if (!c.can_read && !c.can_write)
			continue;
		if (cb(arg, &c)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "collections");
}

int sq_coll_put(store_t *st, int64_t cid, int64_t rid)
{
	sqlite3_stmt *q = q_(st, T_PUT);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, cid);
	sqlite3_bind_int64(q, 2, rid);
	sqlite3_bind_int64(q, 3, sq_now_us());
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "collection member");
}

/* ---- objects of a collection: a statement built per call ---- */

typedef struct {
	int text;
	int64_t i;
	const char *s;
} qb_bind_t;

typedef struct {
	char sql[4096];
	size_t len;
	int over;
	qb_bind_t bind[4 * STORE_MATCH_MAX + 16];
	int nbind;
	tlp_view_t view; /* bound to SQ_VISIBLE's named parameters */
} qb_t;

static void qb_add(qb_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void qb_add(qb_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->sql + b->len, sizeof b->sql - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof b->sql - b->len)
		b->over = 1;
	else
		b->len += (size_t)n;
}

/* "?" bound to an integer or a text */
static void qb_int(qb_t *b, int64_t v)
{
	if (b->nbind >= (int)(sizeof b->bind / sizeof b->bind[0]))
		b->over = 1;
	else
		b->bind[b->nbind++] = (qb_bind_t){.i = v};
	qb_add(b, "?");
}

static void qb_text(qb_t *b, const char *v)
{
	if (b->nbind >= (int)(sizeof b->bind / sizeof b->bind[0]))
		b->over = 1;
	else
		b->bind[b->nbind++] = (qb_bind_t){.text = 1, .s = v};
	qb_add(b, "?");
}

static void qb_in(qb_t *b, const char *col, const char *const *v, int n)
{
	qb_add(b, " AND %s IN (", col);
	for (int i = 0; i < n; i++) {
		if (i)
			qb_add(b, ",");
		qb_text(b, v[i]);
	}
	qb_add(b, ")");
}

/* The conditions of f on o (stix_objects) and m (taxii_members). */
static void qb_filter(qb_t *b, const store_taxii_filter_t *f)
{
	qb_add(b, " m.cid = ");
	qb_int(b, f->cid);
	b->view = f->view;
	qb_add(b, " AND " SQ_VISIBLE("o.tlp", "o.org_id", SQ_NAMED_OBJ) " AND o.tlp <= ");
	qb_int(b, f->tlp_max);
	if (f->owner) {
		qb_add(b, " AND o.org_id = ");
		qb_int(b, f->owner);
	}
	if (f->not_origin) {
		qb_add(b, " AND o.origin <> ");
		qb_int(b, f->not_origin);
	}
	if (f->nids)
		qb_in(b, "o.id", f->ids, f->nids);
	if (f->ntypes)
		qb_in(b, "o.type", f->types, f->ntypes);
	if (f->nspecs)
		qb_in(b, "o.spec_version", f->specs, f->nspecs);
	if (f->versions & STORE_V_ALL)
		return;
	/* versions relative to the others of the same id in this collection */
	qb_add(b, " AND (0");
	if (f->versions & STORE_V_LAST)
		qb_add(b, " OR NOT EXISTS (SELECT 1 FROM stix_objects o2 JOIN taxii_members m2 ON "
			  "m2.cid = m.cid AND m2.rid = o2.rid WHERE o2.id = o.id AND o2.vus > o.vus)");
	if (f->versions & STORE_V_FIRST)
		qb_add(b, " OR NOT EXISTS (SELECT 1 FROM stix_objects o2 JOIN taxii_members m2 ON "
			  "m2.cid = m.cid AND m2.rid = o2.rid WHERE o2.id = o.id AND o2.vus < o.vus)");
	for (int i = 0; i < f->nvus; i++) {
		qb_add(b, " OR o.vus = ");
		qb_int(b, f->vus[i]);
	}
	qb_add(b, ")");
}

static sqlite3_stmt *qb_prepare(store_t *st, qb_t *b)
{
	sqlite3_stmt *q = NULL;
	if (b->over) {
		snprintf(st->err, sizeof st->err, "taxii: filter too long");
		return NULL;
	}
	if (sqlite3_prepare_v2(sq_db(st), b->sql, (int)b->len, &q, NULL)) {
		sq_error(st, "taxii query");
		return NULL;
	}
	/* the "?" in order; the view's named parameters (SQ_VISIBLE) apart */
	int k = 0, np = sqlite3_bind_parameter_count(q);
	for (int i = 1; i <= np; i++) {
		if (sqlite3_bind_parameter_name(q, i))
			continue;
		if (k >= b->nbind)
			break;
		if (b->bind[k].text)
			sqlite3_bind_text(q, i, b->bind[k].s, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(q, i, b->bind[k].i);
		k++;
	}
	sq_bind_view(q, &b->view);
	return q;
}

int sq_taxii_objects(store_t *st, const store_taxii_filter_t *f, store_stix_cb cb, void *arg)
{
	qb_t *b = calloc(1, sizeof *b);
	store_stix_t o;
	int rc = SQLITE_ERROR;
	if (!b) {
		snprintf(st->err, sizeof st->err, "out of memory");
		return STORE_ERR;
	}
	qb_add(b, "SELECT " SQ_STIX_COLS ", m.added FROM taxii_members m JOIN stix_objects o "
		  "ON o.rid = m.rid WHERE m.added > ");
	qb_int(b, f->after);
	qb_add(b, " AND");
	qb_filter(b, f);
	qb_add(b, " ORDER BY m.added LIMIT ");
	qb_int(b, f->limit > 0 && f->limit <= 100000 ? f->limit : 100);
	sqlite3_stmt *q = qb_prepare(st, b);
	free(b);
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		sq_stix_row(q, &o);
		o.added = sqlite3_column_int64(q, 12);
		if (cb(arg, &o)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	int out = rc == SQLITE_DONE ? STORE_OK : sq_error(st, "taxii objects");
	sqlite3_finalize(q);
	return out;
}

/* "taxii_members m JOIN stix_objects o ... WHERE" the members f names that
 * the viewer may remove: the DELETE and the list of what it removes share it. */
static void qb_removable(qb_t *b, const store_taxii_filter_t *f)
{
	qb_add(b, "taxii_members m JOIN stix_objects o ON o.rid = m.rid WHERE");
	qb_filter(b, f);
}

static int exec_qb(store_t *st, qb_t *b, const char *what)
{
	sqlite3_stmt *q = qb_prepare(st, b);
	if (!q)
		return STORE_ERR;
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, what);
}

/* The indicators made from objects that the DELETE left in no collection
 * (temp.taxii_gone: the objects it touched) leave the look-ups: deleted,
 * with their tombstones, as any deleted indicator. */
static int unmake_gone(store_t *st)
{
	sqlite3_stmt *q;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	if (sqlite3_prepare_v2(sq_db(st), "SELECT s.ind_id FROM stix_made s JOIN temp.taxii_gone g "
			       "ON g.rid = s.rid WHERE NOT EXISTS (SELECT 1 FROM taxii_members m "
			       "WHERE m.rid = s.rid)", -1, &q, NULL) != SQLITE_OK)
		return sq_error(st, "taxii delete");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *nn = realloc(ids, (cap = cap ? cap * 2 : 64) * sizeof *nn);
			if (!nn) {
				rc = SQLITE_NOMEM;
				break;
			}
			ids = nn;
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		free(ids);
		return rc == SQLITE_NOMEM ? (snprintf(st->err, sizeof st->err, "out of memory"), STORE_ERR)
					  : sq_error(st, "taxii delete");
	}
	rc = STORE_OK;
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		rc = store_delete_indicator(st, ids[i]);
		if (rc == STORE_ENOTFOUND) /* deleted before, by hand */
			rc = STORE_OK;
	}
	free(ids);
	if (rc == STORE_OK &&
	    sqlite3_exec(sq_db(st), "DELETE FROM stix_made WHERE rid IN (SELECT rid FROM temp.taxii_gone) "
			 "AND NOT EXISTS (SELECT 1 FROM taxii_members m WHERE m.rid = stix_made.rid)",
			 NULL, NULL, NULL) != SQLITE_OK)
		rc = sq_error(st, "taxii delete");
	return rc;
}

int sq_taxii_remove(store_t *st, const store_taxii_filter_t *f, int64_t *n)
{
	qb_t *b = calloc(1, sizeof *b);
	int rc;
	*n = 0;
	if (!b) {
		snprintf(st->err, sizeof st->err, "out of memory");
		return STORE_ERR;
	}
	if (sqlite3_exec(sq_db(st), "CREATE TEMP TABLE IF NOT EXISTS taxii_gone(rid INTEGER PRIMARY KEY);"
			 "DELETE FROM temp.taxii_gone", NULL, NULL, NULL) != SQLITE_OK) {
		free(b);
		return sq_error(st, "taxii delete");
	}
	qb_add(b, "INSERT OR IGNORE INTO temp.taxii_gone SELECT m.rid FROM ");
	qb_removable(b, f);
	rc = exec_qb(st, b, "taxii delete");
	if (rc == STORE_OK) {
		memset(b, 0, sizeof *b);
		qb_add(b, "DELETE FROM taxii_members WHERE (cid, rid) IN (SELECT m.cid, m.rid FROM ");
		qb_removable(b, f);
		qb_add(b, ")");
		rc = exec_qb(st, b, "taxii delete");
	}
	if (rc == STORE_OK)
		*n = sqlite3_changes(sq_db(st));
	free(b);
	if (rc == STORE_OK && *n)
		rc = unmake_gone(st);
	return rc;
}

/* ---- status resources ---- */

int sq_taxii_status_put(store_t *st, const char *id, int64_t org_id, const char *json)
{
	sqlite3_stmt *q = q_(st, T_STATUS_PUT);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, org_id);
	sqlite3_bind_int64(q, 3, sq_now_us() / 1000000);
	sqlite3_bind_text(q, 4, json, -1, SQLITE_STATIC);
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "taxii status");
}

int sq_taxii_status_get(store_t *st, const char *id, int64_t org_id, char **json)
{
	sqlite3_stmt *q = q_(st, T_STATUS_GET);
	int rc;
	*json = NULL;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, org_id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(q, 0);
		if (!(*json = strdup(v ? v : "{}"))) {
			sqlite3_reset(q);
			snprintf(st->err, sizeof st->err, "out of memory");
			return STORE_ERR;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "taxii status");
}

/* ---- peers ---- */

int sq_peer_add(store_t *st, const store_peer_t *p)
{
	sqlite3_stmt *q = q_(st, T_PEER_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, p->url, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, p->collection, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, p->token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, p->org_id);
	sqlite3_bind_int64(q, 6, p->into_cid);
	sqlite3_bind_int64(q, 7, p->push_cid);
	sqlite3_bind_int64(q, 8, p->every);
	sqlite3_bind_text(q, 9, p->cacert, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, p->cert, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, p->key, -1, SQLITE_STATIC);
	return sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "peer");
}

int sq_peer_update(store_t *st, const store_peer_t *p)
{
	sqlite3_stmt *q = q_(st, T_PEER_UPD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, p->next_run);
	sqlite3_bind_int64(q, 3, p->last_run);
	sqlite3_bind_text(q, 4, p->last_error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, p->objects);
	if (sqlite3_step(q) != SQLITE_DONE)
		return sq_error(st, "peer");
	return sqlite3_changes(sq_db(st)) ? STORE_OK : STORE_ENOTFOUND;
}

int sq_peer_list(store_t *st, store_peer_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, T_PEER_LIST);
	store_peer_t p;
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		sq_text_col(p.name, sizeof p.name, q, 0);
		sq_text_col(p.url, sizeof p.url, q, 1);
		sq_text_col(p.collection, sizeof p.collection, q, 2);
		sq_text_col(p.token, sizeof p.token, q, 3);
		p.org_id = sqlite3_column_int64(q, 4);
		p.into_cid = sqlite3_column_int64(q, 5);
		p.push_cid = sqlite3_column_int64(q, 6);
		p.every = sqlite3_column_int64(q, 7);
		p.next_run = sqlite3_column_int64(q, 8);
		p.last_run = sqlite3_column_int64(q, 9);
		sq_text_col(p.last_error, sizeof p.last_error, q, 10);
		p.objects = sqlite3_column_int64(q, 11);
		sq_text_col(p.cacert, sizeof p.cacert, q, 12);
		sq_text_col(p.cert, sizeof p.cert, q, 13);
		sq_text_col(p.key, sizeof p.key, q, 14);
		if (cb(arg, &p)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "peers");
}
