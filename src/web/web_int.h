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
	int gw;                         /* a gateway page: its menu, for everyone */
	char **keep;                    /* when set: a malloc'd copy of the page sent (*keep_len bytes) */
	size_t *keep_len;
} web_page_t;

/* Render p's template over ctx (stolen; the CSRF token is added) inside the
 * layout, with the security headers; the response is queued. */
int web_page(http_req_t *r, int status, const web_page_t *p, json_t *ctx);
/* The security headers of every page (web_page adds them itself). */
void web_security_headers(http_req_t *r);
/* A page saying msg (a msgid) with status. */
int web_error(http_req_t *r, int status, const people_user_t *u, const char *msg);
/* The reader's words for msg. */
const char *web_t(http_req_t *r, const char *msg);
/* 303 to a path of this site. */
int web_redirect(http_req_t *r, const char *to);
/* The person of an authenticated console request (web_authenticate). */
int web_me(http_req_t *r, people_user_t *u);
/* On a public route: the person signed in, if any (a session as
 * web_authenticate accepts it, with its organisation's certificate policy):
 * 1 with *u, r->who and r->sid set; 0 for nobody (r->who's view then sees
 * TLP:CLEAR only, through GW_VIEW_PUBLIC). */
int web_viewer(http_req_t *r, people_user_t *u);
/* The reader's language code ("en", "fr", ...). */
const char *web_lang_code(http_req_t *r);
/* A request header, or NULL. */
const char *web_header(http_req_t *r, const char *name);
/* An RFC 3339 time, or null for 0. */
json_t *web_time(int64_t t);
/* A JSON string of s when it is UTF-8, else of s with every bad byte shown
 * as U+FFFD (what a person sent is shown back, never dropped whole). */
json_t *web_str(const char *s);
/* A field of r's form, url-encoded or multipart/form-data, into out: as
 * form_get (1 found, 0 absent, -1 malformed, too long or holding a NUL). */
int web_field(http_req_t *r, const char *name, char *out, size_t outlen);
/* A field of r's form as a JSON string (a new reference): "" when absent,
 * malformed, longer than max bytes or not UTF-8. */
json_t *web_field_json(http_req_t *r, const char *name, size_t max);
/* A form's number as the API takes it (a new reference): an integer when
 * the string s is one, else s itself (which the API's checks refuse). */
json_t *web_number_json(json_t *s);
/* A part of r's multipart/form-data body (a file), borrowed from r->body,
 * and its file name: as form_part; 0 when the body is not multipart. */
int web_part(http_req_t *r, const char *name, const char **p, size_t *n, char *fname, size_t fnlen);
/* What a form with a file input "file" and a text box "text" sent: the
 * file when one was chosen (*from_file set; name: its base name, printable,
 * without ':'), else the text box (name: "upload").  1 with *text (a copy,
 * NUL-terminated: the caller frees it, also on 0 and -1) of *n bytes; 0 when
 * nothing was sent; -1 when the body is malformed or memory is short. */
int web_upload(http_req_t *r, char **text, size_t *n, char *name, size_t namelen, int *from_file);
/* [{name, sel}] for a <select>: sel true on the one named sel. */
json_t *web_choices(const char *const *names, size_t n, const char *sel);

#endif
