"""GitOps: the Argo CD health checks (gitops/argocd, Lua) run under Lua 5.1 (Argo CD's gopher-lua)
and 5.4 against the samples of their health_test.yaml; argocd-cm.yaml carries them unchanged; and
for Flux, kstatus and the healthCheckExprs of gitops/flux read the same samples as documented."""
import pathlib
import shutil
import subprocess

import celpy
import pytest
import yaml

from packaging_support import ROOT

GITOPS = ROOT / "gitops"
KINDS = ["DRExecution", "DRPlan"]
INTERPRETERS = ["lua5.1", "lua5.4"]


def lua_literal(value):
    """A Lua table constructor for a JSON value (null becomes nil: absent, as Argo CD passes it)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua_literal(k)}] = {lua_literal(v)}" for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua_literal(v) for v in value) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def health(interpreter, kind, obj):
    """(status, message) of health.lua for obj, run as Argo CD runs it: `obj` global, `return hs`."""
    assert shutil.which(interpreter), f"{interpreter} is missing: scripts/bootstrap installs it"
    script = GITOPS / "argocd" / "lifeboat.dev" / kind / "health.lua"
    driver = (f"obj = {lua_literal(obj)}\n"
              f"local hs = assert(loadfile({lua_literal(str(script))}))()\n"
              "io.write(hs.status, '\\0', hs.message)\n")
    done = subprocess.run([interpreter, "-"], input=driver, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    status, message = done.stdout.split("\0")
    return status, message


def health_tests(kind):
    folder = GITOPS / "argocd" / "lifeboat.dev" / kind
    tests = yaml.safe_load((folder / "health_test.yaml").read_text())["tests"]
    return [(kind, t["inputPath"], t["healthStatus"]) for t in tests]


def sample(kind, path):
    return yaml.safe_load((GITOPS / "argocd" / "lifeboat.dev" / kind / path).read_text())


@pytest.mark.parametrize("interpreter", INTERPRETERS)
@pytest.mark.parametrize("kind, path, expected", [t for k in KINDS for t in health_tests(k)])
def test_argo_cd_health(interpreter, kind, path, expected):
    assert health(interpreter, kind, sample(kind, path)) == (expected["status"], expected["message"])


@pytest.mark.parametrize("kind", KINDS)
def test_every_sample_is_tested(kind):
    folder = GITOPS / "argocd" / "lifeboat.dev" / kind
    assert sorted(f"testdata/{p.name}" for p in (folder / "testdata").iterdir()) == sorted(
        path for _, path, _ in health_tests(kind))


def test_every_argo_cd_status_is_reachable():
    seen = {(kind, expected["status"]) for kind in KINDS for _, _, expected in health_tests(kind)}
    assert {s for k, s in seen if k == "DRExecution"} == {"Progressing", "Suspended", "Healthy", "Degraded"}
    assert {s for k, s in seen if k == "DRPlan"} == {"Progressing", "Healthy", "Degraded"}


def test_argocd_cm_carries_the_checks_unchanged():
    config = yaml.safe_load((GITOPS / "argocd" / "argocd-cm.yaml").read_text())
    assert config["metadata"]["name"] == "argocd-cm"
    for kind in KINDS:
        script = (GITOPS / "argocd" / "lifeboat.dev" / kind / "health.lua").read_text()
        assert config["data"][f"resource.customizations.health.lifeboat.dev_{kind}"] == script, "run make generate"


# ---- Flux: kstatus ----

from kstatus import compute  # noqa: E402

KSTATUS = {
    ("DRExecution", "new"): "Current", ("DRExecution", "plan-busy"): "Current",
    ("DRExecution", "guard-refused"): "Failed", ("DRExecution", "awaiting-approval"): "Current",
    ("DRExecution", "running"): "InProgress", ("DRExecution", "pausing"): "InProgress",
    ("DRExecution", "paused"): "Current", ("DRExecution", "cancelling"): "InProgress",
    ("DRExecution", "succeeded"): "Current", ("DRExecution", "succeeded-with-failures"): "Current",
    ("DRExecution", "failed"): "Current", ("DRExecution", "rejected"): "Current",
    ("DRExecution", "cancelled"): "Current", ("DRExecution", "deleting"): "Terminating",
    ("DRPlan", "new"): "Current", ("DRPlan", "ready"): "Current", ("DRPlan", "not-ready"): "InProgress",
    ("DRPlan", "invalid"): "InProgress", ("DRPlan", "unchecked"): "InProgress", ("DRPlan", "edited"): "InProgress",
}


@pytest.mark.parametrize("kind, name", sorted(KSTATUS))
def test_kstatus_reads_the_conditions_as_documented(kind, name):
    """What gitops/flux/kustomization.yaml and docs/gitops.md say kstatus makes of each sample."""
    assert compute(sample(kind, f"testdata/{name}.yaml")) == KSTATUS[(kind, name)]


def test_kstatus_sees_every_sample():
    for kind in KINDS:
        names = {p.stem for p in (GITOPS / "argocd" / "lifeboat.dev" / kind / "testdata").iterdir()}
        assert names == {n for k, n in KSTATUS if k == kind}


def test_the_engines_condition_types_are_the_ones_kstatus_reads():
    """Reconciling and Stalled, kstatus's abnormal-true conditions, are what the engine sets."""
    engine = (ROOT / "Sources" / "Engine" / "Step" / "Run+Conclusion.swift").read_text()
    for condition in ("Succeeded", "Reconciling", "Stalled", "AwaitingApproval", "Paused"):
        assert f'"{condition}"' in engine


# ---- Flux: healthCheckExprs ----

FLUX = yaml.safe_load((GITOPS / "flux" / "kustomization.yaml").read_text())
ENV = celpy.Environment()


def flux_status(kind, obj):
    """Flux's order: inProgress, failed, current; the first true one decides, none is InProgress.
    An expression that cannot be evaluated (a field not there yet) leaves the object InProgress."""
    exprs = next(e for e in FLUX["spec"]["healthCheckExprs"] if e["kind"] == kind)
    activation = {k: celpy.json_to_cel(v) for k, v in obj.items()}
    for field, status in (("inProgress", "InProgress"), ("failed", "Failed"), ("current", "Current")):
        if field not in exprs:
            continue
        try:
            if bool(ENV.program(ENV.compile(exprs[field])).evaluate(activation)):
                return status
        except celpy.CELEvalError:
            return "InProgress"
    return "InProgress"


FLUX_EXPECTED = {
    ("DRExecution", "new"): "InProgress", ("DRExecution", "plan-busy"): "InProgress",
    ("DRExecution", "guard-refused"): "Failed", ("DRExecution", "awaiting-approval"): "InProgress",
    ("DRExecution", "running"): "InProgress", ("DRExecution", "pausing"): "InProgress",
    ("DRExecution", "paused"): "InProgress", ("DRExecution", "cancelling"): "InProgress",
    ("DRExecution", "succeeded"): "Current", ("DRExecution", "succeeded-with-failures"): "Current",
    ("DRExecution", "failed"): "Failed", ("DRExecution", "rejected"): "Failed",
    ("DRExecution", "cancelled"): "Failed", ("DRExecution", "deleting"): "InProgress",
    ("DRPlan", "new"): "InProgress", ("DRPlan", "ready"): "Current", ("DRPlan", "not-ready"): "Failed",
    ("DRPlan", "invalid"): "Failed", ("DRPlan", "unchecked"): "InProgress", ("DRPlan", "edited"): "InProgress",
}


@pytest.mark.parametrize("kind, name", sorted(FLUX_EXPECTED))
def test_flux_health_check_expressions(kind, name):
    assert flux_status(kind, sample(kind, f"testdata/{name}.yaml")) == FLUX_EXPECTED[(kind, name)]


def test_flux_and_argo_cd_agree_on_failure():
    """A sample Argo CD calls Degraded is Failed for Flux, and a Healthy one Current."""
    for kind in KINDS:
        for _, path, expected in health_tests(kind):
            flux = FLUX_EXPECTED[(kind, pathlib.Path(path).stem)]
            if expected["status"] == "Degraded":
                assert flux == "Failed", path
            if expected["status"] == "Healthy":
                assert flux == "Current", path
