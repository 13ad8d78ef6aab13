"""Queries of the expiry sweep: stacks to warn, stacks to destroy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from cdk_service.db.models import Deployment, Stack, StackStatus
from cdk_service.stacks.repository import STACK_RELATIONS

# Stacks that exist, and stacks whose create may be held (previewed, or pending approval).
ENDABLE = (
    StackStatus.ACTIVE,
    StackStatus.FAILED,
    StackStatus.REQUESTED,
    StackStatus.PENDING_APPROVAL,
)


async def due_for_warning(until: datetime, limit: int) -> list[UUID]:
    """Live stacks expiring by ``until`` whose owners were not warned yet, soonest first."""
    rows = (
        await Stack.filter(live=True, expires_at__lte=until, expiry_warned_at__isnull=True)
        .order_by("expires_at")
        .limit(limit)
        .values_list("id", flat=True)
    )
    return [UUID(str(row)) for row in rows]


async def due_for_destruction(now: datetime, limit: int) -> list[Stack]:
    """Warned live stacks past their expiry, deployed or waiting to be, soonest first."""
    return (
        await Stack.filter(
            live=True,
            expires_at__lte=now,
            expiry_warned_at__isnull=False,
            status__in=ENDABLE,
        )
        .select_related(*STACK_RELATIONS)
        .order_by("expires_at")
        .limit(limit)
    )


async def active_deployments(stack_ids: Iterable[UUID]) -> dict[UUID, Deployment]:
    """Stack id → its deployment that is not final, for the stacks that have one."""
    rows = await Deployment.filter(stack_id__in=list(stack_ids), active=True)
    return {row.stack_id: row for row in rows}


async def latest_deployment(stack_id: UUID) -> Deployment | None:
    """The stack's newest deployment."""
    return await Deployment.filter(stack_id=stack_id).order_by("-created_at").first()
