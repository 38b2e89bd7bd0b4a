/* store_assess.c — the SQLite back end's assessment tables: questionnaires,
 * assessments and their history, answers, roadmap items (see
 * store_assess.h).  Statements are prepared per call (these are console and
 * CLI paths, not hot ones), which keeps this file out of the shared
 * statement slots. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_assess.h"
#include "store_sqlite_int.h"

static sqlite3_stmt *prep(store_t *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(sq_db(st), sql, -1, &q, NULL) != SQLITE_OK) {
		sq_error(st, "assess");
		return NULL;
	}
	return q;
}

static void text(sqlite3_stmt *q, int i, const char *s)
{
	sqlite3_bind_text(q, i, s ? s : "", -1, SQLITE_STATIC);
}

/* Step a write; STORE_ENOTFOUND when want_change and no row changed. */
static int write1(store_t *st, sqlite3_stmt *q, const char *what, int want_change)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? STORE_OK : sq_error(st, what);
	if (rc == STORE_OK && want_change && !sqlite3_changes(sq_db(st))) {
		snprintf(st->err, sizeof st->err, "%s: not found", what);
		rc = STORE_ENOTFOUND;
	}
	sqlite3_finalize(q);
	return rc;
}

/* ---- questionnaires ---- */

int sq_qn_put(store_t *st, store_qn_t *qn)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO assess_questionnaires(name, version, json, loaded) "
				   "VALUES(?1, ?2, ?3, ?4)");
	if (!q)
		return STORE_ERR;
	qn->loaded = sq_now_us() / 1000000;
	text(q, 1, qn->name);
	sqlite3_bind_int(q, 2, qn->version);
	text(q, 3, qn->json);
	sqlite3_bind_int64(q, 4, qn->loaded);
	int rc = write1(st, q, "questionnaire", 0);
	if (rc == STORE_OK)
		qn->id = sqlite3_last_insert_rowid(sq_db(st));
	return rc;
}

int sq_qn_get(store_t *st, int64_t id, const char *name, int version, store_qn_t *out)
{
	sqlite3_stmt *q = prep(st, "SELECT id, name, version, loaded, json FROM assess_questionnaires "
				   "WHERE CASE WHEN ?1 > 0 THEN id = ?1 ELSE name = ?2 AND "
				   "(?3 = 0 OR version = ?3) END ORDER BY version DESC LIMIT 1");
	int rc;
	memset(out, 0, sizeof *out);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	text(q, 2, name);
	sqlite3_bind_int(q, 3, version);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(q, 0);
		sq_text_col(out->name, sizeof out->name, q, 1);
		out->version = sqlite3_column_int(q, 2);
		out->loaded = sqlite3_column_int64(q, 3);
		const char *j = (const char *)sqlite3_column_text(q, 4);
		if (!(out->json = strdup(j ? j : ""))) {
			sqlite3_finalize(q);
			snprintf(st->err, sizeof st->err, "out of memory");
			return STORE_ERR;
		}
	}
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		snprintf(st->err, sizeof st->err, "no questionnaire %s%s", name && id <= 0 ? name : "",
			 version ? " of that version" : "");
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "questionnaire");
}

int sq_qn_list(store_t *st, store_qn_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT id, name, version, loaded FROM assess_questionnaires "
				   "ORDER BY name, version");
	store_qn_t r = {0};
	int rc;
	if (!q)
		return STORE_ERR;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		r.id = sqlite3_column_int64(q, 0);
		sq_text_col(r.name, sizeof r.name, q, 1);
		r.version = sqlite3_column_int(q, 2);
		r.loaded = sqlite3_column_int64(q, 3);
		if (cb(arg, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "questionnaires");
}

/* ---- assessments ---- */

#define A_COLS "a.id, a.entity, a.org_id, a.qn_id, q.name, q.version, a.period, a.tlp, a.state, " \
	"a.created, a.updated"
#define A_FROM " FROM assessments a JOIN assess_questionnaires q ON q.id = a.qn_id "

static void a_row(sqlite3_stmt *q, store_assess_t *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(q, 0);
	sq_text_col(a->entity, sizeof a->entity, q, 1);
	a->org_id = sqlite3_column_int64(q, 2);
	a->qn_id = sqlite3_column_int64(q, 3);
	sq_text_col(a->qn_name, sizeof a->qn_name, q, 4);
	a->qn_version = sqlite3_column_int(q, 5);
	sq_text_col(a->period, sizeof a->period, q, 6);
	a->tlp = (tlp_t)sqlite3_column_int(q, 7);
	sq_text_col(a->state, sizeof a->state, q, 8);
	a->created = sqlite3_column_int64(q, 9);
	a->updated = sqlite3_column_int64(q, 10);
}

int sq_assess_add(store_t *st, store_assess_t *a)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO assessments(entity, org_id, qn_id, period, tlp, state, "
				   "created, updated) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
	if (!q)
		return STORE_ERR;
	if (!a->state[0])
		snprintf(a->state, sizeof a->state, "draft");
	a->created = a->updated = sq_now_us() / 1000000;
	text(q, 1, a->entity);
	sqlite3_bind_int64(q, 2, a->org_id);
	sqlite3_bind_int64(q, 3, a->qn_id);
	text(q, 4, a->period);
	sqlite3_bind_int(q, 5, (int)a->tlp);
	text(q, 6, a->state);
	sqlite3_bind_int64(q, 7, a->created);
	int rc = write1(st, q, "assessment", 0);
	if (rc == STORE_OK)
		a->id = sqlite3_last_insert_rowid(sq_db(st));
	return rc;
}

int sq_assess_get(store_t *st, int64_t id, store_assess_t *out)
{
	sqlite3_stmt *q = prep(st, "SELECT " A_COLS A_FROM "WHERE a.id = ?1");
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		a_row(q, out);
	sqlite3_finalize(q);
	if (rc == SQLITE_DONE)
		snprintf(st->err, sizeof st->err, "no assessment %lld", (long long)id);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "assessment");
}

int sq_assess_list(store_t *st, const tlp_view_t *view, const char *entity, store_assess_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT " A_COLS A_FROM "WHERE (:entity IS NULL OR a.entity = :entity) "
				   "AND " SQ_VISIBLE("a.tlp", "a.org_id", "0")
				   " ORDER BY a.entity, a.period, a.id");
	store_assess_t a;
	int rc;
	if (!q)
		return STORE_ERR;
	sq_bind_view(q, view);
	if (entity)
		sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":entity"), entity, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		a_row(q, &a);
		if (cb(arg, &a)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "assessments");
}

int sq_assess_set_state(store_t *st, int64_t id, const char *state)
{
	sqlite3_stmt *q = prep(st, "UPDATE assessments SET state = ?2, updated = ?3 WHERE id = ?1");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	text(q, 2, state);
	sqlite3_bind_int64(q, 3, sq_now_us() / 1000000);
	return write1(st, q, "assessment", 1);
}

int sq_ahist_add(store_t *st, store_ahist_t *h)
{
	sqlite3_stmt *q = prep(st, "INSERT INTO assess_history(assessment, at, actor, what) "
				   "VALUES(?1, ?2, ?3, ?4)");
	if (!q)
		return STORE_ERR;
	h->at = sq_now_us() / 1000000;
	sqlite3_bind_int64(q, 1, h->assessment);
	sqlite3_bind_int64(q, 2, h->at);
	text(q, 3, h->actor);
	text(q, 4, h->what);
	return write1(st, q, "assessment history", 0);
}

int sq_ahist_list(store_t *st, int64_t id, store_ahist_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT assessment, at, actor, what FROM assess_history "
				   "WHERE assessment = ?1 ORDER BY seq");
	store_ahist_t h;
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		h.assessment = sqlite3_column_int64(q, 0);
		h.at = sqlite3_column_int64(q, 1);
		sq_text_col(h.actor, sizeof h.actor, q, 2);
		sq_text_col(h.what, sizeof h.what, q, 3);
		if (cb(arg, &h)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "assessment history");
}

/* ---- answers ---- */

int sq_answer_put(store_t *st, store_answer_t *a)
{
	sqlite3_stmt *q = prep(st,
		"INSERT INTO assess_answers(assessment, question, value, by, at, evidence, source, review) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending') ON CONFLICT(assessment, question) DO UPDATE "
		"SET value = excluded.value, by = excluded.by, at = excluded.at, evidence = excluded.evidence, "
		"source = excluded.source, review = 'pending', reviewer = '', comment = ''");
	if (!q)
		return STORE_ERR;
	a->at = sq_now_us() / 1000000;
	sqlite3_bind_int64(q, 1, a->assessment);
	text(q, 2, a->question);
	text(q, 3, a->value);
	text(q, 4, a->by);
	sqlite3_bind_int64(q, 5, a->at);
	text(q, 6, a->evidence);
	text(q, 7, a->source);
	snprintf(a->review, sizeof a->review, "pending");
	return write1(st, q, "answer", 0);
}

int sq_answer_list(store_t *st, int64_t id, store_answer_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT assessment, question, value, by, at, evidence, source, review, "
				   "reviewer, comment FROM assess_answers WHERE assessment = ?1 "
				   "ORDER BY rowid");
	store_answer_t *a = malloc(sizeof *a);
	int rc = SQLITE_NOMEM;
	if (!q || !a) {
		sqlite3_finalize(q);
		free(a);
		return q ? (snprintf(st->err, sizeof st->err, "out of memory"), STORE_ERR) : STORE_ERR;
	}
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		a->assessment = sqlite3_column_int64(q, 0);
		sq_text_col(a->question, sizeof a->question, q, 1);
		sq_text_col(a->value, sizeof a->value, q, 2);
		sq_text_col(a->by, sizeof a->by, q, 3);
		a->at = sqlite3_column_int64(q, 4);
		sq_text_col(a->evidence, sizeof a->evidence, q, 5);
		sq_text_col(a->source, sizeof a->source, q, 6);
		sq_text_col(a->review, sizeof a->review, q, 7);
		sq_text_col(a->reviewer, sizeof a->reviewer, q, 8);
		sq_text_col(a->comment, sizeof a->comment, q, 9);
		if (cb(arg, a)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(q);
	free(a);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "answers");
}

int sq_answer_review(store_t *st, int64_t id, const char *question, const char *review,
		     const char *reviewer, const char *comment)
{
	sqlite3_stmt *q = prep(st, "UPDATE assess_answers SET review = ?3, reviewer = ?4, comment = ?5 "
				   "WHERE assessment = ?1 AND question = ?2");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	text(q, 2, question);
	text(q, 3, review);
	text(q, 4, reviewer);
	text(q, 5, comment);
	return write1(st, q, "answer", 1);
}

/* ---- roadmap ---- */

int sq_road_put(store_t *st, store_road_t *r)
{
	sqlite3_stmt *q = prep(st,
		"INSERT INTO assess_roadmap(assessment, action, priority, rank, why, state, assignee, updated) "
		"VALUES(?1, ?2, ?3, ?4, ?5, 'proposed', '', ?6) ON CONFLICT(assessment, action) DO UPDATE "
		"SET priority = excluded.priority, rank = excluded.rank, why = excluded.why");
	if (!q)
		return STORE_ERR;
	r->updated = sq_now_us() / 1000000;
	sqlite3_bind_int64(q, 1, r->assessment);
	text(q, 2, r->action);
	sqlite3_bind_double(q, 3, r->priority);
	sqlite3_bind_int(q, 4, r->rank);
	text(q, 5, r->why);
	sqlite3_bind_int64(q, 6, r->updated);
	return write1(st, q, "roadmap item", 0);
}

int sq_road_list(store_t *st, int64_t id, store_road_cb cb, void *arg)
{
	sqlite3_stmt *q = prep(st, "SELECT assessment, action, priority, rank, why, state, assignee, "
				   "updated FROM assess_roadmap WHERE assessment = ?1 ORDER BY rank, action");
	store_road_t r;
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		r.assessment = sqlite3_column_int64(q, 0);
		sq_text_col(r.action, sizeof r.action, q, 1);
		r.priority = sqlite3_column_double(q, 2);
		r.rank = sqlite3_column_int(q, 3);
		sq_text_col(r.why, sizeof r.why, q, 4);
		sq_text_col(r.state, sizeof r.state, q, 5);
		sq_text_col(r.assignee, sizeof r.assignee, q, 6);
		r.updated = sqlite3_column_int64(q, 7);
		if (cb(arg, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "roadmap");
}

int sq_road_set(store_t *st, int64_t id, const char *action, const char *state, const char *assignee)
{
	sqlite3_stmt *q = prep(st, "UPDATE assess_roadmap SET state = ?3, assignee = coalesce(?4, assignee), "
				   "updated = ?5 WHERE assessment = ?1 AND action = ?2");
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, id);
	text(q, 2, action);
	text(q, 3, state);
	if (assignee)
		text(q, 4, assignee);
	sqlite3_bind_int64(q, 5, sq_now_us() / 1000000);
	return write1(st, q, "roadmap item", 1);
}
