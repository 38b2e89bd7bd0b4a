/* fuzz_cindex.c — libFuzzer target: the composite index's readers
 * (cindex_csv.c) on any bytes: the input is the matrix, then after a NUL the
 * pillars file, then after another the weights file.  What is accepted must
 * compute or be refused with a reason (never crash), and a computed result
 * must hold: ranks 0 (unranked, score NAN) or 1..n, every weight group
 * summing to 1, the Monte Carlo intervals ordered, the JSON and CSV
 * writers total. */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cindex/cindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *part[3] = {s, NULL, NULL};
	size_t len[3] = {size, 0, 0};
	char err[512];
	for (int k = 1; k < 3; k++) {
		const char *z = memchr(part[k - 1], 0, len[k - 1]);
		if (!z)
			break;
		part[k] = z + 1;
		len[k] = (size_t)(s + size - part[k]);
		len[k - 1] = (size_t)(z - part[k - 1]);
	}
	cindex_data_t *d = NULL;
	if (cindex_data_parse("m", part[0], len[0], "p", part[1], len[1], &d, err, sizeof err)) {
		assert(d == NULL && err[0]);
		return 0;
	}
	const cindex_input_t *in = cindex_data_input(d);
	assert(in->n_ent > 0 && in->n_ind > 0 && in->n_pillar > 0 && in->n_pillar <= in->n_ind);
	cindex_opts_t o;
	cindex_opts_default(&o);
	if (part[2] && cindex_weights_parse(d, "w", part[2], len[2], &o, err, sizeof err))
		assert(err[0] && o.wmethod == CINDEX_W_EQUAL);
	o.runs = 3;
	o.mc_norm = o.mc_agg = size & 1;
	/* the choice of normalisation and aggregation from the input's size */
	o.norm = (cindex_norm_t)(size / 2 % 5);
	o.agg = (cindex_agg_t)(size / 10 % 2);
	o.missing = (cindex_missing_t)(size / 20 % 2);
	cindex_result_t *r = NULL;
	if (cindex_compute(in, &o, &r, err, sizeof err) == 0) {
		for (size_t i = 0; i < r->n_ent; i++) {
			assert(r->rank[i] <= r->n_ent);
			assert((r->rank[i] == 0) == (isnan(r->score[i]) != 0));
			if (r->mc_median[i])
				assert(r->mc_p05[i] <= r->mc_median[i] && r->mc_median[i] <= r->mc_p95[i]);
		}
		double ps = 0;
		for (size_t p = 0; p < r->n_pillar; p++)
			ps += r->pil_w[p];
		assert(fabs(ps - 1) < 1e-9);
		char *j = cindex_result_json(in, &o, r), *c = cindex_result_csv(in, r);
		assert(j && c);
		free(j);
		free(c);
		cindex_result_free(r);
	} else
		assert(r == NULL && err[0]);
	cindex_data_free(d);
	return 0;
}
