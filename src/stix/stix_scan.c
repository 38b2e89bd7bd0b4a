/* stix_scan.c — the strict JSON scanner (see stix_scan.h). */
#include "stix/stix_scan.h"

#include <string.h>

void scan_ws(scan_t *c)
{
	while (c->pos < c->n && (c->s[c->pos] == ' ' || c->s[c->pos] == '\t' ||
				 c->s[c->pos] == '\n' || c->s[c->pos] == '\r'))
		c->pos++;
}

static int hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* One UTF-8 sequence starting with byte b0 at c->pos; 0 and past it, or -1
 * (overlong forms, surrogates and code points past U+10FFFF refused). */
static int utf8(scan_t *c)
{
	const unsigned char *p = (const unsigned char *)c->s + c->pos;
	size_t left = c->n - c->pos;
	unsigned b0 = p[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xBF;
	if (b0 >= 0xC2 && b0 <= 0xDF)
		len = 2;
	else if (b0 >= 0xE0 && b0 <= 0xEF) {
		len = 3;
		if (b0 == 0xE0)
			lo = 0xA0;
		if (b0 == 0xED)
			hi = 0x9F;
	} else if (b0 >= 0xF0 && b0 <= 0xF4) {
		len = 4;
		if (b0 == 0xF0)
			lo = 0x90;
		if (b0 == 0xF4)
			hi = 0x8F;
	} else {
		return -1;
	}
	if (left < len || p[1] < lo || p[1] > hi)
		return -1;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return -1;
	c->pos += len;
	return 0;
}

int scan_string(scan_t *c)
{
	if (c->pos >= c->n || c->s[c->pos] != '"')
		return -1;
	c->pos++;
	while (c->pos < c->n) {
		/* the run of plain ASCII first, in locals: c->s may alias c->pos */
		const unsigned char *p = (const unsigned char *)c->s + c->pos,
				    *end = (const unsigned char *)c->s + c->n;
		while (end - p >= 8 && !scan_plain8(scan_word((const char *)p)))
			p += 8;
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		c->pos = (size_t)(p - (const unsigned char *)c->s);
		if (p == end)
			break;
		unsigned char ch = *p;
		if (ch == '"') {
			c->pos++;
			return 0;
		}
		if (ch < 0x20)
			return -1;
		if (ch == '\\') {
			if (c->pos + 1 >= c->n)
				return -1;
			char e = c->s[c->pos + 1];
			if (e == 'u') {
				if (c->pos + 6 > c->n || !hex(c->s[c->pos + 2]) || !hex(c->s[c->pos + 3]) ||
				    !hex(c->s[c->pos + 4]) || !hex(c->s[c->pos + 5]))
					return -1;
				c->pos += 6;
			} else if (strchr("\"\\/bfnrt", e) && e) {
				c->pos += 2;
			} else {
				return -1;
			}
		} else if (ch >= 0x80) {
			if (utf8(c))
				return -1;
		} else {
			c->pos++;
		}
	}
	return -1;
}

static int digits(scan_t *c)
{
	size_t start = c->pos;
	while (c->pos < c->n && c->s[c->pos] >= '0' && c->s[c->pos] <= '9')
		c->pos++;
	return c->pos > start ? 0 : -1;
}

static int number(scan_t *c)
{
	if (c->pos < c->n && c->s[c->pos] == '-')
		c->pos++;
	if (c->pos < c->n && c->s[c->pos] == '0')
		c->pos++;
	else if (digits(c))
		return -1;
	if (c->pos < c->n && c->s[c->pos] == '.') {
		c->pos++;
		if (digits(c))
			return -1;
	}
	if (c->pos < c->n && (c->s[c->pos] == 'e' || c->s[c->pos] == 'E')) {
		c->pos++;
		if (c->pos < c->n && (c->s[c->pos] == '+' || c->s[c->pos] == '-'))
			c->pos++;
		if (digits(c))
			return -1;
	}
	return 0;
}

static int literal(scan_t *c, const char *word)
{
	size_t len = strlen(word);
	if (c->n - c->pos < len || memcmp(c->s + c->pos, word, len))
		return -1;
	c->pos += len;
	return 0;
}

static int value(scan_t *c, int depth);

static int array(scan_t *c, int depth)
{
	c->pos++; /* '[' */
	scan_ws(c);
	if (c->pos < c->n && c->s[c->pos] == ']') {
		c->pos++;
		return 0;
	}
	for (;;) {
		if (value(c, depth + 1))
			return -1;
		scan_ws(c);
		if (c->pos >= c->n)
			return -1;
		if (c->s[c->pos] == ']') {
			c->pos++;
			return 0;
		}
		if (c->s[c->pos++] != ',')
			return -1;
	}
}

static int object(scan_t *c, int depth, scan_member_cb cb, void *arg)
{
	c->pos++; /* '{' */
	scan_ws(c);
	if (c->pos < c->n && c->s[c->pos] == '}') {
		c->pos++;
		return 0;
	}
	for (;;) {
		scan_ws(c);
		size_t k = c->pos;
		if (scan_string(c))
			return -1;
		size_t kend = c->pos;
		scan_ws(c);
		if (c->pos >= c->n || c->s[c->pos++] != ':')
			return -1;
		scan_ws(c);
		size_t v = c->pos;
		if (value(c, depth + 1))
			return -1;
		if (cb) {
			int rc = cb(arg, c->s + k + 1, kend - k - 2, c->s + v, c->pos - v);
			if (rc)
				return rc;
		}
		scan_ws(c);
		if (c->pos >= c->n)
			return -1;
		if (c->s[c->pos] == '}') {
			c->pos++;
			return 0;
		}
		if (c->s[c->pos++] != ',')
			return -1;
	}
}

static int value(scan_t *c, int depth)
{
	if (depth > STIX_SCAN_DEPTH)
		return -1;
	scan_ws(c);
	if (c->pos >= c->n)
		return -1;
	switch (c->s[c->pos]) {
	case '"': return scan_string(c);
	case '{': return object(c, depth, NULL, NULL);
	case '[': return array(c, depth);
	case 't': return literal(c, "true");
	case 'f': return literal(c, "false");
	case 'n': return literal(c, "null");
	default: return number(c);
	}
}

int scan_value(scan_t *c)
{
	return value(c, 0);
}

int scan_object(scan_t *c, scan_member_cb cb, void *arg)
{
	scan_ws(c);
	if (c->pos >= c->n || c->s[c->pos] != '{')
		return -1;
	return object(c, 0, cb, arg);
}
