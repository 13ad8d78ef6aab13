"""Steps shared by requests, approvals and workers: quotas, row locks, ending a deployment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tortoise import timezone

from cdk_service.catalog.schemas import Constraints
from cdk_service.db.audit import record_audit
from cdk_service.db.models import Deployment, DeploymentStatus, Stack, TemplateVersion
from cdk_service.stacks import repository, work_repository
from cdk_service.stacks.policies import GONE, stack_status_after
from service_contract.errors import Conflict


async def check_quota(team: str, version: TemplateVersion) -> None:
    """Raise ``quota_exceeded`` when the team owns as many live stacks of the version as allowed.

    Holds a per-team, per-version lock to the end of the transaction, so two concurrent
    requests cannot both take the last place.
    """
    quota = Constraints.model_validate(version.constraints).quota_per_team
    if quota is None:
        return
    await repository.lock_quota(team, version)
    live = await repository.count_live_stacks(team, version)
    if live >= quota:
        raise Conflict(
            f"team {team} has {live} live stacks of {version.template.name} {version.version}, "
            f"its quota is {quota}",
            code="quota_exceeded",
            details={"quota": quota, "live": live},
        )


async def lock_pair(deployment_id: UUID) -> tuple[Stack, Deployment] | None:
    """Lock a deployment's stack, then the deployment (the one lock order); None if missing."""
    stack = await work_repository.lock_stack_of(deployment_id)
    if stack is None:
        return None
    deployment = await repository.get_deployment(deployment_id, for_update=True)
    if stack is None or deployment is None:
        return None
    return stack, deployment


async def conclude(
    stack: Stack,
    deployment: Deployment,
    status: DeploymentStatus,
    *,
    rollback_state: str | None = None,
    deployment_changes: dict[str, Any] | None = None,
    stack_changes: dict[str, Any] | None = None,
) -> None:
    """Make a locked deployment final, free its stack, and move the stack's status."""
    stack_changes = dict(stack_changes or {})
    if (stack_status := stack_status_after(deployment, status, rollback_state)) is not None:
        stack_changes["status"] = stack_status
        if stack_status in GONE:
            stack_changes["live"] = None
    await repository.save_deployment(
        deployment,
        status=status,
        active=None,
        lease_owner=None,
        lease_expires_at=None,
        finished_at=timezone.now(),
        **(deployment_changes or {}),
    )
    if stack_changes:
        await repository.update_stack(stack, **stack_changes)


async def audit(actor: str, action: str, deployment: Deployment, **details: Any) -> None:
    """Record a change to a stack, naming the deployment it made or moved."""
    await record_audit(
        actor=actor,
        action=action,
        target_kind="stack",
        target_id=str(deployment.stack_id),
        details={"deployment_id": str(deployment.id), "kind": deployment.kind.value, **details},
    )
