/* test_ingest.c — list and CSV ingest into a real SQLite file: canonical
 * values, all-or-nothing files, errors naming file, line and reason, real
 * feed layouts from shared/testdata, upserts, the change feed, visibility and
 * pagination in the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ingest/ingest.h"
#include "store/store.h"

typedef struct {
	char dir[64], db[128];
	store_t *st;
	int64_t hub, other;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	char err[256];
	snprintf(f->dir, sizeof f->dir, "/tmp/c5test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
	assert_int_equal(store_open(f->db, STORE_CREATE, &f->st, err, sizeof err), STORE_OK);
	org_t a = {.name = "hub", .type = "government", .country = "ZZ"};
	org_t b = {.name = "Bank", .type = "private-sector", .country = "GH"};
	assert_int_equal(store_org_add(f->st, &a), 0);
	assert_int_equal(store_org_add(f->st, &b), 0);
	f->hub = a.id;
	f->other = b.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_t *f = *state;
	char cmd[128];
	store_close(f->st);
	snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static const char *write_file(fx_t *f, const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static ingest_opts_t opts(fx_t *f)
{
	return (ingest_opts_t){.source = "test", .org_id = f->hub, .tlp = TLP_AMBER,
			       .confidence = 50, .classification = RSIT_DEFAULT};
}

static int64_t count(fx_t *f)
{
	int64_t n;
	assert_int_equal(store_count_indicators(f->st, &n), 0);
	return n;
}

typedef struct { int n; indicator_t last; } found_t;
static int found_cb(void *arg, const indicator_t *i)
{
	found_t *x = arg;
	x->n++;
	x->last = *i;
	return 0;
}

static found_t find(fx_t *f, obs_type_t t, const char *v)
{
	found_t x = {0};
	assert_int_equal(store_find_values(f->st, &t, &v, 1, found_cb, &x), 0);
	return x;
}

static void test_list(void **state)
{
	fx_t *f = *state;
	ingest_opts_t o = opts(f);
	ingest_result_t r;
	char err[512];
	const char *p = write_file(f, "list.txt",
		"# comment\n\n192.0.2.1\r\n  10.1.2.3/8  ; trailing comment\nExample.COM. # x\n"
		"2001:DB8::1\nD41D8CD98F00B204E9800998ECF8427E\nAS64496\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), 0);
	assert_int_equal(r.records, 6);
	assert_int_equal(count(f), 6);
	assert_int_equal(find(f, OBS_IPV4, "10.0.0.0/8").n, 1);
	assert_int_equal(find(f, OBS_DOMAIN, "example.com").n, 1);
	assert_int_equal(find(f, OBS_IPV6, "2001:db8::1").n, 1);
	assert_int_equal(find(f, OBS_MD5, "d41d8cd98f00b204e9800998ecf8427e").n, 1);
	found_t x = find(f, OBS_IPV4, "192.0.2.1");
	assert_int_equal(x.n, 1);
	assert_string_equal(x.last.source, "test");
	assert_int_equal(x.last.tlp, TLP_AMBER);
	assert_int_equal(x.last.org_id, f->hub);

	/* the same file again: updated in place, nothing added */
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), 0);
	assert_int_equal(count(f), 6);
	/* another source: a second indicator for the same value */
	o.source = "other";
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), 0);
	assert_int_equal(count(f), 12);
	assert_int_equal(find(f, OBS_IPV4, "192.0.2.1").n, 2);
}

static void test_bad_line_changes_nothing(void **state)
{
	fx_t *f = *state;
	ingest_opts_t o = opts(f);
	ingest_result_t r;
	char err[512], want[512];
	int64_t seq0, seq1;
	const char *p = write_file(f, "bad.txt", "192.0.2.1\n192.0.2.2\n# c\n999.1.1.1\n192.0.2.3\n");
	assert_int_equal(store_seq(f->st, &seq0), 0);
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:4: invalid IPv4 address '999.1.1.1'", p);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("error '%s' does not start with '%s'", err, want);
	assert_int_equal(count(f), 0);
	assert_int_equal(store_seq(f->st, &seq1), 0);
	assert_int_equal(seq0, seq1);

	p = write_file(f, "junk.txt", "192.0.2.1 extra words\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, ":1: unexpected text after the value"));
	p = write_file(f, "long.txt", "x");
	FILE *fp = fopen(p, "w");
	for (int i = 0; i < 70000; i++)
		fputc('a', fp);
	fclose(fp);
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, ":1: line longer than"));
	assert_int_equal(ingest_file(f->st, "/nonexistent/x.txt", &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(count(f), 0);
}

static void test_csv(void **state)
{
	fx_t *f = *state;
	ingest_opts_t o = opts(f);
	ingest_result_t r;
	char err[512];
	const char *p = write_file(f, "feed.csv",
		"# exported\n"
		"\"Indicator\",tlp,confidence,classification,first_seen,note\n"
		"192.0.2.10,green,80,malicious-code/c2-server,2026-01-02T03:04:05Z,\"plain\"\n"
		"evil.example,red,,fraud/phishing,,\"a \"\"quoted\"\" note,\n spanning lines\"\n"
		"http://Evil.example:80/a,,,,,\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), 0);
	assert_int_equal(r.records, 3);
	found_t x = find(f, OBS_IPV4, "192.0.2.10");
	assert_int_equal(x.n, 1);
	assert_int_equal(x.last.tlp, TLP_GREEN);
	assert_int_equal(x.last.confidence, 80);
	assert_string_equal(x.last.classification, "malicious-code/c2-server");
	assert_int_equal(x.last.first_seen, 1767323045);
	x = find(f, OBS_DOMAIN, "evil.example");
	assert_int_equal(x.last.tlp, TLP_RED);
	assert_int_equal(x.last.confidence, 50);
	assert_int_equal(find(f, OBS_URL, "http://evil.example/a").n, 1);

	/* errors name the line and the column, and change nothing */
	int64_t before = count(f);
	p = write_file(f, "bad.csv", "value,tlp\n192.0.2.11,green\n192.0.2.12,purple\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad.csv:3: column 'tlp': unknown TLP 'purple'"));
	p = write_file(f, "bad2.csv", "value,confidence\n192.0.2.11,101\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad2.csv:2: column 'confidence'"));
	p = write_file(f, "bad3.csv", "name,comment\nx,y\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad3.csv:1: no value column"));
	p = write_file(f, "bad4.csv", "value,c\n\"192.0.2.11,y\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "unclosed quote"));
	p = write_file(f, "bad5.csv", "value,classification\n192.0.2.11,malware/bad\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "bad5.csv:2: column 'classification'"));
	assert_int_equal(count(f), before);

	/* --column picks the value column by name */
	o.column = "host";
	p = write_file(f, "col.csv", "ip;host\n192.0.2.99;named.example\n");
	assert_int_equal(ingest_file(f->st, p, &o, &r, err, sizeof err), 0);
	assert_int_equal(find(f, OBS_DOMAIN, "named.example").n, 1);
	assert_int_equal(find(f, OBS_IPV4, "192.0.2.99").n, 0);
}

/* Real feed layouts from shared/testdata load as they are. */
static void test_real_feeds(void **state)
{
	fx_t *f = *state;
	ingest_opts_t o = opts(f);
	ingest_result_t r;
	char err[512];
	assert_int_equal(ingest_file(f->st, TESTDATA "/feeds/spamhaus-drop.txt", &o, &r, err, sizeof err), 0);
	assert_int_equal(r.records, 2);
	assert_int_equal(find(f, OBS_IPV6, "2a06:e480::/29").n, 1);
	assert_int_equal(ingest_file(f->st, TESTDATA "/feeds/blocklistde-imap.txt", &o, &r, err, sizeof err), 0);
	assert_int_equal(r.records, 6);
	assert_int_equal(ingest_file(f->st, TESTDATA "/feeds/spamhaus-asndrop.txt", &o, &r, err, sizeof err), 0);
	assert_true(r.records >= 1);
	assert_int_equal(find(f, OBS_ASN, "AS260").n, 1);
	assert_int_equal(ingest_file(f->st, TESTDATA "/feeds/shadowserver-scan_ntp.csv", &o, &r, err, sizeof err), 0);
	assert_int_equal(r.records, 3);
	assert_int_equal(find(f, OBS_IPV4, "192.168.0.2").n, 1);
	/* a feed whose values are invalid (OpenPhish fixture "http://www..example.com") is refused whole */
	int64_t before = count(f);
	assert_int_equal(ingest_file(f->st, TESTDATA "/feeds/openphish-feed.txt", &o, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "openphish-feed.txt:1: invalid URL"));
	assert_int_equal(count(f), before);
}

typedef struct { int rows, dels; int64_t last_id; } chg_t;
static int chg_row(void *a, const store_row_t *r) { ((chg_t *)a)->rows++; ((chg_t *)a)->last_id = r->id; return 0; }
static int chg_del(void *a, int64_t id) { (void)id; ((chg_t *)a)->dels++; return 0; }

static void test_changes_and_visibility(void **state)
{
	fx_t *f = *state;
	ingest_opts_t o = opts(f);
	ingest_result_t r;
	char err[512];
	int64_t s0, s1, s2;
	assert_int_equal(ingest_file(f->st, write_file(f, "a.txt", "192.0.2.1\n192.0.2.2\n"), &o, &r, err, sizeof err), 0);
	chg_t c = {0};
	assert_int_equal(store_changes(f->st, 0, chg_row, chg_del, &c, &s0), 0);
	assert_int_equal(c.rows, 2);
	o.org_id = f->other;
	o.tlp = TLP_RED;
	assert_int_equal(ingest_file(f->st, write_file(f, "b.txt", "198.51.100.1\n"), &o, &r, err, sizeof err), 0);
	memset(&c, 0, sizeof c);
	assert_int_equal(store_changes(f->st, s0, chg_row, chg_del, &c, &s1), 0);
	assert_int_equal(c.rows, 1);
	assert_true(s1 > s0);
	int64_t red_id = c.last_id;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_delete_indicator(f->st, 1), 0);
	assert_int_equal(store_delete_indicator(f->st, 999), STORE_ENOTFOUND);
	assert_int_equal(store_commit(f->st), 0);
	memset(&c, 0, sizeof c);
	assert_int_equal(store_changes(f->st, s1, chg_row, chg_del, &c, &s2), 0);
	assert_int_equal(c.rows, 0);
	assert_int_equal(c.dels, 1);

	/* an update (same value and source, new TLP) is in the feed; after
	 * store_forget() it no longer is, while new inserts still are */
	o.org_id = f->hub;
	o.tlp = TLP_GREEN;
	assert_int_equal(ingest_file(f->st, write_file(f, "c.txt", "192.0.2.2\n"), &o, &r, err, sizeof err), 0);
	int64_t s3, s4;
	memset(&c, 0, sizeof c);
	assert_int_equal(store_changes(f->st, s2, chg_row, chg_del, &c, &s3), 0);
	assert_int_equal(c.rows, 1);
	assert_int_equal(c.last_id, 2);
	assert_int_equal(store_forget(f->st, s3), 0);
	memset(&c, 0, sizeof c);
	assert_int_equal(store_changes(f->st, s2, chg_row, chg_del, &c, &s4), 0);
	assert_int_equal(c.rows, 0);
	assert_int_equal(ingest_file(f->st, write_file(f, "d.txt", "192.0.2.2\n192.0.2.9\n"), &o, &r, err, sizeof err), 0);
	memset(&c, 0, sizeof c);
	assert_int_equal(store_changes(f->st, s3, chg_row, chg_del, &c, &s4), 0);
	assert_int_equal(c.rows, 2); /* one updated, one new */
	o.tlp = TLP_RED;
	o.org_id = f->other;

	/* visibility: the hub's viewer sees the RED item only with view.all */
	found_t x = {0};
	store_filter_t flt = {.view = {.max_tlp = TLP_GREEN, .org = f->hub}, .tlp_max = -1, .limit = 100};
	assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
	assert_int_equal(x.n, 2); /* the hub's own two items, not the other org's RED one */
	flt.view.all = 1;
	x.n = 0;
	assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
	assert_int_equal(x.n, 3);
	flt = (store_filter_t){.view = {.max_tlp = TLP_GREEN, .org = f->hub}, .tlp_max = -1, .limit = 100, .org_id = f->other};
	x.n = 0;
	assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
	assert_int_equal(x.n, 0);
	flt.view.all = 1;
	assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.last.id, red_id);
}

static void test_pagination(void **state)
{
	fx_t *f = *state;
	ingest_opts_t o = opts(f);
	ingest_result_t r;
	char err[512], path[256];
	snprintf(path, sizeof path, "%s/many.txt", f->dir);
	FILE *fp = fopen(path, "w");
	for (int i = 0; i < 250; i++)
		fprintf(fp, "198.18.%d.%d\n", i / 256, i % 256);
	fclose(fp);
	o.tlp = TLP_GREEN;
	assert_int_equal(ingest_file(f->st, path, &o, &r, err, sizeof err), 0);
	int pages = 0, total = 0;
	store_filter_t flt = {.view = {.max_tlp = TLP_GREEN, .org = f->other}, .tlp_max = -1, .limit = 100};
	for (;;) {
		found_t x = {0};
		assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
		total += x.n;
		pages++;
		if (x.n < 100)
			break;
		flt.after_id = x.last.id;
	}
	assert_int_equal(total, 250);
	assert_int_equal(pages, 3);
	/* another organisation does not see AMBER items of the hub */
	o.tlp = TLP_AMBER;
	assert_int_equal(ingest_file(f->st, write_file(f, "amber.txt", "203.0.113.5\n"), &o, &r, err, sizeof err), 0);
	found_t x = {0};
	flt = (store_filter_t){.view = {.max_tlp = TLP_GREEN, .org = f->other}, .tlp_max = -1, .limit = 1000};
	assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
	assert_int_equal(x.n, 250);
	flt.view.all = 1;
	x.n = 0;
	assert_int_equal(store_list_indicators(f->st, &flt, found_cb, &x), 0);
	assert_int_equal(x.n, 251);
}

static void test_schema(void **state)
{
	fx_t *f = *state;
	store_t *again;
	char err[256];
	assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
	assert_int_equal(store_open(f->db, STORE_CREATE, &again, err, sizeof err), STORE_OK);
	store_close(again);
	assert_int_equal(store_open("/nonexistent-dir/x.db", 0, &again, err, sizeof err), STORE_ENOTFOUND);
	assert_non_null(strstr(err, "c5hub init"));
	org_t dup = {.name = "HUB", .type = "government", .country = "ZZ"};
	assert_int_equal(store_org_add(f->st, &dup), STORE_EEXISTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_line_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_feeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changes_and_visibility, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema, setup, teardown),
	};
	return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
