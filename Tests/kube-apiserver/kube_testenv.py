"""Helpers for the test API server's tests: the server as a child process, a small HTTP client that
speaks the API's JSON, a watch reader that collects events, and polling with a deadline (tests never
sleep to synchronise)."""
import http.client
import json
import pathlib
import queue
import socket
import subprocess
import sys
import threading
import time


ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from testenv.support.waiting import wait_until  # noqa: E402,F401  (shared with the other test directories)
from testenv.support.serve import stop_server  # noqa: E402
SHARED = ROOT.parent / "shared"  # the kube-wire tool and the real server's transcripts live beside the repository
KUBE_WIRE_TOOL = SHARED / "tools" / "kube-wire"
KUBE_WIRE_REFERENCE = SHARED / "reference" / "kube-wire"
# The kube-wire suites: the real server's transcripts of each, and how record.py is told to run it.
KUBE_WIRE_SUITES = {"default": (KUBE_WIRE_REFERENCE, ()),
                    "crd": (SHARED / "reference" / "kube-wire-crd", ("--suite", "crd"))}
WIDGETS = "/apis/example.io/v1/namespaces/default/widgets"
# The neutral CRD of the kube-wire scenario: status subresource, printer columns, an enum, a minimum,
# a required field and a CEL immutability rule.
WIDGET_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.io"},
    "spec": {
        "group": "example.io", "scope": "Namespaced",
        "names": {"kind": "Widget", "listKind": "WidgetList", "plural": "widgets", "singular": "widget",
                  "shortNames": ["wg"], "categories": ["demo"]},
        "versions": [{
            "name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
            "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                                         {"name": "State", "type": "string", "jsonPath": ".status.state"},
                                         {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}],
            "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                "spec": {"type": "object", "required": ["size"], "properties": {
                    "size": {"type": "integer", "minimum": 0},
                    "color": {"type": "string", "enum": ["red", "blue"]},
                    "id": {"type": "string", "x-kubernetes-validations": [
                        {"rule": "self == oldSelf", "message": "id is immutable"}]}}},
                "status": {"type": "object", "properties": {"state": {"type": "string"}}}}}}}]}}


class Server:
    """`python3 -m testenv.kube` as a child process on a free port; stops when the test session ends."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "testenv.kube", "--port", "0", *args],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()  # the ready line: the server answers once it is printed
        if not line:
            raise RuntimeError(f"test API server did not start: {self.process.stderr.read()}")
        info = json.loads(line)
        self.port, self.url = info["port"], info["url"]

    def stop(self):
        stop_server(self.process, timeout=10)


class Response:
    def __init__(self, status, headers, raw):
        self.status, self.headers, self.raw = status, headers, raw
        self.text = text = raw.decode(errors="replace")
        try:
            self.json = json.loads(text) if text else None
        except ValueError:
            self.json = None

    def warnings(self):
        return [v for k, v in self.headers if k.lower() == "warning"]

    def __repr__(self):
        return f"<{self.status} {self.text[:300]}>"


class Client:
    def __init__(self, port, token=None):
        self.port, self.token = port, token

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, ctype="application/json", accept="application/json", headers=None):
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        h = {"Accept": accept, **(headers or {})}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if data is not None:
            h["Content-Type"] = ctype
        conn = self.connection()
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body, ctype="application/merge-patch+json", **kw):
        return self.request("PATCH", path, body, ctype=ctype, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body, **kw)

    def control(self, method, what, body=None):
        return self.request(method, f"/testenv/{what}", body)

    def watch(self, path, headers=None):
        return Watch(self, path, headers)


class Watch:
    """Reads a watch stream on a thread; events arrive on a queue; `ended` says how the stream stopped."""

    def __init__(self, client, path, headers=None):
        self.conn = client.connection(timeout=30)
        headers = {"Accept": "application/json", **(headers or {})}
        if client.token:
            headers["Authorization"] = f"Bearer {client.token}"
        self.conn.request("GET", path, headers=headers)
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.events = queue.Queue()
        self.ended = None  # "clean" (terminating chunk) or "broken" (connection dropped mid-stream)
        self.done = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        try:
            while True:
                chunk = self.response.read1(65536)
                if not chunk:
                    self.ended = "clean"
                    break
                buffer += chunk
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    if line.strip():
                        self.events.put(json.loads(line))
        except (http.client.HTTPException, OSError, ValueError, AttributeError):
            self.ended = "broken"  # AttributeError: http.client's reader after close() from the test
        finally:
            self.done.set()

    def next(self, timeout=5.0):
        return self.events.get(timeout=timeout)

    def take(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        return [self.events.get(timeout=max(0.01, deadline - time.monotonic())) for _ in range(count)]

    def wait_end(self, timeout=10.0):
        assert self.done.wait(timeout), "the watch did not end in time"
        drained = []
        while not self.events.empty():
            drained.append(self.events.get_nowait())
        return drained

    def close(self):
        """Hang up; shutting the socket down first frees the reader thread blocked in read1()."""
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except (OSError, AttributeError):
            pass
        self.done.wait(5)
        self.conn.close()



def widget(name, labels=None, **spec):
    meta = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": meta, "spec": spec or {"size": 1}}


class Recording:
    """kube-wire's record.py (with `options`, such as the suite) against a fresh server of its own, running
    in the background."""

    def __init__(self, out, *options):
        self.out = out
        self.server = Server()  # a fresh server without CRDs: each scenario creates its CRD through the API
        self.process = subprocess.Popen([sys.executable, str(KUBE_WIRE_TOOL / "record.py"), *options,
                                         "--server", self.server.url, str(out)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait(self):
        try:
            output, _ = self.process.communicate(timeout=120)
        finally:
            self.stop()
        assert self.process.returncode == 0, output
        return self.out

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.server.stop()
