/* fuzz_multipart.c — libFuzzer target: multipart/form-data bodies and their
 * Content-Type (form_boundary, form_part).  Properties: a part found lies
 * inside the body and holds no delimiter; a body made from any value (two
 * parts, the second a file) gives both back byte for byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define B "c5-fuzz-Bnd"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 16384)
		return 0;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	char bnd[FORM_BOUNDARY_MAX + 1], fname[64];
	const char *v;
	size_t vl;
	if ((data[0] & 1) == 0) {
		/* any body, any Content-Type (its first line) */
		char *z = malloc(n + 1);
		if (!z)
			return 0;
		memcpy(z, s, n);
		z[n] = '\0';
		z[strcspn(z, "\n")] = '\0';
		int rc = form_boundary(z, bnd, sizeof bnd);
		if (rc == 1 && (strlen(bnd) == 0 || strlen(bnd) > FORM_BOUNDARY_MAX))
			abort();
		free(z);
		static const char *const names[] = {"file", "text", "csrf", ""};
		for (int k = 0; k < 4; k++) {
			rc = form_part(s, n, B, names[k], &v, &vl, fname, sizeof fname);
			if (rc == 1) {
				if (v < s || v + vl > s + n || strlen(fname) >= sizeof fname)
					abort();
				if (memmem(v, vl, "\r\n--" B, sizeof B + 3))
					abort();
			}
		}
		return 0;
	}
	/* the round trip: the input as a field and as a file */
	if (memmem(s, n, "\r\n--" B, sizeof B + 3) || (n >= sizeof B + 1 && !memcmp(s, "--" B, sizeof B + 1)))
		return 0; /* a value holding the delimiter cannot be sent with it */
	size_t cap = 2 * n + 512, o = 0;
	char *body = malloc(cap);
	if (!body)
		return 0;
#define PUT(p, l) (memcpy(body + o, p, l), o += (l))
#define STR(x) PUT(x, strlen(x))
	STR("--" B "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n");
	PUT(s, n);
	STR("\r\n--" B "\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a;b.csv\"\r\n"
	    "Content-Type: text/csv\r\n\r\n");
	PUT(s, n);
	STR("\r\n--" B "--\r\n");
	if (form_boundary("multipart/form-data; boundary=\"" B "\"", bnd, sizeof bnd) != 1 || strcmp(bnd, B))
		abort();
	if (form_part(body, o, bnd, "text", &v, &vl, NULL, 0) != 1 || vl != n || memcmp(v, s, n))
		abort();
	if (form_part(body, o, bnd, "file", &v, &vl, fname, sizeof fname) != 1 || vl != n || memcmp(v, s, n) ||
	    strcmp(fname, "a;b.csv"))
		abort();
	if (form_part(body, o, bnd, "name", &v, &vl, NULL, 0) != 0)
		abort();
	free(body);
	return 0;
}
