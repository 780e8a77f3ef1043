"""`make demo` (scripts/demo, the operator's demo) end to end: a local API server, the emulator and
lifeboat-operator, driven with kubectl. It completes, prints the final AWS state, makes every
mutating AWS call exactly as often as the break-glass demo does, and leaves nothing running; with
the demo and its operator killed (SIGKILL) during Activate, running it again resumes the run and
repeats no AWS action."""
import contextlib
import json
import os
import signal
import subprocess

import pytest

from test_demo import (EXPECTED_CALLS, ROOT, Demo, assert_final_state_printed, processes_mentioning, section, table,
                       wait_for)
from testenv.aws import demo_env

SCRIPT = ROOT / "scripts" / "demo"
OPERATOR = ROOT / ".build" / "debug" / "lifeboat-operator"


class OperatorDemo(Demo):
    script = SCRIPT

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith("LIFEBOAT_DEMO_") and k != "KUBECONFIG"}
        env.update(LIFEBOAT_DEMO_DIR=str(self.dir), LIFEBOAT_OPERATOR=str(OPERATOR), **extra)
        return env

    def kubectl_json(self, *args):
        kubeconfig = self.dir / "kubeconfig"
        if not kubeconfig.exists():
            return None
        result = subprocess.run(["kubectl", "--kubeconfig", str(kubeconfig), "-n", "dr", *args, "-o", "json"],
                                capture_output=True, text=True, timeout=30)
        return json.loads(result.stdout) if result.returncode == 0 else None


@pytest.fixture
def demo(tmp_path):
    if not OPERATOR.is_file():
        pytest.fail(f"{OPERATOR} is missing: run `swift build --product lifeboat-operator` first (`make test` builds it)")
    demo = OperatorDemo(tmp_path)
    yield demo
    demo.stop()
    with contextlib.suppress(TimeoutError):
        wait_for(lambda: not processes_mentioning(str(demo.dir)), 20, "the demo's processes to go")
    assert not processes_mentioning(str(demo.dir)), "the API server, emulator and operator of the demo are gone"
    assert not demo.dir.exists()


def mutating_calls(demo):
    stats = demo_env.fetch_stats(demo.emulator_record()["endpoint"])
    return {key: count for key, count in demo_env.mutating_calls(stats).items() if count}


def printed_calls(output):
    rows = table(section(output, "Every AWS action the operator took"), "Mutating AWS calls")
    return {row["operation"]: int(row["calls"]) for row in rows if int(row["calls"])}


def test_the_operator_demo_runs_all_four_phases_with_kubectl(demo):
    code, output = demo.run(LIFEBOAT_DEMO_KEEP="1")
    assert code == 0, output[-4000:]
    assert "condition met" in section(output, "Instantiate (Recovery): pre-warm the standby in us-west-2")
    gate = section(output, "The run waits at gate layer-traffic")
    assert "AwaitingApproval" in gate
    events = section(output, "The Events of the Activate run")
    assert "GateApproved" in events and "ExecutionSucceeded" in events
    assert_final_state_printed(output)
    assert mutating_calls(demo) == EXPECTED_CALLS
    assert printed_calls(output) == EXPECTED_CALLS


def test_killed_during_activate_the_demo_resumes_and_repeats_no_aws_action(demo):
    demo.start(LIFEBOAT_DEMO_KEEP="1")

    def launch_in_flight():
        execution = demo.kubectl_json("get", "drx", "payments-activate") or {}
        for layer in (execution.get("status") or {}).get("layers", []):
            for resource in layer["resources"]:
                if resource["name"] == "legacy-servers" and resource["state"] == "InProgress":
                    return True
        return False

    wait_for(launch_in_flight, 120, "Activate's DRS launch in flight")
    operator_pid = int((demo.dir / "operator.pid").read_text())
    os.kill(operator_pid, signal.SIGKILL)
    os.killpg(demo.process.pid, signal.SIGKILL)
    demo.process.wait(timeout=30)

    code, output = demo.run(LIFEBOAT_DEMO_KEEP="1")
    assert code == 0, output[-4000:]
    assert "reusing the API server of an interrupted demo" in output
    assert_final_state_printed(output)
    assert mutating_calls(demo) == EXPECTED_CALLS, "the resumed demo made each AWS call as often as an uninterrupted one"
