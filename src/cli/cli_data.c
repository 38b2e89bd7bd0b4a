/* cli_data.c — `c5hub ingest`, `c5hub lookup` and `c5hub serve`. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dns/dns_server.h"
#include "export/export.h"
#include "http/http.h"
#include "hub/hub.h"
#include "ingest/ingest.h"

/* ---- ingest ---- */

int cli_ingest(cli_t *c)
{
	ingest_opts_t o = {.confidence = 50, .classification = RSIT_DEFAULT};
	const char *source = NULL, *org = NULL, *tlp = NULL, *fmt = NULL, *type = NULL,
		   *conf = NULL, *valid = NULL, *v;
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
		    (r = cli_opt(c, &i, "--valid-days", &valid))) {
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
	if (fmt && ingest_format_parse(fmt, &o.format)) {
		rc = cli_fail("ingest: --format must be auto, list or csv");
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
	if (rsit_check(o.classification)) {
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
		if (ingest_file(st, files[k], &o, &res, err, sizeof err)) {
			fprintf(stderr, "%s\n", err);
			fprintf(stderr, "c5hub: %s: nothing loaded from this file\n", files[k]);
			rc = 1;
			continue;
		}
		printf("%s: %ld indicators (source %s, tlp %s)\n", files[k], res.records, o.source,
		       tlp_name(o.tlp));
	}
	goto out;
bad:
	rc = 2;
out:
	store_close(st);
	free(files);
	return rc;
}

/* ---- lookup (from the store: every key that could match) ---- */

typedef struct {
	const obs_t *q;
	json_t *matches;
	char how[8];
	int json;
} look_t;

static int look_cb(void *arg, const indicator_t *i)
{
	look_t *l = arg;
	char vu[32] = "-";
	if (i->valid_until)
		model_time_fmt(i->valid_until, vu);
	if (l->json) {
		json_array_append_new(l->matches, json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:s}", "id", (json_int_t)i->id,
			"type", obs_type_name(i->type), "value", i->value, "match", l->how,
			"source", i->source, "tlp", tlp_name(i->tlp), "confidence", i->confidence,
			"classification", i->classification,
			"valid_until", i->valid_until ? json_string(vu) : json_null(), "org", i->org_name));
	} else {
		printf("  %-7s %-40s #%lld source=%s tlp=%s confidence=%d class=%s valid_until=%s org=%s\n",
		       l->how, i->value, (long long)i->id, i->source, tlp_name(i->tlp), i->confidence,
		       i->classification, vu, i->org_name);
		json_array_append_new(l->matches, json_true());
	}
	return 0;
}

static int find(store_t *st, look_t *l, obs_type_t t, const char *value, const char *how)
{
	snprintf(l->how, sizeof l->how, "%s", how);
	return store_find_values(st, &t, &value, 1, look_cb, l);
}

/* Every indicator that matches q: exact, covering prefixes, parent domains. */
static int look_all(store_t *st, look_t *l)
{
	const obs_t *q = l->q;
	if (q->type == OBS_IPV4 || q->type == OBS_IPV6) {
		for (int plen = q->plen; plen >= 0; plen--) {
			uint8_t a[16];
			char v[64];
			memcpy(a, q->addr, 16);
			obs_mask(q->type, a, (unsigned)plen);
			obs_format_ip(q->type, a, (unsigned)plen, v);
			if (find(st, l, q->type, v, plen == q->plen ? "exact" : "prefix"))
				return -1;
		}
		return 0;
	}
	if (find(st, l, q->type, q->value, "exact"))
		return -1;
	if (q->type == OBS_DOMAIN)
		for (const char *d = strchr(q->value, '.'); d; d = strchr(d + 1, '.'))
			if (find(st, l, OBS_DOMAIN, d + 1, "parent"))
				return -1;
	return 0;
}

int cli_lookup(cli_t *c)
{
	int as_json = 0, matched = 0, errors = 0, nvals = 0;
	store_t *st;
	obs_t *q = malloc(sizeof *q);
	json_t *all = json_array();

	if (!q)
		return 2;
	for (int i = 0; i < c->argc; i++)
		if (!strcmp(c->argv[i], "--json"))
			as_json = 1;
		else
			nvals++;
	if (nvals == 0) {
		free(q);
		json_decref(all);
		return cli_fail("lookup: give one or more values");
	}
	if (!(st = cli_store(c, 0))) {
		free(q);
		json_decref(all);
		return 2;
	}
	for (int i = 0; i < c->argc; i++) {
		const char *v = c->argv[i];
		char err[512];
		if (!strcmp(v, "--json"))
			continue;
		if (obs_parse(v, strlen(v), OBS_NONE, q, err, sizeof err)) {
			errors++;
			if (as_json)
				json_array_append_new(all, json_pack("{s:s, s:s}", "value", v, "error", err));
			else
				fprintf(stderr, "c5hub: lookup: %s\n", err);
			continue;
		}
		look_t l = {.q = q, .matches = json_array(), .json = as_json};
		if (!as_json)
			printf("%s  %s  %s\n", v, obs_type_name(q->type), q->value);
		if (look_all(st, &l)) {
			errors++;
			fprintf(stderr, "c5hub: lookup: %s\n", store_errmsg(st));
			json_decref(l.matches);
			continue;
		}
		size_t n = json_array_size(l.matches);
		matched += n > 0;
		if (as_json)
			json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:b, s:o}", "value", v,
							     "type", obs_type_name(q->type), "canonical",
							     q->value, "listed", n > 0, "matches", l.matches));
		else {
			if (n == 0)
				printf("  (no match)\n");
			json_decref(l.matches);
		}
	}
	if (as_json) {
		char *s = json_dumps(all, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
	}
	json_decref(all);
	store_close(st);
	free(q);
	return errors ? 2 : matched ? 0 : 1;
}

/* ---- serve ---- */

int cli_serve(cli_t *c)
{
	const char *addr = "127.0.0.1:8080", *min_score = NULL, *dns_tlp = NULL;
	dns_server_opts_t d = {.max_tlp = TLP_GREEN};
	hub_t *h;
	http_server_t *srv;
	dns_server_t *dns = NULL;
	char err[512];
	sigset_t set;
	int sig, r;

	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--http", &addr)) || (r = cli_opt(c, &i, "--dns", &d.addr)) ||
		    (r = cli_opt(c, &i, "--ip-zone", &d.ip_zone)) ||
		    (r = cli_opt(c, &i, "--domain-zone", &d.domain_zone)) ||
		    (r = cli_opt(c, &i, "--hash-zone", &d.hash_zone)) ||
		    (r = cli_opt(c, &i, "--min-score", &min_score)) ||
		    (r = cli_opt(c, &i, "--dns-tlp", &dns_tlp)) ||
		    (r = cli_opt(c, &i, "--dns-txt", &d.txt))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("serve: unexpected argument '%s'", c->argv[i]);
	}
	if (min_score) {
		char *end;
		long v = strtol(min_score, &end, 10);
		if (*end || v < 0 || v > 100)
			return cli_fail("serve: --min-score must be 0 to 100");
		d.min_score = (int)v;
	}
	if (dns_tlp && tlp_parse(dns_tlp, &d.max_tlp))
		return cli_fail("serve: unknown --dns-tlp '%s'", dns_tlp);
	if (!d.addr && (d.ip_zone || d.domain_zone || d.hash_zone))
		return cli_fail("serve: zones need --dns ADDR:PORT");
	/* block the stop signals in every thread; the main thread waits for them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (hub_open(&h, c->db, err, sizeof err))
		return cli_fail("serve: %s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (hub_start_refresher(h) || http_start(h, addr, &srv, err, sizeof err)) {
		hub_close(h);
		return cli_fail("serve: %s", err);
	}
	if (d.addr && dns_server_start(h, &d, &dns, err, sizeof err)) {
		http_stop(srv);
		hub_close(h);
		return cli_fail("serve: %s", err);
	}
	idx_stats_t s;
	idx_stats(idx_enter(h->idx), &s);
	idx_leave(h->idx);
	char host[128];
	snprintf(host, sizeof host, "%s", addr);
	char *colon = strrchr(host, ':');
	if (colon)
		*colon = '\0';
	printf("c5hub: %zu indicators indexed in %.2f s (%zu bytes)\n"
	       "c5hub: serving http://%s:%u/ (database %s)\n",
	       s.indicators, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       s.bytes, host, http_port(srv), c->db);
	if (dns) {
		snprintf(host, sizeof host, "%s", d.addr);
		if ((colon = strrchr(host, ':')))
			*colon = '\0';
		printf("c5hub: DNS blocklist on udp+tcp %s port %u (zones:%s%s%s%s%s%s; tlp <= %s, "
		       "score >= %d)\n", host, dns_server_port(dns), d.ip_zone ? " ip " : "",
		       d.ip_zone ? d.ip_zone : "", d.domain_zone ? " domain " : "",
		       d.domain_zone ? d.domain_zone : "", d.hash_zone ? " hash " : "",
		       d.hash_zone ? d.hash_zone : "", tlp_name(d.max_tlp), d.min_score);
	}
	fflush(stdout);
	sigwait(&set, &sig);
	printf("c5hub: stopping\n");
	dns_server_stop(dns);
	http_stop(srv);
	hub_close(h);
	return 0;
}

/* ---- export ---- */

int cli_export(cli_t *c)
{
	export_opts_t o = {.max_tlp = TLP_GREEN};
	const char *fmt = NULL, *type = NULL, *tlp = NULL, *score = NULL, *output = NULL;
	char err[512];
	long n = 0;
	int r;

	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--format", &fmt)) || (r = cli_opt(c, &i, "--type", &type)) ||
		    (r = cli_opt(c, &i, "--tlp-max", &tlp)) || (r = cli_opt(c, &i, "--min-score", &score)) ||
		    (r = cli_opt(c, &i, "--output", &output))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("export: unexpected argument '%s'", c->argv[i]);
	}
	if (!fmt || export_format_parse(fmt, &o.format))
		return cli_fail("export: --format must be rbldnsd, plain, csv, suricata-iprep, "
				"zeek-intel or rpz");
	if (type && (o.type = obs_type_from_name(type)) == OBS_NONE)
		return cli_fail("export: unknown --type '%s'", type);
	if (tlp && tlp_parse(tlp, &o.max_tlp))
		return cli_fail("export: unknown TLP '%s'", tlp);
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
	/* write to a temporary file and rename: a reader never sees half a list */
	char tmp[4096];
	FILE *out = stdout;
	if (output) {
		snprintf(tmp, sizeof tmp, "%s.tmp", output);
		if (!(out = fopen(tmp, "w"))) {
			store_close(st);
			return cli_fail("export: %s: cannot write", tmp);
		}
	}
	int rc = export_write(st, &o, out, &n, err, sizeof err);
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
	return 0;
}
