"""botocore's SigV4 signer as a test oracle: reads a JSON list of requests on stdin and prints,
for each, the headers botocore's SigV4Auth adds and its canonical request.

Input items: {"method", "scheme", "host", "path": [["literal", text] | ["label", raw value], ...],
"query": [[name, raw value], ...], "headers": [[name, value], ...], "body" (text), "access_key",
"secret_key", "token" (or null), "region", "service", "time": "20150830T123600Z"}

The URL is built here from the raw path labels and query parameters the way botocore serialises
them (`percent_encode` for a `{Label}`, `percent_encode_sequence` for the query string), so the
signature is checked against an encoding Lifeboat did not make.
"""
import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence


def url(item):
    path = "".join(text if kind == "literal" else percent_encode(text) for kind, text in item["path"])
    query = percent_encode_sequence([tuple(pair) for pair in item["query"]])
    return f"{item['scheme']}://{item['host']}{path}" + (f"?{query}" if query else "")


def sign(item):
    request = AWSRequest(method=item["method"], url=url(item), data=item["body"].encode())
    for name, value in item["headers"]:
        request.headers[name] = value
    credentials = Credentials(item["access_key"], item["secret_key"], item.get("token"))
    auth = botocore.auth.SigV4Auth(credentials, item["service"], item["region"])
    moment = datetime.datetime.strptime(item["time"], "%Y%m%dT%H%M%SZ")
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=moment):
        auth.add_auth(request)
        canonical = auth.canonical_request(request)
    return {"headers": {k: v for k, v in request.headers.items()}, "canonical": canonical, "url": request.url}


def main():
    items = json.load(sys.stdin)
    json.dump([sign(item) for item in items], sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
