"""Datasets and search through the Backend handler: register, edit, history, find with facets."""

from __future__ import annotations

from tortoise import Tortoise

from cdk_service.search.indexer import Indexer
from cdk_service.search.postgres import PostgresSearch
from tests.api_lambdas.backend.conftest import data_of, error_of
from tests.api_lambdas.service_fixtures import ANALYST, FINANCE

REGISTER = """
mutation($input: RegisterDatasetInput!) {
  registerDataset(input: $input) { id name team revision classification columns { name pii } }
}"""
UPDATE = """
mutation($id: ID!, $input: DatasetChangesInput!) {
  updateDataset(id: $id, input: $input) { revision tags }
}"""
DATASET = """
query($id: ID!) {
  dataset(id: $id) {
    name tags access location
    history(first: 10) { edges { node { revision action changedBy changes } } totalCount }
  }
}"""
ORDERS = {
    "team": "analytics",
    "name": "orders",
    "description": "Every order placed in the web shop",
    "location": "s3://analytics-orders/data/",
    "format": "parquet",
    "columns": [
        {"name": "order_id", "type": "string"},
        {"name": "email", "type": "string", "pii": True},
    ],
    "tags": ["sales"],
    "classification": "confidential",
}


async def register(ask) -> dict:
    return data_of(*await ask(ANALYST, REGISTER, {"input": ORDERS}))["registerDataset"]


async def test_a_team_registers_edits_and_reads_the_history_of_a_dataset(ask) -> None:
    dataset = await register(ask)
    assert dataset["revision"] == 1 and dataset["columns"][1] == {"name": "email", "pii": True}

    changes = {"tags": ["sales", "gold"], "revision": 1}
    updated = data_of(*await ask(ANALYST, UPDATE, {"id": dataset["id"], "input": changes}))
    assert updated["updateDataset"] == {"revision": 2, "tags": ["sales", "gold"]}

    read = data_of(*await ask(ANALYST, DATASET, {"id": dataset["id"]}))["dataset"]
    assert read["access"] == "owner" and read["location"] == ORDERS["location"]
    history = read["history"]
    assert history["totalCount"] == 2
    assert [e["node"]["action"] for e in history["edges"]] == ["updated", "created"]
    assert history["edges"][0]["node"]["changes"]["tags"] == {
        "before": ["sales"],
        "after": ["sales", "gold"],
    }

    stale = {"description": "late", "revision": 1}
    _, body = await ask(ANALYST, UPDATE, {"id": dataset["id"], "input": stale})
    assert error_of(body)["extensions"]["code"] == "stale_revision"


async def test_a_null_clears_the_location_and_leaves_out_what_may_not_be_missing(ask) -> None:
    dataset = await register(ask)
    changes = {"location": None, "format": None, "description": None, "tags": None}

    data_of(*await ask(ANALYST, UPDATE, {"id": dataset["id"], "input": changes}))

    read = data_of(*await ask(ANALYST, DATASET, {"id": dataset["id"]}))["dataset"]
    assert read["location"] is None and read["tags"] == ["sales"]
    [cleared, _] = [e["node"] for e in read["history"]["edges"]]
    assert cleared["changes"]["location"] == {"before": ORDERS["location"], "after": None}
    assert set(cleared["changes"]) == {"location", "format"}


async def test_another_team_neither_sees_nor_edits_a_confidential_dataset(ask) -> None:
    dataset = await register(ask)
    read = data_of(*await ask(FINANCE, DATASET, {"id": dataset["id"]}))
    assert read["dataset"] is None
    _, body = await ask(FINANCE, UPDATE, {"id": dataset["id"], "input": {"tags": ["mine"]}})
    error = error_of(body)
    assert error["extensions"]["code"] == "dataset_not_found"
    assert "orders" not in error["message"]


async def test_another_team_reads_an_internal_dataset_without_its_location_or_history(ask) -> None:
    internal = {**ORDERS, "classification": "internal"}
    dataset = data_of(*await ask(ANALYST, REGISTER, {"input": internal}))["registerDataset"]

    read = data_of(*await ask(FINANCE, DATASET, {"id": dataset["id"]}))["dataset"]

    assert (read["name"], read["access"]) == ("orders", "metadata")
    assert read["location"] is None and read["history"] is None


async def test_search_finds_the_dataset_with_facets(ask) -> None:
    await Tortoise.get_connection("default").execute_script(
        "DELETE FROM search_outbox; DELETE FROM search_documents; DELETE FROM search_terms"
    )
    dataset = await register(ask)
    await Indexer(backend=PostgresSearch()).drain_once()
    search = """query($filters: [FacetFilter!]) {
      search(query: "order", filters: $filters, first: 5) {
        totalCount edges { cursor node { kind id title team highlight } }
        facets { name values { value count } } pageInfo { hasNextPage endCursor }
      }
    }"""
    filters = [{"name": "kind", "values": ["dataset"]}]
    found = data_of(*await ask(ANALYST, search, {"filters": filters}))["search"]
    [edge] = found["edges"]
    assert (edge["node"]["kind"], edge["node"]["id"]) == ("dataset", dataset["id"])
    assert "<mark>" in (edge["node"]["highlight"] or "")
    kinds = {f["name"]: f["values"] for f in found["facets"]}["kind"]
    assert {"value": "dataset", "count": 1} in kinds
    assert found["pageInfo"] == {"hasNextPage": False, "endCursor": None}

    hidden = data_of(*await ask(FINANCE, search, {"filters": filters}))["search"]
    assert hidden["totalCount"] == 0 and hidden["edges"] == []

    bad = [{"name": "owner", "values": ["x"]}]
    _, body = await ask(ANALYST, search, {"filters": bad})
    assert error_of(body)["extensions"] == {"code": "invalid_facet", "field": "filters"}
