/* tpl.h — HTML templates: a small Mustache-like language rendered over a
 * jansson value, escaping everything by default.
 *
 * Tags:
 *   {{name}}  {{a.b}}  {{.}}   the value, HTML-escaped (strings, numbers,
 *                              true; null, false and missing names write "")
 *   {{&name}}                  the value unescaped (only for HTML the
 *                              program itself rendered, as a page's body)
 *   {{#name}} ... {{/name}}    an array: once per element (the element is
 *                              the context); an object: once inside it; any
 *                              other true value: once; false, null, "", 0, []
 *                              and missing: not at all
 *   {{^name}} ... {{/name}}    once when the value is one of those
 *   {{_ Some text}}            the text in the reader's language (i18n.h),
 *                              HTML-escaped
 *   {{! a comment}}
 * A name is looked up in the innermost context first, then outwards.
 *
 * tpl_check finds every mistake of a template (unclosed or mismatched
 * sections, unknown tags) before a page uses it; the tests check every
 * built-in template with it.  Rendering is total: it cannot fail half-way. */
#ifndef C5_TPL_H
#define C5_TPL_H

#include <jansson.h>
#include <stddef.h>

#include "core/util.h"
#include "web/i18n.h"

/* 0, or -1 with "name:line: reason" in err. */
int tpl_check(const char *name, const char *src, char *err, size_t errlen);
/* Render src (checked) over ctx in language lang into out. */
void tpl_render(const char *src, json_t *ctx, const i18n_lang_t *lang, util_buf_t *out);
/* Append s HTML-escaped. */
void tpl_escape(util_buf_t *out, const char *s, size_t n);

#endif
