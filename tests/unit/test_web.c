/* test_web.c — the console's parts that need no server: templates (escaping,
 * sections, every mistake found with its line), message catalogues (.po
 * parsing, look-up, Accept-Language), form fields and cookies, and every
 * built-in template and catalogue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "web/form.h"
#include "web/i18n.h"
#include "web/tpl.h"
#include "web/web.h"

static char *render(const char *src, const char *json, const i18n_lang_t *l)
{
	char err[256];
	json_t *ctx = json_loads(json, 0, NULL);
	util_buf_t b = {0};
	if (tpl_check("t", src, err, sizeof err))
		fail_msg("%s", err);
	tpl_render(src, ctx, l, &b);
	json_decref(ctx);
	return b.data ? b.data : strdup("");
}

#define RENDERS(src, json, want)                          \
	do {                                              \
		char *got_ = render(src, json, NULL);     \
		assert_string_equal(got_, want);          \
		free(got_);                               \
	} while (0)

static void test_tpl(void **state)
{
	(void)state;
	RENDERS("<p>{{x}}</p>", "{\"x\": \"<script>'&\\\"\"}", "<p>&lt;script&gt;&#39;&amp;&quot;</p>");
	RENDERS("{{&x}}", "{\"x\": \"<b>\"}", "<b>");
	RENDERS("{{n}} {{t}} {{f}} {{z}} {{missing}}.", "{\"n\": 42, \"t\": true, \"f\": false, \"z\": null}", "42 true   .");
	RENDERS("{{#l}}[{{.}}]{{/l}}", "{\"l\": [1, \"a<\"]}", "[1][a&lt;]");
	RENDERS("{{#o}}{{a.b}}-{{top}}{{/o}}", "{\"o\": {\"a\": {\"b\": \"x\"}}, \"top\": \"y\"}", "x-y");
	RENDERS("{{#e}}no{{/e}}{{^e}}empty{{/e}}", "{\"e\": []}", "empty");
	RENDERS("{{#a}}{{#b}}{{v}}{{/b}}{{/a}}", "{\"a\": [{\"b\": [{\"v\": 1}, {\"v\": 2}]}, {\"b\": []}]}", "12");
	RENDERS("{{! a comment }}x", "{}", "x");
	RENDERS("{{_ Sign in}}", "{}", "Sign in");
	char err[256];
	assert_int_equal(tpl_check("bad.html", "a\n{{#x}}\n{{/y}}", err, sizeof err), -1);
	assert_string_equal(err, "bad.html:3: {{/y}} closes x");
	assert_int_equal(tpl_check("bad.html", "{{#x}}", err, sizeof err), -1);
	assert_non_null(strstr(err, "never closed"));
	assert_int_equal(tpl_check("bad.html", "x\n{{ a b }}", err, sizeof err), -1);
	assert_non_null(strstr(err, "bad.html:2: bad name"));
	assert_int_equal(tpl_check("bad.html", "{{x", err, sizeof err), -1);
	assert_int_equal(tpl_check("bad.html", "{{/x}}", err, sizeof err), -1);
}

static void test_i18n(void **state)
{
	(void)state;
	char err[256];
	i18n_lang_t *l = i18n_parse("fr", "# c\nmsgid \"\"\nmsgstr \"Language: fr\\n\"\n\nmsgid \"Sign in\"\nmsgstr "
					  "\"Se \"\n\"connecter\"\n\n#, fuzzy\nmsgid \"Old\"\nmsgstr \"Vieux\"\n\nmsgid "
					  "\"Empty\"\nmsgstr \"\"\n",
				    "t.po", err, sizeof err);
	assert_non_null(l);
	assert_string_equal(i18n_get(l, "Sign in", 7), "Se connecter");
	assert_null(i18n_get(l, "Old", 3));   /* fuzzy: not used */
	assert_null(i18n_get(l, "Empty", 5)); /* untranslated */
	assert_int_equal(i18n_count(l), 1);
	char *got = render("{{_ Sign in}}", "{}", l);
	assert_string_equal(got, "Se connecter");
	free(got);
	i18n_free(l);
	assert_null(i18n_parse("fr", "msgid \"a\"\nmsgstr \"b\nx\"\n", "t.po", err, sizeof err));
	assert_string_equal(err, "t.po:2: bad string (quotes, or an escape other than \\n \\t \\\" \\\\)");
	assert_null(i18n_parse("fr", "msgid \"a\"\n\nmsgid \"b\"\nmsgstr \"c\"\n", "t.po", err, sizeof err));
	assert_string_equal(err, "t.po:3: msgid without msgstr");
	assert_null(i18n_parse("fr", "msgid \"a\"\nmsgstr \"b\"\nmsgid \"a\"\nmsgstr \"c\"\n", "t.po", err, sizeof err));
	assert_non_null(strstr(err, "twice"));
	assert_null(i18n_parse("fr", "msgctxt \"x\"\n", "t.po", err, sizeof err));
	/* Accept-Language: weights, regions, English as a choice */
	assert_int_equal(i18n_init(err, sizeof err), 0);
	assert_string_equal(i18n_code(i18n_accept("fr-CH, fr;q=0.9, en;q=0.8")), "fr");
	assert_string_equal(i18n_code(i18n_accept("en-GB,fr;q=0.5")), "en");
	assert_string_equal(i18n_code(i18n_accept("de, ar;q=0.3")), "ar");
	assert_string_equal(i18n_code(i18n_accept("de")), "en");
	assert_string_equal(i18n_code(i18n_accept(NULL)), "en");
	assert_string_equal(i18n_dir(i18n_find("ar")), "rtl");
	assert_string_equal(i18n_dir(i18n_find("fr")), "ltr");
}

static void test_form(void **state)
{
	(void)state;
	char v[32];
	const char *b = "a=1&name=J%C3%A9r%C3%B4me+B&empty=&flag&bad=%zz&nul=%00&long=0123456789012345678901234567890123";
	assert_int_equal(form_get(b, strlen(b), "a", v, sizeof v), 1);
	assert_string_equal(v, "1");
	assert_int_equal(form_get(b, strlen(b), "name", v, sizeof v), 1);
	assert_string_equal(v, "J\xc3\xa9r\xc3\xb4me B");
	assert_int_equal(form_get(b, strlen(b), "empty", v, sizeof v), 1);
	assert_string_equal(v, "");
	assert_int_equal(form_get(b, strlen(b), "flag", v, sizeof v), 1);
	assert_int_equal(form_get(b, strlen(b), "bad", v, sizeof v), -1);
	assert_int_equal(form_get(b, strlen(b), "nul", v, sizeof v), -1);
	assert_int_equal(form_get(b, strlen(b), "long", v, sizeof v), -1);
	assert_int_equal(form_get(b, strlen(b), "nam", v, sizeof v), 0);
	assert_int_equal(form_get("x=%4", 4, "x", v, sizeof v), -1);
	assert_int_equal(form_cookie("a=1; c5sid=abc ; lang=fr", "c5sid", v, sizeof v), 1);
	assert_string_equal(v, "abc");
	assert_int_equal(form_cookie("xc5sid=1", "c5sid", v, sizeof v), 0);
	assert_int_equal(form_cookie(NULL, "c5sid", v, sizeof v), 0);
	assert_int_equal(form_encode("a b/é", v, sizeof v), strlen("a%20b%2F%C3%A9"));
	assert_string_equal(v, "a%20b%2F%C3%A9");
}

static void test_builtin(void **state)
{
	(void)state;
	char err[256];
	if (web_check(err, sizeof err))
		fail_msg("%s", err);
	assert_true(i18n_count(i18n_find("fr")) > 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tpl),
		cmocka_unit_test(test_i18n),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_builtin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
