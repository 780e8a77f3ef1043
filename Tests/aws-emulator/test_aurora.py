"""Aurora global database FailoverGlobalCluster / SwitchoverGlobalCluster on moto's own RDS objects."""
import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems, wait_until


def global_database(emu, name="gdb"):
    east, west = emu.client("rds", region="us-east-1"), emu.client("rds", region="us-west-2")
    east.create_global_cluster(GlobalClusterIdentifier=name, Engine="aurora-postgresql")
    primary = east.create_db_cluster(DBClusterIdentifier=f"{name}-east", Engine="aurora-postgresql", MasterUsername="admin",
                                     MasterUserPassword="password123", GlobalClusterIdentifier=name)["DBCluster"]
    secondary = west.create_db_cluster(DBClusterIdentifier=f"{name}-west", Engine="aurora-postgresql",
                                       GlobalClusterIdentifier=name)["DBCluster"]
    return east, west, primary, secondary


def writer(rds, name="gdb"):
    cluster = rds.describe_global_clusters(GlobalClusterIdentifier=name)["GlobalClusters"][0]
    return next(m["DBClusterArn"] for m in cluster["GlobalClusterMembers"] if m["IsWriter"])


def test_shape_failover_global_cluster(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"failoverSeconds": 0}})
    east, west, primary, secondary = global_database(emu)
    response = west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier=secondary["DBClusterArn"],
                                            AllowDataLoss=True)
    assert response_problems("rds", "FailoverGlobalCluster", response) == []
    cluster = response["GlobalCluster"]
    assert cluster["Status"] == "failing-over"
    assert cluster["FailoverState"] == {"Status": "pending", "FromDbClusterArn": primary["DBClusterArn"],
                                        "ToDbClusterArn": secondary["DBClusterArn"], "IsDataLossAllowed": True}


def test_shape_switchover_global_cluster(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"switchoverSeconds": 0}})
    east, west, primary, secondary = global_database(emu)
    response = east.switchover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier=secondary["DBClusterArn"])
    assert response_problems("rds", "SwitchoverGlobalCluster", response) == []
    assert response["GlobalCluster"]["Status"] == "switching-over"
    assert response["GlobalCluster"]["FailoverState"]["IsDataLossAllowed"] is False


def test_shape_describe_global_clusters_while_failing_over(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"failoverSeconds": 60}})
    east, west, primary, secondary = global_database(emu)
    west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    response = west.describe_global_clusters(GlobalClusterIdentifier="gdb")
    assert response_problems("rds", "DescribeGlobalClusters", response) == []
    assert response["GlobalClusters"][0]["Status"] == "failing-over"


def test_failover_flips_the_writer_after_the_delay_with_intermediate_states(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"failoverSeconds": 0.6}})
    east, west, primary, secondary = global_database(emu)
    west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    seen = []

    def state():
        cluster = west.describe_global_clusters(GlobalClusterIdentifier="gdb")["GlobalClusters"][0]
        entry = (cluster["Status"], cluster.get("FailoverState", {}).get("Status"))
        if not seen or seen[-1] != entry:
            seen.append(entry)
        return cluster if cluster["Status"] == "available" else None
    cluster = wait_until(state)
    assert ("failing-over", "pending") in seen and ("failing-over", "failing-over") in seen
    assert seen[-1] == ("available", None) and "FailoverState" not in cluster
    assert writer(west) == secondary["DBClusterArn"] and writer(east) == secondary["DBClusterArn"]
    with pytest.raises(ClientError) as error:     # the new writer cannot be the target again
        west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    assert error.value.response["Error"]["Code"] == "InvalidGlobalClusterStateFault"


def test_switchover_and_a_second_operation_while_one_runs(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"switchoverSeconds": 0.3}})
    east, west, primary, secondary = global_database(emu)
    east.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west")   # no AllowDataLoss: a switchover
    with pytest.raises(ClientError) as error:
        east.switchover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west")
    assert error.value.response["Error"]["Code"] == "InvalidGlobalClusterStateFault"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    wait_until(lambda: writer(east) == secondary["DBClusterArn"])
    assert east.describe_global_clusters()["GlobalClusters"][0]["Status"] == "available"


def test_validation_errors(emu):
    east, west, primary, secondary = global_database(emu)
    cases = [("nope", "gdb-west", "GlobalClusterNotFoundFault", 404), ("gdb", "no-such-cluster", "DBClusterNotFoundFault", 404),
             ("gdb", "gdb-east", "InvalidGlobalClusterStateFault", 400)]
    for global_id, target, code, status in cases:
        with pytest.raises(ClientError) as error:
            west.failover_global_cluster(GlobalClusterIdentifier=global_id, TargetDbClusterIdentifier=target, AllowDataLoss=True)
        assert (error.value.response["Error"]["Code"], error.value.response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)


def test_injected_reject_and_fail(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"failoverSeconds": 0}})
    east, west, primary, secondary = global_database(emu)
    emu.control("POST", "/__emulator__/failures", [
        {"kind": "aurora-failover-error", "globalClusterIdentifier": "gdb", "operation": "FailoverGlobalCluster",
         "mode": "reject", "code": "InvalidGlobalClusterStateFault", "message": "injected"},
        {"kind": "aurora-failover-error", "globalClusterIdentifier": "gdb", "operation": "*", "mode": "fail"}])
    with pytest.raises(ClientError) as error:
        west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    assert error.value.response["Error"] == {"Type": "Sender", "Code": "InvalidGlobalClusterStateFault", "Message": "injected"}
    accepted = west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    assert accepted["GlobalCluster"]["Status"] == "failing-over"
    cluster = west.describe_global_clusters()["GlobalClusters"][0]
    assert cluster["Status"] == "available" and "FailoverState" not in cluster
    assert writer(west) == primary["DBClusterArn"]          # failed: the old writer is still the writer
    west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    assert writer(west) == secondary["DBClusterArn"]        # the failures are used up


def test_describe_db_clusters_agrees(emu):
    emu.control("POST", "/__emulator__/config", {"aurora": {"failoverSeconds": 0}})
    east, west, primary, secondary = global_database(emu)
    west.failover_global_cluster(GlobalClusterIdentifier="gdb", TargetDbClusterIdentifier="gdb-west", AllowDataLoss=True)
    assert writer(east) == secondary["DBClusterArn"]
    members = {c["DBClusterIdentifier"]: c for c in west.describe_db_clusters()["DBClusters"] + east.describe_db_clusters()["DBClusters"]}
    assert set(members) == {"gdb-east", "gdb-west"} and all(c["Status"] == "available" for c in members.values())
