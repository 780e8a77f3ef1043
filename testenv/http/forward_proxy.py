"""A forward HTTP proxy for tests: it relays absolute-form requests (GET http://host/path) and
counts them, so a test can see that a client really went through a proxy.

Direct requests to /__proxy__/stats return {"proxied": n}. Plain HTTP only (no CONNECT).
"""
import http.client
import sys
import threading
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from testenv.support.serve import send_json, serve_http

COUNT = {"proxied": 0}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self):
        if self.path.startswith("/__proxy__/stats"):
            with LOCK:
                return send_json(self, 200, dict(COUNT))
        target = urlsplit(self.path)
        if target.scheme != "http":
            return send_json(self, 400, {"error": "absolute http:// URL expected"})
        with LOCK:
            COUNT["proxied"] += 1
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        path = target.path + (("?" + target.query) if target.query else "")
        upstream.request(self.command, path or "/", body=body, headers=headers)
        response = upstream.getresponse()
        payload = response.read()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Via", "1.1 lifeboat-test-proxy")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = do_PUT = do_DELETE = relay


def main():
    serve_http(Handler)


if __name__ == "__main__":
    sys.exit(main())
