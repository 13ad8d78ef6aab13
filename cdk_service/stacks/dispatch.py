"""Handing committed deployments to the workers: the port the job queue plugs into."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

import structlog

from cdk_service.db.models import Deployment, DeploymentStatus

log = structlog.get_logger(__name__)


class Dispatcher(Protocol):
    """Starts work on a deployment; called after the deployment's row is committed.

    Delivery may fail or be lost: the deployment then stays queued, and the resumer finds it
    with ``work.touch_unclaimed`` and enqueues it again. Workers are safe to run twice.
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
    """Enqueue a committed deployment; a failure is logged, since the row already stands."""
    try:
        await dispatcher.enqueue(deployment_id)
    except Exception:  # the row is committed; the resumer re-enqueues stale queued deployments
        log.exception("enqueue_failed", deployment_id=str(deployment_id))
