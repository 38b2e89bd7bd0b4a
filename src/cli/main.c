/* main.c — `c5hub COMMAND ...`: picks the command, finds the database, and
 * holds the option helpers every command uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "audit/audit.h"
#include "core/util.h"

#define C5HUB_VERSION "0.1.0"

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("c5hub: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

int cli_opt(cli_t *c, int *i, const char *name, const char **val)
{
	const char *a = c->argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		(*i)++;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= c->argc) {
		cli_fail("%s needs a value", name);
		return -1;
	}
	*val = c->argv[*i + 1];
	*i += 2;
	return 1;
}

store_t *cli_store(const cli_t *c, int flags)
{
	store_t *st;
	char err[512];
	if (store_open(c->db, flags, &st, err, sizeof err) != STORE_OK) {
		cli_fail("%s", err);
		return NULL;
	}
	return st;
}

int cli_audit_commit(store_t *st, const char *action, const char *object, const char *detail)
{
	char actor[64];
	audit_entry_t e = {.actor = audit_cli_actor(actor, sizeof actor), .addr = "local",
			   .action = action, .object = object, .detail = detail ? detail : ""};
	if (audit_record(st, &e) || store_commit(st)) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int cli_conf_read(const char *path, const char *const *keys, cli_conf_t *out)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;
	memset(out, 0, sizeof *out);
	out->path = path;
	if (!f)
		return cli_fail("%s: cannot read the configuration file", path);
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* a byte-order mark */
			memmove(line, line + 3, strlen(line + 3) + 1);
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			fclose(f);
			cli_conf_free(out);
			return cli_fail("%s:%d: line too long", path, lineno);
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
			       line[len - 1] == '\t'))
			line[--len] = '\0';
		char *k = line + strspn(line, " \t");
		if (!*k || *k == '#')
			continue;
		size_t kl = strcspn(k, " \t=");
		char *v = k + kl + strspn(k + kl, " \t");
		if (*v == '=')
			v += 1 + strspn(v + 1, " \t");
		k[kl] = '\0';
		const char *const *kk = keys;
		while (*kk && strcmp(*kk, k))
			kk++;
		const char *why = !*kk ? "unknown key" : !*v ? "no value" : NULL;
		size_t vl = strlen(v);
		if (!why && *v == '"') {
			if (vl < 2 || v[vl - 1] != '"')
				why = "unterminated quoted value";
			v[vl - 1] = '\0';
			v++;
		}
		if (why) {
			fclose(f);
			cli_conf_free(out);
			return cli_fail("%s:%d: %s '%s'", path, lineno, why, k);
		}
		char **na = realloc(out->c.argv, (size_t)(out->c.argc + 2) * sizeof *na);
		int *nl = realloc(out->lines, (size_t)(out->c.argc / 2 + 1) * sizeof *nl);
		char *opt = malloc(strlen(k) + 3);
		char *val = strdup(v);
		if (na)
			out->c.argv = na;
		if (nl)
			out->lines = nl;
		if (!na || !nl || !opt || !val) {
			free(opt);
			free(val);
			fclose(f);
			cli_conf_free(out);
			return cli_fail("%s: out of memory", path);
		}
		sprintf(opt, "--%s", k);
		out->lines[out->c.argc / 2] = lineno;
		out->c.argv[out->c.argc++] = opt;
		out->c.argv[out->c.argc++] = val;
	}
	fclose(f);
	return 0;
}

void cli_conf_free(cli_conf_t *conf)
{
	for (int i = 0; i < conf->c.argc; i++)
		free(conf->c.argv[i]);
	free(conf->c.argv);
	free(conf->lines);
	memset(conf, 0, sizeof *conf);
}

const char *cli_conf_where(const cli_conf_t *conf, const char *val, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int k = 1; val && k < conf->c.argc; k += 2)
		if (conf->c.argv[k] == val) {
			snprintf(buf, size, "%s:%d: ", conf->path, conf->lines[k / 2]);
			break;
		}
	return buf;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(cli_t *); } cmds[] = {
		{"init", cli_init},   {"ingest", cli_ingest}, {"lookup", cli_lookup},
		{"org", cli_org},     {"token", cli_token},   {"serve", cli_serve},
		{"export", cli_export}, {"trust", cli_trust}, {"pki", cli_pki},
		{"audit", cli_audit}, {"constituency", cli_constituency},
		{"feed", cli_feed},   {"notify", cli_notify}, {"warn", cli_warn},
		{"warninglists", cli_warninglists}, {"taxii", cli_taxii}, {"evidence", cli_evidence},
		{"user", cli_user},
		{"incident", cli_incident},
		{"assess", cli_assess},
		{"case", cli_case},
		{"advisory", cli_advisory},
		{"gw", cli_gw},
		{"sla", cli_sla},
		{"intake", cli_intake},
	};
	cli_t c = {.db = getenv("C5HUB_DB")};
	int i = 1;

	c.db_given = c.db && *c.db;
	if (!c.db_given)
		c.db = "c5hub.db";
	/* --db may come before or after the command */
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	if (!rest)
		return 2;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			c.db = argv[++i], c.db_given = 1;
		else if (strncmp(argv[i], "--db=", 5) == 0)
			c.db = argv[i] + 5, c.db_given = 1;
		else
			rest[nrest++] = argv[i];
	}
	int rc = 2;
	if (nrest == 0) {
		cli_usage(stderr);
	} else if (!strcmp(rest[0], "help") || !strcmp(rest[0], "--help") || !strcmp(rest[0], "-h")) {
		if (nrest > 1 && !strcmp(rest[1], "--man")) {
			cli_man(stdout, C5HUB_VERSION);
			rc = 0;
		} else if (nrest > 1 && strcmp(rest[1], "--help") && strcmp(rest[1], "-h")) {
			rc = cli_help_command(rest[1]);
		} else {
			cli_usage(stdout);
			rc = 0;
		}
	} else if (!strcmp(rest[0], "version") || !strcmp(rest[0], "--version")) {
		printf("c5hub %s\n", C5HUB_VERSION);
		rc = 0;
	} else {
		size_t k;
		for (k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
			if (!strcmp(rest[0], cmds[k].name))
				break;
		if (k == sizeof cmds / sizeof cmds[0]) {
			cli_fail("unknown command '%s' (try c5hub help)", rest[0]);
		} else if (cli_wants_help(nrest - 1, rest + 1)) {
			/* on any command or sub-command: its usage, on stdout */
			rc = cli_help_command(rest[0]);
		} else {
			/* long operations show progress on a terminal; the server never */
			if (strcmp(rest[0], "serve"))
				util_progress_enable();
			c.argc = nrest - 1;
			c.argv = rest + 1;
			rc = cmds[k].fn(&c);
		}
	}
	free(rest);
	return rc;
}
