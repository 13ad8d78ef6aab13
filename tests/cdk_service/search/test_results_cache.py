"""PostgreSQL search results are kept until the index changes, whoever changes it."""

from __future__ import annotations

import asyncio

import asyncpg
from tortoise import Tortoise

from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchQuery, SearchResults, Visibility
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.results_cache import ResultsCache
from tests.cdk_service.search.conftest import ANALYST, FINANCE, Records, titles

PAYMENTS = SearchQuery(text="payments")


async def _renamed_behind_the_index_back(title: str) -> None:
    """A change the cache is not told of (no NOTIFY): only what is kept still shows the old."""
    await Tortoise.get_connection("default").execute_query(
        "UPDATE search_documents SET title = $1, document = jsonb_set(document, '{title}', $2)",
        [title, f'"{title}"'],
    )


async def _heard(cache_owner: PostgresSearch, generation: int) -> None:
    cache = cache_owner._cache
    assert cache is not None
    for _ in range(500):  # the notification arrives on the listener's connection
        if cache.generation != generation:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the change was never announced to the cache")


async def test_results_are_kept_per_audience_until_another_process_changes_the_index(
    records: Records,
) -> None:
    await records.dataset(name="payments", description="Card payments")
    await Indexer(backend=PostgresSearch()).drain()
    service = PostgresSearch()
    try:
        assert titles(await service.search(PAYMENTS, Visibility.of(ANALYST))) == ["payments"]
        await _renamed_behind_the_index_back("renamed")
        kept = await service.search(PAYMENTS, Visibility.of(ANALYST))
        assert titles(kept) == ["payments"]  # served from the cache
        other_audience = await service.search(PAYMENTS, Visibility.of(FINANCE))
        assert titles(other_audience) == ["renamed"]  # its own results, not the analyst's

        assert service._cache is not None
        generation = service._cache.generation
        await records.dataset(name="payments-eu", description="Card payments in Europe")
        await Indexer(backend=PostgresSearch()).drain()  # another writer: told by NOTIFY
        await _heard(service, generation)
        fresh = await service.search(PAYMENTS, Visibility.of(ANALYST))
        assert sorted(titles(fresh)) == ["payments-eu", "renamed"]
    finally:
        await service.close()


async def test_a_write_of_the_same_process_is_seen_by_its_next_search(records: Records) -> None:
    service = PostgresSearch()
    try:
        assert titles(await service.search(PAYMENTS, Visibility.of(ANALYST))) == []
        await records.dataset(name="payments", description="Card payments")
        await Indexer(backend=service).drain()
        assert titles(await service.search(PAYMENTS, Visibility.of(ANALYST))) == ["payments"]
    finally:
        await service.close()


async def test_without_its_listening_connection_nothing_is_kept(records: Records) -> None:
    await records.dataset(name="payments", description="Card payments")
    await Indexer(backend=PostgresSearch()).drain()
    service = PostgresSearch()
    try:
        assert titles(await service.search(PAYMENTS, Visibility.of(ANALYST))) == ["payments"]
        assert service._cache is not None
        await service._cache.close()  # as if the connection were lost
        service._cache._next_attempt = float("inf")  # and could not be opened again
        await _renamed_behind_the_index_back("renamed")
        assert titles(await service.search(PAYMENTS, Visibility.of(ANALYST))) == ["renamed"]
    finally:
        await service.close()


async def test_results_computed_across_a_change_are_not_kept() -> None:
    async def refused() -> asyncpg.Connection:
        raise OSError("no database here")

    cache = ResultsCache(refused)
    results = SearchResults(hits=[], total=0, facets={}, next_after=None)
    assert not await cache.listening()
    cache.keep("key", results, generation=cache.generation)
    assert cache.get("key") is None  # not listening: nothing kept

    cache._connection = object()  # type: ignore[assignment]  # listening, for this check
    started = cache.generation
    cache.forget()  # a change announced while the search ran
    cache.keep("key", results, generation=started)
    assert cache.get("key") is None
    cache.keep("key", results, generation=cache.generation)
    assert cache.get("key") is results
