"""kstatus (sigs.k8s.io/cli-utils pkg/kstatus/status), the part that decides the status of a custom
resource, which Flux and `kubectl wait`-style tools use when nothing more specific is configured:

1. deletionTimestamp set: Terminating;
2. status.observedGeneration present and different from metadata.generation: InProgress;
3. condition Reconciling=True: InProgress; condition Stalled=True: Failed;
4. condition Ready: True is Current, False or Unknown InProgress;
5. otherwise Current ("Resource is current").
"""


def compute(obj):
    meta = obj.get("metadata") or {}
    status = obj.get("status") or {}
    if meta.get("deletionTimestamp"):
        return "Terminating"
    if "observedGeneration" in status and status["observedGeneration"] != meta.get("generation"):
        return "InProgress"
    conditions = {c["type"]: c for c in status.get("conditions") or []}
    if conditions.get("Reconciling", {}).get("status") == "True":
        return "InProgress"
    if conditions.get("Stalled", {}).get("status") == "True":
        return "Failed"
    if "Ready" in conditions:
        return "Current" if conditions["Ready"]["status"] == "True" else "InProgress"
    return "Current"
