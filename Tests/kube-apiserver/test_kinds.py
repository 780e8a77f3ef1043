"""The kinds Lifeboat uses: its own CRDs (schema defaults, patterns, CEL rules), Leases, Events in both
API groups, Namespaces, and CRDs themselves (served at once, their objects removed with them)."""
import yaml

from kube_testenv import ROOT, WIDGETS, wait_until, widget

PLANS = "/apis/lifeboat.dev/v1alpha1/namespaces/default/drplans"
EXECUTIONS = "/apis/lifeboat.dev/v1alpha1/namespaces/default/drexecutions"
LEASES = "/apis/coordination.k8s.io/v1/namespaces/default/leases"
EVENTS_V1 = "/apis/events.k8s.io/v1/namespaces/default/events"
CORE_EVENTS = "/api/v1/namespaces/default/events"


def example(path):
    document = yaml.safe_load((ROOT / path).read_text())
    document["metadata"]["namespace"] = "default"
    return document


def causes(response):
    return [(c["field"], c["reason"], c["message"]) for c in response.json["details"]["causes"]]


def test_the_example_plan_is_accepted_and_defaulted(kube):
    plan = example("examples/payments-plan.yaml")
    del plan["spec"]["approvals"]
    created = kube.post(PLANS, plan)
    assert created.status == 201, created
    spec = created.json["spec"]
    assert spec["approvals"] == {"drills": "Required", "phases": ["Activate", "Cleanup", "Replicate"]}
    assert spec["layers"][0]["pauseBefore"] is False and spec["layers"][0]["resources"][0]["onError"] == "Fail"


def test_plan_schema_and_cel_rules_give_the_real_422s(kube):
    plan = example("examples/payments-plan.yaml")
    plan["spec"]["regions"]["secondary"] = "us-east-1"
    same = kube.post(PLANS, plan)
    assert same.status == 422
    assert causes(same) == [("spec.regions", "FieldValueInvalid",
                             'Invalid value: "object": primary and secondary must be different regions')]
    plan = example("examples/payments-plan.yaml")
    plan["spec"]["regions"]["primary"] = "US-EAST"
    plan["spec"]["layers"][2]["resources"][0]["phases"] = ["Replicate"]
    bad = kube.post(PLANS, plan)
    assert causes(bad) == [
        ("spec.regions.primary", "FieldValueInvalid",
         "Invalid value: \"US-EAST\": spec.regions.primary in body should match '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$'"),
        ("spec.layers[2].resources[0]", "FieldValueInvalid",
         'Invalid value: "object": phases must be ones the module supports (see docs/modules.md)')]
    plan = example("examples/payments-plan.yaml")
    del plan["spec"]["accounts"]["default"]
    missing = kube.post(PLANS, plan)
    assert ("spec", "FieldValueInvalid") in [c[:2] for c in causes(missing)]


def test_execution_spec_is_immutable(kube):
    execution = example("examples/executions/activate-recovery.yaml")
    assert kube.post(EXECUTIONS, execution).status == 201
    name = execution["metadata"]["name"]
    changed = kube.patch(f"{EXECUTIONS}/{name}", {"spec": {"mode": "Drill"}})
    assert changed.status == 422
    assert causes(changed)[0][:2] == ("spec", "FieldValueInvalid")


def test_lease_micro_times_and_optimistic_updates(kube):
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": "leader"},
             "spec": {"holderIdentity": "a", "leaseDurationSeconds": 15, "renewTime": "2026-11-21T10:00:00Z"}}
    coarse = kube.post(LEASES, lease)
    assert coarse.status == 400 and "cannot parse" in coarse.json["message"]
    lease["spec"]["renewTime"] = "2026-11-21T10:00:00.123456+01:00"
    created = kube.post(LEASES, lease)
    assert created.status == 201 and created.json["spec"]["renewTime"] == "2026-11-21T09:00:00.123456Z"
    assert list(created.json) == ["kind", "apiVersion", "metadata", "spec"]
    current = created.json
    current["spec"]["holderIdentity"] = "b"
    assert kube.put(f"{LEASES}/leader", current).status == 200
    assert kube.put(f"{LEASES}/leader", current).status == 409  # the same resourceVersion again
    del current["metadata"]["resourceVersion"]
    assert kube.put(f"{LEASES}/leader", current).status == 422
    lease["metadata"]["name"] = "bad"
    lease["spec"]["leaseDurationSeconds"] = 0
    assert causes(kube.post(LEASES, lease))[0][0] == "spec.leaseDurationSeconds"


def test_events_in_both_groups_share_storage_and_selectors(kube):
    event = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"generateName": "plan-"},
             "eventTime": "2026-11-21T10:00:00.000000Z", "reportingController": "lifeboat.dev/operator",
             "reportingInstance": "op-1", "action": "Reconcile", "reason": "Started", "type": "Normal",
             "note": "started", "regarding": {"apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRPlan",
                                              "name": "payments", "namespace": "default"}}
    created = kube.post(EVENTS_V1, event)
    assert created.status == 201
    name = created.json["metadata"]["name"]
    core = kube.get(f"{CORE_EVENTS}/{name}").json
    assert (core["message"], core["reportingComponent"], core["involvedObject"]["name"]) == (
        "started", "lifeboat.dev/operator", "payments")
    selected = kube.get(f"{CORE_EVENTS}?fieldSelector=involvedObject.name%3Dpayments,involvedObject.kind%3DDRPlan")
    assert [e["metadata"]["name"] for e in selected.json["items"]] == [name]
    assert kube.get(f"{EVENTS_V1}?fieldSelector=regarding.name%3Dother").json["items"] == []
    series = kube.patch(f"{EVENTS_V1}/{name}", {"series": {"count": 2, "lastObservedTime": "2026-11-21T10:01:00.000000Z"}})
    assert series.status == 200 and series.json["series"]["count"] == 2
    assert kube.patch(f"{EVENTS_V1}/{name}", {"note": "edited"}).status == 422  # immutable in events.k8s.io/v1
    incomplete = dict(event, metadata={"name": "x"})
    del incomplete["reportingController"]
    assert ("reportingController", "FieldValueRequired", "Required value") in causes(kube.post(EVENTS_V1, incomplete))


def test_deleting_a_namespace_empties_it_then_removes_it(kube):
    kube.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "gone"}})
    path = "/apis/example.io/v1/namespaces/gone/widgets"
    kube.post(path, widget("plain"))
    kube.post(path, {**widget("held"), "metadata": {"name": "held", "finalizers": ["example.io/hold"]}})
    terminating = kube.delete("/api/v1/namespaces/gone")
    assert terminating.status == 200 and terminating.json["status"]["phase"] == "Terminating"
    assert kube.get(f"{path}/plain").status == 404
    assert kube.get(f"{path}/held").json["metadata"]["deletionTimestamp"]
    refused = kube.post(path, widget("late"))
    assert (refused.status, refused.json["reason"]) == (403, "Forbidden")
    kube.patch(f"{path}/held", {"metadata": {"finalizers": None}})
    assert kube.get("/api/v1/namespaces/gone").status == 404


def test_a_crd_is_served_established_and_its_objects_go_with_it(kube):
    crd = kube.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.io").json
    conditions = {c["type"]: c["status"] for c in crd["status"]["conditions"]}
    assert conditions == {"NamesAccepted": "True", "Established": "True"}
    kube.post(WIDGETS, widget("a"))
    deleted = kube.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.io")
    assert deleted.status == 200
    wait_until(lambda: kube.get("/apis/example.io/v1").status == 404)
    assert kube.get(WIDGETS).status == 404
    assert kube.get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.io").status == 404


def test_a_crd_gets_its_cleanup_finalizer_only_when_deleted(kube):
    # ../shared/reference/kube-wire-crd 03, 16, 17: the CRD storage's Delete adds the finalizer, the
    # deletionTimestamp and a Terminating condition; no grace period, generation stays.
    crd = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.io"
    before = kube.get(crd).json
    assert "finalizers" not in before["metadata"] and before["metadata"]["generation"] == 1
    status_owner = next(m for m in before["metadata"]["managedFields"] if m["manager"] == "kube-apiserver")
    assert set(status_owner["fieldsV1"]["f:status"]["f:conditions"]) == {
        'k:{"type":"Established"}', 'k:{"type":"NamesAccepted"}'}  # conditions are a map-list keyed by type
    deleting = kube.delete(crd)
    assert deleting.status == 200
    meta = deleting.json["metadata"]
    assert meta["finalizers"] == ["customresourcecleanup.apiextensions.k8s.io"] and "deletionTimestamp" in meta
    assert meta["generation"] == 1 and "deletionGracePeriodSeconds" not in meta
    assert meta["managedFields"] == before["metadata"]["managedFields"]
    terminating = deleting.json["status"]["conditions"][-1]
    assert {k: terminating[k] for k in ("type", "status", "reason", "message")} == {
        "type": "Terminating", "status": "True", "reason": "InstanceDeletionPending",
        "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon"}
    wait_until(lambda: kube.get(crd).status == 404)


def test_discovery_and_openapi_describe_what_is_served(kube):
    groups = {g["name"] for g in kube.get("/apis").json["groups"]}
    assert {"lifeboat.dev", "example.io", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io"} <= groups
    resources = {r["name"] for r in kube.get("/apis/lifeboat.dev/v1alpha1").json["resources"]}
    assert resources == {"drplans", "drplans/status", "drexecutions", "drexecutions/status"}
    assert kube.get("/api").json["versions"] == ["v1"]
    assert kube.get("/version").json["gitVersion"].startswith("v1.28")
    index = kube.get("/openapi/v3").json["paths"]
    document = kube.get(index["apis/lifeboat.dev/v1alpha1"]["serverRelativeURL"]).json
    patch = document["paths"]["/apis/lifeboat.dev/v1alpha1/namespaces/{namespace}/drplans/{name}"]["patch"]
    assert "fieldValidation" in [p["name"] for p in patch["parameters"]]
    assert "application/strategic-merge-patch+json" not in patch["requestBody"]["content"]
    protobuf = kube.get("/openapi/v2", accept="application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
    assert protobuf.status == 200 and protobuf.raw.startswith(b"\x0a\x032.0")  # field 1 (swagger) = "2.0"
    assert b"/apis/lifeboat.dev/v1alpha1/namespaces/{namespace}/drplans/{name}" in protobuf.raw


def test_strategic_merge_patch_is_415_for_custom_resources_only(kube):
    kube.post(WIDGETS, widget("a"))
    smp = kube.patch(f"{WIDGETS}/a", {"metadata": {"labels": {"a": "b"}}}, ctype="application/strategic-merge-patch+json")
    assert (smp.status, smp.json["reason"]) == (415, "UnsupportedMediaType")
    namespace = kube.patch("/api/v1/namespaces/default", {"metadata": {"labels": {"a": "b"}}},
                           ctype="application/strategic-merge-patch+json")
    assert namespace.status == 200 and namespace.json["metadata"]["labels"]["a"] == "b"

