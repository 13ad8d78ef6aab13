"""Queries for dataset shares and what a grant is computed from."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any
from uuid import UUID

from tortoise.expressions import Q

from cdk_service.db.models import (
    Dataset,
    DatasetShare,
    PrincipalGrant,
    ShareStatus,
    Stack,
    StackStatus,
)
from cdk_service.db.models.shares import HELD_OPEN

# A request or grant that still stands: a second one for the same principal is refused.
LIVE = (ShareStatus.REQUESTED, *HELD_OPEN, ShareStatus.REVOKING)
# A share waiting on its stack's deployments to know where it stands.
WAITING_ON_STACK = (ShareStatus.APPROVED, ShareStatus.GRANTING, ShareStatus.REVOKING)
DATA_ENVIRONMENT_TEMPLATE = "data-environment"


async def create_share(**values: Any) -> DatasetShare:
    """A new share row."""
    return await DatasetShare.create(**values)


async def get_share(share_id: UUID, *, for_update: bool = False) -> DatasetShare | None:
    """A share with its dataset; ``for_update`` locks its row."""
    query = DatasetShare.filter(id=share_id).select_related("dataset")
    if for_update:
        query = query.select_for_update(of=(DatasetShare._meta.db_table,))
    return await query.first()


async def save_share(share: DatasetShare, **changes: Any) -> DatasetShare:
    """Write ``changes`` to a share."""
    share.update_from_dict(changes)
    await share.save(update_fields=[*changes, "updated_at"])
    return share


async def live_share(dataset_id: UUID, principal_arn: str) -> DatasetShare | None:
    """A standing request or grant of the dataset to the principal, if any."""
    return await DatasetShare.filter(
        dataset_id=dataset_id, principal_arn=principal_arn, status__in=LIVE
    ).first()


async def shares_of_stack(stack_id: UUID, statuses: Collection[ShareStatus]) -> list[DatasetShare]:
    """The shares (in these states) of the datasets that live in a stack, oldest first."""
    return await DatasetShare.filter(
        dataset__stack_id=stack_id, status__in=list(statuses)
    ).order_by("created_at", "id")


async def list_shares(
    *,
    owner_teams: Collection[str] | None,
    requester_teams: Collection[str] | None,
    status: ShareStatus | None,
    dataset_id: UUID | None,
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[DatasetShare]:
    """Shares matching the filters (None: any team), newest first, past the cursor."""
    query = DatasetShare.all().select_related("dataset")
    if owner_teams is not None:
        query = query.filter(owner_team__in=list(owner_teams))
    if requester_teams is not None:
        query = query.filter(requester_team__in=list(requester_teams))
    if status is not None:
        query = query.filter(status=status)
    if dataset_id is not None:
        query = query.filter(dataset_id=dataset_id)
    if after is not None:
        created_at, share_id = after
        query = query.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=share_id)
        )
    return await query.order_by("-created_at", "-id").limit(limit)


async def get_dataset(dataset_id: UUID) -> Dataset | None:
    """The dataset a request names, with its stack (and the stack's template) if it has one."""
    return (
        await Dataset.filter(id=dataset_id)
        .select_related("stack__template_version__template")
        .first()
    )


async def registered_principals(team: str) -> set[str]:
    """The team's registered roles: its principal grants and its data environments' roles."""
    grants = await PrincipalGrant.filter(team__slug=team).values_list("principal_arn", flat=True)
    environments = await Stack.filter(
        team=team,
        status=StackStatus.ACTIVE,
        template_version__template__name=DATA_ENVIRONMENT_TEMPLATE,
    )
    roles = {str(s.outputs["TeamRoleArn"]) for s in environments if s.outputs.get("TeamRoleArn")}
    return {str(arn) for arn in grants} | roles
