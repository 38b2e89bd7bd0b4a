/* test_sla.c — SLA calendars and timers on real calendar edges: weekends,
 * holidays (inline and from a file), a pause over a night, fixed and
 * half-hour offsets, the days clocks change in Paris and New York (the
 * system's tz files), warning and breach; and the file's errors naming
 * file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sla/sla.h"

static int64_t T(const char *s)
{
	int64_t t;
	if (model_time_parse(s, &t))
		fail_msg("bad time %s", s);
	return t;
}

static void conf(sla_conf_t *c, const char *text)
{
	char err[512];
	if (sla_conf_parse(c, text, "t.conf", NULL, err, sizeof err))
		fail_msg("%s", err);
}

static void conf_err(const char *text, const char *dir, const char *want)
{
	sla_conf_t c;
	char err[512] = "";
	assert_int_equal(sla_conf_parse(&c, text, "t.conf", dir, err, sizeof err), -1);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
	assert_int_equal(c.ncal + c.npol + c.nteam, 0);
	sla_conf_free(&c);
}

static const char *office = "calendar office\n"
			    "  zone Europe/Paris\n"
			    "  hours mon-fri 09:00-17:00\n"
			    "  holiday 2026-12-25 Christmas Day\n"
			    "team * office\n";

static void weekend_and_holiday(void **state)
{
	(void)state;
	sla_conf_t c;
	conf(&c, office);
	const sla_calendar_t *cal = sla_calendar_for(&c, "soc");
	assert_non_null(cal);
	/* Friday 16:00 Paris (UTC+1) to Monday 10:00: one hour each side */
	assert_int_equal(sla_business(cal, T("2026-12-04T15:00:00Z"), T("2026-12-07T09:00:00Z"),
				      NULL, 0), 7200);
	/* four hours from Friday 16:00: Monday noon */
	assert_int_equal(sla_due(cal, T("2026-12-04T15:00:00Z"), 4 * 3600, NULL, 0),
			 T("2026-12-07T11:00:00Z"));
	/* started on Saturday: the clock starts Monday 09:00 */
	assert_int_equal(sla_due(cal, T("2026-12-05T10:00:00Z"), 1800, NULL, 0),
			 T("2026-12-07T08:30:00Z"));
	/* Thursday 24 December 16:00 + 2 h: Christmas Friday closed, Monday 10:00 */
	assert_int_equal(sla_due(cal, T("2026-12-24T15:00:00Z"), 2 * 3600, NULL, 0),
			 T("2026-12-28T09:00:00Z"));
	assert_int_equal(sla_business(cal, T("2026-12-24T00:00:00Z"), T("2026-12-29T00:00:00Z"),
				      NULL, 0), 2 * 8 * 3600);
	/* ending exactly at the close: due at 17:00, not the next morning */
	assert_int_equal(sla_due(cal, T("2026-12-07T08:00:00Z"), 8 * 3600, NULL, 0),
			 T("2026-12-07T16:00:00Z"));
	sla_conf_free(&c);
}

static void holidays_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/c5sla.XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fr.txt", dir);
	FILE *f = fopen(path, "w");
	fputs("# French public holidays\n2026-12-25 Noel\n\n2027-01-01 Jour de l'an\n", f);
	fclose(f);
	sla_conf_t c;
	char err[512];
	const char *text = "calendar office\n zone Europe/Paris\n hours mon-fri 09:00-17:00\n"
			   " holidays fr.txt\n";
	assert_int_equal(sla_conf_parse(&c, text, "t.conf", dir, err, sizeof err), 0);
	assert_int_equal(c.cal[0].nholiday, 2);
	/* Thursday 31 December 16:00 + 2 h: New Year's Day closed, Monday 4 January 10:00 */
	assert_int_equal(sla_due(&c.cal[0], T("2026-12-31T15:00:00Z"), 7200, NULL, 0),
			 T("2027-01-04T09:00:00Z"));
	sla_conf_free(&c);
	/* an error inside the holiday file names that file and its line */
	f = fopen(path, "w");
	fputs("2026-12-25\n2026-02-30 not a day\n", f);
	fclose(f);
	conf_err(text, dir, "/fr.txt:2: holiday: expected a date");
	conf_err("calendar x\n hours mon 09:00-10:00\n holidays nope.txt\n", dir, "t.conf:3: holidays:");
	unlink(path);
	rmdir(dir);
}

static void pause_over_night(void **state)
{
	(void)state;
	sla_conf_t c;
	conf(&c, "calendar all\n always\n");
	const sla_calendar_t *cal = &c.cal[0];
	sla_span_t night = {T("2026-12-01T22:00:00Z"), T("2026-12-02T06:00:00Z")};
	assert_int_equal(sla_business(cal, T("2026-12-01T20:00:00Z"), T("2026-12-02T08:00:00Z"),
				      &night, 1), 4 * 3600);
	/* 3 h from 20:00: 2 h before the pause, 1 h after it */
	assert_int_equal(sla_due(cal, T("2026-12-01T20:00:00Z"), 3 * 3600, &night, 1),
			 T("2026-12-02T07:00:00Z"));
	/* overlapping and unordered pauses count once */
	sla_span_t two[] = {{T("2026-12-02T05:00:00Z"), T("2026-12-02T07:00:00Z")}, night};
	assert_int_equal(sla_business(cal, T("2026-12-01T20:00:00Z"), T("2026-12-02T08:00:00Z"),
				      two, 2), 3 * 3600);
	/* an open pause: never due */
	sla_span_t open = {T("2026-12-01T21:00:00Z"), SLA_NEVER};
	assert_true(sla_due(cal, T("2026-12-01T20:00:00Z"), 2 * 3600, &open, 1) == SLA_NEVER);
	sla_conf_free(&c);
	/* in office hours, a pause from Monday 16:00 to Tuesday 10:00 (Paris) takes 2 h */
	conf(&c, office);
	sla_span_t p = {T("2026-12-07T15:00:00Z"), T("2026-12-08T09:00:00Z")};
	assert_int_equal(sla_business(&c.cal[0], T("2026-12-07T08:00:00Z"),
				      T("2026-12-08T16:00:00Z"), &p, 1), 14 * 3600);
	sla_conf_free(&c);
}

static void offsets(void **state)
{
	(void)state;
	sla_conf_t c;
	conf(&c, "calendar in\n zone +05:30\n hours mon-fri 09:00-17:00\n"
		 "calendar kolkata\n zone Asia/Kolkata\n hours mon-fri 09:00-17:00\n"
		 "calendar west\n zone -03:00\n hours mon-fri 09:00-17:00\n");
	/* Monday 09:00 at +05:30 is 03:30Z */
	assert_int_equal(sla_business(&c.cal[0], T("2026-12-07T00:00:00Z"), T("2026-12-07T04:30:00Z"),
				      NULL, 0), 3600);
	assert_int_equal(sla_business(&c.cal[1], T("2026-12-07T00:00:00Z"), T("2026-12-07T04:30:00Z"),
				      NULL, 0), 3600);
	/* Friday 16:00 at -03:00 is 19:00Z; Saturday 00:30Z is still Friday there */
	assert_int_equal(sla_due(&c.cal[2], T("2026-12-04T19:00:00Z"), 7200, NULL, 0),
			 T("2026-12-07T13:00:00Z"));
	sla_conf_free(&c);
}

static void dst_days(void **state)
{
	(void)state;
	sla_conf_t c;
	conf(&c, "calendar paris\n zone Europe/Paris\n hours mon-sun 00:00-24:00\n"
		 "calendar office\n zone Europe/Paris\n hours mon-fri 09:00-17:00\n"
		 "calendar ny\n zone America/New_York\n hours mon-sun 00:00-24:00\n"
		 "calendar night\n zone Europe/Paris\n hours sun 02:00-04:00\n");
	const sla_zone_t *z = &c.cal[0].zone;
	/* Sunday 29 March 2026 in Paris has 23 hours, Sunday 25 October 25 */
	assert_int_equal(sla_business(&c.cal[0], T("2026-03-28T23:00:00Z"), T("2026-03-29T22:00:00Z"),
				      NULL, 0), 23 * 3600);
	assert_int_equal(sla_business(&c.cal[0], T("2026-10-24T22:00:00Z"), T("2026-10-25T23:00:00Z"),
				      NULL, 0), 25 * 3600);
	/* New York: 8 March and 1 November 2026 */
	assert_int_equal(sla_business(&c.cal[2], T("2026-03-08T05:00:00Z"), T("2026-03-09T04:00:00Z"),
				      NULL, 0), 23 * 3600);
	assert_int_equal(sla_business(&c.cal[2], T("2026-11-01T04:00:00Z"), T("2026-11-02T05:00:00Z"),
				      NULL, 0), 25 * 3600);
	/* local to UTC: 02:30 does not exist on 29 March (the change, 01:00Z);
	 * 02:30 happens twice on 25 October (the first, 00:30Z) */
	assert_int_equal(sla_zone_utc(z, T("2026-03-29T02:30:00Z")), T("2026-03-29T01:00:00Z"));
	assert_int_equal(sla_zone_utc(z, T("2026-10-25T02:30:00Z")), T("2026-10-25T00:30:00Z"));
	assert_int_equal(sla_zone_offset(z, T("2026-07-01T00:00:00Z")), 7200);
	assert_int_equal(sla_zone_offset(z, T("2026-12-01T00:00:00Z")), 3600);
	/* office hours across the change: Friday 16:00 CET + 2 h = Monday 10:00 CEST (08:00Z) */
	assert_int_equal(sla_due(&c.cal[1], T("2026-03-27T15:00:00Z"), 7200, NULL, 0),
			 T("2026-03-30T08:00:00Z"));
	assert_int_equal(sla_due(&c.cal[1], T("2026-10-23T14:00:00Z"), 7200, NULL, 0),
			 T("2026-10-26T09:00:00Z"));
	/* 02:00-04:00 local on the change day: only 03:00-04:00 exists (one hour);
	 * on the day back it is 02:00 CEST to 04:00 CET (three hours) */
	assert_int_equal(sla_business(&c.cal[3], T("2026-03-28T00:00:00Z"), T("2026-03-30T00:00:00Z"),
				      NULL, 0), 3600);
	assert_int_equal(sla_business(&c.cal[3], T("2026-10-24T00:00:00Z"), T("2026-10-26T00:00:00Z"),
				      NULL, 0), 3 * 3600);
	sla_conf_free(&c);
}

static void timers(void **state)
{
	(void)state;
	sla_conf_t c;
	conf(&c, "warn 75%\ncalendar all\n always\nteam * all\npolicy high ack 4h\n");
	const sla_policy_t *p = sla_policy_find(&c, "high", "fraud/phishing");
	assert_non_null(p);
	const sla_calendar_t *cal = sla_calendar_for(&c, "anyone");
	int64_t s = T("2026-12-01T00:00:00Z"), tg = p->target[SLA_ACK];
	sla_timer_t t;
	sla_timer(&c, cal, tg, s, 0, NULL, 0, s + 3 * 3600 - 1, &t);
	assert_int_equal(t.state, SLA_OK);
	assert_int_equal(t.warn_at, s + 3 * 3600);
	assert_int_equal(t.due, s + 4 * 3600);
	sla_timer(&c, cal, tg, s, 0, NULL, 0, s + 3 * 3600, &t);
	assert_int_equal(t.state, SLA_WARNING);
	sla_timer(&c, cal, tg, s, 0, NULL, 0, s + 4 * 3600, &t);
	assert_int_equal(t.state, SLA_BREACHED);
	assert_int_equal(t.used, 4 * 3600);
	sla_timer(&c, cal, tg, s, s + 3600, NULL, 0, s + 9 * 3600, &t);
	assert_int_equal(t.state, SLA_MET);
	assert_int_equal(t.used, 3600);
	sla_timer(&c, cal, tg, s, s + 5 * 3600, NULL, 0, s + 9 * 3600, &t);
	assert_int_equal(t.state, SLA_BREACHED);
	/* waiting for the reporter from hour 1: paused, not breached at hour 9 */
	sla_span_t w = {s + 3600, SLA_NEVER};
	sla_timer(&c, cal, tg, s, 0, &w, 1, s + 9 * 3600, &t);
	assert_int_equal(t.state, SLA_OK);
	assert_true(t.paused);
	assert_int_equal(t.used, 3600);
	assert_true(t.due == SLA_NEVER);
	/* the reporter answered at hour 10: 3 h left, warning at 12:00, due at 13:00 */
	w.to = s + 10 * 3600;
	sla_timer(&c, cal, tg, s, 0, &w, 1, s + 11 * 3600, &t);
	assert_int_equal(t.state, SLA_OK);
	assert_false(t.paused);
	sla_timer(&c, cal, tg, s, 0, &w, 1, s + 12 * 3600, &t);
	assert_int_equal(t.state, SLA_WARNING);
	assert_int_equal(t.due, s + 13 * 3600);
	/* no target: none */
	sla_timer(&c, cal, 0, s, 0, NULL, 0, s, &t);
	assert_int_equal(t.state, SLA_NONE);
	assert_string_equal(sla_state_name(SLA_BREACHED), "breached");
	sla_conf_free(&c);
}

static void policies(void **state)
{
	(void)state;
	sla_conf_t c;
	conf(&c, "calendar a\n always\ncalendar b\n hours mon 09:00-10:00\n"
		 "team soc b lead alice@cirt.example\nteam * a\n"
		 "policy high ack 1h\npolicy high intrusions ack 30m\n"
		 "policy high intrusions/system-compromise ack 10m\n");
	assert_int_equal(sla_policy_find(&c, "high", "fraud/phishing")->target[SLA_ACK], 3600);
	assert_int_equal(sla_policy_find(&c, "high", "intrusions/application-compromise")
				 ->target[SLA_ACK], 1800);
	assert_int_equal(sla_policy_find(&c, "high", "intrusions/system-compromise")
				 ->target[SLA_ACK], 600);
	assert_int_equal(sla_policy_find(&c, "high", "intrusions")->target[SLA_ACK], 1800);
	assert_null(sla_policy_find(&c, "low", "intrusions"));
	assert_string_equal(sla_calendar_for(&c, "soc")->name, "b");
	assert_string_equal(sla_team_find(&c, "soc")->lead, "alice@cirt.example");
	assert_string_equal(sla_calendar_for(&c, "other")->name, "a");
	sla_conf_free(&c);
	/* the built-in file loads and has a policy for every severity */
	char err[512];
	assert_int_equal(sla_conf_load(&c, NULL, err, sizeof err), 0);
	const char *sev[] = {"low", "medium", "high", "critical"};
	for (int i = 0; i < 4; i++)
		assert_non_null(sla_policy_find(&c, sev[i], "spam"));
	sla_conf_free(&c);
}

static void errors(void **state)
{
	(void)state;
	conf_err("always\n", NULL, "t.conf:1: always: belongs under");
	conf_err("calendar a\n zone Mars/Olympus\n", NULL, "t.conf:2: zone 'Mars/Olympus': unknown");
	conf_err("calendar a\n zone ../../etc/passwd\n", NULL, "t.conf:2: zone");
	conf_err("calendar a\n hours mon-fri 09:00-17:00\n hours fri 16:00-18:00\n", NULL,
		 "t.conf:3: hours: '16:00-18:00' overlaps");
	conf_err("calendar a\n hours mon 22:00-06:00\n", NULL, "t.conf:2: hours: '22:00-06:00' ends "
		 "before it starts");
	conf_err("calendar a\n hours mon 09:00-24:30\n", NULL, "t.conf:2: hours: '09:00-24:30'");
	conf_err("calendar a\n hours xyz 09:00-10:00\n", NULL, "t.conf:2: hours: 'xyz'");
	conf_err("calendar a\n holiday 2026-13-01\n", NULL, "t.conf:2: holiday");
	conf_err("\ncalendar a\n zone UTC\nteam * a\n", NULL, "t.conf:2: calendar a: no open hours");
	conf_err("calendar a\n always\n hours mon 09:00-10:00\n", NULL, "t.conf:1: calendar a: both");
	conf_err("calendar a\n always\nteam soc b\n", NULL, "t.conf:3: team soc: no calendar 'b'");
	conf_err("policy urgent ack 1h\n", NULL, "t.conf:1: policy: severity 'urgent'");
	conf_err("policy high nonsense ack 1h\n", NULL, "t.conf:1: policy: 'nonsense' is not a class");
	conf_err("policy high ack 1h\npolicy high ack 2h\n", NULL, "t.conf:2: policy high (any "
		 "class): already given on line 1");
	conf_err("policy high ack forever\n", NULL, "t.conf:1: policy: ack: expected a duration");
	conf_err("policy high\n", NULL, "t.conf:1: policy: no target");
	conf_err("warn 100%\n", NULL, "t.conf:1: warn");
	conf_err("colour blue\n", NULL, "t.conf:1: unknown key 'colour'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weekend_and_holiday), cmocka_unit_test(holidays_file),
		cmocka_unit_test(pause_over_night),    cmocka_unit_test(offsets),
		cmocka_unit_test(dst_days),            cmocka_unit_test(timers),
		cmocka_unit_test(policies),            cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
