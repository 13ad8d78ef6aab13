"""Hostile and careless input at the internal API's edge: always a 4xx in our error format.

Each case here answered 500 ``internal_error`` (or a stray 200) before validation moved to the
edge: found by fuzzing a running ``datahubctl up``.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from service_contract import signing
from tests.cdk_service.api.conftest import ADMIN, ANALYST, KEY, error_of

LONG_VERSION = "1.0.0-" + "a" * 60  # a valid semantic version, longer than the column (64)
PLAIN_BODY = {"team": "analytics", "name": "orders", "description": "Orders"}


def signed_with_timestamp(path: str, timestamp: str) -> dict[str, str]:
    """Headers signed with the right key but a timestamp of the caller's choosing."""
    identity = signing.encode_identity(ADMIN)
    return {
        signing.IDENTITY_HEADER: identity,
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(
            KEY.encode(), method="GET", path=path, body=b"", identity=identity, timestamp=timestamp
        ),
    }


@pytest.mark.parametrize(
    "timestamp",
    [
        "9" * 309,  # int() of it overflowed the float comparison
        "²",  # str.isdigit() admits superscripts, int() refuses them
        "①",
        "𐩀",
        "\u0661\u0667" + "\u0660" * 8,  # Arabic-Indic digits were read as a time
        "\uff11\uff17" + "\uff10" * 8,  # fullwidth digits likewise
        " 1700000000",
        "-1",
    ],
)
async def test_a_timestamp_that_is_not_ascii_digits_is_refused_before_anything(
    client, timestamp: str
) -> None:
    response = await client.get("/v1/me", headers=signed_with_timestamp("/v1/me", timestamp))
    assert response.status == 401
    assert error_of(await response.json())["code"] == "stale_request"


async def test_arabic_indic_digits_of_now_are_not_a_time(client) -> None:
    arabic_indic = "".join(chr(0x0660 + digit) for digit in range(10))
    now = str(int(time.time())).translate(str.maketrans("0123456789", arabic_indic))
    response = await client.get("/v1/me", headers=signed_with_timestamp("/v1/me", now))
    assert response.status == 401


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("GET", "/v1/templates/%00", "name"),
        ("GET", "/v1/templates/bucket/versions/%00", "version"),
        ("POST", "/v1/templates/%00/versions/1.0.0/retire", "name"),
        ("GET", "/v1/search?q=a&tags=%00", "tags"),
        ("GET", "/v1/search?q=%00", "q"),
    ],
)
async def test_a_nul_in_a_path_or_query_is_a_400_naming_it(
    as_user, method: str, path: str, field: str
) -> None:
    status, body = await as_user(ADMIN)(method, path)
    assert status == 400, body
    assert error_of(body)["field"] == field


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/datasets", PLAIN_BODY | {"description": "a\x00b"}, "description"),
        ("/v1/datasets", PLAIN_BODY | {"tags": ["ok", "b\x00d"]}, "tags.1"),
        ("/v1/datasets", PLAIN_BODY | {"topics": ["\x00"]}, "topics.0"),
        ("/v1/datasets", PLAIN_BODY | {"description": "a\ud800b"}, "description"),
        ("/v1/teams", {"slug": "rogue", "name": "Rogue\x00"}, "name"),
        (
            "/v1/target-accounts",
            {
                "account": "123456789012",
                "region": "eu-west-1",
                "name": "x\x00",
                "deploy_role_arn": "arn:aws:iam::123456789012:role/datahub-deploy",
            },
            "name",
        ),
        (
            "/v1/synth",
            {"template": "bucket", "version": "1.0.0\x00", "team": "analytics"},
            "version",
        ),
    ],
)
async def test_a_nul_or_lone_surrogate_in_a_body_is_a_400_naming_it(
    as_user, path: str, body: dict[str, Any], field: str
) -> None:
    status, answer = await as_user(ADMIN)("POST", path, body)
    assert status == 400, answer
    error = error_of(answer)
    assert error["code"] == "invalid_text" and error["field"] == field


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "POST",
            "/v1/stacks",
            {"name": "sales", "team": "analytics", "template": "bucket", "version": LONG_VERSION},
        ),
        ("GET", f"/v1/templates/bucket/versions/{LONG_VERSION}", None),
        ("POST", "/v1/synth", {"template": "bucket", "version": LONG_VERSION, "team": "analytics"}),
    ],
)
async def test_a_version_longer_than_any_version_is_a_400(
    as_user, method: str, path: str, body: Any
) -> None:
    status, answer = await as_user(ADMIN)(method, path, body)
    assert status == 400, answer
    assert error_of(answer)["field"] == "version"


async def test_an_id_past_bigint_is_a_400(as_user) -> None:
    status, body = await as_user(ADMIN)("DELETE", "/v1/principals/99999999999999999999")
    assert status == 400 and error_of(body)["field"] == "grant_id"


async def test_a_patch_without_its_required_body_is_a_400(as_user) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/datasets", PLAIN_BODY)
    status, body = await as_user(ANALYST)("PATCH", f"/v1/datasets/{created['id']}")
    assert status == 400 and error_of(body)["code"] == "invalid_request"


async def test_a_wrong_method_is_a_405_with_allow(client) -> None:
    headers = signing.sign(
        KEY.encode(), method="PUT", path="/v1/templates", body=b"", identity=ADMIN
    )
    response = await client.put("/v1/templates", headers=headers)
    assert response.status == 405
    assert "GET" in response.headers["Allow"]
    assert error_of(await response.json())["code"] == "method_not_allowed"


async def test_an_enum_in_a_message_reads_as_its_value(as_user) -> None:
    status, body = await as_user(ADMIN)(
        "POST", "/v1/stacks/00000000-0000-0000-0000-000000000000/deployments", {"kind": "destroy"}
    )
    assert status == 400
    assert "DeploymentKind" not in json.dumps(body)
    assert "'update'" in error_of(body)["message"]


async def raw_exchange(client, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are to the test server; its status line, headers and body."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), timeout=10)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines if ": " in line)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /v1/templates?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n"
        + b"Connection: close\r\n\r\n",
        b"GET /v1/me HTTP/1.1\r\nHost: x\r\nIdempotency-Key: " + b"k" * 9000
        + b"\r\nConnection: close\r\n\r\n",
        b"GET /v1/me HTTP/1.1\r\nHost: x\r\nIdempotency-Key: a\x01b\r\nConnection: close\r\n\r\n",
        b"NOT-HTTP\r\n\r\n",
    ],
)  # fmt: skip
async def test_what_the_http_parser_refuses_is_a_json_400_naming_no_server(
    client, request_bytes: bytes
) -> None:
    status, headers, body = await raw_exchange(client, request_bytes)
    assert 400 <= status < 500
    assert headers.get("content-type", "").startswith("application/json"), body[:200]
    assert json.loads(body)["error"]["code"] == "bad_http_request"
    assert b"a" * 100 not in body and b"k" * 100 not in body  # the input is not echoed
    assert "aiohttp" not in headers.get("server", "").lower()


async def test_no_answer_names_the_server_software(client) -> None:
    response = await client.get("/healthz")
    assert "aiohttp" not in response.headers.get("Server", "").lower()
    assert "python" not in response.headers.get("Server", "").lower()
