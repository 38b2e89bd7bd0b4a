#!/usr/bin/env python3
"""webhook.py — a webhook receiver for the tests and benchmarks (loopback only).

  webhook.py PORTFILE LOGFILE [--secret KEY] [--fail N]

Listens on 127.0.0.1 (a free port, written to PORTFILE), appends one JSON
line per POST to LOGFILE: the receive time, the path, the c5hub headers, the
body, and whether the X-C5hub-Signature matches HMAC-SHA256(KEY, body).
--fail N answers the first N requests with 500 (to test retries)."""
import hashlib
import hmac
import http.server
import json
import sys
import time

args = sys.argv[1:]
portfile, logfile = args[0], args[1]
secret = args[args.index("--secret") + 1].encode() if "--secret" in args else None
fail = [int(args[args.index("--fail") + 1]) if "--fail" in args else 0]


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        t = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        sig = self.headers.get("X-C5hub-Signature", "")
        good = None
        if secret is not None:
            want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
            good = hmac.compare_digest(want, sig)
        status = 200
        if fail[0] > 0:
            fail[0] -= 1
            status = 500
        rec = {"t": t, "path": self.path, "status": status, "signature_ok": good,
               "delivery": self.headers.get("X-C5hub-Delivery"),
               "kind": self.headers.get("X-C5hub-Kind"), "body": json.loads(body or b"null")}
        with open(logfile, "a") as f:
            f.write(json.dumps(rec) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
