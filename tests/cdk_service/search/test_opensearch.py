"""What only a real OpenSearch engine shows about the OpenSearch backend."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from cdk_service.search.indexer import Indexer
from cdk_service.search.opensearch import OpenSearchBackend
from cdk_service.search.port import SearchQuery, Visibility
from tests.cdk_service.search.conftest import ANALYST, Records, opensearch_backend


@pytest.fixture
async def opensearch(search_db: str, opensearch_url: str) -> AsyncIterator[OpenSearchBackend]:
    async with opensearch_backend(opensearch_url) as backend:
        yield backend


async def _request_cache_hits(backend: OpenSearchBackend) -> int:
    stats = await backend._client.indices.stats(index=backend._alias, metric="request_cache")
    return int(stats["_all"]["total"]["request_cache"]["hit_count"])


async def test_a_repeated_search_is_answered_from_the_shard_request_cache(
    records: Records, opensearch: OpenSearchBackend
) -> None:
    """OpenSearch caches only searches of no hits (size 0) unless the request asks to be."""
    await records.dataset(name="orders", description="Every order")
    await Indexer(backend=opensearch).drain()
    query = SearchQuery(text="orders")
    for _ in range(3):
        assert (await opensearch.search(query, Visibility.of(ANALYST))).total == 1
    assert await _request_cache_hits(opensearch) == 2
