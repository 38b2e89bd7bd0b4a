/* cli_help.c — the usage of every command, in one table: `c5hub help`,
 * `c5hub COMMAND --help` (any sub-command too) and the man page
 * (`c5hub help --man`, c5hub.1) are all made from it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ingest/ingest.h"

typedef struct {
	const char *name;
	const char *synopsis; /* lines after "c5hub ", each ending in \n */
	const char *about;    /* what it does, one or two lines */
	const char *example;  /* one command line */
} help_t;

static const help_t helps[] = {
	{"init",
	 "init [--hub-name NAME] [--country CC] [--default-tlp TLP] [--notify-from ADDR]\n"
	 "     [--case-prefix PREFIX]\n",
	 "Create or migrate the database (--db PATH, else $C5HUB_DB, else ./c5hub.db).",
	 "c5hub init --hub-name \"GH CIRT\" --country GH"},
	{"ingest",
	 "ingest [--source NAME] [--org NAME] [--tlp TLP] [--format FMT] [--type TYPE]\n"
	 "       [--dataset ip4set|ip4tset|ip4trie|ip6trie|dnset] [--column NAME|MAP]\n"
	 "       [--confidence N] [--classification CLASS/TYPE] [--valid-days N] FILE...\n"
	 "ingest --format stix|misp|iodef [--org NAME] [--tlp TLP] [--share ORG,...]\n"
	 "       [--collection ALIAS] FILE|DIR...\n"
	 "ingest --format csaf [--org NAME] FILE|URL...\n",
	 "Load indicators, each file one transaction. The TLP defaults to the hub's\n"
	 "(AMBER); defanged values (hxxp://, [.]) are read refanged. FMT is one of\n"
	 INGEST_FORMATS ".",
	 "c5hub ingest --tlp green --classification malicious-code/c2-server c2.txt"},
	{"lookup",
	 "lookup [--json] [--tlp-max TLP] [--min-score N] [--reputation FILE] VALUE...\n",
	 "Each value's reputation score and why (exit 0: listed, 1: not, 2: error).",
	 "c5hub lookup 'hxxp://login[.]bank-secure.example/'"},
	{"trust",
	 "trust set default N | trust set source NAME N [--new] | trust set org NAME N\n"
	 "trust unset default | trust unset source NAME | trust unset org NAME | trust list\n",
	 "How far the hub trusts a source or an organisation (0..100); unknown names are\n"
	 "refused unless --new (a source still to come).",
	 "c5hub trust set source urlhaus 80"},
	{"org",
	 "org add NAME --type TYPE --country CC | org list\n"
	 "org policy NAME any|token|certificate|both | org policy NAME --totp required|optional\n",
	 "The organisations of the constituency; TYPE: government, private-sector,\n"
	 "civil-society, international, academia; policy: how its members sign in\n"
	 "(--totp: whether its people need a second factor in the console).",
	 "c5hub org add \"Telco GH\" --type private-sector --country GH"},
	{"user",
	 "user add EMAIL --org NAME --role admin|analyst|contributor|reader [--name N]\n"
	 "user list [--org NAME] [--json] | user disable|enable|reset EMAIL\n"
	 "user password EMAIL (the password on stdin) | user totp EMAIL [--code N]\n",
	 "The people who sign in to the web console: add prints a one-time enrolment\n"
	 "link (24 h); reset clears the password and second factor and prints a new one.",
	 "c5hub user add ana@bank.example --org \"Bank A\" --role analyst"},
	{"token",
	 "token create [--org NAME] --role admin|analyst|contributor|reader|peer [--label L]\n"
	 "token revoke ID|PREFIX | token list\n",
	 "API tokens (shown once); peer: another hub that reads and writes over TAXII.",
	 "c5hub token create --org \"Telco GH\" --role reader --label soc"},
	{"serve",
	 "serve [--config FILE] [--http ADDR:PORT] [--tls] [--reputation FILE]\n"
	 "      [--smtp smtp://HOST:PORT] [--notify FILE] [--sla FILE] [--no-feeds]\n"
	 "      [--dns ADDR:PORT --ip-zone Z --domain-zone Z --hash-zone Z --min-score N\n"
	 "       --dns-tlp TLP --dns-txt TEMPLATE --dns-threads N]\n",
	 "The HTTP API (HTTPS with --tls), the DNS blocklist, the feed scheduler and the\n"
	 "notifications; a --config file holds the same keys (\"min-score = 50\").",
	 "c5hub serve --http 127.0.0.1:8080 --smtp smtp://127.0.0.1:25"},
	{"export",
	 "export --format rbldnsd|plain|csv|suricata-iprep|zeek-intel|rpz [--type TYPE]\n"
	 "       [--tlp-max TLP] [--min-score N] [--reputation FILE] [--output FILE]\n"
	 "       [--categories FILE]   (suricata-iprep: Suricata's categories file too)\n"
	 "export --format stix|misp|iodef [--org NAME] [--out FILE|DIR]\n",
	 "Block lists for other tools (default --tlp-max green: what was left out for its\n"
	 "TLP is said on stderr), or what --org may see as STIX, MISP or IODEF.",
	 "c5hub export --format plain --tlp-max amber --output block.txt"},
	{"pki",
	 "pki init [--dir DIR] [--name NAME] [--server-name NAME]...\n"
	 "pki request --org NAME [--role ROLE] CSR.pem | pki requests [--all]\n"
	 "pki approve ID --out CERT.pem [--days N] | pki reject ID\n"
	 "pki revoke SERIAL|SHA256|CERT-FILE | pki list | pki crl [--out FILE]\n"
	 "pki renew SERIAL|SHA256 --out NEW.pem [--days N]\n"
	 "pki sign FILE [--out FILE.p7s] | pki verify FILE SIGNATURE [--ca CA.pem]\n",
	 "The hub's certificate authority: requests, client certificates, the CRL, signed\n"
	 "advisories.",
	 "c5hub pki request --org \"Telco GH\" --role analyst noc.csr"},
	{"constituency",
	 "constituency import [--create-orgs] FILE.csv | constituency list\n"
	 "constituency who VALUE...\n",
	 "Who answers for a network, AS number or domain (CSV: organisation,resource,\n"
	 "abuse_contact); unknown organisations are refused unless --create-orgs.",
	 "c5hub constituency who 198.51.100.7"},
	{"feed",
	 "feed add NAME (--url URL | --path PATH) --format FMT [--tlp TLP]\n"
	 "     [--classification CLASS/TYPE] [--every 1h] [--confidence N]\n"
	 "     [--policy skip|reject] [--column C]\n"
	 "feed list [--json] | feed rm NAME | feed import FILE\n"
	 "feed run NAME [--smtp URL] [--notify FILE]\n",
	 "Feeds the server runs on their period: events, notices, indicators. FMT: as for\n"
	 "ingest (dshield, dataplane, spamhaus-cert, urlhaus, shadowserver ...).",
	 "c5hub feed add dshield --url https://feeds.dshield.org/block.txt --format dshield"},
	{"notify",
	 "notify run [--smtp smtp://HOST:PORT] [--flush] [--notify FILE]\n"
	 "notify log [--org NAME] [--json]\n"
	 "notify set ORG [--channel email|webhook] [--frequency immediate|hourly|daily]\n"
	 "     [--webhook URL] [--secret KEY] [--contact-247 EMAIL] [--webhook-247 URL]\n",
	 "Send the reports that are due (--flush: every pending one); with no SMTP server\n"
	 "e-mail waits in the store (notify log).",
	 "c5hub notify run --smtp smtp://127.0.0.1:25 --flush"},
	{"warn",
	 "warn --title T --classification CLASS/TYPE [--severity low|medium|high|critical]\n"
	 "     [--tlp TLP] [--audience all|ORG,...|type:TYPE] [--observable V]...\n"
	 "     [--smtp URL] [--notify FILE]\n",
	 "Raise an early warning, pushed at once to its audience (known names only).",
	 "c5hub warn --title \"C2 active\" --classification malicious-code/c2-server "
	 "--audience \"Telco GH\" --observable 203.0.113.9"},
	{"warninglists",
	 "warninglists load FILE | warninglists show | warninglists clear\n",
	 "The operator's warning lists, added to the built-in ones.",
	 "c5hub warninglists load our-resolvers.txt"},
	{"taxii",
	 "taxii collection add ALIAS [--title T] [--description D] [--tlp TLP]\n"
	 "      [--read all|ORG,...] [--write all|ORG,...] | taxii collection list\n"
	 "taxii grant COLLECTION all|ORG,... --read|--write\n"
	 "taxii poll API_ROOT COLLECTION [--token T] [--into ALIAS] [--org PEER-ORG]\n"
	 "      [--tlp TLP] [--cacert F] [--cert F --key F] [--limit N]\n"
	 "taxii push API_ROOT COLLECTION --from ALIAS --org PEER-ORG [--token T] [--limit N]\n"
	 "taxii peer add NAME --url API_ROOT --collection ID --org PEER-ORG [--token T]\n"
	 "      [--into ALIAS] [--push-from ALIAS] [--every 15m] [--cacert F]\n"
	 "      [--cert F --key F] | taxii peer list\n"
	 "taxii sync [NAME]\n",
	 "TAXII 2.1 collections served by the hub, and polling / pushing peers.",
	 "c5hub taxii collection add shared --title \"Shared intelligence\" --read all"},
	{"incident",
	 "incident list\n",
	 "The incidents held (from IODEF or STIX), with the ids evidence add takes.",
	 "c5hub incident list"},
	{"evidence",
	 "evidence add INCIDENT-ID FILE [--org NAME] [--tlp TLP] [--note TEXT]\n"
	 "evidence list [INCIDENT-ID] | evidence get ID --out FILE [--reason TEXT]\n"
	 "evidence custody ID\n",
	 "Files attached to incidents, with their chain of custody (exit 1: broken).",
	 "c5hub evidence add incident--1b2c... capture.pcap --note \"sensor 3\""},
	{"assess",
	 "assess questionnaire load|validate FILE|default | assess questionnaire list\n"
	 "assess new ENTITY --period P [--questionnaire NAME] [--version N] [--org NAME] [--tlp TLP]\n"
	 "assess list [ENTITY] | assess answer ID QUESTION=VALUE... [--evidence IDS] | --hub\n"
	 "assess submit ID | assess validate ID [QUESTION accept|reject [--comment T] | --all]\n"
	 "assess reopen ID | assess answers ID | assess history ID\n"
	 "assess results ID [--format text|csv|json|html] [--out FILE]\n"
	 "assess roadmap ID [--rules FILE] | assess roadmap ID set ACTION STATE [--assignee WHO]\n"
	 "assess index --input FILE.csv [--pillars FILE] [--normalise minmax|zscore|rank|target|goalposts]\n"
	 "       [--weights equal|FILE] [--aggregate arith|geom] [--missing exclude|impute] [--runs N]\n"
	 "       [--seed S] [--mc-weights uniform|dirichlet] [--spread X] [--mc-normalise]\n"
	 "       [--mc-aggregate] [--json|--csv]\n",
	 "National self-assessment: questionnaires (validated with the JSON path of each\n"
	 "error), answers and their review, scores (pillar 0-20, total 0-100, tier, CMM\n"
	 "stage), exports and the roadmap (exit 1: a file refused). index: a composite\n"
	 "index across many entities (the OECD/JRC Handbook's choices, each stated), with a\n"
	 "seeded Monte Carlo: median rank, 5-95 % interval, driving pillar.",
	 "c5hub assess new \"Ghana\" --period 2026 --tlp amber"},
	{"advisory",
	 "advisory new FILE.json | advisory edit FILE.json | advisory list [--published] [--mirrors]\n"
	 "advisory show ID | advisory publish ID [--summary TEXT]\n"
	 "advisory export ID [--preview] [--out FILE]\n"
	 "advisory subscribe|unsubscribe EMAIL | advisory subscribers\n",
	 "Advisories as CSAF 2.0: written, published as signed revisions, exported.",
	 "c5hub advisory publish C5-2026-0001 --summary \"Fixed versions named\""},
	{"gw",
	 "gw entry|resource|news add [--org NAME] [--FIELD VALUE]... [--file PATH]\n"
	 "gw entry|resource|news edit ID [--FIELD VALUE]... | gw entry|resource|news list\n"
	 "       [--status draft|pending|public] [--json] | gw entry|resource|news approve|reject ID\n"
	 "gw search [WORDS] [--public] [--kind K] [--area A] [--json]\n",
	 "The Cybersecurity Gateway: directory entries, resources and news (the API's\n"
	 "fields as options), approved to become public; search as the public sees it.",
	 "c5hub gw entry add --kind team --name \"GH CIRT\" --stakeholder government --country GH"},
	{"intake",
	 "intake [--max-size BYTES] [--smtp URL] [--notify FILE] [--fallback-charset CS] < MESSAGE\n"
	 "intake send [--smtp URL] [--notify FILE]\n",
	 "The mail gateway: one message from an MTA on stdin becomes a case (or the\n"
	 "reporter's reply on the case its subject names); exit 0 taken, 65 too big, 75 retry.\n"
	 "send: e-mail the case entries written to reporters.",
	 "c5hub intake --smtp smtp://127.0.0.1:25 < report.eml"},
	{"audit",
	 "audit list | audit verify\n",
	 "The tamper-evident log of every change (verify: exit 1 when broken).",
	 "c5hub audit verify"},
	{"sla",
	 "sla check [FILE]\n",
	 "Read SLA policies, teams and calendars (as data/sla.conf; without FILE the\n"
	 "built-in ones) and say what they hold, or the first error as file:line.",
	 "c5hub sla check /etc/c5hub/sla.conf"},
	{"help",
	 "help [COMMAND] | help --man\n",
	 "This text, one command's, or the manual page (roff) made from it.",
	 "c5hub help --man > c5hub.1"},
	{"version",
	 "version\n",
	 "The program's version.",
	 "c5hub version"},
	{"case",
	 "case new --title T [--org NAME] [--body TEXT] [--classification C/T] [--severity S]\n"
	 "         [--tlp TLP] [--team T] [--assignee EMAIL] [--observable V]...\n"
	 "case list [--open] [--status S] [--org NAME] [--classification C] [--severity S]\n"
	 "          [--team T] [--assignee EMAIL] [--q WORDS] [--limit N] [--json]\n"
	 "case show REF [--json] [--all] | case edit REF [--title T] [--classification C] [--severity S]\n"
	 "          [--tlp TLP] [--team T] [--version N]\n"
	 "case assign REF EMAIL|none [--version N] | case wait REF on|off\n"
	 "case status REF STATE [--resolution TEXT] [--version N]\n"
	 "case comment REF TEXT [--to-reporter] [--version N]\n"
	 "case task REF add TITLE [--assignee EMAIL] [--due TIME] | case task REF done|undo ID\n"
	 "case link REF observable|event|notice|warning|stix|evidence TARGET\n"
	 "case affected REF add|remove ORG | case merge DUPLICATE INTO\n"
	 "case escalate event|notice|warning ID [--title T]\n"
	 "case export REF --format iodef|stix [--output FILE]\n"
	 "case share REF --collection ALIAS [--to ORG]\n"
	 "case import FILE.xml --org NAME [--tlp TLP]   (an IODEF report: a case per incident)\n"
	 "case stats [--from TIME] [--to TIME] [--json] | case lifecycle FILE|--show|--default\n",
	 "Incident cases: references PREFIX-YEAR-NNNNN, states from the lifecycle (data/\n"
	 "lifecycle.conf); --version refuses a change to a case changed since (exit 2);\n"
	 "show prints the newest 100 timeline entries (--all: every one).",
	 "c5hub case status CIRT-2026-00042 containment --version 3"},
};

#define NHELP (sizeof helps / sizeof helps[0])

static const help_t *find(const char *name)
{
	for (size_t i = 0; i < NHELP; i++)
		if (!strcmp(helps[i].name, name))
			return &helps[i];
	return NULL;
}

/* The synopsis lines, each after prefix. */
static void put_synopsis(FILE *f, const help_t *h, const char *first, const char *rest)
{
	const char *p = h->synopsis;
	for (int k = 0; *p; k++) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "%s%.*s\n", k ? rest : first, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void cli_usage(FILE *f)
{
	fputs("usage: c5hub [--db PATH] COMMAND [ARGS]   (c5hub COMMAND --help: one command)\n\n", f);
	for (size_t i = 0; i < NHELP; i++) {
		put_synopsis(f, &helps[i], "  ", "  ");
		const char *p = helps[i].about;
		while (*p) {
			size_t n = strcspn(p, "\n");
			fprintf(f, "      %.*s\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	fputs("\nThe database is --db PATH, else $C5HUB_DB, else ./c5hub.db.\n", f);
}

int cli_help_command(const char *name)
{
	const help_t *h = find(name);
	if (!h)
		return cli_fail("help: no command '%s' (c5hub help lists them)", name);
	put_synopsis(stdout, h, "usage: c5hub ", "       c5hub ");
	printf("\n%s\n\nexample:\n  %s\n", h->about, h->example);
	return 0;
}

/* roff text: backslashes as \e, hyphens as \- (minus); a line's leading
 * dot or quote escaped when at_start. */
static void roff(FILE *f, const char *s, size_t n, int at_start)
{
	if (at_start && n && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
}

static void roff_lines(FILE *f, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		roff(f, p, n, 1);
		fputc('\n', f);
		p += n + (p[n] == '\n');
	}
}

void cli_man(FILE *f, const char *version)
{
	fprintf(f, ".TH C5HUB 1 \"\" \"c5hub %s\" \"User Commands\"\n", version);
	fputs(".SH NAME\nc5hub \\- a national CIRT's watch, warning and incident response hub\n"
	      ".SH SYNOPSIS\n.B c5hub\n[\\fB\\-\\-db\\fR \\fIPATH\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
	      ".br\n.B c5hub\n\\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
	      ".SH DESCRIPTION\nOne program: the indicator store and its reputation scores, the HTTP "
	      "API, the DNS blocklist, feeds, notifications, early warnings, TAXII, the certificate "
	      "authority and the audit log.\nEvery command and sub-command prints its usage with "
	      "\\fB\\-\\-help\\fR.\n.SH COMMANDS\n", f);
	for (size_t i = 0; i < NHELP; i++) {
		const help_t *h = &helps[i];
		fprintf(f, ".SS %s\n.nf\n", h->name);
		const char *p = h->synopsis;
		while (*p) { /* continuation lines keep their indent */
			size_t n = strcspn(p, "\n"), lead = strspn(p, " ");
			fputs(lead ? "\\fB" : "\\fBc5hub ", f);
			for (size_t k = 0; k < lead && k < n; k++)
				fputs("\\ ", f);
			roff(f, p + lead, n - (lead < n ? lead : n), 0);
			fputs("\\fR\n", f);
			p += n + (p[n] == '\n');
		}
		fputs(".fi\n.PP\n", f);
		roff_lines(f, h->about);
		fputs(".PP\nExample:\n.RS\n.EX\n", f);
		roff_lines(f, h->example);
		fputs(".EE\n.RE\n", f);
	}
	fputs(".SH ENVIRONMENT\n.TP\n.B C5HUB_DB\nThe database, when \\fB\\-\\-db\\fR is not given "
	      "(else \\fI./c5hub.db\\fR).\n"
	      ".SH EXIT STATUS\n0 on success; 1 when the answer is no (lookup: not listed; verify: "
	      "broken) or part of the work failed; 2 on a usage or runtime error.\n"
	      ".SH SEE ALSO\nThe README of the source tree: the HTTP API, TAXII, the formats.\n", f);
}

int cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}
