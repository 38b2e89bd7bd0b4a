/* test_stix_pattern.c — the STIX 2.1 pattern parser: every example of the
 * specification parses; the values of indexable patterns come out canonical;
 * other patterns are kept with the reason; invalid patterns are refused with
 * the position of the error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stix/stix_pattern.h"

static int parse(const char *s, stix_pattern_t *p, char *err, size_t errlen)
{
	return stix_pattern_parse(s, strlen(s), p, err, errlen);
}

static void test_spec_examples(void **state)
{
	(void)state;
	FILE *f = fopen(TESTDATA "/stix-patterns/spec_examples_v21.txt", "r");
	char line[4096], err[256];
	int n = 0, indexable = 0;
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\r\n");
		if (len == 0)
			continue;
		stix_pattern_t p;
		if (stix_pattern_parse(line, len, &p, err, sizeof err))
			fail_msg("%.*s: %s", (int)len, line, err);
		indexable += p.indexable;
		stix_pattern_free(&p);
		n++;
	}
	fclose(f);
	assert_int_equal(n, 23);
	/* the SHA-256 one, the two URLs, the MD5 one, and the three hashes in
	 * two observations joined by AND */
	assert_int_equal(indexable, 4);
}

static void test_values(void **state)
{
	(void)state;
	stix_pattern_t p;
	char err[256];
	assert_int_equal(parse("[ipv4-addr:value = '198.51.100.0/24' OR ipv4-addr:value = '203.0.113.7'"
			       " OR domain-name:value = 'Evil.Example']", &p, err, sizeof err), 0);
	assert_true(p.indexable);
	assert_int_equal(p.nvalues, 3);
	assert_string_equal(p.values[0].value, "198.51.100.0/24");
	assert_int_equal(p.values[1].type, OBS_IPV4);
	assert_string_equal(p.values[2].value, "evil.example");
	stix_pattern_free(&p);

	/* observation expressions joined by OR, hash names in any case */
	assert_int_equal(parse("[file:hashes.md5 = 'CEAD3F77F6CDA6EC00F57D76C9A6879F'] OR "
			       "[file:hashes.'SHA-1' = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12'] OR "
			       "[autonomous-system:number = 64496]", &p, err, sizeof err), 0);
	assert_true(p.indexable);
	assert_int_equal(p.nvalues, 3);
	assert_int_equal(p.values[0].type, OBS_MD5);
	assert_string_equal(p.values[0].value, "cead3f77f6cda6ec00f57d76c9a6879f");
	assert_int_equal(p.values[1].type, OBS_SHA1);
	assert_string_equal(p.values[2].value, "AS64496");
	stix_pattern_free(&p);

	/* an escaped quote inside a URL */
	assert_int_equal(parse("[url:value = 'http://example.com/it\\'s']", &p, err, sizeof err), 0);
	assert_true(p.indexable);
	assert_string_equal(p.values[0].value, "http://example.com/it's");
	char back[256];
	assert_int_equal(stix_pattern_of(&p.values[0], back, sizeof back), 0);
	assert_string_equal(back, "[url:value = 'http://example.com/it\\'s']");
	stix_pattern_free(&p);
}

static void test_not_indexed(void **state)
{
	(void)state;
	static const struct { const char *pattern, *why; } cases[] = {
		{"[file:name = 'foo.dll']", "a comparison on file"},
		{"[ipv4-addr:value != '192.0.2.1']", "other than '='"},
		{"[ipv4-addr:value NOT = '192.0.2.1']", "other than '='"},
		{"[ipv4-addr:value = '192.0.2.1'] WITHIN 5 SECONDS", "qualifier"},
		{"[ipv4-addr:value = '192.0.2.1'] FOLLOWEDBY [ipv4-addr:value = '192.0.2.2']", "FOLLOWEDBY"},
		{"[domain-name:value = 'domain autuo.xicp.net']", "domain"},
		{"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", "ISSUBSET"},
		{"[ipv4-addr:value IN ('192.0.2.1', '192.0.2.2')]", "IN on ipv4-addr"},
		{"[EXISTS url:value]", "EXISTS"},
		{"[ipv4-addr:value = 3]", "wrong kind"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		stix_pattern_t p;
		char err[256];
		if (parse(cases[i].pattern, &p, err, sizeof err))
			fail_msg("%s: %s", cases[i].pattern, err);
		assert_false(p.indexable);
		assert_int_equal(p.nvalues, 0);
		if (!strstr(p.why, cases[i].why))
			fail_msg("%s: why '%s', want '%s'", cases[i].pattern, p.why, cases[i].why);
		stix_pattern_free(&p);
	}
}

static void test_invalid(void **state)
{
	(void)state;
	static const struct { const char *pattern, *err; } cases[] = {
		{"", "position 0: expected '['"},
		{"[ipv4-addr:value = '192.0.2.1'", "position 30: expected ']'"},
		{"[ipv4-addr:value = '192.0.2.1]", "position 19: string not closed"},
		{"[ipv4-addr:value == '1.2.3.4']", "position 17: '=='"},
		{"[ipv4-addr value = '1.2.3.4']", "position 11: expected ':'"},
		{"[ipv4-addr:value = 'x'] AND", "position 27: expected '['"},
		{"[ipv4-addr:value = 'x'] WITHIN SECONDS", "position 31: WITHIN takes"},
		{"[ipv4-addr:value = 'x'] REPEATS 0 TIMES", "position 32: REPEATS takes"},
		{"[file:created = t'2014-13-13T07:03:17Z']", "position 16: malformed timestamp"},
		{"[file:magic_number_hex = h'ffd']", "position 25: malformed hex"},
		{"[file:name = 'a\\n']", "position 15: only"},
		{"[file:name LIKE 5]", "position 16: LIKE takes a string"},
		{"[file:name = 'a'] extra", "position 18: unexpected text"},
		{"[file:name = 'a' AND]", "position 20: expected an object path"},
		{"[file:name = 'a'] START t'2016-06-01T00:00:00Z'", "position 47: expected STOP"},
		{"[file:name ~ 'a']", "position 11: unexpected '~'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		stix_pattern_t p;
		char err[256] = "";
		if (!parse(cases[i].pattern, &p, err, sizeof err))
			fail_msg("accepted: %s", cases[i].pattern);
		if (strncmp(err, cases[i].err, strlen(cases[i].err)))
			fail_msg("%s: error '%s', want '%s'", cases[i].pattern, err, cases[i].err);
	}
	/* nesting is bounded, not recursed into without end */
	char deep[400];
	memset(deep, '(', 300);
	strcpy(deep + 300, "[a:b = 1]");
	stix_pattern_t p;
	char err[256];
	assert_int_equal(parse(deep, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "nested too deep"));
	/* a NUL byte inside the length is refused, not a string end */
	assert_int_equal(stix_pattern_parse("[a:b = 1]\0x", 11, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "position 9: a NUL byte"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_not_indexed),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
