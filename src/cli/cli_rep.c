/* cli_rep.c — `c5hub lookup` (a value's score and why, from the store) and
 * `c5hub trust` (trust in sources and organisations). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "core/util.h"
#include "hub/hub.h"
#include "rep/rep_json.h"
#include "wlist/wlist.h"

rep_model_t *cli_rep_model(store_t *st, const char *file)
{
	char err[512];
	rep_model_t *m = rep_model_new(err, sizeof err);
	if (!m || (file && rep_model_load(m, file, err, sizeof err)) ||
	    hub_rep_trust(m, st, err, sizeof err)) {
		cli_fail("%s", err);
		rep_model_free(m);
		return NULL;
	}
	return m;
}

/* ---- lookup: every key that could match, from the store ---- */

typedef struct {
	indicator_t *v;
	const char **how;
	size_t n, cap, hcap;
	tlp_view_t view; /* the operator's: every report up to --tlp-max */
	int oom;
} found_t;

static int found_cb(void *arg, const indicator_t *i)
{
	found_t *f = arg;
	if (!tlp_visible(&f->view, i->tlp, i->org_id, 0))
		return 0;
	if (util_grow(&f->v, &f->cap, f->n + 1, sizeof *f->v, 8) ||
	    util_grow(&f->how, &f->hcap, f->n + 1, sizeof *f->how, 8)) {
		f->oom = 1;
		return 1;
	}
	f->v[f->n++] = *i;
	return 0;
}

static int find(store_t *st, found_t *f, obs_type_t t, const char *value, const char *how)
{
	size_t before = f->n;
	if (store_find_values(st, &t, &value, 1, found_cb, f) || f->oom)
		return -1;
	for (size_t k = before; k < f->n; k++)
		f->how[k] = how;
	return 0;
}

/* Exact, covering prefixes, parent domains: what the index would match. */
static int find_all(store_t *st, const obs_t *q, found_t *f)
{
	if (q->type == OBS_IPV4 || q->type == OBS_IPV6) {
		for (int plen = q->plen; plen >= 0; plen--) {
			uint8_t a[16];
			char v[64];
			memcpy(a, q->addr, 16);
			obs_mask(q->type, a, (unsigned)plen);
			obs_format_ip(q->type, a, (unsigned)plen, v);
			if (find(st, f, q->type, v, plen == q->plen ? "exact" : "prefix"))
				return -1;
		}
		return 0;
	}
	if (find(st, f, q->type, q->value, "exact"))
		return -1;
	if (q->type == OBS_DOMAIN)
		for (const char *d = strchr(q->value, '.'); d; d = strchr(d + 1, '.'))
			if (find(st, f, OBS_DOMAIN, d + 1, "parent"))
				return -1;
	return 0;
}

static void print_text(const obs_t *q, const char *v, const found_t *f, const rep_report_t *r,
		       const rep_why_t *w, const rep_result_t *res, const rep_model_t *m, const char *wl)
{
	printf("%s  %s  %s\n", v, obs_type_name(q->type), q->value);
	if (wl)
		printf("  on the warning list '%s': never published, whatever its score\n", wl);
	if (f->n == 0) {
		printf("  (no match)\n");
		return;
	}
	printf("  score %d: %d reporter%s, %d false-positive report%s", res->score, res->reporters,
	       res->reporters == 1 ? "" : "s", res->fps, res->fps == 1 ? "" : "s");
	if (res->best >= 0)
		printf("; %s, DNSBL 127.0.0.%d", r[res->best].cls, rep_code(m, r[res->best].cls));
	printf("\n");
	for (size_t k = 0; k < f->n; k++) {
		const indicator_t *i = &f->v[k];
		char vu[32] = "-";
		if (i->valid_until)
			model_time_fmt(i->valid_until, vu);
		printf("  %-7s %-40s #%lld source=%s org=%s tlp=%s class=%s valid_until=%s\n"
		       "          confidence %d x trust %d%% x decay %.3f (age %.1fd of %gd, speed %g) "
		       "= %.1f %s\n",
		       f->how[k], i->value, (long long)i->id, i->source, i->org_name, tlp_name(i->tlp),
		       i->classification, vu, r[k].conf, r[k].trust, w[k].decay, w[k].age / 1440.0,
		       w[k].d.lifetime / 1440.0, w[k].d.speed, w[k].weight, rep_state_name(w[k].state));
	}
}

static json_t *as_json(const obs_t *q, const char *v, const found_t *f, const rep_report_t *r,
		       const rep_why_t *w, const rep_result_t *res, const rep_model_t *m, int listed,
		       const char *wl)
{
	json_t *o = json_pack("{s:s, s:s, s:s}", "value", v, "type", obs_type_name(q->type),
			      "canonical", q->value), *list = json_array();
	rep_json_result(o, r, res, listed, m);
	json_object_set_new(o, "warning_list", wl ? json_string(wl) : json_null());
	for (size_t k = 0; k < f->n; k++) {
		const indicator_t *i = &f->v[k];
		json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)i->id,
				      "match", f->how[k], "matched", i->value, "source", i->source,
				      "tlp", tlp_name(i->tlp), "org_id", (json_int_t)i->org_id, "org",
				      i->org_name);
		rep_json_why(e, &r[k], &w[k]);
		json_array_append_new(list, e);
	}
	json_object_set_new(o, "reports", list);
	return o;
}

/* Score one parsed value; 1 listed, 0 not, -1 error. */
static int lookup_one(store_t *st, const rep_model_t *m, const wlist_t *wlists, const obs_t *q,
		      const char *v, int tlp, int min_score, json_t *all)
{
	const char *wl = wlist_match(wlists, q);
	found_t f = {.view = {.max_tlp = (tlp_t)tlp}};
	rep_report_t *r = NULL;
	rep_why_t *w = NULL;
	rep_result_t res = {.best = -1};
	int rc = -1;
	if (find_all(st, q, &f)) {
		cli_fail("lookup: %s", f.oom ? "out of memory" : store_errmsg(st));
		goto out;
	}
	if (f.n && (!(r = calloc(f.n, sizeof *r)) || !(w = calloc(f.n, sizeof *w)))) {
		cli_fail("lookup: out of memory");
		goto out;
	}
	for (size_t k = 0; k < f.n; k++)
		r[k] = (rep_report_t){.conf = f.v[k].confidence,
				      .trust = rep_trust(m, f.v[k].source, f.v[k].org_id),
				      .seen = rep_minutes(f.v[k].last_seen),
				      .until = rep_minutes_up(f.v[k].valid_until),
				      .cls = f.v[k].classification};
	rep_score(m, r, f.n, rep_minutes((int64_t)time(NULL)), &res, w);
	rc = rep_listed(&res, min_score, wl);
	if (all)
		json_array_append_new(all, as_json(q, v, &f, r, w, &res, m, rc, wl));
	else
		print_text(q, v, &f, r, w, &res, m, wl);
out:
	free(f.v);
	free(f.how);
	free(r);
	free(w);
	return rc;
}

int cli_lookup(cli_t *c)
{
	const char *tlp = NULL, *rep_file = NULL, *score = NULL;
	int as_json = 0, listed = 0, errors = 0, nvals = 0, r, min_score = 1;
	tlp_t max_tlp = TLP_RED;
	char **vals = calloc((size_t)c->argc + 1, sizeof *vals);
	if (!vals)
		return 2;
	for (int i = 0; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--tlp-max", &tlp)) || (r = cli_opt(c, &i, "--reputation", &rep_file)) ||
		    (r = cli_opt(c, &i, "--min-score", &score))) {
			if (r < 0)
				goto usage;
			continue;
		}
		if (!strcmp(c->argv[i], "--json"))
			as_json = 1;
		else
			vals[nvals++] = c->argv[i];
		i++;
	}
	if (nvals == 0) {
		cli_fail("lookup: give one or more values");
		goto usage;
	}
	if (tlp && tlp_parse(tlp, &max_tlp)) {
		cli_fail("lookup: unknown --tlp-max '%s'", tlp);
		goto usage;
	}
	if (score) {
		char *end;
		long v = strtol(score, &end, 10);
		if (!*score || *end || v < 0 || v > 100) {
			cli_fail("lookup: --min-score must be 0 to 100");
			goto usage;
		}
		min_score = (int)v;
	}
	store_t *st = cli_store(c, 0);
	rep_model_t *m = st ? cli_rep_model(st, rep_file) : NULL;
	char werr[256];
	wlist_t *wls = m ? hub_wlist_load(st, werr, sizeof werr) : NULL;
	obs_t *q = malloc(sizeof *q);
	json_t *all = as_json ? json_array() : NULL;
	if (!st || !m || !wls || !q) {
		errors++;
		goto done;
	}
	for (int k = 0; k < nvals; k++) {
		char err[512];
		int refanged;
		if (obs_parse_pasted(vals[k], strlen(vals[k]), OBS_NONE, q, &refanged, err, sizeof err)) {
			errors++;
			if (all)
				json_array_append_new(all, json_pack("{s:s, s:s}", "value", vals[k], "error", err));
			else
				fprintf(stderr, "c5hub: lookup: %s\n", err);
			continue;
		}
		if (refanged && !all)
			printf("(defanged: looked up as %s)\n", q->value);
		int l = lookup_one(st, m, wls, q, vals[k], (int)max_tlp, min_score, all);
		if (refanged && all)
			json_object_set_new(json_array_get(all, json_array_size(all) - 1), "refanged",
					    json_true());
		errors += l < 0;
		listed += l > 0;
	}
	if (all) {
		char *s = json_dumps(all, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
	}
done:
	json_decref(all);
	free(q);
	rep_model_free(m);
	wlist_free(wls);
	store_close(st);
	free(vals);
	return errors ? 2 : listed ? 0 : 1;
usage:
	free(vals);
	return 2;
}

/* ---- trust ---- */

typedef struct {
	store_t *st;
	int n;
} trust_list_t;

static int trust_print(void *arg, const store_trust_t *t)
{
	trust_list_t *l = arg;
	char when[32];
	org_t o;
	const char *name = t->name;
	if (!strcmp(t->kind, "org") && store_org_get(l->st, strtoll(t->name, NULL, 10), &o) == STORE_OK)
		name = o.name;
	printf("%-7s %-40s %3d  %s\n", t->kind, *name ? name : "-", t->value, model_time_fmt(t->updated, when));
	l->n++;
	return 0;
}

/* Is name a source the hub knows?  known gets a few of them for the error. */
typedef struct {
	const char *name;
	int found, n;
	char close[MODEL_NAME_MAX + 1]; /* a known source the name is a typo of */
	char known[400];
} source_seek_t;

static int source_seen(void *arg, const char *name)
{
	source_seek_t *s = arg;
	size_t l = strlen(s->known);
	if (!strcmp(name, s->name))
		s->found = 1;
	else if (!s->close[0] && util_name_close(s->name, name))
		snprintf(s->close, sizeof s->close, "%s", name);
	if (s->n++ < 12 && l + strlen(name) + 8 < sizeof s->known)
		snprintf(s->known + l, sizeof s->known - l, "%s'%s'", l ? ", " : "", name);
	else if (s->n == 13)
		snprintf(s->known + l, sizeof s->known - l, ", ...");
	return 0;
}

static const char trust_usage[] =
	"trust set default N | trust set source NAME N [--new] | trust set org NAME N\n"
	"       trust unset default | trust unset source NAME | trust unset org NAME\n"
	"       trust list";

int cli_trust(cli_t *c)
{
	const char *verb = c->argc > 0 ? c->argv[0] : "";
	int set = !strcmp(verb, "set"), unset = !strcmp(verb, "unset"), is_new = 0;
	store_t *st;
	/* --new: a source the hub has not seen yet (a feed still to come) */
	if (set && c->argc > 1 && !strcmp(c->argv[c->argc - 1], "--new")) {
		is_new = 1;
		c->argc--;
	}
	if (!strcmp(verb, "list") && c->argc == 1) {
		if (!(st = cli_store(c, 0)))
			return 2;
		trust_list_t l = {.st = st};
		printf("kind    name                                     trust  updated\n");
		int rc = store_trust_list(st, trust_print, &l);
		if (rc)
			cli_fail("trust: %s", store_errmsg(st));
		else if (l.n == 0)
			printf("(none: every reporter has the default trust of data/reputation.conf)\n");
		store_close(st);
		return rc ? 2 : 0;
	}
	if (!set && !unset)
		return cli_fail("usage: %s", trust_usage);
	const char *kind = c->argc > 1 ? c->argv[1] : "";
	int is_default = !strcmp(kind, "default");
	int want = 2 + !is_default + set; /* verb kind [name] [value] */
	if ((!is_default && strcmp(kind, "source") && strcmp(kind, "org")) || c->argc != want)
		return cli_fail("usage: %s", trust_usage);
	const char *name = is_default ? "" : c->argv[2];
	int value = -1;
	if (set) {
		char *end;
		const char *v = c->argv[want - 1];
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < 0 || n > 100)
			return cli_fail("trust: the trust must be a whole number from 0 to 100, not '%s'", v);
		value = (int)n;
	}
	if (!is_default && !model_name_ok(name))
		return cli_fail("trust: '%s' is not a valid name", name);
	if (!(st = cli_store(c, 0)))
		return 2;
	char idbuf[32];
	org_t o;
	if (!strcmp(kind, "org")) {
		if (store_org_find(st, name, &o) != STORE_OK) {
			store_close(st);
			return cli_fail("trust: no organisation named '%s' (see c5hub org list)", name);
		}
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)o.id);
		name = idbuf;
	}
	if (set && !strcmp(kind, "source")) {
		source_seek_t s = {.name = name};
		if (store_source_list(st, source_seen, &s)) {
			cli_fail("trust: %s", store_errmsg(st));
			store_close(st);
			return 2;
		}
		if (!s.found && !is_new) {
			store_close(st);
			return cli_fail("trust: no feed or indicators come from a source named '%s'%s%s%s "
					"(known: %s); add --new to trust a source still to come", name,
					s.close[0] ? ": did you mean '" : "", s.close, s.close[0] ? "'?" : "",
					s.known[0] ? s.known : "none yet");
		}
		if (!s.found)
			printf("trust: source '%s' is new to the hub\n", name);
	} else if (is_new) {
		store_close(st);
		return cli_fail("trust: --new goes with trust set source");
	}
	char what[200], val[16];
	snprintf(what, sizeof what, "%s %s", kind, is_default ? "" : c->argv[2]);
	snprintf(val, sizeof val, "%d%s", value, is_new ? " (new source)" : "");
	int rc = store_begin(st);
	if (!rc)
		rc = store_trust_set(st, kind, name, value);
	if (!rc)
		rc = cli_audit_commit(st, set ? "trust.set" : "trust.unset", what, set ? val : NULL);
	if (rc) {
		cli_fail("trust: %s", store_errmsg(st));
		store_rollback(st);
	} else if (set) {
		printf("trust %s %s = %d (the server re-scores within a second)\n", kind,
		       c->argv[is_default ? 1 : 2], value);
	} else {
		printf("trust %s %s removed\n", kind, is_default ? "" : c->argv[2]);
	}
	store_close(st);
	return rc ? 2 : 0;
}
