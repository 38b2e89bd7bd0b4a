#!/usr/bin/env python3
"""exhaust.py — one client must not stop a service (issue 14, items 7-9):
slow and greedy clients from 127.0.0.1 against the real server while a
normal client from 127.0.0.2 is answered.  Loopback only, bounded in time
(about 30 s) and count.  Prints "ok - ..." / "not ok - ..." lines and
"# figure: ..." lines (the measurements in bench/RESULTS.md).

usage: exhaust.py PID HTTP_PORT DNS_PORT ZONE TOKENS_A TOKEN_B
       (TOKENS_A: five reader tokens of one organisation, comma-separated;
       TOKEN_B: a reader of another)
env: SLOW (default 2100) HTTP connections opened by the slow client."""
import os
import resource
import socket
import struct
import sys
import time

PID, HPORT, DPORT = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ZONE, TA, TB = sys.argv[4], sys.argv[5].split(","), sys.argv[6]
SLOW = int(os.environ.get("SLOW", "2100"))
ATTACKER, OTHER = "127.0.0.1", "127.0.0.2"
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, SLOW + 512)), hard))


def report(ok, what):
    print(("ok - " if ok else "not ok - ") + what, flush=True)


def figure(what):
    print("# figure: " + what, flush=True)


def rss_mb():
    for line in open("/proc/%d/status" % PID):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return -1.0


def connect(src, port, timeout=2.0):
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s


def alive(s):
    """Is the server still holding this connection open?"""
    s.setblocking(False)
    try:
        return s.recv(4096) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False


def http_get(src, path, token=None, timeout=5.0):
    """A normal client: (status, seconds to the answer)."""
    t0 = time.monotonic()
    try:
        s = connect(src, HPORT, timeout)
        auth = "Authorization: Bearer %s\r\n" % token if token else ""
        s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n" % (path, auth)).encode())
        data = b""
        while b"\r\n" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
        s.close()
        return int(data.split()[1]), time.monotonic() - t0
    except (OSError, IndexError, ValueError):
        return 0, time.monotonic() - t0


def dns_query(name, qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\x00" + struct.pack(">HH", 1, 1)


def dns_tcp(src, name, timeout=3.0):
    """A normal TCP DNS client: (rcode or -1, seconds)."""
    t0 = time.monotonic()
    try:
        s = connect(src, DPORT, timeout)
        q = dns_query(name, 4242)
        s.sendall(struct.pack(">H", len(q)) + q)
        n = struct.unpack(">H", recv_exact(s, 2))[0]
        a = recv_exact(s, n)
        s.close()
        return a[3] & 15, time.monotonic() - t0
    except (OSError, struct.error):
        return -1, time.monotonic() - t0


def recv_exact(s, n):
    b = b""
    while len(b) < n:
        d = s.recv(n - len(b))
        if not d:
            raise OSError("closed")
        b += d
    return b


# ---- DNS: an idle connection opened first, looked at in the end ----
idle = connect(ATTACKER, DPORT)
t_idle = time.monotonic()

# ---- item 7: HTTP slowloris ----
rss0 = rss_mb()
held, refused = [], 0
t0 = time.monotonic()
for i in range(SLOW):
    try:
        s = connect(ATTACKER, HPORT)
        s.sendall(b"GET /healthz HTTP/1.1\r\n")
        held.append(s)
    except OSError:
        refused += 1
time.sleep(0.3)
up = [s for s in held if alive(s)]
figure("HTTP: %d slow connections opened from one address, %d held by the server, %.1f s"
       % (SLOW, len(up), time.monotonic() - t0))
report(0 < len(up) <= 64, "HTTP: the server holds at most 64 connections from one address (%d)" % len(up))
for s in held:
    if s not in up:
        s.close()
held = up
worst = 0.0
answered = 0
t_start = time.monotonic()
rss_during = rss_mb()
while time.monotonic() - t_start < 13:
    for s in held:  # one header byte a second each
        try:
            s.send(b"X")
        except OSError:
            pass
    st, dt = http_get(OTHER, "/healthz")
    answered += st == 200
    worst = max(worst, dt)
    time.sleep(1)
report(answered >= 12, "HTTP: a client from another address is answered during the attack (%d of 13)" % answered)
report(worst < 1.0, "HTTP: ...at once (slowest %.3f s)" % worst)
figure("HTTP: normal client from %s answered %d/13 times, slowest %.1f ms" % (OTHER, answered, worst * 1000))
left = sum(alive(s) for s in held)
report(left == 0, "HTTP: a request head sent a byte a second is cut after its 10 s (%d left after 13 s)" % left)
for s in held:
    s.close()
st, dt = http_get(ATTACKER, "/healthz")
report(st == 200, "HTTP: the slow client's address is served again once its connections are gone")
time.sleep(0.5)
rss_after = rss_mb()
figure("HTTP: server RSS before %.1f MB, during %.1f MB, after %.1f MB" % (rss0, rss_during, rss_after))

# ---- item 8: DNS over TCP ----
name = "2.0.0.127." + ZONE
slow = []
for i in range(20):
    try:
        s = connect(ATTACKER, DPORT)
        s.sendall(b"\x00\x40")  # a length prefix, then a byte a second
        slow.append(s)
    except OSError:
        pass
time.sleep(0.3)
held = [s for s in slow if alive(s)]
report(len(held) <= 16, "DNS: at most 16 TCP connections from one address (%d of 20 held)" % len(held))
rc, dt = dns_tcp(OTHER, name)
report(rc in (0, 3) and dt < 1.0, "DNS: a TCP client from another address is answered at once (%.3f s)" % dt)
figure("DNS: %d slow TCP connections held; a normal TCP query answered in %.1f ms" % (len(held), dt * 1000))
# pipelining: 1,000 queries written at once on one connection (RFC 7766)
p = connect(OTHER, DPORT, 10)
qs = b""
for i in range(1000):
    q = dns_query("%d.0.0.127.%s" % (i % 250, ZONE), i)
    qs += struct.pack(">H", len(q)) + q
t0 = time.monotonic()
p.sendall(qs)
got = set()
try:
    while len(got) < 1000:
        n = struct.unpack(">H", recv_exact(p, 2))[0]
        got.add(struct.unpack(">H", recv_exact(p, n)[:2])[0])
except OSError:
    pass
p.close()
report(len(got) == 1000, "DNS: 1,000 pipelined queries on one connection get 1,000 answers (%d)" % len(got))
figure("DNS: 1,000 pipelined TCP queries answered in %.1f ms" % ((time.monotonic() - t0) * 1000))
t0 = time.monotonic()
while time.monotonic() - t0 < 6.5:
    for s in held:
        try:
            s.send(b"\x00")
        except OSError:
            pass
    time.sleep(1)
left = sum(alive(s) for s in held)
report(left == 0, "DNS: a message sent a byte a second is cut after its 5 s (%d left)" % left)
for s in slow:
    s.close()
rc, dt = dns_tcp(ATTACKER, name)
report(rc in (0, 3), "DNS: the slow client's address is served again")

# ---- item 9: live streams ----
streams = []


def stream(token, src=ATTACKER):
    s = connect(src, HPORT, 3)
    s.sendall(("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % token).encode())
    head = b""
    while b"\r\n" not in head:
        d = s.recv(4096)
        if not d:
            break
        head += d
    try:
        st = int(head.split()[1])
    except (IndexError, ValueError):
        st = 0
    if st == 200:
        streams.append(s)
    else:
        s.close()
    return st


codes = [stream(TA[0]) for _ in range(260)]  # the attack: one token, every slot
report(codes[:4] == [200] * 4 and codes[4:] == [429] * 256,
       "streams: one token asking for 260 gets 4 live streams, then 429 (%s)"
       % {c: codes.count(c) for c in set(codes)})
codes = [stream(t) for t in TA[1:] for _ in range(5)]
n_ok = codes.count(200)
report(n_ok == 12, "streams: the organisation's other tokens get 12 more: 16 in all (%d)" % n_ok)
st = stream(TB, OTHER)
report(st == 200, "streams: another organisation still gets its stream (%d)" % st)
figure("streams: %d held by %d tokens of one organisation (the rest 429); another organisation's stream: %d"
       % (len(streams) - 1, len(TA), st))
streams.pop(0).close()  # a client that goes away frees its slot
ok, t0 = False, time.monotonic()
while not ok and time.monotonic() - t0 < 3:
    time.sleep(0.1)
    ok = stream(TA[0]) == 200
report(ok, "streams: a slot freed by a client that left is taken again (%.1f s)" % (time.monotonic() - t0))
for s in streams:
    s.close()

# ---- DNS idle timeout (10 s), on the connection opened first ----
time.sleep(max(0.0, 10.5 - (time.monotonic() - t_idle)))
report(not alive(idle), "DNS: a TCP connection idle for 10 s is closed")
