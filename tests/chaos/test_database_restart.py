"""PostgreSQL restarted twice while fifteen stacks are requested one after another: every
deployment ends soon after, none left for the scheduler's ten-minute sweep (issue #21)."""

from __future__ import annotations

import asyncio
import random

import pytest

from cdk_service.db.models import Deployment, DeploymentStep
from tests.cdk_service.jobs.processes import Workers, eventually
from tests.chaos.conftest import CHAOS_WORKER, Platform, report
from tests.chaos.outages import PostgresRestarts, data_directory

STACKS = 15


@pytest.fixture
async def postgres(database_server_url: str) -> PostgresRestarts:
    pgdata = await data_directory(database_server_url)
    if pgdata is None:
        pytest.skip("the test database is not served from this machine: nothing to restart")
    return PostgresRestarts(pgdata)


async def test_fifteen_deployments_through_two_database_restarts_all_end_within_a_minute(
    platform: Platform, workers: Workers, postgres: PostgresRestarts
) -> None:
    workers.start(beat=True, **CHAOS_WORKER)  # one worker, as `datahubctl up` runs
    await workers.ready()
    first_wave = random.randint(3, 7)

    async def restart_in(seconds: float) -> None:
        await asyncio.sleep(seconds)
        await asyncio.to_thread(postgres.restart)

    # The first restart at a random moment while deployments are requested and run...
    restarting = asyncio.create_task(restart_in(random.uniform(0.2, 2.0)))
    for n in range(first_wave):
        await platform.request_stack(f"ingestion-{n:02d}")
        await asyncio.sleep(random.uniform(0.1, 0.4))
    await restarting
    # ...the second once the worker is idle, its pooled connections dead, and the next
    # request right after it (the case of the issue).
    await platform.all_ended(within=60)
    await asyncio.sleep(random.uniform(0, 1))
    await asyncio.to_thread(postgres.restart)
    for n in range(first_wave, STACKS):
        await platform.request_stack(f"ingestion-{n:02d}")
        await asyncio.sleep(random.uniform(0, 0.3))

    deployments = await platform.all_ended(within=60)
    await platform.check_every_stack_deployed_once(deployments)
    last_restart = max(postgres.restarted_at)
    assert all((d.finished_at - last_restart).total_seconds() < 60 for d in deployments)
    report("database restarted twice", platform, deployments, postgres.restarted_at)


async def test_a_deployment_whose_worker_meets_the_database_away_is_carried_on_by_it(
    platform: Platform, workers: Workers, postgres: PostgresRestarts
) -> None:
    workers.start(  # the worker pauses after recording executing: the database goes then
        beat=True,
        DATAHUB_TEST_PAUSE_AFTER_STEP=DeploymentStep.EXECUTING.value,
        DATAHUB_TEST_PAUSE_SECONDS="1",
        **CHAOS_WORKER,
    )
    await workers.ready()
    requested = await platform.request_stack("ingestion-00")

    async def executing() -> bool:
        deployment = await Deployment.get(id=requested.deployment_id)
        return deployment.step is DeploymentStep.EXECUTING

    await eventually(executing, what="the worker recording executing")
    assert await platform.ready()
    away = asyncio.create_task(asyncio.to_thread(postgres.restart, down_seconds=2))

    async def not_ready() -> bool:
        return not await platform.ready()

    await eventually(not_ready, within=5, what="/readyz saying not ready")
    await away
    await eventually(platform.ready, within=5, what="/readyz saying ready again")

    # Not left to the lease running out (two minutes) and the resumer: the worker itself
    # takes its lease back on a fresh connection and runs on from the recorded step.
    deployments = await platform.all_ended(within=30)
    await platform.check_every_stack_deployed_once(deployments)
    assert (deployments[0].attempts, deployments[0].lease_owner) == (2, None)
    report("database away for 2 s mid-deployment", platform, deployments, postgres.restarted_at)
