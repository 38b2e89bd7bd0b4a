/* fuzz_misp.c — libFuzzer target: one MISP event document
 * (misp_import_event) on arbitrary bytes, into a scratch SQLite store,
 * always rolled back.  Every refusal names the input; what is accepted is
 * counted consistently (no more indicators than attributes, none made that
 * the STIX import did not keep). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "misp/misp.h"

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
	misp_result_t res = {0};
	stix_import_opts_t o = {.org_id = 1, .tlp = TLP_AMBER, .source = "fuzz", .confidence = 50};
	if (!st) {
		snprintf(path, sizeof path, "/tmp/fuzz_misp.%d.db", (int)getpid());
		unlink(path);
		if (store_open(path, STORE_CREATE, &st, err, sizeof err))
			abort();
		atexit(cleanup);
	}
	if (store_begin(st))
		abort();
	int rc = misp_import_event(st, (const char *)data, size, "fuzz", &o, &res, err, sizeof err);
	if (rc && strncmp(err, "fuzz", 4))
		abort(); /* every error names the input */
	if (!rc && (res.indicators > res.attributes || res.events != 1 ||
		    res.stix.objects + res.stix.known != res.indicators + 2))
		abort();
	store_rollback(st);
	return 0;
}
