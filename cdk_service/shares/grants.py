"""Granting and revoking through the owner's dataset stack: one update deployment at a time.

What the stack must trust is computed, never accumulated: the principals in its params, less
those of shares being revoked, plus those of approved and granted shares. A share's state
follows from the stack: granted once a successful deployment put its principal in the
params, revoked once one took it out. So two approvals landing at once serialize through the
stack's one active deployment, and whichever deployment comes last carries both.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog

from cdk_service.catalog.repository import transaction
from cdk_service.db.audit import SYSTEM_ACTOR, record_audit
from cdk_service.db.models import DatasetShare, Deployment, DeploymentStatus, ShareStatus, Stack
from cdk_service.errors import Conflict, DatahubError
from cdk_service.identity import ADMIN_GROUP, Identity
from cdk_service.shares import repository
from cdk_service.shares.kept import PRINCIPALS_PARAM
from cdk_service.shares.repository import HELD_OPEN, LIVE
from cdk_service.stacks import repository as stacks
from cdk_service.stacks import service as stacks_service
from cdk_service.stacks.changes import request_update
from cdk_service.stacks.dispatch import Dispatcher
from cdk_service.stacks.policies import GONE
from cdk_service.stacks.schemas import DeploymentAccepted
from stack_catalog.registry import Registry

# Deployments the service starts on its own, after another one ended.
SYSTEM = Identity(user=SYSTEM_ACTOR, groups=frozenset({ADMIN_GROUP}))
log = structlog.get_logger(__name__)


def trusted(stack: Stack) -> list[str]:
    """The principals the stack's consumer role trusts as deployed."""
    return [str(arn) for arn in stack.params.get(PRINCIPALS_PARAM) or []]


def desired_principals(current: list[str], shares: list[DatasetShare]) -> list[str]:
    """``current`` less the principals being revoked, plus those approved or granted."""
    open_ = {s.principal_arn for s in shares if s.status in HELD_OPEN}
    leaving = {s.principal_arn for s in shares if s.status is ShareStatus.REVOKING} - open_
    kept = [arn for arn in current if arn not in leaving]
    return kept + sorted(open_ - set(kept))


async def audit(actor: str, action: str, share: DatasetShare, **details: Any) -> None:
    """Record a change of a share; both teams read it in the share's history."""
    await record_audit(
        actor=actor,
        action=f"share.{action}",
        target_kind="share",
        target_id=str(share.id),
        details={"status": share.status.value, **details},
    )


async def change_stack(
    *,
    registry: Registry,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    preview: bool = False,
    adding: DatasetShare | None = None,
) -> DeploymentAccepted | None:
    """An update deployment bringing the stack to the principals its shares call for (and
    ``adding``'s, for a preview of its grant); None when it already trusts exactly those."""
    stack = await stacks.get_stack(stack_id)
    if stack is None:
        return None
    shares = await repository.shares_of_stack(stack_id, [*HELD_OPEN, ShareStatus.REVOKING])
    desired = desired_principals(trusted(stack), shares)
    if adding is not None and adding.principal_arn not in desired:
        desired.append(adding.principal_arn)
    if desired == trusted(stack) and not preview:
        return None
    return await request_update(
        registry=registry,
        dispatcher=dispatcher,
        identity=identity,
        stack_id=stack_id,
        params={PRINCIPALS_PARAM: desired},
        preview=preview,
    )


async def settle(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, stack_id: UUID
) -> None:
    """Bring the stack's shares up to date with it, then start the deployment still owed.

    Safe to run any number of times and from anywhere (the worker after a deployment, an
    approval, a read): every step reads the state it changes.
    """
    await record_outcomes(stack_id)
    try:
        accepted = await change_stack(
            registry=registry, dispatcher=dispatcher, identity=identity, stack_id=stack_id
        )
    except Conflict as error:
        if error.code in ("deployment_in_progress", "stack_not_ready", "stack_modified"):
            return  # the deployment in progress settles again when it ends
        await fail_waiting(stack_id, error)
        return
    except DatahubError as error:
        await fail_waiting(stack_id, error)
        return
    if accepted is not None:
        await attach(stack_id, accepted.deployment.id)
    else:
        await grant_already_trusted(stack_id)


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


async def preview_grant(
    *,
    registry: Registry,
    dispatcher: Dispatcher,
    identity: Identity,
    stack_id: UUID,
    share: DatasetShare,
) -> DeploymentAccepted:
    """A held update of the owner's stack with the share's principal added: the preview the
    approver sees; approving the share executes it."""
    accepted = await change_stack(
        registry=registry,
        dispatcher=dispatcher,
        identity=identity,
        stack_id=stack_id,
        preview=True,
        adding=share,
    )
    assert accepted is not None  # a preview is always requested
    return accepted


async def start_grant(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share: DatasetShare
) -> None:
    """Deploy an approved share: execute its held preview if it still shows the change,
    else (none, stale, or another deployment in the way) settle the stack."""
    stack_id = share.dataset.stack_id
    if stack_id is None:
        return
    held = await _held_preview(share)
    if held is not None:
        try:
            await stacks_service.approve(
                dispatcher=dispatcher, identity=identity, deployment_id=held.id
            )
        except Conflict:  # stale: another change reached the stack since the preview
            await _cancel(dispatcher, identity, held.id)
        else:
            await attach(stack_id, held.id)
            return
    await settle(registry=registry, dispatcher=dispatcher, identity=identity, stack_id=stack_id)


async def drop_preview(
    *, registry: Registry, dispatcher: Dispatcher, identity: Identity, share: DatasetShare
) -> None:
    """Cancel the held preview of a rejected share, then let waiting shares go ahead."""
    held = await _held_preview(share)
    if held is None or share.dataset.stack_id is None:
        return
    await _cancel(dispatcher, identity, held.id)
    await settle(
        registry=registry, dispatcher=dispatcher, identity=SYSTEM, stack_id=share.dataset.stack_id
    )


async def _held_preview(share: DatasetShare) -> Deployment | None:
    if share.deployment_id is None:
        return None
    deployment = await stacks.get_deployment(share.deployment_id)
    if deployment is None or deployment.active is None:
        return None
    if share.principal_arn not in (deployment.params.get(PRINCIPALS_PARAM) or []):
        return None
    return deployment


async def _cancel(dispatcher: Dispatcher, identity: Identity, deployment_id: UUID) -> None:
    try:
        await stacks_service.cancel(
            dispatcher=dispatcher, identity=identity, deployment_id=deployment_id
        )
    except Conflict:  # it started executing meanwhile: its outcome is recorded as usual
        log.info("share_preview_not_cancelled", deployment_id=str(deployment_id))


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
