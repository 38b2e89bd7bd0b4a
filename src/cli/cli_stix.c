/* cli_stix.c — `c5hub ingest --format stix|misp|iodef` and `c5hub export
 * --format stix|misp|iodef`: STIX 2.1 bundles (stix.h), MISP feeds (misp.h)
 * and IODEF documents (iodef.h) in and out. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "audit/audit.h"
#include "cli.h"
#include "core/util.h"
#include "hub/hub.h"
#include "iodef/iodef.h"
#include "misp/misp.h"
#include "stix/stix.h"

/* "ORG[,ORG...]" -> organisation ids */
static int parse_share(store_t *st, const char *list, stix_import_opts_t *o)
{
	char buf[2048];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *name = strtok_r(buf, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		org_t og;
		if (o->nshare >= STIX_SHARE_MAX)
			return cli_fail("ingest: --share names at most %d organisations", STIX_SHARE_MAX);
		if (store_org_find(st, name, &og))
			return cli_fail("ingest: --share: %s", store_errmsg(st));
		o->share[o->nshare++] = og.id;
	}
	return 0;
}

static int import_one(store_t *st, const char *path, const stix_import_opts_t *o, int kind)
{
	stix_result_t res;
	misp_result_t mr;
	iodef_result_t ir;
	int misp = kind == CLI_MISP;
	char err[1024], actor[64], detail[200];
	if (store_begin(st)) {
		fprintf(stderr, "c5hub: %s\n", store_errmsg(st));
		return 1;
	}
	if (kind == CLI_MISP    ? misp_import_path(st, path, o, &mr, err, sizeof err)
	    : kind == CLI_IODEF ? iodef_import_file(st, path, o, &ir, err, sizeof err)
				: stix_import_file(st, path, o, &res, err, sizeof err)) {
		store_rollback(st);
		fprintf(stderr, "%s\nc5hub: %s: nothing loaded from this file\n", err, path);
		return 1;
	}
	static const char *const fmt[] = {"stix", "misp", "iodef"};
	static const char *const action[] = {"stix.ingest", "misp.ingest", "iodef.ingest"};
	if (misp)
		res = mr.stix;
	if (kind == CLI_IODEF)
		res = ir.stix;
	snprintf(detail, sizeof detail, "%s: %ld objects, %ld indicators made, source %s",
		 fmt[kind], res.objects, res.values, o->source);
	audit_entry_t e = {.actor = audit_cli_actor(actor, sizeof actor), .addr = "local",
			   .action = action[kind], .object = path, .detail = detail};
	if (audit_record(st, &e) || store_commit(st)) {
		store_rollback(st);
		fprintf(stderr, "c5hub: %s: %s\n", path, store_errmsg(st));
		return 1;
	}
	if (misp)
		printf("%s: %ld events, %ld attributes, %ld for detection as indicators; ", path,
		       mr.events, mr.attributes, mr.indicators);
	if (kind == CLI_IODEF)
		printf("%s: IODEF %d, %ld incidents, %ld systems, %ld addresses and names as "
		       "indicators; ", path, ir.version, ir.incidents, ir.systems, ir.indicators);
	printf("%s: %ld objects (%ld already here), %ld indicators, %ld with an indexed pattern "
	       "-> %ld indicators indexed (source %s)\n",
	       path, res.objects, res.known, res.indicators, res.indexed, res.values, o->source);
	if (res.indicators > res.indexed && res.not_indexed[0])
		printf("  not indexed: %ld patterns; the first: %s\n", res.indicators - res.indexed,
		       res.not_indexed);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory given to --format stix (every .json) or iodef (every .xml):
 * each file in name order, one transaction each.  MISP reads its feed
 * directories itself. */
static int import_dir(store_t *st, const char *dir, const stix_import_opts_t *o, int kind)
{
	const char *ext = kind == CLI_IODEF ? ".xml" : ".json";
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "c5hub: %s: cannot read the directory\n", dir);
		return 1;
	}
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.' || l <= strlen(ext) || strcasecmp(e->d_name + l - strlen(ext), ext))
			continue;
		char *p = malloc(strlen(dir) + l + 2);
		if (!p || util_grow(&names, &cap, n + 1, sizeof *names, 16)) {
			free(p);
			rc = 1;
			break;
		}
		sprintf(p, "%s/%s", dir, e->d_name);
		names[n++] = p;
	}
	closedir(d);
	if (rc)
		fprintf(stderr, "c5hub: %s: out of memory\n", dir);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t k = 0; k < n; k++) {
		if (import_one(st, names[k], o, kind)) /* the others still load */
			rc = 1;
		free(names[k]);
	}
	free(names);
	if (n == 0 && !rc) {
		fprintf(stderr, "c5hub: %s: no %s files in this directory\n", dir, ext);
		rc = 1;
	}
	return rc;
}

int cli_ingest_stix(cli_t *c, const char *const *files, int nfiles, const cli_ingest_args_t *a)
{
	stix_import_opts_t o = {.confidence = 50,
				.source = a->source ? a->source
					: a->kind == CLI_MISP ? "misp" : a->kind == CLI_IODEF ? "iodef" : "stix",
				.classification = a->classification};
	int rc = 0;
	if (a->conf) {
		char *end;
		long n = strtol(a->conf, &end, 10);
		if (*end || n < 0 || n > 100)
			return cli_fail("ingest: --confidence must be 0 to 100");
		o.confidence = (int)n;
	}
	if (o.classification && rsit_check(o.classification))
		return cli_fail("ingest: --classification '%s' is not a class/type of the Reference "
				"Security Incident Taxonomy", o.classification);
	if (!model_name_ok(o.source))
		return cli_fail("ingest: bad --source name");
	store_t *st = cli_store(c, STORE_DEFER_CKPT | STORE_BULK);
	if (!st)
		return 2;
	if (hub_read_settings(st, &o.org_id, &o.tlp)) {
		rc = cli_fail("ingest: hub settings missing; run c5hub init");
		goto out;
	}
	if (a->tlp && tlp_parse(a->tlp, &o.tlp)) {
		rc = cli_fail("ingest: unknown TLP '%s'", a->tlp);
		goto out;
	}
	if (a->org) {
		org_t og;
		if (store_org_find(st, a->org, &og)) {
			rc = cli_fail("ingest: %s", store_errmsg(st));
			goto out;
		}
		o.org_id = og.id;
	}
	if (a->share && (rc = parse_share(st, a->share, &o)))
		goto out;
	if (a->collection) {
		store_coll_t co;
		if (store_coll_get(st, a->collection, -1, &co)) {
			rc = cli_fail("ingest: --collection: no TAXII collection '%s'", a->collection);
			goto out;
		}
		o.cid = co.cid;
	}
	for (int k = 0; k < nfiles; k++) {
		struct stat sb;
		int dir = a->kind != CLI_MISP && stat(files[k], &sb) == 0 && S_ISDIR(sb.st_mode);
		if (dir ? import_dir(st, files[k], &o, a->kind) : import_one(st, files[k], &o, a->kind))
			rc = 1;
	}
out:
	store_close(st);
	return rc;
}

/* The hub's own organisation and the viewer of an export: --org's, else
 * the hub's.  0, or 2 after saying why. */
static int export_viewer(store_t *st, const char *org, org_t *hub, int64_t *viewer)
{
	tlp_t dflt;
	org_t og;
	if (hub_read_settings(st, viewer, &dflt) || store_org_get(st, *viewer, hub))
		return cli_fail("export: hub settings missing; run c5hub init");
	if (!org)
		return 0;
	if (store_org_find(st, org, &og))
		return cli_fail("export: %s", store_errmsg(st));
	*viewer = og.id;
	return 0;
}

/* One document written to output (through a temporary file renamed into
 * place), or to standard output, from one read transaction: a consistent
 * view of what --org may see. */
typedef int (*export_fn)(store_t *st, int64_t viewer, const char *hub, FILE *out, long *n,
			 char *err, size_t errlen);

static int export_doc(cli_t *c, const char *org, const char *output, export_fn fn, const char *what)
{
	char err[512] = "cannot read the store", tmp[4096];
	long n = 0;
	org_t hub;
	int64_t viewer;
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = export_viewer(st, org, &hub, &viewer);
	if (rc) {
		store_close(st);
		return rc;
	}
	FILE *out = stdout;
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.tmp", output);
		if (!(out = fopen(tmp, "w"))) {
			store_close(st);
			return cli_fail("export: %s: cannot write", tmp);
		}
	}
	int bad = store_read_begin(st) || fn(st, viewer, hub.name, out, &n, err, sizeof err);
	store_read_end(st);
	store_close(st);
	if (output) {
		if (fclose(out) || bad || rename(tmp, output)) {
			remove(tmp);
			return cli_fail("export: %s", bad ? err : "cannot write the output");
		}
		fprintf(stderr, "%s: %ld %s\n", output, n, what);
	} else if (bad || fflush(stdout)) {
		return cli_fail("export: %s", bad ? err : "cannot write the output");
	}
	return 0;
}

static int stix_doc(store_t *st, int64_t viewer, const char *hub, FILE *out, long *n, char *err,
		    size_t errlen)
{
	stix_export_opts_t o = {.viewer_org = viewer, .hub_name = hub};
	return stix_export(st, &o, out, n, err, errlen);
}

int cli_export_stix(cli_t *c, const char *org, const char *output)
{
	return export_doc(c, org, output, stix_doc, "STIX objects");
}

int cli_export_misp(cli_t *c, const char *org, const char *dir)
{
	misp_export_opts_t o = {0};
	org_t hub;
	char err[512] = "cannot read the store";
	long events, attrs;
	if (!dir)
		return cli_fail("export: --format misp writes a feed directory: give --out DIR");
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = export_viewer(st, org, &hub, &o.viewer_org);
	if (rc)
		goto out;
	o.hub_name = hub.name;
	if (store_read_begin(st) || misp_export_dir(st, &o, dir, &events, &attrs, err, sizeof err))
		rc = cli_fail("export: %s", err);
	else
		fprintf(stderr, "%s: a MISP feed of %ld events, %ld attributes\n", dir, events, attrs);
	store_read_end(st);
out:
	store_close(st);
	return rc;
}

static int iodef_doc(store_t *st, int64_t viewer, const char *hub, FILE *out, long *n, char *err,
		     size_t errlen)
{
	iodef_export_opts_t o = {.viewer_org = viewer, .hub_name = hub};
	return iodef_export(st, &o, out, n, err, errlen);
}

int cli_export_iodef(cli_t *c, const char *org, const char *output)
{
	return export_doc(c, org, output, iodef_doc, "incidents in an IODEF 2 document");
}
