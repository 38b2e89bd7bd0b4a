/* mail.c — the MIME parser: header blocks, parameters (RFC 2231), the tree
 * of parts (multipart, message/rfc822) walked under limits, the body and
 * the attachments of a message; and the marks of an automatic message. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "mail_int.h"

/* ---- header blocks ---- */

typedef struct {
	char *name;   /* lower case */
	char *value;  /* unfolded, raw bytes */
} field_t;

typedef struct {
	field_t *f;
	size_t n, cap;
} fields_t;

static void fields_free(fields_t *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->f[i].name);
		free(h->f[i].value);
	}
	free(h->f);
	h->f = NULL;
	h->n = h->cap = 0;
}

static const char *field(const fields_t *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->f[i].name, name))
			return h->f[i].value;
	return NULL;
}

static int is_field_name(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 32 || (unsigned char)s[i] >= 127)
			return 0;
	return 1;
}

/* Read the header block at s[0..n): *body gets the offset of the body.  A
 * line that is neither a field nor a continuation ends the block (the body
 * starts there); one at the very start means there is no block.  0, -1 out
 * of memory, MAIL_EPARSE beyond a limit. */
static int read_fields(const char *s, size_t n, fields_t *h, size_t *body, char *err,
		       size_t errlen)
{
	size_t i = 0;
	/* an mbox "From " line */
	if (n > 5 && !memcmp(s, "From ", 5)) {
		const char *nl = memchr(s, '\n', n);
		i = nl ? (size_t)(nl - s) + 1 : n;
	}
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n, len = e - i;
		size_t next = nl ? e + 1 : n;
		if (len && s[i + len - 1] == '\r')
			len--;
		if (len == 0) {
			*body = next;
			return 0;
		}
		if (i > MAIL_MAX_HEADER) {
			snprintf(err, errlen, "header block over %d bytes", MAIL_MAX_HEADER);
			return MAIL_EPARSE;
		}
		if ((s[i] == ' ' || s[i] == '\t') && h->n) {
			field_t *f = &h->f[h->n - 1];
			size_t old = strlen(f->value);
			char *v = realloc(f->value, old + len + 1);
			if (!v)
				return -1;
			memcpy(v + old, s + i, len);
			v[old + len] = '\0';
			f->value = v;
			i = next;
			continue;
		}
		const char *colon = memchr(s + i, ':', len);
		size_t nl_ = colon ? (size_t)(colon - (s + i)) : 0;
		while (nl_ && (s[i + nl_ - 1] == ' ' || s[i + nl_ - 1] == '\t'))
			nl_--;
		if (!colon || !is_field_name(s + i, nl_)) {
			*body = i; /* the body starts here, without a blank line */
			return 0;
		}
		if (h->n >= MAIL_MAX_FIELDS) {
			snprintf(err, errlen, "over %d header fields", MAIL_MAX_FIELDS);
			return MAIL_EPARSE;
		}
		if (util_grow(&h->f, &h->cap, h->n + 1, sizeof *h->f, 16))
			return -1;
		field_t *f = &h->f[h->n];
		f->name = strndup(s + i, nl_);
		size_t vs = (size_t)(colon - s) + 1;
		while (vs < i + len && (s[vs] == ' ' || s[vs] == '\t'))
			vs++;
		f->value = strndup(s + vs, i + len - vs);
		if (!f->name || !f->value) {
			free(f->name);
			free(f->value);
			return -1;
		}
		for (char *p = f->name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		h->n++;
		i = next;
	}
	*body = n;
	return 0;
}

/* ---- parameters (Content-Type, Content-Disposition) ---- */

typedef struct {
	char *name, *value;
} param_t;

typedef struct {
	char type[128];   /* lower case, "" when absent */
	param_t *p;
	size_t n, cap;
} ctype_t;

static void ctype_free(ctype_t *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->p[i].name);
		free(c->p[i].value);
	}
	free(c->p);
	c->p = NULL;
	c->n = c->cap = 0;
}

static void skip_ws(const char **s)
{
	for (;;) {
		while (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')
			(*s)++;
		if (**s != '(')
			return;
		int depth = 0; /* a comment */
		for (; **s; (*s)++) {
			if (**s == '\\' && (*s)[1]) {
				(*s)++;
				continue;
			}
			if (**s == '(')
				depth++;
			else if (**s == ')' && --depth == 0) {
				(*s)++;
				break;
			}
		}
	}
}

/* "type/sub; a=b; c="d"": 0, or -1 out of memory. */
static int ctype_parse(const char *s, ctype_t *c)
{
	c->type[0] = '\0';
	if (!s)
		return 0;
	skip_ws(&s);
	size_t i = 0;
	while (*s && *s != ';' && !isspace((unsigned char)*s) && *s != '(') {
		if (i + 1 < sizeof c->type)
			c->type[i++] = (char)tolower((unsigned char)*s);
		s++;
	}
	c->type[i] = '\0';
	while (*s) {
		while (*s && *s != ';')
			s++;
		if (!*s)
			break;
		s++;
		skip_ws(&s);
		const char *ns = s;
		while (*s && *s != '=' && *s != ';' && !isspace((unsigned char)*s))
			s++;
		size_t nlen = (size_t)(s - ns);
		skip_ws(&s);
		if (*s != '=' || nlen == 0)
			continue;
		s++;
		skip_ws(&s);
		util_buf_t v = {0};
		util_buf_add(&v, "", 0);
		if (*s == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				if (*s != '\r' && *s != '\n')
					util_buf_add(&v, s, 1);
				s++;
			}
			if (*s == '"')
				s++;
		} else {
			const char *vs = s;
			while (*s && *s != ';' && !isspace((unsigned char)*s))
				s++;
			util_buf_add(&v, vs, (size_t)(s - vs));
		}
		if (v.oom || util_grow(&c->p, &c->cap, c->n + 1, sizeof *c->p, 4)) {
			free(v.data);
			return -1;
		}
		char *name = strndup(ns, nlen);
		if (!name) {
			free(v.data);
			return -1;
		}
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		c->p[c->n].name = name;
		c->p[c->n].value = v.data;
		c->n++;
		if (c->n > 256)
			break;
	}
	return 0;
}

static const char *param(const ctype_t *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->p[i].name, name))
			return c->p[i].value;
	return NULL;
}

/* Percent-decode s into b. */
static void pct_decode(util_buf_t *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hx[3] = {s[1], s[2], 0};
			char ch = (char)strtol(hx, NULL, 16);
			util_buf_add(b, &ch, 1);
			s += 2;
		} else {
			util_buf_add(b, s, 1);
		}
	}
}

/* The UTF-8 value of parameter name: RFC 2231 (name*, name*0, name*0*...)
 * before the plain one (which may hold RFC 2047 words).  NULL when absent
 * or out of memory. */
static char *param_text(const ctype_t *c, const char *name, const char *fallback)
{
	char key[80], charset[64] = "";
	util_buf_t raw = {0};
	int found = 0;
	snprintf(key, sizeof key, "%s*", name);
	const char *v = param(c, key);
	if (v) {
		const char *q1 = strchr(v, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
		if (q2 && (size_t)(q1 - v) < sizeof charset) {
			memcpy(charset, v, (size_t)(q1 - v));
			charset[q1 - v] = '\0';
			v = q2 + 1;
		}
		pct_decode(&raw, v);
		found = 1;
	} else {
		for (int k = 0; k < 100; k++) {
			snprintf(key, sizeof key, "%s*%d", name, k);
			const char *plain = param(c, key);
			snprintf(key, sizeof key, "%s*%d*", name, k);
			const char *ext = param(c, key);
			if (!plain && !ext)
				break;
			found = 1;
			if (ext) {
				const char *s = ext;
				if (k == 0) {
					const char *q1 = strchr(s, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
					if (q2 && (size_t)(q1 - s) < sizeof charset) {
						memcpy(charset, s, (size_t)(q1 - s));
						charset[q1 - s] = '\0';
						s = q2 + 1;
					}
				}
				pct_decode(&raw, s);
			} else {
				util_buf_add(&raw, plain, strlen(plain));
			}
		}
	}
	if (found) {
		char *out = mail_to_utf8(raw.data ? raw.data : "", raw.len, charset, fallback);
		free(raw.data);
		return out;
	}
	free(raw.data);
	v = param(c, name);
	return v ? mail_decode_words(v, strlen(v), fallback) : NULL;
}

/* ---- the walk ---- */

typedef struct {
	const mail_opts_t *o;
	const char *fallback;
	size_t parts;
	char *err;
	size_t errlen;
} walk_t;

static int parse_msg(walk_t *w, const char *raw, size_t len, int depth, mail_t **out);

static char *xstrdup(const char *s)
{
	return strdup(s ? s : "");
}

static int add_att(mail_t *m, char *name, const char *type, unsigned char *data, size_t len,
		   mail_t *msg)
{
	if (util_grow(&m->att, &m->cap_att, m->natt + 1, sizeof *m->att, 4)) {
		free(name);
		free(data);
		mail_free(msg);
		return -1;
	}
	mail_att_t *a = &m->att[m->natt++];
	a->name = name;
	a->type = strdup(type && *type ? type : "application/octet-stream");
	a->data = data;
	a->len = len;
	a->msg = msg;
	return a->type ? 0 : -1;
}

/* A name for a part that has none. */
static char *made_name(const mail_t *m, const char *type)
{
	char buf[64];
	const char *ext = !strcmp(type, "message/rfc822") ? "eml"
			  : !strcmp(type, "text/html")    ? "html"
			  : !strncmp(type, "text/", 5) || !strcmp(type, "message/delivery-status") ? "txt"
							  : "bin";
	snprintf(buf, sizeof buf, "part-%zu.%s", m->natt + 1, ext);
	return strdup(buf);
}

/* Append text to the body, a blank line between pieces. */
static void body_add(util_buf_t *b, const char *t)
{
	if (!*t)
		return;
	if (b->len)
		util_buf_add(b, b->data[b->len - 1] == '\n' ? "\n" : "\n\n", b->data[b->len - 1] == '\n' ? 1 : 2);
	util_buf_add(b, t, strlen(t));
}

/* CRLF (and a lone CR) to LF, in place. */
static size_t lf_only(unsigned char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r') {
			if (i + 1 < n && s[i + 1] == '\n')
				continue;
			s[o++] = '\n';
			continue;
		}
		s[o++] = s[i];
	}
	return o;
}

/* Take uuencoded files out of a text body (m's attachments); the text
 * without them into rest. */
static int take_uuencoded(mail_t *m, const char *s, size_t n, util_buf_t *rest)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) + 1 : n;
		const char *l = s + i;
		size_t ll = e - i;
		if (ll > 10 && !strncmp(l, "begin ", 6) && l[6] >= '0' && l[6] <= '7') {
			size_t k = 6;
			while (k < ll && l[k] >= '0' && l[k] <= '7')
				k++;
			if (k < ll && l[k] == ' ' && k - 6 >= 3 && k - 6 <= 4) {
				/* find "end" */
				size_t j = e, stop = n, after = n;
				while (j < n) {
					const char *nl2 = memchr(s + j, '\n', n - j);
					size_t e2 = nl2 ? (size_t)(nl2 - s) + 1 : n;
					size_t l2 = e2 - j;
					while (l2 && (s[j + l2 - 1] == '\n' || s[j + l2 - 1] == '\r'))
						l2--;
					if (l2 == 3 && !strncmp(s + j, "end", 3)) {
						stop = j;
						after = e2;
						break;
					}
					j = e2;
				}
				if (stop < n) { /* a file only with its "end" line */
					size_t nl_ = ll - k - 1;
					while (nl_ && (l[k + 1 + nl_ - 1] == '\n' || l[k + 1 + nl_ - 1] == '\r'))
						nl_--;
					char *name = mail_to_utf8(l + k + 1, nl_, NULL, NULL);
					unsigned char *data = malloc(stop - e + 8);
					if (!name || !data) {
						free(name);
						free(data);
						return -1;
					}
					size_t got = mail_uu_decode(s + e, stop - e, data);
					if (!*name) {
						free(name);
						name = made_name(m, "application/octet-stream");
					}
					if (add_att(m, name, "application/octet-stream", data, got, NULL))
						return -1;
					i = after;
					continue;
				}
			}
		}
		util_buf_add(rest, l, ll);
		i = e;
	}
	return 0;
}

/* Decode a leaf's content by its transfer encoding: a new buffer (caller
 * frees) in *out, its length in *len. */
static int decode_cte(const char *cte, const char *s, size_t n, unsigned char **out, size_t *len)
{
	unsigned char *d = malloc(n + 8);
	if (!d)
		return -1;
	char enc[40] = "";
	if (cte) {
		size_t i = 0;
		while (*cte == ' ' || *cte == '\t' || *cte == '"')
			cte++;
		for (; cte[i] && !isspace((unsigned char)cte[i]) && cte[i] != ';' && cte[i] != '"' &&
		       i + 1 < sizeof enc; i++)
			enc[i] = (char)tolower((unsigned char)cte[i]);
		enc[i] = '\0';
	}
	if (!strcmp(enc, "base64"))
		*len = mail_b64_decode(s, n, d);
	else if (!strcmp(enc, "quoted-printable"))
		*len = mail_qp_decode(s, n, d, 0);
	else if (!strcmp(enc, "x-uuencode") || !strcmp(enc, "uuencode") || !strcmp(enc, "x-uue"))
		*len = mail_uu_decode(s, n, d);
	else {
		memcpy(d, s, n);
		*len = n;
	}
	*out = d;
	return 0;
}

/* One entity: its fields h, its content s[0..n). */
static int walk(walk_t *w, mail_t *m, util_buf_t *body, const fields_t *h, const char *s,
		size_t n, int depth, const char *deftype)
{
	int rc = -1;
	ctype_t ct = {0}, cd = {0};
	char *fname = NULL;
	unsigned char *data = NULL;
	if (depth > MAIL_MAX_DEPTH) {
		snprintf(w->err, w->errlen, "parts nested over %d deep", MAIL_MAX_DEPTH);
		return MAIL_EPARSE;
	}
	if (ctype_parse(field(h, "content-type"), &ct) ||
	    ctype_parse(field(h, "content-disposition"), &cd))
		goto out;
	const char *type = ct.type[0] && strchr(ct.type, '/') ? ct.type : deftype;

	if (!strncmp(type, "multipart/", 10) && param(&ct, "boundary") && *param(&ct, "boundary")) {
		const char *bnd = param(&ct, "boundary");
		size_t bl = strlen(bnd);
		if (!strcmp(type, "multipart/report") && depth >= 0)
			m->report = 1;
		const char *childtype = !strcmp(type, "multipart/digest") ? "message/rfc822" : "text/plain";
		/* the parts: between lines "--bnd" up to "--bnd--" */
		size_t *starts = NULL, *ends = NULL, np = 0, cap_s = 0, cap_e = 0;
		size_t i = 0, cur = (size_t)-1;
		while (i < n) {
			const char *nl = memchr(s + i, '\n', n - i);
			size_t e = nl ? (size_t)(nl - s) + 1 : n;
			if (e - i >= bl + 2 && s[i] == '-' && s[i + 1] == '-' && !memcmp(s + i + 2, bnd, bl)) {
				size_t k = i + 2 + bl;
				int last = k + 1 < e && s[k] == '-' && s[k + 1] == '-';
				if (last)
					k += 2;
				while (k < e && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n'))
					k++;
				if (k == e) {
					if (cur != (size_t)-1) {
						size_t end = i;
						if (np >= MAIL_MAX_PARTS) {
							snprintf(w->err, w->errlen, "over %d parts", MAIL_MAX_PARTS);
							rc = MAIL_EPARSE;
							free(starts);
							free(ends);
							goto out;
						}
						if (util_grow(&starts, &cap_s, np + 1, sizeof *starts, 8) ||
						    util_grow(&ends, &cap_e, np + 1, sizeof *ends, 8)) {
							free(starts);
							free(ends);
							goto out;
						}
						/* the line break before the boundary is its own */
						if (end > cur && s[end - 1] == '\n')
							end--;
						if (end > cur && s[end - 1] == '\r')
							end--;
						starts[np] = cur;
						ends[np++] = end;
					}
					cur = last ? (size_t)-1 : e;
					if (last)
						break;
				}
			}
			i = e;
		}
		if (cur != (size_t)-1 && np < MAIL_MAX_PARTS) { /* no closing boundary: to the end */
			if (util_grow(&starts, &cap_s, np + 1, sizeof *starts, 8) ||
			    util_grow(&ends, &cap_e, np + 1, sizeof *ends, 8)) {
				free(starts);
				free(ends);
				goto out;
			}
			starts[np] = cur;
			ends[np++] = n;
		}
		int alt = !strcmp(type, "multipart/alternative");
		int pick = -1, pick_rank = 0;
		fields_t *ph = calloc(np ? np : 1, sizeof *ph);
		size_t *pb = calloc(np ? np : 1, sizeof *pb);
		if (!ph || !pb) {
			free(ph);
			free(pb);
			free(starts);
			free(ends);
			goto out;
		}
		rc = 0;
		for (size_t k = 0; k < np && rc == 0; k++) {
			rc = read_fields(s + starts[k], ends[k] - starts[k], &ph[k], &pb[k], w->err, w->errlen);
			if (rc == 0 && alt) {
				ctype_t t = {0};
				if (ctype_parse(field(&ph[k], "content-type"), &t)) {
					rc = -1;
					break;
				}
				const char *tt = t.type[0] ? t.type : "text/plain";
				int rank = !strcmp(tt, "text/plain") ? 3 : !strncmp(tt, "multipart/", 10) ? 2
					   : !strcmp(tt, "text/html") ? 1 : 0;
				if (rank > pick_rank || (rank == pick_rank && rank == 2)) {
					pick_rank = rank;
					pick = (int)k;
				}
				ctype_free(&t);
			}
		}
		for (size_t k = 0; k < np && rc == 0; k++) {
			if (alt && pick >= 0 && (int)k != pick)
				continue;
			rc = walk(w, m, body, &ph[k], s + starts[k] + pb[k], ends[k] - starts[k] - pb[k],
				  depth + 1, childtype);
		}
		for (size_t k = 0; k < np; k++)
			fields_free(&ph[k]);
		free(ph);
		free(pb);
		free(starts);
		free(ends);
		goto out;
	}

	if (++w->parts > MAIL_MAX_PARTS) {
		snprintf(w->err, w->errlen, "over %d parts", MAIL_MAX_PARTS);
		rc = MAIL_EPARSE;
		goto out;
	}
	m->parts++;
	size_t len;
	if (decode_cte(field(h, "content-transfer-encoding"), s, n, &data, &len))
		goto out;
	fname = param_text(&cd, "filename", w->fallback);
	if (!fname)
		fname = param_text(&ct, "name", w->fallback);
	if (fname) { /* a blank name is no name */
		const char *p = fname;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p) {
			free(fname);
			fname = NULL;
		}
	}
	int attachment = !strncasecmp(cd.type, "attachment", 10);
	const char *charset = param(&ct, "charset");

	if (!strcmp(type, "message/rfc822") || !strcmp(type, "message/global")) {
		mail_t *sub = NULL;
		int r = parse_msg(w, (const char *)data, len, depth + 1, &sub);
		if (r == -1)
			goto out;
		if (r == MAIL_EPARSE && w->parts > MAIL_MAX_PARTS) {
			rc = r;
			goto out;
		}
		if (!fname) {
			char buf[80];
			if (sub && sub->subject[0]) {
				/* the subject as a file name, safe characters only */
				/* the subject as a file name: no separators or
				 * controls, cut on a character boundary */
				size_t o = 0;
				for (const char *p = sub->subject; *p && o < 60; p++)
					buf[o++] = (unsigned char)*p < 32 || strchr("/\\:*?\"<>|", *p) ? '_' : *p;
				while (o > 0 && ((unsigned char)sub->subject[o] & 0xc0) == 0x80)
					o--;
				buf[o] = '\0';
				char full[96];
				snprintf(full, sizeof full, "%s.eml", buf);
				fname = strdup(full);
			} else {
				fname = made_name(m, type);
			}
			if (!fname) {
				mail_free(sub);
				goto out;
			}
		}
		rc = add_att(m, fname, type, data, len, sub);
		fname = NULL;
		data = NULL;
		goto out;
	}

	int is_text = !strcmp(type, "text/plain") || !strcmp(type, "text/html") ||
		      !strcmp(type, "text/enriched");
	if (is_text && !attachment && !fname) {
		len = lf_only(data, len);
		char *t = mail_to_utf8((const char *)data, len, charset, w->fallback);
		if (!t)
			goto out;
		if (!strcmp(type, "text/html")) {
			int only = body->len == 0;
			char *plain = mail_html_text(t, strlen(t));
			free(t);
			if (!plain)
				goto out;
			if (only)
				m->body_html = 1;
			body_add(body, plain);
			free(plain);
		} else {
			util_buf_t rest = {0};
			util_buf_add(&rest, "", 0);
			if (take_uuencoded(m, t, strlen(t), &rest)) {
				free(t);
				free(rest.data);
				goto out;
			}
			body_add(body, rest.data);
			free(rest.data);
			free(t);
		}
		rc = 0;
		goto out;
	}
	if (!fname && !(fname = made_name(m, type)))
		goto out;
	rc = add_att(m, fname, type, data, len, NULL);
	fname = NULL;
	data = NULL;
out:
	free(fname);
	free(data);
	ctype_free(&ct);
	ctype_free(&cd);
	return rc;
}

/* ---- addresses and ids ---- */

static void parse_from(mail_t *m, const char *v, const char *fallback)
{
	char *t = mail_decode_words(v, strlen(v), fallback);
	if (!t)
		return;
	for (char *p = t; *p; p++) /* no line break in a header's text */
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	const char *lt = strrchr(t, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	char *addr = NULL, *name = NULL;
	if (lt && gt) {
		addr = strndup(lt + 1, (size_t)(gt - lt - 1));
		name = strndup(t, (size_t)(lt - t));
	} else {
		/* a bare address, maybe with "(Name)" after it */
		const char *p = t;
		while (*p == ' ' || *p == '\t')
			p++;
		size_t k = strcspn(p, " \t(,;");
		addr = strndup(p, k);
		const char *c = strchr(p + k, '('), *ce = c ? strrchr(c, ')') : NULL;
		name = c && ce ? strndup(c + 1, (size_t)(ce - c - 1)) : strdup("");
	}
	free(t);
	if (!addr || !name) {
		free(addr);
		free(name);
		return;
	}
	/* trim blanks and quotes from the name */
	char *ns = name;
	while (*ns == ' ' || *ns == '\t' || *ns == '"')
		ns++;
	size_t nl = strlen(ns);
	while (nl && (ns[nl - 1] == ' ' || ns[nl - 1] == '\t' || ns[nl - 1] == '"'))
		nl--;
	memmove(name, ns, nl);
	name[nl] = '\0';
	char *as = addr;
	while (*as == ' ')
		as++;
	memmove(addr, as, strlen(as) + 1);
	size_t al = strlen(addr);
	while (al && addr[al - 1] == ' ')
		addr[--al] = '\0';
	char *at = strrchr(addr, '@');
	for (char *p = at; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	free(m->from_name);
	free(m->from_addr);
	m->from_name = name;
	m->from_addr = addr;
}

/* The message ids in v ("<a> <b>"), brackets off, space-separated; first
 * only with first. */
static char *ids(const char *v, int first)
{
	util_buf_t b = {0};
	util_buf_add(&b, "", 0);
	if (v) {
		const char *p = v;
		int any = 0;
		while ((p = strchr(p, '<'))) {
			const char *e = strchr(p, '>');
			if (!e)
				break;
			if (e > p + 1) {
				if (b.len)
					util_buf_add(&b, " ", 1);
				for (const char *q = p + 1; q < e; q++) /* ids are ASCII */
					if ((unsigned char)*q > 32 && (unsigned char)*q < 127)
						util_buf_add(&b, q, 1);
				any = 1;
				if (first)
					break;
			}
			p = e + 1;
		}
		if (!any) { /* no brackets: the first word */
			while (isspace((unsigned char)*v))
				v++;
			for (; *v && (unsigned char)*v > 32; v++)
				if ((unsigned char)*v < 127)
					util_buf_add(&b, v, 1);
		}
	}
	if (b.oom) {
		free(b.data);
		return NULL;
	}
	return b.data;
}

static char *lower_trim(const char *v)
{
	if (!v)
		return strdup("");
	while (*v == ' ' || *v == '\t')
		v++;
	char *s = strdup(v);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	for (char *p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

static char *text_field(const fields_t *h, const char *name, const char *fallback)
{
	const char *v = field(h, name);
	if (!v)
		return strdup("");
	/* blanks at the ends of the field off (not those an encoded word
	 * carries); line breaks an encoded word carries become spaces */
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	char *t = mail_decode_words(v, n, fallback);
	if (!t)
		return NULL;
	for (char *p = t; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return t;
}

static int parse_msg(walk_t *w, const char *raw, size_t len, int depth, mail_t **out)
{
	fields_t h = {0};
	util_buf_t body = {0};
	size_t off = 0;
	*out = NULL;
	mail_t *m = calloc(1, sizeof *m);
	if (!m)
		return -1;
	int rc = read_fields(raw, len, &h, &off, w->err, w->errlen);
	if (rc)
		goto fail;
	m->no_headers = h.n == 0;
	m->subject = text_field(&h, "subject", w->fallback);
	m->to = text_field(&h, "to", w->fallback);
	m->date = text_field(&h, "date", w->fallback);
	{
		const char *lv = field(&h, "content-language");
		if (!lv)
			lv = field(&h, "accept-language");
		m->language = lower_trim(lv);
		if (m->language)
			m->language[strcspn(m->language, " ,;\t")] = '\0';
	}
	m->message_id = ids(field(&h, "message-id"), 1);
	m->in_reply_to = ids(field(&h, "in-reply-to"), 1);
	m->references = ids(field(&h, "references"), 0);
	m->auto_submitted = lower_trim(field(&h, "auto-submitted"));
	m->precedence = lower_trim(field(&h, "precedence"));
	m->return_path = lower_trim(field(&h, "return-path"));
	m->auto_reply = field(&h, "x-autoreply") || field(&h, "x-autorespond") ||
			field(&h, "x-auto-response-suppress") != NULL;
	if (field(&h, "x-auto-response-suppress")) {
		/* Exchange's auto-replies say "All" or "OOF"; ordinary mail from
		 * Outlook may carry it too: only those values count */
		char *v = lower_trim(field(&h, "x-auto-response-suppress"));
		m->auto_reply = field(&h, "x-autoreply") || field(&h, "x-autorespond") ||
				(v && (strstr(v, "all") || strstr(v, "oof")));
		free(v);
	}
	const char *from = field(&h, "from");
	if (!from)
		from = field(&h, "sender");
	if (from)
		parse_from(m, from, w->fallback);
	if (!m->from_name)
		m->from_name = xstrdup("");
	if (!m->from_addr)
		m->from_addr = xstrdup("");
	if (!m->subject || !m->to || !m->date || !m->message_id || !m->in_reply_to ||
	    !m->references || !m->auto_submitted || !m->precedence || !m->return_path ||
	    !m->from_name || !m->from_addr || !m->language) {
		rc = -1;
		goto fail;
	}
	util_buf_add(&body, "", 0);
	if (m->no_headers) {
		/* no header block: the whole text is the body */
		fields_t none = {0};
		rc = walk(w, m, &body, &none, raw, len, depth, "text/plain");
	} else {
		rc = walk(w, m, &body, &h, raw + off, len - off, depth, "text/plain");
	}
	if (rc)
		goto fail;
	if (body.oom) {
		rc = -1;
		goto fail;
	}
	m->body = body.data;
	body.data = NULL;
	fields_free(&h);
	*out = m;
	return 0;
fail:
	free(body.data);
	fields_free(&h);
	mail_free(m);
	return rc;
}

/* The charset of 8-bit text that names none, guessed once for the whole
 * message: Western European text is mostly ASCII letters with a few
 * accented ones; Cyrillic text is mostly 8-bit letters, KOI8-R putting its
 * (frequent) lower case at 0xC0-0xDF and windows-1251 at 0xE0-0xFF. */
static const char *guess_charset(const char *raw, size_t len)
{
	size_t ascii = 0, low = 0, high = 0;
	/* only lines with 8-bit bytes count (not the Received: lines) */
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(raw + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - raw) + 1 : len, a = 0, l = 0, h = 0;
		for (size_t k = i; k < e; k++) {
			unsigned char c = (unsigned char)raw[k];
			if (isalpha(c))
				a++;
			else if (c >= 0xc0 && c <= 0xdf)
				l++;
			else if (c >= 0xe0)
				h++;
		}
		if (l + h) {
			ascii += a;
			low += l;
			high += h;
		}
		i = e;
	}
	if (low + high <= ascii / 4 || low + high < 4)
		return "WINDOWS-1252";
	return low > high ? "KOI8-R" : "WINDOWS-1251";
}

int mail_parse(const char *raw, size_t len, const mail_opts_t *opts, mail_t **out, char *err,
	       size_t errlen)
{
	const char *fb = opts && opts->fallback_charset ? opts->fallback_charset : NULL;
	if (!fb && !util_utf8_valid(raw, len)) {
		/* only the message's own 8-bit text counts: its body and headers
		 * (in a long message, the first 64 KiB) */
		fb = guess_charset(raw, len < 65536 ? len : 65536);
	}
	walk_t w = {opts, fb, 0, err, errlen};
	int rc = parse_msg(&w, raw, len, 0, out);
	if (rc == -1)
		snprintf(err, errlen, "out of memory");
	return rc;
}

void mail_free(mail_t *m)
{
	if (!m)
		return;
	free(m->subject);
	free(m->from_name);
	free(m->from_addr);
	free(m->to);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->references);
	free(m->auto_submitted);
	free(m->precedence);
	free(m->return_path);
	free(m->date);
	free(m->language);
	free(m->body);
	for (size_t i = 0; i < m->natt; i++) {
		free(m->att[i].name);
		free(m->att[i].type);
		free(m->att[i].data);
		mail_free(m->att[i].msg);
	}
	free(m->att);
	free(m);
}

const char *mail_is_auto(const mail_t *m)
{
	if (m->auto_submitted[0] && strcmp(m->auto_submitted, "no"))
		return "Auto-Submitted";
	if (m->report)
		return "a multipart/report (a bounce or a receipt)";
	if (!strcmp(m->precedence, "bulk") || !strcmp(m->precedence, "junk") ||
	    !strcmp(m->precedence, "list"))
		return "Precedence bulk, junk or list";
	if (!strcmp(m->return_path, "<>"))
		return "a null return path";
	if (m->auto_reply)
		return "an auto-reply field (X-Autoreply, X-Autorespond, X-Auto-Response-Suppress)";
	if (!m->from_addr[0] || !strchr(m->from_addr, '@'))
		return "no sender address";
	const char *at = strchr(m->from_addr, '@');
	size_t local = (size_t)(at - m->from_addr);
	if ((local == 13 && !strncasecmp(m->from_addr, "mailer-daemon", 13)) ||
	    (local == 10 && !strncasecmp(m->from_addr, "postmaster", 10)))
		return "a mailer-daemon sender";
	return NULL;
}
