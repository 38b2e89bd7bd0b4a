/* stix.h — STIX 2.1 bundles in and out of the store.
 *
 * Import: a bundle (or one object) is checked object by object — type, id,
 * spec_version, timestamps, TLP marking, and for indicators the pattern —
 * and then kept as it came, one row per version (store_stix_*).  Indicators
 * whose pattern is indexable (stix_pattern.h) also become indicators of the
 * reputation store, linked to their object, classified by the import's
 * classification, else by a label naming an RSIT class/type (as the export
 * writes it), else by indicator_types.  A file is all or nothing: the
 * first bad object refuses it with its line, and nothing is written.
 *
 * Export: what one organisation may see (TLP 2.0, never RED), as one valid
 * STIX 2.1 bundle: the objects kept as they came, the hub's own indicators
 * as indicator objects with stable ids, the TLP 2.0 marking definitions and
 * the identities of the organisations that created them. */
#ifndef C5_STIX_H
#define C5_STIX_H

#include <jansson.h>
#include <stdio.h>

#include "core/model.h"
#include "store/store.h"

#define STIX_FILE_MAX ((size_t)1 << 30)   /* largest bundle file read     */
#define STIX_OBJECT_MAX ((size_t)16 << 20) /* largest single object        */
#define STIX_SHARE_MAX 16                  /* named recipients of an import */

typedef struct {
	int64_t org_id;           /* the organisation giving the objects       */
	tlp_t tlp;                /* for objects without a TLP marking         */
	const char *source;       /* the indicators' source name               */
	int confidence;           /* when an indicator has none                */
	const char *classification; /* the indicators' RSIT class/type, or NULL */
	int64_t share[STIX_SHARE_MAX]; /* named recipient organisations        */
	int nshare;
	int64_t cid;              /* also into this TAXII collection (0: none) */
	int64_t origin;           /* the peer hub's organisation (0: none)     */
	int envelope;             /* the top level is a TAXII envelope         */
	/* told of every object kept (is_new) or already here */
	void (*on_object)(void *arg, const store_stix_t *row, int is_new);
	void *arg;
} stix_import_opts_t;

typedef struct {
	long objects;        /* new objects (versions) kept          */
	long known;          /* versions already here, skipped       */
	long indicators;     /* indicator objects among the new      */
	long indexed;        /* ... whose pattern was indexed        */
	long values;         /* indicators made from those patterns  */
	char not_indexed[200]; /* the first pattern not indexed: why */
} stix_result_t;

/* Import a bundle file ("-": standard input) inside a transaction the
 * caller opened; name is used in errors ("name:line: ...").  0, or -1 with
 * the reason in err (the caller rolls back). */
int stix_import_file(store_t *st, const char *path, const stix_import_opts_t *o,
		     stix_result_t *res, char *err, size_t errlen);
/* The same on a bundle in memory (len bytes). */
int stix_import_buf(store_t *st, const char *buf, size_t len, const char *name,
		    const stix_import_opts_t *o, stix_result_t *res, char *err, size_t errlen);

/* Import one object made by the caller (MISP, IODEF); adds to *res (the
 * caller zeroes it).  0, or -1 with the reason in err. */
int stix_import_json(store_t *st, json_t *obj, const stix_import_opts_t *o, stix_result_t *res,
		     char *err, size_t errlen);

/* Check one object (its type, id, version, timestamps and, for indicators,
 * the pattern).  0, or -1 with the reason in err. */
int stix_object_check(json_t *obj, char *err, size_t errlen);
/* The TLP of an object's object_marking_refs (the most restrictive of the
 * TLP 1.0 and 2.0 markings), or dflt when it has none. */
tlp_t stix_object_tlp(json_t *obj, tlp_t dflt);

typedef struct {
	int64_t viewer_org;       /* what this organisation may see */
	const char *hub_name;     /* names the hub's identity */
} stix_export_opts_t;

/* Write the bundle to out; *count gets the objects written.  0 or -1. */
int stix_export(store_t *st, const stix_export_opts_t *o, FILE *out, long *count, char *err,
		size_t errlen);

/* A STIX timestamp ("2016-05-12T08:17:27.000Z") in microseconds since the
 * epoch.  0, or -1 when it is not one. */
int stix_time_us(const char *s, int64_t *us);
/* Microseconds as a STIX timestamp with six decimals; buf >= 32 bytes. */
void stix_time_fmt(int64_t us, char buf[32]);

/* The id of the TLP 2.0 marking definition of t. */
const char *stix_tlp_marking(tlp_t t);

/* A random (version 4) UUID. */
void stix_uuid4(char out[37]);

/* A name-based (version 5) UUID in the hub's namespace: the stable id of
 * something the hub describes ("indicator", "url|http://...|feed|org"). */
void stix_uuid5(const char *name, char out[37]);

#endif
