"""Previews held for approval: a worker stops after the preview, and a cancelled one is cleaned.

A deployment with a gate (``preview`` or ``approval``) is synthesized and previewed like any
other; then, instead of executing, the worker ``hold``s it: status ``awaiting_execution`` or
``pending_approval``, the lease released in the same transaction (so an approval that follows
finds it free), and what the stack's change set depends on recorded (``previewed_state``) so an
approval can tell the stack changed since.
Approving queues it again; a worker resumes at ``change_set_created`` and executes.
"""

from __future__ import annotations

from uuid import UUID

from cdk_service.db.audit import SYSTEM_ACTOR
from cdk_service.db.models import DeploymentKind, DeploymentStatus
from cdk_service.db.transactions import transaction
from cdk_service.deployments.leases import held
from cdk_service.deployments.work_schemas import ClaimedDeployment, claimed
from cdk_service.stacks import repository
from cdk_service.stacks.lifecycle import audit
from cdk_service.stacks.policies import HELD, previewed_state

DISCARDED = "change_set_discarded"


async def hold(*, deployment_id: UUID, worker_id: str) -> DeploymentStatus:
    """Stop a previewed deployment until it is approved; the status it now waits in."""
    async with transaction():
        stack, deployment = await held(deployment_id, worker_id)
        if (status := HELD.get(deployment.gate)) is None:
            raise ValueError(f"deployment {deployment_id} has no gate to wait at")
        await repository.save_deployment(
            deployment,
            status=status,
            lease_owner=None,
            lease_expires_at=None,
            checkpoint={**deployment.checkpoint, "previewed_state": previewed_state(stack)},
        )
        await audit(SYSTEM_ACTOR, "deployment.previewed", deployment, worker_id=worker_id)
    return status


async def cancelled_leftover(deployment_id: UUID) -> ClaimedDeployment | None:
    """A cancelled deployment whose change set may still exist in AWS, not yet deleted."""
    deployment = await repository.get_deployment(deployment_id)
    if (
        deployment is None
        or deployment.status is not DeploymentStatus.CANCELLED
        or deployment.kind in (DeploymentKind.DESTROY, DeploymentKind.DRIFT_CHECK)
        or deployment.attempts == 0  # no worker took it on: nothing was created
        or (deployment.result or {}).get(DISCARDED)
    ):
        return None
    stack = await repository.get_stack(deployment.stack_id)
    return None if stack is None else claimed(stack, deployment)


async def record_discarded(*, deployment_id: UUID, found: bool) -> None:
    """Note on a cancelled deployment that its change set is gone (deleted now, or never made)."""
    async with transaction():
        deployment = await repository.get_deployment(deployment_id, for_update=True)
        if deployment is None:
            return
        result = {**(deployment.result or {}), DISCARDED: True, "change_set_found": found}
        await repository.save_deployment(deployment, result=result)
