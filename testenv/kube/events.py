"""Events: core/v1 and events.k8s.io/v1 are two views of the same stored objects.

They are stored in the core/v1 shape (which has every field); events.k8s.io/v1 renames
involvedObject→regarding, message→note, reportingComponent→reportingController, source→deprecatedSource,
firstTimestamp/lastTimestamp/count→deprecated*. Each view prints the fields Go always encodes (empty
structs, null timestamps) and validates the way kube-apiserver v1.28 does for that API version.
"""
from . import objectmeta, timefmt
from .errors import bad_request, invalid_value, required
from .resources import NAME_COLUMN, ResourceType
from .values import equal

STRING, INTEGER = {"type": "string"}, {"type": "integer"}
NULLABLE_TIME = {"type": "string", "nullable": True}
REFERENCE = {"type": "object", "x-kubernetes-map-type": "atomic", "properties": {
    k: STRING for k in ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")}}
SOURCE = {"type": "object", "properties": {"component": STRING, "host": STRING}}
SERIES = {"type": "object", "properties": {"count": INTEGER, "lastObservedTime": NULLABLE_TIME}}
REFERENCE_ORDER = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"]

# events.k8s.io/v1 name → core/v1 name
RENAMES = {"regarding": "involvedObject", "note": "message", "reportingController": "reportingComponent",
           "deprecatedSource": "source", "deprecatedFirstTimestamp": "firstTimestamp",
           "deprecatedLastTimestamp": "lastTimestamp", "deprecatedCount": "count"}
CORE_NAMES = {v: k for k, v in RENAMES.items()}

LIMITS = {"reportingInstance": 128, "action": 128, "reason": 128}


def _ordered(fields, order):
    return {k: fields[k] for k in order if k in fields} | {k: v for k, v in fields.items() if k not in order}


def _reference(ref):
    return _ordered(ref, REFERENCE_ORDER) if isinstance(ref, dict) else ref


class EventType(ResourceType):
    """Shared by both views; subclasses say which field names their API version uses."""
    plural, singular, kind, list_kind = "events", "event", "Event", "EventList"
    short_names = ("ev",)
    allow_create_on_update = True
    TIME_FIELDS = ()
    MICRO_FIELDS = ()

    @property
    def storage_key(self):
        return "/events"

    def normalize(self, obj):
        """Timestamps through metav1.Time/MicroTime, and the zero values typed decoding gives."""
        try:
            for name in self.TIME_FIELDS:
                if obj.get(name) is not None:
                    obj[name] = timefmt.normalize_time(obj[name])
            for name in self.MICRO_FIELDS:
                if obj.get(name) is not None:
                    obj[name] = timefmt.normalize_micro(obj[name])
            series = obj.get("series")
            if isinstance(series, dict) and series.get("lastObservedTime") is not None:
                series["lastObservedTime"] = timefmt.normalize_micro(series["lastObservedTime"])
        except ValueError as exc:
            raise bad_request(f'Event in version "{self.version}" cannot be handled as a Event: {exc}')
        for name, zero in self.zero_values().items():
            if obj.get(name) is None:
                obj[name] = zero

    def zero_values(self):
        return {}

    def template(self):
        return {"metadata": {}, **self.zero_values()}

    def validate_event(self, core, old_core, strict):
        """validation.ValidateEventCreate/Update over the core shape (errors name core fields)."""
        errors = []
        namespace = core["metadata"].get("namespace", "")
        involved = core.get("involvedObject") or {}
        controller_field = "reportingComponent" if not strict else "reportingController"
        if not core.get("eventTime"):
            target = involved.get("namespace", "")
            if (not target and namespace not in ("", "default")) or (target and target != namespace):
                errors.append(invalid_value("involvedObject.namespace", target, "does not match event.namespace"))
        else:
            if not involved.get("namespace") and namespace not in ("default", "kube-system"):
                errors.append(invalid_value("involvedObject.namespace", involved.get("namespace", ""),
                                            "does not match event.namespace"))
            controller = core.get("reportingComponent") or ""
            if not controller:
                errors.append(required(controller_field))
            else:
                errors += [invalid_value(controller_field, controller, p) for p in objectmeta.qualified_name_errors(controller)]
            for name, limit in LIMITS.items():
                value = core.get(name) or ""
                if not value:
                    errors.append(required(name))
                elif len(value) > limit:
                    errors.append(invalid_value(name, "", f"can have at most {limit} characters"))
            if len(core.get("message") or "") > 1024:
                errors.append(invalid_value("message", "", "can have at most 1024 characters"))
        if not strict:
            return errors
        if old_core is None:
            if not core.get("eventTime"):
                errors.append(required("eventTime"))
            if core.get("type") not in ("Normal", "Warning"):
                errors.append(invalid_value("type", "", f"has invalid value: {core.get('type', '')}"))
            for name in ("firstTimestamp", "lastTimestamp"):
                if core.get(name):
                    errors.append(invalid_value(name, "", "needs to be unset"))
            if core.get("count"):
                errors.append(invalid_value("count", "", "needs to be unset"))
            if any((core.get("source") or {}).values()):
                errors.append(invalid_value("source", "", "needs to be unset"))
        else:
            for name in ("involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count",
                         "type", "action", "related", "reportingComponent", "reportingInstance"):
                if not equal(core.get(name), old_core.get(name)):
                    errors.append(invalid_value(name, core.get(name), "field is immutable"))
        series = core.get("series")
        if series is not None:
            if (series.get("count") or 0) < 2:
                errors.append(invalid_value("series.count", series.get("count", 0), "should be at least 2"))
            if not series.get("lastObservedTime"):
                errors.append(required("series.lastObservedTime"))
        return errors

    def field_values(self, obj):
        core = self.to_internal(obj)
        ref = core.get("involvedObject") or {}
        values = {"metadata.name": core["metadata"].get("name", ""),
                  "metadata.namespace": core["metadata"].get("namespace", ""),
                  "reason": core.get("reason") or "", "type": core.get("type") or "",
                  "reportingComponent": core.get("reportingComponent") or "",
                  "source": (core.get("source") or {}).get("component", "")}
        for key in REFERENCE_ORDER:
            values[f"involvedObject.{key}"] = ref.get(key, "")
        return values

    def columns(self):
        def column(name, description, kind="string", priority=0):
            return {"name": name, "type": kind, "format": "", "description": description, "priority": priority}
        return [column("Last Seen", "Time when this Event was last seen"), column("Type", "Type of this event"),
                column("Reason", "Reason why this event was generated"), column("Object", "The object this Event is about"),
                column("Message", "A human-readable description of the status of this operation."),
                dict(NAME_COLUMN, priority=1)]

    def cells(self, obj):
        core = self.to_internal(obj)
        ref = core.get("involvedObject") or {}
        seen = core.get("lastTimestamp") or core.get("eventTime") or core["metadata"].get("creationTimestamp")
        return [timefmt.age(seen) if seen else "<unknown>", core.get("type", ""), core.get("reason", ""),
                f"{(ref.get('kind') or '').lower()}/{ref.get('name', '')}", core.get("message", ""),
                core["metadata"].get("name")]


class CoreEventType(EventType):
    field_labels = ("metadata.name", "metadata.namespace", "reason", "reportingComponent", "source", "type",
                    *(f"involvedObject.{k}" for k in REFERENCE_ORDER))
    storage_version_hash = "r2yiGXH7wu8="
    TIME_FIELDS = ("firstTimestamp", "lastTimestamp")
    MICRO_FIELDS = ("eventTime",)
    ORDER = ["kind", "apiVersion", "metadata", "involvedObject", "reason", "message", "source", "firstTimestamp",
             "lastTimestamp", "count", "type", "eventTime", "series", "action", "related", "reportingComponent",
             "reportingInstance"]

    def object_schema(self):
        return {"type": "object", "properties": {
            "involvedObject": REFERENCE, "reason": STRING, "message": STRING, "source": SOURCE,
            "firstTimestamp": NULLABLE_TIME, "lastTimestamp": NULLABLE_TIME, "count": INTEGER, "type": STRING,
            "eventTime": NULLABLE_TIME, "series": SERIES, "action": STRING, "related": REFERENCE,
            "reportingComponent": STRING, "reportingInstance": STRING}}

    def zero_values(self):
        return {"involvedObject": {}, "source": {}, "firstTimestamp": None, "lastTimestamp": None, "eventTime": None,
                "reportingComponent": "", "reportingInstance": ""}

    def to_external(self, stored):
        obj = dict(stored, apiVersion="v1", kind="Event")
        obj.update({k: v for k, v in self.zero_values().items() if obj.get(k) is None})
        for ref in ("involvedObject", "related"):
            if ref in obj:
                obj[ref] = _reference(obj[ref])
        return _ordered(obj, self.ORDER)

    def to_internal(self, obj):
        return {k: v for k, v in obj.items() if k not in ("apiVersion", "kind")}

    def validate(self, obj, old):
        errors, warnings = super().validate(obj, old)
        errors += self.validate_event(obj, old, strict=False)
        return errors, warnings


class EventsV1EventType(EventType):
    group = "events.k8s.io"
    field_labels = ("metadata.name", "metadata.namespace", "reason", "reportingController", "type",
                    *(f"regarding.{k}" for k in REFERENCE_ORDER))
    storage_version_hash = "r2yiGXH7wu8="
    TIME_FIELDS = ("deprecatedFirstTimestamp", "deprecatedLastTimestamp")
    MICRO_FIELDS = ("eventTime",)
    ORDER = ["kind", "apiVersion", "metadata", "eventTime", "series", "reportingController", "reportingInstance",
             "action", "reason", "regarding", "related", "note", "type", "deprecatedSource",
             "deprecatedFirstTimestamp", "deprecatedLastTimestamp", "deprecatedCount"]

    def object_schema(self):
        return {"type": "object", "properties": {
            "eventTime": NULLABLE_TIME, "series": SERIES, "reportingController": STRING, "reportingInstance": STRING,
            "action": STRING, "reason": STRING, "regarding": REFERENCE, "related": REFERENCE, "note": STRING,
            "type": STRING, "deprecatedSource": SOURCE, "deprecatedFirstTimestamp": NULLABLE_TIME,
            "deprecatedLastTimestamp": NULLABLE_TIME, "deprecatedCount": INTEGER}}

    def zero_values(self):
        return {"eventTime": None, "regarding": {}, "deprecatedSource": {}, "deprecatedFirstTimestamp": None,
                "deprecatedLastTimestamp": None}

    def to_external(self, stored):
        obj = {"apiVersion": "events.k8s.io/v1", "kind": "Event"}
        for key, value in stored.items():
            if key in ("apiVersion", "kind") or (key in ("reportingComponent", "reportingInstance", "message") and not value):
                continue
            obj[CORE_NAMES.get(key, key)] = value
        obj.update({k: v for k, v in self.zero_values().items() if obj.get(k) is None})
        if not obj.get("deprecatedCount"):
            obj.pop("deprecatedCount", None)
        for ref in ("regarding", "related"):
            if ref in obj:
                obj[ref] = _reference(obj[ref])
        return _ordered(obj, self.ORDER)

    def to_internal(self, obj):
        return {RENAMES.get(k, k): v for k, v in obj.items() if k not in ("apiVersion", "kind")}

    def field_values(self, obj):
        values = super().field_values(obj)
        renamed = {k.replace("involvedObject.", "regarding."): v for k, v in values.items()}
        renamed["reportingController"] = values["reportingComponent"]
        return renamed

    def validate(self, obj, old):
        errors, warnings = super().validate(obj, old)
        core = self.to_internal(obj)
        errors += self.validate_event(core, self.to_internal(old) if old is not None else None, strict=True)
        return errors, warnings

