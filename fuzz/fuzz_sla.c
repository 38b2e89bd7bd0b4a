/* fuzz_sla.c — libFuzzer target: SLA policies and calendars (data/sla.conf,
 * an operator's --sla file) on arbitrary bytes.  A refused text leaves an
 * empty conf and a file:line reason; an accepted one holds only valid
 * values, and on each of its calendars the business time from an instant
 * to the due instant of a target is exactly that target (the two walks
 * agree). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sla/sla.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	sla_conf_t c;
	if (sla_conf_parse(&c, text, "fuzz", "/nonexistent", err, sizeof err)) {
		if (c.ncal || c.npol || c.nteam || strncmp(err, "fuzz:", 5))
			__builtin_trap();
		free(text);
		return 0;
	}
	if (c.warn_pct < 1 || c.warn_pct > 99)
		__builtin_trap();
	for (size_t i = 0; i < c.nteam; i++)
		if (c.team[i].calendar >= c.ncal)
			__builtin_trap();
	for (size_t i = 0; i < c.npol; i++)
		for (int k = 0; k < SLA_NTARGET; k++)
			if (c.pol[i].target[k] < 0 || c.pol[i].target[k] > 366 * 86400)
				__builtin_trap();
	const int64_t start = 1764547200; /* 2025-12-01T00:00:00Z */
	for (size_t i = 0; i < c.ncal; i++) {
		const sla_calendar_t *cal = &c.cal[i];
		int open = 0;
		for (int d = 0; d < 7; d++)
			for (int k = 0; k < cal->nslot[d]; k++) {
				open++;
				if (cal->slot[d][k][0] >= cal->slot[d][k][1] || cal->slot[d][k][1] > 1440 ||
				    (k && cal->slot[d][k - 1][1] > cal->slot[d][k][0]))
					__builtin_trap();
			}
		if (!cal->always == !open)
			__builtin_trap();
		sla_span_t pause = {start + 3600, start + 90000};
		int64_t due = sla_due(cal, start, 7200, &pause, 1);
		if (due != SLA_NEVER && sla_business(cal, start, due, &pause, 1) != 7200)
			__builtin_trap();
	}
	sla_conf_free(&c);
	free(text);
	return 0;
}
