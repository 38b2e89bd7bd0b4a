#!/usr/bin/env bash
# test_watch.sh — watch and warn end to end: real feed fixtures read by every
# layout, HTTP pull from a real server (ETag, gzip, failures), the feed
# scheduler in `c5hub serve`, notices per constituent, reports sent through a
# real SMTP server (OpenSMTPD delivering to a Maildir per recipient) and to a
# real webhook receiver (HMAC checked), retries, kill -9, early warnings by
# CLI and API, and the live stream.
. "$(dirname "$0")/lib.sh"
plan 143
TESTDATA=${TESTDATA:-$(cd "$(dirname "$0")/../../../shared/testdata" && pwd)}
FEEDS=$TESTDATA/feeds
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
chmod 711 "$WORK" # the mail delivery agent runs as nobody
PIDS=()
trap 'rc=$?; for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; lib_end $rc' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_file() { for _ in $(seq 1 100); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
q() { sqlite3 "$C5HUB_DB" "$1"; }

# ---- a real SMTP server (lib.sh: the machine's one, taken in turns) ----
smtp_setup
mails() { find "$MAIL/$1" -type f 2>/dev/null | sort; }
# wait_mails ADDR N: until ADDR's Maildir holds N messages (the SMTP server
# accepts at once and delivers a moment later), for up to 10 s
wait_mails() { for _ in $(seq 1 200); do [ "$(mails "$1" | wc -l)" -ge "$2" ] && return 0; sleep 0.05; done; return 1; }
# mailpart FILE csv|text|subject: a part of a delivered message, decoded
mailpart() {
	python3 - "$1" "$2" <<'EOF'
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
if sys.argv[2] == "subject":
    print(m["Subject"]); sys.exit()
for p in m.walk():
    if sys.argv[2] == "csv" and p.get_filename() == "events.csv":
        print(p.get_payload(decode=True).decode())
    if sys.argv[2] == "text" and p.get_content_type() == "text/plain":
        print(p.get_payload(decode=True).decode())
EOF
}

# ---- the hub and its constituency ----
"$C5" init --hub-name "National CIRT" >/dev/null
cat >"$WORK/cons.csv" <<'EOF'
organisation,resource,abuse_contact
ISP One,62.241.37.0/24,abuse@isp1.example
ISP One,AS12252,abuse@isp1.example
Bank Two,cbd-planet.ch,cert@bank2.example
Hoster,192.16.238.0/24,noc@hoster.example
Hoster,103.196.1.0/24,noc@hoster.example
Quiet Org,198.18.0.0/15,quiet@quiet.example
EOF
check "constituency imported" "$C5" constituency import --create-orgs "$WORK/cons.csv"
printf 'organisation,resource,abuse_contact,channel,frequency\nHourly Org,198.19.0.0/16,h@hourly.example,email,hourly\n' >"$WORK/cons2.csv"
check "channel and frequency from the constituency CSV" "$C5" constituency import --create-orgs "$WORK/cons2.csv"
has "...kept as the organisation's preferences" "$("$C5" notify set "Hourly Org")" "channel email, frequency hourly"
printf 'organisation,resource,abuse_contact,frequency\nHourly Org,198.20.0.0/16,h@hourly.example,weekly\n' >"$WORK/cons3.csv"
out=$("$C5" constituency import "$WORK/cons3.csv" 2>&1); has "a bad frequency refuses the file, naming the line" "$out" "cons3.csv:2: frequency must be"

# ---- every feed layout on the real fixtures ----
add() { "$C5" feed add "$@" >/dev/null 2>"$WORK/err"; }
add urlhaus --path "$FEEDS/abusech-urlhaus-tld.txt" --format urlhaus
add feodo --path "$FEEDS/abusech-feodoips-csv.txt" --format feodo
add drop --path "$FEEDS/spamhaus-drop.txt" --format spamhaus-drop --tlp green
add asndrop --path "$FEEDS/spamhaus-asndrop.txt" --format spamhaus-drop
add sinkhole --path "$FEEDS/shadowserver-event4_sinkhole.csv" --format shadowserver
add ntp --path "$FEEDS/shadowserver-scan_ntp.csv" --format shadowserver
add telnet --path "$FEEDS/shadowserver-test_telnet.csv" --format shadowserver
add blde --path "$FEEDS/blocklistde-imap.txt" --format list --classification intrusion-attempts/brute-force
add openphish --path "$FEEDS/openphish-feed.txt" --format openphish
add mispft --path "$TESTDATA/misp-feed/freetext/feed.txt" --format misp-freetext
add mispcsv --path "$TESTDATA/misp-feed/csv/feed.csv" --format misp-csv
printf 'when,addr,kind,how_sure\n2026-11-20 10:00:00,203.0.113.77,malicious-code/c2-server,80\n' >"$WORK/generic.csv"
add generic --path "$WORK/generic.csv" --format csv --column "value=addr,first_seen=when,classification=kind,confidence=how_sure"
eq "twelve feeds configured" "$(q 'SELECT count(*) FROM feeds')" 12
out=$("$C5" feed add x --path "$WORK/generic.csv" --format csv --column "value=addr,colour=red" 2>&1)
has "a column map with an unknown role is refused" "$out" "column map: 'colour=red'"
out=$("$C5" feed add x --path /nonexistent --format nosuch 2>&1); has "an unknown format is refused, naming the field" "$out" "format:"
out=$("$C5" feed add x --url ftp://example.org/x --format list 2>&1); has "only http(s) URLs" "$out" "url: only http"
out=$("$C5" feed add x --path a --url http://b/ --format list 2>&1); has "url or path, not both" "$out" "exactly one"
out=$("$C5" feed add urlhaus --path a --format list 2>&1); has "a name is unique" "$out" "exists"
cat >"$WORK/feeds.conf" <<EOF
# feeds as a file: one per line, as feed add takes them
sslbl   --path "$WORK/sslbl.csv" --format sslbl --every 6h
urlhaus --path "$FEEDS/abusech-urlhaus-tld.txt" --format urlhaus --every 30m
EOF
out=$("$C5" feed import "$WORK/feeds.conf"); has "feeds from a file: new ones added, known ones changed" "$out" "1 added, 1 changed"
eq "...the file's configuration applied" "$(q "SELECT every FROM feeds WHERE name = 'urlhaus'")" 1800
echo 'broken --path x --format nosuch' >>"$WORK/feeds.conf"
out=$("$C5" feed import "$WORK/feeds.conf" 2>&1); has "a bad line refuses the file, naming it" "$out" "feeds.conf:4: format:"
eq "...and nothing of it was applied" "$(q "SELECT count(*) FROM feeds WHERE name = 'broken'")" 0
"$C5" feed rm sslbl >/dev/null

run() { "$C5" feed run "$1" 2>&1; }
out=$(run urlhaus); has "urlhaus: 2 events, 2 notices (ISP One by address, Bank Two by host)" "$out" "2 records, 2 events, 0 duplicates, 0 on warning lists, 2 notices"
out=$(run feodo); has "feodo: the private address is on a warning list" "$out" "2 records, 1 events, 0 duplicates, 1 on warning lists, 1 notices"
out=$(run drop); has "spamhaus DROP: both prefixes" "$out" "2 records, 2 events"
out=$(run asndrop); has "spamhaus ASN-DROP: both AS numbers" "$out" "2 records, 2 events"
out=$(run sinkhole); has "shadowserver sinkhole: 3 events, one of ISP One by its AS" "$out" "3 records, 3 events, 0 duplicates, 0 on warning lists, 1 notices"
out=$(run ntp); has "shadowserver scan: private addresses all dropped" "$out" "3 records, 0 events, 0 duplicates, 3 on warning lists"
out=$(run telnet); has "shadowserver telnet: the same host twice is one event" "$out" "2 records, 1 events, 1 duplicates"
out=$(run blde); has "blocklist.de plain list" "$out" "6 records, 6 events"
out=$(run openphish); has "openphish: bad URLs skipped by the skip policy" "$out" "0 events"
has "the skipped record is named by file and line" "$out" "openphish-feed.txt:1: invalid URL"
out=$(run mispft); has "MISP freetext: the resolvers are on a warning list" "$out" "2 records, 0 events, 0 duplicates, 2 on warning lists"
out=$(run mispcsv); has "MISP CSV feed" "$out" "2 records, 0 events, 0 duplicates, 2 on warning lists"
out=$(run generic); has "a generic CSV through its column map" "$out" "1 records, 1 events"
eq "...the map gave classification, time and confidence" \
	"$(q "SELECT e.classification || ' ' || datetime(e.source_time, 'unixepoch') || ' ' || i.confidence FROM events e JOIN indicators i ON i.value = e.value WHERE e.value = '203.0.113.77'")" \
	"malicious-code/c2-server 2026-11-20 10:00:00 80"
eq "classifications by layout" \
	"$(q "SELECT group_concat(f.name || '=' || e.classification, ' ') FROM (SELECT DISTINCT feed_id, classification FROM events ORDER BY feed_id) e JOIN feeds f ON f.id = e.feed_id")" \
	"urlhaus=malicious-code/malware-distribution feodo=malicious-code/c2-server drop=abusive-content/spam asndrop=abusive-content/spam sinkhole=malicious-code/infected-system telnet=vulnerable/vulnerable-system blde=intrusion-attempts/brute-force generic=malicious-code/c2-server"
eq "the raw record is kept as evidence, byte for byte" \
	"$(q "SELECT raw FROM events WHERE value = '192.16.238.101'")" \
	"$(grep -F '"192.16.238.101"' "$FEEDS/abusech-feodoips-csv.txt")"
eq "source time from the feed, line number kept" \
	"$(q "SELECT datetime(source_time, 'unixepoch') || ' line ' || line FROM events WHERE value = 'http://cbd-planet.ch/sec.myacc.send.com/'")" \
	"2019-02-12 14:27:03 line 13"
eq "TLP from the feed" "$(q "SELECT group_concat(DISTINCT tlp) FROM events WHERE feed_id = (SELECT id FROM feeds WHERE name = 'drop')")" 1
printf 'partner-range 198.51.100.0/24\n' >"$WORK/wl.conf"
check "operator warning lists loaded" "$C5" warninglists load "$WORK/wl.conf"
printf 'partner-range 198.51.100.0/24\nbad 999.1.1.1\n' >"$WORK/wl-bad.conf"
out=$("$C5" warninglists load "$WORK/wl-bad.conf" 2>&1); has "a bad warning-list file is refused, naming the line" "$out" "wl-bad.conf:2:"
add blde-wl --path "$FEEDS/blocklistde-imap.txt" --format list
out=$(run blde-wl); has "the operator's list drops its values from a feed" "$out" "6 records, 4 events, 0 duplicates, 2 on warning lists"
has "...and lookup names the list" "$("$C5" lookup --json 198.51.100.34)" '"warning_list": "partner-range"'
"$C5" warninglists clear >/dev/null
eq "events are reputation reports too (a 2021 report, decayed to 0)" \
	"$("$C5" lookup --json 192.16.238.101 | json 'd[0]["reports"][0]["source"] + " " + d[0]["reports"][0]["state"]')" "feodo decayed"

events=$(q 'SELECT count(*) FROM events')
out=$(run urlhaus); has "a second run within the window is all duplicates" "$out" "2 duplicates"
eq "no new events from the repeat" "$(q 'SELECT count(*) FROM events')" "$events"
add strict --path "$FEEDS/openphish-feed.txt" --format openphish --policy reject
out=$(run strict); has "reject policy: the file is refused, naming file and line" "$out" "openphish-feed.txt:1: invalid URL"
eq "...and nothing of it was written" "$(q 'SELECT count(*) FROM events')" "$events"
has "...and the feed list shows it failing" "$("$C5" feed list)" "FAILING"

# ---- HTTP pull: ETag, gzip, failures ----
mkdir "$WORK/www"
cp "$FEEDS/abusech-urlhaus-tld.txt" "$WORK/www/urlhaus.csv"
python3 "$TOOLS/feedsrv.py" "$WORK/feedsrv.port" "$WORK/www" &
PIDS+=($!)
wait_file "$WORK/feedsrv.port"
FP=$(cat "$WORK/feedsrv.port")
add web --url "http://127.0.0.1:$FP/urlhaus.csv" --format urlhaus
add webfail --url "http://127.0.0.1:$FP/fail/x.csv" --format urlhaus
add webdown --url "http://127.0.0.1:$(free_port)/x.csv" --format urlhaus
out=$(run web); has "pulled over HTTP" "$out" "2 records"
has "the body came gzip-compressed" "$(cat "$WORK/requests.log")" "/urlhaus.csv 200 gzip"
out=$(run web); has "the second pull is conditional and not modified" "$out" "not modified"
has "the server answered 304" "$(tail -1 "$WORK/requests.log")" "304"
out=$(run webfail); has "a 503 is an error" "$out" "HTTP 503"
eq "retried with backoff (3 attempts)" "$(grep -c '/fail/' "$WORK/requests.log")" 3
out=$(run webdown); has "a closed port is an error" "$out" "feed webdown"
eq "failures recorded on the feed" "$(q "SELECT failures FROM feeds WHERE name = 'webdown'")" 1
has "feed list names the error" "$("$C5" feed list)" "Couldn't connect"

# ---- notices become reports: e-mail through the real SMTP server ----
out=$("$C5" notify run --smtp "$SMTP" --flush); has "reports sent" "$out" "3 sent, 0 to retry, 0 failed"
for who in abuse@isp1.example cert@bank2.example noc@hoster.example; do
	wait_mails "$who" 1
	eq "one message for $who" "$(mails $who | wc -l)" 1
done
m=$(mails abuse@isp1.example)
has "TLP in the subject (TLP 2.0)" "$(mailpart "$m" subject)" "[TLP:AMBER] c5hub report: 3 event(s) for ISP One"
csv=$(mailpart "$m" csv)
has "ISP One's CSV has its URL (matched by address)" "$csv" "http://marconuenlist.ch/verif.accounts.docs.net/"
has "...and its sinkhole event (matched by AS number)" "$csv" ",190.113.1.2,"
case "$csv" in *cbd-planet*|*192.16.238.101*) fail "ISP One sees no one else's events" ;; *) pass "ISP One sees no one else's events" ;; esac
eq "exactly three events in ISP One's CSV (the URL from two feeds, the sinkhole hit)" "$(echo "$csv" | grep -c '^[0-9]')" 3
csv=$(mailpart "$(mails cert@bank2.example)" csv)
has "Bank Two's CSV: its domain's URL" "$csv" "http://cbd-planet.ch/sec.myacc.send.com/"
eq "exactly Bank Two's URL from its two feeds" "$(echo "$csv" | grep -c '^[0-9].*cbd-planet')" 2
has "the summary comes from the template" "$(mailpart "$(mails noc@hoster.example)" text)" "Dear Hoster,"
out=$("$C5" notify run --smtp "$SMTP" --flush); has "nothing is sent twice" "$out" "0 new deliveries, 0 sent"
eq "still one message each" "$(mails abuse@isp1.example | wc -l)" 1
has "notify log shows what went to whom" "$("$C5" notify log --org 'Bank Two')" "cert@bank2.example"

# ---- due times: urgent classes at once, others at the recipient's period ----
cp "$FEEDS/abusech-feodoips-csv.txt" "$WORK/feodo2.csv"
sed -i 's/192.16.238.101/192.16.238.77/' "$WORK/feodo2.csv"
add feodo2 --path "$WORK/feodo2.csv" --format feodo
add blde2 --path "$FEEDS/blocklistde-imap.txt" --format list
run feodo2 >/dev/null
"$C5" constituency import /dev/stdin <<<'organisation,resource,abuse_contact
Quiet Org,192.0.2.0/24,quiet@quiet.example' >/dev/null
run blde2 >/dev/null
printf 'retry 1s\n' >"$WORK/notify.conf"
out=$("$C5" notify run --smtp "$SMTP" --notify "$WORK/notify.conf"); has "an urgent class (c2-server) goes at once" "$out" "1 new deliveries, 1 sent"
eq "Quiet Org's daily report waits for its period" "$(mails quiet@quiet.example | wc -l)" 0
eq "...its notices are due at the next midnight" "$(q "SELECT count(*) FROM notices WHERE delivery_id = 0 AND due % 86400 = 0")" 2

# ---- retries: the SMTP server down, then back ----
"$C5" notify set "Quiet Org" --frequency immediate >/dev/null
run_blde3() { add "blde$1" --path "$FEEDS/blocklistde-imap.txt" --format list --classification "$2"; run "blde$1" >/dev/null; }
run_blde3 3 abusive-content/spam
smtp_stop
out=$("$C5" notify run --smtp "$SMTP" --notify "$WORK/notify.conf" --flush 2>&1); has "SMTP down: to retry" "$out" "1 to retry"
eq "the delivery stays pending with its error" "$(q "SELECT state || ' ' || attempts FROM deliveries WHERE target = 'quiet@quiet.example' ORDER BY id DESC LIMIT 1")" "pending 1"
smtp_start
sleep 1.1
out=$("$C5" notify run --smtp "$SMTP" --notify "$WORK/notify.conf"); has "SMTP back: sent on retry" "$out" "1 sent"
wait_mails quiet@quiet.example 1
eq "Quiet Org got one message with all its events" "$(mails quiet@quiet.example | wc -l)" 1
eq "...with its four events (blocklist.de's 192.0.2.x addresses, the daily ones included)" \
	"$(mailpart "$(mails quiet@quiet.example)" csv | grep -c '^[0-9]')" 4

# ---- TLP: AMBER+STRICT and RED events are not passed on to network owners ----
add bldered --path "$FEEDS/blocklistde-imap.txt" --format list --tlp red --classification fraud/phishing
add bldestrict --path "$FEEDS/blocklistde-imap.txt" --format list --tlp amber+strict --classification fraud/phishing
out=$(run bldered); has "a RED feed stores its events" "$out" "0 notices"
out=$(run bldestrict); has "an AMBER+STRICT feed too" "$out" "0 notices"
eq "Quiet Org's addresses are among them" \
	"$(q "SELECT count(*) FROM events e JOIN feeds f ON f.id = e.feed_id WHERE f.name IN ('bldered', 'bldestrict') AND e.value LIKE '192.0.2.%'")" 4
eq "no notice for any AMBER+STRICT or RED event" "$(q "SELECT count(*) FROM notices n JOIN events e ON e.id = n.event_id WHERE e.tlp >= 3")" 0
out=$("$C5" notify run --smtp "$SMTP" --flush); has "so nothing goes out by mail" "$out" "0 new deliveries"
eq "Quiet Org still has its one message" "$(mails quiet@quiet.example | wc -l)" 1

# ---- webhooks, signed ----
python3 "$TOOLS/webhook.py" "$WORK/hook.port" "$WORK/hook.log" --secret "k3y-for-hmac" &
PIDS+=($!)
wait_file "$WORK/hook.port"
HP=$(cat "$WORK/hook.port")
out=$("$C5" notify set Hoster --channel webhook --webhook "http://127.0.0.1:$HP/reports" --secret "k3y-for-hmac")
case "$out" in *k3y-for-hmac*) fail "the secret is never printed" ;; *) pass "the secret is never printed" ;; esac
cp "$FEEDS/abusech-feodoips-csv.txt" "$WORK/feodo3.csv"
sed -i 's/192.16.238.101/103.196.1.9/' "$WORK/feodo3.csv"
add feodo3 --path "$WORK/feodo3.csv" --format feodo
run feodo3 >/dev/null
out=$("$C5" notify run --smtp "$SMTP" --flush); has "webhook delivery" "$out" "1 sent"
eq "the webhook got one POST, HMAC-SHA256 signature valid" "$(json 'd["signature_ok"]' <"$WORK/hook.log")" True
eq "...with Hoster's event and TLP" "$(json 'd["body"]["events"][0]["value"] + " " + d["body"]["tlp"]' <"$WORK/hook.log")" "103.196.1.9 amber"

# ---- kill -9: a delivery in flight is not lost, and goes out after restart ----
run_blde3 4 fraud/phishing # urgent: due at once for Quiet Org
BLACKHOLE=$(free_port)
python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$BLACKHOLE)); s.listen(); c=s.accept(); time.sleep(60)" &
PIDS+=($!)
# listening yet? (a probe connection is accepted; curl's then waits in the backlog)
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$BLACKHOLE") 2>/dev/null && break; sleep 0.05; done
printf 'retry 1s\nlease 3s\n' >"$WORK/notify.conf"
"$C5" notify run --smtp "smtp://127.0.0.1:$BLACKHOLE" --notify "$WORK/notify.conf" >/dev/null 2>&1 &
NP=$!
for _ in $(seq 1 100); do [ "$(q "SELECT count(*) FROM deliveries WHERE state = 'pending' AND target = 'quiet@quiet.example'")" = 1 ] && break; sleep 0.05; done
sleep 0.3
kill -9 $NP
wait $NP 2>/dev/null
eq "after kill -9 the planned delivery is still pending, never tried" "$(q "SELECT count(*) FROM deliveries WHERE state = 'pending' AND attempts = 0 AND target = 'quiet@quiet.example'")" 1
eq "database intact" "$(q 'PRAGMA integrity_check')" ok
out=$("$C5" notify run --smtp "$SMTP"); has "while the dead sender's lease runs, no one else sends it" "$out" "0 sent"
sleep 3
out=$("$C5" notify run --smtp "$SMTP"); has "sent after the restart, once the lease ended" "$out" "1 sent"
wait_mails quiet@quiet.example 2
eq "Quiet Org has exactly two messages now" "$(mails quiet@quiet.example | wc -l)" 2

# ---- early warnings: CLI ----
"$C5" notify set "ISP One" --contact-247 soc@isp1.example >/dev/null
"$C5" notify set "Bank Two" --webhook-247 "http://127.0.0.1:$HP/247" --secret "k3y-for-hmac" >/dev/null
out=$("$C5" warn --title "Mass exploitation of CVE-2026-0001" --classification intrusion-attempts/exploit \
	--severity critical --tlp amber+strict --audience "ISP One,Bank Two" --observable 203.0.113.9 \
	--observable evil.example --smtp "$SMTP")
has "warn: pushed at once" "$out" "deliveries, "
hoster_mails=$(mails noc@hoster.example | wc -l)
wait_mails soc@isp1.example 1
m=$(mails soc@isp1.example)
eq "ISP One's 24/7 address got it" "$(echo "$m" | grep -c .)" 1
has "TLP and severity in the subject" "$(mailpart "$m" subject)" "[TLP:AMBER+STRICT] EARLY WARNING #1 (critical): Mass exploitation"
has "the observables in the body" "$(mailpart "$m" text)" "ipv4-addr: 203.0.113.9"
eq "Bank Two's 24/7 webhook got it, signed" "$(grep '"/247"' "$WORK/hook.log" | json 'd["signature_ok"] and d["body"]["title"]')" "Mass exploitation of CVE-2026-0001"
eq "not sent outside the audience" "$(mails noc@hoster.example | wc -l)" "$hoster_mails"
out=$("$C5" warn --title x --classification nope/nope 2>&1); has "a bad classification is refused" "$out" "classification"
eq "...and nothing was recorded" "$(q 'SELECT count(*) FROM warnings')" 1

# ---- the server: API, scheduler, live stream ----
"$C5" org add "Other CERT" --type government --country GH >/dev/null
ADMIN=$("$C5" token create --org "National CIRT" --role admin | grep -o 'c5h_[A-Za-z0-9_-]*')
ISP=$("$C5" token create --org "ISP One" --role analyst | grep -o 'c5h_[A-Za-z0-9_-]*')
OTHER=$("$C5" token create --org "Other CERT" --role analyst | grep -o 'c5h_[A-Za-z0-9_-]*')
q "UPDATE feeds SET next_run = 0 WHERE name IN ('web', 'webdown')" # due now
q "UPDATE feeds SET etag = '', last_modified = '' WHERE name = 'web'"
start_server --smtp "$SMTP"
for _ in $(seq 1 100); do
	[ "$(q "SELECT failures FROM feeds WHERE name = 'webdown'")" = 2 ] && [ "$(q "SELECT last_run > 0 FROM feeds WHERE name = 'web'")" = 1 ] && break
	sleep 0.1
done
eq "the scheduler ran the due feeds; the failing one failed again" "$(q "SELECT failures FROM feeds WHERE name = 'webdown'")" 2
eq "...and the other one still ran" "$(q "SELECT failures || ' ' || (last_ok > 0) FROM feeds WHERE name = 'web'")" "0 1"
has "failing feeds in /metrics" "$(curl -s "$BASE/metrics")" 'c5hub_feed_failures{feed="webdown"} 2'
r=$(api "$ADMIN" GET /api/v1/feeds); has "feeds by API" "$r" '"name":"webdown"'
r=$(api "$ADMIN" POST /api/v1/feeds '{"name":"api-feed","url":"http://127.0.0.1:1/x","format":"bogus"}')
has "a bad feed by API: 400 naming the field" "$r" '"field":"format"'
r=$(api "$ADMIN" POST /api/v1/feeds "{\"name\":\"long\",\"path\":\"/tmp/$(printf 'x%.0s' $(seq 1 1100))\",\"format\":\"list\"}")
has "a path too long: 400 naming the field" "$r" '"field":"path"'
r=$(api "$ADMIN" POST /api/v1/feeds '{"name":"api-feed","path":"/etc/passwd","format":"openphish"}')
has "the API does not take local paths (no reading the server's files)" "$r" '"field":"path"'
r=$(api "$ADMIN" POST /api/v1/feeds "{\"name\":\"api-feed\",\"url\":\"http://127.0.0.1:$FP/urlhaus.csv\",\"format\":\"urlhaus\",\"every\":\"15m\"}")
has "a feed added by API" "$r" "201 "
r=$(api "$ISP" POST /api/v1/feeds '{"name":"mine","url":"http://127.0.0.1:1/x","format":"list"}')
has "only the hub adds feeds" "$r" "403 "
r=$(api "$ADMIN" POST /api/v1/constituency '[{"organisation":"Other CERT","resource":"198.51.100.0/24","abuse_contact":"cert@other.example"},{"organisation":"Other CERT","resource":"999.1.1.1","abuse_contact":"cert@other.example"}]')
has "a bad constituency row: 400 naming the item" "$r" '"item":1,"field":"resource"'
eq "...and nothing of the batch was added" "$(q "SELECT count(*) FROM constituency WHERE abuse_contact = 'cert@other.example'")" 0
r=$(api "$ADMIN" POST /api/v1/constituency '[{"organisation":"Other CERT","resource":"198.51.100.0/24","abuse_contact":"cert@other.example"}]')
has "constituency managed by API" "$r" "201 "

r=$(api "$ADMIN" GET /api/v1/reputation/198.51.100.34); has "not on a warning list yet" "$r" '"warning_list":null'
"$C5" warninglists load "$WORK/wl.conf" >/dev/null
for _ in $(seq 1 40); do r=$(api "$ADMIN" GET /api/v1/reputation/198.51.100.34); case "$r" in *partner-range*) break ;; esac; sleep 0.1; done
has "the running server follows the operator's warning lists" "$r" '"warning_list":"partner-range"'
"$C5" warninglists clear >/dev/null
# live streams: ISP One (in the audience) and Other CERT (not)
curl -sN -H "Authorization: Bearer $ISP" "$BASE/api/v1/stream" >"$WORK/stream.isp" &
PIDS+=($!)
curl -sN -H "Authorization: Bearer $OTHER" "$BASE/api/v1/stream" >"$WORK/stream.other" &
PIDS+=($!)
wait_file "$WORK/stream.isp"
wait_file "$WORK/stream.other"
r=$(api "$ADMIN" POST /api/v1/warnings '{"title":"Ransomware C2 active","classification":"malicious-code/c2-server","severity":"high","tlp":"amber","audience":"ISP One","observables":["not a value"]}')
has "a bad observable: 400 naming the item" "$r" '"item":0,"field":"observables"'
r=$(api "$ADMIN" POST /api/v1/warnings '{"title":"Ransomware C2 active","classification":"malicious-code/c2-server","severity":"high","tlp":"amber","audience":"ISP One","observables":["198.51.100.7"]}')
has "a warning raised by API" "$r" "201 "
id=$(echo "${r#* }" | json 'd["id"]')
for _ in $(seq 1 40); do grep -q "Ransomware" "$WORK/stream.isp" && break; sleep 0.05; done
has "the audience's stream got it" "$(cat "$WORK/stream.isp")" "id: $id"
sleep 0.3
case "$(cat "$WORK/stream.other")" in *Ransomware*) fail "a stream outside the audience does not" ;; *) pass "a stream outside the audience does not" ;; esac
wait_mails soc@isp1.example 2
eq "the 24/7 e-mail went out at once" "$(mails soc@isp1.example | wc -l)" 2
r=$(api "$OTHER" GET /api/v1/warnings); case "$r" in *Ransomware*) fail "warnings list: TLP/audience enforced" ;; *) pass "warnings list: TLP/audience enforced" ;; esac
r=$(api "$ISP" GET /api/v1/warnings); has "ISP One lists its warnings" "$r" "Ransomware C2 active"
r=$(api "$ISP" GET /api/v1/deliveries); has "ISP One sees its deliveries" "$r" "soc@isp1.example"
case "$r" in *cert@bank2*) fail "...and no one else's" ;; *) pass "...and no one else's" ;; esac
# a CLI warning reaches the server's streams too (within a second)
"$C5" warn --title "From the CLI" --classification intrusions/system-compromise --audience all --smtp "$SMTP" >/dev/null
for _ in $(seq 1 40); do grep -q "From the CLI" "$WORK/stream.other" && break; sleep 0.05; done
has "a CLI warning on the live stream" "$(cat "$WORK/stream.other")" "From the CLI"
stop_server
has "the server stopped with streams open" "$(cat "$WORK/serve.log")" "stopping"
# ---- kill -9 in a big feed run: events written, their indicators not yet
# (they are written sorted, 262,144 at a time), or only some of them; the
# next run makes the rest from the events ----
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "http://%d.%d.%d.%d/k9/%x.exe\n", 11 + i % 200, (i / 200) % 256, (i / 51200) % 256, 1 + i % 251, i }' >"$WORK/k9.txt"
# kill_run DB WHEN: start a run of 300,000 records and kill it once WHEN
# (an SQL condition) holds
kill_run() {
	C5HUB_DB=$1 "$C5" init >/dev/null
	C5HUB_DB=$1 "$C5" feed add k9 --path "$WORK/k9.txt" --format openphish >/dev/null
	C5HUB_DB=$1 "$C5" feed run k9 >/dev/null 2>&1 &
	local p=$!
	for _ in $(seq 1 3000); do
		[ "$(sqlite3 "$1" "SELECT $2" 2>/dev/null)" = 1 ] && break
		sleep 0.01
	done
	kill -9 $p 2>/dev/null; wait $p 2>/dev/null
}
# after_kill DB: the next run writes the rest, each value once
after_kill() {
	local ev
	ev=$(sqlite3 "$1" "SELECT count(*) FROM events")
	check "the run is marked as having indicators to write" test "$(sqlite3 "$1" "SELECT count(*) FROM feed_runs WHERE pending <> 0")" = 1
	out=$(C5HUB_DB=$1 "$C5" feed run k9)
	has "the next run writes the events not yet written" "$out" "$((300000 - ev)) events, $ev duplicates"
	eq "every event has its indicator" "$(sqlite3 "$1" "SELECT count(*) FROM (SELECT value FROM events EXCEPT SELECT value FROM indicators WHERE source = 'k9')")" 0
	eq "one indicator per value, none twice" "$(sqlite3 "$1" "SELECT count(*) || '/' || count(DISTINCT value) FROM indicators")" "300000/300000"
	eq "no run is left pending" "$(sqlite3 "$1" "SELECT count(*) FROM feed_runs WHERE pending <> 0")" 0
}
K9=$WORK/k9.db
kill_run "$K9" "count(*) > 0 FROM events"
k9ev=$(sqlite3 "$K9" "SELECT count(*) FROM events"); k9ind=$(sqlite3 "$K9" "SELECT count(*) FROM indicators")
check "killed after writing events ($k9ev) and fewer indicators ($k9ind)" test "$k9ev" -gt "$k9ind"
after_kill "$K9"
K9B=$WORK/k9b.db
kill_run "$K9B" "count(*) > 0 FROM indicators"
k9ev=$(sqlite3 "$K9B" "SELECT count(*) FROM events"); k9ind=$(sqlite3 "$K9B" "SELECT count(*) FROM indicators")
check "killed with some indicators written ($k9ind of $k9ev events)" test "$k9ind" -gt 0 -a "$k9ind" -lt 300000
after_kill "$K9B"

# a store error in the middle of a run (a trigger refuses record 200,001):
# the writer stops, the reader thread with it; the run fails naming the
# error, the slices before it stay, and the next run completes everything
K9C=$WORK/k9c.db
C5HUB_DB=$K9C "$C5" init >/dev/null
C5HUB_DB=$K9C "$C5" feed add k9 --path "$WORK/k9.txt" --format openphish >/dev/null
sqlite3 "$K9C" "CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.line > 200000 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;"
out=$(C5HUB_DB=$K9C timeout 120 "$C5" feed run k9 2>&1); rc=$?
eq "a store error mid-run fails the run" "$rc" 2
has "and names the error" "$out" "store: add event: disk on fire"
k9ev=$(sqlite3 "$K9C" "SELECT count(*) FROM events")
check "the slices before it stay ($k9ev events)" test "$k9ev" -gt 0 -a "$k9ev" -le 200000
sqlite3 "$K9C" "DROP TRIGGER boom"
after_kill "$K9C"

eq "audit log intact after all of it" "$("$C5" audit verify >/dev/null 2>&1; echo $?)" 0
