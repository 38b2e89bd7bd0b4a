/* store_csaf.h — the store's advisories (CSAF 2.0, src/csaf/): each
 * advisory's edited fields (the model, JSON), its last published document
 * and signature, and every published revision's document
 * (store_csaf.c). */
#ifndef C5_STORE_CSAF_H
#define C5_STORE_CSAF_H

#include <stdint.h>

#include "core/model.h"
#include "store/store.h"

#define STORE_ADV_ID_MAX 65

typedef struct store_adv {
	int64_t id;
	char tracking_id[STORE_ADV_ID_MAX]; /* the CSAF tracking id, unique */
	char title[512];
	char category[40];        /* csaf_security_advisory, csaf_base, ... */
	tlp_t tlp;
	char status[8];           /* "draft" (never published) or "final" */
	int version;              /* revisions published (0: none) */
	int64_t org_id;           /* the giver: the hub, or a mirror's org */
	int mirror;               /* imported from another provider */
	char source[512];         /* a mirror's file or URL */
	int64_t initial_date, current_date, created, updated;
	char *data;               /* the model (JSON), malloc'd; NULL in lists */
	char *doc;                /* the published document, or NULL */
	char *sig;                /* its CMS signature (PEM), or NULL */
} store_adv_t;

/* Free the texts of a (not a itself). */
void store_adv_clear(store_adv_t *a);
/* Insert (a->id == 0: sets id, created) or update every column of a
 * (data, doc and sig borrowed; NULL doc/sig keep none).  STORE_EEXISTS when
 * the tracking id is taken. */
int store_adv_put(store_t *st, store_adv_t *a);
/* By tracking id: *out with its texts (store_adv_clear), STORE_ENOTFOUND. */
int store_adv_get(store_t *st, const char *tracking_id, store_adv_t *out);
/* By row id (deliveries name advisories so). */
int store_adv_get_id(store_t *st, int64_t id, store_adv_t *out);
typedef int (*store_adv_cb)(void *arg, const store_adv_t *a);
/* Advisories v may see (SQ_VISIBLE: tlp, org_id), newest change first;
 * published only (status final) when published; mirrors with mirrors (else
 * own only); at most limit (0: all).  Texts NULL; the callback returns
 * non-zero to stop. */
int store_adv_list(store_t *st, const tlp_view_t *v, int published, int mirrors, int64_t limit,
		   store_adv_cb cb, void *arg);
/* One published revision's document (doc borrowed). */
int store_adv_rev_add(store_t *st, int64_t adv, int number, int64_t date, const char *summary,
		      const char *doc);
typedef int (*store_adv_rev_cb)(void *arg, int number, int64_t date, const char *summary);
/* The revisions of adv, oldest first. */
int store_adv_revs(store_t *st, int64_t adv, store_adv_rev_cb cb, void *arg);

#endif
