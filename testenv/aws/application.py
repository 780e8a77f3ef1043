"""Seeds a realistic two-region application ("payments") into the AWS emulator.

    python3 -m testenv.aws.application --endpoint http://127.0.0.1:PORT [--account 111111111111] \
        [--prefix t1-] [--skip-drs]

or, from Python, `seed_application(endpoint, account="111111111111", prefix="")`. Prints (returns)
the summary: the names and ids of everything seeded, for the demo and the tests.

Primary region us-east-1, recovery region us-west-2, one account reached through sts:AssumeRole of
arn:aws:iam::<account>:role/lifeboat-seed (moto maps the temporary keys to that account). The
optional prefix goes in front of every name that is unique in an account or region (VPC, subnet and
security group names, the global and member DB clusters, the DB instance, the ECS cluster and task
families, the launch template and ASG, host names, load balancers, the hosted zone, SSM paths,
the stack and its exports, DRS host names and their App tag values), so parallel tests can seed
isolated copies in one emulator. ECS service names (api, worker) live inside the prefixed cluster
and are not prefixed.

Idempotent, and safe to run again after a drill or failover changed the state: every resource is
looked up by name or tag first and only created when missing, and nothing that exists is ever
modified (a second run must not undo a failover). Once a run completes it leaves a marker
parameter (/<prefix>payments/seed/complete in us-east-1); later runs only look things up, so a DB
instance or record that a recovery deleted on purpose is reported missing (null) instead of being
made again. A run that was interrupted before the marker completes what is missing.

DRS has no moto backend: source servers are seeded through the emulator's control endpoint
(POST /__emulator__/drs/source-servers). --skip-drs leaves them out (plain moto, development only).
"""
import argparse
import json
import sys
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

PRIMARY = "us-east-1"
SECONDARY = "us-west-2"
REGIONS = (PRIMARY, SECONDARY)
DEFAULT_ACCOUNT = "111111111111"
ROLE = "lifeboat-seed"
CIDRS = {PRIMARY: "10.10", SECONDARY: "10.20"}
DB_INSTANCE_CLASS = "db.r6g.large"
AMI_NAME = "amzn2-ami-hvm-2.0.20180810-x86_64-gp2"
AMI_FALLBACK = "ami-04681a1dbd79675a5"  # moto's copy of that image, in every region
HOSTS = ("bastion-1", "reporting-1")
HOST_TAG = "Orchestrator:HostName"
# ECS: (desired east, desired west, scalable-target min east, min west, max)
SERVICES = {"api": (2, 0, 2, 0, 10), "worker": (1, 0, 1, 0, 10)}
ASG_SIZES = {PRIMARY: (2, 2, 4), SECONDARY: (0, 0, 4)}  # min, desired, max
# DRS source servers: host name, App tag ({p} is the prefix; " Payments " shows trimmed, case-insensitive
# matching), Tier tag. other-app-1 belongs to another application and must never be selected.
DRS_SERVERS = (("legacy-app-1", "{p}payments", "legacy"), ("legacy-app-2", "{p}payments", "legacy"),
               ("legacy-db-1", " {p}Payments ", "legacy"), ("other-app-1", "{p}billing", "legacy"))


def names(prefix=""):
    """Every name the seed uses, with the prefix; the demo and `demo_env state` use it too."""
    p = prefix
    zone = f"{p}payments.example.com."
    return {
        "vpc": {r: f"{p}payments-{r}" for r in REGIONS},
        "subnets": {r: [f"{p}payments-{r}-a", f"{p}payments-{r}-b"] for r in REGIONS},
        "securityGroup": {r: f"{p}payments-{r}" for r in REGIONS},
        "dbSubnetGroup": f"{p}payments-db",
        "globalCluster": f"{p}payments-global",
        "dbCluster": f"{p}payments-db",
        "dbInstance": f"{p}payments-db-1",
        "ecsCluster": f"{p}payments",
        "taskFamilies": {s: f"{p}payments-{s}" for s in SERVICES},
        "launchTemplate": f"{p}payments-batch",
        "asg": f"{p}payments-batch",
        "hosts": {h: f"{p}{h}" for h in HOSTS},
        "loadBalancer": {PRIMARY: f"{p}payments-east", SECONDARY: f"{p}payments-west"},
        "zone": zone,
        "apiRecord": f"api.{zone}",
        "statusRecord": f"status.{zone}",
        "statusTarget": f"status-east.{zone[:-1]}",
        "ssm": {"hostedZoneId": f"/{p}payments/dr/hosted-zone-id",
                "dbInstanceClass": f"/{p}payments/dr/db-instance-class",
                "recoverySubnetId": f"/{p}payments/dr/recovery-subnet-id",
                "recoverySecurityGroupId": f"/{p}payments/dr/recovery-sg-id"},
        "marker": f"/{p}payments/seed/complete",
        "stack": f"{p}payments-recovery",
        "exports": {"subnet": f"{p}payments-recovery-subnet", "securityGroup": f"{p}payments-recovery-sg",
                    "hostedZoneId": f"{p}payments-hosted-zone-id"},
        "drsHosts": {h: f"{p}{h}" for h, _, _ in DRS_SERVERS},
        "app": f"{p}payments",
    }


class Account:
    """boto3 clients for one account (through AssumeRole) against one endpoint."""

    def __init__(self, endpoint, account=DEFAULT_ACCOUNT, role=ROLE):
        self.endpoint = endpoint.rstrip("/")
        self.account = account
        self.config = Config(retries={"max_attempts": 1}, connect_timeout=10, read_timeout=60)
        sts = boto3.client("sts", endpoint_url=self.endpoint, region_name=PRIMARY, config=self.config,
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{role}",
                                RoleSessionName="lifeboat-seed")["Credentials"]
        self.credentials = {"aws_access_key_id": creds["AccessKeyId"],
                            "aws_secret_access_key": creds["SecretAccessKey"],
                            "aws_session_token": creds["SessionToken"]}
        self._session = boto3.session.Session()
        self._clients = {}
        self._lock = threading.Lock()  # clients are thread-safe once made; making them is not

    def client(self, service, region):
        key = (service, region)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._session.client(service, endpoint_url=self.endpoint, region_name=region,
                                                          config=self.config, **self.credentials)
            return self._clients[key]


def error_code(error):
    return error.response.get("Error", {}).get("Code", "")


def tags(name, **extra):
    return [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in extra.items()]


def tag_spec(kind, name):
    return [{"ResourceType": kind, "Tags": tags(name)}]


class Seeder:
    def __init__(self, account, prefix="", create=True):
        self.aws = account
        self.n = names(prefix)
        self.prefix = prefix
        self.create = create
        self.created = []  # what this run made, for the log on stderr
        self.images = {}

    def made(self, what):
        self.created.append(what)

    # ---- network -------------------------------------------------------------------------------
    def network(self, region):
        ec2 = self.aws.client("ec2", region)
        name = self.n["vpc"][region]
        vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [name]}])["Vpcs"]
        if vpcs:
            vpc_id = vpcs[0]["VpcId"]
        elif self.create:
            vpc_id = ec2.create_vpc(CidrBlock=f"{CIDRS[region]}.0.0/16",
                                    TagSpecifications=tag_spec("vpc", name))["Vpc"]["VpcId"]
            self.made(f"{region} vpc {vpc_id}")
        else:
            return {"vpcId": None, "subnetIds": [], "securityGroupId": None}
        subnet_ids = []
        for index, (subnet_name, zone) in enumerate(zip(self.n["subnets"][region], "ab")):
            found = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                  {"Name": "tag:Name", "Values": [subnet_name]}])["Subnets"]
            if found:
                subnet_ids.append(found[0]["SubnetId"])
            elif self.create:
                subnet = ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"{CIDRS[region]}.{index}.0/24",
                                           AvailabilityZone=f"{region}{zone}",
                                           TagSpecifications=tag_spec("subnet", subnet_name))["Subnet"]
                subnet_ids.append(subnet["SubnetId"])
                self.made(f"{region} subnet {subnet['SubnetId']}")
        sg_name = self.n["securityGroup"][region]
        groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                                       {"Name": "group-name", "Values": [sg_name]}])["SecurityGroups"]
        if groups:
            sg_id = groups[0]["GroupId"]
        elif self.create:
            sg_id = ec2.create_security_group(GroupName=sg_name, Description="payments application",
                                              VpcId=vpc_id, TagSpecifications=tag_spec("security-group", sg_name))["GroupId"]
            self.made(f"{region} security group {sg_id}")
        else:
            sg_id = None
        return {"vpcId": vpc_id, "subnetIds": subnet_ids, "securityGroupId": sg_id}

    def image_id(self, region):
        if region not in self.images:
            images = self.aws.client("ec2", region).describe_images(
                Owners=["amazon"], Filters=[{"Name": "name", "Values": [AMI_NAME]}])["Images"]
            self.images[region] = images[0]["ImageId"] if images else AMI_FALLBACK
        return self.images[region]

    # ---- Aurora --------------------------------------------------------------------------------
    def aurora(self, net):
        n = self.n
        rds = {r: self.aws.client("rds", r) for r in REGIONS}
        for region in REGIONS:
            try:
                rds[region].describe_db_subnet_groups(DBSubnetGroupName=n["dbSubnetGroup"])
            except ClientError as error:
                if error_code(error) != "DBSubnetGroupNotFoundFault":
                    raise
                if self.create and len(net[region]["subnetIds"]) == 2:
                    rds[region].create_db_subnet_group(DBSubnetGroupName=n["dbSubnetGroup"],
                                                       DBSubnetGroupDescription="payments database",
                                                       SubnetIds=net[region]["subnetIds"])
                    self.made(f"{region} db subnet group")
        try:  # moto ignores the identifier (it lists every global cluster) and never answers NotFound
            found = rds[PRIMARY].describe_global_clusters(GlobalClusterIdentifier=n["globalCluster"])["GlobalClusters"]
        except ClientError as error:
            if error_code(error) != "GlobalClusterNotFoundFault":
                raise
            found = []
        found = [g for g in found if g["GlobalClusterIdentifier"] == n["globalCluster"]]
        global_cluster = found[0] if found else None
        if not global_cluster:
            if self.create:
                global_cluster = rds[PRIMARY].create_global_cluster(
                    GlobalClusterIdentifier=n["globalCluster"], Engine="aurora-mysql")["GlobalCluster"]
                self.made("global cluster")
        clusters = {}
        for region in REGIONS:
            clusters[region] = self.db_cluster(rds[region], region, net[region], primary=region == PRIMARY)
        # The writer's instance, made only when the primary cluster has none yet (never in lookup mode).
        for region in REGIONS:
            try:
                found = rds[region].describe_db_instances(DBInstanceIdentifier=n["dbInstance"])["DBInstances"]
            except ClientError as error:
                if error_code(error) != "DBInstanceNotFound":
                    raise
                found = []
            if not found and region == PRIMARY and self.create and clusters[region]:
                created = rds[region].create_db_instance(
                    DBInstanceIdentifier=n["dbInstance"], DBClusterIdentifier=n["dbCluster"],
                    DBInstanceClass=DB_INSTANCE_CLASS, Engine="aurora-mysql",
                    DBSubnetGroupName=n["dbSubnetGroup"], Tags=tags(n["dbInstance"]))["DBInstance"]
                self.made(f"{region} db instance {created['DBInstanceIdentifier']}")
        return {
            "globalClusterIdentifier": n["globalCluster"],
            "globalClusterArn": global_cluster["GlobalClusterArn"] if global_cluster else None,
            "clusterIdentifier": n["dbCluster"],
            "instanceIdentifier": n["dbInstance"],
            "instanceClass": DB_INSTANCE_CLASS,
            "engine": "aurora-mysql",
            "clusterArns": clusters,
        }

    def db_cluster(self, rds, region, net, primary):
        n = self.n
        try:
            return rds.describe_db_clusters(DBClusterIdentifier=n["dbCluster"])["DBClusters"][0]["DBClusterArn"]
        except ClientError as error:
            if error_code(error) != "DBClusterNotFoundFault":
                raise
        if not self.create:
            return None
        args = dict(DBClusterIdentifier=n["dbCluster"], Engine="aurora-mysql",
                    GlobalClusterIdentifier=n["globalCluster"], DBSubnetGroupName=n["dbSubnetGroup"],
                    Tags=tags(n["dbCluster"]))
        if net["securityGroupId"]:
            args["VpcSecurityGroupIds"] = [net["securityGroupId"]]
        if primary:
            args.update(MasterUsername="payments", MasterUserPassword="not-a-secret-1")
        cluster = rds.create_db_cluster(**args)["DBCluster"]
        self.made(f"{region} db cluster")
        return cluster["DBClusterArn"]

    # ---- ECS and Application Auto Scaling ------------------------------------------------------
    def ecs(self, region, net):
        n = self.n
        ecs = self.aws.client("ecs", region)
        cluster_name = n["ecsCluster"]
        found = [c for c in ecs.describe_clusters(clusters=[cluster_name])["clusters"] if c["status"] == "ACTIVE"]
        if found:
            cluster_arn = found[0]["clusterArn"]
        elif self.create:
            cluster_arn = ecs.create_cluster(clusterName=cluster_name)["cluster"]["clusterArn"]
            self.made(f"{region} ecs cluster")
        else:
            return {"cluster": cluster_name, "clusterArn": None, "services": {}, "taskDefinitions": {}}
        services, task_definitions = {}, {}
        for service, (east, west, min_east, min_west, maximum) in SERVICES.items():
            family = n["taskFamilies"][service]
            existing = ecs.list_task_definitions(familyPrefix=family, status="ACTIVE", sort="ASC")["taskDefinitionArns"]
            existing = [arn for arn in existing if arn.rsplit("/", 1)[1].rsplit(":", 1)[0] == family]
            if existing:
                task_definitions[service] = existing[0]
            elif self.create:
                task_definitions[service] = ecs.register_task_definition(
                    family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256",
                    memory="512", containerDefinitions=[{
                        "name": service, "image": f"public.ecr.aws/payments/{service}:1.4.2", "essential": True,
                        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}] if service == "api" else []}],
                )["taskDefinition"]["taskDefinitionArn"]
                self.made(f"{region} task definition {family}")
            else:
                continue
            described = ecs.describe_services(cluster=cluster_name, services=[service])["services"]
            described = [s for s in described if s.get("status") == "ACTIVE"]
            if described:
                services[service] = described[0]["serviceArn"]
            elif self.create and net["subnetIds"] and net["securityGroupId"]:
                services[service] = ecs.create_service(
                    cluster=cluster_name, serviceName=service, taskDefinition=task_definitions[service],
                    desiredCount=east if region == PRIMARY else west, launchType="FARGATE",
                    networkConfiguration={"awsvpcConfiguration": {
                        "subnets": net["subnetIds"], "securityGroups": [net["securityGroupId"]],
                        "assignPublicIp": "DISABLED"}},
                )["service"]["serviceArn"]
                self.made(f"{region} ecs service {service}")
            self.scalable_target(region, service, min_east if region == PRIMARY else min_west, maximum)
        return {"cluster": cluster_name, "clusterArn": cluster_arn, "services": services,
                "taskDefinitions": task_definitions}

    def scalable_target(self, region, service, minimum, maximum):
        aas = self.aws.client("application-autoscaling", region)
        resource = f"service/{self.n['ecsCluster']}/{service}"
        found = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource],
                                              ScalableDimension="ecs:service:DesiredCount")["ScalableTargets"]
        if not found and self.create:
            aas.register_scalable_target(ServiceNamespace="ecs", ResourceId=resource,
                                         ScalableDimension="ecs:service:DesiredCount",
                                         MinCapacity=minimum, MaxCapacity=maximum)
            self.made(f"{region} scalable target {service}")

    # ---- EC2 Auto Scaling ----------------------------------------------------------------------
    def batch(self, region, net):
        n = self.n
        ec2 = self.aws.client("ec2", region)
        try:
            template = ec2.describe_launch_templates(LaunchTemplateNames=[n["launchTemplate"]])["LaunchTemplates"][0]
        except ClientError as error:
            if not error_code(error).startswith("InvalidLaunchTemplateName"):
                raise
            template = None
            if self.create:
                data = {"ImageId": self.image_id(region), "InstanceType": "m5.large"}
                if net["securityGroupId"]:
                    data["SecurityGroupIds"] = [net["securityGroupId"]]
                template = ec2.create_launch_template(
                    LaunchTemplateName=n["launchTemplate"], LaunchTemplateData=data,
                    TagSpecifications=tag_spec("launch-template", n["launchTemplate"]))["LaunchTemplate"]
                self.made(f"{region} launch template")
        autoscaling = self.aws.client("autoscaling", region)
        groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[n["asg"]])["AutoScalingGroups"]
        if not groups and self.create and template and net["subnetIds"]:
            minimum, desired, maximum = ASG_SIZES[region]
            autoscaling.create_auto_scaling_group(
                AutoScalingGroupName=n["asg"], MinSize=minimum, DesiredCapacity=desired, MaxSize=maximum,
                LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": "$Latest"},
                VPCZoneIdentifier=",".join(net["subnetIds"]),
                Tags=[{"Key": "Name", "Value": n["asg"], "PropagateAtLaunch": True}])
            groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[n["asg"]])["AutoScalingGroups"]
            self.made(f"{region} auto scaling group")
        return {"launchTemplateName": n["launchTemplate"],
                "launchTemplateId": template["LaunchTemplateId"] if template else None,
                "autoScalingGroupName": n["asg"],
                "autoScalingGroupArn": groups[0]["AutoScalingGroupARN"] if groups else None}

    # ---- EC2 hosts -----------------------------------------------------------------------------
    def hosts(self, region, net):
        ec2 = self.aws.client("ec2", region)
        result = {}
        for host, host_name in self.n["hosts"].items():
            filters = [{"Name": f"tag:{HOST_TAG}", "Values": [host_name]},
                       {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]}]
            if net["vpcId"]:
                filters.append({"Name": "vpc-id", "Values": [net["vpcId"]]})
            found = [i for r in ec2.describe_instances(Filters=filters)["Reservations"] for i in r["Instances"]]
            if found:
                result[host] = sorted(i["InstanceId"] for i in found)[0]
                continue
            if not self.create or not net["subnetIds"]:
                result[host] = None
                continue
            instance = ec2.run_instances(
                ImageId=self.image_id(region), InstanceType="t3.medium", MinCount=1, MaxCount=1,
                SubnetId=net["subnetIds"][0],
                SecurityGroupIds=[net["securityGroupId"]] if net["securityGroupId"] else [],
                TagSpecifications=[{"ResourceType": "instance", "Tags": [
                    {"Key": "Name", "Value": host_name}, {"Key": HOST_TAG, "Value": host_name},
                    {"Key": "App", "Value": self.n["app"]}]}])["Instances"][0]
            instance_id = instance["InstanceId"]
            self.made(f"{region} instance {host_name} {instance_id}")
            if region == SECONDARY:  # standby: stopped until a recovery starts it
                ec2.stop_instances(InstanceIds=[instance_id])
            result[host] = instance_id
        return result

    # ---- ELBv2 ---------------------------------------------------------------------------------
    def load_balancer(self, region, net):
        elb = self.aws.client("elbv2", region)
        name = self.n["loadBalancer"][region]
        try:
            balancer = elb.describe_load_balancers(Names=[name])["LoadBalancers"][0]
        except ClientError as error:
            if error_code(error) != "LoadBalancerNotFound":
                raise
            balancer = None
            if self.create and len(net["subnetIds"]) == 2:
                balancer = elb.create_load_balancer(
                    Name=name, Subnets=net["subnetIds"], Type="application", Scheme="internet-facing",
                    SecurityGroups=[net["securityGroupId"]] if net["securityGroupId"] else [],
                    Tags=[{"Key": "Name", "Value": name}])["LoadBalancers"][0]
                self.made(f"{region} load balancer")
        if not balancer:
            return {"name": name, "arn": None, "dnsName": None, "canonicalHostedZoneId": None}
        return {"name": name, "arn": balancer["LoadBalancerArn"], "dnsName": balancer["DNSName"],
                "canonicalHostedZoneId": balancer["CanonicalHostedZoneId"]}

    # ---- Route 53 ------------------------------------------------------------------------------
    def dns(self, east_alb):
        n = self.n
        route53 = self.aws.client("route53", PRIMARY)
        zones = [z for z in route53.list_hosted_zones_by_name(DNSName=n["zone"])["HostedZones"] if z["Name"] == n["zone"]]
        if zones:
            zone_id = sorted(z["Id"] for z in zones)[0]
        elif self.create:
            zone_id = route53.create_hosted_zone(Name=n["zone"], CallerReference=f"lifeboat-seed-{n['zone']}",
                                                 HostedZoneConfig={"Comment": "payments", "PrivateZone": False}
                                                 )["HostedZone"]["Id"]
            self.made("hosted zone")
        else:
            return {"zoneName": n["zone"], "hostedZoneId": None, "apiRecord": n["apiRecord"],
                    "statusRecord": n["statusRecord"]}
        zone_id = zone_id.split("/")[-1]
        records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
        present = {(r["Name"], r["Type"]) for r in records}
        changes = []
        if (n["apiRecord"], "A") not in present and east_alb["dnsName"]:
            changes.append({"Action": "CREATE", "ResourceRecordSet": {
                "Name": n["apiRecord"], "Type": "A", "AliasTarget": {
                    "HostedZoneId": east_alb["canonicalHostedZoneId"], "DNSName": east_alb["dnsName"],
                    "EvaluateTargetHealth": True}}})
        if (n["statusRecord"], "CNAME") not in present:
            changes.append({"Action": "CREATE", "ResourceRecordSet": {
                "Name": n["statusRecord"], "Type": "CNAME", "TTL": 60,
                "ResourceRecords": [{"Value": n["statusTarget"]}]}})
        if changes and self.create:
            route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={
                "Comment": "lifeboat seed", "Changes": changes})
            self.made(f"{len(changes)} dns records")
        return {"zoneName": n["zone"], "hostedZoneId": zone_id, "apiRecord": n["apiRecord"],
                "statusRecord": n["statusRecord"], "statusTarget": n["statusTarget"]}

    # ---- SSM and CloudFormation ----------------------------------------------------------------
    def parameters(self, zone_id, west):
        # In both regions: a resource that runs several phases resolves its references in each
        # phase's acting region (docs/modules.md), so DR configuration lives in both.
        recovery_subnet = west["subnetIds"][0] if west["subnetIds"] else None
        values = {self.n["ssm"]["hostedZoneId"]: zone_id, self.n["ssm"]["dbInstanceClass"]: DB_INSTANCE_CLASS,
                  self.n["ssm"]["recoverySubnetId"]: recovery_subnet,
                  self.n["ssm"]["recoverySecurityGroupId"]: west["securityGroupId"]}
        for region in REGIONS:
            ssm = self.aws.client("ssm", region)
            found = {p["Name"] for p in ssm.get_parameters(Names=list(values))["Parameters"]}
            for name, value in values.items():
                if name not in found and value and self.create:
                    ssm.put_parameter(Name=name, Value=value, Type="String")
                    self.made(f"{region} parameter {name}")
        return dict(self.n["ssm"])

    def stack(self, net, zone_id):
        n = self.n
        cfn = self.aws.client("cloudformation", SECONDARY)
        try:
            stack = cfn.describe_stacks(StackName=n["stack"])["Stacks"][0]
        except ClientError as error:
            if error_code(error) != "ValidationError":
                raise
            stack = None
            if self.create and net["subnetIds"] and net["securityGroupId"]:
                template = {
                    "Description": "payments recovery network (seeded by testenv.aws.application)",
                    "Resources": {"Marker": {"Type": "AWS::SSM::Parameter", "Properties": {
                        "Type": "String", "Value": "seeded", "Name": f"/{self.prefix}payments/dr/recovery-stack"}}},
                    "Outputs": {
                        "RecoverySubnet": {"Value": net["subnetIds"][0], "Export": {"Name": n["exports"]["subnet"]}},
                        "RecoverySecurityGroup": {"Value": net["securityGroupId"],
                                                  "Export": {"Name": n["exports"]["securityGroup"]}},
                        "HostedZoneId": {"Value": zone_id, "Export": {"Name": n["exports"]["hostedZoneId"]}}}}
                cfn.create_stack(StackName=n["stack"], TemplateBody=json.dumps(template))
                stack = cfn.describe_stacks(StackName=n["stack"])["Stacks"][0]
                self.made("stack")
        return {"region": SECONDARY, "stackName": n["stack"], "stackId": stack["StackId"] if stack else None,
                "exports": {n["exports"]["subnet"]: net["subnetIds"][0] if net["subnetIds"] else None,
                            n["exports"]["securityGroup"]: net["securityGroupId"],
                            n["exports"]["hostedZoneId"]: zone_id}}

    # ---- DRS -----------------------------------------------------------------------------------
    def drs(self, west):
        n = self.n
        drs = self.aws.client("drs", SECONDARY)
        existing = {}
        try:
            servers = describe_source_servers(drs)
        except ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 500:
                raise
            raise RuntimeError(f"{self.aws.endpoint} has no DRS (plain moto?): seed through testenv.aws.emulator, "
                               "or pass --skip-drs") from error
        for server in servers:
            hostname = server.get("sourceProperties", {}).get("identificationHints", {}).get("hostname")
            if hostname in n["drsHosts"].values() and hostname not in existing:
                existing[hostname] = server["sourceServerID"]
        missing = []
        for host, app, tier in DRS_SERVERS:
            hostname = n["drsHosts"][host]
            if hostname in existing:
                continue
            missing.append({"hostname": hostname, "tags": {"App": app.format(p=self.prefix), "Tier": tier},
                            "replicationState": "CONTINUOUS", "lagDuration": "PT2S", "sourceRegion": PRIMARY,
                            "subnetId": west["subnetIds"][0] if west["subnetIds"] else None,
                            "instanceType": "m5.large"})
        if missing and self.create:
            answer = control(self.aws.endpoint, "POST", "drs/source-servers",
                             {"account": self.aws.account, "region": SECONDARY, "servers": missing})
            for server in answer["sourceServers"]:
                existing[server["hostname"]] = server["sourceServerID"]
            self.made(f"{len(missing)} drs source servers")
        return {"region": SECONDARY, "sourceRegion": PRIMARY,
                "sourceServers": {host: existing.get(n["drsHosts"][host]) for host, _, _ in DRS_SERVERS},
                "hostnames": dict(n["drsHosts"]),
                "appTag": n["app"],
                "selectedByApp": [host for host, app, _ in DRS_SERVERS
                                  if app.format(p=self.prefix).strip().lower() == n["app"].lower()]}

    # ---- marker --------------------------------------------------------------------------------
    def complete(self):
        ssm = self.aws.client("ssm", PRIMARY)
        try:
            ssm.get_parameter(Name=self.n["marker"])
            return True
        except ClientError as error:
            if error_code(error) != "ParameterNotFound":
                raise
            return False

    def mark_complete(self):
        self.aws.client("ssm", PRIMARY).put_parameter(Name=self.n["marker"], Value="1", Type="String")

    def run(self, skip_drs=False):
        def region_part(region):  # the two regions are independent: seeded side by side
            network = self.network(region)
            return {**network, "ecs": self.ecs(region, network), "batch": self.batch(region, network),
                    "instances": self.hosts(region, network), "loadBalancer": self.load_balancer(region, network)}

        with ThreadPoolExecutor(len(REGIONS)) as pool:
            regional = dict(zip(REGIONS, pool.map(region_part, REGIONS)))
        net = {region: {k: regional[region][k] for k in ("vpcId", "subnetIds", "securityGroupId")}
               for region in REGIONS}
        aurora = self.aurora(net)
        dns = self.dns(regional[PRIMARY]["loadBalancer"])
        summary = {
            "account": self.aws.account,
            "prefix": self.prefix,
            "primaryRegion": PRIMARY,
            "secondaryRegion": SECONDARY,
            "regions": regional,
            "aurora": aurora,
            "route53": dns,
            "ssmParameters": self.parameters(dns["hostedZoneId"], net[SECONDARY]),
            "cloudFormation": self.stack(net[SECONDARY], dns["hostedZoneId"]),
            "hostTag": HOST_TAG,
            "hosts": dict(self.n["hosts"]),
            "drs": None if skip_drs else self.drs(net[SECONDARY]),
        }
        return summary


def describe_source_servers(drs):
    servers, token = [], None
    while True:
        page = drs.describe_source_servers(filters={}, **({"nextToken": token} if token else {}))
        servers += page.get("items", [])
        token = page.get("nextToken")
        if not token:
            return servers


def control(endpoint, method, path, body=None, timeout=30):
    """Call the emulator's control API (/__emulator__/PATH); returns the decoded JSON answer."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{endpoint.rstrip('/')}/__emulator__/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
    return json.loads(raw) if raw else {}


def seed_application(endpoint, account=DEFAULT_ACCOUNT, prefix="", skip_drs=False, log=None):
    """Seed (or find) the payments application; returns the summary (see the module docstring)."""
    aws = Account(endpoint, account)
    seeder = Seeder(aws, prefix)
    seeder.create = not seeder.complete()
    summary = seeder.run(skip_drs=skip_drs)
    if seeder.create and not skip_drs:
        seeder.mark_complete()
    if log:
        log(("created: " + "; ".join(seeder.created)) if seeder.created else "nothing created (already seeded)")
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--account", default=DEFAULT_ACCOUNT)
    parser.add_argument("--prefix", default="")
    parser.add_argument("--skip-drs", action="store_true", help="plain moto without the emulator (development)")
    args = parser.parse_args()
    summary = seed_application(args.endpoint, args.account, args.prefix, skip_drs=args.skip_drs,
                               log=lambda line: print(line, file=sys.stderr))
    print(json.dumps(summary, indent=2, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
