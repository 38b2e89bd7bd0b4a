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

#define STIX_SCAN_DEPTH 256

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
