"""Granting and revoking through the owner's dataset stack: one update deployment at a time.

What the stack must trust is computed, never accumulated: the principals in its params, less
those of shares being revoked, plus those of approved and granted shares. So two approvals
landing at once serialize through the stack's one active deployment, and whichever deployment
comes last carries both (``outcomes`` records where each share then stands).
"""

from __future__ import annotations

from uuid import UUID

import structlog

from cdk_service.db.audit import SYSTEM_ACTOR
from cdk_service.db.models import DatasetShare, Deployment, ShareStatus
from cdk_service.db.models.shares import HELD_OPEN
from cdk_service.shares import repository
from cdk_service.shares.outcomes import (
    attach,
    fail_waiting,
    grant_already_trusted,
    record_outcomes,
    trusted,
)
from cdk_service.stacks import repository as stacks
from cdk_service.stacks import service as stacks_service
from cdk_service.stacks.changes import request_update
from cdk_service.stacks.dispatch import Dispatcher
from cdk_service.stacks.schemas import DeploymentAccepted
from cdk_service.stacks.shared_principals import PRINCIPALS_PARAM
from service_contract.errors import Conflict, DatahubError
from service_contract.identity import ADMIN_GROUP, Identity
from stack_catalog.registry import Registry

# Deployments the service starts on its own, after another one ended.
SYSTEM = Identity(user=SYSTEM_ACTOR, groups=frozenset({ADMIN_GROUP}))
log = structlog.get_logger(__name__)


def desired_principals(current: list[str], shares: list[DatasetShare]) -> list[str]:
    """``current`` less the principals being revoked, plus those approved or granted."""
    open_ = {s.principal_arn for s in shares if s.status in HELD_OPEN}
    leaving = {s.principal_arn for s in shares if s.status is ShareStatus.REVOKING} - open_
    kept = [arn for arn in current if arn not in leaving]
    return kept + sorted(open_ - set(kept))


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
