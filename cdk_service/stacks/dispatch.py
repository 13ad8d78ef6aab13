"""Handing committed deployments to the workers: the port the job queue plugs into."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

import structlog

from cdk_service.db.models import Deployment, DeploymentStatus
from cdk_service.stacks import work_repository

log = structlog.get_logger(__name__)


class Dispatcher(Protocol):
    """Starts work on a deployment; called after the deployment's row is committed.

    Delivery may fail (the broker away): the deployment is then marked undelivered and the
    resumer's next sweep (``work.touch_unclaimed``) enqueues it again; a message lost after it
    was sent leaves it queued until that sweep finds it untouched for a while, the last
    resort. Workers are safe to run twice.
    """

    async def enqueue(self, deployment_id: UUID) -> None:
        """Queue the deployment for a worker."""


class UnwiredDispatcher:
    """Until a job queue is wired in: queued deployments wait for the resumer."""

    async def enqueue(self, deployment_id: UUID) -> None:
        """Log that nothing was queued."""
        log.warning("no_dispatcher_wired", deployment_id=str(deployment_id))


async def dispatch(dispatcher: Dispatcher, deployment: Deployment) -> None:
    """Enqueue a committed deployment if it is queued; the request stands even if this fails."""
    if deployment.status is DeploymentStatus.QUEUED:
        await enqueue_quietly(dispatcher, deployment.id)


async def enqueue_quietly(dispatcher: Dispatcher, deployment_id: UUID) -> None:
    """Enqueue a committed deployment; a failure is logged, and the deployment marked for the
    resumer's next sweep, since the row already stands."""
    try:
        await dispatcher.enqueue(deployment_id)
    except Exception:  # the row is committed: the resumer queues it again
        log.exception("enqueue_failed", deployment_id=str(deployment_id))
        await mark_undelivered(deployment_id)


async def mark_undelivered(deployment_id: UUID) -> None:
    """Hand a deployment whose message could not be sent to the resumer's next sweep (if the
    database is away too, the sweep for untouched deployments finds it later)."""
    try:
        await work_repository.mark_undelivered(deployment_id)
    except Exception:
        log.exception("undelivered_not_recorded", deployment_id=str(deployment_id))
