"""LIST: selectors and list options, pages with limit/continue over a consistent snapshot (continue
tokens as kube-apiserver encodes them, 410 once the snapshot's history is gone), and the list body in
the form asked for (the kind's List, a Table, or PartialObjectMetadataList)."""
import base64
import binascii
import json

from . import selectors, table
from .errors import FieldError, bad_request, expired, invalid_options, not_supported
from .request import Response
from .storage import TooOld

CONTINUE_TOO_OLD = ("The provided continue parameter is too old to display a consistent list result. You can start "
                    "a new list without the continue parameter, or use the continue token in this response to "
                    "retrieve the remainder of the results. Continuing with the provided token results in an "
                    "inconsistent list - objects that were created, modified, or deleted between the time the first "
                    "chunk was returned and now may show up in the list.")

def key_of(namespace, name, cluster_wide):
    """The etcd key suffix a continue token records (relative to the list's prefix)."""
    return f"{namespace}/{name}" if cluster_wide and namespace else name


def encode_continue(rv, start):
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_continue(token):
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        if data.get("v") != "meta.k8s.io/v1" or not isinstance(data.get("rv"), int) or not isinstance(data.get("start"), str):
            raise ValueError
        return data["rv"], data["start"]
    except (ValueError, binascii.Error, UnicodeDecodeError, AttributeError):
        raise bad_request(f"continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")



def list_options(call, watch=False):
    """Selectors, after ValidateListOptions (v1.28, WatchList feature off)."""
    rtype = call.rtype
    labels = selectors.parse_labels(call.param("labelSelector"))
    fields = selectors.parse_fields(call.param("fieldSelector"), rtype.field_labels)
    rv, match = call.param("resourceVersion"), call.param("resourceVersionMatch")
    errors = []
    if watch:
        if "sendInitialEvents" in call.query:
            if match != "NotOlderThan":
                errors.append(FieldError("Forbidden", "resourceVersionMatch",
                                         detail="sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
            errors.append(FieldError("Forbidden", "sendInitialEvents",
                                     detail="sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"))
        if match:
            if "sendInitialEvents" not in call.query:
                errors.append(FieldError("Forbidden", "resourceVersionMatch",
                                         detail="resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
            if match != "NotOlderThan":
                errors.append(not_supported("resourceVersionMatch", match, ["NotOlderThan"]))
            if not call.flag("allowWatchBookmarks"):
                errors.append(FieldError("Forbidden", "allowWatchBookmarks",
                                         detail="allowWatchBookmarks must be set to true when resourceVersionMatch is provided"))
    elif match and not rv:
        errors.append(FieldError("Forbidden", "resourceVersionMatch",
                                 detail="resourceVersionMatch is forbidden unless resourceVersion is provided"))
    elif match and match not in ("NotOlderThan", "Exact"):
        errors.append(not_supported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]))
    elif match == "Exact" and rv == "0":
        errors.append(FieldError("Forbidden", "resourceVersionMatch",
                                 detail='resourceVersionMatch "exact" is forbidden for resourceVersion "0"'))
    if errors:
        raise invalid_options("ListOptions", errors)
    return labels, fields


def list_objects(api, call):
    rtype = call.rtype
    labels, fields = list_options(call)
    rv_param, token = call.param("resourceVersion"), call.param("continue")
    try:
        limit = int(call.param("limit") or 0)
    except ValueError:
        raise bad_request(f"invalid limit: {call.param('limit')}")
    if token and rv_param:
        raise bad_request("specifying resource version is not allowed when using continue")
    start, exact_rv = "", None
    if token:
        exact_rv, start = decode_continue(token)
        if exact_rv == -1:
            exact_rv = None
    elif rv_param not in ("", "0"):
        requested = api.wait_for(rv_param)
        if call.param("resourceVersionMatch") == "Exact" or (limit > 0 and call.param("resourceVersionMatch") != "NotOlderThan"):
            exact_rv = requested
    cluster_wide = rtype.namespaced and call.namespace is None
    with api.store.lock:
        current = api.store.rv
        if exact_rv is None or exact_rv >= current:
            rows, at = api.store.items(rtype.storage_key, call.namespace), current
        else:
            try:
                rows, at = api.store.snapshot(rtype.storage_key, exact_rv, call.namespace), exact_rv
            except TooOld:
                if token:
                    last = start[:-1] if start.endswith("\x00") else start
                    raise expired(CONTINUE_TOO_OLD, encode_continue(-1, last + "\x00"))
                raise expired("The resourceVersion for the provided list is too old.")
    objects = []
    for ns, name, stored in rows:
        if start and key_of(ns, name, cluster_wide) < start:
            continue
        obj = api.external(rtype, stored)
        if labels.matches((obj.get("metadata") or {}).get("labels")) and fields.matches(rtype.field_values(obj)):
            objects.append((key_of(ns, name, cluster_wide), obj))
    meta = {"resourceVersion": str(at)}
    if limit > 0 and (rv_param != "0" or token) and len(objects) > limit:
        rest = len(objects) - limit
        objects = objects[:limit]
        meta["continue"] = encode_continue(at, objects[-1][0] + "\x00")
        if labels.empty and fields.empty:
            meta["remainingItemCount"] = rest
    items = [o for _, o in objects]
    return render_list(call, rtype, items, meta)


def render_list(call, rtype, items, meta):
    view = call.accept.view
    if view == "Table":
        return Response(200, table.table(rtype, items, meta, call.accept.view_version,
                                         call.param("includeObject", "Metadata")))
    if view in ("PartialObjectMetadataList", "PartialObjectMetadata"):
        return Response(200, table.partial_list(rtype, items, meta, call.accept.view_version))
    if rtype.typed:
        body = {"kind": rtype.list_kind, "apiVersion": rtype.group_version, "metadata": meta,
                "items": [{k: v for k, v in o.items() if k not in ("kind", "apiVersion")} for o in items]}
        return Response(200, body)
    return Response(200, {"apiVersion": rtype.group_version, "items": items, "kind": rtype.list_kind,
                          "metadata": meta}, sort=True)
