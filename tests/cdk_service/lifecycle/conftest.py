"""The whole platform on loopback: the API in this process, real celery workers, moto's server.

One set of workers serves the module: ``celery worker`` subprocesses of the real app
(``cdk_service.jobs.main``) on Redis, each with its warm synth pool (real jsii synthesis), on
the test database and moto. The API runs in the test's event loop with the real registry
(every built-in version published) and a dispatcher that queues on the same Redis queue.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.catalog import service as catalog
from cdk_service.jobs.app import celery_app
from cdk_service.jobs.tasks import CeleryDispatcher
from cdk_service.runtime import publish_all
from cdk_service.settings import Settings
from service_contract.identity import Identity
from stack_catalog.registry import Registry
from tests.aws import ACCOUNT, FAKE_CREDENTIALS, REGION
from tests.cdk_service.api.conftest import KEY, Caller

REPOSITORY = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("DATAHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WORKERS = 1
FINAL = {"succeeded", "failed", "cancelled"}
HELD = {"awaiting_execution", "pending_approval"}
# The first deployment waits for a worker's synth pool to warm (jsii, about 10 s on a busy box).
FINISHED_WITHIN_SECONDS = 180
# Uploaded template bundles live in this bucket on moto (tests that upload create it).
BUNDLE_BUCKET = "datahub-lifecycle-bundles"


@pytest.fixture(autouse=True)
def isolated_aws(fake_credentials: None, fresh_moto: None) -> None:
    """Fake credentials for every test here; moto emptied after each (``tests/aws.py``)."""


@dataclass(frozen=True)
class WorkerSet:
    """Celery worker subprocesses consuming one queue of their own."""

    queue: str
    processes: list[subprocess.Popen[bytes]]
    logs: list[Path]

    def alive(self) -> bool:
        """Whether every worker still runs."""
        return all(process.poll() is None for process in self.processes)

    def tail(self, lines: int = 60) -> str:
        """The end of each worker's log, for a failing test's report."""
        return "\n".join(
            "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) for log in self.logs
        )


@pytest.fixture(scope="module")
def workers(
    database_url: str, moto_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerSet]:
    """``celery worker --pool=solo`` processes of the real app, for the whole module."""
    queue = f"datahub-lifecycle-{uuid4().hex}"
    root = tmp_path_factory.mktemp("workers")
    environment = {
        **os.environ,
        **FAKE_CREDENTIALS,
        "DATAHUB_DATABASE_URL": database_url,
        "DATAHUB_AWS_ENDPOINT_URL": moto_url,
        "DATAHUB_BROKER_URL": REDIS_URL,
        "DATAHUB_WORKER_QUEUE": queue,
        "DATAHUB_WORKER_POLL_SECONDS": "0.2",
        "DATAHUB_WORKER_RETRY_FIRST_SECONDS": "0.5",
        "DATAHUB_SYNTH_WORKERS": "1",
        "DATAHUB_STATE_DIR": str(root),
        "DATAHUB_LOG_JSON": "false",
        "DATAHUB_BUNDLE_BUCKET": BUNDLE_BUCKET,
    }
    environment.pop("AWS_PROFILE", None)
    command = [
        sys.executable, "-m", "celery", "-A", "cdk_service.jobs.main", "worker",
        "--pool=solo", "--queues", queue, "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    logs = [root / f"worker-{n}.log" for n in range(WORKERS)]
    processes = []
    for n, log in enumerate(logs):
        with log.open("wb") as output:
            processes.append(
                subprocess.Popen(
                    [*command, "--hostname", f"lifecycle-{n}@%h"],
                    cwd=REPOSITORY,
                    env=environment,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        yield WorkerSet(queue=queue, processes=processes, logs=logs)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


@dataclass
class Platform:
    """Signed calls to the API as a user, and waits on what the workers do."""

    client: TestClient
    workers: WorkerSet

    def as_user(self, identity: Identity) -> Caller:
        """Requests signed as ``identity``."""
        return Caller(self.client, identity)

    async def call(
        self, identity: Identity, method: str, path: str, body: Any = None, expect: int = 200
    ) -> Any:
        """One signed call; the answer's JSON, after checking its status."""
        status, answer = await self.as_user(identity)(method, path, body)
        assert status == expect, json.dumps(answer, indent=1)
        return answer

    async def settled(self, identity: Identity, deployment_id: str) -> dict[str, Any]:
        """The deployment once it is final or held for approval."""
        deadline = time.monotonic() + FINISHED_WITHIN_SECONDS
        while time.monotonic() < deadline:
            assert self.workers.alive(), f"a worker exited:\n{self.workers.tail()}"
            deployment = await self.call(identity, "GET", f"/v1/deployments/{deployment_id}")
            if deployment["status"] in FINAL | HELD:
                return dict(deployment)
            await asyncio.sleep(0.2)
        raise AssertionError(f"{deployment_id} did not settle; workers:\n{self.workers.tail()}")


@pytest.fixture
def settings(database_url: str, moto_url: str, workers: WorkerSet, tmp_path: Path) -> Settings:
    """The API's settings: same database, moto, broker and queue as the workers."""
    return Settings(
        service_key=KEY,
        state_dir=tmp_path,
        database_url=database_url,
        aws_endpoint_url=moto_url,
        broker_url=REDIS_URL,
        worker_queue=workers.queue,
        default_account=ACCOUNT,
        default_region=REGION,
        bundle_bucket=BUNDLE_BUCKET,
    )


class NoSynthesis:
    """The API's synthesizer, unused here: the workers synthesize."""

    async def synth(self, request: Any) -> Any:
        raise AssertionError("the API does not synthesize in these tests")

    def stats(self) -> dict[str, Any]:
        return {}


@pytest.fixture
async def platform(
    aiohttp_client: Any, db: str, settings: Settings, workers: WorkerSet
) -> Platform:
    """The API on the real registry, every built-in version published, queueing to the workers."""
    registry = Registry.discover()
    report = await catalog.sync_registry(registry=registry)
    await publish_all(registry, report.registered, settings)
    app = celery_app(settings)
    app.conf.task_default_queue = workers.queue
    services = Services(
        settings=settings,
        registry=registry,
        synthesizer=NoSynthesis(),
        dispatcher=CeleryDispatcher(app),
    )
    return Platform(client=await aiohttp_client(create_app(services)), workers=workers)
