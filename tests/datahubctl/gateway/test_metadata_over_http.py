"""The Metadata API end to end: SigV4-signed HTTP to the local gateway, the real Metadata Lambda,
the test service.

The Metadata tests run unchanged with an ``ask`` that signs as the principal named by its ARN
(the ingest role's session with temporary credentials and their session token); then a
request that is unsigned, signed with a wrong key or signed too long ago changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from botocore.credentials import Credentials

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.backend.handler import handler as backend
from api_lambdas.metadata.handler import handler as metadata
from api_lambdas.settings import LambdaSettings
from datahubctl.gateway.app import Functions, GatewayConfig
from datahubctl.gateway.running import running_gateway
from datahubctl.gateway.sigv4 import IamPrincipal, signed_headers
from tests.api_lambdas.metadata.conftest import (
    BILLING_ROLE,
    INGEST_ROLE,
    INGEST_SESSION,
    STRANGER_ROLE,
    datasets_of_two_teams,
)
from tests.api_lambdas.metadata.test_metadata_api import (
    DESCRIBE,
    test_a_principal_may_not_describe_another_teams_dataset,
    test_a_principal_without_a_grant_is_refused,
    test_a_session_of_a_granted_role_describes_its_teams_dataset,
)
from tests.api_lambdas.service_fixtures import lambda_environment, service
from tests.cognito import REGION

__all__ = [
    "datasets_of_two_teams",
    "lambda_environment",
    "service",
    "test_a_principal_may_not_describe_another_teams_dataset",
    "test_a_principal_without_a_grant_is_refused",
    "test_a_session_of_a_granted_role_describes_its_teams_dataset",
]
PRINCIPALS = {
    INGEST_SESSION: IamPrincipal(
        "ASIAINGESTSESSION",
        "ingest-secret",
        INGEST_SESSION,
        "210987654321",
        "AROAINGEST:nightly-load",
        session_token="ingest-session-token",
    ),
    INGEST_ROLE: IamPrincipal(
        "ASIAINGESTROLE", "ingest-role-secret", INGEST_ROLE, "210987654321", "AROAINGEST"
    ),
    BILLING_ROLE: IamPrincipal(
        "AKIABILLING", "billing-secret", BILLING_ROLE, "210987654321", "AROABILLING"
    ),
    STRANGER_ROLE: IamPrincipal(
        "AKIASTRANGER", "stranger-secret", STRANGER_ROLE, "210987654321", "AROASTRANGER"
    ),
}
PRINCIPALS_BY_KEY = {p.access_key_id: p for p in PRINCIPALS.values()}
READ = "query($id: ID!) { dataset(id: $id) { description tags revision } }"


@pytest.fixture
async def gateway_url(
    service: TestServer, lambda_environment: None, lambda_settings: LambdaSettings
) -> AsyncIterator[str]:
    """The gateway running the real Metadata Lambda; it knows the principals' keys."""
    functions = Functions(Authorizer(lambda_settings), backend, metadata)
    async with running_gateway(functions, GatewayConfig(principals=PRINCIPALS_BY_KEY)) as url:
        yield url


@pytest.fixture
async def http(gateway_url: str) -> AsyncIterator[aiohttp.ClientSession]:
    """A client session on the gateway."""
    async with aiohttp.ClientSession(gateway_url) as session:
        yield session


def sign(url: str, body: bytes, principal: IamPrincipal) -> dict[str, str]:
    """What an SDK holding the principal's credentials sends."""
    credentials = Credentials(
        principal.access_key_id, principal.secret_access_key, principal.session_token
    )
    return signed_headers(url, body, credentials, REGION)


@pytest.fixture
def ask(http: aiohttp.ClientSession, gateway_url: str) -> Any:
    """``await ask(principal_arn, query, variables)``: status and body, signed as that ARN."""

    async def call(
        arn: str, query: str, variables: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = sign(f"{gateway_url}/metadata/graphql", body, PRINCIPALS[arn])
        async with http.post("/metadata/graphql", data=body, headers=headers) as response:
            return response.status, await response.json(content_type=None)

    return call


@pytest.mark.parametrize("how", ["unsigned", "wrong_key", "stale"])
async def test_a_request_not_signed_right_changes_nothing(
    http: aiohttp.ClientSession,
    gateway_url: str,
    ask: Any,
    datasets_of_two_teams: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
):
    orders = datasets_of_two_teams["orders"]
    variables = {"id": orders, "input": {"description": "not by you"}}
    body = json.dumps({"query": DESCRIBE, "variables": variables}).encode()
    url = f"{gateway_url}/metadata/graphql"
    session = PRINCIPALS[INGEST_SESSION]
    if how == "unsigned":
        headers = {"Content-Type": "application/json"}
    elif how == "wrong_key":
        headers = sign(url, body, replace(session, secret_access_key="not-the-secret"))
    else:
        signed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=6)
        with monkeypatch.context() as patched:
            patched.setattr("botocore.auth.get_current_datetime", lambda: signed_at)
            headers = sign(url, body, session)

    async with http.post("/metadata/graphql", data=body, headers=headers) as response:
        assert response.status == 403
        assert "errors" not in await response.json()

    status, answer = await ask(INGEST_SESSION, READ, {"id": orders})
    assert status == 200 and answer["data"]["dataset"]["revision"] == 1
    assert answer["data"]["dataset"]["description"] != "not by you"
