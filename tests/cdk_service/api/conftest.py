"""An app wired with the test registry and a fake synthesizer, and a signing test client."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.settings import Settings
from cdk_service.synthesis.models import SynthRequest, SynthResult, sha256_of
from service_contract import signing
from service_contract.identity import Identity

KEY = "api-test-service-key"
ADMIN = Identity(user="ada", groups=frozenset({"admins"}))
ANALYST = Identity(user="alan", groups=frozenset({"analytics"}))


@dataclass
class FakeSynthesizer:
    """Stands in for the warm pool: records requests, renders a one-resource template."""

    ready: bool = True
    fail_with: Exception | None = None
    requests: list[SynthRequest] = field(default_factory=list)

    async def synth(self, request: SynthRequest) -> SynthResult:
        self.requests.append(request)
        if self.fail_with is not None:
            raise self.fail_with
        template = {
            "Resources": {"Thing": {"Type": "AWS::SNS::Topic", "Properties": request.params}}
        }
        return SynthResult(template=template, digest=sha256_of(template))

    def stats(self) -> dict[str, Any]:
        return {"requests": len(self.requests)}


@dataclass
class Caller:
    """Sends signed requests as an identity."""

    client: TestClient
    identity: Identity | None

    async def __call__(
        self, method: str, path: str, body: Any = None, **kwargs: Any
    ) -> tuple[int, Any]:
        raw = b"" if body is None else json.dumps(body).encode()
        headers = kwargs.pop("headers", {})
        if self.identity is not None:
            headers.update(
                signing.sign(
                    KEY.encode(), method=method, path=path, body=raw, identity=self.identity
                )
            )
        response = await self.client.request(method, path, data=raw, headers=headers, **kwargs)
        return response.status, await response.json(content_type=None)


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings(service_key=KEY, state_dir=tmp_path, max_body_bytes=4096)


@pytest.fixture
def synthesizer() -> FakeSynthesizer:
    return FakeSynthesizer()


@pytest.fixture
async def client(
    aiohttp_client: Any,
    db: Any,
    test_registry: Any,
    settings: Settings,
    synthesizer: FakeSynthesizer,
) -> TestClient:
    from cdk_service.catalog import service

    await service.sync_registry(registry=test_registry)
    app = create_app(Services(settings=settings, registry=test_registry, synthesizer=synthesizer))
    return await aiohttp_client(app)


@pytest.fixture
def as_user(client: TestClient) -> Callable[[Identity | None], Caller]:
    return lambda identity: Caller(client, identity)


def error_of(body: dict[str, Any]) -> dict[str, Any]:
    """The error object of an error response, checked for its stable shape."""
    error = body["error"]
    assert set(error) >= {"code", "message", "request_id"}
    assert "Traceback" not in json.dumps(body)
    return error
