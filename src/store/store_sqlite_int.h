/* store_sqlite_int.h — what store_sqlite.c lends the other files of the
 * SQLite back end (store_watch.c): cached statements and error reporting. */
#ifndef C5_STORE_SQLITE_INT_H
#define C5_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store.h"

#define SQ_WSTMT 160 /* statement slots: store_watch.c 0..31, store_stix.c 32..63,
			store_taxii.c 64..79, store_evidence.c 80..95,
			store_people.c 96..127, store_gw.c 128..159 */
#define SQ_STIX_SLOT 32
#define SQ_TAXII_SLOT 64
#define SQ_EVID_SLOT 80
#define SQ_PEOPLE_SLOT 96
#define SQ_GW_SLOT 128

/* The visibility rule (tlp_visible in core/model.h) as SQL, the one place it
 * is written for the store: tlp and giver are the object's columns, named a
 * condition true when the viewer's organisation (:vorg) is a named recipient.
 * The view is bound by sq_bind_view (:vmax, :vorg, :vall, :vpeer). */
#define SQ_VISIBLE(tlp, giver, named)                                              \
	"(NOT (:vpeer AND " tlp " >= 4) AND (" tlp " <= :vmax OR :vall OR "         \
	"(:vorg <> 0 AND (" giver " = :vorg OR " named "))))"
/* Named recipients of an indicator i (through the STIX object it was made
 * from) and of a STIX object o. */
#define SQ_NAMED_IND "EXISTS (SELECT 1 FROM stix_made m JOIN stix_recipients r ON " \
	"r.rid = m.rid WHERE m.ind_id = i.id AND r.org_id = :vorg)"
#define SQ_NAMED_OBJ "EXISTS (SELECT 1 FROM stix_recipients r WHERE r.rid = o.rid " \
	"AND r.org_id = :vorg)"
/* Bind v to the named parameters of SQ_VISIBLE in q (those q has). */
void sq_bind_view(sqlite3_stmt *q, const tlp_view_t *v);

/* Microseconds since the epoch (the STIX and TAXII tables' clock). */
int64_t sq_now_us(void);
/* Column c of the row as text into dst (size bytes, "" for NULL). */
void sq_text_col(char *dst, size_t size, sqlite3_stmt *q, int c);

/* The connection, for statements made per call (store_taxii.c). */
sqlite3 *sq_db(store_t *st);

/* The connection's cached statement in slot, prepared from text the first
 * time; reset with bindings cleared.  NULL with the error recorded. */
sqlite3_stmt *sq_prepared(store_t *st, int slot, const char *text);
/* Record "what: sqlite's message"; STORE_EEXISTS for a unique-key clash,
 * else STORE_ERR. */
int sq_error(store_t *st, const char *what);

/* store_watch.c */
int sq_feed_add(store_t *, store_feed_t *);
int sq_feed_update(store_t *, const store_feed_t *);
int sq_feed_get(store_t *, const char *, store_feed_t *);
int sq_feed_delete(store_t *, const char *);
int sq_feed_list(store_t *, store_feed_cb, void *);
int sq_source_list(store_t *, store_name_cb, void *);
int sq_event_add(store_t *, store_event_t *);
int sq_event_recent(store_t *, int64_t, int64_t, store_event_cb, void *);
int sq_event_range(store_t *, int64_t, int64_t, int64_t, store_event_cb, void *);
int sq_feed_run_put(store_t *, store_feed_run_t *);
int sq_feed_run_pending(store_t *, store_feed_run_cb, void *);
int sq_event_list(store_t *, const store_event_filter_t *, store_event_cb, void *);
int sq_notice_add(store_t *, int64_t, int64_t, int64_t);
int sq_notice_due(store_t *, int64_t, store_id_cb, void *);
int sq_notice_assign(store_t *, int64_t, int64_t, int64_t, int64_t *, tlp_t *);
int sq_delivery_add(store_t *, store_delivery_t *);
int sq_delivery_update(store_t *, const store_delivery_t *);
int sq_delivery_claim(store_t *, int64_t, int64_t, int64_t);
int sq_delivery_list(store_t *, const store_delivery_filter_t *, store_delivery_cb, void *);
int sq_prefs_get(store_t *, int64_t, store_prefs_t *);
int sq_prefs_set(store_t *, int64_t, const store_prefs_t *);
int sq_res_contact(store_t *, int64_t, char *, size_t);
int sq_warning_add(store_t *, store_warning_t *);
int sq_warning_get(store_t *, int64_t, store_warning_t *);
int sq_warning_list(store_t *, int64_t, int, store_warning_cb, void *);

/* store_stix.c */
#define SQ_STIX_COLS "o.rid, o.id, o.version, o.type, o.spec_version, o.tlp, o.org_id, " \
	"o.added, o.indexed, o.json, o.vus, o.origin"
int sq_stix_put(store_t *, store_stix_t *);
int sq_stix_share(store_t *, int64_t, int64_t);
int sq_stix_link(store_t *, int64_t, int64_t);
int sq_stix_shares(store_t *, store_share_cb, void *);
int sq_stix_list(store_t *, const store_stix_filter_t *, store_stix_cb, void *);
int sq_stix_permit(store_t *, const char *, int64_t, int64_t);
int sq_stix_permitted(store_t *, const char *, int64_t);
int sq_stix_recipients(store_t *, int64_t, store_share_cb, void *);
/* store_taxii.c */
int sq_coll_add(store_t *, store_coll_t *);
int sq_coll_grant(store_t *, int64_t, int64_t, int, int);
int sq_coll_get(store_t *, const char *, int64_t, store_coll_t *);
int sq_coll_list(store_t *, int64_t, store_coll_cb, void *);
int sq_coll_put(store_t *, int64_t, int64_t);
int sq_taxii_objects(store_t *, const store_taxii_filter_t *, store_stix_cb, void *);
int sq_taxii_remove(store_t *, const store_taxii_filter_t *, int64_t *);
int sq_taxii_status_put(store_t *, const char *, int64_t, const char *);
int sq_taxii_status_get(store_t *, const char *, int64_t, char **);
int sq_peer_add(store_t *, const store_peer_t *);
int sq_peer_update(store_t *, const store_peer_t *);
int sq_peer_list(store_t *, store_peer_cb, void *);
/* store_evidence.c */
int sq_evidence_add(store_t *, store_evidence_t *);
int sq_evidence_get(store_t *, int64_t, store_evidence_t *, void **);
int sq_evidence_list(store_t *, const char *, store_evidence_cb, void *);
int sq_custody_add(store_t *, store_custody_t *);
int sq_custody_list(store_t *, int64_t, store_custody_cb, void *);
/* store_people.c */
int sq_user_add(store_t *, store_user_t *);
int sq_user_get(store_t *, const char *, int64_t, store_user_t *);
int sq_user_update(store_t *, const store_user_t *);
int sq_user_list(store_t *, int64_t, store_user_cb, void *);
int sq_enrol_add(store_t *, const uint8_t *, const store_enrol_t *);
int sq_enrol_get(store_t *, const uint8_t *, store_enrol_t *);
int sq_enrol_use(store_t *, const uint8_t *, int64_t);
int sq_session_add(store_t *, const uint8_t *, const store_session_t *);
int sq_session_get(store_t *, const uint8_t *, store_session_t *);
int sq_session_touch(store_t *, const uint8_t *, int64_t);
int sq_session_end(store_t *, const uint8_t *);
int sq_session_end_user(store_t *, int64_t, int64_t *);
int sq_session_prune(store_t *, int64_t, int64_t);
int sq_login_fail_add(store_t *, const char *, int64_t);
int sq_login_fail_count(store_t *, const char *, int64_t, int64_t *);
int sq_login_fail_clear(store_t *, const char *);
int sq_login_fail_remove(store_t *, const char *, int64_t);
int sq_login_fail_prune(store_t *, int64_t);
int sq_org_set_totp(store_t *, int64_t, int);
int sq_org_totp(store_t *, int64_t, int *);
#define SQ_PEOPLE_OPS \
	.user_add = sq_user_add, .user_get = sq_user_get, .user_update = sq_user_update, \
	.user_list = sq_user_list, .enrol_add = sq_enrol_add, .enrol_get = sq_enrol_get, \
	.enrol_use = sq_enrol_use, .session_add = sq_session_add, .session_get = sq_session_get, \
	.session_touch = sq_session_touch, .session_end = sq_session_end, \
	.session_end_user = sq_session_end_user, .session_prune = sq_session_prune, \
	.login_fail_add = sq_login_fail_add, .login_fail_count = sq_login_fail_count, \
	.login_fail_clear = sq_login_fail_clear, .login_fail_remove = sq_login_fail_remove, \
	.login_fail_prune = sq_login_fail_prune, \
	.org_set_totp = sq_org_set_totp, .org_totp = sq_org_totp,
/* store_stix.c: a row of X_COLS into o (json borrowed from q) */
void sq_stix_row(sqlite3_stmt *q, store_stix_t *o);
#define SQ_STIX_OPS \
	.stix_put = sq_stix_put, .stix_share = sq_stix_share, .stix_link = sq_stix_link, \
	.stix_shares = sq_stix_shares, \
	.stix_list = sq_stix_list, .stix_permit = sq_stix_permit, \
	.stix_permitted = sq_stix_permitted, .stix_recipients = sq_stix_recipients, \
	.coll_add = sq_coll_add, .coll_grant = sq_coll_grant, \
	.coll_get = sq_coll_get, .coll_list = sq_coll_list, .coll_put = sq_coll_put, \
	.taxii_objects = sq_taxii_objects, .taxii_remove = sq_taxii_remove, \
	.taxii_status_put = sq_taxii_status_put, .taxii_status_get = sq_taxii_status_get, \
	.peer_add = sq_peer_add, .peer_update = sq_peer_update, .peer_list = sq_peer_list, \
	.evidence_add = sq_evidence_add, .evidence_get = sq_evidence_get, \
	.evidence_list = sq_evidence_list, .custody_add = sq_custody_add, \
	.custody_list = sq_custody_list,

#define SQ_WATCH_OPS \
	.feed_add = sq_feed_add, .feed_update = sq_feed_update, .feed_get = sq_feed_get, \
	.feed_delete = sq_feed_delete, .feed_list = sq_feed_list, \
	.source_list = sq_source_list, .event_add = sq_event_add, \
	.event_recent = sq_event_recent, .event_list = sq_event_list, \
	.event_range = sq_event_range, .feed_run_put = sq_feed_run_put, \
	.feed_run_pending = sq_feed_run_pending, \
	.notice_add = sq_notice_add, .notice_due = sq_notice_due, \
	.notice_assign = sq_notice_assign, .delivery_add = sq_delivery_add, \
	.delivery_update = sq_delivery_update, .delivery_claim = sq_delivery_claim, .delivery_list = sq_delivery_list, \
	.res_contact = sq_res_contact, .prefs_get = sq_prefs_get, .prefs_set = sq_prefs_set, .warning_add = sq_warning_add, \
	.warning_get = sq_warning_get, .warning_list = sq_warning_list,

/* store_case.c (statements prepared per call) */
#include "store_case.h"
int sq_case_next_number(store_t *st, int year, int64_t *out);
int sq_case_add(store_t *st, store_case_t *c);
int sq_case_update(store_t *st, store_case_t *c);
int sq_case_get(store_t *st, const char *ref, int64_t id, store_case_t *out);
int sq_case_list(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *arg);
int sq_case_entry_add(store_t *st, store_case_entry_t *e);
int sq_case_entry_list(store_t *st, int64_t case_id, int64_t after, int reporter_only, store_case_entry_cb cb, void *arg);
int sq_case_entry_sent(store_t *st, int64_t id, int64_t when);
int sq_case_entry_page(store_t *st, int64_t case_id, int64_t before, int limit, int reporter_only,
		       int64_t *older, store_case_entry_cb cb, void *arg);
int sq_case_outbox(store_t *st, store_case_entry_cb cb, void *arg);
int sq_case_task_add(store_t *st, store_case_task_t *t);
int sq_case_task_update(store_t *st, const store_case_task_t *t);
int sq_case_task_list(store_t *st, int64_t case_id, store_case_task_cb cb, void *arg);
int sq_case_link_add(store_t *st, store_case_link_t *l);
int sq_case_link_list(store_t *st, int64_t case_id, store_case_link_cb cb, void *arg);
int sq_case_related(store_t *st, int64_t case_id, store_case_cb cb, void *arg);
int sq_case_affected_add(store_t *st, int64_t case_id, int64_t org_id, int manual);
int sq_case_affected_del(store_t *st, int64_t case_id, int64_t org_id);
int sq_case_affected_list(store_t *st, int64_t case_id, store_case_affected_cb cb, void *arg);
int sq_case_wait_begin(store_t *st, int64_t case_id, int64_t from);
int sq_case_wait_end(store_t *st, int64_t case_id, int64_t to);
int sq_case_wait_list(store_t *st, int64_t case_id, store_case_wait_cb cb, void *arg);
#define SQ_CASE_OPS \
.case_next_number = sq_case_next_number, .case_add = sq_case_add, .case_update = sq_case_update, .case_get = sq_case_get, .case_list = sq_case_list, .case_entry_add = sq_case_entry_add, .case_entry_list = sq_case_entry_list, .case_entry_sent = sq_case_entry_sent, .case_entry_page = sq_case_entry_page, .case_outbox = sq_case_outbox, .case_task_add = sq_case_task_add, .case_task_update = sq_case_task_update, .case_task_list = sq_case_task_list, .case_link_add = sq_case_link_add, .case_link_list = sq_case_link_list, .case_related = sq_case_related, .case_affected_add = sq_case_affected_add, .case_affected_del = sq_case_affected_del, .case_affected_list = sq_case_affected_list, .case_wait_begin = sq_case_wait_begin, .case_wait_end = sq_case_wait_end, .case_wait_list = sq_case_wait_list,
/* store_assess.c (store_assess.h's types) */
int sq_qn_put(store_t *, struct store_qn *);
int sq_qn_get(store_t *, int64_t, const char *, int, struct store_qn *);
int sq_qn_list(store_t *, int (*)(void *, const struct store_qn *), void *);
int sq_assess_add(store_t *, struct store_assess *);
int sq_assess_get(store_t *, int64_t, struct store_assess *);
int sq_assess_list(store_t *, const tlp_view_t *, const char *, int (*)(void *, const struct store_assess *),
		   void *);
int sq_assess_set_state(store_t *, int64_t, const char *);
int sq_ahist_add(store_t *, struct store_ahist *);
int sq_ahist_list(store_t *, int64_t, int (*)(void *, const struct store_ahist *), void *);
int sq_answer_put(store_t *, struct store_answer *);
int sq_answer_list(store_t *, int64_t, int (*)(void *, const struct store_answer *), void *);
int sq_answer_review(store_t *, int64_t, const char *, const char *, const char *, const char *);
int sq_road_put(store_t *, struct store_road *);
int sq_road_list(store_t *, int64_t, int (*)(void *, const struct store_road *), void *);
int sq_road_set(store_t *, int64_t, const char *, const char *, const char *);
#define SQ_ASSESS_OPS \
	.qn_put = sq_qn_put, .qn_get = sq_qn_get, .qn_list = sq_qn_list, .assess_add = sq_assess_add, \
	.assess_get = sq_assess_get, .assess_list = sq_assess_list, \
	.assess_set_state = sq_assess_set_state, .ahist_add = sq_ahist_add, .ahist_list = sq_ahist_list, \
	.answer_put = sq_answer_put, .answer_list = sq_answer_list, .answer_review = sq_answer_review, \
	.road_put = sq_road_put, .road_list = sq_road_list, .road_set = sq_road_set,
/* store_csaf.c */
#include "store_csaf.h"
int sq_adv_put(store_t *, store_adv_t *);
int sq_adv_get(store_t *, const char *, store_adv_t *);
int sq_adv_get_id(store_t *, int64_t, store_adv_t *);
int sq_adv_list(store_t *, const tlp_view_t *, int, int, int64_t, store_adv_cb, void *);
int sq_adv_rev_add(store_t *, int64_t, int, int64_t, const char *, const char *);
int sq_adv_revs(store_t *, int64_t, store_adv_rev_cb, void *);
#define SQ_CSAF_OPS \
	.adv_put = sq_adv_put, .adv_get = sq_adv_get, .adv_list = sq_adv_list, \
	.adv_rev_add = sq_adv_rev_add, .adv_revs = sq_adv_revs, .adv_get_id = sq_adv_get_id,
/* store_gw.c */
struct store_gw_entry;
struct store_gw_res;
struct store_gw_news;
struct store_gw_filter;
struct store_gw_doc;
struct store_gw_query;
int sq_gw_entry_put(store_t *, struct store_gw_entry *);
int sq_gw_entry_get(store_t *, int64_t, struct store_gw_entry *);
int sq_gw_entry_list(store_t *, const struct store_gw_filter *, int (*)(void *, const struct store_gw_entry *), void *);
int sq_gw_res_put(store_t *, struct store_gw_res *);
int sq_gw_res_get(store_t *, int64_t, struct store_gw_res *);
int sq_gw_res_list(store_t *, const struct store_gw_filter *, int (*)(void *, const struct store_gw_res *), void *);
int sq_gw_news_put(store_t *, struct store_gw_news *);
int sq_gw_news_get(store_t *, int64_t, struct store_gw_news *);
int sq_gw_news_list(store_t *, const struct store_gw_filter *, int (*)(void *, const struct store_gw_news *), void *);
int sq_gw_file_put(store_t *, int64_t, const void *, size_t, const char *);
int sq_gw_file_get(store_t *, int64_t, void **, size_t *, char *, size_t);
int sq_gw_doc_put(store_t *, const struct store_gw_doc *);
int sq_gw_doc_del(store_t *, const char *, const char *);
int sq_gw_search(store_t *, const struct store_gw_query *, int (*)(void *, const struct store_gw_doc *, double), void *);
int sq_gw_gen(store_t *, int64_t *, int64_t *);
int sq_gw_doc_text(store_t *, int64_t, char *, size_t);
#define SQ_GW_OPS \
	.gw_entry_put = sq_gw_entry_put, .gw_entry_get = sq_gw_entry_get, .gw_entry_list = sq_gw_entry_list, \
	.gw_res_put = sq_gw_res_put, .gw_res_get = sq_gw_res_get, .gw_res_list = sq_gw_res_list, \
	.gw_news_put = sq_gw_news_put, .gw_news_get = sq_gw_news_get, .gw_news_list = sq_gw_news_list, \
	.gw_file_put = sq_gw_file_put, .gw_file_get = sq_gw_file_get, .gw_doc_put = sq_gw_doc_put, \
	.gw_doc_del = sq_gw_doc_del, .gw_search = sq_gw_search, .gw_gen = sq_gw_gen, .gw_doc_text = sq_gw_doc_text,
/* store_sla.c (statements prepared per call) */
#include "store_sla.h"
int sq_sla_alert_add(store_t *st, store_sla_alert_t *a);
int sq_sla_alert_get(store_t *st, int64_t id, store_sla_alert_t *out);
int sq_sla_alert_list(store_t *st, int64_t case_id, int64_t after_id, int limit,
		      store_sla_alert_cb cb, void *arg);
int sq_sla_alert_count(store_t *st, const char *level, int64_t *out);
#define SQ_SLA_OPS \
	.sla_alert_add = sq_sla_alert_add, .sla_alert_get = sq_sla_alert_get, \
	.sla_alert_list = sq_sla_alert_list, .sla_alert_count = sq_sla_alert_count,

/* store_mail.c (statements prepared per call) */
#include "store_mail.h"
int sq_mail_thread_put(store_t *st, const store_mail_thread_t *t);
int sq_mail_thread_get(store_t *st, int64_t case_id, store_mail_thread_t *out);
int sq_mail_seen_add(store_t *st, const char *message_id, int64_t case_id, int64_t at, int64_t *case_id_out);
#define SQ_MAIL_OPS \
.mail_thread_put = sq_mail_thread_put, .mail_thread_get = sq_mail_thread_get, .mail_seen_add = sq_mail_seen_add,

#endif
