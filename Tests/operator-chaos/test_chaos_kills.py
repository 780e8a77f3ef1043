"""SIGKILL at seeded random points of the demo plan's four Recovery phases (three layers each), the
operator restarted every time: each run ends Succeeded, and the emulator counts every mutating AWS
call exactly once — the counts written out from the plan in chaos_env.py, never learned from a run.

Kill points are observable events, picked by a seeded RNG as the run goes:

- `lost`: the next call of a mutating operation still to come (picked at random) is let through by
  the emulator (AWS acts) and its answer is held back (fault proxy rule `lose_response`); once AWS
  has acted, the operator is killed while it still waits for the answer — the window "call made,
  response lost";
- `call`: the 1st or 2nd mutating call from now has reached the emulator (its answer may or may
  not have reached the operator);
- `write`: the next status write has been seen by the watcher.

The same seed gives the same choices for the same course of events (LIFEBOAT_CHAOS_SEED overrides
it, to explore). The watcher also checks that no status ever moved backwards across the kills.
"""
import os
import random

from chaos_env import PHASES, backwards_steps, wait_for

SEED = int(os.environ.get("LIFEBOAT_CHAOS_SEED", "1307"))
KILLS_PER_PHASE = {"Instantiate": 12, "Activate": 24, "Cleanup": 12, "Replicate": 10}   # at most: a run that has ended takes no more
MINIMUM_KILLS = 20
HOLD_MS = 120000      # the held answer: far longer than the kill takes, so the operator never sees it
DEADLINE = 60.0


def remaining_calls(expected, calls):
    """{operation: calls still to come} from what the emulator counted so far."""
    return {op: count - calls.get(op, 0) for op, count in expected.items() if count > calls.get(op, 0)}


def test_sigkill_at_seeded_points_repeats_no_aws_call(aws, kube, watcher, operators):
    rng = random.Random(SEED)
    kills = []
    operator = operators()
    for phase, expected in PHASES:
        name = f"{phase.lower()}-chaos"
        aws.control("POST", "stats/reset")
        kube.create_execution(name, phase)

        def finished():
            return (kube.execution(name).get("status") or {}).get("phase") in ("Succeeded", "Failed", "Cancelled")

        for _ in range(KILLS_PER_PHASE[phase]):
            calls = aws.calls()
            remaining = remaining_calls(expected, calls)
            if finished():
                break
            kinds = ["write", "lost", "lost", "call"] if remaining else ["write"]   # the dangerous window twice as often
            kind = rng.choice(kinds)
            writes = len(watcher.statuses(name))
            total = sum(calls.values())
            if kind == "lost":
                service, operation = rng.choice(sorted(remaining)).split(":", 1)
                rule = aws.rule({"kind": "lose_response", "hold_ms": HOLD_MS,
                                 "match": {"service": service, "operation": operation}})
                point = f"{phase}: answer of the next {service}:{operation} lost"
                trigger = lambda rule=rule: aws.rule_status(rule)["lost"] >= 1  # noqa: E731
            elif kind == "call":
                step = rng.randint(1, min(2, sum(remaining.values())))
                point = f"{phase}: mutating call #{total + step}"
                trigger = lambda target=total + step: sum(aws.calls().values()) >= target  # noqa: E731
            else:
                point = f"{phase}: status write #{writes + 1}"
                trigger = lambda target=writes + 1: len(watcher.statuses(name)) >= target  # noqa: E731
            fired = wait_for(lambda: "fired" if trigger() else ("finished" if finished() else None), DEADLINE,
                             f"kill point {point}")
            if fired != "fired":
                aws.clear_rules()
                break
            operator.kill()
            aws.clear_rules()
            kills.append((kind, point))
            operator = operators()
        wait_for(finished, DEADLINE, f"{phase} to finish")
        status = kube.execution(name)["status"]
        assert status["phase"] == "Succeeded", (phase, status.get("conditions"), kills)
        assert aws.calls() == expected, f"{phase}: mutating calls at the emulator after kills {kills}"
        assert backwards_steps(watcher.statuses(name)) == [], phase

    print("\n".join(f"kill {i + 1}: {kind:5} {point}" for i, (kind, point) in enumerate(kills)))
    kinds = [kind for kind, _ in kills]
    assert len(kills) >= MINIMUM_KILLS, kills
    assert {"lost", "call", "write"} <= set(kinds), kills
