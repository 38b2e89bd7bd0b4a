/* cindex.h — the composite index across many entities (the OECD/JRC
 * Handbook on Constructing Composite Indicators): normalisation, weights,
 * aggregation into pillars and a composite, missing values, ranks, and a
 * seeded Monte Carlo over the weights (and optionally the normalisation and
 * aggregation) with each entity's median rank, 5-95 % interval and driving
 * pillar.  Pure computation: no store, no server, no globals; the CSV
 * readers (cindex_csv.c) and the JSON/CSV writers (cindex_out.c) are the
 * only I/O.  Owns: everything under src/cindex/ and the result it returns.
 *
 * Definitions (the README's "Composite index" section says the same):
 *  - Matrix x: n_ent rows (entities) x n_ind columns (indicators), row-major,
 *    NAN = missing.  Indicator j belongs to pillar ind_pillar[j] and has a
 *    direction ind_dir[j] (+1 higher is better, -1 lower is better) and an
 *    optional transform applied first (log10 / ln of the value and of its
 *    goalposts/target; a value <= 0 under a log is refused, named).
 *  - Normalisation (per indicator, over the entities that have a value):
 *      minmax     (x - min) / (max - min); lower-better (max - x) / (max - min);
 *                 a constant indicator gives 0.5 to every entity
 *      zscore     (x - mean) / sd (sample sd, n - 1, as the Handbook's
 *                 Table 15); lower-better negated;
 *                 constant -> 0
 *      rank       rank among the entities with a value, 1 = worst .. n =
 *                 best, ties share the lowest (as the Handbook's Table 15)
 *      target     distance to a target t: x / t (higher-better), t / x
 *                 (lower-better); t must be given and non-zero, x non-zero
 *      goalposts  (x - lo) / (hi - lo) with given lo/hi, clipped to [0, 1];
 *                 lower-better 1 - that
 *  - Weights: indicator weights within their pillar (sum 1 per pillar) and
 *    pillar weights (sum 1).  equal; expert (given, any positive scale,
 *    renormalised); budget (each expert's allocation row normalised to sum 1,
 *    then averaged over the experts, per level).
 *  - Aggregation, the same at both levels (indicators -> pillar score ->
 *    composite): arith = sum w_i v_i; geom = prod v_i ^ w_i, which needs
 *    every value > 0: otherwise cindex_compute refuses, naming the entity and
 *    the indicator (or pillar), rather than computing nonsense.
 *  - Missing values: exclude = the entity's pillar uses the indicators it
 *    has, their weights renormalised (a pillar with none is missing and the
 *    composite is renormalised over the pillars present; an entity with no
 *    value at all is unranked: score NAN, rank 0); impute = a missing raw
 *    value takes the mean of that indicator over the entities of its group
 *    (ent_group) that have it, or over all entities when no group is given
 *    or the group has none.  The choice is stated in the result.
 *  - Rank: 1 = highest composite; ties share the best rank ("1224").
 *  - Monte Carlo (runs > 0): run r (0-based) draws from its own generator,
 *    xoshiro256** seeded with four splitmix64 outputs from the state
 *    seed ^ (0xD1B54A32D192ED03 * (r + 1)), so a run's draws depend on the
 *    seed and r only (same on every machine, any order, any thread count).
 *    In each run, in this order: if mc_norm or mc_agg, one uniform u picks
 *    the pair floor(u * k) among the k admissible (normalisation,
 *    aggregation) pairs, listed normalisation-major: normalisations
 *    {minmax, zscore, rank} plus the nominal one if it is another (only the
 *    nominal without mc_norm), aggregations {arith, geom} (only the nominal
 *    without mc_agg); then the indicator weights, pillar by pillar (each
 *    pillar's indicators in indicator order), then the pillar weights are
 *    perturbed:
 *      uniform    w' = w * (1 + s * (2u - 1)), s = mc_spread (0.2 = +-20 %)
 *      dirichlet  w' ~ Gamma(shape = c * w * k) per weight (k weights in the
 *                 group, c = mc_spread, the concentration; Marsaglia-Tsang),
 *                 i.e. a Dirichlet centred on the nominal weights
 *    and renormalised within its group; u = (next >> 11) * 2^-53.  A
 *    normalisation/aggregation pair that the data refuse (geom with
 *    non-positive values) is not drawn: the result lists what was excluded.
 *    Reported per entity: median, 5th and 95th percentile of its rank over
 *    the runs (nearest-rank: the smallest r with count(rank <= r) >= q * N,
 *    numpy's "inverted_cdf"), and the mean composite score.
 *  - Driving pillar, on the nominal index: driver_contrib = the pillar with
 *    the largest weighted contribution w_p * pillar_p to the entity's
 *    composite (arith; geom: the largest w_p * ln pillar_p), and
 *    driver_removal = the pillar whose removal (its weight set to 0, the
 *    others renormalised) moves the entity's rank most, removal_shift =
 *    new rank - nominal rank (positive: the entity falls without it);
 *    ties go to the lower pillar index.
 */
#ifndef C5_CINDEX_H
#define C5_CINDEX_H

#include <stddef.h>
#include <stdint.h>

/* ---- the options ---- */

typedef enum {
	CINDEX_NORM_MINMAX = 0,
	CINDEX_NORM_ZSCORE,
	CINDEX_NORM_RANK,
	CINDEX_NORM_TARGET,
	CINDEX_NORM_GOALPOSTS,
} cindex_norm_t;

typedef enum { CINDEX_W_EQUAL = 0, CINDEX_W_EXPERT, CINDEX_W_BUDGET } cindex_wmethod_t;
typedef enum { CINDEX_AGG_ARITH = 0, CINDEX_AGG_GEOM } cindex_agg_t;
typedef enum { CINDEX_MISS_EXCLUDE = 0, CINDEX_MISS_IMPUTE } cindex_missing_t;
typedef enum { CINDEX_MC_UNIFORM = 0, CINDEX_MC_DIRICHLET } cindex_mcw_t;
typedef enum { CINDEX_TR_NONE = 0, CINDEX_TR_LOG10, CINDEX_TR_LN } cindex_transform_t;

/* The names used on the command line and in the output ("minmax", "zscore",
 * "rank", "target", "goalposts"; "equal", "expert", "budget"; "arith",
 * "geom"; "exclude", "impute"; "uniform", "dirichlet"; "none", "log10",
 * "ln").  *_parse: 0, or -1 for an unknown name. */
const char *cindex_norm_name(cindex_norm_t n);
int cindex_norm_parse(const char *s, cindex_norm_t *out);
const char *cindex_wmethod_name(cindex_wmethod_t w);
const char *cindex_agg_name(cindex_agg_t a);
int cindex_agg_parse(const char *s, cindex_agg_t *out);
const char *cindex_missing_name(cindex_missing_t m);
int cindex_missing_parse(const char *s, cindex_missing_t *out);
const char *cindex_mcw_name(cindex_mcw_t m);
int cindex_mcw_parse(const char *s, cindex_mcw_t *out);
const char *cindex_transform_name(cindex_transform_t t);
int cindex_transform_parse(const char *s, cindex_transform_t *out);

/* ---- the input (every pointer borrowed: the caller keeps it alive for the
 * call; cindex_compute copies what the result needs) ---- */

typedef struct {
	size_t n_ent, n_ind, n_pillar;
	const double *x;                  /* n_ent * n_ind, row-major, NAN = missing */
	const char *const *ent_names;     /* n_ent, or NULL ("1", "2", ...) */
	const char *const *ind_names;     /* n_ind, or NULL */
	const char *const *pillar_names;  /* n_pillar, or NULL */
	const size_t *ind_pillar;         /* n_ind, each < n_pillar; every pillar used */
	const int *ind_dir;               /* n_ind, +1 / -1; NULL = all +1 */
	const cindex_transform_t *ind_tr; /* n_ind, or NULL = none */
	const double *gp_lo, *gp_hi;      /* n_ind goalposts (raw units), for goalposts */
	const double *target;             /* n_ind targets (raw units), for target */
	const size_t *ent_group;          /* n_ent group ids for impute, or NULL */
} cindex_input_t;

typedef struct {
	cindex_norm_t norm;
	cindex_agg_t agg;
	cindex_missing_t missing;
	cindex_wmethod_t wmethod;
	/* expert: relative weights (> 0 for at least one per group, >= 0 all);
	 * NULL at a level = equal at that level */
	const double *ind_w;              /* n_ind */
	const double *pil_w;              /* n_pillar */
	/* budget: n_experts rows of allocations (>= 0, each row > 0 in sum);
	 * NULL at a level = equal at that level */
	size_t n_experts;
	const double *budget_ind;         /* n_experts * n_ind */
	const double *budget_pil;         /* n_experts * n_pillar */
	/* Monte Carlo: runs 0 = none (at most CINDEX_MAX_RUNS) */
	size_t runs;
	uint64_t seed;
	cindex_mcw_t mc_weights;
	double mc_spread;                 /* uniform: 0..1 (0.2 = +-20 %); dirichlet: the
	                                   * concentration, > 0 (50: a relative sd of about
	                                   * 14 % on equal weights; the CLI's default) */
	int mc_norm;                      /* also draw the normalisation */
	int mc_agg;                       /* also draw the aggregation */
} cindex_opts_t;

#define CINDEX_MAX_RUNS 10000000u
#define CINDEX_MAX_CELLS 100000000u  /* n_ent * n_ind */
#define CINDEX_MAX_MC_ENT 5000u      /* entities in a Monte Carlo (an n_ent^2 rank histogram) */

/* Defaults: minmax, arith, exclude, equal, no Monte Carlo, uniform +-20 %,
 * seed 1. */
void cindex_opts_default(cindex_opts_t *o);

/* ---- the result (owned: cindex_result_free) ---- */

typedef struct {
	size_t n_ent, n_ind, n_pillar;
	char method[512];     /* the choices, stated: "normalisation=minmax weights=equal
	                       * aggregation=arith missing=exclude" (+ monte carlo) */
	double *ind_w;        /* n_ind, the weights used (sum 1 within each pillar) */
	double *pil_w;        /* n_pillar (sum 1) */
	double *norm;         /* n_ent * n_ind normalised values (NAN: missing, excluded) */
	unsigned char *imputed; /* n_ent * n_ind, 1 where the raw value was imputed */
	double *pillar;       /* n_ent * n_pillar pillar scores (NAN: no indicator) */
	double *score;        /* n_ent composite (NAN: unranked) */
	size_t *rank;         /* n_ent, 1 = best, 0 = unranked */
	size_t *driver_contrib;  /* n_ent pillar index (SIZE_MAX: none) */
	size_t *driver_removal;  /* n_ent pillar index (SIZE_MAX: one pillar or none) */
	long *removal_shift;     /* n_ent */
	/* Monte Carlo (all NULL when runs == 0) */
	size_t runs;
	size_t *mc_median, *mc_p05, *mc_p95; /* n_ent ranks */
	double *mc_mean_score;   /* n_ent */
	char mc_excluded[128];   /* the norm/agg pairs not drawn, or "" */
} cindex_result_t;

/* Compute the index.  0 and *out (free with cindex_result_free), or -1
 * with a one-line reason in err naming the entity / indicator / pillar /
 * option at fault (bad shape, a pillar with no indicator, a direction not
 * +-1, goalposts or target missing or equal, a log of a value <= 0,
 * geometric aggregation over a value <= 0, negative or all-zero weights,
 * too many runs, cells or entities for a Monte Carlo, out of memory) and
 * *out NULL.  Names are shown as given (UTF-8 for the JSON writer). */
int cindex_compute(const cindex_input_t *in, const cindex_opts_t *o,
                   cindex_result_t **out, char *err, size_t errlen);
void cindex_result_free(cindex_result_t *r);

/* ---- the reproducible generator (exposed for tests and the bench) ---- */

typedef struct { uint64_t s[4]; } cindex_rng_t;
/* Seed from the 64-bit state through splitmix64 (four outputs). */
void cindex_rng_seed(cindex_rng_t *g, uint64_t state);
/* The generator of Monte Carlo run r under seed. */
void cindex_rng_run(cindex_rng_t *g, uint64_t seed, uint64_t r);
uint64_t cindex_rng_next(cindex_rng_t *g);   /* xoshiro256** */
double cindex_rng_uniform(cindex_rng_t *g);  /* [0, 1), 53 bits */

/* ---- reading the CSV files (cindex_csv.c) ---- */

/* A data set read from files: owns every array; in is a view of them. */
typedef struct cindex_data cindex_data_t;

/* Read the indicator matrix: a CSV with a header "entity,IND1,IND2,..."
 * (optionally "entity,group,IND1,...": a column named "group" gives
 * ent_group), one row per entity, numbers (a decimal point, optional
 * exponent) or an empty cell / "NA" / "NaN" for missing.  Then, when
 * pillars_path is not NULL, the pillars file: a CSV with the header
 * "indicator,pillar" and optional columns "direction" (+1/-1, "higher",
 * "lower"), "transform" (none/log10/ln), "min", "max" (goalposts), "target",
 * one row per indicator of the matrix (every one, each once).  Without it
 * each indicator is its own pillar, higher is better.  Quoted fields ("a,b",
 * "" for a quote) are allowed; CR LF too; blank lines and lines starting
 * with '#' are skipped; names are 1-256 printable UTF-8 bytes, unique; at
 * most 256 MiB a file.  0 and *out, or -1 with
 * "file:line:field: reason" in err and *out NULL: nothing is computed from
 * a file with any error. */
int cindex_data_read(const char *matrix_path, const char *pillars_path,
                     cindex_data_t **out, char *err, size_t errlen);
/* The same from memory (name is used in messages; pillars may be NULL). */
int cindex_data_parse(const char *name, const char *matrix, size_t matrix_len,
                      const char *pillars_name, const char *pillars, size_t pillars_len,
                      cindex_data_t **out, char *err, size_t errlen);
/* Read weights into o (borrowing arrays owned by d, so d must outlive the
 * use of o): a CSV either "name,weight" (expert: names are pillars or
 * indicators; naming one pillar means naming every pillar, naming one
 * indicator of a pillar means naming every indicator of it) or
 * "expert,NAME1,NAME2,..." (budget allocation: one row per expert, names
 * all pillars or all indicators of a pillar and so on, as above).  Sets
 * o->wmethod and the arrays.  0, or -1 with "file:line:field: reason". */
int cindex_weights_read(cindex_data_t *d, const char *path, cindex_opts_t *o,
                        char *err, size_t errlen);
int cindex_weights_parse(cindex_data_t *d, const char *name, const char *text, size_t len,
                         cindex_opts_t *o, char *err, size_t errlen);
const cindex_input_t *cindex_data_input(const cindex_data_t *d);
void cindex_data_free(cindex_data_t *d);

/* ---- writing the result (cindex_out.c) ---- */

/* The result as JSON text (the caller frees): {"method", "options": {...},
 * "pillars": [{name, weight}], "indicators": [{name, pillar, direction,
 * weight}], "entities": [{name, score, rank, pillars: {NAME: score},
 * normalised: {NAME: value}, imputed: [NAME], driver: {contribution,
 * removal, removal_shift}, monte_carlo: {median_rank, rank_p05, rank_p95,
 * mean_score}}]} ordered by rank; NULL when out of memory. */
char *cindex_result_json(const cindex_input_t *in, const cindex_opts_t *o,
                         const cindex_result_t *r);
/* The result as CSV text (the caller frees): a "# method" comment line,
 * then entity,rank,score,<pillar...>,driver_contribution,driver_removal,
 * removal_shift[,mc_median_rank,mc_rank_p05,mc_rank_p95,mc_mean_score],
 * ordered by rank; NULL when out of memory. */
char *cindex_result_csv(const cindex_input_t *in, const cindex_result_t *r);

#endif
