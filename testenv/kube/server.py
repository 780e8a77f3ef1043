"""HTTP/1.1 on loopback: keep-alive, chunked watch streams, optional TLS and bearer-token (or client
certificate) authentication, content negotiation, fault injection before dispatch, and a Status body
for every error, including ones nobody planned for."""
import json
import socket
import ssl
import sys
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import discovery, encoding, openapi_pb, routing
from .errors import ApiError, method_not_allowed, path_not_found, request_entity_too_large, unauthorized
from .request import Call
from .watch import Watch

MAX_BODY = 3 * 1024 * 1024  # kube-apiserver's default request body limit
VERB_METHODS = {"get": "get", "list": "list", "create": "create", "update": "update", "patch": "patch",
                "delete": "delete", "deletecollection": "delete_collection"}
SUBRESOURCE_VERBS = {"get", "update", "patch"}


class StreamWriter:
    """A chunked response, one watch event per chunk."""

    def __init__(self, handler):
        self.handler = handler

    def start(self):
        h = self.handler
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Transfer-Encoding", "chunked")
        h.send_header("Cache-Control", "no-cache, private")
        h.send_header("Audit-Id", str(uuid.uuid4()))
        h.end_headers()
        h.wfile.flush()

    def _chunk(self, data):
        self.handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.handler.wfile.flush()

    def event(self, etype, obj, sort=False):
        """{"type":…,"object":…}: the envelope in Go's field order, the object as its kind encodes."""
        self._chunk(f'{{"type":{json.dumps(etype)},"object":{encoding.to_json(obj, sort=sort)[:-1]}}}\n'.encode())

    def end(self):
        self.handler.wfile.write(b"0\r\n\r\n")
        self.handler.wfile.flush()

    def abort(self):
        """Drop the connection mid-stream: no terminating chunk, as when a server or proxy dies."""
        self.handler.close_connection = True
        try:
            self.handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def gone(self):
        """Whether the client closed its end (a readable socket with nothing to read)."""
        conn = self.handler.connection
        try:
            conn.setblocking(False)
            try:
                data = conn.recv(1, socket.MSG_PEEK) if not isinstance(conn, ssl.SSLSocket) else conn.pending() and b"x"
            finally:
                conn.setblocking(True)
            return data == b""
        except (BlockingIOError, ssl.SSLWantReadError, ValueError):
            return False
        except OSError:
            return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: without it Nagle's algorithm and the client's delayed ACK stall every
    # response on a reused keep-alive connection by ~40 ms, as a real API server never does.
    disable_nagle_algorithm = True
    server_version = "lifeboat-testenv-kube"
    sys_version = ""

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            try:
                self.request.do_handshake()
            finally:
                self.request.settimeout(None)
        super().setup()

    def log_message(self, fmt, *args):
        if self.server.app.settings.verbose:
            sys.stderr.write(f"testenv.kube: {self.address_string()} {fmt % args}\n")

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    _logged = None  # this request's entry in the request log (GET /testenv/requests)

    def send_response(self, code, message=None):
        if self._logged is not None:
            self._logged["code"] = code
        super().send_response(code, message)

    # ---- plumbing ----
    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
                if len(body) > MAX_BODY:
                    raise request_entity_too_large(MAX_BODY)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            raise request_entity_too_large(MAX_BODY)
        return self.rfile.read(length) if length else b""

    def _send(self, code, body, content_type="application/json", headers=None, warnings=()):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        for message in warnings:
            self.send_header("Warning", f"299 - {json.dumps(message, ensure_ascii=False)}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_json(self, code, value, sort=False, pretty=False, headers=None, warnings=(), fmt="json"):
        if fmt == "yaml":
            self._send(code, encoding.to_yaml(value), "application/yaml", headers, warnings)
        else:
            self._send(code, encoding.to_json(value, sort=sort, pretty=pretty), "application/json", headers, warnings)

    def _send_error(self, error, pretty=False):
        self._send_json(error.code, error.status(), pretty=pretty, headers=error.headers)

    def _authenticated(self):
        tokens = self.server.app.settings.tokens
        if not tokens:
            return True
        if isinstance(self.connection, ssl.SSLSocket) and self.server.client_ca and self.connection.getpeercert():
            return True
        header = self.headers.get("Authorization") or ""
        return header.startswith("Bearer ") and header[7:].strip() in tokens

    # ---- dispatch ----
    def dispatch(self):
        self._logged = None
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        pretty = query.get("pretty", [""])[0] in ("true", "1")
        try:
            body = self._read_body()
            if path.startswith("/testenv/") or path == "/testenv":
                code, value = self.server.app.control(self.command, path, query, body)
                return self._send_json(code, value)
            self._logged = self.server.app.requests.record(self.command, path, query, self.headers.get("User-Agent", ""))
            if not self._authenticated():
                raise unauthorized()
            self._serve(path, query, body, pretty)
        except ApiError as error:
            self._send_error(error, pretty)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        except Exception as exc:  # a bug here must still look like a Kubernetes error to the client
            traceback.print_exc()
            self._send_error(ApiError(500, "InternalError", f"Internal error occurred: {type(exc).__name__}: {exc}",
                                      {"causes": [{"message": str(exc)}]}), pretty)

    def _serve(self, path, query, body, pretty):
        app = self.server.app
        if path in ("/healthz", "/livez", "/readyz") or path.startswith(("/healthz/", "/livez/", "/readyz/")):
            return self._send(200, "ok", "text/plain; charset=utf-8")
        if path == "/version":
            return self._send_json(200, discovery.VERSION, pretty=pretty)
        if path.startswith("/openapi/"):
            return self._serve_openapi(path, pretty)
        kind, detail = routing.parse(path)
        if kind is None or kind == "root":
            if kind == "root":
                return self._send_json(200, {"paths": ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2",
                                                       "/openapi/v3", "/readyz", "/version"]}, pretty=pretty)
            return self._send(404, "404 page not found\n", "text/plain; charset=utf-8")
        if kind != "resource":
            document = app.discovery(kind, detail, f"{self.server.server_address[0]}:{self.server.server_address[1]}")
            if document is None:
                raise path_not_found()
            return self._send_json(200, document, pretty=pretty)
        self._serve_resource(detail, query, body, pretty)

    def _serve_openapi(self, path, pretty):
        registry = self.server.app.registry
        if path == "/openapi/v2":
            document = discovery.openapi_v2(registry)
            if "protobuf" in (self.headers.get("Accept") or ""):
                return self._send(200, openapi_pb.document(document), "application/octet-stream")
            return self._send_json(200, document, pretty=pretty)
        if path == "/openapi/v3":
            return self._send_json(200, discovery.openapi_v3_index(registry), pretty=pretty)
        parts = [p for p in path.split("/") if p][2:]
        document = None
        if len(parts) == 2 and parts[0] == "api":
            document = discovery.openapi_v3_document(registry, "", parts[1])
        elif len(parts) == 3 and parts[0] == "apis":
            document = discovery.openapi_v3_document(registry, parts[1], parts[2])
        if document is None:
            return self._send(404, "404 page not found\n", "text/plain; charset=utf-8")
        return self._send_json(200, document, pretty=pretty)

    def _serve_resource(self, route, query, body, pretty):
        app = self.server.app
        rtype = app.registry.lookup(route.group, route.version, route.resource)
        if rtype is None or (route.subresource and not (route.subresource == "status" and rtype.status_subresource)):
            raise path_not_found()
        if rtype.namespaced and route.namespace is None and route.name:
            raise path_not_found()
        if not rtype.namespaced and route.namespace is not None:
            raise path_not_found()
        verb = route.verb(self.command, query)
        if verb is None or (route.subresource and verb not in SUBRESOURCE_VERBS):
            raise method_not_allowed()
        if verb == "create" and rtype.namespaced and route.namespace is None:
            raise method_not_allowed()
        fault = app.faults.take(verb, self.command, self.path, self.headers.get("User-Agent", ""))
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                self.close_connection = True
                return
            error = fault.error(rtype, route.name)
            if error is not None:
                raise error
        accept = encoding.negotiate(self.headers.get("Accept"), allow_views=verb in ("get", "list", "watch"))
        call = Call(verb, rtype, route.namespace if rtype.namespaced else None, route.name, route.subresource, query,
                    body, self.headers.get("Content-Type", ""), self.headers.get("User-Agent", ""), accept)
        if verb == "watch":
            return self._watch(call)
        response = getattr(app.api, VERB_METHODS[verb])(call)
        self._send_json(response.code, response.body, sort=response.sort, pretty=pretty, warnings=call.warnings,
                        fmt=accept.fmt)

    def _watch(self, call):
        app = self.server.app
        watch = Watch(app.api, call, self.path, StreamWriter(self), app.settings)
        watch.prepare()
        app.watches.add(watch)
        try:
            watch.run()
        finally:
            app.watches.remove(watch)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, app, tls_cert=None, tls_key=None, client_ca=None):
        super().__init__(address, Handler)
        self.app = app
        self.client_ca = client_ca
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            if client_ca:
                context.load_verify_locations(client_ca)
                context.verify_mode = ssl.CERT_OPTIONAL
            self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        if sys.exc_info()[0] not in (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            super().handle_error(request, client_address)
