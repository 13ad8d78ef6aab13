"""Celery entry points: the deploy task, and the dispatcher that queues it."""

from __future__ import annotations

import asyncio
import random
from typing import Any
from uuid import UUID

from celery import Celery, shared_task

from cdk_service.worker.app import worker_process
from cdk_service.worker.flow import RetryLater, run_deployment
from cdk_service.worker.steps import LookLater

# Celery's own cap, above the settings' deployment_max_attempts that usually ends it first;
# past it the deployment waits, unleased, for the resumer.
MAX_RETRIES = 16


def retry_delay(retries: int, *, first: float, longest: float) -> float:
    """Exponential backoff with jitter, so throttled workers do not retry in step."""
    ceiling = min(first * 2**retries, longest)
    return random.uniform(ceiling / 2, ceiling)


@shared_task(bind=True, name="datahub.deploy", max_retries=MAX_RETRIES)
def deploy(self: Any, deployment_id: str) -> str | None:
    """Run or resume one deployment; a second run finds it held or final and does nothing.

    While CloudFormation changes the stack the worker is freed: the deployment is handed off
    and the same task queued again to look in a moment (a new message, not a retry). Were
    that message lost, the resumer queues the deployment again.
    """
    process = worker_process(self.app)
    try:
        status = process.run(
            run_deployment(
                UUID(deployment_id),
                worker_id=process.worker_id,
                engine=process.engine,
                synthesizer=process.synthesizer,
                settings=process.settings,
            )
        )
    except LookLater as later:
        self.apply_async((deployment_id,), countdown=later.seconds)
        return None
    except RetryLater as error:
        settings = process.settings
        delay = retry_delay(
            self.request.retries,
            first=settings.worker_retry_first_seconds,
            longest=settings.worker_retry_longest_seconds,
        )
        raise self.retry(exc=error, countdown=delay) from error
    return None if status is None else status.value


class CeleryDispatcher:
    """The job queue behind ``stacks.dispatch``: queues the deploy task on the broker."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    async def enqueue(self, deployment_id: UUID) -> None:
        """Queue ``deploy(deployment_id)`` (publishing blocks, so off the event loop)."""
        task = self.app.tasks[deploy.name]
        await asyncio.to_thread(task.delay, str(deployment_id))
