/* cli_cons.c — `c5hub constituency import FILE | list | who VALUE...`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cons/cons.h"

static int print_res(void *arg, const store_res_t *r)
{
	(void)arg;
	printf("%-32s %-18s %-40s %s\n", r->org_name, obs_type_name(r->type), r->value, r->abuse_contact);
	return 0;
}

static int import(cli_t *c, store_t *st)
{
	const char *path = c->argv[1];
	char err[512];
	long rows = 0;
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return cli_fail("constituency import: %s: cannot read", path);
	int bad = store_begin(st) || cons_import(st, f, path, &rows, err, sizeof err);
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
	const char *verb = c->argc ? c->argv[0] : "";
	store_t *st;
	int rc;
	if (!((!strcmp(verb, "import") && c->argc == 2) || (!strcmp(verb, "list") && c->argc == 1) ||
	      (!strcmp(verb, "who") && c->argc >= 2)))
		return cli_fail("usage: c5hub constituency import FILE.csv | list | who VALUE...");
	if (!(st = cli_store(c, 0)))
		return 2;
	if (!strcmp(verb, "import"))
		rc = import(c, st);
	else if (!strcmp(verb, "who"))
		rc = who(c, st);
	else
		rc = store_res_list(st, print_res, NULL) ? cli_fail("%s", store_errmsg(st)) : 0;
	store_close(st);
	return rc;
}
