#!/usr/bin/env bash
# pg.sh — a throw-away PostgreSQL for the tests and benchmarks: Debian's
# postgresql-15 binaries (initdb, pg_ctl) run in DIR, on a free loopback
# port, as an unprivileged user (c5test, made when run as root: initdb
# refuses root).  No system service is touched.
#   scripts/pg.sh start DIR   prints the connection string (database c5hub)
#   scripts/pg.sh stop DIR    stops it (DIR stays; remove it yourself)
#   scripts/pg.sh restart DIR stops it (fast: clients are cut off) and
#                             starts it again on the same port
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-} dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
	echo "usage: $0 start|stop|restart DIR" >&2
	exit 2
fi
[ -x "$PGBIN/initdb" ] || { echo "$0: no $PGBIN/initdb (install postgresql-15: scripts/deps.sh)" >&2; exit 1; }
# as whom: ourselves, or c5test when we are root
as() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	id c5test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin c5test
	as() { runuser -u c5test -- "$@"; }
fi
case $cmd in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" -eq 0 ] && chown c5test "$dir" && chmod 700 "$dir"
	as "$PGBIN/initdb" -D "$dir/data" -U c5 -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# a free port: the kernel picks one, we give it to PostgreSQL (a race
	# with another process is retried)
	for try in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		if as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
			-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=60" start >/dev/null; then
			echo "$port" >"$dir/port"
			as "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U c5 c5hub
			echo "postgresql://c5@127.0.0.1:$port/c5hub"
			exit 0
		fi
		grep -q "could not bind\|already in use" "$dir/log" 2>/dev/null || break
	done
	cat "$dir/log" >&2
	exit 1
	;;
restart)
	as "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -m fast -w -t 30 restart >/dev/null
	;;
stop)
	[ -d "$dir/data" ] || exit 0
	as "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
*)
	echo "usage: $0 start|stop|restart DIR" >&2
	exit 2
	;;
esac
