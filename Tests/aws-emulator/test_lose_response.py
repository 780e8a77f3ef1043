"""The fault proxy's "lose_response" rule: AWS acts on the request, and the client never gets the
answer — the window the operator's crash safety has to survive ("call made, response lost")."""
import http.client
import select
import socket

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError

from emulator_harness import SESSION, wait_until
from test_drs import REGION, seed

ONE_ATTEMPT = Config(retries={"mode": "standard", "total_max_attempts": 1})


def single_attempt_client(emu, service):
    """A client that never resends: each call is exactly one request."""
    return SESSION.client(service, region_name=REGION, endpoint_url=emu.url, aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                          aws_secret_access_key="testing", config=ONE_ATTEMPT)


def test_an_extension_operation_acts_and_its_answer_is_lost(emu):
    servers = seed(emu)
    emu.control("POST", "/__emulator__/stats/reset")
    rule = emu.control("POST", "/__faults__/rules", {"kind": "lose_response", "match": {"operation": "StartRecovery"}})
    drs = single_attempt_client(emu, "drs")
    with pytest.raises(ConnectionClosedError):
        drs.start_recovery(sourceServers=[{"sourceServerID": servers[0]["sourceServerID"]}])
    assert emu.control("GET", f"/__faults__/rules/{rule['id']}") == {"hits": 1, "remaining": 0, "lost": 1}
    assert len(drs.describe_jobs()["items"]) == 1                      # DRS did start the job
    assert emu.control("GET", "/__emulator__/stats")["calls"]["drs:StartRecovery"] == 1
    with pytest.raises(ClientError) as error:                         # and it is real: the server is busy now
        drs.start_recovery(sourceServers=[{"sourceServerID": servers[0]["sourceServerID"]}])
    assert error.value.response["Error"]["Code"] == "ConflictException"


def test_a_forwarded_operation_acts_and_the_connection_breaks_mid_response(emu):
    rule = emu.control("POST", "/__faults__/rules", {"kind": "lose_response", "partial": True,
                                                     "match": {"operation": ["DeleteParameter", "PutParameter"]}})
    ssm = single_attempt_client(emu, "ssm")
    with pytest.raises(ConnectionClosedError):   # botocore: the body ends before its Content-Length
        ssm.put_parameter(Name="/chaos/x", Value="1", Type="String")
    assert emu.control("GET", f"/__faults__/rules/{rule['id']}") == {"hits": 1, "remaining": 0, "lost": 1}
    assert ssm.get_parameter(Name="/chaos/x")["Parameter"]["Value"] == "1"    # moto stored it


def test_partial_sends_the_head_and_half_the_body(emu):
    emu.control("POST", "/__faults__/rules", {"kind": "lose_response", "partial": True,
                                              "match": {"operation": "DescribeRegions"}})
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=30)
    connection.request("POST", "/", body="Action=DescribeRegions&Version=2016-11-15",
                       headers={"Content-Type": "application/x-www-form-urlencoded",
                                "Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-east-1/ec2/aws4_request, "
                                                 "SignedHeaders=host, Signature=0"})
    response = connection.getresponse()
    assert response.status == 200                                      # the head came through
    with pytest.raises(http.client.IncompleteRead) as error:
        response.read()
    assert 0 < len(error.value.partial) < int(response.getheader("Content-Length"))
    connection.close()


def test_hold_keeps_the_client_waiting_in_silence_until_it_goes(emu):
    """With hold_ms the client gets nothing at all while AWS has acted; when it closes (as a killed
    process does), the proxy lets go, and the next request is served as usual."""
    rule = emu.control("POST", "/__faults__/rules", {"kind": "lose_response", "hold_ms": 120000,
                                                     "match": {"operation": "PutParameter"}})
    body = b'{"Name": "/chaos/held", "Value": "2", "Type": "String"}'
    client = socket.create_connection(("127.0.0.1", emu.port), timeout=30)
    client.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n"
                   b"X-Amz-Target: AmazonSSM.PutParameter\r\n"
                   b"Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20250101/us-west-2/ssm/aws4_request, "
                   b"SignedHeaders=host, Signature=0\r\n"
                   b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    wait_until(lambda: emu.control("GET", f"/__faults__/rules/{rule['id']}")["lost"] == 1, timeout=30)
    assert single_attempt_client(emu, "ssm").get_parameter(Name="/chaos/held")["Parameter"]["Value"] == "2"
    readable, _, _ = select.select([client], [], [], 0)
    assert readable == []                                              # not a byte, and not closed
    client.close()
    assert single_attempt_client(emu, "ssm").get_parameter(Name="/chaos/held")["Parameter"]["Version"] == 1
