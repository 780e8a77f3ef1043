"""One endpoint on 127.0.0.1 for every AWS service Lifeboat calls.

    python3 -m testenv.aws.emulator [--port N] [--port-file F] [--keep-running] [--idle-exit SECONDS]

moto 5.2.1 runs in this process (ThreadedMotoServer, Lambda without docker), behind the fault proxy
(testenv/aws/fault_proxy.py: /__faults__/ rules for throttling, 5xx, latency, dropped connections),
with stateful extensions (testenv/aws/extensions/) for what moto lacks: Elastic Disaster Recovery
Aurora global FailoverGlobalCluster / SwitchoverGlobalCluster, EventBridge replays that take time,
Lambda Invoke without docker OpenSearch configuration changes that take time, RDS cross-region automated backup replication with
point-in-time restore from it, MemoryDB clusters that take time to create, and ElastiCache global datastores. A request goes through the
fault rules first, then the extensions, then to moto. /__emulator__/ is the control API (JSON,
never signed): reset, config (delays), stats (calls per service:operation), failures, DRS source
servers. See testenv/README.md ("testenv.aws.emulator").

Like the other servers in testenv/ it prints one JSON line ({"port": N, "motoPort": M}) once it
answers, and exits when stdin closes (or, with --keep-running, on SIGTERM; with --idle-exit S,
after S seconds without a request).
"""
import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import urllib.request
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from testenv.aws import fault_proxy
from testenv.aws.extensions import aurora_global, common, drs, elasticache_global, eventbridge_replay, lambda_invoke, memorydb_restore, opensearch_changes, rds_backup_replication, states
from testenv.aws.extensions.common import CONFIG, FAILURES, STATS
from testenv.support.serve import read_json_body, send_json

LAST_REQUEST = {"at": time.monotonic()}
FAILURE_KINDS = ("drs-launch-failed", "aurora-failover-error", "replay-failed", "lambda-invoke-error",
                 "opensearch-change-failed", "rds-restore-failed", "memorydb-create-failed",
                 "elasticache-member-create-failed", "elasticache-failover-failed")


def observe(request):
    """Every AWS request: advance the extensions' clocks and count it as service:operation, per region too."""
    LAST_REQUEST["at"] = time.monotonic()
    drs.advance()
    aurora_global.advance()
    eventbridge_replay.advance()
    opensearch_changes.advance()
    rds_backup_replication.advance()
    memorydb_restore.advance()
    elasticache_global.advance()
    service, operation = request.resolved
    STATS.count(f"{service}:{operation}", region=common.scope(request.headers)[1])


def moto_post(path, body=b""):
    request = urllib.request.Request(common.MOTO["url"] + path, data=body, method="POST")
    return urllib.request.urlopen(request, timeout=60).read()


def reset_all():
    moto_post("/moto-api/reset")
    drs.reset()
    aurora_global.reset()
    eventbridge_replay.reset()
    lambda_invoke.reset()
    opensearch_changes.reset()
    rds_backup_replication.reset()
    memorydb_restore.reset()
    elasticache_global.reset()
    states.reset()
    with fault_proxy.RULES.lock:
        fault_proxy.RULES.rules.clear()
    STATS.clear()
    CONFIG.reset()
    FAILURES.clear()


class Handler(fault_proxy.Handler):

    def emulator_control(self):
        parts = urlsplit(self.path)
        path, query, method = parts.path[len("/__emulator__"):], parse_qs(parts.query), self.command
        try:
            body = read_json_body(self) if method in ("POST", "PUT", "DELETE") else {}
        except ValueError as error:
            return send_json(self, 400, {"error": f"the body is not JSON: {error}"})
        try:
            if path == "/reset" and method == "POST":
                reset_all()
                return send_json(self, 200, {"status": "ok"})
            if path == "/config" and method == "GET":
                return send_json(self, 200, CONFIG.merge({}))
            if path == "/config" and method == "POST":
                return send_json(self, 200, CONFIG.merge(body))
            if path == "/stats" and method == "GET":
                return send_json(self, 200, STATS.snapshot())
            if path == "/stats/reset" and method == "POST":
                STATS.clear()
                return send_json(self, 200, {"status": "ok"})
            if path == "/failures":
                if method == "POST":
                    specs = body if isinstance(body, list) else [body]
                    for spec in specs:
                        if spec.get("kind") not in FAILURE_KINDS:
                            return send_json(self, 400, {"error": f"unknown failure kind {spec.get('kind')!r}"})
                    for spec in specs:
                        FAILURES.add(spec)
                    return send_json(self, 200, {"failures": FAILURES.listing()})
                if method == "DELETE":
                    FAILURES.clear()
                    return send_json(self, 200, {"failures": []})
                if method == "GET":
                    return send_json(self, 200, {"failures": FAILURES.listing()})
            if path == "/drs/source-servers" and method == "POST":
                account = body.get("account") or common.DEFAULT_ACCOUNT
                region = body.get("region") or "us-east-1"
                return send_json(self, 200, {"sourceServers": drs.seed(account, region, body.get("servers") or [])})
            if path == "/drs/state" and method == "GET":
                return send_json(self, 200, drs.state(query.get("account", [None])[0], query.get("region", [None])[0]))
            if path == "/aurora/state" and method == "GET":
                return send_json(self, 200, aurora_global.state())
            if path == "/rds/backup-replication/state" and method == "GET":
                return send_json(self, 200, rds_backup_replication.state())
            if path == "/elasticache/state" and method == "GET":
                return send_json(self, 200, elasticache_global.state())
            if path == "/memorydb/state" and method == "GET":
                return send_json(self, 200, memorydb_restore.state())
            if path == "/opensearch/state" and method == "GET":
                return send_json(self, 200, opensearch_changes.state())
            if path == "/eventbridge/state" and method == "GET":
                return send_json(self, 200, eventbridge_replay.state())
            if path.startswith("/lambda/"):
                answer = lambda_invoke.control(method, path, query, body)
                if answer is not None:
                    return send_json(self, 200, answer)
            if path.startswith("/states/") and method == "POST":
                answer = states.control(path, body)
                if answer is not None:
                    return send_json(self, 200, answer)
        except ValueError as error:
            return send_json(self, 400, {"error": str(error)})
        return send_json(self, 404, {"error": f"unknown control route {method} {parts.path}"})

    def handle_any(self):
        LAST_REQUEST["at"] = time.monotonic()
        if self.path.startswith("/__emulator__/"):
            return self.emulator_control()
        return super().handle_any()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


def start_moto():
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    from moto.server import ThreadedMotoServer
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server.get_host_and_port()[1]
    common.MOTO["url"] = f"http://127.0.0.1:{port}"
    urllib.request.urlopen(common.MOTO["url"] + "/moto-api/", timeout=60).read()
    moto_post("/moto-api/config", json.dumps({"lambda": {"use_docker": False}}).encode())

    def warm_up():    # moto's EC2 backend takes ~2 s to build the first time; do it before a test needs it
        try:
            common.moto_client("ec2", common.DEFAULT_ACCOUNT, "us-east-1").describe_launch_templates()
            common.moto_client("rds", common.DEFAULT_ACCOUNT, "us-east-1").describe_global_clusters()
        except Exception:
            pass
    threading.Thread(target=warm_up, daemon=True).start()
    return server, port


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port to bind on 127.0.0.1 (0: a free one)")
    parser.add_argument("--port-file", help="also write the port to this file once serving")
    parser.add_argument("--keep-running", action="store_true", help="ignore stdin; run until SIGTERM")
    parser.add_argument("--idle-exit", type=float, default=None, help="exit after this many seconds without a request")
    args = parser.parse_args()

    moto_server, moto_port = start_moto()
    fault_proxy.Handler.upstream = Handler.upstream = common.MOTO["url"]
    fault_proxy.register_observer(observe)
    fault_proxy.register_extension(drs.handle)
    fault_proxy.register_extension(aurora_global.handle)
    fault_proxy.register_extension(eventbridge_replay.handle)
    fault_proxy.register_extension(lambda_invoke.handle)
    fault_proxy.register_extension(opensearch_changes.handle)
    fault_proxy.register_extension(rds_backup_replication.handle)
    fault_proxy.register_extension(memorydb_restore.handle)
    fault_proxy.register_extension(elasticache_global.handle)
    fault_proxy.register_extension(states.handle)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    def stop(*_):
        try:
            server.shutdown()
            moto_server.stop()
        finally:
            os._exit(0)

    if args.idle_exit is not None:
        def watch_idle():
            while True:
                left = LAST_REQUEST["at"] + args.idle_exit - time.monotonic()
                if left <= 0:
                    stop()
                time.sleep(min(max(left, 0.05), 1.0))
        LAST_REQUEST["at"] = time.monotonic()
        threading.Thread(target=watch_idle, daemon=True).start()

    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(f"{port}\n")
        os.replace(args.port_file + ".tmp", args.port_file)
    sys.stdout.write(json.dumps({"port": port, "motoPort": moto_port}) + "\n")
    sys.stdout.flush()

    signal.signal(signal.SIGTERM, stop)
    if args.keep_running:
        while True:
            signal.pause()
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    stop()


if __name__ == "__main__":
    sys.exit(main())
