#!/usr/bin/env bash
# fresh-debian-check.sh [DIR] — the README promise on a fresh Debian 12: build a
# minimal bookworm root with debootstrap, clone this repository into it with
# ../shared beside, and run .ci/run there (which installs what it needs).
# Needs root and debootstrap; takes about five minutes.
set -eu
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
root=${1:-/tmp/c5hub-fresh}
rm -rf "$root"
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/work"
git clone -q "$top" "$root/work/main"
cp -r "$top/../shared" "$root/work/shared"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
trap 'umount "$root/dev" "$root/proc"' EXIT
chroot "$root" /bin/bash -c 'cd /work/main && CI=true bash .ci/run'
