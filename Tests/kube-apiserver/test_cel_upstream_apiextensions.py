"""The CRD side of the CEL estimate checked against Kubernetes' own unit tests (an oracle independent of
this server): every expected number and verdict below is transcribed from k8s.io/apiextensions-apiserver
at tag v0.28.4 (what kube-apiserver v1.28.4 vendors), never computed by our code. The Go schemas
(schema.Structural / apiextensions.JSONSchemaProps) are written as the JSON a CRD would carry.

Sources (github.com/kubernetes/apiextensions-apiserver, tag v0.28.4):
- pkg/apiserver/schema/cel/compilation_test.go: TestCostEstimation (with its generators genArrayWithRule,
  genMapWithRule, …) and TestCelCompilation;
- pkg/apis/apiextensions/validation/validation_test.go: TestValidateCustomResourceDefinitionValidation (its
  x-kubernetes-validations cases that run with requireStructuralSchema, as every v1 CRD does, plus the
  rule-level checks that run without it), TestCostInfo and TestPerCRDEstimatedCost.
"""
import pytest

from testenv.kube import celcost

MAX_UINT64 = 2 ** 64 - 1
MAX_INT64 = 2 ** 63 - 1


# ---- the generators of compilation_test.go, as JSON schemas ----

def rules(*texts):
    return [{"rule": t} for t in texts]


def parse_rule_type(rule_type):
    """parseRuleType: duration/date/date-time are formats of string; int-or-string has no type."""
    if rule_type in ("duration", "date", "date-time"):
        return {"type": "string", "format": rule_type}
    if rule_type == "int-or-string":
        return {"x-kubernetes-int-or-string": True}
    return {"type": rule_type}


def with_max(schema, key, value):
    return {**schema, key: value} if value is not None else schema


def gen_array_with_rule(array_type, rule):
    return lambda m: with_max({"type": "array", "items": parse_rule_type(array_type),
                               "x-kubernetes-validations": rules(rule)}, "maxItems", m)


def gen_array_of_arrays_with_rule(array_type, rule):
    return lambda m: with_max({"type": "array", "items": {"type": "array", "items": {"type": array_type}},
                               "x-kubernetes-validations": rules(rule)}, "maxItems", m)


def object_for_map():
    """genObjectForMap (also the items of genObjectArrayWithRule)."""
    return {"type": "object", "required": ["required"],
            "properties": {"required": {"type": "string"}, "optional": {"type": "string"}}}


def gen_object_array_with_rule(rule):
    return lambda m: with_max({"type": "array", "items": object_for_map(), "x-kubernetes-validations": rules(rule)},
                              "maxItems", m)


def get_map_array_with_rule(map_type, rule):
    return lambda m: with_max({"type": "array", "items": {"type": "object", "additionalProperties": {"type": map_type}},
                               "x-kubernetes-validations": rules(rule)}, "maxItems", m)


def gen_map_with_rule(map_type, rule):
    return lambda m: with_max({"type": "object", "additionalProperties": parse_rule_type(map_type),
                               "x-kubernetes-validations": rules(rule)}, "maxProperties", m)


def gen_string_with_rule(rule):
    return lambda m: with_max({"type": "string", "x-kubernetes-validations": rules(rule)}, "maxLength", m)


def gen_bytes_with_rule(rule):
    return lambda m: with_max({"type": "string", "format": "byte", "x-kubernetes-validations": rules(rule)},
                              "maxLength", m)


def gen_nested_spec_with_rule(rule):
    return lambda m: with_max({"type": "object", "additionalProperties": with_max({"type": "string"}, "maxLength", m),
                               "x-kubernetes-validations": rules(rule)}, "maxProperties", m)


def gen_all_max_nested_spec_with_root_rule(rule):
    def gen(m):
        inner = with_max(object_for_map(), "maxProperties", m)
        items = with_max({"type": "object", "additionalProperties": inner}, "maxProperties", m)
        return with_max({"type": "array", "items": items, "x-kubernetes-validations": rules(rule)}, "maxItems", m)
    return gen


def gen_one_max_nested_spec_with_root_rule(rule):
    def gen(m):
        items = with_max({"type": "object", "additionalProperties": object_for_map()}, "maxProperties", m)
        return {"type": "array", "items": items, "x-kubernetes-validations": rules(rule)}
    return gen


def gen_map_with_custom_item_rule(item, rule):
    return lambda m: with_max({"type": "object", "additionalProperties": item, "x-kubernetes-validations": rules(rule)},
                              "maxProperties", m)


ARRAY_FOR_MAP = {"type": "array", "items": {"type": "number"}}  # genArrayForMap
MAP_FOR_MAP = {"type": "object", "additionalProperties": {"type": "number"}}  # genMapForMap


def string_array_rule(rule):
    """The inline generators of the join and isSorted cases: an atomic list of strings, both bounded by max."""
    return lambda m: with_max({"type": "array", "x-kubernetes-list-type": "atomic",
                               "items": with_max({"type": "string"}, "maxLength", m),
                               "x-kubernetes-validations": rules(rule)}, "maxItems", m)


def replace_rule(m):
    return {"type": "object", "properties": {
        "str": with_max({"type": "string"}, "maxLength", m),
        "before": {"type": "string", "maxLength": 2}, "after": {"type": "string", "maxLength": 4}},
        "x-kubernetes-validations": rules("self.str.replace(self.before, self.after) == 'does not matter'")}


def split_rule(m):
    string = with_max({"type": "string"}, "maxLength", m)
    return {"type": "object", "properties": {"str": string, "separator": string},
            "x-kubernetes-validations": rules("self.str.split(self.separator) == []")}


def lower_ascii_rule(m):
    return with_max({"type": "string", "x-kubernetes-validations": rules("self.lowerAscii() == 'lower!'")},
                    "maxLength", m)


# compilation_test.go TestCostEstimation:
# (name, schemaGenerator, setMaxElements, expectedCalcCost, expectCalcCostExceedsLimit, expectedSetCost)
COST_LIMIT = 100000000
COST_ESTIMATION = [
    ("number array with all", gen_array_with_rule("number", "self.all(x, true)"), 10, 4718591, 0, 32),
    ("string array with all", gen_array_with_rule("string", "self.all(x, true)"), 20, 3145727, 0, 62),
    ("boolean array with all", gen_array_with_rule("boolean", "self.all(x, true)"), 5, 1887437, 0, 17),
    ("array of number arrays with all", gen_array_of_arrays_with_rule("number", "self.all(x, true)"), 100, 3145727, 0, 302),
    ("array of objects with all", gen_object_array_with_rule("self.all(x, true)"), 50, 555128, 0, 152),
    ("map of numbers with all", gen_map_with_rule("number", "self.all(x, true)"), 10, 1348169, 0, 32),
    ("map of numbers with has", gen_map_with_rule("number", "has(self.x)"), 100, 0, 0, 0),
    ("map of strings with all", gen_map_with_rule("string", "self.all(x, true)"), 3, 1179647, 0, 11),
    ("map of strings with has", gen_map_with_rule("string", "has(self.x)"), 550, 0, 0, 0),
    ("map of booleans with all", gen_map_with_rule("boolean", "self.all(x, true)"), 100, 943718, 0, 302),
    ("map of booleans with has", gen_map_with_rule("boolean", "has(self.x)"), 1024, 0, 0, 0),
    ("string with contains", gen_string_with_rule("self.contains('test')"), 10, 314574, 0, 5),
    ("string with startsWith", gen_string_with_rule("self.startsWith('test')"), 15, 2, 0, 2),
    ("string with endsWith", gen_string_with_rule("self.endsWith('test')"), 30, 2, 0, 2),
    ("concat string", gen_string_with_rule('size(self + "hello") > size("hello")'), 4, 314578, 0, 7),
    ("index of array with numbers", gen_array_with_rule("number", "self[1] == 0.0"), 5000, 2, 0, 2),
    ("index of array with strings", gen_array_with_rule("string", "self[1] == self[1]"), 8, 314577, 0, 314577),
    ("O(n^2) loop with numbers", gen_array_with_rule("number", "self.all(x, self.all(y, true))"), 10, 0, COST_LIMIT, 352),
    ("O(n^3) loop with numbers", gen_array_with_rule("number", "self.all(x, self.all(y, self.all(z, true)))"), 10, 0,
     COST_LIMIT, 3552),
    ("regex matches simple", gen_string_with_rule('self.matches("x")'), 50, 314574, 0, 22),
    ("regex matches empty string", gen_string_with_rule('"".matches("(((((((((())))))))))[0-9]")'), 10, 7, 0, 7),
    ("regex matches empty regex", gen_string_with_rule('self.matches("")'), 100, 1, 0, 1),
    ("map of strings with value length", gen_nested_spec_with_rule("self.all(x, x.contains(self[x]))"), 10, 2752507, 0,
     72),
    ("set array maxLength to zero", gen_array_with_rule("number", "self[3] == 0.0"), 0, 2, 0, 2),
    ("set map maxLength to zero", gen_map_with_rule("number", 'self["x"] == 0.0'), 0, 2, 0, 2),
    ("set string maxLength to zero", gen_string_with_rule('self == "x"'), 0, 2, 0, 1),
    ("set bytes maxLength to zero", gen_bytes_with_rule('self == b"x"'), 0, 2, 0, 1),
    ("set maxLength greater than estimated maxLength", gen_array_with_rule("number", "self.all(x, x == 0.0)"),
     3 * 1024 * 2048, 6291454, 0, 25165826),
    ("nested types with root rule with all supporting maxLength",
     gen_all_max_nested_spec_with_root_rule('self.all(x, x["y"].required == "z")'), 10, 7340027, 0, 72),
    ("nested types with root rule with one supporting maxLength",
     gen_one_max_nested_spec_with_root_rule('self.all(x, x["y"].required == "z")'), 10, 7340027, 0, 7340027),
    ("int-or-string array with all", gen_array_with_rule("int-or-string", "self.all(x, true)"), 10, 4718591, 0, 32),
    ("index of array with int-or-strings", gen_array_with_rule("int-or-string", "self[0] == 5"), 10, 3, 0, 3),
    ("index of array with booleans", gen_array_with_rule("boolean", "self[0] == false"), 25, 2, 0, 2),
    ("index of array of objects", gen_object_array_with_rule("self[0] == null"), 422, 2, 0, 2),
    ("index of array of array of numnbers", gen_array_of_arrays_with_rule("number", "self[0][0] == -1.0"), 51, 3, 0, 3),
    ("array of number maps with all", get_map_array_with_rule("number", "self.all(x, x.y == 25.2)"), 12, 6291452, 0, 74),
    ("index of array of number maps", get_map_array_with_rule("number", "self[0].x > 2.0"), 3000, 4, 0, 4),
    ("duration array with all", gen_array_with_rule("duration", "self.all(x, true)"), 5, 2359295, 0, 17),
    ("index of duration array", gen_array_with_rule("duration", "self[0].getHours() == 2"), 525, 4, 0, 4),
    ("date array with all", gen_array_with_rule("date", "self.all(x, true)"), 15, 725936, 0, 47),
    ("index of date array", gen_array_with_rule("date", "self[2].getDayOfMonth() == 13"), 42, 4, 0, 4),
    ("date-time array with all", gen_array_with_rule("date-time", "self.all(x, true)"), 25, 428963, 0, 77),
    ("index of date-time array", gen_array_with_rule("date-time", "self[2].getMinutes() == 45"), 99, 4, 0, 4),
    ("map of int-or-strings with all", gen_map_with_rule("int-or-string", "self.all(x, true)"), 15, 1348169, 0, 47),
    ("map of int-or-strings with has", gen_map_with_rule("int-or-string", "has(self.x)"), 5000, 0, 0, 0),
    ("map of objects with all", gen_map_with_custom_item_rule(object_for_map(), "self.all(x, true)"), 20, 428963, 0, 62),
    ("map of objects with has", gen_map_with_custom_item_rule(object_for_map(), "has(self.x)"), 9001, 0, 0, 0),
    ("map of number maps with all", gen_map_with_custom_item_rule(MAP_FOR_MAP, "self.all(x, true)"), 10, 1179647, 0,
     32),
    ("map of number maps with has", gen_map_with_custom_item_rule(MAP_FOR_MAP, "has(self.x)"), 101, 0, 0, 0),
    ("map of number arrays with all", gen_map_with_custom_item_rule(ARRAY_FOR_MAP, "self.all(x, true)"), 25, 1179647,
     0, 77),
    ("map of number arrays with has", gen_map_with_custom_item_rule(ARRAY_FOR_MAP, "has(self.x)"), 40000, 0, 0, 0),
    ("map of durations with all", gen_map_with_rule("duration", "self.all(x, true)"), 5, 1048577, 0, 17),
    ("map of durations with has", gen_map_with_rule("duration", "has(self.x)"), 256, 0, 0, 0),
    ("map of dates with all", gen_map_with_rule("date", "self.all(x, true)"), 10, 524288, 0, 32),
    ("map of dates with has", gen_map_with_rule("date", "has(self.x)"), 65536, 0, 0, 0),
    ("map of date-times with all", gen_map_with_rule("date-time", "self.all(x, true)"), 25, 349526, 0, 77),
    ("map of date-times with has", gen_map_with_rule("date-time", "has(self.x)"), 490, 0, 0, 0),
    ("extended library regex find", gen_string_with_rule("self.find('[0-9]+') == ''"), 10, 629147, 0, 11),
    ("extended library join", string_array_rule("self.join(' ') == 'aa bb'"), 10, 329853068905, 0, 43),
    ("extended library isSorted", string_array_rule("self.isSorted() == true"), 10, 329854432052, 0, 52),
    ("extended library replace", replace_rule, 4, 629154, 0, 12),
    ("extended library split", split_rule, 10, 629160, 0, 22),
    ("extended library lowerAscii", lower_ascii_rule, 10, 314575, 0, 6),
    ("check cost of size call", gen_map_with_rule("integer", "oldSelf.size() == self.size()"), 10, 5, 0, 5),
    ("check cost of timestamp comparison", gen_map_with_rule("date-time", 'self["a"] == self["b"]'), 7, 8, 0, 8),
    ("check cost of duration comparison", gen_map_with_rule("duration", 'self["c"] == self["d"]'), 42, 8, 0, 8),
]


def compile_only_rule(schema):
    """Compile(schema, SchemaDeclType(schema, false), …, NewExpressionsEnvLoader()) of a schema with one rule."""
    results = celcost.compile_rules(schema, celcost.decl_type(schema))
    assert len(results) == 1
    return results[0]


def schema_checker(schema, expected_cost, expected_exceeds):
    """compilation_test.go schemaChecker: no compile error; the cost is checked only when expected > 0."""
    result = compile_only_rule(schema)
    assert result.error is None, result.error
    if expected_cost > 0:
        assert result.max_cost == expected_cost
    if expected_exceeds > 0:
        assert result.max_cost >= expected_exceeds


@pytest.mark.parametrize("name, gen, set_max, calc, calc_exceeds, set_cost", COST_ESTIMATION,
                         ids=[c[0] for c in COST_ESTIMATION])
def test_cost_estimation_calc_max_length(name, gen, set_max, calc, calc_exceeds, set_cost):
    schema_checker(gen(None), calc, calc_exceeds)


@pytest.mark.parametrize("name, gen, set_max, calc, calc_exceeds, set_cost", COST_ESTIMATION,
                         ids=[c[0] for c in COST_ESTIMATION])
def test_cost_estimation_set_max_length(name, gen, set_max, calc, calc_exceeds, set_cost):
    schema_checker(gen(set_max), set_cost, 0)


# ---- compilation_test.go TestCelCompilation ----
# (name, schema, [expected result per rule]); an expectation is None (no error), ("invalid", substring)
# (an Invalid error containing it), ("messageExpression", substring) or ("transition", bool) (no error, and
# whether the rule is a transition rule). Left out: "unmodified expression may use CEL environment features
# planned to be added in future releases" (it needs the test-only fakeFunction library).

def obj(props=None, **extra):
    return {"type": "object", **({"properties": props} if props is not None else {}), **extra}


def with_rules(schema, *rule_list):
    return {**schema, "x-kubernetes-validations": [r if isinstance(r, dict) else {"rule": r} for r in rule_list]}


INT64 = {"type": "integer", "format": "int64"}
NESTED_STRING_LISTS = {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
CEL_COMPILATION = [
    ("valid object", with_rules(obj({"minReplicas": {"type": "integer"}, "maxReplicas": {"type": "integer"}}),
                                "self.minReplicas < self.maxReplicas"), [None]),
    ("valid for string", with_rules({"type": "string"}, "self.startsWith('s')"), [None]),
    ("valid for byte", with_rules({"type": "string", "format": "byte"}, "string(self).endsWith('s')"), [None]),
    ("valid for boolean", with_rules({"type": "boolean"}, "self == true"), [None]),
    ("valid for integer", with_rules({"type": "integer"}, "self > 0"), [None]),
    ("valid for number", with_rules({"type": "number"}, "self > 1.0"), [None]),
    ("valid nested object of object", with_rules(obj({"nestedObj": obj({"val": INT64})}), "self.nestedObj.val == 10"),
     [None]),
    ("valid nested object of array", with_rules(obj({"nestedObj": NESTED_STRING_LISTS}),
                                                "size(self.nestedObj[0]) == 10"), [None]),
    ("valid nested array of array", with_rules({"type": "array", "items": NESTED_STRING_LISTS},
                                               "size(self[0][0]) == 10"), [None]),
    ("valid nested array of object", with_rules({"type": "array", "items": obj({"nestedObj": obj({"val": INT64})})},
                                                "self[0].nestedObj.val == 10"), [None]),
    ("valid map", with_rules({"type": "object", "additionalProperties": {"type": "boolean"}}, "size(self) > 0"), [None]),
    ("invalid checking for number", with_rules({"type": "number"}, "size(self) == 10"),
     [("invalid", "compilation failed")]),
    ("compilation failure", with_rules({"type": "integer"}, "size(self) == 10"), [("invalid", "compilation failed")]),
    ("valid for escaping", with_rules(obj({"namespace": NESTED_STRING_LISTS, "if": {"type": "integer"},
                                           "self": {"type": "integer"}}),
                                      "size(self.__namespace__[0]) == 10", "self.__if__ == 10", "self.self == 10"),
     [None, None, None]),
    ("invalid for escaping", with_rules(obj({"namespace": NESTED_STRING_LISTS, "if": {"type": "integer"},
                                             "self": {"type": "integer"}}),
                                        "size(self.namespace[0]) == 10", "self.if == 10", "self == 10"),
     [("invalid", "undefined field 'namespace'"), ("invalid", "undefined field 'if'"),
      ("invalid", "found no matching overload")]),
    ("transition rule identified", with_rules({"type": "integer"}, "self > 0", "self >= oldSelf"),
     [("transition", False), ("transition", True)]),
    ("whitespace-only rule", with_rules(obj(), " \t"), [None]),
    ("expression must evaluate to bool", with_rules(obj(), "42"), [("invalid", "must evaluate to a bool")]),
    ("messageExpression inclusion", with_rules({"type": "string"}, {
        "rule": "self.startsWith('s')", "messageExpression": "\"scoped field should start with 's'\""}), [None]),
    ("messageExpression must evaluate to a string", with_rules({"type": "integer"}, {
        "rule": "self == 5", "messageExpression": "42"}), [("messageExpression", "must evaluate to a string")]),
    ("messageExpression syntax error", with_rules({"type": "number"}, {
        "rule": "self < 32.0", "messageExpression": '"abc'}),
     [("messageExpression", "messageExpression compilation failed")]),
    ("modified expressions may not use CEL environment features planned to be added in future releases",
     with_rules(obj(), "fakeFunction('abc') == 'ABC'"), [("invalid", "undeclared reference to 'fakeFunction'")]),
]


@pytest.mark.parametrize("name, schema, expected", CEL_COMPILATION, ids=[c[0] for c in CEL_COMPILATION])
def test_cel_compilation(name, schema, expected):
    results = celcost.compile_rules(schema, celcost.decl_type(schema))
    assert len(results) == len(expected)
    for result, want in zip(results, expected):
        if want is None:
            assert result.error is None, result.error
        elif want[0] == "invalid":
            assert result.error is not None and result.error[0] == "Invalid" and want[1] in result.error[1], result.error
        elif want[0] == "messageExpression":
            error = result.message_expression_error
            assert error is not None and error[0] == "Invalid" and want[1] in error[1], error
        else:
            assert result.error is None and result.transition_rule is want[1]


# ---- validation_test.go TestValidateCustomResourceDefinitionValidation ----
# (name, openAPIV3Schema, expected (type, field) of every error, matched as a multiset the way the Go test
# does). Left out: cases about other schema validation (types, list/map extensions, defaults, structural
# schema errors), which this server does not implement, and the cases run without requireStructuralSchema
# that involve CEL (without it the Go test runs no CEL at all, which never happens to a v1 CRD).

ROOT = "spec.validation.openAPIV3Schema"


def invalid(path):
    return ("FieldValueInvalid", path)


def forbidden(path):
    return ("FieldValueForbidden", path)


def required(path):
    return ("FieldValueRequired", path)


def string(max_length=None):
    return with_max({"type": "string"}, "maxLength", max_length)


TRANSITION = "self == oldSelf"
CRD_VALIDATION = [
    ("valid x-kubernetes-validations for scalar element",
     obj({"subRoot": with_rules(string(), "self.startsWith('s')", "self.endsWith('s')")}), []),
    ("valid x-kubernetes-validations for object",
     with_rules(obj({"minReplicas": {"type": "integer"}, "maxReplicas": {"type": "integer"}}),
                "self.minReplicas <= self.maxReplicas"), []),
    ("invalid x-kubernetes-validations with empty rule",
     {"type": "object", "x-kubernetes-validations": [{"message": "empty rule"}]},
     [required(f"{ROOT}.x-kubernetes-validations[0].rule")]),
    ("valid x-kubernetes-validations with empty validators", {"type": "object", "x-kubernetes-validations": []}, []),
    ("invalid rule in x-kubernetes-validations",
     obj({"subRoot": with_rules(string(), "self == true", "self.endsWith('s')")}),
     [invalid(f"{ROOT}.properties[subRoot].x-kubernetes-validations[0].rule")]),
    ("valid x-kubernetes-validations for nested object under multiple fields",
     with_rules(obj({"minReplicas": {"type": "integer"}, "maxReplicas": {"type": "integer"},
                     "subRule": with_rules(obj({"isTest": {"type": "boolean"}}), "self.isTest == true")}),
                "self.minReplicas <= self.maxReplicas"), []),
    ("valid x-kubernetes-validations for object of array",
     with_rules(obj({"nestedObj": NESTED_STRING_LISTS}), "size(self.nestedObj[0]) == 10"), []),
    ("valid x-kubernetes-validations for array",
     obj(items=with_rules({"type": "array", "items": {"type": "string"}}, "size(self) > 0")), []),
    ("valid x-kubernetes-validations for array of object",
     obj(items=with_rules({"type": "array", "items": obj({"nestedObj": obj({"val": {"type": "integer"}})})},
                          "self[0].nestedObj.val > 0")), []),
    ("valid x-kubernetes-validations for escaping",
     with_rules(obj({"if": {"type": "integer"}, "namespace": {"type": "integer"}, "self": {"type": "integer"},
                     "int": {"type": "integer"}}),
                "self.__if__ > 0", "self.__namespace__ > 0", "self.self > 0", "self.int > 0"), []),
    ("invalid x-kubernetes-validations for escaping",
     with_rules(obj({"if": {"type": "integer"}, "namespace": {"type": "integer"}}),
                "self.if > 0", "self.namespace > 0", "self.unknownProp > 0"),
     [invalid(f"{ROOT}.x-kubernetes-validations[0].rule"), invalid(f"{ROOT}.x-kubernetes-validations[1].rule"),
      invalid(f"{ROOT}.x-kubernetes-validations[2].rule")]),
    ("rule is empty or not specified",
     obj({"value": {"type": "integer", "x-kubernetes-validations": [
         {"message": "something"}, {"rule": "   ", "message": "something"}]}}),
     [required(f"{ROOT}.properties[value].x-kubernetes-validations[0].rule"),
      required(f"{ROOT}.properties[value].x-kubernetes-validations[1].rule")]),
    ("multiline rule with message",
     obj({"value": {"type": "integer", "x-kubernetes-validations": [
         {"rule": "self >= 0 &&\nself <= 100", "message": "value must be between 0 and 100 (inclusive)"}]}}), []),
    ("invalid and required messages",
     obj({"value": {"type": "integer", "x-kubernetes-validations": [
         {"rule": "self >= 0 &&\nself <= 100"},
         {"rule": "self == 50", "message": "value requirements:\nmust be >= 0\nmust be <= 100 "},
         {"rule": "self == 50", "message": " "}]}}),
     [required(f"{ROOT}.properties[value].x-kubernetes-validations[0].message"),
      invalid(f"{ROOT}.properties[value].x-kubernetes-validations[1].message"),
      invalid(f"{ROOT}.properties[value].x-kubernetes-validations[2].message")]),
    ("forbid transition rule on element of list of type atomic",
     obj({"value": {"type": "array", "x-kubernetes-list-type": "atomic",
                    "items": with_rules(string(10), TRANSITION)}}),
     [invalid(f"{ROOT}.properties[value].items.x-kubernetes-validations[0].rule")]),
    ("forbid transition rule on element of list defaulting to type atomic",
     obj({"value": {"type": "array", "items": with_rules(string(10), TRANSITION)}}),
     [invalid(f"{ROOT}.properties[value].items.x-kubernetes-validations[0].rule")]),
    ("allow transition rule on list of type atomic",
     obj({"value": with_rules({"type": "array", "maxItems": 10, "x-kubernetes-list-type": "atomic",
                               "items": {"type": "string"}}, TRANSITION)}), []),
    ("forbid transition rule on element of list of type set",
     obj({"value": {"type": "array", "maxItems": 10, "x-kubernetes-list-type": "set",
                    "items": with_rules(string(10), TRANSITION)}}),
     [invalid(f"{ROOT}.properties[value].items.x-kubernetes-validations[0].rule")]),
    ("allow transition rule on list of type set",
     obj({"value": with_rules({"type": "array", "maxItems": 10, "x-kubernetes-list-type": "set",
                               "items": string(10)}, TRANSITION)}), []),
    ("allow transition rule on element of list of type map",
     obj({"value": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                    "items": with_rules(obj({"name": string(5)}, required=["name"]), TRANSITION)}}), []),
    ("allow transition rule on list of type map",
     obj({"value": with_rules({"type": "array", "maxItems": 10, "x-kubernetes-list-type": "map",
                               "x-kubernetes-list-map-keys": ["name"],
                               "items": obj({"name": string(5)}, required=["name"])}, TRANSITION)}), []),
    ("allow transition rule on element of map of type granular",
     obj({"value": obj({"subfield": with_rules(string(10), TRANSITION)}, **{"x-kubernetes-map-type": "granular"})}),
     []),
    # (its other expected error, NotSupported at properties[value].x-kubernetes-map-type, is schema
    # validation this server leaves out; only the CEL one is checked)
    ("forbid transition rule on element of map of unrecognized type",
     obj({"value": obj({"subfield": with_rules(string(10), TRANSITION)}, **{"x-kubernetes-map-type": "future"})}),
     [invalid(f"{ROOT}.properties[value].properties[subfield].x-kubernetes-validations[0].rule")]),
    ("allow transition rule on element of map defaulting to type granular",
     obj({"value": obj({"subfield": with_rules(string(10), TRANSITION)})}), []),
    ("allow transition rule on map of type granular",
     obj({"value": with_rules(obj(**{"x-kubernetes-map-type": "granular"}), TRANSITION)}), []),
    ("allow transition rule on map defaulting to type granular", obj({"value": with_rules(obj(), TRANSITION)}), []),
    ("allow transition rule on element of map of type atomic",
     obj({"value": obj({"subfield": with_rules(obj(), TRANSITION)}, **{"x-kubernetes-map-type": "atomic"})}), []),
    ("allow transition rule on map of type atomic",
     obj({"value": with_rules(obj(**{"x-kubernetes-map-type": "atomic"}), TRANSITION)}), []),
    ("forbid double-nested rule with no limit set",
     obj({"value": with_rules({"type": "array", "items": {"type": "object", "additionalProperties": obj(
         {"key": {"type": "string"}}, required=["key"])}}, "self.all(x, x.all(y, x[y].key == x[y].key))")}),
     [forbidden(f"{ROOT}.properties[value].x-kubernetes-validations[0].rule"),
      forbidden(f"{ROOT}.properties[value].x-kubernetes-validations[0].rule"), forbidden(ROOT)]),
    ("forbid double-nested rule with one limit set",
     obj({"value": with_rules({"type": "array", "items": {"type": "object", "additionalProperties": obj(
         {"key": string(10)}, required=["key"])}}, "self.all(x, x.all(y, x[y].key == x[y].key))")}),
     [forbidden(f"{ROOT}.properties[value].x-kubernetes-validations[0].rule"),
      forbidden(f"{ROOT}.properties[value].x-kubernetes-validations[0].rule"), forbidden(ROOT)]),
    ("allow double-nested rule with three limits set",
     obj({"value": with_rules({"type": "array", "maxItems": 10, "items": {
         "type": "object", "maxProperties": 10, "additionalProperties": obj({"key": string(10)}, required=["key"])}},
         "self.all(x, x.all(y, x[y].key == x[y].key))")}), []),
    ("allow double-nested rule with one limit set on outermost array",
     obj({"value": with_rules({"type": "array", "maxItems": 4, "items": {"type": "object", "additionalProperties": obj(
         {"key": {"type": "number"}}, required=["key"])}}, "self.all(x, x.all(y, x[y].key == x[y].key))")}), []),
    ("check for cardinality of 1 under root object",
     obj({"value": with_rules({"type": "integer"}, "self < 1024")}), []),
    ("forbid validation rules where cost total exceeds total limit",
     obj({"list": {"type": "array", "maxItems": 100000, "items": with_rules(string(5000), "self.contains('keyword')")},
          "map": {"type": "object", "maxProperties": 1000,
                  "additionalProperties": with_rules(string(5000), "self.contains('keyword')")},
          "field": with_rules({"type": "integer"}, "self > 50 && self < 100")}),
     [forbidden(f"{ROOT}.properties[list].items.x-kubernetes-validations[0].rule"),
      forbidden(f"{ROOT}.properties[list].items.x-kubernetes-validations[0].rule"),
      forbidden(f"{ROOT}.properties[map].additionalProperties.x-kubernetes-validations[0].rule"), forbidden(ROOT)]),
    ("x-kubernetes-validations rule validated for escaped property name",
     with_rules(obj({"f/2": {"type": "string"}}), "self.f__slash__2 == 1"),
     [invalid(f"{ROOT}.x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under array items",
     obj({"a": {"type": "array", "items": with_rules({"type": "string"}, "self == 1")}}),
     [invalid(f"{ROOT}.properties[a].items.x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under array items, parent has rule",
     obj({"a": with_rules({"type": "array", "items": with_rules({"type": "string"}, "self == 1")}, "1 == 1")}),
     [invalid(f"{ROOT}.properties[a].items.x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under additionalProperties",
     obj({"a": {"type": "object", "additionalProperties": with_rules({"type": "string"}, "self == 1")}}),
     [invalid(f"{ROOT}.properties[a].additionalProperties.x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under additionalProperties, parent has rule",
     obj({"a": with_rules({"type": "object", "additionalProperties": with_rules({"type": "string"}, "self == 1")},
                          "1 == 1")}),
     [invalid(f"{ROOT}.properties[a].additionalProperties.x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under unescaped property name",
     obj({"f": with_rules({"type": "string"}, "self == 1")}),
     [invalid(f"{ROOT}.properties[f].x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under unescaped property name, parent has rule",
     with_rules(obj({"f": with_rules({"type": "string"}, "self == 1")}), "1 == 1"),
     [invalid(f"{ROOT}.properties[f].x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under escaped property name",
     obj({"f/2": with_rules({"type": "string"}, "self == 1")}),
     [invalid(f"{ROOT}.properties[f/2].x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under escaped property name, parent has rule",
     with_rules(obj({"f/2": with_rules({"type": "string"}, "self == 1")}), "1 == 1"),
     [invalid(f"{ROOT}.properties[f/2].x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under unescapable property name",
     obj({"f@2": with_rules({"type": "string"}, "self == 1")}),
     [invalid(f"{ROOT}.properties[f@2].x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule validated under unescapable property name, parent has rule",
     with_rules(obj({"f@2": with_rules({"type": "string"}, "self == 1")}), "1 == 1"),
     [invalid(f"{ROOT}.properties[f@2].x-kubernetes-validations[0].rule")]),
    ("x-kubernetes-validations rule with messageExpression",
     obj({"f": with_rules({"type": "string"}, {"rule": 'self == "string value"',
                                               "messageExpression": 'self + " should be \\"string value\\""'})}), []),
    ("x-kubernetes-validations rule allows both message and messageExpression",
     obj({"f": with_rules({"type": "string"}, {"rule": 'self == "string value"',
                                               "message": 'string should be set to "string value"',
                                               "messageExpression": 'self + " should be \\"string value\\""'})}), []),
    ("x-kubernetes-validations rule invalidated by messageExpression syntax error",
     obj({"f": with_rules({"type": "string"}, {"rule": 'self == "string value"', "messageExpression": 'self + " '})}),
     [invalid(f"{ROOT}.properties[f].x-kubernetes-validations[0].messageExpression")]),
    ("x-kubernetes-validations rule invalidated by messageExpression not returning a string",
     obj({"f": with_rules({"type": "string"}, {"rule": 'self == "string value"', "messageExpression": "256"})}),
     [invalid(f"{ROOT}.properties[f].x-kubernetes-validations[0].messageExpression")]),
    ("x-kubernetes-validations rule invalidated by messageExpression exceeding per-expression estimated cost limit",
     obj({"f": with_rules({"type": "array", "items": {"type": "string"}}, {
         "rule": "true",
         "messageExpression": "self[0] + self[1] + self[2] + self[3] + self[4] + self[5] + self[6] + self[7]"})}),
     [forbidden(f"{ROOT}.properties[f].x-kubernetes-validations[0].messageExpression")]),
    ("x-kubernetes-validations rule with lowerAscii check should be within estimated cost limit",
     obj({"f": with_rules({"type": "array", "maxItems": 5, "items": string(5)},
                          "self.all(x, self.exists_one(y, x.lowerAscii() == y.lowerAscii()))")}), []),
    ("x-kubernetes-validations rule invalidated by messageExpression exceeding per-CRD estimated cost limit",
     obj({"f": with_rules({"type": "array", "items": {"type": "string"}}, {
         "rule": "true", "messageExpression": "string(self[0]) + string(self[1]) + string(self[2])"})}),
     [forbidden(ROOT), forbidden(f"{ROOT}.properties[f].x-kubernetes-validations[0].messageExpression"),
      forbidden(f"{ROOT}.properties[f].x-kubernetes-validations[0].messageExpression")]),
    ("x-kubernetes-validations rule invalidated by messageExpression being only empty spaces",
     obj({"f": with_rules({"type": "string"}, {"rule": 'self == "string value"', "messageExpression": "     "})}),
     [required(f"{ROOT}.properties[f].x-kubernetes-validations[0].messageExpression")]),
]


@pytest.mark.parametrize("name, schema, expected", CRD_VALIDATION, ids=[c[0] for c in CRD_VALIDATION])
def test_validate_custom_resource_definition_validation(name, schema, expected):
    got = [(e.reason, e.field) for e in celcost.schema_errors(schema, ROOT)]
    assert sorted(got) == sorted(expected)


# ---- validation_test.go TestCostInfo: the cardinality of a leaf under a chain of schemas ----

def array(max_items=None):
    return with_max({"type": "array", "items": {"type": "string"}}, "maxItems", max_items)  # genArraySchema


def map_schema(max_properties=None):
    return with_max({"type": "object", "additionalProperties": {"type": "string"}}, "maxProperties", max_properties)


GEN_OBJECT = {"type": "object", "properties": {"field": {"type": "string"}}}  # genObjectSchema
COST_INFO = [
    ("object", [GEN_OBJECT], 1),
    ("array", [array(5)], 5),
    ("unbounded array", [array()], None),
    ("map", [map_schema(10)], 10),
    ("unbounded map", [map_schema()], None),
    ("array inside map", [map_schema(5), array(5)], 25),
    ("unbounded array inside bounded map", [map_schema(5), array()], None),
    ("object inside array", [array(3), GEN_OBJECT], 3),
    ("map inside object inside array", [array(2), GEN_OBJECT, map_schema(4)], 8),
    ("integer overflow bounds check", [array(2 ** 63 - 1), array(100)], MAX_UINT64),
]


@pytest.mark.parametrize("name, chain, expected", COST_INFO, ids=[c[0] for c in COST_INFO])
def test_cost_info(name, chain, expected):
    context = celcost.Context(chain[0])
    for schema in chain[1:] + [{"type": "string"}]:  # a leaf appended, as the Go test does
        context = celcost.Context(schema, context)
    assert context.cardinality == expected


# ---- validation_test.go TestPerCRDEstimatedCost ----
PER_CRD_COST = [
    ("no costs", [], [], 0),
    ("one cost", [1000000], [1000000], 1000000),
    ("one cost, ignored", [900000], [], 900000),
    ("2 costs", [5000000, 25000000], [25000000, 5000000], 30000000),
    ("3 costs, one ignored", [5000000, 25000000, 900000], [25000000, 5000000], 30900000),
    ("4 costs", [16000000, 50000000, 34000000, 50000000], [50000000, 50000000, 34000000, 16000000], 150000000),
    ("5 costs, one trimmed, one ignored", [16000000, 50000000, 900000, 34000000, 50000000, 50000001],
     [50000001, 50000000, 50000000, 34000000], 200900001),
    ("costs do not overflow", [MAX_UINT64 // 2, MAX_UINT64 // 2, 1, 10, 100, 1000], [MAX_UINT64 // 2, MAX_UINT64 // 2],
     MAX_UINT64),
]


@pytest.mark.parametrize("name, costs, expensive, total", PER_CRD_COST, ids=[c[0] for c in PER_CRD_COST])
def test_per_crd_estimated_cost(name, costs, expensive, total):
    crd_cost = celcost.TotalCost()
    for cost in costs:
        crd_cost.observe(None, cost)
    assert [cost for _, cost in crd_cost.most_expensive] == expensive
    assert crd_cost.total == total
