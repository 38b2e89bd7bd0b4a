#!/usr/bin/env bash
# test_console_feeds.sh — the console's feeds page in a real browser
# (tests/tools/console_feeds.py): the list with each feed's state
# (analysts), "run now" and adding a URL feed (the hub's administrators),
# refusals, a bad feed named and not stored, CSRF, axe-core on every page.
. "$(dirname "$0")/lib.sh"
plan 33

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "every message of the console is in French" python3 tests/tools/po_check.py

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
echo 198.51.100.70 >"$WORK/local.txt"
"$C5" feed add local-list --path "$WORK/local.txt" --format list --every 1d --classification malicious-code/c2-server >/dev/null
check "the local feed runs once from the command line" "$C5" feed run local-list
echo 198.51.100.71 >>"$WORK/local.txt"
PW='a long enough passphrase 42'
for u in adam@hub.example:hub:admin hal@hub.example:hub:analyst ana@bank.example:"Bank A":analyst \
	bert@bank.example:"Bank A":admin tom@bank.example:"Bank A":reader; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; print(json.dumps({"pw": sys.argv[1]}))' "$PW")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_feeds.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
log=$("$C5" audit list)
has "the run asked from the console is in the audit log" "$log" "feed.run"
has "and the feed added" "$log" "feed.add"
check "the audit chain holds" "$C5" audit verify
stop_server
