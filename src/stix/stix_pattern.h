/* stix_pattern.h — the STIX 2.1 patterning language: a parser that accepts
 * the grammar of the specification (section 9) and finds in a pattern the
 * observables an index can hold.
 *
 * A pattern is "indexable" when it is one or more observation expressions
 * joined by OR or AND, with no qualifier (WITHIN, REPEATS, START/STOP) and no
 * FOLLOWEDBY, and every comparison in it is an equality (`=`, not negated) on
 * a supported observable: ipv4-addr / ipv6-addr / domain-name / url /
 * email-addr `:value`, `file:hashes.MD5|SHA-1|SHA-256` and
 * `autonomous-system:number`.  Its values are then what a look-up should
 * match.  Any other valid pattern is kept as it is and reported with the
 * reason it is not indexed. */
#ifndef C5_STIX_PATTERN_H
#define C5_STIX_PATTERN_H

#include <stddef.h>

#include "core/obs.h"

#define STIX_PATTERN_MAX 65536 /* longest pattern accepted, bytes */
#define STIX_VALUES_MAX 256    /* most values taken from one pattern */

typedef struct {
	int indexable;          /* 1: values[] is what the pattern matches */
	char why[160];          /* when not indexable: the reason           */
	size_t nvalues;
	obs_t *values;          /* canonical observables (malloc'd)         */
	int comparisons;        /* comparisons in the pattern               */
	int observations;       /* observation expressions ('[...]')        */
} stix_pattern_t;

/* Parse pattern (len bytes, need not be NUL-terminated).  0, or -1 with
 * "position N: reason" in err (N counts bytes from 0).  On success the
 * caller frees with stix_pattern_free().  Safe on arbitrary bytes. */
int stix_pattern_parse(const char *pattern, size_t len, stix_pattern_t *out, char *err,
		       size_t errlen);
void stix_pattern_free(stix_pattern_t *p);

/* Write the pattern that matches one observable ("[ipv4-addr:value =
 * '192.0.2.1']") into buf.  0, or -1 when it does not fit or the type has
 * no pattern. */
int stix_pattern_of(const obs_t *o, char *buf, size_t size);

#endif
