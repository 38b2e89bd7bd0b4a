/* cons.c — constituency import and "who is responsible" (see cons.h). */
#include "cons.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "index/idx.h"
#include "ingest/ingest.h"

struct cons {
	idx_t *ix;
	store_res_t *r; /* r[id - 1] */
	size_t n, cap;
};

static int collect(void *arg, const store_res_t *r)
{
	cons_t *c = arg;
	if (util_grow(&c->r, &c->cap, c->n + 1, sizeof *c->r, 64))
		return -1;
	c->r[c->n++] = *r;
	return 0;
}

cons_t *cons_load(store_t *st, char *err, size_t errlen)
{
	cons_t *c = calloc(1, sizeof *c);
	idx_builder_t *b = NULL;
	if (!c || !(c->ix = idx_new()) || store_res_list(st, collect, c) ||
	    !(b = idx_builder_new(c->ix))) {
		snprintf(err, errlen, "constituency: %s", c && c->ix ? store_errmsg(st) : "out of memory");
		cons_free(c);
		return NULL;
	}
	for (size_t i = 0; i < c->n; i++) {
		obs_t o;
		const store_res_t *r = &c->r[i];
		idx_meta_t m = {.id = (uint32_t)(i + 1), .org = (uint32_t)r->org_id};
		if (obs_from_canonical(r->type, r->value, strlen(r->value), &o) == 0 &&
		    idx_builder_add(b, &o, &m)) {
			snprintf(err, errlen, "constituency: out of memory");
			idx_builder_free(b);
			cons_free(c);
			return NULL;
		}
	}
	if (idx_reset(c->ix, b)) {
		snprintf(err, errlen, "constituency: out of memory");
		cons_free(c);
		return NULL;
	}
	return c;
}

void cons_free(cons_t *c)
{
	if (!c)
		return;
	idx_free(c->ix);
	free(c->r);
	free(c);
}

size_t cons_size(const cons_t *c)
{
	return c->n;
}

/* How specific a hit is: the prefix length, or the length of the name matched. */
static int specificity(const obs_t *o, const idx_hit_t *h)
{
	if (h->how == IDX_PREFIX)
		return h->plen;
	if (h->how == IDX_PARENT)
		return (int)(o->len - h->off);
	return o->type == OBS_DOMAIN ? (int)o->len : 1000;
}

size_t cons_who(cons_t *c, const obs_t *o, cons_owner_t *out, size_t max)
{
	idx_hit_t hits[64];
	size_t k = 0;
	const idx_snap_t *s = idx_frozen(c->ix); /* built once, never written again */
	size_t n = idx_lookup(s, o, hits, 64);
	int best = -1;
	for (size_t i = 0; i < n && i < 64; i++) {
		int sp = specificity(o, &hits[i]);
		best = sp > best ? sp : best;
	}
	for (size_t i = 0; i < n && i < 64 && k < max; i++) {
		if (specificity(o, &hits[i]) != best)
			continue;
		const store_res_t *r = &c->r[hits[i].ref->id - 1];
		out[k++] = (cons_owner_t){.org_id = r->org_id, .org_name = r->org_name,
					  .resource = r->value, .abuse_contact = r->abuse_contact,
					  .type = r->type};
	}
	return k;
}

/* ---- import ---- */

/* One CSV line split and trimmed in place (the ingest module's reader). */
static int split(char *line, char **f, int max)
{
	int n = ingest_csv_split(line, ',', f, max);
	for (int i = 0; i < n; i++)
		ingest_csv_trim(&f[i]);
	return n;
}

typedef struct {
	int org, res, contact, type, country, channel, frequency;
} cols_t;

static int header(char *line, cols_t *c)
{
	char *f[16];
	int n = split(line, f, 16);
	*c = (cols_t){-1, -1, -1, -1, -1, -1, -1};
	for (int i = 0; i < n; i++) {
		if (!strcmp(f[i], "organisation") || !strcmp(f[i], "organization"))
			c->org = i;
		else if (!strcmp(f[i], "resource"))
			c->res = i;
		else if (!strcmp(f[i], "abuse_contact"))
			c->contact = i;
		else if (!strcmp(f[i], "type"))
			c->type = i;
		else if (!strcmp(f[i], "country"))
			c->country = i;
		else if (!strcmp(f[i], "channel"))
			c->channel = i;
		else if (!strcmp(f[i], "frequency"))
			c->frequency = i;
	}
	return n > 0 && c->org >= 0 && c->res >= 0 && c->contact >= 0 ? 0 : -1;
}

/* "AS64500", a prefix or address, or a domain name; canonical into r. */
static const char *resource(const char *s, store_res_t *r)
{
	obs_t *o = malloc(sizeof *o);
	const char *why = NULL;
	if (!o)
		return "out of memory";
	if (obs_parse(s, strlen(s), OBS_NONE, o, NULL, 0))
		why = "not a network, an AS number or a domain";
	else if (o->type != OBS_IPV4 && o->type != OBS_IPV6 && o->type != OBS_ASN && o->type != OBS_DOMAIN)
		why = "a resource is a network (CIDR), an AS number (AS64500) or a domain";
	else if (o->len >= sizeof r->value)
		why = "too long";
	else {
		r->type = o->type;
		memcpy(r->value, o->value, o->len + 1);
	}
	free(o);
	return why;
}

static const char *contact(const char *s, store_res_t *r)
{
	obs_t *o = malloc(sizeof *o);
	const char *why = NULL;
	if (!o)
		return "out of memory";
	if (obs_parse(s, strlen(s), OBS_EMAIL, o, NULL, 0) || o->len >= sizeof r->abuse_contact)
		why = "abuse_contact must be an e-mail address";
	else
		memcpy(r->abuse_contact, o->value, o->len + 1);
	free(o);
	return why;
}

/* The known organisations' names, for the error of a row naming another. */
typedef struct {
	const char *want;
	char close[MODEL_NAME_MAX + 1]; /* a known name want is a typo of */
	char s[300];
	int n;
} known_t;

static int known_org(void *arg, const org_t *o)
{
	known_t *k = arg;
	size_t l = strlen(k->s);
	if (!k->close[0] && util_name_close(k->want, o->name))
		snprintf(k->close, sizeof k->close, "%s", o->name);
	if (k->n++ < 10 && l + strlen(o->name) + 8 < sizeof k->s)
		snprintf(k->s + l, sizeof k->s - l, "%s'%s'", l ? ", " : "", o->name);
	else if (k->n == 11)
		snprintf(k->s + l, sizeof k->s - l, ", ...");
	return 0;
}

/* The organisation of a row; created when missing and opts allow. */
static const char *row_org(store_t *st, char **f, int n, const cols_t *c, const char *country0,
			   const cons_import_opts_t *opts, long line, char *why, size_t whylen,
			   int64_t *id)
{
	org_t o = {0};
	if (!model_name_ok(f[c->org]))
		return "organisation must be 1 to 128 printable bytes";
	if (store_org_find(st, f[c->org], &o) == STORE_OK) {
		*id = o.id;
		return NULL;
	}
	if (!opts || !opts->create) {
		known_t k = {.want = f[c->org]};
		if (store_org_list(st, known_org, &k))
			return "cannot list the organisations";
		snprintf(why, whylen, "no organisation named '%s'%s%s%s (known: %s); add it first (c5hub org "
			 "add) or import with --create-orgs", f[c->org], k.close[0] ? ": did you mean '" : "",
			 k.close, k.close[0] ? "'?" : "", k.s[0] ? k.s : "none");
		return why;
	}
	const char *type = c->type >= 0 && c->type < n && *f[c->type] ? f[c->type] : "private-sector";
	const char *cc = c->country >= 0 && c->country < n && *f[c->country] ? f[c->country] : country0;
	if (!org_type_check(type))
		return "type must be government, private-sector, civil-society, international or academia";
	if (!model_country_ok(cc, o.country))
		return "country must be an ISO 3166 two-letter code";
	snprintf(o.name, sizeof o.name, "%s", f[c->org]);
	snprintf(o.type, sizeof o.type, "%s", org_type_check(type));
	if (store_org_add(st, &o))
		return "cannot add the organisation";
	if (opts->created && opts->created(opts->arg, &o, line))
		return "cannot record the new organisation";
	*id = o.id;
	return NULL;
}

/* The optional channel and frequency columns: how the organisation wants
 * its reports (kept with its other preferences). */
static const char *row_prefs(store_t *st, char **f, int n, const cols_t *c, int64_t org)
{
	const char *ch = c->channel >= 0 && c->channel < n && *f[c->channel] ? f[c->channel] : NULL;
	const char *fr = c->frequency >= 0 && c->frequency < n && *f[c->frequency] ? f[c->frequency]
										       : NULL;
	store_prefs_t p;
	if (!ch && !fr)
		return NULL;
	if (ch && strcmp(ch, "email") && strcmp(ch, "webhook"))
		return "channel must be email or webhook";
	if (fr && strcmp(fr, "immediate") && strcmp(fr, "hourly") && strcmp(fr, "daily"))
		return "frequency must be immediate, hourly or daily";
	if (store_prefs_get(st, org, &p))
		return "cannot read the organisation's preferences";
	if (ch)
		snprintf(p.channel, sizeof p.channel, "%s", ch);
	if (fr)
		snprintf(p.frequency, sizeof p.frequency, "%s", fr);
	if (!strcmp(p.channel, "webhook") && !p.webhook[0])
		return "channel webhook needs the organisation's webhook (c5hub notify set ORG --webhook URL)";
	return store_prefs_set(st, org, &p) ? "cannot store the organisation's preferences" : NULL;
}

int cons_import(store_t *st, FILE *f, const char *name, const cons_import_opts_t *o, long *rows,
		char *err, size_t errlen)
{
	char line[4096], country0[3] = "ZZ", *fld[16], why_org[512];
	long lineno = 0, n = 0;
	cols_t c = {-1, -1, -1, -1, -1, -1, -1};
	int have = 0;
	org_t hub;
	char v[64];
	if (store_setting_get(st, "hub_org", v, sizeof v) == STORE_OK &&
	    store_org_get(st, strtoll(v, NULL, 10), &hub) == STORE_OK)
		memcpy(country0, hub.country, 3);
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			snprintf(err, errlen, "%s:%ld: line too long", name, lineno);
			goto bad;
		}
		if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* a byte-order mark */
			memmove(line, line + 3, strlen(line + 3) + 1);
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[strspn(line, " \t")] || line[0] == '#')
			continue;
		if (!have) {
			if (header(line, &c)) {
				snprintf(err, errlen, "%s:%ld: the header must name organisation, resource and "
						      "abuse_contact", name, lineno);
				goto bad;
			}
			have = 1;
			continue;
		}
		int nf = split(line, fld, 16);
		store_res_t r = {0};
		const char *why = nf < 0 ? "malformed CSV (quotes)" : NULL;
		if (!why && (c.org >= nf || c.res >= nf || c.contact >= nf))
			why = "missing fields";
		if (!why && !(why = resource(fld[c.res], &r)) && !(why = contact(fld[c.contact], &r)))
			why = row_org(st, fld, nf, &c, country0, o, lineno, why_org, sizeof why_org,
				      &r.org_id);
		if (!why)
			why = row_prefs(st, fld, nf, &c, r.org_id);
		if (why) {
			snprintf(err, errlen, "%s:%ld: %s", name, lineno, why);
			goto bad;
		}
		if (store_res_add(st, &r)) {
			snprintf(err, errlen, "%s:%ld: store: %s", name, lineno, store_errmsg(st));
			goto bad;
		}
		n++;
	}
	if (!have) {
		snprintf(err, errlen, "%s: empty (no header)", name);
		goto bad;
	}
	*rows = n;
	return 0;
bad:
	return -1;
}
