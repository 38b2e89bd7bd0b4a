/* cli_cindex.c — `c5hub assess index`: the composite index across many
 * entities from a CSV matrix (src/cindex/), with its Monte Carlo, as a
 * table, JSON or CSV.  Needs no database. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cindex/cindex.h"
#include "cli.h"

#define USAGE                                                                                          \
	"usage: c5hub assess index --input FILE.csv [--pillars FILE] "                                   \
	"[--normalise minmax|zscore|rank|target|goalposts] [--weights equal|FILE] [--aggregate arith|geom] " \
	"[--missing exclude|impute] [--runs N] [--seed S] [--mc-weights uniform|dirichlet] [--spread X] " \
	"[--mc-normalise] [--mc-aggregate] [--json|--csv]"

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* By rank, unranked last, ties in input order. */
static int cmp_rank(const void *a, const void *b, void *arg)
{
	const cindex_result_t *r = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t rx = r->rank[x] ? r->rank[x] : SIZE_MAX, ry = r->rank[y] ? r->rank[y] : SIZE_MAX;
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The table: rank, entity, score, the Monte Carlo interval, the driver. */
static void print_table(const cindex_input_t *in, const cindex_result_t *r)
{
	printf("# %s\n", r->method);
	printf("%4s  %-24s %9s", "rank", "entity", "score");
	if (r->runs)
		printf("  %6s %11s", "median", "p05-p95");
	printf("  %s\n", "driver (contribution / removal shift)");
	size_t *ord = malloc((r->n_ent ? r->n_ent : 1) * sizeof *ord), k = r->n_ent;
	if (!ord)
		return;
	for (size_t i = 0; i < k; i++)
		ord[i] = i;
	qsort_r(ord, k, sizeof *ord, cmp_rank, (void *)r);
	for (size_t a = 0; a < k; a++) {
		size_t i = ord[a];
		char rk[16] = "-", sc[32] = "-", iv[32] = "";
		if (r->rank[i])
			snprintf(rk, sizeof rk, "%zu", r->rank[i]);
		if (!isnan(r->score[i]))
			snprintf(sc, sizeof sc, "%.4f", r->score[i]);
		printf("%4s  %-24s %9s", rk, in->ent_names[i], sc);
		if (r->runs) {
			if (r->mc_median[i])
				snprintf(iv, sizeof iv, "%zu-%zu", r->mc_p05[i], r->mc_p95[i]);
			printf("  %6zu %11s", r->mc_median[i], iv);
		}
		const char *dc = r->driver_contrib[i] != SIZE_MAX ? in->pillar_names[r->driver_contrib[i]] : "-";
		const char *dr = r->driver_removal[i] != SIZE_MAX ? in->pillar_names[r->driver_removal[i]] : "-";
		printf("  %s / %s %+ld\n", dc, dr, r->removal_shift[i]);
	}
	free(ord);
}

int cli_assess_index(cli_t *c)
{
	const char *input = NULL, *pillars = NULL, *norm = "minmax", *weights = "equal", *agg = "arith",
		   *missing = "exclude", *runs = "0", *seed = "1", *mcw = "uniform", *spread = NULL;
	int json = 0, csv = 0, mc_norm = 0, mc_agg = 0;
	if (c->argc < 1 || strcmp(c->argv[0], "index") != 0)
		return cli_fail(USAGE);
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--input", &input)) || (r = cli_opt(c, &i, "--pillars", &pillars)) ||
		    (r = cli_opt(c, &i, "--normalise", &norm)) || (r = cli_opt(c, &i, "--weights", &weights)) ||
		    (r = cli_opt(c, &i, "--aggregate", &agg)) || (r = cli_opt(c, &i, "--missing", &missing)) ||
		    (r = cli_opt(c, &i, "--runs", &runs)) || (r = cli_opt(c, &i, "--seed", &seed)) ||
		    (r = cli_opt(c, &i, "--mc-weights", &mcw)) || (r = cli_opt(c, &i, "--spread", &spread))) {
			if (r < 0)
				return 2;
			continue;
		}
		const char *a = c->argv[i++];
		if (!strcmp(a, "--json"))
			json = 1;
		else if (!strcmp(a, "--csv"))
			csv = 1;
		else if (!strcmp(a, "--mc-normalise"))
			mc_norm = 1;
		else if (!strcmp(a, "--mc-aggregate"))
			mc_agg = 1;
		else
			return cli_fail("assess index: unexpected argument '%s'\n%s", a, USAGE);
	}
	if (!input)
		return cli_fail("assess index: --input is needed\n%s", USAGE);
	if (json && csv)
		return cli_fail("assess index: --json or --csv, not both");
	cindex_opts_t o;
	cindex_opts_default(&o);
	unsigned long long v;
	if (cindex_norm_parse(norm, &o.norm))
		return cli_fail("assess index: --normalise %s: minmax, zscore, rank, target or goalposts", norm);
	if (cindex_agg_parse(agg, &o.agg))
		return cli_fail("assess index: --aggregate %s: arith or geom", agg);
	if (cindex_missing_parse(missing, &o.missing))
		return cli_fail("assess index: --missing %s: exclude or impute", missing);
	if (cindex_mcw_parse(mcw, &o.mc_weights))
		return cli_fail("assess index: --mc-weights %s: uniform or dirichlet", mcw);
	if (parse_u64(runs, CINDEX_MAX_RUNS, &v))
		return cli_fail("assess index: --runs %s: a whole number 0..%u", runs, CINDEX_MAX_RUNS);
	o.runs = (size_t)v;
	if (parse_u64(seed, UINT64_MAX, &v))
		return cli_fail("assess index: --seed %s: a whole number 0..%llu", seed, (unsigned long long)UINT64_MAX);
	o.seed = v;
	if (o.mc_weights == CINDEX_MC_DIRICHLET)
		o.mc_spread = 50; /* concentration */
	if (spread) {
		char *end;
		errno = 0;
		o.mc_spread = strtod(spread, &end);
		if (errno || *end || !*spread || !isfinite(o.mc_spread))
			return cli_fail("assess index: --spread %s: a number", spread);
	}
	o.mc_norm = mc_norm;
	o.mc_agg = mc_agg;

	char err[512];
	cindex_data_t *d = NULL;
	cindex_result_t *res = NULL;
	char *text = NULL;
	int rc = 2;
	if (cindex_data_read(input, pillars, &d, err, sizeof err)) {
		cli_fail("%s", err);
		goto out;
	}
	if (strcmp(weights, "equal") != 0 && cindex_weights_read(d, weights, &o, err, sizeof err)) {
		cli_fail("%s", err);
		goto out;
	}
	const cindex_input_t *in = cindex_data_input(d);
	if (cindex_compute(in, &o, &res, err, sizeof err)) {
		cli_fail("assess index: %s", err);
		goto out;
	}
	if (json || csv) {
		text = json ? cindex_result_json(in, &o, res) : cindex_result_csv(in, res);
		if (!text) {
			cli_fail("assess index: out of memory");
			goto out;
		}
		fputs(text, stdout);
		if (json)
			fputc('\n', stdout);
	} else
		print_table(in, res);
	rc = fflush(stdout) == 0 ? 0 : 2;
out:
	free(text);
	cindex_result_free(res);
	cindex_data_free(d);
	return rc;
}
