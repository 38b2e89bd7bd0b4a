/* misp.h — MISP feeds in and out.
 *
 * Import: a MISP feed directory (manifest.json and one <uuid>.json per
 * event; hashes.csv is not needed) or one event file.  Each event becomes
 * STIX 2.1 objects kept by the STIX import (stix.h): a report (the event:
 * info, tags, the attributes that are not indicators under
 * x_misp_attributes), the identity of its creator (Orgc), and one
 * indicator per attribute marked for detection (to_ids) whose type maps to
 * an observable (ip-src/ip-dst[|port], domain, hostname[|port], domain|ip,
 * url, email[-src|-dst], md5/sha1/sha256 and filename|hash, AS).  Typing
 * is loose, as real feeds have it (booleans and numbers as strings).  TLP
 * comes from tlp:* tags (the event's and the attribute's; the most
 * restrictive), else the import's.  The classification comes from an
 * rsit:CLASS="TYPE" machine tag (the attribute's, else the event's).
 * A directory is all or nothing: the
 * first bad event refuses it, naming the file (and line).
 *
 * Export: a MISP feed a MISP instance can subscribe to: one event per
 * source and TLP of the indicators an organisation may see (never RED),
 * manifest.json, the events and hashes.csv (md5 of each value, event
 * uuid).  Each attribute carries its classification as an RSIT machine tag;
 * an AS is written by its number, as MISP stores it.  Ids are name-based:
 * the same indicator keeps its uuid. */
#ifndef C5_MISP_H
#define C5_MISP_H

#include "stix/stix.h"
#include "store/store.h"

#define MISP_FILE_MAX ((size_t)256 << 20)

typedef struct {
	long events;       /* events read                                  */
	long attributes;   /* attributes read (deleted ones left out)      */
	long indicators;   /* ... that became indicator objects            */
	stix_result_t stix; /* what the STIX import did with the objects   */
} misp_result_t;

/* Import a feed directory (with manifest.json) or one event file, inside a
 * transaction the caller opened.  0, or -1 with "path[:line]: reason". */
int misp_import_path(store_t *st, const char *path, const stix_import_opts_t *o,
		     misp_result_t *res, char *err, size_t errlen);
/* One event document (text, len bytes), name used in errors. */
int misp_import_event(store_t *st, const char *text, size_t len, const char *name,
		      const stix_import_opts_t *o, misp_result_t *res, char *err, size_t errlen);

typedef struct {
	int64_t viewer_org;     /* what this organisation may see */
	const char *hub_name;   /* the events' creator (Orgc)     */
} misp_export_opts_t;

/* Write the feed into directory dir (created if missing).  0, or -1. */
int misp_export_dir(store_t *st, const misp_export_opts_t *o, const char *dir, long *events,
		    long *attributes, char *err, size_t errlen);

#endif
