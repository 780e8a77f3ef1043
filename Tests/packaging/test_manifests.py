"""manifests/: every kustomization renders with `kubectl kustomize`, each object parses and names
itself; the CRD copies are crds/; the Deployment, its probes, security and resources follow the
operator's contract; the operator's RBAC is exactly its calls; the user roles mirror the seed's
six roles."""
import filecmp

import pytest

from packaging_support import INSTALLS, MANIFESTS, OPERATOR_ACCOUNT, OPERATOR_NAMESPACE, ROOT, find, render

CLUSTER_SCOPED = {"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"}


@pytest.mark.parametrize("kustomization", INSTALLS)
def test_every_kustomization_renders_objects_that_name_themselves(kustomization):
    objects = render(kustomization)
    assert objects
    keys = set()
    for obj in objects:
        assert isinstance(obj, dict)
        assert obj.get("apiVersion") and obj.get("kind") and obj.get("metadata", {}).get("name"), obj
        if obj["kind"] in CLUSTER_SCOPED:
            assert "namespace" not in obj["metadata"], obj["metadata"]
        else:
            assert obj["metadata"].get("namespace"), f"{obj['kind']} {obj['metadata']['name']} has no namespace"
        key = (obj["apiVersion"].split("/")[0], obj["kind"], obj["metadata"].get("namespace"), obj["metadata"]["name"])
        assert key not in keys, f"{key} twice"
        keys.add(key)


@pytest.mark.parametrize("name", ["lifeboat.dev_drplans.yaml", "lifeboat.dev_drexecutions.yaml"])
def test_the_crd_copies_are_crds(name):
    """kustomize reads only files below a kustomization: base/crds/ is a copy (`make generate`)."""
    assert filecmp.cmp(ROOT / "crds" / name, MANIFESTS / "base" / "crds" / name, shallow=False)
    assert sorted(p.name for p in (MANIFESTS / "base" / "crds").iterdir()) == sorted(p.name for p in (ROOT / "crds").iterdir())


def test_the_default_install_is_base_plus_the_admission_policy():
    everything = render(".")
    assert len(everything) == len(render("base")) + len(render("admission-policy"))
    kinds = sorted({o["kind"] for o in everything})
    assert kinds == ["ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition", "Deployment",
                     "Namespace", "NetworkPolicy", "PodDisruptionBudget", "Role", "RoleBinding", "Service",
                     "ServiceAccount", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]


# ---- the Deployment ----

DEPLOYMENT = find(render("base"), "Deployment", "lifeboat-operator")
POD = DEPLOYMENT["spec"]["template"]["spec"]
CONTAINER = POD["containers"][0]


def test_two_replicas_elect_a_leader_and_know_who_they_are():
    assert DEPLOYMENT["spec"]["replicas"] == 2
    assert "--leader-elect" in CONTAINER["args"]
    env = {e["name"]: e["valueFrom"]["fieldRef"]["fieldPath"] for e in CONTAINER["env"]}
    assert env == {"POD_NAMESPACE": "metadata.namespace", "POD_NAME": "metadata.name"}
    assert CONTAINER["command"] == ["/usr/local/bin/lifeboat-operator"]


def test_probes_and_metrics_use_the_operators_ports():
    ports = {p["name"]: p["containerPort"] for p in CONTAINER["ports"]}
    assert ports == {"metrics": 8080, "health": 8081}
    assert {"--metrics-bind-address=:8080", "--health-probe-bind-address=:8081"} <= set(CONTAINER["args"])
    assert CONTAINER["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "health"}
    assert CONTAINER["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "health"}


def test_only_flags_the_operator_knows():
    known = {"--kubeconfig", "--namespace", "--leader-elect", "--leader-election-namespace", "--concurrency",
             "--metrics-bind-address", "--health-probe-bind-address", "--log-level", "--log-format",
             "--default-role-name", "--kube-api-qps", "--kube-api-burst"}
    for overlay in INSTALLS:
        for deployment in (o for o in render(overlay) if o["kind"] == "Deployment"):
            for arg in deployment["spec"]["template"]["spec"]["containers"][0]["args"]:
                assert arg.split("=", 1)[0] in known, arg


def test_it_runs_locked_down():
    assert POD["securityContext"] == {"runAsNonRoot": True, "runAsUser": 65532, "runAsGroup": 65532,
                                      "seccompProfile": {"type": "RuntimeDefault"}}
    security = CONTAINER["securityContext"]
    assert security["allowPrivilegeEscalation"] is False and security["readOnlyRootFilesystem"] is True
    assert security["capabilities"] == {"drop": ["ALL"]} and security["privileged"] is False
    mounts = {m["mountPath"]: m["name"] for m in CONTAINER["volumeMounts"]}
    assert mounts["/tmp"] == "tmp"
    assert next(v for v in POD["volumes"] if v["name"] == "tmp")["emptyDir"]


def test_the_api_token_is_mounted_explicitly_and_nowhere_else():
    account = find(render("base"), "ServiceAccount", OPERATOR_ACCOUNT)
    assert account["automountServiceAccountToken"] is False and POD["automountServiceAccountToken"] is False
    assert POD["serviceAccountName"] == OPERATOR_ACCOUNT
    volume = next(v for v in POD["volumes"] if v["name"] == "kube-api-access")
    sources = volume["projected"]["sources"]
    assert sources[0]["serviceAccountToken"]["path"] == "token"
    assert sources[1]["configMap"] == {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}
    assert sources[2]["downwardAPI"]["items"][0] == {"path": "namespace", "fieldRef": {"fieldPath": "metadata.namespace"}}
    mount = next(m for m in CONTAINER["volumeMounts"] if m["name"] == "kube-api-access")
    assert mount == {"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": True}


def test_requests_and_limits_around_the_memory_target():
    resources = CONTAINER["resources"]
    assert resources == {"requests": {"cpu": "10m", "memory": "32Mi"}, "limits": {"cpu": "500m", "memory": "128Mi"}}


def test_the_pdb_service_and_network_policy_select_the_operators_pods():
    objects = render("base")
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    selected = [find(objects, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"],
                find(objects, "Service")["spec"]["selector"],
                find(objects, "NetworkPolicy")["spec"]["podSelector"]["matchLabels"],
                DEPLOYMENT["spec"]["selector"]["matchLabels"]]
    for selector in selected:
        assert selector.items() <= labels.items()
    assert find(objects, "PodDisruptionBudget")["spec"]["minAvailable"] == 1
    assert find(objects, "Service")["spec"]["ports"] == [{"name": "metrics", "port": 8080, "targetPort": "metrics",
                                                          "protocol": "TCP"}]


def test_the_namespace_enforces_the_restricted_pod_security_standard():
    namespace = find(render("base"), "Namespace", OPERATOR_NAMESPACE)
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


# ---- the operator's RBAC: its calls, nothing more ----

def rules(role):
    return sorted((tuple(r["apiGroups"]), tuple(r["resources"]), tuple(r["verbs"]), tuple(r.get("resourceNames", ())))
                  for r in role["rules"])


OPERATOR_RULES = [(("events.k8s.io",), ("events",), ("create", "patch"), ()),
                  (("lifeboat.dev",), ("drexecutions",), ("get", "list", "watch", "patch"), ()),
                  (("lifeboat.dev",), ("drexecutions/status",), ("patch",), ()),
                  (("lifeboat.dev",), ("drplans",), ("get", "list", "watch"), ()),
                  (("lifeboat.dev",), ("drplans/status",), ("patch",), ())]


def test_the_operators_cluster_role_is_its_calls():
    assert rules(find(render("base"), "ClusterRole", "lifeboat-operator")) == OPERATOR_RULES


def test_leases_in_its_own_namespace_by_name():
    role = find(render("base"), "Role", "lifeboat-operator-leader-election", OPERATOR_NAMESPACE)
    assert rules(role) == [(("coordination.k8s.io",), ("leases",), ("create",), ()),
                           (("coordination.k8s.io",), ("leases",), ("get", "update"), ("lifeboat-operator",))]


def test_no_secret_is_readable_by_default():
    for obj in render("."):
        for rule in obj.get("rules") or []:
            if obj["metadata"]["name"].startswith("lifeboat-operator"):
                assert "secrets" not in rule["resources"], obj["metadata"]["name"]


def test_the_single_namespace_overlay_keeps_the_rules_in_one_namespace():
    objects = render("overlays/single-namespace")
    assert not [o for o in objects if o["kind"] in ("ClusterRole", "ClusterRoleBinding")
                and o["metadata"]["name"] == "lifeboat-operator"]
    assert rules(find(objects, "Role", "lifeboat-operator", "dr")) == OPERATOR_RULES
    binding = find(objects, "RoleBinding", "lifeboat-operator", "dr")
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "lifeboat-operator"}
    secret = find(objects, "Role", "lifeboat-operator-external-id-dr-external-id", "dr")
    assert rules(secret) == [(("",), ("secrets",), ("get",), ("dr-external-id",))]
    args = find(objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--namespace=dr" in args


def test_the_irsa_overlay_annotates_the_service_account():
    account = find(render("overlays/eks-irsa"), "ServiceAccount", OPERATOR_ACCOUNT)
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].startswith("arn:aws:iam::")
    assert account["metadata"]["annotations"]["eks.amazonaws.com/sts-regional-endpoints"] == "true"


def test_the_pod_identity_overlay_changes_nothing_in_the_cluster():
    assert render("overlays/eks-pod-identity") == render(".")


# ---- the user roles ----

# The seed's six roles (../shared/reference/seed-systems.md §D) as plan and execution verbs.
READ = {"get", "list", "watch"}
USER_ROLES = {
    "lifeboat-admin": {"drplans": READ | {"create", "update", "patch", "delete", "deletecollection"},
                       "drexecutions": READ | {"create", "update", "patch", "delete", "deletecollection"}},
    "lifeboat-recovery-manager": {"drplans": READ | {"create", "update", "patch", "delete"},
                                  "drexecutions": READ | {"create", "update", "patch", "delete"}},
    "lifeboat-plan-manager": {"drplans": READ | {"create", "update", "patch", "delete"},
                              "drexecutions": READ | {"create", "patch"}},  # start and stop, no terminate
    "lifeboat-dr-operator": {"drplans": READ | {"update", "patch"},          # modify plans, no create/delete
                             "drexecutions": READ | {"create", "patch"}},
    "lifeboat-read-only": {"drplans": READ, "drexecutions": READ},
    "lifeboat-auditor": {"drplans": READ, "drexecutions": READ, "events": READ},
}


def permissions(role):
    granted = {}
    for rule in role["rules"]:
        for resource in rule["resources"]:
            granted.setdefault(resource, set()).update(rule["verbs"])
    return granted


@pytest.mark.parametrize("name", sorted(USER_ROLES))
def test_user_roles_grant_the_seeds_permissions(name):
    role = find(render("base"), "ClusterRole", name)
    assert permissions(role) == USER_ROLES[name]
    assert "*" not in str(role["rules"])


def test_the_user_roles_nest_from_read_only_to_admin():
    chain = ["lifeboat-read-only", "lifeboat-dr-operator", "lifeboat-plan-manager", "lifeboat-recovery-manager",
             "lifeboat-admin"]
    for lower, higher in zip(chain, chain[1:]):
        for resource, verbs in USER_ROLES[lower].items():
            assert verbs <= USER_ROLES[higher][resource], (lower, higher, resource)


def test_three_roles_extend_kubernetes_view_edit_and_admin():
    labels = {o["metadata"]["name"]: {k.rsplit("/", 1)[1] for k, v in o["metadata"].get("labels", {}).items()
                                      if k.startswith("rbac.authorization.k8s.io/aggregate-to-") and v == "true"}
              for o in render("base") if o["kind"] == "ClusterRole"}
    assert {name: found for name, found in labels.items() if found} == {
        "lifeboat-read-only": {"aggregate-to-view"}, "lifeboat-plan-manager": {"aggregate-to-edit"},
        "lifeboat-admin": {"aggregate-to-admin"}}


def test_the_auditor_reads_both_event_apis():
    role = find(render("base"), "ClusterRole", "lifeboat-auditor")
    event_rule = next(r for r in role["rules"] if "events" in r["resources"])
    assert sorted(event_rule["apiGroups"]) == ["", "events.k8s.io"]
