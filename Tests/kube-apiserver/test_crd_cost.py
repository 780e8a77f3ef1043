"""CEL cost limits on CRDs: the test API server refuses exactly the CRDs a real kube-apiserver v1.28.4
refuses, with the same causes.

The facts are the real server's verdicts in ../shared/reference/crd-cost (DRPlan variants) and
../shared/reference/kube-wire-crd/00-02 (the Gadget CRD). The unit tests of the estimator at the end
check costs worked out by hand from cel-go's rules (checker/cost.go v0.16.1), written beside each.
"""
import copy
import json
import re

import pytest
import yaml

from kube_testenv import ROOT, SHARED, Client, Server, wait_until
from testenv.kube import celcost

CRD_COST = SHARED / "reference" / "crd-cost"
KUBE_WIRE_CRD = SHARED / "reference" / "kube-wire-crd"
GADGET_CRD = SHARED / "tools" / "kube-wire" / "gadget-crd.json"
CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

HINT = ("(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and "
        "strings are declared)")
RESOURCE_RULE = ("spec.validation.openAPIV3Schema.properties[spec].properties[layers].items.properties[resources]"
                 ".items.x-kubernetes-validations[0].rule")


def over_100x(rule_field):
    """The three causes of a rejection by more than 100x (crd-cost/README.md)."""
    return [
        ("FieldValueForbidden", f"Forbidden: estimated rule cost exceeds budget by factor of more than 100x {HINT}",
         rule_field),
        ("FieldValueForbidden",
         "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema",
         rule_field),
        ("FieldValueForbidden", "Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 "
         f"schema exceeds budget by factor of more than 100x {HINT}", "spec.validation.openAPIV3Schema"),
    ]


# crd-cost/README.md: each file's verdict from a real kube-apiserver v1.28.4
DRPLAN_VERDICTS = {
    "drplans-b16e85a.yaml": over_100x(RESOURCE_RULE),
    "drplans-phases4.yaml": [("FieldValueForbidden",
                              f"Forbidden: estimated rule cost exceeds budget by factor of 3.4x {HINT}", RESOURCE_RULE)],
    "drplans-perphase-unbounded.yaml": over_100x(RESOURCE_RULE),
    "drplans-perphase-phases4.yaml": [],
    "drplans-ternary-phases4.yaml": [],
    "drplans-phases4-resources100.yaml": [],
}


@pytest.fixture(scope="module")
def bare():
    """A server of our own without the project's CRDs, so a CRD of the same name is not AlreadyExists."""
    server = Server()
    yield Client(server.port)
    server.stop()


def delete_gadgets(client):
    """Delete the Gadget CRD and wait until it is gone (deletion may finish after the response)."""
    client.delete(f"{CRDS}/gadgets.example.io")
    wait_until(lambda: client.get(f"{CRDS}/gadgets.example.io").status == 404)


def causes_of(response):
    return [(c["reason"], c["message"], c["field"]) for c in response.json["details"]["causes"]]


def assert_verdict(response, name, causes):
    if not causes:
        assert response.status == 201, response
        return
    assert response.status == 422, response
    body = response.json
    texts = [f"{field}: {message}" for _, message, field in causes]
    shown = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    assert body["kind"] == "Status" and body["status"] == "Failure" and body["reason"] == "Invalid"
    assert body["message"] == f'CustomResourceDefinition.apiextensions.k8s.io "{name}" is invalid: {shown}'
    assert {k: body["details"][k] for k in ("name", "group", "kind")} == {
        "name": name, "group": "apiextensions.k8s.io", "kind": "CustomResourceDefinition"}
    assert causes_of(response) == causes


def test_reference_folders_are_there():
    # Fidelity is an acceptance point: missing facts must fail loudly, never skip silently.
    assert CRD_COST.is_dir() and KUBE_WIRE_CRD.is_dir() and GADGET_CRD.is_file(), (
        f"{CRD_COST}, {KUBE_WIRE_CRD} or {GADGET_CRD} not found: run the tests from a checkout with shared/ "
        "beside it, as CI does")
    assert sorted(p.name for p in CRD_COST.glob("*.yaml")) == sorted(DRPLAN_VERDICTS), \
        "a CRD in reference/crd-cost has no verdict here: add it from the README"


@pytest.mark.parametrize("name", sorted(DRPLAN_VERDICTS))
def test_drplan_crd_gets_the_real_servers_verdict(bare, name):
    crd = yaml.safe_load((CRD_COST / name).read_text())
    response = bare.post(f"{CRDS}?dryRun=All", crd)  # kubectl create --dry-run=server, as recorded
    assert_verdict(response, crd["metadata"]["name"], DRPLAN_VERDICTS[name])


# ---- the Gadget CRD of the kube-wire crd suite ----

def gadget(tags_max_items, parts_max_items=100, tag_max_length=16):
    """gadget-crd.json with the limits of transcripts 00 (all unbounded), 01 (tags 128) and 02 (tags 16)."""
    crd = json.loads(GADGET_CRD.read_text())
    parts = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"][
        "groups"]["items"]["properties"]["parts"]
    tags = parts["items"]["properties"]["tags"]
    for node, key, value in ((parts, "maxItems", parts_max_items), (tags, "maxItems", tags_max_items),
                             (tags["items"], "maxLength", tag_max_length)):
        node.pop(key, None)
        if value is not None:
            node[key] = value
    return crd


def transcript(name):
    """(request path, request body, status, response body) of a recorded exchange."""
    text = (KUBE_WIRE_CRD / name).read_text()
    request, response = re.findall(r"```\n(.*?)\n```", text, re.S)[:2]
    path = request.split("\n", 1)[0].split(" ")[1]
    status = int(response.split("\n", 1)[0].split(" ")[1])
    return path, json.loads(request.split("\n\n", 1)[1]), status, json.loads(response.split("\n\n", 1)[1])


@pytest.mark.parametrize("name, variant", [
    ("00-crd-cost-unbounded.md", dict(tags_max_items=None, parts_max_items=None, tag_max_length=None)),
    ("01-crd-cost-modest.md", dict(tags_max_items=128)),
    ("02-crd-create.md", dict(tags_max_items=16)),
])
def test_gadget_crd_gets_the_real_servers_verdict(bare, name, variant):
    path, sent, status, expected = transcript(name)
    crd = gadget(**variant)
    assert crd == sent, "the variant is not what the real server was sent"
    response = bare.post(path, crd)
    try:
        assert response.status == status, response
        if status == 422:
            assert {k: response.json[k] for k in ("kind", "status", "message", "reason", "code")} == \
                {k: expected[k] for k in ("kind", "status", "message", "reason", "code")}
            assert response.json["details"] == expected["details"]
    finally:
        delete_gadgets(bare)


def test_an_update_over_the_limit_is_refused_too(bare):
    created = bare.post(CRDS, gadget(tags_max_items=16))
    assert created.status == 201, created
    try:
        def established():
            got = bare.get(f"{CRDS}/gadgets.example.io").json
            conditions = (got.get("status") or {}).get("conditions") or []
            return got if any(c["type"] == "Established" for c in conditions) else None
        wider = copy.deepcopy(wait_until(established))  # the controllers' status write moves resourceVersion
        wider["spec"] = gadget(tags_max_items=128)["spec"]
        for query in ("?dryRun=All", ""):
            refused = bare.put(f"{CRDS}/gadgets.example.io{query}", wider)
            assert refused.status == 422, refused
            assert [c["message"] for c in refused.json["details"]["causes"]] == [
                f"Forbidden: estimated rule cost exceeds budget by factor of 2.2x {HINT}"]
    finally:
        delete_gadgets(bare)


def test_a_per_version_schema_is_reported_at_its_version(bare):
    """Versions with different schemas are validated one by one (not hoisted to spec.validation)."""
    crd = gadget(tags_max_items=128)
    v1 = crd["spec"]["versions"][0]
    v2 = copy.deepcopy(v1)
    v2.update(name="v2", storage=False)
    v2["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["label"]["maxLength"] = 9
    crd["spec"]["versions"].append(v2)
    response = bare.post(f"{CRDS}?dryRun=All", crd)
    assert response.status == 422, response
    rule = ("schema.openAPIV3Schema.properties[spec].properties[groups].items.properties[parts].items"
            ".x-kubernetes-validations[0].rule")
    assert [c["field"] for c in response.json["details"]["causes"]] == [
        f"spec.versions[0].{rule}", f"spec.versions[1].{rule}"]


# ---- the project's own CRDs ----

@pytest.mark.parametrize("path", sorted((ROOT / "crds").glob("*.yaml")), ids=lambda p: p.name)
def test_project_crds_are_within_the_cost_limits(path):
    documents = [d for d in yaml.safe_load_all(path.read_text()) if d and d.get("kind") == "CustomResourceDefinition"]
    assert documents
    for crd in documents:
        assert celcost.crd_causes(crd["spec"]) == [], f"{path.name}: a real kube-apiserver v1.28.4 refuses it"


def test_both_project_crds_are_checked():
    assert sorted(p.name for p in (ROOT / "crds").glob("*.yaml")) == [
        "lifeboat.dev_drexecutions.yaml", "lifeboat.dev_drplans.yaml"]


# ---- the estimator on small schemas; expected costs worked out by hand ----
# cel-go: an identifier or a select of an object/map field costs 1, a constant 0, a list literal
# 10 + its elements, a function 1 + its arguments unless special. String sizes are maxLength × 4
# (bytes per code point); an unbounded string is 3 MiB - 2 = 3145726; ceil() rounds each product up.

def cost(rule, schema):
    return celcost.estimate(rule, celcost.decl_type(schema))[1]


def obj(**props):
    return {"type": "object", "properties": props}


def string(max_length=None):
    return {"type": "string", **({"maxLength": max_length} if max_length is not None else {})}


def test_string_functions_cost_by_length():
    # contains: ceil(size(self) × 0.1) × ceil(size('abc') × 0.1) = ceil(40 × 0.1) × ceil(3 × 0.1) = 4 × 1,
    # + self 1 = 5
    assert cost("self.contains('abc')", string(10)) == 5
    # matches: ceil((100 + 1) × 0.1) × ceil(len('^[a-z]+$') × 0.25) = 11 × ceil(2.0) = 22, + self 1 = 23
    assert cost("self.matches('^[a-z]+$')", string(25)) == 23
    # startsWith is charged for its argument only: ceil(2 × 0.1) = 1, + self 1 = 2 (even unbounded)
    assert cost("self.startsWith('g-')", string()) == 2
    # ==: the smaller of the two sizes: min(20, 3) → ceil(0.3) = 1, + self 1 = 2
    assert cost("self == 'abc'", string(5)) == 2
    # two unbounded strings: ceil(3145726 × 0.1) = 314573, + self.a 2 + self.b 2 = 314577
    assert cost("self.a == self.b", obj(a=string(), b=string())) == 314577


def test_a_map_is_sized_by_max_properties():
    rule = "self.all(k, self[k] > 0)"
    # range self 1, init 0, result 1; per key: condition @not_strictly_false(__result__) 2 +
    # step __result__ && (self[k] > 0) = 1 + (1 + (1 + self 1 + k 1) + 0) = 5 → 7 per key
    assert cost(rule, {"type": "object", "maxProperties": 8, "additionalProperties": {"type": "integer"}}) == 2 + 7 * 8
    # unbounded: (3 MiB - 2) / (smallest int 1 + 6 for "":, and a comma) = 3145726 // 7 = 449389 keys
    assert cost(rule, {"type": "object", "additionalProperties": {"type": "integer"}}) == 2 + 7 * 449389


def test_a_ternary_costs_its_condition_and_its_dearer_branch():
    schema = obj(a=string(1), b={"type": "array", "maxItems": 3, "items": string()},
                 c={"type": "array", "maxItems": 5, "items": {"type": "integer"}})
    # condition self.a == 'x': min(4, 1) → ceil(0.1) = 1, + 2 + 0 = 3
    # true: self.b.size() < 3 = 1 + (1 + self.b 2) + 0 = 4
    # false: self.c.all(i, i > 0) = 2 + 0 + 1 + 5 × (2 + (1 + (1 + 1 + 0))) = 28
    # 3 + max(4, 28) = 31
    assert cost("self.a == 'x' ? self.b.size() < 3 : self.c.all(i, i > 0)", schema) == 31


def test_nested_comprehensions_multiply():
    schema = obj(l={"type": "array", "maxItems": 3, "items": {"type": "integer"}},
                 m={"type": "array", "maxItems": 4, "items": {"type": "integer"}})
    # inner exists: range 2 + init 0 + result 1 + 4 × (condition !__result__ 3 + step
    #   __result__ || (x == y) = 1 + (0 + 1 + 1)) = 3 + 4 × 6 = 27; x == y costs 0 itself: a schema
    #   integer's size is 0 in the CRD estimator, so min(0, 0) × 0.1 = 0
    # outer all: 2 + 0 + 1 + 3 × (2 + (1 + 27)) = 93
    assert cost("self.l.all(x, self.m.exists(y, x == y))", schema) == 93


def test_in_a_list_literal_is_linear_and_in_a_map_constant():
    # 'a' in ['a', 'b', 'c']: size 3 × 1 + (0 + 10 + 0 + 0 + 0) = 13
    assert cost("'a' in ['a', 'b', 'c']", obj()) == 13
    # 'a' in {'a': 1, 'b': 2}: O(1): 1 + 0 + (30 + 0 × 4) = 31
    assert cost("'a' in {'a': 1, 'b': 2}", obj()) == 31


def test_cardinality_multiplies_along_lists_and_unbounded_falls_back_to_request_size():
    item = {"type": "object", "required": ["name"], "properties": {"name": string(16)},
            "x-kubernetes-validations": [{"rule": "self.name.contains('abc')"}]}
    # rule: ceil(64 × 0.1) × ceil(0.3) + self.name 2 = 7 × 1 + 2 = 9
    bounded = obj(outer={"type": "array", "maxItems": 2000, "items": {
        "type": "object", "properties": {"inner": {"type": "array", "maxItems": 1000, "items": item}}}})
    # 9 × 2000 × 1000 = 18,000,000 → 1.8x
    assert celcost.schema_causes(bounded, "X") == [
        ("X.properties[outer].items.properties[inner].items.x-kubernetes-validations[0].rule",
         f"estimated rule cost exceeds budget by factor of 1.8x {HINT}")]
    # unbounded: 3 MiB / (smallest item {"name":""} = 2 + len(name) 4 + "" 2 + 4 = 12, + 1) = 241979 items,
    # 9 × 241979 = 2,177,811: within the limit
    assert celcost.schema_causes(obj(list={"type": "array", "items": item}), "X") == []


def test_the_total_names_the_rules_of_at_least_one_percent():
    def rule(text):
        return [{"rule": text}]
    schema = obj(
        list={"type": "array", "maxItems": 100000, "items": {**string(5000), "x-kubernetes-validations": rule(
            "self.contains('keyword')")}},
        map={"type": "object", "maxProperties": 1000, "additionalProperties": {
            **string(5000), "x-kubernetes-validations": rule("self.contains('keyword')")}},
        field={"type": "integer", "x-kubernetes-validations": rule("self > 50 && self < 100")})
    # contains: ceil(20000 × 0.1) × ceil(0.7) + 1 = 2001; list 2001 × 100000 = 200,100,000 (20.0x);
    # map 2001 × 1000 = 2,001,000 (≥ 1% of the total limit); field (1 + 1) + (1 + 1) = 4;
    # total 202,101,004 → 2.0x
    p = "X.properties"
    assert celcost.schema_causes(schema, "X") == [
        (f"{p}[list].items.x-kubernetes-validations[0].rule", f"estimated rule cost exceeds budget by factor of 20.0x {HINT}"),
        (f"{p}[list].items.x-kubernetes-validations[0].rule",
         "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"),
        (f"{p}[map].additionalProperties.x-kubernetes-validations[0].rule",
         "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"),
        ("X", "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by "
              f"factor of 2.0x {HINT}")]


def test_factor_wording():
    # Go's %f below 1.5x (never "1.0x"), %.1f up to 100x, then "more than 100x"
    assert "factor of 1.101006x " in celcost.cost_error_message("c", 11_010_060, 10_000_000)
    assert "factor of 1.5x " in celcost.cost_error_message("c", 15_000_000, 10_000_000)
    assert "factor of 100.0x " in celcost.cost_error_message("c", 1_000_000_000, 10_000_000)
    assert "factor of more than 100x " in celcost.cost_error_message("c", 1_000_000_001, 10_000_000)


def test_a_rule_that_does_not_compile_is_refused_and_costs_nothing():
    # validation.go reports CompilationResult.Error as field.Invalid(rule path, the rule, detail); the
    # detail is cel-go's Issues.String(): the location, the message, the line and a caret under the column
    schema = obj(list={"type": "array", "items": {**obj(), "x-kubernetes-validations": [{"rule": "self.nope.all(x, x)"}]}})
    assert celcost.schema_causes(schema, "X") == [(
        "X.properties[list].items.x-kubernetes-validations[0].rule",
        "compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope.all(x, x)\n | ....^")]


# ---- rules the real server refuses to compile, through the API ----
# The expected texts follow apiextensions-apiserver v0.28.4 validation.go (field.Invalid at the rule, the
# internal apiextensions.ValidationRule printed with %#v, then CompilationResult.Error's detail) and
# cel-go v0.16.1's error display (checker/errors.go messages, common/error.go location and caret).

def gadget_with_code_rule(rule):
    crd = gadget(tags_max_items=16)
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["code"][
        "x-kubernetes-validations"] = [rule]
    return crd


CODE_RULE = "spec.validation.openAPIV3Schema.properties[spec].properties[code].x-kubernetes-validations[0]"


def rule_value(rule, message=""):
    return (f'apiextensions.ValidationRule{{Rule:"{rule}", Message:"{message}", MessageExpression:"", '
            'Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:""}')


@pytest.mark.parametrize("rule, detail", [
    ("self.size() > 1 && self.startsWith(prefix)", "compilation failed: ERROR: <input>:1:36: undeclared reference "
     "to 'prefix' (in container '')\\n | self.size() > 1 && self.startsWith(prefix)\\n | "
     "...................................^"),
    ("self == 1", "compilation failed: ERROR: <input>:1:6: found no matching overload for '_==_' applied to "
     "'(string, int)'\\n | self == 1\\n | .....^"),
    ("self.startsWith('g-') &&", "compilation failed: ERROR: <input>:1:25: Syntax error: mismatched input '<EOF>' "
     "expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, "
     "IDENTIFIER}\\n | self.startsWith('g-') &&\\n | ........................^"),
    ("size(self)", "cel expression must evaluate to a bool"),
], ids=["undeclared", "no matching overload", "syntax", "not a bool"])
def test_a_rule_that_does_not_compile_is_refused(bare, rule, detail):
    crd = gadget_with_code_rule({"rule": rule, "message": "m"})
    response = bare.post(f"{CRDS}?dryRun=All", crd)
    expected = detail.replace("\\n", "\n")
    assert_verdict(response, "gadgets.example.io", [
        ("FieldValueInvalid", f"Invalid value: {rule_value(rule, 'm')}: {expected}", f"{CODE_RULE}.rule")])


def test_an_invalid_message_expression_is_refused(bare):
    rule = {"rule": "self.startsWith('g-')", "messageExpression": "self.size()"}
    response = bare.post(f"{CRDS}?dryRun=All", gadget_with_code_rule(rule))
    value = ('apiextensions.ValidationRule{Rule:"self.startsWith(\'g-\')", Message:"", '
             'MessageExpression:"self.size()", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:""}')
    assert_verdict(response, "gadgets.example.io", [
        ("FieldValueInvalid", f"Invalid value: {value}: messageExpression must evaluate to a string",
         f"{CODE_RULE}.messageExpression")])


def test_old_self_under_a_list_that_is_not_a_map_list_is_refused(bare):
    crd = gadget(tags_max_items=16)
    tags = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["groups"][
        "items"]["properties"]["parts"]["items"]["properties"]["tags"]
    tags["items"]["x-kubernetes-validations"] = [{"rule": "self == oldSelf", "message": "immutable"}]
    response = bare.post(f"{CRDS}?dryRun=All", crd)
    groups = "spec.validation.openAPIV3Schema.properties[spec].properties[groups]"
    assert_verdict(response, "gadgets.example.io", [(
        "FieldValueInvalid", 'Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion '
        f"of the schema within {groups}",
        f"{groups}.items.properties[parts].items.properties[tags].items.x-kubernetes-validations[0].rule")])


def test_an_update_may_keep_a_rule_only_the_stored_environment_compiles():
    """Cross-type numeric comparisons are in the 1.28 environment of stored expressions, not in the one
    new expressions compile in (compatibility version 1.27): kept on update, refused when new."""
    rule = {"rule": "self.size > 1.5"}
    spec = gadget(tags_max_items=16)["spec"]
    spec["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["x-kubernetes-validations"] = [rule]
    causes = celcost.crd_causes(spec)
    assert len(causes) == 1 and "found no matching overload for '_>_' applied to '(int, double)'" in causes[0][1]
    assert celcost.crd_causes(spec, old_spec=spec) == []
