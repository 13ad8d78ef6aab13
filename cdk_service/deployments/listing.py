"""Listing deployments: a stack's history, or every deployment in a status (approvals to do)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from tortoise.expressions import Q

from cdk_service.db.models import Deployment, DeploymentStatus
from cdk_service.stacks.presenters import deployment_detail
from cdk_service.stacks.repository import STACK_RELATIONS
from cdk_service.stacks.schemas import DeploymentDetail
from service_contract.cursors import decode_cursor, encode_cursor
from service_contract.identity import Identity


class DeploymentFilter(BaseModel):
    """Which deployments to list, and which page."""

    model_config = ConfigDict(extra="forbid")

    stack_id: UUID | None = Field(default=None, description="Only this stack's deployments")
    status: DeploymentStatus | None = Field(default=None, description="Only this status")
    cursor: str | None = Field(default=None, max_length=200, description="next_cursor given")
    limit: int = Field(default=20, ge=1, le=100, description="Deployments per page")


class DeploymentPage(BaseModel):
    """One page of deployments, newest first."""

    deployments: list[DeploymentDetail]
    next_cursor: str | None = Field(default=None, description="Pass as cursor for the next page")


async def _rows(
    teams: frozenset[str] | None,
    filters: DeploymentFilter,
    after: tuple[datetime, UUID] | None,
) -> list[Deployment]:
    query = Deployment.all().select_related(*STACK_RELATIONS)
    if teams is not None:
        query = query.filter(stack__team__in=list(teams))
    if filters.stack_id is not None:
        query = query.filter(stack_id=filters.stack_id)
    if filters.status is not None:
        query = query.filter(status=filters.status)
    if after is not None:
        created_at, row_id = after
        query = query.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=row_id))
    return await query.order_by("-created_at", "-id").limit(filters.limit + 1)


async def list_deployments(*, identity: Identity, filters: DeploymentFilter) -> DeploymentPage:
    """Deployments of the stacks the caller may see (admins: all), newest first."""
    after = None if filters.cursor is None else decode_cursor(filters.cursor)
    rows = await _rows(None if identity.is_admin else identity.teams, filters, after)
    page, more = rows[: filters.limit], len(rows) > filters.limit
    return DeploymentPage(
        deployments=[deployment_detail(row) for row in page],
        next_cursor=encode_cursor(page[-1].created_at, page[-1].id) if more else None,
    )
