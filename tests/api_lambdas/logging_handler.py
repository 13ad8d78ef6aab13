"""A Lambda handler that logs a failure while an event's token is in its locals."""

from __future__ import annotations

from typing import Any

import structlog

from api_lambdas.lambda_runtime import synchronous

log = structlog.get_logger(__name__)


async def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Fails on the token it holds, and logs the failure."""
    token = event["headers"]["Authorization"]
    try:
        raise ValueError("the handler failed")
    except ValueError:
        log.exception("handler_failed", length=len(token))
    return {"statusCode": 500, "body": "{}"}


handler = synchronous(handle)
