#!/usr/bin/env bash
# test_api.sh — the real server on loopback, driven with curl: authentication,
# roles, validation, all-or-nothing writes, look-ups, pagination, TLP
# visibility, deletion, edits, data from the CLI appearing without a reload,
# limits and metrics.
. "$(dirname "$0")/lib.sh"
plan 58

"$C5" init --hub-name "National CIRT" --country GH >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
ADMIN=$("$C5" token create --role admin 2>/dev/null)
CONTRIB=$("$C5" token create --org "Bank One" --role contributor 2>/dev/null)
READER=$("$C5" token create --org "Bank One" --role reader 2>/dev/null)
ANALYST=$("$C5" token create --org "Bank One" --role analyst 2>/dev/null)
eq "token has the documented shape" "${#ADMIN}" 47
printf '192.0.2.1\n10.0.0.0/8\nexample.com\n' >"$WORK/seed.txt"
"$C5" ingest --tlp amber --source seed "$WORK/seed.txt" >/dev/null
printf '198.51.100.0/24\ngreen.example\n' >"$WORK/green.txt"
"$C5" ingest --tlp green --source shared "$WORK/green.txt" >/dev/null
check "the database holds no clear token" bash -c "! grep -q '$ADMIN' '$C5HUB_DB' && ! strings '$C5HUB_DB' | grep -q '${ADMIN:4:20}'"

start_server
has "server prints its address" "$(cat "$WORK/serve.log")" "serving http://127.0.0.1:$PORT/"

# --- public endpoints
r=$(api "" GET /healthz); eq "healthz without auth" "${r%% *}" 200
r=$(api "" GET /); eq "the home page is the public gateway, which links to sign in" "${r%% *}$(case $r in *'href="/signin"'*) echo " signin" ;; esac)" "200 signin"

# --- authentication
r=$(api "" GET "/api/v1/lookup?value=192.0.2.1")
eq "lookup without token is 401" "${r%% *}" 401
has "401 carries a JSON error" "$r" '"error":{"code":"unauthorized"'
r=$(api "c5h_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" GET "/api/v1/lookup?value=192.0.2.1")
eq "unknown token is 401" "${r%% *}" 401
ok=0
for i in 1 2 3 4 5; do
	t=$("$C5" token create --org "Bank One" --role reader 2>/dev/null)
	r=$(api "$t" GET /api/v1/whoami); [ "${r%% *}" = 200 ] && ok=$((ok + 1))
	r=$(api "c5h_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" GET /api/v1/whoami); [ "${r%% *}" = 401 ] || ok=-9
done
eq "a token made while the hub runs works at once" "$ok" 5
r=$(api "$READER" GET /api/v1/whoami)
eq "whoami" "$(echo "${r#* }" | json 'd["role"], d["hub_member"]')" "reader False"

# --- look-ups and TLP visibility
r=$(api "$ADMIN" GET "/api/v1/lookup?value=10.1.2.3")
eq "hub admin sees the covering AMBER prefix" "$(echo "${r#* }" | json 'd["matches"][0]["match"], d["matches"][0]["value"]')" "prefix 10.0.0.0/8"
r=$(api "$READER" GET "/api/v1/lookup?value=10.1.2.3")
eq "another org does not see the hub's AMBER prefix" "$(echo "${r#* }" | json 'd["listed"]')" "False"
r=$(api "$READER" GET "/api/v1/lookup?value=www.green.example")
eq "everyone sees GREEN; parent-domain match" "$(echo "${r#* }" | json 'd["matches"][0]["match"], d["matches"][0]["value"]')" "parent green.example"
r=$(api "$READER" GET "/api/v1/lookup?value=::ffff:198.51.100.9")
eq "IPv4-mapped address matches the IPv4 prefix" "$(echo "${r#* }" | json 'd["type"], d["matches"][0]["value"]')" "ipv4-addr 198.51.100.0/24"
r=$(api "$READER" GET "/api/v1/lookup?value=999.1.1.1")
eq "invalid value is 400" "${r%% *}" 400
has "400 names the field" "$r" '"field":"value"'
r=$(api "$ADMIN" POST /api/v1/lookup '{"values":["192.0.2.1","8.8.8.8","bad value","example.com"]}')
eq "batch look-up answers each value" "$(echo "${r#* }" | json '[x.get("listed") for x in d["results"]]')" "[True, False, None, True]"

# --- writes: roles, validation, all-or-nothing
r=$(api "$READER" POST /api/v1/indicators '[{"value":"203.0.113.1"}]')
eq "reader may not add" "${r%% *}" 403
r=$(api "$CONTRIB" POST /api/v1/indicators '[{"value":"203.0.113.1"},{"value":"203.0.113.2","tlp":"purple"}]')
eq "bad item is 400" "${r%% *}" 400
eq "error names item and field" "$(echo "${r#* }" | json 'd["error"]["item"], d["error"]["field"]')" "1 tlp"
r=$(api "$CONTRIB" POST /api/v1/indicators '[{"value":"203.0.113.1"},{"value":"x","bogus":1}]')
eq "unknown field is named" "$(echo "${r#* }" | json 'd["error"]["item"], d["error"]["field"]')" "1 bogus"
r=$(api "$ADMIN" GET "/api/v1/indicators?value=203.0.113.1")
eq "nothing of a rejected batch was written" "$(echo "${r#* }" | json 'len(d["indicators"])')" 0
r=$(api "$CONTRIB" POST /api/v1/indicators 'not json')
eq "non-JSON body is 400" "${r%% *}" 400
r=$(api "$CONTRIB" POST /api/v1/indicators '[{"value":"203.0.113.1","tlp":"amber","confidence":90,"classification":"malicious-code/c2-server","first_seen":"2026-01-01T00:00:00Z"},{"value":"Bad.Example.NET","type":"domain-name","tlp":"green"}]')
eq "contributor adds a batch" "${r%% *}" 201
ID1=$(echo "${r#* }" | json 'd["ids"][0]')
ID2=$(echo "${r#* }" | json 'd["ids"][1]')
r=$(api "$READER" GET "/api/v1/lookup?value=203.0.113.1")
eq "written indicator visible to its own org at once" "$(echo "${r#* }" | json 'd["matches"][0]["id"], d["matches"][0]["confidence"]')" "$ID1 90"
r=$(api "$READER" GET "/api/v1/indicators/$ID2")
eq "GET by id returns the canonical value" "$(echo "${r#* }" | json 'd["value"], d["org"]')" "bad.example.net Bank One"
r=$(api "$READER" GET "/api/v1/indicators/1")
eq "another org's AMBER indicator is 404" "${r%% *}" 404
r=$(api "$READER" GET "/api/v1/indicators/abc")
eq "bad id is 404" "${r%% *}" 404

# --- listing, filters, cursor pagination
seq 1 25 | sed 's/^/198.18.0./' >"$WORK/many.txt"
"$C5" ingest --tlp green --source many "$WORK/many.txt" >/dev/null
sleep 1.2 # the refresher picks up what the CLI wrote
r=$(api "$READER" GET "/api/v1/lookup?value=198.18.0.7")
eq "CLI-written data appears in the server without a reload" "$(echo "${r#* }" | json 'd["listed"]')" "True"
seen=0; cursor=; pages=0
while :; do
	r=$(api "$READER" GET "/api/v1/indicators?source=many&limit=10${cursor:+&cursor=$cursor}")
	n=$(echo "${r#* }" | json 'len(d["indicators"])')
	seen=$((seen + n)); pages=$((pages + 1))
	cursor=$(echo "${r#* }" | json 'd["next_cursor"] or ""')
	[ -z "$cursor" ] && break
done
eq "cursor pagination walks every item once" "$seen/$pages" "25/3"
r=$(api "$READER" GET "/api/v1/indicators?type=domain-name&tlp=green")
eq "filters by type and TLP" "$(echo "${r#* }" | json 'sorted(x["value"] for x in d["indicators"])')" "['bad.example.net', 'green.example']"
r=$(api "$READER" GET "/api/v1/indicators?limit=5000")
eq "limit is bounded" "${r%% *}" 400

# --- edits and deletion
r=$(api "$ANALYST" PATCH "/api/v1/indicators/$ID1" '{"confidence":30,"tlp":"green"}')
eq "analyst edits own org's indicator" "$(echo "${r#* }" | json 'd["confidence"], d["tlp"]')" "30 green"
r=$(api "$ADMIN" PATCH "/api/v1/indicators/$ID1" '{"tlp":"amber"}')
eq "the hub may raise another organisation's TLP" "$(echo "${r#* }" | json 'd["tlp"]')" "amber"
r=$(api "$ADMIN" PATCH "/api/v1/indicators/$ID1" '{"tlp":"clear"}')
eq "but never lower it" "${r%% *}" 403
has "saying whose decision it is" "$r" "only the creating organisation may lower the TLP"
r=$(api "$ANALYST" PATCH "/api/v1/indicators/$ID1" '{"tlp":"green"}')
eq "the creator may" "$(echo "${r#* }" | json 'd["tlp"]')" "green"
r=$(api "$CONTRIB" PATCH "/api/v1/indicators/$ID1" '{"confidence":31}')
eq "contributor may not edit" "${r%% *}" 403
r=$(api "$ANALYST" PATCH "/api/v1/indicators/$ID1" '{"value":"1.1.1.1"}')
eq "value is not editable" "${r%% *}" 400
r=$(api "$CONTRIB" DELETE "/api/v1/indicators/$ID2")
eq "contributor may not delete" "${r%% *}" 403
r=$(api "$ADMIN" DELETE "/api/v1/indicators/$ID2")
eq "admin deletes" "${r%% *}" 200
r=$(api "$READER" GET "/api/v1/lookup?value=bad.example.net")
eq "deleted indicator no longer matches" "$(echo "${r#* }" | json 'd["listed"]')" "False"
r=$(api "$ADMIN" DELETE "/api/v1/indicators/$ID2")
eq "deleting again is 404" "${r%% *}" 404

# --- organisations and tokens over the API
r=$(api "$ADMIN" POST /api/v1/orgs '{"name":"Ministry","type":"government","country":"gh"}')
eq "admin adds an organisation" "$(echo "${r#* }" | json 'd["name"], d["country"]')" "Ministry GH"
r=$(api "$ADMIN" POST /api/v1/orgs '{"name":"Ministry","type":"government","country":"GH"}')
eq "duplicate organisation is 409" "${r%% *}" 409
r=$(api "$ADMIN" POST /api/v1/orgs '{"name":"X","type":"martian","country":"GH"}')
eq "bad org type names the field" "$(echo "${r#* }" | json 'd["error"]["field"]')" "type"
r=$(api "$ADMIN" POST /api/v1/tokens '{"org":"Ministry","role":"reader","label":"portal"}')
eq "admin makes a token" "${r%% *}" 201
MIN=$(echo "${r#* }" | json 'd["token"]')
MINID=$(echo "${r#* }" | json 'd["id"]')
r=$(api "$MIN" GET /api/v1/whoami); eq "the new token works" "${r%% *}" 200
r=$(api "$MIN" GET /api/v1/tokens); eq "reader may not list tokens" "${r%% *}" 403
r=$(api "$ADMIN" DELETE "/api/v1/tokens/$MINID"); eq "admin revokes over the API" "${r%% *}" 200
r=$(api "$MIN" GET /api/v1/whoami); eq "revoked token is refused at once" "${r%% *}" 401
"$C5" token revoke "${READER:0:12}" >/dev/null
sleep 1.2
r=$(api "$READER" GET /api/v1/whoami); eq "token revoked from the CLI is refused within a second" "${r%% *}" 401

# --- routing, limits, metrics
r=$(api "$ADMIN" GET /api/v1/nothing); eq "unknown path is 404" "${r%% *}" 404
r=$(api "$ADMIN" PUT /api/v1/indicators); eq "wrong method is 405" "${r%% *}" 405
head -c 17000000 /dev/zero | tr '\0' ' ' >"$WORK/big.json"
code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" --data-binary @"$WORK/big.json" "$BASE/api/v1/indicators")
eq "body over 16 MiB is 413" "$code" 413
m=$(curl -s "$BASE/metrics")
has "metrics count requests" "$m" 'c5hub_http_requests_total{route="lookup",code="200"}'
has "metrics have latencies" "$m" 'c5hub_http_request_duration_seconds_bucket{route="lookup",le="0.001"}'
has "metrics have index sizes" "$m" 'c5hub_index_entries{kind="ipv4"}'
stop_server
