"""Session fixtures: one test API server, one AWS emulator with the payments application seeded,
and one operator watching every namespace. Each test works in a namespace of its own."""
import itertools

import pytest

from cluster import ApiServer, Kubectl, Operator  # noqa: E402  (cluster puts the repository on sys.path)
from testenv.aws import demo_env  # noqa: E402
from testenv.aws.application import seed_application  # noqa: E402

_namespaces = itertools.count(1)


@pytest.fixture(scope="session")
def directory(tmp_path_factory):
    return tmp_path_factory.mktemp("operator-e2e")


@pytest.fixture(scope="session")
def endpoint(directory):
    record, _ = demo_env.start(directory / "aws", idle_exit=600)
    seed_application(record["endpoint"])
    yield record["endpoint"]
    demo_env.stop(directory / "aws")


@pytest.fixture(scope="session")
def api(directory):
    server = ApiServer(directory)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def operator(directory, api, endpoint):
    process = Operator(directory, api.kubeconfig, endpoint)
    yield process
    assert process.stop() == 0, "the operator exits 0 on SIGTERM"


@pytest.fixture
def kubectl(api, operator, request):
    namespace = f"e2e-{next(_namespaces)}-{request.node.name[:30].lower().replace('_', '-')}".rstrip("-")
    client = Kubectl(api.kubeconfig, namespace)
    client("create", "namespace", namespace)
    return client
