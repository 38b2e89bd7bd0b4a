#!/usr/bin/env bash
# test_console_trust.sh — the console's tokens, certificate requests,
# certificates and audit log in a real browser (Chromium, Selenium,
# axe-core; see test_console.sh): an admin of Bank A makes and revokes its
# own tokens (the token shown once works on the API, then stops) and never
# another organisation's; everyone sees its own organisation's requests; the
# hub's admins approve (the certificate verifies against the CA), reject,
# revoke (the CRL lists it) and read the audit log with its verification.
# The checks are in tests/tools/console_trust.py.
. "$(dirname "$0")/lib.sh"
plan 52

AXE=$PWD/tests/browser/node_modules/axe-core/axe.min.js
[ -f "$AXE" ] || (cd tests/browser && npm install --no-audit --no-fund >/dev/null 2>&1)
check "axe-core is installed (tests/browser: npm install)" test -f "$AXE"
check "Chromium and its driver are installed" test -x /usr/bin/chromium -a -x /usr/bin/chromedriver

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country GH >/dev/null
"$C5" org add "Other C" --type civil-society --country GH >/dev/null
PW='a long enough passphrase 42'
for u in bea@bank.example:"Bank A":admin tom@bank.example:"Bank A":reader carl@other.example:"Other C":admin \
	hana@hub.example:hub:admin; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
"$C5" pki init >/dev/null
PKI=$(sqlite3 "$C5HUB_DB" "SELECT value FROM meta WHERE key = 'pki_dir'" 2>/dev/null)
[ -n "$PKI" ] || PKI=$WORK/pki
for r in "bank1:Bank A" "bank2:Bank A" "other1:Other C"; do
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/${r%%:*}.key" \
		-subj "/O=${r#*:}/CN=${r%%:*}" -out "$WORK/${r%%:*}.csr" 2>/dev/null
	"$C5" pki request --org "${r#*:}" --role reader "$WORK/${r%%:*}.csr" >/dev/null 2>&1
done
OTHER_TOKEN=$("$C5" token create --org "Other C" --role reader --label "other's" 2>/dev/null | head -1)
check "the CA and three requests are ready" test -f "$PKI/ca.pem" -a "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM pki_requests')" = 3

start_server
export SHOTS=$PWD/${BUILD:-build}/screenshots AXE BASE C5 PKI
mkdir -p "$SHOTS"
export SETUP=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({"pw": a[1], "bea": "bea@bank.example", "tom": "tom@bank.example", "carl": "carl@other.example", "hana": "hana@hub.example", "other_token": a[2], "work": a[3]}))' \
	"$PW" "$OTHER_TOKEN" "$WORK")
timeout 300 /usr/bin/python3 "$(dirname "$0")/../tools/console_trust.py" >"$WORK/cells" 2>&1
rc=$?
while IFS= read -r l; do
	case $l in "ok - "*) pass "${l#ok - }" ;; "not ok - "*) fail "${l#not ok - }" ;; *) echo "$l" ;; esac
done <"$WORK/cells"
eq "the browser run went to its end" "$rc" 0
stop_server
