/* stix_scan.h — a strict JSON scanner (RFC 8259) that finds where values
 * end without building them: the STIX import walks a bundle with it, and
 * reads an object's members with it so that only the few members it uses
 * go through jansson.  Strings are checked (escapes, no control
 * characters, valid UTF-8), numbers and literals by their grammar, nesting
 * to STIX_SCAN_DEPTH.  Hand-written on the hot path, so fuzzed
 * (fuzz_stix). */
#ifndef C5_STIX_SCAN_H
#define C5_STIX_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define STIX_SCAN_DEPTH 256

/* Eight bytes at a time: does the word at p hold a byte equal to b, or
 * (scan_plain8) anything but plain ASCII inside a string (a control
 * character, '"', '\\' or a byte >= 0x80)?  Exact (no byte is missed);
 * callers go on byte by byte from the word where it says yes. */
#define SCAN_ONES 0x0101010101010101ULL
#define SCAN_HIGH 0x8080808080808080ULL
static inline uint64_t scan_word(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}
static inline uint64_t scan_has(uint64_t w, unsigned char b)
{
	uint64_t x = w ^ (SCAN_ONES * b);
	return (x - SCAN_ONES) & ~x & SCAN_HIGH;
}
static inline uint64_t scan_plain8(uint64_t w)
{
	return (w & SCAN_HIGH) | ((w - SCAN_ONES * 0x20) & ~w & SCAN_HIGH) | scan_has(w, '"') |
	       scan_has(w, '\\');
}

typedef struct {
	const char *s;
	size_t n, pos;
} scan_t;

void scan_ws(scan_t *c);
/* The string at c->pos (at its '"'); 0 and c->pos after it, or -1. */
int scan_string(scan_t *c);
/* Any value at c->pos (after white space); 0 and c->pos after it, or -1. */
int scan_value(scan_t *c);

/* The members of the object at c->pos: cb gets each key (the text between
 * the quotes, escapes as written) and value (as written); cb returning
 * non-zero stops with that value.  0 and c->pos after the '}', or -1 when
 * the object is not valid JSON. */
typedef int (*scan_member_cb)(void *arg, const char *key, size_t klen, const char *val,
			      size_t vlen);
int scan_object(scan_t *c, scan_member_cb cb, void *arg);

#endif
