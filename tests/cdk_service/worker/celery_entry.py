"""The celery app a test worker runs: settings from the environment, the fake synthesizer."""

from __future__ import annotations

from functools import partial

from cdk_service.settings import Settings
from cdk_service.worker.app import WorkerProcess, celery_app
from tests.cdk_service.worker.fakes import FakeSynthesizer

app = celery_app(Settings(), process_factory=partial(WorkerProcess, synthesizer=FakeSynthesizer()))
