/* cli_taxii.c — `c5hub taxii ...`: the hub's TAXII 2.1 collections (who may
 * read and write each) and the TAXII client (taxii.h): polling a peer's
 * collection into one of ours, and pushing ours to a peer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "core/util.h"
#include "hub/hub.h"
#include "stix/stix.h"
#include "taxii/taxii.h"

/* "all" or "ORG[,ORG...]": grant each the right(s) on cid (added to those
 * it has). */
static int grant_list(store_t *st, int64_t cid, const char *list, int rd, int wr)
{
	char buf[2048];
	if (!strcmp(list, "all"))
		return store_coll_grant(st, cid, STORE_COLL_ALL, rd, wr);
	snprintf(buf, sizeof buf, "%s", list);
	for (char *save = NULL, *name = strtok_r(buf, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		org_t og;
		if (store_org_find(st, name, &og) || store_coll_grant(st, cid, og.id, rd, wr))
			return -1;
	}
	return 0;
}

static int coll_add(cli_t *c)
{
	store_coll_t co = {.tlp = TLP_AMBER};
	const char *title = NULL, *desc = "", *tlp = NULL, *rd = NULL, *wr = NULL, *alias = NULL;
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--title", &title)) || (r = cli_opt(c, &i, "--description", &desc)) ||
		    (r = cli_opt(c, &i, "--tlp", &tlp)) || (r = cli_opt(c, &i, "--read", &rd)) ||
		    (r = cli_opt(c, &i, "--write", &wr))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (alias || c->argv[i][0] == '-')
			return cli_fail("taxii collection add: unexpected argument '%s'", c->argv[i]);
		alias = c->argv[i++];
	}
	if (!model_name_ok(alias))
		return cli_fail("taxii collection add: give a short name (1 to %d printable bytes)",
				MODEL_NAME_MAX);
	if (tlp && tlp_parse(tlp, &co.tlp))
		return cli_fail("taxii collection add: unknown --tlp '%s'", tlp);
	snprintf(co.alias, sizeof co.alias, "%s", alias);
	snprintf(co.title, sizeof co.title, "%s", title ? title : alias);
	snprintf(co.description, sizeof co.description, "%s", desc);
	stix_uuid4(co.id);
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc = store_begin(st) || store_coll_add(st, &co) ||
		 (rd && grant_list(st, co.cid, rd, 1, 0)) || (wr && grant_list(st, co.cid, wr, 0, 1)) ||
		 cli_audit_commit(st, "taxii.collection", co.alias, co.id);
	if (rc) {
		store_rollback(st);
		rc = cli_fail("taxii collection add: %s", store_errmsg(st));
	} else {
		printf("%s\n", co.id);
	}
	store_close(st);
	return rc;
}

static int print_coll(void *arg, const store_coll_t *c)
{
	(void)arg;
	printf("%-36s %-20s %-12s %s\n", c->id, c->alias, tlp_name(c->tlp), c->title);
	return 0;
}

static int coll_list(cli_t *c)
{
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	printf("%-36s %-20s %-12s %s\n", "ID", "ALIAS", "DEFAULT-TLP", "TITLE");
	int rc = store_coll_list(st, -1, print_coll, NULL) ? cli_fail("%s", store_errmsg(st)) : 0;
	store_close(st);
	return rc;
}

/* taxii grant COLLECTION all|ORG,... [--read] [--write] */
static int grant(cli_t *c)
{
	int rd = 0, wr = 0;
	const char *who = NULL, *coll = NULL;
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--read"))
			rd = 1;
		else if (!strcmp(c->argv[i], "--write"))
			wr = 1;
		else if (c->argv[i][0] == '-')
			return cli_fail("taxii grant: unknown option '%s'", c->argv[i]);
		else if (!coll)
			coll = c->argv[i];
		else if (!who)
			who = c->argv[i];
		else
			return cli_fail("taxii grant: unexpected argument '%s'", c->argv[i]);
	}
	if (!coll || !who || (!rd && !wr))
		return cli_fail("usage: c5hub taxii grant COLLECTION all|ORG,... --read|--write");
	store_t *st = cli_store(c, 0);
	store_coll_t co;
	if (!st)
		return 2;
	int rc = store_begin(st) || store_coll_get(st, coll, -1, &co) ||
		 grant_list(st, co.cid, who, rd, wr) || cli_audit_commit(st, "taxii.grant", co.alias, who);
	if (rc) {
		store_rollback(st);
		rc = cli_fail("taxii grant: %s", store_errmsg(st));
	}
	store_close(st);
	return rc;
}

/* taxii peer add NAME --url API_ROOT --collection ID --org PEER-ORG
 *   [--token T] [--into ALIAS] [--push-from ALIAS] [--every 15m] */
static int peer_add(cli_t *c)
{
	store_peer_t p = {.every = 900};
	const char *name = NULL, *url = NULL, *coll = NULL, *org = NULL, *token = "", *into = NULL,
		   *push = NULL, *every = NULL, *cacert = "", *cert = "", *key = "";
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--url", &url)) || (r = cli_opt(c, &i, "--collection", &coll)) ||
		    (r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--token", &token)) ||
		    (r = cli_opt(c, &i, "--into", &into)) || (r = cli_opt(c, &i, "--push-from", &push)) ||
		    (r = cli_opt(c, &i, "--every", &every)) || (r = cli_opt(c, &i, "--cacert", &cacert)) ||
		    (r = cli_opt(c, &i, "--cert", &cert)) || (r = cli_opt(c, &i, "--key", &key))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (name || c->argv[i][0] == '-')
			return cli_fail("taxii peer add: unexpected argument '%s'", c->argv[i]);
		name = c->argv[i++];
	}
	if (!model_name_ok(name) || !url || !coll || !org)
		return cli_fail("usage: c5hub taxii peer add NAME --url API_ROOT --collection ID --org "
				"PEER-ORG [--token T] [--into ALIAS] [--push-from ALIAS] [--every 15m] "
				"[--cacert F] [--cert F --key F]");
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return cli_fail("taxii peer add: --url must be an http:// or https:// API root");
	if (every && (model_duration_parse(every, &p.every) || p.every < 10))
		return cli_fail("taxii peer add: --every: a period of at least 10s (\"15m\", \"1h\")");
	if (strlen(url) >= sizeof p.url || strlen(coll) >= sizeof p.collection ||
	    strlen(token) >= sizeof p.token || strlen(cacert) >= sizeof p.cacert ||
	    strlen(cert) >= sizeof p.cert || strlen(key) >= sizeof p.key)
		return cli_fail("taxii peer add: an option's value is too long");
	if (!*cert != !*key)
		return cli_fail("taxii peer add: --cert and --key go together");
	snprintf(p.cacert, sizeof p.cacert, "%s", cacert);
	snprintf(p.cert, sizeof p.cert, "%s", cert);
	snprintf(p.key, sizeof p.key, "%s", key);
	snprintf(p.name, sizeof p.name, "%s", name);
	snprintf(p.url, sizeof p.url, "%s", url);
	snprintf(p.collection, sizeof p.collection, "%s", coll);
	snprintf(p.token, sizeof p.token, "%s", token);
	store_t *st = cli_store(c, 0);
	store_coll_t co;
	org_t og;
	int rc = 0;
	if (!st)
		return 2;
	if (store_org_find(st, org, &og)) {
		rc = cli_fail("taxii peer add: %s", store_errmsg(st));
		goto out;
	}
	p.org_id = og.id;
	if (into && store_coll_get(st, into, -1, &co) == 0)
		p.into_cid = co.cid;
	else if (into) {
		rc = cli_fail("taxii peer add: --into: no collection '%s'", into);
		goto out;
	}
	if (push && store_coll_get(st, push, -1, &co) == 0)
		p.push_cid = co.cid;
	else if (push) {
		rc = cli_fail("taxii peer add: --push-from: no collection '%s'", push);
		goto out;
	}
	if (store_begin(st) || store_peer_add(st, &p) || cli_audit_commit(st, "taxii.peer", p.name, p.url)) {
		rc = cli_fail("taxii peer add: %s", store_errmsg(st));
		store_rollback(st);
	} else {
		printf("peer %s: polled every %llds (the server does it; `c5hub taxii sync` now)\n", p.name,
		       (long long)p.every);
	}
out:
	store_close(st);
	return rc;
}

static int print_peer(void *arg, const store_peer_t *p)
{
	char last[32] = "never";
	(void)arg;
	if (p->last_run)
		model_time_fmt(p->last_run, last);
	/* never the token: only whether there is one */
	printf("%-16s %-6s %-8lld %-20s %-8lld %s %s%s\n", p->name, p->token[0] ? "token" : "none",
	       (long long)p->every, last, (long long)p->objects, p->url, p->last_error[0] ? "error: " : "",
	       p->last_error);
	return 0;
}

static int peer_list(cli_t *c)
{
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	printf("%-16s %-6s %-8s %-20s %-8s %s\n", "NAME", "AUTH", "EVERY", "LAST-RUN", "OBJECTS", "URL");
	int rc = store_peer_list(st, print_peer, NULL) ? cli_fail("%s", store_errmsg(st)) : 0;
	store_close(st);
	return rc;
}

typedef struct {
	store_peer_t *p;
	size_t n, cap;
	const char *only;
} peers_t;

static int collect_peer(void *arg, const store_peer_t *p)
{
	peers_t *ps = arg;
	if (ps->only && strcmp(ps->only, p->name))
		return 0;
	if (util_grow(&ps->p, &ps->cap, ps->n + 1, sizeof *ps->p, 4))
		return 1;
	ps->p[ps->n++] = *p;
	return 0;
}

/* taxii sync [NAME]: every configured peer (or one) now */
static int sync_peers(cli_t *c)
{
	peers_t ps = {.only = c->argc > 1 ? c->argv[1] : NULL};
	store_t *st = cli_store(c, STORE_DEFER_CKPT);
	int64_t hub_org;
	tlp_t dflt;
	char err[1024];
	int rc = 0;
	if (!st)
		return 2;
	if (hub_read_settings(st, &hub_org, &dflt) || store_peer_list(st, collect_peer, &ps)) {
		rc = cli_fail("taxii sync: %s", store_errmsg(st));
		goto out;
	}
	if (ps.only && !ps.n)
		rc = cli_fail("taxii sync: no peer '%s'", ps.only);
	for (size_t i = 0; i < ps.n; i++) {
		int64_t before = ps.p[i].objects;
		if (taxii_sync(st, &ps.p[i], hub_org, dflt, (int64_t)time(NULL), err, sizeof err))
			rc = cli_fail("taxii sync: %s: %s", ps.p[i].name, err);
		else
			printf("%s: %lld new objects\n", ps.p[i].name, (long long)(ps.p[i].objects - before));
	}
out:
	free(ps.p);
	store_close(st);
	return rc;
}

int cli_taxii(cli_t *c)
{
	if (c->argc >= 2 && !strcmp(c->argv[0], "collection") && !strcmp(c->argv[1], "add"))
		return coll_add(c);
	if (c->argc == 2 && !strcmp(c->argv[0], "collection") && !strcmp(c->argv[1], "list"))
		return coll_list(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "grant"))
		return grant(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "poll"))
		return cli_taxii_poll(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "push"))
		return cli_taxii_push(c);
	if (c->argc >= 2 && !strcmp(c->argv[0], "peer") && !strcmp(c->argv[1], "add"))
		return peer_add(c);
	if (c->argc == 2 && !strcmp(c->argv[0], "peer") && !strcmp(c->argv[1], "list"))
		return peer_list(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "sync"))
		return sync_peers(c);
	return cli_fail("usage: c5hub taxii collection add ALIAS [--title T] [--description D] "
			"[--tlp TLP] [--read all|ORG,...] [--write all|ORG,...] | taxii collection "
			"list | taxii grant COLLECTION all|ORG,... --read|--write | taxii poll "
			"API_ROOT COLLECTION [--token T] [--into ALIAS] [--org NAME] [--tlp TLP] | taxii push "
			"API_ROOT COLLECTION --from ALIAS --org PEER-ORG [--token T] | taxii peer add NAME --url "
			"API_ROOT --collection ID --org PEER-ORG [--token T] [--into ALIAS] [--push-from "
			"ALIAS] [--every 15m] | taxii peer list | taxii sync [NAME]");
}

/* taxii poll API_ROOT COLLECTION [--token T] [--into ALIAS] [--org NAME]
 *   [--tlp TLP] [--cacert F] [--cert F --key F] [--limit N]
 * --org: the organisation that stands for the peer here (the objects'
 * giver and origin, so nothing is served back to it); the hub's own
 * organisation is made a recipient, so its members read what the peer
 * shared with it. */
int cli_taxii_poll(cli_t *c)
{
	taxii_peer_t p = {0};
	const char *org = NULL, *into = NULL, *tlp = NULL, *limit = NULL, *pos[2] = {0};
	int npos = 0;
	p.token = getenv("C5HUB_TAXII_TOKEN");
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--token", &p.token)) || (r = cli_opt(c, &i, "--into", &into)) ||
		    (r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--tlp", &tlp)) ||
		    (r = cli_opt(c, &i, "--cacert", &p.cacert)) || (r = cli_opt(c, &i, "--cert", &p.cert)) ||
		    (r = cli_opt(c, &i, "--key", &p.key)) || (r = cli_opt(c, &i, "--limit", &limit))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (npos == 2 || c->argv[i][0] == '-')
			return cli_fail("taxii poll: unexpected argument '%s'", c->argv[i]);
		pos[npos++] = c->argv[i++];
	}
	if (npos != 2)
		return cli_fail("usage: c5hub taxii poll API_ROOT COLLECTION [--token T] [--into ALIAS] "
				"[--org NAME] [--tlp TLP] [--cacert F] [--cert F --key F]");
	p.api_root = pos[0];
	p.collection = pos[1];
	if (strncmp(p.api_root, "http://", 7) && strncmp(p.api_root, "https://", 8))
		return cli_fail("taxii poll: the API root must be an http:// or https:// URL");
	if (limit && ((p.limit = atoi(limit)) < 1 || p.limit > 100000))
		return cli_fail("taxii poll: --limit must be 1 to 100000");
	store_t *st = cli_store(c, STORE_DEFER_CKPT);
	if (!st)
		return 2;
	int64_t hub_org;
	char err[1024], source[64] = "taxii";
	stix_import_opts_t o = {.confidence = 50, .source = source};
	int rc = 0;
	if (hub_read_settings(st, &hub_org, &o.tlp)) {
		rc = cli_fail("taxii poll: hub settings missing; run c5hub init");
		goto out;
	}
	o.org_id = hub_org;
	if (tlp && tlp_parse(tlp, &o.tlp)) {
		rc = cli_fail("taxii poll: unknown --tlp '%s'", tlp);
		goto out;
	}
	if (org) {
		org_t og;
		if (store_org_find(st, org, &og)) {
			rc = cli_fail("taxii poll: %s", store_errmsg(st));
			goto out;
		}
		o.org_id = o.origin = og.id;
		o.share[o.nshare++] = hub_org;
		snprintf(source, sizeof source, "taxii:%s", og.name);
	}
	if (into) {
		store_coll_t co;
		if (store_coll_get(st, into, -1, &co)) {
			rc = cli_fail("taxii poll: --into: no collection '%s'", into);
			goto out;
		}
		o.cid = co.cid;
	}
	taxii_poll_result_t res;
	if (taxii_poll(st, &p, &o, &res, err, sizeof err))
		rc = cli_fail("taxii poll: %s", err);
	printf("%s %s: %ld pages, %ld new objects (%ld already here), %ld indicators indexed; "
	       "next poll from %s\n", p.api_root, p.collection, res.pages, res.total.objects,
	       res.total.known, res.total.values, res.last[0] ? res.last : "the start");
out:
	store_close(st);
	return rc;
}

/* taxii push API_ROOT COLLECTION --from ALIAS --org PEER-ORG [--token T]
 *   [--cacert F] [--cert F --key F] [--limit N]
 * --org: the organisation that stands for the peer here; what it may see
 * (as a peer) is what is pushed. */
int cli_taxii_push(cli_t *c)
{
	taxii_peer_t p = {0};
	const char *org = NULL, *from = NULL, *limit = NULL, *pos[2] = {0};
	int npos = 0;
	p.token = getenv("C5HUB_TAXII_TOKEN");
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--token", &p.token)) || (r = cli_opt(c, &i, "--from", &from)) ||
		    (r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--cacert", &p.cacert)) ||
		    (r = cli_opt(c, &i, "--cert", &p.cert)) || (r = cli_opt(c, &i, "--key", &p.key)) ||
		    (r = cli_opt(c, &i, "--limit", &limit))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (npos == 2 || c->argv[i][0] == '-')
			return cli_fail("taxii push: unexpected argument '%s'", c->argv[i]);
		pos[npos++] = c->argv[i++];
	}
	if (npos != 2 || !from || !org)
		return cli_fail("usage: c5hub taxii push API_ROOT COLLECTION --from ALIAS --org PEER-ORG "
				"[--token T] [--cacert F] [--cert F --key F]");
	p.api_root = pos[0];
	p.collection = pos[1];
	if (strncmp(p.api_root, "http://", 7) && strncmp(p.api_root, "https://", 8))
		return cli_fail("taxii push: the API root must be an http:// or https:// URL");
	if (limit && ((p.limit = atoi(limit)) < 1 || p.limit > 10000))
		return cli_fail("taxii push: --limit must be 1 to 10000");
	store_t *st = cli_store(c, 0);
	store_coll_t co;
	org_t og;
	char err[1024];
	taxii_push_result_t res;
	int rc = 0;
	if (!st)
		return 2;
	if (store_org_find(st, org, &og))
		rc = cli_fail("taxii push: %s", store_errmsg(st));
	else if (store_coll_get(st, from, -1, &co))
		rc = cli_fail("taxii push: --from: no collection '%s'", from);
	else if (taxii_push(st, &p, co.cid, og.id, &res, err, sizeof err))
		rc = cli_fail("taxii push: %s", err);
	else
		printf("%s %s: %ld envelopes, %ld objects pushed (%ld new there)\n", p.api_root,
		       p.collection, res.pages, res.objects, res.new_there);
	store_close(st);
	return rc;
}
