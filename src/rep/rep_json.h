/* rep_json.h — JSON of a score and its reasons (used by the API and the CLI). */
#ifndef C5_REP_JSON_H
#define C5_REP_JSON_H

#include <jansson.h>

#include "core/model.h"
#include "rep.h"

#define REP_MODEL_TEXT                                                                       \
	"score = 100 * (1 - prod(1 - weight/100)) * prod(1 - fp_strength/100); "            \
	"weight = confidence * trust/100 * max(0, 1 - (age/lifetime)^(1/speed)); "          \
	"fp_strength = confidence * trust/100"

/* Add one report's reasons to o (classification, confidence, trust, last_seen,
 * valid_until, age_days, decay {lifetime_days, speed, factor}, weight, state).
 * 0, or -1 on out of memory. */
int rep_json_why(json_t *o, const rep_report_t *r, const rep_why_t *w);
/* Add the result (score, listed — the caller's rep_listed —, classification,
 * dnsbl_code, reporters, false_positives, model) to o. */
int rep_json_result(json_t *o, const rep_report_t *r, const rep_result_t *res, int listed,
		    const rep_model_t *m);

#endif
