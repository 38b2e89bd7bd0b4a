/* fuzz_iodef.c — libFuzzer target: IODEF documents (iodef_import_buf) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  Every
 * refusal names the input and a line; what is accepted is counted
 * consistently (one incident object at least, no more indicators made than
 * the STIX import kept or found). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iodef/iodef.h"

#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	iodef_result_t res;
	stix_import_opts_t o = {.org_id = 1, .tlp = TLP_AMBER, .source = "fuzz", .confidence = 50};
	store_t *st = scratch_store("iodef");
	if (store_begin(st))
		abort();
	int rc = iodef_import_buf(st, (const char *)data, size, "fuzz", &o, &res, err, sizeof err);
	if (rc && strncmp(err, "fuzz:", 5))
		abort(); /* every error names the input and a line */
	if (!rc && (res.incidents < 1 ||
		    res.stix.objects + res.stix.known != res.incidents + res.indicators))
		abort();
	store_rollback(st);
	return 0;
}
