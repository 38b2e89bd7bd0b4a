#!/usr/bin/env bash
# test_rep.sh — reputation scores end to end: several reporters, decay by
# age, trust set with `c5hub trust` re-scoring the running server, a
# false-positive report ending a DNS listing within a second, the score and
# its reasons from `c5hub lookup` and /api/v1/reputation, the batch
# endpoint, TLP in scores, reputation files, and `serve --config`.
. "$(dirname "$0")/lib.sh"
plan 46

"$C5" init --hub-name "National CIRT" --country GH >/dev/null
"$C5" org add "Bank One" --type private-sector --country GH >/dev/null
ADMIN=$("$C5" token create --role admin 2>/dev/null)
READER=$("$C5" token create --org "Bank One" --role reader 2>/dev/null)
day() { date -u -d "@$(( $(date +%s) - $1 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ; }

# two reporters of one address; one more address to mark as a false positive
printf '198.51.100.10\n198.51.100.30\n' >"$WORK/a.txt"
"$C5" ingest --source feedA --tlp green --confidence 80 --classification malicious-code/c2-server "$WORK/a.txt" >/dev/null
printf '198.51.100.10\n' >"$WORK/b.txt"
"$C5" ingest --source feedB --tlp green --confidence 60 --classification malicious-code/c2-server "$WORK/b.txt" >/dev/null
# phishing decays over 7 days (data/reputation.conf): 15 days old is gone, 3.5 days old is half
printf 'value,last_seen\n198.51.100.20,%s\n198.51.100.21,%s\n' "$(day 15)" \
	"$(date -u -d "@$(( $(date +%s) - 302400 ))" +%Y-%m-%dT%H:%M:%SZ)" >"$WORK/old.csv"
"$C5" ingest --source phishfeed --tlp green --confidence 80 --classification fraud/phishing "$WORK/old.csv" >/dev/null
# an AMBER report another organisation must not see in its score
printf '198.51.100.40\n' >"$WORK/amber.txt"
"$C5" ingest --source private --tlp amber --confidence 90 "$WORK/amber.txt" >/dev/null
printf '198.51.100.40\n' >"$WORK/g40.txt"
"$C5" ingest --source public --tlp green --confidence 50 "$WORK/g40.txt" >/dev/null

# --- the CLI explains
out=$("$C5" lookup 198.51.100.10); rc=$?
eq "two reporters combine: 1 - 0.2 * 0.4" "$(echo "$out" | sed -n 's/^  score \([0-9]*\):.*/\1/p')" 92
has "the reasons name each report" "$out" "confidence 60 x trust 100% x decay 1.000"
eq "listed value exits 0" "$rc" 0
out=$("$C5" lookup 198.51.100.20); rc=$?
has "15-day-old phishing report has decayed" "$out" "score 0: 0 reporters"
has "its state says so" "$out" "decayed"
eq "a decayed value exits 1" "$rc" 1
j=$("$C5" lookup --json 198.51.100.21)
eq "3.5 days into a 7-day linear decay: half" "$(echo "$j" | json 'd[0]["score"], d[0]["reports"][0]["decay"]["lifetime_days"], d[0]["reports"][0]["decay"]["factor"]')" "40 7.0 0.5"
printf 'decay fraud/phishing 30d 1\n' >"$WORK/rep.conf"
j=$("$C5" lookup --json --reputation "$WORK/rep.conf" 198.51.100.20)
eq "a reputation file overrides the decay" "$(echo "$j" | json 'd[0]["score"]')" 40
printf 'decay fraud/phishing 30 1\n' >"$WORK/bad.conf"
out=$("$C5" lookup --reputation "$WORK/bad.conf" 198.51.100.20 2>&1); rc=$?
eq "a bad reputation file is refused" "$rc" 2
has "naming file and line" "$out" "bad.conf:1: lifetime"
eq "--tlp-max green leaves the AMBER report out" "$("$C5" lookup --json --tlp-max green 198.51.100.40 | json 'd[0]["score"]')" 50

# --- a configuration file for serve
cat >"$WORK/c5hub.conf" <<CONF
# c5hub serve configuration
http = 127.0.0.1:0
dns = 127.0.0.1:0
ip-zone = bl.test
min-score = 30
dns-txt = "see https://cirt.example/lookup?q=\$"
CONF
printf 'http = 127.0.0.1:0\nip-zone bl.test\ncolour = blue\n' >"$WORK/bad-serve.conf"
out=$("$C5" serve --config "$WORK/bad-serve.conf" 2>&1); rc=$?
eq "serve refuses an unknown key" "$rc" 2
has "naming file and line" "$out" "bad-serve.conf:3: unknown key 'colour'"
out=$("$C5" serve --config "$WORK/c5hub.conf" --min-score 200 2>&1); rc=$?
eq "the command line is checked over the file" "$rc" 2

WANT_DNS=1 start_server --config "$WORK/c5hub.conf"
has "the file's zones and score are used" "$(cat "$WORK/serve.log")" "zones: ip bl.test; tlp <= green, score >= 30"
a() { dig +short +time=2 +tries=1 -p "$DP" @127.0.0.1 "$1" "${2:-A}"; }
eq "listed: two reporters" "$(a 10.100.51.198.bl.test)" 127.0.0.3
eq "TXT template from the file" "$(a 10.100.51.198.bl.test TXT)" '"see https://cirt.example/lookup?q=198.51.100.10"'
eq "decayed: not listed" "$(a 20.100.51.198.bl.test)" ""
eq "half-decayed (40 >= 30): listed with the phishing code" "$(a 21.100.51.198.bl.test)" 127.0.0.4

# --- the API explains
r=$(api "$READER" GET /api/v1/reputation/198.51.100.10)
eq "GET /api/v1/reputation/{value}" "${r%% *}" 200
eq "score, reporters, code" "$(echo "${r#* }" | json 'd["score"], d["reporters"], d["dnsbl_code"], d["listed"]')" "92 2 3 True"
eq "each report with trust and decay" "$(echo "${r#* }" | json 'sorted((x["source"], x["trust"], round(x["weight"]), x["state"]) for x in d["reports"])')" \
	"[('feedA', 100, 80, 'active'), ('feedB', 100, 60, 'active')]"
r=$(api "$READER" GET "/api/v1/reputation?value=198.51.100.40")
eq "another org's score leaves the AMBER report out" "$(echo "${r#* }" | json 'd["score"], len(d["reports"])')" "50 1"
r=$(api "$ADMIN" GET "/api/v1/reputation/198.51.100.40")
eq "the hub sees both: 1 - 0.1 * 0.5" "$(echo "${r#* }" | json 'd["score"]')" 95
r=$(api "$READER" GET "/api/v1/reputation/not..valid")
eq "bad value is 400" "${r%% *}" 400
r=$(api "" GET /api/v1/reputation/198.51.100.10)
eq "reputation needs a token" "${r%% *}" 401
r=$(api "$READER" POST /api/v1/reputation '{"values":["198.51.100.10","198.51.100.20","bad value","192.0.2.99"],"min_score":50}')
eq "batch: scores" "$(echo "${r#* }" | json '[x.get("score") for x in d["results"]]')" "[92, 0, None, 0]"
eq "batch: listed and errors" "$(echo "${r#* }" | json '[x.get("listed", "error" in x) for x in d["results"]]')" "[True, False, True, False]"
r=$(api "$READER" POST /api/v1/reputation '{"values":["198.51.100.10"],"min_score":101}')
eq "batch: bad min_score is 400" "${r%% *}" 400

# --- trust changes re-score the running server
"$C5" trust set source feedA 20 >/dev/null
out=$("$C5" trust set source feedA 101 2>&1); eq "trust above 100 is refused" "$?" 2
out=$("$C5" trust set org "No Such Org" 50 2>&1); has "unknown org is refused" "$out" "no organisation named"
"$C5" trust set source feedB 0 >/dev/null
has "trust list" "$("$C5" trust list)" "feedA"
for _ in $(seq 1 30); do [ -z "$(a 10.100.51.198.bl.test)" ] && break; sleep 0.1; done
eq "lower trust (0.8 * 0.2 = 16 < 30) delists within 3 s" "$(a 10.100.51.198.bl.test)" ""
r=$(api "$READER" GET /api/v1/reputation/198.51.100.10)
eq "the API shows the new trust" "$(echo "${r#* }" | json 'd["score"], sorted(x["trust"] for x in d["reports"])')" "16 [0, 20]"
"$C5" trust unset source feedA >/dev/null
"$C5" trust unset source feedB >/dev/null
out=$("$C5" trust unset source feedB 2>&1); eq "unset twice is an error" "$?" 2
for _ in $(seq 1 30); do [ -n "$(a 10.100.51.198.bl.test)" ] && break; sleep 0.1; done
eq "trust back: listed again" "$(a 10.100.51.198.bl.test)" 127.0.0.3

# --- a false-positive report ends the listing
eq "listed before the report" "$(a 30.100.51.198.bl.test)" 127.0.0.3
r=$(api "$ADMIN" POST /api/v1/indicators '[{"value":"198.51.100.30","source":"analyst","tlp":"green","confidence":100,"classification":"false-positive"}]')
eq "false-positive report accepted" "${r%% *}" 201
eq "delisted at once" "$(a 30.100.51.198.bl.test)" ""
r=$(api "$READER" GET /api/v1/reputation/198.51.100.30)
eq "reputation shows why" "$(echo "${r#* }" | json 'd["score"], d["false_positives"], sorted(x["state"] for x in d["reports"])')" "0 1 ['active', 'false-positive']"
has "and the CLI export leaves it out" "$("$C5" export --format plain --min-score 1 | tr '\n' ' ')" "198.51.100.10"
case "$("$C5" export --format plain)" in *198.51.100.30*) fail "false positive exported" ;; *) pass "false positive not exported" ;; esac
stop_server

# warning lists: a resolver reported by a feed is stored, but never published
start_server
printf '8.8.8.8\ngoogle.com\nmail.google.com\n' >"$WORK/wl.txt"
"$C5" ingest --source noisy --tlp green --confidence 90 "$WORK/wl.txt" >/dev/null
sleep 1
r=$(api "$READER" GET /api/v1/reputation/8.8.8.8)
eq "a public resolver scores but is not listed" "$(echo "${r#* }" | json 'd["score"], d["listed"], d["warning_list"]')" "90 False public-resolver"
r=$(api "$READER" POST /api/v1/reputation '{"values":["mail.google.com","198.51.100.10"]}')
eq "batch: a name under a major domain is not listed" "$(echo "${r#* }" | json '[(x["listed"], x.get("warning_list")) for x in d["results"]]')" "[(False, 'major-domain'), (True, None)]"
out=$("$C5" lookup 8.8.8.8); rc=$?
has "lookup says why" "$out" "on the warning list 'public-resolver'"
eq "and exits 1" "$rc" 1
stop_server
