"""Elastic Disaster Recovery: every implemented operation against botocore's model (aws-shapes), and
the behaviour: job lifecycle, launch templates, failures, quotas, terminate, reverse replication."""
import pytest
from botocore.exceptions import ClientError

from emulator_harness import ACCOUNT_B, response_problems, wait_until

REGION = "us-west-2"
ZERO = {"drs": {"jobStartSeconds": 0, "launchSeconds": 0, "terminateSeconds": 0, "reverseReplicationSeconds": 0}}


def seed(emu, count=1, account="123456789012", region=REGION, **extra):
    servers = [{"hostname": f"legacy-app-{i}", "tags": {"App": "payments"}, "replicationState": "CONTINUOUS",
                "lagDuration": "PT2S", "sourceRegion": "us-east-1", **extra} for i in range(count)]
    return emu.control("POST", "/__emulator__/drs/source-servers",
                       {"account": account, "region": region, "servers": servers})["sourceServers"]


def ok(service, operation, response):
    assert response_problems(service, operation, response) == []
    return response


def recover(emu, drs, servers, drill=False, tags=None):
    job = drs.start_recovery(sourceServers=[{"sourceServerID": s["sourceServerID"]} for s in servers],
                             isDrill=drill, tags=tags or {})["job"]
    return wait_until(lambda: next(j for j in drs.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]
                                   if j["status"] == "COMPLETED") if any(
        j["status"] == "COMPLETED" for j in drs.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"]) else None)


# --- shapes: one test per operation --------------------------------------------------------------

def test_shape_describe_source_servers(emu):
    seed(emu, 2)
    ok("drs", "DescribeSourceServers", emu.client("drs").describe_source_servers(filters={}))


def test_shape_get_launch_configuration(emu):
    server = seed(emu)[0]
    response = ok("drs", "GetLaunchConfiguration", emu.client("drs").get_launch_configuration(sourceServerID=server["sourceServerID"]))
    assert response["ec2LaunchTemplateID"] == server["launchTemplateId"]
    assert (response["copyPrivateIp"], response["copyTags"], response["launchDisposition"], response["licensing"],
            response["targetInstanceTypeRightSizingMethod"], response["postLaunchEnabled"], response["name"]) == \
        (False, True, "STARTED", {"osByol": False}, "BASIC", False, "legacy-app-0")


def test_shape_update_launch_configuration(emu):
    server = seed(emu)[0]
    drs = emu.client("drs")
    response = ok("drs", "UpdateLaunchConfiguration", drs.update_launch_configuration(
        sourceServerID=server["sourceServerID"], copyPrivateIp=True, targetInstanceTypeRightSizingMethod="NONE"))
    assert response["copyPrivateIp"] is True
    assert drs.get_launch_configuration(sourceServerID=server["sourceServerID"])["targetInstanceTypeRightSizingMethod"] == "NONE"


def test_shape_start_recovery(emu):
    server = seed(emu)[0]
    response = ok("drs", "StartRecovery", emu.client("drs").start_recovery(
        sourceServers=[{"sourceServerID": server["sourceServerID"]}], tags={"plan": "p1"}))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    job = response["job"]
    assert (job["status"], job["type"], job["initiatedBy"], job["tags"]) == ("PENDING", "LAUNCH", "START_RECOVERY", {"plan": "p1"})
    assert job["participatingServers"] == [{"sourceServerID": server["sourceServerID"], "launchStatus": "PENDING"}]


def test_shape_describe_jobs(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    server = seed(emu)[0]
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    ok("drs", "DescribeJobs", drs.describe_jobs(filters={}))


def test_shape_describe_job_log_items(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    server = seed(emu)[0]
    drs = emu.client("drs")
    job = drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])["job"]
    response = ok("drs", "DescribeJobLogItems", drs.describe_job_log_items(jobID=job["jobID"]))
    assert [i["event"] for i in response["items"]][0] == "JOB_START" and response["items"][-1]["event"] == "JOB_END"


def test_shape_describe_recovery_instances(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    server = seed(emu)[0]
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    response = ok("drs", "DescribeRecoveryInstances", drs.describe_recovery_instances(filters={}))
    assert len(response["items"]) == 1


def test_shape_terminate_recovery_instances(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    server = seed(emu)[0]
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    instance = drs.describe_recovery_instances(filters={})["items"][0]
    response = ok("drs", "TerminateRecoveryInstances", drs.terminate_recovery_instances(recoveryInstanceIDs=[instance["recoveryInstanceID"]]))
    assert (response["job"]["type"], response["job"]["initiatedBy"]) == ("TERMINATE", "TERMINATE_RECOVERY_INSTANCES")


def test_shape_reverse_replication(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    server = seed(emu)[0]
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    instance = drs.describe_recovery_instances(filters={})["items"][0]
    response = ok("drs", "ReverseReplication", drs.reverse_replication(recoveryInstanceID=instance["recoveryInstanceID"]))
    assert ":us-east-1:123456789012:source-server/s-" in response["reversedDirectionSourceServerArn"]


def test_shape_stop_and_start_replication(emu):
    server = seed(emu)[0]
    drs = emu.client("drs")
    stopped = ok("drs", "StopReplication", drs.stop_replication(sourceServerID=server["sourceServerID"]))
    assert stopped["sourceServer"]["dataReplicationInfo"]["dataReplicationState"] == "STOPPED"
    started = ok("drs", "StartReplication", drs.start_replication(sourceServerID=server["sourceServerID"]))
    assert started["sourceServer"]["dataReplicationInfo"]["dataReplicationState"] == "INITIATING"


def test_shape_disconnect_source_server(emu):
    server = seed(emu)[0]
    response = ok("drs", "DisconnectSourceServer", emu.client("drs").disconnect_source_server(sourceServerID=server["sourceServerID"]))
    assert response["dataReplicationInfo"]["dataReplicationState"] == "DISCONNECTED"


def test_shape_tags(emu):
    server = seed(emu)[0]
    drs = emu.client("drs")
    ok("drs", "TagResource", drs.tag_resource(resourceArn=server["arn"], tags={"Owner": "dr"}))
    response = ok("drs", "ListTagsForResource", drs.list_tags_for_resource(resourceArn=server["arn"]))
    assert response["tags"] == {"App": "payments", "Owner": "dr"}
    ok("drs", "UntagResource", drs.untag_resource(resourceArn=server["arn"], tagKeys=["Owner"]))
    assert drs.list_tags_for_resource(resourceArn=server["arn"])["tags"] == {"App": "payments"}


def test_shape_initialize_service(emu):
    ok("drs", "InitializeService", emu.client("drs").initialize_service())


# --- behaviour -------------------------------------------------------------------------------------

def test_job_lifecycle_follows_the_configured_delays(emu):
    emu.control("POST", "/__emulator__/config", {"drs": {"jobStartSeconds": 0.3, "launchSeconds": 0.3}})
    server = seed(emu)[0]
    drs = emu.client("drs")
    job_id = drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}], isDrill=True)["job"]["jobID"]
    seen = []

    def status():
        job = drs.describe_jobs(filters={"jobIDs": [job_id]})["items"][0]
        pair = (job["status"], job["participatingServers"][0]["launchStatus"])
        if not seen or seen[-1] != pair:
            seen.append(pair)
        return job if job["status"] == "COMPLETED" else None
    job = wait_until(status)
    assert seen[-1] == ("COMPLETED", "LAUNCHED") and ("STARTED", "IN_PROGRESS") in seen
    assert seen[0] in (("PENDING", "PENDING"), ("STARTED", "IN_PROGRESS"))
    assert job["initiatedBy"] == "START_DRILL" and "endDateTime" in job
    instance = drs.describe_recovery_instances(filters={"sourceServerIDs": [server["sourceServerID"]]})["items"][0]
    assert instance["isDrill"] is True and instance["jobID"] == job_id
    assert job["participatingServers"][0]["recoveryInstanceID"] == instance["recoveryInstanceID"]
    described = drs.describe_source_servers(filters={"sourceServerIDs": [server["sourceServerID"]]})["items"][0]
    assert described["recoveryInstanceId"] == instance["recoveryInstanceID"]
    assert described["lastLaunchResult"] == "SUCCEEDED"
    assert described["lifeCycle"]["lastLaunch"]["initiated"]["type"] == "DRILL"


def test_recovery_instance_is_an_ec2_instance_from_the_launch_template_default_version(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    ec2 = emu.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24")["Subnet"]["SubnetId"]
    server = seed(emu, subnetId=subnet, instanceType="m5.large")[0]
    # the runbook changes the DRS launch template's default version, as operators do
    ec2.create_launch_template_version(LaunchTemplateId=server["launchTemplateId"], SourceVersion="1", LaunchTemplateData={
        "InstanceType": "c5.xlarge", "NetworkInterfaces": [{"DeviceIndex": 0, "SubnetId": subnet, "PrivateIpAddress": "10.7.1.50"}]})
    ec2.modify_launch_template(LaunchTemplateId=server["launchTemplateId"], DefaultVersion="2")
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    instance = drs.describe_recovery_instances(filters={})["items"][0]
    assert instance["ec2InstanceState"] == "RUNNING"
    assert instance["recoveryInstanceProperties"]["networkInterfaces"][0]["ips"] == ["10.7.1.50"]
    described = ec2.describe_instances(InstanceIds=[instance["ec2InstanceID"]])["Reservations"][0]["Instances"][0]
    assert (described["InstanceType"], described["SubnetId"], described["PrivateIpAddress"]) == ("c5.xlarge", subnet, "10.7.1.50")
    tags = {t["Key"]: t["Value"] for t in described["Tags"]}
    assert tags["AWSElasticDisasterRecoveryManaged"] == "drs.amazonaws.com" and tags["Name"] == "legacy-app-0"
    assert tags["App"] == "payments"      # copyTags


def test_injected_launch_failure_fails_the_server_and_completes_the_job(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    bad, good = seed(emu, 2)
    emu.control("POST", "/__emulator__/failures", {"kind": "drs-launch-failed", "sourceServerID": bad["sourceServerID"]})
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": s["sourceServerID"]} for s in (bad, good)])
    job = drs.describe_jobs()["items"][0]
    assert job["status"] == "COMPLETED"
    statuses = {p["sourceServerID"]: p["launchStatus"] for p in job["participatingServers"]}
    assert statuses == {bad["sourceServerID"]: "FAILED", good["sourceServerID"]: "LAUNCHED"}
    assert [i["sourceServerID"] for i in drs.describe_recovery_instances()["items"]] == [good["sourceServerID"]]
    assert drs.describe_source_servers(filters={"sourceServerIDs": [bad["sourceServerID"]]})["items"][0]["lastLaunchResult"] == "FAILED"
    assert any(i["event"] == "LAUNCH_FAILED" for i in drs.describe_job_log_items(jobID=job["jobID"])["items"])
    # count 1: the next launch of that server succeeds; by hostname works too
    emu.control("POST", "/__emulator__/failures", {"kind": "drs-launch-failed", "hostname": good["hostname"]})
    drs.start_recovery(sourceServers=[{"sourceServerID": s["sourceServerID"]} for s in (bad, good)])
    job = [j for j in drs.describe_jobs()["items"] if j["jobID"] != job["jobID"]][0]
    assert {p["sourceServerID"]: p["launchStatus"] for p in job["participatingServers"]} == \
        {bad["sourceServerID"]: "LAUNCHED", good["sourceServerID"]: "FAILED"}


def test_quotas_servers_per_job_and_concurrent_jobs(emu):
    servers = seed(emu, 101)
    drs = emu.client("drs")
    with pytest.raises(ClientError) as error:
        drs.start_recovery(sourceServers=[{"sourceServerID": s["sourceServerID"]} for s in servers])
    assert error.value.response["Error"]["Code"] == "ServiceQuotaExceededException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 402
    emu.control("POST", "/__emulator__/config", {"drs": {"jobStartSeconds": 60}})
    for server in servers[:20]:
        drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    with pytest.raises(ClientError) as error:
        drs.start_recovery(sourceServers=[{"sourceServerID": servers[20]["sourceServerID"]}])
    assert error.value.response["Error"]["Code"] == "ServiceQuotaExceededException"


def test_conflicts_busy_server_and_stopped_replication(emu):
    emu.control("POST", "/__emulator__/config", {"drs": {"jobStartSeconds": 60}})
    busy, stopped = seed(emu, 2)
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": busy["sourceServerID"]}])
    drs.stop_replication(sourceServerID=stopped["sourceServerID"])
    for server in (busy, stopped):
        with pytest.raises(ClientError) as error:
            drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
        assert error.value.response["Error"]["Code"] == "ConflictException"
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(ClientError) as error:
        drs.get_launch_configuration(sourceServerID="s-0123456789abcdef0")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_pagination(emu):
    seed(emu, 5)
    drs = emu.client("drs")
    first = drs.describe_source_servers(maxResults=2)
    assert len(first["items"]) == 2 and first["nextToken"]
    pages = list(drs.get_paginator("describe_source_servers").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["items"]) for p in pages] == [2, 2, 1]


def test_terminate_removes_the_instance_after_the_delay(emu):
    emu.control("POST", "/__emulator__/config", {"drs": {"jobStartSeconds": 0, "launchSeconds": 0, "terminateSeconds": 0.3}})
    server = seed(emu)[0]
    drs, ec2 = emu.client("drs"), emu.client("ec2")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    instance = drs.describe_recovery_instances()["items"][0]
    job = drs.terminate_recovery_instances(recoveryInstanceIDs=[instance["recoveryInstanceID"]])["job"]
    assert drs.describe_recovery_instances()["items"]          # still there while the job runs
    with pytest.raises(ClientError) as error:
        drs.terminate_recovery_instances(recoveryInstanceIDs=[instance["recoveryInstanceID"]])
    assert error.value.response["Error"]["Code"] == "ConflictException"
    wait_until(lambda: not drs.describe_recovery_instances()["items"])
    done = drs.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"][0]
    assert done["status"] == "COMPLETED" and done["participatingServers"][0]["launchStatus"] == "TERMINATED"
    state = ec2.describe_instances(InstanceIds=[instance["ec2InstanceID"]])["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state == "terminated"
    assert "recoveryInstanceId" not in drs.describe_source_servers()["items"][0]


def test_reverse_replication_creates_a_failback_server_in_the_source_region(emu):
    emu.control("POST", "/__emulator__/config", {"drs": {"jobStartSeconds": 0, "launchSeconds": 0, "reverseReplicationSeconds": 0.4}})
    server = seed(emu)[0]
    drs, drs_east = emu.client("drs"), emu.client("drs", region="us-east-1")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    instance = drs.describe_recovery_instances()["items"][0]
    arn = drs.reverse_replication(recoveryInstanceID=instance["recoveryInstanceID"])["reversedDirectionSourceServerArn"]
    assert drs.reverse_replication(recoveryInstanceID=instance["recoveryInstanceID"])["reversedDirectionSourceServerArn"] == arn
    states = []

    def reversed_state():
        item = drs_east.describe_source_servers()["items"][0]
        state = item["dataReplicationInfo"]["dataReplicationState"]
        if not states or states[-1] != state:
            states.append(state)
        return item if state == "CONTINUOUS" else None
    item = wait_until(reversed_state)
    assert item["arn"] == arn and item["replicationDirection"] == "FAILBACK"
    assert states[-1] == "CONTINUOUS" and set(states) <= {"INITIATING", "INITIAL_SYNC", "CONTINUOUS"}
    assert drs.describe_source_servers()["items"][0]["reversedDirectionSourceServerArn"] == arn
    assert drs.describe_recovery_instances()["items"][0]["failback"]["state"] == "FAILBACK_READY_FOR_LAUNCH"


def test_reverse_replication_of_a_drill_is_refused(emu):
    emu.control("POST", "/__emulator__/config", ZERO)
    server = seed(emu)[0]
    drs = emu.client("drs")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}], isDrill=True)
    instance = drs.describe_recovery_instances()["items"][0]
    with pytest.raises(ClientError) as error:
        drs.reverse_replication(recoveryInstanceID=instance["recoveryInstanceID"])
    assert error.value.response["Error"]["Code"] == "ValidationException"


def test_accounts_are_isolated(emu):
    mine = seed(emu)[0]
    theirs = seed(emu, account=ACCOUNT_B)[0]
    assert [s["sourceServerID"] for s in emu.client("drs").describe_source_servers()["items"]] == [mine["sourceServerID"]]
    other = emu.client("drs", account=ACCOUNT_B).describe_source_servers()["items"]
    assert [s["sourceServerID"] for s in other] == [theirs["sourceServerID"]]
    # STS credentials of a role in account B act in account B, as moto maps them
    creds = emu.client("sts").assume_role(RoleArn=f"arn:aws:iam::{ACCOUNT_B}:role/dr", RoleSessionName="test")["Credentials"]
    assumed = emu.client("drs", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"], token=creds["SessionToken"])
    assert [s["sourceServerID"] for s in assumed.describe_source_servers()["items"]] == [theirs["sourceServerID"]]
    launch_template = theirs["launchTemplateId"]
    assert emu.client("ec2", account=ACCOUNT_B).describe_launch_templates(LaunchTemplateIds=[launch_template])["LaunchTemplates"]
