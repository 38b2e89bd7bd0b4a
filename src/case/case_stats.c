/* case_stats.c — the operational figures of incident response: cases by
 * class, sector (the reporter's organisation type) and month; time to
 * acknowledge, to first response and to resolution (median and 90th
 * percentile, nearest rank); SLA compliance through the hook sla sets
 * (case_sla_set).  As JSON (the API) or CSV (`c5hub case stats`). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "core/util.h"

typedef struct {
	int64_t *v;
	size_t n, cap;
} dur_t;

typedef struct {
	store_t *st;
	json_t *cls, *sector, *month;
	dur_t d[3];
	int64_t total, met[3][2]; /* [target][missed, met] */
	int64_t now, last_id;
	size_t page;
	case_sla_fn sla;
	/* organisation types, cached by id */
	int64_t org_ids[64];
	char org_types[64][32];
	int norgs;
	int fail;
} st_t;

static const char *const dur_names[3] = {"acknowledge", "first_response", "resolution"};

static void bump(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	json_object_set_new(o, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static const char *org_type(st_t *s, int64_t id)
{
	for (int i = 0; i < s->norgs; i++)
		if (s->org_ids[i] == id)
			return s->org_types[i];
	org_t o;
	const char *t = store_org_get(s->st, id, &o) ? "unknown" : o.type;
	int i = s->norgs < 64 ? s->norgs++ : (int)(id % 64);
	s->org_ids[i] = id;
	snprintf(s->org_types[i], sizeof s->org_types[i], "%s", t);
	return s->org_types[i];
}

static void add_dur(st_t *s, int k, int64_t from, int64_t to)
{
	if (!to || to < from)
		return;
	if (util_grow(&s->d[k].v, &s->d[k].cap, s->d[k].n + 1, sizeof(int64_t), 64)) {
		s->fail = 1;
		return;
	}
	s->d[k].v[s->d[k].n++] = to - from;
}

static int stats_cb(void *arg, const store_case_t *c)
{
	st_t *s = arg;
	char cls[CASE_CLASS_MAX + 1], month[8];
	s->page++;
	s->last_id = c->id;
	s->total++;
	snprintf(cls, sizeof cls, "%s", c->classification);
	char *slash = strchr(cls, '/');
	if (slash)
		*slash = '\0';
	bump(s->cls, cls);
	bump(s->sector, org_type(s, c->reporter_org));
	time_t t = (time_t)c->created;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(month, sizeof month, "%04d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
	bump(s->month, month);
	add_dur(s, 0, c->created, c->acknowledged_at);
	add_dur(s, 1, c->created, c->first_response_at);
	add_dur(s, 2, c->created, c->resolved_at);
	if (s->sla) {
		case_sla_result_t r = {-1, -1, -1};
		if (!s->sla(s->st, c, s->now, &r)) {
			int v[3] = {r.ack, r.response, r.resolution};
			for (int k = 0; k < 3; k++)
				if (v[k] == 0 || v[k] == 1)
					s->met[k][v[k]]++;
		}
	}
	return s->fail;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of them at or below. */
static int64_t pct(const dur_t *d, int p)
{
	size_t rank = (d->n * (size_t)p + 99) / 100;
	return d->v[rank ? rank - 1 : 0];
}

static int collect(store_t *st, const case_actor_t *a, int64_t from, int64_t to, st_t *s, char *err,
		   size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->st = st;
	s->cls = json_object();
	s->sector = json_object();
	s->month = json_object();
	s->now = a->now ? a->now : (int64_t)time(NULL);
	s->sla = case_sla_get();
	store_case_filter_t f = {.created_from = from, .created_to = to, .limit = 1000};
	for (;;) {
		s->page = 0;
		if (case_list(st, a, &f, stats_cb, s) || s->fail) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			return CASE_ERR;
		}
		if (s->page < 1000)
			break;
		f.after_id = s->last_id;
	}
	for (int k = 0; k < 3; k++)
		if (s->d[k].n)
			qsort(s->d[k].v, s->d[k].n, sizeof(int64_t), cmp64);
	return 0;
}

static void release(st_t *s)
{
	json_decref(s->cls);
	json_decref(s->sector);
	json_decref(s->month);
	for (int k = 0; k < 3; k++)
		free(s->d[k].v);
}

int case_stats(store_t *st, const case_actor_t *a, int64_t from, int64_t to, void **out, char *err,
	       size_t errlen)
{
	st_t s;
	int rc = collect(st, a, from, to, &s, err, errlen);
	if (rc) {
		release(&s);
		return rc;
	}
	json_t *o = json_object(), *times = json_object(), *sla = json_object();
	json_object_set_new(o, "cases", json_integer(s.total));
	json_object_set(o, "by_class", s.cls);
	json_object_set(o, "by_sector", s.sector);
	json_object_set(o, "by_month", s.month);
	for (int k = 0; k < 3; k++) {
		json_t *t = json_object();
		json_object_set_new(t, "n", json_integer((json_int_t)s.d[k].n));
		json_object_set_new(t, "median_s", s.d[k].n ? json_integer(pct(&s.d[k], 50)) : json_null());
		json_object_set_new(t, "p90_s", s.d[k].n ? json_integer(pct(&s.d[k], 90)) : json_null());
		json_object_set_new(times, dur_names[k], t);
		if (s.sla) {
			json_t *m = json_object();
			json_object_set_new(m, "met", json_integer(s.met[k][1]));
			json_object_set_new(m, "missed", json_integer(s.met[k][0]));
			json_object_set_new(sla, dur_names[k], m);
		}
	}
	json_object_set_new(o, "time_to", times);
	json_object_set_new(o, "sla", s.sla ? sla : json_null());
	if (!s.sla)
		json_decref(sla);
	release(&s);
	*out = o;
	return 0;
}

int case_stats_csv(store_t *st, const case_actor_t *a, int64_t from, int64_t to, void *fp, char *err,
		   size_t errlen)
{
	FILE *f = fp;
	json_t *o;
	const char *key;
	json_t *v;
	int rc = case_stats(st, a, from, to, (void **)&o, err, errlen);
	if (rc)
		return rc;
	fprintf(f, "figure,key,value\n");
	fprintf(f, "cases,all,%lld\n", (long long)json_integer_value(json_object_get(o, "cases")));
	static const char *const groups[][2] = {{"by_class", "class"}, {"by_sector", "sector"},
						{"by_month", "month"}};
	for (int g = 0; g < 3; g++)
		json_object_foreach(json_object_get(o, groups[g][0]), key, v)
			fprintf(f, "%s,%s,%lld\n", groups[g][1], key, (long long)json_integer_value(v));
	for (int k = 0; k < 3; k++) {
		json_t *t = json_object_get(json_object_get(o, "time_to"), dur_names[k]);
		fprintf(f, "time_to_%s,n,%lld\n", dur_names[k], (long long)json_integer_value(json_object_get(t, "n")));
		if (json_is_integer(json_object_get(t, "median_s"))) {
			fprintf(f, "time_to_%s,median_s,%lld\n", dur_names[k],
				(long long)json_integer_value(json_object_get(t, "median_s")));
			fprintf(f, "time_to_%s,p90_s,%lld\n", dur_names[k],
				(long long)json_integer_value(json_object_get(t, "p90_s")));
		}
		json_t *m = json_object_get(json_object_get(o, "sla"), dur_names[k]);
		if (m) {
			fprintf(f, "sla_%s,met,%lld\n", dur_names[k], (long long)json_integer_value(json_object_get(m, "met")));
			fprintf(f, "sla_%s,missed,%lld\n", dur_names[k], (long long)json_integer_value(json_object_get(m, "missed")));
		}
	}
	json_decref(o);
	return 0;
}
