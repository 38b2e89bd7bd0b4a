/* export.c — writing block lists in other tools' formats (see export.h).
 * Reads the store in one pass ordered by value, holding one value's reports
 * at a time: each value is written once, with the score of its reports at or
 * under the TLP asked for (see rep.h). */
#include "export.h"
#include "core/util.h"
#include "wlist/wlist.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int export_format_parse(const char *s, export_format_t *out)
{
	static const char *const names[] = {"plain", "csv", "rbldnsd", "suricata-iprep",
					    "zeek-intel", "rpz"};
	for (int i = 0; i < 6; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (export_format_t)i;
			return 0;
		}
	return -1;
}

/* Suricata's reputation categories: the RSIT classes, by id 1..11 (one
 * table for the iprep lines and the categories file). */
static const char *const sur_classes[] = {
	"abusive-content", "malicious-code", "information-gathering", "intrusion-attempts",
	"intrusions", "availability", "information-content-security", "fraud",
	"vulnerable", "other", "test",
};
#define SUR_NCLASSES (int)(sizeof sur_classes / sizeof sur_classes[0])

int export_suricata_category(const char *cls)
{
	size_t n = strcspn(cls, "/");
	for (int i = 0; i < SUR_NCLASSES; i++)
		if (strlen(sur_classes[i]) == n && strncmp(cls, sur_classes[i], n) == 0)
			return i + 1;
	return 10;
}

int export_suricata_categories(FILE *out)
{
	for (int i = 0; i < SUR_NCLASSES; i++)
		fprintf(out, "%d,%s,RSIT class %s (c5hub)\n", i + 1, sur_classes[i], sur_classes[i]);
	return fflush(out) || ferror(out) ? -1 : 0;
}

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

typedef struct {
	const export_opts_t *o;
	FILE *out;
	long count;
	uint32_t now;
	indicator_t *g;     /* the reports of the value being read */
	rep_report_t *reps;
	size_t *map;        /* reps index -> g index */
	size_t n, cap;
	int scan_tlp;       /* the highest TLP read: max_tlp, or above it to count withheld */
	int oom;
	obs_t *obs;         /* scratch for the warning-list check */
} ex_t;

/* Can this format carry this type? */
static int carries(export_format_t f, obs_type_t t)
{
	switch (f) {
	case EXP_SURICATA: return t == OBS_IPV4 || t == OBS_IPV6;
	case EXP_ZEEK: return t != OBS_ASN;
	case EXP_RPZ: return t == OBS_IPV4 || t == OBS_IPV6 || t == OBS_DOMAIN;
	default: return 1;
	}
}

/* The RPZ owner name of an address or prefix: "<plen>.<reversed>.rpz-ip",
 * in the canonical form BIND requires (it refuses any other): an IPv6
 * address's 16-bit words reversed, in hex without leading zeros, the
 * longest run of two or more zero words written "zz" (of equal runs, the
 * first in address order, as RFC 5952 picks the one to write "::"). */
static void rpz_ip(FILE *f, const indicator_t *i)
{
	obs_t o;
	if (obs_parse(i->value, strlen(i->value), i->type, &o, NULL, 0))
		return;
	fprintf(f, "%u", o.plen);
	if (o.type == OBS_IPV4) {
		fprintf(f, ".%u.%u.%u.%u", o.addr[3], o.addr[2], o.addr[1], o.addr[0]);
	} else {
		unsigned w[8]; /* reversed: w[0] is the address's last word */
		int best = -1, best_len = 0, cur = -1, cur_len = 0;
		for (int k = 0; k < 8; k++)
			w[k] = (unsigned)o.addr[2 * (7 - k)] << 8 | o.addr[2 * (7 - k) + 1];
		for (int k = 0; k < 8; k++) {
			if (w[k]) {
				cur = -1, cur_len = 0;
				continue;
			}
			if (cur < 0)
				cur = k;
			/* ">=": of equal runs the later here, the first in address order */
			if (++cur_len >= 2 && cur_len >= best_len)
				best = cur, best_len = cur_len;
		}
		for (int k = 0; k < 8; k++) {
			if (k == best) {
				fputs(".zz", f);
				k += best_len - 1;
			} else {
				fprintf(f, ".%x", w[k]);
			}
		}
	}
	fputs(".rpz-ip CNAME .\n", f);
}

/* Score the reports of the value at or under TLP t: fills x->reps and
 * x->map (reps index -> g index); the number of reports scored. */
static size_t score_at(ex_t *x, int t, rep_result_t *res)
{
	const indicator_t *g = x->g;
	size_t m = 0;
	tlp_view_t pub = {.max_tlp = (tlp_t)t}; /* what is published at t */
	for (size_t k = 0; k < x->n; k++) {
		if (!tlp_visible(&pub, g[k].tlp, g[k].org_id, 0))
			continue;
		x->reps[m] = (rep_report_t){
			.conf = g[k].confidence,
			.trust = rep_trust(x->o->rep, g[k].source, g[k].org_id),
			.seen = rep_minutes(g[k].last_seen),
			.until = rep_minutes_up(g[k].valid_until),
			.cls = g[k].classification,
		};
		x->map[m++] = k;
	}
	*res = (rep_result_t){.best = -1};
	if (m)
		rep_score(x->o->rep, x->reps, m, x->now, res, NULL);
	return m;
}

/* (values on a warning list never reach it: flush leaves them first) */
static int is_listed(const ex_t *x, const rep_result_t *res)
{
	return rep_listed(res, x->o->min_score, NULL);
}

/* One value: its reports g[0..n) at or under max_tlp scored; written when it
 * is listed.  A value listed only with reports above max_tlp is counted in
 * o->withheld at the lowest TLP that would write it. */
static int flush(ex_t *x)
{
	const indicator_t *g = x->g;
	FILE *f = x->out;
	char t1[32], t2[32], t3[32];
	rep_result_t res;
	if (x->n == 0 || !carries(x->o->format, g[0].type))
		return 0;
	if (x->o->wl && obs_from_canonical(g[0].type, g[0].value, strlen(g[0].value), x->obs) == 0 &&
	    wlist_match(x->o->wl, x->obs))
		return 0;
	size_t m = score_at(x, (int)x->o->max_tlp, &res);
	if (!is_listed(x, &res)) {
		for (int t = (int)x->o->max_tlp + 1; x->o->withheld && t <= x->scan_tlp; t++)
			if (score_at(x, t, &res) > 0 && is_listed(x, &res)) {
				x->o->withheld[t]++;
				break;
			}
		return 0;
	}
	res.best = (int)x->map[res.best];
	int64_t first = 0, last = 0, until = 0;
	int tlp = 0;
	for (size_t j = 0; j < m; j++) {
		const indicator_t *k = &g[x->map[j]];
		if (j == 0) {
			first = k->first_seen, last = k->last_seen, until = k->valid_until;
			tlp = (int)k->tlp;
		}
		first = k->first_seen < first ? k->first_seen : first;
		last = k->last_seen > last ? k->last_seen : last;
		until = !until || !k->valid_until ? 0 : k->valid_until > until ? k->valid_until : until;
		tlp = (int)k->tlp > tlp ? (int)k->tlp : tlp;
	}
	const indicator_t *i = &g[res.best];
	const char *cls = i->classification;
	int code = rep_code(x->o->rep, cls);
	x->count++;
	switch (x->o->format) {
	case EXP_PLAIN:
		fprintf(f, "%s\n", i->value);
		break;
	case EXP_CSV:
		fprintf(f, "%s,", obs_type_name(i->type));
		csv_field(f, i->value);
		fprintf(f, ",%d,%s,%d,", res.score, cls, res.reporters);
		csv_field(f, i->source);
		fprintf(f, ",%s,%s,%s,%s\n", tlp_name((tlp_t)tlp), model_time_fmt(first, t1),
			model_time_fmt(last, t2), until ? model_time_fmt(until, t3) : "");
		break;
	case EXP_RBLDNSD:
		if (i->type == OBS_SHA256) /* two labels of 32, as the hash zone */
			fprintf(f, "%.32s.%s :%d:%s\n", i->value, i->value + 32, code, cls);
		else
			fprintf(f, "%s :%d:%s\n", i->value, code, cls);
		if (i->type == OBS_DOMAIN) /* names under a listed domain are listed too */
			fprintf(f, "*.%s :%d:%s\n", i->value, code, cls);
		break;
	case EXP_SURICATA:
		fprintf(f, "%s,%d,%d\n", i->value, export_suricata_category(cls), res.score * 127 / 100);
		break;
	case EXP_ZEEK: {
		static const char *const zt[OBS_NTYPES] = {
			[OBS_IPV4] = "Intel::ADDR", [OBS_IPV6] = "Intel::ADDR",
			[OBS_DOMAIN] = "Intel::DOMAIN", [OBS_URL] = "Intel::URL",
			[OBS_EMAIL] = "Intel::EMAIL", [OBS_MD5] = "Intel::FILE_HASH",
			[OBS_SHA1] = "Intel::FILE_HASH", [OBS_SHA256] = "Intel::FILE_HASH",
		};
		const char *v = i->value, *type = zt[i->type];
		if ((i->type == OBS_IPV4 || i->type == OBS_IPV6) && strchr(v, '/'))
			type = "Intel::SUBNET";
		if (i->type == OBS_URL && strstr(v, "://")) /* Zeek's URLs have no scheme */
			v = strstr(v, "://") + 3;
		fprintf(f, "%s\t%s\t%s\t%s (score %d, tlp %s)\n", v, type, i->source, cls, res.score,
			tlp_name((tlp_t)tlp));
		break;
	}
	case EXP_RPZ:
		if (i->type == OBS_DOMAIN)
			fprintf(f, "%s CNAME .\n*.%s CNAME .\n", i->value, i->value);
		else
			rpz_ip(f, i);
		break;
	}
	return 0;
}

/* Rows come ordered by value: gather one value's reports, then flush. */
static int one(void *arg, const indicator_t *i)
{
	ex_t *x = arg;
	util_progress_add(1, -1);
	if (x->n && (x->g[0].type != i->type || strcmp(x->g[0].value, i->value))) {
		flush(x);
		x->n = 0;
	}
	rep_report_t *nr;
	size_t *nm;
	if (util_grow(&x->g, &x->cap, x->n + 1, sizeof *x->g, 8) ||
	    !(nr = realloc(x->reps, x->cap * sizeof *nr))) {
		x->oom = 1;
		return -1;
	}
	x->reps = nr;
	if (!(nm = realloc(x->map, x->cap * sizeof *nm))) {
		x->oom = 1;
		return -1;
	}
	x->map = nm;
	x->g[x->n++] = *i;
	return 0;
}

int export_write(store_t *st, const export_opts_t *o, FILE *out, long *count, char *err,
		 size_t errlen)
{
	ex_t x = {.o = o, .out = out, .now = rep_minutes((int64_t)time(NULL)), .scan_tlp = (int)o->max_tlp};

	/* RED never leaves the hub, so amber+strict is the most an export may ask for */
	if (o->withheld) {
		memset(o->withheld, 0, TLP_NLEVELS * sizeof *o->withheld);
		if (x.scan_tlp < TLP_AMBER_STRICT)
			x.scan_tlp = TLP_AMBER_STRICT;
	}

	if (o->format == EXP_RBLDNSD && o->type != OBS_IPV4 && o->type != OBS_IPV6 &&
	    o->type != OBS_DOMAIN && o->type != OBS_MD5 && o->type != OBS_SHA1 &&
	    o->type != OBS_SHA256) {
		snprintf(err, errlen, "rbldnsd data holds one kind: give --type ipv4-addr (ip4trie), "
				      "ipv6-addr (ip6trie), domain-name or a hash type (dnset)");
		return -1;
	}
	if (o->format == EXP_CSV)
		fputs("type,value,score,classification,reporters,source,tlp,first_seen,last_seen,"
		      "valid_until\n", out);
	if (o->format == EXP_RBLDNSD) {
		/* with RFC 5782's test point, answered as c5hub's DNS answers it
		 * (127.0.0.1, ::ffff:127.0.0.1 and "invalid" stay unlisted) */
		const char *tp = o->type == OBS_IPV4   ? "127.0.0.2"
				 : o->type == OBS_IPV6 ? "::ffff:127.0.0.2"
						       : "test";
		fprintf(out, "# c5hub export; A 127.0.0.x by class, TXT the classification\n"
			     ":2:Listed by c5hub\n"
			     "%s :2:c5hub test point: listed\n", tp);
	}
	if (o->format == EXP_ZEEK)
		fputs("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n", out);
	if (o->format == EXP_RPZ)
		fprintf(out, "$TTL 300\n@ SOA localhost. hostmaster.localhost. %lld 3600 600 604800 300\n"
			     "@ NS localhost.\n", (long long)time(NULL));
	if (!(x.obs = malloc(sizeof *x.obs))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	util_progress_begin("export", 0, NULL);
	tlp_view_t pub = {.max_tlp = (tlp_t)x.scan_tlp}; /* the published audience, and above to count */
	int rc = store_scan_values(st, &pub, o->type, one, &x);
	util_progress_end();
	if (rc == 0 && !x.oom)
		flush(&x);
	free(x.g);
	free(x.reps);
	free(x.map);
	free(x.obs);
	if (rc || x.oom) {
		snprintf(err, errlen, "%s", x.oom ? "out of memory" : store_errmsg(st));
		return -1;
	}
	if (fflush(out) || ferror(out)) {
		snprintf(err, errlen, "write error");
		return -1;
	}
	*count = x.count;
	return 0;
}
