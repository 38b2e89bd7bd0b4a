/* case_export.c — one case as IODEF 2 (RFC 7970: an Incident with its
 * reporter and the hub as contacts, its observables as systems, its
 * timeline as History) and as a STIX 2.1 bundle (an incident, an indicator
 * and an observable per linked observable, observed-data, relationships),
 * each holding only what the viewer may see of it (a reporter: no internal
 * note).  See case.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "core/libs_xml.h"
#include "core/util.h"
#include "audit/audit.h"
#include "hub/hub.h"
#include "stix/stix.h"
#include "stix/stix_pattern.h"

typedef struct {
	store_case_link_t *v;
	size_t n, cap;
} links_t;

static int links_cb(void *arg, const store_case_link_t *l)
{
	links_t *k = arg;
	if (util_grow(&k->v, &k->cap, k->n + 1, sizeof *k->v, 16))
		return 1;
	k->v[k->n++] = *l;
	return 0;
}

static void hub_name(store_t *st, char *buf, size_t n)
{
	int64_t hub;
	tlp_t t;
	org_t o;
	if (!hub_read_settings(st, &hub, &t) && !store_org_get(st, hub, &o))
		snprintf(buf, n, "%s", o.name);
	else
		snprintf(buf, n, "hub");
}

/* ---- IODEF 2 ---- */

typedef struct {
	xmlTextWriter *w;
	int fail;
} xw_t;

#define W(call) do { if ((call) < 0) x->fail = 1; } while (0)

static const char *restriction_of(tlp_t t)
{
	return t == TLP_CLEAR ? "white" : t == TLP_GREEN ? "green" : t == TLP_RED ? "red" : "amber";
}

static void contact(xw_t *x, const char *role, const char *name)
{
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Contact"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "role", BAD_CAST role));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "type", BAD_CAST "organization"));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "ContactName", BAD_CAST name));
	W(xmlTextWriterEndElement(x->w));
}

static int history_cb(void *arg, const store_case_entry_t *e)
{
	xw_t *x = arg;
	char when[MODEL_TIME_LEN], desc[CASE_TEXT_MAX + 160];
	const char *action = !strcmp(e->kind, "status") ? "status-triage"
			     : !strcmp(e->kind, "reply") || !strcmp(e->kind, "report") ? "status-new-info"
											  : "other";
	W(xmlTextWriterStartElement(x->w, BAD_CAST "HistoryItem"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "action", BAD_CAST action));
	if (e->visibility == CASE_VIS_INTERNAL)
		W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "restriction", BAD_CAST "private"));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "DateTime", BAD_CAST model_time_fmt(e->created, when)));
	snprintf(desc, sizeof desc, "%s by %s: %s", e->kind, e->author, e->text);
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description", BAD_CAST desc));
	W(xmlTextWriterEndElement(x->w));
	return x->fail;
}

static const char *iodef_status(const store_case_t *c, const case_lifecycle_t *lc)
{
	if (case_lifecycle_final(lc, c->status))
		return "resolved";
	return strcmp(c->status, case_lifecycle_initial(lc)) ? "in-progress" : "new";
}

int case_export_iodef(store_t *st, const case_actor_t *a, const char *ref, char **out, char *err,
		      size_t errlen)
{
	store_case_t c;
	links_t k = {0};
	char *buf = NULL, name[MODEL_NAME_MAX + 1], when[MODEL_TIME_LEN], now[MODEL_TIME_LEN];
	size_t len = 0;
	int rc = case_get(st, a, ref, &c);
	if (rc) {
		snprintf(err, errlen, "case %.48s: not found", ref ? ref : "");
		return rc;
	}
	case_lifecycle_t *lc = case_lifecycle_load(st, err, errlen);
	if (!lc)
		return CASE_ERR;
	if (case_links(st, a, &c, links_cb, &k)) {
		rc = CASE_ERR;
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto done;
	}
	hub_name(st, name, sizeof name);
	FILE *f = open_memstream(&buf, &len);
	xmlOutputBuffer *ob = f ? xmlOutputBufferCreateFile(f, NULL) : NULL;
	xw_t xw = {0}, *x = &xw;
	if (!ob || !(x->w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		if (f)
			fclose(f);
		free(buf);
		rc = CASE_ERR;
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	xmlTextWriterSetIndent(x->w, 1);
	model_time_fmt(a->now ? a->now : (int64_t)time(NULL), now);
	W(xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	W(xmlTextWriterStartElementNS(x->w, NULL, BAD_CAST "IODEF-Document",
				      BAD_CAST "urn:ietf:params:xml:ns:iodef-2.0"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "version", BAD_CAST "2.00"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "xml:lang", BAD_CAST "en"));
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Incident"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "purpose", BAD_CAST "reporting"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "status", BAD_CAST iodef_status(&c, lc)));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "restriction", BAD_CAST restriction_of(c.tlp)));
	W(xmlTextWriterStartElement(x->w, BAD_CAST "IncidentID"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "name", BAD_CAST name));
	W(xmlTextWriterWriteString(x->w, BAD_CAST c.ref));
	W(xmlTextWriterEndElement(x->w));
	if (c.resolved_at)
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "EndTime", BAD_CAST model_time_fmt(c.resolved_at, when)));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "ReportTime", BAD_CAST model_time_fmt(c.created, when)));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "GenerationTime", BAD_CAST now));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description", BAD_CAST c.title));
	char cls[CASE_CLASS_MAX + 40];
	snprintf(cls, sizeof cls, "classification (RSIT): %s; state: %s", c.classification, c.status);
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description", BAD_CAST cls));
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Assessment"));
	W(xmlTextWriterStartElement(x->w, BAD_CAST "SystemImpact"));
	/* IODEF knows low, medium, high: critical is high */
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "severity",
				      BAD_CAST(!strcmp(c.severity, "critical") ? "high" : c.severity)));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "type", BAD_CAST "unknown"));
	W(xmlTextWriterEndElement(x->w));
	W(xmlTextWriterEndElement(x->w));
	contact(x, "creator", name);
	contact(x, "reporter", c.reporter_name);
	int open = 0;
	for (size_t i = 0; i < k.n; i++) {
		const store_case_link_t *l = &k.v[i];
		const char *cat = NULL;
		int isname = 0;
		obs_t o;
		if (strcmp(l->kind, "observable") ||
		    obs_from_canonical(l->obs_type, l->target, strlen(l->target), &o))
			continue;
		switch (l->obs_type) {
		case OBS_IPV4: cat = obs_is_prefix(&o) ? "ipv4-net" : "ipv4-addr"; break;
		case OBS_IPV6: cat = obs_is_prefix(&o) ? "ipv6-net" : "ipv6-addr"; break;
		case OBS_URL: cat = "site-uri"; break;
		case OBS_EMAIL: cat = "e-mail"; break;
		case OBS_ASN: cat = "asn"; break;
		case OBS_DOMAIN: isname = 1; break;
		default: continue; /* hashes are not systems */
		}
		if (!open++) {
			W(xmlTextWriterStartElement(x->w, BAD_CAST "EventData"));
			W(xmlTextWriterStartElement(x->w, BAD_CAST "Flow"));
		}
		W(xmlTextWriterStartElement(x->w, BAD_CAST "System"));
		W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "category", BAD_CAST "source"));
		W(xmlTextWriterStartElement(x->w, BAD_CAST "Node"));
		if (isname) {
			W(xmlTextWriterStartElement(x->w, BAD_CAST "DomainData"));
			W(xmlTextWriterWriteElement(x->w, BAD_CAST "Name", BAD_CAST l->target));
			W(xmlTextWriterEndElement(x->w));
		} else {
			W(xmlTextWriterStartElement(x->w, BAD_CAST "Address"));
			W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "category", BAD_CAST cat));
			W(xmlTextWriterWriteString(x->w, BAD_CAST l->target));
			W(xmlTextWriterEndElement(x->w));
		}
		W(xmlTextWriterEndElement(x->w)); /* Node */
		W(xmlTextWriterEndElement(x->w)); /* System */
	}
	if (open) {
		W(xmlTextWriterEndElement(x->w));
		W(xmlTextWriterEndElement(x->w));
	}
	W(xmlTextWriterStartElement(x->w, BAD_CAST "History"));
	/* History needs one item at least: the case's opening is always there */
	case_timeline(st, a, &c, history_cb, x);
	W(xmlTextWriterEndElement(x->w));
	W(xmlTextWriterEndElement(x->w)); /* Incident */
	W(xmlTextWriterEndElement(x->w)); /* IODEF-Document */
	W(xmlTextWriterEndDocument(x->w));
	xmlFreeTextWriter(x->w); /* closes ob, which flushes to f */
	fclose(f);
	if (x->fail) {
		free(buf);
		rc = CASE_ERR;
		snprintf(err, errlen, "writing the IODEF document failed");
		goto done;
	}
	*out = buf;
	rc = 0;
done:
	free(k.v);
	case_lifecycle_free(lc);
	return rc;
}

/* ---- STIX 2.1 ---- */

static void stamp(int64_t t, char buf[32])
{
	stix_time_fmt(t * 1000000, buf);
}

/* The observable's SCO (NULL when there is none for its type). */
static json_t *sco(const store_case_link_t *l, char *id, size_t n)
{
	char u[37], key[OBS_VALUE_MAX + 32];
	const char *type = NULL;
	json_t *o;
	switch (l->obs_type) {
	case OBS_IPV4: type = "ipv4-addr"; break;
	case OBS_IPV6: type = "ipv6-addr"; break;
	case OBS_DOMAIN: type = "domain-name"; break;
	case OBS_URL: type = "url"; break;
	case OBS_EMAIL: type = "email-addr"; break;
	case OBS_MD5: case OBS_SHA1: case OBS_SHA256: type = "file"; break;
	case OBS_ASN: type = "autonomous-system"; break;
	default: return NULL;
	}
	snprintf(key, sizeof key, "%s|%s", type, l->target);
	stix_uuid5(key, u);
	snprintf(id, n, "%s--%s", type, u);
	o = json_pack("{s:s, s:s, s:s}", "type", type, "spec_version", "2.1", "id", id);
	if (!strcmp(type, "file")) {
		const char *alg = l->obs_type == OBS_MD5 ? "MD5" : l->obs_type == OBS_SHA1 ? "SHA-1" : "SHA-256";
		json_object_set_new(o, "hashes", json_pack("{s:s}", alg, l->target));
	} else if (!strcmp(type, "autonomous-system")) {
		json_object_set_new(o, "number", json_integer(strtoll(l->target + (l->target[0] == 'A' ? 2 : 0), NULL, 10)));
	} else {
		json_object_set_new(o, "value", json_string(l->target));
	}
	return o;
}

/* The STIX bundle of ref as a sees it, its links as la may see them (a
 * itself, or whom the hub shares the case with). */
static int export_stix(store_t *st, const case_actor_t *a, const case_actor_t *la, const char *ref,
		       char **out, char *err, size_t errlen)
{
	store_case_t c;
	links_t k = {0};
	char name[MODEL_NAME_MAX + 1], u[37], inc[64], ident[64], created[32], modified[32];
	int rc = case_get(st, a, ref, &c);
	if (rc) {
		snprintf(err, errlen, "case %.48s: not found", ref ? ref : "");
		return rc;
	}
	if (case_links(st, la, &c, links_cb, &k)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		return CASE_ERR;
	}
	hub_name(st, name, sizeof name);
	char key[256];
	snprintf(key, sizeof key, "identity|%s", name);
	stix_uuid5(key, u);
	snprintf(ident, sizeof ident, "identity--%s", u);
	snprintf(key, sizeof key, "incident|%s", c.ref);
	stix_uuid5(key, u);
	snprintf(inc, sizeof inc, "incident--%s", u);
	stamp(c.created, created);
	stamp(c.updated > c.created ? c.updated : c.created, modified);
	json_t *marks = json_pack("[s]", stix_tlp_marking(c.tlp));
	json_t *objs = json_array();
	json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", "identity",
					      "spec_version", "2.1", "id", ident, "created", created,
					      "modified", created, "name", name, "identity_class",
					      "organization"));
	char desc[CASE_TITLE_MAX + 200];
	snprintf(desc, sizeof desc, "%s — %s, severity %s, state %s, reported by %s", c.title,
		 c.classification, c.severity, c.status, c.reporter_name);
	json_t *incident = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:[{s:s, s:s}]}",
				     "type", "incident", "spec_version", "2.1", "id", inc, "created",
				     created, "modified", modified, "created_by_ref", ident, "name",
				     c.title, "description", desc, "object_marking_refs", marks,
				     "external_references", "source_name", name, "external_id", c.ref);
	json_object_set_new(incident, "labels", json_pack("[s]", c.classification));
	json_array_append_new(objs, incident);
	for (size_t i = 0; i < k.n; i++) {
		const store_case_link_t *l = &k.v[i];
		char sid[128], pat[OBS_VALUE_MAX + 128], iid[64], rid[64];
		obs_t o;
		if (strcmp(l->kind, "observable") ||
		    obs_from_canonical(l->obs_type, l->target, strlen(l->target), &o))
			continue;
		json_t *s = sco(l, sid, sizeof sid);
		if (!s)
			continue;
		json_array_append_new(objs, s);
		snprintf(key, sizeof key, "observed-data|%s|%.100s", c.ref, sid);
		stix_uuid5(key, u);
		char oid[64];
		snprintf(oid, sizeof oid, "observed-data--%s", u);
		json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:[s], s:O}",
						      "type", "observed-data", "spec_version", "2.1",
						      "id", oid, "created", created, "modified", created,
						      "created_by_ref", ident, "first_observed", created,
						      "last_observed", created, "number_observed", 1,
						      "object_refs", sid, "object_marking_refs", marks));
		snprintf(key, sizeof key, "rel|%s|%s", oid, inc);
		stix_uuid5(key, u);
		snprintf(rid, sizeof rid, "relationship--%s", u);
		json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O}",
						      "type", "relationship", "spec_version", "2.1", "id", rid,
						      "created", created, "modified", created,
						      "relationship_type", "related-to", "source_ref", oid,
						      "target_ref", inc, "object_marking_refs", marks));
		if (stix_pattern_of(&o, pat, sizeof pat))
			continue;
		snprintf(key, sizeof key, "indicator|%s|%.100s", c.ref, sid);
		stix_uuid5(key, u);
		snprintf(iid, sizeof iid, "indicator--%s", u);
		json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:O}",
						      "type", "indicator", "spec_version", "2.1", "id", iid,
						      "created", created, "modified", created,
						      "created_by_ref", ident, "name", l->target,
						      "pattern", pat, "pattern_type", "stix",
						      "pattern_version", "2.1", "valid_from", created,
						      "indicator_types", "malicious-activity",
						      "object_marking_refs", marks));
		snprintf(key, sizeof key, "rel|%s|%s", iid, inc);
		stix_uuid5(key, u);
		snprintf(rid, sizeof rid, "relationship--%s", u);
		json_array_append_new(objs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O}",
						      "type", "relationship", "spec_version", "2.1", "id", rid,
						      "created", created, "modified", created,
						      "relationship_type", "indicates", "source_ref", iid,
						      "target_ref", inc, "object_marking_refs", marks));
	}
	stix_uuid4(u);
	char bid[64];
	snprintf(bid, sizeof bid, "bundle--%s", u);
	json_t *b = json_pack("{s:s, s:s, s:o}", "type", "bundle", "id", bid, "objects", objs);
	json_decref(marks);
	free(k.v);
	*out = json_dumps(b, JSON_INDENT(1));
	json_decref(b);
	if (!*out) {
		snprintf(err, errlen, "out of memory");
		return CASE_ERR;
	}
	return 0;
}

int case_export_stix(store_t *st, const case_actor_t *a, const char *ref, char **out, char *err,
		     size_t errlen)
{
	return export_stix(st, a, a, ref, out, err, errlen);
}

/* ---- sharing over TAXII ---- */

int case_share(store_t *st, const case_actor_t *a, const char *ref, int64_t cid, int64_t to,
	       long *n, char *err, size_t errlen)
{
	store_case_t c;
	char *doc = NULL;
	int64_t hub;
	tlp_t dt;
	int rc;
	if (!a->hub)
		return snprintf(err, errlen, "share: only the hub's team shares cases"), CASE_EFORBIDDEN;
	if ((rc = case_get(st, a, ref, &c)))
		return snprintf(err, errlen, "case %.48s: not found", ref), rc;
	if (hub_read_settings(st, &hub, &dt))
		return snprintf(err, errlen, "hub settings missing (c5hub init)"), CASE_ERR;
	/* what leaves the hub holds the links its reporter may see, never
	 * another reporter's a merge carried in */
	case_actor_t outside = *a;
	outside.hub = 0;
	if ((rc = export_stix(st, a, &outside, ref, &doc, err, errlen)))
		return rc;
	stix_import_opts_t o = {.org_id = hub, .tlp = c.tlp, .source = c.ref, .confidence = 50,
				.cid = cid};
	if (rsit_check(c.classification) == 0)
		o.classification = c.classification;
	if (to)
		o.share[o.nshare++] = to;
	stix_result_t res = {0};
	if (stix_import_buf(st, doc, strlen(doc), c.ref, &o, &res, err, errlen)) {
		free(doc);
		return CASE_ERR;
	}
	free(doc);
	*n = res.objects + res.known;
	char what[200];
	snprintf(what, sizeof what, "shared into TAXII collection %lld (%ld objects)%s", (long long)cid,
		 *n, to ? ", named a recipient" : "");
	audit_entry_t ae = {.org_id = a->org_id, .actor = a->actor ? a->actor : "unknown",
			    .addr = a->addr ? a->addr : "local", .action = "case.share", .object = c.ref,
			    .detail = what};
	/* in the timeline too (it changes nothing of the case: no new version) */
	store_case_entry_t e = {.case_id = c.id, .created = a->now ? a->now : (int64_t)time(NULL),
				.visibility = CASE_VIS_INTERNAL, .author_org = a->org_id, .text = what,
				.version = c.version};
	snprintf(e.kind, sizeof e.kind, "share");
	snprintf(e.author, sizeof e.author, "%s", ae.actor);
	if (store_case_entry_add(st, &e) || audit_record(st, &ae))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), CASE_ERR;
	return 0;
}
