"""The CRDs' CEL rules (x-kubernetes-validations), evaluated with cel-python.

The API server enforces these; here we prove each rule compiles, admits every example and
refuses the mistakes it exists for. Rules are found by walking the schema alongside the object,
exactly where the API server would evaluate them.
"""
import copy
import pathlib

import celpy
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENV = celpy.Environment()


def crd_schema(name):
    crd = yaml.safe_load((ROOT / "crds" / f"lifeboat.dev_{name}.yaml").read_text())
    return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]


PLAN_SCHEMA = crd_schema("drplans")
EXECUTION_SCHEMA = crd_schema("drexecutions")


def violations(schema, value, old=None, path="<root>"):
    """Every rule that evaluates to false, as (path, message)."""
    found = []
    for rule in schema.get("x-kubernetes-validations", []):
        transition = "oldSelf" in rule["rule"]
        if transition and old is None:
            continue  # transition rules only run on updates
        program = ENV.program(ENV.compile(rule["rule"]))
        activation = {"self": celpy.json_to_cel(value)}
        if transition:
            activation["oldSelf"] = celpy.json_to_cel(old)
        if not bool(program.evaluate(activation)):
            found.append((path, rule["message"]))
    if isinstance(value, dict):
        for key, child in value.items():
            sub = schema.get("properties", {}).get(key)
            if sub is not None:
                old_child = old.get(key) if isinstance(old, dict) else None
                found += violations(sub, child, old_child, f"{path}.{key}")
    elif isinstance(value, list) and "items" in schema:
        for index, child in enumerate(value):
            found += violations(schema["items"], child, None, f"{path}[{index}]")
    return found


def with_defaults(schema, value):
    """Apply CRD defaults the way the API server does before running CEL."""
    if isinstance(value, dict):
        for key, sub in schema.get("properties", {}).items():
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
            if key in value:
                value[key] = with_defaults(sub, value[key])
    elif isinstance(value, list) and "items" in schema:
        value = [with_defaults(schema["items"], v) for v in value]
    return value


def load(path):
    return [d for d in yaml.safe_load_all((ROOT / path).read_text()) if d]


def example_plan():
    return with_defaults(PLAN_SCHEMA, load("examples/payments-plan.yaml")[0])


def test_every_rule_compiles():
    def rules(schema):
        yield from schema.get("x-kubernetes-validations", [])
        for sub in schema.get("properties", {}).values():
            yield from rules(sub)
        if "items" in schema:
            yield from rules(schema["items"])
    all_rules = list(rules(PLAN_SCHEMA)) + list(rules(EXECUTION_SCHEMA))
    assert len(all_rules) == 4
    for rule in all_rules:
        ENV.compile(rule["rule"])


def test_example_plan_passes_every_rule():
    assert violations(PLAN_SCHEMA, example_plan()) == []


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples" / "executions").glob("*.yaml")))
def test_example_executions_pass_and_stay_immutable(name):
    execution = with_defaults(EXECUTION_SCHEMA, load(f"examples/executions/{name}")[0])
    assert violations(EXECUTION_SCHEMA, execution) == []
    assert violations(EXECUTION_SCHEMA, execution, old=copy.deepcopy(execution)) == []
    changed = copy.deepcopy(execution)
    changed["spec"]["mode"] = "Recovery" if changed["spec"]["mode"] == "Drill" else "Drill"
    assert violations(EXECUTION_SCHEMA, changed, old=execution) == [
        ("<root>.spec", "spec is immutable: create a new DRExecution instead")]


def test_same_region_twice_is_refused():
    plan = example_plan()
    plan["spec"]["regions"]["secondary"] = plan["spec"]["regions"]["primary"]
    assert violations(PLAN_SCHEMA, plan) == [
        ("<root>.spec.regions", "primary and secondary must be different regions")]


def test_a_resource_without_any_account_is_refused():
    plan = example_plan()
    del plan["spec"]["accounts"]["default"]
    (path, message), = violations(PLAN_SCHEMA, plan)
    assert path == "<root>.spec"
    assert "every resource needs an account" in message
    for layer in plan["spec"]["layers"]:
        for resource in layer["resources"]:
            resource.setdefault("accountId", "111111111111")
    assert violations(PLAN_SCHEMA, plan) == []


@pytest.mark.parametrize("module,phases,ok", [
    ("AuroraMySQL", ["Instantiate", "Activate", "Cleanup"], True),
    ("AuroraMySQL", ["Replicate"], False),
    ("R53Record", ["Activate"], True),
    ("R53Record", ["Cleanup"], False),
    ("DRS", ["Instantiate"], False),
    ("LambdaFunction", ["Instantiate", "Activate", "Cleanup", "Replicate"], True),
    ("EC2", None, True),
])
def test_phases_must_be_supported_by_the_module(module, phases, ok):
    plan = example_plan()
    resource = plan["spec"]["layers"][0]["resources"][0]
    resource["module"] = module
    resource.pop("phases", None)
    if phases is not None:
        resource["phases"] = phases
    found = violations(PLAN_SCHEMA, plan)
    if ok:
        assert found == []
    else:
        assert found == [("<root>.spec.layers[0].resources[0]",
                          "phases must be ones the module supports (see docs/modules.md)")]
