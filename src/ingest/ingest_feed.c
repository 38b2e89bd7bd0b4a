/* ingest_feed.c — the layouts of the feeds CIRTs ingest, from their public
 * documentation: abuse.ch URLhaus, Feodo Tracker, ThreatFox and SSL
 * Blacklist CSVs, Spamhaus DROP / EDROP / ASN-DROP and CERT (bot) feeds,
 * Shadowserver reports, OpenPhish-style URL lists, MISP freetext and CSV
 * feeds, the DShield block list and DataPlane.org reports.
 *
 * The CSV layouts are header-driven: each format names the columns it reads
 * by role (the value, its times, related values, what it says about the
 * classification), and the header — a plain first line, or for abuse.ch a
 * commented "# name,name,..." line — says where they are.  So one format
 * reads every export of a feed (URLhaus's database dump and its per-country
 * and per-ASN feeds differ) and a report type Shadowserver adds tomorrow.
 *
 * Every record keeps its raw line (evidence), the source's time and the
 * related observables that find the network owner (a URL's host and
 * address, a report's AS number). */
#include "ingest_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FEED_LINE_MAX (64 * 1024)
#define FEED_COLS 256

enum { R_VALUE, R_TYPE, R_TIME, R_LAST, R_CONF, R_CLASS, R_ALSO1, R_ALSO2, R_ALSO3, R_NROLES };

typedef struct {
	ingest_format_t fmt;
	const char *cls;                     /* the format's classification    */
	const char *const *roles[R_NROLES];  /* column names per role (NULL-ended) */
	int header_in_comment;               /* abuse.ch: "# a,b,c"            */
} layout_t;

#define NAMES(...) (const char *const[]){__VA_ARGS__, NULL}

static const layout_t layouts[] = {
	{INGEST_URLHAUS, "malicious-code/malware-distribution",
	 {[R_VALUE] = NAMES("url"), [R_TIME] = NAMES("dateadded", "dateadded (utc)"),
	  [R_LAST] = NAMES("last_online"), [R_CLASS] = NAMES("threat"),
	  [R_ALSO1] = NAMES("host"), [R_ALSO2] = NAMES("ipaddress", "ip_address"),
	  [R_ALSO3] = NAMES("asnumber", "as_number")}, 1},
	{INGEST_FEODO, "malicious-code/c2-server",
	 {[R_VALUE] = NAMES("dst_ip", "dstip", "ip_address"),
	  [R_TIME] = NAMES("first_seen_utc", "firstseen", "first_seen"),
	  [R_LAST] = NAMES("last_online", "lastonline")}, 1},
	{INGEST_THREATFOX, "malicious-code/c2-server",
	 {[R_VALUE] = NAMES("ioc_value", "ioc"), [R_TYPE] = NAMES("ioc_type"),
	  [R_TIME] = NAMES("first_seen_utc"), [R_LAST] = NAMES("last_seen_utc"),
	  [R_CONF] = NAMES("confidence_level"), [R_CLASS] = NAMES("threat_type")}, 1},
	{INGEST_SSLBL, "malicious-code/c2-server",
	 {[R_VALUE] = NAMES("sha1", "dstip", "dst_ip"), [R_TIME] = NAMES("listingdate", "firstseen")},
	 1},
	{INGEST_SHADOWSERVER, NULL,
	 {[R_VALUE] = NAMES("src_ip", "ip"), [R_TIME] = NAMES("timestamp"),
	  [R_CLASS] = NAMES("infection"), [R_ALSO1] = NAMES("src_asn", "asn"),
	  [R_ALSO2] = NAMES("src_hostname", "hostname")}, 0},
	{INGEST_MISP_CSV, NULL, {NULL}, 0},
	/* "; ip, asn, country, lastseen, botname, domain, ..." */
	{INGEST_SPAMHAUS_CERT, "malicious-code/infected-system",
	 {[R_VALUE] = NAMES("ip"), [R_TIME] = NAMES("lastseen"), [R_ALSO1] = NAMES("asn")}, 1},
};

typedef struct {
	const layout_t *l;
	int col[R_NROLES];
	int ncols;
	char delim;
	char *raw;        /* copy of the line as read */
	size_t rawcap;
} feed_t;

static const layout_t *layout_of(ingest_format_t f)
{
	for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++)
		if (layouts[i].fmt == f)
			return &layouts[i];
	return NULL;
}

/* What a feed's own words say about the classification. */
static const char *class_word(const char *w)
{
	static const struct { const char *word, *cls; } map[] = {
		{"botnet_cc", "malicious-code/c2-server"},
		{"payload_delivery", "malicious-code/malware-distribution"},
		{"malware_download", "malicious-code/malware-distribution"},
		{"payload", "malicious-code/malware-distribution"},
		{"cc_skimming", "fraud/phishing"},
	};
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcasecmp(w, map[i].word))
			return map[i].cls;
	return NULL;
}

/* The header names in f[0..n): which column plays each role. */
static int feed_header(reader_t *r, feed_t *fd, char **f, int n)
{
	fd->ncols = n;
	for (int k = 0; k < R_NROLES; k++) {
		fd->col[k] = -1;
		for (const char *const *nm = fd->l->roles[k]; nm && *nm && fd->col[k] < 0; nm++)
			for (int i = 0; i < n; i++) {
				char *h = f[i];
				ingest_csv_trim(&h);
				if (!strcasecmp(h, *nm)) {
					fd->col[k] = i;
					break;
				}
			}
	}
	if (fd->col[R_VALUE] < 0)
		return ingest_fail(r, r->line, "%s: no value column in the header",
				   ingest_format_name(fd->l->fmt));
	return 0;
}

static char pick_delim(const char *s)
{
	size_t comma = 0, tab = 0, semi = 0;
	for (; *s; s++) {
		comma += *s == ',';
		tab += *s == '\t';
		semi += *s == ';';
	}
	return tab > comma && tab >= semi ? '\t' : semi > comma ? ';' : ',';
}

/* Split a CSV line.  ThreatFox separates quoted fields with ", ": blanks
 * after a separator (outside quotes) go first, as trimming would drop
 * them anyway. */
static int split(feed_t *fd, char *line, char **f)
{
	char *w = line, *p = line;
	int inq = 0;
	for (; *p; p++) {
		if (*p == '"')
			inq = !inq;
		if (!inq && (*p == ' ' || *p == '\t') && w > line && w[-1] == fd->delim)
			continue;
		*w++ = *p;
	}
	*w = '\0';
	return ingest_csv_split(line, fd->delim, f, FEED_COLS);
}

static const char *field(char **f, int n, int c)
{
	if (c < 0 || c >= n)
		return NULL;
	char *s = f[c];
	ingest_csv_trim(&s);
	return *s && strcmp(s, "-") ? s : NULL;
}

/* A related value: parsed when it parses, left out otherwise (an AS
 * number given bare becomes AS<n>). */
static void also(ingest_rec_t *rec, obs_t *slot, const char *v)
{
	char buf[32];
	if (!v || rec->nalso >= 3)
		return;
	if (strspn(v, "0123456789") == strlen(v) && strlen(v) < 11) {
		snprintf(buf, sizeof buf, "AS%s", v);
		v = buf;
	}
	if (obs_parse(v, strlen(v), OBS_NONE, slot, NULL, 0) == 0)
		rec->also[rec->nalso++] = slot;
}

static int feed_time(reader_t *r, const char *v, const char *what, int64_t *out)
{
	if (v && model_time_parse(v, out))
		return ingest_fail(r, r->line, "%s: invalid time '%.40s'", what, v);
	return 0;
}

/* One CSV row of a header-driven layout. */
static int feed_row(reader_t *r, const ingest_opts_t *o, feed_t *fd, char *line, ingest_cb cb,
		    void *arg)
{
	char *f[FEED_COLS];
	obs_t *slots = NULL;
	int n = split(fd, line, f), rc;
	ingest_rec_t d = ingest_defaults(o);
	ingest_opts_t oo = *o;

	if (n < 0)
		return ingest_fail(r, r->line, "bad CSV quoting");
	d.raw = fd->raw;
	if (!o->classification && fd->l->cls)
		d.classification = fd->l->cls;
	const char *v = field(f, n, fd->col[R_VALUE]);
	if (!v)
		return ingest_fail(r, r->line, "empty value");
	if (fd->l->fmt == INGEST_SHADOWSERVER) {
		/* event reports name an infection; scan reports do not */
		if (!o->classification)
			d.classification = fd->col[R_CLASS] >= 0 ? "malicious-code/infected-system"
								 : "vulnerable/vulnerable-system";
	} else {
		const char *w = field(f, n, fd->col[R_CLASS]), *c = w ? class_word(w) : NULL;
		if (c)
			d.classification = c;
	}
	const char *t = field(f, n, fd->col[R_TYPE]);
	char vbuf[OBS_VALUE_MAX + 1];
	if (t && (!strcmp(t, "ip:port") || !strcmp(t, "ip"))) {
		/* ThreatFox's "ip:port": the address is the observable */
		size_t k = strcspn(v, ":");
		if (k >= sizeof vbuf)
			return ingest_fail(r, r->line, "ioc_value too long");
		memcpy(vbuf, v, k);
		vbuf[k] = '\0';
		v = vbuf;
		oo.type = OBS_IPV4;
	}
	const char *conf = field(f, n, fd->col[R_CONF]);
	if (conf) {
		char *end;
		long c = strtol(conf, &end, 10);
		if (*end || c < 0 || c > 100)
			return ingest_fail(r, r->line, "confidence_level: '%.20s' is not 0..100", conf);
		d.confidence = (int)c;
	}
	if (feed_time(r, field(f, n, fd->col[R_TIME]), "time", &d.first_seen) ||
	    feed_time(r, field(f, n, fd->col[R_LAST]), "last seen", &d.last_seen))
		return -1;
	if (d.last_seen && d.last_seen < d.first_seen)
		d.last_seen = d.first_seen;
	if (fd->col[R_ALSO1] >= 0 && !(slots = malloc(3 * sizeof *slots)))
		return r->fatal = 1, ingest_fail(r, r->line, "out of memory");
	for (int k = 0; slots && k < 3; k++)
		also(&d, &slots[k], field(f, n, fd->col[R_ALSO1 + k]));
	rc = ingest_emit(r, &oo, v, strlen(v), &d, cb, arg);
	free(slots);
	return rc;
}

/* Spamhaus DROP / EDROP / ASN-DROP: "1.4.0.0/17 ; SBL256893". */
static int drop_line(reader_t *r, const ingest_opts_t *o, feed_t *fd, char *s, ingest_cb cb,
		     void *arg)
{
	ingest_rec_t d = ingest_defaults(o);
	d.raw = fd->raw;
	if (!o->classification)
		d.classification = "abusive-content/spam";
	s += strspn(s, " \t");
	size_t n = strcspn(s, " \t;");
	return ingest_emit(r, o, s, n, &d, cb, arg);
}

/* The DShield block list: tab-separated "start end prefix-length attacks
 * name country email" under a "Start\tEnd\tNetblock..." header line. */
static int dshield_line(reader_t *r, const ingest_opts_t *o, feed_t *fd, char *s, ingest_cb cb,
			void *arg)
{
	char v[64];
	ingest_rec_t d = ingest_defaults(o);
	d.raw = fd->raw;
	if (!o->classification)
		d.classification = "information-gathering/scanner";
	if (!strncasecmp(s, "start\t", 6))
		return 0; /* the column names */
	size_t a = strcspn(s, "\t"), b = a + (s[a] == '\t'), c;
	b += strcspn(s + b, "\t");
	c = b + (s[b] == '\t');
	size_t plen = strcspn(s + c, "\t");
	if (!s[a] || !s[b] || a + plen + 2 > sizeof v || !plen)
		return ingest_fail(r, r->line, "dshield: expected start, end and netblock, tab-separated");
	snprintf(v, sizeof v, "%.*s/%.*s", (int)a, s, (int)plen, s + c);
	return ingest_emit(r, o, v, strlen(v), &d, cb, arg);
}

/* DataPlane.org: "ASN | ASname | ipaddr | lastseen | category"; the AS
 * name may itself hold '|', so the address is counted from the end. */
static int dataplane_line(reader_t *r, const ingest_opts_t *o, feed_t *fd, char *s, ingest_cb cb,
			  void *arg)
{
	char *f[64];
	int n = 0;
	ingest_rec_t d = ingest_defaults(o);
	obs_t *asn = NULL;
	d.raw = fd->raw;
	for (char *p = s; n < 64;) {
		f[n++] = p;
		p = strchr(p, '|');
		if (!p)
			break;
		*p++ = '\0';
	}
	for (int i = 0; i < n; i++)
		ingest_csv_trim(&f[i]);
	if (n < 5)
		return ingest_fail(r, r->line, "dataplane: expected ASN | AS name | address | last seen | "
				   "category");
	const char *cat = f[n - 1], *ip = f[n - 3];
	if (!o->classification)
		d.classification = strstr(cat, "auth") || strstr(cat, "login")
					   ? "intrusion-attempts/brute-force"
					   : "information-gathering/scanner";
	if (feed_time(r, *f[n - 2] ? f[n - 2] : NULL, "last seen", &d.first_seen))
		return -1;
	if (strcmp(f[0], "NA") && *f[0]) {
		if (!(asn = malloc(sizeof *asn)))
			return r->fatal = 1, ingest_fail(r, r->line, "out of memory");
		also(&d, asn, f[0]);
	}
	int rc = ingest_emit(r, o, ip, strlen(ip), &d, cb, arg);
	free(asn);
	return rc;
}

/* OpenPhish: one URL per line. */
static int url_line(reader_t *r, const ingest_opts_t *o, feed_t *fd, char *s, ingest_cb cb,
		    void *arg)
{
	ingest_rec_t d = ingest_defaults(o);
	ingest_opts_t oo = *o;
	d.raw = fd->raw;
	if (!o->classification)
		d.classification = "fraud/phishing";
	oo.type = OBS_URL;
	s += strspn(s, " \t");
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return ingest_emit(r, &oo, s, n, &d, cb, arg);
}

/* MISP freetext: every token that is an observable is one; the rest of the
 * text is prose and is not an error. */
static int freetext_line(reader_t *r, const ingest_opts_t *o, feed_t *fd, char *s,
			 ingest_cb cb, void *arg)
{
	obs_t *ob = malloc(sizeof *ob);
	int rc = 0;
	if (!ob)
		return r->fatal = 1, ingest_fail(r, r->line, "out of memory");
	ingest_rec_t d = ingest_defaults(o);
	d.raw = fd->raw;
	while (*s && !rc) {
		s += strspn(s, " \t,;|\"'<>()");
		size_t n = strcspn(s, " \t,;|\"'<>()");
		if (!n)
			break;
		char save = s[n];
		size_t m = obs_refang(s, n, s);
		while (m && strchr(".:!?", s[m - 1]))
			m--; /* sentence punctuation */
		if (m > 3 && (memchr(s, '.', m) || memchr(s, ':', m))) {
			if (obs_parse(s, m, OBS_NONE, ob, NULL, 0) == 0)
				rc = ingest_emit(r, o, s, m, &d, cb, arg);
		}
		s[n] = save;
		s += n;
	}
	free(ob);
	return rc;
}

/* Lines starting with '#': abuse.ch's header line among them — the first
 * comment whose comma-separated words include a name of the value column
 * (other comments, commas or not, are prose). */
static int comment(reader_t *r, feed_t *fd, char *line)
{
	if (!fd->l || !fd->l->header_in_comment || fd->ncols)
		return 0;
	char *h = line + strspn(line, "#; \t");
	if (!strchr(h, ','))
		return 0;
	char copy[FEED_LINE_MAX], *f[FEED_COLS];
	snprintf(copy, sizeof copy, "%s", h);
	fd->delim = ',';
	int n = split(fd, copy, f), named = 0;
	for (int i = 0; i < n && !named; i++) {
		char *w = f[i];
		ingest_csv_trim(&w);
		for (const char *const *vn = fd->l->roles[R_VALUE]; *vn && !named; vn++)
			named = !strcasecmp(w, *vn);
	}
	if (!named)
		return 0;
	n = split(fd, h, f);
	return feed_header(r, fd, f, n);
}

static int keep_raw(reader_t *r, feed_t *fd)
{
	size_t n = strlen(r->buf) + 1;
	if (n > fd->rawcap) {
		char *b = realloc(fd->raw, n);
		if (!b)
			return r->fatal = 1, ingest_fail(r, r->line, "out of memory");
		fd->raw = b;
		fd->rawcap = n;
	}
	memcpy(fd->raw, r->buf, n);
	return 0;
}

/* MISP CSV feed: no header; the value is column o->column (1-based, default 1). */
static int misp_csv_header(reader_t *r, const ingest_opts_t *o, feed_t *fd)
{
	long c = 1;
	if (o->column) {
		char *end;
		c = strtol(o->column, &end, 10);
		if (*end || c < 1 || c > FEED_COLS)
			return r->fatal = 1,
			       ingest_fail(r, 0, "misp-csv: the value column must be a number from 1");
	}
	for (int k = 0; k < R_NROLES; k++)
		fd->col[k] = -1;
	fd->col[R_VALUE] = (int)c - 1;
	fd->ncols = (int)c;
	fd->delim = ',';
	return 0;
}

int ingest_feed_read(reader_t *r, const ingest_opts_t *o, ingest_format_t fmt, ingest_cb cb,
		     void *arg)
{
	feed_t fd = {.l = layout_of(fmt)};
	int rc = 0;
	long n;

	if (fmt == INGEST_MISP_CSV && misp_csv_header(r, o, &fd))
		return -1;
	for (;;) {
		n = fd.l ? ingest_csv_record(r) : ingest_line(r, 0, FEED_LINE_MAX);
		if (n == -1)
			break;
		if (n < 0) {
			rc = -1;
			break;
		}
		char *s = r->buf + strspn(r->buf, " \t");
		if (*s == '#' || (*s == ';' && (fmt == INGEST_DROP || fmt == INGEST_SPAMHAUS_CERT))) {
			if ((rc = comment(r, &fd, s)))
				break;
			continue;
		}
		if (!*s)
			continue;
		if ((rc = keep_raw(r, &fd)))
			break;
		if (fd.l && !fd.ncols) {
			char *f[FEED_COLS];
			fd.delim = pick_delim(s);
			int k = split(&fd, s, f);
			if (k < 1) {
				rc = ingest_fail(r, r->line, "bad CSV header");
				break;
			}
			if ((rc = feed_header(r, &fd, f, k)))
				break;
			continue;
		}
		switch (fmt) {
		case INGEST_DROP: rc = drop_line(r, o, &fd, s, cb, arg); break;
		case INGEST_OPENPHISH: rc = url_line(r, o, &fd, s, cb, arg); break;
		case INGEST_MISP_FREETEXT: rc = freetext_line(r, o, &fd, s, cb, arg); break;
		case INGEST_DSHIELD: rc = dshield_line(r, o, &fd, s, cb, arg); break;
		case INGEST_DATAPLANE: rc = dataplane_line(r, o, &fd, s, cb, arg); break;
		default: rc = feed_row(r, o, &fd, s, cb, arg); break;
		}
		if (rc && !(rc = ingest_bad(r, o)))
			continue;
		if (rc)
			break;
	}
	free(fd.raw);
	return rc;
}
