/* web.c — the web console: sessions, pages and their security headers (see
 * web.h).  Every page is a template from data/web/ rendered over a JSON
 * context into the layout; what goes into the context is read through the
 * same functions the API uses. */
#include "web/web.h"

#include <gnutls/crypto.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "notify/notify.h"
#include "people/people.h"
#include "web/form.h"
#include "web/i18n.h"
#include "web/tpl.h"

/* A message to translate later (T), marked for tests/tools/po_check.py. */
#define N_(s) s

/* ---- built-in files ---- */

extern const char data_web_layout_html[], data_web_signin_html[], data_web_enrol_html[],
	data_web_dashboard_html[], data_web_lookup_html[], data_web_indicators_html[],
	data_web_indicator_html[], data_web_warnings_html[], data_web_error_html[], data_web_totp_html[],
	data_web_c5_css[],
	data_web_c5_js[], data_chart_min_js[];

static const struct {
	const char *name, *src;
} templates[] = {
	{"layout", data_web_layout_html},       {"signin", data_web_signin_html},
	{"enrol", data_web_enrol_html},         {"dashboard", data_web_dashboard_html},
	{"lookup", data_web_lookup_html},       {"indicators", data_web_indicators_html},
	{"indicator", data_web_indicator_html}, {"warnings", data_web_warnings_html},
	{"error", data_web_error_html},         {"totp", data_web_totp_html},
};

static const struct {
	const char *name, *type, *data;
} statics[] = {
	{"c5.css", "text/css; charset=utf-8", data_web_c5_css},
	{"c5.js", "text/javascript; charset=utf-8", data_web_c5_js},
	{"chart.js", "text/javascript; charset=utf-8", data_chart_min_js},
};

static const char *template(const char *name)
{
	for (size_t i = 0; i < sizeof templates / sizeof *templates; i++)
		if (!strcmp(templates[i].name, name))
			return templates[i].src;
	return NULL;
}

int web_check(char *err, size_t errlen)
{
	if (i18n_init(err, errlen))
		return -1;
	for (size_t i = 0; i < sizeof templates / sizeof *templates; i++)
		if (tpl_check(templates[i].name, templates[i].src, err, errlen))
			return -1;
	return 0;
}

/* ---- the request: language, cookies, session ---- */

#define COOKIE_SID "c5sid"
#define COOKIE_SID_TLS "__Host-c5sid"
#define COOKIE_PRE "c5pre" /* before a session: the sign-in form's CSRF secret */

static int on_tls(http_req_t *r)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	return ci && ci->tls_session;
}

static const char *header(http_req_t *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static int cookie(http_req_t *r, const char *name, char *out, size_t n)
{
	return form_cookie(header(r, "Cookie"), name, out, n) == 1;
}

static const i18n_lang_t *lang_of(http_req_t *r)
{
	char code[8];
	if (cookie(r, "lang", code, sizeof code))
		return i18n_find(code);
	return i18n_accept(header(r, "Accept-Language"));
}

/* The reader's words for msg. */
static const char *T(http_req_t *r, const char *msg)
{
	const char *t = i18n_get(lang_of(r), msg, strlen(msg));
	return t ? t : msg;
}

static void set_cookie(http_req_t *r, const char *name, const char *value, int max_age)
{
	char c[400];
	snprintf(c, sizeof c, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value,
		 on_tls(r) ? "; Secure" : "", max_age < 0 ? "; Max-Age=0" : "");
	http_header(r, "Set-Cookie", c);
}

static int session_id(http_req_t *r, char *sid)
{
	return cookie(r, on_tls(r) ? COOKIE_SID_TLS : COOKIE_SID, sid, PEOPLE_SECRET_LEN + 1);
}

/* The person of this request's session: 1 with *u, 2 when the session may
 * only set up a second factor (PEOPLE_TOTP_SETUP), 0 when there is none. */
static int person(http_req_t *r, people_user_t *u, char *sid)
{
	if (!session_id(r, sid))
		return 0;
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_session(st, sid, (int64_t)time(NULL), u) : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	return rc == PEOPLE_OK ? 1 : rc == PEOPLE_TOTP_SETUP ? 2 : 0;
}

static void principal_of(http_req_t *r, const people_user_t *u)
{
	r->who = (principal_t){.org_id = u->org_id, .role = u->role,
			       .hub_member = u->org_id == r->hub->hub_org};
	snprintf(r->who.cred, sizeof r->who.cred, "person %.32s", u->email);
}

static int redirect(http_req_t *r, const char *to)
{
	http_header(r, "Location", to);
	return http_text(r, 303, "text/plain; charset=utf-8", strdup(""), 0);
}

/* ---- pages ---- */

static void security_headers(http_req_t *r)
{
	http_header(r, "Content-Security-Policy",
		    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
		    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
	http_header(r, "Referrer-Policy", "same-origin");
	http_header(r, "X-Frame-Options", "DENY");
}

typedef struct {
	const char *tpl, *title, *nav;
	int chart;
	const people_user_t *u; /* NULL before sign-in */
	const char *sid;
} page_t;

static json_t *langs_json(http_req_t *r)
{
	static const char *const names[] = {"English", "Français", "العربية"};
	const char *cur = i18n_code(lang_of(r));
	json_t *a = json_array();
	const char *const *c = i18n_codes();
	for (int i = 0; c[i] && i < 3; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", c[i], "name", names[i],
						   "current", !strcmp(c[i], cur)));
	return a;
}

/* Render p over ctx (stolen) inside the layout. */
static int page(http_req_t *r, int status, const page_t *p, json_t *ctx)
{
	const i18n_lang_t *lang = lang_of(r);
	util_buf_t body = {0}, out = {0};
	char csrf[PEOPLE_CSRF_LEN + 1] = "";
	if (!ctx)
		return http_error(r, 500, "internal", "out of memory");
	if (p->sid)
		people_csrf(p->sid, csrf);
	json_object_set_new(ctx, "csrf", json_string(csrf));
	tpl_render(template(p->tpl), ctx, lang, &body);
	json_t *lay = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s*}", "lang", i18n_code(lang), "dir",
				i18n_dir(lang), "title", T(r, p->title), "csrf", csrf, "langs",
				langs_json(r), "path", r->url, "body", body.data);
	if (lay && p->u) {
		org_t o = {0};
		store_t *st = hub_store_get(r->hub);
		if (st)
			store_org_get(st, p->u->org_id, &o);
		hub_store_put(r->hub, st);
		json_object_set_new(lay, "user", json_pack("{s:s, s:s, s:s}", "email", p->u->email, "org",
							   o.name, "role", role_name(p->u->role)));
	}
	if (lay && p->nav)
		json_object_set_new(lay, "nav", json_pack("{s:b}", p->nav, 1));
	if (lay)
		json_object_set_new(lay, "scripts", p->chart ? json_pack("[s, s]", "chart.js", "c5.js")
							     : json_pack("[s]", "c5.js"));
	if (lay)
		tpl_render(template("layout"), lay, lang, &out);
	json_decref(lay);
	json_decref(ctx);
	free(body.data);
	if (!lay || body.oom || out.oom || !out.data) {
		free(out.data);
		return http_error(r, 500, "internal", "out of memory");
	}
	security_headers(r);
	return http_text(r, status, "text/html; charset=utf-8", out.data, out.len);
}

static int error_page(http_req_t *r, int status, const people_user_t *u, const char *msg)
{
	page_t p = {.tpl = "error", .title = status == 404 ? N_("Not found") : status == 403 ? N_("Not allowed") : N_("Error"),
		    .u = u};
	return page(r, status, &p, json_pack("{s:s}", "message", T(r, msg)));
}

/* ---- the session gate (http.c calls it for console routes) ---- */

int web_authenticate(http_req_t *r)
{
	people_user_t u;
	int who = person(r, &u, r->sid);
	if (!who) {
		r->sid[0] = '\0';
		if (!strcmp(r->method, "GET"))
			return redirect(r, "/signin"), -1;
		return error_page(r, 403, NULL, N_("Your session has ended: sign in again.")), -1;
	}
	/* a session that must first set up a second factor does only that */
	r->totp_setup = who == 2;
	if (r->totp_setup && strcmp(r->url, "/console/totp") && strcmp(r->url, "/signout")) {
		if (!strcmp(r->method, "GET"))
			return redirect(r, "/console/totp"), -1;
		return error_page(r, 403, NULL, N_("Set up your second factor first.")), -1;
	}
	principal_of(r, &u);
	r->person = u.id;
	/* every form of a signed-in person carries its session's CSRF token */
	if (strcmp(r->method, "GET")) {
		char tok[PEOPLE_CSRF_LEN + 8];
		if (form_get(r->body, r->len, "csrf", tok, sizeof tok) != 1 || !people_csrf_ok(r->sid, tok))
			return error_page(r, 403, &u, N_("This form has expired or did not come from this site: nothing was changed. Go back, reload and try again.")), -1;
	}
	return 0;
}

/* The signed-in person of an authenticated request. */
static int me(http_req_t *r, people_user_t *u)
{
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_get_id(st, r->person, u) : -1;
	hub_store_put(r->hub, st);
	return rc;
}

/* ---- public routes ---- */

int web_home(http_req_t *r)
{
	char sid[PEOPLE_SECRET_LEN + 1];
	return redirect(r, session_id(r, sid) ? "/console" : "/signin");
}

int web_static(http_req_t *r)
{
	for (size_t i = 0; i < sizeof statics / sizeof *statics; i++)
		if (!strcmp(r->arg, statics[i].name)) {
			char *copy = strdup(statics[i].data);
			if (!copy)
				return http_error(r, 500, "internal", "out of memory");
			http_header(r, "Cache-Control", "public, max-age=86400");
			return http_text(r, 200, statics[i].type, copy, strlen(copy));
		}
	return http_error(r, 404, "not_found", "no such file");
}

int web_lang(http_req_t *r)
{
	const char *code = http_query(r, "lang"), *back = http_query(r, "back");
	if (code && (i18n_find(code) || !strcmp(code, "en")))
		set_cookie(r, "lang", code, 365 * 86400);
	/* only a path of this site: never "//elsewhere" */
	return redirect(r, back && back[0] == '/' && back[1] != '/' && back[1] != '\\' &&
				   !strpbrk(back, "\r\n") ? back : "/console");
}

static void random_hex(char *out, size_t bytes)
{
	unsigned char b[32];
	if (bytes > sizeof b)
		bytes = sizeof b;
	gnutls_rnd(GNUTLS_RND_NONCE, b, bytes);
	for (size_t i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static int signin_form(http_req_t *r, int status, const char *email, const char *error, int totp)
{
	char pre[65];
	if (!cookie(r, COOKIE_PRE, pre, sizeof pre) || strlen(pre) != 64) {
		random_hex(pre, 32);
		set_cookie(r, COOKIE_PRE, pre, 3600);
	}
	page_t p = {.tpl = "signin", .title = N_("Sign in"), .sid = pre};
	json_t *ctx = json_pack("{s:s, s:b}", "email", email ? email : "", "totp", totp);
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(T(r, error)));
	return page(r, status, &p, ctx);
}

int web_signin_get(http_req_t *r)
{
	people_user_t u;
	char sid[PEOPLE_SECRET_LEN + 1];
	if (person(r, &u, sid))
		return redirect(r, "/console");
	return signin_form(r, 200, NULL, NULL, 0);
}

int web_signin_post(http_req_t *r)
{
	char email[PEOPLE_EMAIL_MAX + 1], pw[PEOPLE_PASSWORD_MAX + 1], code[16] = "", tok[80], pre[65],
		addr[64], err[256], sid[PEOPLE_SECRET_LEN + 1];
	people_user_t u;
	if (!cookie(r, COOKIE_PRE, pre, sizeof pre) || form_get(r->body, r->len, "csrf", tok, sizeof tok) != 1 ||
	    !people_csrf_ok(pre, tok))
		return signin_form(r, 403, NULL, N_("This form has expired: nothing was sent. Try again."), 0);
	if (form_get(r->body, r->len, "email", email, sizeof email) != 1 ||
	    form_get(r->body, r->len, "password", pw, sizeof pw) != 1)
		return signin_form(r, 400, NULL, N_("Give your e-mail address and your password."), 0);
	if (form_get(r->body, r->len, "code", code, sizeof code) < 0)
		code[0] = '\0';
	http_client_addr(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_signin(st, email, pw, code, addr, (int64_t)time(NULL), sid, &u, err, sizeof err)
		    : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	explicit_bzero(pw, sizeof pw);
	switch (rc) {
	case PEOPLE_OK:
	case PEOPLE_TOTP_SETUP:
		set_cookie(r, on_tls(r) ? COOKIE_SID_TLS : COOKIE_SID, sid, PEOPLE_SESSION_MAX);
		set_cookie(r, COOKIE_PRE, "", -1);
		explicit_bzero(sid, sizeof sid);
		return redirect(r, rc == PEOPLE_OK ? "/console" : "/console/totp");
	case PEOPLE_NEED_TOTP:
		return signin_form(r, 200, email, N_("Enter the code from your authenticator app."), 1);
	case PEOPLE_LOCKED:
		return signin_form(r, 429, email, N_("Too many failed attempts: wait 15 minutes and try again."), 0);
	case PEOPLE_DENIED:
		return signin_form(r, 401, email, code[0] ? N_("Wrong e-mail address, password or code.")
							  : N_("Wrong e-mail address or password."), 0);
	default:
		return signin_form(r, 500, email, N_("The hub could not check this now: try again."), 0);
	}
}

int web_signout(http_req_t *r)
{
	char addr[64];
	http_client_addr(r, addr, sizeof addr);
	people_by_t by = {.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr};
	store_t *st = hub_store_get(r->hub);
	if (st)
		people_signout(st, &by, r->sid);
	hub_store_put(r->hub, st);
	set_cookie(r, on_tls(r) ? COOKIE_SID_TLS : COOKIE_SID, "", -1);
	return redirect(r, "/signin");
}

static int enrol_page(http_req_t *r, int status, const char *account, const char *error, int ok)
{
	page_t p = {.tpl = "enrol", .title = N_("Set your password")};
	json_t *ctx = json_pack("{s:s, s:b}", "secret", r->arg, "ok", ok);
	if (ctx && account)
		json_object_set_new(ctx, "account", json_string(account));
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error));
	return page(r, status, &p, ctx);
}

int web_enrol_get(http_req_t *r)
{
	people_user_t u;
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_enrol_check(st, r->arg, &u) : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	if (rc == PEOPLE_OK)
		return enrol_page(r, 200, u.email, NULL, 0);
	return enrol_page(r, 404, NULL, T(r, rc == PEOPLE_EXPIRED ? N_("This link has expired: ask your administrator for a new one.")
								  : N_("This link is not valid (used already, or mistyped).")), 0);
}

int web_enrol_post(http_req_t *r)
{
	char pw[PEOPLE_PASSWORD_MAX + 1], again[PEOPLE_PASSWORD_MAX + 1], err[256], addr[64];
	people_user_t u;
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_enrol_check(st, r->arg, &u) : PEOPLE_ERR;
	if (rc != PEOPLE_OK) {
		hub_store_put(r->hub, st);
		return enrol_page(r, 404, NULL, T(r, "This link is not valid (used already, or mistyped)."), 0);
	}
	if (form_get(r->body, r->len, "password", pw, sizeof pw) != 1 ||
	    form_get(r->body, r->len, "again", again, sizeof again) != 1 || strcmp(pw, again)) {
		hub_store_put(r->hub, st);
		explicit_bzero(pw, sizeof pw);
		explicit_bzero(again, sizeof again);
		return enrol_page(r, 400, u.email, T(r, "The two passwords differ."), 0);
	}
	http_client_addr(r, addr, sizeof addr);
	char actor[PEOPLE_EMAIL_MAX + 8];
	snprintf(actor, sizeof actor, "person %s", u.email);
	people_by_t by = {.org_id = u.org_id, .actor = actor, .addr = addr};
	rc = people_enrol(st, &by, r->arg, pw, err, sizeof err);
	hub_store_put(r->hub, st);
	explicit_bzero(pw, sizeof pw);
	explicit_bzero(again, sizeof again);
	if (rc == PEOPLE_OK)
		return enrol_page(r, 200, u.email, NULL, 1);
	return enrol_page(r, rc == PEOPLE_WEAK ? 400 : 500, u.email, T(r, err), 0);
}

/* ---- console pages ---- */

static json_t *time_str(int64_t t)
{
	char b[24];
	return t ? json_string(model_time_fmt(t, b)) : json_null();
}

typedef struct {
	json_t *types;   /* [{type, counts[5], total}] */
} counts_t;

static int count_cb(void *arg, obs_type_t type, tlp_t tlp, int64_t n)
{
	counts_t *c = arg;
	const char *name = obs_type_name(type);
	json_t *row = NULL, *e;
	size_t i;
	json_array_foreach(c->types, i, e) if (!strcmp(json_string_value(json_object_get(e, "type")), name))
		row = e;
	if (!row) {
		row = json_pack("{s:s, s:[I,I,I,I,I], s:I}", "type", name, "counts", 0, 0, 0, 0, 0, "total", 0);
		json_array_append_new(c->types, row);
	}
	json_t *cs = json_object_get(row, "counts");
	json_array_set_new(cs, (size_t)tlp, json_integer(json_integer_value(json_array_get(cs, (size_t)tlp)) + n));
	json_object_set_new(row, "total", json_integer(json_integer_value(json_object_get(row, "total")) + n));
	return 0;
}

static int day_cb(void *arg, int64_t day, int64_t n)
{
	char b[24];
	model_time_fmt(day, b);
	b[10] = '\0';
	json_t *d = json_pack("{s:s, s:I}", "day", b, "n", (json_int_t)n);
	return json_array_append_new(arg, d);
}

static int feed_cb(void *arg, const store_feed_t *f)
{
	const char *state = !f->last_run ? "never run" : f->failures ? "failing" : "ok";
	return json_array_append_new(arg, json_pack("{s:s, s:o, s:I, s:I, s:s}", "name", f->name, "last_run",
						    time_str(f->last_run), "records", (json_int_t)f->records,
						    "failures", (json_int_t)f->failures, "state", state));
}

typedef struct {
	tlp_view_t v;
	org_t org;
	int have_org;
	json_t *list;
	int64_t last;
} warn_list_t;

static int warn_cb(void *arg, const store_warning_t *w)
{
	warn_list_t *l = arg;
	l->last = w->id;
	if (!notify_warning_visible(&l->v, l->have_org ? &l->org : NULL, w))
		return 0;
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o}", "title", w->title, "classification",
			      w->classification, "severity", w->severity, "tlp", tlp_name(w->tlp), "created",
			      time_str(w->created));
	return json_array_insert_new(l->list, 0, j); /* newest first */
}

/* The warnings r's principal may see, newest first (at most max). */
static json_t *warnings_json(http_req_t *r, store_t *st, size_t max)
{
	warn_list_t l = {.v = auth_view(&r->who), .list = json_array()};
	l.have_org = store_org_get(st, r->who.org_id, &l.org) == 0;
	for (int64_t before = -1; before != l.last;) {
		before = l.last;
		if (store_warning_list(st, l.last, 1000, warn_cb, &l))
			break;
	}
	while (json_array_size(l.list) > max)
		json_array_remove(l.list, json_array_size(l.list) - 1);
	return l.list;
}

int web_dashboard(http_req_t *r)
{
	people_user_t u;
	if (me(r, &u))
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return error_page(r, 500, &u, N_("The store is not available."));
	tlp_view_t v = auth_view(&r->who);
	counts_t c = {.types = json_array()};
	json_t *days = json_array(), *feeds = json_array();
	store_count_visible(st, &v, count_cb, &c);
	int64_t since = (int64_t)time(NULL) / 86400 * 86400 - 29 * 86400;
	store_event_days(st, r->who.hub_member ? 0 : r->who.org_id, since, day_cb, days);
	if (auth_role_at_least(&r->who, ROLE_ANALYST))
		store_feed_list(st, feed_cb, feeds);
	json_t *ctx = json_pack("{s:o, s:[s,s,s,s,s], s:o, s:o, s:o}", "types", c.types, "tlps", "clear",
				"green", "amber", "amber+strict", "red", "days", days, "feeds", feeds,
				"warnings", warnings_json(r, st, 10));
	hub_store_put(r->hub, st);
	page_t p = {.tpl = "dashboard", .title = N_("Dashboard"), .nav = "dashboard", .chart = 1, .u = &u,
		    .sid = r->sid};
	return page(r, 200, &p, ctx);
}

typedef struct {
	json_t *list;
} own_t;

static void owner_cb(void *arg, int64_t org_id, const char *org_name, const char *resource,
		     const char *contact)
{
	(void)org_id;
	json_array_append_new(((own_t *)arg)->list, json_pack("{s:s, s:s, s:s}", "org", org_name, "resource",
							      resource, "contact", contact ? contact : ""));
}

/* One value of the look-up page: what GET /api/v1/reputation answers. */
static json_t *lookup_value(http_req_t *r, store_t *st, const idx_snap_t *snap, const char *value)
{
	obs_t q;
	char err[512], mv[OBS_VALUE_MAX + 1];
	hub_verdict_t vd;
	if (obs_parse(value, strlen(value), OBS_NONE, &q, err, sizeof err))
		return json_pack("{s:s, s:s}", "value", value, "error", err);
	tlp_view_t v = auth_view(&r->who);
	if (hub_verdict(r->hub, snap, &q, &v, hub_now(), 1, 1, &vd))
		return json_pack("{s:s, s:s}", "value", value, "error", T(r, "out of memory"));
	json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:b, s:b}", "value", value, "type", obs_type_name(q.type),
			      "canonical", q.value, "score", vd.res.score, "listed", vd.listed, "refanged",
			      strcmp(value, q.value) && strpbrk(value, "[]()") != NULL);
	if (vd.res.best >= 0)
		json_object_set_new(o, "classification", json_string(vd.reps[vd.res.best].cls));
	if (vd.wlist)
		json_object_set_new(o, "warning_list", json_string(vd.wlist));
	json_t *list = json_array();
	for (size_t i = 0; i < vd.n; i++) {
		const idx_ref_t *ref = vd.hits[i].ref;
		org_t og = {0};
		char dec[16] = "—", wt[16];
		store_org_get(st, ref->org, &og);
		api_hit_value(&q, &vd.hits[i], mv);
		if (vd.why[i].state != REP_FP && vd.why[i].state != REP_FP_EXPIRED)
			snprintf(dec, sizeof dec, "%.3f", vd.why[i].decay);
		snprintf(wt, sizeof wt, "%.1f", vd.why[i].weight);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}",
			"match", api_how_name(vd.hits[i].how), "matched", mv, "source",
			idx_str(r->hub->idx, (uint16_t)ref->source), "org", og.name, "tlp", tlp_name((tlp_t)ref->tlp),
			"classification", vd.reps[i].cls, "confidence", vd.reps[i].conf, "trust", vd.reps[i].trust,
			"decay", dec, "weight", wt, "state", rep_state_name(vd.why[i].state)));
	}
	hub_verdict_done(&vd);
	if (json_array_size(list))
		json_object_set_new(o, "reports", json_pack("{s:o}", "list", list));
	else
		json_decref(list);
	if (auth_role_at_least(&r->who, ROLE_ANALYST)) {
		own_t ow = {.list = json_array()};
		hub_who(r->hub, &q, owner_cb, &ow);
		if (json_array_size(ow.list))
			json_object_set_new(o, "owners", json_pack("{s:o}", "list", ow.list));
		else
			json_decref(ow.list);
	}
	return o;
}

int web_lookup(http_req_t *r)
{
	people_user_t u;
	if (me(r, &u))
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	const char *q = http_query(r, "q");
	json_t *results = json_array();
	if (q && *q) {
		store_t *st = hub_store_get(r->hub);
		const idx_snap_t *snap = idx_enter(r->hub->idx);
		int n = 0;
		for (const char *p = q; *p && n < 100;) {
			size_t l = strcspn(p, "\r\n");
			char v[OBS_VALUE_MAX + 1];
			snprintf(v, sizeof v, "%.*s", (int)(l < sizeof v - 1 ? l : sizeof v - 1), p);
			char *s = v + strspn(v, " \t"), *e = s + strlen(s);
			while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
			if (*s) {
				json_array_append_new(results, lookup_value(r, st, snap, s));
				n++;
			}
			p += l;
			p += strspn(p, "\r\n");
		}
		idx_leave(r->hub->idx);
		hub_store_put(r->hub, st);
	}
	page_t p = {.tpl = "lookup", .title = N_("Look-up"), .nav = "lookup", .u = &u, .sid = r->sid};
	return page(r, 200, &p, json_pack("{s:s, s:o}", "q", q ? q : "", "results", results));
}

typedef struct {
	json_t *items;
	int64_t last;
	int n;
} ilist_t;

static int ind_cb(void *arg, const indicator_t *i)
{
	ilist_t *l = arg;
	l->last = i->id;
	l->n++;
	return json_array_append_new(l->items, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "id",
		(json_int_t)i->id, "value", i->value, "type", obs_type_name(i->type), "tlp", tlp_name(i->tlp),
		"source", i->source, "classification", i->classification, "confidence", i->confidence,
		"last_seen", time_str(i->last_seen)));
}

static json_t *choices(const char *const *names, size_t n, const char *sel)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:b}", "name", names[i], "sel", sel && !strcmp(sel, names[i])));
	return a;
}

int web_indicators(http_req_t *r)
{
	people_user_t u;
	static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};
	const char *tv[OBS_NTYPES];
	size_t nt = 0;
	if (me(r, &u))
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	for (int t = 1; t < OBS_NTYPES; t++)
		tv[nt++] = obs_type_name((obs_type_t)t);
	/* the API's filters, the API's query: the same rows */
	store_filter_t f = {.view = auth_view(&r->who), .tlp_max = -1, .limit = 50};
	const char *type = http_query(r, "type"), *value = http_query(r, "value"), *tlp = http_query(r, "tlp"),
		   *cursor = http_query(r, "cursor");
	const char *error = NULL;
	obs_t obs;
	char err[512];
	tlp_t t;
	if (type && *type && (f.type = obs_type_from_name(type)) == OBS_NONE)
		error = N_("Unknown type.");
	if (value && *value) {
		if (obs_parse(value, strlen(value), f.type, &obs, err, sizeof err))
			error = err;
		else {
			f.value = obs.value;
			f.type = obs.type;
		}
	}
	f.source = http_query(r, "source") && *http_query(r, "source") ? http_query(r, "source") : NULL;
	f.classification = http_query(r, "classification") && *http_query(r, "classification")
				   ? http_query(r, "classification") : NULL;
	if (tlp && *tlp) {
		if (tlp_parse(tlp, &t))
			error = N_("Unknown TLP.");
		else
			f.tlp_max = (int)t;
	}
	if (cursor)
		f.after_id = strtoll(cursor, NULL, 10);
	ilist_t l = {.items = json_array()};
	if (!error) {
		store_t *st = hub_store_get(r->hub);
		f.limit = 51; /* one more: is there a next page? */
		if (!st || store_list_indicators(st, &f, ind_cb, &l))
			error = N_("The store is not available.");
		hub_store_put(r->hub, st);
	}
	json_t *ctx = json_pack("{s:o, s:o, s:o, s:{s:s, s:s, s:s}}", "items", l.items, "types",
				choices(tv, nt, type), "tlps", choices(tlps, 5, tlp), "f", "value",
				value ? value : "", "source", f.source ? f.source : "", "classification",
				f.classification ? f.classification : "");
	if (ctx && l.n > 50) {
		json_array_remove(l.items, 50);
		char next[1200], enc[600];
		int64_t last = json_integer_value(json_object_get(json_array_get(l.items, 49), "id"));
		size_t o = (size_t)snprintf(next, sizeof next, "cursor=%lld", (long long)last);
		const char *keep[] = {"type", "value", "source", "classification", "tlp"};
		for (size_t k = 0; k < 5 && o < sizeof next; k++) {
			const char *kv = http_query(r, keep[k]);
			if (kv && *kv) {
				form_encode(kv, enc, sizeof enc);
				o += (size_t)snprintf(next + o, sizeof next - o, "&%s=%s", keep[k], enc);
			}
		}
		json_object_set_new(ctx, "next", json_string(next));
	}
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error == err ? err : T(r, error)));
	page_t p = {.tpl = "indicators", .title = N_("Indicators"), .nav = "indicators", .u = &u, .sid = r->sid};
	return page(r, error ? 400 : 200, &p, ctx);
}

int web_indicator(http_req_t *r)
{
	people_user_t u;
	indicator_t *i = malloc(sizeof *i);
	char *end;
	if (!i)
		return http_error(r, 500, "internal", "out of memory");
	if (me(r, &u)) {
		free(i);
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	}
	long long id = strtoll(r->arg, &end, 10);
	store_t *st = hub_store_get(r->hub);
	int rc = !st || *end || id <= 0 ? STORE_ENOTFOUND : store_get_indicator(st, id, i);
	hub_store_put(r->hub, st);
	/* one rule: what the API would not show, the page does not either */
	if (rc || !api_sees(r, i->id, i->tlp, i->org_id)) {
		free(i);
		return error_page(r, 404, &u, N_("No such indicator."));
	}
	json_t *ind = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o}", "value", i->value, "type",
				obs_type_name(i->type), "tlp", tlp_name(i->tlp), "source", i->source, "org",
				i->org_name, "classification", i->classification, "confidence", i->confidence,
				"first_seen", time_str(i->first_seen), "last_seen", time_str(i->last_seen),
				"valid_until", time_str(i->valid_until));
	free(i);
	page_t p = {.tpl = "indicator", .title = N_("Indicator"), .nav = "indicators", .u = &u, .sid = r->sid};
	return page(r, 200, &p, json_pack("{s:o}", "ind", ind));
}

static int warnings_page(http_req_t *r, const people_user_t *u, int status, json_t *form, const char *error)
{
	static const char *const sev[] = {"low", "medium", "high", "critical"};
	static const char *const tlps[] = {"clear", "green", "amber", "amber+strict", "red"};
	store_t *st = hub_store_get(r->hub);
	if (!st) {
		json_decref(form);
		return error_page(r, 500, u, N_("The store is not available."));
	}
	json_t *list = warnings_json(r, st, 200);
	hub_store_put(r->hub, st);
	if (!form)
		form = json_pack("{s:s, s:s, s:s, s:s}", "severity", "high", "tlp", "amber", "audience", "all",
				 "classification", "");
	json_t *ctx = json_pack("{s:o, s:b, s:o, s:o}", "warnings", list, "can_raise",
				auth_role_at_least(&r->who, ROLE_ANALYST), "severities",
				choices(sev, 4, json_string_value(json_object_get(form, "severity"))), "tlps",
				choices(tlps, 5, json_string_value(json_object_get(form, "tlp"))));
	if (ctx) {
		json_object_set_new(ctx, "form", form);
		if (error)
			json_object_set_new(ctx, "error", json_string(error));
	}
	page_t p = {.tpl = "warnings", .title = N_("Early warnings"), .nav = "warnings", .u = u, .sid = r->sid};
	return page(r, status, &p, ctx);
}

int web_warnings(http_req_t *r)
{
	people_user_t u;
	if (me(r, &u))
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	return warnings_page(r, &u, 200, NULL, NULL);
}

int web_warning_post(http_req_t *r)
{
	people_user_t u;
	store_warning_t *w = calloc(1, sizeof *w);
	char err[512], text[4096], obs_text[2048];
	if (!w)
		return http_error(r, 500, "internal", "out of memory");
	if (me(r, &u)) {
		free(w);
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	}
	if (!auth_role_at_least(&r->who, ROLE_ANALYST)) {
		free(w);
		return error_page(r, 403, &u, N_("Raising an early warning needs the analyst role."));
	}
	json_t *form = json_object();
	static const char *const fields[] = {"title", "classification", "severity", "tlp", "audience", "observables"};
	for (size_t k = 0; k < 6; k++) {
		if (form_get(r->body, r->len, fields[k], text, sizeof text) != 1)
			text[0] = '\0';
		json_object_set_new(form, fields[k], json_string(text));
	}
	const char *error = NULL;
	snprintf(w->title, sizeof w->title, "%s", json_string_value(json_object_get(form, "title")));
	snprintf(w->classification, sizeof w->classification, "%s",
		 json_string_value(json_object_get(form, "classification")));
	snprintf(w->severity, sizeof w->severity, "%s", json_string_value(json_object_get(form, "severity")));
	snprintf(w->audience, sizeof w->audience, "%s", json_string_value(json_object_get(form, "audience")));
	if (tlp_parse(json_string_value(json_object_get(form, "tlp")), &w->tlp))
		error = T(r, "Unknown TLP.");
	/* observables: one per line, each checked, kept as {type, value} */
	json_t *norm = json_array();
	snprintf(obs_text, sizeof obs_text, "%s", json_string_value(json_object_get(form, "observables")));
	for (char *save = NULL, *line = strtok_r(obs_text, "\r\n", &save); line && !error;
	     line = strtok_r(NULL, "\r\n", &save)) {
		obs_t ob;
		line += strspn(line, " \t");
		if (!*line)
			continue;
		if (obs_parse(line, strlen(line), OBS_NONE, &ob, err, sizeof err))
			error = err;
		else
			json_array_append_new(norm, json_pack("{s:s, s:s}", "type", obs_type_name(ob.type), "value",
							      ob.value));
	}
	char *nj = json_dumps(norm, JSON_COMPACT);
	json_decref(norm);
	if (!error && (!nj || strlen(nj) >= sizeof w->observables))
		error = T(r, "Too many observables.");
	if (nj && strlen(nj) < sizeof w->observables)
		memcpy(w->observables, nj, strlen(nj) + 1);
	free(nj);
	size_t n;
	int st = error ? 400 : api_warning_raise(r, w, &n, err, sizeof err);
	free(w);
	if (st)
		return warnings_page(r, &u, st, form, error ? error : err);
	json_decref(form);
	return redirect(r, "/console/warnings");
}

/* ---- the second factor ---- */

static int totp_page(http_req_t *r, const people_user_t *u, int status, const char *error)
{
	char secret[40] = "", err[256];
	char *uri = calloc(1, PEOPLE_URI_MAX);
	if (!uri)
		return http_error(r, 500, "internal", "out of memory");
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_totp_begin(st, u->id, secret, uri, PEOPLE_URI_MAX, err, sizeof err) : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	if (rc != PEOPLE_OK && rc != PEOPLE_EXISTS) {
		free(uri);
		return error_page(r, 500, u, N_("The hub could not start a second factor now: try again."));
	}
	json_t *ctx = json_pack("{s:b, s:b, s:s, s:s}", "active", rc == PEOPLE_EXISTS, "required",
				r->totp_setup, "secret", secret, "uri", uri);
	free(uri);
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(T(r, error)));
	page_t p = {.tpl = "totp", .title = N_("Second factor"), .u = r->totp_setup ? NULL : u, .sid = r->sid};
	return page(r, status, &p, ctx);
}

int web_totp(http_req_t *r)
{
	people_user_t u;
	if (me(r, &u))
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	return totp_page(r, &u, 200, NULL);
}

int web_totp_post(http_req_t *r)
{
	people_user_t u;
	char code[16], err[256], addr[64];
	if (me(r, &u))
		return error_page(r, 500, NULL, N_("The hub could not read your account."));
	if (form_get(r->body, r->len, "code", code, sizeof code) != 1)
		code[0] = '\0';
	http_client_addr(r, addr, sizeof addr);
	people_by_t by = {.org_id = u.org_id, .actor = r->who.cred, .addr = addr};
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_totp_confirm(st, &by, u.id, code, err, sizeof err) : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	if (rc == PEOPLE_OK)
		return redirect(r, "/console");
	return totp_page(r, &u, rc == PEOPLE_LOCKED ? 429 : 400,
			 rc == PEOPLE_LOCKED ? N_("Too many failed attempts: wait 15 minutes and try again.")
					     : N_("That code is not right: try the newest one."));
}
