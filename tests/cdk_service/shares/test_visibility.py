"""A granted dataset: "shared with you" in the grantee's search, its location shown to it."""

from __future__ import annotations

from cdk_service.datasets import service as datasets
from cdk_service.search import service as search
from cdk_service.search.indexer import Indexer
from cdk_service.search.postgres import PostgresSearch
from cdk_service.search.schemas import SearchParams
from tests.cdk_service.shares.conftest import OUTSIDER, REQUESTER, Sharing


async def hit_of(identity, name: str) -> dict:  # type: ignore[no-untyped-def]
    page = await search.search(
        backend=PostgresSearch(), identity=identity, params=SearchParams(q=name)
    )
    [hit] = [h for h in page.hits if h.kind == "dataset" and h.title == name]
    return dict(hit.attributes)


async def test_a_grant_shows_the_grantee_where_the_data_lives_and_no_one_else(
    sharing: Sharing,
) -> None:
    dataset = await sharing.dataset()
    await Indexer(backend=PostgresSearch()).drain()
    before = await datasets.get(identity=REQUESTER, dataset_id=dataset.id)
    assert (before.access, before.location) == ("metadata", None)
    assert "shared_with_you" not in await hit_of(REQUESTER, "orders")

    share = await sharing.request(dataset)
    await sharing.approve(share.id)
    await sharing.deploy_last()

    after = await datasets.get(identity=REQUESTER, dataset_id=dataset.id)
    assert (after.access, after.location) == ("shared", "s3://b-orders/data/")
    found = await hit_of(REQUESTER, "orders")
    assert found["shared_with_you"] is True and found["location"] == "s3://b-orders/data/"
    outsider = await datasets.get(identity=OUTSIDER, dataset_id=dataset.id)
    assert (outsider.access, outsider.location) == ("metadata", None)
    assert "location" not in await hit_of(OUTSIDER, "orders")

    await sharing.revoke(share.id)
    await sharing.deploy_last()
    revoked = await datasets.get(identity=REQUESTER, dataset_id=dataset.id)
    assert (revoked.access, revoked.location) == ("metadata", None)
