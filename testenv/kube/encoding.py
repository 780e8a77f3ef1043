"""Bytes in and out: request bodies (JSON or YAML, with duplicate-field detection for Strict/Warn field
validation), content negotiation from Accept (JSON, YAML, Table, PartialObjectMetadata), and JSON
written the way Go writes it (built-in kinds in struct field order, custom resources with sorted keys,
HTML characters escaped, a trailing newline).
"""
import json

from . import objectmeta
from .errors import bad_request, not_acceptable, unsupported_media_type

try:
    import yaml
except ImportError:  # YAML bodies need PyYAML; JSON works without it
    yaml = None


class Body:
    def __init__(self, value, duplicates):
        self.value, self.duplicates = value, duplicates


def _pairs(duplicates):
    def hook(pairs):
        out = {}
        for key, value in pairs:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out
    return hook


def media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def decode(raw, content_type, accepted):
    """Decode a request body of an accepted media type; 415 for others, 400 for malformed ones."""
    media = media_type(content_type) or "application/json"
    if media not in accepted:
        raise unsupported_media_type([m for m in accepted if "protobuf" not in m] + [m for m in accepted if "protobuf" in m])
    if media == "application/vnd.kubernetes.protobuf":
        raise unsupported_media_type([m for m in accepted if "protobuf" not in m])
    text = raw.decode("utf-8", errors="replace")
    duplicates = []
    if media.endswith("yaml"):
        if yaml is None:
            raise unsupported_media_type(["application/json"])
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise bad_request(f"error decoding YAML: {exc}")
        value = _json_compatible(value)
    else:
        try:
            value = json.loads(text, object_pairs_hook=_pairs(duplicates)) if text.strip() else None
        except ValueError as exc:
            raise bad_request(f"couldn't get version/kind; json parse error: {exc}")
    return Body(value, duplicates)


def _json_compatible(value):
    """YAML timestamps and the like come back as strings, as sigs.k8s.io/yaml would give them."""
    if isinstance(value, dict):
        return {str(k): _json_compatible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_compatible(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


class Accept:
    """What the client asked for: a format, and optionally a Table or PartialObjectMetadata view."""

    def __init__(self, fmt="json", view=None, view_version="v1"):
        self.fmt, self.view, self.view_version = fmt, view, view_version


def negotiate(header, allow_views=True):
    if not header or not header.strip():
        return Accept()
    supported = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media, params = pieces[0].lower(), dict(p.split("=", 1) for p in pieces[1:] if "=" in p)
        try:
            if float(params.get("q") or 1) == 0:
                continue
        except ValueError:
            continue
        view = params.get("as")
        if view:
            if not allow_views or params.get("g") != "meta.k8s.io" or view not in ("Table", "PartialObjectMetadata",
                                                                                      "PartialObjectMetadataList"):
                continue
            if params.get("v") not in ("v1", "v1beta1"):
                continue
        if media in ("application/json", "application/*", "*/*", "application/json-patch+json"):
            supported.append(Accept("json", view, params.get("v", "v1")))
        elif media in ("application/yaml",) and yaml is not None and not view:
            supported.append(Accept("yaml"))
    if supported:
        return supported[0]
    raise not_acceptable(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"])


def reorder(value, order, path=""):
    """Built-in kinds: fields in Go struct order (unknown ones after, sorted); metadata everywhere."""
    if isinstance(value, list):
        return [reorder(v, order, path + "[]") for v in value]
    if not isinstance(value, dict):
        return value
    fields = order.get(path)
    if path.endswith(("metadata.labels", "metadata.annotations")) or order.get(path + "{}"):
        return {k: value[k] for k in sorted(value)}  # Go maps encode with sorted keys
    if path.endswith("metadata") or path == "metadata":
        fields = objectmeta.ORDER
    elif path.endswith("managedFields[]"):
        fields = objectmeta.MANAGED_FIELDS_ORDER
    elif path.endswith("ownerReferences[]"):
        fields = objectmeta.OWNER_REFERENCE_ORDER
    if fields is None:
        return {k: reorder(v, order, f"{path}.{k}" if path else k) for k, v in value.items()}
    keys = [k for k in fields if k in value] + sorted(k for k in value if k not in fields)
    return {k: reorder(value[k], order, f"{path}.{k}" if path else k) if k != "fieldsV1" else value[k]
            for k in keys}


_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def to_json(value, sort=False, pretty=False):
    """encoding/json output: compact (or two-space indented), HTML-escaped, newline-terminated."""
    text = json.dumps(value, sort_keys=sort, ensure_ascii=False, separators=(",", ":") if not pretty else (",", ": "),
                      indent=2 if pretty else None)
    for char, escaped in _HTML.items():
        if char in text:
            text = text.replace(char, escaped)
    return text + "\n"


def to_yaml(value):
    return yaml.safe_dump(value, sort_keys=True, default_flow_style=False, allow_unicode=True)
