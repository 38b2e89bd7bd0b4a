/* case_lifecycle.c — the case lifecycle as data: parsing and checking
 * data/lifecycle.conf's syntax (states, transitions, final states, the
 * ones needing a resolution), and the questions case.c asks of it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"

extern const char data_lifecycle_conf[];

#define LC_MAX 32

struct case_lifecycle {
	int n, initial;
	char name[LC_MAX][CASE_STATE_MAX + 1];
	const char *names[LC_MAX + 1];
	const char *finals[LC_MAX + 1];
	unsigned char final[LC_MAX], resolution[LC_MAX];
	uint32_t next[LC_MAX]; /* bit j: i -> j allowed */
};

static int lc_find(const case_lifecycle_t *lc, const char *s)
{
	for (int i = 0; s && i < lc->n; i++)
		if (!strcmp(lc->name[i], s))
			return i;
	return -1;
}

static int lc_name_ok(const char *s)
{
	if (!*s || strlen(s) > CASE_STATE_MAX || !islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* Next word of *p (white space separated) into w; 0 at the end. */
static int lc_word(const char **p, char *w, size_t n, int *toolong)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return 0;
	size_t k = 0;
	while (*s && *s != ' ' && *s != '\t') {
		if (k + 1 < n)
			w[k++] = *s;
		else
			*toolong = 1;
		s++;
	}
	w[k] = '\0';
	*p = s;
	return 1;
}

case_lifecycle_t *case_lifecycle_parse(const char *text, size_t len, const char *name, char *err,
				       size_t errlen)
{
	case_lifecycle_t *lc = calloc(1, sizeof *lc);
	char line[512], w[64], from[64];
	int lno = 0, toolong = 0, ntrans = 0;
	size_t pos = 0;
	if (!lc) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	lc->initial = -1;
	while (pos < len) {
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		size_t ll = e - pos;
		lno++;
		if (ll >= sizeof line) {
			snprintf(err, errlen, "%s:%d: line longer than %zu bytes", name, lno, sizeof line - 1);
			goto fail;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos = e + 1;
		if (memchr(line, '\0', ll)) {
			snprintf(err, errlen, "%s:%d: a NUL byte", name, lno);
			goto fail;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (char *c = line; *c; c++)
			if (*c == '\r')
				*c = ' ';
		const char *p = line;
		if (!lc_word(&p, w, sizeof w, &toolong))
			continue;
		if (toolong) {
			snprintf(err, errlen, "%s:%d: a word longer than %d bytes", name, lno, CASE_STATE_MAX);
			goto fail;
		}
		if (!strcmp(w, "state")) {
			if (!lc_word(&p, w, sizeof w, &toolong) || toolong || !lc_name_ok(w)) {
				snprintf(err, errlen, "%s:%d: state: give a name (a-z, 0-9, - or _, "
					 "starting with a letter, up to %d)", name, lno, CASE_STATE_MAX);
				goto fail;
			}
			if (lc_find(lc, w) >= 0) {
				snprintf(err, errlen, "%s:%d: state '%s' declared twice", name, lno, w);
				goto fail;
			}
			if (ntrans) {
				snprintf(err, errlen, "%s:%d: states come before the transitions", name, lno);
				goto fail;
			}
			if (lc->n == LC_MAX) {
				snprintf(err, errlen, "%s:%d: more than %d states", name, lno, LC_MAX);
				goto fail;
			}
			int i = lc->n++;
			snprintf(lc->name[i], sizeof lc->name[i], "%s", w);
			while (lc_word(&p, w, sizeof w, &toolong)) {
				if (!strcmp(w, "initial")) {
					if (lc->initial >= 0) {
						snprintf(err, errlen, "%s:%d: a second initial state ('%s' is one)",
							 name, lno, lc->name[lc->initial]);
						goto fail;
					}
					lc->initial = i;
				} else if (!strcmp(w, "final")) {
					lc->final[i] = 1;
				} else if (!strcmp(w, "resolution")) {
					lc->resolution[i] = 1;
				} else {
					snprintf(err, errlen, "%s:%d: unknown flag '%.32s' (initial, final, "
						 "resolution)", name, lno, w);
					goto fail;
				}
			}
			continue;
		}
		snprintf(from, sizeof from, "%s", w);
		int f = lc_find(lc, from);
		if (!lc_word(&p, w, sizeof w, &toolong) || strcmp(w, "->")) {
			snprintf(err, errlen, "%s:%d: expected 'state NAME' or 'FROM -> TO...'", name, lno);
			goto fail;
		}
		if (f < 0) {
			snprintf(err, errlen, "%s:%d: unknown state '%.32s'", name, lno, from);
			goto fail;
		}
		int any = 0;
		while (lc_word(&p, w, sizeof w, &toolong)) {
			int t = lc_find(lc, w);
			if (t < 0 || toolong) {
				snprintf(err, errlen, "%s:%d: unknown state '%.32s'", name, lno, w);
				goto fail;
			}
			if (t == f) {
				snprintf(err, errlen, "%s:%d: '%s' -> itself", name, lno, w);
				goto fail;
			}
			lc->next[f] |= 1u << t;
			any = 1;
		}
		if (!any) {
			snprintf(err, errlen, "%s:%d: '%s ->' names no state", name, lno, from);
			goto fail;
		}
		ntrans++;
	}
	if (!lc->n) {
		snprintf(err, errlen, "%s: no states", name);
		goto fail;
	}
	if (lc->initial < 0) {
		snprintf(err, errlen, "%s: no initial state (state NAME initial)", name);
		goto fail;
	}
	if (lc->final[lc->initial]) {
		snprintf(err, errlen, "%s: the initial state '%s' cannot be final", name,
			 lc->name[lc->initial]);
		goto fail;
	}
	int nf = 0;
	for (int i = 0; i < lc->n; i++) {
		lc->names[i] = lc->name[i];
		if (lc->final[i])
			lc->finals[nf++] = lc->name[i];
	}
	if (!nf) {
		snprintf(err, errlen, "%s: no final state (state NAME final)", name);
		goto fail;
	}
	/* every state reachable from the initial one */
	uint32_t seen = 1u << lc->initial, grow;
	do {
		grow = seen;
		for (int i = 0; i < lc->n; i++)
			if (seen & (1u << i))
				grow |= lc->next[i];
		if (grow == seen)
			break;
		seen = grow;
	} while (1);
	for (int i = 0; i < lc->n; i++)
		if (!(seen & (1u << i))) {
			snprintf(err, errlen, "%s: state '%s' cannot be reached from '%s'", name,
				 lc->name[i], lc->name[lc->initial]);
			goto fail;
		}
	return lc;
fail:
	free(lc);
	return NULL;
}

static case_lifecycle_t *lc_default;

const case_lifecycle_t *case_lifecycle_default(void)
{
	/* the built-in text is checked by the tests; parsed once per process */
	static case_lifecycle_t *once;
	if (!__atomic_load_n(&once, __ATOMIC_ACQUIRE)) {
		char err[256];
		case_lifecycle_t *lc = case_lifecycle_parse(data_lifecycle_conf, strlen(data_lifecycle_conf),
							    "data/lifecycle.conf (built in)", err, sizeof err);
		if (!lc) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		case_lifecycle_t *exp = NULL;
		if (!__atomic_compare_exchange_n(&once, &exp, lc, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			free(lc);
		lc_default = once;
	}
	return once;
}

case_lifecycle_t *case_lifecycle_load(store_t *st, char *err, size_t errlen)
{
	char *text = malloc(16384);
	case_lifecycle_t *lc = NULL;
	if (!text) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	int rc = store_setting_get(st, "case_lifecycle", text, 16384);
	if (rc == STORE_ENOTFOUND || (!rc && !*text))
		lc = (case_lifecycle_t *)case_lifecycle_default();
	else if (rc)
		snprintf(err, errlen, "case_lifecycle: %s", store_errmsg(st));
	else
		lc = case_lifecycle_parse(text, strlen(text), "setting case_lifecycle", err, errlen);
	free(text);
	return lc;
}

void case_lifecycle_free(case_lifecycle_t *lc)
{
	if (lc && lc != lc_default)
		free(lc);
}

const char *case_lifecycle_initial(const case_lifecycle_t *lc)
{
	return lc->name[lc->initial];
}

int case_lifecycle_has(const case_lifecycle_t *lc, const char *state)
{
	return lc_find(lc, state) >= 0;
}

int case_lifecycle_allowed(const case_lifecycle_t *lc, const char *from, const char *to)
{
	int f = lc_find(lc, from), t = lc_find(lc, to);
	return f >= 0 && t >= 0 && (lc->next[f] & (1u << t));
}

int case_lifecycle_final(const case_lifecycle_t *lc, const char *state)
{
	int i = lc_find(lc, state);
	return i >= 0 && lc->final[i];
}

int case_lifecycle_resolution(const case_lifecycle_t *lc, const char *state)
{
	int i = lc_find(lc, state);
	return i >= 0 && lc->resolution[i];
}

size_t case_lifecycle_states(const case_lifecycle_t *lc, const char *const **names)
{
	*names = lc->names;
	return (size_t)lc->n;
}

const char *const *case_lifecycle_finals(const case_lifecycle_t *lc)
{
	return lc->finals;
}

const char *case_lifecycle_next(const case_lifecycle_t *lc, const char *from, char *buf, size_t n)
{
	int f = lc_find(lc, from);
	size_t k = 0;
	buf[0] = '\0';
	for (int i = 0; f >= 0 && i < lc->n; i++)
		if (lc->next[f] & (1u << i))
			k += (size_t)snprintf(buf + (k < n ? k : n - 1), k < n ? n - k : 1, "%s%s",
					      k ? ", " : "", lc->name[i]);
	if (!buf[0])
		snprintf(buf, n, "none");
	return buf;
}

/* The states cases are in that lc does not declare, found a state at a
 * time: the cases whose state is none of lc's nor of those found so far. */
typedef struct {
	char name[CASE_STATE_MAX + 1];
	int found;
} undeclared_t;

static int undeclared_cb(void *arg, const store_case_t *c)
{
	undeclared_t *u = arg;
	snprintf(u->name, sizeof u->name, "%s", c->status);
	u->found = 1;
	return 1;
}

int case_lifecycle_use(store_t *st, const char *text, const char *name, char *err, size_t errlen)
{
	case_lifecycle_t *lc = text ? case_lifecycle_parse(text, strlen(text), name, err, errlen)
				    : (case_lifecycle_t *)case_lifecycle_default();
	if (!lc)
		return CASE_EINVAL;
	char found[LC_MAX][CASE_STATE_MAX + 1];
	const char *ex[LC_MAX + 1];
	int nex = 0, nfound = 0, rc = 0;
	for (int i = 0; i < lc->n; i++)
		ex[nex++] = lc->name[i];
	for (;;) {
		undeclared_t u = {0};
		ex[nex] = NULL;
		store_case_filter_t f = {.open = 1, .finals = ex, .limit = 1, .view = TLP_VIEW_ALL};
		if (store_case_list(st, &f, undeclared_cb, &u)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			rc = CASE_ERR;
			goto done;
		}
		if (!u.found)
			break;
		snprintf(found[nfound++], sizeof found[0], "%s", u.name);
		if (nex == LC_MAX) /* the filter takes no more: say what was found */
			break;
		ex[nex++] = found[nfound - 1];
	}
	if (nfound) {
		size_t k = (size_t)snprintf(err, errlen, "%s: cases are in state%s the lifecycle does not declare: ",
					    name ? name : "lifecycle", nfound > 1 ? "s" : "");
		for (int i = 0; i < nfound && k < errlen; i++)
			k += (size_t)snprintf(err + k, errlen - k, "%s%s", i ? ", " : "", found[i]);
		if (k < errlen)
			snprintf(err + k, errlen - k, " (declare them, or move those cases first)");
		rc = CASE_EINVAL;
		goto done;
	}
	if (store_setting_set(st, "case_lifecycle", text ? text : "")) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		rc = CASE_ERR;
	}
done:
	case_lifecycle_free(lc);
	return rc;
}
