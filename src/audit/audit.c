/* audit.c — the hash chain of the audit log (see audit.h). */
#include "audit.h"

#include <gnutls/crypto.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* SHA-256 over prev and the entry's fields, each length-prefixed. */
static int chain_hash(const store_audit_t *a, const uint8_t prev[32], uint8_t out[32])
{
	gnutls_hash_hd_t h;
	char num[64];
	const char *fields[] = {a->actor, a->addr, a->action, a->object, a->detail};
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) < 0)
		return -1;
	gnutls_hash(h, prev, 32);
	int n = snprintf(num, sizeof num, "%lld|%lld|%lld|", (long long)a->seq, (long long)a->ts,
			 (long long)a->org_id);
	gnutls_hash(h, num, (size_t)n);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		size_t l = strlen(fields[i]);
		n = snprintf(num, sizeof num, "%zu:", l);
		gnutls_hash(h, num, (size_t)n);
		gnutls_hash(h, fields[i], l);
	}
	gnutls_hash_deinit(h, out);
	return 0;
}

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int audit_record(store_t *st, const audit_entry_t *e)
{
	store_audit_t *a = calloc(1, sizeof *a);
	int64_t last;
	int rc = -1;
	if (!a || store_audit_last(st, &last, a->prev))
		goto out;
	a->seq = last + 1;
	a->ts = (int64_t)time(NULL);
	a->org_id = e->org_id;
	copy(a->actor, sizeof a->actor, e->actor);
	copy(a->addr, sizeof a->addr, e->addr);
	copy(a->action, sizeof a->action, e->action);
	copy(a->object, sizeof a->object, e->object);
	copy(a->detail, sizeof a->detail, e->detail);
	if (chain_hash(a, a->prev, a->hash) || store_audit_append(st, a))
		goto out;
	rc = 0;
out:
	free(a);
	return rc;
}

const char *audit_cli_actor(char *buf, size_t n)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];
	getpwuid_r(getuid(), &pw, tmp, sizeof tmp, &res);
	if (res)
		snprintf(buf, n, "cli %s", res->pw_name);
	else
		snprintf(buf, n, "cli uid %u", (unsigned)getuid());
	return buf;
}

typedef struct {
	audit_report_t *r;
	int64_t seq;
	uint8_t prev[32];
} walk_t;

static int walk(void *arg, const store_audit_t *a)
{
	walk_t *w = arg;
	uint8_t h[32];
	if (a->seq != w->seq + 1) {
		w->r->bad_seq = w->seq + 1;
		snprintf(w->r->why, sizeof w->r->why, "entry %lld is missing (removed); the next is %lld",
			 (long long)(w->seq + 1), (long long)a->seq);
		return 1;
	}
	if (memcmp(a->prev, w->prev, 32)) {
		w->r->bad_seq = a->seq;
		snprintf(w->r->why, sizeof w->r->why,
			 "entry %lld does not follow entry %lld (reordered, or entries replaced)",
			 (long long)a->seq, (long long)w->seq);
		return 1;
	}
	if (chain_hash(a, w->prev, h) || memcmp(h, a->hash, 32)) {
		w->r->bad_seq = a->seq;
		snprintf(w->r->why, sizeof w->r->why, "entry %lld was altered (its hash does not match)",
			 (long long)a->seq);
		return 1;
	}
	memcpy(w->prev, a->hash, 32);
	w->seq = a->seq;
	w->r->checked++;
	return 0;
}

int audit_verify(store_t *st, audit_report_t *r)
{
	walk_t w = {.r = r};
	char head[128], mine[128];
	static const char hx[] = "0123456789abcdef";
	memset(r, 0, sizeof *r);
	if (store_audit_list(st, 0, walk, &w, head, sizeof head))
		return -1;
	if (r->bad_seq)
		return 0;
	int n = snprintf(mine, sizeof mine, "%lld:", (long long)w.seq);
	for (int i = 0; i < 32; i++) {
		mine[n++] = hx[w.prev[i] >> 4];
		mine[n++] = hx[w.prev[i] & 15];
	}
	mine[n] = '\0';
	if (w.seq == 0 && !strcmp(head, "0"))
		return 0;
	if (strcmp(head, mine)) {
		r->bad_seq = w.seq + 1;
		snprintf(r->why, sizeof r->why,
			 "the log ends at entry %lld but its head records %.20s...: newest entries removed",
			 (long long)w.seq, head);
	}
	return 0;
}
