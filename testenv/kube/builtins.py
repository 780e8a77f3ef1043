"""Built-in kinds the operator needs besides Events: core/v1 Namespaces and coordination.k8s.io/v1
Leases (leader election), with their strategies as in kube-apiserver v1.28."""
from . import timefmt
from .errors import bad_request, invalid_value
from .resources import NAME_COLUMN, ResourceType

STRING, INTEGER = {"type": "string"}, {"type": "integer"}
AGE_COLUMN = {"name": "Age", "type": "string", "format": "", "priority": 0,
              "description": "CreationTimestamp is a timestamp representing the server time when this object was created."}


def three_columns(name, description):
    """The printers of these kinds: Name, one column of their own, Age."""
    return [NAME_COLUMN, {"name": name, "type": "string", "format": "", "description": description, "priority": 0},
            AGE_COLUMN]


def three_cells(obj, value):
    return [obj["metadata"].get("name"), value, timefmt.age(obj["metadata"].get("creationTimestamp", ""))]


class NamespaceType(ResourceType):
    plural, singular, kind, list_kind = "namespaces", "namespace", "Namespace", "NamespaceList"
    namespaced = False
    short_names = ("ns",)
    verbs = ["create", "delete", "get", "list", "patch", "update", "watch"]
    status_subresource = True
    name_rule = "label"
    field_labels = ("metadata.name", "status.phase")
    delete_returns_object = True
    storage_version_hash = "Q3oi5N2YM8M="
    order = {"": ["kind", "apiVersion", "metadata", "spec", "status"], "spec": ["finalizers"],
             "status": ["phase", "conditions"]}

    def object_schema(self):
        return {"type": "object", "properties": {
            "spec": {"type": "object", "properties": {
                "finalizers": {"type": "array", "items": STRING}}},
            "status": {"type": "object", "properties": {
                "phase": STRING,
                "conditions": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
                               "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}}

    def template(self):
        return {"metadata": {}, "spec": {}, "status": {}}

    def normalize(self, obj):
        obj.setdefault("spec", {})
        obj.setdefault("status", {})

    def prepare_for_create(self, obj):
        obj["spec"] = {"finalizers": ["kubernetes"]}
        obj["status"] = {"phase": "Active"}
        obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"].get("name", "")

    def prepare_for_update(self, new, old, subresource):
        super().prepare_for_update(new, old, subresource)
        new["spec"] = dict(old.get("spec") or {})
        new["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = new["metadata"].get("name", "")

    def field_values(self, obj):
        return {"metadata.name": obj["metadata"].get("name", ""),
                "status.phase": (obj.get("status") or {}).get("phase", "")}

    def columns(self):
        return three_columns("Status", "The status of the namespace")

    def cells(self, obj):
        return three_cells(obj, (obj.get("status") or {}).get("phase", ""))


class LeaseType(ResourceType):
    group, version = "coordination.k8s.io", "v1"
    plural, singular, kind, list_kind = "leases", "lease", "Lease", "LeaseList"
    allow_unconditional_update = False
    storage_version_hash = "gqkMMb/YqFM="
    order = {"": ["kind", "apiVersion", "metadata", "spec"],
             "spec": ["holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime", "leaseTransitions"]}
    MICRO_FIELDS = ("acquireTime", "renewTime")

    def object_schema(self):
        return {"type": "object", "properties": {"spec": {"type": "object", "properties": {
            "holderIdentity": STRING, "leaseDurationSeconds": INTEGER,
            "acquireTime": {"type": "string", "nullable": True}, "renewTime": {"type": "string", "nullable": True},
            "leaseTransitions": INTEGER}}}}

    def template(self):
        return {"metadata": {}, "spec": {}}

    def normalize(self, obj):
        spec = obj.setdefault("spec", {})
        if not isinstance(spec, dict):
            raise bad_request('Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal into Go struct field Lease.spec of type v1.LeaseSpec')
        for name in self.MICRO_FIELDS:
            if name in spec:
                try:
                    spec[name] = timefmt.normalize_micro(spec[name])
                except ValueError as exc:
                    raise bad_request(f'Lease in version "v1" cannot be handled as a Lease: {exc}')
                if spec[name] is None:
                    del spec[name]

    def validate(self, obj, old):
        errors, warnings = super().validate(obj, old)
        spec = obj.get("spec") or {}
        duration, transitions = spec.get("leaseDurationSeconds"), spec.get("leaseTransitions")
        if isinstance(duration, int) and duration <= 0:
            errors.append(invalid_value("spec.leaseDurationSeconds", duration, "must be greater than 0"))
        if isinstance(transitions, int) and transitions < 0:
            errors.append(invalid_value("spec.leaseTransitions", transitions, "must be greater than or equal to 0"))
        return errors, warnings

    def columns(self):
        return three_columns("Holder", "holderIdentity contains the identity of the holder of a current lease.")

    def cells(self, obj):
        return three_cells(obj, (obj.get("spec") or {}).get("holderIdentity", ""))
