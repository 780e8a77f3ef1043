"""Lambda Invoke without docker. moto runs a function's code in a container; the emulator runs
none, so Invoke is answered here for every function moto knows (a missing function or qualifier
is moto's own ResourceNotFoundException), with the result a test set for it:

    POST /__emulator__/lambda/results  {"account", "region", "FunctionName", "payload": <any JSON>,
                                        "functionError": "Unhandled" | null, "logTail": "text",
                                        "count": N | null (for ever, the default)}
        the next N invocations of the function return that (queued results are used in order;
        without one the function returns {"statusCode": 200})
    GET  /__emulator__/lambda/invocations[?FunctionName=…]
        every invocation received: account, region, function, qualifier, invocation type, payload

RequestResponse answers 200 with the payload, X-Amz-Executed-Version, X-Amz-Function-Error when the
result has one, and X-Amz-Log-Result (base64 of the log tail's last 4 KB) with LogType=Tail; Event
answers 202 and DryRun 204, without a payload. CONFIG["lambda"]["invokeSeconds"] holds a
RequestResponse invocation that long before it answers (a function's run time). Injected errors:

    {"kind": "lambda-invoke-error", "functionName": "<name>" | "*", "status": 429,
     "code": "TooManyRequestsException", "message": "..."}
"""
import base64
import copy
import json
import time
from urllib.parse import parse_qs, unquote, urlsplit

from testenv.aws.extensions.common import (CONFIG, FAILURES, LOCK, account_of, region_of, request_id,
                                           rest_json_error, scope)

RESULTS = {}        # (account, region, function name) -> [result], the first is used next
INVOCATIONS = []


def reset():
    with LOCK:
        RESULTS.clear()
        INVOCATIONS.clear()


def _function_name(path):
    """The {FunctionName} label of /2015-03-31/functions/{FunctionName}/invocations, decoded."""
    parts = urlsplit(path).path.split("/")
    return unquote(parts[3]) if len(parts) >= 5 else ""


def _next_result(key):
    with LOCK:
        queue = RESULTS.get(key) or []
        if not queue:
            return {"payload": {"statusCode": 200}, "functionError": None, "logTail": ""}
        result = queue[0]
        if result["count"] is not None:
            result["count"] -= 1
            if result["count"] <= 0:
                queue.pop(0)
        return result


def handle(handler, request):
    if scope(request.headers)[2] != "lambda" or request.method != "POST" or not urlsplit(request.path).path.endswith("/invocations") \
            or "/functions/" not in request.path:
        return False
    from moto.awslambda.utils import get_backend    # the docker-less backend the emulator configures
    account, region = account_of(request.headers), region_of(request.headers)
    requested = _function_name(request.path)
    qualifier = (parse_qs(urlsplit(request.path).query).get("Qualifier") or [None])[0]
    try:
        function = get_backend(account, region).get_function(requested, qualifier)
    except Exception as error:
        rest_json_error(handler, getattr(error, "code", 404), getattr(error, "error_type", "ResourceNotFoundException"),
                        getattr(error, "message", str(error)), Type="User")
        return True
    name = function.function_name
    injected = FAILURES.take("lambda-invoke-error", lambda spec: spec.get("functionName") in (None, "*", name, requested))
    if injected:
        rest_json_error(handler, int(injected.get("status", 500)), injected.get("code", "ServiceException"),
                        injected.get("message", "injected by the emulator"), Type="Service")
        return True
    invocation_type = request.headers.get("X-Amz-Invocation-Type") or "RequestResponse"
    with LOCK:
        INVOCATIONS.append({"account": account, "region": region, "FunctionName": name, "Qualifier": qualifier,
                            "InvocationType": invocation_type, "Payload": request.body.decode("utf-8", "replace")})
    if invocation_type == "DryRun":
        return _answer(handler, 204, b"", {})
    if invocation_type == "Event":
        return _answer(handler, 202, b"", {})
    seconds = float(CONFIG.get("lambda", "invokeSeconds"))
    if seconds > 0:
        time.sleep(seconds)     # the function's run time: a synchronous invoke answers when it ends
    result = _next_result((account, region, name))
    headers = {"X-Amz-Executed-Version": qualifier if qualifier and qualifier != "$LATEST" else "$LATEST"}
    if result.get("functionError"):
        headers["X-Amz-Function-Error"] = result["functionError"]
    if request.headers.get("X-Amz-Log-Type") == "Tail":
        tail = (result.get("logTail") or "").encode()[-4096:]
        headers["X-Amz-Log-Result"] = base64.b64encode(tail).decode()
    return _answer(handler, 200, json.dumps(result.get("payload")).encode(), headers)


def _answer(handler, status, body, headers):
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("x-amzn-RequestId", request_id())
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)
    return True


def control(method, path, query, body):
    """Handles /lambda/… control routes; the JSON answer, or None for another path."""
    if path == "/lambda/results" and method == "POST":
        name = body.get("FunctionName")
        if not name:
            raise ValueError("FunctionName is required")
        key = (body.get("account") or "123456789012", body.get("region") or "us-east-1", name)
        result = {"payload": copy.deepcopy(body.get("payload", {"statusCode": 200})), "functionError": body.get("functionError"),
                  "logTail": body.get("logTail") or "", "count": body.get("count")}
        with LOCK:
            RESULTS.setdefault(key, []).append(result)
            return {"queued": len(RESULTS[key])}
    if path == "/lambda/invocations" and method == "GET":
        wanted = (query.get("FunctionName") or [None])[0]
        with LOCK:
            return {"invocations": [copy.deepcopy(i) for i in INVOCATIONS if wanted in (None, i["FunctionName"])]}
    return None
