/* cli_pki.c — `c5hub pki`: the hub's certificate authority, enrolment of
 * organisations by certificate signing request, revocation and the CRL.
 * The PKI directory is recorded in the store at `pki init` (setting
 * "pki_dir"); by default it is "pki" beside the database file. */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "hub/hub.h"
#include "hub/hub_pki.h"
#include "pki/pki.h"

#define PKI_ARGS_MAX 16

static int write_crl(store_t *st, const char *dir, const char *path);

static void default_dir(const char *db, char *out, size_t n)
{
	const char *slash = strrchr(db, '/');
	if (slash)
		snprintf(out, n, "%.*s/pki", (int)(slash - db), db);
	else
		snprintf(out, n, "pki");
}

/* The PKI directory recorded by `pki init`. */
static int pki_dir(store_t *st, char *out, size_t n)
{
	if (store_setting_get(st, "pki_dir", out, n) != STORE_OK)
		return cli_fail("pki: no certificate authority yet; run `c5hub pki init`");
	return 0;
}

static int pki_init_cmd(cli_t *c, store_t *st)
{
	const char *dir = NULL, *name = NULL, *names[PKI_ARGS_MAX];
	size_t nnames = 0;
	char def[PATH_MAX], abs[PATH_MAX], err[512], hubname[MODEL_NAME_MAX + 1] = "c5hub";
	int r;
	for (int i = 1; i < c->argc;) {
		const char *v;
		if ((r = cli_opt(c, &i, "--dir", &dir)) || (r = cli_opt(c, &i, "--name", &name))) {
			if (r < 0)
				return 2;
			continue;
		}
		if ((r = cli_opt(c, &i, "--server-name", &v)) > 0 && nnames < PKI_ARGS_MAX) {
			names[nnames++] = v;
			continue;
		}
		return cli_fail("pki init: unexpected argument '%s'", c->argv[i]);
	}
	if (!name) {
		int64_t hub_org;
		tlp_t t;
		org_t o;
		if (!hub_read_settings(st, &hub_org, &t) && store_org_get(st, hub_org, &o) == STORE_OK)
			snprintf(hubname, sizeof hubname, "%s", o.name);
		name = hubname;
	}
	if (strpbrk(name, ",+\"\\<>;=#"))
		return cli_fail("pki init: --name may not contain , + \" \\ < > ; = #");
	if (!dir) {
		default_dir(c->db, def, sizeof def);
		dir = def;
	}
	if (pki_init(dir, name, names, nnames, err, sizeof err))
		return cli_fail("pki init: %s", err);
	if (!realpath(dir, abs) || store_setting_set(st, "pki_dir", abs))
		return cli_fail("pki init: cannot record %s: %s", dir, store_errmsg(st));
	char crl[PATH_MAX + 16];
	snprintf(crl, sizeof crl, "%s/crl.pem", abs);
	if (write_crl(st, abs, crl))
		return 2;
	printf("certificate authority and server certificate in %s\n"
	       "  ca.pem      give it to every member (it verifies the hub and its CRL)\n"
	       "  ca.key      keep it secret (mode 0600)\n"
	       "  server.pem, server.key  for `c5hub serve --tls`\n"
	       "  crl.pem     revoked certificates (served at /pki/crl.pem)\n"
	       "  signer.pem, signer.key  sign advisories (`c5hub pki sign FILE`)\n", abs);
	return 0;
}

static audit_entry_t cli_who(char *actor, size_t n)
{
	return (audit_entry_t){.actor = audit_cli_actor(actor, n), .addr = "local"};
}

static int pki_request_cmd(cli_t *c, store_t *st)
{
	const char *org = NULL, *role = "reader", *file = NULL;
	char err[512], actor[64];
	int r;
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--role", &role))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (file)
			return cli_fail("pki request: unexpected argument '%s'", c->argv[i]);
		file = c->argv[i++];
	}
	if (!org || !file)
		return cli_fail("usage: pki request --org NAME [--role ROLE] CSR.pem");
	org_t o;
	size_t len;
	pki_info_t info;
	int64_t id;
	if (store_org_find(st, org, &o) != STORE_OK)
		return cli_fail("pki request: no organisation named '%s'", org);
	char *pem = pki_read_file(file, &len, err, sizeof err);
	if (!pem)
		return cli_fail("pki request: %s", err);
	audit_entry_t who = cli_who(actor, sizeof actor);
	int bad = hub_pki_request(st, &who, o.id, role, pem, len, &id, &info, err, sizeof err);
	free(pem);
	if (bad)
		return cli_fail("pki request: %s: %s", file, err);
	printf("%lld\n", (long long)id);
	fprintf(stderr, "request %lld from %s for %s (%s %d bits), role %s: pending approval\n",
		(long long)id, o.name, info.dn, info.key_alg, info.key_bits, role);
	return 0;
}

static int pki_approve_cmd(cli_t *c, store_t *st)
{
	const char *out = NULL, *days_s = "365";
	char err[512], actor[64], *end, *cert = NULL;
	int64_t id = 0;
	int r;
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--out", &out)) || (r = cli_opt(c, &i, "--days", &days_s))) {
			if (r < 0)
				return 2;
			continue;
		}
		id = strtoll(c->argv[i++], &end, 10);
		if (*end || id <= 0)
			return cli_fail("pki approve: '%s' is not a request id", c->argv[i - 1]);
	}
	int days = (int)strtol(days_s, &end, 10);
	if (!id || !out)
		return cli_fail("usage: pki approve ID --out CERT.pem [--days N]");
	if (*end || days < 1 || days > 825)
		return cli_fail("pki approve: --days must be 1 to 825");
	/* claim the output file first: it must not exist */
	FILE *f = fopen(out, "wx");
	if (!f)
		return cli_fail("pki approve: %s: cannot write (it must not exist yet)", out);
	pki_info_t info;
	audit_entry_t who = cli_who(actor, sizeof actor);
	if (hub_pki_approve(st, &who, id, days, &cert, &info, err, sizeof err)) {
		fclose(f);
		remove(out);
		return cli_fail("pki approve: %s", err);
	}
	/* recorded; the certificate can also be fetched again by API or pki list */
	int bad = fputs(cert, f) == EOF;
	bad |= fclose(f) != 0;
	free(cert);
	if (bad)
		return cli_fail("pki approve: %s: write failed (the certificate is issued; "
				"GET /api/v1/pki/requests/%lld returns it)", out, (long long)id);
	printf("serial %s\nsha256 %s\n", info.serial, info.fpr);
	fprintf(stderr, "issued to %s, valid until %s\n", info.dn, model_time_fmt(info.not_after, err));
	return 0;
}

/* pki renew SERIAL --out NEW.pem [--days N]: a new certificate for the same
 * request (same key, organisation and role), before the old one expires. */
static int pki_renew_cmd(cli_t *c, store_t *st)
{
	const char *out = NULL, *days_s = "365", *key = NULL;
	char err[512], actor[64], *end, *cert = NULL;
	int r;
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--out", &out)) || (r = cli_opt(c, &i, "--days", &days_s))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (key)
			return cli_fail("pki renew: unexpected argument '%s'", c->argv[i]);
		key = c->argv[i++];
	}
	int days = (int)strtol(days_s, &end, 10);
	if (!key || !out)
		return cli_fail("usage: pki renew SERIAL|SHA256 --out NEW.pem [--days N]");
	if (*end || days < 1 || days > 825)
		return cli_fail("pki renew: --days must be 1 to 825");
	FILE *f = fopen(out, "wx"); /* claimed first, as by approve */
	if (!f)
		return cli_fail("pki renew: %s: cannot write (it must not exist yet)", out);
	pki_info_t info;
	audit_entry_t who = cli_who(actor, sizeof actor);
	if (hub_pki_renew(st, &who, key, days, &cert, &info, err, sizeof err)) {
		fclose(f);
		remove(out);
		return cli_fail("pki renew: %s", err);
	}
	int bad = fputs(cert, f) == EOF;
	bad |= fclose(f) != 0;
	free(cert);
	if (bad)
		return cli_fail("pki renew: %s: write failed (the certificate is issued; pki list shows it)", out);
	printf("serial %s\nsha256 %s\n", info.serial, info.fpr);
	return 0;
}

static int pki_reject_cmd(cli_t *c, store_t *st)
{
	char *end;
	if (c->argc != 2)
		return cli_fail("usage: pki reject ID");
	int64_t id = strtoll(c->argv[1], &end, 10);
	if (*end || id <= 0)
		return cli_fail("pki reject: '%s' is not a request id", c->argv[1]);
	char actor[64], err[512];
	audit_entry_t who = cli_who(actor, sizeof actor);
	if (hub_pki_reject(st, &who, id, err, sizeof err)) {
		if (!strncmp(err, "no request", 10))
			return cli_fail("pki reject: request %lld does not exist (pki requests lists the pending ones)",
					(long long)id);
		return cli_fail("pki reject: %s", err);
	}
	printf("request %lld rejected\n", (long long)id);
	return 0;
}

static int pki_revoke_cmd(cli_t *c, store_t *st)
{
	char key[PKI_FPR_HEX], err[512];
	if (c->argc != 2)
		return cli_fail("usage: pki revoke SERIAL|SHA256|CERT.pem");
	const char *arg = c->argv[1];
	size_t len;
	struct stat sb;
	/* a file (whatever its name: .pem, .crt, .cer) told by its content */
	char *pem = stat(arg, &sb) == 0 && S_ISREG(sb.st_mode) ? pki_read_file(arg, &len, err, sizeof err)
							     : NULL;
	if (!pem && stat(arg, &sb) == 0)
		return cli_fail("pki revoke: %s: %s", arg, S_ISREG(sb.st_mode) ? err : "not a file");
	if (pem && !memmem(pem, len, "-----BEGIN CERTIFICATE-----", 27)) {
		free(pem);
		return cli_fail("pki revoke: %s holds no PEM certificate (-----BEGIN CERTIFICATE-----)", arg);
	}
	if (pem) {
		pki_info_t info;
		int bad = pki_cert_info(pem, len, &info, err, sizeof err);
		free(pem);
		if (bad)
			return cli_fail("pki revoke: %s: %s", arg, err);
		snprintf(key, sizeof key, "%s", info.serial);
	} else {
		snprintf(key, sizeof key, "%s", arg);
		for (char *p = key; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'F' ? *p + 32 : *p == ':' ? *p : *p);
	}
	char actor[64], path[PATH_MAX + 16];
	audit_entry_t who = cli_who(actor, sizeof actor);
	int r = hub_pki_revoke(st, &who, key, path, sizeof path, err, sizeof err);
	if (r)
		return cli_fail("pki revoke: %s%s", err, r == -2 ? " (revoked; `pki crl --out` rewrites the CRL)" : "");
	printf("revoked %s; %s lists it (served at /pki/crl.pem)\n", key, path);
	return 0;
}

/* `pki requests [--all]`: the pending requests (--all: every one). */
static int print_request(void *arg, const store_csr_t *r)
{
	store_t *st = arg;
	char made[32];
	org_t o;
	const char *org = store_org_get(st, r->org_id, &o) == STORE_OK ? o.name : "?";
	printf("%6lld  %-20s  %-24s %-11s %-9s %s\n", (long long)r->id, model_time_fmt(r->created, made),
	       org, r->role, r->status, r->dn);
	return 0;
}

static int pki_requests_cmd(cli_t *c, store_t *st)
{
	int all = c->argc == 2 && !strcmp(c->argv[1], "--all");
	if (c->argc > 1 && !all)
		return cli_fail("usage: pki requests [--all]");
	printf("%6s  %-20s  %-24s %-11s %-9s %s\n", "ID", "FILED", "ORGANISATION", "ROLE", "STATUS",
	       "SUBJECT");
	if (store_csr_list(st, 0, all ? NULL : "pending", print_request, st))
		return cli_fail("pki requests: %s", store_errmsg(st));
	return 0;
}

/* `pki list`: one line a certificate. */
static int cert_cb(void *arg, const store_cert_t *sc)
{
	store_t *st = arg;
	char a[32], b[32];
	org_t o;
	const char *org = store_org_get(st, sc->org_id, &o) == STORE_OK ? o.name : "?";
	printf("%s  %-20s %-11s %s..%s  %s%s\n", sc->serial, org, sc->role, model_time_fmt(sc->not_before, a),
	       model_time_fmt(sc->not_after, b), sc->dn, sc->revoked ? "  REVOKED" : "");
	return 0;
}

/* The CRL of every revoked certificate, signed now (*pem malloc'd). */
static int make_crl(store_t *st, const char *dir, char **pem)
{
	char err[512];
	if (hub_pki_crl(st, dir, pem, err, sizeof err))
		return cli_fail("pki crl: %s", err), -1;
	return 0;
}

/* Write the CRL to path (hub_pki_crl_write: never half of one). */
static int write_crl(store_t *st, const char *dir, const char *path)
{
	char err[512];
	if (hub_pki_crl_write(st, dir, path, err, sizeof err))
		return cli_fail("pki crl: %s", err), -1;
	return 0;
}

static int pki_crl_cmd(cli_t *c, store_t *st)
{
	const char *out = NULL;
	char dir[PATH_MAX], *pem;
	int r;
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--out", &out)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("pki crl: unexpected argument '%s'", c->argv[i]);
	}
	if (pki_dir(st, dir, sizeof dir))
		return 2;
	if (out)
		return write_crl(st, dir, out) ? 2 : 0;
	if (make_crl(st, dir, &pem))
		return 2;
	fputs(pem, stdout);
	free(pem);
	return 0;
}

/* pki sign FILE [--out SIG]: a detached CMS signature by the hub's signer. */
static int pki_sign_cmd(cli_t *c, store_t *st)
{
	const char *out = NULL, *file = NULL;
	char dir[PATH_MAX], err[512], sigpath[PATH_MAX + 8], *p7 = NULL, *data = NULL;
	size_t len;
	int r, rc = 2;
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--out", &out)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		if (file)
			return cli_fail("pki sign: unexpected argument '%s'", c->argv[i]);
		file = c->argv[i++];
	}
	if (!file)
		return cli_fail("usage: pki sign FILE [--out FILE.p7s]");
	if (pki_dir(st, dir, sizeof dir))
		return 2;
	if (!out) {
		snprintf(sigpath, sizeof sigpath, "%s.p7s", file);
		out = sigpath;
	}
	if (!(data = pki_read_file(file, &len, err, sizeof err)) ||
	    pki_sign(dir, data, len, &p7, err, sizeof err)) {
		cli_fail("pki sign: %s", err);
		goto out;
	}
	FILE *f = fopen(out, "w");
	if (!f || fputs(p7, f) == EOF || fclose(f)) {
		cli_fail("pki sign: %s: cannot write", out);
		goto out;
	}
	char sha[65], what[PATH_MAX + 80];
	unsigned char h[32];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, h);
	for (int i = 0; i < 32; i++)
		snprintf(sha + 2 * i, 3, "%02x", h[i]);
	snprintf(what, sizeof what, "%s sha256:%s", file, sha);
	if (store_begin(st) || cli_audit_commit(st, "advisory.sign", what, out)) {
		cli_fail("pki sign: %s", store_errmsg(st));
		goto out;
	}
	printf("%s\n", out);
	rc = 0;
out:
	free(p7);
	free(data);
	return rc;
}

/* pki verify FILE SIG [--ca CA.pem]: exit 0 when the signature holds. */
static int pki_verify_cmd(cli_t *c, store_t *st)
{
	const char *ca = NULL, *args[2] = {NULL, NULL};
	char dir[PATH_MAX], cap[PATH_MAX + 8], err[512], signer[512];
	size_t dl, sl, cl;
	int r, n = 0, rc = 2;
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--ca", &ca)) != 0) {
			if (r < 0)
				return 2;
			continue;
		}
		if (n == 2)
			return cli_fail("pki verify: unexpected argument '%s'", c->argv[i]);
		args[n++] = c->argv[i++];
	}
	if (n != 2)
		return cli_fail("usage: pki verify FILE SIGNATURE [--ca CA.pem]");
	if (!ca) {
		if (pki_dir(st, dir, sizeof dir))
			return 2;
		snprintf(cap, sizeof cap, "%s/ca.pem", dir);
		ca = cap;
	}
	char *data = pki_read_file(args[0], &dl, err, sizeof err);
	char *sig = data ? pki_read_file(args[1], &sl, err, sizeof err) : NULL;
	char *capem = sig ? pki_read_file(ca, &cl, err, sizeof err) : NULL;
	if (!capem) {
		cli_fail("pki verify: %s", err);
		goto out;
	}
	int v = pki_verify_signature(capem, cl, data, dl, sig, sl, signer, sizeof signer, err, sizeof err);
	if (v == -2) {
		printf("NOT TRUSTED: %s (CA %s)\n", err, ca);
		rc = 1;
		goto out;
	}
	if (v) {
		printf("BAD signature: %s\n", err);
		rc = 1;
		goto out;
	}
	printf("good signature (issuer %s)\n", signer);
	rc = 0;
out:
	free(data);
	free(sig);
	free(capem);
	return rc;
}

static const char pki_usage[] =
	"usage: c5hub pki init [--dir DIR] [--name NAME] [--server-name NAME]...\n"
	"       c5hub pki request --org NAME [--role ROLE] CSR.pem\n"
	"       c5hub pki requests [--all] | pki approve ID --out CERT.pem [--days N] | pki reject ID\n"
	"       c5hub pki revoke SERIAL|SHA256|CERT.pem | pki list | pki crl [--out FILE]\n"
	"       c5hub pki renew SERIAL|SHA256 --out NEW.pem [--days N]\n"
	"       c5hub pki sign FILE [--out FILE.p7s] | pki verify FILE SIGNATURE [--ca CA.pem]";

int cli_pki(cli_t *c)
{
	static const struct { const char *name; int (*fn)(cli_t *, store_t *); } verbs[] = {
		{"init", pki_init_cmd},       {"request", pki_request_cmd}, {"approve", pki_approve_cmd},
		{"reject", pki_reject_cmd},   {"revoke", pki_revoke_cmd},   {"crl", pki_crl_cmd},
		{"sign", pki_sign_cmd},       {"verify", pki_verify_cmd},   {"renew", pki_renew_cmd},
		{"requests", pki_requests_cmd},
	};
	const char *verb = c->argc ? c->argv[0] : "";
	store_t *st;
	if (!strcmp(verb, "list")) {
		if (!(st = cli_store(c, 0)))
			return 2;
		int rc = store_cert_list(st, cert_cb, st);
		if (rc)
			cli_fail("pki list: %s", store_errmsg(st));
		store_close(st);
		return rc ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
		if (strcmp(verb, verbs[i].name))
			continue;
		if (!(st = cli_store(c, 0)))
			return 2;
		int rc = verbs[i].fn(c, st);
		store_close(st);
		return rc;
	}
	fprintf(stderr, "%s\n", pki_usage);
	return 2;
}
