#!/usr/bin/env bash
# test_console_notify.sh — the console's notices and deliveries page in a
# real browser (Chromium, Selenium, axe-core; see test_console.sh): a
# constituent sees what went to its own organisation, the hub's team every
# delivery, the same rows as GET /api/v1/deliveries; filters, pages of 100,
# bad input refused.  The checks are in tests/tools/console_notify.py.
. "$(dirname "$0")/lib.sh"
plan 21

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Other C" --type civil-society --country GH >/dev/null
"$C5" notify set "Bank A" --contact-247 soc@bank.example >/dev/null
"$C5" notify set "Other C" --contact-247 soc@other.example >/dev/null
PW='a long enough passphrase 42'
for u in tom@bank.example:"Bank A":reader hana@hub.example:hub:reader; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
# deliveries made by the hub itself: early warnings (no SMTP server: they
# wait; one tried against a closed port carries its error)
"$C5" warn --title "For Bank A" --classification malicious-code/c2-server --audience "Bank A" >/dev/null 2>&1
"$C5" warn --title "For Other C" --classification malicious-code/c2-server --audience "Other C" \
	--smtp smtp://127.0.0.1:1 >/dev/null 2>&1
for i in $(seq 1 100); do
	"$C5" warn --title "Bulk $i" --classification malicious-code/c2-server --audience "Other C" >/dev/null 2>&1
done
eq "102 deliveries are in the store" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM deliveries')" 102

start_server
"$C5" token create --org "Bank A" --role reader >"$WORK/tok" 2>/dev/null
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
api_ids=$(curl -s -H "Authorization: Bearer $(tail -1 "$WORK/tok")" "$BASE/api/v1/deliveries" |
	python3 -c 'import json,sys; print(sorted(d["id"] for d in json.load(sys.stdin)["deliveries"]))')
export SETUP=$(python3 -c 'import json,sys; print(json.dumps({"pw": sys.argv[1], "tom": "tom@bank.example", "hana": "hana@hub.example", "api_bank": sys.argv[2]}))' "$PW" "$api_ids")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_notify.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
stop_server
