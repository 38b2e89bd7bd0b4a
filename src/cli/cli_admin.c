/* cli_admin.c — `c5hub init`, `c5hub org ...` and `c5hub token ...`. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "cli.h"
#include "case/case.h"
#include "audit/audit.h"
#include "hub/hub.h"
#include "notify/notify.h"

int cli_init(cli_t *c)
{
	const char *name = "hub", *country = "ZZ", *tlp_s = NULL, *from = NULL, *v, *prefix = NULL;
	tlp_t tlp;
	store_t *st;
	char err[512], cur[64];
	int r;

	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--hub-name", &name)) ||
		    (r = cli_opt(c, &i, "--country", &country)) ||
		    (r = cli_opt(c, &i, "--default-tlp", &tlp_s)) ||
		    (r = cli_opt(c, &i, "--notify-from", &from)) ||
		    (r = cli_opt(c, &i, "--case-prefix", &prefix))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("init: unexpected argument '%s'", c->argv[i]);
	}
	if (tlp_s && tlp_parse(tlp_s, &tlp))
		return cli_fail("init: unknown TLP '%s'", tlp_s);
	if (!model_name_ok(name))
		return cli_fail("init: bad hub name");
	if (from && notify_from_check(from))
		return cli_fail("init: --notify-from: %s", notify_from_check(from));
	if (prefix && !case_prefix_ok(prefix))
		return cli_fail("init: --case-prefix: 1 to 16 of A-Z, 0-9 and '-', starting with a letter");
	char cc[3];
	if (!model_country_ok(country, cc))
		return cli_fail("init: --country wants an ISO 3166 two-letter code");
	if (store_open(c->db, STORE_CREATE, &st, err, sizeof err) != STORE_OK)
		return cli_fail("%s", err);
	int rc = 0;
	char shown[1024];
	if (store_setting_get(st, "hub_org", cur, sizeof cur) == STORE_ENOTFOUND) {
		org_t o = {0};
		snprintf(o.name, sizeof o.name, "%s", name);
		snprintf(o.type, sizeof o.type, "government");
		memcpy(o.country, cc, 3);
		char id[32];
		if (store_org_add(st, &o) ||
		    (snprintf(id, sizeof id, "%lld", (long long)o.id), store_setting_set(st, "hub_org", id)))
			rc = cli_fail("init: %s", store_errmsg(st));
		else
			printf("created %s with hub organisation '%s' (id %lld)\n",
			       store_shown(c->db, shown, sizeof shown), o.name, (long long)o.id);
	} else {
		printf("%s is at schema version %d\n", store_shown(c->db, shown, sizeof shown),
		       store_schema_version(st));
	}
	if (!rc && tlp_s && store_setting_set(st, "default_tlp", tlp_name(tlp)))
		rc = cli_fail("init: %s", store_errmsg(st));
	if (!rc && from) {
		if (store_setting_set(st, "notify_from", from))
			rc = cli_fail("init: %s", store_errmsg(st));
		else
			printf("notices are sent from %s\n", from);
	}
	if (!rc && prefix) {
		if (store_setting_set(st, "case_prefix", prefix))
			rc = cli_fail("init: %s", store_errmsg(st));
		else
			printf("case references: %s-YYYY-NNNNN\n", prefix);
	}
	if (!rc && store_setting_get(st, "default_tlp", cur, sizeof cur) == STORE_ENOTFOUND &&
	    store_setting_set(st, "default_tlp", (v = tlp_name(TLP_AMBER))))
		rc = cli_fail("init: %s", store_errmsg(st));
	store_close(st);
	return rc;
}

static int print_org(void *arg, const org_t *o)
{
	(void)arg;
	printf("%-5lld %-32s %-15s %-7s %s\n", (long long)o->id, o->name, o->type, o->country,
	       o->auth_policy);
	return 0;
}

/* org policy NAME any|token|certificate|both */
static int org_policy(cli_t *c)
{
	const char *name = c->argv[1], *pol = c->argv[2];
	org_t o;
	if (strcmp(pol, "any") && strcmp(pol, "token") && strcmp(pol, "certificate") && strcmp(pol, "both"))
		return cli_fail("org policy: '%s' is not any, token, certificate or both", pol);
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = 0;
	if (store_org_find(st, name, &o))
		rc = cli_fail("org policy: no organisation named '%s'", name);
	else if (store_begin(st) || store_org_set_policy(st, o.id, pol) ||
		 cli_audit_commit(st, "orgs.policy", o.name, pol)) {
		store_rollback(st);
		rc = cli_fail("org policy: %s", store_errmsg(st));
	} else {
		printf("%s: members sign in with %s (the server applies it within a second)\n", o.name,
		       !strcmp(pol, "any") ? "a token or a client certificate"
		       : !strcmp(pol, "both") ? "a client certificate and a token" : pol);
	}
	store_close(st);
	return rc;
}

int cli_org(cli_t *c)
{
	if (c->argc >= 1 && !strcmp(c->argv[0], "list")) {
		store_t *st = cli_store(c, 0);
		if (!st)
			return 2;
		printf("%-5s %-32s %-15s %-7s %s\n", "ID", "NAME", "TYPE", "COUNTRY", "SIGN-IN");
		int rc = store_org_list(st, print_org, NULL) ? cli_fail("%s", store_errmsg(st)) : 0;
		store_close(st);
		return rc;
	}
	if (c->argc >= 3 && !strcmp(c->argv[0], "policy") && !strncmp(c->argv[2], "--totp", 6))
		return cli_org_totp(c);
	if (c->argc == 3 && !strcmp(c->argv[0], "policy"))
		return org_policy(c);
	if (c->argc < 2 || strcmp(c->argv[0], "add"))
		return cli_fail("usage: c5hub org add NAME --type TYPE --country CC | c5hub org list | "
				"c5hub org policy NAME any|token|certificate|both | "
				"c5hub org policy NAME --totp required|optional");
	org_t o = {0};
	const char *type = NULL, *country = NULL, *name = NULL;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--type", &type)) || (r = cli_opt(c, &i, "--country", &country))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (name || c->argv[i][0] == '-')
			return cli_fail("org add: unexpected argument '%s'", c->argv[i]);
		name = c->argv[i++];
	}
	if (!model_name_ok(name))
		return cli_fail("org add: give a name of 1 to %d printable bytes", MODEL_NAME_MAX);
	if (!org_type_check(type))
		return cli_fail("org add: --type must be government, private-sector, civil-society, "
				"international or academia");
	if (!model_country_ok(country, o.country))
		return cli_fail("org add: --country wants an ISO 3166 two-letter code");
	snprintf(o.name, sizeof o.name, "%s", name);
	snprintf(o.type, sizeof o.type, "%s", type);
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = store_begin(st) || store_org_add(st, &o) || cli_audit_commit(st, "orgs.add", o.name, o.type);
	if (rc) {
		store_rollback(st);
		rc = cli_fail("org add: %s", store_errmsg(st));
	}
	else
		printf("added organisation '%s' (id %lld)\n", o.name, (long long)o.id);
	store_close(st);
	return rc;
}

/* One token: its organisation by name, and its label whether revoked or not. */
static int print_token(void *arg, const store_token_t *t)
{
	char buf[32];
	org_t o;
	const char *org = store_org_get(arg, t->org_id, &o) == STORE_OK ? o.name : "?";
	printf("%-5lld %-14s %-24.24s %-12s %-20s %-8s %s\n", (long long)t->id, t->prefix, org,
	       role_name(t->role), model_time_fmt(t->created, buf), t->revoked ? "revoked" : "active",
	       t->label);
	return 0;
}

int cli_token(cli_t *c)
{
	store_t *st;
	int rc = 0;
	if (c->argc >= 1 && !strcmp(c->argv[0], "list")) {
		if (!(st = cli_store(c, 0)))
			return 2;
		printf("%-5s %-14s %-24s %-12s %-20s %-8s %s\n", "ID", "PREFIX", "ORGANISATION", "ROLE",
		       "CREATED", "STATE", "LABEL");
		if (store_token_list(st, 1, print_token, st))
			rc = cli_fail("%s", store_errmsg(st));
		store_close(st);
		return rc;
	}
	if (c->argc == 2 && !strcmp(c->argv[0], "revoke")) {
		const char *a = c->argv[1];
		int is_id = a[0] && strspn(a, "0123456789") == strlen(a);
		if (!(st = cli_store(c, 0)))
			return 2;
		if (store_begin(st) || store_token_revoke(st, is_id ? strtoll(a, NULL, 10) : 0, is_id ? NULL : a) ||
		    cli_audit_commit(st, "tokens.revoke", a, NULL)) {
			store_rollback(st);
			rc = cli_fail("token revoke: %s", store_errmsg(st));
		}
		else
			printf("revoked token %s\n", a);
		store_close(st);
		return rc;
	}
	if (c->argc < 1 || strcmp(c->argv[0], "create"))
		return cli_fail("usage: c5hub token create --org NAME --role ROLE [--label L] | "
				"token revoke ID|PREFIX | token list");
	const char *org = NULL, *role = NULL, *label = "";
	store_token_t t = {0};
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--role", &role)) ||
		    (r = cli_opt(c, &i, "--label", &label))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("token create: unexpected argument '%s'", c->argv[i]);
	}
	if (!role || role_parse(role, &t.role))
		return cli_fail("token create: --role must be admin, analyst, contributor or reader");
	if (strlen(label) > MODEL_NAME_MAX)
		return cli_fail("token create: label too long");
	if (!(st = cli_store(c, 0)))
		return 2;
	org_t o;
	int64_t hub_org;
	tlp_t dt;
	if (org ? store_org_find(st, org, &o) : hub_read_settings(st, &hub_org, &dt)) {
		rc = cli_fail("token create: %s", org ? store_errmsg(st) : "hub settings missing");
		goto out;
	}
	t.org_id = org ? o.id : hub_org;
	snprintf(t.label, sizeof t.label, "%s", label);
	char clear[AUTH_TOKEN_LEN + 1];
	if (auth_token_make(clear, &t)) {
		rc = cli_fail("token create: no randomness");
		goto out;
	}
	char what[96];
	snprintf(what, sizeof what, "token %s for org %lld, role %s", t.prefix, (long long)t.org_id,
		 role_name(t.role));
	if (store_begin(st) || store_token_add(st, &t) || cli_audit_commit(st, "tokens.create", what, t.label)) {
		store_rollback(st);
		rc = cli_fail("token create: %s", store_errmsg(st));
		goto out;
	}
	printf("%s\n", clear);
	fprintf(stderr, "token %lld (%s) for org %lld, role %s; it is shown only this once\n",
		(long long)t.id, t.prefix, (long long)t.org_id, role_name(t.role));
out:
	explicit_bzero(clear, sizeof clear); /* every path; a memset may be dropped */
	store_close(st);
	return rc;
}

/* ---- audit ---- */

static int audit_print(void *arg, const store_audit_t *a)
{
	char t[32];
	(void)arg;
	printf("%6lld  %s  %-24s %-20s %-10s %s%s%s\n", (long long)a->seq, model_time_fmt(a->ts, t),
	       a->actor, a->action, a->addr, a->object, *a->detail ? "  " : "", a->detail);
	return 0;
}

int cli_audit(cli_t *c)
{
	const char *verb = c->argc ? c->argv[0] : "";
	char head[128];
	store_t *st;
	if (c->argc != 1 || (strcmp(verb, "list") && strcmp(verb, "verify")))
		return cli_fail("usage: c5hub audit list | audit verify");
	if (!(st = cli_store(c, 0)))
		return 2;
	int rc = 0;
	if (!strcmp(verb, "list")) {
		if (store_audit_list(st, 0, audit_print, NULL, head, sizeof head))
			rc = cli_fail("audit: %s", store_errmsg(st));
	} else {
		audit_report_t r;
		if (audit_verify(st, &r)) {
			rc = cli_fail("audit: %s", store_errmsg(st));
		} else if (r.bad_seq) {
			printf("audit log BROKEN: %s (%lld entries before it verified)\n", r.why,
			       (long long)r.checked);
			rc = 1;
		} else {
			printf("audit log intact: %lld entries verified\n", (long long)r.checked);
		}
	}
	store_close(st);
	return rc;
}
