#!/usr/bin/env bash
# run.sh — the whole suite for one build ($BUILD, default build/): the cmocka
# unit tests, the fuzz seed corpora replayed, and the black-box scripts that
# start the real binary.  Ends with "N passed, N failed"; exits non-zero on
# any failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
passed=0 failed=0
log=$(mktemp)

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t" >"$log" 2>&1; then
		n=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		passed=$((passed + ${n:-0}))
		echo "unit $(basename "$t"): ${n:-0} passed"
	else
		cat "$log"
		p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-1}))
	fi
done

for r in "$BUILD"/fuzz/*-replay; do
	[ -x "$r" ] || continue
	name=$(basename "$r" -replay)
	if "$r" fuzz/corpus/"${name#fuzz_}"/* >"$log" 2>&1; then
		passed=$((passed + 1)); echo "fuzz corpus $name: replayed"
	else
		cat "$log"; failed=$((failed + 1)); echo "not ok - fuzz corpus $name"
	fi
done

for s in tests/integration/test_*.sh; do
	bash "$s" >"$log" 2>&1
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	passed=$((passed + p)); failed=$((failed + f))
	echo "black-box $(basename "$s"): $p passed, $f failed"
	grep '^not ok - ' "$log"
	if [ "$p" -eq 0 ]; then cat "$log"; failed=$((failed + 1)); fi
done
rm -f "$log"
echo "$passed passed, $failed failed"
echo "$passed passed, $failed failed" >"$BUILD/test-summary"
[ "$failed" -eq 0 ]
