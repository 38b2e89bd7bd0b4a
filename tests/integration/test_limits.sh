#!/usr/bin/env bash
# test_limits.sh — limits that keep one request from hurting the service
# (issue 14, items 10-12; issue 15, defect 4): 1,000 query parameters answered
# 414 at once, a value that is not UTF-8 answered 400, at most two big bodies
# taken at once and the memory of 100,000-item POSTs bounded, a warning with
# no 24/7 contact (clean under the sanitizers), and a second server refused
# on a port in use, for HTTP and DNS.
. "$(dirname "$0")/lib.sh"
type plan >/dev/null 2>&1 || plan() { :; }
plan 30

"$C5" init --hub-name "National CIRT" --country GH >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
ADMIN=$("$C5" token create --role admin 2>/dev/null)
READER=$("$C5" token create --org "Bank One" --role reader 2>/dev/null)
q() { sqlite3 "$C5HUB_DB" "$1"; }
start_server --dns 127.0.0.1:0 --ip-zone bl.test

# ---- item 10: query strings ----
args=$(python3 -c "print('&'.join('p%d=%d' % (i, i) for i in range(1000)))")
t0=$(date +%s%N)
r=$(curl -s -m 10 -w ' %{http_code}' -H "Authorization: Bearer $READER" "$BASE/api/v1/lookup?value=192.0.2.1&$args")
t1=$(date +%s%N)
eq "1,000 query parameters: 414" "${r##* }" 414
has "...saying the limit" "$r" '"code":"uri_too_long"'
check "...at once (was: no answer, the connection closed at 30 s)" test $(( (t1 - t0) / 1000000 )) -lt 2000
args=$(python3 -c "print('&'.join('p%d=%d' % (i, i) for i in range(98)))")
r=$(api "$READER" GET "/api/v1/lookup?value=192.0.2.1&$args"); eq "100 query parameters are fine" "${r%% *}" 200
r=$(curl -s -m 10 -w ' %{http_code}' -H "X-Big: $(head -c 70000 /dev/zero | tr '\0' a)" "$BASE/healthz")
eq "a 70 KB header: 431" "${r##* }" 431
r=$(api "$READER" GET "/api/v1/lookup?value=%ff%fe.net")
eq "lookup of a value that is not UTF-8: 400 (was 500 out of memory)" "${r%% *}" 400
has "...naming the field" "$r" '"field":"value"'
r=$(api "$READER" GET "/api/v1/reputation?value=%ff%fe.net"); eq "...as /reputation does" "${r%% *}" 400

# ---- item 12: a warning when no 24/7 contact is configured ----
r=$(api "$ADMIN" POST /api/v1/warnings '{"title":"Phishing kit","classification":"fraud/phishing","severity":"high","tlp":"green","observables":["198.51.100.7"]}')
eq "a warning with no 24/7 contact configured: 201" "${r%% *}" 201
r=$(api "$ADMIN" GET /healthz); eq "...and the server lives on" "${r%% *}" 200

# ---- item 11: big bodies ----
# hold SRC: from SRC, a body past 256 KB never finished (it takes a big slot)
hold() {
	python3 - "$PORT" "$ADMIN" "$1" >"$WORK/hold$1.log" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind((sys.argv[3], 0))
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(("POST /api/v1/indicators HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
           "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n" % sys.argv[2]).encode())
s.sendall(b" " * 300000)
print("held", flush=True)
time.sleep(10)
PY
	HOLDS+=($!)
	for _ in $(seq 1 100); do grep -q held "$WORK/hold$1.log" && break; sleep 0.05; done
	sleep 0.3
}
# big SRC N: POST N indicators (from 10.SRC...) from address SRC; prints the status
big() {
	python3 -c "import json,sys; print(json.dumps([{'type':'ipv4-addr','value':'10.%s.%d.%d' % (sys.argv[1], i >> 8, i & 255)} for i in range(int(sys.argv[2]))]))" "${1##*.}" "$2" >"$WORK/big.json"
	curl -s -o "$WORK/resp" -D "$WORK/hdr" -w '%{http_code}' --interface "$1" -H "Authorization: Bearer $ADMIN" \
		-H 'Content-Type: application/json' --data-binary @"$WORK/big.json" "$BASE/api/v1/indicators"
}
HOLDS=()
hold 127.0.0.3
n0=$(q "SELECT count(*) FROM indicators")
eq "a second big body from the address holding a big slot: 503" "$(big 127.0.0.3 20000)" 503
eq "...and nothing stored" "$(q "SELECT count(*) FROM indicators")" "$n0"
eq "a big body from another address meanwhile: 201" "$(big 127.0.0.2 20000)" 201
hold 127.0.0.4
n0=$(q "SELECT count(*) FROM indicators")
eq "a third big body while two are taken: 503" "$(big 127.0.0.5 20000)" 503
has "...with Retry-After" "$(cat "$WORK/hdr")" "Retry-After: 1"
eq "...and nothing stored" "$(q "SELECT count(*) FROM indicators")" "$n0"
r=$(api "$ADMIN" POST /api/v1/indicators '[{"type":"ipv4-addr","value":"192.0.2.77"}]')
eq "a small body meanwhile: 201" "${r%% *}" 201
kill "${HOLDS[@]}" 2>/dev/null; wait "${HOLDS[@]}" 2>/dev/null
sleep 0.3
eq "the big body once the slots are free: 201" "$(big 127.0.0.5 20000)" 201
# two concurrent 100,000-item POSTs (5.6 MB each, from two addresses): the peak is bounded
for k in 1 2; do
	python3 -c "import json,sys; k=int(sys.argv[1]); print(json.dumps([{'type':'ipv4-addr','value':'%d.%d.%d.%d' % (20 + k, i >> 16, i >> 8 & 255, i & 255),'tlp':'green'} for i in range(100000)], separators=(',', ':')))" $k >"$WORK/items$k.json"
done
python3 -c "import json; d=json.load(open('$WORK/items1.json')); d[-1]['value']='not an address'; print(json.dumps(d))" >"$WORK/bad.json"
n0=$(q "SELECT count(*) FROM indicators")
code=$(curl -s -o "$WORK/resp" -w '%{http_code}' -H "Authorization: Bearer $ADMIN" \
	-H 'Content-Type: application/json' --data-binary @"$WORK/bad.json" "$BASE/api/v1/indicators")
eq "100,000 items with the last one bad: 400" "$code" 400
has "...naming it" "$(cat "$WORK/resp")" '"item":99999'
eq "...and nothing stored" "$(q "SELECT count(*) FROM indicators")" "$n0"
hwm() { awk '$1 == "VmHWM:" {print int($2 / 1024)}' /proc/"$SERVER_PID"/status; }
rss0=$(awk '$1 == "VmRSS:" {print int($2 / 1024)}' /proc/"$SERVER_PID"/status)
for k in 1 2; do
	curl -s -o "$WORK/code$k" -w '%{http_code}' --interface 127.0.0.$((10 + k)) -H "Authorization: Bearer $ADMIN" \
		-H 'Content-Type: application/json' --data-binary @"$WORK/items$k.json" \
		"$BASE/api/v1/indicators" >"$WORK/status$k" &
	eval "P$k=\$!"
done
wait $P1 $P2
eq "two concurrent 100,000-item POSTs: both stored" "$(cat "$WORK/status1") $(cat "$WORK/status2")" "201 201"
peak=$(hwm)
echo "# figure: RSS before ${rss0} MB, peak ${peak} MB"
if ldd "$C5" 2>/dev/null | grep -q libasan; then
	pass "...the server's peak is not measured in a sanitizer build (its quarantine holds freed memory)"
else
	check "...the server's peak stays under its RSS before + 250 MB (was + 295 MB; peak $peak MB)" \
		test "$peak" -lt $((rss0 + 250))
fi

# ---- issue 15, defect 4: a port in use ----
# (under timeout: a server that starts serving is stopped, rc 124)
out=$(timeout 10 "$C5" serve --http "127.0.0.1:$PORT" 2>&1); rc=$?
check "a second server on the HTTP port: non-zero exit at once" test "$rc" -ne 0 -a "$rc" -ne 124
has "...saying address already in use" "$out" "address already in use"
out=$(timeout 10 "$C5" serve --http 127.0.0.1:0 --dns "127.0.0.1:$DP" --ip-zone bl.test 2>&1); rc=$?
check "a second server on the DNS port: non-zero exit at once" test "$rc" -ne 0 -a "$rc" -ne 124
has "...saying address already in use" "$out" "address already in use"
case "$out" in *serving*) fail "...and it never said serving" ;; *) pass "...and it never said serving" ;; esac
ok=0
for _ in $(seq 1 20); do r=$(api "" GET /healthz); [ "${r%% *}" = 200 ] && ok=$((ok + 1)); done
eq "the first server answers every request" "$ok" 20
eq "...and DNS on UDP too" "$(dig +short +tries=1 +time=2 -p "$DP" @127.0.0.1 bl.test SOA | wc -l)" 1
stop_server
