/* test_people.c — accounts and sign-in on a real SQLite file: enrolment,
 * right and wrong sign-ins (an unknown account answers as a wrong
 * password), lock-out per account and per address and its release, session
 * idle and absolute expiry, sign-out, disable and reset ending sessions,
 * weak passwords refused with a reason, CSRF tokens bound to their session,
 * TOTP against RFC 6238's vectors and in the sign-in, the audit trail;
 * sign-in with an organisation's client certificate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "audit/audit.h"
#include "people/people.h"

#define GOOD "correct horse battery staple"
#define GOOD2 "Another fine Passphrase 42"

typedef struct {
	char dir[64], path[128];
	store_t *st;
	int64_t acme, beta;
} fx_t;

static const people_by_t cli = {0, "cli test", "local"};

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	char err[256];
	snprintf(f->dir, sizeof f->dir, "/tmp/c5people.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, err, sizeof err), 0);
	org_t a = {.name = "acme", .type = "private-sector", .country = "BE"};
	org_t b = {.name = "beta", .type = "government", .country = "BE"};
	assert_int_equal(store_org_add(f->st, &a), 0);
	assert_int_equal(store_org_add(f->st, &b), 0);
	f->acme = a.id;
	f->beta = b.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	char cmd[160];
	store_close(f->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

/* An enrolled account with password pw; returns its id. */
static int64_t enrolled(fx_t *f, const char *email, int64_t org, const char *pw)
{
	char link[PEOPLE_SECRET_LEN + 1], err[256];
	people_user_t u;
	assert_int_equal(people_add(f->st, &cli, email, org, ROLE_ANALYST, link, err, sizeof err), 0);
	assert_int_equal(people_enrol(f->st, NULL, link, pw, err, sizeof err), 0);
	assert_int_equal(people_get(f->st, email, &u), 0);
	return u.id;
}

static int signin(fx_t *f, const char *email, const char *pw, const char *code, const char *addr,
		  int64_t now, char *sid)
{
	char err[256], tmp[PEOPLE_SECRET_LEN + 1];
	people_user_t u;
	return people_signin(f->st, email, pw, code, addr, now, sid ? sid : tmp, &u, err, sizeof err);
}

typedef struct {
	char actions[4096];
	int leaked;
} audit_seen_t;

static int audit_cb(void *arg, const store_audit_t *a)
{
	audit_seen_t *s = arg;
	strncat(s->actions, a->action, sizeof s->actions - strlen(s->actions) - 2);
	strcat(s->actions, " ");
	if (strstr(a->object, "horse") || strstr(a->detail, "horse"))
		s->leaked = 1;
	for (const char *p = a->object; *p; p++)
		if ((unsigned char)*p < 0x20)
			s->leaked = 1; /* a control character written into the log */
	return 0;
}

static void test_enrol_and_signin(void **state)
{
	fx_t *f = *state;
	char link[PEOPLE_SECRET_LEN + 1], sid[PEOPLE_SECRET_LEN + 1], err[256], err2[256];
	people_user_t u;
	int64_t now = time(NULL);

	assert_int_equal(people_add_named(f->st, &cli, "Alice@Example.ORG", f->acme, ROLE_ANALYST,
					  "Alice A.", link, err, sizeof err), 0);
	assert_int_equal(strlen(link), PEOPLE_SECRET_LEN);
	assert_int_equal(people_add(f->st, &cli, "alice@example.org", f->beta, ROLE_READER, link, err,
				    sizeof err), PEOPLE_EXISTS);
	assert_int_equal(people_add(f->st, &cli, "not-an-address", f->acme, ROLE_READER, link, err,
				    sizeof err), PEOPLE_NOTFOUND);
	assert_int_equal(people_add(f->st, &cli, "x@example.org", 9999, ROLE_READER, link, err,
				    sizeof err), PEOPLE_NOTFOUND);
	assert_int_equal(people_add(f->st, &cli, "x@example.org", f->acme, ROLE_PEER, link, err,
				    sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_add(f->st, &cli, "bob@example.org", f->acme, ROLE_READER, link, err,
				    sizeof err), 0);
	assert_int_equal(people_enrol_check(f->st, link, &u), 0);
	assert_string_equal(u.email, "bob@example.org");
	assert_false(u.has_password);
	assert_int_equal(people_enrol(f->st, NULL, link, "short", err, sizeof err), PEOPLE_WEAK);
	assert_non_null(strstr(err, "too short"));
	assert_int_equal(people_enrol(f->st, NULL, link, GOOD, err, sizeof err), 0);
	assert_int_equal(people_enrol(f->st, NULL, link, GOOD, err, sizeof err), PEOPLE_EXPIRED);
	assert_int_equal(people_enrol_check(f->st, link, &u), PEOPLE_EXPIRED);
	link[0] = link[0] == 'A' ? 'B' : 'A';
	assert_int_equal(people_enrol_check(f->st, link, &u), PEOPLE_NOTFOUND);
	assert_int_equal(people_enrol_check(f->st, "short", &u), PEOPLE_NOTFOUND);

	/* right */
	assert_int_equal(people_signin(f->st, "BOB@example.org", GOOD, NULL, "192.0.2.1", now, sid,
				       &u, err, sizeof err), 0);
	assert_int_equal(strlen(sid), PEOPLE_SECRET_LEN);
	assert_string_equal(u.email, "bob@example.org");
	assert_int_equal(u.role, ROLE_READER);
	assert_string_equal(u.org_name, "acme");
	memset(&u, 0, sizeof u);
	assert_int_equal(people_session(f->st, sid, now + 5, &u), 0);
	assert_string_equal(u.email, "bob@example.org");
	assert_true(u.last_signin == now);
	/* wrong password and unknown account: the same answer */
	assert_int_equal(people_signin(f->st, "bob@example.org", GOOD "x", NULL, "192.0.2.1", now,
				       sid, &u, err, sizeof err), PEOPLE_DENIED);
	assert_string_equal(sid, "");
	assert_int_equal(people_signin(f->st, "nobody@example.org", GOOD, NULL, "192.0.2.1", now,
				       sid, &u, err2, sizeof err2), PEOPLE_DENIED);
	assert_string_equal(err, err2);
	/* a password longer than any that can be set never matches */
	char longpw[PEOPLE_PASSWORD_MAX + 40];
	memset(longpw, 'p', sizeof longpw - 1);
	longpw[sizeof longpw - 1] = '\0';
	assert_int_equal(people_signin(f->st, "bob@example.org", longpw, NULL, "192.0.2.1", now,
				       sid, &u, err2, sizeof err2), PEOPLE_DENIED);
	assert_string_equal(err, err2);
	/* not enrolled yet: the same answer */
	assert_int_equal(people_signin(f->st, "alice@example.org", "", NULL, "192.0.2.1", now, sid,
				       &u, err2, sizeof err2), PEOPLE_DENIED);
	assert_string_equal(err, err2);
	people_user_t last;
	assert_int_equal(people_get(f->st, "alice@example.org", &last), 0);
	assert_string_equal(last.name, "Alice A.");
	assert_int_equal(people_get(f->st, "nobody@example.org", &last), PEOPLE_NOTFOUND);
}

static int count_cb(void *arg, const people_user_t *u)
{
	(void)u;
	(*(int *)arg)++;
	return 0;
}

static void test_list(void **state)
{
	fx_t *f = *state;
	int n = 0;
	enrolled(f, "a1@example.org", f->acme, GOOD);
	enrolled(f, "b1@example.org", f->beta, GOOD);
	enrolled(f, "b2@example.org", f->beta, GOOD);
	assert_int_equal(people_list(f->st, 0, count_cb, &n), 0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(people_list(f->st, f->beta, count_cb, &n), 0);
	assert_int_equal(n, 2);
}

static void test_may_manage(void **state)
{
	(void)state;
	people_user_t admin = {.id = 1, .org_id = 7, .role = ROLE_ADMIN};
	people_user_t other = {.id = 2, .org_id = 7, .role = ROLE_READER};
	people_user_t stranger = {.id = 3, .org_id = 8, .role = ROLE_READER};
	people_user_t hub_admin = {.id = 4, .org_id = 1, .role = ROLE_ADMIN};
	people_user_t hub_reader = {.id = 5, .org_id = 1, .role = ROLE_READER};
	people_user_t to_add = {.org_id = 8};
	assert_true(people_may_manage(&admin, &other, 1));
	assert_false(people_may_manage(&admin, &stranger, 1));
	assert_false(people_may_manage(&admin, &to_add, 1));
	assert_false(people_may_manage(&admin, &admin, 1));
	assert_false(people_may_manage(&other, &admin, 1));
	/* the hub's administrators manage everyone, never themselves */
	assert_true(people_may_manage(&hub_admin, &stranger, 1));
	assert_true(people_may_manage(&hub_admin, &to_add, 1));
	assert_true(people_may_manage(&hub_admin, &hub_reader, 1));
	assert_false(people_may_manage(&hub_admin, &hub_admin, 1));
	assert_false(people_may_manage(&hub_reader, &stranger, 1));
	assert_false(people_may_manage(&hub_admin, &stranger, 0)); /* no hub organisation set */
	admin.disabled = 1;
	assert_false(people_may_manage(&admin, &other, 1));
	hub_admin.disabled = 1;
	assert_false(people_may_manage(&hub_admin, &stranger, 1));
}

static void test_enrol_url(void **state)
{
	fx_t *f = *state;
	char url[128];
	assert_int_equal(people_enrol_url(f->st, "http://127.0.0.1:8080", "SECRET", url, sizeof url), 0);
	assert_string_equal(url, "http://127.0.0.1:8080/enrol/SECRET");
	assert_int_equal(store_setting_set(f->st, "public_url", "https://hub.example//"), 0);
	assert_int_equal(people_enrol_url(f->st, "http://127.0.0.1:8080", "SECRET", url, sizeof url), 0);
	assert_string_equal(url, "https://hub.example/enrol/SECRET");
	/* never a cut link */
	assert_int_equal(people_enrol_url(f->st, "x", "SECRET", url, 20), -1);
	assert_string_equal(url, "");
}

static void test_lockout_account(void **state)
{
	fx_t *f = *state;
	int64_t now = time(NULL);
	enrolled(f, "carol@example.org", f->acme, GOOD);
	for (int i = 0; i < PEOPLE_FAIL_MAX; i++)
		assert_int_equal(signin(f, "carol@example.org", "wrong password!", NULL,
					i % 2 ? "192.0.2.10" : "192.0.2.11", now + i, NULL),
				 PEOPLE_DENIED);
	/* locked: even the right password, from a third address */
	assert_int_equal(signin(f, "carol@example.org", GOOD, NULL, "192.0.2.12", now + 10, NULL),
			 PEOPLE_LOCKED);
	/* an unknown account locks the same way */
	for (int i = 0; i < PEOPLE_FAIL_MAX; i++)
		assert_int_equal(signin(f, "ghost@example.org", "whatever it is", NULL,
					i % 2 ? "192.0.2.20" : "192.0.2.21", now + i, NULL),
				 PEOPLE_DENIED);
	assert_int_equal(signin(f, "ghost@example.org", "whatever it is", NULL, "192.0.2.22",
				now + 10, NULL), PEOPLE_LOCKED);
	/* the window passes: released */
	assert_int_equal(signin(f, "carol@example.org", GOOD, NULL, "192.0.2.12",
				now + PEOPLE_FAIL_WINDOW + 5, NULL), 0);
}

static void test_lockout_address(void **state)
{
	fx_t *f = *state;
	int64_t now = time(NULL);
	char who[64];
	enrolled(f, "dave@example.org", f->acme, GOOD);
	for (int i = 0; i < PEOPLE_FAIL_MAX; i++) {
		snprintf(who, sizeof who, "guess%d@example.org", i);
		assert_int_equal(signin(f, who, GOOD, NULL, "198.51.100.7", now + i, NULL),
				 PEOPLE_DENIED);
	}
	assert_int_equal(signin(f, "dave@example.org", GOOD, NULL, "198.51.100.7", now + 6, NULL),
			 PEOPLE_LOCKED);
	assert_int_equal(signin(f, "dave@example.org", GOOD, NULL, "198.51.100.8", now + 6, NULL), 0);
	/* right sign-ins do not count against an address */
	for (int i = 0; i < PEOPLE_FAIL_MAX + 2; i++)
		assert_int_equal(signin(f, "dave@example.org", GOOD, NULL, "198.51.100.9", now + 7, NULL),
				 0);
	assert_int_equal(signin(f, "dave@example.org", GOOD, NULL, "198.51.100.7",
				now + PEOPLE_FAIL_WINDOW + 5, NULL), 0);
}

/* Ten processes guess one account's password at once: the limit holds
 * (exactly PEOPLE_FAIL_MAX guesses are checked, the rest are locked out). */
static void test_lockout_parallel(void **state)
{
	fx_t *f = *state;
	int64_t now = time(NULL);
	pid_t kids[10];
	int denied = 0, lockedout = 0;
	enrolled(f, "kim@example.org", f->acme, GOOD);
	for (int i = 0; i < 10; i++) {
		if ((kids[i] = fork()) == 0) {
			store_t *st;
			char err[256], sid[PEOPLE_SECRET_LEN + 1], addr[32];
			people_user_t u;
			if (store_open(f->path, 0, &st, err, sizeof err))
				_exit(9);
			snprintf(addr, sizeof addr, "192.0.2.%d", 100 + i);
			int r = people_signin(st, "kim@example.org", "a wrong guess here", NULL, addr, now,
					      sid, &u, err, sizeof err);
			store_close(st);
			_exit(r == PEOPLE_DENIED ? 1 : r == PEOPLE_LOCKED ? 2 : 9);
		}
		assert_true(kids[i] > 0);
	}
	for (int i = 0; i < 10; i++) {
		int ws;
		assert_int_equal(waitpid(kids[i], &ws, 0), kids[i]);
		assert_true(WIFEXITED(ws));
		denied += WEXITSTATUS(ws) == 1;
		lockedout += WEXITSTATUS(ws) == 2;
	}
	assert_int_equal(denied, PEOPLE_FAIL_MAX);
	assert_int_equal(lockedout, 10 - PEOPLE_FAIL_MAX);
}

static void test_session_expiry(void **state)
{
	fx_t *f = *state;
	char sid[PEOPLE_SECRET_LEN + 1], sid2[PEOPLE_SECRET_LEN + 1];
	people_user_t u;
	int64_t now = time(NULL), t;
	enrolled(f, "erin@example.org", f->acme, GOOD);
	/* idle */
	assert_int_equal(signin(f, "erin@example.org", GOOD, NULL, "a", now, sid), 0);
	assert_int_equal(people_session(f->st, sid, now + PEOPLE_SESSION_IDLE - 1, &u), 0);
	t = now + PEOPLE_SESSION_IDLE - 1;
	assert_int_equal(people_session(f->st, sid, t + PEOPLE_SESSION_IDLE, &u), 0); /* touched */
	t += PEOPLE_SESSION_IDLE;
	assert_int_equal(people_session(f->st, sid, t + PEOPLE_SESSION_IDLE + 1, &u), PEOPLE_EXPIRED);
	assert_int_equal(people_session(f->st, sid, t + 1, &u), PEOPLE_NOTFOUND); /* ended */
	/* absolute: kept busy, still ends at 12 h */
	assert_int_equal(signin(f, "erin@example.org", GOOD, NULL, "a", now, sid), 0);
	for (t = now; t <= now + PEOPLE_SESSION_MAX; t += 600)
		assert_int_equal(people_session(f->st, sid, t, &u), 0);
	assert_int_equal(people_session(f->st, sid, now + PEOPLE_SESSION_MAX + 1, &u), PEOPLE_EXPIRED);
	/* the setting */
	assert_int_equal(store_setting_set(f->st, "session_idle", "120"), 0);
	assert_int_equal(signin(f, "erin@example.org", GOOD, NULL, "a", now, sid2), 0);
	assert_int_equal(people_session(f->st, sid2, now + 121, &u), PEOPLE_EXPIRED);
	assert_int_equal(store_setting_set(f->st, "session_idle", "nonsense"), 0);
	assert_int_equal(signin(f, "erin@example.org", GOOD, NULL, "a", now, sid2), 0);
	assert_int_equal(people_session(f->st, sid2, now + 121, &u), 0);
	/* sign-out */
	assert_int_equal(people_signout(f->st, NULL, sid2), 0);
	assert_int_equal(people_session(f->st, sid2, now + 122, &u), PEOPLE_NOTFOUND);
	assert_int_equal(people_signout(f->st, NULL, sid2), 0);
	assert_int_equal(people_session(f->st, "garbage", now, &u), PEOPLE_NOTFOUND);
}

static void test_disable_and_reset(void **state)
{
	fx_t *f = *state;
	char sid[PEOPLE_SECRET_LEN + 1], link[PEOPLE_SECRET_LEN + 1], link2[PEOPLE_SECRET_LEN + 1];
	char secret[40], uri[512], code[7], err[256];
	people_user_t u;
	int64_t now = time(NULL);
	int64_t id = enrolled(f, "frank@example.org", f->acme, GOOD);

	assert_int_equal(signin(f, "frank@example.org", GOOD, NULL, "a", now, sid), 0);
	assert_int_equal(people_disable(f->st, &cli, "frank@example.org", 1, err, sizeof err), 0);
	assert_int_equal(people_session(f->st, sid, now, &u), PEOPLE_NOTFOUND);
	assert_int_equal(signin(f, "frank@example.org", GOOD, NULL, "a", now, sid), PEOPLE_DENIED);
	assert_int_equal(people_disable(f->st, &cli, "frank@example.org", 0, err, sizeof err), 0);
	assert_int_equal(signin(f, "frank@example.org", GOOD, NULL, "a", now, sid), 0);
	assert_int_equal(people_disable(f->st, &cli, "nobody@example.org", 1, err, sizeof err),
			 PEOPLE_NOTFOUND);

	/* a second factor, then a reset */
	assert_int_equal(people_totp_begin(f->st, id, secret, uri, sizeof uri, err, sizeof err), 0);
	assert_int_equal(people_totp_code(secret, time(NULL), code), 0);
	assert_int_equal(people_totp_confirm(f->st, &cli, id, code, err, sizeof err), 0);
	assert_int_equal(people_get(f->st, "frank@example.org", &u), 0);
	assert_true(u.totp);
	assert_int_equal(people_reset(f->st, &cli, "frank@example.org", link, err, sizeof err), 0);
	assert_int_equal(people_session(f->st, sid, now, &u), PEOPLE_NOTFOUND);
	assert_int_equal(people_get(f->st, "frank@example.org", &u), 0);
	assert_false(u.totp);
	assert_false(u.has_password);
	assert_int_equal(signin(f, "frank@example.org", GOOD, NULL, "a", now, sid), PEOPLE_DENIED);
	/* a second reset voids the first link */
	assert_int_equal(people_reset(f->st, &cli, "frank@example.org", link2, err, sizeof err), 0);
	assert_int_equal(people_enrol(f->st, NULL, link, GOOD2, err, sizeof err), PEOPLE_EXPIRED);
	assert_int_equal(people_enrol(f->st, NULL, link2, GOOD2, err, sizeof err), 0);
	assert_int_equal(signin(f, "frank@example.org", GOOD2, NULL, "a", now, sid), 0);
	/* a link out of date */
	assert_int_equal(people_reset(f->st, &cli, "frank@example.org", link, err, sizeof err), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE enrol_links SET expires = 1 WHERE used = 0", NULL,
				      NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(people_enrol_check(f->st, link, &u), PEOPLE_EXPIRED);
	assert_int_equal(people_enrol(f->st, NULL, link, GOOD2, err, sizeof err), PEOPLE_EXPIRED);
	/* the operator's password */
	assert_int_equal(people_set_password(f->st, &cli, "frank@example.org", "password1234", err,
					     sizeof err), PEOPLE_WEAK);
	assert_int_equal(people_set_password(f->st, &cli, "frank@example.org", GOOD, err,
					     sizeof err), 0);
	assert_int_equal(signin(f, "frank@example.org", GOOD, NULL, "a", now, sid), 0);
	assert_int_equal(people_set_role(f->st, &cli, "frank@example.org", ROLE_ADMIN, err,
					 sizeof err), 0);
	assert_int_equal(people_session(f->st, sid, now, &u), 0);
	assert_int_equal(u.role, ROLE_ADMIN);
}

static void weak(const char *email, const char *pw, const char *why)
{
	char err[256] = "";
	assert_int_equal(people_password_check(email, pw, err, sizeof err), PEOPLE_WEAK);
	if (!strstr(err, why))
		fail_msg("'%s': got '%s', want '%s'", pw, err, why);
}

static void test_weak_passwords(void **state)
{
	(void)state;
	char err[256], big[PEOPLE_PASSWORD_MAX + 2];
	weak("a@example.org", "", "too short");
	weak("a@example.org", "elevenchars", "too short");
	weak("a@example.org", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9xyzab1", "too short"); /* 11 code points */
	weak("a@example.org", "password1234", "common");
	weak("a@example.org", "QwertyUiop123", "common");
	weak("a@example.org", "123456789012", "common");
	weak("a@example.org", "aaaaaaaaaaaaaaa", "different characters");
	weak("a@example.org", "abababababab", "different characters");
	weak("jonathan@example.org", "my name is Jonathan!", "e-mail");
	weak("a@example.org", "caf\xe9 is not utf-8 text", "UTF-8");
	weak("a@example.org", "tab\there is a control", "UTF-8");
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[0] = 'a', big[1] = 'b', big[2] = 'c', big[3] = 'd';
	weak("a@example.org", big, "too long");
	assert_int_equal(people_password_check("a@example.org", GOOD, err, sizeof err), 0);
	assert_int_equal(people_password_check("a@example.org",
					       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9xyzab12", err,
					       sizeof err), 0);
}

static void test_csrf(void **state)
{
	fx_t *f = *state;
	char a[PEOPLE_SECRET_LEN + 1], b[PEOPLE_SECRET_LEN + 1];
	char ta[PEOPLE_CSRF_LEN + 1], ta2[PEOPLE_CSRF_LEN + 1], tb[PEOPLE_CSRF_LEN + 1];
	int64_t now = time(NULL);
	enrolled(f, "gina@example.org", f->acme, GOOD);
	assert_int_equal(signin(f, "gina@example.org", GOOD, NULL, "a", now, a), 0);
	assert_int_equal(signin(f, "gina@example.org", GOOD, NULL, "a", now, b), 0);
	assert_string_not_equal(a, b);
	people_csrf(a, ta);
	people_csrf(a, ta2);
	people_csrf(b, tb);
	assert_int_equal(strlen(ta), PEOPLE_CSRF_LEN);
	assert_string_equal(ta, ta2);
	assert_string_not_equal(ta, tb);
	assert_true(people_csrf_ok(a, ta));
	assert_true(people_csrf_ok(b, tb));
	assert_false(people_csrf_ok(a, tb));
	assert_false(people_csrf_ok(b, ta));
	assert_false(people_csrf_ok(a, ""));
	assert_false(people_csrf_ok(a, NULL));
	assert_false(people_csrf_ok("", ta));
	ta2[5] ^= 1;
	assert_false(people_csrf_ok(a, ta2));
}

static void test_totp_vectors(void **state)
{
	(void)state;
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	static const struct { int64_t t; uint32_t code; } v[] = {
		{59, 94287082}, {1111111109, 7081804}, {1111111111, 14050471},
		{1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130},
	};
	char b32[64], code[7];
	uint8_t back[32];
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_int_equal(people_hotp(key, 20, (uint64_t)v[i].t / 30, 8), v[i].code);
		assert_int_equal(people_hotp(key, 20, (uint64_t)v[i].t / 30, 6), v[i].code % 1000000);
	}
	people_b32_encode(key, 20, b32);
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(people_totp_code(b32, 59, code), 0);
	assert_string_equal(code, "287082");
	assert_int_equal(people_totp_code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 1111111109, code), 0);
	assert_string_equal(code, "081804");
	assert_int_equal(people_totp_code("not base32!", 59, code), -1);
	/* base32 */
	assert_int_equal(people_b32_decode("MZXW6YTBOI======", back, sizeof back), 6);
	assert_memory_equal(back, "foobar", 6);
	assert_int_equal(people_b32_decode("MZXW6YQ=", back, sizeof back), 4);
	assert_memory_equal(back, "foob", 4);
	assert_int_equal(people_b32_decode("", back, sizeof back), 0);
	assert_int_equal(people_b32_decode("MZXW6YTBOI", back, 5), -1);   /* too long */
	assert_int_equal(people_b32_decode("MZXW6YTBOJ", back, sizeof back), -1); /* bits left */
	assert_int_equal(people_b32_decode("M", back, sizeof back), -1);
	assert_int_equal(people_b32_decode("MZ1W", back, sizeof back), -1);
	assert_int_equal(people_b32_decode("MY=A", back, sizeof back), -1);
	people_b32_encode((const uint8_t *)"foob", 4, b32);
	assert_string_equal(b32, "MZXW6YQ");
}

static void test_totp_signin(void **state)
{
	fx_t *f = *state;
	char secret[40], secret2[40], uri[512], code[7], bad[7], err[256];
	char sid[PEOPLE_SECRET_LEN + 1];
	people_user_t u;
	int64_t now = time(NULL);
	int64_t id = enrolled(f, "hank@example.org", f->acme, GOOD);

	assert_int_equal(people_totp_begin(f->st, id, secret, uri, sizeof uri, err, sizeof err), 0);
	assert_int_equal(strlen(secret), 32);
	assert_non_null(strstr(uri, "otpauth://totp/c5hub:hank%40example.org?secret="));
	assert_non_null(strstr(uri, secret));
	/* not active until confirmed */
	assert_int_equal(signin(f, "hank@example.org", GOOD, NULL, "a", now, sid), 0);
	/* begin again: a new secret replaces the unconfirmed one */
	assert_int_equal(people_totp_begin(f->st, id, secret2, uri, sizeof uri, err, sizeof err), 0);
	assert_string_not_equal(secret, secret2);
	assert_int_equal(people_totp_code(secret2, now, code), 0);
	snprintf(bad, sizeof bad, "%06d", (atoi(code) + 1) % 1000000);
	assert_int_equal(people_totp_confirm(f->st, &cli, id, bad, err, sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_totp_confirm(f->st, &cli, id, "12ab56", err, sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_totp_confirm(f->st, &cli, id, code, err, sizeof err), 0);
	assert_int_equal(people_totp_confirm(f->st, &cli, id, code, err, sizeof err), PEOPLE_NOTFOUND);
	assert_int_equal(people_totp_begin(f->st, id, secret, uri, sizeof uri, err, sizeof err),
			 PEOPLE_EXISTS);

	/* the code is asked for after a right password, not counted */
	for (int i = 0; i < PEOPLE_FAIL_MAX + 1; i++)
		assert_int_equal(signin(f, "hank@example.org", GOOD, NULL, "b", now, sid),
				 PEOPLE_NEED_TOTP);
	/* the code used to confirm cannot be replayed; the next step's can */
	assert_int_equal(signin(f, "hank@example.org", GOOD, code, "b", now, sid), PEOPLE_DENIED);
	assert_int_equal(signin(f, "hank@example.org", GOOD, bad, "b", now, sid), PEOPLE_DENIED);
	int64_t later = time(NULL) + 30; /* a step after the one confirmed */
	assert_int_equal(people_totp_code(secret2, later, code), 0);
	assert_int_equal(people_signin(f->st, "hank@example.org", GOOD, code, "b", later, sid, &u, err,
				       sizeof err), 0);
	assert_true(u.totp);
	assert_int_equal(signin(f, "hank@example.org", GOOD, code, "b", later, sid), PEOPLE_DENIED);
	/* a wrong password with a right code is still wrong */
	assert_int_equal(people_totp_code(secret2, later + 30, code), 0);
	assert_int_equal(signin(f, "hank@example.org", GOOD "!", code, "c", later + 30, sid),
			 PEOPLE_DENIED);

	/* the organisation requires a second factor */
	int64_t other = enrolled(f, "ida@example.org", f->beta, GOOD);
	assert_int_equal(people_org_totp(f->st, f->beta), 0);
	assert_int_equal(people_org_set_totp(f->st, &cli, f->beta, 1, err, sizeof err), 0);
	assert_int_equal(people_org_totp(f->st, f->beta), 1);
	assert_int_equal(people_org_set_totp(f->st, &cli, 9999, 1, err, sizeof err), PEOPLE_NOTFOUND);
	assert_int_equal(people_signin(f->st, "ida@example.org", GOOD, NULL, "d", now, sid, &u, err,
				       sizeof err), PEOPLE_TOTP_SETUP);
	assert_int_equal(strlen(sid), PEOPLE_SECRET_LEN);
	assert_int_equal(people_session(f->st, sid, now, &u), PEOPLE_TOTP_SETUP);
	assert_int_equal(u.id, other);
	assert_int_equal(people_totp_begin(f->st, u.id, secret, uri, sizeof uri, err, sizeof err), 0);
	assert_int_equal(people_totp_code(secret, time(NULL), code), 0);
	assert_int_equal(people_totp_confirm(f->st, &cli, u.id, code, err, sizeof err), 0);
	assert_int_equal(people_session(f->st, sid, now, &u), 0);
}

typedef struct {
	const char *action, *detail;
	int found;
} detail_seen_t;

static int detail_cb(void *arg, const store_audit_t *a)
{
	detail_seen_t *s = arg;
	if (!strcmp(a->action, s->action) && !strcmp(a->detail, s->detail))
		s->found++;
	return 0;
}

/* Sign-in with a client certificate of an organisation: the account named
 * must be enrolled, enabled and of that organisation; refusals count
 * towards the lock-out; a second factor still applies. */
static void test_signin_cert(void **state)
{
	fx_t *f = *state;
	char sid[PEOPLE_SECRET_LEN + 1], err[256], link[PEOPLE_SECRET_LEN + 1], secret[40], uri[512], code[7],
		bad[7], head[128];
	people_user_t u;
	int64_t now = time(NULL);
	int64_t kim = enrolled(f, "kim@example.org", f->acme, GOOD);
	assert_int_equal(people_signin_cert(f->st, "Kim@Example.org", f->acme, NULL, "198.51.100.1", now, sid, &u, err,
					    sizeof err), 0);
	assert_int_equal(strlen(sid), PEOPLE_SECRET_LEN);
	assert_int_equal(u.id, kim);
	assert_int_equal(people_session(f->st, sid, now, &u), 0);
	assert_int_equal(u.id, kim);
	detail_seen_t seen = {"people.signin", "client certificate", 0};
	assert_int_equal(store_audit_list(f->st, 0, detail_cb, &seen, head, sizeof head), 0);
	assert_int_equal(seen.found, 1);

	/* another organisation's certificate, no certificate, an unknown,
	 * unenrolled or disabled account: refused, no session */
	assert_int_equal(people_signin_cert(f->st, "kim@example.org", f->beta, NULL, "198.51.100.2", now, sid, &u, err,
					    sizeof err), PEOPLE_DENIED);
	assert_string_equal(sid, "");
	assert_string_equal(err, "wrong e-mail address or password");
	assert_int_equal(people_signin_cert(f->st, "kim@example.org", 0, NULL, "198.51.100.2", now, sid, &u, err,
					    sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_signin_cert(f->st, "nobody@example.org", f->acme, NULL, "198.51.100.2", now, sid, &u,
					    err, sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_add(f->st, &cli, "lee@example.org", f->acme, ROLE_READER, link, err, sizeof err), 0);
	assert_int_equal(people_signin_cert(f->st, "lee@example.org", f->acme, NULL, "198.51.100.3", now, sid, &u, err,
					    sizeof err), PEOPLE_DENIED);
	enrolled(f, "max@example.org", f->acme, GOOD);
	assert_int_equal(people_disable(f->st, &cli, "max@example.org", 1, err, sizeof err), 0);
	assert_int_equal(people_signin_cert(f->st, "max@example.org", f->acme, NULL, "198.51.100.3", now, sid, &u, err,
					    sizeof err), PEOPLE_DENIED);
	seen = (detail_seen_t){"people.signin.fail", "certificate of another organisation", 0};
	assert_int_equal(store_audit_list(f->st, 0, detail_cb, &seen, head, sizeof head), 0);
	assert_int_equal(seen.found, 1);

	/* refusals count: the account locks, then even the right certificate waits */
	for (int i = 0; i < PEOPLE_FAIL_MAX - 1; i++)
		assert_int_equal(people_signin_cert(f->st, "kim@example.org", f->beta, NULL, "198.51.100.4", now, sid, &u,
						    err, sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_signin_cert(f->st, "kim@example.org", f->acme, NULL, "198.51.100.5", now, sid, &u, err,
					    sizeof err), PEOPLE_LOCKED);
	assert_int_equal(people_signin_cert(f->st, "kim@example.org", f->acme, NULL, "198.51.100.5",
					    now + PEOPLE_FAIL_WINDOW + 1, sid, &u, err, sizeof err), 0);

	/* a second factor still applies */
	int64_t ned = enrolled(f, "ned@example.org", f->acme, GOOD);
	assert_int_equal(people_totp_begin(f->st, ned, secret, uri, sizeof uri, err, sizeof err), 0);
	assert_int_equal(people_totp_code(secret, now, code), 0);
	assert_int_equal(people_totp_confirm(f->st, &cli, ned, code, err, sizeof err), 0);
	assert_int_equal(people_signin_cert(f->st, "ned@example.org", f->acme, NULL, "198.51.100.6", now, sid, &u, err,
					    sizeof err), PEOPLE_NEED_TOTP);
	assert_string_equal(sid, "");
	assert_int_equal(people_totp_code(secret, now + 30, code), 0);
	snprintf(bad, sizeof bad, "%06d", (atoi(code) + 1) % 1000000);
	assert_int_equal(people_signin_cert(f->st, "ned@example.org", f->acme, bad, "198.51.100.6", now + 30, sid, &u,
					    err, sizeof err), PEOPLE_DENIED);
	assert_int_equal(people_totp_code(secret, now + 60, code), 0);
	assert_int_equal(people_signin_cert(f->st, "ned@example.org", f->acme, code, "198.51.100.6", now + 60, sid, &u,
					    err, sizeof err), 0);
	assert_true(u.totp);
	/* an organisation that requires one: the session may only set it up */
	enrolled(f, "ola@example.org", f->beta, GOOD);
	assert_int_equal(people_org_set_totp(f->st, &cli, f->beta, 1, err, sizeof err), 0);
	assert_int_equal(people_signin_cert(f->st, "ola@example.org", f->beta, NULL, "198.51.100.7", now, sid, &u, err,
					    sizeof err), PEOPLE_TOTP_SETUP);
	assert_int_equal(people_session(f->st, sid, now, &u), PEOPLE_TOTP_SETUP);
}

static void test_audit_trail(void **state)
{
	fx_t *f = *state;
	char link[PEOPLE_SECRET_LEN + 1], sid[PEOPLE_SECRET_LEN + 1], err[256];
	audit_seen_t seen = {0};
	audit_report_t rep;
	char head[128];
	int64_t now = time(NULL);
	enrolled(f, "jo@example.org", f->acme, GOOD);
	assert_int_equal(signin(f, "jo@example.org", GOOD, NULL, "203.0.113.5", now, sid), 0);
	assert_int_equal(people_signout(f->st, NULL, sid), 0);
	for (int i = 0; i < PEOPLE_FAIL_MAX + 1; i++)
		signin(f, "jo@example.org", "correct horse battery stapler", NULL, "203.0.113.5", now, NULL);
	assert_int_equal(signin(f, "evil\nseq 1 forged entry", GOOD, NULL, "203.0.113.6", now, NULL),
			 PEOPLE_DENIED);
	assert_int_equal(people_reset(f->st, &cli, "jo@example.org", link, err, sizeof err), 0);
	assert_int_equal(people_disable(f->st, &cli, "jo@example.org", 1, err, sizeof err), 0);
	assert_int_equal(store_audit_list(f->st, 0, audit_cb, &seen, head, sizeof head), 0);
	const char *want[] = {"people.add", "people.enrol", "people.signin", "people.signout",
			      "people.signin.fail", "people.lockout", "people.signin.locked",
			      "people.reset", "people.disable"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(seen.actions, want[i]))
			fail_msg("no %s in the audit log: %s", want[i], seen.actions);
	assert_false(seen.leaked);
	assert_int_equal(audit_verify(f->st, &rep), 0);
	assert_int_equal(rep.bad_seq, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_enrol_and_signin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test(test_may_manage),
		cmocka_unit_test_setup_teardown(test_enrol_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lockout_parallel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_and_reset, setup, teardown),
		cmocka_unit_test(test_weak_passwords),
		cmocka_unit_test_setup_teardown(test_csrf, setup, teardown),
		cmocka_unit_test(test_totp_vectors),
		cmocka_unit_test_setup_teardown(test_totp_signin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_trail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signin_cert, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
