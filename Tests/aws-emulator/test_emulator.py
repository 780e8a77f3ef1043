"""The emulator as a server: control API, stats, fault rules on extension operations, moto behind it,
the ready line, --port-file, --idle-exit."""
import json
import os
import subprocess
import sys
import urllib.request

import pytest
from botocore.exceptions import ClientError

from emulator_harness import REPO
from test_drs import seed


def test_throttling_rule_hits_a_drs_operation(emu):
    server = seed(emu)[0]
    drs = emu.client("drs")
    # retries={"max_attempts": 1} is botocore's legacy mode: one retry after the first attempt, so two hits
    rule = emu.control("POST", "/__faults__/rules", {"kind": "throttle", "count": 2, "match": {"operation": "StartRecovery"}})
    with pytest.raises(ClientError) as error:
        drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    assert error.value.response["Error"]["Code"] == "ThrottlingException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert emu.control("GET", f"/__faults__/rules/{rule['id']}") == {"hits": 2, "remaining": 0}
    assert drs.describe_jobs()["items"] == []       # the throttled call did nothing
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    assert len(drs.describe_jobs()["items"]) == 1


def test_stats_count_every_call_by_service_and_operation(emu):
    emu.control("POST", "/__emulator__/config", {"drs": {"jobStartSeconds": 0, "launchSeconds": 0}})
    server = seed(emu)[0]
    emu.control("POST", "/__emulator__/stats/reset")
    drs, ec2, lam = emu.client("drs"), emu.client("ec2"), emu.client("lambda")
    drs.start_recovery(sourceServers=[{"sourceServerID": server["sourceServerID"]}])
    drs.describe_jobs()
    drs.describe_jobs()
    ec2.describe_instances()
    lam.list_functions()
    emu.client("ec2", region="us-east-1").describe_instances()
    stats = emu.control("GET", "/__emulator__/stats")
    assert stats["calls"] == {"drs:StartRecovery": 1, "drs:DescribeJobs": 2, "ec2:DescribeInstances": 2, "lambda:ListFunctions": 1}
    # The same per SigV4 signing region: what the drill tests count in the serving region.
    assert stats["byRegion"] == {
        "us-west-2": {"drs:StartRecovery": 1, "drs:DescribeJobs": 2, "ec2:DescribeInstances": 1, "lambda:ListFunctions": 1},
        "us-east-1": {"ec2:DescribeInstances": 1}}
    emu.control("POST", "/__emulator__/stats/reset")
    assert emu.control("GET", "/__emulator__/stats") == {"calls": {}, "byRegion": {}}


def test_config_merges_and_reset_restores_everything(emu):
    config = emu.control("POST", "/__emulator__/config", {"drs": {"launchSeconds": 0.5}, "aurora": {"failoverSeconds": 7}})
    assert config["drs"]["launchSeconds"] == 0.5 and config["drs"]["jobStartSeconds"] == 1 and config["aurora"]["failoverSeconds"] == 7
    seed(emu)
    emu.client("ssm").put_parameter(Name="/x", Value="1", Type="String")
    emu.control("POST", "/__emulator__/failures", {"kind": "drs-launch-failed", "hostname": "x", "count": None})
    emu.control("POST", "/__faults__/rules", {"kind": "throttle", "count": 5, "match": {"operation": "GetParameter"}})
    emu.control("POST", "/__emulator__/reset")
    assert emu.control("GET", "/__emulator__/config") == {
        "drs": {"jobStartSeconds": 1, "launchSeconds": 2, "terminateSeconds": 1, "reverseReplicationSeconds": 2,
                "requireInitialization": False},
        "aurora": {"failoverSeconds": 3, "switchoverSeconds": 3}, "eventbridge": {"replaySeconds": 3},
        "lambda": {"invokeSeconds": 0}, "opensearch": {"changeSeconds": 3}, "rds": {"replicationSeconds": 3, "restoreSeconds": 3},
        "memorydb": {"createSeconds": 3},
        "elasticache": {"globalCreateSeconds": 3, "memberCreateSeconds": 3, "failoverSeconds": 3, "disassociateSeconds": 3,
                        "deleteSeconds": 3}}
    assert emu.control("GET", "/__emulator__/failures") == {"failures": []}
    assert emu.control("GET", "/__emulator__/stats") == {"calls": {}, "byRegion": {}}
    assert emu.client("drs").describe_source_servers()["items"] == []
    with pytest.raises(ClientError) as error:           # moto was reset, and no throttling rule is left
        emu.client("ssm").get_parameter(Name="/x")
    assert error.value.response["Error"]["Code"] == "ParameterNotFound"


def test_drs_state_route_and_uninitialized_accounts(emu):
    server = seed(emu)[0]
    state = emu.control("GET", "/__emulator__/drs/state?account=123456789012&region=us-west-2")
    assert [s["sourceServerID"] for s in state["areas"][0]["sourceServers"]] == [server["sourceServerID"]]
    emu.control("POST", "/__emulator__/config", {"drs": {"requireInitialization": True}})
    fresh = emu.client("drs", region="eu-west-1")
    with pytest.raises(ClientError) as error:
        fresh.describe_jobs()
    assert error.value.response["Error"]["Code"] == "UninitializedAccountException"
    fresh.initialize_service()
    assert fresh.describe_jobs()["items"] == []


def test_unknown_control_route_and_bad_failure_kind(emu):
    with pytest.raises(AssertionError, match="404"):
        emu.control("GET", "/__emulator__/nothing")
    with pytest.raises(AssertionError, match="400"):
        emu.control("POST", "/__emulator__/failures", {"kind": "bogus"})


def test_ready_line_port_file_keep_running_and_idle_exit(tmp_path):
    """--keep-running ignores stdin (here at end of file at once); --idle-exit ends it after a quiet second."""
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, "-m", "testenv.aws.emulator", "--keep-running", "--port-file", str(port_file),
                                "--idle-exit", "1"], cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    try:
        info = json.loads(process.stdout.readline())
        assert set(info) == {"port", "motoPort"} and int(port_file.read_text()) == info["port"]
        body = urllib.request.urlopen(f"http://127.0.0.1:{info['port']}/__emulator__/stats", timeout=10).read()
        assert json.loads(body) == {"calls": {}, "byRegion": {}}
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
