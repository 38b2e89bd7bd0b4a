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

# start_server [SERVE-OPTIONS...]
start_server() {
	: >"$WORK/serve.log"
	"$C5" serve --http 127.0.0.1:0 "$@" >"$WORK/serve.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 200); do
		PORT=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.log")
		[ -n "$PORT" ] && break
		sleep 0.05
	done
	BASE=http://127.0.0.1:$PORT
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
