/* intake.c — one e-mail taken in: the size limit, the sender matched to a
 * constituent, the message and its attachments as evidence, a new case or
 * the reporter's reply on its case, the thread and the Message-ID recorded
 * — one transaction for all of it. */
#include <ctype.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "case/case.h"
#include "cons/cons.h"
#include "core/util.h"
#include "evidence/evidence.h"
#include "hub/hub.h"
#include "intake.h"
#include "mail/mail.h"
#include "store/store_mail.h"

/* ---- the sender ---- */

typedef struct {
	const char *addr;
	int64_t org;
} contact_t;

static int contact_cb(void *arg, const store_res_t *r)
{
	contact_t *c = arg;
	if (!strcasecmp(r->abuse_contact, c->addr)) {
		c->org = r->org_id;
		return 1;
	}
	return 0;
}

/* The organisation addr speaks for: a person's account, an abuse contact
 * of the constituency, then the sender's domain (or a parent) as a
 * constituent's resource.  0 when none. */
static int64_t match_sender(store_t *st, const char *addr)
{
	store_user_t u;
	if (!*addr || !strchr(addr, '@'))
		return 0;
	if (store_user_get(st, addr, 0, &u) == STORE_OK && u.org_id)
		return u.org_id;
	contact_t c = {addr, 0};
	store_res_list(st, contact_cb, &c);
	if (c.org)
		return c.org;
	const char *dom = strrchr(addr, '@') + 1;
	obs_t o;
	char why[160];
	if (obs_parse(dom, strlen(dom), OBS_DOMAIN, &o, why, sizeof why))
		return 0;
	char err[200];
	cons_t *cs = cons_load(st, err, sizeof err);
	if (!cs)
		return 0;
	cons_owner_t own[4];
	int64_t org = cons_who(cs, &o, own, 4) ? own[0].org_id : 0;
	cons_free(cs);
	return org;
}

/* ---- text for the case ---- */

/* s as one line of at most max bytes (cut on a character), controls as
 * spaces; "(no subject)" when empty. */
static void title_of(const char *s, char *out, size_t size)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s), o = 0;
	if (n > size - 1) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++)
		out[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	if (!o)
		snprintf(out, size, "(no subject)");
}

/* Append s to b, controls other than line breaks and tabs as spaces. */
static void add_clean(util_buf_t *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		char ch = (unsigned char)*p < 0x20 && *p != '\n' && *p != '\t' ? ' ' : *p;
		util_buf_add(b, &ch, 1);
	}
}

/* Cut b to at most max bytes on a character boundary, saying so. */
static void cut(util_buf_t *b, size_t max)
{
	static const char note[] = "\n[... cut here: the whole message is its evidence message.eml]";
	if (b->len <= max || !b->data)
		return;
	size_t n = max - sizeof note;
	while (n > 0 && ((unsigned char)b->data[n] & 0xc0) == 0x80)
		n--;
	b->len = n;
	b->data[n] = '\0';
	util_buf_add(b, note, sizeof note - 1);
}

static void sha_key(const char *raw, size_t len, char out[80])
{
	unsigned char h[32];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, raw, len, h);
	int o = snprintf(out, 80, "sha256:");
	for (int i = 0; i < 32; i++)
		o += snprintf(out + o, 80 - (size_t)o, "%02x", h[i]);
}

/* ---- taking a message in ---- */

int intake_take(store_t *st, const char *raw, size_t len, const intake_opts_t *o,
		intake_result_t *r, char *err, size_t errlen)
{
	intake_opts_t none = {0};
	if (!o)
		o = &none;
	memset(r, 0, sizeof *r);
	size_t max = o->max_size ? o->max_size : INTAKE_MAX_DEFAULT;
	int64_t now = o->now ? o->now : (int64_t)time(NULL);
	mail_opts_t mo = {o->fallback_charset};
	mail_t *m = NULL;
	char why[200] = "";

	if (len > max) {
		/* the head only, to know whom to tell */
		size_t head = len < 65536 ? len : 65536;
		if (mail_parse(raw, head, &mo, &m, why, sizeof why) == 0) {
			snprintf(r->from, sizeof r->from, "%s", m->from_addr);
			r->no_answer = mail_is_auto(m);
			mail_free(m);
		}
		r->outcome = INTAKE_TOO_BIG;
		snprintf(r->why, sizeof r->why,
			 "Your message of %zu bytes is over this gateway's limit of %zu bytes: "
			 "nothing of it was kept. Send the files in smaller messages, or a link to them.",
			 len, max);
		return 0;
	}
	int prc = mail_parse(raw, len, &mo, &m, why, sizeof why);
	if (prc == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* the key of "taken once": the bytes, not the Message-ID (real
	 * senders reuse ids; an MTA retrying hands over the same bytes) */
	char key[300];
	sha_key(raw, len, key);
	snprintf(r->message_id, sizeof r->message_id, "%s", m ? m->message_id : "");

	int64_t hub_org;
	tlp_t deftlp;
	if (hub_read_settings(st, &hub_org, &deftlp)) {
		snprintf(err, errlen, "hub settings missing (c5hub init)");
		mail_free(m);
		return -1;
	}
	case_actor_t a = {0};
	a.actor = "intake";
	a.addr = "local";
	a.hub = 1;
	a.view = TLP_VIEW_ALL;
	a.now = now;

	util_buf_t body = {0};
	int64_t *ev = NULL;
	size_t nev = 0;
	int rc = -1;
	char holder[320], title[CASE_TITLE_MAX + 1];
	snprintf(holder, sizeof holder, "mail:%s", key);

	if (store_begin(st)) {
		snprintf(err, errlen, "store busy or failing: %s", store_errmsg(st));
		mail_free(m);
		return -1;
	}
	if (m) {
		snprintf(r->from, sizeof r->from, "%s", m->from_addr);
		r->org_id = match_sender(st, m->from_addr);
		r->matched = r->org_id != 0;
		r->no_answer = mail_is_auto(m);
	}
	if (!r->org_id)
		r->org_id = hub_org;

	/* the message whole, then each attachment: evidence from the first byte */
	ev = calloc(1 + (m ? m->natt : 0), sizeof *ev);
	if (!ev) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	store_evidence_t e;
	char eerr[300];
	if (evidence_add_data(st, holder, "message.eml", raw, (int64_t)len, r->org_id, TLP_AMBER,
			      "intake", r->from[0] ? r->from : "sender unknown", &e, eerr, sizeof eerr)) {
		snprintf(err, errlen, "%s", eerr);
		goto fail;
	}
	ev[nev++] = e.id;
	for (size_t i = 0; m && i < m->natt; i++) {
		if (evidence_add_data(st, holder, m->att[i].name, m->att[i].data, (int64_t)m->att[i].len,
				      r->org_id, TLP_AMBER, "intake", m->att[i].type, &e, eerr,
				      sizeof eerr)) {
			snprintf(err, errlen, "attachment %zu: %s", i + 1, eerr);
			goto fail;
		}
		ev[nev++] = e.id;
		r->attachments++;
	}

	util_buf_add(&body, "", 0);
	int crc;
	if (!m) {
		/* unreadable: kept whole, flagged, for a person to look at */
		snprintf(r->why, sizeof r->why, "%s", why);
		snprintf(title, sizeof title, "Unreadable e-mail kept whole: %.120s", why);
		util_buf_printf(&body, "This e-mail could not be read (%s). It is kept whole as "
				       "the evidence message.eml (%zu bytes).\n", why, len);
		r->no_answer = "the message could not be read";
		case_new_t n = {.reporter_org = r->org_id, .title = title, .body = body.data,
				.tlp = TLP_AMBER, .evidence = ev, .nevidence = nev, .source = "email"};
		store_case_t c;
		if ((crc = case_open(st, &a, &n, &c, err, errlen)))
			goto fail;
		snprintf(r->ref, sizeof r->ref, "%s", c.ref);
		r->case_id = c.id;
		r->outcome = INTAKE_KEPT;
	} else {
		/* every piece through add_clean: a case's text has no controls */
		if (m->from_addr[0]) {
			util_buf_add(&body, "E-mail from ", 12);
			add_clean(&body, m->from_name);
			util_buf_add(&body, m->from_name[0] ? " <" : "<", m->from_name[0] ? 2 : 1);
			add_clean(&body, m->from_addr);
			util_buf_add(&body, ">", 1);
			if (!r->matched)
				util_buf_add(&body, " (not a known contact)", 22);
			util_buf_add(&body, "\n", 1);
		}
		if (m->subject[0]) {
			util_buf_add(&body, "Subject: ", 9);
			add_clean(&body, m->subject);
			util_buf_add(&body, "\n", 1);
		}
		util_buf_add(&body, "\n", 1);
		add_clean(&body, m->body);
		if (m->natt) {
			util_buf_add(&body, "\n\nAttachments (evidence):\n", 25);
			for (size_t i = 0; i < m->natt; i++) {
				util_buf_add(&body, "- ", 2);
				add_clean(&body, m->att[i].name);
				util_buf_add(&body, " (", 2);
				add_clean(&body, m->att[i].type);
				util_buf_printf(&body, ", %zu bytes)\n", m->att[i].len);
			}
		}
		cut(&body, 60000);
		if (body.oom) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		char ref[CASE_REF_MAX + 1];
		int joined = 0, named = case_ref_scan(st, m->subject, ref, sizeof ref);
		/* a subject that lost the reference: the hub's own Message-IDs
		 * ("c5hub.REF.TAG@...") in In-Reply-To or References name it */
		const char *ids[] = {m->in_reply_to, m->references};
		for (int k = 0; k < 2 && !named; k++)
			for (const char *p = ids[k]; p && (p = strstr(p, "c5hub.")) && !named; p++)
				if ((p == ids[k] || p[-1] == ' ') && case_ref_scan(st, p + 6, ref, sizeof ref))
					named = 1;
		if (named) {
			int64_t entry;
			crc = case_reply(st, &a, ref, r->org_id, body.data, ev, nev, &entry, err, errlen);
			if (crc == 0) {
				store_case_t c;
				if (store_case_get(st, ref, 0, &c))
					goto store_fail;
				snprintf(r->ref, sizeof r->ref, "%s", c.ref);
				r->case_id = c.id;
				r->outcome = INTAKE_JOINED;
				joined = 1;
			} else if (crc != CASE_ENOTFOUND && crc != CASE_EINVAL) {
				goto fail; /* the store: try again later */
			}
			/* not the sender's case, or text the case refuses: a new
			 * case (which keeps the message whole if it must) */
		}
		if (!joined) {
			title_of(m->subject, title, sizeof title);
			case_new_t n = {.reporter_org = r->org_id, .title = title, .body = body.data,
					.tlp = -1, .evidence = ev, .nevidence = nev, .source = "email",
					.lenient = 1};
			store_case_t c;
			crc = case_open(st, &a, &n, &c, err, errlen);
			if (crc == CASE_EINVAL) {
				/* what the case refuses is kept whole, never dropped */
				util_buf_t b2 = {0};
				util_buf_printf(&b2, "The text of this e-mail could not be taken (%s). It "
						     "is kept whole as the evidence message.eml.\n", err);
				n.body = b2.data;
				n.title = "E-mail kept whole (its text was refused)";
				crc = case_open(st, &a, &n, &c, err, errlen);
				free(b2.data);
			}
			if (crc)
				goto fail;
			snprintf(r->ref, sizeof r->ref, "%s", c.ref);
			r->case_id = c.id;
			r->outcome = INTAKE_OPENED;
		}
		/* the thread replies go to */
		store_mail_thread_t t;
		int trc = store_mail_thread_get(st, r->case_id, &t);
		if (trc == STORE_ENOTFOUND) {
			memset(&t, 0, sizeof t);
			t.case_id = r->case_id;
			snprintf(t.lang, sizeof t.lang, "%s", !strncmp(m->language, "fr", 2) ? "fr" : "en");
			snprintf(t.root_id, sizeof t.root_id, "%s", m->message_id);
		} else if (trc) {
			goto store_fail;
		}
		if (m->from_addr[0] && strchr(m->from_addr, '@') && !r->no_answer)
			snprintf(t.addr, sizeof t.addr, "%s", m->from_addr);
		if (m->message_id[0])
			snprintf(t.last_id, sizeof t.last_id, "%s", m->message_id);
		if (store_mail_thread_put(st, &t))
			goto store_fail;
		if (r->outcome == INTAKE_JOINED && !r->no_answer)
			r->no_answer = "a reply on its case (no acknowledgement)";
	}
	int64_t seen_case = 0;
	int src = store_mail_seen_add(st, key, r->case_id, now, &seen_case);
	if (src == STORE_EEXISTS) {
		/* handed over again (the MTA retried after a crash): taken once */
		store_rollback(st);
		memset(r->ref, 0, sizeof r->ref);
		r->outcome = INTAKE_DUPLICATE;
		r->case_id = seen_case;
		r->attachments = 0;
		r->no_answer = "taken before";
		rc = 0;
		goto out;
	}
	if (src)
		goto store_fail;
	char detail[400];
	snprintf(detail, sizeof detail, "%s from %s, %zu bytes, %zu attachments",
		 r->outcome == INTAKE_JOINED ? "reply" : r->outcome == INTAKE_KEPT ? "unreadable" : "report",
		 r->from[0] ? r->from : "unknown", len, r->attachments);
	audit_entry_t ae = {.org_id = r->org_id, .actor = "intake", .addr = "local",
			    .action = "intake.take", .object = r->ref, .detail = detail};
	if (audit_record(st, &ae) || store_commit(st))
		goto store_fail;
	rc = 0;
	goto out;
store_fail:
	snprintf(err, errlen, "store: %s", store_errmsg(st));
fail:
	store_rollback(st);
	rc = -1;
out:
	free(ev);
	free(body.data);
	mail_free(m);
	return rc;
}
