#!/usr/bin/env bash
# test_hostile_case.sh — a hostile test of incident cases, from another
# organisation and from a careless client.  Each "not ok" here is a bug
# found (see the comment above each check); the checks that pass guard what
# held: one winner among PATCHes racing on one If-Match, and the audit chain.
#   1. a merge carries another organisation's (RED) observables to the
#      reporter of the case merged into: GET, STIX and IODEF exports
#   2. an IODEF report of an incident another organisation reported opens
#      nothing for the second reporter (and tells it someone did)
#   3. `case lifecycle FILE` drops a state cases are in: they are stuck open
#   4. If-Match is not checked by tasks, links, merge
#   5. escalate with id INT64_MIN: signed overflow (UBSan aborts the server)
#   6. a constituent probes the hub's people by ?assignee=
#   7. a peer opens a RED case it can never read
#   8. an IODEF report with a long non-ASCII description is refused
#   9. unknown members of POST /api/v1/incidents are dropped in silence
#  10. a reference with trailing junk after an encoded NUL resolves
#  11. PATCH {"status":"merged"} closes a case as merged into nothing
. "$(dirname "$0")/lib.sh"
plan 21

X=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}/iodef
# apiv TOKEN METHOD PATH [BODY] [IF-MATCH] -> "STATUS BODY"
apiv() {
	local args=(-s --max-time 20 -o "$WORK/resp" -w '%{http_code}' -X "$2" -H "Authorization: Bearer $1")
	[ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	[ -n "${5:-}" ] && args+=(-H "If-Match: $5")
	rm -f "$WORK/resp"
	echo "$(curl "${args[@]}" "$BASE$3") $(cat "$WORK/resp" 2>/dev/null)"
}
body() { cut -d' ' -f2-; }
code() { cut -d' ' -f1; }
ref() { body | json 'd["ref"]'; }
ver() { apiv "$ANALYST" GET "/api/v1/cases/$1" | body | json 'd["version"]'; }

"$C5" init --hub-name "GH CIRT" --country GH --case-prefix GH-CIRT >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Telco B" --type private-sector --country GH >/dev/null
"$C5" org add "Peer Hub" --type international --country ZZ >/dev/null
"$C5" user add ana@hub.example --org "GH CIRT" --role analyst >/dev/null 2>&1
ANALYST=$("$C5" token create --role analyst 2>/dev/null)
BANK=$("$C5" token create --org "Bank A" --role contributor 2>/dev/null)
BANKR=$("$C5" token create --org "Bank A" --role reader 2>/dev/null)
TELCO=$("$C5" token create --org "Telco B" --role contributor 2>/dev/null)
PEER=$("$C5" token create --org "Peer Hub" --role peer 2>/dev/null)
start_server

# ---- 1. merge: Bank A's RED case into Telco B's AMBER case.  Telco B then
# reads Bank A's observables (case_merge carries every link; case_json_full
# and the exports show a reporter every observable link).
BR=$(apiv "$BANK" POST /api/v1/incidents '{"title":"Bank secret","tlp":"red","observables":["203.0.113.66","c2.bank-secret.example"]}' | ref)
TR=$(apiv "$TELCO" POST /api/v1/incidents '{"title":"Telco thing","tlp":"amber","observables":["198.51.100.9"]}' | ref)
apiv "$ANALYST" POST "/api/v1/cases/$BR/merge" "{\"into\":\"$TR\"}" >/dev/null
eq "after a merge, the other reporter's GET holds none of Bank A's RED observables" \
	"$(apiv "$TELCO" GET "/api/v1/cases/$TR" | grep -c 'bank-secret\|203\.0\.113\.66')" 0
eq "nor its STIX export" "$(apiv "$TELCO" GET "/api/v1/cases/$TR/export?format=stix" | grep -c 'bank-secret')" 0
eq "nor its IODEF export" "$(apiv "$TELCO" GET "/api/v1/cases/$TR/export?format=iodef" | grep -c 'bank-secret')" 0

# ---- 2. IODEF: the incident key is global (iodef-incident|name#id), so the
# second organisation reporting it gets 200 {"cases":[]}: no case, and the
# news that someone reported it (or a constituent pre-empts another's IDs)
doc=$(python3 -c 'import json,sys; print(json.dumps({"iodef": open(sys.argv[1]).read()}))' "$X/rfc5070-botnet-example.xml")
apiv "$TELCO" POST /api/v1/incidents "$doc" >/dev/null
out=$(apiv "$BANK" POST /api/v1/incidents "$doc")
eq "Bank A's IODEF report of an incident Telco B reported first opens Bank A's case" "$(echo "$out" | code)" 201
# the same IncidentID with its own words: refused whole, naming "another
# organisation" (the indicator ids are iodef|name#id|value, global too).
# (casesec: this check wanted 201, but once the check above passes Bank A
# has already opened its case for this IncidentID: its second account is
# taken as an update of its own incident, 200 with no new case, and must
# say nothing of Telco B's.)
sed 's|Large bot-net|Our own account of it|' "$X/rfc5070-botnet-example.xml" >"$WORK/own.xml"
doc=$(python3 -c 'import json,sys; print(json.dumps({"iodef": open(sys.argv[1]).read()}))' "$WORK/own.xml")
out=$(apiv "$BANK" POST /api/v1/incidents "$doc")
eq "Bank A's own report under that IncidentID is taken, saying nothing of another's" \
	"$(echo "$out" | code) $(echo "$out" | grep -ci 'another')" "200 0"

# ---- 4. If-Match: a stale version is refused by every change (README
# "Versions"); tasks, links and merge ignore it (api_case_post)
C=$(apiv "$ANALYST" POST /api/v1/cases '{"title":"versions","reporter":"Bank A"}' | ref)
apiv "$ANALYST" POST "/api/v1/cases/$C/comments" '{"text":"internal one"}' >/dev/null
eq "a task naming a stale version is refused (412)" \
	"$(apiv "$ANALYST" POST "/api/v1/cases/$C/tasks" '{"title":"stale task"}' '"1"' | code)" 412
eq "a link naming a stale version is refused (412)" \
	"$(apiv "$ANALYST" POST "/api/v1/cases/$C/links" '{"kind":"observable","target":"192.0.2.44"}' '"1"' | code)" 412
D=$(apiv "$ANALYST" POST /api/v1/cases '{"title":"dup","reporter":"Bank A"}' | ref)
eq "a merge naming a stale version is refused (412)" \
	"$(apiv "$ANALYST" POST "/api/v1/cases/$D/merge" "{\"into\":\"$C\"}" '"99"' | code)" 412

# ---- concurrency (held): four PATCHes with one If-Match, one wins
v=$(ver "$C")
for i in 1 2 3 4; do
	curl -s --max-time 20 -o /dev/null -w '%{http_code}\n' -X PATCH -H "Authorization: Bearer $ANALYST" \
		-H 'Content-Type: application/json' -H "If-Match: \"$v\"" --data "{\"title\":\"race $i\"}" \
		"$BASE/api/v1/cases/$C" >"$WORK/race$i" &
	eval "P$i=\$!"
done
wait "$P1" "$P2" "$P3" "$P4"
eq "four PATCHes racing on one If-Match: exactly one wins, three get 412" \
	"$(cat "$WORK"/race? | sort | tr '\n' ' ')" "200 412 412 412 "

# ---- 6. a constituent's reader learns which e-mail addresses are the hub's
# people: ?assignee= answers 400 "no such person" or 200 []
a=$(apiv "$BANKR" GET "/api/v1/cases?assignee=ana@hub.example")
b=$(apiv "$BANKR" GET "/api/v1/cases?assignee=nobody@hub.example")
eq "?assignee= tells a constituent nothing of the hub's people" "$a" "$b"

# ---- 7. a peer reports at RED: 201, then its own case is a 404 (a peer
# never sees RED) — refuse the TLP, or let it read what it opened
P=$(apiv "$PEER" POST /api/v1/incidents '{"title":"peer report","tlp":"red"}')
if [ "$(echo "$P" | code)" = 201 ]; then
	eq "the case a peer opened is one it can read" "$(apiv "$PEER" GET "/api/v1/cases/$(echo "$P" | ref)" | code)" 200
else
	has "a RED report by a peer is refused naming tlp" "$P" '"field":"tlp"'
fi

# ---- 8. an IODEF report whose description is long French text: the title
# (200 bytes) and body (400) are cut mid-character by case_iodef.c's open_one
long=$(python3 -c 'print("a" + "é" * 300)')
sed "s|<Description>Large bot-net</Description>|<Description>$long</Description>|; s|908711|55501|" \
	"$X/rfc5070-botnet-example.xml" >"$WORK/fr.xml"
doc=$(python3 -c 'import json,sys; print(json.dumps({"iodef": open(sys.argv[1]).read()}))' "$WORK/fr.xml")
out=$(apiv "$BANK" POST /api/v1/incidents "$doc")
eq "an IODEF report with a long non-ASCII description opens its case" "$(echo "$out" | code)" 201

# ---- 9. a careless client's typo: "descripton" is dropped, the case opened
# without the report's words (PATCH refuses unknown members; POST does not)
n0=$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')
out=$(apiv "$BANK" POST /api/v1/incidents '{"title":"typo","descripton":"the words of the report"}')
has "an unknown member of an incident is refused, naming it" "$out" '"field":"descripton"'
eq "and nothing is opened" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')" "$n0"

# ---- 10. trailing junk after an encoded NUL: the path is cut at the NUL
eq "a reference followed by %00 and junk is no case" "$(apiv "$BANK" GET "/api/v1/cases/$BR%00junk" | code)" 404

# ---- 11. "merged" by a plain status change: the case is closed as merged
# into nothing (merged_into 0), its reporter told "new -> merged"
M=$(apiv "$BANK" POST /api/v1/incidents '{"title":"merged into nothing","description":"our report"}' | ref)
eq "a status change to 'merged' without a merge is refused (only /merge enters it)" \
	"$(apiv "$ANALYST" PATCH "/api/v1/cases/$M" '{"status":"merged"}' | code)" 400

# ---- 3. a lifecycle without a state cases are in: they never close
L=$(apiv "$ANALYST" POST /api/v1/cases '{"title":"lifecycle","reporter":"Bank A"}' | ref)
apiv "$ANALYST" PATCH "/api/v1/cases/$L" '{"status":"triage"}' >/dev/null
apiv "$ANALYST" PATCH "/api/v1/cases/$L" '{"status":"containment"}' >/dev/null
printf 'state new initial\nstate working\nstate done final resolution\nnew -> working done\nworking -> done\n' >"$WORK/lc.conf"
"$C5" case lifecycle "$WORK/lc.conf" >/dev/null 2>&1
rc=$?
check "case lifecycle refuses a file without 'containment', which a case is in" test "$rc" -ne 0
ns=$(apiv "$ANALYST" GET "/api/v1/cases/$L" | body | json 'd["next_states"]')
check "a case in a state of the old lifecycle can still move (next states: $ns)" test "$ns" != none

# ---- 5. escalate id INT64_MIN: case_escalate computes id - 1 before its
# id <= 0 check (UBSan: signed integer overflow; the ASan flavour aborts)
eq "escalating event -9223372036854775808 is a 400, the server lives" \
	"$(apiv "$ANALYST" POST /api/v1/cases/escalate '{"kind":"event","id":-9223372036854775808}' | code)" 400

# ---- audit (held): every change recorded, the chain verifies, no token in the log
check "the audit chain verifies after all of it" "$C5" audit verify
stop_server
eq "the server's log holds no token" "$(grep -c 'c5h_' "$WORK/serve.log")" 0
