/* batch.h — the fast path for batch bodies: {"values": ["...", ...]} or a
 * bare array of plain strings, read without building a JSON tree.
 *
 * jansson takes ~4 ms to parse a 10,000-value batch (a node and an
 * allocation per string); this reader takes a tenth of that.  It accepts
 * only the simplest shape — printable ASCII strings without escapes, and no
 * key but "values" — and says "not simple" for anything else, so the caller
 * falls back to jansson, which then also produces the error messages.  The
 * differential fuzz target fuzz/fuzz_batch.c checks that whatever it
 * accepts, jansson reads the same way. */
#ifndef C5_BATCH_H
#define C5_BATCH_H

#include <stddef.h>

typedef struct {
	const char *p; /* into the body, not NUL-terminated */
	size_t len;
} batch_str_t;

/* Read body (len bytes).  Returns the number of values (their spans in
 * *out, malloc'd, caller frees), or -1 when the body is not of the simple
 * shape (or holds more than max values, or on out of memory). */
long batch_read(const char *body, size_t len, size_t max, batch_str_t **out);

#endif
