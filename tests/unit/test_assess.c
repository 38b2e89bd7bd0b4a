/* test_assess.c — questionnaires, conditions, scores, CMM stages and the
 * roadmap's order, against figures worked out by hand (in the comments). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "assess/assess.h"

extern const char data_assess_default_json[], data_assess_roadmap_json[];

/* Pillar A (weight 1): a1 (weight 1: q1 yes-no start-up, q2 yes-partial-no
 * formative if q1 = yes, q3 percentage weight 2 established), a2 (weight
 * 3: q4 choice, q5 number target 10).  Pillar B (weight 1): b1 (q6
 * multiple choice, q7 text, not scored). */
static const char QN[] =
	"{\"name\": \"t\", \"version\": 2, \"pillars\": ["
	" {\"id\": \"A\", \"title\": \"A\", \"indicators\": ["
	"  {\"id\": \"a1\", \"title\": \"a1\", \"questions\": ["
	"   {\"id\": \"q1\", \"text\": \"?\", \"type\": \"yes-no\", \"stage\": \"start-up\"},"
	"   {\"id\": \"q2\", \"text\": \"?\", \"type\": \"yes-partial-no\", \"stage\": \"formative\","
	"    \"condition\": \"${q1} = 'yes'\"},"
	"   {\"id\": \"q3\", \"text\": \"?\", \"type\": \"percentage\", \"weight\": 2,"
	"    \"stage\": \"established\"}]},"
	"  {\"id\": \"a2\", \"title\": \"a2\", \"weight\": 3, \"questions\": ["
	"   {\"id\": \"q4\", \"text\": \"?\", \"type\": \"choice\", \"options\": ["
	"    {\"value\": \"x\", \"score\": 0}, {\"value\": \"y\", \"score\": 0.5},"
	"    {\"value\": \"z\", \"score\": 1}]},"
	"   {\"id\": \"q5\", \"text\": \"?\", \"type\": \"number\", \"target\": 10}]}]},"
	" {\"id\": \"B\", \"title\": \"B\", \"indicators\": ["
	"  {\"id\": \"b1\", \"title\": \"b1\", \"questions\": ["
	"   {\"id\": \"q6\", \"text\": \"?\", \"type\": \"multiple-choice\", \"options\": ["
	"    {\"value\": \"m1\", \"score\": 0.3}, {\"value\": \"m2\", \"score\": 0.3},"
	"    {\"value\": \"m3\", \"score\": 0.6}]},"
	"   {\"id\": \"q7\", \"text\": \"?\", \"type\": \"text\", \"weight\": 0}]}]}]}";

static assess_qn_t *load(const char *text)
{
	char err[2048];
	assess_qn_t *qn;
	if (assess_qn_parse(text, strlen(text), "t.json", &qn, err, sizeof err))
		fail_msg("%s", err);
	return qn;
}

static void test_scores(void **state)
{
	(void)state;
	assess_qn_t *qn = load(QN);
	assess_result_t r;
	assert_int_equal(qn->nq, 7);
	assert_int_equal(qn->version, 2);
	const char *vals[7] = {"yes", "partial", "50", "y", "20", "m1,m3", "hi"};
	assert_int_equal(assess_score(qn, vals, &r), 0);
	/* a1 = (1 x 1 + 1 x 0.5 + 2 x 0.5) / 4 = 0.625; start-up met, q2 partial */
	assert_float_equal(r.ind[0].score, 0.625, 1e-12);
	assert_int_equal(r.ind[0].stage, 1);
	/* a2 = (0.5 + min(20/10, 1)) / 2 = 0.75; no staged question */
	assert_float_equal(r.ind[1].score, 0.75, 1e-12);
	assert_int_equal(r.ind[1].stage, -1);
	/* A = 20 x (0.625 + 3 x 0.75) / 4 = 14.375; B = 20 x 0.9 = 18 */
	assert_float_equal(r.pillar[0], 14.375, 1e-9);
	assert_float_equal(r.pillar[1], 18, 1e-9);
	/* total = 100 x (14.375 + 18) / 40 = 80.9375: tier 3 (55..85) */
	assert_float_equal(r.total, 80.9375, 1e-9);
	assert_string_equal(qn->tiers[r.tier].name, "Tier 3 - establishing");
	assert_int_equal(r.relevant, 7);
	assert_int_equal(r.answered, 7);
	assess_result_free(&r);

	/* q1 no: q2 not relevant, left out: a1 = (0 + 2 x 0.5) / 3; stage none */
	const char *v2[7] = {"no", "yes", "50", NULL, NULL, NULL, NULL};
	assert_int_equal(assess_score(qn, v2, &r), 0);
	assert_int_equal(r.q[1].relevant, 0);
	assert_float_equal(r.ind[0].score, 1.0 / 3, 1e-12);
	assert_int_equal(r.ind[0].stage, 0);
	/* a2 unanswered scores 0; b1 0: A = 20 x (1/3) / 4, total = A / 40 x 100 */
	assert_float_equal(r.pillar[0], 20.0 / 12, 1e-9);
	assert_float_equal(r.total, 100 * (20.0 / 12) / 40, 1e-9);
	assert_string_equal(qn->tiers[r.tier].name, "Tier 5 - building");
	assert_int_equal(r.relevant, 6);
	assert_int_equal(r.answered, 2);
	assess_result_free(&r);

	/* every stage met up to established: q1 yes, q2 yes, q3 100 */
	const char *v3[7] = {"yes", "yes", "100", NULL, NULL, NULL, NULL};
	assert_int_equal(assess_score(qn, v3, &r), 0);
	assert_int_equal(r.ind[0].stage, 3);
	assess_result_free(&r);
	/* established met but formative not: the stage stays start-up */
	const char *v4[7] = {"yes", "no", "100", NULL, NULL, NULL, NULL};
	assert_int_equal(assess_score(qn, v4, &r), 0);
	assert_int_equal(r.ind[0].stage, 1);
	assess_result_free(&r);
	assess_qn_free(qn);
}

static void test_answers(void **state)
{
	(void)state;
	assess_qn_t *qn = load(QN);
	char err[256];
	assert_int_equal(assess_answer_check(&qn->q[0], "yes", err, sizeof err), 0);
	assert_int_equal(assess_answer_check(&qn->q[0], "partial", err, sizeof err), -1);
	assert_non_null(strstr(err, "q1"));
	assert_int_equal(assess_answer_check(&qn->q[2], "100", err, sizeof err), 0);
	assert_int_equal(assess_answer_check(&qn->q[2], "101", err, sizeof err), -1);
	assert_int_equal(assess_answer_check(&qn->q[3], "w", err, sizeof err), -1);
	assert_int_equal(assess_answer_check(&qn->q[5], "m1,m2", err, sizeof err), 0);
	assert_int_equal(assess_answer_check(&qn->q[5], "m1,zz", err, sizeof err), -1);
	assert_non_null(strstr(err, "'zz'"));
	assert_int_equal(assess_answer_check(&qn->q[4], "nan", err, sizeof err), -1);
	assess_qn_free(qn);
}

static long find(void *arg, const char *id)
{
	(void)arg;
	return !strcmp(id, "a") ? 0 : !strcmp(id, "b") ? 1 : !strcmp(id, "m") ? 2 : -1;
}

static int eval(const char *text, const char *const *vals)
{
	char err[256];
	assess_cond_t *c;
	if (assess_cond_parse(text, find, NULL, &c, err, sizeof err))
		fail_msg("%s: %s", text, err);
	int r = assess_cond_eval(c, vals);
	assess_cond_free(c);
	return r;
}

static void test_conditions(void **state)
{
	(void)state;
	const char *v[3] = {"yes", "12", "m1,m3"};
	assert_int_equal(eval("${a} = 'yes'", v), 1);
	assert_int_equal(eval("${a} != \"yes\"", v), 0);
	assert_int_equal(eval("${b} > 9", v), 1);          /* as numbers, not "12" < "9" */
	assert_int_equal(eval("${b} >= 12 and ${b} < 12.5", v), 1);
	assert_int_equal(eval("not ${a} = 'yes' or ${b} = 12", v), 1);
	assert_int_equal(eval("not (${a} = 'yes' or ${b} = 12)", v), 0);
	assert_int_equal(eval("${a} = 'no' or ${a} = 'yes' and ${b} = 1", v), 0); /* and binds first */
	assert_int_equal(eval("selected(${m}, 'm3')", v), 1);
	assert_int_equal(eval("selected(${m}, 'm2')", v), 0);
	assert_int_equal(eval("count-selected(${m}) = 2", v), 1);
	const char *none[3] = {NULL, NULL, NULL};
	assert_int_equal(eval("${a} = ''", none), 1);       /* unanswered reads as '' */
	assert_int_equal(eval("${a}", none), 0);
	assert_int_equal(eval("count-selected(${m}) = 0", none), 1);

	static const struct { const char *text, *err; } bad[] = {
		{"${zz} = 'a'", "at 1: no earlier question 'zz'"},
		{"${a} = ", "unexpected end"},
		{"${a} = 'yes", "unterminated string"},
		{"${a} = 'yes' 'no'", "unexpected text"},
		{"selected(${m})", "selected(${q}, 'value') expected"},
		{"(((((((((((((((((((((((((((((((((((${a})))))))))))))))))))))))))))))))))", "nested too deeply"},
		{"", "unexpected end"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[256];
		assess_cond_t *c = NULL;
		if (!assess_cond_parse(bad[i].text, find, NULL, &c, err, sizeof err))
			fail_msg("'%s' accepted", bad[i].text);
		if (!strstr(err, bad[i].err))
			fail_msg("'%s': '%s', wanted '%s'", bad[i].text, err, bad[i].err);
		assert_null(c);
	}
}

static void test_invalid(void **state)
{
	(void)state;
	static const struct { const char *json, *err; } bad[] = {
		{"{\"name\": \"t\", \"version\": 1, \"pillars\": [{\"id\": \"A\", \"title\": \"A\", "
		 "\"indicators\": [{\"id\": \"a\", \"title\": \"a\", \"questions\": [{\"id\": \"q\", "
		 "\"text\": \"?\", \"type\": \"yes-no\"}, {\"id\": \"r\", \"text\": \"?\", \"type\": \"yesno\"}]}]}]}",
		 "t.json: $.pillars[0].indicators[0].questions[1].type: unknown type 'yesno'"},
		{"{\"name\": \"t\", \"version\": 1, \"pillars\": [{\"id\": \"A\", \"title\": \"A\", "
		 "\"indicators\": [{\"id\": \"a\", \"title\": \"a\", \"questions\": [{\"id\": \"q\", "
		 "\"text\": \"?\", \"type\": \"yes-no\", \"condition\": \"${r} = 'yes'\"}, {\"id\": \"r\", "
		 "\"text\": \"?\", \"type\": \"yes-no\"}]}]}]}",
		 "t.json: $.pillars[0].indicators[0].questions[0].condition: at 1: no earlier question 'r'"},
		{"{\"name\": \"t\", \"pillars\": []}", "t.json: $.version: missing"},
		{"{\"name\": \"t\", \"version\": 1, \"pillars\": [{\"id\": \"A\", \"title\": \"A\", \"weigth\": 2, "
		 "\"indicators\": []}]}", "t.json: $.pillars[0].weigth: unknown key"},
		{"{\"name\": \"t\", \"version\": 1,", "t.json:1:"},
		{"[1]", "t.json: $: not an object"},
		/* a hub figure must exist and suit its question's type */
		{"{\"name\": \"t\", \"version\": 1, \"pillars\": [{\"id\": \"A\", \"title\": \"A\", "
		 "\"indicators\": [{\"id\": \"a\", \"title\": \"a\", \"questions\": [{\"id\": \"q\", "
		 "\"text\": \"?\", \"type\": \"yes-no\", \"hub\": \"response_time\"}]}]}]}",
		 "t.json: $.pillars[0].indicators[0].questions[0].hub: unknown figure 'response_time' for a yes-no question"},
		{"{\"name\": \"t\", \"version\": 1, \"pillars\": [{\"id\": \"A\", \"title\": \"A\", "
		 "\"indicators\": [{\"id\": \"a\", \"title\": \"a\", \"questions\": [{\"id\": \"q\", "
		 "\"text\": \"?\", \"type\": \"number\", \"hub\": \"mean_time\"}]}]}]}",
		 "t.json: $.pillars[0].indicators[0].questions[0].hub: unknown figure 'mean_time'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[2048];
		assess_qn_t *qn = NULL;
		if (!assess_qn_parse(bad[i].json, strlen(bad[i].json), "t.json", &qn, err, sizeof err))
			fail_msg("case %zu accepted", i);
		if (!strstr(err, bad[i].err))
			fail_msg("case %zu: '%s', wanted '%s'", i, err, bad[i].err);
		assert_null(qn);
	}
}

/* Which figure answers which type (assess_hub_known). */
static void test_hub_figures(void **state)
{
	(void)state;
	assert_true(assess_hub_known("contacts_247", AQ_YESNO));
	assert_true(assess_hub_known("contacts_247", AQ_YPN));
	assert_false(assess_hub_known("contacts_247", AQ_NUMBER));
	assert_true(assess_hub_known("response_time", AQ_NUMBER));
	assert_false(assess_hub_known("response_time", AQ_PERCENT));
	assert_true(assess_hub_known("sla_resolution", AQ_PERCENT));
	assert_true(assess_hub_known("sla_ack", AQ_NUMBER));
	assert_false(assess_hub_known("sla_ack", AQ_TEXT));
	assert_false(assess_hub_known("nothing", AQ_NUMBER));
}

static void test_roadmap(void **state)
{
	(void)state;
	assess_qn_t *qn = load(QN);
	assess_rules_t *rs;
	assess_result_t r;
	assess_step_t *steps;
	size_t n;
	char err[1024];
	static const char RULES[] =
		"{\"actions\": ["
		" {\"id\": \"P\", \"action\": \"p\", \"area\": \"A\", \"owner\": \"o\", \"horizon\": \"short\"},"
		" {\"id\": \"A\", \"action\": \"a\", \"area\": \"A\", \"owner\": \"o\", \"horizon\": \"short\","
		"  \"prerequisites\": [\"P\"]},"
		" {\"id\": \"B\", \"action\": \"b\", \"area\": \"B\", \"owner\": \"o\", \"horizon\": \"short\"},"
		" {\"id\": \"C\", \"action\": \"c\", \"area\": \"A\", \"owner\": \"o\", \"horizon\": \"long\"},"
		" {\"id\": \"D\", \"action\": \"d\", \"area\": \"A\", \"owner\": \"o\", \"horizon\": \"long\"}],"
		" \"rules\": ["
		" {\"indicator\": \"a1\", \"below\": 0.8, \"actions\": [\"A\"]},"
		" {\"indicator\": \"b1\", \"below\": 1, \"actions\": [\"B\"]},"
		" {\"indicator\": \"a1\", \"stage\": \"established\", \"actions\": [\"C\"]},"
		" {\"indicator\": \"a2\", \"below\": 0.5, \"actions\": [\"D\"]},"
		" {\"indicator\": \"gone\", \"below\": 0.5, \"actions\": [\"D\"]}]}";
	if (assess_rules_parse(RULES, strlen(RULES), "r.json", &rs, err, sizeof err))
		fail_msg("%s", err);
	const char *vals[7] = {"yes", "partial", "50", "y", "20", "m1,m3", "hi"};
	assert_int_equal(assess_score(qn, vals, &r), 0);
	assert_int_equal(assess_plan(qn, &r, rs, &steps, &n), 0);
	/* a1's share of the total: 1/(1+3) x 1/2 = 0.125; b1's: 1 x 1/2.
	 * B: (1 - 0.9) x 0.5 x 100 = 5; C: (3 - 1)/5 x 0.125 x 100 = 5 (a tie:
	 * catalogue order); A: (0.8 - 0.625) x 0.125 x 100 = 2.1875, its
	 * prerequisite P pulled in at the same and placed first; a2 (0.75) is
	 * not below 0.5: no D */
	assert_int_equal(n, 4);
	const char *want[] = {"B", "C", "P", "A"};
	const double pri[] = {5, 5, 2.1875, 2.1875};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(rs->a[steps[i].action].id, want[i]);
		assert_float_equal(steps[i].priority, pri[i], 1e-9);
	}
	assert_string_equal(steps[3].why, "a1 0.62 < 0.80");
	assert_string_equal(steps[2].why, "prerequisite");
	assert_string_equal(steps[1].why, "a1 stage start-up < established");
	free(steps);
	assess_result_free(&r);
	assess_rules_free(rs);

	static const char CYCLE[] =
		"{\"actions\": ["
		" {\"id\": \"P\", \"action\": \"p\", \"area\": \"A\", \"owner\": \"o\", \"horizon\": \"s\","
		"  \"prerequisites\": [\"Q\"]},"
		" {\"id\": \"Q\", \"action\": \"q\", \"area\": \"A\", \"owner\": \"o\", \"horizon\": \"s\","
		"  \"prerequisites\": [\"P\"]}], \"rules\": [{\"indicator\": \"a1\", \"below\": 1,"
		"  \"actions\": [\"X\"]}]}";
	assert_int_equal(assess_rules_parse(CYCLE, strlen(CYCLE), "r.json", &rs, err, sizeof err), -1);
	assert_non_null(strstr(err, "r.json: $.actions[0]: its prerequisites come back to it"));
	assert_non_null(strstr(err, "r.json: $.rules[0].actions[0]: no action 'X'"));
	assess_qn_free(qn);
}

/* The shipped questionnaire and rules load, and every rule names one of
 * the questionnaire's indicators. */
static void test_shipped(void **state)
{
	(void)state;
	char err[4096];
	assess_qn_t *qn = load(data_assess_default_json);
	assess_rules_t *rs;
	assert_int_equal(qn->np, 5);
	assert_true(qn->nq >= 40 && qn->nq <= 60);
	if (assess_rules_parse(data_assess_roadmap_json, strlen(data_assess_roadmap_json), "roadmap.json",
			       &rs, err, sizeof err))
		fail_msg("%s", err);
	for (size_t i = 0; i < rs->nr; i++)
		if (assess_ind_find(qn, rs->r[i].indicator) < 0)
			fail_msg("rule %zu: no indicator %s", i, rs->r[i].indicator);
	assess_rules_free(rs);
	assess_qn_free(qn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scores),     cmocka_unit_test(test_answers),
		cmocka_unit_test(test_conditions), cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_roadmap),    cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_hub_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
