"""Kubernetes `Status` errors, worded the way kube-apiserver words them.

Clients branch on `reason`, `code` and `details.causes`, and people read `message`; both are copied
from k8s.io/apimachinery (pkg/api/errors, pkg/util/validation/field) so a client tested here behaves
the same against a real server.
"""
import json

from .values import go_repr

OMIT = object()  # a field error that shows no value (Go's omitValue)


def status_body(code, reason, message, details=None, metadata=None, success=False):
    """A v1 Status in the field order Go encodes it; empty optional fields are omitted as omitempty does."""
    body = {"kind": "Status", "apiVersion": "v1", "metadata": metadata or {},
            "status": "Success" if success else "Failure"}
    if message:
        body["message"] = message
    if reason:
        body["reason"] = reason
    if details is not None:
        body["details"] = {k: details[k] for k in ("name", "group", "kind", "uid", "causes", "retryAfterSeconds")
                           if details.get(k)}
    if code:
        body["code"] = code
    return body


class ApiError(Exception):
    """Raised anywhere while serving a request; the HTTP layer turns it into a Status response."""

    def __init__(self, code, reason, message, details=None, headers=None, metadata=None):
        super().__init__(message)
        self.code, self.reason, self.message = code, reason, message
        self.details, self.headers, self.metadata = details, headers or {}, metadata

    def status(self):
        return status_body(self.code, self.reason, self.message, self.details, self.metadata)


def qualified(resource):
    """`widgets.example.io`, or `namespaces` for the core group (GroupResource.String())."""
    return f"{resource.plural}.{resource.group}" if resource.group else resource.plural


def resource_details(resource, name):
    return {"name": name, "group": resource.group, "kind": resource.plural}


def not_found(resource, name):
    return ApiError(404, "NotFound", f'{qualified(resource)} "{name}" not found', resource_details(resource, name))


def namespace_not_found(namespace):
    return ApiError(404, "NotFound", f'namespaces "{namespace}" not found',
                    {"name": namespace, "group": "", "kind": "namespaces"})


def already_exists(resource, name):
    return ApiError(409, "AlreadyExists", f'{qualified(resource)} "{name}" already exists',
                    resource_details(resource, name))


OPTIMISTIC_LOCK = "the object has been modified; please apply your changes to the latest version and try again"


def conflict(resource, name, why=OPTIMISTIC_LOCK):
    return ApiError(409, "Conflict", f'Operation cannot be fulfilled on {qualified(resource)} "{name}": {why}',
                    resource_details(resource, name))


def bad_request(message):
    return ApiError(400, "BadRequest", message)


def forbidden(resource, name, why):
    subject = f'{qualified(resource)} "{name}"' if name else qualified(resource)
    return ApiError(403, "Forbidden", f"{subject} is forbidden: {why}", resource_details(resource, name))


def method_not_allowed():
    return ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", {})


def path_not_found():
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def unsupported_media_type(accepted):
    return ApiError(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: " + ", ".join(accepted))


def not_acceptable(accepted):
    return ApiError(406, "NotAcceptable", "only the following media types are accepted: " + ", ".join(accepted))


def unauthorized():
    return ApiError(401, "Unauthorized", "Unauthorized")


def expired(message, continue_token=None):
    return ApiError(410, "Expired", message, metadata={"continue": continue_token} if continue_token else None)


def too_large_resource_version(requested, current):
    return ApiError(504, "Timeout", f"Too large resource version: {requested}, current: {current}",
                    {"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
                     "retryAfterSeconds": 1}, headers={"Retry-After": "1"})


def request_entity_too_large(limit):
    return ApiError(413, "RequestEntityTooLarge", f"Request entity too large: limit is {limit}")


def generic_response(code):
    """errors.NewGenericServerResponse without a server message: what a failed JSON patch returns."""
    reasons = {422: ("Invalid", "the server rejected our request due to an error in our request"),
               429: ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
               500: ("InternalError", "an error on the server (\"\") has prevented the request from succeeding"),
               503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
               504: ("Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request")}
    reason, message = reasons.get(code, ("", f"the server responded with the status code {code} but did not return more information"))
    return ApiError(code, reason, message, {})


class FieldError:
    """One field.Error: `<field>: <Type>: <value>: <detail>`, and the StatusCause it becomes."""

    KINDS = {  # type → (cause reason, the words Go prints)
        "Required": ("FieldValueRequired", "Required value"),
        "Invalid": ("FieldValueInvalid", "Invalid value"),
        "TypeInvalid": ("FieldValueTypeInvalid", "Invalid value"),
        "NotSupported": ("FieldValueNotSupported", "Unsupported value"),
        "TooLong": ("FieldValueTooLong", "Too long"),
        "TooMany": ("FieldValueTooMany", "Too many"),
        "Forbidden": ("FieldValueForbidden", "Forbidden"),
        "Duplicate": ("FieldValueDuplicate", "Duplicate value"),
        "NotFound": ("FieldValueNotFound", "Not found"),
        "Internal": ("InternalError", "Internal error"),
    }
    VALUELESS = {"Required", "Forbidden", "TooLong", "Internal"}  # ErrorBody prints no value for these

    def __init__(self, kind, field, value=OMIT, detail=""):
        self.kind, self.field, self.value, self.detail = kind, field, value, detail

    @property
    def reason(self):
        return self.KINDS[self.kind][0]

    def body(self):
        words = self.KINDS[self.kind][1]
        text = words if self.kind in self.VALUELESS or self.value is OMIT else f"{words}: {go_repr(self.value)}"
        return f"{text}: {self.detail}" if self.detail else text

    def cause(self):
        return {"reason": self.reason, "message": self.body(), "field": self.field}

    def __str__(self):
        return f"{self.field}: {self.body()}"


def required(field, detail=""):
    return FieldError("Required", field, OMIT, detail)


def invalid_value(field, value, detail):
    return FieldError("Invalid", field, value, detail)


def not_supported(field, value, allowed):
    quoted = ", ".join(json.dumps(v if isinstance(v, str) else json.dumps(v)) for v in allowed)
    return FieldError("NotSupported", field, value, f"supported values: {quoted}" if allowed else "")


def aggregate(errors):
    """utilerrors.NewAggregate(...).Error(): one message, or all of them in brackets; repeats dropped."""
    seen, messages = set(), []
    for e in errors:
        text = str(e)
        if text not in seen:
            seen.add(text)
            messages.append(text)
    return messages[0] if len(messages) == 1 else "[" + ", ".join(messages) + "]"


def invalid(group, kind, name, errors):
    """errors.NewInvalid: 422 with one cause per field error."""
    return ApiError(422, "Invalid", f'{kind}.{group} "{name}" is invalid: {aggregate(errors)}' if group
                    else f'{kind} "{name}" is invalid: {aggregate(errors)}',
                    {"name": name, "group": group, "kind": kind, "causes": [e.cause() for e in errors]})


def invalid_options(options_kind, errors):
    """Invalid CreateOptions/UpdateOptions/PatchOptions/DeleteOptions (an empty name, group meta.k8s.io)."""
    return invalid("meta.k8s.io", options_kind, "", errors)
