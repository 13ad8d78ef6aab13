"""What any caller meets before the domain: signatures, limits, request ids, health, OpenAPI."""

from __future__ import annotations

import time

from openapi_spec_validator import validate

from service_contract import signing
from tests.cdk_service.api.conftest import ADMIN, KEY, error_of


async def test_an_unsigned_request_is_401(as_user) -> None:
    status, body = await as_user(None)("GET", "/v1/templates")
    assert status == 401 and error_of(body)["code"] == "unsigned_request"


async def test_a_request_signed_with_another_key_is_401(client) -> None:
    headers = signing.sign(b"wrong", method="GET", path="/v1/templates", body=b"", identity=ADMIN)
    response = await client.get("/v1/templates", headers=headers)
    assert response.status == 401
    assert error_of(await response.json())["code"] == "bad_signature"


async def test_a_replayed_old_request_is_401(client, monkeypatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1_000_000.0)
    headers = signing.sign(
        KEY.encode(), method="GET", path="/v1/templates", body=b"", identity=ADMIN
    )
    monkeypatch.undo()
    response = await client.get("/v1/templates", headers=headers)
    assert response.status == 401
    assert error_of(await response.json())["code"] == "stale_request"


async def test_the_query_string_is_signed_too(client) -> None:
    headers = signing.sign(
        KEY.encode(), method="GET", path="/v1/templates", body=b"", identity=ADMIN
    )
    response = await client.get("/v1/templates?team=other", headers=headers)
    assert response.status == 401


async def test_an_oversized_body_is_413(as_user) -> None:
    status, body = await as_user(ADMIN)("POST", "/v1/synth", {"padding": "x" * 10_000})
    assert status == 413 and error_of(body)["code"] == "payload_too_large"


async def test_a_body_that_is_not_json_is_400(client) -> None:
    raw = b"{not json"
    headers = signing.sign(KEY.encode(), method="POST", path="/v1/synth", body=raw, identity=ADMIN)
    response = await client.post("/v1/synth", data=raw, headers=headers)
    assert response.status == 400
    assert error_of(await response.json())["code"] == "invalid_json"


async def test_an_unknown_route_is_a_json_404(as_user) -> None:
    status, body = await as_user(ADMIN)("GET", "/v1/nothing-here")
    assert status == 404 and error_of(body)["code"] == "route_not_found"


async def test_a_wrong_method_is_a_json_405(as_user) -> None:
    status, body = await as_user(ADMIN)("DELETE", "/v1/templates")
    assert status == 405 and error_of(body)["code"] == "method_not_allowed"


async def test_the_request_id_is_echoed_and_reported_in_errors(client) -> None:
    response = await client.get("/v1/templates", headers={"X-Request-Id": "trace-12345678"})
    assert response.headers["X-Request-Id"] == "trace-12345678"
    assert error_of(await response.json())["request_id"] == "trace-12345678"


async def test_health_needs_no_signature(client) -> None:
    assert (await client.get("/healthz")).status == 200


async def test_ready_when_the_database_answers_and_the_pool_is_warm(client, synthesizer) -> None:
    response = await client.get("/readyz")
    assert response.status == 200
    assert await response.json() == {
        "ready": True,
        "checks": {"database": True, "synth_pool": True},
    }
    synthesizer.ready = False
    response = await client.get("/readyz")
    assert response.status == 503 and (await response.json())["checks"]["synth_pool"] is False


async def test_metrics_are_prometheus_text(client) -> None:
    response = await client.get("/metrics")
    assert response.status == 200 and response.content_type == "text/plain"
    assert "# TYPE" in await response.text()


async def test_the_openapi_document_is_valid_and_matches_the_routes(as_user, client) -> None:
    status, document = await as_user(ADMIN)("GET", "/v1/openapi.json")
    assert status == 200
    validate(document)
    documented = {
        (method.upper(), path) for path, ops in document["paths"].items() for method in ops
    }
    routed = {
        (route.method, route.resource.canonical)
        for route in client.app.router.routes()
        if route.method != "HEAD" and route.resource is not None
    }
    assert documented == routed
    synth = document["paths"]["/v1/synth"]["post"]
    assert synth["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/SynthOrder"
    )
    assert {"400", "401", "403", "404", "409", "422"} <= set(synth["responses"])
