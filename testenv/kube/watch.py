"""Watch streams: `?watch=1` answered with 200 and one JSON event per line, chunk by chunk.

As kube-apiserver's watch cache does it: no resourceVersion (or "0") starts with a synthetic ADDED per
existing object; a resourceVersion replays what came after it, or, when that history is gone, sends an
ERROR event carrying a 410 Expired Status and ends. Selectors turn changes that enter or leave the
selection into ADDED/DELETED. BOOKMARKs (when allowed) come every bookmark interval and once two
seconds before the timeout; timeoutSeconds ends the stream cleanly. The control API can drop, end or
expire open watches.
"""
import random
import threading
import time

from . import table
from .errors import ApiError, expired
from .selectors import FieldSelector
from .storage import TooOld
from .values import clone

class OpenWatches:
    """Every watch being served, so the control API can act on them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.watches = set()

    def add(self, watch):
        with self.lock:
            self.watches.add(watch)

    def remove(self, watch):
        with self.lock:
            self.watches.discard(watch)

    def command(self, store, mode, path_contains="", user_agent=""):
        with self.lock:
            chosen = [w for w in self.watches if path_contains in w.path and user_agent in (w.call.user_agent or "")]
        for watch in chosen:
            watch.command = mode
        with store.changed:
            store.changed.notify_all()
        return len(chosen)

    def count(self):
        with self.lock:
            return len(self.watches)


class Watch:
    def __init__(self, api, call, path, writer, settings):
        self.api, self.store, self.call, self.path, self.writer = api, api.store, call, path, writer
        self.settings = settings
        self.command = None

    # ---- events ----
    def _matches(self, obj):
        meta = obj.get("metadata") or {}
        if self.call.namespace is not None and meta.get("namespace", "") != self.call.namespace:
            return False
        return self.labels.matches(meta.get("labels")) and self.fields.matches(self.rtype.field_values(obj))

    def _render(self, obj):
        accept = self.call.accept
        if accept.view == "Table":
            rv = obj["metadata"].get("resourceVersion", "")
            return table.table(self.rtype, [obj], {"resourceVersion": rv}, accept.view_version,
                               self.call.param("includeObject", "Metadata"))
        if accept.view in ("PartialObjectMetadata", "PartialObjectMetadataList"):
            return table.partial_metadata(obj, accept.view_version)
        return obj

    def _send(self, etype, obj):
        self.writer.event(etype, self._render(obj) if etype not in ("ERROR", "BOOKMARK") else obj,
                          sort=not self.rtype.typed and self.call.accept.view is None and etype != "ERROR")

    def _translate(self, record):
        """The event a watcher with this selection sees for one stored change (or None)."""
        external = self.api.external
        now = self._matches(external(self.rtype, record.obj)) if record.type != "DELETED" else False
        before = record.prev is not None and self._matches(external(self.rtype, record.prev))
        if record.type == "DELETED":
            return ("DELETED", external(self.rtype, record.obj)) if before else None
        if now:
            return ("MODIFIED" if before else "ADDED", external(self.rtype, record.obj))
        if before:  # it left the selection: DELETED with its old content at the new resourceVersion
            gone = clone(record.prev)
            gone["metadata"]["resourceVersion"] = str(record.rv)
            return "DELETED", external(self.rtype, gone)
        return None

    def _bookmark(self, rv):
        meta = {"resourceVersion": str(rv)}
        if self.call.accept.view == "Table":
            obj = {"kind": "Table", "apiVersion": f"meta.k8s.io/{self.call.accept.view_version}", "metadata": meta,
                   "columnDefinitions": None, "rows": None}
        else:
            obj = {"apiVersion": self.rtype.group_version, "kind": self.rtype.kind, "metadata": meta}
        self._send("BOOKMARK", obj)

    def _expired(self, requested, oldest):
        status = expired(f"too old resource version: {requested} ({oldest})").status()
        self._send("ERROR", status)

    # ---- serving ----
    def prepare(self):
        """Everything that can still fail with a plain HTTP error, before the 200 goes out."""
        call = self.call
        self.rtype = call.rtype
        self.labels, self.fields = self.api.list_options(call, watch=True)
        if call.name:  # the old form: a watch on one object's URL
            self.fields = FieldSelector(self.fields.requirements + [("metadata.name", "=", call.name)])
        self.rv = call.param("resourceVersion")
        self.bookmarks = call.flag("allowWatchBookmarks")
        if self.rv not in ("", "0"):
            self.api.wait_for(self.rv)
        timeout = call.param("timeoutSeconds")
        if timeout:
            try:
                self.timeout = max(0.0, float(int(timeout)))
            except ValueError:
                raise ApiError(400, "BadRequest", f'invalid value for timeoutSeconds: "{timeout}"')
        else:
            minimum = self.settings.min_request_timeout
            self.timeout = minimum * (1 + random.random())

    def run(self):
        """Stream until the timeout, a control command, a reset or a departed client. Nothing is written
        to the socket while the store lock is held."""
        start_time = time.monotonic()
        deadline = start_time + self.timeout
        key, floor = self.rtype.storage_key, self.rtype.watch_start_rv
        generation = self.store.generation
        self.writer.start()
        with self.store.lock:
            if self.rv in ("", "0"):
                position, too_old = self.store.rv, None
                initial = [self.api.external(self.rtype, o) for _, _, o in self.store.items(key, self.call.namespace)]
            else:
                position, initial, too_old = int(self.rv), [], self._check_history(key, int(self.rv), floor)
        if too_old is not None:
            return self._end_expired(self.rv, too_old)
        for obj in initial:
            if self._matches(obj):
                self._send("ADDED", obj)
        interval = self.settings.bookmark_interval
        next_bookmark = min(start_time + interval, deadline - 2.0)
        while True:
            with self.store.changed:
                records, too_old = self._wait(key, position, floor, deadline, next_bookmark)
                latest = self.store.rv
            if records is None:
                return  # the client went away
            if too_old is not None:
                return self._end_expired(position, too_old)
            for record in records:
                event = self._translate(record)
                if event:
                    self._send(*event)
                position = record.rv
            command, self.command = self.command, None
            if command == "drop" or self.store.generation != generation:
                return self.writer.abort()
            if command == "expire":
                return self._end_expired(position, self.store.compacted or position)
            if command == "end":
                return self.writer.end()
            now = time.monotonic()
            if self.bookmarks and now >= next_bookmark:
                position = max(position, latest)  # every change up to `latest` was in `records`
                self._bookmark(position)
                next_bookmark = now + interval
            if now >= deadline:
                return self.writer.end()

    def _check_history(self, key, rv, floor):
        try:
            self.store.changes_after(key, rv, floor)
            return None
        except TooOld as exc:
            return exc.oldest

    def _wait(self, key, position, floor, deadline, next_bookmark):
        """(records, None) once there is something to do; (None, None) if the client is gone;
        ([], oldest) when the history after `position` was compacted away. Holds the store lock."""
        generation = self.store.generation
        while True:
            try:
                records = self.store.changes_after(key, position, floor)
            except TooOld as exc:
                return [], exc.oldest
            now = time.monotonic()
            if records or self.command or self.store.generation != generation or now >= deadline or (
                    self.bookmarks and now >= next_bookmark):
                return records, None
            if self.writer.gone():
                return None, None
            wake = min(deadline, next_bookmark if self.bookmarks else deadline, now + 1.0)
            self.store.changed.wait(max(0.01, wake - now))

    def _end_expired(self, requested, oldest):
        self._expired(requested, oldest)
        self.writer.end()
