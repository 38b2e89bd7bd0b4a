/* fuzz_stix.c — libFuzzer target: STIX bundle import (stix_import_buf) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  Every
 * refusal names the input and a line; what is accepted is counted
 * consistently (no more indexed patterns than indicators), and every object
 * kept is valid JSON again (compacted, with its TLP marking added).  Odd
 * sizes are read as a TAXII envelope, even ones as a bundle. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stix/stix.h"

#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int kept_ok(void *arg, const store_stix_t *o)
{
	json_error_t je;
	json_t *j = json_loadb(o->json, o->json_len, JSON_REJECT_DUPLICATES, &je);
	(void)arg;
	if (!j || (!json_is_array(json_object_get(j, "object_marking_refs")) &&
		   strcmp(o->type, "marking-definition")))
		abort();
	json_decref(j);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	stix_result_t res;
	stix_import_opts_t o = {.org_id = 1, .tlp = TLP_AMBER, .source = "fuzz", .confidence = 50,
				.envelope = (int)(size & 1)};
	store_stix_filter_t all = {.view = TLP_VIEW_ALL, .tlp_max = TLP_RED, .limit = 100000};
	store_t *st = scratch_store("stix");
	if (store_begin(st))
		abort();
	int rc = stix_import_buf(st, (const char *)data, size, "fuzz", &o, &res, err, sizeof err);
	if (rc && strncmp(err, "fuzz:", 5))
		abort(); /* every error names the input and a line */
	if (!rc && (res.indexed > res.indicators || res.indicators > res.objects))
		abort();
	if (!rc && store_stix_list(st, &all, kept_ok, NULL))
		abort();
	store_rollback(st);
	return 0;
}
