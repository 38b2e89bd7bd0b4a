#!/usr/bin/env bash
# test_console_cons.sh — the console's constituency page in a real browser
# (tests/tools/console_cons.py): organisations with their resources and
# abuse contacts and "who answers for this value" (analysts), importing a
# CSV file (the hub's administrators: all or nothing, the bad line named),
# refusals, CSRF, axe-core on every page.
. "$(dirname "$0")/lib.sh"
plan 41

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "every message of the console is in French" python3 tests/tools/po_check.py

"$C5" init --country GH >/dev/null
cat >"$WORK/c.csv" <<'CSV'
organisation,resource,abuse_contact,type,country
Telco,198.51.100.0/22,abuse@telco.example,,
Telco,AS64500,abuse@telco.example,,
Bank One,198.51.100.128/25,soc@bank-one.example,private-sector,GH
Bank One,bank-one.example,soc@bank-one.example,,
CSV
check "the constituency is imported from the command line" "$C5" constituency import --create-orgs "$WORK/c.csv"
PW='a long enough passphrase 42'
for u in adam@hub.example:hub:admin ana@bank.example:"Bank One":analyst bert@bank.example:"Bank One":admin \
	tom@bank.example:"Bank One":reader; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; print(json.dumps({"pw": sys.argv[1]}))' "$PW")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_cons.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
log=$("$C5" audit list)
has "the console's import is in the audit log" "$log" "constituency.import"
has "and the organisation it made" "$log" "Ministry"
check "the audit chain holds" "$C5" audit verify
stop_server
