#!/usr/bin/env bash
# test_firsthour.sh — what a new operator does in the first hour, from a
# fresh database: the traps that used to fail silently (empty exports, typed
# names, notices that never leave, feeds read as nothing), forgiving input
# (byte-order marks, defanged values), help on every command.
. "$(dirname "$0")/lib.sh"
FEEDS=${TESTDATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/testdata}/feeds

"$C5" init >/dev/null

# ---- an export left empty by its TLP says why ----
printf '198.51.100.7\n198.51.100.8\n203.0.113.9\n' >"$WORK/a.txt"
"$C5" ingest --classification malicious-code/c2-server "$WORK/a.txt" >/dev/null
printf '192.0.2.44\n' >"$WORK/s.txt"
"$C5" ingest --tlp amber+strict "$WORK/s.txt" >/dev/null
for f in plain csv rbldnsd suricata-iprep zeek-intel rpz; do
	t=; [ $f = rbldnsd ] && t="--type ipv4-addr"
	"$C5" export --format $f $t >"$WORK/out" 2>"$WORK/err"; rc=$?
	eq "export $f (default green) exits 0" "$rc" 0
	has "export $f says how many AMBER values were left out" "$(cat "$WORK/err")" \
		"3 more at AMBER: add --tlp-max amber"
	has "export $f names amber+strict too" "$(cat "$WORK/err")" "1 more at AMBER+STRICT: add --tlp-max amber+strict"
done
eq "plain export is empty" "$(cat "$WORK/out" | grep -c 198.51 || true)" 0
"$C5" export --format plain --output "$WORK/x.txt" 2>"$WORK/err"
has "export --output says it too" "$(cat "$WORK/err")" "3 more at AMBER"
"$C5" export --format plain --tlp-max amber >"$WORK/out" 2>"$WORK/err"
eq "--tlp-max amber writes them" "$(wc -l <"$WORK/out")" 3
case "$(cat "$WORK/err")" in *"at AMBER:"*) fail "no AMBER hint at --tlp-max amber" ;; *) pass "no AMBER hint once asked for" ;; esac
has "still the AMBER+STRICT hint" "$(cat "$WORK/err")" "1 more at AMBER+STRICT"
"$C5" export --format plain --tlp-max amber+strict >/dev/null 2>"$WORK/err"
eq "nothing withheld: stderr is quiet" "$(cat "$WORK/err")" ""
