/* mail_out.c — the hub's own messages: RFC 5322 headers (RFC 2047 words
 * for text that is not plain ASCII), a UTF-8 text body in quoted-printable,
 * CRLF lines.  What it writes, mail_parse reads back to the same fields. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "mail_int.h"

static int bad_field(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

static int plain_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max || strstr(s, "=?") || (n && (s[0] == ' ' || s[n - 1] == ' ')))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 32 || (unsigned char)s[i] > 126)
			return 0;
	return 1;
}

/* s as RFC 2047 B words of at most 75 characters, never splitting a UTF-8
 * character, folded onto continuation lines. */
static void words(util_buf_t *b, const char *s)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), i = 0;
	int first = 1;
	while (i < n) {
		/* 45 bytes give 60 characters: "=?UTF-8?B?" + 60 + "?=" = 72 */
		size_t take = n - i < 45 ? n - i : 45;
		while (take < n - i && take > 1 && ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		if (!first)
			util_buf_add(b, "\r\n ", 3);
		first = 0;
		util_buf_add(b, "=?UTF-8?B?", 10);
		for (size_t k = 0; k < take; k += 3) {
			unsigned v = (unsigned)(unsigned char)s[i + k] << 16;
			if (k + 1 < take)
				v |= (unsigned)(unsigned char)s[i + k + 1] << 8;
			if (k + 2 < take)
				v |= (unsigned char)s[i + k + 2];
			char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63],
				     k + 1 < take ? tab[v >> 6 & 63] : '=', k + 2 < take ? tab[v & 63] : '='};
			util_buf_add(b, q, 4);
		}
		util_buf_add(b, "?=", 2);
		i += take;
	}
}

static void text_header(util_buf_t *b, const char *name, const char *v)
{
	util_buf_printf(b, "%s: ", name);
	if (plain_ok(v, 900))
		util_buf_add(b, v, strlen(v));
	else
		words(b, v);
	util_buf_add(b, "\r\n", 2);
}

/* The body as quoted-printable, lines of at most 76 characters. */
static void qp(util_buf_t *b, const char *s)
{
	size_t col = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
			if (*p == '\r')
				p++;
			util_buf_add(b, "\r\n", 2);
			col = 0;
			continue;
		}
		char enc[4];
		size_t w;
		int eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !eol)) {
			enc[0] = (char)*p;
			w = 1;
		} else {
			snprintf(enc, sizeof enc, "=%02X", *p);
			w = 3;
		}
		if (col + w > 75) {
			util_buf_add(b, "=\r\n", 3);
			col = 0;
		}
		util_buf_add(b, enc, w);
		col += w;
	}
	if (b->len >= 2 && memcmp(b->data + b->len - 2, "\r\n", 2))
		util_buf_add(b, "\r\n", 2);
}

int mail_format(const mail_out_t *o, int auto_reply, char **out, size_t *len, char *err,
		size_t errlen)
{
	const char *fields[] = {o->from_name, o->from_addr, o->to_addr, o->subject,
				o->message_id, o->in_reply_to, o->references};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (bad_field(fields[i])) {
			snprintf(err, errlen, "a header field carries a line break");
			return -1;
		}
	if (!o->from_addr || !strchr(o->from_addr, '@') || !o->to_addr || !strchr(o->to_addr, '@') ||
	    strpbrk(o->from_addr, "<>\" ") || strpbrk(o->to_addr, "<>\" ")) {
		snprintf(err, errlen, "from and to must be addresses (local@domain)");
		return -1;
	}
	if (o->body && !util_utf8_valid(o->body, strlen(o->body)) && o->body[0]) {
		snprintf(err, errlen, "the body is not UTF-8");
		return -1;
	}
	util_buf_t b = {0};
	util_buf_add(&b, "", 0);
	char date[64];
	time_t t = (time_t)o->date;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	util_buf_printf(&b, "Date: %s\r\n", date);
	if (o->from_name && o->from_name[0]) {
		if (plain_ok(o->from_name, 200) && !strpbrk(o->from_name, "\"\\()<>[]:;@,.")) {
			util_buf_printf(&b, "From: \"%s\" <%s>\r\n", o->from_name, o->from_addr);
		} else {
			util_buf_add(&b, "From: ", 6);
			words(&b, o->from_name);
			util_buf_printf(&b, " <%s>\r\n", o->from_addr);
		}
	} else {
		util_buf_printf(&b, "From: <%s>\r\n", o->from_addr);
	}
	util_buf_printf(&b, "To: <%s>\r\n", o->to_addr);
	text_header(&b, "Subject", o->subject ? o->subject : "");
	if (o->message_id && o->message_id[0])
		util_buf_printf(&b, "Message-ID: <%s>\r\n", o->message_id);
	if (o->in_reply_to && o->in_reply_to[0])
		util_buf_printf(&b, "In-Reply-To: <%s>\r\n", o->in_reply_to);
	if (o->references && o->references[0]) {
		util_buf_add(&b, "References:", 11);
		const char *p = o->references;
		while (*p) {
			while (*p == ' ')
				p++;
			size_t k = strcspn(p, " ");
			if (!k)
				break;
			util_buf_add(&b, " <", 2);
			util_buf_add(&b, p, k);
			util_buf_add(&b, ">\r\n", 3);
			p += k; /* every id on its own folded line */
		}
	}
	if (auto_reply)
		util_buf_add(&b, "Auto-Submitted: auto-replied\r\n", 30);
	util_buf_add(&b, "MIME-Version: 1.0\r\n", 19);
	util_buf_add(&b, "Content-Type: text/plain; charset=utf-8\r\n", 41);
	util_buf_add(&b, "Content-Transfer-Encoding: quoted-printable\r\n\r\n", 47);
	qp(&b, o->body ? o->body : "");
	if (b.oom) {
		free(b.data);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	*out = b.data;
	*len = b.len;
	return 0;
}
