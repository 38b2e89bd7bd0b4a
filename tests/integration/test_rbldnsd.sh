#!/usr/bin/env bash
# test_rbldnsd.sh — `c5hub ingest --format rbldnsd` on rbldnsd zone data
# (ip4set with partial prefixes, CIDR, ranges, exclusions and directives;
# ip6trie; dnset with wildcards and exclusions): the real rbldnsd serves the
# same files and c5hub's DNS blocklist must list exactly the same names.
# Bad data is refused whole, with the file and line named.  Two differences,
# by design: an exclusion (like a listing) covers the names below it, and
# values on a warning list (private space here) are never published.
. "$(dirname "$0")/lib.sh"
plan 18

"$C5" init >/dev/null
Z=$WORK/rbl
mkdir -m 755 "$Z"
cat >"$Z/ip4.rbl" <<'ZONE'
# a Spamhaus-style ip4set
$TTL 3600
$SOA 3600 ns.example. hostmaster.example. 0 600 300 86400 300
$NS 3600 ns.example.
:127.0.0.2:Listed, see http://cirt.example/q?$
192.0.2.1
192.0.2.8-192.0.2.19 :3:a range
198.51.100 :127.0.0.4:a whole /24 by octets
203.0.113.0/25
198.18.1.1-7
10.9.9.9
!198.51.100.7
; another comment style
ZONE
cat >"$Z/ip6.rbl" <<'ZONE'
2001:db8:bad::/48
2001:db8::7
ZONE
cat >"$Z/dom.rbl" <<'ZONE'
# a dnset
:2:listed domain
*.bad.example
.evil.example :3:
!good.evil.example
ZONE
chmod 644 "$Z"/*.rbl
out=$("$C5" ingest --format rbldnsd --source zone4 --tlp green --confidence 80 "$Z/ip4.rbl"); rc=$?
eq "ip4set data loads" "$rc" 0
has "ranges become prefixes (10 records)" "$out" "10 indicators"
"$C5" ingest --format rbldnsd --dataset ip6trie --source zone6 --tlp green --confidence 80 "$Z/ip6.rbl" >/dev/null
"$C5" ingest --format rbldnsd --dataset dnset --source zoned --tlp green --confidence 80 "$Z/dom.rbl" >/dev/null
eq "an exclusion is a false-positive report" "$(sqlite3 "$C5HUB_DB" "select classification, confidence from indicators where value = '198.51.100.7'")" "false-positive|100"
eq "198.18.1.1-7 is 198.18.1.1, .2/31, .4/30" "$(sqlite3 "$C5HUB_DB" "select group_concat(value, ' ') from indicators where value like '198.18.1.%'")" "198.18.1.1 198.18.1.2/31 198.18.1.4/30"

RP=$((20000 + RANDOM % 20000))
rbldnsd -n -b 127.0.0.1/$RP -r "$Z" -w / ip.rbl.test:ip4set:ip4.rbl ip.rbl.test:ip6trie:ip6.rbl \
	dbl.rbl.test:dnset:dom.rbl >"$WORK/rbldnsd.log" 2>&1 &
RPID=$!
"$C5" serve --http 127.0.0.1:0 --dns 127.0.0.1:0 --ip-zone ip.rbl.test --domain-zone dbl.rbl.test >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
	DP=$(sed -n 's/.*DNS blocklist on udp+tcp 127.0.0.1 port \([0-9]*\) .*/\1/p' "$WORK/serve.log")
	# both answer a listed name: rbldnsd has read its zones, c5hub its index
	[ -n "$DP" ] && [ -n "$(dig +short +time=1 +tries=1 -p $RP @127.0.0.1 1.2.0.192.ip.rbl.test A 2>/dev/null)" ] &&
		[ -n "$(dig +short +time=1 +tries=1 -p "$DP" @127.0.0.1 1.2.0.192.ip.rbl.test A 2>/dev/null)" ] && break
	sleep 0.1
done
listed() { [ -n "$(dig +short +time=2 +tries=1 -p "$1" @127.0.0.1 "$2" A)" ] && echo yes || echo no; }
same=0 total=0 yes=0
for n in 1.2.0.192 2.2.0.192 7.2.0.192 8.2.0.192 15.2.0.192 19.2.0.192 20.2.0.192 \
	1.100.51.198 7.100.51.198 8.100.51.198 255.100.51.198 1.101.51.198 \
	0.113.0.203 127.113.0.203 128.113.0.203 0.1.18.198 1.1.18.198 7.1.18.198 8.1.18.198 \
	1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.a.b.0.8.b.d.0.1.0.0.2 \
	7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 \
	8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2; do
	a=$(listed $RP "$n.ip.rbl.test"); b=$(listed "$DP" "$n.ip.rbl.test")
	total=$((total + 1)); [ "$a" = yes ] && yes=$((yes + 1))
	[ "$a" = "$b" ] && same=$((same + 1)) || echo "# differ: $n rbldnsd=$a c5hub=$b"
done
for n in www.bad.example a.b.bad.example evil.example www.evil.example good.evil.example \
	good.example; do
	a=$(listed $RP "$n.dbl.rbl.test"); b=$(listed "$DP" "$n.dbl.rbl.test")
	total=$((total + 1)); [ "$a" = yes ] && yes=$((yes + 1))
	[ "$a" = "$b" ] && same=$((same + 1)) || echo "# differ: $n rbldnsd=$a c5hub=$b"
done
eq "c5hub lists what rbldnsd lists ($total names)" "$same" "$total"
eq "of which rbldnsd lists" "$yes" 17
# the differences by design: a private address is on a warning list, never published
eq "10.9.9.9: rbldnsd lists it" "$(listed $RP 9.9.9.10.ip.rbl.test)" yes
eq "10.9.9.9: c5hub does not (warning list)" "$(listed "$DP" 9.9.9.10.ip.rbl.test)" no
# and an exclusion, like a listing, covers the names below it
eq "x.good.evil.example: excluded with its parent" "$(listed "$DP" x.good.evil.example.dbl.rbl.test)" no
[ "$same" = "$total" ] || cat "$WORK/rbldnsd.log"
kill $RPID 2>/dev/null
stop_server

# bad data: refused whole, the line named
n0=$(sqlite3 "$C5HUB_DB" 'select count(*) from indicators')
bad() { # DESC WANT LINES...
	local d=$1 want=$2
	shift 2
	printf '%s\n' "$@" >"$WORK/bad.rbl"
	out=$("$C5" ingest --format rbldnsd --source bad "$WORK/bad.rbl" 2>&1)
	has "$d" "$out" "$want"
}
bad "unknown directive" "bad.rbl:2: unknown directive '\$FOO'" "192.0.2.200" '$FOO 1'
bad "backwards range" "bad.rbl:2: range '192.0.2.9-192.0.2.1' ends before it starts" "192.0.2.200" "192.0.2.9-192.0.2.1"
bad "bad A value" "bad.rbl:1: bad A value '127.0.0.300'" ":127.0.0.300:x"
bad "bad address" "bad.rbl:1: not an IPv4 entry: '192.0.2.1/33'" "192.0.2.1/33"
bad "bad \$TTL" "bad.rbl:1: \$TTL must be a number" '$TTL soon'
bad "a bare exclusion" "bad.rbl:1: an exclusion needs an entry" "!"
printf '192.0.2.200\n192.0.2.0/24\n' >"$WORK/tset.rbl"
out=$("$C5" ingest --format rbldnsd --dataset ip4tset --source bad "$WORK/tset.rbl" 2>&1)
has "ip4tset holds single addresses" "$out" "tset.rbl:2: ip4tset holds single addresses"
out=$("$C5" ingest --format list --dataset dnset "$WORK/tset.rbl" 2>&1)
eq "--dataset without --format rbldnsd is refused" "$?" 2
eq "nothing of the bad files was stored" "$(sqlite3 "$C5HUB_DB" 'select count(*) from indicators')" "$n0"
