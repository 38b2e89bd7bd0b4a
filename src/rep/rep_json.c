/* rep_json.c — a score and its reasons as JSON, the same for the API and
 * `c5hub lookup --json` (see rep.h). */
#include "rep.h"
#include "rep_json.h"

#include <math.h>

static json_t *minutes_json(uint32_t m)
{
	char buf[32];
	return m ? json_string(model_time_fmt(rep_seconds(m), buf)) : json_null();
}

static double round3(double v)
{
	return round(v * 1000) / 1000;
}

int rep_json_why(json_t *o, const rep_report_t *r, const rep_why_t *w)
{
	json_t *decay = w->state == REP_FP || w->state == REP_FP_EXPIRED
				? json_null()
				: json_pack("{s:f, s:f, s:f}", "lifetime_days", round3(w->d.lifetime / 1440.0),
					    "speed", w->d.speed, "factor", round3(w->decay));
	return json_object_set_new(o, "classification", json_string(r->cls ? r->cls : "")) ||
	       json_object_set_new(o, "confidence", json_integer(r->conf)) ||
	       json_object_set_new(o, "trust", json_integer(r->trust)) ||
	       json_object_set_new(o, "last_seen", minutes_json(r->seen)) ||
	       json_object_set_new(o, "valid_until", minutes_json(r->until)) ||
	       json_object_set_new(o, "age_days", json_real(round3(w->age / 1440.0))) ||
	       json_object_set_new(o, "decay", decay) ||
	       json_object_set_new(o, "weight", json_real(round3(w->weight))) ||
	       json_object_set_new(o, "state", json_string(rep_state_name(w->state)));
}

int rep_json_result(json_t *o, const rep_report_t *r, const rep_result_t *res, int listed,
		    const rep_model_t *m)
{
	const char *cls = res->best >= 0 ? r[res->best].cls : NULL;
	return json_object_set_new(o, "score", json_integer(res->score)) ||
	       json_object_set_new(o, "listed", json_boolean(listed)) ||
	       json_object_set_new(o, "classification", cls ? json_string(cls) : json_null()) ||
	       json_object_set_new(o, "dnsbl_code", cls ? json_integer(rep_code(m, cls)) : json_null()) ||
	       json_object_set_new(o, "reporters", json_integer(res->reporters)) ||
	       json_object_set_new(o, "false_positives", json_integer(res->fps)) ||
	       json_object_set_new(o, "model", json_string(REP_MODEL_TEXT));
}
