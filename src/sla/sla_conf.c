/* sla_conf.c — reading SLA policies, teams and calendars (data/sla.conf or
 * an operator's file, holiday files beside it) with file:line errors, and
 * choosing the policy and calendar for a case. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "sla/sla.h"

extern const char data_sla_conf[];

typedef struct {
	const char *name, *dir;
	int line;
	char *err;
	size_t errlen;
} pctx_t;

__attribute__((format(printf, 2, 3))) static int fail(pctx_t *x, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(x->err, x->errlen, "%s:%d: %s", x->name, x->line, msg);
	return -1;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" (a real date, 1970..9999) -> 0 with *day; -1. */
static int date_parse(const char *s, int32_t *day)
{
	int y, m, d, n = 0;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*day = (int32_t)days_civil(y, m, d);
	return 0;
}

static int add_holiday(sla_calendar_t *cal, int32_t day)
{
	size_t i = cal->nholiday;
	while (i && cal->holiday[i - 1] > day)
		i--;
	if (i && cal->holiday[i - 1] == day)
		return 0; /* named twice: one day */
	if (util_grow(&cal->holiday, &cal->capholiday, cal->nholiday + 1, sizeof *cal->holiday, 16))
		return -1;
	memmove(cal->holiday + i + 1, cal->holiday + i, (cal->nholiday - i) * sizeof *cal->holiday);
	cal->holiday[i] = day;
	cal->nholiday++;
	return 0;
}

#define HOLIDAYS_MAX 100000

/* Read a holiday line's rest: "YYYY-MM-DD [name]". */
static int holiday_line(pctx_t *x, sla_calendar_t *cal, const char *rest)
{
	char date[16] = "";
	int32_t day;
	if (sscanf(rest, "%15s", date) != 1 || date_parse(date, &day))
		return fail(x, "holiday: expected a date YYYY-MM-DD, got '%s'", date);
	if (cal->nholiday >= HOLIDAYS_MAX)
		return fail(x, "holiday: more than %d holidays", HOLIDAYS_MAX);
	if (add_holiday(cal, day))
		return fail(x, "out of memory");
	return 0;
}

static int holidays_file(pctx_t *x, sla_calendar_t *cal, const char *file)
{
	char path[1024], ferr[300];
	if (file[0] == '/' || !x->dir || !x->dir[0])
		snprintf(path, sizeof path, "%s", file);
	else
		snprintf(path, sizeof path, "%s/%s", x->dir, file);
	char *text = util_read_text(path, 1 << 20, ferr, sizeof ferr);
	if (!text)
		return fail(x, "holidays: %s", ferr);
	pctx_t y = {path, NULL, 0, x->err, x->errlen};
	const char *p = text;
	int rc = 0;
	while (*p && !rc) {
		size_t len = strcspn(p, "\n");
		char buf[256];
		y.line++;
		if (len >= sizeof buf) {
			rc = fail(&y, "line too long");
			break;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (p[len] == '\n');
		char *s = buf + strspn(buf, " \t\r");
		if (*s && *s != '#')
			rc = holiday_line(&y, cal, s);
	}
	free(text);
	return rc;
}

static int day_index(const char *s, size_t n)
{
	static const char *const d[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	for (int i = 0; i < 7; i++)
		if (n == 3 && !strncmp(s, d[i], 3))
			return i;
	return -1;
}

/* "mon-fri", "sat,sun", "mon" -> the set of weekdays (bit 0 = Sunday). */
static int days_parse(const char *s, int *set)
{
	*set = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		const char *dash = memchr(s, '-', n);
		int a = day_index(s, dash ? (size_t)(dash - s) : n);
		int b = dash ? day_index(dash + 1, n - (size_t)(dash - s) - 1) : a;
		if (a < 0 || b < 0)
			return -1;
		for (int i = a;; i = (i + 1) % 7) {
			*set |= 1 << i;
			if (i == b)
				break;
		}
		s += n + (s[n] == ',');
	}
	return *set ? 0 : -1;
}

/* "HH:MM" (00:00..24:00) -> minutes, or -1. */
static int hhmm(const char *s, size_t n)
{
	if (n != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	int h = (s[0] - '0') * 10 + s[1] - '0', m = (s[3] - '0') * 10 + s[4] - '0';
	if (h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

static int hours_line(pctx_t *x, sla_calendar_t *cal, const char *days, const char *ranges)
{
	int set;
	if (days_parse(days, &set))
		return fail(x, "hours: '%s' is not a day or days (mon..sun, mon-fri, sat,sun)", days);
	for (const char *s = ranges; *s;) {
		size_t n = strcspn(s, ",");
		const char *dash = memchr(s, '-', n);
		int a = dash ? hhmm(s, (size_t)(dash - s)) : -1;
		int b = dash ? hhmm(dash + 1, n - (size_t)(dash - s) - 1) : -1;
		if (a < 0 || b < 0 || a == 1440)
			return fail(x, "hours: '%.*s' is not HH:MM-HH:MM (00:00 to 24:00)", (int)n, s);
		if (b <= a)
			return fail(x, "hours: '%.*s' ends before it starts (a night shift is two "
				    "lines: 22:00-24:00 and the next day 00:00-06:00)", (int)n, s);
		for (int wd = 0; wd < 7; wd++) {
			if (!(set & 1 << wd))
				continue;
			int k = cal->nslot[wd];
			if (k == SLA_SLOTS_MAX)
				return fail(x, "hours: more than %d periods a day", SLA_SLOTS_MAX);
			for (int i = 0; i < k; i++)
				if (a < cal->slot[wd][i][1] && cal->slot[wd][i][0] < b)
					return fail(x, "hours: '%.*s' overlaps hours already given", (int)n,
						    s);
			while (k && cal->slot[wd][k - 1][0] > a) {
				cal->slot[wd][k][0] = cal->slot[wd][k - 1][0];
				cal->slot[wd][k][1] = cal->slot[wd][k - 1][1];
				k--;
			}
			cal->slot[wd][k][0] = (uint16_t)a;
			cal->slot[wd][k][1] = (uint16_t)b;
			cal->nslot[wd]++;
		}
		s += n + (s[n] == ',');
	}
	return 0;
}

static int name_ok(const char *s)
{
	if (!*s || strlen(s) > SLA_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("_-.", *s)))
			return 0;
	return 1;
}

static long cal_find(const sla_conf_t *c, const char *name)
{
	for (size_t i = 0; i < c->ncal; i++)
		if (!strcmp(c->cal[i].name, name))
			return (long)i;
	return -1;
}

static const char *const severities[] = {"low", "medium", "high", "critical"};

static int policy_line(pctx_t *x, sla_conf_t *c, char **w, int nw)
{
	sla_policy_t p = {.line = x->line};
	int i = 1, known = 0;
	if (nw < 2)
		return fail(x, "policy: expected SEVERITY [CLASS[/TYPE]] ack|response|resolve DURATION");
	for (int k = 0; k < 4; k++)
		known |= !strcmp(w[1], severities[k]);
	if (!known)
		return fail(x, "policy: severity '%s' is not low, medium, high or critical", w[1]);
	snprintf(p.severity, sizeof p.severity, "%s", w[1]);
	i = 2;
	if (i < nw && strcmp(w[i], "ack") && strcmp(w[i], "response") && strcmp(w[i], "resolve")) {
		if (strlen(w[i]) > MODEL_CLASS_MAX ||
		    (strchr(w[i], '/') ? rsit_check(w[i]) : rsit_class_check(w[i])))
			return fail(x, "policy: '%s' is not a class or class/type of the Reference "
				    "Security Incident Taxonomy", w[i]);
		snprintf(p.classification, sizeof p.classification, "%s", w[i]);
		i++;
	}
	int any = 0;
	for (; i < nw; i += 2) {
		int t = !strcmp(w[i], "ack") ? SLA_ACK : !strcmp(w[i], "response") ? SLA_RESPONSE
			: !strcmp(w[i], "resolve") ? SLA_RESOLVE : -1;
		if (t < 0)
			return fail(x, "policy: '%s': expected ack, response or resolve", w[i]);
		int64_t d;
		if (i + 1 >= nw || model_duration_parse(w[i + 1], &d) || d < 1 || d > 366 * 86400)
			return fail(x, "policy: %s: expected a duration of 1s to 366d (e.g. 30m, 4h, "
				    "2d), got '%s'", w[i], i + 1 < nw ? w[i + 1] : "");
		if (p.target[t])
			return fail(x, "policy: %s given twice", w[i]);
		p.target[t] = d;
		any = 1;
	}
	if (!any)
		return fail(x, "policy: no target (ack, response or resolve DURATION)");
	for (size_t k = 0; k < c->npol; k++)
		if (!strcmp(c->pol[k].severity, p.severity) &&
		    !strcmp(c->pol[k].classification, p.classification))
			return fail(x, "policy %s %s: already given on line %d", p.severity,
				    p.classification[0] ? p.classification : "(any class)",
				    c->pol[k].line);
	if (c->npol >= 1000 || util_grow(&c->pol, &c->cappol, c->npol + 1, sizeof *c->pol, 8))
		return fail(x, "too many policies");
	c->pol[c->npol++] = p;
	return 0;
}

static int team_line(pctx_t *x, sla_conf_t *c, char **w, int nw)
{
	sla_team_t t = {0};
	if ((nw != 3 && nw != 5) || (nw == 5 && strcmp(w[3], "lead")))
		return fail(x, "team: expected team NAME CALENDAR [lead ADDRESS]");
	if (strcmp(w[1], "*") && !name_ok(w[1]))
		return fail(x, "team: '%s' is not a name (letters, digits, - _ .)", w[1]);
	long k = cal_find(c, w[2]);
	if (k < 0)
		return fail(x, "team %s: no calendar '%s' above", w[1], w[2]);
	if (nw == 5 && (strlen(w[4]) > SLA_NAME_MAX || !strchr(w[4], '@') || w[4][0] == '@'))
		return fail(x, "team %s: lead: the lead's e-mail address (at most %d bytes)", w[1],
			    SLA_NAME_MAX);
	if (sla_team_find(c, w[1]) && !strcmp(sla_team_find(c, w[1])->name, w[1]))
		return fail(x, "team %s: given twice", w[1]);
	snprintf(t.name, sizeof t.name, "%s", w[1]);
	t.calendar = (size_t)k;
	if (nw == 5)
		snprintf(t.lead, sizeof t.lead, "%s", w[4]);
	if (c->nteam >= 1000 || util_grow(&c->team, &c->capteam, c->nteam + 1, sizeof *c->team, 8))
		return fail(x, "too many teams");
	c->team[c->nteam++] = t;
	return 0;
}

/* A calendar is complete: always, or some open hours (UTC by default). */
static int cal_close(pctx_t *x, sla_calendar_t *cal, int line)
{
	int open = 0;
	for (int d = 0; d < 7; d++)
		open += cal->nslot[d];
	int keep = x->line;
	x->line = line;
	if (cal->always && open)
		return fail(x, "calendar %s: both always and hours", cal->name);
	if (!cal->always && !open)
		return fail(x, "calendar %s: no open hours (hours DAYS HH:MM-HH:MM, or always)",
			    cal->name);
	x->line = keep;
	return 0;
}

int sla_conf_parse(sla_conf_t *c, const char *text, const char *name, const char *dir, char *err,
		   size_t errlen)
{
	pctx_t x = {name, dir, 0, err, errlen};
	memset(c, 0, sizeof *c);
	c->warn_pct = 75;
	sla_calendar_t *cur = NULL;
	int cur_line = 0, warned = 0;
	const char *p = text + (strncmp(text, "\xEF\xBB\xBF", 3) ? 0 : 3);
	while (*p) {
		char buf[1024], *w[16];
		int nw = 0;
		size_t len = strcspn(p, "\n");
		x.line++;
		if (len >= sizeof buf) {
			fail(&x, "line too long");
			goto fail;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (p[len] == '\n');
		char *hash = strchr(buf, '#');
		if (hash)
			*hash = '\0';
		char *rest = NULL; /* after the first word, for holiday names */
		for (char *s = strtok_r(buf, " \t\r", &rest); s; s = strtok_r(NULL, " \t\r", &rest)) {
			if (nw == 16) {
				fail(&x, "too many words");
				goto fail;
			}
			w[nw++] = s;
			if (nw == 2 && !strcmp(w[0], "holiday"))
				break;
		}
		if (!nw)
			continue;
		const char *k = w[0];
		int in_cal = !strcmp(k, "always") || !strcmp(k, "zone") || !strcmp(k, "hours") ||
			     !strcmp(k, "holiday") || !strcmp(k, "holidays");
		if (in_cal && !cur) {
			fail(&x, "%s: belongs under a 'calendar NAME' line", k);
			goto fail;
		}
		if (!in_cal && cur) {
			if (cal_close(&x, cur, cur_line))
				goto fail;
			cur = NULL;
		}
		if (!strcmp(k, "warn")) {
			char *end;
			long v = nw == 2 ? strtol(w[1], &end, 10) : 0;
			if (nw != 2 || end == w[1] || strcmp(end, "%") || v < 1 || v > 99) {
				fail(&x, "warn: expected a share of 1%% to 99%% (e.g. warn 75%%)");
				goto fail;
			}
			if (warned++) {
				fail(&x, "warn: given twice");
				goto fail;
			}
			c->warn_pct = (int)v;
		} else if (!strcmp(k, "calendar")) {
			if (nw != 2 || !name_ok(w[1])) {
				fail(&x, "calendar: expected calendar NAME (letters, digits, - _ .)");
				goto fail;
			}
			if (cal_find(c, w[1]) >= 0) {
				fail(&x, "calendar %s: given twice", w[1]);
				goto fail;
			}
			if (c->ncal >= 100 ||
			    util_grow(&c->cal, &c->capcal, c->ncal + 1, sizeof *c->cal, 4)) {
				fail(&x, "too many calendars");
				goto fail;
			}
			cur = &c->cal[c->ncal++];
			memset(cur, 0, sizeof *cur);
			snprintf(cur->name, sizeof cur->name, "%s", w[1]);
			sla_zone_load(&cur->zone, "UTC", err, errlen);
			cur_line = x.line;
		} else if (!strcmp(k, "always")) {
			if (nw != 1) {
				fail(&x, "always: takes nothing");
				goto fail;
			}
			cur->always = 1;
		} else if (!strcmp(k, "zone")) {
			char zerr[256];
			sla_zone_t z;
			if (nw != 2) {
				fail(&x, "zone: expected zone UTC|+hh:mm|-hh:mm|Area/City");
				goto fail;
			}
			if (sla_zone_load(&z, w[1], zerr, sizeof zerr)) {
				fail(&x, "%s", zerr);
				goto fail;
			}
			sla_zone_free(&cur->zone);
			cur->zone = z;
		} else if (!strcmp(k, "hours")) {
			if (nw != 3) {
				fail(&x, "hours: expected hours DAYS HH:MM-HH:MM[,HH:MM-HH:MM]");
				goto fail;
			}
			if (hours_line(&x, cur, w[1], w[2]))
				goto fail;
		} else if (!strcmp(k, "holiday")) {
			if (nw != 2) {
				fail(&x, "holiday: expected holiday YYYY-MM-DD [name]");
				goto fail;
			}
			if (holiday_line(&x, cur, w[1]))
				goto fail;
		} else if (!strcmp(k, "holidays")) {
			if (nw != 2) {
				fail(&x, "holidays: expected holidays FILE");
				goto fail;
			}
			if (holidays_file(&x, cur, w[1]))
				goto fail;
		} else if (!strcmp(k, "team")) {
			if (team_line(&x, c, w, nw))
				goto fail;
		} else if (!strcmp(k, "policy")) {
			if (policy_line(&x, c, w, nw))
				goto fail;
		} else {
			fail(&x, "unknown key '%s' (warn, calendar, always, zone, hours, holiday, "
			     "holidays, team, policy)", k);
			goto fail;
		}
	}
	if (cur && cal_close(&x, cur, cur_line))
		goto fail;
	return 0;
fail:
	sla_conf_free(c);
	return -1;
}

int sla_conf_load(sla_conf_t *c, const char *file, char *err, size_t errlen)
{
	if (!file)
		return sla_conf_parse(c, data_sla_conf, "data/sla.conf (built in)", NULL, err, errlen);
	char *text = util_read_text(file, 1u << 20, err, errlen);
	if (!text) {
		memset(c, 0, sizeof *c);
		return -1;
	}
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", file);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int rc = sla_conf_parse(c, text, file, dir, err, errlen);
	free(text);
	return rc;
}

void sla_conf_free(sla_conf_t *c)
{
	for (size_t i = 0; i < c->ncal; i++) {
		sla_zone_free(&c->cal[i].zone);
		free(c->cal[i].holiday);
	}
	free(c->cal);
	free(c->team);
	free(c->pol);
	memset(c, 0, sizeof *c);
}

const char *sla_target_name(sla_target_t t)
{
	static const char *const name[] = {"ack", "response", "resolve"};
	return (unsigned)t < SLA_NTARGET ? name[t] : "?";
}

const sla_policy_t *sla_policy_find(const sla_conf_t *c, const char *severity,
				    const char *classification)
{
	const sla_policy_t *best = NULL;
	int best_rank = -1;
	size_t clen = strcspn(classification ? classification : "", "/");
	for (size_t i = 0; i < c->npol; i++) {
		const sla_policy_t *p = &c->pol[i];
		int rank = -1;
		if (strcmp(p->severity, severity))
			continue;
		if (!p->classification[0])
			rank = 0;
		else if (classification && !strcmp(p->classification, classification))
			rank = 2;
		else if (classification && !strchr(p->classification, '/') &&
			 strlen(p->classification) == clen &&
			 !strncmp(p->classification, classification, clen))
			rank = 1;
		if (rank > best_rank) {
			best = p;
			best_rank = rank;
		}
	}
	return best;
}

const sla_team_t *sla_team_find(const sla_conf_t *c, const char *team)
{
	const sla_team_t *star = NULL;
	for (size_t i = 0; i < c->nteam; i++) {
		if (team && !strcmp(c->team[i].name, team))
			return &c->team[i];
		if (!strcmp(c->team[i].name, "*"))
			star = &c->team[i];
	}
	return star;
}

const sla_calendar_t *sla_calendar_for(const sla_conf_t *c, const char *team)
{
	const sla_team_t *t = sla_team_find(c, team);
	if (t)
		return &c->cal[t->calendar];
	return c->ncal ? &c->cal[0] : NULL;
}
