"""Stack expiry: a stack past its time-to-live is destroyed, after its owners were warned.

``expires_at`` is set when the stack is requested (its ``ttl_hours``, else the template
version's ``default_ttl_hours``). The scheduler's sweep first warns the owners of stacks
expiring within the warning period (``expiry_warned_at`` on the stack, shown by
``GET /v1/stacks/{id}``, and a ``stack.expiry_warning`` audit entry), then ends warned
stacks past their expiry: a destroy deployment requested by ``system:expiry``, forced for a
stack that failed; a held update or upgrade preview is cancelled by it, a deployment under
way is waited for, and a create still held for its preview or an approval is cancelled
instead. A stack warned in one sweep is ended at the earliest in the next, so a warning
always comes first; an expiry destroy that failed is not tried again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

import structlog
from tortoise import timezone

from cdk_service.db.audit import SYSTEM_ACTOR, record_audit
from cdk_service.db.models import Deployment, DeploymentKind, DeploymentStatus, Stack, StackStatus
from cdk_service.db.transactions import transaction
from cdk_service.deployments import expiry_repository
from cdk_service.stacks import repository
from cdk_service.stacks.changes import request_destroy
from cdk_service.stacks.dispatch import Dispatcher
from cdk_service.stacks.policies import HELD, supersedes
from cdk_service.stacks.service import cancel
from service_contract.errors import Conflict
from service_contract.identity import ADMIN_GROUP, Identity

log = structlog.get_logger(__name__)
EXPIRY = Identity(user="system:expiry", groups=frozenset({ADMIN_GROUP}))
DESTROYABLE = (StackStatus.ACTIVE, StackStatus.FAILED)


@dataclass
class ExpirySweep:
    """What one sweep did."""

    warned: list[UUID] = field(default_factory=list)
    ending: list[UUID] = field(default_factory=list)  # destroys started, held creates cancelled


async def sweep_expiry(
    *, dispatcher: Dispatcher, warning_seconds: float, limit: int = 100
) -> ExpirySweep:
    """Destroy the warned stacks past their expiry, then warn those expiring soon."""
    done = ExpirySweep(ending=await end_expired(dispatcher=dispatcher, limit=limit))
    done.warned = await warn_expiring(warning_seconds=warning_seconds, limit=limit)
    if done.warned or done.ending:
        log.info(
            "stack_expiry_swept",
            warned=[str(s) for s in done.warned],
            ending=[str(s) for s in done.ending],
        )
    return done


async def warn_expiring(*, warning_seconds: float, limit: int = 100) -> list[UUID]:
    """Warn the owners of live stacks expiring within ``warning_seconds``, once each."""
    until = timezone.now() + timedelta(seconds=warning_seconds)
    warned = []
    for stack_id in await expiry_repository.due_for_warning(until, limit):
        async with transaction():
            stack = await repository.get_stack(stack_id, for_update=True)
            if stack is None or stack.expiry_warned_at is not None or not stack.live:
                continue
            await repository.update_stack(stack, expiry_warned_at=timezone.now())
            await record_audit(
                actor=SYSTEM_ACTOR,
                action="stack.expiry_warning",
                target_kind="stack",
                target_id=str(stack.id),
                details={"team": stack.team, "expires_at": _iso(stack)},
            )
        warned.append(stack_id)
    return warned


async def end_expired(*, dispatcher: Dispatcher, limit: int = 100) -> list[UUID]:
    """End warned stacks past their expiry: destroy those deployed, cancel a create still
    held for its preview or approval; the ids of the deployments started or cancelled."""
    ended = []
    due = await expiry_repository.due_for_destruction(timezone.now(), limit)
    running = await expiry_repository.active_deployments(stack.id for stack in due)
    for stack in due:
        try:
            deployment_id = await _end(stack, running.get(stack.id), dispatcher)
        except Conflict as busy:  # a deployment started meanwhile: the next sweep looks again
            log.info("stack_expiry_deferred", stack_id=str(stack.id), code=busy.code)
            continue
        if deployment_id is not None:
            ended.append(deployment_id)
    return ended


async def _end(stack: Stack, active: Deployment | None, dispatcher: Dispatcher) -> UUID | None:
    """Start ending one expired stack; None while a deployment is under way (or it must be
    left to people)."""
    if (
        active is not None
        and active.kind is DeploymentKind.CREATE
        and active.status in HELD.values()
    ):
        cancelled = await cancel(dispatcher=dispatcher, identity=EXPIRY, deployment_id=active.id)
        return cancelled.id  # its workers delete the change set and review-only stack
    if active is not None and not supersedes(DeploymentKind.DESTROY, active):
        return None
    if stack.status not in DESTROYABLE or await _expiry_destroy_failed(stack):
        return None
    accepted = await request_destroy(
        dispatcher=dispatcher,
        identity=EXPIRY,
        stack_id=stack.id,
        force=stack.status is StackStatus.FAILED,
    )
    return accepted.deployment.id


async def _expiry_destroy_failed(stack: Stack) -> bool:
    """Whether the stack's last deployment was an expiry destroy that failed: leave it to
    its owners and the admins rather than try again every sweep."""
    latest = await expiry_repository.latest_deployment(stack.id)
    return (
        latest is not None
        and latest.kind is DeploymentKind.DESTROY
        and latest.requester == EXPIRY.user
        and latest.status is DeploymentStatus.FAILED
    )


def _iso(stack: Stack) -> str | None:
    return None if stack.expires_at is None else stack.expires_at.isoformat()
