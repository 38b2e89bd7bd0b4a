#!/usr/bin/env bash
# test_tlp.sh — the TLP 2.0 matrix: one indicator of each level, given by
# Bank A and shared with Ministry B (and the peer hub P), read by every role
# through every path out — the API, TAXII, the STIX, MISP and IODEF exports,
# block-list exports, DNS and federation — and each sees exactly what TLP 2.0
# lets it: CLEAR and GREEN every member; AMBER and AMBER+STRICT the giver and
# the named recipients; RED the giver and the named recipients through the
# API and TAXII only, never in an export, DNS or federation.
. "$(dirname "$0")/lib.sh"
plan 38

"$C5" init >/dev/null
for o in "Bank A:private-sector" "Ministry B:government" "Other C:civil-society" "Hub P:international"; do
	"$C5" org add "${o%%:*}" --type "${o#*:}" --country ZZ >/dev/null
done
COL=$("$C5" taxii collection add m --read all)
python3 - >"$WORK/levels.json" <<'PY'
import datetime, json
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
marks = {"clear": "94868c89-83c2-464b-929b-a1a8aa3c8487", "green": "bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
         "amber": "55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber-strict": "939a9414-2ddd-4d32-a0cd-375ea402b003",
         "red": "e828b379-4e03-4974-9ac4-e53a884c97c1"}
objs = []
for i, (lvl, m) in enumerate(marks.items()):
    objs.append({"type": "indicator", "spec_version": "2.1", "id": "indicator--%08d-0000-4000-8000-000000000000" % i,
                 "created": now, "modified": now, "name": "t-" + lvl, "valid_from": now, "confidence": 90,
                 "pattern": "[ipv4-addr:value = '192.0.2.%d']" % (10 + i), "pattern_type": "stix",
                 "object_marking_refs": ["marking-definition--" + m]})
print(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000009", "objects": objs}))
PY
"$C5" ingest --format stix --org "Bank A" --share "Ministry B,Hub P" --collection m "$WORK/levels.json" >/dev/null
A=$("$C5" token create --org "Bank A" --role analyst 2>/dev/null)
B=$("$C5" token create --org "Ministry B" --role reader 2>/dev/null)
C=$("$C5" token create --org "Other C" --role reader 2>/dev/null)
P=$("$C5" token create --org "Hub P" --role peer 2>/dev/null)
# names -> "clear green ..." in level order
levels() { tr ' ,' '\n\n' | sed -n 's/^.*t-\(clear\|green\|amber-strict\|amber\|red\).*$/\1/p' | \
	awk '{o["clear"]=1;o["green"]=2;o["amber"]=3;o["amber-strict"]=4;o["red"]=5; print o[$1], $1}' | sort -n | \
	cut -d' ' -f2 | uniq | paste -sd' '; }
ALL="clear green amber amber-strict red"; NORED="clear green amber amber-strict"; PUB="clear green"
start_server --dns 127.0.0.1:0 --ip-zone ip.test
TT="application/taxii+json;version=2.1"
taxii() { curl -s -H "Accept: $TT" ${1:+-H "Authorization: Bearer $1"} "$BASE/taxii2/api1/collections/$COL/objects/?limit=100" | \
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(o.get("name","") for o in d.get("objects",[])))' | levels; }
api_list() { curl -s ${1:+-H "Authorization: Bearer $1"} "$BASE/api/v1/indicators?source=stix&limit=100" | \
	python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join({"192.0.2.10":"t-clear","192.0.2.11":"t-green","192.0.2.12":"t-amber","192.0.2.13":"t-amber-strict","192.0.2.14":"t-red"}[i["value"]] for i in d.get("indicators",[])))' | levels; }
by_ip() { sed 's/192\.0\.2\.10\b/t-clear/g; s/192\.0\.2\.11\b/t-green/g; s/192\.0\.2\.12\b/t-amber/g; s/192\.0\.2\.13\b/t-amber-strict/g; s/192\.0\.2\.14\b/t-red/g'; }

# --- API and TAXII: the giver and the named recipients read every level
eq "TAXII, the giver (Bank A)" "$(taxii "$A")" "$ALL"
eq "TAXII, a named recipient (Ministry B)" "$(taxii "$B")" "$ALL"
eq "TAXII, another member (Other C)" "$(taxii "$C")" "$PUB"
eq "TAXII, a peer hub named a recipient: never RED" "$(taxii "$P")" "$NORED"
eq "TAXII, no credential: refused" "$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $TT" "$BASE/taxii2/api1/collections/$COL/objects/")" 401
eq "API, the giver" "$(api_list "$A")" "$ALL"
eq "API, a named recipient" "$(api_list "$B")" "$ALL"
eq "API, another member" "$(api_list "$C")" "$PUB"
eq "API, no credential: refused" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/indicators")" 401

# --- look-ups, reputation and one indicator: the same rule
hits() { # TOKEN PATH-BEFORE-VALUE JSON-KEY -> the levels whose look-up finds a report
	for i in 10 11 12 13 14; do
		curl -s -H "Authorization: Bearer $1" "$BASE$2192.0.2.$i" |
			python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get(sys.argv[1]) else 1)' "$3" &&
			echo "192.0.2.$i"
	done | by_ip | levels
}
ids() { sqlite3 "$C5HUB_DB" "SELECT id FROM indicators WHERE source = 'stix' ORDER BY value"; }
byid() { for id in $(ids); do r=$(api "$1" GET "/api/v1/indicators/$id"); [ "${r%% *}" = 200 ] && echo "${r#* }"; done | by_ip | levels; }
for who in A B C P; do
	tok=${!who}; want=$ALL
	case $who in C) want=$PUB ;; P) want=$NORED ;; esac
	eq "look-up ($who)" "$(hits "$tok" "/api/v1/lookup?value=" matches)" "$want"
	eq "reputation ($who)" "$(hits "$tok" "/api/v1/reputation/" reports)" "$want"
	eq "one indicator by id ($who)" "$(byid "$tok")" "$want"
done
# --- exports: never RED
for who in "Bank A" "Ministry B" "Other C"; do
	want=$NORED; [ "$who" = "Other C" ] && want=$PUB
	"$C5" export --format stix --org "$who" --out "$WORK/s.json" 2>/dev/null
	eq "STIX export for $who" "$(python3 -c 'import json,sys; print(" ".join(o.get("name","") for o in json.load(open(sys.argv[1]))["objects"] if o.get("type")=="indicator"))' "$WORK/s.json" | levels)" "$want"
	rm -rf "$WORK/misp"; "$C5" export --format misp --org "$who" --out "$WORK/misp" 2>/dev/null
	eq "MISP export for $who" "$(cat "$WORK"/misp/*-*.json | by_ip | levels)" "$want"
	"$C5" export --format iodef --org "$who" --out "$WORK/i.xml" 2>/dev/null
	eq "IODEF export for $who" "$(by_ip <"$WORK/i.xml" | levels)" "$want"
done
eq "block-list export (the operator's, --tlp-max amber+strict)" "$("$C5" export --format plain --tlp-max amber+strict | by_ip | levels)" "$NORED"
out=$("$C5" export --format plain --tlp-max red 2>&1); rc=$?
eq "a block-list export of RED is refused" "$rc" 2
has "saying why" "$out" "never exported"

# --- DNS: public, CLEAR and GREEN (dns-tlp green), never RED
dnsl() { for i in 10 11 12 13 14; do [ -n "$(dig +short +time=2 +tries=1 -p "$DP" @127.0.0.1 "$i.2.0.192.ip.test" A)" ] && echo "192.0.2.$i"; done | by_ip | levels; }
eq "DNS answers CLEAR and GREEN" "$(dnsl)" "$PUB"
out=$("$C5" serve --http 127.0.0.1:0 --dns 127.0.0.1:0 --ip-zone ip.test --dns-tlp red 2>&1); rc=$?
eq "DNS never serves RED" "$rc" 2

# --- sharing wider: the look-ups follow at once
rid=$(sqlite3 "$C5HUB_DB" "SELECT o.id FROM stix_objects o WHERE json_extract(o.json, '\$.name') = 't-amber'")
eq "the giver shares its AMBER object with Other C" "$(api "$A" POST "/api/v1/stix/$rid/share" '{"org":"Other C"}' | cut -d' ' -f1)" 200
eq "whose look-ups then find it at once" "$(hits "$C" "/api/v1/lookup?value=" matches)" "clear green amber"

# --- federation: the peer hub gets what a peer may, never RED
"$C5" --db "$WORK/p.db" init >/dev/null
"$C5" --db "$WORK/p.db" org add "Hub A" --type international --country ZZ >/dev/null
pout=$("$C5" --db "$WORK/p.db" taxii poll "$BASE/taxii2/api1/" "$COL" --token "$P" --org "Hub A" 2>&1)
eq "federation: the peer hub received" "$(sqlite3 "$WORK/p.db" "SELECT group_concat(json_extract(json, '\$.name'), ' ') FROM stix_objects" | levels)" "$NORED" |
	sed "s|^not ok.*|& (the poll said: ${pout//|/ })|"
stop_server
