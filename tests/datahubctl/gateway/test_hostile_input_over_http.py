"""Hostile input through the local gateway to the real Authorizer, Backend Lambda and service:
each is refused with a stable code naming the input at fault, never a 5xx, ``internal_error``,
``service_bad_response`` or a traceback."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest

from tests.api_lambdas.service_fixtures import ANALYST, lambda_environment, service
from tests.datahubctl.gateway.over_http import ask, http, signed_in

__all__ = ["ask", "http", "lambda_environment", "service", "signed_in"]
LEAKS = ("internal_error", "service_bad_response", "Traceback", 'File "')
SEARCH = "query S($q: String) { search(query: $q) { totalCount } }"
DESTROY = "mutation D($k: String) { destroyStack(id: $id, idempotencyKey: $k) { replayed } }"
REQUEST = """mutation R($k: String) {
  requestStack(input: {name: "s1", team: "analytics", template: "bucket", idempotencyKey: $k,
                       params: {bucket_name: "b-one"}}) { replayed }
}"""


async def post(http: aiohttp.ClientSession, token: str, body: bytes) -> tuple[int, Any]:
    """Status and body of a POST to /graphql, checked for leaks."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with http.post("/graphql", data=body, headers=headers) as response:
        text = await response.text()
        assert response.headers["Content-Type"].startswith("application/json"), text
    assert response.status < 500 and not any(leak in text for leak in LEAKS), text
    return response.status, json.loads(text)


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    (error,) = body["errors"]
    assert error["message"]
    return error["extensions"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (rb'{"query": "# \ud800\n{ me { user } }"}', "query"),
        (rb'{"query": "{ search(query: \"\ud800\") { totalCount } }"}', "query"),
        (rb'{"query": "{ me { user } }", "operationName": "\udfff"}', "operationName"),
        (b'{"query": "%s", "variables": {"q": "a\\ud800"}}' % SEARCH.encode(), "variables.q"),
        (b'{"query": "%s", "variables": {"q": "a\\u0000b"}}' % SEARCH.encode(), "variables.q"),
        (rb'{"query": "{ me }", "variables": {"x": [{"y": "\u0000"}]}}', "variables.x.0.y"),
    ],
    ids=["comment", "string-literal", "operation-name", "variable", "nul", "nested-nul"],
)
async def test_text_no_service_can_store_is_refused_with_its_field(
    http, signed_in, body: bytes, field: str
) -> None:
    status, answer = await post(http, signed_in[ANALYST], body)
    assert status == 400
    assert only_error(answer) == {"code": "invalid_text", "field": field}


@pytest.mark.parametrize(
    "key", ["two\nlines", "bell\x07", "k" * 9_000, "", "caf\u00e9", "with space"]
)
@pytest.mark.parametrize("mutation", [DESTROY.replace("$id", '"s"'), REQUEST])
async def test_an_idempotency_key_is_refused_unless_printable_ascii(
    http, signed_in, key: str, mutation: str
) -> None:
    body = json.dumps({"query": mutation, "variables": {"k": key}}).encode()
    status, answer = await post(http, signed_in[ANALYST], body)
    assert status == 200 and answer["data"] is None
    assert only_error(answer) == {"code": "invalid_idempotency_key", "field": "idempotencyKey"}


async def test_a_printable_idempotency_key_reaches_the_service(http, signed_in) -> None:
    body = json.dumps({"query": REQUEST, "variables": {"k": "retry-1!~#" + "k" * 118}}).encode()
    status, answer = await post(http, signed_in[ANALYST], body)
    assert status == 200 and "errors" not in answer, answer


@pytest.mark.parametrize(
    ("operation", "value", "code", "field"),
    [
        ("{ search(query: $V) { totalCount } }", "a " * 10_000, "argument_too_long", "query"),
        ("{ search(query: $V) { totalCount } }", "\u00e9" * 300, "argument_too_long", "query"),
        ("{ stacks(after: $V) { totalCount } }", "A" * 20_000, "invalid_cursor", "after"),
        ("{ stacks(after: $V) { totalCount } }", "\u00e9" * 100, "invalid_cursor", "after"),
        ("{ search(after: $V) { totalCount } }", "A" * 1_025, "invalid_cursor", "after"),
        (
            "{ deployments(after: $V) { pageInfo { hasNextPage } } }",
            "A" * 2_000,
            "invalid_cursor",
            "after",
        ),
        ("{ stacks(team: $V) { totalCount } }", "t" * 9_000, "argument_too_long", "team"),
        ("{ stacks(template: $V) { totalCount } }", "t" * 300, "argument_too_long", "template"),
        (
            "{ deployments(status: $V) { pageInfo { hasNextPage } } }",
            "s" * 9_000,
            "argument_too_long",
            "status",
        ),
        (
            "{ deployments(stackId: $V) { pageInfo { hasNextPage } } }",
            "s" * 9_000,
            "invalid_id",
            "stackId",
        ),
        (
            '{ search(filters: [{name: "tags", values: [$V]}]) { totalCount } }',
            "v" * 9_000,
            "argument_too_long",
            "filters",
        ),
        (
            '{ search(filters: [{name: "tags", values: [$V, $V]}]) { totalCount } }',
            "v" * 500,
            "argument_too_long",
            "filters",
        ),
    ],
    ids=[
        "search-spaces",
        "search-non-ascii",
        "stacks-cursor",
        "stacks-cursor-non-ascii",
        "search-cursor",
        "deployments-cursor",
        "stacks-team",
        "stacks-template",
        "deployments-status",
        "deployments-stack-id",
        "search-facet-value",
        "search-facet-values",
    ],
)
async def test_query_string_arguments_have_a_maximum_length(
    http, signed_in, operation: str, value: str, code: str, field: str
) -> None:
    query = operation.replace("$V", json.dumps(value))
    status, answer = await post(http, signed_in[ANALYST], json.dumps({"query": query}).encode())
    assert status == 200 and answer["data"] is None
    assert only_error(answer) == {"code": code, "field": field}


async def test_the_longest_arguments_allowed_still_reach_the_service(http, signed_in) -> None:
    # "#" takes three bytes in a URL, as much as any character of a bounded argument may.
    search = 'search(query: $Q, filters: [{name: "tags", values: [$F]}]) { totalCount }'
    stacks = "stacks(team: $T, template: $T) { totalCount }"
    query = f"{{ {search} {stacks} }}".replace("$Q", json.dumps("#" * 512))
    query = query.replace("$F", json.dumps("#" * 1_000)).replace("$T", json.dumps("t" * 63))
    status, answer = await post(http, signed_in[ANALYST], json.dumps({"query": query}).encode())
    assert status == 200 and "errors" not in answer, answer


@pytest.mark.parametrize(
    ("query_string", "field"),
    [
        ("query=%23%00%0A%7B+me+%7B+user+%7D+%7D", "query"),
        ("query=%7B+me+%7B+user+%7D+%7D&variables=%7B%22x%22%3A%22%5Cud800%22%7D", "variables.x"),
    ],
    ids=["nul", "surrogate-in-variables"],
)
async def test_text_no_service_can_store_is_refused_over_get_too(
    http, signed_in, query_string: str, field: str
) -> None:
    headers = {"Authorization": f"Bearer {signed_in[ANALYST]}"}
    async with http.get(f"/graphql?{query_string}", headers=headers) as response:
        text = await response.text()
    assert response.status == 400 and not any(leak in text for leak in LEAKS), text
    assert only_error(json.loads(text)) == {"code": "invalid_text", "field": field}


@pytest.mark.parametrize("depth", [100, 900, 990])
async def test_deeply_nested_parameters_are_refused_or_passed_on(http, signed_in, depth) -> None:
    stack_id = "00000000-0000-0000-0000-000000000000"
    mutation = "mutation U($p: JSON!) { updateStack(id: $V, params: $p) { replayed } }"
    query = json.dumps(mutation.replace("$V", json.dumps(stack_id)))
    body = f'{{"query": {query}, "variables": {{"p": {"[" * depth + "]" * depth}}}}}'.encode()
    status, answer = await post(http, signed_in[ANALYST], body)
    assert status in {200, 400} and answer["errors"], answer
