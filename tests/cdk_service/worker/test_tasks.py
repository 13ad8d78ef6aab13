"""A real celery worker on Redis picks up an enqueued deployment and carries it out."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest

from cdk_service.db.models import Deployment, DeploymentStatus
from cdk_service.settings import Settings
from cdk_service.worker.app import celery_app
from cdk_service.worker.tasks import CeleryDispatcher, retry_delay
from tests.cdk_service.deployment import templates
from tests.cdk_service.deployment.conftest import Aws
from tests.cdk_service.stacks.conftest import Requester
from tests.conftest import ANALYST

REPOSITORY = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("DATAHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
FINISHED_WITHIN_SECONDS = 30


@pytest.fixture
def queue() -> str:
    """A queue of this test's own, so no other worker on the same Redis takes its task."""
    return f"datahub-test-{uuid4().hex}"


@pytest.fixture
def celery_worker(settings: Settings, queue: str) -> Iterator[subprocess.Popen[bytes]]:
    """``celery worker --pool=solo`` on the test database, moto and Redis."""
    environment = {
        **os.environ,
        "DATAHUB_DATABASE_URL": str(settings.database_url),
        "DATAHUB_AWS_ENDPOINT_URL": str(settings.aws_endpoint_url),
        "DATAHUB_BROKER_URL": REDIS_URL,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "tests.cdk_service.worker.celery_entry",
        "worker", "--pool=solo", "--queues", queue, "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    worker = subprocess.Popen(
        command,
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=20)
        sys.stdout.write(output.decode(errors="replace"))  # shown when the test fails


async def test_a_celery_worker_deploys_an_enqueued_deployment(
    requester: Requester,
    settings: Settings,
    queue: str,
    celery_worker: subprocess.Popen[bytes],
    aws: Aws,
) -> None:
    app = celery_app(settings.model_copy(update={"broker_url": REDIS_URL}))
    app.conf.task_default_queue = queue
    accepted = await requester.stack(ANALYST)

    await CeleryDispatcher(app).enqueue(accepted.deployment.id)

    deadline = time.monotonic() + FINISHED_WITHIN_SECONDS
    deployment = await Deployment.get(id=accepted.deployment.id)
    while deployment.status is not DeploymentStatus.SUCCEEDED and time.monotonic() < deadline:
        assert celery_worker.poll() is None, "the worker exited"
        await asyncio.sleep(0.2)
        deployment = await Deployment.get(id=accepted.deployment.id)
    assert deployment.status is DeploymentStatus.SUCCEEDED
    assert deployment.lease_owner is None
    assert templates.BUCKET in [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]


def test_retries_back_off_up_to_five_minutes() -> None:
    delays = [retry_delay(retries, first=5, longest=300) for retries in range(10)]

    assert 2.5 <= delays[0] <= 5
    assert all(150 <= delay <= 300 for delay in delays[7:])
