/* tpl.c — HTML templates over jansson values (see tpl.h). */
#include "web/tpl.h"

#include <stdio.h>
#include <string.h>

#define TPL_DEPTH 16 /* nested sections */

/* ---- the tag scanner, shared by the check and the renderer ---- */

typedef struct {
	char kind;         /* 0 text, 'v' value, '&' raw, '#', '^', '/', '_', '!' */
	const char *s;     /* text, or the tag's argument (trimmed) */
	size_t n;
} tok_t;

/* The token at *p; advances *p.  0 at the end, 1, or -1 (an unclosed tag). */
static int next_tok(const char **p, tok_t *t)
{
	const char *s = *p, *o = strstr(s, "{{");
	if (!*s)
		return 0;
	if (o != s) {
		t->kind = 0;
		t->s = s;
		t->n = o ? (size_t)(o - s) : strlen(s);
		*p = s + t->n;
		return 1;
	}
	const char *c = strstr(s + 2, "}}");
	if (!c)
		return -1;
	const char *a = s + 2;
	t->kind = strchr("&#^/_!", *a) && *a ? *a++ : 'v';
	while (a < c && *a == ' ')
		a++;
	const char *e = c;
	while (e > a && e[-1] == ' ')
		e--;
	t->s = a;
	t->n = (size_t)(e - a);
	*p = c + 2;
	return 1;
}

static int name_ok(const tok_t *t)
{
	if (t->n == 0)
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		char ch = t->s[i];
		if (!(ch == '.' || ch == '_' || ch == '-' || (ch >= 'a' && ch <= 'z') ||
		      (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return 0;
	}
	return 1;
}

static int line_of(const char *src, const char *at)
{
	int line = 1;
	for (const char *q = src; q < at; q++)
		line += *q == '\n';
	return line;
}

int tpl_check(const char *name, const char *src, char *err, size_t errlen)
{
	tok_t open[TPL_DEPTH], t;
	int depth = 0, r;
	const char *p = src, *at = src;
	while ((r = next_tok(&p, &t)) > 0) {
		int line = line_of(src, at);
		at = p;
		switch (t.kind) {
		case 0: case '!': case '_':
			if (t.kind == '_' && t.n == 0)
				return snprintf(err, errlen, "%s:%d: {{_ }} without text", name, line), -1;
			break;
		case 'v': case '&':
			if (!name_ok(&t))
				return snprintf(err, errlen, "%s:%d: bad name '{{%.*s}}'", name, line, (int)t.n, t.s), -1;
			break;
		case '#': case '^':
			if (!name_ok(&t))
				return snprintf(err, errlen, "%s:%d: bad section name '%.*s'", name, line, (int)t.n, t.s), -1;
			if (depth == TPL_DEPTH)
				return snprintf(err, errlen, "%s:%d: sections nested too deep", name, line), -1;
			open[depth++] = t;
			break;
		case '/':
			if (!depth || open[depth - 1].n != t.n || memcmp(open[depth - 1].s, t.s, t.n))
				return snprintf(err, errlen, "%s:%d: {{/%.*s}} closes %s%.*s", name, line, (int)t.n,
						t.s, depth ? "" : "nothing", depth ? (int)open[depth - 1].n : 0,
						depth ? open[depth - 1].s : ""), -1;
			depth--;
			break;
		}
	}
	if (r < 0)
		return snprintf(err, errlen, "%s:%d: '{{' without '}}'", name, line_of(src, at)), -1;
	if (depth)
		return snprintf(err, errlen, "%s: {{%c%.*s}} is never closed", name, open[depth - 1].kind,
				(int)open[depth - 1].n, open[depth - 1].s), -1;
	return 0;
}

/* ---- rendering ---- */

void tpl_escape(util_buf_t *out, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		util_buf_add(out, s + from, i - from);
		util_buf_add(out, rep, strlen(rep));
		from = i + 1;
	}
	util_buf_add(out, s + from, n - from);
}

typedef struct {
	json_t *stack[TPL_DEPTH + 1];
	int depth;
	const i18n_lang_t *lang;
	util_buf_t *out;
} rd_t;

/* A dotted name in the innermost context that has its first part. */
static json_t *lookup(const rd_t *x, const char *s, size_t n)
{
	if (n == 1 && *s == '.')
		return x->stack[x->depth];
	size_t first = strcspn(s, ".");
	if (first > n)
		first = n;
	char key[128];
	json_t *v = NULL;
	snprintf(key, sizeof key, "%.*s", (int)(first < sizeof key - 1 ? first : sizeof key - 1), s);
	for (int d = x->depth; d >= 0 && !v; d--)
		v = json_object_get(x->stack[d], key);
	for (size_t at = first; v && at < n;) {
		size_t k = strcspn(s + at + 1, ".");
		if (at + 1 + k > n)
			k = n - at - 1;
		snprintf(key, sizeof key, "%.*s", (int)(k < sizeof key - 1 ? k : sizeof key - 1), s + at + 1);
		v = json_object_get(v, key);
		at += 1 + k;
	}
	return v;
}

static int truthy(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return 1;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0;
	case JSON_TRUE: return 1;
	default: return 0;
	}
}

static void value(rd_t *x, json_t *v, int raw)
{
	char num[48];
	const char *s = NULL;
	size_t n = 0;
	if (json_is_string(v)) {
		s = json_string_value(v);
		n = json_string_length(v);
	} else if (json_is_integer(v)) {
		n = (size_t)snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
		s = num;
	} else if (json_is_real(v)) {
		n = (size_t)snprintf(num, sizeof num, "%g", json_real_value(v));
		s = num;
	} else if (json_is_true(v)) {
		s = "true";
		n = 4;
	}
	if (!s)
		return;
	if (raw)
		util_buf_add(x->out, s, n);
	else
		tpl_escape(x->out, s, n);
}

/* The end of the section opened just before p (its closing tag's start)
 * and the position after the closing tag. */
static const char *section_end(const char *p, const tok_t *open, const char **after)
{
	int depth = 1;
	tok_t t;
	const char *at = p;
	while (next_tok(&p, &t) > 0) {
		if (t.kind == '#' || t.kind == '^')
			depth++;
		else if (t.kind == '/' && --depth == 0 && t.n == open->n && !memcmp(t.s, open->s, t.n)) {
			*after = p;
			return at;
		}
		at = p;
	}
	*after = p;
	return p;
}

static void render(rd_t *x, const char *p, const char *end);

static void section(rd_t *x, const tok_t *t, const char *body, const char *end)
{
	json_t *v = lookup(x, t->s, t->n);
	if (t->kind == '^') {
		if (!truthy(v))
			render(x, body, end);
		return;
	}
	if (!truthy(v) || x->depth == TPL_DEPTH)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			x->stack[++x->depth] = e;
			render(x, body, end);
			x->depth--;
		}
	} else if (json_is_object(v)) {
		x->stack[++x->depth] = v;
		render(x, body, end);
		x->depth--;
	} else {
		render(x, body, end);
	}
}

static void render(rd_t *x, const char *p, const char *end)
{
	tok_t t;
	while (p < end && next_tok(&p, &t) > 0) {
		switch (t.kind) {
		case 0:
			util_buf_add(x->out, t.s, (size_t)(t.s + t.n <= end ? t.n : (size_t)(end - t.s)));
			break;
		case 'v': case '&':
			value(x, lookup(x, t.s, t.n), t.kind == '&');
			break;
		case '_': {
			const char *tr = i18n_get(x->lang, t.s, t.n);
			tpl_escape(x->out, tr ? tr : t.s, tr ? strlen(tr) : t.n);
			break;
		}
		case '#': case '^': {
			const char *after, *stop = section_end(p, &t, &after);
			section(x, &t, p, stop);
			p = after;
			break;
		}
		default: /* '!' and a stray '/' (tpl_check refuses the latter) */
			break;
		}
	}
}

void tpl_render(const char *src, json_t *ctx, const i18n_lang_t *lang, util_buf_t *out)
{
	rd_t x = {.stack = {ctx}, .lang = lang, .out = out};
	render(&x, src, src + strlen(src));
}
