#!/usr/bin/env python3
"""gen.py OUTDIR — the benchmark data set, deterministic (fixed seed):
1,000,000 distinct IPv4 /32s, 100,000 distinct prefixes with a routing-table-like
mix of lengths (mostly /24), and 1,000,000 domain names."""
import os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rnd = random.Random(1)

def ip(a):
    return "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255)

with open(os.path.join(out, "v4.txt"), "w") as f:
    seen = set()
    while len(seen) < 1000000:
        seen.add(rnd.getrandbits(32))
    for a in seen:
        f.write(ip(a) + "\n")
with open(os.path.join(out, "pfx.txt"), "w") as f:
    seen = set()
    while len(seen) < 100000:
        r = rnd.randrange(100)
        pl = 24 if r < 60 else 22 + rnd.randrange(2) if r < 80 else 19 + rnd.randrange(3) if r < 95 else 16 + rnd.randrange(3)
        seen.add((rnd.getrandbits(32) & ((0xFFFFFFFF << (32 - pl)) & 0xFFFFFFFF), pl))
    for a, pl in seen:
        f.write("%s/%d\n" % (ip(a), pl))
with open(os.path.join(out, "dom.txt"), "w") as f:
    for i in range(1000000):
        f.write("host%d.zone%d.example\n" % (i, i % 977))
