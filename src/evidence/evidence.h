/* evidence.h — evidence files attached to incidents, with a chain of
 * custody.
 *
 * What it owns: taking a file in (kept whole in the store with its SHA-256,
 * attached to a STIX incident object the hub holds), giving it out (its
 * bytes checked against the SHA-256 recorded when it came in, then
 * written), and the custody record of every such step — who, when, what
 * and why — chained by SHA-256 (each record's hash covers the one before
 * it and the file's SHA-256), so that an altered, removed or reordered
 * record, or altered bytes, are found and named by evidence_verify(). */
#ifndef C5_EVIDENCE_H
#define C5_EVIDENCE_H

#include "store/store.h"

#define EVIDENCE_FILE_MAX ((int64_t)256 << 20)

/* Attach the file at path to incident (inside a transaction the caller
 * opened): stored with its SHA-256, and its first custody record
 * ("acquired", with note).  *out gets the row.  0, or -1 with err. */
int evidence_add(store_t *st, const char *incident, const char *path, int64_t org_id, tlp_t tlp,
		 const char *actor, const char *note, store_evidence_t *out, char *err,
		 size_t errlen);

/* The same for bytes in memory (a mail's attachment): holder names what
 * it belongs to — a STIX incident's id, or "case:REF" for a case (the
 * caller links it, in the same transaction); name is the file's name as
 * given.  At most EVIDENCE_FILE_MAX bytes.  0, or -1 with err. */
int evidence_add_data(store_t *st, const char *holder, const char *name, const void *data,
		      int64_t size, int64_t org_id, tlp_t tlp, const char *actor, const char *note,
		      store_evidence_t *out, char *err, size_t errlen);

/* Write evidence id to out_path after checking its bytes against its
 * SHA-256, and record it ("exported", with reason) — inside a transaction.
 * 0, or -1 with err (nothing written when the bytes do not match). */
int evidence_export(store_t *st, int64_t id, const char *out_path, const char *actor,
		    const char *reason, char *err, size_t errlen);

/* Evidence id's bytes to give out in an answer (a console download):
 * *data malloc'd (e->size bytes) once they match the SHA-256 recorded when
 * they came in, and the step recorded ("exported", with to) — inside a
 * transaction.  0; STORE_ENOTFOUND; -1 with err (nothing given when the
 * bytes do not match). */
int evidence_give(store_t *st, int64_t id, const char *actor, const char *to, store_evidence_t *e,
		  void **data, char *err, size_t errlen);

typedef struct {
	long records;        /* custody records that verified    */
	int64_t bad_seq;     /* the first that did not, or 0     */
	int data_ok;         /* the bytes match their SHA-256    */
	char why[160];
} evidence_report_t;
/* Check evidence id: its bytes and its chain of custody.  0 when it could
 * be read (see r), -1 with err otherwise. */
int evidence_verify(store_t *st, int64_t id, evidence_report_t *r, char *err, size_t errlen);

#endif
