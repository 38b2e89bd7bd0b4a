#!/usr/bin/env bash
# console.sh — the web console's speed with 1,000,000 indicators in the
# store (issue 17): the server time of the signed-in dashboard, the
# indicator list and one indicator (curl's time to first byte on loopback,
# median of 21), and wrk -c100 on the dashboard beside nginx serving the
# same bytes as a static file, same run.  Loopback only; each wrk run is
# bounded (DURATION seconds, default 10).  Appends to bench/out/results.md
# when called from run.sh, else writes bench/out/console.md.
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
C5=$PWD/build/c5hub
DURATION=${DURATION:-10}
res=${RESULTS:-$OUT/console.md}
mkdir -p "$OUT"
[ -n "${RESULTS:-}" ] || : >"$res"
for t in wrk nginx python3 curl; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/deps.sh --bench"; exit 1; }
done
say() { echo "$*" | tee -a "$res"; }
[ -f "$OUT/data/v4.txt" ] || python3 bench/gen.py "$OUT/data"

DB=$OUT/console.db
rm -f "$DB" "$DB"-wal "$DB"-shm
$C5 --db "$DB" init >/dev/null
$C5 --db "$DB" org add "Bank A" --type private-sector --country GH >/dev/null
$C5 --db "$DB" org add "Feeds" --type private-sector --country GH >/dev/null
$C5 --db "$DB" ingest --tlp green --source v4 --org Feeds "$OUT/data/v4.txt" >/dev/null
head -100000 "$OUT/data/dom.txt" >"$OUT/names100k.txt"
$C5 --db "$DB" ingest --tlp amber --source names --org Feeds "$OUT/names100k.txt" >/dev/null
$C5 --db "$DB" user add ana@bank.example --org "Bank A" --role analyst >/dev/null 2>&1
PW='a long enough passphrase 42'
echo "$PW" | $C5 --db "$DB" user password ana@bank.example >/dev/null

port=18590
$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/console-serve.log" 2>&1 &
pid=$!
NG=$OUT/nginx-console
trap 'kill $pid 2>/dev/null || true; [ -f "$NG/nginx.pid" ] && kill "$(cat "$NG/nginx.pid")" 2>/dev/null || true' EXIT
BASE=http://127.0.0.1:$port
until curl -sf "$BASE/healthz" >/dev/null; do sleep 0.05; done
JAR=$OUT/console.jar
rm -f "$JAR"
cs=$(curl -s -c "$JAR" -b "$JAR" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
[ "$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -b "$JAR" --data-urlencode "email=ana@bank.example" \
	--data-urlencode "password=$PW" --data "csrf=$cs" "$BASE/signin")" = 303 ] || { echo "bench: sign-in failed"; exit 1; }
COOKIE=$(sed 's/^#HttpOnly_//' "$JAR" | awk '!/^#/ && NF >= 7 {print $6 "=" $7}' | tail -1)
ID=$(sqlite3 "$DB" 'SELECT id FROM indicators WHERE id = 500000')

first=$(curl -s -o /dev/null -w '%{time_starttransfer}' -H "Cookie: $COOKIE" "$BASE/console" | awk '{printf "%.2f", $1 * 1000}')
for u in /console /console/indicators /console/indicators/$ID; do
	c=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$u")
	[ "$c" = 200 ] || { echo "bench: $u answered $c"; exit 1; }
done

# server time of one page: median of 21 times to first byte (the first
# request of a snapshot works out its counts; the rest read them)
ttfb() {
	for i in $(seq 21); do
		curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Cookie: $COOKIE" "$BASE$1"
	done | sort -n | sed -n 11p | awk '{printf "%.2f", $1 * 1000}'
}
say "## The console with 1,100,000 indicators in the store (1,000,000 IPv4 GREEN + 100,000 names AMBER, another organisation's)"
say ""
say "| page | server time, median of 21 (ms) | target |"
say "| --- | --- | --- |"
say "| dashboard, first request after start (counts worked out) | $first | — |"
say "| dashboard | $(ttfb /console) | < 5 |"
say "| indicators, first page | $(ttfb /console/indicators) | < 5 |"
say "| one indicator | $(ttfb /console/indicators/$ID) | < 5 |"
say ""

mkdir -p "$NG/html"
curl -s -H "Cookie: $COOKIE" "$BASE/console" >"$NG/html/dashboard.html"
cat >"$NG/nginx.conf" <<NGX
worker_processes 2;
pid $PWD/$NG/nginx.pid;
error_log $PWD/$NG/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18591; root $PWD/$NG/html; } }
NGX
nginx -c "$PWD/$NG/nginx.conf" -p "$PWD/$NG"
sleep 0.2
say "## Signed-in dashboard, \`wrk -t1 -c100 -d${DURATION}s\`, beside nginx serving its bytes ($(wc -c <"$NG/html/dashboard.html") B) as a static file"
say ""
say "| run | nginx static req/s | c5hub dashboard req/s | ratio |"
say "| --- | --- | --- | --- |"
for i in 1 2; do
	n=$(wrk -t1 -c100 -d${DURATION}s http://127.0.0.1:18591/dashboard.html | awk '/Requests\/sec/ {print int($2)}')
	c=$(wrk -t1 -c100 -d${DURATION}s -H "Cookie: $COOKIE" "$BASE/console" | awk '/Requests\/sec/ {print int($2)}')
	say "| $i | $n | $c | $(echo "scale=2; $c / $n" | bc) |"
done
say ""
