/* fuzz_mail.c — libFuzzer target: the MIME parser (mail_parse) and the
 * formatter (mail_format).  Properties: any input is read or refused with
 * MAIL_EPARSE and a reason, never a crash; what is read is UTF-8 with no
 * line break in a header field; and a message formatted from any fields
 * (subject, display name, body: the input cut at NUL bytes) parses back to
 * the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "mail/mail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const mail_t *m)
{
	const char *f[] = {m->subject, m->from_name, m->from_addr, m->to, m->message_id,
			   m->in_reply_to, m->references, m->body};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		if (!f[i] || (f[i][0] && !util_utf8_valid(f[i], strlen(f[i]))))
			abort();
		if (i < 4 && strpbrk(f[i], "\r\n"))
			abort(); /* a header field never carries a line break */
	}
	for (size_t i = 0; i < m->natt; i++) {
		if (!m->att[i].name || !m->att[i].type || (m->att[i].len && !m->att[i].data))
			abort();
		if (m->att[i].msg)
			check_msg(m->att[i].msg);
	}
}

/* The next field of the input: up to a NUL byte. */
static char *next(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
	size_t n = z ? (size_t)(z - *p) : (size_t)(end - *p);
	char *s = strndup((const char *)*p, n);
	*p += n + (z ? 1 : 0);
	return s;
}

static int usable(const char *s)
{
	return s && util_utf8_valid(s, strlen(s)) && !strpbrk(s, "\r\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	char err[200];
	mail_t *m = NULL;
	if ((data[0] & 1) == 0 || size < 2) {
		int rc = mail_parse((const char *)data + 1, size - 1, NULL, &m, err, sizeof err);
		if (rc == 0)
			check_msg(m);
		else if (rc != MAIL_EPARSE && rc != -1)
			abort();
		else if (!err[0])
			abort(); /* a refusal says why */
		mail_free(m);
		return 0;
	}
	const uint8_t *p = data + 1, *end = data + size;
	char *subject = next(&p, end), *name = next(&p, end), *body = next(&p, end);
	if (usable(subject) && usable(name) && body &&
	    (!body[0] || util_utf8_valid(body, strlen(body)))) {
		/* the formatter writes line ends as CRLF: a lone CR is not text */
		int lone_cr = 0;
		for (const char *q = body; *q; q++)
			if (*q == '\r' && q[1] != '\n')
				lone_cr = 1;
		/* text that reads as a uuencoded file is taken as one: not text */
		if (!strncmp(body, "begin ", 6) || strstr(body, "\nbegin "))
			lone_cr = 1;
		mail_out_t o = {.from_name = name, .from_addr = "cirt@hub.example",
				.to_addr = "someone@example.org", .subject = subject,
				.message_id = "m1@hub.example", .in_reply_to = "r1@example.org",
				.references = "r0@example.org r1@example.org", .body = body};
		char *msg;
		size_t len;
		if (!lone_cr && mail_format(&o, 1, &msg, &len, err, sizeof err) == 0) {
			if (mail_parse(msg, len, NULL, &m, err, sizeof err))
				abort();
			/* the body as sent: CRLF read as LF, a final line break */
			util_buf_t want = {0};
			util_buf_add(&want, "", 0);
			for (const char *q = body; *q; q++)
				if (!(*q == '\r' && q[1] == '\n'))
					util_buf_add(&want, q, 1);
			if (want.len && want.data[want.len - 1] != '\n')
				util_buf_add(&want, "\n", 1);
			/* a display name that is only blanks and quotes is none */
			const char *nm = name;
			while (*nm == ' ' || *nm == '\t' || *nm == '"')
				nm++;
			if (strcmp(m->subject, subject) || strcmp(m->body, want.data) ||
			    strcmp(m->from_addr, o.from_addr) || strcmp(m->message_id, o.message_id) ||
			    strcmp(m->in_reply_to, o.in_reply_to) ||
			    strcmp(m->references, o.references) || !mail_is_auto(m) ||
			    (*nm && !strchr(name, '"') && name[strlen(name) - 1] != ' ' &&
			     name[strlen(name) - 1] != '\t' && *name != ' ' && *name != '\t' &&
			     strcmp(m->from_name, name)))
				abort();
			free(want.data);
			mail_free(m);
			free(msg);
		}
	}
	free(subject);
	free(name);
	free(body);
	return 0;
}
