"""Server-side apply (PATCH with application/apply-patch+yaml): the configuration is checked, merged into
the live object (or creates it), its fields become the manager's, conflicts with other owners are a
409 unless forced, and fields the manager stopped applying are pruned when nobody else owns them."""
from . import encoding, lastapplied, managed, merge, objectmeta
from . import fieldpath as fp
from . import schema as sch
from .errors import bad_request, conflict, not_found
from .request import kind_missing
from .values import MISSING, clone

def configuration(call, rtype):
    """The applied configuration, refused (400) when it is not an object of this kind and name, sets
    managedFields, or has fields the schema does not declare (SSA cannot own those)."""
    config = encoding.decode(call.raw, "application/yaml" if encoding.yaml else "application/json",
                             ("application/yaml", "application/json")).value
    if not isinstance(config, dict):
        raise bad_request("error decoding YAML: the applied configuration is not an object")
    if not config.get("kind"):
        raise kind_missing(config)
    if config.get("apiVersion") != rtype.group_version:
        raise bad_request(f"the API version in the data ({config.get('apiVersion', '')}) does not match the "
                          f"expected API version ({rtype.group_version})")
    if config["kind"] != rtype.kind:
        raise bad_request(f"the kind in the data ({config['kind']}) does not match the expected kind ({rtype.kind})")
    meta = config.get("metadata")
    if meta is None:
        config["metadata"] = meta = {}
    objectmeta.check_types(meta)
    if meta.get("managedFields") is not None:
        raise bad_request("metadata.managedFields must be nil")
    if meta.get("name", call.name) != call.name:
        raise bad_request(f"the name of the object ({meta['name']}) does not match the name on the URL ({call.name})")
    if rtype.namespaced and meta.get("namespace", call.namespace) != call.namespace:
        raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
    unknown = sch.prune(clone(config), rtype.schema)
    if unknown:
        raise bad_request(f"failed to create typed patch object ({rtype.group_version}, Kind={rtype.kind}): "
                          f".{unknown[0]}: field not declared in schema")
    rtype.normalize(clone(config))  # only for its decode errors (e.g. a MicroTime without microseconds)
    return config


def apply(api, call, rtype, dry_run):
    """Server-side apply: merge the configuration, own its fields, prune what the manager dropped."""
    config = configuration(call, rtype)
    applied = clone(config)  # as decoded: what the last-applied annotation of kubectl's applies records
    identity = (call.param("fieldManager"), "Apply", call.subresource or "")
    force = call.flag("force")
    ignored = rtype.reset_fields(call.subresource)
    config_paths = fp.strip(fp.to_set(config, rtype.schema), ignored)
    with api.store.lock:
        old = api.existing(rtype, call)
        live = rtype.template() if old is None else old
        if old is None:
            live.update({"apiVersion": rtype.group_version, "kind": rtype.kind})
            live["metadata"] = {"name": call.name}
        merged = merge.merge(live, config, rtype.schema)
        managers = managed.base_managers(MISSING if old is None else old, {}, ignore_request=True)
        handover = identity[0] == lastapplied.MANAGER
        forgiven = lastapplied.forgiven_conflicts(old, rtype) if handover and old is not None else set()
        prune = managed.apply(managers, live, merged, rtype.schema, config_paths, identity,
                              rtype.group_version, force, ignored, forgiven)
        merge.remove_paths(merged, prune, rtype.schema)
        merged.setdefault("metadata", {})["name"] = call.name
        api.check_namespace_of(call, rtype, merged)
        rtype.prune_and_default(merged)
        rtype.normalize(merged)

        def set_managed(obj):
            result = managed.finish_apply(managers, live, obj, rtype.schema, identity, ignored)
            api.set_managed(obj, result)
            if handover:  # after the field manager, as lastAppliedUpdater wraps it: nobody takes the annotation
                lastapplied.record(obj, applied)

        if old is None:
            if call.subresource:
                raise not_found(rtype, call.name)
            merged["metadata"].pop("resourceVersion", None)
            return api.create_object(call, rtype, merged, dry_run, set_managed)
        requested = (config.get("metadata") or {}).get("resourceVersion")
        if requested and requested != old["metadata"]["resourceVersion"]:
            raise conflict(rtype, call.name)
        merged["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
        return api.write_update(call, rtype, old, merged, dry_run, set_managed)
