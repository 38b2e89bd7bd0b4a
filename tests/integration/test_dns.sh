#!/usr/bin/env bash
# test_dns.sh — the DNS blocklist of `c5hub serve --dns` queried with dig over
# UDP and TCP: RFC 5782 keys, test points, apex, REFUSED, TLP and score
# filters, and new data answered within a second without a reload.
. "$(dirname "$0")/lib.sh"
plan 30

"$C5" init >/dev/null
printf '198.51.100.7\n203.0.113.0/24\nbad.example\n2001:db8::5\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n' >"$WORK/green.txt"
"$C5" ingest --tlp green --confidence 80 --classification malicious-code/c2-server "$WORK/green.txt" >/dev/null
printf '198.51.100.8\nsecret.hidden.test\n' >"$WORK/amber.txt"
"$C5" ingest --tlp amber --confidence 80 "$WORK/amber.txt" >/dev/null
printf '198.51.100.9\n' >"$WORK/weak.txt"
"$C5" ingest --tlp green --confidence 10 --classification fraud/phishing "$WORK/weak.txt" >/dev/null

start_server --dns 127.0.0.1:0 --ip-zone bl.test --domain-zone dbl.test \
	--hash-zone hash.test --min-score 50 --dns-txt 'c5hub: $ listed'
q() { dig +time=2 +tries=1 -p "$DP" @127.0.0.1 "$@"; }
short() { q +short "$@"; }
status() { q "$@" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p'; }

eq "listed IPv4: A in 127/8 by class" "$(short 7.100.51.198.bl.test A)" 127.0.0.3
eq "TXT from the template" "$(short 7.100.51.198.bl.test TXT)" '"c5hub: 198.51.100.7 listed"'
eq "address inside a listed prefix" "$(short 9.113.0.203.bl.test A)" 127.0.0.3
eq "not listed: NXDOMAIN" "$(status 1.1.51.198.bl.test A)" NXDOMAIN
has "negative answer carries the SOA" "$(q 1.1.51.198.bl.test A)" "IN	SOA	ns.bl.test. hostmaster.bl.test."
eq "AMBER is not published" "$(status 8.100.51.198.bl.test A)" NXDOMAIN
eq "below --min-score is not published" "$(status 9.100.51.198.bl.test A)" NXDOMAIN
eq "IPv6 as 32 nibbles" "$(short 5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test A)" 127.0.0.3
eq "test point 127.0.0.2 listed" "$(short 2.0.0.127.bl.test A)" 127.0.0.2
eq "test point 127.0.0.1 not listed" "$(status 1.0.0.127.bl.test A)" NXDOMAIN
eq "IPv6 test point ::ffff:7f00:2" "$(short 2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.test A)" 127.0.0.2
eq "intermediate name: NOERROR, no data" "$(status 100.51.198.bl.test A)" NOERROR
eq "domain zone, name under a listed domain" "$(short www.bad.example.dbl.test A)" 127.0.0.3
eq "parent of a listed domain exists (NOERROR)" "$(status example.dbl.test A)" NOERROR
eq "unrelated name does not (NXDOMAIN)" "$(status other.dbl.test A)" NXDOMAIN
eq "an AMBER name does not reveal its parent" "$(status hidden.test.dbl.test A)" NXDOMAIN
eq "domain zone TEST" "$(short TEST.dbl.test A)" 127.0.0.2
eq "domain zone INVALID" "$(status INVALID.dbl.test A)" NXDOMAIN
eq "SHA-256 in two labels" "$(short e3b0c44298fc1c149afbf4c8996fb924.27ae41e4649b934ca495991b7852b855.hash.test A)" 127.0.0.3
eq "case-insensitive" "$(short 7.100.51.198.BL.TEST A)" 127.0.0.3
eq "over TCP" "$(short +tcp 7.100.51.198.bl.test A)" 127.0.0.3
eq "without EDNS" "$(short +noedns 7.100.51.198.bl.test A)" 127.0.0.3
has "EDNS answered with our payload size" "$(q +edns=0 7.100.51.198.bl.test A)" "udp: 1232"
eq "apex SOA" "$(short bl.test SOA | cut -d' ' -f1-2)" "ns.bl.test. hostmaster.bl.test."
eq "apex NS" "$(short dbl.test NS)" "ns.bl.test."
eq "outside the zones: REFUSED" "$(status example.com A)" REFUSED

printf '192.0.2.77\n' >"$WORK/new.txt"
"$C5" ingest --tlp green --confidence 90 "$WORK/new.txt" >/dev/null
sleep 1.1
eq "new data answered within a second, no reload" "$(short 77.2.0.192.bl.test A)" 127.0.0.2
stop_server

# the thread count is bounded by the thread table
out=$("$C5" serve --http 127.0.0.1:0 --dns 127.0.0.1:0 --ip-zone bl.test --dns-threads 17 2>&1); rc=$?
has "dns-threads above 16 is refused, naming the option" "$out" "dns-threads must be 1 to 16, not '17'"
eq "...before anything starts (exit 2)" "$rc" 2
out=$("$C5" serve --http 127.0.0.1:0 --dns 127.0.0.1:0 --ip-zone bl.test --dns-threads 0 2>&1)
has "and 0 too" "$out" "dns-threads must be 1 to 16, not '0'"
