/* fuzz_rep.c — libFuzzer target: reputation files (rep_model_parse) on
 * arbitrary bytes.  A file is taken whole or not at all; whatever is taken
 * must leave a model that scores within 0..100. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rep/rep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static rep_model_t *m;
	char err[256], *text;
	if (size > 8192 || !(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!m && !(m = rep_model_new(err, sizeof err)))
		abort();
	if (rep_model_parse(m, text, "fuzz", err, sizeof err) == 0) {
		static const char *const cls[] = {"a", "a/b", "fraud/phishing", "", "x/y/z"};
		for (size_t i = 0; i < 5; i++) {
			const rep_decay_t *d = rep_decay(m, cls[i]);
			int c = rep_code(m, cls[i]);
			assert(d->speed > 0 && c >= 2 && c <= 254);
			rep_report_t r = {.conf = 100, .trust = rep_trust(m, cls[i], 1), .seen = 1000,
					  .cls = cls[i]};
			rep_result_t res;
			rep_score(m, &r, 1, 1000 + (uint32_t)i * 5000, &res, NULL);
			assert(res.score >= 0 && res.score <= 100);
		}
	} else {
		assert(strncmp(err, "fuzz:", 5) == 0);
	}
	free(text);
	return 0;
}
