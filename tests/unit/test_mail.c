/* test_mail.c — the MIME parser on the real messages that broke a ticket
 * system's gateway (../shared/testdata/mail: subject, sender, a body
 * snippet, every attachment's name, size and SHA-256 — the sums from a
 * second implementation, Python's email package), its limits and hostile
 * shapes, the marks of automatic mail, and the formatter read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/crypto.h>

#include "core/util.h"
#include "mail/mail.h"

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/mail/%s", TESTDATA, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

static void sha256_hex(const unsigned char *d, size_t n, char out[65])
{
	unsigned char h[32];
	assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, d, n, h), 0);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

typedef struct {
	const char *name, *type;
	size_t len;
	const char *sha256;     /* NULL: not checked */
	const char *subject;    /* of an attached message, or NULL */
} att_t;

typedef struct {
	const char *file;
	const char *subject, *from, *snippet;
	const char *is_auto;    /* a word of mail_is_auto's reason, or NULL */
	size_t natt;
	att_t att[8];
} case_t;

static const case_t cases[] = {
	{"8859-15-message-series/msg1", "test äöüßÄÖÜß€", "pape@inf.fu-berlin.de",
	 "test äöüßÄÖÜß€", NULL, 0, {{0}}},
	{"8859-15-message-series/msg7", "test äöüßÄÖÜß€", "pape@inf.fu-berlin.de",
	 "nochmal in anderer Queue", NULL, 0, {{0}}},
	{"8859-15-message-series/dir", "Re: [rt-users] [rt-announce] Development Snapshot 3.0.2++",
	 "pape-rt@inf.fu-berlin.de", "here is the digest I forgot to attach", "Precedence", 7,
	 {{"test _________", "message/rfc822", 1731, NULL, "test äöüßÄÖÜß€"}}},
	{"crashes-file-based-parser", "Fwd: scanning my ports", "drstas@d.example.com",
	 "This transaction appears to have no content", NULL, 1,
	 {{"BackGrnd.jpg", "image/jpeg", 1431,
	   "2b074d02c4cfd09ac20fe1f6d4c5d00433b20e5265ea4d08a09b8484d7105923", NULL}}},
	{"email-file-attachment.eml", "This is a test", "user1@example.com",
	 "This is a test with an email file attachment.", NULL, 1,
	 {{"test-email.eml", "message/rfc822", 1047, NULL, "This is a test"}}},
	{"email-file-attachment-2.eml", "This is another test", "user1@example.com",
	 "with a multipart email file attachment", NULL, 1,
	 {{"test-email-2.eml", "message/rfc822", 683, NULL, ""}}},
	{"lorem-ipsum", "", "", "Lorem ipsum dolor sit amet", "sender", 0, {{0}}},
	{"multipart-alternative-with-umlaut", "RE: [rt-users] HTML-encoded mails with umlaute",
	 "gst@example.com", "Mit freundlichen Grüßen", NULL, 0, {{0}}},
	{"multipart-report", "Returned mail: User unknown", "MAILER-DAEMON@other.example.com",
	 "permanent delivery errors", "Auto-Submitted", 2,
	 {{"part-1.txt", "message/delivery-status", 348, NULL, NULL},
	  {"Thank you!.eml", "message/rfc822", 898, NULL, "Thank you!"}}},
	{"nested-mime-sample", "Example MIME within MIME within MIME message",
	 "Xxxxxx_Yyyyyyy@some.net", "MIME is fun at times.", NULL, 2,
	 {{"first outer message.eml", "message/rfc822", 5002, NULL, "first outer message"},
	  {"2nd outer message.eml", "message/rfc822", 5003, NULL, "2nd outer message"}}},
	{"nested-rfc-822", "[Jonas Liljegren] Re: [Para] Nivåer?", "jonas@example.com",
	 "Material för att uppdatera texten om nivåer.", NULL, 1,
	 {{"Re_ [Para] Nivåer_.eml", "message/rfc822", 7789, NULL, "Re: [Para] Nivåer?"}}},
	{"new-ticket-from-gb18030", "测试", "root@localhost", "测试", NULL, 0, {{0}}},
	{"new-ticket-from-iso-8859-1", "Re: rt-3.0.3pre1", "hw@nordkapp.net", "Håvard", NULL, 0,
	 {{0}}},
	{"new-ticket-from-iso-8859-1-full", "Re: rt-3.0.3pre1", "hw@nordkapp.net",
	 "it is letters like: ø æ å", NULL, 0, {{0}}},
	{"notes-uuencoded", "Test e-mail which exhibits problems with RT", "mhenrion@example.com",
	 "(See attached file: Naz_Head.jpg)", NULL, 1,
	 {{"Naz_Head.jpg", "application/octet-stream", 104846,
	   "90c705683c1f17d642a74367738f8c10f2884b2180c3316f9a5359134391af8d", NULL}}},
	{"outlook-rfc822", "msg attachment", "root@localhost",
	 "Could this look more spammy? “Check out the attached file.” 😊", NULL, 1,
	 {{"Updates to our terms of use.eml", "message/rfc822", 2275, NULL,
	   "Updates to our terms of use"}}},
	{"rfc2231-attachment-filename-continuations", "Client ? Japanese Attachment Name issue",
	 "root@localhost", "Some data in a file", NULL, 1,
	 {{"新しいテキスト ドキュメント.txt", "text/plain", 141,
	   "a77aa56f3f831d3821f379aef78bbaaeb3462ea86d0d4d5649bf701f7122601a", NULL}}},
	{"rt-send-cc", "testing send-cc headers", "rt@example.com", "", NULL, 0, {{0}}},
	{"russian-subject-no-content-type", "тест тест", "mitya@fling-wing.example.com", "ТЕСТ",
	 NULL, 0, {{0}}},
	{"subject-with-folding-ws", "test", "foo@example.com", "test", NULL, 0, {{0}}},
	{"text-html-with-umlaut",
	 "An example of mail containing text-html with an umlaut in the content", "gst@example.com",
	 "Mit freundlichen Grüßen\nGregor Stever ^^causes Error!!", NULL, 0, {{0}}},
	{"very-long-subject",
	 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
	 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
	 "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
	 "foo@example.com", "This email has a very long subject.", NULL, 0, {{0}}},
};

static void test_testdata(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const case_t *c = &cases[i];
		size_t len;
		char *raw = slurp(c->file, &len), err[200] = "";
		mail_t *m = NULL;
		print_message("%s\n", c->file);
		assert_int_equal(mail_parse(raw, len, NULL, &m, err, sizeof err), 0);
		assert_string_equal(m->subject, c->subject);
		assert_string_equal(m->from_addr, c->from);
		assert_non_null(strstr(m->body, c->snippet));
		assert_true(util_utf8_valid(m->body, strlen(m->body)) || !m->body[0]);
		const char *a = mail_is_auto(m);
		if (c->is_auto)
			assert_non_null(a && strstr(a, c->is_auto) ? a : NULL);
		else
			assert_null(a);
		assert_int_equal(m->natt, c->natt);
		for (size_t k = 0; k < c->natt && k < 8; k++) {
			const att_t *e = &c->att[k];
			if (!e->name)
				break;
			assert_string_equal(m->att[k].name, e->name);
			assert_string_equal(m->att[k].type, e->type);
			assert_int_equal(m->att[k].len, e->len);
			if (e->sha256) {
				char h[65];
				sha256_hex(m->att[k].data, m->att[k].len, h);
				assert_string_equal(h, e->sha256);
			}
			if (e->subject) {
				assert_non_null(m->att[k].msg);
				assert_string_equal(m->att[k].msg->subject, e->subject);
			}
		}
		mail_free(m);
		free(raw);
	}
}

/* Threading fields, a display name in RFC 2047, the HTML-only flag. */
static void test_fields(void **state)
{
	(void)state;
	size_t len;
	char *raw = slurp("new-ticket-from-iso-8859-1", &len), err[200];
	mail_t *m;
	assert_int_equal(mail_parse(raw, len, NULL, &m, err, sizeof err), 0);
	assert_string_equal(m->from_name, "Wilhelmsen Håvard");
	assert_string_equal(m->message_id, "5.2.1.1.0.20030602205708.0314c5f8@mail.nordkapp.net");
	assert_string_equal(m->in_reply_to, "20030602185607.GN10811@fsck.com");
	assert_non_null(strstr(m->references, "5.2.1.1.0.20030602204834.031406d8@mail.nordkapp.net "
					      "5.2.1.1.0.20030530194214.0371c988@mail.nordkapp.net"));
	mail_free(m);
	free(raw);
	raw = slurp("text-html-with-umlaut", &len);
	assert_int_equal(mail_parse(raw, len, NULL, &m, err, sizeof err), 0);
	assert_int_equal(m->body_html, 1);
	assert_null(strstr(m->body, "<")); /* no markup left */
	assert_null(strstr(m->body, "MSHTML"));
	mail_free(m);
	free(raw);
	raw = slurp("multipart-report", &len);
	assert_int_equal(mail_parse(raw, len, NULL, &m, err, sizeof err), 0);
	assert_int_equal(m->report, 1);
	mail_free(m);
	free(raw);
}

static int parse_str(const char *s, mail_t **m, char *err, size_t errlen)
{
	return mail_parse(s, strlen(s), NULL, m, err, errlen);
}

static void test_words(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} w[] = {
		{"=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=", "ab"},          /* blanks between words go */
		{"=?ISO-8859-1?Q?a?= b", "a b"},
		{"=?utf-8?B?w6k=?=", "é"},
		{"=?UTF-8*fr?Q?caf=C3=A9?=", "café"},                    /* RFC 2231 language */
		{"=?utf-8?B?4oKs?= x =?bogus?Q?=41?=", "€ x A"},          /* unknown charset: bytes kept */
		{"=?utf-8?X?abc?=", "=?utf-8?X?abc?="},                   /* not a word */
		{"=?utf-8?Q?open", "=?utf-8?Q?open"},
		{"plain \xe9t\xe9", "plain été"},                         /* raw Latin-1 */
		{"=?utf-8?B?8J+Y?= =?utf-8?B?ig==?=", "😊"},               /* a character split in two words */
		{"=?utf-8?B?/w==?=", "\xef\xbf\xbd"},                     /* bad UTF-8: U+FFFD */
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
		char *s = mail_decode_words(w[i].in, strlen(w[i].in), NULL);
		assert_non_null(s);
		assert_string_equal(s, w[i].out);
		free(s);
	}
}

/* Hostile shapes: each is refused or read, never a crash or a loop. */
static void test_limits(void **state)
{
	(void)state;
	char err[200];
	mail_t *m = NULL;
	util_buf_t b = {0};
	/* nested multiparts past the depth limit */
	util_buf_add(&b, "From: a@b.c\r\n", 13);
	for (int i = 0; i < MAIL_MAX_DEPTH + 4; i++)
		util_buf_printf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i);
	util_buf_add(&b, "\r\nx\r\n", 5);
	assert_int_equal(parse_str(b.data, &m, err, sizeof err), MAIL_EPARSE);
	assert_non_null(strstr(err, "deep"));
	free(b.data);
	/* nested messages past the depth limit */
	memset(&b, 0, sizeof b);
	for (int i = 0; i < MAIL_MAX_DEPTH + 4; i++)
		util_buf_add(&b, "Content-Type: message/rfc822\r\n\r\n", 32);
	util_buf_add(&b, "\r\nx\r\n", 5);
	/* read down to the limit; the message there is kept as its bytes */
	assert_int_equal(parse_str(b.data, &m, err, sizeof err), 0);
	int levels = 0;
	for (mail_t *p = m; p && p->natt; p = p->att[0].msg)
		levels++;
	assert_true(levels > 2 && levels <= MAIL_MAX_DEPTH + 1);
	mail_free(m);
	free(b.data);
	/* too many parts */
	memset(&b, 0, sizeof b);
	util_buf_add(&b, "Content-Type: multipart/mixed; boundary=z\r\n\r\n", 45);
	for (int i = 0; i < MAIL_MAX_PARTS + 5; i++)
		util_buf_add(&b, "--z\r\n\r\nx\r\n", 10);
	assert_int_equal(parse_str(b.data, &m, err, sizeof err), MAIL_EPARSE);
	assert_non_null(strstr(err, "parts"));
	free(b.data);
	/* a header block past its limit */
	memset(&b, 0, sizeof b);
	for (int i = 0; i < 20000; i++)
		util_buf_add(&b, "X-Filler: 0123456789012345678901234567890123456789\r\n", 52);
	util_buf_add(&b, "\r\nbody\r\n", 8);
	assert_int_equal(parse_str(b.data, &m, err, sizeof err), MAIL_EPARSE);
	free(b.data);
	/* read, not refused: no closing boundary, cut base64, a boundary
	 * never used, a multipart without a boundary, NUL bytes */
	const char *ok[] = {
		"Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\nopen part",
		"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29y=\r\n",
		"Content-Type: multipart/mixed; boundary=never\r\n\r\nno parts here\r\n",
		"Content-Type: multipart/mixed\r\n\r\nno boundary\r\n",
		"Content-Type: text/plain; charset=\"\r\n\r\nx",
		"Content-Disposition: attachment; filename*0*=bogus'%ZZ; filename*1=x\r\n\r\ny",
		"Subject: =?=?=?\r\n\r\n",
		"",
		"\r\n",
		"From:\r\n",
		"begin 644 x\r\n",
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		int r = parse_str(ok[i], &m, err, sizeof err);
		if (r)
			print_message("%zu: %s\n", i, err);
		assert_int_equal(r, 0);
		assert_non_null(m->body);
		mail_free(m);
	}
	const char nul[] = "Subject: a\0b\r\n\r\nbody\0with nul\r\n";
	assert_int_equal(mail_parse(nul, sizeof nul - 1, NULL, &m, err, sizeof err), 0);
	assert_true(util_utf8_valid(m->body, strlen(m->body)));
	mail_free(m);
}

static void test_auto(void **state)
{
	(void)state;
	const struct {
		const char *msg;
		int is_auto;
	} a[] = {
		{"From: a@b.c\r\nAuto-Submitted: auto-replied\r\n\r\nx", 1},
		{"From: a@b.c\r\nAuto-Submitted: no\r\n\r\nx", 0},
		{"From: a@b.c\r\nPrecedence: junk\r\n\r\nx", 1},
		{"From: a@b.c\r\nPrecedence: first-class\r\n\r\nx", 0},
		{"From: a@b.c\r\nReturn-Path: <>\r\n\r\nx", 1},
		{"From: a@b.c\r\nX-Autoreply: yes\r\n\r\nx", 1},
		{"From: a@b.c\r\nX-Auto-Response-Suppress: OOF\r\n\r\nx", 1},
		{"From: a@b.c\r\nX-Auto-Response-Suppress: DR\r\n\r\nx", 0},
		{"From: postmaster@b.c\r\n\r\nx", 1},
		{"Subject: none\r\n\r\nx", 1},
		{"From: Alice <alice@B.Example>\r\n\r\nx", 0},
	};
	for (size_t i = 0; i < sizeof a / sizeof *a; i++) {
		mail_t *m;
		char err[200];
		assert_int_equal(parse_str(a[i].msg, &m, err, sizeof err), 0);
		assert_int_equal(mail_is_auto(m) != NULL, a[i].is_auto);
		mail_free(m);
	}
}

/* What mail_format writes, mail_parse reads back to the same fields. */
static void test_roundtrip(void **state)
{
	(void)state;
	const char *subjects[] = {
		"[CIRT-2026-00042] [TLP:AMBER] Acknowledgement",
		"[CIRT-2026-00042] [TLP:GREEN] Accusé de réception — votre signalement",
		"=?utf-8?B?QQ==?= looks encoded",
		"  padded  ",
		"tab\there",
		"测试 a very long subject that must be folded over several lines because it is long "
		"测试 测试 测试 测试 测试 测试 测试 测试 测试 测试 测试 😊 end",
		"",
	};
	const char *bodies[] = {
		"Hello,\n\nyour report was received.\n",
		"Ligne =3D avec des signes = et des accents: é à ç\n  trailing space \n",
		"no final newline",
		"a long line 0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789 end\n",
		"",
	};
	for (size_t i = 0; i < sizeof subjects / sizeof *subjects; i++) {
		for (size_t j = 0; j < sizeof bodies / sizeof *bodies; j++) {
			mail_out_t o = {.from_name = i % 2 ? "CIRT équipe" : "GH CIRT",
					.from_addr = "cirt@hub.example",
					.to_addr = "reporter@bank.example",
					.subject = subjects[i],
					.message_id = "c5hub-case-42-3@hub.example",
					.in_reply_to = "orig-1@bank.example",
					.references = "orig-0@bank.example orig-1@bank.example",
					.body = bodies[j],
					.date = 1796000000};
			char *msg, err[200];
			size_t len;
			assert_int_equal(mail_format(&o, 1, &msg, &len, err, sizeof err), 0);
			/* every line within 998 characters, CRLF ends */
			for (const char *p = msg; (p = strchr(p, '\n')); p++)
				assert_int_equal(p[-1], '\r');
			mail_t *m;
			assert_int_equal(mail_parse(msg, len, NULL, &m, err, sizeof err), 0);
			char want[512];
			snprintf(want, sizeof want, "%s", subjects[i]);
			assert_string_equal(m->subject, want);
			assert_string_equal(m->from_name, o.from_name);
			assert_string_equal(m->from_addr, o.from_addr);
			assert_string_equal(m->message_id, o.message_id);
			assert_string_equal(m->in_reply_to, o.in_reply_to);
			assert_string_equal(m->references, o.references);
			assert_string_equal(m->auto_submitted, "auto-replied");
			assert_non_null(mail_is_auto(m));
			size_t bl = strlen(bodies[j]);
			if (bl && bodies[j][bl - 1] != '\n') {
				assert_int_equal(strlen(m->body), bl + 1);
				assert_memory_equal(m->body, bodies[j], bl);
			} else {
				assert_string_equal(m->body, bodies[j]);
			}
			mail_free(m);
			free(msg);
		}
	}
	mail_out_t bad = {.from_addr = "a@b", .to_addr = "c@d", .subject = "x\r\nBcc: e@f"};
	char *msg, err[200];
	size_t len;
	assert_int_equal(mail_format(&bad, 0, &msg, &len, err, sizeof err), -1);
	bad.subject = "ok";
	bad.to_addr = "not-an-address";
	assert_int_equal(mail_format(&bad, 0, &msg, &len, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_testdata), cmocka_unit_test(test_fields),
		cmocka_unit_test(test_words),    cmocka_unit_test(test_limits),
		cmocka_unit_test(test_auto),     cmocka_unit_test(test_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
