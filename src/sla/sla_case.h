/* sla_case.h — SLA timers of incident cases (case.h) and their escalation:
 * the three timers of a case from its policy, its team's calendar and its
 * waits for the reporter; the scheduler's pass that raises each warning and
 * breach once per hub (store_sla.h's row is the claim) and hands it to the
 * notify deliveries (e-mail to the assignee and the team lead, the hub
 * organisation's webhook); SLA compliance for the case figures. */
#ifndef C5_SLA_CASE_H
#define C5_SLA_CASE_H

#include "case/case.h"
#include "sla/sla.h"
#include "store/store_sla.h"

/* The timers of case c at now (t[SLA_ACK..SLA_RESOLVE]); a target the
 * policy lacks is SLA_NONE.  A case resolved stops all three.  0, or -1
 * (store error). */
int sla_case_timers(const sla_conf_t *conf, store_t *st, const store_case_t *c, int64_t now,
		    sla_timer_t t[SLA_NTARGET]);

/* The settings the figures' compliance uses (borrowed until the next call
 * or process end; NULL: the built-in file, loaded once) — installs the
 * case_sla_set hook. */
void sla_case_use(const sla_conf_t *conf);

/* The settings in use: those given to sla_case_use, else the built-in
 * ones (NULL only if those fail to load). */
const sla_conf_t *sla_case_conf(void);
/* "ack met, response warning due 2026-12-04T10:00:00Z, resolve ok due ..."
 * into buf (n bytes) for c at now, by sla_case_conf(); *worst (or NULL)
 * gets the worst state (breached > warning > ok/met/none). */
const char *sla_case_line(store_t *st, const store_case_t *c, int64_t now, int *worst, char *buf,
			  size_t n);

typedef struct {
	long open;                      /* open cases looked at */
	long warning[SLA_NTARGET];      /* running timers in warning now */
	long breached[SLA_NTARGET];     /* running timers breached now */
	long raised;                    /* alerts raised by this pass */
	long deliveries;                /* messages made for them */
} sla_pass_t;

/* One pass at now: every open case's timers; a timer past its warning or
 * its due instant not yet alerted gets its alert row and deliveries (kind
 * "sla") in one transaction.  hub_org: the hub's organisation (the
 * deliveries' and the webhook's).  The counts into *out and kept for
 * sla_gauges.  0, or -1 with err. */
int sla_escalate(store_t *st, const sla_conf_t *conf, int64_t hub_org, int64_t now,
		 sla_pass_t *out, char *err, size_t errlen);
/* The last pass's counts (zeros before one), for /metrics. */
void sla_gauges(sla_pass_t *out);

#endif
