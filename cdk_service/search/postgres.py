"""The PostgreSQL search backend: weighted tsvector, GIN index, ranking, prefix and fuzzy words.

Documents live in ``search_documents`` (the migrations declare the generated vector and the
GIN index on ``(audience, vector)``: a caller's matches come from one index scan, not from
every team's matches filtered afterwards; core PostgreSQL, no extension needed);
``search_terms`` is the vocabulary that misspelt words are corrected to, with ``pg_trgm``
similarity where the server has that extension.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, Sequence

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from cdk_service.search.documents import DocumentDeletion, SearchDocument, batches
from cdk_service.search.port import SearchQuery, SearchResults, Visibility
from cdk_service.search.postgres_queries import (
    DELETE,
    HAS_TRIGRAMS,
    UPSERT,
    UPSERT_TERMS,
    SearchStatement,
    results_of,
)
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
    if deletions:
        gone = [{"key": d.key, "version": d.version} for d in deletions]
        await connection.execute_query(DELETE, [json.dumps(gone)])


class PostgresSearch:
    """The search port on the service's own PostgreSQL (the default backend)."""

    name = "postgres"

    def __init__(self) -> None:
        self._trigrams: bool | None = None

    async def prepare(self) -> None:
        """Nothing to create: the migrations made the tables and indexes."""

    async def write(
        self, documents: Sequence[SearchDocument], deletions: Sequence[DocumentDeletion]
    ) -> None:
        """Upsert (newer versions only) and delete, in one transaction."""
        async with in_transaction() as connection:
            await _write(connection, documents, deletions)

    async def search(self, query: SearchQuery, visibility: Visibility) -> SearchResults:
        """Rank with ``ts_rank_cd`` (newest first without text); facets over every match.

        One statement: typos are corrected inside it (where the server has pg_trgm).
        """
        if self._trigrams is None:
            self._trigrams = bool(await _connection().execute_query_dict(HAS_TRIGRAMS))
        words = query_words(query.text)
        statement = SearchStatement(query, visibility, words, fuzzy=self._trigrams)
        rows = await _connection().execute_query_dict(statement.sql, statement.values)
        return results_of(rows[0], query)

    async def rebuild(self, documents: AsyncIterable[SearchDocument]) -> int:
        """Replace every document in one transaction: readers see the old set until commit."""
        written = 0
        async with in_transaction() as connection:
            await connection.execute_query("DELETE FROM search_documents")
            async for batch in batches(documents, REBUILD_BATCH):
                await _write(connection, batch, [])
                written += len(batch)
        return written

    async def count(self) -> int:
        """Documents in ``search_documents``."""
        rows = await _connection().execute_query_dict("SELECT count(*) AS n FROM search_documents")
        return int(rows[0]["n"])

    async def close(self) -> None:
        """The connection is the service's; nothing to close."""
