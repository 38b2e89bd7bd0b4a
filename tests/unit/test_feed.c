/* test_feed.c — the feed layouts (ingest_feed.c) on the layouts their
 * publishers document: what each record becomes, field by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/ingest.h"

#define MAXR 16
typedef struct {
	int n;
	char value[MAXR][256], cls[MAXR][64], also[MAXR][3][256], raw[MAXR][512];
	int conf[MAXR], nalso[MAXR];
	long line[MAXR];
	int64_t first[MAXR];
	char bad[512];
	int nbad;
} got_t;

static int keep(void *arg, const ingest_rec_t *r, char *err, size_t errlen)
{
	got_t *g = arg;
	(void)err, (void)errlen;
	if (g->n == MAXR)
		return 0;
	snprintf(g->value[g->n], 256, "%s", r->obs->value);
	snprintf(g->cls[g->n], 64, "%s", r->classification);
	snprintf(g->raw[g->n], 512, "%s", r->raw ? r->raw : "(null)");
	g->conf[g->n] = r->confidence;
	g->line[g->n] = r->line;
	g->first[g->n] = r->first_seen;
	g->nalso[g->n] = r->nalso;
	for (int i = 0; i < r->nalso; i++)
		snprintf(g->also[g->n][i], 256, "%s", r->also[i]->value);
	g->n++;
	return 0;
}

static void bad(void *arg, const char *msg)
{
	got_t *g = arg;
	if (!g->nbad++)
		snprintf(g->bad, sizeof g->bad, "%s", msg);
}

static int read_text(const char *fmt, const char *text, int skip, got_t *g, char *err)
{
	ingest_opts_t o = {.source = "t", .confidence = 50, .tlp = TLP_AMBER};
	assert_int_equal(ingest_format_parse(fmt, &o.format), 0);
	if (skip) {
		o.on_bad = bad;
		o.bad_arg = g;
	}
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	long n;
	int rc = ingest_read(f, "feed.csv", &o, keep, g, &n, err, 512);
	fclose(f);
	return rc;
}

static void threatfox(void **state)
{
	(void)state;
	got_t g = {0};
	char err[512];
	const char *t =
		"################\n"
		"# ThreatFox IOCs: CSV\n"
		"# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\","
		"\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\",\"reference\","
		"\"tags\",\"anonymous\",\"reporter\"\n"
		"\"2024-01-02 03:04:05\", \"1234\", \"203.0.113.7:443\", \"ip:port\", \"botnet_cc\", "
		"\"win.cobalt_strike\", \"None\", \"Cobalt Strike\", \"\", \"75\", \"\", \"cs\", \"0\", \"x\"\n"
		"\"2024-01-02 03:04:06\", \"1235\", \"bad.example\", \"domain\", \"payload_delivery\", "
		"\"x\", \"\", \"X\", \"\", \"100\", \"\", \"\", \"0\", \"a\"\n";
	assert_int_equal(read_text("threatfox", t, 0, &g, err), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.value[0], "203.0.113.7"); /* the port is not the observable */
	assert_string_equal(g.cls[0], "malicious-code/c2-server");
	assert_int_equal(g.conf[0], 75);
	assert_int_equal(g.first[0], 1704164645);
	assert_string_equal(g.value[1], "bad.example");
	assert_string_equal(g.cls[1], "malicious-code/malware-distribution");
	assert_int_equal(g.conf[1], 100);
	assert_int_equal(g.line[1], 5);
}

static void urlhaus_layouts(void **state)
{
	(void)state;
	got_t g = {0};
	char err[512];
	/* the database dump... */
	const char *dump = "# URLhaus database dump (CSV), all URLs, one per line\n" /* prose */
			   "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
			   "\"1\",\"2024-01-02 03:04:05\",\"http://203.0.113.9/a.exe\",\"online\","
			   "\"2024-01-03 00:00:00\",\"malware_download\",\"exe\",\"https://u/1/\",\"r\"\n";
	assert_int_equal(read_text("urlhaus", dump, 0, &g, err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.value[0], "http://203.0.113.9/a.exe");
	assert_int_equal(g.nalso[0], 0);
	/* ...and a per-country feed, told apart by their header lines */
	got_t h = {0};
	const char *cc = "# Dateadded (UTC),URL,URL_status,Threat,Host,IPaddress,ASnumber,Country\n"
			 "2019-02-13 00:34:42,http://a.example/x,offline,malware_download,a.example,"
			 "62.241.37.242,29083,DE\n";
	assert_int_equal(read_text("urlhaus", cc, 0, &h, err), 0);
	assert_int_equal(h.n, 1);
	assert_int_equal(h.nalso[0], 3);
	assert_string_equal(h.also[0][0], "a.example");
	assert_string_equal(h.also[0][1], "62.241.37.242");
	assert_string_equal(h.also[0][2], "AS29083");
	assert_string_equal(h.raw[0], "2019-02-13 00:34:42,http://a.example/x,offline,malware_download,"
				      "a.example,62.241.37.242,29083,DE");
}

static void sslbl_and_drop(void **state)
{
	(void)state;
	got_t g = {0};
	char err[512];
	assert_int_equal(read_text("sslbl", "# Listingdate,SHA1,Listingreason\n"
				   "2024-01-02 03:04:05,0123456789ABCDEF0123456789abcdef01234567,Dridex C&C\n",
				   0, &g, err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.value[0], "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(g.cls[0], "malicious-code/c2-server");
	got_t d = {0};
	assert_int_equal(read_text("spamhaus-drop", "; header\n1.10.16.0/20 ; SBL256894\nAS260 ; x\n", 0,
				   &d, err), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.value[0], "1.10.16.0/20");
	assert_string_equal(d.value[1], "AS260");
	assert_string_equal(d.cls[0], "abusive-content/spam");
}

static void freetext(void **state)
{
	(void)state;
	got_t g = {0};
	char err[512];
	assert_int_equal(read_text("misp-freetext",
				   "Seen: hxxp://bad[.]example/x and 203.0.113.5, also evil.example.\n"
				   "Nothing here at 12:30.\n", 0, &g, err), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.value[0], "http://bad.example/x");
	assert_string_equal(g.value[1], "203.0.113.5");
	assert_string_equal(g.value[2], "evil.example");
}

static void policies(void **state)
{
	(void)state;
	char err[512];
	const char *t = "http://good.example/a\nhttp://www..example.com/bad\nhttp://good.example/b\n";
	got_t g = {0};
	assert_int_equal(read_text("openphish", t, 0, &g, err), -1);
	assert_non_null(strstr(err, "feed.csv:2: invalid URL"));
	got_t s = {0};
	assert_int_equal(read_text("openphish", t, 1, &s, err), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.nbad, 1);
	assert_non_null(strstr(s.bad, "feed.csv:2:"));
	assert_string_equal(s.cls[0], "fraud/phishing");
}

static void shadowserver(void **state)
{
	(void)state;
	got_t g = {0};
	char err[512];
	assert_int_equal(read_text("shadowserver", "\"timestamp\",\"ip\",\"port\",\"hostname\",\"asn\"\n"
				   "\"2010-02-10 00:00:00\",203.0.113.1,445,node.example.com,64512\n",
				   0, &g, err), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.cls[0], "vulnerable/vulnerable-system");
	assert_int_equal(g.nalso[0], 2);
	assert_string_equal(g.also[0][0], "AS64512");
	assert_string_equal(g.also[0][1], "node.example.com");
	got_t b = {0};
	assert_int_equal(read_text("shadowserver", "\"timestamp\",\"port\"\n\"2010\",1\n", 0, &b, err), -1);
	assert_non_null(strstr(err, "feed.csv:1: shadowserver: no value column"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(threatfox),    cmocka_unit_test(urlhaus_layouts),
		cmocka_unit_test(sslbl_and_drop), cmocka_unit_test(freetext),
		cmocka_unit_test(policies),     cmocka_unit_test(shadowserver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
