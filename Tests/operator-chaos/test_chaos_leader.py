"""Two replicas with leader election (Lease in `default`: 3 s lease, 2 s renew deadline, 1 s retry),
each calling AWS through its own recording forwarder, so the emulator's counts say what happened
and the recorders say which replica did it, and when.

- The leader killed with SIGKILL in the middle of a layer: the other takes over and completes
  the run, and nothing happened twice.
- The leader cut off from the API server only (every request of its user agent fails, or hangs,
  and its open watches are cut), while one of its AWS calls is slow: it stops acting once its
  renew deadline has passed — no AWS call from it after it logged the loss, and none after the
  other replica's first — and the other completes the run, exactly once.
"""
import time
from collections import Counter
from datetime import datetime

import pytest

from chaos_env import ACTIVATE_CALLS, INSTANTIATE_CALLS, backwards_steps, wait_for

EXPECTED = dict(Counter(INSTANTIATE_CALLS) + Counter(ACTIVATE_CALLS))
DEADLINE = 60.0
REPLICAS = ("replica-a", "replica-b")


def log_time(line):
    """The wall time of an operator's log line (its own `time` field, milliseconds, UTC)."""
    return datetime.strptime(line["time"], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def start_replicas(operators, recorders):
    """Both replicas, each behind its own recorder; returns ({name: (operator, recorder)}, leader name)."""
    replicas = {}
    for name in REPLICAS:
        recorder = recorders()
        replicas[name] = (operators(name, endpoint=recorder.endpoint, leader_elect=True), recorder)
    leader = wait_for(lambda: [name for name, (operator, _) in replicas.items() if operator.logged("became leader")],
                      DEADLINE, "a leader")
    assert len(leader) == 1, leader
    return replicas, leader[0]


def run_instantiate(kube):
    kube.create_execution("instantiate", "Instantiate")
    wait_for(lambda: kube.phase("instantiate") == "Succeeded", DEADLINE, "Instantiate to succeed")


def status_of(kube, name):
    return kube.execution(name).get("status") or {}


def resource_state(status, name):
    return next((r["state"] for layer in status.get("layers") or [] for r in layer["resources"] if r["name"] == name), None)


def test_leader_killed_mid_layer_the_other_completes_exactly_once(aws, kube, watcher, operators, recorders):
    replicas, leader = start_replicas(operators, recorders)
    follower = next(name for name in REPLICAS if name != leader)
    run_instantiate(kube)
    kube.create_execution("activate", "Activate")
    # Mid-layer: the compute layer's DRS recovery job has been asked for, and the run polls it.
    wait_for(lambda: aws.calls().get("drs:StartRecovery") == 1, DEADLINE, "the DRS recovery job to start")
    layer = next(layer for layer in status_of(kube, "activate")["layers"] if layer["name"] == "compute")
    killed_at = time.time()
    replicas[leader][0].kill()

    wait_for(lambda: kube.phase("activate") in ("Succeeded", "Failed"), DEADLINE, "Activate to finish")
    assert kube.phase("activate") == "Succeeded", status_of(kube, "activate").get("conditions")
    assert layer["state"] == "Running"                      # the kill was mid-layer
    assert aws.calls() == EXPECTED
    took_over = replicas[follower][0].logged("became leader")
    assert took_over, f"{follower} never led"
    follower_calls = replicas[follower][1].snapshot()
    assert follower_calls, f"{follower} made no AWS call: who completed the run?"
    assert all(at >= log_time(took_over[0]) for at, _ in follower_calls)   # nothing while it only waited
    assert min(at for at, _ in follower_calls) > killed_at
    assert backwards_steps(watcher.statuses("activate")) == []


@pytest.mark.parametrize("partition", ["fail", "hang"])
def test_partitioned_leader_stops_acting_before_the_other_takes_over(aws, kube, watcher, operators, recorders,
                                                                     partition):
    replicas, leader = start_replicas(operators, recorders)
    follower = next(name for name in REPLICAS if name != leader)
    run_instantiate(kube)
    # The first read of a DRS launch configuration — in Activate's compute layer, the DRS start,
    # which then changes launch settings and starts a recovery job — answers only after 6 s: the
    # leader is cut off while it waits, and must not go on to the calls that follow once it has
    # lost the lease.
    slow = aws.rule({"kind": "latency", "delay_ms": 6000, "match": {"service": "drs", "operation": "GetLaunchConfiguration"}})
    kube.create_execution("activate", "Activate")
    wait_for(lambda: aws.rule_status(slow)["hits"] == 1, DEADLINE, "the leader's slow DRS read")
    assert resource_state(status_of(kube, "activate"), "payments-db") == "Succeeded"   # mid-run: layer 2 of 3
    agent = f"({leader})"
    action = {"status": 503} if partition == "fail" else {"delayMs": 60000, "drop": True}
    kube.fault(verb="*", userAgent=agent, count=None, **action)
    cut = kube.watches("drop", user_agent=agent)
    assert cut >= 2, "the leader's watches (plans, executions) were not cut"

    operator, recorder = replicas[leader]
    lost = wait_for(lambda: operator.logged("leadership lost"), DEADLINE, "the leader to give up")
    assert operator.wait_exit(DEADLINE) == 1
    wait_for(lambda: kube.phase("activate") in ("Succeeded", "Failed"), DEADLINE, "Activate to finish")
    assert kube.phase("activate") == "Succeeded", status_of(kube, "activate").get("conditions")
    assert aws.calls() == EXPECTED

    gave_up = log_time(lost[0])
    late = [(at, op) for at, op in recorder.snapshot() if at > gave_up]
    assert late == [], f"{leader} called AWS after it lost the lease at {gave_up}"
    took_over = replicas[follower][0].logged("became leader")
    follower_calls = replicas[follower][1].snapshot()
    assert took_over and follower_calls
    assert max(at for at, _ in recorder.snapshot()) < min(at for at, _ in follower_calls)
    assert gave_up < log_time(took_over[0])
    assert backwards_steps(watcher.statuses("activate")) == []
