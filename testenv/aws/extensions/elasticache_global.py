"""ElastiCache global datastores (global replication groups), which moto lacks, with the states
each operation passes through (botocore's elasticache model for names, shapes and faults):

    CreateGlobalReplicationGroup  (in the primary's region) -> "<region prefix>-<suffix>", "creating"
        for CONFIG["elasticache"]["globalCreateSeconds"], then "primary-only"
    CreateReplicationGroup with GlobalReplicationGroupId -> a secondary member made by moto's backend,
        the group "creating" (member "associating") for memberCreateSeconds, then "available" and the
        datastore "available"; an injected failure ends the group "create-failed", not a member:
        {"kind": "elasticache-member-create-failed", "ReplicationGroupId": "<id>" | "*"}
    DescribeGlobalReplicationGroups (Members only with ShowMemberInfo, as AWS answers)
    FailoverGlobalReplicationGroup  the datastore must be "available"; "modifying" for failoverSeconds,
        then the named secondary is PRIMARY and the old primary SECONDARY; an injected failure leaves
        the roles and ends the datastore "failed":
        {"kind": "elasticache-failover-failed", "GlobalReplicationGroupId": "<id>" | "*"}
    DisassociateGlobalReplicationGroup  a secondary only; "modifying" (member "disassociating") for
        disassociateSeconds, then the group is standalone and the datastore "primary-only" when only
        its primary is left
    DeleteReplicationGroup  refused for a member of a datastore (InvalidReplicationGroupState);
        otherwise moto's, and the group, "deleting", is gone after deleteSeconds

Every other ElastiCache call goes to moto, whose replication groups advance() keeps current (their
GlobalReplicationGroupInfo included). Lowering a configured time shortens what is under way too.
"""
import hashlib
from xml.sax.saxutils import escape

from testenv.aws.extensions.common import (CLOCK, Fault, CONFIG, FAILURES, LOCK, _send, account_of, region_of, request_id, scope)

OPERATIONS = ("CreateGlobalReplicationGroup", "DescribeGlobalReplicationGroups", "FailoverGlobalReplicationGroup",
              "DisassociateGlobalReplicationGroup", "CreateReplicationGroup", "DeleteReplicationGroup")
PREFIXES = {"us-east-1": "ldgnf", "us-east-2": "fpkhr", "us-west-1": "virxk", "us-west-2": "sgaui"}
GROUPS = {}     # (account, global id) -> datastore dict
DELETING = {}   # (account, region, replication group id) -> {"group", "startedAt"}
NS = "http://elasticache.amazonaws.com/doc/2015-02-02/"


def reset():
    with LOCK:
        GROUPS.clear()
        DELETING.clear()


def _backend(account, region):
    from moto.elasticache.models import elasticache_backends
    return elasticache_backends[account][region]


def _seconds(key):
    return float(CONFIG.get("elasticache", key))


def _due(run, key, now):
    return now - run["startedAt"] >= min(run["seconds"], _seconds(key))


def _standalone(group):
    group.global_replication_group_id = ""
    if hasattr(group, "global_replication_group_member_role"):
        del group.global_replication_group_member_role


def advance(now=None):
    now = CLOCK.now() if now is None else now
    with LOCK:
        for (account, gid), datastore in list(GROUPS.items()):
            run = datastore.get("run")
            if run and run["op"] == "create" and _due(run, "globalCreateSeconds", now):
                datastore["Status"], datastore["run"] = "primary-only", None
            elif run and run["op"] == "failover" and _due(run, "failoverSeconds", now):
                if run["fail"]:
                    datastore["Status"] = "failed"
                else:
                    for member in datastore["members"]:
                        member["Role"] = "PRIMARY" if member is run["member"] else "SECONDARY"
                        member["group"].global_replication_group_member_role = member["Role"]
                    datastore["Status"] = "available"
                datastore["run"] = None
            elif run and run["op"] == "disassociate" and _due(run, "disassociateSeconds", now):
                datastore["members"].remove(run["member"])
                _standalone(run["member"]["group"])
                datastore["Status"] = "available" if len(datastore["members"]) > 1 else "primary-only"
                datastore["run"] = None
            for member in list(datastore["members"]):
                joining = member.get("joining")
                if not joining:
                    continue
                if _due(joining, "memberCreateSeconds", now):
                    member["joining"] = None
                    if joining["fail"]:
                        member["group"].status = "create-failed"
                        _standalone(member["group"])
                        datastore["members"].remove(member)
                    else:
                        member["group"].status, member["Status"] = "available", "associated"
                        if datastore["Status"] == "primary-only":
                            datastore["Status"] = "available"
                else:
                    member["group"].status = "creating"
        for key, run in list(DELETING.items()):
            account, region, rid = key
            backend = _backend(account, region)
            if backend.replication_groups.get(rid) is not run["group"]:
                del DELETING[key]
            elif now - run["startedAt"] >= _seconds("deleteSeconds"):
                backend.replication_groups.pop(rid, None)
                del DELETING[key]
    return now


def _one(form, name):
    return (form.get(name) or [None])[0]


def _list(form, prefix, member):
    values, index = [], 1
    while _one(form, f"{prefix}.{member}.{index}") is not None:
        values.append(_one(form, f"{prefix}.{member}.{index}"))
        index += 1
    return values


def _datastore(account, gid):
    datastore = GROUPS.get((account, gid or ""))
    if datastore is None:
        raise Fault(404, "GlobalReplicationGroupNotFoundFault", f"Global replication group {gid} not found.")
    return datastore


def _member_xml(member):
    return (f"<GlobalReplicationGroupMember><ReplicationGroupId>{escape(member['ReplicationGroupId'])}</ReplicationGroupId>"
            f"<ReplicationGroupRegion>{member['ReplicationGroupRegion']}</ReplicationGroupRegion><Role>{member['Role']}</Role>"
            f"<AutomaticFailover>enabled</AutomaticFailover><Status>{member['Status']}</Status></GlobalReplicationGroupMember>")


def _datastore_xml(datastore, members=True):
    inner = "".join(f"<{k}>{escape(str(datastore[k]))}</{k}>" for k in
                    ("GlobalReplicationGroupId", "GlobalReplicationGroupDescription", "Status", "CacheNodeType", "Engine", "EngineVersion", "ARN"))
    if members:
        inner += "<Members>" + "".join(_member_xml(m) for m in datastore["members"]) + "</Members>"
    inner += "<ClusterEnabled>false</ClusterEnabled><AuthTokenEnabled>false</AuthTokenEnabled>"
    inner += "<TransitEncryptionEnabled>false</TransitEncryptionEnabled><AtRestEncryptionEnabled>false</AtRestEncryptionEnabled>"
    return f"<GlobalReplicationGroup>{inner}</GlobalReplicationGroup>"


def _answer(handler, operation, inner):
    body = (f"<{operation}Response xmlns=\"{NS}\"><{operation}Result>{inner}</{operation}Result>"
            f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata></{operation}Response>")
    _send(handler, 200, body.encode(), "text/xml")


def _error(handler, fault):
    body = (f"<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{escape(fault.code)}</Code>"
            f"<Message>{escape(fault.message)}</Message></Error><RequestId>{request_id()}</RequestId></ErrorResponse>")
    _send(handler, fault.status, body.encode(), "text/xml")


def _serialize_group(operation, group):
    from moto.core.serialize import XFormedAttributePicker, get_serializer_class
    from moto.core.utils import get_service_model
    model = get_service_model("elasticache")
    serializer = get_serializer_class("elasticache", model.protocol)(
        operation_model=model.operation_model(operation), value_picker=XFormedAttributePicker())
    body = serializer.serialize({"ReplicationGroup": group})["body"]
    return body if isinstance(body, bytes) else body.encode()


def _create_global(account, region, form, now):
    primary_id = _one(form, "PrimaryReplicationGroupId") or ""
    group = _backend(account, region).replication_groups.get(primary_id)
    if group is None:
        raise Fault(404, "ReplicationGroupNotFoundFault", f"Replication group {primary_id} not found.")
    if getattr(group, "global_replication_group_id", ""):
        raise Fault(400, "InvalidReplicationGroupStateFault", f"Replication group {primary_id} is already a member of a global datastore.")
    prefix = PREFIXES.get(region) or hashlib.sha256(region.encode()).hexdigest()[:5]
    gid = f"{prefix}-{_one(form, 'GlobalReplicationGroupIdSuffix') or ''}"
    if (account, gid) in GROUPS:
        raise Fault(400, "GlobalReplicationGroupAlreadyExistsFault", f"Global replication group {gid} already exists.")
    group.global_replication_group_id, group.global_replication_group_member_role = gid, "PRIMARY"
    datastore = {"GlobalReplicationGroupId": gid, "GlobalReplicationGroupDescription": _one(form, "GlobalReplicationGroupDescription") or "",
                 "Status": "creating", "CacheNodeType": group.cache_node_type or "cache.r6g.large", "Engine": group.engine or "redis",
                 "EngineVersion": group.engine_version or "7.1", "ARN": f"arn:aws:elasticache::{account}:globalreplicationgroup:{gid}",
                 "members": [{"ReplicationGroupId": primary_id, "ReplicationGroupRegion": region, "Role": "PRIMARY",
                              "Status": "associated", "group": group}],
                 "run": {"op": "create", "startedAt": now, "seconds": _seconds("globalCreateSeconds")}}
    GROUPS[(account, gid)] = datastore
    advance(now)
    return datastore


def _join(account, region, form, now):
    datastore = _datastore(account, _one(form, "GlobalReplicationGroupId"))
    if datastore["Status"] not in ("primary-only", "available"):
        raise Fault(400, "InvalidGlobalReplicationGroupStateFault", f"The Global datastore is {datastore['Status']}.")
    rid = _one(form, "ReplicationGroupId") or ""
    if any(m["ReplicationGroupRegion"] == region for m in datastore["members"]):
        raise Fault(400, "InvalidParameterValue", f"The Global datastore already has a member in {region}.")
    backend = _backend(account, region)
    if rid in backend.replication_groups:
        raise Fault(400, "ReplicationGroupAlreadyExistsFault", f"Replication group {rid} already exists.")
    subnet = _one(form, "CacheSubnetGroupName")
    if subnet and subnet not in backend.cache_subnet_groups:
        raise Fault(400, "CacheSubnetGroupNotFoundFault", f"Cache subnet group {subnet} not found.")
    tags, index = [], 1
    while _one(form, f"Tags.Tag.{index}.Key"):
        tags.append({"Key": _one(form, f"Tags.Tag.{index}.Key"), "Value": _one(form, f"Tags.Tag.{index}.Value") or ""})
        index += 1
    number = lambda name: int(_one(form, name)) if _one(form, name) else None
    arguments = dict.fromkeys(("primary_cluster_id", "multi_az_enabled", "node_group_configuration", "cache_parameter_group_name",
                               "cache_security_group_names", "snapshot_arns", "snapshot_name", "preferred_maintenance_window",
                               "notification_topic_arn", "auto_minor_version_upgrade", "snapshot_window", "auth_token",
                               "transit_encryption_enabled", "at_rest_encryption_enabled", "kms_key_id", "user_group_ids",
                               "data_tiering_enabled", "network_type", "ip_discovery", "transit_encryption_mode", "cluster_mode",
                               "serverless_cache_snapshot_name", "num_node_groups"))
    arguments.update(replication_group_id=rid, replication_group_description=_one(form, "ReplicationGroupDescription") or "",
                     global_replication_group_id=datastore["GlobalReplicationGroupId"], automatic_failover_enabled=True,
                     num_cache_clusters=number("NumCacheClusters"), preferred_cache_cluster_azs=[],
                     replicas_per_node_group=number("ReplicasPerNodeGroup"),
                     cache_node_type=_one(form, "CacheNodeType") or datastore["CacheNodeType"], engine=datastore["Engine"],
                     engine_version=datastore["EngineVersion"], cache_subnet_group_name=subnet,
                     security_group_ids=_list(form, "SecurityGroupIds", "SecurityGroupId"), tags=tags, port=number("Port"),
                     snapshot_retention_limit=number("SnapshotRetentionLimit") or 0, log_delivery_configurations=[])
    group = backend.create_replication_group(**arguments)
    group.global_replication_group_member_role = "SECONDARY"
    injected = FAILURES.take("elasticache-member-create-failed", lambda spec: spec.get("ReplicationGroupId") in (None, "*", rid))
    datastore["members"].append({"ReplicationGroupId": rid, "ReplicationGroupRegion": region, "Role": "SECONDARY", "Status": "associating",
                                 "group": group, "joining": {"startedAt": now, "seconds": _seconds("memberCreateSeconds"), "fail": bool(injected)}})
    advance(now)
    return group


def _failover(account, form, now):
    datastore = _datastore(account, _one(form, "GlobalReplicationGroupId"))
    if datastore["Status"] != "available" or datastore.get("run"):
        raise Fault(400, "InvalidGlobalReplicationGroupStateFault", "The Global datastore is not available or in primary-only state.")
    region, rid = _one(form, "PrimaryRegion"), _one(form, "PrimaryReplicationGroupId")
    member = next((m for m in datastore["members"] if m["ReplicationGroupRegion"] == region and m["ReplicationGroupId"] == rid), None)
    if member is None:
        raise Fault(400, "InvalidParameterValue", f"{rid} in {region} is not a member of {datastore['GlobalReplicationGroupId']}.")
    if member["Role"] == "PRIMARY":
        raise Fault(400, "InvalidParameterValue", f"{rid} in {region} is already the primary.")
    injected = FAILURES.take("elasticache-failover-failed",
                             lambda spec: spec.get("GlobalReplicationGroupId") in (None, "*", datastore["GlobalReplicationGroupId"]))
    datastore["Status"] = "modifying"
    datastore["run"] = {"op": "failover", "startedAt": now, "seconds": _seconds("failoverSeconds"), "member": member, "fail": bool(injected)}
    advance(now)
    return datastore


def _disassociate(account, form, now):
    datastore = _datastore(account, _one(form, "GlobalReplicationGroupId"))
    region, rid = _one(form, "ReplicationGroupRegion"), _one(form, "ReplicationGroupId")
    member = next((m for m in datastore["members"] if m["ReplicationGroupRegion"] == region and m["ReplicationGroupId"] == rid), None)
    if member is None:
        raise Fault(400, "InvalidParameterValue", f"{rid} in {region} is not a member of {datastore['GlobalReplicationGroupId']}.")
    if member["Role"] == "PRIMARY":
        raise Fault(400, "InvalidParameterValue", f"{rid} is the primary of {datastore['GlobalReplicationGroupId']}; only a secondary can be disassociated.")
    if datastore.get("run") or member.get("joining"):
        raise Fault(400, "InvalidGlobalReplicationGroupStateFault", f"The Global datastore is {datastore['Status']}.")
    member["Status"], datastore["Status"] = "disassociating", "modifying"
    datastore["run"] = {"op": "disassociate", "startedAt": now, "seconds": _seconds("disassociateSeconds"), "member": member}
    advance(now)
    return datastore


def handle(handler, request):
    if scope(request.headers)[2] != "elasticache" or request.operation not in OPERATIONS:
        return False
    account, region, form = account_of(request.headers), region_of(request.headers), request.form
    with LOCK:
        now = advance()
        try:
            operation = request.operation
            if operation == "CreateReplicationGroup":
                if not _one(form, "GlobalReplicationGroupId"):
                    return False
                _send(handler, 200, _serialize_group(operation, _join(account, region, form, now)), "text/xml")
            elif operation == "DeleteReplicationGroup":
                rid = _one(form, "ReplicationGroupId") or ""
                group = _backend(account, region).replication_groups.get(rid)
                if group is not None and getattr(group, "global_replication_group_id", ""):
                    raise Fault(400, "InvalidReplicationGroupStateFault",
                                f"Replication group {rid} is a member of a global datastore; disassociate it first.")
                if group is not None and group.status != "deleting":
                    DELETING[(account, region, rid)] = {"group": group, "startedAt": now}
                return False
            elif operation == "CreateGlobalReplicationGroup":
                _answer(handler, operation, _datastore_xml(_create_global(account, region, form, now)))
            elif operation == "DescribeGlobalReplicationGroups":
                gid = _one(form, "GlobalReplicationGroupId")
                found = [_datastore(account, gid)] if gid else [d for (a, _), d in GROUPS.items() if a == account]
                members = (_one(form, "ShowMemberInfo") or "").lower() == "true"
                _answer(handler, operation, "<GlobalReplicationGroups>" + "".join(_datastore_xml(d, members) for d in found)
                        + "</GlobalReplicationGroups>")
            elif operation == "FailoverGlobalReplicationGroup":
                _answer(handler, operation, _datastore_xml(_failover(account, form, now)))
            else:
                _answer(handler, operation, _datastore_xml(_disassociate(account, form, now)))
        except Fault as fault:
            _error(handler, fault)
        return True


def state():
    with LOCK:
        advance()
        return {"globalReplicationGroups": [{"account": account, "GlobalReplicationGroupId": gid, "Status": d["Status"],
                                             "members": [{k: m[k] for k in ("ReplicationGroupId", "ReplicationGroupRegion", "Role", "Status")}
                                                         for m in d["members"]]}
                                            for (account, gid), d in GROUPS.items()],
                "deleting": [{"account": a, "region": r, "ReplicationGroupId": i} for (a, r, i) in DELETING]}
