/* dns.c — one query in, one answer out (see dns.h).  The DNS fast path:
 * no allocation, every packet read bounds-checked, answers built in place. */
#include "dns.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum { T_A = 1, T_NS = 2, T_SOA = 6, T_TXT = 16, T_AAAA = 28, T_OPT = 41, T_ANY = 255 };
enum { RC_OK = 0, RC_FORMERR = 1, RC_SERVFAIL = 2, RC_NXDOMAIN = 3, RC_NOTIMP = 4, RC_REFUSED = 5 };
#define C_IN 1
#define F_QR 0x8000
#define F_AA 0x0400
#define F_TC 0x0200
#define F_RD 0x0100

/* ---- reading ---- */

typedef struct {
	char text[256];        /* lower case, dotted, no trailing dot ("" = root) */
	size_t wire_len;       /* bytes of the name in the packet */
	size_t label_off[128]; /* wire offset (from the name's start) of each label */
	size_t text_off[128];  /* text offset of each label */
	int nlabels;
	int odd;               /* a label holds a dot or a non-printable byte */
} qname_t;

/* Read an uncompressed name at q[*off].  0, or -1 when malformed. */
static int read_name(const uint8_t *q, size_t qlen, size_t *off, qname_t *n)
{
	size_t o = *off, t = 0;
	n->nlabels = 0;
	n->odd = 0;
	for (;;) {
		if (o >= qlen)
			return -1;
		uint8_t l = q[o];
		if (l == 0) {
			o++;
			break;
		}
		if (l > 63 || o + 1 + l > qlen || n->nlabels >= 127 || o + 1 + l - *off > 254)
			return -1; /* compression pointers, long labels, long names */
		n->label_off[n->nlabels] = o - *off;
		n->text_off[n->nlabels++] = t ? t + 1 : 0;
		if (t)
			n->text[t++] = '.';
		for (size_t i = 0; i < l; i++) {
			uint8_t c = q[o + 1 + i];
			if (c == '.' || c <= 0x20 || c >= 0x7f)
				n->odd = 1;
			n->text[t++] = (char)tolower(c);
		}
		o += 1 + (size_t)l;
	}
	n->text[t] = '\0';
	n->wire_len = o - *off;
	*off = o;
	return 0;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* ---- writing ---- */

typedef struct {
	uint8_t *b;
	size_t cap, len;
	int full;
} wbuf_t;

static void put(wbuf_t *w, const void *p, size_t n)
{
	if (w->full || w->len + n > w->cap) {
		w->full = 1;
		return;
	}
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

static void put16(wbuf_t *w, unsigned v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 2);
}

static void put32(wbuf_t *w, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 4);
}

/* A dotted name in wire form. */
static void put_name(wbuf_t *w, const char *name)
{
	const char *p = name;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		uint8_t lb = (uint8_t)(l > 63 ? 63 : l);
		put(w, &lb, 1);
		put(w, p, lb);
		p += l;
		if (*p == '.')
			p++;
	}
	put(w, "", 1);
}

/* The start of an RR: owner as a compression pointer, type, class, ttl. */
static void rr_head(wbuf_t *w, size_t owner_off, unsigned type, uint32_t ttl)
{
	put16(w, 0xC000 | (unsigned)owner_off);
	put16(w, type);
	put16(w, C_IN);
	put32(w, ttl);
}

/* Write the RDLENGTH reserved at at. */
static void rdlen_fix(wbuf_t *w, size_t at)
{
	if (!w->full) {
		size_t n = w->len - at - 2;
		w->b[at] = (uint8_t)(n >> 8);
		w->b[at + 1] = (uint8_t)n;
	}
}

static void rr_soa(const dns_config_t *c, wbuf_t *w, size_t apex_off)
{
	rr_head(w, apex_off, T_SOA, c->neg_ttl);
	size_t at = w->len;
	put16(w, 0);
	put_name(w, c->ns);
	put_name(w, c->hostmaster);
	put32(w, c->serial);
	put32(w, 3600);   /* refresh */
	put32(w, 600);    /* retry   */
	put32(w, 604800); /* expire  */
	put32(w, c->neg_ttl);
	rdlen_fix(w, at);
}

static void rr_ns(const dns_config_t *c, wbuf_t *w, size_t apex_off)
{
	rr_head(w, apex_off, T_NS, c->ttl);
	size_t at = w->len;
	put16(w, 0);
	put_name(w, c->ns);
	rdlen_fix(w, at);
}

static void rr_a(const dns_config_t *c, wbuf_t *w, uint8_t code)
{
	uint8_t a[4] = {127, 0, 0, code};
	rr_head(w, 12, T_A, c->ttl);
	put16(w, 4);
	put(w, a, 4);
}

static void rr_txt(const dns_config_t *c, wbuf_t *w, const char *txt)
{
	size_t n = strlen(txt);
	uint8_t l = (uint8_t)(n > 255 ? 255 : n);
	rr_head(w, 12, T_TXT, c->ttl);
	put16(w, 1u + l);
	put(w, &l, 1);
	put(w, txt, l);
}

/* ---- zones ---- */

int dns_config_zone(dns_config_t *c, const char *name, int kind)
{
	char tmp[256];
	size_t n = strlen(name);
	if (c->nzones >= DNS_MAX_ZONES || n == 0 || n > 250)
		return -1;
	if (name[n - 1] == '.')
		n--;
	char err[128];
	if (obs_canon_domain(name, n, tmp, err, sizeof err) < 0)
		return -1;
	snprintf(c->zones[c->nzones].name, sizeof c->zones[c->nzones].name, "%s", tmp);
	c->zones[c->nzones++].kind = kind;
	return 0;
}

/* The zone whose apex is a suffix of name (the longest), or NULL; *rel_len
 * gets the length of the part before the apex (without its dot). */
static const dns_zone_t *find_zone(const dns_config_t *c, const qname_t *n, size_t *rel_len)
{
	const dns_zone_t *best = NULL;
	size_t tl = strlen(n->text), bestl = 0;
	for (int i = 0; i < c->nzones; i++) {
		size_t zl = strlen(c->zones[i].name);
		if (zl > tl || zl <= bestl || strcmp(n->text + tl - zl, c->zones[i].name) != 0)
			continue;
		if (zl < tl && n->text[tl - zl - 1] != '.')
			continue;
		best = &c->zones[i];
		bestl = zl;
		*rel_len = zl < tl ? tl - zl - 1 : 0;
	}
	return best;
}

/* Key lookup results. */
enum { K_NX = 0, K_LISTED, K_EMPTY /* exists, no data: intermediate names */ };

static int split(const char *rel, size_t len, const char **lab, size_t *ll, int max)
{
	int n = 0;
	size_t s = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && rel[i] != '.')
			continue;
		if (n == max)
			return -1;
		lab[n] = rel + s;
		ll[n++] = i - s;
		s = i + 1;
	}
	return n;
}

static int all_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return 0;
	return n > 0;
}

static int test_point(uint32_t v4, dns_listing_t *out)
{
	if (v4 == 0x7F000002u) {
		out->code = 2;
		snprintf(out->txt, sizeof out->txt, "c5hub test point: listed");
		return K_LISTED;
	}
	return K_NX; /* 127.0.0.1 and everything else under 127/8: never listed */
}

static int key_ip(const dns_config_t *c, const char *rel, size_t len, dns_listing_t *out)
{
	const char *lab[33];
	size_t ll[33];
	int n = split(rel, len, lab, ll, 33);
	obs_t o;
	char text[80];
	size_t t = 0;

	if (n < 0)
		return K_NX;
	int dec = 1, nib = 1;
	for (int i = 0; i < n; i++) {
		dec &= ll[i] <= 3 && all_of(lab[i], ll[i], "0123456789") && !(ll[i] > 1 && lab[i][0] == '0');
		nib &= ll[i] == 1 && all_of(lab[i], 1, "0123456789abcdef");
	}
	if (dec && n < 4)
		return K_EMPTY;
	if (nib && n < 32)
		return K_EMPTY;
	if (dec && n == 4) {
		for (int i = 3; i >= 0; i--)
			t += (size_t)snprintf(text + t, sizeof text - t, "%.*s%s", (int)ll[i], lab[i], i ? "." : "");
	} else if (nib && n == 32) {
		for (int i = 31; i >= 0; i--) {
			text[t++] = lab[i][0];
			if (i % 4 == 0 && i)
				text[t++] = ':';
		}
		text[t] = '\0';
	} else {
		return K_NX;
	}
	if (obs_parse(text, t, OBS_NONE, &o, NULL, 0) || o.plen != (o.type == OBS_IPV4 ? 32 : 128))
		return K_NX;
	if (o.type == OBS_IPV4 && o.addr[0] == 127) /* RFC 5782 test points (also ::ffff:7f00:x) */
		return test_point((uint32_t)o.addr[0] << 24 | o.addr[1] << 16 | o.addr[2] << 8 | o.addr[3], out);
	return c->listed(c->arg, DNS_ZONE_IP, &o, out) ? K_LISTED : K_NX;
}

static int key_named(const dns_config_t *c, int kind, const char *rel, size_t len, dns_listing_t *out)
{
	obs_t o;
	if (len == 4 && memcmp(rel, "test", 4) == 0)
		return test_point(0x7F000002u, out);
	if (len == 7 && memcmp(rel, "invalid", 7) == 0)
		return K_NX;
	if (kind == DNS_ZONE_DOMAIN) {
		if (obs_parse(rel, len, OBS_DOMAIN, &o, NULL, 0))
			return K_NX;
		if (c->listed(c->arg, kind, &o, out))
			return K_LISTED;
		return c->below && c->below(c->arg, o.value, o.len) ? K_EMPTY : K_NX;
	}
	/* hash zone: md5 or sha1 in one label, sha256 in two labels of 32 */
	const char *lab[3];
	size_t ll[3];
	char hex[65];
	int n = split(rel, len, lab, ll, 3);
	if (n == 1 && (ll[0] == 32 || ll[0] == 40) && all_of(lab[0], ll[0], "0123456789abcdef")) {
		if (obs_parse(lab[0], ll[0], OBS_NONE, &o, NULL, 0))
			return K_NX;
		if (c->listed(c->arg, kind, &o, out))
			return K_LISTED;
		/* a 32-digit label may be the second half of a SHA-256 name, asked
		 * first by a resolver minimising its query names: it exists */
		return ll[0] == 32 ? K_EMPTY : K_NX;
	}
	if (n == 2 && ll[0] == 32 && ll[1] == 32 && all_of(lab[0], 32, "0123456789abcdef") &&
	    all_of(lab[1], 32, "0123456789abcdef")) {
		memcpy(hex, lab[0], 32);
		memcpy(hex + 32, lab[1], 32);
		if (obs_parse(hex, 64, OBS_SHA256, &o, NULL, 0))
			return K_NX;
		return c->listed(c->arg, kind, &o, out) ? K_LISTED : K_NX;
	}
	return K_NX;
}

/* ---- the answer ---- */

int dns_answer(const dns_config_t *c, const uint8_t *q, size_t qlen, int tcp, uint8_t *out,
	       size_t outcap, size_t *outlen)
{
	qname_t n;
	size_t off = 12, qend;
	uint16_t id, flags, qtype = 0, qclass = 0, payload = 0;
	int rcode = RC_OK, edns = 0, badvers = 0, have_q = 0;

	if (qlen < 12 || outcap < DNS_UDP_MAX)
		return DNS_DROP;
	id = get16(q);
	flags = get16(q + 2);
	if (flags & F_QR)
		return DNS_DROP;
	if (((flags >> 11) & 0xF) != 0) {
		rcode = RC_NOTIMP;
	} else if (get16(q + 4) != 1) {
		rcode = RC_FORMERR;
	} else if (read_name(q, qlen, &off, &n) || off + 4 > qlen) {
		rcode = RC_FORMERR;
	} else {
		qtype = get16(q + off);
		qclass = get16(q + off + 2);
		off += 4;
		have_q = 1;
	}
	qend = off;
	/* EDNS0: an OPT record first in the additional section */
	if (have_q && get16(q + 6) == 0 && get16(q + 8) == 0 && get16(q + 10) >= 1) {
		if (off + 11 > qlen || q[off] != 0 || get16(q + off + 1) != T_OPT) {
			if (off + 11 <= qlen && q[off] == 0 && get16(q + off + 1) != T_OPT)
				; /* some other record: no EDNS */
			else if (off < qlen)
				rcode = RC_FORMERR;
		} else {
			size_t rdl = get16(q + off + 9);
			if (off + 11 + rdl > qlen) {
				rcode = RC_FORMERR;
			} else {
				edns = 1;
				payload = get16(q + off + 3);
				badvers = q[off + 6] != 0;
			}
		}
	}

	size_t limit = tcp ? DNS_TCP_MAX : edns ? (payload < DNS_UDP_MAX ? DNS_UDP_MAX : payload > DNS_EDNS_MAX ? DNS_EDNS_MAX : payload) : DNS_UDP_MAX;
	wbuf_t w = {out, outcap < limit ? outcap : limit, 0, 0};
	unsigned hflags = F_QR | (flags & F_RD);
	size_t an_at, ns_at, ar_at;
	int an = 0, ns = 0;
	const dns_zone_t *z = NULL;
	size_t rel_len = 0;

	if (have_q && !rcode && badvers) {
		rcode = 16; /* BADVERS: extended rcode 1, header rcode 0 */
	} else if (have_q && !rcode) {
		z = find_zone(c, &n, &rel_len);
		if (!z || (qclass != C_IN && qclass != T_ANY))
			rcode = RC_REFUSED;
	}
	put16(&w, id);
	put16(&w, 0); /* flags, below */
	put16(&w, have_q ? 1 : 0);
	an_at = w.len;
	put16(&w, 0);
	ns_at = w.len;
	put16(&w, 0);
	ar_at = w.len;
	put16(&w, 0);
	if (have_q)
		put(&w, q + 12, qend - 12);
	size_t body = w.len;

	if (z && rcode == RC_OK) {
		size_t apex_off = 12 + (rel_len ? n.label_off[0] : 0);
		/* the apex's wire offset: the label after the relative part */
		if (rel_len) {
			for (int i = 0; i < n.nlabels; i++)
				if (n.text_off[i] == rel_len + 1) {
					apex_off = 12 + n.label_off[i];
					break;
				}
		}
		hflags |= F_AA;
		if (rel_len == 0) {
			if (qtype == T_SOA || qtype == T_ANY) {
				rr_soa(c, &w, apex_off);
				an++;
			}
			if (qtype == T_NS || qtype == T_ANY) {
				rr_ns(c, &w, apex_off);
				an++;
			}
		} else {
			dns_listing_t l = {0};
			int k = n.odd ? K_NX
				: z->kind == DNS_ZONE_IP ? key_ip(c, n.text, rel_len, &l)
							 : key_named(c, z->kind, n.text, rel_len, &l);
			if (k == K_NX)
				rcode = RC_NXDOMAIN;
			if (k == K_LISTED && (qtype == T_A || qtype == T_ANY)) {
				rr_a(c, &w, l.code < 2 ? 2 : l.code);
				an++;
			}
			if (k == K_LISTED && (qtype == T_TXT || qtype == T_ANY) && l.txt[0]) {
				rr_txt(c, &w, l.txt);
				an++;
			}
		}
		if (an == 0) { /* NXDOMAIN or NODATA: the SOA for negative caching */
			rr_soa(c, &w, apex_off);
			ns++;
		}
	}
	if (w.full) { /* too big for the transport: header and question, TC */
		w.full = 0;
		w.len = body;
		an = ns = 0;
		hflags |= F_TC;
	}
	if (edns) { /* our OPT: payload size, extended rcode */
		put(&w, "", 1);
		put16(&w, T_OPT);
		put16(&w, DNS_EDNS_MAX);
		uint8_t ext[4] = {(uint8_t)(rcode >> 4), 0, 0, 0};
		put(&w, ext, 4);
		put16(&w, 0);
	}
	if (w.full)
		return DNS_DROP;
	out[2] = (uint8_t)((hflags | (rcode & 0xF)) >> 8);
	out[3] = (uint8_t)(hflags | (rcode & 0xF));
	out[an_at] = (uint8_t)(an >> 8);
	out[an_at + 1] = (uint8_t)an;
	out[ns_at] = (uint8_t)(ns >> 8);
	out[ns_at + 1] = (uint8_t)ns;
	out[ar_at] = 0;
	out[ar_at + 1] = (uint8_t)edns;
	*outlen = w.len;
	(void)RC_SERVFAIL;
	(void)T_AAAA;
	return DNS_REPLY;
}
