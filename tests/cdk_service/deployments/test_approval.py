"""Approval-gated versions are previewed, then wait for an admin; cancelling before execution."""

from __future__ import annotations

import pytest

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import (
    DeploymentGate,
    DeploymentStatus,
    DeploymentStep,
    StackStatus,
    TemplateVersion,
)
from cdk_service.deployments import work
from cdk_service.deployments.work_schemas import LeaseLost
from cdk_service.stacks import service
from service_contract.errors import Conflict, Forbidden, NotFound
from tests.cdk_service.stacks.conftest import (
    OTHER_TEAM,
    claim_to,
    preview_and_hold,
)


@pytest.fixture
async def gated(catalog) -> None:
    await TemplateVersion.filter(version="1.0.0").update(constraints={"requires_approval": True})


async def test_a_gated_request_is_previewed_then_waits_for_an_admin(
    requester, analyst, admin, dispatcher, gated
) -> None:
    accepted = await requester.stack(analyst)
    deployment_id = accepted.deployment.id
    assert accepted.deployment.status is DeploymentStatus.QUEUED
    assert accepted.deployment.gate is DeploymentGate.APPROVAL
    assert accepted.stack.status is StackStatus.PENDING_APPROVAL
    assert dispatcher.enqueued == [deployment_id]  # queued to be previewed

    held = await preview_and_hold(deployment_id)

    assert held is DeploymentStatus.PENDING_APPROVAL
    shown = await service.get_deployment(identity=analyst, deployment_id=deployment_id)
    assert shown.status is DeploymentStatus.PENDING_APPROVAL and shown.preview is not None
    assert shown.step is DeploymentStep.CHANGE_SET_CREATED
    # Held: no worker (nor the resumer) takes it on again until it is approved.
    assert await work.claim(deployment_id=deployment_id, worker_id="w", lease_seconds=60) is None
    assert deployment_id not in dict(await work.touch_unclaimed(older_than_seconds=0))

    approved = await service.approve(
        dispatcher=dispatcher, identity=admin, deployment_id=deployment_id
    )

    assert approved.status is DeploymentStatus.QUEUED and approved.approved_by == "ada"
    assert dispatcher.enqueued == [deployment_id, deployment_id]
    stack = await service.get_stack(identity=analyst, stack_id=accepted.stack.id)
    assert stack.status is StackStatus.REQUESTED
    claimed = await work.claim(deployment_id=deployment_id, worker_id="w", lease_seconds=60)
    assert claimed is not None and not claimed.held
    assert claimed.step is DeploymentStep.CHANGE_SET_CREATED  # resumes at execute
    actions = [e.action for e in await audit_entries(target_id=str(accepted.stack.id))]
    assert actions == ["stack.requested", "deployment.previewed", "deployment.approved"]


async def test_only_admins_approve(requester, analyst, dispatcher, gated) -> None:
    accepted = await requester.stack(analyst)
    await preview_and_hold(accepted.deployment.id)
    with pytest.raises(Forbidden):
        await service.approve(
            dispatcher=dispatcher, identity=analyst, deployment_id=accepted.deployment.id
        )
    assert dispatcher.enqueued == [accepted.deployment.id]


async def test_approving_before_the_preview_or_twice_is_a_conflict(
    requester, analyst, admin, dispatcher, gated
):
    accepted = await requester.stack(analyst)
    with pytest.raises(Conflict) as early:
        await service.approve(
            dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
        )
    await preview_and_hold(accepted.deployment.id)
    await service.approve(
        dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
    )
    with pytest.raises(Conflict) as twice:
        await service.approve(
            dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
        )
    assert early.value.code == twice.value.code == "not_pending_approval"
    assert dispatcher.enqueued == [accepted.deployment.id] * 2


async def test_updates_of_a_gated_version_wait_too_but_destroys_do_not(
    requester, analyst, admin, dispatcher, gated
) -> None:
    accepted = await requester.active_stack(analyst)
    update = await requester.update(analyst, accepted.stack.id, {"retention_days": 7})
    assert update.deployment.gate is DeploymentGate.APPROVAL
    assert await preview_and_hold(update.deployment.id) is DeploymentStatus.PENDING_APPROVAL
    await service.cancel(
        dispatcher=dispatcher, identity=analyst, deployment_id=update.deployment.id
    )

    destroy = await requester.destroy(analyst, accepted.stack.id)
    assert destroy.deployment.gate is DeploymentGate.NONE
    assert destroy.deployment.status is DeploymentStatus.QUEUED


async def test_cancelling_a_held_create_ends_the_stack_and_sends_it_to_be_cleaned(
    requester, analyst, dispatcher, gated
) -> None:
    accepted = await requester.stack(analyst)
    await preview_and_hold(accepted.deployment.id)

    cancelled = await service.cancel(
        dispatcher=dispatcher, identity=analyst, deployment_id=accepted.deployment.id
    )

    assert cancelled.status is DeploymentStatus.CANCELLED and cancelled.finished_at is not None
    stack = await service.get_stack(identity=analyst, stack_id=accepted.stack.id)
    assert stack.status is StackStatus.CANCELLED and stack.active_deployment_id is None
    # Sent back to the workers, which delete the change set it left.
    assert dispatcher.enqueued == [accepted.deployment.id] * 2


async def test_cancelling_a_queued_update_leaves_the_stack_as_it_was(
    requester, analyst, dispatcher
) -> None:
    stack = (await requester.active_stack(analyst)).stack
    update = await requester.update(analyst, stack.id, {"retention_days": 7})
    before = list(dispatcher.enqueued)

    await service.cancel(
        dispatcher=dispatcher, identity=analyst, deployment_id=update.deployment.id
    )

    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.status is StackStatus.ACTIVE and after.params["retention_days"] == 30
    assert dispatcher.enqueued == before  # no worker touched it: nothing to clean


async def test_a_worker_that_was_previewing_loses_its_lease_on_cancel(
    requester, analyst, dispatcher
):
    accepted = await requester.stack(analyst)
    deployment_id = accepted.deployment.id
    await claim_to(deployment_id, DeploymentStatus.PREVIEWING, DeploymentStep.SYNTHESIZED)

    await service.cancel(dispatcher=dispatcher, identity=analyst, deployment_id=deployment_id)

    with pytest.raises(LeaseLost) as raised:
        await work.record_step(
            deployment_id=deployment_id,
            worker_id="worker-1",
            step=DeploymentStep.CHANGE_SET_CREATED,
        )
    assert raised.value.status is DeploymentStatus.CANCELLED


async def test_an_executing_deployment_cannot_be_cancelled(requester, analyst, dispatcher) -> None:
    accepted = await requester.stack(analyst)
    deployment_id = accepted.deployment.id
    await claim_to(deployment_id, DeploymentStatus.EXECUTING, DeploymentStep.EXECUTING)

    with pytest.raises(Conflict) as raised:
        await service.cancel(dispatcher=dispatcher, identity=analyst, deployment_id=deployment_id)
    assert raised.value.code == "not_cancellable"


async def test_another_team_cannot_cancel_or_approve(requester, analyst, dispatcher) -> None:
    accepted = await requester.stack(analyst)
    with pytest.raises(NotFound):
        await service.cancel(
            dispatcher=dispatcher, identity=OTHER_TEAM, deployment_id=accepted.deployment.id
        )
    with pytest.raises(NotFound):
        await service.approve(
            dispatcher=dispatcher, identity=OTHER_TEAM, deployment_id=accepted.deployment.id
        )
