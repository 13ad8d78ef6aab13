"""Stack use cases: browse, approve and cancel (and, re-exported, requests, changes, previews)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tortoise import timezone

from cdk_service.db.models import Deployment, DeploymentStatus, Stack, StackStatus
from cdk_service.db.transactions import transaction
from cdk_service.stacks import repository, work_repository
from cdk_service.stacks.changes import (
    request_change,
    request_destroy,
    request_update,
    request_upgrade,
)
from cdk_service.stacks.dispatch import Dispatcher, dispatch, enqueue_quietly
from cdk_service.stacks.lifecycle import audit, conclude, lock_pair
from cdk_service.stacks.policies import (
    FINAL,
    MAY_HAVE_CHANGE_SET,
    check_approvable,
    check_cancellable,
    check_preview_current,
    deployment_not_found,
    may_see,
    stack_not_found,
)
from cdk_service.stacks.presenters import deployment_detail, listed_stack_detail
from cdk_service.stacks.requests import request_stack
from cdk_service.stacks.schemas import (
    DeploymentDetail,
    EventPage,
    StackDetail,
    StackEventDetail,
    StackFilter,
    StackPage,
)
from service_contract.cursors import decode_cursor, encode_cursor
from service_contract.identity import Identity

__all__ = [
    "approve",
    "cancel",
    "get_deployment",
    "get_stack",
    "list_events",
    "list_stacks",
    "request_change",
    "request_destroy",
    "request_stack",
    "request_update",
    "request_upgrade",
]


async def get_stack(*, identity: Identity, stack_id: UUID) -> StackDetail:
    """A stack the caller's teams own (any stack, for admins)."""
    row = await repository.stack_row(stack_id)
    if row is None or not may_see(identity, row["team"]):
        raise stack_not_found(stack_id)
    return listed_stack_detail(row)


async def list_stacks(*, identity: Identity, filters: StackFilter) -> StackPage:
    """Stacks the caller may see, newest first, one page at a time."""
    matching: dict[str, Any] = {
        "teams": None if identity.is_admin else identity.teams,
        "team": filters.team,
        "name": filters.name,
        "template": filters.template,
        "status": filters.status,
    }
    after = None if filters.cursor is None else decode_cursor(filters.cursor)
    rows = await repository.list_stacks(**matching, after=after, limit=filters.limit + 1)
    page = [listed_stack_detail(row) for row in rows[: filters.limit]]
    more = len(rows) > filters.limit
    return StackPage(
        stacks=page,
        next_cursor=encode_cursor(page[-1].created_at, page[-1].id) if more else None,
        total=await repository.count_stacks(**matching) if filters.with_total else None,
    )


async def _visible_deployment(identity: Identity, deployment_id: UUID) -> Deployment:
    deployment = await repository.get_deployment(deployment_id)
    if deployment is None:
        raise deployment_not_found(deployment_id)
    team = await repository.team_of_stack(deployment.stack_id)
    if team is None or not may_see(identity, team):
        raise deployment_not_found(deployment_id)
    return deployment


async def get_deployment(*, identity: Identity, deployment_id: UUID) -> DeploymentDetail:
    """A deployment of a stack the caller may see."""
    return deployment_detail(await _visible_deployment(identity, deployment_id))


async def list_events(
    *, identity: Identity, deployment_id: UUID, after: int = 0, limit: int = 200
) -> EventPage:
    """The deployment's events recorded after ``after``; ``finished`` once none can follow.

    The status is read before the events: a worker records events before it finishes, so
    a final status read first means every event is already there.
    """
    deployment = await _visible_deployment(identity, deployment_id)
    rows = await work_repository.events_after(deployment.id, after, limit)
    return EventPage(
        deployment_id=deployment.id,
        status=deployment.status,
        finished=deployment.status in FINAL and len(rows) < limit,
        events=[StackEventDetail.model_validate(row) for row in rows],
        after=rows[-1].id if rows else after,
    )


async def _locked_visible(identity: Identity, deployment_id: UUID) -> tuple[Stack, Deployment]:
    pair = await lock_pair(deployment_id)
    if pair is None or not may_see(identity, pair[0].team):
        raise deployment_not_found(deployment_id)
    return pair


async def approve(
    *, dispatcher: Dispatcher, identity: Identity, deployment_id: UUID
) -> DeploymentDetail:
    """Let a held deployment execute: a preview (its team or an admin), or one pending an
    admin's approval (admins only). Refused with ``preview_stale`` when the stack changed
    since the preview; the worker checks CloudFormation's side again before executing."""
    async with transaction():
        stack, deployment = await _locked_visible(identity, deployment_id)
        check_approvable(identity, deployment)
        check_preview_current(stack, deployment)
        await repository.save_deployment(
            deployment,
            status=DeploymentStatus.QUEUED,
            approved_by=identity.user,
            approved_at=timezone.now(),
        )
        if stack.status is StackStatus.PENDING_APPROVAL:
            await repository.update_stack(stack, status=StackStatus.REQUESTED)
        await audit(identity.user, "deployment.approved", deployment)
    await dispatch(dispatcher, deployment)
    return deployment_detail(deployment)


async def cancel(
    *, dispatcher: Dispatcher, identity: Identity, deployment_id: UUID
) -> DeploymentDetail:
    """Stop a deployment that has not started executing; a cancelled create ends its stack.

    A worker holding the lease loses it, and its next write raises ``LeaseLost``. When a
    worker may have made a change set, the deployment goes back to the workers, which
    delete it (and the review-only stack of a create).
    """
    async with transaction():
        stack, deployment = await _locked_visible(identity, deployment_id)
        check_cancellable(deployment)
        previous = deployment.status
        await conclude(stack, deployment, DeploymentStatus.CANCELLED)
        await audit(identity.user, "deployment.cancelled", deployment, previous=previous.value)
    if previous in MAY_HAVE_CHANGE_SET:
        await enqueue_quietly(dispatcher, deployment.id)
    return deployment_detail(deployment)
