"""MemoryDB clusters created (restored) over time, which moto makes available at once: every answer
checked against botocore's model, the states a restore passes through, an injected create-failed,
and the faults of the model."""
import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems

RESTORE = {"NodeType": "db.r6g.large", "ACLName": "open-access", "NumShards": 1, "NumReplicasPerShard": 1,
           "SnapshotArns": ["arn:aws:s3:::dr-backups/sessions/backup.rdb"]}


def test_shape_create_creating_then_available(emu):
    emu.control("POST", "/__emulator__/config", {"memorydb": {"createSeconds": 60}})
    west = emu.client("memorydb", region="us-west-2")
    created = west.create_cluster(ClusterName="sessions", Tags=[{"Key": "k", "Value": "v"}], **RESTORE)
    assert response_problems("memorydb", "CreateCluster", created) == []
    assert created["Cluster"]["Status"] == "creating"
    described = west.describe_clusters(ClusterName="sessions")
    assert response_problems("memorydb", "DescribeClusters", described) == []
    assert described["Clusters"][0]["Status"] == "creating"
    assert emu.control("GET", "/__emulator__/memorydb/state")["creating"][0]["ClusterName"] == "sessions"
    emu.control("POST", "/__emulator__/config", {"memorydb": {"createSeconds": 0}})
    cluster = west.describe_clusters(ClusterName="sessions")["Clusters"][0]
    assert cluster["Status"] == "available"
    assert cluster["ClusterEndpoint"]["Address"].startswith("clustercfg.sessions.")
    assert {"Key": "k", "Value": "v"} in west.list_tags(ResourceArn=cluster["ARN"])["TagList"]
    with pytest.raises(ClientError) as exists:
        west.create_cluster(ClusterName="sessions", **RESTORE)
    assert exists.value.response["Error"]["Code"] == "ClusterAlreadyExistsFault"


def test_an_injected_failure_ends_create_failed(emu):
    emu.control("POST", "/__emulator__/config", {"memorydb": {"createSeconds": 0}})
    emu.control("POST", "/__emulator__/failures", {"kind": "memorydb-create-failed", "ClusterName": "sessions"})
    west = emu.client("memorydb", region="us-west-2")
    west.create_cluster(ClusterName="other", **RESTORE)
    west.create_cluster(ClusterName="sessions", **RESTORE)
    statuses = {c["Name"]: c["Status"] for c in west.describe_clusters()["Clusters"]}
    assert statuses == {"other": "available", "sessions": "create-failed"}


def test_a_restore_from_a_snapshot_name_needs_the_snapshot_in_the_region(emu):
    emu.control("POST", "/__emulator__/config", {"memorydb": {"createSeconds": 0}})
    west = emu.client("memorydb", region="us-west-2")
    source = {k: v for k, v in RESTORE.items() if k != "SnapshotArns"}
    with pytest.raises(ClientError) as missing:
        west.create_cluster(ClusterName="sessions", SnapshotName="nightly", **source)
    assert missing.value.response["Error"]["Code"] == "SnapshotNotFoundFault"
    west.create_cluster(ClusterName="origin", **source)
    west.create_snapshot(ClusterName="origin", SnapshotName="nightly")
    restored = west.create_cluster(ClusterName="sessions", SnapshotName="nightly", **source)
    assert response_problems("memorydb", "CreateCluster", restored) == []
    assert west.describe_clusters(ClusterName="sessions")["Clusters"][0]["Status"] == "available"


def test_a_cluster_deleted_while_creating_is_gone(emu):
    emu.control("POST", "/__emulator__/config", {"memorydb": {"createSeconds": 60}})
    west = emu.client("memorydb", region="us-west-2")
    west.create_cluster(ClusterName="sessions", **RESTORE)
    west.delete_cluster(ClusterName="sessions")
    with pytest.raises(ClientError) as gone:
        west.describe_clusters(ClusterName="sessions")
    assert gone.value.response["Error"]["Code"] == "ClusterNotFoundFault"
    assert emu.control("GET", "/__emulator__/memorydb/state") == {"creating": []}
