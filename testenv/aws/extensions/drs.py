"""AWS Elastic Disaster Recovery (drs, restJson1: every operation is POST /<Operation>), stateful,
per account and region, shaped as botocore's drs model. moto has no drs backend at all.

Times come from CONFIG["drs"] and are applied lazily: advance() (run before every request the
emulator serves) performs every change that is due, so the state only depends on the configured
delays. A LAUNCH job is PENDING, STARTED after jobStartSeconds, its servers IN_PROGRESS, and after
launchSeconds more each server is LAUNCHED (a recovery instance: a real EC2 instance in moto, from
the server's launch template default version) or FAILED (injected), and the job COMPLETED.
"""
import json
import random
import string
from urllib.parse import parse_qs, unquote, urlsplit

from testenv.aws.extensions.common import (CLOCK, CONFIG, FAILURES, LOCK, account_of, moto_client, parse_iso,
                                           region_of, rest_json, rest_json_error, scope)

MAX_SERVERS_PER_JOB = 100
MAX_CONCURRENT_JOBS = 20
RECOVERABLE_STATES = {"CONTINUOUS", "BACKLOG", "RESCAN", "CREATING_SNAPSHOT", "STALLED", "PAUSED"}
DEFAULT_AMI = "ami-12c6146b"
MANAGED_TAG = ("AWSElasticDisasterRecoveryManaged", "drs.amazonaws.com")

STATE = {}       # (account, region) -> {"servers": {}, "jobs": {}, "instances": {}, "initialized": bool}


def _ident(prefix, length=17, alphabet="0123456789abcdef"):
    return prefix + "".join(random.choice(alphabet) for _ in range(length))


def _area(account, region):
    return STATE.setdefault((account, region), {"key": (account, region), "servers": {}, "jobs": {}, "instances": {},
                                                "initialized": False})


def reset():
    with LOCK:
        STATE.clear()


class DRSError(Exception):
    def __init__(self, status, error_type, message, **fields):
        super().__init__(message)
        self.status, self.error_type, self.message, self.fields = status, error_type, message, fields


def not_found(kind, ident):
    return DRSError(404, "ResourceNotFoundException", f"{kind} {ident} not found", code="NOT_FOUND",
                    resourceId=ident, resourceType=kind)


def conflict(message, ident=None, kind=None):
    return DRSError(409, "ConflictException", message, code="CONFLICT", resourceId=ident, resourceType=kind)


def validation(message, reason="fieldValidationFailed", field=None):
    extra = {"fieldList": [{"name": field, "message": message}]} if field else {}
    return DRSError(400, "ValidationException", message, code="VALIDATION", reason=reason, **extra)


def quota(message):
    return DRSError(402, "ServiceQuotaExceededException", message, code="SERVICE_QUOTA_EXCEEDED", serviceCode="drs")


# --- seeding (no API in real DRS: agents register servers) ---------------------------------------

def seed(account, region, servers):
    out = []
    with LOCK:
        area = _area(account, region)
        area["initialized"] = True
        for spec in servers:
            server = _new_server(account, region, spec)
            area["servers"][server["id"]] = server
            out.append({"sourceServerID": server["id"], "arn": server["arn"], "hostname": server["hostname"],
                        "launchTemplateId": server["launchTemplateId"]})
    return out


def _new_server(account, region, spec, now=None):
    now = CLOCK.now() if now is None else now
    server_id = _ident("s-")
    hostname = spec.get("hostname") or server_id
    template_data = {"InstanceType": spec.get("instanceType") or "t3.small"}
    if spec.get("imageId"):
        template_data["ImageId"] = spec["imageId"]
    if spec.get("subnetId"):
        interface = {"DeviceIndex": 0, "SubnetId": spec["subnetId"]}
        if spec.get("privateIp"):
            interface["PrivateIpAddress"] = spec["privateIp"]
        template_data["NetworkInterfaces"] = [interface]
    ec2 = moto_client("ec2", account, region)
    template = ec2.create_launch_template(
        LaunchTemplateName=f"drs-launch-template-{server_id}", LaunchTemplateData=template_data,
        TagSpecifications=[{"ResourceType": "launch-template", "Tags": [
            {"Key": MANAGED_TAG[0], "Value": MANAGED_TAG[1]},
            {"Key": "AWSElasticDisasterRecoverySourceServerID", "Value": server_id}]}])["LaunchTemplate"]
    state = spec.get("replicationState", "CONTINUOUS")
    return {
        "id": server_id, "arn": f"arn:aws:drs:{region}:{account}:source-server/{server_id}",
        "account": account, "region": region, "hostname": hostname, "tags": dict(spec.get("tags") or {}),
        "timeline": [(now, state)], "lagDuration": spec.get("lagDuration", "PT2S"),
        "sourceRegion": spec.get("sourceRegion"), "sourceInstanceId": spec.get("sourceInstanceId"),
        "privateIp": spec.get("privateIp"), "instanceType": template_data["InstanceType"],
        "launchTemplateId": template["LaunchTemplateId"], "addedAt": now,
        "launchConfiguration": {"name": hostname, "launchDisposition": "STARTED", "targetInstanceTypeRightSizingMethod": "BASIC",
                                "copyPrivateIp": False, "copyTags": True, "licensing": {"osByol": False},
                                "postLaunchEnabled": False},
        "recoveryInstanceId": None, "lastLaunch": None, "lastLaunchResult": "NOT_STARTED",
        "replicationDirection": spec.get("replicationDirection", "FAILOVER"), "reversedDirectionSourceServerArn": None,
    }


def _replication_state(server, now):
    state = server["timeline"][0][1]
    for at, value in server["timeline"]:
        if at <= now:
            state = value
    return state


def _set_replication(server, now, *steps):
    """Replace the future of the server's replication timeline with (delay, state) steps from now."""
    server["timeline"] = [(at, s) for at, s in server["timeline"] if at <= now] + [(now + d, s) for d, s in steps]


# --- the lifecycle ------------------------------------------------------------------------------

def _job_times(job):
    start = job["createdAt"] + job["startDelay"]
    return start, start + job["runDelay"]


def advance(now=None):
    """Apply every change that is due at `now` (jobs ending, with their EC2 side effects)."""
    now = CLOCK.now() if now is None else now
    with LOCK:
        for area in list(STATE.values()):
            for job in sorted(area["jobs"].values(), key=lambda j: j["createdAt"]):
                if job["done"] or _job_times(job)[1] > now:
                    continue
                if job["type"] == "LAUNCH":
                    _finish_launch(area, job)
                else:
                    _finish_terminate(area, job)
                job["done"] = True
    return now


def _finish_launch(area, job):
    _, end = _job_times(job)
    for entry in job["servers"]:
        server = area["servers"].get(entry["sourceServerID"])
        if server is None:
            entry["launchStatus"] = "FAILED"
            entry["error"] = "source server no longer exists"
            continue
        if entry.get("inject"):
            entry["launchStatus"] = "FAILED"
            entry["error"] = "launch failed (injected by the emulator)"
        else:
            try:
                instance = _launch_instance(area, job, server, end)
                entry["launchStatus"] = "LAUNCHED"
                entry["recoveryInstanceID"] = instance["id"]
            except Exception as error:    # moto refused the RunInstances: a failed launch, as in DRS
                entry["launchStatus"] = "FAILED"
                entry["error"] = f"RunInstances failed: {error}"
        server["lastLaunchResult"] = "SUCCEEDED" if entry["launchStatus"] == "LAUNCHED" else "FAILED"
        if server["lastLaunch"] and server["lastLaunch"]["jobID"] == job["id"]:
            server["lastLaunch"]["status"] = entry["launchStatus"]


def _launch_instance(area, job, server, at):
    account, region = server["account"], server["region"]
    ec2 = moto_client("ec2", account, region)
    version = ec2.describe_launch_template_versions(LaunchTemplateId=server["launchTemplateId"],
                                                    Versions=["$Default"])["LaunchTemplateVersions"][0]
    data = version.get("LaunchTemplateData", {})
    config = server["launchConfiguration"]
    params = {"MinCount": 1, "MaxCount": 1, "ImageId": data.get("ImageId") or DEFAULT_AMI,
              "InstanceType": data.get("InstanceType") or server["instanceType"]}
    interfaces = data.get("NetworkInterfaces") or []
    if interfaces and interfaces[0].get("SubnetId"):
        params["SubnetId"] = interfaces[0]["SubnetId"]
        if interfaces[0].get("PrivateIpAddress"):
            params["PrivateIpAddress"] = interfaces[0]["PrivateIpAddress"]
    if config.get("copyPrivateIp") and server.get("privateIp") and "SubnetId" in params:
        params["PrivateIpAddress"] = server["privateIp"]
    tags = {}
    if config.get("copyTags"):
        tags.update(server["tags"])
    for spec in data.get("TagSpecifications") or []:
        if spec.get("ResourceType") == "instance":
            tags.update({t["Key"]: t["Value"] for t in spec.get("Tags", [])})
    tags.setdefault("Name", server["hostname"])
    tags[MANAGED_TAG[0]] = MANAGED_TAG[1]
    tags["AWSElasticDisasterRecoverySourceServerID"] = server["id"]
    tags["AWSElasticDisasterRecoveryJobID"] = job["id"]
    params["TagSpecifications"] = [{"ResourceType": "instance", "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]
    reservation = ec2.run_instances(**params)
    described = reservation["Instances"][0]
    instance_id = described["InstanceId"]
    if config.get("launchDisposition") == "STOPPED":
        ec2.stop_instances(InstanceIds=[instance_id])
    previous = server.get("recoveryInstanceId")
    if previous and previous in area["instances"]:    # a new launch replaces the server's last recovery instance
        _terminate_ec2(area["instances"].pop(previous))
    instance = {
        "id": instance_id, "arn": f"arn:aws:drs:{region}:{account}:recovery-instance/{instance_id}",
        "account": account, "region": region, "jobID": job["id"], "sourceServerID": server["id"],
        "isDrill": job["isDrill"], "tags": {}, "privateIp": described.get("PrivateIpAddress"),
        "instanceType": described.get("InstanceType"), "launchedAt": at, "reversed": None,
        "hostname": server["hostname"], "sourceRegion": server.get("sourceRegion"),
    }
    area["instances"][instance_id] = instance
    server["recoveryInstanceId"] = instance_id
    return instance


def _terminate_ec2(instance):
    try:
        moto_client("ec2", instance["account"], instance["region"]).terminate_instances(InstanceIds=[instance["id"]])
    except Exception:
        pass


def _finish_terminate(area, job):
    for entry in job["servers"]:
        instance = area["instances"].pop(entry.get("recoveryInstanceID"), None)
        if instance:
            _terminate_ec2(instance)
            server = area["servers"].get(instance["sourceServerID"])
            if server and server.get("recoveryInstanceId") == instance["id"]:
                server["recoveryInstanceId"] = None
        entry["launchStatus"] = "TERMINATED"


# --- views (the model's shapes) -----------------------------------------------------------------

def _job_view(job, now):
    start, end = _job_times(job)
    status = "COMPLETED" if job["done"] else "STARTED" if now >= start else "PENDING"
    view = {"jobID": job["id"], "arn": job["arn"], "type": job["type"], "initiatedBy": job["initiatedBy"],
            "creationDateTime": CLOCK.iso(job["createdAt"]), "status": status, "participatingServers": [],
            "tags": dict(job["tags"])}
    if job["done"]:
        view["endDateTime"] = CLOCK.iso(end)
    for entry in job["servers"]:
        if job["done"]:
            launch = entry["launchStatus"]
        else:
            launch = "IN_PROGRESS" if now >= start else "PENDING"
        item = {"sourceServerID": entry["sourceServerID"], "launchStatus": launch}
        if entry.get("recoveryInstanceID") and (job["type"] == "TERMINATE" or job["done"]):
            item["recoveryInstanceID"] = entry["recoveryInstanceID"]
        view["participatingServers"].append(item)
    return view


def _server_view(server, now):
    state = _replication_state(server, now)
    info = {"dataReplicationState": state, "replicatedDisks": [
        {"deviceName": "/dev/xvda", "totalStorageBytes": 8589934592,
         "replicatedStorageBytes": 8589934592 if state not in ("INITIATING", "INITIAL_SYNC") else 0,
         "rescannedStorageBytes": 0, "backloggedStorageBytes": 0}]}
    if state not in ("STOPPED", "DISCONNECTED", "INITIATING"):
        info["lagDuration"] = server["lagDuration"]
    if state in ("INITIATING",):
        info["dataReplicationInitiation"] = {"startDateTime": CLOCK.iso(server["timeline"][0][0]),
                                             "steps": [{"name": "WAIT", "status": "IN_PROGRESS"}]}
    life = {"addedToServiceDateTime": CLOCK.iso(server["addedAt"]), "lastSeenByServiceDateTime": CLOCK.iso(now)}
    if server["lastLaunch"]:
        last = server["lastLaunch"]
        life["lastLaunch"] = {"initiated": {"apiCallDateTime": last["apiCallDateTime"], "jobID": last["jobID"],
                                            "type": last["type"]},
                              "status": last["status"]}
    view = {"sourceServerID": server["id"], "arn": server["arn"], "tags": dict(server["tags"]),
            "lastLaunchResult": server["lastLaunchResult"], "dataReplicationInfo": info, "lifeCycle": life,
            "sourceProperties": {"lastUpdatedDateTime": CLOCK.iso(server["addedAt"]),
                                 "recommendedInstanceType": server["instanceType"],
                                 "identificationHints": {"hostname": server["hostname"], "fqdn": server["hostname"]},
                                 "networkInterfaces": [{"ips": [server["privateIp"]], "isPrimary": True}] if server.get("privateIp") else [],
                                 "os": {"fullString": "Linux"}},
            "stagingArea": {"status": "NOT_EXTENDED"},
            "replicationDirection": server["replicationDirection"], "agentVersion": "4.7.0"}
    if server.get("sourceInstanceId"):
        view["sourceProperties"]["identificationHints"]["awsInstanceID"] = server["sourceInstanceId"]
    if server.get("sourceRegion"):
        view["sourceCloudProperties"] = {"originAccountID": server["account"], "originRegion": server["sourceRegion"]}
    if server.get("recoveryInstanceId"):
        view["recoveryInstanceId"] = server["recoveryInstanceId"]
    if server.get("reversedDirectionSourceServerArn"):
        view["reversedDirectionSourceServerArn"] = server["reversedDirectionSourceServerArn"]
    return view


EC2_STATES = {"pending": "PENDING", "running": "RUNNING", "stopping": "STOPPING", "stopped": "STOPPED",
              "shutting-down": "SHUTTING-DOWN", "terminated": "TERMINATED"}


def _instance_views(instances, now):
    states = {}
    by_place = {}
    for instance in instances:
        by_place.setdefault((instance["account"], instance["region"]), []).append(instance["id"])
    for (account, region), ids in by_place.items():
        try:
            reservations = moto_client("ec2", account, region).describe_instances(InstanceIds=ids)["Reservations"]
            for reservation in reservations:
                for described in reservation["Instances"]:
                    states[described["InstanceId"]] = EC2_STATES.get(described["State"]["Name"], "NOT_FOUND")
        except Exception:
            pass
    views = []
    for instance in instances:
        view = {"ec2InstanceID": instance["id"], "ec2InstanceState": states.get(instance["id"], "NOT_FOUND"),
                "jobID": instance["jobID"], "recoveryInstanceID": instance["id"], "sourceServerID": instance["sourceServerID"],
                "arn": instance["arn"], "tags": dict(instance["tags"]), "isDrill": instance["isDrill"],
                "originEnvironment": "AWS" if instance.get("sourceRegion") else "ON_PREMISES",
                "pointInTimeSnapshotDateTime": CLOCK.iso(instance["launchedAt"]),
                "recoveryInstanceProperties": {
                    "lastUpdatedDateTime": CLOCK.iso(instance["launchedAt"]),
                    "identificationHints": {"hostname": instance["hostname"], "awsInstanceID": instance["id"]},
                    "networkInterfaces": [{"ips": [instance["privateIp"]], "isPrimary": True}] if instance.get("privateIp") else [],
                    "os": {"fullString": "Linux"}},
                "agentVersion": "4.7.0"}
        reversed_ = instance.get("reversed")
        if reversed_:
            server = _find_server_by_arn(reversed_["arn"])
            state = _replication_state(server, now) if server else "NOT_STARTED"
            view["failback"] = {"state": "FAILBACK_READY_FOR_LAUNCH" if state == "CONTINUOUS" else "FAILBACK_IN_PROGRESS",
                                "failbackInitiationTime": CLOCK.iso(reversed_["at"]), "failbackToOriginalServer": False,
                                "failbackLaunchType": "RECOVERY"}
            view["dataReplicationInfo"] = {"dataReplicationState": state}
        else:
            view["failback"] = {"state": "FAILBACK_NOT_STARTED"}
        views.append(view)
    return views


def _find_server_by_arn(arn):
    for area in STATE.values():
        for server in area["servers"].values():
            if server["arn"] == arn:
                return server
    return None


def _page(items, body):
    start = 0
    token = body.get("nextToken")
    if token:
        try:
            start = int(token)
        except ValueError:
            raise validation("invalid nextToken", field="nextToken")
    size = body.get("maxResults") or 1000
    if not isinstance(size, int) or size < 1:
        raise validation("maxResults must be at least 1", field="maxResults")
    page = items[start:start + size]
    out = {"items": page}
    if start + size < len(items):
        out["nextToken"] = str(start + size)
    return out


# --- operations -----------------------------------------------------------------------------------

def _server(area, server_id):
    server = area["servers"].get(server_id or "")
    if server is None:
        raise not_found("SOURCE_SERVER", server_id or "")
    return server


def _active(job, now):
    return not job["done"]


def op_describe_source_servers(area, body, now):
    filters = body.get("filters") or {}
    wanted = filters.get("sourceServerIDs")
    servers = [s for s in area["servers"].values() if not wanted or s["id"] in wanted]
    if filters.get("hardwareId"):
        servers = []
    return 200, _page([_server_view(s, now) for s in servers], body)


def op_get_launch_configuration(area, body, now):
    server = _server(area, body.get("sourceServerID"))
    return 200, _launch_config_view(server)


def _launch_config_view(server):
    return {"sourceServerID": server["id"], "ec2LaunchTemplateID": server["launchTemplateId"],
            **json.loads(json.dumps(server["launchConfiguration"]))}


def op_update_launch_configuration(area, body, now):
    server = _server(area, body.get("sourceServerID"))
    config = server["launchConfiguration"]
    for key in ("name", "launchDisposition", "targetInstanceTypeRightSizingMethod", "copyPrivateIp", "copyTags",
                "licensing", "postLaunchEnabled", "launchIntoInstanceProperties"):
        if key in body:
            config[key] = body[key]
    return 200, _launch_config_view(server)


def op_start_recovery(area, body, now):
    entries = body.get("sourceServers") or []
    if not entries:
        raise validation("sourceServers must have at least 1 item", field="sourceServers")
    if len(entries) > MAX_SERVERS_PER_JOB:
        raise quota(f"A job can include at most {MAX_SERVERS_PER_JOB} source servers; {len(entries)} were given")
    active = [j for j in area["jobs"].values() if _active(j, now)]
    if len(active) >= MAX_CONCURRENT_JOBS:
        raise quota(f"At most {MAX_CONCURRENT_JOBS} jobs can be active at once in this account and region")
    busy = {e["sourceServerID"] for j in active for e in j["servers"]}
    servers = []
    for entry in entries:
        server = _server(area, entry.get("sourceServerID"))
        if server["id"] in busy:
            raise conflict(f"Source server {server['id']} is already participating in an active job",
                           server["id"], "SOURCE_SERVER")
        state = _replication_state(server, now)
        if state not in RECOVERABLE_STATES:
            raise conflict(f"Source server {server['id']} cannot be recovered while its data replication state is {state}",
                           server["id"], "SOURCE_SERVER")
        servers.append(server)
    drill = bool(body.get("isDrill", False))
    job = _new_job(area, "LAUNCH", "START_DRILL" if drill else "START_RECOVERY", drill, body.get("tags") or {}, now,
                   CONFIG.get("drs", "launchSeconds"))
    for server in servers:
        inject = FAILURES.take("drs-launch-failed", lambda spec: spec.get("sourceServerID") == server["id"]
                               or (spec.get("hostname") and spec.get("hostname") == server["hostname"]))
        job["servers"].append({"sourceServerID": server["id"], "inject": bool(inject)})
        server["lastLaunchResult"] = "PENDING"
        server["lastLaunch"] = {"jobID": job["id"], "apiCallDateTime": CLOCK.iso(now),
                                "type": "DRILL" if drill else "RECOVERY", "status": "PENDING"}
    return 202, {"job": _job_view(job, now)}


def _new_job(area, kind, initiated_by, drill, tags, now, run_delay):
    job_id = _ident("drsjob-", alphabet=string.ascii_lowercase + string.digits)
    account, region = area["key"]
    job = {"id": job_id, "arn": f"arn:aws:drs:{region}:{account}:job/{job_id}", "type": kind,
           "initiatedBy": initiated_by, "isDrill": drill, "tags": dict(tags), "createdAt": now,
           "startDelay": float(CONFIG.get("drs", "jobStartSeconds")), "runDelay": float(run_delay),
           "servers": [], "done": False}
    area["jobs"][job_id] = job
    return job


def op_describe_jobs(area, body, now):
    filters = body.get("filters") or {}
    jobs = list(area["jobs"].values())
    if filters.get("jobIDs"):
        jobs = [j for j in jobs if j["id"] in filters["jobIDs"]]
    for key, keep in (("fromDate", lambda j, t: CLOCK.wall(j["createdAt"]) >= t),
                      ("toDate", lambda j, t: CLOCK.wall(j["createdAt"]) <= t)):
        if filters.get(key):
            try:
                moment = parse_iso(filters[key])
            except ValueError:
                raise validation(f"{key} is not an ISO-8601 date-time", field=f"filters.{key}")
            jobs = [j for j in jobs if keep(j, moment)]
    return 200, _page([_job_view(j, now) for j in jobs], body)


def op_describe_job_log_items(area, body, now):
    job = area["jobs"].get(body.get("jobID") or "")
    if job is None:
        raise not_found("JOB", body.get("jobID") or "")
    start, end = _job_times(job)
    items = []
    if now >= start:
        items.append({"logDateTime": CLOCK.iso(start), "event": "JOB_START"})
        for entry in job["servers"]:
            event = "LAUNCH_START" if job["type"] == "LAUNCH" else "CLEANUP_START"
            items.append({"logDateTime": CLOCK.iso(start), "event": event, "eventData": {"sourceServerID": entry["sourceServerID"]}})
    if job["done"]:
        for entry in job["servers"]:
            data = {"sourceServerID": entry["sourceServerID"]}
            if job["type"] == "LAUNCH" and entry["launchStatus"] == "FAILED":
                items.append({"logDateTime": CLOCK.iso(end), "event": "LAUNCH_FAILED",
                              "eventData": {**data, "rawError": entry.get("error", "launch failed")}})
            elif job["type"] == "TERMINATE":
                items.append({"logDateTime": CLOCK.iso(end), "event": "CLEANUP_END", "eventData": data})
            elif entry.get("recoveryInstanceID"):
                items.append({"logDateTime": CLOCK.iso(end), "event": "CONVERSION_END",
                              "eventData": {**data, "targetInstanceID": entry["recoveryInstanceID"]}})
        items.append({"logDateTime": CLOCK.iso(end), "event": "JOB_END"})
    return 200, _page(items, body)


def op_describe_recovery_instances(area, body, now):
    filters = body.get("filters") or {}
    instances = list(area["instances"].values())
    if filters.get("recoveryInstanceIDs"):
        instances = [i for i in instances if i["id"] in filters["recoveryInstanceIDs"]]
    if filters.get("sourceServerIDs"):
        instances = [i for i in instances if i["sourceServerID"] in filters["sourceServerIDs"]]
    out = _page(instances, body)
    out["items"] = _instance_views(out["items"], now)
    return 200, out


def op_terminate_recovery_instances(area, body, now):
    ids = body.get("recoveryInstanceIDs") or []
    if not ids:
        raise validation("recoveryInstanceIDs must have at least 1 item", field="recoveryInstanceIDs")
    active = [j for j in area["jobs"].values() if _active(j, now)]
    if len(active) >= MAX_CONCURRENT_JOBS:
        raise quota(f"At most {MAX_CONCURRENT_JOBS} jobs can be active at once in this account and region")
    terminating = {e.get("recoveryInstanceID") for j in active if j["type"] == "TERMINATE" for e in j["servers"]}
    instances = []
    for ident in ids:
        instance = area["instances"].get(ident)
        if instance is None:
            raise not_found("RECOVERY_INSTANCE", ident)
        if ident in terminating:
            raise conflict(f"Recovery instance {ident} is already being terminated", ident, "RECOVERY_INSTANCE")
        instances.append(instance)
    job = _new_job(area, "TERMINATE", "TERMINATE_RECOVERY_INSTANCES", False, {}, now, CONFIG.get("drs", "terminateSeconds"))
    for instance in instances:
        job["servers"].append({"sourceServerID": instance["sourceServerID"], "recoveryInstanceID": instance["id"]})
    return 200, {"job": _job_view(job, now)}


def op_reverse_replication(area, body, now):
    ident = body.get("recoveryInstanceID") or ""
    instance = area["instances"].get(ident)
    if instance is None:
        raise not_found("RECOVERY_INSTANCE", ident)
    if instance["isDrill"]:
        raise validation(f"Recovery instance {ident} was launched by a drill; only a recovery can be reversed",
                         reason="other", field="recoveryInstanceID")
    if instance.get("reversed"):    # idempotent: the same reversed source server again
        return 200, {"reversedDirectionSourceServerArn": instance["reversed"]["arn"]}
    original = area["servers"].get(instance["sourceServerID"])
    target_region = (original or {}).get("sourceRegion") or instance.get("sourceRegion")
    if not target_region:
        raise validation(f"Recovery instance {ident} has no AWS origin region to replicate back to",
                         reason="other", field="recoveryInstanceID")
    account = instance["account"]
    seconds = float(CONFIG.get("drs", "reverseReplicationSeconds"))
    reversed_server = _new_server(account, target_region, {
        "hostname": instance["hostname"], "tags": dict((original or {}).get("tags") or {}),
        "replicationState": "INITIATING", "lagDuration": "PT1S", "sourceRegion": instance["region"],
        "sourceInstanceId": instance["id"], "instanceType": instance.get("instanceType"),
        "replicationDirection": "FAILBACK"}, now)
    _set_replication(reversed_server, now, (seconds / 2, "INITIAL_SYNC"), (seconds, "CONTINUOUS"))
    reversed_server["reversedDirectionSourceServerArn"] = original["arn"] if original else None
    target_area = _area(account, target_region)
    target_area["initialized"] = True
    target_area["servers"][reversed_server["id"]] = reversed_server
    instance["reversed"] = {"arn": reversed_server["arn"], "at": now}
    if original:
        original["reversedDirectionSourceServerArn"] = reversed_server["arn"]
    return 200, {"reversedDirectionSourceServerArn": reversed_server["arn"]}


def op_stop_replication(area, body, now):
    server = _server(area, body.get("sourceServerID"))
    state = _replication_state(server, now)
    if state in ("STOPPED", "DISCONNECTED"):
        raise conflict(f"Replication of source server {server['id']} is {state}", server["id"], "SOURCE_SERVER")
    _set_replication(server, now, (0, "STOPPED"))
    return 200, {"sourceServer": _server_view(server, now)}


def op_start_replication(area, body, now):
    server = _server(area, body.get("sourceServerID"))
    state = _replication_state(server, now)
    if state != "STOPPED":
        raise conflict(f"Replication of source server {server['id']} is {state}, not STOPPED", server["id"], "SOURCE_SERVER")
    seconds = float(CONFIG.get("drs", "reverseReplicationSeconds"))
    _set_replication(server, now, (0, "INITIATING"), (seconds / 2, "RESCAN"), (seconds, "CONTINUOUS"))
    return 200, {"sourceServer": _server_view(server, now)}


def op_disconnect_source_server(area, body, now):
    server = _server(area, body.get("sourceServerID"))
    if server["id"] in {e["sourceServerID"] for j in area["jobs"].values() if _active(j, now) for e in j["servers"]}:
        raise conflict(f"Source server {server['id']} is participating in an active job", server["id"], "SOURCE_SERVER")
    _set_replication(server, now, (0, "DISCONNECTED"))
    return 200, _server_view(server, now)


def op_initialize_service(area, body, now):
    area["initialized"] = True
    return 204, None


OPERATIONS = {
    "DescribeSourceServers": op_describe_source_servers,
    "GetLaunchConfiguration": op_get_launch_configuration,
    "UpdateLaunchConfiguration": op_update_launch_configuration,
    "StartRecovery": op_start_recovery,
    "DescribeJobs": op_describe_jobs,
    "DescribeJobLogItems": op_describe_job_log_items,
    "DescribeRecoveryInstances": op_describe_recovery_instances,
    "TerminateRecoveryInstances": op_terminate_recovery_instances,
    "ReverseReplication": op_reverse_replication,
    "StopReplication": op_stop_replication,
    "StartReplication": op_start_replication,
    "DisconnectSourceServer": op_disconnect_source_server,
    "InitializeService": op_initialize_service,
}


def _tagged(arn):
    for area in STATE.values():
        for collection in ("servers", "jobs", "instances"):
            for item in area[collection].values():
                if item["arn"] == arn:
                    return item
    raise not_found("RESOURCE", arn)


def _tags(method, path, query, body):
    arn = unquote(path[len("/tags/"):])
    item = _tagged(arn)
    if method == "GET":
        return 200, {"tags": dict(item["tags"])}
    if method == "POST":
        item["tags"].update(body.get("tags") or {})
        return 200, None
    if method == "DELETE":
        for key in query.get("tagKeys", []):
            item["tags"].pop(key, None)
        return 200, None
    raise validation("unsupported method", reason="unknownOperation")


def handle(handler, request):
    if scope(request.headers)[2] != "drs":
        return False
    account, region = account_of(request.headers), region_of(request.headers)
    parts = urlsplit(request.path)
    try:
        body = json.loads(request.body) if request.body else {}
    except ValueError:
        rest_json_error(handler, 400, "ValidationException", "the body is not JSON", reason="cannotParse", code="VALIDATION")
        return True
    with LOCK:
        now = advance()
        area = _area(account, region)
        try:
            name = parts.path.strip("/")
            if parts.path.startswith("/tags/"):
                status, value = _tags(request.method, parts.path, parse_qs(parts.query), body)
            elif name in OPERATIONS and request.method == "POST":
                if CONFIG.get("drs", "requireInitialization") and not area["initialized"] and name != "InitializeService":
                    raise DRSError(400, "UninitializedAccountException",
                                   "Account is not initialized; call InitializeService first", code="UNINITIALIZED_ACCOUNT")
                status, value = OPERATIONS[name](area, body, now)
            else:
                raise validation(f"The emulator does not implement drs {request.method} {parts.path}", reason="unknownOperation")
        except DRSError as error:
            rest_json_error(handler, error.status, error.error_type, error.message, **error.fields)
            return True
        except Exception as error:     # a bug here: answer as the service would, and say what happened
            import traceback
            traceback.print_exc()
            rest_json_error(handler, 500, "InternalServerException", f"emulator error: {error!r}")
            return True
    if value is None:
        handler.send_response(status)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    else:
        rest_json(handler, status, value)
    return True


def state(account=None, region=None):
    with LOCK:
        now = advance()
        out = []
        for (acct, reg), area in STATE.items():
            if (account and acct != account) or (region and reg != region):
                continue
            out.append({"account": acct, "region": reg, "initialized": area["initialized"],
                        "sourceServers": [_server_view(s, now) | {"hostname": s["hostname"], "launchTemplateId": s["launchTemplateId"]}
                                          for s in area["servers"].values()],
                        "jobs": [_job_view(j, now) for j in area["jobs"].values()],
                        "recoveryInstances": _instance_views(list(area["instances"].values()), now)})
        return {"areas": out}
