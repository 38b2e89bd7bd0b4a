/* case.c — incident cases: references, opening, the rules of every change
 * (visibility, version, lifecycle), the timeline and audit record each
 * change writes, links, affected constituents, merging and escalation.
 * See case.h. */
#include <ctype.h>
#include <jansson.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "case.h"
#include "cons/cons.h"
#include "core/util.h"
#include "hub/hub.h"
#include "sla/sla.h"

#define CASE_AFFECTED_MAX 16

static int64_t case_now(const case_actor_t *a)
{
	return a && a->now ? a->now : sla_now(); /* the hub's clock (tests set it) */
}

static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

static int store_fail(store_t *st, char *err, size_t errlen)
{
	return fail(err, errlen, CASE_ERR, "store: %s", store_errmsg(st));
}

case_actor_t case_actor_cli(char *buf, size_t n)
{
	case_actor_t a = {0};
	a.actor = audit_cli_actor(buf, n);
	a.addr = "local";
	a.hub = 1;
	a.view = TLP_VIEW_ALL;
	return a;
}

/* ---- references ---- */

int case_prefix_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	if (n < 1 || n > 16 || !isupper((unsigned char)p[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isupper((unsigned char)p[i]) && !isdigit((unsigned char)p[i]) && p[i] != '-')
			return 0;
	return 1;
}

const char *case_prefix(store_t *st, char *buf, size_t n)
{
	if (store_setting_get(st, "case_prefix", buf, n) || !case_prefix_ok(buf))
		snprintf(buf, n, "CIRT");
	return buf;
}

const char *case_ref_format(const char *prefix, int year, int64_t number, char *buf, size_t n)
{
	snprintf(buf, n, "%s-%04d-%05lld", prefix, year, (long long)number);
	return buf;
}

int case_ref_scan(store_t *st, const char *text, char *ref, size_t n)
{
	char pre[32];
	case_prefix(st, pre, sizeof pre);
	size_t pl = strlen(pre);
	for (const char *p = text; p && (p = strcasestr(p, pre)); p++) {
		if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
			continue;
		const char *q = p + pl;
		if (*q != '-' || !isdigit((unsigned char)q[1]) || !isdigit((unsigned char)q[2]) ||
		    !isdigit((unsigned char)q[3]) || !isdigit((unsigned char)q[4]) || q[5] != '-')
			continue;
		const char *d = q + 6;
		size_t nd = 0;
		while (isdigit((unsigned char)d[nd]) && nd < 12)
			nd++;
		if (nd < 5 || isalnum((unsigned char)d[nd]))
			continue;
		snprintf(ref, n, "%s%.*s", pre, (int)(d + nd - q), q);
		return 1;
	}
	return 0;
}

/* ---- checks of what comes from outside ---- */

static int text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max || !util_utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

static int line_ok(const char *s, size_t max)
{
	if (!*s || !text_ok(s, max))
		return 0;
	return !strpbrk(s, "\r\n\t");
}

static const char *const severities[] = {"low", "medium", "high", "critical", NULL};

static int severity_ok(const char *s)
{
	for (int i = 0; severities[i]; i++)
		if (!strcmp(s, severities[i]))
			return 1;
	return 0;
}

/* Is s only white space (ASCII, and Unicode's: no-break, the
 * U+2000..U+200B spaces, narrow no-break, medium mathematical, ideographic,
 * the byte order mark)? */
static int blank(const char *s)
{
	static const char *const spaces[] = {"\xc2\xa0", "\xe2\x80\xaf", "\xe2\x81\x9f",
					     "\xe3\x80\x80", "\xef\xbb\xbf", NULL};
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0x80 && p[2] <= 0x8b) {
			p += 3;
			continue;
		}
		int k = 0;
		while (spaces[k] && strncmp((const char *)p, spaces[k], strlen(spaces[k])))
			k++;
		if (!spaces[k])
			return 0;
		p += strlen(spaces[k]);
	}
	return 1;
}

/* The one check of a case's title (opening, editing: API, CLI, console
 * and intake alike). */
static int check_title(const char *t, char *err, size_t errlen)
{
	if (!t || !line_ok(t, CASE_TITLE_MAX))
		return fail(err, errlen, CASE_EINVAL, "title: give 1 to %d bytes of text on one line",
			    CASE_TITLE_MAX);
	if (blank(t))
		return fail(err, errlen, CASE_EINVAL, "title: give some text, not only spaces");
	return 0;
}

static int check_class(const char *c, char *err, size_t errlen)
{
	if (rsit_check(c) || !strcmp(c, RSIT_FALSE_POSITIVE))
		return fail(err, errlen, CASE_EINVAL,
			    "classification: '%.64s' is not a class/type of the Reference Security "
			    "Incident Taxonomy", c);
	return 0;
}

static int check_sev(const char *s, char *err, size_t errlen)
{
	if (!severity_ok(s))
		return fail(err, errlen, CASE_EINVAL,
			    "severity: '%.32s' is not low, medium, high or critical", s);
	return 0;
}

static int check_team(const char *t, char *err, size_t errlen)
{
	if (*t && !line_ok(t, CASE_TEAM_MAX))
		return fail(err, errlen, CASE_EINVAL, "team: up to %d bytes of text on one line",
			    CASE_TEAM_MAX);
	return 0;
}

static int check_assignee(store_t *st, int64_t id, char *err, size_t errlen)
{
	if (!id)
		return 0;
	store_user_t u;
	int64_t hub = 0;
	tlp_t dt;
	if (store_user_get(st, NULL, id, &u) || u.disabled)
		return fail(err, errlen, CASE_EINVAL, "assignee: no such person (%lld)", (long long)id);
	if (!hub_read_settings(st, &hub, &dt) && u.org_id != hub)
		return fail(err, errlen, CASE_EINVAL, "assignee: %s is not of the hub's team", u.email);
	return 0;
}

/* ---- visibility ---- */

int case_visible(const case_actor_t *a, const store_case_t *c)
{
	if (!tlp_visible(&a->view, c->tlp, c->reporter_org, 0))
		return 0;
	return a->hub || (a->org_id != 0 && c->reporter_org == a->org_id);
}

int case_get(store_t *st, const case_actor_t *a, const char *ref, store_case_t *out)
{
	if (!ref || !*ref)
		return CASE_ENOTFOUND;
	int rc = store_case_get(st, ref, 0, out);
	if (rc == STORE_ENOTFOUND || (!rc && !case_visible(a, out)))
		return CASE_ENOTFOUND;
	return rc ? CASE_ERR : CASE_OK;
}

int case_list(store_t *st, const case_actor_t *a, store_case_filter_t *f, store_case_cb cb,
	      void *arg)
{
	f->view = a->view;
	if (!a->hub) {
		/* a constituent: its own cases (the SQL adds it unless view.all) */
		f->view.all = 0;
		if (!a->org_id)
			return CASE_OK;
	}
	return store_case_list(st, f, cb, arg) ? CASE_ERR : CASE_OK;
}

/* The one rule of links: the hub's team sees every link; anyone else (the
 * reporter, or whom the hub shares the case with) only the links of the
 * case's own reporter's cases — what it gave and what the hub put on them
 * — never those a merge carried from another reporter's case. */
int case_link_visible(const case_actor_t *a, const store_case_t *c, const store_case_link_t *l)
{
	return a->hub || l->origin_org == c->reporter_org;
}

typedef struct {
	const case_actor_t *a;
	const store_case_t *c;
	store_case_link_cb cb;
	void *arg;
} links_t;

static int links_cb(void *arg, const store_case_link_t *l)
{
	links_t *k = arg;
	return case_link_visible(k->a, k->c, l) ? k->cb(k->arg, l) : 0;
}

int case_links(store_t *st, const case_actor_t *a, const store_case_t *c, store_case_link_cb cb,
	       void *arg)
{
	links_t k = {a, c, cb, arg};
	return store_case_link_list(st, c->id, links_cb, &k) ? CASE_ERR : CASE_OK;
}

int case_timeline(store_t *st, const case_actor_t *a, const store_case_t *c,
		  store_case_entry_cb cb, void *arg)
{
	return store_case_entry_list(st, c->id, 0, !a->hub, cb, arg) ? CASE_ERR : CASE_OK;
}

int case_timeline_page(store_t *st, const case_actor_t *a, const store_case_t *c, int64_t before_id,
		       int limit, int64_t *older, store_case_entry_cb cb, void *arg)
{
	return store_case_entry_page(st, c->id, before_id, limit, !a->hub, older, cb, arg) ? CASE_ERR
											   : CASE_OK;
}

/* ---- timeline and audit of a change ---- */

static int record(store_t *st, const case_actor_t *a, const store_case_t *c, const char *kind,
		  int vis, const char *text, int64_t *entry_id, char *err, size_t errlen)
{
	store_case_entry_t e = {0};
	e.case_id = c->id;
	e.created = case_now(a);
	snprintf(e.kind, sizeof e.kind, "%s", kind);
	e.visibility = vis;
	snprintf(e.author, sizeof e.author, "%s", a->actor ? a->actor : "unknown");
	e.author_org = a->org_id;
	e.text = (char *)text;
	e.version = c->version;
	/* what the hub's team writes to the reporter is e-mailed by intake;
	 * the reporter's own words, and the hub's own reports, are not */
	if (vis == CASE_VIS_REPORTER && !a->hub)
		e.sent_at = e.created;
	if (store_case_entry_add(st, &e))
		return store_fail(st, err, errlen);
	if (entry_id)
		*entry_id = e.id;
	char action[48], detail[256];
	snprintf(action, sizeof action, "case.%s", kind);
	int words = !strcmp(kind, "comment") || !strcmp(kind, "reply") || !strcmp(kind, "report");
	if (words)
		snprintf(detail, sizeof detail, "%s, %zu bytes",
			 vis == CASE_VIS_REPORTER ? "to/from the reporter" : "internal note",
			 text ? strlen(text) : 0);
	else
		snprintf(detail, sizeof detail, "%.200s", text ? text : "");
	audit_entry_t ae = {.org_id = a->org_id, .actor = e.author, .addr = a->addr ? a->addr : "local",
			    .action = action, .object = c->ref, .detail = detail};
	if (audit_record(st, &ae))
		return store_fail(st, err, errlen);
	return 0;
}

/* What changed in c since version v, for a refused stale change. */
typedef struct {
	int64_t since;
	char *buf;
	size_t n, len;
} since_t;

static int since_cb(void *arg, const store_case_entry_t *e)
{
	since_t *s = arg;
	if (e->version <= s->since || s->len + 8 >= s->n)
		return 0;
	char when[MODEL_TIME_LEN];
	const char *text = e->visibility == CASE_VIS_INTERNAL && !strcmp(e->kind, "comment") ? "" : e->text;
	int k = snprintf(s->buf + s->len, s->n - s->len, "; %s%s%.80s by %s at %s (version %lld)",
			 e->kind, *text ? " " : "", text, e->author, model_time_fmt(e->created, when),
			 (long long)e->version);
	if (k > 0)
		s->len += (size_t)k < s->n - s->len ? (size_t)k : s->n - s->len - 1;
	return 0;
}

static int stale(store_t *st, const store_case_t *c, int64_t version, char *err, size_t errlen)
{
	int k = snprintf(err, errlen, "version %lld is now %lld", (long long)version,
			 (long long)c->version);
	since_t s = {version, err, errlen, k > 0 && (size_t)k < errlen ? (size_t)k : errlen - 1};
	store_case_entry_list(st, c->id, 0, 0, since_cb, &s);
	return CASE_ESTALE;
}

/* Load ref for a change by a: visible, the hub's team (unless reporter_ok),
 * at version (0: any). */
static int load(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
		int reporter_ok, store_case_t *c, char *err, size_t errlen)
{
	int rc = case_get(st, a, ref, c);
	if (rc == CASE_ENOTFOUND)
		return fail(err, errlen, rc, "case %.48s: not found", ref ? ref : "");
	if (rc)
		return store_fail(st, err, errlen);
	if (!a->hub && !reporter_ok)
		return fail(err, errlen, CASE_EFORBIDDEN, "case %s: only the hub's team may do this",
			    c->ref);
	if (version && version != c->version)
		return stale(st, c, version, err, errlen);
	return 0;
}

/* Write c back (its version moves on). */
static int save(store_t *st, const case_actor_t *a, store_case_t *c, char *err, size_t errlen)
{
	c->updated = case_now(a);
	int rc = store_case_update(st, c);
	if (rc == STORE_EEXISTS) {
		store_case_t cur;
		int64_t v = c->version;
		if (store_case_get(st, NULL, c->id, &cur))
			return store_fail(st, err, errlen);
		return stale(st, &cur, v, err, errlen);
	}
	return rc ? store_fail(st, err, errlen) : 0;
}

/* ---- links and affected constituents ---- */

typedef struct {
	cons_t *cons;
	int owned;
} cons_ref_t;

static cons_t *cons_get(store_t *st, cons_ref_t *r, struct cons *given, char *err, size_t errlen)
{
	if (given)
		return r->cons = given;
	if (!r->cons) {
		r->cons = cons_load(st, err, errlen);
		r->owned = r->cons != NULL;
	}
	return r->cons;
}

static void cons_put(cons_ref_t *r)
{
	if (r->owned)
		cons_free(r->cons);
}

/* Link observable o (its constituents affected); 1 when newly linked. */
static int link_obs(store_t *st, const case_actor_t *a, store_case_t *c, const obs_t *o,
		    cons_t *cons, char *err, size_t errlen)
{
	store_case_link_t l = {0};
	l.case_id = c->id;
	l.created = case_now(a);
	snprintf(l.kind, sizeof l.kind, "observable");
	l.obs_type = o->type;
	snprintf(l.target, sizeof l.target, "%s", o->value);
	int rc = store_case_link_add(st, &l);
	if (rc == STORE_EEXISTS)
		return 0;
	if (rc)
		return store_fail(st, err, errlen);
	if (cons) {
		cons_owner_t own[CASE_AFFECTED_MAX];
		size_t n = cons_who(cons, o, own, CASE_AFFECTED_MAX);
		obs_t host;
		/* a URL's or an address's host answers too (as the feed pipeline asks) */
		const char *h = o->type == OBS_URL || o->type == OBS_EMAIL ? strstr(o->value, "://") : NULL;
		if (o->type == OBS_EMAIL)
			h = strchr(o->value, '@');
		if (h) {
			h += o->type == OBS_URL ? 3 : 1;
			size_t hl = strcspn(h, "/:?#");
			if (*h == '[') /* [IPv6]:port */
				h++, hl = strcspn(h, "]");
			char why[64];
			if (!obs_parse(h, hl, OBS_NONE, &host, why, sizeof why))
				n += cons_who(cons, &host, own + n, CASE_AFFECTED_MAX - n);
		}
		for (size_t i = 0; i < n; i++)
			if (store_case_affected_add(st, c->id, own[i].org_id, 0))
				return store_fail(st, err, errlen);
	}
	return 1;
}

static int link_plain(store_t *st, const case_actor_t *a, store_case_t *c, const char *kind,
		      const char *target, char *err, size_t errlen)
{
	store_case_link_t l = {0};
	l.case_id = c->id;
	l.created = case_now(a);
	snprintf(l.kind, sizeof l.kind, "%s", kind);
	snprintf(l.target, sizeof l.target, "%s", target);
	int rc = store_case_link_add(st, &l);
	if (rc == STORE_EEXISTS)
		return 0;
	return rc ? store_fail(st, err, errlen) : 1;
}

static int evidence_exists(store_t *st, int64_t id)
{
	store_evidence_t ev;
	void *data = NULL;
	int rc = store_evidence_get(st, id, &ev, &data);
	free(data);
	return rc == STORE_OK;
}

/* ---- opening ---- */

int case_open(store_t *st, const case_actor_t *a, const case_new_t *n, store_case_t *out,
	      char *err, size_t errlen)
{
	store_case_t c = {0};
	cons_ref_t cr = {0};
	int rc;
	char pre[32], buf[256];
	org_t org;

	if ((rc = check_title(n->title, err, errlen)))
		return rc;
	if (n->body && !text_ok(n->body, CASE_TEXT_MAX))
		return fail(err, errlen, CASE_EINVAL, "body: up to %d bytes of UTF-8 text", CASE_TEXT_MAX);
	const char *cls = n->classification && *n->classification ? n->classification : RSIT_DEFAULT;
	if ((rc = check_class(cls, err, errlen)))
		return rc;
	const char *sev = n->severity && *n->severity ? n->severity : "medium";
	if ((rc = check_sev(sev, err, errlen)))
		return rc;
	if (n->tlp < -1 || n->tlp >= TLP_NLEVELS)
		return fail(err, errlen, CASE_EINVAL, "tlp: unknown level");
	if (n->team && (rc = check_team(n->team, err, errlen)))
		return rc;
	if (!n->reporter_org || store_org_get(st, n->reporter_org, &org))
		return fail(err, errlen, CASE_EINVAL, "reporter: no such organisation");
	if (!a->hub && n->reporter_org != a->org_id)
		return fail(err, errlen, CASE_EFORBIDDEN, "reporter: a constituent reports for itself");
	if (!a->hub && n->assignee)
		return fail(err, errlen, CASE_EFORBIDDEN, "assignee: set by the hub's team");
	/* whoever opens a case can read it (a peer never sees RED) */
	tlp_t want = n->tlp < 0 ? TLP_AMBER : (tlp_t)n->tlp;
	if (!tlp_visible(&a->view, want, n->reporter_org, 0))
		return fail(err, errlen, CASE_EINVAL, "tlp: you could not read a case at TLP:%s",
			    tlp_name(want));
	if ((rc = check_assignee(st, n->assignee, err, errlen)))
		return rc;
	if (n->nobservables > 1000)
		return fail(err, errlen, CASE_EINVAL, "observables: at most 1000");
	obs_t *obs = n->nobservables ? calloc(n->nobservables, sizeof *obs) : NULL;
	size_t nobs = 0;
	if (n->nobservables && !obs)
		return fail(err, errlen, CASE_ERR, "out of memory");
	for (size_t i = 0; i < n->nobservables; i++) {
		const char *v = n->observables[i] ? n->observables[i] : "";
		char why[160];
		if (obs_parse_pasted(v, strlen(v), OBS_NONE, &obs[nobs], NULL, why, sizeof why)) {
			if (n->lenient)
				continue;
			free(obs);
			return fail(err, errlen, CASE_EINVAL, "observables[%zu]: %s", i, why);
		}
		nobs++;
	}
	for (size_t i = 0; i < n->nevidence; i++)
		if (!evidence_exists(st, n->evidence[i])) {
			free(obs);
			return fail(err, errlen, CASE_EINVAL, "evidence[%zu]: no evidence %lld", i,
				    (long long)n->evidence[i]);
		}

	case_lifecycle_t *lc = case_lifecycle_load(st, err, errlen);
	if (!lc) {
		free(obs);
		return CASE_ERR;
	}
	int64_t now = case_now(a), num;
	struct tm tm;
	time_t tt = (time_t)now;
	gmtime_r(&tt, &tm);
	if (store_case_next_number(st, tm.tm_year + 1900, &num)) {
		rc = store_fail(st, err, errlen);
		goto done;
	}
	case_ref_format(case_prefix(st, pre, sizeof pre), tm.tm_year + 1900, num, c.ref, sizeof c.ref);
	snprintf(c.title, sizeof c.title, "%s", n->title);
	snprintf(c.classification, sizeof c.classification, "%s", cls);
	snprintf(c.severity, sizeof c.severity, "%s", sev);
	c.tlp = n->tlp < 0 ? TLP_AMBER : (tlp_t)n->tlp;
	c.reporter_org = n->reporter_org;
	c.assignee = n->assignee;
	snprintf(c.team, sizeof c.team, "%s", n->team ? n->team : "");
	snprintf(c.status, sizeof c.status, "%s", case_lifecycle_initial(lc));
	snprintf(c.source, sizeof c.source, "%s", n->source ? n->source : "api");
	c.created = c.updated = now;
	if (store_case_add(st, &c)) {
		rc = store_fail(st, err, errlen);
		goto done;
	}
	snprintf(buf, sizeof buf, "%s reported by %s (%s)", c.ref, org.name, c.source);
	if ((rc = record(st, a, &c, "open", CASE_VIS_INTERNAL, buf, NULL, err, errlen)))
		goto done;
	if (n->body && *n->body) {
		/* the report is the reporter's own words: visible to it */
		case_actor_t ra = *a;
		ra.hub = 0; /* never e-mailed back to the reporter */
		if ((rc = record(st, &ra, &c, "report", CASE_VIS_REPORTER, n->body, NULL, err, errlen)))
			goto done;
	}
	if (nobs) {
		cons_t *cons = cons_get(st, &cr, n->cons, err, errlen);
		if (!cons) {
			rc = CASE_ERR;
			goto done;
		}
		for (size_t i = 0; i < nobs; i++)
			if ((rc = link_obs(st, a, &c, &obs[i], cons, err, errlen)) < 0)
				goto done;
	}
	for (size_t i = 0; i < n->nevidence; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)n->evidence[i]);
		if ((rc = link_plain(st, a, &c, "evidence", id, err, errlen)) < 0)
			goto done;
	}
	rc = 0;
	if (out)
		*out = c;
done:
	cons_put(&cr);
	case_lifecycle_free(lc);
	free(obs);
	return rc;
}

int case_reply(store_t *st, const case_actor_t *a, const char *ref, int64_t reporter_org,
	       const char *body, const int64_t *evidence, size_t nevidence, int64_t *entry_id,
	       char *err, size_t errlen)
{
	store_case_t c;
	int rc;
	if (!body || !*body || !text_ok(body, CASE_TEXT_MAX))
		return fail(err, errlen, CASE_EINVAL, "text: give 1 to %d bytes of UTF-8 text",
			    CASE_TEXT_MAX);
	if ((rc = store_case_get(st, ref, 0, &c)) == STORE_ENOTFOUND || (!rc && c.reporter_org != reporter_org))
		return fail(err, errlen, CASE_ENOTFOUND, "case %.48s: not found", ref);
	if (rc)
		return store_fail(st, err, errlen);
	for (size_t i = 0; i < nevidence; i++)
		if (!evidence_exists(st, evidence[i]))
			return fail(err, errlen, CASE_EINVAL, "evidence[%zu]: no evidence %lld", i,
				    (long long)evidence[i]);
	/* the reporter answered: its wait ends */
	if (c.waiting_since) {
		if (store_case_wait_end(st, c.id, case_now(a)))
			return store_fail(st, err, errlen);
		c.waiting_since = 0;
		c.waits_read = 0; /* the waits read with it are stale */
	}
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	case_actor_t ra = *a;
	ra.hub = 0; /* the reporter's words: not e-mailed back */
	if ((rc = record(st, &ra, &c, "reply", CASE_VIS_REPORTER, body, entry_id, err, errlen)))
		return rc;
	for (size_t i = 0; i < nevidence; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)evidence[i]);
		if ((rc = link_plain(st, a, &c, "evidence", id, err, errlen)) < 0)
			return rc;
	}
	return 0;
}

/* ---- changes ---- */

int case_edit(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
	      const case_edit_t *e, store_case_t *out, char *err, size_t errlen)
{
	store_case_t c;
	int rc;
	char what[512] = "";
	size_t k = 0;
	if ((rc = load(st, a, ref, version, 0, &c, err, errlen)))
		return rc;
#define SAY(...) do { int w_ = snprintf(what + k, sizeof what - k, __VA_ARGS__); \
		      if (w_ > 0) k = k + (size_t)w_ < sizeof what ? k + (size_t)w_ : sizeof what - 1; } while (0)
	if (e->title) {
		if ((rc = check_title(e->title, err, errlen)))
			return rc;
		if (strcmp(c.title, e->title)) {
			SAY("%stitle '%.60s'", k ? ", " : "", e->title);
			snprintf(c.title, sizeof c.title, "%s", e->title);
		}
	}
	if (e->classification) {
		if ((rc = check_class(e->classification, err, errlen)))
			return rc;
		if (strcmp(c.classification, e->classification)) {
			SAY("%sclassification %s -> %s", k ? ", " : "", c.classification, e->classification);
			snprintf(c.classification, sizeof c.classification, "%s", e->classification);
		}
	}
	if (e->severity) {
		if ((rc = check_sev(e->severity, err, errlen)))
			return rc;
		if (strcmp(c.severity, e->severity)) {
			SAY("%sseverity %s -> %s", k ? ", " : "", c.severity, e->severity);
			snprintf(c.severity, sizeof c.severity, "%s", e->severity);
		}
	}
	if (e->team) {
		if ((rc = check_team(e->team, err, errlen)))
			return rc;
		if (strcmp(c.team, e->team)) {
			SAY("%steam '%s'", k ? ", " : "", e->team);
			snprintf(c.team, sizeof c.team, "%s", e->team);
		}
	}
	if (e->tlp != -1) {
		if (e->tlp < 0 || e->tlp >= TLP_NLEVELS)
			return fail(err, errlen, CASE_EINVAL, "tlp: unknown level");
		if ((int)c.tlp != e->tlp) {
			SAY("%stlp %s -> %s", k ? ", " : "", tlp_name(c.tlp), tlp_name((tlp_t)e->tlp));
			c.tlp = (tlp_t)e->tlp;
		}
	}
	if (e->assignee != -1) {
		if ((rc = check_assignee(st, e->assignee, err, errlen)))
			return rc;
		if (c.assignee != e->assignee) {
			store_user_t u = {0};
			if (e->assignee)
				store_user_get(st, NULL, e->assignee, &u);
			SAY("%sassignee %s", k ? ", " : "", e->assignee ? u.email : "nobody");
			c.assignee = e->assignee;
		}
	}
#undef SAY
	if (!k) {
		if (out)
			*out = c;
		return 0; /* nothing changed: no new version */
	}
	if ((rc = save(st, a, &c, err, errlen)) ||
	    (rc = record(st, a, &c, e->assignee != -1 && !e->title && !e->classification &&
			 !e->severity && !e->team && e->tlp == -1 ? "assign" : "edit",
			 CASE_VIS_INTERNAL, what, NULL, err, errlen)))
		return rc;
	if (out)
		store_case_get(st, NULL, c.id, out);
	return 0;
}

static int set_status(store_t *st, const case_actor_t *a, store_case_t *c, const case_lifecycle_t *lc,
		      const char *state, const char *resolution, int64_t merged_into, char *err,
		      size_t errlen)
{
	char next[512], what[CASE_RESOLUTION_MAX + 128];
	if (!state || !case_lifecycle_has(lc, state))
		return fail(err, errlen, CASE_EINVAL, "status: '%.32s' is not a state of the lifecycle",
			    state ? state : "");
	if (!strcmp(state, "merged") && !merged_into) /* merged into nothing */
		return fail(err, errlen, CASE_EINVAL,
			    "status: only a merge into another case (merge) enters 'merged'");
	if (!case_lifecycle_allowed(lc, c->status, state))
		return fail(err, errlen, CASE_EINVAL, "status: %s -> %s is not allowed (from %s: %s)",
			    c->status, state, c->status, case_lifecycle_next(lc, c->status, next, sizeof next));
	if (resolution && !text_ok(resolution, CASE_RESOLUTION_MAX))
		return fail(err, errlen, CASE_EINVAL, "resolution: up to %d bytes of text",
			    CASE_RESOLUTION_MAX);
	if (case_lifecycle_resolution(lc, state) && (!resolution || !*resolution))
		return fail(err, errlen, CASE_EINVAL, "resolution: '%s' needs a resolution", state);
	int64_t now = case_now(a);
	snprintf(what, sizeof what, "%s -> %s%s%s", c->status, state, resolution && *resolution ? ": " : "",
		 resolution ? resolution : "");
	if (!strcmp(c->status, case_lifecycle_initial(lc)) && !c->acknowledged_at)
		c->acknowledged_at = now;
	if (case_lifecycle_final(lc, state)) {
		c->resolved_at = now;
		if (c->waiting_since) {
			if (store_case_wait_end(st, c->id, now))
				return store_fail(st, err, errlen);
			c->waiting_since = 0;
			c->waits_read = 0;
		}
	} else {
		c->resolved_at = 0;
	}
	snprintf(c->status, sizeof c->status, "%s", state);
	snprintf(c->resolution, sizeof c->resolution, "%s", resolution ? resolution : "");
	if (merged_into)
		c->merged_into = merged_into;
	int rc = save(st, a, c, err, errlen);
	if (!rc)
		rc = record(st, a, c, "status", CASE_VIS_REPORTER, what, NULL, err, errlen);
	return rc;
}

int case_status(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
		const char *state, const char *resolution, store_case_t *out, char *err,
		size_t errlen)
{
	store_case_t c;
	int rc;
	if ((rc = load(st, a, ref, version, 0, &c, err, errlen)))
		return rc;
	case_lifecycle_t *lc = case_lifecycle_load(st, err, errlen);
	if (!lc)
		return CASE_ERR;
	rc = set_status(st, a, &c, lc, state, resolution, 0, err, errlen);
	case_lifecycle_free(lc);
	if (!rc && out)
		*out = c;
	return rc;
}

int case_comment(store_t *st, const case_actor_t *a, const char *ref, int64_t version,
		 int visibility, const char *text, int64_t *entry_id, char *err, size_t errlen)
{
	store_case_t c;
	int rc;
	if (!text || !*text || !text_ok(text, CASE_TEXT_MAX))
		return fail(err, errlen, CASE_EINVAL, "text: give 1 to %d bytes of UTF-8 text",
			    CASE_TEXT_MAX);
	if (visibility != CASE_VIS_INTERNAL && visibility != CASE_VIS_REPORTER)
		return fail(err, errlen, CASE_EINVAL, "visibility: internal or reporter");
	if ((rc = load(st, a, ref, version, 1, &c, err, errlen)))
		return rc;
	if (!a->hub) {
		if (visibility == CASE_VIS_INTERNAL)
			return fail(err, errlen, CASE_EFORBIDDEN,
				    "visibility: only the hub's team writes internal notes");
		return case_reply(st, a, ref, a->org_id, text, NULL, 0, entry_id, err, errlen);
	}
	if (visibility == CASE_VIS_REPORTER && !c.first_response_at)
		c.first_response_at = case_now(a);
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	return record(st, a, &c, "comment", visibility, text, entry_id, err, errlen);
}

int case_wait(store_t *st, const case_actor_t *a, const char *ref, int on, char *err, size_t errlen)
{
	store_case_t c;
	int rc;
	if ((rc = load(st, a, ref, 0, 0, &c, err, errlen)))
		return rc;
	if (!!on == !!c.waiting_since)
		return 0;
	int64_t now = case_now(a);
	if (on ? store_case_wait_begin(st, c.id, now) : store_case_wait_end(st, c.id, now))
		return store_fail(st, err, errlen);
	c.waiting_since = on ? now : 0;
	c.waits_read = 0;
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	return record(st, a, &c, "wait", CASE_VIS_INTERNAL,
		      on ? "waiting for the reporter" : "no longer waiting for the reporter", NULL, err,
		      errlen);
}

int case_task_add(store_t *st, const case_actor_t *a, const char *ref, const char *title,
		  int64_t assignee, int64_t due, store_case_task_t *out, char *err, size_t errlen)
{
	store_case_t c;
	int rc;
	if ((rc = load(st, a, ref, 0, 0, &c, err, errlen)))
		return rc;
	if (!title || !line_ok(title, CASE_TITLE_MAX))
		return fail(err, errlen, CASE_EINVAL, "title: give 1 to %d bytes of text on one line",
			    CASE_TITLE_MAX);
	if ((rc = check_assignee(st, assignee, err, errlen)))
		return rc;
	if (due < 0 || due > MODEL_TIME_MAX)
		return fail(err, errlen, CASE_EINVAL, "due: out of range");
	store_case_task_t t = {0};
	t.case_id = c.id;
	t.assignee = assignee;
	t.due = due;
	t.created = case_now(a);
	snprintf(t.title, sizeof t.title, "%s", title);
	if (store_case_task_add(st, &t))
		return store_fail(st, err, errlen);
	char what[300];
	snprintf(what, sizeof what, "task %lld: %s", (long long)t.id, title);
	if ((rc = save(st, a, &c, err, errlen)) ||
	    (rc = record(st, a, &c, "task", CASE_VIS_INTERNAL, what, NULL, err, errlen)))
		return rc;
	if (out)
		*out = t;
	return 0;
}

typedef struct {
	int64_t id;
	store_case_task_t t;
	int found;
} task_find_t;

static int task_find_cb(void *arg, const store_case_task_t *t)
{
	task_find_t *f = arg;
	if (t->id == f->id) {
		f->t = *t;
		f->found = 1;
		return 1;
	}
	return 0;
}

int case_task_done(store_t *st, const case_actor_t *a, const char *ref, int64_t task_id, int done,
		   char *err, size_t errlen)
{
	store_case_t c;
	int rc;
	if ((rc = load(st, a, ref, 0, 0, &c, err, errlen)))
		return rc;
	task_find_t f = {.id = task_id};
	if (store_case_task_list(st, c.id, task_find_cb, &f))
		return store_fail(st, err, errlen);
	if (!f.found)
		return fail(err, errlen, CASE_EINVAL, "task: %s has no task %lld", c.ref, (long long)task_id);
	f.t.done_at = done ? case_now(a) : 0;
	if (store_case_task_update(st, &f.t))
		return store_fail(st, err, errlen);
	char what[300];
	snprintf(what, sizeof what, "task %lld %s: %s", (long long)task_id, done ? "done" : "reopened",
		 f.t.title);
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	return record(st, a, &c, "task", CASE_VIS_INTERNAL, what, NULL, err, errlen);
}

static int event_find_cb(void *arg, const store_event_t *e)
{
	store_event_t *out = arg;
	if (e->id == out->id) {
		out->type = e->type;
		out->tlp = e->tlp;
		out->confidence = 1; /* found */
		out->observed = e->observed;
		return 1;
	}
	return 1;
}

static int event_exists(store_t *st, int64_t id)
{
	if (id <= 0)
		return 0;
	store_event_t e = {.id = id};
	store_event_filter_t f = {.after_id = id - 1, .limit = 1};
	return !store_event_list(st, &f, event_find_cb, &e) && e.confidence == 1;
}

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

int case_link(store_t *st, const case_actor_t *a, const char *ref, const char *kind,
	      const char *target, struct cons *cons, char *err, size_t errlen)
{
	store_case_t c;
	cons_ref_t cr = {0};
	int rc;
	char what[OBS_VALUE_MAX + 64];
	if ((rc = load(st, a, ref, 0, 0, &c, err, errlen)))
		return rc;
	if (!target || !*target)
		return fail(err, errlen, CASE_EINVAL, "target: empty");
	if (!kind)
		kind = "";
	if (!strcmp(kind, "observable")) {
		obs_t o;
		char why[160];
		if (obs_parse_pasted(target, strlen(target), OBS_NONE, &o, NULL, why, sizeof why))
			return fail(err, errlen, CASE_EINVAL, "target: %s", why);
		cons_t *cn = cons_get(st, &cr, cons, err, errlen);
		if (!cn)
			return CASE_ERR;
		rc = link_obs(st, a, &c, &o, cn, err, errlen);
		cons_put(&cr);
		if (rc <= 0)
			return rc;
		snprintf(what, sizeof what, "observable %s %s", obs_type_name(o.type), o.value);
	} else if (!strcmp(kind, "stix")) {
		if (strlen(target) > 200 || !strstr(target, "--") || !line_ok(target, 200))
			return fail(err, errlen, CASE_EINVAL, "target: a STIX id (TYPE--UUID)");
		if ((rc = link_plain(st, a, &c, kind, target, err, errlen)) <= 0)
			return rc;
		snprintf(what, sizeof what, "stix %s", target);
	} else if (!strcmp(kind, "event") || !strcmp(kind, "notice") || !strcmp(kind, "warning") ||
		   !strcmp(kind, "evidence")) {
		int64_t id;
		store_warning_t w;
		if (parse_id(target, &id))
			return fail(err, errlen, CASE_EINVAL, "target: a %s id (a positive number)", kind);
		int ok = !strcmp(kind, "warning")    ? !store_warning_get(st, id, &w)
			 : !strcmp(kind, "evidence") ? evidence_exists(st, id)
						     : event_exists(st, id);
		if (!ok)
			return fail(err, errlen, CASE_EINVAL, "target: no %s %lld", kind, (long long)id);
		if ((rc = link_plain(st, a, &c, kind, target, err, errlen)) <= 0)
			return rc;
		snprintf(what, sizeof what, "%s %s", kind, target);
	} else {
		return fail(err, errlen, CASE_EINVAL,
			    "kind: '%.32s' is not observable, event, notice, warning, stix or evidence", kind);
	}
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	return record(st, a, &c, "link", CASE_VIS_INTERNAL, what, NULL, err, errlen);
}

int case_affected(store_t *st, const case_actor_t *a, const char *ref, int64_t org_id, int add,
		  char *err, size_t errlen)
{
	store_case_t c;
	org_t o;
	int rc;
	if ((rc = load(st, a, ref, 0, 0, &c, err, errlen)))
		return rc;
	if (store_org_get(st, org_id, &o))
		return fail(err, errlen, CASE_EINVAL, "org: no such organisation");
	rc = add ? store_case_affected_add(st, c.id, org_id, 1) : store_case_affected_del(st, c.id, org_id);
	if (rc == STORE_ENOTFOUND)
		return fail(err, errlen, CASE_EINVAL, "org: %s is not affected by %s", o.name, c.ref);
	if (rc)
		return store_fail(st, err, errlen);
	char what[200];
	snprintf(what, sizeof what, "%s %s", add ? "affected:" : "not affected:", o.name);
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	return record(st, a, &c, "affected", CASE_VIS_INTERNAL, what, NULL, err, errlen);
}

/* ---- merging ---- */

typedef struct {
	store_t *st;
	const case_actor_t *a;
	store_case_t *into;
	int64_t origin; /* the merged case's reporter */
	char *err;
	size_t errlen;
	int rc;
} carry_t;

static int carry_link(void *arg, const store_case_link_t *l)
{
	carry_t *m = arg;
	store_case_link_t n = *l;
	n.case_id = m->into->id;
	n.created = case_now(m->a);
	if (!n.origin_org) /* it keeps where it came from */
		n.origin_org = m->origin;
	int rc = store_case_link_add(m->st, &n);
	if (rc && rc != STORE_EEXISTS) {
		m->rc = store_fail(m->st, m->err, m->errlen);
		return 1;
	}
	return 0;
}

static int carry_affected(void *arg, const store_case_affected_t *af)
{
	carry_t *m = arg;
	if (store_case_affected_add(m->st, m->into->id, af->org_id, af->manual)) {
		m->rc = store_fail(m->st, m->err, m->errlen);
		return 1;
	}
	return 0;
}

int case_merge(store_t *st, const case_actor_t *a, const char *dup, const char *into, char *err,
	       size_t errlen)
{
	store_case_t d, t;
	int rc;
	if ((rc = load(st, a, dup, 0, 0, &d, err, errlen)) || (rc = load(st, a, into, 0, 0, &t, err, errlen)))
		return rc;
	if (d.id == t.id)
		return fail(err, errlen, CASE_EINVAL, "into: a case cannot be merged into itself");
	case_lifecycle_t *lc = case_lifecycle_load(st, err, errlen);
	if (!lc)
		return CASE_ERR;
	if (case_lifecycle_final(lc, t.status)) {
		case_lifecycle_free(lc);
		return fail(err, errlen, CASE_EINVAL, "into: %s is %s", t.ref, t.status);
	}
	carry_t m = {st, a, &t, d.reporter_org, err, errlen, 0};
	if (store_case_link_list(st, d.id, carry_link, &m) || m.rc ||
	    store_case_affected_list(st, d.id, carry_affected, &m) || m.rc) {
		case_lifecycle_free(lc);
		return m.rc ? m.rc : store_fail(st, err, errlen);
	}
	char what[200];
	snprintf(what, sizeof what, "merged into %s", t.ref);
	rc = set_status(st, a, &d, lc, "merged", what, t.id, err, errlen);
	case_lifecycle_free(lc);
	if (rc)
		return rc;
	snprintf(what, sizeof what, "%s merged into this case", d.ref);
	if (d.tlp > t.tlp) {
		/* what it carries is at most as shareable as it was */
		snprintf(what + strlen(what), sizeof what - strlen(what), "; tlp %s -> %s",
			 tlp_name(t.tlp), tlp_name(d.tlp));
		t.tlp = d.tlp;
	}
	if ((rc = save(st, a, &t, err, errlen)) ||
	    (rc = record(st, a, &t, "merge", CASE_VIS_INTERNAL, what, NULL, err, errlen)))
		return rc;
	return 0;
}

/* ---- escalation ---- */

typedef struct {
	int64_t id;
	int found;
	obs_type_t type;
	tlp_t tlp;
	char value[OBS_VALUE_MAX + 1], cls[CASE_CLASS_MAX + 1], feed[MODEL_NAME_MAX + 1];
} ev_t;

static int ev_cb(void *arg, const store_event_t *e)
{
	ev_t *v = arg;
	if (e->id == v->id) {
		v->found = 1;
		v->type = e->type;
		v->tlp = e->tlp;
		snprintf(v->value, sizeof v->value, "%s", e->value ? e->value : "");
		snprintf(v->cls, sizeof v->cls, "%s", e->classification ? e->classification : "");
		snprintf(v->feed, sizeof v->feed, "%s", e->feed ? e->feed : "");
	}
	return 1;
}

int case_escalate(store_t *st, const case_actor_t *a, const char *kind, int64_t id,
		  const char *title, store_case_t *out, char *err, size_t errlen)
{
	char tbuf[CASE_TITLE_MAX + 1], idbuf[24];
	const char *obsv[1];
	const char **obs = NULL;
	size_t nobs = 0;
	int64_t hub = 0;
	tlp_t dt;
	int rc;
	if (!a->hub)
		return fail(err, errlen, CASE_EFORBIDDEN, "escalate: only the hub's team escalates");
	if (hub_read_settings(st, &hub, &dt))
		return fail(err, errlen, CASE_ERR, "hub settings missing (c5hub init)");
	case_new_t n = {.reporter_org = hub, .tlp = -1, .source = "escalation"};
	store_warning_t w;
	ev_t ev = {.id = id};
	if (!kind)
		kind = "";
	if (id <= 0) /* before any id - 1 below */
		return fail(err, errlen, CASE_EINVAL, "id: %lld is not an id (a positive number)",
			    (long long)id);
	if (!strcmp(kind, "event") || !strcmp(kind, "notice")) {
		store_event_filter_t f = {.after_id = id - 1, .limit = 1};
		if (store_event_list(st, &f, ev_cb, &ev) || !ev.found)
			return fail(err, errlen, CASE_EINVAL, "id: no event %lld", (long long)id);
		snprintf(tbuf, sizeof tbuf, "%s %s (%s)", ev.cls, ev.value, ev.feed);
		n.classification = rsit_check(ev.cls) || !strcmp(ev.cls, RSIT_FALSE_POSITIVE) ? NULL : ev.cls;
		n.tlp = (int)ev.tlp;
		obsv[0] = ev.value;
		obs = obsv;
		nobs = 1;
	} else if (!strcmp(kind, "warning")) {
		if (store_warning_get(st, id, &w))
			return fail(err, errlen, CASE_EINVAL, "id: no warning %lld", (long long)id);
		snprintf(tbuf, sizeof tbuf, "%s", w.title);
		n.classification = rsit_check(w.classification) ? NULL : w.classification;
		if (severity_ok(w.severity))
			n.severity = w.severity;
		n.tlp = (int)w.tlp;
		/* the warning's observables: a JSON array of {type, value} */
		json_t *arr = json_loads(w.observables, 0, NULL), *v;
		size_t cap = 0, i;
		json_array_foreach(arr, i, v) {
			const char *val = json_string_value(json_object_get(v, "value"));
			if (!val)
				continue;
			if (util_grow(&obs, &cap, nobs + 1, sizeof *obs, 8) || !(obs[nobs] = strdup(val))) {
				json_decref(arr);
				for (size_t k = 0; k < nobs; k++)
					free((char *)obs[k]);
				free(obs);
				return fail(err, errlen, CASE_ERR, "out of memory");
			}
			nobs++;
		}
		json_decref(arr);
		n.lenient = 1;
	} else {
		return fail(err, errlen, CASE_EINVAL, "kind: '%.32s' is not event, notice or warning", kind);
	}
	n.title = title && *title ? title : tbuf;
	n.observables = obs;
	n.nobservables = nobs;
	rc = case_open(st, a, &n, out, err, errlen);
	if (!rc) {
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)id);
		store_case_t c = *out;
		rc = link_plain(st, a, &c, !strcmp(kind, "warning") ? "warning" : kind, idbuf, err, errlen);
		rc = rc < 0 ? rc : 0;
	}
	if (!strcmp(kind, "warning")) {
		for (size_t i = 0; i < nobs; i++)
			free((char *)obs[i]);
		free(obs);
	}
	return rc;
}

typedef struct {
	const case_actor_t *a;
	store_case_cb cb;
	void *arg;
} rel_t;

static int rel_cb(void *arg, const store_case_t *c)
{
	rel_t *r = arg;
	return case_visible(r->a, c) ? r->cb(r->arg, c) : 0;
}

int case_related(store_t *st, const case_actor_t *a, const store_case_t *c, store_case_cb cb,
		 void *arg)
{
	rel_t r = {a, cb, arg};
	return store_case_related(st, c->id, rel_cb, &r) ? CASE_ERR : CASE_OK;
}

/* ---- for sla ---- */

static int set_instant(store_t *st, const case_actor_t *a, const char *ref, int which, char *err,
		       size_t errlen)
{
	store_case_t c;
	int rc;
	if ((rc = load(st, a, ref, 0, 0, &c, err, errlen)))
		return rc;
	int64_t *t = which ? &c.first_response_at : &c.acknowledged_at;
	if (*t)
		return 0;
	*t = case_now(a);
	if ((rc = save(st, a, &c, err, errlen)))
		return rc;
	return record(st, a, &c, which ? "responded" : "acknowledged", CASE_VIS_INTERNAL,
		      which ? "first response" : "acknowledged", NULL, err, errlen);
}

int case_acknowledge(store_t *st, const case_actor_t *a, const char *ref, char *err, size_t errlen)
{
	return set_instant(st, a, ref, 0, err, errlen);
}

int case_first_response(store_t *st, const case_actor_t *a, const char *ref, char *err, size_t errlen)
{
	return set_instant(st, a, ref, 1, err, errlen);
}

typedef struct {
	const case_lifecycle_t *lc;
	store_case_cb cb;
	void *arg;
	store_case_t *rows;
	size_t n, cap;
} open_t;

static int open_cb(void *arg, const store_case_t *c)
{
	open_t *o = arg;
	if (util_grow(&o->rows, &o->cap, o->n + 1, sizeof *o->rows, 64))
		return 1;
	o->rows[o->n++] = *c;
	return 0;
}

int case_list_open(store_t *st, store_case_cb cb, void *arg)
{
	char err[256];
	case_lifecycle_t *lc = case_lifecycle_load(st, err, sizeof err);
	if (!lc)
		return CASE_ERR;
	open_t o = {.lc = lc, .cb = cb, .arg = arg};
	store_case_filter_t f = {.open = 1, .finals = case_lifecycle_finals(lc), .limit = 1000,
				 .view = TLP_VIEW_ALL};
	int rc = 0;
	/* newest first in pages of 1000, then handed over oldest first */
	for (;;) {
		size_t before = o.n;
		if (store_case_list(st, &f, open_cb, &o)) {
			rc = CASE_ERR;
			break;
		}
		if (o.n - before < 1000)
			break;
		f.after_id = o.rows[o.n - 1].id;
	}
	for (size_t i = o.n; !rc && i-- > 0;)
		if (cb(arg, &o.rows[i]))
			break;
	free(o.rows);
	case_lifecycle_free(lc);
	return rc;
}

int case_waits(store_t *st, int64_t case_id, store_case_wait_cb cb, void *arg)
{
	return store_case_wait_list(st, case_id, cb, arg) ? CASE_ERR : CASE_OK;
}

static case_sla_fn sla_fn;

void case_sla_set(case_sla_fn fn)
{
	__atomic_store_n(&sla_fn, fn, __ATOMIC_RELEASE);
}

case_sla_fn case_sla_get(void)
{
	return __atomic_load_n(&sla_fn, __ATOMIC_ACQUIRE);
}

/* ---- for intake ---- */

typedef struct {
	store_t *st;
	case_outbox_cb cb;
	void *arg;
} outbox_t;

static int outbox_cb(void *arg, const store_case_entry_t *e)
{
	outbox_t *o = arg;
	store_case_t c;
	if (store_case_get(o->st, NULL, e->case_id, &c))
		return 0;
	return o->cb(o->arg, &c, e);
}

int case_outbox(store_t *st, case_outbox_cb cb, void *arg)
{
	outbox_t o = {st, cb, arg};
	return store_case_outbox(st, outbox_cb, &o) ? CASE_ERR : CASE_OK;
}

int case_entry_sent(store_t *st, int64_t entry_id, int64_t when)
{
	return store_case_entry_sent(st, entry_id, when) ? CASE_ERR : CASE_OK;
}
