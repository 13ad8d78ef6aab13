"""Previews over HTTP: request one, execute it (team or admin), refuse a stale one, cancel it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from tortoise.expressions import F

from cdk_service.db.models import DeploymentStatus, Stack
from tests.cdk_service.api.conftest import ADMIN, ANALYST, error_of
from tests.cdk_service.api.test_stacks_routes import ORDER, client, dispatcher
from tests.cdk_service.stacks.conftest import OTHER_TEAM, preview_and_hold, run_to_end

__all__ = ["client", "dispatcher"]


@pytest.fixture
async def stack_id(as_user) -> str:
    """An active bucket stack of the analytics team."""
    status, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    assert status == 202, created
    await run_to_end(uuid.UUID(created["deployment"]["id"]))
    return str(created["stack"]["id"])


async def previewed(as_user, stack_id: str, body: dict[str, Any] | None = None) -> str:
    """Request a preview and let a (simulated) worker hold it; the deployment id."""
    body = {"params": {"retention_days": 7}} if body is None else body
    status, accepted = await as_user(ANALYST)("POST", f"/v1/stacks/{stack_id}/preview", body)
    assert status == 202, accepted
    deployment_id = accepted["deployment"]["id"]
    await preview_and_hold(uuid.UUID(deployment_id))
    return str(deployment_id)


async def test_a_preview_is_queued_for_a_worker_then_held_for_its_team(
    as_user, stack_id, dispatcher
) -> None:
    status, accepted = await as_user(ANALYST)(
        "POST", f"/v1/stacks/{stack_id}/preview", {"params": {"retention_days": 7}}
    )
    assert status == 202, accepted
    deployment = accepted["deployment"]
    assert (deployment["kind"], deployment["status"], deployment["gate"]) == (
        "update",
        "queued",
        "preview",
    )
    assert uuid.UUID(deployment["id"]) in dispatcher.enqueued
    await preview_and_hold(uuid.UUID(deployment["id"]))

    status, shown = await as_user(ANALYST)("GET", f"/v1/deployments/{deployment['id']}")

    assert status == 200 and shown["status"] == "awaiting_execution"
    assert shown["preview"] is not None
    status, body = await as_user(ANALYST)(
        "POST",
        f"/v1/stacks/{stack_id}/deployments",
        {
            "kind": "update",
            "params": {"retention_days": 1},
        },
    )
    assert status == 409 and error_of(body)["code"] == "deployment_in_progress"


async def test_a_preview_with_a_version_is_an_upgrade(as_user, stack_id) -> None:
    body = {"version": "1.1.0", "params": {}}
    status, accepted = await as_user(ANALYST)("POST", f"/v1/stacks/{stack_id}/preview", body)
    assert status == 202, accepted
    assert (accepted["deployment"]["kind"], accepted["deployment"]["version"]) == (
        "upgrade",
        "1.1.0",
    )


async def test_the_team_executes_its_own_preview(as_user, stack_id, dispatcher) -> None:
    deployment_id = await previewed(as_user, stack_id)

    status, body = await as_user(ANALYST)("POST", f"/v1/deployments/{deployment_id}/approve")

    assert status == 200 and body["status"] == "queued" and body["approved_by"] == "alan"
    assert dispatcher.enqueued[-1] == uuid.UUID(deployment_id)
    status, again = await as_user(ANALYST)("POST", f"/v1/deployments/{deployment_id}/approve")
    assert status == 409 and error_of(again)["code"] == "not_pending_approval"


async def test_an_admin_may_execute_any_teams_preview(as_user, stack_id) -> None:
    deployment_id = await previewed(as_user, stack_id)
    status, body = await as_user(ADMIN)("POST", f"/v1/deployments/{deployment_id}/approve")
    assert status == 200 and body["approved_by"] == "ada"


async def test_another_team_gets_404_for_previews(as_user, stack_id) -> None:
    deployment_id = await previewed(as_user, stack_id)
    other = as_user(OTHER_TEAM)
    for path, body in (
        (f"/v1/stacks/{stack_id}/preview", {"params": {}}),
        (f"/v1/deployments/{deployment_id}/approve", None),
        (f"/v1/deployments/{deployment_id}/cancel", None),
    ):
        status, answer = await other("POST", path, body)
        assert status == 404, path
        assert error_of(answer)["code"] in {"stack_not_found", "deployment_not_found"}
    status, shown = await as_user(ANALYST)("GET", f"/v1/deployments/{deployment_id}")
    assert shown["status"] == "awaiting_execution"


async def test_a_preview_of_a_stack_changed_since_is_refused(as_user, stack_id) -> None:
    deployment_id = await previewed(as_user, stack_id)
    # The stack record changed under the preview (here, straight in the database).
    stack = await Stack.get(id=stack_id)
    await Stack.filter(id=stack_id).update(params={**stack.params, "retention_days": 1})

    status, body = await as_user(ANALYST)("POST", f"/v1/deployments/{deployment_id}/approve")

    assert status == 409 and error_of(body)["code"] == "preview_stale"
    status, shown = await as_user(ANALYST)("GET", f"/v1/deployments/{deployment_id}")
    assert shown["status"] == DeploymentStatus.AWAITING_EXECUTION.value


async def test_a_warning_or_drift_result_on_the_stack_does_not_stale_a_preview(
    as_user, stack_id
) -> None:
    deployment_id = await previewed(as_user, stack_id)
    await Stack.filter(id=stack_id).update(
        revision=F("revision") + 1, drift_status="drifted", outputs={"BucketName": "x"}
    )

    status, body = await as_user(ANALYST)("POST", f"/v1/deployments/{deployment_id}/approve")

    assert status == 200 and body["status"] == "queued"


async def test_cancelling_a_held_preview_frees_the_stack(as_user, stack_id, dispatcher) -> None:
    deployment_id = await previewed(as_user, stack_id)

    status, body = await as_user(ANALYST)("POST", f"/v1/deployments/{deployment_id}/cancel")

    assert status == 200 and body["status"] == "cancelled"
    assert dispatcher.enqueued[-1] == uuid.UUID(deployment_id)  # to delete its change set
    status, stack = await as_user(ANALYST)("GET", f"/v1/stacks/{stack_id}")
    assert stack["status"] == "active" and stack["active_deployment_id"] is None


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"version": "one"}, "invalid_request"),
        ({"params": {}, "kind": "update"}, "invalid_request"),
        ({"version": "1.0.0"}, "not_an_upgrade"),
    ],
)
async def test_a_bad_preview_body_is_a_400(as_user, stack_id, body, code) -> None:
    status, answer = await as_user(ANALYST)("POST", f"/v1/stacks/{stack_id}/preview", body)
    assert status == 400 and error_of(answer)["code"] == code


async def test_a_stack_not_yet_created_cannot_be_previewed(as_user) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    path = f"/v1/stacks/{created['stack']['id']}/preview"
    status, body = await as_user(ANALYST)("POST", path, {"params": {}})
    assert status == 409 and error_of(body)["code"] == "deployment_in_progress"


async def test_the_openapi_document_has_the_preview_route(as_user) -> None:
    _, document = await as_user(ANALYST)("GET", "/v1/openapi.json")
    post = document["paths"]["/v1/stacks/{stack_id}/preview"]["post"]
    assert set(post["responses"]) >= {"202", "404", "409"}
    schemas = document["components"]["schemas"]
    assert set(schemas["PreviewRequest"]["properties"]) == {"params", "version"}
    assert "gate" in schemas["DeploymentDetail"]["required"]


async def test_a_repeated_preview_key_returns_the_first_preview(as_user, stack_id) -> None:
    call, key = as_user(ANALYST), {"Idempotency-Key": "preview-1"}
    path, body = f"/v1/stacks/{stack_id}/preview", {"params": {"retention_days": 7}}

    status, first = await call("POST", path, body, headers=dict(key))
    assert status == 202, first
    status, again = await call("POST", path, body, headers=dict(key))
    assert status == 202 and again["replayed"] is True
    assert again["deployment"]["id"] == first["deployment"]["id"]

    # The same key for the same change made as a plain update is another request.
    change = {"kind": "update", "params": {"retention_days": 7}}
    status, reused = await call(
        "POST", f"/v1/stacks/{stack_id}/deployments", change, headers=dict(key)
    )
    assert status == 409 and error_of(reused)["code"] == "idempotency_key_reused"
