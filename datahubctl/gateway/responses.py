"""What API Gateway answers: a Lambda's proxy result, or one of its own gateway responses."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import structlog
from aiohttp import web

log = structlog.get_logger("datahub.local_gateway")

# API Gateway's default gateway responses (status and message), by the names AWS gives them.
MISSING_AUTHENTICATION_TOKEN = (403, "Missing Authentication Token")
UNAUTHORIZED = (401, "Unauthorized")
ACCESS_DENIED = (403, "User is not authorized to access this resource")
AUTHORIZER_FAILURE = (500, None)
INTEGRATION_FAILURE = (502, "Internal server error")
INTEGRATION_TIMEOUT = (504, "Endpoint request timed out")
REQUEST_TOO_LARGE = (413, "Request Too Long")
# What the gateway's HTTP parser refuses, and a failure of the gateway's own.
BAD_REQUEST = (400, "Bad Request")
LINE_TOO_LONG = (400, "Request line or header too long")
INTERNAL_SERVER_ERROR = (500, "Internal server error")


def gateway_response(answer: tuple[int, str | None]) -> web.Response:
    """One of API Gateway's own responses: ``{"message": ...}`` with its status."""
    status, message = answer
    response = web.json_response({"message": message}, status=status)
    response.headers["x-amzn-ErrorType"] = _error_type(status)
    return response


def _error_type(status: int) -> str:
    kinds = {
        400: "BadRequestException",
        401: "UnauthorizedException",
        403: "AccessDeniedException",
        413: "RequestTooLong",
    }
    return kinds.get(status, "InternalServerErrorException")


def lambda_response(result: Any, function: str) -> web.Response:
    """The HTTP response for a proxy integration result; a malformed one is a 502, as in AWS."""
    try:
        return _from_proxy_result(result)
    except (TypeError, ValueError, KeyError, binascii.Error) as error:
        log.error("malformed_lambda_response", function=function, error=str(error))
        return gateway_response(INTEGRATION_FAILURE)


def _from_proxy_result(result: Any) -> web.Response:
    if not isinstance(result, dict):
        raise TypeError(f"a proxy result is an object, not {type(result).__name__}")
    status = int(result.get("statusCode", 200))
    if not 100 <= status <= 599:
        raise ValueError(f"status {status} is not an HTTP status")
    body = result.get("body") or ""
    if not isinstance(body, str):
        raise TypeError("the body of a proxy result is a string")
    encoded = bool(result.get("isBase64Encoded"))
    payload = base64.b64decode(body, validate=True) if encoded else body.encode("utf-8")
    response = web.Response(status=status, body=payload)
    for name, values in (result.get("multiValueHeaders") or {}).items():
        for value in values:
            response.headers.add(name, str(value))
    for name, value in (result.get("headers") or {}).items():
        response.headers[name] = str(value)
    response.headers.setdefault("Content-Type", "application/json")
    return response
