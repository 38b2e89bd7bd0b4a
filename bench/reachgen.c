/* reachgen.c — the issue 22 data set, deterministic (fixed seed): 6,000,000
 * distinct IPv4 addresses, 2,000,000 domain names, 1,000,000 URLs and
 * 1,000,000 SHA-256 hashes, one value per line, interleaved, written once.
 * usage: reachgen FILE [SCALE]   (SCALE divides every count; default 1) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t st = 22;
static uint64_t next(void) /* splitmix64 */
{
	uint64_t z = (st += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* a bijection of 32-bit numbers: distinct inputs, distinct addresses */
static uint32_t perm(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static const char *tld[] = {"com", "net", "org", "info", "xyz", "ru", "cn", "io"};

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	long scale = argc > 2 ? atol(argv[2]) : 1;
	FILE *f = fopen(argv[1], "w");
	if (!f || scale < 1)
		return 1;
	static char buf[1 << 20];
	setvbuf(f, buf, _IOFBF, sizeof buf);
	long n4 = 6000000 / scale, nd = 2000000 / scale, nu = 1000000 / scale, nh = 1000000 / scale;
	uint32_t i4 = 0;
	long id = 0, iu = 0, ih = 0;
	/* per 10 lines: 6 addresses, 2 names, 1 URL, 1 hash */
	while (i4 < n4 || id < nd || iu < nu || ih < nh) {
		for (int k = 0; k < 6 && i4 < n4; k++, i4++) {
			uint32_t a = perm(i4 + 0x1000);
			fprintf(f, "%u.%u.%u.%u\n", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
		}
		for (int k = 0; k < 2 && id < nd; k++, id++) {
			uint64_t r = next();
			fprintf(f, "%s%lx.%c%x.%s\n", (r & 1) ? "www." : "", id * 7919 + 13,
				'a' + (int)((r >> 8) % 26), (unsigned)(r >> 16) & 0xfff, tld[(r >> 40) & 7]);
		}
		if (iu < nu) {
			uint64_t r = next();
			fprintf(f, "http://%c%x.%s/%lx/%08x/payload.%s\n", 'a' + (int)(r % 26),
				(unsigned)(r >> 8) & 0xffff, tld[(r >> 32) & 7], iu, (unsigned)(r >> 36),
				(r >> 62) ? "exe" : "php");
			iu++;
		}
		if (ih < nh) {
			for (int k = 0; k < 4; k++)
				fprintf(f, "%016llx", (unsigned long long)next());
			fputc('\n', f);
			ih++;
		}
	}
	return fclose(f) ? 1 : 0;
}
