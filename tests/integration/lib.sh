# lib.sh — helpers for black-box tests: run the real binary, start the real
# server on a free loopback port, talk to it with curl.  Each check prints
# "ok - ..." or "not ok - ...".  A script says how many checks it runs with
# `plan N` near its top; at exit lib_end prints "# plan: planned N, ran M"
# (tests/run.sh checks that line, the exit status and the output) and fails
# the script when a check is missing, a sanitizer reported anything from any
# process the script ran, or the script stopped early.
set -u

C5=${C5:-$PWD/${BUILD:-build}/c5hub}
WORK=$(mktemp -d /tmp/c5it.XXXXXX)
export C5HUB_DB=$WORK/hub.db
SERVER_PID=
PORT=
BASE=
PLAN=
# Every ASan/UBSan/LSan report of every process goes to a file here, even
# from commands whose stderr a check throws away; lib_end looks at them.
LIB_RAN=$WORK/.ran LIB_SAN=$(mktemp -d /tmp/c5san.XXXXXX)
: >"$LIB_RAN"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$LIB_SAN/asan"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:log_path=$LIB_SAN/ubsan"
# VALGRIND=1: every c5hub the script runs runs under Valgrind memcheck
# (tests/tools/valgrind-c5hub), its reports in the same place
if [ "${VALGRIND:-0}" = 1 ]; then
	export C5_REAL=$C5 C5_SAN_DIR=$LIB_SAN
	C5=$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd)/valgrind-c5hub
fi

cleanup() {
	[ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
	rm -rf "$WORK"
}

# plan N: the script runs N checks
plan() { PLAN=$1; }

# lib_end STATUS: the exit trap (a script with its own trap calls it last,
# with the status it saved first): the plan line, sanitizer reports, cleanup
lib_end() {
	local rc=$1 ran f
	ran=$(wc -l <"$LIB_RAN" 2>/dev/null || echo 0)
	ran=${ran// /}
	for f in "$LIB_SAN"/*; do
		[ -s "$f" ] || continue # (valgrind -q leaves an empty file when clean)
		echo "not ok - sanitizer report from a process the script ran ($(basename "$f")):"
		cat "$f"
		rc=1
	done
	rm -rf "$LIB_SAN"
	echo "# plan: planned ${PLAN:-none}, ran $ran"
	if [ -z "$PLAN" ]; then
		echo "not ok - the script has no plan line (plan N)"
		rc=1
	elif [ "$ran" != "$PLAN" ]; then
		echo "not ok - planned $PLAN, ran $ran (a check was skipped or the script stopped early)"
		rc=1
	fi
	[ "$rc" -eq 0 ] || echo "# exit status $rc"
	cleanup
	exit "$rc"
}
trap 'lib_end $?' EXIT

pass() { echo . >>"$LIB_RAN"; echo "ok - $1"; }
fail() { echo . >>"$LIB_RAN"; echo "not ok - $1"; }

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
	# (reports go to files lib_end reads; this catches one written to stderr)
	if grep -q 'Sanitizer\|runtime error' "$WORK/serve.log"; then
		echo "not ok - server log is clean of sanitizer reports"
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

# ---- the machine's one real SMTP server (OpenSMTPD, a Maildir per recipient
# under $MAIL) for the scripts that read the mail the hub sends.  One smtpd
# per machine (a shared queue and control socket): a script that wants it
# takes a lock in /tmp and waits for another run to end, never kills it; a
# packaged instance started by apt is stopped for the run.  smtp_setup
# writes the configuration, takes the lock and starts the server (SMTP_PORT,
# SMTP, MAIL; its pid in SMTPD_PID and the caller's PIDS array);
# smtp_stop / smtp_start stop and start it again.
smtp_setup() {
	SMTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	SMTP=smtp://127.0.0.1:$SMTP_PORT
	MAIL=$WORK/mail
	mkdir -m 777 "$MAIL"
	cat >"$WORK/smtpd.conf" <<SMTPD
table vusers file:$WORK/vusers
listen on 127.0.0.1 port $SMTP_PORT
action "maildir" maildir "$MAIL/%{rcpt}" virtual <vusers>
match from any for any action "maildir"
SMTPD
	echo "@ nobody" >"$WORK/vusers"
	chmod 644 "$WORK/smtpd.conf" "$WORK/vusers"
	exec 9>/tmp/c5hub-test-smtpd.lock
	flock 9
	if pgrep -x smtpd >/dev/null; then
		systemctl stop opensmtpd 2>/dev/null || service opensmtpd stop 2>/dev/null || pkill -x smtpd
		sleep 0.5
	fi
	smtp_start
}
smtp_start() {
	/usr/sbin/smtpd -d -f "$WORK/smtpd.conf" >>"$WORK/smtpd.log" 2>&1 9>&- &
	SMTPD_PID=$!
	PIDS+=("$SMTPD_PID")
	for _ in $(seq 1 100); do
		curl -s --max-time 1 "smtp://127.0.0.1:$SMTP_PORT" -X NOOP >/dev/null 2>&1 && return 0
		sleep 0.05
	done
}
smtp_stop() { kill "$SMTPD_PID" 2>/dev/null; wait "$SMTPD_PID" 2>/dev/null; }
