"""A team's whole flow over HTTP through the local gateway, with real Cognito tokens.

Browse the catalog, request a stack, watch its deployment run (a worker's steps are played
through the service's own functions), preview a change and approve it, find the stack by
search, destroy it. Every call goes gateway → Authorizer → Backend Lambda → service.
"""

from __future__ import annotations

from uuid import UUID

from cdk_service.db.models import DeploymentStatus
from cdk_service.search.indexer import Indexer
from cdk_service.search.postgres import PostgresSearch
from tests.api_lambdas.backend.conftest import data_of
from tests.api_lambdas.service_fixtures import ANALYST, FINANCE, lambda_environment, service
from tests.cdk_service.stacks.conftest import preview_and_hold, run_to_end
from tests.datahubctl.gateway.over_http import ask, http, signed_in

__all__ = ["ask", "http", "lambda_environment", "service", "signed_in"]
CATALOG = """{ templates(first: 10) { edges { node { name latestVersion { version
    requiresApproval paramsSchema } } } } }"""
REQUEST = """mutation($input: RequestStackInput!) { requestStack(input: $input) {
    stack { id status } deployment { id kind status } } }"""
WATCH = """query($id: ID!) { deployment(id: $id) { status kind preview
    stack { id status activeDeployment { id } } } }"""
PREVIEW = """mutation($id: ID!, $params: JSON) { previewStack(id: $id, params: $params) {
    deployment { id gate status } } }"""
APPROVE = "mutation($id: ID!) { approveDeployment(id: $id) { deployment { id status } } }"
SEARCH = """query($q: String!) { search(query: $q) { totalCount
    edges { node { kind id title team } } } }"""
DESTROY = "mutation($id: ID!) { destroyStack(id: $id) { deployment { id kind status } } }"


async def test_a_team_requests_deploys_changes_finds_and_destroys_a_stack(ask) -> None:
    catalog = data_of(*await ask(ANALYST, CATALOG))["templates"]["edges"]
    bucket = next(e["node"] for e in catalog if e["node"]["name"] == "bucket")
    assert "bucket_name" in bucket["latestVersion"]["paramsSchema"]["properties"]

    order = {"name": "sandbox", "team": "analytics", "template": "bucket", "version": "1.0.0"}
    order["params"] = {"bucket_name": "sandbox-data"}
    accepted = data_of(*await ask(ANALYST, REQUEST, {"input": order}))["requestStack"]
    stack_id, create = accepted["stack"]["id"], accepted["deployment"]
    assert (create["kind"], create["status"]) == ("create", "queued")

    await run_to_end(UUID(create["id"]), outputs={"BucketName": "sandbox-data"})
    watched = data_of(*await ask(ANALYST, WATCH, {"id": create["id"]}))["deployment"]
    assert watched["status"] == "succeeded"
    assert watched["stack"] == {"id": stack_id, "status": "active", "activeDeployment": None}

    change = {"id": stack_id, "params": {"bucket_name": "sandbox-data", "retention_days": 90}}
    previewed = data_of(*await ask(ANALYST, PREVIEW, change))["previewStack"]["deployment"]
    assert previewed["gate"] == "preview"
    held = await preview_and_hold(UUID(previewed["id"]))
    watched = data_of(*await ask(ANALYST, WATCH, {"id": previewed["id"]}))["deployment"]
    assert watched["status"] == held.value and watched["preview"]["changes"] == []
    assert held is DeploymentStatus.AWAITING_EXECUTION
    approved = data_of(*await ask(ANALYST, APPROVE, {"id": previewed["id"]}))
    assert approved["approveDeployment"]["deployment"]["status"] == "queued"
    await run_to_end(UUID(previewed["id"]))

    await Indexer(backend=PostgresSearch()).drain()
    found = data_of(*await ask(ANALYST, SEARCH, {"q": "sandbox"}))["search"]
    assert {"kind": "stack", "id": stack_id, "title": "sandbox", "team": "analytics"} in [
        e["node"] for e in found["edges"]
    ]
    assert data_of(*await ask(FINANCE, SEARCH, {"q": "sandbox"}))["search"]["totalCount"] == 0

    destroy = data_of(*await ask(ANALYST, DESTROY, {"id": stack_id}))["destroyStack"]
    assert (destroy["deployment"]["kind"], destroy["deployment"]["status"]) == ("destroy", "queued")
    await run_to_end(UUID(destroy["deployment"]["id"]))
    gone = data_of(*await ask(ANALYST, WATCH, {"id": destroy["deployment"]["id"]}))["deployment"]
    assert gone["status"] == "succeeded" and gone["stack"]["status"] == "destroyed"
