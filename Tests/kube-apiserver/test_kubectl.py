"""kubectl against the test API server: apply the CRDs and a Lifeboat plan, get (server-side Table),
annotate, patch, describe and delete — what people will do with the operator's resources."""
import shutil
import subprocess

import pytest

from kube_testenv import ROOT

@pytest.fixture
def kubectl(spawn, tmp_path):
    assert shutil.which("kubectl"), "kubectl is not on PATH: this machine kind ships it; install it to run these tests"
    server = spawn()  # an empty server: the CRDs come in through kubectl

    def run(*args, ok=True):
        done = subprocess.run(["kubectl", "--server", server.url, "--cache-dir", str(tmp_path / "cache"), *args],
                              capture_output=True, text=True, timeout=60, cwd=ROOT,
                              env={"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path),
                                   "KUBECONFIG": str(tmp_path / "none")})
        if ok:
            assert done.returncode == 0, done.stderr
        return done
    return run


def test_apply_get_annotate_patch_describe_delete_a_plan(kubectl):
    assert "created" in kubectl("apply", "-f", "crds/").stdout
    kubectl("create", "namespace", "dr")
    assert kubectl("apply", "-f", "examples/payments-plan.yaml").stdout.strip() == "drplan.lifeboat.dev/payments created"
    table = kubectl("get", "drplans", "-n", "dr").stdout.splitlines()
    assert table[0].split() == ["NAME", "VALID", "READY", "ACTIVE", "REGION", "LAYERS", "RESOURCES", "LAST",
                                "ACTIVATION", "AGE"]
    assert table[1].startswith("payments")
    assert kubectl("get", "drp", "-A", "-o", "name").stdout.strip() == "drplan.lifeboat.dev/payments"
    kubectl("apply", "-f", "examples/payments-plan.yaml")
    kubectl("annotate", "drplan", "payments", "-n", "dr", "lifeboat.dev/approve=Activate")
    kubectl("patch", "drplan", "payments", "-n", "dr", "--type", "merge", "-p", '{"spec":{"description":"changed"}}')
    got = kubectl("get", "drplan", "payments", "-n", "dr", "-o",
                  "jsonpath={.metadata.generation} {.spec.description} {.metadata.annotations.lifeboat\\.dev/approve}")
    assert got.stdout == "2 changed Activate"
    assert "Payments" not in kubectl("describe", "drplan", "payments", "-n", "dr").stderr
    refused = kubectl("patch", "drplan", "payments", "-n", "dr", "--type", "merge", "-p",
                      '{"spec":{"regions":{"secondary":"us-east-1"}}}', ok=False)
    assert refused.returncode != 0 and "primary and secondary must be different regions" in refused.stderr
    assert "deleted" in kubectl("delete", "drplan", "payments", "-n", "dr").stdout
    assert kubectl("get", "drplans", "-A").stderr.strip() == "No resources found"


def test_server_side_apply_through_kubectl(kubectl):
    kubectl("apply", "-f", "crds/")
    kubectl("create", "namespace", "dr")
    applied = kubectl("apply", "--server-side", "-f", "examples/payments-plan.yaml")
    assert "serverside-applied" in applied.stdout
    managers = kubectl("get", "drplan", "payments", "-n", "dr", "--show-managed-fields", "-o",
                       "jsonpath={.metadata.managedFields[*].manager}")
    assert managers.stdout == "kubectl"


def test_server_side_apply_of_the_crds_and_every_example_on_an_empty_server(kubectl):
    """Issue 10's acceptance, as a new user does it: the CRDs (bounded so kube-apiserver's CEL cost
    estimate accepts them; the test server estimates as v1.28.4 does) and then every example."""
    applied = kubectl("apply", "--server-side", "-f", "crds/").stdout
    assert "customresourcedefinition.apiextensions.k8s.io/drplans.lifeboat.dev serverside-applied" in applied
    assert "customresourcedefinition.apiextensions.k8s.io/drexecutions.lifeboat.dev serverside-applied" in applied
    kubectl("create", "namespace", "dr")
    for example in ("examples/payments-plan.yaml", "examples/demo/payments-dr.yaml", "examples/executions/"):
        assert "serverside-applied" in kubectl("apply", "--server-side", "-f", example).stdout
    names = kubectl("get", "drp,drx", "-n", "dr", "-o", "name").stdout.split()
    assert names == ["drplan.lifeboat.dev/payments", "drplan.lifeboat.dev/payments-demo",
                     "drexecution.lifeboat.dev/payments-activate", "drexecution.lifeboat.dev/payments-cleanup",
                     "drexecution.lifeboat.dev/payments-instantiate-drill", "drexecution.lifeboat.dev/payments-replicate"]
