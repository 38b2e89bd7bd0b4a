/* fuzz_idx_image.c — libFuzzer target: index images (idx_image_check,
 * idx_image_load) on arbitrary bytes.  Each input is checked as it is, then
 * again with its checksums recomputed (so that mutations reach the
 * structural checks); an image taken is loaded and every kind of look-up is
 * run on it, which must stay inside the file (ASan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index/idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const queries[] = {
	"192.0.2.1", "10.1.2.3", "2001:db8::1", "2001:db8:1::5", "a.b.evil.example", "evil.example",
	"http://x.test/payload.exe", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"203.0.113.9", "10.0.0.0/8", "2001:db8::/32",
};

static void use(const uint8_t *img, size_t size, const idx_image_want_t *want)
{
	static char path[64];
	char err[256];
	int64_t seq;
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/c5-fuzz-idximg-%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(img, 1, size, f);
	fclose(f);
	idx_t *ix = idx_new();
	if (ix && idx_image_load(ix, path, want, &seq, err, sizeof err) == 0) {
		const idx_snap_t *s = idx_frozen(ix);
		for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
			obs_t o;
			idx_hit_t hits[16];
			if (obs_parse(queries[i], strlen(queries[i]), OBS_NONE, &o, err, sizeof err))
				continue;
			size_t n = idx_lookup(s, &o, hits, 16);
			for (size_t k = 0; k < n && k < 16; k++)
				if (!idx_str(ix, (uint16_t)hits[k].ref->source) ||
				    !idx_cls(ix, (uint8_t)hits[k].ref->cls))
					abort();
		}
		idx_has_below(s, "evil.example", 12);
		idx_stats_t st;
		idx_stats(s, &st);
	}
	idx_free(ix);
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	idx_image_want_t want = {.store_id = "fuzz-store", .trust = 7, .seq_min = 1, .seq_max = 100};
	char err[256];
	int64_t seq;
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	if (idx_image_check(copy, size, &want, &seq, err, sizeof err) == 0)
		use(copy, size, &want);
	idx_image_reseal(copy, size);
	if (idx_image_check(copy, size, &want, &seq, err, sizeof err) == 0)
		use(copy, size, &want);
	free(copy);
	return 0;
}
