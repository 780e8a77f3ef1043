"""The test API server's state, wired together: types, storage, the REST verbs, the emulated
controllers, open watches, faults and settings; startup (namespaces, CRDs from files) and reset; and
the /testenv control API that tests drive."""
import json
import os

from . import cel, control, discovery
from .requestlog import RequestLog
from .builtins import LeaseType, NamespaceType
from .customresources import CustomResourceDefinitionType
from .controllers import Controllers
from .errors import ApiError
from .events import CoreEventType, EventsV1EventType
from .resources import Registry
from .request import Call
from .rest import Api
from .storage import Store
from .watch import OpenWatches

try:
    import yaml
except ImportError:
    yaml = None

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


class Settings:
    def __init__(self, bookmark_interval=60.0, min_request_timeout=1800.0, history_seconds=300.0, tokens=(),
                 crd_paths=(), verbose=False):
        self.bookmark_interval, self.min_request_timeout = bookmark_interval, min_request_timeout
        self.history_seconds, self.tokens, self.crd_paths, self.verbose = history_seconds, tuple(tokens), crd_paths, verbose


def load_documents(path):
    """Every object in a YAML/JSON file, or in the .yaml/.yml/.json files of a directory."""
    files = [path] if os.path.isfile(path) else sorted(
        os.path.join(path, f) for f in os.listdir(path) if f.endswith((".yaml", ".yml", ".json")))
    documents = []
    for name in files:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
        if name.endswith(".json"):
            documents.append(json.loads(text))
        elif yaml is None:
            raise SystemExit(f"testenv.kube: PyYAML is needed to read {name}")
        else:
            documents += [d for d in yaml.safe_load_all(text) if d]
    return documents


class ApiServer:
    def __init__(self, settings):
        self.settings = settings
        self.registry = Registry()
        self.namespaces = NamespaceType()
        self.crd_type = CustomResourceDefinitionType()
        for rtype in (self.namespaces, CoreEventType(), EventsV1EventType(), LeaseType(), self.crd_type):
            self.registry.add_builtin(rtype)
        self.store = Store(settings.history_seconds)
        self.api = Api(self.store, self.registry, self.namespaces)
        self.controllers = Controllers(self.api, self.crd_type)
        self.faults = control.Faults()
        self.watches = OpenWatches()
        self.requests = RequestLog()
        self.startup_crds = [d for path in settings.crd_paths for d in load_documents(path)
                             if d.get("kind") == "CustomResourceDefinition"]
        cel.announce()
        self.bootstrap()

    def _create(self, rtype, obj):
        call = Call("create", rtype, (obj.get("metadata") or {}).get("namespace"), "", "", {},
                    json.dumps(obj).encode(), "application/json", "kube-apiserver/v1.28.4")
        self.api.create(call)

    def bootstrap(self):
        with self.store.lock:
            for name in SYSTEM_NAMESPACES:
                self._create(self.namespaces, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
            for crd in self.startup_crds:
                try:
                    self._create(self.crd_type, crd)
                except ApiError as exc:
                    raise SystemExit(f"testenv.kube: cannot load CRD {crd.get('metadata', {}).get('name')}: {exc.message}")
            for rtype in self.registry.builtin:
                rtype.watch_start_rv = self.store.rv

    def reset(self):
        self.watches.command(self.store, "drop")
        self.faults.clear()
        self.requests.clear()
        with self.store.lock:
            self.store.reset()
            for name in list(self.registry.custom):
                self.registry.set_custom(name, [])
            self.bootstrap()

    # ---- /testenv ----
    def state(self):
        return {"resourceVersion": str(self.store.rv), "compactedResourceVersion": str(self.store.compacted),
                "openWatches": self.watches.count(), "faults": self.faults.describe(), "cel": cel.AVAILABLE,
                "bookmarkIntervalSeconds": self.settings.bookmark_interval,
                "historySeconds": self.store.history_seconds,
                "minRequestTimeoutSeconds": self.settings.min_request_timeout}

    def control(self, method, path, query, body):
        """(HTTP status, JSON) for a /testenv request."""
        parts = [p for p in path.split("/") if p][1:]
        what = parts[0] if parts else ""
        try:
            data = json.loads(body) if body and body.strip() else {}
        except ValueError:
            return 400, {"error": "the body is not JSON"}
        if what == "state" and method == "GET":
            return 200, self.state()
        if what == "reset" and method == "POST":
            self.reset()
            return 200, self.state()
        if what == "compact" and method == "POST":
            rv = query.get("resourceVersion", [None])[0]
            return 200, {"compactedResourceVersion": str(self.store.compact(rv))}
        if what == "watches" and method == "POST":
            mode = query.get("mode", ["drop"])[0]
            if mode not in ("drop", "end", "expire"):
                return 400, {"error": "mode is drop, end or expire"}
            return 200, {"affected": self.watches.command(self.store, mode, query.get("path", [""])[0],
                                                          query.get("userAgent", [""])[0])}
        if what == "faults":
            if method == "GET":
                return 200, {"faults": self.faults.describe()}
            if method == "POST":
                try:
                    specs = data if isinstance(data, list) else [data]
                    return 201, {"ids": [self.faults.add(s).id for s in specs]}
                except (ValueError, TypeError) as exc:
                    return 400, {"error": str(exc)}
            if method == "DELETE":
                fault_id = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                return 200, {"removed": self.faults.clear(fault_id)}
        if what == "requests":
            if method == "GET":
                since = query.get("since", ["0"])[0]
                return 200, self.requests.describe(query.get("userAgent", [""])[0], int(since) if since.isdigit() else 0)
            if method == "DELETE":
                return 200, {"removed": self.requests.clear()}
        if what == "config" and method == "POST":
            if "bookmarkIntervalSeconds" in data:
                self.settings.bookmark_interval = float(data["bookmarkIntervalSeconds"])
            if "minRequestTimeoutSeconds" in data:
                self.settings.min_request_timeout = float(data["minRequestTimeoutSeconds"])
            if "historySeconds" in data:
                with self.store.lock:
                    self.store.history_seconds = None if data["historySeconds"] is None else float(data["historySeconds"])
            return 200, self.state()
        return 404, {"error": f"no control endpoint {method} {path}"}

    # ---- discovery ----
    def discovery(self, kind, detail, address):
        if kind == "api":
            return discovery.api_versions(address)
        if kind == "apis":
            return discovery.group_list(self.registry)
        if kind == "group":
            return discovery.group(self.registry, detail)
        if kind == "groupversion":
            return discovery.resource_list(self.registry, *detail)
        return None
