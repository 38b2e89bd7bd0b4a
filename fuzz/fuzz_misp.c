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

#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	misp_result_t res = {0};
	stix_import_opts_t o = {.org_id = 1, .tlp = TLP_AMBER, .source = "fuzz", .confidence = 50};
	store_t *st = scratch_store("misp");
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
