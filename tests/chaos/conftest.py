"""Chaos fixtures: the API in this process, real workers and the scheduler, deployments in
flight, and a way to watch them end.

The scheduler runs with its sweep for unclaimed deployments at its default (ten minutes), so a
deployment that needed it would not end within a case: each case asserts every deployment
ended well before. Workers synthesize one SQS queue per stack (no jsii), as in the worker tests.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient

from cdk_service.api.app import create_app
from cdk_service.api.context import Services
from cdk_service.db.models import Deployment, DeploymentStatus, Stack, VersionStatus
from cdk_service.jobs.app import celery_app
from cdk_service.jobs.tasks import CeleryDispatcher
from cdk_service.settings import Settings
from service_contract import signing
from tests.aws import ACCOUNT, REGION, Aws
from tests.cdk_service.api.conftest import KEY
from tests.cdk_service.jobs.fakes import QueuePerStackSynthesizer
from tests.cdk_service.jobs.processes import Workers
from tests.conftest import ANALYST, Factories, StubDigestRegistry

# The resumer at its defaults (its sweep for unclaimed deployments after ten minutes): no case
# may wait for it, nor for a lease to run out.
CHAOS_WORKER = {
    "DATAHUB_TEST_QUEUE_PER_STACK": "1",
    "DATAHUB_RESUME_INTERVAL_SECONDS": "30",
    "DATAHUB_RESUME_UNCLAIMED_AFTER_SECONDS": "600",
    "DATAHUB_DEPLOYMENT_MAX_ATTEMPTS": "1000",
    # A lease outlives every case: a run that stopped on an outage may not wait for it to end.
    "DATAHUB_WORKER_LEASE_SECONDS": "120",
}


@pytest.fixture(autouse=True)
def isolated_aws(fake_credentials: None, fresh_moto: None) -> None:
    """Fake credentials for every case; moto emptied after each."""


@pytest.fixture
def settings(moto_url: str, db: str, tmp_path: Path) -> Settings:
    """The API's and the workers' settings: the test database and moto."""
    return Settings(
        service_key=KEY,
        state_dir=tmp_path,
        database_url=db,
        aws_endpoint_url=moto_url,
        default_account=ACCOUNT,
        default_region=REGION,
    )


@dataclass(frozen=True)
class Requested:
    """A stack requested through the API, and what the request went through."""

    stack_id: UUID
    deployment_id: UUID
    stack_name: str
    unavailable_answers: int  # 503s (with Retry-After) answered before it was accepted


@dataclass
class Platform:
    """The API (signed calls as an analyst) queueing to the case's workers."""

    client: TestClient
    workers: Workers
    aws: Aws
    requested: list[Requested] = field(default_factory=list)

    async def request_stack(self, name: str) -> Requested:
        """Request an SQS-queue stack as a user would: on 503, wait Retry-After and send it
        again with the same Idempotency-Key. Any other failure fails the case."""
        body = {
            "name": name,
            "team": "analytics",
            "template": "queue",
            "version": "0.1.0",
            "params": {"queue_name": name},
        }
        unavailable = 0
        while True:
            response = await self.client.request(
                "POST", "/v1/stacks", data=_json(body), headers=_signed(body, name)
            )
            answer = await response.json(content_type=None)
            if response.status == 202:
                break
            assert response.status == 503, (response.status, answer)
            assert "Retry-After" in response.headers, answer
            unavailable += 1
            await asyncio.sleep(float(response.headers["Retry-After"]) / 4)
        requested = Requested(
            stack_id=UUID(answer["stack"]["id"]),
            deployment_id=UUID(answer["deployment"]["id"]),
            stack_name=answer["stack"]["cloudformation_stack_name"],
            unavailable_answers=unavailable,
        )
        self.requested.append(requested)
        return requested

    async def ready(self) -> bool:
        """Whether ``/readyz`` says the service is ready."""
        response = await self.client.get("/readyz")
        return response.status == 200

    async def all_ended(self, *, within: float) -> list[Deployment]:
        """Every requested deployment once all have ended; fails after ``within`` seconds."""
        deadline = time.monotonic() + within
        deployments: list[Deployment] = []
        while True:
            for worker in self.workers.started:
                assert worker.poll() is None or worker.returncode < 0, "a worker exited"
            try:
                ids = [r.deployment_id for r in self.requested]
                deployments = await Deployment.filter(id__in=ids)
                if len(deployments) == len(ids) and all(d.active is None for d in deployments):
                    return deployments
            except Exception:  # the database may be restarting under the check
                pass
            if time.monotonic() > deadline:
                late = {str(d.id): (d.status.value, d.step.value) for d in deployments}
                raise AssertionError(f"deployments still in progress after {within:g} s: {late}")
            await asyncio.sleep(0.2)

    async def check_every_stack_deployed_once(self, deployments: list[Deployment]) -> None:
        """Each deployment succeeded, on its first attempt's stack; moto has each stack once."""
        for deployment in deployments:
            assert deployment.status is DeploymentStatus.SUCCEEDED, deployment.error
        names = [
            s["StackName"]
            for s in self.aws("cloudformation").list_stacks()["StackSummaries"]
            if s["StackStatus"] != "DELETE_COMPLETE"
        ]
        assert sorted(names) == sorted(r.stack_name for r in self.requested)
        stacks = await Stack.filter(id__in=[r.stack_id for r in self.requested])
        assert {s.status.value for s in stacks} == {"active"}


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()


def _signed(body: Any, key: str) -> dict[str, str]:
    raw = _json(body)
    headers = signing.sign(
        KEY.encode(), method="POST", path="/v1/stacks", body=raw, identity=ANALYST
    )
    return {**headers, "Idempotency-Key": f"chaos-{key}"}


def report(
    outage: str, platform: Platform, deployments: list[Deployment], outages: list[datetime]
) -> None:
    """Print what the outage cost (``pytest -s`` shows it): the longest deployment against
    the median one, and how long after the outage's end the last deployment ended."""
    durations = sorted((d.finished_at - d.created_at).total_seconds() for d in deployments)
    median = statistics.median(durations)
    last_end = max(d.finished_at for d in deployments)
    unavailable = sum(r.unavailable_answers for r in platform.requested)
    print(
        f"\nCHAOS {outage}: {len(deployments)} deployments, longest {durations[-1]:.1f} s "
        f"(median {median:.1f} s: at worst {durations[-1] - median:.1f} s added), last ended "
        f"{(last_end - max(outages)).total_seconds():.1f} s after the outage; "
        f"{unavailable} requests answered 503 first"
    )


@pytest.fixture
async def published(factories: Factories) -> StubDigestRegistry:
    """The test registry, with queue 0.1.0 published."""
    await factories.template_version("queue", "0.1.0", status=VersionStatus.PUBLISHED)
    assert isinstance(factories.registry, StubDigestRegistry)
    return factories.registry


@pytest.fixture
async def platform(
    aiohttp_client: Any,
    published: StubDigestRegistry,
    settings: Settings,
    workers: Workers,
    aws: Aws,
) -> Platform:
    """The API on the test registry (queue 0.1.0 published), queueing to the case's workers."""
    return await serve(aiohttp_client, published, settings, workers, aws)


async def serve(
    aiohttp_client: Any,
    registry: StubDigestRegistry,
    settings: Settings,
    workers: Workers,
    aws: Aws,
) -> Platform:
    """The API queueing on the workers' broker and queue."""
    app = celery_app(settings.model_copy(update={"broker_url": workers.broker_url}))
    app.conf.task_default_queue = workers.queue
    services = Services(
        settings=settings,
        registry=registry,
        synthesizer=QueuePerStackSynthesizer(),
        dispatcher=CeleryDispatcher(app),
    )
    return Platform(client=await aiohttp_client(create_app(services)), workers=workers, aws=aws)
