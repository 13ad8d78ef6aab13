"""What the GraphQL Lambdas ask of the service: under API Gateway's request id, and (the
Backend) only the costly parts of a search that the query selects."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from api_lambdas.backend.handler import handler
from api_lambdas.lambda_runtime import lambda_settings
from api_lambdas.metadata.handler import handler as metadata_handler
from service_contract.client import REQUEST_ID_HEADER
from tests.api_lambdas.backend.conftest import authorizer_context
from tests.api_lambdas.service_fixtures import ANALYST, KEY, invoke, proxy_event

EMPTY_SEARCH = {"hits": [], "total": 0, "facets": {}, "next_cursor": None}


@pytest.fixture
async def asked(
    aiohttp_server: Any, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[list[web.Request]]:
    """The requests a stand-in service receives (it answers stacks, search and a principal's
    grants, all empty)."""
    received: list[web.Request] = []
    answers = {
        "/v1/stacks": {"stacks": [], "next_cursor": None},
        "/v1/search": EMPTY_SEARCH,
        "/v1/principals/self": {"teams": []},
    }

    async def answer(request: web.Request) -> web.Response:
        received.append(request)
        return web.json_response(answers[request.path])

    app = web.Application()
    for path in answers:
        app.router.add_get(path, answer)
    service = await aiohttp_server(app)
    monkeypatch.setenv("DATAHUB_SERVICE_URL", str(service.make_url("")))
    monkeypatch.setenv("DATAHUB_SERVICE_KEY", KEY)
    lambda_settings.cache_clear()
    yield received
    lambda_settings.cache_clear()


async def _query(query: str) -> dict[str, Any]:
    body = json.dumps({"query": query})
    event = proxy_event("POST", body=body, authorizer=authorizer_context(ANALYST))
    status, answer = await invoke(handler, event)
    assert status == 200 and not answer.get("errors"), answer
    return event


async def test_the_service_is_called_under_api_gateways_request_id(
    asked: list[web.Request],
) -> None:
    event = await _query("{ stacks(first: 5) { edges { node { id } } } }")
    assert [r.headers.get(REQUEST_ID_HEADER) for r in asked] == [
        event["requestContext"]["requestId"]
    ]


async def test_the_metadata_lambda_asks_for_a_principals_grants_under_that_id_too(
    asked: list[web.Request],
) -> None:
    arn = "arn:aws:iam::123456789012:role/pipeline"
    identity = {"userArn": arn, "sourceIp": "127.0.0.1"}
    body = json.dumps({"query": '{ datasets(name: "orders", first: 5) { edges { node { id } } } }'})
    event = proxy_event("POST", body=body, identity=identity, path="/metadata/graphql")
    status, answer = await invoke(metadata_handler, event)
    assert status == 403 and answer["errors"][0]["extensions"]["code"] == "principal_not_granted"
    assert [r.headers.get(REQUEST_ID_HEADER) for r in asked] == [
        event["requestContext"]["requestId"]
    ]


@pytest.mark.parametrize(
    ("selection", "facets", "highlights"),
    [
        ("totalCount edges { node { id title } }", "false", "false"),
        ("facets { name } edges { node { id } }", None, "false"),
        ("edges { node { highlight } }", "false", None),
        ("...page", None, None),
    ],
)
async def test_a_search_asks_for_facets_and_highlights_only_when_the_query_shows_them(
    asked: list[web.Request], selection: str, facets: str | None, highlights: str | None
) -> None:
    query = f'{{ search(query: "orders", first: 5) {{ {selection} }} }}'
    if "...page" in selection:
        query += (
            " fragment page on SearchConnection { facets { name } "
            "edges { node { ... on SearchHit { highlights } } } }"
        )
    await _query(query)
    (request,) = asked
    assert request.query.get("facets") == facets  # None: the service's default, counted
    assert request.query.get("highlights") == highlights
