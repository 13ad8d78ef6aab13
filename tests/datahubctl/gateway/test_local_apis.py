"""The local APIs as ``datahubctl up`` runs them: pool, pipeline user, gateway, Lambda settings."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from api_lambdas.authorizer import handler as authorizer_lambda
from datahubctl.cognito import cognito_client, sign_in
from datahubctl.gateway.app import FunctionModule, Functions
from datahubctl.gateway.local_apis import (
    LocalApiConfig,
    LocalApis,
    announcement,
    running_local_apis,
    serving_local_apis,
)
from datahubctl.local.cognito import DEMO_ADMIN, DEMO_ANALYST, remembered_local_pool
from service_contract.signing import IDENTITY_HEADER, decode_identity
from tests.datahubctl.gateway.conftest import StandIn, graphql, sigv4_headers
from tests.local_up import free_port

QUERY = graphql("{ me { user } }")
ANNOUNCED_WITHIN_SECONDS = 120  # the Lambdas' environments start (and import) meanwhile


class LateService:
    """The service's ``/healthz`` and ``/v1/me`` on a port that listens only once started, as
    ``datahubctl up``'s service binds its port only after the local APIs have started."""

    def __init__(self) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        self.callers: list[str] = []  # who asked for ``/v1/me`` (through the Backend Lambda)
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/v1/me", self.me)
        self.runner = web.AppRunner(app)

    async def start(self) -> None:
        """Listen on the reserved port."""
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", int(self.url.rsplit(":", 1)[1])).start()

    async def healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def me(self, request: web.Request) -> web.Response:
        caller = decode_identity(request.headers[IDENTITY_HEADER])
        self.callers.append(caller.user)
        return web.json_response({"user": caller.user, "groups": sorted(caller.groups)})


@pytest.fixture
async def late_service() -> AsyncIterator[LateService]:
    """A stand-in service, not listening until the test starts it."""
    service = LateService()
    yield service
    await service.runner.cleanup()


def console_build(root: Path) -> Path:
    """A built console, as far as the gateway cares: an ``index.html``."""
    build = root / "dist"
    build.mkdir()
    (build / "index.html").write_text("<!doctype html>")
    return build


class Announcements:
    """What ``serving_local_apis`` announces (what ``datahubctl up`` prints), as it comes."""

    def __init__(self) -> None:
        self.made: list[LocalApis] = []
        self.event = asyncio.Event()

    def __call__(self, apis: LocalApis) -> None:
        self.made.append(apis)
        self.event.set()

    async def first(self) -> LocalApis:
        """The first announcement, once made."""
        await asyncio.wait_for(self.event.wait(), ANNOUNCED_WITHIN_SECONDS)
        return self.made[0]


@pytest.fixture
def fresh_authorizer() -> Iterator[None]:
    """The Authorizer Lambda reads its settings again (as on a cold start)."""
    authorizer_lambda._authorizer.cache_clear()
    yield
    authorizer_lambda._authorizer.cache_clear()


@pytest.fixture
def platform(tmp_path: Path, moto_url: str, fake_credentials: None) -> LocalApiConfig:
    """A local platform on moto, with a service URL nothing is asked of here."""
    return LocalApiConfig(
        moto_url=moto_url,
        service_url="http://127.0.0.1:9",
        service_key=b"local-test-key",
        state_dir=tmp_path,
        port=0,
    )


def functions() -> Functions:
    """The real Authorizer Lambda module (configured by environment); echoing stand-ins."""
    authorizer = FunctionModule("api_lambdas.authorizer.handler")
    return Functions(authorizer, StandIn("backend"), StandIn("metadata"))


async def test_the_demo_admin_signs_in_and_the_authorizer_lambda_lets_them_in(
    platform: LocalApiConfig, fresh_authorizer: None
):
    async with running_local_apis(platform, functions()) as apis, aiohttp.ClientSession() as http:
        target = remembered_local_pool(platform.state_dir)
        assert target is not None and target.client_id == apis.cognito.client_id
        client = cognito_client(target.region, target.endpoint_url)
        signed = sign_in(
            client,
            client_id=target.client_id,
            username=DEMO_ADMIN.username,
            password=DEMO_ADMIN.password,
        )
        headers = {"Authorization": f"Bearer {signed.id_token.get_secret_value()}"}
        async with http.post(apis.backend_url, data=QUERY, headers=headers) as response:
            assert response.status == 200
            seen = (await response.json())["event"]["requestContext"]["authorizer"]
        assert seen["user"] == "demo-admin" and seen["groups"] == "admins"
        assert os.environ["DATAHUB_SERVICE_URL"] == "http://127.0.0.1:9"

    assert "DATAHUB_COGNITO_USER_POOL_ID" not in os.environ
    assert os.environ.get("DATAHUB_SERVICE_KEY") != "local-test-key"


async def test_the_demo_pipeline_calls_the_metadata_api_with_its_printed_keys(
    platform: LocalApiConfig, fresh_authorizer: None
):
    async with running_local_apis(platform, functions()) as apis, aiohttp.ClientSession() as http:
        pipeline = apis.pipeline
        headers = sigv4_headers(
            apis.metadata_url, QUERY, pipeline.access_key_id, pipeline.secret_access_key
        )
        async with http.post(apis.metadata_url, data=QUERY, headers=headers) as response:
            assert response.status == 200
            identity = (await response.json())["event"]["requestContext"]["identity"]
        assert identity["userArn"].endswith(":user/datahub-demo-pipeline")


async def test_starting_again_finds_the_same_pool(platform: LocalApiConfig, fresh_authorizer: None):
    async with running_local_apis(platform, functions()) as first:
        pass
    async with running_local_apis(platform, functions()) as second:
        pass
    assert second.cognito.user_pool_id == first.cognito.user_pool_id
    assert second.cognito.client_id == first.cognito.client_id


async def test_a_lambda_whose_module_is_missing_fails_its_calls_not_the_gateway(
    platform: LocalApiConfig, fresh_authorizer: None
):
    missing = Functions(
        FunctionModule("api_lambdas.authorizer.handler"),
        StandIn("backend"),
        FunctionModule("api_lambdas.no_such_lambda.handler"),
    )
    async with running_local_apis(platform, missing) as apis, aiohttp.ClientSession() as http:
        pipeline = apis.pipeline
        headers = sigv4_headers(
            apis.metadata_url, QUERY, pipeline.access_key_id, pipeline.secret_access_key
        )
        async with http.post(apis.metadata_url, data=QUERY, headers=headers) as response:
            assert response.status == 502


async def test_the_local_apis_start_and_stop_with_the_application_they_join(
    platform: LocalApiConfig,
    fresh_authorizer: None,
    aiohttp_server: Any,
    late_service: LateService,
):
    await late_service.start()
    announced = Announcements()
    app = web.Application()
    config = replace(platform, service_url=late_service.url)
    app.cleanup_ctx.append(serving_local_apis(config, announced))
    server = await aiohttp_server(app)
    apis = await announced.first()
    async with aiohttp.ClientSession() as http:
        async with http.get(apis.explorer_url) as response:
            assert response.status == 200
        text = announcement(apis)
        for shown in (apis.backend_url, apis.metadata_url, apis.pipeline.secret_access_key):
            assert shown in text
        assert f"{DEMO_ANALYST.username:<14} password {DEMO_ANALYST.password}" in text

        await server.close()
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(apis.explorer_url)


async def test_the_console_is_announced_only_once_each_demo_user_signs_in_through_it(
    platform: LocalApiConfig,
    fresh_authorizer: None,
    aiohttp_server: Any,
    late_service: LateService,
    tmp_path: Path,
):
    # `datahubctl up` printed the console's address as the gateway started, before the
    # service it reads listened, and with moto failing the browser's preflight of Cognito.
    config = replace(platform, service_url=late_service.url, console_dir=console_build(tmp_path))
    announced = Announcements()
    app = web.Application()
    app.cleanup_ctx.append(serving_local_apis(config, announced))
    await aiohttp_server(app)

    assert announced.made == [], "announced while the service the sign-in reads is not listening"
    await late_service.start()
    apis = await announced.first()

    assert apis.console_url == f"{apis.url}/"
    assert f"Web console       {apis.url}/" in announcement(apis)
    assert late_service.callers == [user.username for user in apis.cognito.users]


async def test_when_the_service_never_answers_the_announcement_says_so_and_shows_no_console(
    platform: LocalApiConfig, fresh_authorizer: None, aiohttp_server: Any, tmp_path: Path
):
    config = replace(platform, console_dir=console_build(tmp_path), service_start_seconds=1)
    announced = Announcements()
    app = web.Application()
    app.cleanup_ctx.append(serving_local_apis(config, announced))
    await aiohttp_server(app)

    apis = await announced.first()

    assert apis.console_url is None
    assert apis.sign_in_failure == (
        "the service: http://127.0.0.1:9/healthz did not answer within 1 s"
    )
    assert "Web console" not in announcement(apis)
    assert f"Sign-in fails     {apis.sign_in_failure}" in announcement(apis)
