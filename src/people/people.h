/* people.h — the people who sign in: accounts, passwords, second factors,
 * enrolment links, sessions and sign-in throttling.
 *
 * What it owns: a person is a user of one organisation with a role (the
 * API's roles: reader, contributor, analyst, admin).  Passwords are hashed
 * with Argon2id (libargon2), checked for a minimum length and against a list
 * of common passwords (data/common-passwords.txt, built in), never logged.
 * An enrolment link (made by `user add` and `user reset`) holds a one-time
 * secret valid 24 h; only its SHA-256 is stored.  A session is a random
 * 256-bit id given to the browser once and stored as its SHA-256, with an
 * idle timeout (30 min by default, setting "session_idle") and an absolute
 * one (12 h); its CSRF token is derived from the id (HMAC-SHA-256 keyed by
 * the id over "csrf"), so a form's token matches only its own session.
 * Sign-in failures are counted per account and per client address: 5 within
 * 15 minutes lock that account or address for the rest of the window; the
 * answer never says which of the name or the password was wrong.  Every
 * sign-in, failure, lock-out, sign-out, enrolment and change is written to
 * the audit log in the same transaction.
 *
 * Everything goes through the store (store.h); secrets in clear exist only
 * in the caller's buffers for as long as a call needs them, and are cleared
 * with explicit_bzero.  Times are Unix seconds. */
#ifndef C5_PEOPLE_H
#define C5_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "store/store.h"

#define PEOPLE_EMAIL_MAX 254
#define PEOPLE_SECRET_LEN 43    /* base64url of 32 random bytes (links, sessions) */
#define PEOPLE_CSRF_LEN 43      /* base64url of a 32-byte HMAC */
#define PEOPLE_PASSWORD_MIN 12  /* characters (UTF-8 code points) */
#define PEOPLE_PASSWORD_MAX 256 /* bytes */
#define PEOPLE_ENROL_TTL (24 * 3600)
#define PEOPLE_SESSION_IDLE (30 * 60) /* default; setting "session_idle" (seconds) */
#define PEOPLE_SESSION_MAX (12 * 3600)
#define PEOPLE_FAIL_MAX 5             /* failures ... */
#define PEOPLE_FAIL_WINDOW (15 * 60)  /* ... within this many seconds lock */

typedef struct {
	int64_t id, org_id, created, last_signin;
	char email[PEOPLE_EMAIL_MAX + 1]; /* lower-cased; unique */
	char name[MODEL_NAME_MAX + 1];    /* display name, may be "" */
	role_t role;
	int disabled;
	int has_password;
	int totp;                         /* a second factor is set up */
	char org_name[MODEL_NAME_MAX + 1];
} people_user_t;

/* Results of the calls below: 0 is success; these are the refusals (a
 * message for the person is also written to err). */
enum {
	PEOPLE_OK = 0,
	PEOPLE_ERR = -1,        /* store or system error (err says)           */
	PEOPLE_EXISTS = -2,     /* an account with that e-mail exists         */
	PEOPLE_NOTFOUND = -3,   /* no such account, link or session           */
	PEOPLE_WEAK = -4,       /* password too short, too long or common     */
	PEOPLE_DENIED = -5,     /* wrong name or password, or account disabled */
	PEOPLE_LOCKED = -6,     /* too many failures: account or address      */
	PEOPLE_NEED_TOTP = -7,  /* password right; the second factor is next  */
	PEOPLE_EXPIRED = -8,    /* link or session out of date                */
};

/* Who did it, for the audit log (actor "cli root", "person a@b.c",
 * "token c5h_..."; addr the client address or "local"). */
typedef struct {
	int64_t org_id;
	const char *actor, *addr;
} people_by_t;

/* ---- accounts (CLI `c5hub user ...` and the console's people page) ---- */

/* Add an account; link gets the one-time enrolment secret (PEOPLE_SECRET_LEN
 * + 1 bytes) to put in the enrolment URL (/enrol/SECRET).  PEOPLE_EXISTS. */
int people_add(store_t *st, const people_by_t *by, const char *email, int64_t org_id, role_t role,
	       char *link, char *err, size_t errlen);
/* A new enrolment link for an existing account (a forgotten password, a lost
 * second factor: both are cleared when the link is used), ending its
 * sessions.  PEOPLE_NOTFOUND. */
int people_reset(store_t *st, const people_by_t *by, const char *email, char *link, char *err,
		 size_t errlen);
/* Disable (1) or enable (0) an account; disabling ends its sessions. */
int people_disable(store_t *st, const people_by_t *by, const char *email, int disabled, char *err,
		   size_t errlen);
int people_get(store_t *st, const char *email, people_user_t *out);        /* PEOPLE_NOTFOUND */
int people_get_id(store_t *st, int64_t id, people_user_t *out);            /* PEOPLE_NOTFOUND */
typedef int (*people_user_cb)(void *arg, const people_user_t *u);
/* Every account, or only org_id's (0: all), by e-mail. */
int people_list(store_t *st, int64_t org_id, people_user_cb cb, void *arg);

/* ---- enrolment ---- */

/* The account an enrolment secret is for (the link page shows its e-mail).
 * PEOPLE_NOTFOUND, PEOPLE_EXPIRED. */
int people_enrol_check(store_t *st, const char *secret, people_user_t *out);
/* Set the password (checked: PEOPLE_WEAK with the reason) with the link's
 * secret, which is then used up.  PEOPLE_NOTFOUND, PEOPLE_EXPIRED. */
int people_enrol(store_t *st, const people_by_t *by, const char *secret, const char *password,
		 char *err, size_t errlen);
/* Is this password acceptable (length, common-password list, not the
 * e-mail)?  0, or PEOPLE_WEAK with the reason in err. */
int people_password_check(const char *email, const char *password, char *err, size_t errlen);

/* ---- second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s steps) ---- */

/* Start setting up a second factor: a new secret in base32 (33 bytes) and
 * its otpauth:// URI (uri, urilen) for an authenticator app; it becomes
 * active once people_totp_confirm sees a right code. */
int people_totp_begin(store_t *st, int64_t user_id, char *secret_b32, char *uri, size_t urilen,
		      char *err, size_t errlen);
int people_totp_confirm(store_t *st, const people_by_t *by, int64_t user_id, const char *code,
			char *err, size_t errlen); /* PEOPLE_DENIED on a wrong code */
/* The code of a base32 secret at time t (for tests and the CLI). */
int people_totp_code(const char *secret_b32, int64_t t, char code[7]);

/* ---- sign-in and sessions ---- */

/* Check a sign-in; on success make a session: sid gets its id
 * (PEOPLE_SECRET_LEN + 1 bytes, for the cookie), *out the person.  code is
 * the second factor's code, or NULL/"" (then an account with one answers
 * PEOPLE_NEED_TOTP without counting a failure).  Failures: PEOPLE_DENIED
 * (whatever was wrong), PEOPLE_LOCKED (counted per account and per addr).
 * now: the current time (tests pass their own). */
int people_signin(store_t *st, const char *email, const char *password, const char *code,
		  const char *addr, int64_t now, char *sid, people_user_t *out, char *err,
		  size_t errlen);
/* The person of a session id; touches its idle time.  PEOPLE_NOTFOUND,
 * PEOPLE_EXPIRED (idle or absolute timeout; the session is ended). */
int people_session(store_t *st, const char *sid, int64_t now, people_user_t *out);
/* End a session (sign-out).  0 even when it was already gone. */
int people_signout(store_t *st, const people_by_t *by, const char *sid);
/* The CSRF token of a session (PEOPLE_CSRF_LEN + 1 bytes), and the check of
 * one presented with a form (constant time): 1 when it matches. */
void people_csrf(const char *sid, char *token);
int people_csrf_ok(const char *sid, const char *token);

#endif
