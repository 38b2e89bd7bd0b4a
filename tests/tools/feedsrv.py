#!/usr/bin/env python3
"""feedsrv.py — a feed server for the tests (loopback only).

  feedsrv.py PORTFILE DIR

Serves the files of DIR with an ETag (a hash of the content) and
Last-Modified; answers 304 to a matching If-None-Match or If-Modified-Since;
gzips the body when the client accepts it; /fail/... always answers 503;
/hang/... never answers.  Appends "METHOD PATH STATUS ENCODING" per request
to DIR/../requests.log."""
import email.utils
import gzip
import hashlib
import http.server
import os
import sys
import time

portfile, root = sys.argv[1], sys.argv[2]
log = os.path.join(os.path.dirname(os.path.abspath(root)), "requests.log")


class Feed(http.server.BaseHTTPRequestHandler):
    def note(self, status, enc=""):
        with open(log, "a") as f:
            f.write(f"GET {self.path} {status} {enc or '-'}\n")

    def do_GET(self):
        if self.path.startswith("/hang/"):
            time.sleep(60)
            return
        if self.path.startswith("/fail/"):
            self.note(503)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        p = os.path.join(root, os.path.basename(self.path))
        if not os.path.isfile(p):
            self.note(404)
            self.send_error(404)
            return
        data = open(p, "rb").read()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        lm = email.utils.formatdate(os.path.getmtime(p), usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.note(304)
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        enc = ""
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            data, enc = gzip.compress(data), "gzip"
        self.note(200, enc)
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lm)
        if enc:
            self.send_header("Content-Encoding", enc)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Feed)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
