"""The search contract every backend keeps: ranking, prefixes, typos, highlights, facets,
cursors, versions."""

from __future__ import annotations

from typing import Any

from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchBackend, SearchQuery, Visibility
from cdk_service.search.text import MARK_END, MARK_START, marked_html
from tests.cdk_service.search.conftest import (
    ADMIN,
    ANALYST,
    Records,
    skip_unless_typos_are_corrected,
    titles,
)


async def test_title_matches_rank_above_matches_in_the_text(
    records: Records, indexer: Indexer, find: Any
) -> None:
    await records.dataset(name="orders", description="Every order placed in the shop")
    await records.dataset(name="customers", description="People; see orders for what they buy")
    await records.dataset(name="inventory", description="Stock levels per warehouse")
    await indexer.drain()
    assert titles(await find(ANALYST, "orders")) == ["orders", "customers"]


async def test_every_word_matches_as_a_prefix(
    records: Records, indexer: Indexer, find: Any
) -> None:
    await records.dataset(name="clickstream", description="Website clicks by session")
    await records.dataset(name="payments", description="Card payments")
    await indexer.drain()
    assert titles(await find(ANALYST, "click")) == ["clickstream"]
    assert titles(await find(ANALYST, "websi sess")) == ["clickstream"]  # not the last alone
    assert titles(await find(ANALYST, "zzzzqx")) == []


async def test_a_misspelt_word_is_corrected_alone_or_among_others(
    records: Records, indexer: Indexer, backend: SearchBackend, find: Any
) -> None:
    await skip_unless_typos_are_corrected(backend)
    await records.dataset(name="clickstream", description="Website clicks by session")
    await records.dataset(name="payments", description="Card payments")
    await indexer.drain()
    assert titles(await find(ANALYST, "paymnets")) == ["payments"]
    assert titles(await find(ANALYST, "sesion websi")) == ["clickstream"]


async def test_highlights_mark_the_match_and_never_carry_markup(
    records: Records, indexer: Indexer, find: Any
) -> None:
    await records.dataset(name="orders", description="Orders <script>alert(1)</script> per day")
    await indexer.drain()
    hit = (await find(ANALYST, "orders")).hits[0]
    assert hit.highlights["title"] == ["<mark>orders</mark>"]
    (fragment,) = hit.highlights["description"]
    assert "<mark>Orders</mark>" in fragment
    assert "<script>" not in fragment


async def test_facets_count_every_match_and_filters_combine(
    records: Records, indexer: Indexer, find: Any
) -> None:
    await records.stack("sales-lake", region="eu-west-1")
    await records.stack(
        "sales-queue", template="queue", region="us-east-1", params={"queue_name": "sales-in"}
    )
    await records.dataset(name="sales", tags=["finance", "daily"], classification="public")
    await records.dataset(name="sales-eu", tags=["finance"], classification="confidential")
    await indexer.drain()

    everything = await find(ADMIN, "sales")
    assert everything.total == 4
    facets = {name: {c.value: c.count for c in cs} for name, cs in everything.facets.items()}
    assert facets["kind"] == {"stack": 2, "dataset": 2}
    assert facets["tags"] == {"finance": 2, "daily": 1}
    assert facets["template"] == {"bucket": 1, "queue": 1}
    assert facets["region"] == {"eu-west-1": 1, "us-east-1": 1}
    assert facets["classification"] == {"public": 1, "confidential": 1}

    filtered = await find(ADMIN, "sales", kind="dataset", tags="daily")
    assert titles(filtered) == ["sales"]
    assert {c.value: c.count for c in filtered.facets["kind"]} == {"dataset": 1}
    assert sorted(titles(await find(ADMIN, "", kind=["stack"], region=["us-east-1"]))) == [
        "sales-queue"
    ]


async def test_facets_and_highlights_not_asked_for_are_left_out_and_nothing_else_changes(
    records: Records, indexer: Indexer, backend: SearchBackend
) -> None:
    await records.stack("sales-lake", region="eu-west-1")
    await records.dataset(name="sales", tags=["finance"], description="Sales per day")
    await indexer.drain()
    asked = SearchQuery(text="sales")
    full = await backend.search(asked, Visibility.of(ADMIN))
    bare = await backend.search(
        asked.model_copy(update={"facets": False, "highlights": False}), Visibility.of(ADMIN)
    )
    assert [hit.document.key for hit in bare.hits] == [hit.document.key for hit in full.hits]
    assert bare.total == full.total == 2
    assert all(not counts for counts in bare.facets.values())
    assert all(not hit.highlights for hit in bare.hits)
    assert full.facets["kind"] and all(hit.highlights for hit in full.hits)


async def test_a_cursor_walks_every_match_once(
    records: Records, indexer: Indexer, backend: SearchBackend
) -> None:
    for number in range(7):
        await records.dataset(name=f"metrics-{number}", description="metrics " * (number + 1))
    await indexer.drain()
    for text in ("metrics", ""):
        seen: list[str] = []
        after = None
        while True:
            query = SearchQuery(text=text, limit=3, after=after)
            page = await backend.search(query, Visibility.of(ADMIN))
            assert page.total == 7
            seen += titles(page)
            if page.next_after is None:
                break
            after = page.next_after
        assert sorted(seen) == sorted(f"metrics-{n}" for n in range(7)), text
        assert len(seen) == 7


async def test_an_older_write_never_replaces_a_newer_one(
    records: Records, indexer: Indexer, backend: SearchBackend, find: Any
) -> None:
    await records.dataset(name="orders", description="first")
    await indexer.drain()
    (hit,) = (await find(ADMIN, "orders")).hits
    newer = hit.document.model_copy(update={"description": "newer", "version": 10**9})
    older = hit.document.model_copy(update={"description": "older", "version": 10**9 - 1})
    await backend.write([newer], [])
    await backend.write([older], [])
    assert (await find(ADMIN, "orders")).hits[0].document.description == "newer"


def test_highlighted_text_is_escaped_html_with_marks_around_the_matches() -> None:
    fragment = f"{MARK_START}Orders{MARK_END} <b>&amp;</b>"
    assert marked_html(fragment) == "<mark>Orders</mark> &lt;b&gt;&amp;amp;&lt;/b&gt;"
