#!/usr/bin/env python3
"""The tiny GRIP origin behind Pushpin in benchmarks/run: GET /sub?id=CHANNEL answers an event stream that
Pushpin holds open on CHANNEL. Listens on 127.0.0.1:8093."""
import http.server
import urllib.parse


class Origin(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        channel = query.get("id", ["news"])[0]
        body = b"event: connected\ndata: {}\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Grip-Hold", "stream")
        self.send_header("Grip-Channel", channel)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", 8093), Origin).serve_forever()
