/* test_idx.c — the look-up index: exact, covering-prefix and parent-domain
 * matches, deltas and deletions, cross-checked against a brute-force model,
 * and readers running while a writer swaps snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "index/idx.h"

static obs_t parse(const char *s)
{
	obs_t o;
	char err[256];
	if (obs_parse(s, strlen(s), OBS_NONE, &o, err, sizeof err))
		fail_msg("%s", err);
	return o;
}

static void add(idx_builder_t *b, const char *v, uint32_t id)
{
	obs_t o = parse(v);
	idx_meta_t m = {.id = id, .org = 1, .tlp = 1, .conf = 50, .source = "test",
			.cls = "malicious-code/c2-server"};
	assert_int_equal(idx_builder_add(b, &o, &m), 0);
}

/* Look v up; return the matched ids as a sorted, comma-separated string
 * with the way each matched ("3e,5p24,7d4"). */
static char *look(idx_t *ix, const char *v, char *out)
{
	obs_t o = parse(v);
	idx_hit_t hits[64];
	const idx_snap_t *s = idx_enter(ix);
	size_t n = idx_lookup(s, &o, hits, 64);
	char parts[64][24];
	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++) {
		const char *how = hits[i].how == IDX_EXACT ? "e" : hits[i].how == IDX_PREFIX ? "p" : "d";
		int extra = hits[i].how == IDX_PREFIX ? hits[i].plen : hits[i].how == IDX_PARENT ? hits[i].off : -1;
		if (extra >= 0)
			snprintf(parts[i], sizeof parts[i], "%u%s%d", hits[i].ref->id, how, extra);
		else
			snprintf(parts[i], sizeof parts[i], "%u%s", hits[i].ref->id, how);
	}
	idx_leave(ix);
	qsort(parts, n, sizeof parts[0], (int (*)(const void *, const void *))strcmp);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, parts[i]);
	}
	return out;
}

static void test_matches(void **st)
{
	(void)st;
	char buf[1024];
	idx_t *ix = idx_new();
	idx_builder_t *b = idx_builder_new(ix);
	add(b, "192.0.2.1", 1);
	add(b, "192.0.2.1", 2); /* a second source for the same value */
	add(b, "10.0.0.0/8", 3);
	add(b, "10.1.0.0/16", 4);
	add(b, "10.1.2.0/24", 5);
	add(b, "10.1.2.128/25", 6);
	add(b, "0.0.0.0/0", 7);
	add(b, "2001:db8::/32", 8);
	add(b, "2001:db8::1", 9);
	add(b, "example.com", 10);
	add(b, "evil.example.com", 11);
	add(b, "http://example.com/x", 12);
	add(b, "d41d8cd98f00b204e9800998ecf8427e", 13);
	add(b, "AS64496", 14);
	add(b, "a@example.com", 15);
	add(b, "2001:db8:1::/48", 16);
	add(b, "172.16.0.0/12", 17);
	assert_int_equal(idx_reset(ix, b), 0);

	assert_string_equal(look(ix, "192.0.2.1", buf), "1e,2e,7p0");
	assert_string_equal(look(ix, "192.0.2.2", buf), "7p0");
	assert_string_equal(look(ix, "10.1.2.200", buf), "3p8,4p16,5p24,6p25,7p0");
	assert_string_equal(look(ix, "10.1.2.3", buf), "3p8,4p16,5p24,7p0");
	assert_string_equal(look(ix, "10.1.0.0/16", buf), "3p8,4e,7p0");
	assert_string_equal(look(ix, "10.200.0.1", buf), "3p8,7p0");
	assert_string_equal(look(ix, "172.31.255.255", buf), "17p12,7p0");
	assert_string_equal(look(ix, "172.32.0.0", buf), "7p0");
	assert_string_equal(look(ix, "::ffff:10.1.2.3", buf), "3p8,4p16,5p24,7p0");
	assert_string_equal(look(ix, "2001:db8::1", buf), "8p32,9e");
	assert_string_equal(look(ix, "2001:db8:1::5", buf), "16p48,8p32");
	assert_string_equal(look(ix, "2001:db9::1", buf), "");
	assert_string_equal(look(ix, "example.com", buf), "10e");
	assert_string_equal(look(ix, "a.b.evil.example.com", buf), "10d9,11d4");
	assert_string_equal(look(ix, "notexample.com", buf), "");
	assert_string_equal(look(ix, "com.example", buf), "");
	assert_string_equal(look(ix, "http://example.com/x", buf), "12e");
	assert_string_equal(look(ix, "http://example.com/y", buf), "");
	assert_string_equal(look(ix, "D41D8CD98F00B204E9800998ECF8427E", buf), "13e");
	assert_string_equal(look(ix, "AS64496", buf), "14e");
	assert_string_equal(look(ix, "AS64497", buf), "");
	assert_string_equal(look(ix, "A@EXAMPLE.COM", buf), "");
	assert_string_equal(look(ix, "a@EXAMPLE.COM", buf), "15e");

	/* ancestors of listed names */
	const idx_snap_t *sn = idx_enter(ix);
	assert_true(idx_has_below(sn, "example.com", 11));
	assert_true(idx_has_below(sn, "com", 3));
	assert_false(idx_has_below(sn, "evil.example.com", 16));
	assert_false(idx_has_below(sn, "org", 3));
	idx_leave(ix);

	/* delta: add, replace, delete */
	b = idx_builder_new(ix);
	add(b, "198.51.100.7", 20);
	add(b, "10.1.0.0/16", 4);        /* replaces id 4 (same value) */
	add(b, "bad.example.org", 21);
	uint32_t dels[] = {1, 11};
	assert_int_equal(idx_apply(ix, b, dels, 2), 0);
	assert_int_equal(idx_delta_size(ix), 3);
	assert_string_equal(look(ix, "192.0.2.1", buf), "2e,7p0");
	assert_string_equal(look(ix, "198.51.100.7", buf), "20e,7p0");
	assert_string_equal(look(ix, "10.1.9.9", buf), "3p8,4p16,7p0");
	assert_string_equal(look(ix, "x.evil.example.com", buf), "10d7");
	assert_string_equal(look(ix, "bad.example.org", buf), "21e");
	/* a second delta keeps the first's entries, less what it deletes */
	uint32_t dels2[] = {20};
	assert_int_equal(idx_apply(ix, NULL, dels2, 1), 0);
	assert_string_equal(look(ix, "198.51.100.7", buf), "7p0");
	assert_string_equal(look(ix, "bad.example.org", buf), "21e");
	assert_int_equal(idx_delta_size(ix), 2);

	idx_stats_t s;
	idx_stats(idx_enter(ix), &s);
	idx_leave(ix);
	assert_true(s.bytes > 0);
	assert_int_equal(s.indicators, 17 + 2);
	assert_string_equal(idx_str(ix, 0), "");
	idx_free(ix);
}

/* Random prefixes and addresses against a brute-force answer. */
static void test_random_v4(void **st)
{
	(void)st;
	enum { NP = 3000, NA = 3000, NQ = 20000 };
	static uint32_t pa[NP], pl[NP], aa[NA];
	unsigned seed = 7;
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 8) ^ (seed << 13))
	idx_t *ix = idx_new();
	idx_builder_t *b = idx_builder_new(ix);
	for (int i = 0; i < NP; i++) {
		pl[i] = 1 + RND() % 31;
		pa[i] = (RND() & 0xF0F00000u) & (pl[i] ? ~0u << (32 - pl[i]) : 0);
		char v[40];
		snprintf(v, sizeof v, "%u.%u.%u.%u/%u", pa[i] >> 24, pa[i] >> 16 & 255,
			 pa[i] >> 8 & 255, pa[i] & 255, pl[i]);
		add(b, v, (uint32_t)i + 1);
	}
	for (int i = 0; i < NA; i++) {
		aa[i] = RND() & 0xF0F0FFFFu;
		char v[40];
		snprintf(v, sizeof v, "%u.%u.%u.%u", aa[i] >> 24, aa[i] >> 16 & 255,
			 aa[i] >> 8 & 255, aa[i] & 255);
		add(b, v, (uint32_t)(NP + i + 1));
	}
	assert_int_equal(idx_reset(ix, b), 0);
	const idx_snap_t *s = idx_enter(ix);
	for (int q = 0; q < NQ; q++) {
		uint32_t x = q % 3 == 0 ? aa[RND() % NA] : RND() & 0xF0F0FFFFu;
		obs_t o = {.type = OBS_IPV4, .plen = 32,
			   .addr = {x >> 24, x >> 16 & 255, x >> 8 & 255, x & 255}};
		size_t want = 0;
		for (int i = 0; i < NP; i++)
			want += (x & (~0u << (32 - pl[i]))) == pa[i];
		for (int i = 0; i < NA; i++)
			want += aa[i] == x;
		idx_hit_t hits[128];
		size_t got = idx_lookup(s, &o, hits, 128);
		if (got != want)
			fail_msg("address %08x: %zu matches, expected %zu", x, got, want);
		for (size_t h = 0; h < got && h < 128; h++) {
			uint32_t id = hits[h].ref->id;
			if (id <= NP)
				assert_true(hits[h].how == IDX_PREFIX && hits[h].plen == pl[id - 1] &&
					    (x & (~0u << (32 - pl[id - 1]))) == pa[id - 1]);
			else
				assert_true(hits[h].how == IDX_EXACT && aa[id - NP - 1] == x);
		}
	}
	idx_leave(ix);
	idx_free(ix);
}

/* idx_groups: the counts by organisation, type and TLP follow every change
 * (new indicators, replacements that move an indicator to another group,
 * deletions, a rebuild), checked against a model after each step. */
enum { G_MAX = 4000 };
typedef struct { int live; uint32_t org; uint8_t type, tlp; } g_model_t;
static g_model_t g_model[G_MAX + 1];

static void g_add(idx_builder_t *b, uint32_t id, uint32_t org, uint8_t tlp, int domain)
{
	char v[64];
	if (domain)
		snprintf(v, sizeof v, "host%u.example", id);
	else
		snprintf(v, sizeof v, "10.%u.%u.%u", id >> 16 & 255, id >> 8 & 255, id & 255);
	obs_t o = parse(v);
	idx_meta_t m = {.id = id, .org = org, .tlp = tlp, .conf = 50, .source = "test", .cls = ""};
	assert_int_equal(idx_builder_add(b, &o, &m), 0);
	g_model[id] = (g_model_t){1, org, (uint8_t)o.type, tlp};
}

typedef struct { uint64_t n[8][OBS_NTYPES][8]; } g_counts_t;

static int g_cb(void *arg, const idx_group_t *g)
{
	g_counts_t *c = arg;
	assert_true(g->org < 8 && g->type < OBS_NTYPES && g->tlp < 8);
	c->n[g->org][g->type][g->tlp] += g->n;
	return 0;
}

static void g_check(idx_t *ix, const char *step)
{
	static g_counts_t got, want;
	memset(&got, 0, sizeof got);
	memset(&want, 0, sizeof want);
	for (int i = 1; i <= G_MAX; i++)
		if (g_model[i].live)
			want.n[g_model[i].org][g_model[i].type][g_model[i].tlp]++;
	for (int twice = 0; twice < 2; twice++) { /* the second read is the kept one */
		memset(&got, 0, sizeof got);
		assert_int_equal(idx_groups(idx_enter(ix), g_cb, &got), 0);
		idx_leave(ix);
		if (memcmp(&got, &want, sizeof got))
			fail_msg("%s: idx_groups differs from the model", step);
	}
}

static void test_groups(void **st)
{
	(void)st;
	unsigned seed = 11;
	idx_t *ix = idx_new();
	idx_builder_t *b = idx_builder_new(ix);
	memset(g_model, 0, sizeof g_model);
	g_check(ix, "empty");
	for (uint32_t id = 1; id <= 2000; id++)
	{
		uint32_t org = 1 + RND() % 5;
		g_add(b, id, org, (uint8_t)(RND() % 5), id % 3 == 0);
	}
	assert_int_equal(idx_reset(ix, b), 0);
	g_check(ix, "base");
	for (int step = 0; step < 20; step++) {
		idx_builder_t *adds = idx_builder_new(ix);
		uint32_t dels[10], added[60];
		size_t nd = 0;
		for (int k = 0; k < 60; k++) {
			uint32_t id = 1 + RND() % G_MAX; /* new, or a replacement in another group */
			int again = 0;
			for (int j = 0; j < k; j++)
				again |= added[j] == id;
			if (again) { /* one report of an id per change */
				k--;
				continue;
			}
			uint32_t org = 1 + RND() % 5;
			g_add(adds, id, org, (uint8_t)(RND() % 5), id % 3 == 0);
			added[k] = id;
		}
		while (nd < 10) { /* deletions of ids this step does not add */
			uint32_t id = 1 + RND() % G_MAX;
			int clash = 0;
			for (int k = 0; k < 60; k++)
				clash |= added[k] == id;
			if (clash)
				continue;
			dels[nd++] = id;
			g_model[id].live = 0;
		}
		assert_int_equal(idx_apply(ix, adds, dels, nd), 0);
		char name[32];
		snprintf(name, sizeof name, "step %d", step);
		g_check(ix, name);
	}
	idx_free(ix);
}

/* Readers look up without pause while the writer keeps swapping snapshots;
 * a value present in every snapshot must always be found. */
struct race { idx_t *ix; atomic_int stop; atomic_long looks; atomic_int misses; };

static void *reader(void *arg)
{
	struct race *r = arg;
	obs_t o = parse("203.0.113.9"), d = parse("x.stable.example");
	idx_hit_t hits[8];
	while (!atomic_load(&r->stop)) {
		const idx_snap_t *s = idx_enter(r->ix);
		if (idx_lookup(s, &o, hits, 8) < 1 || idx_lookup(s, &d, hits, 8) < 1)
			atomic_fetch_add(&r->misses, 1);
		idx_leave(r->ix);
		atomic_fetch_add(&r->looks, 1);
	}
	return NULL;
}

static void test_concurrent(void **st)
{
	(void)st;
	struct race r = {.ix = idx_new()};
	idx_builder_t *b = idx_builder_new(r.ix);
	add(b, "203.0.113.9", 1);
	add(b, "stable.example", 2);
	assert_int_equal(idx_reset(r.ix, b), 0);
	pthread_t th[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, reader, &r);
	/* on a loaded machine the readers may not have run yet: let them start,
	 * so that the writer really races them */
	while (atomic_load(&r.looks) < 3)
		sched_yield();
	for (uint32_t round = 0; round < 300; round++) {
		b = idx_builder_new(r.ix);
		char v[32];
		snprintf(v, sizeof v, "198.18.%u.%u", round >> 8, round & 255);
		add(b, v, 100 + round);
		assert_int_equal(idx_apply(r.ix, b, NULL, 0), 0);
		if (round % 50 == 49) { /* a full rebuild now and then */
			b = idx_builder_new(r.ix);
			add(b, "203.0.113.9", 1);
			add(b, "stable.example", 2);
			assert_int_equal(idx_reset(r.ix, b), 0);
		}
	}
	atomic_store(&r.stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&r.misses), 0);
	assert_true(atomic_load(&r.looks) > 0);
	idx_free(r.ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_random_v4),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_groups),
	};
	return cmocka_run_group_tests_name("idx", tests, NULL, NULL);
}
