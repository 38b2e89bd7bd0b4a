/* batch.c — the simple-shape batch reader (see batch.h). */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

static const char *ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* A plain string at p (p at the opening quote); the end after the closing
 * quote, or NULL when it is not plain (escapes, controls, non-ASCII). */
static const char *plain(const char *p, const char *e, batch_str_t *s)
{
	const char *q = ++p;
	while (q < e && *q != '"') {
		unsigned char c = (unsigned char)*q;
		if (c < 0x20 || c >= 0x7F || c == '\\')
			return NULL;
		q++;
	}
	if (q == e)
		return NULL;
	s->p = p;
	s->len = (size_t)(q - p);
	return q + 1;
}

long batch_read(const char *body, size_t len, size_t max, batch_str_t **out)
{
	const char *p = body, *e = body + len;
	batch_str_t *v = NULL;
	size_t n = 0, cap = 0;
	int wrapped = 0;
	*out = NULL;
	p = ws(p, e);
	if (p < e && *p == '{') { /* {"values": [...]} */
		p = ws(p + 1, e);
		if ((size_t)(e - p) < 8 || memcmp(p, "\"values\"", 8))
			return -1;
		p = ws(p + 8, e);
		if (p == e || *p++ != ':')
			return -1;
		p = ws(p, e);
		wrapped = 1;
	}
	if (p == e || *p++ != '[')
		return -1;
	p = ws(p, e);
	if (p < e && *p == ']') {
		p++;
	} else {
		for (;;) {
			batch_str_t s;
			if (p == e || *p != '"' || !(p = plain(p, e, &s)) || n == max)
				goto no;
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 1024;
				batch_str_t *nv = realloc(v, nc * sizeof *nv);
				if (!nv)
					goto no;
				v = nv;
				cap = nc;
			}
			v[n++] = s;
			p = ws(p, e);
			if (p < e && *p == ',') {
				p = ws(p + 1, e);
				continue;
			}
			if (p < e && *p == ']') {
				p++;
				break;
			}
			goto no;
		}
	}
	p = ws(p, e);
	if (wrapped) {
		if (p == e || *p++ != '}')
			goto no;
		p = ws(p, e);
	}
	if (p != e)
		goto no;
	*out = v;
	return (long)n;
no:
	free(v);
	return -1;
}
