/* form.c — url-encoded fields, cookies (see form.h). */
#include "web/form.h"

#include <string.h>
#include <strings.h>

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

/* ---- multipart/form-data (RFC 7578) ---- */

int form_boundary(const char *ctype, char *out, size_t outlen)
{
	static const char mt[] = "multipart/form-data";
	if (!ctype)
		return 0;
	ctype += strspn(ctype, " \t");
	if (strncasecmp(ctype, mt, sizeof mt - 1) ||
	    (ctype[sizeof mt - 1] && ctype[sizeof mt - 1] != ';' && ctype[sizeof mt - 1] != ' '))
		return 0;
	for (const char *p = ctype + sizeof mt - 1; (p = strchr(p, ';'));) {
		p++;
		p += strspn(p, " \t");
		if (strncasecmp(p, "boundary=", 9))
			continue;
		p += 9;
		size_t n;
		if (*p == '"') {
			p++;
			n = strcspn(p, "\"");
			if (p[n] != '"')
				return -1;
		} else {
			n = strcspn(p, "; \t");
		}
		if (n == 0 || n > FORM_BOUNDARY_MAX || n >= outlen)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return 1;
	}
	return -1;
}

/* A parameter's value in a header value ("form-data; name=\"a\"; ..."),
 * quoted or not, into out (at most outlen - 1 bytes, else truncated).  1
 * found, 0 not. */
static int header_param(const char *v, size_t n, const char *param, char *out, size_t outlen)
{
	size_t pl = strlen(param);
	for (size_t i = 0; i < n;) {
		/* the next parameter: after a ';' outside quotes */
		int q = 0;
		while (i < n && (q || v[i] != ';')) {
			q ^= v[i] == '"';
			i++;
		}
		if (i >= n)
			break;
		i++;
		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		if (n - i <= pl || strncasecmp(v + i, param, pl) || v[i + pl] != '=')
			continue;
		i += pl + 1;
		size_t s = i, e;
		if (i < n && v[i] == '"') {
			s = ++i;
			while (i < n && v[i] != '"')
				i++;
			e = i;
		} else {
			while (i < n && v[i] != ';' && v[i] != ' ' && v[i] != '\t')
				i++;
			e = i;
		}
		size_t l = e - s < outlen - 1 ? e - s : outlen - 1;
		memcpy(out, v + s, l);
		out[l] = '\0';
		return 1;
	}
	return 0;
}

/* Is the part whose header lines are h[0..n) named name?  Its file name
 * (or "") into fname. */
static int part_named(const char *h, size_t n, const char *name, char *fname, size_t fnlen)
{
	static const char cd[] = "content-disposition:";
	char got[128];
	for (size_t at = 0; at < n;) {
		const char *line = h + at, *eol = memchr(line, '\r', n - at);
		size_t l = eol ? (size_t)(eol - line) : n - at;
		if (l > sizeof cd - 1 && !strncasecmp(line, cd, sizeof cd - 1)) {
			const char *v = line + sizeof cd - 1;
			size_t vl = l - (sizeof cd - 1);
			while (vl && (*v == ' ' || *v == '\t'))
				v++, vl--;
			if (vl < 9 || strncasecmp(v, "form-data", 9))
				return 0;
			if (!header_param(v, vl, "name", got, sizeof got) || strcmp(got, name))
				return 0;
			if (fname && fnlen && !header_param(v, vl, "filename", fname, fnlen))
				fname[0] = '\0';
			return 1;
		}
		at += l + 2;
	}
	return 0;
}

int form_part(const char *body, size_t len, const char *boundary, const char *name, const char **val,
	      size_t *vlen, char *fname, size_t fnlen)
{
	char delim[FORM_BOUNDARY_MAX + 5];
	size_t bl = strlen(boundary), dl = bl + 4;
	const char *end = body + len, *p;
	if (bl == 0 || bl > FORM_BOUNDARY_MAX)
		return -1;
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, bl);
	/* the first delimiter: at the start, or after a preamble */
	if (len >= dl - 2 && !memcmp(body, delim + 2, dl - 2))
		p = body + dl - 2;
	else if ((p = memmem(body, len, delim, dl)))
		p += dl;
	else
		return -1;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* the close delimiter */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++; /* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		/* the header lines, up to an empty line (at most 8 KB) */
		size_t hn;
		const char *content;
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			hn = 0;
			content = p + 2;
		} else {
			size_t look = (size_t)(end - p) < 8192 + 4 ? (size_t)(end - p) : 8192 + 4;
			const char *x = memmem(p, look, "\r\n\r\n", 4);
			if (!x)
				return -1;
			hn = (size_t)(x - p) + 2;
			content = x + 4;
		}
		const char *next = memmem(content, (size_t)(end - content), delim, dl);
		if (!next)
			return -1;
		if (part_named(p, hn, name, fname, fnlen)) {
			*val = content;
			*vlen = (size_t)(next - content);
			return 1;
		}
		p = next + dl;
	}
}
