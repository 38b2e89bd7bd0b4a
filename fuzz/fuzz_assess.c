/* fuzz_assess.c — libFuzzer target: the questionnaire loader and the
 * condition parser and the roadmap rules on arbitrary bytes (the first
 * byte chooses).  Refusals
 * name the file (loader) or a position inside the text (conditions); an
 * accepted questionnaire scores within 0..100 whatever the answers, and 0
 * when nothing is answered. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long find(void *arg, const char *id)
{
	(void)arg;
	return !strcmp(id, "a") ? 0 : !strcmp(id, "b") ? 1 : !strcmp(id, "c") ? 2 : -1;
}

static void questionnaire(const char *text, size_t n)
{
	char err[4096];
	assess_qn_t *qn;
	assess_result_t r;
	if (assess_qn_parse(text, n, "fuzz.json", &qn, err, sizeof err)) {
		if (strncmp(err, "fuzz.json", 9))
			abort();
		return;
	}
	const char **vals = calloc(qn->nq + 1, sizeof *vals);
	if (!vals)
		abort();
	if (assess_score(qn, vals, &r) || r.total != 0 || r.answered)
		abort();
	assess_result_free(&r);
	for (size_t i = 0; i < qn->nq; i++) {
		const assess_q_t *q = &qn->q[i];
		vals[i] = q->nopts ? q->opts[0].value : q->type == AQ_DATE ? "2026-01-01" : "yes";
		if (q->type == AQ_NUMBER || q->type == AQ_PERCENT)
			vals[i] = "100";
	}
	if (assess_score(qn, vals, &r) || !(r.total >= 0 && r.total <= 100 + 1e-9))
		abort();
	for (size_t p = 0; p < qn->np; p++)
		if (!(r.pillar[p] >= 0 && r.pillar[p] <= 20 + 1e-9))
			abort();
	assess_result_free(&r);
	free(vals);
	assess_qn_free(qn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] % 3 == 2) {
		char err[4096];
		assess_rules_t *rs;
		if (assess_rules_parse(text, size - 1, "rules.json", &rs, err, sizeof err)) {
			if (strncmp(err, "rules.json", 10))
				abort();
		} else {
			assess_rules_free(rs);
		}
	} else if (data[0] & 1) {
		questionnaire(text, size - 1);
	} else {
		char err[256];
		size_t at;
		assess_cond_t *c;
		static const char *const vals[3] = {"yes", "12", "x,y"};
		if (assess_cond_parse(text, find, NULL, &c, err, sizeof err)) {
			if (strlen(text) <= ASSESS_COND_MAX &&
			    (sscanf(err, "at %zu: ", &at) != 1 || at < 1 || at > strlen(text) + 1))
				abort();
		} else {
			int v = assess_cond_eval(c, vals);
			if (v != 0 && v != 1)
				abort();
			assess_cond_free(c);
		}
	}
	free(text);
	return 0;
}
