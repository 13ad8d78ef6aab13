"""Celery entry points: the deploy task, and the dispatcher that queues it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import kombu.exceptions
from celery import Celery, shared_task

from cdk_service.db.models import DeploymentStatus
from cdk_service.db.outage import backoff as retry_delay
from cdk_service.db.outage import connection_lost, riding_out_outages
from cdk_service.jobs.app import WorkerProcess, worker_process
from cdk_service.jobs.flow import RetryLater, run_deployment
from cdk_service.jobs.steps import LookLater
from cdk_service.settings import Settings
from cdk_service.shares.flows import after_deployment
from cdk_service.stacks.dispatch import mark_undelivered
from cdk_service.stacks.policies import FINAL

# Celery's own cap, above the settings' deployment_max_attempts that usually ends it first;
# past it the deployment waits, unleased, for the resumer.
MAX_RETRIES = 16
# Publishing while the broker is away (a restart, a failover): kombu tries again at these
# intervals. A request waits a few seconds at most; a worker, with nothing else to do, longer.
# Past them the deployment is marked for the resumer's next sweep.
SERVICE_PUBLISH_RETRY = {
    "max_retries": 6,
    "interval_start": 0.1,
    "interval_step": 0.3,
    "interval_max": 1.0,
}  # about 4 s
WORKER_PUBLISH_RETRY = {
    "max_retries": 20,
    "interval_start": 0.2,
    "interval_step": 0.5,
    "interval_max": 2.0,
}  # about 35 s
# How long a worker tries a deployment again in place while the database is away (each try on
# a fresh connection) before it hands the deployment on to a later message.
DATABASE_OUTAGE_SECONDS = 30.0


@shared_task(bind=True, name="datahub.deploy", max_retries=MAX_RETRIES)
def deploy(self: Any, deployment_id: str) -> str | None:
    """Run or resume one deployment; a second run finds it held or final and does nothing.

    While CloudFormation changes the stack the worker is freed: the deployment is handed off
    and the same task queued again to look in a moment (a new message, not a retry). Were
    that message lost, the resumer queues the deployment again.
    """
    process = worker_process(self.app)
    settings = process.settings

    async def run() -> DeploymentStatus | None:
        status = await run_deployment(
            UUID(deployment_id),
            worker_id=process.worker_id,
            engine=process.engine,
            synthesizer=process.synthesizer,
            settings=settings,
        )
        if status in FINAL:  # a grant or revoke of a dataset share may follow
            await after_deployment(UUID(deployment_id), dispatcher=CeleryDispatcher(self.app))
        return status

    try:
        # A step that met a lost database connection (a failover, a restart) runs again from
        # the recorded step on a fresh one; the message is acknowledged only afterwards.
        status = process.run(riding_out_outages(run, within_seconds=DATABASE_OUTAGE_SECONDS))
    except LookLater as later:
        with _undelivered_marked(process, deployment_id):
            self.apply_async(
                (deployment_id,), countdown=later.seconds, retry_policy=WORKER_PUBLISH_RETRY
            )
        return None
    except Exception as error:
        if not isinstance(error, RetryLater) and not connection_lost(error):
            raise
        # AWS failed transiently, or the database stayed away: a later message runs it again.
        with _undelivered_marked(process, deployment_id):
            raise self.retry(
                exc=error, countdown=_backoff(self, settings), retry_policy=WORKER_PUBLISH_RETRY
            ) from error
    return None if status is None else status.value


@contextlib.contextmanager
def _undelivered_marked(process: WorkerProcess, deployment_id: str) -> Iterator[None]:
    """A message the broker would not take, even retried, leaves the deployment marked for
    the resumer's next sweep (its lease is released already) before the task fails."""
    try:
        yield
    except kombu.exceptions.OperationalError:
        process.run(mark_undelivered(UUID(deployment_id)))
        raise


def _backoff(task: Any, settings: Settings) -> float:
    return retry_delay(
        task.request.retries,
        first=settings.worker_retry_first_seconds,
        longest=settings.worker_retry_longest_seconds,
    )


class CeleryDispatcher:
    """The job queue behind ``stacks.dispatch``: queues the deploy task on the broker."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    async def enqueue(self, deployment_id: UUID) -> None:
        """Queue ``deploy(deployment_id)`` (publishing blocks, so off the event loop), trying
        again for a few seconds while the broker is away (a restart)."""
        task = self.app.tasks[deploy.name]
        await asyncio.to_thread(
            task.apply_async, (str(deployment_id),), retry_policy=SERVICE_PUBLISH_RETRY
        )
