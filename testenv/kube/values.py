"""JSON values as Go's unstructured code sees them.

Python says True == 1 and 1 == 1.0; Go's reflect.DeepEqual on decoded JSON does not, and the API
server's "did anything change?" checks (no-op writes, generation, managed fields) rest on that.
"""
import copy
import json
from decimal import Decimal


class _Missing:
    def __repr__(self):
        return "MISSING"


MISSING = _Missing()  # "no such field", as opposed to a field holding null


def equal(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
    return a == b


def clone(value):
    return copy.deepcopy(value)


def type_name(value):
    """The OpenAPI type of a decoded JSON value, as schema and CEL errors name it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class GoLiteral(str):
    """A value already spelled the Go way (e.g. `0x0` for a uint64 zero)."""


def go_float(value):
    """strconv.FormatFloat(v, 'g', -1, 64), which %v uses: shortest digits, exponent form from 1e+06."""
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "+Inf", "-inf": "-Inf"}[repr(value)]
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digits))
    exp10 = len(digits) + exponent - 1
    prefix = "-" if sign else ""
    if exp10 < -4 or exp10 >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"
    return prefix + format(Decimal(repr(abs(value))).normalize(), "f")


def go_repr(value):
    """How field.Error prints a bad value: %v for numbers and booleans, %q for strings, %#v otherwise."""
    if isinstance(value, GoLiteral):
        return str(value)
    return "null" if value is None else go_syntax(value)


def go_syntax(value):
    """%#v of an interface{} holding decoded JSON."""
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_syntax(v) for v in value) + "}"
    if isinstance(value, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{json.dumps(k)}:{go_syntax(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if value is None:
        return "interface {}(nil)"
    return json.dumps(value, ensure_ascii=False)


def integral_floats_as_ints(value):
    """What a round trip through etcd does to numbers: Go writes 2.0 as 2, which reads back as an integer."""
    if isinstance(value, dict):
        return {k: integral_floats_as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [integral_floats_as_ints(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value
