#!/usr/bin/env bash
# test_cli.sh — the command line end to end on a real database file: init and
# migration, ingest errors and atomicity, look-up output and exit codes, and
# durability of acknowledged writes across kill -9.
. "$(dirname "$0")/lib.sh"
plan 52
# the schema version the build migrates to (store.h; the lead renumbers migrations when merging)
SV=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$(dirname "$0")/../../src/store/store.h")

out=$("$C5" lookup 192.0.2.1 2>&1); eq "commands need an initialised database" "$?" 2
has "and say how to make one" "$out" "c5hub init"
check "init creates the database" "$C5" init
out=$("$C5" init); has "init again is a no-op migration" "$out" "schema version $SV"
eq "schema version recorded" "$(sqlite3 "$C5HUB_DB" 'PRAGMA user_version')" "$SV"
eq "WAL mode" "$(sqlite3 "$C5HUB_DB" 'PRAGMA journal_mode')" wal

printf '192.0.2.1\n192.0.2.2\n# comment\n999.1.1.1\n192.0.2.3\n' >"$WORK/bad.txt"
out=$(cd "$WORK" && "$C5" ingest bad.txt 2>&1); rc=$?
eq "a bad file fails" "$rc" 1
has "the error names file, line and reason" "$out" "bad.txt:4: invalid IPv4 address '999.1.1.1'"
eq "and nothing was written" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM indicators')" 0

printf '192.0.2.1\n10.0.0.0/8\nwww.Example.COM\nhttp://EVIL.example:80\n2001:DB8::/32\n' >"$WORK/good.txt"
out=$("$C5" ingest --tlp green --source feedA --classification malicious-code/c2-server "$WORK/good.txt" "$WORK/bad.txt" 2>&1); rc=$?
eq "one good and one bad file: status 1" "$rc" 1
has "the good file was loaded" "$out" "good.txt: 5 indicators"
eq "only the good file's rows exist" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM indicators')" 5
eq "values stored canonical" "$(sqlite3 "$C5HUB_DB" "SELECT value FROM indicators WHERE type='url'")" "http://evil.example/"
eq "default TLP is AMBER" "$("$C5" ingest - <<<'203.0.113.77' >/dev/null; sqlite3 "$C5HUB_DB" "SELECT tlp FROM indicators WHERE value='203.0.113.77'")" 2
out=$("$C5" ingest --tlp purple "$WORK/good.txt" 2>&1); eq "bad --tlp is an error" "$?" 2
out=$("$C5" ingest --org Nobody "$WORK/good.txt" 2>&1); eq "unknown --org is an error" "$?" 2

out=$("$C5" lookup 192.0.2.1); rc=$?
eq "lookup of a listed value exits 0" "$rc" 0
out=$("$C5" lookup 10.9.8.7); rc=$?
has "covering prefix shown" "$out" "prefix  10.0.0.0/8"
has "a private address is on a warning list" "$out" "on the warning list 'private'"
eq "so it is not listed: exit 1" "$rc" 1
out=$("$C5" lookup a.www.example.com); has "parent domain shown" "$out" "parent  www.example.com"
out=$("$C5" lookup 2001:db8:0:0::5); has "IPv6 covered by its prefix" "$out" "prefix  2001:db8::/32"
"$C5" lookup 8.8.8.8 >/dev/null; eq "no match exits 1" "$?" 1
"$C5" lookup 'not a value' >/dev/null 2>&1; eq "bad value exits 2" "$?" 2
j=$("$C5" lookup --json 192.0.2.1)
eq "json lookup" "$(echo "$j" | json 'd[0]["reports"][0]["match"], d[0]["reports"][0]["source"], d[0]["reports"][0]["classification"]')" "exact feedA malicious-code/c2-server"

"$C5" org add "Telco" --type private-sector --country KE >/dev/null
out=$("$C5" org add "telco" --type private-sector --country KE 2>&1); eq "duplicate org refused" "$?" 2
out=$("$C5" org add "X" --type alien --country KE 2>&1); has "bad org type explained" "$out" "--type must be"
has "org list" "$("$C5" org list)" "Telco"
tok=$("$C5" token create --org Telco --role reader 2>/dev/null)
has "token list shows the prefix only" "$("$C5" token list)" "${tok:0:12}"
case "$("$C5" token list)" in *"$tok"*) fail "token list leaks the token" ;; *) pass "token list does not show the token" ;; esac
check "revoke by prefix" "$C5" token revoke "${tok:0:12}"
out=$("$C5" token revoke "${tok:0:12}" 2>&1); eq "revoking twice fails" "$?" 2

# --- an acknowledged write survives kill -9
ADMIN=$("$C5" token create --role admin 2>/dev/null)
start_server
r=$(api "$ADMIN" POST /api/v1/indicators '[{"value":"198.51.100.200","tlp":"green"}]')
eq "write acknowledged" "${r%% *}" 201
stop_server -9
"$C5" lookup 198.51.100.200 >/dev/null; eq "after kill -9 the CLI finds it" "$?" 0
start_server
r=$(api "$ADMIN" GET "/api/v1/lookup?value=198.51.100.200")
eq "after kill -9 the restarted server finds it" "$(echo "${r#* }" | json 'd["listed"]')" "True"
stop_server

# --- an ingest killed mid-way leaves nothing half-done
seq 0 599999 | awk '{printf "10.%d.%d.%d\n", int($1/65536)%256, int($1/256)%256, $1%256}' >"$WORK/big.txt"
before=$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM indicators')
"$C5" ingest --source big "$WORK/big.txt" >/dev/null 2>&1 &
pid=$!
sleep 0.4
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
after=$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM indicators')
case "$after" in "$before" | $((before + 600000))) pass "ingest killed mid-way: all or nothing ($after rows)" ;; *) fail "ingest killed mid-way left $after rows (before: $before)" ;; esac
check "database intact after kill -9" bash -c "[ \"\$(sqlite3 '$C5HUB_DB' 'PRAGMA integrity_check')\" = ok ]"

# what migration 14 added, taken out again to make older files by hand
UNDO14="ALTER TABLE events DROP COLUMN confidence; ALTER TABLE events DROP COLUMN last_seen;
ALTER TABLE events DROP COLUMN valid_until; DROP TABLE feed_runs;
CREATE INDEX events_feed_observed ON events(feed_id, observed);"
# (and migration 14 -> 15, people, undone first: older files are made from fresh ones)
# (the incident cases' tables, the newest, undone before anything older)
# (and the mail gateway's, which refer to cases, before them)
UNDO_CASES="DROP TABLE mail_seen; DROP TABLE mail_threads; DROP TABLE case_waits; DROP TABLE case_affected; DROP TABLE case_links;
DROP TABLE case_tasks; DROP TABLE case_entries; DROP TABLE case_counters; DROP TABLE cases;"
UNDO15="$UNDO_CASES DROP TABLE login_failures; DROP TABLE sessions; DROP TABLE enrol_links; DROP TABLE users;
ALTER TABLE orgs DROP COLUMN totp_policy;"
UNDO14="$UNDO15 $UNDO14"

# migration 9 -> 10 (indicators keyed by a hash of the value): a schema-9
# file, made by hand from a fresh one, keeps its rows, ids and id high-water
# mark, and (value, type, source, org) stays unique
OLD=$WORK/old.db
C5HUB_DB=$OLD "$C5" init >/dev/null
printf '198.51.100.1\n198.51.100.2\n198.51.100.3\n' | C5HUB_DB=$OLD "$C5" ingest --source mig - >/dev/null
sqlite3 "$OLD" "DELETE FROM indicators WHERE value = '198.51.100.3';
CREATE TABLE v9 (id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, value TEXT NOT NULL,
 source TEXT NOT NULL, org_id INTEGER NOT NULL REFERENCES orgs(id), tlp INTEGER NOT NULL,
 confidence INTEGER NOT NULL, classification TEXT NOT NULL, first_seen INTEGER NOT NULL,
 last_seen INTEGER NOT NULL, valid_until INTEGER, created INTEGER NOT NULL, updated INTEGER NOT NULL,
 UNIQUE(value, type, source, org_id));
INSERT INTO v9 SELECT id, type, value, source, org_id, tlp, confidence, classification, first_seen,
 last_seen, valid_until, created, updated FROM indicators;
DROP TABLE indicators; ALTER TABLE v9 RENAME TO indicators;
UPDATE sqlite_sequence SET seq = 3 WHERE name = 'indicators';
DROP TABLE stix_made; DROP TABLE stix_recipients; DROP TABLE stix_objects;
DROP TABLE taxii_collections; DROP TABLE taxii_access; DROP TABLE taxii_members; DROP TABLE taxii_status;
DROP TABLE taxii_peers; DROP TABLE evidence; DROP TABLE custody; DROP TABLE stix_permits;
DELETE FROM meta WHERE key = 'share_version'; $UNDO14 PRAGMA user_version = 9;"
out=$(C5HUB_DB=$OLD "$C5" init 2>&1); has "a schema-9 file migrates" "$out" "schema version $SV"
eq "migrated rows keep their ids" "$(sqlite3 "$OLD" "SELECT group_concat(id || '=' || value, ' ') FROM indicators ORDER BY id")" \
	"1=198.51.100.1 2=198.51.100.2"
eq "every migrated row has its key" "$(sqlite3 "$OLD" "SELECT count(*) FROM indicators WHERE vkey = 0")" 0
printf '198.51.100.2\n198.51.100.9\n' | C5HUB_DB=$OLD "$C5" ingest --source mig - >/dev/null
eq "an existing value is updated, a new one takes a never-used id" \
	"$(sqlite3 "$OLD" "SELECT group_concat(id || '=' || value, ' ') FROM indicators ORDER BY id")" \
	"1=198.51.100.1 2=198.51.100.2 4=198.51.100.9"
out=$(C5HUB_DB=$OLD "$C5" lookup 198.51.100.2); has "a migrated value is found" "$out" "source=mig"
printf '198.51.100.2\n' | C5HUB_DB=$OLD "$C5" ingest --source other - >/dev/null
eq "another source is another indicator" "$(sqlite3 "$OLD" "SELECT count(*) FROM indicators WHERE value = '198.51.100.2'")" 2

# migration 11 -> 12 (a peer's TLS files; evidence and custody): a schema-11
# file, made by hand from a fresh one, keeps its TAXII peer
OLD11=$WORK/old11.db
C5HUB_DB=$OLD11 "$C5" init >/dev/null
C5HUB_DB=$OLD11 "$C5" org add "Hub X" --type international --country ZZ >/dev/null
C5HUB_DB=$OLD11 "$C5" taxii peer add hub-x --url http://127.0.0.1:9/taxii2/api1/ --collection c1 --org "Hub X" >/dev/null
sqlite3 "$OLD11" "ALTER TABLE taxii_peers DROP COLUMN cacert; ALTER TABLE taxii_peers DROP COLUMN cert;
ALTER TABLE taxii_peers DROP COLUMN key; DROP TABLE evidence; DROP TABLE custody; DROP TABLE stix_permits;
DROP INDEX stix_made_rid; DROP TRIGGER stix_shared; DROP TRIGGER stix_made_shared;
DELETE FROM meta WHERE key = 'share_version'; $UNDO14 PRAGMA user_version = 11;"
out=$(C5HUB_DB=$OLD11 "$C5" init 2>&1); has "a schema-11 file migrates" "$out" "schema version $SV"
eq "its peer is kept, with no TLS files yet" "$(sqlite3 "$OLD11" "SELECT name || '|' || cacert || '|' || key FROM taxii_peers")" "hub-x||"
has "and listed" "$(C5HUB_DB=$OLD11 "$C5" taxii peer list)" "hub-x"

# migration 13 -> 14 (feed runs; events keep their whole report; indicators
# give up AUTOINCREMENT): a schema-13 file keeps its feed's de-duplication,
# and a deleted indicator's id is still never used again
OLD13=$WORK/old13.db
printf '192.0.2.10\n192.0.2.11\n192.0.2.12\n' > "$WORK/l13.txt"
C5HUB_DB=$OLD13 "$C5" init >/dev/null
C5HUB_DB=$OLD13 "$C5" feed add l13 --path "$WORK/l13.txt" --format list >/dev/null
C5HUB_DB=$OLD13 "$C5" feed run l13 >/dev/null
top=$(sqlite3 "$OLD13" "SELECT max(id) FROM indicators")
sqlite3 "$OLD13" "DELETE FROM indicators WHERE id = $top; $UNDO14 PRAGMA user_version = 13;"
out=$(C5HUB_DB=$OLD13 "$C5" init 2>&1); has "a schema-13 file migrates" "$out" "schema version $SV"
eq "its feed run is recorded with its events" "$(sqlite3 "$OLD13" "SELECT count(*) || ':' || (last_event - first_event + 1) || ':' || pending FROM feed_runs")" "1:3:0"
has "the feed's events are still remembered" "$(C5HUB_DB=$OLD13 "$C5" feed run l13)" "0 events, 3 duplicates"
printf '192.0.2.99\n' | C5HUB_DB=$OLD13 "$C5" ingest --source mig - >/dev/null
eq "a new indicator takes an id never used" "$(sqlite3 "$OLD13" "SELECT id FROM indicators WHERE value = '192.0.2.99'")" "$((top + 1))"

# migration 14 -> 15 (people): a schema-14 file keeps its organisations,
# whose second factor is optional until set
OLD14=$WORK/old14.db
C5HUB_DB=$OLD14 "$C5" init >/dev/null
C5HUB_DB=$OLD14 "$C5" org add "Org 14" --type academia --country ZZ >/dev/null
sqlite3 "$OLD14" "$UNDO15 PRAGMA user_version = 14;"
out=$(C5HUB_DB=$OLD14 "$C5" init 2>&1); has "a schema-14 file migrates" "$out" "schema version $SV"
eq "its organisations' second factor is optional" "$(sqlite3 "$OLD14" "SELECT name || '|' || totp_policy FROM orgs WHERE name = 'Org 14'")" "Org 14|optional"
