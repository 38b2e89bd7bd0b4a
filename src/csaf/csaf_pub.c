/* csaf_pub.c — advisories kept and published: saving an analyst's edit,
 * publishing a revision (the document made, checked, signed with the hub's
 * PKI and kept with the revision, audited, in one transaction), the preview,
 * importing another provider's document as a mirror (signed by the hub
 * when it has a PKI: the aggregator's signature), csaf_latest; the files
 * served are made in csaf_dist.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csaf/csaf.h"
#include "gw/gw.h"
#include "hub/hub.h"
#include "notify/notify.h"
#include "pki/pki.h"
#include "stix/stix.h"

int csaf_publisher(store_t *st, char *name, size_t namelen, char *base, size_t baselen)
{
	int64_t org;
	tlp_t t;
	org_t o;
	snprintf(name, namelen, "c5hub");
	if (hub_read_settings(st, &org, &t) == 0 && store_org_get(st, org, &o) == 0)
		snprintf(name, namelen, "%s", o.name);
	if (store_setting_get(st, "public_url", base, baselen) || !base[0])
		snprintf(base, baselen, "https://localhost");
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	return 0;
}

/* Fill the listed columns of a from the checked model adv. */
static void columns(store_adv_t *a, const json_t *adv)
{
	tlp_t t = TLP_CLEAR;
	snprintf(a->tracking_id, sizeof a->tracking_id, "%s", json_string_value(json_object_get(adv, "id")));
	snprintf(a->title, sizeof a->title, "%s", json_string_value(json_object_get(adv, "title")));
	snprintf(a->category, sizeof a->category, "%s", json_string_value(json_object_get(adv, "category")));
	tlp_parse(json_string_value(json_object_get(adv, "tlp")), &t);
	a->tlp = t;
}

static int audit(store_t *st, const audit_entry_t *who, const char *action, const char *object,
		 const char *detail)
{
	audit_entry_t e = *who;
	e.action = action;
	e.object = object;
	e.detail = detail;
	return audit_record(st, &e);
}

int csaf_save(store_t *st, const audit_entry_t *who, json_t *adv, int create, store_adv_t *out, char *path,
	      size_t pathlen, char *err, size_t errlen)
{
	int64_t org;
	tlp_t t;
	char *data = NULL;
	int rc = -3;
	memset(out, 0, sizeof *out);
	if (csaf_adv_check(adv, path, pathlen, err, errlen))
		return -1;
	if (hub_read_settings(st, &org, &t)) {
		snprintf(err, errlen, "hub settings missing; run c5hub init");
		return -3;
	}
	if (!(data = json_dumps(adv, JSON_COMPACT | JSON_PRESERVE_ORDER))) {
		snprintf(err, errlen, "out of memory");
		return -3;
	}
	const char *id = json_string_value(json_object_get(adv, "id"));
	if (store_begin(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto out;
	}
	int g = store_adv_get(st, id, out);
	if (g != STORE_OK && g != STORE_ENOTFOUND) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto fail;
	}
	if (create && g == STORE_OK) {
		snprintf(err, errlen, "advisory %s exists already", id);
		rc = -2;
		goto fail;
	}
	if (!create && (g != STORE_OK || out->mirror)) {
		snprintf(err, errlen, g != STORE_OK ? "no advisory %s" : "advisory %s is a mirror: it is not edited here",
			 id);
		rc = -2;
		goto fail;
	}
	if (create) {
		out->org_id = org;
		snprintf(out->status, sizeof out->status, "draft");
	}
	columns(out, adv);
	free(out->data);
	out->data = data;
	data = NULL;
	if (store_adv_put(st, out) ||
	    audit(st, who, create ? "advisory.create" : "advisory.edit", id, out->title) || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		rc = store_errmsg(st) && strstr(store_errmsg(st), "UNIQUE") ? -2 : -3;
		goto fail;
	}
	return 0;
fail:
	store_rollback(st);
out:
	free(data);
	store_adv_clear(out);
	return rc;
}

/* ---- the search index (the gateway's) ---- */

/* Put published advisory a (its model adv) in the search index, in the
 * caller's transaction: its text is the summary, the vulnerabilities' CVE
 * ids, titles and descriptions, and the products. */
static int index_put(store_t *st, const store_adv_t *a, const json_t *adv, char *err, size_t errlen)
{
	char *text = NULL, url[STORE_ADV_ID_MAX + 16];
	size_t tl = 0;
	FILE *f = open_memstream(&text, &tl);
	json_t *it;
	size_t i;
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	fprintf(f, "%s\n", json_string_value(json_object_get(adv, "summary")) ?: "");
	json_array_foreach(json_object_get(adv, "vulnerabilities"), i, it)
		fprintf(f, "%s %s %s\n", json_string_value(json_object_get(it, "cve")) ?: "",
			json_string_value(json_object_get(it, "title")) ?: "",
			json_string_value(json_object_get(it, "description")) ?: "");
	json_array_foreach(json_object_get(adv, "products"), i, it)
		fprintf(f, "%s %s %s\n", json_string_value(json_object_get(it, "vendor")) ?: "",
			json_string_value(json_object_get(it, "name")) ?: "",
			json_string_value(json_object_get(it, "version")) ?: "");
	if (fclose(f) || !text) {
		free(text);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(url, sizeof url, "/advisories/%s", a->tracking_id);
	gw_doc_t d = {.kind = "advisory", .ref = a->tracking_id, .title = a->title, .text = text, .tlp = a->tlp,
		      .org_id = a->org_id, .areas = GW_AREA_TECHNICAL, .stakeholder = "",
		      .country = "", .lang = json_string_value(json_object_get(adv, "lang")) ?: "",
		      .type = a->category, .url = url, .updated = a->current_date};
	int rc = gw_index_put(st, &d, err, errlen);
	free(text);
	return rc;
}

/* ---- the STIX report ---- */

/* Advisory a (model adv, published) as a STIX 2.1 report (one id per
 * advisory, a new version per revision) referring to a vulnerability object
 * per CVE and to the hub's identity, kept with a's TLP and giver and put in
 * the TAXII collection "advisories" when the operator made one; in the
 * caller's transaction. */
static int stix_put(store_t *st, const store_adv_t *a, const json_t *adv, char *err, size_t errlen)
{
	char uuid[37], id[80], by[80], name[300], created[32], modified[32], t[MODEL_TIME_LEN], rel[200], base[512];
	json_t *refs = json_array(), *it;
	size_t i;
	stix_result_t res = {0};
	store_coll_t coll;
	stix_import_opts_t o = {.org_id = a->org_id, .tlp = a->tlp, .source = "csaf", .confidence = 100};
	int rc = -1;
	if (store_coll_get(st, "advisories", -1, &coll) == STORE_OK)
		o.cid = coll.cid;
	csaf_publisher(st, name, sizeof name, base, sizeof base);
	snprintf(created, sizeof created, "%.19s.000Z", model_time_fmt(a->initial_date, t));
	snprintf(modified, sizeof modified, "%.19s.000Z", model_time_fmt(a->current_date, t));
	char key[400];
	snprintf(key, sizeof key, "identity:%s", name);
	stix_uuid5(key, uuid);
	snprintf(by, sizeof by, "identity--%s", uuid);
	json_t *ident = json_pack("{ss,ss,ss,ss,ss,ss,ss}", "type", "identity", "spec_version", "2.1", "id", by,
				  "created", created, "modified", created, "name", name, "identity_class", "organization");
	if (!ident || stix_import_json(st, ident, &o, &res, err, errlen)) {
		json_decref(ident);
		goto out;
	}
	json_decref(ident);
	json_array_append_new(refs, json_string(by));
	json_array_foreach(json_object_get(adv, "vulnerabilities"), i, it) {
		const char *cve = json_string_value(json_object_get(it, "cve"));
		if (!cve || !*cve)
			continue;
		snprintf(key, sizeof key, "vulnerability:%s", cve);
		stix_uuid5(key, uuid);
		snprintf(id, sizeof id, "vulnerability--%s", uuid);
		json_t *v = json_pack("{ss,ss,ss,ss,ss,ss,s[{ss,ss}]}", "type", "vulnerability", "spec_version", "2.1",
				      "id", id, "created", created, "modified", created, "name", cve,
				      "external_references", "source_name", "cve", "external_id", cve);
		if (!v || stix_import_json(st, v, &o, &res, err, errlen)) {
			json_decref(v);
			goto out;
		}
		json_decref(v);
		json_array_append_new(refs, json_string(id));
	}
	snprintf(key, sizeof key, "report:csaf:%s", a->tracking_id);
	stix_uuid5(key, uuid);
	snprintf(id, sizeof id, "report--%s", uuid);
	csaf_rel_path(a, rel, sizeof rel);
	char url[1200];
	snprintf(url, sizeof url, "%s/.well-known/csaf/%s/%s", base, csaf_tlp_dir(a->tlp), rel);
	const char *summary = json_string_value(json_object_get(adv, "summary"));
	json_t *r = json_pack("{ss,ss,ss,ss,ss,ss,ss,ss,s[s],sO,s[{ss,ss,ss}]}", "type", "report", "spec_version", "2.1",
			      "id", id, "created_by_ref", by, "created", created, "modified", modified, "name", a->title,
			      "published", modified, "report_types", "vulnerability", "object_refs", refs,
			      "external_references", "source_name", "csaf", "external_id", a->tracking_id, "url", url);
	if (r && summary && *summary)
		json_object_set_new(r, "description", json_string(summary));
	if (!r || stix_import_json(st, r, &o, &res, err, errlen)) {
		json_decref(r);
		goto out;
	}
	json_decref(r);
	rc = 0;
out:
	json_decref(refs);
	return rc;
}

/* ---- the subscribers ---- */

#define SUBS_MAX 8192 /* bytes of the setting: about 200 addresses */

int csaf_subscribe(store_t *st, const audit_entry_t *who, const char *addr, int on, char *err, size_t errlen)
{
	char *list = calloc(1, SUBS_MAX), *out = calloc(1, SUBS_MAX);
	const char *why;
	int rc = -1, found = 0;
	if (!list || !out) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (on && (why = notify_from_check(addr))) {
		snprintf(err, errlen, "%s: %s", addr, why);
		goto done;
	}
	if (store_begin(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto done;
	}
	if (store_setting_get(st, "csaf_subscribers", list, SUBS_MAX) != STORE_OK)
		list[0] = '\0';
	char *save = NULL;
	for (char *a = strtok_r(list, "\n", &save); a; a = strtok_r(NULL, "\n", &save)) {
		if (!strcasecmp(a, addr)) {
			found = 1;
			if (!on)
				continue;
		}
		size_t n = strlen(out);
		snprintf(out + n, SUBS_MAX - n, "%s\n", a);
	}
	if (on && !found) {
		size_t n = strlen(out);
		if (n + strlen(addr) + 2 >= SUBS_MAX) {
			snprintf(err, errlen, "the subscription list is full");
			store_rollback(st);
			goto done;
		}
		snprintf(out + n, SUBS_MAX - n, "%s\n", addr);
	}
	if (!on && !found) {
		snprintf(err, errlen, "%s is not subscribed", addr);
		store_rollback(st);
		goto done;
	}
	if (store_setting_set(st, "csaf_subscribers", out) ||
	    audit(st, who, on ? "advisory.subscribe" : "advisory.unsubscribe", addr, "") || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		goto done;
	}
	rc = 0;
done:
	free(list);
	free(out);
	return rc;
}

char *csaf_subscribers(store_t *st)
{
	char *list = calloc(1, SUBS_MAX);
	if (list && store_setting_get(st, "csaf_subscribers", list, SUBS_MAX) != STORE_OK)
		list[0] = '\0';
	return list;
}

/* One pending e-mail delivery per subscriber of published CLEAR advisory a
 * (the sender sends them: the server's within a second, `c5hub notify run`
 * otherwise); in the caller's transaction.  *n of them. */
static int mail_subscribers(store_t *st, const store_adv_t *a, int *n)
{
	int64_t org;
	tlp_t t;
	*n = 0;
	if (a->tlp != TLP_CLEAR)
		return 0; /* the list is anyone's addresses: CLEAR only */
	char *list = csaf_subscribers(st), *save = NULL;
	if (!list || hub_read_settings(st, &org, &t)) {
		free(list);
		return -1;
	}
	for (char *addr = strtok_r(list, "\n", &save); addr; addr = strtok_r(NULL, "\n", &save)) {
		store_delivery_t d = {.org_id = org, .warning_id = a->id, .tlp = a->tlp};
		snprintf(d.kind, sizeof d.kind, "advisory");
		snprintf(d.channel, sizeof d.channel, "email");
		snprintf(d.target, sizeof d.target, "%s", addr);
		if (store_delivery_add(st, &d)) {
			free(list);
			return -1;
		}
		(*n)++;
	}
	free(list);
	return 0;
}

/* ---- revisions ---- */

typedef struct {
	csaf_rev_t *r;
	char **sums;
	size_t n, cap;
} revs_t;

static int rev_cb(void *arg, int number, int64_t date, const char *summary)
{
	revs_t *v = arg;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		csaf_rev_t *r = realloc(v->r, cap * sizeof *r);
		if (!r)
			return -1;
		v->r = r;
		char **s = realloc(v->sums, cap * sizeof *s);
		if (!s)
			return -1;
		v->sums = s;
		v->cap = cap;
	}
	v->sums[v->n] = strdup(summary ? summary : "");
	v->r[v->n] = (csaf_rev_t){number, date, v->sums[v->n]};
	if (!v->sums[v->n])
		return -1;
	v->n++;
	return 0;
}

static void revs_free(revs_t *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->sums[i]);
	free(v->sums);
	free(v->r);
}

/* The revisions of a and the one to come (number, date, summary). */
static int revs_load(store_t *st, const store_adv_t *a, revs_t *v, int64_t now, const char *summary)
{
	memset(v, 0, sizeof *v);
	if (store_adv_revs(st, a->id, rev_cb, v))
		return -1;
	/* a second within the last revision's: strictly later dates (6.1.14) */
	if (v->n && now <= v->r[v->n - 1].date)
		now = v->r[v->n - 1].date + 1;
	return rev_cb(v, a->version + 1, now, summary);
}

/* The document of a with its revisions (the model parsed, the publisher
 * from the settings). */
static json_t *make_doc(store_t *st, const store_adv_t *a, const revs_t *v, int draft, char *err, size_t errlen)
{
	char name[256], base[512];
	json_error_t je;
	json_t *adv = json_loads(a->data, 0, &je);
	if (!adv) {
		snprintf(err, errlen, "advisory %s: its stored fields do not read: %s", a->tracking_id, je.text);
		return NULL;
	}
	csaf_publisher(st, name, sizeof name, base, sizeof base);
	csaf_publisher_t pub = {name, base};
	json_t *doc = csaf_document(adv, &pub, v->r, v->n, draft);
	json_decref(adv);
	if (!doc)
		snprintf(err, errlen, "out of memory");
	return doc;
}

json_t *csaf_preview(store_t *st, const char *id, char *err, size_t errlen)
{
	store_adv_t a;
	revs_t v;
	json_t *doc = NULL;
	if (store_adv_get(st, id, &a)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		return NULL;
	}
	if (a.mirror) {
		json_error_t je;
		doc = a.doc ? json_loads(a.doc, 0, &je) : NULL;
		if (!doc)
			snprintf(err, errlen, "advisory %s: no document", id);
		store_adv_clear(&a);
		return doc;
	}
	if (revs_load(st, &a, &v, (int64_t)time(NULL), "Preview") == 0)
		doc = make_doc(st, &a, &v, 0, err, errlen);
	else
		snprintf(err, errlen, "store: %s", store_errmsg(st));
	revs_free(&v);
	store_adv_clear(&a);
	return doc;
}

static int pki_dir(store_t *st, char *dir, size_t n, char *err, size_t errlen)
{
	if (store_setting_get(st, "pki_dir", dir, n) == STORE_OK && dir[0])
		return 0;
	snprintf(err, errlen, "no certificate authority to sign with; run `c5hub pki init`");
	return -1;
}

int csaf_publish(store_t *st, const audit_entry_t *who, const char *id, const char *summary,
		 store_adv_t *out, char *err, size_t errlen)
{
	revs_t v = {0};
	json_t *doc = NULL;
	char *text = NULL, *p7 = NULL, dir[4096], path[512], why[400];
	int64_t now = (int64_t)time(NULL);
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (pki_dir(st, dir, sizeof dir, err, errlen))
		return -1;
	if (store_begin(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		return -1;
	}
	if (store_adv_get(st, id, out)) {
		snprintf(err, errlen, "%s", store_errmsg(st));
		goto fail;
	}
	if (out->mirror) {
		snprintf(err, errlen, "advisory %s is a mirror of %s: its publisher publishes it", id, out->source);
		goto fail;
	}
	if (!summary || !*summary)
		summary = out->version ? "Update" : "Initial version";
	if (revs_load(st, out, &v, now, summary)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto fail;
	}
	if (!(doc = make_doc(st, out, &v, 0, err, errlen)))
		goto fail;
	if (csaf_doc_check(doc, path, sizeof path, why, sizeof why)) {
		snprintf(err, errlen, "the document made does not check: %s: %s", path, why);
		goto fail;
	}
	if (!(text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	size_t len = strlen(text);
	if (pki_sign(dir, text, len, &p7, err, errlen))
		goto fail;
	const csaf_rev_t *r = &v.r[v.n - 1];
	out->version = r->number;
	if (!out->initial_date)
		out->initial_date = v.r[0].date;
	out->current_date = r->date;
	snprintf(out->status, sizeof out->status, "final");
	free(out->doc);
	free(out->sig);
	out->doc = text;
	out->sig = p7;
	text = p7 = NULL;
	char detail[64];
	snprintf(detail, sizeof detail, "revision %d", r->number);
	json_error_t je;
	json_t *model = json_loads(out->data, 0, &je);
	if (!model || index_put(st, out, model, err, errlen)) {
		if (!model)
			snprintf(err, errlen, "advisory %s: its stored fields do not read", id);
		json_decref(model);
		goto fail;
	}
	int nmail;
	if (mail_subscribers(st, out, &nmail)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		json_decref(model);
		goto fail;
	}
	if (stix_put(st, out, model, err, errlen)) {
		json_decref(model);
		goto fail;
	}
	json_decref(model);
	if (store_adv_rev_add(st, out->id, r->number, r->date, r->summary, out->doc) || store_adv_put(st, out) ||
	    audit(st, who, "advisory.publish", id, detail) || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto fail;
	}
	rc = 0;
	goto out;
fail:
	store_rollback(st);
	store_adv_clear(out);
out:
	free(text);
	free(p7);
	json_decref(doc);
	revs_free(&v);
	return rc;
}

int csaf_import(store_t *st, const audit_entry_t *who, const char *buf, size_t len, const char *source,
		int64_t org, store_adv_t *out, char *err, size_t errlen)
{
	json_t *doc = NULL, *adv = NULL;
	char path[512], why[400];
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (csaf_parse(buf, len, &doc, &adv, err, errlen))
		return -1;
	/* the model read back must be one the hub can hold */
	if (csaf_adv_check(adv, path, sizeof path, why, sizeof why)) {
		/* a foreign document may say less than an analyst must (a
		 * base notice with no summary): it is kept as it came, the model
		 * only lists it */
	}
	json_t *tr = json_object_get(json_object_get(doc, "document"), "tracking");
	const char *id = json_string_value(json_object_get(tr, "id"));
	long ver = strtol(json_string_value(json_object_get(tr, "version")), NULL, 10);
	int64_t cur = 0, ini = 0;
	model_time_parse(json_string_value(json_object_get(tr, "current_release_date")), &cur);
	model_time_parse(json_string_value(json_object_get(tr, "initial_release_date")), &ini);
	/* the publisher kept with the model: the aggregator's folders are
	 * found by it without reading every document (csaf_dist.c) */
	json_object_set(adv, "publisher", json_object_get(json_object_get(doc, "document"), "publisher"));
	char *data = json_dumps(adv, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char *text = strndup(buf, len), *p7 = NULL, dir[4096], why2[200];
	if (!data || !text) {
		snprintf(err, errlen, "out of memory");
		free(data);
		free(text);
		goto out;
	}
	/* the aggregator's signature of the bytes as they came (CSAF 7.2.5:
	 * made by the aggregator when the issuing party's is not copied);
	 * none when the hub has no PKI */
	if (!pki_dir(st, dir, sizeof dir, why2, sizeof why2) && pki_sign(dir, text, len, &p7, err, errlen)) {
		free(data);
		free(text);
		goto out;
	}
	if (store_begin(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		free(data);
		free(text);
		goto out;
	}
	int g = store_adv_get(st, id, out);
	if (g == STORE_OK && !out->mirror) {
		snprintf(err, errlen, "/document/tracking/id: %s is one of this hub's own advisories", id);
		goto fail2;
	}
	if (g == STORE_OK && out->version >= ver) {
		snprintf(err, errlen, "/document/tracking/version: version %ld of %s is held already (%d)", ver, id,
			 out->version);
		goto fail2;
	}
	if (g != STORE_OK && g != STORE_ENOTFOUND) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto fail2;
	}
	store_adv_clear(out);
	columns(out, adv);
	out->org_id = g == STORE_OK ? out->org_id : org;
	if (g != STORE_OK)
		out->id = 0;
	out->mirror = 1;
	snprintf(out->source, sizeof out->source, "%s", source);
	snprintf(out->status, sizeof out->status, "final");
	out->version = (int)(ver > 0 && ver < 1000000 ? ver : 1);
	out->initial_date = ini;
	out->current_date = cur;
	out->data = data;
	out->doc = text;
	out->sig = p7;
	p7 = NULL;
	if (index_put(st, out, adv, err, errlen)) {
		store_rollback(st);
		store_adv_clear(out);
		goto out;
	}
	if (store_adv_put(st, out) || audit(st, who, "advisory.import", id, source) || store_commit(st)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		store_rollback(st);
		store_adv_clear(out);
		goto out;
	}
	rc = 0;
	goto out;
fail2:
	free(data);
	free(text);
	free(p7);
	store_rollback(st);
	store_adv_clear(out);
out:
	json_decref(doc);
	json_decref(adv);
	return rc;
}

/* ---- the latest published ---- */

int csaf_latest(store_t *st, const tlp_view_t *v, int64_t limit, store_adv_cb cb, void *arg)
{
	return store_adv_list(st, v, 1, 0, limit, cb, arg);
}

/* ---- fetching a document ---- */

#include "core/libs_curl.h"
#include "core/util.h"

#define CSAF_DOC_MAX (16u * 1024 * 1024)

typedef struct {
	char *b;
	size_t n, cap;
	int over;
} fbuf_t;

static size_t fwrite_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	fbuf_t *f = arg;
	size_t n = size * nmemb;
	if (f->n + n + 1 > CSAF_DOC_MAX) {
		f->over = 1;
		return 0;
	}
	if (f->n + n + 1 > f->cap) {
		size_t cap = (f->n + n + 1) * 2;
		char *t = realloc(f->b, cap);
		if (!t)
			return 0;
		f->b = t;
		f->cap = cap;
	}
	memcpy(f->b + f->n, p, n);
	f->n += n;
	f->b[f->n] = '\0';
	return n;
}

char *csaf_read(const char *where, size_t *len, char *err, size_t errlen)
{
	if (strncmp(where, "https://", 8) && strncmp(where, "http://", 7)) {
		char *t = util_read_text(where, CSAF_DOC_MAX, err, errlen);
		if (t)
			*len = strlen(t);
		return t;
	}
	fbuf_t f = {0};
	long code = 0;
	CURL *h = curl_easy_init();
	if (!h) {
		snprintf(err, errlen, "%s: cannot start libcurl", where);
		return NULL;
	}
	curl_easy_setopt(h, CURLOPT_URL, where);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fwrite_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &f);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "c5hub-csaf/1");
	CURLcode cr = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(h);
	if (cr != CURLE_OK || code != 200) {
		if (f.over)
			snprintf(err, errlen, "%s: larger than %u bytes", where, CSAF_DOC_MAX);
		else if (cr != CURLE_OK)
			snprintf(err, errlen, "%s: %s", where, curl_easy_strerror(cr));
		else
			snprintf(err, errlen, "%s: HTTP status %ld", where, code);
		free(f.b);
		return NULL;
	}
	if (!f.b && !(f.b = strdup(""))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	*len = f.n;
	return f.b;
}

