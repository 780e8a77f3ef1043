"""Issue 11: drills never act in the serving region, against the emulator with the real drctl.

- The demo plan (examples/demo/payments-dr.yaml) as a Drill: Instantiate, Activate, Cleanup. Every
  resource of the application in us-east-1 (which serves) is exactly as before, the standby in
  us-west-2 is back at its state before the drill, no drill record is left, and the emulator counted
  no call that changes anything in us-east-1.
- A property over seeded random plans and random sequences of drill phases and directions: no drill
  ever sends a mutating call to the serving region (counted at the emulator, per signing region), and
  the serving region's resources end as they began.

One emulator for this module, seeded with the prefix-less application the demo plan names.
"""
import random
import re

import pytest
import yaml

from drctl_support import ROOT, aws_env, drctl, emulator_stats, own_emulator
from testenv.aws import demo_env
from testenv.aws.application import PRIMARY, SECONDARY, Account, names, seed_application
from testenv.support.waiting import wait_until

DEMO_PLAN = ROOT / "examples" / "demo" / "payments-dr.yaml"
ACCOUNT = "111111111111"
RECORD_TAG = "lifeboat.dev/drill-undo"
SEEDS = range(16)
COVERAGE = {"standby writes": 0, "refused failbacks": 0, "cleanups that undid": 0}


@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    with own_emulator(tmp_path_factory, "drill-emulator") as record:
        seed_application(record["endpoint"], account=ACCOUNT)
        yield record["endpoint"]


def drill(plan, phase, state, endpoint, direction="Failover"):
    return drctl("run", "-f", plan, "--phase", phase, "--mode", "Drill", "--direction", direction, "--yes",
                 "--state-dir", state, "--poll-interval", "1s", "--plain", "--log-format", "text",
                 env=aws_env(endpoint, state.parent / "locks"), timeout=120)


def by_region(endpoint):
    return emulator_stats(endpoint).get("byRegion", {})


def mutating_since(endpoint, before, region):
    """Calls that change something (by the operation's name: not Describe/List/Get, not STS) made in
    `region` since `before`, judged independently of Lifeboat's own read-only allow-list."""
    now = by_region(endpoint).get(region, {})
    old = before.get(region, {})
    return {key: count - old.get(key, 0) for key, count in now.items()
            if count != old.get(key, 0) and not key.startswith("sts:")
            and not key.split(":")[-1].startswith(("Describe", "List", "Get"))}


def region_state(endpoint, region):
    """Everything the plan's modules could change in one region, with the tags they could leave."""
    observed = demo_env.observe(endpoint, ACCOUNT)
    aws = Account(endpoint, ACCOUNT)
    n = names()
    asg = aws.client("autoscaling", region).describe_auto_scaling_groups(AutoScalingGroupNames=[n["asg"]])["AutoScalingGroups"]
    ecs = aws.client("ecs", region)
    services = ecs.describe_services(cluster=n["ecsCluster"], services=["api", "worker"])["services"]
    targets = aws.client("application-autoscaling", region).describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    ec2 = aws.client("ec2", region)
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"] if i["State"]["Name"] != "terminated"]
    rds = aws.client("rds", region)
    aurora = observed["aurora"]
    return {
        "aurora writer": aurora["writerRegion"],
        "aurora instances": aurora["clusters"][region],
        "db instance tags": {i["DBInstanceIdentifier"]: sorted((t["Key"], t["Value"]) for t in i.get("TagList", []))
                             for i in rds.describe_db_instances()["DBInstances"]},
        "ecs": {s["serviceName"]: (s["desiredCount"], s["status"]) for s in services},
        "ecs tags": {s["serviceName"]: sorted((t["key"], t["value"]) for t in ecs.list_tags_for_resource(resourceArn=s["serviceArn"]).get("tags", []))
                     for s in services},
        "scalable targets": sorted((t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in targets),
        "asg": [(g["MinSize"], g["DesiredCapacity"], g["MaxSize"], sorted((t["Key"], t["Value"]) for t in g.get("Tags", [])))
                for g in asg],
        "instances": sorted((i["InstanceId"], i["State"]["Name"], sorted((t["Key"], t["Value"]) for t in i.get("Tags", [])))
                            for i in instances),
        "drs recovery instances": sorted(r["recoveryInstanceID"] for r in observed["drs"]["recoveryInstances"]
                                         if r["region"] == region and r["state"] not in ("TERMINATED", None)),
        "dns": observed["route53"] if region == PRIMARY else None,
    }


def settled(endpoint, region):
    """The state once moto's instance transitions (pending, stopping, shutting-down) are over."""
    state = None

    def calm():
        nonlocal state
        state = region_state(endpoint, region)
        return not any(s in ("pending", "stopping", "shutting-down") for _, s, _ in state["instances"])
    wait_until(calm, timeout=60, interval=0.5)
    return state


def test_a_drill_of_the_demo_plan_leaves_the_serving_region_exactly_as_it_was(emulator, tmp_path):
    serving, standby = settled(emulator, PRIMARY), settled(emulator, SECONDARY)
    before = by_region(emulator)
    state = tmp_path / "state"
    for phase in ("Instantiate", "Activate"):
        result = drill(DEMO_PLAN, phase, state, emulator)
        assert result.returncode == 0, f"{phase}: {result.stdout}\n{result.stderr[-4000:]}"
        assert re.search(rf"Execution payments-demo-{phase.lower()}-\S+ Succeeded", result.stdout), result.stdout
    # The drill did something in the standby (so the comparison below is not vacuous).
    drilled = region_state(emulator, SECONDARY)
    assert drilled["asg"][0][:3] == (2, 2, 4) and drilled["ecs"]["api"][0] == 2
    assert len(drilled["drs recovery instances"]) == 3
    assert any(RECORD_TAG in dict(tags) for tags in drilled["db instance tags"].values())

    result = drill(DEMO_PLAN, "Cleanup", state, emulator)
    assert result.returncode == 0, f"Cleanup: {result.stdout}\n{result.stderr[-4000:]}"
    assert mutating_since(emulator, before, PRIMARY) == {}
    assert settled(emulator, PRIMARY) == serving
    assert settled(emulator, SECONDARY) == standby


# ---- the property -------------------------------------------------------------------------------

def random_plan(rng, index):
    """A plan over the seeded application: a random subset of the six modules' resources, random
    sizes, random drill behaviours (Execute where a module refuses to act in a drill included)."""
    n = names()
    candidates = [
        ("db", "AuroraMySQL", {"GlobalClusterIdentifier": n["globalCluster"], "DBClusterIdentifier": n["dbCluster"],
                               "DBInstanceIdentifier": [f"prop-{index}-reader"], "DBInstanceClass": "db.r6g.large"}),
        ("services", "EcsService", {"Items": [{"EcsClusterName": n["ecsCluster"], "EcsServiceName": "api",
                                                "EcsDesiredSize": rng.randint(1, 3), "EcsAsgMinSize": rng.randint(0, 1)},
                                               {"EcsClusterName": n["ecsCluster"], "EcsServiceName": "worker",
                                                "EcsDesiredSize": rng.randint(0, 2)}]}),
        ("batch", "AutoScaling", {"AutoScalingGroupNames": [n["asg"]], "DesiredCount": rng.randint(1, 3)}),
        ("hosts", "EC2", {"HostNames": rng.sample(sorted(n["hosts"].values()), rng.randint(1, 2))}),
        ("legacy", "DRS", {"Tags": {"App": "payments", "Tier": "legacy"}}),
        ("dns", "R53Record", {"Items": [{"HostedZoneId": "resolve:ssm:" + n["ssm"]["hostedZoneId"],
                                          "R53RecordName": n["statusRecord"].rstrip("."), "RecordType": "CNAME",
                                          "RecordValue": f"status-west.{n['zone'].rstrip('.')}", "TTL": 60}]}),
    ]
    chosen = rng.sample(candidates, rng.randint(2, len(candidates)))
    resources = []
    for name, module, parameters in chosen:
        resource = {"name": name, "module": module, "parameters": parameters}
        behaviour = rng.choice([None, None, "Execute", "Validate", "Skip"])
        if behaviour:
            resource["drill"] = behaviour
        resources.append(resource)
    rng.shuffle(resources)
    split = rng.randint(1, len(resources))
    layers = [{"name": "first", "resources": resources[:split]}]
    if resources[split:]:
        layers.append({"name": "second", "resources": resources[split:]})
    return {"apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRPlan",
            "metadata": {"name": f"drill-property-{index}", "namespace": "dr"},
            "spec": {"regions": {"primary": PRIMARY, "secondary": SECONDARY}, "accounts": {"default": ACCOUNT},
                     "approvals": {"phases": [], "drills": "Automatic"}, "layers": layers}}


@pytest.mark.parametrize("seed", SEEDS)
def test_no_drill_ever_writes_to_the_serving_region(emulator, tmp_path, seed):
    rng = random.Random(0xD811 + seed)
    plan = random_plan(rng, seed)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(plan))
    serving = settled(emulator, PRIMARY)
    before = by_region(emulator)
    phases = [rng.choice(["Instantiate", "Activate", "Cleanup", "Replicate"]) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.5:
        phases.append("Cleanup")
    outcomes = []
    for phase in phases:
        # The primary serves: a Failback drill would act in it and must be refused before anything runs.
        direction = "Failback" if rng.random() < 0.2 else "Failover"
        result = drill(path, phase, tmp_path / f"state-{len(outcomes)}", emulator, direction)
        if direction == "Failback":
            assert result.returncode != 0, result.stdout
            assert "a drill acts only in the standby region" in result.stdout + result.stderr
        outcomes.append((phase, direction, result.returncode))
        assert mutating_since(emulator, before, PRIMARY) == {}, f"seed {seed}: {outcomes}\n{result.stdout[-3000:]}"
    standby = mutating_since(emulator, before, SECONDARY)
    COVERAGE["standby writes"] += bool(standby)
    COVERAGE["refused failbacks"] += sum(1 for _, direction, _ in outcomes if direction == "Failback")
    COVERAGE["cleanups that undid"] += any(key.endswith(("DeleteTags", "UntagResource")) for key in standby)
    assert settled(emulator, PRIMARY) == serving, f"seed {seed}: {outcomes}"


def test_the_random_drills_exercised_what_they_claim():
    """Runs after the seeds (file order): most cases wrote to the standby, some undid a drill, and
    some Failback drills were refused, so the property above was tested on drills that acted."""
    assert COVERAGE["standby writes"] >= len(SEEDS) // 2, COVERAGE
    assert COVERAGE["cleanups that undid"] >= 2, COVERAGE
    assert COVERAGE["refused failbacks"] >= 2, COVERAGE
