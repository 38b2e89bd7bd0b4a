/* iodef.c — IODEF in and out with libxml2 (see iodef.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/libs_xml.h"
#include "core/obs.h"
#include "core/util.h"
#include "iodef/iodef.h"
#include "stix/stix_pattern.h"

#define NS1 "urn:ietf:params:xml:ns:iodef-1.0"
#define NS2 "urn:ietf:params:xml:ns:iodef-2.0"

/* ---- reading ---- */

static int is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name) && n->ns &&
	       (!strcmp((const char *)n->ns->href, NS1) || !strcmp((const char *)n->ns->href, NS2));
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* The trimmed text of n as a jansson string (NULL when empty). */
static json_t *text(const xmlNode *n)
{
	if (!n)
		return NULL;
	xmlChar *t = xmlNodeGetContent(n);
	const char *s = (const char *)t;
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	json_t *j = len ? json_stringn(s, len) : NULL;
	xmlFree(t);
	return j;
}

/* An attribute as a jansson string (NULL when absent). */
static json_t *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	json_t *j = v ? json_string((const char *)v) : NULL;
	xmlFree(v);
	return j;
}

static void set(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new(o, key, v);
}

static int restriction_tlp(const char *r, tlp_t *t)
{
	static const struct {
		const char *name;
		tlp_t tlp;
	} map[] = {{"white", TLP_CLEAR},   {"public", TLP_CLEAR},      {"green", TLP_GREEN},
		   {"amber", TLP_AMBER},   {"partner", TLP_AMBER},     {"need-to-know", TLP_AMBER},
		   {"red", TLP_RED},       {"private", TLP_RED}};
	for (size_t i = 0; r && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(r, map[i].name)) {
			*t = map[i].tlp;
			return 0;
		}
	return -1;
}

typedef struct {
	store_t *st;
	const stix_import_opts_t *o;
	iodef_result_t *res;
	const char *name;
	char *err;
	size_t errlen;
	char inc_key[600];   /* "name#id" of the incident being read */
	char id_key[640];    /* what its STIX ids derive from: "ORG|name#id", the
				reporting organisation first, so that one
				constituent's report neither collides with nor
				tells of another's under the same IncidentID */
	char stamp[32];      /* its time, as STIX                      */
	tlp_t tlp;
	int tlp_given;
} rd_t;

static int put(rd_t *r, json_t *obj, long line)
{
	char why[600];
	if (!obj)
		return snprintf(r->err, r->errlen, "%s:%ld: out of memory", r->name, line), -1;
	int rc = stix_import_json(r->st, obj, r->o, &r->res->stix, why, sizeof why);
	json_decref(obj);
	if (rc)
		snprintf(r->err, r->errlen, "%s:%ld: %s", r->name, line, why);
	return rc;
}

/* An indicator object for one address or name of a source or intermediate
 * system (values that are not observables are kept in x_iodef only). */
static int indicator(rd_t *r, const char *category, const char *value, obs_type_t want, long line)
{
	obs_t o;
	char e[200], pattern[OBS_VALUE_MAX * 2 + 64], name[1400], uuid[37], id[64];
	if (obs_parse(value, strlen(value), want, &o, e, sizeof e) ||
	    stix_pattern_of(&o, pattern, sizeof pattern))
		return 0;
	snprintf(name, sizeof name, "iodef|%s|%s", r->id_key, o.value);
	stix_uuid5(name, uuid);
	snprintf(id, sizeof id, "indicator--%s", uuid);
	json_t *ind = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s]}",
				"type", "indicator", "spec_version", "2.1", "id", id, "created",
				r->stamp, "modified", r->stamp, "name", o.value, "pattern", pattern,
				"pattern_type", "stix", "pattern_version", "2.1", "valid_from", r->stamp,
				"indicator_types",
				!strcmp(category, "source") ? "compromised" : "malicious-activity",
				"labels", category);
	if (ind && r->tlp_given)
		json_object_set_new(ind, "object_marking_refs",
				    json_pack("[s]", stix_tlp_marking(r->tlp)));
	r->res->indicators++;
	return put(r, ind, line);
}

static int one_system(rd_t *r, const xmlNode *sys, json_t *systems)
{
	json_t *s = json_object(), *addrs = json_array(), *names = json_array(), *ports = json_array();
	json_t *cat = attr(sys, "category");
	const char *category = cat ? json_string_value(cat) : "";
	int rc = 0;
	xmlNode *node = child(sys, "Node");
	for (xmlNode *c = node ? node->children : NULL; c && !rc; c = c->next) {
		json_t *v = NULL;
		if (is(c, "Address")) {
			json_t *ac = attr(c, "category");
			if ((v = text(c))) {
				json_array_append_new(addrs, json_pack("{s:s, s:O}", "category",
								       ac ? json_string_value(ac) : "ipv4-addr", "value", v));
				if (!strcmp(category, "source") || !strcmp(category, "intermediate")) {
					const char *acs = ac ? json_string_value(ac) : "ipv4-addr";
					obs_type_t want = !strncmp(acs, "ipv4", 4)   ? OBS_IPV4
							  : !strncmp(acs, "ipv6", 4) ? OBS_IPV6
							  : !strcmp(acs, "site-uri") ? OBS_URL
							  : !strcmp(acs, "e-mail")   ? OBS_EMAIL
							  : !strcmp(acs, "asn")      ? OBS_ASN
										     : OBS_NTYPES;
					if (want != OBS_NTYPES)
						rc = indicator(r, category, json_string_value(v), want,
							       xmlGetLineNo(c));
				}
			}
			json_decref(ac);
		} else if (is(c, "NodeName") || is(c, "DomainData")) {
			if ((v = text(is(c, "DomainData") ? child(c, "Name") : c))) {
				json_array_append(names, v);
				if (!strcmp(category, "source") || !strcmp(category, "intermediate"))
					rc = indicator(r, category, json_string_value(v), OBS_DOMAIN,
						       xmlGetLineNo(c));
			}
		}
		json_decref(v);
	}
	for (xmlNode *c = sys->children; c; c = c->next) {
		json_t *p = is(c, "Service") ? text(child(c, "Port")) : NULL;
		if (p)
			json_array_append_new(ports, p);
	}
	set(s, "category", cat);
	json_object_set_new(s, "addresses", addrs);
	json_object_set_new(s, "names", names);
	json_object_set_new(s, "ports", ports);
	set(s, "description", text(child(sys, "Description")));
	json_array_append_new(systems, s);
	r->res->systems++;
	return rc;
}

/* The systems of the flows of an EventData, and of its nested ones. */
static int event_data(rd_t *r, const xmlNode *ed, json_t *systems, int depth)
{
	if (depth > 16)
		return snprintf(r->err, r->errlen, "%s:%ld: EventData nested too deep", r->name,
				(long)xmlGetLineNo(ed)), -1;
	for (xmlNode *c = ed->children; c; c = c->next) {
		if (is(c, "Flow")) {
			for (xmlNode *s = c->children; s; s = s->next)
				if (is(s, "System") && one_system(r, s, systems))
					return -1;
		} else if (is(c, "EventData") && event_data(r, c, systems, depth + 1)) {
			return -1;
		}
	}
	return 0;
}

static json_t *assessment(const xmlNode *a)
{
	json_t *out = json_object();
	set(out, "occurrence", attr(a, "occurrence"));
	for (xmlNode *c = a->children; c; c = c->next) {
		if (!is(c, "Impact") && !is(c, "SystemImpact"))
			continue;
		set(out, "severity", attr(c, "severity"));
		set(out, "completion", attr(c, "completion"));
		set(out, "type", attr(c, "type"));
		break;
	}
	return out;
}

static json_t *contact(const xmlNode *c)
{
	json_t *out = json_object();
	xmlNode *email = child(c, "Email");
	set(out, "role", attr(c, "role"));
	set(out, "type", attr(c, "type"));
	set(out, "name", text(child(c, "ContactName")));
	set(out, "email", text(child(email, "EmailTo") ? child(email, "EmailTo") : email));
	return out;
}

static int one_incident(rd_t *r, const xmlNode *inc, int version)
{
	long line = xmlGetLineNo(inc);
	xmlNode *idn = child(inc, "IncidentID");
	json_t *id = text(idn), *idname = attr(idn, "name"), *restr = attr(inc, "restriction");
	char uuid[37], sid[64];
	int64_t t = 0;
	if (!id || !idname) {
		json_decref(id);
		json_decref(idname);
		json_decref(restr);
		return snprintf(r->err, r->errlen, "%s:%ld: Incident: an IncidentID with a name is "
				"required", r->name, line), -1;
	}
	snprintf(r->inc_key, sizeof r->inc_key, "%s#%s", json_string_value(idname), json_string_value(id));
	snprintf(r->id_key, sizeof r->id_key, "%lld|%s", (long long)r->o->org_id, r->inc_key);
	r->tlp = r->o->tlp;
	r->tlp_given = restr && !restriction_tlp(json_string_value(restr), &r->tlp);
	static const char *const times[] = {"ReportTime", "GenerationTime", "DetectTime", "StartTime"};
	for (size_t i = 0; i < sizeof times / sizeof times[0] && !t; i++) {
		json_t *v = text(child(inc, times[i]));
		if (v && model_time_parse(json_string_value(v), &t))
			t = 0;
		json_decref(v);
	}
	stix_time_fmt((t ? t : (int64_t)time(NULL)) * 1000000, r->stamp);
	/* what IODEF says, kept */
	json_t *x = json_pack("{s:i, s:{s:O, s:O}}", "version", version, "incident_id", "name", idname,
			      "id", id);
	json_t *systems = json_array(), *contacts = json_array(), *descs = json_array();
	set(x, "purpose", attr(inc, "purpose"));
	set(x, "restriction", json_incref(restr));
	json_object_set_new(x, "systems", systems);
	json_object_set_new(x, "contacts", contacts);
	int rc = 0;
	for (xmlNode *c = inc->children; c && !rc; c = c->next) {
		if (is(c, "Description")) {
			json_t *d = text(c);
			if (d)
				json_array_append_new(descs, d);
		} else if (is(c, "Assessment") && !json_object_get(x, "assessment"))
			json_object_set_new(x, "assessment", assessment(c));
		else if (is(c, "Contact"))
			json_array_append_new(contacts, contact(c));
		else if (is(c, "EventData"))
			rc = event_data(r, c, systems, 0);
	}
	if (rc) {
		json_decref(x);
		json_decref(descs);
		json_decref(id);
		json_decref(idname);
		json_decref(restr);
		return -1;
	}
	char key[700];
	snprintf(key, sizeof key, "iodef-incident|%s", r->id_key);
	stix_uuid5(key, uuid);
	snprintf(sid, sizeof sid, "incident--%s", uuid);
	json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "type", "incident",
				"spec_version", "2.1", "id", sid, "created", r->stamp, "modified",
				r->stamp, "name", r->inc_key, "x_iodef", x);
	if (obj && json_array_size(descs))
		json_object_set(obj, "description", json_array_get(descs, 0));
	if (obj && r->tlp_given)
		json_object_set_new(obj, "object_marking_refs", json_pack("[s]", stix_tlp_marking(r->tlp)));
	json_decref(descs);
	json_decref(id);
	json_decref(idname);
	json_decref(restr);
	r->res->incidents++;
	return put(r, obj, line);
}

/* The first error of a parse (libxml2 reports every later one too). */
typedef struct {
	int line, set;
	char msg[200];
} first_err_t;

static void on_xml_error(void *arg, xmlErrorPtr e)
{
	first_err_t *f = arg;
	if (f->set || !e)
		return;
	f->set = 1;
	f->line = e->line;
	snprintf(f->msg, sizeof f->msg, "%s", e->message ? e->message : "parse error");
	size_t n = strlen(f->msg);
	while (n && (f->msg[n - 1] == '\n' || f->msg[n - 1] == ' '))
		f->msg[--n] = '\0';
}

int iodef_import_buf(store_t *st, const char *buf, size_t len, const char *name,
		     const stix_import_opts_t *o, iodef_result_t *res, char *err, size_t errlen)
{
	rd_t r = {.st = st, .o = o, .res = res, .name = name, .err = err, .errlen = errlen};
	memset(res, 0, sizeof *res);
	if (len > INT32_MAX)
		return snprintf(err, errlen, "%s: too large", name), -1;
	/* no network, no DTD, no entity substitution: untrusted input.  The
	 * error handler is per thread in libxml2. */
	first_err_t fe = {0};
	xmlSetStructuredErrorFunc(&fe, on_xml_error);
	xmlDoc *doc = xmlReadMemory(buf, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc)
		return snprintf(err, errlen, "%s:%d: not well-formed XML: %s", name, fe.line,
				fe.set ? fe.msg : "parse error"), -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	int rc = 0;
	if (!is(root, "IODEF-Document")) {
		rc = snprintf(err, errlen, "%s:%ld: not an IODEF-Document (in %s or %s)", name,
			      root ? (long)xmlGetLineNo(root) : 1L, NS2, NS1);
		rc = -1;
	} else {
		res->version = !strcmp((const char *)root->ns->href, NS2) ? 2 : 1;
		for (xmlNode *c = root->children; c && !rc; c = c->next)
			if (is(c, "Incident"))
				rc = one_incident(&r, c, res->version);
		if (!rc && !res->incidents)
			rc = (snprintf(err, errlen, "%s: no Incident", name), -1);
	}
	xmlFreeDoc(doc);
	return rc;
}

int iodef_import_file(store_t *st, const char *path, const stix_import_opts_t *o,
		      iodef_result_t *res, char *err, size_t errlen)
{
	char *buf = util_read_text(path, IODEF_FILE_MAX, err, errlen);
	if (!buf)
		return -1;
	int rc = iodef_import_buf(st, buf, strlen(buf), path, o, res, err, errlen);
	free(buf);
	return rc;
}

/* ---- writing ---- */

typedef struct {
	xmlTextWriter *w;
	const iodef_export_opts_t *o;
	char now[32];
	long incidents;
	int fail;
	/* the reporting incident of one TLP level */
	tlp_t level;
	long systems;
	int64_t cursor;
} wr_t;

#define W(call) do { if ((call) < 0) x->fail = 1; } while (0)

static const char *one_of(const char *v, const char *const *set, const char *dflt)
{
	for (int i = 0; v && set[i]; i++)
		if (!strcmp(v, set[i]))
			return v;
	return dflt;
}

static const char *restriction_of(tlp_t t)
{
	return t == TLP_CLEAR ? "white" : t == TLP_GREEN ? "green" : t == TLP_RED ? "red" : "amber";
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* IODEF 1 impact types in IODEF 2 terms */
static const char *impact_type(const char *t)
{
	static const char *const v1[][2] = {
		{"dos", "availability-service"}, {"admin", "takeover-system"},
		{"user", "takeover-account"},     {"file", "integrity-data"},
		{"info-leak", "breach-proprietary"}, {"misconfiguration", "integrity-configuration"},
		{"recon", "monitoring-host"},     {"policy", "policy"}};
	static const char *const v2[] = {
		"takeover-account", "takeover-service", "takeover-system", "cps-manipulation",
		"cps-damage", "availability-data", "availability-account", "availability-service",
		"availability-system", "damaged-system", "damaged-data", "breach-proprietary",
		"breach-privacy", "breach-credential", "breach-configuration", "integrity-data",
		"integrity-configuration", "integrity-hardware", "traffic-redirection",
		"monitoring-traffic", "monitoring-host", "policy", "unknown", NULL};
	for (size_t i = 0; t && i < sizeof v1 / sizeof v1[0]; i++)
		if (!strcmp(t, v1[i][0]))
			return v1[i][1];
	return one_of(t, v2, "unknown");
}

static void write_contact(wr_t *x, const char *role, const char *type, const char *name,
			  const char *email)
{
	static const char *const roles[] = {"creator", "reporter", "admin", "tech", "provider", "user",
					    "billing", "legal", "irt", "abuse", "cc", "cc-irt", "leo",
					    "vendor", "vendor-support", "victim", "victim-notified", NULL};
	static const char *const types[] = {"person", "organization", NULL};
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Contact"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "role", BAD_CAST one_of(role, roles, "creator")));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "type", BAD_CAST one_of(type, types, "organization")));
	if (name)
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "ContactName", BAD_CAST name));
	if (email) {
		W(xmlTextWriterStartElement(x->w, BAD_CAST "Email"));
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "EmailTo", BAD_CAST email));
		W(xmlTextWriterEndElement(x->w));
	}
	W(xmlTextWriterEndElement(x->w));
}

static void start_incident(wr_t *x, const char *purpose, tlp_t t, const char *idname,
			   const char *id, const char *report_time)
{
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Incident"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "purpose", BAD_CAST purpose));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "restriction", BAD_CAST restriction_of(t)));
	W(xmlTextWriterStartElement(x->w, BAD_CAST "IncidentID"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "name", BAD_CAST idname));
	W(xmlTextWriterWriteString(x->w, BAD_CAST id));
	W(xmlTextWriterEndElement(x->w));
	if (report_time)
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "ReportTime", BAD_CAST report_time));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "GenerationTime", BAD_CAST x->now));
}

/* A System and its Node opened; then node_name / node_addr, then
 * system_end. */
static void system_start(wr_t *x, const char *category)
{
	static const char *const cats[] = {"source", "target", "intermediate", "sensor",
					   "infrastructure", NULL};
	W(xmlTextWriterStartElement(x->w, BAD_CAST "System"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "category", BAD_CAST one_of(category, cats, "source")));
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Node"));
}

static void node_name(wr_t *x, const char *name)
{
	W(xmlTextWriterStartElement(x->w, BAD_CAST "DomainData"));
	W(xmlTextWriterWriteElement(x->w, BAD_CAST "Name", BAD_CAST name));
	W(xmlTextWriterEndElement(x->w));
}

static void node_addr(wr_t *x, const char *acat, const char *value)
{
	W(xmlTextWriterStartElement(x->w, BAD_CAST "Address"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "category", BAD_CAST acat));
	W(xmlTextWriterWriteString(x->w, BAD_CAST value));
	W(xmlTextWriterEndElement(x->w));
}

/* A port as IODEF writes one (xs:integer): digits only. */
static int port_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	return n > 0 && n <= 5 && strspn(p, "0123456789") == n;
}

/* Close the Node; a Service per port (a JSON array of strings, or NULL),
 * the description, and close the System. */
static void system_end(wr_t *x, json_t *ports, const char *desc)
{
	json_t *p;
	size_t i;
	W(xmlTextWriterEndElement(x->w)); /* Node */
	json_array_foreach(ports, i, p) {
		if (!port_ok(json_string_value(p)))
			continue;
		W(xmlTextWriterStartElement(x->w, BAD_CAST "Service"));
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "Port", BAD_CAST json_string_value(p)));
		W(xmlTextWriterEndElement(x->w));
	}
	if (desc)
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description", BAD_CAST desc));
	W(xmlTextWriterEndElement(x->w)); /* System */
}

static const char *addr_category(const char *given)
{
	static const char *const cats[] = {"asn", "atm", "e-mail", "ipv4-addr", "ipv4-net",
					   "ipv4-net-masked", "ipv4-net-mask", "ipv6-addr",
					   "ipv6-net", "ipv6-net-mask", "mac", "site-uri", NULL};
	return one_of(given, cats, "ipv4-addr");
}

/* A stored incident object, back as IODEF 2. */
static int incident_cb(void *arg, const store_stix_t *o)
{
	wr_t *x = arg;
	static const char *const purposes[] = {"traceback", "mitigation", "reporting", "watch",
					       "other", NULL};
	static const char *const sev[] = {"low", "medium", "high", NULL};
	static const char *const comp[] = {"failed", "succeeded", NULL};
	x->cursor = o->rid;
	if (strcmp(o->type, "incident"))
		return 0;
	json_t *obj = json_loadb(o->json, o->json_len, 0, NULL), *v;
	json_t *xi = json_object_get(obj, "x_iodef"), *iid = json_object_get(xi, "incident_id");
	size_t i;
	if (!obj)
		return 0;
	char created[32];
	snprintf(created, sizeof created, "%.19sZ", str(obj, "created") ? str(obj, "created") : x->now);
	start_incident(x, one_of(str(xi, "purpose"), purposes, "reporting"), o->tlp,
		       str(iid, "name") ? str(iid, "name") : x->o->hub_name,
		       str(iid, "id") ? str(iid, "id") : o->id, created);
	if (str(obj, "description"))
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description", BAD_CAST str(obj, "description")));
	json_t *as = json_object_get(xi, "assessment");
	if (as && str(as, "type")) {
		W(xmlTextWriterStartElement(x->w, BAD_CAST "Assessment"));
		if (str(as, "occurrence") && (!strcmp(str(as, "occurrence"), "actual") ||
					      !strcmp(str(as, "occurrence"), "potential")))
			W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "occurrence", BAD_CAST str(as, "occurrence")));
		W(xmlTextWriterStartElement(x->w, BAD_CAST "SystemImpact"));
		if (one_of(str(as, "severity"), sev, NULL))
			W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "severity", BAD_CAST str(as, "severity")));
		if (one_of(str(as, "completion"), comp, NULL))
			W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "completion", BAD_CAST str(as, "completion")));
		W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "type", BAD_CAST impact_type(str(as, "type"))));
		W(xmlTextWriterEndElement(x->w));
		W(xmlTextWriterEndElement(x->w));
	}
	json_t *contacts = json_object_get(xi, "contacts");
	json_array_foreach(contacts, i, v)
		write_contact(x, str(v, "role"), str(v, "type"), str(v, "name"), str(v, "email"));
	if (!json_array_size(contacts))
		write_contact(x, "creator", "organization", x->o->hub_name, x->o->contact);
	json_t *systems = json_object_get(xi, "systems");
	int open = 0;
	json_array_foreach(systems, i, v) {
		/* every name and address kept (x_iodef), then its ports */
		json_t *addrs = json_object_get(v, "addresses"), *names = json_object_get(v, "names"), *e;
		size_t k, nn = 0, na = 0;
		json_array_foreach(names, k, e)
			nn += json_is_string(e);
		json_array_foreach(addrs, k, e)
			na += str(e, "value") != NULL;
		if (!nn && !na)
			continue; /* a Node needs an address or a name */
		if (!open++) {
			W(xmlTextWriterStartElement(x->w, BAD_CAST "EventData"));
			W(xmlTextWriterStartElement(x->w, BAD_CAST "Flow"));
		}
		system_start(x, str(v, "category"));
		json_array_foreach(names, k, e)
			if (json_is_string(e))
				node_name(x, json_string_value(e));
		json_array_foreach(addrs, k, e)
			if (str(e, "value"))
				node_addr(x, addr_category(str(e, "category")), str(e, "value"));
		system_end(x, json_object_get(v, "ports"), str(v, "description"));
	}
	if (open) {
		W(xmlTextWriterEndElement(x->w));
		W(xmlTextWriterEndElement(x->w));
	}
	W(xmlTextWriterEndElement(x->w)); /* Incident */
	json_decref(obj);
	x->incidents++;
	return 0;
}

/* The hub's own indicators of one TLP level, as systems. */
static int native_cb(void *arg, const indicator_t *i)
{
	wr_t *x = arg;
	char desc[400];
	const char *acat = NULL;
	obs_t o;
	x->cursor = i->id;
	if (i->tlp != x->level || !strcmp(i->classification, RSIT_FALSE_POSITIVE) ||
	    obs_from_canonical(i->type, i->value, strlen(i->value), &o))
		return 0;
	switch (i->type) {
	case OBS_IPV4: acat = obs_is_prefix(&o) ? "ipv4-net" : "ipv4-addr"; break;
	case OBS_IPV6: acat = obs_is_prefix(&o) ? "ipv6-net" : "ipv6-addr"; break;
	case OBS_URL: acat = "site-uri"; break;
	case OBS_DOMAIN: break;
	default: return 0;
	}
	if (!x->systems++) {
		char id[64];
		snprintf(id, sizeof id, "indicators-%s-%.10s", tlp_name(x->level), x->now);
		start_incident(x, "reporting", x->level, x->o->hub_name, id, NULL);
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description",
					    BAD_CAST "Indicators the hub holds, as source systems"));
		write_contact(x, "creator", "organization", x->o->hub_name, x->o->contact);
		W(xmlTextWriterStartElement(x->w, BAD_CAST "EventData"));
		W(xmlTextWriterStartElement(x->w, BAD_CAST "Flow"));
	}
	snprintf(desc, sizeof desc, "%s; source %s", i->classification, i->source);
	system_start(x, "source");
	if (acat)
		node_addr(x, acat, i->value);
	else
		node_name(x, i->value);
	system_end(x, NULL, desc);
	return 0;
}

int iodef_export(store_t *st, const iodef_export_opts_t *o, FILE *out, long *incidents, char *err,
		 size_t errlen)
{
	wr_t ctx = {.o = o}, *x = &ctx;
	xmlOutputBuffer *ob = xmlOutputBufferCreateFile(out, NULL);
	if (!ob || !(x->w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		return snprintf(err, errlen, "out of memory"), -1;
	}
	model_time_fmt((int64_t)time(NULL), x->now);
	xmlTextWriterSetIndent(x->w, 1);
	W(xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	W(xmlTextWriterStartElementNS(x->w, NULL, BAD_CAST "IODEF-Document", BAD_CAST NS2));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "version", BAD_CAST "2.00"));
	W(xmlTextWriterWriteAttribute(x->w, BAD_CAST "xml:lang", BAD_CAST "en"));
	int rc = 0;
	/* the incidents kept, then one reporting incident per TLP level */
	store_stix_filter_t sf = {.view = {.max_tlp = TLP_GREEN, .org = o->viewer_org}, .tlp_max = TLP_AMBER_STRICT, .limit = 1000};
	for (x->cursor = 0;;) {
		int64_t was = x->cursor;
		sf.after_rid = x->cursor;
		if ((rc = store_stix_list(st, &sf, incident_cb, x)) || x->cursor == was)
			break;
	}
	for (tlp_t t = TLP_CLEAR; !rc && t <= TLP_AMBER_STRICT; t++) {
		store_filter_t f = {.view = {.max_tlp = TLP_GREEN, .org = o->viewer_org}, .tlp_max = t, .limit = 1000};
		x->level = t;
		x->systems = 0;
		for (x->cursor = 0;;) {
			int64_t was = x->cursor;
			f.after_id = x->cursor;
			if ((rc = store_list_indicators(st, &f, native_cb, x)) || x->cursor == was)
				break;
		}
		if (x->systems) { /* Flow, EventData, Incident */
			W(xmlTextWriterEndElement(x->w));
			W(xmlTextWriterEndElement(x->w));
			W(xmlTextWriterEndElement(x->w));
			x->incidents++;
		}
	}
	if (!rc && !x->incidents) {
		/* IODEF wants at least one incident: say there is nothing */
		start_incident(x, "reporting", TLP_CLEAR, o->hub_name, "none", NULL);
		W(xmlTextWriterWriteElement(x->w, BAD_CAST "Description",
					    BAD_CAST "Nothing this organisation may see"));
		write_contact(x, "creator", "organization", o->hub_name, o->contact);
		W(xmlTextWriterEndElement(x->w));
	}
	W(xmlTextWriterEndDocument(x->w));
	xmlFreeTextWriter(x->w);
	if (rc)
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	if (x->fail)
		return snprintf(err, errlen, "writing the document failed"), -1;
	*incidents = x->incidents;
	return 0;
}
