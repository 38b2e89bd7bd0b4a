/* util.h — the growable-array helper every module uses, a growing text
 * buffer, and reading a small text file whole (util.c). */
#ifndef C5_UTIL_H
#define C5_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* Is s[0..n) well-formed UTF-8 (no overlong forms, surrogates or NUL)? */
int util_utf8_valid(const char *s, size_t n);

/* How many bytes of s[0..n) to keep to hold at most max bytes, cut on a
 * UTF-8 character boundary (never inside a character): n when n <= max. */
size_t util_utf8_cut(const char *s, size_t n, size_t max);

/* Copy src into dst (size bytes) only when it fits whole: 0, or -1 with dst
 * untouched (text is never cut, and a cut could split a character). */
int util_copy(char *dst, size_t size, const char *src);

/* The whole of a text file of at most max bytes, NUL-terminated (the
 * caller frees), or NULL with "path: reason" in err (missing, too large,
 * binary). */
char *util_read_text(const char *path, size_t max, char *err, size_t errlen);

/* Are a and b the same name but for a typo: at most two letters added,
 * dropped or changed (one when a is shorter than 5), case ignored (names
 * of up to 64 bytes)? */
int util_name_close(const char *a, const char *b);

/* Progress of a long operation (ingest, a feed run, an export, a STIX
 * import, migrations), drawn on stderr at most four times a second as
 * "label: 12,345 records, 48,000/s, 40%, 3 s left" — only after the
 * command called util_progress_enable() and only when stderr is a
 * terminal: otherwise (the server, a pipe, a log) every call is a no-op.
 * One operation at a time, ticked from one thread. */
void util_progress_enable(void);
/* Start: total bytes when known (else 0); in, when given, is read with
 * ftello() to know how far the reading is. */
void util_progress_begin(const char *label, int64_t total, FILE *in);
/* n more records; done: bytes read so far, or -1 (from in, or unknown). */
void util_progress_add(long n, int64_t done);
/* A one-line note in place of the progress (e.g. "migration 3 of 15"). */
void util_progress_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Clear the line. */
void util_progress_end(void);

#endif
