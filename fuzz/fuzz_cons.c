/* fuzz_cons.c — libFuzzer target: constituency CSV imports (cons_import) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  What is
 * accepted must be findable: the first resource's owner answers for it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cons/cons.h"

#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	long rows = 0;
	store_t *st = scratch_store("cons");
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (store_begin(st))
		abort();
	int rc = cons_import(st, f, "fuzz", &(cons_import_opts_t){.create = size & 1}, &rows, err,
			     sizeof err);
	fclose(f);
	if (rc == 0 && rows < 0)
		abort();
	if (rc && strncmp(err, "fuzz", 4))
		abort(); /* every error names the input */
	store_rollback(st);
	return 0;
}
