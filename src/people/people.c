/* people.c — accounts, enrolment, passwords (Argon2id), the second factor's
 * set-up, sessions and sign-in throttling (see people.h).  Every secret in
 * clear lives only in this file's stack buffers and is cleared before the
 * call returns; the store sees hashes. */
#include <argon2.h>
#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "people.h"
#include "audit/audit.h"

/* Argon2id for small machines (OWASP's first choice): 2 passes over 19 MiB,
 * one lane; a 16-byte salt and a 32-byte hash. */
#define PW_T 2
#define PW_M 19456
#define PW_P 1
#define PW_SALT 16
#define PW_HASH 32
#define TOUCH_EVERY 15      /* seconds between writes of a session's last_seen */
#define FAIL_DELAY_MS 100   /* per failure of the account in the window ... */
#define FAIL_DELAY_MAX 500  /* ... up to this */

extern const char data_common_passwords_txt[];

/* ---- small helpers ---- */

static void msg(char *err, size_t errlen, const char *text)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", text);
}

static void b64url(const uint8_t *in, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i = 0, o = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = a[(v >> 6) & 63];
		out[o++] = a[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = a[(v >> 6) & 63];
	}
	out[o] = '\0';
}

/* A new secret (32 random bytes, base64url: PEOPLE_SECRET_LEN characters)
 * and its SHA-256, the form the store keeps. */
static int new_secret(char *secret, uint8_t hash[32])
{
	uint8_t r[32];
	if (gnutls_rnd(GNUTLS_RND_KEY, r, sizeof r))
		return -1;
	b64url(r, sizeof r, secret);
	explicit_bzero(r, sizeof r);
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, secret, PEOPLE_SECRET_LEN, hash) < 0 ? -1 : 0;
}

/* The SHA-256 of a presented secret; -1 when it is not of the form made. */
static int secret_hash(const char *secret, uint8_t hash[32])
{
	if (!secret || strlen(secret) != PEOPLE_SECRET_LEN ||
	    strspn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    PEOPLE_SECRET_LEN)
		return -1;
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, secret, PEOPLE_SECRET_LEN, hash) < 0 ? -1 : 0;
}

static int ct_equal(const void *a, const void *b, size_t n)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

/* Lower-case an e-mail address into out; -1 when it does not look like
 * one (local@domain, printable ASCII, no spaces, at most 254 bytes). */
static int email_norm(const char *in, char *out)
{
	size_t n = in ? strlen(in) : 0, at = 0, ats = 0;
	if (n == 0 || n > PEOPLE_EMAIL_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= ' ' || c >= 127 || c == '"' || c == '<' || c == '>' || c == '\\' || c == ',')
			return -1;
		if (c == '@')
			at = i, ats++;
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	if (ats != 1 || at == 0 || at == n - 1 || !strchr(out + at + 1, '.') || out[n - 1] == '.')
		return -1;
	return 0;
}

static void to_person(const store_user_t *u, people_user_t *p)
{
	memset(p, 0, sizeof *p);
	p->id = u->id;
	p->org_id = u->org_id;
	p->created = u->created;
	p->last_signin = u->last_signin;
	snprintf(p->email, sizeof p->email, "%s", u->email);
	snprintf(p->name, sizeof p->name, "%s", u->name);
	p->role = u->role;
	p->disabled = u->disabled;
	p->has_password = u->password[0] != '\0';
	p->totp = u->totp_confirmed;
	snprintf(p->org_name, sizeof p->org_name, "%s", u->org_name);
}

/* The account of email (normalised first) into *u (cleared on the way out
 * by the caller).  PEOPLE_NOTFOUND (err says), PEOPLE_ERR. */
static int find(store_t *st, const char *email, store_user_t *u, char *err, size_t errlen)
{
	char em[PEOPLE_EMAIL_MAX + 1];
	if (email_norm(email, em)) {
		msg(err, errlen, "not an e-mail address");
		return PEOPLE_NOTFOUND;
	}
	int r = store_user_get(st, em, 0, u);
	if (r == STORE_ENOTFOUND) {
		snprintf(err, errlen, "no account for %s", em);
		return PEOPLE_NOTFOUND;
	}
	if (r) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return PEOPLE_ERR;
	}
	return PEOPLE_OK;
}

/* Append an audit entry of by (or the person, from addr) inside the open
 * transaction. */
static int audit(store_t *st, const people_by_t *by, int64_t org_id, const char *person,
		 const char *addr, const char *action, const char *object, const char *detail)
{
	char actor[PEOPLE_EMAIL_MAX + 16];
	audit_entry_t e = {.org_id = by ? by->org_id : org_id, .action = action, .object = object,
			   .detail = detail ? detail : ""};
	if (by && by->actor) {
		e.actor = by->actor;
	} else {
		snprintf(actor, sizeof actor, "person %s", person);
		e.actor = actor;
	}
	e.addr = by && by->addr ? by->addr : addr ? addr : "local";
	return audit_record(st, &e);
}

/* Commit, or roll back: PEOPLE_OK or PEOPLE_ERR with the store's reason. */
static int finish(store_t *st, int failed, char *err, size_t errlen)
{
	if (!failed && !store_commit(st))
		return PEOPLE_OK;
	snprintf(err, errlen, "%s", store_errmsg(st));
	store_rollback(st);
	return PEOPLE_ERR;
}

/* ---- passwords ---- */

static int is_common(const char *pw)
{
	size_t n = strlen(pw);
	for (const char *l = data_common_passwords_txt; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		if (len == n && *l != '#' && !strncasecmp(l, pw, n))
			return 1;
		if (!e)
			break;
		l = e + 1;
	}
	return 0;
}

/* UTF-8 code points in s, or -1 when s is not UTF-8 or holds a control
 * character. */
static long utf8_len(const char *s)
{
	long n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; n++) {
		int k = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2
			: (*p & 0xf8) == 0xf0 ? 3 : -1;
		if (k < 0 || (k == 0 && (*p < 0x20 || *p == 0x7f)) || (k == 1 && *p < 0xc2) ||
		    (k == 3 && *p > 0xf4))
			return -1;
		p++;
		for (int i = 0; i < k; i++, p++)
			if ((*p & 0xc0) != 0x80)
				return -1;
	}
	return n;
}

int people_password_check(const char *email, const char *password, char *err, size_t errlen)
{
	size_t n = password ? strlen(password) : 0;
	if (n > PEOPLE_PASSWORD_MAX) {
		snprintf(err, errlen, "the password is too long (at most %d bytes)", PEOPLE_PASSWORD_MAX);
		return PEOPLE_WEAK;
	}
	long cp = password ? utf8_len(password) : 0;
	if (cp < 0) {
		msg(err, errlen, "the password is not valid UTF-8 text (or holds a control character)");
		return PEOPLE_WEAK;
	}
	if (cp < PEOPLE_PASSWORD_MIN) {
		snprintf(err, errlen, "the password is too short (at least %d characters)",
			 PEOPLE_PASSWORD_MIN);
		return PEOPLE_WEAK;
	}
	char seen[256] = {0};
	int distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (!seen[(unsigned char)password[i]]++)
			distinct++;
	if (distinct < 5) {
		msg(err, errlen, "the password has too few different characters");
		return PEOPLE_WEAK;
	}
	if (is_common(password)) {
		msg(err, errlen, "the password is one of the most common passwords");
		return PEOPLE_WEAK;
	}
	char em[PEOPLE_EMAIL_MAX + 1];
	if (email && !email_norm(email, em)) {
		char *at = strchr(em, '@');
		*at = '\0';
		if (!strcasecmp(password, email) || (strlen(em) >= 4 && strcasestr(password, em))) {
			msg(err, errlen, "the password contains the e-mail address");
			return PEOPLE_WEAK;
		}
	}
	return PEOPLE_OK;
}

/* Argon2id of password into enc (encoded, with its parameters and salt). */
static int pw_hash(const char *password, char *enc, size_t enclen)
{
	uint8_t salt[PW_SALT];
	if (gnutls_rnd(GNUTLS_RND_NONCE, salt, sizeof salt))
		return -1;
	return argon2id_hash_encoded(PW_T, PW_M, PW_P, password, strlen(password), salt, sizeof salt,
				     PW_HASH, enc, enclen) == ARGON2_OK ? 0 : -1;
}

/* A hash of a random password with the same parameters, verified against
 * when there is no account (or no password) so that the time taken does
 * not tell. */
static char dummy_hash[160];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_init(void)
{
	char pw[PEOPLE_SECRET_LEN + 1];
	uint8_t h[32];
	if (new_secret(pw, h) || pw_hash(pw, dummy_hash, sizeof dummy_hash))
		dummy_hash[0] = '\0';
	explicit_bzero(pw, sizeof pw);
}

/* 1 when password matches enc; always spends one Argon2 computation. */
static int pw_verify(const char *enc, const char *password)
{
	pthread_once(&dummy_once, dummy_init);
	int real = enc && enc[0];
	const char *e = real ? enc : dummy_hash;
	if (!e[0])
		return 0;
	/* no password longer than PEOPLE_PASSWORD_MAX was ever set: one is
	 * checked against the dummy, at the cost of a right length */
	size_t n = strlen(password);
	if (n > PEOPLE_PASSWORD_MAX) {
		real = 0;
		e = dummy_hash;
		n = PEOPLE_PASSWORD_MAX;
	}
	int ok = argon2id_verify(e, password, n) == ARGON2_OK;
	return real && ok;
}

/* ---- accounts ---- */

/* A new enrolment link for u inside the open transaction: link gets the
 * secret. */
static int make_link(store_t *st, int64_t user_id, char *link)
{
	uint8_t h[32];
	int64_t now = (int64_t)time(NULL);
	store_enrol_t e = {.user_id = user_id, .created = now, .expires = now + PEOPLE_ENROL_TTL};
	if (new_secret(link, h))
		return -1;
	return store_enrol_add(st, h, &e) ? -1 : 0;
}

int people_add_named(store_t *st, const people_by_t *by, const char *email, int64_t org_id,
		     role_t role, const char *name, char *link, char *err, size_t errlen)
{
	store_user_t *u = calloc(1, sizeof *u);
	org_t o;
	char detail[160];
	int rc = PEOPLE_ERR;
	link[0] = '\0';
	if (!u) {
		msg(err, errlen, "out of memory");
		return PEOPLE_ERR;
	}
	if (email_norm(email, u->email)) {
		msg(err, errlen, "not an e-mail address");
		rc = PEOPLE_NOTFOUND;
		goto out;
	}
	if (role > ROLE_ADMIN) {
		msg(err, errlen, "a person's role is reader, contributor, analyst or admin");
		rc = PEOPLE_DENIED;
		goto out;
	}
	if (name && *name && !model_name_ok(name)) {
		snprintf(err, errlen, "the name must be 1 to %d printable bytes", MODEL_NAME_MAX);
		rc = PEOPLE_DENIED;
		goto out;
	}
	if (store_org_get(st, org_id, &o)) {
		msg(err, errlen, "no such organisation");
		rc = PEOPLE_NOTFOUND;
		goto out;
	}
	u->org_id = org_id;
	u->role = role;
	snprintf(u->name, sizeof u->name, "%s", name ? name : "");
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	int r = store_user_add(st, u);
	if (r == STORE_EEXISTS) {
		snprintf(err, errlen, "an account for %s exists", u->email);
		store_rollback(st);
		rc = PEOPLE_EXISTS;
		goto out;
	}
	snprintf(detail, sizeof detail, "org %s, role %s", o.name, role_name(role));
	rc = finish(st, r || make_link(st, u->id, link) ||
			audit(st, by, org_id, u->email, NULL, "people.add", u->email, detail),
		    err, errlen);
	if (rc)
		explicit_bzero(link, PEOPLE_SECRET_LEN + 1);
out:
	free(u);
	return rc;
}

int people_add(store_t *st, const people_by_t *by, const char *email, int64_t org_id, role_t role,
	       char *link, char *err, size_t errlen)
{
	return people_add_named(st, by, email, org_id, role, "", link, err, errlen);
}

/* Load email's account, let change() alter it, and write it back with its
 * audit entry (and, when end_sessions, the end of its sessions) in one
 * transaction; link (when not NULL) gets a new enrolment link. */
typedef void (*change_fn)(store_user_t *u, const void *arg);
static int update(store_t *st, const people_by_t *by, const char *email, change_fn change,
		  const void *arg, int end_sessions, char *link, const char *action,
		  const char *detail, char *err, size_t errlen)
{
	store_user_t *u = calloc(1, sizeof *u);
	int rc;
	if (!u) {
		msg(err, errlen, "out of memory");
		return PEOPLE_ERR;
	}
	/* read inside the write transaction: a change made meanwhile by
	 * another connection is never written over */
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		rc = PEOPLE_ERR;
		goto out;
	}
	if ((rc = find(st, email, u, err, errlen))) {
		store_rollback(st);
		goto out;
	}
	change(u, arg);
	rc = finish(st, store_user_update(st, u) ||
			(end_sessions && store_session_end_user(st, u->id, NULL)) ||
			(link && make_link(st, u->id, link)) ||
			audit(st, by, u->org_id, u->email, NULL, action, u->email, detail),
		    err, errlen);
	if (rc && link)
		explicit_bzero(link, PEOPLE_SECRET_LEN + 1);
out:
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

static void clear_credentials(store_user_t *u, const void *arg)
{
	(void)arg;
	explicit_bzero(u->password, sizeof u->password);
	explicit_bzero(u->totp_secret, sizeof u->totp_secret);
	u->totp_confirmed = 0;
}

int people_reset(store_t *st, const people_by_t *by, const char *email, char *link, char *err,
		 size_t errlen)
{
	link[0] = '\0';
	return update(st, by, email, clear_credentials, NULL, 1, link, "people.reset",
		      "password and second factor cleared, sessions ended", err, errlen);
}


static void set_disabled(store_user_t *u, const void *arg)
{
	u->disabled = *(const int *)arg;
}

int people_disable(store_t *st, const people_by_t *by, const char *email, int disabled, char *err,
		   size_t errlen)
{
	disabled = !!disabled;
	return update(st, by, email, set_disabled, &disabled, disabled, NULL,
		      disabled ? "people.disable" : "people.enable",
		      disabled ? "sessions ended" : "", err, errlen);
}

static void set_role(store_user_t *u, const void *arg)
{
	u->role = *(const role_t *)arg;
}

int people_set_role(store_t *st, const people_by_t *by, const char *email, role_t role, char *err,
		    size_t errlen)
{
	if (role > ROLE_ADMIN) {
		msg(err, errlen, "a person's role is reader, contributor, analyst or admin");
		return PEOPLE_DENIED;
	}
	return update(st, by, email, set_role, &role, 0, NULL, "people.role", role_name(role), err,
		      errlen);
}

static void set_password(store_user_t *u, const void *arg)
{
	snprintf(u->password, sizeof u->password, "%s", (const char *)arg);
}

int people_set_password(store_t *st, const people_by_t *by, const char *email,
			const char *password, char *err, size_t errlen)
{
	char enc[160];
	int rc;
	if ((rc = people_password_check(email, password, err, errlen)))
		return rc;
	if (pw_hash(password, enc, sizeof enc)) {
		msg(err, errlen, "cannot hash the password");
		return PEOPLE_ERR;
	}
	rc = update(st, by, email, set_password, enc, 1, NULL, "people.password",
		    "password set, sessions ended", err, errlen);
	explicit_bzero(enc, sizeof enc);
	return rc;
}

int people_may_manage(const people_user_t *actor, const people_user_t *target, int64_t hub_org)
{
	return actor && target && actor->role == ROLE_ADMIN && !actor->disabled && actor->id > 0 &&
	       (actor->org_id == target->org_id || (hub_org > 0 && actor->org_id == hub_org)) &&
	       actor->id != target->id;
}

int people_enrol_url(store_t *st, const char *base, const char *secret, char *out, size_t n)
{
	char b[512];
	if (store_setting_get(st, "public_url", b, sizeof b) || !b[0])
		snprintf(b, sizeof b, "%s", base);
	size_t l = strlen(b);
	while (l && b[l - 1] == '/')
		b[--l] = '\0';
	int w = snprintf(out, n, "%s/enrol/%s", b, secret);
	if (w < 0 || (size_t)w >= n) {
		if (n)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int people_get(store_t *st, const char *email, people_user_t *out)
{
	store_user_t *u = calloc(1, sizeof *u);
	char err[128];
	int rc = u ? find(st, email, u, err, sizeof err) : PEOPLE_ERR;
	if (!rc)
		to_person(u, out);
	if (u)
		explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

int people_get_id(store_t *st, int64_t id, people_user_t *out)
{
	store_user_t *u = calloc(1, sizeof *u);
	int r = u ? store_user_get(st, NULL, id, u) : STORE_ERR;
	if (!r)
		to_person(u, out);
	if (u)
		explicit_bzero(u, sizeof *u);
	free(u);
	return r == STORE_OK ? PEOPLE_OK : r == STORE_ENOTFOUND ? PEOPLE_NOTFOUND : PEOPLE_ERR;
}

typedef struct {
	people_user_cb cb;
	void *arg;
	people_user_t p;
} list_t;

static int list_one(void *arg, const store_user_t *u)
{
	list_t *l = arg;
	to_person(u, &l->p);
	return l->cb(l->arg, &l->p);
}

int people_list(store_t *st, int64_t org_id, people_user_cb cb, void *arg)
{
	list_t l = {.cb = cb, .arg = arg};
	return store_user_list(st, org_id, list_one, &l) ? PEOPLE_ERR : PEOPLE_OK;
}

/* ---- enrolment ---- */

/* The link of secret and its account.  PEOPLE_NOTFOUND, PEOPLE_EXPIRED
 * (out of date or used), PEOPLE_DENIED (account disabled). */
static int link_check(store_t *st, const char *secret, uint8_t h[32], store_user_t *u, char *err,
		      size_t errlen)
{
	store_enrol_t e;
	int r;
	if (secret_hash(secret, h) || (r = store_enrol_get(st, h, &e)) == STORE_ENOTFOUND) {
		msg(err, errlen, "no such enrolment link");
		return PEOPLE_NOTFOUND;
	}
	if (r) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return PEOPLE_ERR;
	}
	if (e.used || (int64_t)time(NULL) >= e.expires) {
		msg(err, errlen, e.used ? "this enrolment link was used already"
					: "this enrolment link is out of date: ask for a new one");
		return PEOPLE_EXPIRED;
	}
	if ((r = store_user_get(st, NULL, e.user_id, u))) {
		msg(err, errlen, r == STORE_ENOTFOUND ? "no such enrolment link" : store_errmsg(st));
		return r == STORE_ENOTFOUND ? PEOPLE_NOTFOUND : PEOPLE_ERR;
	}
	if (u->disabled) {
		msg(err, errlen, "this account is disabled");
		return PEOPLE_DENIED;
	}
	if (u->password[0]) { /* set meanwhile (user password): a link never replaces one */
		msg(err, errlen, "this account has a password already: ask for a reset");
		return PEOPLE_EXPIRED;
	}
	return PEOPLE_OK;
}

int people_enrol_check(store_t *st, const char *secret, people_user_t *out)
{
	store_user_t *u = calloc(1, sizeof *u);
	uint8_t h[32];
	char err[128];
	int rc = u ? link_check(st, secret, h, u, err, sizeof err) : PEOPLE_ERR;
	if (!rc)
		to_person(u, out);
	if (u)
		explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

int people_enrol(store_t *st, const people_by_t *by, const char *secret, const char *password,
		 char *err, size_t errlen)
{
	store_user_t *u = calloc(1, sizeof *u);
	uint8_t h[32];
	char enc[sizeof u->password] = "";
	int rc, r;
	if (!u) {
		msg(err, errlen, "out of memory");
		return PEOPLE_ERR;
	}
	if ((rc = link_check(st, secret, h, u, err, errlen)) ||
	    (rc = people_password_check(u->email, password, err, errlen)))
		goto out;
	if (pw_hash(password, enc, sizeof enc)) {
		msg(err, errlen, "cannot hash the password");
		rc = PEOPLE_ERR;
		goto out;
	}
	int64_t id = u->id;
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		rc = PEOPLE_ERR;
		goto out;
	}
	if ((r = store_enrol_use(st, h, (int64_t)time(NULL))) == STORE_ENOTFOUND) {
		store_rollback(st); /* used meanwhile */
		msg(err, errlen, "this enrolment link was used already");
		rc = PEOPLE_EXPIRED;
		goto out;
	}
	if (!r && (r = store_user_get(st, NULL, id, u)) == STORE_OK && (u->disabled || u->password[0])) {
		store_rollback(st); /* disabled, or given a password, meanwhile */
		msg(err, errlen, u->disabled ? "this account is disabled"
					     : "this account has a password already: ask for a reset");
		rc = u->disabled ? PEOPLE_DENIED : PEOPLE_EXPIRED;
		goto out;
	}
	clear_credentials(u, NULL);
	memcpy(u->password, enc, sizeof enc);
	rc = finish(st, r || store_user_update(st, u) || store_session_end_user(st, u->id, NULL) ||
			audit(st, by, u->org_id, u->email, NULL, "people.enrol", u->email,
			      "password set"),
		    err, errlen);
out:
	explicit_bzero(enc, sizeof enc);
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

/* ---- sign-in throttling ---- */

typedef struct {
	char acct[PEOPLE_EMAIL_MAX + 8], addr[80];
} keys_t;

static void make_keys(keys_t *k, const char *email, const char *addr)
{
	snprintf(k->acct, sizeof k->acct, "acct:%s", email);
	snprintf(k->addr, sizeof k->addr, "addr:%s", addr);
}

/* Failures of key within the window before now; < 0 on a store error. */
static int64_t failures(store_t *st, const char *key, int64_t now)
{
	int64_t n = 0;
	return store_login_fail_count(st, key, now - PEOPLE_FAIL_WINDOW + 1, &n) ? -1 : n;
}

/* Before a password or code is checked, the attempt is recorded as a
 * failure of both keys, in the same write transaction as the count that
 * lets it through: parallel attempts cannot pass the limit between a check
 * and its record.  A right answer takes its record back (unreserve).
 * PEOPLE_LOCKED (with an audit entry) when either key has
 * PEOPLE_FAIL_MAX within the window. */
static int reserve(store_t *st, const keys_t *k, const char *email, const char *addr,
		   int64_t now, char *err, size_t errlen)
{
	int64_t na = -1, nd = -1;
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return PEOPLE_ERR;
	}
	if ((na = failures(st, k->acct, now)) < 0 || (nd = failures(st, k->addr, now)) < 0)
		return finish(st, 1, err, errlen);
	if (na < PEOPLE_FAIL_MAX && nd < PEOPLE_FAIL_MAX)
		return finish(st, store_login_fail_add(st, k->acct, now) ||
				      store_login_fail_add(st, k->addr, now) ||
				      store_login_fail_prune(st, now - 2 * PEOPLE_FAIL_WINDOW),
			      err, errlen);
	if (finish(st, audit(st, NULL, 0, email, addr, "people.signin.locked", email,
			     na >= PEOPLE_FAIL_MAX ? "account locked" : "address locked"),
		   err, errlen))
		return PEOPLE_ERR;
	snprintf(err, errlen, "too many failed sign-ins: try again in %d minutes",
		 PEOPLE_FAIL_WINDOW / 60);
	return PEOPLE_LOCKED;
}

/* Take back a reserved attempt inside the open transaction (the account's
 * only when acct). */
static int unreserve(store_t *st, const keys_t *k, int64_t now, int acct)
{
	return (acct && store_login_fail_remove(st, k->acct, now)) ||
	       store_login_fail_remove(st, k->addr, now);
}

/* The reserved attempt failed: its audit entry and any lock-out it makes;
 * then wait a little.  Returns PEOPLE_DENIED (or PEOPLE_ERR). */
static int signin_failed(store_t *st, const keys_t *k, const char *email, int64_t org_id,
			 const char *addr, int64_t now, const char *why, char *err, size_t errlen)
{
	int64_t na = -1, nd = -1;
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return PEOPLE_ERR;
	}
	int bad = (na = failures(st, k->acct, now)) < 0 || (nd = failures(st, k->addr, now)) < 0 ||
		  audit(st, NULL, org_id, email, addr, "people.signin.fail", email, why) ||
		  (na == PEOPLE_FAIL_MAX &&
		   audit(st, NULL, org_id, email, addr, "people.lockout", k->acct,
			 "too many sign-in failures")) ||
		  (nd == PEOPLE_FAIL_MAX &&
		   audit(st, NULL, org_id, email, addr, "people.lockout", k->addr,
			 "too many sign-in failures"));
	if (finish(st, bad, err, errlen))
		return PEOPLE_ERR;
	int64_t ms = na * FAIL_DELAY_MS;
	if (ms > FAIL_DELAY_MAX)
		ms = FAIL_DELAY_MAX;
	if (ms > 0)
		usleep((useconds_t)ms * 1000);
	msg(err, errlen, "wrong e-mail address or password");
	return PEOPLE_DENIED;
}

/* The TOTP step (> u->totp_last) at which code is right within one step of
 * now, or -1. */
static int64_t totp_match(const store_user_t *u, const char *code, int64_t now)
{
	uint8_t key[64];
	int n = people_b32_decode(u->totp_secret, key, sizeof key);
	int64_t hit = -1;
	if (n <= 0 || !code || strlen(code) != 6 || strspn(code, "0123456789") != 6 || now < 30)
		return -1;
	for (int64_t s = now / 30 - 1; s <= now / 30 + 1; s++) {
		char want[8];
		snprintf(want, sizeof want, "%06u", (unsigned)people_hotp(key, (size_t)n, (uint64_t)s, 6));
		if (ct_equal(want, code, 6) && s > u->totp_last && hit < 0)
			hit = s;
	}
	explicit_bzero(key, sizeof key);
	return hit;
}

static int session_idle(store_t *st)
{
	char v[32];
	long n;
	char *end;
	if (store_setting_get(st, "session_idle", v, sizeof v) || (n = strtol(v, &end, 10)) < 60 ||
	    *end || n > PEOPLE_SESSION_MAX)
		return PEOPLE_SESSION_IDLE;
	return (int)n;
}

int people_org_totp(store_t *st, int64_t org_id)
{
	int req = 0;
	return store_org_totp(st, org_id, &req) ? -1 : req;
}

int people_org_set_totp(store_t *st, const people_by_t *by, int64_t org_id, int required,
			char *err, size_t errlen)
{
	org_t o;
	if (store_org_get(st, org_id, &o)) {
		msg(err, errlen, "no such organisation");
		return PEOPLE_NOTFOUND;
	}
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return PEOPLE_ERR;
	}
	return finish(st, store_org_set_totp(st, org_id, !!required) ||
			      audit(st, by, org_id, "", NULL, "orgs.totp", o.name,
				    required ? "second factor required" : "second factor optional"),
		      err, errlen);
}

/* ---- sign-in and sessions ---- */

/* A sign-in by password (cert_org 0) or by a client certificate of
 * organisation cert_org (password unused): the same throttling, second
 * factor, session and audit either way (people_signin, people_signin_cert). */
static int signin(store_t *st, const char *email, const char *password, int64_t cert_org, const char *code,
		  const char *addr, int64_t now, char *sid, people_user_t *out, char *err, size_t errlen)
{
	store_user_t *u = calloc(1, sizeof *u);
	char em[PEOPLE_EMAIL_MAX + 1];
	keys_t k;
	int rc, r = STORE_ENOTFOUND;
	sid[0] = '\0';
	if (!addr || !*addr)
		addr = "unknown";
	if (!u) {
		msg(err, errlen, "out of memory");
		return PEOPLE_ERR;
	}
	if (email_norm(email, em)) { /* counted, never found; printable in the log */
		snprintf(em, sizeof em, "%.64s", email ? email : "");
		for (char *p = em; *p; p++)
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
				*p = '?';
	}
	else if ((r = store_user_get(st, em, 0, u)) && r != STORE_ENOTFOUND) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		rc = PEOPLE_ERR;
		goto out;
	}
	make_keys(&k, em, addr);
	if ((rc = reserve(st, &k, em, addr, now, err, errlen)))
		goto out;
	const char *why = r ? "no such account" : u->disabled ? "account disabled"
			  : !u->password[0] ? "not enrolled"
			  : cert_org > 0 && u->org_id != cert_org ? "certificate of another organisation" : NULL;
	/* a password is checked with Argon2 in every case (the time taken does
	 * not tell whether the account exists); a certificate needs none */
	int ok = cert_org > 0 ? !why : pw_verify(why ? NULL : u->password, password ? password : "");
	if (!ok) {
		rc = signin_failed(st, &k, em, r ? 0 : u->org_id, addr, now,
				   why ? why : "wrong password", err, errlen);
		goto out;
	}
	if (u->totp_confirmed) {
		if (!code || !*code) {
			/* not a failure: the attempt is taken back */
			if (store_begin(st) || finish(st, unreserve(st, &k, now, 1), err, errlen)) {
				rc = PEOPLE_ERR;
				goto out;
			}
			msg(err, errlen, "enter the code of your authenticator app");
			rc = PEOPLE_NEED_TOTP;
			goto out;
		}
		int64_t step = totp_match(u, code, now);
		if (step < 0) {
			rc = signin_failed(st, &k, em, u->org_id, addr, now, "wrong second-factor code",
					   err, errlen);
			goto out;
		}
		u->totp_last = step;
	}
	int need_setup = !u->totp_confirmed && people_org_totp(st, u->org_id) == 1;
	uint8_t h[32];
	store_session_t s = {.user_id = u->id, .created = now, .last_seen = now};
	snprintf(s.addr, sizeof s.addr, "%s", addr);
	if (new_secret(sid, h)) {
		msg(err, errlen, "no randomness");
		rc = PEOPLE_ERR;
		goto out;
	}
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		rc = PEOPLE_ERR;
		goto out;
	}
	/* what was checked must still hold inside the write transaction: not
	 * reset, disabled or given a new password meanwhile, and the code not
	 * used by a sign-in that raced this one */
	store_user_t *now_u = calloc(1, sizeof *now_u);
	int same = now_u && !store_user_get(st, NULL, u->id, now_u) && !now_u->disabled &&
		   !strcmp(now_u->password, u->password) &&
		   now_u->totp_confirmed == u->totp_confirmed &&
		   !strcmp(now_u->totp_secret, u->totp_secret) && now_u->totp_last <= u->totp_last &&
		   (!u->totp_confirmed || now_u->totp_last < u->totp_last);
	if (now_u) {
		explicit_bzero(now_u, sizeof *now_u);
		free(now_u);
	}
	if (!same) {
		store_rollback(st);
		explicit_bzero(sid, PEOPLE_SECRET_LEN + 1);
		msg(err, errlen, "wrong e-mail address or password");
		rc = PEOPLE_DENIED;
		goto out;
	}
	u->last_signin = now;
	int idle = session_idle(st);
	rc = finish(st, store_session_prune(st, now - idle, now - PEOPLE_SESSION_MAX) ||
			store_session_add(st, h, &s) || store_user_update(st, u) ||
			unreserve(st, &k, now, 0) || store_login_fail_clear(st, k.acct) ||
			audit(st, NULL, u->org_id, u->email, addr, "people.signin", u->email,
			      cert_org > 0 ? (u->totp_confirmed ? "client certificate and second factor"
					      : need_setup ? "client certificate; second factor to set up"
					      : "client certificate")
			      : u->totp_confirmed ? "password and second factor"
			      : need_setup ? "password; second factor to set up" : "password"),
		    err, errlen);
	if (rc) {
		explicit_bzero(sid, PEOPLE_SECRET_LEN + 1);
		goto out;
	}
	to_person(u, out);
	rc = need_setup ? PEOPLE_TOTP_SETUP : PEOPLE_OK;
	if (need_setup)
		msg(err, errlen, "your organisation requires a second factor: set one up");
out:
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

int people_signin(store_t *st, const char *email, const char *password, const char *code,
		  const char *addr, int64_t now, char *sid, people_user_t *out, char *err,
		  size_t errlen)
{
	return signin(st, email, password, 0, code, addr, now, sid, out, err, errlen);
}

int people_signin_cert(store_t *st, const char *email, int64_t org_id, const char *code, const char *addr,
		       int64_t now, char *sid, people_user_t *out, char *err, size_t errlen)
{
	if (org_id <= 0) {
		sid[0] = '\0';
		msg(err, errlen, "no client certificate");
		return PEOPLE_DENIED;
	}
	return signin(st, email, NULL, org_id, code, addr, now, sid, out, err, errlen);
}

int people_session(store_t *st, const char *sid, int64_t now, people_user_t *out)
{
	uint8_t h[32];
	store_session_t s;
	int r;
	if (secret_hash(sid, h) || (r = store_session_get(st, h, &s)) == STORE_ENOTFOUND)
		return PEOPLE_NOTFOUND;
	if (r)
		return PEOPLE_ERR;
	if (now - s.last_seen > session_idle(st) || now - s.created > PEOPLE_SESSION_MAX) {
		store_session_end(st, h);
		return PEOPLE_EXPIRED;
	}
	store_user_t *u = calloc(1, sizeof *u);
	if (!u)
		return PEOPLE_ERR;
	r = store_user_get(st, NULL, s.user_id, u);
	int rc = PEOPLE_OK;
	if (r == STORE_ENOTFOUND || (!r && u->disabled)) {
		store_session_end(st, h);
		rc = PEOPLE_NOTFOUND;
	} else if (r || (now - s.last_seen >= TOUCH_EVERY && store_session_touch(st, h, now))) {
		rc = PEOPLE_ERR;
	} else {
		to_person(u, out);
		if (!u->totp_confirmed && people_org_totp(st, u->org_id) == 1)
			rc = PEOPLE_TOTP_SETUP;
	}
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

int people_signout(store_t *st, const people_by_t *by, const char *sid)
{
	uint8_t h[32];
	store_session_t s;
	people_user_t p;
	char err[128];
	if (secret_hash(sid, h) || store_session_get(st, h, &s) ||
	    people_get_id(st, s.user_id, &p))
		return PEOPLE_OK;
	if (store_begin(st))
		return PEOPLE_ERR;
	return finish(st, store_session_end(st, h) ||
			      audit(st, by, p.org_id, p.email, s.addr, "people.signout", p.email, ""),
		      err, sizeof err);
}

void people_csrf(const char *sid, char *token)
{
	uint8_t mac[32];
	size_t n = sid ? strlen(sid) : 0;
	if (!n || gnutls_hmac_fast(GNUTLS_MAC_SHA256, sid, n, "csrf", 4, mac) < 0) {
		/* no session: a token nothing matches */
		if (gnutls_rnd(GNUTLS_RND_NONCE, mac, sizeof mac))
			memset(mac, 0, sizeof mac);
	}
	b64url(mac, sizeof mac, token);
	explicit_bzero(mac, sizeof mac);
}

int people_csrf_ok(const char *sid, const char *token)
{
	char want[PEOPLE_CSRF_LEN + 1];
	if (!sid || !*sid || !token || strlen(token) != PEOPLE_CSRF_LEN)
		return 0;
	people_csrf(sid, want);
	int ok = ct_equal(want, token, PEOPLE_CSRF_LEN);
	explicit_bzero(want, sizeof want);
	return ok;
}

/* ---- second factor set-up ---- */

_Static_assert(sizeof "otpauth://totp/c5hub:?secret=&issuer=c5hub&algorithm=SHA1&digits=6"
	       "&period=30" + 3 * PEOPLE_EMAIL_MAX + 32 <= PEOPLE_URI_MAX,
	       "every otpauth URI fits in PEOPLE_URI_MAX");

/* s percent-encoded for an otpauth URI's label into out (3 * strlen + 1). */
static void uri_esc(const char *s, char *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_') {
			*out++ = (char)c;
		} else {
			*out++ = '%';
			*out++ = hex[c >> 4];
			*out++ = hex[c & 15];
		}
	}
	*out = '\0';
}

int people_totp_begin(store_t *st, int64_t user_id, char *secret_b32, char *uri, size_t urilen,
		      char *err, size_t errlen)
{
	store_user_t *u = calloc(1, sizeof *u);
	uint8_t key[20];
	char email[3 * PEOPLE_EMAIL_MAX + 1];
	int rc = PEOPLE_ERR, r;
	secret_b32[0] = '\0';
	if (uri && urilen)
		uri[0] = '\0';
	if (!u) {
		msg(err, errlen, "out of memory");
		return PEOPLE_ERR;
	}
	if (gnutls_rnd(GNUTLS_RND_KEY, key, sizeof key)) {
		msg(err, errlen, "no randomness");
		goto out;
	}
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		goto out;
	}
	if ((r = store_user_get(st, NULL, user_id, u))) {
		msg(err, errlen, r == STORE_ENOTFOUND ? "no such account" : store_errmsg(st));
		rc = r == STORE_ENOTFOUND ? PEOPLE_NOTFOUND : PEOPLE_ERR;
		store_rollback(st);
		goto out;
	}
	if (u->totp_confirmed) {
		msg(err, errlen, "a second factor is set up already (a reset clears it)");
		rc = PEOPLE_EXISTS;
		store_rollback(st);
		goto out;
	}
	people_b32_encode(key, sizeof key, secret_b32);
	snprintf(u->totp_secret, sizeof u->totp_secret, "%s", secret_b32);
	u->totp_last = 0;
	if (finish(st, store_user_update(st, u), err, errlen)) {
		explicit_bzero(secret_b32, 33);
		goto out;
	}
	uri_esc(u->email, email);
	if (uri && urilen &&
	    (size_t)snprintf(uri, urilen, "otpauth://totp/c5hub:%s?secret=%s&issuer=c5hub"
			     "&algorithm=SHA1&digits=6&period=30", email, secret_b32) >= urilen) {
		/* set up, but the URI does not fit: the secret alone still works */
		uri[0] = '\0';
	}
	rc = PEOPLE_OK;
out:
	explicit_bzero(key, sizeof key);
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}

int people_totp_confirm(store_t *st, const people_by_t *by, int64_t user_id, const char *code,
			char *err, size_t errlen)
{
	store_user_t *u = calloc(1, sizeof *u);
	int64_t now = (int64_t)time(NULL);
	keys_t k;
	int rc, r;
	if (!u) {
		msg(err, errlen, "out of memory");
		return PEOPLE_ERR;
	}
	if ((r = store_user_get(st, NULL, user_id, u)) || !u->totp_secret[0] || u->totp_confirmed) {
		msg(err, errlen, r && r != STORE_ENOTFOUND ? store_errmsg(st)
				 : "no second factor is being set up for this account");
		rc = r && r != STORE_ENOTFOUND ? PEOPLE_ERR : PEOPLE_NOTFOUND;
		goto out;
	}
	make_keys(&k, u->email, by && by->addr ? by->addr : "local");
	if ((rc = reserve(st, &k, u->email, k.addr + 5, now, err, errlen)))
		goto out;
	int64_t step = totp_match(u, code, now);
	if (step < 0) {
		rc = signin_failed(st, &k, u->email, u->org_id, k.addr + 5, now,
				   "wrong code setting up a second factor", err, errlen);
		if (rc == PEOPLE_DENIED)
			msg(err, errlen, "wrong code: check the authenticator app's clock");
		goto out;
	}
	char checked[sizeof u->totp_secret];
	memcpy(checked, u->totp_secret, sizeof checked);
	if (store_begin(st)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		rc = PEOPLE_ERR;
		goto out;
	}
	/* the secret the code was checked against is still the one being set
	 * up (not replaced, confirmed or reset meanwhile) */
	if ((r = store_user_get(st, NULL, user_id, u)) || u->totp_confirmed ||
	    strcmp(u->totp_secret, checked)) {
		store_rollback(st);
		explicit_bzero(checked, sizeof checked);
		msg(err, errlen, r && r != STORE_ENOTFOUND ? store_errmsg(st)
				 : "no second factor is being set up for this account");
		rc = r && r != STORE_ENOTFOUND ? PEOPLE_ERR : PEOPLE_NOTFOUND;
		goto out;
	}
	explicit_bzero(checked, sizeof checked);
	u->totp_confirmed = 1;
	u->totp_last = step;
	rc = finish(st, store_user_update(st, u) || unreserve(st, &k, now, 1) ||
			audit(st, by, u->org_id, u->email, NULL, "people.totp", u->email,
			      "second factor set up"),
		    err, errlen);
out:
	explicit_bzero(u, sizeof *u);
	free(u);
	return rc;
}
