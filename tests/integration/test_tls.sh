#!/usr/bin/env bash
# test_tls.sh — `c5hub serve --tls`: HTTPS with the hub's certificate, and
# client certificates as credentials, driven with curl --cert/--key and
# openssl s_client: no certificate, an expired one, one from another CA, one
# without clientAuth, a revoked one (refused within a second of `pki
# revoke`, no restart), and a good one; old protocol versions refused.
. "$(dirname "$0")/lib.sh"
plan 51

"$C5" init --hub-name "GH CIRT" >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
"$C5" org add "Telco" --type private-sector --country GH >/dev/null
TOK_TELCO=$("$C5" token create --org Telco --role reader 2>/dev/null)
TOK_BANK=$("$C5" token create --org "Bank One" --role reader 2>/dev/null)
TOK_ADMIN=$("$C5" token create --role admin 2>/dev/null)
cd "$WORK"
"$C5" pki init >/dev/null
out=$("$C5" serve --tls --http 127.0.0.1:0 --db "$WORK/none.db" 2>&1); eq "serve --tls on a database without a CA fails" "$?" 2
req() { # KEYFILE SUBJECT OUTCSR
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1" -subj "$2" -out "$3" 2>/dev/null
}
req good.key "/O=Bank One/CN=soc" good.csr
id=$("$C5" pki request --org "Bank One" --role analyst good.csr 2>/dev/null)
"$C5" pki approve "$id" --out good.pem >/dev/null 2>&1
req rev.key "/O=Bank One/CN=old laptop" rev.csr
id=$("$C5" pki request --org "Bank One" rev.csr 2>/dev/null)
"$C5" pki approve "$id" --out rev.pem >/dev/null 2>&1
# made with openssl: expired (by our CA), without clientAuth (by our CA), from another CA
refused_certs pki/ca.pem pki/ca.key
check "the test certificates were made" test -s exp.pem -a -s srv.pem -a -s oth.pem

start_server --tls
U=$BASE
c() { curl -s --cacert pki/ca.pem -o resp -w '%{http_code}' "$@"; echo " $(cat resp 2>/dev/null)"; }
r=$(c "$U/healthz"); eq "HTTPS with the hub's certificate verifies" "${r%% *}" 200
r=$(c "$U/api/v1/whoami"); eq "no certificate, no token: 401" "${r%% *}" 401
r=$(c --cert good.pem --key good.key "$U/api/v1/whoami")
eq "an enrolled certificate alone authenticates, with its role" "$(echo "${r#* }" | json 'd["by"], d["role"], d["org_id"]')" "certificate analyst 2"
r=$(c --cert exp.pem --key exp.key "$U/api/v1/whoami")
eq "expired: 401" "${r%% *}" 401; has "saying why" "$r" "expired"
r=$(c --cert srv.pem --key srv.key "$U/api/v1/whoami")
eq "without clientAuth: 401" "${r%% *}" 401; has "saying why" "$r" "purpose"
r=$(c --cert oth.pem --key oth.key "$U/api/v1/whoami")
eq "from another CA: refused" "${r%% *}" 401
r=$(c --cert oth.pem --key oth.key -H "Authorization: Bearer $TOK_BANK" "$U/api/v1/whoami")
eq "a bad certificate is not saved by a good token" "${r%% *}" 401
r=$(c --cert good.pem --key good.key -H "Authorization: Bearer $TOK_TELCO" "$U/api/v1/whoami")
eq "token and certificate of different organisations: 401" "${r%% *}" 401
r=$(c --cert good.pem --key good.key -H "Authorization: Bearer $TOK_BANK" "$U/api/v1/whoami")
eq "token and certificate of one organisation: the token's role" "$(echo "${r#* }" | json 'd["by"], d["role"]')" "token reader"
r=$(c -H "Authorization: Bearer $TOK_TELCO" "$U/api/v1/whoami"); eq "a token alone still works" "${r%% *}" 200

# enrolment over the API: Telco files a request, the hub approves, Telco fetches and uses it
req tel.key "/O=Telco/CN=noc" tel.csr
body=$(python3 -c 'import json,sys; print(json.dumps({"csr": open("tel.csr").read(), "role": "contributor"}))')
r=$(c -H "Authorization: Bearer $TOK_TELCO" -H 'Content-Type: application/json' --data-binary "$body" "$U/api/v1/pki/requests")
eq "POST /api/v1/pki/requests files it" "${r%% *}" 201
tid=$(echo "${r#* }" | json 'd["id"]')
r=$(c -H "Authorization: Bearer $TOK_TELCO" -H 'Content-Type: application/json' --data-binary '{"csr":"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"}' "$U/api/v1/pki/requests")
eq "a broken request is 400" "${r%% *}" 400; has "naming the field" "$r" '"field":"csr"'
r=$(c -H "Authorization: Bearer $TOK_TELCO" "$U/api/v1/pki/requests/$tid")
eq "pending, no certificate yet" "$(echo "${r#* }" | json 'd["status"], d["certificate"]')" "pending None"
r=$(c -H "Authorization: Bearer $TOK_BANK" "$U/api/v1/pki/requests/$tid"); eq "another organisation cannot see it" "${r%% *}" 404
r=$(c -X POST -H "Authorization: Bearer $TOK_TELCO" "$U/api/v1/pki/approve/$tid"); eq "a reader cannot approve" "${r%% *}" 403
r=$(c -X POST -H "Authorization: Bearer $TOK_ADMIN" -H 'Content-Type: application/json' --data-binary '{"days": 0}' "$U/api/v1/pki/approve/$tid")
eq "bad validity is 400" "${r%% *}" 400
r=$(c -X POST -H "Authorization: Bearer $TOK_ADMIN" -H 'Content-Type: application/json' --data-binary '{"days": 90}' "$U/api/v1/pki/approve/$tid")
eq "the hub's administrator approves" "${r%% *}" 200
r=$(c -X POST -H "Authorization: Bearer $TOK_ADMIN" "$U/api/v1/pki/approve/$tid"); eq "approving twice is 409" "${r%% *}" 409
r=$(c -H "Authorization: Bearer $TOK_TELCO" "$U/api/v1/pki/requests/$tid")
echo "${r#* }" | json 'd["certificate"]' >tel.pem
eq "Telco fetches its certificate" "$(echo "${r#* }" | json 'd["status"]')" approved
r=$(c --cert tel.pem --key tel.key "$U/api/v1/whoami")
eq "and signs in with it, as contributor" "$(echo "${r#* }" | json 'd["by"], d["role"], d["org_id"]')" "certificate contributor 3"
has "requests and approvals by API are audited with the token" "$("$C5" audit list | grep pki.approve)" "token ${TOK_ADMIN:0:12}"
r=$(c --cert rev.pem --key rev.key "$U/api/v1/whoami"); eq "before revocation: 200" "${r%% *}" 200
"$C5" pki revoke rev.pem >/dev/null
for _ in $(seq 1 30); do r=$(c --cert rev.pem --key rev.key "$U/api/v1/whoami"); [ "${r%% *}" = 401 ] && break; sleep 0.1; done
eq "revoked: refused within 3 s, no restart" "${r%% *}" 401; has "saying why" "$r" "revoked"
req unk.key "/CN=never enrolled" unk.csr
openssl x509 -req -in unk.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 9 -days 30 \
	-extfile <(printf 'extendedKeyUsage = clientAuth\n') -out unk.pem 2>/dev/null
r=$(c --cert unk.pem --key unk.key "$U/api/v1/whoami")
has "signed by the CA but never enrolled: refused" "$r" "not enrolled"
# per-organisation policy: which credentials its members must show
out=$("$C5" org policy "Bank One" sometimes 2>&1); eq "an unknown policy is refused" "$?" 2
"$C5" org policy "Bank One" both >/dev/null
wait_code() { # WANT CURL-ARGS...: retry up to 3 s while the server reloads
	local want=$1; shift
	for _ in $(seq 1 30); do r=$(c "$@"); [ "${r%% *}" = "$want" ] && break; sleep 0.1; done
}
wait_code 401 --cert good.pem --key good.key "$U/api/v1/whoami"
eq "policy both: a certificate alone is refused" "${r%% *}" 401; has "saying what is missing" "$r" "both a client certificate and a bearer token"
r=$(c -H "Authorization: Bearer $TOK_BANK" "$U/api/v1/whoami"); eq "policy both: a token alone is refused" "${r%% *}" 401
r=$(c --cert good.pem --key good.key -H "Authorization: Bearer $TOK_BANK" "$U/api/v1/whoami"); eq "policy both: with both, in" "${r%% *}" 200
"$C5" org policy Telco certificate >/dev/null
wait_code 401 -H "Authorization: Bearer $TOK_TELCO" "$U/api/v1/whoami"
eq "policy certificate: a token alone is refused" "${r%% *}" 401
"$C5" org policy "Bank One" token >/dev/null
wait_code 401 --cert good.pem --key good.key "$U/api/v1/whoami"
eq "policy token: a certificate alone is refused" "${r%% *}" 401
"$C5" org policy "Bank One" any >/dev/null
wait_code 200 --cert good.pem --key good.key "$U/api/v1/whoami"
eq "policy any: the certificate alone is enough again" "${r%% *}" 200
has "policy changes are audited" "$("$C5" audit list)" "orgs.policy"
has "org list shows the policy" "$("$C5" org list)" "certificate"

m=$(curl -s --cacert pki/ca.pem "$U/metrics")
has "metrics count revoked client certificates" "$m" 'c5hub_client_certificates{state="revoked"} 1'
has "and valid ones" "$m" 'c5hub_client_certificates{state="valid"} 2'
check "and the server certificate's remaining life" test "$(echo "$m" | awk '/^c5hub_tls_certificate_expiry_seconds/ {print ($2 > 86400 * 700)}')" = 1

curl -s --cacert pki/ca.pem "$U/pki/crl.pem" -o served-crl.pem
has "the CRL is served at /pki/crl.pem and lists the revoked one" "$(openssl crl -in served-crl.pem -CAfile pki/ca.pem -noout -text 2>&1)" "$(openssl x509 -in rev.pem -noout -serial | cut -d= -f2)"
r=$(c "$U/pki/ca.pem"); eq "and the CA certificate at /pki/ca.pem" "$(echo "${r#* }" | head -1)" "-----BEGIN CERTIFICATE-----"
r=$(c "$U/pki/ca.key"); eq "nothing else from that directory" "${r%% *}" 404
out=$(echo | openssl s_client -connect 127.0.0.1:$PORT -tls1_1 2>&1); rc=$?
check "TLS 1.1 is refused" test "$rc" -ne 0
out=$(echo | openssl s_client -connect 127.0.0.1:$PORT -tls1_3 -CAfile pki/ca.pem 2>&1)
has "TLS 1.3 works and the chain verifies" "$out" "Verify return code: 0 (ok)"
# 300 half-open clients (a TLS record header, then silence) do not lock others out
python3 - "$PORT" >"$WORK/slow.log" 2>&1 <<'PY' &
import socket, sys, time
socks = []
for _ in range(300):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.send(b"\x16\x03\x01\x02")  # the start of a ClientHello, never finished
    socks.append(s)
print("open", len(socks), flush=True)
time.sleep(6)
PY
SLOW=$!
for _ in $(seq 1 50); do grep -q open "$WORK/slow.log" && break; sleep 0.1; done
t0=$(date +%s%N)
r=$(curl -s -m 3 --interface 127.0.0.2 --cacert pki/ca.pem -o /dev/null -w '%{http_code}' "$U/healthz")
t1=$(date +%s%N)
eq "with 300 half-open TLS clients (64 held: the per-address limit), others are still served" "$r" 200
check "within a second" test $(( (t1 - t0) / 1000000 )) -lt 1000
kill $SLOW 2>/dev/null; wait $SLOW 2>/dev/null
out=$(curl -s -m 3 "http://127.0.0.1:$PORT/healthz"); rc=$?
check "plain HTTP gets no answer" test "$rc" -ne 0
stop_server
