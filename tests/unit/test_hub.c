/* test_hub.c — the server context on a real SQLite file: a pooled
 * connection comes back with no transaction of any kind open, and a trust
 * change whose index rebuild failed is rebuilt at the next sync. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hub/hub.h"
#include "store/store.h"

typedef struct {
	char dir[64], db[96];
	hub_t *h;
	store_t *w; /* another writer: the CLI */
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	char err[256];
	snprintf(f->dir, sizeof f->dir, "/tmp/c5hubt.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/hub.db", f->dir);
	assert_int_equal(store_open(f->db, STORE_CREATE, &f->w, err, sizeof err), STORE_OK);
	org_t o = {0};
	snprintf(o.name, sizeof o.name, "Hub");
	snprintf(o.type, sizeof o.type, "national-cirt");
	snprintf(o.country, sizeof o.country, "GH");
	char id[24];
	assert_int_equal(store_begin(f->w), STORE_OK);
	assert_int_equal(store_org_add(f->w, &o), STORE_OK);
	snprintf(id, sizeof id, "%lld", (long long)o.id);
	assert_int_equal(store_setting_set(f->w, "hub_org", id), STORE_OK);
	indicator_t ind = {.type = OBS_IPV4, .tlp = TLP_GREEN, .confidence = 80, .org_id = o.id,
			   .first_seen = 1000, .last_seen = 1000};
	snprintf(ind.value, sizeof ind.value, "192.0.2.1");
	snprintf(ind.source, sizeof ind.source, "s");
	assert_int_equal(store_put_indicator(f->w, &ind), STORE_OK);
	assert_int_equal(store_commit(f->w), STORE_OK);
	assert_int_equal(hub_open(&f->h, f->db, NULL, err, sizeof err), 0);
	assert_int_equal(hub_sync(f->h), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	char cmd[128];
	store_fault_set(NULL, NULL);
	hub_close(f->h);
	store_close(f->w);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void pool_ends_reads(void **state)
{
	fx_t *f = *state;
	int64_t n0 = 0, n1 = 0;
	store_t *st = hub_store_get(f->h);
	assert_non_null(st);
	assert_int_equal(store_read_begin(st), STORE_OK);
	assert_int_equal(store_count_indicators(st, &n0), STORE_OK);
	hub_store_put(f->h, st); /* a handler that forgot store_read_end */

	indicator_t ind = {.type = OBS_IPV4, .tlp = TLP_GREEN, .confidence = 80,
			   .org_id = f->h->hub_org, .first_seen = 1000, .last_seen = 1000};
	snprintf(ind.value, sizeof ind.value, "192.0.2.2");
	snprintf(ind.source, sizeof ind.source, "s");
	assert_int_equal(store_begin(f->w), STORE_OK);
	assert_int_equal(store_put_indicator(f->w, &ind), STORE_OK);
	assert_int_equal(store_commit(f->w), STORE_OK);

	store_t *again = hub_store_get(f->h);
	assert_ptr_equal(again, st);
	assert_int_equal(store_count_indicators(again, &n1), STORE_OK);
	assert_int_equal(n1, n0 + 1); /* not the old snapshot */
	assert_int_equal(store_read_begin(again), STORE_OK);
	store_read_end(again);
	assert_int_equal(store_begin(again), STORE_OK);
	store_rollback(again);
	hub_store_put(f->h, again);
}

static int fail_changes(store_t *st, const char *op, void *arg)
{
	(void)st, (void)arg;
	return !strcmp(op, "changes");
}

static void trust_after_failed_rebuild(void **state)
{
	fx_t *f = *state;
	int64_t tv, before = f->h->rebuilds;
	assert_int_equal(store_begin(f->w), STORE_OK);
	assert_int_equal(store_trust_set(f->w, "source", "s", 10), STORE_OK);
	assert_int_equal(store_commit(f->w), STORE_OK);
	assert_int_equal(store_trust_version(f->w, &tv), STORE_OK);

	store_fault_set(fail_changes, NULL);
	assert_int_equal(hub_sync(f->h), -1); /* the rebuild fails */
	store_fault_set(NULL, NULL);
	assert_int_equal(f->h->rebuilds, before);
	assert_true(f->h->trust_seen != tv);

	assert_int_equal(hub_sync(f->h), 0); /* and is done now */
	assert_int_equal(f->h->rebuilds, before + 1);
	assert_int_equal(f->h->trust_seen, tv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pool_ends_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(trust_after_failed_rebuild, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
