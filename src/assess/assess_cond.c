/* assess_cond.c — conditions on earlier answers (the grammar is in
 * assess.h): parsed once into a small tree with a depth and size limit,
 * evaluated against an assessment's answers.  Parses untrusted text
 * defensively (fuzz/fuzz_assess.c). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"

#define COND_DEPTH 32
#define COND_NODES 256

typedef enum { N_OR, N_AND, N_NOT, N_CMP, N_REF, N_STR, N_SEL, N_COUNT } kind_t;
typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } op_t;

typedef struct node {
	kind_t kind;
	op_t op;
	long ref;  /* N_REF, N_SEL, N_COUNT: question index */
	char *str; /* N_STR, N_SEL: the literal */
	struct node *a, *b;
} node_t;

struct assess_cond {
	node_t *root;
};

typedef struct {
	const char *s;
	size_t pos;
	int depth, nodes;
	assess_find_fn find;
	void *arg;
	char *err;
	size_t errlen;
	int failed;
} P;

static void node_free(node_t *n)
{
	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->str);
	free(n);
}

static node_t *fail(P *p, const char *msg)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "at %zu: %s", p->pos + 1, msg);
	p->failed = 1;
	return NULL;
}

static node_t *mk(P *p, kind_t k)
{
	if (++p->nodes > COND_NODES)
		return fail(p, "condition too long");
	node_t *n = calloc(1, sizeof *n);
	if (!n)
		return fail(p, "out of memory");
	n->kind = k;
	n->ref = -1;
	return n;
}

static void ws(P *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
	       p->s[p->pos] == '\r')
		p->pos++;
}

/* A keyword (a whole word) at the cursor: consumed, 1. */
static int kw(P *p, const char *w)
{
	size_t n = strlen(w);
	ws(p);
	if (strncmp(p->s + p->pos, w, n))
		return 0;
	char c = p->s[p->pos + n];
	if (isalnum((unsigned char)c) || c == '_' || c == '-')
		return 0;
	p->pos += n;
	return 1;
}

static int ch(P *p, char c)
{
	ws(p);
	if (p->s[p->pos] != c)
		return 0;
	p->pos++;
	return 1;
}

/* ${ID} -> question index */
static long ref(P *p)
{
	char id[ASSESS_ID_MAX + 1];
	size_t n = 0, start;
	ws(p);
	start = p->pos;
	if (strncmp(p->s + p->pos, "${", 2))
		return fail(p, "expected ${question}"), -1;
	p->pos += 2;
	while (p->s[p->pos] && p->s[p->pos] != '}') {
		if (n >= ASSESS_ID_MAX)
			return fail(p, "question id too long"), -1;
		id[n++] = p->s[p->pos++];
	}
	id[n] = '\0';
	if (p->s[p->pos] != '}')
		return fail(p, "unterminated ${"), -1;
	p->pos++;
	long k = p->find(p->arg, id);
	if (k < 0) {
		char m[ASSESS_ID_MAX + 64];
		snprintf(m, sizeof m, "no earlier question '%s'", id);
		p->pos = start;
		return fail(p, m), -1;
	}
	return k;
}

static char *strlit(P *p)
{
	ws(p);
	char q = p->s[p->pos];
	if (q != '\'' && q != '"')
		return fail(p, "expected a quoted string"), NULL;
	size_t start = ++p->pos;
	while (p->s[p->pos] && p->s[p->pos] != q)
		p->pos++;
	if (!p->s[p->pos])
		return fail(p, "unterminated string"), NULL;
	size_t n = p->pos - start;
	p->pos++;
	char *r = malloc(n + 1);
	if (!r)
		return fail(p, "out of memory"), NULL;
	memcpy(r, p->s + start, n);
	r[n] = '\0';
	return r;
}

static node_t *expr(P *p);

static node_t *term(P *p)
{
	node_t *n;
	ws(p);
	const char *c = p->s + p->pos;
	if (ch(p, '(')) {
		if (!(n = expr(p)))
			return NULL;
		if (!ch(p, ')')) {
			node_free(n);
			return fail(p, "expected ')'");
		}
		return n;
	}
	if (*c == '$') {
		long k = ref(p);
		if (k < 0 || !(n = mk(p, N_REF)))
			return NULL;
		n->ref = k;
		return n;
	}
	if (*c == '\'' || *c == '"') {
		char *s = strlit(p);
		if (!s)
			return NULL;
		if (!(n = mk(p, N_STR))) {
			free(s);
			return NULL;
		}
		n->str = s;
		return n;
	}
	if (isdigit((unsigned char)*c) || (*c == '-' && isdigit((unsigned char)c[1])) || *c == '.') {
		size_t start = p->pos++;
		while (isdigit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.')
			p->pos++;
		if (!(n = mk(p, N_STR)))
			return NULL;
		if (!(n->str = strndup(p->s + start, p->pos - start))) {
			node_free(n);
			return fail(p, "out of memory");
		}
		return n;
	}
	int sel = kw(p, "selected"), cnt = !sel && kw(p, "count-selected");
	if (sel || cnt) {
		if (!ch(p, '('))
			return fail(p, "expected '('");
		long k = ref(p);
		if (k < 0)
			return NULL;
		if (!(n = mk(p, sel ? N_SEL : N_COUNT)))
			return NULL;
		n->ref = k;
		if (sel && (!ch(p, ',') || !(n->str = strlit(p)))) {
			node_free(n);
			return fail(p, "selected(${q}, 'value') expected");
		}
		if (!ch(p, ')')) {
			node_free(n);
			return fail(p, "expected ')'");
		}
		return n;
	}
	return fail(p, *c ? "expected ${question}, a string, a number or '('" : "unexpected end");
}

static node_t *cmp(P *p)
{
	static const struct { const char *t; op_t op; } ops[] = {
		{"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"=", OP_EQ}, {"<", OP_LT}, {">", OP_GT},
	};
	node_t *a = term(p), *n;
	if (!a)
		return NULL;
	ws(p);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (!strncmp(p->s + p->pos, ops[i].t, strlen(ops[i].t))) {
			p->pos += strlen(ops[i].t);
			node_t *b = term(p);
			if (!b || !(n = mk(p, N_CMP))) {
				node_free(a);
				node_free(b);
				return NULL;
			}
			n->op = ops[i].op;
			n->a = a;
			n->b = b;
			return n;
		}
	return a;
}

static node_t *not_(P *p)
{
	if (kw(p, "not")) {
		if (++p->depth > COND_DEPTH)
			return fail(p, "nested too deeply");
		node_t *a = not_(p), *n;
		p->depth--;
		if (!a)
			return NULL;
		if (!(n = mk(p, N_NOT))) {
			node_free(a);
			return NULL;
		}
		n->a = a;
		return n;
	}
	return cmp(p);
}

static node_t *bin(P *p, int is_and)
{
	node_t *a = is_and ? not_(p) : bin(p, 1), *n;
	if (!a)
		return NULL;
	while (kw(p, is_and ? "and" : "or")) {
		node_t *b = is_and ? not_(p) : bin(p, 1);
		if (!b || !(n = mk(p, is_and ? N_AND : N_OR))) {
			node_free(a);
			node_free(b);
			return NULL;
		}
		n->a = a;
		n->b = b;
		a = n;
	}
	return a;
}

static node_t *expr(P *p)
{
	if (++p->depth > COND_DEPTH)
		return fail(p, "nested too deeply");
	node_t *n = bin(p, 0);
	p->depth--;
	return n;
}

int assess_cond_parse(const char *text, assess_find_fn find, void *arg, assess_cond_t **out,
		      char *err, size_t errlen)
{
	P p = {.s = text, .find = find, .arg = arg, .err = err, .errlen = errlen};
	*out = NULL;
	if (strlen(text) > ASSESS_COND_MAX) {
		snprintf(err, errlen, "longer than %d characters", ASSESS_COND_MAX);
		return -1;
	}
	node_t *n = expr(&p);
	if (n) {
		ws(&p);
		if (p.s[p.pos]) {
			node_free(n);
			n = fail(&p, "unexpected text");
		}
	}
	if (!n) {
		if (!p.failed)
			snprintf(err, errlen, "bad condition");
		return -1;
	}
	if (!(*out = malloc(sizeof **out))) {
		node_free(n);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	(*out)->root = n;
	return 0;
}

void assess_cond_free(assess_cond_t *c)
{
	if (c) {
		node_free(c->root);
		free(c);
	}
}

/* Is item one of the comma-separated values of list? */
static int listed(const char *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *s = list; *s;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && !strncmp(s, item, n))
			return 1;
		if (!e)
			break;
		s = e + 1;
	}
	return 0;
}

static int is_num(const char *s, double *v)
{
	char *e;
	if (!*s)
		return 0;
	*v = strtod(s, &e);
	return *e == '\0';
}

/* The value of a leaf, as text in buf. */
static const char *val(const node_t *n, const char *const *vals, char *buf, size_t size)
{
	switch (n->kind) {
	case N_REF:
		return vals[n->ref] ? vals[n->ref] : "";
	case N_STR:
		return n->str;
	case N_COUNT: {
		long k = 0;
		const char *v = vals[n->ref];
		if (v && *v)
			for (k = 1; *v; v++)
				k += *v == ',';
		snprintf(buf, size, "%ld", k);
		return buf;
	}
	default:
		snprintf(buf, size, "%d", assess_cond_eval(&(assess_cond_t){(node_t *)n}, vals));
		return buf;
	}
}

int assess_cond_eval(const assess_cond_t *c, const char *const *vals)
{
	const node_t *n = c->root;
	switch (n->kind) {
	case N_OR:
		return assess_cond_eval(&(assess_cond_t){n->a}, vals) ||
		       assess_cond_eval(&(assess_cond_t){n->b}, vals);
	case N_AND:
		return assess_cond_eval(&(assess_cond_t){n->a}, vals) &&
		       assess_cond_eval(&(assess_cond_t){n->b}, vals);
	case N_NOT:
		return !assess_cond_eval(&(assess_cond_t){n->a}, vals);
	case N_SEL:
		return vals[n->ref] && listed(vals[n->ref], n->str);
	case N_CMP: {
		char ba[32], bb[32];
		const char *a = val(n->a, vals, ba, sizeof ba), *b = val(n->b, vals, bb, sizeof bb);
		double x, y;
		int d = is_num(a, &x) && is_num(b, &y) ? (x > y) - (x < y) : strcmp(a, b);
		switch (n->op) {
		case OP_EQ: return d == 0;
		case OP_NE: return d != 0;
		case OP_LT: return d < 0;
		case OP_LE: return d <= 0;
		case OP_GT: return d > 0;
		case OP_GE: return d >= 0;
		}
		return 0;
	}
	case N_REF: /* a bare reference: answered and not "no" / "0" */
	case N_STR:
	case N_COUNT: {
		char b[32];
		const char *v = val(n, vals, b, sizeof b);
		return *v && strcmp(v, "no") && strcmp(v, "0");
	}
	}
	return 0;
}
