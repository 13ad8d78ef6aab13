"""API Gateway REST API proxy events, authorizer events and Lambda contexts from HTTP requests."""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class Stage:
    """Which API and stage the local gateway plays (they appear in ARNs and request contexts)."""

    api_id: str = "datahublocal"
    stage: str = "local"
    region: str = "us-east-1"
    account_id: str = "123456789012"

    def method_arn(self, method: str, resource: str) -> str:
        """The ARN an authorizer is asked about for ``method`` on ``resource``."""
        return (
            f"arn:aws:execute-api:{self.region}:{self.account_id}:"
            f"{self.api_id}/{self.stage}/{method}{resource}"
        )


@dataclass
class LambdaContext:
    """What a Lambda handler gets as ``context`` (the attributes handlers commonly read)."""

    function_name: str
    timeout_seconds: float
    stage: Stage
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        """The function's ARN in the stage's account and region."""
        where = f"{self.stage.region}:{self.stage.account_id}"
        return f"arn:aws:lambda:{where}:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        """Where the function would log."""
        return f"/aws/lambda/{self.function_name}"

    @property
    def log_stream_name(self) -> str:
        """This invocation's stream."""
        return f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{self.aws_request_id.replace('-', '')}"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds before the invocation times out."""
        left = self.timeout_seconds - (time.monotonic() - self.started)
        return max(0, int(left * 1000))


def _single_and_multi(pairs: Any) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    """API Gateway's two views of repeated names: the last value, and all of them."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in pairs.items():
        single[name] = value
        multi.setdefault(name, []).append(value)
    return (single, multi) if single else (None, None)


def _body(raw: bytes) -> tuple[str | None, bool]:
    """The body as the event carries it: text, base64 when it is not UTF-8, ``None`` if empty."""
    if not raw:
        return None, False
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii"), True


def request_context(
    request: web.Request, stage: Stage, resource: str, identity: dict[str, Any]
) -> dict[str, Any]:
    """The ``requestContext`` of a REST API event (``identity`` fills in the caller)."""
    now = datetime.now(UTC)
    request_id = str(uuid.uuid4())
    return {
        "accountId": stage.account_id,
        "apiId": stage.api_id,
        "domainName": request.host,
        "domainPrefix": request.host.split(".")[0],
        "extendedRequestId": request_id,
        "httpMethod": request.method,
        "identity": {
            "sourceIp": request.remote or "127.0.0.1",
            "userAgent": request.headers.get("User-Agent"),
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "user": None,
            "userArn": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "cognitoAuthenticationType": None,
            "cognitoAuthenticationProvider": None,
            **identity,
        },
        "path": f"/{stage.stage}{request.path}",
        "protocol": f"HTTP/{request.version.major}.{request.version.minor}",
        "requestId": request_id,
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(now.timestamp() * 1000),
        "resourceId": resource.strip("/").replace("/", "-") or "root",
        "resourcePath": resource,
        "stage": stage.stage,
    }


def proxy_event(
    request: web.Request,
    raw_body: bytes,
    stage: Stage,
    resource: str,
    *,
    identity: dict[str, Any] | None = None,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The Lambda proxy integration event of a REST API for ``request``."""
    headers, multi_headers = _single_and_multi(request.headers)
    query, multi_query = _single_and_multi(request.query)
    body, encoded = _body(raw_body)
    context = request_context(request, stage, resource, identity or {})
    if authorizer is not None:
        context["authorizer"] = authorizer
    return {
        "resource": resource,
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": encoded,
    }


def authorizer_event(request: web.Request, stage: Stage, resource: str) -> dict[str, Any]:
    """The event of a REQUEST authorizer: the request without its body, and the method ARN."""
    event = proxy_event(request, b"", stage, resource)
    for name in ("body", "isBase64Encoded"):
        event.pop(name)
    return {
        "type": "REQUEST",
        "methodArn": stage.method_arn(request.method, resource),
        **event,
        "pathParameters": {},
        "stageVariables": {},
    }
