/* test_cindex.c — the composite index (src/cindex/): each normalisation and
 * aggregation on small matrices checked by hand, the missing-value rules,
 * the geometric refusal, weights (expert, budget), the driving pillar, the
 * Monte Carlo's reproducibility, the CSV readers' errors, and the Technology
 * Achievement Index against the figures the OECD/JRC Handbook and HDR 2001
 * published (tests/data/tai/, SOURCE.md). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cindex/cindex.h"

#define TAI "tests/data/tai/"
#define NEAR(a, b, eps) assert_true(fabs((a) - (b)) <= (eps))

/* Parse a matrix (and pillars) from strings; fails the test on error. */
static cindex_data_t *parse(const char *m, const char *p)
{
	cindex_data_t *d = NULL;
	char err[512];
	int rc = cindex_data_parse("m.csv", m, strlen(m), "p.csv", p, p ? strlen(p) : 0, &d, err, sizeof err);
	if (rc)
		fail_msg("parse: %s", err);
	return d;
}

/* Compute; fails the test on error. */
static cindex_result_t *run(const cindex_data_t *d, const cindex_opts_t *o)
{
	cindex_result_t *r = NULL;
	char err[512];
	if (cindex_compute(cindex_data_input(d), o, &r, err, sizeof err))
		fail_msg("compute: %s", err);
	return r;
}

/* The error of a computation that must fail. */
static void compute_fails(const cindex_data_t *d, const cindex_opts_t *o, const char *want)
{
	cindex_result_t *r = NULL;
	char err[512];
	assert_int_equal(cindex_compute(cindex_data_input(d), o, &r, err, sizeof err), -1);
	assert_null(r);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void parse_fails(const char *m, const char *p, const char *want)
{
	cindex_data_t *d = NULL;
	char err[512];
	assert_int_equal(cindex_data_parse("m.csv", m, strlen(m), "p.csv", p, p ? strlen(p) : 0, &d, err, sizeof err),
			 -1);
	assert_null(d);
	if (!strstr(err, want))
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static long ent(const cindex_data_t *d, const char *name)
{
	const cindex_input_t *in = cindex_data_input(d);
	for (size_t i = 0; i < in->n_ent; i++)
		if (!strcmp(in->ent_names[i], name))
			return (long)i;
	fail_msg("no entity %s", name);
	return -1;
}

static long ind(const cindex_data_t *d, const char *name)
{
	const cindex_input_t *in = cindex_data_input(d);
	for (size_t j = 0; j < in->n_ind; j++)
		if (!strcmp(in->ind_names[j], name))
			return (long)j;
	fail_msg("no indicator %s", name);
	return -1;
}

/* ---- normalisations and aggregations, by hand ---- */

/* min-max, one indicator lower-is-better, two pillars */
static void test_minmax(void **state)
{
	(void)state;
	cindex_data_t *d = parse("entity,a,b,c\nX,0,10,1\nY,5,30,3\nZ,10,20,2\n",
				 "indicator,pillar,direction\na,P,+1\nb,P,lower\nc,Q,1\n");
	cindex_opts_t o;
	cindex_opts_default(&o);
	cindex_result_t *r = run(d, &o);
	/* a: 0, .5, 1; b (lower): 1, 0, .5; c: 0, 1, .5 */
	double want[9] = {0, 1, 0, 0.5, 0, 1, 1, 0.5, 0.5};
	for (int k = 0; k < 9; k++)
		NEAR(r->norm[k], want[k], 1e-12);
	/* pillar P = mean(a, b), Q = c; composite = mean(P, Q) */
	NEAR(r->pillar[0], 0.5, 1e-12);
	NEAR(r->pillar[2], 0.25, 1e-12);
	NEAR(r->pillar[4], 0.75, 1e-12);
	NEAR(r->score[0], 0.25, 1e-12);
	NEAR(r->score[1], 0.625, 1e-12);
	NEAR(r->score[2], 0.625, 1e-12);
	/* ties share the best rank */
	assert_int_equal(r->rank[0], 3);
	assert_int_equal(r->rank[1], 1);
	assert_int_equal(r->rank[2], 1);
	assert_non_null(strstr(r->method, "normalisation=minmax weights=equal aggregation=arith missing=exclude"));
	NEAR(r->ind_w[0], 0.5, 1e-12);
	NEAR(r->pil_w[1], 0.5, 1e-12);
	cindex_result_free(r);
	cindex_data_free(d);
}

/* z-score (sample sd), rank (ties the lowest), target, goalposts */
static void test_other_norms(void **state)
{
	(void)state;
	cindex_data_t *d = parse("entity,a,b\nX,1,5\nY,2,3\nZ,3,5\nW,6,1\n",
				 "indicator,pillar,direction,min,max,target\na,P,1,2,4,2\nb,P,-1,0,10,4\n");
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_ZSCORE;
	cindex_result_t *r = run(d, &o);
	/* a: mean 3, sample sd sqrt(14/3) */
	double sd = sqrt(14.0 / 3.0);
	NEAR(r->norm[0 * 2], (1 - 3) / sd, 1e-12);
	NEAR(r->norm[3 * 2], (6 - 3) / sd, 1e-12);
	/* b lower-better: mean 3.5, sd sqrt(11/3), negated */
	NEAR(r->norm[0 * 2 + 1], -(5 - 3.5) / sqrt(11.0 / 3.0), 1e-12);
	cindex_result_free(r);

	o.norm = CINDEX_NORM_RANK;
	r = run(d, &o);
	/* a: 1 2 3 4; b lower-better: 5,3,5,1 -> worst two share 1, then 3, best 4 */
	double ra[4] = {1, 2, 3, 4}, rb[4] = {1, 3, 1, 4};
	for (int i = 0; i < 4; i++) {
		NEAR(r->norm[i * 2], ra[i], 0);
		NEAR(r->norm[i * 2 + 1], rb[i], 0);
	}
	cindex_result_free(r);

	o.norm = CINDEX_NORM_TARGET;
	r = run(d, &o);
	NEAR(r->norm[1 * 2], 2.0 / 2.0, 1e-12);   /* a: x / t */
	NEAR(r->norm[3 * 2], 6.0 / 2.0, 1e-12);
	NEAR(r->norm[0 * 2 + 1], 4.0 / 5.0, 1e-12); /* b lower: t / x */
	NEAR(r->norm[3 * 2 + 1], 4.0 / 1.0, 1e-12);
	cindex_result_free(r);

	o.norm = CINDEX_NORM_GOALPOSTS;
	r = run(d, &o);
	NEAR(r->norm[0 * 2], 0, 0);     /* 1 below the min 2: clipped */
	NEAR(r->norm[2 * 2], 0.5, 1e-12);
	NEAR(r->norm[3 * 2], 1, 0);     /* 6 above the max 4: clipped */
	NEAR(r->norm[0 * 2 + 1], 0.5, 1e-12); /* lower: 1 - 5/10 */
	NEAR(r->norm[3 * 2 + 1], 0.9, 1e-12);
	cindex_result_free(r);
	cindex_data_free(d);

	/* target and goalposts need their figures, named */
	d = parse("entity,a\nX,1\nY,2\n", NULL);
	o.norm = CINDEX_NORM_TARGET;
	compute_fails(d, &o, "indicator a: target normalisation needs its target");
	o.norm = CINDEX_NORM_GOALPOSTS;
	compute_fails(d, &o, "indicator a: goalposts normalisation needs its min and max");
	cindex_data_free(d);
	/* a lower-is-better 0 has no distance to a target */
	d = parse("entity,a\nX,0\nY,2\n", "indicator,pillar,direction,target\na,P,-1,3\n");
	o.norm = CINDEX_NORM_TARGET;
	compute_fails(d, &o, "entity X, indicator a");
	cindex_data_free(d);
}

/* geometric: the weighted geometric mean at both levels, and the refusal */
static void test_geometric(void **state)
{
	(void)state;
	cindex_data_t *d = parse("entity,a,b,c\nX,2.5,10,4\nY,10,2.5,1\n",
				 "indicator,pillar,min,max\na,P,0,10\nb,P,0,10\nc,Q,0,4\n");
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_GOALPOSTS;
	o.agg = CINDEX_AGG_GEOM;
	cindex_result_t *r = run(d, &o);
	/* X: P = sqrt(.25 * 1) = .5, Q = 1, composite sqrt(.5 * 1) */
	NEAR(r->pillar[0], 0.5, 1e-12);
	NEAR(r->pillar[1], 1, 1e-12);
	NEAR(r->score[0], sqrt(0.5), 1e-12);
	/* Y: P = .5, Q = .25, composite sqrt(.125) */
	NEAR(r->score[1], sqrt(0.125), 1e-12);
	assert_int_equal(r->rank[0], 1);
	cindex_result_free(r);
	/* min-max gives the laggard a 0: refused, naming entity and indicator */
	o.norm = CINDEX_NORM_MINMAX;
	compute_fails(d, &o, "geometric aggregation needs positive values: entity X, indicator a is 0");
	/* z-scores are negative below the mean */
	o.norm = CINDEX_NORM_ZSCORE;
	compute_fails(d, &o, "geometric aggregation needs positive values: entity X, indicator a");
	cindex_data_free(d);
}

/* ---- missing values ---- */

static void test_missing_exclude(void **state)
{
	(void)state;
	cindex_data_t *d = parse("entity,a,b,c\nX,0,,0\nY,10,10,10\nZ,5,0,NA\nV,NA,,na\n",
				 "indicator,pillar\na,P\nb,P\nc,Q\n");
	cindex_opts_t o;
	cindex_opts_default(&o);
	cindex_result_t *r = run(d, &o);
	/* X: P from a alone (0), Q = 0 */
	assert_true(isnan(r->norm[0 * 3 + 1]));
	NEAR(r->pillar[0 * 2], 0, 0);
	/* Z: P = mean(.5, 0) = .25; Q missing, so the composite is P alone */
	assert_true(isnan(r->pillar[2 * 2 + 1]));
	NEAR(r->score[2], 0.25, 1e-12);
	/* V has nothing: unranked */
	assert_true(isnan(r->score[3]));
	assert_int_equal(r->rank[3], 0);
	assert_int_equal(r->rank[1], 1);
	assert_int_equal(r->rank[2], 2);
	assert_int_equal(r->rank[0], 3);
	cindex_result_free(r);
	cindex_data_free(d);
}

static void test_missing_impute(void **state)
{
	(void)state;
	/* groups: the mean of the entity's group, else of all */
	cindex_data_t *d = parse("entity,group,a,b\nX,north,1,10\nY,north,,20\nZ,south,7,\nW,north,5,30\n", NULL);
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.missing = CINDEX_MISS_IMPUTE;
	cindex_result_t *r = run(d, &o);
	/* Y's a = mean(1, 5) = 3 (north); Z's b = mean(10, 20, 30) = 20 (south has none) */
	long y = ent(d, "Y"), z = ent(d, "Z");
	assert_true(r->imputed[y * 2 + 0]);
	assert_true(r->imputed[z * 2 + 1]);
	assert_false(r->imputed[0]);
	/* a: 1, 3, 7, 5 -> min-max (3 - 1) / 6 */
	NEAR(r->norm[y * 2 + 0], 2.0 / 6.0, 1e-12);
	NEAR(r->norm[z * 2 + 1], 0.5, 1e-12);
	assert_non_null(strstr(r->method, "missing=impute"));
	cindex_result_free(r);
	cindex_data_free(d);
	/* an indicator with no value cannot be imputed */
	d = parse("entity,a,b\nX,1,\nY,2,\n", NULL);
	compute_fails(d, &o, "indicator b: no value to impute from");
	cindex_data_free(d);
}

/* ---- weights ---- */

static void test_weights(void **state)
{
	(void)state;
	cindex_data_t *d = parse("entity,a,b,c\nX,1,0,0\nY,0,1,1\n", "indicator,pillar\na,P\nb,P\nc,Q\n");
	cindex_opts_t o;
	char err[512];
	cindex_opts_default(&o);
	const char *expert = "name,weight\nP,3\nQ,1\na,1\nb,3\n";
	assert_int_equal(cindex_weights_parse(d, "w.csv", expert, strlen(expert), &o, err, sizeof err), 0);
	cindex_result_t *r = run(d, &o);
	NEAR(r->pil_w[0], 0.75, 1e-12);
	NEAR(r->ind_w[0], 0.25, 1e-12);
	NEAR(r->ind_w[1], 0.75, 1e-12);
	NEAR(r->ind_w[2], 1, 1e-12);
	/* X: P = .25, Q = 0 -> .1875; Y: P = .75, Q = 1 -> .8125 */
	NEAR(r->score[0], 0.1875, 1e-12);
	NEAR(r->score[1], 0.8125, 1e-12);
	assert_non_null(strstr(r->method, "weights=expert"));
	cindex_result_free(r);

	/* budget allocation: each expert's row to 1, then the mean */
	const char *budget = "expert,P,Q\nann,60,40\nbob,20,80\n";
	cindex_opts_default(&o);
	assert_int_equal(cindex_weights_parse(d, "b.csv", budget, strlen(budget), &o, err, sizeof err), 0);
	assert_int_equal(o.n_experts, 2);
	r = run(d, &o);
	NEAR(r->pil_w[0], 0.4, 1e-12);
	NEAR(r->pil_w[1], 0.6, 1e-12);
	NEAR(r->ind_w[0], 0.5, 1e-12); /* not named: equal */
	assert_non_null(strstr(r->method, "weights=budget(2 experts)"));
	cindex_result_free(r);

	/* errors name the file, line and field */
	static const struct { const char *text, *want; } bad[] = {
		{"name,weight\nP,1\n", "w.csv:1: pillar Q has no weight"},
		{"name,weight\na,1\nP,1\nQ,1\n", "w.csv:1: indicator b has no weight"},
		{"name,weight\nP,1\nQ,-2\n", "w.csv:3:weight: \"-2\" is not a number >= 0"},
		{"name,weight\nP,1\nZ,2\n", "w.csv:3:name: \"Z\" is neither a pillar nor an indicator"},
		{"name,weight\nP,1\nP,2\nQ,1\n", "w.csv:3:name: P has a weight already"},
		{"expert,P,Q\nann,1\n", "w.csv:2: 2 fields, the header has 3"},
		{"expert,P,Q\nann,0,0\n", "w.csv:2: the expert allocates nothing to the pillars"},
		{"expert,P,Q\n", "w.csv:2: no expert row"},
		{"weights\n1\n", "w.csv:1: the header must be"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		cindex_opts_default(&o);
		assert_int_equal(cindex_weights_parse(d, "w.csv", bad[k].text, strlen(bad[k].text), &o, err, sizeof err),
				 -1);
		if (!strstr(err, bad[k].want))
			fail_msg("weights %zu: \"%s\" lacks \"%s\"", k, err, bad[k].want);
		assert_int_equal(o.wmethod, CINDEX_W_EQUAL); /* unchanged */
	}
	/* all-zero weights in a group are refused at compute time */
	cindex_opts_default(&o);
	const char *zero = "name,weight\nP,0\nQ,0\n";
	assert_int_equal(cindex_weights_parse(d, "z.csv", zero, strlen(zero), &o, err, sizeof err), 0);
	compute_fails(d, &o, "pillar weights: each >= 0, not all 0");
	cindex_data_free(d);
}

/* ---- the driving pillar ---- */

static void test_drivers(void **state)
{
	(void)state;
	/* X leads on p only, Y on q only, Z middling on both (goalposts 0..10) */
	cindex_data_t *d = parse("entity,p,q\nX,10,0\nY,0,9\nZ,6,6\n",
				 "indicator,pillar,min,max\np,p,0,10\nq,q,0,10\n");
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_GOALPOSTS;
	cindex_result_t *r = run(d, &o);
	/* scores X .5, Y .45, Z .6 */
	assert_int_equal(r->rank[2], 1);
	assert_int_equal(r->rank[0], 2);
	assert_int_equal(r->rank[1], 3);
	assert_int_equal(r->driver_contrib[0], 0); /* X's largest contribution: p */
	assert_int_equal(r->driver_contrib[1], 1);
	/* X: without p it falls 2 -> 3 (+1), without q it rises to 1 (-1): the
	 * tie goes to the first pillar */
	assert_int_equal(r->driver_removal[0], 0);
	assert_int_equal(r->removal_shift[0], 1);
	/* Y: without q it stays 3rd, without p it rises 3 -> 1 */
	assert_int_equal(r->driver_removal[1], 0);
	assert_int_equal(r->removal_shift[1], -2);
	cindex_result_free(r);
	cindex_data_free(d);
}

/* ---- the generator and the Monte Carlo ---- */

static void test_rng(void **state)
{
	(void)state;
	/* splitmix64 seeded with 1234567: the reference sequence */
	cindex_rng_t g;
	cindex_rng_seed(&g, 1234567);
	assert_true(g.s[0] == 6457827717110365317ull);
	assert_true(g.s[1] == 3203168211198807973ull);
	assert_true(g.s[2] == 9817491932198370423ull);
	assert_true(g.s[3] == 4593380528125082431ull);
	/* xoshiro256** from that state (the bench's numpy twin agrees) */
	assert_true(cindex_rng_next(&g) == 3504822795582309479ull);
	assert_true(cindex_rng_next(&g) == 1819558768956484042ull);
	assert_true(cindex_rng_next(&g) == 1250851346055027673ull);
	for (int i = 0; i < 1000; i++) {
		double u = cindex_rng_uniform(&g);
		assert_true(u >= 0 && u < 1);
	}
}

/* A random matrix of n entities x m indicators in 4 pillars. */
static cindex_data_t *random_data(size_t n, size_t m, uint64_t seed)
{
	char *mx = malloc(n * m * 12 + m * 8 + 64), *px = malloc(m * 16 + 64);
	size_t k = 0, q = 0;
	cindex_rng_t g;
	cindex_rng_seed(&g, seed);
	k += (size_t)sprintf(mx + k, "entity");
	q += (size_t)sprintf(px + q, "indicator,pillar\n");
	for (size_t j = 0; j < m; j++) {
		k += (size_t)sprintf(mx + k, ",i%zu", j);
		q += (size_t)sprintf(px + q, "i%zu,p%zu\n", j, j % 4);
	}
	mx[k++] = '\n';
	for (size_t i = 0; i < n; i++) {
		k += (size_t)sprintf(mx + k, "e%zu", i);
		for (size_t j = 0; j < m; j++)
			k += (size_t)sprintf(mx + k, ",%.4f", 1 + 9 * cindex_rng_uniform(&g));
		mx[k++] = '\n';
	}
	mx[k] = 0;
	cindex_data_t *d = parse(mx, px);
	free(mx);
	free(px);
	return d;
}

static void test_monte_carlo(void **state)
{
	(void)state;
	cindex_data_t *d = random_data(30, 12, 99);
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.runs = 500;
	o.seed = 42;
	cindex_result_t *a = run(d, &o), *b = run(d, &o);
	/* the same seed: the same figures, to the bit */
	assert_memory_equal(a->mc_median, b->mc_median, 30 * sizeof(size_t));
	assert_memory_equal(a->mc_p05, b->mc_p05, 30 * sizeof(size_t));
	assert_memory_equal(a->mc_p95, b->mc_p95, 30 * sizeof(size_t));
	assert_memory_equal(a->mc_mean_score, b->mc_mean_score, 30 * sizeof(double));
	int inside = 0;
	for (size_t i = 0; i < 30; i++) {
		assert_true(a->mc_p05[i] <= a->mc_median[i] && a->mc_median[i] <= a->mc_p95[i]);
		assert_true(a->mc_p05[i] >= 1 && a->mc_p95[i] <= 30);
		inside += a->mc_p05[i] <= a->rank[i] && a->rank[i] <= a->mc_p95[i];
	}
	assert_true(inside >= 27); /* the nominal rank is mostly within 5-95 % */
	assert_non_null(strstr(a->method, "monte_carlo=500 runs seed=42 weights=uniform spread=0.2"));
	cindex_result_free(b);
	/* another seed: other draws */
	o.seed = 43;
	b = run(d, &o);
	assert_true(memcmp(a->mc_mean_score, b->mc_mean_score, 30 * sizeof(double)) != 0);
	cindex_result_free(b);
	/* no spread: every run is the nominal index */
	o.mc_spread = 0;
	b = run(d, &o);
	for (size_t i = 0; i < 30; i++) {
		assert_int_equal(b->mc_median[i], b->rank[i]);
		assert_int_equal(b->mc_p05[i], b->rank[i]);
		assert_int_equal(b->mc_p95[i], b->rank[i]);
		NEAR(b->mc_mean_score[i], b->score[i], 1e-12);
	}
	cindex_result_free(b);
	/* Dirichlet, and the normalisation and aggregation drawn too: the
	 * values are all positive, so nothing is excluded but geom with
	 * min-max (its zeros) and z-scores */
	o.mc_weights = CINDEX_MC_DIRICHLET;
	o.mc_spread = 20;
	o.mc_norm = o.mc_agg = 1;
	b = run(d, &o);
	assert_string_equal(b->mc_excluded, "minmax+geom, zscore+geom");
	assert_non_null(strstr(b->method, "(not drawn: minmax+geom, zscore+geom)"));
	cindex_result_t *c = run(d, &o);
	assert_memory_equal(b->mc_median, c->mc_median, 30 * sizeof(size_t));
	cindex_result_free(c);
	cindex_result_free(b);
	cindex_result_free(a);
	/* a spread out of range is refused */
	o.mc_weights = CINDEX_MC_UNIFORM;
	o.mc_spread = 1.5;
	compute_fails(d, &o, "spread");
	cindex_data_free(d);
}

/* ---- the readers ---- */

static void test_csv_errors(void **state)
{
	(void)state;
	parse_fails("", NULL, "m.csv:1: empty");
	parse_fails("entity\nX\n", NULL, "m.csv:1: the header names no indicator");
	parse_fails("entity,a\n", NULL, "m.csv:2: no entity");
	parse_fails("entity,a,b\nX,1\n", NULL, "m.csv:2: 2 fields, the header has 3");
	parse_fails("entity,a\nX,1\n\n# note\nY,1e\n", NULL, "m.csv:5:a: \"1e\" is not a number");
	parse_fails("entity,a\nX,inf\n", NULL, "m.csv:2:a: \"inf\" is not a number");
	parse_fails("entity,a\nX,0x10\n", NULL, "m.csv:2:a");
	parse_fails("entity,a\nX,1\nX,2\n", NULL, "m.csv:3:entity: X is named twice");
	parse_fails("entity,a,a\nX,1,2\n", NULL, "m.csv:1:a: indicator named twice");
	parse_fails("entity,a\n\"X,1\n", NULL, "m.csv:2:1: unterminated quoted field");
	parse_fails("entity,a\n\"X\"y,1\n", NULL, "m.csv:2:1: text after a quoted field");
	parse_fails("entity,a\nX,\xff\n", NULL, "m.csv:2:2: not UTF-8");
	parse_fails("entity,a\nX,1\n", "indicator\na\n", "p.csv:1: the header needs the columns indicator and pillar");
	parse_fails("entity,a\nX,1\n", "indicator,pillar,colour\na,P,red\n", "p.csv:1:3: unknown column \"colour\"");
	parse_fails("entity,a,b\nX,1,2\n", "indicator,pillar\na,P\n", "p.csv:3:indicator: b (a column of the matrix) has no row");
	parse_fails("entity,a\nX,1\n", "indicator,pillar\na,P\nz,P\n", "p.csv:3:indicator: \"z\" is not a column of the matrix");
	parse_fails("entity,a\nX,1\n", "indicator,pillar\na,P\na,Q\n", "p.csv:3:indicator: a already on line 2");
	parse_fails("entity,a\nX,1\n", "indicator,pillar,direction\na,P,up\n", "p.csv:2:direction: \"up\"");
	parse_fails("entity,a\nX,1\n", "indicator,pillar,transform\na,P,sqrt\n", "p.csv:2:transform: \"sqrt\"");
	parse_fails("entity,a\nX,1\n", "indicator,pillar,min,max\na,P,5,5\n", "p.csv:2:max: the max goalpost must be above the min");
	parse_fails("entity,a\nX,1\n", "indicator,pillar,target\na,P,0\n", "p.csv:2:target: a target must not be 0");

	/* quoted names, CR LF, blanks, comments and NA are read */
	cindex_data_t *d = parse("# comment\r\nentity,\"a,1\",b\r\n\"Korea, Rep. of\", 2 ,NA\r\n\"say \"\"hi\"\"\",3.5e1,\r\n", NULL);
	const cindex_input_t *in = cindex_data_input(d);
	assert_int_equal(in->n_ent, 2);
	assert_string_equal(in->ent_names[0], "Korea, Rep. of");
	assert_string_equal(in->ent_names[1], "say \"hi\"");
	assert_string_equal(in->ind_names[0], "a,1");
	NEAR(in->x[0], 2, 0);
	assert_true(isnan(in->x[1]));
	NEAR(in->x[2], 35, 0);
	assert_true(isnan(in->x[3]));
	assert_int_equal(in->n_pillar, 2); /* each indicator its own pillar */
	cindex_data_free(d);

	/* a log of a value <= 0 is named */
	d = parse("entity,a\nX,0\nY,10\n", "indicator,pillar,transform\na,P,log10\n");
	cindex_opts_t o;
	cindex_opts_default(&o);
	compute_fails(d, &o, "entity X, indicator a: log10 of a value <= 0");
	cindex_data_free(d);
	d = parse("entity,a\nX,1\nY,100\n", "indicator,pillar,transform,min,max\na,P,log10,1,1000\n");
	o.norm = CINDEX_NORM_GOALPOSTS;
	cindex_result_t *r = run(d, &o);
	NEAR(r->norm[1], 2.0 / 3.0, 1e-12); /* log10 100 on goalposts log10 1 .. log10 1000 */
	cindex_result_free(r);
	cindex_data_free(d);
}

/* The JSON and CSV writers: rank order, the options stated. */
static void test_output(void **state)
{
	(void)state;
	cindex_data_t *d = parse("entity,a,b\nlow,0,0\nhigh,10,10\n\"mid, ish\",5,5\n", NULL);
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.runs = 10;
	cindex_result_t *r = run(d, &o);
	char *j = cindex_result_json(cindex_data_input(d), &o, r), *c = cindex_result_csv(cindex_data_input(d), r);
	assert_non_null(j);
	assert_non_null(c);
	assert_non_null(strstr(j, "\"normalisation\": \"minmax\""));
	assert_non_null(strstr(j, "\"median_rank\": 1"));
	char *h = strstr(j, "\"high\""), *m = strstr(j, "\"mid, ish\""), *l = strstr(j, "\"low\"");
	assert_true(h && m && l && h < m && m < l);
	assert_non_null(strstr(c, "# normalisation=minmax"));
	assert_non_null(strstr(c, "entity,rank,score,a,b,driver_contribution,driver_removal,removal_shift,mc_median_rank"));
	assert_non_null(strstr(c, "\nhigh,1,1,1,1,"));
	assert_non_null(strstr(c, "\n\"mid, ish\",2,0.5,"));
	free(j);
	free(c);
	cindex_result_free(r);
	cindex_data_free(d);
}

/* ---- the Technology Achievement Index (tests/data/tai/SOURCE.md) ---- */

static cindex_data_t *tai_data(void)
{
	cindex_data_t *d = NULL;
	char err[512];
	if (cindex_data_read(TAI "tai.csv", TAI "pillars.csv", &d, err, sizeof err))
		fail_msg("%s", err);
	return d;
}

static cindex_data_t *expected(const char *file)
{
	cindex_data_t *d = NULL;
	char err[512];
	if (cindex_data_read(file, NULL, &d, err, sizeof err))
		fail_msg("%s", err);
	return d;
}

/* The Handbook's equal-weight ranking (Table 23), all 23 countries. */
static void test_tai_table23(void **state)
{
	(void)state;
	cindex_data_t *d = tai_data(), *e = expected(TAI "expected_table23.csv");
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_GOALPOSTS;
	cindex_result_t *r = run(d, &o);
	const cindex_input_t *ei = cindex_data_input(e);
	assert_int_equal(ei->n_ent, 23);
	for (size_t k = 0; k < ei->n_ent; k++) {
		long i = ent(d, ei->ent_names[k]);
		if (r->rank[i] != (size_t)ei->x[k])
			fail_msg("%s: rank %zu, Table 23 %g", ei->ent_names[k], r->rank[i], ei->x[k]);
	}
	cindex_result_free(r);
	cindex_data_free(e);
	cindex_data_free(d);
}

/* Figure 4: Finland's and Japan's normalised scores and TAI, x 100. */
static void test_tai_figure4(void **state)
{
	(void)state;
	cindex_data_t *d = tai_data(), *e = expected(TAI "expected_figure4.csv");
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_GOALPOSTS;
	cindex_result_t *r = run(d, &o);
	const cindex_input_t *ei = cindex_data_input(e);
	int checked = 0;
	for (size_t k = 0; k < ei->n_ent; k++) {
		long i = ent(d, ei->ent_names[k]);
		for (size_t c = 0; c < ei->n_ind; c++) {
			double got = !strcmp(ei->ind_names[c], "TAI") ? r->score[i]
								       : r->norm[i * r->n_ind + (size_t)ind(d, ei->ind_names[c])];
			double want = ei->x[k * ei->n_ind + c];
			if (round(got * 100) != want)
				fail_msg("%s %s: %.4f, Figure 4 %g", ei->ent_names[k], ei->ind_names[c], got, want);
			checked++;
		}
	}
	assert_int_equal(checked, 18);
	cindex_result_free(r);
	cindex_data_free(e);
	cindex_data_free(d);
}

/* Table 15: schooling by rank, z-score, min-max, ratio to best and worst. */
static void test_tai_table15(void **state)
{
	(void)state;
	cindex_data_t *d = tai_data(), *e = expected(TAI "expected_table15.csv");
	const cindex_input_t *in = cindex_data_input(d), *ei = cindex_data_input(e);
	size_t n = in->n_ent, s = (size_t)ind(d, "schooling");
	/* schooling alone, one pillar */
	double *x = malloc(n * sizeof *x), tb = 12, tw = 7.1;
	size_t pil = 0;
	for (size_t i = 0; i < n; i++)
		x[i] = in->x[i * in->n_ind + s];
	cindex_input_t one = {.n_ent = n, .n_ind = 1, .n_pillar = 1, .x = x, .ent_names = in->ent_names,
			      .ind_pillar = &pil, .target = &tb};
	static const struct { const char *col; cindex_norm_t norm; int worst; } cols[] = {
		{"rank", CINDEX_NORM_RANK, 0},     {"zscore", CINDEX_NORM_ZSCORE, 0},
		{"minmax", CINDEX_NORM_MINMAX, 0}, {"ratio_best", CINDEX_NORM_TARGET, 0},
		{"ratio_worst", CINDEX_NORM_TARGET, 1},
	};
	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
		cindex_opts_t o;
		cindex_opts_default(&o);
		o.norm = cols[c].norm;
		one.target = cols[c].worst ? &tw : &tb;
		cindex_result_t *r = NULL;
		char err[256];
		assert_int_equal(cindex_compute(&one, &o, &r, err, sizeof err), 0);
		size_t col = (size_t)ind(e, cols[c].col);
		for (size_t k = 0; k < ei->n_ent; k++) {
			long i = ent(d, ei->ent_names[k]);
			double want = ei->x[k * ei->n_ind + col], got = round(r->norm[i] * 100) / 100;
			if (fabs(got - want) > 1e-9)
				fail_msg("%s %s: %.4f, Table 15 %g", ei->ent_names[k], cols[c].col, r->norm[i], want);
		}
		cindex_result_free(r);
	}
	free(x);
	cindex_data_free(e);
	cindex_data_free(d);
}

/* HDR 2001's published TAI values (two decimals, via NationMaster). */
static void test_tai_hdr2001(void **state)
{
	(void)state;
	cindex_data_t *d = tai_data(), *e = expected(TAI "expected_hdr2001.csv");
	cindex_opts_t o;
	cindex_opts_default(&o);
	o.norm = CINDEX_NORM_GOALPOSTS;
	cindex_result_t *r = run(d, &o);
	const cindex_input_t *ei = cindex_data_input(e);
	int exact = 0;
	assert_int_equal(ei->n_ent, 22);
	for (size_t k = 0; k < ei->n_ent; k++) {
		long i = ent(d, ei->ent_names[k]);
		if (fabs(r->score[i] - ei->x[k]) > 0.006)
			fail_msg("%s: %.4f, published %.2f", ei->ent_names[k], r->score[i], ei->x[k]);
		exact += fabs(round(r->score[i] * 100) / 100 - ei->x[k]) < 1e-9;
	}
	assert_int_equal(exact, 21); /* all but Israel (0.5151, printed 0.51) */
	/* the Monte Carlo on the TAI keeps Finland in the top two */
	o.runs = 2000;
	o.seed = 2001;
	cindex_result_t *m = run(d, &o);
	long fi = ent(d, "Finland");
	assert_int_equal(m->mc_median[fi], 1);
	assert_true(m->mc_p95[fi] <= 2);
	cindex_result_free(m);
	cindex_result_free(r);
	cindex_data_free(e);
	cindex_data_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minmax),       cmocka_unit_test(test_other_norms),
		cmocka_unit_test(test_geometric),    cmocka_unit_test(test_missing_exclude),
		cmocka_unit_test(test_missing_impute), cmocka_unit_test(test_weights),
		cmocka_unit_test(test_drivers),      cmocka_unit_test(test_rng),
		cmocka_unit_test(test_monte_carlo),  cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_output),       cmocka_unit_test(test_tai_table23),
		cmocka_unit_test(test_tai_figure4),  cmocka_unit_test(test_tai_table15),
		cmocka_unit_test(test_tai_hdr2001),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
