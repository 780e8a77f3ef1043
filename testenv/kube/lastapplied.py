"""The hand-over from client-side to server-side apply: `kubectl apply` (client-side) keeps its
configuration in the last-applied-configuration annotation and writes as the Update manager
kubectl-client-side-apply; when `kubectl apply --server-side` (field manager `kubectl`) then changes a
field that manager owns, the real server applies it without a conflict, and keeps the annotation in step
with what kubectl applies, so a later client-side apply still computes the right three-way patch.

As apimachinery v0.28.4 pkg/util/managedfields/internal does it (reference/kube-wire-crd/11-12):
lastappliedmanager.go (conflicts on fields the annotation lists with the live value are forgiven, the
others are still reported) and lastappliedupdater.go, lastapplied.go (the annotation is rewritten to the
applied configuration). Both act only for the field manager named exactly `kubectl`.
"""
import json

from . import encoding
from . import fieldpath as fp
from . import schema as sch
from .values import clone, integral_floats_as_ints

MANAGER = "kubectl"
ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
TOTAL_ANNOTATION_SIZE = 256 * 1024  # apimachinery validation.TotalAnnotationSizeLimitB


def _annotation(obj):
    annotations = (obj.get("metadata") or {}).get("annotations")
    return annotations.get(ANNOTATION) if isinstance(annotations, dict) else None


def forgiven_conflicts(live, rtype):
    """allowedConflictsFromLastApplied: the fields of the last-applied configuration whose value the live
    object still has. Nothing when there is no usable annotation (absent, not an object of this kind's
    apiVersion, or fields the schema does not declare: the typed conversion fails there)."""
    text = _annotation(live)
    if not text:
        return set()
    try:
        last = json.loads(text)
    except ValueError:
        return set()
    if not isinstance(last, dict) or not last.get("kind") or last.get("apiVersion") != rtype.group_version:
        return set()
    if sch.prune(clone(last), rtype.schema):
        return set()
    comparison = fp.compare(last, live, rtype.schema)
    return fp.to_set(last, rtype.schema) - comparison.added - comparison.modified - comparison.removed


def record(obj, applied):
    """lastAppliedUpdater: after kubectl's apply, an object that has the annotation gets the applied
    configuration in it (without the annotation itself; JSON as json.Encoder writes it: sorted keys,
    HTML-escaped, a trailing newline), unless that makes the annotations larger than 256 KiB."""
    if not _annotation(obj):
        return
    config = integral_floats_as_ints(clone(applied))  # it was decoded into float64s: 2.0 prints as 2
    annotations = (config.get("metadata") or {}).get("annotations")
    if isinstance(annotations, dict):
        annotations.pop(ANNOTATION, None)
    annotations = obj["metadata"]["annotations"]
    annotations[ANNOTATION] = encoding.to_json(config, sort=True)
    if sum(len(k.encode()) + len(v.encode()) for k, v in annotations.items() if isinstance(v, str)) > TOTAL_ANNOTATION_SIZE:
        del annotations[ANNOTATION]
