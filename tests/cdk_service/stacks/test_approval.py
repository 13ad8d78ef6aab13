"""Approval-gated versions wait for an admin; deployments can be cancelled before executing."""

from __future__ import annotations

import pytest

from cdk_service.db.audit import audit_entries
from cdk_service.db.models import (
    DeploymentStatus,
    DeploymentStep,
    StackStatus,
    TemplateVersion,
)
from cdk_service.errors import Conflict, Forbidden, NotFound
from cdk_service.stacks import service, work
from cdk_service.stacks.work_schemas import LeaseLost
from tests.cdk_service.stacks.conftest import OTHER_TEAM, claim_to, run_to_end


@pytest.fixture
async def gated(catalog) -> None:
    await TemplateVersion.filter(version="1.0.0").update(constraints={"requires_approval": True})


async def test_a_gated_request_is_queued_only_once_an_admin_approves(
    requester, analyst, admin, dispatcher, gated
) -> None:
    accepted = await requester.stack(analyst)
    assert accepted.deployment.status is DeploymentStatus.PENDING_APPROVAL
    assert accepted.stack.status is StackStatus.PENDING_APPROVAL
    assert dispatcher.enqueued == []
    assert (
        await work.claim(deployment_id=accepted.deployment.id, worker_id="w", lease_seconds=60)
        is None
    )

    approved = await service.approve(
        dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
    )

    assert approved.status is DeploymentStatus.QUEUED and approved.approved_by == "ada"
    assert dispatcher.enqueued == [accepted.deployment.id]
    stack = await service.get_stack(identity=analyst, stack_id=accepted.stack.id)
    assert stack.status is StackStatus.REQUESTED
    actions = [e.action for e in await audit_entries(target_id=str(accepted.stack.id))]
    assert actions == ["stack.requested", "deployment.approved"]


async def test_only_admins_approve(requester, analyst, dispatcher, gated) -> None:
    accepted = await requester.stack(analyst)
    with pytest.raises(Forbidden):
        await service.approve(
            dispatcher=dispatcher, identity=analyst, deployment_id=accepted.deployment.id
        )
    assert dispatcher.enqueued == []


async def test_approving_twice_is_a_conflict(requester, analyst, admin, dispatcher, gated):
    accepted = await requester.stack(analyst)
    await service.approve(
        dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
    )
    with pytest.raises(Conflict) as raised:
        await service.approve(
            dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
        )
    assert raised.value.code == "not_pending_approval"
    assert dispatcher.enqueued == [accepted.deployment.id]


async def test_updates_of_a_gated_version_wait_too_but_destroys_do_not(
    requester, analyst, admin, dispatcher, gated
) -> None:
    accepted = await requester.stack(analyst)
    await service.approve(
        dispatcher=dispatcher, identity=admin, deployment_id=accepted.deployment.id
    )
    await run_to_end(accepted.deployment.id)
    update = await requester.update(analyst, accepted.stack.id, {"retention_days": 7})
    assert update.deployment.status is DeploymentStatus.PENDING_APPROVAL
    await service.cancel(identity=analyst, deployment_id=update.deployment.id)

    destroy = await requester.destroy(analyst, accepted.stack.id)
    assert destroy.deployment.status is DeploymentStatus.QUEUED


async def test_cancelling_a_pending_create_ends_the_stack(requester, analyst, gated) -> None:
    accepted = await requester.stack(analyst)

    cancelled = await service.cancel(identity=analyst, deployment_id=accepted.deployment.id)

    assert cancelled.status is DeploymentStatus.CANCELLED and cancelled.finished_at is not None
    stack = await service.get_stack(identity=analyst, stack_id=accepted.stack.id)
    assert stack.status is StackStatus.CANCELLED and stack.active_deployment_id is None


async def test_cancelling_an_update_leaves_the_stack_as_it_was(requester, analyst) -> None:
    stack = (await requester.active_stack(analyst)).stack
    update = await requester.update(analyst, stack.id, {"retention_days": 7})

    await service.cancel(identity=analyst, deployment_id=update.deployment.id)

    after = await service.get_stack(identity=analyst, stack_id=stack.id)
    assert after.status is StackStatus.ACTIVE and after.params["retention_days"] == 30


async def test_a_worker_that_was_previewing_loses_its_lease_on_cancel(requester, analyst):
    accepted = await requester.stack(analyst)
    deployment_id = accepted.deployment.id
    await claim_to(
        deployment_id, DeploymentStatus.PREVIEWING, DeploymentStep.CHANGE_SET_CREATED, worker="w1"
    )

    await service.cancel(identity=analyst, deployment_id=deployment_id)

    with pytest.raises(LeaseLost) as raised:
        await work.record_step(
            deployment_id=deployment_id,
            worker_id="w1",
            step=DeploymentStep.EXECUTING,
            status=DeploymentStatus.EXECUTING,
        )
    assert raised.value.status is DeploymentStatus.CANCELLED


async def test_an_executing_deployment_cannot_be_cancelled(requester, analyst) -> None:
    accepted = await requester.stack(analyst)
    deployment_id = accepted.deployment.id
    await claim_to(deployment_id, DeploymentStatus.EXECUTING, DeploymentStep.EXECUTING)

    with pytest.raises(Conflict) as raised:
        await service.cancel(identity=analyst, deployment_id=deployment_id)
    assert raised.value.code == "not_cancellable"


async def test_another_team_cannot_cancel(requester, analyst) -> None:
    accepted = await requester.stack(analyst)
    with pytest.raises(NotFound):
        await service.cancel(identity=OTHER_TEAM, deployment_id=accepted.deployment.id)
