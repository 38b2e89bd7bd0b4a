/* mail.h — e-mail messages in and out: a defensive MIME parser for what an
 * MTA hands the hub, and the formatter of the hub's own replies.
 *
 * What it owns: reading a message (RFC 5322 headers unfolded, RFC 2047
 * encoded words and RFC 2231 parameters with continuations and charsets
 * decoded, every text converted to UTF-8 with iconv, nested multipart and
 * message/rfc822, base64 / quoted-printable / uuencode, HTML-only bodies
 * reduced to text with libxml2's HTML parser, attachments with their file
 * names, multipart/report and the other marks of an automatic message) and
 * writing one (mail_format: headers encoded as RFC 2047 when not ASCII, the
 * body quoted-printable UTF-8) that mail_parse reads back to the same
 * fields.  It knows nothing of cases, the store or the network.
 *
 * Limits (MAIL_MAX_*) bound depth, parts and header size: a message beyond
 * them, like one whose structure cannot be read, is refused with
 * MAIL_EPARSE and a reason — the caller keeps it whole, never drops it. */
#ifndef C5_MAIL_H
#define C5_MAIL_H

#include <stddef.h>

#define MAIL_MAX_DEPTH   16        /* nested multiparts and messages    */
#define MAIL_MAX_PARTS   1000      /* leaf parts in one message          */
#define MAIL_MAX_HEADER  (256 << 10) /* bytes in one header block        */
#define MAIL_MAX_FIELDS  2000      /* header fields in one header block  */

#define MAIL_EPARSE (-2)           /* the message cannot be read         */

typedef struct mail mail_t;

/* One attachment: a leaf part that is not the body, or a uuencoded file
 * found in a text part, or an attached message (message/rfc822, kept as
 * its bytes; msg is that message parsed, or NULL when it could not be). */
typedef struct {
	char *name;           /* UTF-8 file name; never NULL (made up when absent) */
	char *type;           /* lower-case media type, "application/octet-stream" */
	unsigned char *data;  /* the decoded bytes */
	size_t len;
	mail_t *msg;          /* for message/rfc822 */
} mail_att_t;

struct mail {
	/* headers, decoded to UTF-8 ("" when absent, never NULL) */
	char *subject;
	char *from_name, *from_addr;  /* display name, address (lower-case domain) */
	char *to;                     /* the To field as text */
	char *message_id;             /* without the angle brackets */
	char *in_reply_to;            /* the first message id, without brackets */
	char *references;             /* the ids, space-separated, no brackets */
	char *auto_submitted;         /* lower-case field values */
	char *precedence;
	char *return_path;            /* "<>" for a null return path */
	char *date;
	char *language;                /* Content-Language (else Accept-Language),
					 * lower case, the first tag: "fr", "en-us" */
	/* content */
	char *body;                   /* UTF-8 text (HTML reduced), never NULL */
	int body_html;                /* the body came from HTML only */
	mail_att_t *att;
	size_t natt;
	int report;                   /* a multipart/report (bounce, receipt) */
	int no_headers;               /* the text had no header block at all */
	int auto_reply;               /* other automatic marks (X-Autoreply...) */
	size_t parts;                 /* leaf parts seen */
	/* private */
	size_t cap_att;
};

typedef struct {
	/* charset taken for text that says none and is not UTF-8 (NULL:
	 * guessed from the message's 8-bit bytes among windows-1252, KOI8-R
	 * and windows-1251) */
	const char *fallback_charset;
} mail_opts_t;

/* Parse raw[0..len) (opts may be NULL).  *out gets the message (free it
 * with mail_free).  0; MAIL_EPARSE with the reason in err (beyond a limit,
 * or no structure to read); -1 out of memory. */
int mail_parse(const char *raw, size_t len, const mail_opts_t *opts, mail_t **out, char *err,
	       size_t errlen);
void mail_free(mail_t *m);

/* Is m automatic, never to be answered?  NULL, or the reason: an
 * Auto-Submitted other than "no", a multipart/report, a Precedence of
 * bulk, junk or list, a null return path, an X-Autoreply / X-Autorespond
 * field, a MAILER-DAEMON or postmaster sender, or no sender at all. */
const char *mail_is_auto(const mail_t *m);

/* A message the hub writes.  Every field UTF-8; NULL or "" leaves a header
 * out (except from, to, subject).  references: ids separated by spaces,
 * without brackets, as message_id and in_reply_to. */
typedef struct {
	const char *from_name, *from_addr;
	const char *to_addr;
	const char *subject;
	const char *message_id, *in_reply_to, *references;
	const char *body;
	long long date;               /* seconds since 1970 */
} mail_out_t;

/* Format o as an RFC 5322 message (CRLF lines, MIME 1.0, text/plain UTF-8
 * quoted-printable, ending with a line break — one is added when the body
 * has none; Auto-Submitted: auto-replied when auto_reply).  *out
 * gets it, NUL-terminated (the caller frees), *len its length.  0, or -1
 * with err (a field carrying CR or LF, an address without '@'). */
int mail_format(const mail_out_t *o, int auto_reply, char **out, size_t *len, char *err,
		size_t errlen);

/* Decode RFC 2047 encoded words in s (a header's text) into UTF-8 (the
 * caller frees); other 8-bit text is taken as UTF-8, else as fallback
 * (NULL: windows-1252).  NULL only when out of memory. */
char *mail_decode_words(const char *s, size_t n, const char *fallback);

/* Convert n bytes of s in charset (NULL, "": UTF-8 if valid, else fallback)
 * to UTF-8; bytes that cannot be converted become U+FFFD.  The caller frees.
 * NULL only when out of memory. */
char *mail_to_utf8(const char *s, size_t n, const char *charset, const char *fallback);

/* The readable text of an HTML document (UTF-8 in, UTF-8 out): scripts and
 * styles dropped, blocks and <br> as line breaks, spaces collapsed.  The
 * caller frees; NULL only when out of memory. */
char *mail_html_text(const char *html, size_t n);

#endif
