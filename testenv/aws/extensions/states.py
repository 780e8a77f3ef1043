"""States real AWS reaches and moto never does, set by a test so a module's status check can be
seen to fail on them.

    POST /__emulator__/states/rds-instance      {"account", "region", "DBInstanceIdentifier", "status"}
        moto's own DB instance takes that status (storage-full, failed, incompatible-parameters …)
    POST /__emulator__/states/ecs-rollout       {"account", "region", "cluster", "service", "rolloutState", "reason"}
        the service's primary deployment shows that rolloutState (FAILED) and reason
    POST /__emulator__/states/scaling-activity  {"account", "region", "AutoScalingGroupName", "StatusCode",
                                                 "StatusMessage", "Description", "Cause"}
        DescribeScalingActivities for the group lists the activity, newest first (moto lists none);
        {"AutoScalingGroupName", "clear": true} forgets the group's injected activities

The account defaults to 123456789012 and the region to us-east-1. `reset()` forgets the activities
(moto's reset already forgets the rest).
"""
import threading
import uuid
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from testenv.aws.extensions.common import DEFAULT_ACCOUNT, account_of, query_xml, request_id, scope

_LOCK = threading.Lock()
_ACTIVITIES = {}   # (account, region, group) -> [activity dict], newest first


def reset():
    with _LOCK:
        _ACTIVITIES.clear()


def control(path, body):
    """Handles /states/… control routes; returns the JSON answer, or None for another path.
    Raises ValueError (a 400) for a bad request."""
    account = body.get("account") or DEFAULT_ACCOUNT
    region = body.get("region") or "us-east-1"
    if path == "/states/rds-instance":
        from moto.rds.models import rds_backends
        identifier = _required(body, "DBInstanceIdentifier")
        instance = rds_backends[account][region].databases.get(identifier)
        if instance is None:
            raise ValueError(f"no DB instance {identifier} in {account} {region}")
        instance.status = _required(body, "status")
        return {"DBInstanceIdentifier": identifier, "status": instance.status}
    if path == "/states/ecs-rollout":
        from moto.ecs.models import ecs_backends
        cluster, service = _required(body, "cluster"), _required(body, "service")
        found = ecs_backends[account][region].services.get(f"{cluster}:{service}")
        if found is None or not found.deployments:
            raise ValueError(f"no ECS service {cluster}/{service} with a deployment in {account} {region}")
        found.deployments[0]["rolloutState"] = _required(body, "rolloutState")
        found.deployments[0]["rolloutStateReason"] = body.get("reason") or "injected by the emulator"
        return {"service": service, "rolloutState": found.deployments[0]["rolloutState"]}
    if path == "/states/scaling-activity":
        group = _required(body, "AutoScalingGroupName")
        if body.get("clear"):
            with _LOCK:
                removed = _ACTIVITIES.pop((account, region, group), [])
            return {"cleared": len(removed)}
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        activity = {"ActivityId": str(uuid.uuid4()), "AutoScalingGroupName": group,
                    "Description": body.get("Description") or "Launching a new EC2 instance",
                    "Cause": body.get("Cause") or "an instance was started in response to a difference between desired and actual capacity",
                    "StartTime": now, "EndTime": now, "StatusCode": _required(body, "StatusCode"),
                    "StatusMessage": body.get("StatusMessage") or "", "Progress": 100}
        with _LOCK:
            _ACTIVITIES.setdefault((account, region, group), []).insert(0, activity)
        return activity
    return None


def handle(handler, request):
    """Answers DescribeScalingActivities for a group that has injected activities."""
    if request.operation != "DescribeScalingActivities" or scope(request.headers)[2] != "autoscaling":
        return False
    group = (request.form.get("AutoScalingGroupName") or [None])[0]
    key = (account_of(request.headers), scope(request.headers)[1], group)
    with _LOCK:
        activities = list(_ACTIVITIES.get(key, []))
    if not activities:
        return False
    members = "".join("<member>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in activity.items()) + "</member>"
                      for activity in activities)
    query_xml(handler, 200, "<DescribeScalingActivitiesResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                            f"<DescribeScalingActivitiesResult><Activities>{members}</Activities></DescribeScalingActivitiesResult>"
                            f"<ResponseMetadata><RequestId>{request_id()}</RequestId></ResponseMetadata>"
                            "</DescribeScalingActivitiesResponse>")
    return True


def _required(body, key):
    value = body.get(key)
    if not value:
        raise ValueError(f"{key} is required")
    return value
