"""The approval admission policy (manifests/admission-policy), its CEL evaluated with cel-python as
the files ship it: every rule admits what it should and denies what it exists for. Facts about a
real v1.28 API server are in ../shared/reference/admission-policy-facts.md."""
import copy
import re

import pytest

from admission import Policy
from packaging_support import find, render

OBJECTS = render("admission-policy")
POLICY_OBJECT = find(OBJECTS, "ValidatingAdmissionPolicy", "lifeboat-approvals")
POLICY = Policy(POLICY_OBJECT)
CONFIG = find(OBJECTS, "ConfigMap", "lifeboat-admission")
MESSAGES = [v["message"] for v in POLICY_OBJECT["spec"]["validations"]]
APPROVERS = ("lifeboat-approvers",)
RECOVERY_MANAGERS = ("dr-recovery-managers",)


def rule(number):
    """The message of the policy's rule `number` (1-based, in file order, as the comment lists them)."""
    return MESSAGES[number - 1]


def params(**settings):
    """The shipped ConfigMap with some settings changed."""
    config = copy.deepcopy(CONFIG)
    config["data"].update(settings)
    return config


def execution(mode="Drill", **annotations):
    meta = {"name": "payments-activate", "namespace": "dr"}
    if annotations:
        meta["annotations"] = {f"lifeboat.dev/{k.replace('_', '-')}": v for k, v in annotations.items()}
    return {"apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRExecution", "metadata": meta,
            "spec": {"planRef": {"name": "payments"}, "phase": "Activate", "mode": mode}}


def create(obj, username="alice", groups=(), **settings):
    return POLICY.denials("CREATE", obj, None, username, groups, params(**settings))


def update(old, new, username="alice", groups=(), **settings):
    return POLICY.denials("UPDATE", new, old, username, groups, params(**settings))


def annotated(old, **changes):
    """old with annotations set (a string) or removed (None), as `kubectl annotate` would."""
    new = copy.deepcopy(old)
    annotations = new["metadata"].setdefault("annotations", {})
    for key, value in changes.items():
        name = f"lifeboat.dev/{key.replace('_', '-')}"
        if value is None:
            annotations.pop(name, None)
        else:
            annotations[name] = value
    return new


# ---- the policy as an object ----

def test_the_policy_selects_creates_and_updates_of_executions_only():
    assert POLICY.matches("CREATE", "lifeboat.dev", "drexecutions")
    assert POLICY.matches("UPDATE", "lifeboat.dev", "drexecutions")
    assert not POLICY.matches("UPDATE", "lifeboat.dev", "drexecutions", "status")  # the controller's status writes
    assert not POLICY.matches("DELETE", "lifeboat.dev", "drexecutions")  # deleting cancels: open to RBAC
    assert not POLICY.matches("UPDATE", "lifeboat.dev", "drplans")


def test_it_fails_closed_and_its_binding_denies_without_its_config():
    assert POLICY_OBJECT["spec"]["failurePolicy"] == "Fail"
    binding = find(OBJECTS, "ValidatingAdmissionPolicyBinding", "lifeboat-approvals")
    assert binding["spec"]["policyName"] == "lifeboat-approvals"
    assert binding["spec"]["validationActions"] == ["Deny"]
    ref = binding["spec"]["paramRef"]
    assert (ref["name"], ref["namespace"], ref["parameterNotFoundAction"]) == (
        CONFIG["metadata"]["name"], CONFIG["metadata"]["namespace"], "Deny")
    assert POLICY_OBJECT["spec"]["paramKind"] == {"apiVersion": "v1", "kind": "ConfigMap"}


def test_no_expression_uses_what_a_1_28_server_cannot_compile():
    """CEL optional syntax (m[?k], .orValue(), ?.) arrived in 1.29 (admission-policy-facts.md)."""
    spec = POLICY_OBJECT["spec"]
    expressions = [v["expression"] for v in spec["variables"]] + [v["expression"] for v in spec["validations"]]
    for expression in expressions:
        assert not re.search(r"\[\?|\.\?|orValue|optional\.", expression), expression


def test_the_shipped_config_has_four_eyes_and_recovery_managers_off():
    assert CONFIG["data"] == {"approversGroup": "lifeboat-approvers", "recoveryManagersGroup": "", "fourEyes": "false"}


def test_the_v1beta1_variant_is_the_same_policy_under_the_beta_api():
    beta = render("overlays/kubernetes-1.28")
    for kind in ("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"):
        v1 = find(OBJECTS, kind)
        v1beta1 = find(beta, kind)
        assert v1["apiVersion"] == "admissionregistration.k8s.io/v1"
        assert v1beta1["apiVersion"] == "admissionregistration.k8s.io/v1beta1"
        assert v1beta1["spec"] == v1["spec"]


# ---- rule 1: approvers only ----

@pytest.mark.parametrize("key", ["approve", "reject", "approved_by", "override_guards"])
def test_only_approvers_may_set_a_decision_annotation(key):
    old = execution()
    value = "alice" if key == "approved_by" else "start"
    new = annotated(old, **{key: value})
    assert update(old, new, "alice") == [rule(1)]
    assert update(old, new, "alice", APPROVERS) == []


def test_only_approvers_may_change_or_remove_one():
    old = execution(approve="start", approved_by="bob")
    # bob's name left in approved-by also breaks rule 2 for mallory
    assert update(old, annotated(old, approve=None), "mallory") == [rule(1), rule(2)]
    assert update(old, annotated(old, approve="start,layer-app", approved_by="mallory"), "mallory") == [rule(1)]
    assert update(old, annotated(old, approve=None, approved_by=None), "bob", APPROVERS) == []


def test_only_approvers_may_create_an_execution_that_is_already_approved():
    assert create(execution(approve="start"), "alice") == [rule(1)]
    assert create(execution(approve="start"), "alice", APPROVERS) == []


@pytest.mark.parametrize("key", ["pause", "resume", "cancel", "retry"])
def test_pause_resume_cancel_and_retry_are_open_to_whoever_may_patch(key):
    old = execution(approve="start", approved_by="bob")
    assert update(old, annotated(old, **{key: "token-1"}), "alice") == []


def test_an_empty_approvers_group_lets_nobody_decide():
    old = execution()
    assert update(old, annotated(old, approve="start"), "alice", ("",), approversGroup="") == [rule(1)]


def test_the_controllers_own_writes_pass():
    """Adding and removing its finalizer through a patch of the main resource, with no groups but its own."""
    old = execution(approve="start", approved_by="bob", created_by="alice")
    with_finalizer = copy.deepcopy(old)
    with_finalizer["metadata"]["finalizers"] = ["lifeboat.dev/execution"]
    operator = "system:serviceaccount:lifeboat-system:lifeboat-operator"
    groups = ("system:serviceaccounts", "system:serviceaccounts:lifeboat-system")
    assert update(old, with_finalizer, operator, groups) == []
    assert update(with_finalizer, old, operator, groups) == []


# ---- rule 2: approved-by is the requesting user ----

def test_approved_by_must_name_the_requesting_user():
    old = execution()
    assert update(old, annotated(old, approve="start", approved_by="carol"), "bob", APPROVERS) == [rule(2)]
    assert update(old, annotated(old, approve="start", approved_by="bob"), "bob", APPROVERS) == []
    assert create(execution(approve="start", approved_by="carol"), "bob", APPROVERS) == [rule(2)]


def test_a_new_decision_may_not_leave_someone_elses_name_in_approved_by():
    old = execution(approve="start", approved_by="bob")
    assert update(old, annotated(old, approve="start,layer-app"), "carol", APPROVERS) == [rule(2)]
    assert update(old, annotated(old, approve="start,layer-app", approved_by="carol"), "carol", APPROVERS) == []
    assert update(old, annotated(old, reject="layer-app"), "carol", APPROVERS) == [rule(2)]


def test_a_decision_without_approved_by_is_admitted_for_an_approver():
    """The approve command the controller suggests sets lifeboat.dev/approve alone."""
    old = execution()
    assert update(old, annotated(old, approve="start"), "bob", APPROVERS) == []


# ---- rules 3 and 4: created-by is trustworthy ----

def test_created_by_must_name_the_creating_user():
    assert create(execution(created_by="alice"), "alice") == []
    assert create(execution(created_by="bob"), "alice") == [rule(3)]
    assert create(execution(), "alice") == []  # optional while four-eyes is off


@pytest.mark.parametrize("change", [{"created_by": "bob"}, {"created_by": None}])
def test_created_by_cannot_change_or_go(change):
    old = execution(created_by="alice")
    assert update(old, annotated(old, **change), "alice", APPROVERS) == [rule(4)]


def test_created_by_cannot_be_added_later():
    old = execution()
    assert update(old, annotated(old, created_by="alice"), "alice") == [rule(4)]


def test_an_update_that_keeps_created_by_passes():
    old = execution(created_by="alice")
    assert update(old, annotated(old, pause="1"), "bob") == []


# ---- rules 5 and 6: four-eyes ----

def test_four_eyes_requires_the_creator_on_record():
    assert create(execution(), "alice", fourEyes="true") == [rule(5)]
    assert create(execution(created_by="alice"), "alice", fourEyes="true") == []


def test_four_eyes_the_creator_may_not_approve():
    old = execution(created_by="alice")
    approve = annotated(old, approve="start", approved_by="alice")
    assert update(old, approve, "alice", APPROVERS, fourEyes="true") == [rule(6)]
    assert update(old, annotated(old, approve="start", approved_by="bob"), "bob", APPROVERS, fourEyes="true") == []
    assert update(old, approve, "alice", APPROVERS, fourEyes="false") == []


def test_four_eyes_the_creator_may_not_override_the_guards_but_may_reject():
    old = execution(created_by="alice")
    assert update(old, annotated(old, override_guards="sure"), "alice", APPROVERS, fourEyes="true") == [rule(6)]
    assert update(old, annotated(old, reject="start"), "alice", APPROVERS, fourEyes="true") == []


def test_four_eyes_the_creator_may_not_pre_approve_at_creation():
    assert create(execution(created_by="alice", approve="start"), "alice", APPROVERS, fourEyes="true") == [rule(6)]


def test_four_eyes_an_execution_without_a_recorded_creator_cannot_be_approved():
    old = execution()  # created before four-eyes was turned on
    assert update(old, annotated(old, approve="start"), "bob", APPROVERS, fourEyes="true") == [rule(6)]


def test_four_eyes_under_gitops_the_controller_is_the_creator():
    argo = "system:serviceaccount:argocd:argocd-application-controller"
    created = execution(created_by=argo)
    assert create(created, argo, ("system:serviceaccounts",), fourEyes="true") == []
    assert update(created, annotated(created, approve="start"), "bob", APPROVERS, fourEyes="true") == []


# ---- rule 7: recovery managers ----

def test_only_recovery_managers_may_create_a_recovery_when_the_group_is_set():
    group = {"recoveryManagersGroup": RECOVERY_MANAGERS[0]}
    assert create(execution("Recovery"), "alice", **group) == [rule(7)]
    assert create(execution("Recovery"), "alice", RECOVERY_MANAGERS, **group) == []
    assert create(execution("Drill"), "alice", **group) == []


def test_without_the_group_anyone_rbac_allows_may_create_a_recovery():
    assert create(execution("Recovery"), "alice") == []


def test_working_on_an_existing_recovery_is_not_creating_one():
    group = {"recoveryManagersGroup": RECOVERY_MANAGERS[0]}
    old = execution("Recovery")
    assert update(old, annotated(old, cancel="1"), "alice", **group) == []


# ---- coverage ----

def test_every_rule_was_seen_to_deny():
    """Each validation above denies at least one request in these tests, and each admits others: a
    rule that never denies is dead, one that never admits blocks everything."""
    cases = [create(execution(approve="start")), create(execution(approve="s", approved_by="x"), groups=APPROVERS),
             create(execution(created_by="bob")), update(execution(), annotated(execution(), created_by="a")),
             create(execution(), fourEyes="true"),
             update(execution(created_by="alice"), annotated(execution(created_by="alice"), approve="s"),
                    "alice", APPROVERS, fourEyes="true"),
             create(execution("Recovery"), recoveryManagersGroup="g")]
    assert [c for c in cases] == [[m] for m in MESSAGES]
