/* test_wlist.c — warning lists: the built-in lists match addresses inside
 * listed prefixes and names under listed domains, nothing else; bad list
 * text is refused with the line named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wlist/wlist.h"

static const char *on(const wlist_t *w, const char *v)
{
	obs_t o;
	char err[256];
	if (obs_parse(v, strlen(v), OBS_NONE, &o, err, sizeof err))
		fail_msg("%s", err);
	return wlist_match(w, &o);
}

static void test_builtin(void **state)
{
	(void)state;
	char err[256];
	wlist_t *w = wlist_new(err, sizeof err);
	assert_non_null(w);
	assert_string_equal(on(w, "10.1.2.3"), "private");
	assert_string_equal(on(w, "172.31.0.0/16"), "private");
	assert_string_equal(on(w, "fd00::1"), "private");
	assert_string_equal(on(w, "127.0.0.2"), "loopback");
	assert_string_equal(on(w, "8.8.8.8"), "public-resolver");
	assert_string_equal(on(w, "2606:4700:4700::1111"), "public-resolver");
	assert_string_equal(on(w, "google.com"), "major-domain");
	assert_string_equal(on(w, "mail.google.com"), "major-domain");
	assert_null(on(w, "google.com.evil.example"));
	assert_null(on(w, "notgoogle.com"));
	assert_null(on(w, "8.8.8.9"));
	assert_null(on(w, "192.0.2.1"));
	assert_null(on(w, "100.0.0.0/8")); /* wider than 100.64.0.0/10: not inside it */
	wlist_free(w);
}

static void test_bad_text(void **state)
{
	(void)state;
	char err[256];
	assert_null(wlist_parse("ok 10.0.0.0/8\nbad\n", "t.conf", err, sizeof err));
	assert_non_null(strstr(err, "t.conf:2: want LIST VALUE"));
	assert_null(wlist_parse("x http://a.example/\n", "t.conf", err, sizeof err));
	assert_non_null(strstr(err, "t.conf:1: the value must be"));
	wlist_t *w = wlist_parse("# only a comment\n\nmine 198.51.100.0/24  # trailing\n", "t.conf", err, sizeof err);
	assert_non_null(w);
	assert_string_equal(on(w, "198.51.100.77"), "mine");
	wlist_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_bad_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
