"""Fixtures: one test API server per session (reset before each test that uses it), and extra servers
with their own flags when a test needs them."""
import pytest

from kube_testenv import KUBE_WIRE_SUITES, KUBE_WIRE_TOOL, ROOT, WIDGET_CRD, Client, Recording, Server, wait_until


@pytest.fixture(scope="session")
def server():
    s = Server("--crds", str(ROOT / "crds"))
    yield s
    s.stop()


@pytest.fixture
def kube(server):
    """A client of the shared server, freshly reset, with the Widget CRD of the kube-wire scenario served."""
    client = Client(server.port)
    assert client.control("POST", "reset").status == 200
    created = client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", WIDGET_CRD)
    assert created.status == 201, created
    wait_until(lambda: client.get("/apis/example.io/v1").status == 200)
    return client


@pytest.fixture
def spawn():
    """Start extra servers with their own flags; all are stopped at the end of the test."""
    started = []

    def start(*args):
        s = Server(*args)
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()



@pytest.fixture(scope="session", autouse=True)
def kube_wire_recordings(request, tmp_path_factory):
    """{suite: Recording}, each started with the session (when its kube-wire test is selected) so its
    waiting overlaps the other tests."""
    recordings = {}
    if KUBE_WIRE_TOOL.is_dir():
        for suite, (_, options) in KUBE_WIRE_SUITES.items():
            test = f"test_every_transcript_matches_the_real_server[{suite}]"
            if any(item.nodeid.endswith(test) for item in request.session.items):
                recordings[suite] = Recording(tmp_path_factory.mktemp(f"kube-wire-{suite}"), *options)
    yield recordings
    for recording in recordings.values():
        recording.stop()
