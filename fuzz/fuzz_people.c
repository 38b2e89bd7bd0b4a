/* fuzz_people.c — libFuzzer target: what people.c reads from outside that is
 * not a hash: base32 TOTP secrets (people_b32_decode must agree with
 * people_b32_encode: a decoded secret encodes back to the same letters,
 * upper-cased, spaces, dashes and padding dropped; one of 1..64 bytes
 * gives a 6-digit code), and passwords
 * (people_password_check on any bytes, NUL-terminated). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "people/people.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[4097], canon[4097], again[4097 * 2];
	static uint8_t out[4096];
	char err[256], code[7];
	if (size > 4096)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	int n = people_b32_decode(in, out, sizeof out);
	if (n >= 0) {
		size_t k = 0;
		for (const char *p = in; *p; p++)
			if (*p != ' ' && *p != '-' && *p != '=')
				canon[k++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		canon[k] = '\0';
		people_b32_encode(out, (size_t)n, again);
		assert(strcmp(canon, again) == 0);
		/* a secret of 1..64 bytes gives a code; a longer one is refused */
		int r = people_totp_code(in, 59, code);
		assert(n > 0 && n <= 64 ? r == 0 && strlen(code) == 6 : r == -1);
	}
	n = people_b32_decode(in, out, 10); /* a small buffer is never overrun */
	assert(n <= 10);
	int r = people_password_check("someone@example.org", in, err, sizeof err);
	assert(r == 0 || (r == PEOPLE_WEAK && err[0]));
	return 0;
}
