#!/usr/bin/env bash
# test_console_case.sh — the incident case pages in a real browser (Chromium,
# Selenium, axe-core; see test_console.sh): a constituent reports an
# incident and follows it under "my reports"; the hub's analyst finds it
# with the filters and timers, comments (internal and to the reporter),
# moves it through the lifecycle, assigns it, adds a task and a link, merges
# a duplicate; the reporter never sees the internal note; another
# organisation's case by a guessed URL is not shown; a stale edit (two
# browsers) is refused and shows what changed; a forged form changes
# nothing; the figures as charts.  The checks are in tests/tools/console_case.py.
# Then with curl: the timeline's pages, a blank title refused by the form,
# an early warning into a case in one action (the hub's analysts only).
. "$(dirname "$0")/lib.sh"
plan 59

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init --hub-name "National CIRT" >/dev/null
for o in "Bank A:private-sector" "Other C:civil-society"; do
	"$C5" org add "${o%%:*}" --type "${o#*:}" --country GH >/dev/null
done
PW='a long enough passphrase 42'
for u in bob@bank.example:"Bank A":analyst olga@other.example:"Other C":analyst \
	hana@hub.example:"National CIRT":analyst; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
# Other C's own case (never shown to Bank A), and an old critical one: breached
"$C5" case new --title "Other C defacement" --org "Other C" --severity medium >/dev/null
C5HUB_NOW=$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ) "$C5" case new --title "Old ransomware" --org "Bank A" \
	--severity critical --classification malicious-code/c2-server >/dev/null
check "the cases are in" test "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')" = 2

start_server --no-feeds
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; print(json.dumps({"pw": sys.argv[1], "bob": "bob@bank.example", "olga": "olga@other.example", "hana": "hana@hub.example"}))' "$PW")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_case.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
a=$("$C5" audit list)
has "the report is in the audit log, by its person" "$a" "bob@bank.example"

# --- without the browser (curl, a real sign-in): the timeline in pages,
# and a title of only spaces refused by the report form
LONG=$("$C5" case new --title "Long thread" --org "Bank A" | cut -d' ' -f1)
for i in $(seq 1 105); do "$C5" case comment "$LONG" "thread note $i" >/dev/null; done
JAR=$WORK/jar
csrf=$(curl -s -c "$JAR" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "email=hana@hub.example" \
	--data-urlencode "password=$PW" --data-urlencode "csrf=$csrf" "$BASE/signin"
page=$(curl -s -b "$JAR" "$BASE/console/cases/$LONG")
older=$(echo "$page" | sed -n 's/.*id="timeline-older" href="\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g')
check "a case view shows the newest 100 entries and a link to older ones" \
	test -n "$older" -a "$(echo "$page" | grep -o 'thread note [0-9]*' | wc -l)" = 100
page=$(curl -s -b "$JAR" "$BASE$older")
has "the older page has the first entries and a link back to the newest" "$page" "thread note 5<"
has "and a link back to the newest" "$page" 'id="timeline-newest"'
csrf=$(curl -s -b "$JAR" "$BASE/console/cases/new" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
n0=$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')
code=$(curl -s -b "$JAR" -o "$WORK/new.html" -w '%{http_code}' --data-urlencode "csrf=$csrf" \
	--data-urlencode "title=   " --data-urlencode "body=x" "$BASE/console/cases/new")
eq "the report form refuses a title of only spaces (400)" "$code" 400
has "saying why" "$(cat "$WORK/new.html")" "title: give some text, not only spaces"
eq "and opens nothing" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')" "$n0"

# --- an early warning into a case from the warnings page (the API's core, case_escalate)
"$C5" warn --title "Mozi botnet spreading" --classification malicious-code/infected-system --tlp green \
	--observable 203.0.113.45 >/dev/null 2>&1
W=$(sqlite3 "$C5HUB_DB" "SELECT id FROM warnings WHERE title = 'Mozi botnet spreading'")
page=$(curl -s -b "$JAR" "$BASE/console/warnings")
has "the hub's analyst sees an \"Open a case\" button on the warning" "$page" 'name="id" value="'"$W"'"'
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
n0=$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')
code=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code}' --data "kind=warning&id=$W&csrf=wrong" "$BASE/console/cases/escalate")
eq "a forged escalation is refused (403) and opens nothing" "$code/$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM cases')" "403/$n0"
loc=$(curl -s -b "$JAR" -o /dev/null -w '%{http_code} %{redirect_url}' --data "kind=warning&id=$W&csrf=$csrf" \
	"$BASE/console/cases/escalate")
ref=$(echo "$loc" | sed -n 's|.*/console/cases/\([^?]*\).*|\1|p')
eq "one action opens a case from the warning and shows it (303)" "${loc%% *}" 303
has "the case carries the warning's observable" "$("$C5" case show "$ref")" "203.0.113.45"
BJAR=$WORK/bjar
csrf=$(curl -s -c "$BJAR" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -b "$BJAR" -c "$BJAR" -o /dev/null --data-urlencode "email=bob@bank.example" \
	--data-urlencode "password=$PW" --data-urlencode "csrf=$csrf" "$BASE/signin"
page=$(curl -s -b "$BJAR" "$BASE/console/warnings")
check "a constituent's analyst gets no such button" bash -c "! grep -q 'cases/escalate' <<<\"\$1\"" _ "$page"
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$(curl -s -b "$BJAR" -o /dev/null -w '%{http_code}' --data "kind=warning&id=$W&csrf=$csrf" "$BASE/console/cases/escalate")
eq "and the escalation is refused to it (403)" "$code" 403
stop_server
