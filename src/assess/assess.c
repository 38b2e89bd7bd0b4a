/* assess.c — questionnaires (parse, validate with JSON paths), answer
 * checks, the scores of one assessment and its roadmap (see assess.h). */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "core/model.h"

#define MAX_ERRORS 20
#define MAX_ITEMS 5000 /* pillars, indicators, questions, options, actions */

static const char *const qtypes[AQ_NTYPES] = {
	"yes-no", "yes-partial-no", "choice", "multiple-choice", "number", "percentage", "date", "text",
};
static const char *const stages[ASSESS_NSTAGES + 1] = {
	"none", "start-up", "formative", "established", "strategic", "dynamic",
};

const char *assess_qtype_name(assess_qtype_t t)
{
	return t < AQ_NTYPES ? qtypes[t] : "?";
}

const char *assess_stage_name(int s)
{
	return s >= 0 && s <= ASSESS_NSTAGES ? stages[s] : "";
}

int assess_stage_parse(const char *s)
{
	for (int i = 1; i <= ASSESS_NSTAGES; i++)
		if (!strcmp(s, stages[i]))
			return i;
	return -1;
}

/* ---- errors with their JSON path ---- */

typedef struct {
	const char *file;
	char *err;
	size_t errlen, used;
	int n;
	char path[512];
} E;

static void __attribute__((format(printf, 2, 3))) bad(E *e, const char *fmt, ...)
{
	if (e->n++ >= MAX_ERRORS || e->used + 1 >= e->errlen)
		return;
	va_list ap;
	int k = snprintf(e->err + e->used, e->errlen - e->used, "%s%s: %s: ", e->used ? "\n" : "",
			 e->file, e->path[0] ? e->path : "$");
	if (k > 0 && e->used + (size_t)k < e->errlen) {
		e->used += (size_t)k;
		va_start(ap, fmt);
		k = vsnprintf(e->err + e->used, e->errlen - e->used, fmt, ap);
		va_end(ap);
		if (k > 0)
			e->used += (size_t)k < e->errlen - e->used ? (size_t)k : e->errlen - e->used - 1;
	} else {
		e->used = e->errlen - 1;
	}
}

/* Push ".key" or "[i]" onto the path; returns the old length to pop to. */
static size_t push(E *e, const char *key, long i)
{
	size_t n = strlen(e->path);
	if (key)
		snprintf(e->path + n, sizeof e->path - n, "%s.%s", n ? "" : "$", key);
	else
		snprintf(e->path + n, sizeof e->path - n, "%s[%ld]", n ? "" : "$", i);
	return n;
}

static void pop(E *e, size_t n)
{
	e->path[n] = '\0';
}

/* A field's text (a copy), required or not; NULL when absent or bad. */
static char *str_field(E *e, json_t *o, const char *key, int required, size_t max)
{
	json_t *v = json_object_get(o, key);
	size_t at = push(e, key, 0);
	char *r = NULL;
	if (!v) {
		if (required)
			bad(e, "missing");
	} else if (!json_is_string(v)) {
		bad(e, "not a string");
	} else if (json_string_length(v) > max || strlen(json_string_value(v)) != json_string_length(v)) {
		bad(e, "longer than %zu bytes or holding a NUL", max);
	} else if (required && !json_string_length(v)) {
		bad(e, "empty");
	} else if (!(r = strdup(json_string_value(v)))) {
		bad(e, "out of memory");
	}
	pop(e, at);
	return r;
}

static double num_field(E *e, json_t *o, const char *key, double dflt, double lo, double hi)
{
	json_t *v = json_object_get(o, key);
	size_t at = push(e, key, 0);
	double d = dflt;
	if (v) {
		if (!json_is_number(v))
			bad(e, "not a number");
		else if (!((d = json_number_value(v)) >= lo && d <= hi))
			bad(e, "%g is outside %g..%g", d, lo, hi), d = dflt;
	}
	pop(e, at);
	return d;
}

/* A good id: 1..64 of letters, digits, '.', '_', '-'. */
static int id_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > ASSESS_ID_MAX)
		return 0;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* The array at key (required), or NULL after an error. */
static json_t *arr_field(E *e, json_t *o, const char *key, int required)
{
	json_t *v = json_object_get(o, key);
	size_t at = push(e, key, 0);
	if (!v ? required : !json_is_array(v) || json_array_size(v) > MAX_ITEMS)
		bad(e, !v ? "missing" : "not an array of at most %d items", MAX_ITEMS);
	else if (v && required && !json_array_size(v))
		bad(e, "empty");
	pop(e, at);
	return v && json_is_array(v) && json_array_size(v) <= MAX_ITEMS ? v : NULL;
}

/* Unknown keys are errors (a misspelt "weigth" would silently do nothing). */
static void keys_only(E *e, json_t *o, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		size_t i;
		for (i = 0; keys[i]; i++)
			if (!strcmp(k, keys[i]))
				break;
		if (!keys[i]) {
			size_t at = push(e, k, 0);
			bad(e, "unknown key");
			pop(e, at);
		}
	}
}

/* ---- questionnaire ---- */

void assess_qn_free(assess_qn_t *qn)
{
	if (!qn)
		return;
	for (size_t i = 0; i < qn->np; i++)
		free(qn->p[i].id), free(qn->p[i].title);
	for (size_t i = 0; i < qn->nind; i++)
		free(qn->ind[i].id), free(qn->ind[i].title);
	for (size_t i = 0; i < qn->nq; i++) {
		assess_q_t *q = &qn->q[i];
		free(q->id), free(q->text), free(q->hub), free(q->cond_text);
		assess_cond_free(q->cond);
		for (size_t k = 0; k < q->nopts; k++)
			free(q->opts[k].value), free(q->opts[k].label);
		free(q->opts);
	}
	for (size_t i = 0; i < qn->ntiers; i++)
		free(qn->tiers[i].name);
	free(qn->p), free(qn->ind), free(qn->q), free(qn->tiers);
	free(qn->name), free(qn->title);
	free(qn);
}

long assess_q_find(const assess_qn_t *qn, const char *id)
{
	for (size_t i = 0; i < qn->nq; i++)
		if (qn->q[i].id && !strcmp(qn->q[i].id, id))
			return (long)i;
	return -1;
}

long assess_ind_find(const assess_qn_t *qn, const char *id)
{
	for (size_t i = 0; i < qn->nind; i++)
		if (qn->ind[i].id && !strcmp(qn->ind[i].id, id))
			return (long)i;
	return -1;
}

typedef struct {
	const assess_qn_t *qn;
	size_t limit; /* earlier questions only */
} find_t;

static long find_earlier(void *arg, const char *id)
{
	find_t *f = arg;
	for (size_t i = 0; i < f->limit; i++)
		if (f->qn->q[i].id && !strcmp(f->qn->q[i].id, id))
			return (long)i;
	return -1;
}

static void parse_options(E *e, json_t *jq, assess_q_t *q)
{
	json_t *a = arr_field(e, jq, "options", 1), *o;
	size_t i, at = push(e, "options", 0);
	if (a && !(q->opts = calloc(json_array_size(a) + 1, sizeof *q->opts)))
		bad(e, "out of memory");
	else if (a)
		json_array_foreach(a, i, o) {
			size_t at2 = push(e, NULL, (long)i);
			static const char *const keys[] = {"value", "label", "score", NULL};
			assess_opt_t *op = &q->opts[q->nopts++];
			if (!json_is_object(o)) {
				bad(e, "not an object");
				pop(e, at2);
				continue;
			}
			keys_only(e, o, keys);
			op->value = str_field(e, o, "value", 1, ASSESS_ID_MAX);
			op->label = str_field(e, o, "label", 0, 500);
			op->score = num_field(e, o, "score", 0, 0, 1);
			if (op->value && (!id_ok(op->value)))
				bad(e, "value '%s': letters, digits, '.', '_', '-' only", op->value);
			for (size_t k = 0; op->value && k + 1 < q->nopts; k++)
				if (q->opts[k].value && !strcmp(q->opts[k].value, op->value))
					bad(e, "value '%s' given twice", op->value);
			pop(e, at2);
		}
	pop(e, at);
}

static void parse_question(E *e, json_t *jq, assess_qn_t *qn, size_t qi)
{
	static const char *const keys[] = {"id", "text", "type", "weight", "stage", "evidence",
					   "options", "target", "hub", "condition", NULL};
	assess_q_t *q = &qn->q[qi];
	keys_only(e, jq, keys);
	q->id = str_field(e, jq, "id", 1, ASSESS_ID_MAX);
	if (q->id && !id_ok(q->id)) {
		size_t at = push(e, "id", 0);
		bad(e, "'%s': letters, digits, '.', '_', '-' only", q->id);
		pop(e, at);
	}
	if (q->id && find_earlier(&(find_t){qn, qi}, q->id) >= 0) {
		size_t at = push(e, "id", 0);
		bad(e, "question '%s' given twice", q->id);
		pop(e, at);
	}
	q->text = str_field(e, jq, "text", 1, 2000);
	char *type = str_field(e, jq, "type", 1, 32);
	q->type = AQ_NTYPES;
	for (int t = 0; type && t < AQ_NTYPES; t++)
		if (!strcmp(type, qtypes[t]))
			q->type = (assess_qtype_t)t;
	if (type && q->type == AQ_NTYPES) {
		size_t at = push(e, "type", 0);
		bad(e, "unknown type '%s' (yes-no, yes-partial-no, choice, multiple-choice, number, "
		       "percentage, date, text)", type);
		pop(e, at);
	}
	free(type);
	q->weight = num_field(e, jq, "weight", 1, 0, 1000);
	char *stage = str_field(e, jq, "stage", 0, 32);
	if (stage && (q->stage = assess_stage_parse(stage)) < 0) {
		size_t at = push(e, "stage", 0);
		bad(e, "unknown stage '%s' (start-up, formative, established, strategic, dynamic)", stage);
		pop(e, at);
		q->stage = 0;
	}
	free(stage);
	json_t *ev = json_object_get(jq, "evidence");
	if (ev && !json_is_boolean(ev)) {
		size_t at = push(e, "evidence", 0);
		bad(e, "not true or false");
		pop(e, at);
	}
	q->evidence = ev && json_is_true(ev);
	if (q->type == AQ_CHOICE || q->type == AQ_MULTI)
		parse_options(e, jq, q);
	else if (json_object_get(jq, "options")) {
		size_t at = push(e, "options", 0);
		bad(e, "only for choice and multiple-choice");
		pop(e, at);
	}
	q->target = num_field(e, jq, "target", 0, 0, 1e15);
	if (q->target && q->type != AQ_NUMBER) {
		size_t at = push(e, "target", 0);
		bad(e, "only for number");
		pop(e, at);
	}
	q->hub = str_field(e, jq, "hub", 0, ASSESS_ID_MAX);
	if (q->hub && !assess_hub_known(q->hub, q->type)) {
		size_t at = push(e, "hub", 0);
		bad(e, "unknown figure '%s' for a %s question (%s)", q->hub, assess_qtype_name(q->type),
		    ASSESS_HUB_NAMES);
		pop(e, at);
	}
	q->cond_text = str_field(e, jq, "condition", 0, ASSESS_COND_MAX);
	if (q->cond_text && q->id) {
		char cerr[256];
		if (assess_cond_parse(q->cond_text, find_earlier, &(find_t){qn, qi}, &q->cond, cerr,
				      sizeof cerr)) {
			size_t at = push(e, "condition", 0);
			bad(e, "%s", cerr);
			pop(e, at);
		}
	}
}

int assess_hub_known(const char *name, assess_qtype_t t)
{
	static const struct {
		const char *name;
		unsigned types; /* 1 << assess_qtype_t */
	} fig[] = {
#define YN (1u << AQ_YESNO | 1u << AQ_YPN)
#define NUM (1u << AQ_NUMBER)
#define PCT (1u << AQ_PERCENT | 1u << AQ_NUMBER)
		{"team", YN | NUM}, {"contacts_247", YN}, {"feeds", NUM}, {"abuse_contact_share", PCT},
		{"notices_delivered", PCT}, {"ack_time", NUM}, {"response_time", NUM},
		{"resolution_time", NUM}, {"sla_ack", PCT}, {"sla_response", PCT}, {"sla_resolution", PCT},
#undef YN
#undef NUM
#undef PCT
	};
	for (size_t i = 0; i < sizeof fig / sizeof fig[0]; i++)
		if (!strcmp(fig[i].name, name))
			return (fig[i].types >> t) & 1u;
	return 0;
}

static void parse_tiers(E *e, json_t *root, assess_qn_t *qn)
{
	/* GCI 2024's five tiers, by default */
	static const struct { const char *name; double min; } dflt[] = {
		{"Tier 1 - role-modelling", 95}, {"Tier 2 - advancing", 85}, {"Tier 3 - establishing", 55},
		{"Tier 4 - evolving", 20}, {"Tier 5 - building", 0},
	};
	json_t *a = arr_field(e, root, "tiers", 0), *t;
	size_t n = a ? json_array_size(a) : 5, i;
	if (!(qn->tiers = calloc(n + 1, sizeof *qn->tiers)))
		return bad(e, "out of memory");
	if (!a) {
		for (i = 0; i < 5; i++) {
			qn->tiers[i].name = strdup(dflt[i].name);
			qn->tiers[i].min = dflt[i].min;
			if (!qn->tiers[i].name)
				return bad(e, "out of memory");
			qn->ntiers++;
		}
		return;
	}
	size_t at = push(e, "tiers", 0);
	json_array_foreach(a, i, t) {
		size_t at2 = push(e, NULL, (long)i);
		static const char *const keys[] = {"name", "min", NULL};
		if (!json_is_object(t)) {
			bad(e, "not an object");
		} else {
			keys_only(e, t, keys);
			assess_tier_t *tr = &qn->tiers[qn->ntiers++];
			tr->name = str_field(e, t, "name", 1, 200);
			tr->min = num_field(e, t, "min", 0, 0, 100);
			if (!json_object_get(t, "min")) {
				size_t at3 = push(e, "min", 0);
				bad(e, "missing");
				pop(e, at3);
			}
			if (qn->ntiers > 1 && tr->min >= qn->tiers[qn->ntiers - 2].min)
				bad(e, "tiers go from the highest min down");
		}
		pop(e, at2);
	}
	pop(e, at);
}

int assess_qn_parse(const char *text, size_t len, const char *file, assess_qn_t **out, char *err,
		    size_t errlen)
{
	E e = {.file = file, .err = err, .errlen = errlen};
	json_error_t je;
	assess_qn_t *qn = NULL;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *jp, *ji, *jq;
	size_t i, k, m;
	*out = NULL;
	err[0] = '\0';
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", file, je.line, je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		bad(&e, "not an object");
		goto done;
	}
	static const char *const keys[] = {"name", "version", "title", "tiers", "pillars", NULL};
	keys_only(&e, root, keys);
	if (!(qn = calloc(1, sizeof *qn))) {
		bad(&e, "out of memory");
		goto done;
	}
	qn->name = str_field(&e, root, "name", 1, ASSESS_ID_MAX);
	if (qn->name && !id_ok(qn->name))
		bad(&e, "name '%s': letters, digits, '.', '_', '-' only", qn->name);
	qn->title = str_field(&e, root, "title", 0, 500);
	json_t *v = json_object_get(root, "version");
	if (!v || !json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000) {
		size_t at = push(&e, "version", 0);
		bad(&e, v ? "not a whole number from 1" : "missing");
		pop(&e, at);
	} else {
		qn->version = (int)json_integer_value(v);
	}
	parse_tiers(&e, root, qn);
	/* count, then fill */
	json_t *pa = arr_field(&e, root, "pillars", 1);
	size_t nind = 0, nq = 0;
	if (!pa)
		goto done;
	json_array_foreach(pa, i, jp) {
		json_t *ia = json_is_object(jp) ? json_object_get(jp, "indicators") : NULL;
		if (json_is_array(ia))
			json_array_foreach(ia, k, ji) {
				json_t *qa = json_is_object(ji) ? json_object_get(ji, "questions") : NULL;
				nind++;
				nq += json_is_array(qa) ? json_array_size(qa) : 0;
			}
	}
	if (nind > MAX_ITEMS || nq > MAX_ITEMS) {
		bad(&e, "more than %d indicators or questions", MAX_ITEMS);
		goto done;
	}
	qn->p = calloc(json_array_size(pa) + 1, sizeof *qn->p);
	qn->ind = calloc(nind + 1, sizeof *qn->ind);
	qn->q = calloc(nq + 1, sizeof *qn->q);
	if (!qn->p || !qn->ind || !qn->q) {
		bad(&e, "out of memory");
		goto done;
	}
	size_t at0 = push(&e, "pillars", 0);
	json_array_foreach(pa, i, jp) {
		size_t at1 = push(&e, NULL, (long)i);
		static const char *const pkeys[] = {"id", "title", "weight", "indicators", NULL};
		assess_pillar_t *p = &qn->p[qn->np++];
		p->first_ind = qn->nind;
		if (!json_is_object(jp)) {
			bad(&e, "not an object");
			pop(&e, at1);
			continue;
		}
		keys_only(&e, jp, pkeys);
		p->id = str_field(&e, jp, "id", 1, ASSESS_ID_MAX);
		p->title = str_field(&e, jp, "title", 1, 500);
		p->weight = num_field(&e, jp, "weight", 1, 0, 1000);
		for (k = 0; p->id && k + 1 < qn->np; k++)
			if (qn->p[k].id && !strcmp(qn->p[k].id, p->id))
				bad(&e, "pillar '%s' given twice", p->id);
		json_t *ia = arr_field(&e, jp, "indicators", 1);
		size_t at2 = push(&e, "indicators", 0);
		if (ia)
			json_array_foreach(ia, k, ji) {
				size_t at3 = push(&e, NULL, (long)k);
				static const char *const ikeys[] = {"id", "title", "weight", "questions", NULL};
				assess_ind_t *in = &qn->ind[qn->nind++];
				in->pillar = qn->np - 1;
				in->first_q = qn->nq;
				p->nind++;
				if (!json_is_object(ji)) {
					bad(&e, "not an object");
					pop(&e, at3);
					continue;
				}
				keys_only(&e, ji, ikeys);
				in->id = str_field(&e, ji, "id", 1, ASSESS_ID_MAX);
				in->title = str_field(&e, ji, "title", 1, 500);
				in->weight = num_field(&e, ji, "weight", 1, 0, 1000);
				if (in->id && !id_ok(in->id))
					bad(&e, "id '%s': letters, digits, '.', '_', '-' only", in->id);
				for (m = 0; in->id && m + 1 < qn->nind; m++)
					if (qn->ind[m].id && !strcmp(qn->ind[m].id, in->id))
						bad(&e, "indicator '%s' given twice", in->id);
				json_t *qa = arr_field(&e, ji, "questions", 1);
				size_t at4 = push(&e, "questions", 0);
				if (qa)
					json_array_foreach(qa, m, jq) {
						size_t at5 = push(&e, NULL, (long)m);
						qn->q[qn->nq].ind = qn->nind - 1;
						in->nq++;
						if (!json_is_object(jq))
							bad(&e, "not an object");
						else
							parse_question(&e, jq, qn, qn->nq);
						qn->nq++;
						pop(&e, at5);
					}
				pop(&e, at4);
				pop(&e, at3);
			}
		pop(&e, at2);
		pop(&e, at1);
	}
	pop(&e, at0);
done:
	json_decref(root);
	if (e.n) {
		if (e.n > MAX_ERRORS && e.used + 40 < errlen)
			snprintf(err + e.used, errlen - e.used, "\n%s: %d more errors", file, e.n - MAX_ERRORS);
		assess_qn_free(qn);
		return -1;
	}
	*out = qn;
	return 0;
}

/* ---- answers ---- */

static const assess_opt_t *option(const assess_q_t *q, const char *v, size_t n)
{
	for (size_t k = 0; k < q->nopts; k++)
		if (strlen(q->opts[k].value) == n && !strncmp(q->opts[k].value, v, n))
			return &q->opts[k];
	return NULL;
}

int assess_answer_check(const assess_q_t *q, const char *v, char *err, size_t errlen)
{
	char *e;
	double d;
	int64_t t;
	if (strlen(v) > ASSESS_VALUE_MAX)
		return snprintf(err, errlen, "%s: longer than %d bytes", q->id, ASSESS_VALUE_MAX), -1;
	switch (q->type) {
	case AQ_YESNO:
		if (strcmp(v, "yes") && strcmp(v, "no"))
			return snprintf(err, errlen, "%s: answer yes or no, not '%.40s'", q->id, v), -1;
		return 0;
	case AQ_YPN:
		if (strcmp(v, "yes") && strcmp(v, "partial") && strcmp(v, "no"))
			return snprintf(err, errlen, "%s: answer yes, partial or no, not '%.40s'", q->id, v),
			       -1;
		return 0;
	case AQ_CHOICE:
		if (!option(q, v, strlen(v)))
			return snprintf(err, errlen, "%s: '%.40s' is not one of its options", q->id, v), -1;
		return 0;
	case AQ_MULTI:
		for (const char *s = v; *s;) {
			const char *c = strchr(s, ',');
			size_t n = c ? (size_t)(c - s) : strlen(s);
			if (!option(q, s, n))
				return snprintf(err, errlen, "%s: '%.*s' is not one of its options", q->id,
						(int)(n > 40 ? 40 : n), s), -1;
			if (!c)
				break;
			s = c + 1;
		}
		return 0;
	case AQ_NUMBER:
	case AQ_PERCENT:
		d = strtod(v, &e);
		if (!*v || *e || !isfinite(d) || d < 0 || (q->type == AQ_PERCENT && d > 100))
			return snprintf(err, errlen, "%s: '%.40s' is not %s", q->id, v,
					q->type == AQ_PERCENT ? "a percentage 0..100" : "a number >= 0"), -1;
		return 0;
	case AQ_DATE:
		if (strlen(v) != 10 || model_time_parse(v, &t))
			return snprintf(err, errlen, "%s: '%.40s' is not a date YYYY-MM-DD", q->id, v), -1;
		return 0;
	case AQ_TEXT:
	case AQ_NTYPES:
		break;
	}
	return 0;
}

/* A relevant answered question's score 0..1, and whether it is scored. */
static int qscore(const assess_q_t *q, const char *v, double *s)
{
	*s = 0;
	if (q->weight <= 0 || q->type == AQ_DATE || q->type == AQ_TEXT ||
	    (q->type == AQ_NUMBER && q->target <= 0))
		return 0;
	if (!v)
		return 1;
	switch (q->type) {
	case AQ_YESNO:
		*s = !strcmp(v, "yes");
		break;
	case AQ_YPN:
		*s = !strcmp(v, "yes") ? 1 : !strcmp(v, "partial") ? 0.5 : 0;
		break;
	case AQ_CHOICE: {
		const assess_opt_t *o = option(q, v, strlen(v));
		*s = o ? o->score : 0;
		break;
	}
	case AQ_MULTI:
		for (const char *p = v; *p;) {
			const char *c = strchr(p, ',');
			size_t n = c ? (size_t)(c - p) : strlen(p);
			const assess_opt_t *o = option(q, p, n);
			*s += o ? o->score : 0;
			if (!c)
				break;
			p = c + 1;
		}
		break;
	case AQ_NUMBER:
		*s = strtod(v, NULL) / q->target;
		break;
	case AQ_PERCENT:
		*s = strtod(v, NULL) / 100;
		break;
	default:
		break;
	}
	if (!(*s >= 0))
		*s = 0;
	if (*s > 1)
		*s = 1;
	return 1;
}

void assess_result_free(assess_result_t *r)
{
	free(r->q), free(r->ind), free(r->pillar);
	memset(r, 0, sizeof *r);
}

int assess_score(const assess_qn_t *qn, const char *const *vals, assess_result_t *r)
{
	memset(r, 0, sizeof *r);
	const char **eff = calloc(qn->nq + 1, sizeof *eff);
	r->q = calloc(qn->nq + 1, sizeof *r->q);
	r->ind = calloc(qn->nind + 1, sizeof *r->ind);
	r->pillar = calloc(qn->np + 1, sizeof *r->pillar);
	if (!eff || !r->q || !r->ind || !r->pillar) {
		free(eff);
		assess_result_free(r);
		return -1;
	}
	/* relevance in order: a question not relevant reads as unanswered */
	for (size_t i = 0; i < qn->nq; i++) {
		const assess_q_t *q = &qn->q[i];
		assess_qscore_t *s = &r->q[i];
		s->relevant = !q->cond || assess_cond_eval(q->cond, eff);
		if (!s->relevant)
			continue;
		eff[i] = vals[i];
		s->answered = vals[i] != NULL;
		s->scored = qscore(q, vals[i], &s->score);
		s->met = s->answered && (s->scored ? s->score >= 1 - 1e-9 : 1);
		r->relevant++;
		r->answered += s->answered;
	}
	double pw = 0, tot = 0;
	for (size_t p = 0; p < qn->np; p++) {
		const assess_pillar_t *pl = &qn->p[p];
		double iw = 0, isum = 0;
		for (size_t k = pl->first_ind; k < pl->first_ind + pl->nind; k++) {
			const assess_ind_t *in = &qn->ind[k];
			assess_iscore_t *is = &r->ind[k];
			double w = 0, sum = 0;
			int reached = 0, has_stage = 0, broken = 0;
			for (int st = 1; st <= ASSESS_NSTAGES && !broken; st++) {
				int any = 0, all = 1;
				for (size_t i = in->first_q; i < in->first_q + in->nq; i++)
					if (qn->q[i].stage == st && r->q[i].relevant) {
						any = 1;
						all &= r->q[i].met;
					}
				if (!any)
					continue;
				has_stage = 1;
				if (all)
					reached = st;
				else
					broken = 1;
			}
			is->stage = has_stage ? reached : -1;
			for (size_t i = in->first_q; i < in->first_q + in->nq; i++) {
				is->relevant += r->q[i].relevant;
				is->answered += r->q[i].answered;
				if (r->q[i].scored) {
					w += qn->q[i].weight;
					sum += qn->q[i].weight * r->q[i].score;
				}
			}
			is->score = w > 0 ? sum / w : -1;
			if (w > 0) {
				iw += in->weight;
				isum += in->weight * is->score;
			}
		}
		r->pillar[p] = iw > 0 ? 20 * isum / iw : 0;
		pw += pl->weight;
		tot += pl->weight * r->pillar[p] / 20;
	}
	r->total = pw > 0 ? 100 * tot / pw : 0;
	r->tier = qn->ntiers;
	for (size_t t = 0; t < qn->ntiers; t++)
		if (r->total >= qn->tiers[t].min - 1e-9) {
			r->tier = t;
			break;
		}
	free(eff);
	return 0;
}

/* ---- roadmap ---- */

void assess_rules_free(assess_rules_t *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->na; i++) {
		assess_action_t *a = &rs->a[i];
		free(a->id), free(a->action), free(a->area), free(a->owner), free(a->horizon);
		for (size_t k = 0; k < a->npre; k++)
			free(a->pre[k]);
		free(a->pre);
	}
	for (size_t i = 0; i < rs->nr; i++) {
		free(rs->r[i].indicator);
		for (size_t k = 0; k < rs->r[i].nacts; k++)
			free(rs->r[i].acts[k]);
		free(rs->r[i].acts);
	}
	free(rs->a), free(rs->r), free(rs);
}

static long action_find(const assess_rules_t *rs, const char *id)
{
	for (size_t i = 0; i < rs->na; i++)
		if (rs->a[i].id && !strcmp(rs->a[i].id, id))
			return (long)i;
	return -1;
}

/* Ids from the array at key into *out / *n, each checked to name an action. */
static void id_list(E *e, json_t *o, const char *key, const assess_rules_t *rs, char ***out, size_t *n)
{
	json_t *a = arr_field(e, o, key, 0), *v;
	size_t i, at = push(e, key, 0);
	if (a && !(*out = calloc(json_array_size(a) + 1, sizeof **out)))
		bad(e, "out of memory");
	else if (a)
		json_array_foreach(a, i, v) {
			size_t at2 = push(e, NULL, (long)i);
			if (!json_is_string(v))
				bad(e, "not a string");
			else if (action_find(rs, json_string_value(v)) < 0)
				bad(e, "no action '%.64s'", json_string_value(v));
			else if (!((*out)[*n] = strdup(json_string_value(v))))
				bad(e, "out of memory");
			else
				(*n)++;
			pop(e, at2);
		}
	pop(e, at);
}

/* 1 when following prerequisites from action i comes back to it. */
static int cycle(const assess_rules_t *rs, size_t i, char *state)
{
	if (state[i] == 1)
		return 1;
	if (state[i] == 2)
		return 0;
	state[i] = 1;
	for (size_t k = 0; k < rs->a[i].npre; k++) {
		long j = action_find(rs, rs->a[i].pre[k]);
		if (j >= 0 && cycle(rs, (size_t)j, state))
			return 1;
	}
	state[i] = 2;
	return 0;
}

int assess_rules_parse(const char *text, size_t len, const char *file, assess_rules_t **out,
		       char *err, size_t errlen)
{
	E e = {.file = file, .err = err, .errlen = errlen};
	json_error_t je;
	assess_rules_t *rs = NULL;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je), *o;
	size_t i;
	*out = NULL;
	err[0] = '\0';
	if (!root) {
		snprintf(err, errlen, "%s:%d:%d: %s", file, je.line, je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		bad(&e, "not an object");
		goto done;
	}
	static const char *const keys[] = {"version", "actions", "rules", NULL};
	keys_only(&e, root, keys);
	json_t *aa = arr_field(&e, root, "actions", 1), *ra = arr_field(&e, root, "rules", 1);
	if (!aa || !ra)
		goto done;
	if (!(rs = calloc(1, sizeof *rs)) || !(rs->a = calloc(json_array_size(aa) + 1, sizeof *rs->a)) ||
	    !(rs->r = calloc(json_array_size(ra) + 1, sizeof *rs->r))) {
		bad(&e, "out of memory");
		goto done;
	}
	/* the ids first, so that prerequisites may name later actions */
	json_array_foreach(aa, i, o) {
		size_t at = push(&e, "actions", 0), at2 = push(&e, NULL, (long)i);
		assess_action_t *a = &rs->a[rs->na++];
		if (!json_is_object(o)) {
			bad(&e, "not an object");
		} else {
			a->id = str_field(&e, o, "id", 1, ASSESS_ID_MAX);
			if (a->id && action_find(rs, a->id) != (long)i)
				bad(&e, "action '%s' given twice", a->id);
		}
		pop(&e, at2);
		pop(&e, at);
	}
	json_array_foreach(aa, i, o) {
		static const char *const akeys[] = {"id", "action", "area", "owner", "horizon",
						    "prerequisites", NULL};
		size_t at = push(&e, "actions", 0), at2 = push(&e, NULL, (long)i);
		assess_action_t *a = &rs->a[i];
		if (json_is_object(o)) {
			keys_only(&e, o, akeys);
			a->action = str_field(&e, o, "action", 1, 1000);
			a->area = str_field(&e, o, "area", 1, ASSESS_ID_MAX);
			a->owner = str_field(&e, o, "owner", 1, 200);
			a->horizon = str_field(&e, o, "horizon", 1, 64);
			id_list(&e, o, "prerequisites", rs, &a->pre, &a->npre);
		}
		pop(&e, at2);
		pop(&e, at);
	}
	char *state = calloc(rs->na + 1, 1);
	for (i = 0; state && i < rs->na; i++)
		if (cycle(rs, i, state)) {
			size_t at = push(&e, "actions", 0), at2 = push(&e, NULL, (long)i);
			bad(&e, "its prerequisites come back to it");
			pop(&e, at2);
			pop(&e, at);
			break;
		}
	free(state);
	json_array_foreach(ra, i, o) {
		static const char *const rkeys[] = {"indicator", "below", "stage", "actions", NULL};
		size_t at = push(&e, "rules", 0), at2 = push(&e, NULL, (long)i);
		assess_rule_t *r = &rs->r[rs->nr++];
		if (!json_is_object(o)) {
			bad(&e, "not an object");
		} else {
			keys_only(&e, o, rkeys);
			r->indicator = str_field(&e, o, "indicator", 1, ASSESS_ID_MAX);
			r->below = num_field(&e, o, "below", 0, 0, 1);
			char *st = str_field(&e, o, "stage", 0, 32);
			r->stage = st ? assess_stage_parse(st) : 0;
			if (st && r->stage < 0) {
				size_t at3 = push(&e, "stage", 0);
				bad(&e, "unknown stage '%s'", st);
				pop(&e, at3);
				r->stage = 0;
			}
			free(st);
			if (!r->below && !r->stage)
				bad(&e, "a rule needs \"below\" (0..1) or \"stage\"");
			id_list(&e, o, "actions", rs, &r->acts, &r->nacts);
			if (!r->nacts && !e.n)
				bad(&e, "no actions");
		}
		pop(&e, at2);
		pop(&e, at);
	}
done:
	json_decref(root);
	if (e.n) {
		assess_rules_free(rs);
		return -1;
	}
	*out = rs;
	return 0;
}

/* Pull action i's prerequisites in with at least priority p. */
static void pull(const assess_rules_t *rs, size_t i, double p, double *pri, int depth)
{
	if (depth > (int)rs->na)
		return; /* no cycles (checked on parse); a guard all the same */
	for (size_t k = 0; k < rs->a[i].npre; k++) {
		long j = action_find(rs, rs->a[i].pre[k]);
		if (j < 0)
			continue;
		if (pri[j] < p)
			pri[j] = p;
		pull(rs, (size_t)j, p, pri, depth + 1);
	}
}

int assess_plan(const assess_qn_t *qn, const assess_result_t *r, const assess_rules_t *rs,
		assess_step_t **out, size_t *n)
{
	double *pri = malloc((rs->na + 1) * sizeof *pri), pw = 0;
	char **why = calloc(rs->na + 1, sizeof *why);
	char *done = calloc(rs->na + 1, 1);
	assess_step_t *steps = calloc(rs->na + 1, sizeof *steps);
	*out = NULL;
	*n = 0;
	if (!pri || !why || !done || !steps) {
		free(pri), free(why), free(done), free(steps);
		return -1;
	}
	for (size_t i = 0; i < rs->na; i++)
		pri[i] = -1;
	for (size_t p = 0; p < qn->np; p++)
		pw += qn->p[p].weight;
	for (size_t k = 0; k < rs->nr; k++) {
		const assess_rule_t *ru = &rs->r[k];
		long ii = assess_ind_find(qn, ru->indicator);
		if (ii < 0)
			continue;
		const assess_ind_t *in = &qn->ind[ii];
		const assess_iscore_t *is = &r->ind[ii];
		const assess_pillar_t *pl = &qn->p[in->pillar];
		/* the indicator's share of the total: its weight among its pillar's
		 * scored indicators, times its pillar's share */
		double iw = 0;
		for (size_t j = pl->first_ind; j < pl->first_ind + pl->nind; j++)
			if (r->ind[j].score >= 0)
				iw += qn->ind[j].weight;
		double share = iw > 0 && pw > 0 ? in->weight / iw * pl->weight / pw : 0;
		double gap = 0;
		if (ru->below > 0 && is->score >= 0 && is->score < ru->below)
			gap = ru->below - is->score;
		else if (ru->stage > 0 && is->stage >= 0 && is->stage < ru->stage)
			gap = (double)(ru->stage - is->stage) / ASSESS_NSTAGES;
		if (gap <= 0)
			continue;
		double p = 100 * gap * share;
		for (size_t a = 0; a < ru->nacts; a++) {
			long j = action_find(rs, ru->acts[a]);
			if (j < 0 || pri[j] >= p)
				continue;
			pri[j] = p;
			free(why[j]);
			char w[160];
			if (ru->below > 0)
				snprintf(w, sizeof w, "%s %.2f < %.2f", in->id, is->score, ru->below);
			else
				snprintf(w, sizeof w, "%s stage %s < %s", in->id, assess_stage_name(is->stage),
					 assess_stage_name(ru->stage));
			why[j] = strdup(w);
		}
	}
	for (size_t i = 0; i < rs->na; i++)
		if (pri[i] >= 0)
			pull(rs, i, pri[i], pri, 0);
	/* highest priority among those whose prerequisites are placed */
	for (;;) {
		long best = -1;
		for (size_t i = 0; i < rs->na; i++) {
			if (done[i] || pri[i] < 0)
				continue;
			int ready = 1;
			for (size_t k = 0; k < rs->a[i].npre && ready; k++) {
				long j = action_find(rs, rs->a[i].pre[k]);
				ready = j < 0 || done[j];
			}
			if (ready && (best < 0 || pri[i] > pri[best] + 1e-12))
				best = (long)i;
		}
		if (best < 0)
			break;
		done[best] = 1;
		assess_step_t *s = &steps[(*n)++];
		s->action = (size_t)best;
		s->priority = pri[best];
		snprintf(s->why, sizeof s->why, "%s", why[best] ? why[best] : "prerequisite");
	}
	for (size_t i = 0; i < rs->na; i++)
		free(why[i]);
	free(pri), free(why), free(done);
	*out = steps;
	return 0;
}
