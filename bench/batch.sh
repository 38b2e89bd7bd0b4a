#!/usr/bin/env bash
# batch.sh — the HTTP reputation batch: POST /api/v1/reputation with 10,000
# values (half listed among 1,000,000 IPv4 /32s, half not), driven by wrk
# with 1 and 4 connections for LENGTH seconds (default 8), loopback only.
# Peer: nginx sending a static file as large as our answer (the cost of
# moving the bytes alone).  Prints requests/s and values/s.
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
C5=$PWD/build/c5hub
LENGTH=${LENGTH:-8}
for t in wrk nginx python3; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/deps.sh --bench"; exit 1; }
done
[ -f "$OUT/data/v4.txt" ] || python3 bench/gen.py "$OUT/data"
DB=$OUT/batch.db
rm -f "$DB" "$DB"-wal "$DB"-shm
$C5 --db "$DB" init >/dev/null
$C5 --db "$DB" ingest --tlp green --confidence 80 "$OUT/data/v4.txt" >/dev/null
TOKEN=$($C5 --db "$DB" token create --role reader 2>/dev/null)
python3 - "$OUT" <<'PY'
import json, random, sys
out = sys.argv[1]
rnd = random.Random(7)
ips = [l.strip() for l in open(out + '/data/v4.txt')]
vals = [ips[rnd.randrange(len(ips))] if i % 2 else '10.%d.%d.%d' % tuple(rnd.randrange(256) for _ in range(3))
        for i in range(10000)]
open(out + '/batch.json', 'w').write(json.dumps({"values": vals}))
PY
cat >"$OUT/post.lua" <<LUA
local f = io.open("$PWD/$OUT/batch.json", "r")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA
port=18591
$C5 --db "$DB" serve --http 127.0.0.1:$port >"$OUT/batch-serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
NG=$OUT/nginx
mkdir -p "$NG/html"
curl -s -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" --data-binary @"$OUT/batch.json" \
	"http://127.0.0.1:$port/api/v1/reputation" -o "$NG/html/batch.json"
listed=$(python3 -c "import json; d=json.load(open('$NG/html/batch.json')); print(sum(x['listed'] for x in d['results']), len(d['results']))")
cat >"$NG/nginx.conf" <<NGX
worker_processes 2;
pid $PWD/$NG/nginx.pid;
error_log $PWD/$NG/error.log;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:18592; root $PWD/$NG/html; } }
NGX
nginx -c "$PWD/$NG/nginx.conf" -p "$PWD/$NG"
echo "answer: $(stat -c %s "$NG/html/batch.json") bytes, listed/values: $listed"
echo
echo "| run | connections | nginx same-size file req/s | c5hub batch req/s | c5hub values/s |"
echo "| --- | --- | --- | --- | --- |"
for i in 1 2; do
	for c in 1 4; do
		n=$(wrk -t1 -c$c -d${LENGTH}s "http://127.0.0.1:18592/batch.json" | awk '/Requests\/sec/ {printf "%d", $2}')
		r=$(wrk -t1 -c$c -d${LENGTH}s -s "$OUT/post.lua" -H "Authorization: Bearer $TOKEN" \
			"http://127.0.0.1:$port/api/v1/reputation" | awk '/Requests\/sec/ {printf "%.1f", $2}')
		echo "| $i | $c | $n | $r | $(echo "$r * 10000 / 1" | bc) |"
	done
done
echo
echo "target: >= 1,000,000 values/s for a batch of 10,000"
kill $pid
kill "$(cat "$NG/nginx.pid")"
wait 2>/dev/null || true
