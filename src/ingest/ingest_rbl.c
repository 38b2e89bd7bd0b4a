/* ingest_rbl.c — rbldnsd zone data as indicators (`ingest --format rbldnsd`).
 *
 * The datasets of rbldnsd(8): ip4set (addresses, a.b.c partial prefixes,
 * CIDR, ranges a.b.c.d-e.f.g.h or a.b.c.d-h), ip4tset (single addresses),
 * ip4trie (CIDR), ip6trie (IPv6 CIDR), dnset (names; "*.name" and ".name"
 * for what is below).  Each entry may carry a value (":A:TXT" or text);
 * ":A:TXT" lines set the default value; "$TTL", "$SOA", "$NS", "$MAXRANGE4",
 * "$TIMESTAMP", "$DATASET" and "$0".."$9" are directives.  Values and
 * directives are checked and then left: the hub answers with its own codes
 * and zone data.  "!entry" exclusions become false-positive reports of the
 * same source, so the entry is not listed (c5hub's way of saying "not this
 * one").  Ranges become the fewest CIDR prefixes that cover them.
 * Differences from rbldnsd: a listed name also lists the names below it, as
 * everywhere in c5hub. */
#include "ingest_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ingest_rbl_parse(const char *s, ingest_rbl_t *out)
{
	static const char *const names[] = {"auto", "ip4set", "ip4tset", "ip4trie", "ip6trie", "dnset"};
	for (int i = 0; i < 6; i++)
		if (!strcmp(s, names[i])) {
			*out = (ingest_rbl_t)i;
			return 0;
		}
	return -1;
}

static const char *skip_ws(const char *s)
{
	return s + strspn(s, " \t");
}

/* "$NAME args" */
static int directive(reader_t *r, const char *s)
{
	static const char *const known[] = {"TTL", "SOA", "NS", "MAXRANGE4", "TIMESTAMP", "DATASET"};
	const char *name = s + 1, *arg;
	size_t n = strcspn(name, " \t");
	arg = skip_ws(name + n);
	if (n == 1 && isdigit((unsigned char)*name))
		return 0; /* $0..$9: substitution variables */
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strlen(known[i]) != n || strncmp(name, known[i], n))
			continue;
		if (!*arg)
			return ingest_fail(r, r->line, "$%s needs a value", known[i]);
		if (i == 0) { /* $TTL: a number with an optional unit */
			char *end;
			long v = strtol(arg, &end, 10);
			if (end == arg || v < 0 || (*end && !strchr("smhdw", *end)) || (*end && end[1] && end[1] != ' '))
				return ingest_fail(r, r->line, "$TTL must be a number of seconds (or with s, m, h, d, w)");
		}
		return 0;
	}
	return ingest_fail(r, r->line, "unknown directive '$%.*s' (rbldnsd has $TTL, $SOA, $NS, $MAXRANGE4, "
			   "$TIMESTAMP, $DATASET and $0..$9)", (int)(n > 40 ? 40 : n), name);
}

/* ":A:TXT" — A empty, a number 0..255 (127.0.0.N) or an IPv4 address. */
static int value_ok(reader_t *r, const char *v)
{
	if (*v != ':')
		return 0; /* plain TXT */
	v++;
	size_t n = strcspn(v, ": \t");
	char a[32];
	struct in_addr ia;
	if (n == 0)
		return 0;
	if (n >= sizeof a)
		return ingest_fail(r, r->line, "bad A value in ':%.*s:'", (int)(n > 40 ? 40 : n), v);
	memcpy(a, v, n);
	a[n] = '\0';
	char *end;
	long num = strtol(a, &end, 10);
	if ((!*end && num >= 0 && num <= 255) || inet_pton(AF_INET, a, &ia) == 1)
		return 0;
	return ingest_fail(r, r->line, "bad A value '%s': give 127.0.0.N or N", a);
}

/* a.b.c.d with 1..4 octets; *noct gets how many. */
static int ip4_partial(const char *s, size_t n, uint32_t *out, int *noct)
{
	uint32_t v = 0;
	int k = 0;
	const char *e = s + n;
	while (s < e) {
		if (!isdigit((unsigned char)*s) || k == 4)
			return -1;
		unsigned o = 0;
		int digits = 0;
		while (s < e && isdigit((unsigned char)*s)) {
			o = o * 10 + (unsigned)(*s++ - '0');
			if (++digits > 3 || o > 255)
				return -1;
		}
		v = v << 8 | o;
		k++;
		if (s < e && *s++ != '.')
			return -1;
		if (s == e && s[-1] == '.')
			return -1;
	}
	if (k == 0)
		return -1;
	*out = v << (8 * (4 - k));
	*noct = k;
	return 0;
}

static int emit_prefix(reader_t *r, const ingest_opts_t *o, const ingest_rec_t *d, uint32_t a,
		       int len, ingest_cb cb, void *arg)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%u.%u.%u.%u/%d", a >> 24, a >> 16 & 255, a >> 8 & 255,
			 a & 255, len);
	return ingest_emit(r, o, buf, (size_t)n, d, cb, arg);
}

/* An IPv4 entry of ip4set / ip4tset / ip4trie. */
static int ip4_entry(reader_t *r, const ingest_opts_t *o, const ingest_rec_t *d, const char *t,
		     size_t n, ingest_cb cb, void *arg)
{
	const char *dash = memchr(t, '-', n), *slash = memchr(t, '/', n);
	uint32_t a, b;
	int ka, kb;
	if (o->dataset == RBL_IP4TSET && (dash || slash || ip4_partial(t, n, &a, &ka) || ka != 4))
		return ingest_fail(r, r->line, "ip4tset holds single addresses, not '%.*s'", (int)(n > 60 ? 60 : n), t);
	if (o->dataset == RBL_IP4TRIE && dash)
		return ingest_fail(r, r->line, "ip4trie holds prefixes, not ranges: '%.*s'", (int)(n > 60 ? 60 : n), t);
	if (dash) {
		size_t l1 = (size_t)(dash - t), l2 = n - l1 - 1;
		if (ip4_partial(t, l1, &a, &ka) || slash)
			goto bad;
		if (ip4_partial(dash + 1, l2, &b, &kb) == 0 && kb == ka) {
			b |= ka == 4 ? 0 : 0xFFFFFFFFu >> (8 * ka); /* a.b.c-a.b.d: whole /24s */
		} else if (ka == 4 && ip4_partial(dash + 1, l2, &b, &kb) == 0 && kb == 1) {
			b = (a & 0xFFFFFF00u) | (b >> 24); /* a.b.c.d-h */
		} else {
			goto bad;
		}
		if (b < a)
			return ingest_fail(r, r->line, "range '%.*s' ends before it starts", (int)(n > 60 ? 60 : n), t);
		for (uint64_t x = a; x <= b;) { /* the fewest covering prefixes */
			int len = 32;
			while (len > 0) {
				uint64_t size = 1ull << (33 - len);
				if ((x & (size - 1)) || x + size - 1 > b)
					break;
				len--;
			}
			if (emit_prefix(r, o, d, (uint32_t)x, len, cb, arg))
				return -1;
			x += 1ull << (32 - len);
		}
		return 0;
	}
	if (slash) {
		char *end;
		long len = strtol(slash + 1, &end, 10);
		if (ip4_partial(t, (size_t)(slash - t), &a, &ka) || end != t + n || end == slash + 1 ||
		    len < 0 || len > 32)
			goto bad;
		return emit_prefix(r, o, d, a, (int)len, cb, arg);
	}
	if (ip4_partial(t, n, &a, &ka))
		goto bad;
	return emit_prefix(r, o, d, a, 8 * ka, cb, arg);
bad:
	return ingest_fail(r, r->line, "not an IPv4 entry: '%.*s'", (int)(n > 60 ? 60 : n), t);
}

/* What an entry looks like, when the dataset is not given. */
static ingest_rbl_t guess(const char *t, size_t n)
{
	if (memchr(t, ':', n))
		return RBL_IP6TRIE;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)t[i]) && !strchr("./-", t[i]))
			return RBL_DNSET;
	return memchr(t, '.', n) ? RBL_IP4SET : RBL_DNSET;
}

int ingest_rbl_line(reader_t *r, const ingest_opts_t *o, const char *s, ingest_cb cb, void *arg)
{
	s = skip_ws(s);
	if (*s == '$')
		return directive(r, s);
	if (*s == ':')
		return value_ok(r, s);
	ingest_rec_t d = ingest_defaults(o);
	if (*s == '!') { /* an exclusion: "not this one" */
		d.classification = RSIT_FALSE_POSITIVE;
		d.confidence = 100;
		s++;
	}
	size_t n = strcspn(s, " \t");
	const char *rest = skip_ws(s + n);
	if (n == 0)
		return ingest_fail(r, r->line, "an exclusion needs an entry after '!'");
	if (*rest && value_ok(r, rest))
		return -1;
	ingest_opts_t oo = *o;
	ingest_rbl_t kind = o->dataset == RBL_AUTO ? guess(s, n) : o->dataset;
	switch (kind) {
	case RBL_IP6TRIE:
		oo.type = OBS_IPV6;
		return ingest_emit(r, &oo, s, n, &d, cb, arg);
	case RBL_DNSET:
		if (n > 2 && s[0] == '*' && s[1] == '.')
			s += 2, n -= 2;
		else if (n > 1 && s[0] == '.')
			s++, n--;
		oo.type = OBS_DOMAIN;
		return ingest_emit(r, &oo, s, n, &d, cb, arg);
	default:
		oo.type = OBS_IPV4;
		return ip4_entry(r, &oo, &d, s, n, cb, arg);
	}
}
