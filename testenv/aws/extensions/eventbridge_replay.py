"""EventBridge replays that take time, which moto does not model: moto replays an archive inside
StartReplay and answers COMPLETED at once, so a status check never sees a replay under way and
never sees one fail.

StartReplay is validated and carried out by moto's own backend (the archive, the destination bus,
the time window, a name already used); the replay then shows STARTING for the first third of
CONFIG["eventbridge"]["replaySeconds"], RUNNING until it is over, and COMPLETED after (with
ReplayEndTime), or FAILED with a StateReason when a failure was injected. Lowering replaySeconds
shortens the replays under way too. An injected failure:

    {"kind": "replay-failed", "replayName": "<name or prefix*>", "reason": "...", "count": 1}

DescribeReplay of a replay started through the emulator is answered here (moto's answer lacks
StateReason); ListReplays and every other call go to moto, whose objects advance() keeps current.
Fault rules (throttling, 5xx) apply before this, as for every request.
"""
import json

from testenv.aws.extensions.common import CLOCK, CONFIG, FAILURES, LOCK, json_error, account_of, region_of, rest_json, scope

OPERATIONS = ("StartReplay", "DescribeReplay")
RUNNING = {}     # (account, region, replay name) -> {"replay", "startedAt", "seconds", "failReason"}


def reset():
    with LOCK:
        RUNNING.clear()


def _backend(account, region):
    from moto.events.models import events_backends
    return events_backends[account][region]


def _matches(pattern, name):
    if pattern in (None, "*"):
        return True
    return name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern


def advance(now=None):
    """Moves every tracked replay to the state its age gives it."""
    from moto.events.models import ReplayState
    now = CLOCK.now() if now is None else now
    with LOCK:
        configured = float(CONFIG.get("eventbridge", "replaySeconds"))
        for key, run in list(RUNNING.items()):
            # Lowering the configured time finishes replays under way sooner (a test lets one run on).
            run["seconds"] = min(run["seconds"], configured)
            replay, elapsed = run["replay"], now - run["startedAt"]
            if elapsed >= run["seconds"]:
                replay.state = ReplayState.FAILED if run["failReason"] else ReplayState.COMPLETED
                replay.end_time = CLOCK.wall()
                run["done"] = True
            else:
                replay.state = ReplayState.STARTING if elapsed < run["seconds"] / 3 else ReplayState.RUNNING
                replay.end_time = None
    return now


def _describe(replay, run):
    answer = {k: v for k, v in replay.describe().items() if v is not None}
    if run and run["failReason"] and replay.state.value == "FAILED":
        answer["StateReason"] = run["failReason"]
    return answer


def handle(handler, request):
    if scope(request.headers)[2] != "events" or request.operation not in OPERATIONS:
        return False
    account, region = account_of(request.headers), region_of(request.headers)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        json_error(handler, 400, "ValidationException", "the request body is not JSON")
        return True
    with LOCK:
        now = advance()
        backend = _backend(account, region)
        if request.operation == "DescribeReplay":
            name = body.get("ReplayName", "")
            run = RUNNING.get((account, region, name))
            if run is None:
                return False        # moto answers (and raises ResourceNotFoundException for an unknown name)
            rest_json(handler, 200, _describe(run["replay"], run))
            return True
        name = body.get("ReplayName", "")
        try:
            backend.start_replay(name, body.get("Description", ""), body.get("EventSourceArn", ""),
                                 body.get("EventStartTime"), body.get("EventEndTime"), body.get("Destination") or {})
        except Exception as error:    # moto's JsonRESTError: ValidationException, ResourceAlreadyExistsException, …
            code = getattr(error, "error_type", "ValidationException")
            json_error(handler, getattr(error, "code", 400), code, getattr(error, "message", str(error)))
            return True
        replay = backend.replays[name]
        injected = FAILURES.take("replay-failed", lambda spec: _matches(spec.get("replayName"), name)
                                 and spec.get("region") in (None, region))
        RUNNING[(account, region, name)] = {
            "replay": replay, "startedAt": now, "seconds": float(CONFIG.get("eventbridge", "replaySeconds")),
            "failReason": (injected.get("reason") or "the replay failed (injected by the emulator)") if injected else None}
        advance(now)
        rest_json(handler, 200, {"ReplayArn": replay.arn, "State": replay.state.value, "ReplayStartTime": replay.start_time})
    return True


def state():
    with LOCK:
        now = advance()
        return {"replays": [{"account": account, "region": region, "replayName": name, "state": run["replay"].state.value,
                             "remainingSeconds": max(0.0, run["startedAt"] + run["seconds"] - now),
                             "fails": bool(run["failReason"])}
                            for (account, region, name), run in RUNNING.items()]}
