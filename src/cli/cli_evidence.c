/* cli_evidence.c — `c5hub evidence add|list|get|custody`: files attached
 * to incidents with their chain of custody (evidence.h).  Every step is
 * also in the audit log.  `c5hub incident list`: the incidents held (STIX
 * incident objects, from IODEF or STIX), so that evidence can name one. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "cli.h"
#include "evidence/evidence.h"
#include "hub/hub.h"

static int ev_add(cli_t *c)
{
	const char *org = NULL, *tlp = NULL, *note = "", *pos[2] = {0};
	int npos = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--tlp", &tlp)) ||
		    (r = cli_opt(c, &i, "--note", &note))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (npos == 2 || c->argv[i][0] == '-')
			return cli_fail("evidence add: unexpected argument '%s'", c->argv[i]);
		pos[npos++] = c->argv[i++];
	}
	if (npos != 2)
		return cli_fail("usage: c5hub evidence add INCIDENT-ID FILE [--org NAME] [--tlp TLP] "
				"[--note TEXT]");
	store_t *st = cli_store(c, 0);
	store_evidence_t e;
	int64_t org_id;
	tlp_t t;
	char err[600], actor[64];
	int rc = 0;
	if (!st)
		return 2;
	if (hub_read_settings(st, &org_id, &t)) {
		rc = cli_fail("evidence add: hub settings missing; run c5hub init");
		goto out;
	}
	t = TLP_AMBER; /* evidence is not for everyone unless said so */
	if (tlp && tlp_parse(tlp, &t)) {
		rc = cli_fail("evidence add: unknown --tlp '%s'", tlp);
		goto out;
	}
	if (org) {
		org_t og;
		if (store_org_find(st, org, &og)) {
			rc = cli_fail("evidence add: %s", store_errmsg(st));
			goto out;
		}
		org_id = og.id;
	}
	audit_cli_actor(actor, sizeof actor);
	if (store_begin(st) ||
	    evidence_add(st, pos[0], pos[1], org_id, t, actor, note, &e, err, sizeof err)) {
		store_rollback(st);
		rc = cli_fail("evidence add: %s", err);
		goto out;
	}
	char obj[40];
	snprintf(obj, sizeof obj, "evidence %lld", (long long)e.id);
	if (cli_audit_commit(st, "evidence.acquired", obj, e.sha256)) {
		rc = cli_fail("evidence add: %s", store_errmsg(st));
		goto out;
	}
	printf("evidence %lld: %s, %lld bytes, sha256 %s, attached to %s\n", (long long)e.id, e.name,
	       (long long)e.size, e.sha256, e.incident);
out:
	store_close(st);
	return rc;
}

static int print_ev(void *arg, const store_evidence_t *e)
{
	char when[32];
	(void)arg;
	model_time_fmt(e->added, when);
	printf("%-5lld %-20s %-10lld %-12s %s %s %s\n", (long long)e->id, when, (long long)e->size,
	       tlp_name(e->tlp), e->sha256, e->incident, e->name);
	return 0;
}

static int ev_list(cli_t *c)
{
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	printf("%-5s %-20s %-10s %-12s %-64s %s\n", "ID", "ADDED", "BYTES", "TLP", "SHA256",
	       "INCIDENT NAME");
	int rc = store_evidence_list(st, c->argc > 1 ? c->argv[1] : NULL, print_ev, NULL)
			 ? cli_fail("%s", store_errmsg(st)) : 0;
	store_close(st);
	return rc;
}

static int ev_get(cli_t *c)
{
	const char *outp = NULL, *reason = "", *id = NULL;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--out", &outp)) || (r = cli_opt(c, &i, "--reason", &reason))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (id || c->argv[i][0] == '-')
			return cli_fail("evidence get: unexpected argument '%s'", c->argv[i]);
		id = c->argv[i++];
	}
	if (!id || !outp)
		return cli_fail("usage: c5hub evidence get ID --out FILE [--reason TEXT]");
	store_t *st = cli_store(c, 0);
	char err[600], actor[64], obj[40];
	int rc = 0;
	if (!st)
		return 2;
	audit_cli_actor(actor, sizeof actor);
	snprintf(obj, sizeof obj, "evidence %s", id);
	if (store_begin(st) || evidence_export(st, atoll(id), outp, actor, reason, err, sizeof err)) {
		store_rollback(st);
		rc = cli_fail("evidence get: %s", err);
	} else if (cli_audit_commit(st, "evidence.exported", obj, outp)) {
		rc = cli_fail("evidence get: %s", store_errmsg(st));
	} else {
		printf("evidence %s written to %s (its SHA-256 checked)\n", id, outp);
	}
	store_close(st);
	return rc;
}

static int print_custody(void *arg, const store_custody_t *cu)
{
	char when[32];
	(void)arg;
	model_time_fmt(cu->at, when);
	printf("%-6lld %-20s %-10s %-24s %s\n", (long long)cu->seq, when, cu->action, cu->actor,
	       cu->detail);
	return 0;
}

static int ev_custody(cli_t *c)
{
	if (c->argc != 2)
		return cli_fail("usage: c5hub evidence custody ID");
	store_t *st = cli_store(c, 0);
	evidence_report_t r;
	char err[300];
	int rc;
	if (!st)
		return 2;
	int64_t id = atoll(c->argv[1]);
	if (store_custody_list(st, id, print_custody, NULL) || evidence_verify(st, id, &r, err, sizeof err)) {
		rc = cli_fail("evidence custody: %s", store_errmsg(st)[0] ? store_errmsg(st) : err);
	} else if (r.bad_seq || !r.data_ok || !r.records) {
		printf("BROKEN: %s\n", r.why);
		rc = 1;
	} else {
		printf("ok: %ld custody records chained, the bytes match their SHA-256\n", r.records);
		rc = 0;
	}
	store_close(st);
	return rc;
}

/* ---- incidents ---- */

typedef struct {
	store_t *st;
	int64_t last;
	long n;
} inc_list_t;

static int print_incident(void *arg, const store_stix_t *o)
{
	inc_list_t *l = arg;
	l->last = o->rid;
	if (strcmp(o->type, "incident"))
		return 0;
	json_t *j = json_loadb(o->json, o->json_len, 0, NULL);
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *made = json_string_value(json_object_get(j, "created"));
	org_t og;
	const char *org = store_org_get(l->st, o->org_id, &og) == STORE_OK ? og.name : "?";
	printf("%-50s %-27s %-20s %-12s %s\n", o->id, made ? made : "-", org, tlp_name(o->tlp),
	       name ? name : "");
	json_decref(j);
	l->n++;
	return 0;
}

int cli_incident(cli_t *c)
{
	if (c->argc != 1 || strcmp(c->argv[0], "list"))
		return cli_fail("usage: c5hub incident list   (the incidents evidence add can name)");
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	inc_list_t l = {.st = st};
	int rc = 0;
	printf("%-50s %-27s %-20s %-12s %s\n", "ID", "CREATED", "ORGANISATION", "TLP", "NAME");
	for (;;) { /* the CLI sees every object; pages by the cursor */
		int64_t before = l.last;
		store_stix_filter_t f = {.view = TLP_VIEW_ALL, .tlp_max = TLP_RED, .after_rid = l.last, .limit = 10000};
		if (store_stix_list(st, &f, print_incident, &l)) {
			rc = cli_fail("incident list: %s", store_errmsg(st));
			break;
		}
		if (l.last == before)
			break;
	}
	if (!rc && l.n == 0)
		printf("(none: ingest --format iodef or a STIX bundle with incident objects)\n");
	store_close(st);
	return rc;
}

int cli_evidence(cli_t *c)
{
	if (c->argc >= 1 && !strcmp(c->argv[0], "add"))
		return ev_add(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "list"))
		return ev_list(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "get"))
		return ev_get(c);
	if (c->argc >= 1 && !strcmp(c->argv[0], "custody"))
		return ev_custody(c);
	return cli_fail("usage: c5hub evidence add INCIDENT-ID FILE [--org NAME] [--tlp TLP] "
			"[--note TEXT] | evidence list [INCIDENT-ID] | evidence get ID --out FILE "
			"[--reason TEXT] | evidence custody ID");
}
