/* csaf.h — advisories as CSAF 2.0 (OASIS Common Security Advisory Framework).
 *
 * What it owns: the advisory an analyst edits (a JSON object, the "model":
 * below) and its checks; the CVSS v3 base score from a vector; making a CSAF
 * 2.0 document of an advisory and its revisions; checking a CSAF document
 * from elsewhere (the schema's structure and the mandatory tests that can be
 * decided locally — every refusal names the JSON path) and reading it back
 * into the model (an import); the provider's files (provider-metadata.json,
 * ROLIE feeds, index.txt, changes.csv); publishing (csaf_pub.c: a revision,
 * signed with the hub's PKI, stored and audited in one transaction with
 * its search-index entry, its STIX report and its subscribers' e-mail) and
 * importing (mirrored advisories).  It serves nothing: src/http/api_csaf.c
 * does, through these functions, with the one visibility rule.
 *
 * The model (every member a string unless said; "" or absent for none):
 *   id            tracking id, 1-64 of [A-Za-z0-9+-_.]   (required)
 *   title         (required)          summary   (required for security advisories)
 *   category      "csaf_security_advisory" (default) or "csaf_base"
 *   tlp           "CLEAR" (default), "GREEN", "AMBER", "RED"
 *   lang          "en" (default)
 *   products      [{id, vendor, name, version}]  id "CSAFPID-n" given when absent
 *   vulnerabilities [{cve, title, description, cvss_vector, products: [product id],
 *                   remediation, remediation_category}]   (at least one for a
 *                   security advisory; each with description or title)
 *   references    [{url, summary}]
 *   publisher     (a mirror's only) its document's publisher, as it came
 */
#ifndef C5_CSAF_H
#define C5_CSAF_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "store/store.h"
#include "store/store_csaf.h"

/* ---- CVSS ---- */
/* The base score and severity ("NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL")
 * of a CVSS 3.0 or 3.1 vector ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
 * temporal and environmental metrics may follow and are not scored).  *ver
 * (may be NULL) gets "3.0" or "3.1".  0, or -1 with the reason in err. */
int csaf_cvss3(const char *vector, double *score, const char **severity, const char **ver, char *err,
	       size_t errlen);

/* ---- the model ---- */
/* Check adv in place (defaults filled, product ids given, strings trimmed of
 * nothing: what is stored is what was sent).  0, or -1 with the JSON path of
 * the member at fault in path ("/vulnerabilities/0/cvss_vector") and the
 * reason in err. */
int csaf_adv_check(json_t *adv, char *path, size_t pathlen, char *err, size_t errlen);

/* The file name CSAF gives a tracking id: lower case, every character other
 * than [+-a-z0-9] as '_', then ".json" (out: at least 80 bytes). */
void csaf_filename(const char *id, char *out, size_t n);
/* The directory of a TLP under /.well-known/csaf/ ("white", "green",
 * "amber", "red"). */
const char *csaf_tlp_dir(tlp_t t);

/* Who publishes: the hub (its organisation's name; namespace: the
 * "public_url" setting). */
typedef struct {
	const char *name, *namespace_; /* borrowed */
} csaf_publisher_t;
/* One entry of tracking.revision_history. */
typedef struct {
	int number;
	int64_t date;
	const char *summary;
} csaf_rev_t;

/* The CSAF 2.0 document of adv (checked) with revisions revs[0..n) (the
 * last is the current one; n >= 1), status "final" (or "draft" for a
 * preview, version 0).  A new reference, NULL when out of memory. */
json_t *csaf_document(const json_t *adv, const csaf_publisher_t *pub, const csaf_rev_t *revs, size_t n,
		      int draft);

/* Check a CSAF 2.0 document from elsewhere: the schema's required members
 * and types, csaf_version 2.0, the product ids referred to defined (6.1.1),
 * CVSS v3 scores matching their vectors (6.1.9), revision history against
 * the version (6.1.16) and unknown members at the top.  0, or -1 with the
 * JSON path in path and the reason in err. */
int csaf_doc_check(const json_t *doc, char *path, size_t pathlen, char *err, size_t errlen);

/* The model of a (checked) CSAF document: the products of its product tree
 * (vendor / product name / version of each branch path, or a full product
 * name), the first score, remediation and description note of each
 * vulnerability.  For the hub's own documents csaf_adv_from_doc of
 * csaf_document gives the advisory back unchanged.  A new reference, or
 * NULL with err. */
json_t *csaf_adv_from_doc(const json_t *doc, char *err, size_t errlen);

/* Parse and check a CSAF document held in buf[0..len): csaf_doc_check,
 * then csaf_adv_from_doc.  0 with *doc and *adv (new references), or -1
 * with "path: reason" in err ("/document/tracking/id: missing"). */
int csaf_parse(const char *buf, size_t len, json_t **doc, json_t **adv, char *err, size_t errlen);

/* ---- publishing and importing (csaf_pub.c) ---- */
/* The hub as publisher: its organisation's name and the public URL (or
 * "https://localhost" when the setting is not made) into name / base. */
int csaf_publisher(store_t *st, char *name, size_t namelen, char *base, size_t baselen);

/* Create (a->id == 0: a new draft) or replace the edited fields of the
 * advisory adv (checked here) by who, audited, in one transaction; an
 * advisory published before stays published until the next publication
 * (its served document does not change).  0 with *out (store_adv_clear),
 * -1 with path/err (a bad field), -2 (the id is taken, or no such advisory
 * to edit, mirrored advisories are not edited), -3 the store. */
int csaf_save(store_t *st, const audit_entry_t *who, json_t *adv, int create, store_adv_t *out, char *path,
	      size_t pathlen, char *err, size_t errlen);

/* Publish advisory id: a new revision (number = version + 1, summary
 * given or "Initial version" / "Update"), the CSAF document made, checked
 * with csaf_doc_check, signed (CMS, pki_sign with the hub's signer), kept
 * with the revision, put in the gateway's search index (gw_index_put), its
 * STIX report versioned (and in the TAXII collection "advisories" when
 * there is one), an e-mail delivery per subscriber (CLEAR), all in one
 * transaction with its audit entry.  0 with
 * *out, or -1 with err (no such advisory, mirrored, no PKI, the store). */
int csaf_publish(store_t *st, const audit_entry_t *who, const char *id, const char *summary,
		 store_adv_t *out, char *err, size_t errlen);

/* The preview of advisory id as it would be published next (its document,
 * status draft).  A new reference, or NULL with err. */
json_t *csaf_preview(store_t *st, const char *id, char *err, size_t errlen);

/* Import a CSAF document (buf[0..len), from source: a file name or URL) as
 * a mirrored advisory of organisation org: csaf_parse, then kept with the
 * document as it came (a newer tracking.version replaces it; the same or
 * older is refused as already held), audited, one transaction.  0 with *out,
 * -1 with "path: reason" in err and nothing stored. */
int csaf_import(store_t *st, const audit_entry_t *who, const char *buf, size_t len, const char *source,
		int64_t org, store_adv_t *out, char *err, size_t errlen);

/* The bytes of a CSAF document: a file (at most 16 MiB) or an http(s) URL
 * (200 only, redirects to https only).  malloc'd, NUL-terminated, *len;
 * NULL with "where: reason" in err. */
char *csaf_read(const char *where, size_t *len, char *err, size_t errlen);

/* The subscribers: e-mail addresses (a list the hub's operator keeps:
 * anyone may be on it, so only CLEAR advisories are mailed), each told of
 * every publication by the notify module's sender (a delivery of kind
 * "advisory", made in the publication's transaction).  subscribe: add (on)
 * or remove addr, audited; 0 or -1 with err.  csaf_subscribers: the list,
 * one a line, malloc'd (NULL: out of memory). */
int csaf_subscribe(store_t *st, const audit_entry_t *who, const char *addr, int on, char *err, size_t errlen);
char *csaf_subscribers(store_t *st);

/* ---- the provider's files ---- */
/* Advisories published, visible to v (the one rule), newest first, at most
 * limit (0: all): what the portal's home page lists (csaf_latest) and the
 * provider files read.  The callback as store_adv_list's. */
int csaf_latest(store_t *st, const tlp_view_t *v, int64_t limit, store_adv_cb cb, void *arg);

/* The path of published advisory a under its TLP directory: the year of
 * its initial release, its file name ("2026/c5-2026-0001.json"). */
void csaf_rel_path(const store_adv_t *a, char *out, size_t n);

/* The provider's files and the aggregator's mirrors (csaf_dist.c).  party
 * NULL is the hub's own advisories under /.well-known/csaf/; else the
 * folder of a mirrored issuing party (csaf_party_folder) under
 * /.well-known/csaf-aggregator/, holding the mirrored (imported)
 * advisories whose publisher's name gives that folder. */

/* The folder CSAF's requirement 23 makes of an issuing party's name: every
 * character other than [A-Za-z0-9+-] as '_', at most 64 ("" for none). */
void csaf_party_folder(const char *name, char *out, size_t n);

/* provider-metadata.json (a new reference) for base ("https://hub.example"):
 * the hub's own (party NULL), or a mirrored party's (NULL when the hub
 * holds nothing of that party v may see). */
json_t *csaf_provider_metadata(store_t *st, const char *base, const char *party, const tlp_view_t *v);
/* The ROLIE feed of TLP t (CLEAR or GREEN): every published advisory of
 * party at that level, entries linking the document, its hashes and its
 * signature (when it has one).  A new reference, or NULL. */
json_t *csaf_rolie_feed(store_t *st, const char *base, const char *party, tlp_t t);
/* The hub's ROLIE service document (service.json: both feeds) and the
 * category document of TLP t (category-tlp-white.json: the vendors,
 * products and document categories of the feed's advisories, which the
 * feed's entries carry as their categories).  New references, or NULL. */
json_t *csaf_rolie_service(const char *base);
json_t *csaf_rolie_categories(store_t *st, tlp_t t);
/* index.txt or changes.csv (changes = 1) of TLP t's directory of party:
 * malloc'd text, NULL when out of memory or on a store error. */
char *csaf_dir_file(store_t *st, const char *party, tlp_t t, int changes);
/* The directory listing (requirement 14) of TLP t's directory of party
 * (year NULL: index.txt, changes.csv and the years "2026/") or of one of
 * its years (its documents with their .sha256, .sha512 and .p7s): an HTML
 * page, malloc'd; NULL when out of memory or on a store error. */
char *csaf_dir_listing(store_t *st, const char *party, tlp_t t, const char *year);
/* aggregator.json (CSAF 2.0 7.1.21): the hub as an aggregator, listing its
 * own provider-metadata.json as a provider and each mirrored party as a
 * publisher with its mirror (the parties of the mirrors v may see).  A
 * new reference, or NULL. */
json_t *csaf_aggregator(store_t *st, const char *base, const tlp_view_t *v);
/* Published advisory of party at path dir/rel ("white", "2026/x.json"):
 * 0 with *out (its texts: store_adv_clear), STORE_ENOTFOUND, STORE_ERR. */
int csaf_dist_find(store_t *st, const char *party, const char *dir, const char *rel, store_adv_t *out);

#endif
