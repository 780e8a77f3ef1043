"""A reverse proxy in front of moto (or any AWS endpoint) that injects faults, per test.

    python3 -m testenv.aws.fault_proxy --upstream http://127.0.0.1:PORT

Clients point AWS_ENDPOINT_URL at the proxy. The proxy forwards everything, except that rules
(set over HTTP, below) answer matching requests themselves first:

  POST /__faults__/rules    {"kind": "throttle"|"error"|"latency"|"drop"|"reset"|"lose_response",
                             "count": N,               # how many matching requests it hits (default 1)
                             "match": {"operation": "GetParameter", "header": ["x-test-id", "abc"]},
                             "status": 503, "code": "ServiceUnavailable",   # for "error"
                             "delay_ms": 500,                               # for "latency"
                             "partial": false, "hold_ms": 0}                # for "lose_response"
                            -> {"id": rule_id}
  GET  /__faults__/rules/<id>  -> {"hits": n, "remaining": n}   (+ "lost": n for "lose_response")
  POST /__faults__/reset       drops every rule
  GET  /__faults__/stats       {"forwarded": n, "faulted": n}

"drop" closes the connection before answering (libcurl itself resends such a request once when
the connection was a reused one); "reset" closes it in the middle of the response body, which
no client resends on its own, so the retry policy above the transport must.

"drop" and "reset" never let the request through: AWS did nothing. "lose_response" is the
dangerous window instead — the call made, its answer lost: the request goes on as any other
(extensions, then upstream), so AWS acts, and the answer is thrown away; the client's connection
is then closed without a byte of it ("partial": true sends the status line, the headers and half
of the body first, so the connection breaks mid-response). With "hold_ms" the connection stays
open and silent until the client gives up or dies, at most that long, before it is closed: a test
can kill the client while it waits for an answer that will never come. The rule's "lost" counts
the answers thrown away, so a test can wait until AWS has acted. "operation" may also be a list
(any of those operations).

The error body takes the shape of the request's protocol (query/ec2 XML, json with __type,
rest-json with x-amzn-ErrorType), so the client's error parsing is exercised as with AWS.

Service extensions (DRS, Aurora global failover: testenv/aws/extensions, served by
testenv.aws.emulator) plug in with `register_extension`: a callable (handler, request) -> bool that
answers a request itself and returns True. Rules apply first, so a rule can throttle an extension's
operation too. `register_observer` adds a callable (request) -> None that sees every AWS request
(the emulator's call counter). A rule's "operation" matches the X-Amz-Target / Action= name, and
for rest protocols either the path or the operation name from botocore's model ("StartRecovery");
"service" (optional) matches the SigV4 credential scope's service ("drs", "rds", ...).
"""
import argparse
import http.client
import io
import json
import select
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from testenv.support.serve import read_json_body, send_json, serve_http

EXTENSIONS = []
OBSERVERS = []


def register_extension(extension):
    EXTENSIONS.append(extension)


def register_observer(observer):
    OBSERVERS.append(observer)


class Request:
    """What a rule or an extension sees of a request."""

    def __init__(self, method, path, headers, body):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.target = headers.get("X-Amz-Target", "")
        content_type = headers.get("Content-Type", "")
        self.form = parse_qs(body.decode("utf-8", "replace")) if "x-www-form-urlencoded" in content_type else {}
        if self.target:
            self.protocol = "json"
            self.operation = self.target.split(".")[-1]
        elif self.form:
            self.operation = self.form.get("Action", [""])[0]
            self.protocol = "ec2" if self.form.get("Version", [""])[0] == "2016-11-15" else "query"
        else:
            self.operation = urlsplit(path).path
            self.protocol = "rest-xml" if "/2013-04-01/" in path else "rest-json"
        self._resolved = None

    @property
    def resolved(self):
        """(service, operation name) from the credential scope and botocore's model."""
        if self._resolved is None:
            try:
                from testenv.aws.extensions.common import operation_of
                self._resolved = operation_of(self.method, self.path, self.headers, self.body)
            except Exception:
                self._resolved = ("unknown", self.operation)
        return self._resolved


class Rules:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = {}
        self.next_id = 1
        self.stats = {"forwarded": 0, "faulted": 0}

    def add(self, spec):
        with self.lock:
            rule_id = str(self.next_id)
            self.next_id += 1
            self.rules[rule_id] = {"spec": spec, "remaining": int(spec.get("count", 1)), "hits": 0, "lost": 0}
            return rule_id

    def lost(self, spec):
        """One more answer thrown away by the "lose_response" rule `spec`."""
        with self.lock:
            for rule in self.rules.values():
                if rule["spec"] is spec:
                    rule["lost"] += 1

    def take(self, request):
        """The first rule that matches and has hits left, or None."""
        with self.lock:
            for rule in self.rules.values():
                spec = rule["spec"]
                if rule["remaining"] <= 0 or not matches(spec.get("match", {}), request):
                    continue
                rule["remaining"] -= 1
                rule["hits"] += 1
                self.stats["faulted"] += 1
                return spec
            self.stats["forwarded"] += 1
            return None


def matches(match, request):
    if "operation" in match:
        wanted = match["operation"] if isinstance(match["operation"], list) else [match["operation"]]
        if request.operation not in wanted and \
                (request.protocol not in ("rest-json", "rest-xml") or request.resolved[1] not in wanted):
            return False
    if "service" in match and match["service"] != request.resolved[0]:
        return False
    if "header" in match:
        name, value = match["header"]
        if request.headers.get(name) != value:
            return False
    return True


RULES = Rules()


def error_response(handler, request, status, code, message):
    if request.protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        content_type = "application/x-amz-json-1.1"
    elif request.protocol == "rest-json":
        body = json.dumps({"message": message}).encode()
        content_type = "application/json"
    elif request.protocol == "ec2":
        body = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
                f"<RequestID>fault-proxy</RequestID></Response>").encode()
        content_type = "text/xml"
    else:
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
                f"<RequestId>fault-proxy</RequestId></ErrorResponse>").encode()
        content_type = "text/xml"
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("x-amzn-RequestId", "fault-proxy")
    if request.protocol == "rest-json":
        handler.send_header("x-amzn-ErrorType", code)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: without it Nagle's algorithm and the client's delayed ACK stall every
    # response on a reused keep-alive connection by ~40 ms.
    disable_nagle_algorithm = True
    upstream = None

    def log_message(self, *args):
        pass

    def control(self):
        path = urlsplit(self.path).path
        if path == "/__faults__/rules" and self.command == "POST":
            return send_json(self, 200, {"id": RULES.add(read_json_body(self))})
        if path.startswith("/__faults__/rules/"):
            with RULES.lock:
                rule = RULES.rules.get(path.rsplit("/", 1)[1])
                if not rule:
                    return send_json(self, 404, {})
                answer = {"hits": rule["hits"], "remaining": rule["remaining"]}
                if rule["spec"].get("kind") == "lose_response":
                    answer["lost"] = rule["lost"]
                return send_json(self, 200, answer)
        if path == "/__faults__/reset":
            read_json_body(self)
            with RULES.lock:
                RULES.rules.clear()
            return send_json(self, 200, {"status": "ok"})
        if path == "/__faults__/stats":
            with RULES.lock:
                return send_json(self, 200, dict(RULES.stats))
        return send_json(self, 404, {"error": "unknown control route " + path})

    def handle_any(self):
        if self.path.startswith("/__faults__/"):
            return self.control()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, self.path, self.headers, body)
        for observer in OBSERVERS:
            observer(request)
        rule = RULES.take(request)
        if rule:
            kind = rule["kind"]
            if kind in ("drop", "reset"):
                if kind == "reset":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 500\r\n\r\n<Get")
                    self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if kind == "throttle":
                code = "Throttling" if request.protocol in ("query", "rest-xml") else \
                    "RequestLimitExceeded" if request.protocol == "ec2" else "ThrottlingException"
                return error_response(self, request, 400 if request.protocol != "rest-json" else 429, code, "Rate exceeded")
            if kind == "error":
                return error_response(self, request, int(rule.get("status", 500)), rule.get("code", "InternalFailure"),
                                      rule.get("message", "injected by the fault proxy"))
            if kind == "latency":
                time.sleep(int(rule.get("delay_ms", 1000)) / 1000)
            if kind == "lose_response":
                return self.lose_response(rule, request, body)
        self.answer(request, body)

    def answer(self, request, body):
        """What AWS (an extension, else upstream) answers, written to the client."""
        for extension in EXTENSIONS:
            if extension(self, request):
                return
        self.forward(body)

    def lose_response(self, rule, request, body):
        """Let AWS act on the request, then throw its answer away (or all but its first half)."""
        client, captured = self.wfile, io.BytesIO()
        self.wfile = captured
        try:
            self.answer(request, body)
        finally:
            self.wfile = client
        RULES.lost(rule)
        self.close_connection = True
        try:
            if rule.get("partial"):
                response = captured.getvalue()
                head, _, payload = response.partition(b"\r\n\r\n")
                client.write(head + b"\r\n\r\n" + payload[:len(payload) // 2] if payload else head[:len(head) // 2])
                client.flush()
            hold = float(rule.get("hold_ms", 0)) / 1000
            if hold > 0:
                select.select([self.connection], [], [], hold)   # readable once the client closes (or dies)
            self.connection.shutdown(2)
        except OSError:
            pass

    def forward(self, body):
        target = urlsplit(self.upstream)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "proxy-connection")}
        connection.request(self.command, self.path, body=body or None, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        connection.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    args = parser.parse_args()
    Handler.upstream = args.upstream
    serve_http(Handler)


if __name__ == "__main__":
    sys.exit(main())
