/* scratch.h — the scratch SQLite store of the fuzz targets that write: made
 * on first use under /tmp, removed when the fuzzer stops.  Each target
 * rolls back what it wrote. */
#ifndef C5_FUZZ_SCRATCH_H
#define C5_FUZZ_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/store.h"

static store_t *scratch_st;
static char scratch_path[64];

static void scratch_cleanup(void)
{
	char p[80];
	store_close(scratch_st);
	unlink(scratch_path);
	snprintf(p, sizeof p, "%s-wal", scratch_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", scratch_path);
	unlink(p);
}

/* The store, made the first time (name: the target's), with organisation
 * 1, the one the targets import for (else every indicator written would
 * fail its foreign key, and nothing past it would be reached). */
static store_t *scratch_store(const char *name)
{
	char err[512];
	if (!scratch_st) {
		org_t org = {.name = "fuzz org", .type = "government", .country = "ZZ"};
		snprintf(scratch_path, sizeof scratch_path, "/tmp/fuzz_%s.%d.db", name, (int)getpid());
		unlink(scratch_path);
		if (store_open(scratch_path, STORE_CREATE, &scratch_st, err, sizeof err))
			abort();
		atexit(scratch_cleanup);
		if (store_begin(scratch_st) || store_org_add(scratch_st, &org) || org.id != 1 ||
		    store_commit(scratch_st))
			abort();
	}
	return scratch_st;
}

#endif
