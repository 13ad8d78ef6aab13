"""PostgreSQL and OpenSearch side by side: one corpus, the same searches, the same answers
(hits, their order, totals, facet counts and the words highlighted)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from cdk_service.search.opensearch import OpenSearchBackend
from cdk_service.search.port import SearchQuery, SearchResults, Visibility
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.sources import every_document
from service_contract.identity import Identity
from tests.cdk_service.search.conftest import ADMIN, ANALYST, FINANCE, Records, opensearch_backend

MARKED = re.compile(r"<mark>(.*?)</mark>")
SEARCHES: list[tuple[Identity, str, dict[str, frozenset[str]]]] = [
    (ANALYST, "orders", {}),
    (ANALYST, "sales", {}),
    (ADMIN, "sales", {}),
    (FINANCE, "sales", {}),
    (ADMIN, "sales", {"kind": frozenset({"dataset"})}),
    (ADMIN, "cust", {}),
    (ADMIN, "raw", {}),
    (ADMIN, "invoices", {}),
    (ANALYST, "the orders", {}),
    (ANALYST, "the", {}),
    (ANALYST, "ORDERS!", {}),
    (ANALYST, "x" * 300, {}),
    (ADMIN, "", {"kind": frozenset({"stack"})}),
    (ANALYST, "", {}),
]


@pytest.fixture
async def opensearch(search_db: str, opensearch_url: str) -> AsyncIterator[OpenSearchBackend]:
    async with opensearch_backend(opensearch_url) as backend:
        yield backend


async def _corpus(records: Records) -> None:
    await records.stack("sales-lake", params={"bucket_name": "sales-raw"})
    await records.stack("billing", team="finance", params={"bucket_name": "invoices-raw"})
    await records.dataset(
        name="orders", description="Every order placed, per customer", tags=["sales"]
    )
    await records.dataset(name="customers", description="People; see orders for purchases")
    await records.dataset(name="sales-daily", description="Sales per day", classification="public")
    await records.dataset(
        FINANCE, name="ledger", description="sales ledger", classification="confidential"
    )


def _answer(results: SearchResults) -> dict[str, object]:
    return {
        "hits": [hit.document.key for hit in results.hits],
        "total": results.total,
        "facets": {name: [(c.value, c.count) for c in counts]
                   for name, counts in results.facets.items()},
        "marked": [
            {field: sorted({w.lower() for f in fragments for w in MARKED.findall(f)})
             for field, fragments in hit.highlights.items()}
            for hit in results.hits
        ],
    }  # fmt: skip


async def test_both_backends_answer_every_search_alike(
    records: Records, opensearch: OpenSearchBackend
) -> None:
    await _corpus(records)
    postgres = PostgresSearch()
    for backend in (postgres, opensearch):
        await backend.rebuild(every_document())
    for identity, text, filters in SEARCHES:
        query = SearchQuery(text=text, filters=filters)
        visibility = Visibility.of(identity)
        expected = _answer(await postgres.search(query, visibility))
        assert _answer(await opensearch.search(query, visibility)) == expected, (identity, text)


async def test_words_found_in_different_fields_are_found_alike_but_ranked_and_marked_apart(
    records: Records, opensearch: OpenSearchBackend
) -> None:
    """Where they part: each word in a field of its own. PostgreSQL's ``ts_headline`` marks a
    field only where the whole query matches in it, and cover density ranks a document with
    the words apart above one with them together; OpenSearch marks every word and ranks by
    BM25 over the fields."""
    await _corpus(records)
    postgres = PostgresSearch()
    for backend in (postgres, opensearch):
        await backend.rebuild(every_document())
    visibility = Visibility.of(ADMIN)
    for text in ("customer orders", "sales-daily"):
        query = SearchQuery(text=text)
        found = {name: _answer(await b.search(query, visibility)) for name, b in
                 (("postgres", postgres), ("opensearch", opensearch))}  # fmt: skip
        assert sorted(found["postgres"]["hits"]) == sorted(found["opensearch"]["hits"]), text
        assert found["postgres"]["facets"] == found["opensearch"]["facets"], text
    answer = _answer(await opensearch.search(SearchQuery(text="customer orders"), visibility))
    assert answer["marked"] == [
        {"title": ["orders"], "description": ["customer", "order"]},
        {"title": ["customers"], "description": ["orders"]},
    ]
