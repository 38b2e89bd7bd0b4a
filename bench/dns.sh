#!/usr/bin/env bash
# dns.sh — the DNS blocklist against rbldnsd: the same 1,000,000 IPv4 /32s
# (bench/gen.py), the same dnsperf load (200,000 queries, half listed, half
# not), alternating runs of LENGTH seconds (default 8), loopback only.
# Prints queries per second, lost queries, average latency and RSS of both;
# then latency at a fixed offered load (RATE q/s, default 40,000, which both
# sustain): average, 99th and 99.9th percentile from dnsperf -v's per-query
# times (dnsperf 2.10 prints no percentiles itself).
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
C5=$PWD/build/c5hub
LENGTH=${LENGTH:-8}
RATE=${RATE:-40000}
for t in rbldnsd dnsperf python3; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/deps.sh --bench"; exit 1; }
done
[ -f "$OUT/data/v4.txt" ] || python3 bench/gen.py "$OUT/data"
python3 - "$OUT" <<'PY'
import random, sys
out = sys.argv[1]
rnd = random.Random(5)
ips = [l.strip() for l in open(out + '/data/v4.txt')]
with open(out + '/queries-ip.txt', 'w') as f:
    for i in range(200000):
        a = ips[rnd.randrange(len(ips))] if i % 2 else '%d.%d.%d.%d' % tuple(rnd.randrange(256) for _ in range(4))
        f.write('.'.join(reversed(a.split('.'))) + '.bl.test A\n')
with open(out + '/rbl-ip4set.zone', 'w') as f:
    f.write(':127.0.0.2:Listed by rbldnsd: $\n')
    for a in ips:
        f.write(a + '\n')
PY
DB=$OUT/dns.db
rm -f "$DB" "$DB"-wal "$DB"-shm
$C5 --db "$DB" init >/dev/null
$C5 --db "$DB" ingest --tlp green --confidence 80 "$OUT/data/v4.txt" >/dev/null
$C5 --db "$DB" org list >/dev/null
rbldnsd -n -b 127.0.0.1/18953 -r "$PWD/$OUT" -w / bl.test:ip4set:rbl-ip4set.zone >"$OUT/rbldnsd.log" 2>&1 &
rpid=$!
# c5hub with one UDP thread (rbldnsd has one) and with one per core
$C5 --db "$DB" serve --http 127.0.0.1:0 --dns 127.0.0.1:18954 --ip-zone bl.test --dns-threads 1 >"$OUT/dns-serve.log" 2>&1 &
cpid=$!
$C5 --db "$DB" serve --http 127.0.0.1:0 --dns 127.0.0.1:18955 --ip-zone bl.test >"$OUT/dns-serve2.log" 2>&1 &
cpid2=$!
until dig +short +time=1 +tries=1 -p 18953 @127.0.0.1 2.0.0.127.bl.test >/dev/null 2>&1 &&
	dig +short +time=1 +tries=1 -p 18954 @127.0.0.1 2.0.0.127.bl.test | grep -q 127 &&
	dig +short +time=1 +tries=1 -p 18955 @127.0.0.1 2.0.0.127.bl.test | grep -q 127; do sleep 0.2; done
echo "| run | server | queries/s | lost | avg latency ms |"
echo "| --- | --- | --- | --- | --- |"
for i in 1 2 3; do
	for s in rbldnsd:18953 c5hub-1-thread:18954 c5hub-per-core:18955; do
		r=$(dnsperf -s 127.0.0.1 -p "${s#*:}" -d "$OUT/queries-ip.txt" -l "$LENGTH" -c 4 -Q 500000 -S 1 2>&1)
		qps=$(echo "$r" | awk '/Queries per second/ {printf "%d", $4}')
		lost=$(echo "$r" | awk '/Queries lost/ {print $3}')
		avg=$(echo "$r" | awk '/Average Latency/ {printf "%.3f", $4 * 1000}')
		echo "| $i | ${s%%:*} | $qps | $lost | $avg |"
	done
done
echo
echo "Latency at a fixed $RATE q/s (dnsperf -Q $RATE -v; per-query times):"
echo
echo "| run | server | answered | lost | avg ms | p50 ms | p99 ms | p99.9 ms |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for i in 1 2; do
	for s in rbldnsd:18953 c5hub-1-thread:18954; do
		dnsperf -s 127.0.0.1 -p "${s#*:}" -d "$OUT/queries-ip.txt" -l "$LENGTH" -c 4 -Q "$RATE" -v \
			>"$OUT/lat.txt" 2>&1
		lost=$(awk '/Queries lost/ {print $3}' "$OUT/lat.txt")
		awk '/^> / {print $NF}' "$OUT/lat.txt" | sort -n | awk -v run=$i -v srv="${s%%:*}" -v lost="$lost" '
			{ v[NR] = $1; sum += $1 }
			END { printf "| %s | %s | %d | %s | %.3f | %.3f | %.3f | %.3f |\n", run, srv, NR, lost,
			      sum / NR * 1000, v[int(NR * 0.5)] * 1000, v[int(NR * 0.99)] * 1000, v[int(NR * 0.999)] * 1000 }'
	done
done
echo
echo "RSS: rbldnsd $(($(ps -o rss= -p $rpid) / 1024)) MiB, c5hub $(($(ps -o rss= -p $cpid) / 1024)) MiB (1 thread), $(($(ps -o rss= -p $cpid2) / 1024)) MiB (per core) (whole processes)"
kill $rpid $cpid $cpid2
wait 2>/dev/null || true
