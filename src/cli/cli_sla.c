/* cli_sla.c — `c5hub sla check [FILE]`: read SLA policies and calendars as
 * the server would (the built-in file without FILE) and say what they hold,
 * or the first error as file:line. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "sla/sla.h"

static void fmt_dur(int64_t s, char *buf, size_t size)
{
	if (!s)
		snprintf(buf, size, "-");
	else if (s % 86400 == 0)
		snprintf(buf, size, "%lldd", (long long)(s / 86400));
	else if (s % 3600 == 0)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else if (s % 60 == 0)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else
		snprintf(buf, size, "%llds", (long long)s);
}

int cli_sla(cli_t *c)
{
	if (c->argc < 1 || strcmp(c->argv[0], "check") || c->argc > 2)
		return cli_fail("usage: c5hub sla check [FILE]\n"
				"  FILE: SLA policies and calendars (as data/sla.conf); without it, "
				"the built-in ones");
	const char *file = c->argc == 2 ? c->argv[1] : NULL;
	sla_conf_t conf;
	char err[600];
	if (sla_conf_load(&conf, file, err, sizeof err))
		return cli_fail("%s", err);
	static const char *const wd[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	printf("%s: warn at %d%%\n", file ? file : "data/sla.conf (built in)", conf.warn_pct);
	for (size_t i = 0; i < conf.ncal; i++) {
		const sla_calendar_t *cal = &conf.cal[i];
		printf("calendar %s: ", cal->name);
		if (cal->always) {
			printf("always\n");
			continue;
		}
		printf("zone %s, %zu holidays;", cal->zone.name, cal->nholiday);
		for (int d = 1; d <= 7; d++)
			for (int k = 0; k < cal->nslot[d % 7]; k++)
				printf(" %s %02d:%02d-%02d:%02d", wd[d % 7], cal->slot[d % 7][k][0] / 60,
				       cal->slot[d % 7][k][0] % 60, cal->slot[d % 7][k][1] / 60,
				       cal->slot[d % 7][k][1] % 60);
		printf("\n");
	}
	for (size_t i = 0; i < conf.nteam; i++)
		printf("team %s: calendar %s%s%s\n", conf.team[i].name,
		       conf.cal[conf.team[i].calendar].name, conf.team[i].lead[0] ? ", lead " : "",
		       conf.team[i].lead);
	for (size_t i = 0; i < conf.npol; i++) {
		char d[3][24];
		for (int k = 0; k < SLA_NTARGET; k++)
			fmt_dur(conf.pol[i].target[k], d[k], sizeof d[k]);
		printf("policy %s %s: ack %s, response %s, resolve %s\n", conf.pol[i].severity,
		       conf.pol[i].classification[0] ? conf.pol[i].classification : "(any class)",
		       d[0], d[1], d[2]);
	}
	sla_conf_free(&conf);
	return 0;
}
