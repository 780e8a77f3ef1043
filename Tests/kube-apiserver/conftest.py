"""Fixtures: one test API server per session (reset before each test that uses it), and extra servers
with their own flags when a test needs them."""
import pytest

from kube_testenv import KUBE_WIRE_TOOL, ROOT, WIDGET_CRD, Client, Recording, Server, wait_until


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
def kube_wire_recording(request, tmp_path_factory):
    """Started with the session (when the kube-wire test is selected) so its waiting overlaps the others."""
    wanted = any(item.nodeid.endswith("test_every_transcript_matches_the_real_server") for item in request.session.items)
    if not wanted or not KUBE_WIRE_TOOL.is_dir():
        yield None
        return
    recording = Recording(tmp_path_factory.mktemp("kube-wire"))
    yield recording
    recording.stop()
