#!/usr/bin/env bash
# test_audit.sh — the tamper-evident audit log: CLI and API changes are
# recorded with who, from where and with which credential, in the same
# transaction as the change; `c5hub audit verify` finds an altered, a
# removed, a reordered and a truncated entry, and says which.
. "$(dirname "$0")/lib.sh"
plan 22

"$C5" init --hub-name "GH CIRT" >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
ADMIN=$("$C5" token create --role admin 2>/dev/null)
printf '198.51.100.1\n' >"$WORK/a.txt"
"$C5" ingest --source feedA --tlp green "$WORK/a.txt" >/dev/null
"$C5" trust set source feedA 70 >/dev/null
start_server
r=$(api "$ADMIN" POST /api/v1/indicators '[{"value":"203.0.113.9","tlp":"green"}]'); id=$(echo "${r#* }" | json 'd["ids"][0]')
api "$ADMIN" PATCH "/api/v1/indicators/$id" '{"confidence":90}' >/dev/null
api "$ADMIN" DELETE "/api/v1/indicators/$id" >/dev/null
n0=$(sqlite3 "$C5HUB_DB" 'select count(*) from audit')
r=$(api "$ADMIN" POST /api/v1/indicators '[{"value":"203.0.113.10"},{"value":"nonsense value"}]')
eq "a refused batch writes no audit entry" "$(sqlite3 "$C5HUB_DB" 'select count(*) from audit')" "$n0"
stop_server

log=$("$C5" audit list)
has "org add recorded, by the local operator" "$log" "cli $(id -un)"
has "ingest recorded with its file" "$log" "indicators.ingest"
has "trust change recorded" "$log" "trust.set"
has "API add recorded with the token's prefix, never the token" "$log" "token ${ADMIN:0:12}"
case "$log" in *"$ADMIN"*) fail "the audit log holds a secret" ;; *) pass "no token in the log" ;; esac
has "and the client address" "$log" "127.0.0.1"
has "edit and delete recorded" "$(echo "$log" | grep -c 'indicators.edit\|indicators.delete')" 2
out=$("$C5" audit verify); rc=$?
eq "an untouched log verifies" "$rc" 0
has "counting every entry" "$out" "$n0 entries verified"

tamper() { # DESC SQL WANT
	cp "$C5HUB_DB" "$WORK/t.db"
	sqlite3 "$WORK/t.db" "$2"
	out=$(C5HUB_DB=$WORK/t.db "$C5" audit verify); rc=$?
	eq "$1: verify fails" "$rc" 1
	has "$1: and says where" "$out" "$3"
}
tamper "altered" "update audit set detail = 'nothing' where seq = 3" "entry 3 was altered"
tamper "actor changed" "update audit set actor = 'cli someone-else' where seq = 2" "entry 2 was altered"
tamper "removed" "delete from audit where seq = 3" "entry 3 is missing"
tamper "reordered" "update audit set seq = -1 where seq = 2; update audit set seq = 2 where seq = 3; update audit set seq = 3 where seq = -1" "entry 2 does not follow entry 1"
tamper "newest removed" "delete from audit where seq = (select max(seq) from audit)" "newest entries removed"
tamper "rehashed by someone without the chain" "update audit set hash = zeroblob(32) where seq = 4" "entry 4 was altered"
