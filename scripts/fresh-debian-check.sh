#!/usr/bin/env bash
# fresh-debian-check.sh [--demo] [DIR] — the README promise on a fresh Debian
# 12: build a minimal bookworm root with debootstrap, clone this repository
# into it with ../shared beside, and run .ci/run there (which installs what
# it needs); with --demo, run the README's first command (`make demo`)
# instead and say how long it took from nothing to a hub answering on port
# 8080.  Needs root and debootstrap.
set -eu
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
demo=0
[ "${1:-}" = --demo ] && { demo=1; shift; }
root=${1:-/tmp/c5hub-fresh}
rm -rf "$root"
# the mirror is this machine's own (its apt configuration), never one named here
mirror=$( { sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null
	    sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\)[[:space:]]\{1,\}bookworm[[:space:]].*/\2/p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null; } |
	  tr ' ' '\n' | grep -v -- '-security' | grep . | head -1)
[ -n "$mirror" ] || { echo "fresh-debian-check: no Debian mirror in this machine's apt configuration" >&2; exit 1; }
start=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/work"
git clone -q "$top" "$root/work/main"
cp -r "$top/../shared" "$root/work/shared"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
trap 'umount "$root/dev" "$root/proc"' EXIT
if [ "$demo" = 1 ]; then
	chroot "$root" /bin/bash -c 'cd /work/main && apt-get install -y -q make >/dev/null && make demo' \
		>"$root/demo.log" 2>&1 &
	pid=$!
	until curl -sf http://127.0.0.1:8080/healthz >/dev/null; do
		kill -0 "$pid" 2>/dev/null || { cat "$root/demo.log"; echo "fresh-debian-check: make demo ended"; exit 1; }
		sleep 1
	done
	echo "fresh-debian-check: from nothing to a serving demo hub in $(( $(date +%s) - start )) s (mirror from apt: $mirror)"
	for p in $(pgrep -f c5hub); do # only the chroot's own
		[ "$(readlink "/proc/$p/root")" = "$root" ] && kill "$p"
	done
	wait "$pid" 2>/dev/null || true
	exit 0
fi
chroot "$root" /bin/bash -c 'cd /work/main && CI=true bash .ci/run'
echo "fresh-debian-check: from nothing to a passing suite in $(( $(date +%s) - start )) s (mirror from apt: $mirror)"
