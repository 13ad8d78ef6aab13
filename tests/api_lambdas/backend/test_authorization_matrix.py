"""Every operation tried by a member of another team and by a non-admin: refused, nothing leaked.

The service decides; this checks that the GraphQL layer passes the caller through and that what
comes back (data or errors) shows nothing of the other team's stack, deployment or dataset.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from tortoise import Tortoise

from api_lambdas.backend.schema import backend_schema
from cdk_service.db.models import DatasetShare
from cdk_service.search.indexer import Indexer
from cdk_service.search.postgres import PostgresSearch
from tests.api_lambdas.backend.conftest import data_of
from tests.api_lambdas.service_fixtures import ADMIN, ANALYST, FINANCE

SECRETS = ("sandbox", "orders", "analytics-orders", "Every order")
REFUSED = {"forbidden", "not_a_member", "stack_not_found", "deployment_not_found"}
REFUSED |= {"dataset_not_found", "template_not_found", "admins_only", "not_team_member"}
REFUSED |= {"share_not_found"}
GRANT_ROLE = "arn:aws:iam::210987654321:role/ingest"


@dataclass(frozen=True)
class Attempt:
    """One operation, who tries it, and what a refusal looks like."""

    field: str
    document: str
    caller: str  # "other_team" or "non_admin"
    empty: Any = None  # the data a refused query shows; None: an error is expected


MUTATIONS = [
    Attempt(
        "requestStack",
        """mutation { requestStack(input: {name: "mine", team: "analytics",
        template: "bucket", params: {bucket_name: "mine-data"}}) { stack { id } } }""",
        "other_team",
    ),
    Attempt(
        "previewStack",
        'mutation { previewStack(id: "$stack") { deployment { id } } }',
        "other_team",
    ),
    Attempt(
        "updateStack",
        'mutation { updateStack(id: "$stack", params: {}) { deployment { id } } }',
        "other_team",
    ),
    Attempt(
        "upgradeStack",
        'mutation { upgradeStack(id: "$stack", version: "1.1.0") { deployment { id } } }',
        "other_team",
    ),
    Attempt(
        "destroyStack",
        'mutation { destroyStack(id: "$stack") { deployment { id } } }',
        "other_team",
    ),
    Attempt(
        "approveDeployment",
        'mutation { approveDeployment(id: "$deployment") { deployment { id } } }',
        "other_team",
    ),
    Attempt(
        "cancelDeployment",
        'mutation { cancelDeployment(id: "$deployment") { deployment { id } } }',
        "other_team",
    ),
    Attempt(
        "registerDataset",
        'mutation { registerDataset(input: {team: "analytics", name: "x"}) { id } }',
        "other_team",
    ),
    Attempt(
        "updateDataset",
        'mutation { updateDataset(id: "$dataset", input: {tags: ["x"]}) { id } }',
        "other_team",
    ),
    Attempt(
        "deleteDataset", 'mutation { deleteDataset(id: "$dataset") { datasetId } }', "other_team"
    ),
    Attempt(
        "publishTemplateVersion",
        'mutation { publishTemplateVersion(name: "bucket", version: "1.0.0") { status } }',
        "non_admin",
    ),
    Attempt(
        "deprecateTemplateVersion",
        'mutation { deprecateTemplateVersion(name: "bucket", version: "1.0.0") { status } }',
        "non_admin",
    ),
    Attempt(
        "retireTemplateVersion",
        'mutation { retireTemplateVersion(name: "bucket", version: "1.0.0") { status } }',
        "non_admin",
    ),
    Attempt(
        "createTeam", 'mutation { createTeam(slug: "rogue", name: "Rogue") { slug } }', "non_admin"
    ),
    Attempt(
        "registerTargetAccount",
        """mutation { registerTargetAccount(input: {account: "111111111111",
        region: "eu-west-1", deployRoleArn: "arn:aws:iam::111111111111:role/d", name: "x"}) {
        account } }""",
        "non_admin",
    ),
    Attempt(
        "grantPrincipal",
        f'mutation {{ grantPrincipal(principalArn: "{GRANT_ROLE}", team: "finance") {{ id }} }}',
        "non_admin",
    ),
    Attempt("revokePrincipal", 'mutation { revokePrincipal(id: "$grant") { id } }', "non_admin"),
    Attempt(
        "requestDatasetShare",
        """mutation { requestDatasetShare(input: {datasetId: "$dataset", team: "analytics",
        principalArn: "arn:aws:iam::210987654321:role/ingest", reason: "x"}) { id } }""",
        "other_team",
    ),
    *[
        Attempt(name, f'mutation {{ {name}(id: "$share") {{ id }} }}', "other_team")
        for name in ("approveDatasetShare", "rejectDatasetShare", "revokeDatasetShare")
    ],
    Attempt(
        "previewDatasetShare",
        'mutation { previewDatasetShare(id: "$share") { deployment { id } } }',
        "other_team",
    ),
]
QUERIES = [
    Attempt("stack", '{ stack(id: "$stack") { name params } }', "other_team", {"stack": None}),
    Attempt(
        "deployment",
        '{ deployment(id: "$deployment") { params } }',
        "other_team",
        {"deployment": None},
    ),
    Attempt(
        "dataset", '{ dataset(id: "$dataset") { name location } }', "other_team", {"dataset": None}
    ),
    Attempt(
        "stacks",
        "{ stacks(first: 50) { edges { node { name } } } }",
        "other_team",
        {"stacks": {"edges": []}},
    ),
    Attempt(
        "deployments",
        "{ deployments(first: 50) { edges { node { id } } } }",
        "other_team",
        {"deployments": {"edges": []}},
    ),
    Attempt(
        "search",
        '{ search(query: "orders") { totalCount } }',
        "other_team",
        {"search": {"totalCount": 0}},
    ),
    Attempt("teams", "{ teams { slug } }", "other_team", {"teams": [{"slug": "finance"}]}),
    Attempt(
        "me",
        "{ me { user teams { slug } } }",
        "other_team",
        {"me": {"user": "grace", "teams": [{"slug": "finance"}]}},
    ),
    Attempt("principalGrants", "{ principalGrants { principalArn } }", "non_admin"),
    Attempt(
        "datasetShare",
        '{ datasetShare(id: "$share") { datasetName reason } }',
        "other_team",
        {"datasetShare": None},
    ),
    *[
        Attempt(
            "datasetShares",
            f'{{ datasetShares(direction: "{direction}") '
            "{ edges { node { datasetName reason } } } }",
            "other_team",
            {"datasetShares": {"edges": []}},
        )
        for direction in ("incoming", "outgoing")
    ],
    Attempt("templateBundles", "{ templateBundles { digest } }", "non_admin"),
]
# Queries every signed-in caller may make: the catalog and where stacks can go.
OPEN_TO_ALL = {"templates", "template", "templateVersion", "targetAccounts"}


@pytest.fixture
async def owned(ask) -> dict[str, str]:
    """An analytics stack (with its deployment) and a confidential dataset; a grant."""
    request = """mutation { requestStack(input: {name: "sandbox", team: "analytics",
        template: "bucket", version: "1.0.0", params: {bucket_name: "sandbox-data"}}) {
        stack { id } deployment { id } } }"""
    await Tortoise.get_connection("default").execute_script(
        "DELETE FROM search_outbox; DELETE FROM search_documents; DELETE FROM search_terms"
    )
    accepted = data_of(*await ask(ANALYST, request))["requestStack"]
    register = """mutation { registerDataset(input: {team: "analytics", name: "orders",
        description: "Every order", location: "s3://analytics-orders/data/",
        classification: "confidential"}) { id } }"""
    dataset = data_of(*await ask(ANALYST, register))["registerDataset"]
    grant = (
        f'mutation {{ grantPrincipal(principalArn: "{GRANT_ROLE}", team: "analytics") {{ id }} }}'
    )
    granted = data_of(*await ask(ADMIN, grant))["grantPrincipal"]
    await Indexer(backend=PostgresSearch()).drain_once()
    share = await DatasetShare.create(  # a share between analytics and a third team
        dataset_id=dataset["id"],
        owner_team="analytics",
        requester_team="marketing",
        principal_arn=GRANT_ROLE,
        reason="Every order, for the campaign",
        requested_by="mia",
    )
    return {
        "stack": accepted["stack"]["id"],
        "deployment": accepted["deployment"]["id"],
        "dataset": dataset["id"],
        "grant": granted["id"],
        "share": str(share.id),
    }


def test_the_matrix_covers_every_operation() -> None:
    schema = backend_schema()
    assert schema.mutation_type is not None
    assert {a.field for a in MUTATIONS} == set(schema.mutation_type.fields)
    assert {a.field for a in QUERIES} | OPEN_TO_ALL == set(schema.query_type.fields)


async def test_the_owner_sees_what_others_cannot(ask, owned) -> None:
    for attempt in QUERIES[:6]:
        document = attempt.document
        for name, value in owned.items():
            document = document.replace(f"${name}", value)
        data = data_of(*await ask(ANALYST, document))
        assert data != attempt.empty, attempt.field
        assert any(secret in json.dumps(data) for secret in SECRETS) or attempt.field in {
            "deployment",
            "deployments",
            "search",
        }


@pytest.mark.parametrize("attempt", MUTATIONS + QUERIES, ids=lambda a: f"{a.caller}-{a.field}")
async def test_refused_and_nothing_leaked(ask, owned, attempt: Attempt) -> None:
    document = attempt.document
    for name, value in owned.items():
        document = document.replace(f"${name}", value)
    caller = FINANCE if attempt.caller == "other_team" else ANALYST

    status, body = await ask(caller, document)

    text = json.dumps(body)
    assert not any(secret in text for secret in SECRETS), text
    assert "Traceback" not in text
    if attempt.empty is not None:
        assert status == 200 and body == {"data": attempt.empty}
        return
    assert body["data"] is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] in REFUSED, error
    assert error["message"]
