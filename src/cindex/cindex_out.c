/* cindex_out.c — the composite index's result as JSON (jansson) and CSV,
 * entities in rank order (unranked last, in input order). */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cindex.h"
#include "core/util.h"

static const char *nm(const char *const *names, size_t i, char *buf, size_t size)
{
	if (names && names[i])
		return names[i];
	snprintf(buf, size, "%zu", i + 1);
	return buf;
}

/* Entities by rank (ties and unranked in input order; unranked last). */
static int cmp_rank(const void *a, const void *b, void *arg)
{
	const cindex_result_t *r = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t rx = r->rank[x] ? r->rank[x] : SIZE_MAX, ry = r->rank[y] ? r->rank[y] : SIZE_MAX;
	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x < y ? -1 : x > y;
}

static size_t *order_of(const cindex_result_t *r)
{
	size_t *o = malloc((r->n_ent ? r->n_ent : 1) * sizeof *o);
	if (!o)
		return NULL;
	for (size_t i = 0; i < r->n_ent; i++)
		o[i] = i;
	qsort_r(o, r->n_ent, sizeof *o, cmp_rank, (void *)r);
	return o;
}

static json_t *num(double v)
{
	return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

char *cindex_result_json(const cindex_input_t *in, const cindex_opts_t *o, const cindex_result_t *r)
{
	char b1[32], b2[32];
	size_t *ord = order_of(r);
	json_t *root = json_object(), *pils = json_array(), *inds = json_array(), *ents = json_array();
	char *out = NULL;
	if (!ord || !root || !pils || !inds || !ents)
		goto fail;
	json_t *opts = json_pack("{s:s, s:s, s:s, s:s}", "normalisation", cindex_norm_name(o->norm), "weights",
	                         cindex_wmethod_name(o->wmethod), "aggregation", cindex_agg_name(o->agg), "missing",
	                         cindex_missing_name(o->missing));
	if (!opts)
		goto fail;
	if (o->wmethod == CINDEX_W_BUDGET)
		json_object_set_new(opts, "experts", json_integer((json_int_t)o->n_experts));
	if (r->runs) {
		json_t *mc = json_pack("{s:I, s:s, s:s, s:f, s:b, s:b}", "runs", (json_int_t)r->runs, "seed", "",
		                       "weights", cindex_mcw_name(o->mc_weights), "spread", o->mc_spread,
		                       "normalisation", o->mc_norm, "aggregation", o->mc_agg);
		if (mc) {
			char sb[32];
			snprintf(sb, sizeof sb, "%llu", (unsigned long long)o->seed);
			json_object_set_new(mc, "seed", json_string(sb));
			if (r->mc_excluded[0])
				json_object_set_new(mc, "not_drawn", json_string(r->mc_excluded));
			json_object_set_new(opts, "monte_carlo", mc);
		}
	}
	json_object_set_new(root, "method", json_string(r->method));
	json_object_set_new(root, "options", opts);
	for (size_t p = 0; p < r->n_pillar; p++)
		json_array_append_new(pils, json_pack("{s:s, s:f}", "name", nm(in->pillar_names, p, b1, sizeof b1),
		                                      "weight", r->pil_w[p]));
	for (size_t j = 0; j < r->n_ind; j++)
		json_array_append_new(inds, json_pack("{s:s, s:s, s:i, s:f}", "name", nm(in->ind_names, j, b1, sizeof b1),
		                                      "pillar", nm(in->pillar_names, in->ind_pillar[j], b2, sizeof b2),
		                                      "direction", in->ind_dir ? in->ind_dir[j] : 1, "weight",
		                                      r->ind_w[j]));
	for (size_t a = 0; a < r->n_ent; a++) {
		size_t i = ord[a];
		json_t *e = json_object(), *ps = json_object(), *nv = json_object(), *imp = json_array();
		if (!e || !ps || !nv || !imp) {
			json_decref(e);
			json_decref(ps);
			json_decref(nv);
			json_decref(imp);
			goto fail;
		}
		json_object_set_new(e, "name", json_string(nm(in->ent_names, i, b1, sizeof b1)));
		json_object_set_new(e, "rank", r->rank[i] ? json_integer((json_int_t)r->rank[i]) : json_null());
		json_object_set_new(e, "score", num(r->score[i]));
		for (size_t p = 0; p < r->n_pillar; p++)
			json_object_set_new(ps, nm(in->pillar_names, p, b1, sizeof b1), num(r->pillar[i * r->n_pillar + p]));
		for (size_t j = 0; j < r->n_ind; j++) {
			json_object_set_new(nv, nm(in->ind_names, j, b1, sizeof b1), num(r->norm[i * r->n_ind + j]));
			if (r->imputed[i * r->n_ind + j])
				json_array_append_new(imp, json_string(nm(in->ind_names, j, b1, sizeof b1)));
		}
		json_object_set_new(e, "pillars", ps);
		json_object_set_new(e, "normalised", nv);
		json_object_set_new(e, "imputed", imp);
		json_t *drv = json_object();
		if (drv) {
			size_t dc = r->driver_contrib[i], dr = r->driver_removal[i];
			json_object_set_new(drv, "contribution",
			                    dc == SIZE_MAX ? json_null() : json_string(nm(in->pillar_names, dc, b1, sizeof b1)));
			json_object_set_new(drv, "removal",
			                    dr == SIZE_MAX ? json_null() : json_string(nm(in->pillar_names, dr, b2, sizeof b2)));
			json_object_set_new(drv, "removal_shift", json_integer(r->removal_shift[i]));
			json_object_set_new(e, "driver", drv);
		}
		if (r->runs) {
			json_t *mc = r->mc_median[i]
			                 ? json_pack("{s:I, s:I, s:I, s:o}", "median_rank", (json_int_t)r->mc_median[i],
			                             "rank_p05", (json_int_t)r->mc_p05[i], "rank_p95",
			                             (json_int_t)r->mc_p95[i], "mean_score", num(r->mc_mean_score[i]))
			                 : json_null();
			json_object_set_new(e, "monte_carlo", mc);
		}
		json_array_append_new(ents, e);
	}
	json_object_set_new(root, "pillars", pils);
	json_object_set_new(root, "indicators", inds);
	json_object_set_new(root, "entities", ents);
	pils = inds = ents = NULL;
	out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
fail:
	json_decref(pils);
	json_decref(inds);
	json_decref(ents);
	json_decref(root);
	free(ord);
	return out;
}

/* A CSV field: quoted when it holds a comma, quote, CR or LF. */
static void csv_field(util_buf_t *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		util_buf_add(b, s, strlen(s));
		return;
	}
	util_buf_add(b, "\"", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			util_buf_add(b, "\"", 1);
		util_buf_add(b, p, 1);
	}
	util_buf_add(b, "\"", 1);
}

static void csv_num(util_buf_t *b, double v)
{
	if (isnan(v) || isinf(v))
		return;
	util_buf_printf(b, "%.10g", v);
}

char *cindex_result_csv(const cindex_input_t *in, const cindex_result_t *r)
{
	char b1[32];
	size_t *ord = order_of(r);
	util_buf_t b = {0};
	if (!ord)
		return NULL;
	util_buf_printf(&b, "# %s\n", r->method);
	util_buf_add(&b, "entity,rank,score", 17);
	for (size_t p = 0; p < r->n_pillar; p++) {
		util_buf_add(&b, ",", 1);
		csv_field(&b, nm(in->pillar_names, p, b1, sizeof b1));
	}
	util_buf_printf(&b, ",driver_contribution,driver_removal,removal_shift%s\n",
	                r->runs ? ",mc_median_rank,mc_rank_p05,mc_rank_p95,mc_mean_score" : "");
	for (size_t a = 0; a < r->n_ent; a++) {
		size_t i = ord[a];
		csv_field(&b, nm(in->ent_names, i, b1, sizeof b1));
		if (r->rank[i])
			util_buf_printf(&b, ",%zu,", r->rank[i]);
		else
			util_buf_add(&b, ",,", 2);
		csv_num(&b, r->score[i]);
		for (size_t p = 0; p < r->n_pillar; p++) {
			util_buf_add(&b, ",", 1);
			csv_num(&b, r->pillar[i * r->n_pillar + p]);
		}
		util_buf_add(&b, ",", 1);
		if (r->driver_contrib[i] != SIZE_MAX)
			csv_field(&b, nm(in->pillar_names, r->driver_contrib[i], b1, sizeof b1));
		util_buf_add(&b, ",", 1);
		if (r->driver_removal[i] != SIZE_MAX)
			csv_field(&b, nm(in->pillar_names, r->driver_removal[i], b1, sizeof b1));
		util_buf_printf(&b, ",%ld", r->removal_shift[i]);
		if (r->runs) {
			if (r->mc_median[i])
				util_buf_printf(&b, ",%zu,%zu,%zu,", r->mc_median[i], r->mc_p05[i], r->mc_p95[i]);
			else
				util_buf_add(&b, ",,,,", 4);
			csv_num(&b, r->mc_mean_score[i]);
		}
		util_buf_add(&b, "\n", 1);
	}
	free(ord);
	if (b.oom) {
		free(b.data);
		return NULL;
	}
	return b.data;
}
