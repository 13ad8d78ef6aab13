"""Catalog fixtures: the test registry synced into the database."""

from __future__ import annotations

import pytest

from cdk_service.catalog import service
from tests.conftest import StubDigestRegistry


@pytest.fixture
async def synced(db: str, test_registry: StubDigestRegistry) -> StubDigestRegistry:
    """The test registry, synced: every version a draft."""
    await service.sync_registry(registry=test_registry)
    return test_registry
