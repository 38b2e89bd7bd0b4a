#!/usr/bin/env bash
# test_console_sharing.sh — the console's sharing page in a real browser
# (Chromium, Selenium, axe-core; see test_console.sh): Bank A's analyst
# shares its AMBER object with Ministry B from the page, and Ministry B's
# analyst then sees it on the page and through the API; a share by anyone
# but the creator (without its permission) is refused, and so is a forged
# form; another organisation's AMBER and RED objects are never listed nor
# reached by a guessed id; the TAXII collections with their rights, and the
# peers with their last sync for the hub's admins.  The checks are in
# tests/tools/console_sharing.py.
. "$(dirname "$0")/lib.sh"
plan 52

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init >/dev/null
for o in "Bank A:private-sector" "Ministry B:government" "Other C:civil-society"; do
	"$C5" org add "${o%%:*}" --type "${o#*:}" --country GH >/dev/null
done
PW='a long enough passphrase 42'
for u in ana@bank.example:"Bank A":analyst tom@bank.example:"Bank A":reader mia@ministry.example:"Ministry B":analyst \
	olga@other.example:"Other C":analyst hana@hub.example:hub:admin; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
COL=$("$C5" taxii collection add shared --title "Shared intelligence" --read all --write "Bank A")
"$C5" taxii collection add banks --title "Banks only" --read "Bank A" >/dev/null
"$C5" taxii collection add ministry --title "Ministry only" --read "Ministry B" >/dev/null
# one indicator per level; Bank A gives them, Other C gives its own AMBER and RED
bundle() { # bundle PREFIX FIRST-OCTET -> a bundle of t-clear .. t-red
	python3 - "$1" "$2" <<'PY'
import json, sys
p, n = sys.argv[1], int(sys.argv[2])
marks = {"green": "bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "amber": "55d920b0-5e8b-4f79-9ee9-91f868d9b421",
         "red": "e828b379-4e03-4974-9ac4-e53a884c97c1"}
t = "2026-11-01T00:00:00.000Z"
objs = [{"type": "indicator", "spec_version": "2.1", "id": "indicator--%08d-0000-4000-8000-0000000000%02d" % (n, i),
         "created": t, "modified": t, "name": "%s-%s" % (p, lvl), "valid_from": t, "confidence": 90,
         "pattern": "[ipv4-addr:value = '192.0.2.%d']" % (n + i), "pattern_type": "stix",
         "object_marking_refs": ["marking-definition--" + m]} for i, (lvl, m) in enumerate(marks.items())]
print(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-0000000000%02d" % n, "objects": objs}))
PY
}
# 60 older CLEAR objects first: the page holds 50, newest first
python3 -c '
import json
t = "2026-10-01T00:00:00.000Z"
print(json.dumps({"type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000099", "objects": [
    {"type": "malware", "spec_version": "2.1", "id": "malware--00000000-0000-4000-8000-%012d" % i, "created": t,
     "modified": t, "name": "filler-%02d" % i, "is_family": True} for i in range(60)]}))' >"$WORK/filler.json"
"$C5" ingest --format stix --tlp clear --org "Bank A" "$WORK/filler.json" >/dev/null
bundle bank 10 >"$WORK/bank.json"
bundle other 20 >"$WORK/other.json"
"$C5" ingest --format stix --org "Bank A" --collection shared "$WORK/bank.json" >/dev/null
"$C5" ingest --format stix --org "Other C" --collection shared "$WORK/other.json" >/dev/null
check "the objects are in" test "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM stix_objects')" = 66
"$C5" taxii peer add hub-z --url http://127.0.0.1:9/taxii2/api1/ --collection 0e1d3c55-0000-4000-8000-000000000001 \
	--org "Other C" --token secret-peer-token >/dev/null 2>&1
"$C5" taxii sync hub-z >/dev/null 2>&1
check "a peer that failed its last sync" test -n "$(sqlite3 "$C5HUB_DB" 'SELECT last_error FROM taxii_peers' 2>/dev/null)"
MB=$("$C5" token create --org "Ministry B" --role reader 2>/dev/null)

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"pw": a[1], "ana": "ana@bank.example", "tom": "tom@bank.example", "mia": "mia@ministry.example", "olga": "olga@other.example", "hana": "hana@hub.example", "mb_token": a[2], "col": a[3]}))' \
	"$PW" "$MB" "$COL")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_sharing.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
a=$("$C5" audit list)
has "the share is in the audit log" "$a" "stix.share"
has "with the person who made it" "$a" "ana@bank.example"
stop_server
