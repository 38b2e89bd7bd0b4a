/* export.h — block lists for other tools: plain lists, CSV, rbldnsd data
 * (ip4trie / ip6trie / dnset), Suricata IP reputation, Zeek Intel and a DNS
 * Response Policy Zone.  Only values on no warning list whose active reports
 * at or under a TLP score at or above a level leave the hub this way. */
#ifndef C5_EXPORT_H
#define C5_EXPORT_H

#include <stdio.h>

#include "core/model.h"
#include "rep/rep.h"
#include "store/store.h"

typedef enum { EXP_PLAIN = 0, EXP_CSV, EXP_RBLDNSD, EXP_SURICATA, EXP_ZEEK, EXP_RPZ } export_format_t;

int export_format_parse(const char *s, export_format_t *out); /* 0 or -1 */

typedef struct {
	export_format_t format;
	tlp_t max_tlp;       /* default GREEN */
	int min_score;       /* written when the score is at or above (and > 0) */
	const rep_model_t *rep; /* the reputation model, trust loaded */
	const struct wlist *wl; /* warning lists: values left out (or NULL) */
	obs_type_t type;     /* OBS_NONE: every type the format can carry */
	long *withheld;      /* NULL, or TLP_NLEVELS counts (the caller's, zeroed here) of
			      * values left out for their TLP alone, each at the lowest
			      * --tlp-max (up to amber+strict) that would write it */
} export_opts_t;

/* Write the export to out; *count gets the indicators written.  0, or -1
 * with the reason in err (a store error, or rbldnsd without --type). */
int export_write(store_t *st, const export_opts_t *o, FILE *out, long *count, char *err,
		 size_t errlen);

/* Suricata category id of a classification (1..11, see README). */
int export_suricata_category(const char *classification);
/* Write the categories file those ids need (Suricata's
 * reputation-categories-file: "id,short name,description" lines, the short
 * name the RSIT class, as iprep rules name it).  0, or -1 on a write error. */
int export_suricata_categories(FILE *out);

#endif
