"""Search as the API offers it: what a hit shows as its match."""

from __future__ import annotations

from cdk_service.search import service
from cdk_service.search.indexer import Indexer
from cdk_service.search.port import SearchBackend
from cdk_service.search.schemas import SearchParams
from tests.cdk_service.search.conftest import ANALYST, Records


async def test_a_stack_matched_by_its_parameters_shows_the_parameters_that_matched(
    records: Records, indexer: Indexer, backend: SearchBackend
) -> None:
    await records.stack(
        "landing-zone",
        params={"bucket_name": "sales-raw-data", "retention_days": 30, "tags": {"owner": "alan"}},
        outputs={"BucketArn": "arn:aws:s3:::sales-raw-data"},
    )
    await indexer.drain()

    for words, match in [
        ("sales", ["bucket_name: <mark>sales</mark>-raw-data", "BucketArn: arn:aws:s3:::"]),
        ("alan", ["tags.owner: <mark>alan</mark>"]),
    ]:
        page = await service.search(backend=backend, identity=ANALYST, params=SearchParams(q=words))
        (hit,) = page.hits
        shown = hit.highlights["body"]
        assert len(shown) == len(match), words
        assert all(line.startswith(start) for line, start in zip(shown, match, strict=True))
        assert all("<mark>" in line for line in shown)


async def test_a_dataset_match_is_the_passage_that_matched(
    records: Records, indexer: Indexer, backend: SearchBackend
) -> None:
    await records.dataset(name="orders", topics=["retail"], location="s3://shop-orders/raw/")
    await indexer.drain()

    page = await service.search(backend=backend, identity=ANALYST, params=SearchParams(q="retail"))

    (hit,) = page.hits
    assert any("<mark>retail</mark>" in passage for passage in hit.highlights["body"])
