/* cli_cons.c — `c5hub constituency import FILE | list | who VALUE...`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "audit/audit.h"
#include "cons/cons.h"

static int print_res(void *arg, const store_res_t *r)
{
	(void)arg;
	printf("%-32s %-18s %-40s %s\n", r->org_name, obs_type_name(r->type), r->value, r->abuse_contact);
	return 0;
}

/* --create-orgs: each organisation made is said and audited. */
typedef struct {
	store_t *st;
	const char *path;
} made_t;

static int org_made(void *arg, const org_t *o, long line)
{
	made_t *m = arg;
	char actor[64], detail[64];
	printf("%s:%ld: created organisation '%s' (%s, %s)\n", m->path, line, o->name, o->type, o->country);
	snprintf(detail, sizeof detail, "%s %s (constituency import)", o->type, o->country);
	audit_entry_t e = {.actor = audit_cli_actor(actor, sizeof actor), .addr = "local",
			   .action = "orgs.add", .object = o->name, .detail = detail};
	return audit_record(m->st, &e);
}

static int import(cli_t *c, store_t *st, const char *path, int create)
{
	char err[1024];
	long rows = 0;
	made_t made = {st, path};
	cons_import_opts_t opts = {.create = create, .created = org_made, .arg = &made};
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	(void)c;
	if (!f)
		return cli_fail("constituency import: %s: cannot read", path);
	int bad = store_begin(st) || cons_import(st, f, path, &opts, &rows, err, sizeof err);
	if (f != stdin)
		fclose(f);
	if (bad) {
		store_rollback(st);
		return cli_fail("constituency import: %s", *err ? err : store_errmsg(st));
	}
	char detail[64];
	snprintf(detail, sizeof detail, "%ld resources", rows);
	if (cli_audit_commit(st, "constituency.import", path, detail))
		return cli_fail("constituency import: %s", store_errmsg(st));
	printf("%s: %ld resources\n", path, rows);
	return 0;
}

static int who(cli_t *c, store_t *st)
{
	char err[512];
	cons_t *cs = cons_load(st, err, sizeof err);
	obs_t *o = malloc(sizeof *o);
	int rc = 1;
	if (!cs || !o) {
		cons_free(cs);
		free(o);
		return cli_fail("%s", cs ? "out of memory" : err);
	}
	for (int i = 1; i < c->argc; i++) {
		cons_owner_t own[16];
		if (obs_parse(c->argv[i], strlen(c->argv[i]), OBS_NONE, o, err, sizeof err)) {
			fprintf(stderr, "c5hub: constituency who: %s\n", err);
			rc = 2;
			continue;
		}
		size_t n = cons_who(cs, o, own, 16);
		printf("%s\n", o->value);
		if (n == 0)
			printf("  (no constituent)\n");
		for (size_t k = 0; k < n; k++)
			printf("  %-32s %-40s %s\n", own[k].org_name, own[k].resource, own[k].abuse_contact);
		if (n && rc != 2)
			rc = 0;
	}
	cons_free(cs);
	free(o);
	return rc;
}

int cli_constituency(cli_t *c)
{
	const char *verb = c->argc ? c->argv[0] : "", *path = NULL;
	store_t *st;
	int rc, create = 0;
	if (!strcmp(verb, "import"))
		for (int i = 1; i < c->argc; i++) {
			if (!strcmp(c->argv[i], "--create-orgs"))
				create = 1;
			else if (!path && (c->argv[i][0] != '-' || !strcmp(c->argv[i], "-")))
				path = c->argv[i];
			else
				path = "", i = c->argc;
		}
	if (!((!strcmp(verb, "import") && path && *path) || (!strcmp(verb, "list") && c->argc == 1) ||
	      (!strcmp(verb, "who") && c->argc >= 2)))
		return cli_fail("usage: c5hub constituency import [--create-orgs] FILE.csv | list | who VALUE...");
	if (!(st = cli_store(c, 0)))
		return 2;
	if (!strcmp(verb, "import"))
		rc = import(c, st, path, create);
	else if (!strcmp(verb, "who"))
		rc = who(c, st);
	else
		rc = store_res_list(st, print_res, NULL) ? cli_fail("%s", store_errmsg(st)) : 0;
	store_close(st);
	return rc;
}
