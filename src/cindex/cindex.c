/* cindex.c — the composite index's computation: transform, imputation,
 * normalisation, weights, aggregation, ranks, driving pillars and the
 * seeded Monte Carlo (definitions in cindex.h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cindex.h"

/* ---- names ---- */

static const char *const NORM_NAMES[] = {"minmax", "zscore", "rank", "target", "goalposts"};
static const char *const W_NAMES[] = {"equal", "expert", "budget"};
static const char *const AGG_NAMES[] = {"arith", "geom"};
static const char *const MISS_NAMES[] = {"exclude", "impute"};
static const char *const MCW_NAMES[] = {"uniform", "dirichlet"};
static const char *const TR_NAMES[] = {"none", "log10", "ln"};

static int parse_name(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

#define NAME_FN(fn, type, names) \
	const char *fn(type v) \
	{ \
		return (unsigned)v < sizeof names / sizeof *names ? names[v] : "?"; \
	}
#define PARSE_FN(fn, type, names) \
	int fn(const char *s, type *out) \
	{ \
		int k = parse_name(s, names, (int)(sizeof names / sizeof *names)); \
		if (k < 0) \
			return -1; \
		*out = (type)k; \
		return 0; \
	}
NAME_FN(cindex_norm_name, cindex_norm_t, NORM_NAMES)
PARSE_FN(cindex_norm_parse, cindex_norm_t, NORM_NAMES)
NAME_FN(cindex_wmethod_name, cindex_wmethod_t, W_NAMES)
NAME_FN(cindex_agg_name, cindex_agg_t, AGG_NAMES)
PARSE_FN(cindex_agg_parse, cindex_agg_t, AGG_NAMES)
NAME_FN(cindex_missing_name, cindex_missing_t, MISS_NAMES)
PARSE_FN(cindex_missing_parse, cindex_missing_t, MISS_NAMES)
NAME_FN(cindex_mcw_name, cindex_mcw_t, MCW_NAMES)
PARSE_FN(cindex_mcw_parse, cindex_mcw_t, MCW_NAMES)
NAME_FN(cindex_transform_name, cindex_transform_t, TR_NAMES)
PARSE_FN(cindex_transform_parse, cindex_transform_t, TR_NAMES)

void cindex_opts_default(cindex_opts_t *o)
{
	memset(o, 0, sizeof *o);
	o->norm = CINDEX_NORM_MINMAX;
	o->agg = CINDEX_AGG_ARITH;
	o->missing = CINDEX_MISS_EXCLUDE;
	o->wmethod = CINDEX_W_EQUAL;
	o->seed = 1;
	o->mc_weights = CINDEX_MC_UNIFORM;
	o->mc_spread = 0.2;
}

/* ---- the generator: splitmix64 seeding xoshiro256** ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

void cindex_rng_seed(cindex_rng_t *g, uint64_t state)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = splitmix64(&state);
}

void cindex_rng_run(cindex_rng_t *g, uint64_t seed, uint64_t r)
{
	cindex_rng_seed(g, seed ^ (0xD1B54A32D192ED03ull * (r + 1)));
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t cindex_rng_next(cindex_rng_t *g)
{
	uint64_t *s = g->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

double cindex_rng_uniform(cindex_rng_t *g)
{
	return (double)(cindex_rng_next(g) >> 11) * 0x1.0p-53;
}

/* A standard normal (Box-Muller, one of the pair; u1 in (0, 1]). */
static double rng_normal(cindex_rng_t *g)
{
	double u1 = 1.0 - cindex_rng_uniform(g), u2 = cindex_rng_uniform(g);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Gamma(shape, 1), Marsaglia-Tsang; shape < 1 by Gamma(shape + 1) * u^(1/shape). */
static double rng_gamma(cindex_rng_t *g, double shape)
{
	if (shape <= 0)
		return 0;
	double boost = 1;
	if (shape < 1) {
		double u = 1.0 - cindex_rng_uniform(g);
		boost = pow(u, 1.0 / shape);
		shape += 1;
	}
	double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x = rng_normal(g), v = 1 + c * x;
		if (v <= 0)
			continue;
		v = v * v * v;
		double u = 1.0 - cindex_rng_uniform(g);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v * boost;
	}
}

/* ---- helpers ---- */

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Append to the text in buf (size bytes), cut at the end if it must be. */
static void appendf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* The display name of entity i / indicator j / pillar p (buf when numbered). */
typedef struct {
	char b[3][32];
} namebuf_t;
static const char *ent_name(const cindex_input_t *in, size_t i, namebuf_t *nb)
{
	if (in->ent_names && in->ent_names[i])
		return in->ent_names[i];
	snprintf(nb->b[0], sizeof nb->b[0], "%zu", i + 1);
	return nb->b[0];
}
static const char *ind_name(const cindex_input_t *in, size_t j, namebuf_t *nb)
{
	if (in->ind_names && in->ind_names[j])
		return in->ind_names[j];
	snprintf(nb->b[1], sizeof nb->b[1], "%zu", j + 1);
	return nb->b[1];
}
static const char *pil_name(const cindex_input_t *in, size_t p, namebuf_t *nb)
{
	if (in->pillar_names && in->pillar_names[p])
		return in->pillar_names[p];
	snprintf(nb->b[2], sizeof nb->b[2], "%zu", p + 1);
	return nb->b[2];
}

static int dir_of(const cindex_input_t *in, size_t j)
{
	return in->ind_dir ? in->ind_dir[j] : 1;
}

static int transform(cindex_transform_t t, double v, double *out)
{
	if (t == CINDEX_TR_NONE) {
		*out = v;
		return 0;
	}
	if (!(v > 0))
		return -1;
	*out = t == CINDEX_TR_LOG10 ? log10(v) : log(v);
	return 0;
}

/* ---- the computation's working state ---- */

typedef struct {
	const cindex_input_t *in;
	size_t ne, ni, np;
	double *raw;        /* ne * ni transformed (and imputed) values, NAN missing */
	size_t *pil_start;  /* np + 1: indicators sorted by pillar, in pil_ind */
	size_t *pil_ind;    /* ni */
	double *tmp;        /* ne scratch */
	size_t *order;      /* ne scratch */
} work_t;

/* Order indices by a value (then by index): qsort_r's comparators. */
static int cmp_asc(const void *a, const void *b, void *arg)
{
	const double *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return v[x] < v[y] ? -1 : v[x] > v[y] ? 1 : (x < y ? -1 : x > y);
}
static int cmp_desc(const void *a, const void *b, void *arg)
{
	const double *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return v[x] > v[y] ? -1 : v[x] < v[y] ? 1 : (x < y ? -1 : x > y);
}

/* Normalise every indicator by method m into out (ne * ni). */
static int normalise(work_t *w, cindex_norm_t m, double *out, char *err, size_t errlen)
{
	const cindex_input_t *in = w->in;
	namebuf_t nb;
	for (size_t j = 0; j < w->ni; j++) {
		int dir = dir_of(in, j);
		size_t n = 0;
		double mn = INFINITY, mx = -INFINITY, sum = 0;
		for (size_t i = 0; i < w->ne; i++) {
			double v = w->raw[i * w->ni + j];
			if (isnan(v))
				continue;
			n++;
			sum += v;
			if (v < mn)
				mn = v;
			if (v > mx)
				mx = v;
		}
		double mean = n ? sum / (double)n : 0, sd = 0, lo = 0, hi = 0, t = 0;
		if (m == CINDEX_NORM_ZSCORE && n > 1) {
			double ss = 0;
			for (size_t i = 0; i < w->ne; i++) {
				double v = w->raw[i * w->ni + j];
				if (!isnan(v))
					ss += (v - mean) * (v - mean);
			}
			sd = sqrt(ss / (double)(n - 1));
		}
		cindex_transform_t tr = in->ind_tr ? in->ind_tr[j] : CINDEX_TR_NONE;
		if (m == CINDEX_NORM_GOALPOSTS) {
			if (!in->gp_lo || !in->gp_hi || isnan(in->gp_lo[j]) || isnan(in->gp_hi[j])) {
				seterr(err, errlen, "indicator %s: goalposts normalisation needs its min and max",
				       ind_name(in, j, &nb));
				return -1;
			}
			if (transform(tr, in->gp_lo[j], &lo) || transform(tr, in->gp_hi[j], &hi)) {
				seterr(err, errlen, "indicator %s: %s of a goalpost <= 0", ind_name(in, j, &nb),
				       cindex_transform_name(tr));
				return -1;
			}
			if (!(hi > lo)) {
				seterr(err, errlen, "indicator %s: goalpost max must be above min", ind_name(in, j, &nb));
				return -1;
			}
		}
		if (m == CINDEX_NORM_TARGET) {
			if (!in->target || isnan(in->target[j])) {
				seterr(err, errlen, "indicator %s: target normalisation needs its target",
				       ind_name(in, j, &nb));
				return -1;
			}
			if (transform(tr, in->target[j], &t) || t == 0) {
				seterr(err, errlen, "indicator %s: the target must be non-zero (and > 0 under a log)",
				       ind_name(in, j, &nb));
				return -1;
			}
		}
		if (m == CINDEX_NORM_RANK) {
			size_t k = 0;
			for (size_t i = 0; i < w->ne; i++)
				if (!isnan(w->raw[i * w->ni + j])) {
					w->tmp[i] = dir * w->raw[i * w->ni + j];
					w->order[k++] = i;
				}
			qsort_r(w->order, k, sizeof *w->order, cmp_asc, w->tmp);
			for (size_t a = 0; a < k;) {
				size_t b = a + 1;
				while (b < k && w->tmp[w->order[b]] == w->tmp[w->order[a]])
					b++;
				double r = (double)(a + 1); /* ties share the lowest (Handbook Table 15) */
				for (size_t c = a; c < b; c++)
					out[w->order[c] * w->ni + j] = r;
				a = b;
			}
		}
		for (size_t i = 0; i < w->ne; i++) {
			double v = w->raw[i * w->ni + j], r;
			if (isnan(v)) {
				out[i * w->ni + j] = NAN;
				continue;
			}
			switch (m) {
			case CINDEX_NORM_MINMAX:
				r = mx > mn ? (dir > 0 ? v - mn : mx - v) / (mx - mn) : 0.5;
				break;
			case CINDEX_NORM_ZSCORE:
				r = sd > 0 ? dir * (v - mean) / sd : 0;
				break;
			case CINDEX_NORM_RANK:
				continue;
			case CINDEX_NORM_TARGET:
				if (dir < 0 && v == 0) {
					namebuf_t nb2;
					seterr(err, errlen, "entity %s, indicator %s: distance to a target of a lower-is-better 0",
					       ent_name(in, i, &nb2), ind_name(in, j, &nb));
					return -1;
				}
				r = dir > 0 ? v / t : t / v;
				break;
			default: /* goalposts */
				r = (v - lo) / (hi - lo);
				r = r < 0 ? 0 : r > 1 ? 1 : r;
				if (dir < 0)
					r = 1 - r;
				break;
			}
			out[i * w->ni + j] = r;
		}
	}
	return 0;
}

/* The first value <= 0 of a normalised matrix (geometric refusal), or -1. */
static long first_nonpositive(const work_t *w, const double *norm, size_t *ent, size_t *ind)
{
	for (size_t i = 0; i < w->ne; i++)
		for (size_t j = 0; j < w->ni; j++) {
			double v = norm[i * w->ni + j];
			if (!isnan(v) && !(v > 0)) {
				*ent = i;
				*ind = j;
				return 0;
			}
		}
	return -1;
}

/* Aggregate: pillar scores (ne * np, may be NULL) and composite (ne).  For
 * geom, lnorm holds the logs of the normalised values.  pil_w may zero a
 * pillar (removal). */
static void aggregate(const work_t *w, const double *norm, const double *lnorm, cindex_agg_t agg,
                      const double *ind_w, const double *pil_w, double *pillar, double *score)
{
	size_t ni = w->ni, np = w->np;
	const double *src = agg == CINDEX_AGG_GEOM ? lnorm : norm;
	for (size_t i = 0; i < w->ne; i++) {
		const double *row = src + i * ni;
		double cs = 0, cw = 0;
		for (size_t p = 0; p < np; p++) {
			double s = 0, ws = 0;
			for (size_t k = w->pil_start[p]; k < w->pil_start[p + 1]; k++) {
				size_t j = w->pil_ind[k];
				double v = row[j];
				if (!isnan(v)) {
					s += ind_w[j] * v;
					ws += ind_w[j];
				}
			}
			double ps = ws > 0 ? s / ws : NAN; /* a log for geom */
			if (pillar)
				pillar[i * np + p] = agg == CINDEX_AGG_GEOM ? exp(ps) : ps;
			if (!isnan(ps) && pil_w[p] > 0) {
				cs += pil_w[p] * ps;
				cw += pil_w[p];
			}
		}
		double c = cw > 0 ? cs / cw : NAN;
		score[i] = agg == CINDEX_AGG_GEOM && !isnan(c) ? exp(c) : c;
	}
}

/* Competition ranks (1 = highest, ties share the best; NAN -> 0). */
static void rank_scores(work_t *w, const double *score, size_t *rank)
{
	size_t k = 0;
	for (size_t i = 0; i < w->ne; i++) {
		if (isnan(score[i]))
			rank[i] = 0;
		else
			w->order[k++] = i;
	}
	qsort_r(w->order, k, sizeof *w->order, cmp_desc, (void *)score);
	for (size_t a = 0; a < k; a++) {
		size_t i = w->order[a];
		rank[i] = a > 0 && score[w->order[a - 1]] == score[i] ? rank[w->order[a - 1]] : a + 1;
	}
}

/* Weights of one group (idx[0..k)) from rel (or equal when NULL) into w. */
static int group_weights(const double *rel, const size_t *idx, size_t k, double *w)
{
	double s = 0;
	for (size_t a = 0; a < k; a++) {
		double v = rel ? rel[idx[a]] : 1;
		if (!(v >= 0) || !isfinite(v))
			return -1;
		s += v;
	}
	if (!(s > 0))
		return -1;
	for (size_t a = 0; a < k; a++)
		w[idx[a]] = (rel ? rel[idx[a]] : 1) / s;
	return 0;
}

/* The weights used, per the weighting method. */
static int make_weights(work_t *w, const cindex_opts_t *o, double *ind_w, double *pil_w,
                        char *err, size_t errlen)
{
	const cindex_input_t *in = w->in;
	namebuf_t nb;
	size_t *all = malloc((w->np ? w->np : 1) * sizeof *all);
	double *acc_i = calloc(w->ni, sizeof *acc_i), *acc_p = calloc(w->np, sizeof *acc_p);
	double *tw_i = malloc(w->ni * sizeof *tw_i), *tw_p = malloc(w->np * sizeof *tw_p);
	int rc = -1;
	if (!all || !acc_i || !acc_p || !tw_i || !tw_p) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t p = 0; p < w->np; p++)
		all[p] = p;
	size_t nexp = o->wmethod == CINDEX_W_BUDGET ? o->n_experts : 1;
	if (o->wmethod == CINDEX_W_BUDGET && nexp == 0) {
		seterr(err, errlen, "budget allocation needs at least one expert");
		goto fail;
	}
	for (size_t e = 0; e < nexp; e++) {
		const double *ri = NULL, *rp = NULL;
		if (o->wmethod == CINDEX_W_EXPERT) {
			ri = o->ind_w;
			rp = o->pil_w;
		} else if (o->wmethod == CINDEX_W_BUDGET) {
			ri = o->budget_ind ? o->budget_ind + e * w->ni : NULL;
			rp = o->budget_pil ? o->budget_pil + e * w->np : NULL;
		}
		for (size_t p = 0; p < w->np; p++) {
			const size_t *idx = w->pil_ind + w->pil_start[p];
			if (group_weights(ri, idx, w->pil_start[p + 1] - w->pil_start[p], tw_i)) {
				seterr(err, errlen, "%sweights of pillar %s's indicators: each >= 0, not all 0",
				       o->wmethod == CINDEX_W_BUDGET ? "budget: " : "", pil_name(in, p, &nb));
				goto fail;
			}
		}
		if (group_weights(rp, all, w->np, tw_p)) {
			seterr(err, errlen, "%spillar weights: each >= 0, not all 0",
			       o->wmethod == CINDEX_W_BUDGET ? "budget: " : "");
			goto fail;
		}
		for (size_t j = 0; j < w->ni; j++)
			acc_i[j] += tw_i[j] / (double)nexp;
		for (size_t p = 0; p < w->np; p++)
			acc_p[p] += tw_p[p] / (double)nexp;
	}
	memcpy(ind_w, acc_i, w->ni * sizeof *ind_w);
	memcpy(pil_w, acc_p, w->np * sizeof *pil_w);
	rc = 0;
fail:
	free(all);
	free(acc_i);
	free(acc_p);
	free(tw_i);
	free(tw_p);
	return rc;
}

void cindex_result_free(cindex_result_t *r)
{
	if (!r)
		return;
	free(r->ind_w);
	free(r->pil_w);
	free(r->norm);
	free(r->imputed);
	free(r->pillar);
	free(r->score);
	free(r->rank);
	free(r->driver_contrib);
	free(r->driver_removal);
	free(r->removal_shift);
	free(r->mc_median);
	free(r->mc_p05);
	free(r->mc_p95);
	free(r->mc_mean_score);
	free(r);
}

/* Check the shape and read the raw values (transform, impute). */
static int prepare(work_t *w, const cindex_opts_t *o, cindex_result_t *r, char *err, size_t errlen)
{
	const cindex_input_t *in = w->in;
	namebuf_t nb, nb2;
	for (size_t j = 0; j < w->ni; j++) {
		if (in->ind_pillar[j] >= w->np) {
			seterr(err, errlen, "indicator %s: pillar %zu out of range", ind_name(in, j, &nb),
			       in->ind_pillar[j] + 1);
			return -1;
		}
		if (dir_of(in, j) != 1 && dir_of(in, j) != -1) {
			seterr(err, errlen, "indicator %s: direction must be +1 or -1", ind_name(in, j, &nb));
			return -1;
		}
		if (in->ind_tr && (unsigned)in->ind_tr[j] > CINDEX_TR_LN) {
			seterr(err, errlen, "indicator %s: unknown transform", ind_name(in, j, &nb));
			return -1;
		}
	}
	/* indicators by pillar, in indicator order */
	for (size_t j = 0; j < w->ni; j++)
		w->pil_start[in->ind_pillar[j] + 1]++;
	for (size_t p = 0; p < w->np; p++) {
		if (w->pil_start[p + 1] == 0) {
			seterr(err, errlen, "pillar %s has no indicator", pil_name(in, p, &nb));
			return -1;
		}
		w->pil_start[p + 1] += w->pil_start[p];
	}
	size_t *pos = calloc(w->np, sizeof *pos);
	if (!pos) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (size_t j = 0; j < w->ni; j++) {
		size_t p = in->ind_pillar[j];
		w->pil_ind[w->pil_start[p] + pos[p]++] = j;
	}
	free(pos);
	/* transform */
	for (size_t i = 0; i < w->ne; i++)
		for (size_t j = 0; j < w->ni; j++) {
			double v = in->x[i * w->ni + j];
			if (isinf(v)) {
				seterr(err, errlen, "entity %s, indicator %s: not a finite number",
				       ent_name(in, i, &nb), ind_name(in, j, &nb2));
				return -1;
			}
			w->raw[i * w->ni + j] = v;
		}
	if (o->missing == CINDEX_MISS_IMPUTE) {
		for (size_t j = 0; j < w->ni; j++) {
			double all_s = 0;
			size_t all_n = 0;
			for (size_t i = 0; i < w->ne; i++) {
				double v = in->x[i * w->ni + j];
				if (!isnan(v)) {
					all_s += v;
					all_n++;
				}
			}
			if (all_n == 0) {
				seterr(err, errlen, "indicator %s: no value to impute from", ind_name(in, j, &nb));
				return -1;
			}
			for (size_t i = 0; i < w->ne; i++) {
				if (!isnan(in->x[i * w->ni + j]))
					continue;
				double s = 0;
				size_t n = 0;
				if (in->ent_group)
					for (size_t k = 0; k < w->ne; k++)
						if (in->ent_group[k] == in->ent_group[i] && !isnan(in->x[k * w->ni + j])) {
							s += in->x[k * w->ni + j];
							n++;
						}
				w->raw[i * w->ni + j] = n ? s / (double)n : all_s / (double)all_n;
				r->imputed[i * w->ni + j] = 1;
			}
		}
	}
	for (size_t i = 0; i < w->ne; i++)
		for (size_t j = 0; j < w->ni; j++) {
			double *v = &w->raw[i * w->ni + j];
			cindex_transform_t tr = in->ind_tr ? in->ind_tr[j] : CINDEX_TR_NONE;
			if (!isnan(*v) && transform(tr, *v, v)) {
				seterr(err, errlen, "entity %s, indicator %s: %s of a value <= 0", ent_name(in, i, &nb),
				       ind_name(in, j, &nb2), cindex_transform_name(tr));
				return -1;
			}
		}
	return 0;
}

/* Driving pillars on the nominal index. */
static int drivers(work_t *w, const cindex_opts_t *o, cindex_result_t *r, const double *lnorm)
{
	size_t ne = w->ne, np = w->np;
	for (size_t i = 0; i < ne; i++) {
		r->driver_contrib[i] = SIZE_MAX;
		r->driver_removal[i] = SIZE_MAX;
		r->removal_shift[i] = 0;
		double best = -INFINITY;
		for (size_t p = 0; p < np; p++) {
			double ps = r->pillar[i * np + p];
			if (isnan(ps) || !(r->pil_w[p] > 0))
				continue;
			double c = r->pil_w[p] * (o->agg == CINDEX_AGG_GEOM ? log(ps) : ps);
			if (c > best) {
				best = c;
				r->driver_contrib[i] = p;
			}
		}
	}
	if (np < 2)
		return 0;
	double *pw = malloc(np * sizeof *pw), *sc = malloc(ne * sizeof *sc);
	size_t *rk = malloc(ne * sizeof *rk);
	if (!pw || !sc || !rk) {
		free(pw);
		free(sc);
		free(rk);
		return -1;
	}
	for (size_t q = 0; q < np; q++) {
		memcpy(pw, r->pil_w, np * sizeof *pw);
		pw[q] = 0;
		aggregate(w, r->norm, lnorm, o->agg, r->ind_w, pw, NULL, sc);
		rank_scores(w, sc, rk);
		for (size_t i = 0; i < ne; i++) {
			if (!r->rank[i] || !rk[i])
				continue;
			long shift = (long)rk[i] - (long)r->rank[i];
			long cur = r->removal_shift[i];
			if (shift != 0 && (r->driver_removal[i] == SIZE_MAX || labs(shift) > labs(cur))) {
				r->driver_removal[i] = q;
				r->removal_shift[i] = shift;
			}
		}
	}
	free(pw);
	free(sc);
	free(rk);
	return 0;
}

/* Perturb one group of weights (idx[0..k)) of nominal w0 into w. */
static void perturb(cindex_rng_t *g, const cindex_opts_t *o, const double *w0, const size_t *idx,
                    size_t k, double *w)
{
	double s = 0;
	for (size_t a = 0; a < k; a++) {
		size_t j = idx ? idx[a] : a;
		double v;
		if (o->mc_weights == CINDEX_MC_DIRICHLET)
			v = rng_gamma(g, o->mc_spread * w0[j] * (double)k);
		else
			v = w0[j] * (1 + o->mc_spread * (2 * cindex_rng_uniform(g) - 1));
		w[j] = v;
		s += v;
	}
	for (size_t a = 0; a < k; a++) {
		size_t j = idx ? idx[a] : a;
		w[j] = s > 0 ? w[j] / s : w0[j];
	}
}

/* The rank at quantile q from a histogram of N ranks (nearest-rank). */
static size_t hist_quantile(const uint32_t *h, size_t n, size_t N, double q)
{
	double k = ceil(q * (double)N);
	if (k < 1)
		k = 1;
	size_t cum = 0;
	for (size_t r = 0; r < n; r++) {
		cum += h[r];
		if ((double)cum >= k)
			return r + 1;
	}
	return n;
}

static int monte_carlo(work_t *w, const cindex_opts_t *o, cindex_result_t *r, char *err, size_t errlen)
{
	size_t ne = w->ne, ni = w->ni, np = w->np, cells = ne * ni;
	cindex_norm_t norms[4];
	size_t nn = 0;
	if (o->mc_norm) {
		norms[nn++] = CINDEX_NORM_MINMAX;
		norms[nn++] = CINDEX_NORM_ZSCORE;
		norms[nn++] = CINDEX_NORM_RANK;
		if (o->norm > CINDEX_NORM_RANK)
			norms[nn++] = o->norm;
	} else
		norms[nn++] = o->norm;
	cindex_agg_t aggs[2];
	size_t na = 0;
	if (o->mc_agg) {
		aggs[na++] = CINDEX_AGG_ARITH;
		aggs[na++] = CINDEX_AGG_GEOM;
	} else
		aggs[na++] = o->agg;
	double *nm[4] = {0}, *lg[4] = {0};
	int rc = -1;
	struct { size_t n, a; } pairs[8];
	size_t npairs = 0;
	double *iw = malloc(ni * sizeof *iw), *pw = malloc(np * sizeof *pw), *sc = malloc(ne * sizeof *sc);
	double *ssum = calloc(ne, sizeof *ssum);
	size_t *rk = malloc(ne * sizeof *rk);
	uint32_t *hist = calloc(ne * ne, sizeof *hist);
	uint64_t *nrank = calloc(ne, sizeof *nrank);
	if (!iw || !pw || !sc || !ssum || !rk || !hist || !nrank)
		goto oom;
	r->mc_excluded[0] = 0;
	for (size_t a = 0; a < nn; a++) {
		nm[a] = malloc(cells * sizeof(double));
		if (!nm[a])
			goto oom;
		if (normalise(w, norms[a], nm[a], err, errlen))
			goto fail;
		int pos = 1;
		size_t e, d;
		if (first_nonpositive(w, nm[a], &e, &d) == 0)
			pos = 0;
		else {
			lg[a] = malloc(cells * sizeof(double));
			if (!lg[a])
				goto oom;
			for (size_t c = 0; c < cells; c++)
				lg[a][c] = log(nm[a][c]);
		}
		for (size_t b = 0; b < na; b++) {
			if (aggs[b] == CINDEX_AGG_GEOM && !pos) {
				appendf(r->mc_excluded, sizeof r->mc_excluded, "%s%s+geom", r->mc_excluded[0] ? ", " : "",
				        cindex_norm_name(norms[a]));
				continue;
			}
			pairs[npairs].n = a;
			pairs[npairs].a = b;
			npairs++;
		}
	}
	if (npairs == 0) {
		seterr(err, errlen, "monte carlo: no admissible normalisation and aggregation");
		goto fail;
	}
	for (size_t run = 0; run < o->runs; run++) {
		cindex_rng_t g;
		cindex_rng_run(&g, o->seed, run);
		size_t pk = 0;
		if (o->mc_norm || o->mc_agg)
			pk = (size_t)(cindex_rng_uniform(&g) * (double)npairs);
		if (pk >= npairs)
			pk = npairs - 1;
		for (size_t p = 0; p < np; p++)
			perturb(&g, o, r->ind_w, w->pil_ind + w->pil_start[p], w->pil_start[p + 1] - w->pil_start[p], iw);
		perturb(&g, o, r->pil_w, NULL, np, pw);
		size_t a = pairs[pk].n;
		aggregate(w, nm[a], lg[a], aggs[pairs[pk].a], iw, pw, NULL, sc);
		rank_scores(w, sc, rk);
		for (size_t i = 0; i < ne; i++)
			if (rk[i]) {
				hist[i * ne + rk[i] - 1]++;
				nrank[i]++;
				ssum[i] += sc[i];
			}
	}
	for (size_t i = 0; i < ne; i++) {
		if (!nrank[i]) {
			r->mc_median[i] = r->mc_p05[i] = r->mc_p95[i] = 0;
			r->mc_mean_score[i] = NAN;
			continue;
		}
		r->mc_median[i] = hist_quantile(hist + i * ne, ne, nrank[i], 0.5);
		r->mc_p05[i] = hist_quantile(hist + i * ne, ne, nrank[i], 0.05);
		r->mc_p95[i] = hist_quantile(hist + i * ne, ne, nrank[i], 0.95);
		r->mc_mean_score[i] = ssum[i] / (double)nrank[i];
	}
	rc = 0;
	goto fail;
oom:
	seterr(err, errlen, "out of memory");
fail:
	for (size_t a = 0; a < 4; a++) {
		free(nm[a]);
		free(lg[a]);
	}
	free(iw);
	free(pw);
	free(sc);
	free(ssum);
	free(rk);
	free(hist);
	free(nrank);
	return rc;
}

int cindex_compute(const cindex_input_t *in, const cindex_opts_t *o, cindex_result_t **out,
                   char *err, size_t errlen)
{
	*out = NULL;
	if (err && errlen)
		err[0] = 0;
	if (!in || !o || !in->x || !in->ind_pillar || in->n_ent == 0 || in->n_ind == 0 || in->n_pillar == 0) {
		seterr(err, errlen, "the index needs at least one entity, indicator and pillar");
		return -1;
	}
	size_t ne = in->n_ent, ni = in->n_ind, np = in->n_pillar;
	if (ni > CINDEX_MAX_CELLS / ne || np > ni) {
		seterr(err, errlen, "too many cells (%zu x %zu; at most %u) or more pillars than indicators",
		       ne, ni, CINDEX_MAX_CELLS);
		return -1;
	}
	if (o->runs > CINDEX_MAX_RUNS || (o->runs && ne > CINDEX_MAX_MC_ENT)) {
		seterr(err, errlen, "monte carlo: at most %u runs and %u entities", CINDEX_MAX_RUNS, CINDEX_MAX_MC_ENT);
		return -1;
	}
	if (o->runs && (o->mc_weights == CINDEX_MC_UNIFORM ? !(o->mc_spread >= 0 && o->mc_spread <= 1)
	                                                   : !(o->mc_spread > 0 && isfinite(o->mc_spread)))) {
		seterr(err, errlen, "monte carlo: spread must be within 0..1 (uniform) or > 0 (dirichlet)");
		return -1;
	}
	if ((unsigned)o->norm > CINDEX_NORM_GOALPOSTS || (unsigned)o->agg > CINDEX_AGG_GEOM ||
	    (unsigned)o->missing > CINDEX_MISS_IMPUTE || (unsigned)o->wmethod > CINDEX_W_BUDGET ||
	    (unsigned)o->mc_weights > CINDEX_MC_DIRICHLET) {
		seterr(err, errlen, "unknown option value");
		return -1;
	}
	size_t cells = ne * ni;
	work_t w = {.in = in, .ne = ne, .ni = ni, .np = np};
	cindex_result_t *r = calloc(1, sizeof *r);
	double *lnorm = NULL;
	int rc = -1;
	if (!r)
		goto oom;
	r->n_ent = ne;
	r->n_ind = ni;
	r->n_pillar = np;
	w.raw = malloc(cells * sizeof *w.raw);
	w.pil_start = calloc(np + 1, sizeof *w.pil_start);
	w.pil_ind = malloc(ni * sizeof *w.pil_ind);
	w.tmp = malloc(ne * sizeof *w.tmp);
	w.order = malloc(ne * sizeof *w.order);
	r->ind_w = malloc(ni * sizeof *r->ind_w);
	r->pil_w = malloc(np * sizeof *r->pil_w);
	r->norm = malloc(cells * sizeof *r->norm);
	r->imputed = calloc(cells, 1);
	r->pillar = malloc(ne * np * sizeof *r->pillar);
	r->score = malloc(ne * sizeof *r->score);
	r->rank = malloc(ne * sizeof *r->rank);
	r->driver_contrib = malloc(ne * sizeof *r->driver_contrib);
	r->driver_removal = malloc(ne * sizeof *r->driver_removal);
	r->removal_shift = malloc(ne * sizeof *r->removal_shift);
	if (!w.raw || !w.pil_start || !w.pil_ind || !w.tmp || !w.order || !r->ind_w || !r->pil_w ||
	    !r->norm || !r->imputed || !r->pillar || !r->score || !r->rank || !r->driver_contrib ||
	    !r->driver_removal || !r->removal_shift)
		goto oom;
	if (prepare(&w, o, r, err, errlen))
		goto fail;
	if (make_weights(&w, o, r->ind_w, r->pil_w, err, errlen))
		goto fail;
	if (normalise(&w, o->norm, r->norm, err, errlen))
		goto fail;
	if (o->agg == CINDEX_AGG_GEOM) {
		size_t e, d;
		namebuf_t nb, nb2;
		if (first_nonpositive(&w, r->norm, &e, &d) == 0) {
			seterr(err, errlen,
			       "geometric aggregation needs positive values: entity %s, indicator %s is %g after %s "
			       "normalisation (use goalposts/target with positive values, or arith)",
			       ent_name(in, e, &nb), ind_name(in, d, &nb2), r->norm[e * ni + d],
			       cindex_norm_name(o->norm));
			goto fail;
		}
		lnorm = malloc(cells * sizeof *lnorm);
		if (!lnorm)
			goto oom;
		for (size_t c = 0; c < cells; c++)
			lnorm[c] = log(r->norm[c]);
	}
	aggregate(&w, r->norm, lnorm, o->agg, r->ind_w, r->pil_w, r->pillar, r->score);
	rank_scores(&w, r->score, r->rank);
	if (drivers(&w, o, r, lnorm))
		goto oom;
	appendf(r->method, sizeof r->method, "normalisation=%s weights=%s", cindex_norm_name(o->norm),
	        cindex_wmethod_name(o->wmethod));
	if (o->wmethod == CINDEX_W_BUDGET)
		appendf(r->method, sizeof r->method, "(%zu experts)", o->n_experts);
	appendf(r->method, sizeof r->method, " aggregation=%s missing=%s", cindex_agg_name(o->agg),
	        cindex_missing_name(o->missing));
	if (o->runs) {
		r->runs = o->runs;
		r->mc_median = malloc(ne * sizeof *r->mc_median);
		r->mc_p05 = malloc(ne * sizeof *r->mc_p05);
		r->mc_p95 = malloc(ne * sizeof *r->mc_p95);
		r->mc_mean_score = malloc(ne * sizeof *r->mc_mean_score);
		if (!r->mc_median || !r->mc_p05 || !r->mc_p95 || !r->mc_mean_score)
			goto oom;
		if (monte_carlo(&w, o, r, err, errlen))
			goto fail;
		appendf(r->method, sizeof r->method, " monte_carlo=%zu runs seed=%llu weights=%s spread=%g%s%s",
		        o->runs, (unsigned long long)o->seed, cindex_mcw_name(o->mc_weights), o->mc_spread,
		        o->mc_norm ? " +normalisation" : "", o->mc_agg ? " +aggregation" : "");
		if (r->mc_excluded[0])
			appendf(r->method, sizeof r->method, " (not drawn: %s)", r->mc_excluded);
	}
	rc = 0;
	*out = r;
	r = NULL;
	goto fail;
oom:
	seterr(err, errlen, "out of memory");
fail:
	cindex_result_free(r);
	free(lnorm);
	free(w.raw);
	free(w.pil_start);
	free(w.pil_ind);
	free(w.tmp);
	free(w.order);
	return rc;
}
