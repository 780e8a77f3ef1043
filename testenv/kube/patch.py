"""JSON merge patch (RFC 7386) and JSON patch (RFC 6902), the two patch types custom resources take
besides apply. A JSON patch that cannot be applied (a failed `test`, a missing path) is the API
server's generic 422; one that cannot be parsed is a 400.
"""
from .errors import bad_request, generic_response
from .values import MISSING, clone, equal


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return clone(patch)
    result = clone(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key, MISSING), value)
    return result


class PatchFailed(Exception):
    pass


def _pointer(path):
    if not isinstance(path, str) or (path and not path.startswith("/")):
        raise PatchFailed(f"invalid path {path!r}")
    if path == "":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _index(container, token, allow_end=False):
    if token == "-" and allow_end:
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise PatchFailed(f"invalid array index {token!r}")
    index = int(token)
    if index > len(container) or (index == len(container) and not allow_end):
        raise PatchFailed(f"array index out of bounds: {index}")
    return index


def _parent(doc, tokens):
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(node, token)]
        else:
            raise PatchFailed("path does not exist")
    return node


def _get(doc, tokens):
    if not tokens:
        return doc
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchFailed("path does not exist")
        return parent[last]
    if isinstance(parent, list):
        return parent[_index(parent, last)]
    raise PatchFailed("path does not exist")


def _add(doc, tokens, value):
    if not tokens:
        return value
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, last, allow_end=True), value)
    else:
        raise PatchFailed("path does not exist")
    return doc


def _remove(doc, tokens):
    if not tokens:
        raise PatchFailed("cannot remove the whole document")
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise PatchFailed("path does not exist")
        return parent.pop(last)
    if isinstance(parent, list):
        return parent.pop(_index(parent, last))
    raise PatchFailed("path does not exist")


def json_patch(doc, operations):
    if not isinstance(operations, list) or not all(isinstance(op, dict) for op in operations):
        raise bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    doc = clone(doc)
    try:
        for op in operations:
            name = op.get("op")
            tokens = _pointer(op.get("path"))
            if name in ("add", "replace", "test") and "value" not in op:
                raise PatchFailed(f"missing value for {name}")
            if name == "add":
                doc = _add(doc, tokens, clone(op["value"]))
            elif name == "remove":
                _remove(doc, tokens)
            elif name == "replace":
                _get(doc, tokens)  # must exist
                if tokens:
                    _remove(doc, tokens)
                doc = _add(doc, tokens, clone(op["value"]))
            elif name == "move":
                value = _remove(doc, _pointer(op.get("from")))
                doc = _add(doc, tokens, value)
            elif name == "copy":
                doc = _add(doc, tokens, clone(_get(doc, _pointer(op.get("from")))))
            elif name == "test":
                if not equal(_get(doc, tokens), op["value"]):
                    raise PatchFailed("testing value failed")
            else:
                raise PatchFailed(f"unexpected op {name!r}")
    except PatchFailed:
        raise generic_response(422)
    return doc


# Lists a strategic merge patch merges instead of replacing, for the built-in kinds served here.
_MERGE_LISTS = {("metadata", "finalizers"): None, ("metadata", "ownerReferences"): "uid"}


def strategic_merge_patch(target, patch, path=()):
    """A strategic merge patch for the built-in kinds served here (Namespaces, Leases, Events): a merge
    patch whose metadata.finalizers and ownerReferences merge, with the $patch, $retainKeys,
    $setElementOrder and $deleteFromPrimitiveList directives."""
    if not isinstance(patch, dict):
        return clone(patch)
    if patch.get("$patch") == "replace":
        return {k: clone(v) for k, v in patch.items() if k != "$patch"}
    result = clone(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$setElementOrder/") or key in ("$patch", "$retainKeys"):
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            name = key.split("/", 1)[1]
            if isinstance(result.get(name), list) and isinstance(value, list):
                result[name] = [x for x in result[name] if x not in value]
            continue
        here = path + (key,)
        if value is None or (isinstance(value, dict) and value.get("$patch") == "delete"):
            result.pop(key, None)
        elif here in _MERGE_LISTS and isinstance(value, list) and isinstance(result.get(key), list):
            result[key] = _merge_list(result[key], value, _MERGE_LISTS[here])
        else:
            result[key] = strategic_merge_patch(result.get(key, MISSING), value, here)
    return result


def _merge_list(current, patch, key):
    merged = clone(current)
    for item in patch:
        if key is None:
            if not any(equal(item, x) for x in merged):
                merged.append(clone(item))
            continue
        index = next((i for i, x in enumerate(merged) if isinstance(x, dict) and isinstance(item, dict)
                      and x.get(key) == item.get(key)), None)
        if isinstance(item, dict) and item.get("$patch") == "delete":
            if index is not None:
                merged.pop(index)
        elif index is None:
            merged.append(clone(item))
        else:
            merged[index] = strategic_merge_patch(merged[index], item)
    return merged
