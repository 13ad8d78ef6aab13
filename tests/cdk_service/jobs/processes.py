"""Real celery workers for tests: ``celery worker --pool=solo`` subprocesses on Redis.

Each test gets a queue of its own, so no other worker on the same Redis takes its tasks.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from cdk_service.jobs.app import celery_app
from cdk_service.jobs.tasks import CeleryDispatcher
from cdk_service.settings import Settings

REPOSITORY = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("DATAHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Fast enough for tests that take seconds: leases, polls, retries and sweeps.
QUICK = {
    "DATAHUB_WORKER_LEASE_SECONDS": "3",  # renewed while a worker lives; a killed one's runs out
    "DATAHUB_WORKER_POLL_SECONDS": "0.1",
    "DATAHUB_WORKER_RETRY_FIRST_SECONDS": "0.2",
    "DATAHUB_WORKER_RETRY_LONGEST_SECONDS": "0.5",
    "DATAHUB_AWS_MAX_ATTEMPTS": "1",
    "DATAHUB_RESUME_INTERVAL_SECONDS": "0.5",
    "DATAHUB_RESUME_UNCLAIMED_AFTER_SECONDS": "1",
}


@dataclass
class Workers:
    """Starts test workers on one queue and stops every one of them at the end."""

    settings: Settings
    queue: str
    state_dir: Path
    broker_url: str = REDIS_URL
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *, beat: bool = False, **environment: str) -> subprocess.Popen[bytes]:
        """A worker (with the scheduler when ``beat``); ``environment`` overrides settings."""
        env = {
            **os.environ,
            **QUICK,
            "DATAHUB_DATABASE_URL": str(self.settings.database_url),
            "DATAHUB_AWS_ENDPOINT_URL": str(self.settings.aws_endpoint_url),
            "DATAHUB_BROKER_URL": self.broker_url,
            "DATAHUB_WORKER_QUEUE": self.queue,
            "DATAHUB_STATE_DIR": str(self.state_dir),
            "DATAHUB_LOG_JSON": "false",
            **environment,
        }
        command = [
            sys.executable, "-m", "celery", "-A", "tests.cdk_service.jobs.celery_entry",
            "worker", "--pool=solo", "--loglevel=INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if beat:
            command += ["--beat", "--schedule", str(self.state_dir / f"beat-{uuid4().hex}")]
        worker = subprocess.Popen(
            command, cwd=REPOSITORY, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.started.append(worker)
        return worker

    async def ready(self, *, within: float = 60.0) -> None:
        """Wait until every worker started answers a ping on the broker (it takes tasks)."""
        app = celery_app(self.settings.model_copy(update={"broker_url": self.broker_url}))
        deadline = time.monotonic() + within
        while True:
            answers = await asyncio.to_thread(app.control.ping, timeout=0.5)
            if len(answers) >= len([w for w in self.started if w.poll() is None]):
                return
            assert time.monotonic() < deadline, f"workers not ready within {within:g} s"

    async def enqueue(self, deployment_id: UUID) -> None:
        """Queue the deploy task as the service does, on the test's queue."""
        update = {"broker_url": self.broker_url, "worker_queue": self.queue}
        app = celery_app(self.settings.model_copy(update=update))
        await CeleryDispatcher(app).enqueue(deployment_id)

    def stop_all(self) -> None:
        """Stop the workers still running; print what each said (shown when a test fails)."""
        for worker in self.started:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            try:
                output, _ = worker.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                output, _ = worker.communicate()
            sys.stdout.write(output.decode(errors="replace"))


@pytest.fixture
def workers(settings: Settings, tmp_path: Path) -> Iterator[Workers]:
    """Test workers on a queue of this test's own."""
    started = Workers(settings, f"datahub-test-{uuid4().hex}", tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 30.0, what: str = "the condition"
) -> None:
    """Wait until ``check`` holds, looking every 0.1 s; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, f"{what} did not happen within {within:g} s"
        await asyncio.sleep(0.1)
