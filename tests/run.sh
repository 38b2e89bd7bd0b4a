#!/usr/bin/env bash
# run.sh — the whole suite for one build ($BUILD, default build/): the cmocka
# unit tests, the fuzz seed corpora replayed, and the black-box scripts that
# start the real binary.  A part fails on a non-zero exit, a sanitizer report
# anywhere in its output, and (scripts) a missing or unmet plan: each script
# says `plan N` and lib.sh ends it with "# plan: planned N, ran M".
# Ends with "N passed, N failed"; exits non-zero on any
# failure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
passed=0 failed=0
log=$(mktemp)
SANITIZER='ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:\|SUMMARY: [A-Za-z]*Sanitizer\|WARNING: ThreadSanitizer'

# sanitized FILE: a sanitizer reported something in FILE
sanitized() { grep -q "$SANITIZER" "$1"; }

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	"$t" >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	passed=$((passed + ${p:-0}))
	if [ "$rc" -eq 0 ] && [ -z "$f" ] && ! sanitized "$log"; then
		echo "unit $(basename "$t"): ${p:-0} passed"
	else
		cat "$log"
		failed=$((failed + ${f:-1}))
		echo "not ok - unit $(basename "$t"): exit status $rc, ${f:-0} failed$(sanitized "$log" && echo ', sanitizer report')"
	fi
done

for r in "$BUILD"/fuzz/*-replay; do
	[ -x "$r" ] || continue
	name=$(basename "$r" -replay)
	"$r" fuzz/corpus/"${name#fuzz_}"/* >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! sanitized "$log"; then
		passed=$((passed + 1)); echo "fuzz corpus $name: replayed"
	else
		cat "$log"; failed=$((failed + 1))
		echo "not ok - fuzz corpus $name: exit status $rc$(sanitized "$log" && echo ', sanitizer report')"
	fi
done

for s in tests/integration/test_*.sh; do
	name=$(basename "$s")
	bash "$s" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	planline=$(grep '^# plan: ' "$log" | tail -1)
	why=
	[ "$rc" -eq 0 ] || why="$why, exit status $rc"
	if [ -z "$planline" ]; then
		why="$why, no plan line (the script died before its end, or does not use lib.sh)"
	else
		planned=$(echo "$planline" | sed -n 's/^# plan: planned \([0-9a-z]*\), ran \([0-9]*\)$/\1/p')
		ran=$(echo "$planline" | sed -n 's/^# plan: planned \([0-9a-z]*\), ran \([0-9]*\)$/\2/p')
		[ "$planned" = "$ran" ] || why="$why, planned $planned, ran $ran"
	fi
	sanitized "$log" && why="$why, sanitizer report in its output"
	passed=$((passed + p)); failed=$((failed + f))
	if [ -n "$why" ]; then
		cat "$log"
		[ "$f" -gt 0 ] || failed=$((failed + 1))
		echo "not ok - black-box $name: $p passed, $f failed${why}"
	else
		echo "black-box $name: $p passed, $f failed"
		grep '^not ok - ' "$log"
	fi
done
rm -f "$log"
echo "$passed passed, $failed failed"
echo "$passed passed, $failed failed" >"$BUILD/test-summary"
[ "$failed" -eq 0 ]
