#!/usr/bin/env bash
# test_csaf.sh — advisories as CSAF 2.0 and the hub as a CSAF provider:
# published documents are valid by the OASIS schema (python3-jsonschema,
# ../shared/testdata/csaf/json_schema) and by the reference validator
# (@secvisogram/csaf-validator-lib, npm, tests/csaf: schema and every
# mandatory test) on every document served; the .sha256/.sha512 match
# sha256sum/sha512sum; the CMS signature verifies with openssl and the
# hub's CA; provider-metadata.json (its schema), index.txt, changes.csv and
# the ROLIE feeds agree; GREEN is never served without a credential; each
# CSAF example imports; a bad document is refused naming its JSON path and
# nothing is stored; the API's roles.  The hub as an aggregator:
# aggregator.json valid by the OASIS aggregator schema, each mirrored
# party's folder walked as a CSAF tool does (provider-metadata.json, feed,
# every document, hash and signature served; documents as they came and
# valid; the signature the hub's); GREEN mirrors never without a credential;
# the ROLIE service and category documents; the directory listings.
ROOT=$PWD
. "$(dirname "$0")/lib.sh"
plan 107

SCHEMAS=${TESTDATA:-$ROOT/../shared/testdata}/csaf
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
VALIDATOR=$ROOT/tests/csaf/validate.mjs
[ -d "$ROOT/tests/csaf/node_modules/@secvisogram" ] ||
	(cd "$ROOT/tests/csaf" && npm install --no-audit --no-fund >/dev/null 2>&1)
check "the reference validator is installed (tests/csaf: npm install)" test -d "$ROOT/tests/csaf/node_modules/@secvisogram/csaf-validator-lib"
cd "$WORK" || exit 1

"$C5" init >/dev/null
"$C5" org add "Bank A" --type private-sector --country ZZ >/dev/null
ANALYST=$("$C5" token create --role analyst 2>/dev/null)
READER=$("$C5" token create --org "Bank A" --role reader 2>/dev/null)
MEMBER_ANALYST=$("$C5" token create --org "Bank A" --role analyst 2>/dev/null)

cat >clear.json <<'EOF'
{"id": "C5-2026-0001", "title": "Widget: remote code execution", "tlp": "CLEAR",
 "summary": "A flaw in Widget's parser lets a remote attacker run code.",
 "products": [{"vendor": "Acme", "name": "Widget", "version": "1.2.3"},
              {"vendor": "Acme", "name": "Widget", "version": "1.2.4"},
              {"vendor": "Other", "name": "Gadget", "version": "all versions before 2.0"}],
 "vulnerabilities": [{"cve": "CVE-2026-12345", "title": "Overflow in the parser",
   "description": "A long header overflows a buffer.",
   "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
   "products": ["CSAFPID-0001", "CSAFPID-0003"], "remediation": "Update to 1.2.4."},
  {"cve": "CVE-2026-23456", "title": "Information leak",
   "cvss_vector": "CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:C/C:L/I:N/A:N", "products": ["CSAFPID-0001"],
   "remediation": "Turn off debug output.", "remediation_category": "workaround"}],
 "references": [{"url": "https://acme.example/sa-1", "summary": "Acme's advisory"}]}
EOF
cat >green.json <<'EOF'
{"id": "C5-2026-0002", "title": "Members only: VPN gateway notice", "tlp": "GREEN", "category": "csaf_base",
 "summary": "Members: patch the gateways."}
EOF
check "advisory new (CLEAR)" "$C5" advisory new clear.json
check "advisory new (GREEN, a base notice)" "$C5" advisory new green.json
out=$("$C5" advisory publish C5-2026-0001 2>&1); has "no CA: publishing says what to do" "$out" "pki init"
"$C5" pki init >/dev/null 2>&1
COL=$("$C5" taxii collection add advisories --title "Advisories" --read all)
out=$("$C5" advisory publish C5-2026-0099 2>&1); has "publishing one there is not is refused" "$out" "no advisory"
check "an address subscribes" "$C5" advisory subscribe reader@example.org
out=$("$C5" advisory subscribe 'not an address' 2>&1); has "a bad address is refused" "$out" "not an address"
check "publish (revision 1)" "$C5" advisory publish C5-2026-0001
check "publish the GREEN one" "$C5" advisory publish C5-2026-0002
sed -i 's/Update to 1.2.4./Update to 1.2.4 or later./' clear.json
check "edit" "$C5" advisory edit clear.json
has "an edit is not served until published" "$("$C5" advisory export C5-2026-0001)" '"details": "Update to 1.2.4."'
check "publish again (revision 2)" "$C5" advisory publish C5-2026-0001 --summary "Later versions named"
"$C5" advisory export C5-2026-0001 >cli.json
eq "the revision history holds both" "$(json 'len(d["document"]["tracking"]["revision_history"])' <cli.json)" 2
eq "the version is the last revision" "$(json 'd["document"]["tracking"]["version"]' <cli.json)" 2
eq "the base score computed from the vector (CVSS 3.1: 9.8)" "$(json 'd["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"]' <cli.json)" 9.8
eq "and a scope-changed one (AV:L/AC:H/PR:L/UI:R/S:C/C:L: 2.5)" "$(json 'd["vulnerabilities"][1]["scores"][0]["cvss_v3"]["baseScore"]' <cli.json)" 2.5
eq "revisions kept in the store" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM advisory_revisions a JOIN advisories b ON b.id = a.adv WHERE b.tracking_id = 'C5-2026-0001'")" 2
out=$("$C5" audit list); has "publications are audited" "$out" "advisory.publish"
eq "each publication is a version of the advisory's STIX report" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE type = 'report' AND json LIKE '%C5-2026-0001%'")" 2
eq "with its CVEs as vulnerability objects" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM stix_objects WHERE type = 'vulnerability'")" 2

# the subscribers hear of each CLEAR publication (through the notify sender)
eq "one e-mail delivery per CLEAR publication, none for GREEN" "$(sqlite3 "$C5HUB_DB" "SELECT count(*) FROM deliveries WHERE kind = 'advisory'")" 2
python3 "$ROOT/scripts/mailsink.py" "$WORK/sink.port" "$WORK/mail" &
SINK=$!
for _ in $(seq 1 100); do [ -s "$WORK/sink.port" ] && break; sleep 0.05; done
"$C5" notify run --flush --smtp "smtp://127.0.0.1:$(cat "$WORK/sink.port")" >/dev/null 2>&1
eq "both were sent to the subscriber" "$(grep -l '^To: reader@example.org' "$WORK"/mail/*.eml 2>/dev/null | wc -l)" 2
has "naming the advisory and its revision" "$(cat "$WORK"/mail/*.eml)" "Advisory C5-2026-0001 (revision 2)"
kill "$SINK"; wait "$SINK" 2>/dev/null

start_server
eq "provider-metadata.json is served" "$(curl -s -o pm.json -w '%{http_code}' "$BASE/.well-known/csaf/provider-metadata.json")" 200
check "and valid by the OASIS provider schema" "$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" provider pm.json
eq "its ROLIE feeds: WHITE and GREEN" "$(json '" ".join(f["tlp_label"] for f in d["distributions"][0]["rolie"]["feeds"])' <pm.json)" "WHITE GREEN"
eq "the public feed" "$(curl -s -o white.json -w '%{http_code}' "$BASE/.well-known/csaf/feed-tlp-white.json")" 200
eq "lists the CLEAR advisory only" "$(json '" ".join(e["id"] for e in d["feed"]["entry"])' <white.json)" "C5-2026-0001"
URL=$(json 'd["feed"]["entry"][0]["content"]["src"]' <white.json)
P=${URL#http://127.0.0.1:$PORT}
eq "at /.well-known/csaf/white/<year>/<id>.json" "$P" "/.well-known/csaf/white/$(date -u +%Y)/c5-2026-0001.json"
curl -s -o served.json "$BASE$P"
cmp -s served.json cli.json; eq "the document served is the one published" "$?" 0
ET=$(curl -s -D - -o /dev/null "$BASE$P" | tr -d '\r' | sed -n 's/^ETag: //Ip')
eq "a document is cacheable: asked again with its ETag, 304" "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ET" "$BASE$P")" 304
has "with Last-Modified" "$(curl -s -D - -o /dev/null "$BASE$P")" "Last-Modified: "
curl -s "$BASE$P.sha256" >served.sha256
curl -s "$BASE$P.sha512" >served.sha512
eq ".sha256 matches sha256sum" "$(cut -d' ' -f1 served.sha256)" "$(sha256sum served.json | cut -d' ' -f1)"
eq ".sha512 matches sha512sum" "$(cut -d' ' -f1 served.sha512)" "$(sha512sum served.json | cut -d' ' -f1)"
has "named as sha256sum names it" "$(cat served.sha256)" "  c5-2026-0001.json"
curl -s -o served.p7s "$BASE$P.p7s"
check "the CMS signature verifies with openssl and the hub's CA" openssl cms -verify -binary -content served.json -in served.p7s -inform PEM -CAfile pki/ca.pem -out /dev/null
check "and with GnuTLS's certtool" certtool --p7-verify --load-ca-certificate pki/ca.pem --load-data served.json --infile served.p7s
printf ' ' >>served.json
check "and fails for a changed document" bash -c "! openssl cms -verify -binary -content served.json -in served.p7s -inform PEM -CAfile pki/ca.pem -out /dev/null 2>/dev/null"
curl -s -o served.json "$BASE$P"
eq "index.txt lists it" "$(curl -s "$BASE/.well-known/csaf/white/index.txt")" "$(date -u +%Y)/c5-2026-0001.json"
eq "changes.csv with its current release date" "$(curl -s "$BASE/.well-known/csaf/white/changes.csv")" "\"$(date -u +%Y)/c5-2026-0001.json\",\"$(json 'd["document"]["tracking"]["current_release_date"]' <served.json)\""
eq "the feed's updated date is the document's" "$(json 'd["feed"]["entry"][0]["updated"]' <white.json)" "$(json 'd["document"]["tracking"]["current_release_date"]' <served.json)"

# GREEN: members only
for f in feed-tlp-green.json green/index.txt green/changes.csv "green/$(date -u +%Y)/c5-2026-0002.json"; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/.well-known/csaf/$f")
	[ "$code" = 404 ] || echo "served without sign-in: $f ($code)"
done >green-anon.txt
eq "nothing GREEN without a credential (feed, index, changes, document)" "$(cat green-anon.txt)" ""
eq "a bad token is no credential" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer c5h_nope' "$BASE/.well-known/csaf/feed-tlp-green.json")" 404
eq "a member's token reads the GREEN feed" "$(curl -s -o green.json -w '%{http_code}' -H "Authorization: Bearer $READER" "$BASE/.well-known/csaf/feed-tlp-green.json")" 200
GP=$(json 'd["feed"]["entry"][0]["content"]["src"]' <green.json); GP=${GP#http://127.0.0.1:$PORT}
eq "and the GREEN document" "$(curl -s -o served-green.json -w '%{http_code}' -H "Authorization: Bearer $READER" "$BASE$GP")" 200
eq "the public page of the CLEAR one" "$(curl -s -o page.html -w '%{http_code}' "$BASE/advisories/C5-2026-0001")" 200
has "shows its score" "$(cat page.html)" "9.8 CRITICAL"
has "the portal's search finds it (gw index)" "$(curl -s "$BASE/search?q=parser")" "/advisories/C5-2026-0001"
out=$(curl -s "$BASE/search?q=gateways"); case $out in *C5-2026-0002*) fail "GREEN is not in the public search" ;; *) pass "GREEN is not in the public search" ;; esac
has "the portal's home lists the latest advisory" "$(curl -s "$BASE/")" "Widget: remote code execution"
eq "the GREEN one has no public page" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/advisories/C5-2026-0002")" 404

# every served document: the OASIS schema and the reference validator
out=$("$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" csaf served.json served-green.json 2>&1); rc=$?
eq "every served document is valid by the OASIS CSAF schema" "$rc" 0
out=$(node "$VALIDATOR" served.json served-green.json 2>&1); rc=$?
eq "and passes the validator-lib's schema and mandatory tests" "$rc" 0
[ "$rc" = 0 ] || echo "$out"

# the API
out=$(api "$READER" POST /api/v1/advisories '{"id":"X-1","title":"t","category":"csaf_base"}')
has "a reader may not write" "$out" "403"
out=$(api "$MEMBER_ANALYST" POST /api/v1/advisories '{"id":"X-1","title":"t","category":"csaf_base"}')
has "nor another organisation's analyst" "$out" "403"
out=$(api "$ANALYST" POST /api/v1/advisories '{"id":"C5-2026-0003","title":"t","summary":"s","products":[{"vendor":"a","name":"b"}],"vulnerabilities":[{"title":"v","cvss_vector":"CVSS:3.1/AV:N/AC:L","products":["CSAFPID-0001"]}]}')
has "a bad vector is refused naming its field" "$out" "/vulnerabilities/0/cvss_vector"
out=$(api "$ANALYST" POST /api/v1/advisories '{"id":"C5-2026-0003","title":"API notice","category":"csaf_base","tlp":"GREEN"}')
has "the hub's analyst writes one" "$out" "201"
out=$(api "$ANALYST" POST /api/v1/advisories/C5-2026-0003/publish '{"summary":"First"}')
has "and publishes it" "$out" '"version":1'
out=$(api "$READER" GET /api/v1/advisories/C5-2026-0003); has "a member reads a GREEN one" "$out" "200"
out=$(api "$READER" GET /api/v1/advisories); has "the list has it" "$out" "C5-2026-0003"
# every document the feeds list, fetched as a member: all valid
curl -s -H "Authorization: Bearer $READER" "$BASE/.well-known/csaf/feed-tlp-green.json" >green2.json
k=0
for u in $(json '" ".join(e["content"]["src"] for e in d["feed"]["entry"])' <green2.json) $(json '" ".join(e["content"]["src"] for e in d["feed"]["entry"])' <white.json); do
	k=$((k + 1)); curl -s -H "Authorization: Bearer $READER" -o "all-$k.json" "$u"
done
eq "the feeds list the three published documents" "$k" 3
out=$(node "$VALIDATOR" all-*.json 2>&1); rc=$?
eq "each passes the validator-lib's mandatory tests" "$rc" 0
[ "$rc" = 0 ] || echo "$out"
out=$(curl -s -H "Authorization: Bearer $READER" -H "Accept: application/taxii+json;version=2.1" "$BASE/taxii2/api1/collections/$COL/objects/?match%5Btype%5D=report")
has "the reports are in the TAXII collection \"advisories\"" "$out" '"external_id":"C5-2026-0001"' 
stop_server

# import: every example; a bad document names its path, stores nothing
n=0
for f in "$SCHEMAS"/examples/*.json; do
	grep -q '"csaf_version"' "$f" || continue
	"$C5" ingest --format csaf "$f" >/dev/null 2>&1 && n=$((n + 1))
done
eq "every CSAF example imports (bsi, cisco, rhsa)" "$n" 3
# by URL: a peer's documents over HTTP (a web server on loopback)
mkdir -p peer && python3 "$ROOT/tests/tools/csaf_peer.py" peer >peer.port 2>/dev/null &
PEER=$!
for _ in $(seq 1 100); do [ -s peer.port ] && break; sleep 0.05; done
"$C5" advisory export C5-2026-0001 | sed 's/"C5-2026-0001"/"PEER-2026-0001"/' >peer/peer.json
out=$("$C5" ingest --format csaf "http://127.0.0.1:$(cat peer.port)/peer.json" 2>&1)
has "a document is imported from a URL" "$out" "advisory PEER-2026-0001 version 2 kept (mirror)"
out=$("$C5" ingest --format csaf "http://127.0.0.1:$(cat peer.port)/missing.json" 2>&1)
has "a missing one is named with its status" "$out" "HTTP status 404"
kill "$PEER"; wait "$PEER" 2>/dev/null
eq "kept as mirrors" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM advisories WHERE mirror = 1')" 4
out=$("$C5" ingest --format csaf "$SCHEMAS/examples/bsi-2022-0001.json" 2>&1)
has "the same version again is refused" "$out" "held already"
python3 - "$SCHEMAS/examples/cisco-sa-20180328-smi2.json" >bad.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["document"]["tracking"]["id"] = "bad-1"
d["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = 5.0
print(json.dumps(d))
PY
before=$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM advisories')
out=$("$C5" ingest --format csaf bad.json 2>&1); rc=$?
eq "a wrong base score is refused" "$rc" 2
has "naming the JSON path" "$out" "/vulnerabilities/0/scores/0/cvss_v3/baseScore"
eq "and nothing is stored" "$(sqlite3 "$C5HUB_DB" 'SELECT count(*) FROM advisories')" "$before"

# the hub as a CSAF aggregator (CSAF 2.0 7.1.21-23): the mirrors re-served
# under /.well-known/csaf-aggregator/, a folder per issuing party; and the
# ROLIE service and category documents (7.1.16-17)
python3 - "$SCHEMAS/examples/bsi-2022-0001.json" >green-peer.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["document"]["tracking"]["id"] = "GP-2026-0001"
d["document"]["publisher"]["name"] = "Green Peer CERT"
d["document"]["distribution"]["tlp"]["label"] = "GREEN"
print(json.dumps(d, indent=2))
PY
check "a GREEN document of another party imports" "$C5" ingest --format csaf green-peer.json
eq "a mirror keeps its publisher with its fields" "$(sqlite3 "$C5HUB_DB" "SELECT json_extract(data, '\$.publisher.name') FROM advisories WHERE tracking_id = 'GP-2026-0001'")" "Green Peer CERT"
# one mirror as imported before the publisher was kept: its document is read
sqlite3 "$C5HUB_DB" "UPDATE advisories SET data = json_remove(data, '\$.publisher') WHERE tracking_id = 'RHSA-2021:5186'"
start_server
AGG=$BASE/.well-known/csaf-aggregator
eq "aggregator.json is served" "$(curl -s -o agg.json -w '%{http_code}' "$AGG/aggregator.json")" 200
check "and valid by the OASIS aggregator schema" "$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" aggregator agg.json
eq "it lists the hub's own provider-metadata.json as a provider" "$(json '" ".join(p["metadata"]["role"] + " " + p["metadata"]["url"] for p in d["csaf_providers"])' <agg.json)" "csaf_provider $BASE/.well-known/csaf/provider-metadata.json"
eq "and each mirrored party (CLEAR) as a publisher with its mirror" "$(json '"|".join(sorted(p["metadata"]["publisher"]["name"] for p in d["csaf_publishers"]))' <agg.json)" "Bundesamt für Sicherheit in der Informationstechnik|Cisco PSIRT|Red Hat Product Security|hub"
eq "each mirror is a folder of the aggregator's (7.1.23)" "$(json '" ".join(str(p["mirrors"][0].startswith(d["canonical_url"][:-len("aggregator.json")]) and p["mirrors"][0] == p["metadata"]["url"]) for p in d["csaf_publishers"])' <agg.json)" "True True True True"
# walk every mirror as a CSAF tool does: provider-metadata.json -> feeds -> documents
: >walk.txt; k=0
for pm in $(json '" ".join(p["mirrors"][0] for p in d["csaf_publishers"])' <agg.json); do
	k=$((k + 1))
	curl -s -o "mpm-$k.json" "$pm"
	feed=$(json 'd["distributions"][0]["rolie"]["feeds"][0]["url"]' <"mpm-$k.json")
	curl -s -o "mfeed-$k.json" "$feed"
	for u in $(json '" ".join(l["href"] for e in d["feed"]["entry"] for l in e["link"])' <"mfeed-$k.json"); do
		f=mdoc-$k-$(basename "$u"); echo "$(curl -s -o "$f" -w '%{http_code}' "$u") $f" >>walk.txt
	done
done
check "each mirror's provider-metadata.json is valid by the provider schema" "$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" provider mpm-1.json mpm-2.json mpm-3.json mpm-4.json
eq "its feed lists its documents, each with its hash and signature, all served (4 documents, 12 files)" "$(grep -c '^200 ' walk.txt) $(grep -vc '^200 ' walk.txt)" "12 0"
out=$("$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" csaf mdoc-*.json 2>&1); rc=$?
eq "every mirrored document served is valid by the OASIS CSAF schema" "$rc" 0
[ "$rc" = 0 ] || echo "$out"
out=$(node "$VALIDATOR" mdoc-*.json 2>&1); rc=$?
eq "and passes the validator-lib's mandatory tests" "$rc" 0
[ "$rc" = 0 ] || echo "$out"
RH=$AGG/Red_Hat_Product_Security/white/2021/rhsa-2021_5186.json
curl -s -o rh.json "$RH"
cmp -s rh.json "$SCHEMAS/examples/rhsa-2021_5186.json"; eq "a mirrored document is served as it came (the same bytes)" "$?" 0
eq "its .sha256 and .sha512 match" "$(curl -s "$RH.sha256" | cut -d' ' -f1) $(curl -s "$RH.sha512" | cut -d' ' -f1)" "$(sha256sum rh.json | cut -d' ' -f1) $(sha512sum rh.json | cut -d' ' -f1)"
curl -s -o rh.p7s "$RH.p7s"
check "its signature is the hub's, made at import (openssl, the hub's CA)" openssl cms -verify -binary -content rh.json -in rh.p7s -inform PEM -CAfile pki/ca.pem -out /dev/null
eq "the mirror's index.txt and changes.csv" "$(curl -s "$AGG/Red_Hat_Product_Security/white/index.txt") $(curl -s "$AGG/Red_Hat_Product_Security/white/changes.csv")" '2021/rhsa-2021_5186.json "2021/rhsa-2021_5186.json","2021-12-16T22:34:00Z"'
# GREEN mirrors: members only
GPF=$AGG/Green_Peer_CERT
for f in provider-metadata.json feed-tlp-green.json feed-tlp-white.json green/index.txt green/2022/gp-2026-0001.json green/2022/gp-2026-0001.json.sha512 green/2022/gp-2026-0001.json.p7s; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$GPF/$f")
	[ "$code" = 404 ] || echo "served without sign-in: $f ($code)"
done >green-agg.txt
eq "nothing of a GREEN mirror without a credential (metadata, feeds, index, document, hash, signature)" "$(cat green-agg.txt)" ""
case $(cat agg.json) in *"Green Peer"*) fail "aggregator.json names no GREEN-only party without a credential" ;; *) pass "aggregator.json names no GREEN-only party without a credential" ;; esac
eq "a bad token is no credential" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer c5h_nope' "$GPF/feed-tlp-green.json")" 404
curl -s -H "Authorization: Bearer $READER" -o agg-member.json "$AGG/aggregator.json"
has "a member's aggregator.json lists it" "$(cat agg-member.json)" "Green Peer CERT"
check "still valid by the aggregator schema" "$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" aggregator agg-member.json
GU=$(curl -s -H "Authorization: Bearer $READER" "$GPF/feed-tlp-green.json" | json 'd["feed"]["entry"][0]["content"]["src"]')
eq "a member reads its feed and document" "$(curl -s -o gp.json -w '%{http_code}' -H "Authorization: Bearer $READER" "$GU")" 200
cmp -s gp.json green-peer.json; eq "the same bytes as imported" "$?" 0
eq "a party the hub does not mirror is 404" "$(curl -s -o /dev/null -w '%{http_code}' "$AGG/Nobody/provider-metadata.json")" 404
eq "nor is anything outside the folders served" "$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$AGG/Red_Hat_Product_Security/../../csaf/green/index.txt")" 404
# ROLIE: the service document and the category documents
curl -s -o pm2.json "$BASE/.well-known/csaf/provider-metadata.json"
check "provider-metadata.json with its service and category documents is valid by its schema" "$PY" "$ROOT/tests/tools/csaf_schema.py" "$SCHEMAS" provider pm2.json
SVC=$(json 'd["distributions"][0]["rolie"]["services"][0]' <pm2.json)
eq "it links service.json next to it" "$SVC" "$BASE/.well-known/csaf/service.json"
curl -s -o svc.json "$SVC"
eq "the service document lists both feeds (RFC 8322)" "$(json '" ".join(c["href"] for w in d["service"]["workspace"] for c in w["collection"])' <svc.json)" "$(json '" ".join(f["url"] for f in d["distributions"][0]["rolie"]["feeds"])' <pm2.json)"
eq "each collection of information type csaf" "$(json '" ".join(c["categories"]["category"][0]["scheme"] + "=" + c["categories"]["category"][0]["term"] for w in d["service"]["workspace"] for c in w["collection"])' <svc.json)" "urn:ietf:params:rolie:category:information-type=csaf urn:ietf:params:rolie:category:information-type=csaf"
CW=$(json 'd["distributions"][0]["rolie"]["categories"][0]' <pm2.json)
eq "the category document of the public feed: vendors and products" "$(curl -s "$CW" | json '"|".join(c["term"] for c in d["categories"]["category"])')" "Acme|Acme Widget|Other|Other Gadget"
eq "the feed's entries carry those categories" "$(curl -s "$BASE/.well-known/csaf/feed-tlp-white.json" | json '"|".join(c["term"] for c in d["feed"]["entry"][0]["category"])')" "Acme|Acme Widget|Other|Other Gadget"
eq "the GREEN category document without a credential: 404" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/.well-known/csaf/category-tlp-green.json")" 404
eq "with a member's token: 200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $READER" "$BASE/.well-known/csaf/category-tlp-green.json")" 200
# directory listings (7.1.14): the directory_url, each year, every file of index.txt
DIRU=$(json 'd["distributions"][0]["directory_url"]' <pm2.json)
has "the directory is listed" "$(curl -s "$DIRU")" "<a href=\"$(date -u +%Y)/\">"
Y=$(curl -s "$DIRU$(date -u +%Y)/")
miss=; for f in $(curl -s "${DIRU}index.txt"); do for x in "" .sha256 .sha512 .p7s; do case $Y in *"href=\"$(basename "$f")$x\""*) ;; *) miss="$miss $f$x" ;; esac; done; done
eq "its year lists every document of index.txt with its hashes and signature" "$miss" ""
has "a mirror's directory too" "$(curl -s "$AGG/Red_Hat_Product_Security/white/2021/")" '<a href="rhsa-2021_5186.json.sha512">'
eq "no GREEN listing without a credential" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/.well-known/csaf/green/") $(curl -s -o /dev/null -w '%{http_code}' "$BASE/.well-known/csaf/green/$(date -u +%Y)/") $(curl -s -o /dev/null -w '%{http_code}' "$GPF/green/2022/")" "404 404 404"
stop_server
