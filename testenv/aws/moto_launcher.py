"""Starts moto_server (PyPI moto[server]) on 127.0.0.1 and an ephemeral port.

    python3 -m testenv.aws.moto_launcher [--auth-after N]

Prints {"port": N} once moto answers GET /moto-api/, then serves until stdin closes (see
testenv/support/serve.py). --auth-after N turns on moto's SigV4 and IAM checks after N requests
(INITIAL_NO_AUTH_ACTION_COUNT, read by moto at import, so it is set before moto is imported);
POST /moto-api/reset-auth with body 0 switches them on at once.
Lambda runs without docker (canned results), as docs/aws.md explains.
"""
import argparse
import json
import logging
import os
import sys
import urllib.request

from testenv.support.serve import announce_and_serve


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--auth-after", type=int, default=None)
    args = parser.parse_args()
    if args.auth_after is not None:
        os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(args.auth_after)
    # Region and account defaults for calls without a scope; tests always sign with a region.
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request is noise here

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server.get_host_and_port()[1]
    base = f"http://127.0.0.1:{port}"
    urllib.request.urlopen(base + "/moto-api/", timeout=60).read()
    config = urllib.request.Request(base + "/moto-api/config", method="POST",
                                    data=json.dumps({"lambda": {"use_docker": False}}).encode(),
                                    headers={"Content-Type": "application/json"})
    urllib.request.urlopen(config, timeout=60).read()
    announce_and_serve({"port": port}, server.stop)


if __name__ == "__main__":
    sys.exit(main())
