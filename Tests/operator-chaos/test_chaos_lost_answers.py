"""Lost answers without a crash: in each of the demo plan's four Recovery phases, the answer to the
first call of every mutating operation is lost after AWS acted (fault proxy `lose_response`: the
connection closes with no answer, or — every other operation — after half of one). The operator
stays up. Nothing may send such a call again (libcurl on a reused connection, or the AWS retry
policy): the module's `start` fails transiently, the engine issues it again as the next attempt,
and it finds what the first call did. Every run ends Succeeded with every mutating call made
exactly once.
"""
from chaos_env import PHASES, backwards_steps, wait_for

DEADLINE = 60.0


def test_lost_answers_are_adopted_not_resent(aws, kube, watcher, operators):
    operators()
    for phase, expected in PHASES:
        name = f"{phase.lower()}-lost-answers"
        aws.control("POST", "stats/reset")
        rules = {}
        for index, qualified in enumerate(sorted(expected)):
            service, operation = qualified.split(":", 1)
            rules[qualified] = aws.rule({"kind": "lose_response", "partial": index % 2 == 1,
                                         "match": {"service": service, "operation": operation}})
        kube.create_execution(name, phase)
        wait_for(lambda: kube.phase(name) in ("Succeeded", "Failed", "Cancelled"), DEADLINE, f"{phase} to finish")
        status = kube.execution(name)["status"]
        failed = [(r["name"], r.get("errorCode"), r.get("message")) for layer in status["layers"]
                  for r in layer["resources"] if r["state"] not in ("Succeeded", "Skipped")]
        assert status["phase"] == "Succeeded", (phase, failed)
        assert {op: aws.rule_status(rule)["lost"] for op, rule in rules.items()} == {op: 1 for op in rules}
        assert aws.calls() == expected, phase
        # The resources whose answers were lost started again (and adopted what was under way).
        attempts = [r.get("attempts") or 0 for layer in status["layers"] for r in layer["resources"] if r["state"] == "Succeeded"]
        assert max(attempts) >= 2, attempts
        assert backwards_steps(watcher.statuses(name)) == [], phase
        aws.clear_rules()
