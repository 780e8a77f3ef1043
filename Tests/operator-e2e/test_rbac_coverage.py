"""The operator's ClusterRole and Role (manifests/) cover every API call the operator makes, and
nothing more: a scenario of its own (leader election, a plan, a gated run approved and finished,
a status write lost to a conflict, a run deleted) against a fresh test API server that records every request (GET /testenv/requests),
checked with Tests/packaging/rbac.py against the rendered manifests."""
import sys

from cluster import ROOT, ApiServer, Kubectl, Operator, execution_yaml, plan_yaml, wait_for
from test_operator import HOSTS

sys.path.insert(0, str(ROOT / "Tests" / "packaging"))
from rbac import check_operator_rbac  # noqa: E402


def test_the_operators_rbac_covers_every_call_it_makes_and_nothing_more(tmp_path, endpoint):
    api = ApiServer(tmp_path)
    operator = None
    try:
        admin = Kubectl(api.kubeconfig, "default")
        admin("create", "namespace", "lifeboat-system")
        admin("create", "namespace", "rbac")
        api.control("DELETE", "/testenv/requests")
        operator = Operator(tmp_path, api.kubeconfig, endpoint, "--leader-elect", "--leader-election-namespace", "lifeboat-system")
        kubectl = Kubectl(api.kubeconfig, "rbac")
        kubectl.apply(plan_yaml("covered", "rbac", HOSTS, approvals="[Activate, Instantiate]"))
        # One status write of the operator's lost to a conflict: it reads the execution and the plan
        # again from the server (the `get` it is granted).
        api.control("POST", "/testenv/faults", {"verb": "patch", "path": "/drexecutions/approved/status", "conflict": True,
                                                "count": 1, "userAgent": "lifeboat-operator"})
        kubectl.apply(execution_yaml("approved", "rbac", "covered", "Activate"))
        kubectl.wait_phase("approved", "AwaitingApproval")
        kubectl("annotate", "drx", "approved", "lifeboat.dev/approve=start")
        kubectl("wait", "--for=condition=Succeeded", "drx/approved", "--timeout=60s")
        kubectl.apply(execution_yaml("dropped", "rbac", "covered", "Instantiate"))
        kubectl.wait_phase("dropped", "AwaitingApproval")
        kubectl("delete", "drx", "dropped", "--timeout=60s")
        assert operator.stop() == 0
        operator = None
        result = check_operator_rbac(api.url, user_agent="lifeboat-operator", kustomizations=(".",),
                                     # An Event series is patched only when the same Event repeats
                                     # within minutes, which this scenario never does.
                                     may_stay_unused=[("events.k8s.io", "events", "patch")])
        assert result
    finally:
        if operator:
            operator.stop()
        api.stop()
