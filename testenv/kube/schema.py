"""Structural OpenAPI v3 schemas as the API server applies them to custom resources.

In the order the server does: prune unknown fields (remembering their paths for Warn/Strict), drop
nulls that are not nullable and have no default, apply defaults, then validate. Error texts follow
kube-openapi's wording after apiextensions-apiserver converts them to field errors, and errors come in
kube-openapi's order (type, string, format, number, array, enum, then object: required before the
properties, properties by name).
"""
import base64
import json
import re
import uuid as uuidlib

from . import timefmt
from .errors import FieldError, not_supported, required
from .values import MISSING, clone, equal, go_float, type_name

# How a schema node's value is tracked, merged and compared (structured-merge-diff's view of it).
SCALAR, ATOMIC, STRUCT, MAP, SET, MAPLIST = "scalar", "atomic", "struct", "map", "set", "maplist"


def node_kind(schema, value=MISSING):
    """The relationship of a node; schema None means untyped (preserve-unknown-fields): maps are
    granular, lists atomic, as structured-merge-diff deduces them."""
    if schema is None or (not schema.get("type") and not schema.get("properties")
                          and not schema.get("x-kubernetes-int-or-string")):
        if isinstance(value, dict):
            return MAP
        return ATOMIC if isinstance(value, list) else SCALAR
    if schema.get("x-kubernetes-int-or-string"):
        return SCALAR
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        if schema.get("x-kubernetes-map-type") == "atomic":
            return ATOMIC
        if schema.get("properties") is not None or not (schema.get("additionalProperties")
                                                          or schema.get("x-kubernetes-preserve-unknown-fields")):
            return STRUCT
        return MAP
    if kind == "array":
        list_type = schema.get("x-kubernetes-list-type")
        if list_type == "set":
            return SET
        if list_type == "map":
            return MAPLIST
        return ATOMIC
    return SCALAR


def child(schema, key):
    """The schema of a member of an object node (None when untyped)."""
    if schema is None:
        return None
    props = schema.get("properties") or {}
    if key in props:
        return props[key]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def items(schema):
    return None if schema is None else schema.get("items")


def map_keys(schema):
    return list((schema or {}).get("x-kubernetes-list-map-keys") or [])


def declares(schema, key):
    """Whether an object node keeps `key` (declared, a map element, or unknown fields preserved)."""
    if schema is None:
        return True
    if key in (schema.get("properties") or {}):
        return True
    return bool(schema.get("additionalProperties")) or bool(schema.get("x-kubernetes-preserve-unknown-fields"))


def field_path(path, key):
    return f"{path}.{key}" if path else key


# ---- pruning -------------------------------------------------------------------------------------

def prune(value, schema, path="", unknown=None):
    """Drop fields the schema does not declare; returns the list of their paths (for warnings).
    Embedded resources keep apiVersion, kind and metadata without declaring them."""
    unknown = [] if unknown is None else unknown
    if schema is None or schema.get("x-kubernetes-int-or-string"):
        return unknown
    if isinstance(value, dict) and node_kind(schema, value) in (STRUCT, MAP, ATOMIC):
        embedded = schema.get("x-kubernetes-embedded-resource")
        for key in list(value):
            if embedded and key in ("apiVersion", "kind", "metadata") and not declares(schema, key):
                continue
            if not declares(schema, key):
                unknown.append(field_path(path, key))
                del value[key]
            else:
                prune(value[key], child(schema, key), field_path(path, key), unknown)
    elif isinstance(value, list) and schema.get("items") is not None:
        for index, item in enumerate(value):
            prune(item, schema["items"], f"{path}[{index}]", unknown)
    return unknown


def drop_nulls(value, schema):
    """PruneNonNullableNullsWithoutDefaults: `field: null` goes unless nullable or defaulted."""
    if schema is None:
        return
    if isinstance(value, dict):
        for key in list(value):
            sub = child(schema, key)
            if value[key] is None:
                if sub is not None and not sub.get("nullable") and "default" not in sub:
                    del value[key]
            else:
                drop_nulls(value[key], sub)
    elif isinstance(value, list) and schema.get("items") is not None:
        for item in value:
            if item is not None:
                drop_nulls(item, schema["items"])


def apply_defaults(value, schema):
    """Structural defaulting: missing (or non-nullable null) fields get a copy of their default,
    and defaults inside a defaulted value apply too."""
    if schema is None:
        return
    if isinstance(value, dict):
        for key, sub in (schema.get("properties") or {}).items():
            if "default" in sub and (key not in value or (value[key] is None and not sub.get("nullable"))):
                value[key] = clone(sub["default"])
        for key, member in value.items():
            apply_defaults(member, child(schema, key))
    elif isinstance(value, list) and schema.get("items") is not None:
        for item in value:
            apply_defaults(item, schema["items"])


# ---- validation ----------------------------------------------------------------------------------

_FORMATS = {
    "date-time": lambda s: bool(timefmt._RFC3339.match(s)),
    "date": lambda s: bool(re.match(r"^\d{4}-\d{2}-\d{2}$", s)),
    "uuid": lambda s: _is_uuid(s),
    "byte": lambda s: _is_base64(s),
    "int32": None, "int64": None, "float": None, "double": None, "password": None,
}


def _is_uuid(text):
    try:
        uuidlib.UUID(text)
        return True
    except ValueError:
        return False


def _is_base64(text):
    try:
        base64.b64decode(text, validate=True)
        return True
    except ValueError:
        return False


def _type_ok(kind, value):
    actual = type_name(value)
    if kind == "number":
        return actual in ("number", "integer")
    if kind == "integer" and actual == "number":
        return value.is_integer()  # kube-openapi takes 2.0 for an integer
    return actual == kind


def _limit(number):
    return go_float(number) if isinstance(number, float) else str(number)


def validate(value, schema, path, errors):
    """Append FieldErrors for `value` against `schema` (a structural node)."""
    if schema is None:
        return errors
    where = path or "<root>"
    if value is None:
        if not schema.get("nullable") and (schema.get("type") or schema.get("x-kubernetes-int-or-string")):
            expected = "integer-or-string" if schema.get("x-kubernetes-int-or-string") else schema["type"]
            errors.append(FieldError("TypeInvalid", path, "null", f'{where} in body must be of type {expected}: "null"'))
        return errors
    if schema.get("x-kubernetes-int-or-string"):
        if type_name(value) not in ("integer", "string"):
            errors.append(FieldError("TypeInvalid", path, type_name(value),
                                     f'{where} in body must be of type integer,string: "{type_name(value)}"'))
            return errors
    elif schema.get("type") and not _type_ok(schema["type"], value):
        errors.append(FieldError("TypeInvalid", path, type_name(value),
                                 f'{where} in body must be of type {schema["type"]}: "{type_name(value)}"'))
        return errors
    if isinstance(value, str):
        _validate_string(value, schema, path, where, errors)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        _validate_number(value, schema, path, where, errors)
    if isinstance(value, list):
        _validate_array(value, schema, path, where, errors)
    if "enum" in schema and not any(equal(value, option) for option in schema["enum"]):
        errors.append(not_supported(path, value, schema["enum"]))
    if isinstance(value, dict):
        _validate_object(value, schema, path, errors)
    return errors


def _validate_string(value, schema, path, where, errors):
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        errors.append(FieldError("TooLong", path, value, f"may not be longer than {schema['maxLength']}"))
    if "minLength" in schema and len(value) < schema["minLength"]:
        errors.append(FieldError("Invalid", path, value, f"{where} in body should be at least {schema['minLength']} chars long"))
    if "pattern" in schema and not _matches(schema["pattern"], value):
        errors.append(FieldError("Invalid", path, value, f"{where} in body should match '{schema['pattern']}'"))
    check = _FORMATS.get(schema.get("format"))
    if check is not None and not check(value):
        errors.append(FieldError("TypeInvalid", path, value, f'{where} in body must be of type {schema["format"]}: {_quote(value)}'))


def _quote(text):
    return json.dumps(text, ensure_ascii=False)


_PATTERNS = {}


def _matches(pattern, value):
    """ECMA/RE2 pattern via Python re; \\w and friends mean the same for the patterns CRDs use."""
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        try:
            compiled = re.compile(pattern)
        except re.error:
            compiled = re.compile(re.escape(pattern))
        _PATTERNS[pattern] = compiled
    return compiled.search(value) is not None


def _validate_number(value, schema, path, where, errors):
    if "multipleOf" in schema and schema["multipleOf"] and (value / schema["multipleOf"]) % 1 != 0:
        errors.append(FieldError("Invalid", path, value, f"{where} in body should be a multiple of {_limit(schema['multipleOf'])}"))
    if "maximum" in schema:
        exclusive = schema.get("exclusiveMaximum")
        if value > schema["maximum"] or (exclusive and value == schema["maximum"]):
            words = "less than" if exclusive else "less than or equal to"
            errors.append(FieldError("Invalid", path, value, f"{where} in body should be {words} {_limit(schema['maximum'])}"))
    if "minimum" in schema:
        exclusive = schema.get("exclusiveMinimum")
        if value < schema["minimum"] or (exclusive and value == schema["minimum"]):
            words = "greater than" if exclusive else "greater than or equal to"
            errors.append(FieldError("Invalid", path, value, f"{where} in body should be {words} {_limit(schema['minimum'])}"))


def _validate_array(value, schema, path, where, errors):
    if "minItems" in schema and len(value) < schema["minItems"]:
        errors.append(FieldError("Invalid", path, len(value), f"{where} in body should have at least {schema['minItems']} items"))
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errors.append(FieldError("TooMany", path, len(value), f"must have at most {schema['maxItems']} items"))
    if schema.get("uniqueItems"):
        for i, item in enumerate(value):
            if any(equal(item, other) for other in value[:i]):
                errors.append(FieldError("Duplicate", f"{path}[{i}]", item))
                break
    if schema.get("items") is not None:
        for index, item in enumerate(value):
            validate(item, schema["items"], f"{path}[{index}]", errors)


def _validate_object(value, schema, path, errors):
    for name in schema.get("required") or []:
        if name not in value:
            errors.append(required(field_path(path, name)))
    if "maxProperties" in schema and len(value) > schema["maxProperties"]:
        errors.append(FieldError("TooMany", path, len(value), f"must have at most {schema['maxProperties']} items"))
    if "minProperties" in schema and len(value) < schema["minProperties"]:
        errors.append(FieldError("Invalid", path, len(value), f"{path or '<root>'} in body should have at least {schema['minProperties']} properties"))
    for key in sorted(value):
        if not path and key in ("apiVersion", "kind", "metadata"):
            continue  # the decoder and ObjectMeta validation own these
        sub = child(schema, key)
        if sub is not None:
            validate(value[key], sub, field_path(path, key), errors)


def validate_list_types(value, schema, path, errors):
    """x-kubernetes-list-type set/map invariants: no duplicate elements or keys."""
    if schema is None or value is None:
        return errors
    kind = node_kind(schema, value)
    if isinstance(value, list):
        if kind == SET:
            for i, item in enumerate(value):
                if any(equal(item, other) for other in value[:i]):
                    errors.append(FieldError("Duplicate", f"{path}[{i}]", item))
        elif kind == MAPLIST:
            keys = map_keys(schema)
            seen = []
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    key = {k: item.get(k) for k in keys if k in item}
                    if any(equal(key, other) for other in seen):
                        errors.append(FieldError("Duplicate", f"{path}[{i}]", key))
                    seen.append(key)
        for i, item in enumerate(value):
            validate_list_types(item, items(schema), f"{path}[{i}]", errors)
    elif isinstance(value, dict):
        for key in sorted(value):
            if not path and key == "metadata":
                continue
            validate_list_types(value[key], child(schema, key), field_path(path, key), errors)
    return errors
