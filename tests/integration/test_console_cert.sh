#!/usr/bin/env bash
# test_console_cert.sh — signing in to the console with an enrolled browser
# client certificate, black-box with curl over TLS (`pki init`, enrolled
# certificates, `serve --tls`): the sign-in page offers it only on a
# connection presenting a valid enrolled certificate, and names its
# organisation; the person names their account, which must be of that
# organisation and enabled — then a session opens without a password.
# Another organisation's account, a disabled one, no certificate, a
# certificate of another CA, a forged form: refused, no session.  A second
# factor still applies (asked for; an organisation requiring one sends the
# session to set it up), failures count towards the lock-out, and every
# sign-in is in the audit log.
. "$(dirname "$0")/lib.sh"
plan 29

"$C5" init --hub-name "GH CIRT" >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
"$C5" org add "Telco" --type private-sector --country GH >/dev/null
PW='a long enough passphrase 42'
for u in ana@bank.example:"Bank One":analyst bo@bank.example:"Bank One":reader dee@bank.example:"Bank One":reader \
	ned@bank.example:"Bank One":reader tel@telco.example:Telco:admin; do
	IFS=: read -r email org role <<<"$u"
	"$C5" user add "$email" --org "$org" --role "$role" >/dev/null 2>&1
	echo "$PW" | "$C5" user password "$email" >/dev/null
done
"$C5" user add new@bank.example --org "Bank One" --role reader >/dev/null 2>&1 # invited, not enrolled
"$C5" user disable dee@bank.example >/dev/null
"$C5" org policy Telco --totp required >/dev/null
# ned has a second factor: confirmed with the previous step's code, so the
# current step's is still unused for the sign-in
SECRET=$("$C5" user totp ned@bank.example 2>/dev/null | sed -n 2p)
totp() { python3 -c '
import base64, hashlib, hmac, struct, sys, time
k = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
h = hmac.new(k, struct.pack(">Q", int(time.time() + int(sys.argv[2])) // 30), hashlib.sha1).digest()
o = h[-1] & 15
print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000))' "$SECRET" "$1"; }
"$C5" user totp ned@bank.example --code "$(totp -30)" >/dev/null 2>&1 ||
	"$C5" user totp ned@bank.example --code "$(totp 0)" >/dev/null 2>&1

cd "$WORK"
"$C5" pki init >/dev/null
req() { openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null; }
for c in "bank:/O=Bank One/CN=ana laptop:Bank One" "telco:/O=Telco/CN=noc:Telco"; do
	IFS=: read -r n subj org <<<"$c"
	req "$n" "$subj"
	id=$("$C5" pki request --org "$org" --role reader "$n.csr" 2>/dev/null)
	"$C5" pki approve "$id" --out "$n.pem" >/dev/null 2>&1
done
refused_certs pki/ca.pem pki/ca.key
check "the certificates were made" test -s bank.pem -a -s telco.pem -a -s oth.pem

start_server --tls
BANK=(--cert bank.pem --key bank.key) TELCO=(--cert telco.pem --key telco.key) OTH=(--cert oth.pem --key oth.key)
# page CERT-ARGS... -> the sign-in page, its pre-session cookie in jar
page() { rm -f jar; curl -s --cacert pki/ca.pem -c jar -b jar "$@" "$BASE/signin"; }
csrf() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
# certin EMAIL [CODE] CERT-ARGS... (after page): the status, the page in out
certin() {
	local email=$1 code=$2; shift 2
	curl -s --cacert pki/ca.pem -o out -w '%{http_code}' -c jar -b jar "$@" --data-urlencode "email=$email" \
		${code:+--data "code=$code"} --data "csrf=$CS" "$BASE/signin/cert"
}
session() { grep -c '__Host-c5sid' jar 2>/dev/null | tr -d '\n'; }

p=$(page)
eq "without a certificate the sign-in page offers none" "$(grep -c 'action="/signin/cert"' <<<"$p")" 0
p=$(page "${OTH[@]}")
eq "nor with a certificate of another CA" "$(grep -c 'action="/signin/cert"' <<<"$p")" 0
p=$(page "${BANK[@]}")
has "with an enrolled certificate it offers \"Sign in with your certificate\"" "$p" 'Sign in with your certificate'
has "naming the certificate's organisation" "$p" '<strong>Bank One</strong>'
CS=$(csrf <<<"$p")

# the person names their account: a session without a password
eq "ana of Bank One signs in with Bank One's certificate (303)" "$(certin ana@bank.example "" "${BANK[@]}")" 303
eq "a session cookie is set (__Host-, Secure)" "$(grep -c '#HttpOnly_127.0.0.1.*TRUE.*__Host-c5sid' jar)" 1
r=$(curl -s --cacert pki/ca.pem -b jar "${BANK[@]}" "$BASE/console")
has "and the console opens as ana" "$r" "ana@bank.example · Bank One · analyst"
has "the sign-in is audited as by certificate" "$("$C5" audit list | grep people.signin)" "client certificate"

# refusals: no session
p=$(page "${BANK[@]}"); CS=$(csrf <<<"$p")
eq "an account of another organisation is refused (401)" "$(certin tel@telco.example "" "${BANK[@]}")" 401
has "saying so" "$(cat out)" "No account of your certificate&#39;s organisation with this e-mail address."
eq "and no session is made" "$(session)" 0
eq "a disabled account is refused" "$(certin dee@bank.example "" "${BANK[@]}")" 401
eq "an invited account not yet enrolled is refused" "$(certin new@bank.example "" "${BANK[@]}")" 401
p=$(page); CS=$(csrf <<<"$p")
eq "without a certificate the form is refused (403)" "$(certin ana@bank.example "")" 403
has "saying why" "$(cat out)" "presents no valid enrolled certificate"
p=$(page "${OTH[@]}"); CS=$(csrf <<<"$p")
eq "with another CA's certificate too" "$(certin ana@bank.example "" "${OTH[@]}")" 403
p=$(page "${BANK[@]}"); CS=forged
eq "a forged form is refused (403)" "$(certin ana@bank.example "" "${BANK[@]}")" 403
eq "and no session is made" "$(session)" 0
r=$(curl -s --cacert pki/ca.pem -o /dev/null -w '%{http_code}' "${BANK[@]}" --data "email=ana@bank.example" "$BASE/signin/cert")
eq "as is one with no pre-session cookie" "$r" 403

# a second factor still applies
p=$(page "${BANK[@]}"); CS=$(csrf <<<"$p")
eq "an account with a second factor is asked for its code" "$(certin ned@bank.example "" "${BANK[@]}")" 200
has "in the certificate's form" "$(cat out)" 'id="c-code"'
eq "with the code: in" "$(certin ned@bank.example "$(totp 0)" "${BANK[@]}")" 303
p=$(page "${TELCO[@]}"); CS=$(csrf <<<"$p")
eq "an organisation that requires a second factor: signed in ..." "$(certin tel@telco.example "" "${TELCO[@]}")" 303
r=$(curl -s --cacert pki/ca.pem -o /dev/null -w '%{http_code} %{redirect_url}' -b jar "${TELCO[@]}" "$BASE/console")
eq "... only to set one up" "$r" "303 $BASE/console/totp"

# the password form is still there beside it
p=$(page "${BANK[@]}"); CS=$(csrf <<<"$p")
r=$(curl -s --cacert pki/ca.pem -o /dev/null -w '%{http_code}' -c jar -b jar "${BANK[@]}" --data-urlencode "email=bo@bank.example" \
	--data-urlencode "password=$PW" --data "csrf=$CS" "$BASE/signin")
eq "and a password still signs in on the same connection" "$r" 303

# failures count as the password's do: five within 15 minutes lock
# (here the address too: every request comes from 127.0.0.1)
p=$(page "${TELCO[@]}"); CS=$(csrf <<<"$p")
for _ in 1 2 3 4 5; do certin bo@bank.example "" "${TELCO[@]}" >/dev/null; done
p=$(page "${BANK[@]}"); CS=$(csrf <<<"$p")
eq "after five refusals the right certificate waits too (429)" "$(certin bo@bank.example "" "${BANK[@]}")" 429
a=$("$C5" audit list)
has "the failures are audited, saying why" "$a" "certificate of another organisation"
has "and the lock-out" "$a" "people.lockout"
stop_server
