"""Where a stack's shares stand after its deployments: granted, revoked or failed.

A share's state follows from the stack, never from the deployment alone: granted once a
successful deployment put its principal in the params, revoked once one took it out.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog

from cdk_service.db.audit import SYSTEM_ACTOR, record_audit
from cdk_service.db.models import DatasetShare, Deployment, DeploymentStatus, ShareStatus, Stack
from cdk_service.db.transactions import transaction
from cdk_service.shares import repository
from cdk_service.shares.repository import LIVE
from cdk_service.stacks import repository as stacks
from cdk_service.stacks.policies import GONE
from cdk_service.stacks.shared_principals import PRINCIPALS_PARAM
from service_contract.errors import DatahubError

log = structlog.get_logger(__name__)


def trusted(stack: Stack) -> list[str]:
    """The principals the stack's consumer role trusts as deployed."""
    return [str(arn) for arn in stack.params.get(PRINCIPALS_PARAM) or []]


async def audit(actor: str, action: str, share: DatasetShare, **details: Any) -> None:
    """Record a change of a share; both teams read it in the share's history."""
    await record_audit(
        actor=actor,
        action=f"share.{action}",
        target_kind="share",
        target_id=str(share.id),
        details={"status": share.status.value, **details},
    )


async def record_outcomes(stack_id: UUID) -> None:
    """Shares whose principal the deployed stack now trusts are granted, those it no longer
    trusts revoked; a grant whose deployment failed or was cancelled fails with its reason."""
    async with transaction():
        stack = await stacks.get_stack(stack_id, for_update=True)
        if stack is None:
            return
        if stack.status in GONE:
            await _end_with_stack(stack)
            return
        deployed = set(trusted(stack))
        waiting = [ShareStatus.GRANTING, ShareStatus.REVOKING]
        for share in await repository.shares_of_stack(stack_id, waiting):
            await _outcome(share, deployed)


async def _end_with_stack(stack: Stack) -> None:
    """The dataset's stack is gone: its grants are revoked with it, its requests fail."""
    gone = {"code": "stack_gone", "message": f"the dataset's stack is {stack.status.value}"}
    for share in await repository.shares_of_stack(stack.id, LIVE):
        granted = share.status in (ShareStatus.GRANTED, ShareStatus.REVOKING)
        await _move(share, ShareStatus.REVOKED if granted else ShareStatus.FAILED, error=gone)


async def _outcome(share: DatasetShare, deployed: set[str]) -> None:
    deployment = None
    if share.deployment_id is not None:
        deployment = await stacks.get_deployment(share.deployment_id)
    ended = deployment is not None and deployment.active is None
    if share.status is ShareStatus.REVOKING:
        if share.principal_arn not in deployed and (deployment is None or ended):
            await _move(share, ShareStatus.REVOKED)
        elif ended and deployment is not None and _failed(deployment):
            await _move(share, ShareStatus.GRANTED, error=_reason(deployment))
        return
    if share.status is not ShareStatus.GRANTING or not ended or deployment is None:
        return  # an approved share has no deployment of its own yet
    if deployment.status is DeploymentStatus.SUCCEEDED and share.principal_arn in deployed:
        await _move(share, ShareStatus.GRANTED)
    elif _failed(deployment):
        await _move(share, ShareStatus.FAILED, error=_reason(deployment))


def _failed(deployment: Deployment) -> bool:
    return deployment.status in (DeploymentStatus.FAILED, DeploymentStatus.CANCELLED)


def _reason(deployment: Deployment) -> dict[str, Any]:
    if deployment.error:
        return dict(deployment.error)
    return {"code": deployment.status.value, "message": f"deployment {deployment.status.value}"}


async def _move(share: DatasetShare, status: ShareStatus, **changes: Any) -> None:
    await repository.save_share(share, status=status, **changes)
    await audit(SYSTEM_ACTOR, status.value, share, **changes)


async def fail_waiting(stack_id: UUID, error: DatahubError) -> None:
    """Approved shares whose deployment could not even be requested fail with the reason."""
    async with transaction():
        for share in await repository.shares_of_stack(stack_id, [ShareStatus.APPROVED]):
            await _move(share, ShareStatus.FAILED, error=error.as_dict())
    log.warning("share_deployment_refused", stack_id=str(stack_id), code=error.code)


async def attach(stack_id: UUID, deployment_id: UUID) -> None:
    """Name the deployment on the shares it carries: the approved ones whose principal it
    adds are now granting; the revoked ones it leaves out wait for it."""
    async with transaction():
        deployment = await stacks.get_deployment(deployment_id)
        if deployment is None:
            return
        carried = {str(arn) for arn in deployment.params.get(PRINCIPALS_PARAM) or []}
        waiting = [ShareStatus.APPROVED, ShareStatus.GRANTING, ShareStatus.REVOKING]
        for share in await repository.shares_of_stack(stack_id, waiting):
            revoking = share.status is ShareStatus.REVOKING
            if (share.principal_arn in carried) == revoking:
                continue
            changes: dict[str, Any] = {"deployment_id": deployment_id}
            if not revoking:
                changes["status"] = ShareStatus.GRANTING
            await repository.save_share(share, **changes)
            await audit(SYSTEM_ACTOR, "deploying", share, deployment_id=str(deployment_id))


async def grant_already_trusted(stack_id: UUID) -> None:
    """Approved shares whose principal the idle stack trusts already need no deployment."""
    async with transaction():
        stack = await stacks.get_stack(stack_id, for_update=True)
        if stack is None or await stacks.active_deployment(stack_id) is not None:
            return
        deployed = set(trusted(stack))
        for share in await repository.shares_of_stack(stack_id, [ShareStatus.APPROVED]):
            if share.principal_arn in deployed:
                await _move(share, ShareStatus.GRANTED)
