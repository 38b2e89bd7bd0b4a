#!/usr/bin/env bash
# memory.sh — the memory a request may take (issue 14, item 11): N
# concurrent POST /api/v1/indicators of 100,000 items each (N=2, then 4),
# each from its own loopback address, against a fresh hub; prints the server's RSS before,
# its peak (VmHWM) and after, and the answers' status codes.
# usage: bench/memory.sh [BINARY]   (default build/c5hub)
set -eu
cd "$(dirname "$0")/.."
C5=${1:-$PWD/build/c5hub}
OUT=bench/out/memory
mkdir -p "$OUT"
python3 - "$OUT" <<'PY'
import json, sys
for k in range(4):
    items = [{"type": "ipv4-addr", "value": "10.%d.%d.%d" % (k, i >> 8 & 255, i & 255), "tlp": "green"}
             for i in range(100000)]
    items = [dict(x, value="%d.%d.%d.%d" % (10 + k, i >> 16 & 255, i >> 8 & 255, i & 255)) for i, x in enumerate(items)]
    open("%s/items%d.json" % (sys.argv[1], k), "w").write(json.dumps(items, separators=(",", ":")))
PY
rss() { awk -v k="$2" '$1 == k":" {printf "%.0f", $2 / 1024}' /proc/"$1"/status; }
for n in 2 4; do
	DB=$OUT/hub.db
	rm -f "$DB" "$DB"-wal "$DB"-shm
	"$C5" --db "$DB" init >/dev/null
	TOKEN=$("$C5" --db "$DB" token create --role admin 2>/dev/null)
	port=18593
	"$C5" --db "$DB" serve --http 127.0.0.1:$port >"$OUT/serve.log" 2>&1 &
	pid=$!
	until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.05; done
	before=$(rss $pid VmRSS)
	codes=()
	for k in $(seq 0 $((n - 1))); do
		curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.$((10 + k)) -H "Authorization: Bearer $TOKEN" \
			-H 'Content-Type: application/json' --data-binary @"$OUT/items$k.json" \
			"http://127.0.0.1:$port/api/v1/indicators" >"$OUT/code$k" &
		codes+=($!)
	done
	wait "${codes[@]}"
	sleep 1
	echo "$n concurrent POSTs of 100,000 items ($(stat -c %s "$OUT/items0.json") bytes each): RSS before ${before} MB, peak $(rss $pid VmHWM) MB, after $(rss $pid VmRSS) MB; answers: $(cat "$OUT"/code* | sort | uniq -c | xargs)"
	rm -f "$OUT"/code*
	kill $pid
	wait $pid 2>/dev/null || true
done
