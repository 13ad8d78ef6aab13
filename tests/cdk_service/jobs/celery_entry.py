"""The celery app a test worker runs: settings from the environment, the fake synthesizer.

``DATAHUB_TEST_PAUSE_AFTER_STEP`` makes the worker sleep ``DATAHUB_TEST_PAUSE_SECONDS`` right
after recording that step, and ``DATAHUB_TEST_PAUSE_BEFORE_FINISH`` right before recording the
end, so a test can kill it (or stop AWS) at a known point. ``DATAHUB_TEST_CHANGING_STACK``
shows that CloudFormation stack as still changing to its first ``DATAHUB_TEST_CHANGING_LOOKS``
looks (moto finishes a stack before the first); ``DATAHUB_TEST_QUEUE_PER_STACK`` synthesizes
one queue named after each stack instead of the workspace template.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from typing import Any

from cdk_service.cloudformation.models import StackState
from cdk_service.deployments import work
from cdk_service.jobs.app import WorkerProcess, celery_app
from cdk_service.settings import Settings
from service_contract.targets import Target
from tests.cdk_service.jobs.fakes import FakeSynthesizer, QueuePerStackSynthesizer

PAUSE_AFTER_STEP = os.environ.get("DATAHUB_TEST_PAUSE_AFTER_STEP")
PAUSE_SECONDS = float(os.environ.get("DATAHUB_TEST_PAUSE_SECONDS", "3600"))

if PAUSE_AFTER_STEP:
    record_step = work.record_step

    async def record_step_then_pause(**recorded: Any) -> work.ClaimedDeployment:
        claimed = await record_step(**recorded)
        if recorded["step"].value == PAUSE_AFTER_STEP:
            await asyncio.sleep(PAUSE_SECONDS)
        return claimed

    work.record_step = record_step_then_pause  # type: ignore[assignment]

if os.environ.get("DATAHUB_TEST_PAUSE_BEFORE_FINISH"):
    finish = work.finish

    async def pause_then_finish(**finished: Any) -> Any:
        await asyncio.sleep(PAUSE_SECONDS)
        return await finish(**finished)

    work.finish = pause_then_finish  # type: ignore[assignment]

CHANGING_STACK = os.environ.get("DATAHUB_TEST_CHANGING_STACK")
CHANGING_LOOKS = int(os.environ.get("DATAHUB_TEST_CHANGING_LOOKS", "0"))


def shown_changing(status: Callable[[Target, str], StackState]) -> Callable[..., StackState]:
    """``status``, but ``CHANGING_STACK`` in progress to its first ``CHANGING_LOOKS`` looks."""
    looks: list[str] = []

    def changing_at_first(target: Target, stack: str) -> StackState:
        state = status(target, stack)
        if state.stack_name != CHANGING_STACK or len(looks) >= CHANGING_LOOKS:
            return state
        looks.append(stack)
        return state.model_copy(update={"status": "CREATE_IN_PROGRESS", "outcome": "in_progress"})

    return changing_at_first


def worker_process_for_tests(settings: Settings) -> WorkerProcess:
    """The real worker process with a fake synthesizer (and a stack shown changing)."""
    queue_per_stack = os.environ.get("DATAHUB_TEST_QUEUE_PER_STACK")
    synthesizer = QueuePerStackSynthesizer() if queue_per_stack else FakeSynthesizer()
    process = WorkerProcess(settings, synthesizer=synthesizer)
    if CHANGING_STACK:
        process.engine.status = shown_changing(process.engine.status)  # type: ignore[method-assign]
    return process


app = celery_app(Settings(), process_factory=worker_process_for_tests)
