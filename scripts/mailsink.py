#!/usr/bin/env python3
"""mailsink.py — a local SMTP sink for the demo and the tests: accepts every
message on 127.0.0.1 and writes each to DIR/N.eml.  Usage: mailsink.py
PORTFILE DIR (port 0: a free one, written to PORTFILE)."""
import os
import socketserver
import sys


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 c5hub-mailsink ESMTP")
        data = None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if data is not None:
                if line in (b".\r\n", b".\n"):
                    n = len(os.listdir(self.server.dir)) + 1
                    path = os.path.join(self.server.dir, "%d.eml" % n)
                    with open(path + ".tmp", "wb") as f:
                        f.write(b"".join(data))
                    os.rename(path + ".tmp", path)
                    data = None
                    self.reply("250 queued as %d" % n)
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 localhost")
            elif verb == b"DATA":
                data = []
                self.reply("354 end with .")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    portfile, mdir = sys.argv[1], sys.argv[2]
    os.makedirs(mdir, exist_ok=True)
    port = int(os.environ.get("MAILSINK_PORT", "0"))
    srv = Server(("127.0.0.1", port), Session)
    srv.dir = mdir
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:  # Ctrl-C on make demo
        pass


if __name__ == "__main__":
    main()
