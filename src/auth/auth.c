/* auth.c — token making, hashing and checking (see auth.h).  Tokens are 32
 * random bytes from GnuTLS's key-grade generator; only SHA-256 hashes are
 * kept, in a table swapped whole under a read-write lock on reload. */
#include "auth.h"
#include "core/util.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
	uint8_t hash[32];
	int64_t id, org_id;
	role_t role;
	char prefix[16];
} entry_t;

typedef struct {
	entry_t *e;
	size_t n, cap;
} table_t;

typedef struct { /* an issued client certificate */
	uint8_t fpr[32];
	int64_t org_id, revoked, not_after;
	role_t role;
} cert_t;

typedef struct {
	cert_t *e;
	size_t n, cap;
} certs_t;

typedef struct {
	int64_t org;
	auth_policy_t p;
} pol_t;

typedef struct {
	pol_t *e;
	size_t n, cap;
} pols_t;

struct auth {
	pthread_rwlock_t lock;
	/* one reload at a time: each installs what it read, so two reading at
	 * once could leave the older view installed last */
	pthread_mutex_t reload;
	table_t t;
	certs_t c;
	pols_t p; /* organisations whose policy is not "any" */
	int64_t hub_org;
	int64_t last_token; /* the store's newest token when last reloaded */
};

auth_t *auth_new(void)
{
	auth_t *a = calloc(1, sizeof *a);
	if (a) {
		pthread_rwlock_init(&a->lock, NULL);
		pthread_mutex_init(&a->reload, NULL);
	}
	return a;
}

void auth_free(auth_t *a)
{
	if (!a)
		return;
	pthread_rwlock_destroy(&a->lock);
	pthread_mutex_destroy(&a->reload);
	free(a->t.e);
	free(a->c.e);
	free(a->p.e);
	free(a);
}

static void b64url(const uint8_t *in, size_t n, char *out)
{
	static const char al[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = acc << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			out[o++] = al[(acc >> (bits - 6)) & 63];
			bits -= 6;
		}
	}
	if (bits)
		out[o++] = al[(acc << (6 - bits)) & 63];
	out[o] = '\0';
}

static int sha256(const char *s, size_t n, uint8_t out[32])
{
	return gnutls_hash_fast(GNUTLS_DIG_SHA256, s, n, out) == 0 ? 0 : -1;
}

int auth_token_make(char *clear, store_token_t *tok)
{
	uint8_t rnd[32];
	if (gnutls_rnd(GNUTLS_RND_KEY, rnd, sizeof rnd))
		return -1;
	memcpy(clear, "c5h_", 4);
	b64url(rnd, sizeof rnd, clear + 4);
	explicit_bzero(rnd, sizeof rnd); /* a memset the compiler may drop */
	memcpy(tok->prefix, clear, 12);
	tok->prefix[12] = '\0';
	return sha256(clear, strlen(clear), tok->hash);
}

static int collect(void *arg, const store_token_t *t)
{
	table_t *tb = arg;
	if (util_grow(&tb->e, &tb->cap, tb->n + 1, sizeof *tb->e, 64))
		return -1;
	entry_t *e = &tb->e[tb->n++];
	memcpy(e->hash, t->hash, 32);
	e->id = t->id;
	e->org_id = t->org_id;
	e->role = t->role;
	snprintf(e->prefix, sizeof e->prefix, "%s", t->prefix);
	return 0;
}

static int collect_cert(void *arg, const store_cert_t *sc)
{
	certs_t *c = arg;
	if (strlen(sc->fingerprint) != 64)
		return 0;
	if (util_grow(&c->e, &c->cap, c->n + 1, sizeof *c->e, 16))
		return -1;
	cert_t *e = &c->e[c->n];
	for (int i = 0; i < 32; i++) {
		unsigned v;
		if (sscanf(sc->fingerprint + 2 * i, "%2x", &v) != 1)
			return 0;
		e->fpr[i] = (uint8_t)v;
	}
	e->org_id = sc->org_id;
	e->revoked = sc->revoked;
	e->not_after = sc->not_after;
	if (role_parse(sc->role, &e->role))
		e->role = ROLE_READER;
	c->n++;
	return 0;
}

const char *auth_policy_name(auth_policy_t p)
{
	static const char *const n[] = {"any", "token", "certificate", "both"};
	return (unsigned)p < 4 ? n[p] : "any";
}

static int collect_pol(void *arg, const org_t *o)
{
	pols_t *p = arg;
	auth_policy_t v = AUTH_ANY;
	for (int i = 1; i < 4; i++)
		if (!strcmp(o->auth_policy, auth_policy_name((auth_policy_t)i)))
			v = (auth_policy_t)i;
	if (v == AUTH_ANY)
		return 0;
	if (util_grow(&p->e, &p->cap, p->n + 1, sizeof *p->e, 8))
		return -1;
	p->e[p->n++] = (pol_t){o->id, v};
	return 0;
}

static int reload_locked(auth_t *a, store_t *st, int64_t hub_org)
{
	table_t t = {0};
	certs_t c = {0};
	pols_t p = {0};
	int64_t last;
	if (store_token_last(st, &last) || store_token_list(st, 0, collect, &t) || store_cert_list(st, collect_cert, &c) ||
	    store_org_list(st, collect_pol, &p)) {
		free(t.e);
		free(c.e);
		free(p.e);
		return -1;
	}
	pthread_rwlock_wrlock(&a->lock);
	table_t old = a->t;
	certs_t oldc = a->c;
	pols_t oldp = a->p;
	a->t = t;
	a->c = c;
	a->p = p;
	a->hub_org = hub_org;
	a->last_token = last;
	pthread_rwlock_unlock(&a->lock);
	free(old.e);
	free(oldc.e);
	free(oldp.e);
	return 0;
}

int auth_reload(auth_t *a, store_t *st, int64_t hub_org)
{
	pthread_mutex_lock(&a->reload);
	int rc = reload_locked(a, st, hub_org);
	pthread_mutex_unlock(&a->reload);
	return rc;
}

int auth_reload_if_new(auth_t *a, store_t *st, int64_t hub_org)
{
	int64_t last;
	int rc = 0;
	pthread_mutex_lock(&a->reload);
	if (!store_token_last(st, &last)) {
		pthread_rwlock_rdlock(&a->lock);
		int seen = last <= a->last_token;
		pthread_rwlock_unlock(&a->lock);
		rc = !seen && reload_locked(a, st, hub_org) == 0;
	}
	pthread_mutex_unlock(&a->reload);
	return rc;
}

void auth_cert_stats(auth_t *a, int64_t now, auth_cert_stats_t *st)
{
	memset(st, 0, sizeof *st);
	pthread_rwlock_rdlock(&a->lock);
	for (size_t i = 0; i < a->c.n; i++) {
		const cert_t *e = &a->c.e[i];
		if (e->revoked)
			st->revoked++;
		else if (e->not_after <= now)
			st->expired++;
		else if (e->not_after <= now + 30 * 86400)
			st->expiring++;
		else
			st->valid++;
	}
	pthread_rwlock_unlock(&a->lock);
}

auth_policy_t auth_org_policy(auth_t *a, int64_t org)
{
	auth_policy_t v = AUTH_ANY;
	pthread_rwlock_rdlock(&a->lock);
	for (size_t i = 0; i < a->p.n; i++)
		if (a->p.e[i].org == org)
			v = a->p.e[i].p;
	pthread_rwlock_unlock(&a->lock);
	return v;
}

int auth_check_cert(auth_t *a, const unsigned char fpr[32], principal_t *p, const char **why)
{
	int rc = -1;
	*why = "client certificate not enrolled at this hub";
	pthread_rwlock_rdlock(&a->lock);
	for (size_t i = 0; i < a->c.n; i++) {
		const cert_t *e = &a->c.e[i];
		if (memcmp(e->fpr, fpr, 32))
			continue;
		if (e->revoked) {
			*why = "client certificate revoked";
			break;
		}
		*p = (principal_t){.org_id = e->org_id, .role = e->role,
				   .hub_member = e->org_id == a->hub_org};
		memcpy(p->fpr, fpr, 32);
		snprintf(p->cred, sizeof p->cred, "cert sha256:%02x%02x%02x%02x%02x%02x%02x%02x",
			 fpr[0], fpr[1], fpr[2], fpr[3], fpr[4], fpr[5], fpr[6], fpr[7]);
		rc = 0;
		break;
	}
	pthread_rwlock_unlock(&a->lock);
	return rc;
}

int auth_live(auth_t *a, const principal_t *p)
{
	int live = 0;
	pthread_rwlock_rdlock(&a->lock);
	if (p->token_id) {
		for (size_t i = 0; i < a->t.n && !live; i++) /* the table holds active tokens only */
			live = a->t.e[i].id == p->token_id;
	} else {
		for (size_t i = 0; i < a->c.n && !live; i++)
			live = !memcmp(a->c.e[i].fpr, p->fpr, 32) && !a->c.e[i].revoked;
	}
	pthread_rwlock_unlock(&a->lock);
	return live;
}

int auth_check(auth_t *a, const char *header, principal_t *p)
{
	uint8_t h[32];
	int rc = -1;
	if (!header || strncasecmp(header, "Bearer ", 7) != 0)
		return -1;
	header += 7;
	while (*header == ' ')
		header++;
	size_t n = strlen(header);
	if (n != AUTH_TOKEN_LEN || strncmp(header, "c5h_", 4) != 0 || sha256(header, n, h))
		return -1;
	pthread_rwlock_rdlock(&a->lock);
	for (size_t i = 0; i < a->t.n; i++)
		if (memcmp(a->t.e[i].hash, h, 32) == 0) {
			p->token_id = a->t.e[i].id;
			p->org_id = a->t.e[i].org_id;
			p->role = a->t.e[i].role;
			p->hub_member = p->org_id == a->hub_org;
			snprintf(p->cred, sizeof p->cred, "token %s", a->t.e[i].prefix);
			rc = 0;
			break;
		}
	pthread_rwlock_unlock(&a->lock);
	return rc;
}
