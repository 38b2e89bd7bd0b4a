/* web_trust.c — the console's trust pages: API tokens (an organisation's
 * admins their own, the hub's admins all: api_token_list / _create /
 * _revoke, the API's own), certificate requests (everyone sees their own
 * organisation's; the hub's admins every one, and approve or reject them:
 * api_pki_requests, api_pki_decides, hub_pki_approve / _reject),
 * certificates (the hub's admins; hub_pki_revoke rewrites the CRL) and the
 * audit log with the result of its verification (the hub's admins).  A new
 * token or certificate is shown once, in the answer to the form that made
 * it; the certificate can be fetched again (GET .../certificate/{id}). */
#include "web/web_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "hub/hub_pki.h"
#include "web/form.h"

static const char *const roles[] = {"reader", "contributor", "analyst", "admin"};
static const char *const statuses[] = {"pending", "approved", "rejected", "all"};

#define AUDIT_PAGE 200

static audit_entry_t who_of(http_req_t *r, char *addr, size_t n)
{
	http_client_addr(r, addr, n);
	return (audit_entry_t){.org_id = r->who.org_id, .actor = r->who.cred, .addr = addr};
}

/* The name of an organisation, or "?" (rows of the lists below). */
static const char *org_name(store_t *st, int64_t id, org_t *o)
{
	return store_org_get(st, id, o) == STORE_OK ? o->name : "?";
}

/* ---- the trust page ---- */

typedef struct {
	store_t *st;
	json_t *rows;
	int decides;
} rows_t;

static int token_cb(void *arg, const store_token_t *t)
{
	rows_t *l = arg;
	org_t o;
	return json_array_append_new(l->rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id",
		(json_int_t)t->id, "org", org_name(l->st, t->org_id, &o), "role", role_name(t->role), "prefix",
		t->prefix, "label", t->label, "created", web_time(t->created), "revoked", web_time(t->revoked),
		"active", !t->revoked));
}

static int request_cb(void *arg, const store_csr_t *q)
{
	rows_t *l = arg;
	org_t o;
	int pending = !strcmp(q->status, "pending");
	return json_array_append_new(l->rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:b}", "id",
		(json_int_t)q->id, "org", org_name(l->st, q->org_id, &o), "status", q->status, "subject", q->dn,
		"role", q->role, "created", web_time(q->created), "decided", web_time(q->decided), "may_decide",
		l->decides && pending, "approved", !strcmp(q->status, "approved")));
}

static int cert_cb(void *arg, const store_cert_t *c)
{
	rows_t *l = arg;
	org_t o;
	return json_array_append_new(l->rows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "serial",
		c->serial, "fpr", c->fingerprint, "org", org_name(l->st, c->org_id, &o), "role", c->role, "subject",
		c->dn, "not_after", web_time(c->not_after), "revoked", web_time(c->revoked), "request",
		(json_int_t)c->request_id));
}

static int org_cb(void *arg, const org_t *o)
{
	return json_array_append_new(arg, json_pack("{s:s}", "name", o->name));
}

/* The page: tokens (admins), requests (everyone; status as asked),
 * certificates (the hub's admins); error above the form of field. */
static int trust_page(http_req_t *r, const people_user_t *me, int status, const char *error, const char *field)
{
	const char *st_q = http_query(r, "status");
	const char *want = st_q && *st_q ? st_q : "pending";
	int admin = auth_role_at_least(&r->who, ROLE_ADMIN), decides = api_pki_decides(r), ok = 0;
	for (size_t i = 0; i < 4; i++)
		ok |= !strcmp(want, statuses[i]);
	if (!ok)
		return web_error(r, 400, me, N_("Status: pending, approved, rejected or all."));
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, me, N_("The store is not available."));
	rows_t tokens = {st, json_array(), decides}, reqs = {st, json_array(), decides},
	       certs = {st, json_array(), decides};
	json_t *orgs = json_array();
	int rc = (admin && api_token_list(r, st, 1, token_cb, &tokens)) ||
		 api_pki_requests(r, st, strcmp(want, "all") ? want : NULL, request_cb, &reqs) ||
		 (decides && store_cert_list(st, cert_cb, &certs)) ||
		 (admin && r->who.hub_member && store_org_list(st, org_cb, orgs));
	org_t mine;
	const char *my_org = org_name(st, r->who.org_id, &mine);
	json_t *ctx = json_pack("{s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s}", "admin", admin, "decides",
				decides, "hub", r->who.hub_member, "tokens", tokens.rows, "requests", reqs.rows,
				"certs", certs.rows, "orgs", orgs, "roles", web_choices(roles, 4, "reader"),
				"statuses", web_choices(statuses, 4, want), "my_org", my_org, "status", want);
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(ctx);
		return web_error(r, 500, me, N_("The store is not available."));
	}
	if (ctx && error) {
		json_object_set_new(ctx, "error", json_string(error));
		json_object_set_new(ctx, field, json_true());
	}
	web_page_t p = {.tpl = "trust", .title = N_("Tokens and certificates"), .nav = "trust", .u = me, .sid = r->sid};
	return web_page(r, status, &p, ctx);
}

int web_trust(http_req_t *r)
{
	people_user_t me;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	return trust_page(r, &me, 200, NULL, NULL);
}

/* ---- tokens ---- */

int web_token_add(http_req_t *r)
{
	people_user_t me;
	char org[MODEL_NAME_MAX + 1], role_s[16], label[MODEL_NAME_MAX + 2], clear[AUTH_TOKEN_LEN + 1];
	store_token_t t = {0};
	org_t o;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!auth_role_at_least(&r->who, ROLE_ADMIN))
		return web_error(r, 403, &me, N_("Tokens are managed by administrators."));
	if (form_get(r->body, r->len, "org", org, sizeof org) != 1)
		org[0] = '\0';
	int got = form_get(r->body, r->len, "label", label, sizeof label);
	if (got < 0)
		return trust_page(r, &me, 400, web_t(r, N_("Label: at most 128 characters.")), "token_error");
	if (got == 0)
		label[0] = '\0';
	if (form_get(r->body, r->len, "role", role_s, sizeof role_s) != 1 || role_parse(role_s, &t.role) ||
	    t.role > ROLE_ADMIN)
		return trust_page(r, &me, 400, web_t(r, N_("Role: reader, contributor, analyst or admin.")), "token_error");
	if (strlen(label) > MODEL_NAME_MAX)
		return trust_page(r, &me, 400, web_t(r, N_("Label: at most 128 characters.")), "token_error");
	store_t *st = hub_store_get(r->hub);
	if (!st)
		return web_error(r, 500, &me, N_("The store is not available."));
	t.org_id = r->who.org_id;
	if (*org && store_org_find(st, org, &o) == STORE_OK)
		t.org_id = o.id;
	else if (*org) {
		hub_store_put(r->hub, st);
		return trust_page(r, &me, 400, web_t(r, N_("Organisation: no such organisation.")), "token_error");
	}
	snprintf(t.label, sizeof t.label, "%s", label);
	int rc = api_token_create(r, st, &t, clear);
	snprintf(org, sizeof org, "%s", org_name(st, t.org_id, &o));
	hub_store_put(r->hub, st);
	if (rc == 403)
		return trust_page(r, &me, 403, web_t(r, N_("Organisation: administrators make tokens for their own organisation.")), "token_error");
	if (rc)
		return web_error(r, 500, &me, N_("The hub could not make the token now: try again."));
	web_page_t p = {.tpl = "trust_token", .title = N_("New token"), .nav = "trust", .u = &me, .sid = r->sid};
	rc = web_page(r, 201, &p, json_pack("{s:s, s:s, s:s, s:s}", "token", clear, "prefix", t.prefix, "role",
					     role_name(t.role), "org", org));
	explicit_bzero(clear, sizeof clear);
	return rc;
}

int web_token_post(http_req_t *r)
{
	people_user_t me;
	char *end;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!auth_role_at_least(&r->who, ROLE_ADMIN))
		return web_error(r, 403, &me, N_("Tokens are managed by administrators."));
	long long id = strtoll(r->arg, &end, 10);
	store_t *st = hub_store_get(r->hub);
	int rc = !st ? 500 : *end || id <= 0 ? 404 : api_token_revoke(r, st, id);
	hub_store_put(r->hub, st);
	if (rc == 404)
		return web_error(r, 404, &me, N_("No such active token."));
	if (rc)
		return web_error(r, 500, &me, N_("The hub could not revoke the token now: try again."));
	return web_redirect(r, "/console/trust");
}

/* ---- certificate requests and certificates ---- */

int web_request_post(http_req_t *r)
{
	people_user_t me;
	char action[16], days_s[16], err[512], addr[64], *end, *cert = NULL;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	long long id = strtoll(r->arg, &end, 10);
	if (!api_pki_decides(r))
		return web_error(r, 403, &me, N_("Only the hub's administrators decide on certificate requests."));
	if (*end || id <= 0)
		return web_error(r, 404, &me, N_("No such request."));
	if (form_get(r->body, r->len, "action", action, sizeof action) != 1)
		action[0] = '\0';
	int days = 365;
	if (!strcmp(action, "approve") && form_get(r->body, r->len, "days", days_s, sizeof days_s) == 1 && *days_s) {
		long v = strtol(days_s, &end, 10);
		if (*end || v < 1 || v > 825)
			return trust_page(r, &me, 400, web_t(r, N_("Days: a whole number from 1 to 825.")), "request_error");
		days = (int)v;
	}
	if (strcmp(action, "approve") && strcmp(action, "reject"))
		return trust_page(r, &me, 400, web_t(r, N_("Unknown action.")), "request_error");
	audit_entry_t who = who_of(r, addr, sizeof addr);
	pki_info_t info;
	store_t *st = hub_store_get(r->hub);
	int rc = !st ? -1 : !strcmp(action, "reject") ? hub_pki_reject(st, &who, id, err, sizeof err)
			  : hub_pki_approve(st, &who, id, days, &cert, &info, err, sizeof err);
	hub_store_put(r->hub, st);
	if (rc) {
		free(cert);
		if (!st || !strncmp(err, "store:", 6))
			return web_error(r, 500, &me, N_("The store is not available."));
		if (strstr(err, "no request") || strstr(err, "not found"))
			return web_error(r, 404, &me, N_("No such request."));
		return trust_page(r, &me, 409, err, "request_error"); /* decided already, bad subject */
	}
	if (!cert) {
		hub_sync(r->hub);
		return web_redirect(r, "/console/trust");
	}
	hub_sync(r->hub); /* the new certificate authenticates at once */
	web_page_t p = {.tpl = "trust_cert", .title = N_("Certificate issued"), .nav = "trust", .u = &me, .sid = r->sid};
	rc = web_page(r, 201, &p, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "serial", info.serial,
					     "fpr", info.fpr, "subject", info.dn, "pem", cert));
	free(cert);
	return rc;
}

int web_request_cert(http_req_t *r)
{
	people_user_t me;
	char *end, name[64];
	int has = 0;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	long long id = strtoll(r->arg, &end, 10);
	store_csr_t *req = calloc(1, sizeof *req);
	store_cert_t *c = calloc(1, sizeof *c);
	store_t *st = hub_store_get(r->hub);
	int rc = !req || !c || !st ? 500 : *end ? 404 : api_pki_request_cert(r, st, id, req, c, &has);
	hub_store_put(r->hub, st);
	char *pem = !rc && has ? strdup(c->pem) : NULL;
	free(req);
	free(c);
	if (rc == 500 || (!rc && has && !pem))
		return web_error(r, 500, &me, N_("The store is not available."));
	if (rc || !has)
		return web_error(r, 404, &me, N_("No certificate for this request."));
	snprintf(name, sizeof name, "attachment; filename=\"request-%lld.pem\"", id);
	http_header(r, "Content-Disposition", name);
	return http_text(r, 200, "application/x-pem-file", pem, strlen(pem));
}

int web_cert_post(http_req_t *r)
{
	people_user_t me;
	char err[512], addr[64], crl[4200], key[80];
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_pki_decides(r))
		return web_error(r, 403, &me, N_("Only the hub's administrators revoke certificates."));
	/* a serial or fingerprint in hex, as the CLI takes it (lower case) */
	size_t n = strlen(r->arg);
	if (!n || n >= sizeof key || r->arg[strspn(r->arg, "0123456789abcdefABCDEF:")])
		return web_error(r, 404, &me, N_("No such certificate."));
	for (size_t i = 0; i <= n; i++)
		key[i] = (char)(r->arg[i] >= 'A' && r->arg[i] <= 'F' ? r->arg[i] + 32 : r->arg[i]);
	audit_entry_t who = who_of(r, addr, sizeof addr);
	store_t *st = hub_store_get(r->hub);
	int rc = st ? hub_pki_revoke(st, &who, key, crl, sizeof crl, err, sizeof err) : -1;
	hub_store_put(r->hub, st);
	hub_sync(r->hub); /* refused within a second */
	if (rc == -1)
		return web_error(r, strstr(err, "no such") ? 404 : 500, &me,
				 strstr(err, "no such") ? N_("No such certificate.") : N_("The store is not available."));
	if (rc)
		return web_error(r, 500, &me, N_("The certificate is revoked, but the CRL could not be written: run c5hub pki crl."));
	return web_redirect(r, "/console/trust");
}

/* ---- the audit log ---- */

typedef struct {
	json_t *rows;
	int n;
	int64_t last;
} alist_t;

static int audit_cb(void *arg, const store_audit_t *a)
{
	alist_t *l = arg;
	if (++l->n > AUDIT_PAGE)
		return 1;
	l->last = a->seq;
	return json_array_append_new(l->rows, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s}", "seq",
		(json_int_t)a->seq, "ts", web_time(a->ts), "actor", a->actor, "addr", a->addr, "action", a->action,
		"object", a->object, "detail", a->detail));
}

int web_audit(http_req_t *r)
{
	people_user_t me;
	char head[128], *end = NULL;
	if (web_me(r, &me))
		return web_error(r, 500, NULL, N_("The hub could not read your account."));
	if (!api_pki_decides(r))
		return web_error(r, 403, &me, N_("The audit log is for the hub's administrators."));
	const char *after = http_query(r, "after");
	long long from = after && *after ? strtoll(after, &end, 10) : 0;
	if ((end && *end) || from < 0)
		return web_error(r, 400, &me, N_("After: an entry number."));
	alist_t l = {.rows = json_array()};
	audit_report_t rep = {0};
	store_t *st = hub_store_get(r->hub);
	int rc = !st || audit_verify(st, &rep) || store_audit_list(st, from, audit_cb, &l, head, sizeof head) != STORE_OK;
	hub_store_put(r->hub, st);
	if (rc) {
		json_decref(l.rows);
		return web_error(r, 500, &me, N_("The store is not available."));
	}
	json_t *ctx = json_pack("{s:o, s:b, s:I, s:I, s:s}", "entries", l.rows, "intact", !rep.bad_seq, "checked",
				(json_int_t)rep.checked, "bad_seq", (json_int_t)rep.bad_seq, "why", rep.why);
	if (ctx && l.n > AUDIT_PAGE)
		json_object_set_new(ctx, "next", json_integer(l.last));
	web_page_t p = {.tpl = "audit", .title = N_("Audit log"), .nav = "trust", .u = &me, .sid = r->sid};
	return web_page(r, 200, &p, ctx);
}
