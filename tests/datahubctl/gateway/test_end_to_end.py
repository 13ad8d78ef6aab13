"""Through the gateway to the service: a Cognito sign-in on moto, the real Authorizer, the real
Backend Lambda and the real service on loopback, queried by a third-party client (``gql``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportServerError

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.backend.handler import handler as backend
from api_lambdas.settings import LambdaSettings
from datahubctl.gateway.app import FunctionModule, Functions
from datahubctl.gateway.running import running_gateway
from datahubctl.local.cognito import DEMO_ADMIN, DEMO_ANALYST
from tests.api_lambdas.service_fixtures import lambda_environment, service
from tests.cognito import Tokens, tampered

__all__ = ["lambda_environment", "service"]
ME = gql("{ me { user groups isAdmin } }")
TEMPLATES = gql("{ templates(first: 10) { edges { node { name } } } }")


@pytest.fixture
async def gateway_url(
    service: TestServer, lambda_environment: None, lambda_settings: LambdaSettings
) -> AsyncIterator[str]:
    """The gateway running the real Authorizer and Backend Lambda against the test service."""
    metadata = FunctionModule("api_lambdas.metadata.handler")
    async with running_gateway(Functions(Authorizer(lambda_settings), backend, metadata)) as url:
        yield url


async def ask(gateway_url: str, token: str, query: Any) -> dict[str, Any]:
    """``query``'s data, asked with ``gql`` as the given user."""
    transport = AIOHTTPTransport(
        url=f"{gateway_url}/graphql", headers={"Authorization": f"Bearer {token}"}
    )
    async with Client(transport=transport) as session:
        return await session.execute(query)


async def test_a_signed_in_team_member_is_who_the_service_sees(gateway_url: str, tokens: Tokens):
    me = (await ask(gateway_url, tokens.id_token(DEMO_ANALYST), ME))["me"]
    assert me == {"user": "demo-analyst", "groups": ["analytics"], "isAdmin": False}

    catalog = await ask(gateway_url, tokens.id_token(DEMO_ANALYST), TEMPLATES)
    names = {edge["node"]["name"] for edge in catalog["templates"]["edges"]}
    assert {"bucket", "queue"} <= names


async def test_the_demo_admin_is_an_admin(gateway_url: str, tokens: Tokens):
    assert (await ask(gateway_url, tokens.id_token(DEMO_ADMIN), ME))["me"]["isAdmin"] is True


async def test_a_token_promoted_to_admins_by_hand_gets_nothing(gateway_url: str, tokens: Tokens):
    promoted = tampered(tokens.id_token(DEMO_ANALYST), **{"cognito:groups": ["admins"]})
    with pytest.raises(TransportServerError) as refused:
        await ask(gateway_url, promoted, ME)
    assert refused.value.code == 403
