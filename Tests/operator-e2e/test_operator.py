"""`lifeboat-operator` end to end over HTTP: plans and executions as a user drives them with
kubectl, against the test API server and the AWS emulator (docs/operator.md)."""
import json
import re
import urllib.request

import yaml

from cluster import ROOT, execution_yaml, plan_yaml, wait_for

HOSTS = """  - name: hosts
    resources:
    - name: standby-hosts
      module: EC2
      parameters: {HostNames: [bastion-1, reporting-1]}
"""


def legacy(endpoint, app):
    """A layer with a DRS resource over two source servers of its own (tag App=<app>), replicating
    from us-east-1 into us-west-2: DRS refuses to launch a server that already has a recovery
    instance, so each test that launches gets servers no other test launched."""
    emulator(endpoint, "POST", "/drs/source-servers", {"account": "111111111111", "region": "us-west-2", "servers": [
        {"hostname": f"{app}-{n}", "tags": {"App": app}, "sourceRegion": "us-east-1", "instanceType": "m5.large"}
        for n in (1, 2)]})
    return f"""  - name: legacy
    resources:
    - name: legacy-servers
      module: DRS
      phases: [Activate]
      parameters:
        Tags: {{App: {app}}}
        LaunchSettings: {{InstanceType: m5.large, TargetInstanceTypeRightSizingMethod: NONE}}
"""


def emulator(endpoint, method, path, body=None):
    request = urllib.request.Request(endpoint + "/__emulator__" + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def mutating(endpoint):
    from testenv.aws.demo_env import fetch_stats, mutating_calls
    return mutating_calls(fetch_stats(endpoint))


def demo_plan(namespace):
    plan = yaml.safe_load((ROOT / "examples/demo/payments-dr.yaml").read_text())
    plan["metadata"]["namespace"] = namespace
    return yaml.safe_dump(plan)


def resource_states(execution):
    return {r["name"]: r["state"] for layer in execution["status"].get("layers", []) for r in layer["resources"]}


def test_plan_and_execution_lifecycle_with_gates_events_and_the_phase_order_guard(kubectl, operator):
    kubectl.apply(demo_plan(kubectl.namespace))
    wait_for(lambda: (kubectl.condition("drp", "payments-demo", "Valid") or {}).get("status") == "True", 30, "Valid")
    ready = wait_for(lambda: kubectl.condition("drp", "payments-demo", "Ready"), 60, "a readiness verdict")
    plan = kubectl.get("drp", "payments-demo")
    assert {r["name"] for r in plan["status"]["readiness"]} == {"payments-db", "services", "batch", "standby-hosts",
                                                               "legacy-servers", "dns"}
    assert ready["status"] in ("True", "False"), ready
    table = kubectl("get", "drp").stdout.splitlines()
    assert table[0].split() == ["NAME", "VALID", "READY", "ACTIVE", "REGION", "LAYERS", "RESOURCES", "LAST", "ACTIVATION", "AGE"]
    assert table[1].split()[:3] == ["payments-demo", "True", ready["status"]]

    kubectl.apply(execution_yaml("instantiate", kubectl.namespace, "payments-demo", "Instantiate"))
    waited = kubectl("wait", "--for=condition=Succeeded", "drx/instantiate", "--timeout=90s")
    assert "condition met" in waited.stdout

    kubectl.apply(execution_yaml("activate", kubectl.namespace, "payments-demo", "Activate"))
    execution = kubectl.wait_phase("activate", "AwaitingApproval")
    assert execution["status"]["gates"][0]["id"] == "start" and execution["status"]["gates"][0]["state"] == "Waiting"
    assert set(resource_states(execution).values()) <= {"Pending", "Skipped"}, "nothing runs before the gate"
    kubectl("annotate", "drx", "activate", "lifeboat.dev/approve=start", "lifeboat.dev/approved-by=alice")
    execution = wait_for(lambda: any(g["id"] == "layer-traffic" and g["state"] == "Waiting"
                                     for g in (kubectl.get("drx", "activate")["status"].get("gates") or []))
                         and kubectl.get("drx", "activate"), 90, "gate layer-traffic")
    assert resource_states(execution)["dns"] == "Pending", "the traffic layer waits for its gate"
    assert next(g for g in execution["status"]["gates"] if g["id"] == "start")["decidedBy"] == "alice"
    kubectl("annotate", "--overwrite", "drx", "activate", "lifeboat.dev/approve=start,layer-traffic")
    kubectl("wait", "--for=condition=Succeeded", "drx/activate", "--timeout=120s")

    reasons = [e["reason"] for e in kubectl.events("activate")]
    expected_order = ["ExecutionStarted", "GateWaiting", "GateApproved", "LayerStarted", "LayerSucceeded", "ExecutionSucceeded"]
    positions = [reasons.index(reason) for reason in expected_order]
    assert positions == sorted(positions), reasons
    assert reasons.count("ExecutionSucceeded") == 1
    plan = kubectl.get("drp", "payments-demo")["status"]
    assert plan["activeRegion"] == "us-west-2"
    assert "activeExecution" not in plan
    assert {(e["phase"], e["mode"], e["name"], e["result"]) for e in plan["lastExecutions"]} >= {
        ("Instantiate", "Recovery", "instantiate", "Succeeded"), ("Activate", "Recovery", "activate", "Succeeded")}
    columns = kubectl("get", "drx", "activate").stdout.splitlines()
    assert columns[0].split()[:6] == ["NAME", "PLAN", "PHASE", "MODE", "STATE", "PROGRESS"]
    assert columns[1].split()[:6] == ["activate", "payments-demo", "Activate", "Recovery", "Succeeded", "6/6"]

    # The phase-order guard: failing over again to where the plan already serves is refused.
    kubectl.apply(execution_yaml("activate-again", kubectl.namespace, "payments-demo", "Activate",
                                 annotations={"lifeboat.dev/approve": "start,layer-traffic"}))
    stalled = wait_for(lambda: (kubectl.condition("drx", "activate-again", "Stalled") or {}).get("status") == "True"
                       and kubectl.condition("drx", "activate-again", "Stalled"), 60, "the guard")
    assert stalled["reason"] == "GuardRefused", stalled
    assert "activeExecution" not in kubectl.get("drp", "payments-demo")["status"]


def test_an_invalid_plan_is_reported_by_path_and_blocks_only_itself(kubectl):
    bad = plan_yaml("broken", kubectl.namespace, HOSTS + HOSTS.replace("name: hosts", "name: hosts-again"))
    kubectl.apply(bad)
    kubectl.apply(plan_yaml("fine", kubectl.namespace, HOSTS))
    valid = wait_for(lambda: kubectl.condition("drp", "broken", "Valid"), 30, "a verdict on the broken plan")
    assert valid["status"] == "False" and valid["reason"] == "Invalid"
    assert re.search(r"spec\.layers\[1\]\.resources\[0\]\.name", valid["message"]), valid["message"]
    assert (wait_for(lambda: kubectl.condition("drp", "fine", "Valid"), 30, "fine's verdict"))["status"] == "True"
    kubectl.apply(execution_yaml("on-broken", kubectl.namespace, "broken", "Instantiate"))
    kubectl.apply(execution_yaml("on-fine", kubectl.namespace, "fine", "Instantiate"))
    kubectl("wait", "--for=condition=Succeeded", "drx/on-fine", "--timeout=60s")
    stalled = wait_for(lambda: kubectl.condition("drx", "on-broken", "Stalled"), 30, "the stall")
    assert stalled["status"] == "True" and stalled["reason"] == "InvalidPlan", stalled


def test_a_rejected_gate_cancels_the_run_without_calling_aws(kubectl, endpoint):
    kubectl.apply(plan_yaml("gated", kubectl.namespace, HOSTS, approvals="[Activate]"))
    before = mutating(endpoint)
    kubectl.apply(execution_yaml("rejected", kubectl.namespace, "gated", "Activate"))
    kubectl.wait_phase("rejected", "AwaitingApproval")
    kubectl("annotate", "drx", "rejected", "lifeboat.dev/reject=start")
    execution = kubectl.wait_phase("rejected", "Cancelled")
    assert next(c for c in execution["status"]["conditions"] if c["type"] == "Succeeded")["reason"] == "Rejected"
    assert mutating(endpoint) == before, "a rejected run calls no mutating AWS operation"


def test_pause_holds_new_work_and_resume_carries_on(kubectl):
    two_layers = HOSTS + HOSTS.replace("name: hosts", "name: hosts-2").replace("name: standby-hosts", "name: standby-hosts-2")
    kubectl.apply(plan_yaml("pausable", kubectl.namespace, two_layers))
    kubectl.apply(execution_yaml("paused", kubectl.namespace, "pausable", "Instantiate",
                                 annotations={"lifeboat.dev/pause": "p1"}))
    execution = kubectl.wait_phase("paused", "Paused")
    assert execution["status"]["lastHandled"]["pause"] == "p1"
    assert set(resource_states(execution).values()) == {"Pending"}, "a run paused before it starts starts nothing"
    kubectl("annotate", "drx", "paused", "lifeboat.dev/resume=r1")
    execution = kubectl.wait_phase("paused", "Succeeded")
    assert execution["status"]["lastHandled"]["resume"] == "r1"


def test_cancel_with_work_in_flight_tracks_it_to_the_end(kubectl, endpoint):
    emulator(endpoint, "POST", "/config", {"drs": {"launchSeconds": 4}})
    try:
        kubectl.apply(plan_yaml("cancellable", kubectl.namespace, legacy(endpoint, kubectl.namespace) + HOSTS))
        kubectl.apply(execution_yaml("cancelled", kubectl.namespace, "cancellable", "Activate"))
        wait_for(lambda: resource_states(kubectl.get("drx", "cancelled") or {"status": {}}).get("legacy-servers") == "InProgress",
                 60, "the DRS launch in flight")
        kubectl("annotate", "drx", "cancelled", "lifeboat.dev/cancel=c1")
        execution = kubectl.wait_phase("cancelled", "Cancelled", timeout=60)
        states = resource_states(execution)
        assert states["legacy-servers"] in ("Succeeded", "Failed"), "the launch in flight was followed to its end"
        assert states["standby-hosts"] == "Cancelled", "the next layer never started"
    finally:
        emulator(endpoint, "POST", "/config", {"drs": {"launchSeconds": 2}})


def test_retry_after_a_failure_reruns_only_what_failed(kubectl, endpoint):
    two_layers = HOSTS + HOSTS.replace("name: hosts", "name: hosts-2").replace("name: standby-hosts", "name: standby-hosts-2")
    kubectl.apply(plan_yaml("flaky", kubectl.namespace, two_layers))
    wait_for(lambda: kubectl.condition("drp", "flaky", "Ready"), 60, "the plan's readiness check (it reads EC2 too)")
    # AccessDenied is permanent: the resource fails at once, and the retry request is what runs it again.
    rule = {"kind": "error", "status": 403, "code": "UnauthorizedOperation", "count": 1, "match": {"operation": "DescribeInstances"}}
    urllib.request.urlopen(urllib.request.Request(endpoint + "/__faults__/rules", method="POST", data=json.dumps(rule).encode(),
                                                  headers={"Content-Type": "application/json"}), timeout=10).read()
    kubectl.apply(execution_yaml("retried", kubectl.namespace, "flaky", "Instantiate"))
    failed = kubectl.wait_phase("retried", "Failed")
    assert resource_states(failed) == {"standby-hosts": "Failed", "standby-hosts-2": "Cancelled"}
    kubectl("annotate", "drx", "retried", "lifeboat.dev/retry=t1")
    execution = kubectl.wait_phase("retried", "Succeeded")
    assert execution["status"]["lastHandled"]["retry"] == "t1"
    assert resource_states(execution) == {"standby-hosts": "Succeeded", "standby-hosts-2": "Succeeded"}


def test_deleting_a_running_execution_waits_for_its_work_and_frees_the_plan(kubectl, endpoint):
    emulator(endpoint, "POST", "/config", {"drs": {"launchSeconds": 4}})
    try:
        kubectl.apply(plan_yaml("deletable", kubectl.namespace, legacy(endpoint, kubectl.namespace) + HOSTS))
        kubectl.apply(execution_yaml("doomed", kubectl.namespace, "deletable", "Activate"))
        wait_for(lambda: resource_states(kubectl.get("drx", "doomed") or {"status": {}}).get("legacy-servers") == "InProgress",
                 60, "the DRS launch in flight")
        assert "lifeboat.dev/execution" in kubectl.get("drx", "doomed")["metadata"]["finalizers"]
        kubectl("delete", "drx", "doomed", "--wait=false")
        held = kubectl.get("drx", "doomed")
        assert held is not None and held["metadata"].get("deletionTimestamp"), "the finalizer holds the object"
        wait_for(lambda: kubectl.get("drx", "doomed") is None, 60, "the object to go once its work is final")
        wait_for(lambda: "activeExecution" not in (kubectl.get("drp", "deletable").get("status") or {}), 30, "the plan to be free")
        kubectl.apply(execution_yaml("after", kubectl.namespace, "deletable", "Instantiate"))
        kubectl("wait", "--for=condition=Succeeded", "drx/after", "--timeout=60s")
    finally:
        emulator(endpoint, "POST", "/config", {"drs": {"launchSeconds": 2}})


def test_a_plan_edited_during_a_run_never_changes_the_run(kubectl):
    gated = HOSTS + HOSTS.replace("name: hosts", "name: later\n    pauseBefore: true").replace("name: standby-hosts", "name: later-hosts")
    kubectl.apply(plan_yaml("editable", kubectl.namespace, gated))
    kubectl.apply(execution_yaml("steady", kubectl.namespace, "editable", "Instantiate"))
    execution = wait_for(lambda: any(g["id"] == "layer-later" and g["state"] == "Waiting"
                                     for g in ((kubectl.get("drx", "steady") or {}).get("status") or {}).get("gates") or [])
                         and kubectl.get("drx", "steady"), 60, "the layer gate")
    snapshot = execution["status"]["plan"]
    edited = gated + HOSTS.replace("name: hosts", "name: added").replace("name: standby-hosts", "name: added-hosts")
    kubectl.apply(plan_yaml("editable", kubectl.namespace, edited))
    wait_for(lambda: kubectl.get("drp", "editable")["status"].get("layerCount") == 3, 30, "the edit to be seen")
    kubectl("annotate", "drx", "steady", "lifeboat.dev/approve=layer-later")
    execution = kubectl.wait_phase("steady", "Succeeded")
    assert execution["status"]["plan"]["snapshotHash"] == snapshot["snapshotHash"]
    assert set(resource_states(execution)) == {"standby-hosts", "later-hosts"}, "the added layer is not part of this run"


def test_the_operator_reports_its_dr_metrics(operator, kubectl):
    kubectl.apply(plan_yaml("measured", kubectl.namespace, HOSTS))
    kubectl.apply(execution_yaml("measured-run", kubectl.namespace, "measured", "Instantiate"))
    kubectl("wait", "--for=condition=Succeeded", "drx/measured-run", "--timeout=60s")
    text = wait_for(lambda: (lambda m: "lifeboat_plan_ready" in m and m)(operator.metrics()), 30, "the metrics")
    assert f'lifeboat_execution_phase{{execution="measured-run",namespace="{kubectl.namespace}",phase="Succeeded",plan="measured"}} 1' in text
    assert re.search(r'lifeboat_module_operations_total\{module="EC2",phase="Instantiate",result="started"\} \d+', text)
    assert 'lifeboat_execution_duration_seconds_count{mode="Recovery",phase="Instantiate",result="Succeeded"}' in text
    assert f'lifeboat_plan_ready{{namespace="{kubectl.namespace}",plan="measured"}}' in text
    assert operator.get(operator.probe_port, "/readyz")[0] == 200


def test_a_missing_external_id_secret_is_said_where_people_look_and_nothing_calls_aws(kubectl, endpoint):
    secret_ref = "  accounts: {default: \"111111111111\", externalIdSecretRef: {name: dr-external-id, key: id}}\n"
    text = plan_yaml("guarded", kubectl.namespace, HOSTS).replace('  accounts: {default: "111111111111"}\n', secret_ref)
    kubectl.apply(text)
    before = mutating(endpoint)
    kubectl.apply(execution_yaml("waiting", kubectl.namespace, "guarded", "Instantiate"))
    event = wait_for(lambda: next((e for e in kubectl.events("waiting") if e["reason"] == "ExternalIDUnavailable"), None), 60,
                     "the ExternalIDUnavailable Event")
    assert event["type"] == "Warning"
    assert f"Secret {kubectl.namespace}/dr-external-id (spec.accounts.externalIdSecretRef) does not exist" in event["note"]
    ready = wait_for(lambda: kubectl.condition("drp", "guarded", "Ready"), 60, "the plan's readiness verdict")
    assert ready["reason"] == "ExternalIDUnavailable" and ready["status"] == "Unknown", ready
    assert mutating(endpoint) == before, "no AWS action without the external id"
