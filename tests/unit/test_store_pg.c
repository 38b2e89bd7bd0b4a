/* test_store_pg.c — the PostgreSQL back end's parts that need no server:
 * a connection string shown without its password (store_shown), a server
 * that is not there refused with an error naming it, no store, and the
 * stubs made from store.h (every op the back end lacks, such as one another
 * branch adds to store_ops later, answers "not yet", never a NULL call). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "store/store.h"

static void shown(const char *in, const char *want)
{
	char out[256];
	assert_string_equal(store_shown(in, out, sizeof out), want);
}

static void test_shown(void **state)
{
	(void)state;
	shown("/var/lib/c5hub/hub.db", "/var/lib/c5hub/hub.db");
	shown("postgresql://c5@db1:5432/c5hub", "postgresql://c5@db1:5432/c5hub");
	shown("postgresql://c5:s3cret@db1:5432/c5hub", "postgresql://c5:***@db1:5432/c5hub");
	shown("postgres://c5:p@ss@db1/c5hub", "postgres://c5:***@db1/c5hub");
	shown("postgresql://c5@db1,db2/c5hub?password=s3cret&target_session_attrs=read-write",
	      "postgresql://c5@db1,db2/c5hub?password=***&target_session_attrs=read-write");
	shown("postgresql://db1/c5hub?sslmode=require&password=x", "postgresql://db1/c5hub?sslmode=require&password=***");
	/* a path that happens to hold '@' or ':' is left alone */
	shown("/srv/a:b@c/hub.db", "/srv/a:b@c/hub.db");
	char small[8];
	assert_string_equal(store_shown("postgresql://c5:s3cret@db1/x", small, sizeof small), "postgre");
}

static void test_no_server(void **state)
{
	(void)state;
	store_t *st = (store_t *)1;
	char err[512];
	/* port 1 on loopback: nobody listens */
	int rc = store_open("postgresql://c5:s3cret@127.0.0.1:1/c5hub?connect_timeout=2", 0, &st, err,
			    sizeof err);
	assert_int_equal(rc, STORE_ERR);
	assert_null(st);
	assert_non_null(strstr(err, "PostgreSQL: "));
	assert_null(strstr(err, "s3cret"));
}

void pg_stub_fill(struct store_ops *o); /* build/gen/store_pg_stubs.c */

static void test_stubs(void **state)
{
	(void)state;
	struct store_ops o;
	memset(&o, 0, sizeof o);
	pg_stub_fill(&o);
	for (size_t i = 0; i < sizeof o / sizeof(void (*)(void)); i++) {
		void (*f)(void);
		memcpy(&f, (const char *)&o + i * sizeof f, sizeof f);
		assert_non_null(f);
	}
	store_t st = {.ops = &o};
	assert_int_equal(o.feed_list(&st, NULL, NULL), STORE_ERR);
	assert_string_equal(st.err, "feed_list: not yet in the PostgreSQL back end");
	/* an op already there is left alone */
	o.feed_list = NULL;
	struct store_ops keep = o;
	pg_stub_fill(&o);
	assert_memory_not_equal(&o, &keep, sizeof o);
	assert_ptr_equal(o.org_add, keep.org_add);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shown),
		cmocka_unit_test(test_no_server),
		cmocka_unit_test(test_stubs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
