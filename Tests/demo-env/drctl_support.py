"""Running the real drctl against the emulator from the Python tests: an emulator of a test module's
own, the binary `make test` builds, an environment that reaches only the emulator, and a plan-lock
directory of the test's own."""
import contextlib
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

from testenv.aws import demo_env

ROOT = Path(__file__).resolve().parents[2]
DRCTL = ROOT / ".build" / "debug" / "drctl"


@contextlib.contextmanager
def own_emulator(tmp_path_factory, name):
    """A fresh emulator (started the way the demo starts one), stopped when the block ends."""
    directory = tmp_path_factory.mktemp(name)
    record, reused = demo_env.start(directory, idle_exit=600)
    try:
        assert not reused
        yield record
    finally:
        demo_env.stop(directory)


def aws_env(endpoint, lock_dir=None):
    """Only the emulator: dummy keys, its endpoint, no profile or metadata service of the caller;
    with `lock_dir`, plan locks there instead of the machine-wide /tmp/lifeboat-locks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    if lock_dir is not None:
        env["LIFEBOAT_LOCK_DIR"] = str(lock_dir)
    return env


def drctl(*args, env=None, timeout=60):
    """drctl with these arguments, from the repository root, without standard input."""
    if not DRCTL.is_file():
        pytest.fail(f"{DRCTL} is missing: run `swift build --product drctl` first (`make test` builds it)")
    return subprocess.run([str(DRCTL), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=env, stdin=subprocess.DEVNULL)


def emulator_stats(endpoint):
    """The emulator's call counts: {"calls": {op: n}, "byRegion": {region: {op: n}}}."""
    with urllib.request.urlopen(f"{endpoint}/__emulator__/stats", timeout=10) as response:
        return json.loads(response.read())
