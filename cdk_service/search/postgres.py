"""The PostgreSQL search backend: weighted tsvector, GIN index, ranking, prefix and fuzzy words.

Documents live in ``search_documents`` (the migrations declare the generated vector and the
GIN index on ``(audience, vector)``: a caller's matches come from one index scan, not from
every team's matches filtered afterwards; core PostgreSQL, no extension needed);
``search_terms`` is the vocabulary that misspelt words are corrected to, with ``pg_trgm``
similarity where the server has that extension. Results are kept until the next change to
either table (``results_cache``): every write here announces itself with ``NOTIFY``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Sequence

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from cdk_service.db.transactions import transaction
from cdk_service.search.documents import DocumentDeletion, SearchDocument, batches
from cdk_service.search.port import SearchQuery, SearchResults, Visibility
from cdk_service.search.postgres_queries import (
    DELETE,
    HAS_TRIGRAMS,
    UPSERT,
    UPSERT_LEXEMES,
    UPSERT_TERMS,
    SearchStatement,
    results_of,
)
from cdk_service.search.results_cache import NOTIFY_CHANGED, ResultsCache
from cdk_service.search.text import query_words, vocabulary

REBUILD_BATCH = 2000


def _connection() -> BaseDBAsyncClient:
    return Tortoise.get_connection("default")


def _rows(documents: Sequence[SearchDocument]) -> str:
    rows = []
    for document in documents:
        row = document.model_dump(mode="json", exclude={"id", "attributes"})
        row.update(
            key=document.key, entity_id=document.id, document=document.model_dump(mode="json")
        )
        rows.append(row)
    return json.dumps(rows)


async def _write(
    connection: BaseDBAsyncClient,
    documents: Sequence[SearchDocument],
    deletions: Sequence[DocumentDeletion],
) -> None:
    if documents:
        # Small GIN pending lists: flushed often and briefly, not 4 MB at a time (a stall).
        await connection.execute_query("SET LOCAL gin_pending_list_limit = 512")
        await connection.execute_query(UPSERT, [_rows(documents)])
        texts = [f"{d.title} {d.description} {d.body} {' '.join(d.tags)}" for d in documents]
        await connection.execute_query(UPSERT_TERMS, [sorted(vocabulary(texts))])
        await connection.execute_query(UPSERT_LEXEMES, [[d.key for d in documents]])
    if deletions:
        gone = [{"key": d.key, "version": d.version} for d in deletions]
        await connection.execute_query(DELETE, [json.dumps(gone)])
    if documents or deletions:
        await connection.execute_query(NOTIFY_CHANGED)  # delivered at commit


async def _listener() -> asyncpg.Connection:
    """A connection of its own to the service's database, for ``LISTEN``."""
    client = Tortoise.get_connection("default")
    return await asyncpg.connect(
        host=client.host,  # type: ignore[attr-defined]
        port=client.port,  # type: ignore[attr-defined]
        user=client.user,  # type: ignore[attr-defined]
        password=client.password,  # type: ignore[attr-defined]
        database=client.database,  # type: ignore[attr-defined]
    )


def _key(query: SearchQuery, visibility: Visibility) -> str:
    """The same text for the same search by the same audience, whatever the sets' order."""
    filters = sorted((facet, sorted(values)) for facet, values in query.filters.items())
    asked = [query.text, filters, query.limit, query.after, query.facets, query.highlights]
    return json.dumps([asked, visibility.everything, sorted(visibility.teams)])


class PostgresSearch:
    """The search port on the service's own PostgreSQL (the default backend)."""

    name = "postgres"

    def __init__(self, *, cached_results: int = 512) -> None:
        """``cached_results``: how many searches' results to keep until the index changes
        (0: none)."""
        self._trigrams: bool | None = None
        self._cache = ResultsCache(_listener, entries=cached_results) if cached_results else None

    async def prepare(self) -> None:
        """Nothing to create: the migrations made the tables and indexes."""

    async def write(
        self, documents: Sequence[SearchDocument], deletions: Sequence[DocumentDeletion]
    ) -> None:
        """Upsert (newer versions only) and delete, in one transaction."""
        async with transaction() as connection:
            await _write(connection, documents, deletions)
        self._changed()

    async def search(self, query: SearchQuery, visibility: Visibility) -> SearchResults:
        """Rank with ``ts_rank_cd`` (newest first without text); facets over every match.

        One statement: typos are corrected inside it (where the server has pg_trgm). The
        results are kept until the index changes.
        """
        cache = self._cache if self._cache is not None and await self._cache.listening() else None
        key = "" if cache is None else _key(query, visibility)
        kept = None if cache is None else cache.get(key)
        if kept is not None:
            return kept
        generation = 0 if cache is None else cache.generation
        if self._trigrams is None:
            self._trigrams = bool(await _connection().execute_query_dict(HAS_TRIGRAMS))
        words = query_words(query.text)
        statement = SearchStatement(query, visibility, words, fuzzy=self._trigrams)
        rows = await _connection().execute_query_dict(statement.sql, statement.values)
        results = results_of(rows[0], query)
        if cache is not None:
            cache.keep(key, results, generation=generation)
        return results

    async def rebuild(self, documents: AsyncIterable[SearchDocument]) -> int:
        """Replace every document in one transaction: readers see the old set until commit."""
        written = 0
        async with transaction() as connection:
            await connection.execute_query("DELETE FROM search_documents")
            await connection.execute_query("DELETE FROM search_lexemes")
            async for batch in batches(documents, REBUILD_BATCH):
                await _write(connection, batch, [])
                written += len(batch)
            await connection.execute_query(NOTIFY_CHANGED)  # the deletion, even with no batch
        self._changed()
        return written

    async def count(self) -> int:
        """Documents in ``search_documents``."""
        rows = await _connection().execute_query_dict("SELECT count(*) AS n FROM search_documents")
        return int(rows[0]["n"])

    async def close(self) -> None:
        """Stop listening for changes (the other connections are the service's)."""
        if self._cache is not None:
            await self._cache.close()

    def _changed(self) -> None:
        """Forget kept results at once after a write of this process (the ``NOTIFY`` that
        tells the other processes arrives a moment later)."""
        if self._cache is not None:
            self._cache.forget()
