/* cli_case.c — `c5hub case ...`: incident cases from the command line, as
 * the hub's team (the local operator): new, list, show, edit, assign,
 * status, comment, wait, task, link, affected, merge, escalate, export,
 * stats, lifecycle.  Each change is one transaction with its timeline entry
 * and audit record (case.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case/case.h"
#include "case/case_json.h"
#include "cli.h"
#include "core/util.h"
#include "hub/hub.h"
#include "sla/sla_case.h"

typedef struct {
	cli_t *c;
	store_t *st;
	case_actor_t a;
	char actor[64];
	const char *cmd;
} cc_t;

static int cc_open(cc_t *x, cli_t *c, const char *cmd)
{
	memset(x, 0, sizeof *x);
	x->c = c;
	x->cmd = cmd;
	x->a = case_actor_cli(x->actor, sizeof x->actor);
	x->st = cli_store(c, 0);
	if (!x->st)
		return 2;
	int64_t hub;
	tlp_t t;
	if (!hub_read_settings(x->st, &hub, &t))
		x->a.org_id = hub;
	return 0;
}

/* Finish a change: commit, or roll back and say why. */
static int cc_done(cc_t *x, int rc, const char *err)
{
	if (rc) {
		store_rollback(x->st);
		store_close(x->st);
		return cli_fail("case %s: %s", x->cmd, err);
	}
	if (store_commit(x->st)) {
		int r = cli_fail("case %s: %s", x->cmd, store_errmsg(x->st));
		store_rollback(x->st);
		store_close(x->st);
		return r;
	}
	store_close(x->st);
	return 0;
}

static int cc_begin(cc_t *x)
{
	if (store_begin(x->st)) {
		int r = cli_fail("case %s: %s", x->cmd, store_errmsg(x->st));
		store_close(x->st);
		return r;
	}
	return 0;
}

static int parse_version(const char *s, int64_t *v)
{
	char *end;
	long long n = s ? strtoll(s, &end, 10) : 0;
	if (s && (!*s || *end || n < 1))
		return -1;
	*v = n;
	return 0;
}

static int user_id(store_t *st, const char *email, int64_t *id)
{
	store_user_t u;
	if (!email || !strcmp(email, "none")) {
		*id = 0;
		return 0;
	}
	if (store_user_get(st, email, 0, &u))
		return -1;
	*id = u.id;
	return 0;
}

/* case new --title T [--org NAME] [--body TEXT] [--classification C]
 *   [--severity S] [--tlp T] [--team T] [--assignee EMAIL] [--observable V]... */
static int case_new(cli_t *c)
{
	const char *title = NULL, *org = NULL, *body = NULL, *cls = NULL, *sev = NULL, *tlp_s = NULL,
		   *team = NULL, *asg = NULL, *v;
	const char **obs = NULL;
	size_t nobs = 0, cap = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--title", &title)) || (r = cli_opt(c, &i, "--org", &org)) ||
		    (r = cli_opt(c, &i, "--body", &body)) ||
		    (r = cli_opt(c, &i, "--classification", &cls)) ||
		    (r = cli_opt(c, &i, "--severity", &sev)) || (r = cli_opt(c, &i, "--tlp", &tlp_s)) ||
		    (r = cli_opt(c, &i, "--team", &team)) || (r = cli_opt(c, &i, "--assignee", &asg))) {
			if (r < 0)
				goto bad;
			continue;
		}
		if ((r = cli_opt(c, &i, "--observable", &v))) {
			if (r < 0 || util_grow(&obs, &cap, nobs + 1, sizeof *obs, 8))
				goto bad;
			obs[nobs++] = v;
			continue;
		}
		free(obs);
		return cli_fail("case new: unexpected argument '%s'", c->argv[i]);
	}
	if (!title) {
		free(obs);
		return cli_fail("case new: --title is required");
	}
	tlp_t t = TLP_AMBER;
	if (tlp_s && tlp_parse(tlp_s, &t)) {
		free(obs);
		return cli_fail("case new: --tlp: unknown TLP '%s'", tlp_s);
	}
	cc_t x;
	char err[600];
	if (cc_open(&x, c, "new")) {
		free(obs);
		return 2;
	}
	case_new_t n = {.reporter_org = x.a.org_id, .title = title, .body = body, .classification = cls,
			.severity = sev, .tlp = (int)t, .team = team, .observables = obs,
			.nobservables = nobs, .source = "cli"};
	if (org) {
		org_t o;
		if (store_org_find(x.st, org, &o)) {
			free(obs);
			store_close(x.st);
			return cli_fail("case new: --org: no organisation '%s'", org);
		}
		n.reporter_org = o.id;
	}
	if (user_id(x.st, asg, &n.assignee)) {
		free(obs);
		store_close(x.st);
		return cli_fail("case new: --assignee: no person '%s'", asg);
	}
	store_case_t out;
	if (cc_begin(&x)) {
		free(obs);
		return 2;
	}
	int rc = case_open(x.st, &x.a, &n, &out, err, sizeof err);
	free(obs);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s opened (version %lld, %s)\n", out.ref, (long long)out.version, out.status);
	return 0;
bad:
	free(obs);
	return 2;
}

static store_t *cli_case_store; /* print_row's, for the SLA timers */

static int print_row(void *arg, const store_case_t *k)
{
	char when[MODEL_TIME_LEN];
	if (arg) {
		json_array_append_new(arg, case_json_row(k, 1));
		return 0;
	}
	char sla[400];
	int worst;
	sla_case_line(cli_case_store, k, sla_now(), &worst, sla, sizeof sla);
	printf("%-18s %-12s %-8s %-12s %-28s %s  %s%s\n", k->ref, k->status, k->severity, tlp_name(k->tlp),
	       k->classification, model_time_fmt(k->created, when), k->title,
	       worst == SLA_BREACHED ? "  [SLA breached]" : worst == SLA_WARNING ? "  [SLA warning]" : "");
	return 0;
}

/* case list [--status S] [--open] [--org NAME] [--classification C]
 *   [--severity S] [--team T] [--assignee EMAIL] [--q WORDS] [--limit N] [--json] */
static int case_list_cmd(cli_t *c)
{
	const char *status = NULL, *org = NULL, *cls = NULL, *sev = NULL, *team = NULL, *asg = NULL,
		   *q = NULL, *lim = NULL;
	int json = 0, open = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--status", &status)) || (r = cli_opt(c, &i, "--org", &org)) ||
		    (r = cli_opt(c, &i, "--classification", &cls)) ||
		    (r = cli_opt(c, &i, "--severity", &sev)) || (r = cli_opt(c, &i, "--team", &team)) ||
		    (r = cli_opt(c, &i, "--assignee", &asg)) || (r = cli_opt(c, &i, "--q", &q)) ||
		    (r = cli_opt(c, &i, "--limit", &lim))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!strcmp(c->argv[i], "--json") || !strcmp(c->argv[i], "--open")) {
			*(!strcmp(c->argv[i], "--json") ? &json : &open) = 1;
			i++;
			continue;
		}
		return cli_fail("case list: unexpected argument '%s'", c->argv[i]);
	}
	int64_t limit = 100;
	if (lim && (parse_version(lim, &limit) || limit > 1000))
		return cli_fail("case list: --limit: 1 to 1000");
	cc_t x;
	char err[256];
	if (cc_open(&x, c, "list"))
		return 2;
	store_case_filter_t f = {.status = status, .classification = cls, .severity = sev, .team = team,
				 .q = q, .limit = (int)limit, .open = open};
	case_lifecycle_t *lc = NULL;
	int rc = 0;
	if (org) {
		org_t o;
		if (store_org_find(x.st, org, &o)) {
			rc = cli_fail("case list: --org: no organisation '%s'", org);
			goto out;
		}
		f.reporter_org = o.id;
	}
	if (asg && (user_id(x.st, asg, &f.assignee) || !f.assignee)) {
		rc = cli_fail("case list: --assignee: no person '%s'", asg);
		goto out;
	}
	if (open) {
		if (!(lc = case_lifecycle_load(x.st, err, sizeof err))) {
			rc = cli_fail("case list: %s", err);
			goto out;
		}
		f.finals = case_lifecycle_finals(lc);
	}
	json_t *arr = json ? json_array() : NULL;
	cli_case_store = x.st;
	if (case_list(x.st, &x.a, &f, print_row, arr))
		rc = cli_fail("case list: %s", store_errmsg(x.st));
	if (arr) {
		if (!rc)
			json_dumpf(arr, stdout, JSON_INDENT(1)), putchar('\n');
		json_decref(arr);
	}
out:
	case_lifecycle_free(lc);
	store_close(x.st);
	return rc;
}

/* case show REF [--json] [--all]: the newest 100 timeline entries, or
 * with --all every one */
static int case_show(cli_t *c)
{
	int json = 0, all = 0;
	for (int i = 2; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--json"))
			json = 1;
		else if (!strcmp(c->argv[i], "--all"))
			all = 1;
		else
			return cli_fail("usage: c5hub case show REF [--json] [--all]");
	}
	if (c->argc < 2)
		return cli_fail("usage: c5hub case show REF [--json] [--all]");
	cc_t x;
	store_case_t k;
	if (cc_open(&x, c, "show"))
		return 2;
	if (case_get(x.st, &x.a, c->argv[1], &k)) {
		store_close(x.st);
		return cli_fail("case show: case %s: not found", c->argv[1]);
	}
	json_t *o = case_json_page(x.st, &x.a, &k, NULL, NULL, 0, all ? 0 : 100);
	if (json) {
		json_dumpf(o, stdout, JSON_INDENT(1));
		putchar('\n');
	} else {
		char when[MODEL_TIME_LEN];
		size_t i;
		json_t *v;
		printf("%s  %s\n", k.ref, k.title);
		printf("  status %s%s%s, severity %s, TLP:%s, %s, version %lld\n", k.status,
		       k.resolution[0] ? ": " : "", k.resolution, k.severity, tlp_name(k.tlp),
		       k.classification, (long long)k.version);
		printf("  reporter %s, assignee %s, team %s, opened %s\n", k.reporter_name,
		       k.assignee ? k.assignee_email : "nobody", k.team[0] ? k.team : "-",
		       model_time_fmt(k.created, when));
		char sla[400];
		printf("  sla: %s\n", sla_case_line(x.st, &k, sla_now(), NULL, sla, sizeof sla));
		json_array_foreach(json_object_get(o, "affected"), i, v)
			printf("  affected: %s (%s)\n", json_string_value(json_object_get(v, "org")),
			       json_string_value(json_object_get(v, "by")));
		json_array_foreach(json_object_get(o, "links"), i, v) {
			const char *val = json_string_value(json_object_get(v, "value"));
			printf("  link: %s %s\n", json_string_value(json_object_get(v, "kind")),
			       val ? val : json_string_value(json_object_get(v, "id")));
		}
		json_array_foreach(json_object_get(o, "tasks"), i, v)
			printf("  task %lld: %s%s\n", (long long)json_integer_value(json_object_get(v, "id")),
			       json_string_value(json_object_get(v, "title")),
			       json_is_null(json_object_get(v, "done")) ? "" : " (done)");
		json_array_foreach(json_object_get(o, "related"), i, v)
			printf("  related: %s %s\n", json_string_value(json_object_get(v, "ref")),
			       json_string_value(json_object_get(v, "title")));
		if (json_is_integer(json_object_get(o, "timeline_older")))
			printf("  (older timeline entries not shown: --all)\n");
		json_array_foreach(json_object_get(o, "timeline"), i, v)
			printf("  %s  %-9s %s%s: %s\n", json_string_value(json_object_get(v, "time")),
			       json_string_value(json_object_get(v, "kind")),
			       json_string_value(json_object_get(v, "author")),
			       json_is_true(json_object_get(v, "to_reporter")) ? " (to/from reporter)" : "",
			       json_string_value(json_object_get(v, "text")));
	}
	json_decref(o);
	store_close(x.st);
	return 0;
}

/* Options of a change: --version N; the rest positional, up to max. */
static int change_args(cli_t *c, const char *cmd, const char **pos, int min, int max, int64_t *version,
		       const char **extra_name, const char **extra)
{
	const char *v = NULL;
	int n = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--version", &v)) ||
		    (extra_name && (r = cli_opt(c, &i, *extra_name, extra)))) {
			if (r < 0)
				return -1;
			continue;
		}
		if (n == max)
			return cli_fail("case %s: unexpected argument '%s'", cmd, c->argv[i]), -1;
		pos[n++] = c->argv[i++];
	}
	if (n < min)
		return -2;
	if (parse_version(v, version))
		return cli_fail("case %s: --version: a positive number", cmd), -1;
	return n;
}

/* case status REF STATE [--resolution TEXT] [--version N] */
static int case_status_cmd(cli_t *c)
{
	const char *pos[2], *res = NULL, *rn = "--resolution";
	int64_t version = 0;
	int n = change_args(c, "status", pos, 2, 2, &version, &rn, &res);
	if (n == -2)
		return cli_fail("usage: c5hub case status REF STATE [--resolution TEXT] [--version N]");
	if (n < 0)
		return 2;
	cc_t x;
	char err[1200];
	store_case_t k;
	if (cc_open(&x, c, "status") || cc_begin(&x))
		return 2;
	int rc = case_status(x.st, &x.a, pos[0], version, pos[1], res, &k, err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s is %s (version %lld)\n", k.ref, k.status, (long long)k.version);
	return 0;
}

/* case comment REF TEXT [--to-reporter] [--version N] */
static int case_comment_cmd(cli_t *c)
{
	const char *pos[2];
	int to = 0;
	int64_t version = 0;
	/* --to-reporter is a flag: take it out first */
	for (int i = 1; i < c->argc; i++)
		if (!strcmp(c->argv[i], "--to-reporter")) {
			to = 1;
			memmove(&c->argv[i], &c->argv[i + 1], (size_t)(c->argc - i - 1) * sizeof *c->argv);
			c->argc--;
			break;
		}
	int n = change_args(c, "comment", pos, 2, 2, &version, NULL, NULL);
	if (n == -2)
		return cli_fail("usage: c5hub case comment REF TEXT [--to-reporter] [--version N]");
	if (n < 0)
		return 2;
	cc_t x;
	char err[1200];
	int64_t id;
	if (cc_open(&x, c, "comment") || cc_begin(&x))
		return 2;
	int rc = case_comment(x.st, &x.a, pos[0], version, to ? CASE_VIS_REPORTER : CASE_VIS_INTERNAL,
			      pos[1], &id, err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s: %s %lld added\n", pos[0], to ? "comment to the reporter" : "internal note", (long long)id);
	return 0;
}

/* case assign REF EMAIL|none [--version N]; case edit REF [--title T]
 * [--classification C] [--severity S] [--tlp T] [--team T] [--version N] */
static int case_edit_cmd(cli_t *c, int assign)
{
	const char *pos[2], *v = NULL, *title = NULL, *cls = NULL, *sev = NULL, *tlp_s = NULL, *team = NULL;
	int n = 0;
	int64_t version = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--version", &v)) || (r = cli_opt(c, &i, "--title", &title)) ||
		    (r = cli_opt(c, &i, "--classification", &cls)) ||
		    (r = cli_opt(c, &i, "--severity", &sev)) || (r = cli_opt(c, &i, "--tlp", &tlp_s)) ||
		    (r = cli_opt(c, &i, "--team", &team))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (n == (assign ? 2 : 1))
			return cli_fail("case %s: unexpected argument '%s'", assign ? "assign" : "edit", c->argv[i]);
		pos[n++] = c->argv[i++];
	}
	if (n != (assign ? 2 : 1))
		return cli_fail(assign ? "usage: c5hub case assign REF EMAIL|none [--version N]"
				       : "usage: c5hub case edit REF [--title T] [--classification C] "
					 "[--severity S] [--tlp TLP] [--team T] [--version N]");
	if (parse_version(v, &version))
		return cli_fail("case %s: --version: a positive number", assign ? "assign" : "edit");
	case_edit_t e = {.title = title, .classification = cls, .severity = sev, .team = team, .tlp = -1,
			 .assignee = -1};
	if (tlp_s) {
		tlp_t t;
		if (tlp_parse(tlp_s, &t))
			return cli_fail("case edit: --tlp: unknown TLP '%s'", tlp_s);
		e.tlp = (int)t;
	}
	cc_t x;
	char err[1200];
	store_case_t k;
	if (cc_open(&x, c, assign ? "assign" : "edit"))
		return 2;
	if (assign && user_id(x.st, pos[1], &e.assignee)) {
		store_close(x.st);
		return cli_fail("case assign: no person '%s'", pos[1]);
	}
	if (cc_begin(&x))
		return 2;
	int rc = case_edit(x.st, &x.a, pos[0], version, &e, &k, err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s: version %lld\n", k.ref, (long long)k.version);
	return 0;
}

/* case wait REF on|off */
static int case_wait_cmd(cli_t *c)
{
	if (c->argc != 3 || (strcmp(c->argv[2], "on") && strcmp(c->argv[2], "off")))
		return cli_fail("usage: c5hub case wait REF on|off");
	cc_t x;
	char err[600];
	if (cc_open(&x, c, "wait") || cc_begin(&x))
		return 2;
	int rc = case_wait(x.st, &x.a, c->argv[1], !strcmp(c->argv[2], "on"), err, sizeof err);
	return cc_done(&x, rc, err);
}

/* case task REF add TITLE [--assignee EMAIL] [--due TIME] | case task REF done|undo ID */
static int case_task_cmd(cli_t *c)
{
	const char *pos[3], *asg = NULL, *due_s = NULL;
	int n = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--assignee", &asg)) || (r = cli_opt(c, &i, "--due", &due_s))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (n == 3)
			return cli_fail("case task: unexpected argument '%s'", c->argv[i]);
		pos[n++] = c->argv[i++];
	}
	if (n != 3 || (strcmp(pos[1], "add") && strcmp(pos[1], "done") && strcmp(pos[1], "undo")))
		return cli_fail("usage: c5hub case task REF add TITLE [--assignee EMAIL] [--due TIME] | "
				"case task REF done|undo ID");
	int64_t due = 0, asg_id = 0, id = 0;
	if (due_s && model_time_parse(due_s, &due))
		return cli_fail("case task: --due: a time (2026-12-31T17:00:00Z)");
	if (pos[1][0] != 'a' && parse_version(pos[2], &id))
		return cli_fail("case task: ID: a task number");
	cc_t x;
	char err[600];
	store_case_task_t t;
	if (cc_open(&x, c, "task"))
		return 2;
	if (asg && (user_id(x.st, asg, &asg_id))) {
		store_close(x.st);
		return cli_fail("case task: --assignee: no person '%s'", asg);
	}
	if (cc_begin(&x))
		return 2;
	int rc = pos[1][0] == 'a' ? case_task_add(x.st, &x.a, pos[0], pos[2], asg_id, due, &t, err, sizeof err)
				  : case_task_done(x.st, &x.a, pos[0], id, pos[1][0] == 'd', err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	if (pos[1][0] == 'a')
		printf("%s: task %lld added\n", pos[0], (long long)t.id);
	return 0;
}

/* case link REF KIND TARGET */
static int case_link_cmd(cli_t *c)
{
	if (c->argc != 4)
		return cli_fail("usage: c5hub case link REF observable|event|notice|warning|stix|evidence TARGET");
	cc_t x;
	char err[600];
	if (cc_open(&x, c, "link") || cc_begin(&x))
		return 2;
	int rc = case_link(x.st, &x.a, c->argv[1], c->argv[2], c->argv[3], NULL, err, sizeof err);
	return cc_done(&x, rc, err);
}

/* case affected REF add|remove ORG */
static int case_affected_cmd(cli_t *c)
{
	if (c->argc != 4 || (strcmp(c->argv[2], "add") && strcmp(c->argv[2], "remove")))
		return cli_fail("usage: c5hub case affected REF add|remove ORG");
	cc_t x;
	char err[600];
	org_t o;
	if (cc_open(&x, c, "affected"))
		return 2;
	if (store_org_find(x.st, c->argv[3], &o)) {
		store_close(x.st);
		return cli_fail("case affected: no organisation '%s'", c->argv[3]);
	}
	if (cc_begin(&x))
		return 2;
	int rc = case_affected(x.st, &x.a, c->argv[1], o.id, !strcmp(c->argv[2], "add"), err, sizeof err);
	return cc_done(&x, rc, err);
}

/* case merge DUP INTO */
static int case_merge_cmd(cli_t *c)
{
	if (c->argc != 3)
		return cli_fail("usage: c5hub case merge DUPLICATE INTO");
	cc_t x;
	char err[600];
	if (cc_open(&x, c, "merge") || cc_begin(&x))
		return 2;
	int rc = case_merge(x.st, &x.a, c->argv[1], c->argv[2], err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s merged into %s\n", c->argv[1], c->argv[2]);
	return 0;
}

/* case escalate event|notice|warning ID [--title T] */
static int case_escalate_cmd(cli_t *c)
{
	const char *pos[2], *title = NULL, *tn = "--title";
	int64_t version = 0, id;
	int n = change_args(c, "escalate", pos, 2, 2, &version, &tn, &title);
	if (n == -2)
		return cli_fail("usage: c5hub case escalate event|notice|warning ID [--title T]");
	if (n < 0)
		return 2;
	if (parse_version(pos[1], &id))
		return cli_fail("case escalate: ID: a positive number");
	cc_t x;
	char err[600];
	store_case_t k;
	if (cc_open(&x, c, "escalate") || cc_begin(&x))
		return 2;
	int rc = case_escalate(x.st, &x.a, pos[0], id, title, &k, err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s opened from %s %lld\n", k.ref, pos[0], (long long)id);
	return 0;
}

/* case export REF --format iodef|stix [--output FILE] */
static int case_export_cmd(cli_t *c)
{
	const char *pos[1] = {NULL}, *fmt = NULL, *output = NULL;
	int n = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--format", &fmt)) || (r = cli_opt(c, &i, "--output", &output))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (n == 1)
			return cli_fail("case export: unexpected argument '%s'", c->argv[i]);
		pos[n++] = c->argv[i++];
	}
	if (n != 1 || !fmt || (strcmp(fmt, "iodef") && strcmp(fmt, "stix")))
		return cli_fail("usage: c5hub case export REF --format iodef|stix [--output FILE]");
	cc_t x;
	char err[600], *doc = NULL;
	if (cc_open(&x, c, "export"))
		return 2;
	int rc = !strcmp(fmt, "iodef") ? case_export_iodef(x.st, &x.a, pos[0], &doc, err, sizeof err)
				       : case_export_stix(x.st, &x.a, pos[0], &doc, err, sizeof err);
	store_close(x.st);
	if (rc)
		return cli_fail("case export: %s", err);
	FILE *f = output ? fopen(output, "w") : stdout;
	if (!f) {
		free(doc);
		return cli_fail("case export: %s: cannot write", output);
	}
	fputs(doc, f);
	if (doc[0] && doc[strlen(doc) - 1] != '\n')
		fputc('\n', f);
	free(doc);
	if (output && fclose(f))
		return cli_fail("case export: %s: write failed", output);
	return 0;
}

static int print_opened(void *arg, const store_case_t *k)
{
	(*(int *)arg)++;
	printf("%s opened (%s): %s\n", k->ref, k->source, k->title);
	return 0;
}

/* case import FILE.xml --org NAME [--tlp TLP]: a constituent's IODEF report */
static int case_import_cmd(cli_t *c)
{
	const char *pos[1] = {NULL}, *org = NULL, *tlp_s = NULL;
	int n = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org)) || (r = cli_opt(c, &i, "--tlp", &tlp_s))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (n == 1)
			return cli_fail("case import: unexpected argument '%s'", c->argv[i]);
		pos[n++] = c->argv[i++];
	}
	if (n != 1 || !org)
		return cli_fail("usage: c5hub case import FILE.xml --org NAME [--tlp TLP]");
	tlp_t t = TLP_AMBER;
	if (tlp_s && tlp_parse(tlp_s, &t))
		return cli_fail("case import: --tlp: unknown TLP '%s'", tlp_s);
	char err[600];
	char *text = util_read_text(pos[0], 64u << 20, err, sizeof err);
	if (!text)
		return cli_fail("case import: %s", err);
	cc_t x;
	org_t o;
	if (cc_open(&x, c, "import")) {
		free(text);
		return 2;
	}
	if (store_org_find(x.st, org, &o)) {
		free(text);
		store_close(x.st);
		return cli_fail("case import: --org: no organisation '%s'", org);
	}
	if (cc_begin(&x)) {
		free(text);
		return 2;
	}
	int opened = 0;
	int rc = case_import_iodef(x.st, &x.a, o.id, t, text, strlen(text), pos[0], print_opened, &opened,
				   err, sizeof err);
	free(text);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	if (!opened)
		printf("case import: no incident in %s is new to the hub\n", pos[0]);
	return 0;
}

/* case share REF --collection ALIAS [--to ORG] */
static int case_share_cmd(cli_t *c)
{
	const char *pos[1] = {NULL}, *coll = NULL, *to = NULL;
	int n = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--collection", &coll)) || (r = cli_opt(c, &i, "--to", &to))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (n == 1)
			return cli_fail("case share: unexpected argument '%s'", c->argv[i]);
		pos[n++] = c->argv[i++];
	}
	if (n != 1 || !coll)
		return cli_fail("usage: c5hub case share REF --collection ALIAS [--to ORG]");
	cc_t x;
	char err[600];
	store_coll_t co;
	org_t o = {0};
	long cnt = 0;
	if (cc_open(&x, c, "share"))
		return 2;
	if (store_coll_get(x.st, coll, -1, &co)) {
		store_close(x.st);
		return cli_fail("case share: --collection: no TAXII collection '%s'", coll);
	}
	if (to && store_org_find(x.st, to, &o)) {
		store_close(x.st);
		return cli_fail("case share: --to: no organisation '%s'", to);
	}
	if (cc_begin(&x))
		return 2;
	int rc = case_share(x.st, &x.a, pos[0], co.cid, o.id, &cnt, err, sizeof err);
	if ((rc = cc_done(&x, rc, err)))
		return rc;
	printf("%s: %ld STIX objects in collection %s\n", pos[0], cnt, coll);
	return 0;
}

/* case stats [--from TIME] [--to TIME] [--json] */
static int case_stats_cmd(cli_t *c)
{
	const char *from_s = NULL, *to_s = NULL;
	int json = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--from", &from_s)) || (r = cli_opt(c, &i, "--to", &to_s))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!strcmp(c->argv[i], "--json")) {
			json = 1;
			i++;
			continue;
		}
		return cli_fail("case stats: unexpected argument '%s'", c->argv[i]);
	}
	int64_t from = 0, to = 0;
	if ((from_s && model_time_parse(from_s, &from)) || (to_s && model_time_parse(to_s, &to)))
		return cli_fail("case stats: --from/--to: a time (2026-01-01)");
	cc_t x;
	char err[600];
	int rc;
	if (cc_open(&x, c, "stats"))
		return 2;
	sla_case_use(NULL); /* SLA compliance, by the built-in policies */
	if (json) {
		json_t *o;
		rc = case_stats(x.st, &x.a, from, to, (void **)&o, err, sizeof err);
		if (!rc) {
			json_dumpf(o, stdout, JSON_INDENT(1) | JSON_SORT_KEYS);
			putchar('\n');
			json_decref(o);
		}
	} else {
		rc = case_stats_csv(x.st, &x.a, from, to, stdout, err, sizeof err);
	}
	store_close(x.st);
	return rc ? cli_fail("case stats: %s", err) : 0;
}

/* case lifecycle FILE | case lifecycle --show | case lifecycle --default */
static int case_lifecycle_cmd(cli_t *c)
{
	if (c->argc != 2)
		return cli_fail("usage: c5hub case lifecycle FILE|--show|--default");
	cc_t x;
	char err[600];
	const char *arg = c->argv[1];
	if (!strcmp(arg, "--show")) {
		if (cc_open(&x, c, "lifecycle"))
			return 2;
		case_lifecycle_t *lc = case_lifecycle_load(x.st, err, sizeof err);
		store_close(x.st);
		if (!lc)
			return cli_fail("case lifecycle: %s", err);
		const char *const *names;
		size_t n = case_lifecycle_states(lc, &names);
		char buf[512];
		for (size_t i = 0; i < n; i++)
			printf("%-12s%s%s%s -> %s\n", names[i],
			       !strcmp(names[i], case_lifecycle_initial(lc)) ? " initial" : "",
			       case_lifecycle_final(lc, names[i]) ? " final" : "",
			       case_lifecycle_resolution(lc, names[i]) ? " resolution" : "",
			       case_lifecycle_next(lc, names[i], buf, sizeof buf));
		case_lifecycle_free(lc);
		return 0;
	}
	char *text = NULL;
	int dflt = !strcmp(arg, "--default");
	if (!dflt && !(text = util_read_text(arg, 16000, err, sizeof err)))
		return cli_fail("case lifecycle: %s", err);
	if (cc_open(&x, c, "lifecycle") || cc_begin(&x)) {
		free(text);
		return 2;
	}
	int rc = case_lifecycle_use(x.st, text, dflt ? "data/lifecycle.conf (built in)" : arg, err,
				    sizeof err);
	free(text);
	if (rc) {
		rc = cli_fail("case lifecycle: %s", err);
		store_rollback(x.st);
	} else if (cli_audit_commit(x.st, "case.lifecycle", dflt ? "default" : arg, "")) {
		rc = cli_fail("case lifecycle: %s", store_errmsg(x.st));
		store_rollback(x.st);
	} else {
		printf("case lifecycle: %s in use\n", dflt ? "the built-in default" : arg);
	}
	store_close(x.st);
	return rc;
}

int cli_case(cli_t *c)
{
	static const struct {
		const char *name;
		int (*fn)(cli_t *);
	} subs[] = {
		{"new", case_new}, {"list", case_list_cmd}, {"show", case_show},
		{"status", case_status_cmd}, {"comment", case_comment_cmd}, {"wait", case_wait_cmd},
		{"task", case_task_cmd}, {"link", case_link_cmd}, {"affected", case_affected_cmd},
		{"merge", case_merge_cmd}, {"escalate", case_escalate_cmd}, {"export", case_export_cmd},
		{"stats", case_stats_cmd}, {"lifecycle", case_lifecycle_cmd}, {"share", case_share_cmd},
		{"import", case_import_cmd},
	};
	if (c->argc < 1)
		return cli_fail("usage: c5hub case new|list|show|edit|assign|status|comment|wait|task|link|"
				"affected|merge|escalate|export|share|import|stats|lifecycle ...");
	if (!strcmp(c->argv[0], "assign") || !strcmp(c->argv[0], "edit"))
		return case_edit_cmd(c, c->argv[0][0] == 'a');
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(c->argv[0], subs[i].name))
			return subs[i].fn(c);
	return cli_fail("case: unknown sub-command '%s'", c->argv[0]);
}
