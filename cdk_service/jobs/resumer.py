"""The resumer: no deployment stays in progress forever.

Run by the scheduler (``celery beat``), it queues again the deployments a worker should be
running but none is: those whose worker died (its lease ran out), those whose message could
not be sent (the broker was away), and, the last resort, those nothing claimed for a while
(the broker lost the message, or celery ran out of retries). A deployment that
has had ``max_attempts`` runs is ended failed, ``attempts_exhausted``, instead. Queuing one
twice is harmless: only one worker can claim it, and it resumes from the recorded step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

import structlog

from cdk_service.deployments import work
from cdk_service.stacks.dispatch import Dispatcher, enqueue_quietly

log = structlog.get_logger(__name__)


@dataclass
class Resumed:
    """What one sweep did."""

    queued: list[UUID] = field(default_factory=list)
    given_up: list[UUID] = field(default_factory=list)


async def resume_abandoned(
    *,
    dispatcher: Dispatcher,
    max_attempts: int,
    unclaimed_after_seconds: float,
    limit: int = 100,
) -> Resumed:
    """Queue abandoned deployments again, or end them failed once out of attempts."""
    abandoned = await work.take_back_expired(limit=limit)
    abandoned += await work.touch_unclaimed(older_than_seconds=unclaimed_after_seconds, limit=limit)
    resumed = Resumed()
    for deployment_id, attempts in abandoned:
        if attempts < max_attempts:
            await enqueue_quietly(dispatcher, deployment_id)  # failing, left to the next sweep
            resumed.queued.append(deployment_id)
        elif await work.give_up(deployment_id=deployment_id) is not None:
            resumed.given_up.append(deployment_id)
    if abandoned:
        log.info(
            "abandoned_deployments_resumed",
            queued=[str(d) for d in resumed.queued],
            given_up=[str(d) for d in resumed.given_up],
        )
    return resumed
