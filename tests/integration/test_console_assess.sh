#!/usr/bin/env bash
# test_console_assess.sh — the console's self-assessment pages in a real
# browser (Chromium, Selenium, axe-core; see test_console.sh): answer one
# pillar at a time (Save and autosave), a file given with an answer kept as
# evidence with its SHA-256 and downloaded by the reviewer, a bad value
# refused naming the question, a forged form, submit; review (reject with a comment, refused
# validation), results (charts and their tables, the export's total),
# roadmap (made, an action accepted and assigned); another organisation's
# AMBER assessment never listed nor reached.  The checks are in
# tests/tools/console_assess.py.
. "$(dirname "$0")/lib.sh"
plan 49

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init >/dev/null
"$C5" org add "Ministry A" --type government --country GH >/dev/null
"$C5" org add "Ministry B" --type government --country GH >/dev/null
PW='a long enough passphrase 42'
for u in con@a.example:"Ministry A":contributor ana@a.example:"Ministry A":analyst bob@b.example:"Ministry B":analyst; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
"$C5" assess new "Country B" --period 2026 --org "Ministry B" >/dev/null
"$C5" assess answer 1 L1=yes T1=yes O1=yes C1=yes K1=yes >/dev/null
"$C5" assess new "Country C" --period 2026 --org "Ministry A" >/dev/null
"$C5" assess answer 2 L1=yes L3=partial O6=yes >/dev/null
cat >"$WORK/inc.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<IODEF-Document version="2.00" xml:lang="en" xmlns="urn:ietf:params:xml:ns:iodef-2.0">
  <Incident purpose="reporting" restriction="amber"><IncidentID name="x">A-1</IncidentID>
  <GenerationTime>2026-01-01T00:00:00Z</GenerationTime>
  <Contact role="creator" type="organization"><ContactName>X</ContactName></Contact></Incident>
</IODEF-Document>
XML
"$C5" ingest --format iodef "$WORK/inc.xml" >/dev/null
INC=$(sqlite3 "$C5HUB_DB" "SELECT id FROM stix_objects WHERE type = 'incident'")
echo "the strategy" >"$WORK/strategy.pdf"
EV=$("$C5" evidence add "$INC" "$WORK/strategy.pdf" --org "Ministry A" | sed -n 's/^evidence \([0-9]*\):.*/\1/p')

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5 WORK
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"pw": a[1], "con": "con@a.example", "ana": "ana@a.example", "bob": "bob@b.example", "ev": a[2]}))' "$PW" "$EV")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_assess.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
has "the review is in the audit log" "$("$C5" audit list)" "assess.review"
head -c 300000 /dev/zero >"$WORK/big.bin"
eq "an answer form over 256 KB is refused before anything is read (413)" \
   "$(curl -s -o /dev/null -w '%{http_code}' -F "file_L5=@$WORK/big.bin" "$BASE/console/assess/1")" 413
stop_server
