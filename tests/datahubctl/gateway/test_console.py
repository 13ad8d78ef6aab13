"""The gateway serving the web console: its files, routes of the app, and ``/config.json``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from datahubctl.gateway.console import CognitoSettings, ConsoleSite
from datahubctl.gateway.local_apis import (
    LocalApiConfig,
    announcement,
    repository_console,
    running_local_apis,
)
from datahubctl.gateway.sigv4 import IamPrincipal
from tests.datahubctl.gateway.conftest import Gateway, StartGateway, graphql, sigv4_headers
from tests.datahubctl.gateway.test_local_apis import functions

INDEX = '<!doctype html><div id="root"></div><script src="/assets/app-1a2b.js"></script>'
SECRET = "beside the build, never served"
COGNITO = CognitoSettings("us-east-1", "us-east-1_pool", "client-1", "http://127.0.0.1:5000")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A console as Vite builds it: index.html and hashed assets."""
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text(INDEX)
    (built / "assets" / "app-1a2b.js").write_text("console.log('console')")
    (built / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text(SECRET)
    return built


@pytest.fixture
async def console(start_gateway: StartGateway, dist: Path) -> AsyncIterator[Gateway]:
    """A gateway serving the console in ``dist``."""
    async with start_gateway(console=ConsoleSite(dist, COGNITO)) as running:
        yield running


async def test_the_app_and_its_assets_are_served(console: Gateway):
    async with console.http.get("/") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        assert await response.text() == INDEX
        assert response.headers["Cache-Control"] == "no-cache"
    async with console.http.get("/assets/app-1a2b.js") as response:
        assert response.status == 200
        assert await response.text() == "console.log('console')"
        assert "immutable" in response.headers["Cache-Control"]
    async with console.http.get("/favicon.svg") as response:
        assert (response.status, await response.text()) == (200, "<svg/>")


async def test_routes_of_the_app_get_index_html_and_missing_files_do_not(console: Gateway):
    for route in ["/stacks", "/stacks/4f6c2a", "/catalog/ingestion-queue", "/search?q=orders"]:
        async with console.http.get(route) as response:
            assert response.status == 200, route
            assert await response.text() == INDEX
    for missing in ["/assets/gone-9z.js", "/robots.txt"]:
        async with console.http.get(missing) as response:
            assert response.status == 404, missing


async def test_nothing_outside_the_build_is_served(console: Gateway):
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt"]:
        raw = URL(f"{console.url}{path}", encoded=True)
        async with aiohttp.ClientSession() as http, http.get(raw) as response:
            assert response.status == 404, path
            assert SECRET not in await response.text(), path


async def test_config_json_names_the_api_on_this_origin_and_the_user_pool(console: Gateway):
    async with console.http.get("/config.json") as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-cache"
        config = await response.json()
    assert config == {
        "graphqlUrl": f"{console.url}/graphql",
        "cognito": {
            "region": "us-east-1",
            "userPoolId": "us-east-1_pool",
            "clientId": "client-1",
            "endpoint": "http://127.0.0.1:5000",
        },
    }


async def test_the_apis_and_the_explorer_are_never_shadowed(
    console: Gateway, pipeline: IamPrincipal
):
    async with console.http.post("/graphql", data=graphql("{ me { user } }")) as response:
        assert response.status == 401  # the Authorizer's answer: no token
    body = graphql("{ datasets { id } }")
    url = f"{console.url}/metadata/graphql"
    headers = sigv4_headers(url, body, pipeline.access_key_id, pipeline.secret_access_key)
    async with console.http.post("/metadata/graphql", data=body, headers=headers) as response:
        assert response.headers["X-Lambda"] == "metadata"
    async with console.http.get("/explorer") as response:
        assert "GraphiQL" in await response.text()
    for method, path in [("GET", "/metadata/other"), ("GET", "/graphql/x"), ("POST", "/stacks")]:
        async with console.http.request(method, path) as response:
            assert response.status == 403, (method, path)
            assert await response.json() == {"message": "Missing Authentication Token"}
    assert console.backend.events == [] and len(console.metadata.events) == 1


async def test_the_local_apis_serve_a_built_console_with_the_local_pool(
    moto_url: str, fake_credentials: None, tmp_path: Path, dist: Path
):
    config = LocalApiConfig(
        moto_url=moto_url,
        service_url="http://127.0.0.1:9",
        service_key=b"local-test-key",
        state_dir=tmp_path / "state",
        port=0,
        console_dir=dist,
    )
    async with running_local_apis(config, functions()) as apis, aiohttp.ClientSession() as http:
        assert apis.console_url == f"{apis.url}/"
        assert f"Web console       {apis.url}/" in announcement(apis)
        async with http.get(f"{apis.url}/config.json") as response:
            cognito = (await response.json())["cognito"]
        assert cognito["userPoolId"] == apis.cognito.user_pool_id
        assert cognito["clientId"] == apis.cognito.client_id
        assert cognito["endpoint"] == moto_url


async def test_without_a_build_no_console_is_served(
    moto_url: str, fake_credentials: None, tmp_path: Path
):
    config = LocalApiConfig(
        moto_url=moto_url,
        service_url="http://127.0.0.1:9",
        service_key=b"local-test-key",
        state_dir=tmp_path,
        port=0,
        console_dir=tmp_path / "never-built",
    )
    async with running_local_apis(config, functions()) as apis:
        assert apis.console_url is None
        assert "Web console" not in announcement(apis)


def test_the_repository_build_is_the_default_only_once_built():
    default = repository_console()
    assert default is None or (default / "index.html").is_file()
    assert default is None or default.parts[-2:] == ("frontend", "dist")
