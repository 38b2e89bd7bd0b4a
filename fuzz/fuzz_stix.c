/* fuzz_stix.c — libFuzzer target: STIX bundle import (stix_import_buf) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  Every
 * refusal names the input and a line; what is accepted is counted
 * consistently (no more indexed patterns than indicators). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stix/stix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static store_t *st;
static char path[64];

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
	char err[1024];
	stix_result_t res;
	stix_import_opts_t o = {.org_id = 1, .tlp = TLP_AMBER, .source = "fuzz", .confidence = 50};
	if (!st) {
		snprintf(path, sizeof path, "/tmp/fuzz_stix.%d.db", (int)getpid());
		unlink(path);
		if (store_open(path, STORE_CREATE, &st, err, sizeof err))
			abort();
		atexit(cleanup);
	}
	if (store_begin(st))
		abort();
	int rc = stix_import_buf(st, (const char *)data, size, "fuzz", &o, &res, err, sizeof err);
	if (rc && strncmp(err, "fuzz:", 5))
		abort(); /* every error names the input and a line */
	if (!rc && (res.indexed > res.indicators || res.indicators > res.objects))
		abort();
	store_rollback(st);
	return 0;
}
