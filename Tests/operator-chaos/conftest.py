"""Fixtures of the operator chaos tests: one AWS emulator for the session (reset and seeded again
for each test), and per test a fresh test API server with the demo plan, a watcher of its
DRExecutions, and a factory of operator replicas. Everything a fixture starts, it stops."""
import pytest

from chaos_env import OPERATOR, Emulator, Kube, Operator, Recorder, Watcher


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    if not OPERATOR.exists():
        raise RuntimeError(f"{OPERATOR} is missing: `swift build --product lifeboat-operator` first")
    emulator = Emulator(tmp_path_factory.mktemp("emulator"))
    yield emulator
    emulator.stop()


@pytest.fixture
def aws(emulator):
    """The emulator with the payments application seeded afresh, no calls counted, no fault rules."""
    emulator.fresh()
    yield emulator
    emulator.clear_rules()


@pytest.fixture
def kube(tmp_path):
    kube = Kube(tmp_path)
    kube.create_plan()
    yield kube
    kube.stop()


@pytest.fixture
def watcher(kube):
    watcher = Watcher(kube)
    yield watcher
    watcher.stop()


@pytest.fixture
def operators(tmp_path, kube, aws):
    """start(name, endpoint=None, leader_elect=False) -> a new Operator; all are killed at the end."""
    started = []
    kubeconfig = kube.kubeconfig(tmp_path / "kubeconfig")

    def start(name="solo", endpoint=None, leader_elect=False):
        operator = Operator(tmp_path, kubeconfig, endpoint or aws.endpoint, name, leader_elect=leader_elect,
                            number=len(started))
        started.append(operator)
        return operator
    yield start
    for operator in started:
        operator.kill()


@pytest.fixture
def recorders(aws):
    """recorder() -> a new recording forwarder in front of the emulator; all are stopped at the end."""
    started = []

    def start():
        recorder = Recorder(aws.endpoint)
        started.append(recorder)
        return recorder
    yield start
    for recorder in started:
        recorder.stop()
