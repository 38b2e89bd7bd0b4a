/* store.c — the store interface: picks the back end and forwards every call
 * through its store_ops table (see store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_assess.h"
#include "store_sla.h"

int store_open(const char *path, int flags, store_t **out, char *err, size_t errlen)
{
	if (strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0)
		return store_pg_open(path, flags, out, err, errlen);
	return store_sqlite_open(path, flags, out, err, errlen);
}

const char *store_shown(const char *db, char *out, size_t n)
{
	size_t o = 0;
	const char *p = db, *at = NULL, *scheme = strstr(db, "://");
	if (n == 0)
		return out;
	if (scheme) { /* user:password@ before the first / after the scheme */
		const char *host_end = strpbrk(scheme + 3, "/?");
		for (const char *q = scheme + 3; *q && (!host_end || q < host_end); q++)
			if (*q == '@')
				at = q;
	}
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	while (*p && o + 1 < n) {
		if (colon && p == colon + 1) {
			o += (size_t)snprintf(out + o, n - o, "***");
			p = at;
			continue;
		}
		if (strncmp(p, "password=", 9) == 0 && (p == db || p[-1] == '?' || p[-1] == '&' || p[-1] == ' ')) {
			o += (size_t)snprintf(out + o, n - o, "password=***");
			p += 9;
			while (*p && *p != '&' && *p != ' ')
				p++;
			continue;
		}
		out[o++] = *p++;
	}
	out[o < n ? o : n - 1] = '\0';
	return out;
}

void store_close(store_t *st)
{
	if (st)
		st->ops->close(st);
}

const char *store_errmsg(store_t *st)
{
	return st ? st->err : "no store";
}

int store_schema_version(store_t *st)
{
	return st->ops->schema_version(st);
}

/* ---- fault injection (see store.h) ---- */
static store_fault_fn fault_fn;
static void *fault_arg;
static long fault_at = -1;  /* C5HUB_FAULT: -1 not read yet, 0 none */
static long fault_steps;

void store_fault_set(store_fault_fn fn, void *arg)
{
	fault_arg = arg;
	__atomic_store_n(&fault_fn, fn, __ATOMIC_RELEASE);
}

/* 0, or STORE_ERR when this step is the one to fail (message in st->err). */
static int fault(store_t *st, const char *op)
{
	store_fault_fn fn = __atomic_load_n(&fault_fn, __ATOMIC_ACQUIRE);
	if (fn) {
		if (!fn(st, op, fault_arg))
			return 0;
		snprintf(st->err, sizeof st->err, "injected fault at %s", op);
		return STORE_ERR;
	}
	long at = __atomic_load_n(&fault_at, __ATOMIC_RELAXED);
	if (at < 0) {
		const char *e = getenv("C5HUB_FAULT");
		at = e ? atol(e) : 0;
		__atomic_store_n(&fault_at, at > 0 ? at : 0, __ATOMIC_RELAXED);
	}
	if (at <= 0 || __atomic_add_fetch(&fault_steps, 1, __ATOMIC_RELAXED) != at)
		return 0;
	snprintf(st->err, sizeof st->err, "injected fault (C5HUB_FAULT=%ld) at %s", at, op);
	return STORE_ERR;
}
/* A read a unit test's hook may fail too (C5HUB_FAULT counts writes only). */
static int hook_fault(store_t *st, const char *op)
{
	return __atomic_load_n(&fault_fn, __ATOMIC_ACQUIRE) ? fault(st, op) : 0;
}
#define FAULT(op) do { if (fault(st, op)) return STORE_ERR; } while (0)

int store_begin(store_t *st)
{
	FAULT("begin");
	return st->ops->begin(st);
}

int store_commit(store_t *st)
{
	if (fault(st, "commit")) {
		char keep[sizeof st->err];
		memcpy(keep, st->err, sizeof keep);
		st->ops->rollback(st); /* as a commit that failed in the back end */
		memcpy(st->err, keep, sizeof keep);
		return STORE_ERR;
	}
	return st->ops->commit(st);
}

void store_rollback(store_t *st)
{
	st->ops->rollback(st);
}

uint64_t store_vkey(const char *v)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *v; v++) {
		h ^= (unsigned char)*v;
		h *= 1099511628211ULL;
	}
	return h >> 1;
}

int store_put_indicator(store_t *st, indicator_t *ind)
{
	FAULT("put_indicator");
	return st->ops->put_indicator(st, ind);
}

int store_get_indicator(store_t *st, int64_t id, indicator_t *out)
{
	return st->ops->get_indicator(st, id, out);
}

int store_delete_indicator(store_t *st, int64_t id)
{
	FAULT("delete_indicator");
	return st->ops->delete_indicator(st, id);
}

int store_list_indicators(store_t *st, const store_filter_t *f, store_ind_cb cb, void *arg)
{
	return st->ops->list_indicators(st, f, cb, arg);
}

int store_find_values(store_t *st, const obs_type_t *types, const char *const *values,
		      size_t n, store_ind_cb cb, void *arg)
{
	return st->ops->find_values(st, types, values, n, cb, arg);
}

int store_count_named(store_t *st, const tlp_view_t *v, store_count_cb cb, void *arg)
{
	return st->ops->count_named(st, v, cb, arg);
}

int store_event_days(store_t *st, int64_t org_id, int64_t since, store_day_cb cb, void *arg)
{
	return st->ops->event_days(st, org_id, since, cb, arg);
}

int store_count_indicators(store_t *st, int64_t *out)
{
	return st->ops->count_indicators(st, out);
}

int store_changes(store_t *st, int64_t since, store_row_cb rows, store_del_cb dels,
		  void *arg, int64_t *upto)
{
	if (hook_fault(st, "changes"))
		return STORE_ERR;
	return st->ops->changes(st, since, rows, dels, arg, upto);
}

int store_seq(store_t *st, int64_t *out)
{
	return st->ops->seq(st, out);
}

int store_org_add(store_t *st, org_t *org)
{
	FAULT("org_add");
	return st->ops->org_add(st, org);
}

int store_org_get(store_t *st, int64_t id, org_t *out)
{
	return st->ops->org_get(st, id, out);
}

int store_org_find(store_t *st, const char *name, org_t *out)
{
	return st->ops->org_find(st, name, out);
}

int store_org_list(store_t *st, store_org_cb cb, void *arg)
{
	return st->ops->org_list(st, cb, arg);
}

int store_token_add(store_t *st, store_token_t *tok)
{
	FAULT("token_add");
	return st->ops->token_add(st, tok);
}

int store_token_revoke(store_t *st, int64_t id, const char *prefix)
{
	FAULT("token_revoke");
	return st->ops->token_revoke(st, id, prefix);
}

int store_token_list(store_t *st, int include_revoked, store_token_cb cb, void *arg)
{
	return st->ops->token_list(st, include_revoked, cb, arg);
}

int store_token_last(store_t *st, int64_t *id)
{
	return st->ops->token_last(st, id);
}

int store_setting_get(store_t *st, const char *key, char *out, size_t outlen)
{
	return st->ops->setting_get(st, key, out, outlen);
}

int store_setting_set(store_t *st, const char *key, const char *value)
{
	FAULT("setting_set");
	return st->ops->setting_set(st, key, value);
}

int store_checkpoint(store_t *st)
{
	return st->ops->checkpoint(st);
}

int store_forget(store_t *st, int64_t upto)
{
	return st->ops->forget(st, upto);
}

int store_trust_set(store_t *st, const char *kind, const char *name, int value)
{
	FAULT("trust_set");
	if ((strcmp(kind, "default") && strcmp(kind, "source") && strcmp(kind, "org")) || value > 100)
		return STORE_EINVAL;
	return st->ops->trust_set(st, kind, name, value);
}

int store_trust_list(store_t *st, store_trust_cb cb, void *arg)
{
	return st->ops->trust_list(st, cb, arg);
}

int store_trust_version(store_t *st, int64_t *out)
{
	return st->ops->trust_version(st, out);
}

int store_scan_values(store_t *st, const tlp_view_t *v, obs_type_t type, store_ind_cb cb, void *arg)
{
	return st->ops->scan_values(st, v, type, cb, arg);
}

int store_csr_add(store_t *st, store_csr_t *r)
{
	FAULT("csr_add");
	return st->ops->csr_add(st, r);
}

int store_csr_get(store_t *st, int64_t id, store_csr_t *out)
{
	return st->ops->csr_get(st, id, out);
}

int store_csr_decide(store_t *st, int64_t id, const char *status)
{
	FAULT("csr_decide");
	return st->ops->csr_decide(st, id, status);
}

int store_csr_list(store_t *st, int64_t org, const char *status, store_csr_cb cb, void *arg)
{
	return st->ops->csr_list(st, org, status, cb, arg);
}

int store_cert_add(store_t *st, const store_cert_t *c)
{
	FAULT("cert_add");
	return st->ops->cert_add(st, c);
}

int store_cert_revoke(store_t *st, const char *serial_or_fpr, int64_t when)
{
	FAULT("cert_revoke");
	return st->ops->cert_revoke(st, serial_or_fpr, when);
}

int store_cert_list(store_t *st, store_cert_cb cb, void *arg)
{
	return st->ops->cert_list(st, cb, arg);
}

int store_audit_last(store_t *st, int64_t *seq, uint8_t hash[32])
{
	return st->ops->audit_last(st, seq, hash);
}

int store_audit_append(store_t *st, const store_audit_t *a)
{
	FAULT("audit_append");
	return st->ops->audit_append(st, a);
}

int store_audit_list(store_t *st, int64_t after, store_audit_cb cb, void *arg, char *head,
		     size_t headlen)
{
	return st->ops->audit_list(st, after, cb, arg, head, headlen);
}

int store_org_set_policy(store_t *st, int64_t id, const char *policy)
{
	FAULT("org_set_policy");
	if (strcmp(policy, "any") && strcmp(policy, "token") && strcmp(policy, "certificate") &&
	    strcmp(policy, "both"))
		return STORE_EINVAL;
	return st->ops->org_set_policy(st, id, policy);
}

int store_res_add(store_t *st, const store_res_t *r)
{
	FAULT("res_add");
	return st->ops->res_add(st, r);
}

int store_res_list(store_t *st, store_res_cb cb, void *arg)
{
	return st->ops->res_list(st, cb, arg);
}

int store_res_version(store_t *st, int64_t *out)
{
	return st->ops->res_version(st, out);
}

/* ---- watch and warn: straight to the back end ---- */
#define FWD(name, params, args) \
	int store_##name params { return st->ops->name args; }
#define FWDW(name, params, args) /* a write: a fault step */ \
	int store_##name params { FAULT(#name); return st->ops->name args; }
FWDW(feed_add, (store_t *st, store_feed_t *f), (st, f))
FWDW(feed_update, (store_t *st, const store_feed_t *f), (st, f))
FWD(feed_get, (store_t *st, const char *name, store_feed_t *out), (st, name, out))
FWDW(feed_delete, (store_t *st, const char *name), (st, name))
FWD(feed_list, (store_t *st, store_feed_cb cb, void *arg), (st, cb, arg))
FWD(source_list, (store_t *st, store_name_cb cb, void *arg), (st, cb, arg))
FWDW(event_add, (store_t *st, store_event_t *e), (st, e))
FWD(event_recent, (store_t *st, int64_t feed, int64_t since, store_event_cb cb, void *arg),
    (st, feed, since, cb, arg))
FWD(event_range, (store_t *st, int64_t feed, int64_t from, int64_t to, store_event_cb cb, void *arg),
    (st, feed, from, to, cb, arg))
FWDW(feed_run_put, (store_t *st, store_feed_run_t *r), (st, r))
FWD(feed_run_pending, (store_t *st, store_feed_run_cb cb, void *arg), (st, cb, arg))
FWD(event_list, (store_t *st, const store_event_filter_t *f, store_event_cb cb, void *arg),
    (st, f, cb, arg))
FWDW(notice_add, (store_t *st, int64_t e, int64_t org, int64_t due), (st, e, org, due))
FWD(notice_due, (store_t *st, int64_t now, store_id_cb cb, void *arg), (st, now, cb, arg))
FWDW(notice_assign, (store_t *st, int64_t org, int64_t now, int64_t d, int64_t *n, tlp_t *t),
    (st, org, now, d, n, t))
FWDW(delivery_add, (store_t *st, store_delivery_t *d), (st, d))
FWDW(delivery_claim, (store_t *st, int64_t id, int64_t now, int64_t lease), (st, id, now, lease))
FWDW(delivery_update, (store_t *st, const store_delivery_t *d), (st, d))
FWD(delivery_list, (store_t *st, const store_delivery_filter_t *f, store_delivery_cb cb, void *arg),
    (st, f, cb, arg))
FWD(prefs_get, (store_t *st, int64_t org, store_prefs_t *out), (st, org, out))
FWDW(prefs_set, (store_t *st, int64_t org, const store_prefs_t *p), (st, org, p))
FWD(res_contact, (store_t *st, int64_t org, char *out, size_t len), (st, org, out, len))
FWDW(warning_add, (store_t *st, store_warning_t *w), (st, w))
FWD(warning_get, (store_t *st, int64_t id, store_warning_t *out), (st, id, out))
FWD(warning_list, (store_t *st, int64_t after, int limit, store_warning_cb cb, void *arg),
    (st, after, limit, cb, arg))
FWD(stix_put, (store_t *st, store_stix_t *o), (st, o))
FWD(stix_share, (store_t *st, int64_t rid, int64_t org_id), (st, rid, org_id))
FWD(stix_link, (store_t *st, int64_t ind_id, int64_t rid), (st, ind_id, rid))
FWD(stix_shares, (store_t *st, store_share_cb cb, void *arg), (st, cb, arg))
FWD(share_version, (store_t *st, int64_t *out), (st, out))
FWD(stix_list, (store_t *st, const store_stix_filter_t *f, store_stix_cb cb, void *arg),
    (st, f, cb, arg))
FWD(stix_permit, (store_t *st, const char *id, int64_t org, int64_t by), (st, id, org, by))
FWD(stix_permitted, (store_t *st, const char *id, int64_t org), (st, id, org))
FWD(stix_recipients, (store_t *st, int64_t rid, store_share_cb cb, void *arg), (st, rid, cb, arg))
FWD(coll_add, (store_t *st, store_coll_t *c), (st, c))
FWD(coll_grant, (store_t *st, int64_t cid, int64_t org, int r, int w), (st, cid, org, r, w))
FWD(coll_get, (store_t *st, const char *key, int64_t viewer, store_coll_t *out),
    (st, key, viewer, out))
FWD(coll_list, (store_t *st, int64_t viewer, store_coll_cb cb, void *arg), (st, viewer, cb, arg))
FWD(coll_put, (store_t *st, int64_t cid, int64_t rid), (st, cid, rid))
FWD(taxii_objects, (store_t *st, const store_taxii_filter_t *f, store_stix_cb cb, void *arg),
    (st, f, cb, arg))
FWD(taxii_remove, (store_t *st, const store_taxii_filter_t *f, int64_t *n), (st, f, n))
FWD(taxii_status_put, (store_t *st, const char *id, int64_t org, const char *json),
    (st, id, org, json))
FWD(taxii_status_get, (store_t *st, const char *id, int64_t org, char **json),
    (st, id, org, json))
FWD(peer_add, (store_t *st, const store_peer_t *p), (st, p))
FWD(peer_update, (store_t *st, const store_peer_t *p), (st, p))
FWD(peer_list, (store_t *st, store_peer_cb cb, void *arg), (st, cb, arg))
FWD(evidence_add, (store_t *st, store_evidence_t *e), (st, e))
FWD(evidence_get, (store_t *st, int64_t id, store_evidence_t *out, void **data), (st, id, out, data))
FWD(evidence_list, (store_t *st, const char *inc, store_evidence_cb cb, void *arg), (st, inc, cb, arg))
FWD(custody_add, (store_t *st, store_custody_t *c), (st, c))
FWD(custody_list, (store_t *st, int64_t id, store_custody_cb cb, void *arg), (st, id, cb, arg))
FWDW(user_add, (store_t *st, store_user_t *u), (st, u))
FWD(user_get, (store_t *st, const char *email, int64_t id, store_user_t *out), (st, email, id, out))
FWDW(user_update, (store_t *st, const store_user_t *u), (st, u))
FWD(user_list, (store_t *st, int64_t org, store_user_cb cb, void *arg), (st, org, cb, arg))
FWDW(enrol_add, (store_t *st, const uint8_t hash[32], const store_enrol_t *e), (st, hash, e))
FWD(enrol_get, (store_t *st, const uint8_t hash[32], store_enrol_t *out), (st, hash, out))
FWDW(enrol_use, (store_t *st, const uint8_t hash[32], int64_t now), (st, hash, now))
FWDW(session_add, (store_t *st, const uint8_t hash[32], const store_session_t *s), (st, hash, s))
FWD(session_get, (store_t *st, const uint8_t hash[32], store_session_t *out), (st, hash, out))
FWDW(session_touch, (store_t *st, const uint8_t hash[32], int64_t now), (st, hash, now))
FWDW(session_end, (store_t *st, const uint8_t hash[32]), (st, hash))
FWDW(session_end_user, (store_t *st, int64_t user, int64_t *n), (st, user, n))
FWDW(session_prune, (store_t *st, int64_t idle, int64_t made), (st, idle, made))
FWDW(login_fail_add, (store_t *st, const char *key, int64_t t), (st, key, t))
FWD(login_fail_count, (store_t *st, const char *key, int64_t since, int64_t *n), (st, key, since, n))
FWDW(login_fail_clear, (store_t *st, const char *key), (st, key))
FWDW(login_fail_remove, (store_t *st, const char *key, int64_t t), (st, key, t))
FWDW(login_fail_prune, (store_t *st, int64_t before), (st, before))
FWDW(org_set_totp, (store_t *st, int64_t org, int required), (st, org, required))
FWD(org_totp, (store_t *st, int64_t org, int *required), (st, org, required))
/* SLA alerts (store_sla.h) */
FWDW(sla_alert_add, (store_t *st, store_sla_alert_t *a), (st, a))
FWD(sla_alert_get, (store_t *st, int64_t id, store_sla_alert_t *out), (st, id, out))
FWD(sla_alert_list, (store_t *st, int64_t case_id, int64_t after_id, int limit, store_sla_alert_cb cb,
		     void *arg), (st, case_id, after_id, limit, cb, arg))
FWD(sla_alert_count, (store_t *st, const char *level, int64_t *out), (st, level, out))
#undef FWD
#undef FWDW

int store_read_begin(store_t *st)
{
	return st->ops->read_begin(st);
}

void store_read_end(store_t *st)
{
	st->ops->read_end(st);
}

int store_writers_waiting(store_t *st)
{
	return st->ops->writers_waiting(st);
}

void store_let_writers_in(store_t *st)
{
	st->ops->let_writers_in(st);
}

int store_set_durable(store_t *st, int durable)
{
	return st->ops->set_durable(st, durable);
}


/* ---- incident cases (store_case.h) ---- */
#include "store_case.h"
/* ---- assessments (store_assess.h): straight to the back end ---- */
/* ---- advisories (store_csaf.h) ---- */
#include "store_csaf.h"
/* ---- gateway (store_gw.h): straight to the back end ---- */
#include "store/store_gw.h"
#define FWD(name, params, args) \
	int store_##name params { return st->ops->name args; }
#define FWDW(name, params, args) /* a write: a fault step */ \
	int store_##name params { FAULT(#name); return st->ops->name args; }
FWDW(case_next_number, (store_t *st, int year, int64_t *out), (st, year, out))
FWDW(case_add, (store_t *st, store_case_t *c), (st, c))
FWDW(case_update, (store_t *st, store_case_t *c), (st, c))
FWD(case_get, (store_t *st, const char *ref, int64_t id, store_case_t *out), (st, ref, id, out))
FWD(case_list, (store_t *st, const store_case_filter_t *f, store_case_cb cb, void *arg),
    (st, f, cb, arg))
FWDW(case_entry_add, (store_t *st, store_case_entry_t *e), (st, e))
FWD(case_entry_list, (store_t *st, int64_t c, int64_t after, int rep, store_case_entry_cb cb,
		      void *arg), (st, c, after, rep, cb, arg))
FWDW(case_entry_sent, (store_t *st, int64_t id, int64_t when), (st, id, when))
FWD(case_outbox, (store_t *st, store_case_entry_cb cb, void *arg), (st, cb, arg))
FWDW(case_task_add, (store_t *st, store_case_task_t *t), (st, t))
FWDW(case_task_update, (store_t *st, const store_case_task_t *t), (st, t))
FWD(case_task_list, (store_t *st, int64_t c, store_case_task_cb cb, void *arg), (st, c, cb, arg))
FWDW(case_link_add, (store_t *st, store_case_link_t *l), (st, l))
FWD(case_link_list, (store_t *st, int64_t c, store_case_link_cb cb, void *arg), (st, c, cb, arg))
FWD(case_related, (store_t *st, int64_t c, store_case_cb cb, void *arg), (st, c, cb, arg))
FWDW(case_affected_add, (store_t *st, int64_t c, int64_t org, int manual), (st, c, org, manual))
FWDW(case_affected_del, (store_t *st, int64_t c, int64_t org), (st, c, org))
FWD(case_affected_list, (store_t *st, int64_t c, store_case_affected_cb cb, void *arg),
    (st, c, cb, arg))
FWDW(case_wait_begin, (store_t *st, int64_t c, int64_t t), (st, c, t))
FWDW(case_wait_end, (store_t *st, int64_t c, int64_t t), (st, c, t))
FWD(case_wait_list, (store_t *st, int64_t c, store_case_wait_cb cb, void *arg), (st, c, cb, arg))
FWDW(qn_put, (store_t *st, store_qn_t *q), (st, q))
FWD(qn_get, (store_t *st, int64_t id, const char *name, int version, store_qn_t *out),
    (st, id, name, version, out))
FWD(qn_list, (store_t *st, store_qn_cb cb, void *arg), (st, cb, arg))
FWDW(assess_add, (store_t *st, store_assess_t *a), (st, a))
FWD(assess_get, (store_t *st, int64_t id, store_assess_t *out), (st, id, out))
FWD(assess_list, (store_t *st, const tlp_view_t *v, const char *entity, store_assess_cb cb, void *arg),
    (st, v, entity, cb, arg))
FWDW(assess_set_state, (store_t *st, int64_t id, const char *state), (st, id, state))
FWDW(ahist_add, (store_t *st, store_ahist_t *h), (st, h))
FWD(ahist_list, (store_t *st, int64_t id, store_ahist_cb cb, void *arg), (st, id, cb, arg))
FWDW(answer_put, (store_t *st, store_answer_t *a), (st, a))
FWD(answer_list, (store_t *st, int64_t id, store_answer_cb cb, void *arg), (st, id, cb, arg))
FWDW(answer_review, (store_t *st, int64_t id, const char *question, const char *review,
		     const char *reviewer, const char *comment), (st, id, question, review, reviewer, comment))
FWDW(road_put, (store_t *st, store_road_t *r), (st, r))
FWD(road_list, (store_t *st, int64_t id, store_road_cb cb, void *arg), (st, id, cb, arg))
FWDW(road_set, (store_t *st, int64_t id, const char *action, const char *state, const char *assignee),
     (st, id, action, state, assignee))
FWDW(adv_put, (store_t *st, store_adv_t *a), (st, a))
FWD(adv_get, (store_t *st, const char *id, store_adv_t *out), (st, id, out))
FWD(adv_list, (store_t *st, const tlp_view_t *v, int pub, int mir, int64_t lim, store_adv_cb cb, void *arg),
    (st, v, pub, mir, lim, cb, arg))
FWDW(adv_rev_add, (store_t *st, int64_t adv, int n, int64_t date, const char *sum, const char *doc),
     (st, adv, n, date, sum, doc))
FWD(adv_revs, (store_t *st, int64_t adv, store_adv_rev_cb cb, void *arg), (st, adv, cb, arg))
FWD(adv_get_id, (store_t *st, int64_t id, store_adv_t *out), (st, id, out))
FWDW(gw_entry_put, (store_t *st, store_gw_entry_t *e), (st, e))
FWD(gw_entry_get, (store_t *st, int64_t id, store_gw_entry_t *out), (st, id, out))
FWD(gw_entry_list, (store_t *st, const store_gw_filter_t *f, store_gw_entry_cb cb, void *arg), (st, f, cb, arg))
FWDW(gw_res_put, (store_t *st, store_gw_res_t *r), (st, r))
FWD(gw_res_get, (store_t *st, int64_t id, store_gw_res_t *out), (st, id, out))
FWD(gw_res_list, (store_t *st, const store_gw_filter_t *f, store_gw_res_cb cb, void *arg), (st, f, cb, arg))
FWDW(gw_news_put, (store_t *st, store_gw_news_t *n), (st, n))
FWD(gw_news_get, (store_t *st, int64_t id, store_gw_news_t *out), (st, id, out))
FWD(gw_news_list, (store_t *st, const store_gw_filter_t *f, store_gw_news_cb cb, void *arg), (st, f, cb, arg))
FWDW(gw_file_put, (store_t *st, int64_t id, const void *data, size_t n, const char *name), (st, id, data, n, name))
FWD(gw_file_get, (store_t *st, int64_t id, void **data, size_t *n, char *name, size_t namelen),
    (st, id, data, n, name, namelen))
FWDW(gw_doc_put, (store_t *st, const store_gw_doc_t *d), (st, d))
FWDW(gw_doc_del, (store_t *st, const char *kind, const char *ref), (st, kind, ref))
FWD(gw_search, (store_t *st, const store_gw_query_t *q, store_gw_doc_cb cb, void *arg), (st, q, cb, arg))
FWD(gw_gen, (store_t *st, int64_t *gen, int64_t *changed), (st, gen, changed))
FWD(gw_doc_text, (store_t *st, int64_t id, char *out, size_t n), (st, id, out, n))
#undef FWD
#undef FWDW

int store_case_entry_page(store_t *st, int64_t case_id, int64_t before_id, int limit,
			  int reporter_only, int64_t *older, store_case_entry_cb cb, void *arg)
{
	return st->ops->case_entry_page(st, case_id, before_id, limit, reporter_only, older, cb, arg);
}

/* ---- the mail gateway (store_mail.h) ---- */
#include "store_mail.h"
int store_mail_thread_put(store_t *st, const store_mail_thread_t *t)
{
	FAULT("mail_thread_put");
	return st->ops->mail_thread_put(st, t);
}
int store_mail_thread_get(store_t *st, int64_t case_id, store_mail_thread_t *out)
{
	return st->ops->mail_thread_get(st, case_id, out);
}
int store_mail_seen_add(store_t *st, const char *message_id, int64_t case_id, int64_t at,
			int64_t *case_id_out)
{
	FAULT("mail_seen_add");
	return st->ops->mail_seen_add(st, message_id, case_id, at, case_id_out);
}
