/* cli_people.c — `c5hub user ...` (the people who sign in to the web
 * console: add, list, disable, enable, reset, password, totp) and
 * `c5hub org policy NAME --totp required|optional`.  The rules are in
 * src/people/; this file only reads arguments and prints. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "cli.h"
#include "people/people.h"

#define USER_USAGE                                                                        \
	"usage: c5hub user add EMAIL --org NAME --role reader|contributor|analyst|admin "    \
	"[--name N] | user list [--org NAME] [--json] | user disable|enable|reset EMAIL | "   \
	"user password EMAIL (new password on stdin) | user totp EMAIL [--code N]"

/* The enrolment URL of secret (people_enrol_url: the "public_url" setting,
 * else http://127.0.0.1:8080). */
static void print_link(store_t *st, const char *secret)
{
	char url[1024];
	people_enrol_url(st, "http://127.0.0.1:8080", secret, url, sizeof url);
	printf("%s\n", url);
	explicit_bzero(url, sizeof url);
}

static int user_add(cli_t *c, store_t *st, const people_by_t *by)
{
	const char *email = NULL, *org = NULL, *role_s = NULL, *name = "";
	char link[PEOPLE_SECRET_LEN + 1], err[256];
	role_t role;
	org_t o;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--role", &role_s)) ||
		    (r = cli_opt(c, &i, "--name", &name))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (email || c->argv[i][0] == '-')
			return cli_fail("user add: unexpected argument '%s'", c->argv[i]);
		email = c->argv[i++];
	}
	if (!email || !org || !role_s)
		return cli_fail("user add: give EMAIL, --org NAME and --role ROLE");
	if (role_parse(role_s, &role) || role == ROLE_PEER)
		return cli_fail("user add: --role must be reader, contributor, analyst or admin");
	if (store_org_find(st, org, &o))
		return cli_fail("user add: no organisation named '%s'", org);
	if (people_add_named(st, by, email, o.id, role, name, link, err, sizeof err))
		return cli_fail("user add: %s", err);
	print_link(st, link);
	explicit_bzero(link, sizeof link);
	people_user_t u;
	fprintf(stderr, "enrolment link for %s (%s, %s): valid %d hours, shown only this once\n",
		people_get(st, email, &u) ? email : u.email, o.name, role_name(role),
		PEOPLE_ENROL_TTL / 3600);
	return 0;
}

typedef struct {
	json_t *json; /* or NULL: a table */
} list_t;

static int list_one(void *arg, const people_user_t *u)
{
	list_t *l = arg;
	char t[32];
	const char *state = u->disabled ? "disabled" : !u->has_password ? "invited" : "active";
	if (l->json) {
		json_array_append_new(l->json, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:I, s:I}",
			"id", (json_int_t)u->id, "email", u->email, "name", u->name, "org", u->org_name,
			"role", role_name(u->role), "state", state, "totp", u->totp,
			"created", (json_int_t)u->created, "last_signin", (json_int_t)u->last_signin));
		return 0;
	}
	printf("%-32s %-20s %-12s %-9s %-4s %s\n", u->email, u->org_name, role_name(u->role), state,
	       u->totp ? "yes" : "no", u->last_signin ? model_time_fmt(u->last_signin, t) : "never");
	return 0;
}

static int user_list(cli_t *c, store_t *st)
{
	const char *org = NULL;
	int json = 0;
	org_t o = {0};
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (strcmp(c->argv[i], "--json"))
			return cli_fail("user list: unexpected argument '%s'", c->argv[i]);
		json = 1;
		i++;
	}
	if (org && store_org_find(st, org, &o))
		return cli_fail("user list: no organisation named '%s'", org);
	list_t l = {.json = json ? json_array() : NULL};
	if (!json)
		printf("%-32s %-20s %-12s %-9s %-4s %s\n", "EMAIL", "ORG", "ROLE", "STATE", "TOTP",
		       "LAST SIGN-IN");
	int rc = people_list(st, o.id, list_one, &l) ? cli_fail("user list: %s", store_errmsg(st)) : 0;
	if (l.json) {
		char *s = rc ? NULL : json_dumps(l.json, JSON_INDENT(2));
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(l.json);
	}
	return rc;
}

/* A password from stdin: its first line, without the line end. */
static int read_password(char *pw, size_t n)
{
	if (!fgets(pw, (int)n, stdin))
		return -1;
	size_t l = strlen(pw);
	if (l == n - 1 && pw[l - 1] != '\n')
		return -1; /* longer than the buffer: refused as too long below */
	while (l && (pw[l - 1] == '\n' || pw[l - 1] == '\r'))
		pw[--l] = '\0';
	return 0;
}

static int user_totp(cli_t *c, store_t *st, const people_by_t *by)
{
	const char *email = c->argv[1], *code = NULL;
	char secret[40], uri[PEOPLE_URI_MAX], err[256];
	people_user_t u;
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--code", &code))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("user totp: unexpected argument '%s'", c->argv[i]);
	}
	if (people_get(st, email, &u))
		return cli_fail("user totp: no account for %s", email);
	if (code) {
		if (people_totp_confirm(st, by, u.id, code, err, sizeof err))
			return cli_fail("user totp: %s", err);
		printf("%s: second factor set up\n", u.email);
		return 0;
	}
	if (people_totp_begin(st, u.id, secret, uri, sizeof uri, err, sizeof err))
		return cli_fail("user totp: %s", err);
	printf("%s\n%s\n", uri, secret);
	explicit_bzero(secret, sizeof secret);
	explicit_bzero(uri, sizeof uri);
	fprintf(stderr, "add it to an authenticator app, then confirm with: c5hub user totp %s "
		"--code N\n", u.email);
	return 0;
}

int cli_user(cli_t *c)
{
	const char *verb = c->argc ? c->argv[0] : "";
	char actor[64], err[256];
	people_by_t by = {0, audit_cli_actor(actor, sizeof actor), "local"};
	int known = !strcmp(verb, "add") || !strcmp(verb, "list") ||
		    (c->argc == 2 && (!strcmp(verb, "disable") || !strcmp(verb, "enable") ||
				      !strcmp(verb, "reset") || !strcmp(verb, "password"))) ||
		    (c->argc >= 2 && !strcmp(verb, "totp"));
	if (!known)
		return cli_fail(USER_USAGE);
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = 0;
	const char *email = c->argc > 1 ? c->argv[1] : "";
	if (!strcmp(verb, "add")) {
		rc = user_add(c, st, &by);
	} else if (!strcmp(verb, "list")) {
		rc = user_list(c, st);
	} else if (!strcmp(verb, "totp")) {
		rc = user_totp(c, st, &by);
	} else if (!strcmp(verb, "disable") || !strcmp(verb, "enable")) {
		int off = !strcmp(verb, "disable");
		if (people_disable(st, &by, email, off, err, sizeof err))
			rc = cli_fail("user %s: %s", verb, err);
		else
			printf("%s: %s\n", email, off ? "disabled, its sessions ended" : "enabled");
	} else if (!strcmp(verb, "reset")) {
		char link[PEOPLE_SECRET_LEN + 1];
		if (people_reset(st, &by, email, link, err, sizeof err)) {
			rc = cli_fail("user reset: %s", err);
		} else {
			print_link(st, link);
			explicit_bzero(link, sizeof link);
			fprintf(stderr, "%s: password and second factor cleared, sessions ended; the new "
				"enrolment link is valid %d hours\n", email, PEOPLE_ENROL_TTL / 3600);
		}
	} else { /* password */
		char pw[PEOPLE_PASSWORD_MAX + 2];
		if (read_password(pw, sizeof pw))
			rc = cli_fail("user password: give the new password on stdin (one line, at most "
				      "%d bytes)", PEOPLE_PASSWORD_MAX);
		else if (people_set_password(st, &by, email, pw, err, sizeof err))
			rc = cli_fail("user password: %s", err);
		else
			printf("%s: password set, sessions ended\n", email);
		explicit_bzero(pw, sizeof pw);
	}
	store_close(st);
	return rc;
}

/* org policy NAME --totp required|optional */
int cli_org_totp(cli_t *c)
{
	const char *name = c->argv[1], *v = NULL;
	char actor[64], err[256];
	people_by_t by = {0, audit_cli_actor(actor, sizeof actor), "local"};
	org_t o;
	int i = 2, r = cli_opt(c, &i, "--totp", &v);
	if (r < 0)
		return 2;
	if (!r || i != c->argc || (strcmp(v, "required") && strcmp(v, "optional")))
		return cli_fail("usage: c5hub org policy NAME --totp required|optional");
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = 0;
	if (store_org_find(st, name, &o))
		rc = cli_fail("org policy: no organisation named '%s'", name);
	else if (people_org_set_totp(st, &by, o.id, !strcmp(v, "required"), err, sizeof err))
		rc = cli_fail("org policy: %s", err);
	else
		printf("%s: a second factor is %s for its people%s\n", o.name, v,
		       !strcmp(v, "required") ? " (those without one must set one up at sign-in)" : "");
	store_close(st);
	return rc;
}
