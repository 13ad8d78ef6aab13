"""The celery app a test worker runs: settings from the environment, the fake synthesizer.

``DATAHUB_TEST_PAUSE_AFTER_STEP`` makes the worker sleep ``DATAHUB_TEST_PAUSE_SECONDS`` right
after recording that step, and ``DATAHUB_TEST_PAUSE_BEFORE_FINISH`` right before recording the
end, so a test can kill it (or stop AWS) at a known point.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial
from typing import Any

from cdk_service.settings import Settings
from cdk_service.stacks import work
from cdk_service.worker.app import WorkerProcess, celery_app
from tests.cdk_service.worker.fakes import FakeSynthesizer

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

app = celery_app(Settings(), process_factory=partial(WorkerProcess, synthesizer=FakeSynthesizer()))
