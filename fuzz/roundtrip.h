/* roundtrip.h — for the fuzz targets that check a format as a pair (export,
 * then import again, gives the same thing): the indicators of a store as a
 * sorted list of "type|value|classification|tlp" lines, and its comparison. */
#ifndef C5_FUZZ_ROUNDTRIP_H
#define C5_FUZZ_ROUNDTRIP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "store/store.h"

typedef struct {
	char **line;
	size_t n, cap;
	int64_t cursor;
} rt_set_t;

static inline int rt_add(void *arg, const indicator_t *i)
{
	rt_set_t *s = arg;
	char buf[OBS_VALUE_MAX + MODEL_CLASS_MAX + 64];
	s->cursor = i->id;
	if (!strcmp(i->classification, RSIT_FALSE_POSITIVE))
		return 0; /* never exported */
	snprintf(buf, sizeof buf, "%s|%s|%s|%s", obs_type_name(i->type), i->value, i->classification,
		 tlp_name(i->tlp));
	if (util_grow(&s->line, &s->cap, s->n + 1, sizeof *s->line, 16) ||
	    !(s->line[s->n] = strdup(buf)))
		abort();
	s->n++;
	return 0;
}

static inline int rt_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What viewer org 1 may see at or under tlp_max (exports never give RED),
 * sorted, into an empty s. */
static inline void rt_snapshot(store_t *st, int tlp_max, rt_set_t *s)
{
	store_filter_t f = {.view = {.max_tlp = TLP_GREEN, .org = 1}, .tlp_max = tlp_max, .limit = 1000};
	for (s->cursor = 0;;) {
		int64_t was = s->cursor;
		f.after_id = s->cursor;
		if (store_list_indicators(st, &f, rt_add, s))
			abort();
		if (s->cursor == was)
			break;
	}
	if (s->n)
		qsort(s->line, s->n, sizeof *s->line, rt_cmp);
}

/* The two the same, else print the first difference and abort. */
static inline void rt_same(const rt_set_t *a, const rt_set_t *b, const char *what)
{
	for (size_t k = 0; k < a->n || k < b->n; k++) {
		const char *x = k < a->n ? a->line[k] : "(none)", *y = k < b->n ? b->line[k] : "(none)";
		if (strcmp(x, y)) {
			fprintf(stderr, "%s: imported '%s', after export and import '%s'\n", what, x, y);
			abort();
		}
	}
}

static inline void rt_free(rt_set_t *s)
{
	for (size_t k = 0; k < s->n; k++)
		free(s->line[k]);
	free(s->line);
	memset(s, 0, sizeof *s);
}
#endif
