"""An HTTP(S) server for the HTTP client's tests (python stdlib only).

Routes:
  /echo                 the request as JSON: method, path, headers, body, client_port
  /status/<code>        that status, body "status <code>"
  /slow?ms=N            waits N ms before answering (timeout tests)
  /stream?chunks=N&interval_ms=M
                        a chunked body of lines "chunk <i>"; chunks=0 streams until the client goes
  /large?bytes=N        N bytes of "x"
  /drop                 closes the connection without answering
  /stats                {"streams_open": n, "streams_closed": n, "requests": n}

Options: --tls (a fresh CA, server and client certificate made with the openssl command; the
ready line gives their paths), --require-client-cert (mutual TLS).
"""
import argparse
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from testenv.support.serve import send_json, serve_http

STATS = {"streams_open": 0, "streams_closed": 0, "requests": 0}
LOCK = threading.Lock()


def bump(key, delta=1):
    with LOCK:
        STATS[key] += delta


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        bump("requests")
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/echo":
            send_json(self, 200, {
                "method": self.command, "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"), "client_port": self.client_address[1],
            })
        elif url.path.startswith("/status/"):
            code = int(url.path.split("/")[2])
            payload = f"status {code}".encode()
            self.send_response(code)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif url.path == "/slow":
            time.sleep(int(query.get("ms", "1000")) / 1000)
            send_json(self, 200, {"slept_ms": int(query.get("ms", "1000"))})
        elif url.path == "/large":
            size = int(query.get("bytes", "0"))
            self.send_response(200)
            self.send_header("Content-Length", str(size))
            self.end_headers()
            self.wfile.write(b"x" * size)
        elif url.path == "/stream":
            self.stream(int(query.get("chunks", "0")), int(query.get("interval_ms", "10")))
        elif url.path == "/drop":
            self.close_connection = True
            self.connection.shutdown(2)
        elif url.path == "/stats":
            with LOCK:
                send_json(self, 200, dict(STATS))
        else:
            send_json(self, 404, {"error": "no route " + url.path})

    def stream(self, chunks, interval_ms):
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        bump("streams_open")
        index = 0
        try:
            while chunks == 0 or index < chunks:
                line = f"chunk {index}\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()
                index += 1
                time.sleep(interval_ms / 1000)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True
        finally:
            bump("streams_open", -1)
            bump("streams_closed")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    def do_HEAD(self):
        bump("requests")
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()


def make_certificates(directory):
    """A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory)
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=lifeboat-test-ca")
    with open(os.path.join(directory, "server.ext"), "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name in ("server", "client"):
        run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", f"/CN=lifeboat-test-{name}")
        extra = ["-extfile", "server.ext"] if name == "server" else []
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", *extra)
    return {name: os.path.join(directory, name) for name in
            ("ca.pem", "server.pem", "server.key", "client.pem", "client.key")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--require-client-cert", action="store_true")
    args = parser.parse_args()
    info, wrap, cleanup = {}, None, None
    if args.tls or args.require_client_cert:
        directory = tempfile.mkdtemp(prefix="lifeboat-tls-")
        paths = make_certificates(directory)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths["server.pem"], paths["server.key"])
        if args.require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(paths["ca.pem"])
        info = {"ca": paths["ca.pem"], "client_cert": paths["client.pem"], "client_key": paths["client.key"]}
        wrap = lambda sock: context.wrap_socket(sock, server_side=True)  # noqa: E731
        cleanup = lambda: shutil.rmtree(directory, ignore_errors=True)  # noqa: E731
    serve_http(Handler, info=info, wrap_socket=wrap, on_shutdown=cleanup)


if __name__ == "__main__":
    sys.exit(main())
