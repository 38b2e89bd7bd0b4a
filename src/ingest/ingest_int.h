/* ingest_int.h — what the readers of ingest.c (lists, CSV) and ingest_rbl.c
 * (rbldnsd zone data) share: the bounded line reader and record emission. */
#ifndef C5_INGEST_INT_H
#define C5_INGEST_INT_H

#include "ingest.h"

typedef struct {
	FILE *f;
	const char *name;
	char *buf;
	size_t cap;
	long line;       /* number of the last line read */
	long emitted;    /* records handed to the callback */
	char *err;
	size_t errlen;
} reader_t;

/* Write "name:line: message" into r->err; returns -1. */
int ingest_fail(reader_t *r, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Parse val (len bytes) as an observable and hand it, with extra's fields,
 * to cb.  0, or -1 with err written. */
int ingest_emit(reader_t *r, const ingest_opts_t *o, const char *val, size_t len,
		const ingest_rec_t *extra, ingest_cb cb, void *arg);
/* The record fields every line starts from (the options' defaults). */
ingest_rec_t ingest_defaults(const ingest_opts_t *o);

/* One content line of rbldnsd data (ingest_rbl.c). */
int ingest_rbl_line(reader_t *r, const ingest_opts_t *o, const char *s, ingest_cb cb, void *arg);

#endif
