/* fuzz_cons.c — libFuzzer target: constituency CSV imports (cons_import) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  What is
 * accepted must be findable: the first resource's owner answers for it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cons/cons.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static store_t *st;
static char path[64];

/* the scratch database goes when the fuzzer stops */
static void cleanup(void)
{
	char p[80];
	store_close(st);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	long rows = 0;
	if (!st) {
		snprintf(path, sizeof path, "/tmp/fuzz_cons.%d.db", (int)getpid());
		unlink(path);
		if (store_open(path, STORE_CREATE, &st, err, sizeof err))
			abort();
		atexit(cleanup);
	}
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (store_begin(st))
		abort();
	int rc = cons_import(st, f, "fuzz", &rows, err, sizeof err);
	fclose(f);
	if (rc == 0 && rows < 0)
		abort();
	if (rc && strncmp(err, "fuzz", 4))
		abort(); /* every error names the input */
	store_rollback(st);
	return 0;
}
