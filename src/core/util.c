/* util.c — reading a small text file whole (configuration, lists) and the
 * growing text buffer. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *util_read_text(const char *path, size_t max, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		size_t k = fread(buf + len, 1, 4096, f);
		len += k;
		if (len > max) {
			snprintf(err, errlen, "%s: larger than %zu KiB", path, max / 1024);
			goto fail;
		}
		if (k < 4096)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		snprintf(err, errlen, "%s: not a text file", path);
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static int buf_room(util_buf_t *b, size_t n)
{
	if (b->oom)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 8192;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d) {
		b->oom = 1;
		return -1;
	}
	b->data = d;
	b->cap = cap;
	return 0;
}

void util_buf_add(util_buf_t *b, const char *s, size_t n)
{
	if (buf_room(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void util_buf_printf(util_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_room(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* ---- names ---- */

int util_name_close(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[65], diag, best, most = la < 5 ? 1 : 2;
	if (la > 64 || lb > 64 || (int)(la > lb ? la - lb : lb - la) > most)
		return 0;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = (int)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			int up = row[j], same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
			int v = diag + !same;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			best = v < best ? v : best;
		}
		if (best > most)
			return 0;
	}
	return row[lb] <= most;
}

/* ---- progress on a terminal ---- */

static struct {
	int enabled, active, shown;
	char label[96];
	int64_t total;
	FILE *in;
	long records, calls;
	double t0, last;
} prog;

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void util_progress_enable(void)
{
	const char *term = getenv("TERM");
	prog.enabled = isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
}

void util_progress_begin(const char *label, int64_t total, FILE *in)
{
	if (!prog.enabled)
		return;
	struct stat sb;
	if (!total && in && fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
		total = sb.st_size;
	snprintf(prog.label, sizeof prog.label, "%s", label);
	prog.total = total;
	prog.in = in;
	prog.records = prog.calls = 0;
	prog.t0 = prog.last = mono();
	prog.active = 1;
	prog.shown = 0;
}

/* 12345678 -> "12,345,678" */
static const char *grouped(long v, char *buf, size_t size)
{
	char raw[32];
	int n = snprintf(raw, sizeof raw, "%ld", v), w = 0;
	for (int k = 0; k < n && (size_t)w + 2 < size; k++) {
		if (k && raw[0] != '-' && (n - k) % 3 == 0)
			buf[w++] = ',';
		buf[w++] = raw[k];
	}
	buf[w] = '\0';
	return buf;
}

void util_progress_add(long n, int64_t done)
{
	if (!prog.active)
		return;
	prog.records += n;
	if ((++prog.calls & 255) != 0)
		return;
	double now = mono();
	if (now - prog.last < 0.25)
		return;
	prog.last = now;
	if (done < 0 && prog.in)
		done = ftello(prog.in);
	double el = now - prog.t0;
	char a[32], b[32], left[64] = "";
	if (prog.total > 0 && done > 0 && done <= prog.total && el > 0.5) {
		double rest = (double)(prog.total - done) / ((double)done / el);
		snprintf(left, sizeof left, ", %d%%, %.0f s left", (int)(100.0 * (double)done / (double)prog.total),
			 rest);
	}
	fprintf(stderr, "\r\033[K%s: %s records, %s/s%s", prog.label, grouped(prog.records, a, sizeof a),
		grouped(el > 0 ? (long)((double)prog.records / el) : 0, b, sizeof b), left);
	fflush(stderr);
	prog.shown = 1;
}

void util_progress_note(const char *fmt, ...)
{
	if (!prog.enabled)
		return;
	va_list ap;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	prog.shown = 1;
}

void util_progress_end(void)
{
	if (prog.shown)
		fputs("\r\033[K", stderr);
	prog.active = prog.shown = 0;
	prog.in = NULL;
}

int util_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p++;
		int more;
		unsigned min, cp;
		if (c == 0)
			return 0;
		if (c < 0x80)
			continue;
		if ((c & 0xE0) == 0xC0)
			more = 1, min = 0x80, cp = c & 0x1F;
		else if ((c & 0xF0) == 0xE0)
			more = 2, min = 0x800, cp = c & 0x0F;
		else if ((c & 0xF8) == 0xF0)
			more = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (end - p < more)
			return 0;
		while (more--) {
			if ((*p & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (*p++ & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
	}
	return 1;
}

size_t util_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

int util_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}
