/* cli.h — the command line: shared option helpers and one entry point per
 * command.  Each command returns the process exit status. */
#ifndef C5_CLI_H
#define C5_CLI_H

#include <stdio.h>

#include "rep/rep.h"
#include "store/store.h"

typedef struct {
	const char *db;   /* --db, C5HUB_DB, or ./c5hub.db */
	int db_given;     /* by --db or C5HUB_DB (a config file's db yields) */
	int argc;         /* arguments after the command name */
	char **argv;
} cli_t;

/* A configuration file read as options: each "key = value" line becomes
 * "--key value" in c.argv.  Blank lines and lines starting with '#' are
 * skipped; a value may be in double quotes. */
typedef struct {
	cli_t c;
	char *text;
	const char *path; /* borrowed from the caller of cli_conf_read */
	int *lines;       /* lines[k]: the file line of c.argv[2k], c.argv[2k+1] */
} cli_conf_t;
/* Read path, accepting only the keys listed (NULL-terminated).  A UTF-8
 * byte-order mark, CR line ends and trailing blanks are skipped.  0, or 2
 * after printing "path:line: reason". */
int cli_conf_read(const char *path, const char *const *keys, cli_conf_t *out);
void cli_conf_free(cli_conf_t *conf);
/* Where an option's value came from: "path:line: " when val is one of
 * conf's values (the pointer itself), else "" (the command line).  Written
 * to buf, which is returned. */
const char *cli_conf_where(const cli_conf_t *conf, const char *val, char *buf, size_t size);

/* If argv[*i] is --name VALUE or --name=VALUE, set *val, advance *i past it
 * and return 1; return -1 when the value is missing; 0 otherwise. */
int cli_opt(cli_t *c, int *i, const char *name, const char **val);
/* Print "c5hub: <msg>" to stderr; returns 2. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the store (it must exist; flags as for store_open), or print why
 * and return NULL. */
store_t *cli_store(const cli_t *c, int flags);

/* Run one change and its audit entry ("cli <user>", "local") in one write
 * transaction: begin, then the caller's write, then cli_audit_commit(). */
int cli_audit_commit(store_t *st, const char *action, const char *object, const char *detail);

int cli_init(cli_t *c);
int cli_ingest(cli_t *c);
int cli_lookup(cli_t *c);
int cli_org(cli_t *c);
int cli_token(cli_t *c);
int cli_serve(cli_t *c);
int cli_export(cli_t *c);
int cli_trust(cli_t *c);
int cli_pki(cli_t *c);
int cli_audit(cli_t *c);
int cli_constituency(cli_t *c);
int cli_feed(cli_t *c);
int cli_notify(cli_t *c);
int cli_warn(cli_t *c);
int cli_warninglists(cli_t *c);
int cli_taxii(cli_t *c);
int cli_evidence(cli_t *c);

/* Usage texts (cli_help.c), all from one table: every command's synopsis
 * and what it does (cli_usage), one command's with an example
 * (cli_help_command: 0, or 2 for an unknown name), the man page in roff
 * (cli_man).  cli_wants_help: is --help or -h among the arguments? */
void cli_usage(FILE *f);
int cli_help_command(const char *name);
void cli_man(FILE *f, const char *version);
int cli_wants_help(int argc, char **argv);
int cli_incident(cli_t *c);
int cli_taxii_poll(cli_t *c);
int cli_taxii_push(cli_t *c);
int cli_user(cli_t *c);      /* cli_people.c */
int cli_org_totp(cli_t *c);  /* org policy NAME --totp ... */
int cli_case(cli_t *c);      /* cli_case.c */
int cli_assess(cli_t *c);    /* cli_assess.c */
int cli_advisory(cli_t *c);  /* cli_csaf.c */
/* ingest --format csaf: each file or URL a mirrored advisory of org (NULL:
 * the hub's); the exit status. */
int cli_ingest_csaf(cli_t *c, const char *const *files, int nfiles, const char *org);
int cli_gw(cli_t *c);        /* cli_gw.c */

/* The options of `c5hub ingest` that --format stix, misp and iodef share
 * (cli_stix.c). */
enum { CLI_STIX, CLI_MISP, CLI_IODEF };
typedef struct {
	const char *source, *org, *tlp, *conf, *classification, *share, *collection;
	int kind; /* CLI_STIX, CLI_MISP (feed directories or events), CLI_IODEF */
} cli_ingest_args_t;
int cli_ingest_stix(cli_t *c, const char *const *files, int nfiles, const cli_ingest_args_t *a);
int cli_export_stix(cli_t *c, const char *org, const char *output);
int cli_export_misp(cli_t *c, const char *org, const char *dir);
int cli_export_iodef(cli_t *c, const char *org, const char *output);

/* The reputation model with the built-in defaults, file (or NULL) over them
 * and the store's trust; NULL after printing why. */
rep_model_t *cli_rep_model(store_t *st, const char *file);

/* `assess index ...` (cli_cindex.c): c->argv[0] is "index". */
int cli_assess_index(cli_t *c);
int cli_sla(cli_t *c);        /* cli_sla.c */
int cli_intake(cli_t *c);

#endif
