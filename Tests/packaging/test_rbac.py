"""Tests/packaging/rbac.py: requests become the attributes kube-apiserver authorizes, rendered
bindings become grants, and coverage finds calls RBAC refuses and grants nobody used, checked
first on hand-made requests, then on what the test API server logged while a client made the
operator's calls (the machinery the operator's end-to-end test uses)."""
import json
import pathlib
import sys
import urllib.request

import pytest

from packaging_support import OPERATOR_ACCOUNT, OPERATOR_NAMESPACE, ROOT, find, render
from rbac import Attributes, attributes, check_operator_rbac, coverage, grants

sys.path.insert(0, str(ROOT / "Tests" / "kube-apiserver"))
from kube_testenv import Client, Server  # noqa: E402

DRX = "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drexecutions"
DRP_ALL = "/apis/lifeboat.dev/v1alpha1/drplans"
LEASES = "/apis/coordination.k8s.io/v1/namespaces/lifeboat-system/leases"
EVENTS = "/apis/events.k8s.io/v1/namespaces/dr/events"
SECRET = "/api/v1/namespaces/dr/secrets/dr-external-id"


def request(method, path, **query):
    return {"method": method, "path": path, "query": {k: str(v) for k, v in query.items()}}


@pytest.mark.parametrize("entry, expected", [
    (request("GET", f"{DRX}/run-1"), Attributes("get", "lifeboat.dev", "drexecutions", "", "dr", "run-1")),
    (request("GET", DRX, limit=500), Attributes("list", "lifeboat.dev", "drexecutions", "", "dr")),
    (request("GET", DRP_ALL, watch="true"), Attributes("watch", "lifeboat.dev", "drplans")),
    (request("GET", DRP_ALL, watch="1"), Attributes("watch", "lifeboat.dev", "drplans")),
    (request("GET", "/apis/lifeboat.dev/v1alpha1/watch/namespaces/dr/drexecutions/run-1"),
     Attributes("watch", "lifeboat.dev", "drexecutions", "", "dr", "run-1")),
    (request("GET", LEASES, watch="true", fieldSelector="metadata.name=lifeboat-operator"),
     Attributes("watch", "coordination.k8s.io", "leases", "", "lifeboat-system", "lifeboat-operator")),
    (request("POST", EVENTS), Attributes("create", "events.k8s.io", "events", "", "dr")),
    (request("PUT", f"{LEASES}/lifeboat-operator"),
     Attributes("update", "coordination.k8s.io", "leases", "", "lifeboat-system", "lifeboat-operator")),
    (request("PATCH", f"{DRX}/run-1/status"), Attributes("patch", "lifeboat.dev", "drexecutions", "status", "dr", "run-1")),
    (request("DELETE", f"{DRX}/run-1"), Attributes("delete", "lifeboat.dev", "drexecutions", "", "dr", "run-1")),
    (request("DELETE", DRX), Attributes("deletecollection", "lifeboat.dev", "drexecutions", "", "dr")),
    (request("GET", SECRET), Attributes("get", "", "secrets", "", "dr", "dr-external-id")),
    (request("GET", "/api/v1/namespaces/dr"), Attributes("get", "", "namespaces", "", "dr", "dr")),
    (request("GET", "/apis/lifeboat.dev/v1alpha1"), Attributes("get", path="/apis/lifeboat.dev/v1alpha1")),
    (request("GET", "/version"), Attributes("get", path="/version")),
])
def test_requests_become_what_the_authorizer_sees(entry, expected):
    assert attributes(entry) == expected


def test_the_operator_holds_its_cluster_role_everywhere_and_leases_in_its_namespace_only():
    held = grants(render("base"))
    assert {g.namespace for g in held} == {None, OPERATOR_NAMESPACE}
    lease_rules = [g.rule for g in held if g.namespace == OPERATOR_NAMESPACE]
    assert all(r["apiGroups"] == ["coordination.k8s.io"] for r in lease_rules)


# The operator's calls, as its contract lists them (docs/security.md): each must be allowed.
OPERATOR_CALLS = [
    request("GET", DRP_ALL, limit=500), request("GET", DRP_ALL, watch="true"),
    request("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans/payments"),
    request("PATCH", "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans/payments/status"),
    request("GET", "/apis/lifeboat.dev/v1alpha1/drexecutions"),
    request("GET", "/apis/lifeboat.dev/v1alpha1/drexecutions", watch="true"),
    request("GET", f"{DRX}/run-1"), request("PATCH", f"{DRX}/run-1"), request("PATCH", f"{DRX}/run-1/status"),
    request("POST", EVENTS), request("PATCH", f"{EVENTS}/run-1.17a"),
    request("POST", LEASES), request("GET", f"{LEASES}/lifeboat-operator"), request("PUT", f"{LEASES}/lifeboat-operator"),
    request("GET", SECRET), request("GET", "/apis"), request("GET", "/api/v1"),
]
EXTERNAL_ID = render("overlays/single-namespace")  # includes the Role for dr/dr-external-id


def test_every_operator_call_is_allowed_and_every_grant_used():
    objects = render(".") + [o for o in EXTERNAL_ID if o["metadata"]["name"] == "lifeboat-operator-external-id-dr-external-id"]
    result = coverage(OPERATOR_CALLS, objects)
    assert result.problems() == []


@pytest.mark.parametrize("entry", [
    request("PUT", f"{DRX}/run-1"),                               # update: it only patches
    request("DELETE", f"{DRX}/run-1"),                             # it never deletes what people created
    request("PATCH", "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans/payments"),  # it never edits a plan
    request("GET", "/api/v1/namespaces/dr/secrets"),               # list secrets
    request("GET", "/api/v1/namespaces/dr/secrets/other"),         # another secret
    request("GET", "/api/v1/namespaces/prod/secrets/dr-external-id"),  # the same name elsewhere
    request("PUT", f"{LEASES}/someone-elses-lease"),
    request("POST", "/apis/coordination.k8s.io/v1/namespaces/dr/leases"),  # a Lease outside its namespace
    request("POST", "/api/v1/namespaces/dr/events"),               # core/v1 Events: it writes events.k8s.io/v1
])
def test_calls_outside_the_contract_are_refused(entry):
    objects = render(".") + [o for o in EXTERNAL_ID if o["metadata"]["name"] == "lifeboat-operator-external-id-dr-external-id"]
    assert coverage([entry], objects).uncovered == [attributes(entry)]


def test_a_grant_nobody_used_is_reported_unless_excused():
    calls = [c for c in OPERATOR_CALLS if not (c["method"] == "PATCH" and "/events/" in c["path"])]
    objects = render(".") + [o for o in EXTERNAL_ID if o["metadata"]["name"] == "lifeboat-operator-external-id-dr-external-id"]
    result = coverage(calls, objects)
    assert [(g.role, permission) for g, permission in result.unused] == [
        ("ClusterRole lifeboat-operator", ("events.k8s.io", "events", "patch", ()))]
    assert coverage(calls, objects, may_stay_unused=[("events.k8s.io", "events", "patch")]).problems() == []


def test_the_single_namespace_overlay_refuses_other_namespaces_and_cluster_wide_watches():
    objects = render("overlays/single-namespace")
    allowed = [request("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans", watch="true"), request("GET", SECRET)]
    refused = [request("GET", DRP_ALL, watch="true"),
               request("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/prod/drplans", watch="true")]
    assert coverage(allowed + refused, objects).uncovered == [attributes(r) for r in refused]


def test_aggregated_cluster_roles_are_resolved():
    role = {"kind": "ClusterRole", "metadata": {"name": "agg"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "y"}}]}}
    part = {"kind": "ClusterRole", "metadata": {"name": "part", "labels": {"x": "y"}},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]}
    binding = {"kind": "ClusterRoleBinding", "metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "agg"},
               "subjects": [{"kind": "ServiceAccount", "name": "sa", "namespace": "ns"}]}
    held = grants([role, part, binding], "ns", "sa")
    assert [g.rule for g in held] == part["rules"]


# ---- against the test API server's request log ----

@pytest.fixture(scope="module")
def server():
    s = Server("--crds", str(ROOT / "crds"))
    yield s
    s.stop()


def test_check_operator_rbac_reads_the_servers_log(server):
    """A client playing the operator (its User-Agent) makes the contract's calls against the test
    API server while kubectl-like traffic of another agent goes on; the log, filtered by agent,
    passes the check, and one call outside the contract fails it."""
    operator = Client(server.port)
    agent = {"User-Agent": "lifeboat-operator/0.1.0 (test)"}
    other = {"User-Agent": "kubectl/v1.32.4"}
    assert operator.control("POST", "reset").status == 200
    for namespace in ("dr", OPERATOR_NAMESPACE):
        assert operator.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                    "metadata": {"name": namespace}}, headers=other).status == 201
    plan = {"apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRPlan", "metadata": {"name": "p", "namespace": "dr"},
            "spec": {"regions": {"primary": "us-east-1", "secondary": "us-west-2"},
                     "accounts": {"default": "111111111111"},
                     "layers": [{"name": "l", "resources": [{"name": "r", "module": "EcsService",
                                                             "parameters": {"ClusterName": "c", "ServiceName": "s"}}]}]}}
    assert operator.post("/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans", plan, headers=other).status == 201
    run = {"apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRExecution", "metadata": {"name": "run-1", "namespace": "dr"},
           "spec": {"planRef": {"name": "p"}, "phase": "Instantiate", "mode": "Drill"}}
    assert operator.post(DRX, run, headers=other).status == 201
    operator.control("DELETE", "requests")

    calls = [("GET", f"{DRP_ALL}?limit=500", None), ("GET", "/apis/lifeboat.dev/v1alpha1/drexecutions?limit=500", None),
             ("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans/p", None),
             ("PATCH", "/apis/lifeboat.dev/v1alpha1/namespaces/dr/drplans/p/status", {"status": {"layerCount": 1}}),
             ("GET", f"{DRX}/run-1", None),
             ("PATCH", f"{DRX}/run-1", {"metadata": {"finalizers": ["lifeboat.dev/execution"]}}),
             ("PATCH", f"{DRX}/run-1/status", {"status": {"phase": "Pending"}}),
             ("PATCH", f"{DRX}/run-1", {"metadata": {"finalizers": None}}),
             ("POST", LEASES, {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                               "metadata": {"name": "lifeboat-operator"}, "spec": {"holderIdentity": "pod-a"}}),
             ("GET", f"{LEASES}/lifeboat-operator", None), ("GET", SECRET, None)]
    for method, path, body in calls:
        response = operator.request(method, path, body, ctype="application/merge-patch+json" if method == "PATCH"
                                    else "application/json", headers=agent)
        # the test API server serves no Secrets: 404, still asked for and so still authorized
        assert response.status == (404 if path == SECRET else 201 if method == "POST" else 200), (method, path, response)
    lease = operator.get(f"{LEASES}/lifeboat-operator", headers=agent).json
    lease["spec"]["holderIdentity"] = "pod-b"
    assert operator.put(f"{LEASES}/lifeboat-operator", lease, headers=agent).status == 200
    event = {"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "run-1.1", "namespace": "dr"},
             "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "lifeboat.dev/operator",
             "reportingInstance": "pod-b", "action": "Start", "reason": "ExecutionStarted", "type": "Normal",
             "regarding": {"kind": "DRExecution", "namespace": "dr", "name": "run-1"}}
    assert operator.post(EVENTS, event, headers=agent).status == 201
    assert operator.patch(f"{EVENTS}/run-1.1", {"series": {"count": 2, "lastObservedTime": "2026-01-01T00:00:01.000000Z"}},
                          headers=agent).status == 200
    for watched in (DRP_ALL, "/apis/lifeboat.dev/v1alpha1/drexecutions"):  # streams that end after a second
        assert operator.get(f"{watched}?watch=true&timeoutSeconds=1", headers=agent).status == 200
    operator.get(DRP_ALL, headers=other)  # someone else's call: not the operator's

    external_id = [o for o in EXTERNAL_ID if o["metadata"]["name"] == "lifeboat-operator-external-id-dr-external-id"]
    url = f"http://127.0.0.1:{server.port}"
    result = check_operator_rbac(url, "lifeboat-operator", extra_objects=external_id)
    assert result.problems() == []
    with urllib.request.urlopen(f"{url}/testenv/requests?userAgent=lifeboat-operator") as response:
        logged = json.load(response)["requests"]
    assert len(logged) == len(calls) + 6  # the GET and PUT of the Lease, the Event's POST and PATCH, two watches

    operator.delete(f"{DRX}/run-1", headers=agent)
    with pytest.raises(AssertionError, match="not allowed by RBAC: delete lifeboat.dev/drexecutions run-1 in dr"):
        check_operator_rbac(url, "lifeboat-operator", extra_objects=external_id)
