#!/usr/bin/env python3
"""csaf_peer.py DIR -- a peer provider for test_csaf.sh: serves DIR over
HTTP on 127.0.0.1 (a free port, printed on standard output) until killed."""
import functools, http.server, sys

handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
handler.log_message = lambda *a: None
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
