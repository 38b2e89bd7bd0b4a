/* obs.c — observable parsing and canonicalisation (see obs.h).
 *
 * Everything here runs on untrusted bytes: every loop is bounded by the given
 * length, every output write by its buffer size.  IDN conversion uses libidn2. */
#include "obs.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[OBS_NTYPES] = {
	[OBS_NONE] = "",          [OBS_IPV4] = "ipv4-addr",
	[OBS_IPV6] = "ipv6-addr", [OBS_DOMAIN] = "domain-name",
	[OBS_URL] = "url",        [OBS_EMAIL] = "email-addr",
	[OBS_MD5] = "md5",        [OBS_SHA1] = "sha1",
	[OBS_SHA256] = "sha256",  [OBS_ASN] = "autonomous-system",
};

const char *obs_type_name(obs_type_t t)
{
	return (t > OBS_NONE && t < OBS_NTYPES) ? type_names[t] : "";
}

obs_type_t obs_type_from_name(const char *name)
{
	static const struct { const char *alias; obs_type_t t; } aliases[] = {
		{"ipv4", OBS_IPV4},  {"ipv6", OBS_IPV6},   {"domain", OBS_DOMAIN},
		{"email", OBS_EMAIL}, {"asn", OBS_ASN},    {"sha-1", OBS_SHA1},
		{"sha-256", OBS_SHA256},
	};
	if (!name)
		return OBS_NONE;
	for (int t = OBS_NONE + 1; t < OBS_NTYPES; t++)
		if (strcasecmp(name, type_names[t]) == 0)
			return (obs_type_t)t;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(name, aliases[i].alias) == 0)
			return aliases[i].t;
	return OBS_NONE;
}

/* ---- error helpers ---- */

/* Write a printable, bounded rendering of untrusted text into out. */
static void quote_value(const char *s, size_t len, char *out, size_t outlen)
{
	size_t o = 0, max = len > 80 ? 80 : len;
	for (size_t i = 0; i < max && o + 5 < outlen; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	if (len > max && o + 4 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o < outlen ? o : outlen - 1] = '\0';
}

static int fail(char *err, size_t errlen, const char *what, const char *s,
		size_t len, const char *why)
{
	char q[400];
	if (!err || !errlen)
		return -1;
	quote_value(s, len, q, sizeof q);
	if (why)
		snprintf(err, errlen, "invalid %s '%s' (%s)", what, q, why);
	else
		snprintf(err, errlen, "invalid %s '%s'", what, q);
	return -1;
}

/* How many of the first len bytes of s are in set (strspn, bounded). */
static size_t span(const char *s, size_t len, const char *set)
{
	size_t i = 0;
	while (i < len && s[i] && strchr(set, s[i]))
		i++;
	return i;
}

/* ---- IP addresses ---- */

/* Parse "/N" suffix digits; returns -1 on bad syntax or N > max. */
static int parse_plen(const char *s, size_t len, unsigned max)
{
	unsigned v = 0;
	if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v > max ? -1 : (int)v;
}

void obs_mask(obs_type_t t, uint8_t *addr, unsigned plen)
{
	unsigned nbytes = t == OBS_IPV4 ? 4 : 16;
	for (unsigned i = 0; i < nbytes; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;
		if (bits >= 8)
			continue;
		addr[i] &= (uint8_t)(0xff00u >> bits);
	}
}

static int parse_ipv4(const char *s, size_t len, obs_t *o, char *err, size_t errlen)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	unsigned oct = 0, ndig = 0, nparts = 0;
	int plen = 32;

	for (size_t i = 0; i <= alen; i++) {
		if (i == alen || s[i] == '.') {
			if (ndig == 0 || nparts >= 4)
				return fail(err, errlen, "IPv4 address", s, len, NULL);
			o->addr[nparts++] = (uint8_t)oct;
			oct = ndig = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			if (ndig == 1 && oct == 0)
				return fail(err, errlen, "IPv4 address", s, len,
					    "leading zero");
			oct = oct * 10 + (unsigned)(s[i] - '0');
			if (++ndig > 3 || oct > 255)
				return fail(err, errlen, "IPv4 address", s, len,
					    "octet out of range");
		} else {
			return fail(err, errlen, "IPv4 address", s, len, NULL);
		}
	}
	if (nparts != 4)
		return fail(err, errlen, "IPv4 address", s, len, "needs four octets");
	if (slash) {
		plen = parse_plen(slash + 1, len - alen - 1, 32);
		if (plen < 0)
			return fail(err, errlen, "IPv4 prefix", s, len, "bad prefix length");
	}
	o->type = OBS_IPV4;
	o->plen = (uint8_t)plen;
	memset(o->addr + 4, 0, 12);
	obs_mask(OBS_IPV4, o->addr, (unsigned)plen);
	o->len = obs_format_ip(OBS_IPV4, o->addr, (unsigned)plen, o->value);
	return 0;
}

static int parse_ipv6(const char *s, size_t len, obs_t *o, char *err, size_t errlen)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	char buf[64];
	int plen = 128;

	if (alen == 0 || alen >= sizeof buf)
		return fail(err, errlen, "IPv6 address", s, len, NULL);
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (strlen(buf) != alen || inet_pton(AF_INET6, buf, o->addr) != 1)
		return fail(err, errlen, "IPv6 address", s, len, NULL);
	if (slash) {
		plen = parse_plen(slash + 1, len - alen - 1, 128);
		if (plen < 0)
			return fail(err, errlen, "IPv6 prefix", s, len, "bad prefix length");
	}
	if (plen >= 96 && memcmp(o->addr, mapped, 12) == 0) {
		/* IPv4-mapped (::ffff:a.b.c.d): the IPv4 observable it stands for. */
		memmove(o->addr, o->addr + 12, 4);
		memset(o->addr + 4, 0, 12);
		plen -= 96;
		o->type = OBS_IPV4;
		o->plen = (uint8_t)plen;
		obs_mask(OBS_IPV4, o->addr, (unsigned)plen);
		o->len = obs_format_ip(OBS_IPV4, o->addr, (unsigned)plen, o->value);
		return 0;
	}
	o->type = OBS_IPV6;
	o->plen = (uint8_t)plen;
	obs_mask(OBS_IPV6, o->addr, (unsigned)plen);
	o->len = obs_format_ip(OBS_IPV6, o->addr, (unsigned)plen, o->value);
	return 0;
}

size_t obs_format_ip(obs_type_t t, const uint8_t *a, unsigned plen, char *buf)
{
	size_t n = 0;
	if (t == OBS_IPV4) {
		for (int i = 0; i < 4; i++) {
			unsigned v = a[i];
			if (i)
				buf[n++] = '.';
			if (v >= 100)
				buf[n++] = (char)('0' + v / 100);
			if (v >= 10)
				buf[n++] = (char)('0' + v / 10 % 10);
			buf[n++] = (char)('0' + v % 10);
		}
		buf[n] = '\0';
		if (plen < 32)
			n += (size_t)sprintf(buf + n, "/%u", plen);
		return n;
	}
	/* RFC 5952: lower case, no leading zeros, "::" for the longest run of
	 * two or more zero groups (the first such run on a tie). */
	unsigned g[8];
	int best = -1, bestlen = 0;
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)sprintf(buf + n, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			buf[n++] = ':';
		n += (size_t)sprintf(buf + n, "%x", g[i]);
	}
	buf[n] = '\0';
	if (plen < 128)
		n += (size_t)sprintf(buf + n, "/%u", plen);
	return n;
}

/* ---- domain names ---- */

static int label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int obs_canon_domain(const char *in, size_t len, char *out, char *err, size_t errlen)
{
	char tmp[1024];
	const char *orig = in; /* errors quote the whole input */
	size_t n = len;
	int nonascii = 0;

	if (n >= 2 && in[0] == '*' && in[1] == '.') { /* wildcard: the zone it covers */
		in += 2;
		n -= 2;
	}
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0)
		return fail(err, errlen, "domain name", orig, len, "empty");
	if (n >= sizeof tmp)
		return fail(err, errlen, "domain name", orig, len, "too long");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c == 0)
			return fail(err, errlen, "domain name", orig, len, "NUL byte");
		nonascii |= c >= 0x80;
		tmp[i] = (char)tolower(c);
	}
	tmp[n] = '\0';

	if (nonascii) {
		char *ace = NULL;
		int rc = idn2_to_ascii_8z(tmp, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK)
			return fail(err, errlen, "domain name", orig, len, idn2_strerror(rc));
		n = strlen(ace);
		if (n >= sizeof tmp) {
			idn2_free(ace);
			return fail(err, errlen, "domain name", orig, len, "too long");
		}
		memcpy(tmp, ace, n + 1);
		idn2_free(ace);
	}
	if (n > 253)
		return fail(err, errlen, "domain name", orig, len, "longer than 253 characters");

	size_t start = 0;
	int has_alabel = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && tmp[i] != '.') {
			if (!label_char((unsigned char)tmp[i]))
				return fail(err, errlen, "domain name", orig, len,
					    "character not allowed in a label");
			continue;
		}
		size_t ll = i - start;
		if (ll == 0)
			return fail(err, errlen, "domain name", orig, len, "empty label");
		if (ll > 63)
			return fail(err, errlen, "domain name", orig, len,
				    "label longer than 63 characters");
		if (tmp[start] == '-' || tmp[i - 1] == '-')
			return fail(err, errlen, "domain name", orig, len,
				    "label starts or ends with '-'");
		if (ll >= 4 && memcmp(tmp + start, "xn--", 4) == 0)
			has_alabel = 1;
		start = i + 1;
	}
	/* The last label must not be all digits: that is an IP address. */
	size_t last = n;
	while (last > 0 && tmp[last - 1] != '.')
		last--;
	if (strspn(tmp + last, "0123456789") == n - last)
		return fail(err, errlen, "domain name", orig, len, "numeric top-level label");
	if (has_alabel) {
		char *u = NULL;
		int rc = idn2_to_unicode_8z8z(tmp, &u, 0);
		if (rc != IDN2_OK)
			return fail(err, errlen, "domain name", orig, len, "bad A-label");
		idn2_free(u);
	}
	memcpy(out, tmp, n + 1);
	return (int)n;
}

static int parse_domain(const char *s, size_t len, int auto_detect, obs_t *o,
			char *err, size_t errlen)
{
	int n = obs_canon_domain(s, len, o->value, err, errlen);
	if (n < 0)
		return -1;
	if (auto_detect && !memchr(o->value, '.', (size_t)n))
		return fail(err, errlen, "observable", s, len,
			    "single label; give the type explicitly");
	o->type = OBS_DOMAIN;
	o->len = (size_t)n;
	return 0;
}

/* ---- URLs ---- */

static unsigned default_port(const char *scheme)
{
	if (!strcmp(scheme, "http") || !strcmp(scheme, "ws"))
		return 80;
	if (!strcmp(scheme, "https") || !strcmp(scheme, "wss"))
		return 443;
	if (!strcmp(scheme, "ftp"))
		return 21;
	return 0;
}

/* Append to o->value, failing when the canonical URL would be too long. */
static int put(obs_t *o, const char *s, size_t n)
{
	if (o->len + n > OBS_VALUE_MAX)
		return -1;
	memcpy(o->value + o->len, s, n);
	o->len += n;
	o->value[o->len] = '\0';
	return 0;
}

static int parse_url(const char *s, size_t len, obs_t *o, char *err, size_t errlen)
{
	const char *what = "URL";
	size_t i = 0;
	char scheme[32];

	for (size_t k = 0; k < len; k++)
		if ((unsigned char)s[k] <= 0x20 || s[k] == 0x7f)
			return fail(err, errlen, what, s, len, "space or control character");
	while (i < len && i < sizeof scheme - 1 &&
	       (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		scheme[i] = (char)tolower((unsigned char)s[i]);
		i++;
	}
	scheme[i] = '\0';
	if (i == 0 || !isalpha((unsigned char)s[0]) || len - i < 3 || memcmp(s + i, "://", 3))
		return fail(err, errlen, what, s, len, "bad scheme");
	i += 3;

	size_t auth_end = i;
	while (auth_end < len && s[auth_end] != '/' && s[auth_end] != '?' && s[auth_end] != '#')
		auth_end++;
	size_t host = i;
	for (size_t k = i; k < auth_end; k++)
		if (s[k] == '@')
			host = k + 1;
	size_t host_end, port_at = 0;
	if (host < auth_end && s[host] == '[') {
		const char *rb = memchr(s + host, ']', auth_end - host);
		if (!rb)
			return fail(err, errlen, what, s, len, "unclosed '['");
		host_end = (size_t)(rb - s) + 1;
	} else {
		host_end = host;
		while (host_end < auth_end && s[host_end] != ':')
			host_end++;
	}
	if (host_end < auth_end) {
		if (s[host_end] != ':')
			return fail(err, errlen, what, s, len, "bad host");
		port_at = host_end + 1;
	}

	o->len = 0;
	o->value[0] = '\0';
	put(o, scheme, strlen(scheme));
	put(o, "://", 3);
	if (host > i && put(o, s + i, host - i))
		return fail(err, errlen, what, s, len, "too long");

	/* host: IP literal or domain name, canonical */
	obs_t *h = malloc(sizeof *h);
	char herr[256];
	int rc;
	if (!h)
		return fail(err, errlen, what, s, len, "out of memory");
	if (host_end > host && s[host] == '[')
		rc = (host_end - host > 2) ? parse_ipv6(s + host + 1, host_end - host - 2, h,
							 herr, sizeof herr)
					   : -1;
	else if (host_end > host && span(s + host, host_end - host, "0123456789.") == host_end - host)
		rc = parse_ipv4(s + host, host_end - host, h, herr, sizeof herr);
	else
		rc = parse_domain(s + host, host_end - host, 0, h, herr, sizeof herr);
	if (rc == 0 && obs_is_prefix(h))
		rc = -1;
	if (rc == 0) {
		if (h->type == OBS_IPV6)
			rc = put(o, "[", 1) || put(o, h->value, h->len) || put(o, "]", 1);
		else
			rc = put(o, h->value, h->len);
	}
	free(h);
	if (rc)
		return fail(err, errlen, what, s, len, "bad host");

	if (port_at) {
		unsigned port = 0;
		size_t k;
		for (k = port_at; k < auth_end; k++) {
			if (s[k] < '0' || s[k] > '9' || port > 65535)
				return fail(err, errlen, what, s, len, "bad port");
			port = port * 10 + (unsigned)(s[k] - '0');
		}
		if (port > 65535 || (k > port_at && port == 0))
			return fail(err, errlen, what, s, len, "bad port");
		if (k > port_at && port != default_port(scheme)) {
			char pb[8];
			int pn = snprintf(pb, sizeof pb, ":%u", port);
			put(o, pb, (size_t)pn);
		}
	}
	if (auth_end == len || s[auth_end] != '/')
		put(o, "/", 1);
	/* path, query and fragment kept; bytes outside ASCII percent-encoded */
	for (size_t k = auth_end; k < len; k++) {
		unsigned char c = (unsigned char)s[k];
		char pct[4];
		int bad;
		if (c >= 0x80) {
			snprintf(pct, sizeof pct, "%%%02X", c);
			bad = put(o, pct, 3);
		} else {
			bad = put(o, (const char *)&s[k], 1);
		}
		if (bad)
			return fail(err, errlen, what, s, len, "too long");
	}
	o->type = OBS_URL;
	return 0;
}

/* ---- e-mail addresses, hashes, AS numbers ---- */

static int parse_email(const char *s, size_t len, obs_t *o, char *err, size_t errlen)
{
	const char *what = "e-mail address";
	const char *at = NULL;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '@')
			at = s + i;
	if (!at)
		return fail(err, errlen, what, s, len, "no '@'");
	size_t ll = (size_t)(at - s);
	if (ll == 0 || ll > 64)
		return fail(err, errlen, what, s, len, "bad local part length");
	if (s[0] == '.' || s[ll - 1] == '.')
		return fail(err, errlen, what, s, len, "local part starts or ends with '.'");
	for (size_t i = 0; i < ll; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>@[\\]", c) ||
		    (c == '.' && s[i + 1] == '.'))
			return fail(err, errlen, what, s, len, "character not allowed in local part");
	}
	char dom[256], derr[256];
	int n = obs_canon_domain(at + 1, len - ll - 1, dom, derr, sizeof derr);
	if (n < 0)
		return fail(err, errlen, what, s, len, "bad domain");
	memcpy(o->value, s, ll);
	o->value[ll] = '@';
	memcpy(o->value + ll + 1, dom, (size_t)n + 1);
	o->len = ll + 1 + (size_t)n;
	o->type = OBS_EMAIL;
	return 0;
}

static int is_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int parse_hash(const char *s, size_t len, obs_type_t want, obs_t *o,
		      char *err, size_t errlen)
{
	obs_type_t t = len == 32 ? OBS_MD5 : len == 40 ? OBS_SHA1 : len == 64 ? OBS_SHA256 : OBS_NONE;
	if (t == OBS_NONE || !is_hex(s, len) || (want != OBS_NONE && want != t))
		return fail(err, errlen, want ? obs_type_name(want) : "hash", s, len,
			    "expected 32, 40 or 64 hexadecimal digits");
	for (size_t i = 0; i < len; i++)
		o->value[i] = (char)tolower((unsigned char)s[i]);
	o->value[len] = '\0';
	o->len = len;
	o->type = t;
	return 0;
}

static int parse_asn(const char *s, size_t len, obs_t *o, char *err, size_t errlen)
{
	const char *what = "AS number";
	size_t i = 0;
	uint64_t hi = 0, v = 0;
	int dot = 0, nd = 0;

	if (len >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
		i = (len >= 3 && (s[2] == 'N' || s[2] == 'n')) ? 3 : 2;
	for (; i < len; i++) {
		if (s[i] == '.' && !dot && nd) {
			dot = 1;
			hi = v;
			v = 0;
			nd = 0;
		} else if (s[i] >= '0' && s[i] <= '9' && nd < 10) {
			v = v * 10 + (uint64_t)(s[i] - '0');
			nd++;
		} else {
			return fail(err, errlen, what, s, len, NULL);
		}
	}
	if (!nd)
		return fail(err, errlen, what, s, len, NULL);
	if (dot) {
		if (hi > 65535 || v > 65535)
			return fail(err, errlen, what, s, len, "asdot part above 65535");
		v = hi << 16 | v;
	}
	if (v > UINT32_MAX)
		return fail(err, errlen, what, s, len, "above 4294967295");
	o->asn = (uint32_t)v;
	o->len = (size_t)snprintf(o->value, sizeof o->value, "AS%u", o->asn);
	o->type = OBS_ASN;
	return 0;
}

/* ---- detection ---- */

static int has(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return 1;
	return 0;
}

static obs_type_t detect(const char *s, size_t len)
{
	if (has(s, len, "://"))
		return OBS_URL;
	if (memchr(s, '@', len))
		return OBS_EMAIL;
	if (len >= 3 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') &&
	    (isdigit((unsigned char)s[2]) ||
	     (len >= 4 && (s[2] == 'N' || s[2] == 'n') && isdigit((unsigned char)s[3]))))
		return OBS_ASN;
	if (memchr(s, ':', len))
		return OBS_IPV6;
	if ((len == 32 || len == 40 || len == 64) && is_hex(s, len))
		return OBS_MD5; /* parse_hash picks the exact kind */
	if (span(s, len, "0123456789./") == len)
		return OBS_IPV4;
	return OBS_DOMAIN;
}

/* ---- defanged values ---- */

/* After "hxxp": "://", "s://", or those with "[:]" for the colon. */
static int scheme_end(const char *s, size_t n)
{
	if (n && (*s == 's' || *s == 'S'))
		s++, n--;
	return (n >= 3 && !strncmp(s, "://", 3)) || (n >= 5 && !strncmp(s, "[:]//", 5));
}

size_t obs_refang(const char *in, size_t len, char *out)
{
	static const struct { const char *from; char to; } marks[] = {
		{"[.]", '.'}, {"(.)", '.'}, {"{.}", '.'}, {"[:]", ':'}, {"[at]", '@'}, {"(at)", '@'},
	};
	size_t w = 0;
	for (size_t i = 0; i < len;) {
		size_t k, m = 0;
		for (k = 0; k < sizeof marks / sizeof *marks; k++) {
			m = strlen(marks[k].from);
			if (i + m <= len && !strncasecmp(in + i, marks[k].from, m))
				break;
		}
		if (k < sizeof marks / sizeof *marks) {
			out[w++] = marks[k].to;
			i += m;
		} else if (i + 4 <= len && !strncasecmp(in + i, "hxxp", 4) &&
			   scheme_end(in + i + 4, len - i - 4)) {
			int tls = in[i + 4] == 's' || in[i + 4] == 'S';
			memcpy(out + w, "https", 4 + tls);
			w += 4 + tls;
			i += 4 + tls;
		} else {
			out[w++] = in[i++];
		}
	}
	return w;
}

int obs_parse_pasted(const char *text, size_t len, obs_type_t want, obs_t *o, int *refanged,
		     char *err, size_t errlen)
{
	char buf[OBS_VALUE_MAX + 64];
	if (refanged)
		*refanged = 0;
	if (len >= sizeof buf || (!memchr(text, '[', len) && !memchr(text, '(', len) &&
				  !memchr(text, '{', len) && !memchr(text, 'x', len) &&
				  !memchr(text, 'X', len)))
		return obs_parse(text, len, want, o, err, errlen);
	size_t n = obs_refang(text, len, buf);
	if (n == len && !memcmp(buf, text, len))
		return obs_parse(text, len, want, o, err, errlen);
	if (refanged)
		*refanged = 1;
	return obs_parse(buf, n, want, o, err, errlen);
}

int obs_parse(const char *text, size_t len, obs_type_t want, obs_t *o, char *err,
	      size_t errlen)
{
	memset(o, 0, offsetof(obs_t, value));
	o->value[0] = '\0';
	while (len > 0 && isspace((unsigned char)text[0])) {
		text++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0) {
		if (err && errlen)
			snprintf(err, errlen, "empty value");
		return -1;
	}
	if (len > OBS_VALUE_MAX)
		return fail(err, errlen, "observable", text, len, "longer than 2048 bytes");
	if (memchr(text, '\0', len))
		return fail(err, errlen, "observable", text, len, "NUL byte");

	obs_type_t t = want != OBS_NONE ? want : detect(text, len);
	switch (t) {
	case OBS_IPV4:
		if (want == OBS_IPV4 && memchr(text, ':', len)) {
			if (parse_ipv6(text, len, o, err, errlen))
				return -1;
			return o->type == OBS_IPV4 ? 0 :
			       fail(err, errlen, "IPv4 address", text, len, NULL);
		}
		return parse_ipv4(text, len, o, err, errlen);
	case OBS_IPV6:
		return parse_ipv6(text, len, o, err, errlen);
	case OBS_DOMAIN:
		return parse_domain(text, len, want == OBS_NONE, o, err, errlen);
	case OBS_URL:
		return parse_url(text, len, o, err, errlen);
	case OBS_EMAIL:
		return parse_email(text, len, o, err, errlen);
	case OBS_MD5:
	case OBS_SHA1:
	case OBS_SHA256:
		return parse_hash(text, len, want, o, err, errlen);
	case OBS_ASN:
		return parse_asn(text, len, o, err, errlen);
	default:
		return fail(err, errlen, "observable", text, len, "unknown type");
	}
}

int obs_from_canonical(obs_type_t type, const char *value, size_t len, obs_t *o)
{
	if (type == OBS_IPV4 || type == OBS_IPV6 || type == OBS_ASN)
		return obs_parse(value, len, type, o, NULL, 0);
	if (type <= OBS_NONE || type >= OBS_NTYPES || len == 0 || len > OBS_VALUE_MAX)
		return -1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)value[i] <= 0x20 || (unsigned char)value[i] >= 0x7f)
			return -1;
	memset(o, 0, offsetof(obs_t, value));
	o->type = type;
	o->len = len;
	memcpy(o->value, value, len);
	o->value[len] = '\0';
	return 0;
}
