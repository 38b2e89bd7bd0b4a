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
	long skipped;    /* bad records skipped (opts.on_bad) */
	int fatal;       /* the last failure cannot be skipped (I/O, callback) */
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

/* A bad record: hand r->err to o->on_bad and return 0 (skip it), or -1
 * when there is no skip policy or the failure was not the record's. */
int ingest_bad(reader_t *r, const ingest_opts_t *o);
/* Read one line (without its end) appending at r->buf + at; its length, -1
 * at end of input, -2 on error (err written, r->fatal set). */
long ingest_line(reader_t *r, size_t at, size_t max);
/* A whole CSV record into r->buf (quoted line breaks continued). */
long ingest_csv_record(reader_t *r);
int ingest_blank_or_comment(const char *s);
/* The feed layouts (ingest_feed.c): the whole input. */
int ingest_feed_read(reader_t *r, const ingest_opts_t *o, ingest_format_t fmt, ingest_cb cb,
		     void *arg);

/* One content line of rbldnsd data (ingest_rbl.c). */
int ingest_rbl_line(reader_t *r, const ingest_opts_t *o, const char *s, ingest_cb cb, void *arg);

#endif
