/* fuzz_feed.c — libFuzzer target: the feed layouts (ingest_feed.c: URLhaus,
 * Feodo, ThreatFox, SSLBL, Spamhaus DROP, Shadowserver, OpenPhish, MISP
 * freetext and CSV, DShield, DataPlane, Spamhaus CERT) on arbitrary bytes.  The first byte picks the layout,
 * whether bad records are skipped (a feed's skip policy) or stop the read,
 * and whether the format's own classification is used.  Every record must
 * carry its raw line, a valid classification and parsed related values. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	if (rec->obs->len == 0 || !rec->raw || rsit_check(rec->classification) ||
	    rec->nalso < 0 || rec->nalso > 3 || rec->confidence < 0 || rec->confidence > 100)
		__builtin_trap();
	for (int i = 0; i < rec->nalso; i++)
		if (!rec->also[i] || rec->also[i]->len == 0)
			__builtin_trap();
	(*(long *)arg)++;
	return 0;
}

static void skipped(void *arg, const char *msg)
{
	if (!msg || !*msg)
		__builtin_trap();
	(*(long *)arg)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	long n = 0, got = 0, bad = 0;
	ingest_opts_t o = {.format = (ingest_format_t)(INGEST_URLHAUS + (data[0] & 0x1f) % 12),
			   .source = "fuzz", .confidence = 50, .tlp = TLP_AMBER,
			   .classification = data[0] & 0x40 ? "other/undetermined" : NULL,
			   .column = data[0] & 0x20 ? "2" : NULL};
	if (data[0] & 0x80) {
		o.on_bad = skipped;
		o.bad_arg = &bad;
	}
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	char err[512];
	if (ingest_read(f, "fuzz", &o, check, &n, &got, err, sizeof err) == 0 && got != n)
		__builtin_trap();
	fclose(f);
	return 0;
}
