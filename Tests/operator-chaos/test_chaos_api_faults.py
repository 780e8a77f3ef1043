"""The API server misbehaving towards the operator (and only towards it: every fault is scoped to its
user agent, so the test's own watcher sees everything) while the demo plan's four Recovery phases
run: a 409 Conflict on every third status write (executions and plans), and, at seeded points
(the watcher having seen a seeded number of status writes), one of: its open watches dropped,
its open watches ended with an in-stream 410 Expired (so its informers relist), a burst of 429s
(Retry-After 1 s) or of 503s on whatever it sends next. Every run must end Succeeded with every
mutating AWS call made exactly once, and no status the watcher saw may ever move backwards.
"""
import os
import random

from chaos_env import PHASES, backwards_steps, wait_for

SEED = int(os.environ.get("LIFEBOAT_CHAOS_SEED", "1307"))
AGENT = "lifeboat-operator/"
DEADLINE = 90.0
DISRUPTIONS = ("drop", "expire", "429", "503")


def test_api_faults_never_move_status_backwards_nor_repeat_aws_calls(aws, kube, watcher, operators):
    rng = random.Random(SEED)
    kube.fault(verb="patch", path="/status", userAgent=AGENT, conflict=True, every=3, count=None)
    operators()
    done = []
    for phase, expected in PHASES:
        name = f"{phase.lower()}-api-faults"
        aws.control("POST", "stats/reset")
        kube.create_execution(name, phase)
        # Seeded points: after the k-th status write of this run, for a few increasing k.
        points = sorted(rng.sample(range(1, 9), 3))
        for point in points:
            disruption = rng.choice(DISRUPTIONS)
            reached = wait_for(lambda: "write" if len(watcher.statuses(name)) >= point else
                               ("finished" if kube.phase(name) in ("Succeeded", "Failed", "Cancelled") else None),
                               DEADLINE, f"status write #{point} of {phase}")
            if reached != "write":
                break
            if disruption in ("drop", "expire"):
                affected = kube.watches(disruption, AGENT)
                assert affected >= 1, f"{disruption}: the operator had no watch open"
            else:
                kube.fault(verb="*", userAgent=AGENT, status=int(disruption), count=4)
            done.append((phase, point, disruption))
        wait_for(lambda: kube.phase(name) in ("Succeeded", "Failed", "Cancelled"), DEADLINE, f"{phase} to finish")
        status = kube.execution(name)["status"]
        assert status["phase"] == "Succeeded", (phase, status.get("conditions"), done)
        assert aws.calls() == expected, (phase, done)
        assert backwards_steps(watcher.statuses(name)) == [], phase

    faults = kube.ok("GET", "/testenv/faults")["faults"]
    print("\n".join(f"{phase}: after status write #{point}: {what}" for phase, point, what in done), faults)
    conflicts = [f for f in faults if f.get("conflict")]
    assert conflicts and conflicts[0]["matched"] >= 3 * len(PHASES), conflicts   # 409s were really sent
    assert [f for f in faults if not f.get("conflict")] == [], "a 429/503 burst was never sent in full"
    assert len(done) >= 8, done
    assert {d for _, _, d in done} == set(DISRUPTIONS), done
