"""botocore's SigV4 signer as a test oracle: reads a JSON list of requests on stdin and prints,
for each, the headers botocore's SigV4Auth adds and its canonical request.

Input items: {"method", "url", "headers": [[name, value], ...], "body" (text), "access_key",
"secret_key", "token" (or null), "region", "service", "time": "20150830T123600Z"}
"""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(item):
    request = AWSRequest(method=item["method"], url=item["url"], data=item["body"].encode())
    for name, value in item["headers"]:
        request.headers[name] = value
    credentials = Credentials(item["access_key"], item["secret_key"], item.get("token"))
    auth = botocore.auth.SigV4Auth(credentials, item["service"], item["region"])
    moment = datetime.datetime.strptime(item["time"], "%Y%m%dT%H%M%SZ")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment):
        auth.add_auth(request)
        canonical = auth.canonical_request(request)
    return {"headers": {k: v for k, v in request.headers.items()}, "canonical": canonical}


def main():
    items = json.load(sys.stdin)
    json.dump([sign(item) for item in items], sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
