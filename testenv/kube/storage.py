"""Storage and versioning: objects, one global resourceVersion counter (etcd's revision), and the
change history watches and paginated lists read from.

History is kept for a window (like etcd's compaction, 5 minutes by default) and can be compacted on
demand; a watch or a continue token that needs changes older than what is kept gets 410 Expired.
Lists at an older resourceVersion (continue pages) are rebuilt by undoing later changes.
"""
import bisect
import threading
import time

from .values import clone


class TooOld(Exception):
    def __init__(self, oldest):
        super().__init__(oldest)
        self.oldest = oldest


class Record:
    """One change. `obj` is the object after it (for DELETED: the last state, at the deleting RV);
    `prev` the object before it (None for ADDED)."""
    __slots__ = ("rv", "type", "key", "obj", "prev", "at")

    def __init__(self, rv, etype, key, obj, prev):
        self.rv, self.type, self.key, self.obj, self.prev, self.at = rv, etype, key, obj, prev, time.monotonic()


class Store:
    def __init__(self, history_seconds=300.0):
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.history_seconds = history_seconds
        self.rv = 0
        self.compacted = 0  # changes at or below this RV are no longer in the history
        self.objects = {}   # storage key → {(namespace, name): object}
        self.log = {}       # storage key → [Record] in RV order
        self.generation = 0  # bumped by reset, so watches of the old world end

    # ---- reads ----
    def get(self, key, namespace, name):
        with self.lock:
            return self.objects.get(key, {}).get((namespace or "", name))

    def items(self, key, namespace=None):
        """[(namespace, name, object)] in etcd key order (namespace, then name)."""
        with self.lock:
            bucket = self.objects.get(key, {})
            return [(ns, n, bucket[(ns, n)]) for ns, n in sorted(bucket) if namespace is None or ns == namespace]

    def snapshot(self, key, rv, namespace=None):
        """The objects as they were at `rv`, by undoing the changes after it."""
        with self.lock:
            self._trim()
            if rv < self.compacted:
                raise TooOld(self.compacted)
            state = dict(self.objects.get(key, {}))
            records = self.log.get(key, [])
            for record in reversed(records[bisect.bisect_right([r.rv for r in records], rv):]):
                if record.prev is None:
                    state.pop(record.key, None)
                else:
                    state[record.key] = record.prev
            return [(ns, n, state[(ns, n)]) for ns, n in sorted(state) if namespace is None or ns == namespace]

    def changes_after(self, key, rv, floor=0):
        """Records of `key` with RV above `rv`; TooOld when some of them are no longer kept."""
        with self.lock:
            self._trim()
            oldest = max(self.compacted, floor)
            if rv < oldest:
                raise TooOld(oldest)
            records = self.log.get(key, [])
            return records[bisect.bisect_right([r.rv for r in records], rv):]

    # ---- writes (callers hold self.lock across read-modify-write) ----
    def _write(self, key, namespace, name, obj, etype, prev):
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        bucket = self.objects.setdefault(key, {})
        if etype == "DELETED":
            bucket.pop((namespace or "", name), None)
        else:
            bucket[(namespace or "", name)] = obj
        self.log.setdefault(key, []).append(Record(self.rv, etype, (namespace or "", name), obj, prev))
        self._trim()
        self.changed.notify_all()
        return obj

    def create(self, key, namespace, name, obj):
        with self.lock:
            return self._write(key, namespace, name, obj, "ADDED", None)

    def update(self, key, namespace, name, obj):
        with self.lock:
            prev = self.get(key, namespace, name)
            return self._write(key, namespace, name, obj, "MODIFIED", prev)

    def delete(self, key, namespace, name):
        """Removes the object; the DELETED change carries its last state at the new RV."""
        with self.lock:
            prev = self.get(key, namespace, name)
            gone = clone(prev)
            return self._write(key, namespace, name, gone, "DELETED", prev)

    # ---- history ----
    def _trim(self):
        if self.history_seconds is None:
            return
        horizon = time.monotonic() - self.history_seconds
        for key, records in self.log.items():
            drop = 0
            while drop < len(records) and records[drop].at < horizon:
                drop += 1
            if drop:
                self.compacted = max(self.compacted, records[drop - 1].rv)
                del records[:drop]

    def compact(self, rv=None):
        """Forget the history up to `rv` (default: all of it); returns the compacted RV."""
        with self.lock:
            rv = self.rv if rv is None else min(int(rv), self.rv)
            for key, records in self.log.items():
                records[:] = [r for r in records if r.rv > rv]
            self.compacted = max(self.compacted, rv)
            self.changed.notify_all()
            return self.compacted

    def reset(self):
        with self.lock:
            self.objects.clear()
            self.log.clear()
            self.compacted = self.rv
            self.generation += 1
            self.changed.notify_all()
