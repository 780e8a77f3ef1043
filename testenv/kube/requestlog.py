"""The request log behind GET /testenv/requests: every API request the server received (the
/testenv control API aside), in arrival order, so a test can see exactly which calls a client made,
for instance to check a Role against them (Tests/packaging/rbac.py). An entry holds the method, the
URL path, the query (first value of each parameter), the User-Agent and the status code once the
response has started (a watch is recorded while it is still open). Request bodies and headers other
than the User-Agent are never kept: credentials stay out of it. Bounded: past `limit` entries the
oldest go, and `dropped` counts them."""
import collections
import itertools
import threading


class RequestLog:
    def __init__(self, limit=100_000):
        self.lock = threading.Lock()
        self.entries = collections.deque(maxlen=limit)
        self.sequence = itertools.count(1)
        self.dropped = 0

    def record(self, method, path, query, user_agent):
        """A new entry; the caller fills in "code" when it answers."""
        entry = {"seq": 0, "method": method, "path": path, "query": {k: v[0] for k, v in query.items() if v},
                 "userAgent": user_agent, "code": None}
        with self.lock:
            entry["seq"] = next(self.sequence)
            if len(self.entries) == self.entries.maxlen:
                self.dropped += 1
            self.entries.append(entry)
        return entry

    def describe(self, user_agent="", since=0):
        """Entries whose User-Agent contains `user_agent` and whose seq is above `since`."""
        with self.lock:
            found = [dict(e, query=dict(e["query"])) for e in self.entries
                     if e["seq"] > since and user_agent in (e["userAgent"] or "")]
            return {"requests": found, "dropped": self.dropped}

    def clear(self):
        with self.lock:
            removed = len(self.entries)
            self.entries.clear()
            self.dropped = 0
            return removed
