#!/usr/bin/env bash
# test_console_people.sh — the console's people page in a real browser
# (Chromium, Selenium, axe-core; see test_console.sh): an admin of Bank A
# adds, disables, enables, resets and re-roles Bank A's people and cannot
# see or touch Other C's; the hub's admins manage everyone; a reader has no
# such page; bad input and forged forms change nothing.  The checks are in
# tests/tools/console_people.py.
. "$(dirname "$0")/lib.sh"
plan 53

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Other C" --type civil-society --country GH >/dev/null
PW='a long enough passphrase 42'
for u in bea@bank.example:"Bank A":admin tom@bank.example:"Bank A":reader carl@other.example:"Other C":reader \
	hana@hub.example:hub:admin; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
uid() { sqlite3 "$C5HUB_DB" "SELECT id FROM users WHERE email = '$1'"; }

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"pw": a[1], "bea": "bea@bank.example", "tom": "tom@bank.example", "carl": "carl@other.example", "hana": "hana@hub.example", "bea_id": int(a[2]), "tom_id": int(a[3]), "carl_id": int(a[4])}))' \
	"$PW" "$(uid bea@bank.example)" "$(uid tom@bank.example)" "$(uid carl@other.example)")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_people.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
stop_server
audit=$("$C5" audit list)
has "the console's addition is in the audit log, by the admin" "$audit" "person bea@bank.example"
has "and the reset" "$audit" "people.reset"
check "the audit chain holds" "$C5" audit verify
eq "the CLI lists what the console did" "$("$C5" user list --org "Bank A" --json | python3 -c 'import json,sys; print(sorted((u["email"], u["role"], u["state"]) for u in json.load(sys.stdin)))')" \
	"[('bea@bank.example', 'admin', 'active'), ('nina@bank.example', 'analyst', 'active'), ('tom@bank.example', 'contributor', 'active')]"
