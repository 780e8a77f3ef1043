"""/openapi/v2 in protobuf (gnostic's openapi.v2.Document), the only form kubectl 1.28 reads: it learns
from it which patch types a kind takes (`consumes` of its PATCH) and that the server validates fields
itself (a `fieldValidation` query parameter), so it sends merge patches to custom resources and does
no client-side schema validation. Field numbers are those of gnostic's OpenAPIv2.proto.
"""
import json
import struct


def _varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, wire, payload):
    return _varint((number << 3) | wire) + payload


def string(number, text):
    data = text.encode()
    return _field(number, 2, _varint(len(data)) + data)


def message(number, body):
    return _field(number, 2, _varint(len(body)) + body)


def boolean(number, value):
    return _field(number, 0, b"\x01") if value else b""


def integer(number, value):
    return _field(number, 0, _varint(int(value)))


def double(number, value):
    return _field(number, 1, struct.pack("<d", float(value)))


def _any(number, value):
    """openapi.v2.Any carries its value as YAML (JSON is YAML)."""
    return message(number, string(2, json.dumps(value)))


def _named_any(number, name, value):
    return message(number, string(1, name) + _any(2, value))


def _extensions(number, node):
    return b"".join(_named_any(number, k, v) for k, v in node.items() if k.startswith("x-"))


def schema(node):
    if not isinstance(node, dict):
        return b""
    out = b""
    if "$ref" in node:
        out += string(1, node["$ref"])
    for number, key in ((2, "format"), (3, "title"), (4, "description"), (13, "pattern")):
        if isinstance(node.get(key), str):
            out += string(number, node[key])
    if "default" in node:
        out += _any(5, node["default"])
    for number, key in ((7, "maximum"), (9, "minimum")):
        if isinstance(node.get(key), (int, float)) and not isinstance(node.get(key), bool):
            out += double(number, node[key])
    for number, key in ((11, "maxLength"), (12, "minLength"), (14, "maxItems"), (15, "minItems")):
        if isinstance(node.get(key), int) and node[key] >= 0:
            out += integer(number, node[key])
    out += b"".join(string(19, r) for r in node.get("required") or [] if isinstance(r, str))
    out += b"".join(_any(20, v) for v in node.get("enum") or [])
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out += message(21, message(1, schema(extra)))
    elif isinstance(extra, bool):
        out += message(21, boolean(2, extra) or _field(2, 0, b"\x00"))
    if isinstance(node.get("type"), str):
        out += message(22, string(1, node["type"]))
    if isinstance(node.get("items"), dict):
        out += message(23, message(1, schema(node["items"])))
    if isinstance(node.get("properties"), dict):
        named = b"".join(message(1, string(1, k) + message(2, schema(v))) for k, v in node["properties"].items())
        out += message(25, named)
    return out + _extensions(31, node)


def _parameter(param):
    if param.get("in") == "body":
        body = string(1, param.get("description", "")) + string(2, param["name"]) + string(3, "body") + \
            boolean(4, param.get("required")) + message(5, schema(param.get("schema") or {}))
        return message(1, message(1, body))
    kind, number = ("query", 3) if param.get("in") == "query" else ("path", 4)
    sub = boolean(1, param.get("required")) + string(2, kind) + string(3, param.get("description", "")) + \
        string(4, param["name"]) + (string(6 if kind == "query" else 5, param.get("type", "string")))
    if kind == "query" and param.get("uniqueItems"):
        sub += boolean(20, True)
    return message(1, message(2, message(number, sub)))


def _operation(op):
    out = string(3, op.get("description", "")) if op.get("description") else b""
    if op.get("operationId"):
        out += string(5, op["operationId"])
    out += b"".join(string(6, p) for p in op.get("produces") or [])
    out += b"".join(string(7, c) for c in op.get("consumes") or [])
    out += b"".join(message(8, _parameter(p)) for p in op.get("parameters") or [])
    responses = b""
    for code, response in (op.get("responses") or {}).items():
        body = string(1, response.get("description", ""))
        if "schema" in response:
            body += message(2, message(1, schema(response["schema"])))
        responses += message(1, string(1, code) + message(2, message(1, body)))
    if responses:
        out += message(9, responses)
    return out + _extensions(13, op)


METHODS = {"get": 2, "put": 3, "post": 4, "delete": 5, "options": 6, "head": 7, "patch": 8}


def document(doc):
    """Encode a Swagger 2.0 document (as JSON) into openapi.v2.Document bytes."""
    out = string(1, doc.get("swagger", "2.0"))
    info = doc.get("info") or {}
    out += message(2, string(1, info.get("title", "")) + string(2, info.get("version", "")))
    paths = b""
    for path, item in (doc.get("paths") or {}).items():
        body = b"".join(message(METHODS[m], _operation(op)) for m, op in item.items() if m in METHODS)
        body += b"".join(message(9, _parameter(p)) for p in item.get("parameters") or [])
        paths += message(2, string(1, path) + message(2, body))
    out += message(8, paths)
    definitions = b"".join(message(1, string(1, name) + message(2, schema(node)))
                           for name, node in (doc.get("definitions") or {}).items())
    return out + message(9, definitions)
