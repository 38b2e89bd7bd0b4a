#!/usr/bin/env python3
"""stix.py — STIX 2.1 ingest benchmarks (bounded, files only).

  stix.py C5HUB WORKDIR [INDICATORS]

1. The MITRE ATT&CK bundles in ../shared/testdata/attack/ (ICS and Mobile,
   3,971 objects with custom x-mitre types): `c5hub ingest --format stix`
   into a fresh database, best of 5; also less the time the same command
   takes on an empty bundle (the fixed cost of a process).  Target: 50,000
   objects/s.
2. A generated bundle of INDICATORS (default 1,000,000) indicator objects,
   each with an indexable pattern (addresses, domains, URLs, SHA-256), every
   one checked, kept and indexed.  Target: under 30 s.
Peer, same files, same run: Python's json.load of the bundle (parsing only:
no checks, nothing stored)."""
import json
import os
import re
import subprocess
import sys
import time

import stixgen

c5, work = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
here = os.path.dirname(os.path.abspath(__file__))
attack = os.path.join(here, "..", "..", "shared", "testdata", "attack")
os.makedirs(work, exist_ok=True)
db = os.path.join(work, "stix.db")
env = dict(os.environ, C5HUB_DB=db)


def fresh():
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    subprocess.run([c5, "init"], env=env, check=True, capture_output=True)


def ingest(*paths):
    t0 = time.time()
    out = subprocess.run([c5, "ingest", "--format", "stix", *paths], env=env, check=True,
                         capture_output=True, text=True).stdout
    return time.time() - t0, out


def peer(path):
    t0 = time.time()
    with open(path) as f:
        json.load(f)
    return time.time() - t0


# ---- 1. ATT&CK ----
files = [os.path.join(attack, f) for f in ("ics-attack.json", "mobile-attack-17.1.json")]
empty = os.path.join(work, "empty.json")
with open(empty, "w") as f:
    f.write('{"type":"bundle","id":"bundle--5b1b2b1e-0000-4000-8000-000000000001","objects":[]}')
best, objects, base = None, 0, None
for _ in range(5):
    fresh()
    t0, _ = ingest(empty)  # the fixed cost of a command: start, libraries, store, commit
    base = t0 if base is None else min(base, t0)
    fresh()
    dt, out = ingest(*files)
    objects = sum(int(n) for n in re.findall(r"(\d+) objects \(", out))
    best = dt if best is None else min(best, dt)
pdt = sum(peer(f) for f in files)
print(f"stix ingest, ATT&CK ICS + Mobile: {objects:,} objects in {best:.3f} s: "
      f"{objects / best:,.0f} objects/s whole command (best of 5)")
print(f"  less the {base * 1000:.0f} ms an empty bundle takes (process start, store, commit): "
      f"{objects / (best - base):,.0f} objects/s (target 50,000)")
print(f"  peer python3 json.load of the same files (parse only, in process): {objects / pdt:,.0f} objects/s")

# ---- 2. a million indicators ----
big = os.path.join(work, f"indicators-{count}.json")
if not os.path.exists(big):
    stixgen.write_indicators(big, count)
fresh()
dt, out = ingest(big)
made = re.search(r"-> (\d+) indicators indexed", out)
pdt = peer(big)
print(f"stix ingest, {count:,} generated indicator objects: {dt:.1f} s, {count / dt:,.0f} objects/s, "
      f"{int(made.group(1)) if made else 0:,} indicators indexed (target under 30 s)")
print(f"  peer python3 json.load of the same file (parse only): {pdt:.1f} s, {count / pdt:,.0f} objects/s")
