"""`drctl convert enterprise` of manifests naming the DRS, AuroraMySQL, EcsService, AutoScaling,
EC2 and R53Record modules, then `drctl run` of the converted plan, end to end against the emulator.

fixtures/enterprise holds the product manifests (INSTANTIATE, ACTIVATE) and their application
manifests (mf/) of a product `ent-payments`, written as real enterprise manifests were: the older
`resourceType`, AccountId inside the parameters, and the enterprise code's own spellings
`Autoscalinggroupnames`, `Orchestrator_HostNames` and `Aias`. They name the payments application
that testenv.aws.application seeds with the prefix `ent-`, which this module seeds into an
emulator of its own (started here and stopped at the end). drctl then runs Instantiate and
Activate (Recovery) of the converted plan, and boto3 reads what changed.
"""
import json
import re
import time
from pathlib import Path

import pytest

from drctl_support import aws_env, drctl, emulator_stats, own_emulator
from testenv.aws import demo_env
from testenv.aws.application import Account, seed_application

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "enterprise"
PRODUCTS = [FIXTURES / f"product-manifest-ent-payments-{phase}.json" for phase in ("INSTANTIATE", "ACTIVATE")]
PREFIX = "ent-"  # the names in the fixtures
ACCOUNT = "111111111111"
RUN_DEADLINE = 120  # seconds for one drctl run (each takes a few seconds at --poll-interval 1s)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    """A fresh emulator for this module, the application seeded with the prefix ent-, and the call
    counts reset afterwards (so they count only what drctl does)."""
    with own_emulator(tmp_path_factory, "convert-emulator") as record:
        endpoint = record["endpoint"]
        summary = seed_application(endpoint, account=ACCOUNT, prefix=PREFIX)
        demo_env.reset_stats(endpoint)
        yield {"endpoint": endpoint, "summary": summary, "pid": record["pid"]}
    assert not demo_env.process_alive(record["pid"])


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The DRPlan `drctl convert enterprise` makes of the fixtures: (path, warnings on stderr)."""
    result = drctl("convert", "enterprise", *[a for p in PRODUCTS for a in ("--product", p)],
                   "--primary", "us-east-1", "--secondary", "us-west-2", "--namespace", "dr")
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("converted") / "ent-payments.yaml"
    path.write_text(result.stdout)
    return path, result.stderr


def run_phase(plan, state, phase, endpoint):
    result = drctl("run", "-f", plan, "--phase", phase, "--mode", "Recovery", "--yes", "--state-dir", state,
                   "--poll-interval", "1s", "--plain", "--log-format", "text", env=aws_env(endpoint, state.parent / "locks"),
                   timeout=RUN_DEADLINE)
    assert result.returncode == 0, f"drctl run --phase {phase} exited {result.returncode}:\n" \
                                   f"{result.stdout}\n{result.stderr[-6000:]}"
    assert re.search(rf"Execution ent-payments-{phase.lower()}-\S+ Succeeded in ", result.stdout), result.stdout
    return result


def stats(endpoint):
    return demo_env.mutating_calls(emulator_stats(endpoint))


def test_the_enterprise_manifests_convert_to_a_valid_plan(converted):
    path, warnings = converted
    plan = json.loads(drctl("convert", "enterprise", *[a for p in PRODUCTS for a in ("--product", p)],
                            "--primary", "us-east-1", "--secondary", "us-west-2", "-o", "json").stdout)
    # The enterprise spellings were mapped, each with a warning naming it.
    for spelling in ('"resourceType" is the older spelling of "action"',
                     'renamed "Autoscalinggroupnames" to "AutoScalingGroupNames"',
                     'renamed "Orchestrator_HostNames" to "HostNames"', 'renamed "Aias" to "Alias"',
                     'resourceName "Standby Hosts" is not a DNS label; named "standby-hosts"'):
        assert spelling in warnings, warnings
    assert plan["metadata"]["name"] == "ent-payments"
    assert plan["spec"]["regions"] == {"primary": "us-east-1", "secondary": "us-west-2"}
    assert plan["spec"]["accounts"] == {"default": ACCOUNT}  # AccountId left the parameters
    layers = [[(r["name"], r["module"], r.get("phases")) for r in layer["resources"]]
              for layer in plan["spec"]["layers"]]
    assert layers == [
        [("payments-db", "AuroraMySQL", ["Instantiate", "Activate"])],  # same parameters in both: merged
        [("payments-services", "EcsService", ["Instantiate"]), ("payments-batch", "AutoScaling", ["Instantiate"]),
         ("standby-hosts", "EC2", ["Instantiate", "Activate"]), ("legacy-servers", "DRS", ["Activate"])],
        [("payments-dns", "R53Record", None)]]  # Activate is all R53Record supports
    resources = {r["name"]: r["parameters"] for layer in plan["spec"]["layers"] for r in layer["resources"]}
    assert resources["payments-batch"] == {"AutoScalingGroupNames": ["ent-payments-batch"], "DesiredCount": 2}
    assert resources["standby-hosts"] == {"HostNames": ["ent-bastion-1", "ent-reporting-1"]}
    assert [i.get("Alias") for i in resources["payments-dns"]["Items"]] == ["Yes", "No"]  # values never change
    assert [i["EcsServiceName"] for i in resources["payments-services"]["Items"]] == ["api", "worker"]
    assert all("AccountId" not in i for i in resources["payments-services"]["Items"])

    result = drctl("validate", "-f", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DRPlan dr/ent-payments is valid" in result.stdout


def test_the_converted_plan_runs_instantiate_and_activate_against_the_emulator(emulator, converted, tmp_path):
    plan, _ = converted
    endpoint, summary = emulator["endpoint"], emulator["summary"]
    state = tmp_path / "state"
    aws = Account(endpoint, ACCOUNT)
    west = {service: aws.client(service, "us-west-2")
            for service in ("rds", "ecs", "autoscaling", "ec2", "drs", "application-autoscaling")}

    before = demo_env.observe(endpoint, ACCOUNT, PREFIX)
    assert before["aurora"]["writerRegion"] == "us-east-1"
    assert before["aurora"]["clusters"]["us-west-2"]["instances"] == []  # headless secondary

    # ---- Instantiate: pre-warm the standby in us-west-2 ----
    started = time.monotonic()
    run_phase(plan, state, "Instantiate", endpoint)
    instantiate_seconds = time.monotonic() - started
    instance = west["rds"].describe_db_instances(DBInstanceIdentifier="ent-payments-db-1")["DBInstances"][0]
    assert instance["DBClusterIdentifier"] == "ent-payments-db"
    assert instance["DBInstanceClass"] == "db.r6g.large"  # resolve:ssm:/ent-payments/dr/db-instance-class
    services = {s["serviceName"]: s for s in west["ecs"].describe_services(
        cluster="ent-payments", services=["api", "worker"])["services"]}
    assert (services["api"]["desiredCount"], services["worker"]["desiredCount"]) == (2, 1)
    assert (services["api"]["runningCount"], services["worker"]["runningCount"]) == (2, 1)
    target = west["application-autoscaling"].describe_scalable_targets(
        ServiceNamespace="ecs", ResourceIds=["service/ent-payments/api"])["ScalableTargets"][0]
    assert target["MinCapacity"] == 2  # EcsAsgMinSize
    group = west["autoscaling"].describe_auto_scaling_groups(
        AutoScalingGroupNames=["ent-payments-batch"])["AutoScalingGroups"][0]
    assert (group["MinSize"], group["DesiredCapacity"]) == (2, 2)  # from Autoscalinggroupnames
    hosts = west["ec2"].describe_instances(Filters=[{"Name": "tag:Orchestrator:HostName",
                                                     "Values": ["ent-bastion-1", "ent-reporting-1"]}])
    assert sorted(i["State"]["Name"] for r in hosts["Reservations"] for i in r["Instances"]) == ["running"] * 2
    assert west["drs"].describe_recovery_instances(filters={})["items"] == []  # DRS runs only in Activate

    # ---- Activate: fail over to us-west-2 (gate start approved by --yes) ----
    started = time.monotonic()
    activate = run_phase(plan, state, "Activate", endpoint)
    activate_seconds = time.monotonic() - started
    assert "gate start approved" in activate.stderr
    after = demo_env.observe(endpoint, ACCOUNT, PREFIX)
    assert after["aurora"]["writerRegion"] == "us-west-2"
    assert after["aurora"]["status"] == "available"

    # Records upserted: the api alias on the us-west-2 load balancer, the status CNAME to the west name.
    route53 = aws.client("route53", "us-east-1")
    zone = summary["route53"]["hostedZoneId"]
    records = {(r["Name"], r["Type"]): r for r in route53.list_resource_record_sets(HostedZoneId=zone)
               ["ResourceRecordSets"]}
    west_alb = aws.client("elbv2", "us-west-2").describe_load_balancers(
        Names=["ent-payments-west"])["LoadBalancers"][0]
    api = records[("api.ent-payments.example.com.", "A")]
    assert api["AliasTarget"]["DNSName"].rstrip(".").lower().removeprefix("dualstack.") == \
        west_alb["DNSName"].rstrip(".").lower()
    assert api["AliasTarget"]["HostedZoneId"] == west_alb["CanonicalHostedZoneId"]
    status = records[("status.ent-payments.example.com.", "CNAME")]
    assert [v["Value"] for v in status["ResourceRecords"]] == ["status-west.ent-payments.example.com"]
    assert status["TTL"] == 60

    # Recovery instances launched for the three ent-payments servers (Tags App/Tier), not other-app-1.
    servers = {s["sourceProperties"]["identificationHints"]["hostname"]: s["sourceServerID"]
               for s in west["drs"].describe_source_servers(filters={})["items"]}
    ours = {servers[f"{PREFIX}{h}"]: f"{PREFIX}{h}" for h in ("legacy-app-1", "legacy-app-2", "legacy-db-1")}
    recovered = west["drs"].describe_recovery_instances(filters={})["items"]
    assert sorted(r["sourceServerID"] for r in recovered) == sorted(ours)
    assert not any(r.get("isDrill") for r in recovered)
    ec2_ids = {ours[r["sourceServerID"]]: r["ec2InstanceID"] for r in recovered}
    launched = {i["InstanceId"]: i for r in west["ec2"].describe_instances(InstanceIds=list(ec2_ids.values()))
                ["Reservations"] for i in r["Instances"]}
    assert {launched[i]["State"]["Name"] for i in ec2_ids.values()} == {"running"}
    assert launched[ec2_ids["ent-legacy-db-1"]]["PrivateIpAddress"] == "10.20.0.50"  # the ServerOverride
    assert launched[ec2_ids["ent-legacy-db-1"]]["InstanceType"] == "r5.large"
    assert launched[ec2_ids["ent-legacy-app-1"]]["InstanceType"] == "m5.large"
    assert launched[ec2_ids["ent-legacy-app-1"]]["SubnetId"] == summary["regions"]["us-west-2"]["subnetIds"][0]

    # The services, the group and the hosts are still up (Activate left them alone or found them so).
    services = west["ecs"].describe_services(cluster="ent-payments", services=["api", "worker"])["services"]
    assert sorted((s["serviceName"], s["desiredCount"]) for s in services) == [("api", 2), ("worker", 1)]
    assert after["ec2"]["us-west-2"] and all(
        i["state"] == "running" for instances in after["ec2"]["us-west-2"].values() for i in instances)

    # Each action once: what the two phases had to do, and nothing more.
    assert stats(endpoint) == {
        "rds:CreateDBInstance": 1, "ecs:UpdateService": 2, "application-autoscaling:RegisterScalableTarget": 1,
        "autoscaling:UpdateAutoScalingGroup": 1, "ec2:StartInstances": 1,  # Instantiate
        "rds:SwitchoverGlobalCluster": 1, "drs:StartRecovery": 1, "drs:UpdateLaunchConfiguration": 3,
        "ec2:CreateLaunchTemplateVersion": 3, "ec2:ModifyLaunchTemplate": 3,
        "route53:ChangeResourceRecordSets": 1,  # Activate
    }
    assert instantiate_seconds < RUN_DEADLINE and activate_seconds < RUN_DEADLINE
