/* store_people.c — the SQLite back end's people tables (schema 15):
 * accounts, enrolment links, sessions, sign-in failures and each
 * organisation's second-factor policy.  See store.h; the rules (hashing,
 * expiry, throttling) are in src/people/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

enum {
	U_ADD, U_GET_EMAIL, U_GET_ID, U_UPDATE, U_LIST, U_LIST_ORG,
	L_VOID, L_ADD, L_GET, L_USE,
	S_ADD, S_GET, S_TOUCH, S_END, S_END_USER, S_PRUNE,
	F_ADD, F_COUNT, F_CLEAR, F_REMOVE, F_PRUNE,
	O_SET_TOTP, O_TOTP, P_N
};
_Static_assert(SQ_PEOPLE_SLOT + P_N <= SQ_WSTMT, "store_people.c's slots fit");

#define U_COLS "u.id, u.email, u.org_id, u.role, u.name, u.password, u.disabled, " \
	"u.totp_secret, u.totp_confirmed, u.totp_last, u.created, u.last_signin, coalesce(o.name, '')"
#define U_FROM " FROM users u LEFT JOIN orgs o ON o.id = u.org_id"

static const char *const psql[P_N] = {
	[U_ADD] = "INSERT INTO users(email, org_id, role, name, password, disabled, totp_secret, "
		  "totp_confirmed, totp_last, created, last_signin) "
		  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[U_GET_EMAIL] = "SELECT " U_COLS U_FROM " WHERE u.email = ?1",
	[U_GET_ID] = "SELECT " U_COLS U_FROM " WHERE u.id = ?1",
	[U_UPDATE] = "UPDATE users SET role = ?2, name = ?3, password = ?4, disabled = ?5, "
		     "totp_secret = ?6, totp_confirmed = ?7, totp_last = ?8, last_signin = ?9 "
		     "WHERE id = ?1",
	[U_LIST] = "SELECT " U_COLS U_FROM " ORDER BY u.email",
	[U_LIST_ORG] = "SELECT " U_COLS U_FROM " WHERE u.org_id = ?1 ORDER BY u.email",
	[L_VOID] = "UPDATE enrol_links SET used = ?2 WHERE user_id = ?1 AND used = 0",
	[L_ADD] = "INSERT INTO enrol_links(hash, user_id, created, expires) VALUES(?1, ?2, ?3, ?4)",
	[L_GET] = "SELECT user_id, created, expires, used FROM enrol_links WHERE hash = ?1",
	[L_USE] = "UPDATE enrol_links SET used = ?2 WHERE hash = ?1 AND used = 0",
	[S_ADD] = "INSERT INTO sessions(hash, user_id, created, last_seen, addr) "
		  "VALUES(?1, ?2, ?3, ?4, ?5)",
	[S_GET] = "SELECT user_id, created, last_seen, addr FROM sessions WHERE hash = ?1",
	[S_TOUCH] = "UPDATE sessions SET last_seen = ?2 WHERE hash = ?1 AND last_seen < ?2",
	[S_END] = "DELETE FROM sessions WHERE hash = ?1",
	[S_END_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[S_PRUNE] = "DELETE FROM sessions WHERE last_seen < ?1 OR created < ?2",
	[F_ADD] = "INSERT INTO login_failures(key, t) VALUES(?1, ?2)",
	[F_COUNT] = "SELECT count(*) FROM login_failures WHERE key = ?1 AND t >= ?2",
	[F_CLEAR] = "DELETE FROM login_failures WHERE key = ?1",
	[F_REMOVE] = "DELETE FROM login_failures WHERE rowid = "
		     "(SELECT rowid FROM login_failures WHERE key = ?1 AND t = ?2 LIMIT 1)",
	[F_PRUNE] = "DELETE FROM login_failures WHERE t < ?1",
	[O_SET_TOTP] = "UPDATE orgs SET totp_policy = ?2 WHERE id = ?1",
	[O_TOTP] = "SELECT totp_policy FROM orgs WHERE id = ?1",
};

static sqlite3_stmt *q_(store_t *st, int x)
{
	return sq_prepared(st, SQ_PEOPLE_SLOT + x, psql[x]);
}

/* Step a statement that returns no row; STORE_OK or the error. */
static int done(store_t *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	int r = rc == SQLITE_DONE ? STORE_OK : sq_error(st, what);
	sqlite3_reset(q);
	return r;
}

/* ---- accounts ---- */

int sq_user_add(store_t *st, store_user_t *u)
{
	sqlite3_stmt *q = q_(st, U_ADD);
	if (!q)
		return STORE_ERR;
	u->created = sq_now_us() / 1000000;
	sqlite3_bind_text(q, 1, u->email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, u->org_id);
	sqlite3_bind_text(q, 3, role_name(u->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, u->password, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, u->disabled);
	sqlite3_bind_text(q, 7, u->totp_secret, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 8, u->totp_confirmed);
	sqlite3_bind_int64(q, 9, u->totp_last);
	sqlite3_bind_int64(q, 10, u->created);
	sqlite3_bind_int64(q, 11, u->last_signin);
	int r = done(st, q, "add account");
	if (r == STORE_EEXISTS)
		snprintf(st->err, sizeof st->err, "an account for %s exists", u->email);
	if (r == STORE_OK)
		u->id = sqlite3_last_insert_rowid(sq_db(st));
	return r;
}

static void user_row(sqlite3_stmt *q, store_user_t *u)
{
	char role[16];
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(q, 0);
	sq_text_col(u->email, sizeof u->email, q, 1);
	u->org_id = sqlite3_column_int64(q, 2);
	sq_text_col(role, sizeof role, q, 3);
	if (role_parse(role, &u->role))
		u->role = ROLE_READER;
	sq_text_col(u->name, sizeof u->name, q, 4);
	sq_text_col(u->password, sizeof u->password, q, 5);
	u->disabled = sqlite3_column_int(q, 6);
	sq_text_col(u->totp_secret, sizeof u->totp_secret, q, 7);
	u->totp_confirmed = sqlite3_column_int(q, 8);
	u->totp_last = sqlite3_column_int64(q, 9);
	u->created = sqlite3_column_int64(q, 10);
	u->last_signin = sqlite3_column_int64(q, 11);
	sq_text_col(u->org_name, sizeof u->org_name, q, 12);
}

int sq_user_get(store_t *st, const char *email, int64_t id, store_user_t *out)
{
	sqlite3_stmt *q = q_(st, email ? U_GET_EMAIL : U_GET_ID);
	int rc;
	if (!q)
		return STORE_ERR;
	if (email)
		sqlite3_bind_text(q, 1, email, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, 1, id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		user_row(q, out);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		snprintf(st->err, sizeof st->err, "no such account");
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "account");
}

int sq_user_update(store_t *st, const store_user_t *u)
{
	sqlite3_stmt *q = q_(st, U_UPDATE);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, u->id);
	sqlite3_bind_text(q, 2, role_name(u->role), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, u->password, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, u->disabled);
	sqlite3_bind_text(q, 6, u->totp_secret, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, u->totp_confirmed);
	sqlite3_bind_int64(q, 8, u->totp_last);
	sqlite3_bind_int64(q, 9, u->last_signin);
	int r = done(st, q, "update account");
	if (r == STORE_OK && !sqlite3_changes(sq_db(st))) {
		snprintf(st->err, sizeof st->err, "no such account");
		return STORE_ENOTFOUND;
	}
	return r;
}

int sq_user_list(store_t *st, int64_t org_id, store_user_cb cb, void *arg)
{
	sqlite3_stmt *q = q_(st, org_id ? U_LIST_ORG : U_LIST);
	store_user_t *u = malloc(sizeof *u);
	int rc;
	if (!q || !u) {
		free(u);
		if (q)
			snprintf(st->err, sizeof st->err, "out of memory");
		return STORE_ERR;
	}
	if (org_id)
		sqlite3_bind_int64(q, 1, org_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		user_row(q, u);
		if (cb(arg, u)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(q);
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc == SQLITE_DONE ? STORE_OK : sq_error(st, "accounts");
}

/* ---- enrolment links ---- */

int sq_enrol_add(store_t *st, const uint8_t *hash, const store_enrol_t *e)
{
	sqlite3_stmt *q = q_(st, L_VOID);
	int r;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, e->user_id);
	sqlite3_bind_int64(q, 2, e->created);
	if ((r = done(st, q, "enrolment link")))
		return r;
	if (!(q = q_(st, L_ADD)))
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, e->user_id);
	sqlite3_bind_int64(q, 3, e->created);
	sqlite3_bind_int64(q, 4, e->expires);
	return done(st, q, "enrolment link");
}

int sq_enrol_get(store_t *st, const uint8_t *hash, store_enrol_t *out)
{
	sqlite3_stmt *q = q_(st, L_GET);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->user_id = sqlite3_column_int64(q, 0);
		out->created = sqlite3_column_int64(q, 1);
		out->expires = sqlite3_column_int64(q, 2);
		out->used = sqlite3_column_int64(q, 3);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "enrolment link");
}

int sq_enrol_use(store_t *st, const uint8_t *hash, int64_t now)
{
	sqlite3_stmt *q = q_(st, L_USE);
	int r;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now > 0 ? now : 1);
	if ((r = done(st, q, "enrolment link")))
		return r;
	return sqlite3_changes(sq_db(st)) ? STORE_OK : STORE_ENOTFOUND;
}

/* ---- sessions ---- */

int sq_session_add(store_t *st, const uint8_t *hash, const store_session_t *s)
{
	sqlite3_stmt *q = q_(st, S_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, s->user_id);
	sqlite3_bind_int64(q, 3, s->created);
	sqlite3_bind_int64(q, 4, s->last_seen);
	sqlite3_bind_text(q, 5, s->addr, -1, SQLITE_STATIC);
	return done(st, q, "session");
}

int sq_session_get(store_t *st, const uint8_t *hash, store_session_t *out)
{
	sqlite3_stmt *q = q_(st, S_GET);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		out->user_id = sqlite3_column_int64(q, 0);
		out->created = sqlite3_column_int64(q, 1);
		out->last_seen = sqlite3_column_int64(q, 2);
		sq_text_col(out->addr, sizeof out->addr, q, 3);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND : sq_error(st, "session");
}

int sq_session_touch(store_t *st, const uint8_t *hash, int64_t now)
{
	sqlite3_stmt *q = q_(st, S_TOUCH);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	return done(st, q, "session");
}

int sq_session_end(store_t *st, const uint8_t *hash)
{
	sqlite3_stmt *q = q_(st, S_END);
	int r;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	if ((r = done(st, q, "session")))
		return r;
	return sqlite3_changes(sq_db(st)) ? STORE_OK : STORE_ENOTFOUND;
}

int sq_session_end_user(store_t *st, int64_t user_id, int64_t *n)
{
	sqlite3_stmt *q = q_(st, S_END_USER);
	int r;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, user_id);
	if ((r = done(st, q, "sessions")))
		return r;
	if (n)
		*n = sqlite3_changes(sq_db(st));
	return STORE_OK;
}

int sq_session_prune(store_t *st, int64_t idle_before, int64_t made_before)
{
	sqlite3_stmt *q = q_(st, S_PRUNE);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, idle_before);
	sqlite3_bind_int64(q, 2, made_before);
	return done(st, q, "sessions");
}

/* ---- sign-in failures ---- */

int sq_login_fail_add(store_t *st, const char *key, int64_t t)
{
	sqlite3_stmt *q = q_(st, F_ADD);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, t);
	return done(st, q, "sign-in failure");
}

int sq_login_fail_count(store_t *st, const char *key, int64_t since, int64_t *n)
{
	sqlite3_stmt *q = q_(st, F_COUNT);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, since);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW)
		*n = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? STORE_OK : sq_error(st, "sign-in failures");
}

int sq_login_fail_clear(store_t *st, const char *key)
{
	sqlite3_stmt *q = q_(st, F_CLEAR);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	return done(st, q, "sign-in failures");
}

int sq_login_fail_remove(store_t *st, const char *key, int64_t t)
{
	sqlite3_stmt *q = q_(st, F_REMOVE);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, t);
	return done(st, q, "sign-in failures");
}

int sq_login_fail_prune(store_t *st, int64_t before)
{
	sqlite3_stmt *q = q_(st, F_PRUNE);
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, before);
	return done(st, q, "sign-in failures");
}

/* ---- organisations' second-factor policy ---- */

int sq_org_set_totp(store_t *st, int64_t org_id, int required)
{
	sqlite3_stmt *q = q_(st, O_SET_TOTP);
	int r;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, org_id);
	sqlite3_bind_text(q, 2, required ? "required" : "optional", -1, SQLITE_STATIC);
	if ((r = done(st, q, "organisation policy")))
		return r;
	if (!sqlite3_changes(sq_db(st))) {
		snprintf(st->err, sizeof st->err, "no such organisation");
		return STORE_ENOTFOUND;
	}
	return STORE_OK;
}

int sq_org_totp(store_t *st, int64_t org_id, int *required)
{
	sqlite3_stmt *q = q_(st, O_TOTP);
	int rc;
	if (!q)
		return STORE_ERR;
	sqlite3_bind_int64(q, 1, org_id);
	if ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(q, 0);
		*required = v && !strcmp((const char *)v, "required");
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		snprintf(st->err, sizeof st->err, "no such organisation");
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_ENOTFOUND
							      : sq_error(st, "organisation policy");
}
