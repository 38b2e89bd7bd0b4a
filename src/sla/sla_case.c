/* sla_case.c — the timers of cases and their escalation (see sla_case.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "sla/sla_case.h"

typedef struct {
	sla_span_t *v;
	size_t n, cap;
	int oom;
} spans_t;

static int add_wait(void *arg, const store_case_wait_t *w)
{
	spans_t *s = arg;
	if (util_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v, 4)) {
		s->oom = 1;
		return 1;
	}
	s->v[s->n].from = w->from;
	s->v[s->n++].to = w->to ? w->to : SLA_NEVER;
	return 0;
}

int sla_case_timers(const sla_conf_t *conf, store_t *st, const store_case_t *c, int64_t now,
		    sla_timer_t t[SLA_NTARGET])
{
	const sla_policy_t *p = sla_policy_find(conf, c->severity, c->classification);
	const sla_calendar_t *cal = sla_calendar_for(conf, c->team);
	spans_t w = {0};
	if (p && cal && c->waits_read) {
		/* the waits came with the case's row (one query for a list) */
		for (int i = 0; i < c->nwaits && !w.oom; i++)
			add_wait(&w, &c->waits[i]);
	} else if (p && cal && case_waits(st, c->id, add_wait, &w) && !w.oom) {
		free(w.v);
		return -1;
	}
	int64_t stop[SLA_NTARGET] = {c->acknowledged_at, c->first_response_at, c->resolved_at};
	for (int k = 0; k < SLA_NTARGET; k++) {
		int64_t s = stop[k] ? stop[k] : c->resolved_at;
		sla_timer(conf, cal, p ? p->target[k] : 0, c->created, s, w.v, w.n, now, &t[k]);
	}
	free(w.v);
	return w.oom ? -1 : 0;
}

/* ---- compliance in the figures ---- */

static pthread_mutex_t use_lock = PTHREAD_MUTEX_INITIALIZER;
static const sla_conf_t *use_conf;
static sla_conf_t builtin;
static int builtin_ok;

const sla_conf_t *sla_case_conf(void)
{
	pthread_mutex_lock(&use_lock);
	const sla_conf_t *conf = use_conf;
	if (!conf && !builtin_ok) {
		char err[256];
		builtin_ok = sla_conf_load(&builtin, NULL, err, sizeof err) == 0;
	}
	if (!conf && builtin_ok)
		conf = &builtin;
	pthread_mutex_unlock(&use_lock);
	return conf;
}

static int compliance(store_t *st, const store_case_t *c, int64_t now, case_sla_result_t *r)
{
	sla_timer_t t[SLA_NTARGET];
	const sla_conf_t *conf = sla_case_conf();
	if (!conf || sla_case_timers(conf, st, c, now, t))
		return -1;
	int *out[SLA_NTARGET] = {&r->ack, &r->response, &r->resolution};
	for (int k = 0; k < SLA_NTARGET; k++)
		*out[k] = t[k].state == SLA_MET ? 1 : t[k].state == SLA_BREACHED ? 0 : -1;
	return 0;
}

void sla_case_use(const sla_conf_t *conf)
{
	pthread_mutex_lock(&use_lock);
	use_conf = conf;
	pthread_mutex_unlock(&use_lock);
	case_sla_set(compliance);
}

const char *sla_case_line(store_t *st, const store_case_t *c, int64_t now, int *worst, char *buf,
			  size_t n)
{
	sla_timer_t t[SLA_NTARGET];
	const sla_conf_t *conf = sla_case_conf();
	size_t at = 0;
	buf[0] = '\0';
	if (worst)
		*worst = SLA_NONE;
	if (!conf || sla_case_timers(conf, st, c, now, t))
		return buf;
	for (int k = 0; k < SLA_NTARGET && at < n; k++) {
		char due[MODEL_TIME_LEN];
		if (t[k].state == SLA_NONE)
			continue;
		if (worst && (t[k].state == SLA_BREACHED ||
			      (t[k].state == SLA_WARNING && *worst != SLA_BREACHED) ||
			      (*worst == SLA_NONE)))
			*worst = t[k].state;
		int running = t[k].state == SLA_OK || t[k].state == SLA_WARNING ||
			      (t[k].state == SLA_BREACHED && !(k == SLA_ACK ? c->acknowledged_at
							: k == SLA_RESPONSE ? c->first_response_at
							: c->resolved_at) && !c->resolved_at);
		at += (size_t)snprintf(buf + at, n - at, "%s%s %s%s%s%s", at ? ", " : "",
				       sla_target_name(k), sla_state_name(t[k].state),
				       t[k].paused ? " (paused)" : "",
				       running && t[k].due != SLA_NEVER ? " due " : "",
				       running && t[k].due != SLA_NEVER ? model_time_fmt(t[k].due, due) : "");
	}
	if (at >= n)
		buf[n - 1] = '\0';
	return buf;
}

/* ---- escalation ---- */

typedef struct {
	int64_t case_id, due;
	int target;
	int breached;
	tlp_t tlp;
	char ref[CASE_REF_MAX + 1], title[CASE_TITLE_MAX + 1], severity[CASE_SEV_MAX + 1];
	char team[CASE_TEAM_MAX + 1], assignee[256];
} due_t;

typedef struct {
	const sla_conf_t *conf;
	store_t *st;
	int64_t now;
	sla_pass_t pass;
	due_t *v;
	size_t n, cap;
	int fail;
} walk_t;

static int each_open(void *arg, const store_case_t *c)
{
	walk_t *w = arg;
	sla_timer_t t[SLA_NTARGET];
	w->pass.open++;
	if (sla_case_timers(w->conf, w->st, c, w->now, t)) {
		w->fail = 1;
		return 1;
	}
	for (int k = 0; k < SLA_NTARGET; k++) {
		int running = t[k].state == SLA_WARNING || (t[k].state == SLA_BREACHED &&
							     !(k == SLA_ACK ? c->acknowledged_at
							       : k == SLA_RESPONSE ? c->first_response_at
							       : c->resolved_at));
		if (!running)
			continue;
		int br = t[k].state == SLA_BREACHED;
		(br ? w->pass.breached : w->pass.warning)[k]++;
		if (w->n >= 100000 || util_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v, 16))
			continue; /* the rest next pass */
		due_t *d = &w->v[w->n++];
		memset(d, 0, sizeof *d);
		d->case_id = c->id;
		d->due = br ? t[k].due : t[k].warn_at;
		d->target = k;
		d->breached = br;
		d->tlp = c->tlp;
		snprintf(d->ref, sizeof d->ref, "%s", c->ref);
		snprintf(d->title, sizeof d->title, "%s", c->title);
		snprintf(d->severity, sizeof d->severity, "%s", c->severity);
		snprintf(d->team, sizeof d->team, "%s", c->team);
		snprintf(d->assignee, sizeof d->assignee, "%s", c->assignee_email);
	}
	return 0;
}

static const char *target_words(int k)
{
	return k == SLA_ACK ? "time to acknowledge" : k == SLA_RESPONSE ? "time to first response"
								: "time to resolution";
}

/* A delivery of the alert, due at once: deliveries run on the wall clock
 * (leases, retries), whatever the hub's clock says. */
static int deliver(store_t *st, int64_t hub_org, int64_t alert, tlp_t tlp, const char *channel,
		   const char *target)
{
	int64_t now = (int64_t)time(NULL);
	store_delivery_t d = {.org_id = hub_org, .warning_id = alert, .tlp = tlp, .created = now,
			      .next_try = now};
	snprintf(d.kind, sizeof d.kind, "sla");
	snprintf(d.channel, sizeof d.channel, "%s", channel);
	snprintf(d.state, sizeof d.state, "pending");
	snprintf(d.target, sizeof d.target, "%s", target);
	return store_delivery_add(st, &d);
}

/* Raise d's alert, once: the row and its deliveries in one transaction. */
static int raise_one(store_t *st, const sla_conf_t *conf, int64_t hub_org, int64_t now,
		     const due_t *d, sla_pass_t *pass)
{
	store_sla_alert_t a = {.case_id = d->case_id, .created = now, .due = d->due};
	char when[MODEL_TIME_LEN], TLP[8];
	const sla_team_t *team = sla_team_find(conf, d->team);
	const char *level = d->breached ? "breached" : "warning";
	snprintf(a.target, sizeof a.target, "%s", sla_target_name(d->target));
	snprintf(a.level, sizeof a.level, "%s", level);
	snprintf(a.ref, sizeof a.ref, "%s", d->ref);
	snprintf(TLP, sizeof TLP, "%s", tlp_name(d->tlp));
	for (char *s = TLP; *s; s++)
		*s = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	snprintf(a.subject, sizeof a.subject, "[TLP:%s] [%s] SLA %s %s: %.150s", TLP, d->ref,
		 a.target, d->breached ? "BREACHED" : "warning", d->title);
	model_time_fmt(d->due, when);
	snprintf(a.text, sizeof a.text,
		 "Case %s (%s, severity %s, team %s): the %s %s at %s.\n"
		 "Assignee: %s\n",
		 d->ref, d->title, d->severity, d->team[0] ? d->team : "-", target_words(d->target),
		 d->breached ? "was breached" : "reaches its warning share", when,
		 d->assignee[0] ? d->assignee : "nobody");
	if (store_begin(st))
		return -1;
	int rc = store_sla_alert_add(st, &a);
	if (rc == STORE_EEXISTS) { /* raised before, here or by another server */
		store_rollback(st);
		return 0;
	}
	if (rc)
		goto fail;
	long n = 0;
	store_prefs_t p;
	if (d->assignee[0] && strchr(d->assignee, '@') && ++n &&
	    deliver(st, hub_org, a.id, d->tlp, "email", d->assignee))
		goto fail;
	if (team && team->lead[0] && strcmp(team->lead, d->assignee) && ++n &&
	    deliver(st, hub_org, a.id, d->tlp, "email", team->lead))
		goto fail;
	if (store_prefs_get(st, hub_org, &p) == STORE_OK && p.webhook[0] && ++n &&
	    deliver(st, hub_org, a.id, d->tlp, "webhook", p.webhook))
		goto fail;
	if (store_commit(st))
		goto fail;
	pass->raised++;
	pass->deliveries += n;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

static pthread_mutex_t gauge_lock = PTHREAD_MUTEX_INITIALIZER;
static sla_pass_t gauge;

int sla_escalate(store_t *st, const sla_conf_t *conf, int64_t hub_org, int64_t now,
		 sla_pass_t *out, char *err, size_t errlen)
{
	walk_t w = {.conf = conf, .st = st, .now = now};
	int rc = -1;
	if (case_list_open(st, each_open, &w) || w.fail) {
		snprintf(err, errlen, "sla: open cases: %s", store_errmsg(st));
		goto out;
	}
	for (size_t i = 0; i < w.n; i++)
		if (raise_one(st, conf, hub_org, now, &w.v[i], &w.pass)) {
			snprintf(err, errlen, "sla: alert for %s: %s", w.v[i].ref, store_errmsg(st));
			goto out;
		}
	rc = 0;
out:
	pthread_mutex_lock(&gauge_lock);
	gauge = w.pass;
	pthread_mutex_unlock(&gauge_lock);
	if (out)
		*out = w.pass;
	free(w.v);
	return rc;
}

void sla_gauges(sla_pass_t *out)
{
	pthread_mutex_lock(&gauge_lock);
	*out = gauge;
	pthread_mutex_unlock(&gauge_lock);
}
