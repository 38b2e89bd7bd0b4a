/* util.h — the growable-array helper every module uses, a growing text
 * buffer, and reading a small text file whole (util.c). */
#ifndef C5_UTIL_H
#define C5_UTIL_H

#include <stddef.h>
#include <stdlib.h>

/* Make room in the array *arr (of *cap elements of elem bytes each) for at
 * least need elements, doubling from first.  0, or -1 with *arr untouched. */
static inline int util_grow(void *arr, size_t *cap, size_t need, size_t elem, size_t first)
{
	void **p = arr;
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : first;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* A growing text buffer: appends never fail; out of memory sets oom and
 * keeps what was there.  data is NUL-terminated (the owner frees it). */
typedef struct {
	char *data;
	size_t len, cap;
	int oom;
} util_buf_t;
void util_buf_add(util_buf_t *b, const char *s, size_t n);
void util_buf_printf(util_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The whole of a text file of at most max bytes, NUL-terminated (the
 * caller frees), or NULL with "path: reason" in err (missing, too large,
 * binary). */
char *util_read_text(const char *path, size_t max, char *err, size_t errlen);

#endif
