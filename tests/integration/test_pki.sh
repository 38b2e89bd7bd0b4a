#!/usr/bin/env bash
# test_pki.sh — `c5hub pki`: the hub's CA and server certificate, enrolment
# by certificate signing requests made with openssl, approval, rejection,
# revocation and the CRL, all checked with openssl (verify, x509, crl).
. "$(dirname "$0")/lib.sh"
plan 54

"$C5" init --hub-name "GH CIRT" >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
cd "$WORK"
out=$("$C5" pki approve 1 --out x.pem 2>&1); has "no CA yet: said so" "$out" "run \`c5hub pki init\`"
check "pki init" "$C5" pki init --server-name hub.cirt.example --server-name 192.0.2.10
check "with an empty CRL, signed by the CA" openssl crl -in pki/crl.pem -CAfile pki/ca.pem -noout
eq "keys are 0600" "$(stat -c %a pki/ca.key pki/server.key | tr '\n' ' ')" "600 600 "
has "the CA is a CA for signing certificates and CRLs" "$(openssl x509 -in pki/ca.pem -noout -ext basicConstraints,keyUsage)" "Certificate Sign, CRL Sign"
has "CA named after the hub" "$(openssl x509 -in pki/ca.pem -noout -subject)" "GH CIRT Root CA"
check "the server certificate verifies for TLS servers" openssl verify -CAfile pki/ca.pem -purpose sslserver pki/server.pem
has "server names in the SAN" "$(openssl x509 -in pki/server.pem -noout -ext subjectAltName)" "DNS:hub.cirt.example, IP Address:192.0.2.10"
out=$("$C5" pki init 2>&1); has "a second init keeps the CA and refuses to overwrite" "$out" "server.pem already exists"

openssl req -new -newkey rsa:2048 -nodes -keyout b.key -subj "/O=Bank One/CN=soc.bank-one.example" -out b.csr 2>/dev/null
openssl req -new -newkey rsa:1024 -nodes -keyout w.key -subj "/O=Bank One/CN=weak" -out w.csr 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout e.key -subj "/O=Bank One/CN=ec" -out e.csr 2>/dev/null
openssl req -new -newkey ed25519 -nodes -keyout d.key -subj "/O=Bank One/CN=ed" -out d.csr 2>/dev/null
out=$("$C5" pki request --org "Bank One" w.csr 2>&1); has "a 1024-bit RSA key is refused" "$out" "key too weak"
printf 'not a request\n' >g.csr
out=$("$C5" pki request --org "Bank One" g.csr 2>&1); has "garbage is refused" "$out" "not a PEM certificate signing request"
sed 's/^\(.\{20\}\)[A-Za-z]/\1A/; 5s/^\(.\{30\}\)./\1B/' b.csr >t.csr
out=$("$C5" pki request --org "Bank One" t.csr 2>&1); eq "a tampered request is refused" "$?" 2
out=$("$C5" pki request --org "Nobody" b.csr 2>&1); has "unknown organisation is refused" "$out" "no organisation named 'Nobody'"
eq "nothing refused was stored" "$(sqlite3 "$C5HUB_DB" 'select count(*) from pki_requests')" 0

id=$("$C5" pki request --org "Bank One" --role contributor b.csr 2>/dev/null)
eq "request id printed" "$id" 1
check "approve" "$C5" pki approve "$id" --out b.pem --days 30
check "the certificate verifies for TLS clients" openssl verify -CAfile pki/ca.pem -purpose sslclient b.pem
has "clientAuth, not a CA" "$(openssl x509 -in b.pem -noout -ext extendedKeyUsage,basicConstraints)" "TLS Web Client Authentication"
has "the request's subject" "$(openssl x509 -in b.pem -noout -subject)" "O = Bank One, CN = soc.bank-one.example"
end=$(date -u -d "$(openssl x509 -in b.pem -noout -enddate | cut -d= -f2)" +%s)
eq "valid for 30 days" "$(( (end - $(date +%s) + 3600) / 86400 ))" 30
has "pki list shows organisation and role" "$("$C5" pki list)" "Bank One             contributor"
out=$("$C5" pki approve "$id" --out b2.pem 2>&1); has "approving twice is refused" "$out" "request 1 is approved"
e=$("$C5" pki request --org "Bank One" e.csr 2>/dev/null)
d=$("$C5" pki request --org "Bank One" d.csr 2>/dev/null)
check "an ECDSA P-256 request is issued" "$C5" pki approve "$e" --out e.pem
check "an Ed25519 request is issued" "$C5" pki approve "$d" --out d.pem
check "both verify" openssl verify -CAfile pki/ca.pem -purpose sslclient e.pem d.pem
r=$("$C5" pki request --org "Bank One" b.csr 2>/dev/null)
check "reject" "$C5" pki reject "$r"
out=$("$C5" pki approve "$r" --out r.pem 2>&1); has "a rejected request is not issued" "$out" "is rejected"
touch taken.pem
r=$("$C5" pki request --org "Bank One" b.csr 2>/dev/null)
out=$("$C5" pki approve "$r" --out taken.pem 2>&1); has "never overwrites a file" "$out" "must not exist yet"
eq "and recorded nothing" "$(sqlite3 "$C5HUB_DB" "select status from pki_requests where id = $r")" pending

check "CRL before any revocation" "$C5" pki crl --out crl0.pem
check "a good certificate passes the CRL check" openssl verify -crl_check -CRLfile crl0.pem -CAfile pki/ca.pem b.pem
check "revoke by file" "$C5" pki revoke b.pem
serial=$(openssl x509 -in e.pem -noout -serial | cut -d= -f2)
check "revoke by serial (upper case as openssl prints it)" "$C5" pki revoke "$serial"
out=$("$C5" pki revoke "$serial" 2>&1); eq "revoking twice is an error" "$?" 2
"$C5" pki crl --out crl.pem
check "the CRL is signed by the CA" openssl crl -in crl.pem -CAfile pki/ca.pem -noout
has "the CRL lists both serials" "$(openssl crl -in crl.pem -noout -text)" "$serial"
out=$(openssl verify -crl_check -CRLfile crl.pem -CAfile pki/ca.pem b.pem 2>&1)
has "openssl now refuses the revoked certificate" "$out" "certificate revoked"
check "an unrevoked one still passes" openssl verify -crl_check -CRLfile crl.pem -CAfile pki/ca.pem d.pem
has "pki revoke rewrote pki/crl.pem" "$(openssl crl -in pki/crl.pem -noout -text)" "$serial"
has "pki list marks revoked ones" "$("$C5" pki list | grep -c REVOKED)" 2

# signed advisories: detached CMS that openssl verifies with the hub's CA
printf 'TLP:CLEAR\nAdvisory 2026-001: patch the VPN gateways now.\n' >adv.txt
eq "the signer's key is 0600 too" "$(stat -c %a pki/signer.key)" 600
check "pki sign" "$C5" pki sign adv.txt
check "openssl cms -verify accepts it with the CA" openssl cms -verify -binary -content adv.txt -in adv.txt.p7s -inform PEM -CAfile pki/ca.pem -out /dev/null
has "c5hub verifies it too" "$("$C5" pki verify adv.txt adv.txt.p7s)" "good signature (issuer CN=GH CIRT Root CA"
cp adv.txt adv2.txt; printf 'and send money to ...\n' >>adv2.txt
out=$("$C5" pki verify adv2.txt adv.txt.p7s); rc=$?
eq "a changed advisory fails" "$rc" 1
check "and openssl says so as well" bash -c "! openssl cms -verify -binary -content adv2.txt -in adv.txt.p7s -inform PEM -CAfile pki/ca.pem -out /dev/null 2>/dev/null"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout o.key -subj "/CN=Other" -days 3 -out other.pem 2>/dev/null
out=$("$C5" pki verify adv.txt adv.txt.p7s --ca other.pem); eq "another CA does not vouch for it" "$?" 1
has "signing is in the audit log with the file's hash" "$("$C5" audit list)" "advisory.sign        local      adv.txt sha256:$(sha256sum adv.txt | cut -c1-64)"

# renewal: a new certificate for the same key, organisation and role
out=$("$C5" pki renew "$(openssl x509 -in d.pem -noout -serial | cut -d= -f2)" --out d2.pem --days 60); rc=$?
eq "renew" "$rc" 0
check "the renewed certificate verifies" openssl verify -CAfile pki/ca.pem -purpose sslclient d2.pem
eq "same key as before" "$(openssl x509 -in d2.pem -noout -pubkey | sha256sum)" "$(openssl x509 -in d.pem -noout -pubkey | sha256sum)"
check "a new serial" test "$(openssl x509 -in d2.pem -noout -serial)" != "$(openssl x509 -in d.pem -noout -serial)"
out=$("$C5" pki renew "$serial" --out e2.pem 2>&1); has "a revoked certificate is not renewed" "$out" "is revoked"
has "renewal is audited" "$("$C5" audit list)" "pki.renew"
