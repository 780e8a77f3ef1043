"""Fixtures: one emulator for the session, started (and at the end stopped) the way the demo does it,
through `testenv.aws.demo_env start/stop`, and the payments application seeded into it once."""
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from testenv.aws import demo_env  # noqa: E402
from testenv.aws.application import seed_application  # noqa: E402


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    record, reused = demo_env.start(directory, idle_exit=600)
    assert not reused
    yield record["endpoint"]
    demo_env.stop(directory)


@pytest.fixture(scope="session")
def seeded(endpoint):
    """The application with the default prefix and account, as `make demo` seeds it."""
    return seed_application(endpoint)
