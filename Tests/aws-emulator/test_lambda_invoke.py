"""Lambda Invoke without docker: results a test sets (payload, FunctionError, log tail), the
invocations received, injected errors, and a missing function, checked against botocore's model."""
import base64
import io
import json
import zipfile

import pytest
from botocore.exceptions import ClientError

from emulator_harness import response_problems

ACCOUNT = "123456789012"


def function(emu, name="notify", region="us-west-2"):
    iam = emu.client("iam", region="us-east-1")
    try:
        role = iam.create_role(RoleName="lambda", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    except ClientError:
        role = iam.get_role(RoleName="lambda")["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    client = emu.client("lambda", region=region)
    client.create_function(FunctionName=name, Runtime="python3.12", Role=role, Handler="index.handler",
                           Code={"ZipFile": code.getvalue()})
    return client


def checked(response):
    """boto3's answer with the streaming payload read, as the shape check wants bytes."""
    response = dict(response)
    response["Payload"] = response["Payload"].read()
    assert response_problems("lambda", "Invoke", response) == []
    return response


def test_shape_invoke_default_result_and_recorded_payload(emu):
    client = function(emu)
    response = checked(client.invoke(FunctionName="notify", Payload=b'{"order": 7}'))
    assert response["StatusCode"] == 200 and "FunctionError" not in response
    assert json.loads(response["Payload"]) == {"statusCode": 200}
    assert response["ExecutedVersion"] == "$LATEST"
    invocations = emu.control("GET", "/__emulator__/lambda/invocations?FunctionName=notify")["invocations"]
    assert [(i["region"], i["InvocationType"], json.loads(i["Payload"])) for i in invocations] == [("us-west-2", "RequestResponse", {"order": 7})]


def test_shape_invoke_with_a_function_error_and_log_tail(emu):
    client = function(emu)
    emu.control("POST", "/__emulator__/lambda/results", {"account": ACCOUNT, "region": "us-west-2", "FunctionName": "notify", "count": 1,
                                                          "payload": {"errorMessage": "boom", "errorType": "RuntimeError"},
                                                          "functionError": "Unhandled", "logTail": "START\nboom\nEND"})
    response = checked(client.invoke(FunctionName="notify", LogType="Tail"))
    assert response["FunctionError"] == "Unhandled"
    assert json.loads(response["Payload"])["errorMessage"] == "boom"
    assert base64.b64decode(response["LogResult"]).decode() == "START\nboom\nEND"
    # The queued result was for one invocation; the next one succeeds.
    assert "FunctionError" not in checked(client.invoke(FunctionName="notify"))


def test_shape_event_and_dry_run_invocations(emu):
    client = function(emu)
    assert checked(client.invoke(FunctionName="notify", InvocationType="Event"))["StatusCode"] == 202
    assert checked(client.invoke(FunctionName="notify", InvocationType="DryRun"))["StatusCode"] == 204


def test_a_missing_function_and_an_injected_error(emu):
    client = function(emu)
    with pytest.raises(ClientError) as missing:
        client.invoke(FunctionName="absent")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    emu.control("POST", "/__emulator__/failures", {"kind": "lambda-invoke-error", "functionName": "notify", "status": 409,
                                                    "code": "ResourceConflictException", "message": "The function is being updated"})
    with pytest.raises(ClientError) as conflict:
        client.invoke(FunctionName="notify")
    assert conflict.value.response["Error"]["Code"] == "ResourceConflictException"
    assert checked(client.invoke(FunctionName="notify"))["StatusCode"] == 200
    assert len(emu.control("GET", "/__emulator__/lambda/invocations")["invocations"]) == 1
