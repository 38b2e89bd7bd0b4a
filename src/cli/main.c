/* main.c — `c5hub COMMAND ...`: picks the command, finds the database, and
 * holds the option helpers every command uses. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "audit/audit.h"

#define C5HUB_VERSION "0.1.0"

static const char usage[] =
	"usage: c5hub [--db PATH] COMMAND [ARGS]\n"
	"\n"
	"  init [--hub-name NAME] [--country CC] [--default-tlp TLP]\n"
	"                      create or migrate the database\n"
	"  ingest [--source NAME] [--org NAME] [--tlp TLP] [--format auto|list|csv|rbldnsd]\n"
	"         [--dataset ip4set|ip4tset|ip4trie|ip6trie|dnset] [--type TYPE]\n"
	"         [--column NAME] [--confidence N] [--classification CLASS/TYPE]\n"
	"         [--valid-days N] FILE...\n"
	"  ingest --format stix|misp|iodef [--org NAME] [--tlp TLP] [--share ORG,...]\n"
	"         [--collection ALIAS] FILE|DIR...   STIX 2.1 bundles, MISP feeds, IODEF\n"
	"                      load indicators; each file is one transaction\n"
	"  lookup [--json] [--tlp-max TLP] [--min-score N] [--reputation FILE] VALUE...\n"
	"                      each value's reputation score and why (exit 0: listed,\n"
	"                      1: not, 2: error)\n"
	"  trust set default N | trust set source|org NAME N (0..100)\n"
	"  trust unset default | trust unset source|org NAME | trust list\n"
	"  org add NAME --type TYPE --country CC | org list\n"
	"  token create --org NAME --role admin|analyst|contributor|reader [--label L]\n"
	"  token revoke ID|PREFIX | token list\n"
	"  serve [--config FILE] [--http ADDR:PORT] [--reputation FILE]\n"
	"        [--dns ADDR:PORT --ip-zone Z --domain-zone Z --hash-zone Z --min-score N\n"
	"         --dns-tlp TLP --dns-txt TEMPLATE --dns-threads N]\n"
	"  export --format rbldnsd|plain|csv|suricata-iprep|zeek-intel|rpz [--type TYPE]\n"
	"         [--tlp-max TLP] [--min-score N] [--reputation FILE] [--output FILE]\n"
	"  export --format stix|misp|iodef [--org NAME] [--out FILE|DIR]   what --org\n"
	"         may see (misp: a feed directory)\n"
	"  pki init [--dir DIR] [--name NAME] [--server-name NAME]...\n"
	"  pki request --org NAME [--role ROLE] CSR.pem | pki approve ID --out CERT.pem\n"
	"      [--days N] | pki reject ID | pki revoke SERIAL|SHA256|CERT.pem | pki list\n"
	"  pki renew SERIAL --out NEW.pem [--days N]\n"
	"  pki crl [--out FILE] | pki sign FILE [--out FILE.p7s]\n"
	"  pki verify FILE SIGNATURE [--ca CA.pem]\n"
	"  constituency import [--create-orgs] FILE.csv | constituency list\n"
	"      | constituency who VALUE...\n"
	"                      who answers for a network, AS number or domain\n"
	"  feed add NAME (--url URL | --path PATH) --format FMT [--tlp TLP]\n"
	"      [--classification CLASS/TYPE] [--every 1h] [--confidence N]\n"
	"      [--policy skip|reject] [--column C] | feed list [--json] | feed rm NAME\n"
	"  feed import FILE   feeds from a file, one per line as feed add takes them\n"
	"  feed run NAME      fetch and read a feed now: events, notices, indicators\n"
	"  notify run [--smtp smtp://HOST:PORT] [--flush] [--notify FILE]\n"
	"                      send the reports that are due (--flush: all pending)\n"
	"  notify log [--org NAME] [--json] | notify set ORG [--channel email|webhook]\n"
	"      [--frequency immediate|hourly|daily] [--webhook URL] [--secret KEY]\n"
	"      [--contact-247 EMAIL] [--webhook-247 URL]\n"
	"  warn --title T --classification CLASS/TYPE [--severity low|medium|high|critical]\n"
	"      [--tlp TLP] [--audience all|ORG,...|type:TYPE] [--observable V]...\n"
	"      [--smtp URL]      raise an early warning; pushed at once\n"
	"  warninglists load FILE | show | clear\n"
	"                      the operator's warning lists, added to the built-in ones\n"
	"  taxii collection add ALIAS [--title T] [--description D] [--tlp TLP]\n"
	"      [--read all|ORG,...] [--write all|ORG,...] | taxii collection list\n"
	"  taxii grant COLLECTION all|ORG,... --read|--write\n"
	"  taxii poll API_ROOT COLLECTION [--token T] [--into ALIAS] [--org PEER-ORG]\n"
	"      [--tlp TLP] [--cacert F] [--cert F --key F]\n"
	"                      read a TAXII 2.1 collection from where the last poll stopped\n"
	"  taxii push API_ROOT COLLECTION --from ALIAS --org PEER-ORG [--token T]\n"
	"                      post what the peer may see, added since the last push\n"
	"  taxii peer add NAME --url API_ROOT --collection ID --org PEER-ORG [--token T]\n"
	"      [--into ALIAS] [--push-from ALIAS] [--every 15m] [--cacert F]\n"
	"      [--cert F --key F] | taxii peer list\n"
	"  taxii sync [NAME]   poll (and push to) the configured peers now; the server\n"
	"                      does it on their schedule\n"
	"  incident list       the incidents held (from IODEF or STIX), for evidence add\n"
	"  evidence add INCIDENT-ID FILE [--org NAME] [--tlp TLP] [--note TEXT]\n"
	"  evidence list [INCIDENT-ID] | evidence get ID --out FILE [--reason TEXT]\n"
	"  evidence custody ID  files attached to incidents, with their chain of custody\n"
	"                      (exit 1: broken)\n"
	"  audit list | audit verify\n"
	"                      the tamper-evident log of every change (exit 1: broken)\n"
	"  version\n"
	"\n"
	"The database is --db PATH, else $C5HUB_DB, else ./c5hub.db.\n";

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("c5hub: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

int cli_opt(cli_t *c, int *i, const char *name, const char **val)
{
	const char *a = c->argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		(*i)++;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= c->argc) {
		cli_fail("%s needs a value", name);
		return -1;
	}
	*val = c->argv[*i + 1];
	*i += 2;
	return 1;
}

store_t *cli_store(const cli_t *c, int flags)
{
	store_t *st;
	char err[512];
	if (store_open(c->db, flags, &st, err, sizeof err) != STORE_OK) {
		cli_fail("%s", err);
		return NULL;
	}
	return st;
}

int cli_audit_commit(store_t *st, const char *action, const char *object, const char *detail)
{
	char actor[64];
	audit_entry_t e = {.actor = audit_cli_actor(actor, sizeof actor), .addr = "local",
			   .action = action, .object = object, .detail = detail ? detail : ""};
	if (audit_record(st, &e) || store_commit(st)) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

int cli_conf_read(const char *path, const char *const *keys, cli_conf_t *out)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int lineno = 0;
	memset(out, 0, sizeof *out);
	out->path = path;
	if (!f)
		return cli_fail("%s: cannot read the configuration file", path);
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (lineno == 1 && !strncmp(line, "\xEF\xBB\xBF", 3)) /* a byte-order mark */
			memmove(line, line + 3, strlen(line + 3) + 1);
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			fclose(f);
			cli_conf_free(out);
			return cli_fail("%s:%d: line too long", path, lineno);
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
			       line[len - 1] == '\t'))
			line[--len] = '\0';
		char *k = line + strspn(line, " \t");
		if (!*k || *k == '#')
			continue;
		size_t kl = strcspn(k, " \t=");
		char *v = k + kl + strspn(k + kl, " \t");
		if (*v == '=')
			v += 1 + strspn(v + 1, " \t");
		k[kl] = '\0';
		const char *const *kk = keys;
		while (*kk && strcmp(*kk, k))
			kk++;
		const char *why = !*kk ? "unknown key" : !*v ? "no value" : NULL;
		size_t vl = strlen(v);
		if (!why && *v == '"') {
			if (vl < 2 || v[vl - 1] != '"')
				why = "unterminated quoted value";
			v[vl - 1] = '\0';
			v++;
		}
		if (why) {
			fclose(f);
			cli_conf_free(out);
			return cli_fail("%s:%d: %s '%s'", path, lineno, why, k);
		}
		char **na = realloc(out->c.argv, (size_t)(out->c.argc + 2) * sizeof *na);
		int *nl = realloc(out->lines, (size_t)(out->c.argc / 2 + 1) * sizeof *nl);
		char *opt = malloc(strlen(k) + 3);
		char *val = strdup(v);
		if (na)
			out->c.argv = na;
		if (nl)
			out->lines = nl;
		if (!na || !nl || !opt || !val) {
			free(opt);
			free(val);
			fclose(f);
			cli_conf_free(out);
			return cli_fail("%s: out of memory", path);
		}
		sprintf(opt, "--%s", k);
		out->lines[out->c.argc / 2] = lineno;
		out->c.argv[out->c.argc++] = opt;
		out->c.argv[out->c.argc++] = val;
	}
	fclose(f);
	return 0;
}

void cli_conf_free(cli_conf_t *conf)
{
	for (int i = 0; i < conf->c.argc; i++)
		free(conf->c.argv[i]);
	free(conf->c.argv);
	free(conf->lines);
	memset(conf, 0, sizeof *conf);
}

const char *cli_conf_where(const cli_conf_t *conf, const char *val, char *buf, size_t size)
{
	buf[0] = '\0';
	for (int k = 1; val && k < conf->c.argc; k += 2)
		if (conf->c.argv[k] == val) {
			snprintf(buf, size, "%s:%d: ", conf->path, conf->lines[k / 2]);
			break;
		}
	return buf;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(cli_t *); } cmds[] = {
		{"init", cli_init},   {"ingest", cli_ingest}, {"lookup", cli_lookup},
		{"org", cli_org},     {"token", cli_token},   {"serve", cli_serve},
		{"export", cli_export}, {"trust", cli_trust}, {"pki", cli_pki},
		{"audit", cli_audit}, {"constituency", cli_constituency},
		{"feed", cli_feed},   {"notify", cli_notify}, {"warn", cli_warn},
		{"warninglists", cli_warninglists}, {"taxii", cli_taxii}, {"evidence", cli_evidence},
		{"incident", cli_incident},
	};
	cli_t c = {.db = getenv("C5HUB_DB")};
	int i = 1;

	c.db_given = c.db && *c.db;
	if (!c.db_given)
		c.db = "c5hub.db";
	/* --db may come before or after the command */
	char **rest = calloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	if (!rest)
		return 2;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			c.db = argv[++i], c.db_given = 1;
		else if (strncmp(argv[i], "--db=", 5) == 0)
			c.db = argv[i] + 5, c.db_given = 1;
		else
			rest[nrest++] = argv[i];
	}
	int rc = 2;
	if (nrest == 0 || !strcmp(rest[0], "help") || !strcmp(rest[0], "--help") ||
	    !strcmp(rest[0], "-h")) {
		fputs(usage, nrest ? stdout : stderr);
		rc = nrest ? 0 : 2;
	} else if (!strcmp(rest[0], "version") || !strcmp(rest[0], "--version")) {
		printf("c5hub %s\n", C5HUB_VERSION);
		rc = 0;
	} else {
		size_t k;
		for (k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
			if (!strcmp(rest[0], cmds[k].name))
				break;
		if (k == sizeof cmds / sizeof cmds[0]) {
			cli_fail("unknown command '%s' (try c5hub help)", rest[0]);
		} else {
			c.argc = nrest - 1;
			c.argv = rest + 1;
			rc = cmds[k].fn(&c);
		}
	}
	free(rest);
	return rc;
}
