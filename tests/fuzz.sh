#!/usr/bin/env bash
# fuzz.sh SECONDS — build every fuzz/fuzz_*.c as a libFuzzer binary (clang,
# with ASan + UBSan) and run each for SECONDS, starting from its seed corpus.
# New inputs go to a scratch directory; crashes are kept in build-fuzz/.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-20}
out=build-fuzz
mkdir -p "$out"
echo "0 passed, 1 failed" >"$out/test-summary"
command -v clang >/dev/null || { echo "fuzz: clang not installed"; exit 1; }
n=0
make -s $(for f in data/reputation.conf data/warninglists.conf data/notify.conf data/templates/report.txt data/templates/warning.txt data/common-passwords.txt data/po/fr.po data/po/ar.po; do echo build/gen/$f.c; done)
srcs="$(find src/core src/ingest src/store src/index src/auth src/dns src/rep src/wlist src/hub src/cons src/audit src/pki src/notify src/stix src/misp src/iodef src/export src/people src/gw -name '*.c') src/http/batch.c src/web/form.c src/web/tpl.c src/web/i18n.c $(find build/gen/data -name "*.c")"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -Isrc -I/usr/include/libxml2 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
for t in fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	clang $flags -o "$out/$name" "$t" $srcs -lidn2 -lsqlite3 -lgnutls -largon2 -ljansson -lm -pthread
	scratch=$(mktemp -d)
	cp fuzz/corpus/"${name#fuzz_}"/* "$scratch"/ 2>/dev/null || true
	echo "fuzz: $name for ${secs}s"
	"$out/$name" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$out/$name-" \
		-print_final_stats=1 "$scratch" 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' || true
	crashes=$(ls "$out/$name"-crash-* "$out/$name"-leak-* "$out/$name"-timeout-* 2>/dev/null | wc -l)
	rm -rf "$scratch"
	if [ "$crashes" -gt 0 ]; then echo "fuzz: $name found $crashes failing inputs in $out/"; exit 1; fi
	n=$((n + 1))
done
echo "fuzz: no failures"
echo "$n passed, 0 failed" >"$out/test-summary"
