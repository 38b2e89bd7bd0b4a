/* fuzz_iodef.c — libFuzzer target: IODEF documents (iodef_import_buf) on
 * arbitrary bytes, into a scratch SQLite store, always rolled back.  Every
 * refusal names the input and a line; what is accepted is counted
 * consistently (one incident object at least, no more indicators made than
 * the STIX import kept or found).  And as a pair: what an import kept,
 * exported (iodef_export) and imported again, then exported and imported
 * once more, is the same the second time as the first (the export writes
 * back all it keeps; the first trip only brings IODEF 1 and the values
 * IODEF 2 does not have to its terms). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iodef/iodef.h"

#include "roundtrip.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HUB "fuzz-hub"

/* The incidents kept that came from a document (not the export's own
 * reporting incidents of the hub's indicators), as sorted lines of name,
 * TLP, description and x_iodef. */
static int kept_cb(void *arg, const store_stix_t *o)
{
	rt_set_t *s = arg;
	s->cursor = o->rid;
	if (strcmp(o->type, "incident"))
		return 0;
	json_t *j = json_loadb(o->json, o->json_len, 0, NULL);
	const char *name = json_string_value(json_object_get(j, "name"));
	json_t *x = json_object_get(j, "x_iodef");
	char *xs = x ? json_dumps(x, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	const char *desc = json_string_value(json_object_get(j, "description"));
	if (!j || !name || !xs)
		abort();
	if (strncmp(name, HUB "#", sizeof HUB)) {
		size_t n = strlen(name) + strlen(xs) + (desc ? strlen(desc) : 0) + 32;
		char *line = malloc(n);
		if (!line || util_grow(&s->line, &s->cap, s->n + 1, sizeof *s->line, 16))
			abort();
		snprintf(line, n, "%s|%s|%s|%s", name, tlp_name(o->tlp), desc ? desc : "", xs);
		s->line[s->n++] = line;
	}
	free(xs);
	json_decref(j);
	return 0;
}

static void kept(store_t *st, rt_set_t *s)
{
	store_stix_filter_t f = {.view = {.max_tlp = TLP_GREEN, .org = 1}, .tlp_max = TLP_AMBER_STRICT, .limit = 1000};
	for (s->cursor = 0;;) {
		int64_t was = s->cursor;
		f.after_rid = s->cursor;
		if (store_stix_list(st, &f, kept_cb, s))
			abort();
		if (s->cursor == was)
			break;
	}
	if (s->n)
		qsort(s->line, s->n, sizeof *s->line, rt_cmp);
}

/* Export the store, import the document in its place; the incidents kept. */
static void trip(store_t *st, const stix_import_opts_t *o, rt_set_t *s)
{
	char err[1024], *doc = NULL;
	size_t len = 0;
	long n;
	iodef_result_t res;
	iodef_export_opts_t x = {.viewer_org = 1, .hub_name = HUB};
	FILE *f = open_memstream(&doc, &len);
	if (!f || iodef_export(st, &x, f, &n, err, sizeof err) || fclose(f))
		abort();
	store_rollback(st);
	if (store_begin(st))
		abort();
	if (iodef_import_buf(st, doc, len, "export", o, &res, err, sizeof err)) {
		fprintf(stderr, "the export does not import: %s\n%s\n", err, doc);
		abort();
	}
	free(doc);
	kept(st, s);
}

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
	if (!rc) {
		rt_set_t once = {0}, twice = {0};
		trip(st, &o, &once);
		trip(st, &o, &twice);
		rt_same(&once, &twice, "iodef");
		rt_free(&once);
		rt_free(&twice);
	}
	store_rollback(st);
	return 0;
}
