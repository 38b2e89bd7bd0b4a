/* notify_send.c — building a delivery's message and sending it with
 * libcurl: e-mail over SMTP (a summary from the template and the events as
 * a CSV attachment) or a JSON webhook signed with HMAC-SHA256.  TLP is on
 * every message: in the subject, the body and the webhook's JSON. */
#include "core/libs_curl.h"
#include <gnutls/crypto.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hub/hub.h"
#include "store/store_sla.h"
#include "notify_int.h"
#include "csaf/csaf.h"

/* ---- a growable string ---- */

typedef struct {
	char *s;
	size_t n, cap;
	int oom;
} buf_t;

static void put(buf_t *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void puts_(buf_t *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A CSV field, quoted when it must be. */
static void csv_field(buf_t *b, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		put(b, "\"", 1);
		for (; *s; s++) {
			if (*s == '"')
				put(b, "\"", 1);
			put(b, s, 1);
		}
		put(b, "\"", 1);
	} else {
		puts_(b, s);
	}
	puts_(b, last ? "\r\n" : ",");
}

/* Replace {key} in tpl by vals[i] where keys[i] == key. */
static void fill(buf_t *b, const char *tpl, const char *const *keys, const char *const *vals, int n)
{
	for (const char *p = tpl; *p;) {
		const char *o = strchr(p, '{'), *e = o ? strchr(o, '}') : NULL;
		if (!o || !e) {
			puts_(b, p);
			return;
		}
		put(b, p, (size_t)(o - p));
		int k = 0;
		while (k < n && (strlen(keys[k]) != (size_t)(e - o - 1) || strncmp(keys[k], o + 1, (size_t)(e - o - 1))))
			k++;
		if (k < n)
			puts_(b, vals[k]);
		else
			put(b, o, (size_t)(e - o + 1));
		p = e + 1;
	}
}

static void upper(char *dst, size_t size, const char *s)
{
	size_t i = 0;
	for (; s[i] && i + 1 < size; i++)
		dst[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	dst[i] = '\0';
}

/* ---- the content of a delivery ---- */

typedef struct {
	buf_t csv;
	json_t *events;
	char classes[1024];
	long n;
} content_t;

static int add_event(void *arg, const store_event_t *e)
{
	content_t *c = arg;
	char obs[24], src[24], line[32];
	model_time_fmt(e->observed, obs);
	model_time_fmt(e->source_time, src);
	snprintf(line, sizeof line, "%lld", (long long)e->id);
	csv_field(&c->csv, line, 0);
	csv_field(&c->csv, obs, 0);
	csv_field(&c->csv, src, 0);
	csv_field(&c->csv, e->feed, 0);
	csv_field(&c->csv, obs_type_name(e->type), 0);
	csv_field(&c->csv, e->value, 0);
	csv_field(&c->csv, e->classification, 0);
	csv_field(&c->csv, tlp_name(e->tlp), 0);
	csv_field(&c->csv, e->raw, 1);
	json_array_append_new(c->events,
		json_pack("{sI,ss,ss,ss,ss,ss,ss,ss,ss}", "id", (json_int_t)e->id, "observed", obs,
			  "source_time", src, "feed", e->feed, "type", obs_type_name(e->type),
			  "value", e->value, "classification", e->classification, "tlp",
			  tlp_name(e->tlp), "raw", e->raw));
	if (!strstr(c->classes, e->classification) &&
	    strlen(c->classes) + strlen(e->classification) + 8 < sizeof c->classes) {
		strcat(c->classes, "  - ");
		strcat(c->classes, e->classification);
		strcat(c->classes, "\n");
	}
	c->n++;
	return 0;
}

static void hub_name(store_t *st, char *out, size_t size)
{
	int64_t org;
	tlp_t t;
	org_t o;
	snprintf(out, size, "c5hub");
	if (hub_read_settings(st, &org, &t) == 0 && store_org_get(st, org, &o) == 0)
		snprintf(out, size, "%s (c5hub)", o.name);
}

/* ---- the wire ---- */

static size_t sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

static int curl_error(CURL *h, CURLcode rc, char *why, size_t whylen)
{
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK)
		snprintf(why, whylen, "%s", curl_easy_strerror(rc));
	else
		snprintf(why, whylen, "HTTP %ld", code);
	return -1;
}

static int send_mail(const notify_conf_t *c, const store_delivery_t *d, const char *subject,
		     const char *text, const buf_t *csv, char *why, size_t whylen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = NULL, *hdr = NULL;
	curl_mime *mime = NULL;
	char line[700], date[64];
	int rc = -1;

	if (!c->smtp[0]) {
		snprintf(why, whylen, "no SMTP server configured (--smtp)");
		goto out;
	}
	if (!h) {
		snprintf(why, whylen, "curl: out of memory");
		goto out;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	rcpt = curl_slist_append(rcpt, d->target);
	if (c->from_name[0])
		snprintf(line, sizeof line, "From: \"%s\" <%s>", c->from_name, c->from);
	else
		snprintf(line, sizeof line, "From: %s", c->from);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof line, "To: %s", d->target);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof line, "Subject: %s", subject);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof line, "Date: %s", date);
	hdr = curl_slist_append(hdr, line);
	/* the same id on every attempt: a copy after a crash is recognisable */
	snprintf(line, sizeof line, "Message-ID: <c5hub-delivery-%lld@%s>", (long long)d->id,
		 strchr(c->from, '@') + 1);
	hdr = curl_slist_append(hdr, line);
	mime = curl_mime_init(h);
	curl_mimepart *part = curl_mime_addpart(mime);
	curl_mime_data(part, text, CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/plain; charset=utf-8");
	curl_mime_encoder(part, "quoted-printable");
	if (csv) {
		part = curl_mime_addpart(mime);
		curl_mime_data(part, csv->s, csv->n);
		curl_mime_type(part, "text/csv; charset=utf-8");
		curl_mime_filename(part, "events.csv");
		curl_mime_encoder(part, "base64");
	}
	curl_easy_setopt(h, CURLOPT_URL, c->smtp);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_MIMEPOST, mime);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	CURLcode cr = curl_easy_perform(h);
	rc = cr == CURLE_OK ? 0 : curl_error(h, cr, why, whylen);
out:
	curl_mime_free(mime);
	curl_slist_free_all(rcpt);
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	return rc;
}

int notify_sign(const char *key, const char *body, size_t len, char out[80])
{
	uint8_t mac[32];
	static const char hex[] = "0123456789abcdef";
	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, strlen(key), body, len, mac))
		return -1;
	memcpy(out, "sha256=", 7);
	for (int i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[mac[i] >> 4];
		out[8 + 2 * i] = hex[mac[i] & 15];
	}
	out[71] = '\0';
	return 0;
}

static int send_webhook(const store_delivery_t *d, const char *secret, const char *body,
			char *why, size_t whylen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char line[128], sig[80];
	long code = 0;
	int rc = -1;
	if (!h) {
		snprintf(why, whylen, "curl: out of memory");
		return -1;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	snprintf(line, sizeof line, "X-C5hub-Delivery: %lld", (long long)d->id);
	hdr = curl_slist_append(hdr, line);
	snprintf(line, sizeof line, "X-C5hub-Kind: %s", d->kind);
	hdr = curl_slist_append(hdr, line);
	if (secret[0] && notify_sign(secret, body, strlen(body), sig) == 0) {
		snprintf(line, sizeof line, "X-C5hub-Signature: %s", sig);
		hdr = curl_slist_append(hdr, line);
	}
	curl_easy_setopt(h, CURLOPT_URL, d->target);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode cr = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	rc = cr == CURLE_OK && code >= 200 && code < 300 ? 0 : curl_error(h, cr, why, whylen);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}

int notify_target(const store_prefs_t *p, const char *contact, int urgent247, store_delivery_t *d)
{
	const char *hook = urgent247 ? p->webhook_247 : p->webhook;
	const char *mail = urgent247 && p->contact_247[0] ? p->contact_247 : contact;
	int want_hook = urgent247 ? hook[0] != '\0' : !strcmp(p->channel, "webhook");
	if (want_hook && hook[0]) {
		snprintf(d->channel, sizeof d->channel, "webhook");
		snprintf(d->target, sizeof d->target, "%s", hook);
		return 0;
	}
	snprintf(d->channel, sizeof d->channel, "email");
	snprintf(d->target, sizeof d->target, "%s", mail);
	if (!mail[0]) {
		snprintf(d->last_error, sizeof d->last_error, "no %s for this organisation",
			 urgent247 ? "24/7 contact" : "abuse contact or webhook");
		return -1;
	}
	return 0;
}

/* ---- one delivery ---- */

static int deliver_report(store_t *st, const notify_conf_t *c, const store_delivery_t *d,
			  const store_prefs_t *p, char *why, size_t whylen)
{
	content_t ct = {.events = json_array()};
	store_event_filter_t f = {.delivery_id = d->id};
	char hub[200], TLP[16], count[24], subject[400];
	buf_t text = {0};
	int rc = -1;

	puts_(&ct.csv, "id,observed,source_time,feed,type,value,classification,tlp,raw\r\n");
	if (!ct.events || store_event_list(st, &f, add_event, &ct)) {
		snprintf(why, whylen, "store: %s", store_errmsg(st));
		goto out;
	}
	if (ct.n == 0) {
		snprintf(why, whylen, "no events: an empty report is not sent");
		rc = NOTIFY_EMPTY;
		goto out;
	}
	hub_name(st, hub, sizeof hub);
	upper(TLP, sizeof TLP, tlp_name(d->tlp));
	snprintf(count, sizeof count, "%ld", ct.n);
	if (!strcmp(d->channel, "webhook")) {
		json_t *j = json_pack("{sI,ss,ss,ss,sO}", "delivery", (json_int_t)d->id, "kind",
				      "report", "organisation", d->org_name, "tlp", tlp_name(d->tlp),
				      "events", ct.events);
		char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
		rc = body ? send_webhook(d, p->secret, body, why, whylen) : -1;
		free(body);
		json_decref(j);
		goto out;
	}
	const char *keys[] = {"org", "count", "TLP", "hub", "classes"};
	const char *vals[] = {d->org_name, count, TLP, hub, ct.classes};
	fill(&text, c->report_tpl, keys, vals, 5);
	snprintf(subject, sizeof subject, "[TLP:%s] c5hub report: %ld event(s) for %s", TLP, ct.n,
		 d->org_name);
	rc = text.oom || ct.csv.oom ? -1 : send_mail(c, d, subject, text.s, &ct.csv, why, whylen);
out:
	json_decref(ct.events);
	free(ct.csv.s);
	free(text.s);
	return rc;
}

static int deliver_warning(store_t *st, const notify_conf_t *c, const store_delivery_t *d,
			   const store_prefs_t *p, char *why, size_t whylen)
{
	store_warning_t *w = malloc(sizeof *w);
	char hub[200], TLP[16], id[24], subject[400];
	buf_t text = {0}, obs = {0};
	json_t *list = NULL;
	int rc = -1;

	if (!w || store_warning_get(st, d->warning_id, w)) {
		snprintf(why, whylen, "warning %lld: %s", (long long)d->warning_id,
			 w ? store_errmsg(st) : "out of memory");
		goto out;
	}
	hub_name(st, hub, sizeof hub);
	upper(TLP, sizeof TLP, tlp_name(w->tlp));
	snprintf(id, sizeof id, "%lld", (long long)w->id);
	list = json_loads(w->observables, 0, NULL);
	if (!json_is_array(list)) {
		json_decref(list);
		list = json_array(); /* owned here, as a parsed list is */
	}
	if (!strcmp(d->channel, "webhook")) {
		char ts[24];
		json_t *j = json_pack("{sI,ss,sI,ss,ss,ss,ss,ss,ss,ss,sO}", "delivery",
				      (json_int_t)d->id, "kind", "warning", "warning", (json_int_t)w->id,
				      "title", w->title, "classification", w->classification,
				      "severity", w->severity, "tlp", tlp_name(w->tlp), "author",
				      w->author, "audience", w->audience, "created",
				      model_time_fmt(w->created, ts), "observables", list);
		char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
		rc = body ? send_webhook(d, p->secret, body, why, whylen) : -1;
		free(body);
		json_decref(j);
		goto out;
	}
	size_t i;
	json_t *o;
	json_array_foreach(list, i, o) {
		puts_(&obs, "  - ");
		puts_(&obs, json_string_value(json_object_get(o, "type")) ?: "?");
		puts_(&obs, ": ");
		puts_(&obs, json_string_value(json_object_get(o, "value")) ?: "?");
		puts_(&obs, "\n");
	}
	const char *keys[] = {"id", "severity", "title", "classification", "author", "audience",
			      "observables", "TLP", "hub"};
	const char *vals[] = {id, w->severity, w->title, w->classification, w->author,
			      w->audience, obs.s ? obs.s : "  (none)\n", TLP, hub};
	fill(&text, c->warning_tpl, keys, vals, 9);
	snprintf(subject, sizeof subject, "[TLP:%s] EARLY WARNING #%s (%s): %s", TLP, id, w->severity,
		 w->title);
	rc = text.oom ? -1 : send_mail(c, d, subject, text.s, NULL, why, whylen);
out:
	json_decref(list);
	free(text.s);
	free(obs.s);
	free(w);
	return rc;
}

/* An advisory published (kind "advisory", warning_id its row): the
 * subscriber gets its title, summary, CVEs and where it is served. */
static int deliver_advisory(store_t *st, const notify_conf_t *c, const store_delivery_t *d, char *why,
			    size_t whylen)
{
	store_adv_t a;
	char base[512], TLP[16], subject[700], rel[200];
	buf_t text = {0};
	if (store_adv_get_id(st, d->warning_id, &a)) {
		snprintf(why, whylen, "%s", store_errmsg(st));
		return -1;
	}
	if (store_setting_get(st, "public_url", base, sizeof base) || !base[0])
		snprintf(base, sizeof base, "https://localhost");
	size_t bl = strlen(base);
	while (bl && base[bl - 1] == '/')
		base[--bl] = '\0';
	upper(TLP, sizeof TLP, tlp_name(a.tlp));
	snprintf(subject, sizeof subject, "[TLP:%s] Advisory %s (revision %d): %s", TLP, a.tracking_id, a.version,
		 a.title);
	json_t *adv = json_loads(a.data, 0, NULL), *v;
	size_t i;
	puts_(&text, a.title);
	puts_(&text, "\n\n");
	puts_(&text, json_string_value(json_object_get(adv, "summary")) ?: "");
	puts_(&text, "\n\n");
	json_array_foreach(json_object_get(adv, "vulnerabilities"), i, v) {
		puts_(&text, "- ");
		puts_(&text, json_string_value(json_object_get(v, "cve")) ?: "");
		puts_(&text, " ");
		puts_(&text, json_string_value(json_object_get(v, "title")) ?: "");
		puts_(&text, "\n");
	}
	csaf_rel_path(&a, rel, sizeof rel);
	puts_(&text, "\nThe advisory: ");
	puts_(&text, base);
	puts_(&text, "/advisories/");
	puts_(&text, a.tracking_id);
	puts_(&text, "\nIts CSAF 2.0 document: ");
	puts_(&text, base);
	puts_(&text, "/.well-known/csaf/");
	puts_(&text, csaf_tlp_dir(a.tlp));
	puts_(&text, "/");
	puts_(&text, rel);
	puts_(&text, " (signature: .p7s)\n");
	json_decref(adv);
	store_adv_clear(&a);
	int rc = text.oom ? -1 : send_mail(c, d, subject, text.s, NULL, why, whylen);
	free(text.s);
	return rc;
}

/* An SLA warning or breach of a case (src/sla/): the message made when it
 * was raised, to the assignee, the team lead or the hub's webhook. */
static int deliver_sla(store_t *st, const notify_conf_t *c, const store_delivery_t *d,
		       const store_prefs_t *p, char *why, size_t whylen)
{
	store_sla_alert_t a;
	if (store_sla_alert_get(st, d->warning_id, &a)) {
		snprintf(why, whylen, "sla alert %lld: %s", (long long)d->warning_id, store_errmsg(st));
		return -1;
	}
	if (!strcmp(d->channel, "webhook")) {
		char due[MODEL_TIME_LEN];
		json_t *j = json_pack("{sI,ss,ss,ss,ss,ss,ss}", "delivery", (json_int_t)d->id, "kind",
				      "sla", "case", a.ref, "target", a.target, "level", a.level,
				      "due", model_time_fmt(a.due, due), "text", a.text);
		char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
		int rc = body ? send_webhook(d, p->secret, body, why, whylen) : -1;
		free(body);
		json_decref(j);
		return rc;
	}
	return send_mail(c, d, a.subject, a.text, NULL, why, whylen);
}

int notify_deliver(store_t *st, const notify_conf_t *c, const store_delivery_t *d, char *why,
		   size_t whylen)
{
	store_prefs_t p;
	if (store_prefs_get(st, d->org_id, &p)) {
		snprintf(why, whylen, "store: %s", store_errmsg(st));
		return -1;
	}
	if (!strcmp(d->kind, "advisory"))
		return deliver_advisory(st, c, d, why, whylen);
	if (!strcmp(d->kind, "sla"))
		return deliver_sla(st, c, d, &p, why, whylen);
	return !strcmp(d->kind, "warning") ? deliver_warning(st, c, d, &p, why, whylen)
					   : deliver_report(st, c, d, &p, why, whylen);
}
