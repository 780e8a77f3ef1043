"""The control API (/testenv): faults for the next requests that match, reset, state; and bearer-token
authentication."""
import http.client

import pytest

from kube_testenv import WIDGETS, Client, widget


def add_fault(kube, **spec):
    response = kube.control("POST", "faults", spec)
    assert response.status == 201, response
    return response.json["ids"][0]


def test_429_with_retry_after_for_the_next_matching_requests_only(kube):
    kube.post(WIDGETS, widget("a"))
    add_fault(kube, verb="get", path="/widgets/a", status=429, count=2, retryAfterSeconds=3)
    for _ in range(2):
        limited = kube.get(f"{WIDGETS}/a")
        assert (limited.status, limited.json["reason"], limited.json["details"]["retryAfterSeconds"]) == (
            429, "TooManyRequests", 3)
        assert dict(limited.headers)["Retry-After"] == "3"
    assert kube.get(f"{WIDGETS}/a").status == 200
    assert kube.control("GET", "faults").json["faults"] == []


@pytest.mark.parametrize("status, reason", [(500, "InternalError"), (503, "ServiceUnavailable"), (504, "Timeout"),
                                            (410, "Expired")])
def test_server_errors_as_status_bodies(kube, status, reason):
    add_fault(kube, verb="list", status=status)
    response = kube.get(WIDGETS)
    assert (response.status, response.json["kind"], response.json["reason"]) == (status, "Status", reason)
    assert kube.get(WIDGETS).status == 200


def test_dropped_connections(kube):
    add_fault(kube, verb="POST", drop=True)
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        kube.post(WIDGETS, widget("a"))
    assert kube.get(f"{WIDGETS}/a").status == 404  # nothing was done
    assert kube.post(WIDGETS, widget("a")).status == 201


def test_conflicts_on_a_share_of_writes(kube):
    kube.post(WIDGETS, widget("a"))
    add_fault(kube, verb="patch", conflict=True, every=2, count=None)
    codes = [kube.patch(f"{WIDGETS}/a", {"spec": {"size": i}}).status for i in range(2, 8)]
    assert codes == [409, 200, 409, 200, 409, 200]
    kube.control("DELETE", "faults")
    assert kube.patch(f"{WIDGETS}/a", {"spec": {"size": 9}}).status == 200


def test_skip_then_act_and_latency(kube):
    fault = add_fault(kube, verb="get", path="/widgets/zz", skip=1, status=503)
    assert kube.get(f"{WIDGETS}/zz").status == 404
    assert kube.get(f"{WIDGETS}/zz").status == 503
    assert kube.control("GET", "faults").json["faults"] == []
    add_fault(kube, verb="get", path="/widgets/zz", delayMs=50, count=None)
    assert kube.get(f"{WIDGETS}/zz").status == 404
    assert kube.control("DELETE", "faults").json["removed"] == 1
    assert fault


def test_a_fault_scoped_to_one_client_by_user_agent(kube):
    """A partition of one replica: only requests whose User-Agent contains the string fail."""
    kube.post(WIDGETS, widget("a"))
    add_fault(kube, verb="*", userAgent="replica-a", status=503, count=None)
    assert kube.get(f"{WIDGETS}/a", headers={"User-Agent": "lifeboat replica-a"}).status == 503
    assert kube.get(f"{WIDGETS}/a", headers={"User-Agent": "lifeboat replica-b"}).status == 200
    assert kube.get(f"{WIDGETS}/a").status == 200
    kube.control("DELETE", "faults")
    assert kube.get(f"{WIDGETS}/a", headers={"User-Agent": "lifeboat replica-a"}).status == 200


def test_bad_fault_specifications_are_refused(kube):
    assert kube.control("POST", "faults", {"verb": "get"}).status == 400
    assert kube.control("POST", "faults", {"status": "teapot"}).status == 400


def test_reset_forgets_everything_created_since_startup(kube):
    kube.post(WIDGETS, widget("a"))
    before = int(kube.control("GET", "state").json["resourceVersion"])
    state = kube.control("POST", "reset").json
    assert int(state["resourceVersion"]) > before  # resourceVersions never go back
    assert kube.get("/apis/example.io/v1").status == 404
    assert kube.get("/apis/lifeboat.dev/v1alpha1").status == 200  # CRDs loaded at startup stay
    assert state["openWatches"] == 0 and state["cel"] is True


def test_bearer_token_authentication(spawn):
    server = spawn("--token", "s3cret")
    anonymous = Client(server.port).get("/api/v1/namespaces")
    assert anonymous.status == 401
    assert anonymous.json == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                              "message": "Unauthorized", "reason": "Unauthorized", "code": 401}
    assert Client(server.port, token="wrong").get("/api/v1/namespaces").status == 401
    assert Client(server.port, token="s3cret").get("/api/v1/namespaces").status == 200
    assert Client(server.port).get("/testenv/state").status == 200  # the control API stays open
