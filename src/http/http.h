/* http.h — the HTTP server (libmicrohttpd): request plumbing, limits,
 * authentication, routing, JSON responses and the request metrics.  The API
 * handlers themselves live in api.c. */
#ifndef C5_HTTP_H
#define C5_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "auth/auth.h"
#include "hub/hub.h"

/* What a handler returns once it has queued its response (MHD_YES). */
#define HTTP_DONE 1

#define HTTP_BODY_MAX (16u * 1024 * 1024) /* largest request body accepted */

typedef struct http_server http_server_t;

/* One request as the handlers see it. */
typedef struct http_req {
	hub_t *hub;
	http_server_t *srv;
	struct MHD_Connection *conn;
	const char *method, *url;
	const char *arg;   /* the path part after a route's prefix ("{id}"), or "" */
	char *body;        /* NUL-terminated request body */
	size_t len, cap;
	int too_large;
	int long_query;    /* the query string was over the limits: 414 */
	int nul_path;      /* the path holds an encoded NUL (%00): names nothing */
	int big;           /* holds big-body slot big - 1 (0: none) */
	int busy;          /* no big-body slot was free: 503 */
	principal_t who;   /* valid when the route is not public */
	char sid[48];      /* console routes: the session's id (web.c)     */
	int64_t person;    /* console routes: the person signed in         */
	int totp_setup;    /* ... whose session may only set up a second factor */
	int status;        /* of the response queued */
	int route;
	double t0;
	int responded;
	char why[256];     /* why a client certificate was refused */
	struct {
		const char *name;  /* static */
		char value[512];
	} hdr[8];          /* extra response headers (http_header; a
			      Cache-Control here replaces no-store) */
	int nhdr;
} http_req_t;

/* HTTPS: the server's certificate and key and the CA whose client
 * certificates authenticate organisations (PEM, NUL-terminated). */
typedef struct {
	const char *cert, *key, *ca;
} http_tls_t;

/* Start serving on addr ("127.0.0.1:8080"; port 0 picks a free one), with
 * TLS when tls is not NULL (TLS 1.2 and 1.3, AEAD ciphers only; a client
 * certificate is asked for, and checked in every protected request), and
 * the limits of http.c ("limits": per-address connections, request-head
 * and body deadlines, query size, big bodies, live streams).
 * 0, or -1 with the reason in err ("... address already in use"). */
int http_start(hub_t *hub, const char *addr, const http_tls_t *tls, http_server_t **out, char *err,
	       size_t errlen);
void http_stop(http_server_t *s);
uint16_t http_port(const http_server_t *s);

/* Add a header to the response about to be queued (up to 4; name static). */
void http_header(http_req_t *r, const char *name, const char *value);

/* Responses; each queues exactly one response on the request. */
int http_json(http_req_t *r, int status, json_t *body); /* steals body */
int http_text(http_req_t *r, int status, const char *ctype, char *text, size_t len); /* steals text */
/* {"error": {"code": code, "message": msg}} */
int http_error(http_req_t *r, int status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* As http_error, naming the item (index in a batch, -1 for none) and field. */
int http_error_at(http_req_t *r, long item, const char *field, const char *msg);

/* The client's address as text ("?" when unknown). */
void http_client_addr(http_req_t *r, char *out, size_t n);
/* The client certificate of r's TLS connection: 1 and *p when it is valid
 * and enrolled, 0 when there is none, -1 (r->why) when it is refused. */
int http_client_cert(http_req_t *r, principal_t *p);

/* Record a change made by this request in the audit log (inside the
 * request's write transaction).  0 / -1. */
int http_audit(http_req_t *r, store_t *st, const char *action, const char *object,
	       const char *detail);

/* Live streams (server-sent events): answer r with a callback response
 * (read produces the bytes; done frees cls, also when refused).  A reader
 * with nothing to say parks its connection (http_park, then return 0); all
 * parked connections are resumed on every hub_kick() and each second.  The
 * free callback must http_unpark().  Refused with 429 past 4 streams per
 * token or certificate or 16 per organisation, 503 past 256 in all; a
 * stream ends when its client leaves, stops acknowledging, or after an hour. */
struct MHD_Connection;
#include <microhttpd.h>
int http_stream(http_req_t *r, MHD_ContentReaderCallback read, void *cls,
		MHD_ContentReaderFreeCallback done);
void http_park(http_server_t *s, struct MHD_Connection *c);
void http_unpark(http_server_t *s, struct MHD_Connection *c);
int http_stopping(http_server_t *s);

/* A query-string argument, or NULL. */
const char *http_query(http_req_t *r, const char *name);

/* A batch body, {"values": [...], "type": T} or a bare array, checked:
 * at most 100,000 values, all strings.  0 with *in (caller decrefs), *vals
 * (borrowed from *in) and *want; non-zero once an error response is queued. */
int api_batch_values(http_req_t *r, json_t **in, json_t **vals, obs_type_t *want);

/* The indicator value an index hit matched (the query, its covering prefix
 * or its listed parent domain) into out (OBS_VALUE_MAX + 1 bytes), and the
 * name of how it matched ("exact", "prefix", "parent"). */
void api_hit_value(const obs_t *q, const idx_hit_t *h, char *out);
const char *api_how_name(int how);
/* May the caller see an object (id, TLP, giver)?  hub_visible with the
 * caller's view: every handler asks this, or filters with auth_view. */
int api_sees(http_req_t *r, int64_t id, tlp_t tlp, int64_t giver);

/* The view of a public route's reader (the console's session, a token or
 * an enrolled client certificate: r->who set; else nobody: CLEAR only).
 * Never queues a response. */
tlp_view_t http_viewer(http_req_t *r);

/* Advisories as the API and the console share them (api_csaf.c).
 * api_advisory_may_write: analysts and above of the hub's own organisation.
 * api_advisories: what r may see (published ones by the rule; drafts too
 * for those who write), newest first, as store_adv_list.
 * api_advisory_find: advisory id when r may see it, 0 with *a, else 404.
 * api_advisory_save: create or edit (csaf_save) as r: 0 with *out, or 400
 * (path, err), 403, 404 (edit: none), 409 (create: the id is taken), 500.
 * api_advisory_publish_as: publish id as r (csaf_publish, then
 * hub_kick: the subscribers' e-mail goes at once): 0 with *out, or 403, 404,
 * 409 with err. */
struct store_adv;
int api_advisory_may_write(const http_req_t *r);
int api_advisories(http_req_t *r, store_t *st, int64_t limit,
		   int (*cb)(void *, const struct store_adv *), void *arg);
int api_advisory_find(http_req_t *r, store_t *st, const char *id, struct store_adv *a);
int api_advisory_save(http_req_t *r, json_t *adv, int create, struct store_adv *out, char *path,
		      size_t pathlen, char *err, size_t errlen);
int api_advisory_publish_as(http_req_t *r, const char *id, const char *summary, struct store_adv *out,
			    char *err, size_t errlen);

/* Raise early warning w (its fields filled; author and organisation are
 * the caller's): checked, recorded with its deliveries and sent.  0 with
 * *ndeliveries, or an HTTP status (400: refused, 503: no sender, 500) with
 * the reason in err.  The API and the console both raise warnings here. */
int api_warning_raise(http_req_t *r, store_warning_t *w, size_t *ndeliveries, char *err, size_t errlen);

/* Add the indicators of items (a JSON array of objects, as POST
 * /api/v1/indicators takes) for r's principal, all or none: contributors and
 * above; every item checked before anything is written; they belong to the
 * caller's organisation.  0 with *ids (one per item; the caller frees), or an
 * HTTP status (400, 403, 500) with *item (the item at fault, or -1), *field
 * (or NULL; may point into items) and the reason in err.  The API and the
 * console both add indicators here. */
int api_indicators_add(http_req_t *r, json_t *items, int64_t **ids, long *item, const char **field,
		       char *err, size_t errlen);
/* Edit indicator id for r's principal with changes (a JSON object of tlp,
 * confidence, classification, valid_until — null: no end), the rule of
 * PATCH /api/v1/indicators/{id}: analysts and above, of the creating
 * organisation or the hub; only the creating organisation lowers the TLP.
 * 0 with *ind as stored, or an HTTP status (400, 403, 404: not there or not
 * visible, 500) with *field (or NULL; may point into changes) and err.  The
 * API and the console both edit indicators here. */
int api_indicator_edit(http_req_t *r, int64_t id, json_t *changes, indicator_t *ind, const char **field,
		       char *err, size_t errlen);
/* May r's principal edit an indicator of organisation org?  (The rule
 * api_indicator_edit applies; the console asks it to offer the form.) */
int api_may_edit_indicator(const http_req_t *r, int64_t org);

/* Is r's principal an administrator of the hub's own organisation?  They
 * manage the hub's configuration: feeds and the constituency. */
int api_hub_admin(const http_req_t *r);
/* A feed as GET /api/v1/feeds shows it (a new reference). */
json_t *api_feed_json(const store_feed_t *f);
/* Add the URL feed in (a JSON object as POST /api/v1/feeds takes) for r's
 * principal, checked as the API checks it.  0 with *f as stored, or an HTTP
 * status (400, 403, 409: the name is taken, 500) with *field (or NULL) and
 * err.  The API and the console both add feeds here. */
int api_feed_add(http_req_t *r, json_t *in, store_feed_t *f, const char **field, char *err, size_t errlen);
/* Make feed name due now (audited) and wake the server's scheduler, which
 * runs it at once (after the run in progress, if any).  0, or an HTTP status (403, 404, 409: disabled or no scheduler,
 * 500) with err. */
int api_feed_run_now(http_req_t *r, const char *name, char *err, size_t errlen);
/* Import a constituency CSV stream (cons.h's columns; called name in
 * messages) for r's principal: the hub's administrators; all rows or none;
 * with create, organisations not yet known are made, each audited.  The
 * server's table follows at once.  0 with *rows, or an HTTP status (400
 * with "name:line: reason" in err, 403, 500).  The API and the console both
 * import here. */
int api_constituency_import(http_req_t *r, FILE *csv, const char *name, int create, long *rows, char *err,
			    size_t errlen);

/* The deliveries (notices and warnings sent) r's principal may see: its own
 * organisation's, or every one for the hub's members (GET
 * /api/v1/deliveries and the console's page both list here); state NULL
 * for any, after_id and limit as store_delivery_list, whose result this is. */
int api_deliveries(http_req_t *r, store_t *st, const char *state, int64_t after_id, int limit,
		   store_delivery_cb cb, void *arg);

/* Tokens as the API and the console share them (one rule: an
 * organisation's admins their own organisation's, the hub's members all;
 * the callers check the admin role).  api_token_list: the tokens r may
 * manage (store_token_list's result).  api_token_create: make t (org_id,
 * role, label set by the caller; id and prefix set here) with its clear
 * text (AUTH_TOKEN_LEN + 1 bytes), audited: 0, 403 (another
 * organisation's), 500 (no randomness when t->prefix is empty, else the
 * store: store_errmsg).  api_token_revoke: 0, 404 (no such active token
 * that r may manage), 500 (the store). */
int api_token_list(http_req_t *r, store_t *st, int include_revoked, store_token_cb cb, void *arg);
int api_token_create(http_req_t *r, store_t *st, store_token_t *t, char *clear);
int api_token_revoke(http_req_t *r, store_t *st, int64_t id);

/* Certificate requests as the API and the console share them.
 * api_pki_decides: r is an administrator of the hub (who approves,
 * rejects and revokes, and sees every organisation's requests).
 * api_pki_requests: the requests r may see in status (NULL: any), as
 * store_csr_list.  api_pki_request_cert: request id if r may see it (its
 * own organisation's, or the hub's members), with the newest unrevoked
 * certificate issued for it (*has_cert): 0, 404 (none r may see), 500. */
int api_pki_decides(const http_req_t *r);
int api_pki_requests(http_req_t *r, store_t *st, const char *status, store_csr_cb cb, void *arg);
int api_pki_request_cert(http_req_t *r, store_t *st, int64_t id, store_csr_t *req, store_cert_t *cert,
			 int *has_cert);

/* Share STIX object id with organisation org (a name) for r's principal,
 * or with permit let org re-share it: the rule of POST /api/v1/stix/{id}/
 * share and /permit — analysts and above; an AMBER, AMBER+STRICT or RED
 * object r may see; its creating organisation shares and permits, another
 * one shares only with the creator's recorded permission; audited; the
 * look-ups follow at once.  0 with *to (the organisation as stored) and
 * *versions (the versions named), or an HTTP status (400: CLEAR or GREEN,
 * or *field "org": no such organisation; 403; 404: no such object r may
 * see; 500) with the reason in err.  The API and the console both share
 * here. */
int api_stix_share_to(http_req_t *r, const char *id, int permit, const char *org, org_t *to, int *versions,
		      const char **field, char *err, size_t errlen);

/* ---- handlers (api.c) ---- */
int api_lookup_get(http_req_t *r);
int api_lookup_post(http_req_t *r);
int api_indicators_post(http_req_t *r);
int api_indicators_list(http_req_t *r);
int api_indicator_get(http_req_t *r);
int api_indicator_patch(http_req_t *r);
int api_indicator_delete(http_req_t *r);
int api_orgs_list(http_req_t *r);
int api_orgs_post(http_req_t *r);
int api_tokens_list(http_req_t *r);
int api_tokens_post(http_req_t *r);
int api_token_delete(http_req_t *r);
int api_whoami(http_req_t *r);
int api_pki_file(http_req_t *r);
/* api_csaf.c: the CSAF provider's files and /api/v1/advisories */
int api_csaf_wellknown(http_req_t *r);
int api_csaf_aggregator(http_req_t *r);
int api_advisories_list(http_req_t *r);
int api_advisories_post(http_req_t *r);
int api_advisory_get(http_req_t *r);
int api_advisory_put(http_req_t *r);
int api_advisory_publish(http_req_t *r);
int api_pki_request(http_req_t *r);     /* api_pki.c */
int api_pki_request_get(http_req_t *r);
int api_pki_requests_list(http_req_t *r);
int api_pki_approve(http_req_t *r);
int api_constituency_who(http_req_t *r);
int api_constituency_list(http_req_t *r); /* api_watch.c */
int api_constituency_post(http_req_t *r);
int api_feeds_list(http_req_t *r);
int api_feeds_post(http_req_t *r);
int api_warnings_post(http_req_t *r);
int api_warnings_list(http_req_t *r);
int api_deliveries_list(http_req_t *r);
int api_stream(http_req_t *r);
int api_reputation_get(http_req_t *r);  /* api_rep.c */
int api_reputation_post(http_req_t *r);
int api_taxii(http_req_t *r);           /* api_taxii.c: everything under /taxii2/ */
int api_stix_share(http_req_t *r);      /* api_stix.c: POST /api/v1/stix/{id}/share|permit */
int api_cases_list(http_req_t *r);      /* api_case.c: /api/v1/cases and /api/v1/incidents */
int api_cases_post(http_req_t *r);
int api_case_get(http_req_t *r);
int api_case_patch(http_req_t *r);
int api_case_post(http_req_t *r);
int api_incidents_post(http_req_t *r);

/* The gateway (api_gw.c; the rules are gw.h's).  api_gw_save: add (id 0)
 * or edit item id of kind ("entry", "resource", "news") from in (the API's
 * JSON object; "org": an organisation's name, for the hub's analysts), for
 * r's principal, audited: 0 with *out (the item as stored, a new
 * reference), or 400 (*field, which may point into in), 403, 404, 500 with
 * err.  api_gw_approve: make it public (approve) or send it back to draft.
 * api_gw_attach: a resource's file.  api_gw_list: the items of kind
 * (status NULL: any) r's principal may see, as JSON objects, to cb (a
 * non-zero return stops).  The API and the console all go through these. */
typedef int (*api_gw_cb)(void *arg, json_t *item);
int api_gw_save(http_req_t *r, const char *kind, int64_t id, json_t *in, json_t **out, const char **field, char *err,
		size_t errlen);
int api_gw_approve(http_req_t *r, const char *kind, int64_t id, int approve, char *err, size_t errlen);
int api_gw_attach(http_req_t *r, int64_t id, const void *data, size_t n, const char *name, char *err,
		  size_t errlen);
int api_gw_list(http_req_t *r, const char *kind, const char *status, int limit, api_gw_cb cb, void *arg);
int api_gw(http_req_t *r);              /* api_gw.c: everything under /api/v1/gw/ */
/* The case actor of a request (api_case.c): the hub's team is an analyst or
 * admin of the hub's organisation; everyone else acts for its own
 * organisation (the API and the console's case pages). addr: n bytes for
 * the client's address. */
#include "case/case.h"
case_actor_t api_case_actor(http_req_t *r, char *addr, size_t n);
/* Is r's body XML (application/xml or text/xml, any parameters)?  POST
 * /api/v1/incidents takes an IODEF document so. */
int api_body_is_xml(http_req_t *r);

#endif
