"""testenv.aws.demo_env start/stop: the demo's emulator outlives the command that started it, is
found again by the next start, and stop is idempotent; a stale or foreign record is never reused."""
import json
import os
import signal
import time

from aws_inventory import run_module
from testenv.aws import demo_env


def start(directory):
    result = run_module("testenv.aws.demo_env", "start", "--dir", str(directory), "--idle-exit", "300")
    assert result.returncode == 0, result.stderr
    record = json.loads((directory / "emulator.json").read_text())
    assert result.stdout.strip() == record["endpoint"]
    return record, result.stderr.strip()


def stop(directory):
    result = run_module("testenv.aws.demo_env", "stop", "--dir", str(directory))
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def test_start_reuses_a_live_emulator_and_stop_is_idempotent(tmp_path):
    directory = tmp_path / ".demo"
    record, said = start(directory)
    try:
        assert said == "started"
        assert set(record) == {"pid", "port", "endpoint", "started"}
        assert record["endpoint"] == f"http://127.0.0.1:{record['port']}"
        # The starting command has exited; the emulator lives on, detached.
        assert demo_env.process_alive(record["pid"]) and demo_env.answers(record["endpoint"])
        assert os.getsid(record["pid"]) == record["pid"]  # its own session: a Ctrl-C of the demo misses it
        again, said = start(directory)
        assert said == "reused" and again == record
    finally:
        assert stop(directory) == "stopped"
    assert not demo_env.process_alive(record["pid"])
    assert not (directory / "emulator.json").exists()
    assert stop(directory) == "not running"
    assert stop(tmp_path / "never-started") == "not running"


def test_a_dead_or_foreign_record_gets_a_new_emulator(tmp_path):
    directory = tmp_path / ".demo"
    directory.mkdir()
    # A record naming a live process that is not an emulator (this test): neither reused nor signalled.
    (directory / "emulator.json").write_text(json.dumps(
        {"pid": os.getpid(), "port": 9, "endpoint": "http://127.0.0.1:9", "started": "then"}))
    record, said = start(directory)
    try:
        assert said == "started" and record["pid"] != os.getpid()
        # The emulator is killed outright (as after a reboot or an OOM kill): the next start replaces it.
        os.kill(record["pid"], signal.SIGKILL)
        demo_env.wait_for(lambda: not demo_env.process_alive(record["pid"]),
                          time.monotonic() + 10, "the killed emulator to go")
        replaced, said = start(directory)
        assert said == "started" and replaced["pid"] != record["pid"]
    finally:
        stop(directory)
    assert not demo_env.process_alive(replaced["pid"])
