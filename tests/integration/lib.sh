# lib.sh — helpers for black-box tests: run the real binary, start the real
# server on a free loopback port, talk to it with curl.  Each check prints
# "ok - ..." or "not ok - ..."; the runner counts them.
set -u

C5=${C5:-$PWD/${BUILD:-build}/c5hub}
WORK=$(mktemp -d /tmp/c5it.XXXXXX)
export C5HUB_DB=$WORK/hub.db
SERVER_PID=
PORT=
BASE=

cleanup() {
	[ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; }

# check DESC CMD...: the command succeeds
check() {
	local d=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$d"; else fail "$d"; fi
}

# eq DESC GOT WANT
eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# has DESC HAYSTACK NEEDLE
has() {
	case "$2" in *"$3"*) pass "$1" ;; *) fail "$1 ('$3' not in '${2:0:300}')" ;; esac
}

# start_server [SERVE-OPTIONS...]: the server on a free loopback port; sets
# PORT and BASE (http or https, as it says), and DP, the DNS port, when it
# serves DNS (--dns given, or WANT_DNS=1 when a --config file asks for it)
start_server() {
	local dns=${WANT_DNS:-0} a scheme=
	for a in "$@"; do [ "$a" = --dns ] && dns=1; done
	: >"$WORK/serve.log"
	"$C5" serve --http 127.0.0.1:0 "$@" >"$WORK/serve.log" 2>&1 &
	SERVER_PID=$!
	DP=
	for _ in $(seq 1 200); do
		PORT=$(sed -n 's|.*serving https\{0,1\}://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.log")
		scheme=$(sed -n 's|.*serving \(https\{0,1\}\)://127.0.0.1:.*|\1|p' "$WORK/serve.log")
		[ "$dns" = 1 ] && DP=$(sed -n 's/.*DNS blocklist on udp+tcp 127.0.0.1 port \([0-9]*\) .*/\1/p' "$WORK/serve.log")
		[ -n "$PORT" ] && { [ "$dns" = 0 ] || [ -n "$DP" ]; } && break
		sleep 0.05
	done
	BASE=$scheme://127.0.0.1:$PORT
	[ -n "$PORT" ] || { echo "server did not start:"; cat "$WORK/serve.log"; }
}

stop_server() {
	kill "${1:--TERM}" "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	if grep -q 'Sanitizer\|runtime error' "$WORK/serve.log"; then
		fail "server log is clean of sanitizer reports"
		cat "$WORK/serve.log"
	fi
}

# api TOKEN METHOD PATH [BODY] -> prints "STATUS BODY"
api() {
	local tok=$1 m=$2 p=$3 body=${4:-}
	local args=(-s -o "$WORK/resp" -w '%{http_code}' -X "$m")
	[ -n "$tok" ] && args+=(-H "Authorization: Bearer $tok")
	[ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
	local code
	code=$(curl "${args[@]}" "$BASE$p")
	echo "$code $(cat "$WORK/resp")"
}

# json FIELD-EXPRESSION < json : a value picked with python3 (a real JSON parser)
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# refused_certs CA.pem CA.key: in the current directory, client certificates
# a hub must refuse, made with openssl: exp.pem/.key (expired, by that CA),
# srv.pem/.key (by that CA, serverAuth only), oth.pem/.key (clientAuth, by
# another CA, other-ca.pem)
refused_certs() {
	local ca=$1 cakey=$2
	cat >ca.cnf <<'CNF'
[ca]
default_ca = c
[c]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = p
copy_extensions = none
[p]
commonName = supplied
[client]
extendedKeyUsage = clientAuth
basicConstraints = CA:FALSE
[server]
extendedKeyUsage = serverAuth
basicConstraints = CA:FALSE
CNF
	: >index.txt; echo 1000 >serial
	_csr() { openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$1.key" \
		-subj "/CN=$2" -out "$1.csr" 2>/dev/null; }
	_csr exp expired
	openssl ca -batch -config ca.cnf -cert "$ca" -keyfile "$cakey" -extensions client \
		-startdate 20200101000000Z -enddate 20200201000000Z -in exp.csr -out exp.pem >/dev/null 2>&1
	_csr srv server-only
	openssl ca -batch -config ca.cnf -cert "$ca" -keyfile "$cakey" -extensions server -days 30 \
		-in srv.csr -out srv.pem >/dev/null 2>&1
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key \
		-subj "/CN=Other CA" -days 30 -out other-ca.pem 2>/dev/null
	_csr oth other
	openssl x509 -req -in oth.csr -CA other-ca.pem -CAkey other-ca.key -set_serial 7 -days 30 \
		-extfile <(printf 'extendedKeyUsage = clientAuth\n') -out oth.pem 2>/dev/null
}
