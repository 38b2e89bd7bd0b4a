#!/usr/bin/env bash
# cases.sh — the incident case pages at 100,000 cases with 1,000,000
# timeline entries (issue 18): the store made by `c5hub init`, the cases
# and entries inserted with SQL straight into it (10 organisations, every
# state, severity and a few classes; ten entries a case, one case with
# 2,000), then `c5hub serve` and a hub analyst signed in (a real sign-in,
# cookie jar).  Server time = curl's time to first byte on loopback, median
# of RUNS (default 21), for: the case list (first page), the list filtered
# by status and severity, by SLA breached (timers computed per row), a
# keyset page deep in the list, a case view (its timeline, links, timers)
# and the case with 2,000 entries.  Target: under 20 ms.
set -eu
cd "$(dirname "$0")/.."
OUT=bench/out
C5=$PWD/build/c5hub
RUNS=${RUNS:-21}
mkdir -p "$OUT"
DB=$OUT/cases.db
rm -f "$DB" "$DB"-wal "$DB"-shm
export C5HUB_DB=$DB
$C5 init --hub-name "National CIRT" >/dev/null
for i in $(seq 1 10); do $C5 org add "Org $i" --type private-sector --country GH >/dev/null; done
PW='a long enough passphrase 42'
$C5 user add hana@hub.example --org "National CIRT" --role analyst >/dev/null 2>&1
echo "$PW" | $C5 user password hana@hub.example >/dev/null
t0=$(date +%s.%N)
# 100,000 cases over the last 400 days, ten entries each (1,000,000), and
# case 100,000 with 2,000 more
sqlite3 "$DB" <<'SQL'
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO cases(id, ref, title, classification, severity, tlp, reporter_org, assignee, team, status,
                  source, version, created, updated, acknowledged_at, first_response_at, resolved_at)
SELECT i, printf('CIRT-2026-%05d', i), printf('Case %d: phishing wave against customers', i),
       CASE i % 4 WHEN 0 THEN 'fraud/phishing' WHEN 1 THEN 'intrusions/system-compromise'
                  WHEN 2 THEN 'malicious-code/c2-server' ELSE 'availability/ddos' END,
       CASE i % 4 WHEN 0 THEN 'low' WHEN 1 THEN 'medium' WHEN 2 THEN 'high' ELSE 'critical' END,
       2, 2 + i % 10, 0, 'soc',
       CASE i % 6 WHEN 0 THEN 'new' WHEN 1 THEN 'triage' WHEN 2 THEN 'containment'
                  WHEN 3 THEN 'eradication' WHEN 4 THEN 'recovery' ELSE 'closed' END,
       'api', 1, strftime('%s', 'now') - (100000 - i) * 345, strftime('%s', 'now') - (100000 - i) * 345,
       CASE WHEN i % 6 = 0 THEN 0 ELSE strftime('%s', 'now') - (100000 - i) * 345 + 600 END, 0,
       CASE WHEN i % 6 = 5 THEN strftime('%s', 'now') - (100000 - i) * 345 + 86400 ELSE 0 END
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999999)
INSERT INTO case_entries(case_id, created, kind, visibility, author, author_org, text)
SELECT 1 + i / 10, strftime('%s', 'now') - (100000 - i / 10) * 345 + (i % 10) * 60,
       CASE i % 10 WHEN 0 THEN 'created' WHEN 1 THEN 'report' ELSE 'comment' END, (i % 3 = 1),
       'person hana@hub.example', 1, printf('Entry %d of the case: what was seen and done next.', i % 10)
FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1999)
INSERT INTO case_entries(case_id, created, kind, visibility, author, author_org, text)
SELECT 100000, strftime('%s', 'now') - 3600 + i, 'comment', i % 2, 'person hana@hub.example', 1,
       printf('Long thread entry %d', i) FROM n;
INSERT OR REPLACE INTO case_counters(year, n) VALUES(2026, 100000);
COMMIT;
ANALYZE;
SQL
t1=$(date +%s.%N)
echo "generated: $(sqlite3 "$DB" 'SELECT count(*) FROM cases') cases, $(sqlite3 "$DB" 'SELECT count(*) FROM case_entries') entries in $(echo "$t1 - $t0" | bc) s"

$C5 serve --http 127.0.0.1:0 --no-feeds >"$OUT/cases-serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 200); do
	PORT=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/cases-serve.log")
	[ -n "$PORT" ] && break
	sleep 0.05
done
BASE=http://127.0.0.1:$PORT
JAR=$OUT/cases.jar
rm -f "$JAR"
csrf=$(curl -s -c "$JAR" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "email=hana@hub.example" \
	--data-urlencode "password=$PW" --data-urlencode "csrf=$csrf" "$BASE/signin"
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
measure() { # NAME PATH WANT
	local code
	code=$(curl -s -b "$JAR" -o "$OUT/cases-page.html" -w '%{http_code}' "$BASE$2")
	grep -q "$3" "$OUT/cases-page.html" || { echo "bench: $1: '$3' not on the page (HTTP $code)"; exit 1; }
	for _ in $(seq 1 "$RUNS"); do
		curl -s -b "$JAR" -o /dev/null -w '%{time_starttransfer}\n' "$BASE$2"
	done | median | awk -v n="$1" '{printf "| %s | %.2f |\n", n, $1 * 1000}'
}
echo "| page | server time (ms), median of $RUNS |"
echo "| --- | --- |"
measure "case list, first page (50 of 100,000, timers)" "/console/cases" "CIRT-2026-100000\|CIRT-2026-99999"
measure "case list, status triage and severity medium" "/console/cases?status=triage&severity=medium" "CIRT-2026-99997"
measure "case list, SLA breached only" "/console/cases?breached=1" "breached"
measure "case list, a keyset page deep in the list" "/console/cases?after=20000" "CIRT-2026-19999"
measure "case view (10 entries, timers)" "/console/cases/CIRT-2026-54321" "Entry 9 of the case"
measure "case view with 2,000 entries" "/console/cases/CIRT-2026-100000" "Long thread entry 1999"
