#!/usr/bin/env bash
# reach.sh — issue 22: ten million indicators on a small machine.  Generates
# the mixed list (bench/reachgen.c, fixed seed: 6 M IPv4, 2 M domains, 1 M URLs,
# 1 M SHA-256, one value per line) once into bench/out/reach/, then prints,
# each beside its target: `c5hub ingest` of the first 1 M lines and of the 10 M
# list (fresh stores), `serve` start until /healthz answers (without an index
# image, then with the one the first start wrote), serve's peak RSS (VmHWM at
# start and after a settle), index bytes per indicator (the banner's
# idx_stats).  --speed adds the DNS ratio (bench/dns.sh) and the HTTP ratio
# (nginx vs c5hub look-up, as in bench/run.sh).
# usage: bench/reach.sh [--speed]   (SCALE=N divides every count, for a quick try)
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out/reach
C5=${C5:-$PWD/build/c5hub}
SCALE=${SCALE:-1}
SPEED=0
[ "${1:-}" = --speed ] && SPEED=1
mkdir -p "$OUT"
now() { date +%s.%N; }
kb() { awk -v k="$2" '$1 == k":" {print $2}' /proc/"$1"/status; }
mib() { echo "scale=0; $1 / 1024" | bc; }
LIST=$OUT/list-$SCALE.txt
if [ ! -s "$LIST" ]; then
	cc -O2 -o "$OUT/reachgen" bench/reachgen.c
	"$OUT/reachgen" "$LIST.tmp" "$SCALE" && mv "$LIST.tmp" "$LIST"
fi
N=$(wc -l <"$LIST")
N1=$((N / 10))
head -n "$N1" "$LIST" >"$OUT/list-1m.txt"

echo "# issue 22 reach run $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD 2>/dev/null)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)" \
	"(shared with other engineers' builds and tests: figures vary between runs)"
echo

DB=$OUT/hub.db
echo "| figure | measured | target |"
echo "| --- | --- | --- |"
fresh() { rm -f "$DB" "$DB"-wal "$DB"-shm "$DB".idx "$DB".idx.tmp; $C5 --db "$DB" init >/dev/null; }
if [ "${REUSE:-0}" = 1 ] && [ -s "$DB" ]; then # the store of the last run: start figures only
	echo "| \`c5hub ingest\` | not measured (REUSE=1: the store of the last run) | |"
else
	fresh
	t0=$(now); $C5 --db "$DB" ingest --tlp green --source reach "$OUT/list-1m.txt" >/dev/null; t1=$(now)
	r1=$(echo "$N1 / ($t1 - $t0)" | bc)
	fresh
	t0=$(now); $C5 --db "$DB" ingest --tlp green --source reach "$LIST" >/dev/null; t1=$(now)
	s10=$(echo "scale=1; ($t1 - $t0) / 1" | bc)
	r10=$(echo "$N / ($t1 - $t0)" | bc)
	$C5 --db "$DB" org list >/dev/null # a plain open and close checkpoints the WAL
	echo "| \`c5hub ingest\` of the $N-line list | ${s10} s, $r10 a second | under 34 s, 300,000 a second |"
	echo "| \`c5hub ingest\` of its first $N1 lines (same run) | $r1 a second | no faster per value than the full list |"
fi

port=18622
start() { # $1: label
	t0=$(now)
	$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
	pid=$!
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
		kill -0 $pid 2>/dev/null || { cat "$OUT/serve.log"; exit 1; }
		sleep 0.01
	done
	t1=$(now)
	hwm0=$(kb $pid VmHWM)
	sleep 3
	for _ in $(seq 1 600); do # the first start writes the image: let it finish
		grep -q 'index image .* \(written\|used\)' "$OUT/serve.log" && break
		sleep 0.1
	done
	hwm=$(kb $pid VmHWM)
	rss=$(kb $pid VmRSS)
	line=$(grep -m1 'indicators indexed' "$OUT/serve.log" || true)
	nind=$(echo "$line" | awk '{print $2}')
	bytes=$(echo "$line" | sed -n 's/.*(\([0-9]*\) bytes).*/\1/p')
	img=$(grep -i 'index image' "$OUT/serve.log" | tr '\n' ' ' || true)
	echo "| \`serve\` start until /healthz answers, $1 | $(echo "scale=2; ($t1 - $t0) / 1" | bc) s | under 2 s |"
	echo "| peak RSS of serve, $1: at start / after 3 s (RSS now) | $(mib "$hwm0") / $(mib "$hwm") MiB ($(mib "$rss") MiB) | under 768 MiB |"
	echo "| index bytes per indicator, $1 ($nind indicators, $bytes bytes) | $(echo "scale=1; $bytes / $nind" | bc) | under 48 |"
	echo "| log, $1 | ${img:-(no image line)} | |"
	kill $pid
	wait $pid 2>/dev/null || true
}
rm -f "$DB".idx
start "no index image"
start "second start (image from the first, if any)"
# 100,000 more values after the image: a start maps it and catches up from the change log
awk 'BEGIN { for (i = 0; i < 100000 / '"$SCALE"'; i++) printf "100.%d.%d.%d\n", 64 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$OUT/more.txt"
$C5 --db "$DB" ingest --tlp green --source more "$OUT/more.txt" >/dev/null
start "third start, $(wc -l <"$OUT/more.txt") values added after the image"

if [ $SPEED = 1 ]; then
	echo
	echo "## DNS (bench/dns.sh, 1 M IPv4 zone, beside rbldnsd; target 1.5x per server CPU-second)"
	bash bench/dns.sh
	echo
	echo "## HTTP look-up beside nginx, wrk -t1 -c32 (target 0.8x), on the 10 M store"
	NG=$OUT/nginx
	mkdir -p "$NG/html"
	echo '{"value":"192.0.2.1","listed":false}' >"$NG/html/static.json"
	cat >"$NG/nginx.conf" <<NGX
worker_processes 2;
pid $PWD/$NG/nginx.pid;
error_log $PWD/$NG/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18623; root $PWD/$NG/html; } }
NGX
	nginx -c "$PWD/$NG/nginx.conf" -p "$PWD/$NG"
	TOKEN=$($C5 --db "$DB" token create --role reader 2>/dev/null)
	$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
	pid=$!
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.01; done
	HIT=$(head -1 "$LIST")
	for i in 1 2 3; do
		n=$(wrk -t1 -c32 -d${DURATION:-10}s "http://127.0.0.1:18623/static.json" | awk '/Requests\/sec/ {print int($2)}')
		h=$(wrk -t1 -c32 -d${DURATION:-10}s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/lookup?value=$HIT" | awk '/Requests\/sec/ {print int($2)}')
		echo "run $i: nginx $n req/s, c5hub look-up (hit) $h req/s, ratio $(echo "scale=2; $h / $n" | bc) (target 0.8)"
	done
	kill $pid; wait $pid 2>/dev/null || true
	kill "$(cat "$NG/nginx.pid")"
fi
