"""Shared plumbing for the test servers in testenv/.

Every server here is started by a test as a child process:

    python3 -m testenv.<area>.<server> [options]      (from the repository root)

It binds 127.0.0.1 on an ephemeral port, and only once it answers requests prints ONE line of JSON
on stdout ({"port": N, ...}). The test reads that line instead of polling or sleeping. The server
then runs until its standard input reaches end of file, so it stops when the test closes the pipe
or when the test process dies for any reason: nothing is left behind.
"""
import json
import os
import subprocess
import sys
import threading


def announce_and_serve(info, shutdown):
    """Print `info` as the ready line, then block until stdin closes, then call `shutdown`."""
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    shutdown()
    # Non-daemon worker threads (a stuck handler) must not keep the process alive.
    os._exit(0)


def serve_http(handler_class, info=None, wrap_socket=None, on_shutdown=None):
    """Serve `handler_class` on 127.0.0.1 and an ephemeral port until stdin closes.

    `info` adds fields to the ready line; `wrap_socket` may wrap the listening socket (TLS).
    """
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    if wrap_socket:
        server.socket = wrap_socket(server.socket)
    serve_in_thread(server)

    def shutdown():
        server.shutdown()
        if on_shutdown:
            on_shutdown()

    announce_and_serve({"port": server.server_address[1], **(info or {})}, shutdown)


def serve_in_thread(server):
    """Run a socketserver-style server on a daemon thread; returns the thread."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def read_json_body(handler):
    length = int(handler.headers.get("Content-Length") or 0)
    raw = handler.rfile.read(length) if length else b""
    return json.loads(raw) if raw else {}


def send_json(handler, status, value, headers=None):
    body = json.dumps(value).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for name, val in (headers or {}).items():
        handler.send_header(name, val)
    handler.end_headers()
    handler.wfile.write(body)


def stop_server(process, timeout=15):
    """The test side of the contract above: close the server's stdin, wait for it to exit, and
    kill it if it has not within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.stdin.close()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
