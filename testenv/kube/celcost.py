"""What kube-apiserver v1.28.4 checks of a CRD's x-kubernetes-validations when the CRD is created or
updated: every rule (and messageExpression) must compile in the CRD's CEL environment and a rule must
be a bool; a rule that reads `oldSelf` must not sit under a list that is not a map list (nor under an
object of an unknown map type); a rule's estimated cost times the number of times it can run must stay
within 10,000,000, and the sum over the whole schema within 100,000,000. A CRD that fails any of this
is refused (422 Invalid), so a test server that skipped it would accept CRDs every real cluster refuses.

Follows k8s.io/apiextensions-apiserver v0.28.4: pkg/apis/apiextensions/validation (validation.go: the
rule-level checks, the limits, getExpressionCost, getCostErrorMessage, how compile results become
causes, the schema walk, the total-cost causes; cel_validation.go: CELSchemaContext type info,
cardinality and TotalCost), pkg/apiserver/schema/cel/compilation.go (Compile, compileRule, the
sizeEstimator and maxCardinality), and k8s.io/apiserver v0.28.4 pkg/cel/common/schemas.go + types.go +
limits.go + environment/base.go (SchemaDeclType: the types and sizes the checker and estimator see; the
environment). Type-checking and the per-expression estimate are celestimate.py.
"""
import re

from . import celestimate as ce
from .errors import FieldError
from .values import GoLiteral, equal

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


# ---- the CEL environment of a rule (compilation.go prepareEnvSet, environment/base.go) ----

SELF_TYPE_NAME = "selfType0"  # generateUniqueSelfTypeName: "selfType" + the clock's nanoseconds on a real server
SCALARS = {"bool": "bool", "int": "int", "double": "double", "string": "string", "bytes": "bytes"}


class _Types:
    """DeclType.MaybeAssignTypeName + DeclTypeProvider: the CEL type of each schema node, objects named by
    their path from the self type (`selfType0.spec.layers.@idx`), and the fields of every object."""

    def __init__(self, root):
        self.objects = {}
        self.self_type = self.cel_type(root, SELF_TYPE_NAME)

    def cel_type(self, decl, name):
        kind = decl.kind
        if kind == "object":
            self.objects[name] = {field: self.cel_type(sub, f"{name}.{field}") for field, sub in decl.fields.items()}
            return ce.object_of(name)
        if kind == "list":
            return ce.list_of(self.cel_type(decl.elem, f"{name}.@idx"))
        if kind == "map":
            return ce.map_of(ce.STRING, self.cel_type(decl.elem, f"{name}.@elem"))
        if kind == "dyn":
            return ce.DYN
        if kind == "duration":
            return ce.DURATION
        if kind == "timestamp":
            return ce.TIMESTAMP
        return ce.prim(SCALARS[kind])


# the messages of the well-known proto files cel-go's registry holds (types/pb DefaultDb)
PROTOBUF_MESSAGES = {f"google.protobuf.{m}" for m in (
    "Any", "Duration", "Empty", "Timestamp", "Struct", "Value", "ListValue", "BoolValue", "BytesValue", "DoubleValue",
    "FloatValue", "Int32Value", "Int64Value", "StringValue", "UInt32Value", "UInt64Value")}


class _Provider(ce.Provider):
    """DeclTypeProvider: the schema's object types; the scalar type names it resolves as identifiers
    (`duration` and `timestamp` resolve to those types themselves, the others are declared by the
    standard library first)."""

    def __init__(self, objects):
        super().__init__()
        self.objects = objects

    def find_type(self, name):
        if name in self.objects:
            return ce.object_of(name)
        if name in PROTOBUF_MESSAGES:  # cel-go's proto registry, behind the schema's types
            return ce.type_of(ce.object_of(name))
        return {"duration": ce.DURATION, "timestamp": ce.TIMESTAMP}.get(name)

    def has_type(self, name):
        return name in self.objects

    def find_field_type(self, message, field):
        return self.objects.get(message, {}).get(field)


def rule_env(decl, stored=False):
    """The environment a rule is compiled in: the base environment of compatibility version 1.27 for a
    new expression, all of 1.28's for one already stored (cross-type numeric comparisons on; optional
    types and the quantity library, also 1.28's, are not modelled), with `self` and `oldSelf`."""
    types = _Types(decl)
    return ce.Env(variables={"self": types.self_type, "oldSelf": types.self_type},
                  libraries=("strings0", "urls", "regex", "lists", "authz"), provider=_Provider(types.objects),
                  homogeneous_aggregate_literals=True, cross_type_numeric_comparisons=stored)


class SizeEstimator:
    """compilation.go sizeEstimator: follow a node's path from `self` (its first element, whatever it
    names, stands for the rule's own node) and take that schema node's MaxElements (0 for objects and
    fixed-size scalars)."""

    def __init__(self, root):
        self.root = root

    def estimate_size(self, node):
        if not node.path:
            return None
        current = self.root
        for name in node.path[1:]:
            if name in ("@items", "@values"):
                current = current.elem
            elif name == "@keys":
                current = current.key
            else:
                current = (current.fields or {}).get(name)
            if current is None:
                return None
        return (0, current.max_elements)

    def estimate_call_cost(self, function, overload_id, target, args):
        return None


def max_cardinality(min_size):
    """compilation.go maxCardinality: how often data of this minimal size fits in a request."""
    return MAX_REQUEST_SIZE_BYTES // (min_size + 1)


class CompilationResult:
    """compilation.go CompilationResult: error / message_expression_error are (type, detail) or None;
    unsure marks a rule this checker could not decide (it is then accepted and costs nothing)."""

    def __init__(self):
        self.error = self.message_expression_error = None
        self.max_cost = self.max_cardinality = self.message_expression_max_cost = 0
        self.has_message_expression = self.transition_rule = self.unsure = False


def _compile(text, env):
    """(checked, None) or (None, cel-go's display of the errors), or (None, None) when unsure."""
    try:
        return env.compile(text), None
    except ce.CelCompileError as e:
        return None, e.display
    except (RecursionError, ValueError, KeyError, AttributeError, TypeError, IndexError):
        return None, None  # something this port does not handle: unsure, so accepted


def compile_rule(rule, decl, preexisting=None):
    """compileRule for one x-kubernetes-validations entry (a dict) against its node's Decl; a rule this
    port fails on unexpectedly is accepted as unsure rather than failing the request."""
    try:
        return _compile_rule(rule, decl, preexisting)
    except (RecursionError, ValueError, KeyError, AttributeError, TypeError, IndexError):
        result = CompilationResult()
        result.unsure = True
        return result


def _compile_rule(rule, decl, preexisting):
    result = CompilationResult()
    text = rule.get("rule") if isinstance(rule.get("rule"), str) else ""
    if not text.strip():
        return result
    preexisting = preexisting or Preexisting()
    env = rule_env(decl, stored=text in preexisting.rules)
    checked, problem = _compile(text, env)
    if checked is None:
        if problem is None or text in preexisting.rules:
            result.unsure = True  # an expression already stored may use what this checker does not model
        else:
            result.error = ("Invalid", "compilation failed: " + problem)
        return result
    if checked.output_type != ce.BOOL:
        result.error = ("Invalid", "cel expression must evaluate to a bool")
        return result
    problem = regex_constant_errors(checked)
    if problem is not None:  # Program(): constant patterns are compiled when the program is made
        result.error = ("Invalid", "program instantiation failed: " + problem)
        return result
    result.transition_rule = checked.references_ident("oldSelf")
    estimator = ce.K8sCostEstimator(SizeEstimator(decl))
    result.max_cost = ce.estimate_cost(checked, estimator)[1]
    result.max_cardinality = max_cardinality(decl.min_size)
    message = rule.get("messageExpression")
    if isinstance(message, str) and message:
        message_env = rule_env(decl, stored=message in preexisting.message_expressions)
        checked, problem = _compile(message, message_env)
        if checked is None:
            if problem is not None and message not in preexisting.message_expressions:
                result.message_expression_error = ("Invalid", "messageExpression compilation failed: " + problem)
            return result
        if checked.output_type != ce.STRING:
            result.message_expression_error = ("Invalid", "messageExpression must evaluate to a string")
            return result
        problem = regex_constant_errors(checked)
        if problem is not None:
            result.message_expression_error = ("Invalid", "messageExpression instantiation failed: " + problem)
            return result
        result.has_message_expression = True
        result.message_expression_max_cost = ce.estimate_cost(checked, estimator)[1]
    return result


def compile_rules(schema, decl, preexisting=None):
    """compilation.go Compile: one result per rule of a schema node."""
    return [compile_rule(rule if isinstance(rule, dict) else {}, decl, preexisting)
            for rule in schema.get("x-kubernetes-validations") or []]


class Preexisting:
    """preexistingExpressions: the rules and message expressions of the CRD before an update; they are
    compiled in the environment of stored expressions."""

    def __init__(self, spec=None):
        self.rules, self.message_expressions = set(), set()
        if isinstance(spec, dict):
            for version in spec.get("versions") or []:
                schema = ((version or {}).get("schema") or {}).get("openAPIV3Schema") if isinstance(version, dict) \
                    else None
                self._collect(schema)

    def _collect(self, schema):
        if not isinstance(schema, dict):
            return
        for rule in schema.get("x-kubernetes-validations") or []:
            if isinstance(rule, dict):
                if isinstance(rule.get("rule"), str):
                    self.rules.add(rule["rule"])
                if isinstance(rule.get("messageExpression"), str):
                    self.message_expressions.add(rule["messageExpression"])
        for key in ("additionalProperties", "items", "not"):
            self._collect(schema.get(key))
        for key in ("properties", "definitions", "patternProperties"):
            for sub in (schema.get(key) or {}).values() if isinstance(schema.get(key), dict) else ():
                self._collect(sub)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(key) or [] if isinstance(schema.get(key), list) else ():
                self._collect(sub)


# ---- the schema walk (validation.go ValidateCustomResourceDefinitionOpenAPISchema) ----

class Context:
    """CELSchemaContext: whether rules are in scope here or above, how many times this node can occur
    (None: unbounded), and the node's type info: the parent's, accessed, when the parent has one, else
    converted from this node's schema (an error when it cannot be)."""

    def __init__(self, schema, parent=None, access=None):
        self.schema, self.parent, self.access = schema, parent, access
        self.in_scope = bool(schema.get("x-kubernetes-validations")) or bool(parent and parent.in_scope)
        self._info = None
        if parent is None:
            self.cardinality = 1
        elif parent.cardinality is None:
            self.cardinality = None
        else:
            factor = _max_elements(parent.schema)
            self.cardinality = None if factor is None else \
                (0 if parent.cardinality == 0 else min(parent.cardinality * factor, MAX_UINT64))

    def type_info(self):
        """(decl, error): TypeInfo(); (None, None) out of scope."""
        if not self.in_scope:
            return None, None
        if self._info is None:
            self._info = self._type_info()
        return self._info

    def _type_info(self):
        if self.parent is not None:
            parent, error = self.parent.type_info()
            if error is not None:
                return None, error
            if parent is not None and self.access is not None:
                accessed = self.access(parent)
                if accessed is not None:
                    return accessed, None
        root = self.parent is None or bool(self.schema.get("x-kubernetes-embedded-resource"))
        decl = decl_type(self.schema, root)
        if decl is None:
            return None, "unable to convert structural schema to CEL declarations"
        return decl, None

    def decl(self):
        return self.type_info()[0]


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
        # sort.Slice: insertion sort below 12 elements, so stable here
        self.most_expensive.sort(key=lambda entry: -entry[1])
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


def go_quote(text):
    """strconv.Quote (what %q and %#v print for a string)."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                        "\v": "\\v"}[ch])
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _rule_value(rule):
    """%#v of the internal apiextensions.ValidationRule (1.28's fields): how a compile error shows the rule.
    A set reason is a pointer, printed as its address on a real server (not reproducible)."""
    def text(key):
        value = rule.get(key)
        return go_quote(value if isinstance(value, str) else "")
    reason = "(*apiextensions.FieldValueErrorReason)(nil)" if rule.get("reason") is None else \
        "(*apiextensions.FieldValueErrorReason)(0xc000000000)"
    return GoLiteral(f"apiextensions.ValidationRule{{Rule:{text('rule')}, Message:{text('message')}, "
                     f"MessageExpression:{text('messageExpression')}, Reason:{reason}, FieldPath:{text('fieldPath')}}}")


SUPPORTED_REASONS = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"]
NEWLINES = re.compile(r"[\n\r]+")


def _rule_schema_errors(rules, where):
    """The checks of each rule that need no CEL (validation.go, before compiling)."""
    errors = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        at = f"{where}[{index}]"
        text = rule.get("rule") if isinstance(rule.get("rule"), str) else ""
        message = rule.get("message") if isinstance(rule.get("message"), str) else ""
        message_expression = rule.get("messageExpression") if isinstance(rule.get("messageExpression"), str) else ""
        field_path = rule.get("fieldPath") if isinstance(rule.get("fieldPath"), str) else ""
        trimmed_rule, trimmed_message = text.strip(), message.strip()
        if not trimmed_rule:
            errors.append(FieldError("Required", f"{at}.rule", detail="rule is not specified"))
        elif message and not trimmed_message:
            errors.append(FieldError("Invalid", f"{at}.message", message, "message must be non-empty if specified"))
        elif NEWLINES.search(trimmed_message):
            errors.append(FieldError("Invalid", f"{at}.message", message, "message must not contain line breaks"))
        elif NEWLINES.search(trimmed_rule) and not trimmed_message:
            errors.append(FieldError("Required", f"{at}.message",
                                     detail="message must be specified if rule contains line breaks"))
        if message_expression and not message_expression.strip():
            errors.append(FieldError("Required", f"{at}.messageExpression",
                                     detail="messageExpression must be non-empty if specified"))
        reason = rule.get("reason")
        if reason is not None and reason not in SUPPORTED_REASONS:
            shown = ", ".join(f'"{r}"' for r in SUPPORTED_REASONS)
            errors.append(FieldError("NotSupported", f"{at}.reason", reason, f"supported values: {shown}"))
        if field_path and not field_path.strip():
            errors.append(FieldError("Invalid", f"{at}.fieldPath", field_path,
                                     "fieldPath must be non-empty if specified"))
        if NEWLINES.search(field_path):
            errors.append(FieldError("Invalid", f"{at}.fieldPath", field_path, "fieldPath must not contain line breaks"))
        # (whether fieldPath names a field of the schema is not checked: such rules are accepted)
    return errors


class _Walk:
    def __init__(self, total, preexisting):
        self.total, self.preexisting = total, preexisting

    def node(self, schema, path, context, uncorrelatable):
        """(schema errors, CEL errors) of a node and its children: children first (additionalProperties,
        properties, items), then this node's rules."""
        schema_errors, cel_errors = [], []

        def child(sub, sub_path, sub_context, sub_uncorrelatable):
            s, c = self.node(sub, sub_path, sub_context, sub_uncorrelatable)
            schema_errors.extend(s)
            cel_errors.extend(c)

        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            child(extra, f"{path}.additionalProperties", Context(extra, context, _element_access), uncorrelatable)
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        map_type = schema.get("x-kubernetes-map-type")
        for name in sorted(properties):  # Go visits a map in random order; sorted is one of them
            prop = properties[name]
            if isinstance(prop, dict):
                forbid = uncorrelatable or (path if map_type not in (None, "granular", "atomic") else None)
                child(prop, f"{path}.properties[{name}]", Context(prop, context, _property_access(name)), forbid)
        items = schema.get("items")
        if isinstance(items, dict):
            # only map lists correlate old and new items (set items are not correlated for CEL)
            forbid = uncorrelatable or (path if schema.get("x-kubernetes-list-type") != "map" else None)
            child(items, f"{path}.items", Context(items, context, _element_access), forbid)
        rules = schema.get("x-kubernetes-validations")
        if not isinstance(rules, list) or not rules:
            return schema_errors, cel_errors
        where = f"{path}.x-kubernetes-validations"
        schema_errors.extend(_rule_schema_errors(rules, where))
        if schema_errors:
            return schema_errors, cel_errors  # CEL is skipped where the schema (here or below) has errors
        decl, problem = context.type_info()
        if problem is not None or decl is None:
            cel_errors.append(FieldError("Internal", where, detail=(
                "internal error: failed to construct type information for x-kubernetes-validations rules: "
                + (problem or "unable to convert structural schema to CEL declarations"))))
            return schema_errors, cel_errors
        for index, (rule, result) in enumerate(zip(rules, compile_rules(schema, decl, self.preexisting))):
            rule = rule if isinstance(rule, dict) else {}
            at = f"{where}[{index}]"
            cardinality = context.cardinality if context.cardinality is not None else result.max_cardinality
            cost = 0 if result.max_cost == 0 else min(result.max_cost * cardinality, MAX_UINT64)
            if cost > STATIC_ESTIMATED_COST_LIMIT:
                cel_errors.append(FieldError("Forbidden", f"{at}.rule", detail=cost_error_message(
                    "estimated rule cost", cost, STATIC_ESTIMATED_COST_LIMIT)))
            self.total.observe(f"{at}.rule", cost)
            if result.error is not None:
                cel_errors.append(FieldError(result.error[0], f"{at}.rule", _rule_value(rule), result.error[1]))
            if result.message_expression_error is not None:
                cel_errors.append(FieldError(result.message_expression_error[0], f"{at}.messageExpression",
                                             _rule_value(rule), result.message_expression_error[1]))
            elif result.has_message_expression:
                # it runs once per failure of its rule: its cost is not multiplied by the cardinality
                if result.message_expression_max_cost > STATIC_ESTIMATED_COST_LIMIT:
                    cel_errors.append(FieldError("Forbidden", f"{at}.messageExpression", detail=cost_error_message(
                        "estimated messageExpression cost", result.message_expression_max_cost,
                        STATIC_ESTIMATED_COST_LIMIT)))
                self.total.observe(f"{at}.messageExpression", result.message_expression_max_cost)
            if result.transition_rule and uncorrelatable is not None:
                cel_errors.append(FieldError("Invalid", f"{at}.rule", GoLiteral(go_quote(rule.get("rule") or "")),
                                             "oldSelf cannot be used on the uncorrelatable portion of the schema "
                                             f"within {uncorrelatable}"))
        return schema_errors, cel_errors


def schema_errors(schema, field_path, preexisting=None):
    """FieldErrors about the x-kubernetes-validations of one openAPIV3Schema at field_path (…openAPIV3Schema),
    in the real server's order: the rule-level schema errors, the CEL errors, then the total-cost ones."""
    if not isinstance(schema, dict):
        return []
    total = TotalCost()
    schema_errs, cel_errs = _Walk(total, preexisting or Preexisting()).node(schema, field_path, Context(schema), None)
    errors = schema_errs + cel_errs
    if total.total > STATIC_ESTIMATED_CRD_COST_LIMIT:
        for path, _ in total.most_expensive:
            errors.append(FieldError("Forbidden", path, detail=(
                "contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema")))
        errors.append(FieldError("Forbidden", field_path, detail=cost_error_message(
            "x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", total.total,
            STATIC_ESTIMATED_CRD_COST_LIMIT)))
    return errors


def schema_causes(schema, field_path, preexisting=None):
    """(field, detail) of every error schema_errors finds."""
    return [(e.field, e.detail) for e in schema_errors(schema, field_path, preexisting)]


def crd_errors(spec, old_spec=None):
    """FieldErrors about the x-kubernetes-validations of a v1 CRD spec (old_spec: before an update). The
    server validates the internal version: when every version has the same schema it is
    `spec.validation`, else each version's."""
    versions = [v for v in (spec.get("versions") or []) if isinstance(v, dict)]
    schemas = [(v.get("schema") or {}).get("openAPIV3Schema") if isinstance(v.get("schema"), dict) else None
               for v in versions]
    if not schemas:
        return []
    preexisting = Preexisting(old_spec)
    if all(equal(v.get("schema"), versions[0].get("schema")) for v in versions):
        return schema_errors(schemas[0], "spec.validation.openAPIV3Schema", preexisting)
    errors = []
    for index, schema in enumerate(schemas):
        errors += schema_errors(schema, f"spec.versions[{index}].schema.openAPIV3Schema", preexisting)
    return errors


def crd_causes(spec, old_spec=None):
    """(field, detail) of every error crd_errors finds."""
    return [(e.field, e.detail) for e in crd_errors(spec, old_spec)]


def estimate(expression, root_decl):
    """(min, max) cost of a bool rule whose `self` is root_decl, or CelCompileError."""
    env = rule_env(root_decl)
    checked = env.compile(expression)
    return ce.estimate_cost(checked, ce.K8sCostEstimator(SizeEstimator(root_decl)))


# ---- constant regular expressions (cel-go CompileRegexConstants, k8s library OptimizeRegex) ----

PERL_FLAGS = set("imsU")
COUNTED = re.compile(r"\{([0-9]+)(,([0-9]*))?\}")


def regex_error(pattern):
    """The error Go's regexp.Compile reports for a pattern, for the errors this check is sure of
    (parentheses, character classes, Perl group syntax, escapes, repetition without an operand or
    stacked); None when it finds none (the pattern may still be one RE2 rejects)."""
    def error(code, expr):
        return f"error parsing regexp: {code}: `{expr}`"
    depth, i, n = 0, 0, len(pattern)
    can_repeat, last_repeat = False, None  # whether an operand precedes; where the last repetition began
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return error("trailing backslash at end of expression", "")
            e = pattern[i + 1]
            if e == "Q":
                end = pattern.find("\\E", i + 2)
                i = n if end < 0 else end + 2
                can_repeat, last_repeat = True, None
                continue
            if e in "89" or e in "1234567" and not (i + 2 < n and pattern[i + 2] in "01234567"):
                return error("invalid escape sequence", pattern[i:i + 2])
            if e.isascii() and e.isalpha() and e not in "afnrtvbBAzdDsSwWpPx":
                return error("invalid escape sequence", pattern[i:i + 2])
            if not e.isascii():
                return None  # unsure
            i += 2
            can_repeat, last_repeat = True, None
            continue
        if c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                if pattern[j] == "\\":
                    j += 1
                elif pattern.startswith("[:", j):
                    close = pattern.find(":]", j + 2)
                    if close >= 0:
                        j = close + 1
                j += 1
            if j >= n:
                return error("missing closing ]", pattern[i:])
            i = j + 1
            can_repeat, last_repeat = True, None
            continue
        if c == "(":
            if pattern.startswith("(?", i):
                if pattern.startswith("(?P<", i):
                    close = pattern.find(">", i)
                    name = pattern[i + 4:close] if close >= 0 else None
                    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
                        return None  # a bad capture name: unsure of Go's wording
                    i = close + 1
                else:
                    j = i + 2
                    while j < n and (pattern[j] in PERL_FLAGS or pattern[j] == "-"):
                        j += 1
                    if j >= n:
                        return error("missing closing )", pattern)
                    if pattern[j] == ")":
                        i = j + 1  # flags only: no group
                        continue
                    if pattern[j] != ":":
                        return error("invalid or unsupported Perl syntax", pattern[i:j + 1])
                    i = j + 1
            else:
                i += 1
            depth += 1
            can_repeat, last_repeat = False, None
            continue
        if c == ")":
            if depth == 0:
                return error("unexpected )", pattern)
            depth -= 1
            i += 1
            can_repeat, last_repeat = True, None
            continue
        if c == "|":
            i += 1
            can_repeat, last_repeat = False, None
            continue
        if c in "*+?":
            start = i
            i += 1
            if i < n and pattern[i] == "?":
                i += 1  # lazy
            if last_repeat == -1:
                return None
            if last_repeat is not None:
                return error("invalid nested repetition operator", pattern[last_repeat:i])
            if not can_repeat:
                return error("missing argument to repetition operator", pattern[start:i])
            last_repeat = start
            continue
        if c == "{":
            m = COUNTED.match(pattern, i)
            if m is None:  # not a counted repetition: a literal brace
                i += 1
                can_repeat, last_repeat = True, None
                continue
            low, high = int(m.group(1)), m.group(3)
            if last_repeat is not None or not can_repeat or low > 1000 or (
                    high not in (None, "") and (int(high) > 1000 or int(high) < low)):
                return None  # an error whose exact wording this check does not derive: unsure
            i = m.end()
            if i < n and pattern[i] == "?":
                i += 1
            last_repeat = -1  # a counted repetition: anything stacked on it is left unchecked
            continue
        i += 1
        can_repeat, last_repeat = True, None
    if depth > 0:
        return error("missing closing )", pattern)
    return None


def regex_constant_errors(checked):
    """Program creation's error for the first call of matches/find/findAll whose pattern is a string
    literal Go's regexp package rejects, else None."""
    def walk(e):
        if e is None:
            return None
        if e.kind == "call":
            nodes = ([e.target] if e.target is not None else []) + list(e.args)
            if e.function in ("matches", "find", "findAll") and len(nodes) > 1 and nodes[1].kind == "const" \
                    and nodes[1].type == "string":
                problem = regex_error(nodes[1].value)
                if problem is not None:
                    return problem
            for sub in nodes:
                found = walk(sub)
                if found:
                    return found
            return None
        children = {"select": lambda: [e.operand], "list": lambda: e.elements,
                    "map": lambda: [x for pair in e.entries for x in pair],
                    "struct": lambda: [v for _, v, _ in e.fields],
                    "comprehension": lambda: [e.iter_range, e.accu_init, e.loop_condition, e.loop_step, e.result]}
        for sub in children.get(e.kind, lambda: [])():
            found = walk(sub)
            if found:
                return found
        return None
    return walk(checked.expr)
