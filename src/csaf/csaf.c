/* csaf.c — CSAF 2.0 documents: the CVSS v3 base score, the advisory model
 * and its checks, making a document, checking one from elsewhere (naming
 * the JSON path at fault) and reading it back into the model.  No store:
 * csaf_pub.c publishes and imports, csaf_provider.c writes the provider's
 * files. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csaf/csaf.h"

/* ---- CVSS v3 ---- */

/* CVSS 3.1's Roundup (Appendix A: integer arithmetic, no float surprises);
 * 3.0's is the plain ceiling to one decimal. */
static double roundup31(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double roundup30(double x)
{
	return ceil(x * 10.0) / 10.0;
}

int csaf_cvss3(const char *vector, double *score, const char **severity, const char **ver, char *err,
	       size_t errlen)
{
	static const char *const names[8] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
	static const char *const vals[8] = {"NALP", "LH", "NLH", "NR", "UC", "HLN", "HLN", "HLN"};
	char m[8] = {0};
	int v31;
	const char *p;
	if (!vector || (strncmp(vector, "CVSS:3.1/", 9) && strncmp(vector, "CVSS:3.0/", 9))) {
		snprintf(err, errlen, "a CVSS vector starts with CVSS:3.1/ or CVSS:3.0/");
		return -1;
	}
	v31 = vector[7] == '1';
	p = vector + 9;
	for (int k = 0; k < 8; k++) {
		size_t nl = strlen(names[k]);
		if (strncmp(p, names[k], nl) || p[nl] != ':' || !p[nl + 1] || !strchr(vals[k], p[nl + 1]) ||
		    (p[nl + 2] != '/' && p[nl + 2] != '\0') || (k < 7 && p[nl + 2] != '/')) {
			snprintf(err, errlen, "the vector's base metrics are AV, AC, PR, UI, S, C, I, A in that "
				 "order (at %s%s with %s:%s)", names[k], k ? "" : " first", names[k], vals[k]);
			return -1;
		}
		m[k] = p[nl + 1];
		p += nl + 2;
		if (*p == '/')
			p++;
	}
	/* temporal and environmental metrics: NAME:VALUE pairs, not scored */
	if (p[-1] == '/' && !*p) {
		snprintf(err, errlen, "the vector ends with '/'");
		return -1;
	}
	for (const char *q = p; *q;) {
		const char *c = strchr(q, ':');
		if (!c || c == q || !c[1] || c[1] == '/') {
			snprintf(err, errlen, "bad metric after the base metrics: '%s'", q);
			return -1;
		}
		for (const char *t = q; t < c; t++)
			if (!(*t >= 'A' && *t <= 'Z')) {
				snprintf(err, errlen, "bad metric after the base metrics: '%s'", q);
				return -1;
			}
		q = strchr(c, '/');
		if (!q)
			break;
		if (!*++q) {
			snprintf(err, errlen, "the vector ends with '/'");
			return -1;
		}
	}
	int changed = m[4] == 'C';
	double av = m[0] == 'N' ? 0.85 : m[0] == 'A' ? 0.62 : m[0] == 'L' ? 0.55 : 0.2;
	double ac = m[1] == 'L' ? 0.77 : 0.44;
	double pr = m[2] == 'N' ? 0.85 : m[2] == 'L' ? (changed ? 0.68 : 0.62) : (changed ? 0.5 : 0.27);
	double ui = m[3] == 'N' ? 0.85 : 0.62;
	double cia[3];
	for (int k = 0; k < 3; k++)
		cia[k] = m[5 + k] == 'H' ? 0.56 : m[5 + k] == 'L' ? 0.22 : 0;
	double iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]);
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
	double expl = 8.22 * av * ac * pr * ui;
	double s;
	if (impact <= 0)
		s = 0;
	else {
		double raw = changed ? 1.08 * (impact + expl) : impact + expl;
		s = v31 ? roundup31(fmin(raw, 10)) : roundup30(fmin(raw, 10));
	}
	*score = s;
	*severity = s == 0 ? "NONE" : s < 4 ? "LOW" : s < 7 ? "MEDIUM" : s < 9 ? "HIGH" : "CRITICAL";
	if (ver)
		*ver = v31 ? "3.1" : "3.0";
	return 0;
}

/* ---- helpers ---- */

static int fail(char *path, size_t pathlen, char *err, size_t errlen, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static int fail(char *path, size_t pathlen, char *err, size_t errlen, const char *at, const char *fmt, ...)
{
	va_list ap;
	snprintf(path, pathlen, "%s", at);
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Is s valid UTF-8 without control characters other than tab and newline
 * (jansson has checked the encoding of what it parsed)? */
static int text_ok(const char *s, int multiline)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && !(multiline && (*s == '\n' || *s == '\t' || *s == '\r')))
			return 0;
	return 1;
}

static int id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= STORE_ADV_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      strchr("+-_.", *s)))
			return 0;
	return 1;
}

/* An id from elsewhere: CSAF allows any text without blanks at its ends;
 * the hub keeps the ids it can name in a URL path: 1 to 64 printable
 * ASCII characters other than / ? # % and the space. */
static int foreign_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= STORE_ADV_ID_MAX)
		return 0;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f || strchr("/?#%", *s))
			return 0;
	return 1;
}

static int cve_ok(const char *s)
{
	size_t n = strlen(s), k;
	if (n < 13 || n > 24 || strncmp(s, "CVE-", 4))
		return 0;
	for (k = 4; k < 8; k++)
		if (s[k] < '0' || s[k] > '9')
			return 0;
	if (s[8] != '-')
		return 0;
	for (k = 9; k < n; k++)
		if (s[k] < '0' || s[k] > '9')
			return 0;
	return 1;
}

static int url_ok(const char *s)
{
	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == '"' || *s == '<' || *s == '>')
			return 0;
	return 1;
}

static const char *const remediation_cats[] = {"mitigation", "no_fix_planned", "none_available",
					       "vendor_fix", "workaround", NULL};

static int in_list(const char *s, const char *const *l)
{
	for (; *l; l++)
		if (!strcmp(s, *l))
			return 1;
	return 0;
}

/* ---- the model ---- */

/* Every member of o among the names allowed (NULL-terminated); else the
 * first unknown one. */
static const char *unknown_member(const json_t *o, const char *const *allowed)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v) {
		(void)v;
		if (!in_list(k, allowed))
			return k;
	}
	return NULL;
}

/* The string member k of o, checked: a string (or absent: "" set when
 * def is NULL, def otherwise), at most max bytes, no control characters.
 * 0 or -1 (path, err). */
static int field(json_t *o, const char *k, const char *def, int required, size_t max, int multiline,
		 const char *base, char *path, size_t pathlen, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, k);
	char at[160];
	snprintf(at, sizeof at, "%s/%s", base, k);
	if (!v || json_is_null(v)) {
		if (required)
			return fail(path, pathlen, err, errlen, at, "missing");
		json_object_set_new(o, k, json_string(def ? def : ""));
		return 0;
	}
	if (!json_is_string(v))
		return fail(path, pathlen, err, errlen, at, "must be a string");
	const char *s = json_string_value(v);
	if (required && !*s)
		return fail(path, pathlen, err, errlen, at, "must not be empty");
	if (strlen(s) > max)
		return fail(path, pathlen, err, errlen, at, "longer than %zu bytes", max);
	if (strlen(s) != json_string_length(v) || !text_ok(s, multiline))
		return fail(path, pathlen, err, errlen, at, "control characters are not allowed");
	if (!*s && def)
		json_object_set_new(o, k, json_string(def));
	return 0;
}

static json_t *array_member(json_t *o, const char *k, const char *base, char *path, size_t pathlen,
			    char *err, size_t errlen, size_t max)
{
	json_t *a = json_object_get(o, k);
	char at[160];
	snprintf(at, sizeof at, "%s/%s", base, k);
	if (!a || json_is_null(a)) {
		a = json_array();
		json_object_set_new(o, k, a);
		return a;
	}
	if (!json_is_array(a))
		return fail(path, pathlen, err, errlen, at, "must be a list"), NULL;
	if (json_array_size(a) > max)
		return fail(path, pathlen, err, errlen, at, "at most %zu items", max), NULL;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (!json_is_object(json_array_get(a, i))) {
			snprintf(at, sizeof at, "%s/%s/%zu", base, k, i);
			return fail(path, pathlen, err, errlen, at, "must be an object"), NULL;
		}
	return a;
}

/* CSAF 6.1.31: a product_version names one version, never a range. */
static int version_is_range(const char *v)
{
	static const char *const words[] = {"<", ">", "after", "all", "before", "earlier", "later", "prior",
					    "versions", NULL};
	char low[256];
	size_t i;
	for (i = 0; v[i] && i < sizeof low - 1; i++)
		low[i] = (char)(v[i] >= 'A' && v[i] <= 'Z' ? v[i] + 32 : v[i]);
	low[i] = '\0';
	for (const char *const *w = words; *w; w++)
		if (strstr(low, *w))
			return 1;
	return 0;
}

int csaf_adv_check(json_t *adv, char *path, size_t pathlen, char *err, size_t errlen)
{
	static const char *const top[] = {"id", "title", "summary", "category", "tlp", "lang", "products",
					  "vulnerabilities", "references", NULL};
	static const char *const prodk[] = {"id", "vendor", "name", "version", NULL};
	static const char *const vulnk[] = {"cve", "title", "description", "cvss_vector", "products",
					    "remediation", "remediation_category", NULL};
	static const char *const refk[] = {"url", "summary", NULL};
	const char *k;
	char at[160];
	json_t *a, *it;
	size_t i;
	path[0] = '\0';
	if (!json_is_object(adv))
		return fail(path, pathlen, err, errlen, "/", "an advisory is a JSON object");
	if ((k = unknown_member(adv, top))) {
		snprintf(at, sizeof at, "/%s", k);
		return fail(path, pathlen, err, errlen, at, "unknown member");
	}
	if (field(adv, "id", NULL, 1, STORE_ADV_ID_MAX - 1, 0, "", path, pathlen, err, errlen))
		return -1;
	if (!id_ok(str(adv, "id")))
		return fail(path, pathlen, err, errlen, "/id", "an id is 1 to 64 of A-Z a-z 0-9 + - _ .");
	if (field(adv, "title", NULL, 1, 500, 0, "", path, pathlen, err, errlen) ||
	    field(adv, "category", "csaf_security_advisory", 0, 40, 0, "", path, pathlen, err, errlen) ||
	    field(adv, "tlp", "CLEAR", 0, 16, 0, "", path, pathlen, err, errlen) ||
	    field(adv, "lang", "en", 0, 16, 0, "", path, pathlen, err, errlen) ||
	    field(adv, "summary", NULL, 0, 20000, 1, "", path, pathlen, err, errlen))
		return -1;
	int sa = !strcmp(str(adv, "category"), "csaf_security_advisory");
	if (!sa && strcmp(str(adv, "category"), "csaf_base"))
		return fail(path, pathlen, err, errlen, "/category",
			    "must be csaf_security_advisory or csaf_base");
	tlp_t t;
	if (tlp_parse(str(adv, "tlp"), &t) || t == TLP_AMBER_STRICT)
		return fail(path, pathlen, err, errlen, "/tlp", "must be CLEAR, GREEN, AMBER or RED");
	json_object_set_new(adv, "tlp", json_string(t == TLP_CLEAR ? "CLEAR" : t == TLP_GREEN ? "GREEN"
						    : t == TLP_AMBER ? "AMBER" : "RED"));
	const char *lang = str(adv, "lang");
	for (i = 0; lang[i]; i++)
		if (!((lang[i] >= 'a' && lang[i] <= 'z') || (lang[i] >= 'A' && lang[i] <= 'Z') ||
		      (lang[i] == '-' && i > 0 && lang[i + 1])))
			return fail(path, pathlen, err, errlen, "/lang", "a language tag such as en or fr-CA");
	if (sa && !*str(adv, "summary"))
		return fail(path, pathlen, err, errlen, "/summary", "a security advisory needs a summary");

	if (!(a = array_member(adv, "products", "", path, pathlen, err, errlen, 500)))
		return -1;
	json_array_foreach(a, i, it) {
		snprintf(at, sizeof at, "/products/%zu", i);
		if ((k = unknown_member(it, prodk))) {
			snprintf(at, sizeof at, "/products/%zu/%s", i, k);
			return fail(path, pathlen, err, errlen, at, "unknown member");
		}
		if (field(it, "id", NULL, 0, 60, 0, at, path, pathlen, err, errlen) ||
		    field(it, "vendor", NULL, 1, 200, 0, at, path, pathlen, err, errlen) ||
		    field(it, "name", NULL, 1, 200, 0, at, path, pathlen, err, errlen) ||
		    field(it, "version", NULL, 0, 200, 0, at, path, pathlen, err, errlen))
			return -1;
		if (!*str(it, "id")) {
			char pid[32];
			snprintf(pid, sizeof pid, "CSAFPID-%04zu", i + 1);
			json_object_set_new(it, "id", json_string(pid));
		}
		const char *pid = str(it, "id");
		for (size_t j = 0; pid[j]; j++)
			if (pid[j] == ' ' || pid[j] == '/') {
				snprintf(at, sizeof at, "/products/%zu/id", i);
				return fail(path, pathlen, err, errlen, at, "a product id has no space or '/'");
			}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(pid, str(json_array_get(a, j), "id"))) {
				snprintf(at, sizeof at, "/products/%zu/id", i);
				return fail(path, pathlen, err, errlen, at, "product id %s is given twice", pid);
			}
		for (size_t j = 0; j < i; j++) {
			json_t *o = json_array_get(a, j);
			if (!strcmp(str(o, "vendor"), str(it, "vendor")) && !strcmp(str(o, "name"), str(it, "name")) &&
			    !strcmp(str(o, "version"), str(it, "version")))
				return fail(path, pathlen, err, errlen, at, "the same product as /products/%zu", j);
		}
	}
	json_t *prods = a;
	if (sa && json_array_size(prods) == 0)
		return fail(path, pathlen, err, errlen, "/products", "a security advisory names its products");

	if (!(a = array_member(adv, "vulnerabilities", "", path, pathlen, err, errlen, 500)))
		return -1;
	if (sa && json_array_size(a) == 0)
		return fail(path, pathlen, err, errlen, "/vulnerabilities",
			    "a security advisory has at least one vulnerability");
	json_array_foreach(a, i, it) {
		snprintf(at, sizeof at, "/vulnerabilities/%zu", i);
		if ((k = unknown_member(it, vulnk))) {
			snprintf(at, sizeof at, "/vulnerabilities/%zu/%s", i, k);
			return fail(path, pathlen, err, errlen, at, "unknown member");
		}
		if (field(it, "cve", NULL, 0, 24, 0, at, path, pathlen, err, errlen) ||
		    field(it, "title", NULL, 0, 500, 0, at, path, pathlen, err, errlen) ||
		    field(it, "description", NULL, 0, 20000, 1, at, path, pathlen, err, errlen) ||
		    field(it, "cvss_vector", NULL, 0, 200, 0, at, path, pathlen, err, errlen) ||
		    field(it, "remediation", NULL, 0, 20000, 1, at, path, pathlen, err, errlen) ||
		    field(it, "remediation_category", NULL, 0, 40, 0, at, path, pathlen, err, errlen))
			return -1;
		const char *cve = str(it, "cve");
		if (*cve && !cve_ok(cve)) {
			snprintf(at, sizeof at, "/vulnerabilities/%zu/cve", i);
			return fail(path, pathlen, err, errlen, at, "a CVE id is CVE-YYYY-NNNN (4 or more digits)");
		}
		for (size_t j = 0; *cve && j < i; j++)
			if (!strcmp(cve, str(json_array_get(a, j), "cve"))) {
				snprintf(at, sizeof at, "/vulnerabilities/%zu/cve", i);
				return fail(path, pathlen, err, errlen, at, "%s is given twice", cve);
			}
		if (!*str(it, "description") && !*str(it, "title")) {
			snprintf(at, sizeof at, "/vulnerabilities/%zu/description", i);
			return fail(path, pathlen, err, errlen, at, "give a description or a title");
		}
		/* the document's description note says the title when there is
		 * no description: so does the model */
		if (!*str(it, "description"))
			json_object_set_new(it, "description", json_string(str(it, "title")));
		const char *vec = str(it, "cvss_vector");
		if (*vec) {
			double s;
			const char *sev, *ver;
			char why[200];
			if (csaf_cvss3(vec, &s, &sev, &ver, why, sizeof why)) {
				snprintf(at, sizeof at, "/vulnerabilities/%zu/cvss_vector", i);
				return fail(path, pathlen, err, errlen, at, "%s", why);
			}
		}
		const char *rc = str(it, "remediation_category");
		if (*str(it, "remediation") && !*rc)
			json_object_set_new(it, "remediation_category", json_string(rc = "vendor_fix"));
		if (*rc && !in_list(rc, remediation_cats)) {
			snprintf(at, sizeof at, "/vulnerabilities/%zu/remediation_category", i);
			return fail(path, pathlen, err, errlen, at,
				    "must be mitigation, no_fix_planned, none_available, vendor_fix or workaround");
		}
		if (*rc && !*str(it, "remediation")) {
			snprintf(at, sizeof at, "/vulnerabilities/%zu/remediation", i);
			return fail(path, pathlen, err, errlen, at, "a remediation category goes with its text");
		}
		json_t *pl = json_object_get(it, "products");
		snprintf(at, sizeof at, "/vulnerabilities/%zu/products", i);
		if (!pl || json_is_null(pl))
			json_object_set_new(it, "products", pl = json_array());
		if (!json_is_array(pl))
			return fail(path, pathlen, err, errlen, at, "must be a list of product ids");
		if (json_array_size(pl) == 0 && (*vec || *rc || sa))
			return fail(path, pathlen, err, errlen, at, "name the products it affects");
		for (size_t j = 0; j < json_array_size(pl); j++) {
			const char *pid = json_string_value(json_array_get(pl, j));
			size_t n;
			json_t *p;
			int found = 0;
			snprintf(at, sizeof at, "/vulnerabilities/%zu/products/%zu", i, j);
			if (!pid)
				return fail(path, pathlen, err, errlen, at, "must be a product id");
			json_array_foreach(prods, n, p)
				found |= !strcmp(pid, str(p, "id"));
			if (!found)
				return fail(path, pathlen, err, errlen, at, "no product has id %s", pid);
			for (size_t m = 0; m < j; m++)
				if (!strcmp(pid, json_string_value(json_array_get(pl, m))))
					return fail(path, pathlen, err, errlen, at, "%s is given twice", pid);
		}
	}

	if (!(a = array_member(adv, "references", "", path, pathlen, err, errlen, 100)))
		return -1;
	json_array_foreach(a, i, it) {
		snprintf(at, sizeof at, "/references/%zu", i);
		if ((k = unknown_member(it, refk))) {
			snprintf(at, sizeof at, "/references/%zu/%s", i, k);
			return fail(path, pathlen, err, errlen, at, "unknown member");
		}
		if (field(it, "url", NULL, 1, 2000, 0, at, path, pathlen, err, errlen) ||
		    field(it, "summary", NULL, 0, 500, 0, at, path, pathlen, err, errlen))
			return -1;
		if (!url_ok(str(it, "url"))) {
			snprintf(at, sizeof at, "/references/%zu/url", i);
			return fail(path, pathlen, err, errlen, at, "an http:// or https:// URL without spaces");
		}
		if (!*str(it, "summary"))
			json_object_set_new(it, "summary", json_string(str(it, "url")));
	}
	return 0;
}

void csaf_filename(const char *id, char *out, size_t n)
{
	size_t i;
	for (i = 0; id[i] && i + 6 < n; i++) {
		char c = id[i] >= 'A' && id[i] <= 'Z' ? (char)(id[i] + 32) : id[i];
		out[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ? c : '_';
	}
	snprintf(out + i, n - i, ".json");
}

/* The path of a under its TLP directory: "2026/c5-2026-0001.json". */
void csaf_rel_path(const store_adv_t *a, char *out, size_t n)
{
	char fn[100];
	time_t t = (time_t)a->initial_date;
	struct tm tm;
	gmtime_r(&t, &tm);
	csaf_filename(a->tracking_id, fn, sizeof fn);
	snprintf(out, n, "%04d/%s", tm.tm_year + 1900, fn);
}

const char *csaf_tlp_dir(tlp_t t)
{
	return t == TLP_CLEAR ? "white" : t == TLP_GREEN ? "green" : t == TLP_RED ? "red" : "amber";
}

/* ---- making a document ---- */

static json_t *date_json(int64_t t)
{
	char b[MODEL_TIME_LEN];
	return json_string(model_time_fmt(t, b));
}

/* The product tree: one vendor branch per vendor, one product_name branch
 * per name under it, the product at the name (no version) or at a
 * product_version (or product_version_range) branch below. */
static json_t *product_tree(const json_t *prods)
{
	json_t *vendors = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(prods, i, p) {
		/* merged with the branch before only: the products keep their order */
		json_t *vb = json_array_get(vendors, json_array_size(vendors) - 1), *nb = NULL, *x;
		if (vb && strcmp(str(vb, "name"), str(p, "vendor")))
			vb = NULL;
		if (!vb) {
			vb = json_pack("{ss,ss,s[]}", "category", "vendor", "name", str(p, "vendor"), "branches");
			json_array_append_new(vendors, vb);
		}
		json_t *vbb = json_object_get(vb, "branches");
		const char *ver = str(p, "version");
		x = json_array_get(vbb, json_array_size(vbb) - 1);
		if (x && *ver && !strcmp(str(x, "name"), str(p, "name")) && json_object_get(x, "branches"))
			nb = x;
		char full[700];
		snprintf(full, sizeof full, "%s %s%s%s", str(p, "vendor"), str(p, "name"), *ver ? " " : "", ver);
		json_t *prod = json_pack("{ss,ss}", "name", full, "product_id", str(p, "id"));
		if (!*ver) {
			json_array_append_new(vbb, json_pack("{ss,ss,so}", "category", "product_name", "name",
							     str(p, "name"), "product", prod));
			continue;
		}
		if (!nb) {
			nb = json_pack("{ss,ss,s[]}", "category", "product_name", "name", str(p, "name"), "branches");
			json_array_append_new(vbb, nb);
		}
		json_array_append_new(json_object_get(nb, "branches"),
				      json_pack("{ss,ss,so}", "category",
						version_is_range(ver) ? "product_version_range" : "product_version",
						"name", ver, "product", prod));
	}
	return json_pack("{so}", "branches", vendors);
}

json_t *csaf_document(const json_t *adv, const csaf_publisher_t *pub, const csaf_rev_t *revs, size_t n,
		      int draft)
{
	json_t *hist = json_array(), *doc = NULL, *notes, *refs, *vulns, *it;
	char num[16];
	size_t i;
	tlp_t t = TLP_CLEAR;
	if (!hist || n == 0)
		goto fail;
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof num, "%d", revs[i].number);
		json_array_append_new(hist, json_pack("{so,ss,ss}", "date", date_json(revs[i].date), "number", num,
						      "summary", revs[i].summary));
	}
	tlp_parse(str(adv, "tlp"), &t);
	notes = json_array();
	if (*str(adv, "summary"))
		json_array_append_new(notes, json_pack("{ss,ss,ss}", "category", "summary", "text",
						       str(adv, "summary"), "title", "Summary"));
	refs = json_array();
	json_array_foreach(json_object_get(adv, "references"), i, it)
		json_array_append_new(refs, json_pack("{ss,ss,ss}", "category", "external", "summary",
						      str(it, "summary"), "url", str(it, "url")));
	snprintf(num, sizeof num, "%d", revs[n - 1].number);
	json_t *tracking = json_pack("{so,ss,so,so,ss,ss,s{s{ss,ss},so}}",
				     "current_release_date", date_json(revs[n - 1].date),
				     "id", str(adv, "id"),
				     "initial_release_date", date_json(revs[0].date),
				     "revision_history", hist,
				     "status", draft ? "draft" : "final",
				     "version", num,
				     "generator", "engine", "name", "c5hub", "version", "1",
				     "date", date_json(revs[n - 1].date));
	hist = NULL;
	doc = json_pack("{s{ss,ss,s{s{ss,ss}},ss,s{ss,ss,ss},ss,so}}", "document",
			"category", str(adv, "category"),
			"csaf_version", "2.0",
			"distribution", "tlp", "label", t == TLP_CLEAR ? "WHITE" : t == TLP_GREEN ? "GREEN"
							: t == TLP_RED ? "RED" : "AMBER",
			"url", "https://www.first.org/tlp/",
			"lang", str(adv, "lang"),
			"publisher", "category", "coordinator", "name", pub->name, "namespace", pub->namespace_,
			"title", str(adv, "title"),
			"tracking", tracking);
	if (!doc) {
		json_decref(notes);
		json_decref(refs);
		goto fail;
	}
	json_t *d = json_object_get(doc, "document");
	if (json_array_size(notes))
		json_object_set_new(d, "notes", notes);
	else
		json_decref(notes);
	if (json_array_size(refs))
		json_object_set_new(d, "references", refs);
	else
		json_decref(refs);
	if (json_array_size(json_object_get(adv, "products")))
		json_object_set_new(doc, "product_tree", product_tree(json_object_get(adv, "products")));
	vulns = json_array();
	json_array_foreach(json_object_get(adv, "vulnerabilities"), i, it) {
		json_t *v = json_object(), *pl = json_deep_copy(json_object_get(it, "products"));
		if (*str(it, "cve"))
			json_object_set_new(v, "cve", json_string(str(it, "cve")));
		if (*str(it, "title"))
			json_object_set_new(v, "title", json_string(str(it, "title")));
		json_object_set_new(v, "notes", json_pack("[{ss,ss,ss}]", "category", "description", "text",
							  *str(it, "description") ? str(it, "description")
										  : str(it, "title"),
							  "title", "Description"));
		if (json_array_size(pl))
			json_object_set_new(v, "product_status", json_pack("{sO}", "known_affected", pl));
		if (*str(it, "cvss_vector")) {
			double s;
			const char *sev, *ver;
			char why[200];
			if (csaf_cvss3(str(it, "cvss_vector"), &s, &sev, &ver, why, sizeof why) == 0)
				json_object_set_new(v, "scores", json_pack("[{s{ss,ss,sf,ss},sO}]", "cvss_v3",
						    "version", ver, "vectorString", str(it, "cvss_vector"),
						    "baseScore", s, "baseSeverity", sev, "products", pl));
		}
		if (*str(it, "remediation"))
			json_object_set_new(v, "remediations", json_pack("[{ss,ss,sO}]", "category",
					    str(it, "remediation_category"), "details", str(it, "remediation"),
					    "product_ids", pl));
		json_decref(pl);
		json_array_append_new(vulns, v);
	}
	if (json_array_size(vulns))
		json_object_set_new(doc, "vulnerabilities", vulns);
	else
		json_decref(vulns);
	return doc;
fail:
	json_decref(hist);
	return NULL;
}

/* ---- checking a document from elsewhere ---- */

typedef struct {
	char *path;
	size_t pathlen;
	char *err;
	size_t errlen;
	json_t *ids; /* product ids defined: object id -> true */
} chk_t;

static int bad(chk_t *c, const char *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(chk_t *c, const char *at, const char *fmt, ...)
{
	va_list ap;
	snprintf(c->path, c->pathlen, "%s", at);
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Member k of o: must be there (required) and of type want. */
static json_t *need(chk_t *c, const json_t *o, const char *base, const char *k, json_type want, int required,
		    int *failed)
{
	json_t *v = json_object_get(o, k);
	char at[512];
	snprintf(at, sizeof at, "%s/%s", base, k);
	if (!v) {
		if (required && !*failed)
			*failed = bad(c, at, "missing");
		return NULL;
	}
	if (json_typeof(v) != want && !(want == JSON_REAL && json_is_integer(v))) {
		if (!*failed)
			*failed = bad(c, at, "must be %s", want == JSON_STRING ? "a string" : want == JSON_ARRAY ? "an array"
						  : want == JSON_OBJECT ? "an object" : "a number");
		return NULL;
	}
	if (want == JSON_STRING && !*json_string_value(v)) {
		if (!*failed)
			*failed = bad(c, at, "must not be empty");
		return NULL;
	}
	if (want == JSON_ARRAY && json_array_size(v) == 0) {
		if (!*failed)
			*failed = bad(c, at, "must not be empty");
		return NULL;
	}
	return v;
}

static int date_ok(const char *s)
{
	int64_t t;
	return s && strlen(s) >= 20 && s[10] == 'T' && model_time_parse(s, &t) == 0;
}

static int full_product(chk_t *c, const json_t *p, const char *at)
{
	int f = 0;
	json_t *id = need(c, p, at, "product_id", JSON_STRING, 1, &f);
	need(c, p, at, "name", JSON_STRING, 1, &f);
	if (f)
		return -1;
	if (json_object_get(c->ids, json_string_value(id))) {
		char a[600];
		snprintf(a, sizeof a, "%s/product_id", at);
		return bad(c, a, "product id %s is defined twice (6.1.2)", json_string_value(id));
	}
	json_object_set_new(c->ids, json_string_value(id), json_true());
	return 0;
}

static int branches(chk_t *c, const json_t *bs, const char *base, int depth)
{
	static const char *const cats[] = {"architecture", "host_name", "language", "legacy", "patch_level",
					   "product_family", "product_name", "product_version",
					   "product_version_range", "service_pack", "specification", "vendor", NULL};
	size_t i;
	json_t *b;
	char at[512];
	if (depth > 30)
		return bad(c, base, "branches nested deeper than 30");
	if (!json_is_array(bs) || json_array_size(bs) == 0)
		return bad(c, base, "must be a non-empty array");
	json_array_foreach(bs, i, b) {
		int f = 0;
		snprintf(at, sizeof at, "%s/%zu", base, i);
		if (!json_is_object(b))
			return bad(c, at, "must be an object");
		json_t *cat = need(c, b, at, "category", JSON_STRING, 1, &f);
		need(c, b, at, "name", JSON_STRING, 1, &f);
		if (f)
			return -1;
		if (!in_list(json_string_value(cat), cats)) {
			char a[600];
			snprintf(a, sizeof a, "%s/category", at);
			return bad(c, a, "unknown branch category '%s'", json_string_value(cat));
		}
		json_t *sub = json_object_get(b, "branches"), *prod = json_object_get(b, "product");
		if ((sub != NULL) == (prod != NULL))
			return bad(c, at, "a branch has either branches or a product");
		char a[600];
		if (sub) {
			snprintf(a, sizeof a, "%s/branches", at);
			if (branches(c, sub, a, depth + 1))
				return -1;
		} else {
			snprintf(a, sizeof a, "%s/product", at);
			if (!json_is_object(prod))
				return bad(c, a, "must be an object");
			if (full_product(c, prod, a))
				return -1;
		}
	}
	return 0;
}

/* Every product id in the array at (the member k of o) is defined. */
static int refs_defined(chk_t *c, const json_t *o, const char *base, const char *k)
{
	json_t *a = json_object_get(o, k), *v;
	size_t i;
	char at[512];
	if (!a)
		return 0;
	snprintf(at, sizeof at, "%s/%s", base, k);
	if (!json_is_array(a))
		return bad(c, at, "must be an array");
	json_array_foreach(a, i, v) {
		snprintf(at, sizeof at, "%s/%s/%zu", base, k, i);
		if (!json_is_string(v))
			return bad(c, at, "must be a product id");
		if (!json_object_get(c->ids, json_string_value(v)))
			return bad(c, at, "product id %s is not defined (6.1.1)", json_string_value(v));
	}
	return 0;
}

static int check_vuln(chk_t *c, const json_t *v, const char *at)
{
	static const char *const statuses[] = {"first_affected", "first_fixed", "fixed", "known_affected",
					       "known_not_affected", "last_affected", "recommended",
					       "under_investigation", NULL};
	char a[512], b[600];
	size_t i;
	json_t *x;
	const char *k;
	if (!json_is_object(v))
		return bad(c, at, "must be an object");
	json_t *cve = json_object_get(v, "cve");
	if (cve && (!json_is_string(cve) || !cve_ok(json_string_value(cve)))) {
		snprintf(a, sizeof a, "%s/cve", at);
		return bad(c, a, "a CVE id is CVE-YYYY-NNNN (4 or more digits)");
	}
	json_t *ps = json_object_get(v, "product_status");
	if (ps) {
		snprintf(a, sizeof a, "%s/product_status", at);
		if (!json_is_object(ps))
			return bad(c, a, "must be an object");
		json_object_foreach(ps, k, x) {
			(void)x;
			if (!in_list(k, statuses)) {
				snprintf(b, sizeof b, "%s/%s", a, k);
				return bad(c, b, "unknown product status");
			}
			if (refs_defined(c, ps, a, k))
				return -1;
		}
	}
	json_t *sc = json_object_get(v, "scores");
	if (sc) {
		snprintf(a, sizeof a, "%s/scores", at);
		if (!json_is_array(sc))
			return bad(c, a, "must be an array");
		json_array_foreach(sc, i, x) {
			int f = 0;
			snprintf(a, sizeof a, "%s/scores/%zu", at, i);
			if (!json_is_object(x))
				return bad(c, a, "must be an object");
			if (!need(c, x, a, "products", JSON_ARRAY, 1, &f) || refs_defined(c, x, a, "products"))
				return -1;
			json_t *c3 = json_object_get(x, "cvss_v3");
			if (!c3)
				continue;
			snprintf(b, sizeof b, "%s/cvss_v3", a);
			json_t *vec = need(c, c3, b, "vectorString", JSON_STRING, 1, &f);
			json_t *bs = need(c, c3, b, "baseScore", JSON_REAL, 1, &f);
			json_t *ver = need(c, c3, b, "version", JSON_STRING, 1, &f);
			need(c, c3, b, "baseSeverity", JSON_STRING, 1, &f);
			if (f)
				return -1;
			double s;
			const char *sev, *vv;
			char why[200], at2[700];
			snprintf(at2, sizeof at2, "%s/vectorString", b);
			if (csaf_cvss3(json_string_value(vec), &s, &sev, &vv, why, sizeof why))
				return bad(c, at2, "%s", why);
			snprintf(at2, sizeof at2, "%s/version", b);
			if (strcmp(json_string_value(ver), vv))
				return bad(c, at2, "the vector is CVSS %s", vv);
			snprintf(at2, sizeof at2, "%s/baseScore", b);
			if (fabs(json_number_value(bs) - s) > 0.001)
				return bad(c, at2, "%.1f does not match the vector, whose base score is %.1f (6.1.9)",
					   json_number_value(bs), s);
			snprintf(at2, sizeof at2, "%s/baseSeverity", b);
			if (strcmp(json_string_value(json_object_get(c3, "baseSeverity")), sev))
				return bad(c, at2, "the vector's severity is %s (6.1.9)", sev);
		}
	}
	json_t *rm = json_object_get(v, "remediations");
	if (rm) {
		snprintf(a, sizeof a, "%s/remediations", at);
		if (!json_is_array(rm))
			return bad(c, a, "must be an array");
		json_array_foreach(rm, i, x) {
			int f = 0;
			snprintf(a, sizeof a, "%s/remediations/%zu", at, i);
			if (!json_is_object(x))
				return bad(c, a, "must be an object");
			json_t *cat = need(c, x, a, "category", JSON_STRING, 1, &f);
			need(c, x, a, "details", JSON_STRING, 1, &f);
			if (f)
				return -1;
			if (!in_list(json_string_value(cat), remediation_cats)) {
				snprintf(b, sizeof b, "%s/category", a);
				return bad(c, b, "unknown remediation category '%s'", json_string_value(cat));
			}
			if (refs_defined(c, x, a, "product_ids"))
				return -1;
		}
	}
	json_t *notes = json_object_get(v, "notes");
	if (notes && !json_is_array(notes)) {
		snprintf(a, sizeof a, "%s/notes", at);
		return bad(c, a, "must be an array");
	}
	return 0;
}

int csaf_doc_check(const json_t *doc, char *path, size_t pathlen, char *err, size_t errlen)
{
	static const char *const top[] = {"$schema", "document", "product_tree", "vulnerabilities", NULL};
	static const char *const pubcats[] = {"coordinator", "discoverer", "other", "translator", "user",
					      "vendor", NULL};
	chk_t c = {path, pathlen, err, errlen, json_object()};
	int f = 0, rc = -1;
	const char *k;
	char at[512];
	size_t i;
	json_t *x;
	path[0] = '\0';
	if (!c.ids)
		return bad(&c, "", "out of memory");
	if (!json_is_object(doc)) {
		bad(&c, "", "a CSAF document is a JSON object");
		goto out;
	}
	if ((k = unknown_member(doc, top))) {
		snprintf(at, sizeof at, "/%s", k);
		bad(&c, at, "unknown member");
		goto out;
	}
	json_t *d = need(&c, doc, "", "document", JSON_OBJECT, 1, &f);
	if (f)
		goto out;
	json_t *cat = need(&c, d, "/document", "category", JSON_STRING, 1, &f);
	json_t *ver = need(&c, d, "/document", "csaf_version", JSON_STRING, 1, &f);
	json_t *pub = need(&c, d, "/document", "publisher", JSON_OBJECT, 1, &f);
	json_t *title = need(&c, d, "/document", "title", JSON_STRING, 1, &f);
	json_t *tr = need(&c, d, "/document", "tracking", JSON_OBJECT, 1, &f);
	if (f)
		goto out;
	(void)title;
	(void)cat;
	if (strcmp(json_string_value(ver), "2.0")) {
		bad(&c, "/document/csaf_version", "must be \"2.0\"");
		goto out;
	}
	json_t *pc = need(&c, pub, "/document/publisher", "category", JSON_STRING, 1, &f);
	need(&c, pub, "/document/publisher", "name", JSON_STRING, 1, &f);
	json_t *ns = need(&c, pub, "/document/publisher", "namespace", JSON_STRING, 1, &f);
	if (f)
		goto out;
	if (!in_list(json_string_value(pc), pubcats)) {
		bad(&c, "/document/publisher/category", "unknown publisher category '%s'", json_string_value(pc));
		goto out;
	}
	if (!strchr(json_string_value(ns), ':')) {
		bad(&c, "/document/publisher/namespace", "must be a URI");
		goto out;
	}
	json_t *dist = json_object_get(d, "distribution");
	if (dist) {
		json_t *tlp = json_is_object(dist) ? json_object_get(dist, "tlp") : NULL;
		const char *l = tlp ? json_string_value(json_object_get(tlp, "label")) : NULL;
		if (!json_is_object(dist)) {
			bad(&c, "/document/distribution", "must be an object");
			goto out;
		}
		if (tlp && (!l || (strcmp(l, "WHITE") && strcmp(l, "GREEN") && strcmp(l, "AMBER") && strcmp(l, "RED")))) {
			bad(&c, "/document/distribution/tlp/label", "must be WHITE, GREEN, AMBER or RED");
			goto out;
		}
	}
	json_t *id = need(&c, tr, "/document/tracking", "id", JSON_STRING, 1, &f);
	json_t *cur = need(&c, tr, "/document/tracking", "current_release_date", JSON_STRING, 1, &f);
	json_t *ini = need(&c, tr, "/document/tracking", "initial_release_date", JSON_STRING, 1, &f);
	json_t *hist = need(&c, tr, "/document/tracking", "revision_history", JSON_ARRAY, 1, &f);
	json_t *st = need(&c, tr, "/document/tracking", "status", JSON_STRING, 1, &f);
	json_t *tv = need(&c, tr, "/document/tracking", "version", JSON_STRING, 1, &f);
	if (f)
		goto out;
	if (!foreign_id_ok(json_string_value(id))) {
		bad(&c, "/document/tracking/id", "an id the hub keeps is 1 to 64 printable characters, "
		    "without blanks or / ? # %%");
		goto out;
	}
	if (!date_ok(json_string_value(cur))) {
		bad(&c, "/document/tracking/current_release_date", "must be an RFC 3339 date-time");
		goto out;
	}
	if (!date_ok(json_string_value(ini))) {
		bad(&c, "/document/tracking/initial_release_date", "must be an RFC 3339 date-time");
		goto out;
	}
	const char *s = json_string_value(st);
	if (strcmp(s, "draft") && strcmp(s, "final") && strcmp(s, "interim")) {
		bad(&c, "/document/tracking/status", "must be draft, final or interim");
		goto out;
	}
	int found = 0;
	json_array_foreach(hist, i, x) {
		snprintf(at, sizeof at, "/document/tracking/revision_history/%zu", i);
		if (!json_is_object(x)) {
			bad(&c, at, "must be an object");
			goto out;
		}
		json_t *dt = need(&c, x, at, "date", JSON_STRING, 1, &f);
		json_t *num = need(&c, x, at, "number", JSON_STRING, 1, &f);
		need(&c, x, at, "summary", JSON_STRING, 1, &f);
		if (f)
			goto out;
		if (!date_ok(json_string_value(dt))) {
			snprintf(at, sizeof at, "/document/tracking/revision_history/%zu/date", i);
			bad(&c, at, "must be an RFC 3339 date-time");
			goto out;
		}
		found |= !strcmp(json_string_value(num), json_string_value(tv));
	}
	if (!found && strcmp(s, "draft")) {
		bad(&c, "/document/tracking/version", "version %s is not in the revision history (6.1.16)",
		    json_string_value(tv));
		goto out;
	}
	json_t *pt = json_object_get(doc, "product_tree");
	if (pt) {
		if (!json_is_object(pt)) {
			bad(&c, "/product_tree", "must be an object");
			goto out;
		}
		json_t *bs = json_object_get(pt, "branches");
		if (bs && branches(&c, bs, "/product_tree/branches", 0))
			goto out;
		json_t *fp = json_object_get(pt, "full_product_names");
		if (fp) {
			if (!json_is_array(fp)) {
				bad(&c, "/product_tree/full_product_names", "must be an array");
				goto out;
			}
			json_array_foreach(fp, i, x) {
				snprintf(at, sizeof at, "/product_tree/full_product_names/%zu", i);
				if (!json_is_object(x)) {
					bad(&c, at, "must be an object");
					goto out;
				}
				if (full_product(&c, x, at))
					goto out;
			}
		}
		json_t *rel = json_object_get(pt, "relationships");
		if (rel) {
			if (!json_is_array(rel)) {
				bad(&c, "/product_tree/relationships", "must be an array");
				goto out;
			}
			json_array_foreach(rel, i, x) {
				snprintf(at, sizeof at, "/product_tree/relationships/%zu", i);
				json_t *fpn = json_is_object(x) ? json_object_get(x, "full_product_name") : NULL;
				if (!fpn || !json_is_object(fpn)) {
					bad(&c, at, "a relationship has a full_product_name");
					goto out;
				}
				snprintf(at, sizeof at, "/product_tree/relationships/%zu/full_product_name", i);
				if (full_product(&c, fpn, at))
					goto out;
			}
			/* the products a relationship refers to are defined */
			json_array_foreach(rel, i, x) {
				snprintf(at, sizeof at, "/product_tree/relationships/%zu", i);
				const char *const rk[] = {"product_reference", "relates_to_product_reference"};
				for (int j = 0; j < 2; j++) {
					const char *r = json_string_value(json_object_get(x, rk[j]));
					char a2[600];
					snprintf(a2, sizeof a2, "%s/%s", at, rk[j]);
					if (!r || !json_object_get(c.ids, r)) {
						bad(&c, a2, "product id %s is not defined (6.1.1)", r ? r : "(none)");
						goto out;
					}
				}
			}
		}
		json_t *groups = json_object_get(pt, "product_groups");
		if (groups && !json_is_array(groups)) {
			bad(&c, "/product_tree/product_groups", "must be an array");
			goto out;
		}
	}
	json_t *vs = json_object_get(doc, "vulnerabilities");
	if (vs) {
		if (!json_is_array(vs)) {
			bad(&c, "/vulnerabilities", "must be an array");
			goto out;
		}
		json_array_foreach(vs, i, x) {
			snprintf(at, sizeof at, "/vulnerabilities/%zu", i);
			if (check_vuln(&c, x, at))
				goto out;
		}
	}
	rc = 0;
out:
	json_decref(c.ids);
	return rc;
}

/* ---- reading a document back into the model ---- */

static void collect(json_t *prods, const json_t *bs, const char *vendor, const char *name, int depth)
{
	size_t i;
	json_t *b;
	if (depth > 30)
		return;
	json_array_foreach(bs, i, b) {
		const char *cat = str(b, "category"), *nm = str(b, "name");
		const char *v = !strcmp(cat, "vendor") ? nm : vendor;
		const char *n = !strcmp(cat, "product_name") ? nm : name;
		json_t *sub = json_object_get(b, "branches"), *p = json_object_get(b, "product");
		if (sub)
			collect(prods, sub, v, n, depth + 1);
		else if (p) {
			const char *ver = !strcmp(cat, "product_version") || !strcmp(cat, "product_version_range") ? nm : "";
			json_array_append_new(prods, json_pack("{ss,ss,ss,ss}", "id", str(p, "product_id"), "vendor",
							       *v ? v : "-", "name", *n ? n : str(p, "name"),
							       "version", ver));
		}
	}
}

json_t *csaf_adv_from_doc(const json_t *doc, char *err, size_t errlen)
{
	const json_t *d = json_object_get(doc, "document");
	const json_t *tr = json_object_get(d, "tracking");
	const char *label = str(json_object_get(json_object_get(d, "distribution"), "tlp"), "label");
	json_t *prods = json_array(), *vulns = json_array(), *refs = json_array(), *x;
	const char *summary = "";
	size_t i;
	if (!prods || !vulns || !refs)
		goto oom;
	json_array_foreach(json_object_get(d, "notes"), i, x)
		if (!*summary && !strcmp(str(x, "category"), "summary"))
			summary = str(x, "text");
	json_array_foreach(json_object_get(d, "references"), i, x)
		if (strcmp(str(x, "category"), "self") && url_ok(str(x, "url")))
			json_array_append_new(refs, json_pack("{ss,ss}", "url", str(x, "url"), "summary",
							      str(x, "summary")));
	const json_t *pt = json_object_get(doc, "product_tree");
	collect(prods, json_object_get(pt, "branches"), "", "", 0);
	json_array_foreach(json_object_get(pt, "full_product_names"), i, x)
		json_array_append_new(prods, json_pack("{ss,ss,ss,ss}", "id", str(x, "product_id"), "vendor", "-",
						       "name", str(x, "name"), "version", ""));
	json_array_foreach(json_object_get(doc, "vulnerabilities"), i, x) {
		json_t *v = json_object(), *n;
		size_t j;
		const char *desc = "";
		json_array_foreach(json_object_get(x, "notes"), j, n)
			if (!*desc && !strcmp(str(n, "category"), "description"))
				desc = str(n, "text");
		json_object_set_new(v, "cve", json_string(str(x, "cve")));
		json_object_set_new(v, "title", json_string(str(x, "title")));
		json_object_set_new(v, "description", json_string(desc));
		json_t *s0 = json_array_get(json_object_get(x, "scores"), 0);
		json_object_set_new(v, "cvss_vector",
				    json_string(str(json_object_get(s0, "cvss_v3"), "vectorString")));
		json_t *ka = json_object_get(json_object_get(x, "product_status"), "known_affected");
		json_object_set_new(v, "products", ka && json_is_array(ka) ? json_deep_copy(ka) : json_array());
		json_t *r0 = json_array_get(json_object_get(x, "remediations"), 0);
		json_object_set_new(v, "remediation", json_string(str(r0, "details")));
		json_object_set_new(v, "remediation_category", json_string(str(r0, "category")));
		json_array_append_new(vulns, v);
	}
	json_t *adv = json_pack("{ss,ss,ss,ss,ss,ss,so,so,so}", "id", str(tr, "id"), "title", str(d, "title"),
				"summary", summary, "category", str(d, "category"), "tlp",
				!strcmp(label, "GREEN") ? "GREEN" : !strcmp(label, "AMBER") ? "AMBER"
				: !strcmp(label, "RED") ? "RED" : "CLEAR",
				"lang", *str(d, "lang") ? str(d, "lang") : "en", "products", prods,
				"vulnerabilities", vulns, "references", refs);
	if (adv)
		return adv;
	prods = vulns = refs = NULL;
oom:
	json_decref(prods);
	json_decref(vulns);
	json_decref(refs);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

int csaf_parse(const char *buf, size_t len, json_t **doc, json_t **adv, char *err, size_t errlen)
{
	json_error_t je;
	char path[512], why[400];
	*doc = *adv = NULL;
	json_t *d = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!d) {
		snprintf(err, errlen, "line %d: not JSON: %s", je.line, je.text);
		return -1;
	}
	if (csaf_doc_check(d, path, sizeof path, why, sizeof why)) {
		snprintf(err, errlen, "%s: %s", path[0] ? path : "/", why);
		json_decref(d);
		return -1;
	}
	if (!(*adv = csaf_adv_from_doc(d, err, errlen))) {
		json_decref(d);
		return -1;
	}
	*doc = d;
	return 0;
}
