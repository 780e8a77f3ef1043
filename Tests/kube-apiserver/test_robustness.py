"""Whatever arrives, the answer is a Kubernetes Status (or the plain 404 page outside the API), never a
crash or a hang."""
import pytest

from kube_testenv import WIDGETS, widget

CASES = [
    ("POST", WIDGETS, "{not json", "application/json", 400),
    ("POST", WIDGETS, "[]", "application/json", 400),
    ("POST", WIDGETS, '{"apiVersion":"example.io/v1","metadata":{"name":"x"}}', "application/json", 400),
    ("POST", WIDGETS, '{"apiVersion":"example.io/v2","kind":"Widget","metadata":{"name":"x"}}', "application/json", 400),
    ("POST", WIDGETS, '{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"x","labels":"no"}}',
     "application/json", 400),
    ("POST", WIDGETS, '{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"x"},"spec":{"size":"big"}}',
     "application/json", 422),
    ("POST", WIDGETS, '{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"x","resourceVersion":"5"},'
     '"spec":{"size":1}}', "application/json", 500),
    ("POST", WIDGETS, "<xml/>", "text/xml", 415),
    ("POST", WIDGETS, "x: [", "application/yaml", 400),
    ("PATCH", f"{WIDGETS}/a", "{", "application/merge-patch+json", 400),
    ("PATCH", f"{WIDGETS}/a", '"string"', "application/merge-patch+json", 400),
    ("PATCH", f"{WIDGETS}/a", '[{"op":"move","path":"/x"}]', "application/json-patch+json", 422),
    ("PATCH", f"{WIDGETS}/a", '[{"op":"replace","path":"/spec/nope/deeper","value":1}]', "application/json-patch+json", 422),
    ("PATCH", f"{WIDGETS}/a", '{"op":"add"}', "application/json-patch+json", 400),
    ("PATCH", f"{WIDGETS}/a?fieldManager=m", "- just\n- a list\n", "application/apply-patch+yaml", 400),
    ("PATCH", f"{WIDGETS}/a?fieldManager=m", "kind: Widget\napiVersion: example.io/v1\nmetadata: {name: other}\n",
     "application/apply-patch+yaml", 400),
    ("PATCH", f"{WIDGETS}/a", "{}", "text/plain", 415),
    ("POST", f"{WIDGETS}/a", "{}", "application/json", 405),
    ("PUT", WIDGETS, "{}", "application/json", 405),
    ("GET", "/apis/example.io/v1/namespaces/default/widgets/a/scale", None, None, 404),
    ("GET", "/apis/example.io/v9/widgets", None, None, 404),
    ("GET", "/apis/nope.io/v1/things", None, None, 404),
    ("GET", f"{WIDGETS}?limit=many", None, None, 400),
    ("GET", f"{WIDGETS}?watch=1&timeoutSeconds=soon", None, None, 400),
    ("GET", f"{WIDGETS}?resourceVersionMatch=Exact", None, None, 422),
    ("GET", f"{WIDGETS}?resourceVersion=abc", None, None, 400),
    ("DELETE", f"{WIDGETS}/a", "{nope", "application/json", 400),
    ("GET", "/apis/example.io/v1/widgets/a", None, None, 404),
]


@pytest.mark.parametrize("method, path, body, ctype, status", CASES)
def test_bad_requests_get_status_bodies(kube, method, path, body, ctype, status):
    kube.post(WIDGETS, widget("a"))
    response = kube.request(method, path, body, ctype=ctype or "application/json")
    assert response.status == status, response
    assert response.json["kind"] == "Status" and response.json["code"] == status


def test_paths_outside_the_api_are_a_plain_404(kube):
    response = kube.get("/not-the-api")
    assert (response.status, response.text) == (404, "404 page not found\n")


def test_health_endpoints(kube):
    for path in ("/healthz", "/livez", "/readyz"):
        assert (kube.get(path).status, kube.get(path).text) == (200, "ok")
