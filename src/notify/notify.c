/* notify.c — settings, due times, grouping notices into deliveries and
 * sending them (see notify.h). */
#include "notify.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "notify_int.h"

extern const char data_notify_conf[];
extern const char data_templates_report_txt[];
extern const char data_templates_warning_txt[];

/* ---- settings ---- */

const char *notify_from_check(const char *addr)
{
	const char *at = strchr(addr, '@');
	if (strlen(addr) >= sizeof ((notify_conf_t *)0)->from)
		return "too long";
	if (!at || at == addr || !at[1] || strchr(at + 1, '@') || strpbrk(addr, "<>\r\n\" \t,;"))
		return "not an e-mail address (local@domain)";
	return NULL;
}

int notify_conf_sender(notify_conf_t *c, store_t *st, char *err, size_t errlen)
{
	int64_t hub;
	org_t o;
	char v[64], setting[256];
	if (store_setting_get(st, "hub_org", v, sizeof v) || (hub = strtoll(v, NULL, 10),
							     store_org_get(st, hub, &o))) {
		snprintf(err, errlen, "hub settings missing; run c5hub init");
		return -1;
	}
	/* the display name: printable ASCII (else none: no RFC 2047 here), its
	 * quotes made single */
	snprintf(c->from_name, sizeof c->from_name, "%s", o.name);
	for (char *p = c->from_name; *p; p++) {
		if ((unsigned char)*p >= 0x80) {
			c->from_name[0] = '\0';
			break;
		}
		if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = '\'';
	}
	if (c->from[0])
		return 0;
	if (store_setting_get(st, "notify_from", setting, sizeof setting) == STORE_OK && setting[0] &&
	    !notify_from_check(setting)) {
		snprintf(c->from, sizeof c->from, "%s", setting);
		return 0;
	}
	char host[256] = "localhost", local[64];
	size_t n = 0;
	if (gethostname(host, sizeof host) || !host[0] || strchr(host, ' '))
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	for (const char *p = o.name; *p && n < sizeof local - 1; p++) {
		unsigned char ch = (unsigned char)*p;
		if (isalnum(ch))
			local[n++] = (char)tolower(ch);
		else if (n && local[n - 1] != '-')
			local[n++] = '-';
	}
	while (n && local[n - 1] == '-')
		n--;
	local[n] = '\0';
	snprintf(c->from, sizeof c->from, "%s@%s", n ? local : "c5hub", host);
	return 0;
}

int notify_conf_parse(notify_conf_t *c, const char *text, const char *name, char *err, size_t errlen)
{
	notify_conf_t n = *c;
	int line = 0, cleared = 0;
	const char *p = text + (strncmp(text, "\xEF\xBB\xBF", 3) ? 0 : 3); /* a byte-order mark */
	while (*p) {
		char buf[512], key[32], val[480];
		size_t len = strcspn(p, "\n");
		line++;
		if (len >= sizeof buf) {
			snprintf(err, errlen, "%s:%d: line too long", name, line);
			return -1;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p += len + (p[len] == '\n');
		char *s = buf + strspn(buf, " \t");
		if (!*s || *s == '#')
			continue;
		if (sscanf(s, "%31s %479s", key, val) != 2) {
			snprintf(err, errlen, "%s:%d: expected 'key value'", name, line);
			return -1;
		}
		if (!strcmp(key, "urgent")) {
			/* a file that names urgent classes replaces the list */
			if (!cleared && c->nurgent && text != data_notify_conf)
				n.nurgent = 0;
			cleared = 1;
			if (strchr(val, '/') ? rsit_check(val) : rsit_class_check(val)) {
				snprintf(err, errlen, "%s:%d: '%s' is not a class or class/type of the "
					 "Reference Security Incident Taxonomy", name, line, val);
				return -1;
			}
			if (n.nurgent == NOTIFY_URGENT_MAX || strlen(val) > MODEL_CLASS_MAX) {
				snprintf(err, errlen, "%s:%d: too many urgent classes", name, line);
				return -1;
			}
			snprintf(n.urgent[n.nurgent++], MODEL_CLASS_MAX + 1, "%s", val);
		} else if (!strcmp(key, "dedup") || !strcmp(key, "retry") || !strcmp(key, "lease")) {
			int64_t d;
			if (model_duration_parse(val, &d) || (key[0] == 'l' && d < 1)) {
				snprintf(err, errlen, "%s:%d: %s: bad duration '%s' (e.g. 30s, 10m, 24h)",
					 name, line, key, val);
				return -1;
			}
			*(key[0] == 'd' ? &n.dedup : key[0] == 'r' ? &n.retry : &n.lease) = d;
		} else if (!strcmp(key, "attempts")) {
			char *end;
			long v = strtol(val, &end, 10);
			if (*end || v < 1 || v > 100) {
				snprintf(err, errlen, "%s:%d: attempts must be 1 to 100", name, line);
				return -1;
			}
			n.attempts = (int)v;
		} else if (!strcmp(key, "from")) {
			if (strlen(val) >= sizeof n.from) {
				snprintf(err, errlen, "%s:%d: from: longer than %zu bytes", name, line,
					 sizeof n.from - 1);
				return -1;
			}
			if (notify_from_check(val)) {
				snprintf(err, errlen, "%s:%d: from: %s", name, line, notify_from_check(val));
				return -1;
			}
			snprintf(n.from, sizeof n.from, "%s", val);
		} else if (!strcmp(key, "smtp")) {
			if (strlen(val) >= sizeof n.smtp) {
				snprintf(err, errlen, "%s:%d: smtp: longer than %zu bytes", name, line,
					 sizeof n.smtp - 1);
				return -1;
			}
			if (strncmp(val, "smtp://", 7) && strncmp(val, "smtps://", 8)) {
				snprintf(err, errlen, "%s:%d: smtp: give smtp://HOST:PORT", name, line);
				return -1;
			}
			snprintf(n.smtp, sizeof n.smtp, "%s", val);
		} else {
			snprintf(err, errlen, "%s:%d: unknown key '%s'", name, line, key);
			return -1;
		}
	}
	*c = n;
	return 0;
}

int notify_conf_load(notify_conf_t *c, const char *file, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->report_tpl = data_templates_report_txt;
	c->warning_tpl = data_templates_warning_txt;
	if (notify_conf_parse(c, data_notify_conf, "data/notify.conf (built in)", err, errlen))
		return -1;
	if (!file)
		return 0;
	char *text = util_read_text(file, 1u << 20, err, errlen);
	int rc = text ? notify_conf_parse(c, text, file, err, errlen) : -1;
	free(text);
	return rc;
}

void notify_conf_free(notify_conf_t *c)
{
	for (int i = 0; i < 2; i++)
		free(c->owned[i]);
	memset(c, 0, sizeof *c);
}

int notify_urgent(const notify_conf_t *c, const char *cls)
{
	for (int i = 0; i < c->nurgent; i++) {
		size_t n = strlen(c->urgent[i]);
		if (!strncmp(cls, c->urgent[i], n) && (cls[n] == '\0' || cls[n] == '/'))
			return 1;
	}
	return 0;
}

int64_t notify_due(const notify_conf_t *c, const char *classification, const char *frequency,
		   int64_t now)
{
	if (!strcmp(frequency, "immediate") || notify_urgent(c, classification))
		return now;
	int64_t period = !strcmp(frequency, "hourly") ? 3600 : 86400;
	return (now / period + 1) * period; /* the next full hour / day (UTC) */
}

/* ---- grouping ---- */

typedef struct {
	int64_t *ids;
	size_t n, cap;
} ids_t;

static int add_id(void *arg, int64_t id)
{
	ids_t *v = arg;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		int64_t *n = realloc(v->ids, cap * sizeof *n);
		if (!n)
			return -1;
		v->ids = n;
		v->cap = cap;
	}
	v->ids[v->n++] = id;
	return 0;
}

/* An organisation's abuse contact, always written into buf (256 bytes; ""
 * when it has none or the store fails); returns buf. */
static const char *contact_of(store_t *st, int64_t org, char buf[256])
{
	if (store_res_contact(st, org, buf, 256))
		buf[0] = '\0';
	return buf;
}

/* One delivery per organisation with due notices, in its own transaction;
 * never an empty one: notices another planner assigned first are its. */
int notify_plan(store_t *st, int64_t now, int flush, notify_stats_t *out, char *err, size_t errlen)
{
	ids_t orgs = {0};
	char contact[256];
	int rc = -1;
	if (flush)
		now = INT64_MAX / 2;
	if (store_notice_due(st, now, add_id, &orgs)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		goto done;
	}
	for (size_t i = 0; i < orgs.n; i++) {
		store_prefs_t p;
		store_delivery_t d = {.org_id = orgs.ids[i]};
		snprintf(d.kind, sizeof d.kind, "report");
		if (store_prefs_get(st, d.org_id, &p))
			goto fail;
		int unreachable = notify_target(&p, contact_of(st, d.org_id, contact), 0, &d);
		if (store_begin(st))
			goto fail;
		if (store_delivery_add(st, &d) ||
		    store_notice_assign(st, d.org_id, now, d.id, &d.events, &d.tlp)) {
			store_rollback(st);
			goto fail;
		}
		if (d.events == 0) {
			/* another planner (the server while an operator runs
			 * `notify run`) took these notices since we listed them */
			store_rollback(st);
			continue;
		}
		if (unreachable)
			snprintf(d.state, sizeof d.state, "failed"); /* why: d.last_error */
		if (store_delivery_update(st, &d) || store_commit(st)) {
			store_rollback(st);
			goto fail;
		}
		out->planned++;
	}
	rc = 0;
	goto done;
fail:
	snprintf(err, errlen, "store: %s", store_errmsg(st));
done:
	free(orgs.ids);
	return rc;
}

/* ---- sending ---- */

typedef struct {
	store_delivery_t *d;
	size_t n, cap;
} dlist_t;

static int add_delivery(void *arg, const store_delivery_t *d)
{
	dlist_t *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		store_delivery_t *n = realloc(l->d, cap * sizeof *n);
		if (!n)
			return -1;
		l->d = n;
		l->cap = cap;
	}
	l->d[l->n++] = *d;
	return 0;
}

/* Send one delivery this sender holds and record the outcome: sent, or a
 * later try (doubling), or failed after the last attempt. */
static int send_one(store_t *st, const notify_conf_t *c, store_delivery_t *d, int64_t now,
		    notify_stats_t *out, char *err, size_t errlen)
{
	char why[256] = "";
	if (!strcmp(d->channel, "email") && !c->smtp[0]) {
		/* nowhere to send it: it waits, and that is not a try */
		snprintf(d->last_error, sizeof d->last_error,
			 "waiting: no SMTP server configured (--smtp URL or smtp in the notify file)");
		d->next_try = now + (c->retry > 60 ? c->retry : 60);
		out->waiting++;
		goto record;
	}
	int rc = notify_deliver(st, c, d, why, sizeof why), sent = rc == 0;
	d->attempts++;
	if (rc == NOTIFY_EMPTY) {
		snprintf(d->state, sizeof d->state, "failed");
		snprintf(d->last_error, sizeof d->last_error, "%s", why);
		out->failed++;
	} else if (sent) {
		snprintf(d->state, sizeof d->state, "sent");
		d->sent_at = (int64_t)time(NULL);
		d->last_error[0] = '\0';
		out->sent++;
	} else {
		snprintf(d->last_error, sizeof d->last_error, "%s", why);
		int64_t wait = c->retry << (d->attempts - 1 < 10 ? d->attempts - 1 : 10);
		d->next_try = now + (wait > 6 * 3600 ? 6 * 3600 : wait);
		if (d->attempts >= c->attempts) {
			snprintf(d->state, sizeof d->state, "failed");
			out->failed++;
		} else {
			out->retried++;
		}
	}
record:
	if (store_begin(st) || store_delivery_update(st, d) || store_commit(st)) {
		store_rollback(st);
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		return -1;
	}
	return 0;
}

/* Send the pending deliveries whose next try is at or before due_by. */
static int send_due(store_t *st, const notify_conf_t *c, int64_t now, int64_t due_by,
		    notify_stats_t *out, char *err, size_t errlen)
{
	dlist_t l = {0};
	store_delivery_filter_t f = {.state = "pending", .due_by = due_by, .limit = 1000};
	int rc = 0;
	if (store_delivery_list(st, &f, add_delivery, &l)) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		free(l.d);
		return -1;
	}
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		/* ours for the lease: another sender (the server while an
		 * operator runs `notify run`) will not send it too; one waiting
		 * for its next try (flushed) is claimed as of that time */
		int64_t at = l.d[i].next_try > now ? l.d[i].next_try : now;
		int claimed = store_begin(st) ? -1 : store_delivery_claim(st, l.d[i].id, at, c->lease);
		if (claimed < 0 || store_commit(st)) {
			store_rollback(st);
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			rc = -1;
		} else if (claimed) {
			rc = send_one(st, c, &l.d[i], now, out, err, errlen);
		}
	}
	free(l.d);
	return rc;
}

int notify_send_due(store_t *st, const notify_conf_t *c, int64_t now, notify_stats_t *out,
		    char *err, size_t errlen)
{
	return send_due(st, c, now, now, out, err, errlen);
}

int notify_send_ids(store_t *st, const notify_conf_t *c, const int64_t *ids, size_t n,
		    notify_stats_t *out, char *err, size_t errlen)
{
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++) {
		dlist_t l = {0};
		store_delivery_filter_t f = {.state = "pending", .after_id = ids[i] - 1, .limit = 1};
		if (store_delivery_list(st, &f, add_delivery, &l)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			free(l.d);
			return -1;
		}
		int rc = l.n == 1 && l.d[0].id == ids[i] ? send_one(st, c, &l.d[0], now, out, err, errlen)
							 : 0;
		free(l.d);
		if (rc)
			return -1;
	}
	return 0;
}

int notify_run(store_t *st, const notify_conf_t *c, int64_t now, int flush, notify_stats_t *out,
	       char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (notify_plan(st, now, flush, out, err, errlen))
		return -1;
	return send_due(st, c, now, flush ? INT64_MAX / 2 : now, out, err, errlen);
}

/* ---- early warnings ---- */

/* Does an audience list name everyone ("all") or a whole type ("type:T")? */
static int red_audience_wide(const char *aud)
{
	org_t nobody = {.name = "\x01", .type = "\x01"}; /* only 'all' takes it */
	return notify_in_audience(aud, &nobody) || strstr(aud, "type:");
}

int notify_warning_fill(store_warning_t *w, const char *title, const char *classification,
			const char *severity, const char *audience, char *err, size_t errlen)
{
	const struct {
		const char *name, *v;
		char *dst;
		size_t size;
	} f[] = {{"title", title, w->title, sizeof w->title},
		 {"classification", classification, w->classification, sizeof w->classification},
		 {"severity", severity, w->severity, sizeof w->severity},
		 {"audience", audience, w->audience, sizeof w->audience}};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		if (!util_utf8_valid(f[i].v, strlen(f[i].v)))
			return snprintf(err, errlen, "%s: not UTF-8 text", f[i].name), -1;
		if (util_copy(f[i].dst, f[i].size, f[i].v))
			return snprintf(err, errlen, "%s: at most %zu bytes", f[i].name, f[i].size - 1), -1;
	}
	return 0;
}

int notify_warning_check(const store_warning_t *w, char *err, size_t errlen)
{
	static const char *const sev[] = {"low", "medium", "high", "critical", NULL};
	const char *const *s = sev;
	while (*s && strcmp(*s, w->severity))
		s++;
	if (!w->title[0] || strpbrk(w->title, "\r\n"))
		snprintf(err, errlen, "title: required, one line");
	else if (rsit_check(w->classification))
		snprintf(err, errlen, "classification: '%s' is not a class/type of the Reference "
			 "Security Incident Taxonomy", w->classification);
	else if (!*s)
		snprintf(err, errlen, "severity: low, medium, high or critical");
	else if (!w->audience[0])
		snprintf(err, errlen, "audience: 'all', organisation names or type:TYPE");
	else if (w->tlp == TLP_RED && red_audience_wide(w->audience))
		snprintf(err, errlen, "audience: a TLP:RED warning is for named recipients only: name "
			 "the organisations, not 'all' or type:TYPE");
	else
		return 0;
	return -1;
}

typedef struct {
	store_t *st;
	const store_warning_t *w;
	int64_t lease_until;  /* the new deliveries' next try: held by their maker */
	int64_t *ids;
	size_t n, cap;
	int fail;
} aud_t;

/* Is organisation o in the audience list ("all", names, type:TYPE)? */
int notify_in_audience(const char *aud, const org_t *o)
{
	const char *p = aud;
	while (*p) {
		size_t n = strcspn(p, ",");
		char item[MODEL_NAME_MAX + 8];
		snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item - 1 ? n : sizeof item - 1), p);
		char *s = item + strspn(item, " ");
		for (char *e = s + strlen(s); e > s && e[-1] == ' ';)
			*--e = '\0';
		if (!strcmp(s, "all") || !strcasecmp(s, o->name) ||
		    (!strncmp(s, "type:", 5) && !strcmp(s + 5, o->type)))
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

int notify_warning_visible(const tlp_view_t *v, const org_t *org, const store_warning_t *w)
{
	int named = org && notify_in_audience(w->audience, org);
	return (v->all || (v->org && w->org_id == v->org) || named) &&
	       tlp_visible(v, w->tlp, w->org_id, named);
}

static int add_for(aud_t *a, const org_t *o, int webhook)
{
	store_prefs_t p;
	store_delivery_t d = {.org_id = o->id, .warning_id = a->w->id, .tlp = a->w->tlp,
			      .next_try = a->lease_until};
	snprintf(d.kind, sizeof d.kind, "warning");
	if (store_prefs_get(a->st, o->id, &p))
		return -1;
	if (webhook) {
		if (!p.webhook_247[0])
			return 0;
		snprintf(d.channel, sizeof d.channel, "webhook");
		snprintf(d.target, sizeof d.target, "%s", p.webhook_247);
	} else {
		store_prefs_t mailonly = p;
		mailonly.webhook_247[0] = '\0';
		char contact[256];
		if (notify_target(&mailonly, contact_of(a->st, o->id, contact), 1, &d))
			return 0; /* no address: the webhook (if any) is its channel */
	}
	if (store_delivery_add(a->st, &d))
		return -1;
	if (a->n == a->cap) {
		int64_t *ids = realloc(a->ids, (a->cap = a->cap ? a->cap * 2 : 16) * sizeof *ids);
		if (!ids)
			return -1;
		a->ids = ids;
	}
	a->ids[a->n++] = d.id;
	return 0;
}

static int each_org(void *arg, const org_t *o)
{
	aud_t *a = arg;
	if (!notify_in_audience(a->w->audience, o))
		return 0;
	if (add_for(a, o, 1) || add_for(a, o, 0)) {
		a->fail = 1;
		return 1;
	}
	return 0;
}

/* The audience check against the store: every item is "all", type:TYPE of
 * a known type, or the name of a known organisation.  0, or -1 with err
 * naming the unknown item and the known names. */
typedef struct {
	char item[MODEL_NAME_MAX + 8];
	int found;
	char close[MODEL_NAME_MAX + 1]; /* a known name the item is a typo of */
	char known[400];
} aud_check_t;

static int aud_known(void *arg, const org_t *o)
{
	aud_check_t *k = arg;
	size_t l = strlen(k->known);
	if (!strcasecmp(k->item, o->name))
		k->found = 1;
	else if (!k->close[0] && util_name_close(k->item, o->name))
		snprintf(k->close, sizeof k->close, "%s", o->name);
	if (l + strlen(o->name) + 8 < sizeof k->known)
		snprintf(k->known + l, sizeof k->known - l, "%s'%s'", l ? ", " : "", o->name);
	else if (l + 6 < sizeof k->known && !strstr(k->known, "..."))
		snprintf(k->known + l, sizeof k->known - l, ", ...");
	return 0;
}

static int audience_known(store_t *st, const char *aud, char *err, size_t errlen)
{
	aud_check_t *k = calloc(1, sizeof *k);
	int rc = 0;
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (const char *p = aud; *p && rc == 0; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
		size_t n = strcspn(p, ",");
		snprintf(k->item, sizeof k->item, "%.*s", (int)(n < sizeof k->item - 1 ? n : sizeof k->item - 1), p);
		char *s = k->item + strspn(k->item, " ");
		memmove(k->item, s, strlen(s) + 1);
		for (char *e = k->item + strlen(k->item); e > k->item && e[-1] == ' ';)
			*--e = '\0';
		if (!k->item[0] || !strcmp(k->item, "all"))
			continue;
		if (!strncmp(k->item, "type:", 5)) {
			if (!org_type_check(k->item + 5)) {
				snprintf(err, errlen, "audience: unknown organisation type '%s' (known: government, "
					 "private-sector, civil-society, international, academia)", k->item + 5);
				rc = -1;
			}
			continue;
		}
		k->found = 0;
		k->known[0] = k->close[0] = '\0';
		if (store_org_list(st, aud_known, k)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			rc = -1;
		} else if (!k->found) {
			snprintf(err, errlen, "audience: no organisation named '%s'%s%s%s (known: %s; or all, "
				 "type:TYPE)", k->item, k->close[0] ? ": did you mean '" : "", k->close,
				 k->close[0] ? "'?" : "", k->known[0] ? k->known : "none");
			rc = -1;
		}
	}
	free(k);
	return rc;
}

int notify_warning(store_t *st, const notify_conf_t *c, store_warning_t *w, int64_t **ids,
		   size_t *n, char *err, size_t errlen)
{
	aud_t a = {.st = st, .w = w, .lease_until = (int64_t)time(NULL) + c->lease};
	*ids = NULL;
	*n = 0;
	if (notify_warning_check(w, err, errlen) || audience_known(st, w->audience, err, errlen))
		return -1;
	if (store_warning_add(st, w) || store_org_list(st, each_org, &a) || a.fail) {
		snprintf(err, errlen, "store: %s", store_errmsg(st));
		free(a.ids);
		return -1;
	}
	*ids = a.ids;
	*n = a.n;
	return 0;
}
