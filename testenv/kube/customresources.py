"""Custom resources: the CustomResourceDefinition kind, and the resource types a CRD serves (one per
served version) with its schema, subresources, printer columns and selectable fields.
"""
import base64
import hashlib
import json

from . import cel, celcost, jsonpath, timefmt
from . import schema as sch
from .errors import FieldError, invalid_value, not_supported, required
from .resources import NAME_COLUMN, ResourceType
from .values import MISSING, clone, equal


CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io"


def storage_version_hash(group, version, kind):
    return base64.b64encode(hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()[:8]).decode()


class CustomResourceType(ResourceType):
    typed = False
    has_generation = True
    allow_unconditional_update = False
    accepts_media = ("application/json", "application/yaml")
    patch_types = ("application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml")

    def __init__(self, crd, version):
        spec = crd["spec"]
        names = spec["names"]
        self.crd_name = crd["metadata"]["name"]
        self.group, self.version = spec["group"], version["name"]
        self.plural, self.kind = names["plural"], names["kind"]
        self.singular = names.get("singular") or self.kind.lower()
        self.list_kind = names.get("listKind") or f"{self.kind}List"
        self.short_names = tuple(names.get("shortNames") or ())
        self.categories = tuple(names.get("categories") or ())
        self.namespaced = spec.get("scope", "Namespaced") == "Namespaced"
        self.status_subresource = "status" in ((version.get("subresources") or {}))
        self.crd_schema = ((version.get("schema") or {}).get("openAPIV3Schema")) or {
            "type": "object", "x-kubernetes-preserve-unknown-fields": True}
        self.printer_columns = version.get("additionalPrinterColumns") or [
            {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]
        self.storage_version = next(v["name"] for v in spec["versions"] if v.get("storage"))
        self.storage_version_hash = storage_version_hash(self.group, self.storage_version, self.kind)
        self.verbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
        selectable = [f["jsonPath"].lstrip(".") for f in version.get("selectableFields") or []]
        self.field_labels = ("metadata.name", "metadata.namespace", *selectable)
        self.has_rules = cel.has_rules(self.crd_schema)
        super().__init__()

    def object_schema(self):
        return self.crd_schema

    def to_internal(self, obj):
        obj = dict(obj)
        obj["apiVersion"] = f"{self.group}/{self.storage_version}"
        return obj

    def validate(self, obj, old):
        """Metadata, the schema, list-type invariants, then CEL unless the object is already broken."""
        errors, warnings = super().validate(obj, old)
        errors += sch.validate(obj, self.schema, "", [])
        errors += sch.validate_list_types(obj, self.schema, "", [])
        return self._rules(obj, old, errors, warnings)

    def validate_status(self, obj, old):
        """A write to /status: only the status is checked against the schema, and against the schema of
        `status` alone, so its error paths are relative to status (`phase`, not `status.phase`); the rules
        still see the whole object. apiextensions-apiserver v0.28.4 pkg/registry/customresource:
        validator.go ValidateStatusUpdate (ValidateCustomResourceUpdate(nil, status, …,
        statusSchemaValidator)), status_strategy.go ValidateUpdate (list types only when the old object had
        no such error); reference/kube-wire-crd/15."""
        errors, warnings = super().validate(obj, old)
        status_schema = (self.crd_schema.get("properties") or {}).get("status")
        if "status" in obj and status_schema is not None:
            errors += sch.validate(obj["status"], status_schema, "", [])
        listed = sch.validate_list_types(obj, self.schema, "", [])
        if listed and not sch.validate_list_types(old, self.schema, "", []):
            errors += listed
        return self._rules(obj, old, errors, warnings)

    def _rules(self, obj, old, errors, warnings):
        """CEL rules, unless a schema error blocks them (then one `<nil>` cause says so instead):
        strategy.go Validate/ValidateUpdate in v0.28.4 call hasBlockingErr before cel.Validate."""
        if self.has_rules:
            blocked = cel.blocking_error(errors)
            if blocked is not None:
                errors.append(blocked)
            elif not cel.AVAILABLE:
                warnings.append(cel.UNAVAILABLE_WARNING)
            else:
                errors += cel.validate(self.crd_schema, obj, old if old is not None else MISSING)
        return errors, warnings

    def field_values(self, obj):
        values = super().field_values(obj)
        for label in self.field_labels[2:]:
            found = jsonpath.find(obj, "." + label)
            values[label] = _selector_text(found[0]) if found and found[0] is not None else ""
        return values

    def columns(self):
        return [NAME_COLUMN] + [{
            "name": c["name"], "type": c["type"], "format": c.get("format", ""),
            "description": c.get("description") or f"Custom resource definition column (in JSONPath format): {c['jsonPath']}",
            "priority": c.get("priority", 0)} for c in self.printer_columns]

    def cells(self, obj):
        row = [(obj.get("metadata") or {}).get("name")]
        for column in self.printer_columns:
            try:
                found = jsonpath.find(obj, column["jsonPath"])
            except jsonpath.JSONPathError:
                found = []
            row.append(cell(column["type"], found[0]) if found else None)
        return row


def _selector_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def cell(kind, value):
    """tableconvertor.cellForJSONValue: a printer column's value as its declared type."""
    if value is None:
        return None
    if kind == "integer":
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return int(value)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return None
        return None
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        try:
            return float(value) if isinstance(value, str) else None
        except ValueError:
            return None
    if kind == "boolean":
        return value if isinstance(value, bool) else None
    if kind == "date":
        return timefmt.age(value) if isinstance(value, str) else None
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":")) if isinstance(value, (dict, list)) else _selector_text(value)


class CustomResourceDefinitionType(ResourceType):
    group, version = "apiextensions.k8s.io", "v1"
    plural, singular, kind, list_kind = "customresourcedefinitions", "customresourcedefinition", \
        "CustomResourceDefinition", "CustomResourceDefinitionList"
    namespaced = False
    short_names = ("crd", "crds")
    categories = ("api-extensions",)
    status_subresource = True
    has_generation = True
    allow_unconditional_update = False
    storage_version_hash = storage_version_hash("apiextensions.k8s.io", "v1", "CustomResourceDefinition")
    order = {
        "": ["kind", "apiVersion", "metadata", "spec", "status"],
        "spec": ["group", "names", "scope", "versions", "conversion", "preserveUnknownFields"],
        "spec.names": ["plural", "singular", "shortNames", "kind", "listKind", "categories"],
        "spec.versions[]": ["name", "served", "storage", "deprecated", "deprecationWarning", "schema",
                            "subresources", "additionalPrinterColumns", "selectableFields"],
        "status": ["conditions", "acceptedNames", "storedVersions"],
        "status.acceptedNames": ["plural", "singular", "shortNames", "kind", "listKind", "categories"],
        "status.conditions[]": ["type", "status", "lastTransitionTime", "reason", "message"],
    }

    finalized_on_delete = True

    def object_schema(self):
        """Untyped, except what decides who owns which condition: CustomResourceDefinitionStatus.conditions
        is a map-list keyed by type (+listType=map, +listMapKey=type in apiextensions/v1 types.go), so each
        condition is its own entry in managedFields (reference/kube-wire-crd/03, 16, 17)."""
        return {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "properties": {
            "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "properties": {
                "conditions": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"],
                               "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}}

    def template(self):
        return {"metadata": {}, "spec": {"names": {}}, "status": {"acceptedNames": {"plural": "", "kind": ""}}}

    def start_deletion(self, crd, at):
        """A CRD carries no finalizer until it is deleted: the CRD storage's Delete then adds the cleanup
        finalizer, sets deletionTimestamp and a Terminating condition in one update, without the generic
        store's grace period or generation bump, and without touching managedFields
        (apiextensions-apiserver v0.28.4 pkg/registry/customresourcedefinition/etcd.go Delete;
        reference/kube-wire-crd/03, 16, 17)."""
        meta = crd["metadata"]
        meta["deletionTimestamp"] = at
        if CLEANUP_FINALIZER not in (meta.get("finalizers") or []):
            meta["finalizers"] = (meta.get("finalizers") or []) + [CLEANUP_FINALIZER]
        set_condition(crd, {"type": "Terminating", "status": "True", "lastTransitionTime": at,
                            "reason": "InstanceDeletionPending",
                            "message": "CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon"})

    def to_external(self, stored):
        obj = super().to_external(stored)
        for version in (obj.get("spec") or {}).get("versions") or []:
            schema = (version.get("schema") or {}).get("openAPIV3Schema") if isinstance(version, dict) else None
            if isinstance(schema, dict):
                version["schema"]["openAPIV3Schema"] = order_schema(schema)
        return obj

    def normalize(self, obj):
        spec = obj.setdefault("spec", {})
        if isinstance(spec, dict):
            spec.setdefault("names", {})

    def prepare_for_create(self, obj):
        super().prepare_for_create(obj)
        spec = obj["spec"]
        names = spec.get("names") or {}
        if names.get("kind"):
            names.setdefault("singular", names["kind"].lower())
            names.setdefault("listKind", names["kind"] + "List")
        spec.setdefault("conversion", {"strategy": "None"})
        storage = [v.get("name") for v in spec.get("versions") or [] if isinstance(v, dict) and v.get("storage")]
        obj["status"] = {"conditions": None, "acceptedNames": {"plural": "", "kind": ""}, "storedVersions": storage[:1]}

    def validate(self, obj, old):
        errors, warnings = super().validate(obj, old)
        spec = obj.get("spec") or {}
        names = spec.get("names") or {}
        group = spec.get("group") or ""
        if not group:
            errors.append(required("spec.group"))
        elif "." not in group:
            errors.append(invalid_value("spec.group", group, "should be a domain with at least one dot"))
        for key in ("plural", "kind"):
            if not names.get(key):
                errors.append(required(f"spec.names.{key}"))
        if names.get("plural") and group and obj["metadata"].get("name") != f"{names['plural']}.{group}":
            errors.append(invalid_value("metadata.name", obj["metadata"].get("name"),
                                        'must be spec.names.plural+"."+spec.group'))
        if spec.get("scope") not in ("Namespaced", "Cluster"):
            errors.append(not_supported("spec.scope", spec.get("scope", ""), ["Cluster", "Namespaced"]))
        versions = spec.get("versions") or []
        if not versions:
            errors.append(FieldError("Invalid", "spec.versions", versions, "must have exactly one version marked as storage version"))
        elif sum(1 for v in versions if v.get("storage")) != 1:
            errors.append(FieldError("Invalid", "spec.versions", versions, "must have exactly one version marked as storage version"))
        for index, version in enumerate(versions):
            if not version.get("name"):
                errors.append(required(f"spec.versions[{index}].name"))
            if not ((version.get("schema") or {}).get("openAPIV3Schema")):
                errors.append(required(f"spec.versions[{index}].schema.openAPIV3Schema", "schemas are required"))
        if old is not None:
            for key in ("group", "scope"):
                if not equal(spec.get(key), (old.get("spec") or {}).get(key)):
                    errors.append(invalid_value(f"spec.{key}", spec.get(key), "field is immutable"))
        # x-kubernetes-validations: rules that do not compile, oldSelf where it cannot be correlated, and
        # the CEL cost limits, checked on every create and update as the real server does (an update
        # compiles the rules it already had in the environment of stored expressions)
        errors += celcost.crd_errors(spec, (old or {}).get("spec") if isinstance(old, dict) else None)
        return errors, warnings

    def invalid_kind(self):
        return self.kind

    def columns(self):
        return [NAME_COLUMN, {"name": "Created At", "type": "date", "format": "",
                              "description": "Custom resource definition column (in JSONPath format): .metadata.creationTimestamp",
                              "priority": 0}]

    def cells(self, obj):
        return [obj["metadata"].get("name"), obj["metadata"].get("creationTimestamp")]


JSON_SCHEMA_ORDER = [
    "id", "$schema", "$ref", "description", "type", "format", "title", "default", "maximum", "exclusiveMaximum",
    "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
    "multipleOf", "enum", "maxProperties", "minProperties", "required", "items", "allOf", "oneOf", "anyOf", "not",
    "properties", "additionalProperties", "patternProperties", "dependencies", "additionalItems", "definitions",
    "externalDocs", "example", "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
    "x-kubernetes-validations"]
RULE_ORDER = ["rule", "message", "messageExpression", "reason", "fieldPath", "optionalOldSelf"]


def order_schema(node):
    """JSONSchemaProps in Go field order; `properties` is a map, so its keys come sorted."""
    if not isinstance(node, dict):
        return node
    out = {}
    for key in [k for k in JSON_SCHEMA_ORDER if k in node] + sorted(k for k in node if k not in JSON_SCHEMA_ORDER):
        value = node[key]
        if key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            value = {name: order_schema(value[name]) for name in sorted(value)}
        elif key in ("items", "not", "additionalProperties", "additionalItems"):
            value = order_schema(value)
        elif key in ("allOf", "oneOf", "anyOf") and isinstance(value, list):
            value = [order_schema(v) for v in value]
        elif key == "x-kubernetes-validations" and isinstance(value, list):
            value = [{k: r[k] for k in RULE_ORDER if k in r} if isinstance(r, dict) else r for r in value]
        out[key] = value
    return out


def set_condition(crd, condition):
    """apiextensions.SetCRDCondition: replace the condition of that type (keeping its transition time
    while its status stays the same), or append it."""
    conditions = crd.setdefault("status", {}).get("conditions") or []
    for index, existing in enumerate(conditions):
        if existing.get("type") == condition["type"]:
            if existing.get("status") == condition["status"]:
                condition = {**condition, "lastTransitionTime": existing.get("lastTransitionTime")}
            conditions[index] = condition
            break
    else:
        conditions.append(condition)
    crd["status"]["conditions"] = conditions


def established_status(crd, at):
    """What the CRD controllers write once names are accepted and the API is served."""
    names = clone(crd["spec"]["names"])
    stamp = timefmt.rfc3339(at)
    status = clone(crd.get("status") or {})
    status["conditions"] = [
        {"type": "NamesAccepted", "status": "True", "lastTransitionTime": stamp, "reason": "NoConflicts",
         "message": "no conflicts found"},
        {"type": "Established", "status": "True", "lastTransitionTime": stamp, "reason": "InitialNamesAccepted",
         "message": "the initial names have been accepted"}]
    status["acceptedNames"] = names
    return status


def types_for(crd):
    """The resource types a CRD serves: one per served version."""
    return [CustomResourceType(crd, v) for v in crd["spec"].get("versions") or [] if v.get("served")]

