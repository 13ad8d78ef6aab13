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

from cdk_service.db.models import (
    DatasetShare,
    Deployment,
    Stack,
    TargetAccount,
    TemplateVersion,
)
from cdk_service.db.models.shares import HELD_OPEN
from service_contract.errors import Conflict

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


async def stack_row(stack_id: UUID) -> dict[str, Any] | None:
    """One stack as ``list_stacks`` gives its rows (plain columns, one statement), or None."""
    sql = STACK_ROWS.format(conditions="s.id = $1")
    rows = await Tortoise.get_connection("default").execute_query_dict(sql, [stack_id])
    return rows[0] if rows else None


async def team_of_stack(stack_id: UUID) -> str | None:
    """The team owning a stack (it never changes), or None; no ORM object built."""
    rows = await Tortoise.get_connection("default").execute_query_dict(
        "SELECT team FROM stacks WHERE id = $1", [stack_id]
    )
    return rows[0]["team"] if rows else None


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


# One statement for a page (or one stack): the stack columns StackDetail shows, its
# template's name and version, and its active deployment (at most one per stack, by a unique
# constraint).
STACK_ROWS = """
SELECT s.id, s.name, s.team, t.name AS template, v.version, s.params, s.account, s.region,
    s.status, s.cloudformation_stack_name, s.cloudformation_stack_id, s.outputs, s.expires_at,
    s.expiry_warned_at, s.drift_status, s.drift_checked_at, d.id AS active_deployment_id,
    s.revision, s.created_by, s.created_at, s.updated_at
FROM stacks AS s
JOIN template_versions AS v ON v.id = s.template_version_id
JOIN templates AS t ON t.id = v.template_id
LEFT JOIN deployments AS d ON d.stack_id = s.id AND d.active
WHERE {conditions}
"""
LIST_STACKS = STACK_ROWS + "ORDER BY s.created_at DESC, s.id DESC\nLIMIT {limit}\n"
# Asked for apart (a page's statement stays as it is): the stacks a listing's filters match.
COUNT_STACKS = """
SELECT count(*) AS total
FROM stacks AS s
JOIN template_versions AS v ON v.id = s.template_version_id
JOIN templates AS t ON t.id = v.template_id
WHERE {conditions}
"""


async def list_stacks(
    *,
    teams: Iterable[str] | None,
    team: str | None = None,
    name: str | None = None,
    template: str | None = None,
    status: str | None = None,
    after: tuple[datetime, UUID] | None = None,
    limit: int,
) -> list[dict[str, Any]]:
    """Stack rows newest first (ties by id), after a (created_at, id) position, as plain
    columns (``template``, ``version`` and ``active_deployment_id`` joined in); None teams:
    all; no ``status``: live stacks only."""
    where = _StackConditions(teams=teams, team=team, name=name, template=template, status=status)
    if after is not None:
        where.add(f"(s.created_at, s.id) < ({where.value(after[0])}, {where.value(after[1])})")
    sql = LIST_STACKS.format(conditions=where.sql(), limit=where.value(limit))
    return await Tortoise.get_connection("default").execute_query_dict(sql, where.values)


async def count_stacks(
    *,
    teams: Iterable[str] | None,
    team: str | None = None,
    name: str | None = None,
    template: str | None = None,
    status: str | None = None,
) -> int:
    """How many stacks ``list_stacks`` gives with these filters, on all its pages."""
    where = _StackConditions(teams=teams, team=team, name=name, template=template, status=status)
    sql = COUNT_STACKS.format(conditions=where.sql())
    rows = await Tortoise.get_connection("default").execute_query_dict(sql, where.values)
    total: int = rows[0]["total"]
    return total


class _StackConditions:
    """The WHERE conditions of a stack listing's filters, with their numbered values."""

    def __init__(
        self,
        *,
        teams: Iterable[str] | None,
        team: str | None,
        name: str | None,
        template: str | None,
        status: str | None,
    ) -> None:
        self.values: list[Any] = []
        self.conditions = [f"s.status = {self.value(status)}" if status is not None else "s.live"]
        if teams is not None:
            self.add(f"s.team = ANY({self.value(sorted(teams))}::text[])")
        if team is not None:
            self.add(f"s.team = {self.value(team)}")
        if name is not None:
            self.add(f"s.name = {self.value(name)}")
        if template is not None:
            self.add(f"t.name = {self.value(template)}")

    def value(self, given: Any) -> str:
        """The placeholder of one more value."""
        self.values.append(given)
        return f"${len(self.values)}"

    def add(self, condition: str) -> None:
        """One more condition, ANDed with the others."""
        self.conditions.append(condition)

    def sql(self) -> str:
        """The conditions as one WHERE clause body."""
        return " AND ".join(self.conditions)


async def create_deployment(**values: Any) -> Deployment:
    """A new deployment row."""
    return await Deployment.create(**values)


async def get_deployment(deployment_id: UUID, *, for_update: bool = False) -> Deployment | None:
    """A deployment with its template version; ``for_update`` locks its row."""
    query = Deployment.filter(id=deployment_id).select_related(*STACK_RELATIONS)
    if for_update:
        query = query.select_for_update(of=(Deployment._meta.db_table,))
    return await query.first()


async def active_deployment(stack_id: UUID) -> Deployment | None:
    """The stack's deployment that is not final yet, if any."""
    return await Deployment.get_or_none(stack_id=stack_id, active=True)


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


async def shared_principals(stack_id: UUID) -> set[str]:
    """The principals that approved and granted shares of the stack's datasets must keep."""
    arns = await DatasetShare.filter(
        dataset__stack_id=stack_id, status__in=list(HELD_OPEN)
    ).values_list("principal_arn", flat=True)
    return {str(arn) for arn in arns}
