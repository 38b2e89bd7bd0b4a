#!/usr/bin/env bash
# run.sh — the whole suite for one build ($BUILD, default build/): the cmocka
# unit tests, the fuzz seed corpora replayed, and the black-box scripts that
# start the real binary.  A part fails on a non-zero exit, a sanitizer or
# Valgrind report anywhere in its output, and (scripts) a missing or unmet
# plan: each script says `plan N` and lib.sh ends it with
# "# plan: planned N, ran M".  Ends with "N passed, N failed" (also in
# $SUMMARY, default $BUILD/test-summary); exits non-zero on any failure.
#   VALGRIND=1   every unit test, corpus replay and c5hub under Valgrind
#                memcheck (uninitialised values: what ASan cannot see)
#   SCRIPTS="cli api"  only these black-box scripts (default: all)
#   JOBS=N       run N scripts at once (default 1)
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SUMMARY=${SUMMARY:-$BUILD/test-summary}
JOBS=${JOBS:-1}
export BUILD
passed=0 failed=0
log=$(mktemp)
SANITIZER='ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:\|SUMMARY: [A-Za-z]*Sanitizer\|WARNING: ThreadSanitizer\|^==[0-9]*== [A-Z]'
VG=()
if [ "${VALGRIND:-0}" = 1 ]; then
	export VALGRIND
	# --fair-sched: Valgrind runs one thread at a time, and with its default
	# lock a thread spinning for another (test_idx's writer waiting for its
	# readers) can starve it for many minutes
	VG=(valgrind -q --fair-sched=yes --error-exitcode=99 --leak-check=no --num-callers=30
	    --suppressions=tests/tools/valgrind.supp)
fi

# sanitized FILE: a sanitizer reported something in FILE
sanitized() { grep -q "$SANITIZER" "$1"; }

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	timeout 900 "${VG[@]}" "$t" >"$log" 2>&1 # a hang fails the part, never stalls the run
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
	timeout 900 "${VG[@]}" "$r" fuzz/corpus/"${name#fuzz_}"/* >"$log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! sanitized "$log"; then
		passed=$((passed + 1)); echo "fuzz corpus $name: replayed"
	else
		cat "$log"; failed=$((failed + 1))
		echo "not ok - fuzz corpus $name: exit status $rc$(sanitized "$log" && echo ', sanitizer report')"
	fi
done

# judge NAME LOG RC: count a script's checks and say whether it passed
judge() {
	local name=$1 log=$2 rc=$3 p f planline planned ran why=
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	planline=$(grep '^# plan: ' "$log" | tail -1)
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
}

scripts=()
if [ -n "${SCRIPTS:-}" ]; then
	for n in $SCRIPTS; do scripts+=("tests/integration/test_$n.sh"); done
else
	scripts=(tests/integration/test_*.sh)
fi
# up to JOBS at once; each judged, in order, as soon as it and those
# before it have ended
out=$(mktemp -d)
next=0 running=0
for ((k = 0; k < ${#scripts[@]}; k++)); do
	s=${scripts[k]}
	# a script that hangs is ended (and fails) after 30 minutes, never stalls the run
	(timeout -k 10 1800 bash "$s" >"$out/$k.log" 2>&1; echo $? >"$out/$k.rc.tmp"; mv "$out/$k.rc.tmp" "$out/$k.rc") &
	running=$((running + 1))
	while [ "$running" -ge "$JOBS" ] || { [ "$k" -eq $((${#scripts[@]} - 1)) ] && [ "$running" -gt 0 ]; }; do
		wait -n
		running=$((running - 1))
		while [ "$next" -le "$k" ] && [ -e "$out/$next.rc" ]; do
			judge "$(basename "${scripts[next]}")" "$out/$next.log" "$(cat "$out/$next.rc")"
			next=$((next + 1))
		done
	done
done
wait
for (( ; next < ${#scripts[@]}; next++)); do
	judge "$(basename "${scripts[next]}")" "$out/$next.log" "$(cat "$out/$next.rc" 2>/dev/null || echo 1)"
done
rm -rf "$out"
rm -f "$log"
echo "$passed passed, $failed failed"
echo "$passed passed, $failed failed" >"$SUMMARY"
[ "$failed" -eq 0 ]
