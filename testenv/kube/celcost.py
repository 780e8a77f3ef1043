"""The CEL cost limits kube-apiserver v1.28.4 enforces when a CRD is created or updated: every
x-kubernetes-validations rule's estimated cost times the number of times it can run must stay within
10,000,000, and the sum over the whole schema within 100,000,000. A CRD over either is refused
(422 Invalid, Forbidden causes), so a test server that skipped this would accept CRDs every real
cluster refuses.

Follows k8s.io/apiextensions-apiserver v0.28.4: pkg/apis/apiextensions/validation (validation.go:
the limits, getExpressionCost, getCostErrorMessage, the schema walk and the total-cost causes;
cel_validation.go: CELSchemaContext cardinality and TotalCost), pkg/apiserver/schema/cel/compilation.go
(maxCardinality for rules under unbounded lists and maps), and k8s.io/apiserver v0.28.4
pkg/cel/common/schemas.go + types.go + limits.go (SchemaDeclType: the sizes the estimator sees).
The per-expression estimate itself is celestimate.py.
"""
import re

from .celestimate import CelCheckError, estimate
from .celparse import CelSyntaxError
from .values import equal

MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024  # celconfig.MaxRequestSizeBytes
STATIC_ESTIMATED_COST_LIMIT = 10_000_000  # per rule, cardinality included
STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000  # the whole schema
MAX_UINT64 = 2 ** 64 - 1

# minimal JSON sizes (apiserver pkg/cel/limits.go)
MIN_STRING_SIZE, MIN_BOOL_SIZE, MIN_NUMBER_SIZE = 2, 4, 1
MIN_DURATION_SIZE_JSON, MAX_DURATION_SIZE_JSON = 3, 32
JSON_DATE_SIZE, MIN_DATETIME_SIZE_JSON, MAX_DATETIME_SIZE_JSON = 12, 21, 32


class Decl:
    """apiservercel.DeclType, as far as the estimate reads it: the kind, object fields (by escaped
    name), list/map element, map key, the maximum size (string length, items, properties) and the
    smallest JSON the value can serialize to."""

    def __init__(self, kind, min_size, max_elements=0, fields=None, elem=None, key=None):
        self.kind, self.min_size, self.max_elements = kind, min_size, max_elements
        self.fields, self.elem, self.key = fields, elem, key


def _simple(kind, min_size):
    return lambda: Decl(kind, min_size)


# Shared types of fixed size: max_elements stays 0, which is what the size estimator then reports.
BOOL, INT, DOUBLE = _simple("bool", MIN_BOOL_SIZE), _simple("int", MIN_NUMBER_SIZE), _simple("double", MIN_NUMBER_SIZE)
STRING_KEY = _simple("string", MIN_STRING_SIZE)  # map keys: apiservercel.StringType, max_elements 0


def _non_negative(value):
    return max(int(value), 0)


def _with_type_and_object_meta(schema):
    """At a resource root apiVersion, kind and metadata.name/generateName are always visible."""
    props = schema.get("properties") or {}
    meta = props.get("metadata") or {}
    meta_props = meta.get("properties") or {}
    if (props and (props.get("kind") or {}).get("type") == "string"
            and (props.get("apiVersion") or {}).get("type") == "string"
            and meta.get("type") == "object" and meta_props
            and (meta_props.get("name") or {}).get("type") == "string"
            and (meta_props.get("generateName") or {}).get("type") == "string"):
        return schema
    string = {"type": "string"}
    return {**schema, "properties": {**props, "kind": string, "apiVersion": string, "metadata": {
        "type": "object", "properties": {"name": string, "generateName": string}}}}


def _max_string_length(schema):
    """estimateMaxStringLengthPerRequest."""
    if schema.get("x-kubernetes-int-or-string"):
        return MAX_REQUEST_SIZE_BYTES - 2
    return {"duration": MAX_DURATION_SIZE_JSON, "date": JSON_DATE_SIZE,
            "date-time": MAX_DATETIME_SIZE_JSON}.get(schema.get("format"), MAX_REQUEST_SIZE_BYTES - 2)


def decl_type(schema, resource_root=False):
    """common.SchemaDeclType: the CEL view of a schema node, or None where CEL cannot see it."""
    if not isinstance(schema, dict):
        return None
    if schema.get("x-kubernetes-int-or-string"):
        return Decl("dyn", 1, MAX_REQUEST_SIZE_BYTES - 2)
    if resource_root:
        schema = _with_type_and_object_meta(schema)
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        if not isinstance(items, dict):
            return None
        elem = decl_type(items, bool(items.get("x-kubernetes-embedded-resource")))
        if elem is None:
            return None
        if schema.get("maxItems") is not None:
            most = _non_negative(schema["maxItems"])
        else:  # estimateMaxArrayItemsFromMinSize: [ and ], one comma per item
            most = (MAX_REQUEST_SIZE_BYTES - 2) // (elem.min_size + 1)
        return Decl("list", 2, most, elem=elem)
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            elem = decl_type(extra, bool(extra.get("x-kubernetes-embedded-resource")))
            if elem is None:
                return None
            if schema.get("maxProperties") is not None:
                most = _non_negative(schema["maxProperties"])
            else:  # estimateMaxAdditionalPropertiesFromMinSize: "":, a comma and the value per entry
                most = (MAX_REQUEST_SIZE_BYTES - 2) // (elem.min_size + 6)
            return Decl("map", 2, most, elem=elem, key=STRING_KEY())
        required = set(schema.get("required") or [])
        fields, min_size = {}, 2  # {}
        for name, prop in (schema.get("properties") or {}).items():
            field = decl_type(prop, bool(isinstance(prop, dict) and prop.get("x-kubernetes-embedded-resource")))
            if field is None:
                continue
            escaped = escape(name)
            if escaped is not None:
                fields[escaped] = field
            # defaulted fields are filled in by the server, so only required ones without a default count
            if name in required and prop.get("default") is None:
                min_size += len(name.encode()) + field.min_size + 4
        return Decl("object", min_size, fields=fields)
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "byte":
            most = _non_negative(schema["maxLength"]) if schema.get("maxLength") is not None \
                else _max_string_length(schema)
            return Decl("bytes", MIN_STRING_SIZE, most)
        if fmt == "duration":
            return Decl("duration", MIN_DURATION_SIZE_JSON, _max_string_length(schema))
        if fmt == "date":
            return Decl("timestamp", JSON_DATE_SIZE, _max_string_length(schema))
        if fmt == "date-time":
            return Decl("timestamp", MIN_DATETIME_SIZE_JSON, _max_string_length(schema))
        if schema.get("maxLength") is not None:
            # maxLength counts code points; a code point can take 4 bytes
            return Decl("string", MIN_STRING_SIZE, _non_negative(schema["maxLength"]) * 4)
        return Decl("string", MIN_STRING_SIZE, _max_string_length(schema))
    return {"boolean": BOOL, "number": DOUBLE, "integer": INT}.get(kind, lambda: None)()


# ---- identifiers (apiserver pkg/cel/escaping.go) ----

RESERVED = {"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
            "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"}
_ESCAPES = {"__": "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__"}


def escape(name):
    """A property name as a CEL field name, or None when CEL cannot name it."""
    if not name or name[0].isdigit():
        return None
    if name in RESERVED:
        return f"__{name}__"
    if re.fullmatch(r"[a-zA-Z0-9_]*", name) and "__" not in name:
        return name
    if not re.fullmatch(r"[a-zA-Z0-9_./-]*", name):
        return None
    return re.sub(r"__|[./-]", lambda m: _ESCAPES[m.group()], name)


# ---- the schema walk ----

class Context:
    """CELSchemaContext: whether rules are in scope here or above, how many times this node can occur
    (None: unbounded), and the node's CEL type, taken from the parent's when the parent has one."""

    def __init__(self, schema, parent=None, access=None):
        self.schema, self.parent, self.access = schema, parent, access
        self.in_scope = bool(schema.get("x-kubernetes-validations")) or bool(parent and parent.in_scope)
        self._decl, self._decl_done = None, False
        if parent is None:
            self.cardinality = 1
        elif parent.cardinality is None:
            self.cardinality = None
        else:
            factor = _max_elements(parent.schema)
            self.cardinality = None if factor is None else min(parent.cardinality * factor, MAX_UINT64)

    def decl(self):
        if not self.in_scope:
            return None
        if not self._decl_done:
            self._decl_done = True
            parent = self.parent.decl() if self.parent is not None else None
            if parent is not None and self.access is not None:
                self._decl = self.access(parent)
            if self._decl is None:
                root = self.parent is None or bool(self.schema.get("x-kubernetes-embedded-resource"))
                self._decl = decl_type(self.schema, root)
        return self._decl


def _max_elements(schema):
    """extractMaxElements: how many children a node can have (None: unbounded); objects have one of each."""
    kind = schema.get("type")
    if kind == "object" and schema.get("additionalProperties") is not None:
        return _non_negative(schema["maxProperties"]) if schema.get("maxProperties") is not None else None
    if kind == "array":
        return _non_negative(schema["maxItems"]) if schema.get("maxItems") is not None else None
    return 1


def _property_access(name):
    def access(parent):
        escaped = escape(name)
        return (parent.fields or {}).get(escaped) if escaped is not None else None
    return access


def _element_access(parent):
    return parent.elem


class TotalCost:
    """Sum of all rule costs, and the (at most four) rules costing at least 1% of the CRD limit."""

    def __init__(self):
        self.total, self.most_expensive = 0, []

    def observe(self, path, cost):
        self.total = min(self.total + cost, MAX_UINT64)
        if cost < STATIC_ESTIMATED_CRD_COST_LIMIT // 100:
            return
        self.most_expensive.append((path, cost))
        self.most_expensive.sort(key=lambda entry: -entry[1])  # stable, where Go's sort.Slice is not
        del self.most_expensive[4:]


def cost_error_message(cost_name, cost, limit):
    """getCostErrorMessage, with Go's %f and %.1f."""
    factor = cost / limit
    if factor > 100.0:
        shown = "more than 100x"
    elif factor < 1.5:
        shown = f"{factor:f}x"  # avoid reporting "exceeds budget by a factor of 1.0x"
    else:
        shown = f"{factor:.1f}x"
    return (f"{cost_name} exceeds budget by factor of {shown} (try simplifying the rule, or adding maxItems, "
            "maxProperties, and maxLength where arrays, maps, and strings are declared)")


def _expression_cost(expression, decl, output="bool"):
    """The estimate's maximum, or None for an expression that does not compile (the real server
    reports that as a compile error and counts no cost; this server reports nothing)."""
    if decl is None or not expression.strip():
        return None
    try:
        return estimate(expression, decl, output)[1]
    except (CelSyntaxError, CelCheckError, RecursionError):
        return None


def _walk(schema, path, context, total, causes):
    """ValidateCustomResourceDefinitionOpenAPISchema's CEL part: children first (additionalProperties,
    properties, items), then this node's rules."""
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        _walk(extra, f"{path}.additionalProperties", Context(extra, context, _element_access), total, causes)
    for name in sorted(schema.get("properties") or {}):  # Go visits a map in random order; sorted is one of them
        prop = schema["properties"][name]
        if isinstance(prop, dict):
            _walk(prop, f"{path}.properties[{name}]", Context(prop, context, _property_access(name)), total, causes)
    items = schema.get("items")
    if isinstance(items, dict):
        _walk(items, f"{path}.items", Context(items, context, _element_access), total, causes)
    rules = schema.get("x-kubernetes-validations") or []
    if not rules or not isinstance(rules, list):
        return
    decl = context.decl()
    # a rule under an unbounded list or map runs at most as often as its smallest JSON fits in a request
    cardinality = context.cardinality
    if cardinality is None:
        cardinality = MAX_REQUEST_SIZE_BYTES // ((decl.min_size if decl is not None else 0) + 1)
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        where = f"{path}.x-kubernetes-validations[{index}]"
        cost = _expression_cost(str(rule.get("rule") or ""), decl)
        expression_cost = 0 if not cost else min(cost * cardinality, MAX_UINT64)
        if expression_cost > STATIC_ESTIMATED_COST_LIMIT:
            causes.append((f"{where}.rule",
                           cost_error_message("estimated rule cost", expression_cost, STATIC_ESTIMATED_COST_LIMIT)))
        total.observe(f"{where}.rule", expression_cost)
        if cost is None or not rule.get("messageExpression"):
            continue  # a messageExpression is compiled only after its rule compiled
        # it runs once per failure of its rule: its cost is not multiplied by the cardinality
        message_cost = _expression_cost(str(rule["messageExpression"]), decl, "string")
        if message_cost is None:
            continue
        if message_cost > STATIC_ESTIMATED_COST_LIMIT:
            causes.append((f"{where}.messageExpression", cost_error_message(
                "estimated messageExpression cost", message_cost, STATIC_ESTIMATED_COST_LIMIT)))
        total.observe(f"{where}.messageExpression", message_cost)


def schema_causes(schema, field_path):
    """(field, message) of every cost cause of one openAPIV3Schema at field_path (…openAPIV3Schema)."""
    if not isinstance(schema, dict):
        return []
    causes, total = [], TotalCost()
    _walk(schema, field_path, Context(schema), total, causes)
    if total.total > STATIC_ESTIMATED_CRD_COST_LIMIT:
        for path, _ in total.most_expensive:
            causes.append((path, "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema"))
        causes.append((field_path, cost_error_message(
            "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", total.total,
            STATIC_ESTIMATED_CRD_COST_LIMIT)))
    return causes


def crd_causes(spec):
    """(field, message) of every cost cause of a v1 CRD spec. The server validates the internal
    version: when every version has the same schema it is `spec.validation`, else each version's."""
    versions = [v for v in (spec.get("versions") or []) if isinstance(v, dict)]
    schemas = [(v.get("schema") or {}).get("openAPIV3Schema") for v in versions]
    if not schemas:
        return []
    if all(equal(v.get("schema"), versions[0].get("schema")) for v in versions):
        return schema_causes(schemas[0], "spec.validation.openAPIV3Schema")
    causes = []
    for index, schema in enumerate(schemas):
        causes += schema_causes(schema, f"spec.versions[{index}].schema.openAPIV3Schema")
    return causes
