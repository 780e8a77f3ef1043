"""Type-checking and static cost estimation of CEL, ported from cel-go v0.16.1 (checker/checker.go,
types.go, mapping.go, env.go, errors.go, standard.go and cost.go) with the libraries kube-apiserver
v1.28.4 declares (k8s.io/apiserver v0.28.4 pkg/cel/environment/base.go: ext.Strings v0, URLs, Regex,
Lists, Authz) and Kubernetes' cost estimator for them (pkg/cel/library/cost.go).

The checker is cel-go's, not an approximation of it: types with type parameters unified through a
substitution mapping, every overload of a function tried in declaration order (a call records all
that match, which decides its cost and the path an index extends), cel-go's error messages at
cel-go's locations. cel-go quirks that change verdicts are kept: CrossTypeNumericComparisons is off
in the environment new rules are compiled in (DefaultCompatibilityVersion 1.27), but checker.Env's
enterScope/exitScope drop the filter, so `1 < 1.5` is refused at the top of a rule and accepted inside
or after a comprehension; list and map literals must be homogeneous (HomogeneousAggregateLiterals).

The coster is cel-go's too, including how it builds field paths: with Go's append, whose results
share backing arrays while capacity lasts, so a path can be overwritten by a sibling's before it is
read (paths are Go slices here for that reason).

Usage: Env(...).compile(text) → Checked (or CelCompileError, whose .errors are cel-go's), then
estimate_cost(checked, estimator) → (min, max). celcost.py builds the CRD environment and estimator.
"""
import math

from .celparse import ACCUMULATOR, CelSyntaxError, display, location, parse

MAX = 2 ** 64 - 1  # Go's math.MaxUint64: every sum and product saturates there

# cel-go common/cost.go
SELECT_AND_IDENT_COST = 1
CONST_COST = 0
LIST_CREATE_BASE_COST = 10
MAP_CREATE_BASE_COST = 30
STRUCT_CREATE_BASE_COST = 40
STRING_TRAVERSAL_COST_FACTOR = 0.1
REGEX_STRING_LENGTH_COST_FACTOR = 0.25


class CelCompileError(ValueError):
    """A rule cel-go refuses to compile: errors is a list of (line, column, message), display the text
    cel.Issues.String() gives (what kube-apiserver puts after "compilation failed: ")."""

    def __init__(self, text, errors):
        self.errors = errors
        self.display = display(text, errors)
        super().__init__(self.display)


CelCheckError = CelCompileError  # the name this module used before


# ---- types (exprpb.Type, compared as proto.Equal compares them) ----

class Type:
    """kind: error dyn prim wk null type list map object param abstract function wrapper; name: the
    primitive, well-known type, message, type parameter or abstract type; params: element types."""
    __slots__ = ("kind", "name", "params")

    def __init__(self, kind, name="", params=()):
        self.kind, self.name, self.params = kind, name, tuple(params)

    def __eq__(self, other):
        return isinstance(other, Type) and (self.kind, self.name, self.params) == (other.kind, other.name, other.params)

    def __hash__(self):
        return hash((self.kind, self.name, self.params))

    def __repr__(self):
        return format_type(self)


def prim(name):
    return Type("prim", name)


INT, UINT, DOUBLE, BOOL, STRING, BYTES = (prim(n) for n in ("int", "uint", "double", "bool", "string", "bytes"))
DYN, NULL, ERROR = Type("dyn"), Type("null"), Type("error")
DURATION, TIMESTAMP, ANY = Type("wk", "duration"), Type("wk", "timestamp"), Type("wk", "any")


def list_of(elem):
    return Type("list", params=(elem,))


def map_of(key, value):
    return Type("map", params=(key, value))


def object_of(name):
    return Type("object", name)


def param(name):
    return Type("param", name)


def type_of(t=None):
    return Type("type", params=(t,) if t is not None else ())


def abstract(name, *params):
    return Type("abstract", name, params)


def function_type(result, args):
    return Type("function", params=(result, *args))


URL_TYPE = object_of("kubernetes.URL")
AUTHORIZER_TYPE = object_of("kubernetes.authorization.Authorizer")
PATH_CHECK_TYPE = object_of("kubernetes.authorization.PathCheck")
GROUP_CHECK_TYPE = object_of("kubernetes.authorization.GroupCheck")
RESOURCE_CHECK_TYPE = object_of("kubernetes.authorization.ResourceCheck")
DECISION_TYPE = object_of("kubernetes.authorization.Decision")


def format_type(t):
    """checker.FormatCheckedType."""
    k = t.kind
    if k == "dyn":
        return "dyn"
    if k == "function":
        return _format_function(t.params[0], list(t.params[1:]), False)
    if k == "list":
        return f"list({format_type(t.params[0])})"
    if k == "object":
        return t.name
    if k == "map":
        return f"map({format_type(t.params[0])}, {format_type(t.params[1])})"
    if k == "null":
        return "null"
    if k == "prim":
        return t.name
    if k == "type":
        return "type" if not t.params or t.params[0] is None else f"type({format_type(t.params[0])})"
    if k == "wk":
        return t.name
    if k == "wrapper":
        return f"wrapper({t.name})"
    if k == "error":
        return "!error!"
    if k == "param":
        return t.name
    if k == "abstract":
        return f"{t.name}({', '.join(format_type(p) for p in t.params)})"
    return "?"


def _format_function(result, args, instance):
    """checker/errors.go formatFunction."""
    text = ""
    if instance:
        text += format_type(args[0]) + "."
        args = args[1:]
    text += "(" + ", ".join(format_type(a) for a in args) + ")"
    if result is not None:
        text += " -> " + format_type(result)
    return text


def _proto_text(t):
    """An exprpb.Type as Go's %s prints a proto message (prototext), for the one message that uses it."""
    k = t.kind
    if k == "prim":
        return "primitive:" + {"int": "INT64", "uint": "UINT64"}.get(t.name, t.name.upper())
    if k == "wk":
        return "well_known:" + t.name.upper()
    if k == "null":
        return "null:NULL_VALUE"
    if k == "type":
        return "type:{" + (_proto_text(t.params[0]) if t.params and t.params[0] is not None else "") + "}"
    if k == "list":
        return "list_type:{elem_type:{" + _proto_text(t.params[0]) + "}}"
    return format_type(t)


def is_dyn(t):
    return t.kind == "dyn" or (t.kind == "wk" and t.name == "any")


def is_dyn_or_error(t):
    return t.kind == "error" or is_dyn(t)


def is_scalar(t):
    """checker.isScalar: types whose size is fixed (strings and bytes are not)."""
    return (t.kind == "prim" and t.name not in ("string", "bytes")) or \
        (t.kind == "wk" and t.name in ("duration", "timestamp"))


# ---- type unification (checker/types.go, mapping.go) ----

class Mapping:
    def __init__(self, entries=None):
        self.entries = dict(entries or {})

    def add(self, frm, to):
        self.entries[format_type(frm)] = to

    def find(self, frm):
        return self.entries.get(format_type(frm))

    def copy(self):
        return Mapping(self.entries)


def is_equal_or_less_specific(t1, t2):
    k1, k2 = t1.kind, t2.kind
    if is_dyn(t1) or k1 == "param":
        return True
    if is_dyn(t2) or k2 == "param":
        return False
    if k1 != k2:
        return False
    if k1 == "abstract":
        return t1.name == t2.name and len(t1.params) == len(t2.params) and all(
            is_equal_or_less_specific(a, b) for a, b in zip(t1.params, t2.params))
    if k1 == "list":
        return is_equal_or_less_specific(t1.params[0], t2.params[0])
    if k1 == "map":
        return is_equal_or_less_specific(t1.params[0], t2.params[0]) and \
            is_equal_or_less_specific(t1.params[1], t2.params[1])
    if k1 == "type":
        return True
    return t1 == t2


def most_general(t1, t2):
    return t1 if is_equal_or_less_specific(t1, t2) else t2


def not_referenced_in(m, t, within):
    if t == within:
        return False
    k = within.kind
    if k == "param":
        sub = m.find(within)
        return True if sub is None else not_referenced_in(m, t, sub)
    if k in ("abstract", "list", "map"):
        return all(not_referenced_in(m, t, p) for p in within.params)
    if k == "wrapper":
        return not_referenced_in(m, t, prim(within.name))
    return True


def is_valid_type_substitution(m, t1, t2):
    """(valid, t2 has a substitution)."""
    if t1.kind == t2.kind and t1 == t2:
        return True, True
    sub = m.find(t2)
    if sub is not None:
        if t1.kind == sub.kind and t1 == sub:
            return True, True
        if internal_is_assignable(m, t1, sub):
            new = most_general(t1, sub)
            if not_referenced_in(m, t2, new):
                m.add(t2, new)
            return True, True
        return False, True
    if not_referenced_in(m, t2, t1):
        m.add(t2, t1)
        return True, False
    return False, False


def internal_is_assignable(m, t1, t2):
    k1, k2 = t1.kind, t2.kind
    if k2 == "param":
        valid, has_sub = is_valid_type_substitution(m, t1, t2)
        if valid:
            return True
        if has_sub:
            return False
    if k1 == "param":
        return is_valid_type_substitution(m, t2, t1)[0]
    if is_dyn_or_error(t1) or is_dyn_or_error(t2):
        return True
    if k1 == "null":
        return k2 in ("abstract", "object", "null", "wk", "wrapper")
    if k1 == "prim":
        return (k2 == "prim" or k2 == "wrapper") and t1.name == t2.name
    if k1 == "wrapper":
        return internal_is_assignable(m, prim(t1.name), t2)
    if k1 != k2:
        return False
    if k1 == "abstract":
        return t1.name == t2.name and internal_is_assignable_list(m, t1.params, t2.params)
    if k1 == "function":
        return internal_is_assignable_list(m, _flatten(t1), _flatten(t2))
    if k1 in ("list", "map"):
        return internal_is_assignable_list(m, t1.params, t2.params)
    if k1 == "object":
        return t1.name == t2.name
    if k1 == "type":
        return True
    if k1 == "wk":
        return t1.name == t2.name
    return False


def _flatten(f):
    result, *args = f.params
    return [*args, result] if args else [result]


def internal_is_assignable_list(m, l1, l2):
    return len(l1) == len(l2) and all(internal_is_assignable(m, a, b) for a, b in zip(l1, l2))


def is_assignable(m, t1, t2):
    copy = m.copy()
    return copy if internal_is_assignable(copy, t1, t2) else None


def is_assignable_list(m, l1, l2):
    copy = m.copy()
    return copy if internal_is_assignable_list(copy, l1, l2) else None


def substitute(m, t, param_to_dyn):
    sub = m.find(t)
    if sub is not None:
        return substitute(m, sub, param_to_dyn)
    k = t.kind
    if param_to_dyn and k == "param":
        return DYN
    if k in ("abstract", "function", "list", "map"):
        return Type(k, t.name, [substitute(m, p, param_to_dyn) for p in t.params])
    if k == "type" and t.params and t.params[0] is not None:
        return type_of(substitute(m, t.params[0], param_to_dyn))
    return t


# ---- declarations ----

class Overload:
    def __init__(self, overload_id, params, result, instance=False, type_params=()):
        self.id, self.params, self.result = overload_id, list(params), result
        self.instance, self.type_params = instance, tuple(type_params)


def _type_params(types):
    """The type parameters an overload mentions (cel/decls.go collects them from its signature)."""
    names = []

    def walk(t):
        if t is None:
            return
        if t.kind == "param" and t.name not in names:
            names.append(t.name)
        for p in t.params:
            walk(p)
    for t in types:
        walk(t)
    return names


def ov(overload_id, params, result, instance=False):
    return Overload(overload_id, params, result, instance, _type_params([*params, result]))


def member(overload_id, params, result):
    return ov(overload_id, params, result, instance=True)


A, B = param("A"), param("B")
LIST_A, MAP_AB = list_of(A), map_of(A, B)


def _relations(op, name):
    pairs = [("bool", BOOL, BOOL), ("int64", INT, INT), ("int64_double", INT, DOUBLE), ("int64_uint64", INT, UINT),
             ("uint64", UINT, UINT), ("uint64_double", UINT, DOUBLE), ("uint64_int64", UINT, INT),
             ("double", DOUBLE, DOUBLE), ("double_int64", DOUBLE, INT), ("double_uint64", DOUBLE, UINT),
             ("string", STRING, STRING), ("bytes", BYTES, BYTES), ("timestamp", TIMESTAMP, TIMESTAMP),
             ("duration", DURATION, DURATION)]
    return op, [ov(f"{name}_{suffix}", [a, b], BOOL) for suffix, a, b in pairs]


def _time_accessors():
    out = []
    for fn, stem, duration_id in (("getFullYear", "year", None), ("getMonth", "month", None),
                                  ("getDayOfYear", "day_of_year", None), ("getDayOfMonth", "day_of_month", None),
                                  ("getDate", "day_of_month_1_based", None), ("getDayOfWeek", "day_of_week", None),
                                  ("getHours", "hours", "duration_to_hours"),
                                  ("getMinutes", "minutes", "duration_to_minutes"),
                                  ("getSeconds", "seconds", "duration_to_seconds"),
                                  ("getMilliseconds", "milliseconds", "duration_to_milliseconds")):
        tz_id = "timestamp_to_seconds_tz" if stem == "seconds" else f"timestamp_to_{stem}_with_tz"
        overloads = [member(f"timestamp_to_{stem}", [TIMESTAMP], INT), member(tz_id, [TIMESTAMP, STRING], INT)]
        if duration_id:
            overloads.append(member(duration_id, [DURATION], INT))
        out.append((fn, overloads))
    return out


def standard_functions():
    """checker/standard.go, in its order."""
    fns = [
        ("_?_:_", [ov("conditional", [BOOL, A, A], A)]),
        ("_&&_", [ov("logical_and", [BOOL, BOOL], BOOL)]),
        ("_||_", [ov("logical_or", [BOOL, BOOL], BOOL)]),
        ("!_", [ov("logical_not", [BOOL], BOOL)]),
        ("@not_strictly_false", [ov("not_strictly_false", [BOOL], BOOL)]),
        ("_==_", [ov("equals", [A, A], BOOL)]),
        ("_!=_", [ov("not_equals", [A, A], BOOL)]),
        ("_-_", [ov("subtract_int64", [INT, INT], INT), ov("subtract_uint64", [UINT, UINT], UINT),
                 ov("subtract_double", [DOUBLE, DOUBLE], DOUBLE),
                 ov("subtract_timestamp_timestamp", [TIMESTAMP, TIMESTAMP], DURATION),
                 ov("subtract_timestamp_duration", [TIMESTAMP, DURATION], TIMESTAMP),
                 ov("subtract_duration_duration", [DURATION, DURATION], DURATION)]),
        ("_*_", [ov("multiply_int64", [INT, INT], INT), ov("multiply_uint64", [UINT, UINT], UINT),
                 ov("multiply_double", [DOUBLE, DOUBLE], DOUBLE)]),
        ("_/_", [ov("divide_int64", [INT, INT], INT), ov("divide_uint64", [UINT, UINT], UINT),
                 ov("divide_double", [DOUBLE, DOUBLE], DOUBLE)]),
        ("_%_", [ov("modulo_int64", [INT, INT], INT), ov("modulo_uint64", [UINT, UINT], UINT)]),
        ("_+_", [ov("add_int64", [INT, INT], INT), ov("add_uint64", [UINT, UINT], UINT),
                 ov("add_double", [DOUBLE, DOUBLE], DOUBLE), ov("add_string", [STRING, STRING], STRING),
                 ov("add_bytes", [BYTES, BYTES], BYTES), ov("add_list", [LIST_A, LIST_A], LIST_A),
                 ov("add_timestamp_duration", [TIMESTAMP, DURATION], TIMESTAMP),
                 ov("add_duration_timestamp", [DURATION, TIMESTAMP], TIMESTAMP),
                 ov("add_duration_duration", [DURATION, DURATION], DURATION)]),
        ("-_", [ov("negate_int64", [INT], INT), ov("negate_double", [DOUBLE], DOUBLE)]),
        ("_[_]", [ov("index_list", [LIST_A, INT], A), ov("index_map", [MAP_AB, A], B)]),
        ("size", [member("string_size", [STRING], INT), member("bytes_size", [BYTES], INT),
                  member("list_size", [LIST_A], INT), member("map_size", [MAP_AB], INT),
                  ov("size_string", [STRING], INT), ov("size_bytes", [BYTES], INT), ov("size_list", [LIST_A], INT),
                  ov("size_map", [MAP_AB], INT)]),
        ("@in", [ov("in_list", [A, LIST_A], BOOL), ov("in_map", [A, MAP_AB], BOOL)]),
        ("in", [ov("in_list", [A, LIST_A], BOOL), ov("in_map", [A, MAP_AB], BOOL)]),
        ("type", [ov("type", [A], type_of(A))]),
        ("int", [ov("int64_to_int64", [INT], INT), ov("uint64_to_int64", [UINT], INT),
                 ov("double_to_int64", [DOUBLE], INT), ov("string_to_int64", [STRING], INT),
                 ov("timestamp_to_int64", [TIMESTAMP], INT), ov("duration_to_int64", [DURATION], INT)]),
        ("uint", [ov("uint64_to_uint64", [UINT], UINT), ov("int64_to_uint64", [INT], UINT),
                  ov("double_to_uint64", [DOUBLE], UINT), ov("string_to_uint64", [STRING], UINT)]),
        ("double", [ov("double_to_double", [DOUBLE], DOUBLE), ov("int64_to_double", [INT], DOUBLE),
                    ov("uint64_to_double", [UINT], DOUBLE), ov("string_to_double", [STRING], DOUBLE)]),
        ("bool", [ov("bool_to_bool", [BOOL], BOOL), ov("string_to_bool", [STRING], BOOL)]),
        ("string", [ov("string_to_string", [STRING], STRING), ov("bool_to_string", [BOOL], STRING),
                    ov("int64_to_string", [INT], STRING), ov("uint64_to_string", [UINT], STRING),
                    ov("double_to_string", [DOUBLE], STRING), ov("bytes_to_string", [BYTES], STRING),
                    ov("timestamp_to_string", [TIMESTAMP], STRING), ov("duration_to_string", [DURATION], STRING)]),
        ("bytes", [ov("bytes_to_bytes", [BYTES], BYTES), ov("string_to_bytes", [STRING], BYTES)]),
        ("timestamp", [ov("timestamp_to_timestamp", [TIMESTAMP], TIMESTAMP),
                       ov("string_to_timestamp", [STRING], TIMESTAMP), ov("int64_to_timestamp", [INT], TIMESTAMP)]),
        ("duration", [ov("duration_to_duration", [DURATION], DURATION), ov("string_to_duration", [STRING], DURATION),
                      ov("int64_to_duration", [INT], DURATION)]),
        ("dyn", [ov("to_dyn", [A], DYN)]),
        ("contains", [member("contains_string", [STRING, STRING], BOOL)]),
        ("endsWith", [member("ends_with_string", [STRING, STRING], BOOL)]),
        ("matches", [ov("matches", [STRING, STRING], BOOL), member("matches_string", [STRING, STRING], BOOL)]),
        ("startsWith", [member("starts_with_string", [STRING, STRING], BOOL)]),
        *_time_accessors(),
        _relations("_<_", "less"), _relations("_<=_", "less_equals"),
        _relations("_>_", "greater"), _relations("_>=_", "greater_equals"),
    ]
    return fns


STANDARD_IDENTS = {"int": type_of(INT), "uint": type_of(UINT), "bool": type_of(BOOL), "double": type_of(DOUBLE),
                   "bytes": type_of(BYTES), "string": type_of(STRING), "list": type_of(LIST_A),
                   "map": type_of(MAP_AB), "null_type": type_of(NULL), "type": type_of(type_of())}

CROSS_TYPE_NUMERIC = {f"{op}_{pair}" for op in ("less", "less_equals", "greater", "greater_equals")
                      for pair in ("double_int64", "double_uint64", "int64_double", "int64_uint64", "uint64_double",
                                   "uint64_int64")}


def strings_library(version):
    """cel-go ext/strings.go: version 0 is what Kubernetes 1.28 declares, None the latest (library tests)."""
    fns = [
        ("charAt", [member("string_char_at_int", [STRING, INT], STRING)]),
        ("indexOf", [member("string_index_of_string", [STRING, STRING], INT),
                     member("string_index_of_string_int", [STRING, STRING, INT], INT)]),
        ("lastIndexOf", [member("string_last_index_of_string", [STRING, STRING], INT),
                         member("string_last_index_of_string_int", [STRING, STRING, INT], INT)]),
        ("lowerAscii", [member("string_lower_ascii", [STRING], STRING)]),
        ("replace", [member("string_replace_string_string", [STRING, STRING, STRING], STRING),
                     member("string_replace_string_string_int", [STRING, STRING, STRING, INT], STRING)]),
        ("split", [member("string_split_string", [STRING, STRING], list_of(STRING)),
                   member("string_split_string_int", [STRING, STRING, INT], list_of(STRING))]),
        ("substring", [member("string_substring_int", [STRING, INT], STRING),
                       member("string_substring_int_int", [STRING, INT, INT], STRING)]),
        ("trim", [member("string_trim", [STRING], STRING)]),
        ("upperAscii", [member("string_upper_ascii", [STRING], STRING)]),
    ]
    if version is None or version >= 1:
        fns += [("format", [member("string_format", [STRING, list_of(DYN)], STRING)]),
                ("strings.quote", [ov("strings_quote", [STRING], STRING)])]
    fns.append(("join", [member("list_join", [list_of(STRING)], STRING),
                         member("list_join_string", [list_of(STRING), STRING], STRING)]))
    return fns


COMPARABLE = [("int", INT), ("uint", UINT), ("double", DOUBLE), ("bool", BOOL), ("duration", DURATION),
              ("timestamp", TIMESTAMP), ("string", STRING), ("bytes", BYTES)]
SUMMABLE = [("int", INT), ("uint", UINT), ("double", DOUBLE), ("duration", DURATION)]


def lists_library():
    """k8s.io/apiserver pkg/cel/library/lists.go."""
    return [
        ("isSorted", [member(f"list_{n}_is_sorted_bool", [list_of(t)], BOOL) for n, t in COMPARABLE]),
        ("sum", [member(f"list_{n}_sum_{n}", [list_of(t)], t) for n, t in SUMMABLE]),
        ("max", [member(f"list_{n}_max_{n}", [list_of(t)], t) for n, t in COMPARABLE]),
        ("min", [member(f"list_{n}_min_{n}", [list_of(t)], t) for n, t in COMPARABLE]),
        ("indexOf", [member("list_a_index_of_int", [LIST_A, A], INT)]),
        ("lastIndexOf", [member("list_a_last_index_of_int", [LIST_A, A], INT)]),
    ]


def regex_library():
    """k8s.io/apiserver pkg/cel/library/regex.go."""
    return [("find", [member("string_find_string", [STRING, STRING], STRING)]),
            ("findAll", [member("string_find_all_string", [STRING, STRING], list_of(STRING)),
                         member("string_find_all_string_int", [STRING, STRING, INT], list_of(STRING))])]


def urls_library():
    """k8s.io/apiserver pkg/cel/library/urls.go."""
    return [("url", [ov("string_to_url", [STRING], URL_TYPE)]),
            ("getScheme", [member("url_get_scheme", [URL_TYPE], STRING)]),
            ("getHost", [member("url_get_host", [URL_TYPE], STRING)]),
            ("getHostname", [member("url_get_hostname", [URL_TYPE], STRING)]),
            ("getPort", [member("url_get_port", [URL_TYPE], STRING)]),
            ("getEscapedPath", [member("url_get_escaped_path", [URL_TYPE], STRING)]),
            ("getQuery", [member("url_get_query", [URL_TYPE], map_of(STRING, list_of(STRING)))]),
            ("isURL", [ov("is_url_string", [STRING], BOOL)])]


def authz_library():
    """k8s.io/apiserver pkg/cel/library/authz.go (declared in the 1.27+ environment; unreachable from a CRD
    rule, which has no authorizer, but its function names are declared)."""
    return [("path", [member("authorizer_path", [AUTHORIZER_TYPE, STRING], PATH_CHECK_TYPE)]),
            ("group", [member("authorizer_group", [AUTHORIZER_TYPE, STRING], GROUP_CHECK_TYPE)]),
            ("serviceAccount", [member("authorizer_serviceaccount", [AUTHORIZER_TYPE, STRING, STRING],
                                       AUTHORIZER_TYPE)]),
            ("resource", [member("groupcheck_resource", [GROUP_CHECK_TYPE, STRING], RESOURCE_CHECK_TYPE)]),
            ("subresource", [member("resourcecheck_subresource", [RESOURCE_CHECK_TYPE, STRING], RESOURCE_CHECK_TYPE)]),
            ("namespace", [member("resourcecheck_namespace", [RESOURCE_CHECK_TYPE, STRING], RESOURCE_CHECK_TYPE)]),
            ("name", [member("resourcecheck_name", [RESOURCE_CHECK_TYPE, STRING], RESOURCE_CHECK_TYPE)]),
            ("check", [member("pathcheck_check", [PATH_CHECK_TYPE, STRING], DECISION_TYPE),
                       member("resourcecheck_check", [RESOURCE_CHECK_TYPE, STRING], DECISION_TYPE)]),
            ("errored", [member("decision_errored", [DECISION_TYPE], BOOL)]),
            ("error", [member("decision_error", [DECISION_TYPE], STRING)]),
            ("allowed", [member("decision_allowed", [DECISION_TYPE], BOOL)]),
            ("reason", [member("decision_reason", [DECISION_TYPE], STRING)])]


LIBRARIES = {"strings0": lambda: strings_library(0), "strings": lambda: strings_library(None),
             "urls": urls_library, "regex": regex_library, "lists": lists_library, "authz": authz_library}


class Provider:
    """A type provider: message types with their fields (the cel-go tests' proto messages)."""

    def __init__(self, messages=None):
        self.messages = messages or {}

    def find_type(self, name):
        """The type an identifier naming a type has, or None."""
        return type_of(object_of(name)) if name in self.messages else None

    def has_type(self, name):
        return name in self.messages

    def find_field_type(self, message, field):
        return (self.messages.get(message) or {}).get(field)


# ---- the environment and the checker (checker/env.go, checker.go) ----

class Reference:
    def __init__(self, name=None, overload_ids=None):
        self.name, self.overload_ids = name, overload_ids


class Checked:
    """A checked expression: its tree, the type and reference of each node (by id), its source."""

    def __init__(self, expr, types, references, text):
        self.expr, self.types, self.references, self.text = expr, types, references, text

    @property
    def output_type(self):
        return self.types.get(self.expr.id, DYN)

    def references_ident(self, name):
        return any(r.name == name for r in self.references.values())


class Env:
    """A cel.Env's checking side: variables, the functions of the standard library and the given
    libraries, a type provider, and the two options Kubernetes sets that affect checking."""

    def __init__(self, variables=None, libraries=(), provider=None, homogeneous_aggregate_literals=False,
                 cross_type_numeric_comparisons=False):
        self.variables = dict(variables or {})
        self.provider = Provider(provider) if isinstance(provider, dict) else provider or Provider()
        self.homogeneous = homogeneous_aggregate_literals
        self.filtered = frozenset() if cross_type_numeric_comparisons else CROSS_TYPE_NUMERIC
        self.functions = {}
        for name, overloads in standard_functions():
            self._add_function(name, overloads)
        for library in libraries:
            for name, overloads in LIBRARIES[library]():
                self._add_function(name, overloads)

    def _add_function(self, name, overloads):
        """cel/decls.go functionDecl.merge: a later library's overloads go after the existing ones."""
        existing = self.functions.setdefault(name, [])
        known = {o.id for o in existing}
        existing.extend(o for o in overloads if o.id not in known)

    def compile(self, text):
        """env.Compile: parse, then check; CelCompileError with cel-go's errors if either fails."""
        try:
            tree = parse(text)
        except CelSyntaxError as e:
            raise CelCompileError(text, [(*location(text, offset), message) for offset, message in e.errors]) from None
        return _Checker(self, text).run(tree)


class _Scopes:
    def __init__(self, parent=None):
        self.parent, self.idents = parent, {}

    def find(self, name):
        scope = self
        while scope is not None:
            if name in scope.idents:
                return scope.idents[name]
            scope = scope.parent
        return None


class _Checker:
    def __init__(self, env, text):
        self.env, self.text = env, text
        self.mappings = Mapping()
        self.var_counter = 0
        self.types, self.references, self.errors = {}, {}, []
        self.globals = _Scopes()
        self.globals.idents.update({n: (n, t) for n, t in STANDARD_IDENTS.items()})
        self.globals.idents.update({n: (n, t) for n, t in env.variables.items()})
        self.scopes = self.globals
        # checker.Env.enterScope/exitScope build an Env without filteredOverloadIDs: the cross-type
        # numeric comparisons are enabled from the first comprehension on (cel-go v0.16.1)
        self.filtered = env.filtered

    def run(self, tree):
        self.check(tree)
        if self.errors:
            raise CelCompileError(self.text, self.errors)
        types = {k: substitute(self.mappings, v, True) for k, v in self.types.items()}
        return Checked(tree, types, self.references, self.text)

    # -- errors and bookkeeping --

    def report(self, e, message):
        self.report_at(e.offset, message)

    def report_at(self, offset, message):
        self.errors.append((*location(self.text, offset, checker_style=True), message))

    def set_type(self, e, t):
        old = self.types.get(e.id)
        if old is not None and old != t:
            self.report(e, f"(Incompatible) Type already exists for expression: {e}({e.id}) old:{old}, new:{t}")
            return
        self.types[e.id] = t

    def get_type(self, e):
        return self.types.get(e.id, ERROR)

    def new_type_var(self):
        name = f"_var{self.var_counter}"
        self.var_counter += 1
        return param(name)

    def assignable(self, t1, t2):
        subs = is_assignable(self.mappings, t1, t2)
        if subs is not None:
            self.mappings = subs
            return True
        return False

    def assignable_list(self, l1, l2):
        subs = is_assignable_list(self.mappings, l1, l2)
        if subs is not None:
            self.mappings = subs
            return True
        return False

    def lookup_ident(self, name):
        """Env.LookupIdent: declarations, then a type the provider knows (declared on first use)."""
        if name.startswith("."):
            name = name[1:]
        found = self.scopes.find(name)
        if found is not None:
            return found
        t = self.env.provider.find_type(name)
        if t is not None:
            self.globals.idents[name] = (name, t)
            return (name, t)
        return None

    def lookup_function(self, name):
        return self.env.functions.get(name[1:] if name.startswith(".") else name)

    # -- the walk --

    def check(self, e):
        getattr(self, "_" + e.kind)(e)

    def _const(self, e):
        self.set_type(e, ERROR if e.type == "error" else NULL if e.type == "null" else prim(e.type))

    def _ident(self, e):
        found = self.lookup_ident(e.name)
        if found is not None:
            name, t = found
            self.set_type(e, t)
            self.references[e.id] = Reference(name=name)
            e.name = name
            return
        self.set_type(e, ERROR)
        self.report(e, f"undeclared reference to '{e.name}' (in container '')")

    def _select(self, e):
        qualified = _qualified_name(e)
        if qualified is not None:
            found = self.lookup_ident(qualified)
            if found is not None:
                name, t = found
                self.set_type(e, t)
                self.references[e.id] = Reference(name=name)
                e.kind, e.name = "ident", name
                return
        result = self.check_select_field(e, e.operand, e.field)
        if e.test_only:
            result = BOOL
        self.set_type(e, substitute(self.mappings, result, False))

    def check_select_field(self, e, operand, field):
        self.check(operand)
        target = substitute(self.mappings, self.get_type(operand), False)
        k = target.kind
        if k == "map":
            return target.params[1]
        if k == "object":
            if not self.env.provider.has_type(target.name):
                self.report(e, f"[internal] unexpected failed resolution of '{target.name}'")
                return ERROR
            field_type = self.env.provider.find_field_type(target.name, field)
            if field_type is None:
                self.report(e, f"undefined field '{field}'")
                return ERROR
            return field_type
        if k == "param":
            self.assignable(DYN, target)
            return DYN
        if not is_dyn_or_error(target):
            self.report(e, f"type '{_proto_text(target)}' does not support field selection")
        return DYN

    def _call(self, e):
        for arg in e.args:
            self.check(arg)
        if e.target is None:
            fn = self.lookup_function(e.function)
            if fn is None:
                self.report(e, f"undeclared reference to '{e.function}' (in container '')")
                self.set_type(e, ERROR)
                return
            self.resolve_overload_or_error(e, e.function, fn, None, e.args)
            return
        qualified = _qualified_name(e.target)
        if qualified is not None:
            fn = self.lookup_function(qualified + "." + e.function)
            if fn is not None:
                e.function, e.target = qualified + "." + e.function, None  # a namespaced function
                self.resolve_overload_or_error(e, e.function, fn, None, e.args)
                return
        self.check(e.target)
        fn = self.lookup_function(e.function)
        if fn is not None:
            self.resolve_overload_or_error(e, e.function, fn, e.target, e.args)
            return
        self.report(e, f"undeclared reference to '{e.function}' (in container '')")

    def resolve_overload_or_error(self, e, name, fn, target, args):
        resolution = self.resolve_overload(e, name, fn, target, args)
        if resolution is None:
            self.set_type(e, ERROR)
            return
        ids, result = resolution
        self.set_type(e, result)
        self.references[e.id] = Reference(overload_ids=ids)

    def resolve_overload(self, e, name, fn, target, args):
        arg_types = ([self.get_type(target)] if target is not None else []) + [self.get_type(a) for a in args]
        result, ids = None, []
        for overload in fn:
            if overload.id in self.filtered:
                continue
            if overload.instance != (target is not None):
                continue
            overload_type = function_type(overload.result, overload.params)
            if overload.type_params:
                fresh = Mapping()
                for name_ in overload.type_params:
                    fresh.add(param(name_), self.new_type_var())
                overload_type = substitute(fresh, overload_type, False)
            candidate_args = list(overload_type.params[1:])
            if self.assignable_list(arg_types, candidate_args):
                ids.append(overload.id)
                fn_result = substitute(self.mappings, overload_type.params[0], False)
                if result is None:
                    result = fn_result
                elif not is_dyn(result) and fn_result != result:
                    result = DYN
        if result is None:
            shown = [substitute(self.mappings, t, True) for t in arg_types]
            self.report(e, f"found no matching overload for '{name}' applied to "
                           f"'{_format_function(None, shown, target is not None)}'")
            return None
        return ids, result

    def _list(self, e):
        elems = None
        for element in e.elements:
            self.check(element)
            elems = self.join_types(element, elems, self.get_type(element))
        self.set_type(e, list_of(elems if elems is not None else self.new_type_var()))

    def _map(self, e):
        key_type = value_type = None
        for key, value in e.entries:
            self.check(key)
            key_type = self.join_types(key, key_type, self.get_type(key))
            self.check(value)
            value_type = self.join_types(value, value_type, self.get_type(value))
        if key_type is None:
            key_type, value_type = self.new_type_var(), self.new_type_var()
        self.set_type(e, map_of(key_type, value_type))

    def _struct(self, e):
        found = self.lookup_ident(e.message_name)
        if found is None:
            self.report(e, f"undeclared reference to '{e.message_name}' (in container '')")
            return
        name, t = found
        e.message_name = name
        self.references[e.id] = Reference(name=name)
        message = ERROR
        if t.kind != "error":
            if t.kind != "type":
                self.report(e, f"'{format_type(t)}({t})' is not a type")
            else:
                message = t.params[0] if t.params else ERROR
                if message is None or message.kind != "object":
                    self.report(e, f"'{format_type(message) if message is not None else 'type'}' is not a message type")
                    message = ERROR
        self.set_type(e, message)
        for field, value, entry in e.fields:
            self.check(value)
            field_type = ERROR
            if message.kind == "object":
                ft = self.env.provider.find_field_type(message.name, field)
                if ft is None:
                    self.report_at(entry, f"undefined field '{field}'")
                else:
                    field_type = ft
            value_type = self.get_type(value)
            if not self.assignable(field_type, value_type):
                self.report_at(entry, f"expected type of field '{field}' is '{format_type(field_type)}' but provided "
                                   f"type is '{format_type(value_type)}'")

    def _comprehension(self, e):
        self.check(e.iter_range)
        self.check(e.accu_init)
        accu_type = self.get_type(e.accu_init)
        range_type = substitute(self.mappings, self.get_type(e.iter_range), False)
        k = range_type.kind
        if k == "list":
            var_type = range_type.params[0]
        elif k == "map":
            var_type = range_type.params[0]
        elif k in ("dyn", "error", "param") or is_dyn(range_type):
            self.assignable(DYN, range_type)
            var_type = DYN
        else:
            self.report(e.iter_range, f"expression of type '{format_type(range_type)}' cannot be range of a "
                                      "comprehension (must be list, map, or dynamic)")
            var_type = ERROR
        self.filtered = frozenset()  # enterScope
        outer = self.scopes
        self.scopes = _Scopes(outer)
        self.scopes.idents[e.accu_var] = (e.accu_var, accu_type)
        self.scopes = _Scopes(self.scopes)
        self.scopes.idents[e.iter_var] = (e.iter_var, var_type)
        self.check(e.loop_condition)
        self.assert_type(e.loop_condition, BOOL)
        self.check(e.loop_step)
        self.assert_type(e.loop_step, accu_type)
        self.scopes = self.scopes.parent
        self.check(e.result)
        self.scopes = outer
        self.set_type(e, substitute(self.mappings, self.get_type(e.result), False))

    def join_types(self, e, previous, current):
        if previous is None:
            return current
        if self.assignable(previous, current):
            return most_general(previous, current)
        if not self.env.homogeneous:
            return DYN
        self.report(e, f"expected type '{format_type(previous)}' but found '{format_type(current)}'")
        return ERROR

    def assert_type(self, e, t):
        if not self.assignable(t, self.get_type(e)):
            self.report(e, f"expected type '{format_type(t)}' but found '{format_type(self.get_type(e))}'")


def _qualified_name(e):
    """containers.ToQualifiedName: a chain of selects over an identifier, as a dotted name."""
    if e.kind == "ident":
        return e.name
    if e.kind == "select" and not e.test_only:
        operand = _qualified_name(e.operand)
        return None if operand is None else operand + "." + e.field
    return None


# ---- Go slices, for the coster's paths ----

class GoSlice:
    """A Go []string: a window on a backing array that appends may share (runtime/slice.go growslice
    with the size classes of runtime/sizeclasses.go, 16-byte string headers, as in Go 1.20)."""
    __slots__ = ("backing", "length")

    def __init__(self, backing, length):
        self.backing, self.length = backing, length

    def __iter__(self):
        return iter(self.backing[:self.length])

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        return self.backing[:self.length][index]

    def __repr__(self):
        return repr(self.backing[:self.length])


SIZE_CLASSES = [0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352,
                384, 416, 448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304,
                2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192]


def _grow(old_cap, new_len):
    new_cap = old_cap
    double = new_cap + new_cap
    if new_len > double:
        new_cap = new_len
    elif old_cap < 256:
        new_cap = double
    else:
        while 0 < new_cap < new_len:
            new_cap += (new_cap + 3 * 256) // 4
    size = new_cap * 16
    rounded = next((c for c in SIZE_CLASSES if c >= size), size)
    return rounded // 16


def go_append(s, item):
    """append(s, item)."""
    if s is None or s.length == 0 and not s.backing:
        return GoSlice([item], 1)
    if s.length < len(s.backing):
        s.backing[s.length] = item
        return GoSlice(s.backing, s.length + 1)
    cap = _grow(len(s.backing), s.length + 1)
    backing = s.backing[:s.length] + [item] + [None] * (cap - s.length - 1)
    return GoSlice(backing, s.length + 1)


# ---- the coster (checker/cost.go) ----

def _add(x, y):
    return MAX if x + y > MAX else x + y


def _mul(x, y):
    return MAX if x * y > MAX else x * y


def go_uint64(f):
    """uint64(f) for a float64 f >= 0 as Go compiles it for amd64: past 2^63 it converts f - 2^63 and sets
    the top bit, so 2^64 and above come out as 2^63 (the conversion's "integer indefinite" value)."""
    if f < 2.0 ** 63:
        return int(f)
    rest = f - 2.0 ** 63
    return (int(rest) if rest < 2.0 ** 63 else 2 ** 63) | 2 ** 63


def _by_factor(x, factor):
    """multiplyByCostFactor: float multiply, rounded up (float64(MaxUint64) is 2^64, so the guard lets
    2^64 × 1 through to the conversion)."""
    xf = float(x)
    if xf > 0 and factor > 0 and xf > float(MAX) / factor:
        return MAX
    return go_uint64(math.ceil(xf * factor))


def add(a, b):
    return (_add(a[0], b[0]), _add(a[1], b[1]))


def mul(a, b):
    return (_mul(a[0], b[0]), _mul(a[1], b[1]))


def by_factor(a, factor):
    return (_by_factor(a[0], factor), _by_factor(a[1], factor))


def union(a, b):
    return (min(a[0], b[0]), max(a[1], b[1]))


ONE, ZERO, UNKNOWN_SIZE = (1, 1), (0, 0), (0, MAX)


class CallEstimate:
    def __init__(self, cost, result_size=None):
        self.cost, self.result_size = cost, result_size


class AstNode:
    """checker.AstNode: a node's field path from a variable, its type, its expression, and a size derived
    while costing (a call's result size)."""

    def __init__(self, path, t, expr, derived=None):
        self.path, self.type, self.expr, self.derived = path, t, expr, derived

    def computed_size(self):
        if self.derived is not None:
            return self.derived
        e = self.expr
        if e is None:
            return None
        if e.kind == "const":
            if e.type in ("string", "bytes"):
                return (len(e.value), len(e.value))  # runes of a string (code points), bytes of bytes
            return ONE
        if e.kind == "list":
            return (len(e.elements), len(e.elements))
        if e.kind == "map":
            return (len(e.entries), len(e.entries))
        if e.kind == "struct":
            return ZERO  # a message's size is left at 0 (cost.go ComputedSize)
        return None


class _Coster:
    def __init__(self, checked, estimator, presence_test_cost):
        self.types, self.references = checked.types, checked.references
        self.estimator, self.presence_test_cost = estimator, presence_test_cost
        self.paths, self.iter_ranges, self.computed = {}, {}, {}

    def size(self, node):
        """coster.sizeEstimate."""
        computed = node.computed_size()
        if computed is not None:
            return computed
        estimated = self.estimator.estimate_size(node)
        if estimated is not None:
            return estimated
        return ONE if node.type is not None and is_scalar(node.type) else UNKNOWN_SIZE

    def ast(self, e):
        path = self.paths.get(e.id)
        if path is not None and len(path) > 0 and path[0] == ACCUMULATOR:
            path = None  # only paths from root variables, never the accumulator
        return AstNode(path, self.types.get(e.id), e, self.computed.get(e.id))

    def cost(self, e):
        if e is None:
            return ZERO
        return getattr(self, "_" + e.kind)(e)

    def _const(self, e):
        return (CONST_COST, CONST_COST)

    def _ident(self, e):
        stack = self.iter_ranges.get(e.name)
        if stack:
            rng = stack[-1]
            kind = self.types.get(rng.id, DYN).kind
            if kind == "list":
                self.paths[e.id] = go_append(self.paths.get(rng.id), "@items")
            elif kind == "map":
                self.paths[e.id] = go_append(self.paths.get(rng.id), "@keys")
        else:
            self.paths[e.id] = GoSlice([e.name], 1)
        return (SELECT_AND_IDENT_COST, SELECT_AND_IDENT_COST)

    def _select(self, e):
        if e.test_only:
            return add(self.presence_test_cost, self.cost(e.operand))
        total = self.cost(e.operand)
        if self.types.get(e.operand.id, DYN).kind in ("map", "object", "param"):
            total = add(total, (SELECT_AND_IDENT_COST, SELECT_AND_IDENT_COST))
        self.paths[e.id] = go_append(self.paths.get(e.operand.id), e.field)
        return total

    def _list(self, e):
        total = ZERO
        for element in e.elements:
            total = add(total, self.cost(element))
        return add(total, (LIST_CREATE_BASE_COST, LIST_CREATE_BASE_COST))

    def _map(self, e):
        total = ZERO
        for key, value in e.entries:
            total = add(total, self.cost(key))
            total = add(total, self.cost(value))
        return add(total, (MAP_CREATE_BASE_COST, MAP_CREATE_BASE_COST))

    def _struct(self, e):
        total = ZERO
        for _, value, _ in e.fields:
            total = add(total, self.cost(value))
        return add(total, (STRUCT_CREATE_BASE_COST, STRUCT_CREATE_BASE_COST))

    def _comprehension(self, e):
        total = add(self.cost(e.iter_range), self.cost(e.accu_init))
        self.iter_ranges.setdefault(e.iter_var, []).append(e.iter_range)
        loop = self.cost(e.loop_condition)
        step = self.cost(e.loop_step)
        self.iter_ranges[e.iter_var].pop()
        total = add(total, self.cost(e.result))
        count = self.size(self.ast(e.iter_range))
        return add(total, mul(count, add(step, loop)))

    def _call(self, e):
        arg_costs, arg_nodes = [], []
        for a in e.args:
            arg_costs.append(self.cost(a))
            arg_nodes.append(self.ast(a))
        ref = self.references.get(e.id)
        if ref is None or not ref.overload_ids:
            return ZERO
        total, target = ZERO, None
        if e.target is not None:
            total = self.cost(e.target)
            target = self.ast(e.target)
        fn_cost, result_size = (MAX, 0), None
        for overload in ref.overload_ids:
            estimate = self.function_cost(e.function, overload, target, arg_nodes, arg_costs)
            fn_cost = union(fn_cost, estimate.cost)
            if estimate.result_size is not None:
                result_size = estimate.result_size if result_size is None else union(result_size, estimate.result_size)
            if overload == "index_list" and e.args:
                self.paths[e.id] = go_append(self.paths.get(e.args[0].id), "@items")
            elif overload == "index_map" and e.args:
                self.paths[e.id] = go_append(self.paths.get(e.args[0].id), "@values")
        if result_size is not None:
            self.computed[e.id] = result_size
        return add(total, fn_cost)

    def function_cost(self, function, overload, target, args, arg_costs):
        """coster.functionCost: the estimator's answer first, then cel-go's own."""
        arg_sum = ZERO
        for c in arg_costs:
            arg_sum = add(arg_sum, c)
        est = self.estimator.estimate_call_cost(function, overload, target, args)
        if est is not None:
            return CallEstimate(add(est.cost, arg_sum), est.result_size)
        if overload == "string_format" and target is not None:
            return CallEstimate(add(by_factor(self.size(target), STRING_TRAVERSAL_COST_FACTOR), arg_sum))
        if overload == "string_to_bytes" and len(args) == 1:
            sz = self.size(args[0])
            return CallEstimate(add(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), arg_sum), (sz[0], (sz[1] * 4) & MAX))
        if overload == "bytes_to_string" and len(args) == 1:
            sz = self.size(args[0])
            return CallEstimate(add(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), arg_sum), (sz[0] // 4, sz[1]))
        if overload == "strings_quote" and len(args) == 1:
            sz = self.size(args[0])
            return CallEstimate(add(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), arg_sum),
                                ((sz[0] + 2) & MAX, (sz[1] * 2 + 2) & MAX))
        if overload in ("starts_with_string", "ends_with_string") and len(args) == 1:
            return CallEstimate(add(by_factor(self.size(args[0]), STRING_TRAVERSAL_COST_FACTOR), arg_sum))
        if overload == "in_list" and len(args) == 2:
            # cel-go assumes every list membership test is O(n), even over a list of constants
            return CallEstimate(add(by_factor(self.size(args[1]), 1), arg_sum))
        if overload == "matches_string" and target is not None and len(args) == 1:
            string_cost = by_factor(add(self.size(target), ONE), STRING_TRAVERSAL_COST_FACTOR)
            regex_cost = by_factor(self.size(args[0]), REGEX_STRING_LENGTH_COST_FACTOR)
            return CallEstimate(add(mul(string_cost, regex_cost), arg_sum))
        if overload == "contains_string" and target is not None and len(args) == 1:
            string_cost = by_factor(self.size(target), STRING_TRAVERSAL_COST_FACTOR)
            sub_cost = by_factor(self.size(args[0]), STRING_TRAVERSAL_COST_FACTOR)
            return CallEstimate(add(mul(string_cost, sub_cost), arg_sum))
        if overload in ("logical_or", "logical_and"):
            lhs, rhs = arg_costs
            return CallEstimate((lhs[0], add(lhs, rhs)[1]))  # short-circuit: the minimum is the left side's
        if overload == "conditional":
            size = union(self.size(args[1]), self.size(args[2]))
            return CallEstimate(add(arg_costs[0], union(arg_costs[1], arg_costs[2])), size)
        if overload in ("add_string", "add_bytes", "add_list") and len(args) == 2:
            size = add(self.size(args[0]), self.size(args[1]))
            if overload == "add_list":
                return CallEstimate(add(ONE, arg_sum), size)  # O(1), tracked for its size
            return CallEstimate(add(by_factor(size, STRING_TRAVERSAL_COST_FACTOR), arg_sum), size)
        if overload in SIZE_COMPARISONS:
            lhs, rhs = self.size(args[0]), self.size(args[1])
            smallest_max = min(lhs[1], rhs[1])
            low = 1 if smallest_max > 0 else 0
            return CallEstimate(add(by_factor((low, smallest_max), STRING_TRAVERSAL_COST_FACTOR), arg_sum))
        return CallEstimate(add(ONE, arg_sum))  # O(1) functions


SIZE_COMPARISONS = {"less_string", "greater_string", "less_equals_string", "greater_equals_string", "less_bytes",
                    "greater_bytes", "less_equals_bytes", "greater_equals_bytes", "equals", "not_equals"}


def estimate_cost(checked, estimator, presence_test_cost=ONE):
    """checker.Cost: the (min, max) cost of a checked expression."""
    return _Coster(checked, estimator, presence_test_cost).cost(checked.expr)


# ---- Kubernetes' estimator (k8s.io/apiserver pkg/cel/library/cost.go CostEstimator) ----

class K8sCostEstimator:
    """library.CostEstimator: its call costs for the Kubernetes and ext.Strings functions, sizes from the
    size estimator it wraps."""

    AUTHZ_NOMINAL = {"serviceAccount", "path", "group", "resource", "subresource", "namespace", "name", "allowed",
                     "reason", "error", "errored"}

    def __init__(self, size_estimator):
        self.size_estimator = size_estimator

    def estimate_size(self, node):
        return self.size_estimator.estimate_size(node) if self.size_estimator is not None else None

    def size(self, node):
        """library.CostEstimator.sizeEstimate: no fallback to 1 for scalars."""
        computed = node.computed_size()
        if computed is not None:
            return computed
        estimated = self.estimate_size(node)
        return estimated if estimated is not None else UNKNOWN_SIZE

    def list_element(self, node):
        """listElementNode: the items of a list, with a fresh copy of the path when there is one."""
        if node.type is None or node.type.kind != "list":
            return None
        path = GoSlice(list(node.path) + ["@items"], len(node.path) + 1) if node.path is not None else None
        return AstNode(path, node.type.params[0], None)

    def estimate_call_cost(self, function, overload_id, target, args):
        # cel-go hands a non-nil target pointer even for global calls; every function below that reads
        # the target is a member function, so a global call never reaches them with a target
        if function == "check":
            return CallEstimate((350000, 350000))
        if function in self.AUTHZ_NOMINAL:
            return CallEstimate(ONE)
        if function in ("isSorted", "sum", "max", "min", "indexOf", "lastIndexOf"):
            if target is not None:
                element = self.list_element(target)
                if element is not None:
                    element_cost = ONE
                    if element.type.kind == "prim" and element.type.name in ("string", "bytes"):
                        element_cost = add(element_cost, by_factor(self.size(element), STRING_TRAVERSAL_COST_FACTOR))
                    return CallEstimate(mul(self.size(target), element_cost))
                return CallEstimate(by_factor(self.size(target), STRING_TRAVERSAL_COST_FACTOR))
            return None
        if function == "url":
            if len(args) == 1:
                return CallEstimate(by_factor(self.size(args[0]), STRING_TRAVERSAL_COST_FACTOR))
            return None
        if function in ("lowerAscii", "upperAscii", "substring", "trim"):
            if target is not None:
                sz = self.size(target)
                return CallEstimate(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), sz)
            return None
        if function == "replace":
            if target is not None and len(args) >= 2:
                return self._replace(target, args)
            return None
        if function == "split":
            if target is not None:
                sz = self.size(target)
                most = sz[1]
                if len(args) > 1 and args[1].expr is not None and args[1].expr.kind == "const":
                    value = args[1].expr.value if args[1].expr.type == "int" else 0  # GetInt64Value()
                    most = value & MAX  # uint64(int64)
                return CallEstimate(by_factor(sz, 2 * STRING_TRAVERSAL_COST_FACTOR), (0, most))
            return None
        if function == "join":
            if target is not None:
                list_size = self.size(target)
                sz = ZERO
                element = self.list_element(target)
                if element is not None:
                    sz = mul(list_size, self.size(element))
                if args:
                    separators = (max(list_size[0] - 1, 0), max(list_size[1] - 1, 0))
                    sz = add(sz, mul(self.size(args[0]), separators))
                return CallEstimate(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), sz)
            return None
        if function in ("find", "findAll"):
            if target is not None and len(args) >= 1:
                sz = self.size(target)
                string_cost = by_factor(add(sz, ONE), STRING_TRAVERSAL_COST_FACTOR)
                regex_cost = by_factor(self.size(args[0]), REGEX_STRING_LENGTH_COST_FACTOR)
                return CallEstimate(mul(string_cost, regex_cost), (0, sz[1]))
            return None
        return None

    def _replace(self, target, args):
        sz = self.size(target)
        to_replace, replace_with = self.size(args[0]), self.size(args[1])
        if to_replace[0] == 0:  # replacing "" surrounds every character
            count_max, retained_max = (sz[1] + 1 if sz[1] < MAX else sz[1]), sz[1]
        elif replace_with[1] <= to_replace[0]:
            count_max, retained_max = 0, sz[1]
        else:
            count_max, retained_max = go_uint64(math.ceil(float(sz[1]) / float(to_replace[0]))), 0
        if to_replace[1] == 0:
            count_min, retained_min = (sz[0] + 1 if sz[0] < MAX else sz[0]), sz[0]
        elif to_replace[1] <= replace_with[0]:
            count_min, retained_min = 0, sz[0]
        else:
            count_min, retained_min = go_uint64(math.ceil(float(sz[0]) / float(to_replace[1]))), 0
        size = add(mul((count_min, count_max), replace_with), (retained_min, retained_max))
        return CallEstimate(by_factor(sz, 2 * STRING_TRAVERSAL_COST_FACTOR), size)
