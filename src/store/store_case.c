/* store_case.c — the SQLite back end's incident cases: cases (with their
 * version and SLA instants), the yearly reference counter, timelines,
 * tasks, links, affected constituents and waiting intervals.  See
 * store_case.h.  Statements are prepared per call (few, small, and the
 * case lists' filters vary). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_case.h"
#include "store_sqlite_int.h"

#define CASE_COLS "c.id, c.ref, c.title, c.classification, c.severity, c.tlp, c.reporter_org, " \
		  "coalesce(o.name, ''), c.assignee, coalesce(u.email, ''), c.team, c.status, "   \
		  "c.resolution, c.source, c.version, c.created, c.updated, c.acknowledged_at, "  \
		  "c.first_response_at, c.resolved_at, c.waiting_since, c.merged_into, "           \
		  "(SELECT group_concat(w.t_from || ':' || w.t_to, ',') FROM case_waits w "         \
		  "WHERE w.case_id = c.id)"
#define CASE_JOINS "LEFT JOIN orgs o ON o.id = c.reporter_org LEFT JOIN users u ON u.id = c.assignee "
#define CASE_FROM " FROM cases c " CASE_JOINS

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

/* Step a statement that returns no rows; finalize it. */
static int run(store_t *st, sqlite3_stmt *q, const char *what)
{
	if (!q)
		return STORE_ERR;
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, what);
	sqlite3_finalize(q);
	return rc;
}

static void case_row(sqlite3_stmt *q, store_case_t *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(q, 0);
	sq_text_col(c->ref, sizeof c->ref, q, 1);
	sq_text_col(c->title, sizeof c->title, q, 2);
	sq_text_col(c->classification, sizeof c->classification, q, 3);
	sq_text_col(c->severity, sizeof c->severity, q, 4);
	c->tlp = (tlp_t)sqlite3_column_int(q, 5);
	c->reporter_org = sqlite3_column_int64(q, 6);
	sq_text_col(c->reporter_name, sizeof c->reporter_name, q, 7);
	c->assignee = sqlite3_column_int64(q, 8);
	sq_text_col(c->assignee_email, sizeof c->assignee_email, q, 9);
	sq_text_col(c->team, sizeof c->team, q, 10);
	sq_text_col(c->status, sizeof c->status, q, 11);
	sq_text_col(c->resolution, sizeof c->resolution, q, 12);
	sq_text_col(c->source, sizeof c->source, q, 13);
	c->version = sqlite3_column_int64(q, 14);
	c->created = sqlite3_column_int64(q, 15);
	c->updated = sqlite3_column_int64(q, 16);
	c->acknowledged_at = sqlite3_column_int64(q, 17);
	c->first_response_at = sqlite3_column_int64(q, 18);
	c->resolved_at = sqlite3_column_int64(q, 19);
	c->waiting_since = sqlite3_column_int64(q, 20);
	c->merged_into = sqlite3_column_int64(q, 21);
	/* the waits "from:to,from:to" (the primary key's order); more than
	 * fit, or anything unexpected, leaves them to store_case_wait_list */
	const char *w = (const char *)sqlite3_column_text(q, 22);
	c->waits_read = 1;
	while (w && *w) {
		long long a, b;
		int used = 0;
		if (c->nwaits == CASE_WAITS_INLINE || sscanf(w, "%lld:%lld%n", &a, &b, &used) != 2 ||
		    (c->nwaits && a < c->waits[c->nwaits - 1].from)) {
			c->waits_read = 0;
			c->nwaits = 0;
			break;
		}
		c->waits[c->nwaits].from = a;
		c->waits[c->nwaits++].to = b;
		w += used;
		if (*w == ',')
			w++;
	}
}

/* Rows of q as cases to cb; finalizes q. */
static int case_rows(store_t *st, sqlite3_stmt *q, store_case_cb cb, void *arg)
{
	int rc = STORE_OK, s;
	store_case_t c;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		case_row(q, &c);
		if (cb(arg, &c))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "cases");
	sqlite3_finalize(q);
	return rc;
}

int sq_case_next_number(store_t *st, int year, int64_t *out)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO case_counters(year, n) VALUES(?1, 1) "
				   "ON CONFLICT(year) DO UPDATE SET n = n + 1 RETURNING n");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int(q, 1, year);
	int rc = STORE_OK;
	if (sqlite3_step(q) == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	else
		rc = sq_error(st, "case counter");
	sqlite3_finalize(q);
	return rc;
}

static void bind_case(sqlite3_stmt *q, const store_case_t *c)
{
	sqlite3_bind_text(q, 2, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, c->classification, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, c->severity, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, (int)c->tlp);
	sqlite3_bind_int64(q, 6, c->reporter_org);
	sqlite3_bind_int64(q, 7, c->assignee);
	sqlite3_bind_text(q, 8, c->team, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, c->status, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, c->resolution, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, c->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 12, c->version);
	sqlite3_bind_int64(q, 13, c->created);
	sqlite3_bind_int64(q, 14, c->updated);
	sqlite3_bind_int64(q, 15, c->acknowledged_at);
	sqlite3_bind_int64(q, 16, c->first_response_at);
	sqlite3_bind_int64(q, 17, c->resolved_at);
	sqlite3_bind_int64(q, 18, c->waiting_since);
	sqlite3_bind_int64(q, 19, c->merged_into);
}

int sq_case_add(store_t *st, store_case_t *c)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO cases(ref, title, classification, severity, tlp, "
				   "reporter_org, assignee, team, status, resolution, source, version, "
				   "created, updated, acknowledged_at, first_response_at, resolved_at, "
				   "waiting_since, merged_into) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,"
				   "?11,?12,?13,?14,?15,?16,?17,?18,?19)");
	if (!q)
		return STORE_ERR;
	c->version = 1;
	sqlite3_bind_text(q, 1, c->ref, -1, SQLITE_STATIC);
	bind_case(q, c);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "case add");
	sqlite3_finalize(q);
	if (!rc)
		c->id = sqlite3_last_insert_rowid(sq_db(st));
	return rc;
}

int sq_case_update(store_t *st, store_case_t *c)
{
	sqlite3_stmt *q = prep(st, "UPDATE cases SET title=?2, classification=?3, severity=?4, tlp=?5, "
				   "reporter_org=?6, assignee=?7, team=?8, status=?9, resolution=?10, "
				   "source=?11, version=?12 + 1, updated=?14, acknowledged_at=?15, "
				   "first_response_at=?16, resolved_at=?17, waiting_since=?18, "
				   "merged_into=?19 WHERE id=?1 AND version=?12");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, c->id);
	bind_case(q, c);
	if (sqlite3_step(q) != SQLITE_DONE) {
		int rc = sq_error(st, "case update");
		sqlite3_finalize(q);
		return rc;
	}
	sqlite3_finalize(q);
	if (sqlite3_changes(sq_db(st)) == 1) {
		c->version++;
		return STORE_OK;
	}
	store_case_t cur;
	if (store_case_get(st, NULL, c->id, &cur))
		return STORE_ENOTFOUND;
	snprintf(st->err, sizeof st->err, "case %s: version %lld is now %lld", c->ref,
		 (long long)c->version, (long long)cur.version);
	return STORE_EEXISTS;
}

int sq_case_get(store_t *st, const char *ref, int64_t id, store_case_t *out)
{
	sqlite3_stmt *q = prep(st, ref ? "SELECT " CASE_COLS CASE_FROM "WHERE c.ref = ?1"
				       : "SELECT " CASE_COLS CASE_FROM "WHERE c.id = ?2");
	if (!q)
		return STORE_ERR;
	if (ref)
		sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, 2, id);
	int s = sqlite3_step(q), rc = STORE_OK;
	if (s == SQLITE_ROW)
		case_row(q, out);
	else if (s == SQLITE_DONE)
		rc = STORE_ENOTFOUND;
	else
		rc = sq_error(st, "case get");
	sqlite3_finalize(q);
	return rc;
}

/* q as an FTS5 phrase ("..." with its quotes doubled) into out; 0 when
 * the trigram index cannot answer it (under three characters, or too
 * long for out). */
static int fts_phrase(const char *q, char *out, size_t n)
{
	size_t chars = 0, k = 0;
	for (const unsigned char *p = (const unsigned char *)q; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	if (chars < 3)
		return 0;
	out[k++] = '"';
	for (const char *p = q; *p; p++) {
		if (k + 3 >= n)
			return 0;
		if (*p == '"')
			out[k++] = '"';
		out[k++] = *p;
	}
	out[k++] = '"';
	out[k] = '\0';
	return 1;
}

int sq_case_list(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *arg)
{
	/* only the conditions asked for are written, so that SQLite can walk
	 * the index of the most selective one (status, reporter, class,
	 * assignee) newest first */
	char sql[4096];
	size_t k = 0;
#define ADD(...) do { int w_ = snprintf(sql + k, sizeof sql - k, __VA_ARGS__); \
		      if (w_ > 0) k = k + (size_t)w_ < sizeof sql ? k + (size_t)w_ : sizeof sql - 1; } while (0)
	/* a title search of three characters or more walks the titles'
	 * trigram index (case_titles) as a phrase, newest first, and stops
	 * at the page's end (the join is driven by the index: CROSS JOIN);
	 * instr keeps the match exactly what it was (a substring, ASCII case
	 * folded) */
	char qm[2 * CASE_TITLE_MAX + 8];
	int fts = f->q && *f->q && fts_phrase(f->q, qm, sizeof qm);
	if (fts)
		ADD("SELECT " CASE_COLS " FROM case_titles t CROSS JOIN cases c ON c.id = t.rowid " CASE_JOINS
		    "WHERE case_titles MATCH :qm AND " SQ_VISIBLE("c.tlp", "c.reporter_org", "0"));
	else
		ADD("SELECT " CASE_COLS CASE_FROM "WHERE " SQ_VISIBLE("c.tlp", "c.reporter_org", "0"));
	if (!f->view.all)
		ADD(" AND c.reporter_org = :vorg");
	if (f->status && *f->status)
		ADD(" AND c.status = :status");
	if (f->classification && *f->classification)
		/* a class/type walks its index in id order; a class alone is
		 * common: the newest-first scan stops at the page's end */
		ADD(strchr(f->classification, '/') ? " AND c.classification = :cls"
						   : " AND substr(c.classification, 1, length(:cls) + 1) = "
						     ":cls || '/'");
	if (f->severity && *f->severity)
		ADD(" AND c.severity = :sev");
	if (f->reporter_org)
		ADD(" AND c.reporter_org = :rep");
	if (f->assignee)
		ADD(" AND c.assignee = :asg");
	if (f->team && *f->team)
		ADD(" AND c.team = :team");
	if (f->affected_org)
		ADD(" AND EXISTS (SELECT 1 FROM case_affected a WHERE a.case_id = c.id AND a.org_id = :aff)");
	if (f->created_from)
		ADD(" AND c.created >= :cfrom");
	if (f->created_to)
		ADD(" AND c.created < :cto");
	if (f->q && *f->q)
		ADD(" AND instr(lower(c.title), lower(:q)) > 0");
	if (f->after_id)
		ADD(fts ? " AND t.rowid < :after AND c.id < :after" : " AND c.id < :after");
	if (f->open && f->finals && f->finals[0]) {
		ADD(" AND c.status NOT IN (");
		for (int i = 0; f->finals[i] && i < 32; i++)
			ADD("%s:f%d", i ? ", " : "", i);
		ADD(")");
	}
	ADD(fts ? " ORDER BY t.rowid DESC LIMIT :lim" : " ORDER BY c.id DESC LIMIT :lim");
#undef ADD
	sqlite3_stmt *q = prep(st, sql);
	if (!q)
		return STORE_ERR;
	sq_bind_view(q, &f->view);
#define BT(name, v) do { int i_ = sqlite3_bind_parameter_index(q, name); \
			 if (i_ && (v)) sqlite3_bind_text(q, i_, v, -1, SQLITE_STATIC); } while (0)
#define BI(name, v) do { int i_ = sqlite3_bind_parameter_index(q, name); \
			 if (i_) sqlite3_bind_int64(q, i_, v); } while (0)
	BT(":status", f->status);
	BT(":cls", f->classification);
	BT(":sev", f->severity);
	BT(":team", f->team);
	BT(":q", f->q);
	const char *qmp = fts ? qm : NULL;
	BT(":qm", qmp);
	BI(":rep", f->reporter_org);
	BI(":asg", f->assignee);
	BI(":aff", f->affected_org);
	BI(":cfrom", f->created_from);
	BI(":cto", f->created_to);
	BI(":after", f->after_id);
	BI(":lim", f->limit > 0 ? f->limit : 100);
	for (int i = 0; f->open && f->finals && f->finals[i] && i < 32; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, ":f%d", i);
		BT(nm, f->finals[i]);
	}
#undef BT
#undef BI
	return case_rows(st, q, cb, arg);
}

int sq_case_entry_add(store_t *st, store_case_entry_t *e)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO case_entries(case_id, created, kind, visibility, "
				   "author, author_org, text, sent_at, version) "
				   "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, e->case_id);
	sqlite3_bind_int64(q, 2, e->created);
	sqlite3_bind_text(q, 3, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, e->visibility);
	sqlite3_bind_text(q, 5, e->author, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 6, e->author_org);
	sqlite3_bind_text(q, 7, e->text ? e->text : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, e->sent_at);
	sqlite3_bind_int64(q, 9, e->version);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "case entry");
	sqlite3_finalize(q);
	if (!rc)
		e->id = sqlite3_last_insert_rowid(sq_db(st));
	return rc;
}

static int entry_rows(store_t *st, sqlite3_stmt *q, store_case_entry_cb cb, void *arg)
{
	int s, rc = STORE_OK;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		store_case_entry_t e = {0};
		e.id = sqlite3_column_int64(q, 0);
		e.case_id = sqlite3_column_int64(q, 1);
		e.created = sqlite3_column_int64(q, 2);
		sq_text_col(e.kind, sizeof e.kind, q, 3);
		e.visibility = sqlite3_column_int(q, 4);
		sq_text_col(e.author, sizeof e.author, q, 5);
		e.author_org = sqlite3_column_int64(q, 6);
		e.text = (char *)sqlite3_column_text(q, 7);
		e.sent_at = sqlite3_column_int64(q, 8);
		e.version = sqlite3_column_int64(q, 9);
		if (!e.text)
			e.text = (char *)"";
		if (cb(arg, &e))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "case entries");
	sqlite3_finalize(q);
	return rc;
}

#define ENTRY_COLS "id, case_id, created, kind, visibility, author, author_org, text, sent_at, version"

int sq_case_entry_list(store_t *st, int64_t case_id, int64_t after, int reporter_only,
			      store_case_entry_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT " ENTRY_COLS " FROM case_entries WHERE case_id = ?1 "
				   "AND id > ?2 AND (?3 = 0 OR visibility = 1) ORDER BY id");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, after);
	sqlite3_bind_int(q, 3, reporter_only);
	return entry_rows(st, q, cb, arg);
}

int sq_case_entry_page(store_t *st, int64_t case_id, int64_t before, int limit, int reporter_only,
		       int64_t *older, store_case_entry_cb cb, void *arg)
{
	/* the newest entry left out (the limit+1th below before) bounds the
	 * page from below: both walk case_entries_case backwards */
	if (limit < 1 || limit > 1000)
		limit = 100;
	sqlite3_stmt *q = prep(st, "SELECT id FROM case_entries WHERE case_id = ?1 AND (?2 = 0 OR id < ?2) "
				   "AND (?3 = 0 OR visibility = 1) ORDER BY id DESC LIMIT 1 OFFSET ?4");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, before);
	sqlite3_bind_int(q, 3, reporter_only);
	sqlite3_bind_int(q, 4, limit);
	int s = sqlite3_step(q);
	int64_t floor = s == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return sq_error(st, "case entries");
	q = prep(st, "SELECT " ENTRY_COLS " FROM case_entries WHERE case_id = ?1 AND id > ?2 "
		     "AND (?3 = 0 OR id < ?3) AND (?4 = 0 OR visibility = 1) ORDER BY id");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	sqlite3_bind_int64(q, 2, floor);
	sqlite3_bind_int64(q, 3, before);
	sqlite3_bind_int(q, 4, reporter_only);
	/* the page before this one: the entries up to the floor */
	*older = floor ? floor + 1 : 0;
	return entry_rows(st, q, cb, arg);
}

int sq_case_entry_sent(store_t *st, int64_t id, int64_t when)
{
	sqlite3_stmt *q = prep(st, "UPDATE case_entries SET sent_at = ?2 WHERE id = ?1");
	if (q) {
		sqlite3_bind_int64(q, 1, id);
		sqlite3_bind_int64(q, 2, when);
	}
	return run(st, q, "case entry sent");
}

int sq_case_outbox(store_t *st, store_case_entry_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT " ENTRY_COLS " FROM case_entries WHERE visibility = 1 "
				   "AND sent_at = 0 ORDER BY id");
	return q ? entry_rows(st, q, cb, arg) : STORE_ERR;
}

int sq_case_task_add(store_t *st, store_case_task_t *t)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO case_tasks(case_id, title, assignee, due, done_at, "
				   "created) VALUES(?1,?2,?3,?4,?5,?6)");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, t->case_id);
	sqlite3_bind_text(q, 2, t->title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, t->assignee);
	sqlite3_bind_int64(q, 4, t->due);
	sqlite3_bind_int64(q, 5, t->done_at);
	sqlite3_bind_int64(q, 6, t->created);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "case task");
	sqlite3_finalize(q);
	if (!rc)
		t->id = sqlite3_last_insert_rowid(sq_db(st));
	return rc;
}

int sq_case_task_update(store_t *st, const store_case_task_t *t)
{
	sqlite3_stmt *q = prep(st, "UPDATE case_tasks SET title=?3, assignee=?4, due=?5, done_at=?6 "
				   "WHERE id=?1 AND case_id=?2");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, t->id);
	sqlite3_bind_int64(q, 2, t->case_id);
	sqlite3_bind_text(q, 3, t->title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, t->assignee);
	sqlite3_bind_int64(q, 5, t->due);
	sqlite3_bind_int64(q, 6, t->done_at);
	int rc = run(st, q, "case task update");
	if (!rc && sqlite3_changes(sq_db(st)) != 1)
		rc = STORE_ENOTFOUND;
	return rc;
}

int sq_case_task_list(store_t *st, int64_t case_id, store_case_task_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT t.id, t.case_id, t.assignee, t.due, t.done_at, t.created, "
				   "t.title, coalesce(u.email, '') FROM case_tasks t LEFT JOIN users u "
				   "ON u.id = t.assignee WHERE t.case_id = ?1 ORDER BY t.id");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	int s, rc = STORE_OK;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		store_case_task_t t = {0};
		t.id = sqlite3_column_int64(q, 0);
		t.case_id = sqlite3_column_int64(q, 1);
		t.assignee = sqlite3_column_int64(q, 2);
		t.due = sqlite3_column_int64(q, 3);
		t.done_at = sqlite3_column_int64(q, 4);
		t.created = sqlite3_column_int64(q, 5);
		sq_text_col(t.title, sizeof t.title, q, 6);
		sq_text_col(t.assignee_email, sizeof t.assignee_email, q, 7);
		if (cb(arg, &t))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "case tasks");
	sqlite3_finalize(q);
	return rc;
}

int sq_case_link_add(store_t *st, store_case_link_t *l)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO case_links(case_id, kind, obs_type, target, created, "
				   "origin_org) VALUES(?1,?2,?3,?4,?5,COALESCE(NULLIF(?6, 0), "
				   "(SELECT reporter_org FROM cases WHERE id = ?1), 0))");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, l->case_id);
	sqlite3_bind_text(q, 2, l->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, (int)l->obs_type);
	sqlite3_bind_text(q, 4, l->target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, l->created);
	sqlite3_bind_int64(q, 6, l->origin_org);
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, "case link");
	sqlite3_finalize(q);
	if (!rc)
		l->id = sqlite3_last_insert_rowid(sq_db(st));
	if (rc == STORE_EEXISTS && !l->origin_org) {
		/* linked on this case itself: now the case's own, even if a merge
		 * carried it from another reporter's case first */
		q = prep(st, "UPDATE case_links SET origin_org = (SELECT reporter_org FROM cases WHERE "
			     "id = ?1) WHERE case_id = ?1 AND kind = ?2 AND obs_type = ?3 AND target = ?4");
		if (q) {
			sqlite3_bind_int64(q, 1, l->case_id);
			sqlite3_bind_text(q, 2, l->kind, -1, SQLITE_STATIC);
			sqlite3_bind_int(q, 3, (int)l->obs_type);
			sqlite3_bind_text(q, 4, l->target, -1, SQLITE_STATIC);
		}
		if (run(st, q, "case link"))
			return STORE_ERR;
	}
	return rc;
}

int sq_case_link_list(store_t *st, int64_t case_id, store_case_link_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT id, case_id, created, kind, obs_type, target, origin_org "
				   "FROM case_links WHERE case_id = ?1 ORDER BY id");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	int s, rc = STORE_OK;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		store_case_link_t l = {0};
		l.id = sqlite3_column_int64(q, 0);
		l.case_id = sqlite3_column_int64(q, 1);
		l.created = sqlite3_column_int64(q, 2);
		sq_text_col(l.kind, sizeof l.kind, q, 3);
		l.obs_type = (obs_type_t)sqlite3_column_int(q, 4);
		sq_text_col(l.target, sizeof l.target, q, 5);
		l.origin_org = sqlite3_column_int64(q, 6);
		if (cb(arg, &l))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "case links");
	sqlite3_finalize(q);
	return rc;
}

int sq_case_related(store_t *st, int64_t case_id, store_case_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT " CASE_COLS CASE_FROM "WHERE c.id IN (SELECT b.case_id "
				   "FROM case_links a JOIN case_links b ON b.kind = 'observable' AND "
				   "b.target = a.target AND b.obs_type = a.obs_type WHERE a.case_id = ?1 "
				   "AND a.kind = 'observable' AND b.case_id <> ?1) ORDER BY c.id DESC "
				   "LIMIT 100");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	return case_rows(st, q, cb, arg);
}

int sq_case_affected_add(store_t *st, int64_t case_id, int64_t org_id, int manual)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO case_affected(case_id, org_id, manual) VALUES(?1,?2,?3) "
				   "ON CONFLICT(case_id, org_id) DO UPDATE SET manual = max(manual, ?3)");
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_int64(q, 2, org_id);
		sqlite3_bind_int(q, 3, manual);
	}
	return run(st, q, "case affected");
}

int sq_case_affected_del(store_t *st, int64_t case_id, int64_t org_id)
{
	sqlite3_stmt *q = prep(st, "DELETE FROM case_affected WHERE case_id = ?1 AND org_id = ?2");
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_int64(q, 2, org_id);
	}
	int rc = run(st, q, "case affected");
	if (!rc && sqlite3_changes(sq_db(st)) != 1)
		rc = STORE_ENOTFOUND;
	return rc;
}

int sq_case_affected_list(store_t *st, int64_t case_id, store_case_affected_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT a.case_id, a.org_id, coalesce(o.name, ''), a.manual FROM "
				   "case_affected a LEFT JOIN orgs o ON o.id = a.org_id WHERE "
				   "a.case_id = ?1 ORDER BY o.name");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	int s, rc = STORE_OK;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		store_case_affected_t a = {0};
		a.case_id = sqlite3_column_int64(q, 0);
		a.org_id = sqlite3_column_int64(q, 1);
		sq_text_col(a.org_name, sizeof a.org_name, q, 2);
		a.manual = sqlite3_column_int(q, 3);
		if (cb(arg, &a))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "case affected");
	sqlite3_finalize(q);
	return rc;
}

int sq_case_wait_begin(store_t *st, int64_t case_id, int64_t from)
{
	sqlite3_stmt *q = prep(st, "INSERT OR IGNORE INTO case_waits(case_id, t_from) VALUES(?1, ?2)");
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_int64(q, 2, from);
	}
	return run(st, q, "case wait");
}

int sq_case_wait_end(store_t *st, int64_t case_id, int64_t to)
{
	sqlite3_stmt *q = prep(st, "UPDATE case_waits SET t_to = max(?2, t_from) WHERE case_id = ?1 "
				   "AND t_to = 0");
	if (q) {
		sqlite3_bind_int64(q, 1, case_id);
		sqlite3_bind_int64(q, 2, to);
	}
	return run(st, q, "case wait");
}

int sq_case_wait_list(store_t *st, int64_t case_id, store_case_wait_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT t_from, t_to FROM case_waits WHERE case_id = ?1 ORDER BY t_from");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, case_id);
	int s, rc = STORE_OK;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		store_case_wait_t w = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1)};
		if (cb(arg, &w))
			break;
	}
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		rc = sq_error(st, "case waits");
	sqlite3_finalize(q);
	return rc;
}
