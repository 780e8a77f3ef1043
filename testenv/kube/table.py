"""meta.k8s.io Table responses (what `kubectl get` asks for): a kind's columns, one row per object, and
the object itself as PartialObjectMetadata unless includeObject says otherwise."""
from .encoding import reorder
from .values import clone


def partial_metadata(obj, version="v1"):
    return {"kind": "PartialObjectMetadata", "apiVersion": f"meta.k8s.io/{version}",
            "metadata": reorder(clone(obj.get("metadata") or {}), {}, "metadata")}


def table(rtype, objects, list_metadata, version="v1", include_object="Metadata"):
    rows = []
    for obj in objects:
        row = {"cells": rtype.cells(obj)}
        if include_object == "Object":
            row["object"] = obj
        elif include_object != "None":
            row["object"] = partial_metadata(obj, version)
        rows.append(row)
    return {"kind": "Table", "apiVersion": f"meta.k8s.io/{version}", "metadata": list_metadata,
            "columnDefinitions": rtype.columns(), "rows": rows}


def partial_list(rtype, objects, list_metadata, version="v1"):
    """PartialObjectMetadataList: only metadata, for metadata-only informers."""
    return {"kind": "PartialObjectMetadataList", "apiVersion": f"meta.k8s.io/{version}", "metadata": list_metadata,
            "items": [partial_metadata(o, version) for o in objects]}
