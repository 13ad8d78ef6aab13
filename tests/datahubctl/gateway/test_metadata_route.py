"""``/metadata/graphql`` over HTTP: SigV4 checked as API Gateway's IAM authorization does."""

from __future__ import annotations

import datetime as dt

import pytest

from datahubctl.gateway.sigv4 import IamPrincipal
from tests.datahubctl.gateway.conftest import Gateway, graphql, sigv4_headers

QUERY = graphql("{ datasets(first: 5) { edges { node { id } } } }")


def signed(gateway: Gateway, principal: IamPrincipal, body: bytes = QUERY, **options: str):
    """Headers of a request to the Metadata API signed with the principal's keys."""
    url = f"{gateway.url}/metadata/graphql"
    key, secret = principal.access_key_id, principal.secret_access_key
    return sigv4_headers(url, body, key, secret, **options)


async def test_a_signed_request_reaches_the_handler_with_the_callers_identity(
    gateway: Gateway, pipeline: IamPrincipal
):
    headers = signed(gateway, pipeline)
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 200
        event = (await response.json())["event"]

    identity = event["requestContext"]["identity"]
    assert identity["userArn"] == "arn:aws:iam::123456789012:user/datahub-demo-pipeline"
    assert identity["accessKey"] == pipeline.access_key_id
    assert identity["accountId"] == "123456789012"
    assert identity["caller"] == pipeline.user_id
    assert event["resource"] == "/metadata/graphql" and event["body"] == QUERY.decode()
    assert "authorizer" not in event["requestContext"]


async def test_a_signed_query_string_is_part_of_the_signature(
    gateway: Gateway, pipeline: IamPrincipal
):
    url = f"{gateway.url}/metadata/graphql?b=2&a=1"
    key, secret = pipeline.access_key_id, pipeline.secret_access_key
    headers = sigv4_headers(url, b"", key, secret, method="GET")
    async with gateway.http.get("/metadata/graphql?b=2&a=1", headers=headers) as response:
        assert response.status == 200
    async with gateway.http.get("/metadata/graphql?b=3&a=1", headers=headers) as response:
        assert response.status == 403


async def test_an_unsigned_request_is_refused(gateway: Gateway):
    async with gateway.http.post("/metadata/graphql", data=QUERY) as response:
        assert response.status == 403
        assert await response.json() == {"message": "Missing Authentication Token"}
    assert gateway.metadata.events == []


async def test_a_wrong_secret_key_is_refused(gateway: Gateway, pipeline: IamPrincipal):
    wrong = IamPrincipal(
        pipeline.access_key_id, "not-the-secret", pipeline.arn, "123456789012", "AIDA"
    )
    async with gateway.http.post(
        "/metadata/graphql", data=QUERY, headers=signed(gateway, wrong)
    ) as response:
        assert response.status == 403
        assert (await response.json())["message"].startswith(
            "The request signature we calculated does not match"
        )
    assert gateway.metadata.events == []


async def test_an_access_key_the_gateway_does_not_know_is_refused(
    gateway: Gateway, pipeline: IamPrincipal
):
    stranger = IamPrincipal("AKIASTRANGER", "secret", pipeline.arn, "123456789012", "AIDA")
    async with gateway.http.post(
        "/metadata/graphql", data=QUERY, headers=signed(gateway, stranger)
    ) as response:
        assert response.status == 403
        assert await response.json() == {
            "message": "The security token included in the request is invalid."
        }


@pytest.mark.parametrize("minutes, words", [(-6, "Signature expired"), (6, "not yet current")])
async def test_a_timestamp_outside_five_minutes_is_refused(
    gateway: Gateway,
    pipeline: IamPrincipal,
    monkeypatch: pytest.MonkeyPatch,
    minutes: int,
    words: str,
):
    signed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=minutes)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: signed_at)
    headers = signed(gateway, pipeline)
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 403
        assert words in (await response.json())["message"]


async def test_four_minutes_of_clock_skew_is_accepted(
    gateway: Gateway, pipeline: IamPrincipal, monkeypatch: pytest.MonkeyPatch
):
    signed_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=4)
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: signed_at)
    headers = signed(gateway, pipeline)
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 200


async def test_a_body_changed_after_signing_is_refused(gateway: Gateway, pipeline: IamPrincipal):
    headers = signed(gateway, pipeline)
    other = graphql('mutation { updateDataset(id: "d1", tags: ["pii"]) { id } }')
    async with gateway.http.post("/metadata/graphql", data=other, headers=headers) as response:
        assert response.status == 403
    assert gateway.metadata.events == []


async def test_a_signature_for_another_service_is_refused(gateway: Gateway, pipeline: IamPrincipal):
    headers = signed(gateway, pipeline, service="s3")
    async with gateway.http.post("/metadata/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 403
        assert "execute-api" in (await response.json())["message"]


async def test_a_replayed_signature_on_the_backend_api_is_not_a_token(
    gateway: Gateway, pipeline: IamPrincipal
):
    headers = signed(gateway, pipeline)
    async with gateway.http.post("/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 403
    assert gateway.backend.events == []
