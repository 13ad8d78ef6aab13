"""What deploy workers call: lease a deployment, record each step and event, finish it.

A worker runs a deployment so that another can resume it:

1. ``claim`` → a ``ClaimedDeployment`` (None: someone else runs it, or it is final).
2. For each step: do it, then ``record_step`` (``renew`` well before the lease ends).
   Record ``status=executing`` *before* asking CloudFormation to execute: cancelling is
   refused from then on, so an executed change set is never orphaned by a cancel.
3. ``record_events`` as they are polled (idempotent), then ``finish``. Events may also go
   with a step or the finish (``events=``): one transaction instead of two.
4. ``LeaseLost`` from any write: stop at once, without touching AWS again; the deployment
   was cancelled or another worker took it over.

While CloudFormation changes the stack, a worker does not wait: it ``hand_off``s the deployment
(the step, the events so far, the lease released) and queues a look for later; that claim
counts no attempt. A worker that meets a transient failure ``hand_back``s the deployment
(recording the error to show meanwhile) and retries later. The resumer frees leases that ran
out (``take_back_expired``), finds deployments nothing claimed for a while
(``touch_unclaimed``), and queues them again, or ``give_up``s those out of attempts; the
worker that claims one continues from ``step`` and ``checkpoint``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from tortoise import timezone

from cdk_service.db.audit import SYSTEM_ACTOR
from cdk_service.db.models import (
    Deployment,
    DeploymentKind,
    DeploymentStatus,
    DeploymentStep,
    DriftStatus,
    StackEvent,
)
from cdk_service.db.transactions import transaction
from cdk_service.deployments.leases import (
    claim,
    held,
    release,
    renew,
    take_back_expired,
    touch_unclaimed,
)
from cdk_service.deployments.work_schemas import (
    ClaimedDeployment,
    LeaseLost,
    attempts_exhausted,
    claimed,
)
from cdk_service.stacks import repository, work_repository
from cdk_service.stacks.lifecycle import audit, conclude, lock_pair
from cdk_service.stacks.policies import EXECUTING_STATUS, check_progress
from cdk_service.stacks.presenters import deployment_detail
from cdk_service.stacks.schemas import DeploymentDetail, DeploymentFailure
from cdk_service.stacks.work_repository import LOOKING_LATER

__all__ = [
    "ClaimedDeployment",
    "CloudFormationEvent",
    "LeaseLost",
    "claim",
    "finish",
    "give_up",
    "hand_back",
    "hand_off",
    "last_event_id",
    "record_events",
    "record_step",
    "release",
    "renew",
    "take_back_expired",
    "touch_unclaimed",
]


class CloudFormationEvent(Protocol):
    """A stack event as the deploy engine reads it."""

    event_id: str
    timestamp: datetime
    logical_id: str
    physical_id: str | None
    resource_type: str
    status: str
    reason: str | None


async def record_step(
    *,
    deployment_id: UUID,
    worker_id: str,
    step: DeploymentStep,
    status: DeploymentStatus | None = None,
    template_digest: str | None = None,
    preview: Mapping[str, Any] | None = None,
    checkpoint: Mapping[str, Any] | None = None,
    cloudformation_stack_id: str | None = None,
    events: Sequence[CloudFormationEvent] = (),
) -> ClaimedDeployment:
    """Record a step done (and what it found, and the events polled with it); ``checkpoint``
    entries merge into the old ones."""
    async with transaction():
        stack, deployment = await held(deployment_id, worker_id)
        changes: dict[str, Any] = {"step": step}
        stack_changes: dict[str, Any] = {}
        if status is not None and status is not deployment.status:
            check_progress(deployment.status, status)
            changes["status"] = status
            if status is DeploymentStatus.EXECUTING and deployment.kind in EXECUTING_STATUS:
                stack_changes["status"] = EXECUTING_STATUS[deployment.kind]
        if template_digest is not None:
            changes["template_digest"] = template_digest
        if preview is not None:
            changes["preview"] = dict(preview)
        if checkpoint:
            changes["checkpoint"] = {**deployment.checkpoint, **checkpoint}
        if cloudformation_stack_id is not None:
            stack_changes["cloudformation_stack_id"] = cloudformation_stack_id
        await repository.save_deployment(deployment, **changes)
        if stack_changes:
            await repository.update_stack(stack, **stack_changes)
        await _add_events(deployment_id, events)
    return claimed(stack, deployment)


async def record_events(
    *, deployment_id: UUID, worker_id: str, events: Sequence[CloudFormationEvent]
) -> int:
    """Copy events (oldest first) into the deployment's record; returns how many were new."""
    async with transaction():
        await held(deployment_id, worker_id)
        return await _add_events(deployment_id, events)


async def _add_events(deployment_id: UUID, events: Sequence[CloudFormationEvent]) -> int:
    """Add the events not recorded yet (in a transaction holding the lease); how many."""
    if not events:
        return 0
    known = await work_repository.recorded_event_ids(deployment_id, (e.event_id for e in events))
    new: dict[str, StackEvent] = {}
    for event in events:
        if event.event_id not in known and event.event_id not in new:
            new[event.event_id] = StackEvent(
                deployment_id=deployment_id,
                event_id=event.event_id,
                timestamp=event.timestamp,
                logical_id=event.logical_id,
                physical_id=event.physical_id,
                resource_type=event.resource_type,
                status=event.status,
                reason=event.reason,
            )
    await work_repository.add_events(list(new.values()))
    return len(new)


async def last_event_id(*, deployment_id: UUID) -> str | None:
    """The newest recorded CloudFormation event id: where polling resumes."""
    return await work_repository.last_event_id(deployment_id)


def _final_stack_changes(
    deployment: Deployment,
    outputs: Mapping[str, Any] | None,
    drift_status: DriftStatus | None,
) -> dict[str, Any]:
    """What a successful deployment changes on its stack besides the status."""
    changes: dict[str, Any] = {}
    if deployment.kind in (DeploymentKind.CREATE, DeploymentKind.UPDATE, DeploymentKind.UPGRADE):
        changes |= {"template_version": deployment.template_version, "params": deployment.params}
    if outputs is not None:
        changes["outputs"] = dict(outputs)
    if drift_status is not None:
        changes |= {"drift_status": drift_status, "drift_checked_at": timezone.now()}
    return changes


async def finish(
    *,
    deployment_id: UUID,
    worker_id: str,
    status: DeploymentStatus,
    outputs: Mapping[str, Any] | None = None,
    error: DeploymentFailure | None = None,
    result: Mapping[str, Any] | None = None,
    drift_status: DriftStatus | None = None,
    events: Sequence[CloudFormationEvent] = (),
) -> DeploymentDetail:
    """End the deployment (``succeeded`` or ``failed``, with an ``error``) and move its stack,
    recording the last events polled in the same transaction."""
    if status not in (DeploymentStatus.SUCCEEDED, DeploymentStatus.FAILED):
        raise ValueError(f"a worker finishes with succeeded or failed, not {status.value}")
    if (status is DeploymentStatus.FAILED) != (error is not None):
        raise ValueError("give an error exactly when the deployment failed")
    async with transaction():
        stack, deployment = await held(deployment_id, worker_id)
        await _add_events(deployment_id, events)
        succeeded = status is DeploymentStatus.SUCCEEDED
        await conclude(
            stack,
            deployment,
            status,
            rollback_state=None if error is None else error.rollback_state,
            deployment_changes={
                "step": DeploymentStep.COMPLETED if succeeded else deployment.step,
                "error": None if error is None else error.model_dump(mode="json"),
                "result": None if result is None else dict(result),
            },
            stack_changes=_final_stack_changes(deployment, outputs, drift_status)
            if succeeded
            else {},
        )
        await audit(
            SYSTEM_ACTOR,
            f"deployment.{status.value}",
            deployment,
            worker_id=worker_id,
            error=None if error is None else error.code,
        )
    return deployment_detail(deployment)


async def hand_off(
    *,
    deployment_id: UUID,
    worker_id: str,
    step: DeploymentStep,
    checkpoint: Mapping[str, Any] | None = None,
    events: Sequence[CloudFormationEvent] = (),
) -> None:
    """Record the step reached and the events so far, and give the lease up until a worker
    looks at the stack again: a planned hand-off, so the claim that follows counts no attempt."""
    async with transaction():
        _, deployment = await held(deployment_id, worker_id)
        await repository.save_deployment(
            deployment,
            step=step,
            checkpoint={**deployment.checkpoint, **(checkpoint or {}), LOOKING_LATER: True},
            lease_owner=None,
            lease_expires_at=None,
        )
        await _add_events(deployment_id, events)


async def hand_back(*, deployment_id: UUID, worker_id: str, error: DeploymentFailure) -> None:
    """Give the lease up unfinished after a transient failure, showing the error meanwhile."""
    async with transaction():
        _, deployment = await held(deployment_id, worker_id)
        await repository.save_deployment(
            deployment,
            error=error.model_dump(mode="json"),
            lease_owner=None,
            lease_expires_at=None,
        )


async def give_up(*, deployment_id: UUID) -> DeploymentDetail | None:
    """End an abandoned deployment ``attempts_exhausted``; None if a worker holds it again
    or it finished meanwhile."""
    async with transaction():
        pair = await lock_pair(deployment_id)
        if pair is None or pair[1].active is None or pair[1].lease_owner is not None:
            return None
        stack, deployment = pair
        failure = attempts_exhausted(
            deployment.attempts,
            deployment.error,
            executing=deployment.status is DeploymentStatus.EXECUTING,
        )
        await conclude(
            stack,
            deployment,
            DeploymentStatus.FAILED,
            deployment_changes={"error": failure.model_dump(mode="json")},
        )
        await audit(SYSTEM_ACTOR, "deployment.failed", deployment, error=failure.code)
    return deployment_detail(deployment)
