"""The request log (GET /testenv/requests): every API request in order with method, path, query,
User-Agent and status; watches while open; refused requests too; never a credential; cleared by
DELETE and by reset."""
from kube_testenv import WIDGETS, Client, widget


def logged(kube, **query):
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    response = kube.control("GET", f"requests?{suffix}" if suffix else "requests")
    assert response.status == 200, response
    return response.json


def test_every_verb_is_logged_in_order_with_its_status(kube):
    kube.control("DELETE", "requests")
    kube.post(WIDGETS, widget("a"))
    kube.get(f"{WIDGETS}/a")
    kube.get(f"{WIDGETS}?limit=1")
    kube.patch(f"{WIDGETS}/a", {"spec": {"size": 2}})
    kube.get(f"{WIDGETS}/missing")
    kube.delete(f"{WIDGETS}/a")
    entries = logged(kube)["requests"]
    assert [(e["method"], e["path"], e["query"], e["code"]) for e in entries] == [
        ("POST", WIDGETS, {}, 201), ("GET", f"{WIDGETS}/a", {}, 200), ("GET", WIDGETS, {"limit": "1"}, 200),
        ("PATCH", f"{WIDGETS}/a", {}, 200), ("GET", f"{WIDGETS}/missing", {}, 404), ("DELETE", f"{WIDGETS}/a", {}, 200)]
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert logged(kube, since=entries[3]["seq"])["requests"] == entries[4:]


def test_an_open_watch_is_logged_with_its_status(kube):
    kube.control("DELETE", "requests")
    watch = kube.watch(f"{WIDGETS}?watch=true&timeoutSeconds=30")
    try:
        assert watch.status == 200
        (entry,) = logged(kube)["requests"]
        assert (entry["method"], entry["path"], entry["query"]["watch"], entry["code"]) == ("GET", WIDGETS, "true", 200)
    finally:
        watch.close()


def test_refused_requests_are_logged_and_credentials_are_not(spawn):
    server = spawn("--token", "s3cret-token")
    anonymous, client = Client(server.port), Client(server.port, token="s3cret-token")
    assert anonymous.get("/api/v1/namespaces/default/secrets/x").status == 401
    assert client.get("/api/v1/namespaces/default/secrets/x").status == 404  # not served, still asked for
    response = client.control("GET", "requests")
    assert [(e["path"], e["code"]) for e in response.json["requests"]] == [
        ("/api/v1/namespaces/default/secrets/x", 401), ("/api/v1/namespaces/default/secrets/x", 404)]
    assert "s3cret" not in response.text


def test_filter_by_user_agent_clear_and_reset(kube):
    kube.control("DELETE", "requests")
    kube.get(WIDGETS, headers={"User-Agent": "lifeboat-operator/0.1.0 replica-a"})
    kube.get(WIDGETS, headers={"User-Agent": "kubectl/v1.32.4"})
    assert [e["userAgent"] for e in logged(kube, userAgent="replica-a")["requests"]] == [
        "lifeboat-operator/0.1.0 replica-a"]
    assert kube.control("DELETE", "requests").json == {"removed": 2}
    assert logged(kube) == {"requests": [], "dropped": 0}
    kube.get(WIDGETS)
    kube.control("POST", "reset")
    assert logged(kube)["requests"] == []


def test_control_requests_are_not_logged(kube):
    kube.control("DELETE", "requests")
    kube.control("GET", "state")
    kube.control("GET", "faults")
    assert logged(kube)["requests"] == []
