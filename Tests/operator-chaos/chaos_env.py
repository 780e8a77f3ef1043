"""What the operator chaos tests run against, as child processes of the test: the test API server
(testenv.kube), the AWS emulator (testenv.aws.emulator, seeded with the payments application) and
lifeboat-operator replicas; a small client for the API server's JSON, a watcher that records every
DRExecution the server sends, and a recording forwarder in front of the emulator that tells which
replica made which AWS call, and when.

Everything started here is stopped by whoever started it (the fixtures in conftest.py): servers by
closing their stdin, operators by SIGKILL to their own pid. Ports are ephemeral. Nothing sleeps to
synchronise: `wait_for` polls a condition with a deadline.
"""
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from testenv.aws import demo_env  # noqa: E402
from testenv.aws.application import seed_application  # noqa: E402
from testenv.support.serve import stop_server  # noqa: E402
from testenv.support.waiting import wait_until  # noqa: E402

OPERATOR = ROOT / ".build" / "debug" / "lifeboat-operator"
PLAN_FILE = ROOT / "examples" / "demo" / "payments-dr.yaml"
NAMESPACE = "dr"
PLAN = "payments-demo"
GROUP = "/apis/lifeboat.dev/v1alpha1"
EXECUTIONS = f"{GROUP}/namespaces/{NAMESPACE}/drexecutions"
PLANS = f"{GROUP}/namespaces/{NAMESPACE}/drplans"
POLL = 0.02

# The emulator's delays, shortened (DRS job start and launch, Aurora switchover): the runs still
# poll several times, and a whole Instantiate + Activate takes seconds.
FAST = {"drs": {"jobStartSeconds": 0.3, "launchSeconds": 0.6, "terminateSeconds": 0.3},
        "aurora": {"failoverSeconds": 0.9, "switchoverSeconds": 0.9}}

# The mutating AWS calls of the demo plan's Recovery Instantiate and Activate, written out from the
# plan (examples/demo/payments-dr.yaml) and the modules — not learned from a run — as
# Tests/demo-env/test_demo.py lists them for all four phases. Instantiate scales compute up in
# us-west-2 and adds the Aurora reader; Activate switches the writer over, launches the legacy
# servers with their launch settings, and moves DNS.
INSTANTIATE_CALLS = {
    "rds:CreateDBInstance": 1,                            # data: the us-west-2 reader
    "ecs:UpdateService": 2,                               # compute: api and worker
    "application-autoscaling:RegisterScalableTarget": 1,  # compute: api's minimum
    "autoscaling:UpdateAutoScalingGroup": 1,              # compute: payments-batch
    "ec2:StartInstances": 1,                              # compute: both standby hosts in one call
}
ACTIVATE_CALLS = {
    "rds:SwitchoverGlobalCluster": 1,                     # data: the writer moves to us-west-2
    "drs:UpdateLaunchConfiguration": 3,                   # compute: launch settings per server
    "ec2:CreateLaunchTemplateVersion": 3,
    "ec2:ModifyLaunchTemplate": 3,
    "drs:StartRecovery": 1,                               # compute: one job for the three servers
    "route53:ChangeResourceRecordSets": 1,                # traffic: both records in one change batch
}
CLEANUP_CALLS = {
    "rds:DeleteDBInstance": 1,                            # data: the old primary's instance
    "ecs:UpdateService": 2,                               # compute: api and worker down in us-east-1
    "application-autoscaling:RegisterScalableTarget": 1,  # compute: api's minimum down
    "autoscaling:UpdateAutoScalingGroup": 1,              # compute: payments-batch down
    "ec2:StopInstances": 1,                               # compute: the us-east-1 hosts
}
REPLICATE_CALLS = {
    "drs:ReverseReplication": 3,                          # compute: one per recovery instance
}
PHASES = (("Instantiate", INSTANTIATE_CALLS), ("Activate", ACTIVATE_CALLS), ("Cleanup", CLEANUP_CALLS),
          ("Replicate", REPLICATE_CALLS))


def wait_for(condition, seconds, what):
    """Poll `condition` until it returns something truthy (returned); AssertionError at the deadline."""
    return wait_until(condition, timeout=seconds, interval=POLL, what=what)


def mutating(stats):
    return demo_env.mutating_calls(stats)


# ---- servers -----------------------------------------------------------------------------------

class Child:
    """A testenv server as a child process: started, its ready line read, stopped by closing stdin."""

    def __init__(self, module, *args, log=None):
        self.log = open(log, "w") if log else subprocess.DEVNULL
        self.process = subprocess.Popen([sys.executable, "-m", module, "--port", "0", *args], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        if not line:
            self.stop()
            raise RuntimeError(f"{module} did not start (see {log})")
        self.info = json.loads(line)
        self.port = self.info["port"]

    def stop(self):
        stop_server(self.process)
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def http_json(method, url, body=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw.decode(errors="replace")


class Kube:
    """The test API server and a client of its JSON API (as the tests' own user agent)."""

    def __init__(self, directory):
        self.child = Child("testenv.kube", "--crds", str(ROOT / "crds"), log=directory / "kube.log")
        self.url = f"http://127.0.0.1:{self.child.port}"

    def stop(self):
        self.child.stop()

    def request(self, method, path, body=None, content_type="application/json"):
        status, answer = http_json(method, self.url + path, body, {"Content-Type": content_type,
                                                                   "User-Agent": "chaos-test"})
        return status, answer

    def ok(self, method, path, body=None, content_type="application/json"):
        status, answer = self.request(method, path, body, content_type)
        assert 200 <= status < 300, f"{method} {path}: {status} {answer}"
        return answer

    def fault(self, **spec):
        return self.ok("POST", "/testenv/faults", spec)

    def watches(self, mode, user_agent):
        """Drop, end or expire the open watches of the clients whose User-Agent contains `user_agent`;
        returns how many there were."""
        return self.ok("POST", f"/testenv/watches?mode={mode}&userAgent={quote(user_agent)}")["affected"]

    def kubeconfig(self, path):
        path.write_text(yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config", "current-context": "chaos",
            "clusters": [{"name": "chaos", "cluster": {"server": self.url}}],
            "users": [{"name": "chaos", "user": {"token": "chaos"}}],
            "contexts": [{"name": "chaos", "context": {"cluster": "chaos", "user": "chaos"}}]}))
        return path

    # ---- the plan and its executions

    def create_plan(self):
        self.request("POST", "/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                                    "metadata": {"name": NAMESPACE}})
        self.ok("POST", PLANS, yaml.safe_load(PLAN_FILE.read_text()))

    def create_execution(self, name, phase, approve="start,layer-traffic"):
        return self.ok("POST", EXECUTIONS, {
            "apiVersion": "lifeboat.dev/v1alpha1", "kind": "DRExecution",
            "metadata": {"name": name, "namespace": NAMESPACE, "annotations": {"lifeboat.dev/approve": approve}},
            "spec": {"planRef": {"name": PLAN}, "phase": phase, "mode": "Recovery"}})

    def execution(self, name):
        return self.ok("GET", f"{EXECUTIONS}/{name}")

    def phase(self, name):
        return (self.execution(name).get("status") or {}).get("phase")


class Emulator:
    """The AWS emulator with the payments application seeded; `fresh()` resets and seeds again."""

    def __init__(self, directory):
        self.child = Child("testenv.aws.emulator", log=directory / "emulator.log")
        self.endpoint = f"http://127.0.0.1:{self.child.port}"

    def stop(self):
        self.child.stop()

    def control(self, method, path, body=None):
        status, answer = http_json(method, f"{self.endpoint}/__emulator__/{path}", body)
        assert status == 200, f"{method} {path}: {status} {answer}"
        return answer

    def fresh(self):
        """Back to the seeded application with no calls counted, the delays short."""
        self.control("POST", "reset")
        seed_application(self.endpoint)
        self.control("POST", "config", FAST)
        self.control("POST", "stats/reset")

    def calls(self):
        return mutating(self.control("GET", "stats"))

    def rule(self, spec):
        status, answer = http_json("POST", f"{self.endpoint}/__faults__/rules", spec)
        assert status == 200, answer
        return answer["id"]

    def rule_status(self, rule_id):
        """{"hits", "remaining"} (+ "lost") of a fault rule."""
        return http_json("GET", f"{self.endpoint}/__faults__/rules/{rule_id}")[1]

    def clear_rules(self):
        http_json("POST", f"{self.endpoint}/__faults__/reset", {})


# ---- a recording forwarder: which replica called AWS, and when -----------------------------------

class Recorder:
    """Forwards every request to `upstream` and records (wall time, operation) at its arrival.

    Each operator replica gets its own, so the emulator's counts (what happened) come with who did
    it and in what order. Wall time (time.time()) is the clock of the operators' log lines too."""

    def __init__(self, upstream):
        self.upstream = urlsplit(upstream)
        self.calls = []
        self.lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                target = self.headers.get("X-Amz-Target", "")
                operation = target.split(".")[-1] if target else _form_action(body) or urlsplit(self.path).path
                with recorder.lock:
                    recorder.calls.append((time.time(), operation))
                connection = http.client.HTTPConnection(recorder.upstream.hostname, recorder.upstream.port, timeout=120)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    connection.request(self.command, self.path, body=body or None, headers=headers)
                    response = connection.getresponse()
                    payload = response.read()
                except OSError:
                    self.close_connection = True     # the emulator lost the answer: so does the client
                    return
                finally:
                    connection.close()
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                try:
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    self.close_connection = True     # the client went away (killed, or it gave up)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self):
        with self.lock:
            return list(self.calls)


def _form_action(body):
    for pair in body.split(b"&"):
        if pair.startswith(b"Action="):
            return pair[len(b"Action="):].decode()
    return None


# ---- operators ---------------------------------------------------------------------------------

class Operator:
    """One lifeboat-operator process; its JSON log lines are collected as they come."""

    def __init__(self, directory, kubeconfig, endpoint, name, leader_elect=False, number=0):
        self.name = name
        self.log_path = directory / f"operator-{name}-{number}.log"
        environment = {key: value for key, value in os.environ.items()
                       if not key.startswith("AWS_") and key not in ("KUBECONFIG",)}
        environment.update(AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo", AWS_REGION="us-east-1",
                           AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/dev/null",
                           AWS_SHARED_CREDENTIALS_FILE="/dev/null", POD_NAME=name)
        arguments = [str(OPERATOR), "--kubeconfig", str(kubeconfig), "--aws-endpoint-url", endpoint,
                     "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0",
                     "--log-format", "json", "--namespace", NAMESPACE, "--poll-interval", "1s"]
        if leader_elect:
            arguments += ["--leader-elect", "--leader-election-namespace", "default",
                          "--leader-elect-lease-duration", "3s", "--leader-elect-renew-deadline", "2s",
                          "--leader-elect-retry-period", "1s"]
        self.lines = []
        self.lock = threading.Lock()
        self.process = subprocess.Popen(arguments, cwd=ROOT, env=environment, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        with open(self.log_path, "wb") as log:
            for raw in self.process.stderr:
                log.write(raw)
                log.flush()
                try:
                    line = json.loads(raw)
                except ValueError:
                    line = {"msg": raw.decode(errors="replace")}
                with self.lock:
                    self.lines.append(line)

    def logged(self, message):
        """The log lines whose message contains `message`."""
        with self.lock:
            return [line for line in self.lines if message in str(line.get("msg", line.get("message", "")))]

    def kill(self):
        """SIGKILL, and reap it."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)
        self.reader.join(timeout=15)

    def wait_exit(self, seconds):
        wait_for(lambda: self.process.poll() is not None, seconds, f"operator {self.name} to exit")
        self.reader.join(timeout=15)
        return self.process.returncode


# ---- a watcher of DRExecutions -----------------------------------------------------------------

class Watcher:
    """Records every DRExecution object the API server sends on a watch, resuming from the last
    resourceVersion if the stream ends. Its User-Agent is the test's, so faults and watch commands
    scoped to the operator's user agent leave it alone: it sees every status written."""

    def __init__(self, kube):
        self.kube = kube
        self.seen = []
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.resource_version = None
        self.connection = None
        self.errors = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopped.is_set():
            try:
                self._watch()
            except (OSError, http.client.HTTPException) as error:
                if not self.stopped.is_set():
                    self.errors.append(repr(error))
                    time.sleep(0.05)

    def _watch(self):
        rv = self.resource_version
        path = f"{EXECUTIONS}?watch=true" + (f"&resourceVersion={rv}" if rv else "")
        connection = http.client.HTTPConnection("127.0.0.1", self.kube.child.port, timeout=60)
        self.connection = connection
        connection.request("GET", path, headers={"User-Agent": "chaos-test-watcher", "Accept": "application/json"})
        response = connection.getresponse()
        if response.status != 200:
            raise OSError(f"watch answered {response.status}")
        while not self.stopped.is_set():
            line = response.readline()
            if not line:
                return
            event = json.loads(line)
            if event["type"] == "ERROR":
                raise OSError(f"watch ERROR {event['object']}")
            obj = event["object"]
            with self.lock:
                self.seen.append((event["type"], obj))
            self.resource_version = obj["metadata"]["resourceVersion"]

    def stop(self):
        self.stopped.set()
        if self.connection is not None:
            try:
                self.connection.sock and self.connection.sock.shutdown(2)
            except OSError:
                pass
        self.thread.join(timeout=10)

    def objects(self, name):
        with self.lock:
            return [obj for _, obj in self.seen if obj["metadata"]["name"] == name]

    def statuses(self, name):
        """The distinct statuses of execution `name`, in the order they were written."""
        return statuses(self.objects(name))


def statuses(objects):
    """The successive distinct statuses among the objects a watch delivered (metadata-only writes,
    such as the finalizer, deliver the same status again)."""
    seen = []
    for obj in objects:
        status = obj.get("status")
        if status is not None and (not seen or seen[-1] != status):
            seen.append(status)
    return seen


RESOURCE_ORDER = {"Pending": 0, "Starting": 1, "InProgress": 2, "Succeeded": 3, "Failed": 3, "Skipped": 3, "Cancelled": 3}
LAYER_ORDER = {"Pending": 0, "Running": 1, "Succeeded": 2, "Failed": 2, "Skipped": 2, "Cancelled": 2}
TERMINAL = ("Succeeded", "Failed", "Cancelled")


def backwards_steps(history):
    """Every place where a status in `history` (successive statuses of one execution) goes back
    from the one before: a resource or layer state, a resource's attempts, a finished count of the
    progress, a decided gate, a finished run. Empty when the run only ever moved forward."""
    problems = []
    for index in range(1, len(history)):
        before, after = history[index - 1], history[index]
        where = f"status #{index}"

        def resources(status):
            return {r["name"]: r for layer in status.get("layers") or [] for r in layer["resources"]}

        def layers(status):
            return {layer["name"]: layer for layer in status.get("layers") or []}

        old, new = resources(before), resources(after)
        for name, resource in old.items():
            if name not in new:
                problems.append(f"{where}: resource {name} disappeared")
                continue
            a, b = resource["state"], new[name]["state"]
            if RESOURCE_ORDER[b] < RESOURCE_ORDER[a] or (RESOURCE_ORDER[a] == 3 and a != b):
                problems.append(f"{where}: resource {name} went {a} -> {b}")
            if (new[name].get("attempts") or 0) < (resource.get("attempts") or 0):
                problems.append(f"{where}: resource {name} attempts {resource.get('attempts')} -> {new[name].get('attempts')}")
        old_layers, new_layers = layers(before), layers(after)
        for name, layer in old_layers.items():
            a, b = layer["state"], new_layers.get(name, {}).get("state", "?")
            if b not in LAYER_ORDER or LAYER_ORDER[b] < LAYER_ORDER[a] or (LAYER_ORDER[a] == 2 and a != b):
                problems.append(f"{where}: layer {name} went {a} -> {b}")
        old_progress, new_progress = before.get("progress") or {}, after.get("progress") or {}
        for key in ("succeeded", "failed", "skipped", "cancelled"):
            if new_progress.get(key, 0) < old_progress.get(key, 0):
                problems.append(f"{where}: progress.{key} {old_progress.get(key)} -> {new_progress.get(key)}")
        finished = lambda p: sum(p.get(k, 0) for k in ("succeeded", "failed", "skipped", "cancelled"))  # noqa: E731
        if finished(new_progress) < finished(old_progress):
            problems.append(f"{where}: progress {old_progress.get('summary')} -> {new_progress.get('summary')}")
        decided = {g["id"]: g["state"] for g in before.get("gates") or [] if g["state"] != "Waiting"}
        now = {g["id"]: g["state"] for g in after.get("gates") or []}
        for gate, state in decided.items():
            if now.get(gate) != state:
                problems.append(f"{where}: gate {gate} went {state} -> {now.get(gate)}")
        if before.get("phase") in TERMINAL and after.get("phase") != before.get("phase"):
            problems.append(f"{where}: phase went {before.get('phase')} -> {after.get('phase')}")
    return problems
