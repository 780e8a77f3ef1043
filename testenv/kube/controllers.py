"""The controllers of a real control plane that the API's behaviour depends on, run synchronously after
each write: CRDs become served and Established (and clean up their objects when deleted), and
namespaces being deleted empty themselves and then go away. No garbage collector: a propagationPolicy
is accepted, and dependents are left alone (as if they had none)."""
from . import customresources, managed, timefmt
from .customresources import CLEANUP_FINALIZER, CustomResourceDefinitionType
from .values import clone


class Controllers:
    def __init__(self, api, crd_type):
        self.api, self.store, self.registry, self.crd_type = api, api.store, api.registry, crd_type
        api.hooks.append(self.on_write)

    def on_write(self, rtype, event, obj):
        if isinstance(rtype, CustomResourceDefinitionType):
            self._crd(event, obj)
        elif rtype is self.api.namespaces:
            self._namespace(event, obj)
        elif rtype.namespaced and event == "DELETED":
            self._maybe_finish_namespace(obj["metadata"].get("namespace"))

    # ---- CustomResourceDefinitions ----
    def _crd(self, event, crd):
        name = crd["metadata"]["name"]
        if event == "DELETED":
            self.registry.set_custom(name, [])
            return
        types = customresources.types_for(crd)
        for rtype in types:
            previous = next((t for t in self.registry.custom.get(name, [])
                             if (t.version, t.plural) == (rtype.version, rtype.plural)), None)
            rtype.watch_start_rv = previous.watch_start_rv if previous else self.store.rv
        self.registry.set_custom(name, types)
        meta = crd["metadata"]
        if meta.get("deletionTimestamp"):
            self._remove_instances(types)
            self._write_crd(crd, lambda c: c["metadata"].update(
                finalizers=[f for f in c["metadata"].get("finalizers", []) if f != CLEANUP_FINALIZER]))
            return
        established = any(c.get("type") == "Established" for c in (crd.get("status") or {}).get("conditions") or [])
        if event == "ADDED" or not established:
            def establish(c):  # no finalizer yet: DELETE adds it (CustomResourceDefinitionType.start_deletion)
                c["status"] = customresources.established_status(c, timefmt.now())
            self._write_crd(crd, establish)

    def _write_crd(self, crd, change):
        updated = clone(crd)
        change(updated)
        managers = managed.base_managers(crd, {}, ignore_request=True)
        result = managed.update(managers, crd, updated, self.crd_type.schema, ("kube-apiserver", "Update", "status"),
                                self.crd_type.group_version, [(("f", "spec"),)])
        self.api.set_managed(updated, result)
        key, name = self.crd_type.storage_key, crd["metadata"]["name"]
        if updated["metadata"].get("deletionTimestamp") and not updated["metadata"].get("finalizers"):
            gone = self.store.delete(key, "", name)
            self.api.run_hooks(self.crd_type, "DELETED", gone)
            return
        stored = self.store.update(key, "", name, updated)
        self.api.run_hooks(self.crd_type, "MODIFIED", stored)

    def _remove_instances(self, types):
        seen = set()
        for rtype in types:
            if rtype.storage_key in seen:
                continue
            seen.add(rtype.storage_key)
            for ns, name, _ in self.store.items(rtype.storage_key):
                gone = self.store.delete(rtype.storage_key, ns, name)
                self.api.run_hooks(rtype, "DELETED", gone)

    # ---- Namespaces ----
    def _namespace(self, event, ns):
        if event == "MODIFIED" and ns["metadata"].get("deletionTimestamp"):
            name = ns["metadata"]["name"]
            self.api.delete_all_in(name)
            self._maybe_finish_namespace(name)

    def _maybe_finish_namespace(self, name):
        if not name:
            return
        ns = self.store.get(self.api.namespaces.storage_key, "", name)
        if ns is None or not ns["metadata"].get("deletionTimestamp") or not self.api.namespace_empty(name):
            return
        gone = self.store.delete(self.api.namespaces.storage_key, "", name)
        self.api.run_hooks(self.api.namespaces, "DELETED", gone)
