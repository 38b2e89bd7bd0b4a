/* store_gw.h — the store's gateway domain (store_gw.c): directory entries,
 * resources and their attachments, news items, and the search index over
 * them and the published advisories (an FTS5 table beside a facets table).
 * The rules (who may write, what is valid, what becomes public) are in
 * src/gw/; this layer only keeps rows.  Errors as in store.h. */
#ifndef C5_STORE_GW_H
#define C5_STORE_GW_H

#include "store/store.h"

/* A directory entry: an organisation, an initiative or a team. */
typedef struct store_gw_entry {
	int64_t id, org_id;         /* org_id: the organisation that edits it */
	char kind[16];              /* organisation | initiative | team */
	char name[200];
	char stakeholder[24];       /* government | private | civil-society | international | academia */
	char country[3];            /* ISO 3166-1 alpha-2 */
	char sector[100];
	unsigned areas;             /* GW_AREA_* bits (gw.h) */
	char description[4000];
	char website[512];          /* http(s) URL or "" */
	char email[256], phone[64]; /* a team's public contacts */
	char pgp[64], x509[100];    /* fingerprints (hex) */
	char status[12];            /* draft | pending | public */
	int64_t created, updated;
} store_gw_entry_t;

/* A resource: a document, law, strategy, guide, training or event. */
typedef struct store_gw_res {
	int64_t id, org_id;
	char type[16];              /* document | law | strategy | guide | training | event */
	char title[300];
	char summary[4000];
	unsigned areas;
	char stakeholder[24], country[3], lang[8];
	char link[512];             /* http(s) URL, or "" when a file is attached */
	char file_name[128];        /* the attachment's name, "" for none */
	int64_t file_size;
	tlp_t tlp;
	char status[12];            /* pending | public */
	int64_t created, updated;
} store_gw_res_t;

/* A news item. */
typedef struct store_gw_news {
	int64_t id, org_id;
	char title[300];
	char body[8000];
	unsigned areas;
	tlp_t tlp;
	char status[12];            /* pending | public */
	int64_t created, updated;
} store_gw_news_t;

/* Filters of the lists: "" / 0 for any. */
typedef struct store_gw_filter {
	const char *status;         /* one status, or NULL for any */
	int64_t org_id;
	unsigned areas;             /* any of these bits */
	const char *kind_or_type, *stakeholder, *country, *lang;
	tlp_view_t view;            /* resources and news: those v may see */
	int64_t after_id;           /* newest first: only ids below it (0: from the newest) */
	int limit;                  /* 0: 100 */
} store_gw_filter_t;

/* One document of the search index (kind, ref) is its key: "entry" /
 * "resource" / "news" / "advisory" and the object's id as text. */
typedef struct store_gw_doc {
	int64_t id;                 /* the index's own (set by search, not by put) */
	const char *kind, *ref, *title, *text; /* text: NULL from a search */
	tlp_t tlp;
	int64_t org_id;             /* the giver (the visibility rule's) */
	unsigned areas;
	const char *stakeholder, *country, *lang, *type; /* "" when not known */
	const char *url;            /* the page of the object on this site */
	int64_t updated;            /* seconds */
} store_gw_doc_t;

/* A search: match is an FTS5 expression (made by gw_query_parse) or NULL to
 * browse everything newest first; the facet filters narrow it.  ranked:
 * best first (bm25, the title ten times the text); else in no order (a
 * count).  limit: at most that many (0: all). */
typedef struct store_gw_query {
	tlp_view_t view;
	const char *match;
	const char *kind, *stakeholder, *country, *lang, *type; /* NULL/"": any */
	unsigned areas;             /* documents having all these bits */
	int ranked, limit;
} store_gw_query_t;

typedef int (*store_gw_entry_cb)(void *arg, const store_gw_entry_t *e);
typedef int (*store_gw_res_cb)(void *arg, const store_gw_res_t *r);
typedef int (*store_gw_news_cb)(void *arg, const store_gw_news_t *n);
/* d's strings are borrowed for the call; score: bm25 (lower is better), 0
 * when browsing.  A non-zero return stops the walk (and is returned). */
typedef int (*store_gw_doc_cb)(void *arg, const store_gw_doc_t *d, double score);

/* Add (id 0: sets id, created, updated) or replace (by id) a row. */
int store_gw_entry_put(store_t *st, store_gw_entry_t *e);
int store_gw_entry_get(store_t *st, int64_t id, store_gw_entry_t *out);  /* STORE_ENOTFOUND */
int store_gw_entry_list(store_t *st, const store_gw_filter_t *f, store_gw_entry_cb cb, void *arg);
int store_gw_res_put(store_t *st, store_gw_res_t *r);
int store_gw_res_get(store_t *st, int64_t id, store_gw_res_t *out);
int store_gw_res_list(store_t *st, const store_gw_filter_t *f, store_gw_res_cb cb, void *arg);
int store_gw_news_put(store_t *st, store_gw_news_t *n);
int store_gw_news_get(store_t *st, int64_t id, store_gw_news_t *out);
int store_gw_news_list(store_t *st, const store_gw_filter_t *f, store_gw_news_cb cb, void *arg);
/* A resource's attachment: put replaces it (n 0 removes it); get gives a
 * malloc'd copy in *data (the caller frees) and its name. */
int store_gw_file_put(store_t *st, int64_t res_id, const void *data, size_t n, const char *name);
int store_gw_file_get(store_t *st, int64_t res_id, void **data, size_t *n, char *name, size_t namelen);
/* The search index: put adds or replaces (kind, ref); del removes it (no
 * error when absent); search walks the matches that q.view may see, best
 * first (browsing: newest first). */
int store_gw_doc_put(store_t *st, const store_gw_doc_t *d);
int store_gw_doc_del(store_t *st, const char *kind, const char *ref);
int store_gw_search(store_t *st, const store_gw_query_t *q, store_gw_doc_cb cb, void *arg);
/* The start of document id's text (a search's d->id) into out (n bytes;
 * "" when gone). */
int store_gw_doc_text(store_t *st, int64_t id, char *out, size_t n);
/* The gateway's generation (raised by every change to its tables) and the
 * time of the last change: what a public page's ETag and Last-Modified are
 * made of. */
int store_gw_gen(store_t *st, int64_t *gen, int64_t *changed);

#endif
