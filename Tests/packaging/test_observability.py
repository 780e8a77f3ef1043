"""The alerts and the dashboard use only metrics the operator exports, with their labels; every
lifeboat_* metric is on the dashboard; the ServiceMonitor, the alerts' job and the metrics
Service agree."""
import json
import re

import pytest
import yaml

from packaging_support import MANIFESTS, find, render

# What the operator exports (docs/metrics.md), in one place: name → (type, labels).
EXPORTED = {
    "controller_runtime_reconcile_total": ("counter", {"controller", "result"}),
    "controller_runtime_reconcile_errors_total": ("counter", {"controller"}),
    "controller_runtime_reconcile_time_seconds": ("histogram", {"controller"}),
    "workqueue_depth": ("gauge", {"name"}),
    "workqueue_adds_total": ("counter", {"name"}),
    "workqueue_retries_total": ("counter", {"name"}),
    "informer_undecodable_objects_total": ("counter", set()),
    "leader_election_master_status": ("gauge", {"name"}),
    "lifeboat_execution_phase": ("gauge", {"namespace", "execution", "plan", "phase"}),
    "lifeboat_execution_duration_seconds": ("histogram", {"phase", "mode", "result"}),
    "lifeboat_layer_duration_seconds": ("histogram", {"phase", "mode"}),
    "lifeboat_module_operations_total": ("counter", {"module", "phase", "result"}),
    "lifeboat_gate_wait_seconds": ("histogram", set()),
    "lifeboat_plan_ready": ("gauge", {"namespace", "plan"}),
    "lifeboat_readiness_checks_total": ("counter", {"module", "result"}),
    "lifeboat_readiness_check_errors_total": ("counter", set()),
}
# Prometheus's own: `up` for every target, and the labels a ServiceMonitor target carries.
PROMETHEUS_SERIES = {"up": ("gauge", set())}
TARGET_LABELS = {"job", "instance", "pod", "service", "endpoint", "container"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset"}


def series_names():
    """Every name a query may select: counters and gauges as they are, histograms as _bucket/_sum/_count."""
    names = {}
    for name, (kind, labels) in {**EXPORTED, **PROMETHEUS_SERIES}.items():
        if kind == "histogram":
            names[f"{name}_bucket"] = labels | {"le"}
            names[f"{name}_sum"] = labels
            names[f"{name}_count"] = labels
        else:
            names[name] = labels
    return names


def metrics_and_labels(expr):
    """(metric names, label names in selectors, label names in by/without) of a PromQL expression."""
    selector_labels = set()
    for match in re.finditer(r"\{([^}]*)\}", expr):
        selector_labels |= set(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)", match.group(1)))
    grouping = set()
    for match in re.finditer(r"\b(?:by|without)\s*\(([^)]*)\)", expr):
        grouping |= {label.strip() for label in match.group(1).split(",") if label.strip()}
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", bare)
    bare = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", bare)
    names = {m.group(1) for m in re.finditer(r"(?<![\w.])([A-Za-z_:][A-Za-z0-9_:]*)(?![\w:])(?!\s*\()", bare)
             if m.group(1) not in KEYWORDS}
    return names, selector_labels, grouping


def rule_exprs():
    rule = find(render("monitoring"), "PrometheusRule")
    return [(r["alert"], r["expr"]) for group in rule["spec"]["groups"] for r in group["rules"]]


DASHBOARD = json.loads((MANIFESTS / "monitoring" / "dashboards" / "lifeboat.json").read_text())


def dashboard_exprs():
    found = [(p["title"], t["expr"]) for p in DASHBOARD["panels"] for t in p.get("targets", [])]
    for variable in DASHBOARD["templating"]["list"]:
        if variable["type"] == "query":
            metric, label = re.fullmatch(r"label_values\((\w+),\s*(\w+)\)", variable["query"]["query"]).groups()
            found.append((f"${variable['name']}", f"max by ({label}) ({metric})"))
    return found


@pytest.mark.parametrize("where, expr", rule_exprs() + dashboard_exprs())
def test_queries_use_only_exported_metrics_and_their_labels(where, expr):
    known = series_names()
    names, selector_labels, grouping = metrics_and_labels(expr)
    assert names, f"{where}: no metric found in {expr}"
    for name in names:
        assert name in known, f"{where}: {name} is not a metric the operator exports"
    labels = set().union(*(known[n] for n in names)) | TARGET_LABELS
    assert selector_labels <= labels, f"{where}: {selector_labels - labels} in {expr}"
    assert grouping <= labels, f"{where}: {grouping - labels} in {expr}"


def test_the_parser_finds_metrics_and_labels():
    names, selectors, grouping = metrics_and_labels(
        'histogram_quantile(0.95, sum by (le, controller) (rate(controller_runtime_reconcile_time_seconds_bucket{job="x"}[5m]))) > 1')
    assert (names, selectors, grouping) == ({"controller_runtime_reconcile_time_seconds_bucket"}, {"job"}, {"le", "controller"})
    assert metrics_and_labels('absent(up{job="a"} == 1)')[0] == {"up"}
    assert metrics_and_labels("nonexistent_metric > 0")[0] == {"nonexistent_metric"}


def test_every_lifeboat_metric_is_on_the_dashboard():
    used = set().union(*(metrics_and_labels(e)[0] for _, e in dashboard_exprs()))
    for name, (kind, _) in EXPORTED.items():
        wanted = {f"{name}_bucket", f"{name}_count"} if kind == "histogram" else {name}
        assert used & wanted, f"{name} is not on the dashboard"


def test_the_alerts_the_issue_names_are_there():
    alerts = {a for a, _ in rule_exprs()}
    assert {"LifeboatExecutionFailed", "LifeboatGateWaitingTooLong", "LifeboatPlanNotReady",
            "LifeboatReadinessChecksFailing", "LifeboatOperatorDown"} <= alerts
    rule = find(render("monitoring"), "PrometheusRule")
    for group in rule["spec"]["groups"]:
        for r in group["rules"]:
            assert r["labels"]["severity"] in ("critical", "warning")
            assert r["annotations"]["summary"] and r["annotations"]["description"]
            assert r["annotations"]["runbook_url"].startswith("docs/")


def test_the_job_the_queries_name_is_the_metrics_service():
    service = find(render("base"), "Service")
    jobs = {j for _, e in rule_exprs() + dashboard_exprs() for j in re.findall(r'job="([^"]+)"', e)}
    assert jobs == {service["metadata"]["name"]}


def test_the_service_monitor_scrapes_the_metrics_service_keeping_the_operators_labels():
    monitor = find(render("monitoring"), "ServiceMonitor")
    service = find(render("base"), "Service")
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["namespaceSelector"]["matchNames"] == [service["metadata"]["namespace"]]
    (endpoint,) = monitor["spec"]["endpoints"]
    assert (endpoint["port"], endpoint["path"], endpoint["honorLabels"]) == ("metrics", "/metrics", True)
    assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}


def test_the_dashboard_ships_as_a_configmap_for_grafanas_sidecar():
    config = find(render("monitoring"), "ConfigMap", "lifeboat-dashboard")
    assert config["metadata"]["labels"]["grafana_dashboard"] == "1"
    assert json.loads(config["data"]["lifeboat.json"]) == DASHBOARD
    assert DASHBOARD["uid"] and DASHBOARD["title"] == "Lifeboat"
