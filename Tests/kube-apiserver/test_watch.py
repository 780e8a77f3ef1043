"""Watches: synthetic ADDED, replay from a resourceVersion, BOOKMARKs, timeoutSeconds, selectors, and
410 Expired delivered in the stream after compaction or on command."""
import pytest

from kube_testenv import WIDGETS, widget


def names(events):
    return [(e["type"], e["object"]["metadata"].get("name")) for e in events]


def test_no_resource_version_starts_with_synthetic_added_then_changes(kube):
    kube.post(WIDGETS, widget("a"))
    kube.post(WIDGETS, widget("b"))
    for size, rv in ((2, ""), (3, "&resourceVersion=0")):
        w = kube.watch(f"{WIDGETS}?watch=1{rv}&timeoutSeconds=5")
        assert w.status == 200
        assert names(w.take(2)) == [("ADDED", "a"), ("ADDED", "b")]
        kube.patch(f"{WIDGETS}/a", {"spec": {"size": size}})
        event = w.next()
        assert (event["type"], event["object"]["spec"]["size"]) == ("MODIFIED", size)
        w.close()


def test_watch_from_a_resource_version_replays_only_later_changes(kube):
    kube.post(WIDGETS, widget("a"))
    rv = kube.get(WIDGETS).json["metadata"]["resourceVersion"]
    kube.post(WIDGETS, widget("b"))
    kube.patch(f"{WIDGETS}/a", {"spec": {"size": 5}})
    kube.delete(f"{WIDGETS}/b")
    w = kube.watch(f"{WIDGETS}?watch=1&resourceVersion={rv}&timeoutSeconds=1")
    events = w.wait_end()
    assert names(events) == [("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "b")]
    versions = [int(e["object"]["metadata"]["resourceVersion"]) for e in events]
    assert versions == sorted(versions) and versions[0] > int(rv)
    assert w.ended == "clean"


def test_timeout_ends_the_stream_cleanly_with_a_bookmark_first(kube):
    kube.post(WIDGETS, widget("a"))
    rv = kube.get(WIDGETS).json["metadata"]["resourceVersion"]
    w = kube.watch(f"{WIDGETS}?watch=1&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=2")
    events = w.wait_end(timeout=6)
    assert w.ended == "clean"
    assert [e["type"] for e in events] == ["BOOKMARK"]
    assert events[0]["object"] == {"apiVersion": "example.io/v1", "kind": "Widget",
                                   "metadata": {"resourceVersion": rv}}


def test_bookmarks_come_at_the_configured_interval_and_only_when_allowed(kube):
    kube.control("POST", "config", {"bookmarkIntervalSeconds": 0.2})
    try:
        with_bookmarks = kube.watch(f"{WIDGETS}?watch=1&allowWatchBookmarks=true&timeoutSeconds=30")
        assert [with_bookmarks.next()["type"] for _ in range(3)] == ["BOOKMARK"] * 3
        with_bookmarks.close()
        without = kube.watch(f"{WIDGETS}?watch=1&timeoutSeconds=1")
        assert without.wait_end() == []
    finally:
        kube.control("POST", "config", {"bookmarkIntervalSeconds": 60})


def test_compaction_makes_an_old_resource_version_expire_in_the_stream(kube):
    kube.post(WIDGETS, widget("a"))
    old = kube.get(WIDGETS).json["metadata"]["resourceVersion"]
    kube.patch(f"{WIDGETS}/a", {"spec": {"size": 3}})
    compacted = kube.control("POST", "compact").json["compactedResourceVersion"]
    w = kube.watch(f"{WIDGETS}?watch=1&resourceVersion={old}")
    assert w.status == 200
    events = w.wait_end()
    assert events == [{"type": "ERROR", "object": {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": f"too old resource version: {old} ({compacted})", "reason": "Expired", "code": 410}}]
    # A watch from the compacted resourceVersion itself is still fine.
    fresh = kube.watch(f"{WIDGETS}?watch=1&resourceVersion={compacted}&timeoutSeconds=1")
    assert fresh.wait_end() == []


def test_a_resource_version_older_than_the_resource_is_too_old(kube):
    w = kube.watch(f"{WIDGETS}?watch=1&resourceVersion=1")
    [event] = w.wait_end()
    assert (event["type"], event["object"]["reason"], event["object"]["code"]) == ("ERROR", "Expired", 410)


@pytest.mark.parametrize("mode, ended, last", [("drop", "broken", None), ("end", "clean", None),
                                                ("expire", "clean", "ERROR")])
def test_control_api_drops_ends_or_expires_open_watches(kube, mode, ended, last):
    kube.post(WIDGETS, widget("a"))
    w = kube.watch(f"{WIDGETS}?watch=1")
    assert w.next()["type"] == "ADDED"
    assert kube.control("POST", f"watches?mode={mode}&path=widgets").json["affected"] == 1
    rest = w.wait_end()
    assert w.ended == ended
    assert (rest[-1]["type"] if rest else None) == last
    if last:
        assert rest[-1]["object"]["code"] == 410


def test_control_api_drops_the_open_watches_of_one_client(kube):
    """The rest of a partition of one replica: its open watches break, the other replica's go on."""
    kube.post(WIDGETS, widget("a"))
    a = kube.watch(f"{WIDGETS}?watch=1", headers={"User-Agent": "lifeboat-operator/0.1.0 (replica-a)"})
    b = kube.watch(f"{WIDGETS}?watch=1", headers={"User-Agent": "lifeboat-operator/0.1.0 (replica-b)"})
    assert a.next()["type"] == b.next()["type"] == "ADDED"
    assert kube.control("POST", "watches?mode=drop&userAgent=replica-a").json["affected"] == 1
    assert a.wait_end() == [] and a.ended == "broken"
    kube.post(WIDGETS, widget("b"))
    assert b.next()["object"]["metadata"]["name"] == "b"
    b.close()


def test_selectors_turn_changes_into_added_and_deleted(kube):
    kube.post(WIDGETS, widget("a", labels={"tier": "gold"}))
    w = kube.watch(f"{WIDGETS}?watch=1&labelSelector=tier%3Dgold&timeoutSeconds=10")
    assert names([w.next()]) == [("ADDED", "a")]
    kube.patch(f"{WIDGETS}/a", {"metadata": {"labels": {"tier": "silver"}}})
    left = w.next()
    assert (left["type"], left["object"]["metadata"]["labels"]) == ("DELETED", {"tier": "gold"})
    kube.post(WIDGETS, widget("b", labels={"tier": "bronze"}))
    kube.patch(f"{WIDGETS}/a", {"metadata": {"labels": {"tier": "gold"}}})
    assert names([w.next()]) == [("ADDED", "a")]
    w.close()


def test_watching_one_object_by_field_selector(kube):
    kube.post(WIDGETS, widget("a"))
    kube.post(WIDGETS, widget("b"))
    w = kube.watch(f"{WIDGETS}?watch=1&fieldSelector=metadata.name%3Db&timeoutSeconds=10")
    assert names([w.next()]) == [("ADDED", "b")]
    kube.patch(f"{WIDGETS}/a", {"spec": {"size": 9}})
    kube.delete(f"{WIDGETS}/b")
    assert names([w.next()]) == [("DELETED", "b")]
    w.close()


def test_send_initial_events_is_refused_as_by_a_v1_28_server(kube):
    """The WatchList feature gate is off in v1.28: clients must LIST then WATCH."""
    response = kube.get(f"{WIDGETS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                        f"&allowWatchBookmarks=true")
    assert response.status == 422
    assert response.json["details"]["kind"] == "ListOptions"
    assert [c["field"] for c in response.json["details"]["causes"]] == ["sendInitialEvents"]
