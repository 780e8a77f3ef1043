"""helm/lifeboat, checked without Helm (none can be installed here): its CRDs and other copies are
the originals; every .Values path a template uses is in values.yaml and every value is used; each
object of manifests/ has its counterpart in the chart, with the same rules, policy, alerts and
settings; the templates' blocks are balanced."""
import filecmp
import re

import pytest
import yaml

from packaging_support import CHART, INSTALLS, MANIFESTS, ROOT, find, render

TEMPLATES = sorted((CHART / "templates").iterdir())
VALUES = yaml.safe_load((CHART / "values.yaml").read_text())
VALUE_PATH = re.compile(r"\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")


def used_value_paths():
    return {tuple(m.group(1).strip(".").split(".")) for t in TEMPLATES for m in VALUE_PATH.finditer(t.read_text())}


def value_leaves(node, path=()):
    if isinstance(node, dict) and node:
        for key, child in node.items():
            yield from value_leaves(child, path + (key,))
    else:
        yield path


def test_every_value_a_template_uses_is_in_values_yaml():
    for path in sorted(used_value_paths()):
        node = VALUES
        for key in path:
            assert isinstance(node, dict) and key in node, f".Values.{'.'.join(path)} is not in values.yaml"
            node = node[key]


def test_every_value_in_values_yaml_is_used():
    used = used_value_paths()
    for leaf in value_leaves(VALUES):
        assert any(leaf[:len(u)] == u for u in used), f"values.yaml: {'.'.join(leaf)} is used by no template"


def test_the_value_scan_sees_what_it_should():
    """The two checks above only mean something if the scan finds the paths the templates use."""
    used = used_value_paths()
    assert ("admissionPolicy", "fourEyes") in used and ("watchNamespaces",) in used and ("image", "digest") in used


@pytest.mark.parametrize("name", ["lifeboat.dev_drplans.yaml", "lifeboat.dev_drexecutions.yaml"])
def test_the_charts_crds_are_crds(name):
    assert filecmp.cmp(ROOT / "crds" / name, CHART / "crds" / name, shallow=False)
    assert sorted(p.name for p in (CHART / "crds").iterdir()) == sorted(p.name for p in (ROOT / "crds").iterdir())


@pytest.mark.parametrize("copy, original", [
    ("files/user-roles.yaml", "base/user-roles.yaml"),
    ("files/dashboards/lifeboat.json", "monitoring/dashboards/lifeboat.json"),
])
def test_byte_copies_are_the_originals(copy, original):
    assert filecmp.cmp(CHART / copy, MANIFESTS / original, shallow=False), f"run `make generate` ({copy})"


def test_the_admission_policy_spec_is_manifests():
    spec = yaml.safe_load((CHART / "files" / "admission-policy-spec.yaml").read_text())
    assert spec == find(render("admission-policy"), "ValidatingAdmissionPolicy")["spec"]


def test_the_admission_settings_default_to_manifests():
    config = find(render("admission-policy"), "ConfigMap", "lifeboat-admission")["data"]
    values = VALUES["admissionPolicy"]
    assert config == {"approversGroup": values["approversGroup"], "recoveryManagersGroup": values["recoveryManagersGroup"],
                      "fourEyes": str(values["fourEyes"]).lower()}


def test_the_alerts_are_manifests():
    groups = yaml.safe_load((CHART / "files" / "prometheus-rules.yaml").read_text())
    assert groups == find(render("monitoring"), "PrometheusRule")["spec"]


def test_the_operators_rules_are_manifests():
    helpers = (CHART / "templates" / "_helpers.tpl").read_text()
    block = re.search(r'define "lifeboat.operatorRules" -}}\n(.*?)\n{{- end }}', helpers, re.S).group(1)
    assert yaml.safe_load(block) == find(render("base"), "ClusterRole", "lifeboat-operator")["rules"]


def test_the_deployment_defaults_are_manifests():
    container = find(render("base"), "Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert VALUES["resources"] == container["resources"]
    assert VALUES["replicas"] == find(render("base"), "Deployment")["spec"]["replicas"]
    assert f"--log-level={VALUES['logLevel']}" in container["args"]
    assert f"--log-format={VALUES['logFormat']}" in container["args"]
    assert VALUES["image"]["pullPolicy"] == container["imagePullPolicy"]
    assert container["image"] == f"{VALUES['image']['repository']}:{chart()['appVersion']}"
    template = (CHART / "templates" / "deployment.yaml").read_text()
    flags = set(re.findall(r"^\s+- (--[a-z-]+)", template, re.M))
    assert flags == {a.split("=")[0] for a in container["args"]} | {"--namespace"}


def chart():
    return yaml.safe_load((CHART / "Chart.yaml").read_text())


def test_the_chart_moves_with_the_release():
    swift = (ROOT / "Sources" / "LifeboatAPI" / "Meta" / "LifeboatVersion.swift").read_text()
    version = re.search(r'current = "([^"]+)"', swift).group(1)
    meta = chart()
    assert (meta["apiVersion"], meta["version"], meta["appVersion"]) == ("v2", version, version)
    assert meta["kubeVersion"] == ">=1.28.0-0"
    assert "Helm 3.8" in (CHART / "Chart.yaml").read_text()


# ---- counterparts ----

def chart_objects():
    """(kind, name pattern) of every object the chart can render: template documents (a name with a
    template expression becomes a pattern), the CRDs and the user roles it includes."""
    found = []
    texts = [t.read_text() for t in TEMPLATES if t.suffix == ".yaml"]
    texts += [(CHART / "files" / "user-roles.yaml").read_text()] + [p.read_text() for p in (CHART / "crds").iterdir()]
    for text in texts:
        for document in re.split(r"^---$", text, flags=re.M):
            kind = re.search(r"^kind: (\w+)", document, re.M)
            name = re.search(r"^metadata:\n(?:  .*\n)*?  name: (.+)$", document, re.M)
            if kind and name:
                pattern = re.sub(r"\\\{\\\{.*?\\\}\\\}", ".+", re.escape(name.group(1).strip()))
                found.append((kind.group(1), re.compile(pattern + "$")))
    return found


# Namespace: Helm installs into a namespace (`helm install -n lifeboat-system --create-namespace`).
NOT_IN_THE_CHART = {("Namespace", "lifeboat-system")}


@pytest.mark.parametrize("install", INSTALLS)
def test_every_object_of_manifests_has_its_counterpart_in_the_chart(install):
    objects = chart_objects()
    for obj in render(install):
        key = (obj["kind"], obj["metadata"]["name"])
        if key in NOT_IN_THE_CHART:
            continue
        assert any(kind == key[0] and pattern.match(key[1]) for kind, pattern in objects), f"{key} is not in the chart"


def test_the_chart_renders_nothing_manifests_lacks():
    names = {(o["kind"], o["metadata"]["name"]) for install in INSTALLS for o in render(install)}
    for kind, pattern in chart_objects():
        assert any(k == kind and pattern.match(n) for k, n in names), f"{kind} {pattern.pattern} only in the chart"


# ---- template syntax ----

@pytest.mark.parametrize("template", [t.name for t in TEMPLATES])
def test_template_actions_are_balanced(template):
    text = (CHART / "templates" / template).read_text()
    assert text.count("{{") == text.count("}}")
    actions = re.findall(r"{{-?\s*(if|range|with|define|end)\b", text)
    depth = 0
    for action in actions:
        depth += -1 if action == "end" else 1
        assert depth >= 0, f"{template}: an end without its block"
    assert depth == 0, f"{template}: a block without its end"


def test_notes_give_the_next_step():
    notes = (CHART / "templates" / "NOTES.txt").read_text()
    assert "Next:" in notes and "first-drill" in notes
