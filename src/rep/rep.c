/* rep.c — the scoring model and the score (see rep.h). */
#include "rep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

extern const char data_reputation_conf[]; /* data/reputation.conf, built in */

/* A small open-addressed map from strings to a decay, a code or a trust. */
typedef struct {
	char *key;
	rep_decay_t d;
	int v;
	int file; /* set by a reputation file (kept by rep_trust_clear) */
} ent_t;

typedef struct {
	ent_t *e;
	uint32_t mask, n;
} map_t;

typedef struct {
	int64_t org;
	int v;
} org_trust_t;

struct rep_model {
	map_t decay, code, trust;
	rep_decay_t decay_default;
	int code_default, trust_default, trust_default_file;
	org_trust_t *orgs; /* sorted by org */
	size_t norgs;
};

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static ent_t *map_find(const map_t *m, const char *k, size_t n)
{
	if (!m->e)
		return NULL;
	for (uint32_t i = hash(k, n) & m->mask;; i = (i + 1) & m->mask) {
		ent_t *e = &m->e[i];
		if (!e->key)
			return NULL;
		if (strlen(e->key) == n && memcmp(e->key, k, n) == 0)
			return e;
	}
}

/* The entry for k, created empty when missing; NULL on out of memory. */
static ent_t *map_put(map_t *m, const char *k)
{
	ent_t *e = map_find(m, k, strlen(k));
	if (e)
		return e;
	if (!m->e || (m->n + 1) * 2 > m->mask + 1) {
		uint32_t cap = m->e ? (m->mask + 1) * 2 : 32;
		ent_t *ne = calloc(cap, sizeof *ne);
		if (!ne)
			return NULL;
		for (uint32_t i = 0; m->e && i <= m->mask; i++) {
			if (!m->e[i].key)
				continue;
			uint32_t j = hash(m->e[i].key, strlen(m->e[i].key)) & (cap - 1);
			while (ne[j].key)
				j = (j + 1) & (cap - 1);
			ne[j] = m->e[i];
		}
		free(m->e);
		m->e = ne;
		m->mask = cap - 1;
	}
	char *c = strdup(k);
	if (!c)
		return NULL;
	uint32_t i = hash(k, strlen(k)) & m->mask;
	while (m->e[i].key)
		i = (i + 1) & m->mask;
	m->e[i] = (ent_t){.key = c};
	m->n++;
	return &m->e[i];
}

/* Remove k (rebuilding the probe chain behind it). */
static void map_del(map_t *m, const char *k)
{
	ent_t *e = map_find(m, k, strlen(k));
	if (!e)
		return;
	free(e->key);
	e->key = NULL;
	m->n--;
	for (uint32_t i = ((uint32_t)(e - m->e) + 1) & m->mask; m->e[i].key; i = (i + 1) & m->mask) {
		ent_t t = m->e[i];
		m->e[i].key = NULL;
		uint32_t j = hash(t.key, strlen(t.key)) & m->mask;
		while (m->e[j].key)
			j = (j + 1) & m->mask;
		m->e[j] = t;
	}
}

static void map_free(map_t *m)
{
	for (uint32_t i = 0; m->e && i <= m->mask; i++)
		free(m->e[i].key);
	free(m->e);
	memset(m, 0, sizeof *m);
}

/* ---- times ---- */

uint32_t rep_minutes(int64_t t)
{
	if (t <= REP_EPOCH)
		return t <= 0 ? 0 : 1;
	int64_t m = (t - REP_EPOCH) / 60 + 1;
	return m > REP_MINUTES_MAX ? REP_MINUTES_MAX : (uint32_t)m;
}

uint32_t rep_minutes_up(int64_t t)
{
	if (t <= 0)
		return 0;
	if (t <= REP_EPOCH)
		return 1;
	int64_t m = (t - REP_EPOCH + 59) / 60 + 1;
	return m > REP_MINUTES_MAX ? REP_MINUTES_MAX : (uint32_t)m;
}

int64_t rep_seconds(uint32_t m)
{
	return m ? REP_EPOCH + ((int64_t)m - 1) * 60 : 0;
}

/* ---- the model ---- */

rep_model_t *rep_model_new(char *err, size_t errlen)
{
	rep_model_t *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->decay_default = (rep_decay_t){.lifetime = 30 * 24 * 60, .speed = 1};
	m->code_default = 2;
	m->trust_default = m->trust_default_file = 100;
	if (rep_model_parse(m, data_reputation_conf, "data/reputation.conf (built in)", err, errlen)) {
		rep_model_free(m);
		return NULL;
	}
	return m;
}

void rep_model_free(rep_model_t *m)
{
	if (!m)
		return;
	map_free(&m->decay);
	map_free(&m->code);
	map_free(&m->trust);
	free(m->orgs);
	free(m);
}

/* "30d", "12h", "90m", "0" (never decays) -> minutes. */
static int parse_duration(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || v < 0)
		return -1;
	long mul = *end == 'd' ? 1440 : *end == 'h' ? 60 : *end == 'm' ? 1 : *end ? -1 : v == 0 ? 1 : -1;
	if (mul < 0 || (*end && end[1]) || v > 3650L * 1440 / mul)
		return -1;
	*out = (uint32_t)(v * mul);
	return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* One line, split into words; "" when all is well, else the reason. */
static const char *apply_line(rep_model_t *m, char **w, int n)
{
	if (!strcmp(w[0], "decay")) {
		rep_decay_t d;
		char *end;
		if (n != 4)
			return "decay CLASSIFICATION LIFETIME SPEED (e.g. decay fraud/phishing 7d 1)";
		if (parse_duration(w[2], &d.lifetime))
			return "lifetime must be a whole number of days, hours or minutes: 7d, 12h, 90m, or 0";
		errno = 0;
		d.speed = strtod(w[3], &end);
		if (errno || *end || !(d.speed >= 0.05 && d.speed <= 20))
			return "speed must be a number from 0.05 to 20";
		if (!strcmp(w[1], "default")) {
			m->decay_default = d;
			return "";
		}
		ent_t *e = map_put(&m->decay, w[1]);
		if (!e)
			return "out of memory";
		e->d = d;
		return "";
	}
	if (!strcmp(w[0], "code")) {
		int v;
		if (n != 3)
			return "code CLASSIFICATION N (answer 127.0.0.N, N from 2 to 254)";
		if (parse_int(w[2], 2, 254, &v))
			return "the code must be a whole number from 2 to 254";
		if (!strcmp(w[1], "default")) {
			m->code_default = v;
			return "";
		}
		ent_t *e = map_put(&m->code, w[1]);
		if (!e)
			return "out of memory";
		e->v = v;
		return "";
	}
	if (!strcmp(w[0], "trust")) {
		int v;
		if (!(n == 3 && !strcmp(w[1], "default")) && !(n == 4 && !strcmp(w[1], "source")))
			return "trust default N, or trust source NAME N (N from 0 to 100)";
		if (parse_int(w[n - 1], 0, 100, &v))
			return "trust must be a whole number from 0 to 100";
		if (n == 3) {
			m->trust_default = m->trust_default_file = v;
			return "";
		}
		ent_t *e = map_put(&m->trust, w[2]);
		if (!e)
			return "out of memory";
		e->v = v;
		e->file = 1;
		return "";
	}
	return "unknown directive; expected decay, code or trust";
}

/* Apply every line of text to m; at the first bad one, "name:line: reason". */
static int apply_text(rep_model_t *m, const char *text, const char *name, char *err, size_t errlen)
{
	char line[512];
	int lineno = 0;
	/* a UTF-8 byte-order mark is skipped */
	for (const char *p = text + (strncmp(text, "\xEF\xBB\xBF", 3) ? 0 : 3); *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *w[8], *save = NULL;
		int n = 0;
		lineno++;
		if (len >= sizeof line) {
			snprintf(err, errlen, "%s:%d: line too long", name, lineno);
			return -1;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl != NULL);
		line[strcspn(line, "#")] = '\0';
		for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
			if (n == 8) {
				snprintf(err, errlen, "%s:%d: too many words", name, lineno);
				return -1;
			}
			w[n++] = t;
		}
		const char *why = n ? apply_line(m, w, n) : "";
		if (*why) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
			return -1;
		}
	}
	return 0;
}

int rep_model_parse(rep_model_t *m, const char *text, const char *name, char *err, size_t errlen)
{
	/* all or nothing: check the whole text on a scratch model, then apply */
	rep_model_t scratch = {.decay_default = m->decay_default};
	int rc = apply_text(&scratch, text, name, err, errlen);
	map_free(&scratch.decay);
	map_free(&scratch.code);
	map_free(&scratch.trust);
	return rc ? -1 : apply_text(m, text, name, err, errlen);
}

int rep_model_load(rep_model_t *m, const char *path, char *err, size_t errlen)
{
	char *buf = util_read_text(path, 1u << 20, err, errlen);
	int rc = buf ? rep_model_parse(m, buf, path, err, errlen) : -1;
	free(buf);
	return rc;
}

/* ---- trust ---- */

int rep_trust_set_default(rep_model_t *m, int v)
{
	if (v > 100)
		return -1;
	m->trust_default = v < 0 ? m->trust_default_file : v;
	return 0;
}

int rep_trust_set_source(rep_model_t *m, const char *source, int v)
{
	if (v > 100)
		return -1;
	if (v < 0) {
		map_del(&m->trust, source);
		return 0;
	}
	ent_t *e = map_put(&m->trust, source);
	if (!e)
		return -1;
	e->v = v;
	e->file = 0;
	return 0;
}

static org_trust_t *org_find(const rep_model_t *m, int64_t org, size_t *pos)
{
	size_t lo = 0, hi = m->norgs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->orgs[mid].org < org)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos)
		*pos = lo;
	return lo < m->norgs && m->orgs[lo].org == org ? &m->orgs[lo] : NULL;
}

int rep_trust_set_org(rep_model_t *m, int64_t org, int v)
{
	size_t pos;
	org_trust_t *t = org_find(m, org, &pos);
	if (v > 100)
		return -1;
	if (t && v < 0) {
		memmove(t, t + 1, (m->norgs - pos - 1) * sizeof *t);
		m->norgs--;
	} else if (t) {
		t->v = v;
	} else if (v >= 0) {
		org_trust_t *n = realloc(m->orgs, (m->norgs + 1) * sizeof *n);
		if (!n)
			return -1;
		m->orgs = n;
		memmove(n + pos + 1, n + pos, (m->norgs - pos) * sizeof *n);
		n[pos] = (org_trust_t){org, v};
		m->norgs++;
	}
	return 0;
}

void rep_trust_clear(rep_model_t *m)
{
	m->trust_default = m->trust_default_file;
	free(m->orgs);
	m->orgs = NULL;
	m->norgs = 0;
	map_t old = m->trust;
	memset(&m->trust, 0, sizeof m->trust);
	for (uint32_t i = 0; old.e && i <= old.mask; i++) {
		ent_t *e = old.e[i].key && old.e[i].file ? map_put(&m->trust, old.e[i].key) : NULL;
		if (e)
			*e = (ent_t){.key = e->key, .v = old.e[i].v, .file = 1};
	}
	map_free(&old);
}

static uint64_t fp_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 29);
}

uint64_t rep_trust_fingerprint(const rep_model_t *m)
{
	uint64_t h = fp_mix(0x5245505452555354ull, (uint64_t)(int64_t)m->trust_default);
	for (uint32_t i = 0; m->trust.e && i <= m->trust.mask; i++) {
		const ent_t *e = &m->trust.e[i];
		if (!e->key)
			continue;
		for (const char *c = e->key; *c; c++)
			h = fp_mix(h, (uint8_t)*c);
		h = fp_mix(fp_mix(h, 0x100), (uint64_t)(int64_t)e->v);
	}
	for (size_t i = 0; i < m->norgs; i++)
		h = fp_mix(fp_mix(h, (uint64_t)m->orgs[i].org), (uint64_t)(int64_t)m->orgs[i].v);
	return h;
}

int rep_trust(const rep_model_t *m, const char *source, int64_t org)
{
	const ent_t *e = source ? map_find(&m->trust, source, strlen(source)) : NULL;
	if (e)
		return e->v;
	const org_trust_t *t = org_find(m, org, NULL);
	return t ? t->v : m->trust_default;
}

/* ---- classification look-ups ---- */

/* The entry for "class/type", else for "class". */
static const ent_t *by_class(const map_t *m, const char *cls)
{
	size_t n = strlen(cls);
	const ent_t *e = map_find(m, cls, n);
	const char *slash = memchr(cls, '/', n);
	if (!e && slash)
		e = map_find(m, cls, (size_t)(slash - cls));
	return e;
}

const rep_decay_t *rep_decay(const rep_model_t *m, const char *cls)
{
	const ent_t *e = cls ? by_class(&m->decay, cls) : NULL;
	return e ? &e->d : &m->decay_default;
}

int rep_code(const rep_model_t *m, const char *cls)
{
	const ent_t *e = cls ? by_class(&m->code, cls) : NULL;
	return e ? e->v : m->code_default;
}

/* ---- the score ---- */

const char *rep_state_name(rep_state_t s)
{
	static const char *const names[] = {"active", "decayed", "expired", "false-positive",
					    "false-positive-expired"};
	return (unsigned)s < 5 ? names[s] : "?";
}

/* 1 - (age / lifetime)^(1 / speed), floored at 0. */
static double decay_factor(const rep_decay_t *d, uint32_t age)
{
	if (d->lifetime == 0)
		return 1;
	if (age >= d->lifetime)
		return 0;
	double x = (double)age / d->lifetime;
	double p = d->speed == 1 ? x : d->speed == 2 ? sqrt(x) : pow(x, 1 / d->speed);
	return p >= 1 ? 0 : 1 - p;
}

void rep_score(const rep_model_t *m, const rep_report_t *r, size_t n, uint32_t now,
	       rep_result_t *res, rep_why_t *why)
{
	double keep = 1, fp_keep = 1, best = 0;
	*res = (rep_result_t){.best = -1};
	for (size_t i = 0; i < n; i++) {
		rep_why_t w = {.age = now > r[i].seen ? now - r[i].seen : 0, .decay = 1};
		int expired = r[i].until && now >= r[i].until;
		double strength = (double)r[i].conf * r[i].trust / 100;
		if (r[i].cls && !strcmp(r[i].cls, REP_FALSE_POSITIVE)) {
			w.state = expired ? REP_FP_EXPIRED : REP_FP;
			if (!expired) {
				w.weight = strength;
				fp_keep *= 1 - strength / 100;
				res->fps++;
			}
		} else {
			w.d = *rep_decay(m, r[i].cls);
			w.decay = expired ? 0 : decay_factor(&w.d, w.age);
			w.state = expired ? REP_EXPIRED : w.decay > 0 ? REP_ACTIVE : REP_DECAYED;
			w.weight = strength * w.decay;
			if (w.weight > 0) {
				keep *= 1 - w.weight / 100;
				res->reporters++;
				if (w.weight > best) {
					best = w.weight;
					res->best = (int)i;
				}
			}
		}
		if (why)
			why[i] = w;
	}
	double s = 100 * (1 - keep) * fp_keep;
	res->score = s <= 0 ? 0 : s >= 100 ? 100 : (int)lround(s);
}

int rep_listed(const rep_result_t *res, int min_score, const char *wlist)
{
	return !wlist && res->score > 0 && res->score >= min_score && res->best >= 0;
}
