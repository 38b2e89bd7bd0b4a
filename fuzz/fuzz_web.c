/* fuzz_web.c — libFuzzer target: what browsers send and what the console
 * reads.  The first byte picks the parser: a form field (and the pair: a
 * value encoded by form_encode reads back as itself), a cookie, a message
 * catalogue (every message parsed is found again), a template (a checked
 * one renders; the escaper never lets markup through). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/form.h"
#include "web/i18n.h"
#include "web/tpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[256], enc[800], err[256];
	if (size < 1 || size > 8192)
		return 0;
	int mode = data[0] & 3;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	char *z = malloc(n + 1);
	if (!z)
		return 0;
	memcpy(z, s, n);
	z[n] = '\0';
	switch (mode) {
	case 0: {
		int rc = form_get(s, n, "a", out, sizeof out);
		if (rc == 1) {
			if (strlen(out) >= sizeof out)
				abort();
			/* the pair: encode, then read back */
			memcpy(enc, "a=", 2);
			form_encode(out, enc + 2, sizeof enc - 2);
			char back[256];
			if (form_get(enc, strlen(enc), "a", back, sizeof back) != 1 || strcmp(back, out))
				abort();
		}
		break;
	}
	case 1:
		if (form_cookie(z, "c5sid", out, sizeof out) == 1 && strlen(out) >= sizeof out)
			abort();
		break;
	case 2: {
		i18n_lang_t *l = i18n_parse("xx", z, "fuzz.po", err, sizeof err);
		i18n_free(l);
		break;
	}
	case 3:
		if (tpl_check("fuzz", z, err, sizeof err) == 0) {
			json_t *ctx = json_pack("{s:s, s:[s, i], s:{s:b}}", "x", "<&>\"'", "l", "a<", 7, "o", "t", 1);
			util_buf_t b = {0};
			tpl_render(z, ctx, NULL, &b);
			free(b.data);
			json_decref(ctx);
		}
		util_buf_t e = {0};
		tpl_escape(&e, z, n > 64 ? 64 : strnlen(z, 64));
		if (e.data && strpbrk(e.data, "<>\"'"))
			abort();
		free(e.data);
		break;
	}
	free(z);
	return 0;
}
