/* stix_pattern.c — a recursive-descent parser for STIX 2.1 patterns.
 *
 * The grammar, from the specification's ANTLR grammar (keywords are upper
 * case, as there):
 *
 *   pattern      := obs_seq EOF
 *   obs_seq      := obs_or ( FOLLOWEDBY obs_or )*
 *   obs_or       := obs_and ( OR obs_and )*
 *   obs_and      := obs_qual ( AND obs_qual )*
 *   obs_qual     := obs ( WITHIN number SECONDS | REPEATS int TIMES
 *                       | START t'..' STOP t'..' )*
 *   obs          := '[' cmp_or ']' | '(' obs_seq ')'
 *   cmp_or       := cmp_and ( OR cmp_and )*
 *   cmp_and      := test ( AND test )*
 *   test         := '(' cmp_or ')' | EXISTS path
 *                 | path NOT? ( = | != ) literal | path NOT? ( < | <= | > | >= ) literal
 *                 | path NOT? IN '(' [ literal ( ',' literal )* ] ')'
 *                 | path NOT? ( LIKE | MATCHES | ISSUBSET | ISSUPERSET ) 'string'
 *   path         := type ':' ( ident | 'string' ) ( '.' ( ident | 'string' ) | '[' ( int | '*' ) ']' )*
 *
 * Literals: 'string' (escapes \' and \\ only), integers, floats, true/false,
 * b'base64', h'hex', t'RFC 3339 timestamp'.  Nesting is bounded (fuzzed). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stix/stix_pattern.h"

#define DEPTH_MAX 64

typedef enum {
	T_EOF, T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN, T_COMMA, T_COLON, T_DOT, T_STAR,
	T_OP, T_IDENT, T_STRING, T_INT, T_FLOAT, T_BIN, T_HEX, T_TS
} tok_kind_t;

typedef struct {
	tok_kind_t kind;
	size_t at, len; /* the token's bytes in the pattern */
} tok_t;

typedef struct {
	const char *s;
	size_t len, pos;
	tok_t t;        /* the current token */
	int depth;
	int failed;
	char *err;
	size_t errlen;
	int followed, qualified, negated, unsupported;
	stix_pattern_t *out;
} parser_t;

__attribute__((format(printf, 3, 4)))
static int fail(parser_t *p, size_t at, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		int n = snprintf(p->err, p->errlen, "position %zu: ", at);
		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < p->errlen)
			vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	p->failed = 1;
	return -1;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* A quoted body from p->pos (just after the opening quote): \' and \\ are
 * the only escapes.  Leaves p->pos after the closing quote. */
static int lex_quoted(parser_t *p, size_t start)
{
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (c == '\\') {
			if (p->pos + 1 >= p->len || (p->s[p->pos + 1] != '\'' && p->s[p->pos + 1] != '\\'))
				return fail(p, p->pos, "only \\' and \\\\ are escapes in a string");
			p->pos += 2;
			continue;
		}
		p->pos++;
		if (c == '\'')
			return 0;
	}
	return fail(p, start, "string not closed");
}

/* t'2014-01-13T07:03:17Z', with an optional fraction of a second */
static int ts_ok(const char *s, size_t n)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	if (n < 20)
		return 0;
	for (size_t i = 0; i < 19; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	size_t i = 19;
	if (s[i] == '.') {
		if (++i >= n - 1 || !is_digit(s[i]))
			return 0;
		while (i < n - 1 && is_digit(s[i]))
			i++;
	}
	int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
	int ss = (s[17] - '0') * 10 + (s[18] - '0');
	return i == n - 1 && s[i] == 'Z' && mon >= 1 && mon <= 12 && day >= 1 && day <= 31 &&
	       hh < 24 && mm < 60 && ss <= 60;
}

static int body_ok(tok_kind_t k, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (k == T_HEX && !(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
		if (k == T_BIN && !(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				    c == '+' || c == '/' || (c == '=' && i >= n - 2)))
			return 0;
	}
	if (k == T_HEX)
		return n % 2 == 0;
	if (k == T_BIN)
		return n % 4 == 0;
	return ts_ok(s, n);
}

/* Read the next token into p->t. */
static int lex(parser_t *p)
{
	while (p->pos < p->len && is_space(p->s[p->pos]))
		p->pos++;
	size_t at = p->pos;
	p->t = (tok_t){.kind = T_EOF, .at = at, .len = 0};
	if (at >= p->len)
		return 0;
	char c = p->s[at], d = at + 1 < p->len ? p->s[at + 1] : '\0';
	tok_kind_t k = T_EOF;
	switch (c) {
	case '[': k = T_LBRACK; break;
	case ']': k = T_RBRACK; break;
	case '(': k = T_LPAREN; break;
	case ')': k = T_RPAREN; break;
	case ',': k = T_COMMA; break;
	case ':': k = T_COLON; break;
	case '.': k = T_DOT; break;
	case '*': k = T_STAR; break;
	default: break;
	}
	if (k != T_EOF) {
		p->t.kind = k;
		p->t.len = 1;
		p->pos++;
		return 0;
	}
	if (c == '=' || c == '<' || c == '>' || (c == '!' && d == '=')) {
		p->t.kind = T_OP;
		p->t.len = (d == '=' || (c == '<' && d == '>')) ? 2 : 1;
		if (c == '=' && d == '=')
			return fail(p, at, "'==' is not an operator; use '='");
		p->pos += p->t.len;
		return 0;
	}
	if (c == '\'') {
		p->pos++;
		if (lex_quoted(p, at))
			return -1;
		p->t.kind = T_STRING;
		p->t.len = p->pos - at;
		return 0;
	}
	if ((c == 'b' || c == 'h' || c == 't') && d == '\'') {
		p->pos += 2;
		if (lex_quoted(p, at))
			return -1;
		p->t.kind = c == 'b' ? T_BIN : c == 'h' ? T_HEX : T_TS;
		p->t.len = p->pos - at;
		if (!body_ok(p->t.kind, p->s + at + 2, p->t.len - 3))
			return fail(p, at, "malformed %s literal",
				    c == 'b' ? "binary (base64)" : c == 'h' ? "hex" : "timestamp");
		return 0;
	}
	if (is_digit(c) || ((c == '-' || c == '+') && is_digit(d))) {
		p->pos++;
		while (p->pos < p->len && is_digit(p->s[p->pos]))
			p->pos++;
		p->t.kind = T_INT;
		if (p->pos + 1 < p->len && p->s[p->pos] == '.' && is_digit(p->s[p->pos + 1])) {
			p->pos++;
			while (p->pos < p->len && is_digit(p->s[p->pos]))
				p->pos++;
			p->t.kind = T_FLOAT;
		}
		p->t.len = p->pos - at;
		return 0;
	}
	if (is_alpha(c)) {
		while (p->pos < p->len && (is_alpha(p->s[p->pos]) || is_digit(p->s[p->pos]) ||
					   p->s[p->pos] == '-'))
			p->pos++;
		p->t.kind = T_IDENT;
		p->t.len = p->pos - at;
		return 0;
	}
	if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
		return fail(p, at, "unexpected '%c'", c);
	return fail(p, at, "unexpected byte 0x%02x", (unsigned char)c);
}

/* Is the current token the word w (a keyword or true/false)? */
static int is_word(const parser_t *p, const char *w)
{
	size_t n = strlen(w);
	return p->t.kind == T_IDENT && p->t.len == n && !memcmp(p->s + p->t.at, w, n);
}

static int accept_word(parser_t *p, const char *w)
{
	return is_word(p, w) ? (lex(p) ? -1 : 1) : 0;
}

static int expect(parser_t *p, tok_kind_t k, const char *what)
{
	if (p->t.kind != k)
		return fail(p, p->t.at, "expected %s", what);
	return lex(p);
}

static const char *const keywords[] = {"AND", "OR", "NOT", "IN", "LIKE", "MATCHES", "ISSUBSET",
				       "ISSUPERSET", "EXISTS", "FOLLOWEDBY", "WITHIN", "SECONDS",
				       "REPEATS", "TIMES", "START", "STOP", "true", "false"};

static int is_keyword(const parser_t *p)
{
	for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
		if (is_word(p, keywords[i]))
			return 1;
	return 0;
}

/* ---- object paths ---- */

typedef struct {
	size_t type_at, type_len;
	size_t comp_at[3], comp_len[3]; /* the first components, quotes removed */
	int ncomp;                      /* components, all of them */
} path_t;

static int path_component(parser_t *p, path_t *pa, int first)
{
	size_t at = p->t.at, n = p->t.len;
	if (p->t.kind == T_STRING) {
		at++, n -= 2;
	} else if (p->t.kind != T_IDENT || is_keyword(p) || (first && memchr(p->s + at, '-', n))) {
		return fail(p, p->t.at, "expected a property name");
	}
	if (pa->ncomp < 3) {
		pa->comp_at[pa->ncomp] = at;
		pa->comp_len[pa->ncomp] = n;
	}
	pa->ncomp++;
	return lex(p);
}

static int path(parser_t *p, path_t *pa)
{
	memset(pa, 0, sizeof *pa);
	if (p->t.kind != T_IDENT || is_keyword(p))
		return fail(p, p->t.at, "expected an object path such as ipv4-addr:value");
	pa->type_at = p->t.at;
	pa->type_len = p->t.len;
	if (lex(p) || expect(p, T_COLON, "':' after the object type") || path_component(p, pa, 1))
		return -1;
	for (;;) {
		if (p->t.kind == T_DOT) {
			if (lex(p) || path_component(p, pa, 0))
				return -1;
		} else if (p->t.kind == T_LBRACK) {
			if (lex(p))
				return -1;
			if (p->t.kind != T_STAR && p->t.kind != T_INT)
				return fail(p, p->t.at, "expected an index or '*'");
			if (lex(p) || expect(p, T_RBRACK, "']' after the index"))
				return -1;
			pa->ncomp++;
		} else {
			return 0;
		}
	}
}

/* ---- what an index can hold ---- */

static int eq(const parser_t *p, size_t at, size_t n, const char *w)
{
	return n == strlen(w) && !memcmp(p->s + at, w, n);
}

static int eq_nocase(const parser_t *p, size_t at, size_t n, const char *w)
{
	if (n != strlen(w))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = p->s[at + i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != w[i])
			return 0;
	}
	return 1;
}

/* The observable type a path names, or OBS_NONE. */
static obs_type_t path_type(const parser_t *p, const path_t *pa)
{
	static const struct { const char *name; obs_type_t t; } values[] = {
		{"ipv4-addr", OBS_IPV4}, {"ipv6-addr", OBS_IPV6}, {"domain-name", OBS_DOMAIN},
		{"url", OBS_URL}, {"email-addr", OBS_EMAIL}};
	if (pa->ncomp == 1 && eq(p, pa->comp_at[0], pa->comp_len[0], "value"))
		for (size_t i = 0; i < sizeof values / sizeof *values; i++)
			if (eq(p, pa->type_at, pa->type_len, values[i].name))
				return values[i].t;
	if (pa->ncomp == 1 && eq(p, pa->type_at, pa->type_len, "autonomous-system") &&
	    eq(p, pa->comp_at[0], pa->comp_len[0], "number"))
		return OBS_ASN;
	if (pa->ncomp == 2 && eq(p, pa->type_at, pa->type_len, "file") &&
	    eq(p, pa->comp_at[0], pa->comp_len[0], "hashes")) {
		size_t a = pa->comp_at[1], n = pa->comp_len[1];
		if (eq_nocase(p, a, n, "MD5"))
			return OBS_MD5;
		if (eq_nocase(p, a, n, "SHA-1") || eq_nocase(p, a, n, "SHA1"))
			return OBS_SHA1;
		if (eq_nocase(p, a, n, "SHA-256") || eq_nocase(p, a, n, "SHA256"))
			return OBS_SHA256;
	}
	return OBS_NONE;
}

__attribute__((format(printf, 2, 3)))
static void not_indexed(parser_t *p, const char *fmt, ...)
{
	if (!p->unsupported) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->out->why, sizeof p->out->why, fmt, ap);
		va_end(ap);
	}
	p->unsupported = 1;
}

/* An equality on a supported path: keep its value. */
static int take_value(parser_t *p, obs_type_t t, const tok_t *lit)
{
	char buf[OBS_VALUE_MAX + 1], err[160];
	size_t n = 0;
	stix_pattern_t *o = p->out;
	if (t == OBS_ASN ? lit->kind != T_INT : lit->kind != T_STRING) {
		not_indexed(p, "a %s compared with a literal of the wrong kind", obs_type_name(t));
		return 0;
	}
	size_t at = lit->at + (t == OBS_ASN ? 0 : 1), end = lit->at + lit->len - (t == OBS_ASN ? 0 : 1);
	for (size_t i = at; i < end; i++) {
		if (p->s[i] == '\\')
			i++;
		if (n >= OBS_VALUE_MAX) {
			not_indexed(p, "a value longer than %d bytes", OBS_VALUE_MAX);
			return 0;
		}
		buf[n++] = p->s[i];
	}
	if (o->nvalues >= STIX_VALUES_MAX) {
		not_indexed(p, "more than %d values", STIX_VALUES_MAX);
		return 0;
	}
	if (!o->values && !(o->values = malloc(STIX_VALUES_MAX * sizeof *o->values)))
		return fail(p, lit->at, "out of memory");
	if (obs_parse(buf, n, t, &o->values[o->nvalues], err, sizeof err)) {
		not_indexed(p, "%s", err);
		return 0;
	}
	o->nvalues++;
	return 0;
}

/* ---- comparison expressions ---- */

static int literal(parser_t *p, tok_t *lit)
{
	*lit = p->t;
	if (p->t.kind == T_STRING || p->t.kind == T_INT || p->t.kind == T_FLOAT ||
	    p->t.kind == T_BIN || p->t.kind == T_HEX || p->t.kind == T_TS || is_word(p, "true") ||
	    is_word(p, "false"))
		return lex(p);
	return fail(p, p->t.at, "expected a literal");
}

static int cmp_or(parser_t *p);

static int test(parser_t *p)
{
	if (p->t.kind == T_LPAREN) {
		if (++p->depth > DEPTH_MAX)
			return fail(p, p->t.at, "nested too deep");
		if (lex(p) || cmp_or(p) || expect(p, T_RPAREN, "')'"))
			return -1;
		p->depth--;
		return 0;
	}
	path_t pa;
	int r;
	p->out->comparisons++;
	if ((r = accept_word(p, "EXISTS")) != 0) {
		not_indexed(p, "EXISTS");
		return r < 0 ? -1 : path(p, &pa);
	}
	if (path(p, &pa))
		return -1;
	obs_type_t t = path_type(p, &pa);
	char tname[48];
	snprintf(tname, sizeof tname, "%.*s", (int)(pa.type_len < 40 ? pa.type_len : 40),
		 p->s + pa.type_at);
	if ((r = accept_word(p, "NOT")) < 0)
		return -1;
	int neg = r;
	if (p->t.kind == T_OP) {
		size_t op_at = p->t.at, op_len = p->t.len;
		tok_t lit;
		if (lex(p) || literal(p, &lit))
			return -1;
		if (eq(p, op_at, op_len, "=") && !neg && t != OBS_NONE)
			return take_value(p, t, &lit);
		if (t == OBS_NONE)
			not_indexed(p, "a comparison on %s that the index does not hold", tname);
		else
			not_indexed(p, "a comparison other than '=' on %s", tname);
		return 0;
	}
	if ((r = accept_word(p, "IN")) != 0) {
		tok_t lit;
		if (r < 0 || expect(p, T_LPAREN, "'(' to open the set"))
			return -1;
		if (p->t.kind != T_RPAREN) {
			do {
				if (literal(p, &lit))
					return -1;
			} while (p->t.kind == T_COMMA && !lex(p));
		}
		if (p->failed || expect(p, T_RPAREN, "')' to close the set"))
			return -1;
		not_indexed(p, "IN on %s", tname);
		return 0;
	}
	static const char *const string_ops[] = {"LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET"};
	for (size_t i = 0; i < sizeof string_ops / sizeof *string_ops; i++) {
		if ((r = accept_word(p, string_ops[i])) < 0)
			return -1;
		if (r) {
			if (p->t.kind != T_STRING)
				return fail(p, p->t.at, "%s takes a string", string_ops[i]);
			not_indexed(p, "%s", string_ops[i]);
			return lex(p);
		}
	}
	return fail(p, p->t.at, "expected an operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, "
				"ISSUBSET, ISSUPERSET)");
}

static int cmp_and(parser_t *p)
{
	int r;
	if (test(p))
		return -1;
	while ((r = accept_word(p, "AND")) > 0)
		if (test(p))
			return -1;
	return r;
}

static int cmp_or(parser_t *p)
{
	int r;
	if (cmp_and(p))
		return -1;
	while ((r = accept_word(p, "OR")) > 0)
		if (cmp_and(p))
			return -1;
	return r;
}

/* ---- observation expressions ---- */

static int obs_seq(parser_t *p);

static int obs(parser_t *p)
{
	if (++p->depth > DEPTH_MAX)
		return fail(p, p->t.at, "nested too deep");
	if (p->t.kind == T_LBRACK) {
		p->out->observations++;
		if (lex(p) || cmp_or(p) || expect(p, T_RBRACK, "']' to close the observation"))
			return -1;
	} else if (p->t.kind == T_LPAREN) {
		if (lex(p) || obs_seq(p) || expect(p, T_RPAREN, "')'"))
			return -1;
	} else {
		return fail(p, p->t.at, "expected '[' to open an observation");
	}
	p->depth--;
	return 0;
}

static int number(parser_t *p, int integer, const char *what)
{
	if (p->t.kind != T_INT && (integer || p->t.kind != T_FLOAT))
		return fail(p, p->t.at, "%s", what);
	if (p->s[p->t.at] == '-' || p->s[p->t.at] == '+' ||
	    (p->t.len == 1 && p->s[p->t.at] == '0' && integer))
		return fail(p, p->t.at, "%s", what);
	return lex(p);
}

static int obs_qual(parser_t *p)
{
	int r;
	if (obs(p))
		return -1;
	for (;;) {
		if ((r = accept_word(p, "WITHIN")) != 0) {
			if (r < 0 || number(p, 0, "WITHIN takes a positive number of seconds"))
				return -1;
			if ((r = accept_word(p, "SECONDS")) <= 0)
				return r < 0 ? -1 : fail(p, p->t.at, "expected SECONDS");
		} else if ((r = accept_word(p, "REPEATS")) != 0) {
			if (r < 0 || number(p, 1, "REPEATS takes a positive integer"))
				return -1;
			if ((r = accept_word(p, "TIMES")) <= 0)
				return r < 0 ? -1 : fail(p, p->t.at, "expected TIMES");
		} else if ((r = accept_word(p, "START")) != 0) {
			if (r < 0)
				return -1;
			if (p->t.kind != T_TS)
				return fail(p, p->t.at, "START takes a timestamp t'...'");
			if (lex(p) || (r = accept_word(p, "STOP")) <= 0)
				return r < 0 ? -1 : fail(p, p->t.at, "expected STOP");
			if (p->t.kind != T_TS)
				return fail(p, p->t.at, "STOP takes a timestamp t'...'");
			if (lex(p))
				return -1;
		} else {
			return 0;
		}
		p->qualified = 1;
	}
}

static int obs_and(parser_t *p)
{
	int r;
	if (obs_qual(p))
		return -1;
	while ((r = accept_word(p, "AND")) > 0)
		if (obs_qual(p))
			return -1;
	return r;
}

static int obs_or(parser_t *p)
{
	int r;
	if (obs_and(p))
		return -1;
	while ((r = accept_word(p, "OR")) > 0)
		if (obs_and(p))
			return -1;
	return r;
}

static int obs_seq(parser_t *p)
{
	int r;
	if (obs_or(p))
		return -1;
	while ((r = accept_word(p, "FOLLOWEDBY")) > 0) {
		p->followed = 1;
		if (obs_or(p))
			return -1;
	}
	return r;
}

int stix_pattern_parse(const char *pattern, size_t len, stix_pattern_t *out, char *err,
		       size_t errlen)
{
	parser_t p = {.s = pattern, .len = len, .err = err, .errlen = errlen, .out = out};
	memset(out, 0, sizeof *out);
	if (len > STIX_PATTERN_MAX) {
		snprintf(err, errlen, "position %d: a pattern longer than %d bytes", STIX_PATTERN_MAX,
			 STIX_PATTERN_MAX);
		return -1;
	}
	if (memchr(pattern, '\0', len)) {
		snprintf(err, errlen, "position %zu: a NUL byte",
			 (size_t)((const char *)memchr(pattern, '\0', len) - pattern));
		return -1;
	}
	if (lex(&p) || obs_seq(&p) || (p.t.kind != T_EOF && fail(&p, p.t.at, "unexpected text after "
									      "the pattern"))) {
		stix_pattern_free(out);
		return -1;
	}
	if (p.followed)
		not_indexed(&p, "FOLLOWEDBY");
	if (p.qualified)
		not_indexed(&p, "a qualifier (WITHIN, REPEATS or START/STOP)");
	if (!p.unsupported && out->nvalues == 0)
		not_indexed(&p, "no value");
	out->indexable = !p.unsupported;
	if (!out->indexable)
		out->nvalues = 0;
	return 0;
}

void stix_pattern_free(stix_pattern_t *p)
{
	free(p->values);
	p->values = NULL;
	p->nvalues = 0;
}

int stix_pattern_of(const obs_t *o, char *buf, size_t size)
{
	static const char *const paths[OBS_NTYPES] = {
		[OBS_IPV4] = "ipv4-addr:value", [OBS_IPV6] = "ipv6-addr:value",
		[OBS_DOMAIN] = "domain-name:value", [OBS_URL] = "url:value",
		[OBS_EMAIL] = "email-addr:value", [OBS_MD5] = "file:hashes.MD5",
		[OBS_SHA1] = "file:hashes.'SHA-1'", [OBS_SHA256] = "file:hashes.'SHA-256'",
		[OBS_ASN] = "autonomous-system:number"};
	if ((unsigned)o->type >= OBS_NTYPES || !paths[o->type])
		return -1;
	if (o->type == OBS_ASN) {
		int n = snprintf(buf, size, "[%s = %u]", paths[o->type], o->asn);
		return n < 0 || (size_t)n >= size ? -1 : 0;
	}
	int n = snprintf(buf, size, "[%s = '", paths[o->type]);
	if (n < 0 || (size_t)n >= size)
		return -1;
	size_t k = (size_t)n;
	for (size_t i = 0; i < o->len; i++) {
		char c = o->value[i];
		if (k + 3 >= size)
			return -1;
		if (c == '\'' || c == '\\')
			buf[k++] = '\\';
		buf[k++] = c;
	}
	if (k + 3 > size)
		return -1;
	memcpy(buf + k, "']", 3);
	return 0;
}
