/* ingest.h — reading indicator files: plain lists (one observable per line),
 * CSV with a header naming the value column, and rbldnsd zone data.
 *
 * ingest_read() only parses: it streams a FILE line by line (nothing is
 * buffered whole) and hands each record to a callback, stopping at the first
 * bad line with "name:line: reason".  ingest_file() puts one file into the
 * store as one transaction: all of it, or on any error nothing. */
#ifndef C5_INGEST_H
#define C5_INGEST_H

#include <stdio.h>

#include "core/model.h"
#include "store/store.h"

typedef enum {
	INGEST_AUTO = 0, INGEST_LIST, INGEST_CSV, INGEST_RBLDNSD,
	/* feed layouts (ingest_feed.c), named as in `--format` */
	INGEST_URLHAUS, INGEST_FEODO, INGEST_THREATFOX, INGEST_SSLBL, INGEST_DROP,
	INGEST_SHADOWSERVER, INGEST_OPENPHISH, INGEST_MISP_FREETEXT, INGEST_MISP_CSV,
	INGEST_DSHIELD, INGEST_DATAPLANE, INGEST_SPAMHAUS_CERT,
} ingest_format_t;

/* rbldnsd datasets (INGEST_RBLDNSD): RBL_AUTO tells each entry by its shape. */
typedef enum { RBL_AUTO = 0, RBL_IP4SET, RBL_IP4TSET, RBL_IP4TRIE, RBL_IP6TRIE, RBL_DNSET } ingest_rbl_t;
int ingest_rbl_parse(const char *s, ingest_rbl_t *out); /* 0 or -1 */

int ingest_format_parse(const char *s, ingest_format_t *out); /* 0 or -1 */
const char *ingest_format_name(ingest_format_t f);
/* The names ingest_format_parse() knows, comma-separated (for messages). */
#define INGEST_FORMATS "auto, list, csv, rbldnsd, urlhaus, feodo, threatfox, sslbl, " \
	"spamhaus-drop, spamhaus-cert, shadowserver, openphish, misp-freetext, misp-csv, dshield, " \
	"dataplane"

typedef struct {
	ingest_format_t format;
	obs_type_t type;          /* OBS_NONE: detect per value          */
	const char *column;       /* CSV: the value column, or a column map
				     "value=ip,first_seen=date,..." (roles:
				     see ingest_column_map_check); NULL: by name */
	const char *source;       /* default source name                 */
	int64_t org_id;           /* creating organisation               */
	tlp_t tlp;                /* default TLP                         */
	int confidence;           /* default confidence, 0..100          */
	const char *classification; /* default "class/type"; NULL: the
				       format's own (else other/undetermined) */
	int64_t valid_for;        /* seconds from now; 0: no end         */
	ingest_rbl_t dataset;     /* INGEST_RBLDNSD: the data's type       */
	/* called inside the file's transaction just before it commits (the
	 * CLI records it in the audit log); non-zero rolls the file back */
	int (*before_commit)(void *arg, store_t *st, const char *path, long records);
	void *arg;
	/* a bad record: with on_bad set, it is handed "name:line: reason" and
	 * skipped (the feed's skip policy); without, the read stops there */
	void (*on_bad)(void *arg, const char *msg);
	void *bad_arg;
} ingest_opts_t;

/* One record as read, before it becomes an indicator.  Strings borrowed
 * for the duration of the callback. */
typedef struct {
	const obs_t *obs;
	const char *source, *classification;
	tlp_t tlp;
	int confidence;
	int64_t first_seen, last_seen, valid_until; /* 0: not given */
	long line;
	const char *raw;           /* the record as read (feed layouts), or NULL */
	const obs_t *also[3];      /* related observables (the host of a URL,   */
	int nalso;                 /* its address, the AS): for the constituency */
	int refanged;              /* the value was defanged (hxxp, [.]) as read */
} ingest_rec_t;

/* Callback: 0 to go on; non-zero to stop (then it must have written err). */
typedef int (*ingest_cb)(void *arg, const ingest_rec_t *rec, char *err, size_t errlen);

/* Parse f; name is used in messages.  Returns 0 and sets *count, or -1 with
 * "name:line: reason" in err. */
int ingest_read(FILE *f, const char *name, const ingest_opts_t *o, ingest_cb cb, void *arg,
		long *count, char *err, size_t errlen);

typedef struct {
	long records;   /* lines or rows read as indicators */
	long refanged;  /* of them, defanged values read refanged */
} ingest_result_t;

/* Check a column map ("value=COL,ROLE=COL,..."; a plain name passes).
 * Roles: value (required), type, tlp, confidence, classification, source,
 * first_seen, last_seen, valid_until.  0, or -1 with the reason. */
int ingest_column_map_check(const char *map, char *err, size_t errlen);

/* Split one CSV record in place at delim (RFC 4180 quotes and "" escapes,
 * no line breaks inside): fields[] point into buf.  The number of fields,
 * or -1 when malformed or more than max. */
int ingest_csv_split(char *buf, char delim, char **fields, int max);
/* Strip leading and trailing blanks of a field in place. */
void ingest_csv_trim(char **s);

/* Read f (called name in messages and before_commit) into st as one
 * transaction: all of it, or on any error nothing.  0, or -1 with
 * "name:line: reason" in err. */
int ingest_stream(store_t *st, FILE *f, const char *name, const ingest_opts_t *o, ingest_result_t *res,
		  char *err, size_t errlen);
/* Read path ("-" for standard input) into st as one transaction. */
int ingest_file(store_t *st, const char *path, const ingest_opts_t *o, ingest_result_t *res,
		char *err, size_t errlen);

#endif
