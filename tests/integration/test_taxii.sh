#!/usr/bin/env bash
# test_taxii.sh — the TAXII 2.1 server and client with real curl and two real
# hubs on loopback: every endpoint (discovery, API root, collections,
# collection, manifest, objects GET/POST, status, object GET/DELETE,
# versions), media types and errors (406, 415, 413, 422, 403, 404, 405),
# rights per organisation, TLP 2.0 inside collections, keyset pages that stay
# correct while objects are added, and federation: hub B polls hub A and gets
# exactly what TLP lets cross, incrementally, and nothing loops back.
. "$(dirname "$0")/lib.sh"
plan 91

TT="application/taxii+json;version=2.1"
T=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
# tx TOKEN METHOD PATH [BODY [CONTENT-TYPE]] -> "STATUS BODY"; headers in $WORK/hdr
tx() {
	local tok=$1 m=$2 p=$3 body=${4:-} ct=${5:-$TT}
	local args=(-g -s -o "$WORK/resp" -D "$WORK/hdr" -w '%{http_code}' -X "$m" -H "Accept: $TT")
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	[ -n "$body" ] && args+=(-H "Content-Type: $ct" --data-binary "$body")
	echo "$(curl "${args[@]}" "$BASE$p") $(cat "$WORK/resp")"
}
body() { cut -d' ' -f2-; }
# gen N PREFIX [TLP-MARKING-ID] -> an envelope of N indicator objects
gen() {
	python3 - "$@" <<'PY'
import json, sys, uuid
n, prefix = int(sys.argv[1]), sys.argv[2]
mark = sys.argv[3] if len(sys.argv) > 3 else None
objs = []
for i in range(n):
    o = {"type": "indicator", "spec_version": "2.1",
         "id": "indicator--" + str(uuid.uuid5(uuid.NAMESPACE_URL, prefix + str(i))),
         "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
         "pattern": "[ipv4-addr:value = '198.51.%d.%d']" % (sum(prefix.encode()) % 200, i % 250),
         "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z", "name": prefix + str(i)}
    if mark:
        o["object_marking_refs"] = [mark]
    objs.append(o)
print(json.dumps({"objects": objs}))
PY
}
CLEAR=marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487
GREEN=marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb
AMBER=marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421
ASTRICT=marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003
RED=marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
"$C5" org add "Ministry B" --type government --country ZZ >/dev/null
"$C5" org add "Other C" --type civil-society --country ZZ >/dev/null
"$C5" org add "Outsider" --type academia --country ZZ >/dev/null
COL=$("$C5" taxii collection add shared --title "Shared intelligence" --read "Bank A,Ministry B,Other C" --write "Bank A,Ministry B")
PRIV=$("$C5" taxii collection add bank-only --read "Bank A")
has "a collection gets a UUID" "$COL" "-"
A=$("$C5" token create --org "Bank A" --role contributor 2>/dev/null)
B=$("$C5" token create --org "Ministry B" --role reader 2>/dev/null)
C=$("$C5" token create --org "Other C" --role reader 2>/dev/null)
O=$("$C5" token create --org "Outsider" --role reader 2>/dev/null)
"$C5" ingest --format stix --collection shared --tlp green "$T/stix2-schemas/examples/threat-reports/apt1.json" >/dev/null
start_server

# --- discovery, API root, collections
out=$(tx "$A" GET /taxii2/)
eq "discovery answers" "${out%% *}" 200
eq "discovery names the API root" "$(echo "$out" | body | json 'd["api_roots"][0]')" "/taxii2/api1/"
has "in the TAXII media type" "$(cat "$WORK/hdr")" "Content-Type: $TT"
eq "discovery needs a credential" "$(tx "" GET /taxii2/ | cut -d' ' -f1)" 401
out=$(tx "$A" GET /taxii2/api1/)
eq "the API root lists TAXII 2.1" "$(echo "$out" | body | json 'd["versions"][0]')" "$TT"
eq "and its largest request" "$(echo "$out" | body | json 'd["max_content_length"]')" 16777216
eq "Bank A sees both collections" "$(tx "$A" GET /taxii2/api1/collections/ | body | json 'len(d["collections"])')" 2
eq "Other C sees one, read-only" "$(tx "$C" GET /taxii2/api1/collections/ | body | json '[(c["id"], c["can_read"], c["can_write"]) for c in d["collections"]]')" "[('$COL', True, False)]"
eq "an organisation without rights sees none" "$(tx "$O" GET /taxii2/api1/collections/ | body)" "{}"
eq "nor the collection itself" "$(tx "$O" GET /taxii2/api1/collections/$COL/ | cut -d' ' -f1)" 404
eq "nor by alias" "$(tx "$C" GET /taxii2/api1/collections/bank-only/objects/ | cut -d' ' -f1)" 404
out=$(tx "$B" GET /taxii2/api1/collections/$COL/)
eq "a collection resource" "$(echo "$out" | body | json '(d["title"], d["can_write"], d["media_types"])')" \
	"('Shared intelligence', True, ['application/stix+json;version=2.1'])"

# --- media types and errors
code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Accept: application/json" -H "Authorization: Bearer $A" "$BASE/taxii2/api1/")
eq "406 when the client does not accept TAXII" "$code" 406
eq "with a TAXII error object" "$(json 'd["http_status"]' <"$WORK/resp")" 406
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: application/taxii+json;version=2.0" -H "Authorization: Bearer $A" "$BASE/taxii2/api1/")
eq "406 for another TAXII version" "$code" 406
eq "415 for a post that is not a TAXII envelope" "$(tx "$A" POST /taxii2/api1/collections/$COL/objects/ '{"objects":[]}' application/json | cut -d' ' -f1)" 415
eq "405 for a method a resource does not take" "$(tx "$A" POST /taxii2/api1/collections/ '{}' | cut -d' ' -f1)" 405
eq "404 for an unknown API root" "$(tx "$A" GET /taxii2/nope/ | cut -d' ' -f1)" 404
n0=$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects")
bad=$(gen 3 bad | python3 -c 'import json,sys; d=json.load(sys.stdin); d["objects"][2]["pattern"]="[ipv4-addr:value = "; print(json.dumps(d))')
out=$(tx "$A" POST /taxii2/api1/collections/$COL/objects/ "$bad")
eq "422 for an invalid object" "${out%% *}" 422
has "naming the object and the reason" "$out" "indicator--"
has "and saying nothing was added" "$out" "nothing was added"
eq "nothing of that post was written" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects")" "$n0"
head -c 17000000 /dev/zero | tr '\0' ' ' >"$WORK/big"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Accept: $TT" -H "Content-Type: $TT" -H "Authorization: Bearer $A" --data-binary @"$WORK/big" "$BASE/taxii2/api1/collections/$COL/objects/")
eq "413 for a body over max_content_length" "$code" 413
eq "403 for a post without the write right" "$(tx "$C" POST /taxii2/api1/collections/$COL/objects/ "$(gen 1 c)" | cut -d' ' -f1)" 403

# --- post, status
out=$(tx "$A" POST /taxii2/api1/collections/$COL/objects/ "$(gen 5 amber $AMBER)")
eq "a post is accepted with a status" "${out%% *}" 202
sid=$(echo "$out" | body | json 'd["id"]')
eq "the status counts every object" "$(echo "$out" | body | json '(d["status"], d["total_count"], d["success_count"], d["failure_count"])')" "('complete', 5, 5, 0)"
eq "the status resource is kept" "$(tx "$A" GET /taxii2/api1/status/$sid/ | body | json 'd["success_count"]')" 5
eq "and only its poster reads it" "$(tx "$C" GET /taxii2/api1/status/$sid/ | cut -d' ' -f1)" 404
out=$(tx "$A" POST /taxii2/api1/collections/$COL/objects/ "$(gen 5 amber $AMBER)")
eq "posting the same objects again adds nothing" "$(echo "$out" | body | json '[s["message"] for s in d["successes"]].count("already here")')" 5
has "a posted indicator is indexed" "$("$C5" lookup 198.51.$(python3 -c 'print(sum(b"amber") % 200)').0 2>&1)" "source=taxii:shared"

# --- TLP inside a collection: AMBER of Bank A
count() { tx "$1" GET "/taxii2/api1/collections/$COL/objects/?limit=10000&match[type]=indicator" | body | json 'len(d.get("objects", []))'; }
na=$(count "$A"); nc=$(count "$C")
eq "Bank A reads its 5 AMBER objects and the 12 GREEN indicators" "$na" 17
eq "Other C reads only the GREEN ones" "$nc" 12
gen 2 red $RED | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000001","objects":d["objects"]}))' >"$WORK/red.json"
"$C5" ingest --format stix --collection shared --org "Bank A" --share "Other C" "$WORK/red.json" >/dev/null
eq "RED shared with Other C: Other C reads it" "$(count "$C")" 14
eq "Ministry B, not named, does not" "$(count "$B")" 12
eq "its giver does" "$(count "$A")" 19

# --- pages: keyset, stable while objects are added
total=$(tx "$A" GET "/taxii2/api1/collections/$COL/manifest/?limit=10000" | body | json 'len(d["objects"])')
ids=$WORK/ids; : >"$ids"
next=; pages=0; added=0
while :; do
	q="limit=7"; [ -n "$next" ] && q="$q&next=$next"
	out=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?$q")
	echo "$out" | body | json '"\n".join(o["id"] for o in d.get("objects", []))' >>"$ids"
	pages=$((pages + 1))
	if [ $pages -eq 2 ]; then
		first=$(sed -n 's/^X-TAXII-Date-Added-First: \(.*\)\r$/\1/p' "$WORK/hdr")
		last=$(sed -n 's/^X-TAXII-Date-Added-Last: \(.*\)\r$/\1/p' "$WORK/hdr")
		tx "$A" POST /taxii2/api1/collections/$COL/objects/ "$(gen 4 late)" >/dev/null
		added=4
	fi
	[ "$(echo "$out" | body | json 'd["more"]')" = True ] || break
	next=$(echo "$out" | body | json 'd["next"]')
done
eq "a paged read returns every object once, also those added meanwhile" \
	"$(sort -u "$ids" | grep -c .)|$(grep -c . "$ids")" "$((total + added))|$((total + added))"
check "X-TAXII-Date-Added-First is before -Last" test "$first" \< "$last"
m=$(tx "$A" GET "/taxii2/api1/collections/$COL/manifest/?limit=7&added_after=$first")
eq "added_after starts right after that date" "$(echo "$m" | body | json 'd["objects"][0]["date_added"] > "'"$first"'"')" True
eq "a manifest record has its version and media type" "$(echo "$m" | body | json 'sorted(d["objects"][0].keys())')" \
	"['date_added', 'id', 'media_type', 'version']"
eq "a bad added_after is a 400" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?added_after=yesterday" | cut -d' ' -f1)" 400

# --- match filters, object, versions
out=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?match[type]=threat-actor,intrusion-set&limit=100")
eq "match[type] with two types" "$(echo "$out" | body | json 'sorted(set(o["type"] for o in d["objects"]))')" "['intrusion-set', 'threat-actor']"
IID=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?match[type]=indicator&limit=1000" | body | json '[o["id"] for o in d["objects"] if o.get("name") == "amber0"][0]')
v2=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/" | body | json 'd["objects"][0]' | python3 -c '
import ast, json, sys
o = ast.literal_eval(sys.stdin.read()); o["modified"] = "2026-06-01T00:00:00.000Z"; o["name"] = "second version"
print(json.dumps({"objects": [o]}))')
tx "$A" POST /taxii2/api1/collections/$COL/objects/ "$v2" >/dev/null
eq "an object by id: its latest version" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/" | body | json '[o["name"] for o in d["objects"]]')" "['second version']"
eq "match[version]=first" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/?match[version]=first" | body | json '[o["modified"] for o in d["objects"]]')" "['2026-01-01T00:00:00.000Z']"
eq "match[version]=all" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/?match[version]=all" | body | json 'len(d["objects"])')" 2
eq "match[version]=TIMESTAMP" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/?match[version]=2026-06-01T00:00:00Z" | body | json '[o["name"] for o in d["objects"]]')" "['second version']"
eq "versions lists both" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/versions/" | body | json 'd["versions"]')" \
	"['2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z']"
eq "an unknown object is a 404" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/indicator--00000000-0000-4000-8000-000000000000/" | cut -d' ' -f1)" 404
eq "match[spec_version] that matches no version: 404" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/?match[spec_version]=2.0" | cut -d' ' -f1)" 404
eq "match[spec_version]=2.1" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/?match[spec_version]=2.1" | body | json 'len(d["objects"])')" 1

# --- delete
eq "a reader may not delete" "$(tx "$C" DELETE "/taxii2/api1/collections/$COL/objects/$IID/" | cut -d' ' -f1)" 403
eq "the giver deletes every version" "$(tx "$A" DELETE "/taxii2/api1/collections/$COL/objects/$IID/" | cut -d' ' -f1)" 200
eq "then it is gone" "$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/$IID/" | cut -d' ' -f1)" 404
AID=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?match[type]=intrusion-set" | body | json 'd["objects"][0]["id"]')
eq "Ministry B may write but not delete what another organisation gave (it sees it: 403)" \
	"$(tx "$B" DELETE "/taxii2/api1/collections/$COL/objects/$AID/" | cut -d' ' -f1)" 403
eq "which stays" "$(tx "$B" GET "/taxii2/api1/collections/$COL/objects/$AID/" | cut -d' ' -f1)" 200
has "every TAXII write is in the audit log" "$("$C5" audit list)" "taxii.add"

# --- sharing wider than the label: the creator decides, or permits
ANA_A=$("$C5" token create --org "Bank A" --role analyst 2>/dev/null)
ANA_B=$("$C5" token create --org "Ministry B" --role analyst 2>/dev/null)
OID=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?match[type]=indicator&limit=1000" | body | json '[o["id"] for o in d["objects"] if o.get("name") == "amber1"][0]')
sees() { tx "$1" GET "/taxii2/api1/collections/$COL/objects/$OID/" | cut -d' ' -f1; }
eq "Ministry B does not see Bank A's AMBER object" "$(sees "$B")" 404
eq "nor may it share it" "$(api "$ANA_B" POST "/api/v1/stix/$OID/share" '{"org":"Ministry B"}' | cut -d' ' -f1)" 404
r=$(api "$ANA_A" POST "/api/v1/stix/$OID/share" '{"org":"Ministry B"}')
eq "its creator names Ministry B a recipient" "$(echo "${r#* }" | json 'd["action"], d["org"]')" "share Ministry B"
eq "Ministry B now reads it" "$(sees "$B")" 200
eq "Other C still does not" "$(sees "$C")" 404
r=$(api "$ANA_B" POST "/api/v1/stix/$OID/share" '{"org":"Other C"}')
eq "a recipient may not share it wider" "${r%% *}" 403
has "without the creator's permission" "$r" "needs the permission of the organisation that created it"
eq "nor permit others" "$(api "$ANA_B" POST "/api/v1/stix/$OID/permit" '{"org":"Ministry B"}' | cut -d' ' -f1)" 403
eq "the creator permits Ministry B to re-share" "$(api "$ANA_A" POST "/api/v1/stix/$OID/permit" '{"org":"Ministry B"}' | cut -d' ' -f1)" 200
eq "then Ministry B shares it with Other C" "$(api "$ANA_B" POST "/api/v1/stix/$OID/share" '{"org":"Other C"}' | cut -d' ' -f1)" 200
eq "who reads it" "$(sees "$C")" 200
GID=$(tx "$A" GET "/taxii2/api1/collections/$COL/objects/?match[type]=intrusion-set" | body | json 'd["objects"][0]["id"]')
eq "a GREEN object needs no sharing" "$(api "$ANA_A" POST "/api/v1/stix/$GID/share" '{"org":"Other C"}' | cut -d' ' -f1)" 400
a=$("$C5" audit list)
has "the permission is recorded" "$a" "stix.permit"
has "and the re-share, as such" "$a" "re-shared with the creator's permission"
stop_server

# --- federation: hub A serves, hub B polls
HA=$WORK/a.db HB=$WORK/b.db
export C5HUB_DB=$HA
"$C5" init --hub-name hub-a >/dev/null
"$C5" org add "Hub B" --type international --country ZZ >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
FED=$("$C5" taxii collection add fed --read all)
PEER=$("$C5" token create --org "Hub B" --role peer 2>/dev/null)
for lvl in clear green amber amber+strict red; do
	gen 1 "$lvl-shared-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000002","objects":d["objects"]}))' >"$WORK/$lvl.json"
	"$C5" ingest --format stix --collection fed --org "Bank A" --tlp "$lvl" --share "Hub B" "$WORK/$lvl.json" >/dev/null
	gen 1 "$lvl-kept-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000003","objects":d["objects"]}))' >"$WORK/$lvl-k.json"
	"$C5" ingest --format stix --collection fed --org "Bank A" --tlp "$lvl" "$WORK/$lvl-k.json" >/dev/null
done
start_server
A_URL=$BASE/taxii2/api1/
export C5HUB_DB=$HB
"$C5" init --hub-name hub-b >/dev/null
"$C5" org add "Hub A" --type international --country ZZ >/dev/null
"$C5" org add "Member X" --type private-sector --country ZZ >/dev/null
"$C5" taxii collection add from-a --read all >/dev/null
out=$("$C5" taxii poll "$A_URL" "$FED" --token "$PEER" --org "Hub A" --into from-a)
has "hub B polls hub A" "$out" "new objects"
eq "exactly CLEAR, GREEN (all) and the AMBER, AMBER+STRICT shared with hub B arrived" \
	"$(sqlite3 "$HB" "SELECT group_concat(json_extract(json, '\$.name'), ' ') FROM (SELECT json FROM stix_objects ORDER BY json_extract(json, '\$.name'))")" \
	"amber+strict-shared-0 amber-shared-0 clear-kept-0 clear-shared-0 green-kept-0 green-shared-0"
eq "with their TLP" "$(sqlite3 "$HB" "SELECT group_concat(tlp, '') FROM (SELECT tlp FROM stix_objects ORDER BY json_extract(json, '\$.name'))")" "320011"
eq "each knows it came through hub A" "$(sqlite3 "$HB" "SELECT count(DISTINCT origin) || ':' || min(origin) FROM stix_objects")" \
	"1:$(sqlite3 "$HB" "SELECT id FROM orgs WHERE name = 'Hub A'")"
out=$("$C5" taxii poll "$A_URL" "$FED" --token "$PEER" --org "Hub A" --into from-a)
has "a second poll starts where the first stopped: nothing new" "$out" "0 pages, 0 new objects"
C5HUB_DB=$HA "$C5" ingest --format stix --collection fed --org "Bank A" --tlp green "$WORK/clear.json" >/dev/null
gen 2 "later-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000004","objects":d["objects"]}))' >"$WORK/later.json"
C5HUB_DB=$HA "$C5" ingest --format stix --collection fed --org "Bank A" --tlp green "$WORK/later.json" >/dev/null
out=$("$C5" taxii poll "$A_URL" "$FED" --token "$PEER" --org "Hub A" --into from-a)
has "and then brings only what was added" "$out" "2 new objects (0 already here)"
eq "nothing arrived twice" "$(sqlite3 "$HB" "SELECT count(*) = count(DISTINCT id) FROM stix_objects")" 1
# hub B serves what it got; hub A, polling back as a peer, gets nothing of its own
stop_server
TOKB=$("$C5" token create --org "Hub A" --role peer 2>/dev/null)
XB=$("$C5" token create --org "Member X" --role reader 2>/dev/null)
HUBB=$("$C5" token create --role reader 2>/dev/null)
FROMA=$(sqlite3 "$HB" "SELECT id FROM taxii_collections WHERE alias = 'from-a'")
start_server
B_URL=$BASE/taxii2/api1/
eq "hub B's own team reads the AMBER hub A shared with it" \
	"$(tx "$HUBB" GET "/taxii2/api1/collections/$FROMA/objects/" | body | json 'sorted(o["name"] for o in d["objects"] if "amber" in o["name"])')" \
	"['amber+strict-shared-0', 'amber-shared-0']"
eq "a member of hub B does not" \
	"$(tx "$XB" GET "/taxii2/api1/collections/$FROMA/objects/" | body | json 'sorted(o["name"] for o in d["objects"] if "amber" in o["name"])')" "[]"
export C5HUB_DB=$HA
"$C5" taxii collection add from-b --read all >/dev/null
n=$(sqlite3 "$HA" "SELECT count(*) FROM stix_objects")
out=$("$C5" taxii poll "$B_URL" "$FROMA" --token "$TOKB" --org "Hub B" --into from-b)
has "hub A polling hub B gets nothing back of its own" "$out" "0 new objects"
eq "no loop: hub A holds what it held" "$(sqlite3 "$HA" "SELECT count(*) FROM stix_objects")" "$n"
out=$("$C5" taxii poll "$B_URL" "$FROMA" --token "nonsense" --org "Hub B" 2>&1)
has "a poll with a bad token fails with the server's answer" "$out" "HTTP 401"
stop_server

# --- push: hub B posts to hub A what hub A may see, once
"$C5" taxii grant fed "Hub B" --write
start_server
A_URL=$BASE/taxii2/api1/
export C5HUB_DB=$HB
"$C5" taxii collection add to-a --read all >/dev/null
for lvl in green amber red; do
	gen 1 "b-$lvl-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000005","objects":d["objects"]}))' >"$WORK/b-$lvl.json"
	"$C5" ingest --format stix --collection to-a --tlp "$lvl" "$WORK/b-$lvl.json" >/dev/null
done
gen 1 "b-amber-shared-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000006","objects":d["objects"]}))' >"$WORK/b-as.json"
"$C5" ingest --format stix --collection to-a --tlp amber --share "Hub A" "$WORK/b-as.json" >/dev/null
out=$("$C5" taxii push "$A_URL" "$FED" --from to-a --org "Hub A" --token "$PEER")
has "hub B pushes GREEN and the AMBER it shared with hub A, not RED" "$out" "1 envelopes, 2 objects pushed (2 new there)"
eq "they arrive on hub A, from hub B" \
	"$(sqlite3 "$HA" "SELECT group_concat(json_extract(json, '\$.name'), ' ') FROM stix_objects o JOIN orgs g ON g.id = o.origin WHERE g.name = 'Hub B' ORDER BY 1")" \
	"b-green-0 b-amber-shared-0"
out=$("$C5" taxii push "$A_URL" "$FED" --from to-a --org "Hub A" --token "$PEER")
has "a second push sends nothing" "$out" "0 envelopes, 0 objects"
out=$("$C5" taxii push "$A_URL" "$FED" --from from-a --org "Hub A" --token "$PEER")
has "what came from hub A is never pushed back to it" "$out" "0 envelopes, 0 objects"

# --- a configured peer, synced by hand and by the server's scheduler
"$C5" taxii peer add hub-a --url "$A_URL" --collection "$FED" --org "Hub A" --token "$PEER" --into from-a --every 1m >/dev/null
out=$("$C5" taxii peer list)
has "the peer is listed" "$out" "hub-a"
case "$out" in *"$PEER"*) fail "the peer's token is never shown" ;; *) pass "the peer's token is never shown" ;; esac
gen 1 "sync-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000007","objects":d["objects"]}))' >"$WORK/sync.json"
C5HUB_DB=$HA "$C5" ingest --format stix --collection fed --tlp green "$WORK/sync.json" >/dev/null
out=$("$C5" taxii sync hub-a); has "taxii sync polls it: only the new object arrives" "$out" "hub-a: 1 new objects"
gen 1 "sched-" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"type":"bundle","id":"bundle--0b4f3f5e-0000-4000-8000-000000000008","objects":d["objects"]}))' >"$WORK/sched.json"
C5HUB_DB=$HA "$C5" ingest --format stix --collection fed --tlp green "$WORK/sched.json" >/dev/null
sqlite3 "$HB" "UPDATE taxii_peers SET next_run = 0"
"$C5" serve --http 127.0.0.1:0 >"$WORK/serve-b.log" 2>&1 &
BPID=$!
got=0
for _ in $(seq 1 100); do
	got=$(sqlite3 "$HB" "SELECT count(*) FROM stix_objects WHERE json LIKE '%sched-0%'" 2>/dev/null)
	[ "$got" = 1 ] && break
	sleep 0.1
done
eq "hub B's server polls a due peer by itself" "$got" 1
kill "$BPID"; wait "$BPID" 2>/dev/null
eq "and records the run" "$(sqlite3 "$HB" "SELECT last_error = '' AND next_run > strftime('%s','now') FROM taxii_peers WHERE name = 'hub-a'")" 1
stop_server
