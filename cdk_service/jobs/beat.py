"""What ``celery beat`` sends, and how often: the scheduler's two sweeps."""

from __future__ import annotations

from typing import Any

from cdk_service.settings import Settings

RESUME_TASK = "datahub.resume_deployments"
EXPIRY_TASK = "datahub.expire_stacks"


def beat_schedule(settings: Settings) -> dict[str, Any]:
    """The resumer and the expiry sweep at their intervals; a sweep no worker took before
    the next one is due is dropped, so a stopped worker fleet does not come back to a pile."""
    sweeps = {
        RESUME_TASK: settings.resume_interval_seconds,
        EXPIRY_TASK: settings.expiry_interval_seconds,
    }
    return {
        task: {"task": task, "schedule": seconds, "options": {"expires": seconds}}
        for task, seconds in sweeps.items()
    }
