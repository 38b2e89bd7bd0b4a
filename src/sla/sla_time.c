/* sla_time.c — the clock, time zones (fixed offsets and the system's TZif
 * files, read once per calendar), and business time: the open periods of a
 * calendar minus pauses, walked forward from an instant. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sla/sla.h"

/* ---- the clock ---- */

int sla_clock_forced(void)
{
	const char *v = getenv("C5HUB_NOW");
	return v && *v;
}

int64_t sla_now(void)
{
	const char *v = getenv("C5HUB_NOW");
	int64_t t;
	if (!v || !*v)
		return (int64_t)time(NULL);
	if (v[0] == '/') {
		char err[256];
		char *text = util_read_text(v, 256, err, sizeof err);
		if (text) {
			text[strcspn(text, "\r\n")] = '\0';
			int bad = model_time_parse(text, &t);
			free(text);
			if (!bad)
				return t;
		}
		return (int64_t)time(NULL);
	}
	return model_time_parse(v, &t) ? (int64_t)time(NULL) : t;
}

/* ---- time zones ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* "UTC", "+hh:mm", "-hh:mm" -> 0 with *off; -1 when not that shape. */
static int fixed_offset(const char *s, int32_t *off)
{
	if (!strcmp(s, "UTC") || !strcmp(s, "Z")) {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
		return -1;
	for (int i = 1; i < 6; i++)
		if (i != 3 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[1] - '0') * 10 + s[2] - '0', m = (s[4] - '0') * 10 + s[5] - '0';
	if (h > 14 || m > 59)
		return -1;
	*off = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

/* Parse TZif (RFC 8536) data: the 64-bit block of version 2+, else the
 * 32-bit one.  Times after the last transition keep its offset (the
 * system's files list transitions to 2037). */
static int tzif_parse(sla_zone_t *z, const unsigned char *p, size_t len, const char *err_name,
		      char *err, size_t errlen)
{
	size_t at = 0, tsize = 4;
	uint32_t cnt[6];
	for (int pass = 0; pass < 2; pass++) {
		if (len - at < 44 || memcmp(p + at, "TZif", 4))
			goto bad;
		for (int i = 0; i < 6; i++)
			cnt[i] = be32(p + at + 20 + 4 * i);
		/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
		if (cnt[3] > 100000 || cnt[0] > 1000 || cnt[1] > 1000 || cnt[2] > 10000 ||
		    cnt[4] < 1 || cnt[4] > 256 || cnt[5] > 100000)
			goto bad;
		size_t block = (size_t)cnt[3] * (tsize + 1) + (size_t)cnt[4] * 6 + cnt[5] +
			       (size_t)cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
		if (len - at - 44 < block)
			goto bad;
		if (pass == 0 && p[at + 4] >= '2') {
			at += 44 + block;
			tsize = 8;
			continue;
		}
		at += 44;
		break;
	}
	size_t n = cnt[3], ntype = cnt[4];
	const unsigned char *times = p + at, *idx = times + n * tsize, *types = idx + n;
	z->trans = malloc((n ? n : 1) * sizeof *z->trans);
	z->off = malloc((n ? n : 1) * sizeof *z->off);
	if (!z->trans || !z->off) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (idx[i] >= ntype)
			goto bad;
		z->trans[i] = tsize == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
		z->off[i] = (int32_t)be32(types + 6 * idx[i]);
		if ((i && z->trans[i] <= z->trans[i - 1]) || z->off[i] < -86400 || z->off[i] > 86400)
			goto bad;
	}
	z->off_before = (int32_t)be32(types);
	if (z->off_before < -86400 || z->off_before > 86400)
		goto bad;
	z->ntrans = n;
	z->fixed = z->off_before;
	return 0;
bad:
	snprintf(err, errlen, "zone %s: not a valid time zone file", err_name);
	return -1;
}

int sla_zone_load(sla_zone_t *z, const char *name, char *err, size_t errlen)
{
	memset(z, 0, sizeof *z);
	if (strlen(name) > SLA_NAME_MAX) {
		snprintf(err, errlen, "zone: name longer than %d bytes", SLA_NAME_MAX);
		return -1;
	}
	snprintf(z->name, sizeof z->name, "%s", name);
	if (!fixed_offset(name, &z->fixed))
		return 0;
	int ok = name[0] && name[0] != '/' && !strstr(name, "..");
	for (const char *s = name; *s && ok; s++)
		ok = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		     strchr("_+-/", *s);
	if (!ok) {
		snprintf(err, errlen, "zone '%s': expected UTC, +hh:mm, -hh:mm or a time zone name "
			 "such as Europe/Paris", name);
		return -1;
	}
	char path[128];
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "zone '%s': unknown time zone (no %s)", name, path);
		return -1;
	}
	unsigned char *buf = malloc(1 << 20);
	size_t len = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	int rc = buf ? tzif_parse(z, buf, len, name, err, errlen) : -1;
	if (!buf)
		snprintf(err, errlen, "out of memory");
	free(buf);
	if (rc)
		sla_zone_free(z);
	return rc;
}

void sla_zone_free(sla_zone_t *z)
{
	free(z->trans);
	free(z->off);
	z->trans = NULL;
	z->off = NULL;
	z->ntrans = 0;
}

/* The index of the last transition at or before t, or -1. */
static long zone_index(const sla_zone_t *z, int64_t t)
{
	size_t lo = 0, hi = z->ntrans;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

static int32_t off_at(const sla_zone_t *z, long i)
{
	return i < 0 ? z->off_before : z->off[i];
}

int32_t sla_zone_offset(const sla_zone_t *z, int64_t t)
{
	if (!z->ntrans)
		return z->fixed;
	return off_at(z, zone_index(z, t));
}

int64_t sla_zone_utc(const sla_zone_t *z, int64_t local)
{
	if (!z->ntrans)
		return local - z->fixed;
	long i = zone_index(z, local - sla_zone_offset(z, local)), n = (long)z->ntrans;
	int64_t best = SLA_NEVER;
	/* each period [trans[k], trans[k+1]) near it: is local - off[k] in it? */
	for (long k = i - 3; k <= i + 3; k++) {
		if (k < -1 || k >= n)
			continue;
		int64_t t = local - off_at(z, k);
		if ((k < 0 || t >= z->trans[k]) && (k + 1 >= n || t < z->trans[k + 1]) && t < best)
			best = t;
	}
	if (best != SLA_NEVER)
		return best;
	/* skipped by a clock change forward: the instant of the change */
	for (long k = i - 3; k <= i + 3; k++)
		if (k >= 0 && k < n && local >= z->trans[k] + off_at(z, k - 1) &&
		    local < z->trans[k] + off_at(z, k))
			return z->trans[k];
	return local - sla_zone_offset(z, local);
}

/* ---- business time ---- */

#define DAY 86400
#define SCAN_DAYS 3700 /* ten years without an open period: never */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

static int is_holiday(const sla_calendar_t *cal, int32_t day)
{
	size_t lo = 0, hi = cal->nholiday;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->holiday[mid] == day)
			return 1;
		if (cal->holiday[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The first open period [*a, *b) of cal ending after t, *a no earlier than
 * t; *a = SLA_NEVER when none comes within ten years. */
static void next_open(const sla_calendar_t *cal, int64_t t, int64_t *a, int64_t *b)
{
	if (cal->always) {
		*a = t;
		*b = SLA_NEVER;
		return;
	}
	int64_t d0 = floor_div(t + sla_zone_offset(&cal->zone, t), DAY) - 1;
	for (int64_t d = d0; d < d0 + SCAN_DAYS; d++) {
		if (is_holiday(cal, (int32_t)d))
			continue;
		int wd = (int)(((d + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
		for (int i = 0; i < cal->nslot[wd]; i++) {
			int64_t s = sla_zone_utc(&cal->zone, d * DAY + cal->slot[wd][i][0] * 60);
			int64_t e = sla_zone_utc(&cal->zone, d * DAY + cal->slot[wd][i][1] * 60);
			if (e <= t || e <= s)
				continue;
			*a = s > t ? s : t;
			*b = e;
			return;
		}
	}
	*a = *b = SLA_NEVER;
}

static int span_cmp(const void *x, const void *y)
{
	const sla_span_t *a = x, *b = y;
	return a->from < b->from ? -1 : a->from > b->from;
}

/* The pauses sorted and merged into a new array (*out, the caller frees):
 * their count, or -1 out of memory. */
static long pauses_norm(const sla_span_t *p, size_t n, sla_span_t **out)
{
	*out = NULL;
	if (!n)
		return 0;
	sla_span_t *v = malloc(n * sizeof *v);
	if (!v)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i].to > p[i].from)
			v[m++] = p[i];
	qsort(v, m, sizeof *v, span_cmp);
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		if (k && v[i].from <= v[k - 1].to) {
			if (v[i].to > v[k - 1].to)
				v[k - 1].to = v[i].to;
		} else {
			v[k++] = v[i];
		}
	}
	*out = v;
	return (long)k;
}

/* The first counting period [*a, *b) from t on: open and not paused. */
static void next_count(const sla_calendar_t *cal, const sla_span_t *p, size_t n, int64_t t,
		       int64_t *a, int64_t *b)
{
	size_t j = 0;
	for (;;) {
		next_open(cal, t, a, b);
		if (*a == SLA_NEVER)
			return;
		while (j < n && p[j].to <= *a)
			j++;
		if (j < n && p[j].from <= *a) {
			t = p[j].to;
			if (t == SLA_NEVER) {
				*a = *b = SLA_NEVER;
				return;
			}
			continue;
		}
		if (j < n && p[j].from < *b)
			*b = p[j].from;
		return;
	}
}

int64_t sla_business(const sla_calendar_t *cal, int64_t from, int64_t to, const sla_span_t *pause,
		     size_t npause)
{
	sla_span_t *p;
	long n = pauses_norm(pause, npause, &p);
	if (n < 0)
		return -1;
	int64_t sum = 0, t = from;
	while (t < to) {
		int64_t a, b;
		next_count(cal, p, (size_t)n, t, &a, &b);
		if (a >= to)
			break;
		int64_t e = b < to ? b : to;
		sum += e - a;
		t = e;
	}
	free(p);
	return sum;
}

int64_t sla_due(const sla_calendar_t *cal, int64_t start, int64_t amount, const sla_span_t *pause,
		size_t npause)
{
	sla_span_t *p;
	long n = pauses_norm(pause, npause, &p);
	if (n < 0)
		return SLA_NEVER;
	int64_t t = start, left = amount, due = SLA_NEVER;
	for (;;) {
		int64_t a, b;
		next_count(cal, p, (size_t)n, t, &a, &b);
		if (a == SLA_NEVER)
			break;
		if (b == SLA_NEVER || b - a >= left) {
			due = a + left;
			break;
		}
		left -= b - a;
		t = b;
	}
	free(p);
	return due;
}

/* ---- timers ---- */

const char *sla_state_name(sla_state_t s)
{
	static const char *const name[] = {"none", "ok", "warning", "breached", "met"};
	return (unsigned)s < sizeof name / sizeof *name ? name[s] : "none";
}

void sla_timer(const sla_conf_t *c, const sla_calendar_t *cal, int64_t target, int64_t start,
	       int64_t stop, const sla_span_t *pause, size_t npause, int64_t now, sla_timer_t *out)
{
	memset(out, 0, sizeof *out);
	out->due = out->warn_at = SLA_NEVER;
	if (target <= 0 || !cal)
		return;
	out->target = target;
	int64_t end = stop ? stop : now;
	out->used = end > start ? sla_business(cal, start, end, pause, npause) : 0;
	out->due = sla_due(cal, start, target, pause, npause);
	int64_t w = target * (c ? c->warn_pct : 75) / 100;
	out->warn_at = sla_due(cal, start, w > 0 ? w : 1, pause, npause);
	for (size_t i = 0; i < npause && !stop; i++)
		if (pause[i].from <= now && now < pause[i].to)
			out->paused = 1;
	if (stop)
		out->state = stop < out->due ? SLA_MET : SLA_BREACHED;
	else
		out->state = now >= out->due ? SLA_BREACHED : now >= out->warn_at ? SLA_WARNING : SLA_OK;
}
