"""The console's sign-in as ``datahubctl up`` checks it before printing the console's address:
each step fails the check with its name and why, as a browser would fail it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from datahubctl.gateway.local_apis import LocalApis, announcement
from datahubctl.gateway.sign_in_check import (
    ConsoleSignIn,
    SignInFailed,
    check_sign_in,
    service_answering,
)
from datahubctl.gateway.sigv4 import IamPrincipal
from datahubctl.local.cognito import DEMO_ANALYST, DEMO_USERS, LocalCognito
from tests.local_up import free_port

ORIGIN = "http://127.0.0.1:8765"


async def html_500(request: web.Request) -> web.Response:
    """What moto's server answered the browser's preflight: no CORS headers at all."""
    return web.Response(status=500, text="<h1>Internal Server Error</h1>", content_type="text/html")


async def signed_in(request: web.Request) -> web.Response:
    """Cognito's sign-in, readable from any origin."""
    headers = {"Access-Control-Allow-Origin": "*"}
    if request.method == "OPTIONS":
        return web.Response(status=200, headers=headers)
    return web.json_response({"AuthenticationResult": {"IdToken": "id-token"}}, headers=headers)


async def cognito_endpoint(aiohttp_server: Any, answer: Any) -> str:
    """A stand-in Cognito endpoint answering ``/`` with ``answer``."""
    app = web.Application()
    app.router.add_route("*", "/", answer)
    return str((await aiohttp_server(app)).make_url("/"))


async def test_a_preflight_answered_without_cors_headers_fails_at_the_preflight(
    aiohttp_server: Any,
) -> None:
    endpoint = await cognito_endpoint(aiohttp_server, html_500)
    console = ConsoleSignIn(ORIGIN, endpoint, "client-1", "http://127.0.0.1:9/graphql")

    async with aiohttp.ClientSession() as http:
        with pytest.raises(SignInFailed) as failed:
            await check_sign_in(http, console, DEMO_ANALYST)

    assert failed.value.step == "the browser's CORS preflight of Cognito"
    assert f"500 without Access-Control-Allow-Origin for {ORIGIN}" in str(failed.value)


async def test_an_unreachable_backend_api_fails_at_reading_me(aiohttp_server: Any) -> None:
    endpoint = await cognito_endpoint(aiohttp_server, signed_in)
    gateway = f"http://127.0.0.1:{free_port()}/graphql"  # nothing listens there
    console = ConsoleSignIn(ORIGIN, endpoint, "client-1", gateway)

    async with aiohttp.ClientSession() as http:
        with pytest.raises(SignInFailed) as failed:
            await check_sign_in(http, console, DEMO_ANALYST)

    assert failed.value.step == "the Backend API's `me` as demo-analyst"
    assert "ClientConnectorError" in str(failed.value)


async def test_a_service_that_does_not_answer_in_time_is_named() -> None:
    service = f"http://127.0.0.1:{free_port()}"

    async with aiohttp.ClientSession() as http:
        with pytest.raises(SignInFailed) as failed:
            await service_answering(http, service, seconds=0.3)

    assert failed.value.step == "the service"
    assert f"{service}/healthz did not answer within 0 s" in str(failed.value)


def test_a_failed_sign_in_is_announced_instead_of_the_consoles_address() -> None:
    pool = LocalCognito("us-east-1", "us-east-1_pool", "client-1", DEMO_USERS)
    pipeline = IamPrincipal("AKIA", "secret", "arn:aws:iam::123456789012:user/p", "1234", "u")
    apis = LocalApis(ORIGIN, pool, pipeline, serves_console=True)
    failed = replace(apis, sign_in_failure="the service: x")

    assert f"Web console       {ORIGIN}/" in announcement(apis)
    assert failed.console_url is None
    assert "Web console" not in announcement(failed)
    assert "Sign-in fails     the service: x" in announcement(failed)
