"""x-kubernetes-validations: CEL rules evaluated where the schema declares them, with `oldSelf` for
transition rules on updates, through cel-python (the one dependency beyond the standard library).

Without cel-python the server still runs: rules are not evaluated, the server says so once on
stderr, in /testenv/state, and in a Warning header on every write to a kind that has rules.
"""
import sys
import threading

from . import schema as sch
from .errors import FieldError
from .values import MISSING, type_name

try:
    import celpy
except ImportError:  # degrade, loudly
    celpy = None

AVAILABLE = celpy is not None
UNAVAILABLE_WARNING = "x-kubernetes-validations were not evaluated: cel-python is not installed on the test API server"

_lock = threading.Lock()
_programs = {}
_environment = None


def announce():
    if not AVAILABLE:
        print("testenv.kube: cel-python is not installed: x-kubernetes-validations will not be evaluated",
              file=sys.stderr)


def has_rules(schema):
    if not isinstance(schema, dict):
        return False
    if schema.get("x-kubernetes-validations"):
        return True
    return any(has_rules(s) for s in (schema.get("properties") or {}).values()) or \
        has_rules(schema.get("items")) or has_rules(schema.get("additionalProperties"))


def _program(expression):
    global _environment
    with _lock:
        compiled = _programs.get(expression)
        if compiled is None:
            if _environment is None:
                _environment = celpy.Environment()
            compiled = _environment.program(_environment.compile(expression))
            _programs[expression] = compiled
        return compiled


def _run(expression, activation):
    """(value, error text): cel-python returns some errors as values and raises others."""
    try:
        result = _program(expression).evaluate(activation)
    except Exception as exc:  # compile and evaluation errors are the rule's failure, not the server's
        return None, str(exc.args[0] if exc.args else exc) or type(exc).__name__
    if isinstance(result, celpy.CELEvalError):
        return None, str(result.args[0] if result.args else result)
    return result, None


def _root_view(value):
    """At the root a rule sees apiVersion, kind, metadata.name/generateName, spec, status."""
    view = dict(value)
    meta = value.get("metadata") or {}
    view["metadata"] = {k: meta[k] for k in ("name", "generateName") if k in meta}
    return view


# Schema errors after which kube-apiserver 1.28 does not evaluate the rules: the object does not have the
# shape they were written for. apiextensions-apiserver v0.28.4 pkg/registry/customresource/strategy.go,
# hasBlockingErr: Required, TooLong, TooMany and TypeInvalid (NotSupported, an enum violation, joined the
# list only in later versions; reference/kube-wire-crd/08 shows 1.28 still runs the rules after one).
BLOCKING = ("Required", "TooLong", "TooMany", "TypeInvalid")
NOT_CHECKED = ("some validation rules were not checked because the object was invalid; correct the existing "
               "errors to complete validation")


def blocking_error(errors):
    """The cause that replaces the rules' results when `errors` block them (field.Invalid(nil, nil, …):
    printed `<nil>: Invalid value: "null": …`), else None."""
    if any(e.kind in BLOCKING for e in errors):
        return FieldError("Invalid", "<nil>", "null", NOT_CHECKED)
    return None


def validate(schema, new, old, path=""):
    """FieldErrors from every rule that does not hold; transition rules run only where an old value
    exists (objects by field, map-lists by key)."""
    errors = []
    if AVAILABLE:
        _walk(schema, new, old, path, errors)
    return errors


def _walk(schema, value, old, path, errors):
    if not isinstance(schema, dict) or value is MISSING or value is None:
        return
    for rule in schema.get("x-kubernetes-validations") or []:
        _check(rule, schema, value, old, path, errors)
    kind = sch.node_kind(schema, value)
    if isinstance(value, dict) and kind in (sch.STRUCT, sch.MAP):
        for key, member in value.items():
            if not path and key == "metadata":
                continue
            old_member = old.get(key, MISSING) if isinstance(old, dict) else MISSING
            _walk(sch.child(schema, key), member, old_member, sch.field_path(path, key), errors)
    elif isinstance(value, list) and schema.get("items") is not None:
        keys = sch.map_keys(schema)
        for index, item in enumerate(value):
            old_item = MISSING
            if kind == sch.MAPLIST and isinstance(old, list) and isinstance(item, dict):
                wanted = {k: item.get(k) for k in keys}
                old_item = next((o for o in old if isinstance(o, dict) and {k: o.get(k) for k in keys} == wanted), MISSING)
            _walk(schema["items"], item, old_item, f"{path}[{index}]", errors)


def _check(rule, schema, value, old, path, errors):
    expression = rule.get("rule", "")
    transition = "oldSelf" in expression
    if transition and old is MISSING and not rule.get("optionalOldSelf"):
        return
    activation = {"self": celpy.json_to_cel(_root_view(value) if not path else value)}
    if transition:
        activation["oldSelf"] = celpy.json_to_cel(_root_view(old) if not path else old)
    where = _field(path, rule.get("fieldPath"))
    shown = schema.get("type") or type_name(value)
    result, error = _run(expression, activation)
    if error is not None:
        errors.append(FieldError("Invalid", where, shown, f"rule evaluation error: {error}"))
        return
    if bool(result) is True:
        return
    message = rule.get("message") or f"failed rule: {expression}"
    if rule.get("messageExpression"):
        text, problem = _run(rule["messageExpression"], activation)
        if problem is None and str(text).strip():
            message = str(text)
    kind = {"FieldValueForbidden": "Forbidden", "FieldValueRequired": "Required",
            "FieldValueDuplicate": "Duplicate"}.get(rule.get("reason"), "Invalid")
    errors.append(FieldError(kind, where, shown, message))


def _field(path, field_path):
    if field_path:
        suffix = field_path.lstrip(".")
        path = f"{path}.{suffix}" if path else suffix
    return path or "<nil>"
