"""A real service on a loopback port for the Lambdas to call, and API Gateway events for them.

Import the fixtures into a test package's conftest. The Lambda handlers are synchronous (one
event loop per invocation, as on Lambda): tests run them in a thread, so the service keeps
serving on the test's loop meanwhile.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from api_lambdas.lambda_runtime import lambda_settings
from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.catalog import service as catalog
from cdk_service.catalog.schemas import Constraints
from cdk_service.settings import Settings
from service_contract.identity import Identity
from tests.cdk_service.api.conftest import FakeSynthesizer
from tests.cdk_service.stacks.conftest import RecordingDispatcher
from tests.conftest import Factories

KEY = "lambda-test-service-key"
ADMIN = Identity(user="ada", groups=frozenset({"admins"}))
ANALYST = Identity(user="alan", groups=frozenset({"analytics"}))
FINANCE = Identity(user="grace", groups=frozenset({"finance"}))
NOBODY = Identity(user="eve")
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass(frozen=True)
class LambdaContext:
    """The parts of a Lambda context a handler may read."""

    aws_request_id: str
    function_name: str = "test"
    memory_limit_in_mb: int = 512

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@pytest.fixture
async def service(aiohttp_server: Any, factories: Factories, tmp_path: Any) -> TestServer:
    """The service with the test catalog published (queue needs approval), two teams."""
    registry = factories.registry
    await catalog.sync_registry(registry=registry)
    for name, version in (("bucket", "1.0.0"), ("bucket", "1.1.0"), ("queue", "0.1.0")):
        await catalog.publish(
            registry=registry,
            identity=ADMIN,
            name=name,
            version=version,
            constraints=Constraints(requires_approval=name == "queue"),
        )
    for slug in ("analytics", "finance"):
        await factories.team(slug)
    services = Services(
        settings=Settings(service_key=KEY, state_dir=tmp_path),
        registry=registry,
        synthesizer=FakeSynthesizer(),
        dispatcher=RecordingDispatcher(),
    )
    server: TestServer = await aiohttp_server(create_app(services))
    return server


@pytest.fixture
def lambda_environment(service: TestServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The Lambdas' settings point at the test service; read afresh for each test."""
    monkeypatch.setenv("DATAHUB_SERVICE_URL", str(service.make_url("")))
    monkeypatch.setenv("DATAHUB_SERVICE_KEY", KEY)
    monkeypatch.setenv("DATAHUB_SERVICE_READ_ATTEMPTS", "1")
    lambda_settings.cache_clear()
    yield
    lambda_settings.cache_clear()


def proxy_event(
    method: str,
    *,
    body: str | None = None,
    query: dict[str, str] | None = None,
    authorizer: dict[str, str] | None = None,
    identity: dict[str, str | None] | None = None,
    path: str = "/graphql",
) -> dict[str, Any]:
    """An API Gateway REST API proxy event."""
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {},
        "queryStringParameters": query,
        "pathParameters": None,
        "body": body,
        "isBase64Encoded": False,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "requestId": uuid.uuid4().hex,
            "authorizer": authorizer,
            "identity": identity or {"sourceIp": "127.0.0.1"},
        },
    }


async def invoke(handler: Handler, event: dict[str, Any]) -> tuple[int, Any]:
    """Run a handler as Lambda would (in its own thread here); status and decoded body."""
    context = LambdaContext(aws_request_id=uuid.uuid4().hex)
    response = await asyncio.to_thread(handler, event, context)
    return response["statusCode"], json.loads(response["body"])
