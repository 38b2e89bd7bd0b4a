/* fuzz_stix.c — libFuzzer target: STIX bundle import (stix_import_buf) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  Every
 * refusal names the input and a line; what is accepted is counted
 * consistently (no more indexed patterns than indicators), and every object
 * kept is valid JSON again (compacted, with its TLP marking added).  Odd
 * sizes are read as a TAXII envelope, even ones as a bundle.  And as a
 * pair: the indicators an import gave, exported as a bundle (stix_export)
 * and imported again, are the same (type, value, classification, TLP). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stix/stix.h"

#include "roundtrip.h"
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

/* Export what the import gave as a bundle, import it again in its place. */
static void roundtrip(store_t *st, stix_import_opts_t *o)
{
	char err[1024], *doc = NULL;
	size_t len = 0;
	long n;
	stix_result_t res;
	rt_set_t a = {0}, b = {0};
	stix_export_opts_t x = {.viewer_org = 1, .hub_name = "fuzz hub"};
	FILE *f = open_memstream(&doc, &len);
	rt_snapshot(st, TLP_AMBER_STRICT, &a);
	if (!f || stix_export(st, &x, f, &n, err, sizeof err) || fclose(f))
		abort();
	store_rollback(st);
	if (store_begin(st))
		abort();
	o->envelope = 0;
	if (stix_import_buf(st, doc, len, "export", o, &res, err, sizeof err)) {
		fprintf(stderr, "the export does not import: %s\n", err);
		abort();
	}
	free(doc);
	rt_snapshot(st, TLP_AMBER_STRICT, &b);
	rt_same(&a, &b, "stix");
	rt_free(&a);
	rt_free(&b);
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
	if (!rc && res.indicators)
		roundtrip(st, &o);
	store_rollback(st);
	return 0;
}
