/* fuzz_obs.c — libFuzzer target: the observable parser on arbitrary bytes,
 * with every type forced and detected; a canonical value must parse again to
 * itself.  Also the store's reload path, obs_from_canonical(). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/obs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static obs_t a, b;
	char err[256];
	if (size > 4096)
		return 0;
	for (int t = OBS_NONE; t < OBS_NTYPES; t++) {
		if (obs_from_canonical((obs_type_t)t, (const char *)data, size, &b) == 0)
			assert(b.len == strlen(b.value) &&
			       (t == OBS_IPV4 || t == OBS_IPV6 || t == OBS_ASN ||
				((int)b.type == t && b.len == size)));
		if (obs_parse((const char *)data, size, (obs_type_t)t, &a, err, sizeof err) != 0)
			continue;
		assert(a.len == strlen(a.value));
		/* canonical form is a fixed point */
		int rc = obs_parse(a.value, a.len, a.type, &b, err, sizeof err);
		assert(rc == 0 && b.type == a.type && strcmp(a.value, b.value) == 0);
	}
	return 0;
}
