#!/usr/bin/env bash
# test_stix.sh — STIX 2.1 in and out through the command line: the OASIS
# example bundles and the MITRE ATT&CK bundles import (indexable patterns
# become indicators a look-up finds, the rest is kept and reported); bad
# input is refused with its line and changes nothing; an export sees exactly
# what --org may see under TLP 2.0 (never RED); every object exported
# validates against the OASIS schemas; a second hub imports the export.
. "$(dirname "$0")/lib.sh"
plan 60

T=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
EX=$T/stix2-schemas/examples
SCHEMAS=$T/stix2-schemas/schemas
rows() { sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects"; }
"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
"$C5" org add "Ministry B" --type government --country ZZ >/dev/null
"$C5" org add "Other C" --type civil-society --country ZZ >/dev/null

# --- the OASIS examples and the ATT&CK bundles
out=$("$C5" ingest --format stix "$EX/threat-reports/apt1.json"); rc=$?
eq "apt1 imports" "$rc" 0
has "apt1: 76 objects, 12 indicators, 10 indexed" "$out" "76 objects (0 already here), 12 indicators, 10 with an indexed pattern"
has "the patterns not indexed are reported with why" "$out" "not indexed: 2 patterns; the first: indicator--b3b6b540-d838-41e2-853b-005056c00008: a comparison on x509-certificate"
out=$("$C5" lookup 223.167.1.1); has "an address inside an indexed /15 is found" "$out" "223.166.0.0/15"
has "with the import's source" "$out" "source=stix"
out=$("$C5" lookup hugesoft.org); has "a domain from a pattern is found" "$out" "hugesoft.org"
out=$("$C5" ingest --format stix --source poisonivy "$EX/threat-reports/poisonivy.json")
has "OR of domains and addresses: 22 patterns give 63 indicators" "$out" "22 with an indexed pattern -> 63 indicators indexed"
has "an invalid value in a pattern is named" "$out" "invalid domain name 'domain autuo.xicp.net'"
before=$(rows)
out=$("$C5" ingest --format stix "$EX/threat-reports/apt1.json")
has "importing again adds no version" "$out" "0 objects (76 already here)"
eq "and no row" "$(rows)" "$before"
for f in "$EX"/*.json; do "$C5" ingest --format stix "$f" >/dev/null || fail "import $f"; done
pass "the other OASIS examples import"
eq "a lone object (not a bundle) is kept" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE id = 'campaign--721976f9-56d7-4749-8c69-b3ac7c315f05'")" 1
out=$("$C5" ingest --format stix --tlp clear "$T/attack/ics-attack.json"); has "ATT&CK ICS: every object kept" "$out" "1826 objects"
"$C5" ingest --format stix --tlp clear "$T/attack/mobile-attack-17.1.json" >/dev/null
eq "custom x-mitre types are kept as they came" \
	"$(sqlite3 "$C5HUB_DB" "SELECT count(*) > 100, sum(json LIKE '%x_mitre_%') > 100 FROM stix_objects WHERE type LIKE 'x-mitre-%'")" "1|1"
eq "versions are kept: (id, modified) rows" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE version = ''")" \
	"$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE json NOT LIKE '%\"created\"%'")"

# --- bad input: refused with the place, nothing written
before=$(rows); inds=$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM indicators")
ok_ind='{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-2222-4333-8444-555555555555","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","pattern":"[ipv4-addr:value = '"'"'198.51.100.200'"'"']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}'
bad() { # bad NAME WANT-IN-ERROR BUNDLE-TEXT
	printf '%s' "$3" >"$WORK/$1.json"
	local o; o=$("$C5" ingest --format stix "$WORK/$1.json" 2>&1); local r=$?
	eq "$1: refused" "$r" 1
	has "$1: says where and why" "$o" "$2"
	eq "$1: nothing written" "$(rows)/$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM indicators")" "$before/$inds"
}
bad badjson "badjson.json:4: " "{\"type\":\"bundle\",\"id\":\"bundle--11111111-2222-4333-8444-555555555555\",\"objects\":[
$ok_ind,
{\"type\":\"identity\",
 \"id\":\"identity--11111111-2222-4333-8444-555555555556\", \"name\": nope}]}"
bad badpattern "indicator--11111111-2222-4333-8444-555555555557: pattern position 28: expected ']'" "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[
$ok_ind,
{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--11111111-2222-4333-8444-555555555557\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = '1.2.3.4'\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}]}"
bad badid "badid.json:3: 'id' must be 'malware--' and a UUID" "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[
$ok_ind,
{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"indicator--11111111-2222-4333-8444-555555555558\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"name\":\"x\",\"is_family\":false}]}"
bad stix20 "'spec_version' must be \"2.1\"" "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[$ok_ind,
{\"type\":\"malware\",\"spec_version\":\"2.0\",\"id\":\"malware--11111111-2222-4333-8444-555555555559\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"name\":\"x\"}]}"
bad badtime "'valid_from' is not a timestamp" "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--11111111-2222-4333-8444-55555555555a\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\",\"pattern_type\":\"stix\",\"valid_from\":\"yesterday\"}]}"
bad bignum "bignum.json:2: real number overflow" "{\"type\":\"bundle\",\"id\":\"bundle--1\",\"objects\":[$ok_ind,
{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--11111111-2222-4333-8444-55555555555b\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\",\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\",\"confidence\":1e999}]}"
bad notjson "notjson.json:1: expected a JSON object" "[1,2,3]"
bad truncated "truncated.json:1: '}' expected near end of file" "{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\""
bad trailing "text after the JSON object" "{\"type\":\"bundle\",\"objects\":[]} {}"

# --- TLP 2.0: who sees what in an export
tlp_id() { case $1 in clear) echo 94868c89-83c2-464b-929b-a1a8aa3c8487 ;; green) echo bab4a63c-aed9-4cf5-a766-dfca5abac2bb ;;
	amber) echo 55d920b0-5e8b-4f79-9ee9-91f868d9b421 ;; amber+strict) echo 939a9414-2ddd-4d32-a0cd-375ea402b003 ;;
	red) echo e828b379-4e03-4974-9ac4-e53a884c97c1 ;; w1) echo 613f2e26-407d-48c7-9eca-b8e91df99dc9 ;; r1) echo 5e57c739-391a-4eb3-b6be-7d15ca92d5ed ;; esac; }
ind() { # ind NAME N TLP|none -> an indicator object for 198.18.0.N named NAME
	local m=""
	[ "$3" != none ] && m=",\"object_marking_refs\":[\"marking-definition--$(tlp_id "$3")\"]"
	printf '{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-0000000000%02d","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","name":"%s","pattern":"[ipv4-addr:value = '"'"'198.18.0.%d'"'"']","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z"%s}' "$2" "$1" "$2" "$m"
}
{ echo '{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000001","objects":['
  ind t-clear 1 clear; echo ,; ind t-green 2 green; echo ,; ind t-amber 3 amber; echo ,
  ind t-strict 4 amber+strict; echo ,; ind t-red 5 red; echo ,; ind t-white1 6 w1; echo ,
  ind t-red1 7 r1; echo ,; ind t-unmarked 8 none; echo ']}'; } >"$WORK/tlp.json"
out=$("$C5" ingest --format stix --org "Bank A" --tlp amber --source tlptest "$WORK/tlp.json"); has "the TLP bundle imports" "$out" "8 objects"
{ echo '{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000002","objects":['
  ind s-strict 9 amber+strict; echo ,; ind s-red 10 red; echo ']}'; } >"$WORK/shared.json"
"$C5" ingest --format stix --org "Bank A" --share "Ministry B" "$WORK/shared.json" >/dev/null
eq "TLP from 2.0 and 1.0 markings, unmarked takes --tlp" \
	"$(sqlite3 "$C5HUB_DB" "SELECT group_concat(tlp, '') FROM (SELECT tlp FROM stix_objects WHERE json LIKE '%198.18.0.%' ORDER BY rid)")" "0123404234"
printf '198.18.1.1\n' | "$C5" ingest --org "Bank A" --tlp amber --source native - >/dev/null
printf '198.18.1.2\n' | "$C5" ingest --tlp green --source native - >/dev/null
seen() { # seen ORG -> names of the test indicators in its export, sorted
	"$C5" export --format stix ${1:+--org "$1"} | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(o["name"] for o in d["objects"] if o["type"] == "indicator" and o.get("name", "").startswith(("t-", "s-", "198.18.")))))'
}
eq "Bank A (the giver) sees all but RED" "$(seen "Bank A")" "198.18.1.1 198.18.1.2 s-strict t-amber t-clear t-green t-strict t-unmarked t-white1"
eq "Ministry B (named recipient) sees CLEAR, GREEN and what was shared with it, not RED" "$(seen "Ministry B")" "198.18.1.2 s-strict t-clear t-green t-white1"
eq "Other C sees CLEAR and GREEN" "$(seen "Other C")" "198.18.1.2 t-clear t-green t-white1"
eq "the hub's own view (no --org) likewise" "$(seen)" "198.18.1.2 t-clear t-green t-white1"
out=$("$C5" export --format stix --org "Nobody" 2>&1); eq "an unknown --org is an error" "$?" 2
out=$("$C5" ingest --format stix --share "Nobody" "$WORK/shared.json" 2>&1); eq "an unknown --share is an error" "$?" 2

# --- every exported object validates against the OASIS schemas
"$C5" export --format stix --org "Bank A" --out "$WORK/all.json" 2>"$WORK/export.err"
has "export --out reports the count" "$(cat "$WORK/export.err")" "STIX objects"
out=$(python3 "$(dirname "$0")/../tools/stix_validate.py" "$SCHEMAS" "$WORK/all.json" 2>&1)
has "the whole export validates, object by object" "$out" "ok "
eq "it holds the kept objects and ours" "$(python3 -c '
import json, sys; d = json.load(open(sys.argv[1])); t = {o["type"] for o in d["objects"]}
print(all(x in t for x in ("indicator", "identity", "marking-definition", "relationship", "attack-pattern", "x-mitre-tactic")))' "$WORK/all.json")" True
python3 -c '
import json, sys; d = json.load(open(sys.argv[1]))
d["objects"] = [o for o in d["objects"] if o["type"] == "indicator"][:1]
d["objects"][0].pop("pattern_type"); json.dump(d, open(sys.argv[2], "w"))' "$WORK/all.json" "$WORK/broken.json"
out=$(python3 "$(dirname "$0")/../tools/stix_validate.py" "$SCHEMAS" "$WORK/broken.json" 2>&1); rc=$?
eq "the validator does catch an indicator without pattern_type" "$rc" 1
ids1=$("$C5" export --format stix | python3 -c 'import json,sys; print(sorted(o["id"] for o in json.load(sys.stdin)["objects"] if o.get("name") == "198.18.1.2"))')
ids2=$("$C5" export --format stix | python3 -c 'import json,sys; print(sorted(o["id"] for o in json.load(sys.stdin)["objects"] if o.get("name") == "198.18.1.2"))')
eq "the hub's own indicators keep their ids from one export to the next" "$ids1" "$ids2"
case "$ids1" in *indicator--*) pass "and have one" ;; *) fail "no id for the native indicator ($ids1)" ;; esac

# --- a second hub imports the first one's export
H2=$WORK/hub2.db
C5HUB_DB=$H2 "$C5" init >/dev/null
out=$(C5HUB_DB=$H2 "$C5" ingest --format stix --source hub1 "$WORK/all.json"); rc=$?
eq "the second hub imports the export" "$rc" 0
eq "with every object" "$(sqlite3 "$H2" "SELECT count(DISTINCT id) FROM stix_objects")" "$(python3 -c 'import json,sys; print(len({o["id"] for o in json.load(open(sys.argv[1]))["objects"]}))' "$WORK/all.json")"
out=$(C5HUB_DB=$H2 "$C5" lookup 198.18.0.4); has "an AMBER+STRICT indicator arrives with its TLP" "$out" "tlp=amber+strict"
out=$(C5HUB_DB=$H2 "$C5" lookup 198.18.0.5); eq "RED did not cross" "$?" 1
