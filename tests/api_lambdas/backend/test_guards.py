"""What the Backend refuses before any resolver runs, and how every failure reads to a client."""

from __future__ import annotations

import json
import uuid

import pytest

from api_lambdas.backend import teams
from api_lambdas.backend.handler import handler
from api_lambdas.lambda_runtime import lambda_settings
from tests.api_lambdas.backend.conftest import authorizer_context, data_of, error_of
from tests.api_lambdas.service_fixtures import ANALYST, invoke, proxy_event

ME = "{ me { user } }"


def nested(depth: int) -> str:
    """A query ``depth`` fields deep: stack → activeDeployment → stack → ..."""
    chain = ["activeDeployment", "stack"] * depth
    inner = "id"
    for field in reversed(chain[: depth - 2]):
        inner = f"{field} {{ {inner} }}"
    return f'{{ stack(id: "{uuid.uuid4()}") {{ {inner} }} }}'


async def post(body: str, *, caller=ANALYST) -> tuple[int, dict]:
    return await invoke(
        handler, proxy_event("POST", body=body, authorizer=authorizer_context(caller))
    )


async def test_a_query_deeper_than_the_limit_is_refused(ask) -> None:
    status, body = await ask(ANALYST, nested(11))
    assert status == 400
    assert error_of(body)["extensions"]["code"] == "query_too_deep"
    status, body = await ask(ANALYST, nested(10))
    assert status == 200 and body["data"] == {"stack": None}


async def test_a_query_asking_for_too_much_is_refused(ask) -> None:
    query = """{ stacks(first: 100) { edges { node {
        deployments(first: 100) { edges { node { id events(first: 1000) { finished } } } }
    } } } }"""
    status, body = await ask(ANALYST, query)
    assert status == 400
    assert error_of(body)["extensions"]["code"] == "query_too_complex"


async def test_a_body_over_the_limit_is_refused(lambda_environment) -> None:
    padding = " " * lambda_settings().graphql_max_body_bytes
    status, body = await post(json.dumps({"query": ME + padding}))
    assert status == 413
    assert error_of(body)["extensions"] == {"code": "payload_too_large", "field": "body"}


async def test_introspection_follows_the_setting(ask, monkeypatch) -> None:
    introspect = "{ __schema { queryType { name } } }"
    assert data_of(*await ask(ANALYST, introspect))["__schema"]["queryType"]["name"] == "Query"

    monkeypatch.setenv("DATAHUB_GRAPHQL_INTROSPECTION", "false")
    lambda_settings.cache_clear()
    status, body = await ask(ANALYST, introspect)
    assert status == 400
    assert error_of(body)["extensions"]["code"] == "introspection_disabled"


async def test_queries_may_come_over_get_but_mutations_may_not(lambda_environment) -> None:
    context = authorizer_context(ANALYST)
    status, body = await invoke(
        handler, proxy_event("GET", query={"query": ME}, authorizer=context)
    )
    assert data_of(status, body) == {"me": {"user": "alan"}}

    mutation = 'mutation { createTeam(slug: "x", name: "X") { slug } }'
    status, body = await invoke(
        handler, proxy_event("GET", query={"query": mutation}, authorizer=context)
    )
    assert status == 405 and error_of(body)["extensions"]["code"] == "mutation_over_get"


@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("{not json", 400, "invalid_json"),
        ('{"variables": {}}', 400, "invalid_request"),
        ('{"query": "{ me { user "}', 400, "invalid_query"),
        ('{"query": "{ me { nothing } }"}', 400, "invalid_query"),
    ],
)
async def test_malformed_requests_get_a_code_and_a_message(
    lambda_environment, raw: str, status: int, code: str
) -> None:
    answer_status, body = await post(raw)
    assert answer_status == status
    assert error_of(body)["extensions"]["code"] == code


async def test_a_request_without_an_authorized_caller_is_refused(lambda_environment) -> None:
    status, body = await invoke(handler, proxy_event("POST", body=json.dumps({"query": ME})))
    assert status == 401 and error_of(body)["extensions"]["code"] == "unauthenticated"


async def test_an_unreachable_service_is_reported_without_its_address(
    lambda_environment, monkeypatch
) -> None:
    monkeypatch.setenv("DATAHUB_SERVICE_URL", "http://127.0.0.1:9")
    lambda_settings.cache_clear()
    status, body = await post(json.dumps({"query": ME}))
    assert status == 200 and body["data"] is None
    assert error_of(body)["extensions"]["code"] == "service_unreachable"
    assert "127.0.0.1" not in json.dumps(body)


async def test_an_unexpected_failure_shows_no_detail(ask, monkeypatch) -> None:
    def broken(info):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(teams, "service_of", broken)
    _, body = await ask(ANALYST, ME)
    error = error_of(body)
    assert error["extensions"] == {"code": "internal_error"}
    assert "hunter2" not in json.dumps(body)
