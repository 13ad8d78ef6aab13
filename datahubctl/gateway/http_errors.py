"""What the gateway answers for a request aiohttp refuses itself: API Gateway's JSON, no banner.

aiohttp answers what its HTTP parser refuses (a request line or header over 8190 bytes, a
control character in a header, a body that is not the chunks it claims, bytes that are not
HTTP) and a handler's unexpected failure from ``RequestHandler.handle_error``, as text/plain
that may echo the input, and it names itself and its version in a ``Server`` header. No
application hook reaches either before routing, so ``GatewayRunner`` serves the app through
connections whose errors are ``{"message": ...}`` answers, and ``hide_server_software``
(``on_response_prepare``) takes the banner off every routed answer.
"""

from __future__ import annotations

from aiohttp import web, web_protocol
from aiohttp.http_exceptions import HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestPayloadError
from aiohttp.web_request import BaseRequest

from datahubctl.gateway import responses

SERVER = "datahub-local-gateway"
# What a client's bytes caused: a request aiohttp cannot parse, or a body it cannot read.
REFUSED = (HttpProcessingError, RequestPayloadError)


def error_answer(status: int, error: BaseException | None) -> web.Response:
    """A JSON answer for a request aiohttp could not handle (never echoing what was sent)."""
    if isinstance(error, LineTooLong):
        answer = responses.LINE_TOO_LONG
    elif isinstance(error, REFUSED) or 400 <= status < 500:
        answer = responses.BAD_REQUEST
    else:
        answer = responses.INTERNAL_SERVER_ERROR
    response = responses.gateway_response(answer)
    response.headers["Server"] = SERVER
    response.force_close()
    return response


class JsonErrorHandler(web_protocol.RequestHandler):
    """aiohttp's connection handler, answering its errors in JSON."""

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """API Gateway's answer for what aiohttp refused; a failure of ours is logged."""
        if status >= 500 and not isinstance(exc, REFUSED):
            self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
        if request.writer.output_size > 0:
            raise ConnectionError("the answer was sent already: no error can follow it")
        return error_answer(status, exc)


class JsonErrorServer(web.Server):
    """aiohttp's low-level server, whose connections answer errors in JSON."""

    def __call__(self) -> web_protocol.RequestHandler:
        """A handler for a new connection."""
        return JsonErrorHandler(self, loop=self._loop, **self._kwargs)


class GatewayRunner(web.AppRunner):
    """``web.AppRunner`` serving the app through a ``JsonErrorServer``."""

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        # aiohttp made and configured it; only the handlers of its connections change.
        server.__class__ = JsonErrorServer
        return server


async def hide_server_software(_: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: no answer names the server software and its version."""
    response.headers["Server"] = SERVER
