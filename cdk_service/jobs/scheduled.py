"""The scheduler's sweeps as celery tasks (sent by ``celery beat``, run by any worker)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from cdk_service.deployments.expiry import sweep_expiry
from cdk_service.jobs.app import worker_process
from cdk_service.jobs.beat import EXPIRY_TASK, RESUME_TASK
from cdk_service.jobs.resumer import resume_abandoned
from cdk_service.jobs.tasks import CeleryDispatcher


@shared_task(bind=True, name=RESUME_TASK)
def resume_deployments(self: Any) -> None:
    """Queue abandoned deployments again; end those out of attempts failed."""
    process = worker_process(self.app)
    settings = process.settings
    process.run(
        resume_abandoned(
            dispatcher=CeleryDispatcher(self.app),
            max_attempts=settings.deployment_max_attempts,
            unclaimed_after_seconds=settings.resume_unclaimed_after_seconds,
        )
    )


@shared_task(bind=True, name=EXPIRY_TASK)
def expire_stacks(self: Any) -> None:
    """Destroy warned stacks past their expiry; warn the owners of those expiring soon."""
    process = worker_process(self.app)
    process.run(
        sweep_expiry(
            dispatcher=CeleryDispatcher(self.app),
            warning_seconds=process.settings.expiry_warning_seconds,
        )
    )
