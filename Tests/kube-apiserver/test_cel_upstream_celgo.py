"""The cost estimator (celestimate.py) checked against cel-go's own unit test of it: every expression,
declaration, size hint and expected cost range below is transcribed from
github.com/google/cel-go tag v0.16.1 (what k8s.io/apiserver v0.28.4 vendors), checker/cost_test.go,
TestCost. Its environment is the standard library alone (checker.StandardDeclarations), the proto3
test message google.expr.proto3.test.TestAllTypes, and testCostEstimator: a size hint per field path
("input", "input.@items", …) and a fixed cost of 7 for the timestamp_to_year overload.
"""
import pytest

from testenv.kube import celestimate as ce

ALL_TYPES = ce.object_of("google.expr.proto3.test.TestAllTypes")
ALL_LIST = ce.list_of(ALL_TYPES)
INT_LIST = ce.list_of(ce.INT)
NESTED_LIST = ce.list_of(ALL_LIST)
ALL_MAP = ce.map_of(ce.STRING, ALL_TYPES)
NESTED_MAP = ce.map_of(ce.STRING, ALL_MAP)
# the fields of TestAllTypes the cases use (proto3 int32 and float are CEL int and double)
PROVIDER = {"google.expr.proto3.test.TestAllTypes": {
    "single_int32": ce.INT, "single_float": ce.DOUBLE, "single_string": ce.STRING}}

ZERO, ONE = (0, 0), (1, 1)
NO_HAS_COST = {"presence_test_cost": (0, 0)}  # PresenceTestHasCost(false)
HAS_COST = {"presence_test_cost": (1, 1)}  # PresenceTestHasCost(true)
BOOLS = {"a": ce.BOOL, "b": ce.BOOL, "c": ce.BOOL, "d": ce.BOOL}

# (name, expr, decls, hints, options, wanted (min, max))
CASES = [
    ("const", '"Hello World!"', {}, {}, {}, ZERO),
    ("identity", "input", {"input": INT_LIST}, {}, {}, (1, 1)),
    ("select: map", "input['key']", {"input": ce.map_of(ce.STRING, ce.STRING)}, {}, {}, (2, 2)),
    ("select: field", "input.single_int32", {"input": ALL_TYPES}, {}, {}, (2, 2)),
    ("select: field test only no has() cost", "has(input.single_int32)", {"input": ALL_TYPES}, {}, NO_HAS_COST, (1, 1)),
    ("select: field test only", "has(input.single_int32)", {"input": ALL_TYPES}, {}, {}, (2, 2)),
    ("select: non-proto field test has() cost", "has(input.testAttr.nestedAttr)", {"input": NESTED_MAP}, {}, HAS_COST,
     (3, 3)),
    ("select: non-proto field test no has() cost", "has(input.testAttr.nestedAttr)", {"input": NESTED_MAP}, {},
     NO_HAS_COST, (2, 2)),
    ("select: non-proto field test", "has(input.testAttr.nestedAttr)", {"input": NESTED_MAP}, {}, {}, (3, 3)),
    ("estimated function call", "input.getFullYear()", {"input": ce.TIMESTAMP}, {}, {}, (8, 8)),
    ("create list", "[1, 2, 3]", {}, {}, {}, (10, 10)),
    ("create struct",
     "google.expr.proto3.test.TestAllTypes{single_int32: 1, single_float: 3.14, single_string: 'str'}", {}, {}, {},
     (40, 40)),
    ("create map", '{"a": 1, "b": 2, "c": 3}', {}, {}, {}, (30, 30)),
    ("all comprehension", "input.all(x, true)", {"input": ALL_LIST}, {"input": 100}, {}, (2, 302)),
    ("nested all comprehension", "input.all(x, x.all(y, true))", {"input": NESTED_LIST},
     {"input": 50, "input.@items": 10}, {}, (2, 1752)),
    ("all comprehension on literal", "[1, 2, 3].all(x, true)", {}, {}, {}, (20, 20)),
    ("variable cost function", "input.matches('[0-9]')", {"input": ce.STRING}, {"input": 500}, {}, (3, 103)),
    ("variable cost function with constant", "'123'.matches('[0-9]')", {}, {}, {}, (2, 2)),
    ("or", "true || false", {}, {}, {}, ZERO),
    ("or accumulated branch cost", "a || b || c || d", BOOLS, {}, {}, (1, 4)),
    ("and", "true && false", {}, {}, {}, ZERO),
    ("and accumulated branch cost", "a && b && c && d", BOOLS, {}, {}, (1, 4)),
    ("lt", "1 < 2", {}, {}, {}, ONE),
    ("lte", "1 <= 2", {}, {}, {}, ONE),
    ("eq", "1 == 2", {}, {}, {}, ONE),
    ("gt", "2 > 1", {}, {}, {}, ONE),
    ("gte", "2 >= 1", {}, {}, {}, ONE),
    ("in", "2 in [1, 2, 3]", {}, {}, {}, (13, 13)),
    ("plus", "1 + 1", {}, {}, {}, ONE),
    ("minus", "1 - 1", {}, {}, {}, ONE),
    ("/", "1 / 1", {}, {}, {}, ONE),
    ("/ (the second, a product)", "1 * 1", {}, {}, {}, ONE),
    ("%", "1 % 1", {}, {}, {}, ONE),
    ("ternary", "true ? 1 : 2", {}, {}, {}, ZERO),
    ("string size", 'size("123")', {}, {}, {}, ONE),
    ("bytes to string conversion", "string(input)", {"input": ce.BYTES}, {"input": 500}, {}, (1, 51)),
    ("bytes to string conversion equality", "string(input) == string(input)", {"input": ce.BYTES}, {"input": 500}, {},
     (3, 152)),
    ("string to bytes conversion", "bytes(input)", {"input": ce.STRING}, {"input": 500}, {}, (1, 51)),
    ("string to bytes conversion equality", "bytes(input) == bytes(input)", {"input": ce.STRING}, {"input": 500}, {},
     (3, 302)),
    ("int to string conversion", "string(1)", {}, {}, {}, (1, 1)),
    ("contains", "input.contains(arg1)", {"input": ce.STRING, "arg1": ce.STRING}, {"input": 500, "arg1": 500}, {},
     (2, 2502)),
    ("matches", "input.matches('\\\\d+a\\\\d+b')", {"input": ce.STRING}, {"input": 500}, {}, (3, 103)),
    ("startsWith", "input.startsWith(arg1)", {"input": ce.STRING, "arg1": ce.STRING}, {"arg1": 500}, {}, (2, 52)),
    ("endsWith", "input.endsWith(arg1)", {"input": ce.STRING, "arg1": ce.STRING}, {"arg1": 500}, {}, (2, 52)),
    ("size receiver", "input.size()", {"input": ce.STRING}, {}, {}, (2, 2)),
    ("size", "size(input)", {"input": ce.STRING}, {}, {}, (2, 2)),
    ("ternary eval", "(x > 2 ? input1 : input2).all(y, true)",
     {"x": ce.INT, "input1": ALL_LIST, "input2": ALL_LIST}, {"input1": 1, "input2": 1}, {}, (4, 7)),
    ("comprehension over map", "input.all(k, input[k].single_int32 > 3)", {"input": ALL_MAP}, {"input": 10}, {},
     (2, 82)),
    ("comprehension over nested map of maps", "input.all(k, input[k].all(x, true))", {"input": NESTED_MAP},
     {"input": 5, "input.@values": 10}, {}, (2, 187)),
    ("string size of map keys", "input.all(k, k.contains(k))", {"input": NESTED_MAP},
     {"input": 5, "input.@keys": 10}, {}, (2, 32)),
    ("comprehension variable shadowing", "input.all(k, input[k].all(k, true) && k.contains(k))",
     {"input": NESTED_MAP}, {"input": 2, "input.@values": 2, "input.@keys": 5}, {}, (2, 34)),
    ("list concat", "(list1 + list2).all(x, true)", {"list1": INT_LIST, "list2": INT_LIST},
     {"list1": 10, "list2": 10}, {}, (4, 64)),
    ("str concat", '"abcdefg".contains(str1 + str2)', {"str1": ce.STRING, "str2": ce.STRING},
     {"str1": 10, "str2": 10}, {}, (2, 6)),
    ("list size comparison", "list1.size() == list2.size()", {"list1": INT_LIST, "list2": INT_LIST}, {}, {}, (5, 5)),
    ("list size from ternary", "x > y ? list1.size() : list2.size()",
     {"x": ce.INT, "y": ce.INT, "list1": INT_LIST, "list2": INT_LIST}, {}, {}, (5, 5)),
    ("str endsWith equality",
     'str1.endsWith("abcdefghijklmnopqrstuvwxyz") == str2.endsWith("abcdefghijklmnopqrstuvwxyz")',
     {"str1": ce.STRING, "str2": ce.STRING}, {}, {}, (9, 9)),
    ("nested subexpression operators", "((5 != 6) == (1 == 2)) == ((3 <= 4) == (9 != 9))", {}, {}, {}, (7, 7)),
    ("str size estimate", "string(timestamp1) == string(timestamp2)",
     {"timestamp1": ce.TIMESTAMP, "timestamp2": ce.TIMESTAMP}, {}, {}, (5, 1844674407370955268)),
    ("timestamp equality check", "timestamp1 == timestamp2", {"timestamp1": ce.TIMESTAMP, "timestamp2": ce.TIMESTAMP},
     {}, {}, (3, 3)),
    ("duration inequality check", "duration1 != duration2", {"duration1": ce.DURATION, "duration2": ce.DURATION},
     {}, {}, (3, 3)),
]


class HintsEstimator:
    """cost_test.go testCostEstimator."""

    def __init__(self, hints):
        self.hints = hints

    def estimate_size(self, node):
        key = ".".join(node.path) if node.path else ""
        return (0, self.hints[key]) if key in self.hints else None

    def estimate_call_cost(self, function, overload_id, target, args):
        if overload_id == "timestamp_to_year":
            return ce.CallEstimate((7, 7))
        return None


@pytest.mark.parametrize("name, expr, decls, hints, options, wanted", CASES, ids=[c[0] for c in CASES])
def test_cost(name, expr, decls, hints, options, wanted):
    env = ce.Env(variables=decls, provider=PROVIDER)
    checked = env.compile(expr)
    assert ce.estimate_cost(checked, HintsEstimator(hints), **options) == wanted
