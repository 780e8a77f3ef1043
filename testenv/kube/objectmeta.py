"""ObjectMeta: its schema (for pruning and managed fields), the server-owned fields, name generation,
and the validation every kind shares (names, labels, annotations, finalizers).
"""
import random
import re
import uuid

from .errors import FieldError, bad_request, invalid_value
from .values import equal

STRING = {"type": "string"}
STRING_MAP = {"type": "object", "additionalProperties": STRING}

SCHEMA = {
    "type": "object",
    "properties": {
        "name": STRING, "generateName": STRING, "namespace": STRING, "selfLink": STRING, "uid": STRING,
        "resourceVersion": STRING, "generation": {"type": "integer"},
        "creationTimestamp": {"type": "string", "nullable": True},
        "deletionTimestamp": {"type": "string", "nullable": True},
        "deletionGracePeriodSeconds": {"type": "integer"},
        "labels": STRING_MAP, "annotations": STRING_MAP,
        "ownerReferences": {
            "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["uid"],
            "items": {"type": "object", "properties": {
                "apiVersion": STRING, "kind": STRING, "name": STRING, "uid": STRING,
                "controller": {"type": "boolean"}, "blockOwnerDeletion": {"type": "boolean"}}}},
        "finalizers": {"type": "array", "x-kubernetes-list-type": "set", "items": STRING},
        "managedFields": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
    },
}

ORDER = list(SCHEMA["properties"])
MANAGED_FIELDS_ORDER = ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"]
OWNER_REFERENCE_ORDER = ["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"]

# Set by the server, never taken from a request body as is.
SYSTEM_FIELDS = ("uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                 "deletionGracePeriodSeconds", "selfLink")

_TYPES = {"labels": dict, "annotations": dict, "finalizers": list, "ownerReferences": list, "managedFields": list,
          "generation": int, "deletionGracePeriodSeconds": int}
_GO_TYPES = {"labels": "map[string]string", "annotations": "map[string]string", "finalizers": "[]string",
             "ownerReferences": "[]v1.OwnerReference", "managedFields": "[]v1.ManagedFieldsEntry",
             "generation": "int64", "deletionGracePeriodSeconds": "int64"}


def check_types(meta):
    """What decoding into ObjectMeta would refuse: wrong JSON types are a 400 before anything else."""
    if not isinstance(meta, dict):
        raise bad_request("json: cannot unmarshal into Go struct field .metadata of type v1.ObjectMeta")
    for key, value in meta.items():
        if value is None:
            continue
        want = _TYPES.get(key, str if key in SCHEMA["properties"] else None)
        if want is None:
            continue
        ok = isinstance(value, want) and not (want is int and isinstance(value, bool))
        if ok and want is dict:
            ok = all(isinstance(v, str) for v in value.values())
        if ok and key == "finalizers":
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            go = _GO_TYPES.get(key, "string")
            raise bad_request(f"json: cannot unmarshal {_json_kind(value)} into Go struct field "
                              f"ObjectMeta.metadata.{key} of type {go}")


def _json_kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "value")


def new_uid():
    return str(uuid.uuid4())


_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def generate_name(prefix):
    """names.SimpleNameGenerator: the prefix (cut to 58) and five random characters."""
    return prefix[:58] + "".join(random.choice(_NAME_ALPHABET) for _ in range(5))


_DNS1123_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN = rf"{_DNS1123_LABEL}(\.{_DNS1123_LABEL})*"
_QUALIFIED_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"

SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                 "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
             "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
QUALIFIED_MSG = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                 "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                 "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                   "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                   "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def _format_errors(value, limit, pattern, message):
    """A length limit and a pattern, each with the wording k8s.io/apimachinery uses."""
    problems = [f"must be no more than {limit} characters"] if len(value) > limit else []
    return problems + ([] if re.fullmatch(pattern, value) else [message])


def dns_subdomain_errors(value):
    return _format_errors(value, 253, _DNS1123_SUBDOMAIN, SUBDOMAIN_MSG)


def dns_label_errors(value):
    return _format_errors(value, 63, _DNS1123_LABEL, LABEL_MSG)


def qualified_name_errors(value):
    """validation.IsQualifiedName: [prefix/]name."""
    parts = value.split("/")
    if len(parts) == 1:
        name, prefix = parts[0], None
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            return ["prefix part must be non-empty"]
    else:
        return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
                "and '/' (e.g. 'example.com/MyName')"]
    problems = []
    if prefix is not None:
        problems += ["prefix part " + p for p in dns_subdomain_errors(prefix)]
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > 63:
        problems.append("name part must be no more than 63 characters")
    if name and not re.fullmatch(_QUALIFIED_NAME, name):
        problems.append(QUALIFIED_MSG)
    return problems


def label_value_errors(value):
    return _format_errors(value, 63, _LABEL_VALUE, LABEL_VALUE_MSG)


def path_segment_errors(name):
    """path.IsValidPathSegmentName: every name ends up in a URL."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


STANDARD_FINALIZERS = {"kubernetes", "orphan", "foregroundDeletion"}


def validate(meta, namespaced, name_rule="subdomain"):
    """ValidateObjectMeta: the errors, and warnings (finalizer names without a domain)."""
    errors, warnings = [], []
    name = meta.get("name", "")
    if not name and not meta.get("generateName"):
        errors.append(FieldError("Required", "metadata.name", detail="name or generateName is required"))
    elif name:
        problems = path_segment_errors(name) + (dns_label_errors(name) if name_rule == "label"
                                                 else dns_subdomain_errors(name) if name_rule == "subdomain" else [])
        errors += [invalid_value("metadata.name", name, p) for p in problems]
    if namespaced and not meta.get("namespace"):
        errors.append(FieldError("Required", "metadata.namespace"))
    if not namespaced and meta.get("namespace"):
        errors.append(FieldError("Forbidden", "metadata.namespace", detail="not allowed on this type"))
    for key, value in sorted((meta.get("labels") or {}).items()):
        errors += [invalid_value("metadata.labels", key, p) for p in qualified_name_errors(key)]
        errors += [invalid_value("metadata.labels", value, p) for p in label_value_errors(value)]
    annotations = meta.get("annotations") or {}
    for key in sorted(annotations):
        errors += [invalid_value("metadata.annotations", key, p) for p in qualified_name_errors(key.lower())]
    if sum(len(k) + len(v) for k, v in annotations.items()) > 262144:
        errors.append(FieldError("TooLong", "metadata.annotations", "", "must have at most 262144 bytes"))
    for index, finalizer in enumerate(meta.get("finalizers") or []):
        problems = qualified_name_errors(finalizer)
        errors += [invalid_value(f"metadata.finalizers[{index}]", finalizer, p) for p in problems]
        if not problems and "/" not in finalizer and finalizer not in STANDARD_FINALIZERS:
            warnings.append(f'metadata.finalizers: "{finalizer}": prefer a domain-qualified finalizer name to '
                            f'avoid accidental conflicts with other finalizer writers')
    if meta.get("generation", 0) < 0:
        errors.append(invalid_value("metadata.generation", meta["generation"], "must be greater than or equal to 0"))
    return errors, warnings


def validate_update(meta, old):
    """ValidateObjectMetaUpdate: what may not change once an object exists."""
    errors = []
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if key in old and not equal(meta.get(key), old.get(key)):
            errors.append(invalid_value(f"metadata.{key}", meta.get(key), "field is immutable"))
    if old.get("deletionTimestamp"):
        added = [f for f in meta.get("finalizers") or [] if f not in (old.get("finalizers") or [])]
        if added:
            listed = ", ".join(f'"{f}"' for f in added)
            errors.append(FieldError("Forbidden", "metadata.finalizers",
                                     detail=f"no new finalizers can be added if the object is being deleted, "
                                            f"found new finalizers []string{{{listed}}}"))
    return errors
