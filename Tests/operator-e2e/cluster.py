"""The operator end to end: the test API server, the AWS emulator and `lifeboat-operator` as real
processes on loopback, and kubectl where a user would use it. Everything started here is stopped
here. Waiting is polling with a deadline, never a sleep standing in for a condition."""
import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from testenv.support.serve import stop_server  # noqa: E402

OPERATOR = os.environ.get("LIFEBOAT_OPERATOR", str(ROOT / ".build/debug/lifeboat-operator"))
AWS_ENV = {"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo", "AWS_REGION": "us-east-1",
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}


def clean_environment():
    """This machine's environment without any AWS identity or endpoint of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "KUBECONFIG"}
    env.update(AWS_ENV)
    return env


def wait_for(condition, timeout=60.0, what="the condition", interval=0.05):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class ApiServer:
    def __init__(self, directory):
        self.process = subprocess.Popen([sys.executable, "-m", "testenv.kube", "--crds", str(ROOT / "crds")],
                                        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=open(directory / "kube.log", "w"), text=True)
        line = self.process.stdout.readline()
        self.url = json.loads(line)["url"]
        self.kubeconfig = directory / "kubeconfig"
        self.kubeconfig.write_text(f"""apiVersion: v1
kind: Config
clusters: [{{name: test, cluster: {{server: "{self.url}"}}}}]
users: [{{name: person, user: {{token: e2e}}}}]
contexts: [{{name: test, context: {{cluster: test, user: person, namespace: default}}}}]
current-context: test
""")

    def control(self, method, path, body=None):
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"null")

    def stop(self):
        stop_server(self.process)


class Operator:
    """One `lifeboat-operator` process; its JSON log lines are kept in a file."""

    def __init__(self, directory, kubeconfig, endpoint, *extra, name="operator"):
        self.log_path = directory / f"{name}.log"
        env = clean_environment()
        env["POD_NAME"] = name
        self.process = subprocess.Popen(
            [OPERATOR, "--kubeconfig", str(kubeconfig), "--aws-endpoint-url", endpoint, "--poll-interval", "1s",
             "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0", *extra],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"))
        serving = wait_for(lambda: self.line("serving"), 30, "the operator to serve")
        self.probe_port, self.metrics_port = serving["probes"], serving["metrics"]

    def lines(self):
        out = []
        for raw in self.log_path.read_text().splitlines():
            try:
                out.append(json.loads(raw))
            except ValueError:
                pass
        return out

    def line(self, message):
        return next((entry for entry in self.lines() if entry.get("msg") == message), None)

    def get(self, port, path):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def metrics(self):
        return self.get(self.metrics_port, "/metrics")[1]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=40)
        return self.process.returncode


class Kubectl:
    def __init__(self, kubeconfig, namespace):
        self.kubeconfig = kubeconfig
        self.namespace = namespace

    def __call__(self, *args, check=True, input=None):
        result = subprocess.run(["kubectl", "--kubeconfig", str(self.kubeconfig), "-n", self.namespace, *args],
                                capture_output=True, text=True, input=input, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result

    def apply(self, text):
        return self("apply", "-f", "-", input=text)

    def get(self, kind, name):
        result = self("get", kind, name, "-o", "json", check=False)
        return json.loads(result.stdout) if result.returncode == 0 else None

    def condition(self, kind, name, type_):
        obj = self.get(kind, name) or {}
        return next((c for c in (obj.get("status") or {}).get("conditions") or [] if c["type"] == type_), None)

    def phase(self, name):
        return ((self.get("drx", name) or {}).get("status") or {}).get("phase")

    def wait_phase(self, name, *phases, timeout=90):
        return wait_for(lambda: self.phase(name) in phases and self.get("drx", name), timeout,
                        f"drx/{name} to reach {phases}")

    def events(self, name):
        """The Events about drx/NAME (events.k8s.io/v1), oldest first."""
        listing = json.loads(self("get", "events.v1.events.k8s.io", "-o", "json").stdout)
        items = [e for e in listing["items"] if (e.get("regarding") or {}).get("name") == name]
        return sorted(items, key=lambda e: (e.get("eventTime") or "", e["metadata"].get("creationTimestamp") or ""))


def plan_yaml(name, namespace, layers, approvals="[]", extra_spec=""):
    """A DRPlan of the seeded application's regions and account."""
    return f"""apiVersion: lifeboat.dev/v1alpha1
kind: DRPlan
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  regions: {{primary: us-east-1, secondary: us-west-2}}
  accounts: {{default: "111111111111"}}
  approvals: {{phases: {approvals}}}
{extra_spec}  layers:
{layers}"""


def execution_yaml(name, namespace, plan, phase, mode="Recovery", annotations=None, extra_spec=""):
    notes = ""
    if annotations:
        notes = "\n  annotations:\n" + "".join(f"    {k}: {json.dumps(v)}\n" for k, v in annotations.items())
    return f"""apiVersion: lifeboat.dev/v1alpha1
kind: DRExecution
metadata:
  name: {name}
  namespace: {namespace}{notes.rstrip()}
spec:
  planRef: {{name: {plan}}}
  phase: {phase}
  mode: {mode}
{extra_spec}"""
