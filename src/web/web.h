/* web.h — the web console: pages rendered by the binary from the built-in
 * templates (data/web/), for people signed in with a session (people.h).
 *
 * What it owns: the console's routes, sign-in and sign-out, enrolment, the
 * session cookie and CSRF checks, the reader's language, the security
 * headers of every page, and the pages themselves.  What a page shows is
 * decided by the same functions as the API (auth_view, hub_verdict,
 * store_list_indicators, notify_warning_visible): the console is another
 * way in, never another set of rules.  Every form works without
 * JavaScript; c5.js only adds local times, live warnings and the chart. */
#ifndef C5_WEB_H
#define C5_WEB_H

#include "http/http.h"

/* Who is asking, from the session cookie: 0 with r->who filled (the
 * person's organisation and role; cred "person EMAIL"), or non-zero once a
 * response is queued (a GET is sent to /signin, anything else refused). */
int web_authenticate(http_req_t *r);
/* On a public route: 1 with r->who when a person is signed in, else 0 (no
 * response queued). */
int web_reader(http_req_t *r);

/* Check every built-in template and catalogue (start-up and tests): 0, or
 * -1 with the first error. */
int web_check(char *err, size_t errlen);

/* ---- routes (http.c) ---- */
int web_home(http_req_t *r);
int web_advisory_page(http_req_t *r); /* GET /advisories/{id} (web_csaf.c) */
int web_advisories(http_req_t *r);     /* GET  /console/advisories          */
int web_advisory_new(http_req_t *r);   /* GET  /console/advisories/new      */
int web_advisory_add(http_req_t *r);   /* POST /console/advisories/new      */
int web_advisory(http_req_t *r);       /* GET  /console/advisories/{id}     */
int web_advisory_post(http_req_t *r);  /* POST /console/advisories/{id}     */          /* GET  /                    */
int web_static(http_req_t *r);        /* GET  /static/{name}       */
int web_lang(http_req_t *r);          /* GET  /lang?lang=&back=    */
int web_signin_get(http_req_t *r);    /* GET  /signin              */
int web_signin_post(http_req_t *r);   /* POST /signin              */
int web_signin_cert(http_req_t *r);   /* POST /signin/cert (TLS, an enrolled client certificate) */
int web_signout(http_req_t *r);       /* POST /signout             */
int web_enrol_get(http_req_t *r);     /* GET  /enrol/{secret}      */
int web_enrol_post(http_req_t *r);    /* POST /enrol/{secret}      */
int web_dashboard(http_req_t *r);     /* GET  /console             */
int web_lookup(http_req_t *r);        /* GET  /console/lookup      */
int web_indicators(http_req_t *r);    /* GET  /console/indicators  */
int web_indicator(http_req_t *r);     /* GET  /console/indicators/{id} */
int web_warnings(http_req_t *r);      /* GET  /console/warnings    */
int web_warning_post(http_req_t *r);  /* POST /console/warnings    */
int web_mine(http_req_t *r);          /* GET  /console/mine        */
int web_totp(http_req_t *r);          /* GET  /console/totp        */
int web_totp_post(http_req_t *r);     /* POST /console/totp        */
/* web_indicators.c (web_indicator above too) */
int web_indicator_post(http_req_t *r);   /* POST /console/indicators/{id}: edit */
int web_indicator_new(http_req_t *r);    /* GET  /console/indicators/new    */
int web_indicator_add(http_req_t *r);    /* POST /console/indicators/new    */
int web_indicator_upload(http_req_t *r); /* POST /console/indicators/upload */
/* web_feeds.c */
int web_feeds(http_req_t *r);            /* GET  /console/feeds     */
int web_feed_add(http_req_t *r);         /* POST /console/feeds     */
int web_feed_run(http_req_t *r);         /* POST /console/feeds/run */
/* web_cons.c */
int web_cons(http_req_t *r);             /* GET  /console/constituency[?value=] */
int web_cons_import(http_req_t *r);      /* POST /console/constituency          */

int web_people(http_req_t *r);        /* GET  /console/people      */
int web_people_add(http_req_t *r);    /* POST /console/people      */
int web_person_post(http_req_t *r);   /* POST /console/people/{id} */
int web_deliveries(http_req_t *r);    /* GET  /console/deliveries  */
int web_trust(http_req_t *r);         /* GET  /console/trust       */
int web_token_add(http_req_t *r);     /* POST /console/trust/tokens */
int web_token_post(http_req_t *r);    /* POST /console/trust/tokens/{id}: revoke */
int web_request_post(http_req_t *r);  /* POST /console/trust/requests/{id}: approve, reject */
int web_request_cert(http_req_t *r);  /* GET  /console/trust/certificate/{request id} */
int web_cert_post(http_req_t *r);     /* POST /console/trust/certs/{serial}: revoke */
int web_audit(http_req_t *r);         /* GET  /console/audit       */
/* web_sharing.c */
int web_sharing(http_req_t *r);       /* GET  /console/sharing[?id=|?before=] */
int web_share_post(http_req_t *r);    /* POST /console/sharing/{id}: share, permit */
/* web_assess.c */
int web_assess_list(http_req_t *r);   /* GET  /console/assess      */
int web_assess_new(http_req_t *r);    /* POST /console/assess      */
int web_assess(http_req_t *r);        /* GET  /console/assess/{id}[/review|/results|/roadmap|/export] */
int web_assess_post(http_req_t *r);   /* POST /console/assess/{id}: save, submit, review, roadmap */

/* web_gw.c: the Cybersecurity Gateway, public pages (anyone; a member
 * signed in sees GREEN and above) and the members' console page */
int web_gw_home(http_req_t *r);       /* GET  /                    */
int web_gw_directory(http_req_t *r);  /* GET  /directory           */
int web_gw_entry(http_req_t *r);      /* GET  /directory/{id}      */
int web_gw_resources(http_req_t *r);  /* GET  /resources (facets)  */
int web_gw_resource(http_req_t *r);   /* GET  /resources/{id}      */
int web_gw_news(http_req_t *r);       /* GET  /news/{id}           */
int web_gw_search(http_req_t *r);     /* GET  /search              */
int web_gw_file(http_req_t *r);       /* GET  /files/{id}: an attachment */
int web_gw_feed(http_req_t *r);       /* GET  /feeds/{resources,news,advisories}.atom */
int web_gw_console(http_req_t *r);    /* GET  /console/gw          */
int web_gw_entry_post(http_req_t *r); /* POST /console/gw/entry    */
int web_gw_res_post(http_req_t *r);   /* POST /console/gw/resource */
int web_gw_news_post(http_req_t *r);  /* POST /console/gw/news     */
int web_gw_decide(http_req_t *r);     /* POST /console/gw/decide/{kind}-{id} */

/* web_case.c: cases, my reports, report an incident, figures */
int web_cases(http_req_t *r);         /* GET  /console/cases[?filters&after=] */
int web_case(http_req_t *r);          /* GET  /console/cases/{ref|new|figures} */
int web_case_post(http_req_t *r);     /* POST /console/cases/{ref|new}: an action, a report */
int web_case_new(http_req_t *r);      /* the report form */
int web_case_add(http_req_t *r);      /* a report sent */
int web_case_figures(http_req_t *r);  /* the operational figures, charts */

#endif
