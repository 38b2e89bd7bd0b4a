/* web_int.h — what web.c lends the console's page files: rendering a page
 * into the layout, the reader's language, the signed-in person, and small
 * helpers.  Not for use outside src/web/. */
#ifndef C5_WEB_INT_H
#define C5_WEB_INT_H

#include <jansson.h>

#include "people/people.h"
#include "web/web.h"

/* A message to translate later (web_t), marked for tests/tools/po_check.py. */
#define N_(s) s

typedef struct {
	const char *tpl, *title, *nav; /* template, title (a msgid), menu entry */
	int chart;                      /* the page draws the chart */
	const people_user_t *u;         /* NULL before sign-in */
	const char *sid;                /* the session (for the CSRF token) */
} web_page_t;

/* Render p's template over ctx (stolen; the CSRF token is added) inside the
 * layout, with the security headers; the response is queued. */
int web_page(http_req_t *r, int status, const web_page_t *p, json_t *ctx);
/* A page saying msg (a msgid) with status. */
int web_error(http_req_t *r, int status, const people_user_t *u, const char *msg);
/* The reader's words for msg. */
const char *web_t(http_req_t *r, const char *msg);
/* 303 to a path of this site. */
int web_redirect(http_req_t *r, const char *to);
/* The person of an authenticated console request (web_authenticate). */
int web_me(http_req_t *r, people_user_t *u);
/* An RFC 3339 time, or null for 0. */
json_t *web_time(int64_t t);
/* A JSON string of s when it is UTF-8, else of s with every bad byte shown
 * as U+FFFD (what a person sent is shown back, never dropped whole). */
json_t *web_str(const char *s);
/* [{name, sel}] for a <select>: sel true on the one named sel. */
json_t *web_choices(const char *const *names, size_t n, const char *sel);

#endif
