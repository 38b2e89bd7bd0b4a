/* form.c — url-encoded fields, cookies (see form.h). */
#include "web/form.h"

#include <string.h>

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decode s[0..n) into out; 0, or -1. */
static int decode(const char *s, size_t n, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int h, l;
			if (i + 2 >= n || (h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0)
				return -1;
			c = (char)(h << 4 | l);
			i += 2;
		}
		if (c == '\0' || o + 1 >= outlen)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int form_get(const char *body, size_t len, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	if (outlen == 0)
		return -1;
	for (size_t at = 0; at < len;) {
		const char *p = body + at, *amp = memchr(p, '&', len - at);
		size_t n = amp ? (size_t)(amp - p) : len - at;
		const char *eq = memchr(p, '=', n);
		size_t kl = eq ? (size_t)(eq - p) : n;
		if (kl == nl && !memcmp(p, name, nl))
			return eq ? (decode(eq + 1, n - kl - 1, out, outlen) ? -1 : 1)
				  : (out[0] = '\0', 1);
		at += n + 1;
	}
	return 0;
}

int form_cookie(const char *h, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	while (h && *h) {
		h += strspn(h, " \t");
		size_t n = strcspn(h, ";");
		if (n > nl && !strncmp(h, name, nl) && h[nl] == '=') {
			size_t vl = n - nl - 1;
			while (vl && (h[nl + 1 + vl - 1] == ' ' || h[nl + 1 + vl - 1] == '\t'))
				vl--;
			if (vl >= outlen)
				return -1;
			memcpy(out, h + nl + 1, vl);
			out[vl] = '\0';
			return 1;
		}
		h += n + (h[n] == ';');
	}
	return 0;
}

size_t form_encode(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	if (!outlen)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    strchr("-._~", c);
		size_t need = plain ? 1 : 3;
		if (o + need >= outlen)
			break;
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
	return o;
}
