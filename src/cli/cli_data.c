/* cli_data.c — `c5hub ingest` and `c5hub export`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "export/export.h"
#include "audit/audit.h"
#include "hub/hub.h"
#include "wlist/wlist.h"
#include "ingest/ingest.h"

/* ---- ingest ---- */

/* Each file's audit entry, in its transaction. */
static int ingest_audit(void *arg, store_t *st, const char *path, long records)
{
	const ingest_opts_t *o = arg;
	char actor[64], detail[200];
	snprintf(detail, sizeof detail, "%ld records, source %s, org %lld", records,
		 o->source ? o->source : path, (long long)o->org_id);
	audit_entry_t e = {.actor = audit_cli_actor(actor, sizeof actor), .addr = "local",
			   .action = "indicators.ingest", .object = path, .detail = detail};
	return audit_record(st, &e);
}

int cli_ingest(cli_t *c)
{
	ingest_opts_t o = {.confidence = 50, .before_commit = ingest_audit};
	const char *source = NULL, *org = NULL, *tlp = NULL, *fmt = NULL, *type = NULL,
		   *conf = NULL, *valid = NULL, *dataset = NULL, *share = NULL, *coll = NULL, *v;
	const char **files = calloc((size_t)c->argc + 1, sizeof *files);
	int nfiles = 0, rc = 0, r;
	store_t *st = NULL;

	if (!files)
		return 2;
	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--source", &source)) || (r = cli_opt(c, &i, "--org", &org)) ||
		    (r = cli_opt(c, &i, "--tlp", &tlp)) || (r = cli_opt(c, &i, "--format", &fmt)) ||
		    (r = cli_opt(c, &i, "--type", &type)) || (r = cli_opt(c, &i, "--column", &o.column)) ||
		    (r = cli_opt(c, &i, "--confidence", &conf)) ||
		    (r = cli_opt(c, &i, "--classification", &o.classification)) ||
		    (r = cli_opt(c, &i, "--valid-days", &valid)) ||
		    (r = cli_opt(c, &i, "--dataset", &dataset)) ||
		    (r = cli_opt(c, &i, "--share", &share)) ||
		    (r = cli_opt(c, &i, "--collection", &coll))) {
			if (r < 0)
				goto bad;
			continue;
		}
		if (c->argv[i][0] == '-' && c->argv[i][1]) {
			rc = cli_fail("ingest: unknown option '%s'", c->argv[i]);
			goto out;
		}
		files[nfiles++] = c->argv[i++];
	}
	if (nfiles == 0) {
		rc = cli_fail("ingest: give one or more files (- for standard input)");
		goto out;
	}
	if (fmt && !strcmp(fmt, "csaf")) {
		rc = (type || dataset || valid || o.column || share || coll || tlp || source || conf)
			     ? cli_fail("ingest: --format csaf takes files or URLs and --org only")
			     : cli_ingest_csaf(c, files, nfiles, org);
		goto out;
	}
	if (fmt && (!strcmp(fmt, "stix") || !strcmp(fmt, "misp") || !strcmp(fmt, "iodef"))) {
		cli_ingest_args_t a = {.source = source, .org = org, .tlp = tlp, .conf = conf,
				       .classification = o.classification, .share = share,
				       .collection = coll,
				       .kind = !strcmp(fmt, "misp") ? CLI_MISP : !strcmp(fmt, "iodef") ? CLI_IODEF : CLI_STIX};
		rc = (type || dataset || valid || o.column)
			     ? cli_fail("ingest: --type, --dataset, --valid-days and --column do not go "
					"with --format stix, misp or iodef")
			     : cli_ingest_stix(c, files, nfiles, &a);
		goto out;
	}
	if (share || coll) {
		rc = cli_fail("ingest: --share and --collection go with --format stix, misp or iodef");
		goto out;
	}
	if (fmt && ingest_format_parse(fmt, &o.format)) {
		rc = cli_fail("ingest: --format must be one of stix, misp, iodef, csaf, " INGEST_FORMATS);
		goto out;
	}
	if (dataset && (o.format != INGEST_RBLDNSD || ingest_rbl_parse(dataset, &o.dataset))) {
		rc = cli_fail("ingest: --dataset goes with --format rbldnsd and is auto, ip4set, ip4tset, "
			      "ip4trie, ip6trie or dnset");
		goto out;
	}
	if (type && (o.type = obs_type_from_name(type)) == OBS_NONE) {
		rc = cli_fail("ingest: unknown --type '%s'", type);
		goto out;
	}
	if (conf) {
		char *end;
		long n = strtol(conf, &end, 10);
		if (*end || n < 0 || n > 100) {
			rc = cli_fail("ingest: --confidence must be 0 to 100");
			goto out;
		}
		o.confidence = (int)n;
	}
	if (valid) {
		char *end;
		long n = strtol(valid, &end, 10);
		if (*end || n < 1 || n > 36500) {
			rc = cli_fail("ingest: --valid-days must be 1 to 36500");
			goto out;
		}
		o.valid_for = (int64_t)n * 86400;
	}
	if (o.classification && rsit_check(o.classification)) {
		rc = cli_fail("ingest: --classification '%s' is not a class/type of the Reference "
			      "Security Incident Taxonomy", o.classification);
		goto out;
	}
	if (source && !model_name_ok(source)) {
		rc = cli_fail("ingest: bad --source name");
		goto out;
	}
	/* the load is durable at commit; checkpointing is left to the server
	 * (or the next command), so the command returns as soon as it is safe */
	if (!(st = cli_store(c, STORE_DEFER_CKPT | STORE_BULK)))
		goto bad;
	int64_t hub_org;
	if (hub_read_settings(st, &hub_org, &o.tlp)) {
		rc = cli_fail("ingest: hub settings missing; run c5hub init");
		goto out;
	}
	if (tlp && tlp_parse(tlp, &o.tlp)) {
		rc = cli_fail("ingest: unknown TLP '%s'", tlp);
		goto out;
	}
	o.org_id = hub_org;
	if (org) {
		org_t og;
		if (store_org_find(st, org, &og)) {
			rc = cli_fail("ingest: %s", store_errmsg(st));
			goto out;
		}
		o.org_id = og.id;
	}
	for (int k = 0; k < nfiles; k++) {
		char err[1024], base[MODEL_NAME_MAX + 1];
		ingest_result_t res;
		if (!source) { /* the file's name, without directory or extension */
			v = strrchr(files[k], '/');
			snprintf(base, sizeof base, "%s", v ? v + 1 : files[k]);
			char *dot = strrchr(base, '.');
			if (dot && dot != base)
				*dot = '\0';
			o.source = strcmp(files[k], "-") ? base : "stdin";
		} else {
			o.source = source;
		}
		o.arg = &o;
		if (ingest_file(st, files[k], &o, &res, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			fprintf(stderr, "c5hub: %s: nothing loaded from this file\n", files[k]);
			rc = 1;
			continue;
		}
		printf("%s: %ld indicators (source %s, tlp %s)\n", files[k], res.records, o.source,
		       tlp_name(o.tlp));
		if (res.refanged)
			fprintf(stderr, "c5hub: %s: %ld defanged values (hxxp://, [.], [at] ...) read refanged\n",
				files[k], res.refanged);
	}
	goto out;
bad:
	rc = 2;
out:
	store_close(st);
	free(files);
	return rc;
}

/* ---- export ---- */

/* Suricata's categories file for --categories, written whole (tmp, rename). */
static int cli_write_categories(const char *path, char *err, size_t errlen)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return snprintf(err, errlen, "%s: cannot write", tmp), -1;
	int bad = export_suricata_categories(f);
	if (fclose(f) || bad || rename(tmp, path)) {
		remove(tmp);
		return snprintf(err, errlen, "%s: cannot write", path), -1;
	}
	return 0;
}

/* "1,204 more at AMBER: add --tlp-max amber" for each level above the one
 * asked for, so that an export left empty by its TLP says why. */
static void export_hint_withheld(const long *withheld, tlp_t max)
{
	static const char *const opt[TLP_NLEVELS] = {
		[TLP_AMBER] = "amber", [TLP_AMBER_STRICT] = "amber+strict"};
	for (int t = (int)max + 1; t < TLP_NLEVELS; t++) {
		if (!withheld[t] || !opt[t])
			continue;
		char num[32], grouped[48];
		int len = snprintf(num, sizeof num, "%ld", withheld[t]), g = 0;
		for (int k = 0; k < len; k++) {
			if (k && (len - k) % 3 == 0)
				grouped[g++] = ',';
			grouped[g++] = num[k];
		}
		grouped[g] = '\0';
		char up[16];
		snprintf(up, sizeof up, "%s", tlp_name((tlp_t)t));
		for (char *p = up; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		fprintf(stderr, "c5hub: export: %s more at %s: add --tlp-max %s\n", grouped, up, opt[t]);
	}
}

int cli_export(cli_t *c)
{
	export_opts_t o = {.max_tlp = TLP_GREEN};
	const char *fmt = NULL, *type = NULL, *tlp = NULL, *score = NULL, *output = NULL,
		   *rep_file = NULL, *org = NULL, *cats = NULL;
	char err[512];
	long n = 0;
	int r;

	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--format", &fmt)) || (r = cli_opt(c, &i, "--type", &type)) ||
		    (r = cli_opt(c, &i, "--tlp-max", &tlp)) || (r = cli_opt(c, &i, "--min-score", &score)) ||
		    (r = cli_opt(c, &i, "--output", &output)) || (r = cli_opt(c, &i, "--out", &output)) ||
		    (r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--categories", &cats)) ||
		    (r = cli_opt(c, &i, "--reputation", &rep_file))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("export: unexpected argument '%s'", c->argv[i]);
	}
	if (cats && (!fmt || strcmp(fmt, "suricata-iprep")))
		return cli_fail("export: --categories goes with --format suricata-iprep");
	if (fmt && !strcmp(fmt, "stix")) {
		if (type || tlp || score || rep_file)
			return cli_fail("export: --type, --tlp-max, --min-score and --reputation do not go "
					"with --format stix (it writes what --org may see)");
		return cli_export_stix(c, org, output);
	}
	if (fmt && !strcmp(fmt, "misp")) {
		if (type || tlp || score || rep_file)
			return cli_fail("export: --type, --tlp-max, --min-score and --reputation do not go "
					"with --format misp (it writes what --org may see)");
		return cli_export_misp(c, org, output);
	}
	if (fmt && !strcmp(fmt, "iodef")) {
		if (type || tlp || score || rep_file)
			return cli_fail("export: --type, --tlp-max, --min-score and --reputation do not go "
					"with --format iodef (it writes what --org may see)");
		return cli_export_iodef(c, org, output);
	}
	if (org)
		return cli_fail("export: --org goes with --format stix, misp or iodef");
	if (!fmt || export_format_parse(fmt, &o.format))
		return cli_fail("export: --format must be stix, misp, iodef, rbldnsd, plain, csv, suricata-iprep, "
				"zeek-intel or rpz");
	if (type && (o.type = obs_type_from_name(type)) == OBS_NONE)
		return cli_fail("export: unknown --type '%s'", type);
	if (tlp && tlp_parse(tlp, &o.max_tlp))
		return cli_fail("export: unknown TLP '%s'", tlp);
	if (o.max_tlp == TLP_RED)
		return cli_fail("export: TLP:RED is for named recipients only and is never exported; "
				"--tlp-max goes up to amber+strict");
	if (score) {
		char *end;
		long v = strtol(score, &end, 10);
		if (*end || v < 0 || v > 100)
			return cli_fail("export: --min-score must be 0 to 100");
		o.min_score = (int)v;
	}
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	rep_model_t *m = cli_rep_model(st, rep_file);
	wlist_t *wl = m ? hub_wlist_load(st, err, sizeof err) : NULL;
	if (!wl) {
		rep_model_free(m);
		store_close(st);
		return m ? cli_fail("export: %s", err) : 2;
	}
	long withheld[TLP_NLEVELS];
	o.rep = m;
	o.wl = wl;
	o.withheld = withheld;
	/* write to a temporary file and rename: a reader never sees half a list */
	char tmp[4096];
	FILE *out = stdout;
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.tmp", output);
		if (!(out = fopen(tmp, "w"))) {
			rep_model_free(m);
			wlist_free(wl);
			store_close(st);
			return cli_fail("export: %s: cannot write", tmp);
		}
	}
	int rc = export_write(st, &o, out, &n, err, sizeof err);
	if (rc == 0 && cats && cli_write_categories(cats, err, sizeof err))
		rc = -1;
	rep_model_free(m);
	wlist_free(wl);
	store_close(st);
	if (output) {
		if (fclose(out) || rc || rename(tmp, output)) {
			remove(tmp);
			return cli_fail("export: %s", rc ? err : "cannot write the output");
		}
		fprintf(stderr, "%s: %ld indicators\n", output, n);
	} else if (rc) {
		return cli_fail("export: %s", err);
	}
	export_hint_withheld(withheld, o.max_tlp);
	return 0;
}
