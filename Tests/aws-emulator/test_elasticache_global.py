"""ElastiCache global datastores (moto lacks them): every answer checked against botocore's model,
the states create, join, failover and disassociate pass through, injected failures, the faults of
the model, and a member that cannot be deleted before it leaves the datastore."""
import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems

ZERO = {"globalCreateSeconds": 0, "memberCreateSeconds": 0, "failoverSeconds": 0, "disassociateSeconds": 0, "deleteSeconds": 0}


def datastore(emu, **delays):
    emu.control("POST", "/__emulator__/config", {"elasticache": {**ZERO, **delays}})
    east, west = emu.client("elasticache", region="us-east-1"), emu.client("elasticache", region="us-west-2")
    east.create_replication_group(ReplicationGroupId="orders-east", ReplicationGroupDescription="orders",
                                  CacheNodeType="cache.r6g.large", Engine="redis", NumCacheClusters=2)
    west.create_cache_subnet_group(CacheSubnetGroupName="cache-private", CacheSubnetGroupDescription="d", SubnetIds=["subnet-1"])
    return east, west


def members(client, gid):
    answer = client.describe_global_replication_groups(GlobalReplicationGroupId=gid, ShowMemberInfo=True)
    assert response_problems("elasticache", "DescribeGlobalReplicationGroups", answer) == []
    group = answer["GlobalReplicationGroups"][0]
    return group["Status"], {(m["ReplicationGroupId"], m["ReplicationGroupRegion"]): (m["Role"], m["Status"]) for m in group.get("Members", [])}


def test_shape_create_join_failover_and_disassociate(emu):
    east, west = datastore(emu, globalCreateSeconds=60, memberCreateSeconds=60, failoverSeconds=60, disassociateSeconds=60)
    created = east.create_global_replication_group(GlobalReplicationGroupIdSuffix="orders", PrimaryReplicationGroupId="orders-east")
    assert response_problems("elasticache", "CreateGlobalReplicationGroup", created) == []
    gid = created["GlobalReplicationGroup"]["GlobalReplicationGroupId"]
    assert (gid, created["GlobalReplicationGroup"]["Status"]) == ("ldgnf-orders", "creating")
    assert "Members" not in west.describe_global_replication_groups(GlobalReplicationGroupId=gid)["GlobalReplicationGroups"][0]
    emu.control("POST", "/__emulator__/config", {"elasticache": {"globalCreateSeconds": 0}})
    assert members(west, gid)[0] == "primary-only"

    joined = west.create_replication_group(ReplicationGroupId="orders-west", ReplicationGroupDescription="orders",
                                           GlobalReplicationGroupId=gid, CacheSubnetGroupName="cache-private", Tags=[{"Key": "k", "Value": "v"}])
    assert response_problems("elasticache", "CreateReplicationGroup", joined) == []
    assert joined["ReplicationGroup"]["Status"] == "creating"
    assert joined["ReplicationGroup"]["GlobalReplicationGroupInfo"] == {"GlobalReplicationGroupId": gid, "GlobalReplicationGroupMemberRole": "SECONDARY"}
    assert members(west, gid)[1][("orders-west", "us-west-2")] == ("SECONDARY", "associating")
    emu.control("POST", "/__emulator__/config", {"elasticache": {"memberCreateSeconds": 0}})
    described = west.describe_replication_groups(ReplicationGroupId="orders-west")
    assert response_problems("elasticache", "DescribeReplicationGroups", described) == []
    assert described["ReplicationGroups"][0]["Status"] == "available"
    assert members(west, gid) == ("available", {("orders-east", "us-east-1"): ("PRIMARY", "associated"),
                                                ("orders-west", "us-west-2"): ("SECONDARY", "associated")})

    failed_over = west.failover_global_replication_group(GlobalReplicationGroupId=gid, PrimaryRegion="us-west-2",
                                                         PrimaryReplicationGroupId="orders-west")
    assert response_problems("elasticache", "FailoverGlobalReplicationGroup", failed_over) == []
    assert failed_over["GlobalReplicationGroup"]["Status"] == "modifying"
    with pytest.raises(ClientError) as busy:
        west.failover_global_replication_group(GlobalReplicationGroupId=gid, PrimaryRegion="us-west-2", PrimaryReplicationGroupId="orders-west")
    assert busy.value.response["Error"]["Code"] == "InvalidGlobalReplicationGroupStateFault"
    emu.control("POST", "/__emulator__/config", {"elasticache": {"failoverSeconds": 0}})
    assert members(west, gid)[1] == {("orders-east", "us-east-1"): ("SECONDARY", "associated"), ("orders-west", "us-west-2"): ("PRIMARY", "associated")}
    role = east.describe_replication_groups(ReplicationGroupId="orders-east")["ReplicationGroups"][0]["GlobalReplicationGroupInfo"]
    assert role["GlobalReplicationGroupMemberRole"] == "SECONDARY"

    with pytest.raises(ClientError) as member:
        east.delete_replication_group(ReplicationGroupId="orders-east")
    assert member.value.response["Error"]["Code"] == "InvalidReplicationGroupStateFault"
    left = east.disassociate_global_replication_group(GlobalReplicationGroupId=gid, ReplicationGroupId="orders-east", ReplicationGroupRegion="us-east-1")
    assert response_problems("elasticache", "DisassociateGlobalReplicationGroup", left) == []
    assert members(east, gid)[1][("orders-east", "us-east-1")] == ("SECONDARY", "disassociating")
    emu.control("POST", "/__emulator__/config", {"elasticache": {"disassociateSeconds": 0}})
    assert members(east, gid) == ("primary-only", {("orders-west", "us-west-2"): ("PRIMARY", "associated")})
    standalone = east.describe_replication_groups(ReplicationGroupId="orders-east")
    assert response_problems("elasticache", "DescribeReplicationGroups", standalone) == []
    east.delete_replication_group(ReplicationGroupId="orders-east")
    with pytest.raises(ClientError) as gone:
        east.describe_replication_groups(ReplicationGroupId="orders-east")
    assert gone.value.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"


def test_injected_failures_end_create_failed_and_failed(emu):
    east, west = datastore(emu)
    gid = east.create_global_replication_group(GlobalReplicationGroupIdSuffix="orders", PrimaryReplicationGroupId="orders-east")["GlobalReplicationGroup"]["GlobalReplicationGroupId"]
    emu.control("POST", "/__emulator__/failures", {"kind": "elasticache-member-create-failed", "ReplicationGroupId": "orders-west"})
    west.create_replication_group(ReplicationGroupId="orders-west", ReplicationGroupDescription="o", GlobalReplicationGroupId=gid)
    assert west.describe_replication_groups(ReplicationGroupId="orders-west")["ReplicationGroups"][0]["Status"] == "create-failed"
    assert members(west, gid) == ("primary-only", {("orders-east", "us-east-1"): ("PRIMARY", "associated")})
    west.delete_replication_group(ReplicationGroupId="orders-west")
    west.create_replication_group(ReplicationGroupId="orders-west", ReplicationGroupDescription="o", GlobalReplicationGroupId=gid)
    emu.control("POST", "/__emulator__/failures", {"kind": "elasticache-failover-failed", "GlobalReplicationGroupId": gid})
    west.failover_global_replication_group(GlobalReplicationGroupId=gid, PrimaryRegion="us-west-2", PrimaryReplicationGroupId="orders-west")
    status, roles = members(west, gid)
    assert status == "failed" and roles[("orders-east", "us-east-1")][0] == "PRIMARY"


def test_faults_of_the_model(emu):
    east, west = datastore(emu)
    with pytest.raises(ClientError) as missing:
        east.create_global_replication_group(GlobalReplicationGroupIdSuffix="x", PrimaryReplicationGroupId="absent")
    assert missing.value.response["Error"]["Code"] == "ReplicationGroupNotFoundFault"
    with pytest.raises(ClientError) as unknown:
        west.describe_global_replication_groups(GlobalReplicationGroupId="ldgnf-absent")
    assert unknown.value.response["Error"]["Code"] == "GlobalReplicationGroupNotFoundFault"
    gid = east.create_global_replication_group(GlobalReplicationGroupIdSuffix="orders", PrimaryReplicationGroupId="orders-east")["GlobalReplicationGroup"]["GlobalReplicationGroupId"]
    with pytest.raises(ClientError) as primary_only:
        east.failover_global_replication_group(GlobalReplicationGroupId=gid, PrimaryRegion="us-east-1", PrimaryReplicationGroupId="orders-east")
    assert primary_only.value.response["Error"]["Code"] == "InvalidGlobalReplicationGroupStateFault"
    with pytest.raises(ClientError) as the_primary:
        east.disassociate_global_replication_group(GlobalReplicationGroupId=gid, ReplicationGroupId="orders-east", ReplicationGroupRegion="us-east-1")
    assert the_primary.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as subnet:
        west.create_replication_group(ReplicationGroupId="orders-west", ReplicationGroupDescription="o", GlobalReplicationGroupId=gid,
                                      CacheSubnetGroupName="absent")
    assert subnet.value.response["Error"]["Code"] == "CacheSubnetGroupNotFoundFault"
    assert emu.control("GET", "/__emulator__/elasticache/state")["globalReplicationGroups"][0]["Status"] == "primary-only"
