/* cli.h — the command line: shared option helpers and one entry point per
 * command.  Each command returns the process exit status. */
#ifndef C5_CLI_H
#define C5_CLI_H

#include "store/store.h"

typedef struct {
	const char *db;   /* --db, C5HUB_DB, or ./c5hub.db */
	int argc;         /* arguments after the command name */
	char **argv;
} cli_t;

/* If argv[*i] is --name VALUE or --name=VALUE, set *val, advance *i past it
 * and return 1; return -1 when the value is missing; 0 otherwise. */
int cli_opt(cli_t *c, int *i, const char *name, const char **val);
/* Print "c5hub: <msg>" to stderr; returns 2. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Open the store (it must exist; flags as for store_open), or print why
 * and return NULL. */
store_t *cli_store(const cli_t *c, int flags);

int cli_init(cli_t *c);
int cli_ingest(cli_t *c);
int cli_lookup(cli_t *c);
int cli_org(cli_t *c);
int cli_token(cli_t *c);
int cli_serve(cli_t *c);
int cli_export(cli_t *c);

#endif
