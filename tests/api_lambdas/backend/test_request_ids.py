"""One request id from API Gateway through the Lambda to the service's logs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web

from api_lambdas.backend.handler import handler
from api_lambdas.lambda_runtime import lambda_settings
from cdk_service.api.middleware import REQUEST_ID_HEADER
from tests.api_lambdas.backend.conftest import authorizer_context
from tests.api_lambdas.service_fixtures import ANALYST, KEY, invoke, proxy_event


async def test_the_service_is_called_under_api_gateways_request_id(
    aiohttp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str | None] = []

    async def stacks(request: web.Request) -> web.Response:
        seen.append(request.headers.get(REQUEST_ID_HEADER))
        return web.json_response({"stacks": [], "next_cursor": None})

    app = web.Application()
    app.router.add_get("/v1/stacks", stacks)
    service = await aiohttp_server(app)
    monkeypatch.setenv("DATAHUB_SERVICE_URL", str(service.make_url("")))
    monkeypatch.setenv("DATAHUB_SERVICE_KEY", KEY)
    lambda_settings.cache_clear()
    try:
        body = json.dumps({"query": "{ stacks(first: 5) { edges { node { id } } } }"})
        event = proxy_event("POST", body=body, authorizer=authorizer_context(ANALYST))
        status, answer = await invoke(handler, event)
    finally:
        lambda_settings.cache_clear()
    assert status == 200, answer
    assert seen == [event["requestContext"]["requestId"]]
