"""The Metadata API as pipelines use it: granted principals describe their teams' datasets."""

from __future__ import annotations

import json
import os
from pathlib import Path

from api_lambdas.metadata.schema import metadata_schema, schema_sdl
from tests.api_lambdas.backend.conftest import data_of, error_of
from tests.api_lambdas.metadata.conftest import (
    BILLING_ROLE,
    INGEST_ROLE,
    INGEST_SESSION,
    STRANGER_ROLE,
)

SNAPSHOT = Path(__file__).parent / "snapshots" / "metadata.graphql"
DESCRIBE = """
mutation($id: ID!, $input: DatasetMetadataInput!) {
  updateDatasetMetadata(id: $id, input: $input) {
    revision updatedBy description classification tags columns { name type pii }
  }
}"""
COLUMNS = [
    {"name": "order_id", "type": "string"},
    {"name": "email", "type": "string", "pii": True},
]


async def test_a_session_of_a_granted_role_describes_its_teams_dataset(
    ask, datasets_of_two_teams
) -> None:
    me = data_of(*await ask(INGEST_SESSION, "{ principal { principalArn teams } }"))
    assert me["principal"] == {"principalArn": INGEST_ROLE, "teams": ["analytics"]}

    found = data_of(
        *await ask(INGEST_SESSION, '{ datasets(name: "orders") { edges { node { id name } } } }')
    )
    [edge] = found["datasets"]["edges"]
    assert edge["node"] == {"id": datasets_of_two_teams["orders"], "name": "orders"}

    changes = {
        "description": "Orders from the shop",
        "columns": COLUMNS,
        "tags": ["sales"],
        "classification": "restricted",
        "revision": 1,
    }
    described = data_of(
        *await ask(INGEST_SESSION, DESCRIBE, {"id": edge["node"]["id"], "input": changes})
    )
    dataset = described["updateDatasetMetadata"]
    assert dataset["revision"] == 2 and dataset["updatedBy"] == INGEST_ROLE
    assert dataset["columns"][1] == {"name": "email", "type": "string", "pii": True}
    assert (dataset["tags"], dataset["classification"]) == (["sales"], "restricted")


async def test_a_principal_may_not_describe_another_teams_dataset(
    ask, datasets_of_two_teams
) -> None:
    invoices = datasets_of_two_teams["invoices"]
    read = data_of(
        *await ask(
            INGEST_ROLE,
            "query($id: ID!) { dataset(id: $id) { name location access } }",
            {"id": invoices},
        )
    )
    assert read["dataset"] == {"name": "invoices", "location": None, "access": "metadata"}

    _, body = await ask(INGEST_ROLE, DESCRIBE, {"id": invoices, "input": {"tags": ["mine"]}})
    assert error_of(body)["extensions"]["code"] == "not_a_member"
    orders = datasets_of_two_teams["orders"]
    _, body = await ask(BILLING_ROLE, DESCRIBE, {"id": orders, "input": {"tags": ["mine"]}})
    assert error_of(body)["extensions"]["code"] == "dataset_not_found"
    assert "analytics-orders" not in json.dumps(body)


async def test_a_principal_without_a_grant_is_refused(ask, datasets_of_two_teams) -> None:
    status, body = await ask(STRANGER_ROLE, "{ principal { teams } }")
    assert status == 403
    assert error_of(body)["extensions"]["code"] == "principal_not_granted"


async def test_a_request_without_an_iam_caller_is_refused(ask) -> None:
    for arn in (None, "anonymous", "arn:aws:iam::210987654321:group/everyone"):
        status, body = await ask(arn, "{ principal { teams } }")
        assert status == 401, arn
        assert error_of(body)["extensions"]["code"] == "unauthenticated"


def test_principals_can_only_read_and_describe_datasets() -> None:
    schema = metadata_schema()
    assert schema.mutation_type is not None
    assert set(schema.mutation_type.fields) == {"updateDatasetMetadata"}
    assert set(schema.query_type.fields) == {"principal", "datasets", "dataset"}


def test_the_schema_matches_its_reviewed_snapshot() -> None:
    current = schema_sdl()
    if os.environ.get("DATAHUB_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(current)
    assert current == SNAPSHOT.read_text(), (
        "The Metadata GraphQL schema changed. Review the change, then update the snapshot: "
        "DATAHUB_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/api_lambdas/metadata "
        "and commit tests/api_lambdas/metadata/snapshots/metadata.graphql with it."
    )
