"""Dataset shares through the Backend handler: both teams see a share, others nothing."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise

from cdk_service.db.models import Dataset, DatasetShare
from cdk_service.search.indexer import Indexer
from cdk_service.search.postgres import PostgresSearch
from service_contract.identity import Identity
from tests.api_lambdas.backend.conftest import data_of, error_of
from tests.api_lambdas.service_fixtures import ANALYST, FINANCE

OUTSIDER = Identity(user="carl", groups=frozenset({"marketing"}))
READER = "arn:aws:iam::123456789012:role/finance-reader"
SHARES = """
query($direction: String, $status: String) {
  datasetShares(direction: $direction, status: $status, first: 10) {
    edges { cursor node { id datasetName ownerTeam requesterTeam status } }
    pageInfo { hasNextPage }
  }
}"""
SHARE = """
query($id: ID!) { datasetShare(id: $id) { id status decidedBy history { action actor } } }"""
REQUEST = """
mutation($input: DatasetShareInput!) { requestDatasetShare(input: $input) { id status } }"""
DECISIONS = {
    name: f'mutation($id: ID!) {{ {name}(id: $id, note: "n") {{ id status }} }}'
    for name in ("approveDatasetShare", "rejectDatasetShare", "revokeDatasetShare")
}
PREVIEW = "mutation($id: ID!) { previewDatasetShare(id: $id) { deployment { id } } }"


async def orders() -> Dataset:
    return await Dataset.create(
        team="analytics", name="orders", classification="internal", created_by="a", updated_by="a"
    )


async def a_request(dataset: Dataset) -> DatasetShare:
    """A request as the service records it, made directly: the test service has no dataset
    template to deploy a dataset stack from (tests/cdk_service/shares covers that)."""
    return await DatasetShare.create(
        dataset=dataset,
        owner_team="analytics",
        requester_team="finance",
        principal_arn=READER,
        reason="month end",
        requested_by=FINANCE.user,
    )


async def test_both_teams_list_the_request_and_an_outsider_sees_nothing(ask: Any) -> None:
    share = await a_request(await orders())

    incoming = data_of(*await ask(ANALYST, SHARES, {"direction": "incoming"}))
    outgoing = data_of(*await ask(FINANCE, SHARES, {"direction": "outgoing"}))

    for page in (incoming, outgoing):
        nodes = [e["node"] for e in page["datasetShares"]["edges"]]
        assert [(n["id"], n["datasetName"], n["status"]) for n in nodes] == [
            (str(share.id), "orders", "requested")
        ]
    for direction in ("incoming", "outgoing"):
        page = data_of(*await ask(OUTSIDER, SHARES, {"direction": direction}))
        assert page["datasetShares"]["edges"] == []
    assert data_of(*await ask(OUTSIDER, SHARE, {"id": str(share.id)}))["datasetShare"] is None


async def test_an_outsider_can_do_nothing_to_a_share(ask: Any) -> None:
    share = await a_request(await orders())

    for mutation in [*DECISIONS.values(), PREVIEW]:
        _, body = await ask(OUTSIDER, mutation, {"id": str(share.id)})
        assert error_of(body)["extensions"]["code"] == "share_not_found", body

    await share.refresh_from_db()
    assert share.status == "requested" and share.owner_approved_by is None


async def test_the_owner_rejects_and_both_read_the_history(ask: Any) -> None:
    share = await a_request(await orders())
    refused = await ask(FINANCE, DECISIONS["approveDatasetShare"], {"id": str(share.id)})
    assert error_of(refused[1])["extensions"]["code"] == "not_share_owner"

    rejected = data_of(*await ask(ANALYST, DECISIONS["rejectDatasetShare"], {"id": str(share.id)}))

    assert rejected["rejectDatasetShare"]["status"] == "rejected"
    read = data_of(*await ask(FINANCE, SHARE, {"id": str(share.id)}))["datasetShare"]
    assert read["decidedBy"] == ANALYST.user
    assert read["history"] == [{"action": "share.rejected", "actor": ANALYST.user}]


async def test_a_dataset_without_a_stack_is_refused_with_a_stable_code(ask: Any) -> None:
    dataset = await orders()
    order = {"datasetId": str(dataset.id), "team": "finance", "principalArn": READER}

    _, body = await ask(FINANCE, REQUEST, {"input": order | {"reason": "month end"}})

    assert error_of(body)["extensions"]["code"] == "dataset_not_shareable"
    assert await DatasetShare.all().count() == 0


SEARCH = """
query($q: String!) {
  search(query: $q, filters: [{name: "kind", values: ["dataset"]}]) {
    edges { node { title sharedWithYou location } }
  }
}"""


async def test_search_marks_a_granted_dataset_shared_with_the_grantee_only(ask: Any) -> None:
    dataset = await orders()
    await Dataset.filter(id=dataset.id).update(location="s3://analytics-orders/data/")
    share = await a_request(dataset)
    await DatasetShare.filter(id=share.id).update(status="granted")
    await Tortoise.get_connection("default").execute_script(
        "DELETE FROM search_documents; DELETE FROM search_terms"
    )
    await Indexer(backend=PostgresSearch()).drain()

    grantee = data_of(*await ask(FINANCE, SEARCH, {"q": "orders"}))["search"]["edges"]
    outsider = data_of(*await ask(OUTSIDER, SEARCH, {"q": "orders"}))["search"]["edges"]

    assert [e["node"] for e in grantee] == [
        {"title": "orders", "sharedWithYou": True, "location": "s3://analytics-orders/data/"}
    ]
    assert [e["node"] for e in outsider] == [
        {"title": "orders", "sharedWithYou": False, "location": None}
    ]
