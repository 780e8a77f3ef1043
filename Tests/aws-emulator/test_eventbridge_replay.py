"""EventBridge replays that take time (moto finishes them inside StartReplay): StartReplay and
DescribeReplay checked against botocore's model, the states a replay passes through, an injected
failure with its reason, and moto's own validation kept."""
import datetime

import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems, wait_until

WINDOW = dict(EventStartTime=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
              EventEndTime=datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc))


def archive(emu, region="us-west-2"):
    events = emu.client("events", region=region)
    bus = events.create_event_bus(Name="orders")["EventBusArn"]
    archive_arn = events.create_archive(ArchiveName="orders-archive", EventSourceArn=bus)["ArchiveArn"]
    return events, bus, archive_arn


def test_shape_start_replay_and_describe_replay_while_running(emu):
    emu.control("POST", "/__emulator__/config", {"eventbridge": {"replaySeconds": 60}})
    events, bus, archive_arn = archive(emu)
    started = events.start_replay(ReplayName="r1", EventSourceArn=archive_arn, Destination={"Arn": bus}, **WINDOW)
    assert response_problems("events", "StartReplay", started) == []
    assert started["State"] == "STARTING"
    described = events.describe_replay(ReplayName="r1")
    assert response_problems("events", "DescribeReplay", described) == []
    assert described["State"] in ("STARTING", "RUNNING")
    assert "ReplayEndTime" not in described
    listed = events.list_replays(NamePrefix="r1")
    assert response_problems("events", "ListReplays", listed) == []
    assert listed["Replays"][0]["State"] == described["State"]


def test_a_replay_passes_through_running_to_completed(emu):
    emu.control("POST", "/__emulator__/config", {"eventbridge": {"replaySeconds": 0.6}})
    events, bus, archive_arn = archive(emu)
    events.start_replay(ReplayName="r2", EventSourceArn=archive_arn, Destination={"Arn": bus}, **WINDOW)
    seen = []

    def completed():
        state = events.describe_replay(ReplayName="r2")["State"]
        if not seen or seen[-1] != state:
            seen.append(state)
        return state == "COMPLETED"
    assert wait_until(completed, timeout=10)
    assert seen[-1] == "COMPLETED" and set(seen) <= {"STARTING", "RUNNING", "COMPLETED"}
    final = events.describe_replay(ReplayName="r2")
    assert response_problems("events", "DescribeReplay", final) == []
    assert "ReplayEndTime" in final


def test_an_injected_failure_ends_failed_with_its_reason(emu):
    emu.control("POST", "/__emulator__/config", {"eventbridge": {"replaySeconds": 0}})
    emu.control("POST", "/__emulator__/failures", {"kind": "replay-failed", "replayName": "r3*", "reason": "destination bus deleted"})
    events, bus, archive_arn = archive(emu)
    events.start_replay(ReplayName="r3-x", EventSourceArn=archive_arn, Destination={"Arn": bus}, **WINDOW)
    described = events.describe_replay(ReplayName="r3-x")
    assert response_problems("events", "DescribeReplay", described) == []
    assert (described["State"], described["StateReason"]) == ("FAILED", "destination bus deleted")


def test_moto_validation_still_applies(emu):
    events, bus, archive_arn = archive(emu)
    events.start_replay(ReplayName="r4", EventSourceArn=archive_arn, Destination={"Arn": bus}, **WINDOW)
    with pytest.raises(ClientError) as twice:
        events.start_replay(ReplayName="r4", EventSourceArn=archive_arn, Destination={"Arn": bus}, **WINDOW)
    assert twice.value.response["Error"]["Code"] == "ResourceAlreadyExistsException"
    with pytest.raises(ClientError) as missing:
        events.describe_replay(ReplayName="never")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_state_route_lists_replays(emu):
    emu.control("POST", "/__emulator__/config", {"eventbridge": {"replaySeconds": 60}})
    events, bus, archive_arn = archive(emu)
    events.start_replay(ReplayName="r5", EventSourceArn=archive_arn, Destination={"Arn": bus}, **WINDOW)
    replays = emu.control("GET", "/__emulator__/eventbridge/state")["replays"]
    assert [(r["replayName"], r["region"]) for r in replays] == [("r5", "us-west-2")]
