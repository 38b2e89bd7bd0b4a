/* i18n.c — message catalogues from .po text, looked up by msgid (i18n.h). */
#include "web/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"

typedef struct {
	char *id, *str;
	size_t idn;
} msg_t;

struct i18n_lang {
	char code[8];
	msg_t *m;
	size_t n, cap;
};

/* ---- .po parsing ---- */

/* The C-style string literal at s ("..."), unescaped, appended to b; the
 * position after it, or NULL when it is not one. */
static const char *po_string(const char *s, util_buf_t *b)
{
	if (*s != '"')
		return NULL;
	for (s++; *s && *s != '"'; s++) {
		char c = *s;
		if (c == '\\') {
			switch (*++s) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default: return NULL;
			}
		} else if ((unsigned char)c < 0x20) {
			return NULL;
		}
		util_buf_add(b, &c, 1);
	}
	if (*s != '"')
		return NULL;
	s++;
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return *s ? NULL : s;
}

static int by_id(const void *a, const void *b)
{
	const msg_t *x = a, *y = b;
	size_t n = x->idn < y->idn ? x->idn : y->idn;
	int c = memcmp(x->id, y->id, n);
	return c ? c : (x->idn > y->idn) - (x->idn < y->idn);
}

static int add(i18n_lang_t *l, util_buf_t *id, util_buf_t *str, int fuzzy)
{
	if (!id->data || !id->len || !str->data || !str->len || fuzzy) { /* header, untranslated */
		free(id->data);
		free(str->data);
		return 0;
	}
	if (util_grow(&l->m, &l->cap, l->n + 1, sizeof *l->m, 64)) {
		free(id->data);
		free(str->data);
		return -1;
	}
	l->m[l->n++] = (msg_t){.id = id->data, .idn = id->len, .str = str->data};
	return 0;
}

i18n_lang_t *i18n_parse(const char *code, const char *po, const char *name, char *err, size_t errlen)
{
	i18n_lang_t *l = calloc(1, sizeof *l);
	util_buf_t id = {0}, str = {0}, *cur = NULL;
	int line = 0, fuzzy = 0, next_fuzzy = 0, state = 0; /* 0 none, 1 in msgid, 2 in msgstr */
	char text[4096];
	if (!l)
		return snprintf(err, errlen, "%s: out of memory", name), NULL;
	snprintf(l->code, sizeof l->code, "%s", code);
	for (const char *p = po; *p;) {
		size_t n = strcspn(p, "\n");
		line++;
		if (n >= sizeof text) {
			snprintf(err, errlen, "%s:%d: line too long", name, line);
			goto fail;
		}
		memcpy(text, p, n);
		text[n] = '\0';
		p += n + (p[n] == '\n');
		char *s = text;
		if (line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
			s += 3;
		while (*s == ' ' || *s == '\t')
			s++;
		const char *rest = NULL;
		if (*s == '\0' || *s == '\r' || *s == '#') {
			if (!strncmp(s, "#,", 2) && strstr(s, "fuzzy"))
				next_fuzzy = 1;
			continue;
		}
		if (!strncmp(s, "msgid ", 6)) {
			if (state == 1) {
				snprintf(err, errlen, "%s:%d: msgid without msgstr", name, line);
				goto fail;
			}
			int bad = state == 2 && add(l, &id, &str, fuzzy); /* id, str: taken or freed */
			id = (util_buf_t){0};
			str = (util_buf_t){0};
			if (bad)
				goto oom;
			util_buf_add(&id, "", 0);
			fuzzy = next_fuzzy;
			next_fuzzy = 0;
			cur = &id;
			state = 1;
			rest = po_string(s + 6, cur);
		} else if (!strncmp(s, "msgstr ", 7) && state == 1) {
			util_buf_add(&str, "", 0);
			cur = &str;
			state = 2;
			rest = po_string(s + 7, cur);
		} else if (*s == '"' && state) {
			rest = po_string(s, cur);
		} else {
			snprintf(err, errlen, "%s:%d: expected msgid, msgstr or a \"string\" (msgctxt and "
				 "plural forms are not used)", name, line);
			goto fail;
		}
		if (!rest) {
			snprintf(err, errlen, "%s:%d: bad string (quotes, or an escape other than \\n \\t \\\" \\\\)",
				 name, line);
			goto fail;
		}
		if (id.oom || str.oom)
			goto oom;
	}
	if (state == 1) {
		snprintf(err, errlen, "%s:%d: msgid without msgstr", name, line);
		goto fail;
	}
	if (state == 2) {
		state = 0; /* id, str: taken or freed */
		if (add(l, &id, &str, fuzzy))
			goto oom;
	}
	if (l->n)
		qsort(l->m, l->n, sizeof *l->m, by_id);
	for (size_t i = 1; i < l->n; i++)
		if (!by_id(&l->m[i - 1], &l->m[i])) {
			snprintf(err, errlen, "%s: msgid \"%.60s\" twice", name, l->m[i].id);
			i18n_free(l);
			return NULL;
		}
	return l;
oom:
	snprintf(err, errlen, "%s: out of memory", name);
fail:
	if (state) {
		free(id.data);
		free(str.data);
	}
	i18n_free(l);
	return NULL;
}

void i18n_free(i18n_lang_t *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->m[i].id);
		free(l->m[i].str);
	}
	free(l->m);
	free(l);
}

const char *i18n_get(const i18n_lang_t *l, const char *msgid, size_t n)
{
	if (!l || !l->n)
		return NULL;
	msg_t key = {.id = (char *)msgid, .idn = n};
	const msg_t *m = bsearch(&key, l->m, l->n, sizeof *l->m, by_id);
	return m ? m->str : NULL;
}

const char *i18n_code(const i18n_lang_t *l)
{
	return l ? l->code : "en";
}

const char *i18n_dir(const i18n_lang_t *l)
{
	static const char *const rtl[] = {"ar", "he", "fa", "ur"};
	for (size_t i = 0; l && i < sizeof rtl / sizeof *rtl; i++)
		if (!strcmp(l->code, rtl[i]))
			return "rtl";
	return "ltr";
}

size_t i18n_count(const i18n_lang_t *l)
{
	return l ? l->n : 0;
}

/* ---- the built-in catalogues: parsed once, then only read ---- */

extern const char data_po_fr_po[], data_po_ar_po[];
static const struct {
	const char *code, *po;
} builtin[] = {{"fr", data_po_fr_po}, {"ar", data_po_ar_po}};
#define NBUILTIN (sizeof builtin / sizeof *builtin)
static const char *const codes[] = {"en", "fr", "ar", NULL};

static struct {
	pthread_once_t once;
	i18n_lang_t *lang[NBUILTIN];
	char err[256];
	int failed;
} cat = {.once = PTHREAD_ONCE_INIT};

static void load(void)
{
	for (size_t i = 0; i < NBUILTIN; i++) {
		char name[32];
		snprintf(name, sizeof name, "data/po/%s.po", builtin[i].code);
		if (!(cat.lang[i] = i18n_parse(builtin[i].code, builtin[i].po, name, cat.err, sizeof cat.err)))
			cat.failed = 1;
	}
}

int i18n_init(char *err, size_t errlen)
{
	pthread_once(&cat.once, load);
	if (cat.failed)
		return snprintf(err, errlen, "%s", cat.err), -1;
	return 0;
}

void i18n_done(void)
{
	/* the catalogues live as long as the process; nothing to do until a
	 * reload exists (kept for symmetry with i18n_init) */
}

const i18n_lang_t *i18n_find(const char *code)
{
	pthread_once(&cat.once, load);
	for (size_t i = 0; code && i < NBUILTIN; i++)
		if (cat.lang[i] && !strcasecmp(code, builtin[i].code))
			return cat.lang[i];
	return NULL;
}

const char *const *i18n_codes(void)
{
	return codes;
}

const i18n_lang_t *i18n_accept(const char *h)
{
	const i18n_lang_t *best = NULL;
	double bestq = 0;
	while (h && *h) {
		size_t n = strcspn(h, ",");
		char item[64], tag[16];
		snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item - 1 ? n : sizeof item - 1), h);
		h += n + (h[n] == ',');
		double q = 1;
		char *semi = strchr(item, ';');
		if (semi) {
			*semi = '\0';
			char *qs = strstr(semi + 1, "q=");
			q = qs ? strtod(qs + 2, NULL) : 1;
		}
		const char *t = item + strspn(item, " ");
		size_t tl = strcspn(t, "- ;");
		snprintf(tag, sizeof tag, "%.*s", (int)(tl < sizeof tag - 1 ? tl : sizeof tag - 1), t);
		if (!(q > bestq))
			continue;
		if (!strcasecmp(tag, "en") || i18n_find(tag)) { /* English: no catalogue */
			best = i18n_find(tag);
			bestq = q;
		}
	}
	return best;
}
