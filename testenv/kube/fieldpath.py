"""Field paths and field sets as structured-merge-diff (the library behind managedFields) models them.

A path is a tuple of elements: ("f", name) a field, ("k", '{"name":"x"}') an item of a map-list by its
keys, ("v", '"x"') an item of a set-list by value, ("i", n) an index. A set is a Python set of paths.
`to_set` is ToFieldSet (what an apply configuration owns), `compare` is Compare (what an update changed),
and the FieldsV1 JSON is the trie kube-apiserver stores in metadata.managedFields.
"""
import json

from . import schema as sch
from .values import MISSING, equal


def compact(value):
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def key_element(item, keys):
    return ("k", compact({k: item[k] for k in keys if isinstance(item, dict) and k in item}))


def value_element(item):
    return ("v", compact(item))


# Fields the API server never records as owned (fieldmanager's stripmeta).
STRIPPED = {(("f", "apiVersion"),), (("f", "kind"),), (("f", "metadata"),)} | {
    (("f", "metadata"), ("f", name)) for name in
    ("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields",
     "resourceVersion")}


def strip(paths, ignored=()):
    """Remove the stripped metadata paths and every path under an ignored prefix (reset fields)."""
    return {p for p in paths if p not in STRIPPED and not any(p[:len(i)] == i for i in ignored)}


def to_set(value, schema, path=(), out=None):
    """ToFieldSet: leaves, list items, empty maps and map elements."""
    out = set() if out is None else out
    kind = sch.node_kind(schema, value)
    if kind in (sch.SCALAR, sch.ATOMIC) or value is None:
        out.add(path)
    elif kind in (sch.STRUCT, sch.MAP) and isinstance(value, dict):
        declared = (schema or {}).get("properties") or {}
        for key, member in value.items():
            sub_path = path + (("f", key),)
            to_set(member, sch.child(schema, key), sub_path, out)
            if member is None or member == {} or key not in declared:
                out.add(sub_path)
    elif kind in (sch.SET, sch.MAPLIST) and isinstance(value, list):
        keys = sch.map_keys(schema)
        for item in value:
            element = value_element(item) if kind == sch.SET else key_element(item, keys)
            item_path = path + (element,)
            if kind == sch.MAPLIST:
                to_set(item, sch.items(schema), item_path, out)
            out.add(item_path)
    return out


class Comparison:
    def __init__(self):
        self.added, self.modified, self.removed = set(), set(), set()

    def changed(self):
        return self.added | self.modified | self.removed

    def empty(self):
        return not (self.added or self.modified or self.removed)


def _container(kind, value):
    if kind in (sch.STRUCT, sch.MAP):
        return isinstance(value, dict)
    if kind in (sch.SET, sch.MAPLIST):
        return isinstance(value, list)
    return False


def _members(kind, value, schema):
    """Children of a container node keyed by path element: {element: (value, schema)}."""
    if value is MISSING or value is None:
        return {}
    if kind in (sch.STRUCT, sch.MAP):
        return {("f", k): (v, sch.child(schema, k)) for k, v in value.items()}
    keys = sch.map_keys(schema)
    element = value_element if kind == sch.SET else (lambda item: key_element(item, keys))
    return {element(item): (item, sch.items(schema)) for item in value}


def compare(lhs, rhs, schema, path=(), result=None):
    """Compare: Added/Removed for any node present on one side, Modified for changed leaves."""
    result = Comparison() if result is None else result
    sample = rhs if rhs is not MISSING and rhs is not None else lhs
    kind = sch.node_kind(schema, sample)
    # structured-merge-diff reads a null map or list as an empty one, and compares the node as a leaf
    # only when both sides are empty or null (mergingWalker doMap/doList, emptyPromoteToLeaf): a null
    # list that gains items adds the items, not the list (a CRD's status.conditions, kube-wire-crd/03).
    empty = all(v is MISSING or v is None or (_container(kind, v) and not v) for v in (lhs, rhs))
    granular = kind not in (sch.SCALAR, sch.ATOMIC) and not empty and all(
        v is MISSING or v is None or _container(kind, v) for v in (lhs, rhs))
    if not granular:
        if lhs is MISSING:
            result.added.add(path)
        elif rhs is MISSING:
            result.removed.add(path)
        elif not equal(lhs, rhs):
            result.modified.add(path)
        return result
    left, right = _members(kind, lhs, schema), _members(kind, rhs, schema)
    for element in list(left) + [e for e in right if e not in left]:
        l_value, l_schema = left.get(element, (MISSING, None))
        r_value, r_schema = right.get(element, (MISSING, None))
        sub_schema = r_schema if element in right else l_schema
        if kind == sch.SET:  # set items are their own identity: only presence can change
            if element not in left:
                result.added.add(path + (element,))
            elif element not in right:
                result.removed.add(path + (element,))
            continue
        compare(l_value, r_value, sub_schema, path + (element,), result)
    if lhs is MISSING:
        result.added.add(path)
    elif rhs is MISSING:
        result.removed.add(path)
    return result


# ---- FieldsV1 ------------------------------------------------------------------------------------

def _encode_element(element):
    kind, data = element
    return f"{kind}:{data}"


def _decode_element(text):
    kind, _, data = text.partition(":")
    if kind == "i":
        return ("i", int(data))
    return (kind, data)


def to_fields_v1(paths):
    trie = {}
    for path in paths:
        node = trie
        for element in path:
            node = node.setdefault(_encode_element(element), {})
    for path in paths:
        node = trie
        for element in path:
            node = node[_encode_element(element)]
        if node and path:
            node["."] = {}
    return _sorted(trie)


def _sorted(node):
    return {k: _sorted(node[k]) for k in sorted(node)}


def from_fields_v1(trie, prefix=()):
    """The set a FieldsV1 trie describes; ValueError when it is not one."""
    if not isinstance(trie, dict):
        raise ValueError("FieldsV1 must be an object")
    paths = set()
    for key, sub in trie.items():
        if key == ".":
            paths.add(prefix)
            continue
        if not isinstance(key, str) or key[:2] not in ("f:", "k:", "v:", "i:"):
            raise ValueError(f"invalid FieldsV1 key {key!r}")
        path = prefix + (_decode_element(key),)
        if not sub:
            paths.add(path)
        else:
            paths |= from_fields_v1(sub, path)
    return paths


def path_string(path):
    """fieldpath.Path.String(): .spec.size, .spec.layers[name="data"], .metadata.finalizers[="x"]."""
    parts = []
    for kind, data in path:
        if kind == "f":
            parts.append("." + data)
        elif kind == "k":
            fields = json.loads(data)
            parts.append("[" + ",".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in sorted(fields.items())) + "]")
        elif kind == "v":
            parts.append(f"[={data}]")
        else:
            parts.append(f"[{data}]")
    return "".join(parts)


def path_key(path):
    """A sort key so conflicts are listed in a stable order."""
    return [f"{k}:{d}" for k, d in path]
