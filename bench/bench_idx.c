/* bench_idx.c — in-process look-up speed and memory of the index, with
 * 1,000,000 IPv4 /32s, 100,000 prefixes and 1,000,000 domains loaded.
 * Prints look-ups per second on one core for IPv4 (half hits, half misses)
 * and for domains (exact, subdomain and miss), build time and bytes per
 * indicator, each beside its target.  Deterministic data (fixed seed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "index/idx.h"

#define N_V4 1000000
#define N_PFX 100000
#define N_DOM 1000000
#define N_Q (1 << 22)
#define NDQ (1 << 20)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void v4(obs_t *o, uint32_t a, unsigned plen)
{
	memset(o, 0, offsetof(obs_t, value));
	o->type = OBS_IPV4;
	o->plen = (uint8_t)plen;
	o->addr[0] = (uint8_t)(a >> 24);
	o->addr[1] = (uint8_t)(a >> 16);
	o->addr[2] = (uint8_t)(a >> 8);
	o->addr[3] = (uint8_t)a;
}

static void dom(obs_t *o, const char *fmt, uint32_t i)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, fmt, i, i % 977);
	char err[64];
	if (obs_parse(buf, (size_t)n, OBS_DOMAIN, o, err, sizeof err))
		abort();
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return v[n / 2];
}

static double best(const double *v, int n)
{
	double b = v[0];
	for (int i = 1; i < n; i++)
		b = v[i] > b ? v[i] : b;
	return b;
}

static int group_sum(void *arg, const idx_group_t *g)
{
	*(uint64_t *)arg += g->n;
	return 0;
}

int main(void)
{
	idx_t *ix = idx_new();
	idx_builder_t *b = idx_builder_new(ix);
	obs_t *o = malloc(sizeof *o);
	uint32_t *listed = malloc(N_V4 * sizeof *listed);
	idx_meta_t m = {.org = 1, .tlp = 1, .conf = 80, .source = "bench", .cls = "malicious-code/c2-server"};
	uint32_t id = 1;

	for (uint32_t i = 0; i < N_V4; i++) {
		listed[i] = rnd();
		v4(o, listed[i], 32);
		m.id = id++;
		idx_builder_add(b, o, &m);
	}
	for (uint32_t i = 0; i < N_PFX; i++) {
		/* a routing-table-like mix: mostly /24, some /19../23, few /16../18 */
		unsigned r = rnd() % 100;
		unsigned plen = r < 60 ? 24 : r < 80 ? 22 + rnd() % 2 : r < 95 ? 19 + rnd() % 3 : 16 + rnd() % 3;
		v4(o, rnd() & (~0u << (32 - plen)), plen);
		m.id = id++;
		idx_builder_add(b, o, &m);
	}
	for (uint32_t i = 0; i < N_DOM; i++) {
		dom(o, "host%u.zone%u.example", i);
		m.id = id++;
		idx_builder_add(b, o, &m);
	}
	double t0 = now();
	if (idx_reset(ix, b))
		return 1;
	double build = now() - t0;
	idx_stats_t st;
	const idx_snap_t *s = idx_enter(ix);
	idx_stats(s, &st);
	idx_leave(ix);

	/* queries: prepared up front so only look-ups are timed; every
	 * measurement is repeated REPS times (the median is printed) */
	enum { REPS = 5 };
	obs_t *q4 = malloc(sizeof(obs_t) * 1024);
	double r4[REPS], r4p[REPS], r4e[REPS], rd[REPS];
	size_t found1 = 0, dfound = 0;
	for (int rep = 0; rep < REPS; rep++) {
	idx_hit_t hits[16];
	size_t found = 0;
	uint32_t *qa = malloc(N_Q * sizeof *qa);
	for (uint32_t i = 0; i < N_Q; i++)
		qa[i] = (i & 1) ? listed[rnd() % N_V4] : rnd();
	/* IPv4: the obs built per query from an address, as a server does */
	t0 = now();
	s = idx_enter(ix);
	for (uint32_t i = 0; i < N_Q; i++) {
		obs_t *x = &q4[i & 1023];
		x->type = OBS_IPV4;
		x->plen = 32;
		x->addr[0] = (uint8_t)(qa[i] >> 24);
		x->addr[1] = (uint8_t)(qa[i] >> 16);
		x->addr[2] = (uint8_t)(qa[i] >> 8);
		x->addr[3] = (uint8_t)qa[i];
		found += idx_lookup(s, x, hits, 16) > 0;
	}
	idx_leave(ix);
	double t4 = now() - t0;
	found1 = found;
	/* batched as a DNS or HTTP worker does: prefetch 8 queries ahead */
	t0 = now();
	s = idx_enter(ix);
	for (uint32_t i = 0; i < 8; i++) {
		obs_t *x = &q4[i & 1023];
		x->addr[0] = (uint8_t)(qa[i] >> 24); x->addr[1] = (uint8_t)(qa[i] >> 16);
		x->addr[2] = (uint8_t)(qa[i] >> 8); x->addr[3] = (uint8_t)qa[i];
	}
	for (uint32_t i = 0; i < N_Q; i++) {
		uint32_t j = i + 8;
		if (j < N_Q) {
			obs_t *y = &q4[j & 1023];
			y->addr[0] = (uint8_t)(qa[j] >> 24); y->addr[1] = (uint8_t)(qa[j] >> 16);
			y->addr[2] = (uint8_t)(qa[j] >> 8); y->addr[3] = (uint8_t)qa[j];
			idx_prefetch(s, y);
		}
		found += idx_lookup(s, &q4[i & 1023], hits, 16) > 0;
	}
	idx_leave(ix);
	double t4p = now() - t0;
	/* the same with a read-side section per look-up */
	t0 = now();
	for (uint32_t i = 0; i < N_Q; i++) {
		obs_t *x = &q4[i & 1023];
		x->addr[0] = (uint8_t)(qa[i] >> 24);
		x->addr[1] = (uint8_t)(qa[i] >> 16);
		x->addr[2] = (uint8_t)(qa[i] >> 8);
		x->addr[3] = (uint8_t)qa[i];
		s = idx_enter(ix);
		found += idx_lookup(s, x, hits, 16) > 0;
		idx_leave(ix);
	}
	double t4e = now() - t0;

	/* domains: a third exact, a third subdomains of listed names, a third misses */
	obs_t *qd = malloc(sizeof(obs_t) * 4096);
	for (int i = 0; i < 4096; i++) {
		uint32_t k = rnd() % N_DOM;
		dom(&qd[i], i % 3 == 0 ? "host%u.zone%u.example" : i % 3 == 1 ? "www.host%u.zone%u.example"
										 : "miss%u.zone%u.example", k);
	}
	dfound = 0;
	t0 = now();
	s = idx_enter(ix);
	for (uint32_t i = 0; i < NDQ; i++)
		dfound += idx_lookup(s, &qd[(i * 2654435761u) & 4095], hits, 16) > 0;
	idx_leave(ix);
	double td = now() - t0;
	r4[rep] = N_Q / t4 / 1e6;
	r4p[rep] = N_Q / t4p / 1e6;
	r4e[rep] = N_Q / t4e / 1e6;
	rd[rep] = NDQ / td / 1e6;
	free(qd);
	free(qa);
	found = 0;
	}

	/* the dashboard's counts (idx_groups): a fresh snapshot's first call,
	 * a later one, and after a change that replaced some base indicators */
	uint64_t gsum = 0;
	double g0 = now();
	idx_groups(idx_enter(ix), group_sum, &gsum);
	idx_leave(ix);
	double gfirst = now() - g0;
	g0 = now();
	idx_groups(idx_enter(ix), group_sum, &gsum);
	idx_leave(ix);
	double gkept = now() - g0;
	idx_builder_t *ch = idx_builder_new(ix);
	for (uint32_t k = 1; k <= 1000; k++) {
		idx_meta_t mr = {.id = k * 997, .org = 2, .tlp = 2, .conf = 50, .source = "bench", .cls = ""};
		v4(o, listed[k * 997 - 1], 32); /* ids 1..N_V4 are the listed addresses */
		idx_builder_add(ch, o, &mr);
	}
	idx_apply(ix, ch, NULL, 0);
	g0 = now();
	idx_groups(idx_enter(ix), group_sum, &gsum);
	idx_leave(ix);
	double gsup = now() - g0;

	size_t n = N_V4 + N_PFX + N_DOM;
	printf("index: %zu indicators (1M IPv4 /32, 100k prefixes, 1M domains)\n", n);
	printf("  build from memory        %8.2f s\n", build);
	printf("  memory                   %8.1f bytes/indicator   target < 64\n", (double)st.bytes / n);
	printf("  counts by org/type/TLP   %8.2f ms first, %.3f ms kept, %.2f ms after 1,000 replaced\n",
	       gfirst * 1e3, gkept * 1e3, gsup * 1e3);
	printf("  (look-ups: median of %d runs, best in brackets)\n", REPS);
	printf("  IPv4 look-ups, 1 core    %6.1f M/s (%4.1f)   target >= 10 M/s (hits %.0f%%)\n",
	       median(r4, REPS), best(r4, REPS), 100.0 * found1 / N_Q);
	printf("  IPv4, batch + prefetch   %6.1f M/s (%4.1f)\n", median(r4p, REPS), best(r4p, REPS));
	printf("  IPv4, enter/leave each   %6.1f M/s (%4.1f)\n", median(r4e, REPS), best(r4e, REPS));
	printf("  domain look-ups, 1 core  %6.1f M/s (%4.1f)   target >= 2 M/s (hits %.0f%%)\n",
	       median(rd, REPS), best(rd, REPS), 100.0 * dfound / NDQ);
	idx_free(ix);
	free(o);
	free(listed);
	free(q4);
	return 0;
}
