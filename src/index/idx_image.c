/* idx_image.c — the index image: an index's base part written to a file
 * beside the store, and mapped read-only at the next start instead of being
 * built from the store (see idx.h).
 *
 * Layout: a fixed header (img_head_t: magic, format version, the writer's
 * layout, the store's identity, the store sequence the part reflects, the
 * trust fingerprint baked into its refs, the file size, each part count,
 * and a table of sections with their offset, length and checksum; last, a
 * checksum of the header itself), then the sections, each 64-byte aligned:
 * the part's pointer-free arrays (refs, hash slots, key arenas, tries,
 * prefixes) and the interned source and classification strings.
 *
 * The file is untrusted input: every check in img_parse runs before any of
 * it is used, and covers what a look-up would follow (slot values, key
 * offsets, trie children, prefix chains, the end of every run of refs), so
 * that a damaged or hostile image is refused rather than read out of bounds.
 * Writes go to PATH.tmp, are fsynced and renamed over PATH: a reader sees
 * the old image or the new one, and a torn one fails its size or checksum. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/model.h"
#include "idx_int.h"

#define IMG_MAGIC "C5IDXIMG"
#define IMG_VERSION 1
#define IMG_ENDIAN 0x0102030405060708ull
#define IMG_ALIGN 64

enum { S_REFS, S_V4, S_NAMES, S_BLOBS, S_ANC, S_ANCA, S_T4R, S_T4N, S_T6R, S_T6N, S_PFX, S_ARENA,
       S_STRS, S_CLS, S_N };
static const char *const sec_name[S_N] = {"refs", "ipv4 table", "name table", "value table",
	"ancestor table", "ancestor keys", "ipv4 trie root", "ipv4 trie nodes", "ipv6 trie root",
	"ipv6 trie nodes", "prefixes", "keys", "sources", "classifications"};

typedef struct {
	uint64_t off, len, sum;
} img_sec_t;

typedef struct {
	char magic[8];
	uint64_t version;
	uint64_t layout; /* sizes of the record types, see layout() */
	uint64_t endian;
	char store_id[64]; /* NUL-terminated */
	int64_t seq;
	uint64_t trust;
	uint64_t file_size;
	uint64_t nrefs, npfx, nv4, nv6, nprefix, nnames, nothers, nstr, ncls, arena_len;
	uint64_t tab[4][3]; /* v4, names, blobs, anc: mask, shift, n */
	uint64_t nodes[2];  /* trie nodes: v4, v6 */
	img_sec_t sec[S_N];
	uint64_t head_sum; /* of every byte before it */
} img_head_t;

static uint64_t layout(void)
{
	return (uint64_t)sizeof(idx_ref_t) | (uint64_t)sizeof(idx_slot_t) << 8 |
	       (uint64_t)sizeof(idx_pfx_t) << 16 | (uint64_t)sizeof(img_head_t) << 24;
}

/* A fast checksum (four independent multiply-xor lanes): catches torn
 * writes and flipped bits; it is no defence against a forger, whom the
 * structural checks keep inside the file. */
static uint64_t img_sum(const void *buf, size_t n)
{
	const uint8_t *p = buf;
	uint64_t h[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull,
			 0x27D4EB2F165667C5ull ^ n};
	uint64_t w[4];
	while (n >= 32) {
		memcpy(w, p, 32);
		for (int i = 0; i < 4; i++) {
			h[i] = (h[i] ^ w[i]) * 0xbf58476d1ce4e5b9ull;
			h[i] ^= h[i] >> 29;
		}
		p += 32;
		n -= 32;
	}
	uint8_t tail[32] = {0};
	memcpy(tail, p, n);
	memcpy(w, tail, 32);
	uint64_t r = n;
	for (int i = 0; i < 4; i++) {
		r = (r ^ h[i] ^ w[i]) * 0x94d049bb133111ebull;
		r ^= r >> 31;
	}
	return r;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- reading ---- */

typedef struct {
	const char *strs, *cls; /* NUL-separated, nstr-1 and ncls-1 of them */
	uint32_t nstr, ncls;
} img_strs_t;

static int tab_check(idx_tab_t *t, const uint64_t *f, const uint8_t *buf, const img_sec_t *s,
		     int which, char *err, size_t errlen)
{
	memset(t, 0, sizeof *t);
	if (s->len == 0) {
		if (f[0] || f[1] || f[2])
			return fail(err, errlen, "inconsistent: empty %s with keys", sec_name[which]);
		return 0;
	}
	uint64_t cap = s->len / sizeof(idx_slot_t), bits = 0;
	while (bits < 32 && (1ull << bits) < cap)
		bits++;
	if (s->len % sizeof(idx_slot_t) || cap < 16 || cap > (1ull << 31) || (1ull << bits) != cap ||
	    f[0] != cap - 1 || f[1] != 64 - bits || f[2] >= cap)
		return fail(err, errlen, "inconsistent: %s of %llu bytes", sec_name[which],
			    (unsigned long long)s->len);
	t->slots = (idx_slot_t *)(buf + s->off);
	t->mask = (uint32_t)f[0];
	t->shift = (uint32_t)f[1];
	t->n = (uint32_t)f[2];
	return 0;
}

/* Slots in use: as many as the header says, values in range (kind 2: the
 * ancestor table, whose values are key offsets).  The key offsets of the
 * refs a slot leads to are checked where they are read (str_find and
 * idx_part_has_below check them against the arena's length): checking them
 * here would cost a cache miss per key at every start. */
static int slots_check(const idx_part_t *p, const idx_tab_t *t, int kind, int which, char *err,
		       size_t errlen)
{
	uint32_t used = 0, top = 0;
	for (uint32_t i = 0; t->slots && i <= t->mask; i++) { /* branch-free: vectorised */
		uint32_t v = t->slots[i].val;
		used += v != 0;
		top = v > top ? v : top;
	}
	if (kind != 2 && top > p->nrefs)
		return fail(err, errlen, "inconsistent: %s leads past the refs", sec_name[which]);
	if (used != t->n)
		return fail(err, errlen, "inconsistent: %s holds %u keys, header says %u",
			    sec_name[which], used, t->n);
	return 0;
}

/* Trie entries lead to existing nodes (each to a later one, so no cycle)
 * and prefixes, never deeper than the address allows. */
static int trie_check(const idx_part_t *p, const idx_trie_t *t, unsigned maxdepth, int which,
		      char *err, size_t errlen)
{
	if (!t->root)
		return t->nnodes ? fail(err, errlen, "inconsistent: trie nodes without a root") : 0;
	uint8_t *depth = calloc((size_t)t->nnodes + 1, 1);
	int rc = -1;
	if (!depth)
		return fail(err, errlen, "out of memory");
	for (int64_t node = -1; node < (int64_t)t->nnodes; node++) {
		const uint32_t *tab = node < 0 ? t->root : t->nodes + 16 * node;
		unsigned n = node < 0 ? 65536 : 16, d = node < 0 ? 0 : depth[node];
		for (unsigned i = 0; i < n; i++) {
			uint32_t e = tab[i];
			if (e & IDX_CHILD) {
				uint32_t c = e & ~IDX_CHILD;
				if (c >= t->nnodes || (int64_t)c <= node || d + 1 > maxdepth) {
					fail(err, errlen, "inconsistent: %s entry", sec_name[which]);
					goto out;
				}
				if (depth[c] < d + 1)
					depth[c] = (uint8_t)(d + 1);
			} else if (e > p->npfx) {
				fail(err, errlen, "inconsistent: %s prefix", sec_name[which]);
				goto out;
			}
		}
	}
	rc = 0;
out:
	free(depth);
	return rc;
}

static int strs_check(const uint8_t *buf, const img_sec_t *s, uint64_t want, int which,
		      const char **out, char *err, size_t errlen)
{
	static const char none[1];
	const char *c = s->len ? (const char *)buf + s->off : none;
	uint64_t n = 0, start = 0;
	for (uint64_t i = 0; i < s->len; i++)
		if (c[i] == '\0') {
			if (i == start)
				return fail(err, errlen, "inconsistent: an empty string in %s", sec_name[which]);
			n++;
			start = i + 1;
		}
	if (start != s->len || n != want)
		return fail(err, errlen, "inconsistent: %s", sec_name[which]);
	*out = c;
	return 0;
}

/* Section checksums on two threads (a start waits for them): the sections
 * handed out largest first to whichever thread has less to do. */
typedef struct {
	const uint8_t *buf;
	const img_head_t *h;
	uint32_t mine; /* bit i: section i */
	int bad;
} sum_job_t;

static void *sum_run(void *arg)
{
	sum_job_t *j = arg;
	static const uint8_t none[1];
	for (int i = 0; i < S_N; i++)
		if ((j->mine >> i & 1) &&
		    img_sum(j->h->sec[i].len ? j->buf + j->h->sec[i].off : none, j->h->sec[i].len) !=
			    j->h->sec[i].sum) {
			j->bad = i;
			break;
		}
	return NULL;
}

/* The first section whose checksum is wrong, or -1 (sections in bounds). */
static int sums_check(const uint8_t *buf, const img_head_t *h)
{
	sum_job_t job[2] = {{buf, h, 0, -1}, {buf, h, 0, -1}};
	uint64_t load[2] = {0, 0};
	uint32_t done = 0;
	for (int k = 0; k < S_N; k++) {
		int big = -1;
		for (int i = 0; i < S_N; i++)
			if (!(done >> i & 1) && (big < 0 || h->sec[i].len > h->sec[big].len))
				big = i;
		done |= 1u << big;
		int t = load[1] < load[0];
		job[t].mine |= 1u << big;
		load[t] += h->sec[big].len;
	}
	pthread_t th;
	int threaded = load[1] > (1u << 20) && pthread_create(&th, NULL, sum_run, &job[1]) == 0;
	sum_run(&job[0]);
	if (threaded)
		pthread_join(th, NULL);
	else
		sum_run(&job[1]);
	return job[0].bad >= 0 ? job[0].bad : job[1].bad;
}

/* Check the image in buf (len bytes) against want and fill p (pointing into
 * buf) and strs.  Every check is here. */
static int img_parse(const uint8_t *buf, size_t len, const idx_image_want_t *want, idx_part_t *p,
		     img_strs_t *strs, int64_t *seq, char *err, size_t errlen)
{
	img_head_t h;
	memset(p, 0, sizeof *p);
	if (len < sizeof h)
		return fail(err, errlen, "truncated (%zu bytes)", len);
	memcpy(&h, buf, sizeof h);
	if (memcmp(h.magic, IMG_MAGIC, 8))
		return fail(err, errlen, "not an index image");
	if (h.version != IMG_VERSION)
		return fail(err, errlen, "format version %llu (this build reads %d)",
			    (unsigned long long)h.version, IMG_VERSION);
	if (h.endian != IMG_ENDIAN || h.layout != layout())
		return fail(err, errlen, "written by a build of another layout");
	if (h.head_sum != img_sum(buf, offsetof(img_head_t, head_sum)))
		return fail(err, errlen, "header checksum mismatch");
	if (h.file_size != len)
		return fail(err, errlen, "truncated or extended (%zu bytes, written as %llu)", len,
			    (unsigned long long)h.file_size);
	if (!memchr(h.store_id, 0, sizeof h.store_id) || !want->store_id ||
	    strcmp(h.store_id, want->store_id))
		return fail(err, errlen, "made from another store");
	if (h.trust != want->trust)
		return fail(err, errlen, "trust settings changed since it was written");
	if (h.seq > want->seq_max)
		return fail(err, errlen, "store sequence %lld is newer than the store's (%lld)",
			    (long long)h.seq, (long long)want->seq_max);
	if (h.seq < want->seq_min || h.seq <= 0)
		return fail(err, errlen, "store sequence %lld is older than the change log keeps (from %lld)",
			    (long long)h.seq, (long long)want->seq_min);
	/* the sections in order, each at the next aligned offset, zeros between
	 * them, the last ending the file: every byte is checked */
	uint64_t end = sizeof h;
	for (int i = 0; i < S_N; i++) {
		const img_sec_t *s = &h.sec[i];
		uint64_t at = (end + IMG_ALIGN - 1) / IMG_ALIGN * IMG_ALIGN;
		if (s->off != at || at > len || s->len > len - at)
			return fail(err, errlen, "section %s out of bounds", sec_name[i]);
		for (uint64_t k = end; k < at; k++)
			if (buf[k])
				return fail(err, errlen, "damaged padding before section %s", sec_name[i]);
		end = at + s->len;
	}
	if (end != len)
		return fail(err, errlen, "trailing bytes after the last section");
	uint64_t want_len[S_N] = {
		[S_REFS] = h.nrefs * sizeof(idx_ref_t), [S_PFX] = h.npfx * sizeof(idx_pfx_t),
		[S_T4N] = h.nodes[0] * 64, [S_T6N] = h.nodes[1] * 64, [S_ARENA] = h.arena_len,
	};
	if (h.nrefs > UINT32_MAX || h.npfx > UINT32_MAX || h.nodes[0] >= IDX_CHILD / 16 ||
	    h.nodes[1] >= IDX_CHILD / 16 || h.arena_len > UINT32_MAX || h.nstr < 1 || h.nstr > 65535 ||
	    h.ncls < 1 || h.ncls > 256)
		return fail(err, errlen, "inconsistent counts");
	for (int i = 0; i < S_N; i++)
		if ((i == S_REFS || i == S_PFX || i == S_T4N || i == S_T6N || i == S_ARENA) &&
		    h.sec[i].len != want_len[i])
			return fail(err, errlen, "section %s of %llu bytes, expected %llu", sec_name[i],
				    (unsigned long long)h.sec[i].len, (unsigned long long)want_len[i]);
	if ((h.sec[S_T4R].len && h.sec[S_T4R].len != 65536 * 4) ||
	    (h.sec[S_T6R].len && h.sec[S_T6R].len != 65536 * 4) || h.sec[S_ANCA].len > UINT32_MAX)
		return fail(err, errlen, "inconsistent trie roots");
	static const uint8_t none[1];
#define AT(i) (h.sec[i].len ? buf + h.sec[i].off : none)
	int bad = sums_check(buf, &h);
	if (bad >= 0)
		return fail(err, errlen, "checksum mismatch in section %s", sec_name[bad]);

	/* the part, pointing into buf; then what a look-up would follow */
	p->refs = (idx_ref_t *)AT(S_REFS);
	p->nrefs = (uint32_t)h.nrefs;
	p->arena = (uint8_t *)AT(S_ARENA);
	p->arena_len = h.arena_len;
	p->anc_arena = (uint8_t *)AT(S_ANCA);
	p->anc_arena_len = h.sec[S_ANCA].len;
	p->pfx = (idx_pfx_t *)AT(S_PFX);
	p->npfx = (uint32_t)h.npfx;
	p->nv4 = h.nv4;
	p->nv6 = h.nv6;
	p->nprefix = h.nprefix;
	p->nnames = h.nnames;
	p->nothers = h.nothers;
	idx_tab_t *tabs[4] = {&p->v4, &p->names, &p->blobs, &p->anc};
	const int tsec[4] = {S_V4, S_NAMES, S_BLOBS, S_ANC};
	for (int i = 0; i < 4; i++)
		if (tab_check(tabs[i], h.tab[i], buf, &h.sec[tsec[i]], tsec[i], err, errlen))
			return -1;
	if (h.nrefs && !p->refs[h.nrefs - 1].last)
		return fail(err, errlen, "inconsistent: the last ref ends no run");
	for (uint32_t i = 0; i < p->nrefs; i++)
		if (p->refs[i].tlp > TLP_RED || p->refs[i].type >= OBS_NTYPES)
			return fail(err, errlen, "inconsistent: ref %u", i);
	if (h.nv4 + h.nv6 + h.nprefix + h.nnames + h.nothers != h.nrefs)
		return fail(err, errlen, "inconsistent: refs by kind");
	if (slots_check(p, &p->v4, 0, S_V4, err, errlen) ||
	    slots_check(p, &p->names, 1, S_NAMES, err, errlen) ||
	    slots_check(p, &p->blobs, 1, S_BLOBS, err, errlen) ||
	    slots_check(p, &p->anc, 2, S_ANC, err, errlen))
		return -1;
	for (uint32_t i = 0; i < p->npfx; i++) {
		const idx_pfx_t *x = &p->pfx[i];
		if (x->first >= p->nrefs || x->parent > p->npfx || x->plen > 128 ||
		    (x->parent && p->pfx[x->parent - 1].plen >= x->plen))
			return fail(err, errlen, "inconsistent: prefix %u", i);
	}
	p->t4.root = h.sec[S_T4R].len ? (uint32_t *)(buf + h.sec[S_T4R].off) : NULL;
	p->t4.nodes = (uint32_t *)AT(S_T4N);
	p->t4.nnodes = p->t4.cap = (uint32_t)h.nodes[0];
	p->t6.root = h.sec[S_T6R].len ? (uint32_t *)(buf + h.sec[S_T6R].off) : NULL;
	p->t6.nodes = (uint32_t *)AT(S_T6N);
	p->t6.nnodes = p->t6.cap = (uint32_t)h.nodes[1];
	if (trie_check(p, &p->t4, 4, S_T4R, err, errlen) || trie_check(p, &p->t6, 28, S_T6R, err, errlen))
		return -1;
	strs->nstr = (uint32_t)h.nstr;
	strs->ncls = (uint32_t)h.ncls;
	if (strs_check(buf, &h.sec[S_STRS], h.nstr - 1, S_STRS, &strs->strs, err, errlen) ||
	    strs_check(buf, &h.sec[S_CLS], h.ncls - 1, S_CLS, &strs->cls, err, errlen))
		return -1;
	p->bytes = len;
	*seq = h.seq;
	return 0;
#undef AT
}

void idx_image_reseal(void *buf, size_t len)
{
	img_head_t h;
	uint8_t *b = buf;
	if (len < sizeof h)
		return;
	memcpy(&h, b, sizeof h);
	for (int i = 0; i < S_N; i++)
		if (h.sec[i].off <= len && h.sec[i].len <= len - h.sec[i].off)
			h.sec[i].sum = img_sum(b + h.sec[i].off, h.sec[i].len);
	h.head_sum = img_sum(&h, offsetof(img_head_t, head_sum));
	memcpy(b, &h, sizeof h);
}

int idx_image_check(const void *buf, size_t len, const idx_image_want_t *want, int64_t *seq,
		    char *err, size_t errlen)
{
	idx_part_t p;
	img_strs_t s;
	return img_parse(buf, len, want, &p, &s, seq, err, errlen);
}

int idx_image_load(idx_t *ix, const char *path, const idx_image_want_t *want, int64_t *seq,
		   char *err, size_t errlen)
{
	struct stat sb;
	img_strs_t strs;
	idx_part_t *p = NULL;
	void *map = MAP_FAILED;
	uint32_t nstr, ncls;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return fail(err, errlen, "%s", strerror(errno));
	}
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		fail(err, errlen, "not a regular file");
		goto fail;
	}
	if ((size_t)sb.st_size < sizeof(img_head_t)) {
		fail(err, errlen, "truncated (%lld bytes)", (long long)sb.st_size);
		goto fail;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED) {
		fail(err, errlen, "cannot map: %s", strerror(errno));
		goto fail;
	}
	if (!(p = calloc(1, sizeof *p))) {
		fail(err, errlen, "out of memory");
		goto fail;
	}
	if (img_parse(map, (size_t)sb.st_size, want, p, &strs, seq, err, errlen))
		goto fail;
	/* the strings, interned in order into a fresh index: the same ids */
	idx_str_counts(ix, &nstr, &ncls);
	if (nstr != 1 || ncls != 1) {
		fail(err, errlen, "the index already holds strings");
		goto fail;
	}
	const char *c = strs.strs;
	for (uint32_t i = 1; i < strs.nstr; c += strlen(c) + 1, i++)
		if (idx_intern_str(ix, c) != i) {
			fail(err, errlen, "inconsistent: source %u", i);
			goto fail;
		}
	c = strs.cls;
	for (uint32_t i = 1; i < strs.ncls; c += strlen(c) + 1, i++)
		if (idx_intern_cls(ix, c) != i) {
			fail(err, errlen, "inconsistent: classification %u", i);
			goto fail;
		}
	p->map = map;
	p->map_len = (size_t)sb.st_size;
	close(fd);
	if (idx_reset_part(ix, p)) /* takes p, also on failure */
		return fail(err, errlen, "out of memory");
	return 0;
fail:
	if (map != MAP_FAILED)
		munmap(map, (size_t)sb.st_size);
	free(p);
	close(fd);
	return -1;
}

/* ---- writing ---- */

static int put(int fd, uint64_t *off, const void *buf, size_t n)
{
	const uint8_t *c = buf;
	while (n > 0) {
		ssize_t w = pwrite(fd, c, n > (1u << 30) ? 1u << 30 : n, (off_t)*off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
		*off += (uint64_t)w;
	}
	return 0;
}

/* The strings with ids 1..n-1 of one kind, NUL-separated. */
static char *join(idx_t *ix, uint32_t n, int cls, size_t *len)
{
	size_t total = 0;
	for (uint32_t i = 1; i < n; i++)
		total += strlen(cls ? idx_cls(ix, (uint8_t)i) : idx_str(ix, (uint16_t)i)) + 1;
	char *out = malloc(total + 1), *c = out;
	if (!out)
		return NULL;
	for (uint32_t i = 1; i < n; i++) {
		const char *s = cls ? idx_cls(ix, (uint8_t)i) : idx_str(ix, (uint16_t)i);
		size_t l = strlen(s) + 1;
		memcpy(c, s, l);
		c += l;
	}
	*len = total;
	return out;
}

int idx_image_write(idx_t *ix, const idx_snap_t *snap, const char *path, const char *store_id,
		    uint64_t trust, int64_t seq, char *err, size_t errlen)
{
	const idx_part_t *p = idx_snap_base(snap);
	img_head_t h;
	char tmp[4096];
	size_t slen = 0, clen = 0;
	uint32_t nstr, ncls;
	int fd = -1, rc = -1;
	char *strs = NULL, *cls = NULL;

	if (strlen(store_id) >= sizeof h.store_id || seq <= 0)
		return fail(err, errlen, "bad store identity or sequence");
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return fail(err, errlen, "path too long");
	idx_str_counts(ix, &nstr, &ncls);
	if (!(strs = join(ix, nstr, 0, &slen)) || !(cls = join(ix, ncls, 1, &clen))) {
		fail(err, errlen, "out of memory");
		goto out;
	}
	memset(&h, 0, sizeof h);
	memcpy(h.magic, IMG_MAGIC, 8);
	h.version = IMG_VERSION;
	h.layout = layout();
	h.endian = IMG_ENDIAN;
	snprintf(h.store_id, sizeof h.store_id, "%s", store_id);
	h.seq = seq;
	h.trust = trust;
	h.nrefs = p->nrefs;
	h.npfx = p->npfx;
	h.nv4 = p->nv4;
	h.nv6 = p->nv6;
	h.nprefix = p->nprefix;
	h.nnames = p->nnames;
	h.nothers = p->nothers;
	h.nstr = nstr;
	h.ncls = ncls;
	h.arena_len = p->arena_len;
	const idx_tab_t *tabs[4] = {&p->v4, &p->names, &p->blobs, &p->anc};
	for (int i = 0; i < 4; i++) {
		h.tab[i][0] = tabs[i]->slots ? tabs[i]->mask : 0;
		h.tab[i][1] = tabs[i]->slots ? tabs[i]->shift : 0;
		h.tab[i][2] = tabs[i]->slots ? tabs[i]->n : 0;
	}
	h.nodes[0] = p->t4.nnodes;
	h.nodes[1] = p->t6.nnodes;
	const void *data[S_N] = {p->refs, p->v4.slots, p->names.slots, p->blobs.slots, p->anc.slots,
				 p->anc_arena, p->t4.root, p->t4.nodes, p->t6.root, p->t6.nodes, p->pfx,
				 p->arena, strs, cls};
	const size_t n[S_N] = {
		(size_t)p->nrefs * sizeof(idx_ref_t),
		p->v4.slots ? ((size_t)p->v4.mask + 1) * sizeof(idx_slot_t) : 0,
		p->names.slots ? ((size_t)p->names.mask + 1) * sizeof(idx_slot_t) : 0,
		p->blobs.slots ? ((size_t)p->blobs.mask + 1) * sizeof(idx_slot_t) : 0,
		p->anc.slots ? ((size_t)p->anc.mask + 1) * sizeof(idx_slot_t) : 0,
		p->anc_arena_len,
		p->t4.root ? 65536 * 4 : 0, (size_t)p->t4.nnodes * 64,
		p->t6.root ? 65536 * 4 : 0, (size_t)p->t6.nnodes * 64,
		(size_t)p->npfx * sizeof(idx_pfx_t), p->arena_len, slen, clen};
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		fail(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	static const uint8_t zero[IMG_ALIGN];
	uint64_t off = sizeof h;
	for (int i = 0; i < S_N; i++) {
		uint64_t pad = (IMG_ALIGN - off % IMG_ALIGN) % IMG_ALIGN;
		if (put(fd, &off, zero, pad))
			goto io;
		h.sec[i].off = off;
		h.sec[i].len = n[i];
		h.sec[i].sum = img_sum(n[i] ? data[i] : zero, n[i]);
		if (n[i] && put(fd, &off, data[i], n[i]))
			goto io;
	}
	h.file_size = off;
	h.head_sum = img_sum(&h, offsetof(img_head_t, head_sum));
	off = 0;
	if (put(fd, &off, &h, sizeof h) || fsync(fd))
		goto io;
	if (close(fd)) {
		fd = -1;
		goto io;
	}
	fd = -1;
	if (rename(tmp, path))
		goto io;
	/* the rename itself durable: fsync the directory */
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
	goto out;
io:
	fail(err, errlen, "%s: %s", tmp, strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	free(strs);
	free(cls);
	return rc;
}
