"""Datasets fixtures: the service's app on each search backend, callers by role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.catalog import service as catalog
from cdk_service.search.port import SearchBackend
from cdk_service.settings import Settings
from tests.cdk_service.api.conftest import KEY, Caller, FakeSynthesizer
from tests.cdk_service.search.conftest import backend, find, indexer, records, search_db


@pytest.fixture
async def client(
    aiohttp_client: Any, backend: SearchBackend, test_registry: Any, tmp_path: Any
) -> TestClient:
    await catalog.sync_registry(registry=test_registry)
    settings = Settings(service_key=KEY, state_dir=tmp_path)
    services = Services(
        settings=settings,
        registry=test_registry,
        synthesizer=FakeSynthesizer(),
        search=backend,
    )
    return await aiohttp_client(create_app(services))


@pytest.fixture
def as_user(client: TestClient) -> Callable[..., Caller]:
    return lambda identity: Caller(client, identity)


__all__ = ["backend", "find", "indexer", "records", "search_db"]  # shared fixtures
