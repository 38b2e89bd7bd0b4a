/* http.c — the HTTP server: libmicrohttpd set-up, the per-request life cycle
 * (set up, body in, dispatch, free), routing with a role per route, the
 * limits that keep one client from stopping the service (see "limits"
 * below), and Prometheus metrics (see http.h). */
#include "sla/sla_case.h"
#include "store/store_sla.h"
#include "http.h"
#include "web/web.h"
#include "core/net.h"
#include "core/util.h"
#include "audit/audit.h"
#include "pki/pki.h"
#include "watch/watch.h"
#include "http/api_assess.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- routes ---- */

#define PUBLIC (-1)
#define PERSON (-2) /* the console: a person's session (web_authenticate) */

typedef struct {
	const char *method;
	const char *path;  /* exact path, or a prefix ending in '/' taking {id} */
	int takes_id;      /* 0 exact; 1 {id} without '/'; 2 the rest of the path */
	int min_role;      /* PUBLIC or a role_t */
	int (*fn)(http_req_t *);
	const char *name;  /* for metrics */
} route_t;

static int metrics(http_req_t *r);
static int healthz(http_req_t *r);

static const route_t routes[] = {
	{"GET", "/healthz", 0, PUBLIC, healthz, "healthz"},
	{"GET", "/metrics", 0, PUBLIC, metrics, "metrics"},
	{"GET", "/", 0, PUBLIC, web_gw_home, "home"},
	{"GET", "/static/", 1, PUBLIC, web_static, "static"},
	{"GET", "/lang", 0, PUBLIC, web_lang, "lang"},
	{"GET", "/signin", 0, PUBLIC, web_signin_get, "signin_form"},
	{"POST", "/signin", 0, PUBLIC, web_signin_post, "signin"},
	{"POST", "/signin/cert", 0, PUBLIC, web_signin_cert, "signin_cert"},
	{"POST", "/signout", 0, PERSON, web_signout, "signout"},
	{"GET", "/enrol/", 1, PUBLIC, web_enrol_get, "enrol_form"},
	{"POST", "/enrol/", 1, PUBLIC, web_enrol_post, "enrol"},
	{"GET", "/console", 0, PERSON, web_dashboard, "console"},
	{"GET", "/console/lookup", 0, PERSON, web_lookup, "console_lookup"},
	{"POST", "/console/lookup", 0, PERSON, web_lookup, "console_lookup_form"},
	{"GET", "/console/indicators", 0, PERSON, web_indicators, "console_indicators"},
	{"GET", "/console/indicators/new", 0, PERSON, web_indicator_new, "console_indicator_new"},
	{"POST", "/console/indicators/new", 0, PERSON, web_indicator_add, "console_indicator_add"},
	{"POST", "/console/indicators/upload", 0, PERSON, web_indicator_upload, "console_indicator_upload"},
	{"GET", "/console/indicators/", 1, PERSON, web_indicator, "console_indicator"},
	{"POST", "/console/indicators/", 1, PERSON, web_indicator_post, "console_indicator_edit"},
	{"GET", "/console/warnings", 0, PERSON, web_warnings, "console_warnings"},
	{"POST", "/console/warnings", 0, PERSON, web_warning_post, "console_warning_raise"},
	{"GET", "/console/feeds", 0, PERSON, web_feeds, "console_feeds"},
	{"POST", "/console/feeds", 0, PERSON, web_feed_add, "console_feed_add"},
	{"POST", "/console/feeds/run", 0, PERSON, web_feed_run, "console_feed_run"},
	{"GET", "/console/constituency", 0, PERSON, web_cons, "console_constituency"},
	{"POST", "/console/constituency", 0, PERSON, web_cons_import, "console_constituency_import"},
	{"GET", "/console/stream", 0, PERSON, api_stream, "console_stream"},
	{"GET", "/console/totp", 0, PERSON, web_totp, "console_totp"},
	{"GET", "/console/mine", 0, PERSON, web_mine, "console_mine"},
	{"POST", "/console/totp", 0, PERSON, web_totp_post, "console_totp_confirm"},
	{"GET", "/console/people", 0, PERSON, web_people, "console_people"},
	{"POST", "/console/people", 0, PERSON, web_people_add, "console_people_add"},
	{"POST", "/console/people/", 1, PERSON, web_person_post, "console_person"},
	{"GET", "/console/deliveries", 0, PERSON, web_deliveries, "console_deliveries"},
	{"GET", "/console/trust", 0, PERSON, web_trust, "console_trust"},
	{"POST", "/console/trust/tokens", 0, PERSON, web_token_add, "console_token_add"},
	{"POST", "/console/trust/tokens/", 1, PERSON, web_token_post, "console_token_revoke"},
	{"POST", "/console/trust/requests/", 1, PERSON, web_request_post, "console_request_decide"},
	{"GET", "/console/trust/certificate/", 1, PERSON, web_request_cert, "console_request_cert"},
	{"POST", "/console/trust/certs/", 1, PERSON, web_cert_post, "console_cert_revoke"},
	{"GET", "/console/audit", 0, PERSON, web_audit, "console_audit"},
	{"GET", "/console/sharing", 0, PERSON, web_sharing, "console_sharing"},
	{"POST", "/console/sharing/", 1, PERSON, web_share_post, "console_share"},
	{"GET", "/console/assess", 0, PERSON, web_assess_list, "console_assess"},
	{"POST", "/console/assess", 0, PERSON, web_assess_new, "console_assess_new"},
	{"GET", "/console/assess/", 2, PERSON, web_assess, "console_assessment"},
	{"POST", "/console/assess/", 2, PERSON, web_assess_post, "console_assessment_change"},
	{"GET", "/console/advisories", 0, PERSON, web_advisories, "console_advisories"},
	{"GET", "/console/advisories/new", 0, PERSON, web_advisory_new, "console_advisory_new"},
	{"POST", "/console/advisories/new", 0, PERSON, web_advisory_add, "console_advisory_add"},
	{"GET", "/console/advisories/", 1, PERSON, web_advisory, "console_advisory"},
	{"POST", "/console/advisories/", 1, PERSON, web_advisory_post, "console_advisory_edit"},
	{"GET", "/console/cases", 0, PERSON, web_cases, "console_cases"},
	{"GET", "/console/cases/", 1, PERSON, web_case, "console_case"},
	{"POST", "/console/cases/", 1, PERSON, web_case_post, "console_case_post"},
	{"GET", "/pki/", 1, PUBLIC, api_pki_file, "pki"},
	{"GET", "/.well-known/csaf/", 2, PUBLIC, api_csaf_wellknown, "csaf_provider"},
	{"GET", "/.well-known/csaf-aggregator/", 2, PUBLIC, api_csaf_aggregator, "csaf_aggregator"},
	{"GET", "/advisories/", 1, PUBLIC, web_advisory_page, "advisory_page"},
	{"GET", "/api/v1/lookup", 0, ROLE_READER, api_lookup_get, "lookup"},
	{"POST", "/api/v1/lookup", 0, ROLE_READER, api_lookup_post, "lookup_batch"},
	{"GET", "/api/v1/reputation", 0, ROLE_READER, api_reputation_get, "reputation"},
	{"GET", "/api/v1/reputation/", 2, ROLE_READER, api_reputation_get, "reputation_path"},
	{"POST", "/api/v1/reputation", 0, ROLE_READER, api_reputation_post, "reputation_batch"},
	{"POST", "/api/v1/indicators", 0, ROLE_CONTRIBUTOR, api_indicators_post, "indicators_add"},
	{"GET", "/api/v1/indicators", 0, ROLE_READER, api_indicators_list, "indicators_list"},
	{"GET", "/api/v1/indicators/", 1, ROLE_READER, api_indicator_get, "indicator_get"},
	{"PATCH", "/api/v1/indicators/", 1, ROLE_ANALYST, api_indicator_patch, "indicator_edit"},
	{"DELETE", "/api/v1/indicators/", 1, ROLE_ADMIN, api_indicator_delete, "indicator_delete"},
	{"GET", "/api/v1/orgs", 0, ROLE_READER, api_orgs_list, "orgs_list"},
	{"POST", "/api/v1/orgs", 0, ROLE_ADMIN, api_orgs_post, "orgs_add"},
	{"GET", "/api/v1/tokens", 0, ROLE_ADMIN, api_tokens_list, "tokens_list"},
	{"POST", "/api/v1/tokens", 0, ROLE_ADMIN, api_tokens_post, "tokens_add"},
	{"DELETE", "/api/v1/tokens/", 1, ROLE_ADMIN, api_token_delete, "token_revoke"},
	{"GET", "/api/v1/whoami", 0, ROLE_READER, api_whoami, "whoami"},
	{"POST", "/api/v1/pki/requests", 0, ROLE_READER, api_pki_request, "pki_request"},
	{"GET", "/api/v1/pki/requests/", 1, ROLE_READER, api_pki_request_get, "pki_request_get"},
	{"GET", "/api/v1/pki/requests", 0, ROLE_READER, api_pki_requests_list, "pki_requests"},
	{"POST", "/api/v1/pki/approve/", 1, ROLE_ADMIN, api_pki_approve, "pki_approve"},
	{"GET", "/api/v1/constituency/who", 0, ROLE_ANALYST, api_constituency_who, "constituency_who"},
	{"GET", "/api/v1/constituency", 0, ROLE_ANALYST, api_constituency_list, "constituency_list"},
	{"POST", "/api/v1/constituency", 0, ROLE_ADMIN, api_constituency_post, "constituency_add"},
	{"GET", "/api/v1/feeds", 0, ROLE_ANALYST, api_feeds_list, "feeds_list"},
	{"POST", "/api/v1/feeds", 0, ROLE_ADMIN, api_feeds_post, "feeds_add"},
	{"POST", "/api/v1/warnings", 0, ROLE_ANALYST, api_warnings_post, "warnings_add"},
	{"GET", "/api/v1/warnings", 0, ROLE_READER, api_warnings_list, "warnings_list"},
	{"GET", "/api/v1/deliveries", 0, ROLE_READER, api_deliveries_list, "deliveries_list"},
	{"GET", "/api/v1/stream", 0, ROLE_READER, api_stream, "stream"},
	{"POST", "/api/v1/stix/", 2, ROLE_ANALYST, api_stix_share, "stix_share"},
	{"GET", "/taxii2/", 0, ROLE_READER, api_taxii, "taxii"},
	{"GET", "/taxii2/", 2, ROLE_READER, api_taxii, "taxii"},
	{"POST", "/taxii2/", 2, ROLE_CONTRIBUTOR, api_taxii, "taxii_post"}, /* and the collection's write right */
	{"DELETE", "/taxii2/", 2, ROLE_CONTRIBUTOR, api_taxii, "taxii_delete"},
	{"GET", "/api/v1/cases", 0, ROLE_READER, api_cases_list, "cases_list"},
	{"POST", "/api/v1/cases", 0, ROLE_ANALYST, api_cases_post, "cases_add"},
	{"GET", "/api/v1/cases/", 2, ROLE_READER, api_case_get, "case_get"},
	{"PATCH", "/api/v1/cases/", 1, ROLE_ANALYST, api_case_patch, "case_edit"},
	{"POST", "/api/v1/cases/", 2, ROLE_CONTRIBUTOR, api_case_post, "case_act"},
	{"POST", "/api/v1/incidents", 0, ROLE_CONTRIBUTOR, api_incidents_post, "incidents_add"},
	{"GET", "/api/v1/assessments", 0, ROLE_READER, api_assessments_list, "assessments_list"},
	{"POST", "/api/v1/assessments", 0, ROLE_CONTRIBUTOR, api_assessments_post, "assessments_add"},
	{"GET", "/api/v1/assessments/", 1, ROLE_READER, api_assessment_get, "assessment_get"},
	{"POST", "/api/v1/assessments/", 2, ROLE_CONTRIBUTOR, api_assessment_post, "assessment_change"},
	{"POST", "/api/v1/questionnaires", 0, ROLE_ANALYST, api_questionnaires_post, "questionnaires_add"},
	{"GET", "/api/v1/advisories", 0, ROLE_READER, api_advisories_list, "advisories_list"},
	{"POST", "/api/v1/advisories", 0, ROLE_ANALYST, api_advisories_post, "advisories_add"},
	{"GET", "/api/v1/advisories/", 1, ROLE_READER, api_advisory_get, "advisory_get"},
	{"PUT", "/api/v1/advisories/", 1, ROLE_ANALYST, api_advisory_put, "advisory_edit"},
	{"POST", "/api/v1/advisories/", 2, ROLE_ANALYST, api_advisory_publish, "advisory_publish"},
	{"GET", "/api/v1/gw/", 2, ROLE_READER, api_gw, "gw"},
	{"POST", "/api/v1/gw/", 2, ROLE_READER, api_gw, "gw_post"},
	{"GET", "/directory", 0, PUBLIC, web_gw_directory, "gw_directory"},
	{"GET", "/directory/", 1, PUBLIC, web_gw_entry, "gw_entry"},
	{"GET", "/resources", 0, PUBLIC, web_gw_resources, "gw_resources"},
	{"GET", "/resources/", 1, PUBLIC, web_gw_resource, "gw_resource"},
	{"GET", "/news/", 1, PUBLIC, web_gw_news, "gw_news"},
	{"GET", "/search", 0, PUBLIC, web_gw_search, "gw_search"},
	{"GET", "/files/", 1, PUBLIC, web_gw_file, "gw_file"},
	{"GET", "/feeds/", 1, PUBLIC, web_gw_feed, "gw_feed"},
	{"GET", "/console/gw", 0, PERSON, web_gw_console, "console_gw"},
	{"POST", "/console/gw/entry", 0, PERSON, web_gw_entry_post, "console_gw_entry"},
	{"POST", "/console/gw/resource", 0, PERSON, web_gw_res_post, "console_gw_resource"},
	{"POST", "/console/gw/news", 0, PERSON, web_gw_news_post, "console_gw_news"},
	{"POST", "/console/gw/decide/", 1, PERSON, web_gw_decide, "console_gw_decide"},
};
#define NROUTES ((int)(sizeof routes / sizeof routes[0]))
#define R_NONE NROUTES /* unmatched requests, in the metrics */

/* ---- metrics ---- */

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413, 414, 429, 500, 503, 0};
#define NSTATUS ((int)(sizeof statuses / sizeof statuses[0]))
static const double buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1};
#define NBUCKET ((int)(sizeof buckets / sizeof buckets[0]))

typedef struct {
	atomic_ulong count[NSTATUS];
	atomic_ulong le[NBUCKET];
	atomic_ulong total;
	atomic_ulong usec_sum;
} route_stats_t;

/* ---- limits ----
 * One client must not stop the service (issue 14).  libmicrohttpd's own
 * timeout is per read, so a client sending a byte a second would hold its
 * connection for ever: each connection carries a deadline instead, which
 * the waker thread enforces each second by shutting the socket down (the
 * library then closes it as if the client had gone).  The deadline is the
 * whole request head (from the connection's start or the previous
 * response), then the whole body; none while the answer is produced. */
#define HTTP_CONNS 2048            /* connections at once */
#define HTTP_PER_ADDR 64           /* of them from one address */
#define HTTP_HEAD_MS 10000         /* a whole request head, or keep-alive idleness */
#define HTTP_BODY_MS 120000        /* a whole request body (16 MB at 1 Mbit/s) */
#define HTTP_QUERY_ARGS 100        /* query parameters: more are 414 */
#define HTTP_QUERY_BYTES 8192      /* query string bytes: more are 414 */
#define HTTP_BIG_BODY (256 * 1024) /* a body this large is "big"... */
#define HTTP_FORM_MAX (64 * 1024)  /* the console's forms, sign-in, enrolment */
#define HTTP_BIG_MAX 2             /* ...and so many are taken at once, one per
				      client address (else 503) */
#define PARK_MAX 256               /* live streams at once */
#define STREAMS_PER_CRED 4         /* of them for one token or certificate */
#define STREAMS_PER_ORG 16         /* of them for one organisation */
#define STREAM_MAX_S 3600          /* a stream's life; the client reconnects */
#define STREAM_DEAD_MS 60000       /* unacknowledged data: the peer is gone */

typedef struct {
	int fd;
	atomic_llong deadline; /* ms on CLOCK_MONOTONIC; 0: none */
	size_t slot;           /* in conns[] */
} conn_t;

typedef struct {
	struct MHD_Connection *c;
	int64_t org_id;
	char cred[40];
} stream_slot_t;

struct http_server {
	struct MHD_Daemon *d;
	/* live streams waiting for news (api_stream): resumed by the waker
	 * thread on every hub_kick() and at least once a second */
	pthread_mutex_t park_lock;
	struct MHD_Connection *parked[PARK_MAX];
	int nparked, nstreams;
	stream_slot_t streams[PARK_MAX]; /* who holds the live streams */
	/* open connections and their deadlines (see "limits") */
	pthread_mutex_t conn_lock;
	conn_t **conns;
	size_t nconns, capconns;
	char big[HTTP_BIG_MAX][64];             /* who sends the big bodies being taken
						   (client address; "" free), under conn_lock */
	atomic_ulong timeouts, big_refused, streams_refused;
	atomic_int stopping;
	pthread_t waker;
	int waker_running;
	hub_t *hub;
	pki_trust_t *trust; /* with TLS: the CA that client certificates chain to */
	int64_t server_not_after; /* with TLS: when the server's certificate expires */
	uint16_t port;
	route_stats_t stats[NROUTES + 1];
};

static void account(http_server_t *s, http_req_t *r)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double dt = (double)ts.tv_sec + ts.tv_nsec / 1e9 - r->t0;
	route_stats_t *rs = &s->stats[r->route];
	int k = 0;
	while (statuses[k] && statuses[k] != r->status)
		k++;
	atomic_fetch_add(&rs->count[k], 1);
	for (int b = 0; b < NBUCKET; b++)
		if (dt <= buckets[b])
			atomic_fetch_add(&rs->le[b], 1);
	atomic_fetch_add(&rs->total, 1);
	atomic_fetch_add(&rs->usec_sum, (unsigned long)(dt * 1e6));
}

/* ---- watch and warn in the metrics ---- */

typedef struct {
	util_buf_t *b;
	int header;
} feed_m_t;

static int feed_metric(void *arg, const store_feed_t *f)
{
	feed_m_t *m = arg;
	if (!m->header++)
		util_buf_printf(m->b, "# HELP c5hub_feed_failures Consecutive failed runs of a feed (0: healthy).\n"
			      "# TYPE c5hub_feed_failures gauge\n");
	util_buf_printf(m->b, "c5hub_feed_failures{feed=\"%s\"} %lld\n"
		      "c5hub_feed_events{feed=\"%s\"} %lld\n"
		      "c5hub_feed_last_success_timestamp_seconds{feed=\"%s\"} %lld\n",
		f->name, (long long)f->failures, f->name, (long long)f->events, f->name,
		(long long)f->last_ok);
	return 0;
}

static int count_delivery(void *arg, const store_delivery_t *d)
{
	(void)d;
	(*(long *)arg)++;
	return 0;
}

static void watch_metrics(http_req_t *r, util_buf_t *b)
{
	feed_m_t m = {.b = b};
	long pending = 0, failed = 0;
	store_t *st = hub_store_get(r->hub);
	if (st) {
		store_delivery_filter_t p = {.state = "pending", .limit = 100000};
		store_delivery_filter_t f = {.state = "failed", .limit = 100000};
		store_feed_list(st, feed_metric, &m);
		store_delivery_list(st, &p, count_delivery, &pending);
		store_delivery_list(st, &f, count_delivery, &failed);
	}
	hub_store_put(r->hub, st);
	const watch_t *w = r->hub->watch;
	util_buf_printf(b, "# HELP c5hub_deliveries Deliveries (reports and warnings) by state.\n"
		   "# TYPE c5hub_deliveries gauge\n"
		   "c5hub_deliveries{state=\"pending\"} %ld\n"
		   "c5hub_deliveries{state=\"failed\"} %ld\n"
		   "# HELP c5hub_deliveries_sent_total Deliveries accepted by their receiver.\n"
		   "# TYPE c5hub_deliveries_sent_total counter\n"
		   "c5hub_deliveries_sent_total %ld\n"
		   "# HELP c5hub_feed_runs_total Feed runs by the scheduler.\n"
		   "# TYPE c5hub_feed_runs_total counter\n"
		   "c5hub_feed_runs_total %ld\n"
		   "# HELP c5hub_streams Live streams open.\n"
		   "# TYPE c5hub_streams gauge\n"
		   "c5hub_streams %d\n"
		   "# HELP c5hub_http_limited_total Connections and requests cut or refused by a limit.\n"
		   "# TYPE c5hub_http_limited_total counter\n"
		   "c5hub_http_limited_total{limit=\"deadline\"} %lu\n"
		   "c5hub_http_limited_total{limit=\"big_body\"} %lu\n"
		   "c5hub_http_limited_total{limit=\"stream\"} %lu\n",
		pending, failed, w ? atomic_load(&w->sends) : 0L, w ? atomic_load(&w->feed_runs) : 0L,
		r->srv->nstreams, atomic_load(&r->srv->timeouts), atomic_load(&r->srv->big_refused),
		atomic_load(&r->srv->streams_refused));
}

/* SLA timers: running ones in warning or breached at the scheduler's last
 * pass, and the alerts raised (each once per hub). */
static void sla_metrics(http_req_t *r, util_buf_t *b)
{
	sla_pass_t p;
	int64_t warned = 0, breached = 0;
	sla_gauges(&p);
	store_t *st = hub_store_get(r->hub);
	if (st) {
		store_sla_alert_count(st, "warning", &warned);
		store_sla_alert_count(st, "breached", &breached);
	}
	hub_store_put(r->hub, st);
	util_buf_printf(b, "# HELP c5hub_sla_open_cases Open cases the SLA timers looked at.\n"
			"# TYPE c5hub_sla_open_cases gauge\n"
			"c5hub_sla_open_cases %ld\n"
			"# HELP c5hub_sla_timers Running SLA timers in warning or breached, by target.\n"
			"# TYPE c5hub_sla_timers gauge\n", p.open);
	for (int k = 0; k < SLA_NTARGET; k++)
		util_buf_printf(b, "c5hub_sla_timers{target=\"%s\",state=\"warning\"} %ld\n"
				"c5hub_sla_timers{target=\"%s\",state=\"breached\"} %ld\n",
				sla_target_name(k), p.warning[k], sla_target_name(k), p.breached[k]);
	util_buf_printf(b, "# HELP c5hub_sla_alerts_total SLA warnings and breaches raised.\n"
			"# TYPE c5hub_sla_alerts_total counter\n"
			"c5hub_sla_alerts_total{level=\"warning\"} %lld\n"
			"c5hub_sla_alerts_total{level=\"breached\"} %lld\n",
			(long long)warned, (long long)breached);
}

static int metrics(http_req_t *r)
{
	http_server_t *s = r->srv;
	util_buf_t b = {0};
	util_buf_printf(&b, "# HELP c5hub_http_requests_total HTTP requests by route and status.\n"
		    "# TYPE c5hub_http_requests_total counter\n");
	for (int i = 0; i <= NROUTES; i++)
		for (int k = 0; k < NSTATUS; k++) {
			unsigned long v = atomic_load(&s->stats[i].count[k]);
			if (v)
				util_buf_printf(&b, "c5hub_http_requests_total{route=\"%s\",code=\"%s%d\"} %lu\n",
					i < NROUTES ? routes[i].name : "none", statuses[k] ? "" : "other",
					statuses[k], v);
		}
	util_buf_printf(&b, "# HELP c5hub_http_request_duration_seconds Time to answer, by route.\n"
		    "# TYPE c5hub_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= NROUTES; i++) {
		unsigned long total = atomic_load(&s->stats[i].total);
		const char *name = i < NROUTES ? routes[i].name : "none";
		if (!total)
			continue;
		for (int k = 0; k < NBUCKET; k++)
			util_buf_printf(&b, "c5hub_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %lu\n",
				name, buckets[k], atomic_load(&s->stats[i].le[k]));
		util_buf_printf(&b, "c5hub_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %lu\n"
			    "c5hub_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
			    "c5hub_http_request_duration_seconds_count{route=\"%s\"} %lu\n",
			name, total, name, atomic_load(&s->stats[i].usec_sum) / 1e6, name, total);
	}
	idx_stats_t st;
	idx_stats(idx_enter(r->hub->idx), &st);
	idx_leave(r->hub->idx);
	util_buf_printf(&b, "# HELP c5hub_index_entries Indicators held by the look-up index, by kind.\n"
		    "# TYPE c5hub_index_entries gauge\n"
		    "c5hub_index_entries{kind=\"all\"} %zu\n"
		    "c5hub_index_entries{kind=\"ipv4\"} %zu\n"
		    "c5hub_index_entries{kind=\"ipv6\"} %zu\n"
		    "c5hub_index_entries{kind=\"prefix\"} %zu\n"
		    "c5hub_index_entries{kind=\"domain\"} %zu\n"
		    "c5hub_index_entries{kind=\"other\"} %zu\n"
		    "# HELP c5hub_index_bytes Memory held by the look-up index.\n"
		    "# TYPE c5hub_index_bytes gauge\n"
		    "c5hub_index_bytes %zu\n"
		    "# HELP c5hub_index_delta_entries Indicators in the index's delta part.\n"
		    "# TYPE c5hub_index_delta_entries gauge\n"
		    "c5hub_index_delta_entries %zu\n"
		    "# HELP c5hub_index_rebuilds_total Full rebuilds of the index.\n"
		    "# TYPE c5hub_index_rebuilds_total counter\n"
		    "c5hub_index_rebuilds_total %lld\n"
		    "# HELP c5hub_index_build_seconds Duration of the last full rebuild.\n"
		    "# TYPE c5hub_index_build_seconds gauge\n"
		    "c5hub_index_build_seconds %.3f\n"
		    "# HELP c5hub_store_seq Store change sequence the index reflects.\n"
		    "# TYPE c5hub_store_seq gauge\n"
		    "c5hub_store_seq %lld\n",
		st.indicators, st.ipv4, st.ipv6, st.prefixes, st.names, st.others, st.bytes,
		idx_delta_size(r->hub->idx), (long long)r->hub->rebuilds, r->hub->last_build_s,
		(long long)r->hub->seq_seen);
	auth_cert_stats_t cs;
	auth_cert_stats(r->hub->auth, (int64_t)time(NULL), &cs);
	util_buf_printf(&b, "# HELP c5hub_client_certificates Issued client certificates by state "
		    "(expiring: within 30 days; renew with c5hub pki renew).\n"
		    "# TYPE c5hub_client_certificates gauge\n"
		    "c5hub_client_certificates{state=\"valid\"} %ld\n"
		    "c5hub_client_certificates{state=\"expiring\"} %ld\n"
		    "c5hub_client_certificates{state=\"expired\"} %ld\n"
		    "c5hub_client_certificates{state=\"revoked\"} %ld\n",
		cs.valid, cs.expiring, cs.expired, cs.revoked);
	if (s->server_not_after)
		util_buf_printf(&b, "# HELP c5hub_tls_certificate_expiry_seconds Seconds until the server's "
			    "certificate expires.\n"
			    "# TYPE c5hub_tls_certificate_expiry_seconds gauge\n"
			    "c5hub_tls_certificate_expiry_seconds %lld\n",
			(long long)(s->server_not_after - (int64_t)time(NULL)));
	watch_metrics(r, &b);
	sla_metrics(r, &b);
	if (!b.data || b.oom)
		return http_error(r, 500, "internal", "out of memory");
	return http_text(r, 200, "text/plain; version=0.0.4", b.data, b.len);
}

static int healthz(http_req_t *r)
{
	json_t *j = json_pack("{s:s, s:I}", "status", "ok", "seq", (json_int_t)r->hub->seq_seen);
	return http_json(r, 200, j);
}

/* ---- responses ---- */

void http_header(http_req_t *r, const char *name, const char *value)
{
	if (r->nhdr < (int)(sizeof r->hdr / sizeof r->hdr[0])) {
		r->hdr[r->nhdr].name = name;
		snprintf(r->hdr[r->nhdr].value, sizeof r->hdr[r->nhdr].value, "%s", value);
		r->nhdr++;
	}
}

static int queue(http_req_t *r, int status, struct MHD_Response *resp, const char *ctype)
{
	if (!resp)
		return MHD_NO;
	int cached = 0;
	for (int i = 0; i < r->nhdr; i++)
		cached |= !strcmp(r->hdr[i].name, "Cache-Control");
	MHD_add_response_header(resp, "Content-Type", ctype);
	if (!cached)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	for (int i = 0; i < r->nhdr; i++)
		MHD_add_response_header(resp, r->hdr[i].name, r->hdr[i].value);
	int rc = MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	r->responded = 1;
	return rc;
}

int http_text(http_req_t *r, int status, const char *ctype, char *text, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		free(text);
	return queue(r, status, resp, ctype);
}

/* ---- live streams: parked connections ---- */

static void resume_all(http_server_t *s)
{
	pthread_mutex_lock(&s->park_lock);
	for (int i = 0; i < s->nparked; i++)
		MHD_resume_connection(s->parked[i]);
	s->nparked = 0;
	pthread_mutex_unlock(&s->park_lock);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The connection's deadline: ms from now, or 0 for none. */
static void conn_deadline(struct MHD_Connection *c, int64_t ms)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	conn_t *k = ci ? ci->socket_context : NULL;
	if (k)
		atomic_store(&k->deadline, ms ? now_ms() + ms : 0);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	http_server_t *s = cls;
	conn_t *k = *socket_context;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(k = calloc(1, sizeof *k)))
			return; /* no deadline then: the library's idle timeout still holds */
		k->fd = ci->connect_fd;
		atomic_store(&k->deadline, now_ms() + HTTP_HEAD_MS);
		pthread_mutex_lock(&s->conn_lock);
		if (util_grow(&s->conns, &s->capconns, s->nconns + 1, sizeof *s->conns, 64) == 0) {
			k->slot = s->nconns;
			s->conns[s->nconns++] = k;
			*socket_context = k;
		} else {
			free(k);
		}
		pthread_mutex_unlock(&s->conn_lock);
	} else if (k) {
		/* called before the library closes the socket: once out of the
		 * table under the lock, the sweep can no longer touch this fd */
		pthread_mutex_lock(&s->conn_lock);
		s->conns[k->slot] = s->conns[--s->nconns];
		s->conns[k->slot]->slot = k->slot;
		pthread_mutex_unlock(&s->conn_lock);
		free(k);
		*socket_context = NULL;
	}
}

/* Cut the connections past their deadline. */
static void sweep(http_server_t *s)
{
	int64_t now = now_ms();
	pthread_mutex_lock(&s->conn_lock);
	for (size_t i = 0; i < s->nconns; i++) {
		conn_t *k = s->conns[i];
		int64_t d = atomic_load(&k->deadline);
		if (d && now >= d) {
			atomic_store(&k->deadline, 0);
			shutdown(k->fd, SHUT_RDWR);
			atomic_fetch_add(&s->timeouts, 1);
		}
	}
	pthread_mutex_unlock(&s->conn_lock);
}

static void *waker(void *arg)
{
	http_server_t *s = arg;
	uint64_t gen = 0;
	while (!atomic_load(&s->stopping)) {
		hub_wait(s->hub, &gen, 1000);
		resume_all(s);
		sweep(s);
	}
	return NULL;
}

void http_park(http_server_t *s, struct MHD_Connection *c)
{
	pthread_mutex_lock(&s->park_lock);
	if (s->nparked < PARK_MAX && !atomic_load(&s->stopping)) {
		s->parked[s->nparked++] = c;
		MHD_suspend_connection(c);
	}
	pthread_mutex_unlock(&s->park_lock);
}

void http_unpark(http_server_t *s, struct MHD_Connection *c)
{
	pthread_mutex_lock(&s->park_lock);
	for (int i = 0; i < s->nparked; i++)
		if (s->parked[i] == c)
			s->parked[i--] = s->parked[--s->nparked];
	for (int i = 0; i < s->nstreams; i++)
		if (s->streams[i].c == c)
			s->streams[i--] = s->streams[--s->nstreams];
	pthread_mutex_unlock(&s->park_lock);
}

int http_stopping(http_server_t *s)
{
	return atomic_load(&s->stopping);
}

/* A stream's reader, wrapped: it ends after STREAM_MAX_S, and when the
 * client has gone (the library would only notice at the next write, up to
 * 15 s later, while the reader is called each second). */
typedef struct {
	MHD_ContentReaderCallback read;
	MHD_ContentReaderFreeCallback done;
	void *cls;
	time_t end;
	int fd;
} stream_wrap_t;

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	stream_wrap_t *w = cls;
	struct pollfd p = {w->fd, POLLRDHUP, 0};
	if (time(NULL) >= w->end)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (w->fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
		return MHD_CONTENT_READER_END_WITH_ERROR;
	return w->read(w->cls, pos, out, max);
}

static void stream_done(void *cls)
{
	stream_wrap_t *w = cls;
	w->done(w->cls);
	free(w);
}

/* Room for one more stream of r's credential and organisation: 0, or the
 * HTTP status refusing it (429: that caller has its share; 503: full). */
static int stream_admit(http_server_t *s, http_req_t *r)
{
	int cred = 0, org = 0, status = 0;
	pthread_mutex_lock(&s->park_lock);
	for (int i = 0; i < s->nstreams; i++) {
		cred += strcmp(s->streams[i].cred, r->who.cred) == 0;
		org += s->streams[i].org_id == r->who.org_id;
	}
	if (cred >= STREAMS_PER_CRED || org >= STREAMS_PER_ORG)
		status = 429;
	else if (s->nstreams >= PARK_MAX)
		status = 503;
	else
		s->streams[s->nstreams++] = (stream_slot_t){.c = r->conn, .org_id = r->who.org_id};
	if (!status)
		snprintf(s->streams[s->nstreams - 1].cred, sizeof s->streams[0].cred, "%s", r->who.cred);
	pthread_mutex_unlock(&s->park_lock);
	return status;
}

int http_stream(http_req_t *r, MHD_ContentReaderCallback read, void *cls,
		MHD_ContentReaderFreeCallback done)
{
	http_server_t *s = r->srv;
	stream_wrap_t *w = malloc(sizeof *w);
	if (!w) {
		done(cls);
		return http_error(r, 500, "internal", "out of memory");
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	*w = (stream_wrap_t){.read = read, .done = done, .cls = cls, .end = time(NULL) + STREAM_MAX_S,
			     .fd = ci ? ci->connect_fd : -1};
	int refused = stream_admit(s, r);
	if (refused) {
		stream_done(w);
		atomic_fetch_add(&s->streams_refused, 1);
		http_header(r, "Retry-After", "30");
		return refused == 429 ? http_error(r, 429, "too_many_streams",
						   "at most %d live streams per token or certificate and %d per "
						   "organisation; close one first", STREAMS_PER_CRED, STREAMS_PER_ORG)
				      : http_error(r, 503, "busy", "too many live streams; try again later");
	}
	/* a peer that stops acknowledging (gone without a word) is dropped by
	 * the kernel; the stream sends a comment every 15 s */
	unsigned dead = STREAM_DEAD_MS;
	if (w->fd >= 0)
		setsockopt(w->fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &dead, sizeof dead);
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read,
								      w, stream_done);
	if (!resp) {
		stream_done(w);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return queue(r, 200, resp, "text/event-stream");
}

int http_json(http_req_t *r, int status, json_t *body)
{
	char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	if (!s) {
		static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
		return queue(r, 500, MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom,
								     MHD_RESPMEM_PERSISTENT),
			     "application/json");
	}
	size_t n = strlen(s);
	s[n] = '\n'; /* json_dumps leaves room: replace the NUL, length n + 1 */
	return http_text(r, status, "application/json", s, n + 1);
}

int http_error(http_req_t *r, int status, const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* a TAXII client (an Accept naming the TAXII media type, under
	 * /taxii2/) gets a TAXII error object, also for 401 and 403 */
	const char *acc = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
	if (r->url && !strncmp(r->url, "/taxii2/", 8) && acc && strcasestr(acc, "application/taxii+json")) {
		char hs[8];
		snprintf(hs, sizeof hs, "%d", status);
		json_t *e = json_pack("{s:s, s:s, s:s, s:s}", "title", code, "description", msg,
				      "http_status", hs, "error_code", code);
		char *text = e ? json_dumps(e, JSON_COMPACT) : NULL;
		json_decref(e);
		if (text)
			return http_text(r, status, "application/taxii+json;version=2.1", text, strlen(text));
	}
	return http_json(r, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
}

int http_error_at(http_req_t *r, long item, const char *field, const char *msg)
{
	json_t *e = json_pack("{s:s, s:s}", "code", "invalid", "message", msg);
	if (item >= 0)
		json_object_set_new(e, "item", json_integer(item));
	if (field)
		json_object_set_new(e, "field", json_string(field));
	return http_json(r, 400, json_pack("{s:o}", "error", e));
}

const char *http_query(http_req_t *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- request life cycle ---- */

void http_client_addr(http_req_t *r, char *addr, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(addr, n, "?");
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, (socklen_t)n);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, (socklen_t)n);
	}
}

int http_audit(http_req_t *r, store_t *st, const char *action, const char *object,
	       const char *detail)
{
	char addr[64];
	http_client_addr(r, addr, sizeof addr);
	audit_entry_t e = {.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr,
			   .action = action, .object = object, .detail = detail ? detail : ""};
	return audit_record(st, &e);
}

/* A client certificate on this TLS connection: 1 and *p when it is valid
 * and enrolled, 0 when there is none, -1 (r->why) when it is refused. */
static int client_cert(http_server_t *s, http_req_t *r, principal_t *p)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	unsigned n = 0;
	if (!s->trust || !ci || !ci->tls_session)
		return 0;
	const gnutls_datum_t *peers = gnutls_certificate_get_peers((gnutls_session_t)ci->tls_session, &n);
	if (!peers || n == 0)
		return 0;
	const unsigned char *der[8];
	unsigned lens[8];
	unsigned char fpr[32];
	const char *why;
	for (unsigned i = 0; i < n && i < 8; i++) {
		der[i] = peers[i].data;
		lens[i] = peers[i].size;
	}
	if (pki_verify_client(s->trust, der, lens, n, fpr, r->why, sizeof r->why))
		return -1;
	if (auth_check_cert(s->hub->auth, fpr, p, &why)) {
		snprintf(r->why, sizeof r->why, "%s", why);
		return -1;
	}
	return 1;
}

int http_client_cert(http_req_t *r, principal_t *p)
{
	return client_cert(r->srv, r, p);
}

/* Who is asking: a client certificate, a bearer token, or both (then of the
 * same organisation).  0, or an error response queued. */
static int authenticate(http_server_t *s, http_req_t *r)
{
	principal_t cp;
	int cert = client_cert(s, r, &cp);
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	if (cert < 0)
		return http_error(r, 401, "unauthorized", "%s", r->why), -1;
	if (h) {
		if (auth_check(s->hub->auth, h, &r->who)) {
			hub_auth_retry(s->hub);
			if (auth_check(s->hub->auth, h, &r->who))
				return http_error(r, 401, "unauthorized",
						  "a valid bearer token is required"), -1;
		}
		if (cert == 1 && cp.org_id != r->who.org_id)
			return http_error(r, 401, "unauthorized",
					  "the token and the client certificate belong to different organisations"), -1;
	} else if (cert == 1) {
		r->who = cp;
	} else {
		return http_error(r, 401, "unauthorized",
				  s->trust ? "a valid bearer token or client certificate is required"
					   : "a valid bearer token is required"), -1;
	}
	/* the organisation's policy: which credentials its members must show */
	auth_policy_t pol = auth_org_policy(s->hub->auth, r->who.org_id);
	if ((pol == AUTH_TOKEN && !h) || (pol == AUTH_CERT && cert != 1) ||
	    (pol == AUTH_BOTH && (!h || cert != 1)))
		return http_error(r, 401, "unauthorized",
				  "this organisation's policy requires %s",
				  pol == AUTH_TOKEN ? "a bearer token"
				  : pol == AUTH_CERT ? "a client certificate"
						     : "both a client certificate and a bearer token"), -1;
	return 0;
}

/* The view of a public route's reader: a signed-in person, a valid token or
 * enrolled client certificate (auth_view of it: the members see GREEN), or
 * nobody (CLEAR only).  A credential that is shown but refused is no
 * credential: the reader sees what everyone sees. */
tlp_view_t http_viewer(http_req_t *r)
{
	principal_t cp;
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	if (web_reader(r))
		return auth_view(&r->who);
	if (h && auth_check(r->srv->hub->auth, h, &r->who) == 0)
		return auth_view(&r->who);
	if (client_cert(r->srv, r, &cp) == 1) {
		r->who = cp;
		return auth_view(&r->who);
	}
	return (tlp_view_t){.max_tlp = TLP_CLEAR};
}

static size_t body_max(const http_req_t *r);

/* Does r say its body is JSON (application/json, any parameters)? */
static int body_is_json(http_req_t *r)
{
	const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
	return t && !strncasecmp(t, "application/json", 16) && (!t[16] || t[16] == ';' || t[16] == ' ');
}

static int dispatch(http_server_t *s, http_req_t *r)
{
	int path_known = 0;
	r->route = R_NONE;
	if (r->long_query)
		return http_error(r, 414, "uri_too_long", "at most %d query parameters and %d bytes of query",
				  HTTP_QUERY_ARGS, HTTP_QUERY_BYTES);
	if (r->nul_path) /* decoded, the path would end at the NUL: it names nothing */
		return http_error(r, 404, "not_found", "no such resource (a NUL in the path)");
	if (r->busy) {
		http_header(r, "Retry-After", "1");
		return http_error(r, 503, "busy", "large requests are being served (%d at once, one per "
				  "address); try again shortly", HTTP_BIG_MAX);
	}
	for (int i = 0; i < NROUTES; i++) {
		const route_t *rt = &routes[i];
		size_t pl = strlen(rt->path);
		if (rt->takes_id ? (strncmp(r->url, rt->path, pl) != 0 || !r->url[pl] ||
				    (rt->takes_id == 1 && strchr(r->url + pl, '/')))
				 : strcmp(r->url, rt->path) != 0)
			continue;
		path_known = 1;
		if (strcmp(r->method, rt->method) != 0)
			continue;
		r->route = i;
		r->arg = rt->takes_id ? r->url + pl : "";
		if (r->too_large)
			return http_error(r, 413, "too_large", "request body larger than %zu bytes (over %u "
					  "bytes only with a valid token or client certificate)",
					  body_max(r), HTTP_BIG_BODY);
		if (rt->min_role == PERSON) {
			if (web_authenticate(r))
				return HTTP_DONE;
		} else if (rt->min_role != PUBLIC) {
			/* a body for the API is JSON, said so: a browser sends no
			 * such header from another site's form (no CSRF through a
			 * client certificate the browser presents by itself) */
			if (r->len && !strncmp(r->url, "/api/", 5) && !body_is_json(r) &&
			    !(rt->fn == api_incidents_post && api_body_is_xml(r)))
				return http_error(r, 415, "unsupported_media_type",
						  rt->fn == api_incidents_post
						  ? "send the body as application/json, or an IODEF document "
						    "as application/xml (Content-Type)"
						  : "send the body as application/json (Content-Type)");
			if (authenticate(s, r))
				return HTTP_DONE;
			if (!auth_role_at_least(&r->who, (role_t)rt->min_role))
				return http_error(r, 403, "forbidden", "role %s may not do this; it needs %s",
						  role_name(r->who.role), role_name((role_t)rt->min_role));
		}
		return rt->fn(r);
	}
	if (path_known)
		return http_error(r, 405, "method_not_allowed", "%s is not allowed here", r->method);
	return http_error(r, 404, "not_found", "no such resource");
}

static http_req_t *req_new(http_server_t *s, struct MHD_Connection *c)
{
	struct timespec ts;
	http_req_t *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	r->t0 = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	r->hub = s->hub;
	r->srv = s;
	r->conn = c;
	return r;
}

/* The request line has arrived: the request starts here.  The library
 * splits the query into arguments after this call, in its per-connection
 * memory pool (64 KB): 1,000 parameters exhaust it and the request was
 * never answered.  A query over the limits is cut here, in the library's
 * own buffer (which uri points into), and answered 414 by dispatch(). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	http_server_t *s = cls;
	http_req_t *r = req_new(s, c);
	char *q = strchr(uri, '?');
	/* an encoded NUL in the path: the library decodes it in place, and every
	 * route would read the path cut there (REF%00junk as REF) */
	for (const char *p = uri; r && *p && p != q; p++)
		if (p[0] == '%' && p[1] == '0' && p[2] == '0')
			r->nul_path = 1;
	if (r && q) {
		size_t args = 1, len = strlen(q + 1);
		for (const char *p = q; *p; p++)
			args += *p == '&';
		if (args > HTTP_QUERY_ARGS || len > HTTP_QUERY_BYTES) {
			r->long_query = 1;
			q[1] = '\0';
		}
	}
	return r;
}

/* One of the big-body slots for r: 0, or -1 when they are all taken or one
 * is already its address's. */
static int big_take(http_server_t *s, http_req_t *r)
{
	char addr[64];
	int free_slot = -1;
	http_client_addr(r, addr, sizeof addr);
	pthread_mutex_lock(&s->conn_lock);
	for (int i = 0; i < HTTP_BIG_MAX; i++) {
		if (strcmp(s->big[i], addr) == 0) {
			free_slot = -1;
			break;
		}
		if (!s->big[i][0] && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0)
		snprintf(s->big[free_slot], sizeof s->big[0], "%s", addr);
	pthread_mutex_unlock(&s->conn_lock);
	r->big = free_slot + 1; /* 0: none */
	return free_slot >= 0 ? 0 : -1;
}

/* Take a request body piece; a body growing past HTTP_BIG_BODY needs one
 * of HTTP_BIG_MAX big slots (what its parsing and answer may take is a
 * multiple of it), else the rest is dropped and the answer is 503. */
/* The largest body a path takes: only the API and TAXII take big ones; the
 * console's forms, sign-in and enrolment take HTTP_FORM_MAX. */
static size_t body_max(const http_req_t *r)
{
	if (!strncmp(r->url, "/console/assess/", 16)) /* answers with their evidence files */
		return HTTP_BIG_BODY;
	return !strncmp(r->url, "/api/", 5) || !strncmp(r->url, "/taxii2/", 8) ? HTTP_BODY_MAX : HTTP_FORM_MAX;
}

/* May r take a big-body slot: does it carry a token the hub knows, or a
 * client certificate?  (Checked again in full at dispatch: an anonymous
 * client must not hold the slots others need.) */
static int big_sender_known(http_server_t *s, http_req_t *r)
{
	principal_t p;
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	return (h && auth_check(s->hub->auth, h, &p) == 0) || (s->trust && ci && ci->tls_session);
}

static int body_in(http_server_t *s, http_req_t *r, const char *data, size_t size)
{
	if (r->too_large || r->busy)
		return 0;
	if (r->len + size > body_max(r)) {
		r->too_large = 1;
		return 0;
	}
	if (!r->big && r->len + size > HTTP_BIG_BODY) {
		if (!big_sender_known(s, r)) {
			r->too_large = 1; /* answered 413: big bodies are for known senders */
			free(r->body);
			r->body = NULL;
			r->len = r->cap = 0;
			return 0;
		}
		if (big_take(s, r)) {
			atomic_fetch_add(&s->big_refused, 1);
			r->busy = 1;
			free(r->body);
			r->body = NULL;
			r->len = r->cap = 0;
			return 0;
		}
	}
	if (r->len + size + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + size + 1)
			cap *= 2;
		char *b = realloc(r->body, cap);
		if (!b)
			return -1;
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, size);
	r->len += size;
	r->body[r->len] = '\0';
	return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ctx)
{
	http_server_t *s = cls;
	http_req_t *r = *ctx;
	(void)version;

	if (!r || !r->url) { /* the head is complete */
		if (!r && !(*ctx = r = req_new(s, c)))
			return MHD_NO;
		r->url = url;
		r->method = method;
		conn_deadline(c, HTTP_BODY_MS);
		return MHD_YES;
	}
	if (*size) {
		if (body_in(s, r, data, *size))
			return MHD_NO;
		*size = 0;
		return MHD_YES;
	}
	if (r->responded)
		return MHD_YES;
	conn_deadline(c, 0);
	if (!r->body && !(r->body = calloc(1, 1)))
		return MHD_NO;
	int rc = dispatch(s, r);
	return rc == MHD_YES ? MHD_YES : MHD_NO;
}


static void on_done(void *cls, struct MHD_Connection *c, void **ctx,
		    enum MHD_RequestTerminationCode toe)
{
	http_server_t *s = cls;
	http_req_t *r = *ctx;
	(void)toe;
	if (!r)
		return;
	if (r->responded)
		account(s, r);
	free(r->body);
	if (r->big) {
		pthread_mutex_lock(&s->conn_lock);
		s->big[r->big - 1][0] = '\0';
		pthread_mutex_unlock(&s->conn_lock);
		malloc_trim(0); /* give what the big request's parse took back to the system */
	}
	free(r);
	*ctx = NULL;
	conn_deadline(c, HTTP_HEAD_MS); /* for the next request on this connection */
}

/* TLS 1.2 and 1.3 with AEAD ciphers and forward secrecy only. */
#define TLS_PRIORITIES                                                              \
	"SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:"  \
	"+AES-128-GCM:+CHACHA20-POLY1305:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"

int http_start(hub_t *hub, const char *addr, const http_tls_t *tls, http_server_t **out, char *err,
	       size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	http_server_t *s;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = ncpu < 2 ? 2 : ncpu > 16 ? 16 : (unsigned)ncpu;

	*out = NULL;
	if (net_parse_addr(addr, &ss, &sl)) {
		snprintf(err, errlen, "bad address '%s' (want HOST:PORT)", addr);
		return -1;
	}
	if (!(s = calloc(1, sizeof *s))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->hub = hub;
	pthread_mutex_init(&s->park_lock, NULL);
	pthread_mutex_init(&s->conn_lock, NULL);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME |
			 (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) | (tls ? MHD_USE_TLS : 0);
	if (tls && !(s->trust = pki_trust_new(tls->ca, strlen(tls->ca), err, errlen)))
		goto fail;
	/* our own socket: a port in use is refused with its reason (the
	 * library's SO_REUSEPORT let a second server share it) */
	char why[128];
	int lfd = net_listen(&ss, sl, SOCK_STREAM, 0, why, sizeof why);
	if (lfd < 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", addr, why);
		goto fail;
	}
	pki_info_t si;
	if (tls && pki_cert_info(tls->cert, strlen(tls->cert), &si, err, errlen) == 0) {
		s->server_not_after = si.not_after;
		if (si.not_after - (int64_t)time(NULL) < 30 * 86400)
			fprintf(stderr, "c5hub: warning: the server certificate expires %s; make a new one "
					"(remove server.pem and server.key, then c5hub pki init)\n",
				model_time_fmt(si.not_after, (char[32]){0}));
	}
	struct MHD_OptionItem tls_opts[] = {
		{MHD_OPTION_HTTPS_MEM_KEY, 0, tls ? (void *)tls->key : NULL},
		{MHD_OPTION_HTTPS_MEM_CERT, 0, tls ? (void *)tls->cert : NULL},
		{MHD_OPTION_HTTPS_MEM_TRUST, 0, tls ? (void *)tls->ca : NULL},
		{MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)TLS_PRIORITIES},
		{MHD_OPTION_END, 0, NULL},
	};
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
				MHD_OPTION_ARRAY, tls ? tls_opts : &tls_opts[4],
				MHD_OPTION_LISTEN_SOCKET, lfd,
				MHD_OPTION_THREAD_POOL_SIZE, threads,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNS,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HTTP_PER_ADDR,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
				MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot serve on %s%s", addr,
			 tls ? " (the TLS certificate and key were refused?)" : "");
		close(lfd);
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	if (pthread_create(&s->waker, NULL, waker, s) == 0)
		s->waker_running = 1;
	*out = s;
	return 0;
fail:
	pki_trust_free(s->trust);
	pthread_mutex_destroy(&s->park_lock);
	pthread_mutex_destroy(&s->conn_lock);
	free(s);
	return -1;
}

void http_stop(http_server_t *s)
{
	if (!s)
		return;
	atomic_store(&s->stopping, 1);
	if (s->waker_running) {
		hub_kick(s->hub);
		pthread_join(s->waker, NULL);
	}
	resume_all(s); /* suspended connections must be resumed before the stop */
	MHD_stop_daemon(s->d);
	pthread_mutex_destroy(&s->park_lock);
	pthread_mutex_destroy(&s->conn_lock);
	free(s->conns);
	pki_trust_free(s->trust);
	free(s);
}

uint16_t http_port(const http_server_t *s)
{
	return s->port;
}
