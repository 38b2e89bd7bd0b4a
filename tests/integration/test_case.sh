#!/usr/bin/env bash
# test_case.sh — incident cases end to end with the real binary, server and
# curl: references with the configured prefix; the CLI's case commands; a
# constituent reporting by POST /api/v1/incidents (reporter = its org) and
# what it sees (its own cases, the entries addressed to it, never internal
# notes, never another organisation's case by list, get, guessed reference
# or export); the lifecycle enforced (resolution asked); If-Match / ETag
# and 412 with what changed; bad input refused naming the field and
# changing nothing; affected constituents from the constituency; related
# cases and merge; escalation of an early warning; IODEF and STIX exports
# validated (xmllint against iodef-2.0.xsd, the OASIS STIX schemas);
# sharing over TAXII with TLP enforced for a peer; figures as CSV and JSON;
# every change in the audit chain; IODEF as the body (application/xml);
# a title of only spaces refused; the title search by its index; the
# timeline in keyset pages; If-None-Match (304).
. "$(dirname "$0")/lib.sh"
plan 102

T=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
X=$T/iodef
cat >"$WORK/catalog.xml" <<CAT
<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://www.w3.org/2009/01/xml.xsd" uri="file://$X/xml.xsd"/>
  <system systemId="http://www.iana.org/assignments/xml-registry/schema/iodef-enum-1.0.xsd" uri="file://$TOOLS/iodef/iodef-enum-stub.xsd"/>
  <system systemId="http://www.iana.org/assignments/xml-registry/schema/iodef-sci-1.0.xsd" uri="file://$TOOLS/iodef/iodef-sci-stub.xsd"/>
</catalog>
CAT
valid_iodef() { XML_CATALOG_FILES=$WORK/catalog.xml xmllint --nonet --noout --schema "$X/iodef-2.0.xsd" "$1" 2>&1; }
valid_stix() { python3 "$TOOLS/stix_validate.py" "$T/stix2-schemas/schemas" "$1" 2>&1; }
Y=$(date -u +%Y)
# apiv TOKEN METHOD PATH BODY IF-MATCH -> "STATUS BODY", headers in $WORK/hdr
apiv() {
	local args=(-s -o "$WORK/resp" -D "$WORK/hdr" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1")
	[ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	[ -n "${5:-}" ] && args+=(-H "If-Match: $5")
	echo "$(curl "${args[@]}" "$BASE$3") $(cat "$WORK/resp")"
}
body() { cut -d' ' -f2-; }
code() { cut -d' ' -f1; }
count() { sqlite3 "$C5HUB_DB" "SELECT (SELECT count(*) FROM cases) || '/' || (SELECT count(*) FROM case_entries) || '/' || (SELECT max(version) FROM cases)"; }

"$C5" init --hub-name "GH CIRT" --country GH --case-prefix GH-CIRT >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Telco B" --type private-sector --country GH >/dev/null
"$C5" org add "Ministry C" --type government --country GH >/dev/null
"$C5" org add "Peer Hub" --type international --country ZZ >/dev/null
printf 'organisation,resource,abuse_contact\nTelco B,198.51.100.0/24,abuse@telco-b.example\nMinistry C,gov.example,soc@gov.example\n' >"$WORK/cons.csv"
"$C5" constituency import "$WORK/cons.csv" >/dev/null
ANALYST=$("$C5" token create --role analyst 2>/dev/null)
BANK=$("$C5" token create --org "Bank A" --role contributor 2>/dev/null)
BANKR=$("$C5" token create --org "Bank A" --role reader 2>/dev/null)
TELCO=$("$C5" token create --org "Telco B" --role contributor 2>/dev/null)
TELCO_AN=$("$C5" token create --org "Telco B" --role analyst 2>/dev/null)
PEER=$("$C5" token create --org "Peer Hub" --role peer 2>/dev/null)
start_server

# --- the CLI
out=$("$C5" case new --title "Defacement of gov portal" --org "Ministry C" --classification information-content-security/unauthorised-information-modification --severity critical --observable 'hxxps://portal.gov[.]example/' --body "the front page shows a message" 2>&1); rc=$?
eq "case new opens a case" "$rc" 0
has "with a reference from the configured prefix, counted per year" "$out" "GH-CIRT-$Y-00001 opened (version 1, new)"
C1=GH-CIRT-$Y-00001
has "its affected constituent comes from the constituency" "$("$C5" case show $C1)" "affected: Ministry C (constituency)"
before=$(count)
out=$("$C5" case new --title "x" --severity urgent 2>&1); rc=$?
eq "a bad severity is refused" "$rc" 2
has "naming the field" "$out" "severity: 'urgent' is not low, medium, high or critical"
out=$("$C5" case new --title "x" --classification fraud/whatever 2>&1)
has "a classification outside the RSIT is refused, named" "$out" "classification: 'fraud/whatever'"
out=$("$C5" case new --title "x" --observable "not an observable" 2>&1)
has "a value that is no observable is refused, with its place" "$out" "observables[0]:"
out=$("$C5" case status $C1 closed --resolution done 2>&1)
has "the lifecycle refuses new -> closed and says the way" "$out" "new -> closed is not allowed (from new: triage, rejected, duplicate, merged)"
eq "and nothing of that changed anything" "$(count)" "$before"
check "case status moves it to triage" "$C5" case status $C1 triage --version 1
out=$("$C5" case status $C1 containment --version 1 2>&1); rc=$?
eq "a stale --version is refused" "$rc" 2
has "saying what changed since" "$out" "version 1 is now 2; status new -> triage by cli"
out=$("$C5" case status $C1 closed 2>&1)
has "closing asks for a resolution" "$out" "resolution: 'closed' needs a resolution"
check "an internal note" "$C5" case comment $C1 "looks like the group from last year"
check "a task with a due date" "$C5" case task $C1 add "restore from backup" --due 2026-12-31T17:00:00Z
check "a link to the hub's audit of an evidence-free case: a STIX id" "$C5" case link $C1 stix "incident--9e1e3b6f-1a3c-4d0b-8a0e-3d5b4c7e2f10"
out=$("$C5" case link $C1 event 999999 2>&1)
has "a link to an event that does not exist is refused" "$out" "target: no event 999999"

# --- a constituent reports by the API
out=$(apiv "$BANK" POST /api/v1/incidents '{"title":"Phishing of our customers","description":"a kit at 198.51.100.7","classification":"fraud/phishing","severity":"high","observables":["198.51.100.7","hxxp://login.bank-a-secure[.]example/"]}')
eq "POST /api/v1/incidents opens a case" "$(echo "$out" | code)" 201
C2=$(echo "$out" | body | json 'd["ref"]')
eq "numbered after the CLI's" "$C2" "GH-CIRT-$Y-00002"
eq "the reporter is the token's organisation" "$(echo "$out" | body | json 'd["reporter"]')" "Bank A"
has "with its version as the ETag" "$(cat "$WORK/hdr")" 'ETag: "1"'
eq "a reader may not report" "$(apiv "$BANKR" POST /api/v1/incidents '{"title":"x"}' | code)" 403
eq "a constituent may not open cases as the hub" "$(apiv "$BANK" POST /api/v1/cases '{"title":"x"}' | code)" 403
before=$(count)
out=$(apiv "$BANK" POST /api/v1/incidents '{"title":"x","tlp":"purple"}')
eq "a bad TLP is refused" "$(echo "$out" | code)" 400
has "naming the field" "$out" '"field":"tlp"'
out=$(apiv "$BANK" POST /api/v1/incidents '{"title":"x","observables":["ok.example", 7]}')
has "a bad observable is named with its index" "$out" '"item":1'
eq "nothing was written by refused reports" "$(count)" "$before"
out=$(apiv "$ANALYST" GET /api/v1/cases/$C2)
has "the hub sees Telco B affected through 198.51.100.0/24" "$out" '"org":"Telco B"'
has "and the observables' reputation (the one verdict)" "$out" '"reputation":{'

# --- the hub works the case; the reporter sees only what is addressed to it
apiv "$ANALYST" POST /api/v1/cases/$C2/comments '{"text":"INTERNAL: the kit is hosted by a customer of Telco B"}' >/dev/null
apiv "$ANALYST" POST /api/v1/cases/$C2/comments '{"text":"Thank you, we are taking it down.","to_reporter":true}' >/dev/null
out=$(apiv "$ANALYST" PATCH /api/v1/cases/$C2 '{"status":"triage","assignee":null}' '"3"')
eq "PATCH with the current version (If-Match)" "$(echo "$out" | code)" 200
has "answers with the new ETag" "$(cat "$WORK/hdr")" 'ETag: "4"'
out=$(apiv "$ANALYST" PATCH /api/v1/cases/$C2 '{"severity":"low"}' '"1"')
eq "PATCH with a stale version: 412" "$(echo "$out" | code)" 412
eq "the answer gives the version now" "$(echo "$out" | body | json 'd["version"]')" 4
eq "and what changed since, in order" "$(echo "$out" | body | json '[c["kind"] for c in d["changes"]]')" "['comment', 'comment', 'status']"
has "an internal note's words are not repeated" "$(echo "$out" | body | json 'd["changes"][0]["text"]')" "(internal note)"
eq "the stale change changed nothing" "$(apiv "$ANALYST" GET /api/v1/cases/$C2 | body | json 'd["severity"]')" high
out=$(apiv "$BANK" GET /api/v1/cases/$C2)
eq "the reporter reads its case" "$(echo "$out" | code)" 200
has "with the hub's answer to it" "$out" "we are taking it down"
eq "never an internal note" "$(echo "$out" | grep -c INTERNAL)" 0
out=$(apiv "$BANK" POST /api/v1/cases/$C2/comments '{"text":"Another customer reported it","to_reporter":false}')
eq "the reporter comments on its case" "$(echo "$out" | code)" 200
eq "a reporter's note is never internal: it reads it back" "$(apiv "$BANK" GET /api/v1/cases/$C2 | body | json 'd["timeline"][-1]["text"]')" "Another customer reported it"
eq "the reporter may not change the state" "$(apiv "$BANK" PATCH /api/v1/cases/$C2 '{"status":"closed"}' | code)" 403

# --- another organisation never sees it
eq "Telco B's list has none of Bank A's cases" "$(apiv "$TELCO" GET /api/v1/cases | body | json 'len(d["cases"])')" 0
eq "nor by its reference (404)" "$(apiv "$TELCO" GET /api/v1/cases/$C2 | code)" 404
eq "nor a guessed one (404 as for one that does not exist)" "$(apiv "$TELCO" GET /api/v1/cases/GH-CIRT-$Y-00001 | code)" "$(apiv "$TELCO" GET /api/v1/cases/GH-CIRT-$Y-99999 | code)"
eq "nor its export" "$(apiv "$TELCO" GET "/api/v1/cases/$C2/export?format=stix" | code)" 404
eq "nor by commenting on it" "$(apiv "$TELCO" POST /api/v1/cases/$C2/comments '{"text":"hi"}' | code)" 404
eq "an analyst of a constituent is not the hub's team" "$(apiv "$TELCO_AN" GET /api/v1/cases/$C2 | code)" 404

# --- related cases, merge, escalation, keyset pages
out=$(apiv "$TELCO" POST /api/v1/incidents '{"title":"Phishing host in our network","observables":["198.51.100.7"]}')
C3=$(echo "$out" | body | json 'd["ref"]')
has "a case sharing an observable is suggested as related" "$(apiv "$ANALYST" GET /api/v1/cases/$C3 | body | json 'd["related"]')" "$C2"
out=$(apiv "$ANALYST" POST /api/v1/cases/$C3/merge "{\"into\":\"$C2\"}")
eq "merge a duplicate" "$(echo "$out" | code)" 200
eq "the duplicate is merged" "$(apiv "$ANALYST" GET /api/v1/cases/$C3 | body | json 'd["status"]')" merged
"$C5" warn --title "Ransomware wave" --classification malicious-code/malware-distribution --severity high --observable 203.0.113.99 --audience "Bank A" >/dev/null 2>&1
WID=$(sqlite3 "$C5HUB_DB" "SELECT max(id) FROM warnings")
out=$(apiv "$ANALYST" POST /api/v1/cases/escalate "{\"kind\":\"warning\",\"id\":$WID}")
eq "an early warning escalates into a case in one action" "$(echo "$out" | code)" 201
C4=$(echo "$out" | body | json 'd["ref"]')
has "carrying its observables" "$("$C5" case show $C4)" "link: observable 203.0.113.99"
out=$(apiv "$ANALYST" GET "/api/v1/cases?limit=2")
N1=$(echo "$out" | body | json 'd["next_cursor"]')
out2=$(apiv "$ANALYST" GET "/api/v1/cases?limit=2&cursor=$N1" | body | json '[c["ref"] for c in d["cases"]]')
eq "keyset pages: newest first, then the rest" "$(echo "$out" | body | json '[c["ref"] for c in d["cases"]]') $out2" "['$C4', '$C3'] ['$C2', '$C1']"
eq "filters: open cases of a classification" "$(apiv "$ANALYST" GET "/api/v1/cases?open=1&classification=fraud" | body | json '[c["ref"] for c in d["cases"]]')" "['$C2']"

# --- exports
"$C5" case export $C2 --format iodef --output "$WORK/c2.xml"
out=$(valid_iodef "$WORK/c2.xml"); has "the IODEF export validates against iodef-2.0.xsd" "$out" "validates"
apiv "$BANK" GET "/api/v1/cases/$C2/export?format=iodef" >/dev/null
cp "$WORK/resp" "$WORK/c2-bank.xml"
out=$(valid_iodef "$WORK/c2-bank.xml"); has "the reporter's IODEF validates too" "$out" "validates"
eq "and holds no internal note" "$(grep -c INTERNAL "$WORK/c2-bank.xml")" 0
"$C5" case export $C2 --format stix --output "$WORK/c2.json"
out=$(valid_stix "$WORK/c2.json"); has "the STIX export validates against the OASIS schemas" "$out" "ok "
eq "an incident with indicators, observed data and relationships" "$(json 'sorted(set(o["type"] for o in d["objects"]))' <"$WORK/c2.json")" "['identity', 'incident', 'indicator', 'ipv4-addr', 'observed-data', 'relationship', 'url']"

# --- sharing over TAXII to a peer: TLP enforced
"$C5" taxii collection add cases --read "Peer Hub" >/dev/null
"$C5" case new --title "Botnet C2 seen by the hub" --tlp green --observable 192.0.2.44 >/dev/null
C5G=GH-CIRT-$Y-00005
"$C5" case edit $C2 --tlp red >/dev/null
check "a GREEN case goes into the collection" "$C5" case share $C5G --collection cases
check "so does a RED one (kept, not given)" "$C5" case share $C2 --collection cases --to "Peer Hub"
has "sharing is in the case's timeline" "$("$C5" case show $C5G)" "share     cli"
sleep 1.2
out=$(curl -s -H "Authorization: Bearer $PEER" -H "Accept: application/taxii+json;version=2.1" "$BASE/taxii2/api1/collections/cases/objects/")
has "the peer reads the GREEN case's incident" "$out" "Botnet C2 seen by the hub"
eq "never the RED one, even named" "$(echo "$out" | grep -c 'Phishing of our customers')" 0

# --- figures and the audit chain
out=$("$C5" case stats)
has "case stats: CSV by class" "$out" "class,fraud,"
has "and sector" "$out" "sector,private-sector,2"
eq "time to acknowledge (median, p90) by the API" "$(apiv "$ANALYST" GET /api/v1/cases/stats | body | json 'sorted(d["time_to"]["acknowledge"])')" "['median_s', 'n', 'p90_s']"
eq "a constituent's figures count its own cases only" "$(apiv "$BANK" GET /api/v1/cases/stats | body | json 'd["cases"]')" 1
n=$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM audit WHERE object = '$C2' AND action LIKE 'case.%'")
eq "every change of the case is in the audit chain" "$((n >= 8))" 1
check "which verifies" "$C5" audit verify

# --- IODEF reports: a case per incident new to the hub
out=$("$C5" case import "$X/rfc5070-botnet-example.xml" --org "Bank A"); rc=$?
eq "case import takes an IODEF 1 report" "$rc" 0
has "a case per incident, its description the title" "$out" "opened (iodef): Large bot-net"
has "the systems' addresses and names its observables" "$("$C5" case show "$(echo "$out" | cut -d' ' -f1)")" "link: observable irc.example.com"
has "the same report again opens nothing" "$("$C5" case import "$X/rfc5070-botnet-example.xml" --org "Bank A")" "no incident"
doc=$(python3 -c 'import json,sys; print(json.dumps({"iodef": open(sys.argv[1]).read()}))' "$WORK/c2.xml")
out=$(apiv "$TELCO" POST /api/v1/incidents "$doc")
eq "POST /api/v1/incidents takes an IODEF 2 document (the hub's own export, reported back)" "$(echo "$out" | code)" 201
R=$(echo "$out" | body | json 'd["cases"][0]')
eq "the case is the reporter's" "$(apiv "$TELCO" GET /api/v1/cases/$R | body | json 'd["reporter"]')" "Telco B"
before=$(count)
out=$(apiv "$TELCO" POST /api/v1/incidents '{"iodef":"<IODEF-Document/>"}')
has "a document that is no IODEF is refused, naming the field" "$out" '"field":"iodef"'
eq "and writes nothing" "$(count)" "$before"

# --- IODEF as the body itself (Content-Type: application/xml)
xpost() { # TOKEN FILE CTYPE [QUERY] -> "STATUS BODY"
	echo "$(curl -s -o "$WORK/resp" -w '%{http_code}' -X POST -H "Authorization: Bearer $1" \
		-H "Content-Type: $3" --data-binary @"$2" "$BASE/api/v1/incidents${4:-}") $(cat "$WORK/resp")"
}
"$C5" case export GH-CIRT-$Y-00001 --format iodef --output "$WORK/c1.xml"
out=$(xpost "$BANK" "$WORK/c1.xml" application/xml "?tlp=green")
eq "POST /api/v1/incidents takes an IODEF 2 document as application/xml" "$(echo "$out" | code)" 201
R=$(echo "$out" | body | json 'd["cases"][0]')
eq "a case of the reporter's" "$(apiv "$BANK" GET /api/v1/cases/$R | body | json 'd["reporter"]')" "Bank A"
has "an unknown TLP is refused, naming it" "$(xpost "$BANK" "$WORK/c1.xml" application/xml "?tlp=pink")" '"field":"tlp"'
eq "the same document again opens nothing" "$(xpost "$BANK" "$WORK/c1.xml" application/xml | body | json 'len(d["cases"])')" 0
before=$(count)
printf '<IODEF-Document version="2.0" xmlns="urn:ietf:params:xml:ns:iodef-2.0"><Incident/></IODEF-Document>' >"$WORK/bad.xml"
out=$(xpost "$BANK" "$WORK/bad.xml" "application/xml; charset=utf-8")
has "an invalid document is refused (400), naming the body" "$out" '"field":"body"'
eq "and writes nothing" "$(count)" "$before"
eq "another media type is refused (415)" "$(xpost "$BANK" "$WORK/bad.xml" text/plain | code)" 415

# --- a title of only spaces, in the one core check
before=$(count)
out=$(apiv "$BANK" POST /api/v1/incidents '{"title":" \u00a0 \u2003 "}')
eq "a title of only spaces is refused (400)" "$(echo "$out" | code)" 400
has "naming the field" "$out" '"field":"title"'
out=$("$C5" case edit "$R" --title "   " 2>&1)
has "case edit refuses it too" "$out" "title: give some text, not only spaces"
eq "nothing written" "$(count)" "$before"

# --- the title search walks the trigram index
out=$(apiv "$ANALYST" GET "/api/v1/cases?q=DEFACEMENT%20of")
has "a title search (case folded) finds the case" "$out" "Defacement of gov portal"
eq "and only the cases whose title holds it (it and its IODEF copy)" "$(echo "$out" | body | json 'sum("defacement of" in c["title"].lower() for c in d["cases"]) == len(d["cases"]) == 2')" True
eq "a search of two characters still works (no index)" "$(apiv "$ANALYST" GET "/api/v1/cases?q=gO" | body | json 'any("gov" in c["title"] for c in d["cases"])')" True
eq "the index follows an edited title" "$("$C5" case edit "$R" --title "Renamed flood of packets" >/dev/null; apiv "$ANALYST" GET "/api/v1/cases?q=flood%20of" | body | json '[c["ref"] for c in d["cases"]]')" "['$R']"
eq "a quote in the search is only a character" "$(apiv "$ANALYST" GET "/api/v1/cases?q=a%22b%22c" | code)" 200

# --- the timeline in pages, newest first, with a keyset link to older ones
for i in 1 2 3 4 5; do "$C5" case comment "$R" "note $i" >/dev/null; done
out=$(apiv "$ANALYST" GET "/api/v1/cases/$R?entries=3" | body)
eq "a case view gives the newest entries asked for, in time order" "$(echo "$out" | json '[e["text"] for e in d["timeline"]]')" "['note 3', 'note 4', 'note 5']"
link=$(echo "$out" | json 'd["timeline_older_url"]')
out=$(apiv "$ANALYST" GET "$link" | body)
eq "its older link gives the three before" "$(echo "$out" | json '[e["text"] for e in d["timeline"]][-2:]')" "['note 1', 'note 2']"
eq "a bad entries count is refused, naming it" "$(apiv "$ANALYST" GET "/api/v1/cases/$R?entries=0" | body | json 'd["error"]["field"]')" "entries"
eq "case show --all prints every entry" "$("$C5" case show "$R" --all | grep -c '  comment ')" 5

# --- If-None-Match: 304 while the version is the same
ver=$(apiv "$ANALYST" GET "/api/v1/cases/$R" | body | json 'd["version"]')
nm() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ANALYST" -H "If-None-Match: $1" "$BASE/api/v1/cases/$R"; }
eq "If-None-Match with the version's ETag: 304" "$(nm "\"$ver\"")" 304
eq "a list of tags holding it (weak too): 304" "$(nm "\"1\", W/\"$ver\"")" 304
eq "an older one: 200" "$(nm "\"$((ver - 1))\"")" 200
stop_server
