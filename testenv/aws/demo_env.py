"""The demo's AWS environment: an emulator that outlives the demo script, and what it holds.

    python3 -m testenv.aws.demo_env start --dir .demo        # endpoint on stdout; "reused"/"started" on stderr
    python3 -m testenv.aws.demo_env stop  --dir .demo        # idempotent
    python3 -m testenv.aws.demo_env state --endpoint URL [--account A] [--prefix P] [--format text|json]
    python3 -m testenv.aws.demo_env calls --endpoint URL [--format text|json] [--all] [--reset]

`start` reuses the emulator that DIR/emulator.json names when that process is still an emulator
and answers GET /__emulator__/config; otherwise it starts `python3 -m testenv.aws.emulator
--keep-running --idle-exit 1800` detached (its own session, stdin /dev/null, output in
DIR/emulator.log), waits for its port file and for the control API to answer (polling, with a
deadline), and records {pid, port, endpoint, started} in DIR/emulator.json. So a demo that was
interrupted (Ctrl-C, kill) finds the same AWS state when it runs again. A lock file serialises
concurrent starts and stops.

`state` prints the observed state of the application that testenv.aws.application seeds: the
Aurora global writer, DB instances, the Route 53 records, ECS services, the ASG, the standby hosts
and DRS (source servers, jobs, recovery instances, reversed replication). `calls` prints the
emulator's per-operation counts of mutating calls (GET /__emulator__/stats; --all adds the reads,
--reset zeroes the counts afterwards, e.g. once the seed is done).
"""
import argparse
import contextlib
import datetime
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from testenv.aws.application import (DEFAULT_ACCOUNT, HOST_TAG, PRIMARY, REGIONS, SECONDARY, SERVICES, Account,
                                     names)

ROOT = Path(__file__).resolve().parents[2]
STATE_FILE = "emulator.json"
START_DEADLINE = 90.0
STOP_DEADLINE = 15.0
POLL = 0.05
MUTATING = ("drs:StartRecovery", "rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster", "ecs:UpdateService",
            "autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity", "ec2:StartInstances", "ec2:StopInstances",
            "route53:ChangeResourceRecordSets", "rds:CreateDBInstance", "rds:DeleteDBInstance", "drs:TerminateRecoveryInstances",
            "drs:ReverseReplication", "drs:StartFailbackLaunch", "drs:StopReplication", "drs:StartReplication",
            "drs:UpdateLaunchConfiguration", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
            "application-autoscaling:RegisterScalableTarget", "ssm:PutParameter")


# ---- processes ---------------------------------------------------------------------------------

def process_alive(pid):
    """True while `pid` runs (a zombie counts as gone; our own zombie child is reaped)."""
    if not pid:
        return False
    with contextlib.suppress(ChildProcessError, OSError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def is_emulator(pid):
    """Whether `pid` is (still) an emulator process, so a reused pid is never signalled."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return process_alive(pid)  # no /proc: trust the pid
    return b"testenv.aws.emulator" in cmdline


def answers(endpoint, timeout=2.0):
    try:
        with urllib.request.urlopen(f"{endpoint}/__emulator__/config", timeout=timeout) as response:
            response.read()
            return response.status == 200
    except (OSError, ValueError):
        return False


def wait_for(condition, deadline, what):
    """Poll `condition` until it returns a truthy value or the deadline (monotonic) passes."""
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(POLL)


@contextlib.contextmanager
def locked(directory):
    with open(directory / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_record(directory):
    try:
        return json.loads((directory / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


def write_record(directory, record):
    temporary = directory / (STATE_FILE + ".tmp")
    temporary.write_text(json.dumps(record, indent=2) + "\n")
    os.replace(temporary, directory / STATE_FILE)


def read_port(port_file):
    try:
        text = port_file.read_text().strip()
    except OSError:
        return None
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    port = value.get("port") if isinstance(value, dict) else value
    return port if isinstance(port, int) and port > 0 else None


def terminate(pid, deadline_seconds=STOP_DEADLINE):
    """SIGTERM, wait for the exit until the deadline, then SIGKILL (and wait again)."""
    for sig, seconds in ((signal.SIGTERM, deadline_seconds), (signal.SIGKILL, 5.0)):
        if not process_alive(pid):
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        with contextlib.suppress(TimeoutError):
            wait_for(lambda: not process_alive(pid), time.monotonic() + seconds, f"process {pid} to exit")
    if process_alive(pid):
        raise RuntimeError(f"emulator process {pid} did not exit")


def start(directory, idle_exit=1800, deadline_seconds=START_DEADLINE):
    """Reuse the recorded emulator if it is alive and answers, else start one. Returns (record, reused)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with locked(directory):
        record = read_record(directory)
        if record and process_alive(record.get("pid")) and is_emulator(record["pid"]):
            if answers(record.get("endpoint", "")):
                return record, True
            terminate(record["pid"])  # alive but not answering: replace it rather than leave it behind
        (directory / STATE_FILE).unlink(missing_ok=True)
        port_file = directory / "emulator.port"
        port_file.unlink(missing_ok=True)
        with open(directory / "emulator.log", "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "testenv.aws.emulator", "--keep-running", "--idle-exit", str(idle_exit),
                 "--port-file", str(port_file.resolve())],
                cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + deadline_seconds

        def ready():
            if process.poll() is not None:
                raise RuntimeError(f"the emulator exited with status {process.returncode}; see "
                                   f"{directory / 'emulator.log'}:\n{log_tail(directory)}")
            port = read_port(port_file)
            return port if port and answers(f"http://127.0.0.1:{port}") else None

        try:
            port = wait_for(ready, deadline, "the emulator to answer")
        except BaseException:
            with contextlib.suppress(Exception):
                terminate(process.pid, 5.0)
            raise
        record = {"pid": process.pid, "port": port, "endpoint": f"http://127.0.0.1:{port}",
                  "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        write_record(directory, record)
        return record, False


def stop(directory):
    """Stop the recorded emulator (if any) and forget it. Returns whether a process was stopped."""
    directory = Path(directory)
    if not directory.is_dir():
        return False
    with locked(directory):
        record = read_record(directory)
        stopped = False
        if record and process_alive(record.get("pid")) and is_emulator(record["pid"]):
            terminate(record["pid"])
            stopped = True
        (directory / STATE_FILE).unlink(missing_ok=True)
        (directory / "emulator.port").unlink(missing_ok=True)
        return stopped


def log_tail(directory, lines=20):
    try:
        return "\n".join((Path(directory) / "emulator.log").read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# ---- observed state ----------------------------------------------------------------------------

def region_of_arn(arn):
    parts = (arn or "").split(":")
    return parts[3] if len(parts) > 3 else None


def guarded(function):
    """Run one part of the observation; an error becomes {"error": ...} instead of ending `state`."""
    try:
        return function()
    except (ClientError, BotoCoreError) as error:
        return {"error": short(error)}


def short(error):
    """The first line of an error (moto's unimplemented operations answer with a whole HTML page)."""
    return str(error).split("\n")[0].split(": <!doctype")[0]


def observe(endpoint, account=DEFAULT_ACCOUNT, prefix=""):
    aws = Account(endpoint, account)
    n = names(prefix)
    balancers = guarded(lambda: observe_balancers(aws, n))
    return {
        "account": account,
        "prefix": prefix,
        "aurora": guarded(lambda: observe_aurora(aws, n)),
        "route53": guarded(lambda: observe_dns(aws, n, balancers if "error" not in balancers else {})),
        "ecs": {r: guarded(lambda r=r: observe_ecs(aws, n, r)) for r in REGIONS},
        "autoScaling": {r: guarded(lambda r=r: observe_asg(aws, n, r)) for r in REGIONS},
        "ec2": {r: guarded(lambda r=r: observe_hosts(aws, n, r)) for r in REGIONS},
        "drs": observe_drs(aws, n),
    }


def observe_balancers(aws, n):
    result = {}
    for region in REGIONS:
        try:
            balancer = aws.client("elbv2", region).describe_load_balancers(
                Names=[n["loadBalancer"][region]])["LoadBalancers"][0]
        except ClientError:
            continue
        result[balancer["DNSName"].rstrip(".").lower()] = {"region": region, "name": balancer["LoadBalancerName"]}
    return result


def observe_aurora(aws, n):
    rds = {r: aws.client("rds", r) for r in REGIONS}
    globals_ = [g for g in rds[PRIMARY].describe_global_clusters(GlobalClusterIdentifier=n["globalCluster"])
                ["GlobalClusters"] if g["GlobalClusterIdentifier"] == n["globalCluster"]]
    result = {"globalCluster": n["globalCluster"], "status": None, "writerRegion": None, "members": [],
              "failover": None, "clusters": {}}
    if globals_:
        cluster = globals_[0]
        result["status"] = cluster.get("Status")
        result["failover"] = cluster.get("FailoverState")
        for member in cluster.get("GlobalClusterMembers", []):
            region = region_of_arn(member["DBClusterArn"])
            result["members"].append({"region": region, "clusterArn": member["DBClusterArn"],
                                      "isWriter": bool(member.get("IsWriter"))})
            if member.get("IsWriter"):
                result["writerRegion"] = region
    for region in REGIONS:
        try:
            cluster = rds[region].describe_db_clusters(DBClusterIdentifier=n["dbCluster"])["DBClusters"][0]
        except ClientError as error:
            if error.response["Error"]["Code"] != "DBClusterNotFoundFault":
                raise
            result["clusters"][region] = None
            continue
        writers = {m["DBInstanceIdentifier"] for m in cluster.get("DBClusterMembers", []) if m.get("IsClusterWriter")}
        instances = rds[region].describe_db_instances(
            Filters=[{"Name": "db-cluster-id", "Values": [cluster["DBClusterIdentifier"]]}])["DBInstances"]
        result["clusters"][region] = {
            "identifier": cluster["DBClusterIdentifier"], "status": cluster.get("Status"),
            "instances": sorted(({"identifier": i["DBInstanceIdentifier"], "status": i.get("DBInstanceStatus"),
                                  "class": i.get("DBInstanceClass"), "writer": i["DBInstanceIdentifier"] in writers}
                                 for i in instances if i.get("DBClusterIdentifier") == cluster["DBClusterIdentifier"]),
                                key=lambda i: i["identifier"])}
    return result


def observe_dns(aws, n, balancers):
    route53 = aws.client("route53", PRIMARY)
    zones = [z for z in route53.list_hosted_zones_by_name(DNSName=n["zone"])["HostedZones"] if z["Name"] == n["zone"]]
    if not zones:
        return {"zone": n["zone"], "hostedZoneId": None, "api": [], "status": []}
    zone_id = sorted(z["Id"] for z in zones)[0].split("/")[-1]
    records = []
    paginator = route53.get_paginator("list_resource_record_sets")
    for page in paginator.paginate(HostedZoneId=zone_id):
        records += page["ResourceRecordSets"]

    def describe(record):
        entry = {"type": record["Type"]}
        for key, field in (("setIdentifier", "SetIdentifier"), ("weight", "Weight"), ("failover", "Failover"),
                           ("ttl", "TTL")):
            if field in record:
                entry[key] = record[field]
        if "AliasTarget" in record:
            entry.pop("ttl", None)  # moto reports TTL 0 for aliases, which have none
            target = record["AliasTarget"]["DNSName"].rstrip(".").lower()
            entry["alias"] = record["AliasTarget"]["DNSName"]
            known = balancers.get(target) or balancers.get(target.removeprefix("dualstack."))
            entry["region"] = known["region"] if known else next((r for r in REGIONS if r in target), None)
            entry["loadBalancer"] = known["name"] if known else None
        else:
            entry["values"] = [v["Value"] for v in record.get("ResourceRecords", [])]
        return entry

    return {"zone": n["zone"], "hostedZoneId": zone_id,
            "api": [describe(r) for r in records if r["Name"] == n["apiRecord"]],
            "status": [describe(r) for r in records if r["Name"] == n["statusRecord"]]}


def observe_ecs(aws, n, region):
    described = aws.client("ecs", region).describe_services(cluster=n["ecsCluster"], services=list(SERVICES))
    return {s["serviceName"]: {"desired": s.get("desiredCount"), "running": s.get("runningCount"),
                               "pending": s.get("pendingCount"), "status": s.get("status")}
            for s in described["services"]}


def observe_asg(aws, n, region):
    groups = aws.client("autoscaling", region).describe_auto_scaling_groups(
        AutoScalingGroupNames=[n["asg"]])["AutoScalingGroups"]
    if not groups:
        return None
    group = groups[0]
    return {"name": group["AutoScalingGroupName"], "min": group["MinSize"], "desired": group["DesiredCapacity"],
            "max": group["MaxSize"],
            "inService": sum(1 for i in group.get("Instances", []) if i.get("LifecycleState") == "InService"),
            "launchTemplate": (group.get("LaunchTemplate") or {}).get("Version")}


def observe_hosts(aws, n, region):
    reservations = aws.client("ec2", region).describe_instances(
        Filters=[{"Name": f"tag:{HOST_TAG}", "Values": list(n["hosts"].values())}])["Reservations"]
    by_name = {}
    for instance in (i for r in reservations for i in r["Instances"]):
        host = next(t["Value"] for t in instance.get("Tags", []) if t["Key"] == HOST_TAG)
        by_name.setdefault(host, []).append({"instanceId": instance["InstanceId"],
                                             "state": instance["State"]["Name"],
                                             "privateIp": instance.get("PrivateIpAddress")})
    return {host: sorted(by_name.get(name, []), key=lambda i: i["instanceId"]) for host, name in n["hosts"].items()}


def observe_drs(aws, n):
    """DRS in the recovery region, then the primary (where reversed replication lands). Only what
    belongs to this application (its host names, and what derives from its servers) is shown."""
    wanted = set(n["drsHosts"].values())
    result = {"sourceServers": [], "jobs": [], "recoveryInstances": [], "reversedReplication": []}
    ours = set()  # source server ids and arns, recovery instance ids
    for region in (SECONDARY, PRIMARY):
        drs = aws.client("drs", region)
        try:
            servers = pages(drs.describe_source_servers, filters={})
            instances = pages(drs.describe_recovery_instances, filters={})
            jobs = pages(drs.describe_jobs, filters={})
        except (ClientError, BotoCoreError) as error:
            result.setdefault("errors", {})[region] = short(error)
            continue
        for server in servers:
            hostname = server.get("sourceProperties", {}).get("identificationHints", {}).get("hostname")
            reversed_ = server.get("replicationDirection") == "FAILBACK" or region != SECONDARY
            related = {server.get("reversedDirectionSourceServerArn"), server.get("recoveryInstanceId")} & ours
            if hostname not in wanted and not related:
                continue
            ours |= {server["sourceServerID"], server.get("arn")}
            data = server.get("dataReplicationInfo") or {}
            result["reversedReplication" if reversed_ else "sourceServers"].append({
                "region": region, "sourceServerID": server["sourceServerID"], "hostname": hostname,
                "replicationState": data.get("dataReplicationState"), "lag": data.get("lagDuration"),
                "app": (server.get("tags") or {}).get("App"),
                "lastLaunch": ((server.get("lifeCycle") or {}).get("lastLaunch") or {}).get("status"),
                "recoveryInstanceId": server.get("recoveryInstanceId"),
                "replicationDirection": server.get("replicationDirection"),
                "reversedDirectionSourceServerArn": server.get("reversedDirectionSourceServerArn")})
        ec2 = aws.client("ec2", region)
        drill_jobs = set()
        for instance in instances:
            if instance.get("sourceServerID") not in ours:
                continue
            ours.add(instance["recoveryInstanceID"])
            if instance.get("isDrill"):
                drill_jobs.add(instance.get("jobID"))
            properties = instance.get("recoveryInstanceProperties") or {}
            ips = [ip for nic in properties.get("networkInterfaces", []) for ip in nic.get("ips", [])]
            private_ip = ips[0] if ips else None
            if not private_ip and instance.get("ec2InstanceID"):
                with contextlib.suppress(ClientError):
                    found = ec2.describe_instances(InstanceIds=[instance["ec2InstanceID"]])["Reservations"]
                    private_ip = found[0]["Instances"][0].get("PrivateIpAddress") if found else None
            result["recoveryInstances"].append({
                "region": region, "recoveryInstanceID": instance["recoveryInstanceID"],
                "sourceServerID": instance.get("sourceServerID"), "ec2InstanceID": instance.get("ec2InstanceID"),
                "state": instance.get("ec2InstanceState"), "privateIp": private_ip,
                "isDrill": bool(instance.get("isDrill")), "jobID": instance.get("jobID"),
                "failback": (instance.get("failback") or {}).get("state")})
        for job in jobs:
            participants = job.get("participatingServers") or []
            if not any({p.get("sourceServerID"), p.get("recoveryInstanceID")} & ours for p in participants):
                continue
            result["jobs"].append({
                "region": region, "jobID": job["jobID"], "type": job.get("type"), "status": job.get("status"),
                "initiatedBy": job.get("initiatedBy"),
                "isDrill": job.get("initiatedBy") == "START_DRILL" or job["jobID"] in drill_jobs,
                "created": job.get("creationDateTime"), "ended": job.get("endDateTime"),
                "servers": [{"sourceServerID": p.get("sourceServerID"), "launchStatus": p.get("launchStatus"),
                             "recoveryInstanceID": p.get("recoveryInstanceID")} for p in participants]})
    result["sourceServers"].sort(key=lambda s: (s["hostname"] or "", s["sourceServerID"]))
    result["jobs"].sort(key=lambda j: (j["created"] or "", j["jobID"]))
    return result


def pages(operation, **kwargs):
    items, token = [], None
    while True:
        page = operation(**kwargs, **({"nextToken": token} if token else {}))
        items += page.get("items", [])
        token = page.get("nextToken")
        if not token:
            return items


# ---- text output -------------------------------------------------------------------------------

def table(title, headers, rows):
    lines = [title]
    if not rows:
        return lines + ["  (none)"]
    cells = [[("-" if v is None else str(v)) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    return lines


def error_line(title, part):
    return [title, f"  error: {part['error']}"]


def render(state):
    out = []
    aurora = state["aurora"]
    if "error" in aurora:
        out += error_line("Aurora", aurora)
    else:
        out += table(f"Aurora global database {aurora['globalCluster']} (status {aurora['status']}, "
                     f"writer {aurora['writerRegion']})", ["region", "cluster", "writer", "status", "instances"],
                     [[r, (c or {}).get("identifier"),
                       "yes" if any(m["region"] == r and m["isWriter"] for m in aurora["members"]) else "no",
                       (c or {}).get("status"),
                       ", ".join(f"{i['identifier']} {i['class']} {i['status']}{' (writer)' if i['writer'] else ''}"
                                 for i in (c or {}).get("instances", [])) or "none (headless)"]
                      for r, c in aurora["clusters"].items()])
    dns = state["route53"]
    out.append("")
    if "error" in dns:
        out += error_line("Route 53", dns)
    else:
        rows = []
        for name, key in (("api", "api"), ("status", "status")):
            for record in dns[key]:
                target = record.get("alias") or ", ".join(record.get("values", []))
                where = record.get("region") or "-"
                extra = " ".join(f"{k}={record[k]}" for k in ("setIdentifier", "weight", "failover", "ttl") if k in record)
                rows.append([f"{name}.{dns['zone']}", record["type"], target, where, extra])
        out += table(f"Route 53 zone {dns['zone']} ({dns['hostedZoneId']})",
                     ["record", "type", "target", "region", ""], rows)
    out.append("")
    rows = []
    for region, services in state["ecs"].items():
        if "error" in services:
            rows.append([region, "error", services["error"], "", ""])
            continue
        rows += [[region, name, s["desired"], s["running"], s["status"]] for name, s in sorted(services.items())]
    out += table("ECS services", ["region", "service", "desired", "running", "status"], rows)
    out.append("")
    rows = []
    for region, group in state["autoScaling"].items():
        if group and "error" in group:
            rows.append([region, "error: " + group["error"], "", "", "", ""])
        elif group:
            rows.append([region, group["name"], group["min"], group["desired"], group["max"], group["inService"]])
        else:
            rows.append([region, None, None, None, None, None])
    out += table("Auto Scaling groups", ["region", "group", "min", "desired", "max", "inService"], rows)
    out.append("")
    rows = []
    for region, hosts in state["ec2"].items():
        if "error" in hosts:
            rows.append([region, "error: " + hosts["error"], "", "", ""])
            continue
        for host, instances in hosts.items():
            rows += [[region, host, i["instanceId"], i["state"], i["privateIp"]] for i in instances] or \
                [[region, host, None, "missing", None]]
    out += table(f"EC2 hosts (tag {HOST_TAG})", ["region", "host", "instance", "state", "private IP"], rows)
    drs = state["drs"]
    out.append("")
    for region, message in drs.get("errors", {}).items():
        out += [f"DRS {region}: error: {message}"]
    out += table("DRS source servers (recovery region " + SECONDARY + ")",
                 ["hostname", "id", "App", "replication", "lag", "last launch"],
                 [[s["hostname"], s["sourceServerID"], repr(s["app"]), s["replicationState"], s["lag"], s["lastLaunch"]]
                  for s in drs["sourceServers"]])
    out.append("")
    out += table("DRS jobs", ["region", "job", "type", "status", "drill", "initiated by", "servers"],
                 [[j["region"], j["jobID"], j["type"], j["status"], "yes" if j["isDrill"] else "no", j["initiatedBy"],
                   ", ".join(f"{s['sourceServerID']}:{s['launchStatus']}" for s in j["servers"])]
                  for j in drs["jobs"]])
    out.append("")
    out += table("DRS recovery instances", ["region", "id", "source server", "ec2 instance", "state", "private IP",
                                            "drill", "failback"],
                 [[i["region"], i["recoveryInstanceID"], i["sourceServerID"], i["ec2InstanceID"], i["state"],
                   i["privateIp"], "yes" if i["isDrill"] else "no", i["failback"]] for i in drs["recoveryInstances"]])
    out.append("")
    out += table("DRS reversed replication", ["region", "id", "hostname", "replication", "direction"],
                 [[s["region"], s["sourceServerID"], s["hostname"], s["replicationState"], s["replicationDirection"]]
                  for s in drs["reversedReplication"]])
    return "\n".join(out)


def fetch_stats(endpoint):
    with urllib.request.urlopen(f"{endpoint.rstrip('/')}/__emulator__/stats", timeout=10) as response:
        return json.loads(response.read() or b"{}")


READ_PREFIXES = ("Describe", "List", "Get", "Search", "Lookup", "AssumeRole")


def is_read(operation):
    return operation.startswith(READ_PREFIXES)


def mutating_calls(stats):
    """{"service:Operation": count} of the calls that change something (reads and AssumeRole left out)."""
    calls = stats.get("calls", stats)
    return {key: count for key, count in calls.items()
            if isinstance(count, int) and not is_read(key.replace(":", ".").split(".")[-1])}


def render_calls(stats, everything=False):
    calls = stats.get("calls", stats) if everything else mutating_calls(stats)
    by_operation = {}
    for key, count in calls.items():
        if isinstance(count, int):
            by_operation.setdefault(key.replace(":", ".").split(".")[-1], []).append((key, count))
    rows = []
    for qualified in MUTATING:  # the recovery's actions always get a row, so a 0 shows too
        entries = by_operation.pop(qualified.split(":")[-1], [])
        rows += [[key, count] for key, count in sorted(entries)] or [[qualified, 0]]
    rows += sorted([key, count] for entries in by_operation.values() for key, count in entries)
    title = "AWS calls seen by the emulator" if everything else "Mutating AWS calls seen by the emulator"
    return "\n".join(table(title, ["operation", "calls"], rows))


def reset_stats(endpoint):
    request = urllib.request.Request(f"{endpoint.rstrip('/')}/__emulator__/stats/reset", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


# ---- command line ------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("start", "stop"):
        command = commands.add_parser(name)
        command.add_argument("--dir", default=".demo")
        if name == "start":
            command.add_argument("--idle-exit", type=int, default=1800)
    state = commands.add_parser("state")
    calls = commands.add_parser("calls")
    for command in (state, calls):
        command.add_argument("--endpoint", required=True)
        command.add_argument("--format", choices=("text", "json"), default="text")
    calls.add_argument("--all", action="store_true", help="reads too, not only the calls that change something")
    calls.add_argument("--reset", action="store_true", help="then zero the counts (e.g. after seeding)")
    state.add_argument("--account", default=DEFAULT_ACCOUNT)
    state.add_argument("--prefix", default="")
    args = parser.parse_args(argv)

    if args.command == "start":
        record, reused = start(Path(args.dir), idle_exit=args.idle_exit)
        print(record["endpoint"], flush=True)
        print("reused" if reused else "started", file=sys.stderr)
    elif args.command == "stop":
        print("stopped" if stop(Path(args.dir)) else "not running", file=sys.stderr)
    elif args.command == "state":
        observed = observe(args.endpoint.rstrip("/"), args.account, args.prefix)
        print(json.dumps(observed, indent=2) if args.format == "json" else render(observed))
    elif args.command == "calls":
        stats = fetch_stats(args.endpoint)
        if args.format == "json":
            print(json.dumps(stats if args.all else {"calls": mutating_calls(stats)}, indent=2, sort_keys=True))
        else:
            print(render_calls(stats, everything=args.all))
        if args.reset:
            reset_stats(args.endpoint)
    return 0


if __name__ == "__main__":
    sys.exit(main())
