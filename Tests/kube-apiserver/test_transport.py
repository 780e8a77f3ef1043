"""Transport: HTTP/1.1 keep-alive across requests and finished watches, HTTPS with a given certificate,
and client certificates as an alternative to the bearer token."""
import http.client
import json
import shutil
import ssl
import subprocess

import pytest

from kube_testenv import WIDGETS


def test_one_connection_serves_requests_and_a_finished_watch(kube):
    conn = kube.connection()
    for path in ("/version", f"{WIDGETS}?watch=1&timeoutSeconds=1", "/api/v1/namespaces/default"):
        conn.request("GET", path, headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
        assert response.status == 200
        if "watch" in path:
            assert response.getheader("Transfer-Encoding") == "chunked" and body == b""
    assert json.loads(body)["metadata"]["name"] == "default"
    conn.close()


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def certificates(tmp_path):
    assert shutil.which("openssl"), "openssl is not on PATH: install it (Debian package openssl) to run the TLS tests"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
            "-subj", "/CN=test-ca", cwd=tmp_path)
    for name, extra in (("server", ["-addext", "subjectAltName=IP:127.0.0.1"]), ("client", [])):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", f"/CN={name}", *extra, cwd=tmp_path)
        ext = ["-copy_extensions", "copy"] if name == "server" else []
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.crt", "-days", "1", *ext, cwd=tmp_path)
    return tmp_path


def get(port, context, path, token=None):
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
    response = conn.getresponse()
    status, body = response.status, response.read()
    conn.close()
    return status, body


def test_https_with_token_or_client_certificate(spawn, certificates):
    d = certificates
    server = spawn("--tls-cert", str(d / "server.crt"), "--tls-key", str(d / "server.key"),
                   "--client-ca", str(d / "ca.crt"), "--token", "t0ken")
    assert server.url.startswith("https://")
    trusting = ssl.create_default_context(cafile=str(d / "ca.crt"))
    assert get(server.port, trusting, "/api/v1/namespaces")[0] == 401
    assert get(server.port, trusting, "/api/v1/namespaces", token="t0ken")[0] == 200
    with_cert = ssl.create_default_context(cafile=str(d / "ca.crt"))
    with_cert.load_cert_chain(str(d / "client.crt"), str(d / "client.key"))
    assert get(server.port, with_cert, "/api/v1/namespaces")[0] == 200
