"""Resource types: what the server knows about each group/version/resource, and the registry that
maps URLs to them. A type carries its naming and discovery facts and its lifecycle rules (the
"strategy" of the real server): what create and update may set, when generation moves, how it
validates, which fields selectors can use, how it prints as a Table row.
"""
import threading

from . import objectmeta
from . import schema as sch
from .values import clone, equal, integral_floats_as_ints

NAME_COLUMN = {
    "name": "Name", "type": "string", "format": "name",
    "description": "Name must be unique within a namespace. Is required when creating resources, although some "
                   "resources may allow a client to request the generation of an appropriate name automatically. "
                   "Name is primarily intended for creation idempotence and configuration definition. Cannot be "
                   "updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
    "priority": 0,
}
CREATED_AT_COLUMN = {
    "name": "Created At", "type": "date", "format": "",
    "description": "CreationTimestamp is a timestamp representing the server time when this object was created. It "
                   "is not guaranteed to be set in happens-before order across separate operations. Clients may not "
                   "set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. "
                   "Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/"
                   "sig-architecture/api-conventions.md#metadata",
    "priority": 0,
}
ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def with_object_meta(root):
    """A kind's root schema with apiVersion, kind and the full ObjectMeta schema in place."""
    root = clone(root or {"type": "object"})
    props = root.setdefault("properties", {})
    props["apiVersion"] = {"type": "string"}
    props["kind"] = {"type": "string"}
    props["metadata"] = objectmeta.SCHEMA
    root.setdefault("type", "object")
    return root


class ResourceType:
    """Defaults describe a plain namespaced kind without status or generation; kinds override."""

    group = ""
    version = "v1"
    plural = singular = kind = list_kind = ""
    namespaced = True
    short_names = ()
    categories = ()
    verbs = ALL_VERBS
    status_subresource = False
    has_generation = False
    allow_create_on_update = False
    allow_unconditional_update = True
    typed = True  # a built-in Go type: fixed field order; custom resources are maps (sorted keys)
    name_rule = "subdomain"
    accepts_media = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
    patch_types = ("application/json-patch+json", "application/merge-patch+json",
                   "application/strategic-merge-patch+json", "application/apply-patch+yaml")
    field_labels = ("metadata.name", "metadata.namespace")
    delete_returns_object = False
    finalized_on_delete = False  # DELETE itself adds a finalizer (CRDs), so deletion always starts gracefully
    storage_version_hash = ""
    order = {}  # dotted path → field order, for typed kinds

    def __init__(self):
        self.schema = with_object_meta(self.object_schema())
        self.watch_start_rv = 0

    # ---- naming ----
    @property
    def group_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def storage_key(self):
        """Objects of types with the same key are the same objects (core and events.k8s.io Events)."""
        return f"{self.group}/{self.plural}"

    def object_schema(self):
        return {"type": "object", "x-kubernetes-preserve-unknown-fields": True}

    # ---- conversion between the stored form and this type's version ----
    def to_external(self, stored):
        obj = clone(stored)
        obj["apiVersion"] = self.group_version
        obj["kind"] = self.kind
        return obj

    def to_internal(self, obj):
        return obj

    def normalize(self, obj):
        """Decode-time canonicalisation (timestamps); raises ApiError 400 like a failed decode."""

    def template(self):
        """The empty object the field manager compares a create against (typed kinds have empty structs)."""
        return {}

    # ---- lifecycle ----
    def prepare_for_create(self, obj):
        if self.status_subresource:
            obj.pop("status", None)
        if self.has_generation:
            obj["metadata"]["generation"] = 1

    def prepare_for_update(self, new, old, subresource):
        """Status subresource semantics, and generation +1 for changes outside metadata (and status)."""
        if subresource == "status":  # only status comes from the request
            status = new.get("status")
            new.clear()
            new.update(clone(old))
            if status is None:
                new.pop("status", None)
            else:
                new["status"] = status
            return
        if self.status_subresource:
            if "status" in old:
                new["status"] = clone(old["status"])
            else:
                new.pop("status", None)
        if self.has_generation:
            def content(o):
                return {k: v for k, v in o.items() if k != "metadata"}
            generation = old["metadata"].get("generation", 0)
            new["metadata"]["generation"] = generation + (0 if equal(content(new), content(old)) else 1)

    def reset_fields(self, subresource):
        """Fields a write through this endpoint cannot set, so nobody owns them by writing there."""
        if subresource == "status":
            return [(("f", "spec"),)]
        return [(("f", "status"),)] if self.status_subresource else []

    def validate(self, obj, old):
        """(errors, warnings): FieldErrors make a 422 with this type's kind."""
        errors, warnings = objectmeta.validate(obj.get("metadata") or {}, self.namespaced, self.name_rule)
        if old is not None:
            errors += objectmeta.validate_update(obj.get("metadata") or {}, old.get("metadata") or {})
        return errors, warnings

    def start_deletion(self, obj, at):
        """A DELETE that finalizers hold: the generic store's graceful start (BeforeDelete) with a zero
        grace period, and generation +1 for kinds that have one."""
        meta = obj["metadata"]
        meta["deletionTimestamp"] = at
        meta["deletionGracePeriodSeconds"] = 0
        if meta.get("generation", 0) > 0:
            meta["generation"] += 1

    def validate_status(self, obj, old):
        """A write through the status subresource; kinds whose status strategy checks less override."""
        return self.validate(obj, old)

    def invalid_kind(self):
        """The kind named in this type's 422 messages."""
        return self.kind

    # ---- reading ----
    def field_values(self, obj):
        meta = obj.get("metadata") or {}
        values = {"metadata.name": meta.get("name", ""), "metadata.namespace": meta.get("namespace", "")}
        return values

    def columns(self):
        return [NAME_COLUMN, CREATED_AT_COLUMN]

    def cells(self, obj):
        meta = obj.get("metadata") or {}
        return [meta.get("name"), meta.get("creationTimestamp")]

    def discovery(self):
        entry = {"name": self.plural, "singularName": self.singular, "namespaced": self.namespaced,
                 "kind": self.kind, "verbs": list(self.verbs)}
        if self.short_names:
            entry["shortNames"] = list(self.short_names)
        if self.categories:
            entry["categories"] = list(self.categories)
        if self.storage_version_hash:
            entry["storageVersionHash"] = self.storage_version_hash
        entries = [entry]
        if self.status_subresource:
            entries.append({"name": f"{self.plural}/status", "singularName": "", "namespaced": self.namespaced,
                            "kind": self.kind, "verbs": ["get", "patch", "update"]})
        return entries

    def prune_and_default(self, obj):
        """Unknown field paths (for Warn/Strict), after pruning, null dropping and defaulting. Integral
        floats become integers here: the schema accepts 2.0 as an integer, and etcd gives back 2."""
        unknown = sch.prune(obj, self.schema)
        sch.drop_nulls(obj, self.schema)
        sch.apply_defaults(obj, self.schema)
        obj.update(integral_floats_as_ints(obj))
        return unknown


class Registry:
    """Built-in types, and the types custom resource definitions add; thread-safe lookups."""

    def __init__(self):
        self.lock = threading.RLock()
        self.builtin = []
        self.custom = {}  # CRD name → [ResourceType per served version]

    def add_builtin(self, rtype):
        self.builtin.append(rtype)

    def set_custom(self, crd_name, types):
        with self.lock:
            if types:
                self.custom[crd_name] = types
            else:
                self.custom.pop(crd_name, None)

    def all(self):
        with self.lock:
            return self.builtin + [t for types in self.custom.values() for t in types]

    def lookup(self, group, version, plural):
        for rtype in self.all():
            if rtype.group == group and rtype.version == version and rtype.plural == plural:
                return rtype
        return None

    def group_versions(self):
        """{group: [versions]} in registration order (custom groups after the built-in ones)."""
        groups = {}
        for rtype in self.all():
            versions = groups.setdefault(rtype.group, [])
            if rtype.version not in versions:
                versions.append(rtype.version)
        return groups

    def types_in(self, group, version):
        return [t for t in self.all() if t.group == group and t.version == version]

    def by_storage_key(self, key):
        return [t for t in self.all() if t.storage_key == key]
