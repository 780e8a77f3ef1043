"""One API request as the verbs see it (the Call and its Response), and the checks every write shares:
the …Options query parameters, fieldValidation for unknown and duplicate fields, and the field manager
a write is recorded under."""
import json

from . import encoding
from .errors import FieldError, bad_request, invalid_options, not_supported


class Call:
    """One API request, as the router understood it."""

    def __init__(self, verb, rtype, namespace, name, subresource, query, body=b"", content_type="",
                 user_agent="", accept=None):
        self.verb, self.rtype, self.namespace, self.name, self.subresource = verb, rtype, namespace, name, subresource
        self.query, self.raw, self.content_type, self.user_agent = query, body, content_type, user_agent
        self.accept = accept or encoding.Accept()
        self.warnings = []

    def param(self, name, default=""):
        values = self.query.get(name)
        return values[0] if values else default

    def flag(self, name):
        return self.param(name).lower() in ("true", "1")


class Response:
    def __init__(self, code, body, sort=False):
        self.code, self.body, self.sort = code, body, sort


def manager_name(call):
    """managerOrUserAgent: ?fieldManager=, else the User-Agent up to its first slash, else "unknown"."""
    name = call.param("fieldManager") or "".join(c for c in (call.user_agent or "").split("/")[0] if c.isprintable())[:128]
    return name or "unknown"


def check_write_options(call, options_kind, apply=False):
    errors = []
    for value in call.query.get("dryRun", []):
        if value != "All":
            errors.append(not_supported("dryRun", value, ["All"]))
    manager = call.param("fieldManager")
    if len(manager) > 128:
        errors.append(FieldError("TooLong", "fieldManager", manager, "may not be longer than 128"))
    elif manager and not manager.isprintable():
        errors.append(FieldError("Invalid", "fieldManager", manager, "must only contain printable characters"))
    directive = call.param("fieldValidation")
    if directive not in ("", "Ignore", "Warn", "Strict"):
        errors.append(not_supported("fieldValidation", directive, ["", "Ignore", "Strict", "Warn"]))
    if options_kind == "PatchOptions":
        if apply and not manager:
            errors.append(FieldError("Required", "fieldManager", detail="is required for apply patch"))
        if not apply and "force" in call.query:
            errors.append(FieldError("Forbidden", "force", detail="may not be specified for non-apply patch"))
    if errors:
        raise invalid_options(options_kind, errors)
    return bool(call.query.get("dryRun"))


def report_fields(call, unknown, duplicates):
    """fieldValidation: Strict refuses unknown and duplicate fields, Warn (the default) warns, Ignore doesn't."""
    problems = [f'unknown field "{p}"' for p in unknown] + [f'duplicate field "{d}"' for d in duplicates]
    directive = call.param("fieldValidation") or "Warn"
    if problems and directive == "Strict":
        raise bad_request("strict decoding error: " + ", ".join(problems))
    if directive == "Warn":
        call.warnings += problems


def kind_missing(value):
    text = json.dumps(value, separators=(",", ":")) if value is not None else ""
    return bad_request(f"Object 'Kind' is missing in '{text}'")
