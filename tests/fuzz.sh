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
# the library once, with coverage and the sanitizers (make FUZZ=1), two
# compilers at a time; then each target linked against it
make -s -j"$(nproc)" FUZZ=1 BUILD=build-fuzz fuzz-bins >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
for t in fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	scratch=$(mktemp -d)
	cp fuzz/corpus/"${name#fuzz_}"/* "$scratch"/ 2>/dev/null || true
	echo "fuzz: $name for ${secs}s"
	"$out/fuzz/$name-libfuzzer" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$out/$name-" \
		-print_final_stats=1 "$scratch" 2>&1 | grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' || true
	crashes=$(ls "$out/$name"-crash-* "$out/$name"-leak-* "$out/$name"-timeout-* 2>/dev/null | wc -l)
	rm -rf "$scratch"
	if [ "$crashes" -gt 0 ]; then echo "fuzz: $name found $crashes failing inputs in $out/"; exit 1; fi
	n=$((n + 1))
done
echo "fuzz: no failures"
echo "$n passed, 0 failed" >"$out/test-summary"
