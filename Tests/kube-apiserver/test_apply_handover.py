"""Server-side apply after client-side apply, as kube-apiserver 1.28 does it: `kubectl apply --server-side`
(field manager `kubectl`) may change fields kubectl-client-side-apply owns where the
last-applied-configuration annotation still matches the live object, and the annotation follows what it
applies; other conflicts stay 409, and their messages carry no time.
Facts from ../shared/reference/kube-wire-crd (11-14)."""
import json

from kube_testenv import WIDGETS

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def client_side_create(kube, name, spec):
    """POST as `kubectl apply` does for a new object: its configuration in the annotation."""
    config = {"apiVersion": "example.io/v1", "kind": "Widget",
              "metadata": {"annotations": {}, "name": name, "namespace": "default"}, "spec": spec}
    body = json.loads(json.dumps(config))
    body["metadata"]["annotations"] = {LAST_APPLIED: json.dumps(config, separators=(",", ":"), sort_keys=True) + "\n"}
    created = kube.post(f"{WIDGETS}?fieldManager=kubectl-client-side-apply", body)
    assert created.status == 201, created
    return created


def server_side_apply(kube, name, spec, manager="kubectl"):
    config = json.dumps({"apiVersion": "example.io/v1", "kind": "Widget",
                         "metadata": {"name": name, "namespace": "default"}, "spec": spec})
    return kube.patch(f"{WIDGETS}/{name}?fieldManager={manager}&force=false", config, ctype="application/apply-patch+yaml")


def owners(response):
    return {(m["manager"], m["operation"]): m["fieldsV1"] for m in response.json["metadata"]["managedFields"]}


def test_kubectl_takes_over_fields_the_client_side_configuration_still_holds(kube):
    client_side_create(kube, "w", {"size": 1, "color": "red"})
    applied = server_side_apply(kube, "w", {"size": 2, "color": "red"})
    assert applied.status == 200, applied
    assert applied.json["spec"] == {"size": 2, "color": "red"} and applied.json["metadata"]["generation"] == 2
    assert owners(applied) == {
        ("kubectl", "Apply"): {"f:spec": {"f:color": {}, "f:size": {}}},
        ("kubectl-client-side-apply", "Update"): {
            "f:metadata": {"f:annotations": {".": {}, f"f:{LAST_APPLIED}": {}}},
            "f:spec": {".": {}, "f:color": {}}}}
    assert applied.json["metadata"]["annotations"] == {LAST_APPLIED: (
        '{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w","namespace":"default"},'
        '"spec":{"color":"red","size":2}}\n')}


def test_only_fields_whose_live_value_left_the_configuration_still_conflict(kube):
    client_side_create(kube, "w", {"size": 1, "color": "red"})
    assert kube.patch(f"{WIDGETS}/w?fieldManager=editor", {"spec": {"color": "blue"}}).status == 200
    refused = server_side_apply(kube, "w", {"size": 2, "color": "red"})
    # spec.size is forgiven (live 1 = last-applied 1); spec.color is the editor's now and is reported.
    assert refused.status == 409
    assert refused.json["message"] == 'Apply failed with 1 conflict: conflict with "editor" using example.io/v1: .spec.color'
    assert refused.json["details"]["causes"] == [{"reason": "FieldManagerConflict", "field": ".spec.color",
                                                  "message": 'conflict with "editor" using example.io/v1'}]
    assert kube.get(f"{WIDGETS}/w").json["spec"] == {"size": 1, "color": "blue"}


def test_other_field_managers_get_no_hand_over(kube):
    client_side_create(kube, "w", {"size": 1})
    refused = server_side_apply(kube, "w", {"size": 2}, manager="lifeboat")
    assert refused.status == 409
    assert refused.json["message"] == ('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" '
                                       'using example.io/v1: .spec.size')
    shared = server_side_apply(kube, "w", {"size": 1}, manager="lifeboat")  # no change: the annotation stays
    assert shared.status == 200 and LAST_APPLIED in shared.json["metadata"]["annotations"]
    assert '"annotations":{}' in shared.json["metadata"]["annotations"][LAST_APPLIED]


def test_without_the_annotation_kubectl_conflicts_like_anyone(kube):
    created = {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 1}}
    assert kube.post(f"{WIDGETS}?fieldManager=kubectl-create", created).status == 201
    refused = server_side_apply(kube, "w", {"size": 2})
    assert refused.status == 409
    assert refused.json["message"] == 'Apply failed with 1 conflict: conflict with "kubectl-create" using example.io/v1: .spec.size'


def test_a_status_updater_is_named_with_its_subresource(kube):
    assert kube.post(WIDGETS, {"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w"},
                               "spec": {"size": 1}}).status == 201
    assert kube.patch(f"{WIDGETS}/w/status?fieldManager=reporter", {"status": {"state": "Up"}}).status == 200
    config = json.dumps({"apiVersion": "example.io/v1", "kind": "Widget", "metadata": {"name": "w"},
                         "status": {"state": "Down"}})
    refused = kube.patch(f"{WIDGETS}/w/status?fieldManager=other", config, ctype="application/apply-patch+yaml")
    assert refused.status == 409
    assert refused.json["message"] == ('Apply failed with 1 conflict: conflict with "reporter" with subresource "status" '
                                       'using example.io/v1: .status.state')
