#!/usr/bin/env bash
# test_console_csaf.sh — the console's advisory editor (CSAF 2.0) in a real
# browser (Chromium, Selenium, axe-core; see test_console.sh): write with
# the form, preview, publish, the public page; a bad field refused and
# nothing stored; hostile text escaped; a member's refusal and view; CSRF.
# The checks are in tests/tools/console_csaf.py; the store is checked here.
. "$(dirname "$0")/lib.sh"
plan 33

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init >/dev/null
(cd "$WORK" && "$C5" pki init >/dev/null 2>&1)
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
PW='a long enough passphrase 42'
for u in tom@bank.example:"Bank A":reader ana@hub.example:hub:analyst; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
echo '{"id": "C5-2026-0102", "title": "Draft, unpublished", "category": "csaf_base", "tlp": "GREEN"}' >"$WORK/draft.json"
"$C5" advisory new "$WORK/draft.json" >/dev/null

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; print(json.dumps({"pw": sys.argv[1], "tom": "tom@bank.example", "ana": "ana@hub.example"}))' "$PW")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_csaf.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
stop_server

out=$("$C5" advisory show C5-2026-0100)
has "the store holds the published title, not the refused edit's" "$out" "title	Widget: remote code execution"
has "nor the forged one's" "$out" "revision 1"
eq "the member's POST stored nothing" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM advisories WHERE tracking_id = 'C5-2026-0999'")" 0
eq "two published, one draft" "$(sqlite3 "$C5HUB_DB" "SELECT group_concat(status, ',') FROM (SELECT status FROM advisories ORDER BY tracking_id)")" "final,final,draft"
