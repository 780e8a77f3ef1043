"""Issue 14: a plan using all 13 modules, converted from enterprise manifests that name all 13, runs
end to end with the real `drctl run` against the emulator — as a Recovery (Instantiate, Activate,
Cleanup, Replicate) and as a Drill (the same four phases) — and every mutating AWS call happens
exactly once.

fixtures/all-modules holds the four product manifests of a product `all-modules` and their
application manifests (apps all-modules-data, -compute and -traffic, one step each, in that order
in every phase), written with the enterprise spellings (AccountId inside parameters, Autoscalinggroupnames,
Orchestrator_HostNames, Aias, ElastiCache's GlobalClusterIdentifier/DBClusterIdentifier, DRS Tags
beside HostNames). They name the payments application testenv.aws.application seeds and the
services testenv.aws.application_services seeds, both with the prefix `all-`, into an emulator of
this module's own; each test starts from a reset, freshly seeded emulator.

What each phase must call is written out below from docs/modules.md (per module: what it does in
the phase, in which region), independently of what drctl reports, and compared with the emulator's
counts per operation and per signing region: nothing missing, nothing doubled, nothing else.
"""
import json
import re
import time
from pathlib import Path

import pytest

from drctl_support import aws_env, drctl, emulator_stats, own_emulator
from testenv.aws import demo_env
from testenv.aws.application import PRIMARY, SECONDARY, Account, control, names, seed_application
from testenv.aws.application_services import seed_services

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "all-modules"
PHASES = ("Instantiate", "Activate", "Cleanup", "Replicate")
PRODUCTS = [FIXTURES / f"product-manifest-all-modules-{phase.upper()}.json" for phase in PHASES]
PREFIX = "all-"  # the names in the fixtures
ACCOUNT = "111111111111"
RUN_DEADLINE = 60  # seconds for one drctl run (each takes a few seconds)
# Every emulated operation (DRS jobs, failovers, restores, replays, domain changes …) stays under way
# this long, so the checks poll it at least once; seeding runs with no delay.
DELAY_SECONDS = 1
DELAYS = {"drs": ["jobStartSeconds", "launchSeconds", "terminateSeconds", "reverseReplicationSeconds"],
          "aurora": ["failoverSeconds", "switchoverSeconds"], "eventbridge": ["replaySeconds"],
          "opensearch": ["changeSeconds"], "rds": ["replicationSeconds", "restoreSeconds"],
          "memorydb": ["createSeconds"],
          "elasticache": ["globalCreateSeconds", "memberCreateSeconds", "failoverSeconds", "disassociateSeconds",
                          "deleteSeconds"]}

# ---- what the modules are (docs/modules.md, the table at the top) -----------------------------

MODULE_PHASES = {
    "DRS": {"Activate", "Cleanup", "Replicate"}, "AuroraMySQL": {"Instantiate", "Activate", "Cleanup"},
    "EcsService": {"Instantiate", "Cleanup"}, "AutoScaling": {"Instantiate", "Cleanup"}, "R53Record": {"Activate"},
    "EventBridge": {"Activate", "Cleanup"}, "LambdaFunction": set(PHASES), "EventArchive": {"Activate"},
    "ElastiCache": {"Activate", "Cleanup", "Replicate"}, "MemoryDB": {"Activate", "Cleanup"},
    "OpenSearchService": {"Instantiate", "Cleanup"}, "SQLServer": {"Activate", "Cleanup", "Replicate"},
    "EC2": {"Instantiate", "Activate", "Cleanup"},
}
EXECUTE, VALIDATE, SKIP = "Execute", "Validate", "Skip"
DRILL_DEFAULTS = {  # a drill's action per phase when the resource does not say (Drill Replicate only validates)
    "DRS": {"Activate": EXECUTE, "Cleanup": EXECUTE, "Replicate": VALIDATE},
    "AuroraMySQL": {"Instantiate": EXECUTE, "Activate": VALIDATE, "Cleanup": EXECUTE},
    "EcsService": EXECUTE, "AutoScaling": EXECUTE, "R53Record": VALIDATE, "EventBridge": VALIDATE,
    "LambdaFunction": {"Instantiate": VALIDATE, "Activate": VALIDATE, "Cleanup": VALIDATE, "Replicate": VALIDATE},
    "EventArchive": SKIP, "ElastiCache": VALIDATE, "MemoryDB": VALIDATE, "OpenSearchService": EXECUTE,
    "SQLServer": VALIDATE, "EC2": EXECUTE,
}


def drill_action(module, phase):
    default = DRILL_DEFAULTS[module]
    action = default[phase] if isinstance(default, dict) else default
    return VALIDATE if phase == "Replicate" and action == EXECUTE else action


# ---- what each phase must call: (module, region, "service:Operation", times) -------------------
# Recovery: Instantiate and Activate act in the standby (us-west-2), Cleanup in the old primary
# (us-east-1; DRS reads the recovery region), Replicate in the new primary (us-west-2; ElastiCache and
# SQLServer create what replicates back in the peer region). Route 53 signs for us-east-1.

RECOVERY = {
    "Instantiate": [
        ("AuroraMySQL", SECONDARY, "rds:CreateDBInstance", 1),  # all-payments-db-1 in the headless cluster
        ("OpenSearchService", SECONDARY, "es:UpdateDomainConfig", 1),  # one change to the Instantiate sizes
        ("EcsService", SECONDARY, "application-autoscaling:RegisterScalableTarget", 1),  # api's EcsAsgMinSize
        ("EcsService", SECONDARY, "ecs:UpdateService", 2),  # api and worker from 0
        ("AutoScaling", SECONDARY, "autoscaling:UpdateAutoScalingGroup", 1),  # one group
        ("EC2", SECONDARY, "ec2:StartInstances", 1),  # both stopped hosts, one request
        ("LambdaFunction", SECONDARY, "lambda:Invoke", 1),
        ("LambdaFunction", SECONDARY, "lambda:TagResource", 2),  # the invocation record: before, then its outcome
    ],
    "Activate": [
        ("AuroraMySQL", SECONDARY, "rds:SwitchoverGlobalCluster", 1),  # Graceful
        ("SQLServer", SECONDARY, "rds:RestoreDBInstanceToPointInTime", 1),  # tagged in the same request
        ("ElastiCache", SECONDARY, "elasticache:FailoverGlobalReplicationGroup", 1),  # Graceful
        ("MemoryDB", SECONDARY, "memorydb:CreateCluster", 1),  # tagged in the same request
        ("MemoryDB", SECONDARY, "ssm:PutParameter", 1),  # the endpoint, once available
        # EC2: both hosts already run since Instantiate: nothing to start.
        ("DRS", SECONDARY, "drs:UpdateLaunchConfiguration", 3),  # CopyTags/right-sizing differ on each server
        ("DRS", SECONDARY, "ec2:CreateLaunchTemplateVersion", 3),  # instance type, subnet, groups (and db-1's IP)
        ("DRS", SECONDARY, "ec2:ModifyLaunchTemplate", 3),  # … made the default
        ("DRS", SECONDARY, "drs:StartRecovery", 1),  # one job of three servers (JobTags in the request)
        ("R53Record", PRIMARY, "route53:ChangeResourceRecordSets", 1),  # one batch for the zone
        ("EventBridge", SECONDARY, "events:EnableRule", 2),
        ("EventArchive", SECONDARY, "events:StartReplay", 1),
        ("LambdaFunction", SECONDARY, "lambda:Invoke", 1),
        ("LambdaFunction", SECONDARY, "lambda:TagResource", 2),
    ],
    "Cleanup": [
        ("AuroraMySQL", PRIMARY, "rds:DeleteDBInstance", 1),  # the old writer's instance, now a reader
        ("SQLServer", PRIMARY, "rds:DeleteDBInstance", 1),  # the old primary, final snapshot in the request
        ("OpenSearchService", PRIMARY, "es:UpdateDomainConfig", 1),  # to the Cleanup* sizes
        ("ElastiCache", PRIMARY, "elasticache:AddTagsToResource", 1),  # the old primary marked as this resource's
        ("ElastiCache", PRIMARY, "elasticache:DisassociateGlobalReplicationGroup", 1),
        ("ElastiCache", PRIMARY, "elasticache:DeleteReplicationGroup", 1),  # DeleteOldPrimary
        ("MemoryDB", PRIMARY, "ssm:PutParameter", 1),  # the configuration, saved for a failback
        ("MemoryDB", PRIMARY, "memorydb:DeleteCluster", 1),  # final snapshot in the request
        ("EcsService", PRIMARY, "application-autoscaling:RegisterScalableTarget", 1),  # api's minimum to 0
        ("EcsService", PRIMARY, "ecs:UpdateService", 2),  # both to 0
        ("AutoScaling", PRIMARY, "autoscaling:UpdateAutoScalingGroup", 1),
        ("EC2", PRIMARY, "ec2:StopInstances", 1),
        # DRS: DisconnectSource is false: the old source servers keep replicating.
        ("EventBridge", PRIMARY, "events:DisableRule", 2),
        ("LambdaFunction", PRIMARY, "lambda:Invoke", 1),
        ("LambdaFunction", PRIMARY, "lambda:TagResource", 2),
    ],
    "Replicate": [
        ("SQLServer", PRIMARY, "rds:StartDBInstanceAutomatedBackupsReplication", 1),  # called where the backups go
        ("ElastiCache", PRIMARY, "elasticache:CreateReplicationGroup", 1),  # a member joined in the peer region
        ("DRS", SECONDARY, "drs:ReverseReplication", 3),  # from each recovery instance
        ("LambdaFunction", SECONDARY, "lambda:Invoke", 1),
        ("LambdaFunction", SECONDARY, "lambda:TagResource", 2),
    ],
}

# Drill: every phase acts in the standby (us-west-2); the serving region (us-east-1) is read only.
# Only the resources a drill executes call anything (drill_action), and each records what it
# changes on the resource itself before changing it, and removes the record when it undoes it.
DRILL = {
    "Instantiate": [
        ("AuroraMySQL", SECONDARY, "rds:CreateDBInstance", 1),  # tagged as the drill's in the request
        ("OpenSearchService", SECONDARY, "es:AddTags", 1),  # the sizes before the drill
        ("OpenSearchService", SECONDARY, "es:UpdateDomainConfig", 1),
        ("EcsService", SECONDARY, "ecs:TagResource", 2),  # each service's desired count (api: and its min/max)
        ("EcsService", SECONDARY, "application-autoscaling:RegisterScalableTarget", 1),
        ("EcsService", SECONDARY, "ecs:UpdateService", 2),
        ("AutoScaling", SECONDARY, "autoscaling:CreateOrUpdateTags", 1),  # the group's min/desired/max
        ("AutoScaling", SECONDARY, "autoscaling:UpdateAutoScalingGroup", 1),
        ("EC2", SECONDARY, "ec2:CreateTags", 1),  # each host it starts
        ("EC2", SECONDARY, "ec2:StartInstances", 1),
    ],
    "Activate": [
        # AuroraMySQL (switchover), R53Record, EventBridge, LambdaFunction, ElastiCache, MemoryDB and
        # SQLServer only validate; EventArchive is skipped; the hosts already run.
        ("DRS", SECONDARY, "drs:UpdateLaunchConfiguration", 3),
        ("DRS", SECONDARY, "ec2:CreateLaunchTemplateVersion", 3),
        ("DRS", SECONDARY, "ec2:ModifyLaunchTemplate", 3),
        ("DRS", SECONDARY, "drs:StartRecovery", 1),  # isDrill
    ],
    "Cleanup": [
        ("AuroraMySQL", SECONDARY, "rds:DeleteDBInstance", 1),  # the reader the drill created
        ("OpenSearchService", SECONDARY, "es:UpdateDomainConfig", 1),  # back to the recorded sizes
        ("OpenSearchService", SECONDARY, "es:RemoveTags", 1),
        ("EcsService", SECONDARY, "application-autoscaling:RegisterScalableTarget", 1),  # api's recorded min/max
        ("EcsService", SECONDARY, "ecs:UpdateService", 2),  # back to 0
        ("EcsService", SECONDARY, "ecs:UntagResource", 2),
        ("AutoScaling", SECONDARY, "autoscaling:UpdateAutoScalingGroup", 1),
        ("AutoScaling", SECONDARY, "autoscaling:DeleteTags", 1),
        ("EC2", SECONDARY, "ec2:StopInstances", 1),  # exactly the hosts the drill started
        ("EC2", SECONDARY, "ec2:DeleteTags", 1),
        ("DRS", SECONDARY, "drs:TerminateRecoveryInstances", 1),  # the drill's three instances, one request
    ],
    "Replicate": [],  # validates only
}


def expected_calls(calls):
    """{region: {"service:Operation": n}} of a phase's (module, region, operation, n) list."""
    by_region = {}
    for _, region, operation, count in calls:
        by_region.setdefault(region, {})
        by_region[region][operation] = by_region[region].get(operation, 0) + count
    return by_region


# ---- fixtures -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def emulator(tmp_path_factory):
    with own_emulator(tmp_path_factory, "all-modules-emulator") as record:
        yield record["endpoint"]


@pytest.fixture
def seeded(emulator):
    """The emulator reset and seeded afresh (no delays while seeding, DELAY_SECONDS after), its
    counts reset so they count only what drctl does."""
    control(emulator, "POST", "reset", {})
    control(emulator, "POST", "config", {section: {key: 0 for key in keys} for section, keys in DELAYS.items()})
    application = seed_application(emulator, account=ACCOUNT, prefix=PREFIX)
    services = seed_services(emulator, account=ACCOUNT, prefix=PREFIX)
    control(emulator, "POST", "config", {section: {key: DELAY_SECONDS for key in keys} for section, keys in DELAYS.items()})
    control(emulator, "POST", "stats/reset", {})
    return {"endpoint": emulator, "application": application, "services": services}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The DRPlan `drctl convert enterprise` makes of the fixtures: (path, plan as JSON, warnings)."""
    products = [a for p in PRODUCTS for a in ("--product", p)]
    result = drctl("convert", "enterprise", *products, "--primary", PRIMARY, "--secondary", SECONDARY, "--namespace", "dr")
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("converted") / "all-modules.yaml"
    path.write_text(result.stdout)
    as_json = drctl("convert", "enterprise", *products, "--primary", PRIMARY, "--secondary", SECONDARY, "-o", "json")
    assert as_json.returncode == 0, as_json.stderr
    return path, json.loads(as_json.stdout), result.stderr


def manifest_modules():
    """The modules the application manifests name (`action`), read straight from the files."""
    modules = set()
    for product in PRODUCTS:
        for step in json.loads(product.read_text())["product"]:
            for app in step["apps"]:
                for path in app["service_order_files"]:
                    modules |= {r["action"] for layer in json.loads((FIXTURES / path).read_text()) for r in layer["resources"]}
    return modules


# ---- running ------------------------------------------------------------------------------------

def run_phase(plan, state, mode, phase, endpoint, locks):
    """One `drctl run`; asserts it succeeded and refused no module; returns (outcome JSON, the
    mutating calls it made per region, seconds)."""
    before = emulator_stats(endpoint)
    started = time.monotonic()
    result = drctl("run", "-f", plan, "--phase", phase, "--mode", mode, "--yes", "--state-dir", state,
                   "--poll-interval", "1s", "--plain", "--log-format", "text", "-o", "json",
                   env=aws_env(endpoint, locks), timeout=RUN_DEADLINE)
    seconds = time.monotonic() - started
    assert "not available in this build" not in result.stdout + result.stderr
    assert result.returncode == 0, f"{mode} {phase} exited {result.returncode}:\n{result.stdout}\n{result.stderr[-6000:]}"
    outcome = json.loads(result.stdout)
    assert (outcome["result"], outcome["phase"], outcome["mode"]) == ("Succeeded", phase, mode), outcome
    assert re.fullmatch(rf"all-modules-{phase.lower()}-\S+", outcome["execution"]), outcome["execution"]
    return outcome, mutating_since(endpoint, before), seconds


def mutating_since(endpoint, before):
    """{region: {"service:Operation": n}} of the calls that change something (by the operation's
    name, as demo_env judges it: not Describe/List/Get/…, not AssumeRole) made since `before`;
    every call the emulator counted is in some signing region."""
    def changed(now, old):
        return {key: n - old.get(key, 0) for key, n in demo_env.mutating_calls(now).items() if n != old.get(key, 0)}
    after = emulator_stats(endpoint)
    by_region = {region: calls for region, now in after["byRegion"].items()
                 if (calls := changed(now, before["byRegion"].get(region, {})))}
    summed = {}
    for calls in by_region.values():
        for key, n in calls.items():
            summed[key] = summed.get(key, 0) + n
    assert summed == changed(after["calls"], before["calls"])
    return by_region


def resource_states(outcome):
    return {r["name"]: (r["module"], r["state"], r.get("message", "")) for layer in outcome["layers"] for r in layer["resources"]}


def assert_resources_ended_as_the_engine_says(outcome, mode, phase):
    """Recovery: a resource whose module runs in the phase Succeeded, the others Skipped. Drill: by
    the drill action — Execute ran the module, Validate only its preflight, Skip skipped."""
    states = resource_states(outcome)
    assert sorted(module for module, _, _ in states.values()) == sorted(MODULE_PHASES)
    for name, (module, state, message) in states.items():
        if phase not in MODULE_PHASES[module]:
            assert (state, message) == ("Skipped", f"does not run in phase {phase}"), (name, state, message)
            continue
        action = drill_action(module, phase) if mode == "Drill" else EXECUTE
        if action == SKIP:
            assert (state, message) == ("Skipped", "drill: Skip"), (name, state, message)
        else:
            assert state == "Succeeded", (name, state, message)
            assert message.startswith("preflight passed") == (action == VALIDATE), (name, action, message)


def modules_that_called(calls):
    return {module for module, _, _, _ in calls}


# ---- the tests ----------------------------------------------------------------------------------

def test_the_manifests_name_all_13_modules_and_convert_to_one_resource_per_module(converted):
    path, plan, warnings = converted
    assert manifest_modules() == set(MODULE_PHASES)
    # Each resource runs with the same parameters at the same layer position in every phase that
    # has it, so it is one resource for all its phases (phases omitted: all its module supports).
    layers = [[(r["name"], r["module"], r.get("phases")) for r in layer["resources"]] for layer in plan["spec"]["layers"]]
    assert layers == [
        [("payments-db", "AuroraMySQL", None), ("payments-search", "OpenSearchService", None),
         ("ledger-db", "SQLServer", None), ("sessions-cache", "ElastiCache", None), ("profiles-db", "MemoryDB", None)],
        [("payments-services", "EcsService", None), ("payments-batch", "AutoScaling", None),
         ("standby-hosts", "EC2", None), ("legacy-servers", "DRS", None)],
        [("dr-hook", "LambdaFunction", None), ("payments-dns", "R53Record", None), ("payments-rules", "EventBridge", None),
         ("payments-events-replay", "EventArchive", None)]]
    assert plan["spec"]["accounts"] == {"default": ACCOUNT}
    resources = {r["name"]: r["parameters"] for layer in plan["spec"]["layers"] for r in layer["resources"]}
    assert resources["sessions-cache"]["GlobalReplicationGroupId"] == "ldgnf-all-payments-sessions"
    assert resources["sessions-cache"]["ReplicationGroupId"] == "all-payments-sessions"
    assert resources["legacy-servers"]["JobTags"] == {"Purpose": "dr", "Product": "all-modules"}
    assert resources["payments-batch"]["AutoScalingGroupNames"] == ["all-payments-batch"]
    assert resources["standby-hosts"] == {"HostNames": ["all-bastion-1", "all-reporting-1"]}
    for spelling in ('renamed "GlobalClusterIdentifier" to "GlobalReplicationGroupId"',
                     'renamed "DBClusterIdentifier" to "ReplicationGroupId"', 'renamed "Tags" to "JobTags"',
                     'renamed "Aias" to "Alias"', 'renamed "Autoscalinggroupnames" to "AutoScalingGroupNames"'):
        assert spelling in warnings, warnings
    result = drctl("validate", "-f", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DRPlan dr/all-modules is valid" in result.stdout


def test_a_recovery_runs_every_module_and_makes_each_call_once(seeded, converted, tmp_path):
    plan, _, _ = converted
    endpoint = seeded["endpoint"]
    state, locks = tmp_path / "state", tmp_path / "locks"
    assert set().union(*(modules_that_called(RECOVERY[p]) for p in PHASES)) == set(MODULE_PHASES)  # all 13 act
    durations = {}
    for phase in PHASES:
        outcome, calls, durations[phase] = run_phase(plan, state, "Recovery", phase, endpoint, locks)
        assert outcome["actingRegion"] == (PRIMARY if phase == "Cleanup" else SECONDARY)
        assert_resources_ended_as_the_engine_says(outcome, "Recovery", phase)
        assert calls == expected_calls(RECOVERY[phase]), f"{phase}: {calls}"
    recovered(seeded)
    assert all(seconds < RUN_DEADLINE for seconds in durations.values()), durations


def recovered(seeded):
    """What a recovery leaves, read with boto3: us-west-2 serves and replicates back to us-east-1."""
    endpoint, s = seeded["endpoint"], seeded["services"]
    aws = Account(endpoint, ACCOUNT)
    east, west = PRIMARY, SECONDARY
    observed = demo_env.observe(endpoint, ACCOUNT, PREFIX)
    assert observed["aurora"]["writerRegion"] == west
    rds = {r: aws.client("rds", r) for r in (east, west)}
    assert rds[west].describe_db_instances(DBInstanceIdentifier=s["ledgerTarget"])["DBInstances"][0]["DBInstanceStatus"] == "available"
    assert s["ledgerSource"] not in {i["DBInstanceIdentifier"] for i in rds[east].describe_db_instances()["DBInstances"]}
    memorydb = aws.client("memorydb", west).describe_clusters(ClusterName=s["memoryDBCluster"])["Clusters"][0]
    assert memorydb["Status"] == "available"
    endpoint_value = aws.client("ssm", west).get_parameter(Name=s["memoryDBEndpointKey"])["Parameter"]["Value"]
    assert endpoint_value == f"{memorydb['ClusterEndpoint']['Address']}:{memorydb['ClusterEndpoint']['Port']}"
    assert json.loads(aws.client("ssm", east).get_parameter(Name=s["memoryDBConfigKey"])["Parameter"]["Value"])["NodeType"] == "db.r6g.large"
    datastore = aws.client("elasticache", west).describe_global_replication_groups(
        GlobalReplicationGroupId=s["globalDatastore"], ShowMemberInfo=True)["GlobalReplicationGroups"][0]
    assert sorted((m["ReplicationGroupRegion"], m["Role"]) for m in datastore["Members"]) == [(east, "SECONDARY"), (west, "PRIMARY")]
    rules = {(region, rule): aws.client("events", region).describe_rule(Name=rule, EventBusName=bus)["State"]
             for region in (east, west) for rule, bus in s["rules"]}
    assert rules == {(region, rule): ("ENABLED" if region == west else "DISABLED") for region in (east, west) for rule, _ in s["rules"]}
    sizes = {region: aws.client("opensearch", region).describe_domain(DomainName=s["searchDomain"])["DomainStatus"]["ClusterConfig"]
             for region in (east, west)}
    assert (sizes[west]["InstanceType"], sizes[west]["InstanceCount"]) == ("r6g.xlarge.search", 4)
    assert (sizes[east]["InstanceType"], sizes[east]["InstanceCount"]) == ("t3.small.search", 1)
    invocations = control(endpoint, "GET", f"lambda/invocations?FunctionName={s['function']}")["invocations"]
    assert [i["region"] for i in invocations] == [west, west, east, west]  # Instantiate, Activate, Cleanup, Replicate
    recoveries = [r for r in observed["drs"]["recoveryInstances"] if r["region"] == west]
    assert len(recoveries) == 3 and not any(r["isDrill"] for r in recoveries)
    assert len(observed["drs"]["reversedReplication"]) == 3  # source servers in us-east-1, replicating back
    assert [r["region"] for r in observed["route53"]["api"]] == [west]  # the alias on the us-west-2 load balancer
    assert observed["route53"]["status"][0]["values"] == [f"status-west.{PREFIX}payments.example.com"]


def test_a_drill_runs_every_module_without_touching_the_serving_region(seeded, converted, tmp_path):
    plan, _, _ = converted
    endpoint = seeded["endpoint"]
    state, locks = tmp_path / "state", tmp_path / "locks"
    standby_before = standby(seeded)
    executed = {module for module in MODULE_PHASES for phase in PHASES
                if phase in MODULE_PHASES[module] and drill_action(module, phase) == EXECUTE}
    assert set().union(*(modules_that_called(DRILL[p]) for p in PHASES)) == executed
    for phase in PHASES:
        outcome, calls, _ = run_phase(plan, state, "Drill", phase, endpoint, locks)
        assert outcome["actingRegion"] == SECONDARY
        assert_resources_ended_as_the_engine_says(outcome, "Drill", phase)
        assert PRIMARY not in calls, f"a drill wrote to the serving region in {phase}: {calls[PRIMARY]}"
        assert calls == expected_calls(DRILL[phase]), f"{phase}: {calls}"
        if phase == "Activate":
            drilled = [r for r in demo_env.observe(endpoint, ACCOUNT, PREFIX)["drs"]["recoveryInstances"] if r["region"] == SECONDARY]
            assert len(drilled) == 3 and all(r["isDrill"] for r in drilled)
    assert standby(seeded) == standby_before  # Drill Cleanup undid what the drill did, records included


def standby(seeded):
    """What the drill changes and Cleanup undoes in us-west-2, with the tags a drill records on them."""
    endpoint, s, n = seeded["endpoint"], seeded["services"], names(PREFIX)
    aws = Account(endpoint, ACCOUNT)
    west = SECONDARY
    ecs = aws.client("ecs", west)
    services = ecs.describe_services(cluster=n["ecsCluster"], services=["api", "worker"])["services"]
    group = aws.client("autoscaling", west).describe_auto_scaling_groups(AutoScalingGroupNames=[n["asg"]])["AutoScalingGroups"][0]
    hosts = [i for r in aws.client("ec2", west).describe_instances(Filters=[
        {"Name": "tag:Orchestrator:HostName", "Values": list(n["hosts"].values())}])["Reservations"] for i in r["Instances"]]
    domain = aws.client("opensearch", west).describe_domain(DomainName=s["searchDomain"])["DomainStatus"]
    search_tags = aws.client("opensearch", west).list_tags(ARN=domain["ARN"])["TagList"]
    rds = aws.client("rds", west)
    return {
        "ecs": sorted((x["serviceName"], x["desiredCount"], sorted((t["key"], t["value"]) for t in
                                                                    ecs.list_tags_for_resource(resourceArn=x["serviceArn"]).get("tags", [])))
                      for x in services),
        "asg": (group["MinSize"], group["DesiredCapacity"], group["MaxSize"], sorted((t["Key"], t["Value"]) for t in group["Tags"])),
        "hosts": sorted((i["InstanceId"], i["State"]["Name"], sorted((t["Key"], t["Value"]) for t in i["Tags"])) for i in hosts),
        "search": (domain["ClusterConfig"]["InstanceType"], domain["ClusterConfig"]["InstanceCount"],
                   domain["EBSOptions"]["VolumeSize"], sorted((t["Key"], t["Value"]) for t in search_tags)),
        "db instances": sorted(i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]),
    }
