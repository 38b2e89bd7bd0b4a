/* mail_text.c — the text layer of mail: charsets to UTF-8 (iconv, bad bytes
 * as U+FFFD), RFC 2047 encoded words, the transfer encodings (base64,
 * quoted-printable, uuencode) and HTML reduced to readable text. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include "core/libs_xml.h"
#include "core/util.h"
#include "mail_int.h"

/* ---- charsets ---- */

/* The iconv name for a charset label, or NULL for "no charset worth the
 * name" (ASCII, unknown-8bit: decided by the bytes). */
static const char *charset_name(const char *cs, char *buf, size_t size)
{
	size_t i = 0;
	while (*cs == '"' || *cs == '\'' || isspace((unsigned char)*cs))
		cs++;
	for (; cs[i] && cs[i] != '"' && cs[i] != '*' && !isspace((unsigned char)cs[i]) &&
	       i + 1 < size; i++)
		buf[i] = (char)tolower((unsigned char)cs[i]);
	buf[i] = '\0';
	if (!buf[0] || !strcmp(buf, "us-ascii") || !strcmp(buf, "ascii") ||
	    !strcmp(buf, "unknown-8bit") || !strcmp(buf, "x-unknown") || !strcmp(buf, "default") ||
	    !strcmp(buf, "us"))
		return NULL;
	if (!strcmp(buf, "utf8"))
		return "UTF-8";
	/* what mail programs mean by these labels (as browsers read them) */
	if (!strcmp(buf, "iso-8859-1") || !strcmp(buf, "latin1") || !strcmp(buf, "iso8859-1"))
		return "WINDOWS-1252";
	if (!strcmp(buf, "gb2312") || !strcmp(buf, "gbk") || !strcmp(buf, "x-gbk"))
		return "GB18030";
	if (!strcmp(buf, "ks_c_5601-1987") || !strcmp(buf, "euc-kr"))
		return "CP949";
	if (!strcmp(buf, "iso-8859-8-i"))
		return "ISO-8859-8";
	return buf;
}

static void put_fffd(util_buf_t *b)
{
	util_buf_add(b, "\xef\xbf\xbd", 3);
}

/* Convert with cd, bad input as U+FFFD. */
static void iconv_all(iconv_t cd, const char *s, size_t n, util_buf_t *b)
{
	char out[4096];
	char *in = (char *)s;
	size_t left = n;
	while (left > 0) {
		char *o = out;
		size_t room = sizeof out;
		size_t r = iconv(cd, &in, &left, &o, &room);
		util_buf_add(b, out, (size_t)(o - out));
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ or EINVAL (cut short): one byte replaced */
			put_fffd(b);
			in++;
			left--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	char *o = out;
	size_t room = sizeof out;
	iconv(cd, NULL, NULL, &o, &room);
	util_buf_add(b, out, (size_t)(o - out));
}

/* Append s as UTF-8 in place: NUL bytes and invalid sequences replaced. */
static void add_utf8_clean(util_buf_t *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && (unsigned char)s[j] < 0x80 && s[j])
			j++;
		util_buf_add(b, s + i, j - i);
		if (j >= n)
			break;
		if (!s[j]) {
			put_fffd(b);
			i = j + 1;
			continue;
		}
		unsigned char c = (unsigned char)s[j];
		size_t k = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (k > 1 && j + k <= n && util_utf8_valid(s + j, k)) {
			util_buf_add(b, s + j, k);
			i = j + k;
		} else {
			put_fffd(b);
			i = j + 1;
		}
	}
}

static void to_utf8_into(util_buf_t *b, const char *s, size_t n, const char *charset,
			 const char *fallback)
{
	char buf[64];
	const char *name = charset && *charset ? charset_name(charset, buf, sizeof buf) : NULL;
	if (name && !strcmp(name, "UTF-8")) {
		add_utf8_clean(b, s, n);
		return;
	}
	if (!name) {
		int ascii = 1;
		for (size_t i = 0; i < n && ascii; i++)
			ascii = (unsigned char)s[i] < 0x80;
		if (ascii || util_utf8_valid(s, n)) {
			add_utf8_clean(b, s, n);
			return;
		}
		name = fallback && *fallback ? fallback : "WINDOWS-1252";
	}
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1 && fallback && *fallback)
		cd = iconv_open("UTF-8", fallback);
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "WINDOWS-1252");
	if (cd == (iconv_t)-1) {
		add_utf8_clean(b, s, n);
		return;
	}
	util_buf_t tmp = {0};
	iconv_all(cd, s, n, &tmp);
	iconv_close(cd);
	/* iconv can write NUL (from a NUL byte): keep the text one string */
	add_utf8_clean(b, tmp.data ? tmp.data : "", tmp.len);
	free(tmp.data);
}

char *mail_to_utf8(const char *s, size_t n, const char *charset, const char *fallback)
{
	util_buf_t b = {0};
	util_buf_add(&b, "", 0);
	to_utf8_into(&b, s, n, charset, fallback);
	if (b.oom) {
		free(b.data);
		return NULL;
	}
	return b.data;
}

/* ---- transfer encodings ---- */

static int b64_val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Lenient: characters outside the alphabet are skipped, '=' ends a group. */
size_t mail_b64_decode(const char *s, size_t n, unsigned char *out)
{
	size_t o = 0;
	unsigned v = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=') {
			bits = 0;
			v = 0;
			continue;
		}
		int d = b64_val((unsigned char)s[i]);
		if (d < 0)
			continue;
		v = (v << 6) | (unsigned)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	return o;
}

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Quoted-printable (body: soft breaks; header: '_' is a space). */
size_t mail_qp_decode(const char *s, size_t n, unsigned char *out, int header)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '=') {
			if (i + 2 < n && hexv((unsigned char)s[i + 1]) >= 0 &&
			    hexv((unsigned char)s[i + 2]) >= 0) {
				out[o++] = (unsigned char)(hexv((unsigned char)s[i + 1]) * 16 +
							   hexv((unsigned char)s[i + 2]));
				i += 2;
				continue;
			}
			/* a soft line break: '=' then optional blanks then the line end */
			size_t j = i + 1;
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < n && s[j] == '\r')
				j++;
			if (j < n && s[j] == '\n') {
				i = j;
				continue;
			}
			if (j >= n) {
				i = n;
				continue;
			}
			out[o++] = c; /* a stray '=' is kept */
			continue;
		}
		if (header && c == '_') {
			out[o++] = ' ';
			continue;
		}
		out[o++] = c;
	}
	return o;
}

/* One line of uuencode into out; the bytes it gave. */
static size_t uu_line(const char *s, size_t n, unsigned char *out)
{
	if (n == 0)
		return 0;
	size_t want = (size_t)(((unsigned char)s[0] - 32) & 63), o = 0;
	for (size_t i = 1; i + 3 < n + 3 && o < want; i += 4) {
		unsigned char c[4];
		for (int k = 0; k < 4; k++)
			c[k] = i + (size_t)k < n ? (unsigned char)((s[i + k] - 32) & 63) : 0;
		unsigned char t[3] = {(unsigned char)(c[0] << 2 | c[1] >> 4),
				      (unsigned char)(c[1] << 4 | c[2] >> 2),
				      (unsigned char)(c[2] << 6 | c[3])};
		for (int k = 0; k < 3 && o < want; k++)
			out[o++] = t[k];
	}
	return o;
}

size_t mail_uu_decode(const char *s, size_t n, unsigned char *out)
{
	size_t o = 0, i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n, len = e - i;
		if (len && s[i + len - 1] == '\r')
			len--;
		if (len >= 5 && !strncmp(s + i, "begin", 5)) {
			/* the header line */
		} else if (len == 3 && !strncmp(s + i, "end", 3)) {
			break;
		} else {
			o += uu_line(s + i, len, out + o);
		}
		i = e + 1;
	}
	return o;
}

/* ---- RFC 2047 ---- */

/* Parse one encoded word at s (which starts "=?"): charset into cs, the
 * decoded bytes appended to raw; its length, or 0 when it is not one. */
static size_t encoded_word(const char *s, size_t n, char *cs, size_t cssize, util_buf_t *raw)
{
	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	const char *q1 = memchr(s + 2, '?', n - 2);
	if (!q1 || (size_t)(q1 - s) + 3 >= n || q1[2] != '?')
		return 0;
	char enc = (char)toupper((unsigned char)q1[1]);
	if (enc != 'B' && enc != 'Q')
		return 0;
	const char *text = q1 + 3, *end = NULL;
	for (const char *p = text; p + 1 < s + n; p++) {
		if (p[0] == '?' && p[1] == '=') {
			end = p;
			break;
		}
		if (p[0] == ' ' || p[0] == '\t' || p[0] == '\r' || p[0] == '\n')
			return 0;
	}
	if (!end)
		return 0;
	size_t cl = (size_t)(q1 - (s + 2));
	if (cl == 0 || cl >= cssize)
		return 0;
	memcpy(cs, s + 2, cl);
	cs[cl] = '\0';
	char *star = strchr(cs, '*'); /* RFC 2231 language */
	if (star)
		*star = '\0';
	size_t tl = (size_t)(end - text);
	unsigned char *tmp = malloc(tl + 1);
	if (!tmp)
		return 0;
	size_t got = enc == 'B' ? mail_b64_decode(text, tl, tmp) : mail_qp_decode(text, tl, tmp, 1);
	util_buf_add(raw, (const char *)tmp, got);
	free(tmp);
	return (size_t)(end + 2 - s);
}

char *mail_decode_words(const char *s, size_t n, const char *fallback)
{
	util_buf_t out = {0}, raw = {0};
	char cs[64] = "", cs2[64];
	util_buf_add(&out, "", 0);
	size_t i = 0, plain = 0;
	while (i < n) {
		size_t w = s[i] == '=' && i + 1 < n && s[i + 1] == '?' ? 0 : 1;
		if (!w) {
			raw.len = 0;
			size_t used = encoded_word(s + i, n - i, cs, sizeof cs, &raw);
			if (used) {
				to_utf8_into(&out, s + plain, i - plain, NULL, fallback);
				size_t j = i + used;
				/* adjacent words: the blanks between go, and bytes
				 * of one charset are converted together */
				for (;;) {
					size_t k = j;
					while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n'))
						k++;
					size_t before = raw.len;
					util_buf_t probe = {0};
					size_t u = k < n ? encoded_word(s + k, n - k, cs2, sizeof cs2, &probe) : 0;
					if (!u) {
						free(probe.data);
						break;
					}
					if (strcasecmp(cs, cs2)) {
						to_utf8_into(&out, raw.data ? raw.data : "", raw.len, cs, fallback);
						raw.len = 0;
						memcpy(cs, cs2, sizeof cs);
						before = 0;
					}
					(void)before;
					util_buf_add(&raw, probe.data ? probe.data : "", probe.len);
					free(probe.data);
					j = k + u;
				}
				to_utf8_into(&out, raw.data ? raw.data : "", raw.len, cs, fallback);
				i = plain = j;
				continue;
			}
		}
		i++;
	}
	to_utf8_into(&out, s + plain, n - plain, NULL, fallback);
	free(raw.data);
	if (out.oom) {
		free(out.data);
		return NULL;
	}
	return out.data;
}

/* ---- HTML to text ---- */

typedef struct {
	util_buf_t b;
	int space;
} text_t;

static void t_newline(text_t *t, int force)
{
	while (t->b.len && t->b.data[t->b.len - 1] == ' ')
		t->b.data[--t->b.len] = '\0';
	if (force || (t->b.len && t->b.data[t->b.len - 1] != '\n'))
		util_buf_add(&t->b, "\n", 1);
	t->space = 0;
}

static void t_text(text_t *t, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int ws = isspace(*p) ? 1 : (p[0] == 0xc2 && p[1] == 0xa0) ? 2 : 0;
		if (ws) {
			t->space = 1;
			p += ws;
			continue;
		}
		if (t->space && t->b.len && t->b.data[t->b.len - 1] != '\n')
			util_buf_add(&t->b, " ", 1);
		t->space = 0;
		util_buf_add(&t->b, (const char *)p, 1);
		p++;
	}
}

static int is_block(const char *n)
{
	static const char *const blocks[] = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5",
					     "h6", "table", "ul", "ol", "blockquote", "pre", "hr",
					     "dt", "dd", "address", "section", "article", NULL};
	for (int i = 0; blocks[i]; i++)
		if (!strcasecmp(n, blocks[i]))
			return 1;
	return 0;
}

static void html_walk(text_t *t, xmlNodePtr n, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				t_text(t, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || !n->name)
			continue;
		const char *name = (const char *)n->name;
		if (!strcasecmp(name, "script") || !strcasecmp(name, "style") ||
		    !strcasecmp(name, "head") || !strcasecmp(name, "title"))
			continue;
		if (!strcasecmp(name, "br")) {
			t_newline(t, 1);
			continue;
		}
		int block = is_block(name);
		if (block)
			t_newline(t, 0);
		if (depth < 200)
			html_walk(t, n->children, depth + 1);
		if (block)
			t_newline(t, 0);
		else if (!strcasecmp(name, "td") || !strcasecmp(name, "th"))
			t->space = 1;
	}
}

char *mail_html_text(const char *html, size_t n)
{
	text_t t = {{0}, 0};
	util_buf_add(&t.b, "", 0);
	if (n > 0 && n < (size_t)1 << 30) {
		xmlDocPtr d = htmlReadMemory(html, (int)n, NULL, "UTF-8",
					     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
					     HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		if (d) {
			html_walk(&t, d->children, 0);
			xmlFreeDoc(d);
		}
	}
	t_newline(&t, 0);
	/* no blank lines at the start */
	size_t lead = 0;
	while (lead < t.b.len && t.b.data[lead] == '\n')
		lead++;
	if (lead && t.b.data)
		memmove(t.b.data, t.b.data + lead, t.b.len - lead + 1), t.b.len -= lead;
	if (t.b.oom) {
		free(t.b.data);
		return NULL;
	}
	return t.b.data;
}
