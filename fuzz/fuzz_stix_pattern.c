/* fuzz_stix_pattern.c — libFuzzer target: the STIX 2.1 pattern parser on
 * arbitrary bytes.  A refused pattern has a "position N: " error inside its
 * length; an accepted indexable one holds only canonical observables, each
 * of which writes back a pattern that parses to the same value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix_pattern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	stix_pattern_t p, q;
	char err[256], back[OBS_VALUE_MAX * 2 + 64];
	size_t at;
	if (stix_pattern_parse((const char *)data, size, &p, err, sizeof err)) {
		if (sscanf(err, "position %zu: ", &at) != 1 || at > size)
			abort();
		return 0;
	}
	if (!p.indexable && p.nvalues)
		abort();
	for (size_t i = 0; i < p.nvalues; i++) {
		if (stix_pattern_of(&p.values[i], back, sizeof back))
			abort();
		if (stix_pattern_parse(back, strlen(back), &q, err, sizeof err) || !q.indexable ||
		    q.nvalues != 1 || strcmp(q.values[0].value, p.values[i].value))
			abort();
		stix_pattern_free(&q);
	}
	stix_pattern_free(&p);
	return 0;
}
