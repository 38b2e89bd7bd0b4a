/* test_rep.c — the reputation model: the built-in defaults, the decay curve,
 * independent reporters, trust, false positives, expiry, and reputation
 * files refused whole with the line named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rep/rep.h"

#define DAY 1440u
#define NOW (400 * DAY) /* minutes since 2020 */

static rep_model_t *model(void)
{
	char err[256];
	rep_model_t *m = rep_model_new(err, sizeof err);
	if (!m)
		fail_msg("%s", err);
	return m;
}

static void load(rep_model_t *m, const char *text)
{
	char err[256];
	if (rep_model_parse(m, text, "t.conf", err, sizeof err))
		fail_msg("%s", err);
}

static rep_report_t rep(int conf, int trust, uint32_t age, const char *cls)
{
	return (rep_report_t){.conf = conf, .trust = trust, .seen = NOW - age, .cls = cls};
}

static int score(const rep_model_t *m, const rep_report_t *r, size_t n)
{
	rep_result_t res;
	rep_score(m, r, n, NOW, &res, NULL);
	return res.score;
}

static void test_defaults(void **state)
{
	(void)state;
	rep_model_t *m = model();
	assert_int_equal(rep_decay(m, "fraud/phishing")->lifetime, 7 * DAY);
	assert_int_equal(rep_decay(m, "fraud/spam-like")->lifetime, 14 * DAY); /* its class */
	assert_int_equal(rep_decay(m, "no-such/class")->lifetime, 30 * DAY);   /* default */
	assert_true(rep_decay(m, "information-gathering/scanner")->speed == 2);
	assert_int_equal(rep_code(m, "malicious-code/c2-server"), 3);
	assert_int_equal(rep_code(m, "vulnerable/open-service"), 7);
	assert_int_equal(rep_code(m, "other/undetermined"), 2);
	assert_int_equal(rep_trust(m, "any-feed", 7), 100);
	rep_model_free(m);
}

static void test_decay_curve(void **state)
{
	(void)state;
	rep_model_t *m = model();
	load(m, "decay lin 10d 1\ndecay fast 10d 2\ndecay slow 10d 0.5\ndecay forever 0 1\n");
	rep_report_t r = rep(80, 100, 0, "lin");
	assert_int_equal(score(m, &r, 1), 80);           /* fresh: the confidence */
	r = rep(80, 100, 5 * DAY, "lin");
	assert_int_equal(score(m, &r, 1), 40);           /* half the lifetime, linear */
	r = rep(80, 100, 5 * DAY, "fast");
	assert_int_equal(score(m, &r, 1), 23);           /* 80 * (1 - sqrt(0.5)) = 23.4 */
	r = rep(80, 100, 5 * DAY, "slow");
	assert_int_equal(score(m, &r, 1), 60);           /* 80 * (1 - 0.5^2) */
	r = rep(80, 100, 10 * DAY, "lin");
	rep_result_t res;
	rep_why_t why;
	rep_score(m, &r, 1, NOW, &res, &why);
	assert_int_equal(res.score, 0);                  /* at the lifetime: gone */
	assert_int_equal(why.state, REP_DECAYED);
	assert_int_equal(res.reporters, 0);
	r = rep(80, 100, 3000 * DAY, "forever");
	assert_int_equal(score(m, &r, 1), 80);
	r = rep(80, 100, 0, "lin");
	r.seen = NOW + 60; /* last seen in the future (clock skew): age 0 */
	assert_int_equal(score(m, &r, 1), 80);
	rep_model_free(m);
}

static void test_reporters_and_trust(void **state)
{
	(void)state;
	rep_model_t *m = model();
	rep_report_t r[3] = {rep(50, 100, 0, "x"), rep(50, 100, 0, "x"), rep(80, 50, 0, "x")};
	assert_int_equal(score(m, r, 1), 50);
	assert_int_equal(score(m, r, 2), 75);   /* 100 * (1 - 0.5 * 0.5) */
	assert_int_equal(score(m, r + 2, 1), 40); /* trust 50% */
	rep_result_t res;
	rep_score(m, r, 3, NOW, &res, NULL);
	assert_int_equal(res.score, 85);        /* 1 - .5 * .5 * .6 */
	assert_int_equal(res.reporters, 3);
	assert_int_equal(res.best, 0);          /* the first of the strongest */

	/* a source's trust wins over its organisation's, which wins over the default */
	assert_int_equal(rep_trust_set_org(m, 7, 30), 0);
	assert_int_equal(rep_trust_set_source(m, "good-feed", 90), 0);
	assert_int_equal(rep_trust(m, "good-feed", 7), 90);
	assert_int_equal(rep_trust(m, "other-feed", 7), 30);
	assert_int_equal(rep_trust(m, "other-feed", 8), 100);
	assert_int_equal(rep_trust_set_default(m, 60), 0);
	assert_int_equal(rep_trust(m, "other-feed", 8), 60);
	load(m, "trust source file-feed 20\n");
	rep_trust_clear(m);                     /* store settings go, the file's stay */
	assert_int_equal(rep_trust(m, "good-feed", 7), 100);
	assert_int_equal(rep_trust(m, "file-feed", 7), 20);
	assert_int_equal(rep_trust_set_source(m, "good-feed", -1), 0);
	assert_int_equal(rep_trust_set_org(m, 9, 101), -1);
	rep_model_free(m);
}

static void test_false_positive_and_expiry(void **state)
{
	(void)state;
	rep_model_t *m = model();
	rep_report_t r[3] = {rep(80, 100, 0, "x"), rep(100, 100, DAY, REP_FALSE_POSITIVE),
			     rep(100, 50, DAY, REP_FALSE_POSITIVE)};
	rep_result_t res;
	rep_why_t why[3];
	rep_score(m, r, 2, NOW, &res, why);
	assert_int_equal(res.score, 0);         /* a fully trusted analyst ends it */
	assert_int_equal(res.fps, 1);
	assert_int_equal(why[1].state, REP_FP);
	r[1] = r[2];
	assert_int_equal(score(m, r, 2), 40);   /* a half-trusted one halves it */
	r[1].until = NOW;                       /* an expired false-positive report */
	rep_score(m, r, 2, NOW, &res, why);
	assert_int_equal(res.score, 80);
	assert_int_equal(why[1].state, REP_FP_EXPIRED);
	r[0].until = NOW - 1;                   /* an expired report */
	rep_score(m, r, 1, NOW, &res, why);
	assert_int_equal(res.score, 0);
	assert_int_equal(why[0].state, REP_EXPIRED);
	r[0].until = NOW + 1;
	assert_int_equal(score(m, r, 1), 80);
	rep_model_free(m);
}

static void test_bad_files(void **state)
{
	(void)state;
	rep_model_t *m = model();
	char err[256];
	static const struct { const char *text, *want; } bad[] = {
		{"decay a 1d 1\ndecay b 7q 1\n", "t.conf:2: lifetime"},
		{"# ok\n\ndecay a 1d 0\n", "t.conf:3: speed"},
		{"code a 1\n", "t.conf:1: the code"},
		{"code a 255\n", "t.conf:1: the code"},
		{"trust source x 101\n", "t.conf:1: trust"},
		{"trust org x 50\n", "t.conf:1: trust default N"},
		{"decay a 1d\n", "t.conf:1: decay CLASSIFICATION"},
		{"colour a b\n", "t.conf:1: unknown directive"},
		{"decay a 99999d 1\n", "t.conf:1: lifetime"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(rep_model_parse(m, bad[i].text, "t.conf", err, sizeof err), -1);
		if (!strstr(err, bad[i].want))
			fail_msg("'%s' -> '%s', want '%s'", bad[i].text, err, bad[i].want);
	}
	/* all or nothing: the good first line of a bad file was not applied */
	assert_int_equal(rep_decay(m, "a")->lifetime, 30 * DAY);
	assert_int_equal(rep_model_load(m, "/nonexistent/rep.conf", err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/rep.conf"));
	/* a good file overrides line by line */
	load(m, "decay fraud/phishing 2d 1   # shorter\ncode fraud 44\n");
	assert_int_equal(rep_decay(m, "fraud/phishing")->lifetime, 2 * DAY);
	assert_int_equal(rep_decay(m, "fraud")->lifetime, 14 * DAY);
	assert_int_equal(rep_code(m, "fraud/phishing"), 44);
	rep_model_free(m);
}

static void test_minutes(void **state)
{
	(void)state;
	assert_int_equal(rep_minutes(0), 0);
	assert_int_equal(rep_minutes_up(0), 0);
	int64_t t = REP_EPOCH + 86400 + 30;
	assert_int_equal(rep_minutes(t), 1441);
	assert_int_equal(rep_minutes_up(t), 1442);
	assert_true(rep_seconds(rep_minutes(t)) <= t);
	assert_true(rep_seconds(rep_minutes_up(t)) >= t);
	assert_int_equal(rep_minutes(1000), 1);           /* before 2020: the epoch */
	assert_int_equal(rep_minutes(INT64_MAX / 2), REP_MINUTES_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_decay_curve),
		cmocka_unit_test(test_reporters_and_trust),
		cmocka_unit_test(test_false_positive_and_expiry),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_minutes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
