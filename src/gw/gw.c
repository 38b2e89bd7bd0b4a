/* gw.c — the Cybersecurity Gateway's rules (see gw.h): vocabularies, checks
 * of what is written, who may write and approve, the search index and the
 * search with its facets. */
#include "gw/gw.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const gw_area_names[GW_AREAS] = {"legal", "technical", "organisational", "capacity",
					     "cooperation"};
const char *const gw_stakeholders[5] = {"government", "private", "civil-society", "international", "academia"};
const char *const gw_entry_kinds[3] = {"organisation", "initiative", "team"};
const char *const gw_res_types[6] = {"document", "law", "strategy", "guide", "training", "event"};
const char *const gw_doc_kinds[4] = {"entry", "resource", "news", "advisory"};

/* ISO 3166-1 alpha-2 (Debian's iso-codes, 249 codes) */
static const char countries[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
	"BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
	"EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
	"HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
	"LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
	"NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
	"TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

int gw_one_of(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, names[i]))
			return 1;
	return 0;
}

int gw_country_ok(const char *cc)
{
	if (strlen(cc) != 2 || !isupper((unsigned char)cc[0]) || !isupper((unsigned char)cc[1]))
		return 0;
	for (const char *p = countries; p[0] && p[1]; p += p[2] ? 3 : 2)
		if (p[0] == cc[0] && p[1] == cc[1])
			return 1;
	return 0;
}

int gw_url_ok(const char *u)
{
	const char *h;
	if (!strncmp(u, "https://", 8))
		h = u + 8;
	else if (!strncmp(u, "http://", 7))
		h = u + 7;
	else
		return 0;
	if (!*h || *h == '/' || *h == '?' || *h == '#' || strlen(u) > 500)
		return 0;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("\"'<>\\`", *p))
			return 0;
	return 1;
}

/* A path of this site: printable ASCII without quotes, brackets,
 * backslashes or blanks. */
static int path_ok(const char *u)
{
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("\"'<>\\`", *p))
			return 0;
	return strlen(u) < 250;
}

int gw_area_parse(const char *s, unsigned *mask, char *err, size_t errlen)
{
	*mask = 0;
	while (*s) {
		size_t n = strcspn(s, ", ");
		if (n) {
			int found = 0;
			for (int i = 0; i < GW_AREAS; i++)
				if (strlen(gw_area_names[i]) == n && !strncmp(s, gw_area_names[i], n))
					*mask |= 1u << i, found = 1;
			if (!found)
				return snprintf(err, errlen, "unknown work area '%.*s' (legal, technical, "
					 "organisational, capacity, cooperation)", (int)(n > 40 ? 40 : n), s), -1;
		}
		s += n;
		s += strspn(s, ", ");
	}
	return 0;
}

void gw_area_list(unsigned mask, char *out, size_t n)
{
	size_t k = 0;
	out[0] = '\0';
	for (int i = 0; i < GW_AREAS; i++)
		if (mask & (1u << i)) {
			int w = snprintf(out + k, n - k, "%s%s", k ? "," : "", gw_area_names[i]);
			if (w < 0 || (size_t)w >= n - k)
				return;
			k += (size_t)w;
		}
}

int gw_may_approve(const principal_t *p)
{
	return p->hub_member && auth_role_at_least(p, ROLE_ANALYST) && p->role != ROLE_PEER;
}

int gw_may_edit(const principal_t *p, int64_t org)
{
	if (gw_may_approve(p))
		return 1;
	return p->role != ROLE_PEER && auth_role_at_least(p, ROLE_CONTRIBUTOR) && p->org_id == org;
}

/* ---- checks ---- */

#define BAD(f, ...) (*field = (f), snprintf(err, errlen, __VA_ARGS__), 400)

/* Text a person typed: UTF-8, no control character but tab and line ends
 * (when multi), not longer than max bytes.  1 good, 0 bad. */
static int text_ok(const char *s, int multi)
{
	if (!util_utf8_valid(s, strlen(s)))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(multi && (*p == '\n' || *p == '\r' || *p == '\t'))) || *p == 0x7f)
			return 0;
	return 1;
}

static int email_ok(const char *e)
{
	const char *at = strchr(e, '@');
	if (!at || at == e || strchr(at + 1, '@') || !strchr(at + 1, '.') || strlen(e) > 254)
		return 0;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("\"'<>\\,;:()[]", *p))
			return 0;
	return 1;
}

static int phone_ok(const char *s)
{
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p))
			digits++;
		else if (!strchr("+ -().", *p))
			return 0;
	}
	return digits >= 3 && digits <= 20;
}

/* A fingerprint of want hex digits (blanks and colons between them
 * allowed), rewritten as upper-case hex: 1 good, 0 bad. */
static int fpr_norm(char *s, size_t want)
{
	char b[128];
	size_t k = 0;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || k + 1 >= sizeof b)
			return 0;
		b[k++] = (char)toupper((unsigned char)*p);
	}
	if (k != want)
		return 0;
	b[k] = '\0';
	memcpy(s, b, k + 1);
	return 1;
}

static int entry_check(store_gw_entry_t *e, const char **field, char *err, size_t errlen)
{
	if (!gw_one_of(e->kind, gw_entry_kinds, 3))
		return BAD("kind", "kind must be organisation, initiative or team");
	if (!e->name[0] || !text_ok(e->name, 0))
		return BAD("name", "give a name (one line of text)");
	if (!gw_one_of(e->stakeholder, gw_stakeholders, 5))
		return BAD("stakeholder", "stakeholder must be government, private, civil-society, "
			   "international or academia");
	if (!gw_country_ok(e->country))
		return BAD("country", "country must be an ISO 3166 code of two capital letters (FR, SN, ...)");
	if (!text_ok(e->sector, 0))
		return BAD("sector", "the sector is one line of text");
	if (e->areas >= (1u << GW_AREAS))
		return BAD("areas", "unknown work area");
	if (!text_ok(e->description, 1))
		return BAD("description", "the description holds a control character or is not UTF-8");
	if (e->website[0] && !gw_url_ok(e->website))
		return BAD("website", "the web site must be an http:// or https:// address");
	if (e->email[0] && !email_ok(e->email))
		return BAD("email", "not an e-mail address");
	if (e->phone[0] && !phone_ok(e->phone))
		return BAD("phone", "a telephone number has digits, spaces and + - ( ) . only");
	if (e->pgp[0] && !fpr_norm(e->pgp, 40))
		return BAD("pgp", "a PGP fingerprint has 40 hexadecimal digits");
	if (e->x509[0] && !fpr_norm(e->x509, 64))
		return BAD("x509", "an X.509 fingerprint is a SHA-256: 64 hexadecimal digits");
	return 0;
}

static int res_check(store_gw_res_t *r, const char **field, char *err, size_t errlen)
{
	if (!gw_one_of(r->type, gw_res_types, 6))
		return BAD("type", "type must be document, law, strategy, guide, training or event");
	if (!r->title[0] || !text_ok(r->title, 0))
		return BAD("title", "give a title (one line of text)");
	if (!text_ok(r->summary, 1))
		return BAD("summary", "the summary holds a control character or is not UTF-8");
	if (r->areas >= (1u << GW_AREAS))
		return BAD("areas", "unknown work area");
	if (r->stakeholder[0] && !gw_one_of(r->stakeholder, gw_stakeholders, 5))
		return BAD("stakeholder", "stakeholder must be government, private, civil-society, "
			   "international or academia");
	if (r->country[0] && !gw_country_ok(r->country))
		return BAD("country", "country must be an ISO 3166 code of two capital letters (FR, SN, ...)");
	if (r->lang[0] && (strlen(r->lang) < 2 || strlen(r->lang) > 3 || !islower((unsigned char)r->lang[0]) ||
			   !islower((unsigned char)r->lang[1]) || (r->lang[2] && !islower((unsigned char)r->lang[2]))))
		return BAD("lang", "the language is an ISO 639 code (en, fr, ar, ...)");
	if (r->link[0] && !gw_url_ok(r->link))
		return BAD("link", "the link must be an http:// or https:// address");
	if (r->tlp > TLP_RED)
		return BAD("tlp", "unknown TLP");
	return 0;
}

static int news_check(store_gw_news_t *n, const char **field, char *err, size_t errlen)
{
	if (!n->title[0] || !text_ok(n->title, 0))
		return BAD("title", "give a title (one line of text)");
	if (!text_ok(n->body, 1))
		return BAD("body", "the text holds a control character or is not UTF-8");
	if (n->areas >= (1u << GW_AREAS))
		return BAD("areas", "unknown work area");
	if (n->tlp > TLP_RED)
		return BAD("tlp", "unknown TLP");
	return 0;
}

/* ---- the index ---- */

int gw_index_put(store_t *st, const gw_doc_t *d, char *err, size_t errlen)
{
	if (!d->kind || !gw_one_of(d->kind, gw_doc_kinds, 4))
		return snprintf(err, errlen, "kind must be entry, resource, news or advisory"), 400;
	if (!d->ref || !*d->ref || strlen(d->ref) > 63 || !text_ok(d->ref, 0))
		return snprintf(err, errlen, "ref must be 1 to 63 bytes of text"), 400;
	if (!d->title || !*d->title || !text_ok(d->title, 1) || (d->text && !util_utf8_valid(d->text, strlen(d->text))))
		return snprintf(err, errlen, "title must be text, text UTF-8"), 400;
	if (d->tlp > TLP_RED || d->areas >= (1u << GW_AREAS))
		return snprintf(err, errlen, "bad TLP or work areas"), 400;
	if (!d->url || d->url[0] != '/' || d->url[1] == '/' || !path_ok(d->url))
		return snprintf(err, errlen, "url must be a path of this site (/advisories/...)"), 400;
	if (store_gw_doc_put(st, d))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	return 0;
}

int gw_index_del(store_t *st, const char *kind, const char *ref)
{
	return store_gw_doc_del(st, kind, ref);
}

static int index_entry(store_t *st, const store_gw_entry_t *e, char *err, size_t errlen)
{
	char ref[24], url[64];
	util_buf_t t = {0};
	snprintf(ref, sizeof ref, "%lld", (long long)e->id);
	snprintf(url, sizeof url, "/directory/%lld", (long long)e->id);
	util_buf_printf(&t, "%s\n%s\n%s\n%s %s %s", e->description, e->sector, e->website, e->email, e->kind,
			e->country);
	gw_doc_t d = {.kind = "entry", .ref = ref, .title = e->name, .text = t.data ? t.data : "",
		      .tlp = TLP_CLEAR, .org_id = e->org_id, .areas = e->areas, .stakeholder = e->stakeholder,
		      .country = e->country, .type = e->kind, .url = url, .updated = e->updated};
	int rc = t.oom ? (snprintf(err, errlen, "out of memory"), 500) : gw_index_put(st, &d, err, errlen);
	free(t.data);
	return rc;
}

static int index_res(store_t *st, const store_gw_res_t *r, char *err, size_t errlen)
{
	char ref[24], url[64];
	snprintf(ref, sizeof ref, "%lld", (long long)r->id);
	snprintf(url, sizeof url, "/resources/%lld", (long long)r->id);
	gw_doc_t d = {.kind = "resource", .ref = ref, .title = r->title, .text = r->summary, .tlp = r->tlp,
		      .org_id = r->org_id, .areas = r->areas, .stakeholder = r->stakeholder,
		      .country = r->country, .lang = r->lang, .type = r->type, .url = url, .updated = r->updated};
	return gw_index_put(st, &d, err, errlen);
}

static int index_news(store_t *st, const store_gw_news_t *n, char *err, size_t errlen)
{
	char ref[24], url[64];
	snprintf(ref, sizeof ref, "%lld", (long long)n->id);
	snprintf(url, sizeof url, "/news/%lld", (long long)n->id);
	gw_doc_t d = {.kind = "news", .ref = ref, .title = n->title, .text = n->body, .tlp = n->tlp,
		      .org_id = n->org_id, .areas = n->areas, .url = url, .updated = n->updated};
	return gw_index_put(st, &d, err, errlen);
}

static int unindex(store_t *st, const char *kind, int64_t id, char *err, size_t errlen)
{
	char ref[24];
	snprintf(ref, sizeof ref, "%lld", (long long)id);
	if (store_gw_doc_del(st, kind, ref))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	return 0;
}

/* ---- writing ---- */

/* The status a save by p gives: draft when asked, public when p approves
 * and asks for it (or, public_default, asks nothing), else pending. */
static const char *save_status(const principal_t *p, const char *asked, int public_default)
{
	if (!strcmp(asked, "draft"))
		return "draft";
	if (gw_may_approve(p) && (!strcmp(asked, "public") || (public_default && !*asked)))
		return "public";
	return "pending";
}

/* The organisation and the right to write an item: a new one is p's (or the
 * one an approver names); an old one keeps its organisation. */
static int owner(const principal_t *p, int64_t old_org, int64_t *org, char *err, size_t errlen)
{
	if (old_org) {
		if (!gw_may_edit(p, old_org))
			return snprintf(err, errlen, "no such item that you may edit"), 404;
		if (!gw_may_approve(p) || !*org)
			*org = old_org;
		return 0;
	}
	if (!*org || !gw_may_approve(p))
		*org = p->org_id;
	if (!gw_may_edit(p, *org))
		return snprintf(err, errlen, "writing to the gateway needs the contributor role"), 403;
	return 0;
}

int gw_entry_save(store_t *st, const principal_t *p, store_gw_entry_t *e, const char **field, char *err,
		  size_t errlen)
{
	store_gw_entry_t old;
	int rc;
	*field = NULL;
	if (e->id) {
		if ((rc = store_gw_entry_get(st, e->id, &old)))
			return rc == STORE_ENOTFOUND ? (snprintf(err, errlen, "no such entry that you may edit"), 404)
						     : (snprintf(err, errlen, "store: %s", store_errmsg(st)), 500);
	}
	if ((rc = owner(p, e->id ? old.org_id : 0, &e->org_id, err, errlen)))
		return rc;
	if ((rc = entry_check(e, field, err, errlen)))
		return rc;
	snprintf(e->status, sizeof e->status, "%s", save_status(p, e->status, 0));
	if (store_gw_entry_put(st, e))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	return strcmp(e->status, "public") ? unindex(st, "entry", e->id, err, errlen) : index_entry(st, e, err, errlen);
}

int gw_res_save(store_t *st, const principal_t *p, store_gw_res_t *r, const char **field, char *err,
		size_t errlen)
{
	store_gw_res_t old;
	int rc;
	*field = NULL;
	if (r->id) {
		if ((rc = store_gw_res_get(st, r->id, &old)))
			return rc == STORE_ENOTFOUND ? (snprintf(err, errlen, "no such resource that you may edit"), 404)
						     : (snprintf(err, errlen, "store: %s", store_errmsg(st)), 500);
	}
	if ((rc = owner(p, r->id ? old.org_id : 0, &r->org_id, err, errlen)))
		return rc;
	if ((rc = res_check(r, field, err, errlen)))
		return rc;
	snprintf(r->status, sizeof r->status, "%s", save_status(p, r->status, 0));
	if (store_gw_res_put(st, r))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	return strcmp(r->status, "public") ? unindex(st, "resource", r->id, err, errlen) : index_res(st, r, err, errlen);
}

int gw_news_save(store_t *st, const principal_t *p, store_gw_news_t *n, const char **field, char *err,
		 size_t errlen)
{
	store_gw_news_t old;
	int rc;
	*field = NULL;
	if (!gw_may_approve(p))
		return snprintf(err, errlen, "news are written by the hub's analysts"), 403;
	if (n->id) {
		if ((rc = store_gw_news_get(st, n->id, &old)))
			return rc == STORE_ENOTFOUND ? (snprintf(err, errlen, "no such news item"), 404)
						     : (snprintf(err, errlen, "store: %s", store_errmsg(st)), 500);
	}
	if ((rc = owner(p, n->id ? old.org_id : 0, &n->org_id, err, errlen)))
		return rc;
	if ((rc = news_check(n, field, err, errlen)))
		return rc;
	snprintf(n->status, sizeof n->status, "%s", save_status(p, n->status, 1));
	if (store_gw_news_put(st, n))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	return strcmp(n->status, "public") ? unindex(st, "news", n->id, err, errlen) : index_news(st, n, err, errlen);
}

int gw_approve(store_t *st, const principal_t *p, const char *kind, int64_t id, int approve, char *err,
	       size_t errlen)
{
	const char *status = approve ? "public" : "draft";
	int rc;
	if (!gw_may_approve(p))
		return snprintf(err, errlen, "approving needs an analyst of the hub"), 403;
	if (!strcmp(kind, "entry")) {
		store_gw_entry_t e;
		if ((rc = store_gw_entry_get(st, id, &e)))
			goto get_failed;
		snprintf(e.status, sizeof e.status, "%s", status);
		if (store_gw_entry_put(st, &e))
			goto store_failed;
		return approve ? index_entry(st, &e, err, errlen) : unindex(st, kind, id, err, errlen);
	}
	if (!strcmp(kind, "resource")) {
		store_gw_res_t r;
		if ((rc = store_gw_res_get(st, id, &r)))
			goto get_failed;
		snprintf(r.status, sizeof r.status, "%s", status);
		if (store_gw_res_put(st, &r))
			goto store_failed;
		return approve ? index_res(st, &r, err, errlen) : unindex(st, kind, id, err, errlen);
	}
	if (!strcmp(kind, "news")) {
		store_gw_news_t *n = malloc(sizeof *n);
		if (!n)
			return snprintf(err, errlen, "out of memory"), 500;
		if ((rc = store_gw_news_get(st, id, n))) {
			free(n);
			goto get_failed;
		}
		snprintf(n->status, sizeof n->status, "%s", status);
		rc = store_gw_news_put(st, n);
		if (!rc)
			rc = approve ? index_news(st, n, err, errlen) : unindex(st, kind, id, err, errlen);
		else
			rc = (snprintf(err, errlen, "store: %s", store_errmsg(st)), 500);
		free(n);
		return rc;
	}
	return snprintf(err, errlen, "kind must be entry, resource or news"), 400;
get_failed:
	if (rc == STORE_ENOTFOUND)
		return snprintf(err, errlen, "no %s %lld", kind, (long long)id), 404;
store_failed:
	return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
}

int gw_res_attach(store_t *st, const principal_t *p, int64_t id, const void *data, size_t n, const char *name,
		  char *err, size_t errlen)
{
	store_gw_res_t r;
	char clean[128];
	size_t k = 0;
	int rc = store_gw_res_get(st, id, &r);
	if (rc == STORE_ENOTFOUND || (!rc && !gw_may_edit(p, r.org_id)))
		return snprintf(err, errlen, "no such resource that you may edit"), 404;
	if (rc)
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	if (n > GW_FILE_MAX)
		return snprintf(err, errlen, "the file is over %u bytes", GW_FILE_MAX), 400;
	/* the name's last component, of safe ASCII only */
	const char *base = name ? name : "";
	for (const char *c = base; *c; c++)
		if (*c == '/' || *c == '\\')
			base = c + 1;
	for (const char *c = base; *c && k + 1 < sizeof clean && k < 100; c++)
		if (isalnum((unsigned char)*c) || strchr("._-", *c))
			clean[k++] = *c;
	clean[k] = '\0';
	if (!k || clean[0] == '.')
		snprintf(clean, sizeof clean, "resource-%lld.bin", (long long)id);
	if (store_gw_file_put(st, id, data, n, clean))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
	return 0;
}

/* ---- the query language ---- */

/* Is p the start of a separator the tokenizer would split on (ASCII other
 * than letters and digits, and the common typographic marks)?  *len: its
 * length in bytes. */
static int sep_at(const unsigned char *p, size_t *len)
{
	*len = 1;
	if (*p < 0x80)
		return !isalnum(*p);
	if (p[0] == 0xC2 && (p[1] == 0xA0 || p[1] == 0xAB || p[1] == 0xBB)) /* nbsp « » */
		return *len = 2, 1;
	if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0xA6) /* dashes, quotes, … */
		return *len = 3, 1;
	return 0;
}

typedef struct {
	char *out;
	size_t n, k;
	int over;
} qbuf_t;

static void qadd(qbuf_t *b, const char *s, size_t n)
{
	if (b->over || b->k + n + 1 > b->n) {
		b->over = 1;
		return;
	}
	memcpy(b->out + b->k, s, n);
	b->k += n;
	b->out[b->k] = '\0';
}

#define QTERMS 16
#define QWORD 64

int gw_query_parse(const char *in, char *out, size_t outlen)
{
	/* terms: a word or phrase each, with its mode */
	struct {
		char text[QWORD * 4 + 8];
		int prefix, neg, or_before, phrase;
	} t[QTERMS];
	int nt = 0, or_next = 0;
	const unsigned char *p = (const unsigned char *)in;
	size_t sl;
	if (outlen)
		out[0] = '\0';
	while (*p && nt < QTERMS) {
		int neg = 0;
		if (*p == '"') { /* a phrase: its words up to the closing quote */
			size_t k = 0;
			p++;
			while (*p && *p != '"') {
				if (sep_at(p, &sl)) {
					if (k && t[nt].text[k - 1] != ' ')
						t[nt].text[k++] = ' ';
					for (size_t i = 0; i < sl && *p && *p != '"'; i++)
						p++;
					continue;
				}
				/* room for a whole character and the space after it */
				if (k + 6 < sizeof t[nt].text)
					t[nt].text[k++] = (char)*p;
				p++;
			}
			/* a character cut at the end: drop its bytes */
			while (k && ((unsigned char)t[nt].text[k - 1] & 0x80)) {
				size_t j = k;
				while (j && ((unsigned char)t[nt].text[j - 1] & 0xC0) == 0x80)
					j--;
				if (j && util_utf8_valid(t[nt].text + j - 1, k - j + 1))
					break;
				k = j ? j - 1 : 0;
			}
			if (*p == '"')
				p++;
			while (k && t[nt].text[k - 1] == ' ')
				k--;
			t[nt].text[k] = '\0';
			if (!k)
				continue;
			t[nt].prefix = 0, t[nt].neg = 0, t[nt].phrase = 1, t[nt].or_before = or_next && nt;
			or_next = 0;
			nt++;
			continue;
		}
		if (*p == '-' && p[1] && !sep_at(p + 1, &sl))
			neg = 1, p++;
		if (sep_at(p, &sl)) {
			while (sl-- && *p)
				p++;
			continue;
		}
		size_t k = 0;
		while (*p && !sep_at(p, &sl)) {
			if (k < QWORD)
				t[nt].text[k++] = (char)*p;
			p++;
		}
		/* cut at a character, not inside one */
		while (k && k == QWORD && ((unsigned char)t[nt].text[k - 1] & 0xC0) == 0x80)
			k--;
		if (k && (unsigned char)t[nt].text[k - 1] >= 0xC0)
			k--;
		t[nt].text[k] = '\0';
		/* a prefix of two characters at least (one letter would be most of the index) */
		int prefix = *p == '*' && (k >= 2 && !((unsigned char)t[nt].text[0] >= 0xC0 && k <= 2) &&
					   !((unsigned char)t[nt].text[0] >= 0xE0 && k <= 3) &&
					   !((unsigned char)t[nt].text[0] >= 0xF0 && k <= 4));
		if (!k)
			continue;
		if (!neg && !prefix && !strcmp(t[nt].text, "OR")) {
			or_next = 1;
			continue;
		}
		t[nt].prefix = prefix, t[nt].neg = neg, t[nt].phrase = 0;
		t[nt].or_before = !neg && or_next && nt && !t[nt - 1].neg;
		or_next = 0;
		nt++;
	}
	/* positives in brackets, then NOT each negative */
	qbuf_t b = {out, outlen, 0, outlen == 0};
	int npos = 0;
	for (int i = 0; i < nt; i++)
		if (!t[i].neg) {
			if (npos++)
				qadd(&b, t[i].or_before ? " OR " : " AND ", t[i].or_before ? 4 : 5);
			else
				qadd(&b, "(", 1);
			qadd(&b, "\"", 1);
			qadd(&b, t[i].text, strlen(t[i].text));
			qadd(&b, t[i].prefix ? "\"*" : "\"", t[i].prefix ? 2 : 1);
		}
	if (!npos)
		return outlen ? (out[0] = '\0', 0) : 0;
	qadd(&b, ")", 1);
	for (int i = 0; i < nt; i++)
		if (t[i].neg) {
			qadd(&b, " NOT \"", 6);
			qadd(&b, t[i].text, strlen(t[i].text));
			qadd(&b, t[i].prefix ? "\"*" : "\"", t[i].prefix ? 2 : 1);
		}
	if (b.over) {
		if (outlen)
			out[0] = '\0';
		return -1;
	}
	return 1;
}

/* ---- search ---- */

typedef struct {
	const gw_search_t *s;
	gw_result_t *res;
	long seen;      /* hits walked so far, over the tiers */
} walk_t;

static void count(gw_count_t *c, int *n, int max, const char *name)
{
	if (!*name)
		return;
	for (int i = 0; i < *n; i++)
		if (!strcmp(c[i].name, name)) {
			c[i].n++;
			return;
		}
	if (*n < max && strlen(name) < sizeof c[0].name) {
		snprintf(c[*n].name, sizeof c[0].name, "%s", name);
		c[(*n)++].n = 1;
	}
}

/* Copy s into out (n bytes) cut at a character boundary. */
static void cut(char *out, size_t n, const char *s)
{
	size_t k = strlen(s);
	if (k >= n) {
		k = n - 1;
		while (k && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
	}
	memcpy(out, s, k);
	out[k] = '\0';
}

/* The facets and the total: every match, in no order. */
static int tally(void *arg, const store_gw_doc_t *d, double score)
{
	gw_result_t *r = arg;
	(void)score;
	r->total++;
	for (int a = 0; a < GW_AREAS; a++)
		if (d->areas & (1u << a))
			r->areas[a]++;
	count(r->kinds, &r->nkinds, 8, d->kind);
	count(r->stakeholders, &r->nstakeholders, 8, d->stakeholder);
	count(r->types, &r->ntypes, 16, d->type);
	count(r->countries, &r->ncountries, GW_FACET_MAX, d->country);
	count(r->langs, &r->nlangs, GW_FACET_MAX, d->lang);
	return 0;
}

/* The page's hits, best first. */
static int walk(void *arg, const store_gw_doc_t *d, double score)
{
	walk_t *w = arg;
	gw_result_t *r = w->res;
	long i = w->seen++;
	if (i < w->s->offset || r->nhits >= GW_PAGE)
		return 0;
	gw_hit_t *h = &r->hits[r->nhits++];
	cut(h->kind, sizeof h->kind, d->kind);
	cut(h->ref, sizeof h->ref, d->ref);
	cut(h->title, sizeof h->title, d->title);
	cut(h->url, sizeof h->url, d->url);
	cut(h->type, sizeof h->type, d->type);
	h->doc = d->id;
	h->areas = d->areas;
	h->tlp = d->tlp;
	h->updated = d->updated;
	h->score = score;
	return 0;
}

/* Ranking in two tiers: the documents whose title matches, by bm25, then
 * the others, by bm25.  (bm25 with the title ten times the text puts
 * nearly all title matches first anyway; the tiers spare scoring every
 * match of a common word when the page fills from titles alone.) */
int gw_search(store_t *st, const tlp_view_t *v, const gw_search_t *s, gw_result_t *res, char *err,
	      size_t errlen)
{
	char match[GW_QUERY_MAX], tier[2 * GW_QUERY_MAX + 32];
	memset(res, 0, sizeof *res);
	int m = gw_query_parse(s->q ? s->q : "", match, sizeof match);
	if (m < 0)
		return snprintf(err, errlen, "the query is too long"), 400;
	int want = s->offset + (s->first > 0 && s->first < GW_PAGE ? s->first : GW_PAGE);
	store_gw_query_t q = {.view = *v, .match = m ? match : NULL, .kind = s->kind, .stakeholder = s->stakeholder,
			      .country = s->country, .lang = s->lang, .type = s->type, .areas = s->areas};
	walk_t w = {s, res, 0};
	q.limit = GW_COUNT_MAX + 1; /* the facets and total: counting stops there */
	if (s->first <= 0 && store_gw_search(st, &q, tally, res) < 0)
		goto fail;
	if (res->total > GW_COUNT_MAX)
		res->total = GW_COUNT_MAX, res->more = 1;
	q.ranked = 1;
	if (!m) { /* browsing: newest first */
		q.limit = want;
		if (store_gw_search(st, &q, walk, &w) < 0)
			goto fail;
	} else {
		snprintf(tier, sizeof tier, "{title} : (%s)", match);
		q.match = tier;
		q.limit = want;
		if (store_gw_search(st, &q, walk, &w) < 0)
			goto fail;
		if (w.seen < want) {
			snprintf(tier, sizeof tier, "(%s) NOT {title} : (%s)", match, match);
			q.limit = want - (int)w.seen;
			if (store_gw_search(st, &q, walk, &w) < 0)
				goto fail;
		}
	}
	if (s->first > 0)
		res->total = res->nhits;
	/* the text only of the page's hits, not of every match */
	for (int i = 0; i < res->nhits; i++) {
		char t[sizeof res->hits[i].snippet * 2];
		if (store_gw_doc_text(st, res->hits[i].doc, t, sizeof t))
			goto fail;
		cut(res->hits[i].snippet, sizeof res->hits[i].snippet, t);
	}
	return 0;
fail:
	return snprintf(err, errlen, "store: %s", store_errmsg(st)), 500;
}

int gw_may_see(const principal_t *p, int64_t org, const char *status)
{
	return !strcmp(status, "public") || (p && (p->org_id == org || gw_may_approve(p)));
}
