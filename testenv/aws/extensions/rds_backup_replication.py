"""RDS cross-region automated backup replication and point-in-time restore from it (SQL Server's
DR path), which moto lacks: moto restores only from an instance in the same region and has no
backup replication.

    StartDBInstanceAutomatedBackupsReplication  (called in the destination region, SourceDBInstanceArn
        in another) -> a replicated automated backup in the destination region, Status "pending" for
        CONFIG["rds"]["replicationSeconds"], then "replicating"
    DescribeDBInstanceAutomatedBackups          answered here when it names a replicated backup of this
        region (by DBInstanceIdentifier, DbiResourceId or DBInstanceAutomatedBackupsArn), else by moto
    RestoreDBInstanceToPointInTime with SourceDBInstanceAutomatedBackupsArn -> a DB instance made by
        moto's backend from the source instance's settings, "creating" for CONFIG["rds"]["restoreSeconds"],
        then "available" (or "incompatible-restore" when a failure was injected:
        {"kind": "rds-restore-failed", "DBInstanceIdentifier": "<target>" | "*"})

Every other RDS call (DescribeDBInstances, DeleteDBInstance, …) goes to moto, whose objects advance()
keeps current. Lowering a configured time shortens what is under way too.
"""
import uuid
from xml.sax.saxutils import escape

from testenv.aws.extensions.common import (CLOCK, Fault, CONFIG, FAILURES, LOCK, account_of, query_error, query_xml, region_of,
                                           request_id, scope)

OPERATIONS = ("StartDBInstanceAutomatedBackupsReplication", "DescribeDBInstanceAutomatedBackups", "RestoreDBInstanceToPointInTime")
REPLICATED = {}   # (account, destination region) -> [backup dict]
RESTORING = {}    # (account, region, identifier) -> {"instance", "startedAt", "seconds", "fail"}


def reset():
    with LOCK:
        REPLICATED.clear()
        RESTORING.clear()


def _backend(account, region):
    from moto.rds.models import rds_backends
    return rds_backends[account][region]


def advance(now=None):
    now = CLOCK.now() if now is None else now
    with LOCK:
        replication = float(CONFIG.get("rds", "replicationSeconds"))
        restore = float(CONFIG.get("rds", "restoreSeconds"))
        for backups in REPLICATED.values():
            for backup in backups:
                if backup["Status"] == "pending" and now - backup["startedAt"] >= min(backup["seconds"], replication):
                    backup["Status"] = "replicating"
        for key, run in list(RESTORING.items()):
            if now - run["startedAt"] >= min(run["seconds"], restore):
                run["instance"].status = "incompatible-restore" if run["fail"] else "available"
                del RESTORING[key]
            else:
                run["instance"].status = "creating"
    return now


def _one(form, name):
    return (form.get(name) or [None])[0]


def _filters(form):
    """Filters.Filter.N.Name / Values.Value.M as {name: [values]}."""
    found, index = {}, 1
    while _one(form, f"Filters.Filter.{index}.Name"):     # RDS names list members Filter and Value on the wire
        values, v = [], 1
        while _one(form, f"Filters.Filter.{index}.Values.Value.{v}") is not None:
            values.append(_one(form, f"Filters.Filter.{index}.Values.Value.{v}"))
            v += 1
        found[_one(form, f"Filters.Filter.{index}.Name")] = values
        index += 1
    return found


def _backup_xml(backup):
    fields = ("DBInstanceArn", "DbiResourceId", "Region", "DBInstanceIdentifier", "AllocatedStorage", "Status", "InstanceCreateTime",
              "MasterUsername", "Engine", "EngineVersion", "LicenseModel", "Encrypted", "BackupRetentionPeriod",
              "DBInstanceAutomatedBackupsArn")
    inner = "".join(f"<{k}>{escape(str(backup[k]).lower() if isinstance(backup[k], bool) else str(backup[k]))}</{k}>"
                    for k in fields if backup.get(k) is not None)
    window = f"<RestoreWindow><EarliestTime>{backup['InstanceCreateTime']}</EarliestTime><LatestTime>{CLOCK.iso()}</LatestTime></RestoreWindow>"
    return inner + window


def _start_replication(account, region, form, now):
    source_arn = _one(form, "SourceDBInstanceArn") or ""
    parts = source_arn.split(":")
    if len(parts) != 7 or parts[5] != "db":
        raise Fault(400, "InvalidParameterValue", f"SourceDBInstanceArn {source_arn!r} is not a DB instance ARN")
    source_region, identifier = parts[3], parts[6]
    if source_region == region:
        raise Fault(400, "InvalidParameterValue", "The source DB instance must be in another region than the replicated backups.")
    source = _backend(account, source_region).databases.get(identifier)
    if source is None:
        raise Fault(404, "DBInstanceNotFound", f"DBInstance {identifier} not found.")
    backups = REPLICATED.setdefault((account, region), [])
    if any(b["DBInstanceArn"] == source_arn for b in backups):
        raise Fault(400, "DBInstanceAutomatedBackupQuotaExceeded",
                    f"Automated backups of {identifier} are already replicated to {region}.")
    resource = getattr(source, "dbi_resource_id", None) or f"db-{uuid.uuid4().hex[:26].upper()}"
    backup = {"DBInstanceArn": source_arn, "DbiResourceId": resource, "Region": source_region, "DBInstanceIdentifier": identifier,
              "AllocatedStorage": source.allocated_storage or 20, "Status": "pending", "InstanceCreateTime": CLOCK.iso(),
              "MasterUsername": source.master_username or "admin", "Engine": source.engine, "EngineVersion": source.engine_version,
              "LicenseModel": "license-included", "Encrypted": False, "BackupRetentionPeriod": int(_one(form, "BackupRetentionPeriod") or 7),
              "DBInstanceAutomatedBackupsArn": f"arn:aws:rds:{region}:{account}:auto-backup:ab-{uuid.uuid4().hex[:26]}",
              "startedAt": now, "seconds": float(CONFIG.get("rds", "replicationSeconds")), "source": source}
    backups.append(backup)
    advance(now)
    return backup


def _restore(account, region, form, now):
    backup_arn = _one(form, "SourceDBInstanceAutomatedBackupsArn")
    target = _one(form, "TargetDBInstanceIdentifier") or ""
    backup = next((b for b in REPLICATED.get((account, region), []) if b["DBInstanceAutomatedBackupsArn"] == backup_arn), None)
    if backup is None:
        raise Fault(404, "DBInstanceAutomatedBackupNotFound", f"Automated backup {backup_arn} not found.")
    if backup["Status"] != "replicating":
        raise Fault(400, "InvalidDBInstanceAutomatedBackupState", f"Automated backup {backup_arn} is {backup['Status']}, not replicating.")
    backend = _backend(account, region)
    if target in backend.databases:
        raise Fault(400, "DBInstanceAlreadyExists", f"DB instance already exists")
    source = backup["source"]
    tags, index = [], 1
    while _one(form, f"Tags.Tag.{index}.Key"):      # RDS names a Tags member "Tag" on the wire
        tags.append({"Key": _one(form, f"Tags.Tag.{index}.Key"), "Value": _one(form, f"Tags.Tag.{index}.Value") or ""})
        index += 1
    instance = backend.create_db_instance({
        "db_instance_identifier": target, "engine": source.engine, "engine_version": source.engine_version,
        "db_instance_class": _one(form, "DBInstanceClass") or source.db_instance_class, "allocated_storage": source.allocated_storage,
        "master_username": source.master_username, "master_user_password": "restored-password", "license_model": "license-included",
        "tags": tags})
    injected = FAILURES.take("rds-restore-failed", lambda spec: spec.get("DBInstanceIdentifier") in (None, "*", target))
    RESTORING[(account, region, target)] = {"instance": instance, "startedAt": now, "fail": bool(injected),
                                            "seconds": float(CONFIG.get("rds", "restoreSeconds"))}
    advance(now)
    return instance


def _serialize_instance(operation, instance):
    from moto.core.serialize import XFormedAttributePicker, get_serializer_class
    from moto.core.utils import get_service_model
    from moto.rds.responses import RDSResponse
    model = get_service_model("rds")
    serializer = get_serializer_class("rds", model.protocol)(
        operation_model=model.operation_model(operation),
        value_picker=XFormedAttributePicker(response_transformers=getattr(RDSResponse, "RESPONSE_KEY_PATH_TO_TRANSFORMER", None)))
    body = serializer.serialize({"DBInstance": instance})["body"]
    return body.decode() if isinstance(body, bytes) else body


def _wrap(operation, inner):
    return (f"<{operation}Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><{operation}Result>{inner}</{operation}Result>"
            f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata></{operation}Response>")


def handle(handler, request):
    if scope(request.headers)[2] != "rds" or request.operation not in OPERATIONS:
        return False
    account, region, form = account_of(request.headers), region_of(request.headers), request.form
    with LOCK:
        now = advance()
        try:
            if request.operation == "StartDBInstanceAutomatedBackupsReplication":
                backup = _start_replication(account, region, form, now)
                query_xml(handler, 200, _wrap(request.operation, f"<DBInstanceAutomatedBackup>{_backup_xml(backup)}</DBInstanceAutomatedBackup>"))
                return True
            if request.operation == "DescribeDBInstanceAutomatedBackups":
                filters = _filters(form)
                wanted = {"DBInstanceIdentifier": [_one(form, "DBInstanceIdentifier")] if _one(form, "DBInstanceIdentifier") else filters.get("db-instance-id"),
                          "DbiResourceId": [_one(form, "DbiResourceId")] if _one(form, "DbiResourceId") else filters.get("dbi-resource-id"),
                          "DBInstanceAutomatedBackupsArn": [_one(form, "DBInstanceAutomatedBackupsArn")] if _one(form, "DBInstanceAutomatedBackupsArn") else None}
                ours = [b for b in REPLICATED.get((account, region), [])
                        if all(values is None or b[key] in values for key, values in wanted.items())]
                if not ours:
                    return False
                members = "".join(f"<DBInstanceAutomatedBackup>{_backup_xml(b)}</DBInstanceAutomatedBackup>" for b in ours)
                query_xml(handler, 200, _wrap(request.operation, f"<DBInstanceAutomatedBackups>{members}</DBInstanceAutomatedBackups>"))
                return True
            if not _one(form, "SourceDBInstanceAutomatedBackupsArn"):
                return False      # a same-region restore: moto's own
            instance = _restore(account, region, form, now)
            query_xml(handler, 200, _serialize_instance(request.operation, instance))
            return True
        except Fault as fault:
            query_error(handler, fault.status, fault.code, fault.message)
            return True


def state():
    with LOCK:
        advance()
        return {"replicatedBackups": [{"account": account, "region": region, "DBInstanceIdentifier": b["DBInstanceIdentifier"],
                                       "sourceRegion": b["Region"], "Status": b["Status"]}
                                      for (account, region), backups in REPLICATED.items() for b in backups],
                "restoring": [{"account": a, "region": r, "DBInstanceIdentifier": i} for (a, r, i) in RESTORING]}
