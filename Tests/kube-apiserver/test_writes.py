"""Writes to custom resources: generation rules, the status subresource, finalizers and deletion,
no-op writes, dry runs, field validation, delete preconditions and options, server-side apply."""
import pytest

from kube_testenv import WIDGETS, widget


# The cause kube-apiserver 1.28 adds instead of the CEL rules' results when a schema error blocks them.
NOT_CHECKED = {"reason": "FieldValueInvalid", "field": "<nil>",
               "message": 'Invalid value: "null": some validation rules were not checked because the object was '
                          'invalid; correct the existing errors to complete validation'}


def meta(response):
    return response.json["metadata"]


def test_generation_moves_for_spec_and_deletion_only(kube):
    created = kube.post(WIDGETS, widget("a", size=1))
    assert meta(created)["generation"] == 1
    labelled = kube.patch(f"{WIDGETS}/a", {"metadata": {"labels": {"x": "y"}, "annotations": {"n": "1"}}})
    assert meta(labelled)["generation"] == 1
    status = kube.patch(f"{WIDGETS}/a/status", {"status": {"state": "Running"}})
    assert meta(status)["generation"] == 1 and status.json["status"] == {"state": "Running"}
    spec = kube.patch(f"{WIDGETS}/a", {"spec": {"size": 2}})
    assert meta(spec)["generation"] == 2
    kube.patch(f"{WIDGETS}/a", {"metadata": {"finalizers": ["example.io/hold"]}})
    deleting = kube.delete(f"{WIDGETS}/a")
    assert meta(deleting)["generation"] == 3 and meta(deleting)["deletionGracePeriodSeconds"] == 0


def test_status_and_main_resource_ignore_each_others_fields(kube):
    kube.post(WIDGETS, {**widget("a", size=1), "status": {"state": "ignored-on-create"}})
    assert "status" not in kube.get(f"{WIDGETS}/a").json
    put = kube.get(f"{WIDGETS}/a").json
    put["status"] = {"state": "Done"}
    put["spec"]["size"] = 9
    through_status = kube.put(f"{WIDGETS}/a/status", put).json
    assert through_status["status"] == {"state": "Done"} and through_status["spec"]["size"] == 1
    through_main = kube.patch(f"{WIDGETS}/a", {"spec": {"size": 4}, "status": {"state": "Hacked"}}).json
    assert through_main["status"] == {"state": "Done"} and through_main["spec"]["size"] == 4


def test_a_write_that_changes_nothing_keeps_the_resource_version(kube):
    rv = meta(kube.post(WIDGETS, widget("a", size=1)))["resourceVersion"]
    assert meta(kube.patch(f"{WIDGETS}/a", {"spec": {"size": 1}}))["resourceVersion"] == rv
    current = kube.get(f"{WIDGETS}/a").json
    assert meta(kube.put(f"{WIDGETS}/a", current))["resourceVersion"] == rv


def test_finalizers_hold_deletion_until_the_last_one_goes(kube):
    kube.post(WIDGETS, {**widget("a"), "metadata": {"name": "a", "finalizers": ["example.io/one", "example.io/two"]}})
    w = kube.watch(f"{WIDGETS}?watch=1&timeoutSeconds=10")
    assert w.next()["type"] == "ADDED"
    deleting = kube.delete(f"{WIDGETS}/a")
    assert deleting.status == 200 and meta(deleting)["deletionTimestamp"]
    assert (w.next()["type"]) == "MODIFIED"
    again = kube.delete(f"{WIDGETS}/a")
    assert again.status == 200 and meta(again)["resourceVersion"] == meta(deleting)["resourceVersion"]
    refused = kube.patch(f"{WIDGETS}/a", {"metadata": {"finalizers": ["example.io/one", "example.io/two", "example.io/new"]}})
    assert refused.status == 422
    assert refused.json["details"]["causes"][0]["reason"] == "FieldValueForbidden"
    assert kube.patch(f"{WIDGETS}/a", {"spec": {"size": 5}}).status == 200  # other changes are still allowed
    kube.patch(f"{WIDGETS}/a", {"metadata": {"finalizers": ["example.io/two"]}})
    last = kube.patch(f"{WIDGETS}/a", {"metadata": {"finalizers": None}})
    assert last.status == 200
    assert kube.get(f"{WIDGETS}/a").status == 404
    types = [w.next()["type"] for _ in range(3)]
    assert types == ["MODIFIED", "MODIFIED", "DELETED"]
    w.close()


def test_plain_delete_returns_a_success_status_and_preconditions_guard_it(kube):
    uid = meta(kube.post(WIDGETS, widget("a")))["uid"]
    wrong = kube.delete(f"{WIDGETS}/a", {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": "nope"}})
    assert (wrong.status, wrong.json["reason"]) == (409, "Conflict")
    assert "Precondition failed: UID in precondition: nope" in wrong.json["message"]
    stale = kube.delete(f"{WIDGETS}/a", {"preconditions": {"resourceVersion": "1"}})
    assert stale.status == 409
    policy = kube.delete(f"{WIDGETS}/a?propagationPolicy=Sideways")
    assert (policy.status, policy.json["details"]["kind"]) == (422, "DeleteOptions")
    done = kube.delete(f"{WIDGETS}/a", {"preconditions": {"uid": uid}, "propagationPolicy": "Foreground"})
    assert done.json == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                         "details": {"name": "a", "group": "example.io", "kind": "widgets", "uid": uid}}
    assert kube.delete(f"{WIDGETS}/a").status == 404


def test_delete_collection_by_label(kube):
    kube.post(WIDGETS, widget("a", labels={"batch": "1"}))
    kube.post(WIDGETS, widget("b", labels={"batch": "1"}))
    kube.post(WIDGETS, widget("c"))
    gone = kube.delete(f"{WIDGETS}?labelSelector=batch%3D1")
    assert gone.status == 200 and [i["metadata"]["name"] for i in gone.json["items"]] == ["a", "b"]
    assert [i["metadata"]["name"] for i in kube.get(WIDGETS).json["items"]] == ["c"]


def test_dry_run_validates_but_persists_nothing(kube):
    created = kube.post(f"{WIDGETS}?dryRun=All", widget("a"))
    assert created.status == 201 and "resourceVersion" not in meta(created)
    assert kube.get(f"{WIDGETS}/a").status == 404
    assert kube.post(f"{WIDGETS}?dryRun=All", widget("bad", size=-1)).status == 422
    kube.post(WIDGETS, widget("a", size=1))
    patched = kube.patch(f"{WIDGETS}/a?dryRun=All", {"spec": {"size": 8}})
    assert patched.json["spec"]["size"] == 8 and kube.get(f"{WIDGETS}/a").json["spec"]["size"] == 1
    assert kube.delete(f"{WIDGETS}/a?dryRun=All").status == 200 and kube.get(f"{WIDGETS}/a").status == 200
    assert kube.post(f"{WIDGETS}?dryRun=Some", widget("b")).status == 422


def test_field_validation_strict_warn_and_ignore(kube):
    body = {**widget("a"), "spec": {"size": 1, "shape": "round"}}
    strict = kube.post(f"{WIDGETS}?fieldValidation=Strict", body)
    assert (strict.status, strict.json["message"]) == (400, 'strict decoding error: unknown field "spec.shape"')
    warned = kube.post(WIDGETS, body)
    assert warned.status == 201 and "shape" not in warned.json["spec"]
    assert warned.warnings() == ['299 - "unknown field \\"spec.shape\\""']
    ignored = kube.post(f"{WIDGETS}?fieldValidation=Ignore", {**body, "metadata": {"name": "b"}})
    assert ignored.status == 201 and ignored.warnings() == []
    duplicated = kube.post(f"{WIDGETS}?fieldValidation=Strict", '{"apiVersion":"example.io/v1","kind":"Widget",'
                           '"metadata":{"name":"c"},"spec":{"size":1,"size":2}}')
    assert duplicated.status == 400 and 'duplicate field "size"' in duplicated.json["message"]
    assert kube.post(f"{WIDGETS}?fieldValidation=Loud", widget("d")).status == 422


def test_update_conflicts_and_unconditional_patches(kube):
    first = kube.post(WIDGETS, widget("a", size=1)).json
    assert kube.patch(f"{WIDGETS}/a", {"spec": {"size": 2}}).status == 200  # no resourceVersion: unconditional
    stale = kube.patch(f"{WIDGETS}/a", {"metadata": {"resourceVersion": first["metadata"]["resourceVersion"]},
                                        "spec": {"size": 3}})
    assert (stale.status, stale.json["reason"]) == (409, "Conflict")
    first["metadata"]["name"] = "other"
    assert kube.put(f"{WIDGETS}/a", first).status == 400
    assert kube.put(f"{WIDGETS}/missing", widget("missing")).status == 404


def test_server_side_apply_owns_conflicts_forces_and_prunes(kube):
    def apply(manager, spec, force=False, labels=None):
        meta_yaml = "{name: s" + (", labels: {" + ", ".join(f"{k}: {v}" for k, v in labels.items()) + "}" if labels else "") + "}"
        body = f"apiVersion: example.io/v1\nkind: Widget\nmetadata: {meta_yaml}\nspec: {spec}\n"
        return kube.patch(f"{WIDGETS}/s?fieldManager={manager}" + ("&force=true" if force else ""), body,
                          ctype="application/apply-patch+yaml")

    assert apply("alpha", "{size: 1, color: red}").status == 201
    assert apply("beta", "{size: 1}").status == 200  # same value: shared ownership, no conflict
    conflict = apply("beta", "{size: 2}")
    assert conflict.status == 409
    assert conflict.json["details"]["causes"] == [
        {"reason": "FieldManagerConflict", "message": 'conflict with "alpha"', "field": ".spec.size"}]
    forced = apply("beta", "{size: 2}", force=True)
    assert forced.status == 200 and forced.json["spec"] == {"size": 2, "color": "red"}
    owners = {m["manager"]: m["fieldsV1"] for m in forced.json["metadata"]["managedFields"]}
    assert owners["alpha"] == {"f:spec": {"f:color": {}}} and owners["beta"] == {"f:spec": {"f:size": {}}}
    dropped = apply("alpha", "{size: 2}", labels={"team": "x"})  # alpha gives up color: nobody owns it, it goes
    assert dropped.status == 200 and dropped.json["spec"] == {"size": 2}
    assert dropped.json["metadata"]["labels"] == {"team": "x"}
    unknown = apply("alpha", "{size: 2, shape: round}")
    assert unknown.status == 400 and "field not declared in schema" in unknown.json["message"]
    updated = kube.patch(f"{WIDGETS}/s", {"spec": {"size": 3}})  # an Update takes the field silently
    entries = {(m["manager"], m["operation"]) for m in updated.json["metadata"]["managedFields"]}
    assert ("unknown", "Update") in entries
    assert apply("beta", "{size: 4}").status == 409  # now it conflicts with that updater
    assert kube.patch(f"{WIDGETS}/s?force=true", {"spec": {"size": 1}}).status == 422


def test_cel_transition_rule_blocks_changes_but_not_creation(kube):
    assert kube.post(WIDGETS, widget("a", size=1, id="x")).status == 201
    response = kube.patch(f"{WIDGETS}/a", {"spec": {"id": "y"}})
    assert response.status == 422
    assert response.json["details"]["causes"] == [
        {"reason": "FieldValueInvalid", "message": 'Invalid value: "string": id is immutable', "field": "spec.id"}]


@pytest.mark.parametrize("name, accepted", [("ok-name", True), ("Bad_Name", False), ("-x", False)])
def test_object_names_are_dns_subdomains(kube, name, accepted):
    response = kube.post(WIDGETS, widget(name))
    assert (response.status == 201) == accepted
    if not accepted:
        assert response.json["details"]["causes"][0]["field"] == "metadata.name"


def test_generate_name_and_the_namespace_must_exist(kube):
    created = kube.post(WIDGETS, {**widget("x"), "metadata": {"generateName": "gen-"}})
    assert created.status == 201 and meta(created)["name"].startswith("gen-") and len(meta(created)["name"]) == 9
    missing = kube.post("/apis/example.io/v1/namespaces/nowhere/widgets", widget("a"))
    assert (missing.status, missing.json["message"]) == (404, 'namespaces "nowhere" not found')


def test_integral_numbers_are_integers_and_fractions_are_not(kube):
    created = kube.post(WIDGETS, '{"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"a"},'
                                 '"spec":{"size":2.0}}')
    assert created.status == 201 and created.text.count('"size":2}') == 1
    fraction = kube.post(WIDGETS, widget("b", size=2.5))
    assert fraction.json["details"]["causes"] == [{
        "reason": "FieldValueTypeInvalid", "field": "spec.size",
        "message": 'Invalid value: "number": spec.size in body must be of type integer: "number"'},
        NOT_CHECKED]  # the Widget CRD has a CEL rule, and a type error keeps it from running
