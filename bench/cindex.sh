#!/usr/bin/env bash
# cindex.sh — the composite index (`c5hub assess index`) over N entities x M
# indicators in P pillars with RUNS Monte Carlo runs (default 200 x 100, 10
# pillars, 10,000 runs; target under 2 s), beside the same computation in
# Python with numpy (bench/cindex.py: the same data, design, generator and
# seed), three runs each, the best wall time of each; then whether the two
# agree (median rank and 5-95 % interval of every entity).
set -eu
cd "$(dirname "$0")/.."
C5=${C5:-$PWD/build/c5hub}
N=${N:-200} M=${M:-100} P=${P:-10} RUNS=${RUNS:-10000} SEED=${SEED:-1}
PY=/usr/bin/python3  # Debian's, with python3-numpy (scripts/deps.sh --bench)
$PY -c 'import numpy' 2>/dev/null || { echo "cindex: python3-numpy missing; run scripts/deps.sh --bench"; exit 1; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
$PY bench/cindex.py gen "$d" "$N" "$M" "$P"
best() { # best of three wall times of "$@" > $d/out
	local b=
	for i in 1 2 3; do
		local t0 t1
		t0=$(date +%s.%N)
		"$@" >"$d/out"
		t1=$(date +%s.%N)
		b=$(echo "$t1 $t0 ${b:-1e9}" | awk '{t = $1 - $2; print (t < $3 ? t : $3)}')
	done
	echo "$b"
}
tc=$(best "$C5" assess index --input "$d/matrix.csv" --pillars "$d/pillars.csv" --runs "$RUNS" --seed "$SEED" --csv)
mv "$d/out" "$d/c.csv"
tp=$(best $PY bench/cindex.py run "$d/matrix.csv" "$d/pillars.csv" "$RUNS" "$SEED")
mv "$d/out" "$d/py.csv"
same=$($PY - "$d/c.csv" "$d/py.csv" <<'PYEOF'
import csv, sys
c = {r["entity"]: r for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))}
p = {r["entity"]: r for r in csv.DictReader(open(sys.argv[2]))}
keys = ("mc_median_rank", "mc_rank_p05", "mc_rank_p95")
same = sum(all(c[e][k] == p[e][k] for k in keys) for e in p)
diff = max(abs(float(c[e]["mc_mean_score"]) - float(p[e]["mc_mean_score"])) for e in p)
print(f"{same} of {len(p)} entities with the same median rank and 5-95 % interval; mean scores differ by at most {diff:.1e}")
PYEOF
)
echo "index: $N entities x $M indicators, $P pillars, $RUNS Monte Carlo runs (uniform +-20 %), seed $SEED"
printf 'c5hub assess index     %6.2f s  (target < 2 s)\n' "$tc"
printf 'python3 + numpy %s %6.2f s\n' "$($PY -c 'import numpy; print(numpy.__version__)')" "$tp"
echo "agreement: $same"
