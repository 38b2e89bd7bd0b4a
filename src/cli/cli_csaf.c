/* cli_csaf.c — `c5hub advisory new|edit|list|show|publish|export`: the
 * hub's advisories as CSAF 2.0 (csaf.h), and `c5hub ingest --format csaf
 * FILE|URL`: other providers' advisories kept as mirrors.  Every change is
 * audited ("cli <user>"). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "cli.h"
#include "csaf/csaf.h"
#include "hub/hub.h"

static audit_entry_t cli_who(char *actor, size_t n)
{
	audit_cli_actor(actor, n);
	return (audit_entry_t){.org_id = 0, .actor = actor, .addr = "local"};
}

static int adv_save(cli_t *c, int create)
{
	const char *file = NULL, *verb = create ? "new" : "edit";
	if (c->argc != 2)
		return cli_fail("usage: c5hub advisory %s FILE.json (the advisory's fields, - for standard input)",
				verb);
	file = c->argv[1];
	size_t len;
	char err[700], path[200], actor[64];
	char *text = csaf_read(!strcmp(file, "-") ? "/dev/stdin" : file, &len, err, sizeof err);
	if (!text)
		return cli_fail("advisory %s: %s", verb, err);
	json_error_t je;
	json_t *adv = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	if (!adv)
		return cli_fail("advisory %s: %s:%d: not JSON: %s", verb, file, je.line, je.text);
	store_t *st = cli_store(c, 0);
	store_adv_t a;
	int rc = 0;
	if (!st) {
		json_decref(adv);
		return 2;
	}
	audit_entry_t who = cli_who(actor, sizeof actor);
	int r = csaf_save(st, &who, adv, create, &a, path, sizeof path, err, sizeof err);
	if (r == -1)
		rc = cli_fail("advisory %s: %s: %s: %s", verb, file, path, err);
	else if (r)
		rc = cli_fail("advisory %s: %s", verb, err);
	else {
		printf("%s %s (%s)\n", a.tracking_id, create ? "created" : "saved",
		       a.version ? "published before: publish again to send the changes" : "draft");
		store_adv_clear(&a);
	}
	json_decref(adv);
	store_close(st);
	return rc;
}

static int list_cb(void *arg, const store_adv_t *a)
{
	(void)arg;
	char when[MODEL_TIME_LEN];
	printf("%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", a->tracking_id, a->status, a->version, tlp_name(a->tlp),
	       a->category, a->current_date ? model_time_fmt(a->current_date, when) : "-",
	       a->mirror ? a->source : "own", a->title);
	return 0;
}

static int adv_list(cli_t *c)
{
	int mirrors = 0, published = 0;
	for (int i = 1; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--mirrors"))
			mirrors = 1;
		else if (!strcmp(c->argv[i], "--published"))
			published = 1;
		else
			return cli_fail("usage: c5hub advisory list [--published] [--mirrors]");
	}
	store_t *st = cli_store(c, 0);
	tlp_view_t all = TLP_VIEW_ALL;
	if (!st)
		return 2;
	int rc = store_adv_list(st, &all, published, mirrors, 0, list_cb, NULL)
			 ? cli_fail("advisory list: %s", store_errmsg(st)) : 0;
	store_close(st);
	return rc;
}

static int rev_print(void *arg, int number, int64_t date, const char *summary)
{
	(void)arg;
	char when[MODEL_TIME_LEN];
	printf("revision %d\t%s\t%s\n", number, model_time_fmt(date, when), summary);
	return 0;
}

static int adv_show(cli_t *c)
{
	if (c->argc != 2)
		return cli_fail("usage: c5hub advisory show ID");
	store_t *st = cli_store(c, 0);
	store_adv_t a;
	if (!st)
		return 2;
	if (store_adv_get(st, c->argv[1], &a)) {
		int rc = cli_fail("advisory show: %s", store_errmsg(st));
		store_close(st);
		return rc;
	}
	char when[MODEL_TIME_LEN];
	printf("id\t%s\ntitle\t%s\ncategory\t%s\ntlp\t%s\nstatus\t%s\nversion\t%d\n", a.tracking_id, a.title,
	       a.category, tlp_name(a.tlp), a.status, a.version);
	if (a.current_date)
		printf("current_release_date\t%s\n", model_time_fmt(a.current_date, when));
	if (a.mirror)
		printf("mirror of\t%s\n", a.source);
	else
		store_adv_revs(st, a.id, rev_print, NULL);
	printf("fields\t%s\n", a.data);
	store_adv_clear(&a);
	store_close(st);
	return 0;
}

static int adv_publish(cli_t *c)
{
	const char *summary = NULL, *id = NULL;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--summary", &summary))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (id || c->argv[i][0] == '-')
			return cli_fail("usage: c5hub advisory publish ID [--summary TEXT]");
		id = c->argv[i++];
	}
	if (!id)
		return cli_fail("usage: c5hub advisory publish ID [--summary TEXT]");
	store_t *st = cli_store(c, 0);
	store_adv_t a;
	char err[700], actor[64];
	int rc = 0;
	if (!st)
		return 2;
	audit_entry_t who = cli_who(actor, sizeof actor);
	if (csaf_publish(st, &who, id, summary, &a, err, sizeof err))
		rc = cli_fail("advisory publish: %s", err);
	else {
		printf("%s published: revision %d (%s)\n", a.tracking_id, a.version, tlp_name(a.tlp));
		store_adv_clear(&a);
	}
	store_close(st);
	return rc;
}

static int adv_export(cli_t *c)
{
	const char *out = NULL, *id = NULL;
	int preview = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--out", &out))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!strcmp(c->argv[i], "--preview")) {
			preview = 1;
			i++;
			continue;
		}
		if (id || c->argv[i][0] == '-')
			return cli_fail("usage: c5hub advisory export ID [--preview] [--out FILE]");
		id = c->argv[i++];
	}
	if (!id)
		return cli_fail("usage: c5hub advisory export ID [--preview] [--out FILE]");
	store_t *st = cli_store(c, 0);
	store_adv_t a = {0};
	char err[700];
	char *text = NULL;
	int rc = 0;
	if (!st)
		return 2;
	if (preview) {
		json_t *doc = csaf_preview(st, id, err, sizeof err);
		if (!doc) {
			rc = cli_fail("advisory export: %s", err);
			goto out;
		}
		text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(doc);
	} else {
		if (store_adv_get(st, id, &a)) {
			rc = cli_fail("advisory export: %s", store_errmsg(st));
			goto out;
		}
		if (!a.doc) {
			rc = cli_fail("advisory export: %s is not published yet (--preview shows what it would be)", id);
			goto out;
		}
		text = strdup(a.doc);
	}
	if (!text) {
		rc = cli_fail("advisory export: out of memory");
		goto out;
	}
	FILE *f = out ? fopen(out, "w") : stdout;
	if (!f) {
		rc = cli_fail("advisory export: %s: cannot write", out);
		goto out;
	}
	fputs(text, f);
	if (out && fclose(f))
		rc = cli_fail("advisory export: %s: cannot write", out);
out:
	free(text);
	store_adv_clear(&a);
	store_close(st);
	return rc;
}

static int adv_subscribe(cli_t *c, int on)
{
	store_t *st;
	char err[400], actor[64];
	int rc = 0;
	if (c->argc != 2)
		return cli_fail("usage: c5hub advisory %s EMAIL", on ? "subscribe" : "unsubscribe");
	if (!(st = cli_store(c, 0)))
		return 2;
	audit_entry_t who = cli_who(actor, sizeof actor);
	if (csaf_subscribe(st, &who, c->argv[1], on, err, sizeof err))
		rc = cli_fail("advisory %s: %s", on ? "subscribe" : "unsubscribe", err);
	else
		printf("%s %s\n", c->argv[1], on ? "subscribed (CLEAR advisories)" : "unsubscribed");
	store_close(st);
	return rc;
}

static int adv_subscribers(cli_t *c)
{
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	char *l = csaf_subscribers(st);
	fputs(l ? l : "", stdout);
	free(l);
	store_close(st);
	return 0;
}

int cli_advisory(cli_t *c)
{
	const char *sub = c->argc ? c->argv[0] : "";
	if (!strcmp(sub, "new"))
		return adv_save(c, 1);
	if (!strcmp(sub, "edit"))
		return adv_save(c, 0);
	if (!strcmp(sub, "list"))
		return adv_list(c);
	if (!strcmp(sub, "show"))
		return adv_show(c);
	if (!strcmp(sub, "publish"))
		return adv_publish(c);
	if (!strcmp(sub, "export"))
		return adv_export(c);
	if (!strcmp(sub, "subscribe") || !strcmp(sub, "unsubscribe"))
		return adv_subscribe(c, sub[0] == 's');
	if (!strcmp(sub, "subscribers"))
		return adv_subscribers(c);
	return cli_fail("usage: c5hub advisory new|edit|list|show|publish|export|subscribe|unsubscribe|subscribers (c5hub help advisory)");
}

int cli_ingest_csaf(cli_t *c, const char *const *files, int nfiles, const char *org)
{
	store_t *st = cli_store(c, 0);
	int64_t org_id;
	tlp_t t;
	char err[900], actor[64];
	int rc = 0;
	if (!st)
		return 2;
	if (hub_read_settings(st, &org_id, &t)) {
		rc = cli_fail("ingest: hub settings missing; run c5hub init");
		goto out;
	}
	if (org) {
		org_t og;
		if (store_org_find(st, org, &og)) {
			rc = cli_fail("ingest: %s", store_errmsg(st));
			goto out;
		}
		org_id = og.id;
	}
	audit_entry_t who = cli_who(actor, sizeof actor);
	for (int i = 0; i < nfiles; i++) {
		size_t len;
		store_adv_t a;
		const char *f = !strcmp(files[i], "-") ? "/dev/stdin" : files[i];
		char *text = csaf_read(f, &len, err, sizeof err);
		if (!text) {
			rc = cli_fail("ingest: %s", err);
			continue;
		}
		if (csaf_import(st, &who, text, len, files[i], org_id, &a, err, sizeof err))
			rc = cli_fail("ingest: %s: %s", files[i], err);
		else {
			printf("%s: advisory %s version %d kept (mirror)\n", files[i], a.tracking_id, a.version);
			store_adv_clear(&a);
		}
		free(text);
	}
out:
	store_close(st);
	return rc;
}
