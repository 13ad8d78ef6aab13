"""Celery entry points: the deploy task, and the dispatcher that queues it."""

from __future__ import annotations

import asyncio
import random
from typing import Any
from uuid import UUID

from celery import Celery, shared_task

from cdk_service.worker.app import worker_process
from cdk_service.worker.flow import RetryLater, run_deployment

MAX_RETRIES = 8
FIRST_RETRY_SECONDS = 5.0
LONGEST_RETRY_SECONDS = 300.0


def retry_delay(retries: int) -> float:
    """Exponential backoff with jitter, so throttled workers do not retry in step."""
    ceiling = min(FIRST_RETRY_SECONDS * 2**retries, LONGEST_RETRY_SECONDS)
    return random.uniform(ceiling / 2, ceiling)


@shared_task(bind=True, name="datahub.deploy", max_retries=MAX_RETRIES)
def deploy(self: Any, deployment_id: str) -> str | None:
    """Run or resume one deployment; a second run finds it held or final and does nothing."""
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
    except RetryLater as error:
        # Past the last retry the deployment waits, unleased, for the resumer.
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries)) from error
    return None if status is None else status.value


class CeleryDispatcher:
    """The job queue behind ``stacks.dispatch``: queues the deploy task on the broker."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    async def enqueue(self, deployment_id: UUID) -> None:
        """Queue ``deploy(deployment_id)`` (publishing blocks, so off the event loop)."""
        task = self.app.tasks[deploy.name]
        await asyncio.to_thread(task.delay, str(deployment_id))
