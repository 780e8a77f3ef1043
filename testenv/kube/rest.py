"""The REST verbs: get, list, create, update (PUT), patch (merge, JSON, strategic for built-ins, apply),
delete and deletecollection, with kube-apiserver's order of checks:

  decode (400/415) → options (422 …Options) → prune/default (Strict 400, Warn warnings)
  → existence and preconditions (404, 409 Conflict, 422 for a missing resourceVersion)
  → admission of a create (its namespace exists: 404, 403 while terminating) → strategy (status
  subresource, generation) → managed fields (SSA conflicts 409) → validation (422 with causes)
  → storage (409 AlreadyExists).

Writes that change nothing are not written (no new resourceVersion, no watch event), like etcd3's
GuaranteedUpdate. Objects are handled in the URL's API version; storage holds each kind's own form.
"""
import time

from . import apply, encoding, lists, managed, objectmeta, patch, table, timefmt
from . import schema as sch
from .errors import (ApiError, FieldError, already_exists, bad_request, conflict, forbidden, invalid, invalid_options,
                     namespace_not_found, not_found, not_supported, status_body, too_large_resource_version,
                     unsupported_media_type)
from .request import Response, check_write_options, kind_missing, manager_name, report_fields
from .values import MISSING, GoLiteral, clone, equal

FUTURE_RV_WAIT = 3.0  # seconds a read waits for a resourceVersion the server has not reached


class Api:
    def __init__(self, store, registry, namespaces):
        self.store, self.registry, self.namespaces = store, registry, namespaces
        self.hooks = []  # callables(rtype, event, obj) run under the store lock after each write

    # ---- object plumbing ----
    def external(self, rtype, stored):
        obj = rtype.to_external(stored)
        return encoding.reorder(obj, rtype.order) if rtype.typed else obj

    def respond(self, rtype, obj, code=200):
        return Response(code, obj, sort=not rtype.typed)

    def _invalid(self, rtype, name, errors):
        return invalid(rtype.group, rtype.invalid_kind(), name, errors)

    def _decode_object(self, call, rtype):
        body = encoding.decode(call.raw, call.content_type, rtype.accepts_media)
        obj = body.value
        if not isinstance(obj, dict) or not obj.get("kind"):
            raise kind_missing(obj)
        if obj.get("apiVersion") != rtype.group_version:
            raise bad_request(f"the API version in the data ({obj.get('apiVersion', '')}) does not match the "
                              f"expected API version ({rtype.group_version})")
        if obj.get("kind") != rtype.kind:
            raise bad_request(f"the kind in the data ({obj['kind']}) does not match the expected kind ({rtype.kind})")
        obj.setdefault("metadata", {})
        if obj["metadata"] is None:
            obj["metadata"] = {}
        objectmeta.check_types(obj["metadata"])
        return obj, body.duplicates

    def _canonicalise(self, call, rtype, obj, duplicates=()):
        """Decoding's side: pruning, defaults, typed checks, timestamps; unknown fields per fieldValidation."""
        unknown = rtype.prune_and_default(obj)
        if rtype.typed:
            broken = [e for e in sch.validate(obj, rtype.schema, "", []) if e.kind == "TypeInvalid"]
            if broken:
                raise bad_request(f'{rtype.kind} in version "{rtype.version}" cannot be handled as a {rtype.kind}: '
                                  f"json: cannot unmarshal {broken[0].value} into Go struct field "
                                  f"{rtype.kind}.{broken[0].field} of type {_go_type(broken[0].detail)}")
        rtype.normalize(obj)
        report_fields(call, unknown, duplicates)

    def _namespace_check(self, rtype, namespace, creating):
        if not rtype.namespaced or not creating:
            return
        ns = self.store.get(self.namespaces.storage_key, "", namespace)
        if ns is None:
            raise namespace_not_found(namespace)
        if (ns.get("metadata") or {}).get("deletionTimestamp"):
            raise forbidden(rtype, "", f"unable to create new content in namespace {namespace} because it is being terminated")

    def check_namespace_of(self, call, rtype, obj):
        meta = obj["metadata"]
        if rtype.namespaced:
            if meta.get("namespace") and meta["namespace"] != call.namespace:
                raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
            meta["namespace"] = call.namespace
        else:
            meta.pop("namespace", None)

    def _managers_update(self, call, rtype, live, new, subresource, template=None):
        managers = managed.base_managers(live, new, ignore_request=bool(subresource))
        identity = (manager_name(call), "Update", subresource or "")
        result = managed.update(managers, template if live is MISSING else live, new, rtype.schema, identity,
                                rtype.group_version, rtype.reset_fields(subresource))
        self.set_managed(new, result)

    @staticmethod
    def set_managed(obj, managers):
        entries = managed.encode(managers)
        if entries:
            obj["metadata"]["managedFields"] = entries
        else:
            obj["metadata"].pop("managedFields", None)

    def run_hooks(self, rtype, event, obj):
        for hook in self.hooks:
            hook(rtype, event, obj)

    # ---- create ----
    def create(self, call):
        rtype = call.rtype
        dry_run = check_write_options(call, "CreateOptions")
        obj, duplicates = self._decode_object(call, rtype)
        self.check_namespace_of(call, rtype, obj)
        self._canonicalise(call, rtype, obj, duplicates)
        with self.store.lock:
            return self.create_object(call, rtype, obj, dry_run, lambda o: self._managers_update(
                call, rtype, MISSING, o, None, template=rtype.template()))

    def create_object(self, call, rtype, obj, dry_run, set_managed):
        meta = obj["metadata"]
        # NamespaceLifecycle is mutating admission, which the create handler runs before the strategy
        # validates: an invalid object into a missing namespace is a 404 (reference/kube-wire-crd/10).
        self._namespace_check(rtype, meta.get("namespace"), creating=True)
        if meta.get("resourceVersion"):
            raise ApiError(500, "InternalError", "Internal error occurred: resourceVersion should not be set on objects to be created",
                           {"causes": [{"message": "resourceVersion should not be set on objects to be created"}]})
        for field in objectmeta.SYSTEM_FIELDS:
            meta.pop(field, None)
        meta["uid"] = objectmeta.new_uid()
        meta["creationTimestamp"] = timefmt.rfc3339(timefmt.now())
        generated = not meta.get("name") and meta.get("generateName")
        if generated:
            meta["name"] = objectmeta.generate_name(meta["generateName"])
        rtype.prepare_for_create(obj)
        set_managed(obj)
        errors, warnings = rtype.validate(obj, None)
        call.warnings += warnings
        if errors:
            raise self._invalid(rtype, meta.get("name") or meta.get("generateName", ""), errors)
        for _ in range(5 if generated else 1):
            if self.store.get(rtype.storage_key, meta.get("namespace"), meta["name"]) is None:
                break
            if not generated:
                raise already_exists(rtype, meta["name"])
            meta["name"] = objectmeta.generate_name(meta["generateName"])
        else:
            raise ApiError(409, "AlreadyExists", f'{rtype.plural} "{meta["name"]}" already exists, the server was not '
                           "able to generate a unique name for the object", {"name": meta["name"], "kind": rtype.plural})
        stored = rtype.to_internal(obj)
        if dry_run:
            return self.respond(rtype, self.external(rtype, stored), 201)
        stored = self.store.create(rtype.storage_key, meta.get("namespace"), meta["name"], clone(stored))
        self.run_hooks(rtype, "ADDED", stored)
        return self.respond(rtype, self.external(rtype, stored), 201)

    # ---- read ----
    def wait_for(self, requested):
        """A read at a resourceVersion the server has not reached waits a little, then 504 like the real one."""
        try:
            wanted = int(requested)
        except ValueError:
            raise bad_request(f"invalid resource version: {requested}")
        deadline = time.monotonic() + FUTURE_RV_WAIT
        with self.store.changed:
            while self.store.rv < wanted:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise too_large_resource_version(wanted, self.store.rv)
                self.store.changed.wait(left)
        return wanted

    def list(self, call):
        return lists.list_objects(self, call)

    def list_options(self, call, watch=False):
        return lists.list_options(call, watch)

    def get(self, call):
        rtype = call.rtype
        if call.param("resourceVersion") not in ("", "0"):
            self.wait_for(call.param("resourceVersion"))
        stored = self.store.get(rtype.storage_key, call.namespace, call.name)
        if stored is None:
            raise not_found(rtype, call.name)
        obj = self.external(rtype, stored)
        view = call.accept.view
        if view == "Table":
            rv = obj["metadata"].get("resourceVersion", "")
            return Response(200, table.table(rtype, [obj], {"resourceVersion": rv}, call.accept.view_version,
                                             call.param("includeObject", "Metadata")))
        if view == "PartialObjectMetadata":
            return Response(200, table.partial_metadata(obj, call.accept.view_version))
        return self.respond(rtype, obj)

    # ---- update ----
    def _check_name(self, call, obj):
        name = obj["metadata"].get("name", "")
        if name != call.name:
            raise bad_request(f"the name of the object ({name}) does not match the name on the URL ({call.name})")

    def existing(self, rtype, call):
        stored = self.store.get(rtype.storage_key, call.namespace, call.name)
        return None if stored is None else self.external(rtype, stored)

    def _preconditions(self, rtype, new, old):
        """resourceVersion (and uid) carried by the new object are preconditions on the stored one."""
        meta, old_meta = new["metadata"], old["metadata"]
        rv = meta.get("resourceVersion") or ""
        if not rv:
            if not rtype.allow_unconditional_update:
                raise invalid(rtype.group, rtype.plural, meta.get("name", ""), [
                    FieldError("Invalid", "metadata.resourceVersion", GoLiteral("0x0"), "must be specified for an update")])
            meta["resourceVersion"] = old_meta["resourceVersion"]
        elif rv != old_meta["resourceVersion"]:
            raise conflict(rtype, old_meta["name"])
        if meta.get("uid") and meta["uid"] != old_meta["uid"]:
            raise conflict(rtype, old_meta["name"],
                           f"Precondition failed: UID in precondition: {meta['uid']}, UID in object meta: {old_meta['uid']}")

    def update(self, call):
        rtype = call.rtype
        dry_run = check_write_options(call, "UpdateOptions")
        new, duplicates = self._decode_object(call, rtype)
        self._check_name(call, new)
        self.check_namespace_of(call, rtype, new)
        self._canonicalise(call, rtype, new, duplicates)
        with self.store.lock:
            old = self.existing(rtype, call)
            if old is None:
                if rtype.allow_create_on_update and not call.subresource:
                    new["metadata"].pop("resourceVersion", None)
                    return self.create_object(call, rtype, new, dry_run, lambda o: self._managers_update(
                        call, rtype, MISSING, o, None, template=rtype.template()))
                raise not_found(rtype, call.name)
            self._preconditions(rtype, new, old)
            return self.write_update(call, rtype, old, new, dry_run,
                                      lambda o: self._managers_update(call, rtype, old, o, call.subresource))

    def write_update(self, call, rtype, old, new, dry_run, set_managed):
        """BeforeUpdate, the field manager, validation, then a write unless nothing changed."""
        meta, old_meta = new["metadata"], old["metadata"]
        if not meta.get("uid"):
            meta["uid"] = old_meta["uid"]
        for field in ("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
            if field in old_meta:
                meta[field] = old_meta[field]
            else:
                meta.pop(field, None)
        meta.pop("selfLink", None)
        rtype.prepare_for_update(new, old, call.subresource)
        set_managed(new)
        validate = rtype.validate_status if call.subresource == "status" else rtype.validate
        errors, warnings = validate(new, old)
        call.warnings += warnings
        if errors:
            raise self._invalid(rtype, meta.get("name", ""), errors)
        if equal(new, old):
            return self.respond(rtype, old)
        if dry_run:
            return self.respond(rtype, encoding.reorder(new, rtype.order) if rtype.typed else new)
        key, ns, name = rtype.storage_key, meta.get("namespace"), meta["name"]
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and rtype is not self.namespaces:
            gone = self.store.delete(key, ns, name)  # the write that empties finalizers deletes
            self.run_hooks(rtype, "DELETED", gone)
            return self.respond(rtype, self.external(rtype, gone))
        stored = self.store.update(key, ns, name, rtype.to_internal(clone(new)))
        self.run_hooks(rtype, "MODIFIED", stored)
        return self.respond(rtype, self.external(rtype, stored))

    # ---- patch ----
    def patch(self, call):
        rtype = call.rtype
        kind = encoding.media_type(call.content_type)
        if kind not in rtype.patch_types:
            raise unsupported_media_type(list(rtype.patch_types))
        applying = kind == "application/apply-patch+yaml"
        dry_run = check_write_options(call, "PatchOptions", apply=applying)
        if applying:
            return apply.apply(self, call, rtype, dry_run)
        document = encoding.decode(call.raw, "application/json", ("application/json",)).value
        if kind != "application/json-patch+json" and not isinstance(document, dict):
            raise bad_request("json: cannot unmarshal into Go value of type map[string]interface {}")
        with self.store.lock:
            old = self.existing(rtype, call)
            if old is None:
                raise not_found(rtype, call.name)
            if kind == "application/json-patch+json":
                new = patch.json_patch(old, document)
            elif kind == "application/merge-patch+json":
                new = patch.merge_patch(old, document)
            else:
                new = patch.strategic_merge_patch(old, document)
            if not isinstance(new, dict):
                raise kind_missing(new)
            new.setdefault("metadata", {})
            objectmeta.check_types(new["metadata"])
            self._check_name(call, new)
            self._canonicalise(call, rtype, new)
            self._preconditions(rtype, new, old)
            return self.write_update(call, rtype, old, new, dry_run,
                                      lambda o: self._managers_update(call, rtype, old, o, call.subresource))

    # ---- delete ----
    def _delete_options(self, call):
        options = {}
        if call.raw and call.raw.strip():
            options = encoding.decode(call.raw, call.content_type or "application/json",
                                      ("application/json", "application/yaml")).value or {}
            if not isinstance(options, dict):
                raise bad_request("the body of the request was not a DeleteOptions object")
        errors = []
        policy = call.param("propagationPolicy") or options.get("propagationPolicy")
        if policy and policy not in ("Foreground", "Background", "Orphan"):
            errors.append(not_supported("propagationPolicy", policy, ["Foreground", "Background", "Orphan"]))
        if policy and (options.get("orphanDependents") is not None or call.param("orphanDependents")):
            errors.append(FieldError("Invalid", "propagationPolicy", policy,
                                     "orphanDependents and deletionPropagation cannot be both set"))
        requested = options.get("dryRun") or []
        dry_run = call.query.get("dryRun", []) + (requested if isinstance(requested, list) else [requested])
        errors += [not_supported("dryRun", v, ["All"]) for v in dry_run if v != "All"]
        if errors:
            raise invalid_options("DeleteOptions", errors)
        preconditions = options.get("preconditions") or {}
        if not isinstance(preconditions, dict):
            raise bad_request("json: cannot unmarshal into Go struct field DeleteOptions.preconditions of type v1.Preconditions")
        return preconditions, bool(dry_run)

    def delete(self, call):
        rtype = call.rtype
        preconditions, dry_run = self._delete_options(call)
        with self.store.lock:
            obj = self.existing(rtype, call)
            if obj is None:
                raise not_found(rtype, call.name)
            meta = obj["metadata"]
            if rtype is self.namespaces and call.name in ("default", "kube-system", "kube-public"):
                raise forbidden(rtype, call.name, "this namespace may not be deleted")
            if preconditions.get("uid") and preconditions["uid"] != meta.get("uid"):
                raise conflict(rtype, call.name, f"Precondition failed: UID in precondition: {preconditions['uid']}, "
                                                 f"UID in object meta: {meta.get('uid')}")
            if preconditions.get("resourceVersion") and preconditions["resourceVersion"] != meta.get("resourceVersion"):
                raise conflict(rtype, call.name,
                               f"Precondition failed: ResourceVersion in precondition: {preconditions['resourceVersion']}, "
                               f"ResourceVersion in object meta: {meta.get('resourceVersion')}")
            return self._delete(rtype, obj, dry_run)

    def _delete(self, rtype, obj, dry_run):
        """Finalizers (or a namespace's or CRD's own) mean a graceful start: deletionTimestamp, and what
        the kind's storage adds (rtype.start_deletion)."""
        meta = obj["metadata"]
        key, ns, name = rtype.storage_key, meta.get("namespace"), meta["name"]
        if meta.get("finalizers") or rtype is self.namespaces or rtype.finalized_on_delete:
            if meta.get("deletionTimestamp"):
                return self.respond(rtype, obj)
            rtype.start_deletion(obj, timefmt.rfc3339(timefmt.now()))
            if rtype is self.namespaces:
                obj.setdefault("status", {})["phase"] = "Terminating"
            if dry_run:
                return self.respond(rtype, obj)
            stored = self.store.update(key, ns, name, rtype.to_internal(obj))
            self.run_hooks(rtype, "MODIFIED", stored)
            return self.respond(rtype, self.external(rtype, self.store.get(key, ns, name) or stored))
        if dry_run:
            gone = obj
        else:
            gone = self.external(rtype, self.store.delete(key, ns, name))
            self.run_hooks(rtype, "DELETED", gone)
        if rtype.delete_returns_object:
            return self.respond(rtype, gone)
        return Response(200, status_body(0, "", "", {"name": name, "group": rtype.group, "kind": rtype.plural,
                                                      "uid": meta.get("uid")}, success=True))

    def delete_collection(self, call):
        rtype = call.rtype
        labels, fields = self.list_options(call)
        _, dry_run = self._delete_options(call)
        deleted = []
        with self.store.lock:
            for ns, name, stored in self.store.items(rtype.storage_key, call.namespace):
                obj = self.external(rtype, stored)
                if labels.matches(obj["metadata"].get("labels")) and fields.matches(rtype.field_values(obj)):
                    response = self._delete(rtype, obj, dry_run)
                    deleted.append(response.body if response.body.get("kind") != "Status" else obj)
            meta = {"resourceVersion": str(self.store.rv)}
        return lists.render_list(call, rtype, deleted, meta)

    def delete_all_in(self, namespace):
        """The namespace controller's sweep: every namespaced object in it starts deleting."""
        swept = set()
        for rtype in self.registry.all():
            if not rtype.namespaced or rtype.storage_key in swept:
                continue
            swept.add(rtype.storage_key)
            for ns, name, stored in self.store.items(rtype.storage_key, namespace):
                self._delete(rtype, self.external(rtype, stored), False)

    def namespace_empty(self, namespace):
        keys = {t.storage_key for t in self.registry.all() if t.namespaced}
        return not any(self.store.items(key, namespace) for key in keys)


def _go_type(detail):
    kind = detail.rsplit("must be of type ", 1)[-1].split(":")[0] if "must be of type" in detail else "string"
    return {"integer": "int32", "string": "string", "object": "struct", "array": "[]", "boolean": "bool"}.get(kind, kind)

