/* fuzz_time.c — libFuzzer target: the model's times as a pair.  Any text
 * model_time_parse accepts is a time in 0..MODEL_TIME_MAX that
 * model_time_fmt writes as 20 characters and parses back to the same
 * second; and model_time_fmt of any 64-bit number (the input's first eight
 * bytes) is total: 20 characters, a NUL, nothing written past it, and a
 * text that parses back to the number clamped to the range. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fmt_ok(int64_t t, int64_t want)
{
	char buf[MODEL_TIME_LEN + 4];
	int64_t back;
	memset(buf, 0x55, sizeof buf);
	if (model_time_fmt(t, buf) != buf || strlen(buf) != MODEL_TIME_LEN - 1 ||
	    buf[MODEL_TIME_LEN] != 0x55 || model_time_parse(buf, &back) || back != want)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64];
	int64_t t;
	if (size >= 8) {
		memcpy(&t, data, 8);
		fmt_ok(t, t < 0 ? 0 : t > MODEL_TIME_MAX ? MODEL_TIME_MAX : t);
	}
	/* the bytes as text */
	size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	if (model_time_parse(text, &t) == 0) {
		if (t < 0 || t > MODEL_TIME_MAX)
			abort();
		fmt_ok(t, t);
	}
	return 0;
}
