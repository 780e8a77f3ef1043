"""The API server misbehaving towards the operator (and only towards it: every fault is scoped to its
user agent, so the test's own watcher sees everything) while the demo plan's four Recovery phases
run: a 409 Conflict on every third status write (executions and plans), and, at two seeded points
of each run (the watcher having seen its 1st, 2nd or 3rd status write), one of — each twice, in a
seeded order: its open watches dropped, its open watches ended with an in-stream 410 Expired (so
its informers relist), a burst of 429s (Retry-After 1 s) or of 503s on whatever it sends next.
Every run must end Succeeded with every mutating AWS call made exactly once, and no status the
watcher saw may ever move backwards.
"""
import os
import random

from chaos_env import PHASES, backwards_steps, wait_for

SEED = int(os.environ.get("LIFEBOAT_CHAOS_SEED", "1307"))
AGENT = "lifeboat-operator/"
DEADLINE = 90.0
DISRUPTIONS = ("drop", "expire", "429", "503")
POINTS = (1, 2, 3)


def test_api_faults_never_move_status_backwards_nor_repeat_aws_calls(aws, kube, watcher, operators):
    rng = random.Random(SEED)
    kinds = list(DISRUPTIONS) * 2          # each disruption twice, in a seeded order
    rng.shuffle(kinds)
    kinds = iter(kinds)
    kube.fault(verb="patch", path="/status", userAgent=AGENT, conflict=True, every=3, count=None)
    operators()
    done, bursts = [], []
    for phase, expected in PHASES:
        name = f"{phase.lower()}-api-faults"
        aws.control("POST", "stats/reset")
        kube.create_execution(name, phase)
        # Two seeded points per run, after its 1st, 2nd or 3rd status write: every phase writes at
        # least four statuses, so each point comes while the run is still going.
        for point in sorted(rng.sample(POINTS, 2)):
            disruption = next(kinds)
            wait_for(lambda: len(watcher.statuses(name)) >= point, DEADLINE, f"status write #{point} of {phase}")
            if disruption in ("drop", "expire"):
                # Right after another disruption the operator may be between two watches: act on
                # the next ones it opens.
                wait_for(lambda: kube.watches(disruption, AGENT) >= 1, DEADLINE, f"an open watch of the operator to {disruption}")
            else:
                bursts.extend(kube.fault(verb="*", userAgent=AGENT, status=int(disruption), count=4)["ids"])
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
    # Each burst hit the operator (a burst left over is one the operator had not used up when the
    # runs ended: it was idle by then; one it never met at all would have changed nothing).
    left = {f["id"]: f for f in faults if not f.get("conflict")}
    assert [burst for burst in bursts if burst in left and left[burst]["matched"] == 0] == [], left
    assert sorted(d for _, _, d in done) == sorted(DISRUPTIONS * 2), done
