/* i18n.h — the console's message catalogues: GNU gettext .po files
 * (data/po/LANG.po, built in), one per language, read once at start into a
 * sorted table; a message is looked up by its English text (the msgid).
 * A message missing from a catalogue shows in English.
 *
 * The reader's language comes from a "lang" cookie (the switcher), else
 * from Accept-Language (RFC 9110 weights), else English. */
#ifndef C5_I18N_H
#define C5_I18N_H

#include <stddef.h>

typedef struct i18n_lang i18n_lang_t;

/* Parse one .po text (name for errors) into a language; NULL with
 * "name:line: reason" in err.  Plural forms are not used. */
i18n_lang_t *i18n_parse(const char *code, const char *po, const char *name, char *err, size_t errlen);
void i18n_free(i18n_lang_t *l);
/* The translation of msgid (n bytes), or NULL when there is none (the
 * caller shows msgid).  l may be NULL (English). */
const char *i18n_get(const i18n_lang_t *l, const char *msgid, size_t n);
const char *i18n_code(const i18n_lang_t *l); /* "en" when l is NULL */
/* The text direction of the language: "rtl" or "ltr". */
const char *i18n_dir(const i18n_lang_t *l);
/* How many messages the catalogue translates. */
size_t i18n_count(const i18n_lang_t *l);

/* ---- the built-in catalogues ---- */
/* Load every built-in catalogue; 0, or -1 with the error (a bad built-in
 * catalogue is a build defect: the tests load them). */
int i18n_init(char *err, size_t errlen);
void i18n_done(void);
/* The built-in language for a code ("fr"), NULL for English or unknown. */
const i18n_lang_t *i18n_find(const char *code);
/* The best built-in language for an Accept-Language header (may be NULL). */
const i18n_lang_t *i18n_accept(const char *header);
/* The codes offered, English first, NULL-terminated. */
const char *const *i18n_codes(void);

#endif
