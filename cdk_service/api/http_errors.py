"""What a DATAHUB aiohttp server answers before any handler runs: our JSON errors, no banner.

aiohttp answers what its HTTP parser refuses (a request line or header over 8190 bytes, a
control character in a header, bytes that are not HTTP) from ``RequestHandler.handle_error``,
as ``text/plain`` that can echo the input, and stamps every answer ``Server: Python/3.x
aiohttp/3.x``. No application hook reaches that code, so ``serve_json_errors`` replaces the
method, once per process, for every server in it; ``hide_server_software`` is the hook for
the answers handlers make.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from aiohttp import web, web_protocol
from aiohttp.web_request import BaseRequest

SERVER = "datahub"
PROTOCOL_ERROR = {
    "code": "bad_http_request",
    "message": "the request is not valid HTTP, or its request line or a header is too long",
}
INTERNAL_ERROR = {"code": "internal_error", "message": "an unexpected error occurred"}


def protocol_error_response(status: int) -> web.Response:
    """The answer to a request aiohttp refused before routing it (never echoing it)."""
    body = PROTOCOL_ERROR if 400 <= status < 500 else INTERNAL_ERROR
    response = web.Response(
        status=status,
        text=json.dumps({"error": {**body, "status": HTTPStatus(status).phrase}}),
        content_type="application/json",
        headers={"Server": SERVER},
    )
    response.force_close()
    return response


def _handle_error(
    self: web_protocol.RequestHandler,
    request: BaseRequest,
    status: int = 500,
    exc: BaseException | None = None,
    message: str | None = None,
) -> web.StreamResponse:
    if status >= 500:
        self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
    if request.writer.output_size > 0:
        raise ConnectionError("the response was sent already; cannot send an error")
    return protocol_error_response(status)


def serve_json_errors() -> None:
    """Make aiohttp's own error answers, in this process, our JSON ones."""
    web_protocol.RequestHandler.handle_error = _handle_error  # type: ignore[method-assign]


async def hide_server_software(_: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: name no server software and version in an answer."""
    response.headers["Server"] = SERVER
