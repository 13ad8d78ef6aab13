"""One way to write a custom resource handler, whoever calls it.

CloudFormation calling the Lambda directly gives a pre-signed ``ResponseURL``: the outcome is
PUT there, success or failure, so a stack never waits an hour for an answer. The CDK Provider
framework calls it with ``ResponseURL: "..."`` and answers CloudFormation itself: the handler
then returns the outcome, or raises to report a failure.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import structlog

from api_lambdas.lambda_runtime import AsyncHandler, lambda_settings, synchronous
from api_lambdas.settings import LambdaSettings
from service_contract.errors import DatahubError

log = structlog.get_logger(__name__)
RESPONSE_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Request:
    """What CloudFormation asks for."""

    kind: str  # Create, Update or Delete
    properties: dict[str, Any]
    physical_id: str | None
    old_properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What the resource is now: its physical id and the attributes templates may read."""

    physical_id: str
    data: dict[str, Any] = field(default_factory=dict)


Work = Callable[[Request, LambdaSettings], Awaitable[Outcome]]


class ResourceFailed(RuntimeError):
    """Raised to the Provider framework so it reports FAILED with this reason."""


def _request_of(event: dict[str, Any]) -> Request:
    properties = dict(event.get("ResourceProperties") or {})
    properties.pop("ServiceToken", None)
    return Request(
        kind=str(event.get("RequestType", "")),
        properties=properties,
        physical_id=event.get("PhysicalResourceId"),
        old_properties=dict(event.get("OldResourceProperties") or {}),
    )


def _reason_of(error: Exception, context: Any) -> str:
    if isinstance(error, DatahubError):
        return f"{error.code}: {error.message}"
    stream = getattr(context, "log_stream_name", "the function's log")
    return f"internal_error: an unexpected error occurred; see {stream}"


def send_response(url: str, body: dict[str, Any]) -> None:
    """PUT the outcome to CloudFormation's pre-signed URL (no content type: it is signed so)."""
    raw = json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=raw, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(raw))}
    )
    with urllib.request.urlopen(request, timeout=RESPONSE_TIMEOUT_SECONDS) as answer:
        answer.read()


def custom_resource(work: Work) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
    """The Lambda handler that runs ``work`` for one CloudFormation request and reports it."""

    async def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        request = _request_of(event)
        fallback = request.physical_id or f"{event.get('LogicalResourceId', 'resource')}-failed"
        try:
            outcome = await work(request, lambda_settings())
            status, reason = "SUCCESS", ""
        except Exception as error:
            log.exception("custom_resource_failed", request=request.kind)
            outcome, status = Outcome(physical_id=fallback), "FAILED"
            reason = _reason_of(error, context)
        url = str(event.get("ResponseURL") or "")
        if not url.startswith(("http://", "https://")):
            if status == "FAILED":
                raise ResourceFailed(reason)
            return {"PhysicalResourceId": outcome.physical_id, "Data": outcome.data}
        body = {
            "Status": status,
            "Reason": reason or f"{request.kind} done",
            "PhysicalResourceId": outcome.physical_id,
            "StackId": event.get("StackId"),
            "RequestId": event.get("RequestId"),
            "LogicalResourceId": event.get("LogicalResourceId"),
            "NoEcho": False,
            "Data": outcome.data,
        }
        send_response(url, body)
        return body

    typed: AsyncHandler = handle
    return synchronous(typed)
