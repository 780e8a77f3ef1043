"""Kubernetes RBAC, as kube-apiserver decides it, over rendered manifests and recorded requests.

- `attributes(entry)`: a request from the test API server's log (GET /testenv/requests) becomes
  the attributes the authorizer sees, as k8s.io/apiserver's RequestInfoFactory derives them:
  GET of one object → get, GET of a collection → list (watch with `watch=true`, or under the old
  `/watch/` prefix), POST → create, PUT → update, PATCH → patch, DELETE → delete (deletecollection
  without a name); a list or watch with `fieldSelector=metadata.name=X` carries the name X.
- `grants(objects, namespace, name)`: what the bindings among `objects` give a ServiceAccount: each
  rule of each bound Role or ClusterRole (aggregated ClusterRoles resolved), with the namespace it
  applies in (None for a ClusterRoleBinding: everywhere).
- `coverage(requests, objects, …)`: every recorded call the grants do not allow, and every granted
  (rule, resource, verb) no call used.
- `check_operator_rbac(url, …)`: both for the operator, from a live test API server: what the
  operator's end-to-end test calls at its end.
"""
import dataclasses
import json
import sys
import urllib.request
from urllib.parse import quote, unquote

from packaging_support import OPERATOR_ACCOUNT, OPERATOR_NAMESPACE, ROOT, render

# Non-resource URLs every authenticated user may GET through the default ClusterRoles
# system:discovery, system:basic-user and system:public-info-viewer.
DEFAULT_NON_RESOURCE = ("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/readyz", "/openapi",
                        "/openapi/*", "/version", "/version/")


@dataclasses.dataclass(frozen=True)
class Attributes:
    verb: str
    api_group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    path: str = ""  # set for non-resource requests only
    entry: dict = dataclasses.field(default=None, compare=False, hash=False)

    @property
    def resource_request(self):
        return not self.path

    def __str__(self):
        if not self.resource_request:
            return f"{self.verb} {self.path}"
        what = f"{self.resource}/{self.subresource}" if self.subresource else self.resource
        where = f" in {self.namespace}" if self.namespace else " cluster-wide"
        return f"{self.verb} {self.api_group or 'core'}/{what}{' ' + self.name if self.name else ''}{where}"


def attributes(entry):
    """The authorizer's view of one logged request ({"method", "path", "query", …})."""
    method, query = entry["method"].upper(), entry.get("query") or {}
    parts = [unquote(p) for p in entry["path"].split("/") if p]
    verb = {"GET": "get", "HEAD": "get", "POST": "create", "PUT": "update", "PATCH": "patch",
            "DELETE": "delete"}.get(method, method.lower())
    non_resource = Attributes(verb=method.lower(), path=entry["path"], entry=entry)
    if parts[:1] == ["api"] and len(parts) >= 2:
        group, rest = "", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, rest = parts[1], parts[3:]
    else:
        return non_resource
    watch_prefix = rest[:1] == ["watch"]
    if watch_prefix:
        rest, verb = rest[1:], "watch"
    if not rest:
        return non_resource  # discovery: /api/v1, /apis/GROUP/VERSION
    namespace = ""
    if rest[0] == "namespaces" and len(rest) >= 2 and not (len(rest) == 2 or rest[2] in ("status", "finalize")):
        namespace, rest = rest[1], rest[2:]
    elif rest[0] == "namespaces" and len(rest) >= 2:
        namespace = rest[1]  # the Namespace object itself, namespaced by its own name
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    if not name and verb == "get":
        verb = "watch" if str(query.get("watch", "")).lower() in ("1", "true", "t") else "list"
        selector = query.get("fieldSelector", "")
        terms = [t for t in selector.split(",") if t]
        for term in terms:
            if term.startswith("metadata.name=") and not term.startswith("metadata.name!="):
                name = term.split("=", 1)[1].lstrip("=")
    if not name and verb == "delete":
        verb = "deletecollection"
    return Attributes(verb, group, resource, subresource, namespace, name, entry=entry)


@dataclasses.dataclass
class Grant:
    rule: dict
    namespace: str  # None: every namespace (a ClusterRoleBinding)
    role: str
    binding: str

    def __str__(self):
        where = "cluster-wide" if self.namespace is None else f"in {self.namespace}"
        return f"{self.role} (bound by {self.binding} {where}): {json.dumps(self.rule, sort_keys=True)}"


def cluster_role_rules(objects, name):
    """A ClusterRole's rules; for an aggregated one, those of every ClusterRole its selectors match."""
    role = next((o for o in objects if o["kind"] == "ClusterRole" and o["metadata"]["name"] == name), None)
    if role is None:
        return []
    aggregation = role.get("aggregationRule")
    if not aggregation:
        return list(role.get("rules") or [])
    rules = []
    for selector in aggregation.get("clusterRoleSelectors", []):
        wanted = selector.get("matchLabels", {})
        for other in objects:
            labels = other["metadata"].get("labels") or {}
            if other["kind"] == "ClusterRole" and other is not role and all(labels.get(k) == v for k, v in wanted.items()):
                rules += other.get("rules") or []
    return rules


def grants(objects, namespace=OPERATOR_NAMESPACE, name=OPERATOR_ACCOUNT):
    """Every rule the ServiceAccount namespace/name holds through the bindings among `objects`."""
    found = []
    for binding in objects:
        if binding["kind"] not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        subjects = binding.get("subjects") or []
        if not any(s.get("kind") == "ServiceAccount" and s.get("name") == name and s.get("namespace") == namespace
                   for s in subjects):
            continue
        ref = binding["roleRef"]
        scope = binding["metadata"].get("namespace") if binding["kind"] == "RoleBinding" else None
        if ref["kind"] == "ClusterRole":
            rules = cluster_role_rules(objects, ref["name"])
        else:
            role = next((o for o in objects if o["kind"] == "Role" and o["metadata"]["name"] == ref["name"]
                         and o["metadata"].get("namespace") == scope), None)
            rules = list((role or {}).get("rules") or [])
        found += [Grant(rule, scope, f"{ref['kind']} {ref['name']}", f"{binding['kind']} {binding['metadata']['name']}")
                  for rule in rules]
    return found


def _matches(values, value):
    return "*" in values or value in values


def _resource_matches(resources, attrs):
    if attrs.subresource:
        combined = f"{attrs.resource}/{attrs.subresource}"
        return "*" in resources or combined in resources or f"*/{attrs.subresource}" in resources
    return "*" in resources or attrs.resource in resources


def allows(grant, attrs):
    """RBAC's RuleAllows, with the binding's namespace: a RoleBinding grants in its namespace only."""
    rule = grant.rule
    if not attrs.resource_request:
        urls = rule.get("nonResourceURLs") or []
        return _matches(rule.get("verbs", []), attrs.verb) and any(
            u == attrs.path or u == "*" or (u.endswith("*") and attrs.path.startswith(u[:-1])) for u in urls)
    if grant.namespace is not None and attrs.namespace != grant.namespace:
        return False
    names = rule.get("resourceNames") or []
    return (_matches(rule.get("verbs", []), attrs.verb) and _matches(rule.get("apiGroups", []), attrs.api_group)
            and _resource_matches(rule.get("resources", []), attrs)
            and (not names or attrs.name in names))


def default_allowed(attrs):
    """What every authenticated user may do without any binding of ours (discovery, health, version)."""
    return not attrs.resource_request and attrs.verb == "get" and any(
        attrs.path == u or (u.endswith("*") and attrs.path.startswith(u[:-1])) for u in DEFAULT_NON_RESOURCE)


def granted_permissions(grant):
    """(apiGroup, resource, verb, resourceNames) for each thing one rule grants."""
    rule = grant.rule
    names = tuple(rule.get("resourceNames") or ())
    return [(g, r, v, names) for g in rule.get("apiGroups", []) for r in rule.get("resources", [])
            for v in rule.get("verbs", [])]


@dataclasses.dataclass
class Coverage:
    uncovered: list  # Attributes no grant allows
    unused: list     # (Grant, (group, resource, verb, names)) no request used

    def problems(self):
        lines = [f"not allowed by RBAC: {a}" for a in self.uncovered]
        lines += [f"granted but never used: {g}/{r} {v}{' ' + ','.join(n) if n else ''} — {grant.role}"
                  for grant, (g, r, v, n) in self.unused]
        return lines


def coverage(requests, objects, namespace=OPERATOR_NAMESPACE, name=OPERATOR_ACCOUNT, may_stay_unused=()):
    """Check logged requests against what the ServiceAccount holds.

    may_stay_unused: (apiGroup, resource, verb) the scenario legitimately never exercised (say why
    where you pass it), e.g. ("events.k8s.io", "events", "patch") when no Event repeated."""
    held = grants(objects, namespace, name)
    used = set()
    uncovered = []
    for attrs in (attributes(e) for e in requests):
        if default_allowed(attrs):
            continue
        matching = [g for g in held if allows(g, attrs)]
        if not matching:
            uncovered.append(attrs)
        for grant in matching:
            for permission in granted_permissions(grant):
                group, resource, verb, names = permission
                full = f"{attrs.resource}/{attrs.subresource}" if attrs.subresource else attrs.resource
                if _matches([group], attrs.api_group) and resource in ("*", full) and _matches([verb], attrs.verb) \
                        and (not names or attrs.name in names):
                    used.add((id(grant), permission))
    unused = [(grant, p) for grant in held for p in granted_permissions(grant)
              if (id(grant), p) not in used and p[:3] not in set(may_stay_unused)]
    return Coverage(uncovered, unused)


def recorded_requests(url, user_agent=""):
    """The request log of a running test API server (testenv/README.md, GET /testenv/requests)."""
    query = f"?userAgent={quote(user_agent)}" if user_agent else ""
    with urllib.request.urlopen(f"{url.rstrip('/')}/testenv/requests{query}", timeout=10) as response:
        log = json.load(response)
    assert log["dropped"] == 0, f"the request log dropped {log['dropped']} entries: clear it more often"
    return log["requests"]


def check_operator_rbac(url, user_agent="lifeboat-operator", kustomizations=(".",), extra_objects=(),
                        may_stay_unused=()):
    """Assert that the operator, whose requests carry `user_agent`, made only calls the rendered
    manifests allow its ServiceAccount, and used every permission they grant it.

    url: the test API server the operator ran against; kustomizations: under manifests/, rendered
    and taken together (e.g. ("overlays/single-namespace",)); extra_objects: more RBAC objects, such
    as a Role for an external-id Secret of the test's plan; may_stay_unused: see coverage()."""
    objects = [o for k in kustomizations for o in render(k)] + list(extra_objects)
    requests = recorded_requests(url, user_agent)
    assert requests, f"no request with a User-Agent containing {user_agent!r} was recorded"
    result = coverage(requests, objects, may_stay_unused=may_stay_unused)
    assert not result.problems(), "\n".join(result.problems())
    return result


if __name__ == "__main__":  # python3 Tests/packaging/rbac.py http://127.0.0.1:PORT [USER_AGENT]
    sys.path.insert(0, str(ROOT / "Tests" / "packaging"))
    check_operator_rbac(sys.argv[1], *sys.argv[2:3])
    print("every call allowed, every permission used")
