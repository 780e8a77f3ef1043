"""What a custom resource's 422 reports when several checks fail, as kube-apiserver 1.28 decides it: a
Required, TypeInvalid, TooLong or TooMany schema error keeps the CEL rules from running (one `<nil>` cause
says so), an enum error does not; a write to /status is checked against the status schema alone; the
namespace of a create is checked before any of it. Facts from ../shared/reference/kube-wire-crd (04-10, 15)."""
import pytest

from kube_testenv import wait_until

GIZMOS = "/apis/example.io/v1/namespaces/default/gizmos"
# A neutral CRD with one of each kind of schema bound and a CEL rule that fails on create.
GIZMO_CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "gizmos.example.io"},
    "spec": {"group": "example.io", "scope": "Namespaced",
             "names": {"kind": "Gizmo", "listKind": "GizmoList", "plural": "gizmos", "singular": "gizmo"},
             "versions": [{"name": "v1", "served": True, "storage": True, "subresources": {"status": {}},
                           "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                               "spec": {"type": "object", "required": ["size"], "properties": {
                                   "size": {"type": "integer", "minimum": 0},
                                   "mode": {"type": "string", "enum": ["fast", "slow"]},
                                   "label": {"type": "string", "maxLength": 4},
                                   "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
                                   "code": {"type": "string", "x-kubernetes-validations": [
                                       {"rule": "self.startsWith('g-')", "message": "code must start with g-"}]}}},
                               "status": {"type": "object", "properties": {
                                   "phase": {"type": "string", "enum": ["Pending", "Ready"]}}}}}}}]}}

NOT_CHECKED = ("<nil>", "FieldValueInvalid", 'Invalid value: "null": some validation rules were not checked because '
               "the object was invalid; correct the existing errors to complete validation")
CEL_FAILED = ("spec.code", "FieldValueInvalid", 'Invalid value: "string": code must start with g-')


@pytest.fixture
def gizmos(kube):
    assert kube.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", GIZMO_CRD).status == 201
    wait_until(lambda: kube.get(GIZMOS).status == 200)
    return kube


def gizmo(name, **spec):
    return {"apiVersion": "example.io/v1", "kind": "Gizmo", "metadata": {"name": name}, "spec": spec}


def causes(response):
    assert response.status == 422, response
    return sorted((c["field"], c["reason"], c["message"]) for c in response.json["details"]["causes"])


@pytest.mark.parametrize("spec, schema_cause", [
    ({"code": "x"}, ("spec.size", "FieldValueRequired", "Required value")),
    ({"size": "three", "code": "x"},
     ("spec.size", "FieldValueTypeInvalid", 'Invalid value: "string": spec.size in body must be of type integer: "string"')),
    ({"size": 1, "label": "toolong", "code": "x"}, ("spec.label", "FieldValueTooLong", "Too long: may not be longer than 4")),
    ({"size": 1, "tags": ["a", "b", "c"], "code": "x"}, ("spec.tags", "FieldValueTooMany", "Too many: 3: must have at most 2 items")),
], ids=["required", "type", "too-long", "too-many"])
def test_a_blocking_schema_error_replaces_the_cel_results(gizmos, spec, schema_cause):
    assert causes(gizmos.post(GIZMOS, gizmo("g", **spec))) == sorted([schema_cause, NOT_CHECKED])


def test_enum_and_bound_errors_do_not_block_the_rules(gizmos):
    response = gizmos.post(GIZMOS, gizmo("g", size=-1, mode="medium", code="x"))
    assert causes(response) == sorted([
        ("spec.mode", "FieldValueNotSupported", 'Unsupported value: "medium": supported values: "fast", "slow"'),
        ("spec.size", "FieldValueInvalid", "Invalid value: -1: spec.size in body should be greater than or equal to 0"),
        CEL_FAILED])


def test_updates_are_blocked_the_same_way(gizmos):
    assert gizmos.post(GIZMOS, gizmo("g", size=1, code="g-1")).status == 201
    response = gizmos.patch(f"{GIZMOS}/g", {"spec": {"label": "toolong", "code": "x"}})
    assert causes(response) == sorted([("spec.label", "FieldValueTooLong", "Too long: may not be longer than 4"),
                                       NOT_CHECKED])


def test_a_status_write_reports_paths_relative_to_status(gizmos):
    assert gizmos.post(GIZMOS, gizmo("g", size=1, code="g-1")).status == 201
    response = gizmos.patch(f"{GIZMOS}/g/status", {"status": {"phase": "Exploded"}})
    assert causes(response) == [
        ("phase", "FieldValueNotSupported", 'Unsupported value: "Exploded": supported values: "Pending", "Ready"')]
    assert response.json["message"] == ('Gizmo.example.io "g" is invalid: phase: Unsupported value: "Exploded": '
                                        'supported values: "Pending", "Ready"')
    assert gizmos.patch(f"{GIZMOS}/g/status", {"status": {"phase": "Ready"}}).status == 200


def test_a_missing_namespace_comes_before_validation(gizmos):
    response = gizmos.post("/apis/example.io/v1/namespaces/nowhere/gizmos", gizmo("g", size=-1, mode="medium", code="x"))
    assert response.status == 404
    assert response.json["message"] == 'namespaces "nowhere" not found'
    assert response.json["details"] == {"name": "nowhere", "kind": "namespaces"}
