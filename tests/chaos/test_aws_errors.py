"""The AWS endpoint answering 503 and throttling errors for a few seconds while stacks deploy:
the workers retry with backoff, and every deployment ends soon after, each stack made once."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

import pytest

from tests.cdk_service.jobs.processes import Workers
from tests.chaos.conftest import CHAOS_WORKER, Platform, report
from tests.chaos.outages import FlakyAws

STACKS = 8
# AWS calls and their retries at the service's defaults: what production sees.
DEFAULT_RETRIES = {
    "DATAHUB_AWS_MAX_ATTEMPTS": "5",
    "DATAHUB_WORKER_RETRY_FIRST_SECONDS": "5",
    "DATAHUB_WORKER_RETRY_LONGEST_SECONDS": "300",
}


@pytest.fixture
def flaky_aws(moto_url: str) -> Iterator[FlakyAws]:
    proxy = FlakyAws(moto_url)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()


async def test_deployments_through_aws_errors_all_end_within_a_minute(
    platform: Platform, workers: Workers, flaky_aws: FlakyAws
) -> None:
    workers.start(
        beat=True, DATAHUB_AWS_ENDPOINT_URL=flaky_aws.url, **CHAOS_WORKER, **DEFAULT_RETRIES
    )
    await workers.ready()

    async def fail_in(seconds: float) -> None:
        await asyncio.sleep(seconds)
        await asyncio.to_thread(flaky_aws.fail_for, random.uniform(3, 5))

    failing = asyncio.create_task(fail_in(random.uniform(0.5, 2)))
    for n in range(STACKS):
        await platform.request_stack(f"ingestion-{n:02d}")
        await asyncio.sleep(random.uniform(0.1, 0.5))
    await failing

    deployments = await platform.all_ended(within=60)
    await platform.check_every_stack_deployed_once(deployments)
    assert flaky_aws.failed_calls > 0 and flaky_aws.recovered_at is not None
    assert all((d.finished_at - flaky_aws.recovered_at).total_seconds() < 60 for d in deployments)
    report("AWS answering 503 and throttling", platform, deployments, [flaky_aws.recovered_at])
