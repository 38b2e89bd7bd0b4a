#!/usr/bin/env bash
# run.sh — every benchmark, each figure beside its target or its peer measured
# in the same run on the same machine.  Loopback only; each load is bounded
# (wrk runs DURATION seconds, default 10).  Output: bench/out/results.md.
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
C5=$PWD/build/c5hub
DURATION=${DURATION:-10}
mkdir -p "$OUT"
for t in wrk nginx python3 sqlite3; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/deps.sh --bench"; exit 1; }
done
res=$OUT/results.md
: >"$res"
say() { echo "$*" | tee -a "$res"; }
now() { date +%s.%N; }

say "# c5hub benchmark run $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say ""
say "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
say ""

# --- 1. in-process index look-ups and memory
cc -std=c11 -D_GNU_SOURCE -O2 -g -Isrc -pthread -o build/bench_idx bench/bench_idx.c build/libc5hub.a \
	-lidn2 -lgnutls -lsqlite3 -ljansson -lmicrohttpd -lcurl -lxml2 -lm
say '## Index (build/bench_idx)'
say '```'
build/bench_idx | tee -a "$res"
say '```'

# --- 2. ingest into the store
[ -f "$OUT/data/v4.txt" ] || python3 bench/gen.py "$OUT/data"
DB=$OUT/bench.db
runs=
for i in 1 2 3; do
	rm -f "$DB" "$DB"-wal "$DB"-shm
	$C5 --db "$DB" init >/dev/null
	t0=$(now)
	$C5 --db "$DB" ingest --tlp green --source v4 "$OUT/data/v4.txt" >/dev/null
	t1=$(now)
	runs="$runs $(echo "1000000 / ($t1 - $t0)" | bc)"
done
ing=$(echo $runs | tr ' ' '\n' | sort -n | sed -n 2p)
t0=$(now)
$C5 --db "$DB" ingest --tlp green --source v4 "$OUT/data/v4.txt" >/dev/null
t1=$(now)
upd=$(echo "1000000 / ($t1 - $t0)" | bc)
# peer: SQLite itself, the same upsert into the same schema as one INSERT ... SELECT
# time only the insert + commit, in one sqlite3 process, after the import
cat >"$OUT/floor2.sql" <<SQL
PRAGMA cache_size=-262144;
CREATE TEMP TABLE t(v TEXT);
.import $OUT/data/v4.txt t
.timer on
BEGIN;
INSERT INTO indicators(type,value,source,org_id,tlp,confidence,classification,first_seen,last_seen,valid_until,created,updated) SELECT 'ipv4-addr', v, 'floor', 1, 1, 50, 'other/undetermined', 1, 1, NULL, 1, 1 FROM t WHERE 1 ON CONFLICT(value,type,source,org_id) DO UPDATE SET updated=excluded.updated;
COMMIT;
SQL
rm -f "$OUT/floor.db"*
$C5 --db "$OUT/floor.db" init >/dev/null
floor_s=$(sqlite3 "$OUT/floor.db" <"$OUT/floor2.sql" | awk '/Run Time/ {s += $4} END {print s}')
floor=$(echo "1000000 / $floor_s" | bc)
say ""
say "## Ingest (1,000,000 IPv4 list lines, one durable transaction)"
say ""
say "| what | indicators/s | target |"
say "| --- | --- | --- |"
say "| \`c5hub ingest\` (parse, canonicalise, upsert, fsync), new values, median of 3 (runs:$runs) | $ing | >= 300000 |"
say "| the same file again: every line an update of an existing indicator | $upd | |"
say "| peer: sqlite3 shell, the same upsert as one INSERT ... SELECT of pre-imported values (no parsing) | $floor | |"

# --- 3. start-up with 2.1M indicators
$C5 --db "$DB" ingest --tlp green --source pfx "$OUT/data/pfx.txt" >/dev/null
$C5 --db "$DB" ingest --tlp green --source dom "$OUT/data/dom.txt" >/dev/null
TOKEN=$($C5 --db "$DB" token create --role reader 2>/dev/null)
$C5 --db "$DB" org list >/dev/null # a plain open and close checkpoints the WAL
port=18581
best=
for i in 1 2 3; do
	t0=$(now)
	$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
	pid=$!
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.01; done
	t1=$(now)
	s=$(echo "$t1 - $t0" | bc)
	rss=$(ps -o rss= -p $pid)
	kill $pid; wait $pid 2>/dev/null || true
	say "start-up run $i: ${s}s until /healthz answered; RSS $((rss / 1024)) MiB"
done
say ""
say "## Start-up with 1M IPv4 + 100k prefixes + 1M domains: target under 2 s (figures above)"
say ""

# --- 4. HTTP single look-up vs nginx serving a small static file
NG=$OUT/nginx
mkdir -p "$NG/html"
echo '{"value":"192.0.2.1","listed":false}' >"$NG/html/static.json"
cat >"$NG/nginx.conf" <<NGX
worker_processes 2;
pid $PWD/$NG/nginx.pid;
error_log $PWD/$NG/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18582; root $PWD/$NG/html; } }
NGX
nginx -c "$PWD/$NG/nginx.conf" -p "$PWD/$NG"
$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.01; done
HIT=$(head -1 "$OUT/data/v4.txt")
say "## HTTP single look-up, \`wrk -t1 -c32 -d${DURATION}s\`, alternating runs"
say ""
say "| run | nginx static file req/s | c5hub lookup (hit) req/s | c5hub lookup (miss) req/s | ratio hit/nginx |"
say "| --- | --- | --- | --- | --- |"
for i in 1 2 3; do
	n=$(wrk -t1 -c32 -d${DURATION}s "http://127.0.0.1:18582/static.json" | awk '/Requests\/sec/ {print int($2)}')
	h=$(wrk -t1 -c32 -d${DURATION}s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/lookup?value=$HIT" | awk '/Requests\/sec/ {print int($2)}')
	m=$(wrk -t1 -c32 -d${DURATION}s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/lookup?value=192.0.2.1" | awk '/Requests\/sec/ {print int($2)}')
	say "| $i | $n | $h | $m | $(echo "scale=2; $h / $n" | bc) |"
done
say ""
say "target: c5hub >= 0.8 x nginx"
kill $pid; wait $pid 2>/dev/null || true
kill "$(cat "$NG/nginx.pid")"

# --- 5. watch and warn: the feed pipeline, early-warning latency under its load
say ""
say '## Watch and warn (`bench/watch.py`: 1M-line URLhaus-style feed, 10,000 networks)'
say '```'
python3 bench/watch.py "$C5" "$OUT/watch" "${WATCH_LINES:-1000000}" 200 | tee -a "$res"
say '```'

# --- 6. STIX 2.1 ingest: ATT&CK and 1M generated indicators, beside Python's json.load
say ""
say '## STIX 2.1 ingest (`bench/stix.py`)'
say '```'
python3 bench/stix.py "$C5" "$OUT/stix" "${STIX_OBJECTS:-1000000}" | tee -a "$res"
say '```'

# --- 7. TAXII 2.1 reads: page time at 10k and 1M objects, a full paged read, nginx as the floor
say ""
say '## TAXII 2.1 reads (`bench/taxii.py`)'
say '```'
python3 bench/taxii.py "$C5" "$OUT/stix" | tee -a "$res"
say '```'

# --- 8. the web console with 1,100,000 indicators: server time per page, wrk beside nginx
say ""
RESULTS=$res DURATION=$DURATION bash bench/console.sh
# --- 9. the composite index: 200 x 100, 10,000 Monte Carlo runs, beside numpy
say ""
say '## Composite index (`bench/cindex.sh`)'
say '```'
C5="$C5" bash bench/cindex.sh | tee -a "$res"
say '```'
# --- 10. incident case pages: 100,000 cases, 1,000,000 timeline entries
say ""
say '## Incident case pages (`bench/cases.sh`)'
bash bench/cases.sh | tee -a "$res"
