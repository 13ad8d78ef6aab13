"""Stacks and deployments over HTTP: status codes, error codes, headers and the document."""

from __future__ import annotations

import uuid

import pytest

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.catalog import service as catalog
from cdk_service.catalog.schemas import Constraints
from cdk_service.db.models import DeploymentStatus
from cdk_service.deployments import work
from tests.cdk_service.api.conftest import ADMIN, ANALYST, error_of
from tests.cdk_service.stacks.conftest import (
    OTHER_TEAM,
    RecordingDispatcher,
    preview_and_hold,
    run_to_end,
)

ORDER = {
    "name": "sandbox",
    "team": "analytics",
    "template": "bucket",
    "version": "1.0.0",
    "params": {"bucket_name": "sandbox-data"},
}


@pytest.fixture
def dispatcher() -> RecordingDispatcher:
    return RecordingDispatcher()


@pytest.fixture
async def client(aiohttp_client, db, test_registry, settings, synthesizer, dispatcher):
    """The API conftest's app, with the recording dispatcher and every version published."""
    await catalog.sync_registry(registry=test_registry)
    for name, version in (("bucket", "1.0.0"), ("bucket", "1.1.0"), ("queue", "0.1.0")):
        await catalog.publish(
            registry=test_registry,
            identity=ADMIN,
            name=name,
            version=version,
            constraints=Constraints(requires_approval=name == "queue"),
        )
    services = Services(
        settings=settings, registry=test_registry, synthesizer=synthesizer, dispatcher=dispatcher
    )
    return await aiohttp_client(create_app(services))


async def test_a_request_is_accepted_queued_and_readable(as_user, dispatcher) -> None:
    status, body = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)

    assert status == 202, body
    stack_id, deployment_id = body["stack"]["id"], body["deployment"]["id"]
    assert body["deployment"]["status"] == "queued" and body["replayed"] is False
    assert dispatcher.enqueued == [uuid.UUID(deployment_id)]

    status, stack = await as_user(ANALYST)("GET", f"/v1/stacks/{stack_id}")
    assert status == 200 and stack["active_deployment_id"] == deployment_id
    status, deployment = await as_user(ANALYST)("GET", f"/v1/deployments/{deployment_id}")
    assert status == 200 and deployment["kind"] == "create" and deployment["step"] == "requested"


async def test_an_idempotency_key_replays_and_a_reused_one_conflicts(as_user) -> None:
    call = as_user(ANALYST)
    headers = {"Idempotency-Key": "k-1"}
    _, first = await call("POST", "/v1/stacks", ORDER, headers=dict(headers))
    status, again = await call("POST", "/v1/stacks", ORDER, headers=dict(headers))
    assert status == 202 and again["replayed"] is True
    assert again["deployment"]["id"] == first["deployment"]["id"]

    changed = {**ORDER, "name": "other"}
    status, body = await call("POST", "/v1/stacks", changed, headers=dict(headers))
    assert status == 409 and error_of(body)["code"] == "idempotency_key_reused"


async def test_a_second_change_gets_409_naming_the_active_deployment(as_user) -> None:
    call = as_user(ANALYST)
    _, created = await call("POST", "/v1/stacks", ORDER)
    stack_id = created["stack"]["id"]

    status, body = await call("POST", f"/v1/stacks/{stack_id}/deployments", {"kind": "update"})
    error = error_of(body)
    assert status == 409 and error["code"] == "deployment_in_progress"
    assert error["details"] == {"deployment_id": created["deployment"]["id"]}

    status, body = await call("DELETE", f"/v1/stacks/{stack_id}")
    assert status == 409 and error_of(body)["code"] == "deployment_in_progress"


async def test_update_upgrade_and_destroy(as_user) -> None:
    call = as_user(ANALYST)
    _, created = await call("POST", "/v1/stacks", ORDER)
    stack_id = created["stack"]["id"]
    await run_to_end(uuid.UUID(created["deployment"]["id"]))

    path = f"/v1/stacks/{stack_id}/deployments"
    status, update = await call("POST", path, {"kind": "update", "params": {"retention_days": 7}})
    assert status == 202 and update["deployment"]["params"]["retention_days"] == 7
    await run_to_end(uuid.UUID(update["deployment"]["id"]))

    status, upgrade = await call("POST", path, {"kind": "upgrade", "version": "1.1.0"})
    assert status == 202 and upgrade["deployment"]["version"] == "1.1.0"
    await run_to_end(uuid.UUID(upgrade["deployment"]["id"]))

    status, destroy = await call("DELETE", f"/v1/stacks/{stack_id}?force=true")
    assert status == 202 and destroy["deployment"]["kind"] == "destroy"
    assert destroy["deployment"]["force"] is True


async def test_a_change_body_is_checked(as_user) -> None:
    call = as_user(ANALYST)
    _, created = await call("POST", "/v1/stacks", ORDER)
    path = f"/v1/stacks/{created['stack']['id']}/deployments"

    status, body = await call("POST", path, {"kind": "upgrade"})
    assert status == 400 and error_of(body)["code"] == "invalid_request"
    status, body = await call("POST", path, {"kind": "destroy"})
    assert status == 400 and error_of(body)["field"] == "kind"


async def test_approval_is_for_admins(as_user, dispatcher) -> None:
    order = {**ORDER, "template": "queue", "version": "0.1.0", "params": {"queue_name": "jobs"}}
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", order)
    deployment_id = created["deployment"]["id"]
    assert (created["deployment"]["status"], created["deployment"]["gate"]) == (
        "queued",
        "approval",
    )
    assert created["stack"]["status"] == "pending_approval"
    assert await preview_and_hold(uuid.UUID(deployment_id)) is DeploymentStatus.PENDING_APPROVAL

    status, body = await as_user(ANALYST)("POST", f"/v1/deployments/{deployment_id}/approve")
    assert status == 403 and error_of(body)["code"] == "forbidden"

    status, body = await as_user(ADMIN)("POST", f"/v1/deployments/{deployment_id}/approve")
    assert status == 200 and body["status"] == "queued" and body["approved_by"] == "ada"
    assert dispatcher.enqueued == [uuid.UUID(deployment_id)] * 2


async def test_cancel_then_cancel_again(as_user) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    path = f"/v1/deployments/{created['deployment']['id']}/cancel"

    status, body = await as_user(ANALYST)("POST", path)
    assert status == 200 and body["status"] == "cancelled"
    status, body = await as_user(ANALYST)("POST", path)
    assert status == 409 and error_of(body)["code"] == "not_cancellable"


async def test_another_team_gets_404_everywhere(as_user) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    stack_id, deployment_id = created["stack"]["id"], created["deployment"]["id"]
    other = as_user(OTHER_TEAM)

    for method, path in (
        ("GET", f"/v1/stacks/{stack_id}"),
        ("DELETE", f"/v1/stacks/{stack_id}"),
        ("GET", f"/v1/deployments/{deployment_id}"),
        ("GET", f"/v1/deployments/{deployment_id}/events"),
        ("POST", f"/v1/deployments/{deployment_id}/cancel"),
    ):
        status, body = await other(method, path)
        assert status == 404, (method, path)
        assert error_of(body)["code"] in {"stack_not_found", "deployment_not_found"}

    status, body = await other("GET", "/v1/stacks")
    assert status == 200 and body["stacks"] == []


async def test_listing_pages_with_a_cursor_and_checks_the_query(as_user) -> None:
    call = as_user(ANALYST)
    for name in ("one", "two", "three"):
        await call("POST", "/v1/stacks", {**ORDER, "name": name})

    status, first = await call("GET", "/v1/stacks?limit=2&team=analytics")
    assert status == 200 and len(first["stacks"]) == 2 and first["next_cursor"]
    status, second = await call("GET", f"/v1/stacks?limit=2&cursor={first['next_cursor']}")
    assert status == 200 and len(second["stacks"]) == 1 and second["next_cursor"] is None
    seen = {s["name"] for s in first["stacks"] + second["stacks"]}
    assert seen == {"one", "two", "three"}

    assert first["total"] is None and second["total"] is None  # counted only when asked
    status, counted = await call(
        "GET", f"/v1/stacks?limit=2&cursor={first['next_cursor']}&with_total=true"
    )
    assert status == 200 and counted["total"] == 3 and len(counted["stacks"]) == 1

    status, body = await call("GET", "/v1/stacks?limit=0")
    assert status == 400 and error_of(body)["field"] == "limit"
    status, body = await call("GET", "/v1/stacks?cursor=bogus")
    assert status == 400 and error_of(body)["code"] == "invalid_cursor"


async def test_listing_by_name_gives_only_the_stacks_of_that_exact_name(as_user) -> None:
    call = as_user(ANALYST)
    for name in ("one", "one-more", "two"):
        await call("POST", "/v1/stacks", {**ORDER, "name": name})

    status, body = await call("GET", "/v1/stacks?team=analytics&name=one&with_total=true")

    assert status == 200, body
    assert [s["name"] for s in body["stacks"]] == ["one"] and body["total"] == 1
    status, body = await call("GET", "/v1/stacks?name=nothing&with_total=true")
    assert status == 200 and body["stacks"] == [] and body["total"] == 0
    status, body = await call("GET", "/v1/stacks?name=Not%20A%20Name")
    assert status == 400 and error_of(body)["field"] == "name"


async def test_events_come_after_a_marker_until_finished(as_user) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    deployment_id = uuid.UUID(created["deployment"]["id"])
    path = f"/v1/deployments/{deployment_id}/events"

    status, body = await as_user(ANALYST)("GET", path)
    assert status == 200 and body == {
        "deployment_id": str(deployment_id),
        "status": "queued",
        "finished": False,
        "events": [],
        "after": 0,
    }
    await run_to_end(deployment_id)
    status, body = await as_user(ANALYST)("GET", f"{path}?after=0")
    assert status == 200 and body["finished"] is True and body["status"] == "succeeded"


async def test_a_bad_id_is_invalid_input(as_user) -> None:
    status, body = await as_user(ANALYST)("GET", "/v1/stacks/not-a-uuid")
    assert status == 400 and error_of(body)["code"] == "invalid_id"


async def test_the_openapi_document_lists_every_stack_route(as_user) -> None:
    status, document = await as_user(ANALYST)("GET", "/v1/openapi.json")
    paths = document["paths"]
    assert status == 200
    assert set(paths["/v1/stacks"]) == {"get", "post"}
    assert set(paths["/v1/stacks/{stack_id}"]) == {"get", "delete"}
    assert "post" in paths["/v1/stacks/{stack_id}/deployments"]
    for suffix in ("", "/approve", "/cancel", "/events"):
        assert f"/v1/deployments/{{deployment_id}}{suffix}" in paths
    post = paths["/v1/stacks"]["post"]
    assert set(post["responses"]) >= {"202", "403", "404", "409"}
    schemas = document["components"]["schemas"]
    assert {"StackRequest", "DeploymentAccepted", "StackPage", "EventPage"} <= set(schemas)
    assert schemas["StackRequest"]["properties"]["ttl_hours"]["description"]
    query = {p["name"] for p in paths["/v1/stacks"]["get"]["parameters"]}
    assert query == {"team", "name", "status", "template", "cursor", "limit", "with_total"}


async def test_a_worker_claim_sees_what_the_api_recorded(as_user) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    claimed = await work.claim(
        deployment_id=uuid.UUID(created["deployment"]["id"]), worker_id="w1", lease_seconds=30
    )
    assert claimed is not None and claimed.params == created["deployment"]["params"]
