/* test_obs.c — observable detection and canonical forms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "core/model.h"
#include "core/obs.h"

static void ok(const char *in, obs_type_t want, obs_type_t type, const char *canon)
{
	obs_t o;
	char err[256] = "";
	int rc = obs_parse(in, strlen(in), want, &o, err, sizeof err);
	if (rc != 0)
		fail_msg("'%s' rejected: %s", in, err);
	if (o.type != type || strcmp(o.value, canon) != 0)
		fail_msg("'%s' -> %s '%s', expected %s '%s'", in, obs_type_name(o.type), o.value,
			 obs_type_name(type), canon);
	assert_int_equal(o.len, strlen(o.value));
}

static void bad(const char *in, obs_type_t want, const char *msg)
{
	obs_t o;
	char err[256] = "";
	if (obs_parse(in, strlen(in), want, &o, err, sizeof err) == 0)
		fail_msg("'%s' accepted as %s '%s'", in, obs_type_name(o.type), o.value);
	if (msg && !strstr(err, msg))
		fail_msg("'%s': error '%s' lacks '%s'", in, err, msg);
}

static void test_ipv4(void **st)
{
	(void)st;
	ok("192.0.2.1", 0, OBS_IPV4, "192.0.2.1");
	ok("  192.0.2.1\t", 0, OBS_IPV4, "192.0.2.1");
	ok("10.0.0.0/8", 0, OBS_IPV4, "10.0.0.0/8");
	ok("10.1.2.3/8", 0, OBS_IPV4, "10.0.0.0/8"); /* host bits masked */
	ok("192.0.2.1/32", 0, OBS_IPV4, "192.0.2.1");
	ok("0.0.0.0/0", 0, OBS_IPV4, "0.0.0.0/0");
	ok("::ffff:192.0.2.7", 0, OBS_IPV4, "192.0.2.7");
	ok("::ffff:c000:207", 0, OBS_IPV4, "192.0.2.7");
	ok("::ffff:10.0.0.0/104", 0, OBS_IPV4, "10.0.0.0/8");
	ok("::ffff:192.0.2.7", OBS_IPV4, OBS_IPV4, "192.0.2.7");
	bad("999.1.1.1", 0, "invalid IPv4 address '999.1.1.1'");
	bad("1.2.3", 0, "invalid IPv4 address");
	bad("1.2.3.4.5", 0, "invalid IPv4 address");
	bad("01.2.3.4", 0, "leading zero");
	bad("1.2.3.4/33", 0, "prefix");
	bad("1.2.3.4/", 0, "prefix");
	bad("1..3.4", 0, "IPv4");
	bad("2001:db8::1", OBS_IPV4, "IPv4");
}

static void test_ipv6(void **st)
{
	(void)st;
	ok("2001:DB8::1", 0, OBS_IPV6, "2001:db8::1");
	ok("2001:0db8:0000:0000:0000:0000:0000:0001", 0, OBS_IPV6, "2001:db8::1");
	ok("2001:db8:0:1:1:1:1:1", 0, OBS_IPV6, "2001:db8:0:1:1:1:1:1"); /* no :: for one group */
	ok("2001:db8:0:0:1:0:0:1", 0, OBS_IPV6, "2001:db8::1:0:0:1");   /* first longest run */
	ok("2001:0:0:1:0:0:0:1", 0, OBS_IPV6, "2001:0:0:1::1");          /* longest run wins */
	ok("::", 0, OBS_IPV6, "::");
	ok("::1", 0, OBS_IPV6, "::1");
	ok("fe80::/10", 0, OBS_IPV6, "fe80::/10");
	ok("2001:db8::1/32", 0, OBS_IPV6, "2001:db8::/32");
	ok("2001:db8::/128", 0, OBS_IPV6, "2001:db8::");
	bad("2001:db8::1::2", 0, "invalid IPv6 address");
	bad("2001:db8::/129", 0, "prefix");
	bad("fe80::1%eth0", 0, "IPv6");
	bad("1.2.3.4:80", 0, "IPv6");
}

static void test_domain(void **st)
{
	(void)st;
	ok("Example.COM", 0, OBS_DOMAIN, "example.com");
	ok("example.com.", 0, OBS_DOMAIN, "example.com");
	ok("*.example.com", 0, OBS_DOMAIN, "example.com");
	ok("münchen.de", 0, OBS_DOMAIN, "xn--mnchen-3ya.de");
	ok("XN--MNCHEN-3YA.DE", 0, OBS_DOMAIN, "xn--mnchen-3ya.de");
	ok("bücher.example", 0, OBS_DOMAIN, "xn--bcher-kva.example");
	ok("_dmarc.example.org", 0, OBS_DOMAIN, "_dmarc.example.org");
	ok("localhost", OBS_DOMAIN, OBS_DOMAIN, "localhost");
	ok("zip", OBS_DOMAIN, OBS_DOMAIN, "zip");
	bad("localhost", 0, "single label");
	bad("exa mple.com", 0, "invalid domain name");
	bad("-bad.example.com", 0, "'-'");
	bad("a..b.com", 0, "empty label");
	bad("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", 0, "63");
	bad("example.123", 0, "numeric");
	bad("xn--zz.com", 0, "A-label");
	bad("example.com/path", 0, "domain");
	bad("", 0, "empty");
	bad("   ", 0, "empty");
}

static void test_url(void **st)
{
	(void)st;
	ok("HTTP://Example.COM", 0, OBS_URL, "http://example.com/");
	ok("http://example.com:80/a/B?x=1#f", 0, OBS_URL, "http://example.com/a/B?x=1#f");
	ok("https://example.com:443", 0, OBS_URL, "https://example.com/");
	ok("https://example.com:8443/x", 0, OBS_URL, "https://example.com:8443/x");
	ok("http://user:pw@Evil.example/", 0, OBS_URL, "http://user:pw@evil.example/");
	ok("http://[2001:DB8::1]:8080/", 0, OBS_URL, "http://[2001:db8::1]:8080/");
	ok("http://192.0.2.1/x", 0, OBS_URL, "http://192.0.2.1/x");
	ok("http://münchen.de/ä", 0, OBS_URL, "http://xn--mnchen-3ya.de/%C3%A4");
	ok("http://intranet/", 0, OBS_URL, "http://intranet/");
	ok("http://example.com?q", 0, OBS_URL, "http://example.com/?q");
	bad("http://exa mple.com/", 0, "space");
	bad("http:///path", 0, "host");
	bad("http://example.com:99999/", 0, "port");
	bad("http://example.com:8a/", 0, "port");
	bad("1http://example.com/", 0, "scheme");
	bad("http://[::1/", 0, "[");
	bad("http://999.1.1.1/", 0, "host");
}

static void test_email_hash_asn(void **st)
{
	(void)st;
	ok("Alice@Example.COM", 0, OBS_EMAIL, "Alice@example.com");
	ok("a.b+c@bücher.example", 0, OBS_EMAIL, "a.b+c@xn--bcher-kva.example");
	bad("@example.com", 0, "local part");
	bad("a@", 0, "e-mail");
	bad("a..b@example.com", 0, "local part");
	bad("a b@example.com", 0, "local part");
	ok("D41D8CD98F00B204E9800998ECF8427E", 0, OBS_MD5, "d41d8cd98f00b204e9800998ecf8427e");
	ok("da39a3ee5e6b4b0d3255bfef95601890afd80709", 0, OBS_SHA1,
	   "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	ok("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", 0, OBS_SHA256,
	   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	bad("d41d8cd98f00b204e9800998ecf8427e", OBS_SHA256, "sha256");
	bad("zz1d8cd98f00b204e9800998ecf8427e", OBS_MD5, "hexadecimal");
	ok("AS64496", 0, OBS_ASN, "AS64496");
	ok("as64496", 0, OBS_ASN, "AS64496");
	ok("ASN64496", 0, OBS_ASN, "AS64496");
	ok("64496", OBS_ASN, OBS_ASN, "AS64496");
	ok("AS1.10", 0, OBS_ASN, "AS65546");
	ok("AS4294967295", 0, OBS_ASN, "AS4294967295");
	bad("AS4294967296", 0, "4294967295");
	bad("AS12x", 0, "AS number");
}

static void test_names(void **st)
{
	(void)st;
	for (int t = OBS_NONE + 1; t < OBS_NTYPES; t++)
		assert_int_equal(obs_type_from_name(obs_type_name((obs_type_t)t)), t);
	assert_int_equal(obs_type_from_name("domain"), OBS_DOMAIN);
	assert_int_equal(obs_type_from_name("nonsense"), OBS_NONE);
	char buf[64];
	uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8};
	obs_format_ip(OBS_IPV6, a, 32, buf);
	assert_string_equal(buf, "2001:db8::/32");
}

static void test_garbage(void **st)
{
	(void)st;
	/* arbitrary bytes never crash and never produce a value with controls */
	char in[64];
	unsigned seed = 1;
	for (int i = 0; i < 200000; i++) {
		size_t n = (size_t)(seed % 40);
		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = "0123456789abcdef.:/@AS-xn[]%*_ \x80\xc3\xbc"[(seed >> 16) % 36];
		}
		obs_t o;
		char err[256];
		if (obs_parse(in, n, OBS_NONE, &o, err, sizeof err) == 0)
			for (size_t k = 0; k < o.len; k++)
				assert_true((unsigned char)o.value[k] > 0x20 &&
					    (unsigned char)o.value[k] < 0x7f);
	}
}

static void test_model(void **st)
{
	(void)st;
	tlp_t t;
	assert_int_equal(tlp_parse("AMBER+STRICT", &t), 0);
	assert_int_equal(t, TLP_AMBER_STRICT);
	assert_int_equal(tlp_parse("tlp:red", &t), 0);
	assert_int_equal(t, TLP_RED);
	assert_int_equal(tlp_parse("white", &t), 0);
	assert_int_equal(t, TLP_CLEAR);
	assert_int_equal(tlp_parse("purple", &t), -1);
	assert_int_equal(rsit_check("malicious-code/c2-server"), 0);
	assert_int_equal(rsit_check("other/undetermined"), 0);
	assert_int_equal(rsit_check("malicious-code/spam"), -1);
	assert_int_equal(rsit_check("malicious-code"), -1);
	int64_t v;
	assert_int_equal(model_time_parse("2026-11-22T10:00:00Z", &v), 0);
	assert_int_equal(v, 1795341600);
	assert_int_equal(model_time_parse("2026-11-22 12:00:00+02:00", &v), 0);
	assert_int_equal(v, 1795341600);
	assert_int_equal(model_time_parse("2026-11-22", &v), 0);
	assert_int_equal(v, 1795305600);
	assert_int_equal(model_time_parse("1441008970", &v), 0);
	assert_int_equal(v, 1441008970);
	assert_int_equal(model_time_parse("2026-13-01", &v), -1);
	assert_int_equal(model_time_parse("yesterday", &v), -1);
	char buf[32];
	assert_string_equal(model_time_fmt(1795341600, buf), "2026-11-22T10:00:00Z");
}

/* Every class/type of the taxonomy file shipped in shared/testdata. */
static void test_refang(void **st)
{
	(void)st;
	static const char *const cases[][2] = {
		{"hxxp://evil[.]example/a", "http://evil.example/a"},
		{"HXXPS://x(.)example[:]8443/", "https://x.example:8443/"},
		{"hxxp[:]//x{.}example", "http://x.example"},
		{"a[at]b[.]example", "a@b.example"},
		{"hxxpnothing.example", "hxxpnothing.example"},
		{"plain.example", "plain.example"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char out[128];
		size_t n = obs_refang(cases[i][0], strlen(cases[i][0]), out);
		out[n] = '\0';
		assert_string_equal(out, cases[i][1]);
	}
	obs_t o;
	int refanged = -1;
	assert_int_equal(obs_parse_pasted("198.51.100[.]7", 14, OBS_NONE, &o, &refanged, NULL, 0), 0);
	assert_int_equal(refanged, 1);
	assert_string_equal(o.value, "198.51.100.7");
	assert_int_equal(obs_parse_pasted("198.51.100.7", 12, OBS_NONE, &o, &refanged, NULL, 0), 0);
	assert_int_equal(refanged, 0);
	assert_int_not_equal(obs_parse_pasted("198[.]51[.]100", 14, OBS_NONE, &o, NULL, NULL, 0), 0);
}

static void test_rsit_file(void **st)
{
	(void)st;
	json_error_t je;
	json_t *root = json_load_file(TESTDATA "/taxonomies/rsit-machinetag.json", 0, &je);
	assert_non_null(root);
	json_t *vals = json_object_get(root, "values"), *v, *e;
	size_t i, k;
	int n = 0;
	json_array_foreach(vals, i, v) {
		const char *cls = json_string_value(json_object_get(v, "predicate"));
		json_array_foreach(json_object_get(v, "entry"), k, e) {
			char full[300];
			snprintf(full, sizeof full, "%s/%s", cls,
				 json_string_value(json_object_get(e, "value")));
			if (rsit_check(full) != 0)
				fail_msg("taxonomy pair %s not known", full);
			n++;
		}
	}
	json_decref(root);
	assert_true(n >= 36);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),   cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_domain), cmocka_unit_test(test_url),
		cmocka_unit_test(test_email_hash_asn), cmocka_unit_test(test_names),
		cmocka_unit_test(test_garbage), cmocka_unit_test(test_model),
		cmocka_unit_test(test_rsit_file), cmocka_unit_test(test_refang),
	};
	return cmocka_run_group_tests_name("obs", tests, NULL, NULL);
}
