/* test_notify.c — grouping notices into deliveries when two planners run at
 * once (the server and `notify run`), on two connections to one real SQLite
 * file, interleaved deterministically through the store's fault hook; and
 * an empty report never sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "notify/notify.h"
#include "store/store.h"

typedef struct {
	char dir[64], db[96];
	store_t *a, *b;   /* two connections: two planners */
	int64_t org;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	char err[256];
	snprintf(f->dir, sizeof f->dir, "/tmp/c5notify.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/hub.db", f->dir);
	assert_int_equal(store_open(f->db, STORE_CREATE, &f->a, err, sizeof err), STORE_OK);
	assert_int_equal(store_open(f->db, 0, &f->b, err, sizeof err), STORE_OK);

	org_t o = {0};
	snprintf(o.name, sizeof o.name, "Bank One");
	snprintf(o.type, sizeof o.type, "private-sector");
	snprintf(o.country, sizeof o.country, "GH");
	store_feed_t fd = {.tlp = TLP_GREEN, .confidence = 50, .enabled = 1, .every = 3600};
	snprintf(fd.name, sizeof fd.name, "f");
	snprintf(fd.path, sizeof fd.path, "/dev/null");
	snprintf(fd.format, sizeof fd.format, "list");
	snprintf(fd.policy, sizeof fd.policy, "reject");
	assert_int_equal(store_begin(f->a), STORE_OK);
	assert_int_equal(store_org_add(f->a, &o), STORE_OK);
	assert_int_equal(store_feed_add(f->a, &fd), STORE_OK);
	for (int i = 0; i < 3; i++) {
		char v[32];
		snprintf(v, sizeof v, "192.0.2.%d", i + 1);
		store_event_t e = {.feed_id = fd.id, .type = OBS_IPV4, .tlp = TLP_GREEN,
				   .value = v, .classification = "malicious-code/c2-server",
				   .raw = v, .observed = 1000, .source_time = 1000, .line = i + 1};
		assert_int_equal(store_event_add(f->a, &e), STORE_OK);
		assert_int_equal(store_notice_add(f->a, e.id, o.id, 1000), STORE_OK);
	}
	assert_int_equal(store_commit(f->a), STORE_OK);
	f->org = o.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	char cmd[128];
	store_fault_set(NULL, NULL);
	store_close(f->a);
	store_close(f->b);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

typedef struct {
	fx_t *f;
	int fired;
	notify_stats_t b;
} race_t;

/* When planner A is about to open its first transaction (it has listed the
 * organisations with due notices), planner B plans them all first. */
static int b_first(store_t *st, const char *op, void *arg)
{
	race_t *r = arg;
	char err[256];
	if (st == r->f->a && !strcmp(op, "begin") && !r->fired) {
		r->fired = 1;
		assert_int_equal(notify_plan(r->f->b, 2000, 0, &r->b, err, sizeof err), 0);
	}
	return 0;
}

static int keep(void *arg, const store_delivery_t *d)
{
	store_delivery_t *v = arg;
	int i = 0;
	while (v[i].id)
		i++;
	if (i < 7)
		v[i] = *d;
	return 0;
}

static void two_planners(void **state)
{
	fx_t *f = *state;
	race_t r = {.f = f};
	notify_stats_t a = {0};
	char err[256];
	store_delivery_t got[8] = {0};

	store_fault_set(b_first, &r);
	assert_int_equal(notify_plan(f->a, 2000, 0, &a, err, sizeof err), 0);
	store_fault_set(NULL, NULL);
	assert_int_equal(r.fired, 1);
	assert_int_equal(r.b.planned, 1);
	assert_int_equal(a.planned, 0); /* nothing left: no empty delivery */

	store_delivery_filter_t df = {.limit = 100};
	assert_int_equal(store_delivery_list(f->a, &df, keep, got), STORE_OK);
	assert_true(got[0].id != 0);
	assert_int_equal(got[0].events, 3);
	assert_int_equal(got[1].id, 0);
}

/* A report delivery with no events (made by an older planner) is marked
 * failed and never handed to the wire. */
static void empty_not_sent(void **state)
{
	fx_t *f = *state;
	notify_conf_t c;
	notify_stats_t s = {0};
	char err[256];
	store_delivery_t d = {.org_id = f->org}, got[8] = {0};
	snprintf(d.kind, sizeof d.kind, "report");
	snprintf(d.channel, sizeof d.channel, "email");
	snprintf(d.target, sizeof d.target, "cert@bank1.example");
	assert_int_equal(notify_conf_load(&c, NULL, err, sizeof err), 0);
	/* a port nothing listens on: a send would fail as "to retry" */
	snprintf(c.smtp, sizeof c.smtp, "smtp://127.0.0.1:9");
	assert_int_equal(store_begin(f->a), STORE_OK);
	assert_int_equal(store_delivery_add(f->a, &d), STORE_OK);
	assert_int_equal(store_commit(f->a), STORE_OK);

	assert_int_equal(notify_send_due(f->a, &c, d.created + 1, &s, err, sizeof err), 0);
	assert_int_equal(s.sent, 0);
	assert_int_equal(s.retried, 0);
	assert_int_equal(s.failed, 1);
	store_delivery_filter_t df = {.limit = 100};
	assert_int_equal(store_delivery_list(f->a, &df, keep, got), STORE_OK);
	assert_int_equal(got[0].id, d.id);
	assert_string_equal(got[0].state, "failed");
	assert_non_null(strstr(got[0].last_error, "empty report"));
	notify_conf_free(&c);
}

/* C5HUB_FAULT's counterpart for tests: a hook that fails one step, and
 * the plan that met it leaves nothing half-done. */
static int fail_assign(store_t *st, const char *op, void *arg)
{
	(void)st, (void)arg;
	return !strcmp(op, "notice_assign");
}

static void fault_leaves_nothing(void **state)
{
	fx_t *f = *state;
	notify_stats_t s = {0};
	char err[256];
	store_delivery_t got[8] = {0};
	store_fault_set(fail_assign, NULL);
	assert_int_equal(notify_plan(f->a, 2000, 0, &s, err, sizeof err), -1);
	store_fault_set(NULL, NULL);
	assert_non_null(strstr(err, "injected fault at notice_assign"));
	store_delivery_filter_t df = {.limit = 100};
	assert_int_equal(store_delivery_list(f->a, &df, keep, got), STORE_OK);
	assert_int_equal(got[0].id, 0);
	assert_int_equal(notify_plan(f->a, 2000, 0, &s, err, sizeof err), 0);
	assert_int_equal(s.planned, 1);
}

/* A warning whose observables are not a JSON array, sent to a 24/7
 * webhook nothing answers: tried once, kept to retry, and (under ASan) no
 * leak of the empty list the message carries in their place. */
static void warning_without_observables(void **state)
{
	fx_t *f = *state;
	notify_conf_t c;
	notify_stats_t s = {0};
	char err[256];
	int64_t *ids = NULL;
	size_t n = 0;
	store_prefs_t p = {0};
	store_delivery_t got[8] = {0};
	store_warning_t *w = calloc(1, sizeof *w);
	assert_non_null(w);
	assert_int_equal(notify_conf_load(&c, NULL, err, sizeof err), 0);
	snprintf(p.channel, sizeof p.channel, "email");
	snprintf(p.frequency, sizeof p.frequency, "daily");
	snprintf(p.webhook_247, sizeof p.webhook_247, "http://127.0.0.1:9/247");
	snprintf(w->title, sizeof w->title, "Mass exploitation");
	snprintf(w->classification, sizeof w->classification, "intrusions/system-compromise");
	snprintf(w->severity, sizeof w->severity, "high");
	snprintf(w->audience, sizeof w->audience, "all");
	snprintf(w->author, sizeof w->author, "test");
	w->tlp = TLP_AMBER;
	assert_int_equal(store_begin(f->a), STORE_OK);
	assert_int_equal(store_prefs_set(f->a, f->org, &p), STORE_OK);
	assert_int_equal(notify_warning(f->a, &c, w, &ids, &n, err, sizeof err), 0);
	assert_int_equal(store_commit(f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(notify_send_ids(f->a, &c, ids, n, &s, err, sizeof err), 0);
	assert_int_equal(s.retried, 1);
	store_delivery_filter_t df = {.limit = 100};
	assert_int_equal(store_delivery_list(f->a, &df, keep, got), STORE_OK);
	assert_string_equal(got[0].kind, "warning");
	assert_string_equal(got[0].state, "pending");
	assert_int_equal(got[0].attempts, 1);
	free(ids);
	free(w);
	notify_conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_planners, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_not_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(fault_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(warning_without_observables, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
