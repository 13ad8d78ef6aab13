"""A local stand-in for CloudFormation's pre-signed response URL, and request events."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from api_lambdas.lambda_runtime import lambda_settings
from tests.api_lambdas.service_fixtures import LambdaContext

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class ResponseUrl:
    """Records every PUT CloudFormation would receive."""

    server: TestServer
    responses: list[dict[str, Any]] = field(default_factory=list)
    content_types: list[str | None] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.server.make_url("/cloudformation/response?X-Amz-Signature=abc"))


@pytest.fixture
async def response_url(aiohttp_server: Any) -> ResponseUrl:
    """A server capturing the responses PUT to it."""
    app = web.Application()
    captured: ResponseUrl | None = None

    async def put(request: web.Request) -> web.Response:
        assert captured is not None
        captured.content_types.append(request.headers.get("Content-Type"))
        captured.responses.append(json.loads(await request.read()))
        return web.Response()

    app.router.add_put("/cloudformation/response", put)
    captured = ResponseUrl(await aiohttp_server(app))
    return captured


@pytest.fixture
def lambda_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set ``DATAHUB_*`` variables for the Lambda: ``lambda_env(database_url=...)``."""

    def set_env(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"DATAHUB_{name.upper()}", value)
        lambda_settings.cache_clear()

    yield set_env
    lambda_settings.cache_clear()


def cloudformation_event(
    kind: str, properties: dict[str, Any], *, url: str, physical_id: str | None = None
) -> dict[str, Any]:
    """A custom resource request as CloudFormation sends it."""
    event = {
        "RequestType": kind,
        "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:setup",
        "ResponseURL": url,
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/datahub-setup/1",
        "RequestId": uuid.uuid4().hex,
        "LogicalResourceId": "Resource",
        "ResourceType": "Custom::Setup",
        "ResourceProperties": {"ServiceToken": "arn:aws:lambda:...", **properties},
    }
    if physical_id is not None:
        event["PhysicalResourceId"] = physical_id
    return event


async def call(handler: Handler, event: dict[str, Any]) -> dict[str, Any]:
    """Run the handler in a thread, as Lambda would (the capture server keeps serving)."""
    return await asyncio.to_thread(handler, event, LambdaContext(aws_request_id="r-1"))
