/* notify_int.h — what notify.c (settings, grouping, retries) and
 * notify_send.c (messages and the wire) share. */
#ifndef C5_NOTIFY_INT_H
#define C5_NOTIFY_INT_H

#include "notify.h"

/* 1 when the classification is one of the urgent classes. */
int notify_urgent(const notify_conf_t *c, const char *cls);

/* Fill d's channel and target for organisation org from its preferences p:
 * a report goes to the webhook when the organisation asked for one, else to
 * its abuse contact (contact, from the constituency); a warning (urgent247)
 * to its 24/7 webhook, else its 24/7 address, else the abuse contact.
 * 0, or -1 when it has no way to be reached (d->last_error says so, the
 * delivery is recorded as failed). */
int notify_target(const store_prefs_t *p, const char *contact, int urgent247,
		  store_delivery_t *d);

/* Build and send one delivery.  0 when the receiver accepted it; -1 with the
 * reason in why; NOTIFY_EMPTY (nothing sent, never to be) for a report with
 * no events. */
#define NOTIFY_EMPTY (-2)
int notify_deliver(store_t *st, const notify_conf_t *c, const store_delivery_t *d, char *why,
		   size_t whylen);

#endif
