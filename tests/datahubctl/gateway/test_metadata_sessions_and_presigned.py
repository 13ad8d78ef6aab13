"""``/metadata/graphql`` with temporary credentials (an assumed role's session) and presigned URLs.

Sessions come from moto's STS; requests are signed or presigned by botocore, as an SDK does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from urllib.parse import quote

import boto3
import pytest
from botocore.credentials import Credentials
from yarl import URL

from datahubctl.gateway.principals import assumed_role_session
from datahubctl.gateway.sigv4 import IamPrincipal, presigned_url, signed_headers
from tests.cognito import REGION
from tests.datahubctl.gateway.conftest import Gateway, StartGateway, graphql

QUERY = graphql("{ datasets(first: 5) { edges { node { id } } } }")
ROLE = "datahub-ingest"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
    ],
}


@pytest.fixture
def session(moto_url: str, fake_credentials: None) -> IamPrincipal:
    """Temporary credentials of a session of a role on moto."""
    iam = boto3.client("iam", region_name=REGION, endpoint_url=moto_url)
    try:
        role = iam.get_role(RoleName=ROLE)["Role"]
    except iam.exceptions.NoSuchEntityException:
        role = iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    sts = boto3.client("sts", region_name=REGION, endpoint_url=moto_url)
    return assumed_role_session(sts, role["Arn"], "nightly-load")


@pytest.fixture
async def gateway(
    start_gateway: StartGateway, pipeline: IamPrincipal, session: IamPrincipal
) -> AsyncIterator[Gateway]:
    """A gateway that knows the pipeline user's key and the session's."""
    principals = {p.access_key_id: p for p in (pipeline, session)}
    async with start_gateway(principals=principals) as running:
        yield running


def credentials_of(principal: IamPrincipal, token: str | None = None) -> Credentials:
    """The principal's keys as an SDK holds them (``token``: another session token)."""
    given = token if token is not None else principal.session_token
    return Credentials(principal.access_key_id, principal.secret_access_key, given)


def signed(gateway: Gateway, principal: IamPrincipal, token: str | None = None) -> dict[str, str]:
    """Headers of a POST signed with the principal's keys (and a session token, if any)."""
    url = f"{gateway.url}/metadata/graphql"
    return signed_headers(url, QUERY, credentials_of(principal, token), REGION)


async def test_a_session_of_an_assumed_role_is_the_caller(gateway: Gateway, session: IamPrincipal):
    headers = signed(gateway, session)
    assert "X-Amz-Security-Token" in headers
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 200
        identity = (await response.json())["event"]["requestContext"]["identity"]

    assert identity["userArn"] == f"arn:aws:sts::123456789012:assumed-role/{ROLE}/nightly-load"
    assert identity["accessKey"] == session.access_key_id
    assert identity["caller"].endswith(":nightly-load")


@pytest.mark.parametrize("token", ["", "another-sessions-token"], ids=["none", "another"])
async def test_a_session_key_without_its_own_token_is_refused(
    gateway: Gateway, session: IamPrincipal, token: str
):
    headers = signed(gateway, replace(session, session_token=token or None))
    assert ("X-Amz-Security-Token" in headers) is bool(token)
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 403
        assert await response.json() == {
            "message": "The security token included in the request is invalid."
        }
    assert gateway.metadata.events == []


async def test_a_long_term_key_with_a_session_token_is_refused(
    gateway: Gateway, pipeline: IamPrincipal
):
    headers = signed(gateway, pipeline, token="borrowed-token")
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 403
    assert gateway.metadata.events == []


async def test_an_expired_session_is_refused(start_gateway: StartGateway, session: IamPrincipal):
    expired = replace(session, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    async with start_gateway(principals={session.access_key_id: expired}) as gateway:
        headers = signed(gateway, session)
        async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as answer:
            assert answer.status == 403
            assert "expired" in (await answer.json())["message"]
        assert gateway.metadata.events == []


def presigned(gateway: Gateway, principal: IamPrincipal, query: str, **options: int) -> URL:
    """A presigned GET of ``query``, sent exactly as signed (not re-encoded by the client)."""
    url = f"{gateway.url}/metadata/graphql?query={quote(query, safe='')}"
    return URL(presigned_url(url, credentials_of(principal), REGION, **options), encoded=True)


@pytest.mark.parametrize("who", ["pipeline", "session"])
async def test_a_presigned_url_reaches_the_handler(
    gateway: Gateway, pipeline: IamPrincipal, session: IamPrincipal, who: str
):
    principal = pipeline if who == "pipeline" else session
    path = presigned(gateway, principal, "{ datasets(first: 5) { edges { node { id } } } }")
    assert "X-Amz-Signature=" in path.raw_query_string
    async with gateway.http.get(path) as response:
        assert response.status == 200
        event = (await response.json())["event"]
    assert event["requestContext"]["identity"]["userArn"] == principal.arn
    assert event["queryStringParameters"]["query"].startswith("{ datasets")


async def test_a_presigned_url_whose_query_was_changed_is_refused(
    gateway: Gateway, pipeline: IamPrincipal
):
    path = presigned(gateway, pipeline, "{ datasets(first: 5) { edges { node { id } } } }")
    changed = URL(str(path).replace("first%3A%205", "first%3A%2050"), encoded=True)
    assert changed != path
    async with gateway.http.get(changed) as response:
        assert response.status == 403
    assert gateway.metadata.events == []


async def test_a_presigned_url_past_its_expiry_is_refused(
    gateway: Gateway, pipeline: IamPrincipal, monkeypatch: pytest.MonkeyPatch
):
    signed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=3)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: signed_at)
    still_valid = presigned(gateway, pipeline, "{ principal { arn } }", expires_seconds=600)
    expired = presigned(gateway, pipeline, "{ principal { arn } }", expires_seconds=60)
    async with gateway.http.get(still_valid) as response:
        assert response.status == 200
    async with gateway.http.get(expired) as response:
        assert response.status == 403
        assert await response.json() == {"message": "Request has expired"}


async def test_a_presigned_url_valid_for_over_seven_days_is_refused(
    gateway: Gateway, pipeline: IamPrincipal
):
    path = presigned(gateway, pipeline, "{ principal { arn } }", expires_seconds=604801)
    async with gateway.http.get(path) as response:
        assert response.status == 403
