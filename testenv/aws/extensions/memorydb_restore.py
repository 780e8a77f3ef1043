"""MemoryDB clusters that take time to create, as a restore does. moto creates a cluster "available"
at once (whatever the source) and never fails one, so a check that waits for a restore never sees
it under way, and nothing checks that a SnapshotName exists.

    CreateCluster  carried out by moto's backend, then "creating" for CONFIG["memorydb"]["createSeconds"]
        and "available" afterwards, or "create-failed" when a failure was injected:
        {"kind": "memorydb-create-failed", "ClusterName": "<name>" | "*", "region": "<region>" (optional)}
        A SnapshotName that is not a snapshot of this region is refused with SnapshotNotFoundFault, as
        MemoryDB does; SnapshotArns (S3 .rdb objects) are taken as given (the emulator has no S3 check).

Every other MemoryDB call (DescribeClusters, DeleteCluster, …) goes to moto, whose objects advance()
keeps current. Lowering createSeconds shortens the creations under way too.
"""
import json

from testenv.aws.extensions.common import CLOCK, CONFIG, FAILURES, LOCK, json_error, account_of, region_of, rest_json, scope

CREATING = {}    # (account, region, cluster name) -> {"cluster", "startedAt", "seconds", "fail"}


def reset():
    with LOCK:
        CREATING.clear()


def _backend(account, region):
    from moto.memorydb.models import memorydb_backends
    return memorydb_backends[account][region]


def advance(now=None):
    now = CLOCK.now() if now is None else now
    with LOCK:
        configured = float(CONFIG.get("memorydb", "createSeconds"))
        for key, run in list(CREATING.items()):
            account, region, name = key
            if _backend(account, region).clusters.get(name) is not run["cluster"]:
                del CREATING[key]          # deleted while it was being created
                continue
            if now - run["startedAt"] >= min(run["seconds"], configured):
                run["cluster"].status = "create-failed" if run["fail"] else "available"
                del CREATING[key]
            else:
                run["cluster"].status = "creating"
    return now


def handle(handler, request):
    if scope(request.headers)[2] != "memorydb" or request.operation != "CreateCluster":
        return False
    account, region = account_of(request.headers), region_of(request.headers)
    try:
        params = json.loads(request.body or b"{}")
    except ValueError:
        json_error(handler, 400, "ValidationException", "the request body is not JSON")
        return True
    with LOCK:
        now = advance()
        backend = _backend(account, region)
        name = params.get("ClusterName") or ""
        for required in ("ClusterName", "NodeType", "ACLName"):
            if not params.get(required):
                json_error(handler, 400, "ValidationException", f"1 validation error detected: {required} must not be null")
                return True
        snapshot = params.get("SnapshotName")
        if snapshot and snapshot not in backend.snapshots:
            json_error(handler, 404, "SnapshotNotFoundFault", f"Snapshot {snapshot} not found.")
            return True
        if name in backend.clusters:
            json_error(handler, 400, "ClusterAlreadyExistsFault", "Cluster with specified name already exists.")
            return True
        if (params.get("SubnetGroupName") or "default") not in backend.subnet_groups:
            json_error(handler, 404, "SubnetGroupNotFoundFault", f"Subnet group {params.get('SubnetGroupName')} not found.")
            return True
        cluster = backend.create_cluster(
            cluster_name=name, node_type=params.get("NodeType"), parameter_group_name=params.get("ParameterGroupName"),
            description=params.get("Description"), subnet_group_name=params.get("SubnetGroupName"),
            security_group_ids=params.get("SecurityGroupIds"), maintenance_window=params.get("MaintenanceWindow"),
            port=params.get("Port"), sns_topic_arn=params.get("SnsTopicArn"), tls_enabled=params.get("TLSEnabled"),
            kms_key_id=params.get("KmsKeyId"), snapshot_arns=params.get("SnapshotArns"), snapshot_name=snapshot,
            snapshot_retention_limit=params.get("SnapshotRetentionLimit"), tags=params.get("Tags") or [],
            snapshot_window=params.get("SnapshotWindow"), acl_name=params.get("ACLName"),
            engine_version=params.get("EngineVersion"), auto_minor_version_upgrade=params.get("AutoMinorVersionUpgrade"),
            data_tiering=params.get("DataTiering"), num_shards=params.get("NumShards"),
            num_replicas_per_shard=params.get("NumReplicasPerShard"))
        # moto writes "MultiAZ"/"SingleAZ"; the model's enum (and AWS) spell them in lower case.
        cluster.availability_mode = cluster.availability_mode.lower()
        injected = FAILURES.take("memorydb-create-failed", lambda spec: spec.get("ClusterName") in (None, "*", name)
                                 and spec.get("region") in (None, region))
        CREATING[(account, region, name)] = {"cluster": cluster, "startedAt": now, "fail": bool(injected),
                                             "seconds": float(CONFIG.get("memorydb", "createSeconds"))}
        advance(now)
        rest_json(handler, 200, {"Cluster": cluster.to_dict()})
    return True


def state():
    with LOCK:
        now = advance()
        return {"creating": [{"account": account, "region": region, "ClusterName": name, "fails": run["fail"],
                              "remainingSeconds": max(0.0, run["startedAt"] + run["seconds"] - now)}
                             for (account, region, name), run in CREATING.items()]}
