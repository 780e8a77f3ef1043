"""Aurora global database FailoverGlobalCluster and SwitchoverGlobalCluster (RDS query protocol),
which moto does not implement. They act on moto's own in-process RDS objects
(moto.rds.models.rds_backends[account]["us-east-1"].global_clusters: moto keeps every global cluster
there and serves it in all regions), so moto's DescribeGlobalClusters and DescribeDBClusters show
the result: the global cluster's Status is failing-over / switching-over with a FailoverState
(pending, then failing-over) while the operation runs; after CONFIG["aurora"]["failoverSeconds"]
(or switchoverSeconds) the writer flips (IsWriter), Status is available again and FailoverState
is gone. An injected "fail" ends the same way but without flipping the writer.
"""
from testenv.aws.extensions.common import (CLOCK, CONFIG, FAILURES, LOCK, account_of, query_error, query_xml,
                                           scope)

GLOBAL_REGION = "us-east-1"
OPERATIONS = ("FailoverGlobalCluster", "SwitchoverGlobalCluster")
RUNNING = {}     # (account, global cluster id) -> the operation in progress


def reset():
    with LOCK:
        RUNNING.clear()


class RDSFault(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _backends(account):
    from moto.rds.models import rds_backends
    return rds_backends[account]


def _global_cluster(account, identifier):
    clusters = _backends(account)[GLOBAL_REGION].global_clusters
    cluster = clusters.get(identifier) or clusters.get((identifier or "").lower())
    if cluster is None:
        # moto keeps the ARN's identifier part; accept an ARN too
        for candidate in clusters.values():
            if candidate.global_cluster_arn == identifier:
                return candidate
        raise RDSFault(404, "GlobalClusterNotFoundFault", f"Global cluster {identifier} not found.")
    return cluster


def _find_cluster(account, identifier):
    """A DB cluster by ARN or identifier in any region of the account, or None."""
    backends = _backends(account)
    for region in list(backends.keys()):
        for cluster in list(backends[region].clusters.values()):
            if identifier in (cluster.db_cluster_arn, cluster.db_cluster_identifier):
                return cluster
    return None


def advance(now=None):
    """Finish or move on every operation that is due (the state is computed from timestamps)."""
    now = CLOCK.now() if now is None else now
    with LOCK:
        for key, op in list(RUNNING.items()):
            elapsed = now - op["startedAt"]
            cluster = op["globalCluster"]
            if elapsed >= op["seconds"]:
                if not op["fail"]:
                    for member in cluster.members:
                        member.is_writer = member is op["target"]
                cluster.status = "available"
                cluster.failover_state = None
                del RUNNING[key]
            else:
                cluster.status = "switching-over" if op["switchover"] else "failing-over"
                cluster.failover_state = {"Status": "pending" if elapsed < op["seconds"] / 3 else "failing-over",
                                          "FromDbClusterArn": op["from"], "ToDbClusterArn": op["to"],
                                          "IsDataLossAllowed": not op["switchover"]}
    return now


def _bool(form, name):
    value = form.get(name, [None])[0]
    return None if value is None else value.lower() == "true"


def _start(account, operation, form, now):
    identifier = form.get("GlobalClusterIdentifier", [""])[0]
    target_id = form.get("TargetDbClusterIdentifier", [""])[0]
    if not identifier:
        raise RDSFault(400, "MissingParameter", "The request must contain the parameter GlobalClusterIdentifier")
    if not target_id:
        raise RDSFault(400, "MissingParameter", "The request must contain the parameter TargetDbClusterIdentifier")
    allow_data_loss, switchover = _bool(form, "AllowDataLoss"), _bool(form, "Switchover")
    if operation == "SwitchoverGlobalCluster":
        switchover = True
    else:
        if allow_data_loss and switchover:
            raise RDSFault(400, "InvalidParameterCombination", "Cannot specify both AllowDataLoss and Switchover.")
        switchover = not allow_data_loss
    cluster = _global_cluster(account, identifier)
    injected = FAILURES.take("aurora-failover-error", lambda spec: (
        spec.get("globalClusterIdentifier") in (None, "*", cluster.global_cluster_identifier, identifier)
        and spec.get("operation", "*") in ("*", operation)))
    if injected and injected.get("mode", "reject") == "reject":
        raise RDSFault(int(injected.get("status", 400)), injected.get("code", "InvalidGlobalClusterStateFault"),
                       injected.get("message", f"Global cluster {identifier} cannot be failed over now."))
    key = (account, cluster.global_cluster_identifier)
    if key in RUNNING or cluster.status != "available":
        raise RDSFault(400, "InvalidGlobalClusterStateFault",
                       f"Global cluster {cluster.global_cluster_identifier} is in {cluster.status} state.")
    target = next((m for m in cluster.members if target_id in (m.db_cluster_arn, m.db_cluster_identifier)), None)
    if target is None:
        if _find_cluster(account, target_id) is None:
            raise RDSFault(404, "DBClusterNotFoundFault", f"DBCluster {target_id} not found.")
        raise RDSFault(400, "InvalidGlobalClusterStateFault",
                       f"DB cluster {target_id} is not a member of global cluster {cluster.global_cluster_identifier}.")
    writer = next((m for m in cluster.members if m.is_writer), None)
    if target is writer:
        raise RDSFault(400, "InvalidGlobalClusterStateFault",
                       f"DB cluster {target_id} is already the primary cluster of global cluster "
                       f"{cluster.global_cluster_identifier}.")
    if target.status != "available":
        raise RDSFault(400, "InvalidDBClusterStateFault", f"DB cluster {target_id} is in {target.status} state.")
    seconds = float(CONFIG.get("aurora", "switchoverSeconds" if switchover else "failoverSeconds"))
    RUNNING[key] = {"globalCluster": cluster, "target": target, "switchover": switchover, "startedAt": now,
                    "seconds": seconds, "fail": bool(injected), "operation": operation,
                    "from": writer.db_cluster_arn if writer else "", "to": target.db_cluster_arn}
    cluster.status = "switching-over" if switchover else "failing-over"
    cluster.failover_state = {"Status": "pending", "FromDbClusterArn": RUNNING[key]["from"],
                              "ToDbClusterArn": target.db_cluster_arn, "IsDataLossAllowed": not switchover}
    return cluster


def _serialize(operation, cluster):
    """The response, written by moto's own serializer from the model (as its other RDS answers)."""
    from moto.core.serialize import XFormedAttributePicker, get_serializer_class
    from moto.core.utils import get_service_model
    from moto.rds.responses import RDSResponse
    model = get_service_model("rds")
    serializer = get_serializer_class("rds", model.protocol)(
        operation_model=model.operation_model(operation),
        value_picker=XFormedAttributePicker(
            response_transformers=getattr(RDSResponse, "RESPONSE_KEY_PATH_TO_TRANSFORMER", None)))
    body = serializer.serialize({"GlobalCluster": cluster})["body"]
    return body.decode() if isinstance(body, bytes) else body


def handle(handler, request):
    if scope(request.headers)[2] != "rds":
        return False
    with LOCK:
        now = advance()
        if request.operation not in OPERATIONS:
            return False      # moto answers, from the objects advance() has just updated
        account = account_of(request.headers)
        try:
            cluster = _start(account, request.operation, request.form, now)
            body = _serialize(request.operation, cluster)
        except RDSFault as fault:
            query_error(handler, fault.status, fault.code, fault.message)
            return True
    query_xml(handler, 200, body)
    return True


def state():
    with LOCK:
        now = advance()
        return {"running": [{"account": account, "globalClusterIdentifier": ident, "operation": op["operation"],
                             "from": op["from"], "to": op["to"], "fail": op["fail"],
                             "remainingSeconds": max(0.0, op["startedAt"] + op["seconds"] - now)}
                            for (account, ident), op in RUNNING.items()]}
