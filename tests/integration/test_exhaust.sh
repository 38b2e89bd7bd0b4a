#!/usr/bin/env bash
# test_exhaust.sh — one client must not stop a service (issue 14, items
# 7-9): a slowloris of 2,100 HTTP connections, slow and idle DNS-over-TCP
# clients, 1,000 pipelined DNS queries, and one organisation's tokens taking
# live streams, all from 127.0.0.1, while a normal client from 127.0.0.2 is
# answered (tests/tools/exhaust.py; about 30 s, loopback only).  The
# "# figure:" lines are the measurements in bench/RESULTS.md.
. "$(dirname "$0")/lib.sh"
type plan >/dev/null 2>&1 || plan() { :; }
plan 20
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)

"$C5" init --hub-name "National CIRT" --country GH >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
"$C5" org add "ISP One" --type private-sector --country GH >/dev/null
A=
for i in 1 2 3 4 5; do A=$A${A:+,}$("$C5" token create --org "Bank One" --role reader 2>/dev/null); done
B=$("$C5" token create --org "ISP One" --role reader 2>/dev/null)
start_server --dns 127.0.0.1:0 --ip-zone bl.test
check "the server serves HTTP and DNS" test -n "$PORT" -a -n "$DP"
timeout 90 python3 "$TOOLS/exhaust.py" "$SERVER_PID" "$PORT" "$DP" bl.test "$A" "$B" >"$WORK/exhaust.out" 2>&1
n=0
while IFS= read -r l; do
	case $l in
	"ok - "*) pass "${l#ok - }"; n=$((n + 1)) ;;
	"not ok - "*) fail "${l#not ok - }"; n=$((n + 1)) ;;
	*) echo "$l" ;;
	esac
done <"$WORK/exhaust.out"
eq "the exhaustion script ran all its checks" "$n" 15
check "the server is still up" curl -sf "$BASE/healthz"
m=$(curl -s "$BASE/metrics")
lim() { echo "$m" | awk -v k="c5hub_http_limited_total{limit=\"$1\"}" '$1 == k {print $2}'; }
check "metrics count the connections cut at their deadline (64 or more: $(lim deadline))" test "$(lim deadline)" -ge 64
check "...and the streams refused (256 or more: $(lim stream))" test "$(lim stream)" -ge 256
stop_server
