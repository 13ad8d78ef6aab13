"""Request id, error translation and signature checks, applied to every request."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable, Mapping

import structlog
from aiohttp import web
from aiohttp.typedefs import Middleware

from cdk_service.db.outage import connection_lost
from service_contract import signing
from service_contract.client import REQUEST_ID_HEADER
from service_contract.errors import (
    Busy,
    Conflict,
    DatahubError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    PolicyViolation,
    Unauthenticated,
    Unavailable,
    UpstreamFailure,
)
from service_contract.identity import Identity

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = structlog.get_logger(__name__)
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
IDENTITY_KEY = web.RequestKey("identity", Identity)
DATABASE_RETRY_AFTER_SECONDS = 2

# Most specific first: the first class an error is an instance of gives its status.
STATUS_BY_ERROR: tuple[tuple[type[DatahubError], int], ...] = (
    (PayloadTooLarge, 413),
    (PolicyViolation, 422),
    (InvalidInput, 400),
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Unavailable, 503),
    (UpstreamFailure, 502),
)
STATUS_BY_CODE = {"synth_timeout": 504}
HTTP_ERROR_CODES = {
    404: "route_not_found",
    405: "method_not_allowed",
    413: PayloadTooLarge.code,
}


def status_of(error: DatahubError) -> int:
    """The HTTP status for a domain error."""
    if error.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[error.code]
    return next((s for cls, s in STATUS_BY_ERROR if isinstance(error, cls)), 500)


def error_response(status: int, body: Mapping[str, object], request_id: str) -> web.Response:
    """A JSON error response carrying the request id."""
    response = web.json_response({"error": {**body, "request_id": request_id}}, status=status)
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


@web.middleware
async def request_context(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give every request an id, bind it to every log line, and translate errors."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    request_id = given if REQUEST_ID_PATTERN.match(given) else uuid.uuid4().hex
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(
        request_id=request_id, method=request.method, path=request.path
    )
    try:
        response = await answered_through_outages(handler, request)
    except DatahubError as error:
        log.info("request_failed", code=error.code, status=status_of(error))
        failed = error_response(status_of(error), error.as_dict(), request_id)
        if isinstance(error, Busy):
            failed.headers["Retry-After"] = str(error.retry_after)
        return failed
    except web.HTTPException as error:
        if error.status < 400:
            raise
        code = HTTP_ERROR_CODES.get(error.status, "http_error")
        failed = error_response(error.status, {"code": code, "message": error.reason}, request_id)
        if "Allow" in error.headers:  # a 405 says which methods the path takes
            failed.headers["Allow"] = error.headers["Allow"]
        return failed
    except Exception:
        log.exception("unhandled_error")
        body = {"code": "internal_error", "message": "an unexpected error occurred"}
        return error_response(500, body, request_id)
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


async def answered_through_outages(handler: Handler, request: web.Request) -> web.StreamResponse:
    """The handler's response; a database connection lost under it (a failover, a restart) is
    a 503 with Retry-After, since the pool reconnects by itself and a retry will be served."""
    try:
        return await handler(request)
    except Exception as error:
        if isinstance(error, DatahubError | web.HTTPException) or not connection_lost(error):
            raise
        raise Busy(
            "the database is unreachable for a moment (a failover or restart); retry shortly",
            retry_after=DATABASE_RETRY_AFTER_SECONDS,
            code="database_unavailable",
        ) from error


def signature_check(
    key: bytes,
    *,
    window_seconds: int,
    unsigned_paths: frozenset[str],
    body_limits: Mapping[str, int] | None = None,
) -> Middleware:
    """Middleware that admits only requests signed with ``key``, and records the caller;
    ``body_limits`` raises the body size limit of some paths (uploads)."""

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in unsigned_paths:
            return await handler(request)
        if body_limits and request.path in body_limits:
            request = request.clone(client_max_size=body_limits[request.path])
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise PayloadTooLarge(
                f"the request body is over the {request.client_max_size} byte limit", field="body"
            ) from None
        identity = signing.verify(
            key,
            method=request.method,
            path=request.raw_path,  # as sent: canonicalized by the signature
            body=body,
            headers=request.headers,
            window_seconds=window_seconds,
        )
        request[IDENTITY_KEY] = identity
        structlog.contextvars.bind_contextvars(user=identity.user)
        return await handler(request)

    return check


def identity_of(request: web.Request) -> Identity:
    """The verified caller of a signed request."""
    return request[IDENTITY_KEY]
