"""Shared by the packaging tests: the repository root, the kustomizations and their rendering with
`kubectl kustomize` (each rendered once per session), and lookups in rendered objects."""
import functools
import pathlib
import shutil
import subprocess

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "manifests"
CHART = ROOT / "helm" / "lifeboat"
# Every kustomization a person can install (`kubectl apply -k`), relative to manifests/.
INSTALLS = [".", "base", "admission-policy", "overlays/eks-irsa", "overlays/eks-pod-identity",
            "overlays/single-namespace", "overlays/kubernetes-1.28", "monitoring"]
OPERATOR_NAMESPACE = "lifeboat-system"
OPERATOR_ACCOUNT = "lifeboat-operator"


@functools.lru_cache(maxsize=None)
def rendered_text(kustomization):
    """The YAML `kubectl kustomize manifests/<kustomization>` prints."""
    assert shutil.which("kubectl"), "kubectl is not on PATH (it renders the kustomizations)"
    done = subprocess.run(["kubectl", "kustomize", str(MANIFESTS / kustomization)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"kubectl kustomize manifests/{kustomization}: {done.stderr}"
    return done.stdout


def render(kustomization):
    """The objects of one kustomization, parsed (a fresh copy each call: tests may change them)."""
    return [d for d in yaml.safe_load_all(rendered_text(kustomization)) if d is not None]


def find(objects, kind, name=None, namespace=None):
    """The one object of that kind (and name, and namespace) among the rendered objects."""
    found = [o for o in objects if o["kind"] == kind and name in (None, o["metadata"]["name"])
             and namespace in (None, o["metadata"].get("namespace"))]
    assert len(found) == 1, f"expected one {kind} {name or ''} {namespace or ''}, found {len(found)}"
    return found[0]


def load_yaml(path):
    return [d for d in yaml.safe_load_all((ROOT / path).read_text()) if d is not None]
