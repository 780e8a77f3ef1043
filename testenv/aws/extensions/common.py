"""What the emulator's extensions share: the account and region of a request (as moto sees them),
the operation name, error and response writers for rest-json and query XML, one clock, the
configuration, injected failures, the per-operation call counter, and boto3 clients of the moto
server behind the emulator (for the EC2 side effects of DRS)."""
import copy
import datetime
import json
import re
import threading
import time
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

import botocore.session

LOCK = threading.RLock()          # one lock for all extension state (the proxy serves requests on threads)
DEFAULT_ACCOUNT = "123456789012"

DEFAULT_CONFIG = {
    "drs": {"jobStartSeconds": 1, "launchSeconds": 2, "terminateSeconds": 1, "reverseReplicationSeconds": 2,
            "requireInitialization": False},
    "aurora": {"failoverSeconds": 3, "switchoverSeconds": 3},
    "eventbridge": {"replaySeconds": 3},
    "lambda": {"invokeSeconds": 0},
    "opensearch": {"changeSeconds": 3},
    "rds": {"replicationSeconds": 3, "restoreSeconds": 3},
    "memorydb": {"createSeconds": 3},
    "elasticache": {"globalCreateSeconds": 3, "memberCreateSeconds": 3, "failoverSeconds": 3, "disassociateSeconds": 3,
                    "deleteSeconds": 3},
}


class Config:
    def __init__(self):
        self.reset()

    def reset(self):
        with LOCK:
            self.values = copy.deepcopy(DEFAULT_CONFIG)

    def merge(self, update):
        with LOCK:
            for section, values in (update or {}).items():
                if section not in self.values or not isinstance(values, dict):
                    raise ValueError(f"unknown config section {section!r}")
                for key, value in values.items():
                    if key not in self.values[section]:
                        raise ValueError(f"unknown config key {section}.{key}")
                    self.values[section][key] = value
            return copy.deepcopy(self.values)

    def get(self, section, key):
        with LOCK:
            return self.values[section][key]


CONFIG = Config()


class Clock:
    """Monotonic time for state changes; wall-clock timestamps derived from it so they agree."""

    def __init__(self):
        self.mono0, self.wall0 = time.monotonic(), time.time()

    def now(self):
        return time.monotonic()

    def wall(self, mono=None):
        return self.wall0 + ((self.now() if mono is None else mono) - self.mono0)

    def iso(self, mono=None):
        """ISO-8601 UTC with milliseconds and Z, as DRS's ISO8601DatetimeString."""
        moment = datetime.datetime.fromtimestamp(self.wall(mono), datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


CLOCK = Clock()


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Failures:
    """Injected failures: {"kind": ..., "count": N (default 1) | null (for ever), ...matching fields}."""

    def __init__(self):
        self.items = []

    def add(self, spec):
        with LOCK:
            spec = dict(spec)
            spec.setdefault("count", 1)
            self.items.append(spec)

    def clear(self):
        with LOCK:
            self.items = []

    def take(self, kind, predicate):
        """The first failure of `kind` for which predicate(spec) holds, using up one of its count."""
        with LOCK:
            for spec in self.items:
                if spec.get("kind") != kind or not predicate(spec):
                    continue
                if spec["count"] is not None:
                    if spec["count"] <= 0:
                        continue
                    spec["count"] -= 1
                return spec
            return None

    def listing(self):
        with LOCK:
            return copy.deepcopy(self.items)


FAILURES = Failures()


class Stats:
    """Calls per service:operation, and the same per signing region: a drill's calls to the
    region that serves are counted where they went (Route 53 signs for us-east-1)."""

    def __init__(self):
        self.calls = {}
        self.by_region = {}

    def count(self, key, region=None):
        with LOCK:
            self.calls[key] = self.calls.get(key, 0) + 1
            if region:
                calls = self.by_region.setdefault(region, {})
                calls[key] = calls.get(key, 0) + 1

    def clear(self):
        with LOCK:
            self.calls = {}
            self.by_region = {}

    def snapshot(self):
        with LOCK:
            return {"calls": dict(self.calls), "byRegion": {region: dict(calls) for region, calls in self.by_region.items()}}


STATS = Stats()

# --- who and where a request is ---------------------------------------------------------------

_SCOPE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")
_ACCESS_KEY = re.compile(r"AWS.*(?P<access_key>(?<![A-Z0-9])[A-Z0-9]{20}(?![A-Z0-9]))[:/]")   # moto's own regex


def scope(headers):
    """(access key, region, service) from the SigV4 Authorization header, or Nones."""
    match = _SCOPE.search(headers.get("Authorization", ""))
    return (match.group(1), match.group(3), match.group(4)) if match else (None, None, None)


def account_of(headers):
    """The account moto would use for this request: x-moto-account-id, else the access key's account
    (moto maps the STS temporary keys of an assumed role to the role's account), else the default."""
    import os
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    if headers.get("x-moto-account-id"):
        return headers.get("x-moto-account-id")
    match = _ACCESS_KEY.search(headers.get("Authorization", ""))
    if not match:
        return DEFAULT_ACCOUNT
    from moto.iam.models import get_account_id_from
    return get_account_id_from(match.group(1))


def region_of(headers):
    return scope(headers)[1] or "us-east-1"


# --- operation names --------------------------------------------------------------------------

_SESSION = botocore.session.get_session()
_SERVICE_BY_SIGNING = {}
_REST_ROUTES = {}


def _service_model(signing_name):
    """botocore's model for a SigV4 signing name (drs, rds, ec2, lambda, ...), or None."""
    if signing_name in _SERVICE_BY_SIGNING:
        return _SERVICE_BY_SIGNING[signing_name]
    model = None
    try:
        model = _SESSION.get_service_model(signing_name)
    except Exception:
        for name in _SESSION.get_available_services():
            try:
                candidate = _SESSION.get_service_model(name)
            except Exception:
                continue
            if candidate.signing_name == signing_name or candidate.endpoint_prefix == signing_name:
                model = candidate
                break
    _SERVICE_BY_SIGNING[signing_name] = model
    return model


def _rest_routes(model):
    key = model.service_name
    if key not in _REST_ROUTES:
        routes = []
        for name in model.operation_names:
            http = model.operation_model(name).http
            uri = http.get("requestUri", "/").split("?")[0]
            pattern = "^" + re.sub(r"\\\{[^}]+?\\\+\\\}", ".+", re.sub(r"\\\{[^}+]+\\\}", "[^/]+", re.escape(uri))) + "/?$"
            routes.append((http.get("method", "POST"), re.compile(pattern), uri.count("{"), name))
        routes.sort(key=lambda r: r[2])   # literal routes before templated ones
        _REST_ROUTES[key] = routes
    return _REST_ROUTES[key]


def operation_of(method, path, headers, body):
    """(service, operation) of a request: the service from the credential scope, the operation from
    X-Amz-Target, Action= (form body or query string) or the rest path matched against the model."""
    service = scope(headers)[2] or "unknown"
    target = headers.get("X-Amz-Target", "")
    if target:
        return service, target.split(".")[-1]
    parts = urlsplit(path)
    query = parse_qs(parts.query)
    if "Action" in query:
        return service, query["Action"][0]
    if "x-www-form-urlencoded" in headers.get("Content-Type", "") and body:
        form = parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return service, form["Action"][0]
    model = _service_model(service) if service != "unknown" else None
    if service == "es" and parts.path.startswith("/2021-01-01/"):
        # OpenSearch and the older Elasticsearch Service both sign as "es"; their paths tell them apart.
        model = _service_model("opensearch")
    if model is not None and model.protocol in ("rest-json", "rest-xml"):
        for route_method, pattern, _, name in _rest_routes(model):
            if route_method == method and pattern.match(parts.path):
                return service, name
    return service, parts.path


# --- responses --------------------------------------------------------------------------------

def _send(handler, status, body, content_type, headers=None):
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("x-amzn-RequestId", request_id())
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def request_id():
    import uuid
    return str(uuid.uuid4())


def rest_json(handler, status, value):
    _send(handler, status, json.dumps(value).encode(), "application/json")


def rest_json_error(handler, status, error_type, message, **fields):
    """A restJson1 error as botocore parses it: x-amzn-ErrorType names the code, the body carries
    `message` and the shape's other members."""
    body = {"message": message, **{k: v for k, v in fields.items() if v is not None}}
    _send(handler, status, json.dumps(body).encode(), "application/json", {"x-amzn-ErrorType": error_type})


def json_error(handler, status, code, message):
    """A json-1.1 protocol error (`__type` names the code), as botocore parses it."""
    _send(handler, status, json.dumps({"__type": code, "message": message}).encode(), "application/x-amz-json-1.1")


class Fault(Exception):
    """An AWS error an extension answers with: HTTP status, error code, message."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def query_xml(handler, status, body_text):
    _send(handler, status, body_text.encode(), "text/xml")


def query_error(handler, status, code, message, sender=True):
    body = (f"<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Type>{'Sender' if sender else 'Receiver'}</Type>"
            f"<Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>"
            f"<RequestId>{request_id()}</RequestId></ErrorResponse>")
    _send(handler, status, body.encode(), "text/xml")


# --- the moto server behind the emulator ------------------------------------------------------

MOTO = {"url": None}
_CLIENTS = {}


def moto_client(service, account, region):
    """A boto3 client that talks to moto directly (not through the proxy: no faults, not counted),
    acting in `account` through moto's x-moto-account-id header."""
    key = (service, account, region)
    if key not in _CLIENTS:
        import boto3
        from botocore.config import Config as BotoConfig
        client = boto3.session.Session().client(
            service, region_name=region, endpoint_url=MOTO["url"], aws_access_key_id="testing",
            aws_secret_access_key="testing", config=BotoConfig(retries={"max_attempts": 1}))

        def add_account(request, **_):
            request.headers["x-moto-account-id"] = account
        client.meta.events.register("before-sign", add_account)
        _CLIENTS[key] = client
    return _CLIENTS[key]
