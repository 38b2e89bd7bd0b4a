/* fuzz_notify.c — libFuzzer target: notify settings (data/notify.conf and an
 * operator's --notify file) on arbitrary bytes, over the built-in ones.  A
 * refused text must leave the settings exactly as they were; an accepted
 * one must hold only valid values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "notify/notify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static notify_conf_t base;
	static int ready;
	char err[512];
	if (!ready) {
		if (notify_conf_load(&base, NULL, err, sizeof err))
			__builtin_trap();
		ready = 1;
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	notify_conf_t c = base;
	if (notify_conf_parse(&c, text, "fuzz", err, sizeof err)) {
		if (memcmp(&c, &base, sizeof c) != 0 || !err[0])
			__builtin_trap();
	} else if (c.nurgent < 0 || c.nurgent > NOTIFY_URGENT_MAX || c.attempts < 1 ||
		   c.lease < 1 || c.dedup < 0 || (c.from[0] && !strchr(c.from, '@'))) {
		/* from: an address, or "" (made from the hub's name when sending) */
		__builtin_trap();
	}
	free(text);
	return 0;
}
