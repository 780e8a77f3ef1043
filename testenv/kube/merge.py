"""Server-side apply's merge: an apply configuration merged into the live object the way
structured-merge-diff does it (maps merge, atomic values are replaced, set- and map-lists merge by
item identity keeping their order), and pruning of fields a manager gave up.
"""
import json

from . import fieldpath as fp
from . import schema as sch
from .values import MISSING, clone, equal


def merge(live, config, schema):
    kind = sch.node_kind(schema, config)
    if live is MISSING or live is None or config is None or kind in (sch.SCALAR, sch.ATOMIC):
        return clone(config)
    if kind in (sch.STRUCT, sch.MAP):
        if not isinstance(live, dict) or not isinstance(config, dict):
            return clone(config)
        result = clone(live)
        for key, value in config.items():
            result[key] = merge(result.get(key, MISSING), value, sch.child(schema, key))
        return result
    if not isinstance(live, list) or not isinstance(config, list):
        return clone(config)
    return _merge_list(live, config, schema, kind)


def _element(kind, schema):
    keys = sch.map_keys(schema)
    return fp.value_element if kind == sch.SET else (lambda item: fp.key_element(item, keys))


def _merge_list(live, config, schema, kind):
    """mergingWalker.visitListItems: live-only items stay where they were, shared and new items follow
    the configuration's order."""
    element = _element(kind, schema)
    item_schema = sch.items(schema)
    lhs = [element(x) for x in live]
    rhs = [element(x) for x in config]
    lhs_items = dict(zip(lhs, live))
    rhs_items = dict(zip(rhs, config))
    shared = [pe for pe in rhs if pe in lhs_items]
    next_shared = shared.pop(0) if shared else None
    merged_rhs, out = set(), []

    def combine(pe, with_config):
        left = lhs_items.get(pe, MISSING)
        if not with_config:
            return clone(left)
        return merge(left, rhs_items[pe], item_schema) if kind == sch.MAPLIST else clone(rhs_items[pe])

    li = ri = 0
    while li < len(lhs) or ri < len(rhs):
        if li < len(lhs) and ri < len(rhs):
            pe = lhs[li]
            if pe == rhs[ri]:
                merged_rhs.add(pe)
                out.append(combine(pe, True))
                li, ri = li + 1, ri + 1
                next_shared = shared.pop(0) if shared else None
                continue
            if pe in rhs_items and next_shared is not None and next_shared != pe:
                li += 1
                continue
        if li < len(lhs):
            pe = lhs[li]
            if pe not in rhs_items:
                out.append(combine(pe, False))
                li += 1
                continue
            if pe in merged_rhs:
                li += 1
                continue
        if ri < len(rhs):
            pe = rhs[ri]
            merged_rhs.add(pe)
            out.append(combine(pe, True))
            ri += 1
            if next_shared is not None and next_shared == pe:
                next_shared = shared.pop(0) if shared else None
    return out


def remove_paths(obj, paths, schema):
    """Delete each path (and what is under it) from obj, in place; paths that are not there are skipped."""
    for path in sorted(paths, key=len, reverse=True):
        _remove(obj, path, schema)
    return obj


def _find(container, element, schema):
    kind, data = element
    if kind == "f":
        return (data, sch.child(schema, data)) if isinstance(container, dict) and data in container else None
    if not isinstance(container, list):
        return None
    if kind == "i":
        return (data, sch.items(schema)) if 0 <= data < len(container) else None
    wanted = json.loads(data)
    for index, item in enumerate(container):
        if kind == "v" and equal(item, wanted):
            return index, sch.items(schema)
        if kind == "k" and isinstance(item, dict) and all(equal(item.get(k, MISSING), v) for k, v in wanted.items()):
            return index, sch.items(schema)
    return None


def _remove(obj, path, schema):
    node, node_schema = obj, schema
    for element in path[:-1]:
        found = _find(node, element, node_schema)
        if found is None:
            return
        key, node_schema = found
        node = node[key]
    found = _find(node, path[-1], node_schema) if path else None
    if found is not None:
        del node[found[0]]
