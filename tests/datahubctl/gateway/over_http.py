"""The Backend API over HTTP: the local gateway with the real Authorizer and Backend Lambda in
front of the test service, and callers who sign in to the moto pool with real Cognito tokens.

Import the fixtures into a test module; ``ask`` has the signature of the Backend tests' own, so
their flows run unchanged over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.backend.handler import handler as backend
from api_lambdas.settings import LambdaSettings
from datahubctl.gateway.app import FunctionModule, Functions
from datahubctl.gateway.running import running_gateway
from datahubctl.local.cognito import DemoUser, LocalCognito, ensure_user
from service_contract.identity import Identity
from tests.api_lambdas.service_fixtures import ADMIN, ANALYST, FINANCE
from tests.cognito import Tokens

USERS = {
    identity: DemoUser(identity.user, f"Matrix-{identity.user}-1", tuple(sorted(identity.groups)))
    for identity in (ADMIN, ANALYST, FINANCE)
}


@pytest.fixture
def signed_in(cognito: LocalCognito, cognito_admin: Any, tokens: Tokens) -> dict[Identity, str]:
    """An id token for each caller of the matrix, from a real sign-in to the moto pool."""
    for user in USERS.values():
        ensure_user(cognito_admin, cognito.user_pool_id, user)
    return {identity: tokens.id_token(user) for identity, user in USERS.items()}


@pytest.fixture
async def http(
    service: TestServer, lambda_environment: None, lambda_settings: LambdaSettings
) -> AsyncIterator[aiohttp.ClientSession]:
    """A session on the gateway running the real Authorizer and Backend Lambda."""
    metadata = FunctionModule("api_lambdas.metadata.handler")
    functions = Functions(Authorizer(lambda_settings), backend, metadata)
    async with running_gateway(functions) as url, aiohttp.ClientSession(url) as session:
        yield session


@pytest.fixture
def ask(http: aiohttp.ClientSession, signed_in: dict[Identity, str]) -> Any:
    """``await ask(identity, query, variables)``: status and body, over HTTP as that user."""

    async def call(
        identity: Identity, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        body = json.dumps({"query": query, "variables": variables or {}})
        headers = {"Authorization": f"Bearer {signed_in[identity]}"}
        async with http.post("/graphql", data=body, headers=headers) as response:
            return response.status, await response.json(content_type=None)

    return call
