/* test_case.c — incident cases on a real SQLite file: the lifecycle file's
 * parser (the built-in default, good files, each kind of error named with
 * its line), the reference counter (per year, unique, the prefix setting,
 * scanning a subject), versions (a stale one refused with what changed),
 * the lifecycle enforced (resolution, transitions), visibility (another
 * organisation's case and internal notes), the waits and instants sla
 * reads, the intake path (case_reply, the outbox), blank titles, the
 * title index and the timeline's pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "case/case.h"

typedef struct {
	char dir[64], path[128];
	store_t *st;
	int64_t hub, acme, beta;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	char err[256], id[32];
	snprintf(f->dir, sizeof f->dir, "/tmp/c5case.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, err, sizeof err), 0);
	org_t h = {.name = "hub", .type = "government", .country = "GH"};
	org_t a = {.name = "acme", .type = "private-sector", .country = "GH"};
	org_t b = {.name = "beta", .type = "academia", .country = "GH"};
	assert_int_equal(store_org_add(f->st, &h), 0);
	assert_int_equal(store_org_add(f->st, &a), 0);
	assert_int_equal(store_org_add(f->st, &b), 0);
	snprintf(id, sizeof id, "%lld", (long long)h.id);
	assert_int_equal(store_setting_set(f->st, "hub_org", id), 0);
	assert_int_equal(store_setting_set(f->st, "default_tlp", "amber"), 0);
	f->hub = h.id;
	f->acme = a.id;
	f->beta = b.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	char cmd[160];
	store_close(f->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static case_lifecycle_t *parse(const char *text, char *err)
{
	return case_lifecycle_parse(text, strlen(text), "t.conf", err, 256);
}

static void test_lifecycle_default(void **state)
{
	(void)state;
	const case_lifecycle_t *lc = case_lifecycle_default();
	const char *const *names;
	assert_int_equal(case_lifecycle_states(lc, &names), 9);
	assert_string_equal(case_lifecycle_initial(lc), "new");
	const char *want[] = {"new", "triage", "containment", "eradication", "recovery", "closed",
			      "rejected", "duplicate", "merged"};
	for (int i = 0; i < 9; i++)
		assert_string_equal(names[i], want[i]);
	assert_true(case_lifecycle_allowed(lc, "new", "triage"));
	assert_false(case_lifecycle_allowed(lc, "new", "closed"));
	assert_true(case_lifecycle_allowed(lc, "triage", "containment"));
	assert_true(case_lifecycle_final(lc, "closed"));
	assert_true(case_lifecycle_resolution(lc, "closed"));
	assert_false(case_lifecycle_resolution(lc, "merged"));
	assert_false(case_lifecycle_final(lc, "recovery"));
	char buf[128];
	assert_string_equal(case_lifecycle_next(lc, "new", buf, sizeof buf),
			    "triage, rejected, duplicate, merged");
	assert_string_equal(case_lifecycle_next(lc, "merged", buf, sizeof buf), "none");
}

static void test_lifecycle_errors(void **state)
{
	(void)state;
	char err[256];
	case_lifecycle_t *lc = parse("# two states\nstate open initial\n\nstate done final resolution\n"
				     "open -> done\r\ndone -> open # reopen\n", err);
	assert_non_null(lc);
	assert_true(case_lifecycle_allowed(lc, "done", "open"));
	case_lifecycle_free(lc);
	struct {
		const char *text, *want;
	} bad[] = {
		{"state a initial\nstate a final\n", "t.conf:2: state 'a' declared twice"},
		{"state a initial\nstate b final\na -> c\n", "t.conf:3: unknown state 'c'"},
		{"state a initial\nstate b final\nx -> b\n", "t.conf:3: unknown state 'x'"},
		{"state a initial\nstate b final\na => b\n", "t.conf:3: expected 'state NAME' or 'FROM -> TO...'"},
		{"state a initial\nstate b final\na ->\n", "t.conf:3: 'a ->' names no state"},
		{"state a initial\nstate b initial\n", "t.conf:2: a second initial state ('a' is one)"},
		{"state a initial blue\n", "t.conf:1: unknown flag 'blue' (initial, final, resolution)"},
		{"state A\n", "t.conf:1: state: give a name"},
		{"state a\nstate b final\na -> b\n", "t.conf: no initial state (state NAME initial)"},
		{"state a initial\nstate b\na -> b\n", "t.conf: no final state (state NAME final)"},
		{"state a initial\nstate b final\nstate c\na -> b\n", "t.conf: state 'c' cannot be reached from 'a'"},
		{"state a initial\nstate b final\na -> b\nstate c\n", "t.conf:4: states come before the transitions"},
		{"state a initial\nstate b final\na -> a b\n", "t.conf:3: 'a' -> itself"},
		{"", "t.conf: no states"},
		{"state a initial final\n", "t.conf: the initial state 'a' cannot be final"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		lc = parse(bad[i].text, err);
		if (lc || strncmp(err, bad[i].want, strlen(bad[i].want)))
			fail_msg("case %zu: got '%s', want '%s'", i, lc ? "(parsed)" : err, bad[i].want);
	}
	/* a NUL inside the text, and a long line */
	char nul[] = "state a initial\0\nstate b final\n";
	assert_null(case_lifecycle_parse(nul, sizeof nul - 1, "t.conf", err, sizeof err));
	assert_string_equal(err, "t.conf:1: a NUL byte");
	char longl[700];
	memset(longl, 'a', sizeof longl - 1);
	longl[sizeof longl - 1] = '\0';
	assert_null(parse(longl, err));
	assert_string_equal(err, "t.conf:1: line longer than 511 bytes");
}

static void test_refs(void **state)
{
	fx_t *f = *state;
	char buf[64], err[256], ref[64];
	assert_string_equal(case_ref_format("CIRT", 2026, 42, buf, sizeof buf), "CIRT-2026-00042");
	assert_string_equal(case_ref_format("GH-CERT", 2026, 123456, buf, sizeof buf), "GH-CERT-2026-123456");
	assert_true(case_prefix_ok("CIRT"));
	assert_true(case_prefix_ok("GH-CERT2"));
	assert_false(case_prefix_ok("cirt"));
	assert_false(case_prefix_ok("2CIRT"));
	assert_false(case_prefix_ok(""));
	assert_false(case_prefix_ok("ABCDEFGHIJKLMNOPQ"));

	case_actor_t a = case_actor_cli(buf, sizeof buf);
	case_new_t n = {.reporter_org = f->acme, .title = "phishing", .tlp = -1, .source = "cli"};
	store_case_t c1, c2, c3;
	a.now = 1767225599; /* 2025-12-31T23:59:59Z */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_open(f->st, &a, &n, &c1, err, sizeof err), 0);
	a.now = 1767225600; /* 2026-01-01: the counter starts again */
	assert_int_equal(case_open(f->st, &a, &n, &c2, err, sizeof err), 0);
	assert_int_equal(store_setting_set(f->st, "case_prefix", "GH-CERT"), 0);
	assert_int_equal(case_open(f->st, &a, &n, &c3, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_string_equal(c1.ref, "CIRT-2025-00001");
	assert_string_equal(c2.ref, "CIRT-2026-00001");
	assert_string_equal(c3.ref, "GH-CERT-2026-00002");
	assert_string_equal(c1.status, "new");
	assert_string_equal(c1.severity, "medium");
	assert_string_equal(c1.classification, "other/undetermined");
	assert_int_equal(c1.version, 1);
	/* a reference is unique: a clash is refused by the store */
	store_case_t dup = c3;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_case_add(f->st, &dup), STORE_EEXISTS);
	store_rollback(f->st);

	assert_int_equal(case_ref_scan(f->st, "Re: [GH-CERT-2026-00002] phishing", ref, sizeof ref), 1);
	assert_string_equal(ref, "GH-CERT-2026-00002");
	assert_int_equal(case_ref_scan(f->st, "Re: [gh-cert-2026-00017]", ref, sizeof ref), 1);
	assert_string_equal(ref, "GH-CERT-2026-00017");
	assert_int_equal(case_ref_scan(f->st, "XGH-CERT-2026-00002 and GH-CERT-26-00001", ref, sizeof ref), 0);
	assert_int_equal(case_ref_scan(f->st, "GH-CERT-2026-0001", ref, sizeof ref), 0);
	assert_int_equal(case_ref_scan(f->st, "CIRT-2026-00001", ref, sizeof ref), 0);
}

static int count_cb(void *arg, const store_case_entry_t *e)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static int count_case(void *arg, const store_case_t *c)
{
	(void)c;
	(*(int *)arg)++;
	return 0;
}

static int outbox_cb(void *arg, const store_case_t *c, const store_case_entry_t *e)
{
	(void)c;
	snprintf(arg, 256, "%s", e->text);
	return 0;
}

static int wait_cb(void *arg, const store_case_wait_t *w)
{
	*(store_case_wait_t *)arg = *w;
	return 0;
}

static void test_changes(void **state)
{
	fx_t *f = *state;
	char buf[64], err[512];
	case_actor_t hub = case_actor_cli(buf, sizeof buf);
	hub.org_id = f->hub;
	case_actor_t acme = {.org_id = f->acme, .actor = "token acme", .addr = "local",
			     .view = {.max_tlp = TLP_GREEN, .org = f->acme}};
	case_actor_t beta = {.org_id = f->beta, .actor = "token beta", .addr = "local",
			     .view = {.max_tlp = TLP_GREEN, .org = f->beta}};
	const char *obs[] = {"hxxp://evil[.]example/login", "198.51.100.7"};
	case_new_t n = {.reporter_org = f->acme, .title = "phishing site", .body = "we saw this",
			.classification = "fraud/phishing", .severity = "high", .tlp = TLP_AMBER,
			.observables = obs, .nobservables = 2, .source = "api"};
	store_case_t c, g;
	hub.now = 1800000000;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_open(f->st, &acme, &n, &c, err, sizeof err), 0);
	/* bad input names the field */
	n.severity = "urgent";
	assert_int_equal(case_open(f->st, &acme, &n, &g, err, sizeof err), CASE_EINVAL);
	assert_string_equal(err, "severity: 'urgent' is not low, medium, high or critical");
	n.severity = "high";
	n.classification = "fraud/nonsense";
	assert_int_equal(case_open(f->st, &acme, &n, &g, err, sizeof err), CASE_EINVAL);
	assert_non_null(strstr(err, "classification: 'fraud/nonsense'"));
	n.classification = NULL;
	const char *badobs[] = {"not a value at all"};
	n.observables = badobs;
	n.nobservables = 1;
	assert_int_equal(case_open(f->st, &acme, &n, &g, err, sizeof err), CASE_EINVAL);
	assert_memory_equal(err, "observables[0]: ", 16);
	n.reporter_org = f->beta; /* a constituent reports for itself only */
	n.observables = NULL;
	n.nobservables = 0;
	assert_int_equal(case_open(f->st, &acme, &n, &g, err, sizeof err), CASE_EFORBIDDEN);
	assert_int_equal(store_commit(f->st), 0);

	/* visibility: acme sees its own, beta does not, not even by ref */
	assert_int_equal(case_get(f->st, &acme, c.ref, &g), 0);
	assert_int_equal(case_get(f->st, &beta, c.ref, &g), CASE_ENOTFOUND);
	int nb = 0, na = 0;
	store_case_filter_t fl = {.limit = 100};
	assert_int_equal(case_list(f->st, &beta, &fl, count_case, &nb), 0);
	assert_int_equal(case_list(f->st, &acme, &fl, count_case, &na), 0);
	assert_int_equal(nb, 0);
	assert_int_equal(na, 1);

	/* the lifecycle: new -> closed refused, naming the way; closed needs a resolution */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_status(f->st, &hub, c.ref, 0, "closed", "done", &g, err, sizeof err), CASE_EINVAL);
	assert_string_equal(err, "status: new -> closed is not allowed (from new: triage, rejected, "
			    "duplicate, merged)");
	assert_int_equal(case_status(f->st, &hub, c.ref, 1, "triage", NULL, &g, err, sizeof err), 0);
	assert_int_equal(g.version, 2);
	assert_int_equal(g.acknowledged_at, 1800000000);
	/* acme may not change the state */
	assert_int_equal(case_status(f->st, &acme, c.ref, 0, "containment", NULL, &g, err, sizeof err),
			 CASE_EFORBIDDEN);
	hub.now += 60;
	assert_int_equal(case_comment(f->st, &hub, c.ref, 2, CASE_VIS_INTERNAL, "looks like kit X", NULL,
				      err, sizeof err), 0);
	hub.now += 60;
	assert_int_equal(case_comment(f->st, &hub, c.ref, 3, CASE_VIS_REPORTER, "we are on it", NULL,
				      err, sizeof err), 0);
	/* a stale version: refused with what changed */
	assert_int_equal(case_status(f->st, &hub, c.ref, 2, "containment", NULL, &g, err, sizeof err),
			 CASE_ESTALE);
	assert_non_null(strstr(err, "version 2 is now 4"));
	assert_non_null(strstr(err, "comment"));
	assert_null(strstr(err, "kit X")); /* an internal note's words are not repeated */
	assert_int_equal(case_status(f->st, &hub, c.ref, 4, "closed", "", &g, err, sizeof err), CASE_EINVAL);
	assert_string_equal(err, "resolution: 'closed' needs a resolution");
	assert_int_equal(case_wait(f->st, &hub, c.ref, 1, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(case_get(f->st, &hub, c.ref, &g), 0);
	assert_int_equal(g.first_response_at, 1800000120);
	assert_int_equal(g.waiting_since, 1800000120);

	/* the outbox: the hub's words to the reporter, not yet e-mailed */
	char text[256] = "";
	assert_int_equal(case_outbox(f->st, outbox_cb, text), 0);
	assert_string_equal(text, "we are on it");

	/* intake: the reporter's reply ends the wait; another org's cannot */
	acme.now = 1800000300;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_reply(f->st, &acme, c.ref, f->beta, "hi", NULL, 0, NULL, err, sizeof err),
			 CASE_ENOTFOUND);
	assert_int_equal(case_reply(f->st, &acme, c.ref, f->acme, "more detail", NULL, 0, NULL, err,
				    sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(case_get(f->st, &hub, c.ref, &g), 0);
	assert_int_equal(g.waiting_since, 0);
	store_case_wait_t w = {0};
	assert_int_equal(case_waits(f->st, c.id, wait_cb, &w), 0);
	assert_int_equal(w.from, 1800000120);
	assert_int_equal(w.to, 1800000300);

	/* the reporter never sees internal notes */
	int all = 0, rep = 0;
	assert_int_equal(case_timeline(f->st, &hub, &g, count_cb, &all), 0);
	assert_int_equal(case_timeline(f->st, &acme, &g, count_cb, &rep), 0);
	assert_true(rep < all);
	assert_int_equal(rep, 4); /* report, status, to-reporter comment, reply */

	/* open cases for sla */
	int open = 0;
	assert_int_equal(case_list_open(f->st, count_case, &open), 0);
	assert_int_equal(open, 1);
}

static int link_cb(void *arg, const store_case_link_t *l)
{
	char *out = arg;
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "%s%s:%s", n ? " " : "", l->kind, l->target);
	return 0;
}

static int aff_cb(void *arg, const store_case_affected_t *a)
{
	char *out = arg;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s%s/%d", n ? " " : "", a->org_name, a->manual);
	return 0;
}

/* An event escalated into a case carries its observable, classification
 * and TLP; a constituent may not escalate; the duplicate merged carries its
 * links and affected constituents; affected edited by hand. */
static void test_escalate_merge(void **state)
{
	fx_t *f = *state;
	char buf[64], err[512], links[512] = "", aff[256] = "";
	case_actor_t hub = case_actor_cli(buf, sizeof buf);
	case_actor_t acme = {.org_id = f->acme, .actor = "token acme", .addr = "local",
			     .view = {.max_tlp = TLP_GREEN, .org = f->acme}};
	store_feed_t fd = {.name = "urlhaus", .url = "http://feed.example/x", .format = "plain",
			   .policy = "skip", .tlp = TLP_GREEN, .confidence = 80, .enabled = 1, .every = 3600};
	store_event_t ev = {.type = OBS_DOMAIN, .tlp = TLP_GREEN, .value = "c2.evil.example",
			    .classification = "malicious-code/c2-server", .raw = "c2.evil.example",
			    .observed = 1800000000, .line = 1};
	store_case_t c, d, g;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_feed_add(f->st, &fd), 0);
	ev.feed_id = fd.id;
	assert_int_equal(store_event_add(f->st, &ev), 0);
	assert_int_equal(case_escalate(f->st, &acme, "event", ev.id, NULL, &c, err, sizeof err), CASE_EFORBIDDEN);
	assert_int_equal(case_escalate(f->st, &hub, "event", ev.id + 100, NULL, &c, err, sizeof err), CASE_EINVAL);
	assert_string_equal(err, "id: no event 101");
	assert_int_equal(case_escalate(f->st, &hub, "feed", ev.id, NULL, &c, err, sizeof err), CASE_EINVAL);
	assert_int_equal(case_escalate(f->st, &hub, "event", ev.id, NULL, &c, err, sizeof err), 0);
	assert_string_equal(c.classification, "malicious-code/c2-server");
	assert_int_equal(c.tlp, TLP_GREEN);
	assert_int_equal(c.reporter_org, f->hub);
	assert_string_equal(c.source, "escalation");
	assert_int_equal(store_case_link_list(f->st, c.id, link_cb, links), 0);
	assert_string_equal(links, "observable:c2.evil.example event:1");

	/* a duplicate with another observable, merged into c */
	const char *obs[] = {"c2.evil.example", "203.0.113.5"};
	case_new_t n = {.reporter_org = f->acme, .title = "C2 seen", .observables = obs, .nobservables = 2,
			.tlp = -1};
	assert_int_equal(case_open(f->st, &acme, &n, &d, err, sizeof err), 0);
	assert_int_equal(case_affected(f->st, &hub, d.ref, f->beta, 1, err, sizeof err), 0);
	assert_int_equal(case_affected(f->st, &hub, d.ref, f->acme, 0, err, sizeof err), CASE_EINVAL);
	assert_string_equal(err, "org: acme is not affected by CIRT-2026-00002");
	assert_int_equal(case_merge(f->st, &hub, d.ref, d.ref, err, sizeof err), CASE_EINVAL);
	assert_int_equal(case_merge(f->st, &acme, d.ref, c.ref, err, sizeof err), CASE_EFORBIDDEN);
	assert_int_equal(case_merge(f->st, &hub, d.ref, c.ref, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(case_get(f->st, &hub, d.ref, &g), 0);
	assert_string_equal(g.status, "merged");
	assert_int_equal(g.merged_into, c.id);
	assert_true(g.resolved_at > 0);
	links[0] = '\0';
	assert_int_equal(store_case_link_list(f->st, c.id, link_cb, links), 0);
	assert_string_equal(links, "observable:c2.evil.example event:1 observable:203.0.113.5");
	assert_int_equal(store_case_affected_list(f->st, c.id, aff_cb, aff), 0);
	assert_string_equal(aff, "beta/1");
	/* the target takes the stricter TLP (GREEN and AMBER: AMBER) */
	assert_int_equal(case_get(f->st, &hub, c.ref, &g), 0);
	assert_int_equal(g.tlp, TLP_AMBER);
	/* merged is final: nothing moves it but what the lifecycle allows */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_status(f->st, &hub, d.ref, 0, "triage", NULL, &g, err, sizeof err), CASE_EINVAL);
	store_rollback(f->st);
}

/* Two reporters' duplicates merged: each reporter sees only its own links,
 * the hub all; only a merge enters "merged"; an escalation's id is checked
 * before any arithmetic; a lifecycle dropping a state in use is refused. */
static void test_merge_origin(void **state)
{
	fx_t *f = *state;
	char buf[64], err[512], links[512] = "";
	case_actor_t hub = case_actor_cli(buf, sizeof buf);
	case_actor_t acme = {.org_id = f->acme, .actor = "token acme", .addr = "local",
			     .view = {.max_tlp = TLP_GREEN, .org = f->acme}};
	case_actor_t beta = {.org_id = f->beta, .actor = "token beta", .addr = "local",
			     .view = {.max_tlp = TLP_GREEN, .org = f->beta}};
	case_actor_t peer = {.org_id = f->beta, .actor = "token peer", .addr = "local",
			     .view = {.max_tlp = TLP_AMBER, .org = f->beta, .peer = 1}};
	const char *ao[] = {"203.0.113.66"}, *bo[] = {"198.51.100.9"};
	case_new_t na = {.reporter_org = f->acme, .title = "acme's", .observables = ao, .nobservables = 1,
			 .tlp = TLP_RED};
	case_new_t nb = {.reporter_org = f->beta, .title = "beta's", .observables = bo, .nobservables = 1,
			 .tlp = -1};
	store_case_t a, b, g;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_open(f->st, &acme, &na, &a, err, sizeof err), 0);
	assert_int_equal(case_open(f->st, &beta, &nb, &b, err, sizeof err), 0);
	/* a peer never opens what it could not read */
	nb.tlp = TLP_RED;
	assert_int_equal(case_open(f->st, &peer, &nb, &g, err, sizeof err), CASE_EINVAL);
	assert_memory_equal(err, "tlp: ", 5);
	assert_int_equal(case_status(f->st, &hub, a.ref, 0, "merged", NULL, &g, err, sizeof err), CASE_EINVAL);
	assert_memory_equal(err, "status: only a merge", 20);
	assert_int_equal(case_merge(f->st, &hub, a.ref, b.ref, err, sizeof err), 0);
	assert_int_equal(case_escalate(f->st, &hub, "event", INT64_MIN, NULL, &g, err, sizeof err), CASE_EINVAL);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(case_get(f->st, &hub, b.ref, &g), 0);
	assert_int_equal(g.tlp, TLP_RED);
	assert_int_equal(case_links(f->st, &hub, &g, link_cb, links), 0);
	assert_string_equal(links, "observable:198.51.100.9 observable:203.0.113.66");
	links[0] = '\0';
	assert_int_equal(case_links(f->st, &beta, &g, link_cb, links), 0);
	assert_string_equal(links, "observable:198.51.100.9");
	/* the hub links it on b itself: now b's own, its reporter sees it */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_link(f->st, &hub, b.ref, "observable", "203.0.113.66", NULL, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);
	links[0] = '\0';
	assert_int_equal(case_links(f->st, &beta, &g, link_cb, links), 0);
	assert_string_equal(links, "observable:198.51.100.9 observable:203.0.113.66");

	/* b is in "new", a in "merged": a lifecycle without "merged" is refused */
	static const char lc[] = "state new initial\nstate done final\nnew -> done\n";
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_lifecycle_use(f->st, lc, "lc.conf", err, sizeof err), CASE_EINVAL);
	assert_non_null(strstr(err, "does not declare: merged"));
	store_rollback(f->st);
}

static int opened_cb(void *arg, const store_case_t *c)
{
	snprintf(arg, 64, "%s", c->ref);
	return 0;
}

/* A constituent's IODEF report opens a case per new incident, once. */
static void test_import_iodef(void **state)
{
	fx_t *f = *state;
	char err[512], ref[64] = "", links[512] = "";
	case_actor_t acme = {.org_id = f->acme, .actor = "token acme", .addr = "local",
			     .view = {.max_tlp = TLP_GREEN, .org = f->acme}};
	FILE *fp = fopen(TESTDATA "/iodef/rfc5070-botnet-example.xml", "rb");
	assert_non_null(fp);
	static char doc[1 << 16];
	size_t n = fread(doc, 1, sizeof doc - 1, fp);
	fclose(fp);
	doc[n] = '\0';
	store_case_t c;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_import_iodef(f->st, &acme, f->beta, TLP_AMBER, doc, n, "r.xml", opened_cb, ref,
					   err, sizeof err), CASE_EFORBIDDEN);
	assert_int_equal(case_import_iodef(f->st, &acme, f->acme, TLP_AMBER, "<x/>", 4, "bad.xml", opened_cb,
					   ref, err, sizeof err), CASE_EINVAL);
	assert_memory_equal(err, "bad.xml:1: not an IODEF-Document", 32);
	assert_int_equal(case_import_iodef(f->st, &acme, f->acme, TLP_AMBER, doc, n, "r.xml", opened_cb, ref,
					   err, sizeof err), 0);
	assert_string_equal(ref, "CIRT-2026-00001");
	ref[0] = '\0';
	assert_int_equal(case_import_iodef(f->st, &acme, f->acme, TLP_AMBER, doc, n, "r.xml", opened_cb, ref,
					   err, sizeof err), 0);
	assert_string_equal(ref, ""); /* taken once */
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(case_get(f->st, &acme, "CIRT-2026-00001", &c), 0);
	assert_string_equal(c.title, "Large bot-net");
	assert_string_equal(c.source, "iodef");
	assert_string_equal(c.severity, "high");
	assert_int_equal(c.tlp, TLP_RED); /* restriction="private" */
	assert_int_equal(store_case_link_list(f->st, c.id, link_cb, links), 0);
	assert_non_null(strstr(links, "observable:192.0.2.3 observable:192.0.2.20 observable:irc.example.com stix:incident--"));
}

static int text_of(void *arg, const store_case_entry_t *e)
{
	char *out = arg;
	strncat(out, e->text, 40);
	strcat(out, "|");
	return 0;
}

static int keep_case(void *arg, const store_case_t *c)
{
	*(store_case_t *)arg = *c;
	return 0;
}

/* a title of only spaces refused; the title search by its trigram index
 * (also after an edit); the timeline in keyset pages; the waits carried
 * by a list's row */
static void test_title_pages(void **state)
{
	fx_t *f = *state;
	char buf[64], err[512], got[2048];
	case_actor_t hub = case_actor_cli(buf, sizeof buf);
	hub.org_id = f->hub;
	hub.now = 1800000000;
	case_new_t n = {.reporter_org = f->acme, .title = " \xc2\xa0\xe2\x80\x83 ", .source = "cli"};
	store_case_t c, g;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(case_open(f->st, &hub, &n, &c, err, sizeof err), CASE_EINVAL);
	assert_string_equal(err, "title: give some text, not only spaces");
	n.title = "Ransomware at the Port Authority";
	assert_int_equal(case_open(f->st, &hub, &n, &c, err, sizeof err), 0);
	n.title = "Phishing of bank customers";
	assert_int_equal(case_open(f->st, &hub, &n, &g, err, sizeof err), 0);
	case_edit_t e = {.title = "   ", .tlp = -1, .assignee = -1};
	assert_int_equal(case_edit(f->st, &hub, g.ref, 0, &e, &g, err, sizeof err), CASE_EINVAL);
	for (int i = 0; i < 7; i++) {
		char t[16];
		snprintf(t, sizeof t, "note %d", i);
		assert_int_equal(case_comment(f->st, &hub, c.ref, 0, CASE_VIS_INTERNAL, t, NULL, err,
					      sizeof err), 0);
	}
	assert_int_equal(case_wait(f->st, &hub, c.ref, 1, err, sizeof err), 0);
	assert_int_equal(store_commit(f->st), 0);

	int k = 0;
	store_case_filter_t fl = {.limit = 100, .q = "PORT auth"};
	assert_int_equal(case_list(f->st, &hub, &fl, count_case, &k), 0);
	assert_int_equal(k, 1);
	fl.q = "rt"; /* under three characters: no index, the same answer */
	k = 0;
	assert_int_equal(case_list(f->st, &hub, &fl, count_case, &k), 0);
	assert_int_equal(k, 1);
	e.title = "Smishing of bank customers";
	assert_int_equal(case_edit(f->st, &hub, g.ref, 0, &e, &g, err, sizeof err), 0);
	fl.q = "phishing";
	k = 0;
	assert_int_equal(case_list(f->st, &hub, &fl, count_case, &k), 0);
	assert_int_equal(k, 0);
	fl.q = "smishing";
	assert_int_equal(case_list(f->st, &hub, &fl, count_case, &k), 0);
	assert_int_equal(k, 1);

	/* pages of three, newest first, each in time order */
	int64_t older = 0;
	got[0] = '\0';
	assert_int_equal(case_timeline_page(f->st, &hub, &c, 0, 3, &older, text_of, got), 0);
	assert_non_null(strstr(got, "note 5|note 6|"));
	assert_true(older > 0);
	got[0] = '\0';
	assert_int_equal(case_timeline_page(f->st, &hub, &c, older, 3, &older, text_of, got), 0);
	assert_string_equal(got, "note 2|note 3|note 4|");
	assert_true(older > 0);
	got[0] = '\0';
	assert_int_equal(case_timeline_page(f->st, &hub, &c, older, 100, &older, text_of, got), 0);
	assert_int_equal(older, 0);
	assert_non_null(strstr(got, "note 0|note 1|"));

	/* the list's row carries the case's open wait */
	fl.q = "Ransomware";
	store_case_t row = {0};
	assert_int_equal(case_list(f->st, &hub, &fl, keep_case, &row), 0);
	assert_int_equal(row.waits_read, 1);
	assert_int_equal(row.nwaits, 1);
	assert_int_equal(row.waits[0].from, 1800000000);
	assert_int_equal(row.waits[0].to, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_default),
		cmocka_unit_test(test_lifecycle_errors),
		cmocka_unit_test_setup_teardown(test_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalate_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_iodef, setup, teardown),
		cmocka_unit_test_setup_teardown(test_title_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
