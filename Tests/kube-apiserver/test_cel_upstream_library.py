"""Kubernetes' CEL library cost estimates (celestimate.K8sCostEstimator) checked against Kubernetes' own
unit tests: every expression and expected estimated cost range below is transcribed from
k8s.io/apiserver tag v0.28.4, pkg/cel/library/cost_test.go (TestListsCost, TestIndexOfCost, TestURLsCost,
TestStringLibrary, TestAuthzLibrary: their expectedEstimatedCost, not the runtime costs; TestSize: the
result sizes of replace()).

Their environment: cel.NewEnv(ext.Strings(), URLs(), Regex(), Lists(), Authz()) plus the variable
`authorizer`, estimated with library.CostEstimator over testCostEstimator, which sizes every string and
bytes value it is asked about at 0..12 and knows nothing else.
"""
import pytest

from testenv.kube import celestimate as ce

INT_LIST = "[1, 2, 3, 4, 5]"
UINT_LIST = "[uint(1), uint(2), uint(3), uint(4), uint(5)]"
DOUBLE_LIST = "[1.0, 2.0, 3.0, 4.0, 5.0]"
BOOL_LIST = "[false, true, false, true, false]"
STRING_LIST = "['012345678901', '012345678901', '012345678901', '012345678901', '012345678901']"
BYTES_LIST = ("[bytes('012345678901'), bytes('012345678901'), bytes('012345678901'), bytes('012345678901'), "
              "bytes('012345678901')]")
DURATION_LIST = "[duration('1s'), duration('2s'), duration('3s'), duration('4s'), duration('5s')]"
TIMESTAMP_LIST = ("[timestamp('2011-01-01T00:00:00.000+01:00'), timestamp('2011-01-02T00:00:00.000+01:00'), "
                  "timestamp('2011-01-03T00:00:00.000+01:00'), timestamp('2011-01-04T00:00:00.000+01:00'), "
                  "timestamp('2011-01-05T00:00:00.000+01:00')]")
STRING_LITERAL = "'01234567890123456789012345678901234567890123456789'"


class TestSizeEstimator:
    """cost_test.go testCostEstimator: strings and bytes are 0..12, nothing else is known."""
    __test__ = False

    def estimate_size(self, node):
        if node.type in (ce.STRING, ce.BYTES):
            return (0, 12)
        return None

    def estimate_call_cost(self, function, overload_id, target, args):
        return None


def estimated(expr):
    env = ce.Env(variables={"authorizer": ce.AUTHORIZER_TYPE},
                 libraries=("strings", "urls", "regex", "lists", "authz"))
    return ce.estimate_cost(env.compile(expr), ce.K8sCostEstimator(TestSizeEstimator()))


# TestListsCost
LISTS = [(literal + op, cost) for ops, costs in [
    ([".sum()"], [(INT_LIST, (15, 15)), (UINT_LIST, (20, 20)), (DOUBLE_LIST, (15, 15)), (DURATION_LIST, (20, 20))]),
    ([".isSorted()", ".max()", ".min()"], [
        (INT_LIST, (15, 15)), (UINT_LIST, (20, 20)), (DOUBLE_LIST, (15, 15)), (BOOL_LIST, (15, 15)),
        (STRING_LIST, (15, 25)), (BYTES_LIST, (25, 35)), (DURATION_LIST, (20, 20)), (TIMESTAMP_LIST, (20, 20))]),
] for op in ops for literal, cost in costs]

# TestIndexOfCost
INDEX_OF = [(literal + op % param, cost) for op in (".indexOf(%s)", ".lastIndexOf(%s)") for literal, param, cost in [
    (INT_LIST, "3", (15, 15)), (UINT_LIST, "uint(3)", (21, 21)), (DOUBLE_LIST, "3.0", (15, 15)),
    (BOOL_LIST, "true", (15, 15)), (STRING_LIST, "'x'", (15, 25)), (BYTES_LIST, "bytes('x')", (26, 36)),
    (DURATION_LIST, "duration('3s')", (21, 21)),
    (TIMESTAMP_LIST, "timestamp('2011-01-03T00:00:00.000+01:00')", (21, 21)),
    (STRING_LITERAL, "'123'", (5, 5))]]

# TestURLsCost
URLS = [("url('https:://kubernetes.io/')" + op, (4, 4)) for op in
        (".getScheme()", ".getHostname()", ".getHost()", ".getPort()", ".getEscapedPath()", ".getQuery()")]

# TestStringLibrary
STRINGS = [
    ("'ABCDEFGHIJ abcdefghij'.lowerAscii()", (3, 3)),
    ("'ABCDEFGHIJ abcdefghij'.lowerAscii() == 'abcdefghij ABCDEFGHIJ'.lowerAscii()", (7, 9)),
    ("'ABCDEFGHIJ abcdefghij'.upperAscii()", (3, 3)),
    ("'ABCDEFGHIJ abcdefghij'.upperAscii() == 'abcdefghij ABCDEFGHIJ'.upperAscii()", (7, 9)),
    ("strings.quote('ABCDEFGHIJ abcdefghij')", (3, 3)),
    ("strings.quote('ABCDEFGHIJ abcdefghij') == strings.quote('ABCDEFGHIJ abcdefghij')", (7, 11)),
    ("'abc 123 def 123'.replace('123', '456')", (3, 3)),
    ("'abc 123 def 123'.replace('', 'x')", (3, 3)),
    ("'abc 123 def 123'.replace('123', '')", (3, 3)),
    ("'abc 123 def 123'.replace('123', '456', 1)", (3, 3)),
    ("'abc 123 def 123'.split(' ')", (3, 3)),
    ("'abc 123 def 123'.split(' ', 1)", (3, 3)),
    ("'abc 123 def 123'.substring(5)", (2, 2)),
    ("'abc 123 def 123'.substring(5, 8)", (2, 2)),
    ("'  abc 123 def 123  '.trim()", (2, 2)),
    ("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')", (11, 23)),
    ("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join()", (10, 22)),
    ("'abc 123 def 123'.find('123')", (2, 2)),
    ("'abc 123 def 123'.findAll('123')", (2, 2)),
    ("'abc 123 def 123'.findAll('123', 1)", (2, 2)),
]

# TestAuthzLibrary
RESOURCE = "authorizer.group('apps').resource('deployments').subresource('status').namespace('test').name('backend')"
AUTHZ = [
    ("authorizer.path('/healthz')", (2, 2)),
    (RESOURCE, (6, 6)),
    ("authorizer.path('/healthz').check('get').allowed()", (350003, 350003)),
    (RESOURCE + ".check('create').allowed()", (350007, 350007)),
    (RESOURCE + ".check('create').errored()", (350007, 350007)),
    (RESOURCE + ".check('create').error()", (350007, 350007)),
]


@pytest.mark.parametrize("expr, wanted", LISTS + INDEX_OF + URLS + STRINGS + AUTHZ)
def test_library_estimated_cost(expr, wanted):
    assert estimated(expr) == wanted


# TestSize: EstimateCallCost("replace", …) on nodes whose sizes are given: (target, args, expected size)
def exact(n):
    return (n, n)


SIZES = [
    ("replace empty with char", exact(3), [exact(0), exact(1)], exact(7)),
    ("maybe replace char with empty", exact(3), [exact(1), exact(0)], (0, 3)),
    ("maybe replace repeated", exact(4), [exact(2), exact(4)], (4, 8)),
    ("maybe replace empty", exact(4), [(0, 1), (0, 2)], (0, 14)),
    ("replace non-empty size range, maybe larger", exact(4), [(1, 1), (1, 2)], (4, 8)),
    ("replace non-empty size range, maybe smaller", exact(4), [(1, 2), (1, 1)], (2, 4)),
]


@pytest.mark.parametrize("name, target, args, expected", SIZES, ids=[c[0] for c in SIZES])
def test_size(name, target, args, expected):
    estimator = ce.K8sCostEstimator(TestSizeEstimator())
    result = estimator.estimate_call_cost("replace", "", ce.AstNode(None, None, None, target),
                                          [ce.AstNode(None, None, None, a) for a in args])
    assert result.result_size == expected
