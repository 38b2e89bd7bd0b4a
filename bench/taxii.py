#!/usr/bin/env python3
"""taxii.py — TAXII 2.1 read benchmarks (bounded, loopback only).

  taxii.py C5HUB WORKDIR [NGINX_PORT]

1. Page time, flat with collection size: collections of 10,000 and
   1,000,000 generated indicators (bench/stixgen.py); one page of 1,000
   objects read at the start, the middle and the end of each, 30 times
   each, median.  Target: the same at both sizes.
2. A full paged read of 100,000 objects (pages of 10,000 following "next"):
   target at least 100,000 objects/s.
Peer, same run, same client: nginx serving the bytes of one such page as a
static file (when NGINX_PORT is given and nginx is installed): the cost
of moving the page over HTTP, below which no server can go."""
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

import stixgen

c5, work = sys.argv[1], sys.argv[2]
ngx_port = int(sys.argv[3]) if len(sys.argv) > 3 else 18583
os.makedirs(work, exist_ok=True)
TT = "application/taxii+json;version=2.1"


def run(db, *args):
    return subprocess.run([c5, *args], env=dict(os.environ, C5HUB_DB=db), check=True,
                          capture_output=True, text=True).stdout.strip()


def build(n):
    db = os.path.join(work, f"taxii-{n}.db")
    for f in (db, db + "-wal", db + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    src = os.path.join(work, f"indicators-{n}.json")
    if not os.path.exists(src):
        stixgen.write_indicators(src, n)
    run(db, "init")
    run(db, "org", "add", "Reader", "--type", "private-sector", "--country", "ZZ")
    cid = run(db, "taxii", "collection", "add", "bench", "--read", "all")
    t0 = time.time()
    run(db, "ingest", "--format", "stix", "--collection", "bench", src)
    token = run(db, "token", "create", "--org", "Reader", "--role", "reader")
    return db, cid, token, time.time() - t0


def serve(db):
    log = open(os.path.join(work, "serve.log"), "w")
    p = subprocess.Popen([c5, "serve", "--http", "127.0.0.1:0"], env=dict(os.environ, C5HUB_DB=db),
                         stdout=log, stderr=subprocess.STDOUT)
    for _ in range(400):
        m = re.search(r"serving http://127.0.0.1:(\d+)/", open(log.name).read())
        if m:
            return p, int(m.group(1))
        time.sleep(0.05)
    raise SystemExit("server did not start")


def get(conn, path, token=None):
    h = {"Accept": TT}
    if token:
        h["Authorization"] = "Bearer " + token
    conn.request("GET", path, headers=h)
    r = conn.getresponse()
    body = r.read()
    if r.status != 200:
        raise SystemExit(f"GET {path}: {r.status} {body[:200]}")
    return body


def median_ms(conn, path, token, times=30):
    ts = []
    for _ in range(times):
        t0 = time.perf_counter()
        get(conn, path, token)
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)


def page_times(n):
    db, cid, token, load = build(n)
    p, port = serve(db)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    base = f"/taxii2/api1/collections/{cid}/objects/?limit=1000"
    first = get(conn, base, token)
    # the date added of the object in the middle and near the end, as "next"
    import sqlite3
    q = sqlite3.connect(db)
    mid = q.execute("SELECT added FROM taxii_members ORDER BY added LIMIT 1 OFFSET ?", (n // 2,)).fetchone()[0]
    end = q.execute("SELECT added FROM taxii_members ORDER BY added LIMIT 1 OFFSET ?", (n - 1001,)).fetchone()[0]
    q.close()
    res = {"load": load, "bytes": len(first)}
    for name, path in (("start", base), ("middle", f"{base}&next={mid}"), ("end", f"{base}&next={end}")):
        res[name] = median_ms(conn, path, token)
    full = None
    if n >= 100_000:
        t0 = time.perf_counter()
        got, nxt = 0, None
        while got < 100_000:
            body = get(conn, f"/taxii2/api1/collections/{cid}/objects/?limit=10000" +
                       (f"&next={nxt}" if nxt else ""), token)
            got += body.count(b'"type":"indicator"')
            m = re.search(rb'"next":"(\d+)"', body[-200:])
            if not m:
                break
            nxt = m.group(1).decode()
        full = (got, time.perf_counter() - t0)
    conn.close()
    p.terminate()
    p.wait()
    return res, full, first


def nginx_peer(page):
    if not shutil.which("nginx"):
        return None
    ng = os.path.abspath(os.path.join(work, "nginx"))
    os.makedirs(os.path.join(ng, "html"), exist_ok=True)
    with open(os.path.join(ng, "html", "page.json"), "wb") as f:
        f.write(page)
    with open(os.path.join(ng, "nginx.conf"), "w") as f:
        f.write(f"worker_processes 1; pid {ng}/nginx.pid; error_log {ng}/error.log;\n"
                f"events {{ worker_connections 64; }}\n"
                f"http {{ access_log off; server {{ listen 127.0.0.1:{ngx_port}; root {ng}/html; }} }}\n")
    subprocess.run(["nginx", "-c", f"{ng}/nginx.conf", "-p", ng], check=True)
    time.sleep(0.3)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", ngx_port)
        return median_ms(conn, "/page.json", None)
    finally:
        subprocess.run(["nginx", "-c", f"{ng}/nginx.conf", "-p", ng, "-s", "stop"])


small, _, _ = page_times(10_000)
large, full, page = page_times(1_000_000)
peer = nginx_peer(page)
print(f"taxii page of 1,000 objects ({small['bytes']:,} bytes), median of 30, ms:")
print(f"  {'collection':>12} {'start':>8} {'middle':>8} {'end':>8}")
for n, r in ((10_000, small), (1_000_000, large)):
    print(f"  {n:>12,} {r['start']:8.2f} {r['middle']:8.2f} {r['end']:8.2f}")
print(f"  ratio 1M/10k at the end: {large['end'] / small['end']:.2f} (target: flat, about 1)")
both = [statistics.median([r[k] for k in ("start", "middle", "end")]) for r in (small, large)]
print(f"  ratio 1M/10k of the three positions' median: {both[1] / both[0]:.2f} (steadier on a noisy machine)")
if peer is not None:
    print(f"  peer nginx serving the same page bytes as a static file: {peer:.2f} ms")
if full:
    got, dt = full
    print(f"taxii full paged read: {got:,} objects in {dt:.2f} s: {got / dt:,.0f} objects/s "
          f"(pages of 10,000; target 100,000 objects/s)")
print(f"(loading the 1M collection with `ingest --format stix --collection`: {large['load']:.1f} s)")
