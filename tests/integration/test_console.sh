#!/usr/bin/env bash
# test_console.sh — the web console in a real browser: Debian's Chromium,
# headless, driven by Selenium (python3-selenium, chromium-driver), with
# axe-core (npm, tests/browser/) run on every page.  The checks are in
# tests/tools/console_browser.py; screenshots go to $BUILD/screenshots/.
. "$(dirname "$0")/lib.sh"
plan 63

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver
check "every message of the console is in French (and the navigation in Arabic)" python3 tests/tools/po_check.py

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Other C" --type civil-society --country GH >/dev/null
"$C5" org add "Ministry R" --type government --country GH >/dev/null
"$C5" org policy "Ministry R" --totp required >/dev/null
for t in green:198.51.100.21 amber:198.51.100.22 red:198.51.100.23; do
	echo "${t#*:}" | "$C5" ingest --org "Bank A" --source bank-a-feed --tlp "${t%%:*}" \
		--classification malicious-code/c2-server - >/dev/null
done
id_of() { sqlite3 "$C5HUB_DB" "SELECT id FROM indicators WHERE value = '$1'"; }
PW='a long enough passphrase 42'
LINK=$("$C5" user add ana@bank.example --org "Bank A" --role analyst 2>/dev/null)
"$C5" user add carl@other.example --org "Other C" --role reader >/dev/null 2>&1
"$C5" user add tom@bank.example --org "Bank A" --role reader >/dev/null 2>&1
echo "$PW" | "$C5" user password carl@other.example >/dev/null
echo "$PW" | "$C5" user password tom@bank.example >/dev/null
"$C5" user add rita@ministry.example --org "Ministry R" --role analyst >/dev/null 2>&1
echo "$PW" | "$C5" user password rita@ministry.example >/dev/null
SECRET=$("$C5" user totp tom@bank.example 2>/dev/null | tail -1)
CODE=$(python3 -c 'import base64,hashlib,hmac,struct,sys,time
k=base64.b32decode(sys.argv[1]+"="*(-len(sys.argv[1])%8)); h=hmac.new(k,struct.pack(">Q",int(time.time()//30)),hashlib.sha1).digest(); o=h[-1]&15
print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7FFFFFFF)%1000000))' "$SECRET")
check "the second factor is confirmed with a right code" "$C5" user totp tom@bank.example --code "$CODE"
"$C5" notify set "Other C" --contact-247 soc@other.example >/dev/null
# what each organisation answers for, and an event about Other C's network
printf 'organisation,resource,abuse_contact\nOther C,203.0.113.0/24,abuse@other.example\nBank A,192.0.2.0/24,abuse@bank.example\n' >"$WORK/cons.csv"
"$C5" constituency import "$WORK/cons.csv" >/dev/null
printf '203.0.113.5\n' >"$WORK/feed.txt"
"$C5" feed add f1 --path "$WORK/feed.txt" --format list --tlp green --classification malicious-code/c2-server >/dev/null
check "a feed run makes an event about Other C's network" "$C5" feed run f1

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"link": a[1].replace("http://127.0.0.1:8080", a[2]), "ana": "ana@bank.example", "carl": "carl@other.example", "tom": "tom@bank.example", "rita": "rita@ministry.example", "pw": a[3], "totp": a[4], "green": "198.51.100.21", "amber": "198.51.100.22", "red": "198.51.100.23", "green_id": int(a[5]), "amber_id": int(a[6]), "red_id": int(a[7]), "source": "bank-a-feed"}))' \
	"$LINK" "$BASE" "$PW" "$SECRET" "$(id_of 198.51.100.21)" "$(id_of 198.51.100.22)" "$(id_of 198.51.100.23)")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_browser.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
has "every sign-in, failure and sign-out is in the audit log" "$("$C5" audit list)" "signin"
check "the audit chain holds" "$C5" audit verify
stop_server
