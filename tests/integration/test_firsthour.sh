#!/usr/bin/env bash
# test_firsthour.sh — what a new operator does in the first hour, from a
# fresh database: the traps that used to fail silently (empty exports, typed
# names, notices that never leave, feeds read as nothing), forgiving input
# (byte-order marks, defanged values), help on every command.
. "$(dirname "$0")/lib.sh"
plan 221
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FEEDS=${TESTDATA:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/testdata}/feeds

"$C5" init >/dev/null

# ---- an export left empty by its TLP says why ----
printf '198.51.100.7\n198.51.100.8\n203.0.113.9\n' >"$WORK/a.txt"
"$C5" ingest --classification malicious-code/c2-server "$WORK/a.txt" >/dev/null
printf '192.0.2.44\n' >"$WORK/s.txt"
"$C5" ingest --tlp amber+strict "$WORK/s.txt" >/dev/null
for f in plain csv rbldnsd suricata-iprep zeek-intel rpz; do
	t=; [ $f = rbldnsd ] && t="--type ipv4-addr"
	"$C5" export --format $f $t >"$WORK/out" 2>"$WORK/err"; rc=$?
	eq "export $f (default green) exits 0" "$rc" 0
	has "export $f says how many AMBER values were left out" "$(cat "$WORK/err")" \
		"3 more at AMBER: add --tlp-max amber"
	has "export $f names amber+strict too" "$(cat "$WORK/err")" "1 more at AMBER+STRICT: add --tlp-max amber+strict"
done
eq "plain export is empty" "$(cat "$WORK/out" | grep -c 198.51 || true)" 0
"$C5" export --format plain --output "$WORK/x.txt" 2>"$WORK/err"
has "export --output says it too" "$(cat "$WORK/err")" "3 more at AMBER"
"$C5" export --format plain --tlp-max amber >"$WORK/out" 2>"$WORK/err"
eq "--tlp-max amber writes them" "$(wc -l <"$WORK/out")" 3
case "$(cat "$WORK/err")" in *"at AMBER:"*) fail "no AMBER hint at --tlp-max amber" ;; *) pass "no AMBER hint once asked for" ;; esac
has "still the AMBER+STRICT hint" "$(cat "$WORK/err")" "1 more at AMBER+STRICT"
"$C5" export --format plain --tlp-max amber+strict >/dev/null 2>"$WORK/err"
eq "nothing withheld: stderr is quiet" "$(cat "$WORK/err")" ""

# ---- typed names are refused, with the known ones ----
"$C5" org add "Telco GH" --type private-sector --country GH >/dev/null
out=$("$C5" warn --title "Test" --classification malicious-code/c2-server --audience NoSuchOrg 2>&1); rc=$?
eq "warn to an unknown audience fails" "$rc" 2
has "...naming it and the known ones" "$out" "no organisation named 'NoSuchOrg' (known: "
has "...Telco GH among them" "$out" "'Telco GH'"
out=$("$C5" warn --title "Test" --classification malicious-code/c2-server --audience "telco gh,Telko GH" 2>&1)
has "a typo of a known name: did you mean" "$out" "no organisation named 'Telko GH': did you mean 'Telco GH'?"
out=$("$C5" warn --title "Test" --classification malicious-code/c2-server --audience type:pirates 2>&1)
has "an unknown organisation type is refused" "$out" "unknown organisation type 'pirates'"
eq "no warning was recorded" "$(sqlite3 "$C5HUB_DB" 'select count(*) from warnings')" 0
out=$("$C5" trust set source nosuchsource 50 2>&1); rc=$?
eq "trust for an unknown source fails" "$rc" 2
has "...naming the known sources" "$out" "no feed or indicators come from a source named 'nosuchsource' (known: 'a', 's')"
eq "...and sets nothing" "$("$C5" trust list | grep -c nosuchsource)" 0
has "a source's typo: did you mean" "$("$C5" trust set source ss 50 2>&1)" "did you mean 's'?"
out=$("$C5" trust set source a 50); rc=$?
eq "a known source is fine" "$rc" 0
out=$("$C5" trust set source future-feed 40 --new); rc=$?
eq "--new trusts a source still to come" "$rc" 0
has "...and says so" "$out" "source 'future-feed' is new to the hub"
has "...audited" "$("$C5" audit list)" "(new source)"
printf 'organisation,resource,abuse_contact\nTelco GH,198.18.0.0/16,abuse@telco.example\nTelko GH,198.19.0.0/16,abuse@telco.example\n' >"$WORK/cons.csv"
out=$("$C5" constituency import "$WORK/cons.csv" 2>&1); rc=$?
eq "a constituency row naming an unknown organisation is refused" "$rc" 2
has "...with the file, line and known names" "$out" "cons.csv:3: no organisation named 'Telko GH': did you mean 'Telco GH'? (known: "
case "$("$C5" org list)" in *"Telko GH"*) fail "the typo made an organisation" ;; *) pass "the typo made no organisation" ;; esac
out=$("$C5" constituency import --create-orgs "$WORK/cons.csv" 2>&1); rc=$?
eq "--create-orgs creates it" "$rc" 0
has "...and prints the creation" "$out" "cons.csv:3: created organisation 'Telko GH' (private-sector,"
has "...and audits it" "$("$C5" audit list)" "orgs.add"

# ---- notices with no SMTP server wait; --flush sends them once there is one ----
out=$("$C5" warn --title "C2 seen" --classification malicious-code/c2-server --audience "Telco GH" 2>&1); rc=$?
eq "warn with no SMTP server: exit 1 (not sent)" "$rc" 1
has "...says the e-mail waits" "$out" "1 e-mail deliveries wait: no SMTP server is configured"
q() { sqlite3 "$C5HUB_DB" "$1"; }
eq "the delivery is pending with no attempt counted" "$(q "select state, attempts from deliveries")" "pending|0"
for k in 1 2 3 4 5 6; do "$C5" notify run --flush >/dev/null 2>"$WORK/err"; done
eq "runs without SMTP never give it up" "$(q "select state, attempts from deliveries")" "pending|0"
has "...and say where it waits" "$(cat "$WORK/err")" "wait in the store: no SMTP server is configured"
has "notify log shows why" "$("$C5" notify log)" "waiting: no SMTP server configured"
python3 "$SRC/scripts/mailsink.py" "$WORK/sink.port" "$WORK/mail" &
SINK=$!
for _ in $(seq 1 100); do [ -s "$WORK/sink.port" ] && break; sleep 0.05; done
out=$("$C5" notify run --flush --smtp "smtp://127.0.0.1:$(cat "$WORK/sink.port")" 2>&1); rc=$?
eq "--flush with an SMTP server sends the waiting delivery" "$rc" 0
has "...1 sent" "$out" "1 sent, 0 to retry, 0 failed"
eq "...as one mail to the constituent" "$(grep -l '^To: abuse@telco.example' "$WORK"/mail/*.eml | wc -l)" 1
eq "...state sent, one attempt" "$(q "select state, attempts from deliveries")" "sent|1"
eq "the sender is made from the hub's name, not c5hub@localhost" "$(grep -h '^From:' "$WORK"/mail/1.eml | tr -d '\r')" "From: \"hub\" <hub@$(hostname)>"
has "init --notify-from sets the sender" "$("$C5" init --notify-from cirt@gh-cirt.example)" "notices are sent from cirt@gh-cirt.example"
has "...a bad one is refused" "$("$C5" init --notify-from 'not an address' 2>&1)" "--notify-from: not an e-mail address"
"$C5" warn --title "Second" --classification malicious-code/c2-server --audience "Telco GH" \
	--smtp "smtp://127.0.0.1:$(cat "$WORK/sink.port")" >/dev/null 2>&1
eq "...and the next mail comes from it" "$(grep -h '^From:' "$WORK"/mail/2.eml | tr -d '\r')" 'From: "hub" <cirt@gh-cirt.example>'
kill "$SINK"; wait "$SINK" 2>/dev/null

# ---- feeds: the DShield, DataPlane and Spamhaus CERT layouts; a run that read nothing is not ok ----
mkdir -p "$WORK/feeds" "$WORK/elsewhere"
cp "$FEEDS/dshield-block.txt" "$FEEDS/dataplane-sshpwauth.txt" "$FEEDS/spamhaus-cert.txt" "$WORK/feeds/"
cd "$WORK/feeds"
check "feed add with a relative --path" "$C5" feed add dshield --path dshield-block.txt --format dshield
"$C5" feed add dataplane --path ./dataplane-sshpwauth.txt --format dataplane >/dev/null
"$C5" feed add cert --path spamhaus-cert.txt --format spamhaus-cert >/dev/null
"$C5" feed add wrong --path dshield-block.txt --format list >/dev/null
"$C5" feed add later --path not-yet.txt --format list >/dev/null
eq "the path is stored absolute" "$(q "select path from feeds where name = 'dshield'")" "$WORK/feeds/dshield-block.txt"
eq "...also for a file still to come" "$(q "select path from feeds where name = 'later'")" "$WORK/feeds/not-yet.txt"
cd "$WORK/elsewhere"
has "a feed that never ran is not ok" "$("$C5" feed list | grep '^dshield ')" " never "
out=$("$C5" feed run dshield 2>&1); rc=$?
eq "feed run from another directory works" "$rc" 0
has "DShield: the two /24 blocks" "$out" "feed dshield: 2 records"
has "...as prefixes" "$("$C5" lookup 43.229.53.7 2>&1)" "43.229.53.0/24"
out=$("$C5" feed run dataplane 2>&1)
has "DataPlane: three addresses (an AS name with '|' too)" "$out" "feed dataplane: 3 records"
has "...classed brute force" "$("$C5" lookup 117.21.224.121 2>&1)" "intrusion-attempts/brute-force"
out=$("$C5" feed run cert 2>&1)
has "Spamhaus CERT: every bot line read" "$out" "feed cert: 19 records"
has "...0 skipped" "$out" "0 skipped"
out=$("$C5" feed run wrong 2>&1); rc=$?
eq "a run that skipped every line exits 1" "$rc" 1
has "...and says so" "$out" "every line was skipped; is --format list right for it?"
list=$("$C5" feed list)
has "feed list: skipped every line is not ok" "$(echo "$list" | grep '^wrong ')" " SKIPPED "
has "feed list: the good ones are ok" "$(echo "$list" | grep '^dshield ')" " ok "
has "feed list: never run" "$(echo "$list" | grep '^later ')" " never "
eq "feed list --json: states" "$("$C5" feed list --json | json '",".join(f["name"]+"="+f["state"] for f in d if isinstance(d, list)) if isinstance(d, list) else ",".join(f["name"]+"="+f["state"] for f in d["feeds"])')" \
	"cert=ok,dataplane=ok,dshield=ok,later=never,wrong=SKIPPED"
eq "feed list --json: RFC 3339 times" "$("$C5" feed list --json | json '[f for f in (d if isinstance(d, list) else d["feeds"]) if f["name"]=="dshield"][0]["last_ok"][10:11] + [f for f in (d if isinstance(d, list) else d["feeds"]) if f["name"]=="later"][0]["last_ok"]')" "T"
cd "$OLDPWD"

# ---- serve --config: a bad value names the file and line; a BOM and CRLF are fine ----
printf '\357\273\277# the hub\r\nhttp = 127.0.0.1:0\r\nmin-score = lots  \r\n' >"$WORK/serve.conf"
out=$("$C5" serve --config "$WORK/serve.conf" 2>&1); rc=$?
eq "a bad min-score in the file: exit 2" "$rc" 2
has "...naming the file and line" "$out" "$WORK/serve.conf:3: min-score must be a whole number from 0 to 100, not 'lots'"
printf 'http = 127.0.0.1:0\ntls = maybe\n' >"$WORK/serve.conf"
has "a flag's bad value names its line" "$("$C5" serve --config "$WORK/serve.conf" 2>&1)" "serve.conf:2: tls: give yes or no, not 'maybe'"
printf 'smtp = mail.example\n' >"$WORK/serve.conf"
has "a bad smtp names its line" "$("$C5" serve --config "$WORK/serve.conf" 2>&1)" "serve.conf:1: smtp: give smtp://HOST:PORT"
out=$("$C5" serve --min-score lots 2>&1)
has "on the command line: no file named" "$out" "serve: min-score must be"
printf '\357\273\277http = 127.0.0.1:0\r\nmin-score = 50   \r\nfeeds = no\r\n' >"$WORK/serve.conf"
start_server --config "$WORK/serve.conf"
has "a configuration with a byte-order mark, CRLF and trailing blanks serves" "$(cat "$WORK/serve.log")" "serving http://127.0.0.1:"
stop_server

# ---- forgiving input: a byte-order mark, CRLF and trailing blanks ----
printf '\357\273\277198.51.100.201  \r\n198.51.100.202\t\r\n  \r\n' >"$WORK/bom.txt"
out=$("$C5" ingest --tlp green "$WORK/bom.txt" 2>&1); rc=$?
eq "a list with a BOM, CRLF and trailing blanks loads" "$rc" 0
has "...both values" "$out" "2 indicators"
printf '\357\273\277value,classification \r\n198.51.100.203 ,malicious-code/c2-server  \r\n' >"$WORK/bom.csv"
out=$("$C5" ingest --tlp green "$WORK/bom.csv" 2>&1); rc=$?
eq "a CSV with a BOM loads (the header found)" "$rc" 0
has "...its value" "$("$C5" lookup --tlp-max green 198.51.100.203 2>&1)" "malicious-code/c2-server"
printf '\357\273\277organisation,resource,abuse_contact\r\nTelco GH,198.20.0.0/16,abuse@telco.example  \r\n' >"$WORK/bomcons.csv"
out=$("$C5" constituency import "$WORK/bomcons.csv" 2>&1); rc=$?
eq "a constituency file with a BOM imports" "$rc" 0
has "...the resource is Telco's" "$("$C5" constituency who 198.20.1.1)" "Telco GH"
printf '\357\273\277retry 10s\r\n' >"$WORK/notify.conf"
out=$("$C5" notify run --notify "$WORK/notify.conf" 2>&1)
case "$out" in *"unknown key"*|*"expected"*) fail "a notify file with a BOM: $out" ;; *) pass "a notify file with a BOM reads" ;; esac

# ---- defanged values, wherever a person pastes them ----
printf 'hxxp://evil[.]example/gate.php\nhXXps://bad(.)example[:]8443/x\n203.0.113[.]77\nphish[at]lure[.]example\n' >"$WORK/defanged.txt"
out=$("$C5" ingest --tlp green --classification fraud/phishing "$WORK/defanged.txt" 2>&1); rc=$?
eq "ingest reads defanged values" "$rc" 0
has "...all four" "$out" "4 indicators"
has "...and says they were refanged" "$out" "4 defanged values (hxxp://, [.], [at] ...) read refanged"
eq "stored refanged" "$(q "select value from indicators where value like '%example%' or value = '203.0.113.77' order by value" | tr '\n' ' ')" \
	"203.0.113.77 http://evil.example/gate.php https://bad.example:8443/x phish@lure.example "
out=$("$C5" lookup 'hxxp://evil[.]example/gate.php' 2>&1); rc=$?
eq "lookup of a defanged URL finds it" "$rc" 0
has "...with a note" "$out" "(defanged: looked up as http://evil.example/gate.php)"
has "lookup 203.0.113[.]77" "$("$C5" lookup '203.0.113[.]77' 2>&1)" "score"
"$C5" lookup '203.0.113[.]77' >/dev/null 2>&1; eq "...is listed (exit 0)" "$?" 0
eq "lookup --json marks it refanged" "$("$C5" lookup --json 'phish[at]lure[.]example' | json 'd[0]["canonical"], d[0]["refanged"]')" "phish@lure.example True"
out=$("$C5" warn --title "Phish" --classification fraud/phishing --audience "Telco GH" --observable 'hxxps://bad(.)example[:]8443/x' 2>&1)
has "warn --observable reads it refanged" "$out" "defanged, read as https://bad.example:8443/x"
eq "...stored refanged in the warning" "$(q "select observables from warnings order by id desc limit 1")" '[{"type":"url","value":"https://bad.example:8443/x"}]'
start_server --no-feeds
TOK=$("$C5" token create --role reader 2>/dev/null)
r=$(curl -s -H "Authorization: Bearer $TOK" "$BASE/api/v1/lookup?value=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("hxxp://evil[.]example/gate.php"))')")
eq "the look-up API reads it refanged" "$(echo "$r" | json 'd["canonical"], d["listed"], d.get("note")')" "http://evil.example/gate.php True defanged value, looked up refanged"
r=$(curl -s -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' --data-binary '{"values":["203.0.113[.]77"]}' "$BASE/api/v1/lookup")
has "...and the batch look-up" "$r" '"canonical":"203.0.113.77"'
WA=$("$C5" token create --role analyst 2>/dev/null)
r=$(api "$WA" POST /api/v1/warnings '{"title":"T","classification":"malicious-code/c2-server","severity":"high","audience":"NoSuchOrg"}')
eq "POST /api/v1/warnings to an unknown audience: 400" "${r%% *}" 400
has "...naming it and the known ones" "$r" "no organisation named 'NoSuchOrg' (known: "
stop_server

# ---- PKI: pending requests can be found; foreign subjects refused; revoke by any file; messages ----
cd "$WORK"
"$C5" pki init >/dev/null 2>&1
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout t.key -subj "/O=Telco GH/CN=noc.telco.example" -out t.csr 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout f.key -subj "/O=Other Org/CN=noc.telco.example" -out f.csr 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout n.key -subj "/CN=noc2.telco.example" -out n.csr 2>/dev/null
out=$("$C5" pki request --org "Telco GH" f.csr 2>&1); rc=$?
eq "a request naming another organisation is refused" "$rc" 2
has "...saying why" "$out" "names the organisation 'Other Org', but it is filed for 'Telco GH'"
id1=$("$C5" pki request --org "Telco GH" t.csr 2>/dev/null)
id2=$("$C5" pki request --org "Telco GH" --role contributor n.csr 2>/dev/null)
out=$("$C5" pki requests)
has "pki requests lists the pending ones" "$out" "Telco GH                 reader      pending   CN=noc.telco.example,O=Telco GH"
has "...both" "$out" "CN=noc2.telco.example"
"$C5" pki reject "$id2" >/dev/null
case "$("$C5" pki requests)" in *noc2*) fail "a rejected request is still listed as pending" ;; *) pass "a rejected request leaves the pending list" ;; esac
has "pki requests --all shows it" "$("$C5" pki requests --all)" "rejected"
out=$("$C5" pki reject 999 2>&1); rc=$?
eq "rejecting an unknown request fails" "$rc" 2
has "...saying it does not exist" "$out" "request 999 does not exist"
"$C5" pki approve "$id1" --out t.crt >/dev/null 2>&1
cp t.crt t.cer
out=$("$C5" pki revoke t.cer 2>&1); rc=$?
eq "pki revoke takes a .cer file" "$rc" 0
has "...by its serial" "$out" "revoked $(openssl x509 -in t.crt -noout -serial | cut -d= -f2 | tr A-F a-f)"
printf 'not a certificate\n' >junk.crt
has "a file with no certificate is said so" "$("$C5" pki revoke junk.crt 2>&1)" "junk.crt holds no PEM certificate"
printf 'advisory\n' >adv.txt
"$C5" pki sign adv.txt >/dev/null 2>&1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout o.key -subj "/CN=Other CA" -days 3 -out other.pem 2>/dev/null
out=$("$C5" pki verify adv.txt adv.txt.p7s --ca other.pem); rc=$?
eq "verify with the wrong CA exits 1" "$rc" 1
has "...saying the signer is not trusted by that CA" "$out" "NOT TRUSTED: the signature is intact, but its signer"
case "$out" in *"BAD signature"*) fail "a wrong CA is not a bad signature" ;; *) pass "a wrong CA is not called a bad signature" ;; esac
printf 'advisory!\n' >adv.txt
has "a changed file is still a BAD signature" "$("$C5" pki verify adv.txt adv.txt.p7s)" "BAD signature"
start_server --no-feeds
ADM=$("$C5" token create --role admin 2>/dev/null)
"$C5" org add "Bank Two" --type private-sector --country GH >/dev/null
id3=$("$C5" pki request --org "Bank Two" n.csr 2>/dev/null)
TEL=$("$C5" token create --org "Telco GH" --role admin 2>/dev/null)
id4=$("$C5" pki request --org "Telco GH" n.csr 2>/dev/null)
r=$(api "$ADM" GET /api/v1/pki/requests)
eq "GET /api/v1/pki/requests: the hub's administrators see every pending one" "$(echo "${r#* }" | json 'sorted(x["id"] for x in d["requests"])')" "[$id3, $id4]"
r=$(api "$TEL" GET /api/v1/pki/requests)
eq "...an organisation its own" "$(echo "${r#* }" | json '[x["id"] for x in d["requests"]]')" "[$id4]"
r=$(api "$TEL" GET "/api/v1/pki/requests?status=all")
eq "...?status=all: its decided ones too" "$(echo "${r#* }" | json 'sorted(x["status"] for x in d["requests"])')" "['approved', 'pending', 'rejected']"
stop_server
cd "$OLDPWD"

# ---- ingest --format stix|iodef DIR; incidents can be listed and named by evidence add ----
mkdir -p "$WORK/stixdir" "$WORK/iodefdir"
cp "$SRC/data/demo/advisory.stix.json" "$WORK/stixdir/a.json"
cat >"$WORK/stixdir/b.json" <<'JSON'
{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.250']","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z"}]}
JSON
printf 'not json, not read\n' >"$WORK/stixdir/notes.txt"
out=$("$C5" ingest --format stix --tlp green "$WORK/stixdir" 2>&1); rc=$?
eq "ingest --format stix DIR reads the directory" "$rc" 0
has "...a.json" "$out" "stixdir/a.json:"
has "...and b.json" "$out" "stixdir/b.json: 1 objects"
case "$out" in *notes.txt*) fail "a non-.json file was read" ;; *) pass "only the .json files" ;; esac
has "...its indicator is looked up" "$("$C5" lookup 198.51.100.250 2>&1)" "198.51.100.250"
mkdir -p "$WORK/empty"
out=$("$C5" ingest --format stix "$WORK/empty" 2>&1); rc=$?
eq "an empty directory is an error" "$rc" 1
has "...said so" "$out" "no .json files in this directory"
cp "$SRC/data/demo/incident.iodef.xml" "$WORK/iodefdir/"
out=$("$C5" ingest --format iodef --org "Telco GH" "$WORK/iodefdir" 2>&1); rc=$?
eq "ingest --format iodef DIR" "$rc" 0
out=$("$C5" incident list)
inc=$(echo "$out" | awk '/^incident--/ {print $1; exit}')
has "incident list shows the IODEF incident" "$out" "Telco GH"
has "...with its id" "$inc" "incident--"
printf 'pcap bytes\n' >"$WORK/ev.bin"
check "evidence add names it" "$C5" evidence add "$inc" "$WORK/ev.bin"

# ---- --help on every command and sub-command; the usage lists everything; the man page ----
while read -r cmd; do
	out=$($C5 $cmd --help 2>"$WORK/err"); rc=$?
	first=${cmd%% *}
	if [ "$rc" = 0 ] && case "$out" in "usage: c5hub $first"*) true ;; *) false ;; esac &&
		case "$out" in *"example:"*) true ;; *) false ;; esac && [ ! -s "$WORK/err" ]; then
		pass "c5hub $cmd --help: usage and an example on stdout, exit 0"
	else
		fail "c5hub $cmd --help (rc $rc, out '${out:0:80}', err '$(head -c 80 "$WORK/err")')"
	fi
done <<'CMDS'
init
ingest
ingest --format stix
lookup
trust
trust set source
org
org add
org policy
token
token create
token revoke
serve
export
pki
pki init
pki request
pki requests
pki approve
pki reject
pki revoke
pki verify
pki sign
pki renew
pki crl
pki list
constituency
constituency import
constituency who
feed
feed add
feed run
feed list
notify
notify run
notify log
notify set
warn
warninglists
taxii
taxii collection add
taxii poll
taxii push
taxii peer add
taxii sync
incident
incident list
evidence
evidence add
evidence get
audit
audit verify
CMDS
has "-h works too" "$("$C5" lookup -h)" "usage: c5hub lookup"
has "help COMMAND" "$("$C5" help feed)" "usage: c5hub feed add NAME"
u=$("$C5" help)
for want in "org policy NAME" "serve [--config FILE] [--http ADDR:PORT] [--tls]" "[--smtp smtp://HOST:PORT] [--notify FILE] [--sla FILE] [--no-feeds]" \
	"--role admin|analyst|contributor|reader|peer" "incident list" "pki request --org NAME [--role ROLE] CSR.pem | pki requests" \
	"constituency import [--create-orgs]" "trust set source NAME N [--new]" "dshield, dataplane"; do
	has "the usage lists: $want" "$u" "$want"
done
"$C5" >/dev/null 2>"$WORK/err"; eq "no command: exit 2" "$?" 2
has "...the usage on stderr" "$(cat "$WORK/err")" "usage: c5hub"
"$C5" help --man >"$WORK/c5hub.1"; eq "help --man" "$?" 0
has "the man page is roff" "$(head -1 "$WORK/c5hub.1")" ".TH C5HUB 1"
if command -v groff >/dev/null; then
	eq "groff finds nothing to warn about" "$(groff -man -Tutf8 -ww -z "$WORK/c5hub.1" 2>&1)" ""
	has "man -l renders it" "$(MANWIDTH=80 man -l "$WORK/c5hub.1" 2>/dev/null)" "c5hub pki request --org NAME"
fi

# ---- whoami names the organisation; token list names it and keeps a revoked token's label ----
T=$("$C5" token create --org "Telco GH" --role analyst --label noc-laptop 2>/dev/null)
start_server --no-feeds
r=$(api "$T" GET /api/v1/whoami)
eq "whoami: the organisation's name and id" "$(echo "${r#* }" | json 'd["organisation"], d["org_id"] > 0')" "Telco GH True"
stop_server
id=$("$C5" token list | awk '/noc-laptop/ {print $1}')
"$C5" token revoke "$id" >/dev/null
line=$("$C5" token list | awk -v id="$id" '$1 == id')
has "token list names the organisation" "$line" "Telco GH"
has "...a revoked token keeps its label" "$line" "revoked  noc-laptop"

# ---- TAXII: 401 and 403 are TAXII error objects; a DELETE takes the indicators made from it out of look-ups ----
TT='application/taxii+json;version=2.1'
"$C5" org add "Bank TX" --type private-sector --country GH >/dev/null
COLX=$("$C5" taxii collection add txcol --read "Bank TX,Bank Two" --write "Bank TX")
TXW=$("$C5" token create --org "Bank TX" --role contributor 2>/dev/null)
TXR=$("$C5" token create --org "Bank Two" --role reader 2>/dev/null)
start_server --no-feeds
r=$(curl -s -D "$WORK/hdr" -H "Accept: $TT" "$BASE/taxii2/api1/collections/$COLX/objects/")
has "401 to a TAXII client: its media type" "$(tr -d '\r' <"$WORK/hdr" | grep -i '^content-type')" "application/taxii+json"
eq "...a TAXII error object" "$(echo "$r" | json 'd["http_status"], "title" in d, "description" in d')" "401 True True"
r=$(curl -s -D "$WORK/hdr" -X POST -H "Accept: $TT" -H "Content-Type: $TT" --data-binary '{"objects":[]}' -H "Authorization: Bearer $TXR" "$BASE/taxii2/api1/collections/$COLX/objects/")
eq "403 (a collection the organisation may not write): a TAXII error object" "$(echo "$r" | json 'd["http_status"]')" 403
has "...its media type" "$(tr -d '\r' <"$WORK/hdr" | grep -i '^content-type')" "application/taxii+json"
r=$(curl -s -H "Accept: application/json" "$BASE/taxii2/api1/collections/$COLX/objects/")
has "a client not asking for TAXII gets the API's error" "$r" '"error":{"code":"unauthorized"'
IID=indicator--6a3f1b7e-2c55-4d7e-9b2a-5f0c8d1e4a21
ENV='{"objects":[{"type":"indicator","spec_version":"2.1","id":"'$IID'","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '"'"'198.51.100.240'"'"']","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z","confidence":90}]}'
r=$(curl -s -X POST -H "Accept: $TT" -H "Content-Type: $TT" -H "Authorization: Bearer $TXW" --data-binary "$ENV" "$BASE/taxii2/api1/collections/$COLX/objects/")
has "the indicator object is added" "$r" '"success_count":1'
lk() { api "$TXW" GET "/api/v1/lookup?value=198.51.100.240" | body_of; }
body_of() { cut -d' ' -f2-; }
for _ in $(seq 1 30); do case "$(lk)" in *'"source":"taxii:txcol"'*) break ;; esac; sleep 0.1; done
has "...and looked up" "$(lk)" '"source":"taxii:txcol"'
r=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Accept: $TT" -H "Authorization: Bearer $TXW" "$BASE/taxii2/api1/collections/$COLX/objects/$IID/")
eq "TAXII DELETE of the object" "$r" 200
for _ in $(seq 1 30); do case "$(lk)" in *'"matches":[]'*) break ;; esac; sleep 0.1; done
has "...its indicators leave the look-ups" "$(lk)" '"matches":[]'
has "...and the store (lookup)" "$("$C5" lookup 198.51.100.240)" "(no match)"
stop_server

# ---- long operations show progress on a terminal, and are quiet otherwise (a million
# lines: long enough on any machine for the rate to give a time left) ----
python3 -c "
import ipaddress
b=int(ipaddress.IPv4Address('10.64.0.0'))
print('\n'.join(str(ipaddress.IPv4Address(b+i)) for i in range(1000000)))" >"$WORK/big.txt"
if command -v script >/dev/null; then
	out=$(script -qc "'$C5' ingest --source big '$WORK/big.txt'" /dev/null | tr '\r' '\n')
	has "ingest on a terminal: records and rate" "$out" " records, "
	has "...and time left" "$out" "s left"
	out=$(script -qc "'$C5' export --format plain --tlp-max amber >/dev/null" /dev/null | tr '\r' '\n')
	has "export on a terminal: progress" "$out" "export: "
fi
"$C5" ingest --source big2 "$WORK/big.txt" >/dev/null 2>"$WORK/err"
eq "not on a terminal: no progress on stderr" "$(cat "$WORK/err")" ""
printf '\357\273\277bom-feed --path %s --format list\r\n' "$WORK/bom.txt" >"$WORK/feeds.txt"
check "feed import: a file with a BOM and CRLF" "$C5" feed import "$WORK/feeds.txt"
eq "...its feed is there" "$(q "select format from feeds where name = 'bom-feed'")" "list"
