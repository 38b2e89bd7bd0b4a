/* wlist.c — warning lists (see wlist.h). */
#include "wlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/idx.h"

extern const char data_warninglists_conf[]; /* data/warninglists.conf, built in */

struct wlist {
	idx_t *ix;
	const idx_snap_t *snap; /* built once: frozen */
};

void wlist_free(wlist_t *w)
{
	if (!w)
		return;
	idx_free(w->ix);
	free(w);
}

static int add_line(idx_builder_t *b, char *line, uint32_t id, const char **why)
{
	char *save = NULL, *list = strtok_r(line, " \t\r", &save), *value = strtok_r(NULL, " \t\r", &save);
	obs_t *o;
	if (!list)
		return 0; /* blank */
	if (!value || strtok_r(NULL, " \t\r", &save)) {
		*why = "want LIST VALUE";
		return -1;
	}
	if (!(o = malloc(sizeof *o))) {
		*why = "out of memory";
		return -1;
	}
	int rc = 0;
	idx_meta_t m = {.id = id, .source = list};
	if (obs_parse(value, strlen(value), OBS_NONE, o, NULL, 0) ||
	    (o->type != OBS_IPV4 && o->type != OBS_IPV6 && o->type != OBS_DOMAIN && o->type != OBS_ASN)) {
		*why = "the value must be an address, a prefix, a domain or an AS number";
		rc = -1;
	} else if (idx_builder_add(b, o, &m)) {
		*why = "out of memory";
		rc = -1;
	}
	free(o);
	return rc;
}

wlist_t *wlist_parse(const char *text, const char *name, char *err, size_t errlen)
{
	wlist_t *w = calloc(1, sizeof *w);
	idx_builder_t *b = NULL;
	char line[512];
	int lineno = 0;
	if (!w || !(w->ix = idx_new()) || !(b = idx_builder_new(w->ix))) {
		snprintf(err, errlen, "out of memory");
		goto bad;
	}
	/* a UTF-8 byte-order mark is skipped */
	for (const char *p = text + (strncmp(text, "\xEF\xBB\xBF", 3) ? 0 : 3); *p;) {
		const char *nl = strchr(p, '\n'), *why = NULL;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len >= sizeof line) {
			snprintf(err, errlen, "%s:%d: line too long", name, lineno);
			goto bad;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		line[strcspn(line, "#")] = '\0';
		p += len + (nl != NULL);
		if (add_line(b, line, (uint32_t)lineno, &why)) {
			snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
			goto bad;
		}
	}
	if (idx_reset(w->ix, b)) {
		b = NULL;
		snprintf(err, errlen, "out of memory");
		goto bad;
	}
	w->snap = idx_frozen(w->ix);
	return w;
bad:
	idx_builder_free(b);
	wlist_free(w);
	return NULL;
}

wlist_t *wlist_new(char *err, size_t errlen)
{
	return wlist_parse(data_warninglists_conf, "data/warninglists.conf (built in)", err, errlen);
}

wlist_t *wlist_with(const char *extra, char *err, size_t errlen)
{
	if (!extra || !*extra)
		return wlist_new(err, errlen);
	/* the operator's lines alone first, so that an error names their line */
	wlist_t *w = wlist_parse(extra, "warning lists (c5hub warninglists)", err, errlen);
	if (!w)
		return NULL;
	wlist_free(w);
	size_t a = strlen(data_warninglists_conf), b = strlen(extra);
	char *all = malloc(a + b + 2);
	if (!all) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(all, data_warninglists_conf, a);
	all[a] = '\n';
	memcpy(all + a + 1, extra, b + 1);
	w = wlist_parse(all, "warning lists", err, errlen);
	free(all);
	return w;
}

const char *wlist_match(const wlist_t *w, const obs_t *o)
{
	idx_hit_t hit;
	if (!w || idx_lookup(w->snap, o, &hit, 1) == 0)
		return NULL;
	return idx_str(w->ix, (uint16_t)hit.ref->source);
}
