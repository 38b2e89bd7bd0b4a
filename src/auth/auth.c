/* auth.c — token making, hashing and checking (see auth.h).  Tokens are 32
 * random bytes from GnuTLS's key-grade generator; only SHA-256 hashes are
 * kept, in a table swapped whole under a read-write lock on reload. */
#include "auth.h"
#include "core/util.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
	uint8_t hash[32];
	int64_t id, org_id;
	role_t role;
} entry_t;

typedef struct {
	entry_t *e;
	size_t n, cap;
} table_t;

struct auth {
	pthread_rwlock_t lock;
	table_t t;
	int64_t hub_org;
};

auth_t *auth_new(void)
{
	auth_t *a = calloc(1, sizeof *a);
	if (a)
		pthread_rwlock_init(&a->lock, NULL);
	return a;
}

void auth_free(auth_t *a)
{
	if (!a)
		return;
	pthread_rwlock_destroy(&a->lock);
	free(a->t.e);
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
	memset(rnd, 0, sizeof rnd);
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
	return 0;
}

int auth_reload(auth_t *a, store_t *st, int64_t hub_org)
{
	table_t t = {0};
	if (store_token_list(st, 0, collect, &t)) {
		free(t.e);
		return -1;
	}
	pthread_rwlock_wrlock(&a->lock);
	table_t old = a->t;
	a->t = t;
	a->hub_org = hub_org;
	pthread_rwlock_unlock(&a->lock);
	free(old.e);
	return 0;
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
			rc = 0;
			break;
		}
	pthread_rwlock_unlock(&a->lock);
	return rc;
}
