/* export.c — writing block lists in other tools' formats (see export.h).
 * Reads the store page by page (1,000 indicators at a time), never whole. */
#include "export.h"

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

int export_suricata_category(const char *cls)
{
	static const char *const classes[] = {
		"abusive-content", "malicious-code", "information-gathering", "intrusion-attempts",
		"intrusions", "availability", "information-content-security", "fraud",
		"vulnerable", "other", "test",
	};
	size_t n = strcspn(cls, "/");
	for (int i = 0; i < 11; i++)
		if (strlen(classes[i]) == n && strncmp(cls, classes[i], n) == 0)
			return i + 1;
	return 10;
}

/* 127.0.0.x by class, as the DNS blocklist answers. */
static int a_code(const char *cls)
{
	static const struct { const char *prefix; int code; } map[] = {
		{"abusive-content/", 2}, {"malicious-code/", 3}, {"fraud/", 4},
		{"intrusion-attempts/", 5}, {"intrusions/", 5}, {"information-gathering/", 6},
		{"vulnerable/", 7}, {"availability/", 8},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strncmp(cls, map[i].prefix, strlen(map[i].prefix)) == 0)
			return map[i].code;
	return 2;
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
	int64_t last_id;
	int rows;
	time_t now;
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

/* The RPZ owner name of an address or prefix: "<plen>.<reversed>.rpz-ip". */
static void rpz_ip(FILE *f, const indicator_t *i)
{
	obs_t o;
	if (obs_parse(i->value, strlen(i->value), i->type, &o, NULL, 0))
		return;
	fprintf(f, "%u", o.plen);
	if (o.type == OBS_IPV4)
		fprintf(f, ".%u.%u.%u.%u", o.addr[3], o.addr[2], o.addr[1], o.addr[0]);
	else
		for (int g = 7; g >= 0; g--)
			fprintf(f, ".%x", (unsigned)o.addr[2 * g] << 8 | o.addr[2 * g + 1]);
	fputs(".rpz-ip CNAME .\n", f);
}

static int one(void *arg, const indicator_t *i)
{
	ex_t *x = arg;
	FILE *f = x->out;
	char t1[32], t2[32], t3[32];
	x->rows++;
	x->last_id = i->id;
	if (i->confidence < x->o->min_score || (i->valid_until && i->valid_until <= x->now) ||
	    !carries(x->o->format, i->type))
		return 0;
	x->count++;
	switch (x->o->format) {
	case EXP_PLAIN:
		fprintf(f, "%s\n", i->value);
		break;
	case EXP_CSV:
		fprintf(f, "%s,", obs_type_name(i->type));
		csv_field(f, i->value);
		fputc(',', f);
		csv_field(f, i->source);
		fprintf(f, ",%s,%d,%s,%s,%s,%s\n", tlp_name(i->tlp), i->confidence, i->classification,
			model_time_fmt(i->first_seen, t1), model_time_fmt(i->last_seen, t2),
			i->valid_until ? model_time_fmt(i->valid_until, t3) : "");
		break;
	case EXP_RBLDNSD:
		if (i->type == OBS_SHA256) /* two labels of 32, as the hash zone */
			fprintf(f, "%.32s.%s :%d:%s\n", i->value, i->value + 32, a_code(i->classification),
				i->classification);
		else
			fprintf(f, "%s :%d:%s\n", i->value, a_code(i->classification), i->classification);
		if (i->type == OBS_DOMAIN) /* names under a listed domain are listed too */
			fprintf(f, "*.%s :%d:%s\n", i->value, a_code(i->classification), i->classification);
		break;
	case EXP_SURICATA:
		fprintf(f, "%s,%d,%d\n", i->value, export_suricata_category(i->classification),
			i->confidence * 127 / 100);
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
		fprintf(f, "%s\t%s\t%s\t%s (confidence %d, tlp %s)\n", v, type, i->source,
			i->classification, i->confidence, tlp_name(i->tlp));
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

int export_write(store_t *st, const export_opts_t *o, FILE *out, long *count, char *err,
		 size_t errlen)
{
	ex_t x = {.o = o, .out = out, .now = time(NULL)};
	store_filter_t f = {.type = o->type, .see_all = 1, .tlp_max = (int)o->max_tlp, .limit = 1000};

	if (o->format == EXP_RBLDNSD && o->type != OBS_IPV4 && o->type != OBS_IPV6 &&
	    o->type != OBS_DOMAIN && o->type != OBS_MD5 && o->type != OBS_SHA1 &&
	    o->type != OBS_SHA256) {
		snprintf(err, errlen, "rbldnsd data holds one kind: give --type ipv4-addr (ip4trie), "
				      "ipv6-addr (ip6trie), domain-name or a hash type (dnset)");
		return -1;
	}
	if (o->format == EXP_CSV)
		fputs("type,value,source,tlp,confidence,classification,first_seen,last_seen,valid_until\n", out);
	if (o->format == EXP_RBLDNSD)
		fputs("# c5hub export; A 127.0.0.x by class, TXT the classification\n"
		      ":2:Listed by c5hub\n", out);
	if (o->format == EXP_ZEEK)
		fputs("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n", out);
	if (o->format == EXP_RPZ)
		fprintf(out, "$TTL 300\n@ SOA localhost. hostmaster.localhost. %lld 3600 600 604800 300\n"
			     "@ NS localhost.\n", (long long)x.now);
	do {
		x.rows = 0;
		f.after_id = x.last_id;
		if (store_list_indicators(st, &f, one, &x)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			return -1;
		}
	} while (x.rows == f.limit);
	if (fflush(out) || ferror(out)) {
		snprintf(err, errlen, "write error");
		return -1;
	}
	*count = x.count;
	return 0;
}
