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
#define PEOPLE_URI_MAX 1024           /* an otpauth:// URI, its NUL included */

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
	PEOPLE_TOTP_SETUP = -9, /* signed in, but the organisation requires a
				   second factor and this account has none:
				   the session may only set one up (below)   */
};

/* Who did it, for the audit log (actor "cli root", "person a@b.c",
 * "token c5h_..."; addr the client address or "local"). */
typedef struct {
	int64_t org_id;
	const char *actor, *addr;
} people_by_t;

/* ---- accounts (CLI `c5hub user ...` and the console's people page) ---- */

/* Add an account (roles reader..admin); link gets the one-time enrolment
 * secret (PEOPLE_SECRET_LEN + 1 bytes) to put in the enrolment URL
 * (/enrol/SECRET).  PEOPLE_EXISTS. */
int people_add(store_t *st, const people_by_t *by, const char *email, int64_t org_id, role_t role,
	       char *link, char *err, size_t errlen);
/* The same with a display name (may be ""; printable, MODEL_NAME_MAX). */
int people_add_named(store_t *st, const people_by_t *by, const char *email, int64_t org_id,
		     role_t role, const char *name, char *link, char *err, size_t errlen);
/* Change an account's role (reader..admin).  PEOPLE_NOTFOUND. */
int people_set_role(store_t *st, const people_by_t *by, const char *email, role_t role, char *err,
		    size_t errlen);
/* A new enrolment link for an existing account (a forgotten password, a lost
 * second factor), ending its sessions and clearing its password and second
 * factor at once (a reset after a compromise locks the old password out
 * straight away); earlier unused links stop working.  PEOPLE_NOTFOUND. */
int people_reset(store_t *st, const people_by_t *by, const char *email, char *link, char *err,
		 size_t errlen);
/* Disable (1) or enable (0) an account; disabling ends its sessions. */
int people_disable(store_t *st, const people_by_t *by, const char *email, int disabled, char *err,
		   size_t errlen);
int people_get(store_t *st, const char *email, people_user_t *out);        /* PEOPLE_NOTFOUND */
int people_get_id(store_t *st, int64_t id, people_user_t *out);            /* PEOPLE_NOTFOUND */
/* May actor (signed in) manage target's account (add, disable, reset, change
 * the role of)?  1 when actor is an enabled admin of target's organisation,
 * or of the hub's own organisation hub_org (the hub's administrators manage
 * every account), and target is not actor itself (an admin cannot disable
 * or demote themself and leave the organisation with none); 0 otherwise.
 * For an account to add, pass a target with only its org_id set.  The
 * hub's operators also manage every account with the CLI. */
int people_may_manage(const people_user_t *actor, const people_user_t *target, int64_t hub_org);
/* The enrolment URL of a link's secret, as `c5hub user add` prints it: the
 * "public_url" setting (trailing '/' dropped), else base, followed by
 * /enrol/SECRET; written whole into out (n bytes), or "" with -1 when it
 * does not fit. */
int people_enrol_url(store_t *st, const char *base, const char *secret, char *out, size_t n);
typedef int (*people_user_cb)(void *arg, const people_user_t *u);
/* Every account, or only org_id's (0: all), by e-mail. */
int people_list(store_t *st, int64_t org_id, people_user_cb cb, void *arg);

/* ---- enrolment ---- */

/* The account an enrolment secret is for (the link page shows its e-mail).
 * PEOPLE_NOTFOUND, PEOPLE_EXPIRED. */
int people_enrol_check(store_t *st, const char *secret, people_user_t *out);
/* Set the password (checked: PEOPLE_WEAK with the reason) with the link's
 * secret, which is then used up; the account's second factor is cleared
 * and its sessions end.  PEOPLE_NOTFOUND, PEOPLE_EXPIRED (out of date or
 * used), PEOPLE_DENIED (account disabled).  by may be NULL (the person). */
int people_enrol(store_t *st, const people_by_t *by, const char *secret, const char *password,
		 char *err, size_t errlen);
/* Is this password acceptable (length, common-password list, not the
 * e-mail)?  0, or PEOPLE_WEAK with the reason in err. */
int people_password_check(const char *email, const char *password, char *err, size_t errlen);
/* Set a password directly (the operator's `c5hub user password`): checked
 * as at enrolment, sessions ended, audited.  PEOPLE_NOTFOUND, PEOPLE_WEAK. */
int people_set_password(store_t *st, const people_by_t *by, const char *email,
			const char *password, char *err, size_t errlen);

/* ---- second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s steps) ---- */

/* Start setting up a second factor: a new secret in base32 (33 bytes) and
 * its otpauth:// URI (uri, urilen; PEOPLE_URI_MAX bytes are enough) for an
 * authenticator app; it becomes active once people_totp_confirm sees a
 * right code.  Calling it again replaces a secret not yet confirmed.
 * PEOPLE_EXISTS when one is already active (a reset clears it: a stolen
 * session cannot swap the second factor), PEOPLE_NOTFOUND. */
int people_totp_begin(store_t *st, int64_t user_id, char *secret_b32, char *uri, size_t urilen,
		      char *err, size_t errlen);
/* PEOPLE_DENIED on a wrong code (counted as a sign-in failure of the
 * account), PEOPLE_LOCKED, PEOPLE_NOTFOUND when none is being set up. */
int people_totp_confirm(store_t *st, const people_by_t *by, int64_t user_id, const char *code,
			char *err, size_t errlen);
/* The code of a base32 secret (1 to 64 bytes) at time t (for tests and the
 * CLI); -1 when the secret is not that. */
int people_totp_code(const char *secret_b32, int64_t t, char code[7]);
/* RFC 4226 HOTP: the digits-digit (6..9) code of key at counter. */
uint32_t people_hotp(const uint8_t *key, size_t keylen, uint64_t counter, int digits);
/* RFC 4648 base32 (A-Z2-7; lower case, spaces and '=' padding accepted on
 * input): the number of bytes decoded into out, or -1 (a character outside
 * the alphabet, trailing bits not zero, or more than outlen bytes). */
int people_b32_decode(const char *s, uint8_t *out, size_t outlen);
/* Encode n bytes without padding into out (8 * ceil(n / 5) + 1 bytes). */
void people_b32_encode(const uint8_t *in, size_t n, char *out);

/* An organisation's second-factor policy: required (1) or optional (0).
 * With it required, a sign-in of an account without a second factor
 * answers PEOPLE_TOTP_SETUP with a session, and people_session keeps
 * answering PEOPLE_TOTP_SETUP for it until one is confirmed: the console
 * lets that session do nothing but people_totp_begin / _confirm. */
int people_org_set_totp(store_t *st, const people_by_t *by, int64_t org_id, int required,
			char *err, size_t errlen); /* PEOPLE_NOTFOUND */
int people_org_totp(store_t *st, int64_t org_id); /* 1 required, 0 optional, or < 0 */

/* ---- sign-in and sessions ---- */

/* Check a sign-in; on success make a session: sid gets its id
 * (PEOPLE_SECRET_LEN + 1 bytes, for the cookie), *out the person.  code is
 * the second factor's code, or NULL/"" (then an account with one answers
 * PEOPLE_NEED_TOTP without counting a failure).  Failures: PEOPLE_DENIED
 * (whatever was wrong: unknown account, wrong password or code, disabled,
 * not enrolled; an Argon2 check is made in every case, so the time taken
 * does not tell either), PEOPLE_LOCKED (counted per account and per addr;
 * asked while locked, nothing is checked or counted; an attempt is counted
 * before it is checked, and taken back when right, so parallel guesses
 * cannot pass the limit).  Each failure also waits 100 ms per failure of
 * the account in the window (at most 500 ms).
 * PEOPLE_TOTP_SETUP: signed in (sid, *out set), see people_org_set_totp.
 * now: the current time (tests pass their own). */
int people_signin(store_t *st, const char *email, const char *password, const char *code,
		  const char *addr, int64_t now, char *sid, people_user_t *out, char *err,
		  size_t errlen);
/* Sign in with an enrolled client certificate of organisation org_id (the
 * caller has checked it: http_client_cert): the person still names their
 * account, which must be enrolled, enabled and of org_id; no password.
 * Everything else is people_signin's: the same results, throttling (a
 * refusal counts as a failure), second factor (code as there: an account
 * with one answers PEOPLE_NEED_TOTP, an organisation requiring one
 * PEOPLE_TOTP_SETUP), session and audit ("client certificate"). */
int people_signin_cert(store_t *st, const char *email, int64_t org_id, const char *code, const char *addr,
		       int64_t now, char *sid, people_user_t *out, char *err, size_t errlen);
/* The person of a session id; touches its idle time (written at most every
 * 15 s).  PEOPLE_NOTFOUND, PEOPLE_EXPIRED (idle or absolute timeout; the
 * session is ended), PEOPLE_TOTP_SETUP (*out set; see people_org_set_totp). */
int people_session(store_t *st, const char *sid, int64_t now, people_user_t *out);
/* End a session (sign-out).  0 even when it was already gone. */
int people_signout(store_t *st, const people_by_t *by, const char *sid);
/* The CSRF token of a session (PEOPLE_CSRF_LEN + 1 bytes), and the check of
 * one presented with a form (constant time): 1 when it matches. */
void people_csrf(const char *sid, char *token);
int people_csrf_ok(const char *sid, const char *token);

#endif
