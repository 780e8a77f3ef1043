"""LIST: pages with limit/continue over a consistent snapshot, expired continue tokens, label and field
selectors, resourceVersion semantics, and the Table and metadata views."""
import urllib.parse

import pytest

from kube_testenv import WIDGETS, widget


def names(response):
    return [item["metadata"]["name"] for item in response.json["items"]]


def page_through(kube, path, limit):
    pages, token = [], None
    while True:
        query = f"limit={limit}" + (f"&continue={urllib.parse.quote(token)}" if token else "")
        response = kube.get(f"{path}{'&' if '?' in path else '?'}{query}")
        assert response.status == 200, response
        pages.append(response.json)
        token = response.json["metadata"].get("continue")
        if not token:
            return pages


def test_paging_across_many_objects_sees_each_once_at_one_resource_version(kube):
    for i in range(120):
        assert kube.post(WIDGETS, widget(f"w{i:03d}", size=i)).status == 201
    pages = page_through(kube, WIDGETS, 25)
    assert [len(p["items"]) for p in pages] == [25, 25, 25, 25, 20]
    seen = [item["metadata"]["name"] for p in pages for item in p["items"]]
    assert seen == [f"w{i:03d}" for i in range(120)]
    assert len({p["metadata"]["resourceVersion"] for p in pages}) == 1
    assert [p["metadata"].get("remainingItemCount") for p in pages] == [95, 70, 45, 20, None]


def test_continue_pages_show_the_snapshot_of_the_first_page(kube):
    for i in range(6):
        kube.post(WIDGETS, widget(f"w{i}", size=i))
    first = kube.get(f"{WIDGETS}?limit=3").json
    kube.delete(f"{WIDGETS}/w4")
    kube.patch(f"{WIDGETS}/w5", {"spec": {"size": 50}})
    kube.post(WIDGETS, widget("w6"))
    rest = kube.get(f"{WIDGETS}?limit=10&continue={urllib.parse.quote(first['metadata']['continue'])}").json
    assert [i["metadata"]["name"] for i in rest["items"]] == ["w3", "w4", "w5"]
    assert rest["items"][2]["spec"]["size"] == 5
    assert rest["metadata"]["resourceVersion"] == first["metadata"]["resourceVersion"]
    assert "continue" not in rest["metadata"]


def test_an_expired_continue_token_is_410_with_a_token_to_go_on_inconsistently(kube):
    for i in range(4):
        kube.post(WIDGETS, widget(f"w{i}"))
    token = kube.get(f"{WIDGETS}?limit=2").json["metadata"]["continue"]
    kube.patch(f"{WIDGETS}/w3", {"spec": {"size": 7}})
    kube.control("POST", "compact")
    expired = kube.get(f"{WIDGETS}?limit=2&continue={urllib.parse.quote(token)}")
    assert expired.status == 410
    assert (expired.json["reason"], expired.json["code"]) == ("Expired", 410)
    assert expired.json["message"].startswith("The provided continue parameter is too old")
    onward = kube.get(f"{WIDGETS}?limit=2&continue={urllib.parse.quote(expired.json['metadata']['continue'])}")
    assert onward.status == 200 and names(onward) == ["w2", "w3"]
    assert onward.json["items"][1]["spec"]["size"] == 7


def test_bad_continue_tokens_and_resource_version_with_continue_are_400(kube):
    assert kube.get(f"{WIDGETS}?limit=1&continue=garbage").status == 400
    kube.post(WIDGETS, widget("a"))
    kube.post(WIDGETS, widget("b"))
    token = kube.get(f"{WIDGETS}?limit=1").json["metadata"]["continue"]
    mixed = kube.get(f"{WIDGETS}?limit=1&resourceVersion=1&continue={urllib.parse.quote(token)}")
    assert (mixed.status, mixed.json["message"]) == (400, "specifying resource version is not allowed when using continue")


def test_resource_version_zero_ignores_limit_like_the_watch_cache(kube):
    for i in range(3):
        kube.post(WIDGETS, widget(f"w{i}"))
    response = kube.get(f"{WIDGETS}?limit=1&resourceVersion=0")
    assert names(response) == ["w0", "w1", "w2"] and "continue" not in response.json["metadata"]


def test_exact_resource_version_lists_the_past_and_410s_once_compacted(kube):
    kube.post(WIDGETS, widget("a"))
    rv = kube.get(WIDGETS).json["metadata"]["resourceVersion"]
    kube.post(WIDGETS, widget("b"))
    past = kube.get(f"{WIDGETS}?resourceVersion={rv}&resourceVersionMatch=Exact")
    assert names(past) == ["a"] and past.json["metadata"]["resourceVersion"] == rv
    kube.control("POST", "compact")
    gone = kube.get(f"{WIDGETS}?resourceVersion={rv}&resourceVersionMatch=Exact")
    assert (gone.status, gone.json["message"]) == (410, "The resourceVersion for the provided list is too old.")


@pytest.mark.parametrize("selector, expected", [
    ("tier=gold", ["a"]), ("tier==gold", ["a"]), ("tier!=gold", ["b", "c"]), ("tier in (gold,silver)", ["a", "b"]),
    ("tier notin (gold)", ["b", "c"]), ("tier", ["a", "b"]), ("!tier", ["c"]), ("tier,env=prod", ["b"]),
    ("count>3", ["a"]), ("count<3", ["b"]),
])
def test_label_selectors(kube, selector, expected):
    kube.post(WIDGETS, widget("a", labels={"tier": "gold", "count": "5"}))
    kube.post(WIDGETS, widget("b", labels={"tier": "silver", "env": "prod", "count": "1"}))
    kube.post(WIDGETS, widget("c"))
    response = kube.get(f"{WIDGETS}?labelSelector={urllib.parse.quote(selector)}")
    assert response.status == 200 and names(response) == expected


@pytest.mark.parametrize("selector", ["tier in (gold", "=x", "tier=a b", "Bad Key=x"])
def test_malformed_label_selectors_are_400(kube, selector):
    response = kube.get(f"{WIDGETS}?labelSelector={urllib.parse.quote(selector)}")
    assert (response.status, response.json["reason"]) == (400, "BadRequest")


def test_field_selectors_on_names_and_the_error_for_other_fields(kube):
    kube.post(WIDGETS, widget("a"))
    kube.post(WIDGETS, widget("b"))
    assert names(kube.get(f"{WIDGETS}?fieldSelector=metadata.name%3Db")) == ["b"]
    assert names(kube.get(f"{WIDGETS}?fieldSelector=metadata.name!%3Db")) == ["a"]
    bad = kube.get(f"{WIDGETS}?fieldSelector=spec.color%3Dred")
    assert (bad.status, bad.json["message"]) == (400, "field label not supported: spec.color")


def test_lists_across_namespaces_and_the_table_view(kube, server):
    kube.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}})
    kube.post(WIDGETS, widget("a", size=3))
    kube.post("/apis/example.io/v1/namespaces/other/widgets", widget("b"))
    everywhere = kube.get("/apis/example.io/v1/widgets")
    assert [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in everywhere.json["items"]] == [
        ("default", "a"), ("other", "b")]
    table = kube.get(WIDGETS, accept="application/json;as=Table;v=v1;g=meta.k8s.io").json
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Size", "State", "Age"]
    assert table["rows"][0]["cells"][:3] == ["a", 3, None]
    assert table["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
    single = kube.get(f"{WIDGETS}/a", accept="application/json;as=Table;v=v1;g=meta.k8s.io").json
    assert single["kind"] == "Table" and len(single["rows"]) == 1
    metadata_only = kube.get(WIDGETS, accept="application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io").json
    assert metadata_only["kind"] == "PartialObjectMetadataList" and "spec" not in metadata_only["items"][0]


def test_protobuf_only_is_not_acceptable(kube):
    response = kube.get(WIDGETS, accept="application/vnd.kubernetes.protobuf")
    assert (response.status, response.json["reason"]) == (406, "NotAcceptable")
