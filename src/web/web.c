/* web.c — the web console: sessions, pages and their security headers (see
 * web.h).  Every page is a template from data/web/ rendered over a JSON
 * context into the layout; what goes into the context is read through the
 * same functions the API uses. */
#include "web/web_int.h"

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


/* ---- built-in files ---- */

extern const char data_web_layout_html[], data_web_signin_html[], data_web_enrol_html[],
	data_web_dashboard_html[], data_web_lookup_html[], data_web_indicators_html[],
	data_web_indicator_html[], data_web_warnings_html[], data_web_error_html[], data_web_totp_html[],
	data_web_mine_html[],
	data_web_indicator_new_html[],
	data_web_feeds_html[],
	data_web_cons_html[],
	data_web_c5_css[],
	data_web_people_html[], data_web_people_link_html[],
	data_web_deliveries_html[],
	data_web_trust_html[], data_web_trust_token_html[], data_web_trust_cert_html[], data_web_audit_html[],
	data_web_sharing_html[],
	data_web_assess_list_html[], data_web_assess_answer_html[], data_web_assess_review_html[],
	data_web_assess_results_html[], data_web_assess_roadmap_html[],
	data_web_case_list_html[], data_web_case_new_html[], data_web_case_view_html[], data_web_case_figures_html[],
	data_web_c5_js[], data_chart_min_js[];
extern const char data_web_advisories_html[], data_web_advisory_edit_html[], data_web_advisory_html[];
extern const char data_web_gw_home_html[], data_web_gw_directory_html[], data_web_gw_entry_html[],
	data_web_gw_resource_html[], data_web_gw_news_html[], data_web_gw_search_html[], data_web_gw_console_html[];

static const struct {
	const char *name, *src;
} templates[] = {
	{"layout", data_web_layout_html},       {"signin", data_web_signin_html},
	{"enrol", data_web_enrol_html},         {"dashboard", data_web_dashboard_html},
	{"lookup", data_web_lookup_html},       {"indicators", data_web_indicators_html},
	{"indicator", data_web_indicator_html}, {"warnings", data_web_warnings_html},
	{"error", data_web_error_html},         {"mine", data_web_mine_html},         {"totp", data_web_totp_html},
	{"indicator_new", data_web_indicator_new_html},
	{"advisories", data_web_advisories_html},
	{"advisory_edit", data_web_advisory_edit_html},
	{"advisory", data_web_advisory_html},
	{"feeds", data_web_feeds_html},
	{"cons", data_web_cons_html},
	{"people", data_web_people_html},
	{"people_link", data_web_people_link_html},
	{"deliveries", data_web_deliveries_html},
	{"trust", data_web_trust_html},
	{"trust_token", data_web_trust_token_html},
	{"trust_cert", data_web_trust_cert_html},
	{"audit", data_web_audit_html},
	{"sharing", data_web_sharing_html},
	{"assess_list", data_web_assess_list_html},
	{"assess_answer", data_web_assess_answer_html},
	{"assess_review", data_web_assess_review_html},
	{"assess_results", data_web_assess_results_html},
	{"assess_roadmap", data_web_assess_roadmap_html},
	{"gw_home", data_web_gw_home_html},
	{"gw_directory", data_web_gw_directory_html},
	{"gw_entry", data_web_gw_entry_html},
	{"gw_resource", data_web_gw_resource_html},
	{"gw_news", data_web_gw_news_html},
	{"gw_search", data_web_gw_search_html},
	{"gw_console", data_web_gw_console_html},
	{"case_list", data_web_case_list_html},
	{"case_new", data_web_case_new_html},
	{"case_view", data_web_case_view_html},
	{"case_figures", data_web_case_figures_html},
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
#define COOKIE_PRE_TLS "__Host-c5pre" /* the same under TLS: no sibling domain can set it */
#define PRE(r) (on_tls(r) ? COOKIE_PRE_TLS : COOKIE_PRE)

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
const char *web_t(http_req_t *r, const char *msg)
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
	snprintf(r->who.cred, sizeof r->who.cred, "person %lld %s", (long long)u->id, u->email); /* the id: unique however long the e-mail */
}

int web_redirect(http_req_t *r, const char *to)
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
	if (on_tls(r))
		http_header(r, "Strict-Transport-Security", "max-age=31536000");
	http_header(r, "X-Frame-Options", "DENY");
}

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
int web_page(http_req_t *r, int status, const web_page_t *p, json_t *ctx)
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
	json_t *lay = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s*}", "lang", i18n_code(lang), "dir",
				i18n_dir(lang), "title", web_t(r, p->title), "csrf", csrf, "langs",
				langs_json(r), "path", web_str(r->url), "body", body.data);
	if (lay && p->u) {
		org_t o = {0};
		store_t *st = hub_store_get(r->hub);
		if (st)
			store_org_get(st, p->u->org_id, &o);
		hub_store_put(r->hub, st);
		json_object_set_new(lay, "user", json_pack("{s:s, s:s, s:s}", "email", p->u->email, "org",
							   o.name, "role", role_name(p->u->role)));
	}
	if (lay && p->u) /* the menu's entries for analysts */
		json_object_set_new(json_object_get(lay, "user"), "analyst",
				    json_boolean(auth_role_at_least(&r->who, ROLE_ANALYST)));
	if (lay && p->u && p->u->role == ROLE_ADMIN) /* the menu's entries for admins */
		json_object_set_new(json_object_get(lay, "user"), "admin", json_true());
	if (lay && p->nav)
		json_object_set_new(lay, "nav", json_pack("{s:b}", p->nav, 1));
	if (lay && p->gw)
		json_object_set_new(lay, "gw", json_true());
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
	if (p->keep && (*p->keep = malloc(out.len + 1))) {
		memcpy(*p->keep, out.data, out.len + 1);
		*p->keep_len = out.len;
	}
	return http_text(r, status, "text/html; charset=utf-8", out.data, out.len);
}

void web_security_headers(http_req_t *r)
{
	security_headers(r);
}

int web_error(http_req_t *r, int status, const people_user_t *u, const char *msg)
{
	web_page_t p = {.tpl = "error", .title = status == 404 ? N_("Not found") : status == 403 ? N_("Not allowed") : N_("Error"),
		    .u = u};
	return web_page(r, status, &p, json_pack("{s:s}", "message", web_t(r, msg)));
}

/* ---- small helpers of every page ---- */

json_t *web_time(int64_t t)
{
	char b[24];
	return t ? json_string(model_time_fmt(t, b)) : json_null();
}

json_t *web_choices(const char *const *names, size_t n, const char *sel)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:b}", "name", names[i], "sel", sel && !strcmp(sel, names[i])));
	return a;
}

json_t *web_str(const char *s)
{
	if (util_utf8_valid(s, strlen(s)))
		return json_string(s);
	util_buf_t b = {0};
	for (const char *p = s; *p; p++) {
		size_t n = 1;
		while (n <= 4 && p[n - 1] && !util_utf8_valid(p, n))
			n++;
		if (n <= 4 && p[n - 1])
			util_buf_add(&b, p, n), p += n - 1;
		else
			util_buf_add(&b, "\xEF\xBF\xBD", 3);
	}
	json_t *j = json_string(b.data ? b.data : "");
	free(b.data);
	return j;
}

/* An organisation whose policy asks for a client certificate (certificate,
 * both) asks it of its people too: the console needs one of that
 * organisation on the connection, as the API does. */
static int cert_policy_ok(http_req_t *r, int64_t org)
{
	auth_policy_t pol = auth_org_policy(r->hub->auth, org);
	principal_t cp;
	if (pol != AUTH_CERT && pol != AUTH_BOTH)
		return 1;
	return http_client_cert(r, &cp) == 1 && cp.org_id == org;
}

/* ---- form fields: url-encoded, or multipart (a form with a file) ---- */

int web_part(http_req_t *r, const char *name, const char **p, size_t *n, char *fname, size_t fnlen)
{
	char b[FORM_BOUNDARY_MAX + 1];
	if (form_boundary(header(r, "Content-Type"), b, sizeof b) != 1)
		return 0;
	return form_part(r->body, r->len, b, name, p, n, fname, fnlen);
}

int web_field(http_req_t *r, const char *name, char *out, size_t outlen)
{
	char b[FORM_BOUNDARY_MAX + 1];
	const char *p;
	size_t n;
	int rc = form_boundary(header(r, "Content-Type"), b, sizeof b);
	if (rc == 0)
		return form_get(r->body, r->len, name, out, outlen);
	if (rc < 0 || outlen == 0 || (rc = form_part(r->body, r->len, b, name, &p, &n, NULL, 0)) != 1)
		return rc;
	if (n >= outlen || memchr(p, '\0', n))
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}

json_t *web_field_json(http_req_t *r, const char *name, size_t max)
{
	char *b = malloc(max + 1);
	json_t *s = NULL;
	if (b && web_field(r, name, b, max + 1) == 1)
		s = json_string(b);
	free(b);
	return s ? s : json_string(""); /* not UTF-8: as if empty, refused later */
}

json_t *web_number_json(json_t *s)
{
	const char *t = json_string_value(s);
	char *end;
	if (t && *t && strlen(t) < 8) {
		long n = strtol(t, &end, 10);
		if (!*end)
			return json_integer(n);
	}
	return json_incref(s);
}

int web_upload(http_req_t *r, char **text, size_t *n, char *name, size_t namelen, int *from_file)
{
	const char *p;
	size_t pn;
	char fname[256] = "";
	*text = NULL;
	*n = 0;
	*from_file = 0;
	snprintf(name, namelen, "upload");
	int rc = web_part(r, "file", &p, &pn, fname, sizeof fname);
	if (rc < 0)
		return -1;
	if (rc == 1 && pn > 0) {
		/* the file's own name in messages ("bad.csv:4: ..."): its last
		 * component, printable, without ':' */
		const char *base = fname;
		for (const char *c = fname; *c; c++)
			if (*c == '/' || *c == '\\')
				base = c + 1;
		size_t k = 0;
		for (const char *c = base; *c && k + 1 < namelen && k < 64; c++)
			if ((unsigned char)*c >= 0x20 && *c != 0x7f && *c != ':')
				name[k++] = *c;
		if (k)
			name[k] = '\0';
		if (!(*text = malloc(pn + 1)))
			return -1;
		memcpy(*text, p, pn);
		(*text)[pn] = '\0';
		*n = pn;
		*from_file = 1;
		return 1;
	}
	if (!(*text = malloc(r->len + 1)))
		return -1;
	rc = web_field(r, "text", *text, r->len + 1);
	if (rc != 1)
		(*text)[0] = '\0';
	*n = strlen(*text);
	return rc < 0 ? -1 : *n > 0;
}

/* ---- the session gate (http.c calls it for console routes) ---- */

int web_authenticate(http_req_t *r)
{
	people_user_t u;
	int who = person(r, &u, r->sid);
	if (!who) {
		r->sid[0] = '\0';
		if (!strcmp(r->method, "GET"))
			return web_redirect(r, "/signin"), -1;
		return web_error(r, 403, NULL, N_("Your session has ended: sign in again.")), -1;
	}
	if (!cert_policy_ok(r, u.org_id))
		return web_error(r, 403, NULL, N_("Your organisation signs in with a client certificate: open the console with yours.")), -1;
	/* a session that must first set up a second factor does only that */
	r->totp_setup = who == 2;
	if (r->totp_setup && strcmp(r->url, "/console/totp") && strcmp(r->url, "/signout")) {
		if (!strcmp(r->method, "GET"))
			return web_redirect(r, "/console/totp"), -1;
		return web_error(r, 403, NULL, N_("Set up your second factor first.")), -1;
	}
	principal_of(r, &u);
	r->person = u.id;
	/* every form of a signed-in person carries its session's CSRF token */
	if (strcmp(r->method, "GET")) {
		char tok[PEOPLE_CSRF_LEN + 8];
		if (web_field(r, "csrf", tok, sizeof tok) != 1 || !people_csrf_ok(r->sid, tok))
			return web_error(r, 403, &u, N_("This form has expired or did not come from this site: nothing was changed. Go back, reload and try again.")), -1;
	}
	return 0;
}

/* The signed-in person of an authenticated request. */
int web_me(http_req_t *r, people_user_t *u)
{
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_get_id(st, r->person, u) : -1;
	hub_store_put(r->hub, st);
	return rc;
}

int web_viewer(http_req_t *r, people_user_t *u)
{
	if (person(r, u, r->sid) != 1 || !cert_policy_ok(r, u->org_id)) {
		r->sid[0] = '\0';
		return 0;
	}
	principal_of(r, u);
	r->person = u->id;
	return 1;
}

int web_reader(http_req_t *r)
{
	people_user_t u;
	return web_viewer(r, &u);
}

const char *web_lang_code(http_req_t *r)
{
	return i18n_code(lang_of(r));
}

const char *web_header(http_req_t *r, const char *name)
{
	return header(r, name);
}

/* ---- public routes ---- */

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

/* A path of this site and nothing else: "/" then letters, digits and
 * "/_.-~?=&%+" only, never "//" (another host) — browsers drop tabs and
 * read backslashes as slashes, so anything else is refused. */
static int local_path(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 512)
		return 0;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/_.-~?=&%+", *p)))
			return 0;
	return 1;
}

int web_lang(http_req_t *r)
{
	const char *code = http_query(r, "lang"), *back = http_query(r, "back");
	if (code && (i18n_find(code) || !strcmp(code, "en")))
		set_cookie(r, "lang", code, 365 * 86400);
	return web_redirect(r, local_path(back) ? back : "/console");
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

/* The sign-in page: the password form and, on a TLS connection presenting
 * a valid enrolled client certificate, the certificate's form; error (a
 * msgid) and the code field go to the certificate's form when by_cert. */
static int signin_form(http_req_t *r, int status, const char *email, const char *error, int totp, int by_cert)
{
	char pre[65];
	principal_t cp;
	org_t o = {0};
	if (!cookie(r, PRE(r), pre, sizeof pre) || strlen(pre) != 64) {
		random_hex(pre, 32);
		set_cookie(r, PRE(r), pre, 3600);
	}
	int cert = on_tls(r) && http_client_cert(r, &cp) == 1;
	if (cert) {
		store_t *st = hub_store_get(r->hub);
		cert = st && store_org_get(st, cp.org_id, &o) == STORE_OK;
		hub_store_put(r->hub, st);
	}
	web_page_t p = {.tpl = "signin", .title = N_("Sign in"), .sid = pre};
	json_t *ctx = json_pack("{s:s, s:b, s:b, s:b}", "email", email ? email : "", "totp", totp && !by_cert,
				"cert", cert, "cert_totp", totp && by_cert);
	if (ctx && cert)
		json_object_set_new(ctx, "cert_org", json_string(o.name));
	if (ctx && error)
		json_object_set_new(ctx, by_cert && cert ? "cert_error" : "error", json_string(web_t(r, error)));
	return web_page(r, status, &p, ctx);
}

int web_signin_get(http_req_t *r)
{
	people_user_t u;
	char sid[PEOPLE_SECRET_LEN + 1];
	if (person(r, &u, sid))
		return web_redirect(r, "/console");
	return signin_form(r, 200, NULL, NULL, 0, 0);
}

/* The answer to a sign-in (people_signin or people_signin_cert gave rc,
 * sid and *u): the session's cookie, or the form again saying why. */
static int signin_done(http_req_t *r, int rc, const char *email, char *sid, const people_user_t *u,
		       const char *addr, int code_given, int by_cert)
{
	if ((rc == PEOPLE_OK || rc == PEOPLE_TOTP_SETUP) && !cert_policy_ok(r, u->org_id)) {
		store_t *st2 = hub_store_get(r->hub);
		people_by_t by = {.org_id = u->org_id, .actor = "console", .addr = addr};
		if (st2)
			people_signout(st2, &by, sid); /* the session made is ended at once */
		hub_store_put(r->hub, st2);
		explicit_bzero(sid, PEOPLE_SECRET_LEN + 1);
		return signin_form(r, 403, email, N_("Your organisation signs in with a client certificate: open the console with yours."), 0, 0);
	}
	switch (rc) {
	case PEOPLE_OK:
	case PEOPLE_TOTP_SETUP:
		set_cookie(r, on_tls(r) ? COOKIE_SID_TLS : COOKIE_SID, sid, PEOPLE_SESSION_MAX);
		set_cookie(r, PRE(r), "", -1);
		explicit_bzero(sid, PEOPLE_SECRET_LEN + 1);
		return web_redirect(r, rc == PEOPLE_OK ? "/console" : "/console/totp");
	case PEOPLE_NEED_TOTP:
		return signin_form(r, 200, email, N_("Enter the code from your authenticator app."), 1, by_cert);
	case PEOPLE_LOCKED:
		return signin_form(r, 429, email, N_("Too many failed attempts: wait 15 minutes and try again."), 0, by_cert);
	case PEOPLE_DENIED:
		if (by_cert)
			return signin_form(r, 401, email, code_given ? N_("Wrong e-mail address or code, or not an account of your certificate's organisation.")
								     : N_("No account of your certificate's organisation with this e-mail address."), 0, 1);
		return signin_form(r, 401, email, code_given ? N_("Wrong e-mail address, password or code.")
							     : N_("Wrong e-mail address or password."), 0, 0);
	default:
		return signin_form(r, 500, email, N_("The hub could not check this now: try again."), 0, by_cert);
	}
}

/* The sign-in form's CSRF check (its token bound to the pre-session cookie). */
static int signin_csrf_ok(http_req_t *r)
{
	char tok[80], pre[65];
	return cookie(r, PRE(r), pre, sizeof pre) && form_get(r->body, r->len, "csrf", tok, sizeof tok) == 1 &&
	       people_csrf_ok(pre, tok);
}

int web_signin_post(http_req_t *r)
{
	char email[PEOPLE_EMAIL_MAX + 1], pw[PEOPLE_PASSWORD_MAX + 1], code[16] = "", addr[64], err[256],
		sid[PEOPLE_SECRET_LEN + 1];
	people_user_t u;
	if (!signin_csrf_ok(r))
		return signin_form(r, 403, NULL, N_("This form has expired: nothing was sent. Try again."), 0, 0);
	if (form_get(r->body, r->len, "email", email, sizeof email) != 1 ||
	    form_get(r->body, r->len, "password", pw, sizeof pw) != 1)
		return signin_form(r, 400, NULL, N_("Give your e-mail address and your password."), 0, 0);
	if (form_get(r->body, r->len, "code", code, sizeof code) < 0)
		code[0] = '\0';
	http_client_addr(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_signin(st, email, pw, code, addr, (int64_t)time(NULL), sid, &u, err, sizeof err)
		    : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	explicit_bzero(pw, sizeof pw);
	return signin_done(r, rc, email, sid, &u, addr, code[0] != '\0', 0);
}

/* Sign-in with the enrolled client certificate of the connection: the
 * person names their account, which must be of the certificate's
 * organisation (people_signin_cert); no password. */
int web_signin_cert(http_req_t *r)
{
	char email[PEOPLE_EMAIL_MAX + 1], code[16] = "", addr[64], err[256], sid[PEOPLE_SECRET_LEN + 1];
	people_user_t u;
	principal_t cp;
	if (!signin_csrf_ok(r))
		return signin_form(r, 403, NULL, N_("This form has expired: nothing was sent. Try again."), 0, 1);
	if (!on_tls(r) || http_client_cert(r, &cp) != 1)
		return signin_form(r, 403, NULL, N_("This connection presents no valid enrolled certificate: sign in with your password."), 0, 0);
	if (form_get(r->body, r->len, "email", email, sizeof email) != 1 || !*email)
		return signin_form(r, 400, NULL, N_("Give your e-mail address."), 0, 1);
	if (form_get(r->body, r->len, "code", code, sizeof code) < 0)
		code[0] = '\0';
	http_client_addr(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_signin_cert(st, email, cp.org_id, code, addr, (int64_t)time(NULL), sid, &u, err, sizeof err)
		    : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	return signin_done(r, rc, email, sid, &u, addr, code[0] != '\0', 1);
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
	return web_redirect(r, "/signin");
}

static int enrol_page(http_req_t *r, int status, const char *account, const char *error, int ok)
{
	web_page_t p = {.tpl = "enrol", .title = N_("Set your password")};
	json_t *ctx = json_pack("{s:s, s:b}", "secret", r->arg, "ok", ok);
	if (ctx && account)
		json_object_set_new(ctx, "account", json_string(account));
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(error));
	return web_page(r, status, &p, ctx);
}

int web_enrol_get(http_req_t *r)
{
	people_user_t u;
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_enrol_check(st, r->arg, &u) : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	if (rc == PEOPLE_OK)
		return enrol_page(r, 200, u.email, NULL, 0);
	return enrol_page(r, 404, NULL, web_t(r, rc == PEOPLE_EXPIRED ? N_("This link has expired: ask your administrator for a new one.")
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
		return enrol_page(r, 404, NULL, web_t(r, "This link is not valid (used already, or mistyped)."), 0);
	}
	if (form_get(r->body, r->len, "password", pw, sizeof pw) != 1 ||
	    form_get(r->body, r->len, "again", again, sizeof again) != 1 || strcmp(pw, again)) {
		hub_store_put(r->hub, st);
		explicit_bzero(pw, sizeof pw);
		explicit_bzero(again, sizeof again);
		return enrol_page(r, 400, u.email, web_t(r, "The two passwords differ."), 0);
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
	if (rc == PEOPLE_WEAK)
		return enrol_page(r, 400, u.email, web_t(r, err), 0);
	return enrol_page(r, rc == PEOPLE_ERR ? 500 : 404, NULL,
			  web_t(r, N_("This link is not valid (used already, or mistyped).")), 0);
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
		return web_error(r, 500, u, N_("The hub could not start a second factor now: try again."));
	}
	json_t *ctx = json_pack("{s:b, s:b, s:s, s:s}", "active", rc == PEOPLE_EXISTS, "required",
				r->totp_setup, "secret", secret, "uri", uri);
	free(uri);
	if (ctx && error)
		json_object_set_new(ctx, "error", json_string(web_t(r, error)));
	web_page_t p = {.tpl = "totp", .title = N_("Second factor"), .u = r->totp_setup ? NULL : u, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_totp(http_req_t *r)
{
	people_user_t u;
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return totp_page(r, &u, 200, NULL);
}

int web_totp_post(http_req_t *r)
{
	people_user_t u;
	char code[16], err[256], addr[64];
	if (web_me(r, &u))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (form_get(r->body, r->len, "code", code, sizeof code) != 1)
		code[0] = '\0';
	http_client_addr(r, addr, sizeof addr);
	people_by_t by = {.org_id = u.org_id, .actor = r->who.cred, .addr = addr};
	store_t *st = hub_store_get(r->hub);
	int rc = st ? people_totp_confirm(st, &by, u.id, code, err, sizeof err) : PEOPLE_ERR;
	hub_store_put(r->hub, st);
	if (rc == PEOPLE_OK)
		return web_redirect(r, "/console");
	return totp_page(r, &u, rc == PEOPLE_LOCKED ? 429 : 400,
			 rc == PEOPLE_LOCKED ? N_("Too many failed attempts: wait 15 minutes and try again.")
					     : N_("That code is not right: try the newest one."));
}
