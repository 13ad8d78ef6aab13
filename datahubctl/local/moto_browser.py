"""moto's server as a browser meets it: CORS preflights of the JSON APIs, and moto's failures.

The web console signs in from its own origin with amazon-cognito-identity-js: ``POST /`` on the
Cognito endpoint with ``X-Amz-Target`` and a JSON body, which a browser sends only after a CORS
preflight, ``OPTIONS /`` with neither signature nor target. moto's server cannot tell which
service that preflight is for and hands it to its default backend, S3, which takes
``OPTIONS /`` for ListBuckets; moto 5.2.6 finds no S3 operation for it and fails
(``AssertionError`` in ``serialized``), and werkzeug answers an HTML 500 without
``Access-Control-Allow-Origin``. The browser then never sends the sign-in, and the library
reports "Network error". AWS's endpoints answer such preflights themselves; ``BrowserCors``
does too, for preflights of the endpoint's root (the path every JSON-protocol API is called
on), and leaves those of any other path to moto (a bucket's own CORS rules answer for it).

A failure inside moto on a browser's request (one with ``Origin``) is answered as AWS's JSON
protocol answers a server error, ``InternalFailure``, with the CORS headers, and logged with
its traceback: the browser reads moto's error instead of a network error. Requests without
``Origin`` (the SDKs') go to moto untouched.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

log = structlog.get_logger("datahub.moto")

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

ROOT_PATHS = ("", "/")
PREFLIGHT_MAX_AGE_SECONDS = 600
# Response headers a script may read across origins (the SDKs read the error type from it).
EXPOSED_HEADERS = "x-amzn-ErrorType, x-amzn-RequestId"


class BrowserCors:
    """WSGI middleware in front of moto's server application (see the module's docstring)."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Answers a root preflight here; hands everything else to moto."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return self.app(environ, start_response)
        if is_root_preflight(environ):
            return preflight_allowed(environ, origin, start_response)
        try:
            return self.app(environ, start_response)
        except Exception as error:
            log.exception(
                "moto_failed_a_browser_request",
                method=environ.get("REQUEST_METHOD"),
                path=environ.get("PATH_INFO"),
                target=environ.get("HTTP_X_AMZ_TARGET"),
            )
            return internal_failure(origin, error, start_response)


def is_root_preflight(environ: Environ) -> bool:
    """Whether the request is a browser's CORS preflight of the endpoint's root."""
    return (
        environ.get("REQUEST_METHOD") == "OPTIONS"
        and environ.get("PATH_INFO", "") in ROOT_PATHS
        and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
    )


def preflight_allowed(
    environ: Environ, origin: str, start_response: StartResponse
) -> Iterable[bytes]:
    """The preflight's answer: the origin may send the method and headers it asked about."""
    headers = [
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Allow-Methods", environ["HTTP_ACCESS_CONTROL_REQUEST_METHOD"]),
        ("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE_SECONDS)),
        ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ("Content-Length", "0"),
    ]
    asked_headers = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    if asked_headers:
        headers.append(("Access-Control-Allow-Headers", asked_headers))
    start_response("200 OK", headers)
    return [b""]


def internal_failure(origin: str, error: Exception, start_response: StartResponse) -> list[bytes]:
    """A 500 in AWS's JSON error shape that the browser may read (the CORS headers on it)."""
    body = json.dumps(
        {"__type": "InternalFailure", "message": f"moto failed: {type(error).__name__}: {error}"}
    ).encode()
    headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("Content-Length", str(len(body))),
        ("x-amzn-ErrorType", "InternalFailure"),
        ("Access-Control-Allow-Origin", origin),
        ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
    ]
    start_response("500 Internal Server Error", headers)  # Flask's failures start no answer
    return [body]


@contextmanager
def serving_for_browsers(host: str, port: int) -> Iterator[tuple[str, int]]:
    """moto's server application behind ``BrowserCors``, on a thread per request as moto's own
    ``ThreadedMotoServer`` serves it; the bound host and port while it runs."""
    app = BrowserCors(DomainDispatcherApplication(create_backend_app))
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="moto-server", daemon=True)
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        yield str(bound_host), int(bound_port)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
