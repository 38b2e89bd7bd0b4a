#!/usr/bin/env python3
"""watch.py — the watch-and-warn benchmarks (loopback only, bounded).

  watch.py C5HUB WORKDIR [LINES] [WARNINGS]

1. Pipeline: a generated URLhaus-style CSV (LINES lines, default 1,000,000;
   the database-dump layout) and a 10,000-network constituency; `c5hub feed
   run` parses, checks warning lists, de-duplicates, finds the owners, and
   stores events, notices and indicators.  Peer: the sqlite3 shell importing
   the same file into a plain table (.import: no parsing, no enrichment).
2. Early-warning latency: WARNINGS (default 200) warnings raised one after
   another through POST /api/v1/warnings while the pipeline above runs again
   (on a fresh file) in another process; each is timed from just before the
   API call to its arrival at a webhook receiver on loopback.  Peer: the same
   receiver POSTed to directly (its own floor)."""
import http.client
import http.server
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

c5, work = sys.argv[1], sys.argv[2]
lines = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
nwarn = int(sys.argv[4]) if len(sys.argv) > 4 else 200
os.makedirs(work, exist_ok=True)
db = os.path.join(work, "watch.db")
env = dict(os.environ, C5HUB_DB=db)


def c5run(*args, check=True):
    return subprocess.run([c5, *args], env=env, check=check, capture_output=True, text=True)


def gen(path, seed):
    """URLhaus dump layout; hosts in 10.0/8 avoided (warning lists)."""
    rnd = random.Random(seed)
    with open(path, "w") as f:
        f.write("# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n")
        for i in range(lines):
            a, b, c = rnd.randrange(11, 220), rnd.randrange(256), rnd.randrange(256)
            ip = f"{a}.{b}.{c}.{rnd.randrange(1, 255)}"
            f.write(f'"{i}","2026-11-20 10:{i % 60:02d}:00","http://{ip}/{i:x}/p.exe","online",'
                    f'"","malware_download","exe","https://urlhaus.abuse.ch/url/{i}/","r{i % 97}"\n')


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p))]


for f in (db, db + "-wal", db + "-shm"):
    if os.path.exists(f):
        os.remove(f)
c5run("init")
# 10,000 networks: /24s across the same space, one organisation per 10
rnd = random.Random(7)
cons = os.path.join(work, "cons.csv")
with open(cons, "w") as f:
    f.write("organisation,resource,abuse_contact\n")
    for i in range(10_000):
        f.write(f"net-{i // 10},{rnd.randrange(11, 220)}.{rnd.randrange(256)}.{rnd.randrange(256)}.0/24,"
                f"abuse{i // 10}@isp.example\n")
c5run("constituency", "import", "--create-orgs", cons)
feed1, feed2 = os.path.join(work, "urlhaus1.csv"), os.path.join(work, "urlhaus2.csv")
if not os.path.exists(feed1):
    gen(feed1, 1)
    gen(feed2, 2)

# ---- 1. pipeline ----
c5run("feed", "add", "big", "--path", feed1, "--format", "urlhaus")
t0 = time.time()
out = c5run("feed", "run", "big").stdout.strip()
dt = time.time() - t0
events = int(re.search(r"(\d+) events", out).group(1))
notices = int(re.search(r"(\d+) notices", out).group(1))
peer_db = os.path.join(work, "peer.db")
if os.path.exists(peer_db):
    os.remove(peer_db)
t0 = time.time()
subprocess.run(["sqlite3", peer_db], input=f".mode csv\n.import {feed1} t\n", text=True, check=True,
               capture_output=True)
pdt = time.time() - t0
print(f"pipeline: {lines:,} lines -> {events:,} events, {notices:,} notices in {dt:.2f} s: "
      f"{lines / dt:,.0f} records/s (target 200,000)")
print(f"  peer sqlite3 .import of the same file (no parsing or enrichment): {lines / pdt:,.0f} rows/s")
print(f"  detail: {out}")

# ---- 2. early-warning latency under pipeline load ----
arrivals = {}
lock = threading.Lock()


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        t = time.time()
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with lock:
            arrivals[body.get("title", "")] = t
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook.serve_forever, daemon=True).start()
hport = hook.server_address[1]
c5run("notify", "set", "net-0", "--webhook-247", f"http://127.0.0.1:{hport}/w", "--secret", "bench")
tok = re.search(r"c5h_[A-Za-z0-9_-]+", c5run("token", "create", "--org", "hub", "--role", "analyst").stdout).group(0)
srv = subprocess.Popen([c5, "serve", "--http", "127.0.0.1:0", "--no-feeds"], env=env,
                       stdout=subprocess.PIPE, text=True)
port = None
while port is None:
    m = re.search(r"serving http://127.0.0.1:(\d+)/", srv.stdout.readline())
    port = int(m.group(1)) if m else None


def post(host_port, path, body, headers):
    c = http.client.HTTPConnection("127.0.0.1", host_port, timeout=10)
    c.request("POST", path, body=json.dumps(body), headers=headers)
    r = c.getresponse()
    r.read()
    c.close()
    return r.status


api_ms = []


def run_warnings(n, tag):
    lat = []
    for i in range(n):
        title = f"{tag}-{i}"
        t0 = time.time()
        st = post(port, "/api/v1/warnings", {"title": title, "classification": "intrusion-attempts/exploit",
                                              "severity": "high", "tlp": "amber", "audience": "net-0",
                                              "observables": ["203.0.113.9"]},
                  {"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
        assert st == 201, st
        api_ms.append((time.time() - t0) * 1000)
        while True:
            with lock:
                if title in arrivals:
                    lat.append((arrivals[title] - t0) * 1000)
                    break
            if time.time() - t0 > 5:
                lat.append(5000)
                break
            time.sleep(0.0005)
    return lat


idle = run_warnings(max(20, nwarn // 4), "idle")
c5run("feed", "add", "big2", "--path", feed2, "--format", "urlhaus")
import sqlite3
before = sqlite3.connect(db).execute("SELECT max(id) FROM events").fetchone()[0]
load = subprocess.Popen([c5, "feed", "run", "big2"], env=env, stdout=subprocess.PIPE, text=True)
# measure only while the pipeline is writing (after it has loaded the de-duplication window)
while sqlite3.connect(db).execute("SELECT max(id) FROM events").fetchone()[0] == before:
    time.sleep(0.01)
busy = run_warnings(nwarn, "busy")
during = sqlite3.connect(db).execute("SELECT max(id) FROM events").fetchone()[0] - before
if os.environ.get("WATCH_DEBUG"):
    print("busy latencies:", " ".join(f"{x:.0f}" for x in busy))
    print("api latencies:", " ".join(f"{x:.0f}" for x in api_ms[-nwarn:]))
still = load.poll() is None
load.wait()
floor = []
for i in range(nwarn):
    t0 = time.time()
    post(hport, "/w", {"title": f"direct-{i}"}, {"Content-Type": "application/json"})
    floor.append((arrivals[f"direct-{i}"] - t0) * 1000)
srv.terminate()
srv.wait()
print(f"warning latency, API call -> webhook received (ms): idle p50 {pct(idle, .5):.1f} p99 {pct(idle, .99):.1f}; "
      f"under pipeline load p50 {pct(busy, .5):.1f} p99 {pct(busy, .99):.1f} max {max(busy):.1f} "
      f"({nwarn} warnings, all while the pipeline wrote; it wrote {during:,} events meanwhile"
      f"{'' if still else ' and finished before the last warning'}) "
      f"(target p99 < 100)")
print(f"  peer: the receiver POSTed directly p50 {pct(floor, .5):.2f} p99 {pct(floor, .99):.2f}")
