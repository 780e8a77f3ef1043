"""Fixtures: one emulator (python3 -m testenv.aws.emulator) per session, reset before each test;
boto3 clients pointed at it; the aws-shapes checker from ../shared/tools/aws-shapes."""
import json
import os
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from botocore.config import Config

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHAPES = os.path.join(REPO, "..", "shared", "tools", "aws-shapes")
if not os.path.isfile(os.path.join(SHAPES, "check_shapes.py")):
    raise RuntimeError(f"the aws-shapes tool is missing: {SHAPES}/check_shapes.py (a checkout of ../shared is needed)")
sys.path.insert(0, SHAPES)
from check_shapes import response_problems  # noqa: E402,F401
if REPO not in sys.path:
    sys.path.insert(0, REPO)
from testenv.support.waiting import wait_until  # noqa: E402,F401
from testenv.support.serve import stop_server  # noqa: E402

ACCOUNT_B = "111111111111"
SESSION = boto3.session.Session()
CLIENTS = {}


class Emulator:
    def __init__(self, *args):
        self.process = subprocess.Popen([sys.executable, "-m", "testenv.aws.emulator", *args], cwd=REPO,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the emulator exited before its ready line")
        self.info = json.loads(line)
        self.port = self.info["port"]
        self.url = f"http://127.0.0.1:{self.port}"

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else (b"" if method != "GET" else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: {error.code} {error.read()!r}")

    def client(self, service, region="us-west-2", account=None, **creds):
        """A boto3 client of the emulator (cached: creating one costs 0.2-0.3 s)."""
        key = (service, region, account, tuple(sorted(creds.items())))
        if key not in CLIENTS:
            CLIENTS[key] = self._client(service, region, account, **creds)
        return CLIENTS[key]

    def _client(self, service, region, account, **creds):
        client = SESSION.client(
            service, region_name=region, endpoint_url=self.url,
            aws_access_key_id=creds.get("key", "AKIAIOSFODNN7EXAMPLE"),
            aws_secret_access_key=creds.get("secret", "testing"), aws_session_token=creds.get("token"),
            config=Config(retries={"max_attempts": 1}))
        if account:
            client.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
        return client

    def stop(self):
        stop_server(self.process, timeout=10)


@pytest.fixture(scope="session")
def emulator():
    e = Emulator()
    yield e
    e.stop()


@pytest.fixture
def emu(emulator):
    emulator.control("POST", "/__emulator__/reset")
    return emulator


