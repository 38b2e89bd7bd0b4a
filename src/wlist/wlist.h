/* wlist.h — warning lists: values the hub never acts on.
 *
 * What it owns: the lists of data/warninglists.conf (compiled in: private
 * and reserved address space, public resolvers, major domains) in a small
 * frozen look-up index, and the question "is this value on one?" — an
 * address inside a listed prefix and a name under a listed domain count.
 * The DNS blocklist, exports and look-ups ask it before publishing. */
#ifndef C5_WLIST_H
#define C5_WLIST_H

#include <stddef.h>

#include "core/obs.h"

typedef struct wlist wlist_t;

/* The built-in lists.  NULL with "file:line: reason" in err. */
wlist_t *wlist_new(char *err, size_t errlen);
/* The built-in lists and the operator's (text in the same "LIST VALUE"
 * lines, or NULL).  NULL with "name:line: reason" in err. */
wlist_t *wlist_with(const char *extra, char *err, size_t errlen);
/* Parse list text ("LIST VALUE" lines) into a new set.  NULL with err. */
wlist_t *wlist_parse(const char *text, const char *name, char *err, size_t errlen);
void wlist_free(wlist_t *w);

/* The name of a list o is on, or NULL.  Thread-safe, never blocks. */
const char *wlist_match(const wlist_t *w, const obs_t *o);

#endif
