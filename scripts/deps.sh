#!/usr/bin/env bash
# deps.sh — install the Debian 12 packages c5hub needs to build, test and run.
# Installs only what is missing; needs root (or sudo).  --bench adds what
# the benchmarks compare against (nginx, wrk).
set -eu
pkgs="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev
libidn2-dev libgnutls28-dev libcmocka-dev curl sqlite3 python3 binutils clang
libclang-rt-14-dev dnsutils rbldnsd bind9 bind9-utils openssl libcurl4-gnutls-dev opensmtpd
python3-jsonschema libxml2-dev libxml2-utils libargon2-dev libjs-chart.js
chromium chromium-driver python3-selenium valgrind gnutls-bin postgresql libpq-dev"
[ "${1:-}" = --bench ] && pkgs="$pkgs wrk nginx-light bc rbldnsd dnsperf"
[ "${1:-}" = --bench ] && pkgs="$pkgs python3-numpy" # bench/cindex.sh's peer
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# npm (for the browser tests' axe-core): Debian's, unless one is installed
command -v npm >/dev/null || missing="$missing npm"
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
