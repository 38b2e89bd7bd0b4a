/* cli_watch.c — watch and warn from the command line:
 *   c5hub feed add|list|run|rm, c5hub notify run|log|set, c5hub warn. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "core/util.h"
#include "cli.h"
#include "feed/feed.h"
#include "hub/hub.h"

/* ---- what feed runs and notifications need ---- */

typedef struct {
	feed_env_t env;
	notify_conf_t nc;
	wlist_t *wl;
	cons_t *cons;
	tlp_t tlp;
} watch_env_t;

static int feed_audit(void *arg, store_t *st, const char *path, long events)
{
	const char *name = arg;
	char actor[64], detail[300];
	snprintf(detail, sizeof detail, "feed %s: %ld events", name, events);
	audit_entry_t e = {.actor = audit_cli_actor(actor, sizeof actor), .addr = "local",
			   .action = "feed.run", .object = path, .detail = detail};
	return audit_record(st, &e);
}

/* notify_file and smtp may be NULL. */
static int env_open(store_t *st, watch_env_t *w, const char *notify_file, const char *smtp)
{
	char err[512];
	memset(w, 0, sizeof *w);
	if (notify_conf_load(&w->nc, notify_file, err, sizeof err))
		return cli_fail("%s", err);
	if (smtp) {
		if (strncmp(smtp, "smtp://", 7) && strncmp(smtp, "smtps://", 8))
			return cli_fail("--smtp: give smtp://HOST:PORT");
		snprintf(w->nc.smtp, sizeof w->nc.smtp, "%s", smtp);
	}
	if (hub_read_settings(st, &w->env.org_id, &w->tlp))
		return cli_fail("hub settings missing; run c5hub init");
	if (notify_conf_sender(&w->nc, st, err, sizeof err))
		return cli_fail("%s", err);
	if (!(w->wl = hub_wlist_load(st, err, sizeof err)) || !(w->cons = cons_load(st, err, sizeof err)))
		return cli_fail("%s", err);
	w->env.wl = w->wl;
	w->env.cons = w->cons;
	w->env.nc = &w->nc;
	w->env.slice_ms = 250;
	w->env.retries = 2;
	w->env.before_commit = feed_audit;
	return 0;
}

static void env_close(watch_env_t *w)
{
	cons_free(w->cons);
	wlist_free(w->wl);
	notify_conf_free(&w->nc);
}

/* Print a JSON list (--json output) and free it; NULL: nothing. */
static void print_list(json_t *list)
{
	if (!list)
		return;
	char *s = json_dumps(list, JSON_INDENT(2));
	puts(s ? s : "[]");
	free(s);
	json_decref(list);
}

/* ---- feed ---- */

/* A feed's configuration from argv[1] (the name) and the options after it;
 * 0, or -1 with the reason in err. */
static int feed_parse(cli_t *c, store_t *st, store_feed_t *f, char *err, size_t errlen)
{
	const char *url = NULL, *path = NULL, *fmt = NULL, *tlp = NULL, *cls = NULL, *every = NULL,
		   *conf = NULL, *policy = "skip", *column = NULL;
	int r;
	int64_t hub_org;
	*f = (store_feed_t){.confidence = 50, .enabled = 1, .every = 3600};
	if (strlen(c->argv[1]) >= sizeof f->name)
		return snprintf(err, errlen, "name: too long"), -1;
	snprintf(f->name, sizeof f->name, "%s", c->argv[1]);
	for (int i = 2; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--url", &url)) || (r = cli_opt(c, &i, "--path", &path)) ||
		    (r = cli_opt(c, &i, "--format", &fmt)) || (r = cli_opt(c, &i, "--tlp", &tlp)) ||
		    (r = cli_opt(c, &i, "--classification", &cls)) ||
		    (r = cli_opt(c, &i, "--every", &every)) ||
		    (r = cli_opt(c, &i, "--confidence", &conf)) ||
		    (r = cli_opt(c, &i, "--policy", &policy)) ||
		    (r = cli_opt(c, &i, "--column", &column))) {
			if (r < 0)
				return snprintf(err, errlen, "%s needs a value", c->argv[i]), -1;
			continue;
		}
		return snprintf(err, errlen, "unknown option '%s'", c->argv[i]), -1;
	}
	if (hub_read_settings(st, &hub_org, &f->tlp))
		return snprintf(err, errlen, "hub settings missing; run c5hub init"), -1;
	if (tlp && tlp_parse(tlp, &f->tlp))
		return snprintf(err, errlen, "--tlp: unknown TLP '%s'", tlp), -1;
	if (every && model_duration_parse(every, &f->every))
		return snprintf(err, errlen, "--every: give a duration such as 15m, 1h, 1d"), -1;
	if (conf) {
		char *end;
		f->confidence = (int)strtol(conf, &end, 10);
		if (*end)
			f->confidence = -1;
	}
	if (!fmt)
		return snprintf(err, errlen, "--format is required (%s)", INGEST_FORMATS), -1;
	if ((url && strlen(url) >= sizeof f->url) || (path && strlen(path) >= sizeof f->path) ||
	    (column && strlen(column) >= sizeof f->column))
		return snprintf(err, errlen, "--url, --path or --column is too long"), -1;
	snprintf(f->url, sizeof f->url, "%s", url ? url : "");
	snprintf(f->path, sizeof f->path, "%s", path ? path : "");
	if (path && path[0] != '/') {
		/* stored absolute: a later `feed run` (or the server) starts elsewhere */
		char cwd[4096], *real = realpath(path, NULL);
		int w = real ? snprintf(f->path, sizeof f->path, "%s", real)
		      : getcwd(cwd, sizeof cwd) ? snprintf(f->path, sizeof f->path, "%s/%s", cwd, path)
						: -1;
		free(real);
		if (w < 0 || (size_t)w >= sizeof f->path)
			return snprintf(err, errlen, "--path: cannot make '%s' absolute", path), -1;
	}
	snprintf(f->format, sizeof f->format, "%s", fmt);
	snprintf(f->classification, sizeof f->classification, "%s", cls ? cls : "");
	snprintf(f->policy, sizeof f->policy, "%s", policy);
	snprintf(f->column, sizeof f->column, "%s", column ? column : "");
	return feed_check(f, err, errlen);
}

static int feed_add(cli_t *c, store_t *st)
{
	store_feed_t f;
	char err[512];
	int r;
	if (feed_parse(c, st, &f, err, sizeof err))
		return cli_fail("feed add: %s", err);
	if (store_begin(st))
		return cli_fail("feed add: %s", store_errmsg(st));
	if ((r = store_feed_add(st, &f))) {
		store_rollback(st);
		return cli_fail("feed add: %s", r == STORE_EEXISTS ? "a feed of that name exists"
								  : store_errmsg(st));
	}
	if (cli_audit_commit(st, "feed.add", f.name, f.url[0] ? f.url : f.path))
		return cli_fail("feed add: %s", store_errmsg(st));
	printf("feed %s added (%s, every %llds)\n", f.name, f.format, (long long)f.every);
	return 0;
}

/* Split a line into words (blanks; double quotes group, "" is a quote). */
static int words(char *line, char **argv, int max)
{
	int n = 0;
	char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max)
			return -1;
		char *w = p, *out = p;
		argv[n++] = w;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '"') {
				for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
					*out++ = *p == '"' ? *++p : *p;
				if (*p != '"')
					return -1;
				p++;
			} else {
				*out++ = *p++;
			}
		}
		if (*p)
			p++;
		*out = '\0';
	}
	return n;
}

/* `feed import FILE`: one feed per line, as `feed add` takes it
 * (NAME --url URL --format FMT ...); new names are added, known ones take
 * the file's configuration (their run state stays).  All or nothing. */
static int feed_import(cli_t *c, store_t *st)
{
	const char *path = c->argv[1];
	FILE *in = fopen(path, "r");
	char line[4096], err[512] = "", *argv[40];
	long lineno = 0, added = 0, changed = 0;
	if (!in)
		return cli_fail("feed import: %s: cannot read", path);
	if (store_begin(st)) {
		fclose(in);
		return cli_fail("feed import: %s", store_errmsg(st));
	}
	while (fgets(line, sizeof line, in)) {
		lineno++;
		if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* a byte-order mark */
			memmove(line, line + 3, strlen(line + 3) + 1);
		line[strcspn(line, "\r\n")] = '\0';
		int n = words(line, argv + 1, 38);
		if (n == 0)
			continue;
		store_feed_t f, old;
		cli_t one = {.db = c->db, .argc = n + 1, .argv = argv};
		argv[0] = "add";
		int bad = n < 0 ? (snprintf(err, sizeof err, "unbalanced quotes or too many words"), 1)
				: feed_parse(&one, st, &f, err, sizeof err) != 0;
		if (!bad && store_feed_get(st, f.name, &old) == STORE_OK) {
			/* known: the file's configuration, the feed's run state */
			store_feed_t keep = old;
			memcpy(keep.url, f.url, sizeof f.url);
			memcpy(keep.path, f.path, sizeof f.path);
			memcpy(keep.format, f.format, sizeof f.format);
			memcpy(keep.classification, f.classification, sizeof f.classification);
			memcpy(keep.column, f.column, sizeof f.column);
			memcpy(keep.policy, f.policy, sizeof f.policy);
			keep.tlp = f.tlp;
			keep.confidence = f.confidence;
			keep.every = f.every;
			bad = store_feed_update(st, &keep) != STORE_OK;
			changed += !bad;
		} else if (!bad) {
			bad = store_feed_add(st, &f) != STORE_OK;
			added += !bad;
		}
		if (bad) {
			store_rollback(st);
			fclose(in);
			return cli_fail("feed import: %s:%ld: %s", path, lineno,
					n >= 0 && !err[0] ? store_errmsg(st) : err);
		}
		err[0] = '\0';
	}
	fclose(in);
	char detail[64];
	snprintf(detail, sizeof detail, "%ld added, %ld changed", added, changed);
	if (cli_audit_commit(st, "feed.import", path, detail))
		return cli_fail("feed import: %s", store_errmsg(st));
	printf("%s: %s\n", path, detail);
	return 0;
}

static int print_feed(void *arg, const store_feed_t *f)
{
	json_t *list = arg;
	char ok[24] = "never", next[24];
	if (f->last_ok)
		model_time_fmt(f->last_ok, ok);
	model_time_fmt(f->next_run ? f->next_run : time(NULL), next);
	if (list) {
		/* times as the API writes them: RFC 3339, "" for never */
		json_array_append_new(list, json_pack(
			"{ss,ss,ss,ss,ss,sI,si,ss,sI,sI,sI,sI,ss,ss,sb,ss}", "name", f->name, "where",
			f->url[0] ? f->url : f->path, "format", f->format, "tlp", tlp_name(f->tlp),
			"policy", f->policy, "every", (json_int_t)f->every, "confidence", f->confidence,
			"last_ok", f->last_ok ? ok : "", "failures", (json_int_t)f->failures,
			"records", (json_int_t)f->records, "events", (json_int_t)f->events,
			"skipped", (json_int_t)f->skipped, "last_error", f->last_error, "next_run", next,
			"enabled", f->enabled, "state", feed_state(f)));
		return 0;
	}
	printf("%-24s %-14s %-8s %-20s %3lld %8lld %6lld  %s\n", f->name, f->format,
	       feed_state(f), ok, (long long)f->failures, (long long)f->events,
	       (long long)f->skipped, f->url[0] ? f->url : f->path);
	if (f->last_error[0])
		printf("%24s last error: %s\n", "", f->last_error);
	return 0;
}

static int feed_list(cli_t *c, store_t *st)
{
	int as_json = c->argc > 1 && !strcmp(c->argv[1], "--json");
	json_t *list = as_json ? json_array() : NULL;
	if (!as_json)
		printf("%-24s %-14s %-8s %-20s %3s %8s %6s  %s\n", "NAME", "FORMAT", "STATE", "LAST OK",
		       "ERR", "EVENTS", "SKIP", "WHERE");
	if (store_feed_list(st, print_feed, list)) {
		json_decref(list);
		return cli_fail("feed list: %s", store_errmsg(st));
	}
	print_list(list);
	return 0;
}

static int feed_run_cmd(cli_t *c, store_t *st)
{
	const char *notify_file = NULL, *smtp = NULL;
	store_feed_t f;
	watch_env_t w;
	feed_result_t res;
	char err[512];
	int r;
	for (int i = 2; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--notify", &notify_file)) || (r = cli_opt(c, &i, "--smtp", &smtp))) {
			if (r < 0)
				return cli_fail("feed run: %s needs a value", c->argv[i]);
			continue;
		}
		return cli_fail("feed run: unknown option '%s'", c->argv[i]);
	}
	if (store_feed_get(st, c->argv[1], &f))
		return cli_fail("feed run: %s", store_errmsg(st));
	if (env_open(st, &w, notify_file, smtp)) {
		env_close(&w);
		return 2;
	}
	w.env.arg = f.name;
	r = feed_run(st, &w.env, &f, &res, err, sizeof err);
	env_close(&w);
	if (r)
		return cli_fail("feed %s: %s", f.name, err);
	if (res.not_modified)
		printf("feed %s: not modified\n", f.name);
	else
		printf("feed %s: %ld records, %ld events, %ld duplicates, %ld on warning lists, "
		       "%ld notices, %ld skipped\n", f.name, res.ev.records, res.ev.events,
		       res.ev.duplicates, res.ev.listed, res.ev.notices, res.ev.skipped);
	if (res.ev.skipped)
		printf("  first skipped: %s\n", res.ev.first_bad);
	if (!res.not_modified && res.files && !res.ev.records) {
		fprintf(stderr, "c5hub: feed %s: %s; is --format %s right for it?\n", f.name,
			res.ev.skipped ? "every line was skipped" : "nothing was read", f.format);
		return 1;
	}
	return 0;
}

int cli_feed(cli_t *c)
{
	const char *verb = c->argc ? c->argv[0] : "";
	store_t *st;
	int rc;
	if (!((!strcmp(verb, "add") && c->argc >= 2) || (!strcmp(verb, "list") && c->argc <= 2) ||
	      (!strcmp(verb, "import") && c->argc == 2) ||
	      (!strcmp(verb, "run") && c->argc >= 2) || (!strcmp(verb, "rm") && c->argc == 2)))
		return cli_fail("usage: c5hub feed add NAME (--url URL | --path PATH) --format FMT "
				"[--tlp L] [--classification CLASS/TYPE] [--every 1h] [--confidence N] "
				"[--policy skip|reject] [--column C] | feed list [--json] | "
				"feed run NAME [--smtp URL] | feed import FILE | feed rm NAME");
	/* a run is a bulk load: a large page cache, checkpoints left to the
	 * server or the next command (the data is durable at each commit) */
	if (!(st = cli_store(c, !strcmp(verb, "run") ? STORE_DEFER_CKPT | STORE_BULK : 0)))
		return 2;
	if (!strcmp(verb, "add"))
		rc = feed_add(c, st);
	else if (!strcmp(verb, "import"))
		rc = feed_import(c, st);
	else if (!strcmp(verb, "list"))
		rc = feed_list(c, st);
	else if (!strcmp(verb, "run"))
		rc = feed_run_cmd(c, st);
	else if (store_begin(st) || store_feed_delete(st, c->argv[1]))
		rc = (store_rollback(st), cli_fail("feed rm: %s", store_errmsg(st)));
	else
		rc = cli_audit_commit(st, "feed.rm", c->argv[1], "") ? cli_fail("%s", store_errmsg(st))
								       : (printf("feed %s removed\n", c->argv[1]), 0);
	store_close(st);
	return rc;
}

/* ---- notify ---- */

static int notify_run_cmd(cli_t *c, store_t *st)
{
	const char *notify_file = NULL, *smtp = NULL;
	int flush = 0, r;
	watch_env_t w;
	notify_stats_t s;
	char err[512];
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--notify", &notify_file)) || (r = cli_opt(c, &i, "--smtp", &smtp))) {
			if (r < 0)
				return cli_fail("notify run: %s needs a value", c->argv[i]);
			continue;
		}
		if (!strcmp(c->argv[i], "--flush")) {
			flush = 1;
			i++;
			continue;
		}
		return cli_fail("notify run: unknown option '%s'", c->argv[i]);
	}
	if (env_open(st, &w, notify_file, smtp)) {
		env_close(&w);
		return 2;
	}
	r = notify_run(st, &w.nc, (int64_t)time(NULL), flush, &s, err, sizeof err);
	env_close(&w);
	if (r)
		return cli_fail("notify run: %s", err);
	printf("notify: %ld new deliveries, %ld sent, %ld to retry, %ld failed\n", s.planned, s.sent,
	       s.retried, s.failed);
	if (s.waiting)
		fprintf(stderr, "c5hub: notify: %ld e-mail deliveries wait in the store: no SMTP server is "
			"configured (give --smtp smtp://HOST:PORT or smtp in the --notify file, then "
			"notify run --flush; see c5hub notify log)\n", s.waiting);
	return s.failed || s.retried || s.waiting ? 1 : 0;
}

static int print_delivery(void *arg, const store_delivery_t *d)
{
	json_t *list = arg;
	char made[24], sent[24] = "-";
	model_time_fmt(d->created, made);
	if (d->sent_at)
		model_time_fmt(d->sent_at, sent);
	if (list) {
		json_array_append_new(list, json_pack(
			"{sI,ss,ss,sI,ss,ss,ss,sI,ss,si,ss,ss,ss}", "id", (json_int_t)d->id,
			"organisation", d->org_name, "kind", d->kind, "warning", (json_int_t)d->warning_id,
			"channel", d->channel, "target", d->target, "tlp", tlp_name(d->tlp), "events",
			(json_int_t)d->events, "state", d->state, "attempts", d->attempts, "created", made,
			"sent", sent, "last_error", d->last_error));
		return 0;
	}
	printf("%6lld %-20s %-24s %-7s %-7s %-32s %-12s %5lld %-7s %d %s\n", (long long)d->id, made,
	       d->org_name, d->kind, d->channel, d->target, tlp_name(d->tlp), (long long)d->events,
	       d->state, d->attempts, d->last_error);
	return 0;
}

static int notify_log(cli_t *c, store_t *st)
{
	const char *org = NULL;
	int as_json = 0, r;
	store_delivery_filter_t f = {0};
	for (int i = 1; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--org", &org))) {
			if (r < 0)
				return cli_fail("notify log: --org needs a name");
			continue;
		}
		if (!strcmp(c->argv[i], "--json")) {
			as_json = 1;
			i++;
			continue;
		}
		return cli_fail("notify log: unknown option '%s'", c->argv[i]);
	}
	if (org) {
		org_t o;
		if (store_org_find(st, org, &o))
			return cli_fail("notify log: %s", store_errmsg(st));
		f.org_id = o.id;
	}
	json_t *list = as_json ? json_array() : NULL;
	if (!as_json)
		printf("%6s %-20s %-24s %-7s %-7s %-32s %-12s %5s %-7s %s\n", "ID", "CREATED",
		       "ORGANISATION", "KIND", "CHANNEL", "TO", "TLP", "EVENTS", "STATE", "TRIES");
	if (store_delivery_list(st, &f, print_delivery, list)) {
		json_decref(list);
		return cli_fail("notify log: %s", store_errmsg(st));
	}
	print_list(list);
	return 0;
}

static int notify_set(cli_t *c, store_t *st)
{
	org_t o;
	store_prefs_t p;
	const char *ch = NULL, *fr = NULL, *wh = NULL, *sec = NULL, *c247 = NULL, *w247 = NULL;
	int r, changed = 0;
	if (store_org_find(st, c->argv[1], &o) || store_prefs_get(st, o.id, &p))
		return cli_fail("notify set: %s", store_errmsg(st));
	for (int i = 2; i < c->argc; changed = 1) {
		if ((r = cli_opt(c, &i, "--channel", &ch)) || (r = cli_opt(c, &i, "--frequency", &fr)) ||
		    (r = cli_opt(c, &i, "--webhook", &wh)) || (r = cli_opt(c, &i, "--secret", &sec)) ||
		    (r = cli_opt(c, &i, "--contact-247", &c247)) ||
		    (r = cli_opt(c, &i, "--webhook-247", &w247))) {
			if (r < 0)
				return cli_fail("notify set: %s needs a value", c->argv[i]);
			continue;
		}
		return cli_fail("notify set: unknown option '%s'", c->argv[i]);
	}
	if (ch && strcmp(ch, "email") && strcmp(ch, "webhook"))
		return cli_fail("notify set: --channel email or webhook");
	if (fr && strcmp(fr, "immediate") && strcmp(fr, "hourly") && strcmp(fr, "daily"))
		return cli_fail("notify set: --frequency immediate, hourly or daily");
	for (const char *u = wh; u; u = u == wh ? w247 : NULL)
		if (*u && strncmp(u, "http://", 7) && strncmp(u, "https://", 8))
			return cli_fail("notify set: webhooks are http:// or https:// URLs");
	if (c247 && *c247 && (!strchr(c247, '@') || strpbrk(c247, " <>\r\n")))
		return cli_fail("notify set: --contact-247 is an e-mail address");
	if (w247 && *w247 && strncmp(w247, "http://", 7) && strncmp(w247, "https://", 8))
		return cli_fail("notify set: webhooks are http:// or https:// URLs");
#define SET(field, v) if (v) snprintf(p.field, sizeof p.field, "%s", v)
	SET(channel, ch);
	SET(frequency, fr);
	SET(webhook, wh);
	SET(secret, sec);
	SET(contact_247, c247);
	SET(webhook_247, w247);
#undef SET
	if (!strcmp(p.channel, "webhook") && !p.webhook[0])
		return cli_fail("notify set: the webhook channel needs --webhook URL");
	if (changed) {
		if (store_begin(st) || store_prefs_set(st, o.id, &p)) {
			store_rollback(st);
			return cli_fail("notify set: %s", store_errmsg(st));
		}
		if (cli_audit_commit(st, "notify.set", o.name, "preferences"))
			return cli_fail("notify set: %s", store_errmsg(st));
	}
	/* the secret is never printed */
	printf("%s: channel %s, frequency %s, webhook %s%s, 24/7 e-mail %s, 24/7 webhook %s\n",
	       o.name, p.channel, p.frequency, p.webhook[0] ? p.webhook : "-",
	       p.secret[0] ? " (signed)" : "", p.contact_247[0] ? p.contact_247 : "-",
	       p.webhook_247[0] ? p.webhook_247 : "-");
	return 0;
}

int cli_notify(cli_t *c)
{
	const char *verb = c->argc ? c->argv[0] : "";
	store_t *st;
	int rc;
	if (strcmp(verb, "run") && strcmp(verb, "log") && !(!strcmp(verb, "set") && c->argc >= 2))
		return cli_fail("usage: c5hub notify run [--smtp URL] [--flush] [--notify FILE] | "
				"notify log [--org NAME] [--json] | notify set ORG [--channel email|webhook] "
				"[--frequency immediate|hourly|daily] [--webhook URL] [--secret KEY] "
				"[--contact-247 EMAIL] [--webhook-247 URL]");
	if (!(st = cli_store(c, 0)))
		return 2;
	rc = !strcmp(verb, "run") ? notify_run_cmd(c, st)
	     : !strcmp(verb, "log") ? notify_log(c, st) : notify_set(c, st);
	store_close(st);
	return rc;
}

/* ---- warn ---- */

int cli_warn(cli_t *c)
{
	const char *title = NULL, *cls = NULL, *sev = "high", *tlp = "amber", *aud = "all",
		   *notify_file = NULL, *smtp = NULL, *v;
	store_warning_t *w = calloc(1, sizeof *w);
	int64_t *ids = NULL;
	json_t *obs = json_array();
	store_t *st = NULL;
	watch_env_t env = {0};
	int rc = 2, r, env_ok = 0;
	char err[512];

	if (!w || !obs)
		goto out;
	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--title", &title)) ||
		    (r = cli_opt(c, &i, "--classification", &cls)) ||
		    (r = cli_opt(c, &i, "--severity", &sev)) || (r = cli_opt(c, &i, "--tlp", &tlp)) ||
		    (r = cli_opt(c, &i, "--audience", &aud)) ||
		    (r = cli_opt(c, &i, "--notify", &notify_file)) ||
		    (r = cli_opt(c, &i, "--smtp", &smtp))) {
			if (r < 0) {
				cli_fail("warn: %s needs a value", c->argv[i]);
				goto out;
			}
			continue;
		}
		if ((r = cli_opt(c, &i, "--observable", &v))) {
			obs_t o;
			int refanged;
			if (r < 0 || obs_parse_pasted(v, strlen(v), OBS_NONE, &o, &refanged, err, sizeof err)) {
				cli_fail("warn: --observable: %s", r < 0 ? "needs a value" : err);
				goto out;
			}
			if (refanged)
				printf("warn: --observable %s: defanged, read as %s\n", v, o.value);
			json_array_append_new(obs, json_pack("{ss,ss}", "type", obs_type_name(o.type),
							     "value", o.value));
			continue;
		}
		cli_fail("warn: unknown option '%s'", c->argv[i]);
		goto out;
	}
	char ferr[160];
	if (notify_warning_fill(w, title ? title : "", cls ? cls : "", sev, aud, ferr, sizeof ferr)) {
		cli_fail("warn: --%s", ferr);
		goto out;
	}
	if (tlp_parse(tlp, &w->tlp)) {
		cli_fail("warn: --tlp: unknown TLP '%s'", tlp);
		goto out;
	}
	char *o = json_dumps(obs, JSON_COMPACT);
	if (!o || strlen(o) >= sizeof w->observables) {
		free(o);
		cli_fail("warn: too many observables");
		goto out;
	}
	memcpy(w->observables, o, strlen(o) + 1);
	free(o);
	audit_cli_actor(w->author, sizeof w->author);
	if (notify_warning_check(w, err, sizeof err)) {
		cli_fail("warn: %s", err);
		goto out;
	}
	if (!(st = cli_store(c, 0)))
		goto out;
	if (env_open(st, &env, notify_file, smtp))
		goto out;
	env_ok = 1;
	w->org_id = env.env.org_id;
	size_t n = 0;
	if (store_begin(st) || notify_warning(st, &env.nc, w, &ids, &n, err, sizeof err)) {
		store_rollback(st);
		cli_fail("warn: %s", err);
		goto out;
	}
	char detail[64];
	snprintf(detail, sizeof detail, "%zu deliveries", n);
	if (cli_audit_commit(st, "warning.raise", w->title, detail)) {
		cli_fail("warn: %s", store_errmsg(st));
		goto out;
	}
	/* pushed at once: this command holds the new deliveries and sends them */
	notify_stats_t s = {0};
	if (notify_send_ids(st, &env.nc, ids, n, &s, err, sizeof err)) {
		cli_fail("warn: warning %lld recorded; sending: %s", (long long)w->id, err);
		goto out;
	}
	printf("warning %lld: %zu deliveries, %ld sent, %ld to retry\n", (long long)w->id, n, s.sent,
	       s.retried + s.failed);
	if (s.waiting)
		fprintf(stderr, "c5hub: warn: %ld e-mail deliveries wait: no SMTP server is configured "
			"(notify run --smtp smtp://HOST:PORT --flush sends them)\n", s.waiting);
	rc = s.retried || s.failed || s.waiting ? 1 : 0;
out:
	if (env_ok || st)
		env_close(&env);
	if (st)
		store_close(st);
	json_decref(obs);
	free(ids);
	free(w);
	return rc;
}

/* ---- warninglists: the operator's own, kept in the store ---- */

int cli_warninglists(cli_t *c)
{
	const char *verb = c->argc ? c->argv[0] : "";
	char err[512];
	store_t *st;
	int rc = 0;
	if (!((!strcmp(verb, "load") && c->argc == 2) || (!strcmp(verb, "show") && c->argc == 1) ||
	      (!strcmp(verb, "clear") && c->argc == 1)))
		return cli_fail("usage: c5hub warninglists load FILE | show | clear\n"
				"  FILE: one \"LIST VALUE\" per line (as data/warninglists.conf), added "
				"to the built-in lists; a running server follows within a second");
	if (!(st = cli_store(c, 0)))
		return 2;
	char *text = calloc(1, HUB_WLIST_MAX + 2);
	if (!text) {
		store_close(st);
		return cli_fail("out of memory");
	}
	if (!strcmp(verb, "show")) {
		int r = store_setting_get(st, "warninglists", text, HUB_WLIST_MAX + 1);
		if (r == STORE_OK)
			fputs(text, stdout);
		else if (r != STORE_ENOTFOUND)
			rc = cli_fail("warninglists: %s", store_errmsg(st));
	} else {
		int load = !strcmp(verb, "load");
		if (load) {
			free(text);
			if (!(text = util_read_text(c->argv[1], HUB_WLIST_MAX, err, sizeof err))) {
				rc = cli_fail("warninglists: %s", err);
				goto out;
			}
			/* checked whole before anything is stored: errors name the file's line */
			wlist_t *w = wlist_parse(text, c->argv[1], err, sizeof err);
			if (!w) {
				rc = cli_fail("warninglists: %s", err);
				goto out;
			}
			wlist_free(w);
		}
		if (store_begin(st) || store_setting_set(st, "warninglists", text) ||
		    hub_wlist_changed(st)) {
			store_rollback(st);
			rc = cli_fail("warninglists: %s", store_errmsg(st));
		} else if (cli_audit_commit(st, "warninglists.set", load ? c->argv[1] : "cleared", "")) {
			rc = cli_fail("warninglists: %s", store_errmsg(st));
		} else {
			printf("warning lists: %s (a running server follows within a second)\n",
			       load ? "loaded" : "cleared");
		}
	}
out:
	free(text);
	store_close(st);
	return rc;
}
