"""python3 -m testenv.kube [--port 0] [--port-file F] [--crds DIR_OR_FILE]... [--token T]...

Starts the test API server on loopback. Once it answers requests it prints one JSON line on stdout,
{"port": N, "url": "http://127.0.0.1:N"} (and writes the port to --port-file if given), so a test can
start it without racing it. Like every server in testenv/ it stops when its standard input closes,
so it dies with the test that started it; --keep-running ignores stdin and runs until SIGINT/SIGTERM.
"""
import argparse
import ipaddress
import json
import os
import signal
import threading

from .app import ApiServer, Settings
from testenv.support.serve import announce_and_serve, serve_in_thread

from .server import Server


def loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m testenv.kube", description=__doc__.split("\n\n")[1])
    parser.add_argument("--host", default="127.0.0.1", help="a loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    parser.add_argument("--port-file", help="write the chosen port here (written atomically once serving)")
    parser.add_argument("--crds", action="append", default=[], help="CRD YAML/JSON file or directory to serve at startup")
    parser.add_argument("--token", action="append", default=[], help="require this bearer token (repeatable)")
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    parser.add_argument("--client-ca", help="with TLS: also accept client certificates signed by this CA")
    parser.add_argument("--history-seconds", type=float, default=300.0,
                        help="how long changes stay watchable before 410 Expired (default 300, like etcd compaction)")
    parser.add_argument("--bookmark-interval", type=float, default=60.0, help="seconds between watch BOOKMARKs (default 60)")
    parser.add_argument("--min-request-timeout", type=float, default=1800.0,
                        help="watches without timeoutSeconds end after 1-2x this (default 1800)")
    parser.add_argument("--keep-running", action="store_true",
                        help="ignore stdin (for running it by hand or in the background); stop with SIGINT/SIGTERM")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)
    if not loopback(args.host):
        parser.error("--host must be a loopback address")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")

    settings = Settings(args.bookmark_interval, args.min_request_timeout, args.history_seconds, args.token, args.crds,
                        args.verbose)
    app = ApiServer(settings)
    server = Server((args.host, args.port), app, args.tls_cert, args.tls_key, args.client_ca)
    port = server.server_address[1]
    serve_in_thread(server)
    scheme = "https" if args.tls_cert else "http"
    if args.port_file:
        temporary = f"{args.port_file}.tmp"
        with open(temporary, "w") as handle:
            handle.write(f"{port}\n")
        os.replace(temporary, args.port_file)
    info = {"port": port, "url": f"{scheme}://{args.host}:{port}"}
    if not args.keep_running:
        announce_and_serve(info, server.server_close)  # returns never: exits when stdin closes
    print(json.dumps(info), flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.server_close()
    os._exit(0)  # handler threads are daemons: open watches end with the process


if __name__ == "__main__":
    main()
