/* fuzz_gw_query.c — libFuzzer target: the gateway's search language
 * (gw_query_parse).  Any input gives 0 (no word), -1 (too long for the
 * buffer: nothing written) or 1 with a NUL-terminated expression inside
 * the buffer that SQLite's FTS5 accepts, alone and in the ranking's
 * two tiers ({title} : (q), and (q) NOT {title} : (q)) (a MATCH over a real unicode61
 * table with diacritics removed runs without error): a person's query can
 * never make the search fail. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gw/gw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static sqlite3_stmt *q;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[1024], out[GW_QUERY_MAX + 8];
	if (!db) {
		if (sqlite3_open(":memory:", &db) ||
		    sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize = "
				 "'unicode61 remove_diacritics 2', prefix = '2 3');"
				 "INSERT INTO t VALUES('Sécurité nationale', 'cyber loi l''état « guide »');",
				 NULL, NULL, NULL) ||
		    sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &q, NULL))
			abort();
	}
	size_t n = size < sizeof in - 1 ? size : sizeof in - 1;
	memcpy(in, data, n);
	in[n] = '\0';
	/* a small buffer too (the first byte picks its size): -1, never past it */
	size_t small = n ? (size_t)(data[0] % 64) + 1 : 1;
	memset(out, 0x55, sizeof out);
	int rc = gw_query_parse(in, out, small);
	if (rc < -1 || rc > 1 || memchr(out, '\0', small) == NULL || out[small] != 0x55)
		abort();
	memset(out, 0x55, sizeof out);
	rc = gw_query_parse(in, out, GW_QUERY_MAX);
	if (rc < -1 || rc > 1 || !memchr(out, '\0', GW_QUERY_MAX) || out[GW_QUERY_MAX] != 0x55)
		abort();
	if (rc == 1) { /* the expression, and the two tiers gw_search makes of it */
		static char tier[2 * GW_QUERY_MAX + 32];
		for (int k = 0; k < 3; k++) {
			if (k == 0)
				snprintf(tier, sizeof tier, "%s", out);
			else if (k == 1)
				snprintf(tier, sizeof tier, "{title} : (%s)", out);
			else
				snprintf(tier, sizeof tier, "(%s) NOT {title} : (%s)", out, out);
			sqlite3_reset(q);
			sqlite3_bind_text(q, 1, tier, -1, SQLITE_TRANSIENT);
			int s;
			while ((s = sqlite3_step(q)) == SQLITE_ROW)
				;
			if (s != SQLITE_DONE)
				abort(); /* FTS5 refused what the parser made */
		}
	}
	return 0;
}
