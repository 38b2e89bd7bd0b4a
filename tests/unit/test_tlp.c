/* test_tlp.c — the visibility rule: tlp_visible against TLP 2.0's table for
 * every kind of viewer and level, and its SQL twin (SQ_VISIBLE, bound by
 * sq_bind_view) against tlp_visible on a real SQLite database for every
 * combination of view, level, giver and named recipient. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/model.h"
#include "store/store_sqlite_int.h"

enum { GIVER = 7, NAMED = 8, OTHER = 9 };

/* TLP 2.0, written out: may this viewer see a level? */
static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *who;
		tlp_view_t v;
		int named;
		const char *sees; /* one letter per level, CLEAR..RED */
	} rows[] = {
		{"the giver", {.max_tlp = TLP_GREEN, .org = GIVER}, 0, "yyyyy"},
		{"a named recipient", {.max_tlp = TLP_GREEN, .org = NAMED}, 1, "yyyyy"},
		{"another member", {.max_tlp = TLP_GREEN, .org = OTHER}, 0, "yynnn"},
		{"a peer hub named", {.max_tlp = TLP_GREEN, .org = NAMED, .peer = 1}, 1, "yyyyn"},
		{"a peer hub not named", {.max_tlp = TLP_GREEN, .org = OTHER, .peer = 1}, 0, "yynnn"},
		{"a peer hub that gave it", {.max_tlp = TLP_GREEN, .org = GIVER, .peer = 1}, 0, "yyyyn"},
		{"the hub's team", {.max_tlp = TLP_GREEN, .org = 1, .all = 1}, 0, "yyyyy"},
		{"the public (DNS at GREEN)", {.max_tlp = TLP_GREEN}, 0, "yynnn"},
		{"the public (DNS at CLEAR)", {.max_tlp = TLP_CLEAR}, 0, "ynnnn"},
		{"a block list at AMBER+STRICT", {.max_tlp = TLP_AMBER_STRICT}, 0, "yyyyn"},
		{"nobody named, named flag set", {.max_tlp = TLP_GREEN}, 1, "yynnn"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		for (int t = 0; t < TLP_NLEVELS; t++) {
			int want = rows[i].sees[t] == 'y';
			if (tlp_visible(&rows[i].v, (tlp_t)t, GIVER, rows[i].named) != want)
				fail_msg("%s at %s: got %d, want %d", rows[i].who, tlp_name((tlp_t)t), !want, want);
		}
}

/* The SQL says what the C says, for every view, level, giver and named. */
static void test_sql_twin(void **state)
{
	(void)state;
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
		"CREATE TABLE o(rid INTEGER PRIMARY KEY, tlp INT, org_id INT);"
		"CREATE TABLE stix_recipients(rid INT, org_id INT);", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT " SQ_VISIBLE("o.tlp", "o.org_id", SQ_NAMED_OBJ) " FROM o WHERE o.rid = :rid",
		-1, &q, NULL), SQLITE_OK);
	/* objects: every level x giver {GIVER, OTHER} x recipients {none, NAMED} */
	int rid = 0;
	char sql[200];
	for (int t = 0; t < TLP_NLEVELS; t++)
		for (int g = 0; g < 2; g++)
			for (int n = 0; n < 2; n++) {
				snprintf(sql, sizeof sql, "INSERT INTO o VALUES(%d, %d, %d);", ++rid, t,
					 g ? OTHER : GIVER);
				if (n)
					snprintf(sql + strlen(sql), sizeof sql - strlen(sql),
						 "INSERT INTO stix_recipients VALUES(%d, %d);", rid, NAMED);
				assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
			}
	long cells = 0;
	for (int max = 0; max < TLP_NLEVELS; max++)
		for (int org = 0; org < 4; org++)
			for (int all = 0; all < 2; all++)
				for (int peer = 0; peer < 2; peer++) {
					static const int64_t orgs[] = {0, GIVER, NAMED, OTHER};
					tlp_view_t v = {.max_tlp = (tlp_t)max, .org = orgs[org], .all = all,
							.peer = peer};
					rid = 0;
					for (int t = 0; t < TLP_NLEVELS; t++)
						for (int g = 0; g < 2; g++)
							for (int n = 0; n < 2; n++) {
								sqlite3_reset(q);
								sq_bind_view(q, &v);
								sqlite3_bind_int(q, sqlite3_bind_parameter_index(q, ":rid"), ++rid);
								assert_int_equal(sqlite3_step(q), SQLITE_ROW);
								int got = sqlite3_column_int(q, 0);
								int want = tlp_visible(&v, (tlp_t)t, g ? OTHER : GIVER,
										       n && v.org == NAMED);
								if (got != want)
									fail_msg("max %d org %lld all %d peer %d | tlp %d giver %d named %d: sql %d, c %d",
										 max, (long long)v.org, all, peer, t, g, n, got, want);
								cells++;
							}
				}
	assert_int_equal(cells, 5 * 4 * 2 * 2 * 20);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sql_twin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
