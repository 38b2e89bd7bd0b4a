/* fuzz_ingest.c — libFuzzer target: the list / CSV / rbldnsd readers on
 * arbitrary bytes (the first byte picks the format and the rbldnsd dataset),
 * as a stream through fmemopen.  Every record handed on is counted. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (rec->obs->len == 0 || rec->confidence < 0 || rec->confidence > 100)
		__builtin_trap();
	(*(long *)arg)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	ingest_opts_t o = {.format = (ingest_format_t)(data[0] % 4), .source = "fuzz",
			   .confidence = 50, .classification = "other/undetermined", .tlp = TLP_AMBER,
			   .dataset = (ingest_rbl_t)(data[0] / 4 % 6)};
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	long n = 0, got = 0;
	char err[512];
	if (ingest_read(f, "fuzz", &o, count, &n, &got, err, sizeof err) == 0 && got != n)
		__builtin_trap();
	fclose(f);
	return 0;
}
