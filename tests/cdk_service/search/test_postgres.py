"""The PostgreSQL backend: the tsquery built inside the search statement (typos corrected,
prefixes kept) is the one ``tsquery_of`` makes, and a search without pg_trgm still finds
prefixes."""

from __future__ import annotations

import pytest
from tortoise import Tortoise

from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchQuery, Visibility
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.postgres_queries import FUZZY_TSQUERY, HAS_TRIGRAMS, tsquery_of
from tests.cdk_service.search.conftest import ANALYST, Records, titles


async def _tsquery_text(words: list[str]) -> str:
    sql = f"SELECT {FUZZY_TSQUERY.format(words='$1')} AS text"
    rows = await Tortoise.get_connection("default").execute_query_dict(sql, [words])
    return rows[0]["text"]


async def _has_trigrams() -> bool:
    return bool(await Tortoise.get_connection("default").execute_query_dict(HAS_TRIGRAMS))


async def _indexed(records: Records) -> None:
    await records.dataset(name="clickstream", description="Website clicks by session")
    await records.dataset(name="payments", description="Card payments")
    await Indexer(backend=PostgresSearch()).drain()


async def test_the_statement_corrects_typos_as_tsquery_of_would(records: Records) -> None:
    if not await _has_trigrams():
        pytest.skip("no pg_trgm on this server: the statement takes tsquery_of's text")
    await _indexed(records)
    words = ["click", "paymnets", "sesion", "zzzzqx"]
    expected = tsquery_of(words, {"paymnets": ["payments"], "sesion": ["session"]})
    assert await _tsquery_text(words) == expected


async def test_a_misspelt_word_and_a_prefix_together_find_their_document(
    records: Records,
) -> None:
    await _indexed(records)
    backend = PostgresSearch()
    found = await backend.search(SearchQuery(text="clickstr sesion"), Visibility.of(ANALYST))
    expected = ["clickstream"] if await _has_trigrams() else []
    assert titles(found) == expected


async def test_without_trigrams_prefixes_still_match_and_typos_find_nothing(
    records: Records,
) -> None:
    await _indexed(records)
    backend = PostgresSearch()
    backend._trigrams = False  # a server without pg_trgm (the embedded one)
    visibility = Visibility.of(ANALYST)
    assert titles(await backend.search(SearchQuery(text="pay"), visibility)) == ["payments"]
    assert titles(await backend.search(SearchQuery(text="paymnets"), visibility)) == []
