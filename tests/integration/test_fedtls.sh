#!/usr/bin/env bash
# test_fedtls.sh — federation over mutual TLS: hub B holds a client
# certificate hub A issued to its organisation with the role peer, and polls
# hub A's TAXII collection over HTTPS with it (no token); the certificate
# alone identifies hub B, TLP still decides (RED never crosses); pushes and
# scheduled syncs use it too.  c5hub's own client with no certificate, an
# expired one, one without clientAuth, one from another CA and a revoked one
# is refused, each for its reason; without hub A's CA it does not trust it.
. "$(dirname "$0")/lib.sh"
plan 15

HA=$WORK/a.db HB=$WORK/b.db
export C5HUB_DB=$HA
cd "$WORK"
"$C5" init --hub-name hub-a >/dev/null
"$C5" org add "Hub B" --type international --country ZZ >/dev/null
"$C5" pki init >/dev/null
FED=$("$C5" taxii collection add fed --read all)
gen() { # NAME TLP-NAME -> a bundle with one indicator
	python3 - "$1" <<'PY'
import json, sys, uuid
n = sys.argv[1]
print(json.dumps({"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": [{
    "type": "indicator", "spec_version": "2.1", "id": "indicator--" + str(uuid.uuid5(uuid.NAMESPACE_URL, n)),
    "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z", "name": n,
    "pattern": "[domain-name:value = '%s.example.net']" % n, "pattern_type": "stix",
    "valid_from": "2026-01-01T00:00:00Z"}]}))
PY
}
gen green-one >green.json; gen red-one >red.json
"$C5" ingest --format stix --collection fed --tlp green green.json >/dev/null
"$C5" ingest --format stix --collection fed --tlp red --share "Hub B" red.json >/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout b.key \
	-subj "/O=Hub B/CN=hub-b" -out b.csr 2>/dev/null
id=$("$C5" pki request --org "Hub B" --role peer b.csr 2>/dev/null)
"$C5" pki approve "$id" --out b.pem >/dev/null 2>&1
check "hub A issued hub B a peer certificate" test -s b.pem
"$C5" org policy "Hub B" certificate >/dev/null
start_server --tls
ROOT=$BASE/taxii2/api1/

export C5HUB_DB=$HB
"$C5" init --hub-name hub-b >/dev/null
"$C5" org add "Hub A" --type international --country ZZ >/dev/null
"$C5" taxii collection add from-a --read all >/dev/null
out=$("$C5" taxii poll "$ROOT" "$FED" --org "Hub A" --into from-a --cacert pki/ca.pem 2>&1)
has "without a client certificate hub A refuses" "$out" "HTTP 401"
out=$("$C5" taxii poll "$ROOT" "$FED" --org "Hub A" --into from-a 2>&1)
has "without hub A's CA hub B does not trust the server" "$out" "SSL peer certificate"
out=$("$C5" taxii poll "$ROOT" "$FED" --org "Hub A" --into from-a --cacert pki/ca.pem --cert b.pem --key b.key); rc=$?
eq "with its certificate hub B polls over mutual TLS" "$rc" 0
eq "what arrived: GREEN, not the RED one even though hub B was named" \
	"$(sqlite3 "$HB" "SELECT group_concat(json_extract(json, '\$.name')) FROM stix_objects")" "green-one"
# c5hub's own client with the certificates a hub must refuse (made with openssl)
refused_certs pki/ca.pem pki/ca.key
for k in "exp:an expired certificate:expired" "srv:a certificate without clientAuth:intended purpose" \
	"oth:a certificate from another CA:issuer is unknown"; do
	IFS=: read -r f d why <<<"$k"
	out=$("$C5" taxii poll "$ROOT" "$FED" --org "Hub A" --cacert pki/ca.pem --cert $f.pem --key $f.key 2>&1)
	has "$d is refused (401)" "$out" "HTTP 401"
	has "($d: why)" "$out" "$why"
done

# push over mutual TLS: hub B posts to hub A (Hub B may write there)
C5HUB_DB=$HA "$C5" taxii grant fed "Hub B" --write
"$C5" taxii collection add to-a --read all >/dev/null
gen b-green >bg.json
"$C5" ingest --format stix --collection to-a --tlp green bg.json >/dev/null
out=$("$C5" taxii push "$ROOT" "$FED" --from to-a --org "Hub A" --cacert pki/ca.pem --cert b.pem --key b.key)
has "hub B pushes over mutual TLS" "$out" "1 objects pushed (1 new there)"
eq "hub A has it, from hub B" "$(sqlite3 "$HA" "SELECT g.name FROM stix_objects o JOIN orgs g ON g.id = o.origin WHERE o.json LIKE '%b-green%'")" "Hub B"

gen green-two >green2.json
C5HUB_DB=$HA "$C5" ingest --format stix --collection fed --tlp green green2.json >/dev/null
"$C5" taxii peer add hub-a --url "$ROOT" --collection "$FED" --org "Hub A" --into from-a \
	--cacert pki/ca.pem --cert b.pem --key b.key >/dev/null
out=$("$C5" taxii sync hub-a); has "a configured peer syncs over mutual TLS too" "$out" "hub-a: 1 new objects"
C5HUB_DB=$HA "$C5" pki revoke b.pem >/dev/null
sleep 1.5
out=$("$C5" taxii poll "$ROOT" "$FED" --org "Hub A" --cacert pki/ca.pem --cert b.pem --key b.key 2>&1)
has "a revoked certificate is refused" "$out" "HTTP 401"
stop_server
