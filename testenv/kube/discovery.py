"""Discovery (/api, /apis, group and group-version documents), /version, and the OpenAPI documents
kubectl reads: /openapi/v3 (which patch types a kind takes, whether the server validates fields)
and a small /openapi/v2. Only what is really served is listed.
"""
import hashlib
import json
import re

from .values import clone

VERSION = {"major": "1", "minor": "28", "gitVersion": "v1.28.4", "gitCommit": "bae2c62678db2b5053817bc97181fcc2e8388103",
           "gitTreeState": "clean", "buildDate": "2023-11-15T16:48:54Z", "goVersion": "go1.20.11", "compiler": "gc",
           "platform": "linux/amd64"}


def version_priority(version):
    """Kubernetes version ordering: GA before beta before alpha, higher numbers first, others last."""
    m = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if not m:
        return (3, 0, 0, version)
    stage = {None: 0, "beta": 1, "alpha": 2}[m.group(2)]
    return (stage, -int(m.group(1)), -int(m.group(3) or 0), version)


def api_versions(address):
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": address}]}


def _group(name, versions):
    ordered = sorted(versions, key=version_priority)
    entries = [{"groupVersion": f"{name}/{v}", "version": v} for v in ordered]
    return {"name": name, "versions": entries, "preferredVersion": dict(entries[0])}


def group_list(registry):
    groups = [_group(name, versions) for name, versions in registry.group_versions().items() if name]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def group(registry, name):
    versions = registry.group_versions().get(name)
    if not name or not versions:
        return None
    return dict({"kind": "APIGroup", "apiVersion": "v1"}, **_group(name, versions))


def resource_list(registry, group_name, version):
    types = registry.types_in(group_name, version)
    if not types:
        return None
    resources = [entry for rtype in types for entry in rtype.discovery()]
    return {"kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": f"{group_name}/{version}" if group_name else version, "resources": resources}


# ---- OpenAPI ------------------------------------------------------------------------------------

def _definition_name(rtype):
    group = ".".join(reversed(rtype.group.split("."))) if rtype.group else "io.k8s.api.core"
    return f"{group}.{rtype.version}.{rtype.kind}"


def _gvk(rtype):
    return {"group": rtype.group, "kind": rtype.kind, "version": rtype.version}


PARAMETERS = {
    "dryRun": "When present, indicates that modifications should not be persisted.",
    "fieldManager": "fieldManager is a name associated with the actor or entity that is making these changes.",
    "fieldValidation": "fieldValidation instructs the server on how to handle objects in the request containing "
                       "unknown or duplicate fields.",
    "force": "Force is going to \"force\" Apply requests.",
}
OBJECT_BODY = ["application/json", "application/yaml"]


def patch_types(rtype):
    """What PATCH is advertised to take. Strategic merge is left out even where it is accepted, so
    kubectl sends merge patches (this server's strategic merge covers only the basics)."""
    return [t for t in rtype.patch_types if "strategic" not in t]


def _operations(rtype):
    """{path: {method: (action, request body media types or None)}} for one kind."""
    prefix = f"/apis/{rtype.group}/{rtype.version}" if rtype.group else "/api/v1"
    collection = f"{prefix}/namespaces/{{namespace}}/{rtype.plural}" if rtype.namespaced else f"{prefix}/{rtype.plural}"
    item = {"get": ("get", None), "put": ("put", OBJECT_BODY), "patch": ("patch", patch_types(rtype)),
            "delete": ("delete", None)}
    paths = {collection: {"get": ("list", None), "post": ("post", OBJECT_BODY), "delete": ("deletecollection", None)},
             f"{collection}/{{name}}": item}
    if rtype.status_subresource:
        paths[f"{collection}/{{name}}/status"] = {k: v for k, v in item.items() if k != "delete"}
    return paths


def _parameter_names(body_types):
    if not body_types:
        return []
    return ["dryRun", "fieldManager", "fieldValidation"] + (["force"] if "application/apply-patch+yaml" in body_types else [])


def openapi_v3_document(registry, group_name, version):
    types = registry.types_in(group_name, version)
    if not types:
        return None
    paths, schemas = {}, {}
    for rtype in types:
        reference = {"$ref": f"#/components/schemas/{_definition_name(rtype)}"}
        for path, methods in _operations(rtype).items():
            item = paths.setdefault(path, {})
            for method, (action, body_types) in methods.items():
                op = {"operationId": f"{action}{rtype.kind}", "x-kubernetes-action": action,
                      "x-kubernetes-group-version-kind": _gvk(rtype),
                      "parameters": [{"name": n, "in": "query", "description": PARAMETERS[n],
                                      "schema": {"type": "string", "uniqueItems": True}}
                                     for n in _parameter_names(body_types)],
                      "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": reference}}}}}
                if body_types:
                    op["requestBody"] = {"content": {t: {"schema": reference} for t in body_types}, "required": True}
                item[method] = op
        schema = clone(rtype.schema)
        schema["x-kubernetes-group-version-kind"] = [_gvk(rtype)]
        schemas[_definition_name(rtype)] = schema
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": VERSION["gitVersion"]},
            "paths": paths, "components": {"schemas": schemas}}


def _hash(document):
    return hashlib.sha512(json.dumps(document, sort_keys=True).encode()).hexdigest()[:128].upper()


def openapi_v3_index(registry):
    paths = {}
    for group_name, versions in registry.group_versions().items():
        for version in versions:
            key = f"apis/{group_name}/{version}" if group_name else f"api/{version}"
            document = openapi_v3_document(registry, group_name, version)
            paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash={_hash(document)}"}
    return {"paths": paths}


def openapi_v2(registry):
    """Swagger 2.0 with every served path; definitions are opaque objects named by their GVK."""
    definitions, paths = {}, {}
    for rtype in registry.all():
        name = _definition_name(rtype)
        definitions[name] = {"description": f"{rtype.kind} ({rtype.group_version})", "type": "object",
                             "x-kubernetes-group-version-kind": [_gvk(rtype)]}
        for path, methods in _operations(rtype).items():
            item = paths.setdefault(path, {})
            for method, (action, body_types) in methods.items():
                op = {"operationId": f"{action}{rtype.kind}", "produces": ["application/json", "application/yaml"],
                      "parameters": [{"name": n, "in": "query", "type": "string", "uniqueItems": True,
                                      "description": PARAMETERS[n]} for n in _parameter_names(body_types)],
                      "responses": {"200": {"description": "OK", "schema": {"$ref": f"#/definitions/{name}"}}},
                      "x-kubernetes-action": action, "x-kubernetes-group-version-kind": _gvk(rtype)}
                if body_types:
                    op["consumes"] = list(body_types)
                    op["parameters"].append({"name": "body", "in": "body", "required": True,
                                             "schema": {"$ref": f"#/definitions/{name}"}})
                item[method] = op
    return {"swagger": "2.0", "info": {"title": "Kubernetes", "version": VERSION["gitVersion"]},
            "paths": paths, "definitions": definitions}
