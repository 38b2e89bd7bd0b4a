/* cli_serve.c — `c5hub serve`: the HTTP API and the DNS blocklist, from
 * options or a configuration file whose keys are the option names. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "dns/dns_server.h"
#include "http/http.h"
#include "hub/hub.h"
#include "pki/pki.h"
#include "watch/watch.h"

static const char *const serve_keys[] = {
	"http", "dns", "ip-zone", "domain-zone", "hash-zone", "min-score", "dns-tlp", "dns-txt",
	"dns-threads", "reputation", "db", "tls", "smtp", "notify", "feeds", "sla", NULL,
};

typedef struct {
	const char *addr, *min_score, *dns_tlp, *threads, *rep_file, *db, *smtp, *notify_file;
	const char *sla_file;
	int tls, no_feeds;
	dns_server_opts_t d;
} serve_opts_t;

/* One option (from the command line or the file); 1 taken, 0 not ours, -1 error. */
static int serve_opt(cli_t *c, int *i, serve_opts_t *o)
{
	int r;
	if (!strcmp(c->argv[*i], "--no-feeds") || !strcmp(c->argv[*i], "--feeds")) {
		/* the feed scheduler; "feeds = yes|no" in a file */
		o->no_feeds = !strcmp(c->argv[(*i)++], "--no-feeds");
		if (*i < c->argc && (!strcmp(c->argv[*i], "yes") || !strcmp(c->argv[*i], "no")))
			o->no_feeds = !strcmp(c->argv[(*i)++], "no");
		return 1;
	}
	if (!strcmp(c->argv[*i], "--tls")) { /* a flag; "tls = yes|no" in a file */
		o->tls = 1;
		(*i)++;
		if (*i < c->argc && (!strcmp(c->argv[*i], "yes") || !strcmp(c->argv[*i], "no")))
			o->tls = !strcmp(c->argv[(*i)++], "yes");
		return 1;
	}
	if ((r = cli_opt(c, i, "--http", &o->addr)) || (r = cli_opt(c, i, "--dns", &o->d.addr)) ||
	    (r = cli_opt(c, i, "--ip-zone", &o->d.ip_zone)) ||
	    (r = cli_opt(c, i, "--domain-zone", &o->d.domain_zone)) ||
	    (r = cli_opt(c, i, "--hash-zone", &o->d.hash_zone)) ||
	    (r = cli_opt(c, i, "--min-score", &o->min_score)) ||
	    (r = cli_opt(c, i, "--dns-tlp", &o->dns_tlp)) || (r = cli_opt(c, i, "--dns-txt", &o->d.txt)) ||
	    (r = cli_opt(c, i, "--dns-threads", &o->threads)) ||
	    (r = cli_opt(c, i, "--reputation", &o->rep_file)) || (r = cli_opt(c, i, "--db", &o->db)) ||
	    (r = cli_opt(c, i, "--smtp", &o->smtp)) || (r = cli_opt(c, i, "--notify", &o->notify_file)) ||
	    (r = cli_opt(c, i, "--sla", &o->sla_file)))
		return r;
	return 0;
}

static int number(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Check the options; a message naming the option (and the file and line
 * when it came from --config) on error. */
static int serve_check(serve_opts_t *o, const cli_conf_t *conf)
{
	char at[4200];
#define AT(v) cli_conf_where(conf, v, at, sizeof at)
	if (o->min_score && number(o->min_score, 0, 100, &o->d.min_score))
		return cli_fail("serve: %smin-score must be a whole number from 0 to 100, not '%s'",
				AT(o->min_score), o->min_score);
	if (o->threads && number(o->threads, 1, 16, &o->d.threads))
		return cli_fail("serve: %sdns-threads must be 1 to 16, not '%s'", AT(o->threads), o->threads);
	if (o->dns_tlp && tlp_parse(o->dns_tlp, &o->d.max_tlp))
		return cli_fail("serve: %sunknown dns-tlp '%s'", AT(o->dns_tlp), o->dns_tlp);
	if (o->smtp && strncmp(o->smtp, "smtp://", 7) && strncmp(o->smtp, "smtps://", 8))
		return cli_fail("serve: %ssmtp: give smtp://HOST:PORT, not '%s'", AT(o->smtp), o->smtp);
#undef AT
	if (o->d.max_tlp == TLP_RED)
		return cli_fail("serve: TLP:RED is never served by DNS; dns-tlp goes up to amber+strict");
	if (!o->d.addr && (o->d.ip_zone || o->d.domain_zone || o->d.hash_zone))
		return cli_fail("serve: zones need dns ADDR:PORT");
	if (o->d.addr && !o->d.ip_zone && !o->d.domain_zone && !o->d.hash_zone)
		return cli_fail("serve: dns needs at least one of ip-zone, domain-zone, hash-zone");
	return 0;
}

static void print_banner(const serve_opts_t *o, const char *db, hub_t *h, http_server_t *srv,
			 dns_server_t *dns, double build_s)
{
	idx_stats_t s;
	char host[128], shown[1024];
	idx_stats(idx_enter(h->idx), &s);
	idx_leave(h->idx);
	snprintf(host, sizeof host, "%s", o->addr);
	char *colon = strrchr(host, ':');
	if (colon)
		*colon = '\0';
	printf("c5hub: %zu indicators indexed in %.2f s (%zu bytes)\n"
	       "c5hub: serving %s://%s:%u/ (database %s)\n",
	       s.indicators, build_s, s.bytes, o->tls ? "https" : "http", host, http_port(srv),
	       store_shown(db, shown, sizeof shown));
	if (!dns)
		return;
	const dns_server_opts_t *d = &o->d;
	snprintf(host, sizeof host, "%s", d->addr);
	if ((colon = strrchr(host, ':')))
		*colon = '\0';
	printf("c5hub: DNS blocklist on udp+tcp %s port %u (zones:%s%s%s%s%s%s; tlp <= %s, "
	       "score >= %d)\n", host, dns_server_port(dns), d->ip_zone ? " ip " : "",
	       d->ip_zone ? d->ip_zone : "", d->domain_zone ? " domain " : "",
	       d->domain_zone ? d->domain_zone : "", d->hash_zone ? " hash " : "",
	       d->hash_zone ? d->hash_zone : "", tlp_name(d->max_tlp), d->min_score);
}

static void tls_free(http_tls_t *t)
{
	if (t->key)
		explicit_bzero((char *)t->key, strlen(t->key)); /* not dropped before free */
	free((char *)t->key);
	free((char *)t->cert);
	free((char *)t->ca);
	memset(t, 0, sizeof *t);
}

/* The server certificate, key and CA of the PKI directory (`pki init`). */
static int load_tls(hub_t *h, http_tls_t *t)
{
	char dir[4096], path[4200], err[512];
	size_t len;
	store_t *st = hub_store_get(h);
	int rc = st ? store_setting_get(st, "pki_dir", dir, sizeof dir) : STORE_ERR;
	hub_store_put(h, st);
	if (rc)
		return cli_fail("serve: --tls needs a certificate authority; run `c5hub pki init`");
	static const char *const files[] = {"server.pem", "server.key", "ca.pem"};
	const char **slots[] = {&t->cert, &t->key, &t->ca};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (!(*slots[i] = pki_read_file(path, &len, err, sizeof err))) {
			tls_free(t);
			return cli_fail("serve: %s", err);
		}
	}
	return 0;
}

int cli_serve(cli_t *c)
{
	serve_opts_t o = {.addr = "127.0.0.1:8080", .d = {.max_tlp = TLP_GREEN}};
	const char *config = NULL;
	cli_conf_t conf = {0};
	hub_t *h;
	http_server_t *srv;
	dns_server_t *dns = NULL;
	watch_t *watch = NULL;
	char err[512];
	sigset_t set;
	int sig, r, rc = 2;

	/* the file first, then the command line over it */
	for (int i = 0; i < c->argc; i++)
		if (cli_opt(c, &i, "--config", &config) > 0)
			break;
	if (config && cli_conf_read(config, serve_keys, &conf))
		return 2;
	for (int i = 0; i < conf.c.argc;) {
		if ((r = serve_opt(&conf.c, &i, &o)) < 0)
			goto out;
		if (r == 0) { /* a flag's value that is not yes or no */
			char at[4200];
			cli_fail("serve: %s%s: give yes or no, not '%s'",
				 cli_conf_where(&conf, conf.c.argv[i], at, sizeof at), conf.c.argv[i - 1] + 2,
				 conf.c.argv[i]);
			goto out;
		}
	}
	for (int i = 0; i < c->argc;) {
		const char *skip;
		if ((r = serve_opt(c, &i, &o)) || (r = cli_opt(c, &i, "--config", &skip))) {
			if (r < 0)
				goto out;
			continue;
		}
		cli_fail("serve: unexpected argument '%s'", c->argv[i]);
		goto out;
	}
	if (serve_check(&o, &conf))
		goto out;
	const char *db = o.db && !c->db_given ? o.db : c->db;

	/* block the stop signals in every thread; the main thread waits for them */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (hub_open(&h, db, o.rep_file, err, sizeof err)) {
		cli_fail("serve: %s", err);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	http_tls_t tls = {0};
	if (o.tls && load_tls(h, &tls)) {
		hub_close(h);
		goto out;
	}
	if (hub_start_refresher(h) || http_start(h, o.addr, o.tls ? &tls : NULL, &srv, err, sizeof err)) {
		hub_close(h);
		tls_free(&tls);
		cli_fail("serve: %s", err);
		goto out;
	}
	tls_free(&tls);
	if (o.d.addr && dns_server_start(h, &o.d, &dns, err, sizeof err)) {
		http_stop(srv);
		hub_close(h);
		cli_fail("serve: %s", err);
		goto out;
	}
	watch_sla_file(o.sla_file);
	if (watch_start(h, o.notify_file, o.smtp, !o.no_feeds, &watch, err, sizeof err)) {
		cli_fail("serve: %s", err);
		goto stop;
	}
	print_banner(&o, db, h, srv, dns,
		     (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fflush(stdout);
	sigwait(&set, &sig);
	printf("c5hub: stopping\n");
	rc = 0;
stop:
	watch_stop(watch);
	dns_server_stop(dns);
	http_stop(srv);
	hub_close(h);
out:
	cli_conf_free(&conf);
	return rc;
}
