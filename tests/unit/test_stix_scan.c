/* test_stix_scan.c — the strict JSON scanner: what RFC 8259 allows passes
 * and ends where it should; what it does not (bad escapes, control
 * characters, invalid UTF-8, bad numbers and literals, nesting too deep,
 * truncation) is refused; an object's members come out as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stix/stix_scan.h"

/* 1 when text is one whole valid value */
static int valid(const char *text, size_t len)
{
	scan_t c = {.s = text, .n = len};
	if (scan_value(&c))
		return 0;
	scan_ws(&c);
	return c.pos == c.n;
}
#define V(s) valid(s, sizeof(s) - 1)

static void test_valid(void **state)
{
	(void)state;
	assert_true(V("{}"));
	assert_true(V("[]"));
	assert_true(V(" {\"a\" : [1, -2.5e+3, 0, true, false, null, \"x\\u00e9\\n\\\"\"]} "));
	assert_true(V("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""));
	assert_true(V("-0.0E-0"));
	assert_true(V("{\"a\":{\"b\":{\"c\":[[[]]]}}}"));
}

static void test_invalid(void **state)
{
	(void)state;
	assert_false(V("\"\\x\""));                 /* unknown escape */
	assert_false(V("\"\\u12g4\""));             /* bad hex */
	assert_false(V("\"a\tb\""));                /* control character */
	assert_false(V("\"\xc3\""));                /* cut UTF-8 */
	assert_false(V("\"\xc0\xaf\""));            /* overlong */
	assert_false(V("\"\xed\xa0\x80\""));        /* a surrogate in UTF-8 */
	assert_false(V("\"\xf4\x90\x80\x80\""));    /* past U+10FFFF */
	assert_false(V("\"\xff\""));
	assert_false(V("01"));
	assert_false(V("1."));
	assert_false(V("-"));
	assert_false(V("1e"));
	assert_false(V("tru"));
	assert_false(V("nul"));
	assert_false(V("[1,]"));
	assert_false(V("{\"a\":1,}"));
	assert_false(V("{\"a\" 1}"));
	assert_false(V("{1:2}"));
	assert_false(V("[1 2]"));
	assert_false(V("\"abc"));
	assert_false(V("{\"a\":[1,2"));
	char deep[2 * STIX_SCAN_DEPTH + 10];
	memset(deep, '[', STIX_SCAN_DEPTH + 5);
	memset(deep + STIX_SCAN_DEPTH + 5, ']', STIX_SCAN_DEPTH + 5);
	assert_false(valid(deep, sizeof deep));
}

typedef struct {
	char seen[512];
} members_t;

static int member(void *arg, const char *k, size_t kn, const char *v, size_t vn)
{
	members_t *m = arg;
	size_t n = strlen(m->seen);
	snprintf(m->seen + n, sizeof m->seen - n, "%.*s=%.*s;", (int)kn, k, (int)vn, v);
	return 0;
}

/* The eight-bytes-at-a-time path: a byte that ends or breaks a string is
 * found wherever it falls in a long run of plain text. */
static void test_long_strings(void **state)
{
	(void)state;
	static const char *const bad[] = {"\t", "\x01", "\x7f\xff", "\xc3", "\\x"};
	char buf[64];
	for (size_t at = 1; at < 40; at++) {
		memset(buf, 'a', sizeof buf);
		buf[0] = '"';
		buf[at] = '"';
		scan_t c = {.s = buf, .n = sizeof buf};
		assert_int_equal(scan_string(&c), 0);
		assert_int_equal(c.pos, at + 1);
		for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			size_t n = strlen(bad[k]);
			memset(buf, 'a', sizeof buf);
			buf[0] = buf[sizeof buf - 1] = '"';
			memcpy(buf + at, bad[k], n);
			assert_false(valid(buf, sizeof buf));
		}
	}
	assert_true(scan_has(scan_word("abcdefg\""), '"'));
	assert_false(scan_has(scan_word("abcdefgh"), '"'));
	assert_true(scan_plain8(scan_word("abc\x1f" "efgh")));
	assert_false(scan_plain8(scan_word("abc ~efg")));
}

static void test_members(void **state)
{
	(void)state;
	const char *text = "{ \"type\" : \"indicator\", \"a\\\"b\": [1, {\"x\": 2}] , \"n\":null}tail";
	members_t m = {{0}};
	scan_t c = {.s = text, .n = strlen(text)};
	assert_int_equal(scan_object(&c, member, &m), 0);
	assert_string_equal(m.seen, "type=\"indicator\";a\\\"b=[1, {\"x\": 2}];n=null;");
	assert_string_equal(text + c.pos, "tail");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_members),
		cmocka_unit_test(test_long_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
