/* fuzz_misp.c — libFuzzer target: one MISP event document
 * (misp_import_event) on arbitrary bytes, into a scratch SQLite store,
 * always rolled back.  Every refusal names the input; what is accepted is
 * counted consistently (no more indicators than attributes, none made that
 * the STIX import did not keep).  And as a pair: the indicators an event
 * gave, exported as a MISP feed (misp_export_dir) and imported again, are
 * the same (type, value, classification, TLP). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "misp/misp.h"

#include "roundtrip.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64]; /* the feed written, under /tmp, removed at exit */

static void dir_cleanup(void)
{
	char p[200];
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* Export what the import gave as a feed, import it again in its place. */
static void roundtrip(store_t *st, const stix_import_opts_t *o)
{
	char err[1024];
	long events, attributes;
	misp_result_t res2;
	rt_set_t a = {0}, b = {0};
	misp_export_opts_t x = {.viewer_org = 1, .hub_name = "fuzz hub"};
	if (!*dir) {
		snprintf(dir, sizeof dir, "/tmp/fuzz_misp_feed.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(dir_cleanup);
	}
	rt_snapshot(st, TLP_AMBER_STRICT, &a);
	if (misp_export_dir(st, &x, dir, &events, &attributes, err, sizeof err))
		abort();
	store_rollback(st);
	if (store_begin(st))
		abort();
	if (misp_import_path(st, dir, o, &res2, err, sizeof err)) {
		fprintf(stderr, "the export does not import: %s\n", err);
		abort();
	}
	rt_snapshot(st, TLP_AMBER_STRICT, &b);
	rt_same(&a, &b, "misp");
	rt_free(&a);
	rt_free(&b);
}

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
	if (!rc && res.indicators)
		roundtrip(st, &o);
	store_rollback(st);
	return 0;
}
