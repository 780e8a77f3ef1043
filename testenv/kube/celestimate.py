"""The static cost of one CEL expression, as cel-go v0.16.1 estimates it (checker/cost.go) with
Kubernetes' extensions (k8s.io/apiserver v0.28.4 pkg/cel/library/cost.go) and the CRD size estimator
(apiextensions-apiserver pkg/apiserver/schema/cel/compilation.go `sizeEstimator`).

Two passes, as in cel-go: a type check (the estimate depends on types: which overload `+` or `in`
resolves to, whether a select reads an object, whether a value has a fixed size), then the cost walk.
Only the maximum of the estimate decides a verdict, but minimums are kept too because some rules
(`&&`, `replace`) derive maximums from them. Sizes of data come from the rule's `self` type (a Decl
built from the schema by celcost.py): the estimator follows a field path from `self` and takes that
node's `max_elements` (maxLength×4, maxItems, maxProperties, or what fits in a 3 MiB request).

Any construct the checker does not know makes `CelCheckError`: the real server would refuse the
rule as not compiling, and its cost is then 0 (this server does not report compile errors).
"""
import math

from .celparse import ACCUMULATOR, parse

MAX = 2 ** 64 - 1  # Go's math.MaxUint64: every sum and product saturates there

# cel-go common/cost.go
SELECT_AND_IDENT_COST = 1
CONST_COST = 0
LIST_CREATE_BASE_COST = 10
MAP_CREATE_BASE_COST = 30
STRING_TRAVERSAL_COST_FACTOR = 0.1
REGEX_STRING_LENGTH_COST_FACTOR = 0.25


class CelCheckError(ValueError):
    pass


# ---- saturating ranges (checker.CostEstimate and checker.SizeEstimate share the arithmetic) ----

def _add(x, y):
    return MAX if x + y > MAX else x + y


def _mul(x, y):
    return MAX if x * y > MAX else x * y


def _by_factor(x, factor):
    """multiplyByCostFactor: float multiply, rounded up."""
    xf = float(x)
    if xf > 0 and factor > 0 and xf > float(MAX) / factor:
        return MAX
    return min(MAX, int(math.ceil(xf * factor)))


def add(a, b):
    return (_add(a[0], b[0]), _add(a[1], b[1]))


def mul(a, b):
    return (_mul(a[0], b[0]), _mul(a[1], b[1]))


def by_factor(a, factor):
    return (_by_factor(a[0], factor), _by_factor(a[1], factor))


def union(a, b):
    return (min(a[0], b[0]), max(a[1], b[1]))


ONE = (1, 1)
ZERO = (0, 0)
UNKNOWN_SIZE = (0, MAX)


# ---- types (what cel-go's checker records in the TypeMap) ----

class T:
    """kind: int uint double bool string bytes null duration timestamp dyn type list map object opaque."""

    def __init__(self, kind, *params, decl=None, name=""):
        self.kind, self.params, self.decl, self.name = kind, params, decl, name

    def __eq__(self, other):
        return isinstance(other, T) and (self.kind, self.params, self.name) == (other.kind, other.params, other.name) \
            and (self.decl is other.decl)

    def __hash__(self):
        return hash((self.kind, self.params, self.name))

    def __repr__(self):
        return f"{self.kind}({', '.join(map(repr, self.params))})" if self.params else self.kind


DYN, INT, UINT, DOUBLE, BOOL = T("dyn"), T("int"), T("uint"), T("double"), T("bool")
STRING, BYTES, NULL, TYPE = T("string"), T("bytes"), T("null"), T("type")
DURATION, TIMESTAMP = T("duration"), T("timestamp")
PRIMITIVES = {"int", "uint", "double", "bool", "string", "bytes"}
TYPE_NAMES = {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"}


def list_of(elem):
    return T("list", elem)


def map_of(key, value):
    return T("map", key, value)


def type_of_decl(decl):
    """The CEL type of a schema node (DeclType.CelType())."""
    if decl.kind == "object":
        return T("object", decl=decl)
    if decl.kind == "list":
        return list_of(type_of_decl(decl.elem))
    if decl.kind == "map":
        return map_of(STRING, type_of_decl(decl.elem))
    return T(decl.kind)


def is_scalar(t):
    """checker.isScalar: types whose size is fixed (strings and bytes are not)."""
    return t.kind in ("int", "uint", "double", "bool", "duration", "timestamp")


def _could_be(t, kind):
    return t.kind == kind or t.kind == "dyn"


def _join(a, b):
    """The type of a literal's elements or a conditional's branches: the more specific of the two."""
    if a == b or b.kind == "dyn":
        return a
    if a.kind == "dyn":
        return b
    if a.kind == b.kind and a.kind in ("list", "map"):
        return T(a.kind, *(_join(x, y) for x, y in zip(a.params, b.params)))
    return DYN


# ---- the checker: a type for every node, the overloads of every call ----

ACCESSORS = {"getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek", "getHours",
             "getMinutes", "getSeconds", "getMilliseconds"}
CONVERSIONS = {"int": INT, "uint": UINT, "double": DOUBLE, "bool": BOOL, "duration": DURATION,
               "timestamp": TIMESTAMP, "dyn": DYN, "type": TYPE}
URL = T("opaque", name="kubernetes.URL")


class Checker:
    def __init__(self, self_type):
        self.self_type = self_type
        self.types, self.overloads = {}, {}

    def check(self, node, scope):
        t = getattr(self, "_" + node.kind)(node, scope)
        self.types[node.id] = t
        return t

    def _const(self, node, scope):
        return T(node.type)

    def _ident(self, node, scope):
        if node.name in scope:
            return scope[node.name]
        if node.name in ("self", "oldSelf"):
            return self.self_type
        if node.name in TYPE_NAMES:
            return TYPE
        raise CelCheckError(f"undeclared reference to '{node.name}'")

    def _select(self, node, scope):
        operand = self.check(node.operand, scope)
        if operand.kind == "object":
            field = operand.decl.fields.get(node.field)
            if field is None:
                raise CelCheckError(f"undefined field '{node.field}'")
            result = type_of_decl(field)
        elif operand.kind == "map":
            result = operand.params[1]
        elif operand.kind == "dyn":
            result = DYN
        else:
            raise CelCheckError(f"type '{operand}' does not support field selection")
        return BOOL if node.test_only else result

    def _list(self, node, scope):
        elem = DYN
        for e in node.elements:
            elem = _join(elem, self.check(e, scope))
        return list_of(elem)

    def _map(self, node, scope):
        key = value = DYN
        for k, v in node.entries:
            key = _join(key, self.check(k, scope))
            value = _join(value, self.check(v, scope))
        return map_of(key, value)

    def _comprehension(self, node, scope):
        rng = self.check(node.iter_range, scope)
        if rng.kind == "list":
            var = rng.params[0]
        elif rng.kind == "map":
            var = rng.params[0]
        elif rng.kind == "dyn":
            var = DYN
        else:
            raise CelCheckError(f"expression of type '{rng}' cannot be range of a comprehension")
        accu = self.check(node.accu_init, scope)
        inner = {**scope, node.accu_var: accu, node.iter_var: var}
        self.check(node.loop_condition, inner)
        step = self.check(node.loop_step, inner)
        if accu.kind == "list" and step.kind == "list":  # map/filter: [] becomes a list of the step's items
            accu = _join(accu, step)
            inner[node.accu_var] = accu
            self.check(node.loop_step, inner)
        return self.check(node.result, {**scope, node.accu_var: accu})

    def _call(self, node, scope):
        args = [self.check(a, scope) for a in node.args]
        target = self.check(node.target, scope) if node.target is not None else None
        ids, result = resolve(node.function, target, args)
        self.overloads[node.id] = ids
        return result


def resolve(fn, target, args):
    """(overload ids, result type): the standard library, ext.Strings v0 and Kubernetes' URL, regex
    and list libraries, as far as the cost estimate tells them apart."""
    n = len(args)
    if target is None:
        if fn in ("_&&_", "_||_") and n == 2:
            return (["logical_and"] if fn == "_&&_" else ["logical_or"]), BOOL
        if fn == "!_" and n == 1:
            return ["logical_not"], BOOL
        if fn == "@not_strictly_false":
            return ["not_strictly_false"], BOOL
        if fn == "-_" and n == 1:
            return ["negate"], args[0]
        if fn == "_?_:_" and n == 3:
            return ["conditional"], _join(args[1], args[2])
        if fn in ("_==_", "_!=_"):
            return (["equals"] if fn == "_==_" else ["not_equals"]), BOOL
        if fn in ("_<_", "_<=_", "_>_", "_>=_"):
            ids = [f"compare_{k}" for k in ("string", "bytes") if _could_be(args[0], k) and _could_be(args[1], k)]
            if not (args[0].kind in ("string", "bytes") and args[1].kind in ("string", "bytes")):
                ids.append("compare_other")
            return ids, BOOL
        if fn == "_+_":
            return _resolve_add(args)
        if fn in ("_-_", "_*_", "_/_", "_%_"):
            a, b = args
            if fn == "_-_" and a.kind == "timestamp":
                return ["arithmetic"], DURATION if b.kind == "timestamp" else TIMESTAMP
            return ["arithmetic"], a if a.kind != "dyn" else b
        if fn == "_[_]":
            return _resolve_index(args[0])
        if fn == "@in":
            container = args[1]
            ids = (["in_list"] if _could_be(container, "list") else []) + \
                (["in_map"] if _could_be(container, "map") else [])
            if not ids:
                raise CelCheckError("found no matching overload for '@in'")
            return ids, BOOL
        if fn == "size" and n == 1:
            return ["size"], INT
        if fn == "matches" and n == 2:
            return ["matches"], BOOL
        if fn == "string" and n == 1:
            return (["bytes_to_string"] if _could_be(args[0], "bytes") else []) + \
                ([] if args[0].kind == "bytes" else ["to_string"]), STRING
        if fn == "bytes" and n == 1:
            return (["string_to_bytes"] if _could_be(args[0], "string") else []) + \
                ([] if args[0].kind == "string" else ["to_bytes"]), BYTES
        if fn in CONVERSIONS and n == 1:
            return [fn], CONVERSIONS[fn]
        if fn == "url" and n == 1:
            return ["string_to_url"], URL
        if fn == "isURL" and n == 1:
            return ["is_url_string"], BOOL
        raise CelCheckError(f"undeclared reference to '{fn}'")
    # receiver-style calls
    kind = target.kind
    if fn == "size" and n == 0:
        return ["size"], INT
    if kind in ("string", "dyn"):
        strings = {"contains": (["contains_string"], BOOL), "startsWith": (["starts_with_string"], BOOL),
                   "endsWith": (["ends_with_string"], BOOL), "matches": (["matches_string"], BOOL),
                   "charAt": (["string_char_at_int"], STRING), "lowerAscii": (["string_lower_ascii"], STRING),
                   "upperAscii": (["string_upper_ascii"], STRING), "replace": (["string_replace"], STRING),
                   "substring": (["string_substring"], STRING), "trim": (["string_trim"], STRING),
                   "split": (["string_split"], list_of(STRING)), "find": (["find"], STRING),
                   "findAll": (["find_all"], list_of(STRING))}
        if fn in strings:
            return strings[fn]
        if fn in ("indexOf", "lastIndexOf") and kind == "string":
            return [fn], INT
    if kind in ("list", "dyn"):
        elem = target.params[0] if kind == "list" else DYN
        lists = {"join": (["list_join"], STRING), "isSorted": (["list_is_sorted"], BOOL), "sum": (["list_sum"], elem),
                 "min": (["list_min"], elem), "max": (["list_max"], elem), "indexOf": (["list_index_of"], INT),
                 "lastIndexOf": (["list_last_index_of"], INT)}
        if fn in lists:
            return lists[fn]
    if kind in ("timestamp", "duration", "dyn") and fn in ACCESSORS:
        return [fn], INT
    if kind in ("opaque", "dyn"):
        urls = {"getScheme": STRING, "getHost": STRING, "getHostname": STRING, "getPort": STRING,
                "getEscapedPath": STRING, "getQuery": map_of(STRING, list_of(STRING))}
        if fn in urls:
            return [fn], urls[fn]
    raise CelCheckError(f"found no matching overload for '{fn}' applied to '{target}'")


def _resolve_add(args):
    a, b = args
    ids = []
    for kind, overload in (("string", "add_string"), ("bytes", "add_bytes"), ("list", "add_list")):
        if _could_be(a, kind) and _could_be(b, kind):
            ids.append(overload)
    if not (a.kind in ("string", "bytes", "list") or b.kind in ("string", "bytes", "list")):
        ids.append("arithmetic")
    if not ids:
        raise CelCheckError(f"found no matching overload for '_+_' applied to '({a}, {b})'")
    if a.kind == "list" or b.kind == "list":
        result = _join(a, b)
    elif "timestamp" in (a.kind, b.kind):
        result = TIMESTAMP
    else:
        result = a if a.kind != "dyn" else b
    return ids, result


def _resolve_index(container):
    if container.kind == "list":
        return ["index_list"], container.params[0]
    if container.kind == "map":
        return ["index_map"], container.params[1]
    if container.kind == "dyn":
        return ["index_list", "index_map"], DYN  # cel-go records both; the last one sets the path
    raise CelCheckError(f"found no matching overload for '_[_]' applied to '{container}'")


# ---- the coster (checker/cost.go `coster`) ----

class AstNode:
    """checker.AstNode: a node's field path from `self`, its type, and a size known from the expression."""

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
                return (len(e.value), len(e.value))  # runes of a string (Python str length), bytes of bytes
            return ONE
        if e.kind == "list":
            return (len(e.elements), len(e.elements))
        if e.kind == "map":
            return (len(e.entries), len(e.entries))
        return None


class Coster:
    def __init__(self, checker, root_decl):
        self.types, self.overloads, self.root = checker.types, checker.overloads, root_decl
        self.paths, self.iter_ranges, self.computed = {}, {}, {}
        self.presence_test_cost = ONE  # cel-go's default; Kubernetes 1.28 does not change it

    # -- sizes --

    def estimate_size(self, node):
        """The CRD sizeEstimator: follow the path from `self` (its first element, whatever it names,
        stands for `self`) and take that schema node's max_elements."""
        if not node.path:
            return None
        current = self.root
        for name in node.path[1:]:
            if name in ("@items", "@values"):
                current = current.elem
            elif name == "@keys":
                current = current.key
            else:
                field = (current.fields or {}).get(name)
                current = field
            if current is None:
                return None
        return (0, current.max_elements)

    def size(self, node):
        """coster.sizeEstimate."""
        computed = node.computed_size()
        if computed is not None:
            return computed
        estimated = self.estimate_size(node)
        if estimated is not None:
            return estimated
        return ONE if is_scalar(node.type) else UNKNOWN_SIZE

    def k8s_size(self, node):
        """library.CostEstimator.sizeEstimate: no fallback to 1 for scalars."""
        computed = node.computed_size()
        if computed is not None:
            return computed
        estimated = self.estimate_size(node)
        return estimated if estimated is not None else UNKNOWN_SIZE

    def ast(self, e):
        path = self.paths.get(e.id)
        if path and path[0] == ACCUMULATOR:
            path = None  # only paths from root variables, never the accumulator
        return AstNode(path, self.types[e.id], e, self.computed.get(e.id))

    # -- costs --

    def cost(self, e):
        if e is None:
            return ZERO
        return getattr(self, "_" + e.kind)(e)

    def _const(self, e):
        return (CONST_COST, CONST_COST)

    def _ident(self, e):
        ranges = self.iter_ranges.get(e.name)
        if ranges:
            rng = ranges[-1]
            kind = self.types[rng.id].kind
            if kind == "list":
                self.paths[e.id] = (self.paths.get(rng.id) or []) + ["@items"]
            elif kind == "map":
                self.paths[e.id] = (self.paths.get(rng.id) or []) + ["@keys"]
        else:
            self.paths[e.id] = [e.name]
        return (SELECT_AND_IDENT_COST, SELECT_AND_IDENT_COST)

    def _select(self, e):
        if e.test_only:
            return add(self.presence_test_cost, self.cost(e.operand))
        total = self.cost(e.operand)
        if self.types[e.operand.id].kind in ("map", "object"):
            total = add(total, (SELECT_AND_IDENT_COST, SELECT_AND_IDENT_COST))
        self.paths[e.id] = (self.paths.get(e.operand.id) or []) + [e.field]
        return total

    def _list(self, e):
        total = ZERO
        for element in e.elements:
            total = add(total, self.cost(element))
        return add(total, (LIST_CREATE_BASE_COST, LIST_CREATE_BASE_COST))

    def _map(self, e):
        total = ZERO
        for key, value in e.entries:
            total = add(add(total, self.cost(key)), self.cost(value))
        return add(total, (MAP_CREATE_BASE_COST, MAP_CREATE_BASE_COST))

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
        arg_costs = [self.cost(a) for a in e.args]
        arg_nodes = [self.ast(a) for a in e.args]
        ids = self.overloads.get(e.id)
        if not ids:
            return ZERO
        total, target = ZERO, None
        if e.target is not None:
            total = self.cost(e.target)
            target = self.ast(e.target)
        fn_cost, result_size = (MAX, 0), None
        for overload in ids:
            cost, size = self.function_cost(e.function, overload, target, arg_nodes, arg_costs)
            fn_cost = union(fn_cost, cost)
            if size is not None:
                result_size = size if result_size is None else union(result_size, size)
            if overload == "index_list" and e.args:
                self.paths[e.id] = (self.paths.get(e.args[0].id) or []) + ["@items"]
            elif overload == "index_map" and e.args:
                self.paths[e.id] = (self.paths.get(e.args[0].id) or []) + ["@values"]
        if result_size is not None:
            self.computed[e.id] = result_size
        return add(total, fn_cost)

    def function_cost(self, function, overload, target, args, arg_costs):
        """(cost, result size or None): Kubernetes' estimator first, then cel-go's."""
        arg_sum = ZERO
        for c in arg_costs:
            arg_sum = add(arg_sum, c)
        k8s = self.k8s_call_cost(function, target, args)
        if k8s is not None:
            return add(k8s[0], arg_sum), k8s[1]
        if overload == "string_to_bytes" and len(args) == 1:
            sz = self.size(args[0])
            return add(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), arg_sum), (sz[0], (sz[1] * 4) & MAX)
        if overload == "bytes_to_string" and len(args) == 1:
            sz = self.size(args[0])
            return add(by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), arg_sum), (sz[0] // 4, sz[1])
        if overload in ("starts_with_string", "ends_with_string") and len(args) == 1:
            return add(by_factor(self.size(args[0]), STRING_TRAVERSAL_COST_FACTOR), arg_sum), None
        if overload == "in_list" and len(args) == 2:
            # cel-go assumes every list membership test is O(n), even over a list of constants
            return add(by_factor(self.size(args[1]), 1), arg_sum), None
        if overload == "matches_string" and target is not None and len(args) == 1:
            string_cost = by_factor(add(self.size(target), ONE), STRING_TRAVERSAL_COST_FACTOR)
            regex_cost = by_factor(self.size(args[0]), REGEX_STRING_LENGTH_COST_FACTOR)
            return add(mul(string_cost, regex_cost), arg_sum), None
        if overload == "contains_string" and target is not None and len(args) == 1:
            string_cost = by_factor(self.size(target), STRING_TRAVERSAL_COST_FACTOR)
            sub_cost = by_factor(self.size(args[0]), STRING_TRAVERSAL_COST_FACTOR)
            return add(mul(string_cost, sub_cost), arg_sum), None
        if overload in ("logical_or", "logical_and"):
            lhs, rhs = arg_costs
            return (lhs[0], add(lhs, rhs)[1]), None  # short-circuit: the minimum is the left side's
        if overload == "conditional":
            size = union(self.size(args[1]), self.size(args[2]))
            return add(arg_costs[0], union(arg_costs[1], arg_costs[2])), size
        if overload in ("add_string", "add_bytes", "add_list") and len(args) == 2:
            size = add(self.size(args[0]), self.size(args[1]))
            if overload == "add_list":
                return add(ONE, arg_sum), size  # O(1), tracked for its size
            return add(by_factor(size, STRING_TRAVERSAL_COST_FACTOR), arg_sum), size
        if overload in ("compare_string", "compare_bytes", "equals", "not_equals"):
            lhs, rhs = self.size(args[0]), self.size(args[1])
            smallest_max = min(lhs[1], rhs[1])
            low = 1 if smallest_max > 0 else 0
            return add(by_factor((low, smallest_max), STRING_TRAVERSAL_COST_FACTOR), arg_sum), None
        return add(ONE, arg_sum), None  # O(1) functions

    def k8s_call_cost(self, function, target, args):
        """library.CostEstimator.EstimateCallCost: (cost, result size) or None. It matches on the
        function name alone; cel-go always hands it a target (a nil one for global calls)."""
        if function in ("isSorted", "sum", "max", "min", "indexOf", "lastIndexOf") and target is not None:
            element = self.list_element(target)
            if element is not None:
                element_cost = ONE
                if element.type.kind in ("string", "bytes"):
                    element_cost = add(element_cost, by_factor(self.k8s_size(element), STRING_TRAVERSAL_COST_FACTOR))
                return mul(self.k8s_size(target), element_cost), None
            return by_factor(self.k8s_size(target), STRING_TRAVERSAL_COST_FACTOR), None
        if function == "url" and len(args) == 1:
            return by_factor(self.k8s_size(args[0]), STRING_TRAVERSAL_COST_FACTOR), None
        if function in ("lowerAscii", "upperAscii", "substring", "trim") and target is not None:
            sz = self.k8s_size(target)
            return by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), sz
        if function == "replace" and target is not None and len(args) >= 2:
            return self._replace_cost(target, args)
        if function == "split" and target is not None:
            sz = self.k8s_size(target)
            most = sz[1]
            if len(args) > 1 and args[1].expr is not None and args[1].expr.kind == "const":
                value = args[1].expr.value if args[1].expr.type == "int" else 0  # GetInt64Value()
                most = value & MAX  # uint64(int64)
            return by_factor(sz, 2 * STRING_TRAVERSAL_COST_FACTOR), (0, most)
        if function == "join" and target is not None:
            list_size = self.k8s_size(target)
            sz = ZERO
            element = self.list_element(target)
            if element is not None:
                sz = mul(list_size, self.k8s_size(element))
            if args:
                separators = (max(list_size[0] - 1, 0), max(list_size[1] - 1, 0))
                sz = add(sz, mul(self.k8s_size(args[0]), separators))
            return by_factor(sz, STRING_TRAVERSAL_COST_FACTOR), sz
        if function in ("find", "findAll") and target is not None and len(args) >= 1:
            sz = self.k8s_size(target)
            string_cost = by_factor(add(sz, ONE), STRING_TRAVERSAL_COST_FACTOR)
            regex_cost = by_factor(self.k8s_size(args[0]), REGEX_STRING_LENGTH_COST_FACTOR)
            return mul(string_cost, regex_cost), (0, sz[1])
        return None

    def _replace_cost(self, target, args):
        sz = self.k8s_size(target)
        to_replace, replace_with = self.k8s_size(args[0]), self.k8s_size(args[1])
        if to_replace[0] == 0:  # replacing "" surrounds every character
            count_max, retained_max = (sz[1] + 1 if sz[1] < MAX else sz[1]), sz[1]
        elif replace_with[1] <= to_replace[0]:
            count_max, retained_max = 0, sz[1]
        else:
            count_max, retained_max = int(math.ceil(float(sz[1]) / float(to_replace[0]))), 0
        if to_replace[1] == 0:
            count_min, retained_min = (sz[0] + 1 if sz[0] < MAX else sz[0]), sz[0]
        elif to_replace[1] <= replace_with[0]:
            count_min, retained_min = 0, sz[0]
        else:
            count_min, retained_min = int(math.ceil(float(sz[0]) / float(to_replace[1]))), 0
        size = add(mul((count_min, min(count_max, MAX)), replace_with), (retained_min, retained_max))
        return by_factor(sz, 2 * STRING_TRAVERSAL_COST_FACTOR), size

    def list_element(self, node):
        """library.CostEstimator.listElementNode: the items of a list, with the path when there is one."""
        if node.type.kind != "list":
            return None
        path = node.path + ["@items"] if node.path is not None else None
        return AstNode(path, node.type.params[0], None)


def estimate(expression, root_decl, output="bool"):
    """(min, max) cost of a CEL expression whose `self` (and `oldSelf`) is root_decl, or
    CelSyntaxError/CelCheckError when it would not compile (rules must be bool, message
    expressions string: dyn is not enough, as in the real server)."""
    tree = parse(expression)
    checker = Checker(type_of_decl(root_decl))
    if checker.check(tree, {}).kind != output:
        raise CelCheckError(f"cel expression must evaluate to a {output}")
    return Coster(checker, root_decl).cost(tree)
