"""No result leaks across teams: each caller sees exactly what the visibility rule allows."""

from __future__ import annotations

from typing import Any

from cdk_service.datasets import service as datasets
from cdk_service.datasets.schemas import DatasetUpdate
from cdk_service.db.models import VersionStatus
from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchBackend, SearchQuery, Visibility
from service_contract.identity import Identity
from tests.cdk_service.search.conftest import ADMIN, ANALYST, FINANCE, Records, titles
from tests.conftest import Factories

BOTH = Identity(user="bo", groups=frozenset({"analytics", "finance"}))
NOBODY = Identity(user="nina", groups=frozenset())


async def _estate(records: Records, factories: Factories) -> None:
    """Each team: a stack and one dataset per classification; a published and a draft template."""
    for team, identity in (("analytics", ANALYST), ("finance", FINANCE)):
        await records.stack(f"{team}-lake", team=team)
        for classification in ("public", "internal", "confidential", "restricted"):
            await records.dataset(
                identity, name=f"{team}-{classification}", classification=classification
            )
    await factories.template_version("queue", "0.1.0", status=VersionStatus.DRAFT)
    await records.version("bucket", "1.0.0")  # published


EXPECTED = {
    "analytics": {
        "analytics-lake", "analytics-public", "analytics-internal", "analytics-confidential",
        "analytics-restricted", "finance-public", "finance-internal", "Bucket",
    },
    "finance": {
        "finance-lake", "finance-public", "finance-internal", "finance-confidential",
        "finance-restricted", "analytics-public", "analytics-internal", "Bucket",
    },
    "none": {"analytics-public", "analytics-internal", "finance-public", "finance-internal",
             "Bucket"},
}  # fmt: skip


async def test_each_caller_sees_exactly_what_the_rule_allows(
    records: Records, factories: Factories, indexer: Indexer, find: Any
) -> None:
    await _estate(records, factories)
    await indexer.drain()
    everything = set(titles(await find(ADMIN)))
    assert everything == EXPECTED["analytics"] | EXPECTED["finance"] | {"Queue"}
    assert set(titles(await find(ANALYST))) == EXPECTED["analytics"]
    assert set(titles(await find(FINANCE))) == EXPECTED["finance"]
    assert set(titles(await find(NOBODY))) == EXPECTED["none"]
    assert set(titles(await find(BOTH))) == EXPECTED["analytics"] | EXPECTED["finance"]


async def test_facet_counts_and_totals_leak_nothing(
    records: Records, factories: Factories, indexer: Indexer, find: Any
) -> None:
    await _estate(records, factories)
    await indexer.drain()
    results = await find(ANALYST, "", team="finance")
    assert results.total == 2
    assert {c.value: c.count for c in results.facets["classification"]} == {
        "public": 1,
        "internal": 1,
    }
    assert await find(ANALYST, "lake", team="finance") == await find(NOBODY, "lake")


async def test_the_backend_filter_agrees_with_the_rule_for_every_document(
    records: Records, factories: Factories, indexer: Indexer, backend: SearchBackend
) -> None:
    await _estate(records, factories)
    await indexer.drain()
    every = (await backend.search(SearchQuery(limit=100), Visibility.of(ADMIN))).hits
    for identity in (ANALYST, FINANCE, NOBODY, BOTH):
        visibility = Visibility.of(identity)
        shown = await backend.search(SearchQuery(limit=100), visibility)
        allowed = {hit.document.key for hit in every if visibility.allows(hit.document)}
        assert {hit.document.key for hit in shown.hits} == allowed


async def test_a_document_whose_visibility_changes_is_found_by_whom_it_now_allows(
    records: Records, indexer: Indexer, find: Any
) -> None:
    secret = await records.dataset(ANALYST, name="ledger", classification="confidential")
    await indexer.drain()
    assert titles(await find(FINANCE, "ledger")) == []
    opened = DatasetUpdate(classification="public")
    await datasets.update(identity=ANALYST, dataset_id=secret.id, update=opened)
    await indexer.drain()
    assert titles(await find(FINANCE, "ledger")) == ["ledger"]
    closed = DatasetUpdate(classification="restricted")
    await datasets.update(identity=ANALYST, dataset_id=secret.id, update=closed)
    await indexer.drain()
    assert titles(await find(FINANCE, "ledger")) == []
    assert titles(await find(ANALYST, "ledger")) == ["ledger"]
