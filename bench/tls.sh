#!/usr/bin/env bash
# tls.sh — TLS handshakes per second: `openssl s_time` (new sessions, then
# resumed ones) against `c5hub serve --tls` and nginx serving HTTPS with the
# same certificate and key, LENGTH seconds each (default 5), loopback only.
set -eu
cd "$(dirname "$0")/.."
OUT=$PWD/bench/out/tls
C5=$PWD/build/c5hub
LENGTH=${LENGTH:-5}
for t in nginx openssl; do
	command -v $t >/dev/null || { echo "bench: $t missing; run scripts/deps.sh --bench"; exit 1; }
done
rm -rf "$OUT" && mkdir -p "$OUT/html"
export C5HUB_DB=$OUT/tls.db
$C5 init >/dev/null
$C5 pki init --dir "$OUT/pki" >/dev/null
echo '{"status":"ok"}' >"$OUT/html/healthz"
cat >"$OUT/nginx.conf" <<NGX
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/error.log;
events { worker_connections 1024; }
http { access_log off;
  server { listen 127.0.0.1:18443 ssl; root $OUT/html;
    ssl_certificate $OUT/pki/server.pem; ssl_certificate_key $OUT/pki/server.key;
    ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache shared:S:1m; } }
NGX
nginx -c "$OUT/nginx.conf" -p "$OUT"
$C5 serve --tls --http 127.0.0.1:18444 >"$OUT/serve.log" 2>&1 &
pid=$!
until curl -sf --cacert "$OUT/pki/ca.pem" https://127.0.0.1:18444/healthz >/dev/null; do sleep 0.05; done
rate() { # PORT -new|-reuse
	openssl s_time -connect 127.0.0.1:$1 -www /healthz -time "$LENGTH" $2 -CAfile "$OUT/pki/ca.pem" 2>/dev/null |
		awk '/connections in [0-9.]+s;/ {for (i = 1; i <= NF; i++) if ($i ~ /connections\/user/) print $(i-1)}' | tail -1
}
echo "| run | server | new handshakes/s | resumed/s |"
echo "| --- | --- | --- | --- |"
for i in 1 2; do
	echo "| $i | nginx | $(rate 18443 -new) | $(rate 18443 -reuse) |"
	echo "| $i | c5hub | $(rate 18444 -new) | $(rate 18444 -reuse) |"
done
kill $pid
kill "$(cat "$OUT/nginx.pid")"
wait 2>/dev/null || true
