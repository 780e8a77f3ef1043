"""testenv.aws.application: what it seeds, as the emulator reports it, and that seeding again (also
after a recovery changed things) creates and changes nothing."""
import json

import pytest

from aws_inventory import calls_since, inventory, run_module, stats
from testenv.aws.application import Account, control, names, seed_application
from testenv.aws.demo_env import observe, render
from testenv.support.waiting import wait_until

EAST, WEST = "us-east-1", "us-west-2"



def test_the_summary_names_everything(seeded):
    assert seeded["account"] == "111111111111" and seeded["prefix"] == ""
    assert (seeded["primaryRegion"], seeded["secondaryRegion"]) == (EAST, WEST)
    for region in (EAST, WEST):
        part = seeded["regions"][region]
        assert part["vpcId"].startswith("vpc-")
        assert len(part["subnetIds"]) == 2 and all(s.startswith("subnet-") for s in part["subnetIds"])
        assert part["securityGroupId"].startswith("sg-")
        assert set(part["ecs"]["services"]) == {"api", "worker"} and part["ecs"]["cluster"] == "payments"
        assert part["batch"]["launchTemplateId"].startswith("lt-")
        assert part["batch"]["autoScalingGroupName"] == "payments-batch"
        assert set(part["instances"]) == {"bastion-1", "reporting-1"}
        assert all(i.startswith("i-") for i in part["instances"].values())
        assert region in part["loadBalancer"]["dnsName"]
    assert seeded["regions"][EAST]["loadBalancer"]["name"] == "payments-east"
    assert seeded["regions"][WEST]["loadBalancer"]["name"] == "payments-west"
    aurora = seeded["aurora"]
    assert (aurora["globalClusterIdentifier"], aurora["clusterIdentifier"], aurora["instanceIdentifier"]) == \
        ("payments-global", "payments-db", "payments-db-1")
    assert set(aurora["clusterArns"]) == {EAST, WEST}
    assert seeded["route53"]["zoneName"] == "payments.example.com."
    assert "/" not in seeded["route53"]["hostedZoneId"]
    assert seeded["cloudFormation"]["exports"] == {
        "payments-recovery-subnet": seeded["regions"][WEST]["subnetIds"][0],
        "payments-recovery-sg": seeded["regions"][WEST]["securityGroupId"],
        "payments-hosted-zone-id": seeded["route53"]["hostedZoneId"]}
    drs = seeded["drs"]
    assert drs["region"] == WEST and drs["sourceRegion"] == EAST
    assert set(drs["sourceServers"]) == {"legacy-app-1", "legacy-app-2", "legacy-db-1", "other-app-1"}
    assert all(s.startswith("s-") for s in drs["sourceServers"].values())
    assert drs["selectedByApp"] == ["legacy-app-1", "legacy-app-2", "legacy-db-1"]


def test_the_observed_state_is_east_active_and_west_a_pilot_light(endpoint, seeded):
    state = observe(endpoint)
    aurora = state["aurora"]
    assert aurora["writerRegion"] == EAST and aurora["status"] == "available"
    assert {m["region"]: m["isWriter"] for m in aurora["members"]} == {EAST: True, WEST: False}
    assert [(i["identifier"], i["class"], i["writer"]) for i in aurora["clusters"][EAST]["instances"]] == \
        [("payments-db-1", "db.r6g.large", True)]
    assert aurora["clusters"][WEST]["instances"] == []  # headless secondary

    api, status = state["route53"]["api"], state["route53"]["status"]
    assert [(r["type"], r["region"], r["loadBalancer"]) for r in api] == [("A", EAST, "payments-east")]
    assert api[0]["alias"].rstrip(".") == seeded["regions"][EAST]["loadBalancer"]["dnsName"]
    assert [(r["type"], r["values"], r["ttl"]) for r in status] == [("CNAME", ["status-east.payments.example.com"], 60)]

    assert {s: v["desired"] for s, v in state["ecs"][EAST].items()} == {"api": 2, "worker": 1}
    assert {s: v["desired"] for s, v in state["ecs"][WEST].items()} == {"api": 0, "worker": 0}
    assert {s: v["running"] for s, v in state["ecs"][WEST].items()} == {"api": 0, "worker": 0}

    east, west = state["autoScaling"][EAST], state["autoScaling"][WEST]
    assert (east["min"], east["desired"], east["max"], east["inService"]) == (2, 2, 4, 2)
    assert (west["min"], west["desired"], west["max"], west["inService"]) == (0, 0, 4, 0)

    for region, expected in ((EAST, "running"), (WEST, "stopped")):
        hosts = state["ec2"][region]
        assert set(hosts) == {"bastion-1", "reporting-1"}
        for host, instances in hosts.items():
            assert [(i["instanceId"], i["state"]) for i in instances] == \
                [(seeded["regions"][region]["instances"][host], expected)]

    drs = state["drs"]
    assert "errors" not in drs
    assert [(s["hostname"], s["replicationState"], s["app"]) for s in drs["sourceServers"]] == [
        ("legacy-app-1", "CONTINUOUS", "payments"), ("legacy-app-2", "CONTINUOUS", "payments"),
        ("legacy-db-1", "CONTINUOUS", " Payments "), ("other-app-1", "CONTINUOUS", "billing")]
    assert drs["jobs"] == [] and drs["recoveryInstances"] == [] and drs["reversedReplication"] == []

    text = render(state)
    assert "writer us-east-1" in text and "payments-east-1.us-east-1.elb.amazonaws.com" in text
    assert "legacy-db-1" in text and "' Payments '" in text


def test_the_references_a_plan_resolves_are_there(endpoint, seeded):
    aws = Account(endpoint)
    zone_id = seeded["route53"]["hostedZoneId"]
    for region in (EAST, WEST):
        names = ["/payments/dr/hosted-zone-id", "/payments/dr/db-instance-class", "/payments/dr/recovery-subnet-id",
                 "/payments/dr/recovery-sg-id"]
        values = {p["Name"]: p["Value"] for p in aws.client("ssm", region).get_parameters(Names=names)["Parameters"]}
        assert values == {"/payments/dr/hosted-zone-id": zone_id, "/payments/dr/db-instance-class": "db.r6g.large",
                          "/payments/dr/recovery-subnet-id": seeded["regions"][WEST]["subnetIds"][0],
                          "/payments/dr/recovery-sg-id": seeded["regions"][WEST]["securityGroupId"]}
        targets = aws.client("application-autoscaling", region).describe_scalable_targets(
            ServiceNamespace="ecs", ResourceIds=["service/payments/api", "service/payments/worker"])["ScalableTargets"]
        limits = {t["ResourceId"].rsplit("/", 1)[1]: (t["MinCapacity"], t["MaxCapacity"]) for t in targets}
        assert limits == ({"api": (2, 10), "worker": (1, 10)} if region == EAST else {"api": (0, 10), "worker": (0, 10)})
    exports = {e["Name"]: e["Value"] for e in aws.client("cloudformation", WEST).list_exports()["Exports"]}
    assert exports["payments-recovery-subnet"] == seeded["regions"][WEST]["subnetIds"][0]
    assert exports["payments-recovery-sg"] == seeded["regions"][WEST]["securityGroupId"]
    assert exports["payments-hosted-zone-id"] == zone_id
    west_servers = aws.client("drs", WEST).describe_source_servers(filters={})["items"]
    by_host = {s["sourceProperties"]["identificationHints"]["hostname"]: s for s in west_servers}
    assert {h: s["sourceServerID"] for h, s in by_host.items()} == seeded["drs"]["sourceServers"]
    assert by_host["legacy-db-1"]["tags"] == {"App": " Payments ", "Tier": "legacy"}


def test_seeding_again_creates_nothing_and_returns_the_same_summary(endpoint, seeded):
    before, calls = inventory(endpoint), stats(endpoint)
    assert seed_application(endpoint) == seeded
    assert calls_since(endpoint, calls) == {}
    assert inventory(endpoint) == before

    # Without the completion marker (a run interrupted at its very end) every lookup runs again:
    # still nothing new but the marker itself.
    Account(endpoint).client("ssm", EAST).delete_parameter(Name="/payments/seed/complete")
    calls = stats(endpoint)
    assert seed_application(endpoint) == seeded
    assert calls_since(endpoint, calls) == {"ssm:PutParameter": 1}
    assert inventory(endpoint) == before


def test_the_command_line_prints_the_same_summary(endpoint, seeded):
    result = run_module("testenv.aws.application", "--endpoint", endpoint)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == seeded
    assert "nothing created" in result.stderr


def test_a_prefixed_copy_is_isolated_and_a_recovery_is_not_undone(endpoint, seeded):
    """Seed "r1-", act as a recovery would (and as Cleanup does), then seed again: nothing comes back."""
    summary = seed_application(endpoint, prefix="r1-")
    n = names("r1-")
    assert summary["aurora"]["clusterIdentifier"] == "r1-payments-db"
    assert summary["route53"]["zoneName"] == "r1-payments.example.com."
    assert summary["regions"][WEST]["loadBalancer"]["name"] == "r1-payments-west"
    assert set(summary["drs"]["sourceServers"]) == {"legacy-app-1", "legacy-app-2", "legacy-db-1", "other-app-1"}
    assert not set(summary["drs"]["sourceServers"].values()) & set(seeded["drs"]["sourceServers"].values())
    prefixed = observe(endpoint, prefix="r1-")
    assert [s["hostname"] for s in prefixed["drs"]["sourceServers"]] == \
        ["r1-legacy-app-1", "r1-legacy-app-2", "r1-legacy-db-1", "r1-other-app-1"]
    assert prefixed["drs"]["sourceServers"][2]["app"] == " r1-Payments "

    aws = Account(endpoint)
    west = summary["regions"][WEST]
    aws.client("rds", WEST).create_db_instance(DBInstanceIdentifier=n["dbInstance"], DBClusterIdentifier=n["dbCluster"],
                                               DBInstanceClass="db.r6g.large", Engine="aurora-mysql")
    aws.client("rds", EAST).delete_db_instance(DBInstanceIdentifier=n["dbInstance"])
    aws.client("ecs", WEST).update_service(cluster=n["ecsCluster"], service="api", desiredCount=2)
    aws.client("ec2", WEST).start_instances(InstanceIds=[west["instances"]["bastion-1"]])
    aws.client("route53", EAST).change_resource_record_sets(
        HostedZoneId=summary["route53"]["hostedZoneId"], ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {
            "Name": n["apiRecord"], "Type": "A", "AliasTarget": {
                "HostedZoneId": west["loadBalancer"]["canonicalHostedZoneId"], "DNSName": west["loadBalancer"]["dnsName"],
                "EvaluateTargetHealth": True}}}]})
    recovered = observe(endpoint, prefix="r1-")

    calls = stats(endpoint)
    assert seed_application(endpoint, prefix="r1-") == summary
    assert calls_since(endpoint, calls) == {}
    after = observe(endpoint, prefix="r1-")
    assert after == recovered
    assert [i["identifier"] for i in after["aurora"]["clusters"][EAST]["instances"]] == []
    assert [i["identifier"] for i in after["aurora"]["clusters"][WEST]["instances"]] == ["r1-payments-db-1"]
    assert after["route53"]["api"][0]["region"] == WEST
    assert after["ecs"][WEST]["api"]["desired"] == 2
    assert after["ec2"][WEST]["bastion-1"][0]["state"] == "running"

    # The unprefixed copy is untouched by all of this.
    default_copy = observe(endpoint)
    assert default_copy["aurora"]["clusters"][EAST]["instances"][0]["identifier"] == "payments-db-1"
    assert default_copy["route53"]["api"][0]["region"] == EAST
    assert default_copy["ecs"][WEST]["api"]["desired"] == 0


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_state_and_calls_on_the_command_line(endpoint, seeded, fmt):
    result = run_module("testenv.aws.demo_env", "state", "--endpoint", endpoint, "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        state = json.loads(result.stdout)
        assert state["aurora"]["writerRegion"] == EAST
        assert len(state["drs"]["sourceServers"]) == 4
    else:
        assert "Aurora global database payments-global (status available, writer us-east-1)" in result.stdout
        assert "DRS source servers" in result.stdout
    calls = run_module("testenv.aws.demo_env", "calls", "--endpoint", endpoint, "--format", fmt)
    assert calls.returncode == 0, calls.stderr
    if fmt == "json":
        counted = json.loads(calls.stdout)["calls"]
        assert counted["rds:CreateGlobalCluster"] >= 1
        assert not any(key.split(":")[1].startswith(("Describe", "List", "Get")) for key in counted)
    else:
        assert "StartRecovery" in calls.stdout and "rds:CreateDBInstance" in calls.stdout


def test_the_observed_state_follows_a_drs_recovery(endpoint):
    """DRS alone, in an account of its own: a recovery's job, recovery instances and reversed
    replication show in `state` (the emulator's DRS delays set to 0 for the test, then restored)."""
    account = "333333333333"
    servers = [{"hostname": h, "tags": {"App": "payments"}, "replicationState": "CONTINUOUS", "lagDuration": "PT2S",
                "sourceRegion": EAST, "instanceType": "m5.large"} for h in ("legacy-app-1", "legacy-app-2")]
    seeded = control(endpoint, "POST", "drs/source-servers", {"account": account, "region": WEST, "servers": servers})
    ids = {s["hostname"]: s["sourceServerID"] for s in seeded["sourceServers"]}
    previous = control(endpoint, "GET", "config")["drs"]
    control(endpoint, "POST", "config", {"drs": {"jobStartSeconds": 0, "launchSeconds": 0,
                                                 "reverseReplicationSeconds": 0}})
    try:
        drs = Account(endpoint, account).client("drs", WEST)
        job = drs.start_recovery(sourceServers=[{"sourceServerID": ids["legacy-app-1"]}], isDrill=False)["job"]
        wait_until(lambda: drs.describe_jobs(filters={"jobIDs": [job["jobID"]]})["items"][0]["status"] == "COMPLETED")
        state = observe(endpoint, account)["drs"]
        assert [(j["jobID"], j["type"], j["isDrill"], [s["launchStatus"] for s in j["servers"]]) for j in state["jobs"]] \
            == [(job["jobID"], "LAUNCH", False, ["LAUNCHED"])]
        [instance] = state["recoveryInstances"]
        assert instance["sourceServerID"] == ids["legacy-app-1"] and not instance["isDrill"]
        assert instance["ec2InstanceID"].startswith("i-") and instance["privateIp"]
        drs.reverse_replication(recoveryInstanceID=instance["recoveryInstanceID"])
        east = Account(endpoint, account).client("drs", EAST)
        wait_until(lambda: east.describe_source_servers(filters={})["items"])
        state = observe(endpoint, account)
        assert [(s["region"], s["hostname"], s["replicationDirection"]) for s in state["drs"]["reversedReplication"]] \
            == [(EAST, "legacy-app-1", "FAILBACK")]
        text = render(state)
        assert "DRS reversed replication" in text and instance["recoveryInstanceID"] in text
    finally:
        control(endpoint, "POST", "config", {"drs": previous})
