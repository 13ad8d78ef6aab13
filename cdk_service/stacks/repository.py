"""Stack and deployment queries for requests and reads: with ``work_repository``, the only
modules of the stacks domain that talk to the database.

Lock order, everywhere: a stack's row before any of its deployments' rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from tortoise import Tortoise, timezone
from tortoise.expressions import Q

from cdk_service.db.models import (
    Deployment,
    Stack,
    TargetAccount,
    TemplateVersion,
)
from cdk_service.errors import Conflict

STACK_RELATIONS = ("template_version__template",)


async def lock_quota(team: str, version: TemplateVersion) -> None:
    """Serialise requests of one team for one version until the transaction ends."""
    connection = Tortoise.get_connection("default")
    key = f"stack-quota:{team}:{version.id}"
    await connection.execute_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key])


async def count_live_stacks(team: str, version: TemplateVersion) -> int:
    """Live stacks of ``version`` owned by ``team``."""
    return await Stack.filter(team=team, template_version_id=version.id, live=True).count()


async def target_account_exists(account: str, region: str) -> bool:
    """Whether an admin registered (account, region) as a target."""
    return await TargetAccount.filter(account=account, region=region).exists()


async def live_stack_named(team: str, account: str, region: str, name: str) -> Stack | None:
    """The live stack holding a name, or None."""
    return await Stack.get_or_none(team=team, account=account, region=region, name=name, live=True)


async def create_stack(**values: Any) -> Stack:
    """A new stack row."""
    return await Stack.create(**values)


async def get_stack(stack_id: UUID, *, for_update: bool = False) -> Stack | None:
    """A stack with its template version and template; ``for_update`` locks its row."""
    query = Stack.filter(id=stack_id).select_related(*STACK_RELATIONS)
    if for_update:
        query = query.select_for_update(of=(Stack._meta.db_table,))
    return await query.first()


async def update_stack(stack: Stack, **changes: Any) -> Stack:
    """Write ``changes`` if the row is still at the revision ``stack`` was read at.

    Raises ``Conflict(stack_modified)`` when someone else changed it since.
    """
    changes |= {"revision": stack.revision + 1, "updated_at": timezone.now()}
    if await Stack.filter(id=stack.id, revision=stack.revision).update(**changes) != 1:
        raise Conflict(
            f"stack {stack.id} changed while this request was handled; try again",
            code="stack_modified",
        )
    stack.update_from_dict(changes)
    return stack


async def list_stacks(
    *,
    teams: Iterable[str] | None,
    filters: dict[str, Any],
    after: tuple[datetime, UUID] | None,
    limit: int,
) -> list[Stack]:
    """Stacks newest first (ties by id), after a (created_at, id) position; None teams: all."""
    query = Stack.filter(**filters).select_related(*STACK_RELATIONS)
    if teams is not None:
        query = query.filter(team__in=list(teams))
    if after is not None:
        created_at, stack_id = after
        query = query.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, id__lt=stack_id)
        )
    return await query.order_by("-created_at", "-id").limit(limit)


async def create_deployment(**values: Any) -> Deployment:
    """A new deployment row."""
    return await Deployment.create(**values)


async def get_deployment(deployment_id: UUID, *, for_update: bool = False) -> Deployment | None:
    """A deployment with its template version; ``for_update`` locks its row."""
    query = Deployment.filter(id=deployment_id).select_related(*STACK_RELATIONS)
    if for_update:
        query = query.select_for_update(of=(Deployment._meta.db_table,))
    return await query.first()


async def stack_id_of(deployment_id: UUID) -> UUID | None:
    """The stack a deployment belongs to (it never changes), without locking anything."""
    row = await Deployment.filter(id=deployment_id).only("id", "stack_id").first()
    return None if row is None else row.stack_id


async def active_deployment(stack_id: UUID) -> Deployment | None:
    """The stack's deployment that is not final yet, if any."""
    return await Deployment.get_or_none(stack_id=stack_id, active=True)


async def active_deployment_ids(stack_ids: Iterable[UUID]) -> dict[UUID, UUID]:
    """Stack id → id of its active deployment, for the stacks that have one."""
    rows = await Deployment.filter(stack_id__in=list(stack_ids), active=True).values_list(
        "stack_id", "id"
    )
    return {stack_id: deployment_id for stack_id, deployment_id in rows}


async def find_by_idempotency_key(requester: str, key: str) -> Deployment | None:
    """The deployment a requester made with an idempotency key, with its template version."""
    return (
        await Deployment.filter(requester=requester, idempotency_key=key)
        .select_related(*STACK_RELATIONS)
        .first()
    )


async def save_deployment(deployment: Deployment, **changes: Any) -> Deployment:
    """Apply ``changes`` to a (locked) deployment row and write them."""
    deployment.update_from_dict(changes)
    await deployment.save(update_fields=[*changes, "updated_at"])
    return deployment
