#!/usr/bin/env python3
"""cindex.py — the composite index's benchmark peer: the same computation as
`c5hub assess index` (min-max normalisation with directions, equal weights,
arithmetic aggregation in pillars then a composite, a Monte Carlo over the
weights: each weight times 1 + s(2u - 1), renormalised in its group, ranks
per run, median and 5-95 % nearest-rank percentiles) in Python with numpy,
with the same generator (xoshiro256** seeded by splitmix64, one stream per
run, see src/cindex/cindex.h) vectorised across the runs, so the same seed
gives the same draws.

  cindex.py gen DIR N M P          write DIR/matrix.csv and DIR/pillars.csv
  cindex.py run MATRIX PILLARS RUNS SEED [SPREAD] > out.csv
"""
import csv
import random
import sys

M64 = (1 << 64) - 1


def gen(d, n, m, p):
    rnd = random.Random(20)
    with open(f"{d}/matrix.csv", "w") as f:
        f.write("entity," + ",".join(f"i{j}" for j in range(m)) + "\n")
        for i in range(n):
            f.write(f"e{i}," + ",".join(f"{rnd.uniform(0, 100):.4f}" for _ in range(m)) + "\n")
    with open(f"{d}/pillars.csv", "w") as f:
        f.write("indicator,pillar,direction\n")
        for j in range(m):
            f.write(f"i{j},p{j % p},{-1 if j % 7 == 0 else 1}\n")


def run(matrix, pillars, runs, seed, spread):
    import numpy as np

    u64 = np.uint64

    def splitmix(x):  # x: array of states, advanced in place; returns outputs
        x += u64(0x9E3779B97F4A7C15)
        z = x.copy()
        z = (z ^ (z >> u64(30))) * u64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> u64(27))) * u64(0x94D049BB133111EB)
        return z ^ (z >> u64(31))

    def rotl(x, k):
        return (x << u64(k)) | (x >> u64(64 - k))

    with open(matrix) as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    names, inds = [r[0] for r in rows[1:]], rows[0][1:]
    X = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    with open(pillars) as f:
        prow = [r for r in csv.reader(f) if r and not r[0].startswith("#")][1:]
    pil_names, pil_of, direction = [], {}, {}
    for ind, pil, dr in prow:
        if pil not in pil_names:
            pil_names.append(pil)
        pil_of[ind] = pil_names.index(pil)
        direction[ind] = -1 if dr.strip() in ("-1", "lower") else 1
    n, m, npil = X.shape[0], X.shape[1], len(pil_names)
    pil = np.array([pil_of[i] for i in inds])
    dirs = np.array([direction[i] for i in inds])
    mn, mx = X.min(axis=0), X.max(axis=0)
    N = np.where(dirs > 0, X - mn, mx - X) / (mx - mn)
    member = np.zeros((m, npil))
    member[np.arange(m), pil] = 1
    cnt = member.sum(axis=0)
    w0 = 1.0 / cnt[pil]                      # equal within each pillar
    pw0 = np.full(npil, 1.0 / npil)
    # the draw order: pillar by pillar, each pillar's indicators in order
    draw_order = np.concatenate([np.nonzero(pil == p)[0] for p in range(npil)])

    # generators of every run, side by side
    r = np.arange(runs, dtype=np.uint64)
    x = u64(seed) ^ (u64(0xD1B54A32D192ED03) * (r + u64(1)))
    s0, s1, s2, s3 = splitmix(x), splitmix(x), splitmix(x), splitmix(x)
    U = np.empty((runs, m + npil))
    for k in range(m + npil):
        res = rotl(s1 * u64(5), 7) * u64(9)
        t = s1 << u64(17)
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        U[:, k] = (res >> u64(11)).astype(np.float64) * 2.0 ** -53
    W = np.empty((runs, m))
    W[:, draw_order] = w0[draw_order] * (1 + spread * (2 * U[:, :m] - 1))
    W /= (W @ member)[:, pil]
    PW = pw0 * (1 + spread * (2 * U[:, m:] - 1))
    PW /= PW.sum(axis=1, keepdims=True)

    ranks = np.empty((runs, n), dtype=np.int64)
    score_sum = np.zeros(n)
    chunk = 500
    for a in range(0, runs, chunk):
        w = W[a:a + chunk]                                        # (c, m)
        pillar = np.einsum("im,cm,mp->cip", N, w, member)         # (c, n, np)
        pillar /= (w @ member)[:, None, :]
        comp = pillar @ PW[a:a + chunk, :, None]                  # (c, n, 1)
        comp = comp[:, :, 0] / PW[a:a + chunk].sum(axis=1)[:, None]
        order = np.argsort(-comp, axis=1, kind="stable")
        rk = np.empty_like(order)
        np.put_along_axis(rk, order, np.arange(1, n + 1)[None, :].repeat(len(comp), 0), axis=1)
        ranks[a:a + chunk] = rk
        score_sum += comp.sum(axis=0)
    q = np.percentile(ranks, [50, 5, 95], axis=0, method="inverted_cdf")
    # the nominal index
    pillar = (N * w0) @ member
    score = pillar.mean(axis=1)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["entity", "score", "mc_median_rank", "mc_rank_p05", "mc_rank_p95", "mc_mean_score"])
    for i in np.argsort(-score, kind="stable"):
        out.writerow([names[i], f"{score[i]:.10g}", int(q[0, i]), int(q[1, i]), int(q[2, i]),
                      f"{score_sum[i] / runs:.10g}"])


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) in (6, 7) and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
            float(sys.argv[6]) if len(sys.argv) == 7 else 0.2)
    else:
        sys.exit(__doc__)
