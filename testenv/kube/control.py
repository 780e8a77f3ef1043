"""The control API under /testenv/, for tests to make the server misbehave on purpose, deterministically:

  GET    /testenv/state                  resourceVersion, compacted RV, open watches, faults, CEL support
  POST   /testenv/reset                  back to the state after startup; open watches are dropped
  POST   /testenv/compact[?resourceVersion=N]   forget history up to N (default: now): older watches
                                         and continue tokens get 410 Expired
  POST   /testenv/watches?mode=drop|end|expire[&path=S][&userAgent=U]   act on open watches (whose URL
                                         contains S, whose client's User-Agent contains U): drop the
                                         connection, end the stream cleanly, or send a 410 ERROR
  POST   /testenv/faults                 add a fault (JSON, below); GET lists them; DELETE clears them
  DELETE /testenv/faults/ID              remove one
  POST   /testenv/config                 {"bookmarkIntervalSeconds", "historySeconds", "minRequestTimeoutSeconds"}
  GET    /testenv/requests[?userAgent=S&since=N]   every API request received since startup, reset or the last
                                         DELETE (requestlog.py); DELETE clears the log

A fault: {"verb": "get|list|watch|create|update|patch|delete|deletecollection|GET|POST|…|*",
          "path": "substring of the request path" (default any), "userAgent": "substring of the User-Agent"
          (default any: scopes the fault to one client, e.g. a partition of one replica), "count": N (default 1,
          null = forever),
          "skip": M (let the first M matches through), "every": K (then act on every K-th match),
          and one action: "status": 429|500|503|504|409|410|… (+ "retryAfterSeconds", "message"),
          "conflict": true (a 409 Conflict for the object), "drop": true (close the connection with no
          response), "delayMs": D (answer late; alone or before another action)}.
"""
import itertools
import threading

from .errors import ApiError, conflict, generic_response

REASONS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
           409: "Conflict", 410: "Expired", 422: "Invalid", 429: "TooManyRequests", 500: "InternalError",
           503: "ServiceUnavailable", 504: "Timeout"}
MESSAGES = {429: "Too many requests, please try again later.",
            500: "Internal error occurred: fault injected by the test API server",
            503: "the server is currently unable to handle the request",
            504: "the server was unable to return a response in the time allotted, but may still be processing the request",
            410: "The resourceVersion for the provided list is too old."}


class Fault:
    _ids = itertools.count(1)

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a fault is a JSON object")
        self.id = next(self._ids)
        self.spec = spec
        self.verb = str(spec.get("verb", "*"))
        self.path = str(spec.get("path", ""))
        self.user_agent = str(spec.get("userAgent", ""))
        self.remaining = spec.get("count", 1)
        self.skip = int(spec.get("skip", 0))
        self.every = max(1, int(spec.get("every", 1)))
        self.status = spec.get("status")
        self.drop = bool(spec.get("drop"))
        self.conflict = bool(spec.get("conflict"))
        self.delay = float(spec.get("delayMs", 0)) / 1000.0
        self.retry_after = spec.get("retryAfterSeconds", 1 if self.status == 429 else None)
        self.message = spec.get("message")
        self.matched = 0
        if not (self.status or self.drop or self.conflict or self.delay):
            raise ValueError("a fault needs an action: status, conflict, drop or delayMs")
        if self.status is not None and not (isinstance(self.status, int) and 100 <= self.status <= 599):
            raise ValueError("status must be an HTTP status code")

    def applies(self, verb, method, path, user_agent=""):
        if self.verb not in ("*", verb, method):
            return False
        return self.path in path and self.user_agent in user_agent

    def describe(self):
        return dict(self.spec, id=self.id, remaining=self.remaining, matched=self.matched)

    def error(self, rtype, name):
        """The ApiError this fault answers with (None when it only delays)."""
        if self.conflict and rtype is not None:
            return conflict(rtype, name or "")
        if not self.status:
            return None
        code = self.status
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        if code in REASONS:
            details = {"retryAfterSeconds": self.retry_after} if self.retry_after else None
            return ApiError(code, REASONS[code], self.message or MESSAGES.get(code, f"fault injected ({code})"),
                            details, headers=headers)
        error = generic_response(code)
        error.headers = headers
        return error


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.faults = []

    def add(self, spec):
        fault = Fault(spec)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear(self, fault_id=None):
        with self.lock:
            before = len(self.faults)
            self.faults = [f for f in self.faults if fault_id is not None and f.id != fault_id]
            return before - len(self.faults)

    def describe(self):
        with self.lock:
            return [f.describe() for f in self.faults]

    def take(self, verb, method, path, user_agent=""):
        """The fault to act on for this request, if any; counts are consumed here."""
        with self.lock:
            for fault in self.faults:
                if not fault.applies(verb, method, path, user_agent):
                    continue
                fault.matched += 1
                if fault.matched <= fault.skip or (fault.matched - fault.skip - 1) % fault.every:
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self.faults.remove(fault)
                return fault
        return None
