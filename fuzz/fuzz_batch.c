/* fuzz_batch.c — differential libFuzzer target: the batch fast path
 * (batch_read) against jansson.  Whatever the fast path accepts, jansson must
 * read as the same list of the same strings. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/batch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	batch_str_t *v;
	long n = batch_read((const char *)data, size, 100000, &v);
	if (n < 0)
		return 0;
	json_error_t je;
	json_t *in = json_loadb((const char *)data, size, 0, &je);
	json_t *vals = json_is_array(in) ? in : json_object_get(in, "values");
	if (!json_is_array(vals) || json_array_size(vals) != (size_t)n)
		abort();
	for (long i = 0; i < n; i++) {
		json_t *s = json_array_get(vals, (size_t)i);
		if (!json_is_string(s) || json_string_length(s) != v[i].len ||
		    memcmp(json_string_value(s), v[i].p, v[i].len))
			abort();
	}
	if (json_is_object(in) && json_object_size(in) != 1)
		abort();
	json_decref(in);
	free(v);
	return 0;
}
