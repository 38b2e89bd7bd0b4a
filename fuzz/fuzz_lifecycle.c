/* fuzz_lifecycle.c — libFuzzer target: the case lifecycle file
 * (data/lifecycle.conf's syntax) on arbitrary bytes.  A refused text names
 * the file (and its line); an accepted one has one initial state that is
 * not final, at least one final state, and transitions only between its
 * states; parsing it again gives the same answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	case_lifecycle_t *lc = case_lifecycle_parse((const char *)data, size, "fuzz", err, sizeof err);
	if (!lc) {
		if (strncmp(err, "fuzz", 4) != 0)
			__builtin_trap();
		return 0;
	}
	const char *const *names;
	size_t n = case_lifecycle_states(lc, &names);
	const char *init = case_lifecycle_initial(lc);
	if (n == 0 || !case_lifecycle_has(lc, init) || case_lifecycle_final(lc, init) ||
	    !case_lifecycle_finals(lc)[0])
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		if (!names[i][0] || strlen(names[i]) > CASE_STATE_MAX)
			__builtin_trap();
		if (case_lifecycle_allowed(lc, names[i], names[i]) ||
		    case_lifecycle_allowed(lc, names[i], "no such state!"))
			__builtin_trap();
	}
	case_lifecycle_t *again = case_lifecycle_parse((const char *)data, size, "fuzz", err, sizeof err);
	if (!again)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (case_lifecycle_allowed(lc, names[i], names[j]) !=
			    case_lifecycle_allowed(again, names[i], names[j]))
				__builtin_trap();
	case_lifecycle_free(again);
	case_lifecycle_free(lc);
	return 0;
}
