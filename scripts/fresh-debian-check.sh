#!/usr/bin/env bash
# fresh-debian-check.sh [DIR] — the README promise on a fresh Debian 12: build a
# minimal bookworm root with debootstrap, clone this repository into it with
# ../shared beside, and run .ci/run there (which installs what it needs).
# Needs root and debootstrap; takes about five minutes.
set -eu
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
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
chroot "$root" /bin/bash -c 'cd /work/main && CI=true bash .ci/run'
echo "fresh-debian-check: from nothing to a passing suite in $(( $(date +%s) - start )) s (mirror from apt: $mirror)"
