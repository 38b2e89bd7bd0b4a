/* cindex_csv.c — reading the composite index's input files: the indicator
 * matrix, the pillars file and the weights file (formats in cindex.h).
 * Untrusted input: every error names file:line:field, and nothing is
 * returned from a file with any error. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cindex.h"
#include "core/util.h"

#define MAX_FILE (256u << 20)  /* bytes per file */
#define MAX_FIELD 4096         /* bytes per field */
#define MAX_NAME 256           /* bytes per name */
#define MAX_COLS 100000
#define MAX_ROWS 1000000

struct cindex_data {
	cindex_input_t in;
	size_t n_ent, n_ind, n_pil;
	char **ent, **ind, **pil, **grp;
	size_t n_grp;
	double *x;
	size_t *ind_pillar, *ent_group;
	int *dir;
	cindex_transform_t *tr;
	double *lo, *hi, *target;
	/* weights */
	double *ind_w, *pil_w, *b_ind, *b_pil;
	size_t n_experts;
};

/* ---- one CSV record at a time ---- */

typedef struct {
	const char *name;
	const char *s;
	size_t len, pos;
	int line;       /* the line the next record starts on */
	char **f;       /* fields of the current record (owned) */
	size_t n, cap;
	int rec_line;   /* the line of the current record */
} csv_t;

static void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void csv_clear(csv_t *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->f[i]);
	c->n = 0;
}

static void csv_free(csv_t *c)
{
	csv_clear(c);
	free(c->f);
	c->f = NULL;
	c->cap = 0;
}

/* Read the next non-blank, non-comment record: 1, 0 at the end, -1 on
 * error (err set). */
static int csv_next(csv_t *c, char *err, size_t errlen)
{
	for (;;) {
		csv_clear(c);
		if (c->pos >= c->len)
			return 0;
		c->rec_line = c->line;
		/* a blank line or a '#' comment is skipped */
		if (c->s[c->pos] == '\n' || c->s[c->pos] == '#' ||
		    (c->s[c->pos] == '\r' && c->pos + 1 < c->len && c->s[c->pos + 1] == '\n')) {
			while (c->pos < c->len && c->s[c->pos] != '\n')
				c->pos++;
			c->pos++;
			c->line++;
			continue;
		}
		char buf[MAX_FIELD + 1];
		for (;;) { /* one field */
			size_t k = 0;
			int quoted = 0, end_rec = 0;
			if (c->pos < c->len && c->s[c->pos] == '"') {
				quoted = 1;
				c->pos++;
				for (;;) {
					if (c->pos >= c->len) {
						seterr(err, errlen, "%s:%d:%zu: unterminated quoted field", c->name, c->rec_line,
						       c->n + 1);
						return -1;
					}
					char ch = c->s[c->pos++];
					if (ch == '"') {
						if (c->pos < c->len && c->s[c->pos] == '"')
							c->pos++;
						else
							break;
					} else if (ch == '\n')
						c->line++;
					if (k >= MAX_FIELD) {
						seterr(err, errlen, "%s:%d:%zu: field longer than %d bytes", c->name,
						       c->rec_line, c->n + 1, MAX_FIELD);
						return -1;
					}
					buf[k++] = ch;
				}
			}
			while (c->pos < c->len) {
				char ch = c->s[c->pos];
				if (ch == ',' || ch == '\n')
					break;
				if (ch == '\r' && c->pos + 1 < c->len && c->s[c->pos + 1] == '\n') {
					c->pos++;
					break;
				}
				if (quoted || ch == '"') {
					seterr(err, errlen, "%s:%d:%zu: text after a quoted field, or a quote inside an unquoted one",
					       c->name, c->line, c->n + 1);
					return -1;
				}
				if (k >= MAX_FIELD) {
					seterr(err, errlen, "%s:%d:%zu: field longer than %d bytes", c->name, c->line,
					       c->n + 1, MAX_FIELD);
					return -1;
				}
				buf[k++] = ch;
				c->pos++;
			}
			if (c->pos >= c->len || c->s[c->pos] == '\n') {
				end_rec = 1;
				if (c->pos < c->len)
					c->line++;
			}
			c->pos++; /* past ',' or '\n' */
			if (memchr(buf, 0, k) || !util_utf8_valid(buf, k)) {
				seterr(err, errlen, "%s:%d:%zu: not UTF-8 text", c->name, c->rec_line, c->n + 1);
				return -1;
			}
			/* unquoted fields lose surrounding blanks */
			size_t a = 0;
			if (!quoted) {
				while (a < k && (buf[a] == ' ' || buf[a] == '\t'))
					a++;
				while (k > a && (buf[k - 1] == ' ' || buf[k - 1] == '\t'))
					k--;
			}
			if (c->n >= MAX_COLS) {
				seterr(err, errlen, "%s:%d: more than %d fields", c->name, c->rec_line, MAX_COLS);
				return -1;
			}
			if (util_grow(&c->f, &c->cap, c->n + 1, sizeof *c->f, 16)) {
				seterr(err, errlen, "out of memory");
				return -1;
			}
			char *fs = malloc(k - a + 1);
			if (!fs) {
				seterr(err, errlen, "out of memory");
				return -1;
			}
			memcpy(fs, buf + a, k - a);
			fs[k - a] = 0;
			c->f[c->n++] = fs;
			if (end_rec)
				return 1;
		}
	}
}

/* ---- values ---- */

/* A number: [+-]digits[.digits][(e|E)[+-]digits], or missing (NAN) for "",
 * "NA", "NaN".  0, or -1. */
static int parse_number(const char *s, double *out, int allow_missing)
{
	if (allow_missing && (!*s || !strcasecmp(s, "NA") || !strcasecmp(s, "NaN"))) {
		*out = NAN;
		return 0;
	}
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p)
		return -1;
	double v = strtod(s, NULL);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static long find_name(char **names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (long)i;
	return -1;
}

static void free_names(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cindex_data_free(cindex_data_t *d)
{
	if (!d)
		return;
	free_names(d->ent, d->n_ent);
	free_names(d->ind, d->n_ind);
	free_names(d->pil, d->n_pil);
	free_names(d->grp, d->n_grp);
	free(d->x);
	free(d->ind_pillar);
	free(d->ent_group);
	free(d->dir);
	free(d->tr);
	free(d->lo);
	free(d->hi);
	free(d->target);
	free(d->ind_w);
	free(d->pil_w);
	free(d->b_ind);
	free(d->b_pil);
	free(d);
}

const cindex_input_t *cindex_data_input(const cindex_data_t *d)
{
	return &d->in;
}

/* Take ownership of c's field k (the caller keeps the pointer). */
static char *take(csv_t *c, size_t k)
{
	char *s = c->f[k];
	c->f[k] = NULL;
	return s;
}

/* ---- the matrix ---- */

static int read_matrix(cindex_data_t *d, const char *name, const char *s, size_t len, char *err, size_t errlen)
{
	csv_t c = {.name = name, .s = s, .len = len, .line = 1};
	size_t cap_ent = 0, cap_x = 0, cap_eg = 0, cap_grp = 0;
	int has_group = 0, r, rc = -1;
	if ((r = csv_next(&c, err, errlen)) <= 0) {
		if (r == 0)
			seterr(err, errlen, "%s:1: empty: a header \"entity,INDICATOR,...\" is needed", name);
		goto fail;
	}
	size_t ncol = c.n;
	has_group = ncol >= 2 && strcmp(c.f[1], "group") == 0;
	size_t first = has_group ? 2 : 1;
	if (ncol <= first) {
		seterr(err, errlen, "%s:%d: the header names no indicator", name, c.rec_line);
		goto fail;
	}
	d->n_ind = ncol - first;
	d->ind = calloc(d->n_ind, sizeof *d->ind);
	if (!d->ind)
		goto oom;
	for (size_t k = first; k < ncol; k++) {
		if (!name_ok(c.f[k])) {
			seterr(err, errlen, "%s:%d:%zu: an indicator name must be 1-%d printable bytes", name, c.rec_line,
			       k + 1, MAX_NAME);
			goto fail;
		}
		if (find_name(d->ind, k - first, c.f[k]) >= 0) {
			seterr(err, errlen, "%s:%d:%s: indicator named twice", name, c.rec_line, c.f[k]);
			goto fail;
		}
		d->ind[k - first] = take(&c, k);
	}
	while ((r = csv_next(&c, err, errlen)) > 0) {
		if (c.n != ncol) {
			seterr(err, errlen, "%s:%d: %zu fields, the header has %zu", name, c.rec_line, c.n, ncol);
			goto fail;
		}
		if (!name_ok(c.f[0])) {
			seterr(err, errlen, "%s:%d:%s: an entity name must be 1-%d printable bytes", name, c.rec_line,
			       "entity", MAX_NAME);
			goto fail;
		}
		if (find_name(d->ent, d->n_ent, c.f[0]) >= 0) {
			seterr(err, errlen, "%s:%d:entity: %s is named twice", name, c.rec_line, c.f[0]);
			goto fail;
		}
		if (d->n_ent >= MAX_ROWS || (d->n_ent + 1) * d->n_ind > CINDEX_MAX_CELLS) {
			seterr(err, errlen, "%s:%d: too many rows", name, c.rec_line);
			goto fail;
		}
		if (util_grow(&d->ent, &cap_ent, d->n_ent + 1, sizeof *d->ent, 64) ||
		    util_grow(&d->x, &cap_x, (d->n_ent + 1) * d->n_ind, sizeof *d->x, 64 * d->n_ind))
			goto oom;
		for (size_t k = first; k < ncol; k++)
			if (parse_number(c.f[k], &d->x[d->n_ent * d->n_ind + k - first], 1)) {
				seterr(err, errlen, "%s:%d:%s: \"%.40s\" is not a number (empty or NA for missing)", name,
				       c.rec_line, d->ind[k - first], c.f[k]);
				goto fail;
			}
		if (has_group) {
			if (!name_ok(c.f[1])) {
				seterr(err, errlen, "%s:%d:group: a group name must be 1-%d printable bytes", name,
				       c.rec_line, MAX_NAME);
				goto fail;
			}
			long g = find_name(d->grp, d->n_grp, c.f[1]);
			if (g < 0) {
				if (util_grow(&d->grp, &cap_grp, d->n_grp + 1, sizeof *d->grp, 8))
					goto oom;
				g = (long)d->n_grp;
				d->grp[d->n_grp++] = take(&c, 1);
			}
			if (util_grow(&d->ent_group, &cap_eg, d->n_ent + 1, sizeof *d->ent_group, 64))
				goto oom;
			d->ent_group[d->n_ent] = (size_t)g;
		}
		d->ent[d->n_ent++] = take(&c, 0);
	}
	if (r < 0)
		goto fail;
	if (d->n_ent == 0) {
		seterr(err, errlen, "%s:%d: no entity: one row per entity is needed", name, c.line);
		goto fail;
	}
	rc = 0;
	goto fail;
oom:
	seterr(err, errlen, "out of memory");
fail:
	csv_free(&c);
	return rc;
}

/* ---- the pillars ---- */

enum { PC_IND, PC_PIL, PC_DIR, PC_TR, PC_MIN, PC_MAX, PC_TARGET, PC_N };
static const char *const PCOLS[PC_N] = {"indicator", "pillar", "direction", "transform", "min", "max", "target"};

static int read_pillars(cindex_data_t *d, const char *name, const char *s, size_t len, char *err, size_t errlen)
{
	csv_t c = {.name = name, .s = s, .len = len, .line = 1};
	int col[PC_N], r, rc = -1;
	size_t cap_pil = 0;
	int *line_of = calloc(d->n_ind, sizeof *line_of);
	if (!line_of)
		goto oom;
	for (int k = 0; k < PC_N; k++)
		col[k] = -1;
	if ((r = csv_next(&c, err, errlen)) <= 0) {
		if (r == 0)
			seterr(err, errlen, "%s:1: empty: a header \"indicator,pillar[,direction,transform,min,max,target]\" is needed",
			       name);
		goto fail;
	}
	for (size_t k = 0; k < c.n; k++) {
		int m = -1;
		for (int q = 0; q < PC_N; q++)
			if (strcmp(c.f[k], PCOLS[q]) == 0)
				m = q;
		if (m < 0 || col[m] >= 0) {
			seterr(err, errlen, "%s:%d:%zu: %s column \"%.40s\" (known: indicator, pillar, direction, transform, min, max, target)",
			       name, c.rec_line, k + 1, m < 0 ? "unknown" : "repeated", c.f[k]);
			goto fail;
		}
		col[m] = (int)k;
	}
	if (col[PC_IND] < 0 || col[PC_PIL] < 0) {
		seterr(err, errlen, "%s:%d: the header needs the columns indicator and pillar", name, c.rec_line);
		goto fail;
	}
	size_t ncol = c.n;
	while ((r = csv_next(&c, err, errlen)) > 0) {
		if (c.n != ncol) {
			seterr(err, errlen, "%s:%d: %zu fields, the header has %zu", name, c.rec_line, c.n, ncol);
			goto fail;
		}
		const char *in = c.f[col[PC_IND]];
		long j = find_name(d->ind, d->n_ind, in);
		if (j < 0) {
			seterr(err, errlen, "%s:%d:indicator: \"%.60s\" is not a column of the matrix", name, c.rec_line, in);
			goto fail;
		}
		if (line_of[j]) {
			seterr(err, errlen, "%s:%d:indicator: %s already on line %d", name, c.rec_line, in, line_of[j]);
			goto fail;
		}
		line_of[j] = c.rec_line;
		const char *pn = c.f[col[PC_PIL]];
		if (!name_ok(pn)) {
			seterr(err, errlen, "%s:%d:pillar: a pillar name must be 1-%d printable bytes", name, c.rec_line,
			       MAX_NAME);
			goto fail;
		}
		long p = find_name(d->pil, d->n_pil, pn);
		if (p < 0) {
			if (util_grow(&d->pil, &cap_pil, d->n_pil + 1, sizeof *d->pil, 8))
				goto oom;
			p = (long)d->n_pil;
			d->pil[d->n_pil++] = take(&c, (size_t)col[PC_PIL]);
		}
		d->ind_pillar[j] = (size_t)p;
		if (col[PC_DIR] >= 0) {
			const char *v = c.f[col[PC_DIR]];
			if (!*v || !strcmp(v, "+1") || !strcmp(v, "1") || !strcmp(v, "higher"))
				d->dir[j] = 1;
			else if (!strcmp(v, "-1") || !strcmp(v, "lower"))
				d->dir[j] = -1;
			else {
				seterr(err, errlen, "%s:%d:direction: \"%.40s\" (+1 / higher or -1 / lower)", name, c.rec_line, v);
				goto fail;
			}
		}
		if (col[PC_TR] >= 0) {
			const char *v = c.f[col[PC_TR]];
			if (*v && cindex_transform_parse(v, &d->tr[j])) {
				seterr(err, errlen, "%s:%d:transform: \"%.40s\" (none, log10 or ln)", name, c.rec_line, v);
				goto fail;
			}
		}
		struct { int k; double *dst; } nums[3] = {{PC_MIN, d->lo}, {PC_MAX, d->hi}, {PC_TARGET, d->target}};
		for (int q = 0; q < 3; q++) {
			if (col[nums[q].k] < 0)
				continue;
			const char *v = c.f[col[nums[q].k]];
			if (parse_number(v, &nums[q].dst[j], 1)) {
				seterr(err, errlen, "%s:%d:%s: \"%.40s\" is not a number", name, c.rec_line, PCOLS[nums[q].k], v);
				goto fail;
			}
		}
		if (!isnan(d->lo[j]) && !isnan(d->hi[j]) && !(d->hi[j] > d->lo[j])) {
			seterr(err, errlen, "%s:%d:max: the max goalpost must be above the min", name, c.rec_line);
			goto fail;
		}
		if (!isnan(d->target[j]) && d->target[j] == 0) {
			seterr(err, errlen, "%s:%d:target: a target must not be 0", name, c.rec_line);
			goto fail;
		}
	}
	if (r < 0)
		goto fail;
	for (size_t j = 0; j < d->n_ind; j++)
		if (!line_of[j]) {
			seterr(err, errlen, "%s:%d:indicator: %s (a column of the matrix) has no row", name, c.line, d->ind[j]);
			goto fail;
		}
	rc = 0;
	goto fail;
oom:
	seterr(err, errlen, "out of memory");
fail:
	free(line_of);
	csv_free(&c);
	return rc;
}

int cindex_data_parse(const char *name, const char *matrix, size_t matrix_len, const char *pillars_name,
                      const char *pillars, size_t pillars_len, cindex_data_t **out, char *err, size_t errlen)
{
	*out = NULL;
	cindex_data_t *d = calloc(1, sizeof *d);
	if (!d) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	if (read_matrix(d, name, matrix, matrix_len, err, errlen))
		goto fail;
	size_t ni = d->n_ind;
	d->ind_pillar = calloc(ni, sizeof *d->ind_pillar);
	d->dir = malloc(ni * sizeof *d->dir);
	d->tr = calloc(ni, sizeof *d->tr);
	d->lo = malloc(ni * sizeof *d->lo);
	d->hi = malloc(ni * sizeof *d->hi);
	d->target = malloc(ni * sizeof *d->target);
	if (!d->ind_pillar || !d->dir || !d->tr || !d->lo || !d->hi || !d->target) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	for (size_t j = 0; j < ni; j++) {
		d->dir[j] = 1;
		d->lo[j] = d->hi[j] = d->target[j] = NAN;
	}
	if (pillars) {
		if (read_pillars(d, pillars_name ? pillars_name : "pillars", pillars, pillars_len, err, errlen))
			goto fail;
	} else {
		/* each indicator its own pillar, of its name */
		d->pil = calloc(ni, sizeof *d->pil);
		if (!d->pil) {
			seterr(err, errlen, "out of memory");
			goto fail;
		}
		for (size_t j = 0; j < ni; j++) {
			d->pil[j] = strdup(d->ind[j]);
			if (!d->pil[j]) {
				seterr(err, errlen, "out of memory");
				goto fail;
			}
			d->n_pil++;
			d->ind_pillar[j] = j;
		}
	}
	d->in = (cindex_input_t){
		.n_ent = d->n_ent,
		.n_ind = ni,
		.n_pillar = d->n_pil,
		.x = d->x,
		.ent_names = (const char *const *)d->ent,
		.ind_names = (const char *const *)d->ind,
		.pillar_names = (const char *const *)d->pil,
		.ind_pillar = d->ind_pillar,
		.ind_dir = d->dir,
		.ind_tr = d->tr,
		.gp_lo = d->lo,
		.gp_hi = d->hi,
		.target = d->target,
		.ent_group = d->ent_group,
	};
	*out = d;
	return 0;
fail:
	cindex_data_free(d);
	return -1;
}

/* Read a whole file (at most MAX_FILE bytes). */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		seterr(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (util_grow(&buf, &cap, n + 65536, 1, 65536)) {
			seterr(err, errlen, "%s: out of memory", path);
			goto fail;
		}
		size_t r = fread(buf + n, 1, 65536, f);
		n += r;
		if (n > MAX_FILE) {
			seterr(err, errlen, "%s: larger than %u bytes", path, MAX_FILE);
			goto fail;
		}
		if (r < 65536)
			break;
	}
	if (ferror(f)) {
		seterr(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

int cindex_data_read(const char *matrix_path, const char *pillars_path, cindex_data_t **out, char *err,
                     size_t errlen)
{
	size_t ml = 0, pl = 0;
	char *m = slurp(matrix_path, &ml, err, errlen), *p = NULL;
	int rc = -1;
	*out = NULL;
	if (!m)
		return -1;
	if (pillars_path && !(p = slurp(pillars_path, &pl, err, errlen)))
		goto fail;
	rc = cindex_data_parse(matrix_path, m, ml, pillars_path, p, pl, out, err, errlen);
fail:
	free(m);
	free(p);
	return rc;
}

/* ---- weights ---- */

/* A weight's name: a pillar (first) or an indicator.  1 pillar, 2
 * indicator, 0 unknown; *k its index. */
static int weight_target(const cindex_data_t *d, const char *s, size_t *k)
{
	long i = find_name(d->pil, d->n_pil, s);
	if (i >= 0) {
		*k = (size_t)i;
		return 1;
	}
	i = find_name(d->ind, d->n_ind, s);
	if (i >= 0) {
		*k = (size_t)i;
		return 2;
	}
	return 0;
}

/* Completeness: naming one pillar names all; naming one indicator of a
 * pillar names all of that pillar's.  given: per pillar / indicator, 1 when
 * named.  0, or -1 with the reason. */
static int check_complete(const cindex_data_t *d, const char *name, int line, const unsigned char *gp,
                          const unsigned char *gi, int *any_p, int *any_i, char *err, size_t errlen)
{
	*any_p = *any_i = 0;
	for (size_t p = 0; p < d->n_pil; p++)
		*any_p |= gp[p];
	for (size_t p = 0; p < d->n_pil; p++)
		if (*any_p && !gp[p]) {
			seterr(err, errlen, "%s:%d: pillar %s has no weight (naming one pillar means naming all)", name, line,
			       d->pil[p]);
			return -1;
		}
	for (size_t p = 0; p < d->n_pil; p++) {
		int some = 0;
		for (size_t j = 0; j < d->n_ind; j++)
			if (d->ind_pillar[j] == p && gi[j])
				some = 1;
		*any_i |= some;
		for (size_t j = 0; some && j < d->n_ind; j++)
			if (d->ind_pillar[j] == p && !gi[j]) {
				seterr(err, errlen, "%s:%d: indicator %s has no weight (naming one of pillar %s's means naming all)",
				       name, line, d->ind[j], d->pil[p]);
				return -1;
			}
	}
	return 0;
}

int cindex_weights_parse(cindex_data_t *d, const char *name, const char *text, size_t len, cindex_opts_t *o,
                         char *err, size_t errlen)
{
	csv_t c = {.name = name, .s = text, .len = len, .line = 1};
	int r, rc = -1, hline;
	size_t np = d->n_pil, ni = d->n_ind;
	unsigned char *gp = calloc(np, 1), *gi = calloc(ni, 1);
	double *pw = calloc(np, sizeof *pw), *iw = calloc(ni, sizeof *iw), *bp = NULL, *bi = NULL;
	int *kind = NULL;
	size_t *idx = NULL, nexp = 0, cap_bp = 0, cap_bi = 0;
	if (!gp || !gi || !pw || !iw)
		goto oom;
	if ((r = csv_next(&c, err, errlen)) <= 0) {
		if (r == 0)
			seterr(err, errlen, "%s:1: empty: a header \"name,weight\" or \"expert,NAME,...\" is needed", name);
		goto fail;
	}
	hline = c.rec_line;
	if (c.n == 2 && !strcmp(c.f[0], "name") && !strcmp(c.f[1], "weight")) {
		while ((r = csv_next(&c, err, errlen)) > 0) {
			size_t k;
			double v;
			if (c.n != 2) {
				seterr(err, errlen, "%s:%d: %zu fields, the header has 2", name, c.rec_line, c.n);
				goto fail;
			}
			int t = weight_target(d, c.f[0], &k);
			if (!t) {
				seterr(err, errlen, "%s:%d:name: \"%.60s\" is neither a pillar nor an indicator", name, c.rec_line,
				       c.f[0]);
				goto fail;
			}
			if (parse_number(c.f[1], &v, 0) || v < 0) {
				seterr(err, errlen, "%s:%d:weight: \"%.40s\" is not a number >= 0", name, c.rec_line, c.f[1]);
				goto fail;
			}
			unsigned char *g = t == 1 ? gp : gi;
			if (g[k]) {
				seterr(err, errlen, "%s:%d:name: %s has a weight already", name, c.rec_line, c.f[0]);
				goto fail;
			}
			g[k] = 1;
			(t == 1 ? pw : iw)[k] = v;
		}
		if (r < 0)
			goto fail;
		int any_p, any_i;
		if (check_complete(d, name, hline, gp, gi, &any_p, &any_i, err, errlen))
			goto fail;
		if (!any_p && !any_i) {
			seterr(err, errlen, "%s:%d: no weight given", name, hline);
			goto fail;
		}
		for (size_t j = 0; j < ni; j++)
			if (!gi[j])
				iw[j] = 1;
		free(d->pil_w);
		free(d->ind_w);
		d->pil_w = any_p ? pw : NULL;
		d->ind_w = any_i ? iw : NULL;
		if (!any_p)
			free(pw);
		if (!any_i)
			free(iw);
		pw = iw = NULL;
		o->wmethod = CINDEX_W_EXPERT;
		o->pil_w = d->pil_w;
		o->ind_w = d->ind_w;
		rc = 0;
		goto fail;
	}
	if (c.n < 2 || strcmp(c.f[0], "expert") != 0) {
		seterr(err, errlen, "%s:%d: the header must be \"name,weight\" (expert weights) or \"expert,NAME,...\" (budget allocation)",
		       name, hline);
		goto fail;
	}
	size_t ncol = c.n;
	kind = calloc(ncol, sizeof *kind);
	idx = calloc(ncol, sizeof *idx);
	if (!kind || !idx)
		goto oom;
	for (size_t k = 1; k < ncol; k++) {
		kind[k] = weight_target(d, c.f[k], &idx[k]);
		if (!kind[k]) {
			seterr(err, errlen, "%s:%d:%zu: \"%.60s\" is neither a pillar nor an indicator", name, hline, k + 1,
			       c.f[k]);
			goto fail;
		}
		unsigned char *g = kind[k] == 1 ? gp : gi;
		if (g[idx[k]]) {
			seterr(err, errlen, "%s:%d:%s: named twice", name, hline, c.f[k]);
			goto fail;
		}
		g[idx[k]] = 1;
	}
	int any_p, any_i;
	if (check_complete(d, name, hline, gp, gi, &any_p, &any_i, err, errlen))
		goto fail;
	while ((r = csv_next(&c, err, errlen)) > 0) {
		if (c.n != ncol) {
			seterr(err, errlen, "%s:%d: %zu fields, the header has %zu", name, c.rec_line, c.n, ncol);
			goto fail;
		}
		if (nexp >= 100000) {
			seterr(err, errlen, "%s:%d: too many experts", name, c.rec_line);
			goto fail;
		}
		if (util_grow(&bp, &cap_bp, (nexp + 1) * np, sizeof *bp, 8 * np) ||
		    util_grow(&bi, &cap_bi, (nexp + 1) * ni, sizeof *bi, 8 * ni))
			goto oom;
		for (size_t j = 0; j < ni; j++)
			bi[nexp * ni + j] = 1;
		for (size_t p = 0; p < np; p++)
			bp[nexp * np + p] = 1;
		for (size_t k = 1; k < ncol; k++) {
			double v;
			if (parse_number(c.f[k], &v, 0) || v < 0) {
				seterr(err, errlen, "%s:%d:%s: \"%.40s\" is not a number >= 0", name, c.rec_line,
				       kind[k] == 1 ? d->pil[idx[k]] : d->ind[idx[k]], c.f[k]);
				goto fail;
			}
			(kind[k] == 1 ? bp + nexp * np : bi + nexp * ni)[idx[k]] = v;
		}
		/* each group of a row must allocate something */
		for (size_t p = 0; p < np; p++) {
			double s = 0;
			int named = 0;
			for (size_t j = 0; j < ni; j++)
				if (d->ind_pillar[j] == p) {
					s += bi[nexp * ni + j];
					named |= gi[j];
				}
			if (named && !(s > 0)) {
				seterr(err, errlen, "%s:%d: the expert allocates nothing to pillar %s's indicators", name,
				       c.rec_line, d->pil[p]);
				goto fail;
			}
		}
		double s = 0;
		for (size_t p = 0; p < np; p++)
			s += bp[nexp * np + p];
		if (any_p && !(s > 0)) {
			seterr(err, errlen, "%s:%d: the expert allocates nothing to the pillars", name, c.rec_line);
			goto fail;
		}
		nexp++;
	}
	if (r < 0)
		goto fail;
	if (nexp == 0) {
		seterr(err, errlen, "%s:%d: no expert row", name, c.line);
		goto fail;
	}
	free(d->b_pil);
	free(d->b_ind);
	d->b_pil = any_p ? bp : NULL;
	d->b_ind = any_i ? bi : NULL;
	if (!any_p)
		free(bp);
	if (!any_i)
		free(bi);
	bp = bi = NULL;
	d->n_experts = nexp;
	o->wmethod = CINDEX_W_BUDGET;
	o->n_experts = nexp;
	o->budget_pil = d->b_pil;
	o->budget_ind = d->b_ind;
	rc = 0;
	goto fail;
oom:
	seterr(err, errlen, "out of memory");
fail:
	csv_free(&c);
	free(gp);
	free(gi);
	free(pw);
	free(iw);
	free(bp);
	free(bi);
	free(kind);
	free(idx);
	return rc;
}

int cindex_weights_read(cindex_data_t *d, const char *path, cindex_opts_t *o, char *err, size_t errlen)
{
	size_t len = 0;
	char *s = slurp(path, &len, err, errlen);
	if (!s)
		return -1;
	int rc = cindex_weights_parse(d, path, s, len, o, err, errlen);
	free(s);
	return rc;
}
