#!/usr/bin/env bash
# case.sh — incident cases at size: 100,000 cases with 1,000,000 timeline
# entries (made with SQL in one go), then the filtered case list and a case
# view through the real server, each asked 50 times; prints the median and
# the worst of curl's total time on loopback (an upper bound of the server
# time).  Targets: both under 20 ms.
set -eu
cd "$(dirname "$0")/.."
C5=$PWD/build/c5hub
W=${WORK:-$(mktemp -d /tmp/c5case-bench.XXXXXX)}
DB=$W/cases.db
rm -f "$DB"*
$C5 --db "$DB" init --case-prefix CIRT >/dev/null
$C5 --db "$DB" org add "Bank A" --type private-sector --country ZZ >/dev/null
$C5 --db "$DB" org add "Telco B" --type private-sector --country ZZ >/dev/null
TOK=$($C5 --db "$DB" token create --role analyst 2>/dev/null)
BANK=$($C5 --db "$DB" token create --org "Bank A" --role contributor 2>/dev/null)
t0=$(date +%s.%N)
sqlite3 "$DB" <<'SQL'
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO cases(ref, title, classification, severity, tlp, reporter_org, team, status, source,
                  version, created, updated, acknowledged_at)
SELECT printf('CIRT-2026-%05d', i), 'case ' || i,
       CASE i % 4 WHEN 0 THEN 'fraud/phishing' WHEN 1 THEN 'malicious-code/c2-server'
                  WHEN 2 THEN 'availability/ddos' ELSE 'intrusions/system-compromise' END,
       CASE i % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'medium' ELSE 'low' END, 2,
       CASE i % 3 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 3 END, 'soc',
       CASE i % 5 WHEN 0 THEN 'closed' WHEN 1 THEN 'new' WHEN 2 THEN 'triage' WHEN 3 THEN 'containment' ELSE 'recovery' END,
       'api', 11, 1767225600 + i * 300, 1767225600 + i * 300 + 600, 1767225600 + i * 300 + 60
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
INSERT INTO case_entries(case_id, created, kind, visibility, author, author_org, text, version)
SELECT i / 10 + 1, 1767225600 + (i / 10) * 300 + (i % 10) * 30,
       CASE i % 10 WHEN 0 THEN 'open' WHEN 1 THEN 'report' ELSE 'comment' END,
       CASE WHEN i % 10 IN (1, 3) THEN 1 ELSE 0 END, 'token c5h_bench', 1,
       'timeline entry ' || i || ': ' || substr(hex(randomblob(60)), 1, 120), i % 10 + 1
FROM n;
INSERT INTO case_counters(year, n) VALUES(2026, 100000);
COMMIT;
SQL
t1=$(date +%s.%N)
echo "made 100,000 cases and 1,000,000 timeline entries in $(echo "$t1 - $t0" | bc) s"
$C5 --db "$DB" serve --http 127.0.0.1:0 >"$W/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 200); do
	PORT=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$W/serve.log")
	[ -n "$PORT" ] && break
	sleep 0.05
done
time_it() { # NAME TOKEN PATH
	local i
	for i in $(seq 1 50); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $2" "http://127.0.0.1:$PORT$3"
	done | sort -n | awk -v n="$1" '{v[NR] = $1 * 1000} END {printf "%-52s median %.2f ms, worst %.2f ms\n", n, v[int((NR + 1) / 2)], v[NR]}'
}
time_it "case list, open, fraud, high, 50 a page (hub)" "$TOK" "/api/v1/cases?open=1&classification=fraud&severity=high&limit=50"
time_it "case list, state triage, team soc, page 200 (hub)" "$TOK" "/api/v1/cases?status=triage&team=soc&limit=50&cursor=90000"
time_it "case list, title search matching nothing (q=zzz)" "$TOK" "/api/v1/cases?q=zzz&limit=50"
time_it "case list, title search matching 11 (q=case 1234)" "$TOK" "/api/v1/cases?q=case%201234&limit=50"
time_it "case list of one constituent (Bank A's own)" "$BANK" "/api/v1/cases?limit=50"
time_it "case view with its 10 entries (hub)" "$TOK" "/api/v1/cases/CIRT-2026-54321"
time_it "case view, the reporter's (Bank A)" "$BANK" "/api/v1/cases/CIRT-2026-54322"
