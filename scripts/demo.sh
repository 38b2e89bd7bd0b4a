#!/usr/bin/env bash
# demo.sh — a fresh demo database from data/demo/, two API tokens, and the hub
# serving on 127.0.0.1 (PORT, default 8080), its e-mail going to a local mail
# sink that keeps each message in demo/mail/.  Stop it with Ctrl-C.
set -eu
cd "$(dirname "$0")/.."
C5=$PWD/build/c5hub
PORT=${PORT:-8080}
rm -rf demo && mkdir -p demo
export C5HUB_DB=$PWD/demo/c5hub.db
$C5 init --hub-name "Demo National CIRT" --country ZZ
$C5 org add "Demo Telecom" --type private-sector --country ZZ
$C5 org add "Ministry of ICT" --type government --country ZZ
$C5 ingest --source demo-c2 --tlp green --classification malicious-code/c2-server data/demo/c2-servers.txt
$C5 ingest --source demo-drop --tlp clear --classification other/undetermined data/demo/hijacked-prefixes.txt
$C5 ingest --source demo-phish --tlp green --classification fraud/phishing data/demo/phishing.txt
$C5 ingest --source demo-malware --tlp amber data/demo/malware.csv
$C5 ingest --source telecom-honeypot --org "Demo Telecom" --tlp amber --classification intrusion-attempts/brute-force data/demo/ssh-bruteforce.txt
$C5 constituency import --create-orgs data/demo/constituency.csv
$C5 notify set "Demo Telecom" --frequency immediate >/dev/null
$C5 feed add demo-urlhaus --path data/demo/urlhaus.csv --format urlhaus --every 1h
$C5 feed run demo-urlhaus
COLL=$($C5 taxii collection add demo-shared --title "Demo shared intelligence" --read all --write "Demo Telecom")
$C5 ingest --format stix --tlp green --collection demo-shared data/demo/advisory.stix.json
$C5 ingest --format iodef --org "Demo Telecom" data/demo/incident.iodef.xml
# the hub's own CA (signs the advisories), an advisory, the gateway's first
# items, a reported incident and a self-assessment to answer
$C5 pki init --dir demo/pki --name "Demo National CIRT" >/dev/null
$C5 advisory new data/demo/advisory.csaf-input.json >/dev/null
$C5 advisory publish DEMO-2026-0001 >/dev/null
GWE=$($C5 gw entry add --kind team --name "Demo National CIRT" --stakeholder government --country GH \
	--areas technical,cooperation --email cirt@hub.demo \
	--description "The national team: incident response, early warning and advisories for the country.")
$C5 gw entry approve "$GWE" >/dev/null
$C5 gw news add --title "The national CIRT opens its gateway" --areas cooperation \
	--body "Resources, advisories and the directory of the country's actors, in one place." >/dev/null
GWR=$($C5 gw resource add --type guide --title "Securing a small organisation's e-mail" --areas technical \
	--summary "Ten steps: SPF, DKIM, DMARC, and what to do with the reports." --lang en --tlp clear)
$C5 gw resource approve "$GWR" >/dev/null
$C5 case new --title "Phishing of Demo Telecom's customers" --org "Demo Telecom" --classification fraud/phishing \
	--severity high --observable 'hxxp://login.telecom-demo-secure[.]example/' \
	--body "Reported by the telecom's SOC: an SMS campaign sends customers to a copy of the login page." >/dev/null
$C5 assess questionnaire load default >/dev/null
$C5 assess new "Demoland" --period 2026 --tlp amber >/dev/null
$C5 assess answer 1 --hub >/dev/null
ADMIN=$($C5 token create --role admin --label demo-admin 2>/dev/null)
READER=$($C5 token create --org "Demo Telecom" --role reader --label demo-reader 2>/dev/null)
# people for the web console (demo passwords, printed below; a real hub sends enrolment links)
PW=demo-passphrase-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
$C5 user add analyst@hub.demo --org "Demo National CIRT" --role analyst >/dev/null 2>&1 || true
$C5 user add soc@telecom.demo --org "Demo Telecom" --role reader >/dev/null 2>&1 || true
echo "$PW" | $C5 user password analyst@hub.demo >/dev/null
echo "$PW" | $C5 user password soc@telecom.demo >/dev/null
# a local mail sink: the notices are sent, and land in demo/mail/N.eml
python3 scripts/mailsink.py demo/mailsink.port demo/mail &
SINK=$!
trap 'kill $SINK 2>/dev/null' EXIT
for _ in $(seq 1 100); do [ -s demo/mailsink.port ] && break; sleep 0.05; done
SMTP=smtp://127.0.0.1:$(cat demo/mailsink.port)
echo "$ADMIN" >demo/admin.token
echo "$READER" >demo/reader.token
cat <<TXT

The public Cybersecurity Gateway: http://127.0.0.1:$PORT/ (directory, resources, advisories)
The web console: http://127.0.0.1:$PORT/console — sign in as
  analyst@hub.demo  (the hub's analyst)        password $PW
  soc@telecom.demo  (a reader of Demo Telecom) password $PW

Demo tokens (also in demo/*.token):
  admin  (hub):          $ADMIN
  reader (Demo Telecom): $READER
Try:
  curl -H "Authorization: Bearer $ADMIN" 'http://127.0.0.1:$PORT/api/v1/lookup?value=203.0.113.23'
  curl -H "Authorization: Bearer $ADMIN" 'http://127.0.0.1:$PORT/api/v1/lookup?value=login.secure-bank.example'
  curl -H "Authorization: Bearer $ADMIN" 'http://127.0.0.1:$PORT/api/v1/reputation/203.0.113.10'
  curl -H "Authorization: Bearer $ADMIN" 'http://127.0.0.1:$PORT/api/v1/constituency/who?value=203.0.113.10'
  curl -H "Authorization: Bearer $ADMIN" 'http://127.0.0.1:$PORT/api/v1/feeds'
  curl -H "Authorization: Bearer $READER" -H 'Accept: application/taxii+json;version=2.1' 'http://127.0.0.1:$PORT/taxii2/api1/collections/$COLL/objects/'
  C5HUB_DB=demo/c5hub.db build/c5hub export --format stix --org "Demo Telecom"   # a STIX 2.1 bundle
  C5HUB_DB=demo/c5hub.db build/c5hub export --format iodef --org "Demo Telecom"  # IODEF 2
  curl -N -H "Authorization: Bearer $READER" 'http://127.0.0.1:$PORT/api/v1/stream'     # live warnings
  curl -H "Authorization: Bearer $ADMIN" -d '{"title":"Mozi botnet spreading","classification":"malicious-code/infected-system","severity":"high","audience":"Demo Telecom","observables":["203.0.113.45"]}' 'http://127.0.0.1:$PORT/api/v1/warnings'
  C5HUB_DB=demo/c5hub.db build/c5hub case list              # the reported incident (also in the console)
  curl http://127.0.0.1:$PORT/.well-known/csaf/provider-metadata.json     # the hub as a CSAF provider
  C5HUB_DB=demo/c5hub.db build/c5hub assess results 1       # the self-assessment (answer it in the console)
  C5HUB_DB=demo/c5hub.db build/c5hub notify log      # reports per constituent; the mails are in demo/mail/
  C5HUB_DB=demo/c5hub.db build/c5hub lookup 198.51.100.23
  C5HUB_DB=demo/c5hub.db build/c5hub lookup e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
      (a hash reported in October: its score has decayed to 0)

E-mail goes to a local mail sink ($SMTP): each message is a file in demo/mail/.

TXT
$C5 serve --http 127.0.0.1:$PORT --smtp "$SMTP"
