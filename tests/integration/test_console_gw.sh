#!/usr/bin/env bash
# test_console_gw.sh — the Cybersecurity Gateway's public pages and the
# members' console page in a real browser (tests/tools/console_gw.py):
# TLP:CLEAR only for nobody signed in, hostile stored text and queries
# inert, a member's own entry and resource, refusals, the approval queue,
# CSRF, French, axe-core on every page.
. "$(dirname "$0")/lib.sh"
plan 56

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "every message of the console is in French" python3 tests/tools/po_check.py

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country SN >/dev/null
"$C5" org add "Other C" --type civil-society --country SN >/dev/null
PW='a long enough passphrase 42'
for u in hal@hub.example:hub:analyst bert@bank.example:"Bank A":contributor tom@bank.example:"Bank A":reader; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
SCRIPT='<script>window.__xss=1</script>'
ATTR='"><img src=x onerror="window.__xss=2">'
OTHER=$("$C5" gw entry add --org "Other C" --kind organisation --name "Other C" --stakeholder civil-society \
	--country SN --areas cooperation --description "$SCRIPT")
"$C5" gw entry approve "$OTHER"
# a web site no check would accept, written behind the checks' back
sqlite3 "$C5HUB_DB" "UPDATE gw_entries SET website = 'javascript:window.__xss=3' WHERE id = $OTHER"
printf '<html><body onload="alert(1)">x</body></html>' >"$WORK/guide.html"
EVIL=$("$C5" gw resource add --type document --title "Rapport $ATTR" --summary "$SCRIPT" --areas legal \
	--tlp clear --file "$WORK/guide.html")
"$C5" gw resource approve "$EVIL"
"$C5" gw resource add --type strategy --title "Members only strategy" --areas technical --tlp green >/dev/null
"$C5" gw resource approve "$(sqlite3 "$C5HUB_DB" "SELECT id FROM gw_resources WHERE tlp = 1")"
NEWS=$("$C5" gw news add --title "Exercice national" --body "Inscriptions ouvertes" --tlp clear)
GNEWS=$("$C5" gw news add --title "GREEN news for members" --body "members" --tlp green)

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys,os; a=sys.argv; print(json.dumps({"pw": a[1], "hostile": {"script": a[2], "attr": a[3]}, "evil_entry": int(a[4]), "other_entry": int(a[4]), "evil_res": int(a[5]), "news": int(a[6]), "green_news": int(a[7]), "file": a[8], "file_size": os.path.getsize(a[8])}))' \
	"$PW" "$SCRIPT" "$ATTR" "$OTHER" "$EVIL" "$NEWS" "$GNEWS" "$WORK/guide.html")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_gw.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
log=$("$C5" audit list)
has "the console's additions are in the audit log" "$log" "gw.add"
has "and the approval" "$log" "gw.approve"
check "the audit chain holds" "$C5" audit verify
stop_server
