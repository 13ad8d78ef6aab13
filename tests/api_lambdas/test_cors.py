"""CORS on the GraphQL Lambdas' own answers: the console (on CloudFront) reads them cross-origin.

API Gateway adds nothing to a Lambda proxy answer, so what the browser may read is what the
handler returns: the allowed origin echoed on successes and errors alike, nothing for an
unknown origin, and a preflight answered before any authentication.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pydantic import ValidationError

from api_lambdas.backend.handler import handler as backend
from api_lambdas.graphql_http import http_endpoint
from api_lambdas.lambda_runtime import lambda_settings
from api_lambdas.metadata.handler import handler as metadata
from api_lambdas.settings import LambdaSettings
from tests.api_lambdas.backend.conftest import authorizer_context
from tests.api_lambdas.service_fixtures import (
    ANALYST,
    Handler,
    LambdaContext,
    lambda_environment,
    proxy_event,
    service,
)

__all__ = ["lambda_environment", "service"]
CONSOLE = "https://d1234abcd.cloudfront.net"
ALLOW_ORIGIN = "Access-Control-Allow-Origin"
ME = json.dumps({"query": "{ me { user } }"})


@pytest.fixture
def console_allowed(lambda_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Lambdas allow the console's origin, as the platform configures them."""
    monkeypatch.setenv("DATAHUB_CORS_ALLOWED_ORIGINS", json.dumps([CONSOLE]))
    lambda_settings.cache_clear()


def from_origin(event: dict[str, Any], origin: str | None) -> dict[str, Any]:
    """``event`` as a browser on ``origin`` sends it (HTTP/2: header names in lower case)."""
    if origin is not None:
        event["headers"] = {**event["headers"], "origin": origin}
    return event


def backend_event(method: str = "POST", *, origin: str | None = CONSOLE, **parts: Any) -> dict:
    parts.setdefault("authorizer", authorizer_context(ANALYST))
    if method == "POST":
        parts.setdefault("body", ME)
    return from_origin(proxy_event(method, **parts), origin)


async def respond(handler: Handler, event: dict[str, Any]) -> dict[str, Any]:
    """The whole proxy answer (headers too), the handler run in a thread as Lambda would."""
    return await asyncio.to_thread(handler, event, LambdaContext(aws_request_id="r-1"))


async def test_the_allowed_origin_is_echoed_on_an_answer(console_allowed) -> None:
    answer = await respond(backend, backend_event())

    assert answer["statusCode"] == 200
    assert json.loads(answer["body"]) == {"data": {"me": {"user": "alan"}}}
    assert answer["headers"][ALLOW_ORIGIN] == CONSOLE
    assert answer["headers"]["Vary"] == "Origin", "a cache must not give it to another origin"
    assert "Access-Control-Allow-Credentials" not in answer["headers"]
    assert answer["headers"]["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (backend_event(authorizer=None), 401),
        (backend_event(body="{not json"), 400),
        (backend_event("PUT"), 405),
        (backend_event(body=json.dumps({"query": "{ nothing }"})), 400),
    ],
    ids=["no-caller", "malformed-json", "wrong-method", "invalid-query"],
)
async def test_error_answers_carry_the_allowed_origin_too(console_allowed, event, status) -> None:
    answer = await respond(backend, event)

    assert answer["statusCode"] == status
    assert answer["headers"][ALLOW_ORIGIN] == CONSOLE
    assert json.loads(answer["body"])["errors"][0]["extensions"]["code"]


async def test_an_unknown_origin_gets_no_allow_header(console_allowed) -> None:
    answer = await respond(backend, backend_event(origin="https://evil.example"))

    assert answer["statusCode"] == 200, "answered: the browser is what withholds it"
    assert ALLOW_ORIGIN not in answer["headers"]
    assert "Vary" not in answer["headers"]


async def test_without_an_origin_or_without_the_setting_no_cors_header_is_sent(
    lambda_environment,
) -> None:
    answer = await respond(backend, backend_event())
    assert answer["statusCode"] == 200 and ALLOW_ORIGIN not in answer["headers"]

    lambda_settings.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATAHUB_CORS_ALLOWED_ORIGINS", json.dumps([CONSOLE]))
        answer = await respond(backend, backend_event(origin=None))
    lambda_settings.cache_clear()
    assert answer["statusCode"] == 200 and ALLOW_ORIGIN not in answer["headers"]


async def test_any_origin_is_answered_with_a_star_never_with_credentials(
    lambda_environment, monkeypatch
) -> None:
    monkeypatch.setenv("DATAHUB_CORS_ALLOWED_ORIGINS", '["*"]')
    lambda_settings.cache_clear()

    answer = await respond(backend, backend_event(origin="https://anyone.example"))

    assert answer["headers"][ALLOW_ORIGIN] == "*"
    assert "Access-Control-Allow-Credentials" not in answer["headers"]


async def test_a_preflight_is_answered_before_authentication(console_allowed) -> None:
    event = backend_event("OPTIONS", authorizer=None)
    event["headers"] |= {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
    }

    answer = await respond(backend, event)

    assert answer["statusCode"] == 204 and answer["body"] == ""
    headers = answer["headers"]
    assert headers[ALLOW_ORIGIN] == CONSOLE
    assert set(headers["Access-Control-Allow-Methods"].split(",")) >= {"GET", "POST"}
    assert {"Authorization", "Content-Type"} <= set(
        headers["Access-Control-Allow-Headers"].split(",")
    )
    assert "Access-Control-Allow-Credentials" not in headers


async def test_a_preflight_from_an_unknown_origin_allows_nothing(console_allowed) -> None:
    answer = await respond(backend, backend_event("OPTIONS", origin="https://evil.example"))

    assert answer["statusCode"] == 204
    assert answer["headers"] == {}


async def test_the_metadata_lambda_answers_with_the_same_headers(console_allowed) -> None:
    event = from_origin(
        proxy_event("POST", body=ME, identity={"sourceIp": "10.0.0.1"}, path="/metadata/graphql"),
        CONSOLE,
    )

    answer = await respond(metadata, event)

    assert answer["statusCode"] == 401
    assert answer["headers"][ALLOW_ORIGIN] == CONSOLE


async def test_an_unexpected_failure_is_an_internal_error_the_browser_can_read() -> None:
    async def failing(event: dict[str, Any], settings: LambdaSettings) -> dict[str, Any]:
        raise RuntimeError("secret detail")

    handle = http_endpoint(failing)
    settings = LambdaSettings(cors_allowed_origins=[CONSOLE])

    answer = await handle(backend_event(), None, settings=settings)

    assert answer["statusCode"] == 500
    assert answer["headers"][ALLOW_ORIGIN] == CONSOLE
    assert json.loads(answer["body"]) == {
        "errors": [
            {"message": "an unexpected error occurred", "extensions": {"code": "internal_error"}}
        ]
    }


@pytest.mark.parametrize("origin", [f"{CONSOLE}/", "d1234abcd.cloudfront.net", "https://x/y"])
def test_an_origin_with_a_path_or_without_a_scheme_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="cors_allowed_origins"):
        LambdaSettings(cors_allowed_origins=[origin])
