/* cli_assess.c — `c5hub assess ...`: questionnaires (load, validate, list),
 * assessments (new, list, answer, submit, validate, reopen, history),
 * results (text, CSV, JSON, printable HTML) and the roadmap, all through
 * assess_run.h (the core the API and the console use too).  Every change
 * is one transaction with its audit entry.  The CLI is the operator: it
 * sees every assessment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess_run.h"
#include "audit/audit.h"
#include "cli.h"
#include "core/util.h"
#include "hub/hub.h"
#include "sla/sla_case.h"

#define DEFAULT_QN "national"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);
			if (!nb || cap > (size_t)16 << 20) {
				free(nb ? nb : buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t k = fread(buf + n, 1, 4096, f);
		n += k;
		if (k < 4096)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int print_qn(void *arg, const store_qn_t *q)
{
	char when[MODEL_TIME_LEN];
	(void)arg;
	printf("%-24s %4d  %s\n", q->name, q->version, model_time_fmt(q->loaded, when));
	return 0;
}

static int qn_cmd(cli_t *c)
{
	if (c->argc >= 2 && !strcmp(c->argv[1], "list")) {
		store_t *st = cli_store(c, 0);
		if (!st)
			return 2;
		int rc = store_qn_list(st, print_qn, NULL) ? cli_fail("%s", store_errmsg(st)) : 0;
		store_close(st);
		return rc;
	}
	if (c->argc != 3 || (strcmp(c->argv[1], "load") && strcmp(c->argv[1], "validate")))
		return cli_fail("usage: c5hub assess questionnaire load|validate FILE | questionnaire list");
	const char *path = c->argv[2];
	size_t len = 0;
	int builtin = !strcmp(path, "default");
	char *text = builtin ? strdup(data_assess_default_json) : slurp(path, &len);
	char err[8192];
	if (builtin && text)
		len = strlen(text);
	if (!text)
		return cli_fail("%s: cannot read it", path);
	if (!strcmp(c->argv[1], "validate")) {
		assess_qn_t *qn;
		int rc = assess_qn_parse(text, len, path, &qn, err, sizeof err);
		free(text);
		if (rc) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		printf("%s: questionnaire %s version %d: %zu pillars, %zu indicators, %zu questions\n", path,
		       qn->name, qn->version, qn->np, qn->nind, qn->nq);
		assess_qn_free(qn);
		return 0;
	}
	store_t *st = cli_store(c, 0);
	store_qn_t q;
	int rc = 0;
	if (!st) {
		free(text);
		return 2;
	}
	if (store_begin(st) || assess_qn_load(st, text, len, path, &q, err, sizeof err)) {
		store_rollback(st);
		fprintf(stderr, "%s\n", err);
		rc = 1;
	} else {
		char obj[96], det[32];
		snprintf(obj, sizeof obj, "questionnaire %s", q.name);
		snprintf(det, sizeof det, "version %d", q.version);
		if (cli_audit_commit(st, "assess.questionnaire", obj, det))
			rc = cli_fail("%s", store_errmsg(st));
		else
			printf("loaded questionnaire %s version %d\n", q.name, q.version);
	}
	free(text);
	store_close(st);
	return rc;
}

static int print_assess(void *arg, const store_assess_t *a)
{
	(void)arg;
	printf("%-5lld %-28s %-10s %-16s %-4d %-13s %s\n", (long long)a->id, a->entity, a->period,
	       a->qn_name, a->qn_version, tlp_name(a->tlp), a->state);
	return 0;
}

/* The assessment id at argv[1], opened for the operator. */
static int open_ctx(cli_t *c, store_t *st, assess_ctx_t *ctx, const char *cmd)
{
	char err[512], *e;
	long long id = c->argc > 1 ? strtoll(c->argv[1], &e, 10) : 0;
	if (c->argc < 2 || *e || id <= 0)
		return cli_fail("assess %s: an assessment id first", cmd);
	if (assess_ctx_open(st, id, &TLP_VIEW_ALL, ctx, err, sizeof err))
		return cli_fail("assess %s: %s", cmd, err);
	return 0;
}

/* Commit a change made to assessment id with its audit entry. */
static int commit(store_t *st, const char *action, int64_t id, const char *detail)
{
	char obj[48];
	snprintf(obj, sizeof obj, "assessment %lld", (long long)id);
	return cli_audit_commit(st, action, obj, detail);
}

static int cmd_new(cli_t *c, store_t *st)
{
	const char *period = NULL, *qn = NULL, *org = NULL, *tlp = NULL, *ver = NULL, *entity = NULL;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--period", &period)) || (r = cli_opt(c, &i, "--questionnaire", &qn)) ||
		    (r = cli_opt(c, &i, "--version", &ver)) || (r = cli_opt(c, &i, "--org", &org)) ||
		    (r = cli_opt(c, &i, "--tlp", &tlp))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (entity || c->argv[i][0] == '-')
			return cli_fail("assess new: unexpected argument '%s'", c->argv[i]);
		entity = c->argv[i++];
	}
	if (!entity || !period)
		return cli_fail("usage: c5hub assess new ENTITY --period P [--questionnaire NAME] "
				"[--version N] [--org NAME] [--tlp TLP]");
	int64_t org_id;
	tlp_t t, dflt;
	char err[512], actor[64];
	store_assess_t a;
	if (hub_read_settings(st, &org_id, &dflt))
		return cli_fail("assess new: hub settings missing; run c5hub init");
	t = TLP_AMBER; /* a self-assessment is not for everyone unless said so */
	if (tlp && tlp_parse(tlp, &t))
		return cli_fail("assess new: unknown --tlp '%s'", tlp);
	if (org) {
		org_t og;
		if (store_org_find(st, org, &og))
			return cli_fail("assess new: no organisation '%s'", org);
		org_id = og.id;
	}
	audit_cli_actor(actor, sizeof actor);
	if (store_begin(st))
		return cli_fail("%s", store_errmsg(st));
	/* the built-in questionnaire is loaded on first use */
	store_qn_t q;
	if (!qn && store_qn_get(st, 0, DEFAULT_QN, 0, &q) == STORE_ENOTFOUND &&
	    assess_qn_load(st, data_assess_default_json, strlen(data_assess_default_json),
			   "default.json", &q, err, sizeof err)) {
		store_rollback(st);
		return cli_fail("assess new: %s", err);
	} else if (!qn) {
		free(q.json);
	}
	if (assess_new(st, entity, org_id, qn ? qn : DEFAULT_QN, ver ? atoi(ver) : 0, period, t, actor, &a,
		       err, sizeof err)) {
		store_rollback(st);
		return cli_fail("assess new: %s", err);
	}
	if (commit(st, "assess.new", a.id, a.entity))
		return cli_fail("%s", store_errmsg(st));
	printf("assessment %lld: %s %s, questionnaire %s version %d, TLP:%s, draft\n", (long long)a.id,
	       a.entity, a.period, a.qn_name, a.qn_version, tlp_name(a.tlp));
	return 0;
}

static int cmd_answer(cli_t *c, store_t *st)
{
	const char *evidence = NULL;
	int hub = 0, npairs = 0;
	assess_ctx_t ctx;
	char err[1024], actor[64];
	if (open_ctx(c, st, &ctx, "answer"))
		return 2;
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--evidence", &evidence))) {
			if (r < 0)
				goto bad;
			continue;
		}
		if (!strcmp(c->argv[i], "--hub")) {
			hub = 1;
			i++;
			continue;
		}
		if (c->argv[i][0] == '-' || !strchr(c->argv[i], '=')) {
			cli_fail("assess answer: '%s' is not QUESTION=VALUE", c->argv[i]);
			goto bad;
		}
		npairs++;
		i++;
	}
	if (!npairs && !hub) {
		cli_fail("usage: c5hub assess answer ID QUESTION=VALUE... [--evidence IDS] | --hub");
		goto bad;
	}
	audit_cli_actor(actor, sizeof actor);
	if (store_begin(st)) {
		cli_fail("%s", store_errmsg(st));
		goto bad;
	}
	int n = 0;
	for (int i = 2; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--evidence")) {
			i++;
			continue;
		}
		char *eq = strchr(c->argv[i], '=');
		if (!eq || c->argv[i][0] == '-')
			continue;
		*eq = '\0';
		if (assess_answer(st, &ctx, c->argv[i], eq + 1, evidence, actor, "", err, sizeof err)) {
			store_rollback(st);
			cli_fail("assess answer: %s (nothing was changed)", err);
			goto bad;
		}
		n++;
	}
	int nh = 0;
	if (hub)
		sla_case_use(NULL); /* SLA compliance of the cases, by the built-in policies */
	if (hub && assess_hub_answer(st, &ctx, actor, &nh, err, sizeof err)) {
		store_rollback(st);
		cli_fail("assess answer: %s (nothing was changed)", err);
		goto bad;
	}
	char det[64];
	snprintf(det, sizeof det, "%d answers, %d from the hub", n, nh);
	if (commit(st, "assess.answer", ctx.a.id, det)) {
		cli_fail("%s", store_errmsg(st));
		goto bad;
	}
	if (hub)
		for (size_t i = 0; i < ctx.qn->nq; i++)
			if (ctx.ans[i] && ctx.ans[i]->source[0])
				printf("%s = %s (%s)\n", ctx.qn->q[i].id, ctx.ans[i]->value, ctx.ans[i]->source);
	printf("assessment %lld: %s\n", (long long)ctx.a.id, det);
	assess_ctx_free(&ctx);
	return 0;
bad:
	assess_ctx_free(&ctx);
	return 2;
}

static int cmd_state(cli_t *c, store_t *st, const char *cmd, const char *state)
{
	assess_ctx_t ctx;
	char err[1024], actor[64];
	int rc = 0;
	if (open_ctx(c, st, &ctx, cmd))
		return 2;
	audit_cli_actor(actor, sizeof actor);
	if (store_begin(st) || assess_set_state(st, &ctx, state, actor, err, sizeof err)) {
		store_rollback(st);
		rc = cli_fail("assess %s: %s", cmd, err);
	} else if (commit(st, "assess.state", ctx.a.id, state)) {
		rc = cli_fail("%s", store_errmsg(st));
	} else {
		printf("assessment %lld: %s\n", (long long)ctx.a.id, state);
	}
	assess_ctx_free(&ctx);
	return rc;
}

/* validate ID: the assessment; validate ID QUESTION accept|reject
 * [--comment T]: one answer; validate ID --all: accept every answer, then
 * the assessment. */
static int cmd_validate(cli_t *c, store_t *st)
{
	const char *comment = NULL, *pos[2] = {0};
	int npos = 0, all = 0;
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--comment", &comment))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!strcmp(c->argv[i], "--all")) {
			all = 1, i++;
			continue;
		}
		if (npos == 2 || c->argv[i][0] == '-')
			return cli_fail("assess validate: unexpected argument '%s'", c->argv[i]);
		pos[npos++] = c->argv[i++];
	}
	if (npos == 0 && !all)
		return cmd_state(c, st, "validate", "validated");
	if (npos == 1 || (npos == 2 && strcmp(pos[1], "accept") && strcmp(pos[1], "reject")))
		return cli_fail("usage: c5hub assess validate ID [QUESTION accept|reject [--comment T]] | --all");
	assess_ctx_t ctx;
	char err[1024], actor[64];
	int rc = 0;
	if (open_ctx(c, st, &ctx, "validate"))
		return 2;
	audit_cli_actor(actor, sizeof actor);
	if (store_begin(st)) {
		assess_ctx_free(&ctx);
		return cli_fail("%s", store_errmsg(st));
	}
	if (npos == 2) {
		rc = assess_review(st, &ctx, pos[0], !strcmp(pos[1], "accept"), actor, comment, err, sizeof err);
	} else {
		for (size_t i = 0; !rc && i < ctx.qn->nq; i++)
			if (ctx.ans[i] && strcmp(ctx.ans[i]->review, "accepted"))
				rc = assess_review(st, &ctx, ctx.qn->q[i].id, 1, actor, comment, err, sizeof err);
		if (!rc)
			rc = assess_set_state(st, &ctx, "validated", actor, err, sizeof err);
	}
	if (rc) {
		store_rollback(st);
		rc = cli_fail("assess validate: %s", err);
	} else if (commit(st, "assess.review", ctx.a.id, npos == 2 ? pos[0] : "all")) {
		rc = cli_fail("%s", store_errmsg(st));
	} else if (npos == 2) {
		printf("assessment %lld: %s %sed\n", (long long)ctx.a.id, pos[0], pos[1]);
	} else {
		printf("assessment %lld: validated\n", (long long)ctx.a.id);
	}
	assess_ctx_free(&ctx);
	return rc;
}

static void print_text(const assess_ctx_t *c, const assess_result_t *r, store_t *st)
{
	const assess_qn_t *qn = c->qn;
	printf("%s %s (questionnaire %s version %d, TLP:%s, %s)\n", c->a.entity, c->a.period, qn->name,
	       qn->version, tlp_name(c->a.tlp), c->a.state);
	printf("total %.2f / 100  %s  (%d of %d relevant questions answered)\n", r->total,
	       r->tier < qn->ntiers ? qn->tiers[r->tier].name : "", r->answered, r->relevant);
	int64_t prev = assess_previous(st, c, &TLP_VIEW_ALL);
	assess_ctx_t pc;
	assess_result_t pr;
	char err[256];
	int have_prev = prev && !assess_ctx_open(st, prev, &TLP_VIEW_ALL, &pc, err, sizeof err);
	if (have_prev && assess_ctx_score(&pc, &pr)) {
		assess_ctx_free(&pc);
		have_prev = 0;
	}
	if (have_prev)
		printf("previous %s: total %.2f (%+.2f)\n", pc.a.period, pr.total, r->total - pr.total);
	for (size_t p = 0; p < qn->np; p++) {
		printf("  %-16s %6.2f / 20", qn->p[p].id, r->pillar[p]);
		if (have_prev) {
			long pp = -1;
			for (size_t k = 0; k < pc.qn->np; k++)
				if (!strcmp(pc.qn->p[k].id, qn->p[p].id))
					pp = (long)k;
			if (pp >= 0)
				printf("  (%+.2f)", r->pillar[p] - pr.pillar[pp]);
		}
		printf("\n");
		for (size_t k = qn->p[p].first_ind; k < qn->p[p].first_ind + qn->p[p].nind; k++) {
			if (r->ind[k].score >= 0)
				printf("    %-22s %5.2f", qn->ind[k].id, r->ind[k].score);
			else
				printf("    %-22s     -", qn->ind[k].id);
			printf("  %s\n", r->ind[k].stage >= 0 ? assess_stage_name(r->ind[k].stage) : "");
		}
	}
	if (have_prev) {
		assess_result_free(&pr);
		assess_ctx_free(&pc);
	}
	assess_rank_t *rk;
	size_t n;
	char method[512];
	if (!assess_ranking(st, c, &TLP_VIEW_ALL, 1000, &rk, &n, method, sizeof method, err, sizeof err)) {
		for (size_t k = 0; n > 1 && k < n; k++)
			if (rk[k].id == c->a.id)
				printf("rank %zu of %zu entities in %s (composite %.2f; Monte Carlo median %zu, "
				       "5-95 %% %zu-%zu; driving pillar %s)\n", rk[k].rank, n, c->a.period,
				       100 * rk[k].score, rk[k].median, rk[k].p05, rk[k].p95, rk[k].driver);
		free(rk);
	}
}

static int cmd_results(cli_t *c, store_t *st)
{
	const char *format = "text", *out = NULL;
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--format", &format)) || (r = cli_opt(c, &i, "--out", &out))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("assess results: unexpected argument '%s'", c->argv[i]);
	}
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "html"))
		return cli_fail("assess results: --format text, csv, json or html");
	assess_ctx_t ctx;
	assess_result_t r;
	int rc = 0;
	if (open_ctx(c, st, &ctx, "results"))
		return 2;
	if (assess_ctx_score(&ctx, &r)) {
		assess_ctx_free(&ctx);
		return cli_fail("out of memory");
	}
	FILE *f = out ? fopen(out, "wx") : stdout;
	if (!f) {
		rc = cli_fail("assess results: %s: cannot create it (it must not exist)", out);
	} else {
		if (!strcmp(format, "text"))
			print_text(&ctx, &r, st);
		else if (!strcmp(format, "csv"))
			rc = assess_export_csv(&ctx, &r, f);
		else if (!strcmp(format, "json"))
			rc = assess_export_json(st, &ctx, &r, &TLP_VIEW_ALL, f);
		else
			rc = assess_export_html(st, &ctx, &r, &TLP_VIEW_ALL, f);
		if (out && fclose(f))
			rc = -1;
		if (rc)
			rc = cli_fail("assess results: could not write it");
	}
	assess_result_free(&r);
	assess_ctx_free(&ctx);
	return rc;
}

typedef struct {
	const assess_rules_t *rs;
} road_print_t;

static int print_road(void *arg, const store_road_t *it)
{
	const assess_rules_t *rs = ((road_print_t *)arg)->rs;
	const assess_action_t *a = NULL;
	for (size_t i = 0; rs && i < rs->na; i++)
		if (!strcmp(rs->a[i].id, it->action))
			a = &rs->a[i];
	printf("%3d  %6.2f  %-9s %-24s %-14s %-7s %s  [%s]%s%s\n", it->rank, it->priority, it->state,
	       it->action, a ? a->area : "", a ? a->horizon : "", a ? a->action : "", it->why,
	       it->assignee[0] ? "  -> " : "", it->assignee);
	return 0;
}

/* roadmap ID [--rules FILE]: make (or refresh) and show it; roadmap ID
 * set ACTION accepted|deferred|done|proposed [--assignee WHO]. */
static int cmd_roadmap(cli_t *c, store_t *st)
{
	const char *rules_file = NULL, *assignee = NULL;
	int set = c->argc > 2 && !strcmp(c->argv[2], "set");
	for (int i = set ? 5 : 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--rules", &rules_file)) || (r = cli_opt(c, &i, "--assignee", &assignee))) {
			if (r < 0)
				return 2;
			continue;
		}
		return cli_fail("assess roadmap: unexpected argument '%s'", c->argv[i]);
	}
	assess_ctx_t ctx;
	assess_rules_t *rs = NULL;
	char err[8192], actor[64];
	int rc = 0;
	if (set && (c->argc < 5 || (strcmp(c->argv[4], "accepted") && strcmp(c->argv[4], "deferred") &&
				      strcmp(c->argv[4], "done") && strcmp(c->argv[4], "proposed"))))
		return cli_fail("usage: c5hub assess roadmap ID set ACTION accepted|deferred|done|proposed "
				"[--assignee WHO]");
	if (open_ctx(c, st, &ctx, "roadmap"))
		return 2;
	size_t len = 0;
	char *text = rules_file ? slurp(rules_file, &len) : strdup(data_assess_roadmap_json);
	if (text && !rules_file)
		len = strlen(text);
	if (!text) {
		rc = cli_fail("assess roadmap: %s: cannot read it", rules_file ? rules_file : "rules");
		goto out;
	}
	if (assess_rules_parse(text, len, rules_file ? rules_file : "roadmap.json", &rs, err, sizeof err)) {
		fprintf(stderr, "%s\n", err);
		rc = 1;
		goto out;
	}
	audit_cli_actor(actor, sizeof actor);
	if (store_begin(st)) {
		rc = cli_fail("%s", store_errmsg(st));
		goto out;
	}
	if (set) {
		if (store_road_set(st, ctx.a.id, c->argv[3], c->argv[4], assignee)) {
			store_rollback(st);
			rc = cli_fail("assess roadmap: no action '%s' in assessment %lld's roadmap", c->argv[3],
				      (long long)ctx.a.id);
			goto out;
		}
		snprintf(err, 200, "%s %s%s%s", c->argv[3], c->argv[4], assignee ? " -> " : "",
			 assignee ? assignee : "");
		store_ahist_t h = {.assessment = ctx.a.id};
		snprintf(h.actor, sizeof h.actor, "%s", actor);
		snprintf(h.what, sizeof h.what, "roadmap: %s", err);
		if (store_ahist_add(st, &h)) {
			store_rollback(st);
			rc = cli_fail("%s", store_errmsg(st));
			goto out;
		}
	} else if (assess_roadmap_make(st, &ctx, rs, err, sizeof err)) {
		store_rollback(st);
		rc = cli_fail("assess roadmap: %s", err);
		goto out;
	}
	if (commit(st, set ? "assess.roadmap.set" : "assess.roadmap", ctx.a.id, set ? err : "made")) {
		rc = cli_fail("%s", store_errmsg(st));
		goto out;
	}
	printf("  #  PRIORITY  STATE     ACTION                   AREA           HORIZON WHAT  [WHY]\n");
	road_print_t rp = {rs};
	if (store_road_list(st, ctx.a.id, print_road, &rp))
		rc = cli_fail("%s", store_errmsg(st));
	/* what moved since the previous assessment's roadmap */
	int64_t prev = assess_previous(st, &ctx, &TLP_VIEW_ALL);
	if (prev) {
		printf("previous assessment %lld's roadmap:\n", (long long)prev);
		store_road_list(st, prev, print_road, &rp);
	}
out:
	free(text);
	assess_rules_free(rs);
	assess_ctx_free(&ctx);
	return rc;
}

static int print_hist(void *arg, const store_ahist_t *h)
{
	char when[MODEL_TIME_LEN];
	(void)arg;
	printf("%s  %-20s %s\n", model_time_fmt(h->at, when), h->actor, h->what);
	return 0;
}

static int print_answer(void *arg, const store_answer_t *a)
{
	(void)arg;
	printf("%-6s %-24.60s %-9s %-20s %s%s%s%s%s\n", a->question, a->value, a->review, a->by,
	       a->evidence[0] ? "evidence " : "", a->evidence, a->source[0] ? a->source : "",
	       a->comment[0] ? "  comment: " : "", a->comment);
	return 0;
}

int cli_assess(cli_t *c)
{
	const char *sub = c->argc ? c->argv[0] : "";
	if (!strcmp(sub, "questionnaire"))
		return qn_cmd(c);
	if (!strcmp(sub, "index")) /* the composite index across entities: cli_cindex.c */
		return cli_assess_index(c);
	if (!*sub || (strcmp(sub, "new") && strcmp(sub, "list") && strcmp(sub, "answer") &&
		      strcmp(sub, "answers") && strcmp(sub, "submit") && strcmp(sub, "validate") &&
		      strcmp(sub, "reopen") && strcmp(sub, "results") && strcmp(sub, "roadmap") &&
		      strcmp(sub, "history")))
		return cli_fail("usage: c5hub assess questionnaire|new|list|answer|answers|submit|validate|"
				"reopen|results|roadmap|history ... (c5hub help assess)");
	store_t *st = cli_store(c, 0);
	int rc = 0;
	if (!st)
		return 2;
	if (!strcmp(sub, "new")) {
		rc = cmd_new(c, st);
	} else if (!strcmp(sub, "list")) {
		printf("%-5s %-28s %-10s %-16s %-4s %-13s %s\n", "ID", "ENTITY", "PERIOD", "QUESTIONNAIRE",
		       "VER", "TLP", "STATE");
		if (store_assess_list(st, &TLP_VIEW_ALL, c->argc > 1 ? c->argv[1] : NULL, print_assess, NULL))
			rc = cli_fail("%s", store_errmsg(st));
	} else if (!strcmp(sub, "answer")) {
		rc = cmd_answer(c, st);
	} else if (!strcmp(sub, "submit")) {
		rc = cmd_state(c, st, "submit", "submitted");
	} else if (!strcmp(sub, "reopen")) {
		rc = cmd_state(c, st, "reopen", "draft");
	} else if (!strcmp(sub, "validate")) {
		rc = cmd_validate(c, st);
	} else if (!strcmp(sub, "results")) {
		rc = cmd_results(c, st);
	} else if (!strcmp(sub, "roadmap")) {
		rc = cmd_roadmap(c, st);
	} else {
		assess_ctx_t ctx;
		if (open_ctx(c, st, &ctx, sub)) {
			rc = 2;
		} else {
			if (!strcmp(sub, "history") ? store_ahist_list(st, ctx.a.id, print_hist, NULL)
						    : store_answer_list(st, ctx.a.id, print_answer, NULL))
				rc = cli_fail("%s", store_errmsg(st));
			assess_ctx_free(&ctx);
		}
	}
	store_close(st);
	return rc;
}
