"""Local stand-ins for the two credential endpoints that exist only inside AWS:

    python3 -m testenv.aws.credential_endpoints [--token TOKEN] [--expires-in SECONDS]

- the container credentials endpoint (ECS task roles, EKS Pod Identity): GET /container/creds,
  answered only with `Authorization: <TOKEN>` when --token is given (401 otherwise);
- IMDSv2: PUT /latest/api/token (needs X-aws-ec2-metadata-token-ttl-seconds), then
  GET /latest/meta-data/iam/security-credentials/ and .../<role> with X-aws-ec2-metadata-token.

Every credentials document has a fresh AccessKeyId (ASIACONTAINER0001, ASIAIMDS0001, …) and
expires --expires-in seconds from now, so a test can watch refreshes happen.
GET /stats -> {"container": n, "imds_token": n, "imds_credentials": n}.
"""
import argparse
import datetime
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler

from testenv.support.serve import send_json, serve_http

ROLE = "lifeboat-instance-role"
STATS = {"container": 0, "imds_token": 0, "imds_credentials": 0}
LOCK = threading.Lock()
IMDS_TOKENS = set()


def count(key):
    with LOCK:
        STATS[key] += 1
        return STATS[key]


def document(prefix, number, expires_in):
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=expires_in)
    return {
        "Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": f"ASIA{prefix}{number:04d}",
        "SecretAccessKey": f"secret-{prefix.lower()}-{number}", "Token": f"token-{prefix.lower()}-{number}",
        "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"), "AccountId": "123456789012",
        "LastUpdated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    token = None
    expires_in = 3600

    def log_message(self, *args):
        pass

    def reply_text(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        if self.path != "/latest/api/token":
            return self.reply_text(404, "not found")
        if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.reply_text(400, "missing TTL header")
        count("imds_token")
        token = secrets.token_hex(16)
        with LOCK:
            IMDS_TOKENS.add(token)
        self.reply_text(200, token)

    def do_GET(self):
        if self.path == "/stats":
            with LOCK:
                return send_json(self, 200, dict(STATS))
        if self.path == "/container/creds":
            if self.token is not None and self.headers.get("Authorization") != self.token:
                return self.reply_text(401, "bad authorization token")
            return send_json(self, 200, document("CONTAINER", count("container"), self.expires_in))
        if self.path.startswith("/latest/meta-data/iam/security-credentials/"):
            with LOCK:
                valid = self.headers.get("X-aws-ec2-metadata-token") in IMDS_TOKENS
            if not valid:
                return self.reply_text(401, "IMDSv2 token required")
            role = self.path.rsplit("/", 1)[1]
            if not role:
                return self.reply_text(200, ROLE)
            if role != ROLE:
                return self.reply_text(404, "no such role")
            return send_json(self, 200, document("IMDS", count("imds_credentials"), self.expires_in))
        self.reply_text(404, "not found")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--token")
    parser.add_argument("--expires-in", type=int, default=3600)
    args = parser.parse_args()
    Handler.token = args.token
    Handler.expires_in = args.expires_in
    serve_http(Handler)


if __name__ == "__main__":
    sys.exit(main())
