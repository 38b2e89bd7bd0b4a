#!/usr/bin/env bash
# test_verdict.sh — one verdict: every path that answers "is this value bad?"
# (the CLI, GET and POST look-ups, GET and POST reputation, the CSV export and
# the DNS blocklist) gives the same score for the same value and audience.
# 100 reports of one address, 70 AMBER then 30 GREEN: paths that cut the
# reports at 64 before the visibility check lost the GREEN ones and scored
# 86 or 0 where the others said 95.
. "$(dirname "$0")/lib.sh"
plan 14

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
"$C5" org add "Other C" --type civil-society --country ZZ >/dev/null
A=$("$C5" token create --org "Bank A" --role contributor 2>/dev/null)
C=$("$C5" token create --org "Other C" --role reader 2>/dev/null)
V=192.0.2.77
python3 -c '
import json
print(json.dumps([{"value": "192.0.2.77", "source": "s%03d" % i, "confidence": 1,
                   "classification": "malicious-code/c2-server",
                   "tlp": "amber" if i < 70 else "green"} for i in range(100)]))' >"$WORK/many.json"
start_server --dns 127.0.0.1:0 --ip-zone ip.test
eq "100 reports of one address" "$(api "$A" POST /api/v1/indicators "$(cat "$WORK/many.json")" | cut -d' ' -f1)" 201

score_of() { python3 -c 'import json,sys; d=json.load(sys.stdin); d=d if isinstance(d,list) else d.get("results",[d]); print(d[0]["score"])'; }
get() { curl -s -H "Authorization: Bearer $1" "$BASE$2"; }
post() { curl -s -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data-binary "$3" "$BASE$2"; }

# the giver's audience: all 100; another member's: the 30 GREEN ones
for who in A C; do
	tok=${!who}
	s1=$(get "$tok" "/api/v1/lookup?value=$V" | score_of)
	s2=$(get "$tok" "/api/v1/reputation/$V" | score_of)
	s3=$(post "$tok" /api/v1/reputation "{\"values\":[\"$V\"]}" | score_of)
	s4=$(post "$tok" /api/v1/lookup "{\"values\":[\"$V\"]}" | score_of)
	eq "GET reputation agrees with GET lookup ($who)" "$s2" "$s1"
	eq "POST reputation agrees ($who)" "$s3" "$s1"
	eq "POST lookup agrees ($who)" "$s4" "$s1"
	eval "S_$who=$s1"
done
cli_all=$("$C5" lookup --json --tlp-max red "$V" | score_of)
cli_green=$("$C5" lookup --json --tlp-max green "$V" | score_of)
eq "the CLI (every report) agrees with the giver's API score" "$cli_all" "$S_A"
eq "the CLI at GREEN agrees with another member's API score" "$cli_green" "$S_C"
csv=$("$C5" export --format csv --tlp-max green | awk -F, -v v="$V" '$2 == v {print $3}')
eq "the CSV export at GREEN agrees" "$csv" "$S_C"
csv=$("$C5" export --format csv --tlp-max amber | awk -F, -v v="$V" '$2 == v {print $3}')
eq "the CSV export at AMBER agrees with every report's score" "$csv" "$S_A"
check "the scores are not saturated (0 < GREEN's < all's < 100)" test 0 -lt "$S_C" -a "$S_C" -lt "$S_A" -a "$S_A" -lt 100
stop_server

# DNS, publishing GREEN: listed at exactly the GREEN score, not one above
dnsq() { dig +short +time=2 +tries=1 -p "$DP" @127.0.0.1 "77.2.0.192.ip.test" A; }
start_server --dns 127.0.0.1:0 --ip-zone ip.test --min-score "$S_C"
has "DNS lists it at --min-score $S_C (its GREEN score)" "$(dnsq)" "127.0.0."
stop_server
start_server --dns 127.0.0.1:0 --ip-zone ip.test --min-score $((S_C + 1))
eq "and not at --min-score $((S_C + 1))" "$(dnsq)" ""
stop_server
