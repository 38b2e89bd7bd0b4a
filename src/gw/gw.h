/* gw.h — the Cybersecurity Gateway: the directory of actors (organisations,
 * initiatives, teams), resources, news, and the search over them and the
 * published advisories.
 *
 * What it owns: the gateway's vocabularies (the GCA's five work areas,
 * stakeholder types, resource types, ISO 3166 countries), what a valid
 * entry, resource or news item is (web sites and links only http(s), e-mail,
 * fingerprints), who may write and approve (gw_may_edit, gw_may_approve),
 * what becomes public (an approved item goes into the search index; only
 * the index is searched), the search query language (gw_query_parse), the
 * search with its facet counts (gw_search), and the Atom writer (gw_atom.c).
 * Visibility is the hub's one rule, tlp_visible / SQ_VISIBLE: a public page
 * asks with GW_VIEW_PUBLIC (TLP:CLEAR only), a member with auth_view.
 * The web pages are src/web/web_gw.c, the API src/http/api_gw.c, the
 * command line src/cli/cli_gw.c; none has a rule of its own.
 *
 * Errors: 0, or an HTTP-like status (400 bad input with *field, 403, 404,
 * 500) with the reason in err; callers wrap writes in a transaction with
 * their audit entry. */
#ifndef C5_GW_H
#define C5_GW_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/util.h"
#include "store/store_gw.h"

/* The five work areas of the Global Cybersecurity Agenda, as bits. */
enum {
	GW_AREA_LEGAL = 1, GW_AREA_TECHNICAL = 2, GW_AREA_ORGANISATIONAL = 4,
	GW_AREA_CAPACITY = 8, GW_AREA_COOPERATION = 16, GW_AREAS = 5
};
extern const char *const gw_area_names[GW_AREAS];   /* "legal", ... by bit */
extern const char *const gw_stakeholders[5];        /* government, private, civil-society, ... */
extern const char *const gw_entry_kinds[3];         /* organisation, initiative, team */
extern const char *const gw_res_types[6];           /* document, law, strategy, guide, training, event */
extern const char *const gw_doc_kinds[4];           /* entry, resource, news, advisory */

/* The view of a page nobody signed in to: TLP:CLEAR only. */
#define GW_VIEW_PUBLIC ((tlp_view_t){.max_tlp = TLP_CLEAR})

/* "legal,technical" (commas or spaces) into bits: 0, or -1 naming the
 * unknown word in err.  gw_area_list writes the names back, comma-separated. */
int gw_area_parse(const char *s, unsigned *mask, char *err, size_t errlen);
void gw_area_list(unsigned mask, char *out, size_t n);
/* Is s one of names[0..n)? */
int gw_one_of(const char *s, const char *const *names, size_t n);
/* Is cc an ISO 3166-1 alpha-2 code (upper case)? */
int gw_country_ok(const char *cc);
/* Is u an absolute http or https URL with a host, of printable ASCII and no
 * quote, angle bracket, backslash or blank?  ("javascript:" never is.) */
int gw_url_ok(const char *u);

/* Who may write an entry or resource of organisation org: contributors and
 * above of org, and the hub's analysts.  Who approves (makes public), adds
 * news and edits anyone's: the hub's analysts and admins. */
int gw_may_edit(const principal_t *p, int64_t org);
int gw_may_approve(const principal_t *p);
/* May p (NULL: nobody signed in) see an item of org in status?  Public
 * ones everybody (within their TLP), others their organisation and the
 * hub's analysts. */
int gw_may_see(const principal_t *p, int64_t org, const char *status);

/* ---- writing (the API, the console and the CLI all write here) ----
 * save: check and store e for p (new when e->id is 0: of p's organisation
 * unless p approves and set e->org_id).  What p saves goes to the queue
 * (status pending) unless e->status is "draft"; an edit of a public item
 * takes it out of the index until approved again; the hub's analysts' news
 * is public at once.  approve: make item id of kind ("entry", "resource",
 * "news") public and put it in the index; reject: back to draft and out of
 * the index. */
int gw_entry_save(store_t *st, const principal_t *p, store_gw_entry_t *e, const char **field, char *err,
		  size_t errlen);
int gw_res_save(store_t *st, const principal_t *p, store_gw_res_t *r, const char **field, char *err,
		size_t errlen);
int gw_news_save(store_t *st, const principal_t *p, store_gw_news_t *n, const char **field, char *err,
		 size_t errlen);
int gw_approve(store_t *st, const principal_t *p, const char *kind, int64_t id, int approve, char *err,
	       size_t errlen);
/* Attach a file to resource id (p may edit it): at most GW_FILE_MAX bytes;
 * its name is kept for the download's file name (printable, without
 * quotes or slashes). */
#define GW_FILE_MAX (8u * 1024 * 1024)
int gw_res_attach(store_t *st, const principal_t *p, int64_t id, const void *data, size_t n, const char *name,
		  char *err, size_t errlen);

/* ---- the index: what another module publishes into the search ----
 * Put (or replace) document (d->kind, d->ref) in the search index and the
 * feeds: kind is "entry", "resource", "news" or "advisory"; title and ref
 * not empty, all text UTF-8; tlp, org_id (the giver), facets and url as the
 * object's.  It is searchable and listed at once (in the caller's
 * transaction when one is open).  csaf calls it when an advisory is
 * published (kind "advisory", ref its tracking id, url its page).  del
 * removes it (0 when absent). */
typedef store_gw_doc_t gw_doc_t;
int gw_index_put(store_t *st, const gw_doc_t *d, char *err, size_t errlen);
int gw_index_del(store_t *st, const char *kind, const char *ref);

/* ---- searching ---- */
/* A person's query into an FTS5 expression: words (letters and digits of
 * any script; everything else separates them) all required, "a phrase" in
 * double quotes, a word of two characters or more ending in '*' a prefix
 * ("s*" is the word "s"), a word after '-' excluded
 * (not alone), OR between two words either; at most 16 terms of 64 bytes.
 * 1 with out set, 0 when the query has no word (browse), -1 when out
 * (GW_QUERY_MAX bytes) cannot hold it.  Total: any input gives a valid
 * expression or 0. */
#define GW_QUERY_MAX 2048
int gw_query_parse(const char *in, char *out, size_t outlen);

#define GW_PAGE 20
#define GW_FACET_MAX 64
typedef struct {
	char name[24];
	long n;
} gw_count_t;
typedef struct {
	int64_t doc;                /* the index's id of it */
	char kind[16], ref[64], title[300], url[256], type[16];
	char snippet[320];          /* the text's start, cut at a character */
	tlp_t tlp;
	unsigned areas;
	int64_t updated;
	double score;
} gw_hit_t;
typedef struct {
	const char *q;              /* the person's words, or NULL/"" */
	const char *kind, *stakeholder, *country, *lang, *type; /* facet filters, NULL/"": any */
	unsigned areas;
	int offset;
	int first;                  /* > 0: only the first this many hits (at most
				       GW_PAGE), no total or facets: a quick list */
} gw_search_t;
#define GW_COUNT_MAX 10000 /* matches counted (total, facets) at most */
typedef struct {
	long total;
	int more;                   /* over GW_COUNT_MAX matched: total is GW_COUNT_MAX
				       and the facets count the first GW_COUNT_MAX */
	int nhits;
	gw_hit_t hits[GW_PAGE];
	long areas[GW_AREAS];       /* documents of each work area */
	gw_count_t kinds[8], stakeholders[8], types[16], countries[GW_FACET_MAX], langs[GW_FACET_MAX];
	int nkinds, nstakeholders, ntypes, ncountries, nlangs;
} gw_result_t;
/* Search for v: the documents v may see matching s, best first (newest
 * first without words), page s->offset / GW_PAGE, and the facet counts of
 * all of them (of the first GW_COUNT_MAX when more match: res->more).  0, 400 (err: the query is too long), 500. */
int gw_search(store_t *st, const tlp_view_t *v, const gw_search_t *s, gw_result_t *res, char *err,
	      size_t errlen);

/* ---- Atom (RFC 4287), gw_atom.c ---- */
typedef struct {
	const char *id, *title, *link, *summary; /* link: absolute URL */
	int64_t updated;
	const char *categories[GW_AREAS + 1];    /* NULL-terminated */
} gw_atom_entry_t;
/* A feed document: id (a URI), title, self (the feed's absolute URL),
 * alternate (the HTML page's), updated (the newest entry, or now) and the
 * entries, every text escaped; total (the buffer's oom flag tells). */
void gw_atom(util_buf_t *out, const char *id, const char *title, const char *self, const char *alternate,
	     int64_t updated, const gw_atom_entry_t *e, size_t n);

#endif
