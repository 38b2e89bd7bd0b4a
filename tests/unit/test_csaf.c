/* test_csaf.c — CSAF 2.0: the CVSS v3 base score checked against every
 * score of the OASIS examples (../shared/testdata/csaf/examples) and
 * against vectors worked by hand from the specification's formulas; bad
 * vectors refused; an advisory made into a document and read back is the
 * same advisory; a document from elsewhere refused names its JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csaf/csaf.h"

static void test_examples(void **state)
{
	(void)state;
	char dir[1024], path[1400], err[300];
	int checked = 0;
	snprintf(dir, sizeof dir, "%s/csaf/examples", TESTDATA);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		json_error_t je;
		json_t *doc = json_load_file(path, 0, &je), *v, *s;
		size_t i, j;
		assert_non_null(doc);
		json_array_foreach(json_object_get(doc, "vulnerabilities"), i, v)
			json_array_foreach(json_object_get(v, "scores"), j, s) {
				json_t *c = json_object_get(s, "cvss_v3");
				double score;
				const char *sev, *ver;
				if (!c)
					continue;
				assert_int_equal(csaf_cvss3(json_string_value(json_object_get(c, "vectorString")), &score, &sev,
							    &ver, err, sizeof err), 0);
				assert_true(fabs(score - json_number_value(json_object_get(c, "baseScore"))) < 1e-9);
				assert_string_equal(sev, json_string_value(json_object_get(c, "baseSeverity")));
				assert_string_equal(ver, json_string_value(json_object_get(c, "version")));
				checked++;
			}
		json_decref(doc);
	}
	closedir(d);
	assert_true(checked >= 2); /* cisco (3.0, 9.8) and rhsa (3.1 with temporal metrics, 6.1) */
}

static void test_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *v;
		double score;
		const char *sev;
	} ok[] = {
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CRITICAL"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CRITICAL"},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "HIGH"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "MEDIUM"},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, "MEDIUM"},
		{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, "LOW"},
		{"CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N", 2.5, "LOW"},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "NONE"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O", 9.8, "CRITICAL"},
	};
	static const char *const bad[] = {
		"", "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",
		"CVSS:3.1/AC:L/AV:N/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:HH",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/e:F", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H//",
	};
	char err[300];
	double s;
	const char *sev;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(csaf_cvss3(ok[i].v, &s, &sev, NULL, err, sizeof err), 0);
		if (fabs(s - ok[i].score) > 1e-9)
			fail_msg("%s: %.1f, want %.1f", ok[i].v, s, ok[i].score);
		assert_string_equal(sev, ok[i].sev);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (csaf_cvss3(bad[i], &s, &sev, NULL, err, sizeof err) == 0)
			fail_msg("accepted: %s", bad[i]);
}

static void test_roundtrip(void **state)
{
	(void)state;
	const char *text =
		"{\"id\":\"C5-1\",\"title\":\"T\",\"summary\":\"S\",\"products\":[{\"vendor\":\"A\",\"name\":\"W\","
		"\"version\":\"1\"},{\"vendor\":\"B\",\"name\":\"G\"},{\"vendor\":\"A\",\"name\":\"W\",\"version\":"
		"\"all before 2\"}],\"vulnerabilities\":[{\"cve\":\"CVE-2026-0001\",\"title\":\"V\",\"cvss_vector\":"
		"\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\",\"products\":[\"CSAFPID-0001\",\"CSAFPID-0003\"],"
		"\"remediation\":\"Update\"}],\"references\":[{\"url\":\"https://a.example/x\"}]}";
	char path[200], err[300];
	json_t *adv = json_loads(text, 0, NULL), *doc, *d2, *a2;
	assert_int_equal(csaf_adv_check(adv, path, sizeof path, err, sizeof err), 0);
	csaf_publisher_t pub = {"CIRT", "https://cirt.example"};
	csaf_rev_t revs[] = {{1, 1767225600, "Initial version"}};
	doc = csaf_document(adv, &pub, revs, 1, 0);
	char *t = json_dumps(doc, 0);
	assert_int_equal(csaf_parse(t, strlen(t), &d2, &a2, err, sizeof err), 0);
	assert_int_equal(csaf_adv_check(a2, path, sizeof path, err, sizeof err), 0);
	assert_true(json_equal(adv, a2));
	free(t);
	json_decref(doc);
	json_decref(d2);
	json_decref(a2);
	/* a refusal names the field */
	json_object_set_new(json_array_get(json_object_get(adv, "vulnerabilities"), 0), "products",
			    json_pack("[s]", "CSAFPID-0009"));
	assert_int_equal(csaf_adv_check(adv, path, sizeof path, err, sizeof err), -1);
	assert_string_equal(path, "/vulnerabilities/0/products/0");
	json_decref(adv);
}

static void test_bad_documents(void **state)
{
	(void)state;
	static const struct {
		const char *doc, *path;
	} rows[] = {
		{"[]", "/"},
		{"{\"document\":{}}", "/document/category"},
		{"{\"document\":{\"category\":\"c\",\"csaf_version\":\"2.1\",\"publisher\":{},\"title\":\"t\","
		 "\"tracking\":{}}}", "/document/csaf_version"},
		{"{\"document\":{\"category\":\"c\",\"csaf_version\":\"2.0\",\"publisher\":{\"category\":\"vendor\","
		 "\"name\":\"n\",\"namespace\":\"https://n\"},\"title\":\"t\",\"tracking\":{\"current_release_date\":"
		 "\"2026-01-01T00:00:00Z\",\"initial_release_date\":\"2026-01-01T00:00:00Z\",\"revision_history\":"
		 "[{\"date\":\"2026-01-01T00:00:00Z\",\"number\":\"1\",\"summary\":\"s\"}],\"status\":\"final\","
		 "\"version\":\"1\"}}}", "/document/tracking/id"},
		{"{\"document\":{\"category\":\"c\",\"csaf_version\":\"2.0\",\"publisher\":{\"category\":\"vendor\","
		 "\"name\":\"n\",\"namespace\":\"https://n\"},\"title\":\"t\",\"tracking\":{\"id\":\"X\","
		 "\"current_release_date\":\"2026-01-01T00:00:00Z\",\"initial_release_date\":\"2026-01-01T00:00:00Z\","
		 "\"revision_history\":[{\"date\":\"2026-01-01T00:00:00Z\",\"number\":\"1\",\"summary\":\"s\"}],"
		 "\"status\":\"final\",\"version\":\"2\"}}}", "/document/tracking/version"},
		{"{\"document\":{},\"extra\":1}", "/extra"},
	};
	char err[400];
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		json_t *doc, *adv;
		assert_int_equal(csaf_parse(rows[i].doc, strlen(rows[i].doc), &doc, &adv, err, sizeof err), -1);
		size_t n = strlen(rows[i].path);
		if (strncmp(err, rows[i].path, n) || err[n] != ':')
			fail_msg("row %zu: '%s', want %s", i, err, rows[i].path);
	}
}

/* The aggregator's folder of a party (requirement 23): its name with
 * every character other than [A-Za-z0-9+-] as '_', at most 64, never a
 * path ("..", "/"). */
static void test_party_folder(void **state)
{
	(void)state;
	char f[80];
	csaf_party_folder("Red Hat Product Security", f, sizeof f);
	assert_string_equal(f, "Red_Hat_Product_Security");
	csaf_party_folder("Bundesamt f\xc3\xbcr Sicherheit", f, sizeof f);
	assert_string_equal(f, "Bundesamt_f__r_Sicherheit");
	csaf_party_folder("../../etc/passwd", f, sizeof f);
	assert_string_equal(f, "______etc_passwd");
	csaf_party_folder("", f, sizeof f);
	assert_string_equal(f, "");
	char longname[200];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	csaf_party_folder(longname, f, sizeof f);
	assert_int_equal(strlen(f), 64);
	csaf_party_folder("A+B-C", f, 4); /* a small buffer: cut, terminated */
	assert_string_equal(f, "A+B");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_party_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
