/* fuzz_intake.c — libFuzzer target: the intake path (intake_take) on a
 * scratch store, any bytes as the message.  Properties: every input is
 * taken (a case opened or joined, kept whole when unreadable), refused for
 * its size, or known as taken before — never an error on a healthy store;
 * a taken message is its case's, with the message and each attachment as
 * evidence (1 + attachments rows under its holder), and the same bytes a
 * second time are a duplicate that stores nothing. */
#include <gnutls/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "intake/intake.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_cb(void *arg, const store_evidence_t *e)
{
	(void)e;
	(*(size_t *)arg)++;
	return 0;
}

static size_t evidence_of(store_t *st, const uint8_t *data, size_t size)
{
	unsigned char h[32];
	char holder[80];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, size, h);
	int o = snprintf(holder, sizeof holder, "mail:sha256:");
	for (int i = 0; i < 32; i++)
		o += snprintf(holder + o, sizeof holder - (size_t)o, "%02x", h[i]);
	size_t n = 0;
	if (store_evidence_list(st, holder, count_cb, &n))
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	store_t *st = scratch_store("intake");
	if (!ready) {
		if (store_set_durable(st, 0) || store_begin(st) ||
		    store_setting_set(st, "hub_org", "1") || store_commit(st))
			abort();
		ready = 1;
	}
	if (size > 65536)
		return 0;
	intake_opts_t o = {.max_size = 16384};
	intake_result_t r;
	char err[600];
	if (intake_take(st, (const char *)data, size, &o, &r, err, sizeof err))
		abort(); /* a healthy store takes everything */
	if (r.outcome == INTAKE_TOO_BIG) {
		if (size <= o.max_size)
			abort();
		return 0;
	}
	if (size > o.max_size)
		abort();
	if (r.outcome == INTAKE_DUPLICATE)
		return 0;
	store_case_t c;
	if (!r.ref[0] || store_case_get(st, r.ref, 0, &c) || c.id != r.case_id)
		abort();
	if (evidence_of(st, data, size) != r.attachments + 1)
		abort();
	/* the same bytes again: taken once */
	intake_result_t again;
	if (intake_take(st, (const char *)data, size, &o, &again, err, sizeof err) ||
	    again.outcome != INTAKE_DUPLICATE || evidence_of(st, data, size) != r.attachments + 1)
		abort();
	return 0;
}
