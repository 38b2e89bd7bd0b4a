/* fuzz_csaf.c — libFuzzer target: CSAF 2.0 documents from elsewhere
 * (csaf_parse: csaf_doc_check, csaf_adv_from_doc), advisories as an analyst
 * sends them (csaf_adv_check) and CVSS v3 vectors (csaf_cvss3).  The first
 * byte picks which; the rest is the input.  Properties: a score is 0 to 10
 * with one decimal; an advisory accepted is made into a document that our
 * own import accepts and that gives the same advisory back (the format ->
 * parse pair); an imported document's advisory, once it checks, does the
 * same. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csaf/csaf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* adv (checked) -> document -> parse -> check: the same advisory. */
static void roundtrip(json_t *adv)
{
	csaf_publisher_t pub = {"Fuzz CIRT", "https://cirt.example"};
	csaf_rev_t revs[2] = {{1, 1767225600, "Initial version"}, {2, 1767229200, "Update"}};
	char path[512], err[600];
	json_t *doc = csaf_document(adv, &pub, revs, 2, 0);
	if (!doc)
		abort();
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		abort();
	json_t *d2, *a2;
	if (csaf_parse(text, strlen(text), &d2, &a2, err, sizeof err))
		abort(); /* our own document refused by our own import */
	if (csaf_adv_check(a2, path, sizeof path, err, sizeof err) || !json_equal(adv, a2))
		abort(); /* not the advisory that went in */
	json_decref(d2);
	json_decref(a2);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[512], err[600];
	if (size < 1 || size > 65536)
		return 0;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	switch (data[0] % 3) {
	case 0: { /* a CSAF document */
		json_t *doc, *adv;
		if (csaf_parse(s, n, &doc, &adv, err, sizeof err) == 0) {
			if (!json_is_object(adv))
				abort();
			if (csaf_adv_check(adv, path, sizeof path, err, sizeof err) == 0)
				roundtrip(adv);
			json_decref(doc);
			json_decref(adv);
		} else if (!err[0])
			abort(); /* a refusal says why */
		break;
	}
	case 1: { /* an advisory's fields */
		json_error_t je;
		json_t *adv = json_loadb(s, n, JSON_REJECT_DUPLICATES, &je);
		if (adv && csaf_adv_check(adv, path, sizeof path, err, sizeof err) == 0)
			roundtrip(adv);
		json_decref(adv);
		break;
	}
	default: { /* a CVSS vector */
		char v[256];
		double sc;
		const char *sev, *ver;
		if (n >= sizeof v)
			return 0;
		memcpy(v, s, n);
		v[n] = '\0';
		if (csaf_cvss3(v, &sc, &sev, &ver, err, sizeof err) == 0 &&
		    (sc < 0 || sc > 10 || fabs(sc * 10 - round(sc * 10)) > 1e-6 || !sev || !ver))
			abort();
	}
	}
	return 0;
}
