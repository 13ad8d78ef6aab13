"""A third-party GraphQL client (``gql``) against the Backend handler behind a plain HTTP server:
schema fetched by introspection, queries and mutations with variables, errors as it sees them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest
from aiohttp import web
from gql import Client, GraphQLRequest, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportQueryError

from api_lambdas.backend.handler import handler
from tests.api_lambdas.backend.conftest import authorizer_context
from tests.api_lambdas.service_fixtures import ANALYST, LambdaContext, proxy_event


@pytest.fixture
async def graphql_url(aiohttp_server: Any, lambda_environment: None) -> str:
    """``/graphql`` turning each HTTP request into a proxy event for the handler, with the
    caller the Authorizer would have passed (the analyst)."""

    async def graphql(request: web.Request) -> web.Response:
        event = proxy_event(
            request.method,
            body=(await request.read()).decode(),
            authorizer=authorizer_context(ANALYST),
        )
        answer = await asyncio.to_thread(handler, event, LambdaContext(aws_request_id="r-1"))
        return web.Response(
            status=answer["statusCode"], body=answer["body"], headers=answer["headers"]
        )

    app = web.Application()
    app.router.add_post("/graphql", graphql)
    server = await aiohttp_server(app)
    return str(server.make_url("/graphql"))


async def test_gql_browses_requests_and_reads_errors(graphql_url: str) -> None:
    client = Client(transport=AIOHTTPTransport(url=graphql_url), fetch_schema_from_transport=True)
    async with client as session:
        templates = await session.execute(
            gql("{ templates { edges { node { name latestVersion { version } } } } }")
        )
        names = [edge["node"]["name"] for edge in templates["templates"]["edges"]]
        assert names == ["bucket", "queue"]

        request = gql(
            """mutation($input: RequestStackInput!) {
                requestStack(input: $input) { stack { name status } deployment { kind } } }"""
        )
        order = {
            "name": "from-gql",
            "team": "analytics",
            "template": "bucket",
            "params": {"bucket_name": "from-gql-data"},
        }
        accepted = await session.execute(GraphQLRequest(request, variable_values={"input": order}))
        assert accepted["requestStack"]["stack"] == {"name": "from-gql", "status": "requested"}

        with pytest.raises(TransportQueryError) as refused:
            await session.execute(
                gql('mutation { createTeam(slug: "rogue", name: "Rogue") { slug } }')
            )
        [error] = refused.value.errors or []
        assert error["extensions"]["code"] == "forbidden"

        with pytest.raises(Exception, match="Cannot query field"):
            await session.execute(gql("{ me { password } }"))  # checked against the schema


def test_the_graphql_lambdas_load_no_orm_and_no_cdk() -> None:
    """What the Lambdas import stays small: no ORM, no CDK, no celery (one writer: the service)."""
    code = (
        "import sys, api_lambdas.backend.handler, api_lambdas.metadata.handler, "
        "api_lambdas.account_tasks.handler; "
        "print(sorted(m for m in ('tortoise', 'aerich', 'aws_cdk', 'jsii', 'celery') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
