/* store_sla.h — the store's SLA alerts: one row per case, target and
 * threshold (warning, breached), written once — the row is the claim that
 * makes a threshold alert go out once per hub, whichever server sees it
 * first (the SQLite side is store_sla.c; the rules are in src/sla/). */
#ifndef C5_STORE_SLA_H
#define C5_STORE_SLA_H

#include "store/store.h"

typedef struct store_sla_alert {
	int64_t id, case_id, created, due;
	char target[12];      /* ack, response, resolve */
	char level[12];       /* warning, breached */
	char ref[48];         /* the case's reference */
	char subject[256];    /* the message, made when it was raised */
	char text[2048];
} store_sla_alert_t;

/* Add a (sets id); STORE_EEXISTS when the case already has that target's
 * alert at that level (then nothing is written).  Inside a transaction. */
int store_sla_alert_add(store_t *st, store_sla_alert_t *a);
int store_sla_alert_get(store_t *st, int64_t id, store_sla_alert_t *out); /* STORE_ENOTFOUND */
/* Alerts after after_id (case_id 0: every case), oldest first, at most limit. */
typedef int (*store_sla_alert_cb)(void *arg, const store_sla_alert_t *a);
int store_sla_alert_list(store_t *st, int64_t case_id, int64_t after_id, int limit,
			 store_sla_alert_cb cb, void *arg);
/* How many alerts of level were raised (ever). */
int store_sla_alert_count(store_t *st, const char *level, int64_t *out);

#endif
