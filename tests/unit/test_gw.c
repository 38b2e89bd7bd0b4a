/* test_gw.c — the gateway on a real SQLite file: the query language
 * (words, phrases, prefixes, exclusions, hostile input always a valid FTS5
 * expression), the index as csaf uses it (put, replace, delete), search
 * ranking, diacritics and case folded, prefixes, facets with counts, TLP
 * (GREEN never in the public view), the approval flow and the checks of
 * entries (javascript: web sites refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "gw/gw.h"

typedef struct {
	char dir[64], path[128];
	store_t *st;
	int64_t hub, acme;
	principal_t analyst, member, reader;
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof *f);
	char err[256];
	snprintf(f->dir, sizeof f->dir, "/tmp/c5gw.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, err, sizeof err), 0);
	org_t h = {.name = "hub", .type = "government", .country = "SN"};
	org_t a = {.name = "acme", .type = "private-sector", .country = "SN"};
	assert_int_equal(store_org_add(f->st, &h), 0);
	assert_int_equal(store_org_add(f->st, &a), 0);
	f->hub = h.id;
	f->acme = a.id;
	f->analyst = (principal_t){.org_id = h.id, .role = ROLE_ANALYST, .hub_member = 1};
	f->member = (principal_t){.org_id = a.id, .role = ROLE_CONTRIBUTOR};
	f->reader = (principal_t){.org_id = a.id, .role = ROLE_READER};
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

/* Does FTS5 accept expression q? */
static int fts_ok(sqlite3 *db, const char *q)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &s, NULL))
		return 0;
	sqlite3_bind_text(s, 1, q, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	sqlite3_finalize(s);
	return rc == SQLITE_DONE;
}

static void test_query_parse(void **state)
{
	(void)state;
	char out[GW_QUERY_MAX];
	sqlite3 *db;
	assert_int_equal(sqlite3_open(":memory:", &db), 0);
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize = "
				      "'unicode61 remove_diacritics 2')", NULL, NULL, NULL), 0);
	assert_int_equal(gw_query_parse("cyber law", out, sizeof out), 1);
	assert_string_equal(out, "(\"cyber\" AND \"law\")");
	assert_int_equal(gw_query_parse("cyber* -draft", out, sizeof out), 1);
	assert_string_equal(out, "(\"cyber\"*) NOT \"draft\"");
	assert_int_equal(gw_query_parse("\"national strategy\" OR plan", out, sizeof out), 1);
	assert_string_equal(out, "(\"national strategy\" OR \"plan\")");
	assert_int_equal(gw_query_parse("s* é* cy*", out, sizeof out), 1);
	assert_string_equal(out, "(\"s\" AND \"é\" AND \"cy\"*)"); /* a prefix needs two characters */
	assert_int_equal(gw_query_parse("  ,;-- \"\" ", out, sizeof out), 0);
	assert_int_equal(gw_query_parse("-alone", out, sizeof out), 0);
	assert_int_equal(gw_query_parse("sécurité", out, sizeof out), 1);
	assert_string_equal(out, "(\"sécurité\")");
	assert_int_equal(gw_query_parse("a b c", out, 8), -1);
	static const char *const hostile[] = {
		"\"", "\"\"\"", "a\"b\"c", "NOT", "AND OR NOT", "(a", "a)", "*", "a**", "-", "--a", "- a",
		"NEAR(a b)", "title:x", "^a", "a + b", "\"unterminated phrase", "\xff\xfe", "\xc3",
		"l\xe2\x80\x99\xc3\xa9tat", "\xe2\x80\x99", "OR a", "a OR", "a OR OR b", "{title}: x",
	};
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		int rc = gw_query_parse(hostile[i], out, sizeof out);
		assert_true(rc >= 0);
		if (rc == 1 && !fts_ok(db, out))
			fail_msg("'%s' gave '%s', which FTS5 refuses", hostile[i], out);
	}
	sqlite3_close(db);
}

static void test_index_and_search(void **state)
{
	fx_t *f = *state;
	char err[256];
	gw_result_t *res = malloc(sizeof *res);
	tlp_view_t pub = GW_VIEW_PUBLIC, mem = auth_view(&f->member);
	gw_doc_t a = {.kind = "advisory", .ref = "C5-2026-001", .title = "Vulnérabilité critique dans OpenSSL",
		      .text = "Une faille de sécurité permet l'exécution de code.", .tlp = TLP_CLEAR,
		      .org_id = f->hub, .areas = GW_AREA_TECHNICAL, .url = "/advisories/C5-2026-001", .updated = 100};
	gw_doc_t g = {.kind = "advisory", .ref = "C5-2026-002", .title = "Members only: securite du DNS",
		      .text = "GREEN text", .tlp = TLP_GREEN, .org_id = f->hub, .areas = GW_AREA_TECHNICAL,
		      .url = "/advisories/C5-2026-002", .updated = 200};
	gw_doc_t l = {.kind = "resource", .ref = "9", .title = "Loi sur la sécurité numérique", .text = "Texte de loi",
		      .tlp = TLP_CLEAR, .org_id = f->acme, .areas = GW_AREA_LEGAL, .country = "SN", .lang = "fr",
		      .type = "law", .url = "/resources/9", .updated = 50};
	assert_int_equal(gw_index_put(f->st, &a, err, sizeof err), 0);
	assert_int_equal(gw_index_put(f->st, &g, err, sizeof err), 0);
	assert_int_equal(gw_index_put(f->st, &l, err, sizeof err), 0);
	gw_doc_t bad = a;
	bad.kind = "secret";
	assert_int_equal(gw_index_put(f->st, &bad, err, sizeof err), 400);
	/* diacritics and case folded both ways, prefix */
	gw_search_t s = {.q = "securite"};
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 2); /* the advisory's text and the law's title; not the GREEN one */
	assert_string_equal(res->hits[0].ref, "9"); /* the title weighs more */
	s.q = "SÉCURITÉ";
	assert_int_equal(gw_search(f->st, &mem, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 3); /* a member sees GREEN */
	s.q = "vuln*";
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 1);
	assert_string_equal(res->hits[0].ref, "C5-2026-001");
	/* facets */
	s = (gw_search_t){0};
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 2);
	assert_int_equal(res->areas[0], 1); /* legal */
	assert_int_equal(res->areas[1], 1); /* technical */
	assert_int_equal(res->nkinds, 2);
	assert_string_equal(res->hits[0].ref, "C5-2026-001"); /* newest first */
	s.kind = "resource";
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 1);
	s = (gw_search_t){.areas = GW_AREA_TECHNICAL};
	assert_int_equal(gw_search(f->st, &mem, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 2);
	/* replace and delete */
	a.title = "Correctif publié";
	assert_int_equal(gw_index_put(f->st, &a, err, sizeof err), 0);
	s = (gw_search_t){.q = "openssl"};
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 0);
	s.q = "correctif";
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 1);
	assert_int_equal(gw_index_del(f->st, "advisory", "C5-2026-001"), 0);
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 0);
	free(res);
}

/* Browsing by facets (the facet index and the statement made per filter):
 * the total, the facets and the newest-first pages agree with the
 * documents, counted here one by one. */
static void test_facet_browse(void **state)
{
	fx_t *f = *state;
	char err[256], ref[16], url[32];
	gw_result_t *res = malloc(sizeof *res);
	tlp_view_t pub = GW_VIEW_PUBLIC;
	static const char *const kinds[] = {"resource", "resource", "entry", "news"};
	static const char *const langs[] = {"fr", "en", "ar"};
	int want = 0, in_en = 0;
	long newest[80];
	for (int i = 0; i < 80; i++) {
		snprintf(ref, sizeof ref, "r%d", i);
		snprintf(url, sizeof url, "/resources/%d", i);
		gw_doc_t d = {.kind = kinds[i % 4], .ref = ref, .title = "Document", .text = "texte",
			      .tlp = i % 7 == 0 ? TLP_GREEN : TLP_CLEAR, .org_id = f->hub,
			      .areas = (i % 3 == 0 ? GW_AREA_LEGAL : 0) | GW_AREA_CAPACITY,
			      .lang = langs[i % 5 % 3], .country = i % 2 ? "SN" : "FR",
			      .type = !strcmp(kinds[i % 4], "resource") ? "law" : "", .url = url, .updated = 1000 + i};
		assert_int_equal(gw_index_put(f->st, &d, err, sizeof err), 0);
		int vis = d.tlp == TLP_CLEAR, res_ = !strcmp(d.kind, "resource");
		if (vis && res_ && !strcmp(d.lang, "fr") && (d.areas & GW_AREA_LEGAL))
			newest[want++] = i;
		in_en += vis && res_ && (d.areas & GW_AREA_LEGAL) && !strcmp(d.lang, "en");
	}
	assert_true(want > 3);
	gw_search_t s = {.kind = "resource", .lang = "fr", .areas = GW_AREA_LEGAL};
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, want);
	assert_int_equal(res->nhits, want < GW_PAGE ? want : GW_PAGE);
	for (int i = 0; i < res->nhits; i++) { /* newest first */
		snprintf(ref, sizeof ref, "r%ld", newest[want - 1 - i]);
		assert_string_equal(res->hits[i].ref, ref);
		assert_true(res->hits[i].snippet[0] != '\0');
	}
	assert_int_equal(res->areas[0], want); /* legal */
	assert_int_equal(res->areas[3], want); /* capacity */
	assert_int_equal(res->nlangs, 1);
	assert_int_equal(res->langs[0].n, want);
	assert_int_equal(res->nkinds, 1);
	/* the second page */
	s.offset = 2;
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	snprintf(ref, sizeof ref, "r%ld", newest[want - 3]);
	assert_string_equal(res->hits[0].ref, ref);
	/* one filter less: the languages' facet counts each */
	s = (gw_search_t){.kind = "resource", .areas = GW_AREA_LEGAL};
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	int en = -1;
	for (int i = 0; i < res->nlangs; i++)
		if (!strcmp(res->langs[i].name, "en"))
			en = (int)res->langs[i].n;
	assert_int_equal(en, in_en);
	/* the index is there, on the facet columns */
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
					    "AND name = 'gw_docs_facets'", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	sqlite3_close(db);
	free(res);
}

static void test_approval(void **state)
{
	fx_t *f = *state;
	char err[256];
	const char *field;
	gw_result_t *res = malloc(sizeof *res);
	tlp_view_t pub = GW_VIEW_PUBLIC;
	int64_t gen0, gen1, t;
	assert_int_equal(store_gw_gen(f->st, &gen0, &t), 0);
	store_gw_entry_t e = {.kind = "team", .name = "CSIRT Acme", .stakeholder = "private", .country = "SN",
			      .areas = GW_AREA_TECHNICAL, .description = "Équipe de réponse",
			      .website = "javascript:alert(1)"};
	assert_int_equal(gw_entry_save(f->st, &f->member, &e, &field, err, sizeof err), 400);
	assert_string_equal(field, "website");
	snprintf(e.website, sizeof e.website, "https://csirt.acme.example/");
	snprintf(e.pgp, sizeof e.pgp, "0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567");
	assert_int_equal(gw_entry_save(f->st, &f->reader, &e, &field, err, sizeof err), 403);
	snprintf(e.status, sizeof e.status, "public"); /* asked, not granted */
	assert_int_equal(gw_entry_save(f->st, &f->member, &e, &field, err, sizeof err), 0);
	assert_string_equal(e.status, "pending");
	assert_string_equal(e.pgp, "0123456789ABCDEF0123456789ABCDEF01234567");
	assert_int_equal(e.org_id, f->acme);
	gw_search_t s = {.q = "equipe"};
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 0); /* pending: not searchable */
	assert_int_equal(gw_approve(f->st, &f->member, "entry", e.id, 1, err, sizeof err), 403);
	assert_int_equal(gw_approve(f->st, &f->analyst, "entry", e.id, 1, err, sizeof err), 0);
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 1);
	assert_string_equal(res->hits[0].url, "/directory/1");
	assert_int_equal(store_gw_gen(f->st, &gen1, &t), 0);
	assert_true(gen1 > gen0);
	/* another organisation may not edit it */
	principal_t other = {.org_id = 999, .role = ROLE_ADMIN};
	assert_int_equal(gw_entry_save(f->st, &other, &e, &field, err, sizeof err), 404);
	/* its own edit takes it back to the queue */
	assert_int_equal(gw_entry_save(f->st, &f->member, &e, &field, err, sizeof err), 0);
	assert_string_equal(e.status, "pending");
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 0);
	/* news: the hub's analysts only, public at once; GREEN stays out of
	 * the public view */
	store_gw_news_t *n = calloc(1, sizeof *n);
	snprintf(n->title, sizeof n->title, "Exercice national");
	n->tlp = TLP_GREEN;
	assert_int_equal(gw_news_save(f->st, &f->member, n, &field, err, sizeof err), 403);
	assert_int_equal(gw_news_save(f->st, &f->analyst, n, &field, err, sizeof err), 0);
	assert_string_equal(n->status, "public");
	s.q = "exercice";
	assert_int_equal(gw_search(f->st, &pub, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 0);
	tlp_view_t mem = auth_view(&f->member);
	assert_int_equal(gw_search(f->st, &mem, &s, res, err, sizeof err), 0);
	assert_int_equal(res->total, 1);
	free(n);
	free(res);
}

static void test_checks(void **state)
{
	(void)state;
	char err[128];
	unsigned m;
	assert_true(gw_url_ok("https://example.org/a?b=c"));
	assert_false(gw_url_ok("javascript:alert(1)"));
	assert_false(gw_url_ok("JAVASCRIPT:alert(1)"));
	assert_false(gw_url_ok("https://x.org/\"onmouseover=alert(1)"));
	assert_false(gw_url_ok("https:///path"));
	assert_false(gw_url_ok("data:text/html,<script>"));
	assert_true(gw_country_ok("SN"));
	assert_false(gw_country_ok("XX"));
	assert_false(gw_country_ok("sn"));
	assert_int_equal(gw_area_parse("legal, cooperation", &m, err, sizeof err), 0);
	assert_int_equal(m, GW_AREA_LEGAL | GW_AREA_COOPERATION);
	assert_int_equal(gw_area_parse("legal,magic", &m, err, sizeof err), -1);
	assert_non_null(strstr(err, "magic"));
	char list[64];
	gw_area_list(GW_AREA_LEGAL | GW_AREA_CAPACITY, list, sizeof list);
	assert_string_equal(list, "legal,capacity");
}

static void test_atom(void **state)
{
	(void)state;
	util_buf_t b = {0};
	gw_atom_entry_t e[1] = {{.id = "urn:x:1", .title = "<script>&", .link = "https://h/a?b=1&c=2",
				 .summary = "x\x01y", .updated = 0, .categories = {"legal", NULL}}};
	gw_atom(&b, "urn:x", "T", "https://h/f.atom", "https://h/", 86400, e, 1);
	assert_false(b.oom);
	assert_non_null(strstr(b.data, "<title type=\"text\">&lt;script&gt;&amp;</title>"));
	assert_non_null(strstr(b.data, "href=\"https://h/a?b=1&amp;c=2\""));
	assert_non_null(strstr(b.data, "<summary type=\"text\">xy</summary>"));
	assert_non_null(strstr(b.data, "<updated>1970-01-02T00:00:00Z</updated>"));
	free(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_parse),
		cmocka_unit_test_setup_teardown(test_index_and_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approval, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facet_browse, setup, teardown),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_atom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
