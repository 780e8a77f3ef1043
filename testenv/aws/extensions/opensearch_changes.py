"""OpenSearch Service configuration changes that take time. moto applies UpdateDomainConfig at once
and always answers Processing=false, so a check that waits for a change to apply never sees one
under way; and its UpdateDomainConfig answer lacks each section's Status, which the model requires.

UpdateDomainConfig (POST /2021-01-01/opensearch/domain/{DomainName}/config) is carried out by moto's
own backend, answered here with every section's Options and Status (State Processing while the
change applies), and the domain then reads Processing=true in DescribeDomain for
CONFIG["opensearch"]["changeSeconds"]. An injected failure rolls the domain back to the
configuration it had before the change when the time is up (as OpenSearch does when a blue/green
deployment fails), Processing false again:

    {"kind": "opensearch-change-failed", "domainName": "<name>" | "*"}

Lowering changeSeconds shortens the changes under way too. Every other call goes to moto.
"""
import copy
import json
from urllib.parse import unquote, urlsplit

from testenv.aws.extensions.common import CLOCK, CONFIG, FAILURES, LOCK, account_of, region_of, rest_json, rest_json_error, scope

SECTIONS = ("cluster_config", "ebs_options", "vpc_options", "auto_tune_options")
RUNNING = {}     # (account, region, domain) -> {"domain", "startedAt", "seconds", "fail", "before"}


def reset():
    with LOCK:
        RUNNING.clear()


def advance(now=None):
    now = CLOCK.now() if now is None else now
    with LOCK:
        configured = float(CONFIG.get("opensearch", "changeSeconds"))
        for key, run in list(RUNNING.items()):
            run["seconds"] = min(run["seconds"], configured)
            domain = run["domain"]
            if now - run["startedAt"] >= run["seconds"]:
                if run["fail"]:
                    for section, value in run["before"].items():
                        setattr(domain, section, value)
                domain.processing = False
                del RUNNING[key]
            else:
                domain.processing = True
    return now


def _status(state):
    moment = CLOCK.wall()
    return {"CreationDate": moment, "UpdateDate": moment, "UpdateVersion": 2, "State": state, "PendingDeletion": False}


def handle(handler, request):
    path = urlsplit(request.path).path
    if scope(request.headers)[2] != "es" or request.method != "POST" or not path.startswith("/2021-01-01/opensearch/domain/") \
            or not path.endswith("/config"):
        return False
    from moto.opensearch.models import opensearch_backends
    account, region = account_of(request.headers), region_of(request.headers)
    name = unquote(path.split("/")[4])
    body = json.loads(request.body or b"{}")
    with LOCK:
        now = advance()
        backend = opensearch_backends[account][region]
        if name not in backend.domains:
            rest_json_error(handler, 409, "ResourceNotFoundException", f"Domain not found: {name}")
            return True
        if (account, region, name) in RUNNING:
            # OpenSearch refuses a second change while one applies.
            rest_json_error(handler, 409, "ValidationException",
                            f"A change/update is in progress. Please wait for it to complete before requesting another change.")
            return True
        domain = backend.domains[name]
        before = {section: copy.deepcopy(getattr(domain, section, None)) for section in SECTIONS}
        backend.update_domain_config(
            domain_name=name, cluster_config=body.get("ClusterConfig"), ebs_options=body.get("EBSOptions"),
            access_policies=body.get("AccessPolicies"), snapshot_options=body.get("SnapshotOptions"),
            vpc_options=body.get("VPCOptions"), cognito_options=body.get("CognitoOptions"),
            encryption_at_rest_options=body.get("EncryptionAtRestOptions"),
            node_to_node_encryption_options=body.get("NodeToNodeEncryptionOptions"), advanced_options=body.get("AdvancedOptions"),
            log_publishing_options=body.get("LogPublishingOptions"), domain_endpoint_options=body.get("DomainEndpointOptions"),
            advanced_security_options=body.get("AdvancedSecurityOptions"), auto_tune_options=body.get("AutoTuneOptions"),
            off_peak_window_options=body.get("OffPeakWindowOptions"), software_update_options=body.get("SoftwareUpdateOptions"))
        injected = FAILURES.take("opensearch-change-failed", lambda spec: spec.get("domainName") in (None, "*", name))
        RUNNING[(account, region, name)] = {"domain": domain, "startedAt": now, "fail": bool(injected), "before": before,
                                            "seconds": float(CONFIG.get("opensearch", "changeSeconds"))}
        advance(now)
        config = {"ClusterConfig": {"Options": domain.cluster_config, "Status": _status("Processing")},
                  "EBSOptions": {"Options": domain.ebs_options, "Status": _status("Processing" if body.get("EBSOptions") else "Active")}}
        if domain.vpc_options:
            config["VPCOptions"] = {"Options": domain.vpc_options, "Status": _status("Processing" if body.get("VPCOptions") else "Active")}
        rest_json(handler, 200, {"DomainConfig": config})
    return True


def state():
    with LOCK:
        now = advance()
        return {"changes": [{"account": account, "region": region, "domainName": name, "fails": run["fail"],
                             "remainingSeconds": max(0.0, run["startedAt"] + run["seconds"] - now)}
                            for (account, region, name), run in RUNNING.items()]}
