"""States moto never reaches, set through /__emulator__/states/…: a DB instance's status, an ECS
rollout that failed, a failed scaling activity (DescribeScalingActivities checked against botocore)."""
import pytest

from emulator_harness import response_problems

ACCOUNT = "111111111111"


def test_a_db_instance_takes_the_status_a_test_sets(emu):
    rds = emu.client("rds", region="us-west-2", account=ACCOUNT)
    rds.create_db_cluster(DBClusterIdentifier="orders", Engine="aurora-mysql", MasterUsername="admin", MasterUserPassword="password-1")
    rds.create_db_instance(DBInstanceIdentifier="orders-1", DBClusterIdentifier="orders", Engine="aurora-mysql",
                           DBInstanceClass="db.r6g.large")
    answer = emu.control("POST", "/__emulator__/states/rds-instance",
                         {"account": ACCOUNT, "region": "us-west-2", "DBInstanceIdentifier": "orders-1", "status": "storage-full"})
    assert answer == {"DBInstanceIdentifier": "orders-1", "status": "storage-full"}
    assert rds.describe_db_instances(DBInstanceIdentifier="orders-1")["DBInstances"][0]["DBInstanceStatus"] == "storage-full"


def test_an_ecs_rollout_shows_failed(emu):
    ec2 = emu.client("ec2", region="us-east-1", account=ACCOUNT)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ecs = emu.client("ecs", region="us-east-1", account=ACCOUNT)
    ecs.create_cluster(clusterName="shop")
    ecs.register_task_definition(family="web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512",
                                 containerDefinitions=[{"name": "web", "image": "nginx", "essential": True}])
    ecs.create_service(cluster="shop", serviceName="web", taskDefinition="web", desiredCount=1, launchType="FARGATE",
                       networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}})
    emu.control("POST", "/__emulator__/states/ecs-rollout", {"account": ACCOUNT, "region": "us-east-1", "cluster": "shop", "service": "web",
                                                             "rolloutState": "FAILED", "reason": "tasks failed to start"})
    deployment = ecs.describe_services(cluster="shop", services=["web"])["services"][0]["deployments"][0]
    assert (deployment["rolloutState"], deployment["rolloutStateReason"]) == ("FAILED", "tasks failed to start")


def test_a_failed_scaling_activity_is_listed_for_its_group_only(emu):
    autoscaling = emu.client("autoscaling", region="us-west-2", account=ACCOUNT)
    assert autoscaling.describe_scaling_activities(AutoScalingGroupName="batch")["Activities"] == []
    emu.control("POST", "/__emulator__/states/scaling-activity",
                {"account": ACCOUNT, "region": "us-west-2", "AutoScalingGroupName": "batch", "StatusCode": "Failed",
                 "StatusMessage": "We currently do not have sufficient m5.large capacity"})
    response = autoscaling.describe_scaling_activities(AutoScalingGroupName="batch")
    assert response_problems("autoscaling", "DescribeScalingActivities", response) == []
    activity = response["Activities"][0]
    assert (activity["StatusCode"], activity["StatusMessage"]) == ("Failed", "We currently do not have sufficient m5.large capacity")
    assert autoscaling.describe_scaling_activities(AutoScalingGroupName="other")["Activities"] == []
    assert emu.client("autoscaling", region="us-east-1", account=ACCOUNT).describe_scaling_activities(
        AutoScalingGroupName="batch")["Activities"] == []
    assert emu.control("POST", "/__emulator__/states/scaling-activity",
                       {"account": ACCOUNT, "region": "us-west-2", "AutoScalingGroupName": "batch", "clear": True}) == {"cleared": 1}
    assert autoscaling.describe_scaling_activities(AutoScalingGroupName="batch")["Activities"] == []


@pytest.mark.parametrize("path, body", [
    ("/__emulator__/states/rds-instance", {"DBInstanceIdentifier": "missing", "status": "failed"}),
    ("/__emulator__/states/scaling-activity", {"AutoScalingGroupName": "batch"}),
])
def test_bad_state_requests_are_400_naming_the_problem(emu, path, body):
    with pytest.raises(AssertionError, match="400"):
        emu.control("POST", path, body)
