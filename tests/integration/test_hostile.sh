#!/usr/bin/env bash
# test_hostile.sh — what a hostile test of the console, TAXII and the
# warnings found (each fixed at its root), asked again from outside: an old
# enrolment link against an account that has a password, a warning title
# that is not whole UTF-8 text, live streams after a revocation or a
# disable, redirects off the site, TAXII writes by a reader, anonymous big
# bodies, bytes that are not UTF-8 in console URLs.
. "$(dirname "$0")/lib.sh"
plan 26

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Beta" --type civil-society --country GH >/dev/null
PW='a long enough passphrase 42'
LINK=$("$C5" user add ana@bank.example --org "Bank A" --role analyst 2>/dev/null)
echo "$PW" | "$C5" user password ana@bank.example >/dev/null
RB=$("$C5" token create --org Beta --role reader 2>/dev/null)
TA=$("$C5" token create --org "Bank A" --role analyst 2>/dev/null)
COL=$("$C5" taxii collection add open --read all --write all)
start_server
SECRET=${LINK##*/}
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# ---- 1. an old enrolment link never replaces a password that exists
eq "the link of an account that has a password is not valid" "$(code "$BASE/enrol/$SECRET")" 404
eq "and posting a new password through it is refused" \
	"$(code --data "password=Attacker-Chosen-Pass-77&again=Attacker-Chosen-Pass-77" "$BASE/enrol/$SECRET")" 404
signin() { # EMAIL PW -> the session cookie jar in $WORK/jar
	rm -f "$WORK/jar"
	local cs
	cs=$(curl -s -c "$WORK/jar" -b "$WORK/jar" "$BASE/signin" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
	curl -s -o /dev/null -w '%{http_code}' -c "$WORK/jar" -b "$WORK/jar" --data-urlencode "email=$1" \
		--data-urlencode "password=$2" --data "csrf=$cs" "$BASE/signin"
}
eq "the account's own password still works" "$(signin ana@bank.example "$PW")" 303

# ---- 2. a warning title is whole UTF-8 text or refused; a bad row never stops the list
long=$(python3 -c 'print("é" * 300)')
r=$(api "$TA" POST /api/v1/warnings "{\"title\":\"$long\",\"classification\":\"malicious-code/c2-server\",\"tlp\":\"green\",\"audience\":\"all\"}")
eq "an over-long title is refused (400), not cut" "${r%% *}" 400
has "naming the field" "$r" '"field":"title"'
eq "nothing was stored" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM warnings')" 0
sqlite3 -cmd ".timeout 5000" "$C5HUB_DB" "INSERT INTO warnings(org_id, author, title, classification, severity, tlp, audience, observables, created)
  SELECT id, 'old', 'cut' || X'C3', 'malicious-code/c2-server', 'low', 1, 'all', '[]', 1 FROM orgs WHERE name = 'Bank A'"
r=$(api "$TA" POST /api/v1/warnings '{"title":"After the bad row","classification":"malicious-code/c2-server","tlp":"green","audience":"all"}')
eq "a warning raised after a row that is not text" "${r%% *}" 201
has "is still listed to everyone" "$(api "$RB" GET /api/v1/warnings)" "After the bad row"

# ---- 3. a live stream ends when its credential does
T2=$("$C5" token create --org Beta --role reader 2>/dev/null)
curl -s -N --max-time 8 -H "Authorization: Bearer $T2" "$BASE/api/v1/stream" >"$WORK/s1" &
S1=$!
sleep 1
"$C5" token revoke "${T2:0:12}" >/dev/null
sleep 2
api "$TA" POST /api/v1/warnings '{"title":"After the revocation","classification":"malicious-code/c2-server","tlp":"green","audience":"all"}' >/dev/null
wait "$S1"
eq "a revoked token's stream got nothing more" "$(grep -c 'After the revocation' "$WORK/s1")" 0
signin ana@bank.example "$PW" >/dev/null
curl -s -N --max-time 8 -b "$WORK/jar" "$BASE/console/stream" >"$WORK/s2" &
S2=$!
sleep 1
"$C5" user disable ana@bank.example >/dev/null
sleep 2
api "$TA" POST /api/v1/warnings '{"title":"After the disable","classification":"malicious-code/c2-server","tlp":"green","audience":"all"}' >/dev/null
wait "$S2"
eq "a disabled person's stream got nothing more" "$(grep -c 'After the disable' "$WORK/s2")" 0
"$C5" user enable ana@bank.example >/dev/null

# ---- 4. /lang sends only to a path of this site
for back in '/%09/evil.example/x' '/%5Cevil.example' '//evil.example' 'https://evil.example/' '/%0d%0aSet-Cookie:x=1'; do
	loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/lang?lang=fr&back=$back")
	eq "back=$back stays on the hub" "$loc" "$BASE/console"
done

# ---- 5. TAXII: a reader may not write, even where the collection lets its organisation
TT="application/taxii+json;version=2.1"
env='{"objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--11111111-0000-4000-8000-000000000000","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '"'"'192.0.2.77'"'"']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}]}'
eq "a reader's TAXII post is refused (403)" "$(code -X POST -H "Authorization: Bearer $RB" -H "Accept: $TT" -H "Content-Type: $TT" --data "$env" "$BASE/taxii2/api1/collections/$COL/objects/")" 403

TW=$("$C5" token create --org Beta --role contributor 2>/dev/null)
TAC=$("$C5" token create --org "Bank A" --role contributor 2>/dev/null)
eq "Bank A posts an object" "$(code -X POST -H "Authorization: Bearer $TAC" -H "Accept: $TT" -H "Content-Type: $TT" --data "$env" "$BASE/taxii2/api1/collections/$COL/objects/")" 202
forged=${env//192.0.2.77/192.0.2.78}
has "Beta's other content under the same id and version is refused, not 'already here'" \
	"$(curl -s -X POST -H "Authorization: Bearer $TW" -H "Accept: $TT" -H "Content-Type: $TT" --data "$forged" "$BASE/taxii2/api1/collections/$COL/objects/")" "another organisation gave this object"

# ---- 6. big bodies are for known senders; the console's forms are small
python3 -c 'print("email=" + "a" * 300000)' >"$WORK/big"
eq "an anonymous 300 KB sign-in is refused (413)" "$(code --data-binary @"$WORK/big" "$BASE/signin")" 413
eq "an anonymous 300 KB API body is refused (413)" "$(code -H 'Content-Type: application/json' --data-binary @"$WORK/big" "$BASE/api/v1/reputation")" 413

# ---- 7. bytes that are not UTF-8 in a console URL: the page, not a 500
signin ana@bank.example "$PW" >/dev/null
eq "a guessed indicator id that is not text: not found" "$(code -b "$WORK/jar" "$BASE/console/indicators/%FF")" 404
eq "a look-up of bytes that are not text: the page" "$(code -b "$WORK/jar" "$BASE/console/lookup?q=%FF")" 200
# ---- 9. an API body is JSON, said so (another site's form cannot send that)
eq "a body sent as text/plain is refused (415)" "$(code -H "Authorization: Bearer $TAC" -H 'Content-Type: text/plain' --data '[{"value":"192.0.2.55"}]' "$BASE/api/v1/indicators")" 415
eq "and nothing was stored" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM indicators WHERE value = '192.0.2.55'")" 0

# ---- 8. an organisation that signs in with certificates: its people too
signin ana@bank.example "$PW" >/dev/null
cp "$WORK/jar" "$WORK/jar.before"
"$C5" org policy "Bank A" certificate >/dev/null
sleep 1.2 # the server follows a policy change within a second
eq "a password alone does not open the console of a certificate organisation" "$(signin ana@bank.example "$PW")" 403
eq "nor does a session made before" "$(code -b "$WORK/jar.before" "$BASE/console")" 403
"$C5" org policy "Bank A" any >/dev/null
stop_server
