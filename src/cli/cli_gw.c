/* cli_gw.c — `c5hub gw entry|resource|news add|edit|list|approve|reject`
 * and `c5hub gw search`: the Cybersecurity Gateway from the command line,
 * as the hub's administrator.  Options become the API's JSON object and go
 * through the same reading and checks (gw_json.h, gw.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gw/gw.h"
#include "gw/gw_json.h"
#include "hub/hub.h"

#define GW_USAGE                                                                               \
	"usage: c5hub gw entry|resource|news add [--org NAME] [--FIELD VALUE]... [--file PATH] | " \
	"gw entry|resource|news edit ID [--FIELD VALUE]... | gw entry|resource|news list "          \
	"[--status S] [--json] | gw entry|resource|news approve|reject ID | gw search [WORDS] "    \
	"[--public] [--kind K] [--area A] [--json]"

/* The command line's principal: an administrator of the hub. */
static int admin_of(store_t *st, principal_t *p)
{
	int64_t hub_org = 0;
	tlp_t t;
	if (hub_read_settings(st, &hub_org, &t))
		return -1;
	*p = (principal_t){.org_id = hub_org, .role = ROLE_ADMIN, .hub_member = 1};
	snprintf(p->cred, sizeof p->cred, "cli");
	return 0;
}

static int read_file(const char *path, char **data, size_t *n)
{
	FILE *f = fopen(path, "rb");
	*data = NULL;
	*n = 0;
	if (!f)
		return -1;
	size_t cap = 0;
	for (;;) {
		if (util_grow(data, &cap, *n + 65536, 1, 65536)) {
			fclose(f);
			return -1;
		}
		size_t k = fread(*data + *n, 1, cap - *n, f);
		*n += k;
		if (k == 0 || *n > GW_FILE_MAX)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

static int save(cli_t *c, store_t *st, const char *kind, int64_t id, int first)
{
	json_t *in = json_object();
	const char *file = NULL, *field;
	char err[512];
	principal_t p;
	int rc;
	if (admin_of(st, &p))
		return cli_fail("gw: cannot read the hub's settings: %s", store_errmsg(st));
	for (int i = first; i < c->argc; i++) {
		const char *a = c->argv[i];
		if (strncmp(a, "--", 2) || i + 1 >= c->argc) {
			json_decref(in);
			return cli_fail("gw %s: expected --FIELD VALUE, got '%s'", kind, a);
		}
		if (!strcmp(a, "--file"))
			file = c->argv[++i];
		else
			json_object_set_new(in, a + 2, json_string(c->argv[++i]));
	}
	union {
		store_gw_entry_t e;
		store_gw_res_t r;
		store_gw_news_t n;
	} *u = calloc(1, sizeof *u);
	if (!u) {
		json_decref(in);
		return cli_fail("gw: out of memory");
	}
	rc = !strcmp(kind, "entry") ? (id ? store_gw_entry_get(st, id, &u->e) : 0)
	   : !strcmp(kind, "resource") ? (id ? store_gw_res_get(st, id, &u->r) : 0)
	   : (id ? store_gw_news_get(st, id, &u->n) : 0);
	if (rc) {
		free(u);
		json_decref(in);
		return cli_fail("gw %s edit: no %s %lld", kind, kind, (long long)id);
	}
	const char *org = json_string_value(json_object_get(in, "org"));
	int64_t org_id = 0;
	if (org) {
		org_t o;
		if (store_org_find(st, org, &o)) {
			free(u);
			json_decref(in);
			return cli_fail("gw %s: no organisation named '%s'", kind, org);
		}
		org_id = o.id;
		json_object_del(in, "org");
	}
	if (!strcmp(kind, "entry")) {
		u->e.status[0] = '\0';
		if (org_id)
			u->e.org_id = org_id;
		rc = gw_entry_from_json(in, &u->e, &field, err, sizeof err);
	} else if (!strcmp(kind, "resource")) {
		u->r.status[0] = '\0';
		if (org_id)
			u->r.org_id = org_id;
		rc = gw_res_from_json(in, &u->r, &field, err, sizeof err);
	} else {
		u->n.status[0] = '\0';
		if (org_id)
			u->n.org_id = org_id;
		rc = gw_news_from_json(in, &u->n, &field, err, sizeof err);
	}
	if (rc) {
		rc = cli_fail("gw %s: --%s: %s", kind, field ? field : "?", err);
		goto out;
	}
	char *data = NULL;
	size_t n = 0;
	if (file && (strcmp(kind, "resource") || read_file(file, &data, &n))) {
		rc = cli_fail("gw %s: --file %s: %s", kind, file,
			      strcmp(kind, "resource") ? "only resources have files" : "cannot read it");
		free(data);
		goto out;
	}
	if (store_begin(st)) {
		free(data);
		rc = cli_fail("gw: %s", store_errmsg(st));
		goto out;
	}
	int64_t nid;
	if (!strcmp(kind, "entry"))
		rc = gw_entry_save(st, &p, &u->e, &field, err, sizeof err), nid = u->e.id;
	else if (!strcmp(kind, "resource"))
		rc = gw_res_save(st, &p, &u->r, &field, err, sizeof err), nid = u->r.id;
	else
		rc = gw_news_save(st, &p, &u->n, &field, err, sizeof err), nid = u->n.id;
	if (!rc && file)
		rc = gw_res_attach(st, &p, nid, data, n, file, err, sizeof err);
	free(data);
	char obj[48];
	snprintf(obj, sizeof obj, "%s %lld", kind, (long long)nid);
	if (rc) {
		store_rollback(st);
		rc = field ? cli_fail("gw %s: --%s: %s", kind, field, err) : cli_fail("gw %s: %s", kind, err);
		goto out;
	}
	if (cli_audit_commit(st, id ? "gw.edit" : "gw.add", obj, "")) {
		rc = cli_fail("gw: %s", store_errmsg(st));
		goto out;
	}
	printf("%lld\n", (long long)nid);
	rc = 0;
out:
	free(u);
	json_decref(in);
	return rc;
}

typedef struct {
	json_t *json;
	const char *kind;
} list_t;

static int print_item(list_t *l, json_t *j)
{
	if (l->json) {
		json_array_append(l->json, j);
		return 0;
	}
	const char *t = json_string_value(json_object_get(j, !strcmp(l->kind, "entry") ? "name" : "title"));
	printf("%-6lld %-8s %-6s %s\n", (long long)json_integer_value(json_object_get(j, "id")),
	       json_string_value(json_object_get(j, "status")),
	       json_string_value(json_object_get(j, "tlp")) ? json_string_value(json_object_get(j, "tlp")) : "clear",
	       t);
	return 0;
}

static int entry_cb(void *arg, const store_gw_entry_t *e)
{
	json_t *j = gw_entry_json(e);
	int rc = print_item(arg, j);
	json_decref(j);
	return rc;
}

static int res_cb(void *arg, const store_gw_res_t *r)
{
	json_t *j = gw_res_json(r);
	int rc = print_item(arg, j);
	json_decref(j);
	return rc;
}

static int news_cb(void *arg, const store_gw_news_t *n)
{
	json_t *j = gw_news_json(n);
	int rc = print_item(arg, j);
	json_decref(j);
	return rc;
}

static int list(cli_t *c, store_t *st, const char *kind)
{
	const char *status = NULL;
	int json = 0;
	for (int i = 2, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--status", &status))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!strcmp(c->argv[i], "--json")) {
			json = 1, i++;
			continue;
		}
		return cli_fail("gw %s list: unexpected argument '%s'", kind, c->argv[i]);
	}
	list_t l = {json ? json_array() : NULL, kind};
	store_gw_filter_t f = {.status = status, .view = TLP_VIEW_ALL, .limit = 100000};
	int rc = !strcmp(kind, "entry") ? store_gw_entry_list(st, &f, entry_cb, &l)
	       : !strcmp(kind, "resource") ? store_gw_res_list(st, &f, res_cb, &l)
	       : store_gw_news_list(st, &f, news_cb, &l);
	if (rc) {
		json_decref(l.json);
		return cli_fail("gw %s list: %s", kind, store_errmsg(st));
	}
	if (json) {
		json_dumpf(l.json, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(l.json);
	}
	return 0;
}

static int approve(cli_t *c, store_t *st, const char *kind, int yes)
{
	char err[256], *end, obj[48];
	principal_t p;
	if (c->argc != 3)
		return cli_fail("gw %s %s: give one ID", kind, yes ? "approve" : "reject");
	int64_t id = strtoll(c->argv[2], &end, 10);
	if (*end || id <= 0)
		return cli_fail("gw %s: '%s' is not an id", kind, c->argv[2]);
	if (admin_of(st, &p))
		return cli_fail("gw: cannot read the hub's settings: %s", store_errmsg(st));
	if (store_begin(st))
		return cli_fail("gw: %s", store_errmsg(st));
	int rc = gw_approve(st, &p, kind, id, yes, err, sizeof err);
	if (rc) {
		store_rollback(st);
		return cli_fail("gw %s: %s", kind, err);
	}
	snprintf(obj, sizeof obj, "%s %lld", kind, (long long)id);
	if (cli_audit_commit(st, yes ? "gw.approve" : "gw.reject", obj, ""))
		return cli_fail("gw: %s", store_errmsg(st));
	return 0;
}

static int search(cli_t *c, store_t *st)
{
	char q[1024] = "", err[256];
	const char *kind = NULL, *area = NULL;
	int json = 0, pub = 0;
	unsigned areas = 0;
	for (int i = 1, r; i < c->argc;) {
		if ((r = cli_opt(c, &i, "--kind", &kind)) || (r = cli_opt(c, &i, "--area", &area))) {
			if (r < 0)
				return 2;
			continue;
		}
		if (!strcmp(c->argv[i], "--json"))
			json = 1;
		else if (!strcmp(c->argv[i], "--public"))
			pub = 1;
		else if (strlen(q) + strlen(c->argv[i]) + 2 < sizeof q)
			strcat(strcat(q, *q ? " " : ""), c->argv[i]);
		i++;
	}
	if (area && gw_area_parse(area, &areas, err, sizeof err))
		return cli_fail("gw search: --area: %s", err);
	gw_result_t *res = malloc(sizeof *res);
	tlp_view_t v = pub ? GW_VIEW_PUBLIC : TLP_VIEW_ALL;
	gw_search_t s = {.q = q, .kind = kind, .areas = areas};
	if (!res)
		return cli_fail("gw search: out of memory");
	int rc = gw_search(st, &v, &s, res, err, sizeof err);
	if (rc) {
		free(res);
		return cli_fail("gw search: %s", err);
	}
	if (json) {
		json_t *j = gw_result_json(res);
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	} else {
		for (int i = 0; i < res->nhits; i++)
			printf("%-8s %-16s %-6s %s\n", res->hits[i].kind, res->hits[i].ref, tlp_name(res->hits[i].tlp),
			       res->hits[i].title);
		fprintf(stderr, "%ld found\n", res->total);
	}
	free(res);
	return 0;
}

int cli_gw(cli_t *c)
{
	static const char *const kinds[] = {"entry", "resource", "news"};
	if (c->argc >= 1 && !strcmp(c->argv[0], "search")) {
		store_t *st = cli_store(c, 0);
		if (!st)
			return 2;
		int rc = search(c, st);
		store_close(st);
		return rc;
	}
	if (c->argc < 2 || !gw_one_of(c->argv[0], kinds, 3))
		return cli_fail("%s", GW_USAGE);
	const char *kind = c->argv[0], *verb = c->argv[1];
	store_t *st = cli_store(c, 0);
	if (!st)
		return 2;
	int rc;
	char *end = NULL;
	if (!strcmp(verb, "add"))
		rc = save(c, st, kind, 0, 2);
	else if (!strcmp(verb, "edit") && c->argc >= 3 && strtoll(c->argv[2], &end, 10) > 0 && !*end)
		rc = save(c, st, kind, strtoll(c->argv[2], NULL, 10), 3);
	else if (!strcmp(verb, "list"))
		rc = list(c, st, kind);
	else if (!strcmp(verb, "approve") || !strcmp(verb, "reject"))
		rc = approve(c, st, kind, !strcmp(verb, "approve"));
	else
		rc = cli_fail("%s", GW_USAGE);
	store_close(st);
	return rc;
}
