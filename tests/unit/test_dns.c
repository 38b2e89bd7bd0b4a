/* test_dns.c — the DNS blocklist answer logic on real wire-format packets:
 * RFC 5782 keys and test points, apex SOA/NS, NODATA for intermediate names,
 * REFUSED outside the zones, EDNS0, truncation, case, malformed input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dns/dns.h"

/* The listing behind the zones: a few keys, as the index would answer. */
static int listed(void *arg, int kind, const obs_t *o, dns_listing_t *out)
{
	static const char *const keys[] = {
		"192.0.2.1", "2001:db8::1", "evil.example",
		"d41d8cd98f00b204e9800998ecf8427e",
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", NULL,
	};
	(void)arg;
	(void)kind;
	for (int i = 0; keys[i]; i++)
		if (strcmp(o->value, keys[i]) == 0) {
			out->code = (uint8_t)(3 + i);
			snprintf(out->txt, sizeof out->txt, "listed: %s", o->value);
			return 1;
		}
	return 0;
}

static int below(void *arg, const char *name, size_t len)
{
	(void)arg;
	return (len == 7 && memcmp(name, "example", 7) == 0);
}

static dns_config_t cfg(void)
{
	dns_config_t c = {.ttl = 300, .neg_ttl = 60, .serial = 7, .listed = listed, .below = below};
	snprintf(c.ns, sizeof c.ns, "ns.bl.test");
	snprintf(c.hostmaster, sizeof c.hostmaster, "hostmaster.bl.test");
	assert_int_equal(dns_config_zone(&c, "ip.bl.test", DNS_ZONE_IP), 0);
	assert_int_equal(dns_config_zone(&c, "dbl.bl.test.", DNS_ZONE_DOMAIN), 0);
	assert_int_equal(dns_config_zone(&c, "hash.bl.test", DNS_ZONE_HASH), 0);
	return c;
}

/* Build a query; edns: 0 none, else the advertised payload size. */
static size_t query(uint8_t *b, const char *name, unsigned type, unsigned edns)
{
	size_t n = 0;
	uint8_t h[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0};
	memcpy(b, h, 12);
	n = 12;
	for (const char *p = name; *p;) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		b[n++] = (uint8_t)l;
		memcpy(b + n, p, l);
		n += l;
		p += l + (dot ? 1 : 0);
	}
	b[n++] = 0;
	b[n++] = (uint8_t)(type >> 8);
	b[n++] = (uint8_t)type;
	b[n++] = 0;
	b[n++] = 1;
	if (edns) {
		uint8_t opt[11] = {0, 0, 41, (uint8_t)(edns >> 8), (uint8_t)edns, 0, 0, 0, 0, 0, 0};
		memcpy(b + n, opt, 11);
		n += 11;
	}
	return n;
}

typedef struct {
	int rcode, aa, tc, qd, an, ns, ar;
	uint8_t a_last;   /* last octet of the first A record, 0 if none */
	char txt[256];
	int soa, nsrr;
	unsigned opt_payload;
} ans_t;

static size_t skip_name(const uint8_t *b, size_t n, size_t o)
{
	while (o < n) {
		if ((b[o] & 0xC0) == 0xC0)
			return o + 2;
		if (b[o] == 0)
			return o + 1;
		o += 1 + b[o];
	}
	fail_msg("name runs off the packet");
	return n;
}

static ans_t ask(const dns_config_t *c, const uint8_t *q, size_t qlen, int tcp)
{
	uint8_t out[4096];
	size_t n = 0;
	ans_t a = {0};
	assert_int_equal(dns_answer(c, q, qlen, tcp, out, sizeof out, &n), DNS_REPLY);
	assert_true(n >= 12);
	assert_true(tcp || n <= 1232);
	assert_int_equal(out[0], q[0]);
	assert_int_equal(out[1], q[1]);
	assert_true(out[2] & 0x80);
	a.aa = !!(out[2] & 0x04);
	a.tc = !!(out[2] & 0x02);
	a.rcode = out[3] & 0xF;
	a.qd = out[4] << 8 | out[5];
	a.an = out[6] << 8 | out[7];
	a.ns = out[8] << 8 | out[9];
	a.ar = out[10] << 8 | out[11];
	size_t o = 12;
	for (int i = 0; i < a.qd; i++)
		o = skip_name(out, n, o) + 4;
	for (int i = 0; i < a.an + a.ns + a.ar; i++) {
		o = skip_name(out, n, o);
		assert_true(o + 10 <= n);
		unsigned type = out[o] << 8 | out[o + 1];
		unsigned cls = out[o + 2] << 8 | out[o + 3];
		unsigned rdl = out[o + 8] << 8 | out[o + 9];
		const uint8_t *rd = out + o + 10;
		assert_true(o + 10 + rdl <= n);
		if (type == 1 && rdl == 4 && !a.a_last) {
			assert_int_equal(rd[0], 127);
			a.a_last = rd[3];
		}
		if (type == 16 && rdl >= 1)
			snprintf(a.txt, sizeof a.txt, "%.*s", rd[0], (const char *)rd + 1);
		a.soa += type == 6;
		a.nsrr += type == 2;
		if (type == 41)
			a.opt_payload = cls;
		o += 10 + rdl;
	}
	assert_int_equal(o, n);
	return a;
}

static ans_t ask_name(const char *name, unsigned type)
{
	dns_config_t c = cfg();
	uint8_t q[600];
	size_t n = query(q, name, type, 0);
	return ask(&c, q, n, 0);
}

static void test_ip_zone(void **st)
{
	(void)st;
	ans_t a = ask_name("1.2.0.192.ip.bl.test", 1);
	assert_int_equal(a.rcode, 0);
	assert_true(a.aa);
	assert_int_equal(a.an, 1);
	assert_int_equal(a.a_last, 3);
	a = ask_name("1.2.0.192.IP.BL.TEST", 16);
	assert_int_equal(a.an, 1);
	assert_string_equal(a.txt, "listed: 192.0.2.1");
	a = ask_name("1.2.0.192.ip.bl.test", 255);
	assert_int_equal(a.an, 2);
	a = ask_name("2.2.0.192.ip.bl.test", 1);
	assert_int_equal(a.rcode, 3);
	assert_int_equal(a.an, 0);
	assert_int_equal(a.soa, 1); /* negative answers carry the SOA */
	/* IPv6: 32 reversed nibbles */
	a = ask_name("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip.bl.test", 1);
	assert_int_equal(a.an, 1);
	assert_int_equal(a.a_last, 4);
	/* test points */
	assert_int_equal(ask_name("2.0.0.127.ip.bl.test", 1).a_last, 2);
	assert_int_equal(ask_name("1.0.0.127.ip.bl.test", 1).rcode, 3);
	assert_int_equal(ask_name("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip.bl.test", 1).a_last, 2);
	assert_int_equal(ask_name("1.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip.bl.test", 1).rcode, 3);
	/* intermediate names exist (QNAME minimisation), junk does not */
	a = ask_name("0.192.ip.bl.test", 1);
	assert_int_equal(a.rcode, 0);
	assert_int_equal(a.an, 0);
	assert_int_equal(a.soa, 1);
	assert_int_equal(ask_name("8.b.d.0.1.0.0.2.ip.bl.test", 1).rcode, 0);
	assert_int_equal(ask_name("5.1.2.0.192.ip.bl.test", 1).rcode, 3);
	assert_int_equal(ask_name("256.2.0.192.ip.bl.test", 1).rcode, 3);
	assert_int_equal(ask_name("01.2.0.192.ip.bl.test", 1).rcode, 3);
	assert_int_equal(ask_name("x.ip.bl.test", 1).rcode, 3);
}

static void test_named_zones(void **st)
{
	(void)st;
	ans_t a = ask_name("evil.example.dbl.bl.test", 1);
	assert_int_equal(a.an, 1);
	assert_int_equal(a.a_last, 5);
	assert_int_equal(ask_name("good.example.dbl.bl.test", 1).rcode, 3);
	/* a parent of a listed name exists: NOERROR without data */
	a = ask_name("example.dbl.bl.test", 1);
	assert_int_equal(a.rcode, 0);
	assert_int_equal(a.an, 0);
	assert_int_equal(ask_name("other.dbl.bl.test", 1).rcode, 3);
	assert_int_equal(ask_name("test.dbl.bl.test", 1).a_last, 2);
	assert_int_equal(ask_name("TEST.dbl.bl.test", 16).an, 1);
	assert_int_equal(ask_name("invalid.dbl.bl.test", 1).rcode, 3);
	/* hashes: md5 in one label; sha256 in two labels of 32 */
	assert_int_equal(ask_name("d41d8cd98f00b204e9800998ecf8427e.hash.bl.test", 1).a_last, 6);
	a = ask_name("e3b0c44298fc1c149afbf4c8996fb924.27ae41e4649b934ca495991b7852b855.hash.bl.test", 1);
	assert_int_equal(a.a_last, 7);
	/* the second half alone is asked first by minimising resolvers: NODATA */
	a = ask_name("27ae41e4649b934ca495991b7852b855.hash.bl.test", 1);
	assert_int_equal(a.rcode, 0);
	assert_int_equal(a.an, 0);
	assert_int_equal(ask_name("da39a3ee5e6b4b0d3255bfef95601890afd80709.hash.bl.test", 1).rcode, 3);
}

static void test_apex_and_refused(void **st)
{
	(void)st;
	ans_t a = ask_name("ip.bl.test", 6);
	assert_int_equal(a.rcode, 0);
	assert_int_equal(a.an, 1);
	assert_int_equal(a.soa, 1);
	a = ask_name("dbl.bl.test", 2);
	assert_int_equal(a.nsrr, 1);
	a = ask_name("hash.bl.test", 1);
	assert_int_equal(a.an, 0);
	assert_int_equal(a.soa, 1);
	a = ask_name("example.com", 1);
	assert_int_equal(a.rcode, 5);
	assert_false(a.aa);
	assert_int_equal(ask_name("bl.test", 1).rcode, 5);
	assert_int_equal(ask_name("xip.bl.test", 1).rcode, 5);
}

static void test_edns_and_truncation(void **st)
{
	(void)st;
	dns_config_t c = cfg();
	uint8_t q[600], out[4096];
	size_t n = query(q, "1.2.0.192.ip.bl.test", 16, 4096), len;
	ans_t a = ask(&c, q, n, 0);
	assert_int_equal(a.ar, 1);
	assert_int_equal(a.opt_payload, 1232);
	/* EDNS version 1: BADVERS (extended rcode 1) */
	q[n - 5] = 1;
	assert_int_equal(dns_answer(&c, q, n, 0, out, sizeof out, &len), DNS_REPLY);
	assert_int_equal(out[3] & 0xF, 0);
	assert_int_equal(out[len - 6], 1);
	/* a negative answer whose SOA has long names does not fit 512 bytes:
	 * without EDNS it is truncated (TC, no records); with EDNS or TCP it fits */
	char lab[61];
	memset(lab, 'a', 60);
	lab[60] = '\0';
	snprintf(c.ns, sizeof c.ns, "%s.%s.%s.%s.ns", lab, lab, lab, lab);
	snprintf(c.hostmaster, sizeof c.hostmaster, "%s.%s.%s.%s.hm", lab, lab, lab, lab);
	n = query(q, "2.2.0.192.ip.bl.test", 1, 0);
	a = ask(&c, q, n, 0);
	assert_true(a.tc);
	assert_int_equal(a.an + a.ns, 0);
	a = ask(&c, q, n, 1);
	assert_false(a.tc);
	assert_int_equal(a.soa, 1);
	n = query(q, "2.2.0.192.ip.bl.test", 1, 1232);
	a = ask(&c, q, n, 0);
	assert_false(a.tc);
	assert_int_equal(a.soa, 1);
}

static void test_malformed(void **st)
{
	(void)st;
	dns_config_t c = cfg();
	uint8_t q[600], out[1024];
	size_t n = query(q, "1.2.0.192.ip.bl.test", 1, 0), len;
	assert_int_equal(dns_answer(&c, q, 11, 0, out, sizeof out, &len), DNS_DROP);
	q[2] |= 0x80; /* a response: never answered */
	assert_int_equal(dns_answer(&c, q, n, 0, out, sizeof out, &len), DNS_DROP);
	q[2] &= 0x7f;
	/* cut inside the name: FORMERR */
	assert_int_equal(dns_answer(&c, q, 20, 0, out, sizeof out, &len), DNS_REPLY);
	assert_int_equal(out[3] & 0xF, 1);
	/* a compression pointer in the question: FORMERR */
	q[12] = 0xC0;
	assert_int_equal(dns_answer(&c, q, n, 0, out, sizeof out, &len), DNS_REPLY);
	assert_int_equal(out[3] & 0xF, 1);
	/* two questions: FORMERR; opcode 2: NOTIMP */
	n = query(q, "1.2.0.192.ip.bl.test", 1, 0);
	q[5] = 2;
	assert_int_equal(dns_answer(&c, q, n, 0, out, sizeof out, &len), DNS_REPLY);
	assert_int_equal(out[3] & 0xF, 1);
	q[5] = 1;
	q[2] = 0x10;
	assert_int_equal(dns_answer(&c, q, n, 0, out, sizeof out, &len), DNS_REPLY);
	assert_int_equal(out[3] & 0xF, 4);
	/* class CH: REFUSED */
	n = query(q, "1.2.0.192.ip.bl.test", 1, 0);
	q[n - 1] = 3;
	assert_int_equal(dns_answer(&c, q, n, 0, out, sizeof out, &len), DNS_REPLY);
	assert_int_equal(out[3] & 0xF, 5);
	/* random bytes never crash and never overrun */
	unsigned seed = 3;
	for (int i = 0; i < 200000; i++) {
		size_t m = 12 + (seed % 80);
		for (size_t k = 0; k < m; k++) {
			seed = seed * 1103515245u + 12345u;
			q[k] = (uint8_t)(seed >> 16);
		}
		q[2] &= 0x7f;
		if (dns_answer(&c, q, m, (int)(seed & 1), out, sizeof out, &len) == DNS_REPLY)
			assert_true(len <= sizeof out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_zone),
		cmocka_unit_test(test_named_zones),
		cmocka_unit_test(test_apex_and_refused),
		cmocka_unit_test(test_edns_and_truncation),
		cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests_name("dns", tests, NULL, NULL);
}
