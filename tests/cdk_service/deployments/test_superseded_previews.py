"""A destroy cancels a held update preview instead of waiting for it."""

from __future__ import annotations

import pytest

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import Deployment, DeploymentKind, DeploymentStatus
from cdk_service.stacks import service
from service_contract.errors import Conflict
from tests.cdk_service.stacks.conftest import preview_and_hold


async def held_preview(requester, analyst):
    """An active stack and an update preview of it that a worker holds."""
    stack = (await requester.active_stack(analyst)).stack
    preview = await service.request_change(
        registry=requester.registry,
        dispatcher=requester.dispatcher,
        identity=analyst,
        stack_id=stack.id,
        params={"retention_days": 7},
        preview=True,
    )
    await preview_and_hold(preview.deployment.id)
    return stack, preview.deployment


async def test_destroying_a_stack_cancels_its_held_preview(requester, analyst, dispatcher):
    stack, preview = await held_preview(requester, analyst)

    destroy = await requester.destroy(analyst, stack.id)

    assert destroy.deployment.kind is DeploymentKind.DESTROY
    assert destroy.deployment.status is DeploymentStatus.QUEUED
    cancelled = await Deployment.get(id=preview.id)
    assert cancelled.status is DeploymentStatus.CANCELLED and cancelled.active is None
    # The destroy goes to the workers, and so does the preview, for its change set.
    assert dispatcher.enqueued[-2:] == [destroy.deployment.id, preview.id]
    actions = [e.action for e in await audit_entries(target_id=str(stack.id))]
    assert actions[-2:] == ["deployment.superseded", "stack.destroy_requested"]


async def test_a_preview_still_being_made_is_not_superseded(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    await service.request_change(
        registry=requester.registry,
        dispatcher=requester.dispatcher,
        identity=analyst,
        stack_id=stack.id,
        params={"retention_days": 7},
        preview=True,
    )

    with pytest.raises(Conflict) as raised:
        await requester.destroy(analyst, stack.id)
    assert raised.value.code == "deployment_in_progress"


async def test_an_update_does_not_supersede_a_held_preview(requester, analyst) -> None:
    stack, _ = await held_preview(requester, analyst)
    with pytest.raises(Conflict) as raised:
        await requester.update(analyst, stack.id, {"retention_days": 1})
    assert raised.value.code == "deployment_in_progress"
