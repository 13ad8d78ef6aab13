"""The broker restarted while stacks are requested and deployed: every deployment ends soon
after, none left for the scheduler's ten-minute sweep."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cdk_service.settings import Settings
from tests.aws import Aws
from tests.cdk_service.jobs.processes import Workers
from tests.chaos.conftest import CHAOS_WORKER, report, serve
from tests.chaos.outages import DedicatedRedis
from tests.conftest import StubDigestRegistry

STACKS = 8


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[DedicatedRedis]:
    folder = tmp_path / "redis"
    folder.mkdir()
    redis = DedicatedRedis(folder)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


async def test_deployments_through_a_broker_restart_all_end_within_a_minute(
    aiohttp_client: Any,
    published: StubDigestRegistry,
    settings: Settings,
    workers: Workers,
    aws: Aws,
    broker: DedicatedRedis,
) -> None:
    workers.broker_url = broker.url
    platform = await serve(aiohttp_client, published, settings, workers, aws)
    workers.start(beat=True, **CHAOS_WORKER)
    await workers.ready()

    async def restart_in(seconds: float) -> None:
        await asyncio.sleep(seconds)
        await asyncio.to_thread(broker.restart, down_seconds=random.uniform(0.5, 2))

    restarting = asyncio.create_task(restart_in(random.uniform(0.5, 2.5)))
    for n in range(STACKS):
        await platform.request_stack(f"ingestion-{n:02d}")
        await asyncio.sleep(random.uniform(0.1, 0.5))
    await restarting

    deployments = await platform.all_ended(within=60)
    await platform.check_every_stack_deployed_once(deployments)
    assert all((d.finished_at - broker.restarted_at[-1]).total_seconds() < 60 for d in deployments)
    report("broker restarted", platform, deployments, broker.restarted_at)
