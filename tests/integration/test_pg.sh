#!/usr/bin/env bash
# test_pg.sh — the PostgreSQL back end (store_pg.c), against a real
# PostgreSQL this script starts itself (scripts/pg.sh: Debian's initdb and
# pg_ctl in a temporary directory, on a loopback port, as an unprivileged
# user): init, org add, token create and revoke, ingest and re-ingest
# (updates, not duplicates), STIX and IODEF, trust, lookup, constituency,
# users, feeds, evidence, TAXII collections and export give
# the same answers as on SQLite; serve answers the API, TAXII and the
# console's sign-in from it, follows its change log within a second and
# outlives a PostgreSQL restart; the audit chain verifies.
. "$(dirname "$0")/lib.sh"
plan 37

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PGDIR=$(mktemp -d /tmp/c5pg.XXXXXX)
pg_end() {
	local rc=$?
	"$ROOT/scripts/pg.sh" stop "$PGDIR" >/dev/null 2>&1
	rm -rf "$PGDIR"
	lib_end "$rc"
}
trap pg_end EXIT
PG=$("$ROOT/scripts/pg.sh" start "$PGDIR" 2>"$WORK/pg.err")
has "scripts/pg.sh starts PostgreSQL and prints its connection string" "$PG" "postgresql://c5@127.0.0.1:"
LITE=$WORK/hub.db

out=$("$C5" --db "$PG" org list 2>&1)
has "before init: the command says to run c5hub init" "$out" 'c5hub init'

# the same commands on each store; their outputs in $WORK/NAME.*, with what
# must differ (the store's name, token secrets, dates, ids) taken out
printf '198.51.100.7\nevil.example.com\nhttp://bad.example.net/x?a=1\\b\n2001:db8::5\n' >"$WORK/l1.txt"
printf 'evil.example.com\n198.51.100.7\nnew.example.org\n' >"$WORK/l2.txt"
printf '198.51.100.60\nfeed.example.net\n203.0.113.61\n' >"$WORK/feed1.txt"
printf 'organisation,resource,abuse_contact\nacme,198.51.100.0/24,abuse@acme.example\nSmall ISP,example.com,abuse@isp.example\n' >"$WORK/cons.csv"
T=${TESTDATA:-$ROOT/../shared/testdata}
EX=$T/stix2-schemas/examples
norm() { sed -e "s|$1|DB|g" -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:.]*Z/T/g' -e 's/#[0-9]*/#N/g' \
	-e 's/c5h_[A-Za-z0-9_-]*/TOKEN/g' -e 's/(id [0-9]*)/(id N)/g' -e 's|/enrol/[A-Za-z0-9_-]*|/enrol/LINK|' \
	-e 's/^[0-9a-f]\{8\}-[0-9a-f-]\{27\}/UUID/'; }
PW='correct horse battery staple'
commands() {
	local db=$1 n=$2
	{
		"$C5" --db "$db" init --hub-name hub --country FR
		"$C5" --db "$db" org add acme --type private-sector --country FR
		"$C5" --db "$db" org add ACME --type private-sector --country FR
		"$C5" --db "$db" token create --org acme --role analyst --label t1
		"$C5" --db "$db" ingest --source feedA --tlp green "$WORK/l1.txt"
		"$C5" --db "$db" ingest --source feedA --tlp amber --confidence 80 "$WORK/l2.txt"
		"$C5" --db "$db" trust set source feedA 70
		"$C5" --db "$db" trust list
		"$C5" --db "$db" lookup evil.example.com
		"$C5" --db "$db" lookup 'http://bad.example.net/x?a=1\b'
		"$C5" --db "$db" org list
		"$C5" --db "$db" token list
		"$C5" --db "$db" token revoke "$("$C5" --db "$db" token list | awk 'NR == 2 {print $2}')"
		"$C5" --db "$db" token list
		"$C5" --db "$db" constituency import --create-orgs "$WORK/cons.csv"
		"$C5" --db "$db" constituency list
		"$C5" --db "$db" constituency who 198.51.100.7 evil.example.com
		"$C5" --db "$db" user add Alice@Example.ORG --org acme --role analyst --name "Alice A"
		echo "$PW" | "$C5" --db "$db" user password alice@example.org
		"$C5" --db "$db" user add alice@example.org --org hub --role reader
		"$C5" --db "$db" user list
		"$C5" --db "$db" feed add f1 --path "$WORK/feed1.txt" --format list --tlp green
		"$C5" --db "$db" feed add F1 --path "$WORK/feed1.txt" --format list
		"$C5" --db "$db" feed run f1
		"$C5" --db "$db" feed run f1
		"$C5" --db "$db" feed list
		"$C5" --db "$db" lookup feed.example.net
		"$C5" --db "$db" notify set acme --channel email --frequency hourly
		"$C5" --db "$db" notify log
		"$C5" --db "$db" taxii collection add shared --title Shared --read "hub,acme" --write hub
		"$C5" --db "$db" taxii collection list
		"$C5" --db "$db" ingest --format stix --collection shared "$EX/threat-reports/apt1.json"
		"$C5" --db "$db" ingest --format stix "$EX/threat-reports/apt1.json"
		"$C5" --db "$db" ingest --format stix --source poisonivy --tlp green "$EX/threat-reports/poisonivy.json"
		"$C5" --db "$db" lookup 223.167.1.1
		"$C5" --db "$db" ingest --format iodef "$WORK/inc.xml"
		inc=$("$C5" --db "$db" incident list | grep -o 'incident--[0-9a-f-]*' | head -1) # the IODEF one's id
		"$C5" --db "$db" evidence add "$inc" "$WORK/cap.bin" --note sensor
		"$C5" --db "$db" evidence list
		rm -f "$WORK/got.bin"
		"$C5" --db "$db" evidence get 1 --out "$WORK/got.bin" --reason check
		"$C5" --db "$db" evidence custody 1
	} 2>&1 | norm "$db" >"$WORK/$n.cmds"
	"$C5" --db "$db" export --format csv --tlp-max amber 2>&1 | norm "$db" | sort >"$WORK/$n.csv"
	"$C5" --db "$db" export --format plain --tlp-max green 2>&1 | sort >"$WORK/$n.plain"
	"$C5" --db "$db" export --format stix --org acme 2>&1 | norm "$db" | sed 's/bundle--[0-9a-f-]*/bundle--ID/' |
		sort >"$WORK/$n.stix"
}
cat >"$WORK/inc.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="mitigation" restriction="amber">
    <IncidentID name="cirt.example">2026-0099</IncidentID>
    <GenerationTime>2026-11-20T10:05:00Z</GenerationTime>
    <Contact role="creator" type="organization"><ContactName>CIRT Example</ContactName></Contact>
  </Incident>
</IODEF-Document>
XML
head -c 300000 /dev/urandom >"$WORK/cap.bin" # every byte value, NUL too
commands "$PG" pg
check "evidence kept in PostgreSQL comes back byte for byte" cmp "$WORK/cap.bin" "$WORK/got.bin"
commands "$LITE" lite
has "init on PostgreSQL creates the schema" "$(head -1 "$WORK/pg.cmds")" "created DB with hub organisation 'hub'"
# (PostgreSQL's schema has its own version: SQLite's migrations it covers)
has "init again: the schema is there, at its version" "$("$C5" --db "$PG" init 2>&1 | norm "$PG")" \
	"DB is at schema version"
has "a second organisation of the same name (case folded) is refused" "$(cat "$WORK/pg.cmds")" "organisation 'ACME' already exists"
eq "init, org, token, ingest (lists, STIX, IODEF), trust, lookup, constituency, user, feed, notify, evidence, TAXII collections and lists print the same on both stores" \
	"$(cat "$WORK/pg.cmds")" "$(cat "$WORK/lite.cmds")"
eq "export csv is the same on both stores" "$(cat "$WORK/pg.csv")" "$(cat "$WORK/lite.csv")"
eq "export plain is the same on both stores" "$(cat "$WORK/pg.plain")" "$(cat "$WORK/lite.plain")"
eq "export stix (what acme may see) is the same on both stores" "$(cat "$WORK/pg.stix")" "$(cat "$WORK/lite.stix")"
eq "... and holds the imported objects" "$(grep -c '"type":"indicator"' "$WORK/pg.stix")" "$(grep -c '"type":"indicator"' "$WORK/lite.stix")"
eq "re-ingest updates, not duplicates: 8 rows exported (5 ingested, 3 from a feed; the STIX ones have decayed)" "$(grep -vc "^type,value" "$WORK/pg.csv")" 8
has "re-ingest took the newer TLP and confidence" "$(grep '^domain-name,evil' "$WORK/pg.csv")" ",amber,"
n=$(psql "$PG" -Atc "SELECT count(*) FROM indicators")
eq "one row per indicator in PostgreSQL, as many as in SQLite" "$n" "$(sqlite3 "$LITE" "SELECT count(*) FROM indicators")"
eq "the update was logged for the change feed" "$(psql "$PG" -Atc "SELECT count(*) FROM touched")" 2

# a file of more than one COPY batch (50,000 rows) with a bad last line:
# nothing of it stays (the batch already sent is rolled back with the rest)
python3 -c "
for i in range(60000): print('10.%d.%d.%d' % (100 + i // 65536, (i // 256) % 256, i % 256))
print('bad value here')" >"$WORK/big.txt"
"$C5" --db "$PG" ingest --source big "$WORK/big.txt" >/dev/null 2>&1
check "a bad line after the first batch fails the ingest" test "$?" -ne 0
eq "... and leaves nothing of the file" "$(psql "$PG" -Atc "SELECT count(*) FROM indicators")" "$n"
head -60000 "$WORK/big.txt" >"$WORK/big_ok.txt"
"$C5" --db "$PG" ingest --source big "$WORK/big_ok.txt" >/dev/null
eq "without it, two batches write every row" "$(psql "$PG" -Atc "SELECT count(*) FROM indicators WHERE source = 'big'")" 60000


# a password in the connection string is never shown
out=$("$C5" --db "${PG/c5@/c5:s3cret@}?password=s3cret" init 2>&1)
has "init shows the connection string without its password" "$out" "c5:***@127.0.0.1"

# the server on PostgreSQL
ADMIN=$("$C5" --db "$PG" token create --org hub --role admin 2>/dev/null)
export C5HUB_DB=${PG/c5@/c5:s3cret@}
start_server
check "serve starts on PostgreSQL" test -n "$PORT"
check "... and its log shows no password" bash -c "! grep -q s3cret '$WORK/serve.log'"
# the console: a person signs in (the form's CSRF token, then the password)
page=$(curl -s -c "$WORK/jar" "$BASE/signin")
csrf=$(echo "$page" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')
r=$(curl -s -b "$WORK/jar" -c "$WORK/jar" -o /dev/null -w "%{http_code} %{redirect_url}" --data-urlencode "csrf=$csrf" \
	--data-urlencode "email=alice@example.org" --data-urlencode "password=$PW" "$BASE/signin")
eq "a person signs in to the console" "$r" "303 $BASE/console"
r=$(curl -s -b "$WORK/jar" -w " %{http_code}" "$BASE/console")
eq "... and is let in" "${r##* }" 200
# TAXII 2.1 from PostgreSQL: a collection's objects, one taken out
COL=$(psql "$PG" -Atc "SELECT id FROM taxii_collections WHERE alias = 'shared'")
taxii() { curl -s -X "$1" -H "Accept: application/taxii+json;version=2.1" -H "Authorization: Bearer $ADMIN" \
	"$BASE/taxii2/api1/collections/$COL/objects/$2"; }
count() { python3 -c "import json, sys; print(len(json.load(sys.stdin).get('objects', [])))"; }
eq "TAXII: the collection's indicators, read from PostgreSQL" "$(taxii GET '?match%5Btype%5D=indicator' | count)" 12
one=$(psql "$PG" -Atc "SELECT id FROM stix_objects WHERE type = 'indicator' ORDER BY rid LIMIT 1")
taxii DELETE "$one/" >/dev/null
eq "TAXII: an object taken out of the collection is gone from it" "$(taxii GET '?match%5Btype%5D=indicator' | count)" 11
r=$(api "$ADMIN" GET "/api/v1/lookup?value=new.example.org")
has "API look-up of an ingested value" "$r" '"listed":true'
r=$(api "$ADMIN" POST /api/v1/indicators '[{"value":"203.0.113.9","tlp":"green"}]')
eq "API add" "${r%% *}" 201
r=$(api "$ADMIN" GET "/api/v1/lookup?value=203.0.113.9")
has "the value added by API is found" "$r" '"listed":true'
# a value ingested by another process while the server runs: the index
# follows the change log within a second
printf '192.0.2.77\n' >"$WORK/l3.txt"
"$C5" --db "$PG" ingest --source feedC "$WORK/l3.txt" >/dev/null
t0=$(date +%s%N) seen=
while [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 1000 ]; do
	case $(api "$ADMIN" GET "/api/v1/lookup?value=192.0.2.77") in *'"listed":true'*) seen=1; break ;; esac
	sleep 0.05
done
eq "a value ingested while serving is found within a second" "$seen" 1
# deleted by another process: gone from the look-ups too
id=$(psql "$PG" -Atc "SELECT id FROM indicators WHERE value = 'evil.example.com'")
r=$(api "$ADMIN" DELETE "/api/v1/indicators/$id")
eq "API delete" "${r%% *}" 200
r=$(api "$ADMIN" GET "/api/v1/lookup?value=evil.example.com")
has "the deleted value is no longer listed" "$r" '"listed":false'
# PostgreSQL restarts under the server: its connections are made again
check "PostgreSQL restarts" "$ROOT/scripts/pg.sh" restart "$PGDIR"
r=$(api "$ADMIN" POST /api/v1/indicators '[{"value":"203.0.113.10","tlp":"green"}]')
eq "after the restart, an API write is taken" "${r%% *}" 201
printf '192.0.2.78\n' >"$WORK/l4.txt"
"$C5" --db "$PG" ingest --source feedC "$WORK/l4.txt" >/dev/null
seen=
for _ in $(seq 1 40); do
	case $(api "$ADMIN" GET "/api/v1/lookup?value=192.0.2.78") in *'"listed":true'*) seen=1; break ;; esac
	sleep 0.1
done
eq "... and the index follows the store again" "$seen" 1
stop_server
# (the incident cases are not in the PostgreSQL back end yet: the SLA timers'
# list of open cases is the one op the server's background work may ask for)
check "the server asked the store for nothing it does not have yet (but the cases' list)" \
	bash -c "! grep 'not yet' '$WORK/serve.log' | grep -qv 'case_list: not yet'"

# the audit chain, kept in PostgreSQL
has "the audit chain on PostgreSQL verifies" "$("$C5" --db "$PG" audit verify 2>&1)" "audit log intact"
psql "$PG" -Atc "UPDATE audit SET detail = 'changed' WHERE seq = 2" >/dev/null
"$C5" --db "$PG" audit verify >/dev/null 2>&1
eq "a changed audit entry is caught" "$?" 1
