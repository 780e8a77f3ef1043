"""Counting what an account holds, through describe calls only, so a test can prove a second seed
made nothing; and the emulator's counts of calls that change something."""
import json
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from testenv.aws.application import REGIONS, Account
from testenv.aws.demo_env import mutating_calls

ROOT = Path(__file__).resolve().parents[2]


def inventory(endpoint, account="111111111111"):
    """{"region kind": count} of every kind of resource the seed creates, in both regions (counted
    side by side: the describe calls only read)."""
    aws = Account(endpoint, account)

    def ecs_services(region):
        ecs = aws.client("ecs", region)
        return sum(len(ecs.list_services(cluster=c)["serviceArns"]) for c in ecs.list_clusters()["clusterArns"])

    def instances(region):
        reservations = aws.client("ec2", region).describe_instances()["Reservations"]
        return sum(1 for r in reservations for i in r["Instances"] if i["State"]["Name"] != "terminated")

    def records():
        route53 = aws.client("route53", "us-east-1")
        return sum(len(route53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"])
                   for z in route53.list_hosted_zones()["HostedZones"])

    def count(service, operation, key, **kwargs):
        return lambda region: len(getattr(aws.client(service, region), operation)(**kwargs)[key])

    regional = {
        "vpcs": count("ec2", "describe_vpcs", "Vpcs"),
        "subnets": count("ec2", "describe_subnets", "Subnets"),
        "security groups": count("ec2", "describe_security_groups", "SecurityGroups"),
        "instances": instances,
        "launch templates": count("ec2", "describe_launch_templates", "LaunchTemplates"),
        "auto scaling groups": count("autoscaling", "describe_auto_scaling_groups", "AutoScalingGroups"),
        "ecs clusters": count("ecs", "list_clusters", "clusterArns"),
        "ecs services": ecs_services,
        "task definitions": count("ecs", "list_task_definitions", "taskDefinitionArns"),
        "scalable targets": count("application-autoscaling", "describe_scalable_targets", "ScalableTargets",
                                  ServiceNamespace="ecs"),
        "load balancers": count("elbv2", "describe_load_balancers", "LoadBalancers"),
        "db clusters": count("rds", "describe_db_clusters", "DBClusters"),
        "db instances": count("rds", "describe_db_instances", "DBInstances"),
        "db subnet groups": count("rds", "describe_db_subnet_groups", "DBSubnetGroups"),
        "parameters": count("ssm", "describe_parameters", "Parameters", MaxResults=50),
        "stacks": count("cloudformation", "describe_stacks", "Stacks"),
        "exports": count("cloudformation", "list_exports", "Exports"),
        "drs source servers": count("drs", "describe_source_servers", "items", filters={}),
    }
    jobs = {f"{region} {kind}": (lambda f=f, region=region: f(region))
            for region in REGIONS for kind, f in regional.items()}
    jobs["hosted zones"] = lambda: count("route53", "list_hosted_zones", "HostedZones")("us-east-1")
    jobs["record sets"] = records
    jobs["global clusters"] = lambda: count("rds", "describe_global_clusters", "GlobalClusters")("us-east-1")
    with ThreadPoolExecutor(8) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def stats(endpoint):
    with urllib.request.urlopen(f"{endpoint}/__emulator__/stats", timeout=10) as response:
        return mutating_calls(json.loads(response.read()))


def calls_since(endpoint, before):
    """The mutating calls made since `before` (a `stats` snapshot): {"service:Operation": n}."""
    after = stats(endpoint)
    return {key: count - before.get(key, 0) for key, count in after.items() if count != before.get(key, 0)}


def run_module(module, *args, timeout=120):
    """`python3 -m module args` from the repository root; returns the CompletedProcess (text)."""
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
