#!/usr/bin/env bash
# pg.sh — ingest and feed run of 1,000,000 IPv4 list lines (bench/gen.py's
# v4.txt) into PostgreSQL beside SQLite, in the same run, and PostgreSQL's own
# COPY of the same rows into a plain table (no index, no key) as the floor.  PostgreSQL is
# a throw-away one (scripts/pg.sh) with its default durability (fsync,
# synchronous_commit on).  Prints a Markdown table.
#   bash bench/pg.sh [BUILD-DIR] [WORK-DIR]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
C5=${1:-$ROOT/build}/c5hub
OUT=${2:-/tmp/c5bench-pg}
mkdir -p "$OUT"
[ -s "$OUT/data/v4.txt" ] || python3 "$ROOT/bench/gen.py" "$OUT/data"
PGDIR=$(mktemp -d /tmp/c5pgb.XXXXXX)
trap '"$ROOT/scripts/pg.sh" stop "$PGDIR" >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
PG=$("$ROOT/scripts/pg.sh" start "$PGDIR")
N=$(wc -l <"$OUT/data/v4.txt")

secs() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo "scale=3; ($t1 - $t0) / 1000000000" | bc; }
rate() { echo "$N / $1" | bc; }

rm -f "$OUT/hub.db"*
"$C5" --db "$OUT/hub.db" init >/dev/null
"$C5" --db "$PG" init >/dev/null
lite_new=$(secs "$C5" --db "$OUT/hub.db" ingest --tlp green --source v4 "$OUT/data/v4.txt")
pg_new=$(secs "$C5" --db "$PG" ingest --tlp green --source v4 "$OUT/data/v4.txt")
lite_upd=$(secs "$C5" --db "$OUT/hub.db" ingest --tlp green --source v4 "$OUT/data/v4.txt")
pg_upd=$(secs "$C5" --db "$PG" ingest --tlp green --source v4 "$OUT/data/v4.txt")
rows=$(psql "$PG" -Atc "SELECT count(*) FROM indicators")
# the feed run of the same lines (events, notices, indicators) into fresh stores
rm -f "$OUT/feed.db"*
"$C5" --db "$OUT/feed.db" init >/dev/null
psql "$PG" -qc "CREATE DATABASE c5feed"
PGF=${PG%/c5hub}/c5feed
"$C5" --db "$PGF" init >/dev/null
for db in "$OUT/feed.db" "$PGF"; do
	"$C5" --db "$db" feed add v4 --path "$OUT/data/v4.txt" --format list --tlp green >/dev/null
done
lite_feed=$(secs "$C5" --db "$OUT/feed.db" feed run v4)
pg_feed=$(secs "$C5" --db "$PGF" feed run v4)

# the floor: the same rows (as the store would write them) by COPY into a
# table without keys
psql "$PG" -Atc "COPY (SELECT vkey, value, type, source, org_id, tlp, confidence, classification,
	first_seen, last_seen, valid_until, created, updated FROM indicators) TO STDOUT" >"$OUT/rows.tsv"
psql "$PG" -qc "CREATE TABLE plain_rows (vkey BIGINT, value TEXT, type TEXT, source TEXT, org_id BIGINT,
	tlp INTEGER, confidence INTEGER, classification TEXT, first_seen BIGINT, last_seen BIGINT,
	valid_until BIGINT, created BIGINT, updated BIGINT)"
copy=$(secs psql "$PG" -qc "\\copy plain_rows FROM '$OUT/rows.tsv'")
rm -f "$OUT/rows.tsv"

echo "| what | seconds | indicators / s |"
echo "| --- | --- | --- |"
echo "| SQLite: \`c5hub ingest\`, $N new values | $lite_new | $(rate "$lite_new") |"
echo "| PostgreSQL: \`c5hub ingest\`, the same ($rows rows) | $pg_new | $(rate "$pg_new") |"
echo "| SQLite: the same file again (every line an update) | $lite_upd | $(rate "$lite_upd") |"
echo "| PostgreSQL: the same file again | $pg_upd | $(rate "$pg_upd") |"
echo "| SQLite: \`c5hub feed run\` of the same file (events, indicators) | $lite_feed | $(rate "$lite_feed") |"
echo "| PostgreSQL: the same feed run | $pg_feed | $(rate "$pg_feed") |"
echo "| floor: PostgreSQL's own COPY of the same rows into a plain table | $copy | $(rate "$copy") |"
