/* test_model.c — the model's times: one accepted range, parse refuses what
 * format cannot write, format is total (always terminated, 20 characters). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/model.h"

static void parses(const char *in, int64_t want, const char *back)
{
	int64_t t = -1;
	char buf[MODEL_TIME_LEN];
	if (model_time_parse(in, &t))
		fail_msg("'%s' refused", in);
	if (t != want)
		fail_msg("'%s' -> %lld, want %lld", in, (long long)t, (long long)want);
	if (strcmp(model_time_fmt(t, buf), back))
		fail_msg("'%s' written back as '%s', want '%s'", in, buf, back);
}

static void refused(const char *in)
{
	int64_t t = 12345;
	if (!model_time_parse(in, &t))
		fail_msg("'%s' accepted as %lld", in, (long long)t);
	assert_int_equal(t, 12345); /* nothing written */
}

static void test_parse_range(void **st)
{
	(void)st;
	parses("0", 0, "1970-01-01T00:00:00Z");
	parses("1793500000", 1793500000, "2026-11-01T02:26:40Z");
	parses("253402300799", MODEL_TIME_MAX, "9999-12-31T23:59:59Z");
	parses("9999-12-31T23:59:59Z", MODEL_TIME_MAX, "9999-12-31T23:59:59Z");
	parses("2024-02-29", 1709164800, "2024-02-29T00:00:00Z");
	parses("2000-02-29T12:00:00+02:00", 951818400, "2000-02-29T10:00:00Z");
	parses("1970-01-01T01:00:00+01:00", 0, "1970-01-01T00:00:00Z");
	parses("2026-11-22 10:00:00.123456z", 1795341600, "2026-11-22T10:00:00Z");
	/* the years past 9999 that Unix seconds can name, and the ends */
	refused("253402300800");
	refused("999999999999");
	refused("9999-12-31T23:59:60Z");
	refused("9999-12-31T23:00:00-01:00");
	refused("1970-01-01T00:00:00+00:01");
	refused("1969-12-31");
	/* days and offsets that do not exist */
	refused("2026-02-30");
	refused("2026-04-31");
	refused("2100-02-29");
	refused("2026-01-01T00:00:00+24:00");
	refused("2026-01-01T00:00:00+01:60");
	refused("");
	refused("2026-1-1");
	refused("2026-01-01T");
	refused("2026-01-01Z junk");
	refused("1234567890123");
}

static void test_format_total(void **st)
{
	(void)st;
	static const int64_t odd[] = {-1, INT64_MIN, INT64_MAX, MODEL_TIME_MAX + 1, 999999999999,
				      INT64_C(1) << 40};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		char buf[MODEL_TIME_LEN + 8];
		memset(buf, 'x', sizeof buf);
		model_time_fmt(odd[i], buf);
		assert_int_equal(strlen(buf), MODEL_TIME_LEN - 1);
		assert_int_equal(buf[MODEL_TIME_LEN], 'x'); /* nothing past the room */
		assert_string_equal(buf, odd[i] < 0 ? "1970-01-01T00:00:00Z" : "9999-12-31T23:59:59Z");
	}
	/* every day boundary over the range round-trips */
	for (int64_t t = 0; t <= MODEL_TIME_MAX; t += 86399 * 37) {
		char buf[MODEL_TIME_LEN];
		int64_t back;
		assert_int_equal(model_time_parse(model_time_fmt(t, buf), &back), 0);
		assert_int_equal(back, t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_format_total),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
