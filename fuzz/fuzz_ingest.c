/* fuzz_ingest.c — libFuzzer target: the list / CSV / rbldnsd readers on
 * arbitrary bytes (the first byte picks the format and the rbldnsd dataset),
 * as a stream through fmemopen.  Every record handed on is counted.  And as
 * pairs: the records, put into a scratch store (one report per value),
 * exported as CSV and as plain lists of one type each (export_write) and
 * read back by the CSV and list readers, give every exported row exactly
 * as stored (type, value, classification, TLP, first and last seen, valid
 * until: the times formatted and parsed again) and every listed value with
 * its type. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "ingest/ingest.h"

#include "roundtrip.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	long n;
	store_t *st;
	indicator_t ind;
	unsigned types; /* bit t: a value of type t was stored */
} load_t;

static int count(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	load_t *l = arg;
	(void)err;
	(void)errlen;
	if (rec->obs->len == 0 || rec->confidence < 0 || rec->confidence > 100)
		__builtin_trap();
	l->n++;
	l->types |= 1u << rec->obs->type;
	/* one report per value: the last record of a value wins */
	memset(&l->ind, 0, sizeof l->ind);
	l->ind.type = rec->obs->type;
	memcpy(l->ind.value, rec->obs->value, rec->obs->len + 1);
	snprintf(l->ind.source, sizeof l->ind.source, "fuzz");
	snprintf(l->ind.classification, sizeof l->ind.classification, "%s", rec->classification);
	l->ind.org_id = 1;
	l->ind.tlp = rec->tlp;
	l->ind.confidence = rec->confidence;
	l->ind.first_seen = rec->first_seen;
	l->ind.last_seen = rec->last_seen ? rec->last_seen : rec->first_seen;
	l->ind.valid_until = rec->valid_until;
	if (store_put_indicator(l->st, &l->ind))
		abort();
	return 0;
}

/* The stored indicators as "type|value|classification|tlp|first|last|until". */
static int stored_cb(void *arg, const indicator_t *i)
{
	rt_set_t *s = arg;
	char buf[OBS_VALUE_MAX + MODEL_CLASS_MAX + 128];
	s->cursor = i->id;
	snprintf(buf, sizeof buf, "%s|%s|%s|%s|%lld|%lld|%lld", obs_type_name(i->type), i->value,
		 i->classification, tlp_name(i->tlp), (long long)i->first_seen,
		 (long long)i->last_seen, (long long)i->valid_until);
	if (util_grow(&s->line, &s->cap, s->n + 1, sizeof *s->line, 16) ||
	    !(s->line[s->n] = strdup(buf)))
		abort();
	s->n++;
	return 0;
}

typedef struct {
	const rt_set_t *stored;
	int csv;
	long n;
} back_t;

static int in_stored(const rt_set_t *s, const char *line, size_t prefix)
{
	for (size_t k = 0; k < s->n; k++)
		if (prefix ? !strncmp(s->line[k], line, prefix) && s->line[k][prefix] == '|'
			   : !strcmp(s->line[k], line))
			return 1;
	return 0;
}

static int read_back(void *arg, const ingest_rec_t *rec, char *err, size_t errlen)
{
	back_t *b = arg;
	char buf[OBS_VALUE_MAX + MODEL_CLASS_MAX + 128];
	(void)err;
	(void)errlen;
	b->n++;
	if (b->csv)
		snprintf(buf, sizeof buf, "%s|%s|%s|%s|%lld|%lld|%lld", obs_type_name(rec->obs->type),
			 rec->obs->value, rec->classification, tlp_name(rec->tlp),
			 (long long)rec->first_seen, (long long)rec->last_seen,
			 (long long)rec->valid_until);
	else
		snprintf(buf, sizeof buf, "%s|%s", obs_type_name(rec->obs->type), rec->obs->value);
	if (!in_stored(b->stored, buf, b->csv ? 0 : strlen(buf))) {
		fprintf(stderr, "read back '%s', which was not stored so\n", buf);
		abort();
	}
	return 0;
}

/* Export the store in format f, read it back with reader r (values of type
 * t only, OBS_NONE: all). */
static void pair(store_t *st, const rep_model_t *m, const rt_set_t *stored, export_format_t f,
		 ingest_format_t r, obs_type_t t)
{
	char err[512], *text = NULL;
	size_t len = 0;
	long written = 0, got = 0;
	export_opts_t eo = {.format = f, .max_tlp = TLP_AMBER_STRICT, .rep = m, .type = t};
	FILE *out = open_memstream(&text, &len);
	if (!out || export_write(st, &eo, out, &written, err, sizeof err) || fclose(out))
		abort();
	ingest_opts_t io = {.format = r, .type = t, .source = "back", .confidence = 50, .tlp = TLP_RED};
	back_t b = {.stored = stored, .csv = r == INGEST_CSV};
	FILE *in = fmemopen(text, len, "r");
	if (!in)
		abort();
	if (ingest_read(in, "export", &io, read_back, &b, &got, err, sizeof err) || b.n != written) {
		fprintf(stderr, "the export (%ld rows) reads back as %ld: %s\n%s\n", written, b.n, err,
			text);
		abort();
	}
	fclose(in);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static rep_model_t *m;
	char err[512];
	if (size < 1)
		return 0;
	if (!m && !(m = rep_model_new(err, sizeof err)))
		abort();
	ingest_opts_t o = {.format = (ingest_format_t)(data[0] % 4), .source = "fuzz",
			   .confidence = 50, .classification = "other/undetermined", .tlp = TLP_AMBER,
			   .dataset = (ingest_rbl_t)(data[0] / 4 % 6)};
	FILE *f = fmemopen((void *)(data + 1), size - 1, "r");
	if (!f)
		return 0;
	store_t *st = scratch_store("ingest");
	load_t l = {.st = st};
	long got = 0;
	if (store_begin(st))
		abort();
	int rc = ingest_read(f, "fuzz", &o, count, &l, &got, err, sizeof err);
	if (rc == 0 && got != l.n)
		__builtin_trap();
	fclose(f);
	if (rc == 0 && l.n) {
		rt_set_t stored = {0};
		store_filter_t sf = {.view = TLP_VIEW_ALL, .tlp_max = -1, .limit = 1000};
		for (stored.cursor = 0;;) {
			int64_t was = stored.cursor;
			sf.after_id = stored.cursor;
			if (store_list_indicators(st, &sf, stored_cb, &stored))
				abort();
			if (stored.cursor == was)
				break;
		}
		pair(st, m, &stored, EXP_CSV, INGEST_CSV, OBS_NONE);
		/* a plain list says no type: it is read back as one type, as
		 * `export --type T` is meant to be read (a single-label name
		 * or a name shaped like an address cannot tell its own) */
		for (obs_type_t t = OBS_NONE + 1; t < OBS_NTYPES; t++)
			if (l.types & 1u << t)
				pair(st, m, &stored, EXP_PLAIN, INGEST_LIST, t);
		rt_free(&stored);
	}
	store_rollback(st);
	return 0;
}
