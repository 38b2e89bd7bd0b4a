#!/usr/bin/env bash
# test_export.sh — `c5hub export` in every format: rbldnsd loads our ip4trie,
# ip6trie and dnset data and answers as c5hub's own DNS blocklist does;
# named-checkzone accepts the RPZ; the Suricata and Zeek files follow their
# documented layouts; TLP, score and expiry filters hold.
. "$(dirname "$0")/lib.sh"
plan 46

"$C5" init >/dev/null
printf '198.51.100.7\n203.0.113.0/24\n100.0.0.0/8\nbad.example\n2001:db8::5\n2001:db8:bad::/48\n10.0.0.0/8\n8.8.8.8\n' >"$WORK/g.txt"
"$C5" ingest --tlp green --confidence 80 --classification malicious-code/c2-server "$WORK/g.txt" >/dev/null
printf 'phish.example\n192.0.2.66\n' >"$WORK/p.txt"
"$C5" ingest --tlp clear --confidence 60 --classification fraud/phishing "$WORK/p.txt" >/dev/null
printf '198.51.100.99\nsecret.example\n' >"$WORK/a.txt"
"$C5" ingest --tlp amber --confidence 90 "$WORK/a.txt" >/dev/null
printf '198.51.100.98\n' >"$WORK/w.txt"
"$C5" ingest --tlp green --confidence 10 "$WORK/w.txt" >/dev/null
printf 'value,valid_until\n198.51.100.97,2020-01-01T00:00:00Z\n' >"$WORK/old.csv"
"$C5" ingest --tlp green --confidence 90 "$WORK/old.csv" >/dev/null

out=$("$C5" export --format plain --min-score 50)
has "plain list has the listed values" "$out" "203.0.113.0/24"
case "$out" in *198.51.100.99*) fail "AMBER left the hub" ;; *) pass "AMBER stays in (default --tlp-max green)" ;; esac
case "$out" in *198.51.100.98*) fail "low score exported" ;; *) pass "below --min-score left out" ;; esac
case "$out" in *198.51.100.97*) fail "expired exported" ;; *) pass "expired left out" ;; esac
eq "plain count" "$(echo "$out" | wc -l)" 8
case "$out" in *10.0.0.0/8*|*8.8.8.8*) fail "a warning-listed value was exported" ;; *) pass "warning lists: private space and public resolvers left out" ;; esac
has "--tlp-max amber includes AMBER" "$("$C5" export --format plain --tlp-max amber)" "198.51.100.99"
eq "clear only" "$("$C5" export --format plain --tlp-max clear | sort | tr '\n' ' ')" "192.0.2.66 phish.example "
csv=$("$C5" export --format csv --type domain-name)
eq "CSV header" "$(echo "$csv" | head -1)" "type,value,score,classification,reporters,source,tlp,first_seen,last_seen,valid_until"
eq "CSV rows parse with 10 fields" "$(echo "$csv" | python3 -c 'import csv,sys; print(set(len(r) for r in csv.reader(sys.stdin)))')" "{10}"
"$C5" export --format rbldnsd >/dev/null 2>&1; eq "rbldnsd without --type is refused" "$?" 2

# rbldnsd drops to its own user inside a chroot: a directory it may read
RBL=$WORK/rbl
mkdir -m 755 "$RBL"
check "export to a file" "$C5" export --format rbldnsd --type ipv4-addr --output "$RBL/ip4.rbl"
"$C5" export --format rbldnsd --type ipv6-addr --output "$RBL/ip6.rbl" 2>/dev/null
"$C5" export --format rbldnsd --type domain-name --output "$RBL/dom.rbl" 2>/dev/null
chmod 644 "$RBL"/*.rbl
check "no temporary file left" test ! -e "$RBL/ip4.rbl.tmp"

# rbldnsd on our data, c5hub's DNS on the store: the same answers
RP=$((20000 + RANDOM % 20000))
rbldnsd -n -b 127.0.0.1/$RP -r "$RBL" -w / ip.rbl.test:ip4trie:ip4.rbl ip.rbl.test:ip6trie:ip6.rbl \
	dbl.rbl.test:dnset:dom.rbl >"$WORK/rbldnsd.log" 2>&1 &
RPID=$!
"$C5" serve --http 127.0.0.1:0 --dns 127.0.0.1:0 --ip-zone ip.rbl.test --domain-zone dbl.rbl.test >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
	DP=$(sed -n 's/.*DNS blocklist on udp+tcp 127.0.0.1 port \([0-9]*\) .*/\1/p' "$WORK/serve.log")
	[ -n "$DP" ] && dig +short +time=1 +tries=1 -p $RP @127.0.0.1 7.100.51.198.ip.rbl.test >/dev/null 2>&1 && break
	sleep 0.1
done
same=0 total=0
for n in 7.100.51.198 8.100.51.198 99.100.51.198 9.113.0.203 1.2.3.10 66.2.0.192 5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 \
	1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.a.b.0.8.b.d.0.1.0.0.2 6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 \
	2.0.0.127 1.0.0.127 2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 \
	1.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0; do
	a=$(dig +short +time=2 +tries=1 -p $RP @127.0.0.1 "$n.ip.rbl.test" A)
	b=$(dig +short +time=2 +tries=1 -p "$DP" @127.0.0.1 "$n.ip.rbl.test" A)
	total=$((total + 1)); [ "$a" = "$b" ] && same=$((same + 1)) || echo "# differ: $n rbldnsd='$a' c5hub='$b'"
done
for n in bad.example www.bad.example phish.example a.b.phish.example good.example secret.example test invalid; do
	a=$(dig +short +time=2 +tries=1 -p $RP @127.0.0.1 "$n.dbl.rbl.test" A)
	b=$(dig +short +time=2 +tries=1 -p "$DP" @127.0.0.1 "$n.dbl.rbl.test" A)
	total=$((total + 1)); [ "$a" = "$b" ] && same=$((same + 1)) || echo "# differ: $n rbldnsd='$a' c5hub='$b'"
done
eq "rbldnsd on the export answers as c5hub does ($total names)" "$same" "$total"
[ "$same" = "$total" ] || cat "$WORK/rbldnsd.log"
has "and it did list something" "$(dig +short -p $RP @127.0.0.1 9.113.0.203.ip.rbl.test A)" "127.0.0.3"
# RFC 5782 test points: 127.0.0.2 (::ffff:127.0.0.2) and "test" listed, 127.0.0.1 and "invalid" not
tp() { dig +short +time=2 +tries=1 -p "$1" @127.0.0.1 "$2" "$3" | tr '\n' ' '; }
eq "rbldnsd on the export answers the RFC 5782 test points (IPv4, IPv6, domain)" \
	"$(tp $RP 2.0.0.127.ip.rbl.test A)|$(tp $RP 2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip.rbl.test A)|$(tp $RP test.dbl.rbl.test A)" \
	"127.0.0.2 |127.0.0.2 |127.0.0.2 "
eq "with the TXT c5hub's DNS gives" "$(tp $RP 2.0.0.127.ip.rbl.test TXT)|$(tp "$DP" 2.0.0.127.ip.rbl.test TXT)" \
	'"c5hub test point: listed" |"c5hub test point: listed" '
eq "and not 127.0.0.1 nor invalid" "$(tp $RP 1.0.0.127.ip.rbl.test A)|$(tp $RP invalid.dbl.rbl.test A)" "|"
kill $RPID 2>/dev/null
stop_server

# RPZ: a zone file BIND accepts, and enforces: a real named serves a zone
# whose names point at listed and unlisted addresses, with the export as its
# response policy zone (named-checkzone does not check rpz-ip names)
printf '2001:db8:0:0:1:0:0:7\n2001:db8:0:1:0:0:0:8\n2001:db8:1::/64\n' |
	"$C5" ingest --tlp green --confidence 80 --classification malicious-code/c2-server - >/dev/null
"$C5" export --format rpz --output "$WORK/rpz.zone" 2>/dev/null
out=$(named-checkzone rpz.test "$WORK/rpz.zone" 2>&1); rc=$?
eq "named-checkzone accepts the RPZ" "$rc" 0
has "RPZ blocks a domain and its subdomains" "$(cat "$WORK/rpz.zone")" "*.bad.example CNAME ."
has "RPZ IP trigger" "$(cat "$WORK/rpz.zone")" "24.0.113.0.203.rpz-ip CNAME ."
has "IPv6 triggers in BIND's canonical form (the longest zero run is zz)" "$(cat "$WORK/rpz.zone")" "128.5.zz.db8.2001.rpz-ip CNAME ."
has "of two equal zero runs the first in address order" "$(cat "$WORK/rpz.zone")" "128.7.0.0.1.zz.db8.2001.rpz-ip CNAME ."
has "a single zero word is not zz" "$(cat "$WORK/rpz.zone")" "128.8.zz.1.0.db8.2001.rpz-ip CNAME ."
N=$WORK/named
mkdir "$N"
cp "$WORK/rpz.zone" "$N/rpz.zone"
cat >"$N/victims.zone" <<'ZONE'
$TTL 60
@ SOA localhost. hostmaster.localhost. 1 3600 600 604800 60
@ NS localhost.
listed4 A 198.51.100.7
net4 A 203.0.113.9
clean4 A 198.51.100.200
listed6 AAAA 2001:db8::5
net6 AAAA 2001:db8:bad:1::1
tie6 AAAA 2001:db8::1:0:0:7
one6 AAAA 2001:db8:0:1::8
pref6 AAAA 2001:db8:1::99
clean6 AAAA 2001:db8:2::1
ZONE
NP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$N/named.conf" <<CONF
options {
	directory "$N";
	pid-file "$N/named.pid";
	listen-on port $NP { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion yes;
	allow-query { 127.0.0.1; };
	allow-recursion { 127.0.0.1; };
	dnssec-validation no;
	response-policy { zone "rpz.test"; } qname-wait-recurse no;
};
controls { };
zone "rpz.test" { type primary; file "$N/rpz.zone"; allow-query { none; }; };
zone "victims.test" { type primary; file "$N/victims.zone"; };
CONF
named -g -c "$N/named.conf" >"$N/named.log" 2>&1 &
NPID=$!
for _ in $(seq 1 100); do
	grep -q "running" "$N/named.log" && break
	sleep 0.1
done
rcode() { dig +time=2 +tries=1 -p "$NP" @127.0.0.1 "$1.victims.test" "$2" | sed -n 's/.*status: \([A-Z]*\).*/\1/p'; }
eq "named loaded every rpz-ip trigger (none refused as not canonical)" \
	"$(grep -c 'not the canonical\|invalid rpz' "$N/named.log")" 0
eq "named enforces the RPZ on a listed IPv4 address" "$(rcode listed4 A)" NXDOMAIN
eq "on an address in a listed IPv4 prefix" "$(rcode net4 A)" NXDOMAIN
eq "not on an unlisted IPv4 address" "$(rcode clean4 A)" NOERROR
eq "on a listed IPv6 address" "$(rcode listed6 AAAA)" NXDOMAIN
eq "on an address in a listed IPv6 prefix" "$(rcode net6 AAAA)" NXDOMAIN
eq "on IPv6 addresses with two zero runs and with a single zero word" \
	"$(rcode tie6 AAAA) $(rcode one6 AAAA) $(rcode pref6 AAAA)" "NXDOMAIN NXDOMAIN NXDOMAIN"
eq "not on an unlisted IPv6 address" "$(rcode clean6 AAAA)" NOERROR
kill "$NPID" 2>/dev/null
wait "$NPID" 2>/dev/null
grep -q 'not the canonical' "$N/named.log" && grep 'rpz' "$N/named.log" | head -5

# Suricata IP reputation: ip,category,score with score 0..127; Zeek Intel: tab-separated, #fields
sur=$("$C5" export --format suricata-iprep)
eq "Suricata lines are ip,category,score" "$(echo "$sur" | grep -cvE '^[0-9a-f.:/]+,([1-9]|1[01]),([0-9]|[1-9][0-9]|1[01][0-9]|12[0-7])$')" 0
has "Suricata category of fraud is 8" "$sur" "192.0.2.66,8,76"
# and the categories file (reputation-categories-file) those ids name: id,short name,description
"$C5" export --format suricata-iprep --categories "$WORK/categories.txt" --output "$WORK/iprep.list" 2>/dev/null
eq "--categories writes Suricata's categories file" "$(sed -n '2p;8p' "$WORK/categories.txt" | cut -d, -f1,2 | tr '\n' ' ')" "2,malicious-code 8,fraud "
eq "its lines are id (1..60),short name (as iprep rules name it),description" \
	"$(grep -cvE '^([1-9]|[1-5][0-9]|60),[A-Za-z0-9_-]{1,32},[^,]+$' "$WORK/categories.txt")" 0
eq "every category the list uses is in it" \
	"$(cut -d, -f2 "$WORK/iprep.list" | sort -u | while read -r id; do grep -q "^$id," "$WORK/categories.txt" || echo "$id"; done)" ""
out=$("$C5" export --format csv --categories "$WORK/c2.txt" 2>&1); rc=$?
eq "--categories with another format is refused" "$rc:$(test -e "$WORK/c2.txt" && echo written)" "2:"
has "saying which format it goes with" "$out" "--categories goes with --format suricata-iprep"
zk=$("$C5" export --format zeek-intel)
eq "Zeek header" "$(echo "$zk" | head -1)" "$(printf '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc')"
eq "Zeek rows have 4 tab-separated fields" "$(echo "$zk" | tail -n +2 | awk -F'\t' 'NF != 4' | wc -l)" 0
has "Zeek subnet type" "$zk" "$(printf '100.0.0.0/8\tIntel::SUBNET')"

# times: one range (1970 to 9999) from parse to format; a time format cannot
# write back is refused at ingest naming its column, the ends are exact
printf 'value,last_seen\n198.51.100.95,999999999999\n' >"$WORK/far.csv"
out=$("$C5" ingest --tlp green --confidence 90 "$WORK/far.csv" 2>&1); rc=$?
eq "a Unix time past year 9999 is refused" "$rc" 1
has "naming the column" "$out" "column 'last_seen': invalid time '999999999999'"
"$C5" lookup 198.51.100.95 >/dev/null; eq "and nothing was stored" "$?" 1
printf 'value,valid_until\nfar.example,9999-12-31T23:59:59Z\n' >"$WORK/end.csv"
"$C5" ingest --tlp green --confidence 90 --classification fraud/phishing "$WORK/end.csv" >/dev/null
eq "the last second of 9999 is written back exactly" \
	"$("$C5" export --format csv --type domain-name | grep '^domain-name,far.example,' | cut -d, -f10)" "9999-12-31T23:59:59Z"
