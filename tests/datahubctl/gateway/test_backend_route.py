"""``/graphql`` over HTTP: the Authorizer decides with real Cognito tokens, as API Gateway would."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from multidict import CIMultiDictProxy

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings
from datahubctl.local.cognito import DEMO_ADMIN, DEMO_ANALYST
from tests.cognito import TokenForge, Tokens, now
from tests.datahubctl.gateway.conftest import Gateway, StartGateway, graphql

QUERY = graphql("{ me { user } }")


@dataclass
class Answer:
    """What a gateway started for one request answered."""

    gateway: Gateway
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


async def once(
    start: StartGateway, headers: dict[str, str], data: bytes = QUERY, **changes: Any
) -> Answer:
    """Starts a gateway with ``changes``, posts one request to /graphql, and stops it."""
    async with (
        start(**changes) as gateway,
        gateway.http.post("/graphql", data=data, headers=headers) as response,
    ):
        return Answer(gateway, response.status, response.headers, await response.read())


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a signed-in user."""
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


async def test_a_signed_in_user_reaches_the_backend_with_user_and_groups(
    gateway: Gateway, tokens: Tokens
):
    async with gateway.http.post(
        "/graphql?trace=1", data=QUERY, headers=bearer(tokens.id_token(DEMO_ANALYST))
    ) as response:
        assert response.status == 200
        assert response.headers["X-Lambda"] == "backend"
        seen = await response.json()

    event = seen["event"]
    assert event["requestContext"]["authorizer"] == {
        "user": "demo-analyst",
        "groups": "analytics",
        "principalId": "demo-analyst",
    }
    assert (event["resource"], event["path"], event["httpMethod"]) == (
        "/graphql",
        "/graphql",
        "POST",
    )
    assert event["body"] == QUERY.decode() and event["isBase64Encoded"] is False
    assert event["queryStringParameters"] == {"trace": "1"}
    assert event["multiValueHeaders"]["Content-Type"] == ["application/json"]
    assert event["requestContext"]["stage"] == "local"
    assert event["requestContext"]["path"] == "/local/graphql"
    assert seen["function"] == "backend" and 0 < seen["remaining_ms"] <= 29_000


async def test_each_invocation_gets_its_own_request_id(gateway: Gateway, tokens: Tokens):
    headers = bearer(tokens.id_token(DEMO_ADMIN))
    ids = set()
    for _ in range(2):
        async with gateway.http.post("/graphql", data=QUERY, headers=headers) as response:
            ids.add((await response.json())["request_id"])
    assert len(ids) == 2


async def test_no_authorization_header_is_401_without_running_anything(gateway: Gateway):
    async with gateway.http.post("/graphql", data=QUERY) as response:
        assert response.status == 401
        assert await response.json() == {"message": "Unauthorized"}
    assert gateway.backend.events == []


async def test_a_denied_token_is_403_and_the_backend_never_runs(
    gateway: Gateway, tokens: Tokens, token_forge: TokenForge
):
    expired = token_forge.resign(tokens.id_token(DEMO_ANALYST), iat=now() - 4000, exp=now() - 300)
    for token in [expired, "garbage", tokens.signed_in(DEMO_ANALYST)[1]]:
        async with gateway.http.post("/graphql", data=QUERY, headers=bearer(token)) as response:
            assert response.status == 403
            assert await response.json() == {
                "message": "User is not authorized to access this resource"
            }
    assert gateway.backend.events == []


async def test_an_allow_for_another_api_does_not_open_this_one(
    start_gateway: StartGateway, tokens: Tokens
):
    def elsewhere(event: dict[str, Any], context: Any) -> dict[str, Any]:
        statement = {
            "Action": "execute-api:Invoke",
            "Effect": "Allow",
            "Resource": "arn:aws:execute-api:us-east-1:123456789012:otherapi/*/*/*",
        }
        return {"principalId": "x", "policyDocument": {"Statement": [statement]}}

    assert (await once(start_gateway, bearer("t"), authorizer=elsewhere)).status == 403


async def test_an_authorizer_that_crashes_is_a_500_with_no_detail(start_gateway: StartGateway):
    def crashing(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("secret internals")

    answer = await once(start_gateway, bearer("t"), authorizer=crashing)
    assert (answer.status, answer.json()) == (500, {"message": None})


async def test_a_backend_that_fails_or_answers_badly_is_a_502(
    start_gateway: StartGateway, tokens: Tokens
):
    def crashing(event: dict[str, Any], context: Any) -> dict[str, Any]:
        raise RuntimeError("secret internals")

    def malformed(event: dict[str, Any], context: Any) -> Any:
        return {"statusCode": 200, "body": {"not": "a string"}}

    headers = bearer(tokens.id_token(DEMO_ANALYST))
    for behaviour in (crashing, malformed):
        answer = await once(start_gateway, headers, backend=behaviour)
        assert (answer.status, answer.body) == (502, b'{"message": "Internal server error"}')


async def test_a_backend_past_the_timeout_is_a_504(start_gateway: StartGateway, tokens: Tokens):
    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        time.sleep(1.0)
        return {"statusCode": 200, "body": "late"}

    headers = bearer(tokens.id_token(DEMO_ANALYST))
    answer = await once(start_gateway, headers, backend=slow, timeout_seconds=0.3)
    assert (answer.status, answer.json()) == (504, {"message": "Endpoint request timed out"})


async def test_a_body_over_the_payload_limit_is_a_413(start_gateway: StartGateway, tokens: Tokens):
    headers = bearer(tokens.id_token(DEMO_ANALYST))
    answer = await once(start_gateway, headers, data=b"x" * 4096, max_body_bytes=1024)
    assert answer.status == 413
    assert answer.gateway.backend.events == []


async def test_binary_answers_and_headers_of_the_lambda_reach_the_client(
    start_gateway: StartGateway, tokens: Tokens
):
    def binary(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {
            "statusCode": 201,
            "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
            "headers": {"Content-Type": "application/octet-stream"},
            "body": "AAEC",
            "isBase64Encoded": True,
        }

    headers = bearer(tokens.id_token(DEMO_ANALYST))
    answer = await once(start_gateway, headers, backend=binary)
    assert (answer.status, answer.body) == (201, b"\x00\x01\x02")
    assert answer.headers.getall("Set-Cookie") == ["a=1", "b=2"]


async def test_unknown_paths_and_methods_answer_as_api_gateway(gateway: Gateway):
    for method, path in [("GET", "/nothing-here"), ("DELETE", "/graphql"), ("PUT", "/")]:
        async with gateway.http.request(method, path) as response:
            assert response.status == 403
            assert await response.json() == {"message": "Missing Authentication Token"}


async def test_the_explorer_page_points_at_graphql_in_local_mode(
    gateway: Gateway, start_gateway: StartGateway
):
    async with gateway.http.get("/") as response:
        assert response.status == 200
        assert response.url.path == "/explorer"
        page = await response.text()
        assert "GraphiQL" in page and '"/graphql"' in page
    async with start_gateway(explorer=False) as closed, closed.http.get("/explorer") as response:
        assert response.status == 403


async def test_the_console_on_another_origin_may_call_graphql(gateway: Gateway):
    preflight = {"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"}
    async with gateway.http.options("/graphql", headers=preflight) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


async def test_policies_are_cached_per_token_as_api_gateway_does(
    start_gateway: StartGateway, lambda_settings: LambdaSettings, tokens: Tokens
):
    real = Authorizer(lambda_settings)
    asked: list[str] = []

    def counting(event: dict[str, Any], context: Any) -> dict[str, Any]:
        asked.append(event["headers"]["Authorization"])
        return real(event, context)

    analyst, admin = tokens.id_token(DEMO_ANALYST), tokens.id_token(DEMO_ADMIN)
    for ttl, expected in [(300.0, 2), (0.0, 3)]:
        asked.clear()
        async with start_gateway(authorizer=counting, authorizer_cache_seconds=ttl) as gateway:
            for token in (analyst, analyst, admin):
                async with gateway.http.post("/graphql", data=QUERY, headers=bearer(token)) as r:
                    users = (await r.json())["event"]["requestContext"]["authorizer"]["user"]
                    assert users == ("demo-admin" if token == admin else "demo-analyst")
        assert len(asked) == expected
