/* gw_json.h — the gateway's items as JSON (gw_json.c): the API's bodies,
 * which the console and the command line build too, so that one reading
 * and one set of checks serve all three. */
#ifndef C5_GW_JSON_H
#define C5_GW_JSON_H

#include <jansson.h>

#include "gw/gw.h"

/* Read in (a JSON object of the item's fields; areas an array of names or
 * "a,b"; tlp a name) over *x, refusing unknown members and over-long
 * strings: 0, or 400 with *field (borrowed from in or static) and err.
 * Nothing is checked beyond types and sizes: the save functions check. */
int gw_entry_from_json(json_t *in, store_gw_entry_t *e, const char **field, char *err, size_t errlen);
int gw_res_from_json(json_t *in, store_gw_res_t *r, const char **field, char *err, size_t errlen);
int gw_news_from_json(json_t *in, store_gw_news_t *n, const char **field, char *err, size_t errlen);
/* New references. */
json_t *gw_areas_json(unsigned areas);
json_t *gw_entry_json(const store_gw_entry_t *e);
json_t *gw_res_json(const store_gw_res_t *r);
json_t *gw_news_json(const store_gw_news_t *n);
json_t *gw_result_json(const gw_result_t *r);

#endif
