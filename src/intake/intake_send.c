/* intake_send.c — replies out: the templates (data/mail/KIND.LANG.txt,
 * built in), a case's thread (In-Reply-To the reporter's latest message,
 * References from its first), the message (mail_format) and the wire
 * (SMTP with libcurl, the message sent as written). */
#include "core/libs_curl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case/case.h"
#include "core/util.h"
#include "hub/hub.h"
#include "intake.h"
#include "mail/mail.h"
#include "store/store_mail.h"

extern const char data_mail_ack_en_txt[], data_mail_ack_fr_txt[], data_mail_rfi_en_txt[],
	data_mail_rfi_fr_txt[], data_mail_advice_en_txt[], data_mail_advice_fr_txt[],
	data_mail_closure_en_txt[], data_mail_closure_fr_txt[];

static const struct {
	const char *kind, *lang, *text;
} templates[] = {
	{"ack", "en", data_mail_ack_en_txt},         {"ack", "fr", data_mail_ack_fr_txt},
	{"rfi", "en", data_mail_rfi_en_txt},         {"rfi", "fr", data_mail_rfi_fr_txt},
	{"advice", "en", data_mail_advice_en_txt},   {"advice", "fr", data_mail_advice_fr_txt},
	{"closure", "en", data_mail_closure_en_txt}, {"closure", "fr", data_mail_closure_fr_txt},
};

/* Replace {key} in tpl[0..n) by its value. */
static void fill(util_buf_t *b, const char *tpl, size_t n, const char *const *kv)
{
	const char *end = tpl + n;
	for (const char *p = tpl; p < end;) {
		const char *o = memchr(p, '{', (size_t)(end - p));
		const char *e = o ? memchr(o, '}', (size_t)(end - o)) : NULL;
		if (!o || !e) {
			util_buf_add(b, p, (size_t)(end - p));
			return;
		}
		util_buf_add(b, p, (size_t)(o - p));
		const char *v = NULL;
		for (int k = 0; kv[k]; k += 2)
			if (strlen(kv[k]) == (size_t)(e - o - 1) && !strncmp(kv[k], o + 1, (size_t)(e - o - 1)))
				v = kv[k + 1];
		if (v)
			util_buf_add(b, v, strlen(v));
		else
			util_buf_add(b, o, (size_t)(e - o + 1));
		p = e + 1;
	}
}

int intake_render(const char *kind, const char *lang, const store_case_t *cs, const char *hub,
		  const char *text, char **subject, char **body)
{
	const char *tpl = NULL;
	for (int pass = 0; pass < 2 && !tpl; pass++)
		for (size_t i = 0; i < sizeof templates / sizeof *templates; i++)
			if (!strcmp(templates[i].kind, kind) &&
			    !strcmp(templates[i].lang, pass ? "en" : lang))
				tpl = templates[i].text;
	if (!tpl || strncmp(tpl, "Subject: ", 9))
		return -1;
	const char *nl = strchr(tpl, '\n');
	if (!nl)
		return -1;
	const char *kv[] = {"ref", cs->ref, "tlp", tlp_name(cs->tlp), "title", cs->title,
			    "hub", hub, "text", text ? text : "", NULL};
	util_buf_t s = {0}, b = {0};
	util_buf_add(&s, "", 0);
	util_buf_add(&b, "", 0);
	fill(&s, tpl + 9, (size_t)(nl - tpl - 9), kv);
	const char *rest = nl + 1;
	if (*rest == '\n')
		rest++;
	fill(&b, rest, strlen(rest), kv);
	/* the subject is one line */
	for (size_t i = 0; s.data && i < s.len; i++)
		if (s.data[i] == '\r' || s.data[i] == '\n' || s.data[i] == '\t')
			s.data[i] = ' ';
	if (s.oom || b.oom) {
		free(s.data);
		free(b.data);
		return -1;
	}
	/* TLP names are lower case in the store: the subject says TLP:AMBER */
	char *t = strstr(s.data, "[TLP:");
	for (char *p = t ? t + 5 : NULL; p && *p && *p != ']'; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	*subject = s.data;
	*body = b.data;
	return 0;
}

/* ---- the wire ---- */

typedef struct {
	const char *p;
	size_t left;
} upload_t;

static size_t up_read(char *buf, size_t size, size_t n, void *arg)
{
	upload_t *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static int smtp_send(const notify_conf_t *c, const char *to, const char *msg, size_t len,
		     char *err, size_t errlen)
{
	if (!c->smtp[0])
		return snprintf(err, errlen, "no SMTP server configured (--smtp)"), -1;
	CURL *h = curl_easy_init();
	if (!h)
		return snprintf(err, errlen, "curl: out of memory"), -1;
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	upload_t u = {msg, len};
	curl_easy_setopt(h, CURLOPT_URL, c->smtp);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, up_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "SMTP %s: %s", c->smtp, curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}

static void hub_name(store_t *st, const notify_conf_t *c, char *out, size_t size)
{
	int64_t org;
	tlp_t t;
	org_t o;
	if (c->from_name[0])
		snprintf(out, size, "%s", c->from_name);
	else if (hub_read_settings(st, &org, &t) == 0 && store_org_get(st, org, &o) == 0)
		snprintf(out, size, "%s", o.name);
	else
		snprintf(out, size, "c5hub");
}

/* Write and send template kind for case cs on thread t; id_tag makes the
 * Message-ID (the same on every attempt). */
static int send_on_thread(store_t *st, const notify_conf_t *c, const store_case_t *cs,
			  const store_mail_thread_t *t, const char *kind, const char *text,
			  const char *id_tag, int64_t now, char *err, size_t errlen)
{
	char hub[200], mid[400], refs[600];
	char *subject = NULL, *body = NULL, *msg = NULL;
	size_t len;
	int rc = -1;
	hub_name(st, c, hub, sizeof hub);
	if (intake_render(kind, t->lang, cs, hub, text, &subject, &body)) {
		snprintf(err, errlen, "template %s.%s: cannot be rendered", kind, t->lang);
		goto out;
	}
	const char *dom = strchr(c->from, '@');
	/* "c5hub.REF.TAG@domain": a reply that lost the subject still names
	 * its case in In-Reply-To / References (intake_take reads them) */
	snprintf(mid, sizeof mid, "c5hub.%s.%s@%s", cs->ref, id_tag, dom ? dom + 1 : "localhost");
	if (t->root_id[0] && strcmp(t->root_id, t->last_id))
		snprintf(refs, sizeof refs, "%s %s", t->root_id, t->last_id);
	else
		snprintf(refs, sizeof refs, "%s", t->last_id);
	mail_out_t o = {.from_name = hub, .from_addr = c->from, .to_addr = t->addr,
			.subject = subject, .message_id = mid, .in_reply_to = t->last_id,
			.references = refs, .body = body, .date = now};
	if (mail_format(&o, 1, &msg, &len, err, errlen))
		goto out;
	rc = smtp_send(c, t->addr, msg, len, err, errlen);
out:
	free(subject);
	free(body);
	free(msg);
	return rc;
}

int intake_acknowledge(store_t *st, const notify_conf_t *c, const intake_result_t *r, char *err,
		       size_t errlen)
{
	store_case_t cs;
	store_mail_thread_t t;
	if (r->outcome != INTAKE_OPENED || r->no_answer || !r->from[0])
		return 0;
	if (store_case_get(st, r->ref, 0, &cs) || store_mail_thread_get(st, cs.id, &t))
		return snprintf(err, errlen, "store: %s", store_errmsg(st)), -1;
	if (!t.addr[0])
		return 0;
	return send_on_thread(st, c, &cs, &t, "ack", NULL, "ack", (int64_t)time(NULL), err, errlen);
}

/* ---- the outbox ---- */

typedef struct {
	int64_t entry, case_id;
	char kind[24];
	char *text;
} pending_t;

typedef struct {
	pending_t *p;
	size_t n, cap;
	int oom;
} outbox_t;

static int outbox_cb(void *arg, const store_case_t *c, const store_case_entry_t *e)
{
	outbox_t *o = arg;
	if (util_grow(&o->p, &o->cap, o->n + 1, sizeof *o->p, 8))
		return o->oom = 1;
	pending_t *p = &o->p[o->n];
	p->entry = e->id;
	p->case_id = c->id;
	snprintf(p->kind, sizeof p->kind, "%s", e->kind);
	if (!(p->text = strdup(e->text ? e->text : "")))
		return o->oom = 1;
	o->n++;
	return 0;
}

int intake_send_replies(store_t *st, const notify_conf_t *c, int64_t now, long *sent, char *err,
			size_t errlen)
{
	outbox_t o = {0};
	int rc = 0;
	*sent = 0;
	if (case_outbox(st, outbox_cb, &o) || o.oom) {
		snprintf(err, errlen, "outbox: %s", o.oom ? "out of memory" : store_errmsg(st));
		rc = -1;
		goto out;
	}
	case_lifecycle_t *lc = o.n ? case_lifecycle_load(st, err, errlen) : NULL;
	if (o.n && !lc) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < o.n && rc == 0; i++) {
		store_case_t cs;
		store_mail_thread_t t;
		if (store_case_get(st, NULL, o.p[i].case_id, &cs)) {
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			rc = -1;
			break;
		}
		if (store_mail_thread_get(st, cs.id, &t) || !t.addr[0])
			continue; /* not an e-mail case: the console and the API say it */
		int status = !strcmp(o.p[i].kind, "status");
		const char *kind = status && case_lifecycle_final(lc, cs.status) ? "closure"
				   : cs.waiting_since ? "rfi"
						      : "advice";
		/* a step of the lifecycle is not a message to the reporter: only
		 * the closing one is mailed (with the resolution); the others are
		 * marked handled, and the reporter sees them in the console */
		if (status && strcmp(kind, "closure")) {
			if (store_begin(st) || case_entry_sent(st, o.p[i].entry, now) || store_commit(st)) {
				store_rollback(st);
				snprintf(err, errlen, "store: %s", store_errmsg(st));
				rc = -1;
				break;
			}
			continue;
		}
		char tag[40];
		snprintf(tag, sizeof tag, "%lld", (long long)o.p[i].entry);
		const char *text = status && cs.resolution[0] ? cs.resolution : o.p[i].text;
		if (send_on_thread(st, c, &cs, &t, kind, text, tag, now, err, errlen)) {
			rc = -1;
			break;
		}
		t.sent++;
		if (store_begin(st) || case_entry_sent(st, o.p[i].entry, now) ||
		    store_mail_thread_put(st, &t) || store_commit(st)) {
			store_rollback(st);
			snprintf(err, errlen, "store: %s", store_errmsg(st));
			rc = -1;
			break;
		}
		(*sent)++;
	}
	case_lifecycle_free(lc);
out:
	for (size_t i = 0; i < o.n; i++)
		free(o.p[i].text);
	free(o.p);
	return rc;
}
