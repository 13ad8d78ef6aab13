"""Requests a GraphQL endpoint must refuse, over HTTP through the local gateway: each gets a 4xx
with a stable code and a message, never a 500 or a traceback."""

from __future__ import annotations

import json

import aiohttp
import pytest

from api_lambdas.lambda_runtime import lambda_settings
from tests.api_lambdas.service_fixtures import ANALYST, lambda_environment, service
from tests.datahubctl.gateway.over_http import ask, http, signed_in

__all__ = ["ask", "http", "lambda_environment", "service", "signed_in"]
ME = "query Me { me { user } }"
FIRST = "query Page($n: Int) { stacks(first: $n) { edges { cursor } } }"
JSON = "application/json"


def request(query: str, **more: object) -> bytes:
    return json.dumps({"query": query, **more}).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (b"{not json", JSON, 400, "invalid_json"),
        (b"", JSON, 400, "invalid_json"),
        (b"\xff\xfe\x00{", JSON, 400, "invalid_json"),  # not UTF-8: the gateway sends base64
        (b"[" * 50_000, JSON, 400, "invalid_json"),  # past the JSON parser's recursion limit
        (ME.encode(), "application/graphql", 400, "invalid_json"),
        (
            b"query=%7B+me+%7B+user+%7D+%7D",
            "application/x-www-form-urlencoded",
            400,
            "invalid_json",
        ),
        (json.dumps([{"query": ME}]).encode(), JSON, 400, "invalid_request"),  # no batches
        (request(ME, padding=" " * 1_048_576), JSON, 413, "payload_too_large"),
        (request(ME, operationName="Other"), JSON, 400, "invalid_query"),
        (request(f"{ME} query You {{ me {{ groups }} }}"), JSON, 400, "invalid_query"),
        (request(FIRST, variables={"n": "ten"}), JSON, 400, "invalid_variables"),
        (request(FIRST, variables=[10]), JSON, 400, "invalid_query"),
        (request(ME, operationName=["Me"]), JSON, 400, "invalid_query"),
        (request("{" + "me {" * 5_000 + "}" * 5_001), JSON, 400, "invalid_query"),
        (request("{ stacks(team: false) { totalCount } }"), JSON, 400, "invalid_query"),
        (request("{ template { name } }"), JSON, 400, "invalid_query"),
    ],
    ids=[
        "malformed-json",
        "empty-body",
        "not-utf8",
        "json-nested-too-deeply",
        "graphql-content-type",
        "form-encoded",
        "batch",
        "over-the-body-limit",
        "unknown-operation-name",
        "several-operations-none-named",
        "variable-of-the-wrong-type",
        "variables-not-an-object",
        "operation-name-not-a-string",
        "query-nested-too-deeply",
        "argument-of-the-wrong-type",
        "required-argument-missing",
    ],
)
async def test_a_bad_request_is_a_4xx_with_a_code_and_no_traceback(
    http: aiohttp.ClientSession,
    signed_in: dict,
    body: bytes,
    content_type: str,
    status: int,
    code: str,
) -> None:
    headers = {"Authorization": f"Bearer {signed_in[ANALYST]}", "Content-Type": content_type}
    async with http.post("/graphql", data=body, headers=headers) as response:
        text = await response.text()
        assert response.status == status, text
        assert response.headers["Content-Type"].startswith(JSON)
    (error,) = json.loads(text)["errors"]
    assert error["extensions"]["code"] == code and error["message"]
    assert "Traceback" not in text and 'File "' not in text and "GraphQL request:" not in text


async def test_a_json_body_is_read_whatever_its_content_type_says(ask, http, signed_in) -> None:
    # Browsers may send JSON as text/plain; the Authorization header alone forces a preflight.
    headers = {"Authorization": f"Bearer {signed_in[ANALYST]}", "Content-Type": "text/plain"}
    async with http.post("/graphql", data=request(ME), headers=headers) as response:
        assert response.status == 200
        assert await response.json(content_type=None) == {"data": {"me": {"user": "alan"}}}


async def test_bad_get_requests_are_4xx_too(http, signed_in) -> None:
    headers = {"Authorization": f"Bearer {signed_in[ANALYST]}"}
    cases = [
        ({"query": ME, "variables": "{oops"}, 400, "invalid_json"),
        ({"query": ME, "variables": "[" * 2_000}, 400, "invalid_json"),  # URLs stop at 8 KiB
        ({"variables": "{}"}, 400, "invalid_request"),
        ({"query": 'mutation M { createTeam(slug: "x", name: "X") { slug } }'}, 405, None),
    ]
    for params, status, code in cases:
        async with http.get("/graphql", params=params, headers=headers) as response:
            text = await response.text()
            assert response.status == status, (params, text)
        (error,) = json.loads(text)["errors"]
        assert code is None or error["extensions"]["code"] == code


async def test_an_operation_that_ran_keeps_its_200_though_its_data_is_null(
    http, signed_in, monkeypatch
) -> None:
    # The operation started; the service is what failed (an error with a path).
    monkeypatch.setenv("DATAHUB_SERVICE_URL", "http://127.0.0.1:9")
    lambda_settings.cache_clear()
    headers = {"Authorization": f"Bearer {signed_in[ANALYST]}"}
    async with http.post("/graphql", data=request(ME), headers=headers) as response:
        body = await response.json(content_type=None)
        assert response.status == 200
    assert body["data"] is None and body["errors"][0]["path"] == ["me"]
