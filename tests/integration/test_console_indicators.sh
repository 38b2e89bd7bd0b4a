#!/usr/bin/env bash
# test_console_indicators.sh — the console's indicator pages that change
# things, in a real browser (tests/tools/console_indicators.py): editing one
# indicator (analysts, the API's rule: nobody lowers a TLP they did not
# set), adding one (contributors), loading a pasted list or CSV file (all or
# nothing, the bad line named), refusals, CSRF, axe-core on every page.
. "$(dirname "$0")/lib.sh"
plan 54

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "every message of the console is in French" python3 tests/tools/po_check.py

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Other C" --type civil-society --country GH >/dev/null
echo 198.51.100.31 | "$C5" ingest --org "Bank A" --source bank-a-feed --tlp amber \
	--classification malicious-code/c2-server - >/dev/null
echo 198.51.100.32 | "$C5" ingest --org "Other C" --source other-feed --tlp green - >/dev/null
echo 198.51.100.33 | "$C5" ingest --org "Other C" --source other-feed --tlp amber - >/dev/null
id_of() { sqlite3 "$C5HUB_DB" "SELECT id FROM indicators WHERE value = '$1'"; }
PW='a long enough passphrase 42'
for u in ana@bank.example:"Bank A":analyst cody@bank.example:"Bank A":contributor \
	tom@bank.example:"Bank A":reader hal@hub.example:hub:analyst; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"pw": a[1], "own_id": int(a[2]), "green_id": int(a[3]), "hidden_id": int(a[4])}))' \
	"$PW" "$(id_of 198.51.100.31)" "$(id_of 198.51.100.32)" "$(id_of 198.51.100.33)")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_indicators.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
log=$("$C5" audit list)
has "the console's edit is in the audit log" "$log" "indicators.edit"
has "and the file it loaded" "$log" "indicators.ingest"
check "the audit chain holds" "$C5" audit verify
stop_server
