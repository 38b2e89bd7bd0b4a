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
	/* refanging never grows the text, and a pasted value that parses is
	 * the refanged text parsed */
	static char re[4096];
	size_t n = obs_refang((const char *)data, size, re);
	assert(n <= size);
	int refanged;
	if (size < OBS_VALUE_MAX &&
	    obs_parse_pasted((const char *)data, size, OBS_NONE, &a, &refanged, err, sizeof err) == 0) {
		assert(obs_parse(re, n, OBS_NONE, &b, err, sizeof err) == 0 && strcmp(a.value, b.value) == 0);
		assert(refanged == (n != size || memcmp(re, data, size) != 0));
	}
	return 0;
}
