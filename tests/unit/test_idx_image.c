/* test_idx_image.c — the index image's reader: an image written from an
 * index answers every look-up as the index it came from did (sources and
 * classifications too), and every check refuses what it should: another
 * store, other trust, a sequence newer than the store's or older than its
 * change log, a truncated or extended file, a flipped byte anywhere, another
 * format version, an index already in use; no file at all is not an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "index/idx.h"

static char dir[] = "/tmp/c5-idximg-XXXXXX";
static char path[256];

static obs_t parse(const char *s)
{
	obs_t o;
	char err[256];
	if (obs_parse(s, strlen(s), OBS_NONE, &o, err, sizeof err))
		fail_msg("%s", err);
	return o;
}

static const char *values[] = {
	"192.0.2.1", "192.0.2.1", "198.51.100.7", "10.1.0.0/16", "10.1.2.0/24", "10.0.0.0/8",
	"2001:db8::1", "2001:db8::/32", "2001:db8:1::/48", "evil.example", "a.b.evil.example",
	"http://x.test/payload.exe", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"www.bad.test", "bad.test",
};
#define NV (sizeof values / sizeof *values)
static const char *queries[] = {
	"192.0.2.1", "198.51.100.7", "10.1.2.3", "10.9.9.9", "2001:db8::1", "2001:db8:1::5",
	"x.a.b.evil.example", "evil.example", "http://x.test/payload.exe", "www.bad.test",
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "203.0.113.9",
	"good.example",
};
#define NQ (sizeof queries / sizeof *queries)

static idx_t *make_index(void)
{
	idx_t *ix = idx_new();
	idx_builder_t *b = idx_builder_new(ix);
	assert_non_null(ix);
	for (size_t i = 0; i < NV; i++) {
		obs_t o = parse(values[i]);
		idx_meta_t m = {.id = (uint32_t)i + 1, .org = 1 + (uint32_t)i % 3, .tlp = (uint8_t)(i % 4),
				.conf = 50, .trust = 80, .seen = 100 + (uint32_t)i,
				.source = i % 2 ? "feed-a" : "feed-b",
				.cls = i % 3 ? "malicious-code/c2-server" : "fraud/phishing"};
		assert_int_equal(idx_builder_add(b, &o, &m), 0);
	}
	assert_int_equal(idx_reset(ix, b), 0);
	return ix;
}

/* Every hit of q: id, how, where, and the fields a verdict reads. */
static void answer(idx_t *ix, const char *q, char *out, size_t outlen)
{
	obs_t o = parse(q);
	idx_hit_t hits[32];
	const idx_snap_t *s = idx_enter(ix);
	size_t n = idx_lookup(s, &o, hits, 32), len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && i < 32; i++) {
		const idx_ref_t *r = hits[i].ref;
		len += (size_t)snprintf(out + len, outlen - len, "%u/%d/%d/%d/%u/%u/%u/%s/%s;", r->id,
					hits[i].how, hits[i].plen, hits[i].off, r->org, r->tlp,
					r->seen, idx_str(ix, (uint16_t)r->source), idx_cls(ix, (uint8_t)r->cls));
	}
	idx_leave(ix);
	snprintf(out + len, outlen - len, "n=%zu below=%d", n,
		 idx_has_below(idx_enter(ix), "evil.example", 12));
	idx_leave(ix);
}

static const idx_image_want_t good = {.store_id = "store-one", .trust = 7, .seq_min = 3, .seq_max = 9};

static uint8_t *slurp(size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	uint8_t *buf = malloc(*len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static void spill(const uint8_t *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

static void write_image(int64_t seq)
{
	char err[256];
	idx_t *ix = make_index();
	assert_int_equal(idx_image_write(ix, idx_enter(ix), path, "store-one", 7, seq, err, sizeof err), 0);
	idx_leave(ix);
	idx_free(ix);
}

static void test_round_trip(void **state)
{
	(void)state;
	char err[256], a[2048], b[2048];
	int64_t seq = 0;
	idx_t *orig = make_index(), *img = idx_new();
	assert_int_equal(idx_image_write(orig, idx_enter(orig), path, "store-one", 7, 5, err, sizeof err), 0);
	idx_leave(orig);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_not_equal(access("/tmp/nothing", F_OK), 0);
	assert_int_equal(idx_image_load(img, path, &good, &seq, err, sizeof err), 0);
	assert_int_equal(seq, 5);
	for (size_t i = 0; i < NQ; i++) {
		answer(orig, queries[i], a, sizeof a);
		answer(img, queries[i], b, sizeof b);
		assert_string_equal(a, b);
	}
	answer(img, "192.0.2.1", b, sizeof b);
	assert_non_null(strstr(b, "n=2"));
	/* changes on top of a mapped base: a delta as usual */
	obs_t o = parse("203.0.113.9");
	idx_meta_t m = {.id = 99, .org = 1, .tlp = 1, .source = "feed-new"};
	idx_builder_t *add = idx_builder_new(img);
	assert_int_equal(idx_builder_add(add, &o, &m), 0);
	uint32_t del = 1;
	assert_int_equal(idx_apply(img, add, &del, 1), 0);
	answer(img, "203.0.113.9", b, sizeof b);
	assert_non_null(strstr(b, "99/0/32/0/1/1/0/feed-new/;"));
	answer(img, "192.0.2.1", b, sizeof b);
	assert_non_null(strstr(b, "n=1"));
	idx_stats_t st;
	idx_stats(idx_enter(img), &st);
	idx_leave(img);
	assert_int_equal(st.indicators, NV + 1);
	/* an image of an index with an image's base can be written again */
	assert_int_equal(idx_image_write(img, idx_enter(img), path, "store-one", 7, 6, err, sizeof err), 0);
	idx_leave(img);
	idx_free(orig);
	idx_free(img);
}

static int refused(const idx_image_want_t *w, const char *why)
{
	char err[256] = "";
	int64_t seq;
	idx_t *ix = idx_new();
	int rc = idx_image_load(ix, path, w, &seq, err, sizeof err);
	idx_stats_t st;
	idx_stats(idx_enter(ix), &st);
	idx_leave(ix);
	idx_free(ix);
	if (rc != -1 || st.indicators != 0) {
		print_error("accepted (rc %d) where %s was expected\n", rc, why);
		return 0;
	}
	if (!strstr(err, why)) {
		print_error("refused for '%s', expected '%s'\n", err, why);
		return 0;
	}
	return 1;
}

static void test_identity_and_sequence(void **state)
{
	(void)state;
	char err[256];
	int64_t seq;
	write_image(5);
	idx_image_want_t w = good;
	w.store_id = "store-two";
	assert_true(refused(&w, "another store"));
	w = good;
	w.trust = 8;
	assert_true(refused(&w, "trust"));
	w = good;
	w.seq_max = 4; /* the store is behind the image (a restored copy) */
	assert_true(refused(&w, "newer than the store"));
	w = good;
	w.seq_min = 6; /* the change log no longer reaches back to the image */
	assert_true(refused(&w, "older than the change log"));
	w = good;
	w.seq_min = 5;
	w.seq_max = 5;
	idx_t *ix = idx_new();
	assert_int_equal(idx_image_load(ix, path, &w, &seq, err, sizeof err), 0);
	idx_free(ix);
	/* an index already in use is not replaced */
	ix = make_index();
	assert_int_equal(idx_image_load(ix, path, &good, &seq, err, sizeof err), -1);
	assert_non_null(strstr(err, "already"));
	idx_free(ix);
	/* no file: 1, not an error */
	unlink(path);
	ix = idx_new();
	assert_int_equal(idx_image_load(ix, path, &good, &seq, err, sizeof err), 1);
	idx_free(ix);
}

static void test_damage(void **state)
{
	(void)state;
	char err[256];
	int64_t seq;
	size_t len;
	write_image(5);
	uint8_t *img = slurp(&len);
	assert_int_equal(idx_image_check(img, len, &good, &seq, err, sizeof err), 0);
	/* truncated anywhere, or extended */
	size_t cuts[] = {0, 7, 100, len / 2, len - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		spill(img, cuts[i]);
		assert_true(refused(&good, "truncated"));
	}
	uint8_t *more = calloc(len + 64, 1);
	memcpy(more, img, len);
	spill(more, len + 64);
	assert_true(refused(&good, "truncated or extended"));
	free(more);
	/* a flipped byte in the header and in the refs, through the loader */
	img[8] ^= 1; /* the version */
	spill(img, len);
	assert_true(refused(&good, "format version"));
	img[8] ^= 1;
	img[len - 20] ^= 0x80; /* the last section */
	spill(img, len);
	assert_true(refused(&good, "checksum mismatch"));
	img[len - 20] ^= 0x80;
	spill(img, len);
	idx_t *ix = idx_new();
	assert_int_equal(idx_image_load(ix, path, &good, &seq, err, sizeof err), 0);
	idx_free(ix);
	free(img);
}

/* A flipped byte must be caught wherever it is: every header byte and a
 * sample of the rest (every 61st), padding between sections included. */
static void test_flips_only_in_padding(void **state)
{
	(void)state;
	char err[256];
	int64_t seq;
	size_t len, accepted = 0;
	write_image(5);
	uint8_t *img = slurp(&len);
	for (size_t i = 0; i < len; i = i < 1024 ? i + 1 : i + 61) {
		img[i] ^= 0x10;
		if (idx_image_check(img, len, &good, &seq, err, sizeof err) == 0) {
			accepted++;
			/* the change must not show in what a look-up reads */
			idx_t *a = idx_new();
			spill(img, len);
			assert_int_equal(idx_image_load(a, path, &good, &seq, err, sizeof err), 0);
			idx_free(a);
		}
		img[i] ^= 0x10;
	}
	assert_int_equal(accepted, 0);
	free(img);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/hub.db.idx", dir);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_identity_and_sequence),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_flips_only_in_padding),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	char tmp[300];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	unlink(tmp);
	rmdir(dir);
	return rc;
}
