/* iodef.h — IODEF incident reports in and out (RFC 7970, IODEF 2; RFC 5070,
 * IODEF 1, read only), with libxml2.
 *
 * Import: every Incident of a document becomes a STIX 2.1 "incident" object
 * (stix.h) carrying what IODEF says of it under x_iodef — its IncidentID,
 * purpose, times, descriptions, assessment (impact type, severity,
 * completion), contacts (role, type, name, e-mail) and the systems of its
 * flows (category, addresses, names, ports) — and each address or name of
 * a source or intermediate system becomes an indicator object (and an
 * indexed indicator).  TLP comes from the restriction attribute (white and
 * public: CLEAR, green, amber, partner and need-to-know: AMBER, red and
 * private: RED), else the import's.  The objects' ids derive from the
 * reporting organisation (stix_import_opts_t.org_id) and the IncidentID:
 * two organisations reporting one IncidentID each keep their own.  The parser reads no network, no DTD
 * and expands no external entity.  A document is all or nothing.
 *
 * Export: one IODEF 2 document of the incidents an organisation may see
 * (never RED), each with every system kept under x_iodef (all its names
 * as DomainData, addresses, ports as Service, description: importing it
 * again gives the same x_iodef), and a "reporting" incident listing the
 * hub's own address and domain indicators it may see; it validates against
 * iodef-2.0.xsd. */
#ifndef C5_IODEF_H
#define C5_IODEF_H

#include <stdio.h>

#include "stix/stix.h"
#include "store/store.h"

#define IODEF_FILE_MAX ((size_t)64 << 20)

typedef struct {
	int version;        /* 1 or 2, of the last document read */
	long incidents;
	long systems;       /* systems read                      */
	long indicators;    /* indicator objects made            */
	stix_result_t stix; /* what the STIX import did          */
} iodef_result_t;

/* Import a document from memory (name in errors: "name:line: reason").
 * Inside a transaction the caller opened.  0 or -1. */
int iodef_import_buf(store_t *st, const char *buf, size_t len, const char *name,
		     const stix_import_opts_t *o, iodef_result_t *res, char *err, size_t errlen);
int iodef_import_file(store_t *st, const char *path, const stix_import_opts_t *o,
		      iodef_result_t *res, char *err, size_t errlen);

typedef struct {
	int64_t viewer_org;
	const char *hub_name;     /* the IncidentID's name and the creator contact */
	const char *contact;      /* the creator's e-mail, or NULL */
} iodef_export_opts_t;

/* Write the document to out; *incidents gets how many.  0 or -1. */
int iodef_export(store_t *st, const iodef_export_opts_t *o, FILE *out, long *incidents, char *err,
		 size_t errlen);

#endif
