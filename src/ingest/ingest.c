/* ingest.c — list and CSV readers, and loading a file into the store as one
 * transaction (see ingest.h).  Input is untrusted: lines are bounded, every
 * field is validated, and errors name the file, the line and the reason. */
#include "ingest.h"
#include "ingest_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"
#include "store/store.h"

#define LINE_MAX_BYTES (64 * 1024)       /* longest list line            */
#define RECORD_MAX_BYTES (1024 * 1024)   /* longest CSV record (quoted)  */
#define CSV_MAX_FIELDS 256

static const char *const format_names[] = {
	[INGEST_AUTO] = "auto", [INGEST_LIST] = "list", [INGEST_CSV] = "csv",
	[INGEST_RBLDNSD] = "rbldnsd", [INGEST_URLHAUS] = "urlhaus", [INGEST_FEODO] = "feodo",
	[INGEST_THREATFOX] = "threatfox", [INGEST_SSLBL] = "sslbl",
	[INGEST_DROP] = "spamhaus-drop", [INGEST_SHADOWSERVER] = "shadowserver",
	[INGEST_OPENPHISH] = "openphish", [INGEST_MISP_FREETEXT] = "misp-freetext",
	[INGEST_MISP_CSV] = "misp-csv", [INGEST_DSHIELD] = "dshield", [INGEST_DATAPLANE] = "dataplane",
	[INGEST_SPAMHAUS_CERT] = "spamhaus-cert",
};

int ingest_format_parse(const char *s, ingest_format_t *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (!strcmp(s, format_names[i])) {
			*out = (ingest_format_t)i;
			return 0;
		}
	return -1;
}

const char *ingest_format_name(ingest_format_t f)
{
	return (size_t)f < sizeof format_names / sizeof *format_names ? format_names[f] : "?";
}

/* ---- line reading ---- */

int ingest_fail(reader_t *r, long line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s:%ld: ", r->name, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->errlen)
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Read one line (without its end) appending at buf + at.  Returns its length,
 * -1 at end of input, -2 on error (err set). */
long ingest_line(reader_t *r, size_t at, size_t max)
{
	size_t n = at;
	int c;
	if (feof(r->f))
		return -1;
	while ((c = getc_unlocked(r->f)) != EOF && c != '\n') {
		if (n + 2 > r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 4096;
			char *b = realloc(r->buf, cap);
			if (!b)
				return r->fatal = 1, ingest_fail(r, r->line + 1, "out of memory"), -2;
			r->buf = b;
			r->cap = cap;
		}
		if (n >= max)
			return r->fatal = 1,
			       ingest_fail(r, r->line + 1, "line longer than %zu bytes", max), -2;
		r->buf[n++] = (char)c;
	}
	if (ferror(r->f))
		return r->fatal = 1, ingest_fail(r, r->line + 1, "read error: %s", strerror(errno)), -2;
	if (c == EOF && n == at)
		return -1;
	if (!r->buf && !(r->buf = malloc(r->cap = 4096)))
		return -2;
	/* forgiving of editors: a UTF-8 byte-order mark before the first
	 * line, CR line ends and trailing blanks */
	if (r->line == 0 && at == 0 && n >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3)) {
		memmove(r->buf, r->buf + 3, n - 3);
		n -= 3;
	}
	r->line++;
	while (n > at && (r->buf[n - 1] == '\r' || r->buf[n - 1] == ' '))
		n--;
	r->buf[n] = '\0';
	return (long)(n - at);
}

int ingest_blank_or_comment(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0' || *s == '#' || *s == ';';
}

/* ---- record building ---- */

int ingest_emit(reader_t *r, const ingest_opts_t *o, const char *val, size_t len,
		const ingest_rec_t *extra, ingest_cb cb, void *arg)
{
	obs_t obs;
	char why[512];
	int refanged;
	if (obs_parse_pasted(val, len, o->type, &obs, &refanged, why, sizeof why))
		return ingest_fail(r, r->line, "%s", why);
	ingest_rec_t rec = *extra;
	rec.refanged = refanged;
	util_progress_add(1, -1);
	r->emitted++;
	rec.obs = &obs;
	rec.line = r->line;
	char cberr[512];
	cberr[0] = '\0';
	if (cb(arg, &rec, cberr, sizeof cberr)) {
		r->fatal = 1;
		return ingest_fail(r, r->line, "%s", cberr[0] ? cberr : "rejected");
	}
	return 0;
}

int ingest_bad(reader_t *r, const ingest_opts_t *o)
{
	if (!o->on_bad || r->fatal)
		return -1;
	o->on_bad(o->bad_arg, r->err);
	r->skipped++;
	return 0;
}

ingest_rec_t ingest_defaults(const ingest_opts_t *o)
{
	ingest_rec_t d = {
		.source = o->source,
		.classification = o->classification ? o->classification : RSIT_DEFAULT,
		.tlp = o->tlp, .confidence = o->confidence,
	};
	if (o->valid_for > 0)
		d.valid_until = (int64_t)time(NULL) + o->valid_for;
	return d;
}

/* A list line: the value, then nothing or a comment (# or ;). */
static int list_line(reader_t *r, const ingest_opts_t *o, const char *s, ingest_cb cb, void *arg)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strcspn(s, " \t");
	const char *rest = s + n;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest && *rest != '#' && *rest != ';')
		return ingest_fail(r, r->line, "unexpected text after the value: '%.40s'", rest);
	ingest_rec_t d = ingest_defaults(o);
	return ingest_emit(r, o, s, n, &d, cb, arg);
}

/* ---- CSV (RFC 4180: quoted fields, "" escapes, quoted line breaks) ---- */

typedef struct {
	char delim;
	int value, type, tlp, confidence, classification, source, first_seen, last_seen,
	    valid_until; /* column numbers, -1 when absent */
	int ncols;
	char *names[CSV_MAX_FIELDS];
} csv_t;

static int quotes_open(const char *s)
{
	int open = 0;
	for (; *s; s++)
		if (*s == '"')
			open = !open;
	return open;
}

/* Split buf in place; returns the field count or -1 on a quoting error. */
int ingest_csv_split(char *buf, char delim, char **fields, int max)
{
	int n = 0;
	char *p = buf;
	for (;;) {
		if (n == max)
			return -1;
		char *out = p;
		fields[n++] = out;
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
			if (*p != delim && *p != '\0')
				return -1;
		} else {
			while (*p && *p != delim)
				*out++ = *p++;
		}
		int end = *p == '\0';
		*out = '\0';
		if (end)
			return n;
		p++;
	}
}

void ingest_csv_trim(char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
	char *e = *s + strlen(*s);
	while (e > *s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
}

static int col(const csv_t *c, const char *const *names)
{
	for (const char *const *n = names; *n; n++)
		for (int i = 0; i < c->ncols; i++)
			if (strcasecmp(c->names[i], *n) == 0)
				return i;
	return -1;
}

/* ---- column maps: "value=ip,first_seen=date,classification=kind" ---- */

static const char *const map_roles[] = {
	"value", "type", "tlp", "confidence", "classification", "source", "first_seen",
	"last_seen", "valid_until", NULL};

/* The column name the map gives role (into buf), or NULL. */
static const char *mapped(const char *map, const char *role, char *buf, size_t size)
{
	size_t rl = strlen(role);
	for (const char *p = map; *p;) {
		size_t n = strcspn(p, ",");
		if (n > rl && !strncmp(p, role, rl) && p[rl] == '=' && n - rl - 1 < size) {
			memcpy(buf, p + rl + 1, n - rl - 1);
			buf[n - rl - 1] = '\0';
			return buf;
		}
		p += n + (p[n] == ',');
	}
	return NULL;
}

int ingest_column_map_check(const char *map, char *err, size_t errlen)
{
	char buf[128];
	if (!strchr(map, '='))
		return 0; /* a single column name */
	for (const char *p = map; *p;) {
		size_t n = strcspn(p, ","), k = strcspn(p, "=,");
		const char *const *r = map_roles;
		while (*r && (strlen(*r) != k || strncmp(*r, p, k)))
			r++;
		if (!*r || k == n || n - k - 1 == 0 || n - k - 1 >= sizeof buf) {
			snprintf(err, errlen, "column map: '%.*s' is not ROLE=COLUMN (roles: value, type, "
				 "tlp, confidence, classification, source, first_seen, last_seen, "
				 "valid_until)", (int)(n < 60 ? n : 60), p);
			return -1;
		}
		p += n + (p[n] == ',');
	}
	if (!mapped(map, "value", buf, sizeof buf)) {
		snprintf(err, errlen, "column map: name the value column (value=COLUMN)");
		return -1;
	}
	return 0;
}

static int csv_header(reader_t *r, const ingest_opts_t *o, csv_t *c)
{
	static const char *const value_names[] = {
		"value", "indicator", "observable", "ioc", "ip", "ip_address", "ipaddress",
		"src_ip", "address", "domain", "hostname", "fqdn", "url", "email", "hash",
		"sha256", "sha1", "md5", "asn", NULL};
	char *f[CSV_MAX_FIELDS];
	const char *h = r->buf;
	size_t comma = 0, semi = 0, tab = 0;
	for (const char *p = h; *p; p++) {
		comma += *p == ',';
		semi += *p == ';';
		tab += *p == '\t';
	}
	c->delim = tab > comma && tab >= semi ? '\t' : semi > comma ? ';' : ',';
	int n = ingest_csv_split(r->buf, c->delim, f, CSV_MAX_FIELDS);
	if (n < 0)
		return ingest_fail(r, r->line, "bad CSV header");
	c->ncols = n;
	for (int i = 0; i < n; i++) {
		ingest_csv_trim(&f[i]);
		if (!(c->names[i] = strdup(f[i])))
			return ingest_fail(r, r->line, "out of memory");
	}
	const char *map = o->column && strchr(o->column, '=') ? o->column : NULL;
	char mbuf[128], merr[256];
	if (map && ingest_column_map_check(map, merr, sizeof merr))
		return r->fatal = 1, ingest_fail(r, r->line, "%s", merr);
	if (o->column) {
		const char *one[] = {map ? mapped(map, "value", mbuf, sizeof mbuf) : o->column, NULL};
		if ((c->value = col(c, one)) < 0)
			return ingest_fail(r, r->line, "no column '%s' in the CSV header", one[0]);
	} else if ((c->value = col(c, value_names)) < 0) {
		return ingest_fail(r, r->line,
			     "no value column in the CSV header (name one with --column)");
	}
	/* a role the map names must be there; else the usual names */
#define COL(field, ...)                                                                        \
	do {                                                                                   \
		const char *m = map ? mapped(map, #field, mbuf, sizeof mbuf) : NULL;           \
		c->field = col(c, m ? (const char *const[]){m, NULL}                           \
				    : (const char *const[]){__VA_ARGS__, NULL});               \
		if (m && c->field < 0)                                                         \
			return ingest_fail(r, r->line, "no column '%s' in the CSV header", m); \
	} while (0)
	COL(type, "type");
	COL(tlp, "tlp");
	COL(confidence, "confidence");
	COL(classification, "classification");
	COL(source, "source");
	COL(first_seen, "first_seen", "firstseen", "dateadded");
	COL(last_seen, "last_seen", "lastseen", "last_online");
	COL(valid_until, "valid_until", "expires");
#undef COL
	return 0;
}

static void csv_free(csv_t *c)
{
	for (int i = 0; i < c->ncols; i++)
		free(c->names[i]);
}

static int csv_time(reader_t *r, const csv_t *c, char **f, int n, int idx, int64_t *out)
{
	if (idx < 0 || idx >= n || !*f[idx])
		return 0;
	if (model_time_parse(f[idx], out))
		return ingest_fail(r, r->line, "column '%s': invalid time '%.40s'", c->names[idx], f[idx]);
	return 0;
}

static int csv_row(reader_t *r, const ingest_opts_t *o, const csv_t *c, ingest_cb cb, void *arg)
{
	char *f[CSV_MAX_FIELDS];
	int n = ingest_csv_split(r->buf, c->delim, f, CSV_MAX_FIELDS);
	ingest_rec_t d = ingest_defaults(o);
	ingest_opts_t oo = *o;

	if (n < 0)
		return ingest_fail(r, r->line, "bad CSV quoting");
	for (int i = 0; i < n; i++)
		ingest_csv_trim(&f[i]);
	if (c->value >= n || !*f[c->value])
		return ingest_fail(r, r->line, "column '%s': empty value", c->names[c->value]);
	if (c->type >= 0 && c->type < n && *f[c->type] &&
	    (oo.type = obs_type_from_name(f[c->type])) == OBS_NONE)
		return ingest_fail(r, r->line, "column 'type': unknown type '%.40s'", f[c->type]);
	if (c->tlp >= 0 && c->tlp < n && *f[c->tlp] && tlp_parse(f[c->tlp], &d.tlp))
		return ingest_fail(r, r->line, "column 'tlp': unknown TLP '%.40s'", f[c->tlp]);
	if (c->confidence >= 0 && c->confidence < n && *f[c->confidence]) {
		char *end;
		long v = strtol(f[c->confidence], &end, 10);
		if (*end || v < 0 || v > 100)
			return ingest_fail(r, r->line, "column 'confidence': '%.40s' is not 0..100",
				     f[c->confidence]);
		d.confidence = (int)v;
	}
	if (c->classification >= 0 && c->classification < n && *f[c->classification]) {
		if (rsit_check(f[c->classification]))
			return ingest_fail(r, r->line,
				     "column 'classification': '%.60s' is not a class/type of the "
				     "Reference Security Incident Taxonomy", f[c->classification]);
		d.classification = f[c->classification];
	}
	if (c->source >= 0 && c->source < n && *f[c->source]) {
		if (!model_name_ok(f[c->source]))
			return ingest_fail(r, r->line, "column 'source': bad name");
		d.source = f[c->source];
	}
	if (csv_time(r, c, f, n, c->first_seen, &d.first_seen) ||
	    csv_time(r, c, f, n, c->last_seen, &d.last_seen) ||
	    csv_time(r, c, f, n, c->valid_until, &d.valid_until))
		return -1;
	return ingest_emit(r, &oo, f[c->value], strlen(f[c->value]), &d, cb, arg);
}

/* Read a whole CSV record into r->buf (continuing quoted line breaks). */
long ingest_csv_record(reader_t *r)
{
	long n = ingest_line(r, 0, RECORD_MAX_BYTES);
	if (n < 0)
		return n;
	size_t len = (size_t)n;
	while (quotes_open(r->buf)) {
		if (len + 1 >= r->cap) {
			char *b = realloc(r->buf, r->cap * 2);
			if (!b)
				return r->fatal = 1, ingest_fail(r, r->line, "out of memory"), -2;
			r->buf = b;
			r->cap *= 2;
		}
		r->buf[len++] = '\n';
		long m = ingest_line(r, len, RECORD_MAX_BYTES);
		if (m == -1)
			return r->fatal = 1, ingest_fail(r, r->line, "unclosed quote at end of file"), -2;
		if (m < 0)
			return m;
		len += (size_t)m;
	}
	return (long)len;
}

/* The first content line decides: a list line (an observable, then nothing
 * or a comment), or a line without any delimiter, is a list; else CSV. */
static ingest_format_t sniff(const char *line, obs_type_t want)
{
	obs_t *o = malloc(sizeof *o);
	const char *s = line + strspn(line, " \t");
	size_t n = strcspn(s, " \t");
	const char *rest = s + n + strspn(s + n, " \t");
	int is_list = o && (!*rest || *rest == '#' || *rest == ';') &&
		      obs_parse(s, n, want, o, NULL, 0) == 0;
	free(o);
	return is_list || !strpbrk(line, ",;\t") ? INGEST_LIST : INGEST_CSV;
}

int ingest_read(FILE *f, const char *name, const ingest_opts_t *o, ingest_cb cb, void *arg,
		long *count, char *err, size_t errlen)
{
	reader_t r = {.f = f, .name = name, .err = err, .errlen = errlen};
	ingest_format_t fmt = o->format;
	csv_t csv = {.value = -1};
	int have_header = 0, rc = 0;
	long n, records = 0;

	util_progress_begin(name, 0, f);
	if (fmt >= INGEST_URLHAUS) {
		rc = ingest_feed_read(&r, o, fmt, cb, arg);
		goto done;
	}
	if (fmt == INGEST_AUTO) {
		size_t nl = strlen(name);
		if (nl > 4 && strcasecmp(name + nl - 4, ".csv") == 0)
			fmt = INGEST_CSV;
	}
	for (;;) {
		n = fmt == INGEST_CSV ? ingest_csv_record(&r) : ingest_line(&r, 0, LINE_MAX_BYTES);
		if (n == -1)
			break;
		if (n < 0) {
			rc = -1;
			break;
		}
		if (ingest_blank_or_comment(r.buf))
			continue;
		if (fmt == INGEST_AUTO)
			fmt = sniff(r.buf, o->type);
		if (fmt == INGEST_CSV && !have_header) {
			if (quotes_open(r.buf)) {
				rc = ingest_fail(&r, r.line, "unclosed quote in the CSV header");
				break;
			}
			if ((rc = csv_header(&r, o, &csv)))
				break;
			have_header = 1;
			continue;
		}
		rc = fmt == INGEST_CSV	   ? csv_row(&r, o, &csv, cb, arg)
		     : fmt == INGEST_RBLDNSD ? ingest_rbl_line(&r, o, r.buf, cb, arg)
					     : list_line(&r, o, r.buf, cb, arg);
		if (rc && !(rc = ingest_bad(&r, o)))
			continue;
		if (rc)
			break;
	}
done:
	util_progress_end();
	records = r.emitted;
	csv_free(&csv);
	free(r.buf);
	if (count)
		*count = records;
	return rc ? -1 : 0;
}

/* ---- into the store ---- */

/* Records are written as they come until a file proves large: then in
 * slices of LOAD_SLICE, each sorted by the indicators' index key
 * (store_vkey, the order kept among equal keys), so that each page of the
 * store's index is written once per slice instead of once per record —
 * past a few million indicators that index outgrows the page cache and
 * random inserts made the per-value cost grow with the store.  A file
 * shorter than a slice is written in its own order, as before. */
#define LOAD_SLICE 262144

typedef struct {
	uint64_t vkey;
	uint32_t seq; /* arrival order */
	uint32_t off; /* the record in the pool */
} load_ent_t;

typedef struct { /* a record in the pool, its strings after it */
	int64_t first_seen, last_seen, valid_until;
	uint8_t type, tlp, confidence;
} load_rec_t;

typedef struct {
	store_t *st;
	const ingest_opts_t *o;
	indicator_t ind;
	long refanged;
	load_ent_t *ent;
	size_t n, cap;
	char *pool;
	size_t plen, pcap;
} load_t;

static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int load_put(load_t *l, char *err, size_t errlen)
{
	if (store_put_indicator(l->st, &l->ind)) {
		snprintf(err, errlen, "store: %s", store_errmsg(l->st));
		return -1;
	}
	return 0;
}

static int ent_cmp(const void *a, const void *b)
{
	const load_ent_t *x = a, *y = b;
	if (x->vkey != y->vkey)
		return x->vkey < y->vkey ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write the records held, sorted (sorted: 0 for a file's only, short
 * slice, written in arrival order). */
static int load_flush(load_t *l, int sorted, char *err, size_t errlen)
{
	indicator_t *ind = &l->ind;
	if (sorted)
		qsort(l->ent, l->n, sizeof *l->ent, ent_cmp);
	for (size_t i = 0; i < l->n; i++) {
		load_rec_t r;
		const char *c = l->pool + l->ent[i].off;
		memcpy(&r, c, sizeof r);
		c += sizeof r;
		ind->type = (obs_type_t)r.type;
		ind->tlp = (tlp_t)r.tlp;
		ind->confidence = r.confidence;
		ind->first_seen = r.first_seen;
		ind->last_seen = r.last_seen;
		ind->valid_until = r.valid_until;
		copy_str(ind->value, sizeof ind->value, c);
		c += strlen(c) + 1;
		copy_str(ind->source, sizeof ind->source, c);
		c += strlen(c) + 1;
		copy_str(ind->classification, sizeof ind->classification, c);
		if (load_put(l, err, errlen))
			return -1;
	}
	l->n = l->plen = 0;
	return 0;
}

static int load_one(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	load_t *l = arg;
	size_t ls = strlen(rec->source), lc = strlen(rec->classification);
	size_t need = sizeof(load_rec_t) + rec->obs->len + ls + lc + 3;
	l->refanged += rec->refanged;
	if (util_grow(&l->ent, &l->cap, l->n + 1, sizeof *l->ent, 1024) ||
	    util_grow(&l->pool, &l->pcap, l->plen + need, 1, 65536)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	load_rec_t r = {.first_seen = rec->first_seen,
			.last_seen = rec->last_seen ? rec->last_seen : rec->first_seen,
			.valid_until = rec->valid_until, .type = (uint8_t)rec->obs->type,
			.tlp = (uint8_t)rec->tlp, .confidence = (uint8_t)rec->confidence};
	char *c = l->pool + l->plen;
	memcpy(c, &r, sizeof r);
	c += sizeof r;
	memcpy(c, rec->obs->value, rec->obs->len + 1);
	c += rec->obs->len + 1;
	memcpy(c, rec->source, ls + 1);
	c += ls + 1;
	memcpy(c, rec->classification, lc + 1);
	l->ent[l->n++] = (load_ent_t){store_vkey(rec->obs->value), (uint32_t)l->n, (uint32_t)l->plen};
	l->plen += need;
	return l->n == LOAD_SLICE ? load_flush(l, 1, err, errlen) : 0;
}

int ingest_stream(store_t *st, FILE *f, const char *name, const ingest_opts_t *o, ingest_result_t *res,
		  char *err, size_t errlen)
{
	load_t *l = calloc(1, sizeof *l);
	int rc = -1;
	memset(res, 0, sizeof *res);
	if (!l) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	l->st = st;
	l->o = o;
	l->ind.org_id = o->org_id;
	if (store_begin(st)) {
		snprintf(err, errlen, "%s: store: %s", name, store_errmsg(st));
		goto out;
	}
	/* the last slice sorted too when there were others before it */
	if (ingest_read(f, name, o, load_one, l, &res->records, err, errlen) ||
	    load_flush(l, res->records > LOAD_SLICE, err, errlen)) {
		store_rollback(st);
		goto out;
	}
	if ((o->before_commit && o->before_commit(o->arg, st, name, res->records)) || store_commit(st)) {
		snprintf(err, errlen, "%s: store: %s", name, store_errmsg(st));
		store_rollback(st);
		goto out;
	}
	res->refanged = l->refanged;
	rc = 0;
out:
	free(l->ent);
	free(l->pool);
	free(l);
	return rc;
}

int ingest_file(store_t *st, const char *path, const ingest_opts_t *o, ingest_result_t *res,
		char *err, size_t errlen)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	memset(res, 0, sizeof *res);
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	int rc = ingest_stream(st, f, is_stdin ? "<stdin>" : path, o, res, err, errlen);
	if (!is_stdin)
		fclose(f);
	return rc;
}
