"""metadata.managedFields: who owns which fields, updated on every write as kube-apiserver's field
manager does, and the conflicts server-side apply reports.

An entry is identified by (manager, operation, subresource). Update operations take the fields they
changed (silently taking them from others); Apply operations own exactly the fields of their
configuration and conflict with other owners of a field they would change, unless forced.
"""
import json

from . import fieldpath as fp
from . import timefmt
from .errors import ApiError
from .values import MISSING, clone

MAX_UPDATE_MANAGERS = 10


class Entry:
    def __init__(self, manager, operation, subresource, api_version, paths, time=None):
        self.manager, self.operation, self.subresource = manager, operation, subresource or ""
        self.api_version, self.paths, self.time = api_version, set(paths), time

    @property
    def identity(self):
        return (self.manager, self.operation, self.subresource)

    def encode(self):
        entry = {"manager": self.manager, "operation": self.operation, "apiVersion": self.api_version}
        if self.time:
            entry["time"] = self.time
        entry["fieldsType"] = "FieldsV1"
        entry["fieldsV1"] = fp.to_fields_v1(self.paths)
        if self.subresource:
            entry["subresource"] = self.subresource
        return entry

    def describe(self):
        """printManager: how a conflict names the other owner. It prints a time only when the manager
        identifier has one, and BuildManagerIdentifier never keeps it (apimachinery v0.28.4
        pkg/util/managedfields/internal/managedfields.go, conflict.go; reference/kube-wire-crd/14)."""
        name = json.dumps(self.manager)
        if self.subresource:
            name = f'{name} with subresource "{self.subresource}"'
        if self.operation == "Update":
            return f"{name} using {self.api_version}"
        return name


def decode(entries):
    """{identity: Entry}; ValueError for entries that are not managedFields."""
    managers = {}
    for raw in entries or []:
        if not isinstance(raw, dict) or raw.get("operation") not in ("Apply", "Update"):
            raise ValueError("invalid managedFields entry")
        if raw.get("fieldsType", "FieldsV1") != "FieldsV1":
            raise ValueError(f"invalid fieldsType {raw.get('fieldsType')!r}")
        entry = Entry(raw.get("manager", ""), raw["operation"], raw.get("subresource", ""),
                      raw.get("apiVersion", ""), fp.from_fields_v1(raw.get("fieldsV1") or {}), raw.get("time"))
        managers[entry.identity] = entry
    return managers


def encode(managers):
    """sortEncodedManagedFields: by operation, then time, manager, apiVersion, subresource."""
    def order(e):
        seconds = timefmt.parse(e.time).timestamp() if e.time else 0
        return (e.operation, seconds, e.manager, e.api_version, e.subresource)
    return [e.encode() for e in sorted(managers.values(), key=order) if e.paths]


def base_managers(live, new, ignore_request):
    """decodeLiveOrNew: a request may reset ([{}]) or replace managedFields, except on subresources;
    leaving them out (or sending garbage) keeps the live ones."""
    live_entries = (live.get("metadata") or {}).get("managedFields") if live is not MISSING else None
    requested = (new.get("metadata") or {}).get("managedFields")
    if not ignore_request:
        if isinstance(requested, list) and len(requested) == 1 and requested[0] == {}:
            return {}
        try:
            managers = decode(requested)
            if managers:
                return managers
        except ValueError:
            pass
    try:
        return decode(live_entries)
    except ValueError:
        return {}


def _comparable(obj):
    if obj is MISSING:
        return {}
    copy = clone(obj)
    (copy.get("metadata") or {}).pop("managedFields", None)
    return copy


def changes(live, new, schema, ignored):
    comparison = fp.compare(_comparable(live), _comparable(new), schema)
    for name in ("added", "modified", "removed"):
        setattr(comparison, name, fp.strip(getattr(comparison, name), ignored))
    return comparison


def _now():
    return timefmt.rfc3339(timefmt.now())


def update(managers, live, new, schema, identity, api_version, ignored=()):
    """An Update operation: the manager owns what it changed; removed fields are nobody's."""
    comparison = changes(live, new, schema, ignored)
    taken = comparison.added | comparison.modified
    for entry in managers.values():
        entry.paths -= taken
        entry.paths -= comparison.removed
    if taken:
        manager, operation, subresource = identity
        previous = managers.get(identity)
        paths = taken | (previous.paths if previous else set())
        managers[identity] = Entry(manager, operation, subresource, api_version, paths, _now())
    _cap(managers)
    return {k: e for k, e in managers.items() if e.paths}


def _cap(managers):
    """capManagersManager: at most ten Update entries; the oldest merge into "ancient-changes"."""
    updates = sorted((e for e in managers.values() if e.operation == "Update" and e.manager != "ancient-changes"),
                     key=lambda e: e.time or "")
    while len(updates) > MAX_UPDATE_MANAGERS:
        oldest = updates.pop(0)
        del managers[oldest.identity]
        key = ("ancient-changes", "Update", "")
        ancient = managers.get(key) or Entry("ancient-changes", "Update", "", oldest.api_version, set(), oldest.time)
        ancient.paths |= oldest.paths
        managers[key] = ancient


def conflict_error(conflicts):
    """merge.Conflicts as the 409 the API server returns."""
    conflicts = sorted(conflicts, key=lambda c: (c[0].describe(), fp.path_key(c[1])))
    causes = [{"reason": "FieldManagerConflict", "message": f"conflict with {entry.describe()}",
               "field": fp.path_string(path)} for entry, path in conflicts]
    if len(conflicts) == 1:
        entry, path = conflicts[0]
        message = f"Apply failed with 1 conflict: conflict with {entry.describe()}: {fp.path_string(path)}"
    else:
        lines = []
        for owner in sorted({e.describe() for e, _ in conflicts}):
            lines.append(f"conflicts with {owner}:")
            lines += [f"- {fp.path_string(p)}" for e, p in conflicts if e.describe() == owner]
        message = f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)
    return ApiError(409, "Conflict", message, {"causes": causes})


def apply(managers, live, merged, schema, config_paths, identity, api_version, force, ignored=(), forgiven=()):
    """The ownership half of an Apply: conflicts with other owners of fields the configuration changes
    (unless forced, which takes them), then the applier owns exactly its configuration. Conflicts on
    `forgiven` fields (lastapplied.py) are not reported; when only those remain the apply is forced.
    Returns the fields to prune: ones it owned before, left out now, and nobody else owns."""
    comparison = changes(live, merged, schema, ignored)
    touched = comparison.added | comparison.modified
    conflicts = [(e, p) for key, e in managers.items() if key != identity for p in sorted(e.paths & touched)
                 if p not in forgiven]
    if conflicts and not force:
        raise conflict_error(conflicts)
    for key, entry in managers.items():
        if key != identity:
            entry.paths -= touched
        entry.paths -= comparison.removed
    previous = managers.get(identity)
    last = previous.paths if previous else set()
    manager, operation, subresource = identity
    managers[identity] = Entry(manager, operation, subresource, api_version, config_paths,
                               previous.time if previous else None)
    owned = set().union(*(e.paths for e in managers.values()))
    return {p for p in last - config_paths if p not in owned}


def finish_apply(managers, live, result, schema, identity, ignored=()):
    """After pruning: fields the apply removed belong to nobody; the applier's time moves only when the
    object changed."""
    comparison = changes(live, result, schema, ignored)
    for entry in managers.values():
        entry.paths -= comparison.removed
    if not comparison.empty():
        managers[identity].time = _now()
    _cap(managers)
    return {k: e for k, e in managers.items() if e.paths}
