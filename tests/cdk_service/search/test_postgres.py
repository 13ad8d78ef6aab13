"""The PostgreSQL backend: the tsquery built inside the search statement (a prefix as the
indexed lexemes it covers, typos corrected), and a search without pg_trgm still finds
prefixes."""

from __future__ import annotations

import pytest
from tortoise import Tortoise

from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchQuery, Visibility
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.postgres_queries import HAS_TRIGRAMS, NO_TYPOS, TSQUERY, TYPOS
from cdk_service.search.sources import every_document
from tests.cdk_service.search.conftest import ANALYST, Records, titles


async def _tsquery_text(words: list[str], *, typos: bool = True, most: int = 64) -> str:
    built = TSQUERY.format(words="$1", typos=TYPOS if typos else NO_TYPOS, most=most)
    rows = await Tortoise.get_connection("default").execute_query_dict(
        f"SELECT ({built})::text AS text", [words]
    )
    return rows[0]["text"]


async def _has_trigrams() -> bool:
    return bool(await Tortoise.get_connection("default").execute_query_dict(HAS_TRIGRAMS))


async def _indexed(records: Records) -> None:
    await records.dataset(name="clickstream", description="Website clicks by session")
    await records.dataset(name="payments", description="Card payments")
    await Indexer(backend=PostgresSearch()).drain()


async def test_a_prefix_stands_for_the_lexemes_it_covers_and_typos_are_corrected(
    records: Records,
) -> None:
    if not await _has_trigrams():
        pytest.skip("no pg_trgm on this server: typos are not corrected")
    await _indexed(records)
    built = await _tsquery_text(["click", "paymnets", "sesion", "zzzzqx", "the"])
    assert built == (
        "( 'click' | 'clickstream' ) & ( 'paymnet':* | 'payment' ) "
        "& ( 'sesion':* | 'session' ) & 'zzzzqx':*"
    )


async def test_a_prefix_covering_too_many_lexemes_stays_a_prefix(records: Records) -> None:
    await _indexed(records)
    assert await _tsquery_text(["pay"], typos=False) == "'payment'"
    assert await _tsquery_text(["c"], typos=False, most=1) == "'c':*"
    assert await _tsquery_text(["the"], typos=False) is None  # stop words only: nothing asked


async def test_documents_written_later_and_reindexed_bring_their_lexemes(
    records: Records,
) -> None:
    await _indexed(records)
    await records.dataset(name="clickhouse", description="Click events in columns")
    await Indexer(backend=PostgresSearch()).drain()
    assert await _tsquery_text(["clickh"], typos=False) == "'clickhous'"
    backend = PostgresSearch()
    found = await backend.search(SearchQuery(text="clickh"), Visibility.of(ANALYST))
    assert titles(found) == ["clickhouse"]
    await Tortoise.get_connection("default").execute_query(
        "INSERT INTO search_lexemes (lexeme) VALUES ('clickzzz')"
    )
    await backend.rebuild(every_document())
    assert "clickzzz" not in await _tsquery_text(["click"], typos=False)


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
